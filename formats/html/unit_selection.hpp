// unit_selection.hpp: the unit model's decision for an HTML page. Every unit of the
// whole body (a top-level block or list item, clean/units.hpp) is measured
// (clean/unit_features.hpp) against what the hand rules' stages kept of it, and the
// unit model (clean/unit_model.hpp) keeps those it judges content: the rules' verdicts
// are some of its features, so it corrects them where the training pages found them
// wrong (a listing's cards the block selection left out, a comment section it kept).
//
// Private to formats/html.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "dconv/clean.hpp"
#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"
#include "html/html_tree.hpp"
#include "html/page_model.hpp"

namespace dconv::html {

// The html_ features (clean/unit_features.hpp) of each block of the whole body, read
// from the page's tree while it is there (the HTML reader frees it before cleaning).
using BlockFeatures = std::vector<std::vector<float>>;
// `elements`: each block's element (BuildOptions::block_elements).
BlockFeatures block_features(const Page& page, const std::vector<std::uint32_t>& elements);

// The rules' stages of one page.
struct RuleStages {
    const Document* whole = nullptr;          // the whole body, nothing left out
    const BlockFeatures* whole_features = nullptr;  // its blocks' html_ features
    const Document* selected = nullptr;       // the block selection (content_selection.hpp)
    const Document* landmark_free = nullptr;  // the body less its furniture landmarks
    const Document* cleaned = nullptr;        // the block selection after the unit rules
    const Document* output = nullptr;         // what the rules give, in the page model's mode
};

// Whether the unit model is to be run on this process's pages: it decides
// (clean/unit_model.hpp's unit_model_deciding) or its features are wanted
// (DCONV_UNIT_FEATURES=1).
bool unit_model_wanted();

// Measures the whole body's units (and prints them for DCONV_UNIT_FEATURES); when the
// model decides (clean/unit_model.hpp's unit_kept: the rules' output stands where the
// model is not confident), removes from `doc`, the rules' output, the units it drops;
// if its thresholds let it restore units the rules removed, rebuilds `doc`'s blocks
// from the whole body's units it keeps instead and returns true (the caller then takes
// the title and the repeated quotes out again). Each overruled unit is reported (pass
// "unit-model", its probability, the page type and the features that weighed most).
bool select_units(Document& doc, const RuleStages& stages, const PageVerdict& verdict, Favor favor,
                  const CleanOptions& clean, std::string_view source, Diagnostics& diag);

}  // namespace dconv::html
