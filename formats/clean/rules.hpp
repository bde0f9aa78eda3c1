// rules.hpp: the cleaner's hand rules, each with a stable id, and the switch that turns
// them off for an experiment.
//
// Every rule that removes (or keeps) a unit on its own authority has one id, shared by
// the text classifier (classify.cpp) and the HTML cleaner (html/content_cleaning.cpp)
// where both apply it: "link-density" is one rule, measured against one threshold
// (thresholds.hpp), whichever reader the page came through. The id travels on the
// diagnostic (Diagnostic::rule), so that --explain names it, a spec example can cite
// it, and an experiment can switch it off:
//
//     DCONV_RULES_OFF=link-density,widget-words tools/eval/devset.sh
//
// DCONV_RULES_OFF is for developers measuring what a rule is worth (retire a rule that
// costs nothing to lose); it is read once per process and is not a user interface.
// An id it does not know is reported once on stderr, and ignored.
//
// Private to formats/. The public table (ids, passes, descriptions) is
// dconv::cleaning_rules() in dconv/clean.hpp, built from kRuleTable below.
#pragma once

#include <cstdint>
#include <string_view>

namespace dconv::clean {

enum class Rule : std::uint8_t {
    // a unit's own words (text classifier and HTML cleaner alike)
    no_text,
    numbers_only,
    link_density,
    widget_words,
    legal_line,
    privacy_notice,
    site_template,
    repeated_line,
    url_text,
    markup_source,
    not_prose,
    teaser_card,
    furniture_section,
    duplicate_paragraph,
    teaser_copy,
    // a unit judged by its place (text classifier)
    context,
    content_run,
    call_to_reader,
    // rules that keep what the others would remove (text classifier)
    prose_lines_run,
    short_lines_run,
    thread_posts,
    numbered_headings,
    // the HTML content selection's (html-select), over the page's elements
    landmark,
    image_caption,
    folded_shut,
    furniture_class,
    sign_in_call,
    nested_article,
    author_box,
    repeated_box,
    comment_section,
    control_button,
    thread_page,
    // the HTML cleaner's own
    short_line_between,
    heading_without_content,
    media_neighbours,
    classifier_edge,
    protected_prose,
    repeated_quote,
    site_image,
    // the recall guard's fallback (recall_guard.hpp)
    recall_fallback,
    // its last steps for an HTML page whose body gave almost nothing: the text its JSON-LD
    // declares, else its description (html_reader.cpp)
    declared_text,
    description_fallback,
    // the unit model deciding alone where the rules kept almost nothing (text_units.hpp)
    unit_fallback,
    // the user's (--keep-selector, --drop-selector): listed so that --explain names them
    keep_selector,
    drop_selector,
    count
};

struct RuleInfo {
    Rule rule;
    std::string_view id;    // stable: named in --explain, DCONV_RULES_OFF, spec examples
    std::string_view pass;  // the pass that applies it (cleaning_passes())
    std::string_view what;  // one line, for the README and --explain's readers
};

// Every rule, in the order of the enum (a test checks the order and the ids' shape).
extern const RuleInfo kRuleTable[static_cast<std::size_t>(Rule::count)];

std::string_view rule_id(Rule rule);

// Whether the rule applies: not listed in DCONV_RULES_OFF.
bool rule_on(Rule rule);

// For tests: switches rules off as DCONV_RULES_OFF would (a comma-separated list of
// ids), replacing what the environment said. Returns the ids it did not know.
std::string set_rules_off(std::string_view ids);

}  // namespace dconv::clean
