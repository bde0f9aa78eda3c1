// script.cpp: line-break classes of characters (a tailoring of UAX #14).
#include "pdf/script.hpp"

#include <unicode/uchar.h>

#include "core/text.hpp"

namespace dconv::pdf {

namespace {

using enum BreakClass;

bool east_asian_wide(char32_t c) {
    auto width = u_getIntPropertyValue(UChar32(c), UCHAR_EAST_ASIAN_WIDTH);
    return width == U_EA_WIDE || width == U_EA_FULLWIDTH;
}

// Characters whose UAX #14 class does not say what CJK typesetting wants, or that draw
// nothing.
bool special_class(char32_t c, CharClass& out) {
    switch (c) {
        case 0x00A0: case 0x202F: case 0x2007:
            out = {nonbreaking_space, false};
            return true;
        case 0x00AD:
            out = {soft_hyphen, false};
            return true;
        case 0x200B:
            out = {zero_width_break, false};
            return true;
        case 0x2010: case 0x2013:
            out = {hyphen, false};
            return true;
        case 0x2014: case 0x2015:
            out = {dash, false};
            return true;
        // Quotation marks are ambiguous in UAX #14 (QU); in CJK text (and in Latin text,
        // where it makes no difference) the curly ones open and close.
        case 0x2018: case 0x201C: case 0x00AB: case 0x201E:
            out = {opening, false};
            return true;
        case 0x2019: case 0x201D: case 0x00BB:
            out = {closing, false};
            return true;
        // The ideographic space is a character of the grid (an indent, a gap), not glue.
        case 0x3000:
            out = {ideographic, true};
            return true;
        case 0x2028: case 0x0085:
            out = {newline, false};
            return true;
        // The joiners steer shaping (a Persian ZWNJ, an Indic half form) and, as UAX #14's
        // CM and ZWJ, stay with the character before.
        case 0x200C: case 0x200D:
            out = {combining, false};
            return true;
        case 0x200E: case 0x200F: case 0x2060: case 0x2061:
        case 0x2062: case 0x2063: case 0x2064: case 0xFEFF: case 0x061C:
            out = {ignorable, false};
            return true;
        default:
            break;
    }
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || (c >= 0x80 && c < 0xA0)) {
        out = {ignorable, false};
        return true;
    }
    return false;
}

}  // namespace

CharClass classify_beyond_ascii(char32_t c) {
    CharClass special;
    if (special_class(c, special)) return special;
    switch (u_getIntPropertyValue(UChar32(c), UCHAR_LINE_BREAK)) {
        case U_LB_IDEOGRAPHIC:
        case U_LB_E_BASE:
            return {ideographic, true};
        case U_LB_OPEN_PUNCTUATION:
        case U_LB_PREFIX_NUMERIC:
            return {opening, east_asian_wide(c)};
        case U_LB_CLOSE_PUNCTUATION:
        case U_LB_CLOSE_PARENTHESIS:
        case U_LB_EXCLAMATION:
        case U_LB_INFIX_NUMERIC:
        case U_LB_POSTFIX_NUMERIC:
            return {closing, east_asian_wide(c)};
        // Conditional Japanese starters (small kana, ー) are treated strictly: they do
        // not start lines, as in most Japanese and all Chinese typesetting.
        case U_LB_NONSTARTER:
        case U_LB_CONDITIONAL_JAPANESE_STARTER:
        case U_LB_INSEPARABLE:
            return {nonstarter, east_asian_wide(c)};
        case U_LB_HYPHEN:
            return {hyphen, false};
        case U_LB_BREAK_BOTH:
            return {dash, false};
        case U_LB_SPACE:
            return {space, false};
        case U_LB_BREAK_AFTER:  // the typographic spaces U+2000..U+200A and others
            return {text::is_space(c) ? space : alphabetic, false};
        case U_LB_GLUE:
        case U_LB_WORD_JOINER:
            return {text::is_space(c) ? nonbreaking_space : alphabetic, false};
        case U_LB_ZWSPACE:
            return {zero_width_break, false};
        case U_LB_COMBINING_MARK:
        case U_LB_ZWJ:
        case U_LB_E_MODIFIER:
            return {combining, false};
        case U_LB_MANDATORY_BREAK:
        case U_LB_LINE_FEED:
        case U_LB_NEXT_LINE:
            return {newline, false};
        case U_LB_CARRIAGE_RETURN:
            return {ignorable, false};
        default:  // AL, NU, Hangul (H2, H3, JL, JV, JT), SA, AI, QU, ...: words
            return {alphabetic, false};
    }
}

Join join(CharClass before_class, char32_t after, CharClass after_class, bool alnum_before_hyphen) {
    if (before_class.kind == nonbreaking_space || after_class.kind == nonbreaking_space)
        return Join::none;
    bool cjk = before_class.wide || after_class.wide;
    // kinsoku, and UAX #14's LB21: no break before a hyphen either
    bool kinsoku = after_class.kind == closing || after_class.kind == nonstarter || after_class.kind == hyphen ||
                   before_class.kind == opening;
    Join unbroken = cjk ? Join::cjk_nobreak : Join::none;
    if (kinsoku) return unbroken;
    switch (before_class.kind) {
        case hyphen:
            // "well-known", "1990–2000"; not "-5", "--" or "a-.".
            return alnum_before_hyphen && text::is_alnum(after) ? Join::after_hyphen : unbroken;
        case dash:
            // Not inside a doubled dash ("——" is one mark in Chinese).
            if (after_class.kind == dash) return unbroken;
            return cjk ? Join::cjk_break : Join::after_hyphen;
        default:
            break;
    }
    return cjk ? Join::cjk_break : Join::none;
}

}  // namespace dconv::pdf
