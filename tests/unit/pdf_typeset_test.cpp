// pdf_typeset_test.cpp: the block-level layout of PDF editions, without making a PDF:
// page breaks (widows, orphans, headings kept with their text), the title block,
// running headers and page numbers, bookmarks, and a book's contents.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/model.hpp"
#include "pdf/print_style.hpp"
#include "pdf/typeset.hpp"

using namespace dconv;
using namespace dconv::pdf;

namespace {

// Made-up metrics: Latin 0.5 em, CJK 1 em; fonts 0-11 are the faces, 12 the CJK fallback.
class FakeFonts final : public FontTable {
public:
    FontId resolve(FontId wanted, char32_t c) const override {
        if (c >= 0xF0000) return -1;  // private use, planes 15 and 16: in no font
        if (text::is_cjk(c) || text::is_cjk_punct(c)) return 12;
        return wanted;
    }
    float advance(FontId, char32_t c) const override {
        return text::is_cjk(c) || text::is_cjk_punct(c) ? 1.0f : 0.5f;
    }
};

FontFaces fake_faces() {
    FontFaces faces;
    for (int i = 0; i < 12; ++i) faces.ids[static_cast<std::size_t>(i)] = i;
    return faces;
}

struct Setup {
    PrintStyle style = load_print_style("default");
    FakeFonts fonts;
    TypesetOptions options() const {
        TypesetOptions o;
        o.style = &style;
        o.fonts = &fonts;
        o.faces = fake_faces();
        return o;
    }
};

// A paragraph of `words` words, each "pN" so that runs tell which paragraph they are.
Block numbered_paragraph(int n, int words) {
    std::string t;
    for (int i = 0; i < words; ++i) t += (i ? " p" : "p") + std::to_string(n);
    return make_paragraph(t);
}

// Paragraph number of a run ("p12" → 12), or -1.
int paragraph_of(const GlyphRun& run) {
    if (run.text.size() < 2 || run.text[0] != 'p') return -1;
    int n = 0;
    for (std::size_t i = 1; i < run.text.size(); ++i) {
        if (run.text[i] < '0' || run.text[i] > '9') break;
        n = n * 10 + (run.text[i] - '0');
    }
    return n;
}

std::string page_text(const Page& page) {
    std::string out;
    for (const GlyphRun& run : page.runs) out += run.text + " ";
    return out;
}

}  // namespace

TEST_CASE("typeset: no paragraph leaves a single line at either side of a page break") {
    Setup setup;
    Document doc;
    // Lengths from 1 to 13 lines, in a pattern that puts breaks at every position.
    for (int n = 0; n < 120; ++n) doc.blocks.push_back(numbered_paragraph(n, 12 + (n * 37) % 150));
    Layout layout = typeset(doc, setup.options());
    REQUIRE(layout.pages.size() > 5);
    // lines of each paragraph on each page (distinct baselines)
    std::map<int, std::map<std::size_t, std::set<float>>> lines;
    for (std::size_t p = 0; p < layout.pages.size(); ++p)
        for (const GlyphRun& run : layout.pages[p].runs)
            if (int n = paragraph_of(run); n >= 0) lines[n][p].insert(run.y);
    int split = 0;
    for (const auto& [n, pages] : lines) {
        if (pages.size() < 2) continue;
        ++split;
        INFO("paragraph " << n);
        for (const auto& [p, ys] : pages) CHECK(ys.size() >= 2);
    }
    CHECK(split > 3);  // the test did exercise breaks inside paragraphs
}

TEST_CASE("typeset: a heading is never the last thing on a page") {
    Setup setup;
    Document doc;
    for (int n = 0; n < 60; ++n) {
        doc.blocks.push_back(make_heading(2, "Section " + std::to_string(n)));
        doc.blocks.push_back(numbered_paragraph(n, 20 + (n * 53) % 120));
    }
    Layout layout = typeset(doc, setup.options());
    REQUIRE(layout.outline.size() == 60);
    for (std::size_t h = 0; h < layout.outline.size(); ++h) {
        const OutlineEntry& entry = layout.outline[h];
        const Page& page = layout.pages[static_cast<std::size_t>(entry.page)];
        // the section's paragraph starts on the heading's page, below it
        bool text_below = false;
        for (const GlyphRun& run : page.runs)
            if (paragraph_of(run) == static_cast<int>(h) && run.y < entry.top) text_below = true;
        INFO("heading " << h << " on page " << entry.page + 1);
        CHECK(text_below);
    }
}

TEST_CASE("typeset: bookmarks mirror the heading tree") {
    Setup setup;
    Document doc;
    doc.meta.title = "The title";
    doc.blocks.push_back(make_heading(1, "One"));
    doc.blocks.push_back(make_paragraph("Text."));
    doc.blocks.push_back(make_heading(2, "One point one"));
    doc.blocks.push_back(make_heading(3, "Deeper"));
    doc.blocks.push_back(make_heading(1, "Two"));
    Layout layout = typeset(doc, setup.options());
    REQUIRE(layout.outline.size() == 4);
    CHECK(layout.outline[0].title == "One");
    CHECK(layout.outline[0].level == 1);
    CHECK(layout.outline[1].level == 2);
    CHECK(layout.outline[2].title == "Deeper");
    CHECK(layout.outline[2].level == 3);
    CHECK(layout.outline[3].level == 1);
    for (const OutlineEntry& e : layout.outline) CHECK(e.page == 0);
    CHECK(layout.outline[0].top > layout.outline[3].top);  // in reading order down the page
}

TEST_CASE("typeset: every page is numbered, and pages after the first have a running header") {
    Setup setup;
    Document doc;
    doc.meta.title = "Running title";
    doc.meta.authors = {"A. Writer"};
    doc.meta.date = "2020-12-11";
    for (int n = 0; n < 40; ++n) doc.blocks.push_back(numbered_paragraph(n, 150));
    Layout layout = typeset(doc, setup.options());
    REQUIRE(layout.pages.size() >= 3);
    for (std::size_t p = 0; p < layout.pages.size(); ++p) {
        const Page& page = layout.pages[p];
        bool numbered = false, header = false;
        for (const GlyphRun& run : page.runs) {
            if (run.text == std::to_string(p + 1) && run.y < setup.style.margin_bottom) numbered = true;
            if (run.y > layout.page_height - setup.style.margin_top && run.text.find("Running") != std::string::npos)
                header = true;
        }
        INFO("page " << p + 1);
        CHECK(numbered);
        CHECK(header == (p > 0));
    }
    std::string first = page_text(layout.pages[0]);
    CHECK(first.find("Running") != std::string::npos);
    CHECK(first.find("2020-12-11") != std::string::npos);
    CHECK(layout.info.title == "Running title");
    CHECK(layout.info.author == "A. Writer");
}

TEST_CASE("typeset: no text runs past the right margin, and justified lines reach it") {
    Setup setup;
    Document doc;
    for (int n = 0; n < 10; ++n) doc.blocks.push_back(numbered_paragraph(n, 90));
    Layout layout = typeset(doc, setup.options());
    const float right = setup.style.margin_left + setup.style.measure();
    std::map<float, float> line_end;  // baseline → rightmost end, first page only
    for (const GlyphRun& run : layout.pages[0].runs) {
        if (paragraph_of(run) < 0) continue;
        float end = run.x + static_cast<float>(text::to_u32(run.text).size()) * 0.5f * run.size;
        CHECK(end <= right + 0.5f);
        line_end[run.y] = std::max(line_end[run.y], end);
    }
    int full = 0;
    for (const auto& [y, end] : line_end) full += end > right - 0.5f;
    CHECK(full >= static_cast<int>(line_end.size()) - 10);  // all but last lines
}

TEST_CASE("typeset: lists hang their markers in the indent, code keeps its lines") {
    Setup setup;
    Document doc;
    List list;
    list.items.push_back({make_paragraph("first item")});
    list.items.push_back({make_paragraph("second item")});
    doc.blocks.push_back(Block{list, {}});
    doc.blocks.push_back(Block{CodeBlock{"", "int main() {\n    return 0;\n}"}, {}});
    Layout layout = typeset(doc, setup.options());
    const Page& page = layout.pages[0];
    float item_x = -1, marker_x = -1, code_return_x = -1, code_main_x = -1;
    for (const GlyphRun& run : page.runs) {
        if (run.text == "first") item_x = run.x;
        if (run.text == "\u2022" && marker_x < 0) marker_x = run.x;
        if (run.text.starts_with("return")) code_return_x = run.x;
        if (run.text.starts_with("int")) code_main_x = run.x;
    }
    REQUIRE(item_x > 0);
    REQUIRE(marker_x > 0);
    CHECK(marker_x < item_x);
    CHECK(item_x > setup.style.margin_left);
    REQUIRE(code_return_x > 0);
    CHECK(code_return_x > code_main_x);  // the indent of "    return 0;" is kept
}

TEST_CASE("typeset: a book has a title page, contents with links, and chapters from new pages") {
    Setup setup;
    Book book;
    book.meta.title = "Collected";
    for (int c = 0; c < 3; ++c) {
        Document d;
        d.meta.title = "Chapter title " + std::to_string(c);
        d.blocks.push_back(make_heading(2, "Part " + std::to_string(c)));
        for (int n = 0; n < 12; ++n) d.blocks.push_back(numbered_paragraph(c * 100 + n, 120));
        book.chapters.push_back(d);
    }
    Layout layout = typeset(book, setup.options());
    REQUIRE(layout.pages.size() >= 5);
    CHECK(page_text(layout.pages[0]).find("Collected") != std::string::npos);
    CHECK(page_text(layout.pages[1]).find("Contents") != std::string::npos);
    // bookmarks: each chapter at level 1, its heading under it
    REQUIRE(layout.outline.size() == 6);
    std::vector<int> chapter_pages;
    for (const OutlineEntry& e : layout.outline)
        if (e.level == 1) chapter_pages.push_back(e.page);
        else CHECK(e.level == 3);  // a chapter's level-2 heading, one level down
    REQUIRE(chapter_pages.size() == 3);
    // each chapter starts a page: the page before holds no text of it
    for (int c = 0; c < 3; ++c) {
        const Page& start = layout.pages[static_cast<std::size_t>(chapter_pages[static_cast<std::size_t>(c)])];
        CHECK(page_text(start).find("Chapter title " + std::to_string(c)) != std::string::npos);
        if (c > 0) CHECK(chapter_pages[static_cast<std::size_t>(c)] > chapter_pages[static_cast<std::size_t>(c - 1)]);
    }
    // the contents link to the chapters and print their page numbers
    const Page& toc = layout.pages[1];
    int internal = 0;
    for (const LinkArea& link : toc.links)
        if (link.uri.empty()) {
            ++internal;
            CHECK(link.dest_page >= 2);
        }
    CHECK(internal == 6);  // three chapters and their sections
    std::string toc_text = page_text(toc);
    CHECK(toc_text.find(std::to_string(chapter_pages[2] + 1)) != std::string::npos);
}

TEST_CASE("typeset: characters beyond U+FFFF are drawn, and those no font has are named") {
    Setup setup;
    Document doc;
    // CJK Extension B (U+20000) and a private-use character of plane 16.
    doc.blocks.push_back(make_paragraph("rare \xF0\xA0\x80\x80 and \xF4\x8F\xBF\xBD end"));
    TypesetReport report;
    Layout layout = typeset(doc, setup.options(), &report);
    CHECK(report.missing_characters.count(0x10FFFD) == 1);
    CHECK(report.missing_characters.count(0x20000) == 0);
    std::string text;
    for (const GlyphRun& run : layout.pages[0].runs) text += run.text;
    CHECK(text.find("\xF0\xA0\x80\x80") != std::string::npos);
}

TEST_CASE("typeset: an empty document is one numbered page") {
    Setup setup;
    Layout layout = typeset(Document{}, setup.options());
    REQUIRE(layout.pages.size() == 1);
    CHECK(layout.outline.empty());
}

TEST_CASE("print styles: built-in styles parse, and errors name the line") {
    for (const StyleInfo& s : builtin_print_styles()) {
        INFO(s.name);
        PrintStyle style = load_print_style(s.name);
        CHECK(style.measure() > 300);
        CHECK(!s.description.empty());
    }
    PrintStyle d = load_print_style("");
    CHECK(d.paper.width == Approx(595.276));
    CHECK(d[Element::body].family == Family::serif);
    CHECK(d[Element::h1].bold);
    CHECK(d[Element::pre].family == Family::mono);
    CHECK(d[Element::blockquote].margin_left > 0);
    CHECK(d[Element::h2].size > d[Element::body].size);

    PrintStyle letter = print_style_for("default", "letter");
    CHECK(letter.paper.width == 612);
    CHECK(parse_paper("150mm 220mm").width == Approx(425.2).epsilon(0.01));
    CHECK_THROWS_AS(parse_paper("napkin"), Error);
    CHECK_THROWS_AS(print_style_for("default", "3in 3in"), Error);

    try {
        parse_print_style("body {\n  font-size: 11pt;\n  colour: red;\n}\n", "mine.css");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.file() == "mine.css");
        CHECK(e.line() == 3);
        CHECK(std::string(e.what()).find("colour") != std::string::npos);
    }
    CHECK_THROWS_AS(parse_print_style("blink { color: #fff }", "x.css"), Error);
    CHECK_THROWS_AS(parse_print_style("body { font-size: huge }", "x.css"), Error);
    CHECK_THROWS_AS(parse_print_style("body { color: #fff", "x.css"), Error);
    CHECK_THROWS_AS(load_print_style("no-such-style"), Error);

    PrintStyle inherit = parse_print_style("body { font-size: 10pt; line-height: 1.5 } h1 { font-size: 20pt }", "x");
    CHECK(inherit[Element::body].leading == Approx(15));
    CHECK(inherit[Element::h1].leading == Approx(30));  // the body's proportion
    CHECK(inherit[Element::h1].margin_top == 0);        // margins are not inherited
}
