// page_model.hpp: the page model: from a page's signals (page_signals.hpp), its type
// (article, forum, product, collection, listing, documentation, service) and whether
// the inclusive extraction mode serves it better than the structural selection of one
// content block. Gradient-boosted trees trained by tools/train/train_page_model.py on
// the WCXB pages (cross-validated by site; see tools/train/README.md), compiled in from
// the generated table page_model_data.inc: nothing to load at start-up.
//
// Private to formats/html.
#pragma once

#include <string_view>
#include <vector>

namespace dconv::html {

struct PageVerdict {
    std::string_view type;        // the most likely page type
    float type_probability = 0;   // its probability
    float inclusive_gain = 0;     // the F1 the inclusive mode is expected to add (may be < 0)
    // inclusive_gain above the model's threshold, and the page unlikely to be one article
    // or one thread (their probabilities summed under the model's kMaxProseTypes)
    bool inclusive = false;
    // the signals that weighed most in the mode decision, strongest first
    std::vector<std::string_view> top_signals;
};

PageVerdict judge_page(const std::vector<float>& signals);

// The trees' raw outputs, for the model test: the margin of each type (kPageTypes
// order) and the inclusive mode's predicted gain.
std::vector<float> page_type_margins(const std::vector<float>& signals);
float inclusive_gain(const std::vector<float>& signals);

// The page types in the model's class order.
const std::vector<std::string_view>& page_types();

// The model's version (its file's kPageModelVersion) and the feature names it was
// trained on, which must be page_signals.hpp's kPageSignalNames.
int page_model_version();
bool page_model_matches_signals();

}  // namespace dconv::html
