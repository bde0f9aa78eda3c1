// decode.hpp: the first pass: bytes in any common encoding to clean UTF-8 text.
#pragma once

#include <string>
#include <string_view>

#include "dconv/diagnostics.hpp"

namespace dconv {

// Hostile-input limit: the decoder refuses inputs larger than this.
inline constexpr std::size_t kMaxInputBytes = std::size_t(1) << 30;  // 1 GiB

// Turns `bytes` into UTF-8 text:
// - BOM (UTF-8, UTF-16LE/BE, UTF-32) is honoured and removed;
// - `encoding` (an ICU converter name such as "GB18030", "Big5", "Shift_JIS",
//   "windows-1252") forces a charset; otherwise valid UTF-8 is kept, and anything else is
//   detected with ICU's charset detector and converted (a note names the guess);
// - in UTF-8 input, each invalid byte becomes U+FFFD with a warning giving its byte offset
//   (at most a few warnings, then a count);
// - CRLF and CR become LF; NBSP and other odd spaces become ASCII space; zero-width and
//   control characters (other than tab and newline) are dropped;
// - the result is NFC.
// Throws Error(input) for data that is not text (NUL-heavy binary) and Error(limit) for
// inputs over kMaxInputBytes. `file` is used in messages only.
std::string decode_text(std::string_view bytes, std::string_view encoding, Diagnostics& diag,
                        const std::string& file);

}  // namespace dconv
