// xhtml_writer.cpp: the model as XHTML5 (xhtml_writer.hpp).
#include "xhtml/xhtml_writer.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "dconv/book.hpp"
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
// The info string of a code block becomes class="language-X" when its first word is a
// plausible language name of at most this many characters.
constexpr std::size_t kMaxLanguageName = 32;

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
                [](const Image&) { return true; },
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

BlockRenderer::BlockRenderer(std::string_view page_language, Links links)
    : language_(well_formed_language(page_language)),
      direction_(is_rtl_language(language_) ? Direction::rtl : Direction::ltr),
      links_(links) {}

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
            [&](const List& l) {
                out.open(l.ordered ? "ol" : "ul");
                if (l.ordered && l.start != 1) out.attribute("start", std::to_string(l.start));
                out.newline();
                for (const Blocks& item : l.items) {
                    out.open("li");
                    std::size_t first = 0;
                    // A tight item's first paragraph is its text, without <p> (as cmark does).
                    if (l.tight && !item.empty()) {
                        if (const auto* p = std::get_if<Paragraph>(&item.front().node)) {
                            inlines(out, p->content);
                            first = 1;
                        }
                    }
                    if (first < item.size()) {
                        out.newline();
                        for (std::size_t i = first; i < item.size(); ++i) block(out, item[i], nullptr);
                    }
                    out.close();
                    out.newline();
                }
                out.close();
                out.newline();
            },
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
                bool plausible = !name.empty() && name.size() <= kMaxLanguageName &&
                                 std::all_of(name.begin(), name.end(), [](char ch) {
                                     auto u = static_cast<unsigned char>(ch);
                                     return std::isalnum(u) || ch == '-' || ch == '_' || ch == '+' || ch == '#' || ch == '.';
                                 });
                if (plausible) out.attribute("class", "language-" + std::string(name));
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
            [&](const Figure& f) {
                out.open("figure");
                out.newline();
                blocks(out, f.content);
                if (has_visible_text(f.caption)) {
                    out.open("figcaption");
                    inlines(out, f.caption);
                    out.close();
                    out.newline();
                }
                out.close();
                out.newline();
            },
            [&](const Table& t) {
                out.open("table");
                out.newline();
                if (has_visible_text(t.caption)) {
                    out.open("caption");
                    inlines(out, t.caption);
                    out.close();
                    out.newline();
                }
                auto section = [&](const std::vector<TableRow>& rows, const char* tag, const char* cell_tag) {
                    if (rows.empty()) return;
                    out.open(tag);
                    out.newline();
                    std::vector<std::size_t> covered(t.columns.size(), 0);
                    for (const TableRow& row : rows) {
                        out.open("tr");
                        std::size_t col = 0;
                        for (const TableCell& cell : row.cells) {
                            while (col < covered.size() && covered[col] > 0) ++col;
                            out.open(cell_tag);
                            if (cell.col_span > 1) out.attribute("colspan", std::to_string(cell.col_span));
                            if (cell.row_span > 1) out.attribute("rowspan", std::to_string(cell.row_span));
                            Alignment a = col < t.columns.size() ? t.columns[col] : Alignment::Default;
                            if (a != Alignment::Default)
                                out.attribute("style", a == Alignment::Left     ? "text-align: left"
                                                       : a == Alignment::Center ? "text-align: center"
                                                                                : "text-align: right");
                            for (std::size_t k = col; k < col + static_cast<std::size_t>(std::max(cell.col_span, 1)) &&
                                                      k < covered.size();
                                 ++k)
                                covered[k] = static_cast<std::size_t>(std::max(cell.row_span, 1));
                            col += static_cast<std::size_t>(std::max(cell.col_span, 1));
                            const Paragraph* only = cell.content.size() == 1
                                                        ? std::get_if<Paragraph>(&cell.content.front().node)
                                                        : nullptr;
                            if (only) {
                                inlines(out, only->content);
                            } else if (!cell.content.empty()) {
                                out.newline();
                                blocks(out, cell.content);
                            }
                            out.close();
                        }
                        for (std::size_t& n : covered)
                            if (n > 0) --n;
                        out.close();
                        out.newline();
                    }
                    out.close();
                    out.newline();
                };
                section(t.head, "thead", "th");
                section(t.body, "tbody", "td");
                out.close();
                out.newline();
            },
        },
        b.node);
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
                       // TODO(issue 12, XHTML/EPUB writers): the image itself, and notes
                       // as EPUB 3 footnotes. Until then nothing is lost: the alt text,
                       // and the note's text in brackets where it is referenced.
                       [&](const Image& i) {
                           if (!i.alt.empty()) text(out, "[" + i.alt + "]");
                       },
                       [&](const Note& n) {
                           std::string note;
                           for (const Block& b : n.content) {
                               if (!note.empty()) note += ' ';
                               note += plain_text(b);
                           }
                           std::replace(note.begin(), note.end(), '\n', ' ');
                           out.open("span");
                           out.attribute("class", "note");
                           text(out, " [" + note + "]");
                           out.close();
                       },
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
    if (scheme == "javascript" || scheme == "vbscript" || scheme == "data" || scheme == "file") return {};
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
    if (!text::trim(doc.meta.title).empty()) {
        out.open("header");
        out.attribute("class", "title-block");
        out.newline();
        title_block(out, renderer, doc.meta, doc.meta.title);
        out.close();
        out.newline();
    }
    for (const Block& b : doc.blocks) renderer.top_block(out, b);
    end_page(out);
    return out.take();
}

}  // namespace dconv
