// text_units.hpp: the unit model's decision for a text dump (or any page the cleaning
// passes read as text). The units of the page as classify_boilerplate saw it are
// measured (unit_features.hpp; the HTML-only features -1) against what the hand rules
// kept of them, and the unit model (unit_model.hpp) keeps those it judges content, as
// html/unit_selection.hpp does for a page read from HTML.
#pragma once

#include "dconv/clean.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv::clean {

// Whether the unit model runs on text pages in this process (it decides and its
// thresholds let it change something for `favor`, or its features are dumped for
// training: DCONV_UNIT_FEATURES=1).
bool text_unit_model_wanted(int favor);

// `before`: the page as classify_boilerplate received it; `doc`: as it left it. When the
// model decides, `doc`'s blocks become `before`'s units it keeps (each removed one
// reported as pass "unit-model" with its probability and weightiest features).
void decide_text_units(Document& doc, const Document& before, const CleanOptions& options, Diagnostics& diag);

}  // namespace dconv::clean
