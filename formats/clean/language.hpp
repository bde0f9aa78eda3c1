// language.hpp: language knowledge the cleaner uses as general signals: stop words
// (function words) per language, and script-based language guessing.
#pragma once

#include <string>
#include <string_view>

namespace dconv::clean {

// True when the language has a stop-word list here.
bool has_stopwords(std::string_view lang);

// Whether `word` (lower-cased UTF-8, one token) is a stop word of `lang`.
bool is_stopword(std::string_view lang, std::string_view word);

// The share of function words in `text`: for space-separated scripts, stop words over
// words; for Chinese and Japanese, function characters (的 了 是 在 / の は が を) over
// CJK characters. 0 when the language has no list or the text has no words.
double stopword_density(std::string_view text, std::string_view lang);

}  // namespace dconv::clean
