#include "clean/text_units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "clean/rules.hpp"
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

namespace {

// each gate input: which unit feature (or the probabilities: kProbability), how averaged
enum How { kPage, kWeighted, kPlain };
constexpr std::size_t kProbability = SIZE_MAX, kContentUnits = SIZE_MAX - 1;
struct Input {
    std::size_t feature;
    How how;
};

const std::array<Input, kTextPageFeatures>& gate_inputs() {
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
    return inputs;
}

}  // namespace

void TextPageFeatures::add(const float* row, float probability) {
    static const std::size_t length_log = unit_feature_index("length_log");
    const std::array<Input, kTextPageFeatures>& inputs = gate_inputs();
    if (units_++ == 0)  // a page feature: the same in every row
        for (std::size_t i = 0; i < kTextPageFeatures; ++i)
            if (inputs[i].how == kPage) page_[i] = row[inputs[i].feature];
    const double weight = std::expm1(double(row[length_log])) + 1;
    weight_sum_ += weight;
    for (std::size_t i = 0; i < kTextPageFeatures; ++i) {
        const Input in = inputs[i];
        if (in.how == kPage) continue;
        double v = in.feature == kProbability    ? double(probability)
                   : in.feature == kContentUnits ? double(probability >= 0.5f)
                                                 : double(row[in.feature]);
        sum_[i] += (in.how == kWeighted ? weight : 1.0) * v;
    }
}

std::array<float, kTextPageFeatures> TextPageFeatures::result() const {
    std::array<float, kTextPageFeatures> out{};
    if (units_ == 0) return out;
    const std::array<Input, kTextPageFeatures>& inputs = gate_inputs();
    for (std::size_t i = 0; i < kTextPageFeatures; ++i) {
        const Input in = inputs[i];
        if (in.how == kPage) out[i] = page_[i];
        else out[i] = static_cast<float>(sum_[i] / (in.how == kWeighted ? weight_sum_ : double(units_)));
    }
    return out;
}

std::array<float, kTextPageFeatures> text_page_features(const std::vector<float>& x,
                                                        const std::vector<float>& probability) {
    TextPageFeatures page;
    for (std::size_t k = 0; k < probability.size(); ++k) page.add(&x[k * kUnitFeatures], probability[k]);
    return page.result();
}

bool text_unit_model_wanted(int favor) {
    const bool acts = unit_model_may_restore(UnitDecision::text, favor) ||
                      unit_model_may_drop(UnitDecision::text, favor) ||
                      unit_model_may_restore(UnitDecision::text_fallback, favor);
    return (unit_model_deciding() && acts) || unit_features_wanted();
}

bool text_unit_fallback(const std::vector<Unit>& units, const std::vector<bool>& rules) {
    double kept = 0, all = 0;
    for (std::size_t k = 0; k < units.size() && k < rules.size(); ++k) {
        all += units[k].f.length;
        if (rules[k]) kept += units[k].f.length;
    }
    return all >= kFallbackMinPageText && kept < kRulesKeptAlmostNothing;
}

namespace {

// decide_text_units() for both: `before` the page as it was, or nullptr with `removed`.
void decide(Document& doc, const Document* before, const std::string& lang, std::vector<Unit> units,
            const CleanOptions& options, Diagnostics& diag, RemovedUnits* removed) {
    if (units.empty() && before) units = make_units(*before, lang, SIZE_MAX, 0, false, true);
    UnitPage page;
    page.stages = {nullptr, nullptr, &doc};
    page.batch = options.batch;
    page.lang = lang;
    // the rules' output is matched by text and fold only (their keys: not a second copy
    // of the text the rules kept)
    const std::vector<UnitKey> held = unit_keys(doc);
    std::vector<std::size_t> matched;  // each unit's place in the rules' output
    const std::vector<bool> rules = kept_in_order(units, held, &matched);
    if (unit_features_wanted()) dump_unit_features(options.source_name, units, unit_features(units, page), rules);
    if (!unit_model_deciding() || units.empty()) return;
    {
        CjkGuard cjk;  // from the two features it reads, before any row is computed
        for (const Unit& u : units) cjk.add(UnitFeatureRows::length_log(u.f), UnitFeatureRows::cjk_share(u.f));
        if (cjk.holds()) return;
    }
    // built only now, past the cheap checks: it builds and sorts the page's word grams and
    // hashes every unit's words
    std::optional<UnitFeatureRows> rows(std::in_place, units, page);
    // The rows one at a time (not the page's matrix: text_units.hpp): what the decisions
    // below read of them, and the page's sums for the page gate.
    static const std::size_t repeats_feature = unit_feature_index("repeats_in_page_log");
    // The model judges the rows a batch at a time (unit_content_probabilities): a batch's
    // rows (15 KB) and one tree at a time stay in the first-level cache.
    constexpr std::size_t kBatchRows = 64;
    std::vector<float> batch(kBatchRows * kUnitFeatures);
    std::array<float, kUnitFeatures> row{};
    std::vector<float> probability(units.size());
    std::vector<bool> repeated(units.size());
    TextPageFeatures page_features;
    for (std::size_t first = 0; first < units.size(); first += kBatchRows) {
        const std::size_t count = std::min(kBatchRows, units.size() - first);
        for (std::size_t k = 0; k < count; ++k) rows->row(first + k, &batch[k * kUnitFeatures]);
        unit_content_probabilities(batch.data(), count, &probability[first]);
        for (std::size_t k = 0; k < count; ++k) {
            const float* at = &batch[k * kUnitFeatures];
            repeated[first + k] = at[repeats_feature] > 0;
            page_features.add(at, probability[first + k]);
        }
    }
    std::vector<bool> drop(units.size(), false);
    std::vector<std::string> reasons(units.size());
    std::vector<double> scores(units.size(), 0.0);
    std::vector<std::string_view> top;
    std::vector<std::vector<std::string>> weighed(units.size());
    // restoring is for pages that do not read as one article or thread (text_units.hpp),
    // and for pages the rules kept almost nothing of, at the fallback's threshold
    // (text_unit_fallback(); its threshold over 1 switches it off: then such a page is
    // judged as any other)
    const bool fallback = rule_on(Rule::unit_fallback) &&
                          unit_model_may_restore(UnitDecision::text_fallback, options.favor) &&
                          text_unit_fallback(units, rules);
    const UnitDecision decision = fallback ? UnitDecision::text_fallback : UnitDecision::text;
    const bool restore =
        unit_model_may_restore(decision, options.favor) &&
        (fallback || text_page_article_probability(page_features.result().data()) < text_page_gate(options.favor));
    for (std::size_t k = 0; k < units.size(); ++k) {
        if (!rules[k] && !restore) {  // the rules' removal stands whatever the model says
            drop[k] = true;
            continue;
        }
        float p = probability[k];
        if (diag.keeps_notes()) {  // the row again, for the features that weighed most
            rows->row(k, row.data());
            unit_content_probability(row.data(), top);
        }
        scores[k] = p;
        // a text the page repeats that the rules removed (a refrain, a template line) stays
        // removed: which copy is the content is the rules' call
        if (!rules[k] && repeated[k]) {
            drop[k] = true;
            continue;
        }
        drop[k] = !unit_kept(rules[k], p, decision, options.favor);
        if (!diag.keeps_notes() || drop[k] != rules[k]) continue;
        char buf[128];
        std::snprintf(buf, sizeof buf, "content probability %.2f (the rules %s it%s)", static_cast<double>(p),
                      rules[k] ? "kept" : "removed",
                      fallback ? "; they kept almost nothing of the page: rule unit-fallback" : "");
        reasons[k] = buf;
        weighed[k] = feature_values(top, row.data());
    }
    rows.reset();
    std::vector<float>().swap(probability);
    // a hard-wrapped paragraph's lines share one verdict (units.hpp): the model judged
    // each line apart and brought back a paragraph's first line without its last
    // The two removals above stand: such a line is no line of the paragraph, neither
    // weighed nor flipped. Nor is a line the rules removed beside a line of its paragraph
    // they kept: the rules settle a paragraph whole (classify) but for a line removed on
    // its own content (widget words, a repeated line), which stays removed.
    const std::vector<bool> continued = continued_lines(units);
    std::vector<bool> fixed(units.size(), false);
    for (std::size_t k = 0; k < units.size(); ++k) {
        const bool beside_kept =
            (k > 0 && continued[k] && rules[k - 1]) || (k + 1 < units.size() && continued[k + 1] && rules[k + 1]);
        fixed[k] = !rules[k] && (repeated[k] || !restore || beside_kept);
    }
    const std::vector<std::size_t> donor = settle_wrapped_paragraphs(units, continued, drop, fixed);
    for (std::size_t k = 0; k < units.size(); ++k) {
        if (!diag.keeps_notes() || donor[k] == units.size()) continue;
        if (drop[k] != rules[k]) {  // back to the rules' verdict: no overruling to note
            reasons[k].clear();
            weighed[k].clear();
            continue;
        }
        // the paragraph's deciding score: its longest line on the side that won
        scores[k] = scores[donor[k]];
        char buf[160];
        std::snprintf(buf, sizeof buf, "a line of a paragraph the model %s (content probability %.2f of its longest line)",
                      drop[k] ? "removed" : "kept", scores[donor[k]]);
        reasons[k] = buf;
        weighed[k].clear();
    }
    if (unit_model_empties_page(rules, drop)) return;  // the rules' output stands
    Diagnostics quiet(false);
    if (diag.keeps_notes()) note_overrules(units, rules, drop, scores, reasons, weighed, {}, diag);
    bool restores = false;
    for (std::size_t k = 0; k < units.size(); ++k) restores = restores || (!rules[k] && !drop[k]);
    if (!restores) {
        // removals only: the rules' output less the units the model drops, so that what
        // the rules' passes did to the text they kept stands
        // (what drop_units does, with its notes, which `quiet` would not keep)
        DroppedUnits gone(doc);
        for (std::size_t k = 0; k < units.size(); ++k)
            if (rules[k] && drop[k] && matched[k] < held.size()) gone.mark(doc, held[matched[k]].block, held[matched[k]].item);
        remove_dropped(doc, gone);
        return;
    }
    if (removed) {  // the page as the rules received it, less what the model drops
        restore_removed(doc, std::move(*removed));
        drop_units(doc, units, drop, reasons, scores, "unit-model", quiet);
        return;
    }
    Document kept = *before;
    drop_units(kept, units, drop, reasons, scores, "unit-model", quiet);
    doc.blocks = std::move(kept.blocks);
}

}  // namespace

void decide_text_units(Document& doc, const Document& before, std::vector<Unit> units, const CleanOptions& options,
                       Diagnostics& diag) {
    decide(doc, &before, document_language(before), std::move(units), options, diag, nullptr);
}

void decide_text_units(Document& doc, std::string_view language, std::vector<Unit> units,
                       const CleanOptions& options, Diagnostics& diag, RemovedUnits& removed) {
    decide(doc, nullptr, std::string(language), std::move(units), options, diag, &removed);
}

}  // namespace dconv::clean
