// pdf_writer.hpp: PDF editions for print and tablets, of one document or of a book.
//
// The typesetter (typeset.hpp) lays the document out with the print style
// (WriteOptions::style, styles/print/) on WriteOptions::paper; the renderer (render.hpp)
// draws it with libharu, each font subset to the characters used. A document gets a
// title block, running headers, page numbers and bookmarks of its headings; a book a
// title page, a table of contents with links, and each chapter from a new page.
// Identical input and options give identical bytes: the only dates are
// WriteOptions::source_date_epoch or the document's own.
#pragma once

#include <string>

#include "dconv/book.hpp"
#include "dconv/convert.hpp"

namespace dconv {

std::string write_pdf(const Document& doc, const WriteOptions& options);
std::string write_pdf_book(const Book& book, const WriteOptions& options);

}  // namespace dconv
