#include "clean/language.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "clean/stopwords_lists.hpp"
#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/limits.hpp"

namespace dconv::clean {

namespace {

// ---------------------------------------------------------------------------------------
// Language tags

// Longest primary subtag kept ("zh" of "zh-Hant-TW"); BCP 47 allows 8 letters.
constexpr std::size_t kMaxSubtagBytes = 8;

struct Subtag {
    std::array<char, kMaxSubtagBytes> bytes{};
    std::size_t size = 0;
    std::string_view view() const { return {bytes.data(), size}; }
};

// "zh-Hant" → "zh", "EN_us" → "en": lists are per language, not per region or script.
Subtag primary_subtag(std::string_view lang) {
    Subtag tag;
    for (char c : lang) {
        if (c == '-' || c == '_') break;
        if (tag.size == kMaxSubtagBytes) return {};  // not a language tag
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        tag.bytes[tag.size++] = c;
    }
    return tag;
}

// ---------------------------------------------------------------------------------------
// Tokens: runs of letters, digits, apostrophes, combining marks (Devanagari vowel signs,
// Arabic harakat) and zero-width (non-)joiners (Persian می‌شود). Apostrophes at either
// end are quotes, not part of the word.

bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

bool is_word_char(char32_t c) {
    if (c < 0x80) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '\'';
    }
    if (c == 0x200C || c == 0x200D || is_apostrophe(c)) return true;
    if (text::is_alnum(c)) return true;
    auto type = u_charType(UChar32(c));
    return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

// Web addresses are no words of any language ("com" is Portuguese for "with"): a token
// starting with http://, https:// or www. is skipped up to the next space or bracket.
std::size_t skip_url(std::string_view s, std::size_t i) {
    // most calls are at an h or a w inside a word: its second letter tells first
    if (i + 1 >= s.size()) return i;
    const char second = static_cast<char>(s[i + 1] | 0x20);
    if (second != 't' && second != 'w') return i;
    std::string_view rest = s.substr(i);
    if (!text::starts_with_ci(rest, "http://") && !text::starts_with_ci(rest, "https://") &&
        !text::starts_with_ci(rest, "www."))
        return i;
    while (i < s.size()) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ')' || c == ']' ||
            c == '>' || c == '"' || c == '<')
            break;
        ++i;
    }
    return i;
}

bool may_start_url(char c) { return c == 'h' || c == 'H' || c == 'w' || c == 'W'; }

// ASCII letters, digits and the apostrophe: the word characters of the fast path.
constexpr auto kAsciiWordChars = [] {
    std::array<bool, 128> table{};
    for (int c = 0; c < 128; ++c)
        table[std::size_t(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '\'';
    return table;
}();

// The end of the word that starts at `i`: ASCII bytes are read without decoding.
std::size_t word_end(std::string_view s, std::size_t i) {
    while (i < s.size()) {
        unsigned char byte = static_cast<unsigned char>(s[i]);
        if (byte < 0x80) {
            if (!kAsciiWordChars[byte]) break;
            ++i;
            continue;
        }
        std::size_t k = i;
        if (!is_word_char(text::next(s, k))) break;
        i = k;
    }
    return i;
}

std::string_view trim_apostrophes(std::string_view word) {
    while (!word.empty()) {
        std::size_t k = 0;
        if (!is_apostrophe(text::next(word, k))) break;
        word.remove_prefix(k);
    }
    while (!word.empty()) {
        std::size_t k = word.size();
        if (!is_apostrophe(text::prev(word, k))) break;
        word.remove_suffix(word.size() - k);
    }
    return word;
}

// Calls on_word(token) for every word of `s`, in order; allocates nothing.
template <typename OnWord>
void for_each_word(std::string_view s, OnWord&& on_word) {
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char byte = static_cast<unsigned char>(s[i]);
        std::size_t start = i;
        if (byte < 0x80) {
            if (!kAsciiWordChars[byte]) {
                ++i;
                continue;
            }
            if (may_start_url(char(byte))) {
                std::size_t after = skip_url(s, i);
                if (after != i) {
                    i = after;
                    continue;
                }
            }
            ++i;
        } else if (!is_word_char(text::next(s, i))) {
            continue;
        }
        i = word_end(s, i);
        std::string_view word = s.substr(start, i - start);
        // Quotes around a word are not part of it: 'word', word’.
        if (byte == '\'' || byte >= 0x80 || s[i - 1] == '\'' ||
            static_cast<unsigned char>(s[i - 1]) >= 0x80)
            word = trim_apostrophes(word);
        if (!word.empty()) on_word(word);
    }
}

// ---------------------------------------------------------------------------------------
// Folding a token to the form the lists are written in, in a fixed buffer.

// Longest token worth folding, in bytes: twice the longest stop word, as folding can
// shrink a token (diacritics dropped, İ → i); a longer one is no stop word.
constexpr std::size_t kMaxWordBytes = 2 * stopwords::kMaxWordBytes;

class FoldedWord {
public:
    // Lower-cases `word`, writes apostrophes as U+0027, drops Arabic diacritics and
    // tatweel, and for Persian writes the Arabic yeh and kaf as their Persian forms (ی ک),
    // which many Persian sites mix. False when the word is too long to be a stop word.
    bool fold(std::string_view word, bool persian) {
        size_ = 0;
        if (word.size() > kMaxWordBytes) return false;
        for (std::size_t i = 0; i < word.size();) {
            unsigned char byte = static_cast<unsigned char>(word[i]);
            if (byte < 0x80) {  // the common case, inline
                ++i;
                char c = static_cast<char>(byte);
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                if (!push(c)) return false;
                continue;
            }
            char32_t c = text::next(word, i);
            if (is_apostrophe(c)) {
                if (!push('\'')) return false;
                continue;
            }
            if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640) continue;
            if (persian) {
                if (c == 0x064A || c == 0x0649) c = 0x06CC;
                else if (c == 0x0643) c = 0x06A9;
            }
            c = static_cast<char32_t>(u_tolower(UChar32(c)));
            char utf8[4];
            std::size_t n = text::encode(c, utf8);
            for (std::size_t k = 0; k < n; ++k)
                if (!push(utf8[k])) return false;
        }
        return true;
    }

    std::string_view view() const { return {data_.data(), size_}; }

private:
    bool push(char c) {
        if (size_ == data_.size()) return false;
        data_[size_++] = c;
        return true;
    }


    std::array<char, kMaxWordBytes * 2> data_{};  // lower-casing can grow a letter (Ⱥ → ⱥ)
    std::size_t size_ = 0;
};

// A folded token is a stop word when it is listed, or, in French and Italian, when its
// elided head is ("l'homme" by "l'", "dell'anno" by "dell'").
bool matches(const stopwords::WordList& list, std::string_view folded) {
    if (list.contains(folded)) return true;
    if (!stopwords::elides(list.lang)) return false;
    std::size_t apostrophe = folded.find('\'');
    return apostrophe != std::string_view::npos &&
           list.contains(folded.substr(0, apostrophe + 1));
}

bool is_han(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x3134F) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 ||
           c == 0x3007;
}

// Hiragana and katakana letters, with the prolonged sound mark; not the middle dot.
bool is_kana(char32_t c) {
    return (c >= 0x3041 && c <= 0x309F) || (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC ||
           (c >= 0x31F0 && c <= 0x31FF);
}

bool is_single_char(std::string_view word, char32_t& c) {
    if (word.empty()) return false;
    std::size_t i = 0;
    c = text::next(word, i);
    return i == word.size();
}

// Chinese: function characters over Han ideographs. Japanese: particle and auxiliary
// kana over kana and kanji, one character at a time (no segmentation: particles are
// single kana, and a per-character share needs no dictionary).
double cjk_density(std::string_view s, bool japanese) {
    std::size_t function_chars = 0, chars = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        char32_t c = text::next(s, i);
        if (japanese) {
            if (!is_han(c) && !is_kana(c)) continue;
            ++chars;
            if (stopwords::is_japanese_function_char(c)) ++function_chars;
        } else {
            if (!is_han(c)) continue;
            ++chars;
            if (stopwords::is_chinese_function_char(c)) ++function_chars;
        }
    }
    return chars == 0 ? 0.0 : double(function_chars) / double(chars);
}

}  // namespace

bool has_stopwords(std::string_view lang) {
    Subtag tag = primary_subtag(lang);
    std::string_view code = tag.view();
    return code == "zh" || code == "ja" || code == "ko" ||
           stopwords::find_word_list(code) != nullptr;
}

// `word` is one token as stopword_density cuts them; it is folded the same way (case,
// apostrophes, Arabic diacritics), so "The" and "l'homme" (French elision) are stop words.
// For Chinese and Japanese a stop word is one function character.
bool is_stopword(std::string_view lang, std::string_view word) {
    Subtag tag = primary_subtag(lang);
    std::string_view code = tag.view();
    char32_t c = 0;
    if (code == "zh") return is_single_char(word, c) && stopwords::is_chinese_function_char(c);
    if (code == "ja") return is_single_char(word, c) && stopwords::is_japanese_function_char(c);
    if (code == "ko") return stopwords::is_korean_function_word(word);
    const stopwords::WordList* list = stopwords::find_word_list(code);
    if (list == nullptr) return false;
    FoldedWord folded;
    return folded.fold(word, code == "fa") && matches(*list, folded.view());
}

// Korean counts words (eojeol) that are function words or end in a particle or a verbal
// ending (학교에서, 있다), over all words: see stopwords::is_korean_function_word.
double stopword_density(std::string_view text, std::string_view lang) {
    Subtag tag = primary_subtag(lang);
    std::string_view code = tag.view();
    if (code == "zh" || code == "ja") return cjk_density(text, code == "ja");
    std::size_t words = 0, stop = 0;
    if (code == "ko") {
        for_each_word(text, [&](std::string_view word) {
            ++words;
            if (stopwords::is_korean_function_word(word)) ++stop;
        });
    } else {
        const stopwords::WordList* list = stopwords::find_word_list(code);
        if (list == nullptr) return 0.0;
        bool persian = code == "fa";
        FoldedWord folded;
        for_each_word(text, [&](std::string_view word) {
            ++words;
            if (folded.fold(word, persian) && matches(*list, folded.view())) ++stop;
        });
    }
    return words == 0 ? 0.0 : double(stop) / double(words);
}

// =======================================================================================
// Language guessing

namespace {

// Only the head of a long text is read: the language of a page does not change after
// 200 KB, and guessing must stay cheap next to cleaning.
constexpr std::size_t kSampleBytes = 200 * 1024;
// Han, kana and Hangul carry about a word in two characters, Latin letters about a fifth
// of one: one CJK character weighs as two letters when scripts are compared, so a
// Chinese article with English terms is Chinese, an English one with a Chinese title is
// English.
constexpr std::size_t kCjkWeight = 2;
// Japanese is written with kanji and kana, Chinese with Han alone: a text is Japanese when
// kana are at least this share (1/20) of its Han and kana, so that a stray の in a
// Chinese shop name does not turn a Chinese page Japanese.
constexpr std::size_t kKanaShareDivisor = 20;
// Ukrainian letters (і ї є ґ) in at least this share (1/100) of the Cyrillic letters, and
// at least twice: Russian has none of them.
constexpr std::size_t kUkrainianShareDivisor = 100;
constexpr std::size_t kMinCueLetters = 2;
// Urdu-only letters (ہ ے ں ٹ ڈ ڑ ھ) in at least this share (1/50) of the Arabic-script
// letters: ہے alone is in most Urdu sentences, and Persian and Arabic use none of them.
constexpr std::size_t kUrduShareDivisor = 50;
// A Latin text is given the language whose list matches most words only when that list
// matches at least this many words, and at least 1/20 of the words: stop words are a
// third of running prose, so fewer means a language without a list.
constexpr std::size_t kMinStopwordHits = 3;
constexpr std::size_t kMinStopwordShareDivisor = 20;
// A Latin text no list recognises is English when at most 1/20 of its letters are
// non-ASCII (English names with an accent), unknown otherwise.
constexpr std::size_t kAsciiShareDivisor = 20;

struct ScriptCounts {
    std::array<std::size_t, USCRIPT_CODE_LIMIT> letters{};
    std::size_t latin_non_ascii = 0;
    std::size_t ukrainian = 0;  // і ї є ґ
    std::size_t persian = 0;    // پ چ ژ گ ک ی
    std::size_t arabic = 0;     // ي ك ى
    std::size_t urdu = 0;       // ہ ے ں ٹ ڈ ڑ ھ

    std::size_t operator[](UScriptCode script) const { return letters[std::size_t(script)]; }
};

void count_letter(ScriptCounts& counts, char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(UChar32(c), &status);
    if (U_FAILURE(status) || script < 0 || script >= USCRIPT_CODE_LIMIT) return;
    // Marks shared by scripts (harakat, the kana length mark) say nothing of the script:
    // a fully vowelled Arabic text must not be "inherited" rather than Arabic.
    if (script == USCRIPT_COMMON || script == USCRIPT_INHERITED || script == USCRIPT_UNKNOWN)
        return;
    ++counts.letters[std::size_t(script)];
    switch (script) {
        case USCRIPT_LATIN:
            ++counts.latin_non_ascii;
            break;
        case USCRIPT_CYRILLIC:
            switch (c) {
                case 0x0456: case 0x0457: case 0x0454: case 0x0491:
                case 0x0406: case 0x0407: case 0x0404: case 0x0490:
                    ++counts.ukrainian;
                    break;
                default:
                    break;
            }
            break;
        case USCRIPT_ARABIC:
            switch (c) {
                case 0x067E: case 0x0686: case 0x0698: case 0x06AF: case 0x06A9: case 0x06CC:
                    ++counts.persian;
                    break;
                case 0x064A: case 0x0643: case 0x0649:
                    ++counts.arabic;
                    break;
                case 0x06C1: case 0x06D2: case 0x06BA: case 0x0679: case 0x0688: case 0x0691:
                case 0x06BE:
                    ++counts.urdu;
                    break;
                default:
                    break;
            }
            break;
        default:
            break;
    }
}

ScriptCounts count_scripts(std::string_view sample) {
    ScriptCounts counts;
    std::size_t steps = 0;
    for (std::size_t i = 0; i < sample.size();) {
        if ((++steps & 0xFF) == 0) check_deadline();  // a call per byte cost a tenth of the guess
        unsigned char byte = static_cast<unsigned char>(sample[i]);
        if (byte < 0x80) {
            if (may_start_url(char(byte))) {
                std::size_t after = skip_url(sample, i);
                if (after != i) {
                    i = after;
                    continue;
                }
            }
            ++i;
            if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z'))
                ++counts.letters[USCRIPT_LATIN];
            continue;
        }
        char32_t c = text::next(sample, i);
        if (u_isUAlphabetic(UChar32(c))) count_letter(counts, c);  // with vowel signs
    }
    return counts;
}

// Scripts that name one language (as written on the web).
struct ScriptLanguage {
    UScriptCode script;
    std::string_view lang;
};
constexpr ScriptLanguage kScriptLanguages[] = {
    {USCRIPT_GREEK, "el"},    {USCRIPT_HEBREW, "he"},    {USCRIPT_DEVANAGARI, "hi"},
    {USCRIPT_THAI, "th"},     {USCRIPT_BENGALI, "bn"},   {USCRIPT_TAMIL, "ta"},
    {USCRIPT_TELUGU, "te"},   {USCRIPT_GUJARATI, "gu"},  {USCRIPT_GURMUKHI, "pa"},
    {USCRIPT_KANNADA, "kn"},  {USCRIPT_MALAYALAM, "ml"}, {USCRIPT_GEORGIAN, "ka"},
    {USCRIPT_ARMENIAN, "hy"}, {USCRIPT_KHMER, "km"},     {USCRIPT_LAO, "lo"},
    {USCRIPT_MYANMAR, "my"},  {USCRIPT_SINHALA, "si"},
};

std::string_view sample_of(std::string_view text) {
    if (text.size() <= kSampleBytes) return text;
    std::size_t cut = kSampleBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut);
}

// Enough words to tell the languages with lists apart; the vote stops there.
constexpr std::size_t kMaxVoteWords = 5000;

// Votes among the Latin-script lists: a word in k lists gives each of them 1/k, so words
// shared by many languages ("a", "de", "en") count little and distinctive ones ("the",
// "und", "não") decide.
std::string guess_latin(std::string_view sample, const ScriptCounts& counts) {
    auto lists = stopwords::word_lists();
    std::uint32_t latin = 0;
    // A word's languages are a bit set: its votes go to the lists of its set bits alone,
    // not to a test of every list per word (each list's score adds up the same shares
    // in the same order). A list's bit is one of 32 (`& 31`: a zero bit would be 32).
    std::array<std::uint8_t, 32> list_of_bit{};
    for (std::size_t l = 0; l < lists.size(); ++l) {
        if (lists[l].latin) latin |= lists[l].bit;
        list_of_bit[std::countr_zero(lists[l].bit) & 31] = static_cast<std::uint8_t>(l);
    }
    std::array<double, 32> score{};
    std::array<std::size_t, 32> hits{};
    std::size_t words = 0;
    FoldedWord folded;
    for_each_word(sample, [&](std::string_view word) {
        if (words == kMaxVoteWords) return;
        unsigned char first = static_cast<unsigned char>(word[0]);
        if (first >= '0' && first <= '9') return;  // numbers are in no language
        ++words;
        if (!folded.fold(word, false)) return;
        std::uint32_t languages = stopwords::languages_of(folded.view());
        std::size_t apostrophe = folded.view().find('\'');
        if (apostrophe != std::string_view::npos) {  // French and Italian elision
            for (const auto& list : lists)
                if (stopwords::elides(list.lang) && matches(list, folded.view()))
                    languages |= list.bit;
        }
        languages &= latin;
        if (languages == 0) return;
        double share = 1.0 / double(std::popcount(languages));
        poll_deadline();
        for (std::uint32_t rest = languages; rest != 0; rest &= rest - 1) {
            const std::size_t l = list_of_bit[std::countr_zero(rest)];
            score[l] += share;
            ++hits[l];
        }
    });
    std::size_t best = lists.size();
    for (std::size_t l = 0; l < lists.size(); ++l)
        if (hits[l] > 0 && (best == lists.size() || score[l] > score[best])) best = l;
    if (best != lists.size() && hits[best] >= kMinStopwordHits &&
        hits[best] * kMinStopwordShareDivisor >= words)
        return std::string(lists[best].lang);
    if (counts.latin_non_ascii * kAsciiShareDivisor <= counts[USCRIPT_LATIN]) return "en";
    return "";
}

std::string guess(std::string_view text) {
    std::string_view sample = sample_of(text);
    ScriptCounts counts = count_scripts(sample);

    std::size_t han = counts[USCRIPT_HAN];
    std::size_t kana = counts[USCRIPT_HIRAGANA] + counts[USCRIPT_KATAKANA];
    std::size_t hangul = counts[USCRIPT_HANGUL];
    std::size_t cjk = (han + kana + hangul) * kCjkWeight;

    // The dominant script other than Han, kana and Hangul.
    std::size_t other = 0;
    UScriptCode other_script = USCRIPT_INVALID_CODE;
    for (std::size_t s = 0; s < counts.letters.size(); ++s) {
        poll_deadline();
        auto script = static_cast<UScriptCode>(s);
        if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
            script == USCRIPT_KATAKANA || script == USCRIPT_HANGUL)
            continue;
        if (counts.letters[s] > other) {
            other = counts.letters[s];
            other_script = script;
        }
    }

    if (cjk > 0 && cjk > other) {
        if (hangul > han + kana) return "ko";
        if (kana > 0 && kana * kKanaShareDivisor >= han + kana) return "ja";
        return "zh";
    }
    if (other == 0) return "";
    switch (other_script) {
        case USCRIPT_LATIN:
            return guess_latin(sample, counts);
        case USCRIPT_CYRILLIC:
            if (counts.ukrainian >= kMinCueLetters &&
                counts.ukrainian * kUkrainianShareDivisor >= other)
                return "uk";
            return "ru";
        case USCRIPT_ARABIC:
            if (counts.urdu >= kMinCueLetters && counts.urdu * kUrduShareDivisor >= other)
                return "ur";
            return counts.persian > counts.arabic ? "fa" : "ar";
        default:
            break;
    }
    for (const ScriptLanguage& entry : kScriptLanguages)
        if (entry.script == other_script) return std::string(entry.lang);
    return "";
}

}  // namespace

}  // namespace dconv::clean

namespace dconv {

// By script first (Han, kana, Hangul, Cyrillic, Arabic, Greek, ...), then, for Latin
// script, by stop words: see the constants above for every threshold.
std::string guess_language(std::string_view text) { return clean::guess(text); }

}  // namespace dconv
