#include "clean/text_units.hpp"

#include <cstdio>
#include <string>

#include "clean/unit_features.hpp"
#include "clean/unit_model.hpp"
#include "clean/units.hpp"

namespace dconv::clean {

bool text_unit_model_wanted(int favor) {
    return (unit_model_deciding() && (unit_model_may_restore(false, favor) || unit_model_may_drop(false, favor))) ||
           unit_features_wanted();
}

void decide_text_units(Document& doc, const Document& before, const CleanOptions& options, Diagnostics& diag) {
    const std::string lang = document_language(before);
    std::vector<Unit> units = make_units(before, lang);
    UnitPage page;
    page.stages = {nullptr, nullptr, &doc};
    page.batch = options.batch;
    page.lang = lang;
    std::vector<float> x = unit_features(before, units, page);
    const std::vector<bool> rules = kept_in_order(units, make_units(doc, lang), doc, false);
    if (unit_features_wanted()) dump_unit_features(options.source_name, units, x, rules);
    if (!unit_model_deciding() || units.empty() || unit_model_cjk_guard(x, units.size())) return;
    std::vector<bool> drop(units.size(), false);
    std::vector<std::string> reasons(units.size());
    std::vector<double> scores(units.size(), 0.0);
    std::vector<std::string_view> top;
    std::vector<std::vector<std::string>> weighed(units.size());
    const bool restore = unit_model_may_restore(false, options.favor);
    for (std::size_t k = 0; k < units.size(); ++k) {
        if (!rules[k] && !restore) {  // the rules' removal stands whatever the model says
            drop[k] = true;
            continue;
        }
        const float* row = &x[k * kUnitFeatures];
        float p = diag.keeps_notes() ? unit_content_probability(row, top) : unit_content_probability(row);
        scores[k] = p;
        drop[k] = !unit_kept(rules[k], p, false, options.favor);
        if (!diag.keeps_notes() || drop[k] != rules[k]) continue;
        char buf[64];
        std::snprintf(buf, sizeof buf, "content probability %.2f (the rules %s it)", static_cast<double>(p),
                      rules[k] ? "kept" : "removed");
        reasons[k] = buf;
        weighed[k] = feature_values(top, row);
    }
    Document kept = before;
    Diagnostics quiet(false);
    drop_units(kept, units, drop, reasons, scores, "unit-model", quiet);
    if (diag.keeps_notes()) note_overrules(units, rules, drop, scores, reasons, weighed, {}, diag);
    doc.blocks = std::move(kept.blocks);
}

}  // namespace dconv::clean
