// pdf_writer_test.cpp: PDF editions checked by the tools people check PDFs with.
//
//   qpdf --check        the file's structure and streams are sound
//   pdffonts            every font is embedded and subset
//   pdftotext           the words of every gold paragraph of the seeds come back, in
//                       order; the Chinese title of seed 004 too; no watermark text
//   qpdf --json         the bookmarks: as many as the document has headings
// plus page numbers, file sizes, reproducible bytes, and hostile documents (a 2,000
// character word, a 1 MB paragraph, no text at all, emoji, mixed scripts).
// The tools come from tools/setup.sh (qpdf, poppler-utils); without them the tests fail
// and say so.
#include <catch2/catch.hpp>

#include "support/capture.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "dconv/convert.hpp"
#include "dconv/model.hpp"
#include "support/test_files.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kSource = DCONV_SOURCE_DIR;
const std::string kBinary = DCONV_BINARY_DIR "/dconv";

using dconv::testing::fresh_dir;
using dconv::testing::slurp;

void spit(const fs::path& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary);
    out << data;
}

// Runs a command; its standard output, and its exit status in `status`.
using dconv::testing::capture;

void require_tools() {
    for (const char* tool : {"qpdf", "pdffonts", "pdftotext", "pdfinfo"}) {
        int status = 0;
        capture(std::string("command -v ") + tool + " >/dev/null 2>&1", &status);
        INFO(tool << " is missing: run tools/setup.sh (packages qpdf, poppler-utils)");
        REQUIRE(status == 0);
    }
}

// qpdf --check: exit 0, and no warnings.
void check_structure(const fs::path& pdf) {
    int status = 0;
    std::string out = capture("qpdf --check '" + pdf.string() + "' 2>&1", &status);
    INFO(pdf.string() << "\n" << out);
    CHECK(status == 0);
    CHECK(out.find("No syntax or stream encoding errors") != std::string::npos);
    CHECK(out.find("WARNING") == std::string::npos);
}

// pdffonts: every font embedded and subset; returns the fonts' names.
std::vector<std::string> check_fonts(const fs::path& pdf) {
    std::string out = capture("pdffonts '" + pdf.string() + "' 2>&1");
    std::istringstream lines(out);
    std::string line;
    std::vector<std::string> names;
    int row = 0;
    while (std::getline(lines, line)) {
        if (++row <= 2) continue;  // the table's head and rule
        std::istringstream fields(line);
        std::vector<std::string> f;
        std::string w;
        while (fields >> w) f.push_back(w);
        REQUIRE(f.size() >= 7);
        // name type [subtype] encoding emb sub uni object ID: emb, sub, uni are the
        // three yes/no columns before the object number.
        std::size_t n = f.size();
        INFO(line);
        CHECK(f[n - 5] == "yes");  // embedded
        CHECK(f[n - 4] == "yes");  // subset
        CHECK(f[0].size() > 7);
        CHECK(f[0][6] == '+');     // ABCDEF+Name
        names.push_back(f[0]);
    }
    CHECK(!names.empty());
    return names;
}

std::string pdf_text(const fs::path& pdf, int page = 0) {
    std::string range = page ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
    return capture("pdftotext -enc UTF-8" + range + " '" + pdf.string() + "' - 2>/dev/null");
}

int page_count(const fs::path& pdf) {
    std::string info = capture("pdfinfo '" + pdf.string() + "' 2>/dev/null");
    std::size_t at = info.find("Pages:");
    REQUIRE(at != std::string::npos);
    return std::atoi(info.c_str() + at + 6);
}

int count_outlines(const json& items) {
    int n = 0;
    for (const json& item : items) n += 1 + count_outlines(item.value("kids", json::array()));
    return n;
}

int bookmarks(const fs::path& pdf) {
    json j = json::parse(capture("qpdf --json --json-key=outlines '" + pdf.string() + "'"));
    return count_outlines(j["outlines"]);
}

// Words as the text comparison sees them: hyphens, soft hyphens and spaces gone, each
// CJK character a word of its own. A word broken at a line end ("hyphen-\nation")
// comes back whole.
std::vector<std::string> words(std::string_view text_in) {
    std::string joined;
    joined.reserve(text_in.size());
    for (std::size_t i = 0; i < text_in.size(); ++i) {
        if (text_in[i] == '-' && i + 1 < text_in.size() && text_in[i + 1] == '\n') {
            ++i;  // a hyphen at a line's end joins the lines
            continue;
        }
        joined += text_in[i];
    }
    std::vector<std::string> out;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) out.push_back(word);
        word.clear();
    };
    for (std::size_t i = 0; i < joined.size();) {
        std::size_t at = i;
        char32_t c = dconv::text::next(joined, i);
        if (dconv::text::is_space(c) || c == 0x00AD || c == '\f') {
            flush();
        } else if (c == '-' || c == 0x2010 || c == '*') {
            continue;  // hyphens, and the gold's Markdown emphasis marks
        } else if (c == 0x201C || c == 0x201D || c == 0x201E) {
            word += '"';  // the PDF's typographic quotes are the gold's straight ones
        } else if (c == 0x2018 || c == 0x2019 || c == 0x201A) {
            word += '\'';
        } else if (dconv::text::is_cjk(c) || dconv::text::is_cjk_punct(c)) {
            flush();
            out.emplace_back(joined.substr(at, i - at));
        } else {
            word.append(joined, at, i - at);
        }
    }
    flush();
    return out;
}

// How many of `wanted`'s words appear in `text` in order, starting at `from` (moved on):
// a word missing (changed by the cleaner, say) is skipped without losing the place.
std::size_t found_in_order(const std::vector<std::string>& wanted, const std::vector<std::string>& text,
                           std::size_t& from) {
    constexpr std::size_t kLookahead = 80;  // running headers and page numbers between words
    std::size_t found = 0;
    for (const std::string& w : wanted) {
        for (std::size_t k = from; k < std::min(text.size(), from + kLookahead); ++k)
            if (text[k] == w) {
                ++found;
                from = k + 1;
                break;
            }
    }
    return found;
}

int headings_of(const fs::path& input) {
    json doc = json::parse(capture(kBinary + " -q --to native -o - '" + input.string() + "'"));
    int n = 0;
    std::function<void(const json&)> walk = [&](const json& blocks) {
        for (const json& b : blocks) {
            if (b.value("type", "") == "heading") ++n;
            for (const char* key : {"children", "blocks"})
                if (b.contains(key)) walk(b[key]);
            if (b.contains("items"))
                for (const json& item : b["items"]) walk(item);
        }
    };
    walk(doc["blocks"]);
    return n;
}

fs::path write_library_pdf(const dconv::Document& doc, const fs::path& dir, const std::string& name,
                           dconv::Diagnostics* diag = nullptr) {
    dconv::WriteOptions options;
    options.diagnostics = diag;
    fs::path out = dir / (name + ".pdf");
    spit(out, dconv::write_document(doc, "pdf", options));
    return out;
}

}  // namespace

TEST_CASE("pdf: the seeds' editions pass qpdf, embed subset fonts and keep every gold word") {
    require_tools();
    fs::path out = fresh_dir("pdf-seeds");
    REQUIRE(std::system((kBinary + " -q --to pdf -o " + out.string() + " " + kSource + "/seeds/*.txt").c_str()) == 0);
    int seeds = 0;
    for (const auto& gold_file : fs::directory_iterator(kSource + "/tests/data/gold")) {
        if (gold_file.path().extension() != ".json") continue;
        ++seeds;
        json gold = json::parse(slurp(gold_file.path()));
        fs::path pdf = out / (gold_file.path().stem().string() + ".pdf");
        INFO(pdf.string());
        REQUIRE(fs::exists(pdf));
        check_structure(pdf);
        std::vector<std::string> fonts = check_fonts(pdf);
        bool cjk = std::any_of(fonts.begin(), fonts.end(),
                               [](const std::string& f) { return f.find("UMing") != std::string::npos; });
        CHECK(fs::file_size(pdf) <= (cjk ? 250u : 120u) * 1024u);

        std::string text = pdf_text(pdf);
        std::vector<std::string> pdf_words = words(text);
        std::size_t from = 0, wanted = 0, found = 0;
        for (const json& block : gold["blocks"]) {
            if (block.value("optional", false)) continue;
            std::vector<std::string> w = words(block["text"].get<std::string>());
            std::size_t f = found_in_order(w, pdf_words, from);
            INFO("block: " << block["text"].get<std::string>().substr(0, 80));
            CHECK(f >= w.size() * 95 / 100);  // each paragraph, nearly word for word
            wanted += w.size();
            found += f;
        }
        CHECK(found >= wanted * 99 / 100);  // and all of them together
        for (const json& fragment : gold["boilerplate_fragments"])
            CHECK(text.find(fragment.get<std::string>()) == std::string::npos);

        // bookmarks: one per heading; pages: each numbered at its foot
        fs::path seed = fs::path(kSource) / "seeds" / gold["source"].get<std::string>();
        CHECK(bookmarks(pdf) == headings_of(seed));
        int pages = page_count(pdf);
        for (int p = 1; p <= pages; ++p) {
            std::vector<std::string> page_words = words(pdf_text(pdf, p));
            INFO("page " << p);
            REQUIRE(!page_words.empty());
            CHECK(page_words.back() == std::to_string(p));
        }
    }
    CHECK(seeds == 5);
    // The Chinese title of seed 004 renders (pdftotext reads it back from the glyphs' cmap).
    std::string chinese;
    for (const std::string& w : words(pdf_text(out / "004_7fddc28327f1b416.pdf"))) chinese += w;
    CHECK(chinese.find("百年变局与世纪疫情下的中国外交") != std::string::npos);
    fs::remove_all(out);
}

TEST_CASE("pdf: every dev-set page converts (when ../shared/devset is there)") {
    require_tools();
    fs::path cases = fs::path(kSource) / ".." / "shared" / "devset" / "cases";
    if (!fs::exists(cases)) {
        WARN("../shared/devset is absent: skipped");
        return;
    }
    fs::path out = fresh_dir("pdf-devset");
    fs::create_directories(out / "in");
    for (const auto& c : fs::directory_iterator(cases))
        if (fs::exists(c.path() / "page.txt"))
            fs::create_symlink(fs::canonical(c.path() / "page.txt"), out / "in" / (c.path().filename().string() + ".txt"));
    int status = 0;
    std::string log = capture(kBinary + " -q --to pdf -o " + (out / "pdf").string() + " " + (out / "in").string() + " 2>&1", &status);
    INFO(log);
    CHECK(status == 0);
    int checked = 0;
    for (const auto& e : fs::directory_iterator(out / "pdf"))
        if (checked++ % 6 == 0) check_structure(e.path());  // a sample: qpdf takes a while
    CHECK(checked >= 60);
    fs::remove_all(out);
}

TEST_CASE("pdf: a bundle of the seeds is a book with contents and nested bookmarks") {
    require_tools();
    fs::path out = fresh_dir("pdf-bundle");
    fs::path book = out / "book.pdf";
    REQUIRE(std::system((kBinary + " -q --to pdf --bundle " + book.string() + " --title 'Five pages' " + kSource +
                         "/seeds/*.txt").c_str()) == 0);
    check_structure(book);
    check_fonts(book);
    int headings = 0;
    for (const auto& e : fs::directory_iterator(kSource + "/seeds"))
        if (e.path().extension() == ".txt") headings += headings_of(e.path());
    CHECK(bookmarks(book) == headings + 5);  // each chapter, and its headings under it
    json outlines = json::parse(capture("qpdf --json --json-key=outlines '" + book.string() + "'"))["outlines"];
    CHECK(outlines.size() == 5);  // chapters at the top level
    CHECK(words(pdf_text(book, 1)).front() == "Five");
    std::string contents = pdf_text(book, 2);
    CHECK(contents.find("Contents") != std::string::npos);
    // the contents page links into the book: links that are not to the web, one per entry
    std::string objects = capture("qpdf --qdf --object-streams=disable '" + book.string() + "' -");
    auto count = [&](std::string_view what) {
        std::size_t n = 0;
        for (std::size_t at = 0; (at = objects.find(what, at)) != std::string::npos; ++at) ++n;
        return n;
    };
    CHECK(count("/Subtype /Link") - count("/URI") >= 5);
    CHECK(fs::file_size(book) <= 400u * 1024u);
    fs::remove_all(out);
}

TEST_CASE("pdf: the same input gives the same bytes, dated by SOURCE_DATE_EPOCH") {
    require_tools();
    fs::path out = fresh_dir("pdf-repro");
    std::string seed = kSource + "/seeds/004_7fddc28327f1b416.txt";
    std::string a = out.string() + "/a.pdf", b = out.string() + "/b.pdf";
    REQUIRE(std::system(("SOURCE_DATE_EPOCH=1700000000 " + kBinary + " -q --to pdf -o " + a + " " + seed).c_str()) == 0);
    REQUIRE(std::system(("SOURCE_DATE_EPOCH=1700000000 " + kBinary + " -q -j2 --to pdf -o " + b + " " + seed).c_str()) == 0);
    CHECK(slurp(a) == slurp(b));
    std::string info = capture("TZ=UTC pdfinfo '" + a + "'");
    CHECK(info.find("2023") != std::string::npos);  // 1700000000 is 2023-11-14
    CHECK(info.find("百年变局") == std::string::npos);  // the title is the English one...
    CHECK(info.find("Title:") != std::string::npos);
    fs::remove_all(out);
}

TEST_CASE("pdf: letter paper and the sans style") {
    require_tools();
    fs::path out = fresh_dir("pdf-paper");
    std::string seed = kSource + "/seeds/000_a63e61e3e170d77f.txt";
    REQUIRE(std::system((kBinary + " -q --to pdf --paper letter --style sans -o " + out.string() + "/l.pdf " + seed).c_str()) == 0);
    std::string info = capture("pdfinfo '" + out.string() + "/l.pdf'");
    CHECK(info.find("612 x 792") != std::string::npos);
    CHECK(capture("pdffonts '" + out.string() + "/l.pdf'").find("LiberationSans") != std::string::npos);
    int status = 0;
    capture(kBinary + " -q --to pdf --paper napkin -o " + out.string() + "/n.pdf " + seed + " 2>&1", &status);
    CHECK(status == 2);
    CHECK(!fs::exists(out / "n.pdf"));
    fs::remove_all(out);
}

TEST_CASE("pdf: hostile documents give valid files") {
    require_tools();
    fs::path out = fresh_dir("pdf-hostile");
    using dconv::make_paragraph;

    SECTION("a 2,000-character word breaks within the measure") {
        dconv::Document doc;
        doc.blocks.push_back(make_paragraph(std::string(2000, 'q')));
        doc.blocks.push_back(make_paragraph("https://example.com/" + std::string(600, 'a') + "/end after"));
        fs::path pdf = write_library_pdf(doc, out, "word");
        check_structure(pdf);
        std::string text = pdf_text(pdf);
        CHECK(std::count(text.begin(), text.end(), 'q') == 2000);  // all of it, nothing more
    }
    SECTION("a 1 MB paragraph") {
        std::string para;
        while (para.size() < (1u << 20)) para += "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
        dconv::Document doc;
        doc.blocks.push_back(make_paragraph(para));
        fs::path pdf = write_library_pdf(doc, out, "megabyte");
        check_structure(pdf);
        CHECK(page_count(pdf) > 100);
        std::vector<std::string> w = words(pdf_text(pdf, 50));
        CHECK(std::count(w.begin(), w.end(), "ipsum") > 20);
    }
    SECTION("a code block whose glyph set libharu once failed to save (0x1033)") {
        dconv::Document doc;
        doc.blocks.push_back(dconv::Block{dconv::CodeBlock{"", "#$&-./012579:=C_abceghilmoprstuvwxy~"}, {}});
        fs::path pdf = write_library_pdf(doc, out, "glyphs");
        check_structure(pdf);
        CHECK(pdf_text(pdf).find("#$&-./012579:=C_abceghilmoprstuvwxy~") != std::string::npos);
    }
    SECTION("no text at all") {
        fs::path pdf = write_library_pdf(dconv::Document{}, out, "empty");
        check_structure(pdf);
        CHECK(page_count(pdf) == 1);
    }
    SECTION("emoji, mixed scripts, markup characters and a missing glyph") {
        dconv::Document doc;
        doc.meta.title = "Mixed <&> \"scripts\" 混合文字";
        doc.meta.authors = {"Zoë Ångström", "王毅"};
        doc.blocks.push_back(dconv::make_heading(1, "Ελληνικά и кириллица"));
        doc.blocks.push_back(make_paragraph("Smile \xF0\x9F\x98\x80 please. Café naïve façade — “quotes” ‘here’ …"));
        doc.blocks.push_back(make_paragraph("中文段落，包含标点。「引号」（括号）English words mixed 在中文里面。日本語のテキスト、カタカナ。"));
        doc.blocks.push_back(make_paragraph("Devanagari नमस्ते and Thai สวัสดี have fonts; \xEE\x80\x80 private use has none."));
        dconv::Diagnostics diag;
        fs::path pdf = write_library_pdf(doc, out, "mixed", &diag);
        check_structure(pdf);
        check_fonts(pdf);
        std::string text = pdf_text(pdf);
        CHECK(text.find("кириллица") != std::string::npos);
        CHECK(text.find("Ελληνικά") != std::string::npos);
        CHECK(text.find("façade") != std::string::npos);
        std::string flat;
        for (const std::string& w : words(text)) flat += w;
        CHECK(flat.find("中文段落") != std::string::npos);
        CHECK(flat.find("カタカナ") != std::string::npos);
        CHECK(text.find("नमस्ते") != std::string::npos);
        CHECK(text.find("สวัสดี") != std::string::npos);
        CHECK(bookmarks(pdf) == 1);
        std::string info = capture("pdfinfo '" + pdf.string() + "'");
        CHECK(info.find("混合文字") != std::string::npos);
        CHECK(info.find("Ångström") != std::string::npos);
        // a character no font has is warned about once, with its code point, not lost silently
        std::string warnings;
        for (const auto& d : diag.items()) warnings += d.reason + "\n";
        CHECK(warnings.find("U+E000") != std::string::npos);
        CHECK(warnings.find("no installed PDF font has") != std::string::npos);
    }
    fs::remove_all(out);
}
