// rich_article_test.cpp: issue 12's saved article (tests/data/rich/article.html: a site
// header, nav, breadcrumbs, three images, two of them in figures with captions, a data
// table with a caption and three body rows, <s>, <sub>, two footnotes, related stories,
// share links, a footer) converted by the dconv command to md and native. The native
// dump is read back as JSON and counted; the Markdown is searched.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kBinary = DCONV_BINARY_DIR "/dconv";
const fs::path kArticle = fs::path(DCONV_SOURCE_DIR) / "tests/data/rich/article.html";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Counts {
    int images = 0, figures = 0, notes = 0, strikeouts = 0, subscripts = 0, tables = 0;
    std::vector<std::string> captions;
    const json* table = nullptr;
    std::string text;  // every string in the tree, space-separated
};

void walk(const json& node, Counts& c) {
    if (node.is_string()) {
        c.text += node.get<std::string>() + ' ';
        return;
    }
    if (node.is_array()) {
        for (const json& child : node) walk(child, c);
        return;
    }
    if (!node.is_object()) return;
    if (node.contains("image")) ++c.images;
    if (node.contains("note")) ++c.notes;
    if (node.contains("strike")) ++c.strikeouts;
    if (node.contains("sub")) ++c.subscripts;
    if (node.value("type", "") == "figure") {
        ++c.figures;
        std::string caption;
        for (const json& part : node["caption"])
            if (part.is_string()) caption += part.get<std::string>();
        c.captions.push_back(caption);
    }
    if (node.value("type", "") == "table") {
        ++c.tables;
        c.table = &node;
    }
    for (const auto& [key, value] : node.items())
        if (key != "lines" && key != "type" && key != "columns") walk(value, c);
}

// The text of a native table cell.
std::string cell_text(const json& cell) {
    Counts c;
    walk(cell["blocks"], c);
    while (!c.text.empty() && c.text.back() == ' ') c.text.pop_back();
    return c.text;
}

}  // namespace

TEST_CASE("rich article: images, figures, a data table, footnotes and inline marks survive, furniture does not") {
    REQUIRE(fs::exists(kArticle));
    fs::path out = fs::temp_directory_path() / ("dconv-rich-" + std::to_string(::getpid()));
    fs::remove_all(out);
    std::string command = "'" + kBinary + "' -q --to md,native -o '" + out.string() + "' '" + kArticle.string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    std::string md = read_file(out / "article.md");
    json native = json::parse(read_file(out / "article.json"));
    fs::remove_all(out);

    Counts c;
    walk(native["blocks"], c);
    CHECK(c.images == 3);
    CHECK(c.figures == 2);
    REQUIRE(c.captions.size() == 2);
    CHECK(c.captions[0] == "The east quay at dawn, a week after it opened to container ships. Photo: Jonas Berg");
    CHECK(c.captions[1] == "One of the two cranes delivered in January. Photo: Harbour Trust");
    CHECK(c.notes == 2);
    // the three files of article_files/ found beside the page and loaded
    REQUIRE(native.contains("resources"));
    std::vector<std::string> types;
    for (const auto& [key, resource] : native["resources"].items()) types.push_back(resource.value("media_type", ""));
    std::sort(types.begin(), types.end());
    CHECK(types == std::vector<std::string>{"image/gif", "image/jpeg", "image/png"});
    CHECK(c.strikeouts == 1);
    CHECK(c.subscripts == 1);

    // the data table: a caption, one head row, three body rows of four cells, aligned
    REQUIRE(c.tables == 1);
    const json& table = *c.table;
    CHECK(table["caption"] == json::array({"Cargo handled, in tonnes"}));
    CHECK(table["columns"] == json::array({"default", "right", "right", "right"}));
    REQUIRE(table["head"].size() == 1);
    REQUIRE(table["body"].size() == 3);
    const char* rows[3][4] = {{"East quay", "120,400", "141,900", "+17.9%"},
                              {"West quay", "98,300", "97,100", "−1.2%"},
                              {"Ferry berth", "15,200", "16,800", "+10.5%"}};
    for (int r = 0; r < 3; ++r) {
        REQUIRE(table["body"][r].size() == 4);
        for (int k = 0; k < 4; ++k) CHECK(cell_text(table["body"][r][k]) == rows[r][k]);
    }

    // the Markdown: each data row on a line of its own, cells in order (a GFM row or,
    // before the GFM table writer, a line of cells), the images, both notes, the strike
    for (const auto& row : rows) {
        bool found = false;
        std::istringstream lines(md);
        for (std::string line; std::getline(lines, line) && !found;) {
            std::size_t at = 0;
            found = true;
            for (const char* cell : row) {
                at = line.find(cell, at);
                if (at == std::string::npos) {
                    found = false;
                    break;
                }
            }
        }
        CHECK(found);
    }
    // The images stay where the page keeps them: written from the output's folder, which
    // is not the page's, their paths reach the page's files.
    const std::string files = fs::relative(kArticle.parent_path(), out).generic_string() + "/article_files/";
    CHECK(md.find("![The east quay at dawn, three cranes over the water](" + files + "quay.png)") != std::string::npos);
    CHECK(md.find("](" + files + "crane.jpg)") != std::string::npos);
    CHECK(md.find("](" + files + "map.gif)") != std::string::npos);
    CHECK(md.find("~~forty~~ sixty") != std::string::npos);
    CHECK(md.find("[^1]: The ten-year target") != std::string::npos);
    CHECK(md.find("[^2]: Shore power") != std::string::npos);
    CHECK(md.find("↩") == std::string::npos);  // back links dropped

    // no furniture: header, nav, breadcrumbs, share links, related stories, footer, pixel
    for (const char* furniture : {"Weather", "Business", "Home ›", "Share", "Email", "Print", "Related stories",
                                  "Ferry timetable changes", "All rights reserved", "Privacy", "pixel.gif",
                                  "logo.png", "quay-small.webp", "By Mara Lindqvist"}) {
        INFO(furniture);
        CHECK(md.find(furniture) == std::string::npos);
        CHECK(c.text.find(furniture) == std::string::npos);
    }
}

TEST_CASE("rich article: in a batch, an image on three pages or more is the site's and goes, each page's own stays") {
    fs::path dir = fs::temp_directory_path() / ("dconv-rich-batch-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "in");
    const char* topics[] = {"river", "harbour", "forest"};
    for (int k = 0; k < 3; ++k) {
        std::string t = topics[k];
        std::ofstream(dir / "in" / (t + ".html"))
            << "<html><head><title>On the " << t << "</title></head><body><article><h1>On the " << t << "</h1>"
            << "<p><img src=\"shared/portrait.jpg\" alt=\"Our columnist\"> A column by the editor.</p>"
            << "<p>The " << t << " keeps its course through the valley, and the people who live beside it "
            << "have learned, over many years, when it will rise and when it will fall again.</p>"
            << "<figure><img src=\"img/" << t << ".jpg\" alt=\"A view of the " << t << "\">"
            << "<figcaption>The " << t << " in spring.</figcaption></figure>"
            << "<p>Every spring the water comes up to the third step of the " << t
            << " stairs, and the boats are moved, and nobody minds much.</p></article></body></html>";
    }
    std::string command = "'" + kBinary + "' -q --to md -o '" + (dir / "out").string() + "' '" + (dir / "in").string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    for (const char* topic : topics) {
        std::string md = read_file(dir / "out" / (std::string(topic) + ".md"));
        INFO(topic << ":\n" << md);
        CHECK(md.find("shared/portrait.jpg") == std::string::npos);
        CHECK(md.find("](img/" + std::string(topic) + ".jpg)") != std::string::npos);
        CHECK(md.find("A column by the editor.") != std::string::npos);
    }
    fs::remove_all(dir);
}
