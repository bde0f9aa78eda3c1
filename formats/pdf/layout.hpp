// layout.hpp: what the PDF writer's typesetter produces and its renderer draws — pages
// of positioned text runs, rules and link areas, plus the outline and document info.
//
// The display list is plain data, independent of libharu: the typesetter (typeset.cpp)
// can be tested without making a PDF, and the renderer (render.cpp) knows nothing of
// paragraphs, pages styles or the document model.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dconv {
struct Resource;  // dconv/document.hpp: an image's bytes, media type and pixel size
}

namespace dconv::pdf {

// An index into the FontTable a layout was made with (fonts.hpp).
using FontId = int;

struct Color {
    float r = 0, g = 0, b = 0;  // 0..1, DeviceRGB
    bool operator==(const Color&) const = default;
};

// One glyph of a shaped run, as HarfBuzz places it. Sizes are in em (times the run's
// size gives points).
struct PlacedGlyph {
    std::uint32_t id = 0;       // the glyph's index in the font file
    std::uint32_t cluster = 0;  // the byte in the run's text where its cluster starts
    float advance = 0;          // how far the pen moves after it
    float x_offset = 0, y_offset = 0;  // where it sits relative to the pen
};

// Text drawn with one font at one size, starting at (x, y): y is the baseline, in points
// from the page's bottom edge. `glyphs` are what is drawn, left to right (a
// right-to-left run's glyphs come in visual order); `text` is the UTF-8 source they were
// shaped from, in logical order, which the PDF carries for copying and searching.
// `char_spacing` is added after every glyph (PDF's Tc), which is how a justified line of
// CJK text spreads. A run without glyphs is drawn by its characters' nominal glyphs (the
// font's cmap, no shaping), which is how tests and plain labels draw.
struct GlyphRun {
    FontId font = 0;
    float size = 10;
    float x = 0, y = 0;
    std::string text;
    std::vector<PlacedGlyph> glyphs;
    float char_spacing = 0;
    Color color;
    bool right_to_left = false;
};

// A straight line (rules, underlines of links in print are not drawn).
struct Rule {
    float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    float width = 0.5f;
    Color color;
};

struct Rect {
    float left = 0, bottom = 0, right = 0, top = 0;
};

// A clickable area: to a URI, or to a place in this document (page index, 0-based, and
// the y of the top of the view).
struct LinkArea {
    Rect rect;
    std::string uri;  // empty for an internal link
    int dest_page = -1;
    float dest_top = 0;
};

// An image drawn into `rect` (its pixels stretched to it: the typesetter keeps the
// aspect). The renderer embeds each resource once however often it is drawn: a JPEG as
// it is (DCTDecode), a PNG through libharu, a GIF or WebP converted to PNG first.
struct PlacedImage {
    Rect rect;
    std::shared_ptr<const Resource> resource;
};

struct Page {
    std::vector<GlyphRun> runs;
    std::vector<Rule> rules;
    std::vector<LinkArea> links;
    std::vector<PlacedImage> images;  // drawn first, under rules and text
};

// One bookmark. Entries are in document order; `level` (1 = top) gives the nesting: an
// entry is a child of the nearest earlier entry with a smaller level.
struct OutlineEntry {
    std::string title;
    int level = 1;
    int page = 0;   // 0-based page index
    float top = 0;  // y of the heading's top edge
};

// The document information dictionary. Dates are seconds since 1970, UTC.
struct Info {
    std::string title, author, subject, keywords, creator, producer;
    std::optional<std::int64_t> created, modified;
};

struct Layout {
    float page_width = 595.276f, page_height = 841.89f;  // A4 in points
    std::vector<Page> pages;
    std::vector<OutlineEntry> outline;
    Info info;
    std::string language;  // BCP 47 of the document (the catalog's /Lang), may be empty
    // A JPEG or PNG file drawn on a page of its own before the first (--cover), fitted to
    // the page; empty: none. Page indices (links, outline) count the layout's pages only.
    std::string cover_image;
};

}  // namespace dconv::pdf
