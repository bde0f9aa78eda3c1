// stopwords_lists.hpp: the function-word tables behind clean/language.hpp (private to
// the clean module). The lists are general language knowledge, written by hand: the most
// frequent articles, pronouns, prepositions, conjunctions, auxiliaries and adverbs of each
// language; never strings taken from pages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace dconv::clean::stopwords {

// The function-word list of one space-separated language. Words are lower-case, NFC,
// one token each, apostrophes as U+0027.
struct WordList {
    std::string_view lang;  // primary BCP 47 subtag
    bool latin;             // written in Latin script: guess_language votes among these
    std::uint32_t bit;      // this language in the sets languages_of returns

    bool contains(std::string_view word) const;
};

// No listed word is longer, in bytes (checked at compile time): a longer token is no stop
// word, and stopword_density does not fold it.
inline constexpr std::size_t kMaxWordBytes = 24;

// The languages (WordList::bit values) whose lists hold `word`, folded as the lists are
// written; 0 when none. One hash lookup, no allocation.
std::uint32_t languages_of(std::string_view word);

// Every space-separated language with a list (en de fr es pt it nl pl tr id sv ru ar fa hi).
std::span<const WordList> word_lists();
// The list of `lang` (a primary subtag, lower-case), or nullptr.
const WordList* find_word_list(std::string_view lang);

// French and Italian elide articles and pronouns onto the next word ("l'homme",
// "dell'anno"): the elided form with its apostrophe ("l'", "dell'") is in the list, so a
// token that is not a stop word itself counts when its part up to the first apostrophe is.
bool elides(std::string_view lang);

// Chinese function characters (的 了 是 在 ...), simplified and traditional forms.
bool is_chinese_function_char(char32_t c);
// Japanese particles and auxiliary kana (の は が を に で と ...), one character each.
bool is_japanese_function_char(char32_t c);
// A Korean word (eojeol) that is a function word (그리고, 또는, 및 ...) or that ends in a
// case particle or a common verbal ending (-은/는/이/가/을/를/에/의/에서/으로/-고/-다 ...).
bool is_korean_function_word(std::string_view word);

}  // namespace dconv::clean::stopwords
