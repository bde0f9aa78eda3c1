#include "html/unit_selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "clean/unit_features.hpp"
#include "clean/unit_model.hpp"
#include "clean/units.hpp"
#include "html/content_cleaning.hpp"
#include "html/content_selection.hpp"

namespace dconv::html {

namespace {

// Ancestors looked at above a unit's element: pages nest content 10 to 30 deep.
constexpr std::size_t kMaxAncestors = 64;
// Ancestors whose same-shaped siblings are counted (a card's text sits a few levels
// below the card), and the siblings counted at most.
constexpr std::size_t kRepeatLevels = 4;
constexpr std::size_t kMaxSiblings = 512;

// What the features need of each element, worked out once per page.
class ElementFacts {
public:
    explicit ElementFacts(const Page& page) : page_(page), hints_(page.size(), 0), same_(page.size(), 0) {}

    // class_hint() as bits, memoised: 1 furniture, 2 discussion, 4 content, 8 landmark role
    unsigned hint(std::uint32_t e) {
        if (!hints_[e]) {
            ClassHint h = class_hint(page_, e);
            hints_[e] = static_cast<std::uint8_t>(16 | (h.furniture ? 1 : 0) | (h.discussion ? 2 : 0) |
                                                  (h.content ? 4 : 0) | (h.landmark_role ? 8 : 0));
        }
        return hints_[e] & 15u;
    }

    // How many siblings (itself included) share the element's tag and class, among the
    // first kMaxSiblings children of its parent; 1 for a child after them. Counted once a
    // parent, for all its children at the first asking: sorted by tag and class (k log k),
    // where counting each child against the others took k^2 class look-ups, again for every
    // child past the first k (a list of 100,000 items: minutes).
    unsigned same_shaped(std::uint32_t e) {
        if (same_[e]) return same_[e];
        const std::uint32_t parent = page_[e].parent;
        if (parent == kNoElement) return same_[e] = 1;
        struct Child {
            GumboTag tag;
            std::string_view cls;
            std::uint32_t element;
        };
        std::vector<Child> children;
        std::uint32_t c = parent + 1;
        for (; c < page_[parent].end && children.size() < kMaxSiblings; c = page_[c].end)
            children.push_back({page_[c].tag, attribute(page_[c].node, "class"), c});
        for (; c < page_[parent].end; c = page_[c].end) same_[c] = 1;
        const auto shape = [](const Child& a) { return std::pair(static_cast<int>(a.tag), a.cls); };
        std::sort(children.begin(), children.end(),
                  [&](const Child& a, const Child& b) { return shape(a) < shape(b); });
        for (std::size_t i = 0, j = 0; i < children.size(); i = j) {
            while (j < children.size() && shape(children[j]) == shape(children[i])) ++j;
            for (std::size_t k = i; k < j; ++k) same_[children[k].element] = static_cast<std::uint16_t>(j - i);
        }
        return same_[e] ? same_[e] : (same_[e] = 1);
    }

private:
    const Page& page_;
    std::vector<std::uint8_t> hints_;
    std::vector<std::uint16_t> same_;
};

// The html_ features of the unit whose element is `e`, into row[kFirstHtmlFeature...].
void html_features(const Page& page, ElementFacts& facts, std::uint32_t e, float* row) {
    float* x = row + clean::kFirstHtmlFeature;
    if (e == kNoElement || e >= page.size()) return;  // left at -1
    const std::uint32_t body = page.body();
    bool nav = false, header = false, footer = false, aside = false, form = false, main = false, article = false,
         role = false, link = false, list = false, table = false;
    float furniture = 0, discussion = 0, content = 0;
    int furniture_hints = 0;
    std::size_t level = 0;
    float repeated = 1;
    for (std::uint32_t a = e; a != kNoElement && level < kMaxAncestors; a = page[a].parent, ++level) {
        GumboTag tag = page[a].tag;
        nav |= tag == GUMBO_TAG_NAV;
        header |= tag == GUMBO_TAG_HEADER;
        footer |= tag == GUMBO_TAG_FOOTER;
        aside |= tag == GUMBO_TAG_ASIDE;
        form |= tag == GUMBO_TAG_FORM;
        main |= tag == GUMBO_TAG_MAIN;
        article |= tag == GUMBO_TAG_ARTICLE;
        link |= tag == GUMBO_TAG_A;
        list |= tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL;
        table |= tag == GUMBO_TAG_TABLE;
        unsigned h = facts.hint(a);
        const float near = 1.0f / (1.0f + static_cast<float>(level));
        if ((h & 1) && furniture == 0) furniture = near;
        if ((h & 2) && discussion == 0) discussion = near;
        if ((h & 4) && content == 0) content = near;
        furniture_hints += (h & 1) != 0;
        role |= (h & 8) != 0;
        if (level < kRepeatLevels) repeated = std::max(repeated, static_cast<float>(facts.same_shaped(a)));
        if (a == body) break;
    }
    const Element& el = page[e];
    const Element* parent = el.parent != kNoElement ? &page[el.parent] : nullptr;
    const float body_chars = body != kNoElement ? page[body].all.chars : 0;
    std::size_t i = 0;
    x[i++] = std::log1p(static_cast<float>(el.depth));
    for (bool b : {nav, header, footer, aside, form, main, article, role}) x[i++] = b;
    x[i++] = furniture;
    x[i++] = discussion;
    x[i++] = content;
    x[i++] = std::log1p(static_cast<float>(furniture_hints));
    x[i++] = el.tag == GUMBO_TAG_P;
    x[i++] = el.tag == GUMBO_TAG_LI;
    x[i++] = el.tag == GUMBO_TAG_TD || el.tag == GUMBO_TAG_TH;
    x[i++] = el.tag == GUMBO_TAG_DIV;
    x[i++] = link;
    x[i++] = list;
    x[i++] = table;
    x[i++] = std::log(repeated);
    x[i++] = static_cast<float>(e) / static_cast<float>(page.size());
    x[i++] = parent ? parent->all.link_density() : 0;
    x[i++] = parent && body_chars > 0 ? parent->all.chars / body_chars : 0;
    x[i++] = el.tag == GUMBO_TAG_H1;
    x[i++] = 1;
    x[i++] = el.folded;  // hidden in the saved page until a control opens it (html_tree.hpp)
}

}  // namespace

bool unit_model_wanted() { return clean::unit_model_deciding() || clean::unit_features_wanted(); }

BlockFeatures block_features(const Page& page, const std::vector<std::uint32_t>& elements) {
    ElementFacts facts(page);
    BlockFeatures out(elements.size());
    std::vector<float> row(clean::kUnitFeatures, -1.0f);
    for (std::size_t b = 0; b < elements.size(); ++b) {
        std::fill(row.begin(), row.end(), -1.0f);
        html_features(page, facts, elements[b], row.data());
        out[b].assign(row.begin() + clean::kFirstHtmlFeature, row.end());
    }
    return out;
}

bool select_units(Document& doc, const RuleStages& stages, const PageVerdict& verdict, Favor favor,
                  const CleanOptions& clean, std::string_view source, Diagnostics& diag) {
    if (!stages.whole) return false;
    const Document& whole = *stages.whole;
    const std::string lang = doc.meta.language;
    std::vector<clean::Unit> units = clean::make_units(whole, lang, SIZE_MAX, 0, true);
    clean::UnitPage page;
    page.html = true;
    page.stages = {stages.selected, stages.landmark_free, stages.cleaned};
    page.batch = clean.batch;
    page.lang = lang;
    for (std::size_t t = 0; t < verdict.type_probabilities.size() && t < page.type_probability.size(); ++t)
        page.type_probability[t] = verdict.type_probabilities[t];
    std::vector<float> x = clean::unit_features(units, page);
    const Document& output = stages.output ? *stages.output : *stages.cleaned;
    const std::vector<clean::Unit> held = clean::make_units(output, lang, SIZE_MAX, 0, true);
    std::vector<std::size_t> matched;
    const std::vector<bool> rules = clean::kept_in_order(units, held, output, true, &matched);
    if (stages.whole_features) {
        for (std::size_t k = 0; k < units.size(); ++k) {
            std::size_t b = units[k].block;
            if (b >= stages.whole_features->size()) continue;
            const std::vector<float>& f = (*stages.whole_features)[b];
            std::copy(f.begin(), f.end(), &x[k * clean::kUnitFeatures + clean::kFirstHtmlFeature]);
        }
    }
    if (clean::unit_features_wanted()) clean::dump_unit_features(source, units, x, rules);
    if (!clean::unit_model_deciding() || units.empty() || clean::unit_model_cjk_guard(x, units.size())) return false;

    const int favor_sign = favor == Favor::recall ? -1 : favor == Favor::precision ? 1 : 0;
    // the page model's type: listings, products and the like are judged more boldly
    const clean::UnitDecision decision = clean::html_unit_decision(page.type_probability);
    const bool restore = clean::unit_model_may_restore(decision, favor_sign);
    std::vector<bool> drop(units.size(), false);
    std::vector<std::string> reasons(units.size());
    std::vector<double> scores(units.size(), 0.0);
    std::vector<std::string_view> top;
    std::vector<std::vector<std::string>> weighed(units.size());
    for (std::size_t k = 0; k < units.size(); ++k) {
        if (!rules[k] && !restore) {  // the rules' removal stands whatever the model says
            drop[k] = true;
            continue;
        }
        const float* row = &x[k * clean::kUnitFeatures];
        float p = diag.keeps_notes() ? clean::unit_content_probability(row, top) : clean::unit_content_probability(row);
        scores[k] = p;
        drop[k] = !clean::unit_kept(rules[k], p, decision, favor_sign);
        if (!diag.keeps_notes() || drop[k] != rules[k]) continue;
        char buf[64];
        std::snprintf(buf, sizeof buf, "content probability %.2f (the rules %s it)", static_cast<double>(p),
                      rules[k] ? "kept" : "removed");
        reasons[k] = buf;
        weighed[k] = clean::feature_values(top, row);
    }
    // what --keep-selector chose stays, whatever the model says (CleanOptions::keep_units):
    // decided before the overrules are reported, so that --explain removes nothing it keeps
    auto kept_by_user = [&](const Document& in, const clean::Unit& u) {
        if (!clean.keep_units || u.block >= in.blocks.size()) return false;
        const Block& block = in.blocks[u.block];
        const auto* list = std::get_if<List>(&block.node);
        if (u.item >= 0 && list && static_cast<std::size_t>(u.item) < list->items.size())
            return clean.keep_units->contains(unit_key(list->items[static_cast<std::size_t>(u.item)]));
        return clean.keep_units->contains(unit_key(std::span<const Block>(&block, 1)));
    };
    for (std::size_t k = 0; k < units.size(); ++k)
        if (drop[k] && kept_by_user(whole, units[k])) drop[k] = false;
    if (clean::unit_model_empties_page(rules, drop)) return false;  // the rules' output stands
    if (diag.keeps_notes()) clean::note_overrules(units, rules, drop, scores, reasons, weighed, verdict.type, diag);
    if (restore) {  // what the model restores joins the rules' output: rebuilt from the whole body
        Document kept = whole;
        Diagnostics quiet(false);
        clean::drop_units(kept, units, drop, reasons, scores, "unit-model", quiet);
        doc.blocks = std::move(kept.blocks);
        return true;
    }
    // only removals: from the rules' output itself, which keeps what their passes did to
    // the text they kept (alt text emptied, fragments cut)
    std::vector<bool> drop_held(held.size(), false);
    bool any = false;
    for (std::size_t k = 0; k < units.size(); ++k)
        if (drop[k] && matched[k] != SIZE_MAX && !kept_by_user(output, held[matched[k]]))
            drop_held[matched[k]] = any = true;
    if (!any) return false;
    Diagnostics quiet(false);
    clean::drop_units(doc, held, drop_held, std::vector<std::string>(held.size()), {}, "unit-model", quiet);
    return false;  // not rebuilt
}

}  // namespace dconv::html
