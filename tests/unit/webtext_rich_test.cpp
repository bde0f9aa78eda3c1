// webtext_rich_test.cpp: images and pipe tables in web-text dumps: how the segmenter
// reads them (GFM pipe tables: alignments, escaped pipes, ragged rows, what is no
// table), and how the cleaner judges them (a table inside the article stays whole,
// however many numbers it holds; a table among furniture goes).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "dconv/model.hpp"
#include "unit/cpu_clock.hpp"
#include "unit/markdown_test_support.hpp"
#include "webtext/webtext_reader.hpp"

using namespace dconv;

namespace {

std::string segmented(std::string_view text) {
    Diagnostics diag;
    Document doc = segment_webtext(text, diag);
    CHECK(validate(doc).empty());
    std::string out;
    test::describe(doc.blocks, out, 0, false);
    return out;
}

Document cleaned(const std::string& text) {
    Diagnostics diag;
    ReadOptions options;
    options.format = "webtext";
    Document doc = read_document(text, options, diag);  // read, then cleaned
    CHECK(validate(doc).empty());
    return doc;
}

const std::string kProse =
    "The harbour handled more cargo last year than in any year since the trust began keeping records, "
    "and most of the growth came through the rebuilt east quay.\n\n";
const std::string kMoreProse =
    "The trust's chair said the road would be discussed at the next board meeting, and that the money "
    "was there to build it.\n\n";

}  // namespace

TEST_CASE("webtext: a GFM pipe table is a table, with its alignments") {
    CHECK(segmented("| Quay | 2024 | Change |\n|:--|--:|:-:|\n| East | 120,400 | +17.9% |\n") ==
          "Table [] [LRC]\n  head row\n    cell 1x1\n      Para [Str \"Quay\"]\n    cell 1x1\n      Para [Str \"2024\"]\n"
          "    cell 1x1\n      Para [Str \"Change\"]\n  row\n    cell 1x1\n      Para [Str \"East\"]\n"
          "    cell 1x1\n      Para [Str \"120,400\"]\n    cell 1x1\n      Para [Str \"+17.9%\"]\n");
    // no outer pipes; an escaped pipe and one in code stay in their cell; a short row is padded
    CHECK(segmented("a | b\n--- | ---\nx \\| y | `p|q`\nlone\n") ==
          "Table [] [DD]\n  head row\n    cell 1x1\n      Para [Str \"a\"]\n    cell 1x1\n      Para [Str \"b\"]\n"
          "  row\n    cell 1x1\n      Para [Str \"x | y\"]\n    cell 1x1\n      Para [Code \"p|q\"]\n"
          "Para [Str \"lone\"]\n");
}

TEST_CASE("webtext: what is no table stays text") {
    // a setext heading, a delimiter row of another width, a rule after a line with a pipe
    CHECK(segmented("Title\n---\n") == "Header 2 [Str \"Title\"]\n");
    CHECK(segmented("a | b | c\n--- | ---\n") == "Para [Str \"a | b | c\"]\nPara [Str \"--- | ---\"]\n");
    // wider than kMaxTableColumns: read as text, no cell lost
    std::string head, rule;
    for (int i = 0; i < 10000; ++i) {
        head += "| h" + std::to_string(i) + " ";
        rule += "|---";
    }
    std::string out = segmented(head + "|\n" + rule + "|\n");
    CHECK(out.rfind("Para", 0) == 0);
    CHECK(out.find("h9999") != std::string::npos);
}

TEST_CASE("webtext: images are images") {
    CHECK(segmented("![The quay at dawn](img/quay.jpg \"Quay\")\n") ==
          "Para [Image \"The quay at dawn\" \"img/quay.jpg\" \"Quay\" resource=\"\"]\n");
}

TEST_CASE("webtext: strong emphasis over several lines is a strong line each, its markers gone") {
    CHECK(segmented("**Work starts in autumn\nThe crew moves south**\n") ==
          "Para [Strong [Str \"Work starts in autumn\"]]\nPara [Strong [Str \"The crew moves south\"]]\n");
    CHECK(segmented("__One\ntwo\nthree__\n") ==
          "Para [Strong [Str \"One\"]]\nPara [Strong [Str \"two\"]]\nPara [Strong [Str \"three\"]]\n");
    // a line that closes its own, a blank line between, or no closing line: as written
    CHECK(segmented("**Bold** and more\nplain**\n") ==
          "Para [Strong [Str \"Bold\"], Str \" and more\"]\nPara [Str \"plain**\"]\n");
    CHECK(segmented("**Open\n\nclosed**\n") == "Para [Str \"**Open\"]\nPara [Str \"closed**\"]\n");
    CHECK(segmented("**Open\nnever closed\n") == "Para [Str \"**Open\"]\nPara [Str \"never closed\"]\n");
}

TEST_CASE("webtext cleaning: a table inside the article stays whole, one among furniture goes") {
    std::string table = "| Quay | 2024 | 2025 |\n|---|--:|--:|\n| East quay | 120,400 | 141,900 |\n"
                        "| West quay | 98,300 | 97,100 |\n| Ferry berth | 15,200 | 16,800 |\n\n";
    Document doc = cleaned("* [Home](/)\n* [News](/news)\n\n" + kProse + table + kMoreProse + "© 2026 Harbour News\n");
    int tables = 0, paragraphs = 0;
    for (const Block& b : doc.blocks) {
        if (const auto* t = std::get_if<Table>(&b.node)) {
            ++tables;
            CHECK(t->head.size() == 1);
            CHECK(t->body.size() == 3);
        }
        paragraphs += std::holds_alternative<Paragraph>(b.node);
    }
    CHECK(tables == 1);
    CHECK(paragraphs == 2);

    std::string links = "| [Home](/) | [News](/news) |\n|---|---|\n| [Sport](/sport) | [Weather](/weather) |\n\n";
    // however many links and numbers: between the article's paragraphs it stays
    Document inside = cleaned(kProse + "| [Rovers](/r) | [Athletic](/a) |\n|---|---|\n| 31 | 28 |\n\n" + kMoreProse);
    int kept = 0;
    for (const Block& b : inside.blocks) kept += std::holds_alternative<Table>(b.node);
    CHECK(kept == 1);

    CHECK(segmented(links).rfind("Table", 0) == 0);  // a table before cleaning
    Document furniture = cleaned(links + kProse + kMoreProse + "© 2026 Harbour News\n");
    for (const Block& b : furniture.blocks) CHECK_FALSE(std::holds_alternative<Table>(b.node));
}

// Trial 13: each row of a table kept whole had its own note ("a row of a data table kept
// whole, overruling: repeated 12 times on the page", twelve times); the rows of one table
// have one now, on the first row, spanning the rows' lines.
// (clean::TableRowNotes: the wording the HTML cleaner gives its table notes too)
TEST_CASE("webtext cleaning: --explain gives the rows of a table kept whole one note") {
    std::string table = "| Berth | Crossings |\n|---|---|\n";
    for (int i = 0; i < 12; ++i) table += "| Berth " + std::to_string(i) + " | " + std::to_string(100 + 7 * i) + " |\n";
    Diagnostics diag;
    ReadOptions options;
    options.format = "webtext";
    Document doc = read_document(kProse + table + "\n" + kMoreProse + "© 2026 Harbour News\n", options, diag);
    int tables = 0;
    for (const Block& b : doc.blocks) tables += std::holds_alternative<Table>(b.node);
    CHECK(tables == 1);
    std::vector<const Diagnostic*> rows;
    for (const Diagnostic& d : diag.items())
        if (d.reason.find("a row of a data table kept whole") != std::string::npos) rows.push_back(&d);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]->reason.find("(the first of 12 notes on this table's rows; the table stays whole)") != std::string::npos);
    CHECK(rows[0]->last_line > rows[0]->first_line);
}

TEST_CASE("webtext: a table of 100,000 rows is read and cleaned in linear time") {
    auto seconds = [&](int rows) {
        std::string text = kProse + "| n | square |\n|---|---|\n";
        for (int i = 0; i < rows; ++i) text += "| " + std::to_string(i) + " | " + std::to_string(static_cast<long long>(i) * i) + " |\n";
        text += "\n" + kMoreProse;
        Document doc;
        double s = dconv::test::cpu_seconds_of([&] { doc = cleaned(text); });
        std::size_t body = 0;
        for (const Block& b : doc.blocks)
            if (const auto* t = std::get_if<Table>(&b.node)) body = t->body.size();
        CHECK(body == static_cast<std::size_t>(rows));
        return s;
    };
    double small = seconds(10000);
    double large = seconds(100000);
    CHECK(large < 30 * std::max(small, 0.01));
}
