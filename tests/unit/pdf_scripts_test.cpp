// pdf_scripts_test.cpp: a document with a paragraph in each of eleven scripts (Arabic,
// Hebrew, Hindi, Bengali, Thai, Korean, Japanese with 楽 変 増 and half-width katakana,
// Chinese, Russian, Greek) and a line of symbols, tests/data/scripts/every_script.md,
// converted to PDF and checked the ways a reader would:
//   dconv               no character reported missing
//   qpdf --check        sound structure
//   pdffonts            every font embedded and subset
//   pdftotext           every paragraph back, its words in logical order
//   pdftoppm            the first page looks like the reviewed reference image
//                       (tests/data/scripts/every_script.pgm) within a tolerance, while
//                       the same page drawn without fallback fonts (boxes) does not.
// Regenerate the reference (then look at it: docs/every-script.png is the same page) with
//   DCONV_UPDATE_REFERENCE=1 build/tests/pdf_scripts_test
#include <catch2/catch.hpp>

#include "support/capture.hpp"

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/model.hpp"
#include "pdf/fonts.hpp"
#include "pdf/print_style.hpp"
#include "pdf/render.hpp"
#include "pdf/typeset.hpp"
#include "support/test_files.hpp"

namespace fs = std::filesystem;
using namespace dconv;

namespace {

const std::string kSource = DCONV_SOURCE_DIR;
const std::string kBinary = DCONV_BINARY_DIR "/dconv";
const fs::path kFixture = fs::path(kSource) / "tests/data/scripts/every_script.md";
const fs::path kReference = fs::path(kSource) / "tests/data/scripts/every_script.pgm";

// The reference is the page's top at 36 dpi, in grey: enough to tell glyphs from boxes,
// small enough to keep in the repository.
constexpr int kDpi = 36;
constexpr int kCropHeight = 260;  // pixels from the top: the paragraphs
// The mean absolute difference (0-255 per pixel) allowed against the reference: the
// same fonts and poppler render the page identically (0); a FreeType or poppler update
// may move anti-aliasing a little. Boxes instead of glyphs move it far more (the test
// checks that too, so that it can fail).
constexpr double kTolerance = 1.5;

using dconv::testing::capture;

std::string quote(const fs::path& p) {
    std::string out(1, '\'');  // appended, not "'" + ...: GCC 12 reports a false -Wrestrict there
    out += p.string();
    out += '\'';
    return out;
}

void require_tools() {
    for (const char* tool : {"qpdf", "pdffonts", "pdftotext", "pdftoppm"}) {
        int status = 0;
        capture(std::string("command -v ") + tool + " >/dev/null 2>&1", &status);
        INFO(tool << " is missing: run tools/setup.sh (packages qpdf, poppler-utils)");
        REQUIRE(status == 0);
    }
}

// The fixture's paragraphs (blank-line separated, without the heading).
std::vector<std::string> paragraphs() {
    std::string text = testing::slurp(kFixture);
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find("\n\n", at);
        if (end == std::string::npos) end = text.size();
        std::string p = text.substr(at, end - at);
        while (!p.empty() && (p.back() == '\n' || p.back() == ' ')) p.pop_back();
        if (!p.empty() && p[0] != '#') out.push_back(p);
        at = end + 2;
    }
    return out;
}

// Text without white space, bidi controls and hyphens (pdftotext breaks lines and marks
// right-to-left runs; hyphenation adds hyphens): what order the characters come in.
std::string letters(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t at = i;
        char32_t c = text::next(s, i);
        if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '-' || c == 0x200E || c == 0x200F ||
            (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
            continue;
        out.append(s.substr(at, i - at));
    }
    return out;
}

// Without the Arabic vowel and tanween marks (U+064B-U+065F, U+0670).
std::string without_arabic_marks(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t at = i;
        char32_t c = text::next(s, i);
        if ((c >= 0x064B && c <= 0x065F) || c == 0x0670) continue;
        out.append(s.substr(at, i - at));
    }
    return out;
}

bool right_to_left(std::string_view paragraph) {
    for (std::size_t i = 0; i < paragraph.size();) {
        char32_t c = text::next(paragraph, i);
        if (c >= 0x0590 && c <= 0x06FF) return true;
    }
    return false;
}

struct Gray {
    int width = 0, height = 0;
    std::vector<unsigned char> pixels;
};

Gray read_pgm(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string magic;
    int max = 0;
    Gray g;
    in >> magic >> g.width >> g.height >> max;
    in.get();
    REQUIRE(magic == "P5");
    REQUIRE(max == 255);
    g.pixels.resize(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height));
    in.read(reinterpret_cast<char*>(g.pixels.data()), static_cast<std::streamsize>(g.pixels.size()));
    REQUIRE(in.gcount() == static_cast<std::streamsize>(g.pixels.size()));
    return g;
}

// The first page's top of `pdf`, rendered in grey.
Gray render_page(const fs::path& pdf, const fs::path& dir, const std::string& name) {
    fs::path prefix = dir / name;
    int status = 0;
    std::string command = "pdftoppm -singlefile -gray -r ";  // appended in place: GCC 12 warns falsely of
    command += std::to_string(kDpi);                         // a temporary's "+" (-Warray-bounds)
    command += " -f 1 -l 1 -x 0 -y 0 -W 10000 -H ";
    command += std::to_string(kCropHeight);
    command += " " + quote(pdf) + " " + quote(prefix);
    capture(command, &status);
    REQUIRE(status == 0);
    return read_pgm(prefix.string() + ".pgm");
}

double mean_difference(const Gray& a, const Gray& b) {
    REQUIRE(a.width == b.width);
    REQUIRE(a.height == b.height);
    double sum = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
    return sum / static_cast<double>(a.pixels.size());
}

// The real fonts, but every character drawn from the wanted Latin face: what a PDF
// writer without fallback fonts draws (.notdef boxes).
class LatinOnlyFonts final : public pdf::FontTable {
public:
    explicit LatinOnlyFonts(const pdf::SystemFonts& fonts) : fonts_(fonts) {}
    pdf::FontId resolve(pdf::FontId wanted, char32_t) const override { return wanted % 12; }
    float advance(pdf::FontId font, char32_t c) const override { return fonts_.advance(font, c); }
    void shape(pdf::FontId font, std::string_view text, const pdf::ShapeProperties& properties,
               std::vector<pdf::PlacedGlyph>& out) const override {
        fonts_.shape(font, text, properties, out);
    }

private:
    const pdf::SystemFonts& fonts_;
};

// The fixture typeset by the library, with `fonts` deciding which font draws what.
std::string library_pdf(const pdf::FontTable& fonts, const pdf::SystemFonts& system) {
    Diagnostics diag;
    ReadOptions options;
    options.source_name = kFixture.string();
    Document doc = read_document(testing::slurp(kFixture), options, diag);
    pdf::PrintStyle style = pdf::load_print_style("default");
    pdf::TypesetOptions typeset_options;
    typeset_options.style = &style;
    typeset_options.fonts = &fonts;
    typeset_options.faces = pdf::FontFaces::of(system);
    return pdf::render_pdf(pdf::typeset(doc, typeset_options), system);
}

void spit(const fs::path& p, const std::string& data) {
    std::ofstream out(p, std::ios::binary);
    out << data;
}

}  // namespace

TEST_CASE("scripts: every script converts to a sound PDF whose text comes back in logical order") {
    require_tools();
    fs::path dir = testing::fresh_dir("dconv-pdf-scripts");
    fs::path pdf = dir / "every_script.pdf";
    int status = 0;
    std::string messages =
        capture(kBinary + " --to pdf -o " + quote(pdf) + " " + quote(kFixture) + " 2>&1", &status);
    INFO(messages);
    REQUIRE(status == 0);
    CHECK(messages.find("no installed PDF font has") == std::string::npos);
    CHECK(messages.find("warning") == std::string::npos);

    std::string check = capture("qpdf --check " + quote(pdf) + " 2>&1", &status);
    INFO(check);
    CHECK(status == 0);
    CHECK(check.find("WARNING") == std::string::npos);

    std::istringstream rows(capture("pdffonts " + quote(pdf) + " 2>&1"));
    std::string row;
    int fonts = 0;
    for (int n = 0; std::getline(rows, row); ++n) {
        if (n < 2) continue;
        std::istringstream fields(row);
        std::vector<std::string> f;
        for (std::string w; fields >> w;) f.push_back(w);
        REQUIRE(f.size() >= 7);
        INFO(row);
        CHECK(f[f.size() - 5] == "yes");  // embedded
        CHECK(f[f.size() - 4] == "yes");  // subset
        CHECK(f[f.size() - 3] == "yes");  // ToUnicode
        ++fonts;
    }
    CHECK(fonts >= 8);  // Liberation, Noto (Arabic, Devanagari, Bengali, Thai), Nanum, IPAex, UMing, symbols

    std::string text = capture("pdftotext -enc UTF-8 " + quote(pdf) + " - 2>/dev/null");
    std::string all = letters(text);
    CHECK(text.find('?') == std::string::npos);
    std::vector<std::string> list = paragraphs();
    REQUIRE(list.size() == 11);
    for (const std::string& paragraph : list) {
        INFO(paragraph);
        if (!right_to_left(paragraph)) {
            CHECK(all.find(letters(paragraph)) != std::string::npos);
            continue;
        }
        // pdftotext puts each right-to-left line in logical order, but lays a line's
        // numbers, punctuation, hyphens and word-final marks out by its own rules (it
        // reorders what the page draws in visual order): each word, or each part of a
        // hyphenated one, must come back with its letters in logical order.
        std::string bare = without_arabic_marks(all);
        std::string cut = paragraph;
        for (char& c : cut)
            if (c == '-') c = ' ';
        std::istringstream words(cut);
        for (std::string word; words >> word;) {
            while (!word.empty() && (word.back() == '.' || word.back() == ',')) word.pop_back();
            std::string_view w = word;
            if (w.size() >= 2 && w.substr(w.size() - 2) == "\xD8\x8C") w.remove_suffix(2);  // the Arabic comma
            INFO(word);
            CHECK(bare.find(without_arabic_marks(letters(w))) != std::string::npos);
        }
    }
    fs::remove_all(dir);
}

TEST_CASE("scripts: the first page looks like the reviewed reference, and boxes would not") {
    require_tools();
    fs::path dir = testing::fresh_dir("dconv-pdf-scripts-image");
    pdf::SystemFonts system;
    spit(dir / "real.pdf", library_pdf(system, system));
    Gray real = render_page(dir / "real.pdf", dir, "real");
    if (std::getenv("DCONV_UPDATE_REFERENCE")) {
        fs::copy_file(dir / "real.pgm", kReference, fs::copy_options::overwrite_existing);
        int status = 0;
        capture("pdftoppm -singlefile -png -r 100 -f 1 -l 1 " + quote(dir / "real.pdf") + " " +
                    quote(fs::path(kSource) / "docs" / "every-script"),
                &status);
        CHECK(status == 0);
        WARN("reference images rewritten: look at docs/every-script.png before committing them");
    }
    REQUIRE(fs::exists(kReference));
    Gray reference = read_pgm(kReference);
    double difference = mean_difference(real, reference);
    LatinOnlyFonts latin_only(system);
    spit(dir / "boxes.pdf", library_pdf(latin_only, system));
    double boxes = mean_difference(render_page(dir / "boxes.pdf", dir, "boxes"), reference);
    WARN("mean difference from the reference: " << difference << "; with boxes: " << boxes);
    CHECK(difference <= kTolerance);
    CHECK(boxes > 4 * kTolerance);
    fs::remove_all(dir);
}
