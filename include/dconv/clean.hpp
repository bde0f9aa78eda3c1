// dconv/clean.hpp: the cleaner, a pipeline of named passes over a Document read from a
// web-text dump. Each pass can run alone (tests do); each reports what it removed or
// rewrote, and why, to the Diagnostics sink: that report is what --explain prints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "dconv/document.hpp"

namespace dconv {

// What recurs across the pages of one batch: a line found on many pages of one site
// (banner, nav bar, footer) is template, not content. Built before cleaning, by feeding
// it every page's decoded text; read-only (and so thread-safe) while pages are cleaned.
class BatchProfile {
public:
    void add_page(std::string_view text);
    std::size_t pages() const { return pages_; }
    // On how many pages the line occurs (after white space is folded).
    std::size_t pages_with(std::string_view line) const;

private:
    std::unordered_map<std::uint64_t, std::uint32_t> counts_;
    std::size_t pages_ = 0;
};

// A line on this many pages of a batch (of at least as many pages) may be the site's
// template: the web-text classifier and the HTML cleaner read it the same way.
inline constexpr std::size_t kTemplateMinPages = 2;

struct CleanOptions {
    const BatchProfile* batch = nullptr;
    // Where the headline stood (extract_metadata's result): the article follows it, so
    // the classifier prefers the content run after it. 0: unknown.
    std::uint32_t title_line = 0;
    // Units that are content whatever the rules say (HTML: what --keep-selector chose),
    // by their text as html::unit_key gives it; nullptr: none. Not owned.
    const std::unordered_set<std::string>* keep_units = nullptr;
    // -1: --favor-recall, 1: --favor-precision (the unit model's threshold moves)
    int favor = 0;
    // The input's name, for the unit model's training dump (DCONV_UNIT_FEATURES).
    std::string source_name;
    // Tables read as their rows, a paragraph per row (the classifier reads lines of
    // text): per block of the document classified, the number (from 1) of the table it
    // is a row of, or 0. Set by the cleaner itself; nullptr: no rows. Not owned.
    const std::vector<std::uint32_t>* table_rows = nullptr;
    // The units' lines are their numbers, one after another (the HTML cleaner's copy of a
    // page): a unit "right under" another is no wrapped line of it, so no unit continues
    // the one above (units.hpp, continued_lines). Set by the cleaner itself.
    bool numbered_units = false;
};

// ------------------------------------------------------------------ the pass table
// The cleaning passes, listed once: --explain names them (Diagnostic::pass), the spec
// examples run them by id (tests/spec/clean.md), clean_document runs the text ones in
// this order, and the HTML reader runs the HTML ones (they need the page's tree).
struct CleaningState {
    CleanOptions options;  // metadata sets options.title_line for classify
};
struct CleaningPass {
    std::string_view id;     // stable: the `pass` of its diagnostics
    std::string_view reads;  // "text" (web text, --clean Markdown), "html", or "both"
    std::string_view what;   // one line
    // Runs the pass alone on a document read from text; nullptr for the HTML passes,
    // which the HTML reader runs on the page's tree.
    void (*run)(Document&, CleaningState&, Diagnostics&) = nullptr;
};
const std::vector<CleaningPass>& cleaning_passes();
const CleaningPass* find_cleaning_pass(std::string_view id);

// The cleaner's hand rules, each with a stable id (Diagnostic::rule). DCONV_RULES_OFF
// (a comma-separated list of ids, for experiments, not a user interface) switches
// rules off; formats/clean/rules.hpp explains.
struct CleaningRule {
    std::string_view id;
    std::string_view pass;  // the pass that applies it
    std::string_view what;
};
const std::vector<CleaningRule>& cleaning_rules();

// The passes, in the order clean_document runs them.
void strip_fragments(Document& doc, Diagnostics& diag);          // watermarks, stray URLs
void classify_boilerplate(Document& doc, const CleanOptions& options, Diagnostics& diag);
// Returns the source line of the headline it took (0 if none).
std::uint32_t extract_metadata(Document& doc, Diagnostics& diag);  // title, author, date...
void repair_structure(Document& doc, Diagnostics& diag);          // joins, headings, lists

void clean_document(Document& doc, const CleanOptions& options, Diagnostics& diag);

// Parses a date in any common shape ("2019-11-29 16:31:41", "2016/07/01",
// "11 December 2020", "Dec. 11, 2020", "2020年12月11日") found in `text`; returns ISO 8601
// (YYYY-MM-DD) or an empty string.
std::string find_date(std::string_view text);
// Where the text given to starts_with_date begins. At a line's start or after a separator
// (", ", " | ", " - ", " • "), a date may open with a weekday in full or abbreviated with
// "." or "," ("Tue, 3 March 2026"). Right after a word, as where a name ends ("By Sam Reed
// Tuesday, March 3, 2026"), an abbreviation needs its "." ("Di., 3. März 2026"), since
// short weekdays are surnames too ("By Yifan Sun, March 3, 2026").
enum class DateStart { line_start, after_word };
// Whether `text` starts with a date of find_date's shapes ("June 1, 2024 4 min read").
bool starts_with_date(std::string_view text, DateStart start = DateStart::line_start);

// Guesses the BCP 47 language of a text from its scripts and stop words ("en", "zh", ...).
std::string guess_language(std::string_view text);

}  // namespace dconv
