// unit_model.hpp: the unit model: from a unit's features (unit_features.hpp), the
// probability that it is the page's content. Gradient-boosted trees trained by
// tools/train/train_unit_model.py on the WCXB and magic-html pages, each unit labelled by
// aligning it with the page's gold text (cross-validated by site; tools/train/README.md),
// compiled in from the generated table unit_model_data.inc: nothing to load at start-up.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace dconv::clean {

// Whether a trained model is compiled in (the table may be the untrained placeholder).
bool unit_model_trained();
int unit_model_version();
// The model's feature names are unit_features.hpp's kUnitFeatureNames.
bool unit_model_matches_features();

// The probability that the unit whose kUnitFeatures features start at `x` is content.
float unit_content_probability(const float* x);
// The same, and in `top` the (at most) three features its trees split on most often.
float unit_content_probability(const float* x, std::vector<std::string_view>& top);
// The probabilities of `count` units whose rows of kUnitFeatures features follow each other
// from `rows`, into `out`: the same as unit_content_probability() row by row (each row's
// trees are summed in the same order), walked tree by tree over the rows, so that a tree's
// nodes are read from the first-level cache for every row but the first (row by row, each
// row read all of the model's 110 KB once).
void unit_content_probabilities(const float* rows, std::size_t count, float* out);

// Whether the model decides in this process: trained, and not switched off with
// DCONV_UNIT_MODEL=off (for the training script, which needs the hand rules' verdicts,
// and for experiments).
bool unit_model_deciding();

// The thresholds a page's units are judged by: a text dump's (restorations only on the
// pages the text page gate lets through); an HTML page's; or, bolder, an HTML page the
// page model judges unlike an article, a thread or documentation (a listing, a
// collection, a product or a service page, whose cards, details and sections the rules
// remove and whose boilerplate they keep), each chosen by nested cross-validation in
// tools/train/train_unit_model.py.
// text_fallback: a text page the rules kept almost nothing of (text_units.hpp's
// text_unit_fallback()), where the model restores at its own threshold.
enum class UnitDecision { text, text_fallback, html, html_records };
// html_records when the page model's probabilities of article, forum and documentation
// (`type_probability`, html::page_types() order) sum under the trained gate; html when
// they do not, or are unknown (-1).
UnitDecision html_unit_decision(std::span<const float> type_probability);

// Whether a unit stays, given the hand rules' verdict (kept_in_order(): their output
// holds it) and the model's probability `p`. The rules' verdict stands unless the model
// is confident otherwise: a unit the rules kept goes under the model's drop threshold,
// one they removed comes back at its keep threshold or over, each chosen for `decision`
// (tools/train/train_unit_model.py's DROP and KEEP) and moved by `favor` (-1
// --favor-recall, 1 --favor-precision). Cross-validation on WCXB favoured bolder
// overrules than the dev set's pages (articles and threads of other sites, never trained
// on) did: the thresholds for articles and threads are the cautious ones.
bool unit_kept(bool rules_kept, float p, UnitDecision decision, int favor);
// Whether unit_kept() can restore what the rules removed, or drop what they kept, for
// this decision: if neither, the model need not run (its thresholds switch it off).
bool unit_model_may_restore(UnitDecision decision, int favor);
bool unit_model_may_drop(UnitDecision decision, int favor);
// Whether the model's verdicts (`drop`, per unit) would leave nothing of a page the
// rules (`rules`, per unit) kept something of. A page of one or two units gives the model
// little context to judge by (a feed entry's single paragraph, repeated in the batch):
// then the rules' output stands, from text dumps and from HTML alike.
bool unit_model_empties_page(const std::vector<bool>& rules, const std::vector<bool>& drop);

// The text page gate (text_units.hpp): the probability that a text page whose
// kTextPageFeatures gate inputs start at `f` is an article or a thread; the model may
// restore the rules' removals on the page only under text_page_gate(favor)
// (--favor-recall raises it by the favor shift, --favor-precision lowers it).
float text_page_article_probability(const float* f);
float text_page_gate(int favor);

// The page is mostly CJK script (the units' share of CJK letters): the model, trained on
// pages 96 % in Latin script, leaves such pages to the rules (as page-model-cjk-guard).
bool unit_model_cjk_guard(const std::vector<float>& features, std::size_t units);
// The same a unit at a time: add() each unit's feature row, in order; holds() is then
// unit_model_cjk_guard() of them all.
class CjkGuard {
public:
    void add(const float* x);
    // the same from the unit's length_log and cjk_share features
    void add(float length_log, float cjk_share);
    bool holds() const;

private:
    double cjk_ = 0, total_ = 0;
};

}  // namespace dconv::clean
