// text.hpp: UTF-8 and character-class helpers shared by readers, passes and writers.
// Input is assumed to be valid UTF-8 (the decode pass guarantees it); a stray byte
// decodes as U+FFFD and never reads past the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace dconv::text {

// Decodes the code point at s[i] and advances i past it (inline: every pass runs it on
// every character; the ASCII case is one compare).
char32_t next_multibyte(std::string_view s, std::size_t& i);
inline char32_t next(std::string_view s, std::size_t& i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char lead = b(i);
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    // well-formed 2- and 3-byte sequences (all of the BMP) inline too; the rest (4 bytes,
    // malformed input) out of line
    if (lead >= 0xC2 && lead < 0xE0 && i + 1 < s.size() && (b(i + 1) & 0xC0) == 0x80) {
        char32_t c = (char32_t(lead & 0x1F) << 6) | (b(i + 1) & 0x3F);
        i += 2;
        return c;
    }
    if (lead >= 0xE0 && lead < 0xF0 && i + 2 < s.size() && (b(i + 1) & 0xC0) == 0x80 &&
        (b(i + 2) & 0xC0) == 0x80) {
        char32_t c = (char32_t(lead & 0x0F) << 12) | (char32_t(b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
        if (c >= 0x800) {  // not overlong
            i += 3;
            return c;
        }
    }
    return next_multibyte(s, i);
}
// The index of the first byte at or after s[i] that is not ASCII (s.size() if none),
// eight bytes at a time: the whole-page scans for a charset read mostly ASCII.
inline std::size_t skip_ascii(std::string_view s, std::size_t i) {
    while (i + 8 <= s.size()) {
        std::uint64_t word;
        std::memcpy(&word, s.data() + i, 8);
        if (word & 0x8080808080808080ull) break;
        i += 8;
    }
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    return i;
}

// True when `bytes` are well-formed UTF-8 (no overlong form, no surrogate) holding at
// least one multibyte character: such bytes were written as UTF-8 whatever they declare,
// since text in a legacy encoding is next to never valid UTF-8 beyond ASCII. Used by the
// HTML prescan (a page's declared charset) and the fetcher (a reply's charset header).
bool valid_utf8_with_multibyte(std::string_view bytes);
// Decodes the code point that ends just before s[i] and moves i back to its start.
char32_t prev(std::string_view s, std::size_t& i);
void append(std::string& out, char32_t c);
// Writes the UTF-8 bytes of c to out (room for 4 bytes) and returns how many.
std::size_t encode(char32_t c, char* out);

std::u32string to_u32(std::string_view s);
std::string to_utf8(std::u32string_view s);

// Han ideographs (with extensions and compatibility), kana, Hangul syllables.
inline bool is_cjk(char32_t c) {
    if (c < 0x1100) return false;
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x3134F) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x3040 && c <= 0x30FF) ||                                   // kana
           (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xAC00 && c <= 0xD7AF) ||  // Hangul
           (c >= 0x1100 && c <= 0x11FF) || c == 0x3005 || c == 0x3007;
}
// Fullwidth punctuation of CJK text (、。，！？：；「」『』（）《》〈〉【】…).
bool is_cjk_punct(char32_t c);
bool is_letter_slow(char32_t c);
bool is_digit_slow(char32_t c);
bool is_upper_slow(char32_t c);
bool is_lower_slow(char32_t c);
inline bool is_letter(char32_t c) {
    if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    return is_letter_slow(c);
}
inline bool is_digit(char32_t c) { return c < 0x80 ? (c >= '0' && c <= '9') : is_digit_slow(c); }
inline bool is_alnum(char32_t c) { return is_letter(c) || is_digit(c); }
inline bool is_upper(char32_t c) { return c < 0x80 ? (c >= 'A' && c <= 'Z') : is_upper_slow(c); }
inline bool is_lower(char32_t c) { return c < 0x80 ? (c >= 'a' && c <= 'z') : is_lower_slow(c); }
bool is_space_slow(char32_t c);
inline bool is_space(char32_t c) {  // Unicode White_Space
    if (c < 0x80) return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    return is_space_slow(c);
}
// Sentence-final punctuation in any script: Unicode's Sentence_Terminal (. ! ? 。！？ ؟ ۔
// । ॥ ։ ። ፧ ፨ ။ ᠃ ‼ ...), less the Myanmar little section ၊ (a comma, which the UCD lists
// among them), plus the full stops the UCD lists only as Terminal_Punctuation (Khmer ។ ៕,
// Tibetan ། ༎, the Greek question mark ;), the Armenian ՜ ՞, Sinhala ෴ and the ellipsis.
// The one test of a sentence end: the text cleaner's features, the HTML cleaner and the
// page's measures all ask it.
bool is_sentence_end_slow(char32_t c);
inline bool is_sentence_end(char32_t c) {
    if (c < 0x80) return c == '.' || c == '!' || c == '?';
    return is_sentence_end_slow(c);
}
// A sentence end that neither asks nor exclaims nor trails off (. 。 । ։ ። ။ ។ ...): not
// ? ! … ？ ！ ؟ ՞ ՜ ፧ ; ‼ ‽ ⁇ ⁈ ⁉ ⸮ ﹖ ﹗.
inline bool is_full_stop(char32_t c) {
    switch (c) {
        case '?': case '!': case 0x2026: case 0xFF1F: case 0xFF01: case 0x061F: case 0x055E: case 0x055C:
        case 0x1367: case 0x037E: case 0x203C: case 0x203D: case 0x2047: case 0x2048: case 0x2049:
        case 0x2E2E: case 0xFE56: case 0xFE57:
            return false;
        default:
            return is_sentence_end(c);
    }
}
// A comma of any script: , ， 、 ، (Arabic) ၊ (Myanmar) ፣ (Ethiopic) ՝ (Armenian) ᠂ ᠈
// (Mongolian). Semicolons are the caller's choice.
inline bool is_comma(char32_t c) {
    switch (c) {
        case ',': case 0xFF0C: case 0x3001: case 0x060C: case 0x104A: case 0x1363: case 0x055D:
        case 0x1802: case 0x1808: case 0xFF64:
            return true;
        default:
            return false;
    }
}
// Whether c is a letter or mark of a script that writes no sentence marks: Thai and Lao
// part sentences (and clauses) with a space and write words together, so a long run of
// the script's letters between spaces is their sentence.
bool in_script_without_sentence_marks(char32_t c);

// Terminal columns a code point takes: 0 (combining, control), 2 (East Asian wide or
// fullwidth) or 1.
int width(char32_t c);
std::size_t display_width(std::string_view s);

std::string_view trim(std::string_view s);
// Collapses runs of white space to one ASCII space and trims the ends.
std::string squeeze_spaces(std::string_view s);
// Whether squeeze_spaces(s) == s, without the copy.
bool is_squeezed(std::string_view s);
std::string lower_ascii(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);  // ASCII case-insensitive
// Whether a link to `url` runs script or opens an inline document: a javascript:,
// vbscript: or data: URL, read as a browser reads it (WHATWG URL): leading C0 controls
// and spaces dropped, ASCII tabs and newlines anywhere dropped, the scheme in any case.
// "java&#x09;script:" and "&#1;javascript:" are script to a browser.
bool is_script_url(std::string_view url);

// Whether `name` may name a programming language (a code block's info string, an HTML
// class "language-X"): 1 to 32 letters, digits and - _ + # . ("c++", "f#", "objective-c").
bool is_code_language_name(std::string_view name);

std::vector<std::string_view> split_lines(std::string_view s);  // on '\n'

// The value of a hexadecimal digit, or -1.
int hex_value(char c);
// %XX escapes decoded (an incomplete one is kept as written); with `plus_is_space`, '+' is
// a space too, as in a form-encoded query or a path segment some sites write that way.
std::string percent_decode(std::string_view s, bool plus_is_space = false);
// `s` with each byte `escape` picks written as %XX (upper-case hex digits), the others
// as they are: the one encoder behind URL resolution and PDF link URIs.
std::string percent_encode(std::string_view s, bool (*escape)(unsigned char));

}  // namespace dconv::text
