// markup_prescan.hpp: what the HTML reader does to the markup before gumbo parses it.
//
// Two jobs, both on raw markup and both linear:
// - the charset a page declares (<meta charset>, http-equiv Content-Type, the XML
//   declaration), found in its first bytes the way browsers prescan, for the decode
//   stage that runs before any reader;
// - preparing the decoded text for gumbo: script and style bodies are cut out (more
//   than half the bytes of today's pages, and gumbo walks them character by character:
//   cutting them takes the parse of the dev set from 0.8 s to 0.2 s), and markup that
//   would make gumbo's tree construction quadratic is defused (100,000 nested <div>s
//   take gumbo 45 s; 50,000 attributes on one tag, 8 s). Line breaks are always kept,
//   so gumbo's line numbers still point into the original text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "dconv/limits.hpp"

namespace dconv::html {

// The browsers' prescan window: a declaration later than this is not honoured.
inline constexpr std::size_t kCharsetPrescanBytes = 1024;

// The limits on nesting and attributes (kMaxElementDepth, kMaxOpenFormatting,
// kMaxAttributes) are public: dconv/limits.hpp.

// The encoding `bytes` declare, as an ICU converter name, when the decode stage should
// use it: a legacy charset declared in the first kCharsetPrescanBytes, the bytes not
// valid UTF-8 (a page saved again as UTF-8 often keeps its old declaration) and not
// starting with a byte order mark (which wins, as in browsers). Names are mapped to the
// supersets browsers use (ISO-8859-1 and ASCII to windows-1252, GB2312 and GBK to
// GB18030, EUC-KR to windows-949). Empty when there is nothing to add to detection:
// no declaration, UTF-8 (or UTF-16, which on an ASCII-compatible page means UTF-8), a
// charset ICU does not know.
std::string declared_encoding(std::string_view bytes);

struct PrescanReport {
    std::size_t cut_bytes = 0;          // script, style and comment bodies removed
    std::size_t flattened_tags = 0;     // tags dropped for nesting deeper than the limit
    std::size_t dropped_attributes = 0; // attributes over kMaxAttributes
};

// Rewrites decoded markup in place for gumbo: the bodies of <script> (except JSON-LD,
// which the metadata pass reads) and <style> elements and of comments are removed,
// keeping their line breaks; start tags that would open an element deeper than
// kMaxElementDepth (by an estimate of the open elements that follows HTML's implied
// end tags for p, li, dt, dd, tr, td, th and option) and their end tags are removed, as
// are formatting start tags beyond kMaxOpenFormatting left open, and attributes beyond
// kMaxAttributes. Raw-text elements (<title>, <textarea>, <xmp>,
// <iframe>, <noembed>, <noframes>, <plaintext>) are passed through untouched.
PrescanReport prepare_markup(std::string& text);

}  // namespace dconv::html
