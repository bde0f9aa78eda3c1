#include "clean/rules.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "dconv/clean.hpp"

namespace dconv::clean {

// clang-format off
// constinit: filled in by the compiler, not by code run at every start (even --version's).
constinit const RuleInfo kRuleTable[static_cast<std::size_t>(Rule::count)] = {
    {Rule::no_text,             "no-text",             "classify",   "no words: an icon, a picture's link, a line of symbols"},
    {Rule::numbers_only,        "numbers-only",        "classify",   "numbers, dates or symbols only: a counter, a date line"},
    {Rule::link_density,        "link-density",        "classify",   "most of the text is links: navigation"},
    {Rule::widget_words,        "widget-words",        "classify",   "a short line of widget words: share, log in, print"},
    {Rule::legal_line,          "legal-line",          "classify",   "a copyright or legal line"},
    {Rule::privacy_notice,      "privacy-notice",      "classify",   "a cookie or privacy notice"},
    {Rule::site_template,       "site-template",       "classify",   "a line on several pages of the batch, at the content's edge"},
    {Rule::repeated_line,       "repeated-line",       "classify",   "a short line repeated on the page: a menu item, a label"},
    {Rule::url_text,            "url-text",            "classify",   "mostly bare URLs"},
    {Rule::markup_source,       "markup-source",       "classify",   "HTML source left in a text dump"},
    {Rule::not_prose,           "not-prose",           "classify",   "a line without the shape of a sentence (few stop words)"},
    {Rule::teaser_card,         "teaser-card",         "classify",   "a headline shown again as a link beside it: a teaser card"},
    {Rule::furniture_section,   "furniture-section",   "classify",   "a section the cleaner's vocabulary calls furniture (Related, Comments), to its end"},
    {Rule::duplicate_paragraph, "duplicate-paragraph", "classify",   "the same long paragraph again"},
    {Rule::teaser_copy,         "teaser-copy",         "classify",   "the head of a longer paragraph kept: a teaser"},
    {Rule::context,             "context",             "classify",   "a short or near-good line takes the class of its neighbours (jusText)"},
    {Rule::content_run,         "content-run",         "classify",   "outside the main content run (the heaviest stretch of good text)"},
    {Rule::call_to_reader,      "call-to-reader",      "classify",   "from a call to the reader (subscribe, sign in) on, at the article's end"},
    {Rule::prose_lines_run,     "prose-lines-run",     "classify",   "keeps: near-good lines that together make a paragraph"},
    {Rule::short_lines_run,     "short-lines-run",     "classify",   "keeps: a long run of short lines without links (verse, chat)"},
    {Rule::thread_posts,        "thread-posts",        "classify",   "keeps: the posts between a thread's recurring separators"},
    {Rule::numbered_headings,   "numbered-headings",   "classify",   "keeps: section headings numbered 1, 2, 3 in the content"},
    {Rule::landmark,            "landmark",            "html-select", "a nav, aside, footer, menu, form (with a control a reader can use, or mostly links) or page header (or its ARIA role) with little prose"},
    {Rule::image_caption,       "image-caption",       "html-select", "the caption of an image the text leaves out"},
    {Rule::folded_shut,         "folded-shut",         "html-select", "a box folded shut (class collapse), shown only on demand"},
    {Rule::furniture_class,     "furniture-class",     "html-select", "a box whose class or id names furniture, with little prose or a line of links"},
    {Rule::sign_in_call,        "sign-in-call",        "html-select", "a call to sign in or subscribe"},
    {Rule::nested_article,      "nested-article",      "html-select", "an <article> inside the article: another story's card"},
    {Rule::author_box,          "author-box",          "html-select", "a box opening with the page author's name: the author's bio"},
    {Rule::repeated_box,        "repeated-box",        "html-select", "the same box without prose in several posts"},
    {Rule::comment_section,     "comment-section",     "html-select", "a comment section (class, id or itemtype) after an article's prose, on a page that is no thread"},
    {Rule::control_button,      "control-button",      "html-select", "a button outside headings and running text: a control (Share, Sign in, Copy)"},
    {Rule::thread_page,         "thread-page",         "html-select", "keeps: on a page the page model takes for a thread, the posts nested as <article>s and the boxes opening with a poster's name"},
    {Rule::short_line_between,  "short-line-between",  "html-clean", "a short line between units of furniture"},
    {Rule::heading_without_content, "heading-without-content", "html-clean", "a heading with furniture after it"},
    {Rule::media_neighbours,    "media-neighbours",    "html-clean", "a figure or image whose text on both sides went"},
    {Rule::classifier_edge,     "classifier-edge",     "html-clean", "the text classifier's verdict, before the first or after the last running prose"},
    {Rule::protected_prose,     "protected-prose",     "html-clean", "keeps: running prose the page's structure chose"},
    {Rule::repeated_quote,      "repeated-quote",      "html-quotes", "a quote of text found earlier on the page (a thread's reply)"},
    {Rule::site_image,          "site-image",          "html-clean", "an image on several pages of the batch: the site's"},
    {Rule::recall_fallback,     "recall-fallback",     "recall", "keeps more when the cleaner kept almost none of the page's prose"},
    {Rule::declared_text,       "declared-text",       "recall", "an HTML page whose body gave almost nothing: the article text its JSON-LD declares"},
    {Rule::description_fallback, "description-fallback", "recall", "an HTML page whose body gave almost nothing and whose JSON-LD declares none: its <meta> description"},
    {Rule::unit_fallback,       "unit-fallback",       "unit-model", "the unit model decides alone (and restores more) on a text page the rules kept almost nothing of"},
    {Rule::keep_selector,       "keep-selector",       "html-select", "the user's --keep-selector: content whatever the rules say"},
    {Rule::drop_selector,       "drop-selector",       "html-select", "the user's --drop-selector: removed before anything is judged"},
};
// clang-format on

std::string_view rule_id(Rule rule) { return kRuleTable[static_cast<std::size_t>(rule)].id; }

namespace {

struct Switches {
    std::array<bool, static_cast<std::size_t>(Rule::count)> off{};
};

// Parses a comma-separated list of ids into `switches`; returns the unknown ones.
std::string parse(std::string_view ids, Switches& switches) {
    std::string unknown;
    while (!ids.empty()) {
        std::size_t comma = ids.find(',');
        std::string_view id = ids.substr(0, comma);
        ids = comma == std::string_view::npos ? std::string_view() : ids.substr(comma + 1);
        while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
        while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
        if (id.empty()) continue;
        bool found = false;
        for (const RuleInfo& info : kRuleTable)
            if (info.id == id) {
                switches.off[static_cast<std::size_t>(info.rule)] = true;
                found = true;
            }
        if (!found) {  // appended piece by piece: `"," + std::string(id)` trips GCC 12's -Wrestrict
            if (!unknown.empty()) unknown += ',';
            unknown += id;
        }
    }
    return unknown;
}

Switches& switches() {
    static Switches s = [] {
        Switches from_env;
        if (const char* env = std::getenv("DCONV_RULES_OFF"); env && *env) {
            std::string unknown = parse(env, from_env);
            if (!unknown.empty())
                std::fprintf(stderr, "dconv: DCONV_RULES_OFF: unknown rule id(s) %s (ignored)\n", unknown.c_str());
        }
        return from_env;
    }();
    return s;
}

}  // namespace

bool rule_on(Rule rule) { return !switches().off[static_cast<std::size_t>(rule)]; }

std::string set_rules_off(std::string_view ids) {
    Switches fresh;
    std::string unknown = parse(ids, fresh);
    switches() = fresh;
    return unknown;
}

}  // namespace dconv::clean

namespace dconv {

const std::vector<CleaningRule>& cleaning_rules() {
    static const std::vector<CleaningRule> table = [] {
        std::vector<CleaningRule> out;
        for (const clean::RuleInfo& info : clean::kRuleTable) out.push_back({info.id, info.pass, info.what});
        return out;
    }();
    return table;
}

}  // namespace dconv
