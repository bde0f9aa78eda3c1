#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cmath>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "pdf/breaking.hpp"
#include "pdf/hyphenate.hpp"
#include "pdf/paragraph.hpp"
#include "pdf/script.hpp"

using namespace dconv;
using namespace dconv::pdf;

namespace {

// Made-up metrics: fonts 0 and 2 draw everything below U+2E80 at half an em; font 1 is
// their fallback for CJK, a full em; U+E000 is in no font.
class FakeFonts final : public FontTable {
public:
    static constexpr FontId latin = 0, cjk = 1, bold = 2;
    static constexpr char32_t missing = 0xE000;

    FontId resolve(FontId wanted, char32_t c) const override {
        if (c == missing) return -1;
        if (c >= 0x2E80) return cjk;
        return wanted == cjk ? latin : wanted;
    }
    float advance(FontId font, char32_t) const override { return font == cjk ? 1.0f : 0.5f; }
};

const FakeFonts fonts;

// At size 10: a Latin character or space is 5 points, a CJK character 10.
constexpr float latin_width = 5, cjk_width = 10;

Span span(std::string text, FontId font = FakeFonts::latin) {
    Span s;
    s.text = std::move(text);
    s.font = font;
    return s;
}

ParagraphStyle style(float width, Align align = Align::justify) {
    ParagraphStyle s;
    s.width = width;
    s.align = align;
    return s;
}

std::vector<Line> set(const std::string& text, const ParagraphStyle& s, SetStats* stats = nullptr) {
    return set_paragraph({span(text)}, s, fonts, stats);
}

// A line's fragments, back to back.
std::string glyphs_of(const Line& line) {
    std::string out;
    for (const auto& fragment : line.fragments) out += fragment.text;
    return out;
}

// A line's text: its fragments, with a space where there is a gap between them.
std::string text_of(const Line& line) {
    std::string out;
    float end = 0;
    for (std::size_t k = 0; k < line.fragments.size(); ++k) {
        const Fragment& fragment = line.fragments[k];
        if (k > 0 && fragment.x > end + 0.01f) out += ' ';
        out += fragment.text;
        end = fragment.x + fragment.width;
    }
    return out;
}

std::vector<std::string> texts_of(const std::vector<Line>& lines) {
    std::vector<std::string> out;
    for (const auto& line : lines) out.push_back(text_of(line));
    return out;
}

float right_edge(const Line& line) {
    return line.fragments.empty() ? 0 : line.fragments.back().x + line.fragments.back().width;
}

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        if (c == ' ') {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

const std::string lorem =
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
    "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure "
    "dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. "
    "Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt "
    "mollit anim id est laborum.";

// The adjustment ratio of a justified line of words in the fake Latin font: spaces are 5
// points, stretching by 2.5 and shrinking by 5/3.
double ratio_of(const std::vector<std::string>& words, float measure) {
    double natural = 0;
    for (const auto& word : words) natural += word.size() * latin_width;
    double spaces = double(words.size() - 1);
    natural += spaces * latin_width;
    if (spaces == 0) return 0;
    return natural <= measure ? (measure - natural) / (spaces * latin_width / 2)
                              : (measure - natural) / (spaces * latin_width / 3);
}

}  // namespace

// ---- total fit ---------------------------------------------------------------------

TEST_CASE("total fit balances lines that first fit would leave loose") {
    // First fit (shrinking spaces as far as they go) takes seven words on the first line,
    // squeezed to the limit, and leaves a second line of four words that must stretch
    // its spaces to 2.7 times their stretch; total fit moves "gg" down and sets every
    // line moderately loose.
    std::string text = "aaa bbb cccccccc dd eee ff gg hhhhhhh iiiiii jjjj kkk llllllll mmmmmmmmm";
    float measure = 27 * latin_width;
    auto lines = set(text, style(measure));
    auto texts = texts_of(lines);

    std::vector<std::vector<std::string>> first_fit(1);
    for (const auto& word : words_of(text)) {
        auto longer = first_fit.back();
        longer.push_back(word);
        if (!first_fit.back().empty() && ratio_of(longer, measure) < -1)
            first_fit.push_back({word});
        else
            first_fit.back() = longer;
    }
    REQUIRE(first_fit.size() == 3);
    double worst_first_fit = 0, worst_total_fit = 0;
    for (std::size_t k = 0; k + 1 < first_fit.size(); ++k)
        worst_first_fit = std::max(worst_first_fit, std::abs(ratio_of(first_fit[k], measure)));
    for (std::size_t k = 0; k + 1 < texts.size(); ++k)
        worst_total_fit = std::max(worst_total_fit, std::abs(ratio_of(words_of(texts[k]), measure)));
    INFO("total fit: " << Catch::Detail::stringify(texts));
    CHECK(worst_first_fit > 2.5);
    CHECK(worst_total_fit < 1);
    CHECK(texts.front() == "aaa bbb cccccccc dd eee ff");
}

TEST_CASE("justified lines fill the measure and none is wider") {
    for (float measure : {120.0f, 150.0f, 200.0f, 233.0f, 300.0f, 400.0f}) {
        auto lines = set(lorem, style(measure));
        REQUIRE(lines.size() > 1);
        for (std::size_t k = 0; k < lines.size(); ++k) {
            INFO("measure " << measure << ", line " << k << ": " << text_of(lines[k]));
            CHECK(lines[k].width <= measure + 0.01f);
            CHECK_FALSE(lines[k].overfull);
            CHECK(lines[k].fragments.front().x == 0);
            if (k + 1 < lines.size()) {
                CHECK(lines[k].width == Approx(measure).margin(0.01));
                CHECK(right_edge(lines[k]) == Approx(measure).margin(0.01));
            }
        }
        // the last line is set at its natural width: single spaces
        const Line& last = lines.back();
        for (std::size_t k = 1; k < last.fragments.size(); ++k) {
            const Fragment& before = last.fragments[k - 1];
            CHECK(last.fragments[k].x - (before.x + before.width) == Approx(latin_width));
        }
    }
}

TEST_CASE("the words come out in order, one fragment each, spaces never drawn") {
    auto lines = set("  " + lorem + "  ", style(180));
    std::vector<std::string> words;
    for (const auto& line : lines) {
        for (const auto& fragment : line.fragments) {
            CHECK(fragment.text.find(' ') == std::string::npos);
            CHECK(fragment.size == 10);
            CHECK(fragment.width == Approx(fragment.text.size() * latin_width));
            words.push_back(fragment.text);
        }
        CHECK(line.size == 10);
        CHECK(line.ascent == Approx(8));
    }
    CHECK(words == words_of(lorem));
}

TEST_CASE("a paragraph that fits without hyphens is set in the first pass") {
    SetStats stats;
    auto lines = set(lorem, style(400), &stats);
    CHECK(stats.passes == 1);
    CHECK(stats.hyphens == 0);
    CHECK(stats.overfull_lines == 0);
    CHECK(stats.missing_glyphs == 0);
}

// ---- alignment ---------------------------------------------------------------------

TEST_CASE("ragged lines keep natural spaces and are placed left, right or centred") {
    for (Align align : {Align::left, Align::right, Align::center}) {
        float measure = 200;
        auto lines = set(lorem, style(measure, align));
        REQUIRE(lines.size() > 2);
        for (std::size_t k = 0; k < lines.size(); ++k) {
            const Line& line = lines[k];
            INFO("line " << k << ": " << text_of(line));
            CHECK(line.width <= measure);
            for (std::size_t f = 1; f < line.fragments.size(); ++f) {
                const Fragment& before = line.fragments[f - 1];
                CHECK(line.fragments[f].x - (before.x + before.width) == Approx(latin_width));
            }
            float left = line.fragments.front().x;
            if (align == Align::left) CHECK(left == 0);
            if (align == Align::right) CHECK(left + line.width == Approx(measure));
            if (align == Align::center) CHECK(left == Approx((measure - line.width) / 2));
            // balanced: total fit keeps ragged lines within a few em of the measure
            if (k + 1 < lines.size()) CHECK(measure - line.width < 4 * 10);
        }
    }
}

TEST_CASE("the first line is indented and its measure shortened") {
    ParagraphStyle s = style(150);
    s.first_indent = 20;
    auto lines = set(lorem, s);
    REQUIRE(lines.size() > 2);
    CHECK(lines[0].fragments.front().x == 20);
    CHECK(lines[0].width == Approx(130).margin(0.01));
    CHECK(right_edge(lines[0]) == Approx(150).margin(0.01));
    CHECK(lines[1].fragments.front().x == 0);
    CHECK(lines[1].width == Approx(150).margin(0.01));
}

// ---- hyphenation ---------------------------------------------------------------------

TEST_CASE("narrow measures hyphenate long words, and the pieces join back into them") {
    const Hyphenator* en = Hyphenator::for_language("en");
    REQUIRE(en != nullptr);
    std::string text =
        "Internationalization requires extraordinarily comprehensive considerations regarding "
        "typesetting, hyphenation and justification of paragraphs containing unquestionably "
        "incomprehensible terminology.";
    ParagraphStyle s = style(100);
    s.hyphenator = en;
    SetStats stats;
    auto lines = set(text, s, &stats);
    CHECK(stats.passes >= 2);
    CHECK(stats.hyphens > 0);
    std::size_t hyphenated = 0;
    std::string joined;
    for (const auto& line : lines) {
        CHECK(line.width <= 100.01f);
        std::string line_text = text_of(line);
        if (line.hyphenated) {
            ++hyphenated;
            REQUIRE(line_text.back() == '-');
            CHECK(line.fragments.back().text.back() == '-');
            line_text.pop_back();
            joined += line_text;
        } else {
            joined += line_text + " ";
        }
    }
    CHECK(hyphenated == stats.hyphens);
    CHECK(words_of(joined) == words_of(text));
}

TEST_CASE("a word that has a hyphen breaks only there (no inter-de-pendent)") {
    const Hyphenator* en = Hyphenator::for_language("en");
    REQUIRE(en != nullptr);
    // Without their hyphens, the dictionary breaks these words (inter-de-pen-dent).
    std::string text = "inter-dependent well-established counter-revolutionary multi-disciplinary";
    for (float width = 40; width <= 260; width += 5) {
        ParagraphStyle s = style(width);
        s.hyphenator = en;
        s.pretolerance = -1;  // the hyphenating pass
        SetStats stats;
        auto lines = set(text, s, &stats);
        INFO("width " << width);
        CHECK(stats.hyphens == 0);
        std::string joined;
        for (const auto& line : lines) {
            CHECK_FALSE(line.hyphenated);
            joined += glyphs_of(line);
        }
        std::string expected = text;
        std::erase(expected, ' ');
        CHECK(joined == expected);  // every break at a space or after a hyphen
    }
    // Words without hyphens of their own do hyphenate there: the test can fail.
    ParagraphStyle s = style(100);
    s.hyphenator = en;
    s.pretolerance = -1;
    SetStats stats;
    set("the counterrevolutionary interdependent extraordinarily comprehensive", s, &stats);
    CHECK(stats.hyphens > 0);
}

TEST_CASE("a web address breaks after / . ? & = without a hyphen, not by stretching the line before") {
    const std::string url = "https://example.org/articles/2024/typesetting.html?lang=en&page=2";
    std::string text = "Read the full article at " + url + " today.";
    for (float width = 120; width <= 300; width += 15) {
        SetStats stats;
        auto lines = set(text, style(width), &stats);
        INFO("width " << width);
        CHECK(stats.overfull_lines == 0);
        CHECK(stats.hyphens == 0);
        const std::size_t url_begin = std::string("Readthefullarticleat").size(), url_end = url_begin + url.size();
        std::string joined;
        for (std::size_t k = 0; k < lines.size(); ++k) {
            std::string t = glyphs_of(lines[k]);
            std::size_t line_begin = joined.size();
            joined += t;
            bool holds_url = line_begin < url_end && joined.size() > url_begin;
            if (!holds_url || k + 1 == lines.size()) continue;
            // a line that ends inside the address ends after one of its break characters
            if (joined.size() > url_begin && joined.size() < url_end)
                CHECK(std::string("/.?&=").find(t.back()) != std::string::npos);
            // and a line with a part of it is not stretched: its spaces at most twice
            // their width (5 pt at this size)
            for (std::size_t f = 1; f < lines[k].fragments.size(); ++f) {
                const Fragment& before = lines[k].fragments[f - 1];
                CHECK(lines[k].fragments[f].x - (before.x + before.width) <= 2 * latin_width + 0.01f);
            }
        }
        std::string expected = text;
        std::erase(expected, ' ');
        CHECK(joined == expected);
    }
}

TEST_CASE("without a hyphenator no word is hyphenated") {
    SetStats stats;
    auto lines = set("Internationalization requires extraordinarily comprehensive considerations", style(100),
                     &stats);
    CHECK(stats.hyphens == 0);
    for (const auto& line : lines) CHECK_FALSE(line.hyphenated);
}

TEST_CASE("syllables of a word that is not broken make one fragment") {
    const Hyphenator* en = Hyphenator::for_language("en");
    REQUIRE(en != nullptr);
    ParagraphStyle s = style(1000);
    s.hyphenator = en;
    s.pretolerance = -1;  // straight to the hyphenating pass
    auto lines = set("internationalization typesetting", s);
    REQUIRE(lines.size() == 1);
    REQUIRE(lines[0].fragments.size() == 2);
    CHECK(lines[0].fragments[0].text == "internationalization");
    CHECK(lines[0].fragments[1].text == "typesetting");
}

TEST_CASE("a soft hyphen is a hyphenation point drawn only at a line's end") {
    std::string text = "aaaa bbbb cccc\u00ADdddd eeee";
    auto wide = set(text, style(500));
    REQUIRE(wide.size() == 1);
    CHECK(text_of(wide[0]) == "aaaa bbbb ccccdddd eeee");
    auto narrow = set(text, style(85));
    REQUIRE(narrow.size() == 2);
    CHECK(text_of(narrow[0]) == "aaaa bbbb cccc-");
    CHECK(narrow[0].hyphenated);
    CHECK(text_of(narrow[1]) == "dddd eeee");
}

TEST_CASE("explicit hyphens and dashes allow a break after them, drawing nothing more") {
    auto lines = set("aaaa well-known bbbb", style(60));
    auto texts = texts_of(lines);
    CHECK(std::find(texts.begin(), texts.end(), "aaaa well-") != texts.end());
    for (const auto& line : lines) CHECK_FALSE(line.hyphenated);
    // en dash between numbers, em dash between words
    CHECK(texts_of(set("pages 1990\u20132000 here", style(60))).front() == "pages 1990\u2013");
    CHECK(texts_of(set("words\u2014dashes here", style(40))).front() == "words\u2014");
    // a hyphen that is a sign does not break
    for (const auto& line : set("aaaaaaa -55555", style(50))) CHECK(text_of(line) != "-");
}

// ---- CJK ---------------------------------------------------------------------------

namespace {

bool closing_mark(char32_t c) {
    return std::u32string_view(U"，。、．：；！？」』）】〉》〕…ー").find(c) != std::u32string_view::npos;
}
bool opening_mark(char32_t c) { return std::u32string_view(U"「『（【〈《〔").find(c) != std::u32string_view::npos; }

char32_t first_char(const std::string& s) {
    std::size_t i = 0;
    return text::next(s, i);
}
char32_t last_char(const std::string& s) {
    std::size_t i = s.size();
    return text::prev(s, i);
}

const std::string chinese =
    "「你好，世界。」他说：「我们一起去吧！」她回答：「好的，走吧。」"
    "这是一个测试，看看标点符号会不会出现在行首。（括号里的话）【方括号】《书名号》"
    "我们继续写，写得长一点，再长一点，直到换很多行为止。";

}  // namespace

TEST_CASE("kinsoku: no line starts with a closing mark or ends with an opening one") {
    for (int chars = 3; chars <= 20; ++chars) {
        float measure = chars * cjk_width + 3;
        auto lines = set_paragraph({span(chinese)}, style(measure), fonts);
        std::string all;
        for (std::size_t k = 0; k < lines.size(); ++k) {
            std::string line_text = glyphs_of(lines[k]);
            INFO("width " << chars << " em, line " << k << ": " << line_text);
            REQUIRE_FALSE(line_text.empty());
            CHECK_FALSE(closing_mark(first_char(line_text)));
            CHECK_FALSE(opening_mark(last_char(line_text)));
            CHECK(lines[k].width <= measure + 0.01f);
            all += line_text;
        }
        CHECK(all == chinese);
    }
}

TEST_CASE("a run that kinsoku holds together but that is wider than the measure breaks anyway") {
    std::string stops;
    for (int k = 0; k < 40; ++k) stops += "。";
    SetStats stats;
    auto lines = set_paragraph({span("中文" + stops)}, style(10 * cjk_width), fonts, &stats);
    CHECK(stats.overfull_lines == 0);
    std::string all;
    for (const auto& line : lines) {
        CHECK(line.width <= 10 * cjk_width + 0.01f);
        all += glyphs_of(line);
    }
    CHECK(all == "中文" + stops);
}

TEST_CASE("break classes follow UAX #14 with strict kinsoku") {
    auto kind = [](char32_t c) { return classify(c).kind; };
    for (char32_t c : std::u32string(U"，。、．！？」』）】〉》〕")) CHECK(kind(c) == BreakClass::closing);
    for (char32_t c : std::u32string(U"「『（【〈《〔")) CHECK(kind(c) == BreakClass::opening);
    for (char32_t c : std::u32string(U"ぁぃぅゃゅょっァーヽ々…")) CHECK(kind(c) == BreakClass::nonstarter);
    for (char32_t c : std::u32string(U"中文かなカナ\u3000")) {
        CHECK(kind(c) == BreakClass::ideographic);
        CHECK(classify(c).wide);
    }
    CHECK(kind(U'한') == BreakClass::alphabetic);  // Hangul breaks at spaces
    CHECK(kind(U' ') == BreakClass::space);
    CHECK(kind(U'\u00A0') == BreakClass::nonbreaking_space);
    CHECK(kind(U'\u00AD') == BreakClass::soft_hyphen);
    CHECK(kind(U'\u200B') == BreakClass::zero_width_break);
    CHECK(kind(U'\u0301') == BreakClass::combining);
    CHECK(kind(U'\n') == BreakClass::newline);
    CHECK(kind(U'\u2013') == BreakClass::hyphen);
    CHECK(kind(U'\u2014') == BreakClass::dash);

    CharClass han = classify(U'中'), latin = classify(U'a'), stop = classify(U'。'), open = classify(U'「');
    CHECK(join(han, U'中', han, false) == Join::cjk_break);
    CHECK(join(han, U'。', stop, false) == Join::cjk_nobreak);  // not before a closing mark
    CHECK(join(open, U'中', han, false) == Join::cjk_nobreak);  // not after an opening one
    CHECK(join(latin, U'中', han, false) == Join::cjk_break);   // at a seam
    CHECK(join(han, U'a', latin, false) == Join::cjk_break);
    CHECK(join(latin, U'a', latin, true) == Join::none);
    CHECK(join(classify(U'-'), U'k', latin, true) == Join::after_hyphen);
    CHECK(join(classify(U'-'), U'5', classify(U'5'), false) == Join::none);  // "-5"
    CHECK(join(han, U'-', classify(U'-'), false) == Join::cjk_nobreak);      // not before a hyphen
}

TEST_CASE("justified CJK lines fill the measure by character spacing") {
    float measure = 15 * cjk_width + 4;
    auto lines = set_paragraph({span(chinese)}, style(measure), fonts);
    REQUIRE(lines.size() > 3);
    for (std::size_t k = 0; k + 1 < lines.size(); ++k) {
        const Line& line = lines[k];
        INFO("line " << k << ": " << text_of(line));
        CHECK(line.width == Approx(measure).margin(0.01));
        CHECK(right_edge(line) == Approx(measure).margin(0.01));
        // one run of one font: one fragment, its glyphs spread by Tc
        REQUIRE(line.fragments.size() == 1);
        const Fragment& fragment = line.fragments[0];
        std::size_t count = text::to_u32(fragment.text).size();
        CHECK(fragment.char_spacing > 0);
        CHECK(fragment.width == Approx(count * cjk_width + (count - 1) * fragment.char_spacing));
    }
    const Line& last = lines.back();
    REQUIRE(last.fragments.size() == 1);
    CHECK(last.fragments[0].char_spacing == 0);
}

TEST_CASE("CJK set ragged is one fragment a line with no spacing") {
    auto lines = set_paragraph({span(chinese)}, style(15 * cjk_width + 4, Align::left), fonts);
    for (const auto& line : lines) {
        REQUIRE(line.fragments.size() == 1);
        CHECK(line.fragments[0].char_spacing == 0);
    }
}

TEST_CASE("Latin and CJK break at their seams, not inside Latin words") {
    std::string text = "中文English中文Typesetting测试Paragraph一二三四五六七八九十";
    for (int units = 12; units <= 30; ++units) {
        float measure = units * latin_width;
        auto lines = set_paragraph({span(text)}, style(measure), fonts);
        std::string all;
        for (const auto& line : lines) {
            std::string line_text = glyphs_of(line);
            INFO("measure " << measure << ": " << line_text);
            CHECK(line.width <= measure + 0.01f);
            all += line_text;
            // Latin words stay whole: a line never starts or ends inside one
            for (std::string word : {"English", "Typesetting", "Paragraph"}) {
                for (std::size_t cut = 1; cut < word.size(); ++cut) {
                    CHECK_FALSE(line_text.ends_with(word.substr(0, cut)));
                    CHECK_FALSE(line_text.starts_with(word.substr(cut)));
                }
            }
        }
        CHECK(all == text);
    }
    // fonts: the Latin word in the Latin font, the Han around it in the CJK fallback
    auto lines = set_paragraph({span("中文English中文")}, style(500), fonts);
    REQUIRE(lines.size() == 1);
    REQUIRE(lines[0].fragments.size() == 3);
    CHECK(lines[0].fragments[0].font == FakeFonts::cjk);
    CHECK(lines[0].fragments[1].font == FakeFonts::latin);
    CHECK(lines[0].fragments[1].text == "English");
    CHECK(lines[0].fragments[2].font == FakeFonts::cjk);
}

TEST_CASE("Hangul breaks at spaces like Latin") {
    std::string text = "한국어 문장은 띄어쓰기로 단어를 나눕니다";
    auto lines = set_paragraph({span(text)}, style(7 * cjk_width), fonts);
    std::vector<std::string> words;
    for (const auto& line : lines)
        for (const auto& fragment : line.fragments) words.push_back(fragment.text);
    CHECK(words == std::vector<std::string>{"한국어", "문장은", "띄어쓰기로", "단어를", "나눕니다"});
}

// ---- forced breaks, long words, odd input --------------------------------------------

TEST_CASE("a newline forces a break, the line before it is not stretched") {
    auto lines = set("aaa bbb\nccc ddd\n\neee", style(300));
    CHECK(texts_of(lines) == std::vector<std::string>{"aaa bbb", "ccc ddd", "", "eee"});
    CHECK(lines[0].width == Approx(7 * latin_width));
    CHECK(lines[2].fragments.empty());
    CHECK(lines[2].size == 10);  // an empty line keeps its height
    // trailing newlines and spaces make no empty lines
    CHECK(texts_of(set("aaa \n\n", style(300))) == std::vector<std::string>{"aaa"});
}

TEST_CASE("a word longer than the measure breaks between characters, without hyphens") {
    std::string word;
    for (int k = 0; k < 2000; ++k) word += char('a' + k % 26);
    float measure = 203;
    SetStats stats;
    auto lines = set("see " + word + " here", style(measure), &stats);
    std::string all;
    for (const auto& line : lines) {
        CHECK(line.width <= measure + 0.01f);
        CHECK_FALSE(line.overfull);
        CHECK_FALSE(line.hyphenated);
        all += text_of(line);
    }
    CHECK(stats.overfull_lines == 0);
    CHECK(all.find(word) != std::string::npos);
    CHECK(lines.size() >= 2000 * latin_width / measure);
}

TEST_CASE("a character wider than the measure makes an overfull line, and only that") {
    SetStats stats;
    auto lines = set_paragraph({span("aa 中 bb")}, style(8), fonts, &stats);
    CHECK(stats.passes == 3);
    CHECK(stats.overfull_lines == 1);
    std::size_t overfull = 0;
    for (const auto& line : lines) overfull += line.overfull;
    CHECK(overfull == 1);
    CHECK(texts_of(lines) == std::vector<std::string>{"a", "a", "中", "b", "b"});
}

TEST_CASE("empty or blank spans give no lines") {
    CHECK(set_paragraph({}, style(100), fonts).empty());
    CHECK(set_paragraph({span(""), span("")}, style(100), fonts).empty());
    CHECK(set("   \t ", style(100)).empty());
    CHECK(set("\n\n", style(100)).empty());
}

TEST_CASE("characters no font has are drawn as '?' and counted") {
    SetStats stats;
    auto lines = set("ab\uE000cd \uE000", style(300), &stats);
    CHECK(stats.missing_glyphs == 2);
    CHECK(texts_of(lines) == std::vector<std::string>{"ab?cd ?"});
}

TEST_CASE("styles split fragments but not words, the line takes the largest size") {
    Span big = span("Big", FakeFonts::bold);
    big.size = 20;
    Span link = span("link text");
    link.link = 3;
    link.color = {0, 0, 1};
    auto lines = set_paragraph({span("a "), big, span("word "), link, span(".")}, style(500), fonts);
    REQUIRE(lines.size() == 1);
    const Line& line = lines[0];
    CHECK(text_of(line) == "a Bigword link text.");
    REQUIRE(line.fragments.size() == 6);
    CHECK(line.fragments[1].text == "Big");
    CHECK(line.fragments[1].size == 20);
    CHECK(line.fragments[1].font == FakeFonts::bold);
    CHECK(line.fragments[2].x == Approx(line.fragments[1].x + 3 * 10));  // no gap
    CHECK(line.fragments[3].link == 3);
    CHECK(line.fragments[3].color == Color{0, 0, 1});
    CHECK(line.size == 20);
    CHECK(line.ascent == Approx(16));
}

TEST_CASE("unbreakable spans keep their spaces, which neither break nor stretch") {
    Span code = span("f(a, b)");
    code.breakable = false;
    auto lines = set_paragraph({span("call "), code, span(" now and then and again")}, style(60), fonts);
    bool found = false;
    for (const auto& line : lines)
        for (const auto& fragment : line.fragments)
            if (fragment.text == "f(a, b)") found = true;
    CHECK(found);
    // code lines keep their indentation after a newline
    Span block = span("if x:\n    y()");
    block.breakable = false;
    auto code_lines = set_paragraph({block}, style(300, Align::left), fonts);
    REQUIRE(code_lines.size() == 2);
    CHECK(code_lines[1].fragments.front().text == "    y()");
    CHECK(code_lines[1].fragments.front().x == 0);
}

TEST_CASE("a non-breaking space holds its words together") {
    auto lines = set("aaaa bbbb 10\u00A0km cccc", style(60));
    bool together = false;
    for (const auto& line : lines) together = together || text_of(line).find("10 km") != std::string::npos;
    CHECK(together);
}

TEST_CASE("a zero-width space is a break opportunity that draws nothing") {
    auto lines = set("aaaa bbbbbbbb\u200Bcccccccc dd", style(70));
    auto texts = texts_of(lines);
    CHECK(std::find(texts.begin(), texts.end(), "aaaa bbbbbbbb") != texts.end());
    for (const auto& line : lines) CHECK_FALSE(line.hyphenated);
}

TEST_CASE("where every way on overflows, the last pass makes an underfull line, not an overfull one") {
    // "aaaaaaaaaa" alone is far too loose for any tolerance, and with the next word it
    // overflows: TeX's final pass would make the overfull line, this one the loose one.
    SetStats stats;
    auto lines = set("aaaaaaaaaa bbbbbbbbbbbbbbbbbbb", style(100), &stats);
    CHECK(stats.passes == 3);
    CHECK(stats.overfull_lines == 0);
    CHECK(texts_of(lines) == std::vector<std::string>{"aaaaaaaaaa", "bbbbbbbbbbbbbbbbbbb"});
}

TEST_CASE("splitting text into spans of one style does not change the lines") {
    // One span takes the fast way through ASCII words; one span per character takes the
    // general one (a word may go on in the next span). Both must set the same lines.
    const Hyphenator* en = Hyphenator::for_language("en");
    REQUIRE(en != nullptr);
    std::string text = lorem + " Internationalization, (typesetting) and hyphenation: "
                       "extraordinarily comprehensive considerations.\n" + lorem;
    for (const Hyphenator* hyphenator : {static_cast<const Hyphenator*>(nullptr), en}) {
        for (float measure : {90.0f, 160.0f, 250.0f}) {
            ParagraphStyle s = style(measure);
            s.hyphenator = hyphenator;
            std::vector<Span> pieces;
            for (char c : text) pieces.push_back(span(std::string(1, c)));
            SetStats whole_stats, pieces_stats;
            auto whole = set_paragraph({span(text)}, s, fonts, &whole_stats);
            auto split = set_paragraph(pieces, s, fonts, &pieces_stats);
            INFO("measure " << measure << (hyphenator ? ", hyphenated" : ""));
            CHECK(whole_stats.passes == pieces_stats.passes);
            REQUIRE(whole.size() == split.size());
            for (std::size_t k = 0; k < whole.size(); ++k) {
                REQUIRE(whole[k].fragments.size() == split[k].fragments.size());
                for (std::size_t f = 0; f < whole[k].fragments.size(); ++f) {
                    CHECK(whole[k].fragments[f].text == split[k].fragments[f].text);
                    CHECK(whole[k].fragments[f].x == split[k].fragments[f].x);
                    CHECK(whole[k].fragments[f].width == split[k].fragments[f].width);
                }
            }
        }
    }
}

TEST_CASE("a memo sets the same lines at every measure, remaking its items where a measure changes them") {
    // Headings are balanced by setting them at many measures with one memo. Narrow
    // measures split the overlong word and the address; wide ones do not: the memo's
    // items must be remade there, and the lines always be those set without a memo.
    std::string text = "A heading with an overlong Internationalization and "
                       "https://example.org/a/long/path?query=value inside it";
    for (Align align : {Align::justify, Align::left, Align::center}) {
        for (float indent : {0.0f, 20.0f}) {
            ParagraphMemo memo;
            int remade = 0;
            for (float measure : {400.0f, 200.0f, 300.0f, 150.0f, 60.0f, 45.0f, 100.0f, 400.0f, 401.0f, 399.0f, 30.0f}) {
                ParagraphStyle s = style(measure, align);
                s.first_indent = indent;
                const ParagraphMemo::State* before = memo.state.get();
                auto plain = set_paragraph({span(text)}, s, fonts);
                auto memoized = set_paragraph({span(text)}, s, fonts, nullptr, &memo);
                remade += memo.state.get() != before;
                INFO("measure " << measure << ", indent " << indent);
                REQUIRE(plain.size() == memoized.size());
                for (std::size_t k = 0; k < plain.size(); ++k) {
                    REQUIRE(plain[k].fragments.size() == memoized[k].fragments.size());
                    CHECK(plain[k].overfull == memoized[k].overfull);
                    for (std::size_t f = 0; f < plain[k].fragments.size(); ++f) {
                        CHECK(plain[k].fragments[f].text == memoized[k].fragments[f].text);
                        CHECK(plain[k].fragments[f].x == memoized[k].fragments[f].x);
                        CHECK(plain[k].fragments[f].width == memoized[k].fragments[f].width);
                    }
                }
            }
            CHECK(remade <= 1);  // (the state is made once, then refilled in place)
        }
    }
    // Other spans are never served the memo's items.
    ParagraphMemo memo;
    auto first = set_paragraph({span("one two three")}, style(200), fonts, nullptr, &memo);
    auto other = set_paragraph({span("four five six seven")}, style(200), fonts, nullptr, &memo);
    CHECK(texts_of(other) == texts_of(set_paragraph({span("four five six seven")}, style(200), fonts)));
    auto bold = set_paragraph({span("four five six seven", FakeFonts::bold)}, style(200), fonts, nullptr, &memo);
    REQUIRE(!bold.empty());
    CHECK(bold[0].fragments[0].font == FakeFonts::bold);
}

// ---- the breaking core ---------------------------------------------------------------

TEST_CASE("find_breaks fails within the tolerance and never fails in the final pass") {
    using Kind = BreakItem::Kind;
    // two boxes that cannot share a line, with no stretch to fill one alone
    std::vector<BreakItem> items = {
        {.kind = Kind::box, .width = 60}, {.kind = Kind::glue, .width = 5}, {.kind = Kind::box, .width = 60},
        {.kind = Kind::penalty, .penalty = -infinite_penalty}};
    BreakParameters parameters;
    parameters.first_width = parameters.width = 100;
    parameters.tolerance = 200;
    CHECK(find_breaks(items, parameters).empty());
    parameters.final_pass = true;
    parameters.tolerance = infinite_badness;
    CHECK(find_breaks(items, parameters) == std::vector<std::size_t>{1, 3});
}

// ---- speed ---------------------------------------------------------------------------

namespace {

// Varied English-like text: words drawn from a list of common ones, short and long, by a
// fixed pseudo-random sequence, in sentences. Unlike repeated lorem ipsum it gives the
// breaker no period to settle into.
std::string english_text(std::size_t bytes) {
    static const std::vector<std::string> vocabulary = words_of(
        "the of and to in is that it was for on are as with his they at be this from have or by "
        "one had not but what all were when we there can an your which their said if do will "
        "each about how up out them then she many some so these would other into has more her "
        "two like him see time could no make than first been its who now people my made over "
        "did down only way find use may water long little very after words called just where "
        "most know paragraph typesetting hyphenation justification international "
        "consideration extraordinary comprehensive government development information "
        "understanding responsibility characteristics environmental administration "
        "relationship communication particularly unfortunately approximately "
        "significantly organization representative constitutional nevertheless");
    std::string out;
    out.reserve(bytes + 64);
    std::uint32_t state = 12345;
    bool capital = true;
    while (out.size() < bytes) {
        state = state * 1664525u + 1013904223u;
        std::string word = vocabulary[(state >> 8) % vocabulary.size()];
        if (capital) word[0] = char(word[0] - 'a' + 'A');
        capital = (state >> 24) % 12 == 0;
        out += word;
        out += capital ? ". " : (state >> 20) % 9 == 0 ? ", " : " ";
    }
    out.resize(bytes);
    return out;
}

double seconds_to_set(const std::vector<Span>& spans, const ParagraphStyle& s, SetStats& stats,
                      std::size_t& line_count) {
    auto begin = std::chrono::steady_clock::now();
    auto lines = set_paragraph(spans, s, fonts, &stats);
    line_count = lines.size();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

}  // namespace

// A guard against work that grows with the square of the length, not a benchmark (speed
// is measured by tools/bench.sh): the paragraph sets in about half a second on one core
// of the development machine, so the limit leaves room for a loaded machine and for
// the sanitizer build, and a quadratic regression (minutes) still fails it.
constexpr double kMegabyteGuardSeconds = 20;
// The pathological paragraphs below are a few kilobytes: milliseconds each.
constexpr double kPathologicalGuardSeconds = 10;

TEST_CASE("a megabyte paragraph sets in linear time, finish fast") {
    std::vector<Span> spans = {span(english_text(1 << 20))};
    ParagraphStyle s = style(400);
    s.hyphenator = Hyphenator::for_language("en");
    SetStats stats;
    std::size_t lines = 0;
    double seconds = seconds_to_set(spans, s, stats, lines);
    WARN("1 MB of English, justified, hyphenated: " << seconds << " s, pass " << stats.passes << ", "
                                                    << lines << " lines");
    CHECK(seconds < kMegabyteGuardSeconds);
    CHECK(lines > 10000);

    std::string cjk;
    while (cjk.size() < (1 << 20)) cjk += chinese;
    std::vector<Span> cjk_spans = {span(cjk)};
    seconds = seconds_to_set(cjk_spans, style(400), stats, lines);
    WARN("1 MB of Chinese, justified: " << seconds << " s, pass " << stats.passes << ", " << lines << " lines");
    CHECK(seconds < kMegabyteGuardSeconds);
}

TEST_CASE("pathological paragraphs finish fast and never overflow but by one character") {
    auto repeat = [](std::string_view piece, std::size_t bytes) {
        std::string out;
        while (out.size() < bytes) out += piece;
        return out;
    };
    constexpr std::size_t bytes = 1 << 18;
    struct Case {
        const char* name;
        std::string text;
    };
    std::vector<Case> cases = {
        {"one long word", std::string(bytes, 'a')},
        {"one-letter words", repeat("a ", bytes)},
        {"combining marks", repeat("\u0301", bytes)},
        {"closing marks", repeat("。", bytes)},
        {"opening marks", repeat("「", bytes)},
        {"explicit hyphens", repeat("ab-", bytes)},
        {"soft hyphens", repeat("ab\u00AD", bytes)},
        {"no-break spaces", repeat("ab\u00A0", bytes)},
        {"zero-width spaces", repeat("a\u200B", bytes)},
        {"missing glyphs", repeat("\uE000", bytes)},
        {"invalid UTF-8", repeat("\xC3\x28\xA0\xFF", bytes)},
        {"newlines", std::string(bytes, '\n')},
        {"controls", std::string(bytes, '\x01')},
    };
    for (Align align : {Align::justify, Align::left}) {
        for (const auto& c : cases) {
            INFO(c.name);
            SetStats stats;
            auto begin = std::chrono::steady_clock::now();
            auto lines = set_paragraph({span(c.text)}, style(200, align), fonts, &stats);
            double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
            CHECK(seconds < kPathologicalGuardSeconds);
            CHECK(stats.overfull_lines == 0);
            for (const auto& line : lines) CHECK(line.width <= 200.01f);
        }
    }
}

// Run by name: pdf_paragraph_test "[.bench]". 8 MB of English-like text, set as
// ordinary paragraphs of 300 to 1500 bytes and as one paragraph.
TEST_CASE("throughput of English text", "[.bench]") {
    constexpr std::size_t megabytes = 8;
    std::string text = english_text(megabytes << 20);
    std::vector<std::vector<Span>> paragraphs;
    std::uint32_t state = 7;
    for (std::size_t at = 0; at < text.size();) {
        state = state * 1664525u + 1013904223u;
        std::size_t length = 300 + (state >> 8) % 1200;
        paragraphs.push_back({span(text.substr(at, length))});
        at += length;
    }
    std::vector<Span> whole = {span(text)};
    for (Align align : {Align::justify, Align::left}) {
        for (bool hyphenate : {false, true}) {
            for (float width : {400.0f, 200.0f}) {
                ParagraphStyle s = style(width, align);
                if (hyphenate) s.hyphenator = Hyphenator::for_language("en");
                std::string name = std::string(align == Align::justify ? "justified" : "ragged") +
                                   (hyphenate ? ", hyphenated" : "") + ", width " + std::to_string(int(width));
                SetStats stats;
                std::size_t lines = 0;
                std::array<int, 4> passes{};
                auto begin = std::chrono::steady_clock::now();
                for (const auto& paragraph : paragraphs) {
                    set_paragraph(paragraph, s, fonts, &stats);
                    ++passes[std::size_t(stats.passes)];
                }
                double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
                WARN(name << ": " << megabytes / seconds << " MB/s in " << paragraphs.size()
                          << " paragraphs (passes 1/2/3: " << passes[1] << "/" << passes[2] << "/"
                          << passes[3] << ")");
                seconds = seconds_to_set(whole, s, stats, lines);
                WARN(name << ": " << megabytes / seconds << " MB/s in one paragraph (pass " << stats.passes << ")");
            }
        }
    }
}

TEST_CASE("autospace: a quarter em between Han or kana and a Latin letter or digit against it") {
    // "中文abc中文2" at size 10: CJK characters 10 points, Latin 5. With autospace the
    // Latin word and the digit stand 2.5 points (a quarter em) off the Han beside them;
    // without it they touch. A space already there is not doubled, and Latin against
    // Latin or Han against Han gets nothing.
    auto lefts = [](const std::vector<Line>& lines) {
        std::vector<std::pair<std::string, float>> out;
        for (const Fragment& f : lines.at(0).fragments) out.emplace_back(f.text, f.x);
        return out;
    };
    std::vector<Span> spans = {span("中文abc中文2")};
    ParagraphStyle plain = style(400, Align::left);
    ParagraphStyle spaced = plain;
    spaced.autospace_em = 0.25f;
    auto without = lefts(set_paragraph(spans, plain, fonts));
    auto with = lefts(set_paragraph(spans, spaced, fonts));
    REQUIRE(without.size() == 4);
    REQUIRE(with.size() == 4);
    CHECK(without[1] == std::pair<std::string, float>{"abc", 2 * cjk_width});
    CHECK(with[0] == std::pair<std::string, float>{"中文", 0});
    CHECK(with[1] == std::pair<std::string, float>{"abc", 2 * cjk_width + 2.5f});
    CHECK(with[2] == std::pair<std::string, float>{"中文", 2 * cjk_width + 2.5f + 3 * latin_width + 2.5f});
    CHECK(with[3] == std::pair<std::string, float>{"2", 4 * cjk_width + 3 * latin_width + 3 * 2.5f});
    // kana too; a written space stays one space
    CHECK(lefts(set_paragraph({span("かなA")}, spaced, fonts)).back().second == 2 * cjk_width + 2.5f);
    CHECK(lefts(set_paragraph({span("中文 abc")}, spaced, fonts)).back().second ==
          lefts(set_paragraph({span("中文 abc")}, plain, fonts)).back().second);
    // and a justified line still reaches the measure
    ParagraphStyle justified = spaced;
    justified.align = Align::justify;
    std::string text;
    for (int i = 0; i < 30; ++i) text += "中文abc";
    auto lines = set_paragraph({span(text)}, justified, fonts);
    REQUIRE(lines.size() > 1);
    CHECK(lines[0].width == Approx(400).margin(0.05));
}
