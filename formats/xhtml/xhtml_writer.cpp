// xhtml_writer.cpp: the model as XHTML5 (xhtml_writer.hpp).
#include "xhtml/xhtml_writer.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "dconv/book.hpp"
#include "dconv/diagnostics.hpp"
#include "xhtml/images.hpp"
#include "dconv/model.hpp"
#include "dconv/styles.hpp"
#include "dconv/limits.hpp"

namespace dconv::xhtml {

namespace {

constexpr const char* kXhtmlNamespace = "http://www.w3.org/1999/xhtml";
constexpr const char* kOpsNamespace = "http://www.idpf.org/2007/ops";
// A page with no title of its own still needs a non-empty <title>.
constexpr std::string_view kUntitled = "Untitled";
// HTML has six heading levels.
constexpr int kMaxHeadingLevel = 6;
// HTML's own limits on a cell's spans: a browser reads a larger colspan as 1,000 and a
// larger rowspan as 65,534 (validate() allows neither: a span never leaves its table).
constexpr int kMaxColSpan = 1000;
constexpr int kMaxRowSpan = 65534;

const char* const kHeadingTags[] = {"h1", "h2", "h3", "h4", "h5", "h6"};

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

bool has_visible_text(const Inlines& inlines) {
    for (const Inline& in : inlines) {
        bool visible = std::visit(
            Overload{
                [](const Text& t) { return !text::trim(t.text).empty(); },
                [](const Code& c) { return !text::trim(c.text).empty(); },
                [](const LineBreak&) { return false; },
                // an image shows itself, or its alt text when it is not loaded
                [](const Image& i) { return !i.resource.empty() || !text::trim(i.alt).empty(); },
                [](const Note&) { return true; },
                [](const auto& container) { return has_visible_text(container.children); },
            },
            in.base());
        if (visible) return true;
    }
    return false;
}

// The direction of the first strong character of inline content.
Direction inline_direction(const Inlines& inlines) {
    for (const Inline& in : inlines) {
        Direction d = std::visit(
            Overload{
                [](const Text& t) { return first_strong_direction(t.text); },
                [](const Code& c) { return first_strong_direction(c.text); },
                [](const LineBreak&) { return Direction::neutral; },
                [](const Image& i) { return first_strong_direction(i.alt); },
                [](const Note&) { return Direction::neutral; },
                [](const auto& container) { return inline_direction(container.children); },
            },
            in.base());
        if (d != Direction::neutral) return d;
    }
    return Direction::neutral;
}

std::string lower_scheme(std::string_view url) {
    std::size_t colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0) return {};
    std::string_view scheme = url.substr(0, colon);
    if (!text::is_letter(static_cast<unsigned char>(scheme[0]))) return {};
    for (char c : scheme) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '-' || c == '.';
        if (!ok) return {};
    }
    return text::lower_ascii(scheme);
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

// The host part of "//host/..." holds only what a host (with user info and port) may.
bool plausible_authority(std::string_view rest) {
    if (!rest.starts_with("//")) return false;
    std::string_view authority = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
    if (authority.empty()) return false;
    return std::all_of(authority.begin(), authority.end(), [](char ch) {
        auto c = static_cast<unsigned char>(ch);
        return c >= 0x80 || std::isalnum(c) || std::string_view("-._~!$&'()*+,;=:@%").find(ch) != std::string_view::npos;
    });
}

std::string authors_line(const std::vector<std::string>& authors) {
    std::string out;
    for (const std::string& a : authors) {
        std::string name = text::squeeze_spaces(a);
        if (name.empty()) continue;
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

// "YYYY-MM-DD" or "YYYY-MM-DDThh:mm[:ss]": what <time datetime> accepts as written.
bool is_datetime(std::string_view d) {
    auto digits = [&](std::size_t at, std::size_t n) {
        if (at + n > d.size()) return false;
        for (std::size_t i = at; i < at + n; ++i)
            if (d[i] < '0' || d[i] > '9') return false;
        return true;
    };
    if (!(digits(0, 4) && d.size() >= 10 && d[4] == '-' && digits(5, 2) && d[7] == '-' && digits(8, 2)))
        return false;
    if (d.size() == 10) return true;
    if (!(d[10] == 'T' && digits(11, 2) && d.size() >= 16 && d[13] == ':' && digits(14, 2))) return false;
    return d.size() == 16 || (d.size() == 19 && d[16] == ':' && digits(17, 2));
}

}  // namespace

// ------------------------------------------------------------------------- renderer

BlockRenderer::BlockRenderer(std::string_view page_language, Links links, Markup markup)
    : language_(well_formed_language(page_language)),
      direction_(is_rtl_language(language_) ? Direction::rtl : Direction::ltr),
      links_(links),
      markup_(markup) {}

void BlockRenderer::set_images(const Resources* resources, ImageLinker linker) {
    resources_ = resources;
    image_linker_ = std::move(linker);
}

const char* BlockRenderer::dir_for(const Inlines& content) const {
    Direction d = inline_direction(content);
    if (d == Direction::neutral || d == direction_) return nullptr;
    return d == Direction::rtl ? "rtl" : "ltr";
}

std::optional<TocEntry> BlockRenderer::top_block(xml::XmlWriter& out, const Block& b) {
    std::optional<TocEntry> entry;
    block(out, b, &entry);
    return entry;
}

void BlockRenderer::blocks(xml::XmlWriter& out, const Blocks& list) {
    for (const Block& b : list) block(out, b, nullptr);
}

void BlockRenderer::block(xml::XmlWriter& out, const Block& b, std::optional<TocEntry>* entry) {
    check_deadline();  // --timeout (dconv/limits.hpp)
    std::visit(
        Overload{
            [&](const Heading& h) {
                if (!has_visible_text(h.content)) return;
                int level = std::clamp(h.level, 1, kMaxHeadingLevel);
                out.open(kHeadingTags[level - 1]);
                if (entry) {
                    std::string id = "h-" + std::to_string(next_heading_++);
                    out.attribute("id", id);
                    *entry = TocEntry{level, text::squeeze_spaces(plain_text(h.content)), id};
                }
                if (const char* dir = dir_for(h.content)) out.attribute("dir", dir);
                inlines(out, h.content);
                out.close();
                out.newline();
            },
            [&](const Paragraph& p) {
                if (!has_visible_text(p.content)) return;
                out.open("p");
                if (const char* dir = dir_for(p.content)) out.attribute("dir", dir);
                inlines(out, p.content);
                out.close();
                out.newline();
            },
            [&](const List& l) { list(out, l); },
            [&](const BlockQuote& q) {
                out.open("blockquote");
                out.newline();
                blocks(out, q.children);
                out.close();
                out.newline();
            },
            [&](const CodeBlock& c) {
                out.open("pre");
                out.open("code");
                std::string_view info = text::trim(c.info);
                std::string_view name = info.substr(0, info.find_first_of(" \t"));
                if (text::is_code_language_name(name)) out.attribute("class", "language-" + std::string(name));
                out.text(c.text);
                out.close();
                out.close();
                out.newline();
            },
            [&](const ThematicBreak&) {
                out.open("hr");
                out.close();
                out.newline();
            },
            [&](const Figure& f) { figure(out, f); },
            [&](const Table& t) { table(out, t); },
            [&](const DefinitionList& d) { definition_list(out, d); },
        },
        b.node);
}

// <dl>: each term a <dt>, each definition a <dd>; a definition of one paragraph is its
// text, without <p> (as a tight list item's).
void BlockRenderer::definition_list(xml::XmlWriter& out, const DefinitionList& d) {
    out.open("dl");
    out.newline();
    for (const DefinitionItem& item : d.items) {
        for (const Inlines& term : item.terms) {
            out.open("dt");
            inlines(out, term);
            out.close();
            out.newline();
        }
        if (item.definitions.empty()) {  // HTML wants a <dd> after every group of <dt>s
            out.open("dd");
            out.close();
            out.newline();
        }
        for (const Blocks& definition : item.definitions) {
            out.open("dd");
            const auto* only = definition.size() == 1 ? std::get_if<Paragraph>(&definition.front().node) : nullptr;
            if (only) {
                inlines(out, only->content);
            } else {
                out.newline();
                blocks(out, definition);
            }
            out.close();
            out.newline();
        }
    }
    out.close();
    out.newline();
}

namespace {

// <ol type>'s value for a numbering style.
const char* html_type(NumberStyle style) {
    switch (style) {
        case NumberStyle::LowerAlpha: return "a";
        case NumberStyle::UpperAlpha: return "A";
        case NumberStyle::LowerRoman: return "i";
        case NumberStyle::UpperRoman: return "I";
        case NumberStyle::Decimal: break;
    }
    return "1";
}

}  // namespace

void BlockRenderer::list(xml::XmlWriter& out, const List& l) {
    bool tasks = std::any_of(l.tasks.begin(), l.tasks.end(), [](TaskState t) { return t != TaskState::None; });
    out.open(l.ordered ? "ol" : "ul");
    if (l.ordered && (l.start != 1 || l.reversed)) out.attribute("start", std::to_string(l.start));
    if (l.ordered && l.reversed) out.attribute("reversed", "reversed");
    if (l.ordered && l.style != NumberStyle::Decimal) out.attribute("type", html_type(l.style));
    if (tasks) out.attribute("class", "task-list");
    out.newline();
    for (std::size_t n = 0; n < l.items.size(); ++n) {
        const Blocks& item = l.items[n];
        TaskState state = l.task(n);
        out.open("li");
        // A check box the reader sees but cannot change: the state is the author's.
        auto check_box = [&] {
            if (state == TaskState::None) return;
            out.open("input");
            out.attribute("type", "checkbox");
            out.attribute("disabled", "disabled");
            if (state == TaskState::Done) out.attribute("checked", "checked");
            out.close();
            text(out, " ");
        };
        if (state != TaskState::None) out.attribute("class", state == TaskState::Done ? "task done" : "task");
        const auto* first_paragraph = item.empty() ? nullptr : std::get_if<Paragraph>(&item.front().node);
        std::size_t first = 0;
        // A tight item's first paragraph is its text, without <p> (as cmark does); a
        // loose task item's box goes inside its first paragraph.
        if (first_paragraph && (l.tight || state != TaskState::None)) {
            if (!l.tight) {
                out.newline();
                out.open("p");
            }
            check_box();
            inlines(out, first_paragraph->content);
            if (!l.tight) out.close();
            first = 1;
        } else {
            check_box();
        }
        if (first < item.size()) {
            out.newline();
            for (std::size_t i = first; i < item.size(); ++i) block(out, item[i], nullptr);
        } else if (first == 1 && !l.tight) {
            out.newline();
        }
        out.close();
        out.newline();
    }
    out.close();
    out.newline();
}

namespace {

// A paragraph of images (and the spaces or breaks between them) only: in a figure it is
// written without <p>, as HTML writes a figure's picture.
bool images_only(const Inlines& content) {
    bool image = false;
    for (const Inline& in : content) {
        if (std::holds_alternative<Image>(in.base())) image = true;
        else if (const auto* t = std::get_if<Text>(&in.base()); t && text::trim(t->text).empty()) continue;
        else if (!std::holds_alternative<LineBreak>(in.base())) return false;
    }
    return image;
}

}  // namespace

void BlockRenderer::figure(xml::XmlWriter& out, const Figure& f) {
    out.open("figure");
    out.newline();
    for (const Block& b : f.content) {
        const auto* p = std::get_if<Paragraph>(&b.node);
        if (p && images_only(p->content)) {
            inlines(out, p->content);
            out.newline();
        } else {
            block(out, b, nullptr);
        }
    }
    if (has_visible_text(f.caption)) {
        out.open("figcaption");
        if (const char* dir = dir_for(f.caption)) out.attribute("dir", dir);
        inlines(out, f.caption);
        out.close();
        out.newline();
    }
    out.close();
    out.newline();
}

void BlockRenderer::table(xml::XmlWriter& out, const Table& t) {
    // The wrapper scrolls a table wider than the page (styles/*.css) instead of letting
    // it spill over the margin; a <table> itself cannot scroll without losing its layout.
    out.open("div");
    out.attribute("class", "table");
    out.newline();
    out.open("table");
    // A table in another language or direction than the page's says so, and its cells
    // are written in it (their text's language runs, their own dir).
    const std::string page_language = language_;
    const Direction page_direction = direction_;
    std::string_view table_language = well_formed_language(t.locale->language);
    if (!table_language.empty()) {
        out.attribute("lang", table_language);
        out.attribute("xml:lang", table_language);
        language_ = std::string(table_language);
    }
    Direction table_direction = direction_;
    if (!t.locale->direction.empty()) table_direction = t.locale->direction == "rtl" ? Direction::rtl : Direction::ltr;
    else if (!table_language.empty()) table_direction = is_rtl_language(table_language) ? Direction::rtl : Direction::ltr;
    if (table_direction != direction_ || !t.locale->direction.empty())
        out.attribute("dir", table_direction == Direction::rtl ? "rtl" : "ltr");
    direction_ = table_direction;
    out.newline();
    if (has_visible_text(t.caption)) {
        out.open("caption");
        inlines(out, t.caption);
        out.close();
        out.newline();
    }
    if (!t.head.empty()) {
        out.open("thead");
        out.newline();
        table_section(out, t, t.head, true);
        out.close();
        out.newline();
    }
    if (!t.body.empty()) {
        out.open("tbody");
        out.newline();
        table_section(out, t, t.body, false);
        out.close();
        out.newline();
    }
    out.close();  // table
    out.newline();
    out.close();  // div
    out.newline();
    language_ = page_language;
    direction_ = page_direction;
}

void BlockRenderer::table_section(xml::XmlWriter& out, const Table& t, const std::vector<TableRow>& rows,
                                  bool head) {
    // The column each cell starts in: cells of rows above with a row span take their
    // columns in the rows they reach into (covered[c] counts the rows still taken).
    std::vector<int> covered(t.columns.size(), 0);
    for (const TableRow& row : rows) {
        check_deadline();
        out.open("tr");
        std::size_t column = 0;
        for (const TableCell& cell : row.cells) {
            while (column < covered.size() && covered[column] > 0) ++column;
            int col_span = std::clamp(cell.col_span, 1, kMaxColSpan);
            int row_span = std::clamp(cell.row_span, 1, kMaxRowSpan);
            out.open(head ? "th" : "td");
            if (head) out.attribute("scope", col_span > 1 ? "colgroup" : "col");
            if (col_span > 1) out.attribute("colspan", std::to_string(col_span));
            if (row_span > 1) out.attribute("rowspan", std::to_string(row_span));
            Alignment a = column < t.columns.size() ? t.columns[column] : Alignment::Default;
            if (a != Alignment::Default)
                out.attribute("style", a == Alignment::Left     ? "text-align: left"
                                       : a == Alignment::Center ? "text-align: center"
                                                                : "text-align: right");
            for (std::size_t k = column; k < column + static_cast<std::size_t>(col_span) && k < covered.size(); ++k)
                covered[k] = row_span;
            column += static_cast<std::size_t>(col_span);
            const Paragraph* only =
                cell.content.size() == 1 ? std::get_if<Paragraph>(&cell.content.front().node) : nullptr;
            if (only) {
                inlines(out, only->content);
            } else if (!cell.content.empty()) {
                out.newline();
                blocks(out, cell.content);
            }
            out.close();
        }
        for (int& n : covered)
            if (n > 0) --n;
        out.close();
        out.newline();
    }
}

void BlockRenderer::image(xml::XmlWriter& out, const Image& i) {
    std::string alt = text::squeeze_spaces(i.alt);
    std::string src;
    const Resource* resource = nullptr;
    if (resources_ && image_linker_ && !i.resource.empty()) {
        auto found = resources_->find(i.resource);
        if (found != resources_->end() && found->second) {
            resource = found->second.get();
            src = image_linker_(i.resource, *resource);
        }
    }
    if (src.empty()) {
        // Not shown: its alt text stands in, so that nothing the author said is lost.
        if (alt.empty()) return;
        out.open("span");
        out.attribute("class", "image-alt");
        text(out, alt);
        out.close();
        return;
    }
    out.open("img");
    out.attribute("src", src);
    out.attribute("alt", alt);
    if (!text::trim(i.title).empty()) out.attribute("title", text::squeeze_spaces(i.title));
    // The size lets a reader lay the page out before the image is decoded; the style
    // sheet scales it down to the page (max-width: 100%, height: auto).
    // A width the source asked for (Image::Extra::width) is kept, the height scaled to it.
    if (const int width = i.extra->width; width > 0) {
        out.attribute("width", std::to_string(width));
        if (resource->width > 0 && resource->height > 0)
            out.attribute("height", std::to_string(std::max<long long>(
                                        1, (static_cast<long long>(resource->height) * width + resource->width / 2) /
                                               resource->width)));
    } else if (resource->width > 0 && resource->height > 0) {
        out.attribute("width", std::to_string(resource->width));
        out.attribute("height", std::to_string(resource->height));
    }
    out.close();
}

void BlockRenderer::note_reference(xml::XmlWriter& out, const Note& n) {
    // A later reference to a labelled note (Note::label) links to it with its number; the
    // note's way back is its first reference on this page. Should the note have been
    // written on an earlier page (an EPUB chapter split), it is written again on this one.
    const NoteNumbers::Reference ref = note_numbers_.reference(n);
    if (ref.first) numbered_.push_back(&n);
    const int number = ref.number;
    const Note* note = numbered_[static_cast<std::size_t>(number) - 1];
    // a set, not a scan of the pending notes: a page keeps them all pending (notes{40,80,160}k
    // of repeated references took 0.6, 1.8 and 6.3 s with the scan)
    const bool first_here = pending_numbers_.insert(number).second;
    if (first_here) pending_notes_.emplace_back(number, note);
    std::string label = std::to_string(number);
    if (in_link_) {  // HTML links do not nest: the number, without its link
        out.open("sup");
        if (first_here) out.attribute("id", "fnref-" + label);  // the note's way back
        out.attribute("class", "noteref");
        out.text(label);
        out.close();
        return;
    }
    out.open("a");
    if (first_here) out.attribute("id", "fnref-" + label);
    out.attribute("href", "#fn-" + label);
    out.attribute("class", "noteref");
    if (markup_ == Markup::epub) out.attribute("epub:type", "noteref");
    out.attribute("role", "doc-noteref");
    out.open("sup");
    out.text(label);
    out.close();
    out.close();
}

void BlockRenderer::notes(xml::XmlWriter& out) {
    if (pending_notes_.empty()) return;
    // A note that cites a note adds it to pending_notes_, written after the others in
    // this section (its number stays pending meanwhile, so it is written once).
    out.open("section");
    out.attribute("class", "footnotes");
    if (markup_ == Markup::epub) out.attribute("epub:type", "footnotes");
    out.newline();
    for (std::size_t k = 0; k < pending_notes_.size(); ++k) {  // may grow meanwhile
        const auto [number, note] = pending_notes_[k];
        std::string label = std::to_string(number);
        out.open("aside");
        out.attribute("id", "fn-" + label);
        out.attribute("class", "footnote");
        if (markup_ == Markup::epub) out.attribute("epub:type", "footnote");
        out.attribute("role", "doc-footnote");
        out.newline();
        // The note's number leads its first paragraph, as a link back to the reference.
        auto back_link = [&] {
            out.open("a");
            out.attribute("href", "#fnref-" + label);
            out.attribute("class", "footnote-back");
            out.attribute("role", "doc-backlink");
            out.text(label);
            out.close();
            out.text(" ");
        };
        const Blocks& content = note->content;
        std::size_t first = 0;
        if (!content.empty()) {
            if (const auto* p = std::get_if<Paragraph>(&content.front().node)) {
                out.open("p");
                if (const char* dir = dir_for(p->content)) out.attribute("dir", dir);
                back_link();
                inlines(out, p->content);
                out.close();
                out.newline();
                first = 1;
            }
        }
        if (first == 0) {
            out.open("p");
            back_link();
            out.close();
            out.newline();
        }
        for (std::size_t i = first; i < content.size(); ++i) block(out, content[i], nullptr);
        out.close();  // aside
        out.newline();
    }
    out.close();  // section
    out.newline();
    pending_notes_.clear();
    pending_numbers_.clear();
}

void BlockRenderer::inlines(xml::XmlWriter& out, const Inlines& list) {
    for (const Inline& in : list) {
        std::visit(Overload{
                       [&](const Text& t) { text(out, t.text); },
                       [&](const Code& c) {
                           out.open("code");
                           out.text(c.text);
                           out.close();
                       },
                       [&](const LineBreak&) {
                           out.open("br");
                           out.close();
                       },
                       [&](const Emphasis& e) {
                           out.open("em");
                           inlines(out, e.children);
                           out.close();
                       },
                       [&](const Strong& s) {
                           out.open("strong");
                           inlines(out, s.children);
                           out.close();
                       },
                       [&](const Strikeout& s) {
                           out.open("del");
                           inlines(out, s.children);
                           out.close();
                       },
                       [&](const Superscript& s) {
                           out.open("sup");
                           inlines(out, s.children);
                           out.close();
                       },
                       [&](const Subscript& s) {
                           out.open("sub");
                           inlines(out, s.children);
                           out.close();
                       },
                       [&](const Image& i) { image(out, i); },
                       [&](const Note& n) { note_reference(out, n); },
                       [&](const Link& l) {
                           // HTML links do not nest; a link that may not be kept is its text
                           std::string href = in_link_ ? std::string() : safe_href(l.url, links_);
                           if (href.empty()) {
                               inlines(out, l.children);
                               return;
                           }
                           out.open("a");
                           out.attribute("href", href);
                           if (!text::trim(l.title).empty()) out.attribute("title", l.title);
                           in_link_ = true;
                           inlines(out, l.children);
                           in_link_ = false;
                           out.close();
                       },
                   },
                   in.base());
    }
}

void BlockRenderer::text(xml::XmlWriter& out, std::string_view s) {
    split_by_script(s, language_, runs_);
    for (const ScriptRun& run : runs_) {
        if (run.language.empty()) {
            out.text(run.text);
            continue;
        }
        out.open("span");
        out.attribute("lang", run.language);
        out.attribute("xml:lang", run.language);
        out.text(run.text);
        out.close();
    }
}

// ---------------------------------------------------------------------------- pages

void begin_page(xml::XmlWriter& out, const PageHead& head) {
    if (head.xml_declaration) out.declaration();
    out.doctype("html");
    out.open("html");
    out.attribute("xmlns", kXhtmlNamespace);
    if (head.epub) out.attribute("xmlns:epub", kOpsNamespace);
    std::string_view language = well_formed_language(head.language);
    if (!language.empty()) {
        out.attribute("lang", language);
        out.attribute("xml:lang", language);
        if (is_rtl_language(language)) out.attribute("dir", "rtl");
    }
    out.newline();
    out.open("head");
    out.newline();
    out.open("meta");
    out.attribute("charset", "utf-8");
    out.close();
    out.newline();
    if (head.viewport) {
        out.open("meta");
        out.attribute("name", "viewport");
        out.attribute("content", "width=device-width, initial-scale=1");
        out.close();
        out.newline();
    }
    std::string title = text::squeeze_spaces(head.title);
    out.element("title", title.empty() ? kUntitled : std::string_view(title));
    out.newline();
    for (const auto& [name, content] : head.meta) {
        out.open("meta");
        out.attribute("name", name);
        out.attribute("content", content);
        out.close();
        out.newline();
    }
    for (const std::string& href : head.stylesheets) {
        out.open("link");
        out.attribute("rel", "stylesheet");
        out.attribute("type", "text/css");
        out.attribute("href", href);
        out.close();
        out.newline();
    }
    if (!head.inline_css.empty()) {
        out.open("style");
        out.style_text(head.inline_css);
        out.close();
        out.newline();
    }
    out.close();  // head
    out.newline();
    out.open("body");
    if (!head.body_class.empty()) out.attribute("class", head.body_class);
    if (!head.body_epub_type.empty()) out.attribute("epub:type", head.body_epub_type);
    out.newline();
}

void end_page(xml::XmlWriter& out) {
    out.close();  // body
    out.newline();
    out.close();  // html
    out.newline();
}

void title_block(xml::XmlWriter& out, BlockRenderer& renderer, const Meta& meta, std::string_view title) {
    auto line = [&](const char* tag, const char* css_class, std::string_view value) {
        std::string squeezed = text::squeeze_spaces(value);
        if (squeezed.empty()) return;
        out.open(tag);
        out.attribute("class", css_class);
        renderer.text(out, squeezed);
        out.close();
        out.newline();
    };
    line("h1", "title", title);
    line("p", "subtitle", meta.subtitle);
    if (auto alt = meta.extra.find("alt-title"); alt != meta.extra.end()) line("p", "alt-title", alt->second);
    line("p", "author", authors_line(meta.authors));
    std::string date = text::squeeze_spaces(meta.date);
    if (!date.empty()) {
        out.open("p");
        out.attribute("class", "date");
        if (is_datetime(date)) {
            out.open("time");
            out.attribute("datetime", date);
            out.text(date);
            out.close();
        } else {
            renderer.text(out, date);
        }
        out.close();
        out.newline();
    }
    line("p", "site", meta.site);
}

// ----------------------------------------------------------------------------- links

std::string safe_href(std::string_view url, Links links) {
    std::string_view u = text::trim(url);
    if (u.empty()) return {};
    std::string scheme = lower_scheme(u);
    if (text::is_script_url(u) || scheme == "file") return {};
    if (links == Links::absolute_only) {
        bool web = scheme == "http" || scheme == "https" || scheme == "ftp";
        if (web && !plausible_authority(u.substr(scheme.size() + 1))) return {};
        if (!web && scheme != "mailto") return {};
    } else if ((scheme == "http" || scheme == "https") && !plausible_authority(u.substr(scheme.size() + 1))) {
        return {};
    }
    static constexpr char kHexDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(u.size());
    bool fragment = false;
    for (std::size_t i = 0; i < u.size(); ++i) {
        auto c = static_cast<unsigned char>(u[i]);
        bool escape = c <= 0x20 || c == 0x7F || std::string_view("\"<>\\^`{|}").find(u[i]) != std::string_view::npos;
        if (c == '#') {
            escape = fragment;  // only the first '#' starts the fragment
            fragment = true;
        }
        if (c == '%' && !(i + 2 < u.size() && is_hex(u[i + 1]) && is_hex(u[i + 2]))) escape = true;
        if (!escape) {
            out += u[i];
            continue;
        }
        out += '%';
        out += kHexDigits[c >> 4];
        out += kHexDigits[c & 0xF];
    }
    return out;
}

std::string page_title(const Document& doc) { return chapter_title(doc, kUntitled); }

}  // namespace dconv::xhtml

namespace dconv {

std::string write_xhtml(const Document& doc, const WriteOptions& options) {
    using namespace xhtml;
    PageHead head;
    head.language = doc.meta.language;
    head.title = page_title(doc);
    head.xml_declaration = false;  // polyglot: an HTML parser would take it for a comment
    head.viewport = true;
    head.inline_css = load_style(options.style);
    head.body_class = "standalone";
    for (const std::string& a : doc.meta.authors)
        if (!text::trim(a).empty()) head.meta.emplace_back("author", a);
    auto add = [&](const char* name, const std::string& value) {
        if (!text::trim(value).empty()) head.meta.emplace_back(name, value);
    };
    add("dcterms.date", doc.meta.date);
    add("dcterms.publisher", doc.meta.site);
    add("dcterms.source", doc.meta.source);
    for (const auto& [key, value] : doc.meta.extra) add(key.c_str(), value);

    xml::XmlWriter out(xml::Syntax::html);
    begin_page(out, head);
    BlockRenderer renderer(doc.meta.language, Links::keep_relative);
    // One self-contained file: each image inline as a data: URI.
    DataUriImages images(options.diagnostics);
    renderer.set_images(&doc.resources, [&images](const std::string& key, const Resource& resource) {
        return images.src(key, resource);
    });
    if (!text::trim(doc.meta.title).empty()) {
        out.open("header");
        out.attribute("class", "title-block");
        out.newline();
        title_block(out, renderer, doc.meta, doc.meta.title);
        out.close();
        out.newline();
    }
    for (const Block& b : doc.blocks) renderer.top_block(out, b);
    renderer.notes(out);  // endnotes: a standalone page is one page
    end_page(out);
    return out.take();
}

}  // namespace dconv
