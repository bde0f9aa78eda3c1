// cli_checks_test.cpp: what the command checks before and while it converts (issue 16):
// the format asked for by the output file's name, the files given as --style and
// --cover, the kinds of inputs (devices, FIFOs, one file given twice), file names in
// messages, --skip-existing and unreadable inputs.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/test_files.hpp"
#include "unit/cli_test_support.hpp"
#include "unit/epub_test_support.hpp"
#include "unit/process_test_support.hpp"

namespace fs = std::filesystem;

namespace {

using namespace dconv::testing::cli;
using dconv::testing::kArticle;
using Catch::Contains;

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

// ------------------------------------------------------------ the format from the name

TEST_CASE("checks: -o x.pdf without --to writes a PDF") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "-o x.pdf page.txt");
    CHECK(r.status == 0);
    CHECK(starts_with(slurp(dir.work / "x.pdf"), "%PDF-"));
}

TEST_CASE("checks: --bundle b.epub without --to writes an EPUB") {
    TempDir dir;
    dir.write("a.txt", kArticle);
    dir.write("b.txt", kArticle);
    Run r = run_dconv(dir, "--bundle b.epub a.txt b.txt");
    CHECK(r.status == 0);
    std::string book = slurp(dir.work / "b.epub");
    CHECK(starts_with(book, "PK"));
    CHECK(book.find("application/epub+zip") != std::string::npos);
}

TEST_CASE("checks: -o with an ending no writer claims still writes Markdown, and says so") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "-o notes.docx page.txt");
    CHECK(r.status == 0);
    CHECK(starts_with(slurp(dir.work / "notes.docx"), "---\n"));  // the YAML front matter
    CHECK_THAT(r.err, Contains("notes.docx: warning: no format writes .docx files: writing Markdown"));
    Run named = run_dconv(dir, "--to md -o notes.out page.txt");  // --to chose: nothing to say
    CHECK(named.status == 0);
    CHECK(named.err.find("no format writes") == std::string::npos);
}

TEST_CASE("checks: format names are matched without regard to case as endings are") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "--to PDF -o x.pdf page.txt");
    CHECK(r.status == 0);
    CHECK(starts_with(slurp(dir.work / "x.pdf"), "%PDF-"));
    Run from = run_dconv(dir, "--from MarkDown --to TXT -o y.txt page.txt");
    CHECK(from.status == 0);
    CHECK(fs::exists(dir.work / "y.txt"));
}

TEST_CASE("checks: -o x.htm writes HTML, as -o x.html does") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "-o x.htm page.txt");
    CHECK(r.status == 0);
    std::string page = slurp(dir.work / "x.htm");
    CHECK(page.find("<html") != std::string::npos);
    CHECK(r.err.find("no format writes") == std::string::npos);
}

TEST_CASE("checks: --to contradicting the output's ending is a usage error") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "--to epub -o book.pdf page.txt");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("book.pdf"));
    CHECK_THAT(r.err, Contains("--force-extension"));
    CHECK_FALSE(fs::exists(dir.work / "book.pdf"));
    Run bundle = run_dconv(dir, "--to pdf --bundle b.epub page.txt");
    CHECK(bundle.status == 2);
    CHECK_FALSE(fs::exists(dir.work / "b.epub"));
}

TEST_CASE("checks: --force-extension writes the --to format under any name") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "--to epub --force-extension -o book.pdf page.txt");
    CHECK(r.status == 0);
    CHECK(starts_with(slurp(dir.work / "book.pdf"), "PK"));
}

TEST_CASE("checks: --to agreeing with the ending, or an alias of it, is fine") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    CHECK(run_dconv(dir, "--to pdf -o a.pdf page.txt").status == 0);
    CHECK(run_dconv(dir, "--to markdown -o a.md page.txt").status == 0);
    CHECK(run_dconv(dir, "-o a.markdown page.txt").status == 0);
    CHECK(starts_with(slurp(dir.work / "a.markdown"), "---\n"));
}

TEST_CASE("checks: -o naming one file for several URL inputs is refused before any is fetched") {
    // a listening socket that nobody accepts on: a fetch would leave a connection queued
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 8) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    std::string base = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    TempDir dir;
    Run r = run_dconv(dir, "--timeout 5 -o x.pdf " + base + "/a " + base + "/b");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("dconv: -o x.pdf names one file, but 2 inputs were given"));
    Run piped = run_dconv(dir, "--timeout 5 -o - " + base + "/a " + base + "/b");
    CHECK(piped.status == 2);
    CHECK_THAT(piped.err, Contains("-o - writes one document to standard output"));
    ::fcntl(listener, F_SETFL, O_NONBLOCK);
    int connection = ::accept(listener, nullptr, nullptr);
    CHECK(connection < 0);  // nothing was fetched
    if (connection >= 0) ::close(connection);
    ::close(listener);
}

TEST_CASE("checks: -o naming one file for several inputs is a usage error that teaches --bundle") {
    TempDir dir;
    dir.write("a.txt", kArticle);
    dir.write("b.txt", kArticle);
    Run r = run_dconv(dir, "-o two.pdf a.txt b.txt");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("dconv: -o two.pdf names one file, but 2 inputs were given: use --bundle two.pdf"));
    CHECK_THAT(r.err, Contains("or -o DIR/"));
    CHECK_FALSE(fs::exists(dir.work / "two.pdf"));  // no folder made, nothing converted
    Run formats = run_dconv(dir, "--to md,txt -o one.md a.txt");
    CHECK(formats.status == 2);
    CHECK_THAT(formats.err, Contains("-o one.md names one file, but 2 formats were asked for"));
    CHECK_FALSE(fs::exists(dir.work / "one.md"));
    fs::create_directories(dir.work / "pages");
    dir.write("pages/c.txt", kArticle);
    Run folder = run_dconv(dir, "-o c.md pages");
    CHECK(folder.status == 2);
    CHECK_THAT(folder.err, Contains("a folder of inputs was given"));
}

TEST_CASE("checks: -o ending in a slash or naming a folder stays a folder for several inputs") {
    TempDir dir;
    dir.write("a.txt", kArticle);
    dir.write("b.txt", kArticle);
    Run slash = run_dconv(dir, "-o two.pdf/ a.txt b.txt");
    CHECK(slash.status == 0);
    CHECK(fs::exists(dir.work / "two.pdf" / "a.md"));
    CHECK(fs::exists(dir.work / "two.pdf" / "b.md"));
    fs::create_directories(dir.work / "old.epub");
    Run existing = run_dconv(dir, "-o old.epub a.txt b.txt");
    CHECK(existing.status == 0);
    CHECK(fs::exists(dir.work / "old.epub" / "b.md"));
    Run plain = run_dconv(dir, "-o editions a.txt b.txt");  // no format's ending: a folder, as before
    CHECK(plain.status == 0);
    CHECK(fs::exists(dir.work / "editions" / "a.md"));
}

TEST_CASE("checks: a number option given a word says what number is expected") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run columns = run_dconv(dir, "--columns abc page.txt");
    CHECK(columns.status == 2);
    CHECK_THAT(columns.err, Contains("dconv: --columns: expected a whole number from 0 to 100000 (the plain "
                                     "text width in characters; 0: no wrapping), not 'abc'"));
    CHECK_FALSE(fs::exists(dir.work / "out"));
    CHECK(run_dconv(dir, "--columns 1.5 page.txt").status == 2);
    CHECK(run_dconv(dir, "--columns -3 page.txt").status == 2);
    Run timeout = run_dconv(dir, "--timeout soon page.txt");
    CHECK(timeout.status == 2);
    CHECK_THAT(timeout.err, Contains("dconv: --timeout: expected a number from 0 to 1000000000 (seconds"));
    CHECK_THAT(timeout.err, Contains("not 'soon'"));
    // a value is shown escaped, as a file name is: no raw escape reaches the terminal
    Run escaped = run_dconv(dir, "--columns " + quote("\x1B[31mX") + " page.txt");
    CHECK(escaped.status == 2);
    CHECK(escaped.err.find('\x1B') == std::string::npos);
    CHECK_THAT(escaped.err, Contains("not '\\x1B[31mX'"));
    Run explained = run_dconv(dir, "--explain=" + quote("\x1B[2J") + " page.txt");
    CHECK(explained.status == 2);
    CHECK(explained.err.find('\x1B') == std::string::npos);
    Run jobs = run_dconv(dir, "-j many page.txt");
    CHECK_THAT(jobs.err, Contains("dconv: --jobs: expected a whole number from 0 to 4096"));
    // good values still pass
    Run good = run_dconv(dir, "-q --to txt --columns 30 --timeout 2.5 -j 1 -o - page.txt");
    CHECK(good.status == 0);
    std::istringstream lines(good.out);
    std::size_t widest = 0;
    for (std::string line; std::getline(lines, line);) widest = std::max(widest, line.size());
    CHECK(widest <= 30);
}

// ------------------------------------------------------------------ --style, --cover

namespace {

// A valid 8x8 red PNG, and the same with its pixel data damaged (the header still
// says PNG: a magic-byte check passes it).
std::string png(bool damaged) {
    auto be32 = [](std::uint32_t v) {
        return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                           static_cast<char>(v)};
    };
    // zlib stream of 8 rows "\0" + 8 x (FF 00 00), stored (no compression)
    std::string raw;
    for (int y = 0; y < 8; ++y) {
        raw += '\0';
        for (int x = 0; x < 8; ++x) raw += std::string("\xFF\x00\x00", 3);
    }
    std::uint32_t a = 1, b = 0;
    for (unsigned char c : raw) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    std::string zlib = std::string("\x78\x01", 2) + '\x01' + static_cast<char>(raw.size() & 0xFF) +
                       static_cast<char>(raw.size() >> 8) + static_cast<char>(~raw.size() & 0xFF) +
                       static_cast<char>((~raw.size() >> 8) & 0xFF) + raw + be32((b << 16) | a);
    if (damaged) zlib.replace(2, 5, std::string(5, '\x00'));
    auto chunk = [&](const std::string& type, const std::string& data) {
        std::uint32_t crc = 0xFFFFFFFF;
        for (unsigned char c : type + data) {
            crc ^= c;
            for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
        }
        return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(~crc);
    };
    std::string header = be32(8) + be32(8) + std::string("\x08\x02\x00\x00\x00", 5);
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", "");
}

}  // namespace

TEST_CASE("checks: a broken --style CSS file is refused with its file and line") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    dir.write("broken.css", "body { margin: 0 }\n\np {\n  color: red;\n  text-indent 2em;\n}\n");
    dir.write("open.css", "body { margin: 0 }\nh1 { color: red;\n");
    for (const char* format : {"epub", "html"}) {
        Run r = run_dconv(dir, std::string("--to ") + format + " --style broken.css page.txt");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("broken.css:5:"));
        CHECK_FALSE(fs::exists(dir.work / "out"));
    }
    Run open = run_dconv(dir, "--to epub --style open.css page.txt");
    CHECK(open.status == 2);
    CHECK_THAT(open.err, Contains("open.css:2:"));
    dir.write("fine.css", "/* a theme */\n@media screen { p { color: #333; } }\np { margin: 0 0 1em; }\n");
    CHECK(run_dconv(dir, "--to epub --style fine.css page.txt").status == 0);
    // The print style of PDF is parsed by its own parser, which names the line too.
    dir.write("print.css", "@page {\n  size: A4;\n  margin nonsense;\n}\n");
    Run pdf = run_dconv(dir, "--to pdf --style print.css page.txt");
    CHECK(pdf.status == 2);
    CHECK_THAT(pdf.err, Contains("print.css:3"));
    // A value print cannot use is ignored as CSS ignores it, with a warning naming the line.
    dir.write("value.css", "@page {\n  size: A4;\n  margin: nonsense;\n}\n");
    Run value = run_dconv(dir, "--to pdf --style value.css page.txt");
    CHECK(value.status == 0);
    CHECK_THAT(value.err, Contains("value.css:3"));
}

TEST_CASE("checks: a damaged --cover image is refused, a sound one used") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    dir.write("good.png", png(false));
    dir.write("bad.png", png(true));
    Run good = run_dconv(dir, "--to epub --cover good.png page.txt");
    CHECK(good.status == 0);
    Run bad = run_dconv(dir, "--to epub --cover bad.png page.txt");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Contains("dconv: bad.png: the cover image, a PNG file, is damaged: its compressed pixel "
                                 "data is corrupt (stb_image: \""));
    // bytes after its end (a download's padding) do not make it "truncated": stb's reason
    dir.write("bad-trail.png", png(true) + "trailing bytes");
    Run trail = run_dconv(dir, "--to epub --cover bad-trail.png page.txt");
    CHECK(trail.status == 2);
    CHECK_THAT(trail.err, Contains("dconv: bad-trail.png: the cover image, a PNG file, is damaged: its compressed "
                                   "pixel data is corrupt (stb_image: \""));
    CHECK_THAT(trail.err, !Contains("truncated"));
}

TEST_CASE("checks: a refused --cover says why in words") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    std::string whole = png(false);
    dir.write("cut.png", whole.substr(0, whole.size() - 20));  // truncated in its pixel data
    dir.write("cut-header.png", whole.substr(0, 40));         // truncated in its header
    dir.write("header.jpg", std::string("\xFF\xD8\xFF\xE0", 4) + std::string(40, '\0') + "\xFF\xD9");
    Run cut = run_dconv(dir, "--to pdf --cover cut.png page.txt");
    CHECK(cut.status == 2);
    CHECK_THAT(cut.err, Contains("dconv: cut.png: the cover image, a PNG file, is damaged: the file ends in the "
                                 "middle of the image (truncated)"));
    Run header = run_dconv(dir, "--to epub --cover cut-header.png page.txt");
    CHECK(header.status == 2);
    CHECK_THAT(header.err, Contains("cut-header.png: the cover image, a PNG file, is damaged: the file ends in "
                                    "the middle of the image (truncated)"));
    Run jpeg = run_dconv(dir, "--to epub --cover header.jpg page.txt");
    CHECK(jpeg.status == 2);
    CHECK_THAT(jpeg.err, Contains("header.jpg: the cover image, a JPEG file, is damaged: its header is not a valid "
                                  "JPEG header"));
    CHECK_FALSE(fs::exists(dir.work / "out"));
}

TEST_CASE("checks: Markdown's relative images reach the same files from another output folder") {
    TempDir dir;
    dir.write("notes/img/red.png", png(false));
    dir.write("notes/n.md", "# Note\n\nSome text.\n\n![red square](img/red.png)\n\n![gone](img/gone.png)\n\n"
                            "![remote](https://example.org/a.png)\n");
    Run r = run_dconv(dir, "-q --to md,html,epub -o other/dir/ notes/n.md");
    CHECK(r.status == 0);
    std::string md = slurp(dir.work / "other/dir/n.md");
    CHECK_THAT(md, Contains("![red square](../../notes/img/red.png)"));
    CHECK(slurp(dir.work / "other/dir" / "../../notes/img/red.png") == png(false));  // it resolves
    CHECK_THAT(md, Contains("![gone](img/gone.png)"));                     // not found: as written
    CHECK_THAT(md, Contains("![remote](https://example.org/a.png)"));      // a URL: as written
    CHECK_THAT(slurp(dir.work / "other/dir/n.html"), Contains("src=\"data:image/png;base64,"));  // embedded
    CHECK_THAT(slurp(dir.work / "other/dir/n.epub"), Contains("OEBPS/images/image-001.png"));
    // the default out/ folder, and the input's own folder (nothing to rewrite)
    CHECK(run_dconv(dir, "-q --to md notes/n.md").status == 0);
    CHECK_THAT(slurp(dir.work / "out/n.md"), Contains("![red square](../notes/img/red.png)"));
    CHECK(run_dconv(dir, "-q --to md -o notes/copy.md notes/n.md").status == 0);
    CHECK_THAT(slurp(dir.work / "notes/copy.md"), Contains("![red square](img/red.png)"));
    // standard output has no folder: as written
    Run piped = run_dconv(dir, "-q --to md -o - notes/n.md");
    CHECK_THAT(piped.out, Contains("![red square](img/red.png)"));
    // a Markdown book: the same, from the book's folder
    CHECK(run_dconv(dir, "-q --to md --bundle books/all.md notes/n.md").status == 0);
    CHECK_THAT(slurp(dir.work / "books/all.md"), Contains("![red square](../notes/img/red.png)"));
}

TEST_CASE("checks: --resource-path DIR takes one folder and leaves the input to be an input") {
    TempDir dir;
    dir.write("pics/red.png", png(false));
    dir.write("more/blue.png", slurp(fs::path(DCONV_SOURCE_DIR) / "tests/data/images/blue-4x3.png"));
    dir.write("notes/n.md", "# Note\n\nSome text.\n\n![red](red.png)\n\n![blue](blue.png)\n");
    Run r = run_dconv(dir, "-q --to md --resource-path pics --resource-path more notes/n.md");
    INFO(r.err);
    CHECK(r.status == 0);  // it was "no inputs", exit 2: the input was taken as a second folder
    std::string md = slurp(dir.work / "out/n.md");
    CHECK_THAT(md, Contains("![red](../pics/red.png)"));  // found under --resource-path, linked there
    CHECK_THAT(md, Contains("![blue](../more/blue.png)"));
    // pandoc's form: folders separated by ':'
    Run joined = run_dconv(dir, "-q --to md -o joined/ --resource-path pics:more notes/n.md");
    CHECK(joined.status == 0);
    CHECK_THAT(slurp(dir.work / "joined/n.md"), Contains("![blue](../more/blue.png)"));
}

TEST_CASE("checks: a rebased image links its own file even when another holds the same bytes") {
    TempDir dir;
    dir.write("notes/img/red.png", png(false));
    dir.write("notes/sub/rel.png", png(false));  // a byte-identical copy: stored once
    dir.write("notes/img/a%20b.png", slurp(fs::path(DCONV_SOURCE_DIR) / "tests/data/images/blue-4x3.png"));  // a URL reads "a b.png"
    dir.write("notes/n.md", "# Note\n\nSome text.\n\n![red](img/red.png)\n\n![ref][r]\n\n"
                            "![pct](img/a%2520b.png)\n\n[r]: sub/rel.png \"title\"\n");
    Run r = run_dconv(dir, "-q --to md,epub notes/n.md");
    CHECK(r.status == 0);
    std::string md = slurp(dir.work / "out/n.md");
    CHECK_THAT(md, Contains("![red](../notes/img/red.png)"));
    CHECK_THAT(md, Contains("![ref](../notes/sub/rel.png \"title\")"));  // not ../notes/img/red.png
    CHECK_THAT(md, Contains("![pct](../notes/img/a%2520b.png)"));         // not a%20b.png ("a b.png")
    CHECK(fs::is_regular_file(dir.work / "out/n.epub"));
}

TEST_CASE("checks: a Markdown image with a ?query or #fragment is its file, inside the EPUB and the PDF") {
    TempDir dir;
    dir.write("notes/img/red.png", png(false));
    dir.write("notes/img/blue.png", slurp(fs::path(DCONV_SOURCE_DIR) / "tests/data/images/blue-4x3.png"));
    dir.write("notes/n.md", "# Note\n\nSome text.\n\n![red](img/red.png?v=2)\n\n![blue](img/blue.png#frag)\n");
    Run r = run_dconv(dir, "--to md,epub,pdf notes/n.md");
    CHECK(r.status == 0);
    CHECK(r.err.find("not loaded") == std::string::npos);
    // the EPUB's manifest lists both images
    auto entries = dconv::test::unzip(slurp(dir.work / "out/n.epub"));
    const dconv::test::ZipEntry* opf = dconv::test::find_entry(entries, "OEBPS/content.opf");
    REQUIRE(opf);
    CHECK_THAT(opf->data, Contains("href=\"images/image-001.png\""));
    CHECK_THAT(opf->data, Contains("href=\"images/image-002.png\""));
    // the PDF draws both: pdfimages -list has two header lines, then a line per image
    if (std::system("command -v pdfimages >/dev/null") != 0) {
        WARN("pdfimages (poppler-utils) not installed: the PDF is not checked");
    } else {
        std::string list = dir.work.string() + "/list.txt";
        REQUIRE(std::system(("pdfimages -list " + quote((dir.work / "out/n.pdf").string()) + " >" + quote(list)).c_str()) == 0);
        std::string lines = slurp(list);
        CHECK(std::count(lines.begin(), lines.end(), '\n') == 4);
    }
    // Markdown links the file itself from out/
    std::string md = slurp(dir.work / "out/n.md");
    CHECK_THAT(md, Contains("![red](../notes/img/red.png)"));
    CHECK_THAT(md, Contains("![blue](../notes/img/blue.png)"));
}

TEST_CASE("checks: a FIFO as --style or --cover is refused at once, not waited on") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    REQUIRE(::mkfifo((dir.work / "pipe").c_str(), 0600) == 0);
    Run style = run_dconv(dir, "--to epub --style pipe page.txt");
    CHECK(style.status == 2);
    CHECK_THAT(style.err, Contains("pipe: the style must be a regular file"));
    Run cover = run_dconv(dir, "--to epub --cover pipe page.txt");
    CHECK(cover.status == 2);
    CHECK_THAT(cover.err, Contains("pipe: the cover image must be a regular file"));
    CHECK(style.seconds < 10);
    CHECK(cover.seconds < 10);
}

// ------------------------------------------------------------------------------ inputs

TEST_CASE("checks: /dev/zero and a FIFO as inputs are refused before reading, the rest converts") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    REQUIRE(::mkfifo((dir.work / "pipe.txt").c_str(), 0600) == 0);
    Run r = run_dconv(dir, "-o out/ /dev/zero pipe.txt page.txt");
    CHECK(r.status == 1);
    CHECK(r.seconds < 10);
    CHECK_THAT(r.err, Contains("/dev/zero: not a regular file (a device)"));
    CHECK_THAT(r.err, Contains("pipe.txt: not a regular file (a pipe)"));
    CHECK(fs::exists(dir.work / "out" / "page.md"));
    // Standard input may be a pipe.
    Run piped = run_dconv(dir, "-o - -", (dir.work / "page.txt").string());
    CHECK(piped.status == 0);
    CHECK_THAT(piped.out, Contains("zebracorn"));
}

TEST_CASE("checks: one file given twice (through a link) is converted once, with a warning") {
    TempDir dir;
    dir.write("pages/a.txt", kArticle);
    fs::create_symlink("a.txt", dir.work / "pages" / "b.txt");
    Run r = run_dconv(dir, "-o out/ pages/");
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("pages/b.txt: warning: the same file as pages/a.txt; converted once"));
    CHECK_THAT(r.err, Contains("converted 1 of 1 input"));
    CHECK(fs::exists(dir.work / "out" / "a.md"));
    CHECK_FALSE(fs::exists(dir.work / "out" / "b.md"));
    Run given_twice = run_dconv(dir, "-o out2/ pages/a.txt pages/b.txt");
    CHECK(given_twice.status == 0);
    CHECK_THAT(given_twice.err, Contains("the same file as pages/a.txt"));
}

TEST_CASE("checks: a link in a folder input back to a folder above it is not followed, with one warning") {
    // /tmp/trial12/symloop: `up -> ..` was walked some 40 levels deep (the kernel's limit
    // on links in a path), each level's files "the same file as" the first.
    TempDir dir;
    dir.write("pages/a.txt", kArticle);
    dir.write("pages/sub/b.txt", kArticle);
    fs::create_directory_symlink("..", dir.work / "pages" / "sub" / "up");
    fs::create_directory_symlink(".", dir.work / "pages" / "here");
    Run r = run_dconv(dir, "-o out/ pages/");
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("pages/sub/up: warning: a link to pages/, a folder walked already; not followed"));
    CHECK_THAT(r.err, Contains("pages/here: warning: a link to pages/, a folder walked already; not followed"));
    // /tmp/trial12/symloop/d/up -> ..: a link to the folder the root is in is one too
    // (followed, it would list the root again, and whatever lies beside it)
    dir.write("top/d/f1.txt", kArticle);
    dir.write("top/beside/other.txt", kArticle);
    fs::create_directory_symlink("..", dir.work / "top" / "d" / "up");
    Run above = run_dconv(dir, "-o out2/ top/d/");
    CHECK(above.status == 0);
    CHECK_THAT(above.err, Contains("top/d/up: warning: a link to "));
    CHECK_THAT(above.err, Contains("/top, a folder the input is in (a loop); not followed"));
    CHECK_THAT(above.err, Contains("converted 1 of 1 input"));
    CHECK(above.err.find("the same file as") == std::string::npos);
    CHECK(r.err.find("the same file as") == std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 3);
    CHECK_THAT(r.err, Contains("converted 2 of 2 inputs"));
    CHECK(fs::exists(dir.work / "out" / "a.md"));
    CHECK(fs::exists(dir.work / "out" / "sub" / "b.md"));
}

namespace {

// Folders l_0 .. l_levels, each with one article and two links x, y -> ../l_{i+1}.
// dconv's stderr lines on converting them.
std::size_t stderr_lines_for_sibling_links(int levels) {
    TempDir dir;
    for (int i = 0; i <= levels; ++i) {
        const std::string level = "links/l_" + std::to_string(i);
        dir.write(level + "/f.txt", kArticle);
        if (i == levels) continue;
        for (const char* name : {"x", "y"})
            fs::create_directory_symlink("../l_" + std::to_string(i + 1), dir.work / level / name);
    }
    Run r = run_dconv(dir, "--to txt -o out/ links/");
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("links/l_0/x: warning: a link to links/l_1, a folder walked already; not followed"));
    CHECK_THAT(r.err, Contains("converted " + std::to_string(levels + 1) + " of " + std::to_string(levels + 1)));
    CHECK(r.err.find("the same file as") == std::string::npos);
    return static_cast<std::size_t>(std::count(r.err.begin(), r.err.end(), '\n'));
}

}  // namespace

TEST_CASE("checks: links to sibling folders are walked once each, with one warning a link") {
    // Only links to folders above were caught: l_i/{x,y} -> ../l_{i+1} walked 2^n paths
    // (22 levels: over 30 s), each level's files "the same file as" the first. Counted in
    // warnings (one a folder entered twice): 8 times the levels within 9 times the lines.
    const std::size_t two = stderr_lines_for_sibling_links(2);
    const std::size_t sixteen = stderr_lines_for_sibling_links(16);
    INFO("2 levels: " << two << " lines, 16 levels: " << sixteen);
    CHECK(sixteen <= 9 * two);
    CHECK(sixteen >= 2 * 16);  // x and y of every level named
}

TEST_CASE("checks: the fetched pages' folder of an interrupted run is removed by the next run") {
    // Ctrl-C ends dconv from its signal handler, which cannot walk a tree: the folder of
    // fetched pages stayed in $TMPDIR for good, though the message said "temporary files
    // are removed on the next run". Its name now carries its pid; the next run removes
    // those of processes that are gone, and no other.
    TempDir dir;
    dir.write("a.txt", kArticle);
    const fs::path tmp = dir.root / "tmp";
    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    REQUIRE(child > 0);
    ::waitpid(child, nullptr, 0);  // gone: its pid names an abandoned folder
    const fs::path abandoned = tmp / ("dconv-fetch-" + std::to_string(child) + "-Ab12Cd");
    const fs::path running = tmp / ("dconv-fetch-" + std::to_string(::getpid()) + "-Ef34Gh");
    const fs::path unknown = tmp / "dconv-fetch-Ij56Kl";  // no pid: whose it is cannot be told
    for (const fs::path& folder : {abandoned, running, unknown}) {
        fs::create_directories(folder / "pages");
        std::ofstream(folder / "pages" / "1.html") << "<p>page</p>";
    }
    const char* before = std::getenv("TMPDIR");
    const std::string saved = before ? before : "";
    ::setenv("TMPDIR", tmp.c_str(), 1);
    Run r = run_dconv(dir, "-o out/ a.txt");
    if (before) ::setenv("TMPDIR", saved.c_str(), 1);
    else ::unsetenv("TMPDIR");
    CHECK(r.status == 0);
    CHECK_FALSE(fs::exists(abandoned));
    CHECK(fs::exists(running / "pages" / "1.html"));
    CHECK(fs::exists(unknown / "pages" / "1.html"));
    CHECK_THAT(r.err, Contains("dconv: removed 1 folder of fetched pages left by an interrupted run"));
}

TEST_CASE("checks: Ctrl-C on a batch says how far it got, and ends as SIGINT ends a process") {
    // The trial: an interrupted batch printed nothing.
    TempDir dir;
    dir.write("a.txt", kArticle);
    // Waiting for standard input (the second input), after the inputs were listed.
    int feed[2];
    REQUIRE(::pipe(feed) == 0);
    {
        dconv::test::Child child({kBinary, "-o", "out/", "a.txt", "-"}, dir.work, feed[0], -1, dir.capture / "err1");
        // The output folder is made once the inputs are listed, after the handler is in
        // place, before standard input is read: the readiness sign.
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!fs::exists(dir.work / "out") && !child.ended() && std::chrono::steady_clock::now() < give_up)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        REQUIRE(fs::exists(dir.work / "out"));
        REQUIRE_FALSE(child.ended());
        ::kill(child.pid(), SIGINT);
        dconv::test::ProcessResult r = child.wait();
        ::close(feed[1]);
        UNSCOPED_INFO(r.err);
        CHECK(r.signal == SIGINT);  // the shell says 130
        CHECK(r.err == "dconv: interrupted: 0 of 2 inputs written; temporary files are removed on the next run "
                       "(--skip-existing resumes the batch)\n");
    }
    // In the middle of a batch: as many as were written. Inputs of 20 articles each, so
    // that 3,000 take far longer than noticing the first output does.
    std::string long_article;
    for (int i = 0; i < 20; ++i) {  // appended in place: GCC 12 warns falsely of std::string(...) + "\n"
        long_article += kArticle;
        long_article += '\n';
    }
    for (int i = 0; i < 3000; ++i) dir.write("in/p" + std::to_string(i) + ".txt", long_article);
    auto outputs = [&] {  // complete outputs: not the hidden temporaries
        std::size_t n = 0;
        std::error_code ec;
        for (auto it = fs::directory_iterator(dir.work / "many", ec); !ec && it != fs::directory_iterator(); ++it)
            n += !it->path().filename().string().starts_with(".");
        return n;
    };
    // Runs the batch until `enough` outputs exist, interrupts it, and returns what it said
    // it had written.
    auto interrupt_after = [&](std::vector<std::string> args, std::size_t enough, const char* capture) {
        dconv::test::Child child(std::move(args), dir.work, -1, -1, dir.capture / capture);
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (!child.ended() && std::chrono::steady_clock::now() < give_up && outputs() < enough)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        REQUIRE_FALSE(child.ended());  // the batch must still be running: it cannot be judged otherwise
        ::kill(child.pid(), SIGINT);
        dconv::test::ProcessResult r = child.wait();
        UNSCOPED_INFO(r.err);
        CHECK(r.signal == SIGINT);
        std::size_t at = r.err.rfind("dconv: interrupted: ");
        REQUIRE(at != std::string::npos);
        CHECK_THAT(r.err.substr(at), Contains(" of 3000 inputs written; temporary files are removed on the next run"));
        CHECK(r.err.back() == '\n');
        return std::stoul(r.err.substr(at + 20));
    };
    std::size_t written = interrupt_after({kBinary, "-j1", "-o", "many/", "in/"}, 20, "err2");
    const std::size_t files = outputs();
    CHECK(written + 1 >= 20);  // the 20th may be renamed in place and not yet counted
    CHECK(written <= files);
    // Resumed with --skip-existing, the inputs skipped count as written: their outputs
    // exist (they counted in M, not in N, and "N of M" shrank on each resume).
    std::size_t resumed = interrupt_after({kBinary, "-j1", "--skip-existing", "-o", "many/", "in/"}, files + 1, "err3");
    CHECK(resumed >= files + 1);
    CHECK(resumed <= outputs());
}

TEST_CASE("checks: an input that fails from an --input-file names the list and its line") {
    TempDir dir;
    dir.write("a.txt", kArticle);
    dir.write("list.txt", "# pages to convert\na.txt\n\n  gone.txt  \n/dev/zero\n");
    Run r = run_dconv(dir, "-o editions/ -i list.txt");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: gone.txt: No such file or directory (listed at list.txt:4)\n"));
    CHECK_THAT(r.err, Contains("dconv: /dev/zero: not a regular file (a device)"));
    CHECK_THAT(r.err, Contains("(listed at list.txt:5)\n"));
    CHECK(fs::exists(dir.work / "editions" / "a.md"));  // the rest converted
    // on the command line, no list to name
    Run direct = run_dconv(dir, "-o editions/ gone.txt");
    CHECK_THAT(direct.err, Contains("dconv: gone.txt: No such file or directory\n"));
    // standard input twice: the second place named
    dir.write("twice.txt", "-\na.txt\n-\n");
    Run twice = run_dconv(dir, "-o editions/ -i twice.txt");
    CHECK(twice.status == 2);
    CHECK_THAT(twice.err, Contains("dconv: standard input (-) given more than once (again at twice.txt:3)"));
    // a list that cannot be read says why
    Run unreadable = run_dconv(dir, "-i nowhere.txt");
    CHECK(unreadable.status == 2);
    CHECK_THAT(unreadable.err, Contains("dconv: nowhere.txt: cannot read the --input-file: No such file or directory"));
    fs::create_directories(dir.work / "folder");
    Run folder = run_dconv(dir, "-i folder");
    CHECK(folder.status == 2);
    CHECK_THAT(folder.err, Contains("dconv: folder: cannot read the --input-file: it is a folder"));
    // a list's name is escaped as a file name is
    std::string list = "l\x1B[2Jist.txt";
    dir.write(list, "gone.txt\n");
    Run escaped = run_dconv(dir, "-o editions/ -i " + quote(list));
    CHECK(escaped.err.find('\x1B') == std::string::npos);
    CHECK_THAT(escaped.err, Contains("(listed at l\\x1B[2Jist.txt:1)"));
    // the same name given several times: each entry names its own list and line, and the
    // one on the command line none (the first list's line was named for all of them)
    dir.write("l2.txt", "gone.txt\n");
    Run mixed = run_dconv(dir, "-o editions/ gone.txt -i l2.txt");
    CHECK_THAT(mixed.err, Contains("dconv: gone.txt: No such file or directory\n"));
    CHECK_THAT(mixed.err, Contains("dconv: gone.txt: No such file or directory (listed at l2.txt:1)\n"));
    Run lists = run_dconv(dir, "-o editions/ -i l2.txt -i list.txt gone.txt");
    CHECK_THAT(lists.err, Contains("(listed at l2.txt:1)\n"));
    CHECK_THAT(lists.err, Contains("dconv: gone.txt: No such file or directory (listed at list.txt:4)\n"));
    CHECK_THAT(lists.err, Contains("dconv: gone.txt: No such file or directory\n"));
}

TEST_CASE("checks: control characters in file names are escaped in messages") {
    TempDir dir;
    std::string name = "evil\x1b[2Jname\nforged line.txt";
    dir.write(name, std::string("\x00\x01\x02\x03\x04\x05 binary", 13) + std::string(64, '\0'));
    Run r = run_dconv(dir, "-o out/ " + quote(name));
    CHECK(r.status == 1);
    CHECK(r.err.find('\x1b') == std::string::npos);
    CHECK_THAT(r.err, Contains("evil\\x1B[2Jname\\nforged line.txt: binary data"));
}

TEST_CASE("checks: --skip-existing converts an input whose output is an empty file") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    dir.write("out/page.md", "");
    Run r = run_dconv(dir, "--skip-existing -o out/ page.txt");
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("converted 1 of 1 input"));
    CHECK(fs::file_size(dir.work / "out" / "page.md") > 0);
    Run again = run_dconv(dir, "--skip-existing -o out/ page.txt");
    CHECK_THAT(again.err, Contains("1 skipped"));
}

TEST_CASE("checks: unreadable folders and files are reported as Permission denied") {
    TempDir dir;
    dir.write("pages/good.txt", kArticle);
    dir.write("pages/locked/hidden.txt", kArticle);
    dir.write("secret.txt", kArticle);
    fs::permissions(dir.work / "pages" / "locked", fs::perms::none);
    fs::permissions(dir.work / "secret.txt", fs::perms::none);
    fs::create_directories(dir.work / "out");
    fs::permissions(dir.work / "out", fs::perms::all);
    std::string prefix;
    if (::geteuid() == 0) {  // root reads everything: run as nobody
        if (std::system("command -v setpriv >/dev/null 2>&1") != 0) {
            WARN("running as root without setpriv: permission test skipped");
            return;
        }
        fs::permissions(dir.root, fs::perms::all);
        fs::permissions(dir.capture, fs::perms::all);
        prefix = "--reuid=65534 --regid=65534 --clear-groups ";
    }
    auto run_as = [&](const std::string& args) {
        if (prefix.empty()) return run_dconv(dir, args);
        // setpriv runs dconv as nobody: the binary is given through the shell
        std::string command = "cd " + quote(dir.work.string()) + " && setpriv " + prefix + quote(kBinary) + " " + args +
                              " </dev/null >" + quote((dir.capture / "stdout").string()) + " 2>" +
                              quote((dir.capture / "stderr").string());
        int raw = std::system(command.c_str());
        Run r;
        r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
        r.err = slurp(dir.capture / "stderr");
        UNSCOPED_INFO("dconv " << args << "\nstatus " << r.status << "\nstderr:\n" << r.err);
        return r;
    };
    Run folder = run_as("-o out/ pages/");
    CHECK(folder.status == 1);
    CHECK_THAT(folder.err, Contains("pages/locked: Permission denied"));
    CHECK(fs::exists(dir.work / "out" / "good.md"));
    Run locked_only = run_as("-o out/ pages/locked");
    CHECK(locked_only.status == 1);
    CHECK_THAT(locked_only.err, Contains("pages/locked: Permission denied"));
    CHECK_THAT(locked_only.err, !Contains("no input files found"));
    Run file = run_as("-o out/ secret.txt");
    CHECK(file.status == 1);
    CHECK_THAT(file.err, Contains("secret.txt: Permission denied"));
}

// --------------------------------------------------------------------------- messages

TEST_CASE("checks: warnings carry the dconv: prefix errors have") {
    TempDir dir;
    dir.write("empty.txt", "");
    dir.write("bad.bin.txt", std::string("\x00\x01\x02\x03\x04\x05", 6) + std::string(64, '\0'));
    Run r = run_dconv(dir, "-o out/ empty.txt bad.bin.txt");
    CHECK_THAT(r.err, Contains("dconv: empty.txt: warning: "));
    CHECK_THAT(r.err, Contains("dconv: bad.bin.txt: binary data"));
    std::istringstream lines(r.err);
    for (std::string line; std::getline(lines, line);)
        if (line.find("warning:") != std::string::npos) CHECK(starts_with(line, "dconv: "));
}

TEST_CASE("checks: --no-clean takes nothing out of the text, metadata included") {
    TempDir dir;
    const std::string page =
        "Harbour reopens after two years\n\nBy Mary Byrne\n\nThe north pier reopened on Monday, after two "
        "years of repairs that cost the town more than it had planned.\n";
    dir.write("page.txt", page);
    Run r = run_dconv(dir, "--no-clean --no-front-matter -o - page.txt");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("By Mary Byrne"));
    CHECK_THAT(r.out, Contains("Harbour reopens after two years"));
    Run cleaned = run_dconv(dir, "--to native -o - page.txt");
    Run kept = run_dconv(dir, "--no-clean --to native -o - page.txt");
    CHECK_THAT(cleaned.out, Contains("\"authors\""));  // the byline became an author
    CHECK_THAT(kept.out, !Contains("\"authors\""));
}

// ------------------------------------------------------------- alone or in a batch

namespace {

// The unit model's feature rows dconv prints for `page` (DCONV_UNIT_FEATURES), in order,
// without the file name.
std::vector<std::string> unit_rows(const std::string& err, const std::string& page) {
    std::vector<std::string> rows;
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);) {
        const std::string prefix = "dconv-unit\t";
        if (!starts_with(line, prefix)) continue;
        std::size_t tab = line.find('\t', prefix.size());
        if (tab == std::string::npos || line.substr(prefix.size(), tab - prefix.size()).find(page) == std::string::npos)
            continue;
        rows.push_back(line.substr(tab));
    }
    return rows;
}

}  // namespace

TEST_CASE("checks: a page converts the same alone and next to another site's file") {
    // The batch's template knowledge (lines several pages share) may change a page: an
    // unrelated file must not. The unit model once read a page's lines as 1/N of the
    // batch, and -1 alone, so the same page came out differently with a note beside it.
    TempDir dir;
    const std::string page = dconv::testing::slurp(fs::path(DCONV_SOURCE_DIR) / "tests/data/rich/article.html");
    REQUIRE_FALSE(page.empty());
    dir.write("article.html", page);
    dir.write("note.txt", "Bread at home\n\nMix the flour, the water and the salt, and leave the dough overnight "
                          "before you shape it and bake it in a hot oven.\n");
    ::setenv("DCONV_UNIT_FEATURES", "1", 1);
    Run alone = run_dconv(dir, "-q -o alone/ article.html");
    Run both = run_dconv(dir, "-q -o both/ article.html note.txt");
    ::unsetenv("DCONV_UNIT_FEATURES");
    REQUIRE(alone.status == 0);
    REQUIRE(both.status == 0);
    std::vector<std::string> rows = unit_rows(alone.err, "article.html");
    REQUIRE(rows.size() > 5);  // the model measured the page
    CHECK(rows == unit_rows(both.err, "article.html"));
    CHECK(slurp(dir.work / "alone" / "article.md") == slurp(dir.work / "both" / "article.md"));
}

// ------------------------------------------------------------ fix 11: the messages

TEST_CASE("checks: an ftp:// input says the scheme is unsupported, naming the input") {
    // it said "No such file or directory"
    TempDir dir;
    dir.write("a.txt", kArticle);
    Run r = run_dconv(dir, "-o out/ ftp://example.org/a.html a.txt");
    CHECK(r.status == 1);  // an input that could not be converted; the other was
    CHECK_THAT(r.err, Contains("dconv: ftp://example.org/a.html: unsupported URL scheme 'ftp': dconv fetches "
                               "http and https URLs (and no file has this name)\n"));
    CHECK(fs::exists(dir.work / "out" / "a.md"));
}

TEST_CASE("checks: -o afile/ when afile is a file says so") {
    // it said "cannot create directory: File exists"
    TempDir dir;
    dir.write("a.txt", kArticle);
    dir.write("afile", "not a folder\n");
    Run r = run_dconv(dir, "a.txt -o afile/");
    CHECK(r.status == 3);
    CHECK_THAT(r.err, Contains("dconv: afile/: cannot create the folder: afile is a file, not a folder\n"));
    Run deeper = run_dconv(dir, "a.txt -o afile/sub/a.md");
    CHECK(deeper.status == 3);
    CHECK_THAT(deeper.err, Contains("dconv: afile/sub: cannot create the folder: afile is a file, not a folder\n"));
}

TEST_CASE("checks: a full disk is reported, for a file and for standard output") {
    TempDir dir;
    dir.write("a.txt", kArticle);
    Run file = run_dconv(dir, "a.txt -o /dev/full");
    CHECK(file.status == 3);
    CHECK_THAT(file.err, Contains("dconv: /dev/full: cannot write: No space left on device\n"));
    // standard output: the reason was left out ("cannot write")
    std::string command = "cd " + quote(dir.work.string()) + " && " + quote(kBinary) + " --to txt -o - a.txt >/dev/full 2>" +
                          quote((dir.capture / "stderr").string());
    int raw = std::system(command.c_str());
    CHECK((WIFEXITED(raw) && WEXITSTATUS(raw) == 3));
    CHECK_THAT(slurp(dir.capture / "stderr"), Contains("dconv: standard output: cannot write: No space left on device\n"));
}

TEST_CASE("checks: --paper below the minimum names the minimum") {
    // "unknown paper '1in 1in'", and "too small for the margins" without a size
    TempDir dir;
    dir.write("a.txt", kArticle);
    Run small = run_dconv(dir, "--to pdf --paper '1in 1in' a.txt -o a.pdf");
    CHECK(small.status == 2);
    CHECK_THAT(small.err, Contains("dconv: paper '1in 1in' is too small: each side must be at least 2in (51mm)\n"));
    Run margins = run_dconv(dir, "--to pdf --paper '3in 3in' a.txt -o a.pdf");
    CHECK(margins.status == 2);
    CHECK_THAT(margins.err, Contains("is too small for the margins of style 'default': the smallest it takes is "));
    CHECK_FALSE(fs::exists(dir.work / "a.pdf"));
}
