// print_style.hpp: the page styles of PDF editions (--style NAME|FILE, --paper).
//
// A print style is a small subset of CSS (see styles/print/default.css for the grammar):
// the built-in ones are styles/print/*.css, compiled into the library. Parsing resolves
// inheritance and units, so the typesetter sees plain points.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dconv/styles.hpp"
#include "pdf/fonts.hpp"
#include "pdf/layout.hpp"
#include "pdf/paragraph.hpp"

namespace dconv::pdf {

// The parts of a page a style can set.
enum class Element {
    body, h1, h2, h3, h4, h5, h6, title, subtitle, byline, source, running_header,
    page_number, pre, code, blockquote, li, a, hr, toc, toc_chapter,
    figcaption,  // under an image
    caption,     // above a table
    table,       // the text of table cells (its margins: the table's space above and below)
    footnote,    // notes at the foot of the page
};
inline constexpr std::size_t kElementCount = static_cast<std::size_t>(Element::footnote) + 1;

// The selector that names an element ("running-header"), and back.
std::string_view element_name(Element e);

struct TextStyle {
    Family family = Family::serif;
    bool bold = false, italic = false;
    float size = 11;     // points
    float leading = 14;  // baseline to baseline, points
    float margin_top = 0, margin_bottom = 0, margin_left = 0, margin_right = 0;
    float indent = 0;    // of a paragraph's first line
    Align align = Align::justify;
    bool hyphenate = true;
    // A quarter-em space between Han or kana and a Latin letter or digit written against
    // it (CSS Text 4's text-autospace; JLREQ and the Chinese layout requirements
    // recommend it, and xeCJK sets it by default). On unless a style says
    // `text-autospace: no-autospace`.
    bool autospace = true;
    Color color;
};

struct PaperSize {
    float width = 595.276f, height = 841.89f;  // points
};

struct PrintStyle {
    std::string name;  // "default", or the file's path
    PaperSize paper;
    float margin_top = 68, margin_right = 85, margin_bottom = 74, margin_left = 85;
    std::array<TextStyle, kElementCount> elements;
    // What the style says that print cannot honour, ignored: empty, or one message
    // naming the file and line of the first such thing and counting the rest.
    std::string ignored;

    const TextStyle& operator[](Element e) const { return elements[static_cast<std::size_t>(e)]; }
    TextStyle& operator[](Element e) { return elements[static_cast<std::size_t>(e)]; }
    float measure() const { return paper.width - margin_left - margin_right; }
};

// Parses a style: a print style, or a screen style shared with HTML and EPUB. Element
// selectors are honoured (p, html and article style body; ul and ol li), with
// font-family lists (the first family that maps to a face: Times and serif to Liberation
// Serif, Arial and sans-serif to Sans, Courier and monospace to Mono), sizes, weights,
// styles, line heights, alignment, indents, hyphens, colours (#rgb, #rrggbb, rgb(), common
// names), margins and @page size and margin. Anything else (other selectors, @media and
// other at-rules, other properties, values print cannot use) is ignored and described in
// PrintStyle::ignored. Throws dconv::Error(usage) naming the file and line of a syntax
// error (a comment or block not closed, a declaration without a colon).
PrintStyle parse_print_style(std::string_view css, std::string_view file);

// A built-in style by name, else a CSS file (kMaxStyleBytes at most). Empty: "default".
PrintStyle load_print_style(std::string_view name_or_file);

// The style an edition is set in: load_print_style(style) on `paper` when one is given
// (see parse_paper). Throws dconv::Error(usage) also when the paper is too small for
// the style's margins.
PrintStyle print_style_for(std::string_view style, std::string_view paper);

std::vector<StyleInfo> builtin_print_styles();

// "a4", "letter", "a5", "legal", or two lengths ("150mm 220mm", "6in 9in", "420x595"
// in points). Throws dconv::Error(usage) for anything else.
PaperSize parse_paper(std::string_view text);

}  // namespace dconv::pdf
