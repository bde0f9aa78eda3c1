// scripts.hpp: what language and direction a piece of text is in, as far as its script
// tells: enough to mark a Chinese title in an English article (lang) and a Hebrew
// paragraph in a French one (dir), which renderers need to pick fonts, line breaking
// and the order of characters.
#pragma once

#include <string_view>
#include <vector>

#include "core/language_tags.hpp"

namespace dconv::xhtml {

// A stretch of text and its language when that differs from the page's; empty otherwise.
struct ScriptRun {
    std::string_view text;
    std::string_view language;  // "zh", "ja", "ko" or empty
};

// Splits `text` into runs, marking each run of CJK characters whose language differs
// from the page's primary language: Han alone reads as Chinese, any kana makes it
// Japanese, any Hangul Korean. On a Japanese page Han is not marked (kanji), nor on a
// Korean one (hanja). Spaces, digits and ASCII punctuation between CJK characters stay
// inside their run. Appends to `out` (cleared first); the runs cover the whole text.
void split_by_script(std::string_view text, std::string_view page_language,
                     std::vector<ScriptRun>& out);

enum class Direction { neutral, ltr, rtl };

// The direction of the first strong character (a letter): right to left for Hebrew,
// Arabic, Syriac, Thaana and N'Ko, left to right for the other letters.
Direction first_strong_direction(std::string_view text);

// Is the language written right to left? (core/language_tags.hpp: the PDF writer asks too.)
using dconv::is_rtl_language;

// `tag` when it is a well-formed language tag (letters, then subtags of letters and
// digits, joined by '-'), else "". Only such a tag may go into lang and dc:language.
std::string_view well_formed_language(std::string_view tag);

// The primary subtag, lower case: "zh" for "zh-Hant".
std::string primary_language(std::string_view tag);

}  // namespace dconv::xhtml
