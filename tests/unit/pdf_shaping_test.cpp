// pdf_shaping_test.cpp: paragraphs set with the real fonts, shaped by HarfBuzz — joined
// Arabic, Devanagari conjuncts, Thai broken at its words (ICU's dictionary), the visual
// order of mixed-direction lines (UAX #9), Latin kerning and ligatures, and the fallback
// fonts chosen per script and language.
#include <catch2/catch.hpp>

#include <hb.h>
#include <unicode/ubrk.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "pdf/fonts.hpp"
#include "pdf/paragraph.hpp"
#include "pdf/print_style.hpp"

using namespace dconv;
using namespace dconv::pdf;

namespace {

const SystemFonts& fonts() {
    static SystemFonts instance;
    return instance;
}

FontId serif() { return fonts().id(Family::serif, false, false); }

std::vector<Line> set(const std::string& text, float width, Align align = Align::justify,
                      FontId font = serif()) {
    Span span;
    span.text = text;
    span.font = font;
    span.size = 10;
    ParagraphStyle style;
    style.width = width;
    style.align = align;
    return set_paragraph({span}, style, fonts());
}

std::vector<PlacedGlyph> shaped(FontId font, const std::string& text, bool right_to_left = false) {
    std::vector<PlacedGlyph> out;
    ShapeProperties properties;
    properties.right_to_left = right_to_left;
    fonts().shape(font, text, properties, out);
    return out;
}

std::vector<PlacedGlyph> nominal(FontId font, const std::string& text) {
    std::vector<PlacedGlyph> out;
    fonts().nominal_glyphs(font, text, out);
    return out;
}

// Words with the pairs fonts kern and the sequences some make ligatures of.
std::string testing_words() {
    return "AVAT WAVE Tokyo Yale LT P. F, y. r, office efficiency fjord The first flight (ffi) "
           "\"quoted\" 'single' L'Aquila 1,234.56 a--b x->y <=> www.example.org/path?q=1&r=2 "
           "Typography kerning AWAY Vowel To Ta Te Ty Wa We Yo yo. V.A. #include <vector> {x} [y] |z| ~ ^ ` "
           "\u201CQuoted\u201D it\u2019s \u2018Yes\u2019 \u201CAVA\u201D L\u2019Tour T\u2019";
}

// The fragments of a line, left to right.
std::vector<const Fragment*> by_x(const Line& line) {
    std::vector<const Fragment*> out;
    for (const Fragment& f : line.fragments) out.push_back(&f);
    std::sort(out.begin(), out.end(), [](const Fragment* a, const Fragment* b) { return a->x < b->x; });
    return out;
}

}  // namespace

TEST_CASE("shaping: an Arabic word is drawn in joined forms, right to left") {
    const std::string word = "عربي";  // ain (initial), reh (final), beh (initial), yeh (final)
    FontId arabic = fonts().resolve(serif(), U'ع');
    REQUIRE(arabic >= 0);
    CHECK_THAT(fonts().file(arabic), Catch::Contains("Arabic"));
    std::vector<PlacedGlyph> joined = shaped(arabic, word, true);
    std::vector<PlacedGlyph> isolated = nominal(arabic, word);
    REQUIRE(joined.size() == 4);
    // Visual order: the last letter first; ain joins to reh, beh to yeh: the forms are
    // not the isolated ones.
    CHECK(joined.front().cluster > joined.back().cluster);
    int differ = 0;
    for (std::size_t i = 0; i < 4; ++i) differ += joined[3 - i].id != isolated[i].id;
    CHECK(differ >= 3);

    // Set as a paragraph: one right-to-left fragment whose glyphs are those forms.
    std::vector<Line> lines = set(word, 200, Align::left);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].right_to_left);
    REQUIRE(lines[0].fragments.size() == 1);
    const Fragment& f = lines[0].fragments[0];
    CHECK(f.right_to_left);
    CHECK(f.text == word);
    REQUIRE(f.glyphs.size() == joined.size());
    for (std::size_t i = 0; i < joined.size(); ++i) CHECK(f.glyphs[i].id == joined[i].id);
    // Right-aligned: a right-to-left paragraph starts at the right margin.
    CHECK(f.x + f.width == Approx(200).margin(0.01));
}

TEST_CASE("shaping: a Devanagari conjunct is one cluster, never broken inside") {
    const std::string conjunct = "क्ष";  // ka, virama, ssa: the conjunct kssa
    FontId devanagari = fonts().resolve(serif(), U'क');
    REQUIRE(devanagari >= 0);
    std::vector<PlacedGlyph> glyphs = shaped(devanagari, conjunct);
    CHECK(glyphs.size() < 3);  // a ligature, not three glyphs side by side
    for (const PlacedGlyph& g : glyphs) CHECK(g.cluster == 0);

    // A long run of conjuncts narrower than nothing breaks between clusters only.
    std::string text;
    for (int i = 0; i < 40; ++i) text += conjunct;
    std::vector<Line> lines = set(text, 60);
    REQUIRE(lines.size() > 1);
    std::string joined;
    for (const Line& line : lines)
        for (const Fragment& f : line.fragments) {
            CHECK(f.text.size() % conjunct.size() == 0);  // whole conjuncts on each line
            joined += f.text;
        }
    CHECK(joined == text);
}

TEST_CASE("shaping: Thai lines break at word boundaries found by ICU") {
    const std::string thai = "ภาษาไทยเป็นภาษาราชการของประเทศไทยมีผู้พูดประมาณหกสิบห้าล้านคน";
    // ICU's word boundaries of the text, as byte offsets.
    std::u16string units;
    std::vector<std::size_t> byte_of_unit;
    for (std::size_t i = 0; i < thai.size();) {
        std::size_t at = i;
        char32_t c = text::next(thai, i);
        units += static_cast<char16_t>(c);
        byte_of_unit.push_back(at);
    }
    byte_of_unit.push_back(thai.size());
    UErrorCode error = U_ZERO_ERROR;
    UBreakIterator* words = ubrk_open(UBRK_LINE, "th", reinterpret_cast<const UChar*>(units.data()),
                                      static_cast<int32_t>(units.size()), &error);
    REQUIRE(U_SUCCESS(error));
    std::set<std::size_t> boundaries;
    for (int32_t b = ubrk_first(words); b != UBRK_DONE; b = ubrk_next(words))
        boundaries.insert(byte_of_unit[static_cast<std::size_t>(b)]);
    ubrk_close(words);
    REQUIRE(boundaries.size() > 8);

    std::vector<Line> lines = set(thai, 120);
    REQUIRE(lines.size() >= 3);
    std::string joined;
    for (const Line& line : lines) {
        CHECK_FALSE(line.overfull);
        for (const Fragment& f : line.fragments) joined += f.text;
        INFO(joined);
        CHECK(boundaries.count(joined.size()) == 1);  // every line ends at a word's end
    }
    CHECK(joined == thai);
}

TEST_CASE("shaping: the danda stays in the font of the Devanagari before it") {
    std::vector<Line> lines = set("भाषा है।", 300, Align::left);
    REQUIRE(lines.size() == 1);
    REQUIRE(lines[0].fragments.size() == 2);
    CHECK(lines[0].fragments[1].text == "है।");
    CHECK_THAT(fonts().file(lines[0].fragments[1].font), Catch::Contains("Devanagari"));
}

TEST_CASE("shaping: mixed-direction lines are laid out in visual order") {
    SECTION("Hebrew inside an English paragraph") {
        std::vector<Line> lines = set("one שלום עולם two", 300, Align::left);
        REQUIRE(lines.size() == 1);
        CHECK_FALSE(lines[0].right_to_left);
        std::vector<const Fragment*> order = by_x(lines[0]);
        REQUIRE(order.size() == 4);
        CHECK(order[0]->text == "one");
        CHECK(order[1]->text == "עולם");  // the Hebrew run reversed: its second word first
        CHECK(order[2]->text == "שלום");
        CHECK(order[3]->text == "two");
        CHECK(order[1]->right_to_left);
        CHECK_FALSE(order[3]->right_to_left);
        CHECK(order[0]->x == Approx(0));
    }
    SECTION("a number and Latin words inside an Arabic paragraph keep their order") {
        std::vector<Line> lines = set("من 467 مليون world wide نسمة", 300, Align::left);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].right_to_left);
        std::vector<const Fragment*> order = by_x(lines[0]);
        std::vector<std::string> texts;
        for (const Fragment* f : order) texts.push_back(f->text);
        CHECK(texts == std::vector<std::string>{"نسمة", "world", "wide", "مليون", "467", "من"});
        // with a space between every two of them
        for (std::size_t i = 1; i < order.size(); ++i) CHECK(order[i]->x > order[i - 1]->x + order[i - 1]->width + 1);
        // right-aligned
        CHECK(order.back()->x + order.back()->width == Approx(300).margin(0.01));
    }
}

TEST_CASE("shaping: Latin text is kerned and gets the standard ligatures") {
    // 'AV' kerns in Liberation Serif: the pair is narrower than its advances.
    std::vector<PlacedGlyph> av = shaped(serif(), "AV");
    REQUIRE(av.size() == 2);
    CHECK(av[0].advance + av[1].advance < fonts().advance(serif(), U'A') + fonts().advance(serif(), U'V') - 0.01f);
    // Standard ligatures where the font has them (Liberation has none; DejaVu has fi):
    // one glyph whose cluster holds both letters.
    FontId dejavu = fonts().resolve(serif(), U'✓');
    REQUIRE(dejavu >= 0);
    REQUIRE_THAT(fonts().file(dejavu), Catch::Contains("DejaVu"));
    std::vector<PlacedGlyph> fi = shaped(dejavu, "fi");
    CHECK(fi.size() == 1);
}

TEST_CASE("shaping: fallback fonts by script and language") {
    const SystemFonts& f = fonts();
    auto file_of = [&](FontId wanted, char32_t c) {
        FontId font = f.resolve(wanted, c);
        return font < 0 ? std::string("(none)") : f.file(font);
    };
    CHECK_THAT(file_of(serif(), U'한'), Catch::Contains("Nanum"));
    CHECK(f.resolve(serif(), U'ש') >= 0);  // Liberation has Hebrew
    CHECK_THAT(file_of(serif(), U'ক'), Catch::Contains("Bengali"));
    CHECK_THAT(file_of(serif(), U'த'), Catch::Contains("Tamil"));
    CHECK_THAT(file_of(serif(), U'ก'), Catch::Contains("Thai"));
    CHECK(f.resolve(serif(), U'।') >= 0);  // the danda, shared by scripts
    for (char32_t symbol : {U'✓', U'✗', U'⇒', U'❤'}) CHECK(f.resolve(serif(), symbol) >= 0);
    // Han: Chinese forms by default, Japanese ones in Japanese text; the kanji only
    // Japanese writes, and half-width katakana, from the Japanese font anyway.
    CHECK_THAT(file_of(serif(), U'直'), Catch::Contains("uming"));
    FontId japanese = f.for_language(serif(), "ja");
    CHECK_THAT(file_of(japanese, U'直'), Catch::Contains("ipa"));
    for (char32_t kanji : {U'楽', U'変', U'増'}) CHECK_THAT(file_of(serif(), kanji), Catch::Contains("ipa"));
    CHECK_THAT(file_of(japanese, U'ｶ'), Catch::Contains("ipa"));
    CHECK(f.resolve(japanese, U'A') == serif());  // Latin stays Liberation
    // In CJK text, quotes and the ellipsis come from the CJK font.
    CHECK_THAT(file_of(f.for_language(serif(), "zh-Hans"), U'“'), Catch::Contains("uming"));
    CHECK_THAT(file_of(serif(), U'“'), Catch::Contains("Liberation"));
}

TEST_CASE("shaping: ASCII words (and typographic quotes) shaped without HarfBuzz get HarfBuzz's glyphs") {
    // SystemFonts shapes printable ASCII from nominal glyphs and learnt pair kerning;
    // HarfBuzz itself, on the same files, must agree glyph for glyph.
    std::string seed = testing_words();
    for (Family family : {Family::serif, Family::sans, Family::mono})
        for (bool bold : {false, true})
            for (bool italic : {false, true}) {
                FontId font = fonts().id(family, bold, italic);
                hb_blob_t* blob = hb_blob_create_from_file(fonts().file(font).c_str());
                hb_face_t* face = hb_face_create(blob, 0);
                hb_font_t* hb = hb_font_create(face);
                unsigned upem = hb_face_get_upem(face);
                hb_font_set_scale(hb, static_cast<int>(upem), static_cast<int>(upem));
                hb_buffer_t* buffer = hb_buffer_create();
                std::size_t at = 0;
                while (at < seed.size()) {
                    std::size_t end = seed.find(' ', at);
                    if (end == std::string::npos) end = seed.size();
                    std::string word = seed.substr(at, end - at);
                    at = end + 1;
                    if (word.empty()) continue;
                    std::vector<PlacedGlyph> ours = shaped(font, word);
                    hb_buffer_clear_contents(buffer);
                    hb_buffer_add_utf8(buffer, word.data(), static_cast<int>(word.size()), 0, static_cast<int>(word.size()));
                    hb_buffer_guess_segment_properties(buffer);
                    hb_shape(hb, buffer, nullptr, 0);
                    unsigned count = 0;
                    hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer, &count);
                    hb_glyph_position_t* position = hb_buffer_get_glyph_positions(buffer, &count);
                    INFO(fonts().file(font) << ": " << word);
                    REQUIRE(ours.size() == count);
                    for (unsigned i = 0; i < count; ++i) {
                        CHECK(ours[i].id == info[i].codepoint);
                        CHECK(ours[i].cluster == info[i].cluster);
                        CHECK(ours[i].advance == Approx(float(position[i].x_advance) / float(upem)).margin(1e-6));
                        CHECK(ours[i].x_offset == Approx(float(position[i].x_offset) / float(upem)).margin(1e-6));
                    }
                }
                hb_buffer_destroy(buffer);
                hb_font_destroy(hb);
                hb_face_destroy(face);
                hb_blob_destroy(blob);
            }
}

TEST_CASE("shaping: the default print style's measure holds about 66 characters of English") {
    // Bringhurst's ideal: 45 to 75 characters a line, 66 best. Set with the style's own
    // face, size and measure, and the real font's shaped widths.
    const std::string text =
        "The vision to build a new type of international relations featuring win-win cooperation embodies the "
        "fine diplomatic tradition of New China, conforms to the purposes and principles of the Charter about "
        "sovereign equality, peaceful settlement of international disputes and international cooperation, and "
        "suits the trend of the times. It is an innovation that goes beyond traditional theories of international "
        "relations and charts a new course for the relations among countries in the new era.";
    for (const char* name : {"default", "sans"}) {
        PrintStyle style = load_print_style(name);
        const TextStyle& body = style[Element::body];
        Span span;
        span.text = text;
        span.font = fonts().id(body.family, false, false);
        span.size = body.size;
        ParagraphStyle paragraph;
        paragraph.width = style.measure();
        std::vector<Line> lines = set_paragraph({span}, paragraph, fonts());
        REQUIRE(lines.size() > 3);
        std::size_t characters = 0;
        for (std::size_t k = 0; k + 1 < lines.size(); ++k) {
            for (const Fragment& f : lines[k].fragments) characters += text::to_u32(f.text).size();
            characters += lines[k].fragments.size() - 1;  // the spaces between them
        }
        double per_line = double(characters) / double(lines.size() - 1);
        INFO(name << ": " << per_line << " characters a line");
        CHECK(per_line >= 60);
        CHECK(per_line <= 72);
    }
}

TEST_CASE("shaping: a CJK character alone is shaped as HarfBuzz shapes it") {
    // SystemFonts draws a lone Han, kana or Hangul character by its nominal glyph.
    const std::string text = "中文汉语書面語日本語楽変増ひらがなカタカナ한국어대한민국";
    for (const char* language : {"zh", "ja", "ko"}) {
        FontId wanted = fonts().for_language(serif(), language);
        for (std::size_t i = 0; i < text.size();) {
            std::size_t at = i;
            char32_t c = text::next(text, i);
            std::string one = text.substr(at, i - at);
            FontId font = fonts().resolve(wanted, c);
            REQUIRE(font >= 0);
            std::vector<PlacedGlyph> ours = shaped(font, one);
            hb_blob_t* blob = hb_blob_create_from_file(fonts().file(font).c_str());
            hb_face_t* face = hb_face_create(blob, 0);
            hb_font_t* hb = hb_font_create(face);
            unsigned upem = hb_face_get_upem(face);
            hb_font_set_scale(hb, static_cast<int>(upem), static_cast<int>(upem));
            hb_buffer_t* buffer = hb_buffer_create();
            hb_buffer_add_utf8(buffer, one.data(), static_cast<int>(one.size()), 0, static_cast<int>(one.size()));
            hb_buffer_guess_segment_properties(buffer);
            hb_shape(hb, buffer, nullptr, 0);
            unsigned count = 0;
            hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer, &count);
            hb_glyph_position_t* position = hb_buffer_get_glyph_positions(buffer, &count);
            INFO(fonts().file(font) << ": " << one);
            REQUIRE(ours.size() == count);
            CHECK(ours[0].id == info[0].codepoint);
            CHECK(ours[0].advance == Approx(float(position[0].x_advance) / float(upem)).margin(1e-6));
            hb_buffer_destroy(buffer);
            hb_font_destroy(hb);
            hb_face_destroy(face);
            hb_blob_destroy(blob);
        }
    }
}

TEST_CASE("shaping: a Latin face's coverage and advances, tabulated block by block, are HarfBuzz's") {
    // Every character of the Basic Multilingual Plane the face's cmap has draws with it
    // at its hmtx advance; the blocks are filled as they are first asked about.
    for (FontId font : {serif(), fonts().id(Family::sans, true, false), fonts().id(Family::mono, false, true)}) {
        INFO(fonts().file(font));
        hb_blob_t* blob = hb_blob_create_from_file_or_fail(fonts().file(font).c_str());
        REQUIRE(blob != nullptr);
        hb_face_t* face = hb_face_create(blob, 0);
        hb_font_t* font_hb = hb_font_create(face);
        unsigned upem = hb_face_get_upem(face);
        hb_font_set_scale(font_hb, int(upem), int(upem));
        float per_unit = 1.0f / float(upem);
        int covered = 0, wrong = 0;
        for (char32_t c = 0; c < 0x10000; ++c) {
            hb_codepoint_t glyph = 0;
            if (!hb_font_get_nominal_glyph(font_hb, c, &glyph)) continue;
            ++covered;
            float advance = float(std::uint16_t(hb_font_get_glyph_h_advance(font_hb, glyph))) * per_unit;
            if (fonts().resolve(font, c) != font || fonts().advance(font, c) != advance) {
                if (++wrong <= 3) UNSCOPED_INFO("U+" << std::hex << std::uint32_t(c));
            }
        }
        CHECK(covered > 2000);  // Latin, Greek, Cyrillic and more
        CHECK(wrong == 0);
        // A character it lacks goes to a fallback.
        CHECK(fonts().resolve(font, U'\u4E2D') != font);
        hb_font_destroy(font_hb);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
    }
}
