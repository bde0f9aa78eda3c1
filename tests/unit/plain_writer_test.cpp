#include <catch2/catch.hpp>

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "dconv/model.hpp"
#include "plain/plain_writer.hpp"

using namespace dconv;

namespace {

std::string write(const Document& doc, int columns) {
    WriteOptions options;
    options.columns = columns;
    return write_plain(doc, options);
}

Document paragraphs(std::initializer_list<std::string> texts, std::string language = "") {
    Document doc;
    doc.meta.language = std::move(language);
    for (const auto& t : texts) doc.blocks.push_back(make_paragraph(t));
    return doc;
}

std::vector<std::string> lines_of(const std::string& out) {
    std::vector<std::string> lines;
    for (auto l : text::split_lines(out)) lines.emplace_back(l);
    return lines;
}

// The text without any white space: what wrapping must preserve exactly.
std::string without_spaces(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n') out += c;
    return out;
}

const std::string kEnglish =
    "The quick brown fox jumps over the lazy dog, and then it runs away into the forest "
    "where nobody, not even the well-known hunter from the village (who has a dog of his "
    "own), will ever find it again. Numbers like 3.14159 and 1,000,000 stay whole.";
const std::string kChinese =
    "今天天气很好，我们去公园散步吧。这是一个测试文本，用来检查换行是否正确。「中文」的网页"
    "经常使用全角标点，例如：逗号、句号和引号（括号也是）。每一行都不能以标点开头。";
const std::string kMixed =
    "在2024年，Unicode 15.1 增加了 627 个汉字；ICU 的 BreakIterator 可以正确地处理中文和 "
    "English words 混排的段落，同时遵守「避头尾」规则。";

// A wrap computed the slow, obvious way: ICU boundaries over the whole text, greedy.
std::vector<std::string> reference_wrap(const std::string& text, std::size_t width) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), status));
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, text.data(), static_cast<int64_t>(text.size()), &status);
    it->setText(&ut, status);
    REQUIRE(U_SUCCESS(status));
    std::vector<std::string> lines;
    std::size_t line_start = 0, line_end = 0, columns = 0, previous = 0;
    for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
        auto boundary = static_cast<std::size_t>(b);
        std::size_t visible_end = boundary;
        while (visible_end > previous && text[visible_end - 1] == ' ') --visible_end;
        std::size_t visible = text::display_width(text.substr(previous, visible_end - previous));
        if (line_end > line_start && columns + visible > width) {
            lines.push_back(text.substr(line_start, line_end - line_start));
            line_start = previous;
            columns = 0;
        }
        columns += visible + (boundary - visible_end);
        if (visible_end > previous) line_end = visible_end;
        previous = boundary;
    }
    if (line_end > line_start) lines.push_back(text.substr(line_start, line_end - line_start));
    utext_close(&ut);
    return lines;
}

// The document of the golden files: every kind of block and inline.
Document sample_document() {
    Document doc;
    doc.meta.title = "A Sample Document";
    doc.meta.subtitle = "Every block the model has, written out";
    doc.meta.authors = {"Ann Author", "Bo Writer"};
    doc.meta.date = "2024-03-01";
    doc.meta.site = "Example News";
    doc.meta.language = "en";
    doc.meta.source = "sample.txt";
    doc.meta.extra["section"] = "Tests";

    doc.blocks.push_back(make_heading(1, "A Sample Document", {1, 1}));  // the title again
    doc.blocks.push_back(make_paragraph(
        Inlines{Text{"A paragraph with "}, Emphasis{{Text{"emphasis"}}}, Text{", "},
                Strong{{Text{"strong text"}}}, Text{", "}, Code{"inline_code()"}, Text{", a "},
                Link{{Text{"link to elsewhere"}}, "https://example.com/a/b", "Example"},
                Text{" and a line break"}, LineBreak{}, Text{"right here, before a long tail "
                                                             "that wraps around the line."}},
        {3, 4}));
    doc.blocks.push_back(make_heading(2, "Lists", {6, 6}));
    List bullets;
    bullets.items.push_back({make_paragraph("A tight bullet item long enough to need a second line.")});
    List nested;
    nested.ordered = true;
    nested.items.push_back({make_paragraph("nested first")});
    nested.items.push_back({make_paragraph("nested second")});
    bullets.items.push_back({make_paragraph("An item with a nested list:"), Block{nested, {10, 11}}});
    doc.blocks.push_back(Block{bullets, {8, 11}});
    List numbered;
    numbered.ordered = true;
    numbered.start = 9;
    numbered.tight = false;
    numbered.items.push_back({make_paragraph("Ninth, in a loose list."),
                              make_paragraph("With a second paragraph in the item.")});
    numbered.items.push_back({make_paragraph("Tenth: the marker is wider.")});
    doc.blocks.push_back(Block{numbered, {13, 17}});
    doc.blocks.push_back(make_heading(3, "Quotes and code", {19, 19}));
    BlockQuote inner;
    inner.children.push_back(make_paragraph("A quote inside the quote."));
    BlockQuote quote;
    quote.children.push_back(make_paragraph(
        "A block quote whose text is long enough to wrap, so that every line gets the marker."));
    quote.children.push_back(Block{inner});
    doc.blocks.push_back(Block{quote, {21, 24}});
    doc.blocks.push_back(Block{CodeBlock{"cpp", "int main() {\n    return 0;\n}"}, {26, 30}});
    doc.blocks.push_back(Block{ThematicBreak{}, {32, 32}});
    doc.blocks.push_back(make_heading(2, "中文段落", {34, 34}));
    doc.blocks.push_back(make_paragraph(kChinese, {36, 36}));
    doc.blocks.push_back(make_paragraph(kMixed));
    return doc;
}

void check_golden(const std::string& name, const std::string& actual) {
    std::string path = std::string(DCONV_SOURCE_DIR) + "/tests/golden/plain/" + name;
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

// --------------------------------------------------------------------------- wrapping

TEST_CASE("plain: no line is wider than the columns") {
    for (const std::string* text : {&kEnglish, &kChinese, &kMixed}) {
        for (int columns : {20, 27, 40, 55, 72}) {
            INFO(columns << " columns: " << *text);
            std::string out = write(paragraphs({*text}), columns);
            for (const auto& line : lines_of(out))
                CHECK(text::display_width(line) <= static_cast<std::size_t>(columns));
            CHECK(without_spaces(out) == without_spaces(*text));
            CHECK(lines_of(out).size() > 1);
        }
    }
}

TEST_CASE("plain: Chinese lines never start with closing punctuation") {
    const std::string forbidden[] = {"，", "。", "、", "」", "）", "：", "；"};
    for (int columns = 8; columns <= 60; ++columns) {
        INFO(columns << " columns");
        std::string out = write(paragraphs({kChinese, kMixed}, "zh"), columns);
        for (const auto& line : lines_of(out))
            for (const auto& p : forbidden) CHECK(line.rfind(p, 0) != 0);
    }
}

TEST_CASE("plain: wrapping matches a greedy fill over ICU's boundaries") {
    // The writer asks ICU only near each line's end, on a window, and answers plain
    // ASCII words itself; a slow reference over the whole text must agree.
    const std::vector<std::string> words = {
        "word", "another", "well-known", "e-mail", "and/or", "(bracketed", "text)", "\"quoted\"",
        "3.14159", "1,000", "$100", "50%", "end.", "Hello,", "wow!", "really?", "中文", "汉字。",
        "「引号」", "（括号）", "日本語の", "ひらがな、", "한국어", "naïve", "café", "😀", "x",
        "state-of-the-art-implementation-with-many-parts", "https://example.com/path/to/page",
        "Donaudampfschifffahrtsgesellschaftskapitän", "(", "[", "\"", "-"};
    std::uint32_t state = 42;
    auto random = [&](std::uint32_t n) {
        state = state * 1664525u + 1013904223u;
        return (state >> 8) % n;
    };
    for (int round = 0; round < 300; ++round) {
        std::string text;
        std::size_t count = 5 + random(40);
        for (std::size_t i = 0; i < count; ++i) {
            if (!text.empty() && random(4) != 0) text += ' ';
            if (!text.empty() && random(10) == 0) text += "  ";
            text += words[random(static_cast<std::uint32_t>(words.size()))];
        }
        std::size_t columns = 10 + random(70);
        INFO(columns << " columns: " << text);
        std::string out = write(paragraphs({text}), static_cast<int>(columns));
        std::vector<std::string> expected = reference_wrap(text, columns);
        CHECK(lines_of(out) == expected);
    }
}

TEST_CASE("plain: a word longer than the line is not split") {
    const std::string word = "Donaudampfschifffahrtsgesellschaftskapitän";
    std::string out = write(paragraphs({"A " + word + " steers the boat."}), 20);
    auto lines = lines_of(out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "A");
    CHECK(lines[1] == word);  // overflows: 42 columns
    CHECK(lines[2] == "steers the boat.");
}

TEST_CASE("plain: columns 0 writes each paragraph on one line") {
    std::string out = write(paragraphs({kEnglish, kChinese}), 0);
    CHECK(out == kEnglish + "\n\n" + kChinese + "\n");
}

TEST_CASE("plain: East Asian wide characters count two columns") {
    // 10 ideographs are 20 columns: they fit 20, not 19.
    std::string ten = "一二三四五六七八九十";
    CHECK(write(paragraphs({ten}), 20) == ten + "\n");
    CHECK(lines_of(write(paragraphs({ten}), 19)).size() == 2);
}

TEST_CASE("plain: no trailing spaces, one final newline") {
    Document doc = paragraphs({"ends with spaces   ", "   starts with spaces", "a    b"});
    std::string out = write(doc, 10);
    for (const auto& line : lines_of(out)) CHECK((line.empty() || line.back() != ' '));
    CHECK(out == "ends with\nspaces\n\nstarts\nwith\nspaces\n\na    b\n");
    CHECK(write(Document{}, 72).empty());
}

// ------------------------------------------------------------------------- the blocks

TEST_CASE("plain: title block") {
    Document doc;
    doc.meta.title = "文档标题 Title";
    doc.meta.subtitle = "A subtitle";
    doc.meta.authors = {"Ann", "Bo"};
    doc.meta.date = "2024-03-01";
    doc.meta.site = "Site";
    doc.blocks.push_back(make_paragraph("Body."));
    CHECK(write(doc, 72) ==
          "文档标题 Title\n"
          "==============\n"
          "A subtitle\n"
          "Ann, Bo · 2024-03-01 · Site\n"
          "\n"
          "Body.\n");
    // Empty fields are left out of the byline; the underline is capped at the columns.
    Document only;
    only.meta.title = "Supercalifragilisticexpialidocious title";
    only.meta.site = "Site";
    CHECK(write(only, 20) ==
          "Supercalifragilisticexpialidocious\n"
          "title\n"
          "====================\n"
          "Site\n");
}

TEST_CASE("plain: a first heading repeating the title is not written twice") {
    Document doc;
    doc.meta.title = "Same";
    doc.blocks.push_back(make_heading(1, "Same"));
    doc.blocks.push_back(make_paragraph("Text."));
    CHECK(write(doc, 72) == "Same\n====\n\nText.\n");
}

TEST_CASE("plain: headings") {
    Document doc;
    doc.blocks.push_back(make_heading(1, "Top"));
    doc.blocks.push_back(make_heading(2, "中文小节"));
    doc.blocks.push_back(make_heading(3, "Third"));
    doc.blocks.push_back(make_heading(6, "Sixth"));
    CHECK(write(doc, 72) == "Top\n===\n\n中文小节\n--------\n\nThird\n\nSixth\n");
}

TEST_CASE("plain: inline markup is dropped, line breaks kept") {
    Document doc;
    doc.blocks.push_back(make_paragraph(
        Inlines{Emphasis{{Text{"em"}}}, Text{" "}, Strong{{Text{"strong"}}}, Text{" "},
                Code{"code"}, Text{" "}, Link{{Text{"link text"}}, "https://example.com", ""},
                LineBreak{}, Text{"next line"}}));
    CHECK(write(doc, 72) == "em strong code link text\nnext line\n");
}

TEST_CASE("plain: lists") {
    Document doc;
    List list;
    list.items.push_back({make_paragraph("one two three four five six")});
    List nested;
    nested.items.push_back({make_paragraph("inner")});
    list.items.push_back({make_paragraph("two"), Block{nested}});
    doc.blocks.push_back(Block{list});
    CHECK(write(doc, 20) ==
          "  * one two three\n"
          "    four five six\n"
          "  * two\n"
          "      * inner\n");

    Document numbered;
    List ordered;
    ordered.ordered = true;
    ordered.start = 9;
    ordered.tight = false;
    ordered.items.push_back({make_paragraph("nine and a hanging indent")});
    ordered.items.push_back({make_paragraph("ten")});
    numbered.blocks.push_back(Block{ordered});
    CHECK(write(numbered, 24) ==
          "   9. nine and a hanging\n"
          "      indent\n"
          "\n"
          "  10. ten\n");
}

TEST_CASE("plain: block quotes") {
    Document doc;
    BlockQuote quote;
    quote.children.push_back(make_paragraph("quoted text that wraps"));
    quote.children.push_back(make_paragraph("second"));
    doc.blocks.push_back(Block{quote});
    CHECK(write(doc, 14) == "> quoted text\n> that wraps\n>\n> second\n");
}

TEST_CASE("plain: code blocks are indented and never wrapped") {
    Document doc;
    std::string long_line = "auto x = a_very_long_function_name(with, many, arguments);";
    doc.blocks.push_back(Block{CodeBlock{"cpp", "if (x) {\n\n  " + long_line + "  \n}"}});
    CHECK(write(doc, 20) == "    if (x) {\n\n      " + long_line + "\n    }\n");
}

TEST_CASE("plain: thematic break is centred") {
    Document doc;
    doc.blocks.push_back(Block{ThematicBreak{}});
    CHECK(write(doc, 21) == "        * * *\n");
    CHECK(write(doc, 0) == std::string(33, ' ') + "* * *\n");
}

TEST_CASE("plain: empty blocks leave no blank lines") {
    Document doc;
    doc.blocks.push_back(make_paragraph("a"));
    doc.blocks.push_back(make_paragraph(""));
    doc.blocks.push_back(Block{List{}});
    doc.blocks.push_back(make_paragraph("b"));
    CHECK(write(doc, 72) == "a\n\nb\n");
}

// ------------------------------------------------------------------------ golden files

TEST_CASE("plain: golden file of a document with every block") {
    check_golden("sample-40.txt", write(sample_document(), 40));
    check_golden("sample-72.txt", write(sample_document(), 72));
}

TEST_CASE("plain: images, struck and raised text, task boxes, notes at the end") {
    Document doc;
    doc.blocks.push_back(make_paragraph(Inlines{
        Strikeout{{Text{"forty"}}}, Text{" sixty H"}, Subscript{{Text{"2"}}}, Text{"O x"},
        Superscript{{Text{"2"}}}, Text{" e"}, Superscript{{Text{"iπ"}}},
        Note{{make_paragraph("First note.")}}, Text{" "}, Image{"a.png", "A quay", "", ""},
        Text{" "}, Image{"b.png", "", "", ""}, Note{{make_paragraph("Second note.")}}}));
    List tasks;
    tasks.items = {{make_paragraph("open")}, {make_paragraph("done")}, {make_paragraph("plain")}};
    tasks.tasks = {TaskState::Open, TaskState::Done, TaskState::None};
    doc.blocks.push_back(Block{tasks});
    CHECK(write(doc, 72) ==
          "~~forty~~ sixty H\u2082O x\u00B2 e^(i\u03C0)[1] [Image: A quay] [Image][2]\n"
          "\n"
          "  * [ ] open\n"
          "  * [x] done\n"
          "  * plain\n"
          "\n"
          "                                 * * *\n"
          "\n"
          "[1] First note.\n"
          "\n"
          "[2] Second note.\n");
}

TEST_CASE("plain: figures, and tables as aligned columns") {
    Document doc;
    doc.blocks.push_back(Block{Figure{{make_paragraph(Inlines{Image{"a.png", "A quay", "", ""}})},
                                      {Text{"The east quay."}}}});
    Table t;
    t.caption = {Text{"Tonnage"}};
    t.columns = {Alignment::Default, Alignment::Right};
    t.head.push_back(TableRow{{TableCell{{make_paragraph("Quay")}}, TableCell{{make_paragraph("2024")}}}});
    t.body.push_back(TableRow{{TableCell{{make_paragraph("East")}}, TableCell{{make_paragraph("141,900")}}}});
    doc.blocks.push_back(Block{t});
    std::string out = write(doc, 72);
    CHECK(out == "[Image: A quay]\n\nThe east quay.\n\nTonnage\nQuay     2024\n----  -------\nEast  141,900\n");
}

namespace {

TableCell text_cell(std::string text, int row_span = 1, int col_span = 1) {
    return TableCell{{make_paragraph(std::move(text))}, row_span, col_span};
}

}  // namespace

TEST_CASE("plain: table columns count East Asian wide characters as two") {
    Table t;
    t.columns = {Alignment::Left, Alignment::Right, Alignment::Center};
    t.head.push_back(TableRow{{text_cell("城市"), text_cell("人口"), text_cell("x")}});
    t.body.push_back(TableRow{{text_cell("上海"), text_cell("24,870,895"), text_cell("abc")}});
    t.body.push_back(TableRow{{text_cell("Ürümqi"), text_cell("4"), text_cell("")}});
    Document doc;
    doc.blocks.push_back(Block{t});
    CHECK(write(doc, 72) ==
          "城市          人口   x\n"
          "------  ----------  ---\n"
          "上海    24,870,895  abc\n"
          "Ürümqi           4\n");
}

TEST_CASE("plain: spans, and a table wider than the text wrapped within its columns") {
    Table t;
    t.columns = {Alignment::Default, Alignment::Default};
    t.head.push_back(TableRow{{text_cell("A"), text_cell("B")}});
    t.body.push_back(TableRow{{text_cell("both columns of this row", 1, 2)}});
    t.body.push_back(TableRow{{text_cell("down", 2), text_cell("x")}});
    t.body.push_back(TableRow{{text_cell("y")}});
    Document doc;
    doc.blocks.push_back(Block{t});
    // The spanning cell widens the last column it spans; "down" spans two rows.
    CHECK(write(doc, 72) ==
          "A     B\n"
          "----  ------------------\n"
          "both columns of this row\n"
          "down  x\n"
          "      y\n");

    Table wide;
    wide.columns = {Alignment::Default, Alignment::Default};
    wide.head.push_back(TableRow{{text_cell("Term"), text_cell("Meaning")}});
    wide.body.push_back(TableRow{{text_cell("quay"), text_cell("a stone or metal platform lying alongside or projecting into water for loading and unloading ships")}});
    Document long_doc;
    long_doc.blocks.push_back(Block{wide});
    std::string out = write(long_doc, 40);
    for (auto line : text::split_lines(out)) CHECK(text::display_width(line) <= 40);
    CHECK(out.rfind("Term  Meaning", 0) == 0);
    CHECK(out.find("quay  a stone or metal platform lying") != std::string::npos);
    CHECK(out.find("\n      alongside or projecting into water") != std::string::npos);
}

// Trial 15: twelve columns of 12-character words at 72 columns set the header and rule
// 8 wide and the cells 12 wide, nothing aligned: a column is never narrower than its
// longest word, which is not cut; the table then overflows the width, its columns aligned.
TEST_CASE("plain: a table whose words do not fit the width overflows it, aligned") {
    Table t;
    TableRow head, body;
    std::string head_line, rule, body_line;
    for (int k = 0; k < 12; ++k) {
        std::string name = "c" + std::to_string(k), word = "WIDEcell00" + std::string(k < 10 ? "0" : "") + std::to_string(k);
        t.columns.push_back(Alignment::Default);
        head.cells.push_back(text_cell(name));
        body.cells.push_back(text_cell(word));
        const char* gap = k > 0 ? "  " : "";
        head_line += gap + name + (k < 11 ? std::string(12 - name.size(), ' ') : "");
        rule += gap + std::string(12, '-');
        body_line += gap + word;
    }
    t.head.push_back(head);
    t.body.push_back(body);
    Document doc;
    doc.blocks.push_back(Block{t});
    CHECK(write(doc, 72) == head_line + "\n" + rule + "\n" + body_line + "\n");
    // A column whose words are short is still wrapped within kMinTableColumn (8).
    Table narrow = t;
    narrow.body[0].cells[0] = text_cell("a b c d e f g h i j k l m n o p q r s t u v w x y z");
    doc.blocks[0] = Block{narrow};
    const std::string wrapped = write(doc, 72);
    for (auto line : text::split_lines(wrapped)) {
        INFO(line);
        CHECK((line.size() <= 8 || line.substr(8, 2) == "  "));
    }
}

// A column's floor, its longest word, is capped so the other columns keep their share:
// one 300-character URL made every row 313 columns wide and squeezed the rest to 8.
TEST_CASE("plain: one very long word widens only its own lines") {
    Table t;
    t.columns = {Alignment::Default, Alignment::Default, Alignment::Default};
    const std::string url = "Https" + std::string(295, 'u');  // one word: no break opportunity
    t.head.push_back(TableRow{{text_cell("Name"), text_cell("Link"), text_cell("Notes")}});
    t.body.push_back(TableRow{{text_cell("one"), text_cell(url), text_cell("short")}});
    t.body.push_back(TableRow{{text_cell("two"), text_cell("a b"),
                                text_cell("the notes of the second row, which are long enough to wrap")}});
    Document doc;
    doc.blocks.push_back(Block{t});
    const std::string out = write(doc, 72);
    for (auto line : text::split_lines(out)) {
        INFO(line);
        if (line.find(url) == std::string_view::npos) CHECK(text::display_width(line) <= 72);
    }
    CHECK(out.find(url) != std::string::npos);  // not cut
}

TEST_CASE("plain: a list in a table cell keeps its items apart, one a line") {
    // Regression: a <ul> in a cell was flattened to "07:00 12:00".
    List times;
    times.items = {{make_paragraph("07:00")}, {make_paragraph("12:00")}};
    List steps;
    steps.ordered = true;
    steps.items = {{make_paragraph("board the ferry at the north pier")}, {make_paragraph("sail")}};
    Table t;
    t.columns = {Alignment::Default, Alignment::Default};
    t.head.push_back(TableRow{{text_cell("Days"), text_cell("Times")}});
    t.body.push_back(TableRow{{text_cell("Mon"), TableCell{{make_paragraph("From:"), Block{times}}}}});
    t.body.push_back(TableRow{{text_cell("Tue"), TableCell{{Block{steps}}}}});
    Document doc;
    doc.blocks.push_back(Block{t});
    CHECK(write(doc, 72) ==
          "Days  Times\n"
          "----  ------------------------------------\n"
          "Mon   From:\n"
          "      * 07:00\n"
          "      * 12:00\n"
          "Tue   1. board the ferry at the north pier\n"
          "      2. sail\n");
    // Narrowed, an item's wrapped lines hang under its text.
    std::string narrow = write(doc, 24);
    CHECK(narrow.find("Tue   1. board the ferry\n         at the north") != std::string::npos);
}

// Trial 13: two images of one figure ran together, "[Image: first][Image: second]".
TEST_CASE("plain: pictures side by side are apart by a space") {
    Document doc;
    Figure figure;
    figure.content.push_back(make_paragraph(Inlines{Image{"a.png", "first of two", "", ""},
                                                    Image{"b.png", "second of two", "", ""}}));
    figure.caption = {Text{"Two photos."}};
    doc.blocks.push_back(Block{figure, {}});
    doc.blocks.push_back(make_paragraph(Inlines{Link{{Image{"c.png", "linked", "", ""}}, "https://example.org/", ""},
                                                Image{"d.png", "", "", ""}, Text{"text"}, Image{"e.png", "e", "", ""}}));
    std::string out = write(doc, 72);
    INFO(out);
    CHECK(out.find("[Image: first of two] [Image: second of two]") != std::string::npos);
    CHECK(out.find("[Image: linked] [Image]text[Image: e]") != std::string::npos);  // text between: as written
}
