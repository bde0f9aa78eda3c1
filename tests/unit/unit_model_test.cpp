// unit_model_test: the compiled-in unit model (formats/clean/unit_model.hpp) is the one
// tools/train/train_unit_model.py wrote, and the C++ evaluation of its trees gives the
// probabilities xgboost gave the same units (tests/data/unit_model_cases.tsv, written with
// it); the features of a small page are what their definitions say.
#include "clean/unit_model.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "clean/text_units.hpp"
#include "clean/unit_features.hpp"
#include "clean/units.hpp"
#include "dconv/clean.hpp"
#include "dconv/model.hpp"

using namespace dconv;
using namespace dconv::clean;

namespace {

struct Case {
    float probability = 0;
    std::vector<float> features;
};

std::vector<Case> read_cases() {
    std::ifstream in(std::string(DCONV_SOURCE_DIR) + "/tests/data/unit_model_cases.tsv");
    std::vector<Case> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string value;
        Case c;
        std::getline(fields, value, '\t');
        c.probability = std::stof(value);
        while (std::getline(fields, value, '\t')) c.features.push_back(std::stof(value));
        cases.push_back(std::move(c));
    }
    return cases;
}

Block paragraph(std::string text) { return Block{Paragraph{{Text{std::move(text)}}}, {}}; }

}  // namespace

// unit_keys measures only a unit's text and fold (measure_fold, measure_text_fold), with a
// copy of shape()'s fold: its keys must be those of make_units(doc, "") on every kind of
// text, or the model would match the rules' output to the wrong units.
TEST_CASE("unit keys are the texts and folds make_units gives") {
    std::string long_ascii, long_cjk, long_mixed;
    for (int i = 0; i < 40; ++i) long_ascii += "Harbour Pier " + std::to_string(i) + " reopens, don't-miss it! ";
    for (int i = 0; i < 120; ++i) long_cjk += "码头重新开放，";
    for (int i = 0; i < 60; ++i) long_mixed += "Ünïcödé ΑΒΓ абв ١٢٣ 🐃 x";
    const std::string texts[] = {
        "Harbour news", "  Leading and trailing  ", "Tabs\tand\u00a0spaces  inside", "Digits 2019-11-29 16:31:41",
        "ALL CAPS SHOUTING", "don't well-known mid-word's", "...,;!?", "", "\xff\xfe broken \xc3 bytes \xe2\x82",
        "Zero\u200bwidth and \u3000ideographic\u2003space", "日本語のテキスト、カタカナ。", "한국어 문장입니다.",
        long_ascii, long_cjk, long_mixed, long_ascii + long_cjk,
    };
    Document doc;
    for (const std::string& t : texts) {
        doc.blocks.push_back(paragraph(t));
        doc.blocks.push_back(Block{Heading{2, {Text{t}}}, {}});
        doc.blocks.push_back(Block{CodeBlock{"", t}, {}});
        doc.blocks.push_back(Block{BlockQuote{{paragraph(t), paragraph(t)}}, {}});
        // several inlines: collected and squeezed
        doc.blocks.push_back(Block{Paragraph{{Text{t + " "}, Emphasis{{Text{" " + t}}}, LineBreak{},
                                              Link{{Text{t}}, "https://example.org/" + t, ""}, Code{t}}},
                                   {}});
        List list;
        list.items.push_back({paragraph(t)});
        list.items.push_back({paragraph("Item"), Block{List{.items = {{paragraph(t)}}}, {}}});
        doc.blocks.push_back(Block{std::move(list), {}});
    }
    doc.blocks.push_back(Block{ThematicBreak{}, {}});

    const std::vector<Unit> units = make_units(doc, "");
    const std::vector<UnitKey> keys = unit_keys(doc);
    REQUIRE(keys.size() == units.size());
    REQUIRE(units.size() > 90);
    std::size_t long_folds = 0;
    for (std::size_t k = 0; k < units.size(); ++k) {
        INFO("unit " << k << ": " << std::string_view(units[k].f.text).substr(0, 60));
        CHECK(keys[k].fold == units[k].f.fold);
        CHECK(keys[k].text_bytes == units[k].f.text.size());
        CHECK(keys[k].block == units[k].block);
        CHECK(keys[k].item == units[k].item);
        long_folds += units[k].f.text.size() > 1000;
    }
    CHECK(long_folds > 10);  // past the fold's head of 256 characters, more than once
}

TEST_CASE("the compiled-in unit model was trained on the features the cleaner computes") {
    CHECK(unit_model_trained());
    CHECK(unit_model_version() >= 1);
    CHECK(unit_model_matches_features());
}

TEST_CASE("the trees give the probabilities xgboost gave the same units") {
    std::vector<Case> cases = read_cases();
    REQUIRE(cases.size() >= 10);
    int content = 0;
    for (const Case& c : cases) {
        REQUIRE(c.features.size() == kUnitFeatures);
        CHECK(unit_content_probability(c.features.data()) == Approx(c.probability).margin(1e-4));
        std::vector<std::string_view> top;
        CHECK(unit_content_probability(c.features.data(), top) == Approx(c.probability).margin(1e-4));
        CHECK(!top.empty());
        content += c.probability >= 0.5f;
    }
    // the fixed units are both kinds
    CHECK(content > 0);
    CHECK(content < static_cast<int>(cases.size()));
}

TEST_CASE("the rules' verdict stands unless the model is confident") {
    using D = UnitDecision;
    for (D d : {D::html, D::text, D::html_records}) {
        CHECK(unit_kept(true, 0.5f, d, 0));    // kept by the rules, the model in doubt
        CHECK(!unit_kept(false, 0.5f, d, 0));  // removed by the rules, the model in doubt
        if (!unit_model_may_drop(d, 0)) continue;
        CHECK(!unit_kept(true, 0.01f, d, 0));  // the model sure it is furniture
        // --favor-precision drops what the model doubts more readily, --favor-recall less
        // (moved by 0.15 either way)
        float drop = 0.01f;
        while (drop < 1.0f && !unit_kept(true, drop, d, 0)) drop += 0.01f;
        CHECK(drop > 0.05f);
        CHECK(drop < 0.6f);
        CHECK(unit_kept(true, drop + 0.01f, d, 0));
        CHECK(!unit_kept(true, drop - 0.02f, d, 0));
        CHECK(!unit_kept(true, drop + 0.1f, d, 1));
        CHECK(unit_kept(true, drop - 0.1f, d, -1));
    }
    // HTML pages read as articles, threads or documentation: removals only
    CHECK(unit_model_may_drop(D::html, 0));
    CHECK(!unit_model_may_restore(D::html, 0));
    CHECK(!unit_kept(false, 0.99f, D::html, 0));
    // text dumps: restorations, on the pages the text page gate lets through
    CHECK(unit_model_may_restore(D::text, 0));
    CHECK(unit_kept(false, 0.99f, D::text, 0));
    CHECK(text_page_gate(0) > 0.0f);
    CHECK(text_page_gate(0) < 1.0f);
    CHECK(text_page_gate(-1) > text_page_gate(0));  // --favor-recall restores on more pages
    CHECK(text_page_gate(1) < text_page_gate(0));
}

TEST_CASE("the model does not empty a page the rules kept something of") {
    // per unit: the rules kept it, the model would drop it
    CHECK(unit_model_empties_page({true}, {true}));                // a page of one paragraph
    CHECK(unit_model_empties_page({true, false}, {true, true}));  // the rules' one unit dropped
    CHECK(!unit_model_empties_page({true, true}, {true, false}));  // one of the rules' kept
    CHECK(!unit_model_empties_page({false, true}, {false, true}));  // one the rules removed restored
    CHECK(!unit_model_empties_page({false, false}, {true, true}));  // the rules kept nothing
    CHECK(!unit_model_empties_page({}, {}));
}

TEST_CASE("the page model's type chooses an HTML page's decision") {
    // page_types() order: article, collection, documentation, forum, listing, product, service
    const std::vector<float> article{0.9f, 0.02f, 0.02f, 0.02f, 0.02f, 0.01f, 0.01f};
    const std::vector<float> forum{0.05f, 0.02f, 0.03f, 0.85f, 0.02f, 0.02f, 0.01f};
    const std::vector<float> unknown(7, -1.0f);
    CHECK(html_unit_decision(article) == UnitDecision::html);
    CHECK(html_unit_decision(forum) == UnitDecision::html);
    CHECK(html_unit_decision(unknown) == UnitDecision::html);
    CHECK(html_unit_decision(std::vector<float>{}) == UnitDecision::html);
}

TEST_CASE("the text page gate's trees give the probabilities xgboost gave the same pages") {
    std::ifstream in(std::string(DCONV_SOURCE_DIR) + "/tests/data/text_page_cases.tsv");
    std::string line;
    int cases = 0, articles = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string value;
        std::getline(fields, value, '\t');
        const float expected = std::stof(value);
        std::vector<float> f;
        while (std::getline(fields, value, '\t')) f.push_back(std::stof(value));
        REQUIRE(f.size() == kTextPageFeatures);
        CHECK(text_page_article_probability(f.data()) == Approx(expected).margin(1e-4));
        ++cases;
        articles += expected >= 0.5f;
    }
    REQUIRE(cases >= 5);
    CHECK(articles > 0);  // the fixed pages are both kinds
    CHECK(articles < cases);
}

TEST_CASE("the text page gate's inputs: page features, length-weighted and plain means") {
    const std::size_t length_log = 1, link_density = 2;
    REQUIRE(kUnitFeatureNames[length_log] == "length_log");
    REQUIRE(kUnitFeatureNames[link_density] == "link_density");
    std::vector<float> x(2 * kUnitFeatures, 0.0f);
    x[length_log] = static_cast<float>(std::log1p(99.0));  // a unit of 99 characters, weight 100
    x[link_density] = 1.0f;
    x[kUnitFeatures + length_log] = static_cast<float>(std::log1p(299.0));  // 299 characters, weight 300
    for (std::size_t k = 0; k < 2; ++k)
        for (std::size_t i = 0; i < kUnitFeatures; ++i)
            if (kUnitFeatureNames[i] == "units_log") x[k * kUnitFeatures + i] = 0.7f;
    std::array<float, kTextPageFeatures> f = text_page_features(x, {0.2f, 0.6f});
    auto at = [&](std::string_view name) {
        for (std::size_t i = 0; i < kTextPageFeatures; ++i)
            if (kTextPageFeatureNames[i] == name) return f[i];
        FAIL("no input " << name);
        return 0.0f;
    };
    CHECK(at("units_log") == 0.7f);
    CHECK(at("w_link_density") == Approx(0.25).margin(1e-4));
    CHECK(at("m_link_density") == Approx(0.5));
    CHECK(at("w_probability") == Approx(0.5).margin(1e-4));
    CHECK(at("m_probability") == Approx(0.4));
    CHECK(at("content_units_share") == Approx(0.5));
}

TEST_CASE("a page's unit features") {
    Document page;
    page.blocks.push_back(paragraph("Home"));
    page.blocks.push_back(paragraph(
        "The council approved the new budget on Tuesday, after a long debate, and spending on schools rises by "
        "four percent next year."));
    page.blocks.push_back(paragraph("Home"));
    Document cleaned;
    cleaned.blocks.push_back(page.blocks[1]);
    std::vector<Unit> units = make_units(page, "en");
    UnitPage context;
    context.stages = {nullptr, nullptr, &cleaned};
    context.lang = "en";
    std::vector<float> x = unit_features(units, context);
    REQUIRE(x.size() == 3 * kUnitFeatures);
    auto at = [&](std::size_t unit, std::string_view name) {
        for (std::size_t i = 0; i < kUnitFeatures; ++i)
            if (kUnitFeatureNames[i] == name) return x[unit * kUnitFeatures + i];
        FAIL("no feature " << name);
        return 0.0f;
    };
    CHECK(at(0, "html") == 0);
    CHECK(at(1, "cleaned_share") == 1.0f);
    CHECK(at(0, "cleaned_share") == 0.0f);  // "Home" is not in what the rules kept
    CHECK(at(0, "selected_share") == -1.0f);  // no such stage for a text page
    CHECK(at(1, "prose") == 1.0f);
    CHECK(at(1, "in_prose_run") == 1.0f);
    CHECK(at(0, "in_prose_run") == 0.0f);
    CHECK(at(0, "prose_run_distance") < 0);  // before the run
    CHECK(at(2, "prose_run_distance") > 0);  // after it
    CHECK(at(0, "repeats_in_page_log") > 0);  // "Home" twice
    CHECK(at(1, "repeats_in_page_log") == 0);
    CHECK(at(1, "html_depth_log") == -1.0f);  // the HTML features are the caller's
    CHECK(at(0, "position") == 0.0f);
    CHECK(at(2, "position") == 1.0f);
}

// The unit model reads a text page's units, not a copy of the page, and what the rules
// removed is put back where it brings units back (clean.cpp's run_classify): the units
// carry what the features read of their blocks (the page's blocks are gone by then),
// the features read a row at a time are the matrix's, and the page put back together is
// the page, block for block.
TEST_CASE("a page's units give its unit features and the removed units go back in place") {
    auto list = [](std::vector<std::string> items, std::vector<TaskState> tasks) {
        List l;
        for (std::string& text : items) l.items.push_back(Blocks{paragraph(std::move(text))});
        l.tasks = std::move(tasks);
        return Block{std::move(l), {}};
    };
    Document page;
    page.blocks.push_back(Block{Heading{1, {Text{"Harbour news"}}}, {}});
    page.blocks.push_back(paragraph("Home"));
    page.blocks.push_back(paragraph(
        "The council approved the new budget on Tuesday, after a long debate, and spending on schools rises by "
        "four percent next year."));
    page.blocks.push_back(list({"Share", "The pier reopens in May, the mayor said.", "Print"},
                               {TaskState::None, TaskState::Done, TaskState::Open}));
    page.blocks.push_back(list({"Login", "Register"}, {}));
    page.blocks.push_back(paragraph("Home"));
    for (std::size_t b = 0; b < page.blocks.size(); ++b)
        page.blocks[b].source = SourceRange{static_cast<std::uint32_t>(2 * b + 1), static_cast<std::uint32_t>(2 * b + 1)};
    const Document original = page;
    std::vector<Unit> units = make_units(page, "en");

    // the rules remove "Home" twice, the list's first and last items, the whole second list
    DroppedUnits dropped(page);
    for (const Unit& u : units) {
        const std::string_view t = u.f.text;
        if (t == "Home" || t == "Share" || t == "Print" || t == "Login" || t == "Register")
            dropped.mark(page, u.block, u.item);
    }
    Document plain = page;
    remove_dropped(plain, dropped);
    RemovedUnits removed;
    remove_dropped(page, dropped, &removed);
    CHECK(page == plain);  // the same removal, its parts kept aside
    REQUIRE(page.blocks.size() == 3);
    CHECK(std::get<List>(page.blocks[2].node).items.size() == 1);
    CHECK(std::get<List>(page.blocks[2].node).tasks == std::vector<TaskState>{TaskState::Done});

    UnitPage context;
    context.stages = {nullptr, nullptr, &page};
    context.lang = "en";
    const std::vector<float> x = unit_features(units, context);
    REQUIRE(units.size() == 9);
    REQUIRE(x.size() == units.size() * kUnitFeatures);
    auto at = [&](std::size_t unit, std::string_view name) {
        for (std::size_t i = 0; i < kUnitFeatures; ++i)
            if (kUnitFeatureNames[i] == name) return x[unit * kUnitFeatures + i];
        FAIL("no feature " << name);
        return 0.0f;
    };
    CHECK(at(0, "heading") == 1.0f);
    CHECK(at(0, "heading_level") == 1.0f);
    CHECK(at(1, "heading") == 0.0f);
    CHECK(at(1, "list_item") == 0.0f);
    CHECK(at(1, "list_item_share_of_block") == -1.0f);  // no list's item
    CHECK(at(3, "list_item") == 1.0f);                   // "Share", first of three
    CHECK(at(3, "list_item_share_of_block") == 0.0f);
    CHECK(at(4, "list_item_share_of_block") == 0.5f);    // the second of three
    CHECK(at(5, "list_item_share_of_block") == 1.0f);
    CHECK(at(6, "list_item_share_of_block") == 0.0f);    // "Login", first of two
    CHECK(at(3, "same_kind_run_log") == Approx(std::log1p(5.0)));  // the two lists' items, one run
    CHECK(at(3, "cleaned_share") == 0.0f);  // the rules removed "Share"
    CHECK(at(4, "cleaned_share") == 1.0f);
    const UnitFeatureRows rows(units, context);
    std::vector<float> row(kUnitFeatures);
    for (std::size_t k = 0; k < units.size(); ++k) {
        rows.row(k, row.data());
        CHECK(std::equal(row.begin(), row.end(), x.begin() + static_cast<std::ptrdiff_t>(k * kUnitFeatures)));
    }

    restore_removed(page, std::move(removed));
    CHECK(page == original);
    REQUIRE(page.blocks.size() == original.blocks.size());
    for (std::size_t b = 0; b < page.blocks.size(); ++b) {
        CHECK(page.blocks[b].source.first == original.blocks[b].source.first);
        if (const auto* l = std::get_if<List>(&page.blocks[b].node))
            CHECK(l->tasks == std::get<List>(original.blocks[b].node).tasks);
    }
}

TEST_CASE("sort_hashes sorts as std::sort does, at every depth of its dealing") {
    // sizes below a dealing, one 8-bit dealing and the wider ones of a long page, hashes
    // spread over 64 bits, crowded into a few top bits, and repeated many times over
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (std::size_t size : {0u, 1u, 255u, 256u, 1025u, 8192u, 8193u, 300000u}) {
        for (int kind = 0; kind < 3; ++kind) {
            std::vector<std::uint64_t> hashes(size);
            for (auto& h : hashes) {
                h = next();
                if (kind == 1) h >>= 40;                  // the top bits all zero
                if (kind == 2) h = (h % 97) * 0x10001ull;  // few distinct values, many times
            }
            std::vector<std::uint64_t> expected = hashes;
            std::sort(expected.begin(), expected.end());
            dconv::clean::sort_hashes(hashes.data(), hashes.data() + hashes.size());
            INFO("size " << size << ", kind " << kind);
            CHECK(hashes == expected);
        }
    }
}

namespace {

// A text dump's lines, one paragraph each, on consecutive source lines from 1 (a blank
// line where `text` is empty), as the text reader gives them.
std::vector<Unit> dump_units(const std::vector<std::string>& lines) {
    Document page;
    for (std::size_t k = 0; k < lines.size(); ++k) {
        if (lines[k].empty()) continue;
        page.blocks.push_back(paragraph(lines[k]));
        const auto at = static_cast<std::uint32_t>(k + 1);
        page.blocks.back().source = SourceRange{at, at};
    }
    return make_units(page, "en");
}

}  // namespace

TEST_CASE("a wrapped line continues the line it wraps from, as the repair pass joins them") {
    const std::vector<Unit> units = dump_units({
        "The bridge was closed for a year while the crews rebuilt the northern span and",
        "resurfaced the road.",             // wraps from a line stopping mid-clause
        "Work starts in May and",           // after a sentence: a paragraph of its own
        "",
        "",
        "the council pays for it.",         // across two blank lines, as repair joins
        "The next line.",
        "桥梁关闭了一年，",
        "工人们重建了北侧桥跨。",          // CJK after "，": joined without a space
    });
    REQUIRE(units.size() == 7);
    CHECK(continued_lines(units) == std::vector<bool>{false, true, false, true, false, false, true});
    CHECK(line_wrap(U'd', U'r') == LineWrap::spaced);
    CHECK(line_wrap(U'.', U'r') == LineWrap::none);
    CHECK(line_wrap(U'，', U'工') == LineWrap::cjk);
    CHECK(line_wrap(U'年', U'工') == LineWrap::cjk_if_long);
}

TEST_CASE("a wrapped paragraph is settled whole, and a line removed on its own content is no line of it") {
    const std::vector<Unit> units = dump_units({
        "The bridge was closed for a year while the crews rebuilt the whole of the northern span and",
        "advertisement",
        "resurfaced the road, which had not been touched since the bridge opened in the sixties.",
    });
    REQUIRE(units.size() == 3);
    const std::vector<bool> continued = continued_lines(units);
    REQUIRE(continued == std::vector<bool>{false, true, true});
    SECTION("without a fixed line, the longer side wins: the furniture comes back into the prose") {
        std::vector<bool> drop{false, true, false};
        const std::vector<std::size_t> donor = settle_wrapped_paragraphs(units, continued, drop, {});
        CHECK(drop == std::vector<bool>{false, false, false});
        CHECK(donor[1] == 0);  // the paragraph's longest kept line decided
    }
    SECTION("a fixed line ends the paragraph, is never weighed and never flipped") {
        std::vector<bool> drop{false, true, false};
        settle_wrapped_paragraphs(units, continued, drop, {false, true, false});
        CHECK(drop == std::vector<bool>{false, true, false});
        // nor does its length remove a short paragraph's prose: a removed first line
        // (context) and a kept line after the furniture are two paragraphs now
        std::vector<bool> split{true, true, false};
        settle_wrapped_paragraphs(units, continued, split, {false, true, false});
        CHECK(split == std::vector<bool>{true, true, false});
    }
    SECTION("lines removed for where they stand are weighed: the paragraph is kept whole") {
        std::vector<bool> drop{true, false, false};
        settle_wrapped_paragraphs(units, continued, drop, {false, false, false});
        CHECK(drop == std::vector<bool>{false, false, false});
    }
}

TEST_CASE("explain: a note for a line kept whole with its paragraph against the rule that removed it") {
    Document page;
    const std::vector<std::string> lines = {
        "Library opens late", "",
        "The town library will stay open until nine on Thursdays from next month, the trustees said on Monday.", "",
        "Home | News | Sport | Weather", "Login | Register", "so the town",
        "library will stay open until nine on Thursdays from next month, the trustees said at a meeting on Monday "
        "evening after a long debate.",
        "", "Readers had asked for later hours for years, said the head librarian, who kept a list of every request."};
    for (std::size_t k = 0; k < lines.size(); ++k) {
        if (lines[k].empty()) continue;
        page.blocks.push_back(paragraph(lines[k]));
        const auto at = static_cast<std::uint32_t>(k + 1);
        page.blocks.back().source = SourceRange{at, at};
    }
    Diagnostics diag(true);
    classify_boilerplate(page, CleanOptions{}, diag);
    bool noted = false;
    for (const Diagnostic& d : diag.items()) {
        if (d.pass != "classify" || d.action != "kept") continue;
        CHECK(d.first_line == 7);
        CHECK(d.rule == "context");
        CHECK(d.reason.starts_with("kept, overruling context: a line of a paragraph kept whole"));
        noted = true;
    }
    CHECK(noted);
    // the paragraph stays whole, the furniture above it goes
    std::string text;
    for (const Block& b : page.blocks) text += plain_text(b) + "\n";
    CHECK(text.find("so the town") != std::string::npos);
    CHECK(text.find("Login") == std::string::npos);
}
