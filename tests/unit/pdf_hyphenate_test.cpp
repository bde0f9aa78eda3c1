#include <catch2/catch.hpp>
#include <unicode/unistr.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pdf/hyphenate.hpp"

using namespace dconv::pdf;

namespace {

using Points = std::vector<std::size_t>;

// The word with '-' at each point, to make failures readable.
std::string marked(std::string_view word, const Points& points) {
    std::string out;
    std::size_t last = 0;
    for (std::size_t point : points) {
        out.append(word.substr(last, point - last));
        out += '-';
        last = point;
    }
    out.append(word.substr(last));
    return out;
}

const Hyphenator& english() {
    const Hyphenator* hyphenator = Hyphenator::for_language("en");
    if (!hyphenator) FAIL("hyph_en_US.dic is missing: apt-get install hyphen-en-us");
    return *hyphenator;
}

}  // namespace

TEST_CASE("English words are hyphenated where the US patterns allow") {
    const Hyphenator& en = english();
    CHECK(en.points("hyphenation") == Points{2, 6});  // hy-phen-ation
    CHECK(marked("typesetting", en.points("typesetting")) == "type-set-ting");
    CHECK(marked("internationalization", en.points("internationalization")) ==
          "in-ter-na-tion-al-iza-tion");
    CHECK(marked("paragraph", en.points("paragraph")) == "para-graph");
}

TEST_CASE("8-bit dictionaries get words in their own code page (Dutch, Swedish, Polish, Russian)") {
    // hyph_nl_NL.dic and hyph_sv_SE.dic are ISO8859-1, hyph_pl_PL.dic ISO8859-2 and
    // hyph_ru_RU.dic KOI8-R (Debian's hyphen-* packages, installed by tools/setup.sh);
    // their words with letters beyond ASCII are given in it, and the points come back
    // in the UTF-8 word's bytes.
    struct Example {
        const char* language;
        const char* word;
        const char* hyphenated;
    };
    const Example examples[] = {
        {"nl", "financiële", "fi-nan-ci-ële"},
        {"sv", "översättningen", "över-sätt-ningen"},
        {"pl", "przedsiębiorstwo", "przed-się-bior-stwo"},
        {"ru", "программирование", "программи-ро-ва-ние"},
    };
    for (const Example& e : examples) {
        INFO(e.language);
        const Hyphenator* h = Hyphenator::for_language(e.language);
        REQUIRE(h != nullptr);
        CHECK(marked(e.word, h->points(e.word)) == e.hyphenated);
    }
    const Hyphenator* ru = Hyphenator::for_language("ru");
    CHECK(ru->points("Ωμέγαλος").empty());  // a letter KOI8-R has not: not hyphenated
}

TEST_CASE("hyphenation keeps two letters before a hyphen and three after it") {
    const Hyphenator& en = english();
    CHECK(en.left_min() >= 2);
    CHECK(en.right_min() >= 3);
    CHECK(en.points("table") == Points{2});  // ta-ble: two before, three after
    CHECK(en.points("the").empty());
    CHECK(en.points("word").empty());
    CHECK(en.points("").empty());
    for (std::string word : {"hyphenation", "supercalifragilisticexpialidocious", "unbelievable"}) {
        for (std::size_t point : en.points(word)) {
            CHECK(point >= 2);
            CHECK(word.size() - point >= 3);
        }
    }
}

TEST_CASE("hyphenation looks words up in lower case and answers in the word's own bytes") {
    const Hyphenator& en = english();
    CHECK(en.points("Hyphenation") == Points{2, 6});
    CHECK(en.points("HYPHENATION") == Points{2, 6});
    // "déter-miné": é is two bytes, so the point is at byte 6, after five characters
    CHECK(en.points("déterminé") == Points{6});
    // the apostrophe of the possessive is part of the word
    CHECK(marked("paragraph’s", en.points("paragraph’s")) == "para-graph’s");
}

TEST_CASE("words with digits, symbols or mixed scripts are not hyphenated") {
    const Hyphenator& en = english();
    CHECK(en.points("hyphenation2").empty());
    CHECK(en.points("hyphen_ation").empty());
    CHECK(en.points("hyphenаtion").empty());  // a Cyrillic а inside
    CHECK(en.points(std::string(100, 'a')).empty());  // longer than max_word_length
}

TEST_CASE("a word with hyphens is hyphenated part by part, not at its own hyphens") {
    const Hyphenator& en = english();
    std::string word = "typesetting-hyphenation";
    CHECK(marked(word, en.points(word)) == "type-set-ting-hy-phen-ation");
    CHECK(en.points("well-known").empty());  // parts too short
}

TEST_CASE("dictionaries are found by language tag and shared") {
    const Hyphenator* en = Hyphenator::for_language("en");
    REQUIRE(en != nullptr);
    CHECK(Hyphenator::for_language("en-US") == en);
    CHECK(Hyphenator::for_language("en_US.UTF-8") == en);
    CHECK(Hyphenator::for_language("EN-us") == en);
    CHECK(Hyphenator::for_language("en-GB") != nullptr);  // no British file: the US one
    CHECK(Hyphenator::for_language("xx") == nullptr);
    CHECK(Hyphenator::for_language("") == nullptr);
    CHECK(Hyphenator::for_language("1234") == nullptr);
}

TEST_CASE("DCONV_HYPHEN_DIR is searched before the system dictionaries") {
    auto dir = std::filesystem::temp_directory_path() / "dconv_hyphen_test";
    std::filesystem::create_directories(dir);
    {
        // One pattern: a break between "b" and "c" of any word.
        std::ofstream dic(dir / "hyph_zz_ZZ.dic");
        dic << "UTF-8\nLEFTHYPHENMIN 2\nRIGHTHYPHENMIN 3\nb1c\n";
    }
    ::setenv("DCONV_HYPHEN_DIR", dir.c_str(), 1);
    const Hyphenator* zz = Hyphenator::for_language("zz");
    ::unsetenv("DCONV_HYPHEN_DIR");
    REQUIRE(zz != nullptr);
    CHECK(zz->points("aabccc") == Points{3});
    CHECK(zz->points("bcccc").empty());  // one letter before: below LEFTHYPHENMIN
    CHECK(Hyphenator::for_language("zz") == zz);  // remembered
    std::filesystem::remove_all(dir);
}

TEST_CASE("a dictionary file that does not exist loads as nothing") {
    CHECK(Hyphenator::load("/nonexistent/hyph_xx.dic") == nullptr);
}

TEST_CASE("one dictionary serves many threads") {
    const Hyphenator& en = english();
    std::vector<std::string> words = {"hyphenation", "typesetting", "internationalization", "paragraph"};
    std::vector<Points> expected;
    for (const auto& word : words) expected.push_back(en.points(word));
    std::vector<int> failures(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 2000; ++round) {
                const Hyphenator* same = Hyphenator::for_language("en");
                std::size_t w = std::size_t(round + t) % words.size();
                if (same != &en || same->points(words[w]) != expected[w]) ++failures[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failures == std::vector<int>(4, 0));
}

namespace {

// The words of a dictionary's patterns ("1ba" → "ba"), in UTF-8, each alone and joined
// to the next (so that matching runs through the automaton's fallbacks): every state is
// visited.
std::vector<std::string> pattern_words(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::string cset, line;
    std::getline(file, cset);
    if (!cset.empty() && cset.back() == '\r') cset.pop_back();
    std::vector<std::string> words;
    while (std::getline(file, line)) {
        if (line.empty() || line[0] == '%' || std::isupper(static_cast<unsigned char>(line[0]))) continue;
        std::string word;
        for (char c : line) {
            if (static_cast<unsigned char>(c) <= ' ') break;
            if ((c < '0' || c > '9') && c != '.') word += c;
        }
        if (word.empty()) continue;
        std::string utf8;
        icu::UnicodeString(word.data(), int32_t(word.size()), cset.c_str()).toUTF8String(utf8);
        words.push_back(utf8);
    }
    std::size_t single = words.size();
    for (std::size_t i = 0; i + 1 < single; ++i) words.push_back(words[i] + words[i + 1]);
    return words;
}

}  // namespace

TEST_CASE("the direct reader gives the points libhyphen's own reader gives, for every installed dictionary") {
    std::set<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/share/hyphen"))
        if (entry.path().extension() == ".dic") files.insert(std::filesystem::canonical(entry.path()));
    REQUIRE(files.size() >= 1);
    int read_directly = 0;
    for (const auto& path : files) {
        INFO(path.string());
        auto direct = Hyphenator::load(path.string());
        auto reference = Hyphenator::load(path.string(), Hyphenator::Reader::libhyphen);
        REQUIRE(direct != nullptr);
        REQUIRE(reference != nullptr);
        CHECK(reference->reader() == Hyphenator::Reader::libhyphen);
        if (direct->reader() == Hyphenator::Reader::direct) ++read_directly;
        CHECK(direct->left_min() == reference->left_min());
        CHECK(direct->right_min() == reference->right_min());
        std::vector<std::string> words = pattern_words(path.string());
        CHECK(words.size() > 100);
        int differing = 0;
        for (const std::string& word : words)
            if (direct->points(word) != reference->points(word)) {
                if (++differing <= 3) UNSCOPED_INFO("differs: " << word);
            }
        CHECK(differing == 0);
    }
    CHECK(read_directly >= 1);
}

TEST_CASE("English is read directly and French (NEXTLEVEL) by libhyphen") {
    REQUIRE(english().reader() == Hyphenator::Reader::direct);
    if (std::filesystem::exists("/usr/share/hyphen/hyph_fr.dic")) {
        auto french = Hyphenator::load("/usr/share/hyphen/hyph_fr.dic");
        REQUIRE(french != nullptr);
        CHECK(french->reader() == Hyphenator::Reader::libhyphen);
        CHECK(!french->points("anticonstitutionnellement").empty());
    }
}
