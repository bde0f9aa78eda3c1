// html_reader.hpp: HTML pages into the model, with a real HTML5 parser (gumbo).
//
// The page is parsed (markup_prescan.hpp readies the markup: script and style bodies
// cut, pathological nesting flattened), its metadata read from the head and JSON-LD
// (page_metadata.hpp), its content chosen by structure, text density and link density
// (content_selection.hpp) and turned into blocks (block_builder.hpp); then the web-text
// cleaner's passes finish the job on that content, as for a text dump: fragments,
// metadata lines, boilerplate lines, structure repair.
#pragma once

#include <string>
#include <string_view>

#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv {

// Hostile-input limit: markup larger than this, once script and style bodies are cut,
// is refused (Error(limit)). Gumbo's tree takes 10 to 30 times the markup's size (tag
// soup the most), so this keeps a page under about 2 GB; real pages are a few hundred
// kilobytes of markup.
inline constexpr std::size_t kMaxMarkupBytes = std::size_t(64) << 20;

// Reads decoded HTML. With options.clean (the default) only the content is kept and the
// cleaning passes run; without it, the whole body is converted. Meta is filled from the
// page either way (title, authors, date, site, language; the description in
// Meta::extra["description"]): it is the page's own statement, not a guess. The title's
// heading, when the content starts with it, moves into Meta::title.
// Every block's SourceRange gives the lines of its text in `text`.
Document read_html(std::string text, const ReadOptions& options, Diagnostics& diag);

// The text of the page's blocks, the whole body, one a line (a list item a line), as the
// cleaner's units read them: what a batch learns the site's template from. Markup lines
// say nothing of it (one page's tag soup is another's), the text the page shows does.
std::string html_profile_text(std::string text);

// The legacy charset an HTML page declares, for the decode stage (markup_prescan.hpp's
// declared_encoding): empty when detection should decide.
std::string html_declared_encoding(std::string_view bytes);

}  // namespace dconv
