#include "clean/text_units.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "clean/unit_features.hpp"
#include "clean/unit_model.hpp"
#include "clean/units.hpp"

namespace dconv::clean {

namespace {

std::size_t unit_feature_index(std::string_view name) {
    for (std::size_t i = 0; i < kUnitFeatures; ++i)
        if (kUnitFeatureNames[i] == name) return i;
    std::abort();  // kTextPageFeatureNames names no unit feature: a programming error
}

}  // namespace

std::array<float, kTextPageFeatures> text_page_features(const std::vector<float>& x,
                                                        const std::vector<float>& probability) {
    // each input: which unit feature (or the probabilities: kProbability), how averaged
    enum How { kPage, kWeighted, kPlain };
    constexpr std::size_t kProbability = SIZE_MAX, kContentUnits = SIZE_MAX - 1;
    struct Input {
        std::size_t feature;
        How how;
    };
    static const std::array<Input, kTextPageFeatures> inputs = [] {
        std::array<Input, kTextPageFeatures> out{};
        for (std::size_t i = 0; i < kTextPageFeatures; ++i) {
            std::string_view name = kTextPageFeatureNames[i];
            How how = name.starts_with("w_") ? kWeighted : name.starts_with("m_") ? kPlain : kPage;
            std::string_view base = how == kPage ? name : name.substr(2);
            out[i] = {base == "probability"           ? kProbability
                      : base == "content_units_share" ? kContentUnits
                                                      : unit_feature_index(base),
                      base == "content_units_share" ? kPlain : how};
        }
        return out;
    }();
    static const std::size_t length_log = unit_feature_index("length_log");
    std::array<float, kTextPageFeatures> out{};
    const std::size_t n = probability.size();
    if (n == 0) return out;
    std::vector<double> weight(n);
    double weight_sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
        weight[k] = std::expm1(double(x[k * kUnitFeatures + length_log])) + 1;
        weight_sum += weight[k];
    }
    // row by row (each input's sum in the same order as column by column): a long
    // page's rows are read once, not once per input
    std::array<double, kTextPageFeatures> sum{};
    for (std::size_t k = 0; k < n; ++k) {
        const float* row = &x[k * kUnitFeatures];
        for (std::size_t i = 0; i < kTextPageFeatures; ++i) {
            const Input in = inputs[i];
            if (in.how == kPage) continue;
            double v = in.feature == kProbability    ? double(probability[k])
                       : in.feature == kContentUnits ? double(probability[k] >= 0.5f)
                                                     : double(row[in.feature]);
            sum[i] += (in.how == kWeighted ? weight[k] : 1.0) * v;
        }
    }
    for (std::size_t i = 0; i < kTextPageFeatures; ++i) {
        const Input in = inputs[i];
        if (in.how == kPage) out[i] = x[in.feature];  // a page feature: the same in every row
        else out[i] = static_cast<float>(sum[i] / (in.how == kWeighted ? weight_sum : double(n)));
    }
    return out;
}

bool text_unit_model_wanted(int favor) {
    return (unit_model_deciding() && (unit_model_may_restore(false, favor) || unit_model_may_drop(false, favor))) ||
           unit_features_wanted();
}

void decide_text_units(Document& doc, const Document& before, std::vector<Unit> units, const CleanOptions& options,
                       Diagnostics& diag, RemovedUnits* removed) {
    // a page's shape carries the page's language, as the page gave it or guessed
    const std::string lang = removed ? before.meta.language : document_language(before);
    if (units.empty()) units = make_units(before, lang);
    UnitPage page;
    page.stages = {nullptr, nullptr, &doc};
    page.batch = options.batch;
    page.lang = lang;
    std::vector<float> x = unit_features(before, units, page);
    // the rules' output is matched by text and fold only: no stop words counted (no language)
    const std::vector<Unit> held = make_units(doc, "");
    std::vector<std::size_t> matched;  // each unit's place in the rules' output
    const std::vector<bool> rules = kept_in_order(units, held, doc, false, &matched);
    if (unit_features_wanted()) dump_unit_features(options.source_name, units, x, rules);
    if (!unit_model_deciding() || units.empty() || unit_model_cjk_guard(x, units.size())) return;
    std::vector<bool> drop(units.size(), false);
    std::vector<std::string> reasons(units.size());
    std::vector<double> scores(units.size(), 0.0);
    std::vector<std::string_view> top;
    std::vector<std::vector<std::string>> weighed(units.size());
    static const std::size_t repeats_feature = unit_feature_index("repeats_in_page_log");
    std::vector<float> probability(units.size());
    for (std::size_t k = 0; k < units.size(); ++k) probability[k] = unit_content_probability(&x[k * kUnitFeatures]);
    // restoring is for pages that do not read as one article or thread (text_units.hpp)
    const bool restore = unit_model_may_restore(false, options.favor) &&
                         text_page_article_probability(text_page_features(x, probability).data()) <
                             text_page_gate(options.favor);
    for (std::size_t k = 0; k < units.size(); ++k) {
        if (!rules[k] && !restore) {  // the rules' removal stands whatever the model says
            drop[k] = true;
            continue;
        }
        const float* row = &x[k * kUnitFeatures];
        float p = probability[k];
        if (diag.keeps_notes()) unit_content_probability(row, top);
        scores[k] = p;
        // a text the page repeats that the rules removed (a refrain, a template line) stays
        // removed: which copy is the content is the rules' call
        if (!rules[k] && x[k * kUnitFeatures + repeats_feature] > 0) {
            drop[k] = true;
            continue;
        }
        drop[k] = !unit_kept(rules[k], p, false, options.favor);
        if (!diag.keeps_notes() || drop[k] != rules[k]) continue;
        char buf[64];
        std::snprintf(buf, sizeof buf, "content probability %.2f (the rules %s it)", static_cast<double>(p),
                      rules[k] ? "kept" : "removed");
        reasons[k] = buf;
        weighed[k] = feature_values(top, row);
    }
    // the model does not empty a page the rules kept something of (one unit has little
    // context to judge by): then the rules' output stands
    bool any_kept = false, rules_any = false;
    for (std::size_t k = 0; k < units.size(); ++k) {
        any_kept = any_kept || !drop[k];
        rules_any = rules_any || rules[k];
    }
    if (!any_kept && rules_any) return;
    Diagnostics quiet(false);
    if (diag.keeps_notes()) note_overrules(units, rules, drop, scores, reasons, weighed, {}, diag);
    bool restores = false;
    for (std::size_t k = 0; k < units.size(); ++k) restores = restores || (!rules[k] && !drop[k]);
    if (!restores) {
        // removals only: the rules' output less the units the model drops, so that what
        // the rules' passes did to the text they kept stands
        std::vector<bool> gone(held.size(), false);
        for (std::size_t k = 0; k < units.size(); ++k)
            if (rules[k] && drop[k] && matched[k] < held.size()) gone[matched[k]] = true;
        drop_units(doc, held, gone, std::vector<std::string>(held.size()), {}, "unit-model", quiet);
        return;
    }
    if (removed) {  // the page as the rules received it, less what the model drops
        restore_removed(doc, std::move(*removed));
        drop_units(doc, units, drop, reasons, scores, "unit-model", quiet);
        return;
    }
    Document kept = before;
    drop_units(kept, units, drop, reasons, scores, "unit-model", quiet);
    doc.blocks = std::move(kept.blocks);
}

}  // namespace dconv::clean
