// webtext_reader.hpp: text dumps of web pages (scraped text, html2text Markdown) into the
// model, one block per source line, with Markdown structure recognised; the cleaning
// passes then make an article of it.
#pragma once

#include <string_view>

#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv {

// Segments decoded text into blocks without cleaning: every non-blank line is a block
// (paragraph, ATX/setext heading, list item run, quote, fenced code, rule) with its line
// as provenance; inline Markdown (links, emphasis) is parsed.
Document segment_webtext(std::string_view text, Diagnostics& diag);

// segment_webtext, the text freed once segmented (the model holds all it needs). Not
// cleaned here: read_document runs the cleaning passes on what it returns (convert.cpp),
// by default for web text (ReaderEntry::cleaned_by_default).
Document read_webtext(std::string text, const ReadOptions& options, Diagnostics& diag);

}  // namespace dconv
