#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "dconv/model.hpp"
#include "native/native_writer.hpp"

using namespace dconv;
using Json = nlohmann::ordered_json;

namespace {

std::string write(const Document& doc) { return write_native(doc, WriteOptions{}); }

std::vector<std::string> keys(const Json& object) {
    std::vector<std::string> out;
    for (const auto& item : object.items()) out.push_back(item.key());
    return out;
}

// The document of the golden file: every kind of block and inline, some with source
// lines and some without.
Document sample_document() {
    Document doc;
    doc.meta.title = "A Sample Document";
    doc.meta.subtitle = "Every block the model has";
    doc.meta.authors = {"Ann Author", "Bo Writer"};
    doc.meta.date = "2024-03-01";
    doc.meta.site = "Example News";
    doc.meta.language = "en";
    doc.meta.source = "sample.txt";
    doc.meta.extra["section"] = "Tests";
    doc.meta.extra["a-key"] = "sorted first";

    doc.blocks.push_back(make_heading(1, "A Sample Document", {1, 1}));
    doc.blocks.push_back(make_paragraph(
        Inlines{Text{"Text, "}, Emphasis{{Text{"emphasis"}}}, Text{", "},
                Strong{{Text{"strong "}, Emphasis{{Text{"nested"}}}}}, Text{", "},
                Code{"code()"}, Text{", "},
                Link{{Text{"a link"}}, "https://example.com/?q=\"x\"", "Example"},
                LineBreak{}, Text{"中文 and \"quotes\" and a tab\there"}},
        {3, 4}));
    List bullets;
    bullets.items.push_back({make_paragraph("first")});
    List nested;
    nested.ordered = true;
    nested.start = 3;
    nested.items.push_back({make_paragraph("nested")});
    bullets.items.push_back({make_paragraph("second"), Block{nested, {8, 8}}});
    doc.blocks.push_back(Block{bullets, {6, 8}});
    List loose;
    loose.ordered = true;
    loose.start = 9;
    loose.tight = false;
    loose.items.push_back({make_paragraph("ninth")});
    doc.blocks.push_back(Block{loose});
    BlockQuote quote;
    quote.children.push_back(make_paragraph("quoted"));
    doc.blocks.push_back(Block{quote, {10, 11}});
    doc.blocks.push_back(Block{CodeBlock{"cpp", "int main() {\n    return 0;\n}"}, {13, 17}});
    doc.blocks.push_back(Block{CodeBlock{"", "plain"}});
    doc.blocks.push_back(Block{ThematicBreak{}, {19, 19}});
    return doc;
}

}  // namespace

TEST_CASE("native: the shape of the dump") {
    std::string out = write(sample_document());
    REQUIRE(!out.empty());
    CHECK(out.back() == '\n');
    CHECK(out.rfind("{\n  \"meta\": {\n    \"title\": ", 0) == 0);  // two-space indentation
    CHECK(out.find("中文") != std::string::npos);                   // UTF-8 not escaped

    Json root = Json::parse(out);
    CHECK(keys(root) == std::vector<std::string>{"meta", "blocks"});
    CHECK(keys(root["meta"]) == std::vector<std::string>{"title", "subtitle", "authors", "date",
                                                          "site", "language", "source", "extra"});
    CHECK(root["meta"]["authors"] == Json::array({"Ann Author", "Bo Writer"}));
    CHECK(keys(root["meta"]["extra"]) == std::vector<std::string>{"a-key", "section"});

    const Json& blocks = root["blocks"];
    REQUIRE(blocks.size() == 8);
    CHECK(blocks[0] == Json::parse(R"J({"type": "heading", "level": 1, "lines": [1, 1],
                                       "content": ["A Sample Document"]})J"));

    const Json& content = blocks[1]["content"];
    CHECK(keys(blocks[1]) == std::vector<std::string>{"type", "lines", "content"});
    CHECK(content[0] == "Text, ");
    CHECK(content[1] == Json::parse(R"J({"emph": ["emphasis"]})J"));
    CHECK(content[3] == Json::parse(R"J({"strong": ["strong ", {"emph": ["nested"]}]})J"));
    CHECK(content[5] == Json::parse(R"J({"code": "code()"})J"));
    CHECK(content[7] == Json::parse(R"J({"link": ["a link"], "url": "https://example.com/?q=\"x\"",
                                        "title": "Example"})J"));
    CHECK(content[8] == Json::parse(R"J({"break": true})J"));

    CHECK(keys(blocks[2]) ==
          std::vector<std::string>{"type", "ordered", "start", "tight", "lines", "items"});
    CHECK(blocks[2]["items"][1][1]["start"] == 3);
    CHECK(blocks[3]["tight"] == false);
    CHECK(!blocks[3].contains("lines"));  // unknown source range
    CHECK(blocks[4]["type"] == "quote");
    CHECK(blocks[4]["blocks"][0]["content"][0] == "quoted");
    CHECK(blocks[5] == Json::parse(R"J({"type": "code", "info": "cpp", "lines": [13, 17],
                                       "text": "int main() {\n    return 0;\n}"})J"));
    CHECK(blocks[6]["info"] == "");
    CHECK(blocks[7] == Json::parse(R"J({"type": "rule", "lines": [19, 19]})J"));
}

TEST_CASE("native: an empty document") {
    CHECK(write(Document{}) == "{\n  \"meta\": {},\n  \"blocks\": []\n}\n");
}

TEST_CASE("native: empty metadata fields are left out") {
    Document doc;
    doc.meta.date = "2024-03-01";
    Json root = Json::parse(write(doc));
    CHECK(root["meta"] == Json::parse(R"J({"date": "2024-03-01"})J"));
}

TEST_CASE("native: invalid UTF-8 does not throw") {
    Document doc;
    doc.meta.title = "bad \xFF title";
    doc.blocks.push_back(make_paragraph("bad \xC3 byte"));
    std::string out;
    REQUIRE_NOTHROW(out = write(doc));
    CHECK(out.find("bad \uFFFD title") != std::string::npos);
    CHECK(out.find("bad \uFFFD byte") != std::string::npos);
}

TEST_CASE("native: golden file of a document with every block") {
    std::string actual = write(sample_document());
    std::string path = std::string(DCONV_SOURCE_DIR) + "/tests/golden/native/sample.json";
    const char* update = std::getenv("DCONV_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        WARN("updated " << path);
        return;
    }
    std::ifstream in(path, std::ios::binary);
    INFO("golden file " << path << " (regenerate with DCONV_UPDATE_GOLDEN=1)");
    REQUIRE(in.good());
    std::stringstream expected;
    expected << in.rdbuf();
    CHECK(actual == expected.str());
}
