// cmark_inlines.hpp: Markdown inline syntax (links, emphasis, code) to model inlines.
#pragma once

#include <string_view>

#include "dconv/document.hpp"

struct cmark_node;

namespace dconv {

// Converts the inline children of a cmark node (a paragraph or heading) to model inlines.
// Soft breaks become spaces, hard breaks LineBreak, images their alt text, raw HTML
// text as written.
Inlines inlines_from_cmark(cmark_node* parent);

// Parses one line (or a run of text with no block structure) as Markdown inlines only:
// characters that would start a block ("4. ", "# ", "- ", "> ") are taken literally.
Inlines parse_inline_markdown(std::string_view text);

}  // namespace dconv
