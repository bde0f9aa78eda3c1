// clean_spec_test.cpp: runs the cleaner's spec examples (tests/spec/clean.md), input and
// expected output side by side, after cmark's spec.txt. Each example names the passes
// to run on the segmented input; the result is compared as Markdown (markdown writer,
// with front matter when the example expects metadata).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "clean/rules.hpp"
#include "dconv/clean.hpp"
#include "markdown/markdown_writer.hpp"
#include "webtext/webtext_reader.hpp"

namespace {

struct Example {
    std::string name;
    std::string passes;  // "all", "none" or a comma-separated list of ids from cleaning_passes()
    std::string input;
    std::string expected;
    int line = 0;
};

std::vector<std::string_view> split(std::string_view list) {
    std::vector<std::string_view> out;
    while (!list.empty()) {
        std::size_t comma = list.find(',');
        std::string_view id = list.substr(0, comma);
        while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
        if (!id.empty()) out.push_back(id);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return out;
}

bool named(std::string_view list, std::string_view id) {
    for (std::string_view n : split(list))
        if (n == id) return true;
    return false;
}

std::vector<Example> load_examples(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<Example> out;
    std::string line, heading;
    int no = 0;
    Example* cur = nullptr;
    std::string* into = nullptr;
    while (std::getline(in, line)) {
        ++no;
        if (line.rfind("## ", 0) == 0) heading = line.substr(3);
        if (line.rfind("~~~~ input", 0) == 0) {
            out.push_back(Example{heading, line.size() > 11 ? line.substr(11) : "all", "", "", no});
            cur = &out.back();
            into = &cur->input;
        } else if (line == "~~~~ expected" && cur) {
            into = &cur->expected;
        } else if (line == "~~~~") {
            into = nullptr;
        } else if (into) {
            *into += line;
            *into += '\n';
        }
    }
    return out;
}

// "-ID" in an example's pass list switches the rule ID off for it, as DCONV_RULES_OFF does.
struct RulesOff {
    explicit RulesOff(std::string_view list) {
        std::string ids;
        for (std::string_view id : split(list))
            if (id.front() == '-') ids += std::string(id.substr(1)) + ",";
        CHECK(dconv::clean::set_rules_off(ids).empty());
    }
    ~RulesOff() { dconv::clean::set_rules_off(""); }
};

std::string run(const Example& ex) {
    dconv::Diagnostics diag;
    dconv::Document doc = dconv::segment_webtext(ex.input, diag);
    RulesOff off(ex.passes);
    if (ex.passes == "all") {
        dconv::clean_document(doc, {}, diag);
    } else if (ex.passes != "none") {
        // the passes named, from the one pass table, in its order
        for (std::string_view id : split(ex.passes)) {
            if (id.front() == '-') continue;  // a rule switched off
            const dconv::CleaningPass* pass = dconv::find_cleaning_pass(id);
            INFO("spec line " << ex.line << ": pass '" << id << "'");
            REQUIRE(pass);
            REQUIRE(pass->run);  // a text pass: the HTML ones run in the HTML reader
        }
        dconv::CleaningState state;
        for (const dconv::CleaningPass& pass : dconv::cleaning_passes())
            if (pass.run && pass.reads != "html" && named(ex.passes, pass.id)) pass.run(doc, state, diag);
    }
    doc.meta.language.clear();  // examples state metadata they test, not the guess
    dconv::WriteOptions w;
    w.front_matter = ex.expected.rfind("---", 0) == 0;
    return dconv::write_markdown(doc, w);
}

}  // namespace

TEST_CASE("cleaner spec examples") {
    auto examples = load_examples(DCONV_SOURCE_DIR "/tests/spec/clean.md");
    REQUIRE(examples.size() >= 20);
    for (const Example& ex : examples) {
        DYNAMIC_SECTION("spec line " << ex.line << ": " << ex.name) {
            CHECK(run(ex) == ex.expected);
        }
    }
}
