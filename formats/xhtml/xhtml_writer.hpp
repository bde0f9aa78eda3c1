// xhtml_writer.hpp: the model as XHTML5, a standalone page (--to html) and the pieces the
// EPUB writer builds its pages from (after pandoc's EPUB writer reusing its HTML writer).
//
// The page is polyglot: an XML parser and an HTML parser read it the same way, so the
// file opens in a browser and in an XML toolchain alike. Text is escaped by the XML
// writer; lang and xml:lang come from the document's language, runs of CJK text in
// another language are marked with <span lang>, and a block whose first letter runs the
// other way from the page gets dir.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"
#include "dconv/model.hpp"
#include "xhtml/scripts.hpp"
#include "xhtml/xml_writer.hpp"

namespace dconv {

// A standalone XHTML5 page: head with the metadata and the style's CSS inline, a title
// block (title, subtitle, authors, date, site), then the blocks, then the notes. One
// self-contained file: images are data: URIs (xhtml::DataUriImages, images.hpp).
// options.style picks the CSS (dconv/styles.hpp); warnings about images not shown go to
// options.diagnostics.
std::string write_xhtml(const Document& doc, const WriteOptions& options);

namespace xhtml {

// Where the page's links may point. A page inside an EPUB may only link out to the web
// (a relative link would name a file the book does not contain); a standalone page
// keeps relative links. Both drop javascript:, vbscript:, data: and file: links.
enum class Links { keep_relative, absolute_only };

// Which markup a page is for. An EPUB page declares the epub: namespace and marks notes
// with epub:type (reading systems show them as pop-ups); a standalone HTML page cannot.
enum class Markup { html, epub };

// Where a page's images come from: the src of an <img> showing `resource` (stored under
// `key` in Document::resources), or "" when it is not to be shown, and then the image's
// alt text stands in for it. The EPUB writer answers with a file in the book, the HTML
// writer with a data: URI.
using ImageLinker = std::function<std::string(const std::string& key, const Resource& resource)>;

// A heading as the table of contents lists it.
struct TocEntry {
    int level = 1;
    std::string text;  // its visible text, white space squeezed
    std::string id;    // its id on the page
};

// Renders the blocks and inlines of one page (or of one chapter split over pages: the
// heading and note ids go on counting). Headings with no visible text, and paragraphs
// with none, are left out: they would be empty elements and empty table of contents
// entries.
//
// The rich content:
// - an image is an <img> with its alt text (and width and height from its resource) when
//   the ImageLinker gives it a src; otherwise its alt text, in <span class="image-alt">;
// - a figure is <figure> with its images (a paragraph of images only is not wrapped in
//   <p>) and a <figcaption> after them;
// - a table is <table> inside <div class="table"> (which scrolls when the table is
//   wider than the page), with <caption>, <thead> of <th scope="col">, <tbody>,
//   colspan, rowspan, and a column's alignment as style="text-align: ...";
// - a task-list item starts with a disabled check box (<input type="checkbox">,
//   checked when done), in <ul class="task-list">;
// - an ordered list keeps its first number (start), its numbering style (type="a",
//   "A", "i", "I") and its counting down (reversed, with start always written);
// - a definition list is <dl> of <dt> terms and <dd> definitions (one paragraph written
//   as its text, without <p>; a term without a definition gets an empty <dd>, which
//   HTML's content model of <dl> requires);
// - a note is a numbered reference, <a role="doc-noteref"> (with epub:type="noteref" for
//   EPUB), to an <aside role="doc-footnote"> that notes() writes, at the end of the
//   page where it is referenced. Notes are numbered from 1 in order of appearance; a
//   later reference to a labelled note (Note::label) is a second link to the same one.
class BlockRenderer {
public:
    BlockRenderer(std::string_view page_language, Links links, Markup markup = Markup::html);

    // The images' bytes and where their src points; without it images show their alt text.
    void set_images(const Resources* resources, ImageLinker linker);

    // One block of the page's top level; a heading is returned as a TocEntry (its id
    // is "h-N", N counting the page's headings from 1).
    std::optional<TocEntry> top_block(xml::XmlWriter& out, const Block& block);
    void inlines(xml::XmlWriter& out, const Inlines& inlines);
    // Text, with runs in another script marked (<span lang="zh" xml:lang="zh">).
    void text(xml::XmlWriter& out, std::string_view text);
    // The dir attribute a block starting with `content` needs on this page, if any.
    const char* dir_for(const Inlines& content) const;
    // The notes referenced since the last call, as <section class="footnotes"> of
    // <aside>s; nothing when there are none. Call it before a page ends.
    void notes(xml::XmlWriter& out);

private:
    void block(xml::XmlWriter& out, const Block& block, std::optional<TocEntry>* entry);
    void blocks(xml::XmlWriter& out, const Blocks& blocks);
    void list(xml::XmlWriter& out, const List& list);
    void definition_list(xml::XmlWriter& out, const DefinitionList& list);
    void figure(xml::XmlWriter& out, const Figure& figure);
    void table(xml::XmlWriter& out, const Table& table);
    void table_section(xml::XmlWriter& out, const Table& table, const std::vector<TableRow>& rows, bool head);
    void image(xml::XmlWriter& out, const Image& image);
    void note_reference(xml::XmlWriter& out, const Note& note);

    std::string language_;
    Direction direction_;
    Links links_;
    Markup markup_;
    const Resources* resources_ = nullptr;
    ImageLinker image_linker_;
    int next_heading_ = 1;
    bool in_link_ = false;
    std::vector<std::pair<int, const Note*>> pending_notes_;  // referenced, not yet written
    std::unordered_set<int> pending_numbers_;  // their numbers, for a later reference's look-up
    NoteNumbers note_numbers_;             // of the note references
    std::vector<const Note*> numbered_;    // each number's note (its first reference), from 1
    std::vector<ScriptRun> runs_;                             // reused by text()
};

struct PageHead {
    std::string language;  // lang and xml:lang of <html>, when well formed; RTL sets dir
    std::string title;     // <title>; must not be empty
    bool xml_declaration = true;
    bool epub = false;                               // declare the epub: namespace
    std::vector<std::string> stylesheets;            // <link rel="stylesheet" href>
    std::string inline_css;                          // a <style> element, when not empty
    std::vector<std::pair<std::string, std::string>> meta;  // <meta name content>
    bool viewport = false;                           // <meta name="viewport">, for phones
    std::string body_class;
    std::string body_epub_type;
};

// Writes everything up to and including <body>, and what closes it.
void begin_page(xml::XmlWriter& out, const PageHead& head);
void end_page(xml::XmlWriter& out);

// A title block: <h1 class="title">, then the subtitle, an alternative title (extra key
// "alt-title"), authors, date and site as <p class="..."> when known.
void title_block(xml::XmlWriter& out, BlockRenderer& renderer, const Meta& meta,
                 std::string_view title);

// The URL as an href may hold it under `links`, or "" when the link is not to be kept.
// Characters a URL may not contain (space, controls, "<>\^`{|}, a second '#', a '%' not
// starting an escape) are percent-encoded; other non-ASCII characters are kept (IRI).
std::string safe_href(std::string_view url, Links links);

// A page's <title> and the heading a table of contents shows: text, squeezed.
std::string page_title(const Document& doc);


}  // namespace xhtml
}  // namespace dconv
