// paragraph.cpp: setting a paragraph — styled text to boxes, glue and penalties, total-fit
// breaks (breaking.hpp), then lines of positioned fragments.
#include "pdf/paragraph.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>

#include <unicode/ubidi.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "core/text.hpp"
#include "pdf/breaking.hpp"
#include "pdf/hyphenate.hpp"
#include "pdf/script.hpp"

namespace dconv::pdf {

namespace {

// ---- Typographic constants ---------------------------------------------------------

// TeX's interword glue: a third of an em, stretching by a sixth and shrinking by a
// ninth, that is by a half and a third of the space (cmr10's fontdimens).
constexpr float space_stretch = 1.0f / 2;
constexpr float space_shrink = 1.0f / 3;
// Glue between CJK characters: none at rest, and up to this much (em) when a line is
// justified (TeX-CJK's \CJKglue stretches by about a tenth of an em). A little more
// than that, since a line that kinsoku makes one or two characters short has only its
// inter-character gaps to spread the room over; no shrink, since glyphs on the grid
// cannot move closer without touching.
constexpr float cjk_stretch_em = 0.15f;
// Ragged lines are broken as if their right margin could stretch by this much (TeX's
// \rightskip 0pt plus 3em): lines come out within a few em of the measure, rather than
// full ones followed by a short one.
constexpr float ragged_stretch_em = 3;
// The last pass's extra stretch per line (TeX's \emergencystretch): lets a paragraph
// that no pass could set within the tolerance spread its looseness over many lines
// instead of making one very bad one.
constexpr float emergency_stretch_em = 3;
// A line's ascent for the typesetter: roughly the cap height of its largest type.
constexpr float ascent_of_size = 0.8f;
// Combining marks stay with their base character, but no more than this many: UAX #15's
// stream-safe format allows 30 in a row, and a longer string of marks (an attack, or
// "Zalgo" text) may break between them rather than make one unbreakable cluster.
constexpr int max_attached_marks = 30;
// A tab in unbreakable text (code) is this many spaces.
constexpr int tab_width = 4;
// Widths (em) for when no font has a space, or the '?' drawn for a missing character.
constexpr float fallback_space_em = 0.25f;
constexpr float fallback_replacement_em = 0.5f;
// A line is overfull when wider than the measure by more than float rounding.
constexpr float overfull_slack = 0.01f;
// Below this, inter-character glue is no glue: the characters share one fragment.
constexpr float spacing_epsilon = 1e-4f;

// ---- Font look-ups, cached per call -----------------------------------------------

struct Glyph {
    FontId font = -1;  // the font that draws the character, -1 for none
    float advance = 0;  // em
};

// FontTable is an interface (a virtual call or two per character, maybe a map look-up
// behind it): ASCII answers are kept in a table per wanted font, the rest in a map.
class Metrics {
public:
    static constexpr FontId unknown = -2;  // an ASCII table entry not looked up yet
    using AsciiTable = std::array<Glyph, 128>;

    explicit Metrics(const FontTable& fonts) : fonts_(fonts) {}
    const FontTable& fonts() const { return fonts_; }

    Glyph look_up(FontId wanted, char32_t c) const {
        FontId font = fonts_.resolve(wanted, c);
        if (font < 0) return {-1, 0};
        return {font, fonts_.advance(font, c)};
    }

    // The ASCII table of `wanted`, filled in as characters are asked for; it stays
    // where it is for the Metrics' life.
    AsciiTable& ascii_table(FontId wanted) {
        for (auto& [font, table] : tables_)
            if (font == wanted) return *table;
        auto table = std::make_unique<AsciiTable>();
        table->fill({unknown, 0});
        tables_.emplace_back(wanted, std::move(table));
        return *tables_.back().second;
    }

    Glyph glyph(FontId wanted, char32_t c) {
        if (c < 0x80) {
            Glyph& entry = ascii_table(wanted)[c];
            if (entry.font == unknown) entry = look_up(wanted, c);
            return entry;
        }
        std::uint64_t key = (std::uint64_t(std::uint32_t(wanted)) << 32) | c;
        auto [it, inserted] = others_.try_emplace(key);
        if (inserted) it->second = look_up(wanted, c);
        return it->second;
    }

private:
    const FontTable& fonts_;
    std::vector<std::pair<FontId, std::unique_ptr<AsciiTable>>> tables_;  // a few fonts
    std::unordered_map<std::uint64_t, Glyph> others_;
};

// ---- Items ---------------------------------------------------------------------------

// What an item is, beyond what the breaker needs to know.
enum class Role : std::uint8_t {
    text,          // box: characters
    space,         // box: a space that does not break (U+00A0, spaces in code)
    word_space,    // glue: a space between words
    cjk_glue,      // glue: between CJK characters, where justification spreads them
    word_boundary, // glue: between words of a script written without spaces (Thai)
    break_stretch, // glue: a ragged right end for a line broken inside a web address
    hyphen,        // penalty: a hyphenation point, drawing a hyphen when broken at
    break_after,   // penalty: after an explicit hyphen, inside an overlong word, at U+200B
    forbid,        // penalty: kinsoku, no break at the following glue
    forced_break,  // penalty: '\n' and the paragraph's end
};

// The rest of an item (its Role is the BreakItem's tag). Items are many (a third of the
// text's bytes): small ones keep a long paragraph's memory and time down, and 32-bit
// offsets are plenty for a paragraph.
struct Payload {
    std::uint32_t span = 0;        // where it comes from (style, size)
    FontId font = 0;               // box: the font drawing it; hyphen: the hyphen's font
    std::uint32_t text_begin = 0;  // box: its source text, in Items::text
    std::uint32_t text_end = 0;
    std::uint32_t glyph_begin = 0;  // box: its glyphs, in Items::glyphs (clusters into its text)
    std::uint32_t glyph_end = 0;
    std::uint8_t level = 0;         // box and glue: the bidi embedding level (odd: right to left)
};

struct Items {
    std::vector<BreakItem> breaking;  // what find_breaks sees
    std::vector<Payload> payload;     // the same items, for setting the lines
    std::string text;                 // all boxes' text, back to back
    std::vector<PlacedGlyph> glyphs;  // all boxes' glyphs, back to back
    std::size_t boxes = 0;
    std::size_t missing_glyphs = 0;
    std::vector<char32_t> missing_characters;

    void clear() {
        breaking.clear();
        payload.clear();
        text.clear();
        glyphs.clear();
        boxes = missing_glyphs = 0;
        missing_characters.clear();
    }
    void reserve(std::size_t count) {
        breaking.reserve(count);
        payload.reserve(count);
    }
    void push(BreakItem item, Role role, const Payload& data) {
        item.tag = std::uint8_t(role);
        breaking.push_back(item);
        payload.push_back(data);
    }
    Role role(std::size_t index) const { return Role(breaking[index].tag); }
    bool ends_with_forced_break() const {
        return !breaking.empty() && role(breaking.size() - 1) == Role::forced_break;
    }
};

// A character of the word being collected.
struct WordChar {
    char32_t c = 0;
    std::uint32_t span = 0;
    std::uint32_t begin = 0, end = 0;  // its bytes in the span's text
    std::uint8_t spaces = 0;           // drawn as this many spaces (0: itself)
    bool attached = false;             // a combining mark: never broken from the one before
    bool soft_hyphen_after = false;
    std::uint8_t level = 0;            // bidi embedding level
    // Filled when the word is flushed:
    FontId font = 0;
    float width = 0;            // of its cluster's glyphs, on the cluster's first character
    bool missing = false;
    bool cluster_start = true;  // shaping began a cluster here: a break may come before it
    std::uint32_t glyph_begin = 0, glyph_end = 0;  // its cluster's glyphs, in the word's
};

// The bidi embedding levels of a paragraph's text (UAX #9, from ICU's ubidi), per span
// and byte. Text with no right-to-left character in a left-to-right paragraph is all
// level 0, and costs no ICU call.
class BidiLevels {
public:
    BidiLevels(const std::vector<Span>& spans, Direction direction) {
        bool any = direction == Direction::right_to_left;
        for (std::size_t s = 0; s < spans.size() && !any; ++s) any = has_right_to_left(spans[s].text);
        if (!any) return;
        std::u16string text;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> origin;  // per UTF-16 unit: span, byte
        for (std::uint32_t s = 0; s < spans.size(); ++s) {
            std::string_view t = spans[s].text;
            for (std::size_t i = 0; i < t.size();) {
                std::size_t at = i;
                char32_t c = text::next(t, i);
                if (c >= 0x10000) {
                    text += char16_t(0xD800 + ((c - 0x10000) >> 10));
                    text += char16_t(0xDC00 + ((c - 0x10000) & 0x3FF));
                    origin.emplace_back(s, at);
                    origin.emplace_back(s, at);
                } else {
                    text += char16_t(c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c);
                    origin.emplace_back(s, at);
                }
            }
        }
        UErrorCode error = U_ZERO_ERROR;
        UBiDi* bidi = ubidi_openSized(static_cast<int32_t>(text.size()), 0, &error);
        UBiDiLevel base = direction == Direction::right_to_left   ? 1
                          : direction == Direction::left_to_right ? 0
                                                                  : UBIDI_DEFAULT_LTR;
        ubidi_setPara(bidi, text.data(), static_cast<int32_t>(text.size()), base, nullptr, &error);
        const UBiDiLevel* levels = U_SUCCESS(error) ? ubidi_getLevels(bidi, &error) : nullptr;
        if (U_SUCCESS(error) && levels) {
            paragraph_level_ = ubidi_getParaLevel(bidi);
            per_span_.resize(spans.size());
            for (std::size_t s = 0; s < spans.size(); ++s) per_span_[s].assign(spans[s].text.size(), paragraph_level_);
            for (std::size_t u = 0; u < origin.size(); ++u) {
                auto [s, at] = origin[u];
                auto& span_levels = per_span_[s];
                std::size_t end = at + 1;
                while (end < span_levels.size() && (static_cast<unsigned char>(spans[s].text[end]) & 0xC0) == 0x80) ++end;
                for (std::size_t b = at; b < end; ++b) span_levels[b] = levels[u];
            }
        }
        ubidi_close(bidi);
    }
    bool trivial() const { return per_span_.empty(); }
    std::uint8_t paragraph_level() const { return paragraph_level_; }
    std::uint8_t at(std::uint32_t span, std::size_t byte) const {
        if (per_span_.empty()) return paragraph_level_;
        const auto& levels = per_span_[span];
        return byte < levels.size() ? levels[byte] : paragraph_level_;
    }

private:
    // Characters of the right-to-left scripts and the bidi controls that make text
    // right to left: Hebrew to NKo, Samaritan to Arabic Extended-A, the presentation
    // forms, RLM/RLE/RLO/RLI, and the historic right-to-left scripts above U+10800.
    static bool has_right_to_left(std::string_view text) {
        for (std::size_t i = 0; i < text.size();) {
            if (static_cast<unsigned char>(text[i]) < 0x80) {
                ++i;
                continue;
            }
            char32_t c = text::next(text, i);
            if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF) ||
                c == 0x200F || c == 0x202B || c == 0x202E || c == 0x2067 || (c >= 0x10800 && c <= 0x10FFF) ||
                (c >= 0x1E800 && c <= 0x1EFFF))
                return true;
        }
        return false;
    }

    std::uint8_t paragraph_level_ = 0;
    std::vector<std::vector<std::uint8_t>> per_span_;
};

// Whether ICU's dictionary finds the word breaks of `c`'s script (UAX #14 class SA:
// Thai, Lao, Khmer, Myanmar, written without spaces between words).
bool needs_dictionary(char32_t c) {
    return c >= 0x0E00 && u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT;
}

// Common or Inherited (UAX #24): punctuation, digits and marks shared by scripts.
bool has_no_script(char32_t c) {
    UErrorCode error = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &error);
    return U_SUCCESS(error) && (script == USCRIPT_COMMON || script == USCRIPT_INHERITED);
}

// ICU's line break iterator, one per thread (opening one loads its rules).
UBreakIterator* line_breaker() {
    struct Holder {
        UBreakIterator* iterator = nullptr;
        ~Holder() {
            if (iterator) ubrk_close(iterator);
        }
    };
    thread_local Holder holder;
    if (!holder.iterator) {
        UErrorCode error = U_ZERO_ERROR;
        holder.iterator = ubrk_open(UBRK_LINE, "", nullptr, 0, &error);
        if (U_FAILURE(error)) holder.iterator = nullptr;
    }
    return holder.iterator;
}

// The measures for which items made at one measure stay the same: each decision that
// compared a width with the room of a line (a word too wide for it is split, a run too
// long for it may break anywhere) holds for a room no narrower than every width that fit
// and narrower than every width that did not. Kept apart for the first line's room and
// the others'.
struct RoomLimits {
    struct Range {
        double widest_fit = -1e300, narrowest_misfit = 1e300;
        bool holds(double room) const { return widest_fit <= room && room < narrowest_misfit; }
    };
    Range first, later;
};

// Turns spans into items. Latin text becomes one box per word (per font run of it, and
// per syllable when hyphenating), spaces glue; CJK text one box per character with glue
// between; see script.hpp for which neighbours may break.
class ItemBuilder {
public:
    ItemBuilder(const std::vector<Span>& spans, const ParagraphStyle& style, Metrics& metrics,
                const BidiLevels& bidi, const Hyphenator* hyphenator, float first_measure, Items& items,
                RoomLimits* limits = nullptr)
        : spans_(spans), style_(style), metrics_(metrics), bidi_(bidi), hyphenator_(hyphenator),
          first_measure_(first_measure), justify_(style.align == Align::justify), items_(items), limits_(limits) {}

    // Fills the items (emptied first; their memory is reused: the pass that hyphenates
    // rebuilds them in the first pass's).
    void build() {
        std::size_t bytes = 0;
        for (const auto& span : spans_) bytes += span.text.size();
        items_.clear();
        // English makes an item per 3.3 bytes (word, space), one per 1.9 bytes with
        // hyphenation points. Growing the arrays would copy them, and double them, while
        // room reserved and not used costs no memory: ask for a little more, and for
        // hyphenation points whenever a later pass may hyphenate.
        bool may_hyphenate = style_.hyphenator || !style_.hyphenation_language.empty();
        items_.reserve((may_hyphenate ? bytes * 3 / 5 : bytes * 2 / 5) + 4);
        items_.text.reserve(bytes);
        items_.glyphs.reserve(bytes);
        for (std::uint32_t index = 0; index < spans_.size(); ++index) add_span(index);
        flush_word();
        while (items_.payload.size() >= 2 && items_.ends_with_forced_break() &&
               items_.role(items_.breaking.size() - 2) == Role::forced_break) {
            items_.breaking.pop_back();
            items_.payload.pop_back();
        }
        if (!items_.ends_with_forced_break()) add_forced_break(last_span_);
        allow_breaks_in_overlong_runs();
    }

private:
    // Whether `width` is wider than a line's room: the first line's (shorter by its
    // indent) until a break has been seen, then the others'. Noted in limits_.
    bool exceeds(double width, bool broken_before) {
        float room = broken_before ? style_.width : std::min(style_.width, first_measure_);
        bool wider = width > room;
        if (limits_) {
            RoomLimits::Range& range = broken_before ? limits_->later : limits_->first;
            if (wider) range.narrowest_misfit = std::min(range.narrowest_misfit, width);
            else range.widest_fit = std::max(range.widest_fit, width);
        }
        return wider;
    }

    void add_span(std::uint32_t index) {
        const Span& span = spans_[index];
        if (span.object >= 0) [[unlikely]] {
            add_object(index);
            return;
        }
        std::string_view text = span.text;
        if (!text.empty()) last_span_ = index;
        for (std::size_t i = 0; i < text.size();) {
            if (span.breakable && !has_previous_ && word_unit(text, i)) {
                std::size_t end = i + word_unit(text, i);
                while (end < text.size()) {
                    std::size_t unit = word_unit(text, end);
                    if (!unit) break;
                    end += unit;
                }
                if (end < text.size() && (text[end] == ' ' || text[end] == '\n')) {
                    add_ascii_word(index, i, end);
                    i = end;
                    continue;
                }
            }
            std::size_t begin = i;
            char32_t c = text::next(text, i);
            CharClass kind = classify(c);
            std::uint8_t spaces = 0;
            if (!span.breakable && kind.kind == BreakClass::space) {
                kind = {BreakClass::nonbreaking_space, false};
                spaces = c == '\t' ? tab_width : 1;
            } else if (kind.kind == BreakClass::nonbreaking_space) {
                spaces = 1;
            }
            WordChar wc{c, index, std::uint32_t(begin), std::uint32_t(i), spaces};
            wc.level = bidi_.at(index, begin);
            switch (kind.kind) {
                case BreakClass::newline:
                    flush_word();
                    compound_has_hyphen_ = false;
                    pending_space_ = pending_break_ = false;
                    add_forced_break(index);
                    has_previous_ = false;
                    line_has_content_ = false;
                    break;
                case BreakClass::space:
                    flush_word();
                    compound_has_hyphen_ = false;
                    if (line_has_content_ && !pending_space_) {
                        pending_space_ = true;
                        space_span_ = index;
                        space_level_ = bidi_.at(index, begin);
                    }
                    has_previous_ = false;
                    break;
                case BreakClass::zero_width_break:
                    flush_word();
                    if (line_has_content_) pending_break_ = true;
                    has_previous_ = false;
                    break;
                case BreakClass::soft_hyphen:
                    if (!word_.empty()) word_.back().soft_hyphen_after = word_has_soft_hyphen_ = true;
                    break;
                case BreakClass::ignorable:
                    break;
                case BreakClass::combining:
                    if (has_previous_ && !word_.empty() && marks_in_a_row_ < max_attached_marks) {
                        wc.attached = true;
                        word_.push_back(wc);
                        ++marks_in_a_row_;
                        break;
                    }
                    kind = {BreakClass::alphabetic, false};
                    add_printing(wc, kind);
                    break;
                default:
                    add_printing(wc, kind);
                    break;
            }
        }
    }

    // Printable ASCII but space and hyphen: characters that neither break nor join
    // specially between themselves (script.hpp: narrow, alphabetic or punctuation).
    static bool ascii_word_byte(char byte) { return byte > ' ' && byte < 0x7F && byte != '-'; }
    // The bytes of the character at text[i] if it is one the fast way takes (such a byte,
    // or a typographic quote: narrow, no join with its neighbours), else 0.
    static std::size_t word_unit(std::string_view text, std::size_t i) {
        if (ascii_word_byte(text[i])) return 1;
        if (static_cast<unsigned char>(text[i]) == 0xE2 && i + 2 < text.size() &&
            static_cast<unsigned char>(text[i + 1]) == 0x80) {
            auto last = static_cast<unsigned char>(text[i + 2]);
            if (last == 0x98 || last == 0x99 || last == 0x9C || last == 0x9D) return 3;
        }
        return 0;
    }

    // The fast way for most of Latin text: a word of ASCII at a word's start, ending at
    // a space or newline of the same span. It makes the items that adding its characters
    // one by one would (no joins apply between them) without a record per character;
    // anything unusual (a character another font or none draws, a word wider than the
    // line) goes the general way.
    void add_ascii_word(std::uint32_t index, std::size_t begin, std::size_t end) {
        if (add_plain_ascii_word(index, begin, end)) return;
        const std::string& text = spans_[index].text;
        for (std::size_t k = begin; k < end;) {
            std::size_t at = k;
            char32_t c = text::next(text, k);
            WordChar wc{c, index, std::uint32_t(at), std::uint32_t(k)};
            wc.level = bidi_.at(index, at);
            add_printing(wc, classify(c));
        }
        flush_word();
    }

    bool add_plain_ascii_word(std::uint32_t index, std::size_t begin, std::size_t end) {
        if (!bidi_.trivial()) return false;  // levels per character: the general way
        std::string_view word = std::string_view(spans_[index].text).substr(begin, end - begin);
        if (word.find("://") != std::string_view::npos || word.starts_with("www.")) return false;  // find_url_breaks
        const Span& span = spans_[index];
        const std::string& text = span.text;
        Metrics::AsciiTable& table = ascii_table(index);
        FontId font = Metrics::unknown;
        char32_t last = 0, before_last = 0;
        for (std::size_t k = begin; k < end;) {
            char32_t c = text::next(text, k);
            Glyph glyph;
            if (c < 0x80) {
                Glyph& entry = table[c];
                if (entry.font == Metrics::unknown) entry = metrics_.look_up(span.font, c);
                glyph = entry;
            } else {
                glyph = metrics_.glyph(span.font, c);
            }
            if (glyph.font < 0 || (font != Metrics::unknown && glyph.font != font)) return false;
            font = glyph.font;
            before_last = last;
            last = c;
        }
        shaped_.clear();
        metrics_.fonts().shape(font, std::string_view(text).substr(begin, end - begin), {}, shaped_);
        float total = 0;
        for (const PlacedGlyph& g : shaped_) total += g.advance * span.size;
        bool broken_before = break_seen_ || pending_space_ || pending_break_;
        if (exceeds(total, broken_before)) return false;

        add_pending(index);
        points_.clear();
        if (hyphenator_) find_ascii_hyphenation_points(text, begin, end);
        std::size_t piece = begin, glyph = 0;
        for (std::size_t after : points_) {
            // A point inside a ligature's cluster ("f|i") is no break.
            std::size_t cut = glyph;
            while (cut < shaped_.size() && shaped_[cut].cluster < after + 1 - begin) ++cut;
            if (cut == shaped_.size() || shaped_[cut].cluster != after + 1 - begin) continue;
            add_ascii_box(index, font, piece, after + 1, begin, glyph, cut);
            add_hyphen_penalty(index);
            piece = after + 1;
            glyph = cut;
        }
        add_ascii_box(index, font, piece, end, begin, glyph, shaped_.size());

        // as add_printing() leaves things after the word's last character
        alnum_before_previous_ = before_last != 0 && text::is_alnum(before_last);
        previous_alnum_ = text::is_alnum(last);
        previous_ = classify(last);
        previous_char_ = last;
        previous_span_ = index;
        has_previous_ = line_has_content_ = true;
        marks_in_a_row_ = 0;
        return true;
    }

    // An inline object: one box of its width, joined to the text on either side unless
    // a space parts them (as a word is).
    // (Out of line and without add_pending(), which the text's hot path wants inlined.)
    [[gnu::noinline, gnu::cold]] void add_object(std::uint32_t index) {
        const Span& span = spans_[index];
        flush_word();
        compound_has_hyphen_ = false;
        if (pending_space_) {
            add_space_glue(space_span_);
        } else if (pending_break_) {
            add_penalty(Role::break_after, 0, 0, false, index);
        }
        pending_space_ = pending_break_ = false;
        Payload data{index, span.font, std::uint32_t(items_.text.size())};
        data.text_end = data.text_begin;
        data.glyph_begin = data.glyph_end = std::uint32_t(items_.glyphs.size());
        data.level = bidi_.at(index, 0);
        items_.push({.kind = BreakItem::Kind::box, .width = span.object_width}, Role::text, data);
        ++items_.boxes;
        last_span_ = index;
        has_previous_ = false;  // no join rule between an object and what follows
        line_has_content_ = true;
    }

    // A box of bytes [from, to) of span `index`, drawn by shaped_[glyph_from, glyph_to)
    // (shaped from the word starting at byte `word`).
    void add_ascii_box(std::uint32_t index, FontId font, std::size_t from, std::size_t to, std::size_t word,
                       std::size_t glyph_from, std::size_t glyph_to) {
        const Span& span = spans_[index];
        float width = 0;
        Payload data{index, font, std::uint32_t(items_.text.size())};
        data.glyph_begin = std::uint32_t(items_.glyphs.size());
        for (std::size_t g = glyph_from; g < glyph_to; ++g) {
            PlacedGlyph glyph = shaped_[g];
            width += glyph.advance * span.size;
            glyph.cluster -= std::uint32_t(from - word);
            items_.glyphs.push_back(glyph);
        }
        data.glyph_end = std::uint32_t(items_.glyphs.size());
        items_.text.append(span.text, from, to - from);
        data.text_end = std::uint32_t(items_.text.size());
        items_.push({.kind = BreakItem::Kind::box, .width = width}, Role::text, data);
        ++items_.boxes;
    }

    // Lists in points_ the byte k of `text` after which a hyphen may go.
    void find_ascii_hyphenation_points(const std::string& text, std::size_t begin, std::size_t end) {
        // (the word's bytes beyond ASCII are quotes' and no letters)
        auto letter = [&](std::size_t k) {
            auto byte = static_cast<unsigned char>(text[k]);
            return byte < 0x80 && text::is_letter(byte);
        };
        while (begin < end && !letter(begin)) ++begin;
        while (end > begin && !letter(end - 1)) --end;
        if (end - begin < std::size_t(hyphenator_->left_min() + hyphenator_->right_min())) return;
        hyphenator_->points(std::string_view(text).substr(begin, end - begin), offsets_);
        for (std::size_t offset : offsets_) points_.push_back(begin + offset - 1);
    }

    Metrics::AsciiTable& ascii_table(std::uint32_t index) {
        if (index != table_span_) {
            table_ = &metrics_.ascii_table(spans_[index].font);
            table_span_ = index;
        }
        return *table_;
    }

    // A space or U+200B seen before this word becomes its glue or break.
    void add_pending(std::uint32_t span) {
        if (pending_space_) {
            flush_word();
            add_space_glue(space_span_);
            pending_space_ = pending_break_ = false;
        } else if (pending_break_) {
            flush_word();
            add_penalty(Role::break_after, 0, 0, false, span);
            pending_break_ = false;
        }
    }

    void add_printing(const WordChar& wc, CharClass kind) {
        if (pending_space_ || pending_break_) {
            add_pending(wc.span);
        } else if (has_previous_ && (previous_.wide || kind.wide || previous_.kind == BreakClass::hyphen ||
                                     previous_.kind == BreakClass::dash)) {
            // (between two narrow characters, after neither hyphen nor dash, join()
            // answers none: most of Latin text does not ask)
            switch (join(previous_, wc.c, kind, alnum_before_previous_)) {
                case Join::none:
                    break;
                case Join::after_hyphen:
                    compound_has_hyphen_ = true;  // "inter-dependent" breaks at its hyphen only
                    flush_word();
                    add_penalty(Role::break_after, 0, style_.hyphen_penalty, true, wc.span);
                    break;
                case Join::cjk_break:
                    flush_word();
                    add_cjk_glue(previous_span_, wc.span, autospaced(previous_char_, wc.c));
                    break;
                case Join::cjk_nobreak:
                    flush_word();
                    add_penalty(Role::forbid, 0, infinite_penalty, false, wc.span);
                    add_cjk_glue(previous_span_, wc.span, autospaced(previous_char_, wc.c));
                    break;
            }
        }
        word_.push_back(wc);
        previous_char_ = wc.c;
        last_level_ = wc.level;
        marks_in_a_row_ = 0;
        alnum_before_previous_ = has_previous_ && previous_alnum_;
        previous_alnum_ = text::is_alnum(wc.c);
        previous_ = kind;
        previous_span_ = wc.span;
        has_previous_ = true;
        line_has_content_ = true;
    }

    // ---- glue and penalties

    void add_space_glue(std::uint32_t span_index) {
        const Span& span = spans_[span_index];
        Glyph space = metrics_.glyph(span.font, ' ');
        float width = (space.font < 0 ? fallback_space_em : space.advance) * span.size;
        BreakItem glue{.kind = BreakItem::Kind::glue, .width = width};
        if (justify_) {
            glue.stretch = width * space_stretch;
            glue.shrink = width * space_shrink;
        }
        Payload data{span_index};
        data.level = space_level_;
        items_.push(glue, Role::word_space, data);
        break_seen_ = true;
    }

    // Whether a and b, written against each other, are Han or kana and a Latin letter
    // or digit (either way round) that the style spaces apart.
    bool autospaced(char32_t a, char32_t b) const {
        if (style_.autospace_em <= 0) return false;
        auto han = [](char32_t c) {
            return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
                   (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
        };
        auto latin = [](char32_t c) { return c < 0x250 && text::is_alnum(c); };
        return (han(a) && latin(b)) || (latin(a) && han(b));
    }

    void add_cjk_glue(std::uint32_t before_span, std::uint32_t after_span, bool autospace = false) {
        float size = std::max(spans_[before_span].size, spans_[after_span].size);
        BreakItem glue{.kind = BreakItem::Kind::glue};
        if (autospace) glue.width = style_.autospace_em * size;
        if (justify_) glue.stretch = cjk_stretch_em * size;
        Payload data{after_span};
        data.level = last_level_;
        items_.push(glue, Role::cjk_glue, data);
        break_seen_ = true;
    }

    // A break inside a web address. A line ending there ends ragged rather than
    // stretch its spaces (a line of address parts has none): TeX's ragged break, stretch
    // that only a line broken here keeps (the glue after the break, which cancels it
    // otherwise, starts the next line and is dropped with it).
    void add_url_break(std::uint32_t span_index) {
        float stretch = ragged_stretch_em * spans_[span_index].size;
        add_penalty(Role::forbid, 0, infinite_penalty, false, span_index);
        items_.push({.kind = BreakItem::Kind::glue, .stretch = stretch}, Role::break_stretch, {span_index});
        add_penalty(Role::break_after, 0, style_.hyphen_penalty, false, span_index);
        items_.push({.kind = BreakItem::Kind::glue, .stretch = -stretch}, Role::break_stretch, {span_index});
    }

    // Between two words of a script without spaces: a break with no width that
    // justification may spread like CJK glue.
    void add_word_boundary(std::uint32_t span_index, std::uint8_t level) {
        BreakItem glue{.kind = BreakItem::Kind::glue};
        if (justify_) glue.stretch = cjk_stretch_em * spans_[span_index].size;
        Payload data{span_index};
        data.level = level;
        items_.push(glue, Role::word_boundary, data);
        break_seen_ = true;
    }

    void add_penalty(Role role, float width, float penalty, bool flagged, std::uint32_t span, FontId font = 0) {
        BreakItem item{.kind = BreakItem::Kind::penalty, .flagged = flagged, .width = width, .penalty = penalty};
        items_.push(item, role, {span, font});
        if (penalty < infinite_penalty) break_seen_ = true;
    }

    // A hyphenation point: a hyphen of the span's font drawn if the line breaks there.
    void add_hyphen_penalty(std::uint32_t span_index) {
        const Span& span = spans_[span_index];
        Glyph hyphen = metrics_.glyph(span.font, '-');
        FontId font = hyphen.font < 0 ? span.font : hyphen.font;
        float width = (hyphen.font < 0 ? fallback_replacement_em : hyphen.advance) * span.size;
        add_penalty(Role::hyphen, width, style_.hyphen_penalty, true, span_index, font);
    }

    void add_forced_break(std::uint32_t span) { add_penalty(Role::forced_break, 0, -infinite_penalty, false, span); }

    // A run that kinsoku keeps together ("。。。。", "「「「「") and that is wider than
    // the line would stick out of it: like a word that is too long, it may break
    // anywhere its characters have glue between them.
    void allow_breaks_in_overlong_runs() {
        const auto& items = items_.breaking;
        double width = 0;
        std::size_t run = 0;  // the first item after the last break opportunity
        bool broken_before = false;
        for (std::size_t k = 0; k < items.size(); ++k) {
            const BreakItem& item = items[k];
            bool legal = item.kind == BreakItem::Kind::penalty ? item.penalty < infinite_penalty
                                                                : item.kind == BreakItem::Kind::glue && k > 0 &&
                                                                      items[k - 1].kind == BreakItem::Kind::box;
            if (!legal) {
                if (item.kind != BreakItem::Kind::penalty) width += item.width;
                continue;
            }
            if (exceeds(width, broken_before)) {
                for (std::size_t j = run; j < k; ++j) {
                    if (items_.role(j) != Role::forbid) continue;
                    items_.breaking[j].penalty = style_.hyphen_penalty;
                    items_.breaking[j].tag = std::uint8_t(Role::break_after);
                }
            }
            width = 0;
            run = k + 1;
            broken_before = true;
        }
    }

    // ---- words

    // Shapes the word collected so far and adds its boxes, with the penalties inside it.
    void flush_word() {
        if (word_.empty()) return;
        if (word_.size() == 1) {
            // One character (CJK text is set a character at a time): no break inside it,
            // so neither URL, dictionary, split nor hyphenation points to look for.
            measure(0);
            shape_single();
            add_box(0, 1);
            word_.clear();
            word_has_soft_hyphen_ = false;
            return;
        }
        for (std::size_t k = 0; k < word_.size(); ++k) measure(k);
        shape_word();
        float total = 0;
        for (const auto& wc : word_) total += wc.width;
        find_dictionary_breaks();
        // A word wider than the line (a URL, a long identifier) may break anywhere, with
        // no hyphen drawn, rather than stick out of the measure. Before any break the
        // word starts the first line, which may be shorter.
        points_.clear();
        // A web address breaks after its / . ? & = (no hyphen drawn: a hyphen would read
        // as part of it), rather than stretch the line before it.
        bool url = find_url_breaks(break_seen_);
        bool split = !url && exceeds(total, break_seen_) && word_.size() > 1 && word_breaks_.empty();
        if (split) {
            for (std::size_t k = 0; k + 1 < word_.size(); ++k) points_.push_back(k);
        } else if (!url) {
            find_hyphenation_points();
        }
        const bool plain_breaks = split || url;
        // Breaks fall between clusters only: never inside a ligature, a conjunct or a
        // base and its marks.
        std::erase_if(points_, [this](std::size_t k) { return !word_[k + 1].cluster_start || word_[k + 1].attached; });
        std::size_t piece = 0, next_point = 0, next_boundary = 0;
        for (std::size_t k = 0; k < word_.size(); ++k) {
            bool at_point = next_point < points_.size() && points_[next_point] == k;
            next_point += at_point;
            bool at_boundary = next_boundary < word_breaks_.size() && word_breaks_[next_boundary] == k;
            next_boundary += at_boundary;
            bool last = k + 1 == word_.size();
            if (!last && !at_point && !at_boundary && same_segment(word_[k], word_[k + 1])) continue;
            add_box(piece, k + 1);
            piece = k + 1;
            if (at_boundary) {
                add_word_boundary(word_[k].span, word_[k].level);
            } else if (at_point) {
                if (url)
                    add_url_break(word_[k].span);
                else if (plain_breaks)
                    add_penalty(Role::break_after, 0, style_.hyphen_penalty, false, word_[k].span);
                else
                    add_hyphen_penalty(word_[k].span);
            }
        }
        word_.clear();
        word_breaks_.clear();
        word_has_soft_hyphen_ = false;
    }

    // Characters shaped together: one font, one span (style), one direction.
    static bool same_segment(const WordChar& a, const WordChar& b) {
        return a.font == b.font && a.span == b.span && a.level == b.level;
    }

    // The font of word_[k]: the first of the span's fallbacks that has it. A mark stays
    // in its base's font when that font has it (a mark drawn apart from its base cannot
    // be placed on it).
    void measure(std::size_t k) {
        WordChar& wc = word_[k];
        const Span& span = spans_[wc.span];
        char32_t drawn = wc.spaces ? U' ' : wc.c;
        if (wc.attached && k > 0 && !word_[k - 1].missing && word_[k - 1].span == wc.span &&
            metrics_.fonts().resolve(word_[k - 1].font, drawn) == word_[k - 1].font) {
            wc.font = word_[k - 1].font;
            return;
        }
        // Punctuation that several scripts share (the danda, the Arabic comma: no script
        // of its own) stays in the font of the letter before, when that font has it.
        if (drawn >= 0x80 && k > 0 && !word_[k - 1].missing && word_[k - 1].span == wc.span &&
            word_[k - 1].font != span.font && has_no_script(drawn) &&
            metrics_.fonts().resolve(word_[k - 1].font, drawn) == word_[k - 1].font) {
            wc.font = word_[k - 1].font;
            return;
        }
        Glyph glyph;
        if (drawn < 0x80) {  // the common case, without a look-up of the table
            Glyph& entry = ascii_table(wc.span)[drawn];
            if (entry.font == Metrics::unknown) entry = metrics_.look_up(span.font, drawn);
            glyph = entry;
        } else {
            glyph = metrics_.glyph(span.font, drawn);
        }
        if (glyph.font >= 0) {
            wc.font = glyph.font;
            return;
        }
        if (wc.spaces) {  // a font without a space: the span's font draws its .notdef
            wc.font = span.font;
            return;
        }
        wc.missing = true;
        ++items_.missing_glyphs;
        auto at = std::lower_bound(items_.missing_characters.begin(), items_.missing_characters.end(), wc.c);
        if (at == items_.missing_characters.end() || *at != wc.c) items_.missing_characters.insert(at, wc.c);
        Glyph replacement = metrics_.glyph(span.font, '?');
        wc.font = replacement.font < 0 ? span.font : replacement.font;
    }

    // The bytes word_[k] is drawn from: '?' for a missing character, spaces for a
    // space that is not glue, else its own.
    void append_drawn(std::string& out, const WordChar& wc) const {
        if (wc.missing) out += '?';
        else if (wc.spaces) out.append(wc.spaces, ' ');
        else out.append(spans_[wc.span].text, wc.begin, wc.end - wc.begin);
    }

    // Shapes each segment of the word (same_segment) into word_glyphs_, whose clusters
    // become indices into word_; gives each character its cluster's width (on the
    // cluster's first character), glyphs and whether it starts a cluster.
    void shape_word() {
        word_glyphs_.clear();
        for (std::size_t s = 0; s < word_.size();) {
            std::size_t e = s + 1;
            while (e < word_.size() && same_segment(word_[s], word_[e])) ++e;
            segment_text_.clear();
            segment_offsets_.clear();
            for (std::size_t k = s; k < e; ++k) {
                segment_offsets_.push_back(std::uint32_t(segment_text_.size()));
                append_drawn(segment_text_, word_[k]);
            }
            std::size_t first = word_glyphs_.size();
            ShapeProperties properties;
            properties.right_to_left = word_[s].level & 1;
            metrics_.fonts().shape(word_[s].font, segment_text_, properties, word_glyphs_);
            for (std::size_t k = s; k < e; ++k) {
                word_[k].width = 0;
                word_[k].cluster_start = false;
                word_[k].glyph_begin = std::uint32_t(-1);
                word_[k].glyph_end = 0;
            }
            const float size = spans_[word_[s].span].size;
            for (std::size_t g = first; g < word_glyphs_.size(); ++g) {
                PlacedGlyph& glyph = word_glyphs_[g];
                auto at = std::upper_bound(segment_offsets_.begin(), segment_offsets_.end(), glyph.cluster);
                std::size_t k = s + std::size_t(at - segment_offsets_.begin()) - (at == segment_offsets_.begin() ? 0 : 1);
                glyph.cluster = std::uint32_t(k);
                WordChar& wc = word_[k];
                wc.width += glyph.advance * size;
                wc.cluster_start = true;
                wc.glyph_begin = std::min(wc.glyph_begin, std::uint32_t(g));
                wc.glyph_end = std::max(wc.glyph_end, std::uint32_t(g + 1));
            }
            word_[s].cluster_start = true;  // a segment starts a cluster, whatever shaping said
            s = e;
        }
    }

    // shape_word() for a word of one character (CJK text is set a character at a time):
    // its glyphs all belong to it, and no segment needs splitting.
    void shape_single() {
        WordChar& wc = word_[0];
        segment_text_.clear();
        append_drawn(segment_text_, wc);
        word_glyphs_.clear();
        ShapeProperties properties;
        properties.right_to_left = wc.level & 1;
        metrics_.fonts().shape(wc.font, segment_text_, properties, word_glyphs_);
        const float size = spans_[wc.span].size;
        wc.width = 0;
        wc.cluster_start = true;
        wc.glyph_begin = word_glyphs_.empty() ? std::uint32_t(-1) : 0;
        wc.glyph_end = std::uint32_t(word_glyphs_.size());
        for (PlacedGlyph& glyph : word_glyphs_) {
            glyph.cluster = 0;
            wc.width += glyph.advance * size;
        }
    }

    // Word breaks inside a run of Thai (Lao, Khmer, Myanmar), from ICU's dictionary, as
    // indices k after which a word ends (word_breaks_, ascending).
    void find_dictionary_breaks() {
        word_breaks_.clear();
        if (std::none_of(word_.begin(), word_.end(), [](const WordChar& wc) { return needs_dictionary(wc.c); }))
            return;
        UBreakIterator* breaker = line_breaker();
        if (!breaker) return;
        utf16_.clear();
        unit_char_.clear();
        for (std::size_t k = 0; k < word_.size(); ++k) {
            char32_t c = word_[k].c;
            if (c >= 0x10000) {
                utf16_ += char16_t(0xD800 + ((c - 0x10000) >> 10));
                utf16_ += char16_t(0xDC00 + ((c - 0x10000) & 0x3FF));
                unit_char_.push_back(k);
                unit_char_.push_back(k);
            } else {
                utf16_ += char16_t(c);
                unit_char_.push_back(k);
            }
        }
        UErrorCode error = U_ZERO_ERROR;
        ubrk_setText(breaker, utf16_.data(), static_cast<int32_t>(utf16_.size()), &error);
        if (U_FAILURE(error)) return;
        for (int32_t at = ubrk_first(breaker); at != UBRK_DONE; at = ubrk_next(breaker)) {
            if (at <= 0 || static_cast<std::size_t>(at) >= utf16_.size()) continue;
            std::size_t k = unit_char_[static_cast<std::size_t>(at)];
            if (k == 0 || !word_[k].cluster_start || word_[k].attached) continue;
            // Only inside the dictionary script's text: the rest breaks as before.
            if (!needs_dictionary(word_[k - 1].c) && !needs_dictionary(word_[k].c)) continue;
            if (word_breaks_.empty() || word_breaks_.back() != k - 1) word_breaks_.push_back(k - 1);
        }
        ubrk_setText(breaker, nullptr, 0, &error);
    }

    void add_box(std::size_t from, std::size_t to) {
        const Span& span = spans_[word_[from].span];
        Payload data{word_[from].span, word_[from].font, std::uint32_t(items_.text.size())};
        data.level = word_[from].level;
        float width = 0;
        bool spaces_only = true;
        std::uint32_t glyph_begin = std::uint32_t(-1), glyph_end = 0;
        box_offsets_.clear();
        const std::size_t text_start = items_.text.size();
        for (std::size_t k = from; k < to; ++k) {
            const WordChar& wc = word_[k];
            width += wc.width;
            spaces_only = spaces_only && wc.spaces;
            box_offsets_.push_back(std::uint32_t(items_.text.size() - text_start));
            append_drawn(items_.text, wc);
            if (wc.glyph_begin < wc.glyph_end) {
                glyph_begin = std::min(glyph_begin, wc.glyph_begin);
                glyph_end = std::max(glyph_end, wc.glyph_end);
            }
        }
        data.text_end = std::uint32_t(items_.text.size());
        data.glyph_begin = std::uint32_t(items_.glyphs.size());
        for (std::uint32_t g = glyph_begin; g < glyph_end; ++g) {
            PlacedGlyph glyph = word_glyphs_[g];
            std::size_t k = glyph.cluster;
            glyph.cluster = k >= from && k < to ? box_offsets_[k - from] : 0;
            items_.glyphs.push_back(glyph);
        }
        data.glyph_end = std::uint32_t(items_.glyphs.size());
        (void)span;
        items_.push({.kind = BreakItem::Kind::box, .width = width}, spaces_only ? Role::space : Role::text, data);
        ++items_.boxes;
    }

    // When the word is a web address ("https://...", "www..."), lists in points_ the k
    // after which it may break: after / . ? & = (not inside "//", and not just before
    // the end), or between any characters where a part between those is wider than
    // the line's room (exceeds()). Returns whether it is one.
    bool find_url_breaks(bool broken_before) {
        auto at = [this](std::size_t k) { return k < word_.size() ? word_[k].c : U'\0'; };
        bool url = word_.size() > 4 && at(0) == 'w' && at(1) == 'w' && at(2) == 'w' && at(3) == '.';
        for (std::size_t k = 0; !url && k + 2 < word_.size(); ++k)
            url = at(k) == ':' && at(k + 1) == '/' && at(k + 2) == '/';
        if (!url) return false;
        float piece = 0;
        for (std::size_t k = 0; k + 1 < word_.size(); ++k) {
            piece += word_[k].width;
            char32_t c = at(k);
            bool after = (c == '/' || c == '.' || c == '?' || c == '&' || c == '=') && at(k + 1) != '/';
            if (after && k + 2 < word_.size()) {
                points_.push_back(k);
                piece = 0;
            } else if (exceeds(piece + word_[k + 1].width, broken_before)) {
                points_.push_back(k);  // a part too long for any line: wherever it must
                piece = 0;
            }
        }
        return true;
    }

    // Lists in points_ the k where a hyphen may follow word_[k]: the word's soft hyphens
    // if it has any (the author chose), else the dictionary's points.
    void find_hyphenation_points() {
        if (word_has_soft_hyphen_) {
            for (std::size_t k = 0; k + 1 < word_.size(); ++k)
                if (word_[k].soft_hyphen_after && !word_[k + 1].attached) points_.push_back(k);
            return;
        }
        if (!hyphenator_) return;
        // A compound with a hyphen of its own breaks there, never inside its parts.
        if (compound_has_hyphen_ || std::any_of(word_.begin(), word_.end(), [](const WordChar& wc) {
                return wc.c == '-' || wc.c == 0x2010;
            }))
            return;
        // The letters of the word, without the punctuation around it ("(word),").
        std::size_t first = 0, last = word_.size();
        while (first < last && !text::is_letter(word_[first].c)) ++first;
        while (last > first && !(text::is_letter(word_[last - 1].c) || word_[last - 1].attached)) --last;
        std::size_t shortest = std::size_t(hyphenator_->left_min() + hyphenator_->right_min());
        if (last - first < shortest) return;
        letters_.clear();
        letter_offsets_.clear();
        for (std::size_t k = first; k < last; ++k) {
            if (word_[k].spaces) return;
            letter_offsets_.push_back(letters_.size());
            const auto& text = spans_[word_[k].span].text;
            letters_.append(text, word_[k].begin, word_[k].end - word_[k].begin);
        }
        hyphenator_->points(letters_, offsets_);
        for (std::size_t offset : offsets_) {
            auto at = std::lower_bound(letter_offsets_.begin(), letter_offsets_.end(), offset);
            if (at == letter_offsets_.end() || *at != offset || at == letter_offsets_.begin()) continue;
            std::size_t after = first + std::size_t(at - letter_offsets_.begin()) - 1;
            if (!word_[after + 1].attached) points_.push_back(after);
        }
    }

    const std::vector<Span>& spans_;
    const ParagraphStyle& style_;
    Metrics& metrics_;
    const BidiLevels& bidi_;
    const Hyphenator* hyphenator_;
    float first_measure_;
    bool justify_;

    Items& items_;
    RoomLimits* limits_;
    std::vector<WordChar> word_;
    bool word_has_soft_hyphen_ = false;
    std::vector<std::size_t> points_;  // ascending: a break may follow word_[k]
    std::uint32_t last_span_ = 0;
    Metrics::AsciiTable* table_ = nullptr;  // the ASCII metrics of spans_[table_span_]
    std::uint32_t table_span_ = std::uint32_t(-1);

    bool pending_space_ = false, pending_break_ = false;
    bool compound_has_hyphen_ = false;  // the word since the last space has a hyphen
    std::uint32_t space_span_ = 0;
    std::uint8_t space_level_ = 0;  // the bidi level of the pending space
    std::uint8_t last_level_ = 0;   // of the last printing character
    bool has_previous_ = false;  // a printing character before, with nothing between
    CharClass previous_;
    char32_t previous_char_ = 0;
    std::uint32_t previous_span_ = 0;
    bool previous_alnum_ = false, alnum_before_previous_ = false;
    int marks_in_a_row_ = 0;         // combining marks attached to the last character
    bool line_has_content_ = false;  // since the start or the last forced break
    bool break_seen_ = false;        // a break opportunity since the paragraph's start

    // shaping scratch
    std::vector<PlacedGlyph> shaped_;       // an ASCII word's glyphs
    std::vector<PlacedGlyph> word_glyphs_;  // the word's, clusters as indices into word_
    std::string segment_text_;
    std::vector<std::uint32_t> segment_offsets_, box_offsets_;
    std::vector<std::size_t> word_breaks_;  // ascending: a dictionary word ends after word_[k]
    std::u16string utf16_;
    std::vector<std::size_t> unit_char_;

    // hyphenation scratch
    std::string letters_;
    std::vector<std::size_t> letter_offsets_, offsets_;
};

// ---- Lines -----------------------------------------------------------------------------

bool same_style(const Fragment& fragment, FontId font, const Span& span) {
    return fragment.object < 0 && span.object < 0 && fragment.font == font && fragment.size == span.size && fragment.color == span.color &&
           fragment.link == span.link;
}

// Sets the lines that `breaks` cut `items` into.
class LineSetter {
public:
    LineSetter(const std::vector<Span>& spans, const ParagraphStyle& style, const Items& items, const FontTable& fonts,
               std::uint8_t paragraph_level, float first_measure, SetStats& stats)
        : spans_(spans), style_(style), items_(items), fonts_(fonts), paragraph_level_(paragraph_level),
          first_measure_(first_measure), stats_(stats) {}

    std::vector<Line> set(const std::vector<std::size_t>& breaks) {
        std::vector<Line> lines;
        lines.reserve(breaks.size());
        std::size_t start = 0;
        bool after_forced = true;  // the paragraph's start counts as one
        for (std::size_t index = 0; index < breaks.size(); ++index) {
            std::size_t end = breaks[index];
            lines.push_back(set_line(start, end, index == 0, after_forced));
            after_forced = items_.role(end) == Role::forced_break;
            start = line_start(items_.breaking, end);
        }
        return lines;
    }

private:
    Line set_line(std::size_t start, std::size_t end, bool first, bool after_forced) {
        const auto& items = items_.breaking;
        const auto& payload = items_.payload;
        // Spaces are not drawn at a line's ends; at its start only where it wrapped (the
        // indentation of a code line after '\n' stays).
        if (!after_forced)
            while (start < end && items_.role(start) == Role::space) ++start;
        std::size_t stop = end;
        while (stop > start && (items[stop - 1].kind != BreakItem::Kind::box || items_.role(stop - 1) == Role::space))
            --stop;

        const BreakItem& at = items[end];
        bool forced = items_.role(end) == Role::forced_break;
        bool hyphen = items_.role(end) == Role::hyphen;
        double natural = hyphen ? at.width : 0, stretch = 0, shrink = 0;
        bool mixed = paragraph_level_ & 1;  // any right-to-left piece: laid out by bidi
        for (std::size_t k = start; k < stop; ++k) {
            if (items[k].kind == BreakItem::Kind::penalty) continue;
            natural += items[k].width;
            stretch += items[k].stretch;
            shrink += items[k].shrink;
            mixed = mixed || (payload[k].level & 1);
        }
        // A line broken inside a web address keeps the ragged stretch before the break.
        for (std::size_t k = stop; k < end; ++k)
            if (items_.role(k) == Role::break_stretch) stretch += items[k].stretch;
        float measure = first ? first_measure_ : style_.width;
        double ratio = 0;
        if (natural > measure && shrink > 0) {
            ratio = std::max(-1.0, (measure - natural) / shrink);
        } else if (natural < measure && stretch > 0 && style_.align == Align::justify && !forced) {
            ratio = (measure - natural) / stretch;
        }
        double width = natural + ratio * (ratio > 0 ? stretch : shrink);
        double offset = 0;
        float left = 0;
        if (paragraph_level_ & 1) {
            // Right to left: the line starts at the right margin, where the indent is
            // (inside `measure`); Align::right is its end, the left margin.
            if (style_.align == Align::center) offset = std::max(0.0, (measure - width) / 2);
            else if (style_.align != Align::right) offset = std::max(0.0, measure - width);
            left = float(offset);
        } else {
            if (style_.align == Align::right) offset = std::max(0.0, measure - width);
            if (style_.align == Align::center) offset = std::max(0.0, (measure - width) / 2);
            left = float((first ? style_.first_indent : 0) + offset);
        }

        Line line;
        line.right_to_left = paragraph_level_ & 1;
        std::size_t boxes = 0;
        for (std::size_t k = start; k < stop; ++k) boxes += items[k].kind == BreakItem::Kind::box;
        line.fragments.reserve(boxes + hyphen);
        float x = mixed ? set_visually(line, start, stop, end, ratio, left, hyphen)
                        : set_left_to_right(line, start, stop, end, ratio, left, hyphen);
        if (hyphen) {
            line.hyphenated = true;
            ++stats_.hyphens;
        }
        if (line.fragments.empty()) line.size = spans_[payload[end].span].size;  // an empty line
        line.ascent = line.size * ascent_of_size;
        line.width = x - left;
        if (line.width > measure + overfull_slack) {
            line.overfull = true;
            ++stats_.overfull_lines;
        }
        return line;
    }

    // The set width of glue item k at `ratio`.
    float glue_width(std::size_t k, double ratio) const {
        const BreakItem& item = items_.breaking[k];
        return float(item.width + ratio * (ratio > 0 ? item.stretch : item.shrink));
    }

    // A left-to-right line: pieces in logical order, merged into as few fragments as
    // their style and spacing allow. Returns the line's right end.
    float set_left_to_right(Line& line, std::size_t start, std::size_t stop, std::size_t end, double ratio, float left,
                            bool hyphen) {
        const auto& items = items_.breaking;
        const auto& payload = items_.payload;
        float x = left;
        Run run;
        float gap = 0;  // the glue since the last box
        int glues = 0;
        bool cjk_gaps = true;
        for (std::size_t k = start; k < stop; ++k) {
            const BreakItem& item = items[k];
            const Payload& data = payload[k];
            if (item.kind == BreakItem::Kind::penalty) continue;
            if (item.kind == BreakItem::Kind::glue) {
                float set = glue_width(k, ratio);
                x += set;
                gap += set;
                ++glues;
                cjk_gaps = cjk_gaps && items_.role(k) == Role::cjk_glue;
                continue;
            }
            const Span& span = spans_[data.span];
            Piece piece = piece_of(k);
            bool merged = false;
            if (!line.fragments.empty() && same_style(line.fragments.back(), data.font, span)) {
                if (glues == 0 || (glues == 1 && cjk_gaps && gap < spacing_epsilon))
                    merged = run.join(line.fragments.back(), piece, item.width, gap, 0);
                else if (glues == 1 && cjk_gaps)
                    merged = run.join(line.fragments.back(), piece, item.width, gap, gap);
            }
            if (!merged) {
                add_fragment(line, x, item.width, data.font, span, piece, false);
                run.start(piece);
            }
            x += item.width;
            gap = 0;
            glues = 0;
            cjk_gaps = true;
            line.size = std::max(line.size, span.size);
        }
        if (hyphen) {
            const Span& span = spans_[payload[end].span];
            FontId font = payload[end].font;
            Piece piece = hyphen_piece(font);
            if (line.fragments.empty() || !same_style(line.fragments.back(), font, span) ||
                !run.join(line.fragments.back(), piece, items[end].width, 0, 0)) {
                add_fragment(line, x, items[end].width, font, span, piece, false);
                run.start(piece);
            }
            x += items[end].width;
        }
        return x;
    }

    // A line with right-to-left pieces: its boxes and glue in logical order, reordered
    // by the bidi algorithm's rule L2 (from the highest level down to the lowest odd
    // one, every run at that level or higher is reversed), then laid out left to right.
    // Each box is a fragment of its own. Returns the line's right end.
    float set_visually(Line& line, std::size_t start, std::size_t stop, std::size_t end, double ratio, float left,
                       bool hyphen) {
        const auto& items = items_.breaking;
        const auto& payload = items_.payload;
        struct Entry {
            std::size_t item;
            std::uint8_t level;
            float width;
            bool is_hyphen;
        };
        std::vector<Entry> order;
        order.reserve(stop - start + 1);
        std::uint8_t last_level = paragraph_level_;
        for (std::size_t k = start; k < stop; ++k) {
            if (items[k].kind == BreakItem::Kind::penalty) continue;
            bool glue = items[k].kind == BreakItem::Kind::glue;
            order.push_back({k, payload[k].level, glue ? glue_width(k, ratio) : items[k].width, false});
            if (!glue) last_level = payload[k].level;
        }
        if (hyphen) order.push_back({end, last_level, items[end].width, true});
        std::uint8_t highest = 0, lowest_odd = 255;
        for (const Entry& e : order) {
            highest = std::max(highest, e.level);
            if (e.level & 1) lowest_odd = std::min(lowest_odd, e.level);
        }
        for (int level = highest; level >= lowest_odd && level > 0; --level) {
            for (std::size_t i = 0; i < order.size();) {
                if (order[i].level < level) {
                    ++i;
                    continue;
                }
                std::size_t j = i;
                while (j < order.size() && order[j].level >= level) ++j;
                std::reverse(order.begin() + std::ptrdiff_t(i), order.begin() + std::ptrdiff_t(j));
                i = j;
            }
        }
        float x = left;
        for (const Entry& e : order) {
            if (e.is_hyphen) {
                const Span& span = spans_[payload[end].span];
                add_fragment(line, x, e.width, payload[end].font, span, hyphen_piece(payload[end].font), e.level & 1);
            } else if (items[e.item].kind == BreakItem::Kind::box) {
                const Span& span = spans_[payload[e.item].span];
                add_fragment(line, x, e.width, payload[e.item].font, span, piece_of(e.item), e.level & 1);
                line.size = std::max(line.size, span.size);
            }
            x += e.width;
        }
        return x;
    }

    // A box's text and glyphs.
    struct Piece {
        std::string_view text;
        const PlacedGlyph* glyphs = nullptr;
        std::size_t glyph_count = 0;
    };
    Piece piece_of(std::size_t k) const {
        const Payload& data = items_.payload[k];
        return {std::string_view(items_.text.data() + data.text_begin, data.text_end - data.text_begin),
                items_.glyphs.data() + data.glyph_begin, data.glyph_end - data.glyph_begin};
    }
    // The hyphen drawn at a hyphenated line's end, shaped once per font.
    Piece hyphen_piece(FontId font) {
        auto& glyphs = hyphens_[font];
        if (glyphs.empty()) fonts_.shape(font, "-", {}, glyphs);
        return {"-", glyphs.data(), glyphs.size()};
    }

    static void add_fragment(Line& line, float x, float width, FontId font, const Span& span, const Piece& piece,
                             bool right_to_left) {
        Fragment& fragment = line.fragments.emplace_back();
        fragment.x = x;
        fragment.width = width;
        fragment.font = font;
        fragment.size = span.size;
        fragment.text.append(piece.text);  // not assign(): GCC 12 reports a false -Wrestrict there
        fragment.glyphs.assign(piece.glyphs, piece.glyphs + piece.glyph_count);
        fragment.color = span.color;
        fragment.link = span.link;
        fragment.right_to_left = right_to_left;
        fragment.object = span.object;
        if (span.object >= 0) line.object_height = std::max(line.object_height, span.object_height);
    }

    // What is known of the spacing of the line's last fragment: PDF's Tc adds the same
    // spacing after every glyph, so a fragment takes in a neighbour only when the gap
    // between them is that spacing, and a gap of its own only between single glyphs.
    struct Run {
        std::size_t glyphs = 0;

        void start(const Piece& piece) { glyphs = piece.glyph_count; }

        bool join(Fragment& fragment, const Piece& piece, float width, float gap, float spacing) {
            std::size_t count = piece.glyph_count;
            bool spacing_known = glyphs > 1;
            if (spacing > 0) {
                if (count != 1) return false;
                if (spacing_known && std::abs(fragment.char_spacing - spacing) > spacing_epsilon) return false;
            } else if (spacing_known && fragment.char_spacing != 0) {
                return false;
            }
            fragment.char_spacing = spacing;
            auto shift = std::uint32_t(fragment.text.size());
            fragment.text += piece.text;
            for (std::size_t g = 0; g < piece.glyph_count; ++g) {
                PlacedGlyph glyph = piece.glyphs[g];
                glyph.cluster += shift;
                fragment.glyphs.push_back(glyph);
            }
            fragment.width += gap + width;
            glyphs += count;
            return true;
        }
    };

    const std::vector<Span>& spans_;
    const ParagraphStyle& style_;
    const Items& items_;
    const FontTable& fonts_;
    std::uint8_t paragraph_level_;
    float first_measure_;
    SetStats& stats_;
    std::unordered_map<FontId, std::vector<PlacedGlyph>> hyphens_;
};

// The size that em-based amounts (ragged and emergency stretch) are measured in.
float paragraph_size(const std::vector<Span>& spans) {
    for (const auto& span : spans)
        if (!span.text.empty()) return span.size;
    return spans.empty() ? 10 : spans.front().size;
}

bool same_spans(const std::vector<Span>& a, const std::vector<Span>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].font != b[i].font || a[i].size != b[i].size || !(a[i].color == b[i].color) || a[i].link != b[i].link ||
            a[i].breakable != b[i].breakable || a[i].text != b[i].text || a[i].object != b[i].object ||
            a[i].object_width != b[i].object_width || a[i].object_height != b[i].object_height)
            return false;
    return true;
}

// A memo's items above this many bytes of text are not kept: they would hold a long
// paragraph's memory until the next one, and only short texts (headings) are set again.
constexpr std::size_t kMemoMaxBytes = 4096;

}  // namespace

struct ParagraphMemo::State {
    // What the items were made from (all that makes them but the measure)...
    std::vector<Span> spans;
    Align align = Align::justify;
    Direction direction = Direction::automatic;
    float hyphen_penalty = 0;
    float autospace_em = 0;
    // ...the items of the first pass, and the measures they hold for.
    Items items;
    RoomLimits limits;

    bool serves(const std::vector<Span>& other, const ParagraphStyle& style, float first_measure) const {
        return align == style.align && direction == style.direction && hyphen_penalty == style.hyphen_penalty &&
               autospace_em == style.autospace_em &&
               limits.first.holds(std::min(style.width, first_measure)) && limits.later.holds(style.width) &&
               same_spans(spans, other);
    }
};

ParagraphMemo::ParagraphMemo() = default;
ParagraphMemo::~ParagraphMemo() = default;

std::vector<Line> set_paragraph(const std::vector<Span>& spans, const ParagraphStyle& style,
                                const FontTable& fonts, SetStats* stats, ParagraphMemo* memo) {
    SetStats local;
    SetStats& out = stats ? *stats : local;
    out = {};
    Metrics metrics(fonts);
    float first_measure = style.width - style.first_indent;
    float size = paragraph_size(spans);

    BidiLevels bidi(spans, style.direction);
    Items built;
    Items* first_items = &built;
    if (memo && memo->state && memo->state->serves(spans, style, first_measure)) {
        first_items = &memo->state->items;
    } else {
        std::size_t bytes = 0;
        for (const Span& span : spans) bytes += span.text.size();
        if (memo && bytes <= kMemoMaxBytes) {
            if (!memo->state) memo->state = std::make_unique<ParagraphMemo::State>();
            ParagraphMemo::State& state = *memo->state;
            state.spans = spans;
            state.align = style.align;
            state.direction = style.direction;
            state.hyphen_penalty = style.hyphen_penalty;
            state.autospace_em = style.autospace_em;
            state.limits = {};
            first_items = &state.items;
            ItemBuilder(spans, style, metrics, bidi, nullptr, first_measure, state.items, &state.limits).build();
        } else {
            if (memo) memo->state.reset();
            ItemBuilder(spans, style, metrics, bidi, nullptr, first_measure, built).build();
        }
    }
    const Items* current = first_items;
    if (current->boxes == 0) return {};

    BreakParameters parameters;
    parameters.first_width = first_measure;
    parameters.width = style.width;
    parameters.line_penalty = style.line_penalty;
    parameters.double_hyphen_demerits = style.double_hyphen_demerits;
    parameters.final_hyphen_demerits = style.final_hyphen_demerits;
    parameters.adjacent_fitness_demerits = style.adjacent_fitness_demerits;
    if (style.align != Align::justify) parameters.background_stretch = ragged_stretch_em * size;

    // TeX's passes (tex.web §863): first without hyphenating, within pretolerance (a
    // negative one skips the pass); then hyphenated, within tolerance; then with
    // emergency stretch, making bad lines where it must.
    std::vector<std::size_t> breaks;
    if (style.pretolerance >= 0) {
        parameters.tolerance = style.pretolerance;
        breaks = find_breaks(current->breaking, parameters);
        out.passes = 1;
    }
    Items hyphenated;
    if (breaks.empty()) {
        const Hyphenator* hyphenator = style.hyphenator;
        if (!hyphenator && !style.hyphenation_language.empty())
            hyphenator = Hyphenator::for_language(style.hyphenation_language);
        if (hyphenator) {
            // (into their own items when the first pass's are the memo's, and else into
            // the first pass's memory)
            Items& target = first_items == &built ? built : hyphenated;
            ItemBuilder(spans, style, metrics, bidi, hyphenator, first_measure, target).build();
            current = &target;
        }
        parameters.tolerance = style.tolerance;
        breaks = find_breaks(current->breaking, parameters);
        out.passes = 2;
    }
    if (breaks.empty()) {
        parameters.background_stretch += emergency_stretch_em * size;
        parameters.final_pass = true;
        breaks = find_breaks(current->breaking, parameters);
        out.passes = 3;
    }
    out.missing_glyphs = current->missing_glyphs;
    out.missing_characters = current->missing_characters;
    return LineSetter(spans, style, *current, fonts, bidi.paragraph_level(), first_measure, out).set(breaks);
}

GlyphRun glyph_run(Fragment fragment, float x, float y) {
    GlyphRun run;
    run.font = fragment.font;
    run.size = fragment.size;
    run.x = x;
    run.y = y;
    run.text = std::move(fragment.text);
    run.glyphs = std::move(fragment.glyphs);
    run.char_spacing = fragment.char_spacing;
    run.color = fragment.color;
    run.right_to_left = fragment.right_to_left;
    return run;
}

}  // namespace dconv::pdf
