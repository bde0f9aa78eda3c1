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

namespace dconv::html {

// The browsers' prescan window: a declaration later than this is not honoured.
inline constexpr std::size_t kCharsetPrescanBytes = 1024;

// Elements nested deeper than this have their tags dropped before parsing: their text
// stays, inside the innermost element kept. Gumbo searches its stack of open elements
// for most tags, so its time grows with the square of the nesting: 1,000 levels cost a
// millisecond, 20,000 more than a second. Real pages stay under 100.
inline constexpr std::size_t kMaxElementDepth = 512;

// Formatting elements (a, b, i, font, ...) left open beyond this many have their tags
// dropped: HTML reopens every open one in each block that follows, so that 10 MB of
// unclosed <b x=1>, <b x=2>... grow a tree quadratic in size (gumbo: minutes). Real
// pages leave a handful open.
inline constexpr std::size_t kMaxOpenFormatting = 32;

// Attributes of one tag beyond this many are dropped: gumbo checks each new attribute
// against all earlier ones (quadratic). Real tags carry a dozen or two.
inline constexpr std::size_t kMaxAttributes = 64;

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
