#include "html/content_selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "clean/cues.hpp"
#include "clean/rules.hpp"
#include "clean/thresholds.hpp"
#include "core/text.hpp"
#include "dconv/limits.hpp"
#include "html/explanation.hpp"
#include "html/image_source.hpp"
#include "html/page_metadata.hpp"
#include "html/table_kind.hpp"

namespace dconv::html {

namespace {

using clean::Rule;

// ------------------------------------------------------------------ thresholds
// Lengths are in Latin-equivalent characters (html_tree.hpp).

// Prose: a block of its own text this long, this little of it links, punctuated.
constexpr float kMinProseChars = 30;
constexpr float kMaxProseLinkDensity = 0.4f;

// Step 1: a landmark (nav, aside, footer...) holding more than this share of the
// page's prose is kept: some sites wrap the whole page in one.
constexpr float kMaxFurnitureProseShare = 0.5f;

// Step 2, after Readability: paragraphs shorter than kMinParagraphChars score nothing;
// a paragraph earns a point per kCharsPerPoint, up to kMaxLengthPoints, credited to
// kScoredAncestors levels; one class/id word weighs kHintWeight (Readability: 25).
constexpr float kMinParagraphChars = 25;
constexpr float kCharsPerPoint = 100;
constexpr float kMaxLengthPoints = 3;
constexpr int kScoredAncestors = 5;
constexpr float kHintWeight = 10;
// The best candidates are read for cookie notices (the first kilobyte says what a
// notice is), and a notice's score is cut to a tenth.
constexpr std::size_t kCheckedCandidates = 8;
constexpr float kPrivacyNoticeFactor = 0.1f;
// At least kMinNearTop candidates within kNearTopShare of the best: their common
// ancestor is the content.
constexpr float kNearTopShare = 0.75f;
constexpr int kMinNearTop = 3;
// A parent scoring kClimbShare of the best is climbed through (Readability).
constexpr float kClimbShare = 1.0f / 3;
// A parent adding less than kTrifleShare of the candidate's text is the same box; one
// adding text that is kAddedProseShare prose with at most kAddedLinkDensity links is
// more of the same article.
constexpr float kTrifleShare = 0.1f;
constexpr float kAddedProseShare = 0.6f;
constexpr float kAddedLinkDensity = static_cast<float>(clean::kProseLinkDensity);  // running prose's
// Siblings join when they score kSiblingShare of the best (at least kMinSiblingScore),
// or read as prose: longer than kProseSiblingChars with little link text, or a shorter
// sentence without links.
constexpr float kSiblingShare = 0.2f;
constexpr float kMinSiblingScore = 10;
constexpr float kProseSiblingChars = 80;
constexpr float kProseSiblingLinkDensity = static_cast<float>(clean::kProseLinkDensity);  // running prose's

// Threads: kMinPosts records of one kind, within kMaxRecordClimb levels above the best
// candidate, holding kRecordsShare of their container's text with at most
// kMaxRecordLinkDensity links.
constexpr std::size_t kMinPosts = 3;
constexpr int kMaxRecordClimb = 12;
constexpr float kRecordsShare = 0.5f;
constexpr float kMaxRecordLinkDensity = 0.5f;
// A post's furniture box: at most kMaxCardChars of text, at most kMaxCardDepth levels
// below the post's prose, at most kMaxCardsPerPost of a kind in one post.
constexpr float kMaxCardChars = 400;
constexpr int kMaxCardDepth = 4;
constexpr std::size_t kMaxCardsPerPost = 2;

// Step 3: a box inside the content with more than kNavLinkDensity link text and less
// than kNavProseShare prose is navigation.
// (the cleaner's link-density rule, clean/thresholds.hpp)
constexpr float kNavLinkDensity = static_cast<float>(clean::kBadLinkDensity);
constexpr float kNavProseShare = 0.3f;

// A box of at most kMaxFurnitureLineChars with links, and a class or id of furniture, is
// a promotion or a call ("Follow our channel", "Get the magazine"), prose or not.
constexpr float kMaxFurnitureLineChars = 200;

// A figure caption holding this many paragraphs is text set in a figure, not a caption.
constexpr int kMinCaptionTextParagraphs = 2;

// Author boxes (step 3): a box of at most kMaxAuthorBoxChars (a name, a role, a bio of a
// few sentences) or a byline of at most kMaxBylineChars that opens, within kMaxNamePrefix
// folded bytes, with an author's name of at least kMinAuthorName folded bytes; the
// opening read is kAuthorOpening bytes.
// A box holding more than kMaxAuthorBoxShare of the content is the content (a post).
constexpr float kMaxAuthorBoxChars = 700;
constexpr float kMaxAuthorBoxShare = 0.15f;
constexpr float kMaxBylineChars = 120;
constexpr std::size_t kMaxNamePrefix = 8;
constexpr std::size_t kMinAuthorName = 4;
constexpr std::size_t kAuthorOpening = 160;

// Calls to sign in or subscribe (step 3): a box of at most this much text.
constexpr float kMaxCallChars = 400;
// ... or a line of at most kMaxCallLineChars, at least kMinCallLineLinkDensity of it links.
constexpr float kMaxCallLineChars = 150;
constexpr float kMinCallLineLinkDensity = 0.2f;

// Teasers (step 3): an <article> inside the content holding at most this share of it.
constexpr float kMaxTeaserShare = 0.15f;

// A box folded shut holding more than this share of the content is part of it, and so
// are boxes folded shut of one kind (tag and first class) that hold it together: a
// thread's posts each in a box whose class says `collapse` (a grid's gutterless row),
// not one panel a reader may open.
constexpr float kMaxFoldedShare = 0.25f;

// The recall guard: the content holds at least this share of the page's prose.
constexpr float kRecallShare = 0.3f;

// Comment sections: one counts as after the article when this much of the page's
// prose (its landmarks aside) comes before it.
constexpr float kMinProseBeforeComments = 500;

// Text read for an explanation's excerpt.
constexpr std::size_t kExcerptSource = 240;

// ------------------------------------------------------------------ class and id words

// Words in class and id values that hint at furniture or at content. Weak evidence:
// they only shift scores, and remove nothing unless the text agrees.
constexpr std::string_view kFurnitureWords[] = {
    "sidebar", "footer", "breadcrumb", "share", "sharing", "social", "related",
    "recommend", "banner", "sponsor", "advert", "promo", "popup", "modal", "cookie",
    "newsletter", "subscribe", "pagination", "pager", "widget", "masthead", "toolbar",
    "login", "signup", "copyright", "disclaimer", "outbrain", "taboola", "navbar", "menu",
    "hidden", "skip", "layer", "dropdown", "tooltip", "overlay",
};
// Short words match whole tokens only ("nav" is not "canvas").
constexpr std::string_view kFurnitureTokens[] = {"nav", "ad", "ads", "tags", "tag", "foot", "header", "aside", "side"};
// Discussion: furniture below an article, the content of a thread. They lower a
// candidate's score, and never remove anything.
constexpr std::string_view kDiscussionWords[] = {"comment", "reply", "replies", "discuss"};
constexpr std::string_view kContentWords[] = {"article", "content", "entry", "main", "story", "blog", "text",
                                              "body", "post"};

bool is_token_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Calls f(token) for each run of token characters in `lower` (a class or id lower-cased:
// "comment-list_2" is "comment", "list", "2"), until a call returns true; says whether
// one did.
template <class F>
bool any_token(std::string_view lower, F&& f) {
    std::size_t i = 0;
    while (i < lower.size()) {
        while (i < lower.size() && !is_token_char(lower[i])) ++i;
        std::size_t start = i;
        while (i < lower.size() && is_token_char(lower[i])) ++i;
        if (i > start && f(lower.substr(start, i - start))) return true;
    }
    return false;
}

struct Hint {
    int score = 0;           // +1 for content words, -1 for furniture or discussion words
    bool furniture = false;  // a furniture word (not a discussion word)
    bool discussion = false;
    bool content = false;
};

// A class name of kMinSlugWords words or more ("admonition-ensure-that-your-login-view-
// does-not-require-a-login") is made from the box's own title, not a designer's name for
// a kind of box: its words say nothing of the box's role.
constexpr int kMinSlugWords = 6;

std::string without_slugs(std::string_view value) {
    std::string out;
    std::size_t k = 0;
    while (k < value.size()) {
        std::size_t end = value.find_first_of(" \t\n\r\f", k);
        if (end == std::string_view::npos) end = value.size();
        std::string_view name = value.substr(k, end - k);
        int words = 0;  // runs between '-' and '_' ("page--header" is two)
        for (std::size_t c = 0; c < name.size(); ++c)
            words += name[c] != '-' && name[c] != '_' && (c == 0 || name[c - 1] == '-' || name[c - 1] == '_');
        if (words < kMinSlugWords) {
            out.append(name);
            out += ' ';
        }
        k = end + 1;
    }
    return out;
}

Hint hint_of(std::string_view value) {
    if (value.empty()) return {};
    std::string lower = text::lower_ascii(without_slugs(value));
    bool furniture = false, discussion = false, content = false;
    any_token(lower, [&](std::string_view token) {
        for (auto w : kFurnitureWords)
            if (token.find(w) != std::string_view::npos) furniture = true;
        for (auto w : kFurnitureTokens)
            if (token == w) furniture = true;
        for (auto w : kDiscussionWords)
            if (token.find(w) != std::string_view::npos) discussion = true;
        for (auto w : kContentWords)
            if (token.find(w) != std::string_view::npos) content = true;
        return false;
    });
    return {(content ? 1 : 0) - (furniture || discussion ? 1 : 0), furniture, discussion, content};
}

const char* landmark_role(std::string_view role) {
    static constexpr std::pair<std::string_view, const char*> kRoles[] = {
        {"navigation", "role=navigation"}, {"banner", "role=banner"},
        {"contentinfo", "role=contentinfo"}, {"complementary", "role=complementary"},
        {"search", "role=search"}, {"menu", "role=menu"}, {"menubar", "role=menubar"},
        {"toolbar", "role=toolbar"}, {"dialog", "role=dialog"}, {"alertdialog", "role=alertdialog"},
    };
    std::string lower = text::lower_ascii(text::trim(role));
    for (const auto& [name, reason] : kRoles)
        if (lower == name) return reason;
    return nullptr;
}

bool is_heading(GumboTag tag) {
    return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 ||
           tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

std::string format(const char* fmt, double a, double b = 0) {
    char buf[160];
    std::snprintf(buf, sizeof buf, fmt, a, b);
    return buf;
}

class Selector {
public:
    Selector(const Page& page, std::string_view language, const std::vector<std::string>& authors, Diagnostics& diag,
             bool landmarks_only, const std::vector<std::uint32_t>& excluded, bool thread_page)
        : landmarks_only_(landmarks_only), thread_page_(thread_page), page_(page), language_(language), authors_(authors), diag_(diag), explain_(diag.keeps_notes()), n_(page.size()),
          removed_(n_, false), hint_(n_, 0), furniture_hint_(n_, false), score_(n_, 0), scored_(n_, false),
          live_(n_), prose_(n_, 0) {
        for (std::uint32_t e : excluded)
            if (e < n_) removed_[e] = true;
    }

    Selection run() {
        Selection out;
        std::uint32_t body = page_.body();
        if (body == kNoElement || n_ == 0) {
            out.removed = std::move(removed_);
            if (body != kNoElement) out.roots.push_back(body);
            return out;
        }
        for (std::uint32_t i = 0; i < n_; ++i) {
            poll_deadline();
            if (page_[i].skipped) continue;
            Hint cls = hint_of(attribute(page_[i].node, "class")), id = hint_of(attribute(page_[i].node, "id"));
            hint_[i] = static_cast<std::int8_t>(cls.score + id.score);
            furniture_hint_[i] = cls.furniture || id.furniture;
        }
        measure_live();
        remove_landmarks(body);
        measure_live();
        if (landmarks_only_) {  // the wide and inclusive modes: the whole body but its furniture
            if (explain_) note(body, "kept", "the whole page but its landmarks (the page model's wider mode)", 0);
            out.roots = {body};
            out.removed = std::move(removed_);
            return out;
        }
        score_paragraphs();
        std::uint32_t top = choose_top(body);
        top = thread_of(top, body);
        std::vector<std::uint32_t> roots = top == body ? std::vector<std::uint32_t>{body} : with_siblings(top);
        roots = recall_guard(roots, body);
        if (explain_)
            for (std::uint32_t r : roots)
                note(r, "kept", format("the content (score %.1f, link density %.2f)", final_[r], live_[r].link_density()),
                     final_[r]);
        clean_inside(roots);
        if (explain_) explain_outside(roots, body);
        out.roots = std::move(roots);
        out.removed = std::move(removed_);
        out.thread = thread_;
        out.posts_removed = posts_removed_;
        return out;
    }

private:
    // ------------------------------------------------------------ measures

    // Text and prose of every element, what has been removed aside.
    void measure_live() {
        std::vector<bool> dead(n_, false);
        for (std::uint32_t i = 0; i < n_; ++i) {
            poll_deadline();
            const Element& e = page_[i];
            dead[i] = removed_[i] || e.skipped || (e.parent != kNoElement && dead[e.parent]);
        }
        for (std::uint32_t i = 0; i < n_; ++i) {
            poll_deadline();
            live_[i] = dead[i] ? TextMeasure{} : page_[i].direct;
            prose_[i] = !dead[i] && is_prose_block(page_[i]) ? page_[i].own.chars : 0;
        }
        for (std::uint32_t i = n_; i-- > 0;) {
            poll_deadline();
            std::uint32_t p = page_[i].parent;
            if (p == kNoElement || dead[i]) continue;
            live_[p].add(live_[i]);
            prose_[p] += prose_[i];
        }
        dead_ = std::move(dead);
    }

    // ------------------------------------------------------------ step 1: landmarks

    // Whether a form holds a control a reader could use: a field that is not hidden, a
    // text area, a drop-down list or a button.
    bool has_visible_control(std::uint32_t form) const {
        for (std::uint32_t d = form + 1; d < page_[form].end; ++d) {
            switch (page_[d].tag) {
                case GUMBO_TAG_TEXTAREA:
                case GUMBO_TAG_SELECT:
                case GUMBO_TAG_BUTTON: return true;
                case GUMBO_TAG_INPUT:
                    if (text::lower_ascii(attribute(page_[d].node, "type")) != "hidden") return true;
                    break;
                default: break;
            }
        }
        return false;
    }

    const char* furniture_reason(std::uint32_t i) const {
        const Element& e = page_[i];
        switch (e.tag) {
            case GUMBO_TAG_NAV: return "nav element";
            case GUMBO_TAG_ASIDE: return "aside element";
            case GUMBO_TAG_FOOTER: return "footer element";
            case GUMBO_TAG_MENU: return "menu element";
            // a form is furniture for its controls (a search box, a sign-up, a reply box);
            // one without a control a reader could use, holding text rather than links,
            // wraps text that can be edited in place (a thread's posts, each in its own
            // form) and is judged as any box (a form of product cards, links, is not)
            case GUMBO_TAG_FORM:
                return has_visible_control(i) || live_[i].link_density() > kMaxProseLinkDensity ? "form" : nullptr;
            case GUMBO_TAG_HEADER:
                // an article's header (inside it, or holding the headline) is the article's
                for (std::uint32_t a = e.parent; a != kNoElement; a = page_[a].parent)
                    if (page_[a].tag == GUMBO_TAG_ARTICLE || page_[a].tag == GUMBO_TAG_MAIN) return nullptr;
                for (std::uint32_t d = i + 1; d < e.end; ++d)
                    if (page_[d].tag == GUMBO_TAG_H1) return nullptr;
                return "page header";
            default: break;
        }
        return landmark_role(attribute(e.node, "role"));
    }

    void remove_landmarks(std::uint32_t body) {
        float page_prose = prose_[body];
        for (std::uint32_t i = body + 1; i < page_[body].end; ++i) {
            poll_deadline();
            if (dead_[i] || removed_[i]) continue;
            const char* why = furniture_reason(i);
            if (!why) continue;
            if (page_prose > 0 && prose_[i] > kMaxFurnitureProseShare * page_prose) continue;
            remove(i, std::string(why) + format(", link density %.2f", live_[i].link_density()), Rule::landmark);
            i = page_[i].end - 1;
        }
    }

    // Removes element i by `rule`, unless an experiment switched the rule off.
    void remove(std::uint32_t i, std::string why, Rule rule) {
        if (!clean::rule_on(rule)) return;
        removed_[i] = true;
        if (explain_) note(i, "removed", std::move(why), live_[i].link_density(), rule);
    }

    void note(std::uint32_t i, const char* action, std::string why, double score, Rule rule = Rule::count) {
        Diagnostic d = explanation("html-select", action, {page_[i].line, std::max(page_[i].line, page_[i].last_line)},
                                   describe(i) + ": " + why,
                                   rule != Rule::count ? clean::rule_id(rule) : std::string_view(),
                                   excerpt(page_.text_of(i, kExcerptSource)));
        d.score = score;
        diag_.note(std::move(d));
    }

    // "div#main.post-body": what the element is, for explanations.
    std::string describe(std::uint32_t i) const {
        const Element& e = page_[i];
        std::string out = e.tag == GUMBO_TAG_UNKNOWN
                              ? std::string(e.node->v.element.original_tag.data,
                                            std::min<std::size_t>(e.node->v.element.original_tag.length, 20))
                              : gumbo_normalized_tagname(e.tag);
        if (e.tag == GUMBO_TAG_UNKNOWN && !out.empty() && out[0] == '<') out.erase(0, 1);
        // Whole names, as a selector would give them (--keep-selector takes the label
        // back); a name or a class list too long to show ends in "…", never cut silently.
        std::string_view id = text::trim(attribute(e.node, "id"));
        if (!id.empty()) {
            out += '#';
            out.append(id.substr(0, 40));
            if (id.size() > 40) out += "…";
        }
        std::string_view cls = attribute(e.node, "class");
        std::size_t shown = 0;
        for (std::size_t at = 0; at < cls.size();) {
            std::size_t start = cls.find_first_not_of(" \t\n\r\f", at);
            if (start == std::string_view::npos) break;
            std::size_t end = std::min(cls.size(), cls.find_first_of(" \t\n\r\f", start));
            std::string_view name = cls.substr(start, end - start);
            if (shown > 0 && shown + name.size() > 60) {
                out += "…";
                break;
            }
            out += '.';
            out.append(name.substr(0, 60));
            if (name.size() > 60) {
                out += "…";
                break;
            }
            shown += name.size() + 1;
            at = end;
        }
        return out;
    }

    // ------------------------------------------------------------ step 2: candidates

    float base_score(std::uint32_t i) const {
        float s = 0;
        switch (page_[i].tag) {
            case GUMBO_TAG_DIV: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: s = 5; break;
            case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE: s = 3; break;
            case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL:
            case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM: s = -3; break;
            case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
            case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TH: s = -5; break;
            default: break;
        }
        return s + kHintWeight * static_cast<float>(hint_[i]);
    }

    void credit(std::uint32_t i, float points) {
        if (!scored_[i]) {
            scored_[i] = true;
            score_[i] = base_score(i);
        }
        score_[i] += points;
    }

    void score_paragraphs() {
        for (std::uint32_t i = 0; i < n_; ++i) {
            poll_deadline();
            const Element& e = page_[i];
            if (dead_[i] || !e.block || e.own.chars < kMinParagraphChars) continue;
            if (e.tag == GUMBO_TAG_H1) continue;
            float points = 1 + static_cast<float>(e.own.commas) +
                           std::min(kMaxLengthPoints, std::floor(e.own.chars / kCharsPerPoint));
            // text mixed with blocks (a <div> of text and <br>s): its container is itself
            std::uint32_t container = e.block_children ? i : e.parent;
            for (int level = 0; level < kScoredAncestors && container != kNoElement; ++level) {
                if (page_[container].tag == GUMBO_TAG_HTML) break;
                float divider = level == 0 ? 1.0f : level == 1 ? 2.0f : static_cast<float>(level) * 3;
                credit(container, points / divider);
                container = page_[container].parent;
            }
        }
        // in the scores' place: on a page of table cells an array of a float per element
        // is a quarter of the markup's size, held at the reader's peak (issue 16)
        final_ = std::move(score_);
        for (std::uint32_t i = 0; i < n_; ++i)
            final_[i] = scored_[i] ? final_[i] * (1 - live_[i].link_density()) : 0;
    }

    // A cookie or privacy notice is a box beside the page's main prose, never the main
    // prose itself: a box of kMaxNoticePageShare of the body's text or more is not one,
    // whatever its words are about. (Its number of paragraphs says nothing: a consent
    // dialog lists its kinds of cookies a paragraph each.)
    bool notice_sized(std::uint32_t c, std::uint32_t body) const {
        return live_[c].chars < clean::kMaxNoticePageShare * live_[body].chars;
    }

    std::uint32_t choose_top(std::uint32_t body) {
        std::vector<std::uint32_t> ranked;
        for (std::uint32_t i = body; i < page_[body].end; ++i)
            if (scored_[i] && !dead_[i]) ranked.push_back(i);
        if (ranked.empty()) return body;
        auto by_score = [&](std::uint32_t a, std::uint32_t b) {
            return final_[a] != final_[b] ? final_[a] > final_[b] : a < b;
        };
        std::sort(ranked.begin(), ranked.end(), by_score);
        // a cookie or privacy notice is long, punctuated prose, and no article
        std::vector<std::uint32_t> notices;
        for (std::size_t k = 0; k < ranked.size() && k < kCheckedCandidates; ++k) {
            poll_deadline();
            std::uint32_t c = ranked[k];
            if (!notice_sized(c, body) ||
                !clean::is_privacy_notice(page_.text_of(c, clean::kNoticeSampleBytes), language_))
                continue;
            final_[c] *= kPrivacyNoticeFactor;
            notices.push_back(c);
        }
        if (!notices.empty()) {
            std::sort(ranked.begin(), ranked.end(), by_score);
            // the notice goes, unless it holds the rest (a page that opens with its banner)
            std::sort(notices.begin(), notices.end());
            for (std::uint32_t c : notices) {
                if (dead_[c] || removed_[c]) continue;
                bool holds_content = false;
                for (std::size_t k = 0; k < ranked.size() && k < kCheckedCandidates && !holds_content; ++k)
                    holds_content = std::find(notices.begin(), notices.end(), ranked[k]) == notices.end() &&
                                    page_.contains(c, ranked[k]);
                if (holds_content || !clean::rule_on(Rule::privacy_notice)) continue;
                remove(c, "reads as a cookie or privacy notice", Rule::privacy_notice);
                for (std::uint32_t d = c; d < page_[c].end; ++d) dead_[d] = true;
            }
            measure_live();
            ranked.erase(std::remove_if(ranked.begin(), ranked.end(), [&](std::uint32_t c) { return dead_[c]; }),
                         ranked.end());
            if (ranked.empty()) return body;
        }
        std::uint32_t top = ranked.front();
        if (final_[top] <= 0) return body;

        // several near-best candidates (posts, sections) under one ancestor: take it
        std::vector<std::uint32_t> near;
        for (std::size_t k = 1; k < ranked.size() && k < 5; ++k)
            if (final_[ranked[k]] >= kNearTopShare * final_[top]) near.push_back(ranked[k]);
        if (near.size() >= kMinNearTop) {
            for (std::uint32_t a = page_[top].parent; a != kNoElement && a != body; a = page_[a].parent) {
                std::size_t inside = 0;
                for (std::uint32_t c : near) inside += page_.contains(a, c);
                if (inside >= kMinNearTop) {
                    top = a;
                    break;
                }
            }
        }
        // climb while the parent scores as well (the article split over several boxes)
        float last = final_[top], threshold = last * kClimbShare;
        for (std::uint32_t p = page_[top].parent; p != kNoElement && p != body; p = page_[p].parent) {
            poll_deadline();
            if (!scored_[p]) continue;
            if (final_[p] < threshold) break;
            if (final_[p] > last) {
                top = p;
                break;
            }
            last = final_[p];
        }
        // climb while what the parent adds reads like more of the same text: mostly
        // prose, few links (an article cut into sections, a list beside its lead)
        while (top != body) {
            std::uint32_t p = page_[top].parent;
            if (p == kNoElement || p == body) break;
            float added = live_[p].chars - live_[top].chars;
            float added_links = live_[p].link_chars - live_[top].link_chars;
            float added_prose = prose_[p] - prose_[top];
            bool trifle = added <= kTrifleShare * live_[top].chars;
            bool same_text = added > 0 && added_prose >= kAddedProseShare * added &&
                             added_links <= kAddedLinkDensity * added;
            if (!trifle && !same_text) break;
            top = p;
        }
        // an only child stands for its parent
        while (top != body) {
            std::uint32_t p = page_[top].parent;
            if (p == kNoElement || p == body) break;
            std::size_t children = 0;
            for (std::uint32_t c = p + 1; c < page_[p].end; c = page_[c].end)
                children += !dead_[c] && live_[c].chars > 0;
            if (children != 1) break;
            top = p;
        }
        return top;
    }

    // The kind of a record in a repeated structure: its tag and first class, or for a box
    // without class its id, less digits ("div.post-wrap" for class "post-wrap wpfn-4",
    // "div#post_" for id "post_53876"); empty for a bare tag.
    std::string record_kind(std::uint32_t i) const {
        std::string kind = gumbo_normalized_tagname(page_[i].tag);
        std::string_view name = text::trim(attribute(page_[i].node, "class"));
        char mark = '.';
        if (name.empty()) {
            name = text::trim(attribute(page_[i].node, "id"));
            mark = '#';
        }
        name = name.substr(0, name.find_first_of(" \t\n\f\r"));
        if (name.empty()) return {};
        kind += mark;
        for (char c : name)
            if (c < '0' || c > '9') kind += c;
        return kind;
    }

    // Records: children of `parent` of one kind, each a box of blocks, that hold most of
    // its text with little of it links: posts of a thread, entries of a list. Their
    // number (0 when they are not records), the kind that of `sample` if given.
    std::size_t records_in(std::uint32_t parent, std::uint32_t sample = kNoElement) const {
        std::unordered_map<std::string, std::pair<std::size_t, TextMeasure>> kinds;
        std::string wanted = sample == kNoElement ? std::string() : record_kind(sample);
        if (sample != kNoElement && wanted.empty()) return 0;
        for (std::uint32_t c = parent + 1; c < page_[parent].end; c = page_[c].end) {
            poll_deadline();
            if (dead_[c] || live_[c].chars == 0 || !page_[c].block_children) continue;
            std::string kind = record_kind(c);
            if (kind.empty() || (!wanted.empty() && kind != wanted)) continue;
            auto& [count, text] = kinds[kind];
            ++count;
            text.add(live_[c]);
        }
        std::size_t best = 0;
        for (const auto& [kind, entry] : kinds) {
            poll_deadline();
            const auto& [count, text] = entry;
            if (count >= kMinPosts && text.chars >= kRecordsShare * live_[parent].chars &&
                text.link_density() <= kMaxRecordLinkDensity)
                best = std::max(best, count);
        }
        return best;
    }

    // Threads and lists: when the best candidate lies in one record of several of one
    // kind side by side (a post among posts), the content is all of them; when it holds
    // such records, it is a thread as it stands.
    std::uint32_t thread_of(std::uint32_t top, std::uint32_t body) {
        std::uint32_t a = top;
        for (int up = 0; a != body && up < kMaxRecordClimb; ++up, a = page_[a].parent) {
            poll_deadline();
            std::uint32_t p = page_[a].parent;
            if (p == kNoElement) break;
            std::size_t records = records_in(p, a);
            if (records == 0) continue;
            thread_ = true;
            if (explain_)
                note(p, "kept", format("%.0f records of one kind side by side, the best candidate in one",
                                       double(records)), final_[top]);
            return p;
        }
        // the candidate's own children, or those of the child that holds most of its text
        for (std::uint32_t c = top; c != kNoElement;) {
            poll_deadline();
            if (std::size_t records = records_in(c)) {
                thread_ = true;
                if (explain_)
                    note(c, "kept", format("%.0f records of one kind side by side", double(records)), final_[top]);
                break;
            }
            std::uint32_t main = kNoElement;
            for (std::uint32_t k = c + 1; k < page_[c].end; k = page_[k].end)
                if (!dead_[k] && (main == kNoElement || live_[k].chars > live_[main].chars)) main = k;
            c = main != kNoElement && live_[main].chars >= kRecordsShare * live_[c].chars ? main : kNoElement;
        }
        return top;
    }

    std::vector<std::uint32_t> with_siblings(std::uint32_t top) {
        std::uint32_t parent = page_[top].parent;
        std::vector<std::uint32_t> roots;
        if (parent == kNoElement) return {top};
        float threshold = std::max(kMinSiblingScore, final_[top] * kSiblingShare);
        std::string_view top_class = attribute(page_[top].node, "class");
        for (std::uint32_t s = parent + 1; s < page_[parent].end; s = page_[s].end) {
            poll_deadline();
            if (s == top) {
                roots.push_back(s);
                continue;
            }
            if (dead_[s] || live_[s].chars == 0) continue;
            float bonus = !top_class.empty() && attribute(page_[s].node, "class") == top_class
                              ? final_[top] * kSiblingShare : 0;
            bool join = scored_[s] && final_[s] + bonus >= threshold;
            if (!join && !page_[s].block_children) {
                const TextMeasure& m = live_[s];
                float ld = m.link_density();
                join = (m.chars > kProseSiblingChars && ld < kProseSiblingLinkDensity) ||
                       (m.chars <= kProseSiblingChars && ld == 0 && m.sentence_ends > 0);
            }
            if (join) roots.push_back(s);
        }
        return roots;
    }

    // ------------------------------------------------------------ recall guard

    std::vector<std::uint32_t> recall_guard(std::vector<std::uint32_t> roots, std::uint32_t body) {
        float page_prose = prose_[body];
        float kept = 0;
        for (std::uint32_t r : roots) kept += prose_[r];
        if (page_prose <= 0 || kept >= kRecallShare * page_prose) return roots;
        std::uint32_t a = page_[roots.front()].parent;
        while (a != kNoElement && a != body && prose_[a] < kRecallShare * page_prose) a = page_[a].parent;
        if (a == kNoElement) a = body;
        if (explain_)
            note(a, "kept",
                 format("recall guard: the best candidate held %.0f%% of the page's prose, this holds %.0f%%",
                        100.0 * kept / page_prose, 100.0 * prose_[a] / page_prose),
                 kept / page_prose);
        return {a};
    }

    // ------------------------------------------------------------ step 3: inside

    void clean_inside(const std::vector<std::uint32_t>& roots) {
        float content_chars = 0;
        for (std::uint32_t r : roots) content_chars += live_[r].chars;
        const std::unordered_map<std::string, float> folded = folded_by_kind(roots);
        auto folded_chars = [&](std::uint32_t i) {
            std::string kind = record_kind(i);
            auto it = kind.empty() ? folded.end() : folded.find(kind);
            return it == folded.end() ? live_[i].chars : it->second;
        };
        for (std::uint32_t r : roots) {
            poll_deadline();
            for (std::uint32_t i = r + 1; i < page_[r].end; ++i) {
                if (dead_[i] || removed_[i]) continue;
                const Element& e = page_[i];
                if (!e.block || live_[i].chars == 0) continue;
                if (e.tag == GUMBO_TAG_TABLE && is_data_table(page_, i)) {
                    // a data table is content, however many numbers or links it holds
                    if (explain_) note(i, "kept", "a data table (table_kind.hpp)", live_[i].link_density());
                    i = e.end - 1;
                    continue;
                }
                float ld = live_[i].link_density();
                float prose_share = prose_[i] / live_[i].chars;
                std::string why;
                Rule rule = Rule::count;
                if (is_bare_caption(i))
                    why = "the caption of an image, which the text leaves out", rule = Rule::image_caption;
                else if (is_folded_shut(i) && folded_chars(i) <= kMaxFoldedShare * content_chars)
                    why = "folded shut (class collapse), shown only on demand", rule = Rule::folded_shut;
                else if (ld > kNavLinkDensity && prose_share < kNavProseShare && live_[i].commas < 10) {
                    // a photo's own link is no navigation: the box (its caption with it) stays,
                    // unless its class or id calls it furniture (an advertisement's picture)
                    if (!(furniture_hint_[i] && hint_[i] < 0) && is_photo_box(page_, i)) {
                        if (explain_) note(i, "kept", "a photo in its own link, with its caption", ld);
                        i = e.end - 1;
                        continue;
                    }
                    why = format("link density %.2f, prose %.0f%%", ld, 100.0 * prose_share), rule = Rule::link_density;
                } else if (furniture_hint_[i] && hint_[i] < 0 && prose_share < kNavProseShare)
                    why = format("class or id of furniture, link density %.2f, prose %.0f%%", ld, 100.0 * prose_share),
                    rule = Rule::furniture_class;
                else if (furniture_hint_[i] && hint_[i] < 0 && live_[i].chars <= kMaxFurnitureLineChars &&
                         live_[i].link_chars > 0)
                    why = format("class or id of furniture, a line of %.0f characters with links", live_[i].chars),
                    rule = Rule::furniture_class;
                if (why.empty() || !clean::rule_on(rule)) continue;
                remove(i, why, rule);
                i = e.end - 1;
            }
        }
        measure_live();
        remove_account_calls(roots);
        remove_post_furniture(roots);
        if (!thread_ && !thread_page_) {
            remove_author_boxes(roots);
            remove_teasers(roots);
        }
    }

    // A link to an account's or a list's door: sign in, register, subscribe. The words
    // are read in the link's target, as tokens of its path and query, '-' and '_' dropped
    // ("/sign-in/" is "signin").
    static bool is_account_link(std::string_view href) {
        static constexpr std::string_view kDoors[] = {"login", "logon", "signin", "signup", "register",
                                                      "registration", "subscribe", "newsletter"};
        std::string token;
        auto door = [&] {
            bool found = false;
            for (auto w : kDoors) found = found || token == w;
            token.clear();
            return found;
        };
        std::size_t from = href.find("://");
        from = from == std::string_view::npos ? 0 : href.find('/', from + 3);
        if (from == std::string_view::npos) return false;
        for (std::size_t k = from; k < href.size(); ++k) {
            char c = href[k];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (c == '-' || c == '_') continue;
            if (is_token_char(c)) token += c;
            else if (door()) return true;
            if (c == '#') break;
        }
        return door();
    }

    // A call to sign in or subscribe ("Join the discussion: sign in or create your free
    // account to reply", "Get our newsletter"): a box of a few lines inside the content,
    // holding a link to the door, a heading or a sentence and little else. The outermost
    // box of at most kMaxCallChars with blocks of its own goes, or a line of at most
    // kMaxCallLineChars whose links are a good part of it ("Please Login or Register to
    // reply"); a sentence of the article that links to a sign-up page stays. A form of
    // controls that step 1 removed (rule landmark: a newsletter's e-mail field and its
    // Subscribe button) is such a door too: the box that held it and its pitch ("Get the
    // Weekly", "The week's news, every Friday") goes with it.
    void remove_account_calls(const std::vector<std::uint32_t>& roots) {
        bool any = false;
        for (std::uint32_t r : roots) {
            poll_deadline();
            for (std::uint32_t i = r + 1; i < page_[r].end; ++i) {
                // (removed, the form is dead itself: the box above it must not be)
                const bool form = page_[i].tag == GUMBO_TAG_FORM && removed_[i] && !page_[i].skipped &&
                                  !dead_[page_[i].parent] && has_visible_control(i);
                if (!form && (dead_[i] || removed_[i] || page_[i].tag != GUMBO_TAG_A)) continue;
                if (!form && !is_account_link(attribute(page_[i].node, "href"))) continue;
                std::uint32_t box = kNoElement;
                for (std::uint32_t a = page_[i].parent; a != r && a != kNoElement; a = page_[a].parent) {
                    if (live_[a].chars > kMaxCallChars) break;
                    if (!page_[a].block) continue;
                    if (page_[a].block_children || (live_[a].chars <= kMaxCallLineChars &&
                                                    live_[a].link_density() >= kMinCallLineLinkDensity))
                        box = a;
                }
                if (box == kNoElement || removed_[box] || (form && live_[box].chars == 0)) continue;
                remove(box,
                       format(form ? "the box of a form of controls (a sign-up, a search), %.0f characters"
                                   : "a call to sign in or subscribe, %.0f characters",
                              live_[box].chars),
                       Rule::sign_in_call);
                any = true;
                i = page_[box].end - 1;
            }
        }
        if (any) measure_live();
    }

    // An <article> inside the content, not holding it, is another composition: on an
    // article's page (not a thread, whose posts these are), the card of another story
    // (title link, excerpt, date); one holding more than kMaxTeaserShare of the content
    // is part of it (a site that nests its article twice).
    void remove_teasers(const std::vector<std::uint32_t>& roots) {
        float content_chars = 0;
        for (std::uint32_t r : roots) content_chars += live_[r].chars;
        for (std::uint32_t r : roots) {
            poll_deadline();
            for (std::uint32_t i = r + 1; i < page_[r].end; ++i) {
                if (dead_[i] || removed_[i]) continue;
                if (page_[i].tag != GUMBO_TAG_ARTICLE || live_[i].chars == 0) continue;
                if (live_[i].chars > kMaxTeaserShare * content_chars || live_[i].link_chars == 0) continue;
                remove(i, format("an article inside the article, %.0f%% of the content",
                                 100.0 * live_[i].chars / content_chars), Rule::nested_article);
                ++posts_removed_;
                i = page_[i].end - 1;
            }
        }
        measure_live();
    }

    // An author's box: a box of at most kMaxAuthorBoxChars, or a line of at most
    // kMaxBylineChars, whose text opens (within kMaxNamePrefix folded characters: "By",
    // "About") with an author's name; the outermost one. Names shorter than
    // kMinAuthorName folded characters say too little to go by.
    void remove_author_boxes(const std::vector<std::uint32_t>& roots) {
        std::vector<std::string> names;
        for (const std::string& a : authors_) {
            poll_deadline();
            std::string folded = fold_title(a);
            if (folded.size() >= kMinAuthorName) names.push_back(std::move(folded));
        }
        if (names.empty()) return;
        float content_chars = 0;
        for (std::uint32_t r : roots) content_chars += live_[r].chars;
        for (std::uint32_t r : roots) {
            poll_deadline();
            for (std::uint32_t i = r + 1; i < page_[r].end; ++i) {
                if (dead_[i] || removed_[i]) continue;
                const Element& e = page_[i];
                const float chars = live_[i].chars;
                if (!e.block || chars == 0 || chars > kMaxAuthorBoxChars) continue;
                if (chars > kMaxAuthorBoxShare * content_chars) continue;
                // a byline is a line, not a sentence ("Jane said..." is text about her)
                if (!e.block_children && (chars > kMaxBylineChars || live_[i].sentence_ends > 0)) continue;
                std::string opening = fold_title(page_.text_of(i, kAuthorOpening));
                bool named = false;
                for (const std::string& name : names) {
                    std::size_t at = opening.find(name);
                    named = named || (at != std::string::npos && at <= kMaxNamePrefix);
                }
                if (!named) continue;
                remove(i, format("opens with the name of the page's author, %.0f characters", chars), Rule::author_box);
                ++posts_removed_;
                i = e.end - 1;
            }
        }
        measure_live();
    }

    // The text of the outermost boxes folded shut in the content, summed by their kind.
    std::unordered_map<std::string, float> folded_by_kind(const std::vector<std::uint32_t>& roots) const {
        std::unordered_map<std::string, float> chars;
        for (std::uint32_t r : roots)
            for (std::uint32_t i = r + 1; i < page_[r].end; ++i) {
                if (dead_[i] || removed_[i] || !page_[i].block || !is_folded_shut(i)) continue;
                if (std::string kind = record_kind(i); !kind.empty()) chars[kind] += live_[i].chars;
                i = page_[i].end - 1;
            }
        return chars;
    }

    // CSS frameworks (Bootstrap and its kin) fold a box shut with class "collapse" and
    // open it with "show" (or "in"): a letter behind "Read the letter", sources behind
    // "Sources". What the page shows is content; what it folds away is furniture, unless
    // it is a large part of the content (an article behind "Read more").
    bool is_folded_shut(std::uint32_t i) const {
        std::string_view cls = attribute(page_[i].node, "class");
        bool collapse = false, open = false;
        std::size_t k = 0;
        while (k < cls.size()) {
            while (k < cls.size() && (cls[k] == ' ' || cls[k] == '\t' || cls[k] == '\n')) ++k;
            std::size_t start = k;
            while (k < cls.size() && cls[k] != ' ' && cls[k] != '\t' && cls[k] != '\n') ++k;
            std::string_view token = cls.substr(start, k - start);
            collapse = collapse || token == "collapse";
            open = open || token == "show" || token == "in";
        }
        return collapse && !open;
    }

    // A figure's caption, a line or a paragraph, describes and credits an image: it stays
    // with the image, but one whose figure shows none (a video, an embed) would stand for
    // nothing. Several paragraphs in a caption are text set in a figure (a quote, a
    // poem): they stay.
    bool is_bare_caption(std::uint32_t i) const {
        const Element& e = page_[i];
        if (e.tag != GUMBO_TAG_FIGCAPTION) return false;
        if (e.parent != kNoElement && page_[e.parent].tag == GUMBO_TAG_FIGURE && shows_image(e.parent)) return false;
        int paragraphs = 0;
        for (std::uint32_t d = i + 1; d < e.end; ++d)
            if (!dead_[d] && page_[d].block && page_[d].own.chars > 0) ++paragraphs;
        return paragraphs < kMinCaptionTextParagraphs;
    }

    // The figure holds an image the text keeps (image_source.hpp: not decorative).
    bool shows_image(std::uint32_t figure) const {
        for (std::uint32_t d = figure + 1; d < page_[figure].end; ++d)
            if (page_[d].tag == GUMBO_TAG_IMG && !dead_[d] && image_source(page_, d, true).decorative.empty())
                return true;
        return false;
    }

    // Mostly digits: "3798 useful · alice · 2024-04-14 14:59" heads a post; "Details" heads
    // a section.
    bool counts_and_dates(std::uint32_t i) const {
        std::string s = page_.text_of(i, kExcerptSource);
        std::size_t digits = 0, letters = 0;
        for (std::size_t k = 0; k < s.size();) {
            char32_t c = text::next(s, k);
            if (text::is_digit(c)) ++digits;
            else if (text::is_letter(c) || text::is_cjk(c)) ++letters;
        }
        return digits * 2 >= letters && digits > 0;
    }

    // Threads: each post is a box of prose beside a box of furniture (user card, post
    // date and counters, reply buttons), the same box in every post. A box without prose
    // whose kind (tag and class) recurs in three posts or more, one per post, goes. A grid
    // of cards without prose (a listing) is no thread: its cards share one container.
    void remove_post_furniture(const std::vector<std::uint32_t>& roots) {
        std::unordered_map<std::string, std::vector<std::uint32_t>> kinds;
        // a kind that elsewhere holds prose is a kind of post: those without are short
        // replies ("Same here"), not furniture
        std::unordered_set<std::string> posts;
        for (std::uint32_t r : roots)
            for (std::uint32_t i = r + 1; i < page_[r].end; ++i)
                if (!dead_[i] && page_[i].block_children && prose_[i] > 0)
                    if (std::string kind = record_kind(i); !kind.empty()) posts.insert(std::move(kind));
        for (std::uint32_t r : roots) {
            poll_deadline();
            for (std::uint32_t i = r + 1; i < page_[r].end; ++i) {
                if (dead_[i]) {
                    i = page_[i].end - 1;
                    continue;
                }
                if (!page_[i].block || (is_heading(page_[i].tag) && !counts_and_dates(i)) || prose_[i] > 0 ||
                    live_[i].chars == 0 || live_[i].chars > kMaxCardChars)
                    continue;
                // a box without class or id is known by its parent's ("div.comment>h3")
                std::string kind = record_kind(i);
                if (kind.empty() && page_[i].parent != kNoElement) {
                    std::string parent = record_kind(page_[i].parent);
                    if (!parent.empty()) kind = parent + ">" + gumbo_normalized_tagname(page_[i].tag);
                }
                if (kind.empty()) continue;
                kinds[kind].push_back(i);
                i = page_[i].end - 1;  // the outermost box of a kind
            }
        }
        for (auto& [kind, boxes] : kinds) {
            poll_deadline();
            if (boxes.size() < kMinPosts || posts.count(kind)) continue;
            for (std::uint32_t b : boxes) {
                // the post: the nearest ancestor with prose of its own, close above
                std::uint32_t post = page_[b].parent;
                for (int up = 0; post != kNoElement && prose_[post] <= 0 && up < kMaxCardDepth; ++up)
                    post = page_[post].parent;
                if (post == kNoElement || prose_[post] <= 0) continue;
                std::size_t in_post = 0;
                for (std::uint32_t other : boxes) in_post += page_.contains(post, other);
                if (in_post > kMaxCardsPerPost) continue;
                remove(b, format("the same box without prose in %.0f posts", double(boxes.size())), Rule::repeated_box);
            }
        }
        measure_live();
    }

    // Reports the largest subtrees outside the content.
    void explain_outside(const std::vector<std::uint32_t>& roots, std::uint32_t body) {
        std::vector<bool> holds(n_, false);  // is or contains a root
        for (std::uint32_t r : roots)
            for (std::uint32_t a = r; a != kNoElement; a = page_[a].parent) holds[a] = true;
        if (std::find(roots.begin(), roots.end(), body) != roots.end()) return;
        for (std::uint32_t i = body + 1; i < page_[body].end; ++i) {
            poll_deadline();
            bool is_root = std::find(roots.begin(), roots.end(), i) != roots.end();
            if (holds[i] && !is_root) continue;  // an ancestor of the content: look inside
            if (!is_root && !dead_[i] && live_[i].chars > 0)
                note(i, "removed", format("outside the main content (score %.1f)", final_[i]), final_[i]);
            i = page_[i].end - 1;
        }
    }

    const bool landmarks_only_;
    const bool thread_page_;  // the page model takes the page for a thread (rule thread-page)
    const Page& page_;
    std::string_view language_;
    const std::vector<std::string>& authors_;
    Diagnostics& diag_;
    const bool explain_;
    const std::uint32_t n_;
    std::vector<bool> removed_;
    std::vector<std::int8_t> hint_;  // -2 to 2: hint_of's scores of the class and the id
    std::vector<bool> furniture_hint_;
    std::vector<float> score_;
    std::vector<bool> scored_;
    std::vector<float> final_;
    std::vector<TextMeasure> live_;
    std::vector<float> prose_;
    std::vector<bool> dead_;
    bool thread_ = false;
    std::size_t posts_removed_ = 0;  // by rules nested-article and author-box
};

}  // namespace

Selection select_content(const Page& page, std::string_view language, const std::vector<std::string>& authors,
                         Diagnostics& diag, bool landmarks_only, const std::vector<std::uint32_t>& excluded,
                         bool thread_page) {
    return Selector(page, language, authors, diag, landmarks_only, excluded, thread_page).run();
}

bool is_prose_block(const Element& e) {
    const TextMeasure& m = e.own;
    return e.block && m.chars >= kMinProseChars && m.link_density() <= kMaxProseLinkDensity &&
           m.commas + m.sentence_ends >= 1;
}

ClassHint class_hint(const Page& page, std::uint32_t element) {
    Hint cls = hint_of(attribute(page[element].node, "class")), id = hint_of(attribute(page[element].node, "id"));
    return {cls.furniture || id.furniture, cls.discussion || id.discussion, cls.content || id.content,
            landmark_role(attribute(page[element].node, "role")) != nullptr};
}

}  // namespace dconv::html

// ------------------------------------------------------------------ comment sections

namespace dconv::html {

namespace {

// The words of a comment section's class or id, as the start of a token ("comments",
// "commentlist", "comment-respond" and "disqus_thread" are one; "commentary" and
// "commentator", an article's kind and its writer, are not), in the languages the
// cleaner reads. Class names are written in ASCII almost everywhere.
constexpr std::string_view kCommentStems[] = {
    "comment", "kommentar", "commentaire", "comentario", "commenti", "komentar", "komentarz", "kommentti",
    "reactie", "disqus", "respond",
};
constexpr std::string_view kNotCommentStems[] = {"commentar", "commentat"};

bool names_comments(std::string_view value) {
    if (value.empty()) return false;
    return any_token(text::lower_ascii(value), [](std::string_view token) {
        bool stem = false;
        for (auto s : kCommentStems) stem = stem || token.starts_with(s);
        for (auto s : kNotCommentStems) stem = stem && !token.starts_with(s);
        return stem;
    });
}

// schema.org's comment types, as an itemtype names them, or a comment's itemprop.
bool marked_comment(const GumboNode* node) {
    std::string type = text::lower_ascii(attribute(node, "itemtype"));
    if (type.find("schema.org/comment") != std::string::npos || type.find("schema.org/usercomments") != std::string::npos)
        return true;
    std::string prop = text::lower_ascii(attribute(node, "itemprop"));
    return prop == "comment" || prop == "comments";
}

// The letters and digits of `s`, lower case: "Respond to review comments" and
// "respond-to-review-comments" are both "respondtoreviewcomments".
std::string folded_name(std::string_view s) {
    std::string out;
    for (char c : text::lower_ascii(s))
        if (is_token_char(c)) out += c;
    return out;
}

// Whether the id of `element` is made from the title of the section it holds (a
// document's "Respond to review comments" is id="respond-to-review-comments"): its
// first heading, of kMinTitleWords words or more, folded, is the id folded.
constexpr int kMinTitleWords = 3;

bool id_is_title(const Page& page, std::uint32_t element, std::string_view id) {
    const std::string lower = text::lower_ascii(id);
    int words = 0;
    for (std::size_t c = 0; c < lower.size(); ++c)
        words += is_token_char(lower[c]) && (c == 0 || !is_token_char(lower[c - 1]));
    if (words < kMinTitleWords) return false;
    for (std::uint32_t d = element; d < page[element].end; ++d)
        if (is_heading(page[d].tag)) return folded_name(page.text_of(d, 2 * id.size() + 16)) == folded_name(id);
    return false;
}

}  // namespace

bool is_comment_section(const Page& page, std::uint32_t element) {
    const GumboNode* node = page[element].node;
    std::string_view id = attribute(node, "id");
    return names_comments(attribute(node, "class")) || (names_comments(id) && !id_is_title(page, element, id)) ||
           marked_comment(node);
}

std::vector<std::uint32_t> comment_sections(const Page& page, const Selection& selection) {
    std::vector<std::uint32_t> found;
    const std::uint32_t body = page.body();
    const std::uint32_t n = page.size();
    if (body == kNoElement || selection.removed.size() != n) return found;
    std::vector<bool> dead(n, false);
    for (std::uint32_t i = 0; i < n; ++i)
        dead[i] = selection.removed[i] || page[i].skipped || (page[i].parent != kNoElement && dead[page[i].parent]);
    float before = 0;  // the page's prose so far, in document order, its landmarks aside
    for (std::uint32_t i = body + 1; i < page[body].end; ++i) {
        poll_deadline();
        if (dead[i]) {
            i = page[i].end - 1;
            continue;
        }
        // a comment section before the article's prose is left, and its prose is no
        // article's (a page of comments alone, each box named "comment", keeps them all)
        if (page[i].block && page[i].all.chars > 0 && is_comment_section(page, i)) {
            if (before >= kMinProseBeforeComments) found.push_back(i);
            i = page[i].end - 1;
            continue;
        }
        if (is_prose_block(page[i])) before += page[i].own.chars;
    }
    return found;
}

void note_comment_sections(const Page& page, const std::vector<std::uint32_t>& sections, Diagnostics& diag) {
    if (!diag.keeps_notes()) return;
    for (std::uint32_t i : sections) {
        diag.note(explanation("html-select", "removed", {page[i].line, std::max(page[i].line, page[i].last_line)},
                              "a comment section (its class, id or itemtype) after the article's prose, on a page "
                              "that is no thread",
                              clean::rule_id(Rule::comment_section), excerpt(page.text_of(i, kExcerptSource))));
    }
}

}  // namespace dconv::html
