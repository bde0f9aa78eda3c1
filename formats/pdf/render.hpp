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

#include <cstddef>
#include <memory>
#include <string>

#include "pdf/fonts.hpp"
#include "pdf/layout.hpp"

namespace dconv::pdf {

class Renderer;

// A PDF drawn page by page, so that a long document's layout never exists whole: each
// page's content is written (deflated) when it is added, and the page can then be freed.
// The glyphs a page draws are named by their ids in the whole font file, and the fonts
// are subset once every page is drawn, by finish(). What stays in memory until then is
// the file's deflated page content (a few KB a page), the glyphs used, and a few hundred
// bytes a page and link.
class PdfBuilder {
public:
    // Pages of `page_width` by `page_height` points; `cover_image` (the bytes of a JPEG
    // or PNG file, or empty) drawn on a page of its own before the first, fitted to it.
    PdfBuilder(const SystemFonts& fonts, float page_width, float page_height, const std::string& cover_image);
    ~PdfBuilder();
    PdfBuilder(const PdfBuilder&) = delete;
    PdfBuilder& operator=(const PdfBuilder&) = delete;

    // Draws the page of index `index` (0-based, the cover not counted). Pages may come in
    // any order (a book's contents come after its body, into pages made before it), each
    // once; a page not yet drawn is an empty page until it is.
    void add_page(std::size_t index, const Page& page);

    // The file, with `layout`'s outline, information and language (its pages are not
    // read: they were added). Errors as for render_pdf (a page never drawn, a link or
    // outline entry to a page that does not exist). Call once.
    std::string finish(const Layout& layout);

private:
    std::unique_ptr<Renderer> renderer_;
};

// The PDF file of a whole layout, through PdfBuilder. A layout without pages still makes a valid file: one empty page of the
// layout's size. Every FontId in the layout must be one of `fonts` (dconv::Error(internal)
// otherwise, as for outline entries and internal links to pages that do not exist).
// Runs are drawn by their glyph ids (a run without glyphs by its characters' nominal
// glyphs); their UTF-8 text goes into the fonts' ToUnicode maps and, where the glyphs do
// not give it back in order, into /ActualText (invalid bytes as U+FFFD).
// Safe to call from several threads at once, each with its own Layout.
std::string render_pdf(const Layout& layout, const SystemFonts& fonts);

}  // namespace dconv::pdf
