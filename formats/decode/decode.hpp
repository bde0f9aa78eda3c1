// decode.hpp: the first pass: bytes in any common encoding to clean UTF-8 text.
#pragma once

#include <string>
#include <string_view>

#include "dconv/diagnostics.hpp"
#include "dconv/limits.hpp"

namespace dconv {

// The decoder refuses inputs larger than kMaxInputBytes (dconv/limits.hpp).

// Turns `bytes` into UTF-8 text:
// - BOM (UTF-8, UTF-16LE/BE, UTF-32LE/BE) is honoured and removed; it wins over
//   `encoding`, as in browsers (a note says so when they disagree);
// - `encoding` (an ICU converter name such as "GB18030", "Big5", "Shift_JIS",
//   "windows-1252") forces a charset; an unknown name throws Error(usage), even for
//   empty input;
// - otherwise: UTF-16/32 without BOM is recognised by its NUL bytes (CJK UTF-16 by a
//   weaker NUL pattern and a decode into East Asian text); valid UTF-8 is kept; a file
//   where some lines are UTF-8 beyond doubt and others in a legacy charset is decoded
//   line by line, each line in its own encoding, with one warning naming the legacy
//   lines; UTF-8 with a few stray bytes (fewer invalid bytes than well-formed multibyte
//   characters) stays UTF-8, each invalid byte becoming U+FFFD with a warning giving its
//   byte offset in `bytes` (the first 5, then one count); anything else is detected with ICU's charset
//   detector plus a structural check for short CJK text (which ucsdet misreads) and
//   converted, with a note naming the guess and how it was made;
// - CRLF, CR, VT, FF, NEL, U+2028 and U+2029 become LF; NBSP, U+1680, U+2000-U+200A,
//   U+202F, U+205F and U+3000 (ideographic space) become an ASCII space; U+200B, U+2060
//   and U+FEFF are dropped, ZWJ and ZWNJ kept; other C0/C1 controls are dropped (tab
//   is kept), with a note counting them;
// - the result is NFC.
// Throws Error(input) for binary data: a NUL in the first 64 KiB with more than 1% of
// those bytes NULs or other controls text never uses (one stray NUL in a text is only
// dropped). Throws Error(limit) for inputs over kMaxInputBytes. `file` is used in
// messages only.
// The multibyte East Asian charset (GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR, ISO-2022-*)
// that `bytes`, which are not valid UTF-8, are in beyond reasonable doubt as detection
// finds it (ICU's confident guess, or a clean decode into CJK text) and into which all of
// `bytes` decode with no sequence replaced, with how it was
// found ("GB18030 (clean decode into CJK text)"); empty when detection is not that sure.
// For a label that names a single-byte charset, which any bytes fit (the fetcher's
// check of a reply's charset).
struct ConfidentCharset {
    std::string encoding;  // an ICU converter name; empty: none
    std::string how;
};
ConfidentCharset confident_multibyte_charset(std::string_view bytes);

// How decode_text read its input, for a caller that reports it in its own words (the
// fetcher's warning about a reply's wrong charset).
struct DecodeInfo {
    enum class Method {
        empty,            // no bytes
        byte_order_mark,  // the BOM's encoding
        forced,           // the `encoding` argument
        utf8,             // valid UTF-8, or UTF-8 with a few stray bytes replaced
        wide_sniffed,     // UTF-16/32 without BOM, recognised by its NUL bytes
        detected,         // a legacy charset found by detection
        mixed,            // line by line: UTF-8, and `encoding` for the legacy lines
    };
    Method method = Method::empty;
    std::string encoding;  // the charset read ("UTF-8", "GB18030"...)
    std::string how;       // for `detected`: how ("ICU charset detector, confidence 45")
};

// `info`, when given, receives how the bytes were read.
std::string decode_text(std::string_view bytes, std::string_view encoding, Diagnostics& diag,
                        const std::string& file, DecodeInfo* info = nullptr);

}  // namespace dconv
