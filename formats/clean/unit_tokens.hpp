// unit_tokens.hpp: learned evidence from the words of a unit's class and id attributes
// (its element's and its ancestors'). The training script (tools/train/train_unit_model.py)
// learns, from the WCXB and magic-html pages, each word's log-odds of content against
// boilerplate, counting each site once and keeping only words seen on many sites, so
// that no site's private class names carry weight; the table is compiled in
// (unit_tokens_data.inc, generated). Python and C++ hash the words alike (token_hash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace dconv::clean {

// The words of a class or id attribute: split on anything not an ASCII letter (digits
// are dropped), and at a lower-case letter followed by an upper-case one ("postBody" is
// "post", "body"; "HTMLParser" is "html", "parser"), lower-cased; words of one letter and
// over kMaxTokenLength letters are skipped. Calls f(word) for each, in order (repeats
// included).
inline constexpr std::size_t kMaxTokenLength = 32;
template <class F>
void for_each_class_token(std::string_view value, F&& f) {
    char word[kMaxTokenLength];
    std::size_t n = 0;
    bool overlong = false;
    const auto flush = [&] {
        if (n >= 2 && !overlong) f(std::string_view(word, n));
        n = 0;
        overlong = false;
    };
    const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (!upper(c) && !lower(c)) {
            flush();
            continue;
        }
        if (upper(c) && i > 0 &&
            (lower(value[i - 1]) || (upper(value[i - 1]) && i + 1 < value.size() && lower(value[i + 1]))))
            flush();
        if (n < kMaxTokenLength)
            word[n++] = upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
        else
            overlong = true;
    }
    flush();
}

// 64-bit FNV-1a of the word's bytes (train_unit_model.py's token_hash computes the same).
constexpr std::uint64_t token_hash(std::string_view word) {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : word) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

// The ancestors above a unit's element whose words count (train_unit_model.py's TOKEN_LEVELS).
inline constexpr std::size_t kTokenLevels = 4;

// The html_token_ features of an element (unit_features.hpp): calls words(level, f) to
// have f called on each word of the element (level 0) and its ancestors (1 to
// kTokenLevels), then writes own sum, min, max, log1p(known), up sum, min, max,
// log1p(known) to out[0..7]. A word counts once in each of the two sets.
inline constexpr std::size_t kTokenFeatures = 8;

// The learned log-odds of a class or id word (content minus boilerplate, over the
// training units' prior); `known` false (and 0) for a word not in the table.
// `own` true for the element's own words, false for its ancestors'.
float class_token_weight(std::uint64_t hash, bool own, bool& known);

// The html_token_ features from the hashes of the element's words (`own`) and of its
// ancestors' (`up`); both are sorted and made unique in place.
void class_token_features(std::vector<std::uint64_t>& own, std::vector<std::uint64_t>& up, float* out);

}  // namespace dconv::clean
