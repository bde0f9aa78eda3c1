#include "decode/charset.hpp"

#include <unicode/uchar.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"

namespace dconv::decode_detail {

namespace {

struct DetectorCloser {
    void operator()(UCharsetDetector* detector) const { ucsdet_close(detector); }
};

// ucsdet confidence (0-100) from which a multibyte CJK guess is taken as it stands. ICU
// gives 100 to CJK text with a dozen common characters, and 10 to anything shorter.
constexpr int kTrustedCjkConfidence = 50;

// UTF-16 without BOM: at least this many NULs on the high-byte side, and at most one
// NUL on the other side per this many, before a decode is tried.
constexpr std::size_t kMinUtf16Nuls = 2;
constexpr std::size_t kUtf16NulParityRatio = 20;
// CJK text in UTF-16 has NULs only where it has ASCII (line ends, digits), while some of
// its ideographs have a NUL low byte (U+4E00 "一"): the parity is then not clear cut.
// Such a sample is UTF-16 when, decoded in one byte order, this share of its characters
// are CJK, kana, hangul, their punctuation or ASCII text (random or binary data decodes
// into every block of the BMP, about half of it into those; the other byte order of CJK
// text likewise).
constexpr double kMinCjkUtf16TextShare = 0.95;
// UTF-32 without BOM: the top byte of every code unit is NUL, and for BMP text the next
// one in at least 9 of 10 units.
constexpr double kUtf32BmpShare = 0.9;
// A decoded UTF-16/32 text is accepted when at most this share of its code points are
// unassigned, private use or controls (binary data decodes into those).
constexpr double kMaxJunkShare = 0.01;

// The structural CJK check: at least this many ideographs/kana/hangul, at most this
// share of other non-ASCII letters, and at least this share of them next to another
// non-ASCII character: in Latin text misread as a DBCS, each accented letter pairs with
// the next ASCII byte and becomes a lone ideograph between Latin letters. Without a
// second clue (GB2312 pairs, kana, hangul) a candidate must look more like CJK text.
constexpr std::size_t kMinCjkChars = 2;
constexpr double kMaxForeignLetterShare = 0.1;
constexpr double kMinCjkNeighbourShare = 0.5;
constexpr double kMinCjkNeighbourShareAlone = 0.8;
// Ideographs with a Latin letter on both sides ("Cr鑪e" from "Crème"): real CJK text
// has few of them.
constexpr double kMaxSandwichedShare = 0.1;
// Simplified Chinese in GBK: nearly every double-byte character is in the GB2312 set
// (lead 0xA1-0xF7, trail 0xA1-0xFE); Big5 and Shift_JIS text decoded as GBK is not.
constexpr double kMinGb2312Share = 0.9;
// Japanese has kana in a tenth of its characters and more; Chinese has next to none.
constexpr double kMinKanaShare = 0.1;
// Korean text is mostly hangul.
constexpr double kMinHangulShare = 0.5;
// Below this many non-ASCII bytes, ucsdet's n-gram scores for single-byte charsets are
// noise ("naïve café" comes out as ISO-8859-2); such a sample whose non-ASCII bytes
// come alone or in pairs, as accented letters in Latin script do, is read as
// windows-1252, the most common legacy charset of the web and the WHATWG default.
constexpr std::size_t kMinHighBytesForNgrams = 16;
constexpr std::size_t kMaxLatinHighRun = 2;
// Thai in cp874 (TIS-620 and windows-874): ucsdet knows no Thai charset and takes it for
// GB18030 (confidence 55 for three paragraphs), whose bytes pair into rare ideographs,
// kana and Cyrillic. Read as cp874 (it then decodes with no byte unassigned) the sample
// must be Thai text: at least kMinThaiLetters letters; in Thai order, at most one
// misplaced per kThaiLettersPerMisplaced (a vowel sign or tone mark with no consonant
// before it, a leading vowel with none after it); in words, at most one letter in
// kThaiLettersPerAlone with no Thai letter beside it (Latin-1's symbols and capitals
// are consonants in cp874: "20°C"); with kMinCommonThaiShare of its letters among the
// 31 most frequent of written Thai (kCommonThaiLetters: 0.81-0.95 of the Thai sentences
// in the tests), where CJK text decodes into every Thai letter alike (about a quarter
// common); and no letter over kMaxOneThaiLetterShare (GBK's Cyrillic, a lead byte that
// is one letter every other byte). Measured on the seeds' and tests' CJK, Cyrillic and
// Latin text, in windows of 6 to 200 characters encoded in GBK, Big5, Shift_JIS,
// EUC-JP, EUC-KR, windows-1250/1251/1252 and ISO-8859-7 (10,686 samples): none is taken for Thai.
// ฿ is not a letter, and the obsolete ฃ ฅ ฦ, which Thai text all but never writes, may be
// at most one letter in kThaiLettersPerObsolete: short EUC-JP decodes into them (its 。
// is กฃ, its katakana ฅ and a letter) and 8 to 10 characters of it were taken for Thai.
constexpr std::size_t kMinThaiLetters = 16;
constexpr std::size_t kThaiLettersPerObsolete = 200;
constexpr std::size_t kThaiLettersPerMisplaced = 100;
constexpr std::size_t kThaiLettersPerAlone = 10;
constexpr double kMinCommonThaiShare = 0.75;
constexpr double kMaxOneThaiLetterShare = 0.25;
// า น ร อ ก เ ่ ง ม ย ั ล ว ต ี ้ ด ท ส ิ ะ ข บ ป ค ใ ไ แ ห ุ พ
constexpr char16_t kCommonThaiLetters[] = {0x0E32, 0x0E19, 0x0E23, 0x0E2D, 0x0E01, 0x0E40, 0x0E48, 0x0E07,
                                           0x0E21, 0x0E22, 0x0E31, 0x0E25, 0x0E27, 0x0E15, 0x0E35, 0x0E49,
                                           0x0E14, 0x0E17, 0x0E2A, 0x0E34, 0x0E30, 0x0E02, 0x0E1A, 0x0E1B,
                                           0x0E04, 0x0E43, 0x0E44, 0x0E41, 0x0E2B, 0x0E38, 0x0E1E};
// When cutting the sample for a strict decode, look this far back for a byte that
// cannot be the second byte of a DBCS character.
constexpr std::size_t kMaxBoundarySearch = 4096;

// Decodes `bytes` with the charset `name`, failing on the first invalid or unmapped
// sequence.
bool decode_strict(std::string_view bytes, const char* name, std::u16string& out) {
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open(name, &status));
    if (U_FAILURE(status)) return false;
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &status);
    // No charset handled here turns one byte into more than one UTF-16 unit.
    out.resize(bytes.size() + 1);
    int32_t length = ucnv_toUChars(converter.get(), out.data(), static_cast<int32_t>(out.size()),
                                   bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status)) return false;
    out.resize(static_cast<std::size_t>(length));
    return true;
}

bool is_junk(UChar32 c) {
    if (c == '\t' || c == '\n' || c == '\r' || c == '\f') return false;
    int8_t type = u_charType(c);
    return type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR || type == U_CONTROL_CHAR ||
           type == U_SURROGATE;
}

bool mostly_text(const std::u16string& decoded) {
    std::size_t count = 0, junk = 0;
    for (std::size_t i = 0; i < decoded.size();) {
        UChar32 c;
        U16_NEXT(decoded.data(), i, decoded.size(), c);
        ++count;
        junk += is_junk(c);
    }
    return count > 0 && static_cast<double>(junk) <= kMaxJunkShare * static_cast<double>(count);
}

// The share of `decoded`'s characters that are East Asian text or ASCII text.
double cjk_or_ascii_share(const std::u16string& decoded) {
    std::size_t count = 0, text = 0;
    for (std::size_t i = 0; i < decoded.size();) {
        UChar32 c;
        U16_NEXT(decoded.data(), i, decoded.size(), c);
        ++count;
        bool ascii_text = (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t';
        bool east_asian = (c >= 0x3000 && c <= 0x30FF) ||  // CJK punctuation, kana
                          (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
                          (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xFF00 && c <= 0xFFEF) ||
                          (c >= 0x2000 && c <= 0x206F);  // general punctuation: quotes, dashes
        text += ascii_text || east_asian;
    }
    return count ? static_cast<double>(text) / static_cast<double>(count) : 0.0;
}

// What a strict decode of the sample as one CJK charset produced.
struct CjkEvidence {
    bool clean = false;
    std::size_t cjk = 0;          // ideographs, kana, hangul
    std::size_t kana = 0;
    std::size_t hangul = 0;
    std::size_t foreign = 0;      // other non-ASCII letters
    std::size_t neighboured = 0;  // CJK characters beside another non-ASCII character
    std::size_t sandwiched = 0;   // CJK characters between two ASCII letters

    double share(std::size_t part) const {
        return cjk ? static_cast<double>(part) / static_cast<double>(cjk) : 0.0;
    }
    // `neighbours`: the share of CJK characters that must have a non-ASCII neighbour.
    bool plausible(double neighbours) const {
        return clean && cjk >= kMinCjkChars && share(foreign) <= kMaxForeignLetterShare &&
               share(neighboured) >= neighbours && share(sandwiched) <= kMaxSandwichedShare;
    }
};

bool is_ascii_letter(char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

CjkEvidence weigh_cjk(std::string_view sample, const char* charset) {
    CjkEvidence e;
    std::u16string decoded;
    if (!decode_strict(sample, charset, decoded)) return e;
    std::vector<char32_t> cps;
    cps.reserve(decoded.size());
    for (std::size_t i = 0; i < decoded.size();) {
        UChar32 c;
        U16_NEXT(decoded.data(), i, decoded.size(), c);
        cps.push_back(static_cast<char32_t>(c));
    }
    for (std::size_t i = 0; i < cps.size(); ++i) {
        char32_t c = cps[i];
        if (c < 0x80) continue;
        int8_t type = u_charType(static_cast<UChar32>(c));
        if (type == U_PRIVATE_USE_CHAR || type == U_UNASSIGNED || type == U_CONTROL_CHAR)
            return e;  // user-defined areas and C1 controls: not how real text decodes
        if (text::is_cjk(c)) {
            ++e.cjk;
            e.kana += c >= 0x3040 && c <= 0x30FF;
            e.hangul += c >= 0xAC00 && c <= 0xD7AF;
            char32_t before = i > 0 ? cps[i - 1] : U' ';
            char32_t after = i + 1 < cps.size() ? cps[i + 1] : U' ';
            e.neighboured += before >= 0x80 || after >= 0x80;
            e.sandwiched += is_ascii_letter(before) && is_ascii_letter(after);
        } else if (u_isalpha(static_cast<UChar32>(c))) {
            ++e.foreign;
        }
    }
    e.clean = true;
    return e;
}

// Share of GBK double-byte characters in the sample that are GB2312 characters.
double gb2312_share(std::string_view sample) {
    std::size_t pairs = 0, gb2312 = 0;
    for (std::size_t i = 0; i + 1 < sample.size();) {
        auto lead = static_cast<unsigned char>(sample[i]);
        if (lead < 0x81) {
            ++i;
            continue;
        }
        auto trail = static_cast<unsigned char>(sample[i + 1]);
        ++pairs;
        gb2312 += lead >= 0xA1 && lead <= 0xF7 && trail >= 0xA1 && trail <= 0xFE;
        i += (trail >= 0x30 && trail <= 0x39) ? 4 : 2;  // GB18030 four-byte sequence
    }
    return pairs ? static_cast<double>(gb2312) / static_cast<double>(pairs) : 0.0;
}

// The sample cut after its last byte below 0x40: no DBCS handled here uses such a byte
// as the second of a pair, so the cut never splits a character. Empty if there is none
// near the end.
std::string_view whole_characters(std::string_view sample, bool sample_is_whole_input) {
    if (sample_is_whole_input) return sample;
    std::size_t stop = sample.size() > kMaxBoundarySearch ? sample.size() - kMaxBoundarySearch : 0;
    for (std::size_t i = sample.size(); i > stop; --i)
        if (static_cast<unsigned char>(sample[i - 1]) < 0x40) return sample.substr(0, i);
    return {};
}

// The structural check described in the header; nullptr when no CJK charset fits.
// Each candidate needs a clue of its own before the bare "looks like CJK text" test:
// GB2312 pairs for GBK, kana for the Japanese charsets, hangul for EUC-KR.
const char* structural_cjk_guess(std::string_view sample) {
    CjkEvidence gb = weigh_cjk(sample, "GB18030");
    if (gb.plausible(kMinCjkNeighbourShare) && gb.share(gb.kana) < kMinKanaShare &&
        gb2312_share(sample) >= kMinGb2312Share)
        return "GB18030";
    CjkEvidence sjis = weigh_cjk(sample, "Shift_JIS");
    if (sjis.plausible(kMinCjkNeighbourShare) && sjis.share(sjis.kana) >= kMinKanaShare)
        return "Shift_JIS";
    CjkEvidence eucjp = weigh_cjk(sample, "EUC-JP");
    if (eucjp.plausible(kMinCjkNeighbourShare) && eucjp.share(eucjp.kana) >= kMinKanaShare)
        return "EUC-JP";
    CjkEvidence euckr = weigh_cjk(sample, "EUC-KR");
    if (euckr.plausible(kMinCjkNeighbourShare) && euckr.share(euckr.hangul) >= kMinHangulShare)
        return "EUC-KR";
    CjkEvidence big5 = weigh_cjk(sample, "Big5");
    if (big5.plausible(kMinCjkNeighbourShareAlone) && big5.share(big5.kana) < kMinKanaShare)
        return "Big5";
    if (sjis.plausible(kMinCjkNeighbourShareAlone)) return "Shift_JIS";
    return nullptr;
}

// Whether `sample` read as cp874 is Thai text (see kMinThaiLetters).
bool thai_text(std::string_view sample) {
    if (text::skip_ascii(sample, 0) == sample.size()) return false;
    std::u16string decoded;
    if (!decode_strict(sample, "windows-874", decoded)) return false;
    // not ฿, digits, ๚ ๛
    auto letter = [](char16_t c) { return c >= 0x0E01 && c <= 0x0E4E && c != 0x0E3F; };
    auto obsolete = [](char16_t c) { return c == 0x0E03 || c == 0x0E05 || c == 0x0E26; };  // ฃ ฅ ฦ
    auto consonant = [](char16_t c) { return c >= 0x0E01 && c <= 0x0E2E; };
    // vowel signs above and below, tone marks and other marks: written on a consonant
    auto mark = [](char16_t c) { return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E); };
    // vowels written after a consonant (SARA A, AA, AM, LAKKHANGYAO)
    auto following = [](char16_t c) { return c == 0x0E30 || c == 0x0E32 || c == 0x0E33 || c == 0x0E45; };
    auto leading = [](char16_t c) { return c >= 0x0E40 && c <= 0x0E44; };  // written before one
    std::array<std::size_t, 0x4E> counts{};  // by letter, from U+0E01
    std::size_t letters = 0, misplaced = 0, alone = 0, common = 0, obsolete_letters = 0;
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        const char16_t c = decoded[i];
        if (!letter(c)) continue;
        ++letters;
        ++counts[c - 0x0E01];
        obsolete_letters += obsolete(c);
        common += std::find(std::begin(kCommonThaiLetters), std::end(kCommonThaiLetters), c) !=
                  std::end(kCommonThaiLetters);
        const char16_t before = i > 0 ? decoded[i - 1] : u' ';
        const char16_t after = i + 1 < decoded.size() ? decoded[i + 1] : u' ';
        if (mark(c)) misplaced += !consonant(before) && !mark(before);
        else if (following(c)) misplaced += !consonant(before) && !mark(before) && !following(before);
        else if (leading(c)) misplaced += !consonant(after);
        alone += !letter(before) && !letter(after);
    }
    const auto share = [letters](std::size_t n) { return static_cast<double>(n) / static_cast<double>(letters); };
    return letters >= kMinThaiLetters && obsolete_letters * kThaiLettersPerObsolete <= letters &&
           misplaced * kThaiLettersPerMisplaced <= letters &&
           alone * kThaiLettersPerAlone <= letters && share(common) >= kMinCommonThaiShare &&
           share(*std::max_element(counts.begin(), counts.end())) <= kMaxOneThaiLetterShare;
}

// True when `sample` has a few non-ASCII bytes in short runs: accented letters of a
// Latin script ("Größe" has one run of two). Cyrillic or Greek words are longer runs, and
// CJK text that got this far failed the structural check.
bool few_latin_high_bytes(std::string_view sample) {
    std::size_t high = 0, run = 0;
    for (char c : sample) {
        if (static_cast<unsigned char>(c) < 0x80) {
            run = 0;
            continue;
        }
        if (++high >= kMinHighBytesForNgrams || ++run > kMaxLatinHighRun) return false;
    }
    return high > 0;
}

bool is_cjk_multibyte(std::string_view name) {
    return name == "GB18030" || name == "Big5" || name == "Shift_JIS" || name == "EUC-JP" ||
           name == "EUC-KR" || name.substr(0, 8) == "ISO-2022";
}

// Guesses ucsdet makes that are never right for web text: UTF-16/32 without a BOM
// (sniff_utf16_or_32 decides those, ucsdet rates everything 10) and EBCDIC.
bool ignored_guess(std::string_view name) {
    return name.substr(0, 6) == "UTF-16" || name.substr(0, 6) == "UTF-32" ||
           name.substr(0, 3) == "IBM";
}

// ISO-8859-1 text is read as windows-1252, as browsers do: 0x80-0x9F are C1 controls in
// the former (never meant in text) and quotes, dashes and the euro in the latter.
std::string converter_for_guess(std::string_view name) {
    if (name == "ISO-8859-1") return "windows-1252";
    return std::string(name);
}

struct CountingContext {
    std::size_t substitutions = 0;
};

// Counts each invalid or unmapped sequence and writes U+FFFD for it. (ICU's own
// substitute callback writes U+001A for a single bad byte in charsets that define a
// one-byte substitution character, and the cleaning pass would then drop it unseen.)
void count_and_substitute(const void* context, UConverterToUnicodeArgs* args,
                          const char* /*code_units*/, int32_t /*length*/,
                          UConverterCallbackReason reason, UErrorCode* status) {
    if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to write
    ++static_cast<CountingContext*>(const_cast<void*>(context))->substitutions;
    static const UChar replacement = 0xFFFD;
    *status = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, status);
}

}  // namespace

ConverterPtr open_converter(std::string_view name) {
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open(std::string(name).c_str(), &status));
    if (U_FAILURE(status)) return nullptr;
    return converter;
}

bool is_unicode_converter(UConverter* converter) {
    switch (ucnv_getType(converter)) {
        case UCNV_UTF8: case UCNV_UTF16_BigEndian: case UCNV_UTF16_LittleEndian:
        case UCNV_UTF32_BigEndian: case UCNV_UTF32_LittleEndian: case UCNV_UTF16:
        case UCNV_UTF32: case UCNV_CESU8: case UCNV_UTF7:
            return true;
        default:
            return false;
    }
}

bool is_utf8_converter(UConverter* converter) { return ucnv_getType(converter) == UCNV_UTF8; }

ByteOrderMark sniff_bom(std::string_view bytes) {
    auto starts = [&](std::string_view prefix) {
        return bytes.size() >= prefix.size() && bytes.substr(0, prefix.size()) == prefix;
    };
    using namespace std::string_view_literals;
    // UTF-32LE first: its BOM begins with UTF-16LE's.
    if (starts("\xFF\xFE\x00\x00"sv)) return {"UTF-32LE", 4};
    if (starts("\x00\x00\xFE\xFF"sv)) return {"UTF-32BE", 4};
    if (starts("\xEF\xBB\xBF"sv)) return {"UTF-8", 3};
    if (starts("\xFF\xFE"sv)) return {"UTF-16LE", 2};
    if (starts("\xFE\xFF"sv)) return {"UTF-16BE", 2};
    return {};
}

// UTF-16 whose NULs do not fall clearly on one side: CJK text, whose NULs are its
// ASCII's high bytes and the low bytes of ideographs such as U+4E00. Each byte order with
// NULs on its high side is tried, the likelier first, and taken when the decode is
// nearly all East Asian or ASCII text.
const char* east_asian_utf16(std::string_view sample, std::size_t odd_nuls, std::size_t even_nuls) {
    const char* orders[2] = {"UTF-16LE", "UTF-16BE"};
    if (even_nuls > odd_nuls) std::swap(orders[0], orders[1]);
    std::size_t size = sample.size() & ~std::size_t(1);
    for (const char* order : orders) {
        std::size_t high_side = std::string_view(order) == "UTF-16LE" ? odd_nuls : even_nuls;
        if (high_side < kMinUtf16Nuls) continue;
        std::u16string decoded;
        if (!decode_strict(sample.substr(0, size), order, decoded) &&
            (size < 4 || !decode_strict(sample.substr(0, size - 2), order, decoded)))
            continue;
        if (cjk_or_ascii_share(decoded) >= kMinCjkUtf16TextShare) return order;
    }
    return nullptr;
}

const char* sniff_utf16_or_32(std::string_view sample) {
    std::size_t size = sample.size() & ~std::size_t(1);
    // most inputs hold no NUL at all: found so by memchr, not by counting every byte
    static_assert(kMinUtf16Nuls > 0);
    if (size == 0 || std::memchr(sample.data(), 0, size) == nullptr) return nullptr;
    std::array<std::size_t, 4> nuls{};  // by byte position within 4
    for (std::size_t i = 0; i < size; ++i) nuls[i % 4] += sample[i] == '\0';
    if (nuls[0] + nuls[1] + nuls[2] + nuls[3] < kMinUtf16Nuls) return nullptr;

    const char* candidate = nullptr;
    std::size_t units32 = size / 4;
    if (size % 4 == 0 && units32 > 0) {
        double bmp = kUtf32BmpShare * static_cast<double>(units32);
        if (nuls[3] == units32 && static_cast<double>(nuls[2]) >= bmp) candidate = "UTF-32LE";
        if (nuls[0] == units32 && static_cast<double>(nuls[1]) >= bmp) candidate = "UTF-32BE";
    }
    if (!candidate) {
        std::size_t odd = nuls[1] + nuls[3], even = nuls[0] + nuls[2];
        if (odd >= kMinUtf16Nuls && even * kUtf16NulParityRatio <= odd) candidate = "UTF-16LE";
        if (even >= kMinUtf16Nuls && odd * kUtf16NulParityRatio <= even) candidate = "UTF-16BE";
    }
    if (!candidate) return east_asian_utf16(sample, nuls[1] + nuls[3], nuls[0] + nuls[2]);
    std::u16string decoded;
    // A cut sample may end inside a code unit or a surrogate pair: decode whole units,
    // and if that fails, try once more without the last one.
    std::size_t whole = std::string_view(candidate).substr(0, 6) == "UTF-32" ? size & ~std::size_t(3)
                                                                              : size;
    if (!decode_strict(sample.substr(0, whole), candidate, decoded)) {
        if (whole < 4 || !decode_strict(sample.substr(0, whole - 2), candidate, decoded))
            return nullptr;
    }
    return mostly_text(decoded) ? candidate : nullptr;
}

std::size_t binary_offset(std::string_view sample) {
    std::size_t first_nul = sample.find('\0');
    if (first_nul == std::string_view::npos) return first_nul;
    std::size_t controls = 0;
    for (char ch : sample) {
        auto c = static_cast<unsigned char>(ch);
        // C0 controls but tab, LF, VT, FF, CR and ESC (ISO-2022 uses it).
        controls += c < 0x20 && !(c >= 0x09 && c <= 0x0D) && c != 0x1B;
    }
    bool binary = controls >= kMinBinaryControls && controls * 100 > sample.size() * kBinaryControlPercent;
    return binary ? first_nul : std::string_view::npos;
}

bool looks_like_iso2022(std::string_view sample) {
    for (char c : sample)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    for (std::size_t i = sample.find('\x1B'); i != std::string_view::npos && i + 1 < sample.size();
         i = sample.find('\x1B', i + 1))
        if (sample[i + 1] == '$' || sample[i + 1] == '(') return true;
    return false;
}

CharsetGuess detect_legacy_charset(std::string_view sample, bool sample_is_whole_input) {
    struct Match {
        std::string name;
        int confidence = 0;
    };
    std::vector<Match> matches;  // ucsdet's guesses, best first, the ignored ones left out
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCharsetDetector, DetectorCloser> detector(ucsdet_open(&status));
    if (U_SUCCESS(status)) {
        ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
        int32_t count = 0;
        const UCharsetMatch** found = ucsdet_detectAll(detector.get(), &count, &status);
        for (int32_t i = 0; U_SUCCESS(status) && i < count; ++i) {
            const char* name = ucsdet_getName(found[i], &status);
            if (name && !ignored_guess(name))
                matches.push_back({name, ucsdet_getConfidence(found[i], &status)});
        }
    }
    const Match* best = matches.empty() ? nullptr : &matches.front();
    // before ucsdet's CJK guess, which Thai gets (see kMinThaiLetters)
    if (thai_text(sample)) {
        std::string how = "clean decode into Thai text";
        if (best)
            how += "; ICU guessed " + best->name + ", confidence " + std::to_string(best->confidence);
        return {"windows-874", 0, how};
    }
    if (best && is_cjk_multibyte(best->name) && best->confidence >= kTrustedCjkConfidence)
        return {converter_for_guess(best->name), best->confidence, "ICU charset detector", true};

    std::string_view whole = whole_characters(sample, sample_is_whole_input);
    if (const char* cjk = whole.empty() ? nullptr : structural_cjk_guess(whole)) {
        std::string how = "clean decode into CJK text";
        if (best)
            how += "; ICU guessed " + best->name + ", confidence " + std::to_string(best->confidence);
        return {cjk, 0, how, true};
    }
    if (few_latin_high_bytes(sample))
        return {"windows-1252", 0, "a few accented letters; too short for the ICU detector"};
    for (const Match& match : matches) {
        std::string name = converter_for_guess(match.name);
        if (open_converter(name))
            return {name, match.confidence, "ICU charset detector"};
    }
    return {"windows-1252", 0, "no confident guess; the web's most common legacy charset"};
}

std::string convert_to_utf8(std::string_view bytes, UConverter* source,
                            std::size_t& substitutions, const std::string& file) {
    auto fail = [&](UErrorCode failure) {
        UErrorCode status = U_ZERO_ERROR;
        const char* name = ucnv_getName(source, &status);
        return Error(ErrorKind::internal, file, 0,
                     std::string("conversion from ") + (name ? name : "?") +
                         " failed: " + u_errorName(failure));
    };
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr utf8(ucnv_open("UTF-8", &status));
    if (U_FAILURE(status)) throw fail(status);
    CountingContext counting;
    ucnv_setToUCallBack(source, count_and_substitute, &counting, nullptr, nullptr, &status);
    if (U_FAILURE(status)) throw fail(status);

    // One byte becomes at most 3 UTF-8 bytes; most text grows far less, so start at 1.5
    // times and grow on demand.
    std::string out(bytes.size() + bytes.size() / 2 + 64, '\0');
    std::array<UChar, 4096> pivot;
    UChar* pivot_source = pivot.data();
    UChar* pivot_target = pivot.data();
    const char* in = bytes.data();
    char* target = out.data();
    bool reset = true;
    for (;;) {
        status = U_ZERO_ERROR;
        ucnv_convertEx(utf8.get(), source, &target, out.data() + out.size(), &in,
                       bytes.data() + bytes.size(), pivot.data(), &pivot_source, &pivot_target,
                       pivot.data() + pivot.size(), reset, true, &status);
        reset = false;
        if (status != U_BUFFER_OVERFLOW_ERROR) break;
        std::size_t used = static_cast<std::size_t>(target - out.data());
        out.resize(out.size() * 2);
        target = out.data() + used;
    }
    UErrorCode restore = U_ZERO_ERROR;  // the callback must not outlive `counting`
    ucnv_setToUCallBack(source, UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr,
                        &restore);
    if (U_FAILURE(status)) throw fail(status);
    out.resize(static_cast<std::size_t>(target - out.data()));
    substitutions = counting.substitutions;
    return out;
}

}  // namespace dconv::decode_detail
