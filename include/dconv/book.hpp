// dconv/book.hpp: several documents bound into one publication, and metadata given by the
// user rather than found in the input.
//
//     dconv::Book book = dconv::make_book(std::move(documents), given);  // one chapter each
//     std::string epub = dconv::write_book(book, "epub", {});            // convert.hpp
//
// A writer with a book form (EPUB) makes each document a chapter: its own title, authors,
// language and headings, under the book's table of contents. The other writers write
// flatten(book): one document in which each chapter is a section.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dconv/document.hpp"

namespace dconv {

struct Book {
    Meta meta;                       // the book's title, authors, language, date, site
    std::vector<Document> chapters;  // in reading order, each with its own metadata
    // A flag per chapter, beside `chapters`: named_chapters[c] when chapter c's title is
    // only a name given it, not its text's (a batch names an untitled chapter after its
    // file). Shown as its title, but left out of what identifies the book (the EPUB's
    // dc:identifier), which is its content's. Shorter than `chapters` (or empty): the
    // chapters past its end are not named. Reordering chapters: reorder it with them.
    std::vector<bool> named_chapters;
    bool operator==(const Book&) const = default;
};

// Binds `chapters` into a book whose metadata is `given` (what the user said: --title,
// --author, --metadata), each missing field filled from the chapters:
//   title     the only chapter's title; else the site all chapters share; else
//             "Collected articles"
//   authors   every chapter's authors, first appearance first, without repeats
//   language  the language most chapters have (the earliest on a tie)
//   date      the latest chapter date
//   site      the site all chapters share
//   source    (left empty: each chapter keeps its own)
Book make_book(std::vector<Document> chapters, const Meta& given);

// The book as one document: its metadata, then for each chapter a level-1 heading (the
// chapter's title), its byline as an emphasized paragraph (its authors and date, as the
// PDF and the EPUB show them; none in a book of one chapter, whose metadata says them), then the
// chapter's blocks, their headings one level lower
// (clamped to 6), and the chapters' resources (a key two chapters use for different
// images is renamed in the later one). What writers without a book form write for
// --bundle.
Document flatten(const Book& book);

// The title a chapter is shown under: its title, else its first heading's text, else
// `fallback`. Never empty when `fallback` is not.
std::string chapter_title(const Document& chapter, std::string_view fallback);

// Sets one metadata field by name, as --metadata KEY=VALUE does: "title", "subtitle",
// "author" (or "creator"; each one adds an author), "date", "site" (or "publisher"),
// "language" (or "lang"), "source"; any other key goes to Meta::extra. Keys are
// case-insensitive and trimmed, values trimmed. Throws dconv::Error(usage) for an empty
// key.
void set_meta_field(Meta& meta, std::string_view key, std::string_view value);

// Lays `given` over `meta`: each non-empty field of `given` replaces meta's (authors as a
// whole), and its extra keys are added, replacing those of the same name.
void apply_meta(Meta& meta, const Meta& given);

}  // namespace dconv
