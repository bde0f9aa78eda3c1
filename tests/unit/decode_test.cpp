#include <catch2/catch.hpp>

#include <unicode/ucnv.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "decode/decode.hpp"
#include "unit/work_meter.hpp"

using namespace dconv;
using dconv::test::WorkMeter;

namespace {

// Encodes UTF-8 text in `charset` with ICU, failing the test if any character has no
// mapping there (so that the sample really is in that charset).
std::string encode(const std::string& utf8, const char* charset) {
    UErrorCode status = U_ZERO_ERROR;
    std::vector<UChar> units(utf8.size() + 1);
    UConverter* from = ucnv_open("UTF-8", &status);
    int32_t n = ucnv_toUChars(from, units.data(), static_cast<int32_t>(units.size()), utf8.data(),
                              static_cast<int32_t>(utf8.size()), &status);
    ucnv_close(from);
    REQUIRE(U_SUCCESS(status));
    UConverter* to = ucnv_open(charset, &status);
    REQUIRE(U_SUCCESS(status));
    ucnv_setFromUCallBack(to, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    std::string out(utf8.size() * 4 + 8, '\0');
    int32_t m = ucnv_fromUChars(to, out.data(), static_cast<int32_t>(out.size()), units.data(), n,
                                &status);
    ucnv_close(to);
    REQUIRE(U_SUCCESS(status));
    out.resize(static_cast<std::size_t>(m));
    return out;
}

std::string decode(std::string_view bytes, Diagnostics& diag, std::string_view encoding = "") {
    return decode_text(bytes, encoding, diag, "test.txt");
}

std::string decode(std::string_view bytes) {
    Diagnostics diag;
    return decode(bytes, diag);
}

bool has_diagnostic(const Diagnostics& diag, const std::string& fragment) {
    for (const auto& d : diag.items())
        if (d.reason.find(fragment) != std::string::npos) return true;
    return false;
}

std::string all_reasons(const Diagnostics& diag) {
    std::string out;
    for (const auto& d : diag.items()) out += d.reason + "\n";
    return out;
}

const std::string kChinese =
    "今天天气很好，我们去公园散步吧。这是一个测试文本，用来检查编码检测是否正确。"
    "中文的网页经常使用GBK编码，所以解码器必须认出它。";
const std::string kChineseShort = "你好，世界";
const std::string kTraditional =
    "今天天氣很好，我們去公園散步吧。這是一個測試文本，用來檢查編碼檢測是否正確。"
    "台灣的網頁經常使用大五碼。";
const std::string kTraditionalShort = "你好，世界";
const std::string kJapanese =
    "今日はいい天気ですね。公園を散歩しましょう。これは文字コードの判定を確認するための"
    "テキストです。日本のウェブページはよくシフトJISを使います。";
const std::string kJapaneseShort = "こんにちは、世界。";
const std::string kKorean =
    "오늘은 날씨가 좋습니다. 공원에 산책하러 갑시다. 이것은 문자 인코딩 감지를 확인하기 위한 "
    "텍스트입니다.";
const std::string kFrench =
    "Le café était très élégant. Nous sommes allés à la fenêtre pour voir la forêt. "
    "C'était déjà l'été, où les élèves jouaient « dehors ».";
const std::string kFrenchShort = "Thé à la menthe, s'il vous plaît.";

}  // namespace

// ------------------------------------------------------------------------ byte order marks

TEST_CASE("decode: every byte order mark is honoured and removed") {
    const std::string text = "Grüße, 世界 😀 end";
    struct Case {
        const char* charset;
        std::string bom;
    };
    std::vector<Case> cases = {
        {"UTF-8", "\xEF\xBB\xBF"},
        {"UTF-16LE", std::string("\xFF\xFE", 2)},
        {"UTF-16BE", std::string("\xFE\xFF", 2)},
        {"UTF-32LE", std::string("\xFF\xFE\x00\x00", 4)},
        {"UTF-32BE", std::string("\x00\x00\xFE\xFF", 4)},
    };
    for (const auto& c : cases) {
        INFO(c.charset);
        Diagnostics diag;
        CHECK(decode(c.bom + encode(text, c.charset), diag) == text);
        CHECK(diag.warnings() == 0);
    }
}

TEST_CASE("decode: a BOM wins over a forced legacy encoding") {
    Diagnostics diag;
    std::string bytes = "\xEF\xBB\xBF" "café";
    CHECK(decode(bytes, diag, "windows-1252") == "café");
    CHECK(has_diagnostic(diag, "overrides encoding 'windows-1252'"));
}

TEST_CASE("decode: UTF-16 and UTF-32 without a BOM are recognised by their NUL bytes") {
    const std::string text = "Plain English text, with a café and 中文 in it.\nSecond line.";
    for (const char* charset : {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}) {
        INFO(charset);
        Diagnostics diag;
        CHECK(decode(encode(text, charset), diag) == text);
        CHECK(has_diagnostic(diag, charset));
    }
}

// ---------------------------------------------------------------------- normalisation

TEST_CASE("decode: CRLF and lone CR become LF") {
    CHECK(decode("a\r\nb\rc\nd\r") == "a\nb\nc\nd\n");
    CHECK(decode("x\r\r\ny") == "x\n\ny");
    // A CR at the end of one 8-byte word and its LF at the start of the next.
    CHECK(decode("1234567\r\n89") == "1234567\n89");
}

TEST_CASE("decode: NBSP and other odd spaces become ASCII spaces") {
    CHECK(decode("a\u00A0b") == "a b");
    CHECK(decode("a\u1680b") == "a b");
    const char* spaces[] = {"\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
                            "\u2006", "\u2007", "\u2008", "\u2009", "\u200A", "\u202F",
                            "\u205F", "\u3000"};
    for (const char* space : spaces) {
        INFO(space);
        CHECK(decode(std::string("a") + space + "b") == "a b");
    }
    CHECK(decode("a\tb") == "a\tb");  // tab stays
}

TEST_CASE("decode: invisible characters and controls") {
    CHECK(decode("zero\u200Bwidth") == "zerowidth");
    CHECK(decode("word\u2060joiner") == "wordjoiner");
    CHECK(decode("mid\uFEFFtext") == "midtext");
    // ZWJ and ZWNJ carry meaning (emoji sequences, Persian) and stay.
    CHECK(decode("👩\u200D💻") == "👩\u200D💻");
    CHECK(decode("می\u200Cخواهم") == "می\u200Cخواهم");
    Diagnostics diag;
    CHECK(decode(std::string("bell\x07 esc\x1B del\x7F c1\xC2\x80 end"), diag) ==
          "bell esc del c1 end");
    CHECK(has_diagnostic(diag, "dropped 4 control characters"));
    // Every line or paragraph separator ends a line.
    CHECK(decode("a\u2028b\u2029c\vd\fe\u0085f") == "a\nb\nc\nd\ne\nf");
}

TEST_CASE("decode: the result is NFC") {
    CHECK(decode("e\xCC\x81") == "é");
    CHECK(decode("Cafe\xCC\x81 cre\xCC\x80me") == "Café crème");
    CHECK(decode("\u1100\u1161") == "\uAC00");  // conjoining jamo to a hangul syllable
    CHECK(decode("Å") == "Å");                    // already NFC: unchanged
}

TEST_CASE("decode: NFC across the internal chunk boundary of a large text") {
    // 16 MiB is the NFC chunk size; decomposed characters straddle it.
    const std::size_t chunk = std::size_t(16) << 20;
    std::string text(chunk - 4, 'x'), expected(chunk - 4, 'x');
    for (int i = 0; i < 4; ++i) {
        text += "e\xCC\x81";
        expected += "\xC3\xA9";
    }
    text += "a\xCC\x8A";  // a + combining ring
    expected += "\xC3\xA5";
    std::string out = decode(text);
    CHECK(out.size() == expected.size());
    CHECK((out == expected));  // not decomposed: Catch would print 16 MB
}

// ----------------------------------------------------------------------- invalid UTF-8

TEST_CASE("decode: stray bytes in UTF-8 become U+FFFD with their offsets") {
    // Plenty of valid multibyte characters, one stray Latin-1 byte.
    std::string bytes = "Ünïcödé téxt: caf\xE9 and more ✓✓✓";
    Diagnostics diag;
    std::string out = decode(bytes, diag);
    CHECK(out == "Ünïcödé téxt: caf\uFFFD and more ✓✓✓");
    REQUIRE(diag.warnings() == 1);
    CHECK(diag.items().back().reason == "invalid UTF-8 byte 0xE9 at offset 22 replaced");
    CHECK(diag.items().back().pass == "decode");
}

TEST_CASE("decode: after five invalid bytes, one summary") {
    std::string bytes;
    for (int i = 0; i < 30; ++i) bytes += "✓ ";
    for (int i = 0; i < 8; ++i) bytes += "\xFF ";
    Diagnostics diag;
    std::string out = decode(bytes, diag);
    CHECK(diag.warnings() == 6);
    CHECK(has_diagnostic(diag, "invalid UTF-8 byte 0xFF at offset 120 replaced"));
    CHECK(has_diagnostic(diag, "3 more invalid UTF-8 bytes replaced (8 in all)"));
    CHECK(out.find("\uFFFD \uFFFD") != std::string::npos);
}

TEST_CASE("decode: offsets count from the start of the input, BOM included") {
    Diagnostics diag;
    decode("\xEF\xBB\xBF" "ab\x80" "✓✓", diag);
    CHECK(has_diagnostic(diag, "invalid UTF-8 byte 0x80 at offset 5 replaced"));
}

TEST_CASE("decode: truncated and overlong sequences are invalid") {
    Diagnostics diag;
    // Overlong '/', a surrogate, a truncated 3-byte sequence; many good characters.
    std::string bytes = "✓✓✓✓✓✓✓✓ \xC0\xAF \xED\xA0\x80 \xE2\x82";
    std::string out = decode(bytes, diag);
    CHECK(out == "✓✓✓✓✓✓✓✓ \uFFFD\uFFFD \uFFFD\uFFFD\uFFFD \uFFFD\uFFFD");
    CHECK(diag.warnings() == 6);
}

// --------------------------------------------------------------------- legacy charsets

TEST_CASE("decode: legacy charsets are detected and converted") {
    struct Case {
        const std::string* text;
        const char* charset;
        const char* named;  // what the note must name
    };
    std::vector<Case> cases = {
        {&kChinese, "GBK", "GB18030"},
        {&kChineseShort, "GBK", "GB18030"},
        {&kTraditional, "Big5", "Big5"},
        {&kTraditionalShort, "Big5", "Big5"},
        {&kJapanese, "Shift_JIS", "Shift_JIS"},
        {&kJapaneseShort, "Shift_JIS", "Shift_JIS"},
        {&kJapanese, "EUC-JP", "EUC-JP"},
        {&kKorean, "EUC-KR", "EUC-KR"},
        {&kFrench, "windows-1252", "windows-1252"},
        {&kFrenchShort, "windows-1252", "windows-1252"},
    };
    for (const auto& c : cases) {
        INFO(c.charset << ": " << *c.text);
        Diagnostics diag;
        std::string bytes = encode(*c.text, c.charset);
        CHECK(decode(bytes, diag) == *c.text);
        INFO(all_reasons(diag));
        CHECK(has_diagnostic(diag, std::string("read as ") + c.named));
        CHECK(diag.warnings() == 0);
    }
}

TEST_CASE("decode: Thai in cp874 (TIS-620) is Thai, not the GB18030 that ICU guesses") {
    // ucsdet knows no Thai charset: it took this text for GB18030 (confidence 55 for the
    // longest), which decodes it into rare ideographs. Written for this test.
    const std::string headline = "ท่าเรือยามเช้าเงียบสงบเสมอ";
    const std::string paragraph =
        "ท่าเรือในตอนเช้าเงียบสงบเสมอ เรือประมงออกทะเลก่อนฟ้าสาง "
        "บนสะพานท่าเรือเหลือเพียงผู้สูงอายุไม่กี่คนที่เดินเล่นช้า ๆ "
        "พวกเขาคุยกันไปพลางมองประภาคารที่อยู่ไกลออกไป\n";
    const std::string mixed = "Harbour notes (บันทึกท่าเรือ): " + paragraph + "Page 2 of 7, see the map.\n";
    for (const std::string* text : {&headline, &paragraph, &mixed}) {
        const std::string three = *text + "\n" + *text + "\n" + *text;
        for (const std::string* sample : {text, &three})
            for (const char* charset : {"windows-874", "TIS-620"}) {
                INFO(charset << ": " << *sample);
                Diagnostics diag;
                std::string bytes = encode(*sample, charset);
                CHECK(decode(bytes, diag) == *sample);
                INFO(all_reasons(diag));
                CHECK(has_diagnostic(diag, "read as windows-874"));
                CHECK(diag.warnings() == 0);
            }
    }
}

TEST_CASE("decode: short CJK lines are not Thai") {
    // Regression: read as cp874 these decode cleanly into Thai letters (EUC-JP's 。 is กฃ,
    // its katakana ฅ and ฿ before another letter), and windows of 8 to 10 characters of
    // EUC-JP were taken for Thai. The first is the one reported ("lang th").
    struct Case {
        std::string text;
        const char* charset;
    };
    const std::vector<Case> cases = {
        {"に岸壁に沿って並び、\n", "EUC-JP"},
        {"港の朝はいつも静かだ。", "EUC-JP"},
        {"カメラとコーヒーを買った。", "EUC-JP"},
        {"ニュースセンターへようこそ。", "EUC-JP"},
        {"港の朝はいつも静かだ。", "Shift_JIS"},
        {"カメラとコーヒーを買った。", "Shift_JIS"},
        {"港口的早晨总是很安静。", "GBK"},
        {"欢迎光临本网站，谢谢。", "GBK"},
        {"항구의 아침은 언제나 조용하다.", "EUC-KR"},
        {"뉴스 센터에 오신 것을 환영합니다.", "EUC-KR"},
    };
    for (const Case& c : cases) {
        INFO(c.charset << ": " << c.text);
        Diagnostics diag;
        const std::string out = decode(encode(c.text, c.charset), diag);
        INFO(all_reasons(diag));
        CHECK_FALSE(has_diagnostic(diag, "read as windows-874"));
        CHECK(out == c.text);
    }
}

TEST_CASE("decode: Thai with the baht sign and digits is still Thai") {
    // ฿ is left out of the letters (EUC-JP makes it often); a price must not cost Thai text
    // its reading. Written for this test.
    const std::string text = "ราคา ฿1,200 บาท รวมภาษีมูลค่าเพิ่มแล้ว ส่งฟรีทั่วประเทศไทย\n";
    for (const char* charset : {"windows-874", "TIS-620"}) {
        INFO(charset);
        Diagnostics diag;
        CHECK(decode(encode(text, charset), diag) == text);
        INFO(all_reasons(diag));
        CHECK(has_diagnostic(diag, "read as windows-874"));
    }
}

TEST_CASE("decode: short GBK text that ICU misreads is still GBK") {
    // ucsdet rates all of these below a single-byte guess or ties them at 10.
    for (const std::string text : {"中文测试", "新闻中心", "欢迎光临本网站", "这是一个测试。",
                                   "北京时间2023年5月1日", "关于我们 | 联系方式"}) {
        INFO(text);
        Diagnostics diag;
        CHECK(decode(encode(text, "GBK"), diag) == text);
        CHECK(has_diagnostic(diag, "read as GB18030"));
    }
}

TEST_CASE("decode: short Latin text is windows-1252, not a CJK or Central European guess") {
    // ucsdet says ISO-8859-2 for the first and Shift_JIS for the second; the third reads
    // cleanly as Shift_JIS ("Cr鑪e br璉馥").
    for (const std::string text : {"naïve café", "Größe", "Crème brûlée", "Ça va"}) {
        INFO(text);
        Diagnostics diag;
        CHECK(decode(encode(text, "windows-1252"), diag) == text);
        CHECK(has_diagnostic(diag, "read as windows-1252"));
    }
}

TEST_CASE("decode: windows-1252 punctuation and the euro sign") {
    std::string text = "“Quoted” — and 100 € – naïve";
    CHECK(decode(encode(text, "windows-1252")) == text);
}

TEST_CASE("decode: English with one Latin-1 letter is Latin-1, not damaged UTF-8") {
    // No valid multibyte sequence at all: the stray byte is a legacy character.
    Diagnostics diag;
    CHECK(decode("A plain English sentence about a caf\xE9 in town.", diag) ==
          "A plain English sentence about a café in town.");
    CHECK(diag.warnings() == 0);
}

TEST_CASE("decode: ISO-2022-JP (7-bit, with escapes) is detected") {
    std::string bytes = encode(kJapanese, "ISO-2022-JP");
    Diagnostics diag;
    CHECK(decode(bytes, diag) == kJapanese);
    CHECK(has_diagnostic(diag, "ISO-2022-JP"));
}

// --------------------------------------------------------------------- forced encoding

TEST_CASE("decode: a forced encoding is used as given") {
    // Bytes valid as UTF-8 ("Ã©") read as windows-1252 on request.
    Diagnostics diag;
    CHECK(decode("caf\xC3\xA9", diag, "windows-1252") == "cafÃ©");
    CHECK(decode(encode(kChineseShort, "Big5"), diag, "Big5") == kChineseShort);
    CHECK(decode(encode("Ελληνικά", "ISO-8859-7"), diag, "ISO-8859-7") == "Ελληνικά");
}

TEST_CASE("decode: forced UTF-8 replaces invalid bytes instead of detecting") {
    Diagnostics diag;
    CHECK(decode("caf\xE9", diag, "UTF-8") == "caf\uFFFD");
    CHECK(has_diagnostic(diag, "invalid UTF-8 byte 0xE9 at offset 3 replaced"));
}

TEST_CASE("decode: bytes invalid in a forced encoding are replaced and counted") {
    Diagnostics diag;
    CHECK(decode("ok \x81\x20 end", diag, "Shift_JIS").find("\uFFFD") != std::string::npos);
    CHECK(has_diagnostic(diag, "not valid in"));
}

TEST_CASE("decode: an unknown encoding is a usage error") {
    Diagnostics diag;
    try {
        decode_text("text", "no-such-charset", diag, "page.txt");
        FAIL("no exception");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(e.message() == "unknown encoding 'no-such-charset'");
        CHECK(e.file() == "page.txt");
    }
    // Even for empty input: the option is wrong whatever the file holds.
    CHECK_THROWS_AS(decode_text("", "no-such-charset", diag, ""), Error);
}

// ------------------------------------------------------------------ binary, empty, limits

TEST_CASE("decode: binary data is refused") {
    std::string png("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"
                    "\x00\x00\x00\x5C\x72\xA8\x66",
                    33);
    Diagnostics diag;
    try {
        decode(png, diag);
        FAIL("no exception");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::input);
        CHECK(e.message() == "binary data, not text (NUL bytes at offset 8)");
    }
    // Compressed or random data has NULs in under 1% of its bytes, but many other controls.
    std::string noise(64 * 1024, '\0');
    std::uint32_t state = 12345;
    for (char& c : noise) {
        state = state * 1664525u + 1013904223u;
        c = static_cast<char>(state >> 24);
    }
    CHECK_THROWS_AS(decode(noise, diag), Error);
}

TEST_CASE("decode: one stray NUL in a text is dropped, not fatal") {
    std::string text(10000, 'a');
    text[5000] = '\0';
    Diagnostics diag;
    std::string out = decode(text, diag);
    CHECK(out.size() == 9999);
    CHECK(has_diagnostic(diag, "(1 NUL)"));
}

TEST_CASE("decode: empty input is empty text") {
    Diagnostics diag;
    CHECK(decode("", diag).empty());
    CHECK(diag.items().empty());
}

TEST_CASE("decode: inputs over the size limit are refused before being read") {
    static const char byte = 'x';
    // Only the size is looked at: the view's bytes are never read.
    std::string_view huge(&byte, kMaxInputBytes + 1);
    Diagnostics diag;
    try {
        decode(huge, diag);
        FAIL("no exception");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::limit);
    }
}

TEST_CASE("decode: a 50 MB single line decodes") {
    std::string line(50'000'000, 'a');
    // "é" written as its two bytes: GCC 12 warns of a false overflow (-Wstringop-overflow)
    // in std::string::replace inlined here
    for (std::size_t i = 1000; i < line.size(); i += 1'000'000) {
        line[i] = '\xC3';
        line[i + 1] = '\xA9';
    }
    Diagnostics diag;
    std::string out = decode(line, diag);
    CHECK(out.size() == line.size());
    CHECK(out.find('\n') == std::string::npos);
    CHECK(diag.items().empty());
}

// ------------------------------------------------------------------- mixed encodings

namespace {

const std::string kChineseLines[] = {
    "北京市政府今天宣布，新的地铁线路将于明年春天正式开通运营。",
    "这条线路全长三十二公里，共设二十四座车站，连接城市东西两端。",
    "市民普遍认为，新线路将大大缓解早晚高峰时段的交通拥堵问题。",
    "工程师表示，施工期间克服了地下水位高、地质条件复杂等困难。",
};

bool has_mojibake_or_replacement(const std::string& text) {
    // U+FFFD, or Latin-1/Latin Extended letters and box drawing that GBK read as UTF-8
    // (or UTF-8 read as GBK: "鍖椾含") would leave; the texts here have none of their own.
    if (text.find("\xEF\xBF\xBD") != std::string::npos) return true;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xC2 && c <= 0xDF) return true;  // a code point U+0080-U+07FF
    }
    return false;
}

}  // namespace

TEST_CASE("decode: a UTF-8 page with a few GBK lines decodes each line in its encoding") {
    std::string utf8_page, expected;
    for (int i = 0; i < 12; ++i) {
        const std::string& line = kChineseLines[i % 4];
        bool gbk = i == 3 || i == 7 || i == 8;
        utf8_page += gbk ? encode(line, "GB18030") : line;
        utf8_page += "\n";
        expected += line + "\n";
    }
    Diagnostics diag;
    std::string text = decode(utf8_page, diag);
    CHECK(text == expected);
    CHECK_FALSE(has_mojibake_or_replacement(text));
    CHECK(has_diagnostic(diag, "mixed encodings: lines 4, 8-9 read as GB18030, the rest as UTF-8"));
    CHECK(diag.warnings() == 1);
}

TEST_CASE("decode: first half UTF-8 and second half GBK decodes both halves") {
    std::string bytes, expected;
    for (int i = 0; i < 200; ++i) {
        const std::string& line = kChineseLines[i % 4];
        bytes += (i < 100 ? line : encode(line, "GB18030")) + "\n";
        expected += line + "\n";
        if (i % 10 == 9) {  // short and ASCII lines too, which either encoding could own
            bytes += "2024\n北京\n";
            expected += "2024\n北京\n";
            if (i >= 100) bytes.replace(bytes.size() - 7, 6, encode("北京", "GB18030"));
        }
    }
    Diagnostics diag;
    std::string text = decode(bytes, diag);
    CHECK(text == expected);
    CHECK_FALSE(has_mojibake_or_replacement(text));
    CHECK(has_diagnostic(diag, "read as GB18030, the rest as UTF-8"));
}

TEST_CASE("decode: a UTF-8 page with one stray byte still replaces it, not a mixed decode") {
    std::string bytes;
    for (int i = 0; i < 8; ++i) bytes += kChineseLines[i % 4] + "\n";
    bytes.insert(bytes.find('\n') + 10, "\xFF");
    Diagnostics diag;
    std::string text = decode(bytes, diag);
    CHECK(text.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK_FALSE(has_diagnostic(diag, "mixed encodings"));
}

// The new-user trial's file: two UTF-8 lines with one non-ASCII character each (too few
// to be UTF-8 beyond doubt alone) around a GBK line. Read whole as windows-1252 before
// ("é" -> "Ã©", then the cleaner dropped the line for its "©"), or as GB18030 ("é" -> "茅").
std::string short_mixed_file() {
    return "Mixed page\n\nThis line is plain UTF-8 with an é accent and it goes on.\n" +
           encode("这一行是用GBK编码的中文文本。", "GB18030") + "\nBack to UTF-8 — with a dash.\n";
}
const std::string kShortMixedExpected =
    "Mixed page\n\nThis line is plain UTF-8 with an é accent and it goes on.\n"
    "这一行是用GBK编码的中文文本。\nBack to UTF-8 — with a dash.\n";

TEST_CASE("decode: a short file of mostly UTF-8 lines with one GBK line decodes each line in its encoding") {
    Diagnostics diag;
    std::string text = decode(short_mixed_file(), diag);
    CHECK(text == kShortMixedExpected);
    CHECK(has_diagnostic(diag, "mixed encodings: line 4 read as GB18030, the rest as UTF-8"));
    CHECK(diag.warnings() == 1);
}

TEST_CASE("decode: the same mix repeated into a large file decodes the same, in linear time") {
    std::string small, large, expected;
    for (int i = 0; i < 200; ++i) small += short_mixed_file();
    for (int i = 0; i < 8; ++i) large += small;
    for (int i = 0; i < 1600; ++i) expected += kShortMixedExpected;
    Diagnostics diag;
    std::string text = decode(large, diag);
    CHECK(text == expected);
    CHECK(has_diagnostic(diag, "mixed encodings: lines 4, 9, 14,"));
    const WorkMeter meter;
    auto work = [&](const std::string& bytes) {
        return meter.least_of(3, [&] {
            Diagnostics ignored(false);
            decode(bytes, ignored);
        });
    };
    const double small_work = work(small), large_work = work(large);
    INFO(small_work << " then " << large_work << " " << meter.unit());
    CHECK(large_work <= meter.max_ratio() * small_work);
}

TEST_CASE("decode: GBK lines that are valid UTF-8 by accident, in a minority, leave a GBK file GBK") {
    // "说" and "为" are 0xCB 0xB5 and 0xCE 0xAA in GBK: well-formed UTF-8 (U+02F5, U+03AA).
    std::string utf8 = "说\n" + kChineseLines[0] + "\n为\n" + kChineseLines[1] + "\n" + kChineseLines[2] + "\n";
    Diagnostics diag;
    CHECK(decode(encode(utf8, "GB18030"), diag) == utf8);
    CHECK_FALSE(has_diagnostic(diag, "mixed encodings"));
}

TEST_CASE("decode: a short windows-1252 file stays windows-1252, and hostile high bytes finish cleanly") {
    Diagnostics diag;
    CHECK(decode(encode("Caf\u00e9 cr\u00e8me\nna\u00efve\n\u00e9t\u00e9\n", "windows-1252"), diag) ==
          "Caf\u00e9 cr\u00e8me\nna\u00efve\n\u00e9t\u00e9\n");
    CHECK_FALSE(has_diagnostic(diag, "mixed encodings"));
    // Lines of valid two-byte UTF-8 alternating with lines of lone high bytes: mixed by
    // the majority rule, every byte accounted for (no throw, no lost line).
    std::string hostile;
    for (int i = 0; i < 3000; ++i) {
        hostile += "\xC3\xA9\n\xC3\xA9\n";
        hostile += static_cast<char>(0x80 + i % 128);
        hostile += static_cast<char>(0xFF - i % 64);
        hostile += "\n";
    }
    Diagnostics hostile_diag;
    std::string text = decode(hostile, hostile_diag);
    CHECK(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) == 9000);
    CHECK(text.starts_with("\u00e9\n\u00e9\n"));
    CHECK(has_diagnostic(hostile_diag, "mixed encodings: lines 3, 6, 9,"));
    // The legacy lines are read in the detected charset: line 6, 0x81 0xFE, is GB18030's
    // U+4FA2 (line 3, 0x80 0xFF, is invalid in it, two U+FFFD).
    CHECK(has_diagnostic(hostile_diag, "read as GB18030, the rest as UTF-8"));
    CHECK(text.starts_with("\u00e9\n\u00e9\n\uFFFD\uFFFD\n\u00e9\n\u00e9\n\u4FA2\n"));
}

TEST_CASE("decode: short-lined UTF-8 with one stray byte beside an accent stays UTF-8") {
    // The stray line has a good sequence ("é") and a bad byte (0x92): damaged UTF-8, not
    // a legacy line, so the short "é" lines around it are no majority against it.
    Diagnostics diag;
    std::string text = decode("Caf\xC3\xA9\nna\xC3\xAFve\nJos\xC3\xA9\x92s boat\n", diag);
    CHECK(text == "Caf\u00e9\nna\u00efve\nJos\u00e9\uFFFDs boat\n");
    CHECK_FALSE(has_diagnostic(diag, "mixed encodings"));
    CHECK(has_diagnostic(diag, "invalid UTF-8 byte 0x92"));
}

TEST_CASE("decode: a short pure GBK file whose one-character lines are valid UTF-8 by accident stays GBK") {
    // 说 (CB B5) and 为 (CE AA) are two-byte UTF-8 sequences too (U+02F5, U+03AA): two
    // such lines are no majority to trust against a GBK line.
    const std::string utf8 = "说\n为\n这是中文文本。\n";
    Diagnostics diag;
    CHECK(decode(encode(utf8, "GB18030"), diag) == utf8);
    CHECK_FALSE(has_diagnostic(diag, "mixed encodings"));
}

TEST_CASE("decode: a GBK page stays wholly GBK") {
    std::string utf8;
    for (int i = 0; i < 40; ++i) utf8 += kChineseLines[i % 4] + "\n短\n";
    Diagnostics diag;
    CHECK(decode(encode(utf8, "GB18030"), diag) == utf8);
    CHECK_FALSE(has_diagnostic(diag, "mixed encodings"));
}

TEST_CASE("decode: BOM-less UTF-16 Chinese, little and big endian") {
    std::string utf8;
    for (int i = 0; i < 30; ++i) utf8 += kChineseLines[i % 4] + "一二三\n";  // U+4E00: a NUL low byte
    for (const char* charset : {"UTF-16LE", "UTF-16BE"}) {
        INFO(charset);
        Diagnostics diag;
        std::string text = decode(encode(utf8, charset), diag);
        CHECK(text == utf8);
        CHECK(has_diagnostic(diag, charset));
    }
    // Binary data with NULs on one side is still refused.
    std::string binary;
    for (int i = 0; i < 4000; ++i) {
        binary += static_cast<char>((i * 7919) & 0xFF);
        binary += i % 5 ? static_cast<char>((i * 104729) >> 3) : '\0';
    }
    Diagnostics diag;
    CHECK_THROWS(decode(binary, diag));
}
