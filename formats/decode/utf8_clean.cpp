#include "decode/utf8_clean.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "dconv/diagnostics.hpp"

namespace dconv::decode_detail {

namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;

// True when none of the 8 bytes in `w` needs a look: all ASCII, none below 0x20, no DEL.
// Tab and LF are below 0x20 too; a word holding one takes the byte loop, which is cheap
// enough once every 60-odd bytes.
inline bool plain_ascii_word(std::uint64_t w) {
    if (w & kHighBits) return false;
    std::uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHighBits;
    std::uint64_t x = w ^ (0x7F * kOnes);
    std::uint64_t del = (x - kOnes) & ~x & kHighBits;
    return (below_space | del) == 0;
}

inline bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence starting at p (lead byte >= 0x80), or 0.
// The ranges are those of Unicode's table 3-7: no overlongs, no surrogates, nothing
// above U+10FFFF.
inline int sequence_length(const unsigned char* p, const unsigned char* end) {
    unsigned char c = p[0];
    std::ptrdiff_t left = end - p;
    if (c >= 0xC2 && c <= 0xDF) return left >= 2 && is_continuation(p[1]) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3) return 0;
        unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
        unsigned char hi = c == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && is_continuation(p[2]) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4) return 0;
        unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && is_continuation(p[2]) && is_continuation(p[3]) ? 4
                                                                                          : 0;
    }
    return 0;
}

// What to do with a character the loop stopped at.
enum class Action { keep, space, newline, drop };

// For a well-formed sequence at p: the odd spaces, separators and invisible characters
// named in the header. Switching on the lead byte keeps the common case (any other
// character) to one or two comparisons.
inline Action classify_multibyte(const unsigned char* p) {
    switch (p[0]) {
        case 0xC2:  // U+0080-U+00BF
            if (p[1] == 0xA0) return Action::space;
            if (p[1] == 0x85) return Action::newline;  // NEL
            if (p[1] < 0xA0) return Action::drop;      // other C1 controls
            return Action::keep;
        case 0xE1:  // U+1680 OGHAM SPACE MARK
            return p[1] == 0x9A && p[2] == 0x80 ? Action::space : Action::keep;
        case 0xE2:
            if (p[1] == 0x80) {
                unsigned char t = p[2];
                if (t <= 0x8A || t == 0xAF) return Action::space;  // U+2000-200A, U+202F
                if (t == 0x8B) return Action::drop;                // U+200B ZWSP
                if (t == 0xA8 || t == 0xA9) return Action::newline;  // U+2028, U+2029
                return Action::keep;
            }
            if (p[1] == 0x81) {
                if (p[2] == 0x9F) return Action::space;  // U+205F
                if (p[2] == 0xA0) return Action::drop;   // U+2060 WORD JOINER
            }
            return Action::keep;
        case 0xE3:  // U+3000 IDEOGRAPHIC SPACE
            return p[1] == 0x80 && p[2] == 0x80 ? Action::space : Action::keep;
        case 0xEF:  // U+FEFF
            return p[1] == 0xBB && p[2] == 0xBF ? Action::drop : Action::keep;
        default:
            return Action::keep;
    }
}

// The first lead byte of a code point >= U+0300 (0xCC 0x80): below it every character
// is NFC_Quick_Check=Yes and starts no composition, so the NFC check can be skipped.
constexpr unsigned char kFirstNfcRelevantLead = 0xCC;

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// NFC works on chunks of at most this many bytes: ICU's UTF-8 API takes int32_t
// lengths (converted legacy input may exceed 2 GiB), and a chunk that needs normalising
// is checked and rewritten alone instead of the whole text.
constexpr std::size_t kNfcChunkBytes = std::size_t(1) << 24;  // 16 MiB

// End of the chunk that starts at `start`: at most kNfcChunkBytes on, and before a code
// point with an NFC boundary before it, so that no composition spans two chunks.
std::size_t nfc_chunk_end(const std::string& text, std::size_t start,
                          const icu::Normalizer2& nfc) {
    if (text.size() - start <= kNfcChunkBytes) return text.size();
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t target = start + kNfcChunkBytes;
    while (target > start && is_continuation(bytes[target])) --target;
    for (std::size_t pos = target; pos > start; --pos) {
        if (is_continuation(bytes[pos])) continue;
        int32_t i = 0;
        UChar32 cp = 0;
        const auto* at = bytes + pos;
        int32_t left = static_cast<int32_t>(std::min<std::size_t>(4, text.size() - pos));
        U8_NEXT(at, i, left, cp);
        if (cp >= 0 && nfc.hasBoundaryBefore(cp)) return pos;
    }
    return target;  // 16 MiB without a boundary (combining marks only): cut anyway
}

}  // namespace

bool clean_utf8(std::string_view in, std::size_t base_offset, std::string& out,
                CleanReport& report) {
    const auto* begin = reinterpret_cast<const unsigned char*>(in.data());
    const auto* end = begin + in.size();
    const auto* p = begin;
    const auto* run = begin;  // start of the bytes copied unchanged, not yet appended
    bool needs_nfc = false;
    out.reserve(out.size() + in.size());

    auto flush = [&](const unsigned char* upto) {
        out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(upto - run));
    };

    while (p < end) {
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            if (!plain_ascii_word(w)) break;
            p += 8;
        }
        if (p >= end) break;
        unsigned char c = *p;
        if (c < 0x80) {
            if ((c >= 0x20 && c != 0x7F) || c == '\n' || c == '\t') {
                ++p;
                continue;
            }
            flush(p);
            if (c == '\r') {
                out += '\n';
                if (p + 1 < end && p[1] == '\n') ++p;
            } else if (c == '\v' || c == '\f') {
                out += '\n';
            } else {
                ++report.dropped_controls;
                if (c == 0) ++report.nul_bytes;
                if (c == 0x1B) report.saw_escape = true;
            }
            run = ++p;
            continue;
        }
        int len = sequence_length(p, end);
        if (len == 0) {
            flush(p);
            if (report.invalid_bytes < kReportedInvalidBytes) {
                report.invalid_offsets[report.invalid_bytes] =
                    base_offset + static_cast<std::size_t>(p - begin);
                report.invalid_values[report.invalid_bytes] = c;
            }
            ++report.invalid_bytes;
            out += kReplacement;
            run = ++p;
            continue;
        }
        ++report.multibyte_chars;
        if (c >= kFirstNfcRelevantLead) needs_nfc = true;
        Action action = (c == 0xC2 || (c >= 0xE1 && c <= 0xE3) || c == 0xEF)
                            ? classify_multibyte(p)
                            : Action::keep;
        if (action != Action::keep) {
            flush(p);
            if (action == Action::space) out += ' ';
            if (action == Action::newline) out += '\n';
            if (action == Action::drop && c == 0xC2) ++report.dropped_controls;
            run = p + len;
        }
        p += len;
    }
    flush(end);
    return needs_nfc;
}

namespace {

// True when every character of `s` is one that NFC leaves alone whatever surrounds it:
// ASCII; U+0080-U+02FF (Latin-1, Latin Extended, IPA, spacing modifiers: no combining
// marks before U+0300); the letters of Cyrillic (U+0400-U+047F) and Arabic (U+0600-U+064A
// less the signs U+0610-U+061A); U+2002-U+203F (spaces, dashes, quotes); U+3000-U+3029 and
// U+3030-U+307F (CJK punctuation and hiragana, leaving out the combining U+302A-302F and
// the voicing marks U+3099-309A); U+4000-U+9FFF (CJK ideographs); U+FF00-U+FF7F
// (fullwidth forms). Text of English with curly quotes or of Chinese passes without ICU;
// anything else is left to ICU's check.
bool surely_nfc(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        if (c >= 0xC2 && c <= 0xCB) {  // U+0080-U+02FF
            p += 2;
            continue;
        }
        if (c >= 0xD0 && c <= 0xD9 && end - p >= 2) {
            unsigned char c1 = p[1];
            bool safe = c == 0xD0 || c == 0xD1 ||                      // Cyrillic U+0400-U+047F
                        (c == 0xD8 && !(c1 >= 0x90 && c1 <= 0x9A)) ||  // Arabic U+0600-U+063F but marks
                        (c == 0xD9 && c1 <= 0x8A);                     // Arabic U+0640-U+064A
            if (!safe) return false;
            p += 2;
            continue;
        }
        if (end - p < 3) return false;
        unsigned char c1 = p[1], c2 = p[2];
        bool safe = (c >= 0xE4 && c <= 0xE9) ||                                   // U+4000-U+9FFF
                    (c == 0xE2 && c1 == 0x80 && c2 >= 0x82) ||                    // U+2002-U+203F
                    (c == 0xE3 && c1 == 0x80 && !(c2 >= 0xAA && c2 <= 0xAF)) ||  // U+3000-U+303F
                    (c == 0xE3 && c1 == 0x81) ||                                  // U+3040-U+307F
                    (c == 0xEF && (c1 == 0xBC || c1 == 0xBD));                    // U+FF00-U+FF7F
        if (!safe) return false;
        p += 3;
    }
    return true;
}

}  // namespace

void to_nfc(std::string& text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status))
        throw Error(ErrorKind::internal, "", 0,
                    std::string("ICU NFC data unavailable: ") + u_errorName(status));
    // The UTF-8 entry points (ICU 60+) work on the bytes directly, with no UTF-16 copy.
    // Chunk by chunk, an already-normal chunk (the usual case) is only read; the text is
    // copied into `normal` from the first chunk that needs work on.
    std::string normal;
    bool changed = false;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t limit = nfc_chunk_end(text, start, *nfc);
        icu::StringPiece piece(text.data() + start, static_cast<int32_t>(limit - start));
        status = U_ZERO_ERROR;
        bool normal_already = surely_nfc(std::string_view(piece.data(), static_cast<std::size_t>(piece.size()))) ||
                              (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status));
        if (normal_already) {
            if (changed) normal.append(piece.data(), static_cast<std::size_t>(piece.size()));
        } else {
            if (!changed) {
                normal.reserve(text.size() + text.size() / 16);
                normal.append(text, 0, start);
                changed = true;
            }
            icu::StringByteSink<std::string> sink(&normal);
            status = U_ZERO_ERROR;
            nfc->normalizeUTF8(0, piece, sink, nullptr, status);
            if (U_FAILURE(status))
                throw Error(ErrorKind::internal, "", 0,
                            std::string("NFC normalisation failed: ") + u_errorName(status));
        }
        start = limit;
    }
    if (changed) text.swap(normal);
}

}  // namespace dconv::decode_detail
