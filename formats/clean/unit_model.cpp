#include "clean/unit_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "clean/text_units.hpp"
#include "clean/tree_ensemble.hpp"
#include "clean/unit_features.hpp"

namespace dconv::clean {

namespace {

#include "clean/unit_model_data.inc"

// unit_model_cjk_guard(): pages whose letters are this much CJK are left to the rules.
constexpr float kMaxCjkShare = 0.3f;

constexpr std::size_t feature_index(std::string_view name) {
    for (std::size_t i = 0; i < kUnitFeatureNames.size(); ++i)
        if (kUnitFeatureNames[i] == name) return i;
    return kUnitFeatureNames.size();
}
constexpr std::size_t kCleanedShare = feature_index("cleaned_share");
constexpr std::size_t kCjkShare = feature_index("cjk_share");
constexpr std::size_t kLength = feature_index("length_log");
static_assert(kCleanedShare < kUnitFeatures && kCjkShare < kUnitFeatures && kLength < kUnitFeatures);

float probability(float margin) { return 1.0f / (1.0f + std::exp(-margin)); }

}  // namespace

bool unit_model_trained() { return kUnitModelTrained && unit_model_matches_features(); }
int unit_model_version() { return kUnitModelVersion; }

// Decided at compile time: the model's lists of feature names are then never read at run
// time, so they are not in the program (nor relocated at its start).
constexpr bool kModelMatchesFeatures = [] {
    if (std::size(kUnitModelFeatures) != kUnitFeatures) return false;
    for (std::size_t i = 0; i < kUnitFeatures; ++i)
        if (kUnitModelFeatures[i] != kUnitFeatureNames[i]) return false;
    if (std::size(kTextPageModelFeatures) != kTextPageFeatures) return false;
    for (std::size_t i = 0; i < kTextPageFeatures; ++i)
        if (kTextPageModelFeatures[i] != kTextPageFeatureNames[i]) return false;
    return true;
}();

bool unit_model_matches_features() { return kModelMatchesFeatures; }

float unit_content_probability(const float* x) {
    float p;
    unit_content_probabilities(x, 1, &p);
    return p;
}

void unit_content_probabilities(const float* rows, std::size_t count, float* out) {
    std::fill(out, out + count, kUnitBaseMargin);
    for (std::uint32_t root : kUnitRoots)
        for (std::size_t k = 0; k < count; ++k) out[k] += walk_tree(kUnitNodes, root, rows + k * kUnitFeatures);
    for (std::size_t k = 0; k < count; ++k) out[k] = probability(out[k]);
}

float unit_content_probability(const float* x, std::vector<std::string_view>& top) {
    std::array<float, kUnitFeatures> weight{};
    float margin = kUnitBaseMargin;
    for (std::uint32_t root : kUnitRoots) margin += walk_tree(kUnitNodes, root, x, weight.data());
    std::array<std::size_t, kUnitFeatures> order{};
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return weight[a] > weight[b]; });
    top.clear();
    for (std::size_t i = 0; i < 3 && weight[order[i]] > 0; ++i) top.push_back(kUnitFeatureNames[order[i]]);
    return probability(margin);
}

float text_page_article_probability(const float* f) {
    float margin = 0;
    for (std::uint32_t root : kTextPageRoots) margin += walk_tree(kTextPageNodes, root, f);
    return probability(margin);
}

float text_page_gate(int favor) {
    return kTextArticleGate + (favor < 0 ? kUnitFavorShift : favor > 0 ? -kUnitFavorShift : 0.0f);
}

bool unit_model_deciding() {
    static const bool deciding = [] {
        const char* off = std::getenv("DCONV_UNIT_MODEL");
        return unit_model_trained() && !(off && std::string_view(off) == "off");
    }();
    return deciding;
}

namespace {

float favor_shift(int favor) { return favor < 0 ? -kUnitFavorShift : favor > 0 ? kUnitFavorShift : 0.0f; }

float drop_threshold(UnitDecision decision) {
    switch (decision) {
    case UnitDecision::text:
    case UnitDecision::text_fallback: return kUnitDropText;
    case UnitDecision::html: return kUnitDropHtml;
    case UnitDecision::html_records: return kUnitDropHtmlRecords;
    }
    return 0.0f;
}

float keep_threshold(UnitDecision decision) {
    switch (decision) {
    case UnitDecision::text: return kUnitKeepText;
    case UnitDecision::text_fallback: return kUnitKeepTextFallback;
    case UnitDecision::html: return kUnitKeepHtml;
    case UnitDecision::html_records: return kUnitKeepHtmlRecords;
    }
    return 2.0f;
}

// html::page_types() order: article, collection, documentation, forum, listing, product, service
constexpr std::size_t kArticle = 0, kDocumentation = 2, kForum = 3;

}  // namespace

UnitDecision html_unit_decision(std::span<const float> type_probability) {
    if (type_probability.size() <= kForum) return UnitDecision::html;
    const float prose = type_probability[kArticle] + type_probability[kDocumentation] + type_probability[kForum];
    if (type_probability[kArticle] < 0 || prose >= kUnitProseTypesHtml) return UnitDecision::html;
    return UnitDecision::html_records;
}

bool unit_kept(bool rules_kept, float p, UnitDecision decision, int favor) {
    if (rules_kept) return p >= drop_threshold(decision) + favor_shift(favor);
    return p >= keep_threshold(decision) + favor_shift(favor);
}

bool unit_model_may_restore(UnitDecision decision, int favor) {
    return keep_threshold(decision) + favor_shift(favor) <= 1.0f;
}

bool unit_model_may_drop(UnitDecision decision, int favor) {
    return drop_threshold(decision) + favor_shift(favor) > 0.0f;
}

bool unit_model_empties_page(const std::vector<bool>& rules, const std::vector<bool>& drop) {
    bool any_kept = false, rules_any = false;
    for (std::size_t k = 0; k < rules.size() && k < drop.size(); ++k) {
        any_kept = any_kept || !drop[k];
        rules_any = rules_any || rules[k];
    }
    return !any_kept && rules_any;
}

void CjkGuard::add(const float* x) { add(x[kLength], x[kCjkShare]); }

void CjkGuard::add(float length_log, float cjk_share) {
    double length = std::expm1(static_cast<double>(length_log));  // length_log is log1p
    cjk_ += length * static_cast<double>(cjk_share);
    total_ += length;
}

bool CjkGuard::holds() const { return total_ > 0 && cjk_ / total_ >= kMaxCjkShare; }

bool unit_model_cjk_guard(const std::vector<float>& features, std::size_t units) {
    CjkGuard guard;
    for (std::size_t k = 0; k < units; ++k) guard.add(&features[k * kUnitFeatures]);
    return guard.holds();
}

}  // namespace dconv::clean
