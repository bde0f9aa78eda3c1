// bad_input_test.cpp: the bad-input corpus (issue 5). Hundreds of hostile files are made
// here, at test time (none is committed): binary data, broken UTF-8, NUL bytes, every
// encoding the decoder claims, empty and blank files, floods of tiny lines, nesting
// 100,000 deep, cmark's pathological Markdown, pathological HTML, and a 100 MB line;
// each as .txt, .md and .html. The dconv command converts them all, in batches, and:
//   - never crashes (exit status 0 or 1, never a signal) and never hangs (a wall-clock
//     guard per run kills it: a correctness guard, not a benchmark);
//   - names the file in a message on stderr for every input it could not convert, and
//     writes nothing for it;
//   - writes only whole, valid files: Markdown that is UTF-8 and cmark parses, UTF-8
//     text, EPUBs whose zip opens with every entry's CRC right, PDFs qpdf --check accepts
//     (when qpdf is installed; else their header and trailer are checked).
// Also: --timeout fails a slow input (or --jsonl record) only, and the limits of
// dconv/limits.hpp give their errors.
#include <cmark-gfm.h>
#include <unicode/ucnv.h>
#include <zip.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dconv/limits.hpp"
#include "support/sanitizers.hpp"
#include "support/test_files.hpp"
#include "unit/process_test_support.hpp"

namespace fs = std::filesystem;
using dconv::test::Child;
using dconv::test::ProcessResult;

namespace {

const std::string kBinary = DCONV_BINARY_DIR "/dconv";

// A run taking longer than this is a hang. The whole small corpus takes about 30 s in a
// Release build on 2 cores; the guard leaves room for a loaded machine and a Debug build,
// and under AddressSanitizer (the sanitizer build of the suite, where the dconv run is
// sanitized too and several times slower) for that, below ctest's limit there.
constexpr auto kRunGuard = std::chrono::seconds(dconv::testing::kAddressSanitizer ? 1500 : 400);
// 100,000 levels: the issue's depth, 200 times any real document's.
constexpr std::size_t kDeep = 100'000;
// The single line of the giant inputs.
constexpr std::size_t kGiantLineBytes = std::size_t(100) << 20;  // 100 MiB

// ------------------------------------------------------------------- making inputs

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out.append(s);
    return out;
}

std::string random_bytes(std::size_t n, unsigned seed, unsigned low = 0, unsigned high = 255) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<unsigned> byte(low, high);
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(byte(rng));
    return out;
}

// Words of no language, for text that is only text.
std::string words(std::size_t bytes, unsigned seed) {
    static const char* const kSyllables[] = {"ka", "lo", "mi", "ne", "su", "ra", "to", "vi", "de", "po"};
    std::mt19937 rng(seed);
    std::string out;
    out.reserve(bytes + 16);
    while (out.size() < bytes) {
        int n = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < n; ++i) out += kSyllables[rng() % 10];
        out += rng() % 11 == 0 ? ". " : " ";
    }
    out.resize(bytes);
    return out;
}

// A small page of prose, in UTF-8, for the defects and encodings to be applied to.
std::string prose(std::string_view title, std::string_view sentence, int paragraphs = 6) {
    std::string out = std::string(title) + "\n\n";
    for (int p = 0; p < paragraphs; ++p) out += repeat(std::string(sentence) + " ", 3) + "\n\n";
    return out;
}

// Sentences written for this test, one per language of an encoding family.
const std::string kEnglish = prose("A Walk by the River", "The river was wide and slow, and we walked beside it until the light went.");
const std::string kFrench = prose("Une promenade", "Nous avons marché près de la rivière jusqu'à la tombée du jour, très lentement, à côté des arbres.");
const std::string kGerman = prose("Ein Spaziergang", "Wir gingen am Fluss entlang, bis es dunkel wurde; die Brücke war größer als gedacht, schön und alt.");
const std::string kPolish = prose("Spacer nad rzeką", "Szliśmy wzdłuż rzeki aż do zmroku, a wiatr był zimny i mocny; żółw spał.");
const std::string kRussian = prose("Прогулка у реки", "Мы шли вдоль широкой реки до самого вечера, и ветер был холодным и сильным.");
const std::string kGreek = prose("Περίπατος στο ποτάμι", "Περπατήσαμε δίπλα στο ποτάμι μέχρι να πέσει το σκοτάδι, και ο άνεμος ήταν κρύος.");
const std::string kHebrew = prose("טיול ליד הנהר", "הלכנו לאורך הנהר הרחב עד שירד החושך, והרוח הייתה קרה וחזקה מאוד.");
const std::string kArabic = prose("نزهة عند النهر", "مشينا بجانب النهر الواسع حتى حل الظلام، وكانت الريح باردة وقوية جدا.");
const std::string kTurkish = prose("Nehir kenarında yürüyüş", "Karanlık çökene kadar geniş nehrin kıyısında yürüdük, rüzgâr soğuk ve güçlüydü.");
const std::string kThai = prose("เดินเล่นริมแม่น้ำ", "เราเดินไปตามแม่น้ำกว้างจนมืด และลมก็เย็นและแรงมาก");
const std::string kVietnamese = prose("Đi dạo bên sông", "Chúng tôi đi dọc bờ sông rộng cho đến khi trời tối, gió lạnh và mạnh.");
const std::string kChineseSimplified = prose("河边散步", "我们沿着宽阔的河流一直走到天黑，风又冷又大，远处的山看不清楚了。");
const std::string kChineseTraditional = prose("河邊散步", "我們沿著寬闊的河流一直走到天黑，風又冷又大，遠處的山看不清楚了。");
const std::string kJapanese = prose("川辺の散歩", "私たちは暗くなるまで広い川に沿って歩きました。風は冷たくて強かったです。");
const std::string kKorean = prose("강가 산책", "우리는 어두워질 때까지 넓은 강을 따라 걸었습니다. 바람은 차갑고 강했습니다.");

// `utf8` in the ICU converter `charset`.
std::string encode(const std::string& utf8, const char* charset) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 4 + 16, '\0');
    int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                             static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status)) throw std::runtime_error(std::string("cannot encode as ") + charset);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

struct Kind {
    std::string name;
    std::string family;  // for the report: binary, utf8, nul, encoding, blank, lines, deep, md, html
    std::string bytes;
    // The inputs that must convert (text in a known encoding, blank files); the others
    // may fail, with a message.
    bool must_convert = false;
};

// The page wrapped as HTML, declaring `charset` when given.
std::string as_html(const std::string& utf8, const char* charset = nullptr) {
    std::string head = charset ? std::string("<meta charset=\"") + charset + "\">" : "";
    std::string body;
    for (std::string_view rest = utf8; !rest.empty();) {
        auto nl = rest.find("\n\n");
        std::string_view para = rest.substr(0, nl);
        if (!para.empty()) body += "<p>" + std::string(para) + "</p>\n";
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 2);
    }
    return "<!DOCTYPE html>\n<html><head>" + head + "<title>Page</title></head><body><article>\n" + body +
           "</article></body></html>\n";
}

std::vector<Kind> small_kinds() {
    std::vector<Kind> k;
    auto add = [&](std::string family, std::string name, std::string bytes, bool must = false) {
        k.push_back(Kind{std::move(name), std::move(family), std::move(bytes), must});
    };
    // ---- binary
    add("binary", "random-1k", random_bytes(1 << 10, 1));
    add("binary", "random-64k", random_bytes(1 << 16, 2));
    add("binary", "random-1m", random_bytes(1 << 20, 3));
    add("binary", "random-high-bytes", random_bytes(1 << 14, 4, 0x80, 0xFF));
    add("binary", "random-printable-and-controls", random_bytes(1 << 14, 5, 0, 0x7F));
    add("binary", "elf", std::string("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3E\0", 20) + random_bytes(8000, 6));
    add("binary", "png", std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16) + random_bytes(8000, 7));
    add("binary", "zip", std::string("PK\x03\x04\x14\0\0\0\x08\0", 10) + random_bytes(8000, 8));
    add("binary", "gzip", std::string("\x1F\x8B\x08\0\0\0\0\0\0\x03", 10) + random_bytes(8000, 9));
    add("binary", "pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Length 9000 >>\nstream\n" + random_bytes(9000, 10));
    add("binary", "jpeg", std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11) + random_bytes(8000, 11));
    add("binary", "every-byte", repeat([] {
            std::string all;
            for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
            return all;
        }(), 64));
    add("binary", "utf16-of-binary", encode(random_bytes(4000, 12, 0x20, 0x7E), "UTF-16LE") + random_bytes(4000, 13));
    // ---- broken UTF-8
    add("utf8", "truncated-2-byte-end", kEnglish + "caf\xC3");
    add("utf8", "truncated-3-byte-end", kChineseSimplified + "\xE4\xB8");
    add("utf8", "truncated-4-byte-end", kEnglish + "\xF0\x9F\x98");
    add("utf8", "lone-continuation-bytes", [] {
        std::string s = kEnglish;
        for (std::size_t i = 10; i < s.size(); i += 37) s.insert(i, "\x80\xBF");
        return s;
    }());
    add("utf8", "overlong-encodings", kEnglish + "\xC0\xAF \xE0\x80\xAF \xF0\x80\x80\xAF \xC1\xBF\n");
    add("utf8", "surrogates", kEnglish + "\xED\xA0\x80\xED\xBF\xBF \xED\xB0\x80\n");
    add("utf8", "beyond-unicode", kEnglish + "\xF4\x90\x80\x80 \xF8\x88\x80\x80\x80 \xFC\x84\x80\x80\x80\x80\n");
    add("utf8", "fe-ff-bytes", kEnglish + "\xFE\xFF text \xFF\xFE\n");
    add("utf8", "every-character-cut", [] {  // the last byte of each CJK character gone
        std::string s;
        for (std::size_t i = 0; i < kJapanese.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(kJapanese[i]);
            if (c >= 0xE0 && c < 0xF0 && i + 2 < kJapanese.size()) {
                s.append(kJapanese, i, 2);
                i += 2;
            } else {
                s += kJapanese[i];
            }
        }
        return s;
    }());
    add("utf8", "half-invalid", [] {
        std::string s;
        for (int i = 0; i < 5000; ++i) s += i % 2 ? "\xE9t\xE9 " : "été ";
        return s;
    }());
    add("utf8", "invalid-byte-every-line", [] {
        std::string s;
        for (int i = 0; i < 10000; ++i) s += "line " + std::to_string(i) + " \x9F here\n";
        return s;
    }());
    add("utf8", "truncated-mid-file", kRussian.substr(0, kRussian.size() / 2 + 1));
    add("utf8", "bom-then-invalid", "\xEF\xBB\xBF" + kEnglish + "\xFF\xFF\xFF");
    add("utf8", "utf16-bom-then-odd-length", std::string("\xFF\xFE", 2) + encode(kEnglish, "UTF-16LE") + "\x41");
    add("utf8", "unpaired-utf16-surrogates", std::string("\xFF\xFE", 2) + encode(kEnglish, "UTF-16LE") + std::string("\x00\xD8\x41\x00\x00\xDC", 6));
    // ---- NUL bytes
    add("nul", "one-nul", kEnglish.substr(0, 100) + std::string(1, '\0') + kEnglish.substr(100));
    add("nul", "nul-every-other-byte", [] {
        std::string s;
        for (char c : kEnglish) {
            s += c;
            s += '\0';
        }
        return s;
    }());
    add("nul", "nuls-only", std::string(1 << 16, '\0'));
    add("nul", "nul-first", std::string(1, '\0') + kEnglish);
    add("nul", "nuls-sprinkled", [] {
        std::string s = repeat(kEnglish, 20);
        for (std::size_t i = 0; i < s.size(); i += 200) s[i] = '\0';
        return s;
    }());
    add("nul", "nul-in-markup", std::string("<p>a\0b</p><d\0iv>c</div><a hr\0ef=x>d</a>\n", 40) + kEnglish);
    // ---- every encoding, text and HTML declaring it (must convert)
    struct Encoded {
        const char* charset;
        const std::string* text;
        std::string bom;
        bool declare;  // HTML declares it
    };
    const Encoded encodings[] = {
        {"UTF-8", &kEnglish, "\xEF\xBB\xBF", false},
        {"UTF-16LE", &kGerman, "\xFF\xFE", false},
        {"UTF-16BE", &kRussian, "\xFE\xFF", false},
        {"UTF-16LE", &kEnglish, "", false},
        {"UTF-16BE", &kFrench, "", false},
        {"UTF-32LE", &kGreek, std::string("\xFF\xFE\0\0", 4), false},
        {"UTF-32BE", &kKorean, std::string("\0\0\xFE\xFF", 4), false},
        {"GB18030", &kChineseSimplified, "", true},
        {"Big5", &kChineseTraditional, "", true},
        {"Shift_JIS", &kJapanese, "", true},
        {"EUC-JP", &kJapanese, "", true},
        {"ISO-2022-JP", &kJapanese, "", true},
        {"EUC-KR", &kKorean, "", true},
        {"windows-1252", &kFrench, "", true},
        {"ISO-8859-1", &kGerman, "", true},
        {"ISO-8859-2", &kPolish, "", true},
        {"windows-1250", &kPolish, "", true},
        {"windows-1251", &kRussian, "", true},
        {"KOI8-R", &kRussian, "", true},
        {"ISO-8859-5", &kRussian, "", true},
        {"ISO-8859-7", &kGreek, "", true},
        {"windows-1253", &kGreek, "", true},
        {"ISO-8859-8", &kHebrew, "", true},
        {"windows-1255", &kHebrew, "", true},
        {"windows-1256", &kArabic, "", true},
        {"windows-1254", &kTurkish, "", true},
        {"windows-1258", &kVietnamese, "", true},
        {"TIS-620", &kThai, "", true},
    };
    for (const Encoded& e : encodings) {
        const std::string& bom = e.bom;
        std::string name = std::string(e.charset) + (bom.empty() ? "" : "-bom");
        // the text itself, and the page (a separate kind: its bytes differ)
        add("encoding", "enc-" + name, bom + encode(*e.text, e.charset), true);
        add("encoding", "enc-" + name + "-page", bom + encode(as_html(*e.text, e.declare ? e.charset : nullptr), e.charset), true);
    }
    // ---- empty and blank
    add("blank", "empty", "", true);
    add("blank", "one-newline", "\n", true);
    add("blank", "spaces", std::string(10000, ' '), true);
    add("blank", "tabs-and-newlines", repeat("\t \n", 5000), true);
    add("blank", "carriage-returns", std::string(10000, '\r'), true);
    add("blank", "crlf-lines", repeat("\r\n", 10000), true);
    add("blank", "unicode-spaces", repeat("\xC2\xA0\xE3\x80\x80\xE2\x80\x8B\xE2\x80\xA8\n", 2000), true);
    add("blank", "bom-only", "\xEF\xBB\xBF", true);
    add("blank", "utf16-bom-only", "\xFF\xFE", true);
    add("blank", "controls-only", repeat("\x01\x02\x1B\x7F\x0B\x0C", 1000));
    // ---- floods of tiny lines
    add("lines", "million-one-letter-lines", repeat("a\n", 1'000'000), true);
    add("lines", "half-million-paragraphs", repeat("a\n\n", 500'000), true);
    add("lines", "million-blank-lines", repeat("\n", 1'000'000), true);
    add("lines", "list-of-200k-items", repeat("- a\n", 200'000), true);
    add("lines", "200k-headings", repeat("# h\n", 200'000), true);
    add("lines", "300k-quote-lines", repeat("> q\n", 300'000), true);
    add("lines", "100k-numbered-lines", [] {
        std::string s;
        for (int i = 1; i <= 100'000; ++i) s += std::to_string(i) + ". item\n";
        return s;
    }(), true);
    add("lines", "over-the-line-limit", repeat("\n", dconv::kMaxLines + 1));
    add("lines", "over-the-block-limit", repeat("b\n\n", dconv::kMaxBlocks + 1));
    // ---- nesting 100,000 deep
    add("deep", "quotes", repeat("> ", kDeep) + "x\n");
    add("deep", "bullets", repeat("- ", kDeep) + "x\n");
    add("deep", "numbers", repeat("1. ", kDeep) + "x\n");
    add("deep", "quote-lines", [] {
        std::string s;
        for (std::size_t i = 1; i <= 1000; ++i) s += repeat(">", i) + " level\n";
        return s;
    }());
    add("deep", "indented-bullets", [] {
        std::string s;
        for (std::size_t i = 0; i < 1500; ++i) s += std::string(2 * i, ' ') + "- a\n";
        return s;
    }());
    add("deep", "stars", repeat("*", kDeep) + "a" + repeat("*", kDeep) + "\n");
    add("deep", "underscores", repeat("_", kDeep) + "a" + repeat("_", kDeep) + "\n");
    add("deep", "emphasis-words", repeat("*a ", kDeep) + "b" + repeat(" a*", kDeep) + "\n");
    add("deep", "brackets", repeat("[", kDeep) + "a" + repeat("]", kDeep) + "\n");
    add("deep", "link-in-link", repeat("[a](", kDeep) + "b" + repeat(")", kDeep) + "\n");
    add("deep", "images", repeat("![", kDeep) + "a" + repeat("](u)", kDeep) + "\n");
    add("deep", "parentheses", repeat("(", kDeep) + "a" + repeat(")", kDeep) + "\n");
    add("deep", "braces", repeat("{", kDeep) + "a" + repeat("}", kDeep) + "\n");
    add("deep", "divs", repeat("<div>", kDeep) + "x" + repeat("</div>", kDeep) + "\n");
    add("deep", "unclosed-divs", repeat("<div>", kDeep) + "x\n");
    add("deep", "bold", repeat("<b>", kDeep) + "x" + repeat("</b>", kDeep) + "\n");
    add("deep", "lists", repeat("<ul><li>", kDeep) + "x\n");
    add("deep", "blockquotes", repeat("<blockquote>", kDeep) + "x\n");
    add("deep", "tables", repeat("<table><tr><td>", kDeep / 2) + "x\n");
    add("deep", "spans-in-paragraphs", repeat("<p><span>", kDeep) + "x\n");
    add("deep", "links", repeat("<a href=\"#\">", kDeep) + "x\n");
    add("deep", "svg", "<svg>" + repeat("<g>", kDeep) + "x\n");
    add("deep", "math", "<math>" + repeat("<mrow>", kDeep) + "x\n");
    add("deep", "html-in-markdown-quotes", repeat("> <div>", kDeep / 10) + "x\n");
    // ---- cmark's pathological inputs (test/pathological_tests.py), at its sizes or more
    add("md", "nested-strong-emph", repeat("*a **a ", 30'000) + "b" + repeat(" a** a*", 30'000));
    add("md", "emph-closers-no-openers", repeat("a_ ", 50'000));
    add("md", "emph-openers-no-closers", repeat("_a ", 50'000));
    add("md", "openers-closers-multiple-of-3", "a**b" + repeat("c* ", 50'000));
    add("md", "link-openers-emph-closers", repeat("[ a_", 50'000));
    add("md", "pattern-link-paren", repeat("[ (](", 50'000));
    add("md", "backticks", "e" + repeat("`e", 50'000));
    add("md", "unclosed-links-a", repeat("[a](<b", 50'000));
    add("md", "unclosed-links-b", repeat("[a](b", 50'000));
    add("md", "link-reference-definitions", repeat("[a]: u\n", 50'000) + repeat("[a] ", 50'000));
    add("md", "many-references", [] {
        std::string s;
        for (int i = 0; i < 20'000; ++i) s += "[r" + std::to_string(i) + "]: /u" + std::to_string(i) + "\n";
        for (int i = 0; i < 20'000; ++i) s += "[x][r" + std::to_string(i) + "] ";
        return s;
    }());
    add("md", "html-comments", repeat("a <!-- ", 50'000));
    add("md", "processing-instructions", repeat("a <? ", 50'000));
    add("md", "huge-entities", repeat("&#99999999999; &#xFFFFFFFFFF; &#0; &#xD800; ", 20'000));
    add("md", "angle-brackets", repeat("<", kDeep) + "\n" + repeat("</", kDeep));
    add("md", "backslashes", repeat("\\", kDeep) + "\n");
    add("md", "unclosed-fence", "~~~\n" + repeat("code line\n", 100'000));
    add("md", "setext-underline", "a\n" + repeat("=", kDeep) + "\n");
    add("md", "long-thematic-break", repeat("* ", kDeep) + "\n");
    add("md", "long-heading-marks", repeat("#", kDeep) + " x\n");
    add("md", "table-like", repeat("| a | b |\n|---|---|\n", 50'000));
    add("md", "autolinks", repeat("<http://a.b/", 50'000));
    add("md", "bad-front-matter", "---\n" + repeat("key: \"unterminated\n  - [a, {b\n", 50'000) + "---\nbody\n");
    add("md", "front-matter-unclosed", "---\ntitle: x\n" + repeat("a: b\n", 100'000));
    add("md", "mixed-delimiters", repeat("*_*_`*[_", 50'000));
    // ---- pathological HTML
    add("html", "unclosed-paragraphs", repeat("<p>a", kDeep));
    add("html", "attributes-100k", "<div " + [] {
        std::string s;
        for (int i = 0; i < 100'000; ++i) {
            s += 'a';
            s += std::to_string(i);
            s += "=\"1\" ";
        }
        return s;
    }() + ">x</div>\n");
    add("html", "duplicate-attributes", "<p " + repeat("a=1 ", 100'000) + ">x</p>\n");
    add("html", "huge-comment", "<p>before</p><!--" + std::string(2 << 20, 'x') + "--><p>after</p>\n");
    add("html", "unclosed-comment", "<p>before</p><!--" + kEnglish);
    add("html", "unclosed-script", "<p>before</p><script>" + repeat("var a = '<div>';\n", 50'000));
    add("html", "unclosed-style", "<style>" + repeat("p { color: red }\n", 50'000));
    add("html", "reopened-formatting", [] {
        std::string s;
        for (int i = 0; i < 50'000; ++i) s += "<b x=" + std::to_string(i) + ">a<p>";
        return s;
    }());
    add("html", "nested-tables-unclosed", repeat("<table><td>", 50'000));
    add("html", "huge-attribute-value", "<a href=\"" + std::string(2 << 20, 'h') + "\">link</a>\n");
    add("html", "huge-tag-name", "<" + std::string(1 << 20, 'a') + ">x\n");
    add("html", "entity-flood", repeat("&amp;&lt;&#x110000;&#0;&#xD800;&bogus;&", 100'000));
    add("html", "less-than-flood", repeat("<", 1'000'000));
    add("html", "select-options", repeat("<select><option>", 50'000));
    add("html", "framesets", repeat("<frameset>", 50'000));
    add("html", "template-nesting", repeat("<template>", kDeep));
    add("html", "headings-nesting", repeat("<h1><h2><h3>", 50'000));
    add("html", "many-small-elements", repeat("<span>a</span>", 500'000));
    add("html", "jsonld-nested", "<script type=\"application/ld+json\">" + repeat("[", kDeep) + "</script><p>x</p>\n");
    add("html", "jsonld-huge", "<script type=\"application/ld+json\">{\"headline\": \"" + std::string(4 << 20, 'h') + "\"}</script><p>x</p>\n");
    add("html", "meta-charset-bogus", "<meta charset=\"x-no-such-charset\"><p>" + kEnglish + "</p>\n", true);
    add("html", "meta-charset-utf16", "<meta charset=\"UTF-16\"><p>" + kEnglish + "</p>\n", true);
    add("html", "doctype-garbage", "<!DOCTYPE " + std::string(1 << 20, 'd') + "><p>x</p>\n");
    add("html", "cdata-and-pi", repeat("<![CDATA[ a ]]><?pi x?>", 50'000));
    return k;
}

// -------------------------------------------------------------------- checking outputs

bool valid_utf8(std::string_view s) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open("UTF-8", &status);
    ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    std::vector<UChar> buffer(8192);
    const char* source = s.data();
    const char* end = s.data() + s.size();
    while (U_SUCCESS(status)) {
        UChar* target = buffer.data();
        ucnv_toUnicode(converter, &target, buffer.data() + buffer.size(), &source, end, nullptr, true, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            status = U_ZERO_ERROR;
            continue;
        }
        break;
    }
    ucnv_close(converter);
    return U_SUCCESS(status);
}

// "" when the file is whole and valid, else why not.
std::string check_markdown(const std::string& bytes) {
    if (!valid_utf8(bytes)) return "Markdown is not valid UTF-8";
    cmark_node* root = cmark_parse_document(bytes.data(), bytes.size(), CMARK_OPT_VALIDATE_UTF8);
    if (!root) return "cmark cannot parse the Markdown";
    cmark_node_free(root);
    return "";
}

std::string check_epub(const fs::path& path) {
    int error = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (!archive) return "the EPUB's zip does not open (libzip error " + std::to_string(error) + ")";
    std::string problem;
    zip_int64_t entries = zip_get_num_entries(archive, 0);
    if (entries < 3) problem = "the EPUB has " + std::to_string(entries) + " entries";
    if (problem.empty() && std::string(zip_get_name(archive, 0, 0)) != "mimetype")
        problem = "the EPUB's first entry is not mimetype";
    std::vector<char> buffer(1 << 16);
    for (zip_int64_t i = 0; problem.empty() && i < entries; ++i) {  // reading checks each CRC
        zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
        if (!file) {
            problem = std::string("entry ") + zip_get_name(archive, static_cast<zip_uint64_t>(i), 0) + " does not open";
            break;
        }
        zip_int64_t n;
        while ((n = zip_fread(file, buffer.data(), buffer.size())) > 0) {
        }
        if (n < 0) problem = std::string("entry ") + zip_get_name(archive, static_cast<zip_uint64_t>(i), 0) + " is corrupt";
        zip_fclose(file);
    }
    zip_discard(archive);
    return problem;
}

bool have_qpdf() { return std::system("command -v qpdf >/dev/null 2>&1") == 0; }

std::string check_pdf(const fs::path& path, bool qpdf) {
    std::string bytes = dconv::testing::slurp(path);
    if (bytes.rfind("%PDF-", 0) != 0) return "no %PDF- header";
    auto tail = bytes.rfind("%%EOF");
    if (tail == std::string::npos || bytes.size() - tail > 8) return "no %%EOF trailer";
    if (qpdf && std::system(("qpdf --check '" + path.string() + "' >/dev/null 2>&1").c_str()) != 0)
        return "qpdf --check fails";
    return "";
}

// ------------------------------------------------------------------------ the runs

struct Run {
    ProcessResult result;
    bool hung = false;
};

Run run_dconv(const std::vector<std::string>& arguments, const fs::path& scratch) {
    std::vector<std::string> argv = {kBinary};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    Child child(argv, {}, -1, -1, scratch / "stderr");
    auto start = std::chrono::steady_clock::now();
    Run run;
    while (!child.ended()) {
        if (std::chrono::steady_clock::now() - start > kRunGuard) {
            ::kill(child.pid(), SIGKILL);
            run.hung = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    run.result = child.wait();
    return run;
}

struct Corpus {
    fs::path dir;
    std::vector<fs::path> files;
    std::map<std::string, std::string> family;  // stem -> family
    std::set<std::string> must_convert;         // stems
    std::size_t bytes = 0;
};

const char* const kExtensions[] = {"txt", "md", "html"};

Corpus write_corpus(const fs::path& dir, const std::vector<Kind>& kinds) {
    Corpus corpus;
    corpus.dir = dir;
    fs::create_directories(dir);
    for (const Kind& kind : kinds)
        for (const char* ext : kExtensions) {
            std::string stem = kind.name + "-" + ext;  // unique stems: one output name each
            fs::path path = dir / (stem + "." + ext);
            dconv::test::write_file(path, kind.bytes);
            corpus.files.push_back(path);
            corpus.family[stem] = kind.family;
            if (kind.must_convert) corpus.must_convert.insert(stem);
            corpus.bytes += kind.bytes.size();
        }
    return corpus;
}

struct Verdict {
    std::size_t converted = 0, failed = 0;
    std::map<std::string, std::size_t> failures_by_family;
    std::vector<std::string> examples;  // one failure message per family
};

// Converts the corpus in one batch and checks everything the file comment promises.
Verdict convert_and_check(const Corpus& corpus, const std::vector<std::string>& formats, const fs::path& scratch,
                          double& seconds) {
    fs::path out = scratch / "out";
    std::string to;
    for (const std::string& f : formats) to += (to.empty() ? "" : ",") + f;
    Run run = run_dconv({"-q", "-j2", "--to", to, "-o", out.string() + "/", corpus.dir.string()}, scratch);
    seconds = run.result.seconds;
    INFO("stderr: " << run.result.err.substr(0, 4000));
    REQUIRE_FALSE(run.hung);
    REQUIRE(run.result.signal == 0);
    REQUIRE((run.result.status == 0 || run.result.status == 1));

    // stderr, line by line: "dconv: PATH[:LINE]: MESSAGE"
    std::vector<std::string> lines;
    for (std::string_view rest = run.result.err; !rest.empty();) {
        auto nl = rest.find('\n');
        lines.emplace_back(rest.substr(0, nl));
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    const bool qpdf = have_qpdf();
    Verdict verdict;
    std::set<std::string> seen_families;
    for (const fs::path& input : corpus.files) {
        std::string stem = input.stem().string();
        INFO("input " << input.filename().string());
        std::size_t present = 0;
        for (const std::string& format : formats) {
            std::string ext = format == "native" ? "json" : format;
            fs::path output = out / (stem + "." + ext);
            if (!fs::exists(output)) continue;
            ++present;
            INFO("output " << output.filename().string());
            std::string problem;
            if (format == "md") problem = check_markdown(dconv::testing::slurp(output));
            else if (format == "txt") problem = valid_utf8(dconv::testing::slurp(output)) ? "" : "text is not valid UTF-8";
            else if (format == "epub") problem = check_epub(output);
            else if (format == "pdf") problem = check_pdf(output, qpdf);
            CHECK(problem == "");
        }
        // An input has every output or none: a failure writes nothing.
        CHECK((present == 0 || present == formats.size()));
        std::string message;
        for (const std::string& line : lines)
            if (line.rfind("dconv: " + input.string() + ":", 0) == 0) message = line;
        if (present == formats.size()) {
            ++verdict.converted;
            continue;
        }
        ++verdict.failed;
        // ... and is reported: a message naming the file, saying why.
        CHECK(message.size() > ("dconv: " + input.string() + ": ").size() + 5);
        CHECK(corpus.must_convert.count(stem) == 0);
        std::string family = corpus.family.at(stem);
        ++verdict.failures_by_family[family];
        if (seen_families.insert(family).second)
            verdict.examples.push_back(message.substr(std::string("dconv: ").size() + corpus.dir.string().size() + 1));
    }
    // No temporaries left behind, nothing but the outputs.
    for (const auto& entry : fs::directory_iterator(out))
        CHECK(entry.path().filename().string().front() != '.');
    return verdict;
}

void report(const std::string& what, const Corpus& corpus, std::size_t kinds, const Verdict& v, double seconds) {
    std::string by_family;
    for (const auto& [family, n] : v.failures_by_family) by_family += " " + family + ":" + std::to_string(n);
    std::string examples;
    for (const std::string& e : v.examples) examples += "\n    " + e.substr(0, 160);
    WARN(what << ": " << corpus.files.size() << " files (" << kinds << " kinds x " << std::size(kExtensions)
              << " endings, " << (corpus.bytes >> 20) << " MiB), " << v.converted << " converted, " << v.failed
              << " failed with a message (by family:" << by_family << "), 0 crashes, 0 hangs, "
              << seconds << " s; examples:" << examples);
}

}  // namespace

TEST_CASE("bad inputs: hundreds of hostile files to md txt epub and pdf without a crash or hang or broken output") {
    fs::path scratch = dconv::testing::fresh_dir("bad-input");
    std::vector<Kind> kinds = small_kinds();
    Corpus corpus = write_corpus(scratch / "corpus", kinds);
    REQUIRE(corpus.files.size() >= 200);
    double seconds = 0;
    Verdict verdict = convert_and_check(corpus, {"md", "txt", "epub", "pdf"}, scratch, seconds);
    // The limits' own inputs fail, naming their limit.
    std::string err = dconv::testing::slurp(scratch / "stderr");
    CHECK(err.find("over-the-line-limit-txt.txt: more than " + std::to_string(dconv::kMaxLines) + " lines") !=
          std::string::npos);
    CHECK(err.find("over-the-block-limit-md.md:") != std::string::npos);
    CHECK(err.find("more than " + std::to_string(dconv::kMaxBlocks) + " blocks") != std::string::npos);
    CHECK(err.find("random-1m-txt.txt: ") != std::string::npos);
    report("bad-input corpus", corpus, kinds.size(), verdict, seconds);
    fs::remove_all(scratch);
}

// A 100 MB line, as text, Markdown and HTML. To md and txt only: a PDF of 100 MB of text
// is 40,000 pages and an EPUB 100 MB of XHTML, minutes of work that test the writers'
// speed, not their safety, which the corpus above covers with every format.
TEST_CASE("bad inputs: a 100 MB single line without a crash or hang or broken output") {
    fs::path scratch = dconv::testing::fresh_dir("bad-input-giant");
    std::vector<Kind> kinds;
    kinds.push_back(Kind{"giant-line-words", "giant", words(kGiantLineBytes, 21), false});
    Corpus corpus = write_corpus(scratch / "corpus", kinds);
    kinds.clear();
    double seconds = 0;
    Verdict verdict = convert_and_check(corpus, {"md", "txt"}, scratch, seconds);
    report("100 MB line", corpus, 1, verdict, seconds);
    fs::remove_all(scratch);
}

TEST_CASE("timeout: a slow input fails with a message and no output while the others are converted") {
    fs::path scratch = dconv::testing::fresh_dir("bad-input-timeout");
    std::string big;
    for (int i = 0; i < 400'000; ++i) big += "A line of the long page, number " + std::to_string(i) + ".\n\n";
    dconv::test::write_file(scratch / "in" / "big.txt", big);
    dconv::test::write_file(scratch / "in" / "small.txt", kEnglish);
    fs::path out = scratch / "out";
    Run run = run_dconv({"--to", "md,txt", "--timeout", "0.05", "-o", out.string() + "/", (scratch / "in").string()},
                        scratch);
    INFO(run.result.err);
    CHECK_FALSE(run.hung);
    CHECK(run.result.status == 1);
    CHECK(run.result.err.find("big.txt: took longer than 0.05 s") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "big.md"));
    CHECK_FALSE(fs::exists(out / "big.txt"));
    CHECK(fs::exists(out / "small.md"));
    CHECK(fs::exists(out / "small.txt"));

    // A generous timeout changes nothing.
    Run relaxed = run_dconv({"-q", "--to", "md", "--timeout", "3600", "-o", (scratch / "out2").string() + "/",
                             (scratch / "in" / "small.txt").string()},
                            scratch);
    CHECK(relaxed.result.status == 0);
    CHECK(dconv::testing::slurp(scratch / "out2" / "small.md") == dconv::testing::slurp(out / "small.md"));
    fs::remove_all(scratch);
}

TEST_CASE("timeout with --jsonl: the slow record gets an error record and the others are converted") {
    fs::path scratch = dconv::testing::fresh_dir("bad-input-timeout-jsonl");
    std::string big;
    for (int i = 0; i < 200'000; ++i) big += "A line of the long page, number " + std::to_string(i) + ".\\n\\n";
    std::string input = "{\"id\": 1, \"text\": \"Short page\\n\\nA short paragraph of text.\"}\n"
                        "{\"id\": 2, \"text\": \"" + big + "\"}\n"
                        "{\"id\": 3, \"markdown\": \"# Title\\n\\nText.\"}\n";
    ProcessResult result = dconv::test::run_with_input({kBinary, "--jsonl", "-j1", "--timeout", "0.05"}, scratch, input);
    INFO(result.err);
    CHECK(result.status == 1);
    std::vector<std::string> records;
    for (std::string_view rest = result.out; !rest.empty();) {
        auto nl = rest.find('\n');
        records.emplace_back(rest.substr(0, nl));
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
    REQUIRE(records.size() == 3);
    CHECK(records[0].find("\"error\"") == std::string::npos);
    CHECK(records[1].find("\"id\":2") != std::string::npos);
    CHECK(records[1].find("\"error\":\"took longer than 0.05 s") != std::string::npos);
    CHECK(records[2].find("\"error\"") == std::string::npos);
    fs::remove_all(scratch);
}

TEST_CASE("timeout: the option is checked") {
    fs::path scratch = dconv::testing::fresh_dir("bad-input-timeout-usage");
    Run run = run_dconv({"--timeout", "-1", "x.txt"}, scratch);
    CHECK(run.result.status == 2);
    CHECK(run.result.err.find("--timeout") != std::string::npos);
    fs::remove_all(scratch);
}

// Regressions the corpus found: both took minutes before their fix, and take about a
// second now; --timeout turns a return of the quadratic loop into a failure here.
TEST_CASE("regression: quadratic cleaner loops stay linear") {
    fs::path scratch = dconv::testing::fresh_dir("bad-input-regressions");
    // features.cpp, count_broken_links: '[' searched back from every "](" to the start.
    dconv::test::write_file(scratch / "in" / "images.html", repeat("![", kDeep) + "a" + repeat("](u)", kDeep) + "\n");
    // classify.cpp: a page of lines that recur across the batch (template lines), each
    // looking for content on both sides through all the others.
    dconv::test::write_file(scratch / "in" / "template-a.txt", repeat("a\n\n", 300'000));
    dconv::test::write_file(scratch / "in" / "template-b.txt", repeat("a\n\n", 300'000));
    Run run = run_dconv({"-q", "-j1", "--timeout", "30", "--to", "md", "-o", (scratch / "out").string() + "/",
                         (scratch / "in").string()},
                        scratch);
    INFO(run.result.err);
    CHECK(run.result.status == 0);
    CHECK(fs::exists(scratch / "out" / "images.md"));
    CHECK(fs::exists(scratch / "out" / "template-a.md"));
    fs::remove_all(scratch);
}
