#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <memory>
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

// The document of the second golden file: every node of issue 12 (images, figures,
// tables, notes, strikeout, super- and subscript, task lists) and a resource.
Document rich_document() {
    Document doc;
    doc.meta.title = "Rich nodes";
    doc.resources["img-1"] = std::make_shared<const Resource>(
        Resource{"image/png", std::string("\x89PNG\r\n\x1A\n", 8), 40, 30, "page_files/quay.png"});
    doc.blocks.push_back(make_paragraph(
        Inlines{Strikeout{{Text{"forty"}}}, Text{" sixty, H"}, Subscript{{Text{"2"}}}, Text{"O, x"},
                Superscript{{Text{"2"}}}, Text{"."},
                Note{{make_paragraph("The note's first paragraph."), make_paragraph("Its second.")}},
                Text{" "}, Image{"page_files/quay.png", "The east quay", "At dawn", "img-1"},
                Text{" "}, Image{"https://example.com/remote.jpg", "Remote", "", ""}},
        {1, 2}));
    doc.blocks.push_back(Block{
        Figure{{make_paragraph(Inlines{Image{"page_files/quay.png", "The east quay", "", "img-1"}})},
               {Text{"The east quay. "}, Emphasis{{Text{"Photo: A. Photographer"}}}}},
        {4, 6}});
    Table table;
    table.caption = {Text{"Tonnage by quay"}};
    table.columns = {Alignment::Default, Alignment::Left, Alignment::Center, Alignment::Right};
    auto cell = [](std::string text, int row_span = 1, int col_span = 1) {
        return TableCell{{make_paragraph(std::move(text))}, row_span, col_span};
    };
    table.head.push_back(TableRow{{cell("Quay"), cell("2023"), cell("2024"), cell("Change")}});
    table.body.push_back(TableRow{{cell("East quay", 2), cell("120,400"), cell("141,900"), cell("+17.9%")}});
    table.body.push_back(TableRow{{cell("no data", 1, 3)}});
    table.body.push_back(TableRow{
        {TableCell{{make_paragraph("two"), make_paragraph("paragraphs")}}, cell(""), cell(""), cell("")}});
    doc.blocks.push_back(Block{table, {8, 14}});
    List tasks;
    tasks.items = {{make_paragraph("open")}, {make_paragraph("done")}, {make_paragraph("no box")}};
    tasks.tasks = {TaskState::Open, TaskState::Done, TaskState::None};
    doc.blocks.push_back(Block{tasks, {16, 18}});
    return doc;
}

void check_golden(const std::string& actual, const std::string& name) {
    std::string path = std::string(DCONV_SOURCE_DIR) + "/tests/golden/native/" + name;
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

}  // namespace

TEST_CASE("native: the shape of the dump") {
    std::string out = write(sample_document());
    REQUIRE(!out.empty());
    CHECK(out.back() == '\n');
    // the format's version first, as pandoc's "pandoc-api-version", then the model
    CHECK(out.rfind("{\n  \"dconv-native\": 1,\n  \"meta\": {\n    \"title\": ", 0) == 0);  // two-space indentation
    CHECK(out.find("中文") != std::string::npos);                   // UTF-8 not escaped

    Json root = Json::parse(out);
    CHECK(keys(root) == std::vector<std::string>{"dconv-native", "meta", "blocks"});
    CHECK(root["dconv-native"].is_number_integer());
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
    CHECK(write(Document{}) == "{\n  \"dconv-native\": 1,\n  \"meta\": {},\n  \"blocks\": []\n}\n");
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
    check_golden(write(sample_document()), "sample.json");
}

TEST_CASE("native: the rich nodes") {
    Document doc = rich_document();
    INFO(validate(doc).size() << " problems");
    REQUIRE(validate(doc).empty());
    Json root = Json::parse(write(doc));
    CHECK(keys(root) == std::vector<std::string>{"dconv-native", "meta", "blocks", "resources"});

    const Json& content = root["blocks"][0]["content"];
    CHECK(content[0] == Json::parse(R"J({"strike": ["forty"]})J"));
    CHECK(content[2] == Json::parse(R"J({"sub": ["2"]})J"));
    CHECK(content[4] == Json::parse(R"J({"sup": ["2"]})J"));
    CHECK(content[6]["note"].size() == 2);
    CHECK(content[6]["note"][1] == Json::parse(R"J({"type": "paragraph", "content": ["Its second."]})J"));
    CHECK(content[8] == Json::parse(R"J({"image": "page_files/quay.png", "alt": "The east quay",
                                        "title": "At dawn", "resource": "img-1"})J"));
    CHECK(content[10]["resource"] == "");

    const Json& figure = root["blocks"][1];
    CHECK(keys(figure) == std::vector<std::string>{"type", "lines", "blocks", "caption"});
    CHECK(figure["caption"][1] == Json::parse(R"J({"emph": ["Photo: A. Photographer"]})J"));

    const Json& table = root["blocks"][2];
    CHECK(keys(table) == std::vector<std::string>{"type", "columns", "lines", "caption", "head", "body"});
    CHECK(table["columns"] == Json::parse(R"J(["default", "left", "center", "right"])J"));
    CHECK(table["head"].size() == 1);
    CHECK(table["body"].size() == 3);
    CHECK(table["body"][0][0] == Json::parse(R"J({"rowspan": 2, "blocks": [
        {"type": "paragraph", "content": ["East quay"]}]})J"));
    CHECK(table["body"][1][0]["colspan"] == 3);
    CHECK(!table["body"][0][1].contains("rowspan"));
    CHECK(table["body"][2][0]["blocks"].size() == 2);

    CHECK(root["blocks"][3]["tasks"] == Json::parse(R"J(["open", "done", "none"])J"));
    CHECK(root["resources"] == Json::parse(R"J({"img-1": {"media_type": "image/png", "width": 40,
        "height": 30, "bytes": 8, "fnv1a": ")J" + root["resources"]["img-1"]["fnv1a"].get<std::string>() +
                                           R"J(", "origin": "page_files/quay.png"}})J"));
    CHECK(root["resources"]["img-1"]["fnv1a"].get<std::string>().size() == 16);
}

TEST_CASE("native: resources' hash tells contents apart") {
    Document a = rich_document();
    Document b = rich_document();
    b.resources["img-1"] = std::make_shared<const Resource>(
        Resource{"image/png", std::string("\x89PNG\r\n\x1A\x0B", 8), 40, 30, "page_files/quay.png"});
    Json ja = Json::parse(write(a)), jb = Json::parse(write(b));
    CHECK(ja["resources"]["img-1"]["fnv1a"] != jb["resources"]["img-1"]["fnv1a"]);
}

TEST_CASE("native: golden file of a document with every rich node") {
    check_golden(write(rich_document()), "rich.json");
}
