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
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/date_time.hpp"
#include "core/language_tags.hpp"
#include "core/smart_quotes.hpp"
#include "core/text.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/model.hpp"
#include "dconv/resources.hpp"
#include "pdf/hyphenate.hpp"
#include "pdf/paragraph.hpp"
#include "pdf/table_layout.hpp"
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
// A code block of this many source lines or fewer is never broken across pages (a
// two-line function split over two pages reads as two fragments); a longer one breaks
// between source lines, leaving kMinLinesAtBreak of them at either side, as paragraphs do.
constexpr std::size_t kMaxUnbrokenCodeLines = 6;
// A paragraph of more text than this is set a piece at a time, each piece's lines drawn
// as the pages fill: the line breaker's items and the set lines cost some 90 bytes per
// byte of text, so a page-long paragraph of one 20 MB line peaked at 1.5 GB set whole.
// A piece ends at a sentence's end where one is near (its last line is then as short as
// a paragraph's), else at a space, else between characters (CJK text, one huge word).
// 32 KiB is some 80 lines: real paragraphs are set whole, as before.
constexpr std::size_t kMaxParagraphPieceBytes = 32 * 1024;
// The list marker's gap from the item's text.
constexpr float kMarkerGapEm = 0.5f;
// A list's marker hangs left of its item's text up to this many of the list's indents
// wide (into the page's margin at the top level); a longer one widens the indent.
constexpr float kMarkerRoomIndents = 4.0f;
// Quotes, lists and code blocks indent their text no further once its column would fall
// under this share of the measure: deeper levels share the last indent. Nesting is
// allowed 64 deep (kMaxNesting, dconv/limits.hpp) while some 20 indents fill an A4
// measure and 8 an A5 one; past that the column had no room for a word, and the line
// breaker cut words to letters or set nothing at all.
constexpr float kMinColumnShare = 0.6f;
// A thematic break's rule is this share of the measure, centred.
constexpr float kRuleShare = 0.25f;
// The running header and the page number sit this share of the top and bottom margins
// from the text block.
constexpr float kHeaderShare = 0.45f;
constexpr float kFooterShare = 0.5f;
// The table of contents leaves this many ems on the right for page numbers.
constexpr float kTocNumberEm = 3.0f;
// Each level of sections in it is indented this many ems more than its parent. Headings
// nest at most 6 deep (levels are clamped to h1-h6), 9 ems: the text keeps most of the
// measure.
constexpr float kTocIndentEm = 1.5f;
// Its dot leaders: a dot every half em, half an em clear of the text and the number
// column, and none shorter than three dots.
constexpr float kLeaderPitchEm = 0.5f;
constexpr float kLeaderGapEm = 0.5f;
constexpr int kMinLeaderDots = 3;
// A heading is balanced by halving the measure's range this many times (1/256 of it).
constexpr int kBalanceSteps = 8;
// The space between Han or kana and a Latin letter or digit against it, when the style
// asks for it (TextStyle::autospace): a quarter em, as JLREQ and the Chinese layout
// requirements (clreq) give it.
constexpr float kAutospaceEm = 0.25f;
// The book's title page starts its title this share of the way down the text block.
constexpr float kTitlePageDrop = 0.28f;
// ...in a size this much larger than a chapter's title, centred.
constexpr float kTitlePageScale = 1.3f;

// The least leading of Chinese and Japanese body text, times the size (CSS's
// line-height of 1.5-1.8 is usual for CJK pages).
constexpr float kCjkLeading = 1.6f;

// Superscript and subscript: type this share of the surrounding size, its baseline
// raised (lowered) by this share of the surrounding size.
constexpr float kScriptScale = 0.7f;
constexpr float kSuperscriptRise = 0.33f;
constexpr float kSubscriptDrop = 0.15f;
// A strikeout's line: this share of the size above the baseline (about half the x-height
// of the Liberation faces), this share of the size thick.
constexpr float kStrikeHeight = 0.27f;
constexpr float kStrikeWidth = 0.055f;

// Images: a CSS pixel is 0.75 pt; an image is never drawn larger than this many times
// its pixel size (a small picture enlarged to the measure would only show its pixels).
constexpr float kPointsPerPixel = 0.75f;
constexpr float kMaxImageUpscale = 2.0f;
// An image inside running text is scaled to the line: at most this many ems of its
// text's size tall (the text's own height, ascender to descender), so that it leaves the
// leading as it is; never wider than the measure.
constexpr float kInlineImageEm = 1.0f;
// Only an image about icon-sized is drawn in the line: at most this many ems of its
// text's size tall at its natural size (kPointsPerPixel; a 32-pixel icon is 24 pt, 2.1
// ems of 11.5 pt text). A larger one (a photograph in a paragraph with its credit)
// would be shrunk to a thumbnail: it is its alt text, as an image PDF cannot draw is.
// Images in table cells are scaled to their column instead.
constexpr float kMaxInlineImageEm = 2.5f;
// An image in a table cell is scaled to its column's width (never enlarged), and is at
// most this share of the page's text block tall (a row must fit on a page, header too).
constexpr float kMaxCellImageShare = 0.25f;
// The narrowest a column is made for the images in it (they scale down to it), unless
// the image is narrower: about an inch, a thumbnail still recognisable.
constexpr float kMinCellImageWidth = 72.0f;
// An inline object is never narrower or flatter than this, whatever its shape (a
// 10,000 by 1 pixel image is drawn as a hairline, not as nothing).
constexpr float kMinObjectPoints = 0.5f;
// Above and below an inline image that makes its line taller: this share of the text's
// size in all (the image does not touch the lines around it).
constexpr float kObjectPadEm = 0.3f;
// Images shown as alt text are named in the warning up to this many.
constexpr std::size_t kMaxNamedImages = 5;

// Tables: the gap between columns and the padding above and below a row's text, in ems
// of the cells' type; booktabs' rule widths (top and bottom heavier than the one under
// the header).
constexpr float kColumnGapEm = 1.0f;
// A cell is set a hair wider than its column: a column as wide as its longest word was
// measured by summing the word's advances in floats, and the same word, set again at that
// width, must not come out wider in the last bits and be broken between its letters. A
// thousandth of a point shows nowhere.
constexpr float kCellWidthSlack = 0.001f;
constexpr float kRowPaddingEm = 0.25f;
constexpr float kHeavyRule = 0.8f;
constexpr float kLightRule = 0.45f;
// A table wider than the measure is set in smaller type, down to this share of the
// cells' size; below that its columns are cut and long words break inside.
constexpr float kMinTableScale = 0.7f;
// Measuring a cell's widest line: a width nothing reaches.
constexpr float kUnboundedWidth = 1e6f;

// Footnotes: the space above the separator rule, the rule's length as a share of the
// measure, and the space under it; the share of a page that the lines of a note carried
// over from earlier pages may take before the text (TeX's \dimen of an insert).
constexpr float kMaxCarriedFootShare = 0.5f;
constexpr float kFootnoteSkip = 10.0f;
constexpr float kFootnoteRuleShare = 0.3f;
constexpr float kFootnoteRuleGap = 4.0f;

// ------------------------------------------------------------------------------ flow

// A piece laid out whole and drawn as one unit of the flow: an image, a table's row (or
// rows joined by row spans), a table's header. Positions are from the left margin and
// down from the box's top.
struct Box {
    struct PlacedLine {
        Line line;
        float x = 0;
        float baseline = 0;
    };
    struct BoxRule {
        float x1 = 0, x2 = 0, y = 0, width = 0.5f;
        Color color;
    };
    struct BoxImage {
        float x = 0, y = 0, width = 0, height = 0;
        std::shared_ptr<const Resource> resource;
    };
    std::vector<PlacedLine> lines;
    std::vector<BoxRule> rules;
    std::vector<BoxImage> images;
    float height = 0;
};

// What a span's `link` index names in the typesetter: a link's URL, and the drawing of
// struck, raised and lowered text (the paragraph breaker carries the index through to
// the fragments, so inline decorations need nothing of it).
struct SpanMark {
    std::string url;      // empty: not a link
    bool strike = false;
    float rise = 0;       // baseline shift, in ems of the fragment's own size
    int note = -1;        // a footnote's marker: the note's index
};

// A line of the footnotes.
struct FootLine {
    Line line;
    float height = 0;    // with the space above a note's first line
    float baseline = 0;  // down from the line's top
};

struct FlowItem {
    enum class Kind { line, space, rule, page_break, box };
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
    std::shared_ptr<const Box> box;  // Kind::box
    int repeat = -1;  // a table's body row: the header drawn again above it atop a page
    // The footnotes referenced here, [note_begin, note_end) of the typesetter's notes.
    int note_begin = 0, note_end = 0;
};

// A page's items, [begin, end) of a flow, and its footnote lines [foot_begin, foot_end).
struct PageRange {
    std::size_t begin = 0, end = 0;
    std::size_t foot_begin = 0, foot_end = 0;
};

// Where pagination of a flow stands: the first item of the next page, the first foot
// line not yet placed, and the end of the foot lines earlier pages wanted.
struct Pagination {
    std::size_t start = 0, foot = 0, carried = 0;
};

// A flow of items, indexed from its first item ever: the items of pages already drawn
// are dropped (drop_before) while the indices of the others stay as they were, so that a
// long document's flow holds only the items of the pages still being filled.
class Flow {
public:
    std::size_t size() const { return first_ + items_.size(); }  // one past the last index
    bool empty() const { return items_.empty(); }
    FlowItem& operator[](std::size_t i) { return items_[i - first_]; }
    const FlowItem& operator[](std::size_t i) const { return items_[i - first_]; }
    FlowItem& back() { return items_.back(); }
    void push_back(FlowItem&& item) { items_.push_back(std::move(item)); }

    // Forgets the items before `index`. Their storage is reclaimed once they are at least
    // half of it, so that each item is moved at most once on average.
    void drop_before(std::size_t index) {
        if (index <= first_) return;
        std::size_t count = std::min(index, size()) - first_;
        for (std::size_t i = dropped_; i < count; ++i) items_[i] = FlowItem();  // free its lines now
        dropped_ = std::max(dropped_, count);
        if (dropped_ * 2 >= items_.size() && dropped_ >= kCompactAfter) {
            items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(dropped_));
            first_ += dropped_;
            dropped_ = 0;
        }
    }

private:
    static constexpr std::size_t kCompactAfter = 256;
    std::vector<FlowItem> items_;
    std::size_t first_ = 0;    // the index of items_[0]
    std::size_t dropped_ = 0;  // items_[0, dropped_) are dropped, not yet erased
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

// Hands out a paragraph's spans a piece of about `budget` bytes at a time (see
// kMaxParagraphPieceBytes), in order, every byte once: the pieces joined are the spans.
class SpanPieces {
public:
    explicit SpanPieces(const std::vector<Span>& spans) : spans_(spans) {}
    bool done() const { return span_ == spans_.size(); }

    std::vector<Span> next(std::size_t budget) {
        std::vector<Span> out;
        std::size_t taken = 0;
        while (span_ < spans_.size()) {
            const Span& s = spans_[span_];
            const std::size_t left = s.text.size() - at_;
            if (s.object >= 0 && taken + left > budget) {  // an inline object is not cut
                if (out.empty()) {
                    out.push_back(s);
                    ++span_;
                    at_ = 0;
                }
                break;
            }
            if (taken + left <= budget) {
                out.push_back(part(s, at_, s.text.size()));
                taken += left;
                ++span_;
                at_ = 0;
                continue;
            }
            const std::size_t cut = cut_in(s, at_ + (budget - taken), out.empty());
            if (cut == std::string::npos) break;  // the piece ends where this span starts
            out.push_back(part(s, at_, cut));
            at_ = cut;
            if (at_ == s.text.size()) {
                ++span_;
                at_ = 0;
            }
            break;
        }
        return out;
    }

private:
    static Span part(const Span& s, std::size_t from, std::size_t to) {
        Span out;
        out.text.assign(s.text, from, to - from);
        out.font = s.font;
        out.size = s.size;
        out.color = s.color;
        out.link = s.link;
        out.breakable = s.breakable;
        out.object = s.object;
        out.object_width = s.object_width;
        out.object_height = s.object_height;
        return out;
    }
    static bool is_break(const Span& s, char c) { return c == '\n' || (c == ' ' && s.breakable); }

    // Where to end a piece inside `s` (an offset past at_, after a space or a line break)
    // for a piece that would end at `limit`: after a sentence in the budget's last half,
    // else after the last space in it. Else, when nothing precedes in the piece (`must`),
    // at the first space after `limit` within another budget, else between characters;
    // when something does, npos: the piece ends before `s`.
    std::size_t cut_in(const Span& s, std::size_t limit, bool must) const {
        const std::string& t = s.text;
        const std::size_t half = at_ + (limit - at_) / 2;
        std::size_t space = std::string::npos;
        for (std::size_t i = limit; i > at_; --i) {
            const char c = t[i - 1];
            if (!is_break(s, c)) continue;
            if (space == std::string::npos) space = i;
            if (i - 1 < half) break;
            if (i >= 2 && (t[i - 2] == '.' || t[i - 2] == '!' || t[i - 2] == '?')) return i;
        }
        if (space != std::string::npos) return space;
        if (!must) return std::string::npos;
        const std::size_t far = std::min(t.size(), limit + (limit - at_));
        for (std::size_t i = limit; i < far; ++i)
            if (is_break(s, t[i])) return i + 1;
        std::size_t i = std::min(limit, t.size());
        while (i > at_ + 1 && i < t.size() && (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80) --i;
        while (i < t.size() && (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80) ++i;
        return std::max(i, at_ + 1);
    }

    const std::vector<Span>& spans_;
    std::size_t span_ = 0, at_ = 0;
};

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

    // Each page goes to `sink` as soon as it is set: see typeset.hpp.
    Layout document(const Document& doc, const PageSink& sink) {
        sink_ = &sink;
        quotes_language_ = doc.meta.language;
        const Meta meta = quoted(doc.meta);
        start_chapter(meta, -1);
        chapter_blocks_ = &doc.blocks;
        resources_ = &doc.resources;
        heads_language_ = meta.language;
        set_running_title(meta.title);
        streaming_ = true;
        title_block(meta, meta.title);
        top_blocks(doc.blocks);
        pump(true);
        if (pages_emitted_ == 0) {  // an empty document still has a page
            Page page;
            running_head(page, 0, PageMark{});
            deliver(0, std::move(page));
            pages_emitted_ = 1;
        }
        // Without a title, the first heading names the file in a viewer's title bar, as
        // it names the EPUB (dc:title) and the HTML page (<title>)
        Layout layout = begin_layout(meta, meta.title.empty() ? quoted_chapter_title(doc, meta, "") : meta.title);
        finish(layout, pages_emitted_);
        return layout;
    }

    // The title page and the contents are set first: the contents' length is known from
    // the book's headings before the body is set (outline_entries() finds them as block()
    // does), and their page numbers are filled in once the body is drawn, on the pages
    // kept for them.
    Layout book(const Book& book, const PageSink& sink) {
        sink_ = &sink;
        // The language the book ends in sets the contents and the running heads, as it
        // did when they were set after the body.
        heads_language_ = book.chapters.empty() ? book.meta.language : book.chapters.back().meta.language;

        // Front: the title page.
        quotes_language_ = book.meta.language;
        const Meta book_meta = quoted(book.meta);
        start_chapter(book_meta, -1);
        space(kTitlePageDrop * text_height());
        flow_.back().keep_at_top = true;
        title_page_ = true;
        title_block(book_meta, book_meta.title.empty() ? "Untitled" : book_meta.title);
        title_page_ = false;
        Flow front;
        std::swap(flow_, front);
        const bool keep_next = keep_next_;

        // Contents: one line per chapter and one per heading under it (its bookmarks), numbers filled in at emission.
        std::vector<Meta> chapter_metas;
        for (std::size_t c = 0; c < book.chapters.size(); ++c) {
            const Document& chapter = book.chapters[c];
            quotes_language_ = chapter.meta.language.empty() ? book.meta.language : chapter.meta.language;
            chapter_metas.push_back(quoted(chapter.meta));
            chapter_titles_.push_back(quoted_chapter_title(chapter, chapter_metas.back(), "Chapter " + std::to_string(c + 1)));
            toc_entries_.push_back(add_outline(chapter_titles_.back(), 1));
            outline_entries(chapter.blocks, 1);
        }
        const std::string language = language_;
        language_ = heads_language_;
        contents();
        language_ = language;
        Flow toc;
        std::swap(flow_, toc);
        std::vector<OutlineEntry> expected_outline;
        std::swap(outline_, expected_outline);
        std::vector<PageRange> front_pages = paginate(front, false), toc_pages = paginate(toc, false);
        first_numbered_ = front_pages.size();
        for (std::size_t p = 0; p < front_pages.size(); ++p) {
            Page page;
            emit(front, front_pages[p], page, p);
            deliver(p, std::move(page));  // before first_numbered_: no running head
        }

        // Body: the chapters, each from a new page, its title a first-level bookmark.
        keep_next_ = keep_next;
        set_running_title(book_meta.title);
        page_base_ = front_pages.size() + toc_pages.size();
        streaming_ = true;
        for (std::size_t c = 0; c < book.chapters.size(); ++c) {
            const Document& chapter = book.chapters[c];
            resources_ = &chapter.resources;
            quotes_language_ = chapter.meta.language.empty() ? book.meta.language : chapter.meta.language;
            if (c > 0) page_break();
            start_chapter(chapter_metas[c], static_cast<int>(c));
            chapter_source_ = book.chapters[c].meta.source;  // unquoted, as the input was named
            chapter_blocks_ = &book.chapters[c].blocks;
            int entry = add_outline(chapter_titles_[c], 1);
            std::size_t first = flow_.size();
            title_block(chapter_metas[c], chapter_titles_[c]);
            if (first < flow_.size()) flow_[first].chapter_start = true;
            for (std::size_t i = first; i < flow_.size(); ++i)
                if (flow_[i].kind == FlowItem::Kind::line) {
                    flow_[i].outline = entry;
                    break;
                }
            outline_shift_ = 1;
            top_blocks(chapter.blocks);
            outline_shift_ = 0;
        }
        pump(true);
        streaming_ = false;
        check_outline(expected_outline);

        // The contents go after the body is placed: their numbers are its pages.
        language_ = heads_language_;
        for (std::size_t p = 0; p < toc_pages.size(); ++p) {
            Page page;
            std::size_t index = front_pages.size() + p;
            PageMark mark = emit(toc, toc_pages[p], page, index);
            running_head(page, index, mark);
            deliver(index, std::move(page));
        }
        Layout layout = begin_layout(book_meta, book_meta.title);
        // The outline lists chapters in reading order; "Contents" is not a heading.
        finish(layout, std::max<std::size_t>(page_base_ + pages_emitted_, 1));
        return layout;
    }

    TypesetReport report;

private:
    struct Context {
        float left = 0, right = 0;          // indents from the margins
        Element text = Element::body;       // the style of paragraphs here
        int list_depth = 0;
    };

    // `ctx` indented by `left` and `right` more, as far as the text column keeps
    // kMinColumnShare of the measure: a deeper indent is shortened in proportion, so
    // that deeper levels share the last indent and never lose their text.
    Context indented(const Context& ctx, float left, float right) const {
        Context inner = ctx;
        const float room = (1 - kMinColumnShare) * style_.measure() - ctx.left - ctx.right;
        const float wanted = left + right;
        const float scale = wanted > 0 && wanted > room ? std::max(room, 0.0f) / wanted : 1.0f;
        inner.left += left * scale;
        inner.right += right * scale;
        return inner;
    }

    // ------------------------------------------------------------------ styles, fonts

    const TextStyle& st(Element e) const { return style_[e]; }
    float text_height() const { return style_.paper.height - style_.margin_top - style_.margin_bottom; }

    // The face of a style, in the language of the text (its CJK forms, fonts.hpp).
    FontId font(const TextStyle& s, bool bold, bool italic) const {
        return fonts_.for_language(options_.faces.get(s.family, bold, italic), language_);
    }

    void start_chapter(const Meta& meta, int chapter) {
        chapter_ = chapter;
        chapter_source_.clear();  // a book's chapter sets it after
        language_ = meta.language;
        // The dictionary is loaded when a paragraph first needs it (ParagraphStyle).
        hyphenation_language_ = meta.language.empty() ? std::string("en") : meta.language;
        previous_was_paragraph_ = false;
        note_numbers_ = {};  // notes are numbered by chapter
    }

    // -------------------------------------------------------------- inlines to spans

    struct SpanState {
        const TextStyle* base;
        bool bold, italic, code;
        int link;          // index into marks_, or -1
        float scale = 1;   // of the base size (superscripts, a shrunk table)
    };

    // A new mark: the current one (if any) changed by `change`.
    template <class Change>
    int derive_mark(int current, Change&& change) {
        SpanMark mark = current >= 0 ? marks_[static_cast<std::size_t>(current)] : SpanMark{};
        mark.note = -1;
        change(mark);
        marks_.push_back(std::move(mark));
        return static_cast<int>(marks_.size()) - 1;
    }

    // Raised or lowered, smaller text.
    SpanState script(const SpanState& state, float shift) {
        SpanState s = state;
        s.scale = state.scale * kScriptScale;
        s.link = derive_mark(state.link, [&](SpanMark& m) { m.rise = (m.rise + shift) / kScriptScale; });
        return s;
    }

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
                        if (linkable(n.url)) s.link = derive_mark(state.link, [&](SpanMark& m) { m.url = n.url; });
                        spans(n.children, s, out);
                    } else if constexpr (std::is_same_v<T, LineBreak>) {
                        add_text("\n", state, out);
                    } else if constexpr (std::is_same_v<T, Strikeout>) {
                        SpanState s = state;
                        s.link = derive_mark(state.link, [](SpanMark& m) { m.strike = true; });
                        spans(n.children, s, out);
                    } else if constexpr (std::is_same_v<T, Superscript>) {
                        spans(n.children, script(state, kSuperscriptRise), out);
                    } else if constexpr (std::is_same_v<T, Subscript>) {
                        spans(n.children, script(state, -kSubscriptDrop), out);
                    } else if constexpr (std::is_same_v<T, Image>) {
                        // An image inside running text is drawn in the line (images
                        // standing alone in their paragraph are drawn as blocks, see
                        // paragraph()); one PDF cannot draw is its alt text.
                        if (!add_inline_image(n, state, out)) {
                            count_inline_image(n);
                            add_text(n.alt.empty() ? "[Image]" : "[Image: " + n.alt + "]", state, out);
                        }
                    } else if constexpr (std::is_same_v<T, Note>) {
                        SpanState s = script(state, kSuperscriptRise);
                        // A later reference to a labelled note (Note::label) is its number
                        // again, its text set once, at its first reference.
                        NoteNumbers::Reference ref = note_numbers_.reference(n);
                        // A note cited from notes is numbered here as met, the text's and its
                        // footnotes' in turn, while the Markdown reader put its content at
                        // its first reference in the text-first order other writers number
                        // in: the first reference met may be one without the content.
                        const Note& note = ref.first ? holder(n) : n;
                        if (ref.first && in_note_) cited_notes_.emplace_back(&note, ref.number);  // set after
                        else if (ref.first) marks_[static_cast<std::size_t>(s.link)].note = add_note(note, ref.number);
                        add_text(std::to_string(ref.number), s, out);
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
            span.size = s.base->size * code.size / st(Element::body).size * s.scale;
        } else {
            span.font = font(*s.base, s.bold, s.italic);
            span.size = s.base->size * s.scale;
        }
        span.color = s.link >= 0 && !marks_[static_cast<std::size_t>(s.link)].url.empty() ? st(Element::a).color
                                                                                        : s.base->color;
        span.link = s.link;
        if (!out.empty() && out.back().object < 0 && out.back().font == span.font && out.back().size == span.size &&
            out.back().link == span.link && out.back().color == span.color) {
            out.back().text += t;
            return;
        }
        span.text = std::move(t);
        out.push_back(std::move(span));
    }

    // An image in running text as an inline object: scaled to the line (kInlineImageEm)
    // and to object_room_, its aspect kept. Its size is its pixels' (kPointsPerPixel), or
    // the width the source asks for (Image::Extra::width), as for an image drawn as a
    // block. False, adding nothing, for an image PDF cannot draw (unresolved, SVG, of
    // unknown size) and, outside table cells, for one larger than an icon (kMaxInlineImageEm).
    bool add_inline_image(const Image& image, const SpanState& s, std::vector<Span>& out) {
        if (image.resource.empty() || !resources_) return false;
        auto found = resources_->find(image.resource);
        if (found == resources_->end() || !found->second) return false;
        std::shared_ptr<const Resource> drawn = embeddable(found->second);
        if (!drawn) return false;
        const Resource& r = *drawn;
        float natural_width = static_cast<float>(r.width) * kPointsPerPixel;
        float natural_height = static_cast<float>(r.height) * kPointsPerPixel;
        if (const int asked = image.extra->width; asked > 0) {
            natural_height *= static_cast<float>(asked) * kPointsPerPixel / natural_width;
            natural_width = static_cast<float>(asked) * kPointsPerPixel;
        }
        if (!in_cell_ && natural_height > kMaxInlineImageEm * s.base->size * s.scale) return false;
        Span span;
        span.text = "\uFFFC";
        span.font = font(*s.base, s.bold, s.italic);
        span.size = s.base->size * s.scale;
        span.color = s.base->color;
        span.link = s.link;
        span.object = static_cast<int>(inline_objects_.size());
        const float room = object_room_ > 0 ? object_room_ : style_.measure();
        const float scale = std::min({1.0f, kInlineImageEm * span.size / natural_height, room / natural_width});
        span.object_width = std::max(natural_width * scale, kMinObjectPoints);
        span.object_height = std::max(natural_height * scale, kMinObjectPoints);
        inline_objects_.push_back({std::move(drawn), natural_width, natural_height, span.object_height});
        out.push_back(std::move(span));
        return true;
    }

    // The resource as PDF draws it, or null for one it cannot: JPEG and PNG as they
    // are; GIF and WebP decoded here, once each (an animated one's first frame), and
    // handed to the writer as PNG. SVG, an image of unknown size, one wider or taller
    // than kMaxPdfImageSide (libpng aborts on it) and one that does not decode are
    // null: set as their alt text, which the writer's warning names (the writer left
    // out an image that did not decode, without a word, when it was decoded only as
    // the page was drawn).
    std::shared_ptr<const Resource> embeddable(const std::shared_ptr<const Resource>& r) {
        auto [at, fresh] = embeddable_.try_emplace(r.get());
        if (!fresh) return at->second;
        if (r->width <= 0 || r->height <= 0) return nullptr;
        if (static_cast<std::size_t>(r->width) > kMaxPdfImageSide ||
            static_cast<std::size_t>(r->height) > kMaxPdfImageSide)
            return nullptr;
        if (r->media_type == "image/jpeg" || r->media_type == "image/png") {
            at->second = r;
        } else if (r->media_type == "image/gif" || r->media_type == "image/webp") {
            if (std::optional<std::string> png = image_as_png(*r))
                at->second = std::make_shared<const Resource>(
                    Resource{"image/png", std::move(*png), r->width, r->height, r->origin});
        }
        return at->second;
    }

    // spans_of for text set `room` wide: its inline images no wider.
    std::vector<Span> spans_in(const Inlines& inlines, const TextStyle& s, float room) {
        const float saved = object_room_;
        object_room_ = room;
        std::vector<Span> out = spans_of(inlines, s);
        object_room_ = saved;
        return out;
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

    // A heading of several lines set as evenly as they go, without a lone last word:
    // the narrowest measure (down to half) that keeps its number of lines. Never
    // hyphenated. `used` is the measure chosen.
    std::vector<Line> set_balanced(const std::vector<Span>& spans_in, const TextStyle& s, float width, float& used) {
        // The trials set the same spans: their items are made once while they can be.
        ParagraphMemo memo;
        balancing_ = &memo;
        struct Reset {
            ParagraphMemo*& memo;
            ~Reset() { memo = nullptr; }
        } reset{balancing_};
        std::vector<Line> best = set(spans_in, s, width, 0, s.align, false);
        used = width;
        if (best.size() < 2 || s.align == Align::justify) return best;
        float low = width / 2, high = width;
        for (int step = 0; step < kBalanceSteps; ++step) {
            float middle = (low + high) / 2;
            std::vector<Line> trial = set(spans_in, s, middle, 0, s.align, false, false);
            bool overfull = std::any_of(trial.begin(), trial.end(), [](const Line& l) { return l.overfull; });
            if (trial.size() == best.size() && !overfull) {
                high = middle;
                best = std::move(trial);
            } else {
                low = middle;
            }
        }
        used = high;
        return best;
    }

    // `count`: add what setting met (missing glyphs, hyphens) to the report; a trial
    // setting does not.
    std::vector<Line> set(const std::vector<Span>& spans_in, const TextStyle& s, float width, float indent,
                          Align align, bool hyphenate, bool count = true,
                          Direction direction = Direction::automatic) {
        ParagraphStyle ps;
        ps.width = std::max(width, s.size * 2);
        ps.first_indent = indent;
        ps.align = align;
        ps.direction = direction;
        if (hyphenate && s.hyphenate) ps.hyphenation_language = hyphenation_language_;
        if (s.autospace) ps.autospace_em = kAutospaceEm;
        SetStats stats;
        std::vector<Line> lines;
        if (!language_.starts_with("ja") && std::any_of(spans_in.begin(), spans_in.end(), [](const Span& span) {
                return has_kana(span.text);
            })) {
            // Han beside kana is Japanese, whatever the document's language says (a
            // Chinese page quoting Japanese, a page without a language): Japanese forms.
            std::vector<Span> japanese = spans_in;
            for (Span& span : japanese) span.font = fonts_.for_language(span.font, "ja");
            lines = set_paragraph(japanese, ps, fonts_, &stats, balancing_);
        } else {
            lines = set_paragraph(spans_in, ps, fonts_, &stats, balancing_);
        }
        if (!count) return lines;
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
            const Line& set_line = set_lines[static_cast<std::size_t>(k)];
            item.height = std::max(s.leading, set_line.size * 1.15f);
            if (set_line.object_height > 0)  // an inline image taller than the text (none is, but in cells)
                item.height = std::max(item.height, set_line.object_height + kObjectPadEm * set_line.size);
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
        attach_notes(flow_.size() - static_cast<std::size_t>(n));
    }

    // Gives the notes made since the last call to the items from `first` on: each to the
    // line that shows its marker, those not found (in a box) to the last item.
    void attach_notes(std::size_t first) {
        const int count = static_cast<int>(note_lines_.size());
        if (attached_notes_ == count || flow_.empty()) return;
        for (std::size_t i = first; i < flow_.size(); ++i) {
            FlowItem& item = flow_[i];
            int last = -1;
            for (const Fragment& f : item.line.fragments)
                if (f.link >= 0 && marks_[static_cast<std::size_t>(f.link)].note >= 0)
                    last = std::max(last, marks_[static_cast<std::size_t>(f.link)].note);
            if (last < attached_notes_) continue;
            item.note_begin = attached_notes_;
            item.note_end = attached_notes_ = last + 1;
        }
        if (attached_notes_ < count) {
            FlowItem& item = flow_.back();
            if (item.note_end == 0) item.note_begin = attached_notes_;
            item.note_end = attached_notes_ = count;
        }
    }

    // The reference of a labelled note that holds its content (Note::label), found once
    // per chapter; `n` itself when it has content or no label.
    const Note& holder(const Note& n) {
        if (!n.content.empty() || n.label.empty() || !chapter_blocks_) return n;
        if (holders_for_ != chapter_blocks_) {
            holders_.clear();
            holders_for_ = chapter_blocks_;
            each_inline(*chapter_blocks_, [&](const Inline& in, const Block&) {
                if (const auto* note = std::get_if<Note>(&in.base()); note && !note->label.empty() && !note->content.empty())
                    holders_.try_emplace(note->label, note);
            });
        }
        auto found = holders_.find(n.label);
        return found != holders_.end() ? *found->second : n;
    }

    // A footnote: its text set at the page's foot in the footnote style, after its
    // number; returns its index. The notes it cites (a note in a note) are set after it,
    // as footnotes of the same line, in the order met (a queue, not recursion: a chain of
    // notes each citing the next is as deep as kMaxNoteNesting allows, no deeper).
    int add_note(const Note& n, int number) {
        const int index = set_note(n, number);
        for (std::size_t k = 0; k < cited_notes_.size(); ++k)  // may grow meanwhile
            set_note(*cited_notes_[k].first, cited_notes_[k].second);
        cited_notes_.clear();
        return index;
    }

    int set_note(const Note& n, int number) {
        const TextStyle& fs = st(Element::footnote);
        std::vector<Span> note_spans;
        SpanState base{&fs, fs.bold, fs.italic, false, -1};
        add_text(std::to_string(number), script(base, kSuperscriptRise), note_spans);
        add_text("\u2002", base, note_spans);  // an en space after the number
        if (!in_note_) {
            in_note_ = true;
            bool first = true;
            for (const Block& b : n.content) {
                if (!first) add_text("\n", base, note_spans);
                first = false;
                if (const Inlines* in = inline_content(b)) {
                    spans(*in, base, note_spans);
                } else {
                    std::string text = plain_text(b);
                    std::replace(text.begin(), text.end(), '\n', ' ');
                    add_text(text, base, note_spans);
                }
            }
            in_note_ = false;
        }
        std::vector<Line> set_lines = set(note_spans, fs, style_.measure(), 0, fs.align, true);
        const int index = static_cast<int>(note_lines_.size());
        note_lines_.push_back(foot_lines_.size());
        for (std::size_t k = 0; k < set_lines.size(); ++k) {
            float leading = std::max(fs.leading, set_lines[k].size * 1.15f);
            float above = k == 0 ? fs.margin_top : 0;
            float size = set_lines[k].size > 0 ? set_lines[k].size : fs.size;
            float baseline = above + (leading - size) / 2 + kAscentShare * size;
            foot_lines_.push_back({std::move(set_lines[k]), leading + above, baseline});
        }
        foot_top_.resize(foot_lines_.size() + 1);
        for (std::size_t k = note_lines_.back(); k < foot_lines_.size(); ++k)
            foot_top_[k + 1] = foot_top_[k] + foot_lines_[k].height;
        return index;
    }

    // The first foot line after the notes before `note` (all of them when it is the last).
    std::size_t foot_lines_before(int note) const {
        return static_cast<std::size_t>(note) < note_lines_.size() ? note_lines_[static_cast<std::size_t>(note)]
                                                                  : foot_lines_.size();
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
            int link = derive_mark(-1, [&](SpanMark& m) { m.url = meta.source; });
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

    // ------------------------------------------------------------------ smart quotes

    // `meta`'s title and subtitle, their quotes typographic when asked for.
    Meta quoted(const Meta& meta) const {
        Meta out = meta;
        if (options_.smart_quotes) make_quotes_typographic(out, quotes_language_);
        return out;
    }

    // A chapter's title (chapter_title()) from its quoted title or first heading.
    std::string quoted_chapter_title(const Document& chapter, const Meta& meta, const std::string& fallback) const {
        if (!options_.smart_quotes) return chapter_title(chapter, fallback);
        Document headings;
        headings.meta = meta;
        for (const Block& block : chapter.blocks)
            if (std::holds_alternative<Heading>(block.node)) {
                headings.blocks.push_back(block);
                make_quotes_typographic(headings.blocks.back(), quotes_language_);
            }
        return chapter_title(headings, fallback);
    }

    // A document's (a chapter's) blocks, each made typographic on a copy of its own when
    // asked for: the copy lives while the block is set.
    void top_blocks(const Blocks& list) {
        for (const Block& block : list) {
            if (options_.smart_quotes) {
                Block copy = block;
                make_quotes_typographic(copy, quotes_language_);
                this->block(copy, Context{});
            } else {
                this->block(block, Context{});
            }
            pump(false);
        }
    }

    // After each block, the pages it completed are drawn (pump()).
    void blocks(const Blocks& list, const Context& ctx) {
        for (const Block& block : list) {
            this->block(block, ctx);
            pump(false);
        }
    }

    // The outline entries block() makes for the headings in `list`, in its order (every
    // heading it reaches: in quotes, list items and figures, not in table cells), added
    // without setting anything: a book's contents are set before its body.
    void outline_entries(const Blocks& list, int shift) {
        for (const Block& block : list)
            std::visit(
                [&](const auto& n) {
                    using T = std::decay_t<decltype(n)>;
                    if constexpr (std::is_same_v<T, Heading>) {
                        if (options_.smart_quotes) {
                            Block copy = block;
                            make_quotes_typographic(copy, quotes_language_);
                            add_outline(plain_text(std::get<Heading>(copy.node).content), std::clamp(n.level, 1, 6) + shift);
                        } else {
                            add_outline(plain_text(n.content), std::clamp(n.level, 1, 6) + shift);
                        }
                    } else if constexpr (std::is_same_v<T, BlockQuote>) {
                        outline_entries(n.children, shift);
                    } else if constexpr (std::is_same_v<T, List>) {
                        for (const Blocks& item : n.items) outline_entries(item, shift);
                    } else if constexpr (std::is_same_v<T, DefinitionList>) {
                        for (const DefinitionItem& item : n.items)
                            for (const Blocks& definition : item.definitions) outline_entries(definition, shift);
                    } else if constexpr (std::is_same_v<T, Figure>) {
                        outline_entries(n.content, shift);
                    }
                },
                block.node);
    }

    // The outline the body made must be the one the contents were set from.
    void check_outline(const std::vector<OutlineEntry>& expected) const {
        bool same = expected.size() == outline_.size();
        for (std::size_t i = 0; same && i < expected.size(); ++i)
            same = expected[i].title == outline_[i].title && expected[i].level == outline_[i].level;
        if (!same)
            throw Error(ErrorKind::internal, "", 0,
                        "PDF layout: the contents were set from " + std::to_string(expected.size()) +
                            " headings, the book has " + std::to_string(outline_.size()));
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
                    float used = width;
                    std::vector<Line> set_lines = set_balanced(spans_in(n.content, h, width), h, width, used);
                    // a right-to-left heading set narrower keeps to the right margin
                    float x = start_of(set_lines, ctx);
                    if (!set_lines.empty() && set_lines[0].right_to_left) x += width - used;
                    lines(std::move(set_lines), h, x, true, true, entry);
                    space(h.margin_bottom);
                    previous_was_paragraph_ = false;
                } else if constexpr (std::is_same_v<T, List>) {
                    list(n, ctx);
                } else if constexpr (std::is_same_v<T, BlockQuote>) {
                    const TextStyle& q = st(Element::blockquote);
                    Context inner = indented(ctx, q.margin_left, q.margin_right);
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
                    figure(n, ctx);
                } else if constexpr (std::is_same_v<T, Table>) {
                    table(n, ctx, nullptr);
                } else if constexpr (std::is_same_v<T, DefinitionList>) {
                    definition_list(n, ctx);
                }
            },
            block.node);
    }

    // ---------------------------------------------------------------- images, figures

    // The resource of an image PDF can draw (embeddable), or null: an unresolved image
    // (the resources pass has warned), or one counted here for the writer's warning
    // (SVG is not rasterized; a GIF or WebP that does not decode).
    std::shared_ptr<const Resource> drawable(const Image& image) {
        if (image.resource.empty() || !resources_) return nullptr;
        auto found = resources_->find(image.resource);
        if (found == resources_->end() || !found->second) return nullptr;
        std::shared_ptr<const Resource> drawn = embeddable(found->second);
        if (!drawn) {
            ++report.images_as_text;
            if (report.images_as_text_names.size() < kMaxNamedImages)
                report.images_as_text_names.push_back(image_name(image));
        }
        return drawn;
    }

    // A loaded image set as its alt text inside running text or a table cell, for the
    // writer's warning (an unloaded one has had its warning from the resources pass).
    // A paragraph may be set more than once (measured, then set): each source counts once.
    void count_inline_image(const Image& image) {
        if (!counting_inline_images_ || image.resource.empty() || !resources_) return;
        auto found = resources_->find(image.resource);
        if (found == resources_->end() || !found->second) return;
        if (!inline_images_seen_.insert(image.resource).second) return;
        ++report.inline_images_as_text;
        if (report.inline_images_as_text_names.size() < kMaxNamedImages)
            report.inline_images_as_text_names.push_back(image_name(image));
    }

    // An image as the writer's warnings name it: its source, and in a book the input of
    // its chapter (the book's warnings are reported with its first input, and two
    // chapters may well name their images alike).
    std::string image_name(const Image& image) const {
        if (chapter_source_.empty()) return image.src;
        return image.src + " (in " + chapter_source_ + ")";
    }

    // The images of a paragraph that holds nothing else (blank text and line breaks
    // aside; an image inside a link, strong or emphasis counts). False when it holds
    // anything else.
    static bool collect_images(const Inlines& content, std::vector<const Image*>& out) {
        for (const Inline& node : content) {
            if (const auto* image = std::get_if<Image>(&node.base())) {
                out.push_back(image);
            } else if (const auto* t = std::get_if<Text>(&node.base())) {
                if (!std::all_of(t->text.begin(), t->text.end(), [](char c) { return c == ' '; })) return false;
            } else if (const auto* link = std::get_if<Link>(&node.base())) {
                if (!collect_images(link->children, out)) return false;
            } else if (const auto* strong = std::get_if<Strong>(&node.base())) {
                if (!collect_images(strong->children, out)) return false;
            } else if (const auto* emphasis = std::get_if<Emphasis>(&node.base())) {
                if (!collect_images(emphasis->children, out)) return false;
            } else if (!std::holds_alternative<LineBreak>(node.base())) {
                return false;
            }
        }
        return true;
    }

    // Images alone in their paragraph, each drawn on its own, centred, one under the
    // other (one PDF cannot draw: its alt text). False, adding nothing, for any other
    // paragraph.
    bool image_paragraph(const Inlines& content, const Context& ctx, float max_height) {
        if (content.empty()) return false;
        std::vector<const Image*> images;
        if (!collect_images(content, images) || images.empty()) return false;
        const float gap = st(Element::body).leading * 0.5f;
        for (const Image* im : images) {
            std::shared_ptr<const Resource> resource = drawable(*im);
            space(gap);
            if (resource) {
                image(std::move(resource), ctx, max_height, im->extra->width);
            } else {
                counting_inline_images_ = false;  // drawable() has counted it
                text_paragraph(Inlines{*im}, ctx);
                counting_inline_images_ = true;
            }
            space(gap);
        }
        previous_was_paragraph_ = false;
        return true;
    }

    // An image as a box of the flow, centred in the measure: as wide as the measure at
    // most, and as its pixels allow (kMaxImageUpscale) or the width the source asks for
    // (`asked`, CSS pixels; 0: none), no taller than `max_height`, its aspect kept.
    void image(std::shared_ptr<const Resource> resource, const Context& ctx, float max_height, int asked = 0) {
        const float width = style_.measure() - ctx.left - ctx.right;
        const auto pixels_wide = static_cast<float>(resource->width);
        const auto pixels_high = static_cast<float>(resource->height);
        float w = std::min(width, pixels_wide * kPointsPerPixel * kMaxImageUpscale);
        if (asked > 0) w = std::min(width, static_cast<float>(asked) * kPointsPerPixel);
        float h = w * pixels_high / pixels_wide;
        if (h > max_height) {
            w *= max_height / h;
            h = max_height;
        }
        auto box = std::make_shared<Box>();
        box->images.push_back({ctx.left + (width - w) / 2, 0, w, h, std::move(resource)});
        box->height = h;
        add_box(std::move(box));
    }

    void add_box(std::shared_ptr<const Box> box, int repeat = -1) {
        FlowItem item;
        item.kind = FlowItem::Kind::box;
        item.height = box->height;
        item.box = std::move(box);
        item.break_before = !keep_next_;
        item.chapter = chapter_;
        item.repeat = repeat;
        flow_.push_back(std::move(item));
        keep_next_ = false;
        attach_notes(flow_.size() - 1);
    }

    // A figure: its images with the caption under them, kept on one page when they fit
    // on one (the images are scaled to leave room for the caption). A figure of a table
    // is the table, the figure's caption above it unless the table has its own.
    void figure(const Figure& n, const Context& ctx) {
        bool has_table = std::any_of(n.content.begin(), n.content.end(),
                                     [](const Block& b) { return std::holds_alternative<Table>(b.node); });
        if (has_table) {
            for (const Block& b : n.content) {
                if (const auto* t = std::get_if<Table>(&b.node)) table(*t, ctx, n.caption.empty() ? nullptr : &n.caption);
                else block(b, ctx);
            }
            return;
        }
        const TextStyle& cap = st(Element::figcaption);
        const float width = style_.measure() - ctx.left - ctx.right;
        std::vector<Line> caption_lines;
        float caption_height = 0;
        if (!n.caption.empty()) {
            caption_lines = set(spans_of(n.caption, cap), cap, width, 0, cap.align, false);
            for (const Line& line : caption_lines) caption_height += std::max(cap.leading, line.size * 1.15f);
            caption_height += cap.margin_top;
        }
        const float gap = st(Element::body).leading * 0.5f;
        const float max_height = std::max(text_height() - caption_height - 2 * gap - 1, text_height() * 0.3f);
        space(gap);
        const std::size_t first = flow_.size();
        Hold hold(*this);  // until its breaks are known
        for (const Block& b : n.content) {
            const auto* p = std::get_if<Paragraph>(&b.node);
            if (p && image_paragraph(p->content, ctx, max_height)) continue;
            block(b, ctx);
        }
        if (!caption_lines.empty()) {
            space(cap.margin_top);
            lines(std::move(caption_lines), cap, ctx.left, true, false);
        }
        // One page when it fits on one: no break inside (spaces at its ends aside).
        std::size_t begin = first, end = flow_.size();
        while (begin < end && flow_[begin].kind == FlowItem::Kind::space) ++begin;
        while (end > begin && flow_[end - 1].kind == FlowItem::Kind::space) --end;
        float total = 0;
        for (std::size_t i = begin; i < end; ++i) total += flow_[i].height;
        if (total <= text_height())
            for (std::size_t i = begin + 1; i < end; ++i) flow_[i].break_before = false;
        space(std::max(cap.margin_bottom, gap));
        previous_was_paragraph_ = false;
    }

    // ------------------------------------------------------------------------ tables

    // A cell's blocks as inlines: paragraphs and headings as they are, other blocks as
    // their text, one after the other on new lines.
    static Inlines cell_inlines(const TableCell& cell) {
        Inlines out;
        for (const Block& b : cell.content) {
            if (!out.empty()) out.emplace_back(LineBreak{});
            if (const Inlines* in = inline_content(b)) {
                out.insert(out.end(), in->begin(), in->end());
                continue;
            }
            std::string text = plain_text(b);
            std::size_t at = 0;
            while (true) {
                std::size_t nl = text.find('\n', at);
                out.emplace_back(Text{text.substr(at, nl == std::string::npos ? nl : nl - at)});
                if (nl == std::string::npos) break;
                out.emplace_back(LineBreak{});
                at = nl + 1;
            }
        }
        return out;
    }

    // A cell's lines at `width`, breaking words inside when they must.
    std::vector<Line> set_cell(const std::vector<Span>& cell_spans, float width, Align align, Direction direction) {
        ParagraphStyle ps;
        ps.width = std::max(width, 1.0f) + kCellWidthSlack;
        ps.align = align;
        ps.direction = direction;
        if (st(Element::table).hyphenate) ps.hyphenation_language = hyphenation_language_;
        if (st(Element::table).autospace) ps.autospace_em = kAutospaceEm;
        SetStats stats;
        std::vector<Line> set_lines = set_paragraph(cell_spans, ps, fonts_, &stats);
        report.missing_glyphs += stats.missing_glyphs;
        report.hyphens += stats.hyphens;
        return set_lines;
    }

    // The widest line of a cell set without limit, and its widest word (every breakable
    // space made a forced break: each line is then one word).
    CellExtent measure_cell(const std::vector<Span>& cell_spans) {
        CellExtent extent;
        ParagraphStyle ps;
        ps.width = kUnboundedWidth;
        ps.align = Align::left;
        // Left to right, from x = 0: a right-to-left line starts at the right end of its
        // measure, here a million points, where a float holds only sixteenths of a point,
        // and its width came out short by up to a point (trial 15). The words' widths
        // are the same either way.
        ps.direction = Direction::left_to_right;
        if (st(Element::table).autospace) ps.autospace_em = kAutospaceEm;  // as set_cell() sets it
        for (const Line& line : set_paragraph(cell_spans, ps, fonts_)) extent.max = std::max(extent.max, line.width);
        std::vector<Span> words = cell_spans;
        for (Span& span : words)
            if (span.breakable) std::replace(span.text.begin(), span.text.end(), ' ', '\n');
        for (const Line& line : set_paragraph(words, ps, fonts_)) extent.min = std::max(extent.min, line.width);
        return extent;
    }

    // A table: its caption above, columns measured and distributed as a browser's
    // automatic layout does, cells wrapped and aligned, booktabs rules (heavy above and
    // below, light under the header), the header rows repeated atop every page the table
    // continues on. Rows joined by row spans stay on one page. A table too wide for the
    // measure is set in smaller type (kMinTableScale at least), then its columns are cut.
    void table(const Table& t, const Context& ctx, const Inlines* figure_caption) {
        const std::size_t columns = t.columns.size();
        if (columns == 0 || (t.head.empty() && t.body.empty())) return;
        const TextStyle& body_style = st(Element::table);
        TextStyle head_style = body_style;
        head_style.bold = true;
        const TextStyle& cap = st(Element::caption);
        const float available = style_.measure() - ctx.left - ctx.right;

        // The caption's text first: notes are numbered in reading order.
        const Inlines& caption = !t.caption.empty() || !figure_caption ? t.caption : *figure_caption;
        std::vector<Span> caption_spans;
        if (!caption.empty()) caption_spans = spans_of(caption, cap);

        // The cells' text, made once (notes in cells are numbered once).
        struct Cell {
            CellPlace place;
            bool head = false;
            std::vector<Span> spans;
            std::vector<Line> lines;
            float height = 0;
        };
        std::vector<Cell> cells;
        for (bool head : {true, false})
            for (const CellPlace& place : place_cells(head ? t.head : t.body, columns)) {
                Cell cell;
                cell.place = place;
                cell.head = head;
                in_cell_ = true;
                cell.spans = spans_of(cell_inlines(*place.cell), head ? head_style : body_style);
                in_cell_ = false;
                cells.push_back(std::move(cell));
            }

        // Images in cells scale to their column: at most their own width, or the width
        // that keeps them kMaxCellImageShare of the page tall; measured at
        // kMinCellImageWidth (a column narrows them that far), set at the cell's width.
        const float max_cell_image_height = kMaxCellImageShare * text_height();
        auto cell_image_width = [&](int object) {
            const InlineObject& o = inline_objects_[static_cast<std::size_t>(object)];
            return std::min(o.width, max_cell_image_height * o.width / o.height);
        };
        auto fit_object = [&](Span& span, float width) {
            InlineObject& o = inline_objects_[static_cast<std::size_t>(span.object)];
            span.object_width = std::max(width, kMinObjectPoints);
            span.object_height = std::max(width * o.height / o.width, kMinObjectPoints);
            o.drawn_height = span.object_height;
        };
        for (Cell& cell : cells)
            for (Span& span : cell.spans)
                if (span.object >= 0) fit_object(span, std::min(cell_image_width(span.object), kMinCellImageWidth));

        // Column widths, in smaller type when the words do not fit.
        float gap = kColumnGapEm * body_style.size;
        std::vector<CellExtent> extents;
        auto measure = [&] {
            extents.clear();
            for (const Cell& cell : cells) {
                CellExtent e = measure_cell(cell.spans);
                for (const Span& span : cell.spans)  // an image's line may be as wide as the image
                    if (span.object >= 0) e.max += std::max(0.0f, cell_image_width(span.object) - span.object_width);
                e.column = cell.place.column;
                e.columns = cell.place.columns;
                extents.push_back(e);
            }
        };
        measure();
        float scale = 1;
        if (float needed = minimum_table_width(extents, columns, gap); needed > available) {
            scale = std::max(kMinTableScale, available / needed);
            for (Cell& cell : cells)
                for (Span& span : cell.spans) span.size *= scale;
            gap *= scale;
            measure();
            ++report.tables_shrunk;
        }
        const ColumnWidths widths = distribute_columns(extents, columns, available, gap);
        // Columns cut narrower than an em (hundreds of them) would stack their cells'
        // letters one per line: such a table is set as text, a paragraph per row.
        if (!widths.fits && std::any_of(widths.widths.begin(), widths.widths.end(), [&](float w) {
                return w < body_style.size * scale;
            })) {
            space(body_style.margin_top);
            if (!caption_spans.empty()) {
                space(cap.margin_top);
                lines(set(caption_spans, cap, available, 0, cap.align, false), cap, ctx.left, true, true);
                space(cap.margin_bottom);
            }
            ++report.tables_as_text;
            table_rows_as_text(cells_spans(cells), ctx);
            space(body_style.margin_bottom);
            previous_was_paragraph_ = false;
            return;
        }
        std::vector<float> column_x(columns + 1);
        float table_width = gap * static_cast<float>(columns - 1);
        for (float w : widths.widths) table_width += w;
        column_x[0] = ctx.left + std::max(available - table_width, 0.0f) / 2;
        for (std::size_t c = 0; c < columns; ++c) column_x[c + 1] = column_x[c] + widths.widths[c] + gap;
        const float table_left = column_x[0], table_right = column_x[columns] - gap;
        // In a right-to-left language the table runs from the right, as a browser runs
        // the EPUB's dir="rtl" chapter: the columns are laid out as above, then mirrored
        // (cell_left), and the cells are set right to left, so that text aligned to the
        // start (the columns' default) stands at the right of its cell. The table's own
        // direction or language, when it has one, wins over the chapter's.
        const Table::Locale& locale = *t.locale;
        const bool right_to_left = !locale.direction.empty() ? locale.direction == "rtl"
                                                             : is_rtl_language(locale.language.empty() ? language_ : locale.language);
        auto cell_left = [&](std::size_t first, std::size_t end) {
            return right_to_left ? table_left + table_right - (column_x[end] - gap) : column_x[first];
        };

        // The caption above, over the table's width (the measure's, for a narrow table).
        space(body_style.margin_top);
        if (!caption_spans.empty()) {
            // From the table's left edge to the right margin: aligned with the table,
            // and not squeezed over a narrow one (a right-to-left table's: from the left
            // margin to its right edge, where its caption starts, set right to left).
            float caption_left = right_to_left ? ctx.left : table_left;
            float caption_width = right_to_left ? table_right - ctx.left : ctx.left + available - table_left;
            space(cap.margin_top);
            lines(set(caption_spans, cap, caption_width, 0, cap.align, false, true,
                      right_to_left ? Direction::right_to_left : Direction::automatic),
                  cap, caption_left, true, true);
            space(cap.margin_bottom);
        }

        // Each cell set at its width, in its column's alignment.
        const float leading = body_style.leading * scale;
        const float padding = kRowPaddingEm * body_style.size * scale;
        auto line_height = [&](const Line& line) {
            float h = std::max(leading, line.size * 1.15f);
            return line.object_height > 0 ? std::max(h, line.object_height + kObjectPadEm * line.size) : h;
        };
        for (Cell& cell : cells) {
            std::size_t c = cell.place.column, end = std::min(columns, c + cell.place.columns);
            // Align::left and right are the start and end of a right-to-left cell: the
            // default is the start, an explicit left or right is the side it names (as
            // text-align: left is in the EPUB).
            Align align = Align::left;
            switch (t.columns[c]) {
                case Alignment::Left: align = right_to_left ? Align::right : Align::left; break;
                case Alignment::Right: align = right_to_left ? Align::left : Align::right; break;
                case Alignment::Center: align = Align::center; break;
                default: break;
            }
            const float cell_width = column_x[end] - gap - column_x[c];
            for (Span& span : cell.spans)
                if (span.object >= 0) fit_object(span, std::min(cell_image_width(span.object), cell_width));
            cell.lines = set_cell(cell.spans, cell_width, align,
                                  right_to_left ? Direction::right_to_left : Direction::automatic);
            for (const Line& line : cell.lines) cell.height += line_height(line);
            cell.height += 2 * padding;
        }

        // Rows into boxes: the head as one (repeated), the body by groups of rows that
        // row spans join.
        std::vector<std::pair<std::shared_ptr<Box>, bool>> boxes;  // and whether the head
        std::size_t at = 0;  // the first cell of the section
        for (bool head : {true, false}) {
            const std::size_t row_count = (head ? t.head : t.body).size();
            std::size_t section_end = at;
            while (section_end < cells.size() && cells[section_end].head == head) ++section_end;
            std::vector<float> row_height(row_count, leading + 2 * padding);
            std::vector<std::size_t> reach(row_count, 0);  // the last row a cell starting here covers
            for (std::size_t i = at; i < section_end; ++i) {
                const CellPlace& p = cells[i].place;
                reach[p.row] = std::max(reach[p.row], p.row + p.rows - 1);
                if (p.rows == 1) row_height[p.row] = std::max(row_height[p.row], cells[i].height);
            }
            for (std::size_t i = at; i < section_end; ++i) {
                const CellPlace& p = cells[i].place;
                if (p.rows == 1) continue;
                float have = 0;
                for (std::size_t r = p.row; r < p.row + p.rows; ++r) have += row_height[r];
                if (cells[i].height > have) row_height[p.row + p.rows - 1] += cells[i].height - have;
            }
            std::size_t next_cell = at;
            std::size_t group_start = 0;
            std::size_t group_reach = 0;
            for (std::size_t r = 0; r < row_count; ++r) {
                group_reach = std::max(group_reach, reach[r]);
                bool last_row = r + 1 == row_count;
                if (!last_row && (head || group_reach > r)) continue;  // the group goes on
                // Rows [group_start, r] as one box.
                auto box = std::make_shared<Box>();
                std::vector<float> row_top(r + 2 - group_start, 0);
                for (std::size_t k = group_start; k <= r; ++k)
                    row_top[k - group_start + 1] = row_top[k - group_start] + row_height[k];
                box->height = row_top.back();
                for (; next_cell < section_end && cells[next_cell].place.row <= r; ++next_cell) {
                    Cell& cell = cells[next_cell];
                    float y = row_top[cell.place.row - group_start] + padding;
                    for (Line& line : cell.lines) {
                        float h = line_height(line);
                        float size = line.size > 0 ? line.size : h / 1.2f;
                        Box::PlacedLine placed;
                        placed.x = cell_left(cell.place.column,
                                             std::min(columns, cell.place.column + cell.place.columns));
                        placed.baseline = y + (h - size) / 2 + kAscentShare * size;
                        placed.line = std::move(line);
                        box->lines.push_back(std::move(placed));
                        y += h;
                    }
                }
                const Color ink = body_style.color;
                bool table_top = head || (t.head.empty() && group_start == 0);
                if (table_top) box->rules.push_back({table_left, table_right, 0, kHeavyRule, ink});
                if (head && last_row) box->rules.push_back({table_left, table_right, box->height, kLightRule, ink});
                if (!head && last_row) box->rules.push_back({table_left, table_right, box->height, kHeavyRule, ink});
                boxes.emplace_back(std::move(box), head);
                group_start = r + 1;
                group_reach = 0;
            }
            at = section_end;
        }

        // A row that cannot fit on a page with the header (thousands of columns, a cell
        // holding a chapter) would be drawn off it: such a table is set as text instead,
        // a paragraph per row, its cells separated by vertical bars.
        float header_height = 0, tallest_row = 0;
        for (const auto& [box, head] : boxes) (head ? header_height : tallest_row) = std::max(
                                                 head ? header_height : tallest_row, box->height);
        if (header_height + tallest_row > text_height()) {
            ++report.tables_as_text;
            table_rows_as_text(cells_spans(cells), ctx);
        } else {
            int header = -1;
            bool first_body_box = true;
            for (auto& [box, head] : boxes) {
                if (head) {
                    headers_.push_back(box);
                    add_box(std::move(box));
                    header = static_cast<int>(headers_.size()) - 1;
                } else {
                    if (first_body_box && header >= 0) keep_next_ = true;  // not the header alone
                    first_body_box = false;
                    add_box(std::move(box), header);
                }
            }
        }
        space(body_style.margin_bottom);
        previous_was_paragraph_ = false;
    }

    // The spans of each row's cells, in reading order (the cells' spans moved out).
    template <class Cells>
    static std::vector<std::vector<std::vector<Span>>> cells_spans(Cells& cells) {
        std::vector<std::vector<std::vector<Span>>> rows;
        bool head = true;
        std::size_t row = 0;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (rows.empty() || cells[i].head != head || cells[i].place.row != row) rows.emplace_back();
            head = cells[i].head;
            row = cells[i].place.row;
            rows.back().push_back(std::move(cells[i].spans));
        }
        return rows;
    }

    void table_rows_as_text(std::vector<std::vector<std::vector<Span>>> rows, const Context& ctx) {
        const TextStyle& s = st(Element::table);
        const float width = style_.measure() - ctx.left - ctx.right;
        std::vector<Span> separator = spans_of(" | ", s);
        for (auto& row : rows) {
            std::vector<Span> line;
            for (std::size_t c = 0; c < row.size(); ++c) {
                if (c > 0) line.insert(line.end(), separator.begin(), separator.end());
                line.insert(line.end(), row[c].begin(), row[c].end());
            }
            space(s.leading * 0.25f);
            lines(set(line, s, width, 0, Align::left, true), s, ctx.left, false, false);
        }
    }

    void paragraph(const Inlines& content, const Context& ctx) {
        if (image_paragraph(content, ctx, text_height())) return;
        text_paragraph(content, ctx);
    }

    void text_paragraph(const Inlines& content, const Context& ctx) {
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
        const std::vector<Span> spans = spans_in(content, s, width);
        std::size_t bytes = 0;
        for (const Span& span : spans) bytes += span.text.size();
        if (bytes <= kMaxParagraphPieceBytes) {
            std::vector<Line> set_lines = set(spans, s, width, indent, s.align, true);
            float x = start_of(set_lines, ctx);
            lines(std::move(set_lines), s, x, false, false);
        } else {
            // a piece at a time, its finished pages drawn before the next is set
            SpanPieces pieces(spans);
            for (bool first = true; !pieces.done(); first = false) {
                std::vector<Line> set_lines = set(pieces.next(kMaxParagraphPieceBytes), s, width, first ? indent : 0,
                                                  s.align, true);
                float x = start_of(set_lines, ctx);
                lines(std::move(set_lines), s, x, false, false);
                pump(false);
            }
        }
        space(s.margin_bottom);
        previous_was_paragraph_ = true;
    }

    void list(const List& n, const Context& ctx) {
        const TextStyle& li = st(Element::li);
        const TextStyle& body = st(ctx.text);
        Context inner = indented(ctx, li.margin_left + long_marker_indent(n, body), 0);
        inner.list_depth += 1;
        space(li.margin_top);
        for (std::size_t k = 0; k < n.items.size(); ++k) {
            const Blocks& item = n.items[k];
            std::string marker = n.ordered ? list_number(item_number(n, k), n.style) + "."
                                           : (ctx.list_depth % 2 ? "\u2013" : "\u2022");
            // A task's box, in place of the bullet (the text fonts have no ballot box).
            if (n.task(k) != TaskState::None) marker = n.task(k) == TaskState::Done ? "[x]" : "[ ]";
            std::size_t first = flow_.size();
            Hold hold(*this);  // until the marker is on the item's first line
            previous_was_paragraph_ = false;
            if (item.empty()) {
                Inlines none;
                paragraph(none, inner);
            }
            blocks(item, inner);
            // The marker hangs in the indent, on the item's first line.
            for (std::size_t i = first; i < flow_.size(); ++i) {
                if (flow_[i].kind != FlowItem::Kind::line) continue;
                // set as wide as the measure: a marker is one line, never cut
                std::vector<Line> m = set(spans_of(marker, body), body, std::max(kMarkerRoomIndents * li.margin_left,
                                                                                 style_.measure()),
                                          0, Align::left, false);
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
            // Items are spaced as the text's paragraphs are (at least the style's item
            // spacing; a loose list half a line more).
            float between = std::max(li.margin_bottom, body.margin_bottom);
            space(n.tight ? between : std::max(between, body.leading * 0.5f));
        }
        // and the list is set off from what follows, as from what precedes it
        space(std::max({li.margin_top, body.margin_bottom, body.leading * 0.5f}));
        previous_was_paragraph_ = false;
    }

    // How much wider than the style's a list's indent is made for its longest marker
    // (an ordered list's, "MMMDCCCLXXXVIII."): a marker hangs left of the indent up to
    // kMarkerRoomIndents indents wide, into the page's margin; a longer one widens the
    // indent so that it reaches no further left. Measured by the font's advances.
    float long_marker_indent(const List& n, const TextStyle& body) {
        if (!n.ordered) return 0;  // a bullet or a task's box
        const TextStyle& li = st(Element::li);
        const FontId face = font(body, body.bold, body.italic);
        float widest = 0;
        for (std::size_t k = 0; k < n.items.size(); ++k) {
            float width = 0;
            for (char c : list_number(item_number(n, k), n.style) + ".")
                width += fonts_.advance(face, static_cast<unsigned char>(c)) * body.size;
            widest = std::max(widest, width);
        }
        return std::max(0.0f, widest - kMarkerRoomIndents * li.margin_left);
    }

    // A definition list: each term in bold on a line of its own, kept with what follows
    // it (as a heading is), its definitions under it, indented as a list's items are.
    void definition_list(const DefinitionList& n, const Context& ctx) {
        const TextStyle& li = st(Element::li);
        TextStyle body = st(ctx.text);
        if (is_cjk_language(language_)) body.leading = std::max(body.leading, kCjkLeading * body.size);
        const float width = style_.measure() - ctx.left - ctx.right;
        Context inner = indented(ctx, li.margin_left, 0);
        inner.list_depth += 1;  // no first-line indents
        space(std::max(li.margin_top, body.margin_top));
        for (const DefinitionItem& item : n.items) {
            for (const Inlines& term : item.terms) {
                Inlines bold{Strong{term}};
                std::vector<Span> spans = spans_in(bold, body, width);
                std::size_t bytes = 0;
                for (const Span& span : spans) bytes += span.text.size();
                if (bytes > kMaxParagraphPieceBytes) {  // a term of a megabyte: set as a paragraph is
                    previous_was_paragraph_ = false;
                    text_paragraph(bold, inner);
                    continue;
                }
                std::vector<Line> set_lines = set(spans, body, width, 0, body.align, true);
                float x = start_of(set_lines, ctx);
                lines(std::move(set_lines), body, x, true, true);
            }
            previous_was_paragraph_ = false;
            for (const Blocks& definition : item.definitions) {
                blocks(definition, inner);
                previous_was_paragraph_ = false;
            }
            keep_next_ = false;  // a term without a definition holds nothing to its follower
            space(std::max(li.margin_bottom, body.margin_bottom));
        }
        space(std::max({li.margin_top, body.margin_bottom, body.leading * 0.5f}));
        previous_was_paragraph_ = false;
    }

    void code_block(const CodeBlock& n, const Context& ctx) {
        const TextStyle& pre = st(Element::pre);
        const float left = indented(ctx, pre.margin_left, 0).left;
        const float width = style_.measure() - left - ctx.right;
        space(pre.margin_top);
        std::string_view rest = n.text;
        const FontId mono = font(pre, false, false);
        const float space_width = fonts_.advance(mono, ' ') * pre.size;
        const std::size_t source_lines = static_cast<std::size_t>(std::count(rest.begin(), rest.end(), '\n')) + 1;
        const bool keep_together = source_lines <= kMaxUnbrokenCodeLines;
        std::size_t line_number = 0;  // of the source line being set, from 0
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
            lines(std::move(set_lines), pre, left, keep_together, false);
            // Between source lines a long listing may break, with kMinLinesAtBreak lines at
            // either side; the first line stays with the block's top (lines() says so).
            if (line_number > 0 && before < flow_.size())
                flow_[before].break_before = !keep_together && line_number >= std::size_t(kMinLinesAtBreak) &&
                                             source_lines - line_number >= std::size_t(kMinLinesAtBreak);
            ++line_number;
            pump(false);  // a long listing is drawn as it is set
            if (nl == std::string_view::npos) break;
            rest = rest.substr(nl + 1);
        }
        space(pre.margin_bottom);
        previous_was_paragraph_ = false;
    }

    // A right-to-left title is set from the right of its measure (its start); in the
    // contents, whose page numbers stand at the right, it starts at the left as the other
    // entries do, so that its dot leader follows it rather than running under it, and a
    // section's entry is indented under its chapter's rather than flush with it.
    static void start_at_left(std::vector<Line>& set_lines) {
        for (Line& line : set_lines) {
            if (!line.right_to_left || line.fragments.empty()) continue;
            float start = line.fragments.front().x;
            for (const Fragment& f : line.fragments) start = std::min(start, f.x);
            for (Fragment& f : line.fragments) f.x -= start;
        }
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
            start_at_left(set_lines);
            std::size_t first = flow_.size();
            lines(std::move(set_lines), s, 0, true, false);
            for (std::size_t i = first; i < flow_.size(); ++i) flow_[i].toc_target = toc_entries_[c];
            // Its sections: every bookmark under the chapter, each indented by its depth
            // in the bookmarks' tree (a child of the nearest earlier entry of a smaller
            // level, as render.cpp nests them), so that the page lists what the bookmarks
            // list. Depth, not level: an h4 before the chapter's first h3 is a section too.
            int next = c + 1 < toc_entries_.size() ? toc_entries_[c + 1] : static_cast<int>(outline_.size());
            std::vector<int> open_levels{outline_[static_cast<std::size_t>(toc_entries_[c])].level};
            for (int e = toc_entries_[c] + 1; e < next; ++e) {
                const OutlineEntry& entry = outline_[static_cast<std::size_t>(e)];
                while (open_levels.size() > 1 && open_levels.back() >= entry.level) open_levels.pop_back();
                const float indent = static_cast<float>(open_levels.size()) * kTocIndentEm * toc.size;
                open_levels.push_back(entry.level);
                if (static_cast<int>(open_levels.size()) > options_.toc_depth) continue;  // --toc-depth
                std::vector<Line> sub = set(spans_of(entry.title, toc), toc, width - kTocNumberEm * toc.size - indent,
                                            0, Align::left, false);
                start_at_left(sub);
                space(toc.margin_top);
                first = flow_.size();
                lines(std::move(sub), toc, indent, true, false);
                for (std::size_t i = first; i < flow_.size(); ++i) flow_[i].toc_target = e;
            }
        }
    }

    // -------------------------------------------------------------------- pagination

    // Fills pages greedily, going back to the last allowed break when an item does not
    // fit. Footnotes (`with_notes`: the flow whose items reference them) go on the page
    // of their reference, their height counted with it; the lines of notes that do not
    // fit there (a note referenced low on a page full of text) continue at the foot of
    // the next page, and pages of notes alone follow the flow's end if need be. A page
    // starting inside a table reserves room for its repeated header. Linear in the flow.
    std::vector<PageRange> paginate(const Flow& flow, bool with_notes) const {
        std::vector<PageRange> pages;
        Pagination state;
        while (std::optional<PageRange> page = next_page(flow, with_notes, state, flow.size(), true))
            pages.push_back(*page);
        return pages;
    }

    // The next page of `flow` from `state`, which it advances; nothing when the flow is
    // done. Only the items before `limit` are looked at: unless the flow is `complete`,
    // a page whose end is not decided within them is not made yet (nothing is returned)
    // and is made by a later call with more items, the same as if the whole flow had been
    // there: a page ends at an item that does not fit or at a page break, and what is
    // decided from the items before it does not change when items are added after it.
    std::optional<PageRange> next_page(const Flow& flow, bool with_notes, Pagination& state, std::size_t limit,
                                       bool complete) const {
        const float capacity = text_height();
        const std::size_t foot_count = with_notes ? foot_lines_.size() : 0;
        auto foot_height = [&](std::size_t from, std::size_t to) {
            return to > from ? foot_top_[to] - foot_top_[from] + kFootnoteSkip + kFootnoteRuleGap : 0.0f;
        };
        std::size_t start = state.start;
        const std::size_t foot = state.foot;  // the first foot line not yet placed
        const std::size_t carried = state.carried;  // the end of the foot lines earlier pages wanted
        // Spaces and page breaks at a page's top are dropped.
        while (start < limit && ((flow[start].kind == FlowItem::Kind::space && !flow[start].keep_at_top) ||
                                 flow[start].kind == FlowItem::Kind::page_break))
            ++start;
        if (start >= limit && (!complete || foot >= foot_count)) return std::nullopt;
        float y = 0;
        if (start < limit && flow[start].repeat >= 0) y = headers_[static_cast<std::size_t>(flow[start].repeat)]->height;
        // Foot lines this page should hold: those carried over, those its items reference.
        std::size_t need = start < limit ? std::max(foot, carried) : foot_count;
        std::size_t need_at_break = need; // ...when it ends at last_break
        // The room the text leaves for the notes: all they want, except that lines
        // carried from earlier pages claim at most kMaxCarriedFootShare of the page
        // (the rest continue further on), so that text still advances beside a long note.
        const std::size_t carried_end = need;
        const float carried_height = std::min(foot_height(foot, carried_end), capacity * kMaxCarriedFootShare);
        auto foot_room = [&](std::size_t wanted) {
            if (wanted <= carried_end) return std::min(foot_height(foot, wanted), carried_height);
            return (carried_end > foot ? carried_height : kFootnoteSkip + kFootnoteRuleGap) +
                   foot_top_[wanted] - foot_top_[std::max(carried_end, foot)];
        };
        std::size_t last_break = start;   // the last allowed break after start, or start
        std::size_t i = start;
        std::size_t end = limit;
        for (; i < limit; ++i) {
            const FlowItem& item = flow[i];
            if (item.kind == FlowItem::Kind::page_break) {
                end = i;
                break;
            }
            if (i > start && item.break_before) {
                last_break = i;
                need_at_break = need;
            }
            std::size_t need_here = need;
            if (with_notes && item.note_end > 0) need_here = std::max(need, foot_lines_before(item.note_end));
            if (y + item.height + foot_room(need_here) > capacity + 0.01f && i > start) {
                // Back to the last allowed break; none on this page: break here.
                if (last_break > start) {
                    end = last_break;
                    need = need_at_break;
                } else {
                    end = i;
                }
                break;
            }
            y += item.height;
            need = need_here;
        }
        if (i == limit) {
            if (!complete) return std::nullopt;  // the page may go on past the items seen
            end = limit;
        }
        if (end < start) end = start;
        // The text's height on the page, then as many of the notes as fit under it.
        float used = 0;
        for (std::size_t k = start; k < end; ++k) used += flow[k].height;
        if (start < limit && flow[start].repeat >= 0)
            used += headers_[static_cast<std::size_t>(flow[start].repeat)]->height;
        std::size_t foot_end = foot;
        while (foot_end < need && foot_end < foot_count &&
               used + foot_height(foot, foot_end + 1) <= capacity + 0.01f)
            ++foot_end;
        // A page of notes alone takes at least one line, so that the notes end.
        if (start >= end && foot_end == foot && foot < foot_count) foot_end = foot + 1;
        state = {end, foot_end, need};  // what did not fit continues on the next page
        return PageRange{start, end, foot, foot_end};
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

    // What the running head of a page needs to know of its text: the chapter of its first
    // item, and whether a chapter starts on it.
    struct PageMark {
        int chapter = -1;
        bool chapter_start = false;
    };

    // The pages of the flow being set that are decided (all of them when `complete`),
    // each emitted, given its running head and handed to the sink; the items before the
    // next page are then dropped. Items from the first held index on (hold()) are not
    // looked at: something is still to change in them.
    void pump(bool complete) {
        if (!streaming_) return;
        const std::size_t limit = complete || holds_.empty() ? flow_.size() : holds_.front();
        while (std::optional<PageRange> range = next_page(flow_, true, body_, limit, complete)) {
            std::size_t index = page_base_ + pages_emitted_++;
            Page page;
            PageMark mark = emit(flow_, *range, page, index);
            running_head(page, index, mark);
            deliver(index, std::move(page));
        }
        // The last item stays: space() and attach_notes() may still change it (neither
        // changes what the pages before it hold).
        if (!flow_.empty()) flow_.drop_before(std::min(body_.start, flow_.size() - 1));
    }

    // Keeps the pump off the items from the current end of the flow on, while a block
    // that may still change them (a list item's marker, a figure's breaks) is set.
    class Hold {
    public:
        explicit Hold(Typesetter& t) : t_(t) { t_.holds_.push_back(t_.flow_.size()); }
        ~Hold() { t_.holds_.pop_back(); }
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;

    private:
        Typesetter& t_;
    };

    void deliver(std::size_t index, Page&& page) { (*sink_)(index, std::move(page)); }

    PageMark emit(Flow& flow, PageRange range, Page& page, std::size_t page_index) {
        check_deadline();  // --timeout (dconv/limits.hpp)
        PageMark mark;
        const float top = style_.paper.height - style_.margin_top;
        float y = 0;
        if (range.begin < flow.size() && flow[range.begin].repeat >= 0) {
            const Box& header = *headers_[static_cast<std::size_t>(flow[range.begin].repeat)];
            emit_box(header, top, page);
            y += header.height;
        }
        for (std::size_t i = range.begin; i < range.end; ++i) {
            FlowItem& item = flow[i];
            if (i == range.begin) mark.chapter = item.chapter;
            if (item.chapter_start) mark.chapter_start = true;
            if (item.kind == FlowItem::Kind::line) {
                float size = item.line.size > 0 ? item.line.size : item.height / 1.2f;
                float baseline = top - y - (item.height - size) / 2 - kAscentShare * size;
                float left = style_.margin_left + item.x;
                if (item.outline >= 0) {
                    OutlineEntry& entry = outline_[static_cast<std::size_t>(item.outline)];
                    entry.page = static_cast<int>(page_index);
                    entry.top = top - y + 2;
                }
                for (Fragment& f : item.line.fragments) emit_fragment(f, left, baseline, page, true);
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
            } else if (item.kind == FlowItem::Kind::box) {
                emit_box(*item.box, top - y, page);
            }
            y += item.height;
        }
        emit_foot(range, page);
        return mark;
    }

    // The footnote lines of a page, at the foot of the text block under a short rule.
    void emit_foot(PageRange range, Page& page) {
        if (range.foot_end <= range.foot_begin) return;
        float height = foot_top_[range.foot_end] - foot_top_[range.foot_begin];
        float y = style_.margin_bottom + height;  // the notes' top
        Rule r;
        r.x1 = style_.margin_left;
        r.x2 = r.x1 + kFootnoteRuleShare * style_.measure();
        r.y1 = r.y2 = y + kFootnoteRuleGap;
        r.width = 0.4f;
        r.color = st(Element::footnote).color;
        page.rules.push_back(r);
        for (std::size_t k = range.foot_begin; k < range.foot_end; ++k) {
            FootLine& foot = foot_lines_[k];
            float baseline = y - foot.baseline;
            for (Fragment& f : foot.line.fragments) emit_fragment(f, style_.margin_left, baseline, page, true);
            y -= foot.height;
        }
    }

    // A box with its top at `box_top` (from the page's bottom edge).
    void emit_box(const Box& box, float box_top, Page& page) {
        for (const Box::BoxImage& im : box.images) {
            PlacedImage placed;
            placed.rect = {style_.margin_left + im.x, box_top - im.y - im.height, style_.margin_left + im.x + im.width,
                           box_top - im.y};
            placed.resource = im.resource;
            page.images.push_back(std::move(placed));
        }
        for (const Box::BoxRule& rule : box.rules) {
            Rule r;
            r.x1 = style_.margin_left + rule.x1;
            r.x2 = style_.margin_left + rule.x2;
            r.y1 = r.y2 = box_top - rule.y;
            r.width = rule.width;
            r.color = rule.color;
            page.rules.push_back(r);
        }
        for (const Box::PlacedLine& placed : box.lines)
            for (const Fragment& f : placed.line.fragments) {
                Fragment copy = f;  // a header is drawn on every page of its table
                emit_fragment(copy, style_.margin_left + placed.x, box_top - placed.baseline, page, true);
            }
    }

    // A fragment as a run at `left` + its x on `baseline`, raised or lowered and struck
    // as its mark says, with its link's area. `take`: its text is moved into the run.
    void emit_fragment(Fragment& f, float left, float baseline, Page& page, bool take) {
        float y = baseline;
        if (f.link >= 0 && static_cast<std::size_t>(f.link) < marks_.size()) {
            const SpanMark& mark = marks_[static_cast<std::size_t>(f.link)];
            y += mark.rise * f.size;
            if (!mark.url.empty()) {
                Rect rect{left + f.x, y - kDescentShare * f.size, left + f.x + f.width, y + kAscentShare * f.size};
                // The words of one link on one line make one area, not one each.
                if (!page.links.empty() && page.links.back().uri == mark.url &&
                    page.links.back().rect.bottom == rect.bottom && page.links.back().rect.right <= rect.left) {
                    page.links.back().rect.right = rect.right;
                    page.links.back().rect.top = std::max(page.links.back().rect.top, rect.top);
                } else {
                    LinkArea link;
                    link.rect = rect;
                    link.uri = mark.url;
                    page.links.push_back(std::move(link));
                }
            }
            if (mark.strike) {
                Rule r;
                r.x1 = left + f.x;
                r.x2 = left + f.x + f.width;
                r.y1 = r.y2 = y + kStrikeHeight * f.size;
                r.width = kStrikeWidth * f.size;
                r.color = f.color;
                page.rules.push_back(r);
            }
        }
        const float x = left + f.x;
        if (f.object >= 0) {
            // an inline image, centred on the text's middle (ascender to descender)
            const InlineObject& o = inline_objects_[static_cast<std::size_t>(f.object)];
            const float height = o.drawn_height;
            const float middle = y + (kAscentShare - kDescentShare) / 2 * f.size;
            PlacedImage placed;
            placed.rect = {x, middle - height / 2, x + f.width, middle + height / 2};
            placed.resource = o.resource;
            page.images.push_back(std::move(placed));
            return;
        }
        page.runs.push_back(take ? glyph_run(std::move(f), x, y) : glyph_run(f, x, y));
    }

    // The page number of a contents line, at the right edge, and a link over the line.
    void toc_number(const FlowItem& item, Page& page, float left, float baseline, float line_top) {
        const OutlineEntry& target = outline_[static_cast<std::size_t>(item.toc_target)];
        const TextStyle& s = st(Element::toc);
        std::string number = std::to_string(target.page + 1);
        std::vector<Line> set_number = set(spans_of(number, s), s, kTocNumberEm * s.size, 0, Align::right, false);
        float right = style_.margin_left + style_.measure();
        float number_left = right;
        if (!set_number.empty())
            for (Fragment& f : set_number[0].fragments) {
                float x = right - kTocNumberEm * s.size + f.x;
                number_left = std::min(number_left, x);
                page.runs.push_back(glyph_run(std::move(f), x, baseline));
            }
        dot_leader(page, left + item.line.width, number_left, baseline, s);
        LinkArea link;
        link.rect = {left, line_top - item.height, right, line_top};
        link.dest_page = target.page;
        link.dest_top = target.top;
        page.links.push_back(std::move(link));
    }

    // Dots from `from` to `to` on a contents line, a dot every kLeaderPitchEm, on a grid
    // counted from the number column so that the dots of all lines stand in columns.
    void dot_leader(Page& page, float from, float to, float baseline, const TextStyle& s) {
        const float pitch = kLeaderPitchEm * s.size;
        const float gap = kLeaderGapEm * s.size;
        const float column = style_.margin_left + style_.measure() - kTocNumberEm * s.size;
        FontId font = this->font(s, false, false);
        float dot = fonts_.advance(font, '.') * s.size;
        // the last dot ends a gap before the number column; the first starts after the text
        int count = static_cast<int>(std::floor((column - gap - dot - (from + gap)) / pitch)) + 1;
        if (count < kMinLeaderDots || to < column - gap) return;
        GlyphRun run;
        run.font = font;
        run.size = s.size;
        run.x = column - gap - dot - static_cast<float>(count - 1) * pitch;
        run.y = baseline;
        run.text.assign(static_cast<std::size_t>(count), '.');
        run.char_spacing = pitch - dot;
        run.color = s.color;
        page.runs.push_back(std::move(run));
    }

    // The running title's line, set once (in heads_language_) before the first page.
    void set_running_title(std::string_view title) {
        if (title.empty()) return;
        const std::string language = language_;
        language_ = heads_language_;
        const TextStyle& head = st(Element::running_header);
        title_line_ = set(spans_of(title, head), head, style_.measure(), 0, head.align, false);
        language_ = language;
    }

    // The running header (the title, or the chapter's) and the page number of page
    // `p`. The first page of a document or chapter has no header; pages before
    // first_numbered_ (a book's title page) have neither. Set in heads_language_.
    void running_head(Page& page, std::size_t p, PageMark mark) {
        if (p < first_numbered_) return;
        const std::string language = language_;
        language_ = heads_language_;
        const TextStyle& head = st(Element::running_header);
        const TextStyle& number = st(Element::page_number);
        const float width = style_.measure();
        std::vector<Line> numbers = set(spans_of(std::to_string(p + 1), number), number, width, 0, number.align, false);
        float y = style_.margin_bottom * (1 - kFooterShare);
        place(numbers, page, y);
        bool first_of_document = p == 0 || (!chapter_titles_.empty() && p == first_numbered_);
        if (!first_of_document && !mark.chapter_start) {
            const std::vector<Line>* header = &title_line_;
            int c = mark.chapter;
            if (c >= 0 && static_cast<std::size_t>(c) < chapter_titles_.size()) {
                chapter_lines_.resize(chapter_titles_.size());
                auto& lines_c = chapter_lines_[static_cast<std::size_t>(c)];
                if (lines_c.empty())
                    lines_c = set(spans_of(chapter_titles_[static_cast<std::size_t>(c)], head), head, width, 0,
                                  head.align, false);
                header = &lines_c;
            }
            place(*header, page, style_.paper.height - style_.margin_top * kHeaderShare);
        }
        language_ = language;
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

    void finish(Layout& layout, std::size_t pages) {
        report.pages = pages;
        layout.outline = std::move(outline_);
    }

    const TypesetOptions& options_;
    const PrintStyle& style_;
    const FontTable& fonts_;
    std::string hyphenation_language_;  // of the chapter being set
    ParagraphMemo* balancing_ = nullptr;  // while set_balanced() tries measures
    std::string language_;
    Flow flow_;
    std::vector<OutlineEntry> outline_;
    std::vector<SpanMark> marks_;       // by a span's `link` index
    const Resources* resources_ = nullptr;  // the document's (the chapter's) images
    // The images drawn inside lines (Span::object, Fragment::object index it), with
    // their size in points at 0.75 pt a pixel (their aspect).
    struct InlineObject {
        std::shared_ptr<const Resource> resource;
        float width = 0, height = 0;
        float drawn_height = 0;  // as its span was last sized (the width is its fragment's)
    };
    std::vector<InlineObject> inline_objects_;
    float object_room_ = 0;  // the widest an inline image may be drawn where text is being set (0: the measure)
    bool in_cell_ = false;   // a table cell's text is being made (its images scale to the column)
    bool counting_inline_images_ = true;    // off while an undrawable image is set as text
    std::set<std::string> inline_images_seen_;  // resources counted by count_inline_image
    std::map<const Resource*, std::shared_ptr<const Resource>> embeddable_;  // embeddable's answers
    std::string chapter_source_;  // in a book, the input of the chapter being set (image_name)
    const Blocks* chapter_blocks_ = nullptr;  // of the chapter being set, for holder()
    const Blocks* holders_for_ = nullptr;     // the chapter holders_ was found for
    std::map<std::string, const Note*> holders_;  // label -> the reference holding its content
    std::vector<std::shared_ptr<const Box>> headers_;  // tables' header rows, by FlowItem::repeat
    // Footnotes: their lines in order, where each note's start, the top of each line
    // counted from the first (one more entry: the end).
    std::vector<FootLine> foot_lines_;
    std::vector<std::size_t> note_lines_;
    std::vector<float> foot_top_{0.0f};
    int attached_notes_ = 0;  // notes given to a flow item so far
    NoteNumbers note_numbers_;  // of this chapter's note references
    std::vector<std::pair<const Note*, int>> cited_notes_;  // by the note being set, with their numbers
    bool in_note_ = false;
    std::vector<std::string> chapter_titles_;
    std::vector<int> toc_entries_;
    // Setting page by page (pump()): where the sink is, the pagination of flow_, the
    // index of its first page, how many it has given, and the indices held (Hold).
    const PageSink* sink_ = nullptr;
    bool streaming_ = false;
    Pagination body_;
    std::size_t page_base_ = 0;
    std::size_t pages_emitted_ = 0;
    std::vector<std::size_t> holds_;
    // Running heads: the first page numbered, the title and the language they are set in,
    // and their lines, set on first use.
    std::size_t first_numbered_ = 0;
    std::string heads_language_;
    std::vector<Line> title_line_;
    std::vector<std::vector<Line>> chapter_lines_;
    std::string quotes_language_;  // whose quotation marks (smart_quotes)
    int chapter_ = -1;
    int outline_shift_ = 0;
    bool keep_next_ = false;
    bool previous_was_paragraph_ = false;
    bool title_page_ = false;  // setting a book's title page
};

}  // namespace

Layout typeset(const Document& doc, const TypesetOptions& options, const PageSink& sink, TypesetReport* report) {
    Typesetter t(options);
    Layout layout = t.document(doc, sink);
    if (report) *report = t.report;
    return layout;
}

Layout typeset(const Book& book, const TypesetOptions& options, const PageSink& sink, TypesetReport* report) {
    Typesetter t(options);
    Layout layout = t.book(book, sink);
    if (report) *report = t.report;
    return layout;
}

namespace {

// The pages a sink receives, in their places.
PageSink collect_into(Layout& layout) {
    return [&layout](std::size_t index, Page&& page) {
        if (layout.pages.size() <= index) layout.pages.resize(index + 1);
        layout.pages[index] = std::move(page);
    };
}

}  // namespace

Layout typeset(const Document& doc, const TypesetOptions& options, TypesetReport* report) {
    Layout pages;
    Layout layout = typeset(doc, options, collect_into(pages), report);
    layout.pages = std::move(pages.pages);
    return layout;
}

Layout typeset(const Book& book, const TypesetOptions& options, TypesetReport* report) {
    Layout pages;
    Layout layout = typeset(book, options, collect_into(pages), report);
    layout.pages = std::move(pages.pages);
    return layout;
}

}  // namespace dconv::pdf
