// block_builder.hpp: the shown content of a page's elements as model blocks.
//
// h1-h6 become headings, p/div/section... paragraphs, ul/ol/li lists, blockquote quotes,
// pre code blocks, hr thematic breaks; em/i, strong/b, s/del/strike, sup, sub, code and
// a become inlines, br a line break (two in a row part paragraphs, as they do on the
// page). img is an Image (its source chosen by image_source.hpp, decorative ones left
// out; the source is kept as written, for the resolver to find beside a saved page, or
// resolved against the page's address when it was fetched: BuildOptions), figure a Figure (figcaption and any credit beside the image its caption),
// a data table (table_kind.hpp) a Table (thead and leading rows of th its head, spans,
// alignments, caption), footnote references a Note holding their note (footnotes.hpp).
// Layout tables are read through: a row whose cells hold only inline content becomes
// one paragraph, cells parted by " | "; rows whose cells hold blocks give their cells'
// blocks. White space collapses
// as in CSS: runs to one space, none at the ends of a block, and a line break between
// two CJK characters to nothing. Every block carries the source lines of its text.
//
// Private to formats/html.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"
#include "html/html_tree.hpp"

namespace dconv::html {

// Containers (quotes, lists, items) nested deeper than this are flattened into the
// innermost one kept: the model's validate() allows 64 levels, and a page's real
// structure never comes near either.
inline constexpr std::size_t kMaxContainerNesting = 24;

// Emphasis, strong, code and links nested deeper than this are not opened: their text
// joins the innermost one kept. Pages nest three or four; writers walk the nesting once
// per level.
inline constexpr std::size_t kMaxInlineNesting = 16;

struct BuildOptions {
    bool image_alt = false;  // an image's alt text as text ("[alt]"); otherwise images are left out
    std::string base_url;    // absolute: relative links are resolved against it
    std::string page_url;    // where the page lives (absolute), when known: images linking elsewhere are ads
    // Image sources resolved against base_url: for a page fetched from the web, whose
    // relative images are on the web too. A saved page's are kept as written, relative
    // to the file (page_files/...), for the resolver to find beside it.
    bool resolve_image_urls = false;
    Diagnostics* explain = nullptr;  // where decorative images left out are reported
    // If set, receives for each top-level block returned the element it came from: a
    // paragraph's or heading's, the element of its first text; a list's, quote's, table's
    // or figure's, its own (kNoElement when unknown). For the unit model's features.
    std::vector<std::uint32_t>* block_elements = nullptr;
    // When set, finished top-level blocks are handed to it as they accumulate (and not
    // returned): for a reader that measures a page without holding all of it.
    std::function<void(const Blocks&)> flush;
    // False: data tables are passed over, not built (for a measure of the page's prose,
    // which a table is not: the recall guard's).
    bool data_tables = true;
    // True: every table is a data table, none judged layout (table_kind.hpp): for markup
    // a program wrote for a table of the model (the Markdown writer's HTML tables).
    bool tables_are_data = false;
    // True: an <img width> is the image's width (Image::Extra::width), as a raw <img> in
    // Markdown's text: for the Markdown reader's HTML blocks, where the Markdown writer
    // writes it (a web page's widths are its layout's, not the picture's).
    bool image_widths = false;
};

// Builds the blocks of the subtrees of `roots`, in the order given (document order),
// leaving out elements for which `removed` is true (and, always, skipped elements).
Blocks build_blocks(const Page& page, const std::vector<std::uint32_t>& roots,
                         const std::vector<bool>& removed, const BuildOptions& options = {});
// As build_blocks, and each node is freed as soon as it is built: in a block element,
// every child once read (a row as soon as it is built, the white space between rows);
// in an inline one (a <picture>, whose <source>s its <img> reads), the children when it
// ends. A large page thus never holds its whole tree and its whole document at once, and
// the tree's slabs (gumbo_arena.hpp) empty as the reading goes on (issue 16's memory
// bound). The caller reads no node of `page` below the roots again (the index stays, its
// nodes of built subtrees dangling). A page with notes is built as by build_blocks.
Blocks build_blocks_consuming(Page& page, const std::vector<std::uint32_t>& roots, const std::vector<bool>& removed,
                              const BuildOptions& options = {});

}  // namespace dconv::html
