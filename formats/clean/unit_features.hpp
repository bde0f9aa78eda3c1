// unit_features.hpp: what the unit model (unit_model.hpp) reads about each unit of a
// page: its own measurements (features.hpp), its cue vocabulary (cues.hpp), where it
// stands (position, distance from the densest run of prose), its neighbours, how often
// its text recurs on the page and in the batch, which of the hand rules' stages kept
// it, and what the page model (html/page_model.hpp) made of the page. Computed once per
// unit, the same way for a page read from HTML and from a text dump (the HTML-only
// entries are -1 for a text dump). All are general signals: none names a site.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "clean/units.hpp"
#include "dconv/clean.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv::clean {

// The rules' stages whose output a unit is compared with: how much of it each kept.
enum class RuleStage { selected, landmark_free, cleaned };
inline constexpr std::size_t kRuleStages = 3;
inline constexpr std::size_t kPageTypeCount = 7;  // html::page_types()

// The page around the units.
struct UnitPage {
    bool html = false;
    // each stage's document (nullptr: the stage does not exist for this input; a text
    // dump has only `cleaned`): the block selection, the body less its furniture
    // landmarks, and the block selection after the unit rules
    std::array<const Document*, kRuleStages> stages{};
    // the page model's type probabilities (html::page_types() order); -1 when unknown
    std::array<float, kPageTypeCount> type_probability{-1, -1, -1, -1, -1, -1, -1};
    const BatchProfile* batch = nullptr;
    std::string_view lang;
};

// The names of the features, in the order unit_features() writes them (the training
// script reads this list from here; the model's table must name the same). The html_
// ones, last, are the unit's element and its ancestors (html/unit_selection.cpp).
inline constexpr std::array<std::string_view, 97> kUnitFeatureNames = {
    "html", "length_log", "link_density", "stop_density", "words_log", "sentence_ends_log", "commas_log",
    "ends_sentence", "url_share", "cjk_share", "digit_share", "links_log", "words_per_link_log",
    "heading", "heading_level", "code", "list_item", "thematic_break", "quote", "table", "figure", "empty",
    "position", "chars_before_share", "selected_share", "landmark_free_share", "cleaned_share",
    "in_prose_run", "prose_run_distance", "prose_run_chars_distance", "prose", "repeats_in_page_log",
    "batch_other_pages_log", "widget_share", "furniture_heading", "legal_line", "privacy_notice", "byline",
    "under_furniture_heading", "section_cleaned_share",
    "prev_length_log", "prev_link_density", "prev_cleaned_share", "prev_prose",
    "next_length_log", "next_link_density", "next_cleaned_share", "next_prose",
    "window_link_density", "window_cleaned_share", "window_selected_share", "window_prose",
    "same_kind_run_log", "units_log", "page_chars_log", "page_selected_share", "page_landmark_free_share",
    "page_cleaned_share", "page_prose_share", "page_link_density",
    "p_article", "p_collection", "p_documentation", "p_forum", "p_listing", "p_product", "p_service",
    "page_items_share", "page_headings_log", "list_item_share_of_block",
    "html_depth_log", "html_in_nav", "html_in_header", "html_in_footer", "html_in_aside", "html_in_form",
    "html_in_main", "html_in_article", "html_in_landmark_role", "html_furniture_hint", "html_discussion_hint",
    "html_content_hint", "html_furniture_hints_log", "html_tag_p", "html_tag_li", "html_tag_cell", "html_tag_div",
    "html_in_link", "html_in_list", "html_in_table", "html_repeated_siblings_log", "html_element_position",
    "html_parent_link_density", "html_parent_text_share", "html_h1", "html_known_element", "html_folded"};
// The first of the HTML features, which unit_features() leaves at -1 for its caller.
inline constexpr std::size_t kFirstHtmlFeature = 70;
inline constexpr std::size_t kUnitFeatures = kUnitFeatureNames.size();
// Where the rules' cleaned-stage share sits (the verdict the model is asked to overrule).
inline constexpr std::size_t kCleanedShareFeature = 26;
static_assert(kUnitFeatureNames[kCleanedShareFeature] == "cleaned_share");

// The unit features of a page's units (as make_units gives them: each carries what the
// features read of its block, so the page itself is not needed), a row at a time: what
// the rows share (how much each stage kept of each unit, the page's sums, the densest
// run of prose, the sections) is computed once, by the constructor, and row() writes one
// unit's kUnitFeatures. A long text page's whole matrix, 384 bytes a unit, was the
// largest part of its cleaning's peak memory: the text unit model reads a row at a time
// (text_units.cpp). `units` must outlive this; the stages only the constructor.
class UnitFeatureRows {
public:
    UnitFeatureRows(const std::vector<Unit>& units, const UnitPage& context);
    std::size_t size() const { return units_.size(); }
    void row(std::size_t k, float* out) const;
    // Two of a row's features, as row() writes them, from the unit's measures alone:
    // what the CJK guard (unit_model.hpp) reads, before any row is computed.
    static float length_log(const Features& f);
    static float cjk_share(const Features& f);

private:
    float share_of(std::size_t k, RuleStage s) const { return kept_[k][static_cast<std::size_t>(s)]; }

    const std::vector<Unit>& units_;
    UnitPage context_;
    std::vector<std::array<float, kRuleStages>> kept_;  // of each unit, each stage's share
    std::vector<bool> prose_;
    std::vector<double> before_;  // characters before each unit
    std::vector<std::uint32_t> repeats_;  // of each unit's folded text (Features::fold) on the page
    double link_chars_ = 0, total_ = 0, prose_chars_ = 0;
    std::size_t items_ = 0, headings_ = 0;
    std::size_t run_first_ = 0, run_last_ = 0;  // the densest run of prose
    std::vector<std::uint32_t> section_;        // each unit's, from a heading to the next
    std::vector<double> section_sum_, section_count_;
    std::vector<bool> section_furniture_;
    std::vector<std::uint32_t> run_length_;     // of the run of units of its kind
    std::array<double, kRuleStages> page_share_{};
    bool batch_ = false;
};

// One row of kUnitFeatures per unit (units as make_units gives them), row-major.
std::vector<float> unit_features(const std::vector<Unit>& units, const UnitPage& context);

// Which of `units` (of a page) the `stage` document, whose units are `held`, still holds
// at its place: the units are matched in order by their folded text (Features::fold),
// a held unit looked for among the next kMatchLookahead units of the page. Unlike the
// features' shares, a repeated text the rules removed at one place and kept at another
// counts once. `matched`, if given, receives for each unit the index of its held unit
// (SIZE_MAX if none). `by_words`: a unit not matched so (the rules joined or trimmed its
// text) is kept when most of its three-word sequences are in the stage and its text is
// not repeated on the page (HTML: clean_content repairs the text it keeps).
std::vector<bool> kept_in_order(const std::vector<Unit>& units, const std::vector<Unit>& held, const Document& stage,
                                bool by_words, std::vector<std::size_t>* matched = nullptr);
// The same matched by text only (by_words false), the held units given by their keys.
std::vector<bool> kept_in_order(const std::vector<Unit>& units, const std::vector<UnitKey>& held,
                                std::vector<std::size_t>* matched = nullptr);

// --explain: the units whose fate the model changed, each with its probability,
// `reasons[k]`, the features that weighed most (`top[k]`, Diagnostic::features, as
// "name=value") and the page's type (empty for text): "removed" where the rules kept it,
// "kept" where they removed it (the rules' own removals are reported by their passes).
void note_overrules(const std::vector<Unit>& units, const std::vector<bool>& rules, const std::vector<bool>& drop,
                    const std::vector<double>& scores, const std::vector<std::string>& reasons,
                    const std::vector<std::vector<std::string>>& top, std::string_view page_type, Diagnostics& diag);

// "name=value" for each of `names`, the value read from the unit's feature row.
std::vector<std::string> feature_values(const std::vector<std::string_view>& names, const float* row);

// DCONV_UNIT_FEATURES=1: one line per unit on standard error for
// tools/train/train_unit_model.py, not a user interface:
// dconv-unit<TAB>SOURCE<TAB>INDEX<TAB>features...<TAB>RULES<TAB>text, RULES 1 when the
// rules' output holds the unit (kept_in_order), else 0.
void dump_unit_features(std::string_view source, const std::vector<Unit>& units, const std::vector<float>& features,
                        const std::vector<bool>& rules);
bool unit_features_wanted();

// Sorts 64-bit hashes in place, as std::sort does (the page's word sequences, before
// they are searched): a radix sort by the hashes' top bits, then std::sort in the cache.
void sort_hashes(std::uint64_t* first, std::uint64_t* last);

}  // namespace dconv::clean
