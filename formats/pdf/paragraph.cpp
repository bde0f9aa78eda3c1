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
    std::uint32_t text_begin = 0;  // box: what it draws, in Items::text
    std::uint32_t text_end = 0;
};

struct Items {
    std::vector<BreakItem> breaking;  // what find_breaks sees
    std::vector<Payload> payload;     // the same items, for setting the lines
    std::string text;                 // all boxes' text, back to back
    std::size_t boxes = 0;
    std::size_t missing_glyphs = 0;

    void clear() {
        breaking.clear();
        payload.clear();
        text.clear();
        boxes = missing_glyphs = 0;
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
    // Filled when the word is flushed:
    FontId font = 0;
    float width = 0;
    bool missing = false;
};

// Turns spans into items. Latin text becomes one box per word (per font run of it, and
// per syllable when hyphenating), spaces glue; CJK text one box per character with glue
// between; see script.hpp for which neighbours may break.
class ItemBuilder {
public:
    ItemBuilder(const std::vector<Span>& spans, const ParagraphStyle& style, Metrics& metrics,
                const Hyphenator* hyphenator, float first_measure, Items& items)
        : spans_(spans), style_(style), metrics_(metrics), hyphenator_(hyphenator),
          first_measure_(first_measure), justify_(style.align == Align::justify), items_(items) {}

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
        items_.reserve((style_.hyphenator ? bytes * 3 / 5 : bytes * 2 / 5) + 4);
        items_.text.reserve(bytes);
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
    void add_span(std::uint32_t index) {
        const Span& span = spans_[index];
        std::string_view text = span.text;
        if (!text.empty()) last_span_ = index;
        for (std::size_t i = 0; i < text.size();) {
            if (span.breakable && !has_previous_ && ascii_word_byte(text[i])) {
                std::size_t end = i + 1;
                while (end < text.size() && ascii_word_byte(text[end])) ++end;
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
            switch (kind.kind) {
                case BreakClass::newline:
                    flush_word();
                    pending_space_ = pending_break_ = false;
                    add_forced_break(index);
                    has_previous_ = false;
                    line_has_content_ = false;
                    break;
                case BreakClass::space:
                    flush_word();
                    if (line_has_content_ && !pending_space_) {
                        pending_space_ = true;
                        space_span_ = index;
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

    // The fast way for most of Latin text: a word of ASCII at a word's start, ending at
    // a space or newline of the same span. It makes the items that adding its characters
    // one by one would (no joins apply between them) without a record per character;
    // anything unusual (a character another font or none draws, a word wider than the
    // line) goes the general way.
    void add_ascii_word(std::uint32_t index, std::size_t begin, std::size_t end) {
        if (add_plain_ascii_word(index, begin, end)) return;
        const std::string& text = spans_[index].text;
        for (std::size_t k = begin; k < end; ++k) {
            auto c = static_cast<unsigned char>(text[k]);
            add_printing({c, index, std::uint32_t(k), std::uint32_t(k + 1)}, ascii_break_classes[c]);
        }
        flush_word();
    }

    bool add_plain_ascii_word(std::uint32_t index, std::size_t begin, std::size_t end) {
        const Span& span = spans_[index];
        const std::string& text = span.text;
        Metrics::AsciiTable& table = ascii_table(index);
        FontId font = Metrics::unknown;
        float total = 0;
        for (std::size_t k = begin; k < end; ++k) {
            auto c = static_cast<unsigned char>(text[k]);
            Glyph& glyph = table[c];
            if (glyph.font == Metrics::unknown) glyph = metrics_.look_up(span.font, c);
            if (glyph.font < 0 || (font != Metrics::unknown && glyph.font != font)) return false;
            font = glyph.font;
            total += glyph.advance * span.size;
        }
        bool broken_before = break_seen_ || pending_space_ || pending_break_;
        if (total > (broken_before ? style_.width : std::min(style_.width, first_measure_))) return false;

        add_pending(index);
        points_.clear();
        if (hyphenator_) find_ascii_hyphenation_points(text, begin, end);
        std::size_t piece = begin;
        for (std::size_t after : points_) {
            add_ascii_box(index, font, piece, after + 1, table);
            add_hyphen_penalty(index);
            piece = after + 1;
        }
        add_ascii_box(index, font, piece, end, table);

        // as add_printing() leaves things after the word's last character
        auto last = static_cast<unsigned char>(text[end - 1]);
        alnum_before_previous_ = end - begin > 1 && text::is_alnum(static_cast<unsigned char>(text[end - 2]));
        previous_alnum_ = text::is_alnum(last);
        previous_ = ascii_break_classes[last];
        previous_span_ = index;
        has_previous_ = line_has_content_ = true;
        marks_in_a_row_ = 0;
        return true;
    }

    void add_ascii_box(std::uint32_t index, FontId font, std::size_t from, std::size_t to,
                       const Metrics::AsciiTable& table) {
        const Span& span = spans_[index];
        float width = 0;  // summed as flush_word() does, character by character
        for (std::size_t k = from; k < to; ++k)
            width += table[static_cast<unsigned char>(span.text[k])].advance * span.size;
        Payload data{index, font, std::uint32_t(items_.text.size())};
        items_.text.append(span.text, from, to - from);
        data.text_end = std::uint32_t(items_.text.size());
        items_.push({.kind = BreakItem::Kind::box, .width = width}, Role::text, data);
        ++items_.boxes;
    }

    // Lists in points_ the byte k of `text` after which a hyphen may go.
    void find_ascii_hyphenation_points(const std::string& text, std::size_t begin, std::size_t end) {
        auto letter = [&](std::size_t k) { return text::is_letter(static_cast<unsigned char>(text[k])); };
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
                    flush_word();
                    add_penalty(Role::break_after, 0, style_.hyphen_penalty, true, wc.span);
                    break;
                case Join::cjk_break:
                    flush_word();
                    add_cjk_glue(previous_span_, wc.span);
                    break;
                case Join::cjk_nobreak:
                    flush_word();
                    add_penalty(Role::forbid, 0, infinite_penalty, false, wc.span);
                    add_cjk_glue(previous_span_, wc.span);
                    break;
            }
        }
        word_.push_back(wc);
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
        items_.push(glue, Role::word_space, {span_index});
        break_seen_ = true;
    }

    void add_cjk_glue(std::uint32_t before_span, std::uint32_t after_span) {
        float size = std::max(spans_[before_span].size, spans_[after_span].size);
        BreakItem glue{.kind = BreakItem::Kind::glue};
        if (justify_) glue.stretch = cjk_stretch_em * size;
        items_.push(glue, Role::cjk_glue, {after_span});
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
            float room = broken_before ? style_.width : std::min(style_.width, first_measure_);
            if (width > room) {
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

    // Measures the word collected so far and adds its boxes, with the penalties inside it.
    void flush_word() {
        if (word_.empty()) return;
        float total = 0;
        for (auto& wc : word_) {
            measure(wc);
            total += wc.width;
        }
        // A word wider than the line (a URL, a long identifier) may break anywhere, with
        // no hyphen drawn, rather than stick out of the measure. Before any break the
        // word starts the first line, which may be shorter.
        float room = break_seen_ ? style_.width : std::min(style_.width, first_measure_);
        points_.clear();
        bool split = total > room && word_.size() > 1;
        if (split) {
            for (std::size_t k = 0; k + 1 < word_.size(); ++k)
                if (!word_[k + 1].attached) points_.push_back(k);
        } else {
            find_hyphenation_points();
        }
        std::size_t piece = 0, next_point = 0;
        for (std::size_t k = 0; k < word_.size(); ++k) {
            bool at_point = next_point < points_.size() && points_[next_point] == k;
            next_point += at_point;
            bool last = k + 1 == word_.size();
            if (!last && !at_point && word_[k + 1].font == word_[k].font && word_[k + 1].span == word_[k].span)
                continue;
            add_box(piece, k + 1);
            piece = k + 1;
            if (!at_point) continue;
            if (split)
                add_penalty(Role::break_after, 0, style_.hyphen_penalty, false, word_[k].span);
            else
                add_hyphen_penalty(word_[k].span);
        }
        word_.clear();
        word_has_soft_hyphen_ = false;
    }

    void measure(WordChar& wc) {
        const Span& span = spans_[wc.span];
        char32_t drawn = wc.spaces ? U' ' : wc.c;
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
            wc.width = glyph.advance * span.size * std::max<int>(1, wc.spaces);
            return;
        }
        if (wc.spaces) {  // a font without a space: leave the room anyway
            wc.font = span.font;
            wc.width = fallback_space_em * span.size * wc.spaces;
            return;
        }
        wc.missing = true;
        ++items_.missing_glyphs;
        Glyph replacement = metrics_.glyph(span.font, '?');
        wc.font = replacement.font < 0 ? span.font : replacement.font;
        wc.width = (replacement.font < 0 ? fallback_replacement_em : replacement.advance) * span.size;
    }

    void add_box(std::size_t from, std::size_t to) {
        const Span& span = spans_[word_[from].span];
        Payload data{word_[from].span, word_[from].font, std::uint32_t(items_.text.size())};
        float width = 0;
        bool plain = true;        // its bytes are one piece of the span's text
        bool spaces_only = true;
        for (std::size_t k = from; k < to; ++k) {
            const WordChar& wc = word_[k];
            width += wc.width;
            plain = plain && !wc.missing && !wc.spaces && (k == from || wc.begin == word_[k - 1].end);
            spaces_only = spaces_only && wc.spaces;
        }
        if (plain) {
            items_.text.append(span.text, word_[from].begin, word_[to - 1].end - word_[from].begin);
        } else {
            for (std::size_t k = from; k < to; ++k) {
                const WordChar& wc = word_[k];
                if (wc.missing) {
                    items_.text += '?';
                } else if (wc.spaces) {
                    items_.text.append(wc.spaces, ' ');
                } else {
                    items_.text.append(span.text, wc.begin, wc.end - wc.begin);
                }
            }
        }
        data.text_end = std::uint32_t(items_.text.size());
        items_.push({.kind = BreakItem::Kind::box, .width = width}, spaces_only ? Role::space : Role::text, data);
        ++items_.boxes;
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
    const Hyphenator* hyphenator_;
    float first_measure_;
    bool justify_;

    Items& items_;
    std::vector<WordChar> word_;
    bool word_has_soft_hyphen_ = false;
    std::vector<std::size_t> points_;  // ascending: a break may follow word_[k]
    std::uint32_t last_span_ = 0;
    Metrics::AsciiTable* table_ = nullptr;  // the ASCII metrics of spans_[table_span_]
    std::uint32_t table_span_ = std::uint32_t(-1);

    bool pending_space_ = false, pending_break_ = false;
    std::uint32_t space_span_ = 0;
    bool has_previous_ = false;  // a printing character before, with nothing between
    CharClass previous_;
    std::uint32_t previous_span_ = 0;
    bool previous_alnum_ = false, alnum_before_previous_ = false;
    int marks_in_a_row_ = 0;         // combining marks attached to the last character
    bool line_has_content_ = false;  // since the start or the last forced break
    bool break_seen_ = false;        // a break opportunity since the paragraph's start

    // hyphenation scratch
    std::string letters_;
    std::vector<std::size_t> letter_offsets_, offsets_;
};

// ---- Lines -----------------------------------------------------------------------------

bool same_style(const Fragment& fragment, FontId font, const Span& span) {
    return fragment.font == font && fragment.size == span.size && fragment.color == span.color &&
           fragment.link == span.link;
}

// Sets the lines that `breaks` cut `items` into.
class LineSetter {
public:
    LineSetter(const std::vector<Span>& spans, const ParagraphStyle& style, const Items& items,
               float first_measure, SetStats& stats)
        : spans_(spans), style_(style), items_(items), first_measure_(first_measure), stats_(stats) {}

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
        for (std::size_t k = start; k < stop; ++k) {
            if (items[k].kind == BreakItem::Kind::penalty) continue;
            natural += items[k].width;
            stretch += items[k].stretch;
            shrink += items[k].shrink;
        }
        float measure = first ? first_measure_ : style_.width;
        double ratio = 0;
        if (natural > measure && shrink > 0) {
            ratio = std::max(-1.0, (measure - natural) / shrink);
        } else if (natural < measure && stretch > 0 && style_.align == Align::justify && !forced) {
            ratio = (measure - natural) / stretch;
        }
        double width = natural + ratio * (ratio > 0 ? stretch : shrink);
        double offset = 0;
        if (style_.align == Align::right) offset = std::max(0.0, measure - width);
        if (style_.align == Align::center) offset = std::max(0.0, (measure - width) / 2);
        float left = float((first ? style_.first_indent : 0) + offset);

        Line line;
        std::size_t boxes = 0;
        for (std::size_t k = start; k < stop; ++k) boxes += items[k].kind == BreakItem::Kind::box;
        line.fragments.reserve(boxes + hyphen);
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
                float set = float(item.width + ratio * (ratio > 0 ? item.stretch : item.shrink));
                x += set;
                gap += set;
                ++glues;
                cjk_gaps = cjk_gaps && items_.role(k) == Role::cjk_glue;
                continue;
            }
            const Span& span = spans_[data.span];
            std::string_view text(items_.text.data() + data.text_begin, data.text_end - data.text_begin);
            bool merged = false;
            if (!line.fragments.empty() && same_style(line.fragments.back(), data.font, span)) {
                if (glues == 0 || (glues == 1 && cjk_gaps && gap < spacing_epsilon))
                    merged = run.join(line.fragments.back(), text, item.width, gap, 0);
                else if (glues == 1 && cjk_gaps)
                    merged = run.join(line.fragments.back(), text, item.width, gap, gap);
            }
            if (!merged) {
                add_fragment(line, x, item.width, data.font, span, text);
                run.start(text);
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
            if (line.fragments.empty() || !same_style(line.fragments.back(), font, span) ||
                !run.join(line.fragments.back(), "-", at.width, 0, 0)) {
                add_fragment(line, x, at.width, font, span, "-");
                run.start("-");
            }
            x += at.width;
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

    static void add_fragment(Line& line, float x, float width, FontId font, const Span& span, std::string_view text) {
        Fragment& fragment = line.fragments.emplace_back();
        fragment.x = x;
        fragment.width = width;
        fragment.font = font;
        fragment.size = span.size;
        fragment.text.append(text);  // not assign(): GCC 12 reports a false -Wrestrict there
        fragment.color = span.color;
        fragment.link = span.link;
    }

    // What is known of the spacing of the line's last fragment: PDF's Tc adds the same
    // spacing after every character, so a fragment takes in a neighbour only when the
    // gap between them is that spacing, and a gap of its own only between single
    // characters.
    struct Run {
        std::size_t characters = 0;

        void start(std::string_view text) { characters = code_points(text); }

        bool join(Fragment& fragment, std::string_view text, float width, float gap, float spacing) {
            std::size_t count = code_points(text);
            bool spacing_known = characters > 1;
            if (spacing > 0) {
                if (count != 1) return false;
                if (spacing_known && std::abs(fragment.char_spacing - spacing) > spacing_epsilon) return false;
            } else if (spacing_known && fragment.char_spacing != 0) {
                return false;
            }
            fragment.char_spacing = spacing;
            fragment.text += text;
            fragment.width += gap + width;
            characters += count;
            return true;
        }

        static std::size_t code_points(std::string_view text) {
            std::size_t count = 0;
            for (char byte : text) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
            return count;
        }
    };

    const std::vector<Span>& spans_;
    const ParagraphStyle& style_;
    const Items& items_;
    float first_measure_;
    SetStats& stats_;
};

// The size that em-based amounts (ragged and emergency stretch) are measured in.
float paragraph_size(const std::vector<Span>& spans) {
    for (const auto& span : spans)
        if (!span.text.empty()) return span.size;
    return spans.empty() ? 10 : spans.front().size;
}

}  // namespace

std::vector<Line> set_paragraph(const std::vector<Span>& spans, const ParagraphStyle& style,
                                const FontTable& fonts, SetStats* stats) {
    SetStats local;
    SetStats& out = stats ? *stats : local;
    out = {};
    Metrics metrics(fonts);
    float first_measure = style.width - style.first_indent;
    float size = paragraph_size(spans);

    Items items;
    ItemBuilder(spans, style, metrics, nullptr, first_measure, items).build();
    if (items.boxes == 0) return {};

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
        breaks = find_breaks(items.breaking, parameters);
        out.passes = 1;
    }
    if (breaks.empty()) {
        if (style.hyphenator)
            ItemBuilder(spans, style, metrics, style.hyphenator, first_measure, items).build();
        parameters.tolerance = style.tolerance;
        breaks = find_breaks(items.breaking, parameters);
        out.passes = 2;
    }
    if (breaks.empty()) {
        parameters.background_stretch += emergency_stretch_em * size;
        parameters.final_pass = true;
        breaks = find_breaks(items.breaking, parameters);
        out.passes = 3;
    }
    out.missing_glyphs = items.missing_glyphs;
    return LineSetter(spans, style, items, first_measure, out).set(breaks);
}

}  // namespace dconv::pdf
