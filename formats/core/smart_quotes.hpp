// smart_quotes.hpp: straight quotes made typographic, as pandoc's `smart` extension
// does, in the quotation marks of the document's language.
//
//   "quoted"  → “quoted” (English), „quoted“ (German), « quoted » (French),
//               「quoted」 (Japanese, Chinese in traditional characters)
//   'single'  → ‘single’, ‚single‘, ‹ single ›, 『single』
//   it's, '90s, rock 'n' roll → it’s, ’90s, rock ’n’ roll (the apostrophe is U+2019)
//
// A quote opens after white space, an opening bracket or dash, or at the start of a
// block; otherwise it closes (or, for ', is an apostrophe between letters). Next to a CJK
// character, which East Asian text sets with no space before a quote, quotes are paired
// instead: 他说"你好" → 他说“你好”, 彼は"こんにちは"と → 彼は「こんにちは」と. Code (inline
// and blocks) is left alone. The pass runs over the model before the writers of
// typographic formats (HTML, EPUB, PDF); Markdown and plain text keep straight quotes,
// as pandoc writes them with `smart` on. --no-smart turns it off.
#pragma once

#include <string_view>

#include "dconv/book.hpp"
#include "dconv/document.hpp"

namespace dconv {

// Makes the quotes of `doc` typographic for its language (Meta::language, BCP 47; empty
// or unknown: English quotes).
void make_quotes_typographic(Document& doc);
void make_quotes_typographic(Book& book);

// The same for one block, or a title and subtitle, of a document in `language` (as
// above: a book's chapter without a language is in the book's). A block's quotes do not
// depend on the blocks around it (each paragraph, heading and caption starts afresh), so
// that a writer can make each block typographic as it reaches it, on a copy of that block
// alone, and give the same result as make_quotes_typographic(doc).
void make_quotes_typographic(Block& block, std::string_view language);
void make_quotes_typographic(Meta& meta, std::string_view language);

}  // namespace dconv
