// page_model_test: the compiled-in page model (formats/html/page_model.hpp) is the one
// tools/train/train_page_model.py wrote, and the C++ evaluation of its trees gives the
// scores xgboost gave the same pages (tests/data/page_model_cases.tsv, written with it).
#include "html/page_model.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "html/page_signals.hpp"

using namespace dconv::html;

namespace {

struct Case {
    std::vector<float> signals;
    float wide = 0, inclusive = 0;
    std::vector<float> margins;
};

std::vector<Case> read_cases() {
    std::ifstream in(std::string(DCONV_SOURCE_DIR) + "/tests/data/page_model_cases.tsv");
    std::vector<Case> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string signals, value;
        std::getline(fields, signals, '\t');
        Case c;
        std::istringstream numbers(signals);
        for (float x; numbers >> x;) c.signals.push_back(x);
        std::getline(fields, value, '\t');
        c.wide = std::stof(value);
        std::getline(fields, value, '\t');
        c.inclusive = std::stof(value);
        while (std::getline(fields, value, '\t')) c.margins.push_back(std::stof(value));
        cases.push_back(std::move(c));
    }
    return cases;
}

}  // namespace

TEST_CASE("the compiled-in model was trained on the signals the reader computes") {
    CHECK(page_model_version() >= 1);
    CHECK(page_model_matches_signals());
    CHECK(page_types().size() == 7);
}

TEST_CASE("the trees give the scores xgboost gave the same pages") {
    std::vector<Case> cases = read_cases();
    REQUIRE(cases.size() == 7);  // one page of each type
    std::vector<std::string_view> seen;
    for (const Case& c : cases) {
        REQUIRE(c.signals.size() == kPageSignalNames.size());
        CHECK(wide_gain(c.signals) == Approx(c.wide).margin(1e-4));
        CHECK(inclusive_gain(c.signals) == Approx(c.inclusive).margin(1e-4));
        std::vector<float> margins = page_type_margins(c.signals);
        REQUIRE(margins.size() == c.margins.size());
        // xgboost adds its base score (0.5) to every class's margin: the differences match
        for (std::size_t k = 1; k < margins.size(); ++k)
            CHECK(margins[k] - margins[0] == Approx(c.margins[k] - c.margins[0]).margin(1e-4));
        PageVerdict v = judge_page(c.signals);
        if (c.wide <= 0 && c.inclusive <= 0) CHECK(v.mode == PageMode::block);
        if (v.mode == PageMode::wide) CHECK(c.wide > 0);
        if (v.mode == PageMode::inclusive) CHECK(c.inclusive > c.wide);
        // the type is the class xgboost gave the highest margin
        std::size_t best = static_cast<std::size_t>(std::max_element(c.margins.begin(), c.margins.end()) - c.margins.begin());
        CHECK(v.type == page_types()[best]);
        CHECK(v.type_probability > 0.0f);
        CHECK(v.type_probability <= 1.0f);
        seen.push_back(v.type);
    }
    // the cases are one page of each type and the model tells most of them apart
    std::sort(seen.begin(), seen.end());
    CHECK(std::unique(seen.begin(), seen.end()) - seen.begin() >= 5);
}

TEST_CASE("a page without signals gets no verdict rather than a crash") {
    PageVerdict v = judge_page({});
    CHECK(v.type.empty());
    CHECK(v.mode == PageMode::block);
}

TEST_CASE("a forced type stands for the type model's verdict, and the mode follows it") {
    // DCONV_PAGE_TYPE's oracle (html_reader.cpp): the named type at probability 1
    for (const Case& c : read_cases()) {
        for (std::string_view type : page_types()) {
            PageVerdict v = judge_page(c.signals, type);
            CHECK(v.type == type);
            CHECK(v.type_probability == Approx(1.0f));
            REQUIRE(v.type_probabilities.size() == page_types().size());
            for (std::size_t k = 0; k < page_types().size(); ++k)
                CHECK(v.type_probabilities[k] == Approx(page_types()[k] == type ? 1.0f : 0.0f));
            // an article or a thread keeps the one content block; the gains are the model's
            if (type == "article" || type == "forum") CHECK(v.mode == PageMode::block);
            CHECK(v.wide_gain == Approx(c.wide).margin(1e-4));
            CHECK(v.inclusive_gain == Approx(c.inclusive).margin(1e-4));
        }
        // a name that is no type changes nothing
        PageVerdict plain = judge_page(c.signals), other = judge_page(c.signals, "recipe");
        CHECK(other.type == plain.type);
        CHECK(other.mode == plain.mode);
    }
    // some case's mode is wider once its type is a record's (else the test shows nothing)
    bool wider = false;
    for (const Case& c : read_cases())
        for (std::string_view type : {"product", "listing", "collection", "service"})
            wider = wider || judge_page(c.signals, type).mode != PageMode::block;
    CHECK(wider);
}
