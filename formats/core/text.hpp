// text.hpp: UTF-8 and character-class helpers shared by readers, passes and writers.
// Input is assumed to be valid UTF-8 (the decode pass guarantees it); a stray byte
// decodes as U+FFFD and never reads past the end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dconv::text {

// Decodes the code point at s[i] and advances i past it.
char32_t next(std::string_view s, std::size_t& i);
// Decodes the code point that ends just before s[i] and moves i back to its start.
char32_t prev(std::string_view s, std::size_t& i);
void append(std::string& out, char32_t c);

std::u32string to_u32(std::string_view s);
std::string to_utf8(std::u32string_view s);

// Han ideographs (with extensions and compatibility), kana, Hangul syllables.
bool is_cjk(char32_t c);
// Fullwidth punctuation of CJK text (、。，！？：；「」『』（）《》〈〉【】…).
bool is_cjk_punct(char32_t c);
bool is_letter(char32_t c);
bool is_digit(char32_t c);
bool is_alnum(char32_t c);
bool is_upper(char32_t c);
bool is_lower(char32_t c);
bool is_space(char32_t c);  // Unicode White_Space
// Sentence-final punctuation in any script: . ! ? … 。！？ and closing quotes after them.
bool is_sentence_end(char32_t c);

// Terminal columns a code point takes: 0 (combining, control), 2 (East Asian wide or
// fullwidth) or 1.
int width(char32_t c);
std::size_t display_width(std::string_view s);

std::string_view trim(std::string_view s);
// Collapses runs of white space to one ASCII space and trims the ends.
std::string squeeze_spaces(std::string_view s);
std::string lower_ascii(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);  // ASCII case-insensitive

std::vector<std::string_view> split_lines(std::string_view s);  // on '\n'

}  // namespace dconv::text
