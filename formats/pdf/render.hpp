// render.hpp: drawing a Layout as PDF with libharu.
//
// The renderer knows nothing of paragraphs or the document model: it embeds a subset of
// each font the layout uses (only the glyphs drawn with it), draws every page's rules
// and runs, adds the link areas, the outline (bookmarks), the document information and the
// catalog's language, and returns the file's bytes.
//
// Output is a function of the Layout alone: no clock, no random /ID, no file names, so
// the same Layout gives the same bytes (dates come from Layout::info, set by the caller
// from the document or SOURCE_DATE_EPOCH).
#pragma once

#include <string>

#include "pdf/fonts.hpp"
#include "pdf/layout.hpp"

namespace dconv::pdf {

// The PDF file. A layout without pages still makes a valid file: one empty page of the
// layout's size. Every FontId in the layout must be one of `fonts` (dconv::Error(internal)
// otherwise, as for outline entries and internal links to pages that do not exist).
// Runs are drawn by their glyph ids (a run without glyphs by its characters' nominal
// glyphs); their UTF-8 text goes into the fonts' ToUnicode maps and, where the glyphs do
// not give it back in order, into /ActualText (invalid bytes as U+FFFD).
// Safe to call from several threads at once, each with its own Layout.
std::string render_pdf(const Layout& layout, const SystemFonts& fonts);

}  // namespace dconv::pdf
