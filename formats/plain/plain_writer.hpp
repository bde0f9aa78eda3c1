// plain_writer.hpp: plain text, wrapped for a terminal or a mail.
#pragma once

#include <string>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"

namespace dconv {

// A title block (title, subtitle, author/date/site line), headings set off, paragraphs
// wrapped at options.columns display columns (0: unwrapped), East Asian wide characters
// counted as 2, never breaking inside a word (ICU line breaking: CJK may break between
// ideographs, not before closing punctuation). What may still overflow the columns: a
// run with no break opportunity wider than the line (a long word or URL, kept whole on
// a line of its own), code blocks (never wrapped) and text nested so deep that fewer
// than 10 columns would be left. A first heading that repeats the title is not written
// again. Links print their text only.
std::string write_plain(const Document& doc, const WriteOptions& options);

}  // namespace dconv
