#include "html/page_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

#include "html/page_signals.hpp"

namespace dconv::html {

namespace {

// One node of a tree: a split (feature >= 0: go to `yes` when the signal is below
// `value`, else to `no`) or a leaf (feature < 0: `value` is its output). `yes` and `no`
// index the same node array; a tree starts at its root's index.
struct TreeNode {
    std::int16_t feature;
    float value;
    std::uint32_t yes;
    std::uint32_t no;
};

#include "html/page_model_data.inc"

float walk(const TreeNode* nodes, std::uint32_t at, const std::vector<float>& x,
           std::vector<float>* weight = nullptr) {
    while (nodes[at].feature >= 0) {
        const TreeNode& n = nodes[at];
        std::uint32_t next = x[static_cast<std::size_t>(n.feature)] < n.value ? n.yes : n.no;
        if (weight) (*weight)[static_cast<std::size_t>(n.feature)] += 1;
        at = next;
    }
    return nodes[at].value;
}

}  // namespace

const std::vector<std::string_view>& page_types() {
    static const std::vector<std::string_view> types(std::begin(kTypeNames), std::end(kTypeNames));
    return types;
}

int page_model_version() { return kPageModelVersion; }

bool page_model_matches_signals() {
    if (std::size(kModelFeatures) != kPageSignalNames.size()) return false;
    for (std::size_t i = 0; i < kPageSignalNames.size(); ++i)
        if (kModelFeatures[i] != kPageSignalNames[i]) return false;
    return true;
}

std::vector<float> page_type_margins(const std::vector<float>& signals) {
    const std::size_t classes = std::size(kTypeNames);
    std::vector<float> margin(classes, 0.0f);
    for (std::size_t t = 0; t < std::size(kTypeRoots); ++t) margin[t % classes] += walk(kTypeNodes, kTypeRoots[t], signals);
    return margin;
}

float inclusive_gain(const std::vector<float>& signals) {
    float sum = kModeBase;
    for (std::uint32_t root : kModeRoots) sum += walk(kModeNodes, root, signals);
    return sum;
}

PageVerdict judge_page(const std::vector<float>& signals) {
    PageVerdict v;
    if (signals.size() != kPageSignalNames.size()) return v;
    std::vector<float> margin = page_type_margins(signals);
    float top = *std::max_element(margin.begin(), margin.end()), total = 0;
    for (float m : margin) total += std::exp(m - top);
    std::size_t best = static_cast<std::size_t>(std::max_element(margin.begin(), margin.end()) - margin.begin());
    v.type = kTypeNames[best];
    v.type_probability = 1.0f / total;
    // the mode: which signals its trees split on most often on the way to this verdict
    std::vector<float> weight(signals.size(), 0.0f);
    float sum = kModeBase;
    for (std::uint32_t root : kModeRoots) sum += walk(kModeNodes, root, signals, &weight);
    v.inclusive_gain = sum;
    // the inclusive mode, unless the page may well be one article or one thread
    float prose_types = 0;
    for (std::size_t k : kProseTypes) prose_types += std::exp(margin[k] - top) / total;
    v.inclusive = sum > kModeThreshold && prose_types < kMaxProseTypes;
    std::vector<std::size_t> order(signals.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return weight[a] > weight[b]; });
    for (std::size_t i = 0; i < 3 && i < order.size() && weight[order[i]] > 0; ++i)
        v.top_signals.push_back(kPageSignalNames[order[i]]);
    return v;
}

}  // namespace dconv::html
