// pdf_rich_test.cpp: images, figures, tables, footnotes and inline decorations in PDF.
//
// Two levels. The layout (pdf::typeset with the system fonts, no PDF made) is checked
// for geometry: an image taller than the page fits the text block with its aspect kept;
// a figure reaching the page's foot moves whole to the next page; a table wider than the
// page is set smaller and stays inside the margins; a 500-row table repeats its header
// on every page, in time linear in its rows; a footnote sits at the foot of the page of
// its marker, and a note too long for one page continues on the next; struck text has a
// line through it, superscripts are raised and smaller.
// Then real files, read back with the tools people check PDFs with: qpdf --check,
// pdfimages -list (the images embedded: JPEG as DCT, PNG, GIF converted), pdftotext
// -layout (a table's rows as aligned columns, captions, footnote texts), pdftotext
// -bbox (no word beyond the page's right margin); and issue 12's saved article
// (tests/data/rich/article.html) through the command. The tools come from tools/setup.sh.
#include <catch2/catch.hpp>

#include "support/capture.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <sys/wait.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "dconv/book.hpp"
#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
#include "pdf/fonts.hpp"
#include "pdf/print_style.hpp"
#include "pdf/typeset.hpp"
#include "support/test_files.hpp"
#include "unit/cpu_clock.hpp"

namespace fs = std::filesystem;
using namespace dconv;

namespace {

const fs::path kImages = fs::path(DCONV_SOURCE_DIR) / "tests/data/rich";

using dconv::testing::capture;

void require_tools() {
    for (const char* tool : {"qpdf", "pdfimages", "pdftotext"}) {
        int status = 0;
        capture(std::string("command -v ") + tool + " >/dev/null 2>&1", &status);
        INFO(tool << " is missing: run tools/setup.sh (packages qpdf, poppler-utils)");
        REQUIRE(status == 0);
    }
}

// A resource from a fixture file, as the resources pass would load it.
std::shared_ptr<const Resource> load(const std::string& name, const std::string& media_type, int width, int height) {
    auto r = std::make_shared<Resource>();
    r->media_type = media_type;
    r->bytes = testing::slurp(kImages / name);
    REQUIRE(!r->bytes.empty());
    r->width = width;
    r->height = height;
    r->origin = name;
    return r;
}

Inline image(Document& doc, const std::string& name, const std::string& media_type, int w, int h,
             const std::string& alt) {
    doc.resources[name] = load(name, media_type, w, h);
    return Image{name, alt, "", name};
}

Block block(BlockNode node) { return Block{std::move(node), {}}; }

Blocks paragraph_blocks(const std::string& text) { return {make_paragraph(text)}; }

TableCell cell(const std::string& text) { return TableCell{paragraph_blocks(text)}; }

TableRow row(const std::vector<std::string>& texts) {
    TableRow r;
    for (const std::string& t : texts) r.cells.push_back(cell(t));
    return r;
}

Table quay_table() {
    Table t;
    t.caption = {Text{"Freight by quay, tonnes"}};
    t.columns = {Alignment::Left, Alignment::Right, Alignment::Right, Alignment::Right};
    t.head = {row({"Quay", "2025", "2026", "Change"})};
    t.body = {row({"East quay", "120,400", "141,900", "+17.9%"}), row({"West quay", "98,200", "101,300", "+3.2%"}),
              row({"North mole", "45,000", "43,100", "-4.2%"})};
    return t;
}

std::string filler(int words) {
    std::string t;
    for (int i = 0; i < words; ++i) t += i ? " harbour" : "The harbour";
    return t + ".";
}

// The article of the issue's "done when", as a reader would give it.
Document article() {
    Document doc;
    doc.meta.title = "The harbour in numbers";
    doc.meta.language = "en";
    doc.meta.authors = {"Port Authority Desk"};
    Inlines first{Text{"The harbour had a good year, and the old "}, Strikeout{{Text{"forty"}}},
                  Text{" sixty berths are all in use."},
                  Note{{make_paragraph("Counted at the end of October by the harbour master.")}},
                  Text{" Its water is H"}, Subscript{{Text{"2"}}}, Text{"O and its area 3 km"},
                  Superscript{{Text{"2"}}}, Text{"."}};
    doc.blocks.push_back(make_paragraph(first));
    doc.blocks.push_back(block(Figure{{make_paragraph(Inlines{image(doc, "print-harbour.jpg", "image/jpeg", 800, 500,
                                                                     "The east quay at dusk")})},
                                      {Text{"The east quay at dusk, looking north. Photo: harbour archive."}}}));
    doc.blocks.push_back(make_paragraph(
        "Three quays carried more than the year before. The east quay, rebuilt in 2024 with two new cranes, "
        "took the bulk of the growth; the west quay held its own on timber and grain; only the north mole, "
        "the oldest of them, lost ground. The harbour master puts the difference down to the depth of the "
        "east basin, dredged last spring, which now takes ships that used to anchor in the roads and wait "
        "for the tide."));
    doc.blocks.push_back(block(quay_table()));
    doc.blocks.push_back(make_paragraph(
        Inlines{Text{"The north mole lost freight to the new terminal."},
                Note{{make_paragraph("The terminal opened in March 2026 and took most container traffic.")}}}));
    doc.blocks.push_back(make_paragraph(Inlines{image(doc, "print-badge.gif", "image/gif", 240, 160, "A purple badge")}));
    doc.blocks.push_back(block(Figure{{make_paragraph(Inlines{image(doc, "chart.png", "image/png", 600, 300,
                                                                     "Tonnes per quarter")})},
                                      {Text{"Tonnes per quarter, 2026."}}}));
    doc.blocks.push_back(make_paragraph(
        Inlines{image(doc, "diagram.svg", "image/svg+xml", 200, 100, "A box diagram of the basins")}));
    List tasks;
    tasks.items = {paragraph_blocks("dredge the east basin"), paragraph_blocks("repaint the north mole light")};
    tasks.tasks = {TaskState::Done, TaskState::Open};
    doc.blocks.push_back(block(tasks));
    REQUIRE(validate(doc).empty());
    return doc;
}

struct Typesetting {
    pdf::PrintStyle style = pdf::load_print_style("default");
    pdf::SystemFonts fonts;
    pdf::TypesetReport report;

    pdf::Layout operator()(const Document& doc) {
        pdf::TypesetOptions options;
        options.style = &style;
        options.fonts = &fonts;
        options.faces = pdf::FontFaces::of(fonts);
        return pdf::typeset(doc, options, &report);
    }
    float text_top() const { return style.paper.height - style.margin_top; }
    float text_bottom() const { return style.margin_bottom; }
    float right_margin() const { return style.paper.width - style.margin_right; }
};

// The page and run whose text contains `needle`, or {-1, nullptr}.
std::pair<int, const pdf::GlyphRun*> find_run(const pdf::Layout& layout, const std::string& needle) {
    for (std::size_t p = 0; p < layout.pages.size(); ++p)
        for (const pdf::GlyphRun& run : layout.pages[p].runs)
            if (run.text.find(needle) != std::string::npos) return {static_cast<int>(p), &run};
    return {-1, nullptr};
}

fs::path write(const Document& doc, const fs::path& dir, const std::string& name, Diagnostics* diag = nullptr) {
    WriteOptions options;
    options.diagnostics = diag;
    options.source_date_epoch = 0;
    fs::path out = dir / (name + ".pdf");
    std::ofstream(out, std::ios::binary) << write_document(doc, "pdf", options);
    return out;
}

void check_structure(const fs::path& pdf) {
    int status = 0;
    std::string out = capture("qpdf --check '" + pdf.string() + "' 2>&1", &status);
    INFO(out);
    CHECK(status == 0);
    CHECK(out.find("No syntax or stream encoding errors") != std::string::npos);
    CHECK(out.find("WARNING") == std::string::npos);
}

}  // namespace

TEST_CASE("pdf rich: an image taller than the page fits the text block, its aspect kept") {
    Typesetting typeset;
    Document doc;
    doc.blocks.push_back(make_paragraph("Above the tall image."));
    doc.blocks.push_back(make_paragraph(Inlines{image(doc, "tall.png", "image/png", 300, 3000, "A tall strip")}));
    doc.blocks.push_back(make_paragraph("Below the tall image."));
    pdf::Layout layout = typeset(doc);
    std::vector<pdf::PlacedImage> images;
    for (const pdf::Page& page : layout.pages) images.insert(images.end(), page.images.begin(), page.images.end());
    REQUIRE(images.size() == 1);
    const pdf::Rect& r = images[0].rect;
    CHECK(r.top <= typeset.text_top() + 0.01f);
    CHECK(r.bottom >= typeset.text_bottom() - 0.01f);
    CHECK(r.left >= typeset.style.margin_left - 0.01f);
    CHECK(r.right <= typeset.right_margin() + 0.01f);
    CHECK((r.top - r.bottom) / (r.right - r.left) == Approx(10.0).epsilon(0.01));
    // It fills the page's height (its own page: no room under the first paragraph).
    CHECK(r.top - r.bottom == Approx(typeset.text_top() - typeset.text_bottom()).epsilon(0.02));
}

TEST_CASE("pdf rich: a small image is not enlarged beyond twice its pixel size") {
    Typesetting typeset;
    Document doc;
    doc.blocks.push_back(make_paragraph(Inlines{image(doc, "print-badge.gif", "image/gif", 240, 160, "A badge")}));
    // A 4 × 3 pixel PNG (the resources tests' own).
    doc.resources["blue"] = std::make_shared<Resource>(
        Resource{"image/png", testing::slurp(fs::path(DCONV_SOURCE_DIR) / "tests/data/images/blue-4x3.png"), 4, 3, ""});
    doc.blocks.push_back(make_paragraph(Inlines{Image{"blue-4x3.png", "Blue", "", "blue"}}));
    pdf::Layout layout = typeset(doc);
    REQUIRE(layout.pages[0].images.size() == 2);
    const float measure = typeset.right_margin() - typeset.style.margin_left;
    const pdf::Rect& badge = layout.pages[0].images[0].rect;
    CHECK(badge.right - badge.left == Approx(std::min(measure, 240 * 0.75f * 2)));
    const pdf::Rect& blue = layout.pages[0].images[1].rect;
    CHECK(blue.right - blue.left == Approx(4 * 0.75 * 2));
    CHECK(blue.top - blue.bottom == Approx(3 * 0.75 * 2));
    // Centred in the measure.
    CHECK(blue.left - typeset.style.margin_left == Approx(typeset.right_margin() - blue.right).margin(0.1));
}

TEST_CASE("pdf rich: a figure reaching the page's foot moves whole to the next page") {
    Typesetting typeset;
    Document doc;
    // Enough text to leave less room on page 1 than the figure needs, more than a line.
    for (int i = 0; i < 9; ++i) doc.blocks.push_back(make_paragraph(filler(55)));
    doc.blocks.push_back(block(Figure{{make_paragraph(Inlines{image(doc, "print-harbour.jpg", "image/jpeg", 800, 500,
                                                                     "The quay")})},
                                      {Text{"The east quay at dusk (figure caption)."}}}));
    doc.blocks.push_back(make_paragraph("After the figure."));
    pdf::Layout layout = typeset(doc);
    REQUIRE(layout.pages.size() >= 2);
    int image_page = -1;
    float image_bottom = 0;
    for (std::size_t p = 0; p < layout.pages.size(); ++p)
        if (!layout.pages[p].images.empty()) {
            image_page = static_cast<int>(p);
            image_bottom = layout.pages[p].images[0].rect.bottom;
        }
    auto [caption_page, caption] = find_run(layout, "caption).");
    REQUIRE(caption);
    CHECK(image_page == 1);  // not on page 1, where it would not fit with its caption
    CHECK(caption_page == image_page);
    CHECK(caption->y < image_bottom);  // under the image
    CHECK(caption->size < typeset.style[pdf::Element::body].size);  // smaller type
    // Page 1 is not left empty: text flows up to the figure.
    auto [text_page, text] = find_run(layout, "harbour");
    CHECK(text_page == 0);
}

TEST_CASE("pdf rich: a table wider than the page is set smaller and stays inside the margins") {
    Typesetting typeset;
    Document doc;
    Table t;
    const int columns = 12;
    t.columns.assign(columns, Alignment::Default);
    std::vector<std::string> head, body;
    for (int c = 0; c < columns; ++c) {
        head.push_back("Heading" + std::to_string(c));
        body.push_back("Extraordinarily" + std::to_string(c) + " long");
    }
    t.head = {row(head)};
    for (int r = 0; r < 3; ++r) t.body.push_back(row(body));
    doc.blocks.push_back(block(t));
    REQUIRE(validate(doc).empty());
    pdf::Layout layout = typeset(doc);
    CHECK(typeset.report.tables_shrunk == 1);
    REQUIRE(!layout.pages.empty());
    for (const pdf::Rule& r : layout.pages[0].rules) {
        CHECK(r.x1 >= typeset.style.margin_left - 0.01f);
        CHECK(r.x2 <= typeset.right_margin() + 0.01f);
    }
    bool smaller = false;
    for (const pdf::GlyphRun& run : layout.pages[0].runs) {
        CHECK(run.x < typeset.right_margin());
        smaller = smaller || run.size < typeset.style[pdf::Element::table].size;
    }
    CHECK(smaller);

    // The drawn words, as poppler finds them, end inside the right margin.
    require_tools();
    fs::path dir = testing::fresh_dir("pdf_rich_wide");
    fs::path pdf = write(doc, dir, "wide");
    check_structure(pdf);
    std::string boxes = capture("pdftotext -bbox '" + pdf.string() + "' -");
    std::regex word(R"re(<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)")re");
    int words = 0;
    for (auto it = std::sregex_iterator(boxes.begin(), boxes.end(), word); it != std::sregex_iterator(); ++it) {
        ++words;
        CHECK(std::stof((*it)[2]) <= typeset.right_margin() + 1.0f);
    }
    CHECK(words >= columns * 4);
}

TEST_CASE("pdf rich: a 500-row table repeats its header on every page, in linear time") {
    Typesetting typeset;
    auto long_table = [](int rows) {
        Document doc;
        Table t;
        t.caption = {Text{"Daily arrivals"}};
        t.columns = {Alignment::Left, Alignment::Right, Alignment::Right};
        t.head = {row({"Vessel", "Arrived", "Tonnes"})};
        for (int r = 0; r < rows; ++r)
            t.body.push_back(row({"Ship " + std::to_string(r), "day " + std::to_string(r % 365), std::to_string(r * 17)}));
        doc.blocks.push_back(block(t));
        return doc;
    };
    Document doc = long_table(500);
    pdf::Layout layout = typeset(doc);
    REQUIRE(layout.pages.size() >= 10);
    for (std::size_t p = 0; p < layout.pages.size(); ++p) {
        // The header's "Vessel" is the topmost text of every page (the caption's on the first).
        const pdf::GlyphRun* top = nullptr;
        for (const pdf::GlyphRun& run : layout.pages[p].runs)
            if (run.y < typeset.text_top() && (!top || run.y > top->y)) top = &run;
        REQUIRE(top);
        INFO("page " << p + 1 << ": " << top->text);
        CHECK((p == 0 ? top->text.find("Daily") : top->text.find("Vessel")) != std::string::npos);
        // The rules stay in the text block.
        for (const pdf::Rule& r : layout.pages[p].rules) CHECK(r.y1 >= typeset.text_bottom() - 1);
    }
    // Every row is there, once.
    int ships = 0;
    for (const pdf::Page& page : layout.pages)
        for (const pdf::GlyphRun& run : page.runs) ships += run.text.starts_with("Ship");
    CHECK(ships == 500);

    // Linear: eight times the rows, about eight times the time (bounded at three times
    // that for a loaded machine's noise; quadratic work would take 64 times).
    // The best of three runs, in this thread's CPU time (cpu_clock.hpp).
    auto time = [&](int rows) {
        Document d = long_table(rows);
        return dconv::test::best_cpu_seconds_of(3, [&] { typeset(d); });
    };
    time(200);  // warm the caches
    double small = time(1000), large = time(8000);
    INFO("1,000 rows " << small << " s, 8,000 rows " << large << " s");
    CHECK(large < small * 24);
}

TEST_CASE("pdf rich: footnotes at the foot of their page, long ones continued") {
    Typesetting typeset;
    Document doc;
    doc.blocks.push_back(make_paragraph(
        Inlines{Text{"A claim"}, Note{{make_paragraph("The source of the claim, in the notes.")}}, Text{" and more."}}));
    for (int i = 0; i < 12; ++i) doc.blocks.push_back(make_paragraph(filler(50)));
    std::string long_note = filler(2200);
    doc.blocks.push_back(make_paragraph(Inlines{Text{"A long aside"}, Note{{make_paragraph(long_note)}}}));
    pdf::Layout layout = typeset(doc);
    auto [note_page, note] = find_run(layout, "source");
    REQUIRE(note);
    CHECK(note_page == 0);
    CHECK(note->y < typeset.text_bottom() + 150);  // at the foot
    CHECK(note->size < typeset.style[pdf::Element::body].size);
    // A short rule above the notes.
    bool rule = false;
    for (const pdf::Rule& r : layout.pages[0].rules)
        rule = rule || (r.y1 > note->y && r.x2 - r.x1 < typeset.right_margin() - typeset.style.margin_left);
    CHECK(rule);
    // The long note: every line on a page, none below the bottom margin, continued.
    auto [aside_page, aside] = find_run(layout, "aside");
    REQUIRE(aside);
    int harbour_pages = 0;
    for (std::size_t p = 0; p < layout.pages.size(); ++p) {
        for (const pdf::GlyphRun& run : layout.pages[p].runs) {
            bool page_number = run.y < typeset.text_bottom() * 0.6f && run.text == std::to_string(p + 1);
            if (!page_number) CHECK(run.y >= typeset.text_bottom() - 3);  // descenders aside
        }
        if (static_cast<int>(p) > aside_page) harbour_pages += !layout.pages[p].runs.empty();
    }
    CHECK(harbour_pages >= 1);
    // The continued note fills the pages after the aside's (2,200 words: about four pages
    // of small type), not a line a page.
    CHECK(layout.pages.size() <= static_cast<std::size_t>(aside_page) + 7);
    std::size_t words = 0;
    for (const pdf::Page& page : layout.pages)
        for (const pdf::GlyphRun& run : page.runs)
            for (std::size_t at = run.text.find("bour"); at != std::string::npos; at = run.text.find("bour", at + 1))
                ++words;  // "harbour", or the end of a "har-bour" hyphenated
    CHECK(words == 2200 + 12 * 50);  // nothing lost, nothing twice
}

TEST_CASE("pdf rich: struck text has a line through it, scripts are raised or lowered and smaller") {
    Typesetting typeset;
    Document doc = article();
    pdf::Layout layout = typeset(doc);
    auto [page, forty] = find_run(layout, "forty");
    REQUIRE(forty);
    bool struck = false;
    for (const pdf::Rule& r : layout.pages[static_cast<std::size_t>(page)].rules)
        struck = struck || (r.x1 <= forty->x + 0.01f && r.x2 > forty->x + forty->size && r.y1 > forty->y &&
                             r.y1 < forty->y + forty->size * 0.5f);
    CHECK(struck);
    auto [p2, water] = find_run(layout, "water");
    REQUIRE(water);
    int scripts = 0;
    for (const pdf::GlyphRun& run : layout.pages[static_cast<std::size_t>(p2)].runs) {
        if (run.text != "2") continue;
        ++scripts;
        CHECK(run.size < water->size);
        CHECK(std::abs(run.y - water->y) > 1);
    }
    CHECK(scripts == 4);  // H₂O, km², the second note's marker and its number at the foot
}

TEST_CASE("pdf rich: the article's edition passes qpdf, embeds its images, shows the table's rows") {
    require_tools();
    fs::path dir = testing::fresh_dir("pdf_rich_article");
    Diagnostics diag;
    fs::path pdf = write(article(), dir, "article", &diag);
    check_structure(pdf);

    // Three raster images (JPEG as DCT, PNG, GIF as PNG), the SVG as its alt text.
    std::string list = capture("pdfimages -list '" + pdf.string() + "'");
    INFO(list);
    int images = 0, jpeg = 0;
    std::istringstream lines(list);
    for (std::string line; std::getline(lines, line);) {
        if (!std::regex_search(line, std::regex(R"(^\s*\d+\s+\d+\s+image\s)"))) continue;  // not smask
        ++images;
        jpeg += line.find(" jpeg ") != std::string::npos;
    }
    CHECK(images == 3);
    CHECK(jpeg == 1);
    bool warned = false;
    for (const auto& d : diag.items()) warned = warned || d.reason.find("diagram.svg") != std::string::npos;
    CHECK(warned);

    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -");
    INFO(text);
    CHECK(std::regex_search(text, std::regex(R"(East quay {2,}120,400 {2,}141,900 {2,}\+17\.9%)")));
    CHECK(std::regex_search(text, std::regex(R"(North mole {2,}45,000 {2,}43,100 {2,}-4\.2%)")));
    CHECK(text.find("Freight by quay, tonnes") != std::string::npos);
    CHECK(text.find("The east quay at dusk, looking north.") != std::string::npos);
    CHECK(text.find("Tonnes per quarter, 2026.") != std::string::npos);
    CHECK(text.find("Counted at the end of October by the harbour master.") != std::string::npos);
    CHECK(text.find("The terminal opened in March 2026") != std::string::npos);
    CHECK(text.find("[Image: A box diagram of the basins]") != std::string::npos);
    CHECK(std::regex_search(text, std::regex(R"(\[x\] +dredge the east basin)")));
    CHECK(std::regex_search(text, std::regex(R"(\[ \] +repaint the north mole light)")));
    CHECK(text.find("~~") == std::string::npos);  // no more text markers for strikeout
    CHECK(text.find("^(") == std::string::npos);
}

// The images drawn on a page, in drawing order.
std::vector<pdf::PlacedImage> placed_images(const pdf::Layout& layout) {
    std::vector<pdf::PlacedImage> out;
    for (const pdf::Page& page : layout.pages) out.insert(out.end(), page.images.begin(), page.images.end());
    return out;
}

float aspect(const pdf::Rect& r) { return (r.right - r.left) / (r.top - r.bottom); }

TEST_CASE("pdf rich: images inside running text are drawn in the line, in table cells to the cell's width") {
    Document doc;
    doc.meta.title = "Inline images";
    // an icon (24 by 16 pixels) in the text; the badge, too large for a line, in a cell
    Inline icon = image(doc, "icon.png", "image/png", 24, 16, "A purple badge");
    Inline badge = image(doc, "print-badge.gif", "image/gif", 240, 160, "A purple badge");
    doc.blocks.push_back(make_paragraph(Inlines{Text{"The badge "}, icon, Text{" hangs by the door."}}));
    Table t = quay_table();
    t.body[0].cells[0] = TableCell{{make_paragraph(Inlines{image(doc, "chart.png", "image/png", 600, 300, "Chart")})}};
    t.body[1].cells[0] = TableCell{{make_paragraph(Inlines{Text{"West "}, badge})}};  // the same image again
    doc.blocks.push_back(block(t));
    // an image alone in its paragraph is drawn as a block, a missing one was reported when
    // it was read, an SVG inside text is its alt text
    doc.blocks.push_back(make_paragraph(Inlines{image(doc, "print-harbour.jpg", "image/jpeg", 800, 500, "Quay")}));
    doc.blocks.push_back(make_paragraph(Inlines{Text{"Gone: "}, Image{"gone.png", "Gone", "", ""}}));
    doc.blocks.push_back(make_paragraph(
        Inlines{Text{"Basins: "}, image(doc, "diagram.svg", "image/svg+xml", 200, 100, "A box diagram")}));
    REQUIRE(validate(doc).empty());

    Typesetting set;
    pdf::Layout layout = set(doc);
    CHECK(set.report.inline_images_as_text == 1);
    CHECK(set.report.inline_images_as_text_names == std::vector<std::string>{"diagram.svg"});
    CHECK(find_run(layout, "badge]").second == nullptr);  // no more "[Image: A purple badge]"
    CHECK(find_run(layout, "diagram]").second != nullptr);
    std::vector<pdf::PlacedImage> images = placed_images(layout);
    REQUIRE(images.size() == 4);  // the icon in the text, chart and badge in cells, the harbour
    auto [page, words] = find_run(layout, "hangs");
    REQUIRE(words);
    // the badge in the line: as tall as the text at most, its aspect kept, on the line of its words
    const pdf::Rect& inline_badge = images[0].rect;
    CHECK(inline_badge.top - inline_badge.bottom <= words->size * 1.001f);
    CHECK(inline_badge.top - inline_badge.bottom > words->size * 0.5f);
    CHECK(aspect(inline_badge) == Approx(1.5f).epsilon(0.01));
    CHECK(inline_badge.bottom < words->y);
    CHECK(inline_badge.top > words->y);
    CHECK(inline_badge.right < words->x);  // before "hangs"
    // the chart in its cell: wider than a line's image, its aspect kept, inside the margins
    const pdf::Rect& chart = images[1].rect;
    CHECK(chart.right - chart.left > 72);
    CHECK(chart.right - chart.left <= 600 * 0.75f + 0.01f);
    CHECK(aspect(chart) == Approx(2.0f).epsilon(0.01));
    CHECK(chart.left >= set.style.margin_left - 0.01f);
    CHECK(chart.right <= set.right_margin() + 0.01f);
    // the row that holds it is as tall as the chart: the next row's text is under it
    auto [west_page, west] = find_run(layout, "West");
    REQUIRE(west);
    CHECK(west->y < chart.bottom);

    fs::path dir = testing::fresh_dir("pdf-inline-images");
    Diagnostics diag;
    fs::path pdf = write(doc, dir, "inline", &diag);
    check_structure(pdf);
    std::vector<std::string> warnings;
    for (const auto& d : diag.items())
        if (d.reason.find("inside running text or table cells") != std::string::npos) warnings.push_back(d.reason);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].starts_with("1 images inside running text or table cells shown as their alt text"));
    CHECK(warnings[0].find("diagram.svg") != std::string::npos);
    // pdfimages lists each image drawn: the icon, the chart, the badge, the harbour
    std::string list = capture("pdfimages -list '" + pdf.string() + "'");
    INFO(list);
    std::regex image_row(R"(^ *[0-9]+ +[0-9]+ +image )", std::regex::multiline);
    CHECK(std::distance(std::sregex_iterator(list.begin(), list.end(), image_row), std::sregex_iterator()) == 4);
    CHECK(std::regex_search(list, std::regex(R"( 24 +16 )")));
    CHECK(std::regex_search(list, std::regex(R"( 240 +160 )")));
    CHECK(std::regex_search(list, std::regex(R"( 600 +300 )")));
    // and the text reads as before, but for the images' alt text
    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -");
    INFO(text);
    CHECK(std::regex_search(text, std::regex(R"(The badge +hangs by the door\.)")));
    CHECK(std::regex_search(text, std::regex(R"(North mole +45,000 +43,100 +-4\.2%)")));
    CHECK(std::regex_search(text, std::regex(R"(98,200 +101,300 +\+3\.2%)")));  // "West" sits by its badge
    CHECK(std::regex_search(text, std::regex(R"(\nWest *\n)")));
    CHECK(text.find("[Image: A box diagram]") != std::string::npos);
}

// Image::width (<img width>, Markdown's raw <img width>) was honoured by images drawn as
// blocks only: one in running text was sized by its pixels (a photo asked to be 16 pixels
// wide was "larger than an icon", its alt text), one in a cell filled its column.
TEST_CASE("pdf rich: images inside running text and table cells are drawn at the width the source asks for") {
    Document doc;
    doc.meta.title = "Asked widths";
    Inline photo = image(doc, "quays.png", "image/png", 240, 120, "A photo");
    std::get<Image>(photo).extra.edit().width = 16;  // 12 pt wide, 6 pt tall: a line's
    doc.blocks.push_back(make_paragraph(Inlines{Text{"The quay "}, photo, Text{" at dawn."}}));
    Inline chart = image(doc, "chart.png", "image/png", 600, 300, "Chart");
    std::get<Image>(chart).extra.edit().width = 100;  // 75 pt wide, not the column's width
    Table t = quay_table();
    t.body[0].cells[0] = TableCell{{make_paragraph(Inlines{Text{"East "}, chart})}};
    doc.blocks.push_back(block(t));
    REQUIRE(validate(doc).empty());

    fs::path dir = testing::fresh_dir("pdf-asked-widths");
    fs::path pdf = write(doc, dir, "asked");
    check_structure(pdf);
    // pdfimages -list: the pixels and the resolution they are drawn at, so the drawn width
    // in points is pixels / x-ppi * 72
    std::string list = capture("pdfimages -list '" + pdf.string() + "'");
    INFO(list);
    std::map<int, double> drawn_width;  // by pixel width
    std::regex row(R"(^ *[0-9]+ +[0-9]+ +image +([0-9]+) +[0-9]+ +\S+ +[0-9]+ +[0-9]+ +\S+ +\S+ +[0-9]+ +[0-9]+ +([0-9]+) +[0-9]+ )",
                   std::regex::multiline);
    for (auto m = std::sregex_iterator(list.begin(), list.end(), row); m != std::sregex_iterator(); ++m)
        drawn_width[std::stoi((*m)[1])] = std::stod((*m)[1]) / std::stod((*m)[2]) * 72.0;
    REQUIRE(drawn_width.count(600) == 1);
    CHECK(drawn_width[600] <= 100 * 0.75 * 1.05);
    CHECK(drawn_width[600] >= 72 * 0.95);
    REQUIRE(drawn_width.count(240) == 1);  // drawn in the line, not its alt text
    CHECK(drawn_width[240] == Approx(16 * 0.75).epsilon(0.05));
    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -");
    CHECK(text.find("[Image: A photo]") == std::string::npos);
}

// trial 13: an animated WebP left the PDF without a trace (the writer could not decode
// it, and the typesetter had reserved its place). Its first frame is drawn now, and a
// WebP that does not decode is its alt text, named in the writer's warning, as SVG is.
TEST_CASE("pdf rich: an animated WebP is drawn as its first frame, one that does not decode is its alt text") {
    require_tools();
    const std::string webp = testing::slurp(fs::path(DCONV_SOURCE_DIR) / "tests/data/images/animated.webp");
    REQUIRE(!webp.empty());
    Document doc;
    doc.meta.title = "Moving pictures";
    doc.resources["anim"] = std::make_shared<const Resource>(Resource{"image/webp", webp, 2, 2, "animated.webp"});
    doc.resources["cut"] =
        std::make_shared<const Resource>(Resource{"image/webp", webp.substr(0, 40), 2, 2, "cut.webp"});
    doc.blocks.push_back(make_paragraph("Above the pictures."));
    doc.blocks.push_back(make_paragraph(Inlines{Image{"animated.webp", "A blinking light", "", "anim"}}));
    doc.blocks.push_back(make_paragraph(Inlines{Image{"cut.webp", "A cut-off picture", "", "cut"}}));
    REQUIRE(validate(doc).empty());

    Typesetting set;
    pdf::Layout layout = set(doc);
    std::vector<pdf::PlacedImage> images = placed_images(layout);
    REQUIRE(images.size() == 1);
    CHECK(images[0].resource->media_type == "image/png");
    CHECK(find_run(layout, "picture]").second != nullptr);  // "[Image: A cut-off picture]"
    CHECK(set.report.images_as_text == 1);
    CHECK(set.report.images_as_text_names == std::vector<std::string>{"cut.webp"});

    fs::path dir = testing::fresh_dir("pdf-animated-webp");
    Diagnostics diag;
    fs::path pdf = write(doc, dir, "animated", &diag);
    check_structure(pdf);
    bool warned = false;
    for (const auto& d : diag.items())
        warned |= d.reason.starts_with("1 images shown as their alt text") && d.reason.find("cut.webp") != std::string::npos;
    CHECK(warned);
    std::string list = capture("pdfimages -list '" + pdf.string() + "'");
    INFO(list);
    CHECK(std::regex_search(list, std::regex(R"( 2 +2 +(rgb|gray|index))")));
}

// review 13: libpng refuses a width or height past 1,000,000 pixels and, libharu setting
// no recovery point, aborted the process (a whole batch): an animated WebP whose canvas
// is 8,388,610 x 2 (under kMaxImagePixels) and a PNG 1,000,001 pixels wide. Both are their
// alt text now, named in the writer's warning as images that do not decode.
TEST_CASE("pdf rich: an image wider than libpng reads is its alt text, not an abort") {
    require_tools();
    std::string webp = testing::slurp(fs::path(DCONV_SOURCE_DIR) / "tests/data/images/animated.webp");
    REQUIRE(webp.size() > 30);
    REQUIRE(webp.substr(12, 4) == "VP8X");
    webp[26] = '\x80';  // the canvas width less one, 24 bits at 24: 0x800001, 8,388,610 wide
    std::string png("\x89PNG\r\n\x1A\n", 8);
    auto chunk = [&png](const std::string& type, const std::string& data) {
        auto be32 = [](std::uint32_t v) {
            return std::string{char(v >> 24), char(v >> 16 & 0xFF), char(v >> 8 & 0xFF), char(v & 0xFF)};
        };
        std::uint32_t crc = 0xFFFFFFFFu;
        for (char c : type + data) {
            crc ^= static_cast<unsigned char>(c);
            for (int k = 0; k < 8; ++k) crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        png += be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc ^ 0xFFFFFFFFu);
    };
    // 1,000,001 x 1, 8-bit grey
    chunk("IHDR", std::string("\x00\x0F\x42\x41\x00\x00\x00\x01\x08\x00\x00\x00\x00", 13));
    chunk("IEND", "");
    Document doc;
    doc.meta.title = "Wide pictures";
    doc.resources["canvas"] = std::make_shared<const Resource>(Resource{"image/webp", webp, 8'388'610, 2, "m29.webp"});
    doc.resources["strip"] = std::make_shared<const Resource>(Resource{"image/png", png, 1'000'001, 1, "wide.png"});
    doc.blocks.push_back(make_paragraph("Above the pictures."));
    doc.blocks.push_back(make_paragraph(Inlines{Image{"m29.webp", "A wide canvas", "", "canvas"}}));
    doc.blocks.push_back(make_paragraph(Inlines{Text{"A strip "}, Image{"wide.png", "A long strip", "", "strip"}}));
    REQUIRE(validate(doc).empty());

    fs::path dir = testing::fresh_dir("pdf-too-wide");
    Diagnostics diag;
    fs::path pdf = write(doc, dir, "wide", &diag);
    check_structure(pdf);
    std::string warning;
    for (const auto& d : diag.items())
        if (d.reason.find("images shown as their alt text (PDF draws no SVG, nor an image that does not decode)") !=
            std::string::npos)
            warning = d.reason;
    INFO(warning);
    CHECK(warning.find("m29.webp") != std::string::npos);
    bool strip_named = false;
    for (const auto& d : diag.items()) strip_named |= d.reason.find("wide.png") != std::string::npos;
    CHECK(strip_named);
    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -");
    INFO(text);
    CHECK(text.find("[Image: A wide canvas]") != std::string::npos);
    CHECK(text.find("A long strip") != std::string::npos);
}

TEST_CASE("pdf rich: images of absurd sizes inside text and cells stay on the page, quickly") {
    Document doc;
    doc.meta.title = "Absurd images";
    auto absurd = [&](const std::string& key, int w, int h) {
        auto r = load("print-badge.gif", "image/gif", w, h);
        doc.resources[key] = r;
        return Inline{Image{key, key, "", key}};
    };
    Inline wide = absurd("wide", 100'000, 1), tall = absurd("tall", 1, 100'000), huge = absurd("huge", 60'000, 60'000);
    doc.blocks.push_back(make_paragraph(Inlines{Text{"A "}, wide, Text{" and "}, tall, Text{" and "}, huge, Text{"."}}));
    Table t = quay_table();
    for (TableRow& r : t.body) {
        r.cells[1] = TableCell{{make_paragraph(Inlines{wide})}};
        r.cells[2] = TableCell{{make_paragraph(Inlines{tall, Text{" x "}, huge})}};
    }
    doc.blocks.push_back(block(t));
    List items;
    for (const Inline& im : {wide, tall, huge}) items.items.push_back({make_paragraph(Inlines{Text{"item "}, im})});
    doc.blocks.push_back(block(items));
    REQUIRE(validate(doc).empty());

    Typesetting set;
    auto start = std::chrono::steady_clock::now();
    pdf::Layout layout = set(doc);
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 10);
    std::vector<pdf::PlacedImage> images = placed_images(layout);
    // in the text only the hairline is drawn (the others are larger than an icon), in
    // the cells all of them
    CHECK(images.size() == 1 + 3 * 3 + 1);
    for (const pdf::PlacedImage& im : images) {
        CHECK(im.rect.left >= set.style.margin_left - 0.01f);
        CHECK(im.rect.right <= set.right_margin() + 0.01f);
        CHECK(im.rect.bottom >= set.text_bottom() - 20);
        CHECK(im.rect.top <= set.text_top() + 20);
        CHECK(im.rect.right > im.rect.left);
        CHECK(im.rect.top > im.rect.bottom);
    }
    fs::path dir = testing::fresh_dir("pdf-absurd-images");
    check_structure(write(doc, dir, "absurd"));
}

TEST_CASE("pdf rich: a photograph sharing its paragraph with text is its alt text, not a thumbnail") {
    Document doc;
    doc.meta.title = "A photograph and its credit";
    Inline photo = image(doc, "print-harbour.jpg", "image/jpeg", 800, 500, "A harbour at dusk");
    doc.blocks.push_back(make_paragraph(Inlines{photo, Text{" Photo: harbour archive."}}));
    REQUIRE(validate(doc).empty());

    Typesetting set;
    pdf::Layout layout = set(doc);
    CHECK(placed_images(layout).empty());
    CHECK(find_run(layout, "dusk]").second != nullptr);
    CHECK(set.report.inline_images_as_text == 1);
    CHECK(set.report.inline_images_as_text_names == std::vector<std::string>{"print-harbour.jpg"});

    fs::path dir = testing::fresh_dir("pdf-photo-in-text");
    Diagnostics diag;
    fs::path pdf = write(doc, dir, "photo", &diag);
    check_structure(pdf);
    bool warned = false;
    for (const auto& d : diag.items())
        warned |= d.reason.starts_with("1 images inside running text or table cells shown as their alt text") &&
                  d.reason.find("print-harbour.jpg") != std::string::npos;
    CHECK(warned);
    std::string list = capture("pdfimages -list '" + pdf.string() + "'");
    INFO(list);
    CHECK(!std::regex_search(list, std::regex(R"(^ *[0-9]+ +[0-9]+ +image )", std::regex::multiline)));
    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -");
    INFO(text);
    CHECK(std::regex_search(text, std::regex(R"(\[Image: A harbour at dusk\] +Photo: harbour archive\.)")));
}

TEST_CASE("pdf rich: an image alone in its paragraph inside strong or emphasis is drawn as a block") {
    Document doc;
    doc.meta.title = "Emphasised images";
    doc.blocks.push_back(make_paragraph(Inlines{Strong{{image(doc, "print-harbour.jpg", "image/jpeg", 800, 500, "Quay")}}}));
    Inline chart = image(doc, "chart.png", "image/png", 600, 300, "Chart");
    doc.blocks.push_back(make_paragraph(Inlines{Emphasis{{Link{{chart}, "https://example.org/", ""}}}}));
    REQUIRE(validate(doc).empty());

    Typesetting set;
    pdf::Layout layout = set(doc);
    std::vector<pdf::PlacedImage> images = placed_images(layout);
    REQUIRE(images.size() == 2);
    for (const pdf::PlacedImage& im : images) CHECK(im.rect.right - im.rect.left > 200);  // not a one-em thumbnail
    CHECK(aspect(images[0].rect) == Approx(1.6f).epsilon(0.01));
    CHECK(aspect(images[1].rect) == Approx(2.0f).epsilon(0.01));
    CHECK(set.report.inline_images_as_text == 0);
    CHECK(find_run(layout, "[Image").second == nullptr);
}

TEST_CASE("pdf rich: a table of 1,000 columns stays on the page and loses no cell") {
    Typesetting typeset;
    Document doc;
    Table t;
    const int columns = static_cast<int>(kMaxTableColumns);
    t.columns.assign(static_cast<std::size_t>(columns), Alignment::Default);
    std::vector<std::string> cells;
    for (int c = 0; c < columns; ++c) cells.push_back(std::string(1, 'c').append(std::to_string(c)));
    t.head = {row(cells)};
    t.body = {row(cells), row(cells)};
    doc.blocks.push_back(block(t));
    REQUIRE(validate(doc).empty());
    auto start = std::chrono::steady_clock::now();
    pdf::Layout layout = typeset(doc);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < 5);
    CHECK(typeset.report.tables_as_text == 1);
    std::string all;
    for (const pdf::Page& page : layout.pages)
        for (const pdf::GlyphRun& run : page.runs) {
            CHECK(run.y >= typeset.text_bottom() * 0.5f);
            CHECK(run.x < typeset.right_margin());
            all += run.text;
            all += ' ';
        }
    for (int c : {0, 1, 500, columns - 1}) {
        std::string cell = "c" + std::to_string(c);
        cell += ' ';
        std::string inside = " ";
        inside += cell;
        std::size_t n = all.starts_with(cell) ? 1 : 0;
        for (std::size_t at = all.find(inside); at != std::string::npos; at = all.find(inside, at + 1)) ++n;
        CHECK(n == 3);
    }
}

TEST_CASE("pdf rich: issue 12's saved article through the command: images, table rows, captions, notes") {
    require_tools();
    const fs::path article = fs::path(DCONV_SOURCE_DIR) / "tests/data/rich/article.html";
    REQUIRE(fs::exists(article));
    fs::path dir = testing::fresh_dir("pdf_rich_command");
    int status = 0;
    std::string log = capture("'" DCONV_BINARY_DIR "/dconv' --to pdf -o '" + dir.string() + "' '" + article.string() +
                                  "' 2>&1",
                              &status);
    INFO(log);
    REQUIRE(status == 0);
    fs::path pdf = dir / "article.pdf";
    check_structure(pdf);
    std::string list = capture("pdfimages -list '" + pdf.string() + "'");
    INFO(list);
    int images = 0;
    std::istringstream lines(list);
    for (std::string line; std::getline(lines, line);)
        images += std::regex_search(line, std::regex(R"(^\s*\d+\s+\d+\s+image\s)"));
    CHECK(images == 3);
    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -");
    INFO(text);
    CHECK(std::regex_search(text, std::regex(R"(East quay {2,}120,400 {2,}141,900 {2,}\+17\.9%)")));
    CHECK(text.find("Cargo handled, in tonnes") != std::string::npos);
    CHECK(text.find("The east quay at dawn, a week after it opened to container ships.") != std::string::npos);
    CHECK(text.find("One of the two cranes delivered in January.") != std::string::npos);
    CHECK(text.find("The ten-year target was set in the trust") != std::string::npos);
    CHECK(text.find("Shore power lets a ship in berth switch off its engines") != std::string::npos);
}

TEST_CASE("pdf rich: issue 12's Markdown note through the command: image, table, note, tasks, strikeout") {
    require_tools();
    const fs::path note = fs::path(DCONV_SOURCE_DIR) / "tests/data/rich/note.md";
    REQUIRE(fs::exists(note));
    fs::path dir = testing::fresh_dir("pdf_rich_note");
    int status = 0;
    std::string log = capture("'" DCONV_BINARY_DIR "/dconv' --to pdf -o '" + dir.string() + "' '" + note.string() +
                                  "' 2>&1",
                              &status);
    INFO(log);
    REQUIRE(status == 0);
    fs::path pdf = dir / "note.pdf";
    check_structure(pdf);
    std::string list = capture("pdfimages -list '" + pdf.string() + "'");
    int images = 0;
    std::istringstream lines(list);
    for (std::string line; std::getline(lines, line);)
        images += std::regex_search(line, std::regex(R"(^\s*\d+\s+\d+\s+image\s)"));
    CHECK(images == 1);
    std::string text = capture("pdftotext -layout '" + pdf.string() + "' -");
    INFO(text);
    CHECK(std::regex_search(text, std::regex(R"(East quay {2,}120,400 {2,}141,900 {2,}\+17\.9%)")));
    CHECK(text.find("Tonnage by quay (tonnes)") != std::string::npos);
    CHECK(text.find("The east quay at dawn.") != std::string::npos);
    CHECK(std::regex_search(text, std::regex(R"(\[x\] +collect the quay figures)")));
    CHECK(std::regex_search(text, std::regex(R"(\[ \] +ask about the ferry terminal)")));
    CHECK(text.find("corrected figure came a week later") != std::string::npos);
    CHECK(text.find("~~") == std::string::npos);
}

// Review 9: nesting below the 64-level limit lost text in the PDF (only the page number
// left of 40 nested quotes; a 30-level list's deepest items missing or cut to "ite";
// 16 levels on A5 broke words into fragments from level 6). Every word must come back.
TEST_CASE("pdf rich: deeply nested quotes and lists keep every word, on A4 and A5") {
    require_tools();
    fs::path dir = testing::fresh_dir("pdf_rich_deep");
    struct Input {
        std::string name, markdown, paper;
        std::vector<std::string> words;  // every word of the text, in order
    };
    std::vector<Input> inputs;
    {
        Input quotes{"quotes", std::string(40, '>') + " deep quote text\n", "a4", {"deep", "quote", "text"}};
        inputs.push_back(quotes);
    }
    for (auto [levels, paper] : {std::pair{30, "a4"}, std::pair{16, "a5"}}) {
        Input list{"list" + std::to_string(levels) + paper, "", paper, {}};
        for (int level = 0; level < levels; ++level) {
            std::string tag = "level" + std::to_string(level);
            list.markdown += std::string(2 * level, ' ') + "- " + tag + " the quick brown fox jumps over the lazy dog\n";
            for (const char* w : {"the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"})
                list.words.push_back(w);
            list.words.insert(list.words.end() - 9, tag);
        }
        inputs.push_back(list);
    }
    for (const Input& input : inputs) {
        INFO(input.name);
        fs::path md = dir / (input.name + ".md");
        std::ofstream(md) << input.markdown;
        fs::path pdf = dir / (input.name + ".pdf");
        int status = 0;
        std::string log = capture("'" DCONV_BINARY_DIR "/dconv' --paper " + input.paper + " -o '" + pdf.string() +
                                      "' '" + md.string() + "' 2>&1",
                                  &status);
        INFO(log);
        REQUIRE(status == 0);
        check_structure(pdf);
        std::istringstream text(capture("pdftotext '" + pdf.string() + "' -"));
        std::vector<std::string> words;
        for (std::string word; text >> word;)
            if (word != "\u2022" && word != "\u2013" && word.find_first_not_of("0123456789") != std::string::npos)
                words.push_back(word);  // not a list's marker or the page number
        CHECK(words == input.words);
    }
}

// Trial 13: in a bundle, the PDF's warning about images shown as alt text is reported
// with the first input, and named a second chapter's image as if it were the first's.
TEST_CASE("pdf: a book's warning about images shown as their alt text names each image's input") {
    std::vector<Document> chapters(2);
    for (std::size_t c = 0; c < chapters.size(); ++c) {
        Document& doc = chapters[c];
        doc.meta.title = "Chapter " + std::to_string(c + 1);
        doc.meta.source = c == 0 ? "pages/article.html" : "notes/note.md";
        doc.blocks.push_back(make_paragraph(Inlines{image(doc, "diagram.svg", "image/svg+xml", 200, 100, "A box")}));
    }
    Book book = make_book(std::move(chapters), Meta{});
    Diagnostics diag;
    WriteOptions options;
    options.diagnostics = &diag;
    options.source_date_epoch = 0;
    CHECK(!write_book(book, "pdf", options).empty());
    std::vector<std::string> warnings;
    for (const auto& d : diag.items())
        if (d.reason.find("shown as their alt text") != std::string::npos) warnings.push_back(d.reason);
    REQUIRE(warnings.size() == 1);
    INFO(warnings[0]);
    CHECK(warnings[0].find("diagram.svg (in pages/article.html), diagram.svg (in notes/note.md)") != std::string::npos);
}
