// html_reader.hpp: HTML pages into the model, with a real HTML5 parser (gumbo).
//
// The page is parsed (markup_prescan.hpp readies the markup: script and style bodies
// cut, pathological nesting flattened), its metadata read from the head and JSON-LD
// (page_metadata.hpp), its content chosen by structure, text density and link density
// (content_selection.hpp) and turned into blocks (block_builder.hpp); then the web-text
// cleaner's passes finish the job on that content, as for a text dump: fragments,
// metadata lines, boilerplate lines, structure repair (the passes of cleaning_passes()
// in dconv/clean.hpp marked "html" or "both"). They run here, not in read_document,
// because they need the page's element tree (the selection, the page model), which is
// consumed as the content is built; the recall guard keeps the whole body's prose units
// aside for its fallback when almost nothing was kept.
// The user's selectors (ReadOptions::keep_selectors, drop_selectors; css_selector.hpp)
// act on that tree: dropped elements are skipped as it is indexed, kept ones are put
// back into the content and protected from every rule.
#pragma once

#include <string>
#include <string_view>

#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"
#include "dconv/limits.hpp"

namespace dconv {

// Markup larger than kMaxMarkupBytes (dconv/limits.hpp) is refused (Error(limit)).

// Reads decoded HTML. With cleaning (the default) only the content is kept and the
// cleaning passes run; without it, the whole body is converted. Meta is filled from the
// page either way (title, authors, date, site, language; the description in
// Meta::extra["description"]): it is the page's own statement, not a guess. The title's
// heading, when the content starts with it, moves into Meta::title.
// Every block's SourceRange gives the lines of its text in `text`.
Document read_html(std::string text, const ReadOptions& options, Diagnostics& diag);

// The page's text for a batch profile: the whole body read without cleaning, one line
// per block (and per list item), as the cleaner measures them.
std::string html_template_text(std::string text, const ReadOptions& options);

// A fragment of HTML written into another document (a Markdown file's HTML block) as
// the model's blocks: the whole of it, never cleaned, every table a data table, scripts
// and styles dropped as on a page. Source lines count from the fragment's first line.
// Empty when the markup is over kMaxMarkupBytes.
Blocks read_html_fragment(std::string markup);

// The legacy charset an HTML page declares, for the decode stage (markup_prescan.hpp's
// declared_encoding): empty when detection should decide.
std::string html_declared_encoding(std::string_view bytes);

}  // namespace dconv
