// rich_lists_test.cpp: definition lists and ordered lists' numbering, from HTML to every
// writer.
//
// The HTML reader's mapping (<dl>/<dt>/<dd>, <ol type start reversed>) onto the model;
// the writers' output of one fixture document with every kind, compared with golden
// files (tests/golden/lists/: Markdown, plain text, the HTML page's body, the native
// dump); the PDF read back with pdftotext (markers a. IV. 3., terms, definitions),
// pdffonts (the terms' bold face) and qpdf --check; the EPUB through epubcheck. Then
// hostile definition lists: nested ten thousand deep, without terms, of a hundred
// thousand entries: no crash, in bounded time and output.
#include <catch2/catch.hpp>

#include "support/capture.hpp"

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "dconv/convert.hpp"
#include "dconv/model.hpp"
#include "html/html_reader.hpp"
#include "support/test_files.hpp"
#include "unit/epub_test_support.hpp"

using namespace dconv;
namespace fs = std::filesystem;

namespace {

Document read(std::string_view html) {
    Diagnostics diag;
    ReadOptions options;
    options.clean = Cleaning::off;
    return read_html(std::string(html), options, diag);
}

Block block(BlockNode node) { return Block{std::move(node), {}}; }
Blocks paragraph(const std::string& text) { return {make_paragraph(text)}; }

List ordered(NumberStyle style, int start, bool reversed, std::vector<std::string> items) {
    List l;
    l.ordered = true;
    l.style = style;
    l.start = start;
    l.reversed = reversed;
    for (const std::string& item : items) l.items.push_back(paragraph(item));
    return l;
}

// The fixture of the golden files: every numbering style, a start, counting down, and a
// definition list with one term, two terms, two definitions, blocks in a definition and
// a term without one.
Document lists_document() {
    Document doc;
    doc.meta.title = "Lists";
    doc.meta.language = "en";
    doc.blocks.push_back(make_paragraph("Steps:"));
    doc.blocks.push_back(block(ordered(NumberStyle::LowerAlpha, 1, false, {"first", "second", "third"})));
    doc.blocks.push_back(make_paragraph("Chapters:"));
    doc.blocks.push_back(block(ordered(NumberStyle::UpperRoman, 4, false, {"fourth", "fifth"})));
    doc.blocks.push_back(make_paragraph("Countdown:"));
    doc.blocks.push_back(block(ordered(NumberStyle::Decimal, 3, true, {"three", "two", "one"})));
    doc.blocks.push_back(make_paragraph("Down past one:"));
    doc.blocks.push_back(block(ordered(NumberStyle::LowerRoman, 2, true, {"second", "first", "none"})));
    doc.blocks.push_back(make_paragraph("Plain:"));
    doc.blocks.push_back(block(ordered(NumberStyle::Decimal, 7, false, {"seven", "eight"})));
    DefinitionList d;
    d.items.push_back({{{Text{"Harbour"}}}, {paragraph("A sheltered body of water where ships moor.")}});
    d.items.push_back({{{Text{"Quay"}}, {Text{"Wharf"}}},
                       {paragraph("A platform along the water for loading ships."),
                        {make_paragraph(Inlines{Text{"Also a "}, Emphasis{{Text{"pier"}}}, Text{", loosely."}})}}});
    List kinds;
    kinds.items = {paragraph("rubble"), paragraph("concrete caissons")};
    Blocks mole{make_paragraph("A breakwater, built of:"), block(kinds)};
    d.items.push_back({{{Text{"Mole"}}}, {mole}});
    d.items.push_back({{{Text{"Roads"}}}, {}});
    doc.blocks.push_back(block(d));
    doc.blocks.push_back(make_paragraph("The end."));
    REQUIRE(validate(doc).empty());
    return doc;
}

std::string write(const Document& doc, std::string_view format) {
    WriteOptions options;
    options.source_date_epoch = 0;
    return write_document(doc, format, options);
}

void check_golden(const std::string& name, const std::string& actual) {
    std::string path = std::string(DCONV_SOURCE_DIR) + "/tests/golden/lists/" + name;
    const char* update = std::getenv("DCONV_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        WARN("updated " << path);
        return;
    }
    INFO("golden file " << path << " (regenerate with DCONV_UPDATE_GOLDEN=1)");
    std::string expected = testing::slurp(path);
    REQUIRE(!expected.empty());
    CHECK(actual == expected);
}

std::string body_of(const std::string& page) {
    std::size_t from = page.find("<body");
    std::size_t to = page.find("</body>");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    return page.substr(from, to + 7 - from) + "\n";
}

using dconv::testing::capture;

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

// ------------------------------------------------------------------ the HTML reader

TEST_CASE("lists: <ol> keeps its start, its numbering style and its counting down") {
    Document doc = read(R"(<body>
<ol type="a" start="3"><li>c</li><li>d</li></ol>
<p>x</p>
<ol type="I"><li>one</li></ol>
<p>x</p>
<ol reversed><li>three</li><li>two</li><li>one</li></ol>
<p>x</p>
<ol reversed start="10" type="i"><li>ten</li></ol>
<p>x</p>
<ol type="square"><li>decimal</li></ol>
<p>x</p>
<ul type="a"><li>bullet</li></ul>
</body>)");
    std::vector<const List*> lists;
    for (const Block& b : doc.blocks)
        if (const auto* l = std::get_if<List>(&b.node)) lists.push_back(l);
    REQUIRE(lists.size() == 6);
    CHECK(lists[0]->style == NumberStyle::LowerAlpha);
    CHECK(lists[0]->start == 3);
    CHECK(!lists[0]->reversed);
    CHECK(lists[1]->style == NumberStyle::UpperRoman);
    CHECK(lists[1]->start == 1);
    CHECK(lists[2]->reversed);
    CHECK(lists[2]->start == 3);  // reversed without start: the number of items
    CHECK(lists[2]->style == NumberStyle::Decimal);
    CHECK(lists[3]->reversed);
    CHECK(lists[3]->start == 10);
    CHECK(lists[3]->style == NumberStyle::LowerRoman);
    CHECK(lists[4]->style == NumberStyle::Decimal);  // not a numbering type
    CHECK(!lists[5]->ordered);
    CHECK(lists[5]->style == NumberStyle::Decimal);
}

TEST_CASE("lists: list_number writes every style, and decimal where a style cannot") {
    CHECK(list_number(3, NumberStyle::Decimal) == "3");
    CHECK(list_number(1, NumberStyle::LowerAlpha) == "a");
    CHECK(list_number(26, NumberStyle::UpperAlpha) == "Z");
    CHECK(list_number(27, NumberStyle::LowerAlpha) == "aa");
    CHECK(list_number(703, NumberStyle::LowerAlpha) == "aaa");
    CHECK(list_number(4, NumberStyle::LowerRoman) == "iv");
    CHECK(list_number(1994, NumberStyle::UpperRoman) == "MCMXCIV");
    CHECK(list_number(3999, NumberStyle::UpperRoman) == "MMMCMXCIX");
    CHECK(list_number(4000, NumberStyle::UpperRoman) == "4000");
    CHECK(list_number(0, NumberStyle::LowerAlpha) == "0");
    CHECK(list_number(-2, NumberStyle::LowerRoman) == "-2");
    CHECK(list_number(999'999'999, NumberStyle::LowerAlpha) == "cfdgsxk");
}

TEST_CASE("lists: <dl> is a definition list of terms and definitions") {
    Document doc = read(R"(<body>
<dl>
  <dt>Harbour</dt><dd>A sheltered <em>body</em> of water.</dd>
  <dt>Quay</dt><dt>Wharf</dt><dd>A platform.</dd><dd><p>One.</p><p>Two.</p></dd>
  <div><dt>Mole</dt><dd>A breakwater.</dd></div>
  <dt>Roads</dt>
</dl>
</body>)");
    REQUIRE(doc.blocks.size() == 1);
    const auto* d = std::get_if<DefinitionList>(&doc.blocks[0].node);
    REQUIRE(d);
    REQUIRE(d->items.size() == 4);
    CHECK(d->items[0].terms == std::vector<Inlines>{{Text{"Harbour"}}});
    REQUIRE(d->items[0].definitions.size() == 1);
    CHECK(d->items[0].definitions[0] ==
          Blocks{make_paragraph(Inlines{Text{"A sheltered "}, Emphasis{{Text{"body"}}}, Text{" of water."}})});
    CHECK(d->items[1].terms == std::vector<Inlines>{{Text{"Quay"}}, {Text{"Wharf"}}});
    REQUIRE(d->items[1].definitions.size() == 2);
    CHECK(d->items[1].definitions[1] == Blocks{make_paragraph("One."), make_paragraph("Two.")});
    CHECK(d->items[2].terms == std::vector<Inlines>{{Text{"Mole"}}});  // through a <div> wrapper
    CHECK(d->items[3].terms == std::vector<Inlines>{{Text{"Roads"}}});
    CHECK(d->items[3].definitions.empty());
    CHECK(validate(doc).empty());
}

TEST_CASE("lists: a <dl> without terms, and definitions before the first term, stay paragraphs") {
    Document none = read("<body><dl><dd>First.</dd><dd>Second.</dd></dl></body>");
    CHECK(none.blocks == Blocks{make_paragraph("First."), make_paragraph("Second.")});

    Document early = read("<body><dl><dd>Loose.</dd><dt>Term</dt><dd>Its definition.</dd></dl></body>");
    REQUIRE(early.blocks.size() == 2);
    CHECK(early.blocks[0] == make_paragraph("Loose."));
    const auto* d = std::get_if<DefinitionList>(&early.blocks[1].node);
    REQUIRE(d);
    CHECK(d->items.size() == 1);
    CHECK(validate(early).empty());
}

TEST_CASE("lists: an empty <dd> keeps its term's entry apart from the next term's") {
    Document doc = read("<body><dl><dt>A</dt><dd></dd><dt>B</dt><dd>ok</dd></dl></body>");
    REQUIRE(doc.blocks.size() == 1);
    const auto* d = std::get_if<DefinitionList>(&doc.blocks[0].node);
    REQUIRE(d);
    REQUIRE(d->items.size() == 2);
    CHECK(d->items[0].terms == std::vector<Inlines>{{Text{"A"}}});
    CHECK(d->items[0].definitions.empty());
    CHECK(d->items[1].terms == std::vector<Inlines>{{Text{"B"}}});
    CHECK(d->items[1].definitions == std::vector<Blocks>{{make_paragraph("ok")}});
    CHECK(validate(doc).empty());
    // an empty <dd> after a definition adds nothing; two terms before one still share it
    Document more = read("<body><dl><dt>A</dt><dd>x</dd><dd></dd><dt>B</dt><dt>C</dt><dd>y</dd></dl></body>");
    REQUIRE(more.blocks.size() == 1);
    d = std::get_if<DefinitionList>(&more.blocks[0].node);
    REQUIRE(d);
    REQUIRE(d->items.size() == 2);
    CHECK(d->items[0].definitions.size() == 1);
    CHECK(d->items[1].terms.size() == 2);
}

// ------------------------------------------------------------------------ the writers

TEST_CASE("lists: golden files of Markdown, plain text, the HTML page and the native dump") {
    Document doc = lists_document();
    check_golden("lists.md", write(doc, "md"));
    check_golden("lists.txt", write(doc, "txt"));
    check_golden("lists.html", body_of(write(doc, "html")));
    check_golden("lists.json", write(doc, "native"));
}

TEST_CASE("lists: the HTML page writes <ol type start reversed> and <dl>") {
    std::string html = write(lists_document(), "html");
    CHECK(html.find("<ol type=\"a\">") != std::string::npos);
    CHECK(html.find("<ol start=\"4\" type=\"I\">") != std::string::npos);
    CHECK(html.find("<ol start=\"3\" reversed=\"reversed\">") != std::string::npos);
    CHECK(html.find("<ol start=\"7\">") != std::string::npos);
    CHECK(html.find("<dt>Quay</dt>\n<dt>Wharf</dt>") != std::string::npos);
    CHECK(html.find("<dd>A sheltered body of water where ships moor.</dd>") != std::string::npos);
}

TEST_CASE("lists: the PDF shows the markers in their style, the terms in bold, the definitions") {
    fs::path dir = testing::fresh_dir("lists-pdf");
    fs::path pdf = dir / "lists.pdf";
    std::ofstream(pdf, std::ios::binary) << write(lists_document(), "pdf");
    int status = 0;
    std::string check = capture("qpdf --check '" + pdf.string() + "' 2>&1", &status);
    INFO(check);
    CHECK(status == 0);
    CHECK(check.find("WARNING") == std::string::npos);

    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -", &status);
    INFO(text);
    REQUIRE(status == 0);
    for (const char* line : {"a. first", "b. second", "c. third", "IV. fourth", "V. fifth", "3. three", "2. two",
                             "1. one", "ii. second", "i. first", "0. none", "7. seven", "8. eight"}) {
        INFO(line);
        CHECK(text.find(line) != std::string::npos);
    }
    // each term on a line of its own, its definition on the next, indented
    for (const char* term : {"Harbour", "Quay", "Wharf", "Mole", "Roads"}) {
        INFO(term);
        CHECK(std::regex_search(text, std::regex(std::string("\n *") + term + " *\n")));
    }
    CHECK(std::regex_search(text, std::regex("Harbour *\n +A sheltered body of water")));
    std::string fonts = capture("pdffonts '" + pdf.string() + "'");
    CHECK(fonts.find("Bold") != std::string::npos);  // the terms
}

TEST_CASE("lists: the PDF sets a marker longer than its indent whole, on the page") {
    Document doc = read(R"(<body><ol type="I" start="3888"><li>Long</li><li>Next</li></ol>
<ol start="123456789"><li>Big</li></ol></body>)");
    fs::path dir = testing::fresh_dir("lists-pdf-long-markers");
    fs::path pdf = dir / "markers.pdf";
    std::ofstream(pdf, std::ios::binary) << write(doc, "pdf");
    int status = 0;
    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -", &status);
    INFO(text);
    REQUIRE(status == 0);
    CHECK(std::regex_search(text, std::regex(R"(MMMDCCCLXXXVIII\. +Long)")));
    CHECK(std::regex_search(text, std::regex(R"(MMMDCCCLXXXIX\. +Next)")));
    CHECK(std::regex_search(text, std::regex(R"(123456789\. +Big)")));
    // every word on the page
    std::string boxes = capture("pdftotext -bbox '" + pdf.string() + "' -", &status);
    REQUIRE(status == 0);
    std::smatch page;
    REQUIRE(std::regex_search(boxes, page, std::regex(R"re(<page width="([0-9.]+)")re")));
    const double width = std::stod(page[1]);
    std::regex word(R"re(<word xMin="([0-9.-]+)" yMin="[0-9.-]+" xMax="([0-9.-]+)")re");
    int words = 0;
    for (auto it = std::sregex_iterator(boxes.begin(), boxes.end(), word); it != std::sregex_iterator(); ++it, ++words) {
        CHECK(std::stod((*it)[1]) >= 0);
        CHECK(std::stod((*it)[2]) <= width);
    }
    CHECK(words >= 6);
}

TEST_CASE("lists: the EPUB with definition lists and styled lists passes epubcheck") {
    std::string missing = test::epubcheck_missing();
    INFO(missing);
    REQUIRE(missing.empty());
    fs::path dir = testing::fresh_dir("lists-epub");
    fs::path epub = dir / "lists.epub";
    std::ofstream(epub, std::ios::binary) << write(lists_document(), "epub");
    for (const test::EpubcheckResult& r : test::epubcheck_all({epub})) {
        INFO(r.output);
        CHECK(r.fatals == 0);
        CHECK(r.errors == 0);
        CHECK(r.warnings == 0);
    }
}

// -------------------------------------------------------------------- hostile input

TEST_CASE("lists: ten thousand nested definition lists: no crash, bounded time and output") {
    std::string html = "<body>" + repeat("<dl><dt>t</dt><dd>", 10000) + "deep" + "</body>";
    auto start = std::chrono::steady_clock::now();
    Document doc = read(html);
    CHECK(validate(doc).empty());
    for (const char* format : {"md", "txt", "html", "native", "pdf", "epub"}) {
        std::string out = write(doc, format);
        INFO(format);
        CHECK(!out.empty());
        // linear in the input: the native dump indents by depth, which the reader caps
        // (kMaxContainerNesting: deeper lists read as their blocks)
        CHECK(out.size() < 100 * html.size());
    }
    CHECK(seconds_since(start) < 60);
}

TEST_CASE("lists: a definition list of a hundred thousand entries is read and written in bounded time") {
    std::string html = "<body><dl>" + repeat("<dt>Term</dt><dd>Its definition, a few words long.</dd>", 100'000) +
                       "</dl></body>";
    auto start = std::chrono::steady_clock::now();
    Document doc = read(html);
    REQUIRE(doc.blocks.size() == 1);
    REQUIRE(std::get<DefinitionList>(doc.blocks[0].node).items.size() == 100'000);
    for (const char* format : {"md", "txt", "html", "native"}) {
        std::string out = write(doc, format);
        INFO(format);
        CHECK(out.size() < 10 * html.size());
    }
    CHECK(seconds_since(start) < 60);
}
