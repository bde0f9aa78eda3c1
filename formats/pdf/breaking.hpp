// breaking.hpp: total-fit line breaking (Knuth and Plass, "Breaking paragraphs into
// lines", 1981), over an abstract list of boxes, glue and penalties.
//
// Knows nothing of text or fonts: paragraph.cpp turns styled text into items, asks for
// the breaks, and sets the lines. The algorithm is TeX's (tex.web §813-890): badness
// from the adjustment ratio, four fitness classes, demerits for the line, its penalty,
// consecutive hyphens and abrupt changes of tightness, and an active list that drops a
// break as soon as the line from it cannot fit any more, which keeps the work linear in
// the paragraph's length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dconv::pdf {

// TeX's infinity: a penalty this high forbids a break, this low forces one.
inline constexpr float infinite_penalty = 10000;
// TeX's inf_bad: the badness of a line that has no stretch to reach the measure.
inline constexpr float infinite_badness = 10000;

struct BreakItem {
    enum class Kind : std::uint8_t { box, glue, penalty };
    Kind kind = Kind::box;
    bool flagged = false;  // a penalty at a hyphen: two in a row cost double_hyphen_demerits
    std::uint8_t tag = 0;  // the caller's (what the item stands for); not read here
    float width = 0;       // a penalty's width is set only when the line breaks there
    float stretch = 0;     // glue
    float shrink = 0;      // glue
    float penalty = 0;     // a penalty's cost, ±infinite_penalty to forbid or force a break
};

struct BreakParameters {
    float first_width = 0;  // the first line's measure
    float width = 0;        // the other lines' measure
    float tolerance = 200;  // the worst badness a line may have
    float line_penalty = 10;
    float double_hyphen_demerits = 10000;
    float final_hyphen_demerits = 5000;  // for a hyphen at the end of the next to last line
    float adjacent_fitness_demerits = 10000;
    // Added to every line's stretch: TeX's \rightskip stretch for ragged lines,
    // \emergencystretch in the last pass.
    float background_stretch = 0;
    // Never fail. Where every way on would overflow a line, TeX's final pass makes the
    // overfull line; this one makes an underfull line instead, ending at the last break
    // before, unless what overflows is one part wider than the measure (then the line
    // holds just that part, overfull).
    bool final_pass = false;
};

// The indices of the items at which lines end: glue or penalties, the last one the
// paragraph's final forced break. Empty when no set of breaks keeps every line within the
// tolerance (never in the final pass). `items` must end with a forced break (a penalty of
// -infinite_penalty). A line that ends at a forced break is set ragged: its glue does
// not stretch, as if it ended with \parfillskip.
std::vector<std::size_t> find_breaks(std::span<const BreakItem> items, const BreakParameters& parameters);

// The first item of the line that follows a break at `position`: glue and penalties
// after a break are discarded, up to the next box or forced break.
std::size_t line_start(std::span<const BreakItem> items, std::size_t position);

}  // namespace dconv::pdf
