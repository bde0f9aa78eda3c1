// paragraph.hpp: setting one paragraph — breaking styled text into justified lines.
//
// Text is shaped with the fonts (FontTable::shape: kerning, ligatures, Arabic joining,
// Indic conjuncts) word by word, and lines break only between the clusters shaping made.
// Right-to-left and mixed text is ordered by the Unicode bidi algorithm (ICU's ubidi):
// lines are broken in logical order and each line's pieces then laid out visually.
//
// Latin text is broken by total fit (Knuth and Plass, "Breaking paragraphs into lines",
// 1981) over boxes, glue and penalties, with hyphenation from libhyphen's patterns. CJK
// text may break between any two characters except where kinsoku forbids it (no line
// starts with a closing mark such as ，。、」 and none ends with an opening one such as
// 「（); mixed runs follow UAX #14's rules at the seams.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/fonts.hpp"
#include "pdf/layout.hpp"

namespace dconv::pdf {

class Hyphenator;  // hyphenate.hpp

// A piece of text in one font and size. '\n' inside `text` is a forced line break.
struct Span {
    std::string text;  // UTF-8
    FontId font = 0;
    float size = 10;
    Color color;
    int link = -1;          // index into the caller's table of links, or -1
    bool breakable = true;  // false: spaces in it do not stretch and do not break (code)
    // An inline object the caller draws (an image in running text or a table cell): one
    // box `object_width` wide and `object_height` tall, never broken, without glyphs.
    // Its text is U+FFFC (the object replacement character), for the bidi algorithm.
    // -1: a span of text.
    int object = -1;
    float object_width = 0;
    float object_height = 0;
};

enum class Align { justify, left, center, right };

// A paragraph's base direction (UAX #9): automatic takes that of its first strong
// character (Arabic or Hebrew: right to left), as HTML's dir="auto" does. In a
// right-to-left paragraph, Align::left and Align::right mean start and end: the text
// starts at the right margin, where the first line's indent is.
enum class Direction { automatic, left_to_right, right_to_left };

struct ParagraphStyle {
    float width = 400;         // the measure, in points
    float first_indent = 0;    // extra indent of the first line
    Align align = Align::justify;
    Direction direction = Direction::automatic;
    const Hyphenator* hyphenator = nullptr;  // none: no hyphenation (or by the language below)
    // Without `hyphenator`: the language (BCP 47) whose dictionary hyphenates
    // (Hyphenator::for_language), looked up only when a paragraph needs hyphenating.
    // Loading a dictionary costs as much as setting a few hundred paragraphs, and many
    // documents set every paragraph without. Empty: no hyphenation.
    std::string_view hyphenation_language;
    // The space (em of the larger size) put between Han or kana and a Latin letter or
    // digit written against it ("中文English"): glue that justification may stretch as
    // CJK glue, and a break there as before. 0: none.
    float autospace_em = 0;
    // Knuth-Plass parameters, as TeX names them. hyphen_penalty also serves as TeX's
    // \exhyphenpenalty (a break after an explicit hyphen or dash) and for breaks between
    // the characters of a word too long for the line.
    float tolerance = 200, pretolerance = 100;
    float line_penalty = 10, hyphen_penalty = 50;
    float double_hyphen_demerits = 10000, adjacent_fitness_demerits = 10000;
    float final_hyphen_demerits = 5000;  // a hyphen ending the next to last line
};

// A piece of a set line: shaped text at x (from the line's left edge, in points).
struct Fragment {
    float x = 0;
    // To the end of the last glyph's advance, with char_spacing between glyphs (PDF adds
    // it after the last one too; that is not counted: what follows on the line has its
    // own x).
    float width = 0;
    FontId font = 0;
    float size = 10;
    std::string text;                 // the source, in logical order
    std::vector<PlacedGlyph> glyphs;  // visual order, clusters into `text`
    float char_spacing = 0;
    Color color;
    int link = -1;
    bool right_to_left = false;
    int object = -1;  // the span's inline object (no glyphs: the caller draws it), or -1
};

// A fragment as a run drawn with its left edge at x and its baseline at y.
GlyphRun glyph_run(Fragment fragment, float x, float y);

struct Line {
    std::vector<Fragment> fragments;
    float width = 0;        // of the set text (from the first fragment's x, so without indent)
    float ascent = 0;       // the tallest span on the line: size * 0.8 (cap height-ish)
    float size = 0;         // the largest size on the line
    float object_height = 0;  // the tallest inline object on the line (0: none)
    bool hyphenated = false;
    bool overfull = false;  // nothing fit: a part wider than the measure
    bool right_to_left = false;  // the paragraph's direction: markers go on the right
};

struct SetStats {
    std::size_t missing_glyphs = 0;  // characters no font has, drawn as '?'
    std::vector<char32_t> missing_characters;  // which ones (sorted, unique)
    std::size_t hyphens = 0;
    std::size_t overfull_lines = 0;
    int passes = 0;  // 1: no hyphenation needed, 2: hyphenated, 3: emergency stretch
};

// What set_paragraph keeps to set the same spans again at another measure (a heading is
// balanced by setting it at a dozen measures): the items of its first pass, while the
// new measure would make the same ones. One memo serves one FontTable and one thread;
// set_paragraph compares the spans and style it is given with those it kept.
class ParagraphMemo {
public:
    ParagraphMemo();
    ~ParagraphMemo();
    ParagraphMemo(const ParagraphMemo&) = delete;
    ParagraphMemo& operator=(const ParagraphMemo&) = delete;

    struct State;  // paragraph.cpp
    std::unique_ptr<State> state;
};

// Breaks `spans` into lines of `style.width`, in TeX's passes: without hyphenation within
// pretolerance, then hyphenated within tolerance, then with emergency stretch. Never
// fails: text that cannot fit is split where it must (a word longer than the measure
// breaks between characters) and counted in `stats`. Keeps no state between calls, so
// threads may set paragraphs at once, sharing a FontTable whose methods are thread-safe.
// `memo`, when given, makes setting the same spans again at another measure cheaper
// (the lines are the same as without).
std::vector<Line> set_paragraph(const std::vector<Span>& spans, const ParagraphStyle& style,
                                const FontTable& fonts, SetStats* stats = nullptr, ParagraphMemo* memo = nullptr);

}  // namespace dconv::pdf
