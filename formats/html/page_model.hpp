// page_model.hpp: the page model: from a page's signals (page_signals.hpp), its type
// (article, forum, product, collection, listing, documentation, service) and how much of
// it is content (PageMode). Gradient-boosted trees trained by tools/train/train_page_model.py on
// the WCXB pages (cross-validated by site; see tools/train/README.md), compiled in from
// the generated table page_model_data.inc: nothing to load at start-up.
//
// Private to formats/html.
#pragma once

#include <string_view>
#include <vector>

namespace dconv::html {

// How much of the page is content:
//  - block: the one content block the structure points to (content_selection.hpp), then
//    the unit rules (content_cleaning.hpp): articles, threads, documentation;
//  - wide: the whole body but its furniture landmarks, then the unit rules as for
//    records (each unit judged on its own words, no content run sought);
//  - inclusive: the whole body but its furniture landmarks, nothing more removed
//    (listings and collections, whose cards the unit rules take for navigation).
enum class PageMode { block, wide, inclusive };

std::string_view page_mode_name(PageMode mode);
// "block", "wide", "inclusive"; `otherwise` for any other name.
PageMode page_mode_named(std::string_view name, PageMode otherwise);

struct PageVerdict {
    std::string_view type;        // the most likely page type
    float type_probability = 0;   // its probability
    std::vector<float> type_probabilities;  // of every type, page_types() order
    float wide_gain = 0;          // the F1 the wide mode is expected to add (may be < 0)
    float inclusive_gain = 0;     // the F1 the inclusive mode is expected to add (may be < 0)
    // the mode with the larger expected gain over block, if any is over the model's
    // threshold, each only when the page is unlikely to be one article or one thread
    // (their probabilities summed under the model's kMaxProseTypesWide/Inclusive)
    PageMode mode = PageMode::block;
    // the signals the mode's trees split on most often for this page, most first
    std::vector<std::string_view> top_signals;
};

// `forced_type`, when it names a page type (page_types()), stands for the type model's
// verdict: that type at probability 1, the others at 0, and the mode chosen with those
// probabilities (an experiment's oracle, DCONV_PAGE_TYPE: not a user interface).
PageVerdict judge_page(const std::vector<float>& signals, std::string_view forced_type = {});

// The page's type goes into its metadata (the front matter's `type:`) when the page
// model gives it at least this probability: a short page the model is unsure of is not
// told to be a forum (the HTML reader sets it; --explain names the guess either way).
inline constexpr float kMinStatedTypeProbability = 0.5f;

// The trees' raw outputs, for the model test: the margin of each type (kPageTypes
// order) and the inclusive mode's predicted gain.
std::vector<float> page_type_margins(const std::vector<float>& signals);
float inclusive_gain(const std::vector<float>& signals);
float wide_gain(const std::vector<float>& signals);

// The page types in the model's class order.
const std::vector<std::string_view>& page_types();

// The model's version (its file's kPageModelVersion) and the feature names it was
// trained on, which must be page_signals.hpp's kPageSignalNames.
int page_model_version();
bool page_model_matches_signals();

}  // namespace dconv::html
