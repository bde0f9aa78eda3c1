// typeset.cpp: stacking set lines into pages (typeset.hpp).
//
// Two steps. Blocks become a flow: a flat list of lines, vertical spaces, rules and page
// breaks, each item knowing whether a page may break before it (widow and orphan control
// and keep-with-next live in that one flag). Pagination then fills pages greedily, going
// back to the last allowed break when an item does not fit, and emission turns each page's
// items into positioned runs.
#include "pdf/typeset.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

#include "core/date_time.hpp"
#include "core/text.hpp"
#include "dconv/model.hpp"
#include "pdf/hyphenate.hpp"
#include "pdf/paragraph.hpp"
#include "dconv/limits.hpp"

namespace dconv::pdf {

FontFaces FontFaces::of(const SystemFonts& fonts) {
    FontFaces faces;
    for (int family = 0; family < 3; ++family)
        for (int bold = 0; bold < 2; ++bold)
            for (int italic = 0; italic < 2; ++italic)
                faces.ids[static_cast<std::size_t>(family * 4 + bold * 2 + italic)] =
                    fonts.id(static_cast<Family>(family), bold != 0, italic != 0);
    return faces;
}

namespace {

// Where a line's baseline sits in its box, as a share of the font size above the
// centre of the leading: the Liberation and UMing faces have ascenders of about 0.8 em.
constexpr float kAscentShare = 0.8f;
// A link's clickable area reaches this far below the baseline (descenders).
constexpr float kDescentShare = 0.22f;
// Lines at either side of a page break inside a paragraph: no widows, no orphans.
constexpr int kMinLinesAtBreak = 2;
// The list marker's gap from the item's text.
constexpr float kMarkerGapEm = 0.5f;
// A thematic break's rule is this share of the measure, centred.
constexpr float kRuleShare = 0.25f;
// The running header and the page number sit this share of the top and bottom margins
// from the text block.
constexpr float kHeaderShare = 0.45f;
constexpr float kFooterShare = 0.5f;
// The table of contents leaves this many ems on the right for page numbers.
constexpr float kTocNumberEm = 3.0f;
// The book's title page starts its title this share of the way down the text block.
constexpr float kTitlePageDrop = 0.28f;
// ...in a size this much larger than a chapter's title, centred.
constexpr float kTitlePageScale = 1.3f;

// The least leading of Chinese and Japanese body text, times the size (CSS's
// line-height of 1.5-1.8 is usual for CJK pages).
constexpr float kCjkLeading = 1.6f;

// ------------------------------------------------------------------------------ flow

struct FlowItem {
    enum class Kind { line, space, rule, page_break };
    Kind kind = Kind::line;
    Line line;           // Kind::line
    float x = 0;         // left edge from the left margin (indents, quotes, lists)
    float height = 0;    // leading of the line, or the space
    float width = 0;     // Kind::rule: its length; the rule is centred on x + width / 2
    Color color;         // Kind::rule
    bool break_before = true;  // may a page end just before this item?
    int outline = -1;    // index into outline_ of a heading that starts here
    int toc_target = -1; // a table of contents line: the outline entry it points to
    int chapter = -1;    // which chapter's text this is (running headers)
    bool chapter_start = false;  // the first item of a chapter: no running header here
    bool keep_at_top = false;    // a space that stays at a page's top (the title page's drop)
};

// A page's items, [begin, end) of a flow.
struct PageRange {
    std::size_t begin = 0, end = 0;
};

std::string substitute_text(std::string_view in) {
    bool simple = std::all_of(in.begin(), in.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0xF0 && u != 0x7F && u != 0xC2 && u != 0xE2;
    });
    if (simple) return std::string(in);
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size();) {
        char32_t c = text::next(in, i);
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
        if (c < 0x20 || (c >= 0x7F && c < 0xA0)) continue;       // controls
        if (c == 0x00AD || c == 0x200B || c == 0xFEFF) continue; // soft hyphen, zero widths
        if (c == 0x2028 || c == 0x2029) c = ' ';
        text::append(out, c);
    }
    return out;
}

// Hiragana, katakana (and its phonetic extensions and half-width forms): text that has
// them is Japanese.
bool has_kana(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        if (static_cast<unsigned char>(text[i]) < 0xE3) {
            ++i;
            continue;
        }
        char32_t c = text::next(text, i);
        if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F)) return true;
    }
    return false;
}

bool is_cjk_language(std::string_view language) {
    return language.starts_with("zh") || language.starts_with("ja");
}

bool linkable(std::string_view url) {
    return url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:") ||
           url.starts_with("ftp://");
}

class Typesetter {
public:
    explicit Typesetter(const TypesetOptions& options)
        : options_(options), style_(*options.style), fonts_(*options.fonts) {}

    Layout document(const Document& doc) {
        start_chapter(doc.meta, -1);
        title_block(doc.meta, doc.meta.title);
        blocks(doc.blocks, Context{});
        std::vector<PageRange> pages = paginate(flow_);
        Layout layout = begin_layout(doc.meta, doc.meta.title);
        layout.pages.resize(std::max<std::size_t>(pages.size(), 1));
        for (std::size_t p = 0; p < pages.size(); ++p) emit(flow_, pages[p], layout, p);
        running_heads(layout, 0, doc.meta.title);
        finish(layout);
        return layout;
    }

    Layout book(const Book& book) {
        // Front: the title page.
        std::vector<FlowItem> front;
        std::swap(flow_, front);
        start_chapter(book.meta, -1);
        space(kTitlePageDrop * text_height());
        flow_.back().keep_at_top = true;
        title_page_ = true;
        title_block(book.meta, book.meta.title.empty() ? "Untitled" : book.meta.title);
        title_page_ = false;
        std::swap(flow_, front);

        // Body: the chapters, each from a new page, its title a first-level bookmark.
        for (std::size_t c = 0; c < book.chapters.size(); ++c) {
            const Document& chapter = book.chapters[c];
            if (c > 0) page_break();
            start_chapter(chapter.meta, static_cast<int>(c));
            chapter_titles_.push_back(chapter_title(chapter, "Chapter " + std::to_string(c + 1)));
            int entry = add_outline(chapter_titles_.back(), 1);
            toc_entries_.push_back(entry);
            std::size_t first = flow_.size();
            title_block(chapter.meta, chapter_titles_.back());
            if (first < flow_.size()) flow_[first].chapter_start = true;
            for (std::size_t i = first; i < flow_.size(); ++i)
                if (flow_[i].kind == FlowItem::Kind::line) {
                    flow_[i].outline = entry;
                    break;
                }
            outline_shift_ = 1;
            blocks(chapter.blocks, Context{});
            outline_shift_ = 0;
        }
        std::vector<FlowItem> body;
        std::swap(flow_, body);

        // Contents: one line per chapter and its top headings, numbers filled in at emission.
        contents();
        std::vector<FlowItem> toc;
        std::swap(flow_, toc);

        std::vector<PageRange> front_pages = paginate(front), toc_pages = paginate(toc),
                               body_pages = paginate(body);
        Layout layout = begin_layout(book.meta, book.meta.title);
        std::size_t body_at = front_pages.size() + toc_pages.size();
        layout.pages.resize(std::max<std::size_t>(body_at + body_pages.size(), 1));
        for (std::size_t p = 0; p < front_pages.size(); ++p) emit(front, front_pages[p], layout, p);
        for (std::size_t p = 0; p < body_pages.size(); ++p) emit(body, body_pages[p], layout, body_at + p);
        // The contents go after the body is placed: their numbers are its pages.
        for (std::size_t p = 0; p < toc_pages.size(); ++p)
            emit(toc, toc_pages[p], layout, front_pages.size() + p);
        running_heads(layout, front_pages.size(), book.meta.title);
        finish(layout);
        // The outline lists chapters in reading order; "Contents" is not a heading.
        return layout;
    }

    TypesetReport report;

private:
    struct Context {
        float left = 0, right = 0;          // indents from the margins
        Element text = Element::body;       // the style of paragraphs here
        int list_depth = 0;
    };

    // ------------------------------------------------------------------ styles, fonts

    const TextStyle& st(Element e) const { return style_[e]; }
    float text_height() const { return style_.paper.height - style_.margin_top - style_.margin_bottom; }

    // The face of a style, in the language of the text (its CJK forms, fonts.hpp).
    FontId font(const TextStyle& s, bool bold, bool italic) const {
        return fonts_.for_language(options_.faces.get(s.family, bold, italic), language_);
    }

    void start_chapter(const Meta& meta, int chapter) {
        chapter_ = chapter;
        language_ = meta.language;
        hyphenator_ = Hyphenator::for_language(meta.language.empty() ? std::string_view("en")
                                                                     : std::string_view(meta.language));
        previous_was_paragraph_ = false;
    }

    // -------------------------------------------------------------- inlines to spans

    struct SpanState {
        const TextStyle* base;
        bool bold, italic, code;
        int link;
    };

    void spans(const Inlines& inlines, SpanState state, std::vector<Span>& out) {
        for (const Inline& node : inlines) {
            std::visit(
                [&](const auto& n) {
                    using T = std::decay_t<decltype(n)>;
                    if constexpr (std::is_same_v<T, Text>) {
                        add_text(n.text, state, out);
                    } else if constexpr (std::is_same_v<T, Emphasis>) {
                        SpanState s = state;
                        s.italic = !state.italic;  // emphasis inside italics is roman
                        spans(n.children, s, out);
                    } else if constexpr (std::is_same_v<T, Strong>) {
                        SpanState s = state;
                        s.bold = true;
                        spans(n.children, s, out);
                    } else if constexpr (std::is_same_v<T, Code>) {
                        SpanState s = state;
                        s.code = true;
                        add_text(n.text, s, out);
                    } else if constexpr (std::is_same_v<T, Link>) {
                        SpanState s = state;
                        if (linkable(n.url)) {
                            s.link = static_cast<int>(urls_.size());
                            urls_.push_back(n.url);
                        }
                        spans(n.children, s, out);
                    } else if constexpr (std::is_same_v<T, LineBreak>) {
                        add_text("\n", state, out);
                    } else if constexpr (std::is_same_v<T, Strikeout> || std::is_same_v<T, Superscript> ||
                                         std::is_same_v<T, Subscript>) {
                        // TODO(issue 12, PDF writer): strike, raise and lower. Until then
                        // the text, marked so that its meaning does not change.
                        const char* open = std::is_same_v<T, Strikeout> ? "~~" : std::is_same_v<T, Superscript> ? "^(" : "_(";
                        const char* close = std::is_same_v<T, Strikeout> ? "~~" : ")";
                        add_text(open, state, out);
                        spans(n.children, state, out);
                        add_text(close, state, out);
                    } else if constexpr (std::is_same_v<T, Image>) {
                        // TODO(issue 12, PDF writer): the image itself.
                        add_text(n.alt.empty() ? "[Image]" : "[Image: " + n.alt + "]", state, out);
                    } else if constexpr (std::is_same_v<T, Note>) {
                        // TODO(issue 12, PDF writer): footnotes. Until then the note's
                        // text in brackets where it is referenced.
                        std::string note;
                        for (const Block& b : n.content) {
                            if (!note.empty()) note += ' ';
                            note += plain_text(b);
                        }
                        std::replace(note.begin(), note.end(), '\n', ' ');
                        add_text(" [" + note + "]", state, out);
                    }
                },
                node.base());
        }
    }

    void add_text(std::string_view raw, const SpanState& s, std::vector<Span>& out) {
        std::string t = raw == "\n" ? std::string("\n") : substitute_text(raw);
        if (t.empty()) return;
        Span span;
        const TextStyle& code = st(Element::code);
        if (s.code) {
            span.font = fonts_.for_language(options_.faces.get(code.family, s.bold, false), language_);
            // Inline code keeps its size's proportion to body text in headings too.
            span.size = s.base->size * code.size / st(Element::body).size;
        } else {
            span.font = font(*s.base, s.bold, s.italic);
            span.size = s.base->size;
        }
        span.color = s.link >= 0 ? st(Element::a).color : s.base->color;
        span.link = s.link;
        if (!out.empty() && out.back().font == span.font && out.back().size == span.size &&
            out.back().link == span.link && out.back().color == span.color) {
            out.back().text += t;
            return;
        }
        span.text = std::move(t);
        out.push_back(std::move(span));
    }

    std::vector<Span> spans_of(const Inlines& inlines, const TextStyle& s) {
        std::vector<Span> out;
        spans(inlines, SpanState{&s, s.bold, s.italic, false, -1}, out);
        return out;
    }

    std::vector<Span> spans_of(std::string_view text_in, const TextStyle& s, int link = -1) {
        std::vector<Span> out;
        add_text(text_in, SpanState{&s, s.bold, s.italic, false, link}, out);
        return out;
    }

    // ------------------------------------------------------------------- flow items

    std::vector<Line> set(const std::vector<Span>& spans_in, const TextStyle& s, float width, float indent,
                          Align align, bool hyphenate) {
        ParagraphStyle ps;
        ps.width = std::max(width, s.size * 2);
        ps.first_indent = indent;
        ps.align = align;
        ps.hyphenator = hyphenate && s.hyphenate ? hyphenator_ : nullptr;
        SetStats stats;
        std::vector<Line> lines;
        if (!language_.starts_with("ja") && std::any_of(spans_in.begin(), spans_in.end(), [](const Span& span) {
                return has_kana(span.text);
            })) {
            // Han beside kana is Japanese, whatever the document's language says (a
            // Chinese page quoting Japanese, a page without a language): Japanese forms.
            std::vector<Span> japanese = spans_in;
            for (Span& span : japanese) span.font = fonts_.for_language(span.font, "ja");
            lines = set_paragraph(japanese, ps, fonts_, &stats);
        } else {
            lines = set_paragraph(spans_in, ps, fonts_, &stats);
        }
        report.missing_glyphs += stats.missing_glyphs;
        for (char32_t c : stats.missing_characters) report.missing_characters.insert(c);
        report.hyphens += stats.hyphens;
        report.overfull_lines += stats.overfull_lines;
        return lines;
    }

    // Where a block's lines start: its left indent, or for a right-to-left paragraph its
    // right one (the block is mirrored: set_paragraph puts its text at the right).
    static float start_of(const std::vector<Line>& set_lines, const Context& ctx) {
        return !set_lines.empty() && set_lines.front().right_to_left ? ctx.right : ctx.left;
    }

    // Adds a vertical space; adjacent spaces collapse to the larger, as CSS margins do.
    void space(float height) {
        if (height <= 0) return;
        if (!flow_.empty() && flow_.back().kind == FlowItem::Kind::space) {
            flow_.back().height = std::max(flow_.back().height, height);
            return;
        }
        FlowItem item;
        item.kind = FlowItem::Kind::space;
        item.height = height;
        item.break_before = !keep_next_;
        item.chapter = chapter_;
        flow_.push_back(std::move(item));
    }

    void page_break() {
        FlowItem item;
        item.kind = FlowItem::Kind::page_break;
        item.chapter = chapter_;
        flow_.push_back(std::move(item));
        keep_next_ = false;
    }

    // Adds the lines of one paragraph-like block at `x`. Breaks inside it leave at least
    // kMinLinesAtBreak lines on each side; `keep_with_next` (headings) forbids a break
    // between it and what follows.
    void lines(std::vector<Line> set_lines, const TextStyle& s, float x, bool keep_together,
               bool keep_with_next, int outline = -1) {
        const int n = static_cast<int>(set_lines.size());
        for (int k = 0; k < n; ++k) {
            FlowItem item;
            item.kind = FlowItem::Kind::line;
            item.x = x;
            item.height = std::max(s.leading, set_lines[static_cast<std::size_t>(k)].size * 1.15f);
            item.line = std::move(set_lines[static_cast<std::size_t>(k)]);
            item.chapter = chapter_;
            if (k == 0) {
                item.break_before = !keep_next_;
                item.outline = outline;
            } else {
                item.break_before = !keep_together && k >= kMinLinesAtBreak && n - k >= kMinLinesAtBreak;
            }
            flow_.push_back(std::move(item));
        }
        if (n > 0) keep_next_ = keep_with_next;
    }

    void rule(float x, float width, Color color) {
        FlowItem item;
        item.kind = FlowItem::Kind::rule;
        item.x = x;
        item.width = width;
        item.height = 1;
        item.color = color;
        item.break_before = !keep_next_;
        item.chapter = chapter_;
        flow_.push_back(std::move(item));
    }

    int add_outline(std::string title, int level) {
        OutlineEntry entry;
        entry.title = text::squeeze_spaces(title);
        if (entry.title.empty()) entry.title = "Untitled";
        entry.level = level;
        outline_.push_back(std::move(entry));
        return static_cast<int>(outline_.size()) - 1;
    }

    // ------------------------------------------------------------------------ blocks

    // The style of a title block part: centred and, for the title, larger on a book's
    // title page.
    TextStyle part(Element e) const {
        TextStyle s = st(e);
        if (title_page_) {
            s.align = Align::center;
            if (e == Element::title) {
                s.size *= kTitlePageScale;
                s.leading *= kTitlePageScale;
                s.margin_bottom *= 2;
            }
        }
        return s;
    }

    void title_block(const Meta& meta, std::string_view title) {
        const float width = style_.measure();
        const TextStyle t = part(Element::title);
        bool any = false;
        if (!title.empty()) {
            space(t.margin_top);
            lines(set(spans_of(title, t), t, width, 0, t.align, false), t, 0, true, true);
            space(t.margin_bottom);
            any = true;
        }
        // A title in another language (a bilingual page's), under the main one.
        if (auto alt = meta.extra.find("alt-title"); alt != meta.extra.end() && !alt->second.empty()) {
            const TextStyle s = part(Element::subtitle);
            TextStyle upright = s;
            upright.italic = false;
            space(s.margin_top);
            lines(set(spans_of(alt->second, upright), upright, width, 0, s.align, false), s, 0, true, true);
            space(s.margin_bottom);
            any = true;
        }
        if (!meta.subtitle.empty()) {
            const TextStyle s = part(Element::subtitle);
            space(s.margin_top);
            lines(set(spans_of(meta.subtitle, s), s, width, 0, s.align, false), s, 0, true, true);
            space(s.margin_bottom);
            any = true;
        }
        std::string byline;
        auto add = [&](std::string_view part) {
            if (part.empty()) return;
            if (!byline.empty()) byline += "  \u00B7  ";
            byline += part;
        };
        std::string authors;
        for (const std::string& a : meta.authors) authors += (authors.empty() ? "" : ", ") + a;
        add(authors);
        add(meta.date.substr(0, std::min<std::size_t>(meta.date.size(), 10)));
        if (meta.site != title) add(meta.site);
        if (!byline.empty()) {
            const TextStyle s = part(Element::byline);
            space(s.margin_top);
            lines(set(spans_of(byline, s), s, width, 0, s.align, false), s, 0, true, true);
            space(s.margin_bottom);
            any = true;
        }
        // The source when it is a web address (a local file's path means nothing in print).
        if (linkable(meta.source)) {
            const TextStyle& s = st(Element::source);
            int link = static_cast<int>(urls_.size());
            urls_.push_back(meta.source);
            space(s.margin_top);
            lines(set(spans_of(meta.source, s, link), s, width, 0, Align::left, false), s, 0, true, false);
            space(s.margin_bottom);
            any = true;
        }
        if (any && !title_page_) {
            keep_next_ = false;
            const TextStyle& hr = st(Element::hr);
            rule(0, width, hr.color);
            space(std::max(hr.margin_bottom, st(Element::source).margin_bottom));
        }
        previous_was_paragraph_ = false;
    }

    void blocks(const Blocks& list, const Context& ctx) {
        for (const Block& block : list) this->block(block, ctx);
    }

    void block(const Block& block, const Context& ctx) {
        check_deadline();  // --timeout (dconv/limits.hpp)
        const float width = style_.measure() - ctx.left - ctx.right;
        std::visit(
            [&](const auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, Paragraph>) {
                    paragraph(n.content, ctx);
                } else if constexpr (std::is_same_v<T, Heading>) {
                    int level = std::clamp(n.level, 1, 6);
                    const TextStyle& h = st(static_cast<Element>(static_cast<int>(Element::h1) + level - 1));
                    int entry = add_outline(plain_text(n.content), level + outline_shift_);
                    space(h.margin_top);
                    std::vector<Line> set_lines = set(spans_of(n.content, h), h, width, 0, h.align, false);
                    float x = start_of(set_lines, ctx);
                    lines(std::move(set_lines), h, x, true, true, entry);
                    space(h.margin_bottom);
                    previous_was_paragraph_ = false;
                } else if constexpr (std::is_same_v<T, List>) {
                    list(n, ctx);
                } else if constexpr (std::is_same_v<T, BlockQuote>) {
                    const TextStyle& q = st(Element::blockquote);
                    Context inner = ctx;
                    inner.left += q.margin_left;
                    inner.right += q.margin_right;
                    inner.text = Element::blockquote;
                    space(q.margin_top);
                    previous_was_paragraph_ = false;
                    blocks(n.children, inner);
                    space(q.margin_bottom);
                    previous_was_paragraph_ = false;
                } else if constexpr (std::is_same_v<T, CodeBlock>) {
                    code_block(n, ctx);
                } else if constexpr (std::is_same_v<T, ThematicBreak>) {
                    const TextStyle& hr = st(Element::hr);
                    space(hr.margin_top);
                    float w = width * kRuleShare;
                    rule(ctx.left + (width - w) / 2, w, hr.color);
                    space(hr.margin_bottom);
                    previous_was_paragraph_ = false;
                } else if constexpr (std::is_same_v<T, Figure>) {
                    // TODO(issue 12, PDF writer): images, kept with their captions.
                    blocks(n.content, ctx);
                    if (!n.caption.empty()) paragraph(n.caption, ctx);
                } else if constexpr (std::is_same_v<T, Table>) {
                    // TODO(issue 12, PDF writer): ruled tables with measured columns.
                    // Until then a paragraph per row, cells separated by " | ".
                    if (!n.caption.empty()) paragraph(n.caption, ctx);
                    for (const auto* section : {&n.head, &n.body})
                        for (const TableRow& row : *section) {
                            std::string text;
                            for (std::size_t c = 0; c < row.cells.size(); ++c) {
                                if (c > 0) text += " | ";
                                for (const Block& b : row.cells[c].content) text += plain_text(b);
                            }
                            std::replace(text.begin(), text.end(), '\n', ' ');
                            paragraph(Inlines{Text{text}}, ctx);
                        }
                }
            },
            block.node);
    }

    void paragraph(const Inlines& content, const Context& ctx) {
        TextStyle s = st(ctx.text);
        // Chinese and Japanese text wants more room between lines than Latin text: its
        // characters fill the whole em, with no ascenders or descenders to space them.
        if (is_cjk_language(language_)) s.leading = std::max(s.leading, kCjkLeading * s.size);
        const float width = style_.measure() - ctx.left - ctx.right;
        // Books indent paragraphs that follow a paragraph; CJK text indents every one, as
        // Chinese (two characters) and Japanese (one, JIS X 4051) typesetting do.
        float indent = 0;
        if (s.indent > 0 && ctx.list_depth == 0) {
            if (language_.starts_with("ja")) indent = s.size;
            else if (is_cjk_language(language_)) indent = 2 * s.size;
            else if (previous_was_paragraph_) indent = s.indent;
        }
        space(s.margin_top);
        std::vector<Line> set_lines = set(spans_of(content, s), s, width, indent, s.align, true);
        float x = start_of(set_lines, ctx);
        lines(std::move(set_lines), s, x, false, false);
        space(s.margin_bottom);
        previous_was_paragraph_ = true;
    }

    void list(const List& n, const Context& ctx) {
        const TextStyle& li = st(Element::li);
        const TextStyle& body = st(ctx.text);
        Context inner = ctx;
        inner.left += li.margin_left;
        inner.list_depth += 1;
        space(li.margin_top);
        int number = n.start;
        for (const Blocks& item : n.items) {
            std::string marker = n.ordered ? std::to_string(number++) + "." : (ctx.list_depth % 2 ? "\u2013" : "\u2022");
            std::size_t first = flow_.size();
            previous_was_paragraph_ = false;
            if (item.empty()) {
                Inlines none;
                paragraph(none, inner);
            }
            blocks(item, inner);
            // The marker hangs in the indent, on the item's first line.
            for (std::size_t i = first; i < flow_.size(); ++i) {
                if (flow_[i].kind != FlowItem::Kind::line) continue;
                std::vector<Line> m = set(spans_of(marker, body), body, li.margin_left * 4, 0, Align::left, false);
                if (m.empty() || m[0].fragments.empty()) break;
                Line& line = flow_[i].line;
                float marker_width = m[0].width;
                // In the indent: at the left, or right of a right-to-left item's text.
                float shift = line.right_to_left
                                  ? style_.measure() - inner.left - inner.right + kMarkerGapEm * body.size
                                  : -marker_width - kMarkerGapEm * body.size;
                for (Fragment& f : m[0].fragments) {
                    f.x += shift;
                    line.fragments.insert(line.fragments.begin(), std::move(f));
                }
                break;
            }
            if (!n.tight) space(body.leading * 0.5f);
            else space(li.margin_bottom);
        }
        previous_was_paragraph_ = false;
    }

    void code_block(const CodeBlock& n, const Context& ctx) {
        const TextStyle& pre = st(Element::pre);
        const float left = ctx.left + pre.margin_left;
        const float width = style_.measure() - left - ctx.right;
        space(pre.margin_top);
        std::string_view rest = n.text;
        const FontId mono = font(pre, false, false);
        const float space_width = fonts_.advance(mono, ' ') * pre.size;
        bool first = true;
        while (true) {
            std::size_t nl = rest.find('\n');
            std::string_view source_line = rest.substr(0, nl);
            std::size_t lead = 0;
            int columns = 0;
            while (lead < source_line.size() && (source_line[lead] == ' ' || source_line[lead] == '\t')) {
                columns += source_line[lead] == '\t' ? 4 - columns % 4 : 1;
                ++lead;
            }
            std::string_view body = source_line.substr(lead);
            float indent = std::min(columns * space_width, width / 2);
            std::vector<Line> set_lines;
            if (!body.empty()) set_lines = set(spans_of(body, pre), pre, width, indent, Align::left, false);
            if (set_lines.empty()) set_lines.emplace_back();  // a blank line keeps its height
            std::size_t before = flow_.size();
            lines(std::move(set_lines), pre, left, false, false);
            // Lines of code break anywhere between source lines; the first stays with
            // the block's top.
            if (!first && before < flow_.size()) flow_[before].break_before = true;
            first = false;
            if (nl == std::string_view::npos) break;
            rest = rest.substr(nl + 1);
        }
        space(pre.margin_bottom);
        previous_was_paragraph_ = false;
    }

    void contents() {
        chapter_ = -1;
        const TextStyle& toc = st(Element::toc);
        const TextStyle& h = st(Element::h1);
        const float width = style_.measure();
        lines(set(spans_of("Contents", h), h, width, 0, Align::left, false), h, 0, true, true);
        space(h.margin_bottom);
        for (std::size_t c = 0; c < toc_entries_.size(); ++c) {
            const TextStyle& s = st(Element::toc_chapter);
            space(s.margin_top);
            std::vector<Line> set_lines = set(spans_of(outline_[static_cast<std::size_t>(toc_entries_[c])].title, s),
                                              s, width - kTocNumberEm * s.size, 0, Align::left, false);
            std::size_t first = flow_.size();
            lines(std::move(set_lines), s, 0, true, false);
            for (std::size_t i = first; i < flow_.size(); ++i) flow_[i].toc_target = toc_entries_[c];
            // Its sections, indented.
            int next = c + 1 < toc_entries_.size() ? toc_entries_[c + 1] : static_cast<int>(outline_.size());
            int top = 99;  // the chapter's highest heading level: its sections
            for (int e = toc_entries_[c] + 1; e < next; ++e)
                top = std::min(top, outline_[static_cast<std::size_t>(e)].level);
            for (int e = toc_entries_[c] + 1; e < next; ++e) {
                if (outline_[static_cast<std::size_t>(e)].level != top) continue;
                std::vector<Line> sub = set(spans_of(outline_[static_cast<std::size_t>(e)].title, toc), toc,
                                            width - kTocNumberEm * toc.size - 1.5f * toc.size, 0, Align::left, false);
                space(toc.margin_top);
                first = flow_.size();
                lines(std::move(sub), toc, 1.5f * toc.size, true, false);
                for (std::size_t i = first; i < flow_.size(); ++i) flow_[i].toc_target = e;
            }
        }
    }

    // -------------------------------------------------------------------- pagination

    std::vector<PageRange> paginate(const std::vector<FlowItem>& flow) const {
        std::vector<PageRange> pages;
        const float capacity = text_height();
        std::size_t start = 0;
        while (start < flow.size()) {
            // Spaces and page breaks at a page's top are dropped.
            while (start < flow.size() && ((flow[start].kind == FlowItem::Kind::space && !flow[start].keep_at_top) ||
                                           flow[start].kind == FlowItem::Kind::page_break))
                ++start;
            if (start >= flow.size()) break;
            float y = 0;
            std::size_t last_break = start;  // the last allowed break after start, or start
            std::size_t i = start;
            std::size_t end = flow.size();
            for (; i < flow.size(); ++i) {
                const FlowItem& item = flow[i];
                if (item.kind == FlowItem::Kind::page_break) {
                    end = i;
                    break;
                }
                if (i > start && item.break_before) last_break = i;
                if (y + item.height > capacity + 0.01f && i > start) {
                    // Back to the last allowed break; none on this page: break here.
                    end = last_break > start ? last_break : i;
                    break;
                }
                y += item.height;
            }
            if (i == flow.size()) end = flow.size();
            pages.push_back({start, end});
            start = end;
        }
        return pages;
    }

    // ----------------------------------------------------------------------- emission

    Layout begin_layout(const Meta& meta, std::string_view title) const {
        Layout layout;
        layout.page_width = style_.paper.width;
        layout.page_height = style_.paper.height;
        layout.language = meta.language;
        layout.info.title = std::string(title);
        for (const std::string& a : meta.authors) layout.info.author += (layout.info.author.empty() ? "" : ", ") + a;
        layout.info.subject = meta.subtitle;
        layout.info.creator = options_.creator;
        return layout;
    }

    void emit(std::vector<FlowItem>& flow, PageRange range, Layout& layout, std::size_t page_index) {
        check_deadline();  // --timeout (dconv/limits.hpp)
        Page& page = layout.pages[page_index];
        const float top = style_.paper.height - style_.margin_top;
        float y = 0;
        if (page_chapter_.size() < layout.pages.size()) {
            page_chapter_.resize(layout.pages.size(), -1);
            page_chapter_starts_.resize(layout.pages.size(), false);
        }
        for (std::size_t i = range.begin; i < range.end; ++i) {
            FlowItem& item = flow[i];
            if (i == range.begin) page_chapter_[page_index] = item.chapter;
            if (item.chapter_start) page_chapter_starts_[page_index] = true;
            if (item.kind == FlowItem::Kind::line) {
                float size = item.line.size > 0 ? item.line.size : item.height / 1.2f;
                float baseline = top - y - (item.height - size) / 2 - kAscentShare * size;
                float left = style_.margin_left + item.x;
                if (item.outline >= 0) {
                    OutlineEntry& entry = outline_[static_cast<std::size_t>(item.outline)];
                    entry.page = static_cast<int>(page_index);
                    entry.top = top - y + 2;
                }
                for (Fragment& f : item.line.fragments) {
                    if (f.link >= 0 && static_cast<std::size_t>(f.link) < urls_.size()) {
                        Rect rect{left + f.x, baseline - kDescentShare * f.size, left + f.x + f.width,
                                  baseline + kAscentShare * f.size};
                        const std::string& uri = urls_[static_cast<std::size_t>(f.link)];
                        // The words of one link on one line make one area, not one each.
                        if (!page.links.empty() && page.links.back().uri == uri &&
                            page.links.back().rect.bottom == rect.bottom && page.links.back().rect.right <= rect.left) {
                            page.links.back().rect.right = rect.right;
                            page.links.back().rect.top = std::max(page.links.back().rect.top, rect.top);
                        } else {
                            LinkArea link;
                            link.rect = rect;
                            link.uri = uri;
                            page.links.push_back(std::move(link));
                        }
                    }
                    float x = left + f.x;
                    page.runs.push_back(glyph_run(std::move(f), x, baseline));
                }
                // A contents entry's number goes on its last line.
                if (item.toc_target >= 0 && (i + 1 >= flow.size() || flow[i + 1].toc_target != item.toc_target))
                    toc_number(item, page, left, baseline, top - y);
            } else if (item.kind == FlowItem::Kind::rule) {
                Rule r;
                r.x1 = style_.margin_left + item.x;
                r.x2 = r.x1 + item.width;
                r.y1 = r.y2 = top - y - item.height / 2;
                r.width = 0.4f;
                r.color = item.color;
                page.rules.push_back(r);
            }
            y += item.height;
        }
    }

    // The page number of a contents line, at the right edge, and a link over the line.
    void toc_number(const FlowItem& item, Page& page, float left, float baseline, float line_top) {
        const OutlineEntry& target = outline_[static_cast<std::size_t>(item.toc_target)];
        const TextStyle& s = st(Element::toc);
        std::string number = std::to_string(target.page + 1);
        std::vector<Line> set_number = set(spans_of(number, s), s, kTocNumberEm * s.size, 0, Align::right, false);
        float right = style_.margin_left + style_.measure();
        if (!set_number.empty())
            for (Fragment& f : set_number[0].fragments) {
                float x = right - kTocNumberEm * s.size + f.x;
                page.runs.push_back(glyph_run(std::move(f), x, baseline));
            }
        LinkArea link;
        link.rect = {left, line_top - item.height, right, line_top};
        link.dest_page = target.page;
        link.dest_top = target.top;
        page.links.push_back(std::move(link));
    }

    // Running headers (the title, or the chapter's) and page numbers. The first page of
    // a document or chapter has no header; pages before `first_numbered` (a book's title
    // page) have neither.
    void running_heads(Layout& layout, std::size_t first_numbered, std::string_view title) {
        const TextStyle& head = st(Element::running_header);
        const TextStyle& number = st(Element::page_number);
        const float width = style_.measure();
        page_chapter_.resize(layout.pages.size(), -1);
        page_chapter_starts_.resize(layout.pages.size(), false);
        std::vector<Line> title_line;
        if (!title.empty()) title_line = set(spans_of(title, head), head, width, 0, head.align, false);
        std::vector<std::vector<Line>> chapter_lines(chapter_titles_.size());
        for (std::size_t p = 0; p < layout.pages.size(); ++p) {
            Page& page = layout.pages[p];
            if (p < first_numbered) continue;
            std::vector<Line> numbers = set(spans_of(std::to_string(p + 1), number), number, width, 0, number.align, false);
            float y = style_.margin_bottom * (1 - kFooterShare);
            place(numbers, page, y);
            bool first_of_document = p == 0 || (!chapter_titles_.empty() && p == first_numbered);
            if (first_of_document || page_chapter_starts_[p]) continue;
            const std::vector<Line>* header = &title_line;
            int c = page_chapter_[p];
            if (c >= 0 && static_cast<std::size_t>(c) < chapter_titles_.size()) {
                auto& lines_c = chapter_lines[static_cast<std::size_t>(c)];
                if (lines_c.empty())
                    lines_c = set(spans_of(chapter_titles_[static_cast<std::size_t>(c)], head), head, width, 0,
                                  head.align, false);
                header = &lines_c;
            }
            place(*header, page, style_.paper.height - style_.margin_top * kHeaderShare);
        }
    }

    // Draws the first line of `set_lines` with its baseline at y (one line only: a
    // running header never wraps; a long title is cut with an ellipsis).
    void place(const std::vector<Line>& set_lines, Page& page, float y) {
        if (set_lines.empty()) return;
        float end = style_.margin_left;
        for (const Fragment& f : set_lines[0].fragments) {
            page.runs.push_back(glyph_run(f, style_.margin_left + f.x, y));
            end = std::max(end, style_.margin_left + f.x + f.width);
        }
        if (set_lines.size() > 1 && !page.runs.empty()) {
            // The rest is cut: an ellipsis after the first line (which may end in a hyphen,
            // drawn as part of the cut).
            const TextStyle& head = st(Element::running_header);
            std::vector<Line> ellipsis = set(spans_of("\u2026", head), head, style_.measure(), 0, Align::left, false);
            if (!ellipsis.empty())
                for (const Fragment& f : ellipsis[0].fragments) page.runs.push_back(glyph_run(f, end + f.x, y));
        }
    }

    void finish(Layout& layout) {
        report.pages = layout.pages.size();
        layout.outline = std::move(outline_);
    }

    const TypesetOptions& options_;
    const PrintStyle& style_;
    const FontTable& fonts_;
    const Hyphenator* hyphenator_ = nullptr;
    std::string language_;
    std::vector<FlowItem> flow_;
    std::vector<OutlineEntry> outline_;
    std::vector<std::string> urls_;
    std::vector<std::string> chapter_titles_;
    std::vector<int> toc_entries_;
    std::vector<int> page_chapter_;
    std::vector<bool> page_chapter_starts_;
    int chapter_ = -1;
    int outline_shift_ = 0;
    bool keep_next_ = false;
    bool previous_was_paragraph_ = false;
    bool title_page_ = false;  // setting a book's title page
};

}  // namespace

Layout typeset(const Document& doc, const TypesetOptions& options, TypesetReport* report) {
    Typesetter t(options);
    Layout layout = t.document(doc);
    if (report) *report = t.report;
    return layout;
}

Layout typeset(const Book& book, const TypesetOptions& options, TypesetReport* report) {
    Typesetter t(options);
    Layout layout = t.book(book);
    if (report) *report = t.report;
    return layout;
}

}  // namespace dconv::pdf
