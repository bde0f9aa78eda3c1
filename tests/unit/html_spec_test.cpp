// html_spec_test.cpp: runs the HTML reader's spec examples (tests/spec/html_reader.md),
// markup and the model expected from it side by side, after cmark's spec.txt. An
// example's "~~~~ html" block is read as a whole page without cleaning, "~~~~ html clean"
// with it; "~~~~ native" holds the expected blocks as the test dump shows them.
// DCONV_UPDATE_SPEC=1 rewrites the expected blocks from what the reader gives (review
// the diff before committing it).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dconv/model.hpp"
#include "html/html_reader.hpp"
#include "unit/markdown_test_support.hpp"

namespace {

struct Example {
    std::string name;
    bool clean = false;
    std::string html;
    std::string expected;
    int line = 0;
};

std::vector<Example> load_examples(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<Example> out;
    std::string line, heading;
    int no = 0;
    std::string* into = nullptr;
    while (std::getline(in, line)) {
        ++no;
        if (line.rfind("## ", 0) == 0) heading = line.substr(3);
        if (line.rfind("~~~~ html", 0) == 0) {
            out.push_back(Example{heading, line == "~~~~ html clean", "", "", no});
            into = &out.back().html;
        } else if (line == "~~~~ native" && !out.empty()) {
            into = &out.back().expected;
        } else if (line == "~~~~") {
            into = nullptr;
        } else if (into) {
            *into += line;
            *into += '\n';
        }
    }
    return out;
}

// Rewrites each example's expected block with `got` (DCONV_UPDATE_SPEC).
void update_spec(const std::string& path, const std::vector<std::string>& got) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string out;
    std::size_t k = 0;
    bool skipping = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (skipping) {
            if (lines[i] != "~~~~") continue;
            skipping = false;
        }
        out += lines[i] + '\n';
        if (lines[i] == "~~~~ native" && k < got.size()) {
            out += got[k++];
            skipping = true;
        }
    }
    std::ofstream(path) << out;
}

}  // namespace

TEST_CASE("html reader spec examples") {
    const std::string path = DCONV_SOURCE_DIR "/tests/spec/html_reader.md";
    std::vector<Example> examples = load_examples(path);
    REQUIRE(examples.size() >= 20);
    std::vector<std::string> results;
    for (const Example& ex : examples) {
        INFO("tests/spec/html_reader.md:" << ex.line << ": " << ex.name);
        dconv::ReadOptions options;
        options.clean = ex.clean ? dconv::Cleaning::on : dconv::Cleaning::off;
        dconv::Diagnostics diag;
        dconv::Document doc = dconv::read_html(ex.html, options, diag);
        CHECK(dconv::validate(doc).empty());
        std::string got;
        dconv::test::describe(doc.blocks, got, 0, false);
        CHECK(got == ex.expected);
        results.push_back(got);
    }
    if (std::getenv("DCONV_UPDATE_SPEC")) update_spec(path, results);
}
