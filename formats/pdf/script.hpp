// script.hpp: how characters behave at line breaks, for set_paragraph.
//
// A small tailoring of UAX #14 (Unicode line breaking): Latin, Cyrillic, Hangul and the
// like break only at spaces (and after explicit hyphens); Han, kana and fullwidth forms
// may break between any two characters, except where kinsoku shori forbids it: no line
// starts with a closing mark, small kana or prolonged sound mark (，。」ぁー…) and none
// ends with an opening mark (「（). The line breaker turns each decision into items:
// nothing, inter-character glue, or a break after a hyphen.
#pragma once

#include <array>
#include <cstdint>

namespace dconv::pdf {

enum class BreakClass : std::uint8_t {
    alphabetic,         // letters, digits, Hangul, most symbols: a break only at spaces
    ideographic,        // Han, kana, fullwidth letters, emoji: a break before and after
    opening,            // 「『（【〈《 “ ‘ ( [ {: never at a line's end
    closing,            // ，。、」』）！？ ” ’ , . ; : ! ? ) ] }: never at a line's start
    nonstarter,         // small kana, ー, 々, ゝ, …, ‥: never at a line's start
    hyphen,             // - ‐ –: a break after it, between letters or digits, none before
    dash,               // — ―: a break after it
    space,              // breakable white space: glue
    nonbreaking_space,  // U+00A0, U+202F, U+2007: a space that is not a break
    newline,            // a forced break
    soft_hyphen,        // U+00AD: a hyphenation point, drawn only at a line's end
    zero_width_break,   // U+200B: a break opportunity that draws nothing
    combining,          // marks, variation selectors: stay with the character before
    ignorable,          // controls and format characters that draw nothing
};

struct CharClass {
    BreakClass kind = BreakClass::alphabetic;
    // East Asian wide or fullwidth and set on the CJK grid: its neighbours are break
    // opportunities (subject to kinsoku) with inter-character glue between.
    bool wide = false;
};

// ASCII is nearly all of Latin text: one table look-up (inline, it runs on every
// character) instead of two ICU property look-ups.
inline constexpr std::array<CharClass, 128> ascii_break_classes = [] {
    using enum BreakClass;
    std::array<CharClass, 128> table{};
    for (auto& entry : table) entry = {ignorable, false};  // controls
    for (int c = 0x20; c < 0x7F; ++c) table[c] = {alphabetic, false};
    table[' '] = table['\t'] = {space, false};
    table['\n'] = {newline, false};
    table['-'] = {hyphen, false};
    // No break before these (UAX #14 CL, CP, EX, IS, PO) or after those (OP, PR): it
    // matters only next to CJK, since Latin words break at spaces anyway.
    for (char c : {',', '.', ';', ':', '!', '?', ')', ']', '}', '%'}) table[c] = {closing, false};
    for (char c : {'(', '[', '{', '$'}) table[c] = {opening, false};
    return table;
}();

CharClass classify_beyond_ascii(char32_t c);
inline CharClass classify(char32_t c) { return c < 0x80 ? ascii_break_classes[c] : classify_beyond_ascii(c); }

// What goes between two printing characters with nothing (no space) between them.
enum class Join : std::uint8_t {
    none,          // one word: no break, no glue
    cjk_break,     // inter-character glue, a break allowed there
    cjk_nobreak,   // inter-character glue that kinsoku forbids breaking at
    after_hyphen,  // a break allowed after an explicit hyphen or dash, nothing drawn
};

// `before` is the class of a printing character and `after` the one that follows it
// directly (neither is a space, break, combining or ignorable character);
// `alnum_before_hyphen` says whether the character before `before` is a letter or digit,
// which decides whether a hyphen is one inside a word ("well-known") or a sign ("-5").
Join join(CharClass before, char32_t after, CharClass after_class, bool alnum_before_hyphen);

}  // namespace dconv::pdf
