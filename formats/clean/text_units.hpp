// text_units.hpp: the unit model's decision for a text dump (or any page the cleaning
// passes read as text). The units of the page as classify_boilerplate saw it are
// measured (unit_features.hpp; the HTML-only features -1) against what the hand rules
// kept of them, and the unit model (unit_model.hpp) keeps those it judges content, as
// html/unit_selection.hpp does for a page read from HTML.
//
// The unit model learnt WCXB's pages, where a listing's cards, a collection's entries
// and a product's details are content; the rules, and the magic-html pages (and the dev
// set) like them, keep one article and drop the teasers around it. So the model restores
// what the rules removed only on a page that does not read as an article or a thread:
// a second small ensemble (the text page gate, same training script) judges that from
// the page's units as a whole (kTextPageFeatureNames), and its probability must be under
// unit_model.hpp's text_page_gate(). A text the page repeats is not restored (which copy
// is the content is the rules' call), and the model does not empty a page the rules
// kept something of.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "clean/units.hpp"
#include "dconv/clean.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv::clean {

// The text page gate's inputs: the page's own measures (the units' page_* features,
// read from its first unit), the means of some unit features over the page's units
// weighted by their length ("w_" + the unit feature's name; the weight is the unit's
// length plus one), their plain means ("m_"), and the unit model's probabilities:
// weighted and plain means, and the share of units at 0.5 or over.
// tools/train/train_unit_model.py reads this list and computes the same.
inline constexpr std::array<std::string_view, 30> kTextPageFeatureNames = {
    "units_log", "page_chars_log", "page_cleaned_share", "page_prose_share", "page_link_density",
    "page_items_share", "page_headings_log", "w_link_density", "w_stop_density", "w_ends_sentence",
    "w_list_item", "w_heading", "w_prose", "w_repeats_in_page_log", "w_batch_other_pages_log", "w_widget_share",
    "w_cleaned_share", "w_words_log", "w_url_share", "w_digit_share", "w_table", "w_code", "m_length_log",
    "m_link_density", "m_prose", "m_list_item", "m_cleaned_share", "w_probability", "m_probability",
    "content_units_share"};
inline constexpr std::size_t kTextPageFeatures = kTextPageFeatureNames.size();

// The gate's inputs for a page of `probability.size()` units whose unit features are
// `x` (unit_features(), row-major) and whose unit model probabilities are `probability`.
std::array<float, kTextPageFeatures> text_page_features(const std::vector<float>& x,
                                                        const std::vector<float>& probability);
// The same a unit at a time: add() each unit's feature row and probability, in order;
// result() is then text_page_features() of them all.
class TextPageFeatures {
public:
    void add(const float* row, float probability);
    std::array<float, kTextPageFeatures> result() const;

private:
    std::size_t units_ = 0;
    double weight_sum_ = 0;
    std::array<double, kTextPageFeatures> sum_{};
    std::array<float, kTextPageFeatures> page_{};  // the page features, from the first row
};

// The fallback cascade's second step (issue 13; trafilatura's fallbacks): on a page the
// rules kept almost nothing of (their kept units under kRulesKeptAlmostNothing
// characters in all) on a page of kFallbackMinPageText characters or more (a page of a
// few lines is too short to have lost anything), the rules' verdict is no first choice
// to defer to, and the model decides alone: it restores what it judges content at
// unit_model.hpp's text_fallback threshold, gate or not (a page left almost empty is
// wrong whatever its type). Then the recall guard (recall_guard.hpp) is the last step.
// `rules`: whether the rules' output holds each of `units`.
inline constexpr double kRulesKeptAlmostNothing = 200;
inline constexpr double kFallbackMinPageText = 600;
bool text_unit_fallback(const std::vector<Unit>& units, const std::vector<bool>& rules);

// Whether the unit model runs on text pages in this process (it decides and its
// thresholds let it change something for `favor`, or its features are dumped for
// training: DCONV_UNIT_FEATURES=1).
bool text_unit_model_wanted(int favor);

// classify_boilerplate (dconv/clean.hpp), handing over in `measured` the units of `doc`
// as it received it, measured: make_units(doc, document_language(doc)), which the unit
// model reads too (measuring them once saves a second pass over the page's text). Left
// empty for a page with tables, whose rows classify_boilerplate reads as units. With
// `removed` (for a page without tables only), what the rules remove is kept there.
void classify_boilerplate_measured(Document& doc, const CleanOptions& options, Diagnostics& diag,
                                   std::vector<Unit>& measured, RemovedUnits* removed = nullptr);

// `before`: the page as classify_boilerplate received it; `doc`: as it left it; `units`:
// `before`'s units as classify_boilerplate_measured gives them (empty: measured here).
// When the model decides, `doc`'s blocks become `before`'s units it keeps (each removed
// one reported as pass "unit-model" with its probability and weightiest features).
void decide_text_units(Document& doc, const Document& before, std::vector<Unit> units, const CleanOptions& options,
                       Diagnostics& diag);
// The same without a copy of the page as it was: `removed` is what the rules removed
// from it (classify_boilerplate_measured's), `units` its units (the features need no
// more of the page: units.hpp), `language` its language (document_language() of it).
// Where the model brings units back, the page is put back together from `doc` and
// `removed`.
void decide_text_units(Document& doc, std::string_view language, std::vector<Unit> units,
                       const CleanOptions& options, Diagnostics& diag, RemovedUnits& removed);

}  // namespace dconv::clean
