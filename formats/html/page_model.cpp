#include "html/page_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

#include "clean/tree_ensemble.hpp"
#include "html/page_signals.hpp"

namespace dconv::html {

namespace {

using clean::TreeNode;

#include "html/page_model_data.inc"

float walk(const TreeNode* nodes, std::uint32_t at, const std::vector<float>& x,
           std::vector<float>* weight = nullptr) {
    return clean::walk_tree(nodes, at, x.data(), weight ? weight->data() : nullptr);
}

// The verdict with the three signals the mode's trees split on most often.
PageVerdict finish(PageVerdict v, const std::vector<float>& weight) {
    std::vector<std::size_t> order(weight.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return weight[a] > weight[b]; });
    for (std::size_t i = 0; i < 3 && i < order.size() && weight[order[i]] > 0; ++i)
        v.top_signals.push_back(kPageSignalNames[order[i]]);
    return v;
}

constexpr std::size_t signal_index(std::string_view name) {
    for (std::size_t i = 0; i < kPageSignalNames.size(); ++i)
        if (kPageSignalNames[i] == name) return i;
    return kPageSignalNames.size();
}
constexpr std::size_t kCjkSignal = signal_index("cjk_share");
static_assert(kCjkSignal < kPageSignalNames.size());

}  // namespace

const std::vector<std::string_view>& page_types() {
    static const std::vector<std::string_view> types(std::begin(kTypeNames), std::end(kTypeNames));
    return types;
}

int page_model_version() { return kPageModelVersion; }

// Decided at compile time: the model's list of signal names is then never read at run
// time, so it is not in the program (nor relocated at its start).
constexpr bool kModelMatchesSignals = [] {
    if (std::size(kModelFeatures) != kPageSignalNames.size()) return false;
    for (std::size_t i = 0; i < kPageSignalNames.size(); ++i)
        if (kModelFeatures[i] != kPageSignalNames[i]) return false;
    return true;
}();

bool page_model_matches_signals() { return kModelMatchesSignals; }

std::vector<float> page_type_margins(const std::vector<float>& signals) {
    const std::size_t classes = std::size(kTypeNames);
    std::vector<float> margin(classes, 0.0f);
    for (std::size_t t = 0; t < std::size(kTypeRoots); ++t) margin[t % classes] += walk(kTypeNodes, kTypeRoots[t], signals);
    return margin;
}

float inclusive_gain(const std::vector<float>& signals) {
    float sum = 0;
    for (std::uint32_t root : kInclusiveRoots) sum += walk(kInclusiveNodes, root, signals);
    return sum;
}

float wide_gain(const std::vector<float>& signals) {
    float sum = 0;
    for (std::uint32_t root : kWideRoots) sum += walk(kWideNodes, root, signals);
    return sum;
}

std::string_view page_mode_name(PageMode mode) {
    switch (mode) {
        case PageMode::block: return "block";
        case PageMode::wide: return "wide";
        case PageMode::inclusive: return "inclusive";
    }
    return "block";
}

PageMode page_mode_named(std::string_view name, PageMode otherwise) {
    for (PageMode m : {PageMode::block, PageMode::wide, PageMode::inclusive})
        if (name == page_mode_name(m)) return m;
    return otherwise;
}

PageVerdict judge_page(const std::vector<float>& signals, std::string_view forced_type) {
    PageVerdict v;
    if (signals.size() != kPageSignalNames.size()) return v;
    std::vector<float> margin = page_type_margins(signals);
    // a forced type: its margin far above the others', so its probability is 1
    for (std::size_t t = 0; t < margin.size(); ++t)
        if (kTypeNames[t] == forced_type) {
            std::fill(margin.begin(), margin.end(), -100.0f);
            margin[t] = 100.0f;
        }
    float top = *std::max_element(margin.begin(), margin.end()), total = 0;
    for (float m : margin) total += std::exp(m - top);
    std::size_t best = static_cast<std::size_t>(std::max_element(margin.begin(), margin.end()) - margin.begin());
    v.type = kTypeNames[best];
    v.type_probability = 1.0f / total;
    for (float m : margin) v.type_probabilities.push_back(std::exp(m - top) / total);
    std::vector<float> weight(signals.size(), 0.0f);
    for (std::uint32_t root : kWideRoots) v.wide_gain += walk(kWideNodes, root, signals, &weight);
    for (std::uint32_t root : kInclusiveRoots) v.inclusive_gain += walk(kInclusiveNodes, root, signals, &weight);
    float prose_types = 0;
    for (std::size_t k : kProseTypes) prose_types += std::exp(margin[k] - top) / total;
    const bool inclusive_allowed = prose_types < kMaxProseTypesInclusive;
    // page-model-cjk-guard: the wider modes were learnt from pages in Latin script (WCXB
    // is 96 % English); on Chinese pages cross-validation found them wrong more often
    // than right (magic-html's Chinese articles and threads), so those keep the block
    if (signals[kCjkSignal] >= kMaxCjkShare) return finish(v, weight);
    float gain = kModeThreshold;
    if (prose_types < kMaxProseTypesWide && v.wide_gain > gain) {
        v.mode = PageMode::wide;
        gain = v.wide_gain;
    }
    if (inclusive_allowed && v.inclusive_gain > gain) v.mode = PageMode::inclusive;
    return finish(v, weight);
}

}  // namespace dconv::html
