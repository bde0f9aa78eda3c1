// dconv/registry.hpp: the one table of formats. The CLI's --to/--from choices,
// --list-formats and the unknown-format error all come from here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dconv/book.hpp"
#include "dconv/convert.hpp"

namespace dconv {

struct ReaderEntry {
    std::string name;                     // "webtext"
    std::vector<std::string> extensions;  // file endings it claims, without dot
    std::string description;
    // Takes the decoded text by value: a reader may free it once it has built the model,
    // before the (memory-hungry) cleaning passes run.
    Document (*read)(std::string text, const ReadOptions&, Diagnostics&);
    // The encoding the bytes declare for themselves (HTML's <meta charset>), or nullptr:
    // it stands in for detection when no encoding is forced. "" when none is declared.
    std::string (*declared_encoding)(std::string_view bytes) = nullptr;
    // The page as a batch profile learns it (BatchProfile::add_page), when that is not the
    // decoded text itself: one line per unit the cleaner will judge (HTML: the text of
    // each block and list item, not lines of markup). nullptr: the decoded text.
    std::string (*template_text)(std::string text, const ReadOptions&) = nullptr;
    // Whether its documents are cleaned unless the user says otherwise
    // (Cleaning::by_format): scraped pages are, authored Markdown is not.
    bool cleaned_by_default = false;
    // Whether the reader runs the cleaning passes itself, on what only it holds while
    // reading (HTML: the page's element tree, which the content selection, the page
    // model and the recall guard's fallback need). Otherwise read_document runs them
    // (clean_document, the pass table in clean.hpp) on the document the reader returns.
    bool cleans_while_reading = false;
};

// What a writer does with a document's images: whether their bytes must be loaded (and a
// URL input's fetched), and whether a remote image left unfetched is missing from its
// output (the warning that it keeps its alt text).
enum class ImageUse : unsigned char {
    none,      // writes an image's link and alt text only (Markdown, plain text)
    recorded,  // carries the bytes it is given, shows nothing (native JSON)
    shown,     // embeds and shows them (HTML, EPUB, PDF)
};

struct WriterEntry {
    std::string name;                   // "md"
    std::vector<std::string> aliases;   // "markdown", "commonmark"
    std::string extension;              // of the output file, without dot
    std::string description;
    std::string (*write)(const Document&, const WriteOptions&);
    // A book form (chapters under one table of contents), or nullptr: write_book then
    // writes flatten(book) with `write`.
    std::string (*write_book)(const Book&, const WriteOptions&) = nullptr;
    // A format read as typeset text (HTML, EPUB, PDF): its writer gets the document with
    // typographic quotes (WriteOptions::smart). Source formats (Markdown, plain text)
    // keep straight ones.
    bool typographic = false;
    // A typographic writer that makes the quotes typographic itself, block by block as
    // it writes (the PDF writer): it is given the document as it is, and spared the copy
    // of the whole document the others are given.
    bool typographic_by_block = false;
    ImageUse images = ImageUse::none;
};

const std::vector<ReaderEntry>& readers();
const std::vector<WriterEntry>& writers();

const ReaderEntry* find_reader(std::string_view name);
const WriterEntry* find_writer(std::string_view name_or_alias);
// The reader a file name implies; the web-text reader for unknown endings.
const ReaderEntry& reader_for_path(std::string_view path);

// How much of an input's start looks_like_html reads.
inline constexpr std::size_t kHtmlSniffBytes = 4096;

// The input is an HTML page: it opens (after a BOM and white space) with markup, and its
// first kHtmlSniffBytes hold a doctype or an html, head or body tag.
bool looks_like_html(std::string_view bytes);

// The reader for an input: the one its file name's ending implies; for other names
// (standard input "-", "page", "saved.htm~") an HTML page goes to the HTML reader when
// there is one, anything else to the web-text reader.
const ReaderEntry& reader_for(std::string_view path, std::string_view bytes);

}  // namespace dconv
