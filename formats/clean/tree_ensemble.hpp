// tree_ensemble.hpp: the evaluator of the cleaner's compiled gradient-boosted trees (the
// page model's, html/page_model_data.inc, and the unit model's, unit_model_data.inc).
// Both tables are written by tools/train/ from python3-xgboost's dumps: nothing is
// loaded at start-up, no libxgboost at run time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dconv::clean {

// One node of a tree: a split (feature >= 0: go to `yes` when the signal is below
// `value`, else to `no`) or a leaf (feature < 0: `value` is its output). `yes` and `no`
// index the same node array; a tree starts at its root's index.
struct TreeNode {
    std::int16_t feature;
    float value;
    std::uint32_t yes;
    std::uint32_t no;
};

// The leaf a tree reaches for `x`; each split's feature is counted in `weight` if given
// (which features a verdict leaned on, for --explain).
inline float walk_tree(const TreeNode* nodes, std::uint32_t at, const float* x, float* weight = nullptr) {
    while (nodes[at].feature >= 0) {
        const TreeNode& n = nodes[at];
        std::uint32_t next = x[static_cast<std::size_t>(n.feature)] < n.value ? n.yes : n.no;
        if (weight) weight[static_cast<std::size_t>(n.feature)] += 1;
        at = next;
    }
    return nodes[at].value;
}

}  // namespace dconv::clean
