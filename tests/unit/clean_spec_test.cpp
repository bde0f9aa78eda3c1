// clean_spec_test.cpp: runs the cleaner's spec examples (tests/spec/clean.md), input and
// expected output side by side, after cmark's spec.txt. Each example names the passes
// to run on the segmented input; the result is compared as Markdown (markdown writer,
// with front matter when the example expects metadata).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dconv/clean.hpp"
#include "markdown/markdown_writer.hpp"
#include "webtext/webtext_reader.hpp"

namespace {

struct Example {
    std::string name;
    std::string passes;  // "all" or a comma-separated list of pass names
    std::string input;
    std::string expected;
    int line = 0;
};

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

std::string run(const Example& ex) {
    dconv::Diagnostics diag;
    dconv::Document doc = dconv::segment_webtext(ex.input, diag);
    auto wants = [&](const char* pass) {
        return ex.passes == "all" || ex.passes.find(pass) != std::string::npos;
    };
    if (ex.passes == "all") {
        dconv::clean_document(doc, {}, diag);
    } else {
        dconv::CleanOptions options;
        if (wants("strip-fragments")) dconv::strip_fragments(doc, diag);
        if (wants("metadata")) options.title_line = dconv::extract_metadata(doc, diag);
        if (wants("classify")) dconv::classify_boilerplate(doc, options, diag);
        if (wants("repair")) dconv::repair_structure(doc, diag);
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
