// hyphenate.hpp: where a word may be hyphenated, from libhyphen's pattern dictionaries
// (hyphen-en-us and the other hyphen-* packages, in /usr/share/hyphen).
//
// Liang's patterns, as TeX uses them: a dictionary says where a lower-case word may be
// broken, with at least LEFTHYPHENMIN characters before the hyphen and RIGHTHYPHENMIN
// after it. A dictionary is loaded once per process and then only read, so one
// Hyphenator serves every thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dconv::pdf {

class Hyphenator {
public:
    // The dictionary of a BCP 47 language ("en", "en-GB", "de-CH", "pt_BR"): the first of
    // hyph_<lang>_<REGION>.dic (the tag's region, then the language's usual one: en → US,
    // de → DE, ...), hyph_<lang>.dic and any hyph_<lang>_*.dic, looked for in
    // $DCONV_HYPHEN_DIR, then /usr/share/hyphen. nullptr when none is installed. Loaded
    // once per process (a tag's answer, found or not, is remembered); thread-safe.
    static const Hyphenator* for_language(std::string_view bcp47);

    // How a dictionary file is read into libhyphen's automaton. `direct` builds it in
    // one pass with an Aho-Corasick trie, in a few arrays: the same automaton as
    // libhyphen's own reader (same states' patterns, same fallbacks), which hashes every
    // suffix of every state and makes a malloc per state and pattern: 9 rather than 37
    // million instructions for English (callgrind). Files with features the direct
    // reader leaves to libhyphen (NEXTLEVEL, NOHYPHEN, replacement patterns, long lines)
    // are read by libhyphen. Either way libhyphen does the hyphenating.
    enum class Reader { direct, libhyphen };

    // One dictionary file; nullptr when it cannot be read.
    static std::unique_ptr<Hyphenator> load(const std::string& path, Reader reader = Reader::direct);

    ~Hyphenator();
    Hyphenator(const Hyphenator&) = delete;
    Hyphenator& operator=(const Hyphenator&) = delete;

    // Byte offsets inside the UTF-8 `word` where a hyphen may go (before the byte at the
    // offset), ascending. The word is looked up in lower case. None for words with
    // digits, symbols or letters of more than one script, or longer than
    // max_word_length. A word with hyphens in it ("well-known") is hyphenated part by
    // part; breaking after its own hyphens is the line breaker's business, not listed.
    std::vector<std::size_t> points(std::string_view word) const;
    // The same into `out` (cleared first), for callers that hyphenate many words. Each
    // thread remembers the words it has hyphenated lately, so repeated words cost a
    // hash look-up.
    void points(std::string_view word, std::vector<std::size_t>& out) const;

    // How its file was read (Reader::libhyphen when the direct reader left it to it).
    Reader reader() const;

    // The dictionary's minimum characters before and after a hyphen (at least 2 and 3:
    // shorter pieces are harder to read than the gap they save).
    int left_min() const { return left_min_; }
    int right_min() const { return right_min_; }

    // Longer "words" are URLs, identifiers or noise, not language: not hyphenated.
    static constexpr std::size_t max_word_length = 64;  // characters

private:
    struct Dictionary;
    explicit Hyphenator(std::unique_ptr<Dictionary> dictionary);
    void compute_points(std::string_view word, std::vector<std::size_t>& out) const;
    void hyphenate_part(std::u32string_view part, std::size_t part_begin,
                        const std::vector<std::size_t>& offsets,
                        std::vector<std::size_t>& out) const;

    std::unique_ptr<Dictionary> dictionary_;
    std::uint64_t serial_;  // names it in the per-thread memo of words
    int left_min_ = 2, right_min_ = 3;
};

}  // namespace dconv::pdf
