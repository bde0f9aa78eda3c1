#include "text.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "dconv/limits.hpp"

namespace dconv::text {

char32_t next_multibyte(std::string_view s, std::size_t& i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || i + len > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = c & (0x3F >> (len - 1));
    for (int k = 1; k < len; ++k) {
        unsigned char cc = b(i + k);
        if ((cc & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    i += len;
    return cp;
}

char32_t prev(std::string_view s, std::size_t& i) {
    if (i == 0) return 0;
    std::size_t start = i - 1;
    int back = 0;
    while (start > 0 && back < 3 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
        --start;
        ++back;
    }
    std::size_t k = start;
    char32_t c = next(s, k);
    if (k != i) {  // not a well-formed sequence ending at i: step one byte
        start = i - 1;
        c = 0xFFFD;
    }
    i = start;
    return c;
}

std::size_t encode(char32_t c, char* out) {
    if (c < 0x80) {
        out[0] = static_cast<char>(c);
        return 1;
    }
    if (c < 0x800) {
        out[0] = static_cast<char>(0xC0 | (c >> 6));
        out[1] = static_cast<char>(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (c >> 12));
        out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (c >> 18));
    out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (c & 0x3F));
    return 4;
}

void append(std::string& out, char32_t c) {
    char buf[4];
    out.append(buf, encode(c, buf));
}

std::u32string to_u32(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) out += next(s, i);
    return out;
}

std::string to_utf8(std::u32string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s) append(out, c);
    return out;
}

bool is_cjk_punct(char32_t c) {
    return (c >= 0x3000 && c <= 0x303F && c != 0x3005 && c != 0x3007) ||
           (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0x2026 ||
           c == 0x2014 || c == 0x00B7 || c == 0x30FB;
}

bool is_letter_slow(char32_t c) { return u_isalpha(UChar32(c)); }
bool is_digit_slow(char32_t c) { return u_isdigit(UChar32(c)); }
bool is_upper_slow(char32_t c) { return u_isupper(UChar32(c)); }
bool is_lower_slow(char32_t c) { return u_islower(UChar32(c)); }
bool is_space_slow(char32_t c) { return u_isUWhiteSpace(UChar32(c)); }

bool is_sentence_end_slow(char32_t c) {
    switch (c) {
        case 0x104A:  // Myanmar little section: a comma
            return false;
        case 0x17D4: case 0x17D5:  // Khmer khan, bariyoosan
        case 0x0F0D: case 0x0F0E:  // Tibetan shad, nyis shad
        case 0x037E:               // Greek question mark
        case 0x055C: case 0x055E:  // Armenian exclamation and question marks
        case 0x0DF4:               // Sinhala kunddaliya
        case 0x2026:               // ellipsis
            return true;
        default:
            return u_hasBinaryProperty(UChar32(c), UCHAR_S_TERM);
    }
}

bool in_script_without_sentence_marks(char32_t c) {
    if (c < 0x0E00) return false;  // no such script before Thai: no look-up for most text
    UErrorCode error = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(UChar32(c), &error);
    return U_SUCCESS(error) && (script == USCRIPT_THAI || script == USCRIPT_LAO);
}

int width(char32_t c) {
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
    if (c < 0x300) return 1;
    // The commonest wide blocks are answered without two ICU property look-ups: every
    // code point in them is East Asian Wide or Fullwidth and none is a combining mark.
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xFF01 && c <= 0xFF60) ||
        (c >= 0x3001 && c <= 0x3029) || (c >= 0x3041 && c <= 0x3096) ||
        (c >= 0x30A1 && c <= 0x30FA))
        return 2;
    auto cat = u_charType(UChar32(c));
    if (cat == U_NON_SPACING_MARK || cat == U_ENCLOSING_MARK || cat == U_FORMAT_CHAR) return 0;
    if (c >= 0x1160 && c <= 0x11FF) return 0;  // Hangul medial vowels and final consonants
    int ea = u_getIntPropertyValue(UChar32(c), UCHAR_EAST_ASIAN_WIDTH);
    return (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
}

std::size_t display_width(std::string_view s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) w += static_cast<std::size_t>(width(next(s, i)));
    return w;
}

std::string_view trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e) {
        std::size_t k = b;
        if (!is_space(next(s, k))) break;
        b = k;
    }
    while (e > b) {
        std::size_t k = e;
        if (!is_space(prev(s, k))) break;
        e = k;
    }
    return s.substr(b, e - b);
}

namespace {

// Whether eight bytes (`word`, loaded little-endian) may need needs_squeeze's byte
// look: a byte under 0x21 or over 0x7E, two spaces in a row, or a space first after a
// space (`prev_space`). It may say yes of a word that needs nothing (a borrow or carry
// between bytes), never no of one that does; most words of text are printable ASCII
// with single spaces, and are passed whole.
bool word_may_need_squeeze(std::uint64_t word, bool prev_space) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
    const std::uint64_t controls = (word - kOnes * 0x21) & ~word & kHighs;   // bytes < 0x21: space too
    const std::uint64_t high = (word | (word + kOnes)) & kHighs;              // bytes >= 0x7F
    const std::uint64_t other = word ^ (kOnes * 0x20);
    const std::uint64_t spaces = (other - kOnes) & ~other & kHighs;           // bytes == 0x20
    if (high != 0 || (controls & ~spaces) != 0) return true;
    return (spaces & (spaces << 8)) != 0 || (prev_space && (word & 0xFF) == 0x20);
}

// Whether squeeze_spaces would change s: white space at an end, two in a row, or any
// but the ASCII space. Most text needs nothing, and a copy is all it costs then.
bool needs_squeeze(std::string_view s) {
    if (s.empty()) return false;
    if (s.front() == ' ' || s.back() == ' ') return true;
    bool prev_space = false;
    for (std::size_t i = 0; i < s.size();) {
        if (i + 8 <= s.size()) {  // eight plain bytes at once
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
            if (!word_may_need_squeeze(word, prev_space)) {
                prev_space = (word >> 56) == 0x20;
                i += 8;
                continue;
            }
        }
        // else those bytes one by one
        for (const std::size_t end = std::min(i + 8, s.size()); i < end; ++i) {
            auto b = static_cast<unsigned char>(s[i]);
            if (b > 0x20 && b < 0x7F) {  // printable ASCII, most bytes: nothing to squeeze
                prev_space = false;
                continue;
            }
            if (b == ' ') {
                if (prev_space) return true;
                prev_space = true;
                continue;
            }
            prev_space = false;
            if (b < 0x20 || b == 0x7F) return true;  // tabs, newlines, controls
            // the white space of Unicode beyond ASCII starts with one of these bytes:
            // C2 85/A0, E1 9A 80, E2 80 80-8A/A8/A9/AF, E2 81 9F, E3 80 80
            if (b == 0xC2 && i + 1 < s.size()) {
                auto c = static_cast<unsigned char>(s[i + 1]);
                if (c == 0x85 || c == 0xA0) return true;
            } else if (b >= 0xE1 && b <= 0xE3 && i + 2 < s.size()) {
                std::size_t k = i;
                if (is_space(next(s, k))) return true;
            }
        }
    }
    return false;
}

}  // namespace

bool is_squeezed(std::string_view s) { return !needs_squeeze(s); }

std::string squeeze_spaces(std::string_view s) {
    if (!needs_squeeze(s)) return std::string(s);
    std::string out;
    out.reserve(s.size());
    bool pending = false;
    std::size_t i = 0;
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {  // the common case: copy a run of ASCII non-space bytes at once
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v') {
                pending = !out.empty();
                ++i;
                continue;
            }
            std::size_t end = i + 1;
            while (end < s.size()) {
                auto e = static_cast<unsigned char>(s[end]);
                if (e >= 0x80 || e == ' ' || e == '\t' || e == '\n' || e == '\r' || e == '\f' || e == '\v') break;
                ++end;
            }
            if (pending) out += ' ';
            pending = false;
            out.append(s.substr(i, end - i));
            i = end;
            continue;
        }
        std::size_t start = i;
        char32_t c = next(s, i);
        if (is_space(c)) {
            pending = !out.empty();
            continue;
        }
        if (pending) out += ' ';
        pending = false;
        out.append(s.substr(start, i - start));
    }
    return out;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_code_language_name(std::string_view name) {
    return !name.empty() && name.size() <= kMaxCodeLanguageName &&
           std::all_of(name.begin(), name.end(), [](char ch) {
               return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                      ch == '_' || ch == '+' || ch == '#' || ch == '.';
           });
}

bool is_script_url(std::string_view url) {
    std::size_t start = 0;
    while (start < url.size() && static_cast<unsigned char>(url[start]) <= 0x20) ++start;
    // the scheme is at most "vbscript:" or "javascript:" long once tabs and newlines go
    std::string scheme;
    for (std::size_t i = start; i < url.size() && scheme.size() < 11; ++i) {
        char c = url[i];
        if (c == '\t' || c == '\n' || c == '\r') continue;
        scheme += c;
    }
    return starts_with_ci(scheme, "javascript:") || starts_with_ci(scheme, "vbscript:") ||
           starts_with_ci(scheme, "data:");
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char a = s[i], b = prefix[i];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
        if (a != b) return false;
    }
    return true;
}

std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t nl = s.find('\n', start);
        if (nl == std::string_view::npos) {
            if (start < s.size()) lines.push_back(s.substr(start));
            break;
        }
        lines.push_back(s.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_encode(std::string_view s, bool (*escape)(unsigned char)) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (escape(c)) {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += ch;
        }
    }
    return out;
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += plus_is_space && s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

bool valid_utf8_with_multibyte(std::string_view bytes) {
    bool multibyte = false;
    for (std::size_t i = 0; i < bytes.size();) {
        auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80) {  // ASCII, most of a page, eight bytes at a time (the scan cost 5 percent of a page's time)
            i = skip_ascii(bytes, i);
            continue;
        }
        poll_deadline();
        std::size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
        if (length == 0 || b > 0xF4 || i + length > bytes.size()) return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return false;
        // overlong forms and surrogates pass the byte check: the decoder reads them as U+FFFD
        std::size_t at = i;
        char32_t c = next(bytes, at);
        if (c == 0xFFFD && bytes.compare(i, 3, "\xEF\xBF\xBD") != 0) return false;
        i += length;
        multibyte = true;
    }
    return multibyte;
}

}  // namespace dconv::text
