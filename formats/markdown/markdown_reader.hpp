// markdown_reader.hpp: authored Markdown (CommonMark via cmark) into the model.
#pragma once

#include <string_view>

#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv {

// Reads CommonMark. A leading YAML front matter block (--- ... ---) fills Meta: title,
// subtitle, author (a string or a list), date, site, lang/language, source; other scalar
// keys go to Meta::extra. A first-level heading equal to the front matter title right
// after it is the title, not a block. Block source ranges come from cmark's positions.
// Not cleaned here: with options.clean Cleaning::on (--clean) read_document runs the
// cleaning passes on the model read, as on a page.
Document read_markdown(std::string_view text, const ReadOptions& options, Diagnostics& diag);

}  // namespace dconv
