// typeset.hpp: a document (or a book of them) as pages — the block-level half of the PDF
// writer's layout engine.
//
// Paragraphs are set by set_paragraph (paragraph.hpp); this file stacks their lines into
// pages: block spacing from the print style, first-line indents, list markers, quotes and
// code, widow and orphan control (no paragraph leaves a single line at either side of a
// page break), headings kept with what follows them, a title block, a running header and
// page numbers, bookmarks and, for books, a table of contents with links.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "dconv/book.hpp"
#include "dconv/convert.hpp"
#include "dconv/document.hpp"
#include "pdf/fonts.hpp"
#include "pdf/layout.hpp"
#include "pdf/print_style.hpp"

namespace dconv::pdf {

// The FontId of each (family, bold, italic), as the FontTable knows them.
struct FontFaces {
    std::array<FontId, 12> ids{};
    FontId get(Family family, bool bold, bool italic) const {
        return ids[static_cast<std::size_t>(family) * 4 + (bold ? 2 : 0) + (italic ? 1 : 0)];
    }
    static FontFaces of(const SystemFonts& fonts);
};

// What the typesetter had to give up on, for warnings.
struct TypesetReport {
    std::size_t missing_glyphs = 0;  // no font has them: drawn as '?'
    std::set<char32_t> missing_characters;  // which ones
    std::size_t overfull_lines = 0;  // a part wider than the measure
    std::size_t hyphens = 0;
    std::size_t pages = 0;
    // Images shown as their alt text: SVG (not rasterized) or a format PDF cannot take,
    // by their source as written (the first kMaxNamedImages of them).
    std::size_t images_as_text = 0;
    std::vector<std::string> images_as_text_names;
    // Loaded images set as their alt text because they stand inside running text or a
    // table cell (only an image alone in its paragraph or figure is drawn), counted once
    // per source, the first kMaxNamedImages named.
    std::size_t inline_images_as_text = 0;
    std::vector<std::string> inline_images_as_text_names;
    std::size_t tables_shrunk = 0;  // tables set in smaller type to fit the measure
    std::size_t tables_as_text = 0; // tables set as text: columns under an em, rows over a page
};

struct TypesetOptions {
    const PrintStyle* style = nullptr;
    const FontTable* fonts = nullptr;
    FontFaces faces;
    std::string creator = "dconv";
    // Straight quotes made typographic (smart_quotes.hpp), block by block as the blocks
    // are set, so that the document is not copied whole for it.
    bool smart_quotes = false;
    // A book's contents page: the levels it lists, the chapter being the first
    // (WriteOptions::toc_depth; the bookmarks list every level).
    int toc_depth = toc_depth_or_default(0, true);
};

// Receives each page as soon as it is set, with its index (0-based). Pages come in
// order, except a book's contents, which come after its body (their numbers are its
// pages); the pages they take are known before the body is set.
using PageSink = std::function<void(std::size_t index, Page&& page)>;

// Sets `doc` page by page into `sink`, and returns the rest of the layout: its page size,
// outline, information and language, without pages. What is held meanwhile is the
// document's pages not yet complete (the lines of the block being set and of the pages
// it fills), never the whole document's layout: a page is drawn and freed as soon as
// the blocks after it decide where it ends.
Layout typeset(const Document& doc, const TypesetOptions& options, const PageSink& sink,
               TypesetReport* report = nullptr);
// A title page, a table of contents, then each chapter from a new page. The contents
// are set from the book's headings before the body, and their pages handed over last.
Layout typeset(const Book& book, const TypesetOptions& options, const PageSink& sink,
               TypesetReport* report = nullptr);

// The same, the pages collected in the layout (tests, and small documents).
Layout typeset(const Document& doc, const TypesetOptions& options, TypesetReport* report = nullptr);
Layout typeset(const Book& book, const TypesetOptions& options, TypesetReport* report = nullptr);

}  // namespace dconv::pdf
