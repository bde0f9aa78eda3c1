// epub_writer.hpp: EPUB 3 editions (package version 3.0, valid for EPUB 3.3 readers and
// epubcheck), of one document or of a book of several.
//
// The container, in this order (the OCF rules want mimetype first and stored):
//   mimetype                      "application/epub+zip", stored, no extra field
//   META-INF/container.xml        points at the package document
//   OEBPS/content.opf             metadata, manifest, spine
//   OEBPS/nav.xhtml               the table of contents (chapters, then their headings,
//                                 nested) and landmarks
//   OEBPS/toc.ncx                 the same table for EPUB 2 readers
//   OEBPS/styles/style.css        the style (WriteOptions::style)
//   OEBPS/images/cover.jpg|png    with WriteOptions::cover_image, and
//   OEBPS/text/cover.xhtml        its page
//   OEBPS/images/image-001.jpg    each image the pages show, once (PNG, JPEG, GIF, SVG;
//                                 a WebP as PNG), in order of first appearance
//   OEBPS/text/title.xhtml        title, subtitle, authors, date, site
//   OEBPS/text/chapter-001.xhtml  one per chapter; a long chapter continues in
//                                 chapter-001-2.xhtml, ... (see kPartTargetBytes)
// Pages are XHTML from the XHTML writer; links are kept only to the web (http, https,
// ftp, mailto). Notes are EPUB 3 footnotes: a noteref to an <aside epub:type="footnote">
// at the end of the page (file) that references it. An image that cannot be in the book
// (xhtml::image_problem, a WebP that does not convert) shows its alt text, with a
// warning in WriteOptions::diagnostics. Every timestamp (dcterms:modified, zip entries) is
// WriteOptions::source_date_epoch or its documented default, and the identifier is a
// UUID of the content, so the same input and options give the same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dconv/book.hpp"
#include "dconv/limits.hpp"
#include "dconv/convert.hpp"

namespace dconv {

// One document as a book of one chapter, under the document's own metadata.
std::string write_epub(const Document& doc, const WriteOptions& options);

// A book: a title page for book.meta, then each chapter under its own title, with its
// authors, date and site beneath it.
std::string write_epub_book(const Book& book, const WriteOptions& options);

namespace epub {

// A long chapter is split over several pages (files), which e-readers load one at a
// time (some refuse files over about 300 KB): a new page starts at the next heading once
// a page holds kPartTargetBytes, and at the next block of any kind once it holds
// kPartMaxBytes.
inline constexpr std::size_t kPartTargetBytes = std::size_t(128) << 10;
inline constexpr std::size_t kPartMaxBytes = std::size_t(256) << 10;

// One file of the container: its path and bytes, in container order.
struct EpubFile {
    std::string path;
    std::string data;
    bool compressed = true;  // mimetype and images are stored
};

// The files of the book, before they are zipped: what write_epub_book writes, for
// tests and for anyone who wants the pages without the container. `named_chapters`:
// Book::named_chapters, whose titles the identifier leaves out.
std::vector<EpubFile> epub_files(const Meta& meta, const std::vector<const Document*>& chapters,
                                 bool is_bundle, const WriteOptions& options,
                                 const std::vector<bool>& named_chapters = {});

// "image/jpeg" or "image/png" from the image's first bytes; "" for anything else.
std::string_view cover_media_type(std::string_view bytes);

// Reads and checks a cover image file; returns its bytes. Throws dconv::Error: io when
// it cannot be read, usage when it is not a JPEG or PNG or is over kMaxCoverBytes.
std::string read_cover(const std::string& path);

// The timestamp of an edition (see WriteOptions::source_date_epoch): the option when
// set, else the latest of the chapters' dates, else 1980-01-01T00:00:00Z.
std::int64_t edition_time(const WriteOptions& options, const Meta& meta,
                          const std::vector<const Document*>& chapters);

}  // namespace epub
}  // namespace dconv
