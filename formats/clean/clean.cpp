// clean.cpp: the cleaning pipeline and the batch profile.
#include "dconv/clean.hpp"

#include <algorithm>
#include <optional>

#include "clean/recall_guard.hpp"
#include "clean/text_units.hpp"
#include "core/text.hpp"
#include "dconv/limits.hpp"

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

void clean_document(Document& doc, const CleanOptions& options, Diagnostics& diag) {
    const bool had_text = !doc.blocks.empty();
    clean::RecallGuard guard(doc);  // warns if the passes lose the page's prose
    // The deadline (--timeout) between passes: each is about linear in the page.
    strip_fragments(doc, diag);
    guard.checkpoint(doc, "strip-fragments");
    check_deadline();
    CleanOptions classify = options;
    classify.title_line = extract_metadata(doc, diag);
    guard.checkpoint(doc, "metadata");
    check_deadline();
    // the unit model (text_units.hpp) judges the units classify_boilerplate was given,
    // its verdicts among the features
    std::optional<Document> before;
    if (clean::text_unit_model_wanted(options.favor)) before = doc;
    classify_boilerplate(doc, classify, diag);
    if (before) clean::decide_text_units(doc, *before, classify, diag);
    guard.checkpoint(doc, "classify");
    check_deadline();
    repair_structure(doc, diag);
    guard.checkpoint(doc, "repair");
    // An empty article is seldom what the user wants: say so, and how to keep the text.
    if (had_text && doc.blocks.empty())
        diag.warn("clean", "nothing was kept: every line looked like page furniture (--no-clean keeps the text)");
    else
        guard.report(doc, diag);
}

}  // namespace dconv
