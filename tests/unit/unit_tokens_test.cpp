// unit_tokens_test: the learned class and id words (formats/clean/unit_tokens.hpp): the
// words an attribute splits into, the hash Python and C++ share, the compiled-in table
// (tests/data/unit_token_cases.tsv, written with it by tools/train/train_unit_model.py),
// and the html_token_ features of a small page's units.
#include "clean/unit_tokens.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "clean/unit_features.hpp"
#include "html/html_tree.hpp"
#include "html/unit_selection.hpp"

using namespace dconv;
using namespace dconv::clean;

namespace {

std::vector<std::string> words_of(std::string_view value) {
    std::vector<std::string> out;
    for_each_class_token(value, [&](std::string_view w) { out.emplace_back(w); });
    return out;
}

struct Case {
    std::string word;
    std::uint64_t hash = 0;
    float own = 0, up = 0;
};

std::vector<Case> read_cases() {
    std::ifstream in(std::string(DCONV_SOURCE_DIR) + "/tests/data/unit_token_cases.tsv");
    std::vector<Case> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        Case c;
        std::string hash, own, up;
        std::getline(fields, c.word, '\t');
        std::getline(fields, hash, '\t');
        std::getline(fields, own, '\t');
        std::getline(fields, up, '\t');
        c.hash = std::stoull(hash);
        c.own = std::stof(own);
        c.up = std::stof(up);
        cases.push_back(c);
    }
    return cases;
}

std::size_t feature(std::string_view name) {
    for (std::size_t i = 0; i < kUnitFeatures; ++i)
        if (kUnitFeatureNames[i] == name) return i - kFirstHtmlFeature;
    FAIL("no feature " << name);
    return 0;
}

}  // namespace

TEST_CASE("class and id attributes split into lower-case words") {
    CHECK(words_of("comment-list_2 postBody") == std::vector<std::string>{"comment", "list", "post", "body"});
    CHECK(words_of("HTMLParser x navBar3Item") == std::vector<std::string>{"html", "parser", "nav", "bar", "item"});
    CHECK(words_of("  widget--Related  ") == std::vector<std::string>{"widget", "related"});
    // words of one letter are skipped, and bytes outside ASCII split words
    CHECK(words_of("a1 b2 ÜberBox") == std::vector<std::string>{"ber", "box"});
}

TEST_CASE("the word hash is 64-bit FNV-1a, as the training script computes it") {
    CHECK(token_hash("") == 14695981039346656037ull);
    CHECK(token_hash("a") == 0xaf63dc4c8601ec8cull);  // FNV's published test vector
    const std::vector<Case> cases = read_cases();
    REQUIRE(cases.size() >= 10);
    for (const Case& c : cases) CHECK(token_hash(c.word) == c.hash);
}

TEST_CASE("the compiled-in table gives the weights the training script learned") {
    const std::vector<Case> cases = read_cases();
    REQUIRE(!cases.empty());
    int learned = 0;
    for (const Case& c : cases) {
        INFO(c.word);
        bool known = false;
        CHECK(class_token_weight(c.hash, true, known) == c.own);
        CHECK(known == (c.own != 0));
        CHECK(class_token_weight(c.hash, false, known) == c.up);
        learned += c.own != 0 || c.up != 0;
    }
    CHECK(learned >= 5);  // common words such as "comment" and "footer" are in the table
}

TEST_CASE("a unit's html_token_ features are its element's and its ancestors' learned words") {
    // two words of the table with an own weight and an up weight (the cases file's)
    const std::vector<Case> cases = read_cases();
    const Case* own = nullptr;
    const Case* up = nullptr;
    for (const Case& c : cases) {
        if (!own && c.own != 0) own = &c;
        else if (!up && c.up != 0 && (!own || c.word != own->word)) up = &c;
    }
    REQUIRE(own);
    REQUIRE(up);
    const std::string markup = "<html><body><div class=\"" + up->word + " zzqxv-9\"><p id=\"" + own->word +
                               "\" class=\"" + own->word + " zzqxv\">Harbour news</p></div></body></html>";
    html::Page page(markup);
    std::uint32_t p = html::kNoElement;
    for (std::uint32_t e = 0; e < page.size(); ++e)
        if (page[e].tag == GUMBO_TAG_P) p = e;
    REQUIRE(p != html::kNoElement);
    const html::BlockFeatures f = html::block_features(page, {p});
    REQUIRE(f.size() == 1);
    const std::vector<float>& x = f[0];
    CHECK(x[feature("html_token_own_sum")] == Approx(own->own));  // once, though in the id and the class
    CHECK(x[feature("html_token_own_min")] == Approx(own->own));
    CHECK(x[feature("html_token_own_max")] == Approx(own->own));
    CHECK(x[feature("html_token_own_known_log")] == Approx(std::log1p(1.0f)));
    CHECK(x[feature("html_token_up_sum")] == Approx(up->up));
    CHECK(x[feature("html_token_up_known_log")] == Approx(std::log1p(1.0f)));
}
