// hyphenate.cpp: libhyphen dictionaries, found by language and shared by all threads.
#include "pdf/hyphenate.hpp"

#include <hyphen.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "core/text.hpp"
#include "pdf/huge_page.hpp"

namespace dconv::pdf {

namespace {

// Where Debian's hyphen-* packages install their dictionaries.
constexpr const char* system_dictionary_dir = "/usr/share/hyphen";

// The region a bare language tag gets where dictionaries exist for several (en_US and
// en_GB, de_DE and de_CH, pt_PT and pt_BR): the usual one, not whichever sorts first.
constexpr std::pair<std::string_view, std::string_view> usual_regions[] = {
    {"en", "US"}, {"de", "DE"}, {"fr", "FR"}, {"es", "ES"}, {"pt", "PT"},
    {"it", "IT"}, {"nl", "NL"}, {"sv", "SE"}, {"da", "DK"}, {"ru", "RU"},
};

struct Tag {
    std::string language;  // "en"
    std::string region;    // "GB", or empty
};

// The language and region of a BCP 47 tag (or a POSIX locale name such as en_GB.UTF-8);
// an empty language when the tag has none.
Tag parse_tag(std::string_view bcp47) {
    Tag tag;
    std::string normal(bcp47.substr(0, bcp47.find_first_of(".@")));
    std::replace(normal.begin(), normal.end(), '_', '-');
    std::size_t start = 0;
    for (int index = 0; start <= normal.size(); ++index) {
        std::size_t end = std::min(normal.find('-', start), normal.size());
        std::string subtag = normal.substr(start, end - start);
        start = end + 1;
        bool letters = !subtag.empty() &&
                       std::all_of(subtag.begin(), subtag.end(),
                                   [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
        if (index == 0) {
            if (!letters || subtag.size() < 2 || subtag.size() > 3) return {};
            tag.language = text::lower_ascii(subtag);
        } else if (letters && subtag.size() == 2) {  // a region (a script has 4 letters)
            for (char& c : subtag) c = char(std::toupper(static_cast<unsigned char>(c)));
            tag.region = subtag;
            break;
        }
    }
    return tag;
}

std::vector<std::filesystem::path> dictionary_dirs() {
    std::vector<std::filesystem::path> dirs;
    if (const char* custom = std::getenv("DCONV_HYPHEN_DIR"); custom && *custom) dirs.emplace_back(custom);
    dirs.emplace_back(system_dictionary_dir);
    return dirs;
}

// The dictionary file for `tag`, or an empty path.
std::filesystem::path find_dictionary(const Tag& tag) {
    std::vector<std::string> names;
    if (!tag.region.empty()) names.push_back("hyph_" + tag.language + "_" + tag.region + ".dic");
    for (auto [language, region] : usual_regions)
        if (language == tag.language) names.push_back("hyph_" + tag.language + "_" + std::string(region) + ".dic");
    names.push_back("hyph_" + tag.language + ".dic");

    std::error_code error;
    for (const auto& dir : dictionary_dirs()) {
        for (const auto& name : names)
            if (std::filesystem::is_regular_file(dir / name, error)) return dir / name;
        // Any regional variant, in name order so that the choice does not depend on the
        // file system.
        std::vector<std::filesystem::path> variants;
        std::filesystem::directory_iterator entry(dir, error), end;
        for (; !error && entry != end; entry.increment(error)) {  // (no exceptions)
            std::string name = entry->path().filename().string();
            if ((name.starts_with("hyph_" + tag.language + "_") ||
                 name.starts_with("hyph_" + tag.language + "-")) &&
                name.ends_with(".dic"))
                variants.push_back(entry->path());
        }
        if (!variants.empty()) return *std::min_element(variants.begin(), variants.end());
    }
    return {};
}

// Words already hyphenated, kept per thread (no lock on the way) and per dictionary (a
// batch goes back and forth between languages): text repeats its words, and libhyphen
// takes a microsecond a word. The memo is emptied when it reaches this many words in
// all, which bounds a thread's memory.
constexpr std::size_t memo_capacity = 1 << 15;

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

using Points = std::unordered_map<std::string, std::vector<std::size_t>, StringHash, std::equal_to<>>;

struct Memo {
    std::unordered_map<std::uint64_t, Points> by_dictionary;  // by the Hyphenator's serial number
    std::size_t words = 0;
};

thread_local Memo memo;

// Serial numbers, not addresses, name dictionaries in the memo: a freed Hyphenator's
// address may be reused by another.
std::atomic<std::uint64_t> next_serial{1};

bool apostrophe(char32_t c) { return c == '\'' || c == 0x2019; }
bool word_hyphen(char32_t c) { return c == '-' || c == 0x2010; }

bool mark(char32_t c) { return (U_GET_GC_MASK(UChar32(c)) & U_GC_M_MASK) != 0; }

}  // namespace

namespace {

// libhyphen's line buffer (hyphen.c reads lines with fgets into char[MAX_CHARS]) and the
// first line's, the code page name (char[MAX_NAME]): a longer line is read differently
// by it, so such a file is left to it.
constexpr std::size_t libhyphen_line = MAX_CHARS;
constexpr std::size_t libhyphen_name = MAX_NAME;

// The patterns of a dictionary file as an automaton in libhyphen's layout, built
// directly. libhyphen's states are the prefixes of the patterns' words, with a
// transition per next byte; a state's fallback is its longest proper suffix that is a
// state (Aho-Corasick's failure link), and a state that is a pattern's word has that
// pattern's digits, less leading zeros, as its match.
struct DirectAutomaton {
    explicit DirectAutomaton(std::pmr::memory_resource* resource)
        : states(resource), transitions(resource), matches(resource), memory(resource) {}
    HyphenDict dict{};
    std::pmr::vector<HyphenState> states;
    std::pmr::vector<HyphenTrans> transitions;
    std::pmr::vector<char> matches;  // the matches, each ended by a NUL
    std::string no_hyphen;           // the default level's NOHYPHEN list
    std::pmr::memory_resource* memory;  // also for the trie while it is built

    // Reads `text`, a whole dictionary file after its first line; false when it has
    // something only libhyphen reads (the caller then asks libhyphen).
    bool read(std::string_view text);
};

bool DirectAutomaton::read(std::string_view text) {
    // The trie while it is built: each state's children in a list (a state has a few;
    // the start state's, the alphabet, also by byte).
    std::pmr::vector<int> first_child(1, -1, memory), next_sibling(1, -1, memory);
    std::pmr::vector<char> byte(1, 0, memory);
    std::pmr::vector<std::pair<int, std::uint32_t>> found(memory);  // (state, offset of its match)
    matches.reserve(text.size());
    // (the start state's children, every letter, by byte)
    std::array<int, 256> from_start;
    from_start.fill(-1);
    auto step = [&](int state, char c) {
        if (state == 0) return from_start[static_cast<unsigned char>(c)];
        for (int k = first_child[std::size_t(state)]; k >= 0; k = next_sibling[std::size_t(k)])
            if (byte[std::size_t(k)] == c) return k;
        return -1;
    };

    while (!text.empty()) {
        std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        bool last = newline == std::string_view::npos;
        text.remove_prefix(last ? text.size() : newline + 1);
        // fgets keeps the newline: a line and it must fit the buffer and its NUL.
        if (line.size() + (last ? 1 : 2) > libhyphen_line) return false;
        if (line.starts_with("NEXTLEVEL") || line.starts_with("NOHYPHEN")) return false;
        if (line.starts_with('%')) continue;
        auto number = [&](std::size_t skip) { return char(std::atoi(std::string(line.substr(skip)).c_str())); };
        if (line.starts_with("LEFTHYPHENMIN")) { dict.lhmin = number(13); continue; }
        if (line.starts_with("RIGHTHYPHENMIN")) { dict.rhmin = number(14); continue; }
        if (line.starts_with("COMPOUNDLEFTHYPHENMIN")) { dict.clhmin = number(21); continue; }
        if (line.starts_with("COMPOUNDRIGHTHYPHENMIN")) { dict.crhmin = number(22); continue; }
        if (line.find('/') != std::string_view::npos) return false;  // a replacement
        // "a1b2c": the word "abc", the digits "0120" (one before each byte and after
        // the last), up to the first space or control character; kept without their
        // leading zeros.
        std::size_t start = matches.size();
        matches.push_back('0');
        int state = 0;
        for (char c : line) {
            if (static_cast<unsigned char>(c) <= ' ') break;
            if (c >= '0' && c <= '9') {
                matches.back() = c;
                continue;
            }
            int next = step(state, c);
            if (next < 0) {
                next = int(byte.size());
                byte.push_back(c);
                first_child.push_back(-1);
                next_sibling.push_back(first_child[std::size_t(state)]);
                first_child[std::size_t(state)] = next;
                if (state == 0) from_start[static_cast<unsigned char>(c)] = next;
            }
            state = next;
            matches.push_back('0');
        }
        std::size_t first_digit = start;
        while (first_digit < matches.size() && matches[first_digit] == '0') ++first_digit;
        matches.erase(matches.begin() + std::ptrdiff_t(start), matches.begin() + std::ptrdiff_t(first_digit));
        matches.push_back('\0');
        found.emplace_back(state, std::uint32_t(start));
    }

    // A word listed twice has its last pattern, as in libhyphen.
    states.resize(byte.size());
    for (auto [state, offset] : found) states[std::size_t(state)].match = matches.data() + offset;

    // The states breadth first, so that a state's fallback (shallower) is known before
    // its children's; each state's transitions together, in byte order. The transitions
    // list the states in the order they are visited: the start state, then the target
    // of each transition in turn.
    transitions.reserve(byte.size() - 1);  // (one into each state but the start)
    states[0].fallback_state = -1;
    for (std::size_t i = 0; i < states.size(); ++i) {
        auto state = i == 0 ? std::size_t{0} : std::size_t(transitions[i - 1].new_state);
        HyphenState& s = states[state];
        s.repl = nullptr;  // (replindex and replcut are read only with a replacement)
        s.replindex = 0;
        s.replcut = 0;
        std::size_t begin = transitions.size();
        for (int k = first_child[state]; k >= 0; k = next_sibling[std::size_t(k)])
            transitions.push_back({byte[std::size_t(k)], k});
        std::sort(transitions.begin() + std::ptrdiff_t(begin), transitions.end(),
                  [](const HyphenTrans& a, const HyphenTrans& b) {
                      return static_cast<unsigned char>(a.ch) < static_cast<unsigned char>(b.ch);
                  });
        s.num_trans = int(transitions.size() - begin);
        s.trans = s.num_trans ? transitions.data() + begin : nullptr;
        for (std::size_t t = begin; t < transitions.size(); ++t) {
            const HyphenTrans& edge = transitions[t];
            // The longest suffix state of this one that goes on by the byte.
            int fallback = 0;
            for (int f = state == 0 ? -1 : s.fallback_state; f >= 0; f = states[std::size_t(f)].fallback_state)
                if (int next = step(f, edge.ch); next >= 0) {
                    fallback = next;
                    break;
                }
            states[std::size_t(edge.new_state)].fallback_state = fallback;
        }
    }
    dict.num_states = int(states.size());
    dict.states = states.data();
    dict.nextlevel = nullptr;
    return true;
}

// Reads a whole file; false when it cannot.
bool read_file(const std::string& path, std::pmr::string& out) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) return false;
    char buffer[1 << 16];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) out.append(buffer, n);
    bool ok = !std::ferror(file);
    std::fclose(file);
    return ok;
}

// Memory for a directly read dictionary (its file, the trie, the automaton: about
// 1.4 MB for English) in one huge page where the system gives one (pdf/huge_page.hpp):
// touched 4 KB at a time it costs some 250 page faults. Past 2 MB, ordinary heap memory.
class DictionaryMemory {
public:
    DictionaryMemory() : region_(map_huge_page()) {
        if (region_) resource_.emplace(region_, huge_page_bytes, std::pmr::new_delete_resource());
        else resource_.emplace(std::pmr::new_delete_resource());
    }
    ~DictionaryMemory() {
        resource_.reset();
        if (region_) munmap(region_, huge_page_bytes);
    }
    DictionaryMemory(const DictionaryMemory&) = delete;
    DictionaryMemory& operator=(const DictionaryMemory&) = delete;

    std::pmr::memory_resource* resource() { return &*resource_; }

private:
    void* region_ = nullptr;
    std::optional<std::pmr::monotonic_buffer_resource> resource_;
};

}  // namespace

struct Hyphenator::Dictionary {
    // libhyphen's dictionary: its first level, hyphens and apostrophes, whose next level
    // has the file's patterns.
    HyphenDict* dict = nullptr;
    // Read directly: the two levels (dict is the first's), freed here, not by libhyphen.
    std::unique_ptr<DictionaryMemory> memory;  // (declared first: destroyed last)
    std::unique_ptr<DirectAutomaton> defaults, patterns;
    // An 8-bit dictionary (hyph_de_DE.dic is ISO8859-1, hyph_ru_RU.dic KOI8-R): the byte
    // of each character above ASCII its code page has. Empty for UTF-8 dictionaries.
    std::unordered_map<char32_t, char> code_page;
    ~Dictionary() {
        if (dict && !defaults) hnj_hyphen_free(dict);
    }

    // Reads `path` directly; false when it cannot, or should be left to libhyphen.
    bool read_direct(const std::string& path) {
        auto arena = std::make_unique<DictionaryMemory>();
        std::pmr::string text(arena->resource());
        if (!read_file(path, text)) return false;
        // The code page, on the first line.
        std::size_t newline = text.find('\n');
        if (newline == std::string::npos || newline + 1 >= libhyphen_name) return false;
        std::string_view cset = std::string_view(text).substr(0, newline);
        if (!cset.empty() && cset.back() == '\r') cset.remove_suffix(1);
        auto file = std::make_unique<DirectAutomaton>(arena->resource());
        if (!file->read(std::string_view(text).substr(newline + 1))) return false;
        // The first level libhyphen gives a file without NEXTLEVEL (hyphen.c,
        // hnj_hyphen_load_file): no hyphen next to a hyphen or an apostrophe (and, in
        // UTF-8, an en dash or a right single quote), the file's minimums.
        auto first = std::make_unique<DirectAutomaton>(std::pmr::new_delete_resource());
        bool utf8 = cset == "UTF-8";
        if (!first->read(utf8 ? "1-1\n1'1\n1\xe2\x80\x93" "1\n1\xe2\x80\x99" "1\n" : "1-1\n1'1\n")) return false;
        // NOHYPHEN's list, its commas made NULs, their count (one less than the items).
        first->no_hyphen = utf8 ? std::string("'\0\xe2\x80\x93\0\xe2\x80\x99\0-\0", 13) : std::string("'\0-\0", 4);
        first->dict.nohyphen = first->no_hyphen.data();
        first->dict.nohyphenl = utf8 ? 3 : 1;
        for (DirectAutomaton* level : {file.get(), first.get()}) {
            std::memcpy(level->dict.cset, cset.data(), cset.size());
            level->dict.utf8 = utf8;
        }
        const HyphenDict& own = file->dict;
        first->dict.lhmin = own.lhmin;
        first->dict.rhmin = own.rhmin;
        first->dict.clhmin = own.clhmin ? own.clhmin : (own.lhmin ? own.lhmin : 3);
        first->dict.crhmin = own.crhmin ? own.crhmin : (own.rhmin ? own.rhmin : 3);
        first->dict.nextlevel = &file->dict;
        dict = &first->dict;
        memory = std::move(arena);
        defaults = std::move(first);
        patterns = std::move(file);
        return true;
    }

    // Reads the code page named on the dictionary's first line, byte by byte; false when
    // ICU does not know it or it is not one byte a character.
    bool load_code_page() {
        UErrorCode status = U_ZERO_ERROR;
        UConverter* converter = ucnv_open(dict->cset, &status);
        if (U_FAILURE(status) || !converter) return false;
        bool single_byte = ucnv_getMaxCharSize(converter) == 1;
        for (int b = 0x80; single_byte && b <= 0xFF; ++b) {
            char byte = static_cast<char>(b);
            UChar unit[4];
            status = U_ZERO_ERROR;
            int32_t n = ucnv_toUChars(converter, unit, 4, &byte, 1, &status);
            if (U_SUCCESS(status) && n == 1 && unit[0] != 0xFFFD && unit[0] >= 0x80)
                code_page.emplace(char32_t(unit[0]), byte);
        }
        ucnv_close(converter);
        return single_byte && !code_page.empty();
    }
};

Hyphenator::Hyphenator(std::unique_ptr<Dictionary> dictionary)
    : dictionary_(std::move(dictionary)), serial_(next_serial++) {
    left_min_ = std::max(2, int(dictionary_->dict->lhmin));
    right_min_ = std::max(3, int(dictionary_->dict->rhmin));
}

Hyphenator::~Hyphenator() = default;

Hyphenator::Reader Hyphenator::reader() const {
    return dictionary_->defaults ? Reader::direct : Reader::libhyphen;
}

std::unique_ptr<Hyphenator> Hyphenator::load(const std::string& path, Reader reader) {
    auto dictionary = std::make_unique<Dictionary>();
    if (reader != Reader::direct || !dictionary->read_direct(path))
        dictionary->dict = hnj_hyphen_load(path.c_str());
    if (!dictionary->dict) return nullptr;
    // Several of Debian's hyphen-* dictionaries are in an 8-bit code page (German,
    // Dutch, Swedish: ISO8859-1; Polish ISO8859-2; Russian KOI8-R): words go to them in it.
    if (!dictionary->dict->utf8 && !dictionary->load_code_page()) return nullptr;
    return std::unique_ptr<Hyphenator>(new Hyphenator(std::move(dictionary)));
}

const Hyphenator* Hyphenator::for_language(std::string_view bcp47) {
    static std::mutex mutex;
    // Dictionaries by file (en and en-US share one), answers by tag (misses included, so
    // a language without a dictionary does not search the disk again). Kept for the
    // process's life and deliberately never destroyed: freeing libhyphen's tables at
    // exit (a malloc'd block per pattern, 4.7 million instructions for English) is work
    // for nothing. They stay reachable from these statics, so LeakSanitizer does not
    // count them as leaks.
    static auto& by_file = *new std::map<std::string, std::unique_ptr<Hyphenator>, std::less<>>;
    static auto& by_tag = *new std::map<std::string, const Hyphenator*, std::less<>>;

    std::lock_guard lock(mutex);
    if (auto known = by_tag.find(bcp47); known != by_tag.end()) return known->second;
    const Hyphenator* found = nullptr;
    if (Tag tag = parse_tag(bcp47); !tag.language.empty()) {
        if (auto path = find_dictionary(tag); !path.empty()) {
            auto& loaded = by_file[path.string()];
            if (!loaded) loaded = load(path.string());
            found = loaded.get();
        }
    }
    by_tag.emplace(std::string(bcp47), found);
    return found;
}

std::vector<std::size_t> Hyphenator::points(std::string_view word) const {
    std::vector<std::size_t> out;
    points(word, out);
    return out;
}

void Hyphenator::points(std::string_view word, std::vector<std::size_t>& out) const {
    Points* points = &memo.by_dictionary[serial_];
    if (auto known = points->find(word); known != points->end()) {
        out = known->second;
        return;
    }
    compute_points(word, out);
    if (memo.words >= memo_capacity) {
        memo.by_dictionary.clear();
        memo.words = 0;
        points = &memo.by_dictionary[serial_];
    }
    points->emplace(word, out);
    ++memo.words;
}

void Hyphenator::compute_points(std::string_view word, std::vector<std::size_t>& out) const {
    out.clear();
    std::u32string characters;
    std::vector<std::size_t> offsets;  // byte offset of each character, then the end
    characters.reserve(word.size());
    offsets.reserve(word.size() + 1);
    UScriptCode word_script = USCRIPT_COMMON;
    for (std::size_t i = 0; i < word.size();) {
        offsets.push_back(i);
        char32_t c = text::next(word, i);
        characters.push_back(c);
        if (characters.size() > max_word_length) return;
        if (apostrophe(c) || word_hyphen(c) || mark(c)) continue;
        if (!text::is_letter(c)) return;  // digits, symbols, punctuation: not a word
        if (c < 0x80) {
            if (word_script == USCRIPT_COMMON) word_script = USCRIPT_LATIN;
            if (word_script != USCRIPT_LATIN) return;
            continue;
        }
        UErrorCode status = U_ZERO_ERROR;
        UScriptCode script = uscript_getScript(UChar32(c), &status);
        if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) continue;
        if (word_script == USCRIPT_COMMON) word_script = script;
        if (script != word_script) return;  // mixed scripts: a name, a code, a spoof
    }
    offsets.push_back(word.size());

    std::u32string_view all(characters);
    std::size_t part_begin = 0;
    for (std::size_t k = 0; k <= all.size(); ++k) {
        if (k == all.size() || word_hyphen(all[k])) {
            hyphenate_part(all.substr(part_begin, k - part_begin), part_begin, offsets, out);
            part_begin = k + 1;
        }
    }
}

// Hyphenates characters [part_begin, part_begin + part.size()) of a word whose character
// offsets are `offsets`, appending the byte offsets of its points to `out`.
void Hyphenator::hyphenate_part(std::u32string_view part, std::size_t part_begin,
                                const std::vector<std::size_t>& offsets,
                                std::vector<std::size_t>& out) const {
    std::size_t count = part.size();
    if (count < std::size_t(left_min_ + right_min_)) return;
    // libhyphen's patterns are lower case, with ASCII apostrophes.
    std::string lower;
    lower.reserve(count * 2);
    const auto& code_page = dictionary_->code_page;
    for (char32_t c : part) {
        char32_t l = apostrophe(c) ? U'\'' : char32_t(u_tolower(UChar32(c)));
        if (code_page.empty() || l < 0x80) {
            text::append(lower, l);
            continue;
        }
        auto byte = code_page.find(l);
        if (byte == code_page.end()) return;  // a letter the dictionary's code page lacks
        lower += byte->second;
    }

    // libhyphen wants room for the word, its two boundary dots and a terminator.
    std::vector<char> hyphens(lower.size() + 5, '0');
    char** replacements = nullptr;
    int* positions = nullptr;
    int* cuts = nullptr;
    hnj_hyphen_hyphenate2(dictionary_->dict, lower.c_str(), int(lower.size()), hyphens.data(), nullptr,
                          &replacements, &positions, &cuts);
    // The answer is per character (a UTF-8 dictionary's, and an 8-bit one's, whose
    // characters are bytes): hyphens[k] odd is a point after
    // character k. Non-standard points ("Schiff-fahrt" from "Schiffahrt") change the
    // letters around the hyphen, which a line of glyphs cannot do: they are skipped.
    for (std::size_t k = std::size_t(left_min_) - 1; k + right_min_ < count; ++k) {
        if ((hyphens[k] & 1) && !(replacements && replacements[k]))
            out.push_back(offsets[part_begin + k + 1]);
    }
    if (replacements) {
        for (std::size_t k = 0; k < lower.size(); ++k) std::free(replacements[k]);
        std::free(replacements);
    }
    std::free(positions);
    std::free(cuts);
}

}  // namespace dconv::pdf
