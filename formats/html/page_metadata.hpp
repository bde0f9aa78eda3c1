// page_metadata.hpp: what a page says about itself: <title>, <meta> (Open Graph,
// article:, author, description, Dublin Core), JSON-LD (schema.org Article and its
// kin: headline, author, datePublished, publisher), <time datetime> and <html lang>.
//
// Private to formats/html.
#pragma once

#include <string>
#include <vector>

#include "html/html_tree.hpp"

namespace dconv::html {

// JSON-LD blocks larger than this, or nested deeper, are not read: a page's real
// metadata is a few kilobytes a few levels deep, and the JSON parser's tree for a
// hostile one would cost memory and (nlohmann builds it recursively) stack.
inline constexpr std::size_t kMaxJsonLdBytes = 1 << 20;
inline constexpr int kMaxJsonLdDepth = 32;
// The text a page declares in its JSON-LD (articleBody, text, a FAQ's questions and
// answers) is kept up to this many bytes in all: it serves only the recall fallback of a
// page whose body gave almost nothing (html_reader.cpp), where one article is plenty.
inline constexpr std::size_t kMaxDeclaredTextBytes = 256 * 1024;

struct PageMetadata {
    std::string title;           // og:title, JSON-LD headline, twitter:title, in that order
    std::string document_title;  // <title>
    std::vector<std::string> authors;
    std::string date;            // ISO 8601 (YYYY-MM-DD) of publication
    std::string site;            // og:site_name, JSON-LD publisher, application-name
    std::string language;        // <html lang> (or Content-Language), BCP 47 spelling
    std::string description;     // og:description or description
    // paragraphs of the text the JSON-LD declares (articleBody or text of its objects, a
    // FAQ page's questions and accepted answers), markup taken out; kMaxDeclaredTextBytes
    std::vector<std::string> declared_text;
    std::vector<std::string> headings;  // the page's first <h1>s, shown ones, in order
    std::string url;             // where the page lives: <link rel=canonical>, og:url (absolute)
    std::string base;            // what relative links resolve against: <base href>, else url
    std::string base_href;       // <base href> as written (a fetched page resolves it against its URL)
};

PageMetadata read_page_metadata(const Page& page);

// The publication date a <time datetime> in one of `roots` gives (one marked pubdate or
// itemprop=datePublished first); empty if none.
std::string content_time(const Page& page, const std::vector<std::uint32_t>& roots);

// Letters and digits only, lower-cased: "Bike & Style — review" and "bike style review"
// are one title.
std::string fold_title(std::string_view s);
// Folded titles that are the same, or one is at least half of the other and inside it.
bool same_title(const std::string& a, const std::string& b);

// The parts of a <title> its separators delimit ("Headline | Section - Site",
// "标题_频道_网站"), trimmed, empty ones left out.
std::vector<std::string> title_parts(std::string_view title);

// The headline a page states: og:title, the JSON-LD headline or twitter:title; else the
// part of <title> that one of the page's <h1>s repeats; else the first part of <title>
// (the longest when the first is less than half as long: "Site | Headline"). Parts of
// <title> that name the site (PageMetadata::site, or the name of the host the page lives
// at) are never the headline: "Harbour Gazette - Pier reopens" with og:site_name
// "Harbour Gazette" is "Pier reopens", and so is "Harbour Gazette: Pier reopens".
std::string page_title(const PageMetadata& meta);

}  // namespace dconv::html
