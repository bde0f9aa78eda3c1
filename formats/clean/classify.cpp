// classify.cpp: the boilerplate classifier. Every unit (line-block or list item) gets a
// first class from its own measurements, after jusText (Pomikálek 2011): bad (link-heavy,
// widget words, legal lines, numbers only, site template), short, near-good or good
// (long, prose-shaped, rich in stop words). Context then settles the short and near-good
// units by their neighbours, and the main content run, the stretch where good text
// outweighs bad, bounds the article: what lies outside it goes.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "clean/cues.hpp"
#include "clean/hash_table.hpp"
#include "clean/language.hpp"
#include "clean/rules.hpp"
#include "clean/table_notes.hpp"
#include "clean/text_units.hpp"
#include "clean/thresholds.hpp"
#include "clean/units.hpp"
#include "core/text.hpp"
#include "dconv/model.hpp"
#include "dconv/clean.hpp"
#include "dconv/limits.hpp"

namespace dconv::clean {

namespace {

// Thresholds; lengths are in Latin-equivalent characters (features.hpp). Those the HTML
// cleaner shares (link density, widget words, legal lines...) are in thresholds.hpp.
constexpr double kGoodLength = 150;           // a paragraph this long can stand alone as content
constexpr double kGroupGoodLength = 100;      // a run of prose lines this long is content
constexpr std::size_t kShortRunLines = 6;     // a run of this many short lines...
constexpr double kShortRunLength = 300;       // ...this long in all is text set line by line,
constexpr double kShortRunMeanLength = 15;    // ...if its lines are this long on average
constexpr std::size_t kMaxRunGap = 2;         // pictures, emoji or lone links a run may step over
constexpr double kGoodCodeLength = 80;        // a code listing this long is content
constexpr double kMaxLabelLength = 20;        // a button's label under a heading ("Edit") is this short
constexpr double kLongUnshapedLength = 300;   // text this long without a link is no furniture, prose or not (results, a table)
constexpr double kProseStopDensity = 0.2;     // stop words per word of running prose (~0.4 typical)
constexpr double kCjkProseDensity = 0.15;     // function characters per Han character (prose ~0.25)
constexpr std::size_t kMinThreadSeparators = 3; // a line parting posts recurs this often
constexpr std::size_t kMaxPostSpacing = 25;     // ...with at most this many units between (a post, its card)
constexpr double kMinPostShare = 0.2;         // ...and text between at least this share of their pairs
constexpr std::size_t kMinLaterSeparators = 4; // a thread below other furniture: this many separators...
constexpr double kMinLaterPostShare = 0.8;    // ...with a post between nearly every pair
constexpr std::size_t kMaxSymbolRow = 24;     // a row of icons without letters parting posts is this short (bytes)
constexpr std::size_t kMinNumberedHeadings = 3; // headings numbered 1, 2, 3... in a row: a list article's sections
constexpr std::size_t kMaxOpenerRepeats = 3; // a section opener this often on a page is a button
constexpr double kTrailingLinkDensity = 0.15; // a short line after the content this much in links points away
constexpr std::size_t kTruncatedHead = 90;    // folded bytes two paragraphs share at their start when one is the other's teaser
constexpr double kMinTeaserLength = 100;      // shorter text may well open like another (a label, a formula)
constexpr double kMaxCounterLength = 60;      // a line this short with numbers in it may be a counter
constexpr double kMaxBadPenalty = 300;        // one bad unit weighs at most this against content
constexpr double kSteppedOverWeight = -10;    // a unit the content run steps over (a picture, a table) weighs this
constexpr double kAfterTitleShare = 0.1;      // the run after the headline wins at this share
constexpr double kSecondaryRunShare = 0.5;    // a later run half as heavy, after thread furniture
constexpr double kLinkOnlyDensity = 0.9;      // a unit this much in links is a link and nothing else
constexpr std::size_t kMaxCardSpan = 3;       // such a link within this many units of its plain copy is a card
constexpr double kMinHeadlineLength = 30;     // shorter text may be a label also used as a link ("Contact")
constexpr double kMaxCallLength = 120;        // a call to the reader ("Subscribe to ...") is a line
constexpr double kMinCallWords = 2;           // ...with this many widget words
constexpr double kMinCallShare = 0.2;         // ...making this share of its words
constexpr int kTopicalUses = 3;               // ...not counting those the article used this often
constexpr double kMaxAfterCallShare = 0.25;   // ...and ends the article when less text than this share follows
constexpr double kMaxLastCallLength = 250;    // as the run's last text it may be two lines long
constexpr double kMinLastCallShare = 0.1;     // ...and lower in widget words

constexpr int kMinMarkupTags = 6;             // literal HTML tags in a text, this many...
constexpr double kMinMarkupShare = 0.15;      // ...and this share of it: markup source, not prose

enum class Cls { bad, short_, neargood, good };

std::string fmt(const char* format, double v) {
    char buf[96];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

struct Judged {
    Cls cls = Cls::short_;
    std::string reason;
    double score = 0;
    Rule rule = Rule::count;  // the rule that set cls, when one did (Rule::count: none)
    bool unshaped = false;  // bad only for want of sentence shape: fine inside verse-like runs
    bool repeated = false;  // bad for recurring on the page
    bool templated = false; // recurs on other pages of the batch: kept only inside content
};

// The stop-word density that marks prose differs by language: agglutinative languages
// (Turkish, Indonesian) glue function words on, Arabic writes some as prefixes. Each
// value sits between the language's prose and its navigation lines on real pages.
double prose_density(std::string_view lang) {
    static constexpr std::pair<std::string_view, double> kByLanguage[] = {
        {"ar", 0.08}, {"tr", 0.08}, {"hi", 0.12}, {"id", 0.12}, {"ru", 0.15},
        {"fa", 0.15}, {"pl", 0.17}, {"ko", 0.25},
    };
    for (const auto& [code, density] : kByLanguage)
        if (lang == code) return density;
    return kProseStopDensity;
}

// `stop_threshold` is prose_density(lang), or 0 when the language has no stop words here.
bool prose_shaped(const Features& f, double stop_threshold) {
    if (stop_threshold > 0) return f.stop_density >= stop_threshold;
    // no stop-word list, or CJK (where lines often lack punctuation but not particles):
    // running text has sentence ends, clause commas or function characters
    return f.sentence_ends >= 1 || f.commas >= 1 || (f.cjk > 0 && f.stop_density >= kCjkProseDensity);
}

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

bool numbers_only(const Features& f) { return clean::numbers_only(f.letters + f.cjk, f.digits); }

// The share of a text's bytes in literal HTML tags ("<li>", "</strong>", "<a href=...>"),
// and how many: a comment form's source or an escaped copy of the post shows its markup.
std::pair<double, int> markup_tags(std::string_view s) {
    std::size_t in_tags = 0;
    int tags = 0;
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        if (s[i] != '<') continue;
        std::size_t k = i + 1;
        if (s[k] == '/') ++k;
        if (k >= s.size() || !std::isalpha(static_cast<unsigned char>(s[k]))) continue;
        std::size_t close = s.find_first_of("<>", k);
        if (close == std::string_view::npos || s[close] != '>' || close - i > 300) continue;
        in_tags += close + 1 - i;
        ++tags;
        i = close;
    }
    return {s.empty() ? 0.0 : double(in_tags) / double(s.size()), tags};
}

// A line that is one link whose text is one token shaped like a file name: an
// underscore, or letters and digits together ("IMG_2041", "chart-2", "photo3.jpg").
bool picture_name(const Unit& u) {
    const Features& f = u.f;
    if (f.links != 1 || f.link_density() < kLinkOnlyDensity || u.item >= 0 || u.heading || f.cjk > 0 || f.text.empty() ||
        f.text.size() > 60 || f.text.find(' ') != std::string::npos)
        return false;
    bool underscore = f.text.find('_') != std::string::npos;
    return underscore || (f.digits > 0 && f.letters > 0);
}

Judged first_judgement(const Unit& u, std::string_view lang, double stop_threshold, std::size_t repeats_in_page,
                       std::size_t pages_with, std::size_t batch_pages, bool explain, bool legal_prose) {
    // reasons are spelled out only for someone who will read them (--explain)
    auto say = [explain](const char* format, double v) { return explain ? fmt(format, v) : std::string(); };
    const Features& f = u.f;
    double ld = f.link_density();
    if (u.rule) return {Cls::short_, "thematic break", 0};
    if (u.code) return {f.length >= kGoodCodeLength ? Cls::good : Cls::neargood, "code block", f.length};
    if (f.text.empty() && rule_on(Rule::no_text))
        return {Cls::bad, f.links ? "link without text (image or icon)" : "no text", 0, Rule::no_text};
    // running prose carries inline links (names, sources); a nav bar is links with no
    // sentence around them
    // a lead-in to a list or code ends in a colon, and is a sentence all the same
    bool lead_in = ends_with(f.text, ":") || ends_with(f.text, "：");
    bool sentence = (f.ends_sentence || lead_in) && f.length >= kShortLength &&
                    (stop_threshold > 0 ? f.stop_density >= stop_threshold : f.sentence_ends >= 1);
    double max_ld = sentence ? kSentenceLinkDensity : kMaxLinkDensity;
    if (ld > (sentence ? kSentenceLinkDensity : kBadLinkDensity) && rule_on(Rule::link_density))
        return {Cls::bad, say("link density %.2f", ld), ld, Rule::link_density};
    if (f.length < kMaxLegalLength && !legal_prose && rule_on(Rule::legal_line) && is_legal_line(f))
        return {Cls::bad, "copyright or legal line", 0, Rule::legal_line};
    if (f.length >= kMinNoticeLength && !legal_prose && rule_on(Rule::privacy_notice) && is_privacy_notice(f, lang))
        return {Cls::bad, "cookie or privacy notice", 0, Rule::privacy_notice};
    if (batch_pages >= kTemplateMinPages && pages_with >= kTemplateMinPages && !f.ends_sentence &&
        rule_on(Rule::site_template) &&
        f.length < kMaxTemplateLength) {
        // recurring on other pages marks a line as the site's furniture only where
        // furniture stands, at the edges of the content: inside it (a heading two
        // articles share) the neighbours decide
        Judged j{Cls::short_, "site template: on " + std::to_string(pages_with) + " pages of the batch",
                 double(pages_with), Rule::site_template};
        j.templated = true;
        return j;
    }
    if (f.length < kMaxWidgetLength && rule_on(Rule::widget_words)) {
        double widgets = widget_share(f);
        if (widgets >= kWidgetShare)
            return {Cls::bad, say("widget words %.0f%%", widgets * 100), widgets, Rule::widget_words};
    }
    if (numbers_only(f) && rule_on(Rule::numbers_only))
        return {Cls::bad, "numbers, dates or symbols only", 0, Rule::numbers_only};
    if (repeats_in_page >= 2 && f.length < 100 && !u.heading && rule_on(Rule::repeated_line)) {
        // a repeated line is a menu item, unless it is punctuated like a sentence or a
        // salutation ("Dear friends,", "Thank you!"): then its neighbours decide
        bool spoken = f.ends_sentence || f.text.back() == ',' || ends_with(f.text, "，");
        Judged j{spoken ? Cls::short_ : Cls::bad,
                 "repeated " + std::to_string(repeats_in_page) + " times on the page", double(repeats_in_page),
                 Rule::repeated_line};
        j.repeated = true;
        return j;
    }
    if (f.url_share >= 0.5 && rule_on(Rule::url_text))
        return {Cls::bad, say("URLs %.0f%% of the text", f.url_share * 100), f.url_share, Rule::url_text};
    if (auto [share, tags] = markup_tags(f.text);
        tags >= kMinMarkupTags && share >= kMinMarkupShare && rule_on(Rule::markup_source))
        return {Cls::bad, say("HTML source: tags %.0f%% of the text", share * 100), share, Rule::markup_source};
    if (numbered_heading_shape(f) && ld == 0)
        return {Cls::neargood, "numbered section heading", f.length};
    bool prose = prose_shaped(f, stop_threshold);
    std::string shape = stop_threshold > 0 ? say("stop words %.2f", f.stop_density)
                                  : std::to_string(f.sentence_ends) + " sentence ends";
    if (f.length >= kGoodLength && ld <= max_ld && prose)
        return {Cls::good, "prose: " + shape + say(", length %.0f", f.length), f.length};
    if (f.length >= kShortLength && ld <= max_ld && (prose || f.ends_sentence))
        return {Cls::neargood, "some prose: " + shape + say(", length %.0f", f.length), f.length};
    if (f.length < kShortLength) {
        // a short full sentence ("Thank you!") is near-good, a label ("Print") short
        if (f.ends_sentence && f.words >= 2 && ld == 0 && (prose || f.cjk > 0))
            return {Cls::neargood, "short sentence", f.length};
        return {Cls::short_, say("a short line, length %.0f", f.length), f.length};
    }
    if (ld > kMaxLinkDensity && rule_on(Rule::link_density))
        return {Cls::bad, say("link density %.2f", ld), ld, Rule::link_density};
    if (f.links == 0 && f.length >= kLongUnshapedLength)
        return {Cls::neargood, "long text without links: " + shape + say(", length %.0f", f.length), f.length};
    // a heading is a title, not a sentence, and a list item without links often a phrase
    // ("Waterproof boots, gloves, a map"): few stop words do not make either furniture,
    // their neighbours decide (as for a short line). Not without stop words (CJK): there a
    // heading-sized line without sentence marks is as often a button row or a teaser.
    if ((u.heading || u.item >= 0) && stop_threshold > 0 && f.links == 0 && f.length < 2 * kShortLength)
        return {Cls::short_, "heading or list item without sentence shape: " + shape, f.length};
    if (!rule_on(Rule::not_prose)) return {Cls::short_, "not prose: " + shape, f.length};
    Judged j{Cls::bad, "not prose: " + shape, f.length, Rule::not_prose};
    j.unshaped = f.links == 0 && f.length < 2 * kShortLength;
    return j;
}

// The key a unit's repetition is counted by: its fold; for a short line with digits,
// its fold without them, so that a counter or a pager ("Page 2 of 8", "Posts: 12",
// "3 days ago") repeats with each value like the label it is.
std::uint64_t counter_key(const Features& f) {
    if (f.digits == 0 || f.length >= kMaxCounterLength) return f.fold;
    std::uint64_t h = 1469598103934665603ull ^ 0x5bd1e995ull;  // apart from the folds' hashes
    bool letters = false;
    for (char c : fold(f.text)) {
        if (c >= '0' && c <= '9') continue;
        letters = true;
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    return letters ? (h ? h : 1) : 0;
}

// A teaser is the head of a paragraph cut short, often ending in "…": where a kept
// paragraph opens like a longer kept one, word for word over kTruncatedHead folded
// bytes, the shorter is that paragraph's teaser (or summary) and goes.
void drop_truncated_copies(const std::vector<Unit>& units, std::vector<bool>& drop,
                           std::vector<std::string>& reasons, std::vector<std::string_view>& rules) {
    // a teaser's "read more" link is no text of its own: lengths are compared without links
    auto own = [&](std::size_t i) { return units[i].f.length - units[i].f.link_length; };
    // heads compared by a 64-bit hash, as repetition is (a node and a string per unit
    // were most of this pass's memory on a long page), in a flat table (hash_table.hpp:
    // a node per head cost a cache miss more per look-up on a long page)
    HashTable<std::size_t> longest;  // head -> unit
    std::vector<std::pair<std::size_t, std::uint64_t>> heads;
    for (std::size_t i = 0; i < units.size(); ++i) {
        poll_deadline();
        const Features& f = units[i].f;
        if (drop[i] || f.length < kMinTeaserLength || units[i].code) continue;
        std::string_view sample = std::string_view(f.text).substr(0, 3 * kTruncatedHead);
        // the fold's first kTruncatedHead bytes, without folding the rest of the sample
        const std::string folded = fold(sample, kTruncatedHead);
        if (folded.size() < kTruncatedHead) continue;
        const std::uint64_t head = std::hash<std::string_view>{}(std::string_view(folded).substr(0, kTruncatedHead));
        auto [longest_unit, fresh] = longest.try_emplace(head, i);
        if (!fresh && own(longest_unit) < own(i)) longest_unit = i;
        heads.emplace_back(i, head);
    }
    for (const auto& [i, head] : heads) {
        poll_deadline();
        const std::size_t keep = *longest.find(head);  // every head was entered above
        if (keep == i || own(i) >= own(keep)) continue;
        drop[i] = true;
        reasons[i] = "the head of a longer paragraph kept (a teaser)";
        rules[i] = rule_id(Rule::teaser_copy);
    }
}

// Threads and comment pages: posts are parted by the same furniture each time (a user
// card's "Joined ...", a "Reply" or "评论" button under each post). Where one such
// separator recurs around the main content, a post of a line or two between them is
// text however short: the sentences and code there are kept (links, labels and lines
// judged furniture on their own are not). The posts reach a separator's spacing beyond
// its first and last occurrence.
void keep_thread_posts(const std::vector<Unit>& units, const std::vector<Judged>& judged,
                       const std::vector<std::uint64_t>& folded,
                       const std::vector<std::uint32_t>& repeats, double stop_threshold,
                       std::size_t run_from, std::size_t run_to, std::vector<bool>& drop,
                       std::vector<std::string>& reasons) {
    const std::size_t n = units.size();
    // the separator: the recurring furniture line with the longest chain of occurrences
    // (each within kMaxPostSpacing units of the last) that meets the run
    // A post's row of icon buttons leaves no letters ("__ | __"): the same row of
    // symbols (two or more, a lone icon is anywhere) each time parts posts as well,
    // keyed by its text
    std::vector<std::uint64_t> sep(folded);
    std::unordered_map<std::uint64_t, std::size_t> symbol_rows;
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        const Features& f = units[i].f;
        if (folded[i] || f.letters > 0 || f.digits > 0 || f.text.size() > kMaxSymbolRow ||
            f.text.find(' ') == std::string::npos || judged[i].cls != Cls::bad)
            continue;
        std::uint64_t h = 0x9e3779b97f4a7c15ull;
        for (char c : f.text)
            if (c != ' ') h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        sep[i] = h ? h : 1;
        ++symbol_rows[sep[i]];
    }
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> occurrences;
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        if (!sep[i]) continue;
        bool symbols = !folded[i];
        std::size_t c = 0;
        if (!symbols) {
            c = repeats[i];  // sep[i] is the unit's shape (counter_key)
        } else if (auto row = symbol_rows.find(sep[i]); row != symbol_rows.end()) {
            c = row->second;
        }
        if (c >= kMinThreadSeparators) occurrences[sep[i]].push_back(i);
    }
    auto post_text = [&](std::size_t i) {
        const Unit& u = units[i];
        const Features& f = u.f;
        // a reply may open by naming whom it answers, a link ("@name ..."): no other link
        bool mention = f.links == 1 && f.text.size() > 1 && f.text[0] == '@' && f.link_density() < kBadLinkDensity;
        if (judged[i].cls == Cls::bad || judged[i].repeated || judged[i].templated || u.heading ||
            (f.links > 0 && !mention))
            return false;
        // a poster's byline ("name | 2024-01-06") is no post
        if (!u.code && !f.ends_sentence && f.length < kShortLength && !find_date(f.text).empty()) return false;
        return u.code || f.ends_sentence || (f.words >= 4 && prose_shaped(f, stop_threshold));
    };
    auto keep_posts = [&](const auto& chain, double min_share) {
        std::size_t from = chain.first > chain.gap ? chain.first - chain.gap : 0;
        std::size_t to = std::min(n - 1, chain.last + chain.gap);
        // a thread has a post between many pairs of separators (though a user card may hold
        // the separator twice); a list of teaser cards, each with its "Share" button, has
        // linked headlines there and text seldom
        std::size_t stretches = 0, with_posts = 0;
        bool post = false;
        for (std::size_t i = from; i <= to; ++i) {
            poll_deadline();
            if (sep[i] == chain.key && i != from) {
                ++stretches;
                with_posts += post;
                post = false;
            }
            post = post || post_text(i);
        }
        ++stretches;
        with_posts += post;
        if (double(with_posts) < min_share * double(stretches)) return;
        for (std::size_t i = from; i <= to; ++i) {
            poll_deadline();
            if (!drop[i] || !post_text(i)) continue;
            drop[i] = false;
            reasons[i].clear();
        }
    };
    // the chain that meets the run, and apart from it the longest chain reaching past the
    // run's end (the replies), when the first keeps inside the run (a picture's caption
    // repeated in the first post)
    struct Chain {
        std::uint64_t key = 0;
        std::size_t first = 0, last = 0, count = 0, gap = 0;
    } best, past;
    // a chain that begins past the run's reach (replies below a list of related links
    // or a course advert): taken only when no chain meets the run, and held to more
    Chain later;
    // ties go to the earlier chain, so the choice never depends on hash order
    auto longer = [](const Chain& c, const Chain& than) {
        return c.count > than.count || (c.count == than.count && c.first < than.first);
    };
    for (const auto& [key, at] : occurrences) {
        poll_deadline();
        bool furniture = std::all_of(at.begin(), at.end(), [&](std::size_t i) {
            // (in a batch, a card's labels may recur on other pages too: template)
            return (judged[i].repeated && judged[i].cls == Cls::bad) || judged[i].templated || !folded[i];
        });
        if (!furniture) continue;
        for (std::size_t a = 0; a < at.size();) {
            poll_deadline();
            std::size_t b = a, gap = 0;
            while (b + 1 < at.size() && at[b + 1] - at[b] <= kMaxPostSpacing) {
                gap = std::max(gap, at[b + 1] - at[b]);
                ++b;
            }
            Chain c{key, at[a], at[b], b - a + 1, gap};
            bool meets = at[b] >= run_from && at[a] <= run_to + kMaxPostSpacing;
            if (c.count >= kMinThreadSeparators && meets && longer(c, best)) best = c;
            if (c.count >= kMinThreadSeparators && meets && at[b] > run_to && longer(c, past)) past = c;
            bool beyond = at[a] > run_to + kMaxPostSpacing;
            if (c.count >= kMinLaterSeparators && beyond && longer(c, later)) later = c;
            a = b + 1;
        }
    }
    if (best.count == 0) {
        if (later.count > 0) keep_posts(later, kMinLaterPostShare);
        return;
    }
    keep_posts(best, kMinPostShare);
    if (past.count > 0 && (past.key != best.key || past.first != best.first)) keep_posts(past, kMinPostShare);
}

// A list article ("7 ways to ...") numbers its section headings 1, 2, 3...: where such
// a sequence of headings without links starts in the main content run (or just after
// it), every heading of it is the article's, however little text (a picture, a caption)
// stands under each.
void keep_numbered_headings(const std::vector<Unit>& units, std::size_t run_from, std::size_t run_to,
                            std::vector<bool>& drop, std::vector<std::string>& reasons) {
    auto number = [&](std::size_t i) -> int {
        const Unit& u = units[i];
        if (!u.heading || u.f.links > 0 || !numbered_heading_shape(u.f)) return 0;
        int v = 0;
        for (char c : u.f.text) {
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
        }
        return v;
    };
    auto settle = [&](const std::vector<std::size_t>& chain) {
        if (chain.size() < kMinNumberedHeadings) return;
        if (chain.front() < run_from || chain.front() > run_to + kMaxPostSpacing) return;
        for (std::size_t i : chain) {
            poll_deadline();
            if (!drop[i]) continue;
            drop[i] = false;
            reasons[i].clear();
        }
    };
    std::vector<std::size_t> chain;
    int expected = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        poll_deadline();
        int v = number(i);
        if (v == 0) continue;
        if (!chain.empty() && v == expected) {
            chain.push_back(i);
            ++expected;
            continue;
        }
        settle(chain);
        chain.clear();
        if (v == 1) {
            chain.push_back(i);
            expected = 2;
        }
    }
    settle(chain);
}

}  // namespace

// `measured`, when given, receives the units (text_units.hpp: the unit model reads them)
void classify_boilerplate(Document& doc, const CleanOptions& options, Diagnostics& diag,
                          std::vector<Unit>* measured = nullptr, RemovedUnits* removed = nullptr) {
    std::string lang = document_language(doc);
    // Chinese and Japanese densities count characters, and lines there often lack
    // punctuation: prose_shaped weighs them apart
    const double stop_threshold =
        has_stopwords(lang) && lang != "zh" && lang != "ja" ? prose_density(lang) : 0.0;
    std::vector<Unit> own;
    std::vector<Unit>& store = measured ? *measured : own;
    // the units view the page's text (make_units' borrow_text) when they end here, or
    // when what the rules remove is kept aside (`removed`) for the units handed over
    store = make_units(doc, lang, SIZE_MAX, 0, false, !measured || removed);
    const std::vector<Unit>& units = store;
    const bool explain = diag.keeps_notes();
    const std::size_t n = units.size();
    if (n == 0) return;

    // repetition is judged on the folded text (case, spaces and punctuation aside),
    // compared by hash: 0 stands for "no letters"
    std::vector<std::uint64_t> folded(n), shaped(n);
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        folded[i] = units[i].f.fold;
        shaped[i] = counter_key(units[i].f);
    }
    // How often each unit's shape recurs on the page (0 for none), and how far its
    // nearest repetition stands (units; n for none: a card's labels recur within the
    // card, a writer's refrain, a sign-off or a catchphrase, far from it). One look-up
    // per unit in one table, whose entry names the shape's first unit, which counts for
    // all: the passes below read the counts in order, where a long page's table (a
    // megabyte at 8 MB of text, past the second-level cache) was probed four times a
    // unit, a cache miss each, by the counts and the nearest repetitions.
    std::vector<std::size_t> apart(n, n);
    const std::vector<std::uint32_t> repeats = occurrence_counts(
        n,
        [&](std::size_t i) {
            poll_deadline();
            return shaped[i];
        },
        [&](std::size_t i, std::size_t last) {
            apart[i] = std::min(apart[i], i - last);
            apart[last] = std::min(apart[last], i - last);
        });

    std::vector<bool> legal_prose;  // rules legal-line and privacy-notice spare prose by its shape and place
    {
        // the verdicts asked are kept with the units' features, where the rules read them
        std::vector<CueUnit> cue_units(n);
        for (std::size_t i = 0; i < n; ++i)
            cue_units[i] = {units[i].f.text, &units[i].f.cues, units[i].heading};
        legal_prose = legal_prose_units(cue_units, lang, true);
    }
    std::vector<Judged> judged(n);
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        std::size_t pages = options.batch ? options.batch->pages_with(units[i].f.text) : 0;
        std::size_t batch_pages = options.batch ? options.batch->pages() : 0;
        judged[i] = first_judgement(units[i], lang, stop_threshold, repeats[i], pages, batch_pages, explain,
                                    legal_prose[i]);
        if (units[i].heading && judged[i].cls != Cls::bad) judged[i] = {Cls::short_, "heading", 0};
    }
    // A headline set as plain text and again as a link beside it is a teaser card's (a
    // card of related news shows its title twice): the article's text is not linked. Only
    // a copy a few units away counts: a table of contents links the page's own titles.
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        const Features& f = units[i].f;
        if (units[i].heading || f.links > 0 || f.length < kMinHeadlineLength || f.length >= kGoodLength ||
            judged[i].cls == Cls::bad || !folded[i] || !rule_on(Rule::teaser_card))
            continue;
        std::size_t from = i > kMaxCardSpan ? i - kMaxCardSpan : 0, to = std::min(n - 1, i + kMaxCardSpan);
        for (std::size_t k = from; k <= to; ++k) {
            poll_deadline();
            if (k == i || folded[k] != folded[i] || units[k].f.link_density() < kLinkOnlyDensity) continue;
            judged[i] = {Cls::bad, "a headline linked beside it (a teaser card)", f.length, Rule::teaser_card};
            break;
        }
    }

    // A furniture section ("Related News", "Comments") runs until the next heading:
    // nothing in it below good is kept.
    bool in_furniture = false, items_only = false;
    int furniture_level = 0;
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        const Unit& u = units[i];
        // the same words again and again are a button under each post ("Reply",
        // "评论"), not the heading of a section
        bool button = repeats[i] >= kMaxOpenerRepeats;
        bool opener = (u.heading || u.f.length < kMaxSectionOpener) && !button &&
                      rule_on(Rule::furniture_section) && opens_furniture_section(u.f.text);
        if (opener) {
            in_furniture = true;
            furniture_level = u.heading ? u.heading_level : 7;
            items_only = true;
            judged[i] = {Cls::bad, "opens a section of page furniture", 0, Rule::furniture_section};
            continue;
        }
        // the section ends at the next heading of its rank, or where prose resumes; a box
        // of links set as a list ("Related news") ends with its list, where a sentence
        // without links follows
        bool after_box = items_only && u.item < 0 && !u.heading && u.f.links == 0 && u.f.ends_sentence &&
                         judged[i].cls == Cls::neargood;
        if (in_furniture &&
            ((u.heading && u.heading_level <= furniture_level) || judged[i].cls == Cls::good || after_box))
            in_furniture = false;
        if (in_furniture && u.item < 0 && !u.f.text.empty()) items_only = false;
        if (in_furniture && judged[i].cls != Cls::good && judged[i].cls != Cls::bad)
            judged[i] = {Cls::bad, "inside a section of page furniture", 0, Rule::furniture_section};
    }

    std::vector<Cls> cls(n);
    for (std::size_t i = 0; i < n; ++i) cls[i] = judged[i].cls;

    // Text dumps split one post or paragraph over many short lines: a run of near-good
    // units that together make a paragraph's worth of prose is good.
    for (std::size_t i = 0; i < n;) {
        poll_deadline();
        if (cls[i] != Cls::neargood) {
            ++i;
            continue;
        }
        // list items of headlines ("related news") are no post: only sentence lines group
        auto groups = [&](std::size_t k) {
            const Features& g = units[k].f;
            return cls[k] == Cls::neargood && units[k].item < 0 && !units[k].heading &&
                   (g.ends_sentence || g.commas > 0);
        };
        if (!groups(i)) {
            ++i;
            continue;
        }
        std::size_t j = i;
        double total = 0;
        while (j < n && groups(j)) total += units[j++].f.length;
        if (j - i >= 2 && total >= kGroupGoodLength && rule_on(Rule::prose_lines_run))
            for (std::size_t k = i; k < j; ++k) {
                cls[k] = Cls::good;
                judged[k].rule = Rule::prose_lines_run;
                if (explain) judged[k].reason = fmt("in a run of prose lines, length %.0f", total);
            }
        i = j;
    }
    // the pictures and links a run of text lines stepped over: they go, but do not part
    // the text around them when the content run is sought
    std::vector<bool> bridged(n, false);
    // Verse, chat and some blogs set one phrase per line: a long run of short lines
    // without links is text, not furniture (furniture lines are links or few).
    // (how far a line's nearest repetition stands: apart, above)
    for (std::size_t i = 0; i < n;) {
        poll_deadline();
        auto plain_short = [&](std::size_t k) {
            const Features& g = units[k].f;
            bool symbols = g.letters == 0 && g.links == 0 && !g.text.empty();  // "☺️", "***"
            return (cls[k] == Cls::short_ || cls[k] == Cls::neargood || symbols || judged[k].unshaped) &&
                   g.links == 0 &&
                   units[k].item < 0 && !units[k].rule && !g.text.empty();
        };
        // pictures and emoji between the lines do not break the run
        auto light = [&](std::size_t k) {
            const Features& g = units[k].f;
            return g.letters + g.cjk == 0 || (g.links == 1 && g.link_density() > kLinkOnlyDensity && units[k].item < 0) ||
                   (judged[k].repeated && g.links == 0 && g.length < 20) ||  // "image.png"
                   (judged[k].repeated && g.links == 0 && !units[k].heading && repeats[k] == 2 &&
                    apart[k] > kMaxPostSpacing);
        };
        if (!plain_short(i)) {
            ++i;
            continue;
        }
        std::size_t j = i, end = i, lines = 0;
        double total = 0;
        while (j < n) {
            if (plain_short(j)) {
                total += units[j].f.length;
                ++lines;
                end = ++j;
                continue;
            }
            std::size_t k = j;
            while (k < n && k - j < kMaxRunGap && light(k) && !plain_short(k)) ++k;
            if (k == j || k >= n || !plain_short(k)) break;
            j = k;
        }
        // a menu is a run of short lines too, of a word or two each: text has longer lines
        if (lines >= kShortRunLines && total >= kShortRunLength && total >= kShortRunMeanLength * double(lines) &&
            rule_on(Rule::short_lines_run))
            for (std::size_t k = i; k < end; ++k) {
                if (!plain_short(k)) {
                    bridged[k] = true;
                    continue;
                }
                cls[k] = Cls::good;
                judged[k].rule = Rule::short_lines_run;
                if (explain) judged[k].reason = fmt("in a run of short lines, length %.0f", total);
            }
        i = end;
    }
    // A page of short posts has no long paragraph at all: near-good is then the best there is.
    if (std::none_of(cls.begin(), cls.end(), [](Cls c) { return c == Cls::good; }))
        for (std::size_t i = 0; i < n; ++i)
            if (cls[i] == Cls::neargood) cls[i] = Cls::good;

    // Lines of the site's template are furniture unless content stands on both sides
    // of them; decided before context, so that at the edges they part the content from
    // what lies beyond like any other furniture.
    // The class on each side is the nearest one that is neither template nor short, found
    // in one pass each way: a scan per line made a page of 500,000 template lines (a
    // batch of pages of "a" lines) quadratic, minutes. Marking template lines bad below
    // changes no side, since template lines are skipped.
    std::vector<Cls> side_before(n, Cls::bad), side_after(n, Cls::bad);
    auto is_side = [&](std::size_t u) { return !judged[u].templated && cls[u] != Cls::short_; };
    for (std::size_t i = 0, last = n; i < n; ++i) {
        poll_deadline();
        if (last < n) side_before[i] = cls[last];
        if (is_side(i)) last = i;
    }
    for (std::size_t i = n, last = n; i-- > 0;) {
        poll_deadline();
        if (last < n) side_after[i] = cls[last];
        if (is_side(i)) last = i;
    }
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        if (!judged[i].templated) continue;
        if (side_before[i] != Cls::good || side_after[i] != Cls::good) {
            cls[i] = Cls::bad;
            judged[i].reason += ", at the edge of the content";
        }
    }

    // Context (jusText): short units take the class of their neighbours, near-good ones
    // are good unless boilerplate surrounds them.
    // A unit without visible text (a picture, an icon) is no evidence either way: an
    // article's pictures stand between its paragraphs as a nav bar's icons stand in it.
    // Nor is a picture named by its file ("IMG_2041", "chart-2"): one linked token, no
    // word of text.
    // Nor is a counter ("Photo 2 of 8", "Posts: 12"): slideshows number their captions
    // as forums number their members' posts. Nor is a line of numbers only without a link
    // (an item number, a date, a price): a spec sheet has them between its lines.
    // Nor is a row of a data table without links, whatever its cells ("A | B", a long row
    // of names): the table is one piece of the article, as the content run weighs it
    // below, and its rows, read as lines, are no furniture around the text after it.
    // the number (from 1) of the data table unit k is a row of, or 0 (CleanOptions::table_rows)
    auto table_of = [&](std::size_t k) {
        const std::size_t b = units[k].block;
        return options.table_rows && units[k].item < 0 && b < options.table_rows->size() ? (*options.table_rows)[b]
                                                                                           : 0u;
    };
    auto table_row = [&](std::size_t k) { return table_of(k) != 0; };
    auto silent = [&](std::size_t k) {
        const Features& g = units[k].f;
        return (g.text.empty() && !units[k].rule) || picture_name(units[k]) ||
               (judged[k].repeated && g.digits > 0 && g.length < kMaxCounterLength) ||
               (g.links == 0 && g.digits > 0 && numbers_only(g)) || (g.links == 0 && table_row(k));
    };
    // The nearest class each way that is neither short (nor near-good, when skipped) nor
    // silent, in tables made in one pass each way, as above: a page of short lines only
    // would make a scan per line quadratic. `cls` does not change while they are read.
    std::vector<Cls> nearest[2][2];  // [skip_neargood][dir > 0]
    for (int skip = 0; skip < 2; ++skip) {
        auto is_neighbour = [&](std::size_t u) {
            return cls[u] != Cls::short_ && !(skip && cls[u] == Cls::neargood) && !silent(u);
        };
        std::vector<Cls>& left = nearest[skip][0];
        std::vector<Cls>& right = nearest[skip][1];
        left.assign(n, Cls::bad);
        right.assign(n, Cls::bad);
        for (std::size_t i = 0, last = n; i < n; ++i) {
            poll_deadline();
            if (last < n) left[i] = cls[last];
            if (is_neighbour(i)) last = i;
        }
        for (std::size_t i = n, last = n; i-- > 0;) {
            poll_deadline();
            if (last < n) right[i] = cls[last];
            if (is_neighbour(i)) last = i;
        }
    }
    auto neighbour = [&](std::size_t i, int dir, bool skip_neargood) {
        return nearest[skip_neargood ? 1 : 0][dir > 0 ? 1 : 0][i];
    };
    std::vector<Cls> revised = cls;
    const bool context = rule_on(Rule::context);
    // the lines of a hard-wrapped paragraph (units.hpp): its sentence ends on its last line
    // (the HTML cleaner's units are numbered one after another: none continues another)
    const std::vector<bool> continued =
        options.numbered_units ? std::vector<bool>(n, false) : continued_lines(units);
    std::vector<std::size_t> paragraph_end(n);
    for (std::size_t i = n; i-- > 0;) paragraph_end[i] = i + 1 < n && continued[i + 1] ? paragraph_end[i + 1] : i;
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        if (cls[i] != Cls::short_ || !context) continue;
        Cls prev = neighbour(i, -1, true), next = neighbour(i, +1, true);
        std::string why;
        if (prev == Cls::good && next == Cls::good) {
            revised[i] = Cls::good;
        } else if (prev == Cls::bad && next == Cls::bad) {
            revised[i] = Cls::bad;
            why = "between boilerplate";
        } else if (prev == Cls::bad && next == Cls::good && units[i].f.words >= 4 &&
                   units[i].f.links == 0 && prose_shaped(units[i].f, stop_threshold)) {
            revised[i] = Cls::good;  // a lead-in line: standfirst, dateline, salutation
        } else {
            bool near = neighbour(i, -1, false) == Cls::neargood || neighbour(i, +1, false) == Cls::neargood;
            revised[i] = near ? Cls::good : Cls::bad;
            if (!near) why = "at the edge of the content";
        }
        if (units[i].heading && revised[i] == Cls::bad) {
            // a heading belongs to what follows it
            if (next == Cls::good) revised[i] = Cls::good;
            else why = "heading not followed by content";
        }
        if (!why.empty()) {
            judged[i].reason = why + "; " + judged[i].reason;
            judged[i].rule = Rule::context;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        if (cls[i] != Cls::neargood || !context) continue;
        Cls prev = neighbour(i, -1, true), next = neighbour(i, +1, true);
        if (prev == Cls::bad && next == Cls::bad) {
            revised[i] = Cls::bad;
            judged[i].reason = "between boilerplate; " + judged[i].reason;
            judged[i].rule = Rule::context;
        } else if (prev == Cls::good && next == Cls::bad && !units[i].heading && units[i].item < 0 &&
                   !units[i].code &&
                   (!units[paragraph_end[i]].f.ends_sentence || units[i].f.link_density() >= kTrailingLinkDensity)) {
            // trailing the content, a line that is no sentence is the first of the furniture;
            // so is a short one that sends the reader elsewhere ("Follow me on [X]",
            // "[Click here] to subscribe"). A hard-wrapped paragraph's line ends where the
            // paragraph does, on its last line. Code is no sentence: it ends as it likes.
            revised[i] = Cls::bad;
            judged[i].reason = "unfinished line or link after the content; " + judged[i].reason;
            judged[i].rule = Rule::context;
        } else {
            revised[i] = Cls::good;
        }
    }

    // A heading belongs to what follows it: where the text right after it was kept (near-
    // good text settled by its own neighbours), so is the heading. Pictures and a button
    // or two under the heading ("Edit", "Listen"), or a bar of them ("Share on X | Share
    // on Y | Email": widget words, no sentence), stand between. Read backwards, so that
    // a heading over a subheading follows it.
    for (std::size_t i = n, next = n, labels = 0; i-- > 0;) {
        poll_deadline();
        if (units[i].heading && cls[i] == Cls::short_ && revised[i] == Cls::bad && next < n &&
            revised[next] == Cls::good) {
            revised[i] = Cls::good;
            if (explain) judged[i].reason = "heading of the content after it; " + judged[i].reason;
        }
        if (silent(i)) continue;
        const Features& g = units[i].f;
        bool label = !units[i].heading && revised[i] == Cls::bad && !g.ends_sentence &&
                     (g.length < kMaxLabelLength || (g.length < kMaxWidgetLength && widget_share(g) >= kWidgetShare));
        if (label && labels < kMaxRunGap) {
            ++labels;
            continue;
        }
        next = i;
        labels = 0;
    }

    // The main content run: the stretch with the greatest weight of good text over bad
    // (a maximum-sum run). Content outside it is page furniture: teasers, comments.
    std::vector<double> weight(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        double len = std::max(units[i].f.length, 10.0);
        weight[i] = revised[i] == Cls::good ? len : bridged[i] ? kSteppedOverWeight : -std::min(len, kMaxBadPenalty);
    }
    // A table's rows are read as lines, but the table is one piece of the page: its short
    // rows of numbers or labels, bad lines each, weigh against the run as one unit stepped
    // over, not as many lines of furniture (a 12-row table in an article parted the
    // paragraph after it from the article). Rows of good text add their weight.
    if (options.table_rows && rule_on(Rule::content_run)) {
        for (std::size_t i = 0; i < n;) {
            const std::uint32_t table = table_of(i);
            std::size_t end = i + 1;
            if (table == 0) {
                i = end;
                continue;
            }
            double total = weight[i];
            for (; end < n && table_of(end) == table; ++end) total += weight[end];
            if (total < kSteppedOverWeight) {
                std::fill(weight.begin() + static_cast<std::ptrdiff_t>(i), weight.begin() + static_cast<std::ptrdiff_t>(end), 0.0);
                weight[i] = kSteppedOverWeight;
            }
            i = end;
        }
    }
    struct Run {
        double score = 0;
        std::size_t from = 0, to = 0;
        bool found = false;
    };
    // A copyright or legal line closes the page: no run reaches across it.
    std::vector<bool> barrier(n, false);
    for (std::size_t i = 0; i < n; ++i)
        barrier[i] = revised[i] == Cls::bad && units[i].f.length < kMaxLegalLength && is_legal_line(units[i].f);
    // Runs are scanned from `start`. kBest: the stretch of greatest weight (a maximum-sum
    // run, restarted wherever the sum falls to nothing). kFrom: the run that starts at
    // the first good unit and ends where the weight summed from there peaks, so a gap of
    // furniture inside the article is bridged when the text after it outweighs it. A
    // barrier either ends the scan or restarts the run past it.
    enum class Scan { kBest, kFrom };
    auto scan = [&](std::size_t start, Scan kind, bool stop_at_barrier) {
        Run best, cur;
        for (std::size_t i = start; i < n; ++i) {
            poll_deadline();
            if (barrier[i]) {
                if (stop_at_barrier && (cur.found || kind == Scan::kBest)) break;
                cur = Run{};
                continue;
            }
            if (kind == Scan::kBest ? cur.score <= 0 : !cur.found) {
                if (kind == Scan::kFrom && weight[i] <= 0) continue;
                cur = Run{0, i, i, true};
            }
            cur.score += weight[i];
            cur.to = i;
            if (cur.score > best.score) best = cur;
        }
        return best;
    };
    Run main_run = scan(0, Scan::kBest, false);
    Run intro;  // an introduction above the headline kept apart from the main run
    if (options.title_line && main_run.found) {
        // the article follows its headline: prefer the first run after it unless it is
        // only a scrap beside the page's best (a cookie notice may outweigh an article)
        std::size_t after = 0;
        while (after < n && units[after].source.first <= options.title_line) ++after;
        Run candidate = scan(after, Scan::kFrom, true);
        if (candidate.found && candidate.score >= kAfterTitleShare * main_run.score) {
            // prose right above the headline, good paragraphs of statements up to it with
            // no furniture between, is the article's too (an introduction): kept. One only
            // its neighbours condemned (rule context) counts too: at the top of the page, over
            // a headline with a share bar under it, it has furniture on both sides
            // (the page's edge, the bar) though it is a statement.
            auto statement = [&](std::size_t i) {
                bool kept = revised[i] == Cls::good || judged[i].rule == Rule::context;
                return kept && !barrier[i] && !units[i].heading && units[i].item < 0 &&
                       is_statement_paragraph(units[i].f, lang);
            };
            std::size_t from = after;
            while (from > 0 && statement(from - 1)) --from;
            for (std::size_t i = from; i < after; ++i) {
                if (revised[i] == Cls::good) continue;
                revised[i] = Cls::good;
                weight[i] = std::max(units[i].f.length, 10.0);
                if (explain) judged[i].reason = "introduction above the headline; " + judged[i].reason;
            }
            for (std::size_t i = from; i < after; ++i) candidate.score += weight[i];
            if (candidate.from == after) {
                candidate.from = from;
            } else if (from < after) {
                // the run starts past furniture under the headline ("Updated 5 min ago",
                // "Listen to this article"), which the scan skipped: the introduction is
                // kept on its own and that furniture stays out
                intro = Run{0, from, after - 1, true};
            }
            main_run = candidate;
        }
    }
    const bool found = main_run.found;
    // Threads and Q&A pages: the replies after the first post are runs of their own,
    // parted by user cards and buttons. Runs after the main one that weigh as much as
    // a good part of it are kept too, up to a barrier.
    std::vector<bool> in_run(n, false);
    if (found) {
        for (std::size_t i = main_run.from; i <= main_run.to; ++i) in_run[i] = true;
        if (intro.found)
            for (std::size_t i = intro.from; i <= intro.to; ++i) in_run[i] = true;
        std::size_t start = main_run.to + 1;
        while (start < n) {
            if (barrier[start]) break;
            Run more = scan(start, Scan::kBest, true);
            if (!more.found) break;
            // replies are parted by the same furniture each time (a user card, "Reply",
            // "Quote"): the gap before the run must hold a line repeated on the page
            bool thread_gap = false;
            for (std::size_t i = start; i < more.from && !thread_gap; ++i) thread_gap = judged[i].repeated;
            if (thread_gap && more.score >= kSecondaryRunShare * main_run.score && more.score >= kGoodLength)
                for (std::size_t i = more.from; i <= more.to; ++i) in_run[i] = true;
            start = more.to + 1;
        }
    }
    // A call to the reader at the end of the article ("Subscribe to our newsletter",
    // "Sign in to comment", "Click here to order") opens the page's furniture: where
    // little text follows it in the main run, the run ends before it.
    std::size_t call_at = n;
    if (found && rule_on(Rule::call_to_reader)) {
        double before = 0, after = 0;
        for (std::size_t i = main_run.from; i <= main_run.to; ++i)
            if (revised[i] == Cls::good) after += units[i].f.length;
        // a widget word the article itself uses again and again is its topic ("login" in
        // a manual of logins), no call
        std::unordered_map<std::string_view, int> uses;
        std::vector<std::string_view> words;
        for (std::size_t i = main_run.from; i <= main_run.to; ++i) {
            poll_deadline();
            const Features& f = units[i].f;
            bool good = revised[i] == Cls::good;
            if (good) after -= f.length;
            // the last text of the run may be longer and less dense in widget words
            bool last = after <= 0;
            bool candidate = f.length < (last ? kMaxLastCallLength : kMaxCallLength) && revised[i] != Cls::bad &&
                             !units[i].code;
            words.clear();
            if (candidate || good) widget_share(f.text, &words);
            if (candidate && f.words > 0 && before >= kGoodLength && after <= kMaxAfterCallShare * before) {
                double hits = 0;
                bool calls = false;  // everyday words ("more", "next", "help") alone make no call
                for (std::string_view w : words) {
                    if (uses[w] >= kTopicalUses) continue;
                    ++hits;
                    calls = calls || is_call_word(w);
                }
                double share = hits / f.words;
                if (calls && share >= (last ? kMinLastCallShare : kMinCallShare) && hits >= kMinCallWords) {
                    call_at = i;
                    break;
                }
            }
            if (good) {
                before += f.length;
                for (std::string_view w : words) ++uses[w];
            }
        }
        for (std::size_t i = call_at; i <= main_run.to && call_at < n; ++i) in_run[i] = false;
    }

    std::vector<bool> drop(n, false);
    std::vector<std::string> reasons(n);
    std::vector<double> scores(n);
    std::vector<std::string_view> rules(n);
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        scores[i] = judged[i].score;
        if (revised[i] == Cls::bad) {
            drop[i] = true;
            reasons[i] = judged[i].reason;
            if (judged[i].rule != Rule::count) rules[i] = rule_id(judged[i].rule);
        } else if ((!found || !in_run[i]) && rule_on(Rule::content_run)) {
            drop[i] = true;
            bool called = i >= call_at && i <= main_run.to;
            rules[i] = rule_id(called ? Rule::call_to_reader : Rule::content_run);
            reasons[i] = (called ? "from a call to the reader on, after the article; "
                                 : "outside the main content run; ") + judged[i].reason;
        }
    }
    // A page of a few short sentences has no content run to find: rather than nothing,
    // keep its sentences (lines judged bad on their own stay out).
    if (std::all_of(drop.begin(), drop.end(), [](bool d) { return d; })) {
        for (std::size_t i = 0; i < n; ++i)
            if (judged[i].cls != Cls::bad && units[i].f.ends_sentence && units[i].f.links == 0)
                drop[i] = false;
    }
    if (found && rule_on(Rule::thread_posts))
        keep_thread_posts(units, judged, shaped, repeats, stop_threshold, main_run.from, main_run.to, drop, reasons);
    if (found && rule_on(Rule::numbered_headings))
        keep_numbered_headings(units, main_run.from, main_run.to, drop, reasons);

    // a long paragraph kept twice is a widget shown twice: keep the first only
    HashTable<std::size_t> seen;
    for (std::size_t i = 0; i < n; ++i) {
        poll_deadline();
        if (drop[i] || !folded[i] || units[i].f.length < kMinRepeatedParagraph || units[i].code) continue;
        if (seen[folded[i]]++ > 0 && rule_on(Rule::duplicate_paragraph)) {
            drop[i] = true;
            reasons[i] = "the same paragraph again";
            rules[i] = rule_id(Rule::duplicate_paragraph);
        }
    }
    if (rule_on(Rule::teaser_copy)) drop_truncated_copies(units, drop, reasons, rules);
    // a hard-wrapped paragraph stays whole or goes whole: a removal parting its lines cut
    // a short page's last sentence in two ("... a cafe would" kept, "open in the summer." not)
    // Only a verdict of where a line stands (context, content-run) is reconciled: a line
    // removed on its own content (furniture, a repeated line...) ends the paragraph above
    // it and is never weighed, lest "whichever side is longer" glue it back into the prose.
    std::vector<bool> fixed(n, false);
    const std::string_view by_context = rule_id(Rule::context), by_run = rule_id(Rule::content_run);
    for (std::size_t i = 0; i < n; ++i) fixed[i] = drop[i] && rules[i] != by_context && rules[i] != by_run;
    const std::vector<std::size_t> donor = settle_wrapped_paragraphs(units, continued, drop, fixed);
    for (std::size_t i = 0; i < n; ++i) {
        if (!drop[i]) {
            if (donor[i] != n && diag.keeps_notes()) {  // kept against the rule that removed it
                Diagnostic d;
                d.pass = "classify";
                d.action = "kept";
                d.first_line = units[i].source.first;
                d.last_line = units[i].source.last;
                d.score = scores[i];
                d.rule = rules[i];
                d.reason = "kept, overruling " + std::string(rules[i]) + ": a line of a paragraph kept whole (" +
                           reasons[i] + ")";
                d.excerpt = excerpt(units[i].f.text);
                diag.note(std::move(d));
            }
            reasons[i].clear();
            continue;
        }
        if (donor[i] == n) continue;
        reasons[i] = "a line of a paragraph removed (" + reasons[donor[i]] + ")";
        rules[i] = rules[donor[i]];
    }
    drop_units(doc, units, drop, reasons, scores, "classify", diag, rules, removed);
}

}  // namespace dconv::clean

namespace dconv {

namespace {

// The classifier reads lines of text, and a table's cells are no line of it: a table is
// read as its rows, each a line of cells parted by " | " (as a text dump shows it), and
// put back whole where its first row is kept. A data table goes only when every row of
// it went: however many numbers or links a row holds, the table is the article's when
// the article around it is.
class TablesAsRows {
public:
    explicit TablesAsRows(Document& doc) {
        // no table (most pages): nothing to read apart, and no second vector of blocks
        if (std::none_of(doc.blocks.begin(), doc.blocks.end(),
                         [](const Block& b) { return std::holds_alternative<Table>(b.node); }))
            return;
        Blocks read;
        read.reserve(doc.blocks.size());
        read_.reserve(doc.blocks.size());
        for (Block& b : doc.blocks) {
            auto* table = std::get_if<Table>(&b.node);
            if (!table) {
                read_.push_back(Read{b.source, b.node.index(), kNoRow});
                read.push_back(std::move(b));
                continue;
            }
            std::size_t t = tables_.size();
            for (const auto* section : {&table->head, &table->body})
                for (const TableRow& row : *section) {
                    Inlines line;
                    SourceRange source = b.source;
                    for (const TableCell& cell : row.cells)
                        for (const Block& cb : cell.content) {
                            const Inlines* in = inline_content(cb);
                            if (!in || in->empty()) continue;
                            if (!line.empty()) line.push_back(Text{" | "});
                            line.insert(line.end(), in->begin(), in->end());
                            if (cb.source.known()) source = cb.source;
                        }
                    normalize(line);
                    if (line.empty()) continue;
                    read_.push_back(Read{source, BlockNode(Paragraph{}).index(), rows_.size()});
                    rows_.push_back(Row{t, source, line});
                    read.push_back(Block{Paragraph{std::move(line)}, source});
                }
            tables_.push_back(std::move(b));
        }
        doc.blocks = std::move(read);
    }

    bool any() const { return !tables_.empty(); }

    // Per block of the document as the classifier reads it: the number (from 1) of the
    // table it is a row of, or 0 (CleanOptions::table_rows).
    std::vector<std::uint32_t> table_rows() const {
        std::vector<std::uint32_t> out;
        out.reserve(read_.size());
        for (const Read& r : read_)
            out.push_back(r.row == kNoRow ? 0 : static_cast<std::uint32_t>(rows_[r.row].table + 1));
        return out;
    }

    // The table (from 1) of which a row put back (after restore) starts on this line; 0
    // for none.
    std::size_t kept_table_at(std::uint32_t line) const {
        auto it = kept_lines_.find(line);
        return it != kept_lines_.end() ? it->second + 1 : 0;
    }

    // The classifier only removes units: what it kept is a subsequence of what it read,
    // matched in one walk (a kept list may have lost items: matched by place and kind).
    // A table is kept when a row of it is, or when the text on both sides of it is.
    void restore(Document& doc) {
        if (tables_.empty()) return;
        const std::size_t none = SIZE_MAX;
        std::vector<std::size_t> match(read_.size(), none);  // read → the kept block
        std::size_t j = 0;
        for (std::size_t k = 0; k < read_.size() && j < doc.blocks.size(); ++k) {
            const Read& r = read_[k];
            const Block& b = doc.blocks[j];
            if (b.source != r.source || b.node.index() != r.kind) continue;
            if (r.row != kNoRow) {
                const auto* p = std::get_if<Paragraph>(&b.node);
                if (!p || p->content != rows_[r.row].line) continue;
            }
            match[k] = j++;
        }
        std::vector<bool> placed(tables_.size(), false);
        for (std::size_t k = 0; k < read_.size(); ++k)
            if (read_[k].row != kNoRow && match[k] != none) placed[rows_[read_[k].row].table] = true;
        // sandwiched: the nearest blocks of text before and after the table were kept
        for (std::size_t k = 0; k < read_.size();) {
            if (read_[k].row == kNoRow) {
                ++k;
                continue;
            }
            std::size_t t = rows_[read_[k].row].table, end = k;
            while (end < read_.size() && read_[end].row != kNoRow && rows_[read_[end].row].table == t) ++end;
            bool before = k > 0 && read_[k - 1].row == kNoRow && match[k - 1] != none;
            bool after = end < read_.size() && read_[end].row == kNoRow && match[end] != none;
            if (before && after) placed[t] = true;
            k = end;
        }
        Blocks out;
        std::vector<bool> emitted(tables_.size(), false);
        for (std::size_t k = 0; k < read_.size(); ++k) {
            if (read_[k].row == kNoRow) {
                if (match[k] != none) out.push_back(std::move(doc.blocks[match[k]]));
                continue;
            }
            std::size_t t = rows_[read_[k].row].table;
            if (placed[t] && !emitted[t]) out.push_back(std::move(tables_[t]));
            emitted[t] = emitted[t] || placed[t];
        }
        for (; j < doc.blocks.size(); ++j) out.push_back(std::move(doc.blocks[j]));
        doc.blocks = std::move(out);
        for (const Row& row : rows_)
            if (placed[row.table] && row.source.known()) kept_lines_.emplace(row.source.first, row.table);
    }

private:
    static constexpr std::size_t kNoRow = SIZE_MAX;
    struct Row {
        std::size_t table;
        SourceRange source;
        Inlines line;
    };
    struct Read {  // a block as the classifier was given it
        SourceRange source;
        std::size_t kind;  // BlockNode's index
        std::size_t row;   // into rows_, or kNoRow
    };
    Blocks tables_;
    std::vector<Row> rows_;
    std::vector<Read> read_;
    std::unordered_map<std::uint32_t, std::size_t> kept_lines_;  // a kept row's first line: its table
};

// classify_boilerplate on a page whose tables `rows` has split into rows.
void classify_rows(Document& doc, TablesAsRows& rows, const CleanOptions& options, Diagnostics& diag) {
    Diagnostics verdicts(diag.keeps_notes());
    const std::vector<std::uint32_t> table_rows = rows.table_rows();
    CleanOptions with_rows = options;
    with_rows.table_rows = &table_rows;
    clean::classify_boilerplate(doc, with_rows, verdicts);
    rows.restore(doc);
    // a row removed from a table kept whole was not removed: say so, once for the table's
    // rows one after the other, on the first of them, with the lines of all
    clean::TableRowNotes table_notes(diag);
    for (Diagnostic d : verdicts.items()) {
        const std::size_t kept_in = d.action == "removed" ? rows.kept_table_at(d.first_line) : 0;
        if (kept_in) {
            d.action = "kept";
            d.reason = "a row of a data table kept whole, overruling: " + d.reason;
            table_notes.add(kept_in, std::move(d));
            continue;
        }
        table_notes.flush();
        if (d.severity == Severity::warning) diag.warn(std::move(d));
        else diag.note(std::move(d));
    }
    table_notes.flush();
}

}  // namespace

void classify_boilerplate(Document& doc, const CleanOptions& options, Diagnostics& diag) {
    TablesAsRows rows(doc);
    if (!rows.any()) {
        clean::classify_boilerplate(doc, options, diag);
        return;
    }
    classify_rows(doc, rows, options, diag);
}

void clean::classify_boilerplate_measured(Document& doc, const CleanOptions& options, Diagnostics& diag,
                                          std::vector<Unit>& measured, RemovedUnits* removed) {
    measured.clear();
    if (removed) {  // a page without tables: what the rules remove is kept aside
        clean::classify_boilerplate(doc, options, diag, &measured, removed);
        return;
    }
    TablesAsRows rows(doc);
    if (!rows.any()) {
        clean::classify_boilerplate(doc, options, diag, &measured);
        return;
    }
    classify_rows(doc, rows, options, diag);  // the rows' units are not the page's
}

}  // namespace dconv
