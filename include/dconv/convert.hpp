// dconv/convert.hpp: the library's front door. Read bytes into a Document (decoding and,
// for web pages, cleaning on the way), write a Document as any registered format.
//
//     dconv::Diagnostics diag;
//     dconv::ReadOptions in;                       // format from the name, its cleaning
//     in.source_name = "page.txt";
//     dconv::Document doc = dconv::read_document(bytes, in, diag);
//     std::string md = dconv::write_document(doc, "md", {});
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"
#include "dconv/resources.hpp"

namespace dconv {

class BatchProfile;  // what recurs across the pages of one batch (clean.hpp)

// Whether the cleaning passes run on what a reader read. Scraped pages (web text, HTML)
// are what the cleaner is for; authored Markdown is the author's choice of content, so
// it is left as written unless cleaning is asked for. An enum rather than a bool: an
// optional<bool> would read as "true" whenever set, false included.
enum class Cleaning {
    by_format,  // the reader's default: web text and HTML cleaned, Markdown not
    on,         // --clean: every input, Markdown too
    off,        // --no-clean: none, everything kept
};

// Whether a reader whose format is cleaned by default (`format_default`) cleans.
constexpr bool cleaning_wanted(Cleaning clean, bool format_default) {
    return clean == Cleaning::on || (clean == Cleaning::by_format && format_default);
}

// What the cleaner leans to when it is unsure of a page (--favor-recall/--favor-precision):
// `balanced` lets the page model choose, per page, between the structural selection of
// one content block and the inclusive mode (the whole page but its furniture landmarks:
// listings, collections, service pages); `recall` always takes the inclusive mode,
// `precision` never does.
enum class Favor { balanced, recall, precision };

struct ReadOptions {
    std::string format;       // reader name ("webtext", "markdown"); empty: from source_name
    std::string encoding;     // input encoding; empty: detect (BOM, UTF-8, ICU detector)
    Cleaning clean = Cleaning::by_format;  // run the cleaning passes (see Cleaning)
    std::string source_name;  // file name or URL, for messages, Meta::source and the format
    // The URL the input was fetched from, after redirects (fetch.hpp): relative links are
    // made absolute against it (or the page's <base href> resolved against it), and it is
    // Meta::source whatever the page says of itself. Empty for a file.
    std::string url;
    // The address of a page read without being fetched (a --jsonl record's "url"), for a
    // page that names none of its own (<link rel=canonical>, og:url): its relative links
    // resolve against it, a relative <base href> against it first. Unlike `url`, it is
    // not Meta::source. Empty: none.
    std::string page_address;
    const BatchProfile* batch = nullptr;  // lines seen across a batch, or none
    // The input is a chapter of a book (--bundle): an empty one is left out of the book
    // with the book's warning, so the reader does not warn that its outputs are empty.
    bool book_chapter = false;
    // Images, loaded into Document::resources once the document is read (resources.hpp).
    // An empty base is the folder of source_name (or the page's URL); Markdown inputs
    // also take absolute paths.
    ResourceOptions resources;
    Favor favor = Favor::balanced;        // HTML: which extraction mode (see Favor)
    // HTML: CSS selectors (type, .class, #id, [attr], [attr=value], descendant and child
    // combinators, comma lists) of elements that are content whatever the cleaner says
    // (--keep-selector), and of elements removed before anything is judged
    // (--drop-selector). Other inputs ignore them. check_read_options() refuses one dconv
    // cannot match; so does the HTML reader.
    std::vector<std::string> keep_selectors;
    std::vector<std::string> drop_selectors;
};

// Throws Error(usage) naming the first of options.keep_selectors and drop_selectors that
// dconv does not support (see ReadOptions).
void check_selectors(const ReadOptions& options);

// --toc-depth's defaults (WriteOptions::toc_depth): a book of many chapters lists each
// with its top sections; one document its title, sections and subsections (pandoc's 3).
inline constexpr int kDefaultBookTocDepth = 2;
inline constexpr int kDefaultDocumentTocDepth = 3;
// The contents' depth `requested` (WriteOptions::toc_depth) stands for: itself, or when 0
// the default for a book or one document.
constexpr int toc_depth_or_default(int requested, bool is_book) {
    return requested > 0 ? requested : is_book ? kDefaultBookTocDepth : kDefaultDocumentTocDepth;
}
// The most --toc-depth takes: the chapter and six heading levels.
inline constexpr int kMaxTocDepth = 7;

struct WriteOptions {
    int columns = 72;          // plain text wrap width; 0: do not wrap
    bool front_matter = true;  // Markdown: write a YAML front matter block
    // HTML, EPUB and PDF: straight quotes made typographic in the quotation marks of the
    // document's language (“ ” ‘ ’, „ “, « », 「 」), as pandoc's smart extension does;
    // false (--no-smart) keeps them straight. Markdown and plain text keep them always.
    bool smart = true;
    // HTML and EPUB: the theme, a built-in style's name ("default", "sans"; see styles.hpp)
    // or the path of a CSS file. PDF: the page style, a built-in print style's name
    // (styles/print/) or the path of a print style file. Empty: "default".
    std::string style;
    // PDF: the paper, overriding the style's: "a4", "letter", "a5", "legal", "a3", or a
    // width and height ("150mm 220mm"). Empty: the style's (A4 in the built-in ones).
    std::string paper;
    // EPUB: the path of a JPEG or PNG cover image; empty: no cover.
    std::string cover_image;
    // EPUB's contents (nav and NCX) and a PDF book's contents page: how many levels they
    // list, a chapter (or a single document's title) being level 1, its top sections 2.
    // 0: kDefaultBookTocDepth for a bundle (sixty web pages listed 983 entries with every
    // level), kDefaultDocumentTocDepth for one document. The PDF's bookmarks list all.
    int toc_depth = 0;
    // EPUB and PDF: the time the edition is dated (seconds since 1970, UTC): EPUB's
    // dcterms:modified and zip entry times, PDF's CreationDate and ModDate. The command
    // sets it from SOURCE_DATE_EPOCH. Unset, it is the document's own date (a book's
    // latest), or else for EPUB 1980-01-01T00:00:00Z (the earliest time a zip entry can
    // carry) and for PDF no date at all: never the clock, so that the same input always
    // gives the same bytes.
    std::optional<std::int64_t> source_date_epoch;
    // EPUB: the document's Meta::source was given by the user (--metadata source=) and is
    // written as dc:source whatever it is; otherwise only a web address is (a local
    // file's path names nothing a reader of the book can reach).
    bool source_given = false;
    // Where a writer reports what it had to change (PDF: characters no font has), or
    // nullptr. Not owned.
    Diagnostics* diagnostics = nullptr;
};

// Reads `bytes` with the reader that `options` names or the source name implies.
// Throws dconv::Error when the input cannot be read at all (binary data, say).
Document read_document(std::string_view bytes, const ReadOptions& options, Diagnostics& diag);
// The same, taking the bytes over: they are freed as soon as they are decoded, which
// keeps the peak memory of a large input down by its size.
Document read_document(std::string&& bytes, const ReadOptions& options, Diagnostics& diag);
inline Document read_document(const char* bytes, const ReadOptions& options, Diagnostics& diag) {
    return read_document(std::string_view(bytes), options, diag);
}

// The text by which a page takes part in learning its batch's template (BatchProfile in
// clean.hpp): decoded as read_document decodes it, then given as the reader's units,
// one per line (ReaderEntry::template_text). Throws as read_document does.
std::string template_text(std::string_view bytes, const ReadOptions& options, Diagnostics& diag);

// Writes `doc` in the format named (a writer name or alias from the registry).
// Throws dconv::Error(usage) for an unknown format.
std::string write_document(const Document& doc, std::string_view format,
                           const WriteOptions& options);

struct Book;  // several documents as one publication (book.hpp)

// Writes `book` in the format named: chapters under one table of contents where the
// format has a book form (EPUB), else flatten(book) as one document (book.hpp).
// Throws dconv::Error(usage) for an unknown format.
std::string write_book(const Book& book, std::string_view format, const WriteOptions& options);

// SOURCE_DATE_EPOCH's value (https://reproducible-builds.org/specs/source-date-epoch/):
// decimal seconds since 1970, nothing else. nullopt when it is malformed.
std::optional<std::int64_t> parse_source_date_epoch(std::string_view value);

}  // namespace dconv
