// content_cleaning.hpp: the web-text cleaner's passes over the content an HTML page
// gave, with what the page's structure has already settled.
//
// strip_fragments, extract_metadata and repair_structure run as for a text dump. The
// boilerplate decision is made per unit (a top-level block or list item):
//  - a unit of running prose stays: the page's structure chose it as content;
//  - the unit's own words decide first: no words, numbers and dates only, link lines,
//    widget words, copyright lines, cookie notices, labels repeated on the page, the
//    heading of a furniture section ("Related articles", "Comments") and what follows it
//    up to the next heading of its rank, then short lines between those and headings
//    with nothing after them (the cleaner's vocabulary, clean/cues.hpp);
//  - the cleaner's classifier is then heard at the edges only: what it removes before
//    the first unit of running prose or after the last goes too (a video player's
//    controls above an article, a lead-in of labels), never what lies between. Its
//    "main content run" is made for one article of a text dump; a page's content can be
//    several (a thread's replies, a product's short spec lines), which the structure has
//    already found. For threads and lists (`records`) it is not asked at all.
// Figures, data tables and paragraphs of images (media) are not judged by their words
// (alt text, numbers, cell links): a table stays, and a figure or image goes only when
// the text on both sides of it went. Images a batch shows on three pages or more go (the
// site's), and alt text repeating the text around its image is emptied.
// The classifier sees a copy of the document whose units are numbered in order, so that
// its verdicts map back to units even on pages written on one line, read as before
// images were kept (no images; a table as lines of cells); its notes are reported on the
// page's lines, and those it was not followed in say so.
//
// Private to formats/html.
#pragma once

#include <span>
#include <string>

#include "dconv/clean.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv::html {

// A unit's text as CleanOptions::keep_units knows it: the blocks' plain text, white
// space squeezed, blocks apart by a space.
std::string unit_key(std::span<const Block> blocks);

// `records`: the content is several records of one kind (a thread's posts, a list's
// entries), content_selection.hpp's Selection::thread.
void clean_content(Document& doc, const CleanOptions& options, bool records, Diagnostics& diag);

// The site's template at the edges of the content, for the page model's wider modes,
// which do not run clean_content's classifier: a unit before the first unit of running
// prose or after the last, not a sentence, whose text recurs on kTemplateMinPages pages
// of the batch (a motto under the masthead, an imprint line) goes. Without running prose
// (a listing's cards) nothing is an edge and nothing goes.
void drop_site_template(Document& doc, const CleanOptions& options, Diagnostics& diag);

}  // namespace dconv::html
