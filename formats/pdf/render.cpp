// render.cpp: render_pdf — a Layout drawn through libharu.
//
// libharu builds the file's objects: pages, fonts (Type0 over CIDFontType2, Identity-H,
// with their widths and CIDToGIDMap), annotations, outline, information and compression.
// The page content itself is written here as operators, deflated and handed to libharu
// in one piece per page: libharu's own text calls cost about 0.7 µs a run, too slow for
// the 1.7 million runs of a 10 MB document, and the content is most of the file.
//
// Text is drawn by glyph id, as shaping placed it: each font is a Type0 font with
// Identity-H encoding whose codes are the glyph ids of its subset, so a run's string is
// its glyph ids, two bytes each, written as a literal string (half the bytes of a hex
// string); the runs of a line go into one TJ array, with adjustments wherever a glyph's
// shaped advance or offset differs from its width (kerning, marks) (PageContent).
// Copying and searching get the text back two ways: the font's ToUnicode CMap maps each
// glyph to the characters of its cluster (a ligature to all of them), and a run whose
// glyphs do not give back its text in order that way (right-to-left text, reordered or
// split clusters in Indic scripts) is wrapped in a marked-content span whose /ActualText
// is its text. Right-to-left runs are drawn in visual order, and extractors such as
// poppler reorder right-to-left text into logical order themselves, as they do for every
// PDF; an /ActualText of such a run is therefore given in visual order too.
#include "pdf/render.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"
#include "dconv/resources.hpp"
#include "pdf/hpdf_document.hpp"

namespace dconv::pdf {

namespace {

// ------------------------------------------------------------------------ limits

// Outline titles and information strings are cut to this many bytes (at a character
// boundary): libharu refuses strings over 65,535 bytes, and a longer bookmark or title
// is garbage anyway.
constexpr std::size_t kMaxStringBytes = 4096;
// libharu's own limit on a string (a link's URI); a longer URI cannot be written, so its
// link is left out.
constexpr std::size_t kMaxUriBytes = 65535;
// libharu keeps a page tree's kids in one array of at most 32,767 entries
// (HPDF_LIMIT_MAX_ARRAY): longer documents get a two-level tree of nodes this big, which
// also spares viewers a flat list of thousands of pages. Shorter ones stay flat. (Pages
// are added as they are drawn, flat, and regrouped at the end.)
constexpr HPDF_UINT kPagesPerNode = 256;
// A link to a page index beyond this is a layout error (reported by finish()), not a
// reason to make millions of empty pages.
constexpr int kMaxPageIndex = 1 << 24;
// The same array limit holds for a page's annotations: links beyond it are left out.
constexpr std::size_t kMaxLinksPerPage = HPDF_LIMIT_MAX_ARRAY;
// A BCP 47 tag is at most 35 characters in practice (RFC 5646, section 4.4.1); anything
// longer or with other characters than letters, digits and hyphens is not a language.
constexpr std::size_t kMaxLanguageLength = 35;
// The stroke of synthetic bold, as a fraction of the font size: 1/30 thickens UMing's
// strokes about as much as a bold face would, without closing the counters of dense
// ideographs.
constexpr float kSyntheticBoldStroke = 1.0f / 30.0f;
// PDF dates have four-digit years: times are clamped to 0001-01-01 .. 9999-12-31 UTC.
constexpr std::int64_t kFirstDate = -62135596800;
constexpr std::int64_t kLastDate = 253402300799;

// What a character libharu's UTF-8 fonts cannot draw (above U+FFFF, a lone surrogate,
// an invalid byte, and the noncharacters U+FFFE and U+FFFF, which libharu's width table
// leaves out) is drawn as.
constexpr char16_t kReplacement = 0xFFFD;

// A glyph's code in the content is its id in the font, two bytes (TrueType fonts have
// at most 65,535 glyphs).
constexpr std::uint32_t kMaxGlyphId = 0xFFFF;

// Decimal places written: positions to 1/100 pt (a 7,200 dpi grid), sizes, spacing and
// colours to 1/1000.
constexpr int kPositionDecimals = 2;
constexpr int kValueDecimals = 3;

[[noreturn]] void bad_layout(const std::string& message) {
    throw Error(ErrorKind::internal, "", 0, "PDF layout: " + message);
}

// `text` (UTF-8) as UTF-16, invalid bytes as U+FFFD.
std::u16string utf16(std::string_view text) {
    std::u16string out;
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = text::next(text, i);
        if (c >= 0x10000) {
            c -= 0x10000;
            out += static_cast<char16_t>(0xD800 + (c >> 10));
            out += static_cast<char16_t>(0xDC00 + (c & 0x3FF));
        } else {
            if (c >= 0xD800 && c <= 0xDFFF) c = kReplacement;
            out += static_cast<char16_t>(c);
        }
    }
    return out;
}

// Reverses `text` by characters (a surrogate pair stays in order).
void reverse_characters(std::u16string& text) {
    std::reverse(text.begin(), text.end());
    for (std::size_t i = 0; i + 1 < text.size(); ++i)
        if (text[i] >= 0xDC00 && text[i] <= 0xDFFF && text[i + 1] >= 0xD800 && text[i + 1] <= 0xDBFF) {
            std::swap(text[i], text[i + 1]);
            ++i;
        }
}

// Strings for bookmarks and document information: valid UTF-8 of the BMP (as the text
// drawn), no control characters, at most `limit` bytes.
std::string clean_string(std::string_view s, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::next(s, i);
        if (c >= 0xFFFE || (c >= 0xD800 && c <= 0xDFFF)) c = kReplacement;
        if (c < 0x20 || c == 0x7F) c = ' ';
        char buffer[4];
        std::size_t n = text::encode(c, buffer);
        if (out.size() + n > limit) break;
        out.append(buffer, n);
    }
    return out;
}

// A URI action's URI is 7-bit ASCII (PDF 32000-1, 12.6.4.7): an IRI's other bytes, and
// spaces and controls, are percent-encoded, as RFC 3987 maps an IRI to a URI.
std::string ascii_uri(std::string_view iri) {
    return text::percent_encode(iri, [](unsigned char b) { return b <= 0x20 || b >= 0x7F; });
}

bool is_language_tag(const std::string& s) {
    if (s.empty() || s.size() > kMaxLanguageLength) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    });
}

HPDF_Date to_date(std::int64_t seconds) {
    std::time_t t = static_cast<std::time_t>(std::clamp(seconds, kFirstDate, kLastDate));
    std::tm utc{};
    gmtime_r(&t, &utc);
    HPDF_Date date{};
    date.year = utc.tm_year + 1900;
    date.month = utc.tm_mon + 1;
    date.day = utc.tm_mday;
    date.hour = utc.tm_hour;
    date.minutes = utc.tm_min;
    date.seconds = std::min(utc.tm_sec, 59);  // a leap second is not a PDF date
    date.ind = 'Z';
    return date;
}

// ------------------------------------------------------------------------ content

// Appends value / 10^decimals, without trailing zeros ("12.5", "-0.25", "3").
void append_scaled(std::string& out, std::int64_t value, int decimals) {
    if (value < 0) {
        out += '-';
        value = -value;
    }
    std::int64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    std::int64_t whole = value / scale, fraction = value % scale;
    char buffer[24];
    int n = 0;
    do {
        buffer[n++] = static_cast<char>('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (n) out += buffer[--n];
    if (fraction) {
        out += '.';
        for (std::int64_t digit = scale / 10; fraction; digit /= 10) {
            out += static_cast<char>('0' + fraction / digit);
            fraction %= digit;
        }
    }
}

constexpr double power_of_ten(int decimals) { return decimals == 0 ? 1.0 : 10.0 * power_of_ten(decimals - 1); }

// `value` on the grid of `decimals` places, as an integer count of steps.
std::int64_t scaled(double value, int decimals) {
    if (!std::isfinite(value)) return 0;
    return std::llround(value * power_of_ten(decimals));
}

// A font as the page content uses it.
struct PageFont {
    int index = -1;                          // the glyph source
    const std::string* resource = nullptr;   // its name on this page ("F1")
    const std::vector<std::int16_t>* widths = nullptr;  // by glyph id (the CID), in 1/1000 em
};

// One page's content stream, with the graphics and text state it has set so far, so that
// an operator is written only when its value changes.
//
// Runs on one baseline in one font, size, colour and spacing, as the typesetter makes
// them word by word, go into one TJ array: each string is followed by the displacement
// to the next run's x, computed from the widths the viewer will use (the font's /W
// array) and tracked exactly, so positions do not drift. That writes about half the
// bytes of a Td and a Tj per word, and the content is most of the time spent (deflate)
// and of the file.
class PageContent {
public:
    explicit PageContent(std::string& out) : out_(out) { out_.clear(); }

    void rule(const Rule& r) {
        end_text();
        line_width(scaled(r.width, kValueDecimals));
        stroke_color(r.color);
        number(scaled(r.x1, kPositionDecimals), kPositionDecimals);
        number(scaled(r.y1, kPositionDecimals), kPositionDecimals);
        out_ += "m ";
        number(scaled(r.x2, kPositionDecimals), kPositionDecimals);
        number(scaled(r.y2, kPositionDecimals), kPositionDecimals);
        out_ += "l S\n";
    }

    // An image XObject named `name` scaled into `rect` (the graphics state is saved
    // around it, so the tracked colours and line width stay true).
    void image(const std::string& name, const Rect& rect) {
        end_text();
        out_ += "q ";
        number(scaled(rect.right - rect.left, kPositionDecimals), kPositionDecimals);
        out_ += "0 0 ";
        number(scaled(rect.top - rect.bottom, kPositionDecimals), kPositionDecimals);
        number(scaled(rect.left, kPositionDecimals), kPositionDecimals);
        number(scaled(rect.bottom, kPositionDecimals), kPositionDecimals);
        out_ += "cm /";
        out_ += name;
        out_ += " Do Q\n";
    }

    // Draws `glyphs` (the run's, or its nominal ones) in `font`; `actual_text` wraps
    // them in a span giving the run's text.
    void run(const GlyphRun& run, const std::vector<PlacedGlyph>& glyphs, const PageFont& font, bool synthetic_bold,
             bool actual_text) {
        if (!in_text_) {
            out_ += "BT\n";
            in_text_ = true;
            line_x_ = line_y_ = 0;  // BT resets the text matrix
        }
        std::int64_t size = scaled(run.size, kValueDecimals);
        if (font.index != font_ || size != size_) {
            end_array();
            out_ += '/';
            out_ += *font.resource;
            out_ += ' ';
            number(size, kValueDecimals);
            out_ += "Tf\n";
            font_ = font.index;
            size_ = size;
        }
        std::int64_t spacing = scaled(run.char_spacing, kValueDecimals);
        if (spacing != char_spacing_) {
            end_array();
            number(spacing, kValueDecimals);
            out_ += "Tc\n";
            char_spacing_ = spacing;
        }
        fill_color(run.color);
        if (synthetic_bold) {
            line_width(scaled(run.size * kSyntheticBoldStroke, kValueDecimals));
            stroke_color(run.color);
        }
        int mode = synthetic_bold ? 2 : 0;  // 2: fill, then stroke
        if (mode != render_mode_) {
            end_array();
            out_ += mode ? "2 Tr\n" : "0 Tr\n";
            render_mode_ = mode;
        }

        if (actual_text) {
            // A right-to-left run's text goes in visual order, like its glyphs: text
            // extractors (poppler's pdftotext) treat the span as the glyphs it replaces
            // and put right-to-left text back in logical order themselves.
            end_array();
            out_ += "/Span<</ActualText<FEFF";
            std::u16string text = utf16(run.text);
            if (run.right_to_left) reverse_characters(text);
            for (char16_t unit : text) hex4(unit);
            out_ += ">>>BDC\n";
        }
        const std::int64_t y = scaled(run.y, kPositionDecimals);
        const double written_size = static_cast<double>(size_) / power_of_ten(kValueDecimals);
        const double spacing_points = static_cast<double>(char_spacing_) / power_of_ten(kValueDecimals);
        const std::vector<std::int16_t>& widths = *font.widths;
        double pen = run.x;  // where the shaped run puts the next glyph's origin
        for (const PlacedGlyph& glyph : glyphs) {
            std::int64_t rise = scaled(glyph.y_offset * run.size, kPositionDecimals);
            if (rise != rise_) {
                end_array();
                number(rise, kPositionDecimals);
                out_ += "Ts\n";
                rise_ = rise;
            }
            double target = pen + glyph.x_offset * run.size;
            std::int64_t x = scaled(target, kPositionDecimals);
            if (in_array_ && y == line_y_ && written_size > 0) {
                // TJ's number moves back by number/1000 of the font size.
                double move = target - array_x_;
                std::int64_t adjustment = scaled(-move * 1000.0 / written_size, kAdjustmentDecimals);
                if (adjustment != 0) {
                    end_string();
                    append_scaled(out_, adjustment, kAdjustmentDecimals);
                }
                array_x_ -= static_cast<double>(adjustment) / power_of_ten(kAdjustmentDecimals) / 1000.0 * written_size;
            } else {
                end_array();
                // Td moves from the start of the current line: positions are kept on the
                // written grid, so that moves add up exactly.
                number(x - line_x_, kPositionDecimals);
                number(y - line_y_, kPositionDecimals);
                out_ += "Td\n[";
                line_x_ = x;
                line_y_ = y;
                in_array_ = true;
                array_x_ = static_cast<double>(x) / power_of_ten(kPositionDecimals);
            }
            std::uint32_t id = glyph.id <= kMaxGlyphId ? glyph.id : 0;
            if (!in_string_) {
                out_ += '(';
                in_string_ = true;
            }
            byte(static_cast<unsigned char>(id >> 8));
            byte(static_cast<unsigned char>(id & 0xFF));
            array_x_ += static_cast<double>(id < widths.size() ? widths[id] : 0) / 1000.0 * written_size + spacing_points;
            pen += glyph.advance * run.size + spacing_points;
        }
        if (actual_text) {
            end_array();
            out_ += "EMC\n";
        }
    }

    void finish() { end_text(); }

private:
    // TJ displacements to 1/10 of a thousandth of an em: 0.001 pt at 10 pt.
    static constexpr int kAdjustmentDecimals = 1;

    void end_string() {
        if (!in_string_) return;
        out_ += ')';
        in_string_ = false;
    }
    void end_array() {
        if (!in_array_) return;
        end_string();
        out_ += "]TJ\n";
        in_array_ = false;
    }
    void hex4(unsigned value) {
        static const char digits[] = "0123456789ABCDEF";
        for (int shift = 12; shift >= 0; shift -= 4) out_ += digits[(value >> shift) & 15];
    }
    void end_text() {
        if (!in_text_) return;
        end_array();
        out_ += "ET\n";
        in_text_ = false;
    }
    void number(std::int64_t value, int decimals) {
        append_scaled(out_, value, decimals);
        out_ += ' ';
    }
    void byte(unsigned char b) {
        // In a literal string only the delimiters and the escape need escaping, and CR,
        // which a reader would turn into LF.
        if (b == '(' || b == ')' || b == '\\') {
            out_ += '\\';
            out_ += static_cast<char>(b);
        } else if (b == '\r') {
            out_ += "\\r";
        } else {
            out_ += static_cast<char>(b);
        }
    }
    using ScaledColor = std::array<std::int64_t, 3>;
    static ScaledColor scale(const Color& c) {
        return {scaled(c.r, kValueDecimals), scaled(c.g, kValueDecimals), scaled(c.b, kValueDecimals)};
    }
    // Colour and line width may change inside a TJ array's text object but not inside
    // the array: each closes it.
    void color(const ScaledColor& c) {
        for (std::int64_t v : c) number(v, kValueDecimals);
    }
    void fill_color(const Color& c) {
        ScaledColor s = scale(c);
        if (s == fill_) return;
        end_array();
        color(s);
        out_ += "rg\n";
        fill_ = s;
    }
    void stroke_color(const Color& c) {
        ScaledColor s = scale(c);
        if (s == stroke_) return;
        end_array();
        color(s);
        out_ += "RG\n";
        stroke_ = s;
    }
    void line_width(std::int64_t width) {
        if (width == line_width_) return;
        end_array();
        number(width, kValueDecimals);
        out_ += "w\n";
        line_width_ = width;
    }

    std::string& out_;
    // A page starts in PDF's initial state: black, line width 1, no text state.
    ScaledColor fill_{0, 0, 0}, stroke_{0, 0, 0};
    std::int64_t line_width_ = 1000;
    bool in_text_ = false;
    int font_ = -1;
    std::int64_t size_ = -1;
    std::int64_t char_spacing_ = 0;
    int render_mode_ = 0;
    std::int64_t line_x_ = 0, line_y_ = 0;  // the text line's start, on the grid
    std::int64_t rise_ = 0;                 // Ts, on the position grid
    bool in_array_ = false;
    bool in_string_ = false;  // a literal string of the TJ array is open
    double array_x_ = 0;  // where the viewer's pen is after the array so far, in points
};

// ------------------------------------------------------------------------ document

}  // namespace

class Renderer {
public:
    Renderer(const SystemFonts& fonts, float page_width, float page_height, const std::string& cover_image)
        : fonts_(fonts), page_width_(page_width), page_height_(page_height), sources_(fonts.size()) {
        synthetic_bold_.resize(fonts.size());
        source_.resize(fonts.size());
        for (std::size_t id = 0; id < fonts.size(); ++id) {
            synthetic_bold_[id] = fonts_.synthetic_bold(static_cast<FontId>(id));
            source_[id] = fonts_.glyph_source(static_cast<FontId>(id));
        }
        doc_.set_page_size(page_width, page_height);
        add_cover(cover_image);
    }

    void add_page(std::size_t index, const Page& page) {
        for (const GlyphRun& run : page.runs)
            if (run.font < 0 || static_cast<std::size_t>(run.font) >= fonts_.size())
                bad_layout("a run on page " + std::to_string(index + 1) + " has font id " + std::to_string(run.font));
        ensure_pages(index + 1);
        if (drawn_[index]) bad_layout("page index " + std::to_string(index) + " is drawn twice");
        drawn_[index] = true;
        draw_page(index, page);
    }

    std::string finish(const Layout& layout) {
        if (pages_.empty()) {  // a layout without pages: one empty page
            ensure_pages(1);
            drawn_[0] = true;
        }
        for (const auto& [page, index] : internal_links_)
            if (!valid_page(index))
                bad_layout("a link on page " + std::to_string(page + 1) + " goes to page index " + std::to_string(index));
        for (std::size_t i = 0; i < drawn_.size(); ++i)
            if (!drawn_[i]) bad_layout("page index " + std::to_string(i) + " is never drawn");
        for (const OutlineEntry& entry : layout.outline)
            if (!valid_page(entry.page))
                bad_layout("outline entry \"" + entry.title + "\" goes to page index " + std::to_string(entry.page));
        if (pages_.size() > kPagesPerNode) doc_.group_pages(kPagesPerNode);
        finish_fonts();
        add_outline(layout.outline);
        add_info(layout.info);
        doc_.set_language(is_language_tag(layout.language) ? layout.language : std::string());
        // The file is mostly the streams written so far; the rest is a few hundred bytes
        // a page and link.
        std::size_t expected = doc_.stream_bytes() + 512 * pages_.size() + 160 * links_ + (64 << 10);
        return doc_.save(expected);
    }

private:
    bool valid_page(int index) const { return index >= 0 && static_cast<std::size_t>(index) < pages_.size(); }

    // The glyphs `run` draws: its shaped ones, or for a run without, its characters'
    // nominal glyphs (into `scratch`).
    const std::vector<PlacedGlyph>& glyphs_of(const GlyphRun& run, std::vector<PlacedGlyph>& scratch) const {
        if (!run.glyphs.empty() || run.text.empty()) return run.glyphs;
        scratch.clear();
        fonts_.nominal_glyphs(run.font, run.text, scratch);
        return scratch;
    }

    // The bytes of `run.text` each glyph stands for, for the ToUnicode CMap: the glyph
    // that comes first in a cluster carries all of it; the cluster's other glyphs none
    // (an empty range). Into ranges_.
    void cluster_ranges(const GlyphRun& run, const std::vector<PlacedGlyph>& glyphs) {
        starts_.clear();
        for (const PlacedGlyph& g : glyphs) starts_.push_back(std::min<std::uint32_t>(g.cluster, std::uint32_t(run.text.size())));
        std::sort(starts_.begin(), starts_.end());
        starts_.erase(std::unique(starts_.begin(), starts_.end()), starts_.end());
        given_.assign(starts_.size(), false);
        ranges_.assign(glyphs.size(), {0, 0});
        for (std::size_t i = 0; i < glyphs.size(); ++i) {
            std::uint32_t begin = std::min<std::uint32_t>(glyphs[i].cluster, std::uint32_t(run.text.size()));
            std::size_t k = static_cast<std::size_t>(std::lower_bound(starts_.begin(), starts_.end(), begin) - starts_.begin());
            if (given_[k]) continue;
            given_[k] = true;
            ranges_[i] = {begin, k + 1 < starts_.size() ? starts_[k + 1] : std::uint32_t(run.text.size())};
        }
    }

    // What a document draws with one glyph source: the glyphs, the text each stands for
    // (UTF-8, the first cluster it drew; empty while it has only been part of one) and
    // width, and the font the pages name (made on first use, finished by finish_fonts()).
    struct Source {
        HPDF_Font font = nullptr;
        std::vector<std::int32_t> slot;  // by glyph id: index into ids and texts, or -1
        std::vector<std::uint32_t> ids;
        std::vector<std::string> texts;
        std::vector<std::int16_t> widths;  // by glyph id, in 1/1000 em (as /W says)
    };

    // Records the glyphs of `run` as drawn with `source` (their text, for the ToUnicode
    // CMap; their widths), and says whether the run needs its text as /ActualText: when
    // its glyphs do not give it back, in order, through the CMap. Runs are noted in the
    // order they are drawn, so that a glyph's text is the first cluster it drew.
    bool note_glyphs(const GlyphRun& run, const std::vector<PlacedGlyph>& glyphs, std::size_t source_id) {
        Source& source = sources_[source_id];
        cluster_ranges(run, glyphs);
        bool faithful = true;
        for (std::size_t i = 0; i < glyphs.size(); ++i) {
            std::string_view text = std::string_view(run.text).substr(ranges_[i].first, ranges_[i].second - ranges_[i].first);
            std::uint32_t id = glyphs[i].id <= kMaxGlyphId ? glyphs[i].id : 0;
            if (id >= source.slot.size()) source.slot.resize(id + 1, -1);
            std::int32_t& slot = source.slot[id];
            if (slot < 0) {
                slot = static_cast<std::int32_t>(source.ids.size());
                source.ids.push_back(id);
                source.texts.emplace_back(text);
                if (id >= source.widths.size()) source.widths.resize(id + 1, 0);
                source.widths[id] = static_cast<std::int16_t>(fonts_.glyph_width_per_mille(static_cast<FontId>(source_id), id));
            } else if (source.texts[static_cast<std::size_t>(slot)].empty() && !text.empty()) {
                source.texts[static_cast<std::size_t>(slot)] = text;
            }
            if (text.empty() || source.texts[static_cast<std::size_t>(slot)] != text) faithful = false;
            // clusters out of order (logical, or for right-to-left text its reverse)
            if (i > 0 && (run.right_to_left ? glyphs[i].cluster > glyphs[i - 1].cluster
                                             : glyphs[i].cluster < glyphs[i - 1].cluster))
                faithful = false;
        }
        return !faithful;
    }

    // One subset per glyph source holding every glyph drawn with it.
    void finish_fonts() {
        for (std::size_t id = 0; id < sources_.size(); ++id) {
            Source& source = sources_[id];
            if (!source.font) continue;
            std::vector<std::uint32_t> new_ids;
            std::string file = fonts_.subset(static_cast<FontId>(id), source.ids, new_ids);
            std::vector<HpdfDocument::FontGlyph> glyphs;
            glyphs.reserve(source.ids.size());
            for (std::size_t k = 0; k < source.ids.size(); ++k)
                glyphs.push_back({source.ids[k], new_ids[k], source.widths[source.ids[k]], utf16(source.texts[k])});
            std::sort(glyphs.begin(), glyphs.end(), [](const auto& a, const auto& b) { return a.cid < b.cid; });
            glyphs.erase(std::unique(glyphs.begin(), glyphs.end(), [](const auto& a, const auto& b) { return a.cid == b.cid; }),
                         glyphs.end());
            doc_.finish_font(source.font, file, glyphs);
        }
    }

    // Each resource once, however many times it is drawn: JPEG as it is, PNG through
    // libharu, GIF and WebP as PNG (the typesetter hands them over as PNG already: one
    // that does not decode is its alt text there); nullptr for one that libharu cannot
    // read, which is left out (the typesetter has reserved its place).
    HPDF_Image image_of(const std::shared_ptr<const Resource>& resource) {
        if (!resource) return nullptr;
        auto found = images_.find(resource.get());
        if (found != images_.end()) return found->second.second;
        HPDF_Image image = nullptr;
        if (resource->media_type == "image/jpeg") {
            image = doc_.load_image(resource->bytes, true);
        } else if (resource->media_type == "image/png") {
            image = doc_.load_image(resource->bytes, false);
        } else if (std::optional<std::string> png = image_as_png(*resource)) {
            image = doc_.load_image(*png, false);
        }
        // The resource is kept alive with its image: its address is the key.
        images_[resource.get()] = {resource, image};
        return image;
    }

    // The cover: a page of its own, the image as large as it fits, centred.
    void add_cover(const std::string& cover_image) {
        if (cover_image.empty()) return;
        const auto* bytes = reinterpret_cast<const HPDF_BYTE*>(cover_image.data());
        const auto size = static_cast<HPDF_UINT>(cover_image.size());
        bool png = cover_image.starts_with("\x89PNG");
        HPDF_Image image = png ? doc_.check(HPDF_LoadPngImageFromMem(doc_.get(), bytes, size), "HPDF_LoadPngImageFromMem")
                               : doc_.check(HPDF_LoadJpegImageFromMem(doc_.get(), bytes, size), "HPDF_LoadJpegImageFromMem");
        HPDF_Page page = doc_.add_page();
        float width = static_cast<float>(HPDF_Image_GetWidth(image));
        float height = static_cast<float>(HPDF_Image_GetHeight(image));
        if (width <= 0 || height <= 0) return;
        float scale = std::min(page_width_ / width, page_height_ / height);
        float w = width * scale, h = height * scale;
        doc_.check(HPDF_Page_DrawImage(page, image, (page_width_ - w) / 2, (page_height_ - h) / 2, w, h),
                   "HPDF_Page_DrawImage");
    }

    // Pages are made in order, empty, as far as a page drawn or a link's destination
    // needs: a book's contents are drawn after its body, into pages made before it.
    void ensure_pages(std::size_t count) {
        while (pages_.size() < count) {
            pages_.push_back(doc_.add_page());
            drawn_.push_back(false);
        }
    }

    void draw_page(std::size_t index, const Page& page) {
        HPDF_Page hpdf_page = pages_[index];
        std::vector<std::string> resource(fonts_.size());  // per glyph source, on this page
        PageContent content(content_);
        for (const PlacedImage& placed : page.images)
            if (HPDF_Image image = image_of(placed.resource))
                content.image(doc_.image_resource(hpdf_page, image), placed.rect);
        for (const Rule& rule : page.rules) content.rule(rule);
        std::vector<PlacedGlyph> scratch;
        for (const GlyphRun& run : page.runs) {
            const std::vector<PlacedGlyph>& glyphs = glyphs_of(run, scratch);
            if (glyphs.empty()) continue;
            std::size_t source_id = static_cast<std::size_t>(source_[static_cast<std::size_t>(run.font)]);
            bool actual_text = note_glyphs(run, glyphs, source_id);
            Source& source = sources_[source_id];
            if (!source.font) source.font = doc_.new_font();
            std::string& name = resource[source_id];
            if (name.empty()) name = doc_.font_resource(hpdf_page, source.font);
            content.run(run, glyphs, {static_cast<int>(source_id), &name, &source.widths},
                        synthetic_bold_[static_cast<std::size_t>(run.font)], actual_text);
        }
        content.finish();
        if (!content_.empty()) doc_.set_content(hpdf_page, content_);
        for (std::size_t i = 0; i < page.links.size() && i < kMaxLinksPerPage; ++i) add_link(index, page.links[i]);
    }

    void add_link(std::size_t page_index, const LinkArea& link) {
        HPDF_Page page = pages_[page_index];
        // On the page (libharu also refuses numbers beyond ±32,767), corners in order.
        auto x = [this](float v) { return std::isfinite(v) ? std::clamp(v, 0.0f, page_width_) : 0.0f; };
        auto y = [this](float v) { return std::isfinite(v) ? std::clamp(v, 0.0f, page_height_) : 0.0f; };
        const Rect& r = link.rect;
        HPDF_Rect rect{std::min(x(r.left), x(r.right)), std::min(y(r.bottom), y(r.top)), std::max(x(r.left), x(r.right)),
                       std::max(y(r.bottom), y(r.top))};
        if (!link.uri.empty()) {
            std::string uri = ascii_uri(link.uri);
            if (uri.size() > kMaxUriBytes) return;
            doc_.add_link(page, rect, std::move(uri));
        } else {
            // A destination later in the document: its page is made now, drawn when it comes.
            if (link.dest_page < 0 || link.dest_page > kMaxPageIndex) {
                internal_links_.emplace_back(page_index, link.dest_page);  // reported by finish()
                return;
            }
            ensure_pages(static_cast<std::size_t>(link.dest_page) + 1);
            internal_links_.emplace_back(page_index, link.dest_page);
            float top = std::isfinite(link.dest_top) ? std::clamp(link.dest_top, 0.0f, page_height_) : page_height_;
            doc_.add_link(page, rect, std::string(), pages_[static_cast<std::size_t>(link.dest_page)], top);
        }
        ++links_;
    }

    // The view of page `index` with `top` at the top edge, zoom unchanged.
    HPDF_Destination destination_at(int index, float top) {
        float clamped = std::isfinite(top) ? std::clamp(top, 0.0f, page_height_) : page_height_;
        return doc_.view_at(pages_[static_cast<std::size_t>(index)], clamped);
    }

    // Each entry is a child of the nearest earlier entry with a smaller level.
    void add_outline(const std::vector<OutlineEntry>& entries) {
        if (entries.empty()) return;
        std::vector<std::pair<int, HPDF_Outline>> ancestors;
        for (const OutlineEntry& entry : entries) {
            while (!ancestors.empty() && ancestors.back().first >= entry.level) ancestors.pop_back();
            HPDF_Outline parent = ancestors.empty() ? nullptr : ancestors.back().second;
            std::string title = clean_string(entry.title, kMaxStringBytes);
            HPDF_Outline outline =
                doc_.check(HPDF_CreateOutline(doc_.get(), parent, "", nullptr), "HPDF_CreateOutline");
            doc_.set_outline_title(outline, title);
            doc_.check(HPDF_Outline_SetDestination(outline, destination_at(entry.page, entry.top)),
                       "HPDF_Outline_SetDestination");
            // Top-level entries open, so a reader sees the chapters' sections at once.
            if (!parent) doc_.check(HPDF_Outline_SetOpened(outline, HPDF_TRUE), "HPDF_Outline_SetOpened");
            ancestors.emplace_back(entry.level, outline);
        }
        doc_.check(HPDF_SetPageMode(doc_.get(), HPDF_PAGE_MODE_USE_OUTLINE), "HPDF_SetPageMode");
    }

    void add_info(const Info& info) {
        const std::pair<const char*, const std::string*> fields[] = {
            {"Title", &info.title},     {"Author", &info.author},   {"Subject", &info.subject},
            {"Keywords", &info.keywords}, {"Creator", &info.creator}, {"Producer", &info.producer},
        };
        for (const auto& [key, value] : fields)
            if (!value->empty()) doc_.set_info(key, clean_string(*value, kMaxStringBytes));
        if (info.created)
            doc_.check(HPDF_SetInfoDateAttr(doc_.get(), HPDF_INFO_CREATION_DATE, to_date(*info.created)),
                       "HPDF_SetInfoDateAttr");
        if (info.modified)
            doc_.check(HPDF_SetInfoDateAttr(doc_.get(), HPDF_INFO_MOD_DATE, to_date(*info.modified)),
                       "HPDF_SetInfoDateAttr");
    }

    const SystemFonts& fonts_;
    const float page_width_, page_height_;
    HpdfDocument doc_;
    std::vector<Source> sources_;        // by glyph source
    std::vector<bool> synthetic_bold_;   // by FontId
    std::vector<FontId> source_;         // by FontId
    // cluster_ranges()'s scratch and result
    std::vector<std::uint32_t> starts_;
    std::vector<bool> given_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges_;
    std::vector<HPDF_Page> pages_;
    std::vector<bool> drawn_;  // by page index
    std::vector<std::pair<std::size_t, int>> internal_links_;  // (page, destination), checked by finish()
    std::size_t links_ = 0;
    std::map<const Resource*, std::pair<std::shared_ptr<const Resource>, HPDF_Image>> images_;  // nullptr: unreadable
    std::string content_;  // the page being drawn; its capacity is reused
};

PdfBuilder::PdfBuilder(const SystemFonts& fonts, float page_width, float page_height, const std::string& cover_image)
    : renderer_(std::make_unique<Renderer>(fonts, page_width, page_height, cover_image)) {}

PdfBuilder::~PdfBuilder() = default;

void PdfBuilder::add_page(std::size_t index, const Page& page) { renderer_->add_page(index, page); }

std::string PdfBuilder::finish(const Layout& layout) { return renderer_->finish(layout); }

std::string render_pdf(const Layout& layout, const SystemFonts& fonts) {
    PdfBuilder builder(fonts, layout.page_width, layout.page_height, layout.cover_image);
    for (std::size_t i = 0; i < layout.pages.size(); ++i) builder.add_page(i, layout.pages[i]);
    return builder.finish(layout);
}

}  // namespace dconv::pdf
