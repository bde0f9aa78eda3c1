// xhtml_writer.hpp: the model as XHTML5, a standalone page (--to html) and the pieces the
// EPUB writer builds its pages from (after pandoc's EPUB writer reusing its HTML writer).
//
// The page is polyglot: an XML parser and an HTML parser read it the same way, so the
// file opens in a browser and in an XML toolchain alike. Text is escaped by the XML
// writer; lang and xml:lang come from the document's language, runs of CJK text in
// another language are marked with <span lang>, and a block whose first letter runs the
// other way from the page gets dir.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dconv/convert.hpp"
#include "dconv/document.hpp"
#include "xhtml/scripts.hpp"
#include "xhtml/xml_writer.hpp"

namespace dconv {

// A standalone XHTML5 page: head with the metadata and the style's CSS inline, a title
// block (title, subtitle, authors, date, site), then the blocks. options.style picks
// the CSS (dconv/styles.hpp).
std::string write_xhtml(const Document& doc, const WriteOptions& options);

namespace xhtml {

// Where the page's links may point. A page inside an EPUB may only link out to the web
// (a relative link would name a file the book does not contain); a standalone page
// keeps relative links. Both drop javascript:, vbscript:, data: and file: links.
enum class Links { keep_relative, absolute_only };

// A heading as the table of contents lists it.
struct TocEntry {
    int level = 1;
    std::string text;  // its visible text, white space squeezed
    std::string id;    // its id on the page
};

// Renders the blocks and inlines of one page (or of one chapter split over pages: the
// heading ids go on counting). Headings with no visible text, and paragraphs with none,
// are left out: they would be empty elements and empty table of contents entries.
class BlockRenderer {
public:
    BlockRenderer(std::string_view page_language, Links links);

    // One block of the page's top level; a heading is returned as a TocEntry (its id
    // is "h-N", N counting the page's headings from 1).
    std::optional<TocEntry> top_block(xml::XmlWriter& out, const Block& block);
    void inlines(xml::XmlWriter& out, const Inlines& inlines);
    // Text, with runs in another script marked (<span lang="zh" xml:lang="zh">).
    void text(xml::XmlWriter& out, std::string_view text);
    // The dir attribute a block starting with `content` needs on this page, if any.
    const char* dir_for(const Inlines& content) const;

private:
    void block(xml::XmlWriter& out, const Block& block, std::optional<TocEntry>* entry);
    void blocks(xml::XmlWriter& out, const Blocks& blocks);

    std::string language_;
    Direction direction_;
    Links links_;
    int next_heading_ = 1;
    bool in_link_ = false;
    std::vector<ScriptRun> runs_;  // reused by text()
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
