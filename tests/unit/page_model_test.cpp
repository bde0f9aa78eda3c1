// page_model_test: the compiled-in page model (formats/html/page_model.hpp) is the one
// tools/train/train_page_model.py wrote, and the C++ evaluation of its trees gives the
// scores xgboost gave the same pages (tests/data/page_model_cases.tsv, written with it).
#include "html/page_model.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "html/content_selection.hpp"
#include "html/html_tree.hpp"
#include "html/page_metadata.hpp"
#include "html/page_signals.hpp"

using namespace dconv::html;

namespace {

struct Case {
    std::vector<float> signals;
    float wide = 0, inclusive = 0;
    std::vector<float> margins;
};

// The page signals of `markup`, by name.
float signal_of(std::string_view markup, std::string_view name) {
    Page page(markup);
    PageMetadata meta = read_page_metadata(page);
    dconv::Diagnostics quiet(false);
    Selection selection = select_content(page, "en", meta.authors, quiet);
    std::vector<float> signals = page_signals(page, meta, selection, markup);
    for (std::size_t i = 0; i < kPageSignalNames.size(); ++i)
        if (kPageSignalNames[i] == name) return signals.at(i);
    FAIL("no signal " << name);
    return -1;
}

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

TEST_CASE("the record signals count prices, buy boxes, ratings, pagers, cards and schema.org types") {
    // a product in a box with its price and an add button, a rating, a pager, three cards
    const std::string_view page = R"(<html><head><link rel="next" href="/p/2"></head><body>
<nav aria-label="Breadcrumb"><a href="/">Home</a></nav>
<div itemscope itemtype="https://schema.org/Product"><h1>Thing</h1>
<div><span>EUR 12,00</span><input type="number" name="n"><button>Add</button></div>
<div class="star-rating">4.5</div></div>
<ul><li class="c"><a href="/a"><img src="a.jpg"><h3>Card one title</h3></a><p>$5 short text here</p><time>2024</time></li>
<li class="c"><a href="/b"><img src="b.jpg"><h3>Card two title</h3></a><p>&pound;7 short text here</p></li>
<li class="c"><a href="/c"><img src="c.jpg"><h3>Card three title</h3></a><p>12&nbsp;&euro; short text</p></li></ul>
<div><a href="?p=1">1</a><a href="?p=2">2</a><a href="?p=3">3</a><a href="?p=4">Next</a></div>
</body></html>)";
    CHECK(signal_of(page, "price_tokens_log") == Approx(std::log1p(4.0)));  // EUR 12, $5, £7, 12 €
    CHECK(signal_of(page, "buy_boxes") == 2);  // the number field and the button beside the price
    CHECK(signal_of(page, "quantity_inputs") == 1);
    CHECK(signal_of(page, "rating_marks_log") == Approx(std::log1p(1.0)));
    CHECK(signal_of(page, "rel_next") == 1);
    CHECK(signal_of(page, "numbered_links") == 3);
    CHECK(signal_of(page, "card_boxes_log") == Approx(std::log1p(3.0)));
    CHECK(signal_of(page, "card_share") > 0.5f);
    CHECK(signal_of(page, "priced_boxes_log") == Approx(std::log1p(3.0)));
    CHECK(signal_of(page, "dated_boxes_log") == Approx(std::log1p(1.0)));
    CHECK(signal_of(page, "product_types_log") == Approx(std::log1p(1.0)));
    CHECK(signal_of(page, "breadcrumb") == 1);

    // none of them on a plain article: numbers without a currency, no controls, no pager
    const std::string_view article = R"(<html><body><article><h1>A title</h1>
<p>In 2024, 12 people walked 5 km. The 3 of them who came back said so, and more.</p>
<p>A second paragraph of the article, with a <a href="/x">link</a> in it.</p></article></body></html>)";
    for (std::string_view name : {"price_tokens_log", "buy_boxes", "quantity_inputs", "rating_marks_log", "rel_next",
                                  "numbered_links", "card_boxes_log", "priced_boxes_log", "dated_boxes_log",
                                  "product_types_log", "list_items_types_log", "breadcrumb", "review_types_log"})
        CHECK(signal_of(article, name) == 0);
}

TEST_CASE("a price is a currency sign or code next to a number, in any script") {
    auto prices = [](std::string_view text) {
        std::string markup = "<html><body><p>" + std::string(text) + "</p></body></html>";
        return std::lround(std::expm1(signal_of(markup, "price_tokens_log")));
    };
    CHECK(prices("$12 and 9,99 \xE2\x82\xAC and \xE2\x82\xB9 500") == 3);  // $, €, ₹
    CHECK(prices("USD 40, 120 kr, 45 z\xC5\x82, 3000\xE5\x86\x86") == 4);     // codes, zł, 円
    CHECK(prices("\xE2\x82\xA9 1000 and 5\xC2\xA0\xE2\x82\xBD") == 2);          // ₩, ₽ after a no-break space
    CHECK(prices("USDA 12, a $ sign, SEKTOR 5, 2 krills") == 0);               // not words, not alone
}

TEST_CASE("the address's last segment: a slug of words, or one category word") {
    auto words = [](std::string_view url) {
        std::string markup = "<html><head><link rel=\"canonical\" href=\"" + std::string(url) +
                             "\"></head><body><p>Text.</p></body></html>";
        return signal_of(markup, "url_last_words");
    };
    CHECK(words("https://example.org/2024/05/how-to-build-a-boat.html") == 5);
    CHECK(words("https://example.org/shop/shoes/") == 1);
    CHECK(words("https://example.org/") == 0);
}

TEST_CASE("headings per thousand words") {
    std::string markup = "<html><body>";
    for (int k = 0; k < 4; ++k) {
        markup += "<h2>Part</h2><p>";
        for (int w = 0; w < 249; ++w) markup += "word ";  // five characters each, with its space
        markup += "</p>";
    }
    markup += "</body></html>";
    // 4 headings in about 5,000 characters: 4 * 6 * 1000 / 5000, a little under 5
    CHECK(signal_of(markup, "headings_per_kword") == Approx(4.8).margin(0.1));
}
