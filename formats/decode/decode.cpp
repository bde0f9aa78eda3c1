// decode.cpp: the decode pass: pick the encoding (BOM, --encoding, UTF-8, detection),
// convert to UTF-8, then clean and normalise (utf8_clean.cpp).
//
// Order of the decisions, and why:
//  1. size limit, then --encoding is checked even for empty input (a typo is a usage
//     error whatever the file holds);
//  2. a BOM wins over --encoding, as in browsers (WHATWG "BOM sniff"): it is written by
//     the program that encoded the text and is rarely wrong, while a forced encoding is
//     often a batch-wide default;
//  3. without BOM or --encoding: UTF-16/32 recognised by their NUL bytes, before the
//     binary check (which NULs would otherwise trip), then binary data refused, then
//     UTF-8 tried, then a legacy charset detected.
// UTF-8 with a few stray bytes stays UTF-8 (each bad byte becomes U+FFFD with a
// warning); text with more bad bytes than good multibyte characters is legacy: a page in
// windows-1252 or GBK is full of bytes that are invalid UTF-8 and has next to no valid
// multibyte sequences (18% of GB2312's level-1 hanzi are valid UTF-8 by accident alone,
// 15% of EUC-JP kanji, 9% of EUC-KR hangul, but rarely several in a row), while
// a UTF-8 page damaged by a copy-paste has many good sequences for each bad byte.
#include "decode/decode.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

#include "decode/charset.hpp"
#include "core/text.hpp"
#include "decode/utf8_clean.hpp"
#include "dconv/limits.hpp"

namespace dconv {

namespace {

using namespace decode_detail;

const char* const kPass = "decode";

// The action is the pass's name: --explain=json's readers find decode notes by it, and
// --explain's text leaves it out (it printed "decode: decode: not UTF-8").
void note(Diagnostics& diag, std::string message) {
    Diagnostic d;
    d.pass = kPass;
    d.action = kPass;
    d.reason = std::move(message);
    diag.note(std::move(d));
}

void warn(Diagnostics& diag, std::string message) { diag.warn(kPass, std::move(message)); }

std::string hex_byte(unsigned char byte) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02X", byte);
    return buffer;
}

// `bytes` is what was cleaned, starting at `base_offset` of the input: the line of an
// invalid byte is counted in it, so that the warning names file, line and offset.
void report_invalid_bytes(const CleanReport& report, std::string_view bytes, std::size_t base_offset,
                          Diagnostics& diag) {
    std::size_t listed = std::min(report.invalid_bytes, kReportedInvalidBytes);
    std::size_t line = 1, counted = 0;
    for (std::size_t i = 0; i < listed; ++i) {
        std::size_t at = std::min(bytes.size(), report.invalid_offsets[i] - std::min(report.invalid_offsets[i], base_offset));
        if (at > counted) {
            line += static_cast<std::size_t>(std::count(bytes.begin() + static_cast<long>(counted),
                                                        bytes.begin() + static_cast<long>(at), '\n'));
            counted = at;
        }
        diag.warn(kPass, "invalid UTF-8 byte " + hex_byte(report.invalid_values[i]) + " at offset " +
                             std::to_string(report.invalid_offsets[i]) + " replaced",
                  static_cast<std::uint32_t>(line));
    }
    if (report.invalid_bytes > listed)
        warn(diag, std::to_string(report.invalid_bytes - listed) +
                       " more invalid UTF-8 bytes replaced (" +
                       std::to_string(report.invalid_bytes) + " in all)");
}

void report_dropped_controls(const CleanReport& report, Diagnostics& diag) {
    if (report.dropped_controls == 0) return;
    std::string message = "dropped " + std::to_string(report.dropped_controls) +
                          " control character" + (report.dropped_controls == 1 ? "" : "s");
    if (report.nul_bytes) message += " (" + std::to_string(report.nul_bytes) + " NUL)";
    note(diag, std::move(message));
}

// Cleans and normalises UTF-8 that a converter produced (so it is well-formed).
std::string finish_converted(const std::string& utf8, Diagnostics& diag) {
    std::string text;
    CleanReport report;
    if (clean_utf8(utf8, 0, text, report)) to_nfc(text);
    report_dropped_controls(report, diag);
    return text;
}

std::string convert(std::string_view bytes, UConverter* converter, Diagnostics& diag,
                    const std::string& file) {
    std::size_t substitutions = 0;
    std::string utf8 = convert_to_utf8(bytes, converter, substitutions, file);
    if (substitutions) {
        UErrorCode status = U_ZERO_ERROR;
        warn(diag, std::to_string(substitutions) + " byte sequence" +
                       (substitutions == 1 ? "" : "s") + " not valid in " +
                       ucnv_getName(converter, &status) + " replaced with U+FFFD");
    }
    return finish_converted(utf8, diag);
}

std::string convert(std::string_view bytes, const std::string& encoding, Diagnostics& diag,
                    const std::string& file) {
    ConverterPtr converter = open_converter(encoding);
    if (!converter)
        throw Error(ErrorKind::internal, file, 0, "ICU has no converter for " + encoding);
    return convert(bytes, converter.get(), diag, file);
}

// UTF-8 input: cleaned in one pass, invalid bytes replaced and reported.
std::string decode_utf8(std::string_view bytes, std::size_t base_offset, Diagnostics& diag) {
    std::string text;
    CleanReport report;
    if (clean_utf8(bytes, base_offset, text, report)) to_nfc(text);
    report_invalid_bytes(report, bytes, base_offset, diag);
    report_dropped_controls(report, diag);
    return text;
}

void refuse_binary(std::string_view bytes, const std::string& file) {
    std::size_t nul = binary_offset(bytes.substr(0, kSniffBytes));
    if (nul != std::string_view::npos)
        throw Error(ErrorKind::input, file, 0,
                    "binary data, not text (NUL bytes at offset " + std::to_string(nul) + ")");
}

std::string decode_forced(std::string_view bytes, UConverter* converter, Diagnostics& diag,
                          const std::string& file) {
    if (is_utf8_converter(converter)) {
        refuse_binary(bytes, file);
        return decode_utf8(bytes, 0, diag);
    }
    // Binary data is refused in charsets where NUL bytes mean U+0000, not in UTF-16/32.
    if (ucnv_getMinCharSize(converter) == 1) refuse_binary(bytes, file);
    return convert(bytes, converter, diag, file);
}

// ---------------------------------------------------------------- mixed encodings
//
// A page assembled from several sources (a UTF-8 template around text pasted from a GBK
// page, a file whose second half was appended in another encoding) fits no single
// encoding: decoded as UTF-8 its legacy lines become U+FFFD, decoded as the legacy
// charset its UTF-8 lines become mojibake. Such a file is decoded line by line: each
// line's bytes say which encoding it is in.

// A line whose bytes form at least this many well-formed multibyte UTF-8 sequences and
// no invalid byte is UTF-8 beyond doubt: a legacy DBCS character is valid UTF-8 by
// accident often (18% of GB2312's level-1 hanzi, 15% of EUC-JP kanji, 9% of EUC-KR
// hangul), so a line of one or two is, but three in a row rarely.
constexpr std::size_t kMinUtf8LineSequences = 3;
// A line with good sequences and bad bytes is legacy only when the bad bytes outnumber
// the good sequences this many times: a GBK line has well over this (most of its pairs
// give one or two bad bytes, a few a sequence by accident), UTF-8 with a stray byte or a
// pair of windows-1252 quotes beside one accent has fewer.
constexpr std::size_t kLegacyInvalidPerSequence = 3;
// Without a line UTF-8 beyond doubt, a file is mixed by the majority of its lines only
// when at least this many are valid UTF-8 beyond ASCII, or when each of them has ASCII
// words around its sequences (a Latin line with an accent or a dash): one or two lines
// of a lone hanzi are valid UTF-8 by accident too often to outvote a GBK line.
constexpr std::size_t kMinMajorityLines = 3;
constexpr std::size_t kMinWordedLineLetters = 4;
// Lines named one by one in the warning (as ranges); the rest are counted.
constexpr std::size_t kReportedLineRanges = 8;

enum class LineKind : unsigned char {
    ascii,      // no byte above 0x7F: the same in UTF-8 and every ASCII-based charset
    utf8,       // UTF-8 beyond doubt, or with a few stray bytes among good sequences
    ambiguous,  // valid UTF-8 with too few sequences to tell: its neighbours decide
    legacy,     // no good sequence, or far more invalid bytes than good ones: another charset
};

struct LineClass {
    LineKind kind;
    bool worded = false;  // kMinWordedLineLetters ASCII letters or more
};

LineClass classify_line(std::string_view line) {
    const auto* p = reinterpret_cast<const unsigned char*>(line.data());
    const std::size_t n = line.size();
    std::size_t invalid = 0, sequences = 0, letters = 0;
    bool high = false;
    for (std::size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            letters += (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
            ++i;
            continue;
        }
        high = true;
        std::size_t length = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        bool ok = length > 0 && i + length <= n;
        for (std::size_t k = 1; ok && k < length; ++k) ok = (p[i + k] & 0xC0) == 0x80;
        if (ok && length >= 3) {  // no overlong forms, surrogates or code points past U+10FFFF
            unsigned char second = p[i + 1];
            ok = !(c == 0xE0 && second < 0xA0) && !(c == 0xED && second > 0x9F) &&
                 !(c == 0xF0 && second < 0x90) && !(c == 0xF4 && second > 0x8F);
        }
        if (!ok) {
            ++invalid;
            ++i;
            continue;
        }
        ++sequences;
        i += length;
    }
    const bool worded = letters >= kMinWordedLineLetters;
    if (!high) return {LineKind::ascii, worded};
    if (invalid == 0) return {sequences >= kMinUtf8LineSequences ? LineKind::utf8 : LineKind::ambiguous, worded};
    // UTF-8 with a stray byte beside a good sequence ("Jos\xC3\xA9\x92s") stays UTF-8, its
    // byte replaced; only lines with no good sequence, or bad bytes far outnumbering
    // them, are another charset.
    bool legacy = sequences == 0 || invalid >= kLegacyInvalidPerSequence * sequences;
    return {legacy ? LineKind::legacy : LineKind::utf8, worded};
}

// "3, 7-9, 15": the 1-based line ranges of `lines` (sorted), the first few.
std::string describe_lines(const std::vector<std::uint32_t>& lines) {
    std::string out;
    std::size_t ranges = 0, left = 0;
    for (std::size_t i = 0; i < lines.size();) {
        std::size_t j = i;
        while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1) ++j;
        if (ranges < kReportedLineRanges) {
            // appended piece by piece: `"-" + std::to_string(n)` makes GCC 12 warn of a
            // memcpy overlap that cannot happen (a -Wrestrict false positive)
            if (!out.empty()) out += ", ";
            out += std::to_string(lines[i]);
            if (j > i) {
                out += '-';
                out += std::to_string(lines[j]);
            }
        } else {
            ++left;
        }
        ++ranges;
        i = j + 1;
    }
    if (left) out += " and " + std::to_string(left) + " more range" + (left == 1 ? "" : "s");
    return out;
}

// Appends the cleaned form of `piece` to `out`, growing `out` geometrically (clean_utf8
// reserves exactly what one call needs, which over many pieces would be quadratic).
bool append_cleaned(std::string_view piece, std::size_t base_offset, std::string& out, CleanReport& report) {
    if (out.capacity() < out.size() + piece.size())
        out.reserve(std::max(out.capacity() * 2, out.size() + piece.size()));
    return clean_utf8(piece, base_offset, out, report);
}

// Decodes `bytes` line by line when some lines are UTF-8 beyond doubt and others are in
// a legacy charset; nothing when the file is in one encoding (or too unclear to split).
std::optional<std::string> decode_mixed(std::string_view bytes, Diagnostics& diag, const std::string& file,
                                        DecodeInfo& info) {
    std::vector<LineKind> kinds;
    std::vector<std::size_t> starts;
    std::size_t utf8_lines = 0, ambiguous_lines = 0, worded_ambiguous_lines = 0, legacy_lines = 0;
    for (std::size_t at = 0; at < bytes.size();) {
        std::size_t end = bytes.find('\n', at);
        end = end == std::string_view::npos ? bytes.size() : end + 1;
        auto [kind, worded] = classify_line(bytes.substr(at, end - at));
        utf8_lines += kind == LineKind::utf8;
        ambiguous_lines += kind == LineKind::ambiguous;
        worded_ambiguous_lines += kind == LineKind::ambiguous && worded;
        legacy_lines += kind == LineKind::legacy;
        kinds.push_back(kind);
        starts.push_back(at);
        at = end;
        poll_deadline();
    }
    // Mixed when some lines are UTF-8 beyond doubt, or, whatever the file's length, when
    // most lines beyond ASCII are valid UTF-8 though each has too few sequences to be sure
    // alone (a short note with an "é" line, a "—" line and one GBK line, which was read
    // whole as windows-1252), given enough of them (kMinMajorityLines) or Latin words
    // around each: a lone GBK character is valid UTF-8 by accident about one time in six,
    // a windows-1252 letter before ASCII never. One pass over the lines: linear.
    const bool majority = ambiguous_lines > legacy_lines &&
                          (ambiguous_lines >= kMinMajorityLines || worded_ambiguous_lines == ambiguous_lines);
    if (legacy_lines == 0 || (utf8_lines == 0 && !majority)) return std::nullopt;
    starts.push_back(bytes.size());

    // An ambiguous line goes with the nearest decided line before it (after it, at the
    // start): a short line in a run of GBK is GBK. Without a line UTF-8 beyond doubt, the
    // ambiguous lines are the majority that made the file mixed: each is UTF-8.
    LineKind last = LineKind::utf8;
    bool seen = false;
    for (std::size_t i = 0; i < kinds.size(); ++i)
        if (kinds[i] == LineKind::ambiguous && utf8_lines == 0) {
            kinds[i] = LineKind::utf8;
        } else if (kinds[i] == LineKind::utf8 || kinds[i] == LineKind::legacy) {
            if (!seen)
                for (std::size_t k = 0; k < i; ++k)
                    if (kinds[k] == LineKind::ambiguous) kinds[k] = kinds[i];
            seen = true;
            last = kinds[i];
        } else if (kinds[i] == LineKind::ambiguous) {
            kinds[i] = last;
        }

    std::string sample;
    std::vector<std::uint32_t> legacy_numbers;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (kinds[i] != LineKind::legacy) continue;
        legacy_numbers.push_back(static_cast<std::uint32_t>(i + 1));
        if (sample.size() < kSniffBytes)
            sample.append(bytes.substr(starts[i], std::min(starts[i + 1] - starts[i], kSniffBytes - sample.size())));
    }
    CharsetGuess guess = detect_legacy_charset(sample, false);
    ConverterPtr converter = open_converter(guess.encoding);
    if (!converter) return std::nullopt;

    // Runs of lines in one encoding; ASCII lines join the run they are in.
    std::string text;
    CleanReport utf8_report, legacy_report;
    bool needs_nfc = false;
    std::size_t substitutions = 0;
    for (std::size_t i = 0; i < kinds.size();) {
        bool legacy = kinds[i] == LineKind::legacy;
        std::size_t j = i + 1;
        while (j < kinds.size() && (kinds[j] == LineKind::ascii || (kinds[j] == LineKind::legacy) == legacy)) ++j;
        std::string_view run = bytes.substr(starts[i], starts[j] - starts[i]);
        if (legacy) {
            std::string converted = convert_to_utf8(run, converter.get(), substitutions, file);
            needs_nfc |= append_cleaned(converted, 0, text, legacy_report);
        } else {
            needs_nfc |= append_cleaned(run, starts[i], text, utf8_report);
        }
        i = j;
    }
    if (needs_nfc) to_nfc(text);
    info = {DecodeInfo::Method::mixed, guess.encoding, guess.how};

    Diagnostic d;
    d.pass = kPass;
    d.severity = Severity::warning;
    d.first_line = legacy_numbers.front();
    d.reason = "mixed encodings: line" + std::string(legacy_numbers.size() == 1 ? " " : "s ") +
               describe_lines(legacy_numbers) + " read as " + guess.encoding + ", the rest as UTF-8";
    diag.warn(std::move(d));
    if (substitutions)
        warn(diag, std::to_string(substitutions) + " byte sequence" + (substitutions == 1 ? "" : "s") +
                       " not valid in " + guess.encoding + " replaced with U+FFFD");
    report_invalid_bytes(utf8_report, bytes, 0, diag);
    utf8_report.dropped_controls += legacy_report.dropped_controls;
    utf8_report.nul_bytes += legacy_report.nul_bytes;
    report_dropped_controls(utf8_report, diag);
    return text;
}

std::string decode_detected(std::string_view bytes, Diagnostics& diag, const std::string& file, DecodeInfo& info) {
    std::string_view sample = bytes.substr(0, kSniffBytes);
    if (const char* wide = sniff_utf16_or_32(sample)) {
        info = {DecodeInfo::Method::wide_sniffed, wide, {}};
        note(diag, std::string("no byte order mark; NUL bytes show ") + wide + ", converted");
        return convert(bytes, wide, diag, file);
    }
    refuse_binary(bytes, file);

    std::string text;
    CleanReport report;
    bool needs_nfc = clean_utf8(bytes, 0, text, report);
    if (report.invalid_bytes > 0) {
        if (std::optional<std::string> mixed = decode_mixed(bytes, diag, file, info)) return std::move(*mixed);
    }
    bool utf8 = report.invalid_bytes == 0 ? !(report.saw_escape && looks_like_iso2022(sample))
                                          : report.multibyte_chars > report.invalid_bytes;
    if (utf8) {
        info = {DecodeInfo::Method::utf8, "UTF-8", {}};
        if (needs_nfc) to_nfc(text);
        report_invalid_bytes(report, bytes, 0, diag);
        report_dropped_controls(report, diag);
        return text;
    }
    text = std::string();  // the legacy conversion below needs the memory more

    CharsetGuess guess = detect_legacy_charset(sample, sample.size() == bytes.size());
    info = {DecodeInfo::Method::detected, guess.encoding, guess.how};
    if (guess.confidence) info.how += ", confidence " + std::to_string(guess.confidence);
    note(diag, "not UTF-8; read as " + guess.encoding + " (" + info.how + ")");
    return convert(bytes, guess.encoding, diag, file);
}

}  // namespace

ConfidentCharset confident_multibyte_charset(std::string_view bytes) {
    std::string_view sample = bytes.substr(0, kSniffBytes);
    if (text::skip_ascii(sample, 0) == sample.size()) return {};  // no byte beyond ASCII: nothing to tell
    CharsetGuess guess = detect_legacy_charset(sample, sample.size() == bytes.size());
    if (!guess.confident_multibyte) return {};
    // ucsdet's trusted guess can be wrong (Thai in cp874 is GB18030 to it, confidence 55,
    // with bytes GB18030 does not allow): the whole body must decode with none replaced.
    ConverterPtr converter = open_converter(guess.encoding);
    if (!converter) return {};
    std::size_t substitutions = 0;
    convert_to_utf8(bytes, converter.get(), substitutions, std::string());
    if (substitutions) return {};
    return {guess.encoding, guess.how};
}

std::string decode_text(std::string_view bytes, std::string_view encoding, Diagnostics& diag,
                        const std::string& file, DecodeInfo* info) {
    DecodeInfo ignored;
    DecodeInfo& how = info ? *info : ignored;
    how = {};
    if (bytes.size() > kMaxInputBytes)
        throw Error(ErrorKind::limit, file, 0,
                    "input of " + std::to_string(bytes.size()) + " bytes is over the limit of " +
                        std::to_string(kMaxInputBytes) + " bytes");
    ConverterPtr forced;
    if (!encoding.empty()) {
        forced = open_converter(encoding);
        if (!forced)
            throw Error(ErrorKind::usage, file, 0,
                        "unknown encoding '" + std::string(encoding) + "'");
    }
    if (bytes.empty()) return {};

    ByteOrderMark bom = sniff_bom(bytes);
    if (bom.encoding) {
        if (forced && !is_unicode_converter(forced.get()))
            note(diag, std::string("byte order mark of ") + bom.encoding + " overrides encoding '" +
                           std::string(encoding) + "'");
        std::string_view body = bytes.substr(bom.length);
        how = {DecodeInfo::Method::byte_order_mark, bom.encoding, {}};
        if (std::string_view(bom.encoding) == "UTF-8") return decode_utf8(body, bom.length, diag);
        return convert(body, bom.encoding, diag, file);
    }
    if (forced) {
        how = {DecodeInfo::Method::forced, std::string(encoding), {}};
        return decode_forced(bytes, forced.get(), diag, file);
    }
    return decode_detected(bytes, diag, file, how);
}

}  // namespace dconv
