// charset.hpp: what the decode pass knows about byte encodings other than UTF-8: byte
// order marks, UTF-16/32 without one, binary data, legacy charset detection (ICU ucsdet
// plus a structural check for short CJK text) and conversion to UTF-8 (ICU ucnv).
//
// Private to formats/decode; decode.cpp strings these together.
#pragma once

#include <unicode/ucnv.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace dconv::decode_detail {

// Detection looks at this much of the input: enough for any real page's statistics,
// and it keeps detection O(1) for large inputs.
inline constexpr std::size_t kSniffBytes = 64 * 1024;

struct ConverterCloser {
    void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// The ICU converter for `name`, or nullptr when ICU knows no such charset.
ConverterPtr open_converter(std::string_view name);

// Unicode encodings (UTF-8/16/32 in any byte order): a BOM for one of these agrees
// with a forced encoding of another, since both say "Unicode".
bool is_unicode_converter(UConverter* converter);
bool is_utf8_converter(UConverter* converter);

struct ByteOrderMark {
    const char* encoding = nullptr;  // ICU converter name; nullptr: no BOM
    std::size_t length = 0;
};
ByteOrderMark sniff_bom(std::string_view bytes);

// "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE" when `sample` is such text without a
// BOM, recognised by NUL bytes that fall on one byte position of each code unit and a
// clean decode; nullptr otherwise. CJK text has NULs only in its ASCII (line ends,
// digits) and some in ideographs whose low byte is 0 (U+4E00): when its NULs lean to one
// side less clearly, it is taken as UTF-16 only if nearly all of it decodes to East
// Asian or ASCII text in that byte order. Text without a single NUL is not recognised.
const char* sniff_utf16_or_32(std::string_view sample);

// Offset of the first NUL byte when `sample` looks like binary data rather than text:
// it holds a NUL and more than kBinaryControlPercent of its bytes are NULs or other
// controls that text never uses. std::string_view::npos otherwise, so that one stray
// NUL in a text (a scraping accident) costs a dropped character, not the document.
inline constexpr std::size_t kBinaryControlPercent = 1;
// ... and at least this many of them: a stray NUL or two in a short text is dropped, the
// text kept (binary data has them by the dozen).
inline constexpr std::size_t kMinBinaryControls = 4;
std::size_t binary_offset(std::string_view sample);

// A guessed legacy charset, with how it was found (for the note).
struct CharsetGuess {
    std::string encoding;  // an ICU converter name
    int confidence = 0;    // ucsdet's 0-100; 0 when a fallback
    std::string how;       // "ICU charset detector", ...
    // A multibyte East Asian charset found beyond reasonable doubt (ucsdet's trusted
    // guess, or a clean decode into CJK text): Latin text does not do either by accident.
    bool confident_multibyte = false;
};

// Guesses the charset of `sample`, which is not UTF-8. ucsdet's answer is taken when it
// names a multibyte CJK charset with confidence; otherwise a structural check for CJK
// text runs (ucsdet rates short CJK text with 10 and prefers any single-byte guess,
// sometimes with 98: decoding cleanly as GB18030, Shift_JIS... into runs of ideographs
// and kana is far stronger evidence); otherwise ucsdet's best single-byte guess, and
// windows-1252 when it has none.
CharsetGuess detect_legacy_charset(std::string_view sample, bool sample_is_whole_input);

// True for pure ASCII text holding ISO-2022 escape sequences (ESC $ or ESC ( ).
bool looks_like_iso2022(std::string_view sample);

// Converts `bytes` from `source`'s charset to UTF-8. Sequences that are invalid or
// unmapped become U+FFFD and are counted in `substitutions`.
std::string convert_to_utf8(std::string_view bytes, UConverter* source,
                            std::size_t& substitutions, const std::string& file);

}  // namespace dconv::decode_detail
