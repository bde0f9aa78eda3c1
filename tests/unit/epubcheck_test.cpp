// epubcheck_test.cpp: EPUB editions as the "done when" states them, checked by
// epubcheck (0 fatals, 0 errors, 0 warnings): each seed through the dconv command, the
// bundle of all five seeds, and documents that try to break the writer. Also the
// command's EPUB options, and reproducibility across runs and time zones.
//
// epubcheck is a Java program (Debian's package, installed by tools/setup.sh); these
// tests fail, saying so, when it is missing. A run takes 2-3 s, most of it the JVM
// starting, so each test case checks its files side by side (epubcheck_all).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "dconv/book.hpp"
#include "dconv/convert.hpp"
#include "unit/epub_test_support.hpp"

using namespace dconv;
using namespace dconv::test;
using Catch::Contains;

namespace {

const std::string kSource = DCONV_SOURCE_DIR;
const std::string kBinary = DCONV_BINARY_DIR "/dconv";
const std::string kSeeds = kSource + "/seeds/*.txt";

std::vector<fs::path> seed_files() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(kSource + "/seeds"))
        if (e.path().extension() == ".txt") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

void require_epubcheck() {
    std::string missing = epubcheck_missing();
    INFO(missing);
    REQUIRE(missing.empty());
}

void check_clean(const std::vector<EpubcheckResult>& results) {
    for (const EpubcheckResult& r : results) {
        INFO(r.file.string() << ":\n" << r.output);
        CHECK(r.fatals == 0);
        CHECK(r.errors == 0);
        CHECK(r.warnings == 0);
        CHECK(r.status == 0);
    }
}

// Runs the dconv command in `dir`; returns its exit status. stdout and stderr go to files.
int run_dconv(const fs::path& dir, const std::string& args, const std::string& environment = {}) {
    std::string command = "cd '" + dir.string() + "' && " + environment + " '" + kBinary + "' " + args +
                          " >'" + (dir / "stdout").string() + "' 2>'" + (dir / "stderr").string() + "'";
    int status = run_command(command);
    UNSCOPED_INFO("dconv " << args << "\nstatus " << status << "\nstderr:\n" << slurp(dir / "stderr"));
    return status;
}

std::string json_plain(const nlohmann::json& inlines) {
    std::string out;
    for (const auto& in : inlines) {
        if (in.is_string()) out += in.get<std::string>();
        else if (in.contains("code")) out += in["code"].get<std::string>();
        else if (in.contains("break")) out += ' ';
        else
            for (const char* key : {"emph", "strong", "link"})
                if (in.contains(key)) out += json_plain(in[key]);
    }
    return out;
}

std::string squeeze(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '\t') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// A seed's top-level headings with visible text, from its native dump.
std::vector<std::string> headings_of(const fs::path& native) {
    std::vector<std::string> out;
    auto doc = nlohmann::json::parse(slurp(native));
    for (const auto& b : doc["blocks"])
        if (b["type"] == "heading") {
            std::string t = squeeze(json_plain(b["content"]));
            if (!t.empty()) out.push_back(t);
        }
    return out;
}

// The quotes an EPUB's text has (typographic, smart_quotes.hpp) made straight again, as
// the native dump (the model before the typeset formats' quote pass) has them.
std::string straight_quotes(std::string s) {
    for (const char* curly : {"\u201C", "\u201D", "\u2018", "\u2019"}) {
        const std::string from = curly;
        const std::string to = from == "\u201C" || from == "\u201D" ? "\"" : "'";
        for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
            s.replace(at, from.size(), to);
    }
    return s;
}

std::vector<std::string> flatten_texts(const std::vector<NavEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) {
        out.push_back(straight_quotes(e.text));
        for (auto& t : flatten_texts(e.children)) out.push_back(t);
    }
    return out;
}

}  // namespace

TEST_CASE("epubcheck: each seed's EPUB, written by the command, is valid") {
    require_epubcheck();
    fs::path dir = fresh_dir("epubcheck-seeds");
    REQUIRE(run_dconv(dir, "-q --to epub -o out " + kSeeds) == 0);
    std::vector<fs::path> books;
    for (const fs::path& seed : seed_files()) {
        fs::path book = dir / "out" / (seed.stem().string() + ".epub");
        REQUIRE(fs::exists(book));
        LocalHeader first = first_local_header(slurp(book));
        CHECK(first.name == "mimetype");
        CHECK(first.method == 0);
        books.push_back(book);
    }
    REQUIRE(books.size() == 5);
    check_clean(epubcheck_all(books));
    fs::remove_all(dir);
}

TEST_CASE("epubcheck: the bundle of all five seeds is valid and lists every chapter's sections") {
    require_epubcheck();
    fs::path dir = fresh_dir("epubcheck-bundle");
    std::string metadata = "--title 'Five <seeds> & \"more\"' --author \"O'Brien & Co\" --author 'B <b>' "
                           "--metadata 'description=<&\"'\\''>' --metadata rights='CC BY 4.0' "
                           "--metadata keywords='a, b'";
    REQUIRE(run_dconv(dir, "-q --to epub --bundle book.epub " + metadata + " " + kSeeds) == 0);
    // the same batch as native dumps: the headings each chapter must list
    REQUIRE(run_dconv(dir, "-q --to native -o native " + kSeeds) == 0);
    check_clean(epubcheck_all({dir / "book.epub"}));

    auto entries = unzip(slurp(dir / "book.epub"));
    REQUIRE(!entries.empty());
    CHECK(entries.front().name == "mimetype");
    auto toc = epub_toc(find_entry(entries, "OEBPS/nav.xhtml")->data);
    auto seeds = seed_files();
    REQUIRE(toc.size() == seeds.size());
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        auto doc = nlohmann::json::parse(slurp(dir / "native" / (seeds[i].stem().string() + ".json")));
        INFO("chapter " << i + 1 << ": " << seeds[i].string());
        CHECK(toc[i].text == squeeze(doc["meta"]["title"].get<std::string>()));
        CHECK(flatten_texts(toc[i].children) == headings_of(dir / "native" / (seeds[i].stem().string() + ".json")));
    }
    std::size_t with_sections = std::count_if(toc.begin(), toc.end(), [](const NavEntry& e) { return !e.children.empty(); });
    CHECK(with_sections >= 4);  // one seed has no headings of its own

    std::string opf = find_entry(entries, "OEBPS/content.opf")->data;
    // the book's title as given, its quotes made typographic as in the text
    CHECK_THAT(opf, Contains("<dc:title id=\"title\">Five &lt;seeds&gt; &amp; \u201Cmore\u201D</dc:title>"));
    CHECK_THAT(opf, Contains("<dc:creator id=\"creator-2\">B &lt;b&gt;</dc:creator>"));
    CHECK_THAT(opf, Contains("<dc:rights>CC BY 4.0</dc:rights>"));
    fs::remove_all(dir);
}

TEST_CASE("epubcheck: documents that try to break the writer are valid") {
    require_epubcheck();
    fs::path dir = fresh_dir("epubcheck-adversarial");
    spit(dir / "cover.png", kTinyPng);
    WriteOptions options;
    options.source_date_epoch = 1700000000;
    std::vector<std::pair<std::string, Document>> cases = {
        {"markup", markup_document()},
        {"cjk", cjk_document()},
        {"rtl", rtl_document()},
        {"empty-sections", empty_sections_document()},
        {"heading-only", heading_only_document()},
        {"five-thousand-paragraphs", long_document(5000)},
        {"empty", Document{}},
    };
    std::vector<fs::path> books;
    for (const auto& [name, doc] : cases) {
        books.push_back(dir / (name + ".epub"));
        spit(books.back(), write_document(doc, "epub", options));
    }
    // and all of them (but the long one, checked above) as one book, with a cover and
    // metadata full of markup
    std::vector<Document> chapters;
    for (const auto& [name, doc] : cases)
        if (name != "five-thousand-paragraphs") chapters.push_back(doc);
    Book book = make_book(std::move(chapters), markup_document().meta);
    options.cover_image = (dir / "cover.png").string();
    books.push_back(dir / "bundle.epub");
    spit(books.back(), write_book(book, "epub", options));
    check_clean(epubcheck_all(books));
    fs::remove_all(dir);
}

TEST_CASE("epub cli: the same input and SOURCE_DATE_EPOCH give identical bytes") {
    fs::path dir = fresh_dir("epub-reproducible");
    std::string args = "-q --to epub --bundle ";
    REQUIRE(run_dconv(dir, args + "one.epub " + kSeeds, "SOURCE_DATE_EPOCH=1700000000 TZ=UTC") == 0);
    REQUIRE(run_dconv(dir, args + "two.epub " + kSeeds, "SOURCE_DATE_EPOCH=1700000000 TZ=Asia/Tokyo") == 0);
    REQUIRE(run_dconv(dir, args + "three.epub " + kSeeds, "SOURCE_DATE_EPOCH=1700000002") == 0);
    std::string one = slurp(dir / "one.epub");
    REQUIRE(!one.empty());
    CHECK(one == slurp(dir / "two.epub"));
    CHECK(one != slurp(dir / "three.epub"));
    auto entries = unzip(one);
    REQUIRE(!entries.empty());
    CHECK_THAT(find_entry(entries, "OEBPS/content.opf")->data,
               Contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"));
    // without SOURCE_DATE_EPOCH the edition is dated by its content, never by the clock
    REQUIRE(run_dconv(dir, "-q --to epub -o a.epub " + seed_files().front().string(), "env -u SOURCE_DATE_EPOCH") == 0);
    REQUIRE(run_dconv(dir, "-q --to epub -o b.epub " + seed_files().front().string(), "env -u SOURCE_DATE_EPOCH") == 0);
    CHECK(slurp(dir / "a.epub") == slurp(dir / "b.epub"));
    CHECK(run_dconv(dir, "-q --to epub -o c.epub " + seed_files().front().string(), "SOURCE_DATE_EPOCH=yesterday") == 2);
    fs::remove_all(dir);
}

TEST_CASE("epub cli: bundles, metadata, styles and covers") {
    fs::path dir = fresh_dir("epub-cli");
    spit(dir / "cover.png", kTinyPng);
    spit(dir / "notes.txt", "not an image");
    auto seeds = seed_files();
    std::string two = seeds[0].string() + " " + seeds[1].string();

    SECTION("usage errors exit 2 and write nothing") {
        CHECK(run_dconv(dir, "--to epub --bundle b.epub -o out " + two) == 2);
        CHECK_THAT(slurp(dir / "stderr"), Contains("without -o"));
        CHECK(run_dconv(dir, "--to epub,md --bundle - " + two) == 2);
        CHECK(run_dconv(dir, "--to epub --style no-such-style " + two) == 2);
        CHECK_THAT(slurp(dir / "stderr"), Contains("no-such-style"));
        CHECK(run_dconv(dir, "--to epub --cover notes.txt " + two) == 2);
        CHECK_THAT(slurp(dir / "stderr"), Contains("JPEG or PNG"));
        CHECK(run_dconv(dir, "--to epub --cover missing.png " + two) == 2);
        CHECK(run_dconv(dir, "--to epub --metadata novalue " + two) == 2);
        CHECK_THAT(slurp(dir / "stderr"), Contains("KEY=VALUE"));
        CHECK_FALSE(fs::exists(dir / "b.epub"));
        CHECK_FALSE(fs::exists(dir / "out"));
    }
    SECTION("a bundle in several formats: the book's stem, each format's ending") {
        REQUIRE(run_dconv(dir, "-q --to epub,md,html --bundle book.epub --title Both " + two) == 0);
        CHECK(fs::exists(dir / "book.epub"));
        std::string md = slurp(dir / "book.md");
        CHECK_THAT(md, Contains("title: \"Both\""));
        CHECK_THAT(md, Contains("# China Contributes to a Better World"));
        CHECK_THAT(slurp(dir / "book.html"), Contains("<h1 class=\"title\">Both</h1>"));
    }
    SECTION("a bundle to standard output") {
        REQUIRE(run_dconv(dir, "-q --to epub --bundle - " + two) == 0);
        CHECK(slurp(dir / "stdout").starts_with("PK\x03\x04"));
    }
    SECTION("a missing input is reported; the book has the others") {
        CHECK(run_dconv(dir, "-q --to epub --bundle book.epub missing.txt " + two) == 1);
        CHECK_THAT(slurp(dir / "stderr"), Contains("missing.txt"));
        auto toc = epub_toc(find_entry(unzip(slurp(dir / "book.epub")), "OEBPS/nav.xhtml")->data);
        CHECK(toc.size() == 2);
    }
    SECTION("metadata, style and cover for one document") {
        REQUIRE(run_dconv(dir, "-q --to epub,html --style sans --cover cover.png --title 'T <1>' "
                           "--metadata subtitle=S --metadata lang=de -o out " + seeds[0].string()) == 0);
        auto entries = unzip(slurp(dir / "out" / (seeds[0].stem().string() + ".epub")));
        std::string opf = find_entry(entries, "OEBPS/content.opf")->data;
        CHECK_THAT(opf, Contains("<dc:title id=\"title\">T &lt;1&gt;</dc:title>"));
        CHECK_THAT(opf, Contains("<dc:language>de</dc:language>"));
        CHECK_THAT(opf, Contains("properties=\"cover-image\""));
        CHECK_THAT(find_entry(entries, "OEBPS/styles/style.css")->data, Contains("sans.css"));
        CHECK_THAT(find_entry(entries, "OEBPS/nav.xhtml")->data, Contains("<h1>Inhalt</h1>"));
        std::string html = slurp(dir / "out" / (seeds[0].stem().string() + ".html"));
        CHECK_THAT(html, Contains("<title>T &lt;1&gt;</title>"));
        CHECK_THAT(html, Contains("<p class=\"subtitle\">S</p>"));
    }
    SECTION("--list-formats names the styles") {
        REQUIRE(run_dconv(dir, "--list-formats") == 0);
        std::string out = slurp(dir / "stdout");
        CHECK_THAT(out, Contains("epub"));
        CHECK_THAT(out, Contains("html"));
        CHECK_THAT(out, Contains("default"));
        CHECK_THAT(out, Contains("sans"));
    }
    fs::remove_all(dir);
}

TEST_CASE("epubcheck: rich content and hostile images are valid") {
    require_epubcheck();
    fs::path dir = fresh_dir("epubcheck-rich");
    WriteOptions options;
    options.source_date_epoch = 1700000000;
    // three images (JPEG, PNG, GIF) and an SVG, two figures with captions, a table of
    // four rows and one with spans, notes, strikeout, sub- and superscript, a task list
    Document rich = rich_document();
    REQUIRE(validate(rich).empty());
    spit(dir / "rich.epub", write_document(rich, "epub", options));

    // a 10,000-column table as a reader leaves it (clipped to kMaxTableColumns), an SVG
    // with a script, a broken WebP and a good one, an image whose key is missing, and the
    // notes of a long chapter over several pages
    Document hostile = rich_document();
    Table wide;
    wide.columns.assign(10000, Alignment::Right);
    TableRow row;
    for (int i = 0; i < 10000; ++i) row.cells.push_back(cell(std::to_string(i)));
    wide.head = {row};
    wide.body = {row};
    CHECK(normalize_table(wide) > 0);
    hostile.blocks.push_back(Block{wide});
    hostile.resources["bad.svg"] = rich_resource("script.svg", "image/svg+xml", 10, 10);
    auto webp = std::make_shared<Resource>();
    webp->media_type = "image/webp";
    webp->bytes = std::string("RIFF\x1A\0\0\0WEBPVP8L", 16);
    hostile.resources["photo.webp"] = webp;
    auto real_webp = std::make_shared<Resource>();  // goes in as PNG
    real_webp->media_type = "image/webp";
    real_webp->bytes = read_bytes(fs::path(kSource) / "tests/data/images/green-7x5.webp");
    hostile.resources["green.webp"] = real_webp;
    hostile.blocks.push_back(paragraph(Inlines{Image{"script.svg", "hostile", "", "bad.svg"}, Text{" "},
                                               Image{"photo.webp", "a webp", "", "photo.webp"}, Text{" "},
                                               Image{"gone.png", "missing key", "", "gone.png"}, Text{" "},
                                               Image{"green.webp", "green", "", "green.webp"}}));
    for (int i = 0; i < 1500; ++i) {
        Note note;
        note.content.push_back(paragraph("Note " + std::to_string(i) + "."));
        hostile.blocks.push_back(paragraph(Inlines{
            Text{"Paragraph " + std::to_string(i) + " of a long chapter, which goes on and on for a while."}, note}));
    }
    CHECK(validate(hostile).size() == 1);  // the missing key: the writer shows the alt text
    Diagnostics diag;
    options.diagnostics = &diag;
    options.style = "sans";  // the other style's CSS, checked too
    std::string book = write_document(hostile, "epub", options);
    CHECK(diag.warnings() == 2);  // the script and the broken WebP; the missing key is validate's
    spit(dir / "hostile.epub", book);
    auto entries = unzip(book);
    CHECK(find_entry(entries, "OEBPS/text/chapter-001-2.xhtml"));  // the notes span pages

    check_clean(epubcheck_all({dir / "rich.epub", dir / "hostile.epub"}));
    // DCONV_KEEP_RICH_EPUB=DIR keeps the books, to look at (docs/rich-epub.png is the
    // rich book's chapter, rendered by headless Chromium)
    if (const char* keep = std::getenv("DCONV_KEEP_RICH_EPUB"); keep && *keep) {
        fs::create_directories(keep);
        for (const char* name : {"rich.epub", "hostile.epub"})
            fs::copy_file(dir / name, fs::path(keep) / name, fs::copy_options::overwrite_existing);
    }
    fs::remove_all(dir);
}

TEST_CASE("epub cli: a Markdown note's images reach the EPUB once and the HTML page inline") {
    fs::path dir = fresh_dir("epub-cli-images");
    for (const char* image : {"harbour.jpg", "quays.png", "badge.gif"})
        fs::copy_file(kRichData / image, dir / image);
    spit(dir / "note.md",
         "---\ntitle: Harbour note\nlang: en\n---\n\n"
         "![The east quay](harbour.jpg \"East quay\")\n\n"
         "![Tonnage by quay](quays.png) and ![Award](badge.gif) and again ![Award](badge.gif).\n\n"
         "![Not there](missing.png)\n");
    REQUIRE(run_dconv(dir, "--to epub,html -o out note.md") == 0);
    CHECK_THAT(slurp(dir / "stderr"), Contains("missing.png"));  // the resolver's warning

    auto entries = unzip(slurp(dir / "out" / "note.epub"));
    std::string opf = find_entry(entries, "OEBPS/content.opf")->data;
    CHECK_THAT(opf, Contains("media-type=\"image/jpeg\""));
    CHECK_THAT(opf, Contains("media-type=\"image/png\""));
    CHECK_THAT(opf, Contains("media-type=\"image/gif\""));
    std::size_t items = 0;
    for (std::size_t at = opf.find("href=\"images/"); at != std::string::npos; at = opf.find("href=\"images/", at + 1))
        ++items;
    CHECK(items == 3);
    const ZipEntry* jpeg = find_entry(entries, "OEBPS/images/image-001.jpg");
    REQUIRE(jpeg);
    CHECK(jpeg->data == read_bytes(kRichData / "harbour.jpg"));
    std::string page = find_entry(entries, "OEBPS/text/chapter-001.xhtml")->data;
    CHECK_THAT(page, Contains("<img src=\"../images/image-001.jpg\" alt=\"The east quay\" title=\"East quay\" "
                              "width=\"320\" height=\"180\"/>"));
    CHECK_THAT(page, Contains("<span class=\"image-alt\">Not there</span>"));

    std::string html = slurp(dir / "out" / "note.html");
    CHECK_THAT(html, Contains("<img src=\"data:image/jpeg;base64,/9j/"));
    CHECK_THAT(html, Contains("<span class=\"image-alt\">Not there</span>"));
    fs::remove_all(dir);
}
