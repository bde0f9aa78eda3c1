// markdown_writer.hpp: CommonMark with a YAML front matter block.
#pragma once

#include <string>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"

namespace dconv {

// Writes `doc` as CommonMark: front matter (title, subtitle, author, date, site, lang,
// source, then extra keys) unless options.front_matter is false (then "# Title" when the
// document has a title, as the title has no other place), then the blocks. Escapes exactly what would change the meaning,
// so that read_markdown(write_markdown(doc)) == doc.
std::string write_markdown(const Document& doc, const WriteOptions& options);

// Escapes text for use inside a Markdown paragraph or heading, including the characters
// that would open a block at the start of a line ("4. x", "# x", "- x", "> x").
std::string escape_markdown(std::string_view text, bool at_line_start);

}  // namespace dconv
