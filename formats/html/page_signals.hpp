// page_signals.hpp: what a whole saved page looks like, as numbers: the page-level
// signals the page-type classifier and the extraction-mode model (clean/page_model.hpp)
// decide by. All general: shares of text by element kind, link density, repeated boxes
// of one kind (cards, posts), the standard vocabularies a page declares itself in
// (og:type, schema.org @type in JSON-LD), the shape of its address, and how much of the
// page the structural content selection kept. None names a site.
//
// The order of kPageSignalNames is the model's feature order: append, never reorder
// (the committed model file names the features it was trained on, and loading checks).
//
// Private to formats/html.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "html/content_selection.hpp"
#include "html/html_tree.hpp"
#include "html/page_metadata.hpp"

namespace dconv::html {

inline constexpr std::array<std::string_view, 48> kPageSignalNames = {
    "body_chars_log", "body_link_density", "landmark_share", "selected_share", "selected_link_density",
    "thread", "p_share", "li_share", "a_share", "pre_share",
    "table_share", "heading_share", "blockquote_share", "dd_share", "paragraphs_log",
    "list_items_log", "links_log", "headings_log", "h1", "articles",
    "tables", "pres", "forms", "images_log", "times_log",
    "buttons_log", "inputs_log", "repeated_boxes_log", "repeated_share", "repeated_link_density",
    "prose_share", "prose_blocks_log", "og_article", "og_product", "ld_article",
    "ld_product", "ld_discussion", "ld_list", "ld_faq", "ld_howto",
    "url_depth", "url_digits", "url_slash_end", "price_marks_log", "selected_chars_log",
    "selected_prose_log", "selected_prose_share", "cjk_share",
};

// The signals of `page` in kPageSignalNames order. `selection` is the structural
// content selection's result; `markup` the prepared markup (JSON-LD is read from it).
std::vector<float> page_signals(const Page& page, const PageMetadata& meta, const Selection& selection,
                                std::string_view markup);

}  // namespace dconv::html
