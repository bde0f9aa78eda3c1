// pdf_render_test.cpp: the PDF writer's fonts (SystemFonts over HarfBuzz) and renderer
// (render_pdf over libharu). Layouts are built by hand; the files are checked with the
// tools a reader of the PDF would trust: qpdf --check (structure), pdffonts (every font
// embedded and subset), pdftotext (the text comes back, in every script), pdfinfo
// (information dictionary) and qpdf --json (outline, annotations).
//
// qpdf and poppler-utils are Debian packages that tools/setup.sh installs; the tests fail,
// saying so, when they are missing.
#include <catch2/catch.hpp>
#include <hb.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"
#include "pdf/fonts.hpp"
#include "pdf/render.hpp"

using namespace dconv;
using namespace dconv::pdf;
using Catch::Contains;

namespace {

namespace fs = std::filesystem;

const std::string kChinese = "百年变局与世纪疫情下的中国外交";
const std::string kCyrillic = "Съешь же ещё этих мягких французских булок";
const std::string kGreek = "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία";
const std::string kLatin = "The quick brown fox jumps over the lazy dog";

// The fonts are loaded once per process anyway; one instance serves every test.
const SystemFonts& fonts() {
    static SystemFonts instance;
    return instance;
}

// ------------------------------------------------------------------------ tools

struct Result {
    int status = -1;
    std::string output;  // stdout and stderr
};

Result run(const std::string& command) {
    Result result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe);
    char buffer[4096];
    std::size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    int status = pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

void require_tool(const std::string& tool) {
    bool found = run("command -v " + tool).status == 0;
    INFO(tool << " is missing: run tools/setup.sh (it installs qpdf and poppler-utils)");
    REQUIRE(found);
}

// A fresh folder under the system's temporary folder, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "dconv-pdf-render-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()));
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string quote(const fs::path& p) {
    // Built by appending: GCC 12 warns falsely (-Wrestrict, bug 105329) on "'" + s + "'".
    std::string out = "'";
    out += p.string();
    out += '\'';
    return out;
}

fs::path write_pdf(const TempDir& dir, const std::string& name, const std::string& bytes) {
    fs::path file = dir.path() / name;
    std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file;
}

void check_qpdf_clean(const fs::path& file) {
    require_tool("qpdf");
    Result r = run("qpdf --check " + quote(file));
    INFO(r.output);
    CHECK(r.status == 0);  // 3 would be warnings, 2 errors
    CHECK_THAT(r.output, Contains("No syntax or stream encoding errors found"));
    CHECK_THAT(r.output, !Contains("WARNING"));
}

struct FontRow {
    std::string name, type, emb, sub, uni;
};

// pdffonts' table: name, type (may contain spaces), encoding, emb, sub, uni, object id.
std::vector<FontRow> pdffonts(const fs::path& file) {
    require_tool("pdffonts");
    Result r = run("pdffonts " + quote(file));
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::vector<FontRow> rows;
    std::istringstream lines(r.output);
    std::string line;
    int header = 2;
    while (std::getline(lines, line)) {
        if (header > 0) {
            --header;
            continue;
        }
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string word; words >> word;) w.push_back(word);
        if (w.size() < 7) continue;
        std::size_t n = w.size();
        rows.push_back({w[0], w[1], w[n - 5], w[n - 4], w[n - 3]});
    }
    return rows;
}

std::string pdftotext(const fs::path& file, bool layout = false) {
    require_tool("pdftotext");
    Result r = run(std::string("pdftotext -enc UTF-8 ") + (layout ? "-layout " : "") + quote(file) + " -");
    INFO(r.output);
    REQUIRE(r.status == 0);
    return r.output;
}

// pdfinfo's "Key:   value" lines, by key.
std::map<std::string, std::string> pdfinfo(const fs::path& file, const std::string& options = "") {
    require_tool("pdfinfo");
    Result r = run("pdfinfo -enc UTF-8 " + options + " " + quote(file));
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::map<std::string, std::string> fields;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
        std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::size_t value = line.find_first_not_of(' ', colon + 1);
        fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
    }
    return fields;
}

nlohmann::json qpdf_json(const fs::path& file, const std::string& key) {
    require_tool("qpdf");
    Result r = run("qpdf --json --json-key=" + key + " " + quote(file));
    INFO(r.output);
    REQUIRE(r.status == 0);
    return nlohmann::json::parse(r.output);
}

// The file uncompressed, objects one per line block (qpdf's QDF form), for searching.
std::string qdf(const TempDir& dir, const fs::path& file) {
    require_tool("qpdf");
    fs::path out = dir.path() / (file.stem().string() + ".qdf");
    Result r = run("qpdf --qdf --object-streams=disable " + quote(file) + " " + quote(out));
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::ifstream in(out, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// ------------------------------------------------------------------------ layouts

GlyphRun text_run(FontId font, float x, float y, std::string text, float size = 12) {
    GlyphRun run;
    run.font = font;
    run.size = size;
    run.x = x;
    run.y = y;
    run.text = std::move(text);
    return run;
}

FontId serif() { return fonts().id(Family::serif, false, false); }

// A page of each script, one line each, the CJK line in UMing.
Layout scripts_layout() {
    Layout layout;
    Page page;
    page.runs.push_back(text_run(serif(), 72, 760, kLatin));
    page.runs.push_back(text_run(fonts().id(Family::sans, true, false), 72, 740, kCyrillic));
    page.runs.push_back(text_run(fonts().id(Family::mono, false, true), 72, 720, kGreek));
    page.runs.push_back(text_run(fonts().cjk(false), 72, 700, kChinese));
    layout.pages.push_back(page);
    return layout;
}

// Roughly a page of a Chinese article quoting English: 40 lines alternating Latin words
// and Han text, words placed one by one as the typesetter does.
Layout mixed_page_layout() {
    const std::vector<std::string> words = {"Beijing", "said", "on", "Tuesday", "that", "the", "talks",
                                            "were", "constructive,", "and", "both", "sides", "agreed"};
    const std::string han =
        "外交部发言人在例行记者会上表示双方同意继续保持沟通推动两国关系稳定发展国际社会普遍关注";
    Layout layout;
    Page page;
    float y = 790;
    for (int line = 0; line < 40; ++line, y -= 18) {
        if (line % 2 == 0) {
            float x = 56;
            for (std::size_t w = 0; w < words.size(); ++w) {
                const std::string& word = words[(w + static_cast<std::size_t>(line)) % words.size()];
                page.runs.push_back(text_run(serif(), x, y, word, 11));
                x += 6.4f * static_cast<float>(word.size()) + 3.1f;
            }
        } else {
            GlyphRun run = text_run(fonts().cjk(false), 56, y, han.substr(static_cast<std::size_t>(line % 7) * 3), 11);
            run.char_spacing = 0.35f;
            page.runs.push_back(run);
        }
    }
    layout.pages.push_back(page);
    return layout;
}

// `pages` pages of 60 lines of the seed pages' words (English with some Chinese), each
// word one run per font, as the typesetter sets them: the shape of a long document.
Layout long_layout(int pages, std::size_t* text_bytes) {
    std::string all;
    for (const auto& entry : fs::directory_iterator(std::string(DCONV_SOURCE_DIR) + "/seeds")) {
        std::ifstream in(entry.path(), std::ios::binary);
        all.append(std::istreambuf_iterator<char>(in), {});
        all += ' ';
    }
    std::u32string text = dconv::text::to_u32(all);
    const SystemFonts& f = fonts();
    const float size = 10;
    Layout layout;
    *text_bytes = 0;
    std::size_t at = 0;
    for (int p = 0; p < pages; ++p) {
        Page page;
        for (int line = 0; line < 60; ++line) {
            float x = 56, y = 800 - 12.5f * static_cast<float>(line);
            while (x < 520) {
                while (at < text.size() && dconv::text::is_space(text[at])) ++at;
                if (at >= text.size()) at = 0;
                std::size_t end = at;
                while (end < text.size() && !dconv::text::is_space(text[end])) ++end;
                for (std::size_t i = at; i < end;) {
                    FontId font = f.resolve(serif(), text[i]);
                    std::size_t j = i;
                    float width = 0;
                    while (j < end && f.resolve(serif(), text[j]) == font) {
                        if (font >= 0) width += f.advance(font, text[j]) * size;
                        ++j;
                    }
                    if (font >= 0) {
                        std::string piece = dconv::text::to_utf8(text.substr(i, j - i));
                        *text_bytes += piece.size();
                        page.runs.push_back(text_run(font, x, y, piece, size));
                        x += width;
                    }
                    i = j;
                }
                x += 2.5f;
                *text_bytes += 1;
                at = end;
            }
        }
        layout.pages.push_back(std::move(page));
    }
    return layout;
}

}  // namespace

// ------------------------------------------------------------------------ fonts

TEST_CASE("fonts: every family and face has its own id, with the CJK font as fallback", "[fonts]") {
    const SystemFonts& f = fonts();
    std::vector<FontId> ids;
    for (Family family : {Family::serif, Family::sans, Family::mono})
        for (bool bold : {false, true})
            for (bool italic : {false, true}) ids.push_back(f.id(family, bold, italic));
    std::vector<FontId> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    CHECK(std::unique(sorted.begin(), sorted.end()) == sorted.end());
    for (FontId id : ids) {
        CHECK(id >= 0);
        CHECK(static_cast<std::size_t>(id) < f.size());
        CHECK_FALSE(f.synthetic_bold(id));
        CHECK(f.glyph_source(id) == id);
    }
    CHECK(f.resolve(serif(), U'A') == serif());
    CHECK(f.resolve(serif(), U'Ж') == serif());
    CHECK(f.resolve(serif(), U'λ') == serif());
    CHECK(f.resolve(serif(), U'中') == f.cjk(false));
    // Bold sans Han: UMing (its only face, shared with the serif ids), drawn synthetic bold.
    FontId bold_han = f.resolve(f.id(Family::sans, true, true), U'中');
    CHECK(f.glyph_source(bold_han) == f.cjk(false));
    CHECK(f.synthetic_bold(bold_han));
    CHECK(f.glyph_source(f.resolve(f.id(Family::mono, true, false), U'。')) == f.cjk(false));
    CHECK(f.synthetic_bold(f.cjk(true)));
    CHECK_FALSE(f.synthetic_bold(f.cjk(false)));
    CHECK(f.glyph_source(f.cjk(true)) == f.cjk(false));
    // Nobody has them: private-use characters, in the BMP and above it.
    CHECK(f.resolve(serif(), U'\uE000') == -1);
    CHECK(f.resolve(serif(), U'\U0010FFFD') == -1);
    CHECK(f.resolve(-1, U'A') == -1);
    CHECK(f.resolve(static_cast<FontId>(f.size()), U'A') == -1);
    CHECK_THAT(f.file(serif()), Contains("LiberationSerif-Regular.ttf"));
    CHECK_THAT(f.file(f.cjk(true)), Contains("uming.ttc"));
}

TEST_CASE("fonts: advances in em match the fonts' metrics", "[fonts]") {
    const SystemFonts& f = fonts();
    // Liberation is metric-compatible with Times, Arial and Courier: 'A' is 1479/2048 in
    // Times, 1366/2048 in Arial, every Courier character 1229/2048.
    CHECK(f.advance(serif(), U'A') == Approx(1479.0 / 2048.0));
    CHECK(f.advance(f.id(Family::sans, false, false), U'A') == Approx(1366.0 / 2048.0));
    CHECK(f.advance(f.id(Family::mono, true, true), U'i') == Approx(1229.0 / 2048.0));
    CHECK(f.advance(serif(), U' ') == Approx(512.0 / 2048.0));
    // Han ideographs are one em wide; a full-width comma too.
    CHECK(f.advance(f.cjk(false), U'中') == Approx(1.0));
    CHECK(f.advance(f.cjk(true), U'，') == Approx(1.0));
}

TEST_CASE("fonts: a missing font names the file and the package to install", "[fonts]") {
    TempDir empty;
    try {
        SystemFonts missing(std::vector<std::string>{empty.path().string()});
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::io);
        CHECK_THAT(e.what(), Contains("LiberationSerif-Regular.ttf"));
        CHECK_THAT(e.what(), Contains("fonts-liberation2"));
        CHECK_THAT(e.what(), Contains(empty.path().string()));
    }
    // The Latin fonts present, the fallbacks not: they are optional, and a character
    // only they have resolves to none (the typesetter reports it).
    for (const char* name : {"Serif", "Sans", "Mono"})
        for (const char* style : {"Regular", "Italic", "Bold", "BoldItalic"}) {
            std::string file = std::string("Liberation") + name + "-" + style + ".ttf";
            fs::create_symlink(fs::path(fonts().file(serif())).parent_path() / file, empty.path() / file);
        }
    SystemFonts latin_only(std::vector<std::string>{empty.path().string()});
    CHECK(latin_only.resolve(latin_only.id(Family::serif, false, false), U'A') == latin_only.id(Family::serif, false, false));
    CHECK(latin_only.resolve(latin_only.id(Family::serif, false, false), U'中') == -1);
    // $DCONV_FONT_DIR comes first in the default search.
    setenv("DCONV_FONT_DIR", empty.path().c_str(), 1);
    std::vector<std::string> dirs = SystemFonts::default_font_dirs();
    unsetenv("DCONV_FONT_DIR");
    REQUIRE(dirs.size() >= 2);
    CHECK(dirs.front() == empty.path().string());
}

// The glyph ids of `text` in `font`, by its cmap.
std::vector<std::uint32_t> glyph_ids(FontId font, std::string_view text) {
    std::vector<PlacedGlyph> glyphs;
    fonts().nominal_glyphs(font, text, glyphs);
    std::vector<std::uint32_t> ids;
    for (const PlacedGlyph& g : glyphs) ids.push_back(g.id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

TEST_CASE("fonts: a subset holds the glyphs asked for, and is the same every time", "[fonts]") {
    const SystemFonts& f = fonts();
    std::vector<std::uint32_t> latin = glyph_ids(serif(), "Hello, Привет, αβγ");
    std::vector<std::uint32_t> new_a, new_b;
    std::string a = f.subset(serif(), latin, new_a);
    std::string b = f.subset(serif(), latin, new_b);
    CHECK(a == b);
    CHECK(new_a == new_b);
    CHECK(a.size() < 12000);  // the whole face is ~400 KB

    std::string han = "百年变局与世纪疫情下的中国外交";
    std::vector<std::uint32_t> han_glyphs = glyph_ids(f.cjk(true), han);  // the bold CJK id subsets UMing too
    REQUIRE(han_glyphs.size() == 15);
    std::vector<std::uint32_t> new_ids;
    std::string cjk = f.subset(f.cjk(true), han_glyphs, new_ids);
    CHECK(cjk.size() < 30000);  // of ~20 MB

    hb_blob_t* blob = hb_blob_create(cjk.data(), static_cast<unsigned>(cjk.size()), HB_MEMORY_MODE_READONLY,
                                     nullptr, nullptr);
    hb_face_t* face = hb_face_create(blob, 0);
    CHECK(hb_face_get_glyph_count(face) == han_glyphs.size() + 1);  // and .notdef
    // Every glyph asked for has an id of its own in the subset, and an outline there.
    std::vector<std::uint32_t> sorted = new_ids;
    std::sort(sorted.begin(), sorted.end());
    CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    hb_font_t* font = hb_font_create(face);
    for (std::uint32_t id : new_ids) {
        CHECK(id > 0);
        hb_glyph_extents_t extents{};
        CHECK(hb_font_get_glyph_extents(font, id, &extents));
        CHECK(extents.width > 0);
    }
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
}

// ------------------------------------------------------------------------ render

TEST_CASE("render: text in every script comes back, from embedded subset fonts", "[render]") {
    TempDir dir;
    fs::path file = write_pdf(dir, "scripts.pdf", render_pdf(scripts_layout(), fonts()));
    check_qpdf_clean(file);

    std::vector<FontRow> rows = pdffonts(file);
    CHECK(rows.size() == 4);
    for (const FontRow& row : rows) {
        INFO(row.name);
        CHECK(row.emb == "yes");
        CHECK(row.sub == "yes");
        CHECK(row.uni == "yes");
    }

    for (bool layout : {false, true}) {
        std::string text = pdftotext(file, layout);
        CHECK_THAT(text, Contains(kLatin));
        CHECK_THAT(text, Contains(kCyrillic));
        CHECK_THAT(text, Contains(kGreek));
        CHECK_THAT(text, Contains(kChinese));
        // poppler accepts the ToUnicode maps without complaint (libharu's own are invalid).
        CHECK_THAT(text, !Contains("Syntax Warning"));
        CHECK_THAT(text, !Contains("Syntax Error"));
    }
}

TEST_CASE("render: the glyphs are drawn, not only mapped", "[render]") {
    require_tool("pdftoppm");
    TempDir dir;
    Layout layout;
    Page page;
    page.runs.push_back(text_run(fonts().cjk(false), 20, 20, "国国国", 40));
    page.runs.push_back(text_run(serif(), 20, 70, "MMM", 40));
    layout.pages.push_back(page);
    layout.page_width = 200;
    layout.page_height = 120;
    fs::path file = write_pdf(dir, "ink.pdf", render_pdf(layout, fonts()));
    Result r = run("pdftoppm -r 72 -gray " + quote(file) + " " + quote(dir.path() / "ink"));
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::ifstream in(dir.path() / "ink-1.pgm", std::ios::binary);
    std::string pgm(std::istreambuf_iterator<char>(in), {});
    // P5, width, height, maxval, then one byte a pixel (top row first).
    std::istringstream header(pgm);
    std::string magic;
    int width = 0, height = 0, maxval = 0;
    header >> magic >> width >> height >> maxval;
    REQUIRE(magic == "P5");
    std::size_t start = pgm.size() - static_cast<std::size_t>(width * height);
    auto dark = [&](int top, int bottom) {
        int n = 0;
        for (int y = top; y < bottom; ++y)
            for (int x = 0; x < width; ++x) n += static_cast<unsigned char>(pgm[start + static_cast<std::size_t>(y * width + x)]) < 128;
        return n;
    };
    CHECK(dark(0, 50) > 300);         // MMM, baseline at y = 70 from the bottom
    CHECK(dark(60, height) > 300);    // 国国国
}

TEST_CASE("render: document information, with a Chinese title, and dates", "[render]") {
    TempDir dir;
    Layout layout = scripts_layout();
    layout.info.title = "外交 — " + kChinese;
    layout.info.author = "Zoë Ångström, 王小明";
    layout.info.subject = "Subject: Ελληνικά";
    layout.info.keywords = "diplomacy, 外交";
    layout.info.creator = "dconv";
    layout.info.producer = "dconv (libharu)";
    layout.info.created = 1709208000;   // 2024-02-29T12:00:00Z
    layout.info.modified = 1709294400;  // 2024-03-01T12:00:00Z
    layout.language = "zh-CN";
    fs::path file = write_pdf(dir, "info.pdf", render_pdf(layout, fonts()));
    check_qpdf_clean(file);

    auto info = pdfinfo(file);
    CHECK(info["Title"] == "外交 — " + kChinese);
    CHECK(info["Author"] == "Zoë Ångström, 王小明");
    CHECK(info["Subject"] == "Subject: Ελληνικά");
    CHECK(info["Keywords"] == "diplomacy, 外交");
    CHECK(info["Creator"] == "dconv");
    CHECK(info["Producer"] == "dconv (libharu)");
    CHECK(info["Pages"] == "1");
    CHECK_THAT(info["Page size"], Contains("595.27") && Contains("841.89"));

    auto iso = pdfinfo(file, "-isodates");
    CHECK(iso["CreationDate"] == "2024-02-29T12:00:00Z");
    CHECK(iso["ModDate"] == "2024-03-01T12:00:00Z");

    std::string objects = qdf(dir, file);
    CHECK_THAT(objects, Contains("/Lang (zh-CN)"));
}

TEST_CASE("render: without dates or language, none is written", "[render]") {
    TempDir dir;
    fs::path file = write_pdf(dir, "plain.pdf", render_pdf(scripts_layout(), fonts()));
    auto info = pdfinfo(file);
    CHECK(info.count("CreationDate") == 0);
    CHECK(info.count("ModDate") == 0);
    CHECK_THAT(qdf(dir, file), !Contains("/Lang"));
}

TEST_CASE("render: the outline nests by level, with UTF-8 titles and destinations", "[render]") {
    TempDir dir;
    Layout layout;
    for (int i = 0; i < 4; ++i) {
        Page page;
        page.runs.push_back(text_run(serif(), 72, 700, "Page " + std::to_string(i + 1)));
        layout.pages.push_back(page);
    }
    // 1 第一章 > (1.1 > 1.1.1), 1.2 ; 2 Chapter two (skipping to level 3) ; 3 Last
    layout.outline = {{"第一章 " + kChinese, 1, 0, 800}, {"Section 1.1", 2, 0, 500},
                      {"Sub 1.1.1", 3, 1, 700},          {"Section 1.2", 2, 2, 600},
                      {"Chapter two", 1, 2, 300},        {"Deep", 3, 3, 800},
                      {"Last", 1, 3, 100}};
    fs::path file = write_pdf(dir, "outline.pdf", render_pdf(layout, fonts()));
    check_qpdf_clean(file);

    nlohmann::json outlines = qpdf_json(file, "outlines")["outlines"];
    REQUIRE(outlines.size() == 3);
    CHECK(outlines[0]["title"] == "第一章 " + kChinese);
    CHECK(outlines[0]["destpageposfrom1"] == 1);
    REQUIRE(outlines[0]["kids"].size() == 2);
    CHECK(outlines[0]["kids"][0]["title"] == "Section 1.1");
    REQUIRE(outlines[0]["kids"][0]["kids"].size() == 1);
    CHECK(outlines[0]["kids"][0]["kids"][0]["title"] == "Sub 1.1.1");
    CHECK(outlines[0]["kids"][0]["kids"][0]["destpageposfrom1"] == 2);
    CHECK(outlines[0]["kids"][1]["title"] == "Section 1.2");
    CHECK(outlines[0]["kids"][1]["destpageposfrom1"] == 3);
    CHECK(outlines[1]["title"] == "Chapter two");
    REQUIRE(outlines[1]["kids"].size() == 1);
    CHECK(outlines[1]["kids"][0]["title"] == "Deep");
    CHECK(outlines[1]["kids"][0]["destpageposfrom1"] == 4);
    CHECK(outlines[2]["title"] == "Last");
    CHECK(outlines[2]["kids"].empty());
    // An XYZ destination at the entry's top: [page /XYZ 0 top 0].
    CHECK(outlines[0]["dest"][1] == "/XYZ");
    CHECK(outlines[0]["dest"][3] == 800);

    std::string objects = qdf(dir, file);
    CHECK_THAT(objects, Contains("/PageMode /UseOutlines"));
}

TEST_CASE("render: links to URIs and to pages, without borders", "[render]") {
    TempDir dir;
    Layout layout;
    for (int i = 0; i < 2; ++i) {
        Page page;
        page.runs.push_back(text_run(serif(), 72, 700, "See the next page and https://example.org/"));
        layout.pages.push_back(page);
    }
    layout.pages[0].links.push_back({{72, 695, 200, 712}, "https://example.org/a?b=1&c=(2)", -1, 0});
    layout.pages[0].links.push_back({{210, 712, 300, 695}, "", 1, 650});  // corners swapped
    layout.pages[1].links.push_back({{72, 695, 200, 712}, "https://zh.wikipedia.org/wiki/中国 外交", -1, 0});
    fs::path file = write_pdf(dir, "links.pdf", render_pdf(layout, fonts()));
    check_qpdf_clean(file);
    std::string objects = qdf(dir, file);
    CHECK_THAT(objects, Contains("/URI (https://example.org/a?b=1&c=\\(2\\))"));
    CHECK_THAT(objects, Contains("/Border [\n    0\n    0\n    0\n  ]"));
    CHECK_THAT(objects, Contains("/XYZ"));
    auto count = [&objects](const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = objects.find(what); at != std::string::npos; at = objects.find(what, at + 1)) ++n;
        return n;
    };
    CHECK_THAT(objects, Contains("/URI (https://zh.wikipedia.org/wiki/%E4%B8%AD%E5%9B%BD%20%E5%A4%96%E4%BA%A4)"));
    CHECK(count("/Type /Annot\n") == 3);
    CHECK(count("/Annots [") == 2);
    CHECK_THAT(objects, Contains("/Rect [\n    210\n    695\n    300\n    712\n  ]"));
}

TEST_CASE("render: rules, colours, character spacing and synthetic bold", "[render]") {
    TempDir dir;
    Layout layout;
    Page page;
    page.rules.push_back({72, 600, 523, 600, 0.75f, {0.5f, 0.5f, 0.5f}});
    GlyphRun bold = text_run(fonts().cjk(true), 72, 700, "粗体中文", 15);
    bold.color = {0.8f, 0.1f, 0.1f};
    page.runs.push_back(bold);
    GlyphRun spaced = text_run(fonts().cjk(false), 72, 650, "间距中文", 12);
    spaced.char_spacing = 2.5f;
    page.runs.push_back(spaced);
    layout.pages.push_back(page);
    std::string pdf = render_pdf(layout, fonts());
    fs::path file = write_pdf(dir, "style.pdf", pdf);
    check_qpdf_clean(file);
    std::string objects = qdf(dir, file);
    CHECK_THAT(objects, Contains("0.75 w\n0.5 0.5 0.5 RG\n72 600 m 523 600 l S\n"));
    CHECK_THAT(objects, Contains("0.8 0.1 0.1 rg\n0.5 w\n0.8 0.1 0.1 RG\n2 Tr\n"));  // 15/30
    CHECK_THAT(objects, Contains("2.5 Tc\n"));
    CHECK_THAT(objects, Contains("0 Tr\n"));
    // Bold and regular CJK share one embedded font.
    CHECK(pdffonts(file).size() == 1);
    std::string text = pdftotext(file);
    CHECK_THAT(text, Contains("粗体中文"));
    CHECK_THAT(text, Contains("间距中文"));
}

TEST_CASE("render: runs merged on a line stay where the layout put them", "[render]") {
    // Words of a justified line, a CJK word, a spaced-out run and a change of size on
    // one baseline; the second line starts left of the first line's end.
    struct Placed {
        FontId font;
        float x, y;
        std::string text;
        float size, spacing;
    };
    const std::vector<Placed> placed = {
        {serif(), 56, 700, "Justified", 11, 0},     {serif(), 103.37f, 700, "words", 11, 0},
        {serif(), 137.913f, 700, "at", 11, 0},      {fonts().cjk(false), 152.5f, 700, "中文", 11, 0},
        {serif(), 180.01f, 700, "(with)", 11, 0},   {serif(), 215.5f, 700, "spaced", 11, 0.3f},
        {serif(), 270.25f, 700, "bigger", 14, 0},   {serif(), 320, 700, "last", 11, 0},
        {serif(), 56.5f, 686, "Second", 11, 0},     {serif(), 99.99f, 686, "line", 11, 0},
    };
    Layout layout;
    Page page;
    for (const Placed& p : placed) {
        GlyphRun run = text_run(p.font, p.x, p.y, p.text, p.size);
        run.char_spacing = p.spacing;
        page.runs.push_back(run);
    }
    layout.pages.push_back(page);
    TempDir dir;
    fs::path file = write_pdf(dir, "positions.pdf", render_pdf(layout, fonts()));
    check_qpdf_clean(file);
    require_tool("pdftotext");
    // -bbox gives each word's origin as xMin; words closer than a space merge, so the
    // layout above keeps them apart.
    Result r = run("pdftotext -bbox " + quote(file) + " -");
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::vector<std::pair<double, std::string>> words;
    for (std::size_t at = r.output.find("<word xMin=\""); at != std::string::npos;
         at = r.output.find("<word xMin=\"", at + 1)) {
        double x = std::stod(r.output.substr(at + 12));
        std::size_t open = r.output.find('>', at) + 1;
        words.emplace_back(x, r.output.substr(open, r.output.find("</word>", open) - open));
    }
    REQUIRE(words.size() == placed.size());
    for (const Placed& p : placed) {
        INFO(p.text);
        auto word = std::find_if(words.begin(), words.end(), [&p](const auto& w) { return w.second == p.text; });
        REQUIRE(word != words.end());
        CHECK(word->first == Approx(p.x).margin(0.006));  // on the 1/100 pt grid
    }
    // Runs on one line went into one TJ array: fewer arrays than runs.
    std::string objects = qdf(dir, file);
    std::size_t arrays = 0;
    for (std::size_t at = objects.find("]TJ"); at != std::string::npos; at = objects.find("]TJ", at + 1)) ++arrays;
    CHECK(arrays > 0);
    CHECK(arrays < placed.size());
}

TEST_CASE("render: a cover image is a page of its own before the first", "[render]") {
    require_tool("pdftoppm");
    require_tool("pdfimages");
    TempDir dir;
    // A PNG to use: a page rendered by poppler.
    Layout picture;
    Page drawn;
    drawn.runs.push_back(text_run(serif(), 20, 700, "Cover", 60));
    picture.pages.push_back(drawn);
    fs::path source = write_pdf(dir, "picture.pdf", render_pdf(picture, fonts()));
    REQUIRE(run("pdftoppm -singlefile -png -r 10 " + quote(source) + " " + quote(dir.path() / "cover")).status == 0);
    std::ifstream in(dir.path() / "cover.png", std::ios::binary);
    std::string png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(png.starts_with("\x89PNG"));

    Layout layout;
    for (int i = 0; i < 2; ++i) {
        Page page;
        page.runs.push_back(text_run(serif(), 72, 700, "Page " + std::to_string(i + 1)));
        layout.pages.push_back(page);
    }
    layout.outline = {{"Second", 1, 1, 700}};
    layout.cover_image = png;
    fs::path file = write_pdf(dir, "covered.pdf", render_pdf(layout, fonts()));
    check_qpdf_clean(file);
    CHECK(pdfinfo(file)["Pages"] == "3");
    Result images = run("pdfimages -list " + quote(file));
    CHECK(images.output.find("\n   1     0 image") != std::string::npos);  // on page 1
    CHECK(pdftotext(file).find("Page 1") != std::string::npos);
    // The bookmark still goes to the layout's second page, the file's third.
    nlohmann::json outlines = qpdf_json(file, "outlines")["outlines"];
    REQUIRE(outlines.size() == 1);
    CHECK(outlines[0]["destpageposfrom1"] == 3);
}

TEST_CASE("render: the same layout gives the same bytes", "[render]") {
    Layout layout = mixed_page_layout();
    layout.outline = {{"标题", 1, 0, 800}};
    layout.info.title = "Reproducible";
    layout.info.created = 1700000000;
    std::string a = render_pdf(layout, fonts());
    std::string b = render_pdf(layout, fonts());
    CHECK(a == b);
    // Also when rendered on several threads at once (one document each).
    std::vector<std::future<std::string>> renders;
    for (int i = 0; i < 4; ++i)
        renders.push_back(std::async(std::launch::async, [&layout] { return render_pdf(layout, fonts()); }));
    for (auto& r : renders) CHECK(r.get() == a);
}

TEST_CASE("render: a page of mixed Latin and CJK text stays small", "[render]") {
    TempDir dir;
    std::string pdf = render_pdf(mixed_page_layout(), fonts());
    fs::path file = write_pdf(dir, "mixed.pdf", pdf);
    check_qpdf_clean(file);
    INFO("size " << pdf.size());
    CHECK(pdf.size() < 40000);
    CHECK_THAT(pdftotext(file), Contains("外交部发言人"));
}

TEST_CASE("render: hundreds of pages keep their order", "[render]") {
    // More pages than one node of libharu's page tree holds.
    Layout layout;
    for (int i = 1; i <= 600; ++i) {
        Page page;
        page.runs.push_back(text_run(serif(), 72, 700, "Page " + std::to_string(i)));
        layout.pages.push_back(page);
    }
    layout.outline = {{"Last page", 1, 599, 700}};
    TempDir dir;
    fs::path file = write_pdf(dir, "pages.pdf", render_pdf(layout, fonts()));
    check_qpdf_clean(file);
    CHECK(pdfinfo(file)["Pages"] == "600");
    Result r = run("pdftotext -f 257 -l 257 " + quote(file) + " -");
    CHECK_THAT(r.output, Contains("Page 257"));
    nlohmann::json outlines = qpdf_json(file, "outlines")["outlines"];
    REQUIRE(outlines.size() == 1);
    CHECK(outlines[0]["destpageposfrom1"] == 600);
}

TEST_CASE("render: an empty layout is a valid one-page PDF", "[render]") {
    TempDir dir;
    Layout layout;
    layout.page_width = 419.528f;  // A5
    layout.page_height = 595.276f;
    fs::path file = write_pdf(dir, "empty.pdf", render_pdf(layout, fonts()));
    check_qpdf_clean(file);
    auto info = pdfinfo(file);
    CHECK(info["Pages"] == "1");
    CHECK_THAT(info["Page size"], Contains("419.52") && Contains("595.27"));
    CHECK(pdffonts(file).empty());
}

TEST_CASE("render: characters the font lacks keep their text, strings that break PDF syntax do not", "[render]") {
    TempDir dir;
    Layout layout;
    Page page;
    page.runs.push_back(text_run(serif(), 72, 700, "emoji \xF0\x9F\x98\x80 bad \xFF byte"));
    page.runs.push_back(text_run(serif(), 72, 680, "parens ( ) \\ backslash \r and (nested (ones))"));
    page.runs.push_back(text_run(serif(), 72, 660, ""));
    layout.pages.push_back(page);
    layout.outline = {{"Title with ) ( \\ and \n newline", 1, 0, 700}};
    layout.info.title = std::string(100000, 'x');  // cut, not refused
    layout.language = "en) /Evil (";               // not a language tag: left out
    fs::path file = write_pdf(dir, "hostile.pdf", render_pdf(layout, fonts()));
    check_qpdf_clean(file);
    std::string text = pdftotext(file);
    // Both draw .notdef (the run has no shaped glyphs, and Liberation has neither); the
    // text says what they were, the invalid byte as U+FFFD.
    CHECK_THAT(text, Contains("emoji \xF0\x9F\x98\x80 bad \xEF\xBF\xBD byte"));
    CHECK_THAT(text, Contains("parens ( ) \\ backslash"));
    CHECK_THAT(text, Contains("(nested (ones))"));
    nlohmann::json outlines = qpdf_json(file, "outlines")["outlines"];
    REQUIRE(outlines.size() == 1);
    CHECK(outlines[0]["title"] == "Title with ) ( \\ and   newline");
    CHECK_THAT(qdf(dir, file), !Contains("/Lang"));
}

TEST_CASE("render: a layout that does not fit the fonts or pages is an internal error", "[render]") {
    Layout bad_font = scripts_layout();
    bad_font.pages[0].runs[0].font = static_cast<FontId>(fonts().size());
    CHECK_THROWS_MATCHES(render_pdf(bad_font, fonts()), Error,
                         Catch::Predicate<Error>([](const Error& e) { return e.kind() == ErrorKind::internal; }));
    Layout bad_outline = scripts_layout();
    bad_outline.outline = {{"Nowhere", 1, 5, 0}};
    CHECK_THROWS_AS(render_pdf(bad_outline, fonts()), Error);
    Layout bad_link = scripts_layout();
    bad_link.pages[0].links.push_back({{0, 0, 10, 10}, "", 3, 0});
    CHECK_THROWS_AS(render_pdf(bad_link, fonts()), Error);
    // A page smaller than libharu's 3 pt is refused as libharu refuses it: the error
    // comes out as dconv::Error naming the step, and nothing is left behind.
    Layout tiny = scripts_layout();
    tiny.page_width = 1;
    CHECK_THROWS_WITH(render_pdf(tiny, fonts()),
                      Contains("libharu: setting the page size failed") && Contains("invalid page size"));
}

// Not run by default: `pdf_render_test "[.benchmark]"`. A 3,000-page document.
TEST_CASE("render: speed of a long document", "[.benchmark]") {
    std::size_t text_bytes = 0;
    Layout layout = long_layout(3000, &text_bytes);
    std::size_t runs = 0;
    for (const Page& p : layout.pages) runs += p.runs.size();
    auto start = std::chrono::steady_clock::now();
    std::string pdf = render_pdf(layout, fonts());
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    WARN(layout.pages.size() << " pages, " << runs << " runs, " << text_bytes << " bytes of text: " << seconds
                             << " s, " << static_cast<double>(text_bytes) / 1e6 / seconds << " MB/s of text, "
                             << pdf.size() << " bytes of PDF");
    TempDir dir;
    check_qpdf_clean(write_pdf(dir, "long.pdf", pdf));
}
