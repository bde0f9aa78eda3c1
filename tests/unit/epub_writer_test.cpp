// epub_writer_test.cpp: the EPUB writer without epubcheck (see epubcheck_test.cpp for
// that): the container's layout, reproducibility, the identifier, the tables of
// contents, long chapters, covers, and golden files of the package and its pages
// (tests/golden/epub; regenerate with DCONV_UPDATE_GOLDEN=1 and review the diff).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <functional>
#include <fstream>
#include <set>

#include "dconv/book.hpp"
#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "epub/epub_writer.hpp"
#include "epub/identifier.hpp"
#include "support/test_files.hpp"
#include "unit/epub_test_support.hpp"

using namespace dconv;
using namespace dconv::test;
using Catch::Contains;

namespace {

constexpr std::int64_t kEpoch = 1700000000;  // 2023-11-14T22:13:20Z

WriteOptions dated() {
    WriteOptions options;
    options.source_date_epoch = kEpoch;
    return options;
}

std::string hex(const std::array<std::uint8_t, 20>& digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (auto b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
    }
    return out;
}

std::string entry(const std::vector<ZipEntry>& entries, std::string_view name) {
    const ZipEntry* e = find_entry(entries, name);
    INFO("entry " << name);
    REQUIRE(e);
    return e->data;
}

Book seeds_like_book() {
    Document a = markup_document();
    Document b = cjk_document();
    Document c = heading_only_document();
    return make_book({a, b, c}, Meta{});
}

}  // namespace

TEST_CASE("epub: mimetype comes first, stored, without an extra field") {
    std::string epub = write_epub(markup_document(), dated());
    LocalHeader first = first_local_header(epub);
    REQUIRE(first.valid);
    CHECK(first.name == "mimetype");
    CHECK(first.method == 0);
    CHECK(first.extra_length == 0);
    CHECK(first.data == "application/epub+zip");

    auto entries = unzip(epub);
    std::vector<std::string> names;
    for (const auto& e : entries) names.push_back(e.name);
    CHECK(names == std::vector<std::string>{"mimetype", "META-INF/container.xml", "OEBPS/content.opf",
                                            "OEBPS/nav.xhtml", "OEBPS/toc.ncx", "OEBPS/styles/style.css",
                                            "OEBPS/text/title.xhtml", "OEBPS/text/chapter-001.xhtml"});
    for (const auto& e : entries) {
        INFO(e.name);
        CHECK(e.stored == (e.name == "mimetype"));
        if (e.name.ends_with(".xhtml") || e.name.ends_with(".opf") || e.name.ends_with(".ncx") ||
            e.name.ends_with(".xml"))
            CHECK(xml_problem(e.data).empty());
    }
}

TEST_CASE("epub: the same input and epoch give the same bytes") {
    Document doc = markup_document();
    std::string first = write_epub(doc, dated());
    CHECK(first == write_epub(doc, dated()));
    Book book = seeds_like_book();
    CHECK(write_epub_book(book, dated()) == write_epub_book(book, dated()));

    WriteOptions later = dated();
    *later.source_date_epoch += 3600;
    std::string other = write_epub(doc, later);
    CHECK(other != first);
    CHECK_THAT(entry(unzip(other), "OEBPS/content.opf"),
               Contains("<meta property=\"dcterms:modified\">2023-11-14T23:13:20Z</meta>"));

    // without an epoch: the document's date, else the start of zip time; never the clock
    WriteOptions undated;
    CHECK(epub::edition_time(undated, doc.meta, {&doc}) == 1709164800);  // 2024-02-29
    Document no_date;
    CHECK(epub::edition_time(undated, no_date.meta, {&no_date}) == 315532800);
    CHECK(write_epub(doc, undated) == write_epub(doc, undated));
    CHECK(parse_source_date_epoch("1700000000") == 1700000000);
    CHECK_FALSE(parse_source_date_epoch("-5"));
    CHECK_FALSE(parse_source_date_epoch("12abc"));
    CHECK_FALSE(parse_source_date_epoch(""));
}

TEST_CASE("epub: the identifier is a UUID of the content") {
    CHECK(hex(epub::sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(hex(epub::sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(hex(epub::sha1(std::string(1000000, 'a'))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    // RFC 4122's DNS namespace and "python.org", as Python's uuid.uuid5 gives it
    std::array<std::uint8_t, 16> dns = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                        0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    CHECK(epub::uuid_v5(dns, "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d");

    Document doc = markup_document();
    std::string id = epub::content_identifier(doc.meta, {&doc});
    CHECK(id.size() == 45);
    CHECK(id.starts_with("urn:uuid:"));
    CHECK(id[23] == '5');
    Document moved = doc;
    moved.meta.source = "elsewhere.txt";
    CHECK(epub::content_identifier(moved.meta, {&moved}) == id);
    Document changed = doc;
    changed.blocks.push_back(make_paragraph("one more"));
    CHECK(epub::content_identifier(changed.meta, {&changed}) != id);

    WriteOptions sans = dated();
    sans.style = "sans";
    *sans.source_date_epoch += 1;
    CHECK_THAT(entry(unzip(write_epub(doc, sans)), "OEBPS/content.opf"), Contains(id));
}

TEST_CASE("epub: a bundle's contents list its chapters, each with its headings") {
    Book book = seeds_like_book();
    book.meta.title = "Three";
    WriteOptions every_level = dated();
    every_level.toc_depth = kMaxTocDepth;
    auto entries = unzip(write_epub_book(book, every_level));
    auto toc = epub_toc(entry(entries, "OEBPS/nav.xhtml"));
    REQUIRE(toc.size() == 3);
    CHECK(toc[0].text == "Title " + kMarkup);
    CHECK(toc[0].href == "text/chapter-001.xhtml");
    REQUIRE(toc[0].children.size() == 1);
    CHECK(toc[0].children[0].text == "Heading " + kMarkup);
    CHECK(toc[0].children[0].href == "text/chapter-001.xhtml#h-1");
    // the level-3 heading nests under it, its control characters dropped
    REQUIRE(toc[0].children[0].children.size() == 1);
    CHECK(toc[0].children[0].children[0].text == "Control  and  characters");
    CHECK(toc[1].text == "百年变局与世纪疫情下的中国外交");
    CHECK(toc[1].children.size() == 2);
    // no title: the first heading names the chapter
    CHECK(toc[2].text == "Heading number 1");
    std::size_t listed = 0;
    std::function<void(const std::vector<NavEntry>&)> count = [&](const std::vector<NavEntry>& es) {
        for (const auto& e : es) {
            ++listed;
            count(e.children);
        }
    };
    count(toc[2].children);
    CHECK(listed == 12);

    std::string opf = entry(entries, "OEBPS/content.opf");
    CHECK_THAT(opf, Contains("<itemref idref=\"titlepage\"/>\n<itemref idref=\"nav\"/>\n<itemref idref=\"chapter-001\"/>"));
    std::string chapter = entry(entries, "OEBPS/text/chapter-001.xhtml");
    CHECK_THAT(chapter, Contains("<p class=\"chapter-meta\">Author &lt;b&gt;"));
    // the chapter's own language, not the book's
    CHECK_THAT(entry(entries, "OEBPS/text/chapter-002.xhtml"), Contains("lang=\"zh\" xml:lang=\"zh\""));

    std::string ncx = entry(entries, "OEBPS/toc.ncx");
    CHECK(xml_problem(ncx).empty());
    CHECK_THAT(ncx, Contains("<meta name=\"dtb:uid\" content=\"urn:uuid:"));
    CHECK_THAT(ncx, Contains("playOrder=\"1\""));
}

TEST_CASE("epub: --toc-depth: a bundle's contents list two levels by default, as many as asked") {
    // Sixty web pages gave 983 entries with every level listed.
    Book book = seeds_like_book();
    auto listed = [&](int depth) {
        WriteOptions options = dated();
        options.toc_depth = depth;
        auto entries = unzip(write_epub_book(book, options));
        std::vector<NavEntry> toc = epub_toc(entry(entries, "OEBPS/nav.xhtml"));
        std::string ncx = entry(entries, "OEBPS/toc.ncx");
        CHECK(xml_problem(ncx).empty());
        std::size_t points = 0;
        for (std::size_t at = ncx.find("<navPoint "); at != std::string::npos; at = ncx.find("<navPoint ", at + 1))
            ++points;
        return std::pair{toc, points};
    };
    auto [by_default, ncx_default] = listed(0);
    REQUIRE(by_default.size() == 3);
    REQUIRE(by_default[0].children.size() == 1);
    CHECK(by_default[0].children[0].text == "Heading " + kMarkup);
    CHECK(by_default[0].children[0].children.empty());  // its level-3 heading is the third level
    auto [chapters_only, ncx_chapters] = listed(1);
    REQUIRE(chapters_only.size() == 3);
    for (const NavEntry& chapter : chapters_only) CHECK(chapter.children.empty());
    CHECK(ncx_chapters == 3);
    auto [all, ncx_all] = listed(kMaxTocDepth);
    CHECK(all[0].children[0].children.size() == 1);
    CHECK(ncx_chapters < ncx_default);
    CHECK(ncx_default < ncx_all);
}

TEST_CASE("epub: make_book fills the book's metadata from its chapters") {
    Document a, b;
    a.meta = {.title = "A", .authors = {"X", "Y"}, .date = "2020-01-02", .site = "S", .language = "en"};
    b.meta = {.title = "B", .authors = {"Y", "Z"}, .date = "2021-03-04", .site = "S", .language = "en"};
    Book book = make_book({a, b}, Meta{});
    CHECK(book.meta.title == "S");
    CHECK(book.meta.authors == std::vector<std::string>{"X", "Y", "Z"});
    CHECK(book.meta.date == "2021-03-04");
    CHECK(book.meta.language == "en");
    Meta given;
    set_meta_field(given, "Title", " Mine ");
    set_meta_field(given, "author", "Me");
    set_meta_field(given, "publisher", "P");
    set_meta_field(given, "rights", "CC0");
    Book mine = make_book({a, b}, given);
    CHECK(mine.meta.title == "Mine");
    CHECK(mine.meta.authors == std::vector<std::string>{"Me"});
    CHECK(mine.meta.site == "P");
    CHECK(mine.meta.extra.at("rights") == "CC0");
    CHECK_THROWS_AS(set_meta_field(given, " ", "x"), Error);

    b.meta.site = "T";
    CHECK(make_book({a, b}, Meta{}).meta.title == "Collected articles");
    CHECK(make_book({a}, Meta{}).meta.title == "A");

    Document flat = flatten(make_book({markup_document(), heading_only_document()}, Meta{}));
    REQUIRE(std::holds_alternative<Heading>(flat.blocks.front().node));
    CHECK(std::get<Heading>(flat.blocks.front().node).level == 1);
    // the first chapter's byline (its authors are the book's, yet its own), then its top level under its 1
    REQUIRE(std::holds_alternative<Paragraph>(flat.blocks[1].node));
    REQUIRE(std::holds_alternative<Heading>(flat.blocks[2].node));
    CHECK(std::get<Heading>(flat.blocks[2].node).level == 2);
    // flattened for writers without a book form
    std::string md = write_book(make_book({a, b}, Meta{}), "md", {});
    CHECK_THAT(md, Contains("# A"));
    CHECK_THAT(md, Contains("# B"));
}

// Trial 12: an article whose h1 became its title starts its sections at h2, and in a
// bundle written as one document they came out at level 3 under the chapter's level 1
// ("#", then "###"), where the EPUB and the PDF nest them directly under the chapter.
TEST_CASE("book: in every writer of one document, a chapter's sections are one level under its title") {
    Document ko;
    ko.meta.title = "Harbour article";
    ko.blocks.push_back(make_paragraph("The north pier reopened."));
    ko.blocks.push_back(make_heading(2, "Second part"));
    ko.blocks.push_back(make_paragraph("More."));
    ko.blocks.push_back(make_heading(3, "Third level"));
    Document deep;  // Markdown that starts at ####, then goes up to ###
    deep.meta.title = "Deep start";
    deep.blocks.push_back(make_heading(4, "Early small heading"));
    deep.blocks.push_back(make_heading(3, "Bigger heading"));
    deep.blocks.push_back(make_heading(4, "Under bigger"));
    Book book = make_book({ko, deep}, Meta{});

    Document flat = flatten(book);
    std::vector<int> levels;
    for (const Block& b : flat.blocks)
        if (const auto* h = std::get_if<Heading>(&b.node)) levels.push_back(h->level);
    CHECK(levels == std::vector<int>{1, 2, 3, 1, 3, 2, 3});

    std::string md = write_book(book, "md", {});
    CHECK_THAT(md, Contains("\n# Harbour article\n"));
    CHECK_THAT(md, Contains("\n## Second part\n"));
    CHECK_THAT(md, Contains("\n### Third level\n"));
    CHECK_THAT(md, Contains("\n## Bigger heading\n"));
    CHECK_THAT(md, Contains("\n### Early small heading\n"));
    std::string html = write_book(book, "html", {});
    CHECK_THAT(html, Contains("\">Second part</h2>"));
    CHECK_THAT(html, Contains("\">Bigger heading</h2>"));
    std::string txt = write_book(book, "txt", {});
    CHECK_THAT(txt, Contains("Second part\n-----------\n"));  // level 2's underline
    std::string native = write_book(book, "native", {});
    CHECK_THAT(native, !Contains("\"level\": 4") && !Contains("\"level\":4"));
}

// Trial 15: a bundle written as one document (Markdown, text, HTML) dropped each
// chapter's author and date, which the EPUB and the PDF show under its title.
TEST_CASE("book: a bundle written as one document keeps each chapter's byline under its title") {
    Document one, two, three;
    one.meta.title = "On the quay";
    one.meta.authors = {"Writer 1"};
    one.meta.date = "2024-02-01T09:00:00Z";
    one.blocks.push_back(make_paragraph("Text one."));
    two.meta.title = "On the pier";
    two.meta.authors = {"Writer 2", "Writer 3"};
    two.blocks.push_back(make_paragraph("Text two."));
    three.meta.title = "Untold";  // no author, no date: no byline
    three.blocks.push_back(make_paragraph("Text three."));
    Book book = make_book({one, two, three}, Meta{});
    std::string md = write_book(book, "md", {});
    CHECK_THAT(md, Contains("# On the quay\n\n*Writer 1 \u00B7 2024-02-01*\n\nText one."));
    CHECK_THAT(md, Contains("# On the pier\n\n*Writer 2, Writer 3*\n\nText two."));
    CHECK_THAT(md, Contains("# Untold\n\nText three."));
    CHECK_THAT(write_book(book, "txt", {}), Contains("Writer 1 \u00B7 2024-02-01"));
    // A single chapter's byline is the book's, in its front matter: not repeated.
    std::string single = write_book(make_book({one}, Meta{}), "md", {});
    CHECK(single.find("*Writer 1") == std::string::npos);
}

// Chapters that share their author, one of them with the book's date (the latest), are
// bylines all the same: only a book of one chapter has its byline in its metadata.
TEST_CASE("book: chapters sharing the book's author and date keep their bylines") {
    Document one, two;
    one.meta.title = "Early";
    one.meta.authors = {"Writer 1"};
    one.meta.date = "2024-01-01";
    one.blocks.push_back(make_paragraph("Text one."));
    two.meta.title = "Late";
    two.meta.authors = {"Writer 1"};
    two.meta.date = "2024-03-01";
    two.blocks.push_back(make_paragraph("Text two."));
    Book book = make_book({one, two}, Meta{});
    std::string md = write_book(book, "md", {});
    CHECK_THAT(md, Contains("# Early\n\n*Writer 1 \u00B7 2024-01-01*\n\nText one."));
    CHECK_THAT(md, Contains("# Late\n\n*Writer 1 \u00B7 2024-03-01*\n\nText two."));
}

TEST_CASE("epub: a long chapter is split over pages, and its contents point into them") {
    Document doc = long_document();
    auto entries = unzip(write_epub(doc, dated()));
    std::set<std::string> pages;
    for (const auto& e : entries) {
        if (!e.name.starts_with("OEBPS/text/chapter-")) continue;
        pages.insert(e.name.substr(6));
        INFO(e.name << " is " << e.data.size() << " bytes");
        CHECK(e.data.size() <= epub::kPartMaxBytes + 4096);
        CHECK(xml_problem(e.data).empty());
    }
    CHECK(pages.size() > 2);
    std::string opf = entry(entries, "OEBPS/content.opf");
    for (const auto& p : pages) CHECK_THAT(opf, Contains("href=\"" + p + "\""));
    auto toc = epub_toc(entry(entries, "OEBPS/nav.xhtml"));
    REQUIRE(toc.size() == 1);
    REQUIRE(toc[0].children.size() == 10);
    for (const auto& part : toc[0].children) {
        auto hash = part.href.find('#');
        REQUIRE(hash != std::string::npos);
        std::string page = entry(entries, "OEBPS/" + part.href.substr(0, hash));
        CHECK_THAT(page, Contains("id=\"" + part.href.substr(hash + 1) + "\""));
    }
}

TEST_CASE("epub: right-to-left books progress right to left") {
    auto entries = unzip(write_epub(rtl_document(), dated()));
    CHECK_THAT(entry(entries, "OEBPS/content.opf"), Contains("<spine toc=\"ncx\" page-progression-direction=\"rtl\">"));
    CHECK_THAT(entry(entries, "OEBPS/text/chapter-001.xhtml"), Contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\""));
}

TEST_CASE("epub: an empty document and one without a language still make a book") {
    auto entries = unzip(write_epub(Document{}, dated()));
    std::string opf = entry(entries, "OEBPS/content.opf");
    CHECK_THAT(opf, Contains("<dc:title id=\"title\">Untitled</dc:title>"));
    CHECK_THAT(opf, Contains("<dc:language>und</dc:language>"));
    CHECK(epub_toc(entry(entries, "OEBPS/nav.xhtml")).size() == 1);
    CHECK(unzip(write_epub_book(Book{}, dated())).size() == 8);
}

TEST_CASE("epub: a cover image") {
    fs::path dir = fresh_dir("epub-cover");
    spit(dir / "cover.png", kTinyPng);
    WriteOptions options = dated();
    options.cover_image = (dir / "cover.png").string();
    auto entries = unzip(write_epub(markup_document(), options));
    const ZipEntry* image = find_entry(entries, "OEBPS/images/cover.png");
    REQUIRE(image);
    CHECK(image->stored);
    CHECK(image->data == kTinyPng);
    std::string opf = entry(entries, "OEBPS/content.opf");
    CHECK_THAT(opf, Contains("<item id=\"cover-image\" href=\"images/cover.png\" media-type=\"image/png\" properties=\"cover-image\"/>"));
    CHECK_THAT(opf, Contains("<itemref idref=\"cover\"/>\n<itemref idref=\"titlepage\"/>"));
    CHECK_THAT(entry(entries, "OEBPS/text/cover.xhtml"), Contains("<img src=\"../images/cover.png\""));

    CHECK(epub::cover_media_type("\xFF\xD8\xFF\xE0") == "image/jpeg");
    CHECK(epub::cover_media_type("GIF89a").empty());
    spit(dir / "cover.gif", "GIF89a....");
    options.cover_image = (dir / "cover.gif").string();
    CHECK_THROWS_AS(write_epub(markup_document(), options), Error);
    options.cover_image = (dir / "missing.png").string();
    try {
        write_epub(markup_document(), options);
        FAIL("a missing cover was accepted");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::io);
        CHECK(e.file() == options.cover_image);
    }
    fs::remove_all(dir);
}

TEST_CASE("epub: a JPEG cover cut short is refused as truncated, without PNG's reason") {
    fs::path dir = fresh_dir("epub-cut-cover");
    std::string jpeg = read_bytes(fs::path(DCONV_SOURCE_DIR) / "tests/data/rich/harbour.jpg");
    REQUIRE(jpeg.size() > 300);
    spit(dir / "cut.jpg", jpeg.substr(0, 300));
    try {
        epub::read_cover((dir / "cut.jpg").string());
        FAIL("a cut JPEG cover was accepted");
    } catch (const Error& e) {
        INFO(e.message());
        CHECK(e.message().starts_with("the cover image, a JPEG file, is damaged: the file ends in the middle of the "
                                      "image (truncated)"));
        CHECK(e.message().find("png") == std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("epub: golden package, contents and pages") {
    Document doc = markup_document();
    doc.blocks.push_back(make_paragraph("A Chinese title in an English text: 百年变局与世纪疫情下的中国外交."));
    auto entries = unzip(write_epub(doc, dated()));
    const char* update = std::getenv("DCONV_UPDATE_GOLDEN");
    bool regenerate = update && std::string_view(update) == "1";
    for (const char* name : {"OEBPS/content.opf", "OEBPS/nav.xhtml", "OEBPS/toc.ncx", "OEBPS/text/title.xhtml",
                             "OEBPS/text/chapter-001.xhtml", "META-INF/container.xml"}) {
        std::string base = std::string(name).substr(std::string(name).find_last_of('/') + 1);
        fs::path path = fs::path(DCONV_SOURCE_DIR "/tests/golden/epub") / base;
        std::string actual = entry(entries, name);
        if (regenerate) {
            spit(path, actual);
            WARN("golden file regenerated: " << path.string());
            continue;
        }
        INFO("missing or different: " << path.string()
                                      << "; run with DCONV_UPDATE_GOLDEN=1 to regenerate, then review the diff");
        REQUIRE(fs::exists(path));
        CHECK(actual == slurp(path));
    }
}

// ---------------------------------------------------------------- rich content

namespace {

std::size_t count(const std::string& haystack, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

// A long chapter whose paragraphs each reference a note: it spans several pages.
Document long_document_with_notes() {
    Document doc = long_document(3000);
    int n = 0;
    for (Block& b : doc.blocks)
        if (auto* p = std::get_if<Paragraph>(&b.node); p && ++n % 7 == 0) {
            Note note;
            note.content.push_back(paragraph("Note on paragraph " + std::to_string(n) + "."));
            p->content.push_back(note);
        }
    return doc;
}

}  // namespace

TEST_CASE("epub: images are embedded once, with manifest entries, notes are EPUB 3 footnotes") {
    Document doc = rich_document();
    Diagnostics diag;
    WriteOptions options = dated();
    options.diagnostics = &diag;
    auto entries = unzip(write_epub(doc, options));
    CHECK(diag.warnings() == 0);
    std::string opf = entry(entries, "OEBPS/content.opf");
    CHECK_THAT(opf, Contains("<item id=\"image-001\" href=\"images/image-001.jpg\" media-type=\"image/jpeg\"/>"));
    CHECK_THAT(opf, Contains("<item id=\"image-002\" href=\"images/image-002.gif\" media-type=\"image/gif\"/>"));
    CHECK_THAT(opf, Contains("<item id=\"image-003\" href=\"images/image-003.svg\" media-type=\"image/svg+xml\"/>"));
    CHECK_THAT(opf, Contains("<item id=\"image-004\" href=\"images/image-004.png\" media-type=\"image/png\"/>"));
    CHECK(count(opf, "href=\"images/") == 4);
    // an image shown through <img> is no inline <svg>: its page needs no svg property
    CHECK(opf.find("properties=\"svg\"") == std::string::npos);
    const ZipEntry* jpeg = find_entry(entries, "OEBPS/images/image-001.jpg");
    REQUIRE(jpeg);
    CHECK(jpeg->data == doc.resources["img-1.jpg"]->bytes);
    CHECK(jpeg->stored);
    REQUIRE(find_entry(entries, "OEBPS/images/image-003.svg"));
    CHECK_FALSE(find_entry(entries, "OEBPS/images/image-003.svg")->stored);

    std::string page = entry(entries, "OEBPS/text/chapter-001.xhtml");
    INFO(page);
    REQUIRE(xml_problem(page).empty());
    CHECK_THAT(page, Contains("<figure>\n<img src=\"../images/image-001.jpg\" alt=\"The east quay at dawn\" "
                              "width=\"320\" height=\"180\"/>\n<figcaption>"));
    CHECK(count(page, "<figcaption>") == 2);
    CHECK(count(page, "<img ") == 4);
    CHECK_THAT(page, Contains("<span class=\"image-alt\">Map of the quays</span>"));
    CHECK_THAT(page, Contains("<del>forty</del>"));
    CHECK_THAT(page, Contains("H<sub>2</sub>O"));
    CHECK_THAT(page, Contains("<caption>Tonnage by quay</caption>"));
    tinyxml2::XMLDocument parsed;
    REQUIRE(parsed.Parse(page.c_str(), page.size()) == tinyxml2::XML_SUCCESS);
    std::vector<const tinyxml2::XMLElement*> tables, rows;
    find_all(parsed.RootElement(), "table", tables);
    REQUIRE(tables.size() == 2);
    find_all(tables[0], "tr", rows);
    CHECK(rows.size() == 4);
    CHECK_THAT(page, Contains("<a id=\"fnref-1\" href=\"#fn-1\" class=\"noteref\" epub:type=\"noteref\" "
                              "role=\"doc-noteref\"><sup>1</sup></a>"));
    CHECK_THAT(page, Contains("<section class=\"footnotes\" epub:type=\"footnotes\">\n<aside id=\"fn-1\" "
                              "class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\">"));
    CHECK(count(page, "epub:type=\"footnote\"") == 3);
    CHECK(broken_fragments(page).empty());
}

TEST_CASE("epub: a bundle's dc:source lists its chapters' URLs, not local file paths") {
    Document a = markup_document(), b = cjk_document();
    a.meta.source = "https://example.org/news/pier.html";
    b.meta.source = "notes/week/b.txt";
    std::string opf = entry(unzip(write_book(make_book({a, b}, Meta{}), "epub", dated())), "OEBPS/content.opf");
    CHECK_THAT(opf, Contains("<dc:source>https://example.org/news/pier.html</dc:source>"));
    CHECK_THAT(opf, !Contains("notes/week/b.txt"));
}

TEST_CASE("epub: one document's dc:source is its web address, not a local path, unless the user gave it") {
    Document doc = markup_document();
    doc.meta.source = "d1/notes.txt";
    CHECK_THAT(entry(unzip(write_epub(doc, dated())), "OEBPS/content.opf"), !Contains("d1/notes.txt"));
    WriteOptions given = dated();
    given.source_given = true;
    CHECK_THAT(entry(unzip(write_epub(doc, given)), "OEBPS/content.opf"),
               Contains("<dc:source>d1/notes.txt</dc:source>"));
    doc.meta.source = "HTTPS://example.org/pier.html";  // any case
    CHECK_THAT(entry(unzip(write_epub(doc, dated())), "OEBPS/content.opf"),
               Contains("<dc:source>HTTPS://example.org/pier.html</dc:source>"));
}

TEST_CASE("epub: a bundle embeds an image its chapters share once") {
    Document a = rich_document();
    Document b = rich_document();  // other Resource objects, the same bytes
    b.meta.title = "Again";
    auto entries = unzip(write_book(make_book({a, b}, Meta{}), "epub", dated()));
    std::string opf = entry(entries, "OEBPS/content.opf");
    CHECK(count(opf, "href=\"images/") == 4);
    std::string second = entry(entries, "OEBPS/text/chapter-002.xhtml");
    CHECK_THAT(second, Contains("<img src=\"../images/image-001.jpg\""));
    // each chapter numbers its notes from 1 on its own pages
    CHECK_THAT(second, Contains("id=\"fn-1\""));
    CHECK(broken_fragments(second).empty());

    // flattened (HTML, Markdown): the same key for the same bytes is one resource; the
    // same key for other bytes is renamed in the later chapter, with its images
    Document c = rich_document();
    auto other = std::make_shared<Resource>(*c.resources["img-1.jpg"]);
    other->bytes = read_bytes(kRichData / "quays.png");
    other->media_type = "image/png";
    c.resources["img-1.jpg"] = other;
    Document flat = flatten(make_book({a, b, c}, Meta{}));
    CHECK(validate(flat).empty());
    CHECK(flat.resources.size() == 5);
    REQUIRE(flat.resources.count("c3-img-1.jpg"));
    CHECK(flat.resources["c3-img-1.jpg"]->media_type == "image/png");
    std::string html = write_document(flat, "html", {});
    CHECK(count(html, "<img src=\"data:image/jpeg") == 2);
    CHECK(count(html, "<img src=\"data:image/png") == 4);
    CHECK(broken_fragments(html).empty());
}

TEST_CASE("epub: a long chapter's notes stay on the pages that reference them") {
    auto entries = unzip(write_epub(long_document_with_notes(), dated()));
    std::size_t pages = 0, notes = 0;
    for (const ZipEntry& e : entries) {
        if (!e.name.starts_with("OEBPS/text/chapter-")) continue;
        ++pages;
        INFO(e.name);
        CHECK(broken_fragments(e.data).empty());
        CHECK(count(e.data, "epub:type=\"noteref\"") == count(e.data, "epub:type=\"footnote\""));
        notes += count(e.data, "epub:type=\"footnote\"");
    }
    CHECK(pages >= 2);
    CHECK(notes == 3000 / 7);
}

TEST_CASE("epub: images that cannot be in the book keep their alt text, with a warning") {
    Document doc;
    doc.meta.title = "Hostile images";
    doc.blocks.push_back(paragraph(Inlines{Image{"script.svg", "hostile", "", "bad.svg"}, Text{" "},
                                           Image{"photo.webp", "a webp", "", "photo.webp"}, Text{" "},
                                           Image{"gone.png", "missing key", "", "gone.png"}, Text{" "},
                                           Image{"badge.gif", "fine", "", "ok.gif"}}));
    doc.resources["bad.svg"] = rich_resource("script.svg", "image/svg+xml", 10, 10);
    auto webp = std::make_shared<Resource>();
    webp->media_type = "image/webp";
    webp->bytes = std::string("RIFF\x1A\0\0\0WEBPVP8L", 16);
    webp->origin = "photo.webp";
    doc.resources["photo.webp"] = webp;
    doc.resources["ok.gif"] = rich_resource("badge.gif", "image/gif", 48, 48);
    CHECK(validate(doc).size() == 1);  // the missing key
    Diagnostics diag;
    WriteOptions options = dated();
    options.diagnostics = &diag;
    auto entries = unzip(write_epub(doc, options));
    std::string opf = entry(entries, "OEBPS/content.opf");
    CHECK(count(opf, "href=\"images/") == 1);
    CHECK(opf.find("svg") == std::string::npos);
    CHECK(opf.find("webp") == std::string::npos);
    std::string page = entry(entries, "OEBPS/text/chapter-001.xhtml");
    CHECK_THAT(page, Contains("<p><span class=\"image-alt\">hostile</span> <span class=\"image-alt\">a webp</span> "
                              "<span class=\"image-alt\">missing key</span> <img src=\"../images/image-001.gif\""));
    for (const ZipEntry& e : entries) CHECK(e.data.find("tracker.example") == std::string::npos);
    REQUIRE(diag.warnings() == 2);
    CHECK_THAT(diag.items()[0].reason, Contains("script.svg"));
    CHECK_THAT(diag.items()[1].reason, Contains("WebP"));
}

TEST_CASE("epub: a WebP image goes in as PNG (EPUB 3.2 has no WebP)") {
    Document doc;
    doc.meta.title = "WebP";
    auto webp = std::make_shared<Resource>();
    webp->media_type = "image/webp";
    webp->bytes = read_bytes(fs::path(DCONV_SOURCE_DIR) / "tests/data/images/green-7x5.webp");
    webp->width = 7;
    webp->height = 5;
    REQUIRE(!webp->bytes.empty());
    doc.resources["img-1.webp"] = webp;
    doc.blocks.push_back(paragraph(Inlines{Image{"green.webp", "green", "", "img-1.webp"}}));
    auto entries = unzip(write_epub(doc, dated()));
    CHECK_THAT(entry(entries, "OEBPS/content.opf"),
               Contains("<item id=\"image-001\" href=\"images/image-001.png\" media-type=\"image/png\"/>"));
    CHECK(entry(entries, "OEBPS/images/image-001.png").starts_with("\x89PNG\r\n\x1A\n"));
    CHECK_THAT(entry(entries, "OEBPS/text/chapter-001.xhtml"),
               Contains("<img src=\"../images/image-001.png\" alt=\"green\" width=\"7\" height=\"5\"/>"));
}

TEST_CASE("epub: golden package and page of rich content") {
    auto entries = unzip(write_epub(rich_document(), dated()));
    const char* update = std::getenv("DCONV_UPDATE_GOLDEN");
    bool regenerate = update && std::string_view(update) == "1";
    for (const char* name : {"OEBPS/content.opf", "OEBPS/text/chapter-001.xhtml"}) {
        std::string base = std::string(name).substr(std::string(name).find_last_of('/') + 1);
        fs::path path = fs::path(DCONV_SOURCE_DIR "/tests/golden/epub/rich") / base;
        std::string actual = entry(entries, name);
        if (regenerate) {
            spit(path, actual);
            WARN("golden file regenerated: " << path.string());
            continue;
        }
        INFO("missing or different: " << path.string()
                                      << "; run with DCONV_UPDATE_GOLDEN=1 to regenerate, then review the diff");
        REQUIRE(fs::exists(path));
        CHECK(actual == slurp(path));
    }
}

TEST_CASE("epub: a user style's @import and url() to other files are left out, each with a warning") {
    // Regression: they went into the book as written, which epubcheck rejects (RSC-007:
    // a referenced resource missing from the container), and nothing was said.
    std::filesystem::path dir = dconv::testing::fresh_dir("epub-style-references");
    std::filesystem::path css = dir / "ext.css";
    std::ofstream(css) << "@import url(\"other.css\");\n"
                          "@font-face { font-family: X; src: url(fonts/x.woff2); }\n"
                          "body { background: url(bg.png); font-family: X, serif }\n"
                          "p::after { content: \"url(no.png);\" }\n"
                          "h1 { background: url(\"data:image/png;base64,AAAA\") }\n";
    Document doc;
    doc.meta.title = "Styled";
    doc.blocks.push_back(paragraph("A paragraph."));
    Diagnostics diag;
    WriteOptions options = dated();
    options.diagnostics = &diag;
    options.style = css.string();
    std::string style = entry(unzip(write_epub(doc, options)), "OEBPS/styles/style.css");
    CHECK(style.find("@import") == std::string::npos);
    CHECK(style.find("x.woff2") == std::string::npos);
    CHECK(style.find("bg.png") == std::string::npos);
    CHECK_THAT(style, Contains("font-family: X, serif"));
    CHECK_THAT(style, Contains("content: \"url(no.png);\""));  // a string, not a url()
    CHECK_THAT(style, Contains("url(\"data:image/png;base64,AAAA\")"));  // inside the file
    REQUIRE(diag.warnings() == 3);
    CHECK_THAT(diag.items()[0].reason, Contains("ext.css:1: style: '@import url(\"other.css\")'"));
    CHECK_THAT(diag.items()[1].reason, Contains("ext.css:2:"));
    CHECK_THAT(diag.items()[2].reason, Contains("ext.css:3: style: 'background: url(bg.png)'"));
    std::filesystem::remove_all(dir);
}
