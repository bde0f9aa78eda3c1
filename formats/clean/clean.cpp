// clean.cpp: the cleaning pipeline and the batch profile.
#include "dconv/clean.hpp"

#include <algorithm>
#include <optional>

#include "clean/recall_guard.hpp"
#include "clean/rules.hpp"
#include "clean/text_units.hpp"
#include "core/text.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"

namespace dconv {

namespace {

std::uint64_t line_key(std::string_view line) {
    // FNV-1a over the line with white space folded, so re-indented copies match
    std::uint64_t h = 1469598103934665603ull;
    bool space = false, any = false;
    for (unsigned char c : line) {
        if (c == ' ' || c == '\t' || c == '\r') {
            space = any;
            continue;
        }
        if (space) h = (h ^ ' ') * 1099511628211ull;
        space = false;
        any = true;
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

}  // namespace

void BatchProfile::add_page(std::string_view text) {
    ++pages_;
    std::vector<std::uint64_t> keys;
    for (std::string_view line : text::split_lines(text)) {
        if (text::trim(line).empty()) continue;
        keys.push_back(line_key(line));
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (auto k : keys) ++counts_[k];
}

std::size_t BatchProfile::pages_with(std::string_view line) const {
    auto it = counts_.find(line_key(line));
    return it == counts_.end() ? 0 : it->second;
}

namespace {

void run_strip_fragments(Document& doc, CleaningState&, Diagnostics& diag) { strip_fragments(doc, diag); }
void run_metadata(Document& doc, CleaningState& state, Diagnostics& diag) {
    state.options.title_line = extract_metadata(doc, diag);
}
void run_classify(Document& doc, CleaningState& state, Diagnostics& diag) {
    // the unit model (text_units.hpp) judges the units classify_boilerplate was given,
    // its verdicts among the features
    if (!clean::text_unit_model_wanted(state.options.favor)) {
        classify_boilerplate(doc, state.options, diag);
        return;
    }
    std::vector<clean::Unit> units;  // measured once, for both
    if (std::any_of(doc.blocks.begin(), doc.blocks.end(),
                    [](const Block& b) { return std::holds_alternative<Table>(b.node); })) {
        // the rules read a table's rows as units: the model reads the page as it was
        const Document before = doc;
        clean::classify_boilerplate_measured(doc, state.options, diag, units);
        clean::decide_text_units(doc, before, std::move(units), state.options, diag);
        return;
    }
    // No copy of the page: the model's features read its units, and what the rules
    // remove is kept aside for the units the model brings back.
    const std::string language = clean::document_language(doc);
    clean::RemovedUnits removed;
    clean::classify_boilerplate_measured(doc, state.options, diag, units, &removed);
    if (units.empty()) {  // nothing to judge, so nothing was removed: `doc` is the page
        clean::decide_text_units(doc, doc, std::move(units), state.options, diag);
        return;
    }
    clean::decide_text_units(doc, language, std::move(units), state.options, diag, removed);
}
void run_repair(Document& doc, CleaningState&, Diagnostics& diag) { repair_structure(doc, diag); }

}  // namespace

// The one list of passes. The HTML reader's run in the order listed, with
// strip-fragments, metadata and repair inside html-clean (html/content_cleaning.hpp).
const std::vector<CleaningPass>& cleaning_passes() {
    static const std::vector<CleaningPass> table = {
        {"html-select", "html", "chooses the content's elements: landmarks, the densest block of text", nullptr},
        {"page-model", "html", "judges the page's type and mode (one block, wide, inclusive)", nullptr},
        {"html-quotes", "html", "drops a thread's quotes of text found earlier on the page", nullptr},
        {"html-meta", "html", "takes the title heading out of the text", nullptr},
        {"strip-fragments", "both", "watermarks glued to line ends, stray URLs", run_strip_fragments},
        {"metadata", "both", "title, author, date, site from the page's head and foot", run_metadata},
        {"classify", "text", "judges each unit content or furniture (the hand rules, cleaning_rules())",
         run_classify},
        {"html-clean", "html", "judges each unit of the chosen content (the same rules, its structure first)", nullptr},
        {"unit-model", "both",
         "the trained unit classifier (clean/unit_model.hpp) removes, from what the rules kept, the units it "
         "judges furniture with confidence, and on a text page its page gate judges no article or thread, "
         "restores those it judges content (run within classify and html-clean)",
         nullptr},
        {"html-template", "html", "the site's template lines at the content's edges (wide modes)", nullptr},
        {"html-images", "html", "the site's images, redundant alt text", nullptr},
        {"repair", "both", "joins split lines, rebuilds headings and lists", run_repair},
        {"recall", "both", "checks that the page's prose survived; falls back to keeping more if not", nullptr},
    };
    return table;
}

const CleaningPass* find_cleaning_pass(std::string_view id) {
    for (const CleaningPass& pass : cleaning_passes())
        if (pass.id == id) return &pass;
    return nullptr;
}

namespace {

bool overlaps(SourceRange a, SourceRange b) {
    return a.known() && b.known() && a.first <= b.last && b.first <= a.last;
}

// The top-level blocks of `doc` that hold a unit of `prose` (document order, both).
Blocks prose_blocks(const Document& doc, const std::vector<SourceRange>& prose) {
    Blocks out;
    std::size_t k = 0;
    for (const Block& b : doc.blocks) {
        while (k < prose.size() && prose[k].known() && b.source.known() && prose[k].last < b.source.first) ++k;
        if (k < prose.size() && overlaps(b.source, prose[k])) out.push_back(b);
    }
    return out;
}

// The fallback cascade for text: the passes kept almost nothing of a page with prose,
// so the prose units they removed come back, in the page's order, beside what they kept.
// Returns how many blocks came back.
std::size_t keep_prose_units(Document& doc, Blocks prose, const std::vector<SourceRange>& lost) {
    std::size_t back = 0;
    for (Block& b : prose) {
        bool was_lost = std::any_of(lost.begin(), lost.end(), [&](SourceRange r) { return overlaps(b.source, r); });
        bool still_there = std::any_of(doc.blocks.begin(), doc.blocks.end(),
                                       [&](const Block& kept) { return overlaps(b.source, kept.source); });
        if (!was_lost || still_there) continue;
        doc.blocks.push_back(std::move(b));
        ++back;
    }
    std::stable_sort(doc.blocks.begin(), doc.blocks.end(),
                     [](const Block& a, const Block& b) { return a.source.first < b.source.first; });
    return back;
}

}  // namespace

void clean_document(Document& doc, const CleanOptions& options, Diagnostics& diag) {
    const bool had_text = !doc.blocks.empty();
    clean::RecallGuard guard(doc);  // warns if the passes lose the page's prose
    // the fallback's material: the blocks of the page's prose, as read
    Blocks prose = clean::rule_on(clean::Rule::recall_fallback) && guard.prose_length() <= clean::kMaxFallbackProse
                       ? prose_blocks(doc, guard.prose_sources())
                       : Blocks();
    // a note whose first reference a pass removes keeps its text at the next one
    NoteContents notes = labelled_note_contents(doc);
    CleaningState state{options};
    for (const CleaningPass& pass : cleaning_passes()) {
        if (!pass.run || pass.reads == "html") continue;
        // the deadline (--timeout) between passes: each is about linear in the page
        check_deadline();
        pass.run(doc, state, diag);
        guard.checkpoint(doc, pass.id);
    }
    if (!prose.empty() && clean::holds_almost_nothing(doc) && guard.collapsed(doc)) {
        const double before = guard.kept_length();
        if (std::size_t back = keep_prose_units(doc, std::move(prose), guard.lost()); back > 0)
            guard.report_fallback(doc, before, back, "--no-clean keeps everything", diag);
    }
    restore_note_contents(doc, std::move(notes));
    // An empty article is seldom what the user wants: say so, and how to keep the text.
    if (had_text && doc.blocks.empty())
        diag.warn("clean", "nothing was kept: every line looked like page furniture (--no-clean keeps the text)");
    else
        guard.report(doc, diag);
}

}  // namespace dconv
