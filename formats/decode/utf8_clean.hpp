// utf8_clean.hpp: the decode pass's last step, on UTF-8 bytes: validation, the
// normalisation of line ends, spaces and invisible characters, and NFC.
//
// Private to formats/decode. One tight loop does validation and cleaning together, so
// that the common case (valid UTF-8, mostly ASCII) costs one read and one copy.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace dconv::decode_detail {

// How many invalid bytes are reported one by one; the rest are only counted.
inline constexpr std::size_t kReportedInvalidBytes = 5;

// What clean_utf8 saw; decode.cpp turns it into diagnostics or into the decision that
// the input is not UTF-8 after all.
struct CleanReport {
    std::size_t invalid_bytes = 0;      // bytes that were no part of a well-formed sequence
    std::size_t multibyte_chars = 0;    // well-formed sequences of 2 to 4 bytes
    std::array<std::size_t, kReportedInvalidBytes> invalid_offsets{};  // first few, in input
    std::array<unsigned char, kReportedInvalidBytes> invalid_values{};
    std::size_t dropped_controls = 0;   // C0/C1 controls other than tab and line ends
    std::size_t nul_bytes = 0;          // of those, U+0000
    bool saw_escape = false;            // ESC (0x1B): may be ISO-2022 rather than ASCII
};

// Appends to `out` the cleaned form of `in`, which should be UTF-8:
// - each byte that is not part of a well-formed sequence becomes U+FFFD (counted, with
//   the offsets of the first few, `base_offset` added so they point into the caller's
//   input);
// - CRLF, lone CR, VT, FF, NEL (U+0085), U+2028 and U+2029 become LF: every character
//   Unicode treats as a line or paragraph separator ends a line, so none glues two
//   lines together;
// - NBSP, U+1680, U+2000-U+200A, U+202F, U+205F and U+3000 become an ASCII space (the
//   ideographic space too: text layout is the writers' job, and a full-width space
//   inside CJK text reads as a word gap either way);
// - U+200B, U+2060 and U+FEFF (BOM or ZWNBSP) are dropped; ZWNJ and ZWJ (U+200C/D) are
//   kept, since they change the rendering of emoji, Indic and Persian text;
// - other C0 and C1 controls are dropped; tab is kept.
// Returns true when the caller must still run NFC over `out` (a code point at or above
// U+0300, the first that may not be NFC, was seen).
bool clean_utf8(std::string_view in, std::size_t base_offset, std::string& out,
                CleanReport& report);

// Brings `text` (valid UTF-8) to NFC in place; cheap when it already is.
void to_nfc(std::string& text);

}  // namespace dconv::decode_detail
