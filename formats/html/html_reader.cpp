#include "html/html_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>

#if defined(__GLIBC__)
#include <malloc.h>  // malloc_trim
#endif

#include "clean/recall_guard.hpp"
#include "clean/rules.hpp"
#include "core/text.hpp"
#include "core/selector_warnings.hpp"
#include "dconv/clean.hpp"
#include "dconv/fetch.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"
#include "html/block_builder.hpp"
#include "html/content_cleaning.hpp"
#include "html/content_selection.hpp"
#include "html/css_selector.hpp"
#include "html/explanation.hpp"
#include "html/html_tree.hpp"
#include "html/image_source.hpp"
#include "html/markup_prescan.hpp"
#include "html/page_model.hpp"
#include "html/page_signals.hpp"
#include "html/page_metadata.hpp"
#include "html/unit_selection.hpp"

namespace dconv {

namespace {

// The title's heading is looked for among the content's first blocks.
constexpr std::size_t kTitleSearchBlocks = 30;
// Text sampled to check the language the page declares.
constexpr std::size_t kLanguageSample = 20000;
// Quotes shorter than this (letters) are kept whatever they repeat.
constexpr std::size_t kMinQuoteChars = 40;
constexpr double kRepeatedQuoteShare = 0.8;
// Pages of at least this much markup give their freed memory back once read
// (malloc_trim, a few milliseconds): a real page's reading frees a few megabytes.
constexpr std::size_t kTrimAfterMarkup = std::size_t(4) << 20;
// Each comparison searches the text before the quote: a thread quotes a few dozen
// times, a hostile page could a hundred thousand times over megabytes.
constexpr std::size_t kMaxComparedQuotes = 256;

std::string primary_subtag(std::string_view tag) {
    return text::lower_ascii(tag.substr(0, tag.find('-')));
}

void note(Diagnostics& diag, const char* pass, const char* action, SourceRange lines, std::string reason,
          std::string excerpt = {}) {
    diag.note(html::explanation(pass, action, lines, std::move(reason), {}, std::move(excerpt)));
}

// Title: the content's heading that matches what the page calls itself (og:title,
// JSON-LD headline, <title> less its site part); that heading leaves the body, since
// writers print the title.
void take_title(Document& doc, const html::PageMetadata& meta, Diagnostics& diag) {
    std::string stated = html::page_title(meta);
    std::string folded_stated = html::fold_title(stated);
    for (std::size_t i = 0; i < doc.blocks.size() && i < kTitleSearchBlocks; ++i) {
        poll_deadline();
        const auto* h = std::get_if<Heading>(&doc.blocks[i].node);
        if (!h || h->level > 3) continue;
        std::string heading = text::squeeze_spaces(plain_text(h->content));
        if (!html::same_title(html::fold_title(heading), folded_stated)) continue;
        doc.meta.title = heading;
        if (diag.keeps_notes())
            note(diag, "html-meta", "meta", doc.blocks[i].source, "title: the heading the page's title names", heading);
        doc.blocks.erase(doc.blocks.begin() + static_cast<long>(i));
        return;
    }
    doc.meta.title = stated;
}

// Letters and digits of a text, lower-cased: what "the same words" compares.
std::string letters_of(std::string_view s) { return html::fold_title(s); }

// Threads quote the posts they answer: a quote whose text stands earlier on the page
// says nothing new. Quotes of at least kMinQuoteChars are compared, paragraph by
// paragraph; most of the text found earlier (kRepeatedQuoteShare) and the quote goes.
void drop_repeated_quotes(Document& doc, Diagnostics& diag) {
    std::string earlier;  // the letters of the blocks so far
    Blocks kept;
    kept.reserve(doc.blocks.size());
    std::size_t compared = 0;
    for (Block& b : doc.blocks) {
        poll_deadline();
        const auto* q = std::get_if<BlockQuote>(&b.node);
        if (q && compared++ < kMaxComparedQuotes && clean::rule_on(clean::Rule::repeated_quote)) {
            std::size_t total = 0, found = 0;
            for (const Block& child : q->children) {
                std::string letters = letters_of(plain_text(child));
                total += letters.size();
                if (!letters.empty() && earlier.find(letters) != std::string::npos) found += letters.size();
            }
            if (total >= kMinQuoteChars && found >= kRepeatedQuoteShare * double(total)) {
                if (diag.keeps_notes()) {
                    note(diag, "html-quotes", "removed", b.source, "a quote of text found earlier on the page",
                         html::excerpt(plain_text(b)));
                    diag.items_since(diag.items().size() - 1)[0].rule = clean::rule_id(clean::Rule::repeated_quote);
                }
                continue;
            }
        }
        earlier += letters_of(plain_text(b));
        kept.push_back(std::move(b));
    }
    doc.blocks = std::move(kept);
}

std::string sample_text(const Document& doc) {
    std::string sample;
    for (const Block& b : doc.blocks) {
        poll_deadline();
        sample += plain_text(b);
        sample += '\n';
        if (sample.size() > kLanguageSample) break;
    }
    return sample;
}

// The blocks of the whole body, nothing left out: the page the recall guard measures
// the content against.
void guard_whole_body(clean::RecallGuard& guard, const html::Page& page, html::BuildOptions build) {
    if (page.body() == html::kNoElement) return;
    // a piece at a time: the whole body is never held as one document
    build.flush = [&guard](const Blocks& blocks) { guard.add(blocks, ""); };
    build.data_tables = false;  // not prose: the guard passes tables over
    Blocks rest = html::build_blocks(page, {page.body()}, std::vector<bool>(page.size(), false), build);
    guard.add(rest, "");
}

// Rule comment-section (content_selection.hpp) on pages the page model takes for an
// article, giving them less than this probability of being a thread: a forum's posts are
// its content, an article's comments are not (as WCXB's golds have it); a product's
// reviews or a listing's notes in "comment" boxes are left to the other rules (their
// golds keep them: README, "How the cleaner decides").
constexpr float kMaxCommentsForumProbability = 0.3f;

// The page model's probability that the page is a thread (0 when the model names no
// forum type).
float forum_probability(const html::PageVerdict& verdict) {
    const auto& types = html::page_types();
    for (std::size_t t = 0; t < types.size() && t < verdict.type_probabilities.size(); ++t)
        if (types[t] == "forum") return verdict.type_probabilities[t];
    return 0;
}

bool comments_are_furniture(const html::PageVerdict& verdict) {
    return verdict.type == "article" && forum_probability(verdict) < kMaxCommentsForumProbability;
}

// Rule thread-page (content_selection.hpp's `thread_page`) on pages the page model gives
// at least this probability of being a thread: a thread's replies nested as <article>s
// (rule nested-article) and the opening poster's later posts (rule author-box) are its
// content, where the selection, missing the records, took them for another story's card
// and an author's bio. Only where those rules removed at least kMinThreadPagePosts boxes:
// a thread's replies are several, an article's bio box or its card or two of other
// stories are not (and the page model is unsure of a short page that declares nothing).
constexpr float kMinThreadPageForumProbability = 0.5f;
constexpr std::size_t kMinThreadPagePosts = 3;


// DCONV_PAGE_SIGNALS=1: one line per page on stderr, the page model's inputs, for
// tools/train/train_page_model.py (not a user interface).
void dump_signals(const std::string& source, const std::vector<float>& signals) {
    std::string line = "dconv-page-signals\t" + source;
    char buf[32];
    for (float v : signals) {
        std::snprintf(buf, sizeof buf, "\t%.9g", static_cast<double>(v));
        line += buf;
    }
    line += '\n';
    std::fputs(line.c_str(), stderr);
}

// DCONV_PAGE_TYPE=TYPE gives every HTML page that type, DCONV_PAGE_TYPE=@FILE the type
// FILE's lines give its input's name (`NAME<TAB>TYPE`, NAME the file name up to its first
// dot): the page model's type verdict is replaced by it (html::judge_page's
// forced_type). For experiments measuring what a right page type is worth (the oracle
// of tools/train/train_unit_model.py --oracle-types), not a user interface.
std::string forced_page_type(const std::string& source) {
    const char* env = std::getenv("DCONV_PAGE_TYPE");
    if (!env || !*env) return {};
    if (*env != '@') return env;
    static const std::unordered_map<std::string, std::string> types = [env] {
        std::unordered_map<std::string, std::string> out;
        if (std::FILE* f = std::fopen(env + 1, "r")) {
            char line[1024];
            while (std::fgets(line, sizeof line, f)) {
                std::string_view l(line);
                while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.remove_suffix(1);
                const std::size_t tab = l.find('\t');
                if (tab != std::string_view::npos) out.emplace(l.substr(0, tab), l.substr(tab + 1));
            }
            std::fclose(f);
        }
        return out;
    }();
    std::string name = source.substr(source.find_last_of('/') == std::string::npos ? 0 : source.find_last_of('/') + 1);
    name = name.substr(0, name.find('.'));
    const auto it = types.find(name);
    return it == types.end() ? std::string() : it->second;
}

void explain_verdict(Diagnostics& diag, const html::PageVerdict& v, Favor favor, html::PageMode mode) {
    char probability[16], gains[96];
    std::snprintf(probability, sizeof probability, "%.2f", static_cast<double>(v.type_probability));
    std::snprintf(gains, sizeof gains, "predicted F1 gain: wide %+.3f, inclusive %+.3f",
                  static_cast<double>(v.wide_gain), static_cast<double>(v.inclusive_gain));
    std::string reason = "page type " + std::string(v.type) + " (p " + probability + "); " +
                         std::string(html::page_mode_name(mode)) + " mode";
    if (favor == Favor::balanced) {
        reason += std::string(" (") + gains + "; signals";
        for (std::string_view s : v.top_signals) reason += " " + std::string(s);
        reason += ")";
    } else {
        reason += favor == Favor::recall ? " (--favor-recall)" : " (--favor-precision)";
    }
    note(diag, "page-model", "meta", SourceRange{}, std::move(reason));
}

}  // namespace

std::string html_declared_encoding(std::string_view bytes) { return html::declared_encoding(bytes); }

Blocks read_html_fragment(std::string markup) {
    html::prepare_markup(markup);
    if (markup.size() > kMaxMarkupBytes) return {};
    html::Page page(markup, {}, true);  // never cleaned: its buttons are read
    if (page.body() == html::kNoElement) return {};
    html::BuildOptions build;
    build.tables_are_data = true;
    build.image_widths = true;
    return html::build_blocks(page, {page.body()}, std::vector<bool>(page.size(), false), build);
}

std::string html_template_text(std::string text, const ReadOptions&) {
    html::prepare_markup(text);
    if (text.size() > kMaxMarkupBytes) return {};
    html::Page page(text);
    if (page.body() == html::kNoElement) return {};
    std::vector<bool> removed(page.size(), false);
    Blocks blocks = html::build_blocks(page, {page.body()}, removed);
    std::string out;
    auto line = [&out](std::string s) {
        for (char& c : s)
            if (c == '\n' || c == '\r') c = ' ';
        out += s;
        out += '\n';
    };
    for (const Block& b : blocks) {
        poll_deadline();
        if (const auto* list = std::get_if<List>(&b.node)) {
            for (const Blocks& item : list->items) {
                std::string s;
                for (const Block& child : item)
                    if (const Inlines* in = inline_content(child)) {
                        if (!s.empty()) s += ' ';
                        s += plain_text(*in);
                    }
                line(std::move(s));
            }
            continue;
        }
        line(plain_text(b));
    }
    // the images it shows, by source: a picture on many pages of a site is the site's
    for (std::uint32_t i = page.body(); i < page[page.body()].end; ++i)
        if (page[i].tag == GUMBO_TAG_IMG && !page[i].skipped)
            if (std::string src = html::image_source(page, i, false).src; !src.empty())
                line(html::template_image_line(src));
    return out;
}

namespace {

// Opens the way from content root `r` down to element `k` inside it: the outermost
// removed box on the way (a page header around a kept nav) and every box between it and
// `k` are read again, less their other children, which stay removed (the header's logo
// and search box beside the nav's wrapper). Not when one of them holds text of its own,
// which would come back with it: false, and nothing changed.
bool open_path(const html::Page& page, std::uint32_t r, std::uint32_t k, std::vector<bool>& removed) {
    std::uint32_t top = html::kNoElement;
    for (std::uint32_t a = page[k].parent; a != html::kNoElement && a != page[r].parent; a = page[a].parent)
        if (removed[a]) top = a;
    if (top == html::kNoElement) return true;
    for (std::uint32_t a = page[k].parent;; a = page[a].parent) {
        if (page[a].direct.chars > 0) return false;
        if (a == top) break;
    }
    for (std::uint32_t a = page[k].parent;; a = page[a].parent) {
        removed[a] = false;
        for (std::uint32_t c = a + 1; c < page[a].end; c = page[c].end)
            if (!page.contains(c, k)) removed[c] = true;
        if (a == top) break;
    }
    return true;
}

// --keep-selector: the kept elements are content whatever the selection said. Each is
// put back whole (its subtree no longer removed), where the page's structure has it: the
// removed boxes between it and the content root that holds it are opened (open_path).
// One that no content root reaches (outside them, or in a box holding text of its own)
// becomes a root of its own, in document order among the others; its blocks then come
// after those of a root that holds it.
void keep_elements(const html::Page& page, const std::vector<std::uint32_t>& kept, html::Selection& selection,
                   Diagnostics& diag) {
    for (std::uint32_t k : kept) {
        for (std::uint32_t i = k; i < page[k].end; ++i) selection.removed[i] = false;
        bool reached = false;
        for (std::uint32_t r : selection.roots) {
            if (!page.contains(r, k) || selection.removed[r]) continue;
            reached = reached || open_path(page, r, k, selection.removed);
        }
        if (!reached) {
            auto at = std::find_if(selection.roots.begin(), selection.roots.end(),
                                   [k](std::uint32_t r) { return r > k; });
            selection.roots.insert(at, k);
        }
        if (diag.keeps_notes()) {
            diag.note(html::explanation("html-select", "kept", {page[k].line, std::max(page[k].line, page[k].last_line)},
                                        "matches --keep-selector: content whatever the cleaner says",
                                        clean::rule_id(clean::Rule::keep_selector), html::excerpt(page.text_of(k, 240))));
        }
    }
}

// The units the kept elements make, by their text (html::unit_key): the cleaner keeps
// them (CleanOptions::keep_units).
std::unordered_set<std::string> kept_units(const html::Page& page, const std::vector<std::uint32_t>& kept,
                                           const html::BuildOptions& build) {
    std::unordered_set<std::string> keys;
    if (kept.empty()) return keys;
    Blocks blocks = html::build_blocks(page, kept, std::vector<bool>(page.size(), false), build);
    for (const Block& b : blocks) {
        if (const auto* list = std::get_if<List>(&b.node)) {
            for (const Blocks& item : list->items) keys.insert(html::unit_key(item));
            continue;
        }
        keys.insert(html::unit_key(std::span<const Block>(&b, 1)));
    }
    keys.erase(std::string());
    return keys;
}

// --explain: the elements --drop-selector left out, which the page skipped as it was
// indexed (html_tree.hpp, Page::Hide).
void explain_drops(const html::Page& page, const std::vector<html::SelectorList>& drops, Diagnostics& diag) {
    for (std::uint32_t i = 0; i < page.size(); ++i) {
        const html::Element& e = page[i];
        if (!e.skipped) continue;
        bool dropped = false;
        for (const html::SelectorList& list : drops) dropped = dropped || list.matches(page, e);
        if (!dropped) continue;
        diag.note(html::explanation("html-select", "removed", {e.line, e.line}, "matches --drop-selector",
                                    clean::rule_id(clean::Rule::drop_selector)));
    }
}

// --explain: a "removed" line for each element the page skipped as it was indexed
// (html_tree.hpp, Page) that `picked` names and that has words in it: the buttons left
// out as controls, the hidden boxes nothing on the page opens.
template <class Picked>
void explain_skipped(const html::Page& page, Picked picked, const char* reason, std::string_view rule,
                     Diagnostics& diag) {
    for (std::uint32_t i = 0; i < page.size(); ++i) {
        const html::Element& e = page[i];
        if (!e.skipped || !picked(e)) continue;
        std::string words = page.text_of(i, 240);
        if (words.empty()) continue;
        diag.note(html::explanation("html-select", "removed", {e.line, e.line}, reason, rule, html::excerpt(words)));
    }
}

// A warning for each of the user's selectors that matched nothing on this page: a
// --keep-selector that keeps nothing, or a --drop-selector that drops nothing, is most
// often a typo or a selector for another site's pages. A batch sums these up, one line
// per selector (core/selector_warnings.hpp).
// A selector matches when it matches any element of the page as parsed: one inside a
// dropped element, a <title> or a <script> has matched too, though nothing of it is shown.
// The page's index leaves out what --drop-selector dropped: `markup` is parsed again
// without dropping anything (only for a selector about to be called unmatched).
void warn_unmatched(const html::Page& page, std::string_view markup, bool dropping,
                    const std::vector<html::SelectorList>& lists, std::string_view option, Diagnostics& diag) {
    std::optional<html::Page> whole;  // the page with nothing dropped, when needed
    auto matches_in = [](const html::Page& p, const html::SelectorList& list) {
        for (std::uint32_t i = 0; i < p.size(); ++i)
            if (list.matches(p, p[i])) return true;
        return false;
    };
    for (const html::SelectorList& list : lists) {
        if (matches_in(page, list)) continue;
        if (dropping) {
            if (!whole) whole.emplace(markup);
            if (matches_in(*whole, list)) continue;
        }
        diag.warn(html::explanation(kSelectorWarningPass, {}, {}, std::string(option) + " '" + list.text() + "' matched nothing"));
    }
}

// The cascade's last steps, for a page whose body gave almost nothing (a thread saved
// without its posts, a page its scripts were to fill): the text the page declares in its
// JSON-LD, when it declares kMinDeclaredText or more (articleBody, a FAQ's answers: what
// trafilatura's fallback reads too), added after what the cleaner kept unless that holds
// it already; else, on a page left with no text at all, its <meta> description, a
// sentence or two of the page's own summary. Either is reported as a fallback.
constexpr std::size_t kMinDeclaredText = 400;

void keep_declared_text(Document& doc, const html::PageMetadata& meta, Diagnostics& diag) {
    std::string kept;
    for (const Block& b : doc.blocks) kept += text::squeeze_spaces(plain_text(b)) + '\n';
    const std::size_t kept_bytes = kept.size() - doc.blocks.size();  // less the newlines
    auto add = [&](const std::string& paragraph) {
        Block b{Paragraph{{Inline{Text{paragraph}}}}, SourceRange{}};
        doc.blocks.push_back(std::move(b));
    };
    auto report = [&](clean::Rule rule, std::string_view what) {
        diag.warn(html::explanation("recall", "fallback", {},
                                    "the page's body gave almost nothing (" + std::to_string(kept_bytes) +
                                        " bytes kept): kept " + std::string(what) +
                                        " instead (--favor-precision keeps the first choice)",
                                    clean::rule_id(rule)));
    };
    std::size_t declared = 0;
    for (const std::string& p : meta.declared_text) declared += p.size();
    if (declared >= kMinDeclaredText && clean::rule_on(clean::Rule::declared_text)) {
        std::size_t added = 0;
        for (const std::string& p : meta.declared_text)
            if (kept.find(p) == std::string::npos) add(p), ++added;
        if (added > 0) report(clean::Rule::declared_text, std::to_string(added) + " paragraphs of the text its JSON-LD declares");
        return;
    }
    // a description beside what little was kept only dilutes it (on WCXB's pages a
    // product's few lines 0.79 -> 0.70): it stands in for an empty page only
    std::string description(text::squeeze_spaces(text::trim(meta.description)));
    if (description.empty() || !clean::rule_on(clean::Rule::description_fallback)) return;
    if (kept.find_first_not_of('\n') != std::string::npos) return;
    add(description);
    report(clean::Rule::description_fallback, "its <meta> description");
}

// The fallback cascade (trafilatura's), when the cleaner kept almost nothing of a page
// with prose: the prose units of the whole body as the guard read them, with what the
// cleaner kept that is not among them first (a heading, a lead). Returns how many
// blocks of prose came back.
std::size_t keep_prose_units(Document& doc, Blocks prose) {
    std::unordered_set<std::string> in_prose;
    for (const Block& b : prose) in_prose.insert(html::unit_key(std::span<const Block>(&b, 1)));
    Blocks out;
    for (Block& b : doc.blocks)
        if (!in_prose.contains(html::unit_key(std::span<const Block>(&b, 1)))) out.push_back(std::move(b));
    std::size_t back = prose.size();
    for (Block& b : prose) out.push_back(std::move(b));
    doc.blocks = std::move(out);
    return back;
}

}  // namespace

Document read_html(std::string text, const ReadOptions& options, Diagnostics& diag) {
    const bool cleaning = cleaning_wanted(options.clean, true);  // a page: cleaned by default
    const std::size_t first_item = diag.items().size();  // this page's, to stamp its type on
    // the user's selectors, refused before anything is read when dconv cannot match them
    const std::vector<html::SelectorList> keeps = html::parse_selectors(options.keep_selectors, "--keep-selector");
    const std::vector<html::SelectorList> drops = html::parse_selectors(options.drop_selectors, "--drop-selector");
    html::PrescanReport prescan = html::prepare_markup(text);
    if (text.size() > kMaxMarkupBytes)
        throw Error(ErrorKind::limit, options.source_name, 0,
                    "HTML of " + std::to_string(text.size() >> 20) + " MiB without its scripts and styles is over the " +
                        std::to_string(kMaxMarkupBytes >> 20) + " MiB the HTML reader takes");
    const std::size_t markup_bytes = text.size();
    if (prescan.flattened_tags > 0)
        diag.warn("html", std::to_string(prescan.flattened_tags) + " tags nested deeper than " +
                              std::to_string(html::kMaxElementDepth) + " elements dropped (their text is kept)");
    if (prescan.dropped_attributes > 0)
        diag.warn("html", std::to_string(prescan.dropped_attributes) + " attributes beyond " +
                              std::to_string(html::kMaxAttributes) + " on one tag dropped");

    // gumbo's tree points into `text`: it lives as long. It is released once the
    // document is built, before the cleaning passes (issue 16's memory bound).
    // --drop-selector: the elements are left out as the page is indexed, before anything
    // is measured or judged
    html::Page::Hide hide;
    if (!drops.empty())
        hide = [&drops](const html::Page& p, const html::Element& e) {
            for (const html::SelectorList& list : drops)
                if (list.matches(p, e)) return true;
            return false;
        };
    // buttons outside headings and running text are controls, left out when cleaning
    const bool controls_out = cleaning && clean::rule_on(clean::Rule::control_button);
    std::optional<html::Page> parsed(std::in_place, text, hide, !controls_out);
    html::Page& page = *parsed;
    if (!drops.empty() && diag.keeps_notes()) explain_drops(page, drops, diag);
    // With --drop-selector, an empty document is said so, as the cleaner says one of its
    // own making (clean.cpp): whether the selectors took all of the page's text, or the
    // cleaner found only furniture in what they left.
    // The dropped elements stay in the parsed tree, out of the index: the body's text is
    // the page's, what the selectors took included (no second parse of the page).
    bool left_text = false, dropped_all_text = false;
    if (!drops.empty()) {
        const bool page_text = !text::trim(page.body_text(64)).empty();
        left_text = page_text && page.body() != html::kNoElement && !page[page.body()].skipped;
        dropped_all_text = page_text && !left_text;
    }
    if (diag.keeps_notes()) {
        auto hidden = [](const html::Element& e) { return html::is_hidden(e.node); };
        if (controls_out)
            explain_skipped(page, [&](const html::Element& e) { return e.tag == GUMBO_TAG_BUTTON && !hidden(e); },
                            "a button outside headings and running text: a control",
                            clean::rule_id(clean::Rule::control_button), diag);
        explain_skipped(page, hidden, "hidden on the page, and no control on it opens the box", {}, diag);
    }
    const std::vector<std::uint32_t> kept = html::outermost_matches(page, keeps);
    warn_unmatched(page, text, !drops.empty(), keeps, "--keep-selector", diag);
    warn_unmatched(page, text, !drops.empty(), drops, "--drop-selector", diag);
    std::string page_type;
    html::PageMetadata meta = html::read_page_metadata(page);

    html::Selection selection;
    bool inclusive = false;
    html::PageMode mode = html::PageMode::block;
    html::PageVerdict verdict;
    // the unit model judges (unit_selection.hpp), on pages of a size its stages can afford
    const bool units = cleaning && html::unit_model_wanted() && markup_bytes <= kMaxUnitModelMarkup;
    std::optional<html::Selection> block_selection;  // the unit model's "selected" stage, when not the content
    std::vector<std::uint32_t> comments;  // rule comment-section's, left out of the content
    if (cleaning) {
        // the first selection's notes wait for the page model: a page it takes for an
        // article is selected again without its comment sections (rule comment-section)
        Diagnostics first(diag.keeps_notes());
        selection = html::select_content(page, primary_subtag(meta.language), meta.authors, first);
        // The page model: the page's type, and whether the inclusive mode serves it
        // better than the one content block (see page_model.hpp, Favor).
        std::vector<float> signals = html::page_signals(page, meta, selection, text);
        if (std::getenv("DCONV_PAGE_SIGNALS")) dump_signals(options.source_name, signals);
        verdict = html::judge_page(signals, forced_page_type(options.source_name));
        mode = options.favor == Favor::recall      ? html::PageMode::inclusive
               : options.favor == Favor::precision ? html::PageMode::block
                                                   : verdict.mode;
        if (const char* forced = std::getenv("DCONV_PAGE_MODE")) mode = html::page_mode_named(forced, mode);
        inclusive = mode != html::PageMode::block;
        page_type = std::string(verdict.type);
        if (clean::rule_on(clean::Rule::comment_section) && comments_are_furniture(verdict))
            comments = html::comment_sections(page, selection);
        const bool thread_page = comments.empty() && selection.posts_removed >= kMinThreadPagePosts &&
                                 clean::rule_on(clean::Rule::thread_page) &&
                                 forum_probability(verdict) >= kMinThreadPageForumProbability;
        if (thread_page) {
            if (diag.keeps_notes()) {
                const float forum = forum_probability(verdict);
                Diagnostic d = html::explanation(
                    "html-select", "kept", SourceRange{},
                    "a thread (the page model's forum probability " +
                        std::to_string(static_cast<int>(100 * forum + 0.5)) +
                        "%): its nested articles and its author's boxes are posts",
                    clean::rule_id(clean::Rule::thread_page));
                d.score = forum;
                diag.note(d);
            }
            selection = html::select_content(page, primary_subtag(meta.language), meta.authors, diag, false, {}, true);
        } else if (comments.empty()) {
            for (const Diagnostic& d : first.items()) d.severity == Severity::warning ? diag.warn(d) : diag.note(d);
        } else {
            html::note_comment_sections(page, comments, diag);
            selection = html::select_content(page, primary_subtag(meta.language), meta.authors, diag, false, comments);
        }
        if (diag.keeps_notes()) explain_verdict(diag, verdict, options.favor, mode);
        if (inclusive && diag.keeps_notes())  // both selections are listed: say which one stands
            note(diag, "html-select", "replaced", SourceRange{},
                 "the selection above gives way to the " + std::string(html::page_mode_name(mode)) +
                     " mode's, listed below");
        if (inclusive) {
            if (units) block_selection = selection;
            Diagnostics quiet(false);  // explained, the notes of both selections are shown
            selection = html::select_content(page, primary_subtag(meta.language), meta.authors,
                                             diag.keeps_notes() ? diag : quiet, true, comments);
        }
        keep_elements(page, kept, selection, diag);
    } else {
        selection.removed.assign(page.size(), false);
        if (page.body() != html::kNoElement) selection.roots.push_back(page.body());
    }
    html::BuildOptions build;
    build.base_url = meta.base;
    build.page_url = meta.url;
    // A page fetched from the web lives at its final URL, whatever its canonical link says.
    if (!options.url.empty()) {
        build.base_url = meta.base_href.empty() ? options.url : absolute_url(options.url, meta.base_href);
        build.page_url = options.url;
        build.resolve_image_urls = true;
    } else if (!options.page_address.empty() && meta.url.empty()) {
        build.base_url = meta.base_href.empty() ? options.page_address : absolute_url(options.page_address, meta.base_href);
    }
    // Warns if the page's prose is lost. Made from the whole body, a piece at a time,
    // before the content is built.
    std::optional<clean::RecallGuard> guard;
    const bool fallback = cleaning && mode != html::PageMode::inclusive && options.favor != Favor::precision &&
                          clean::rule_on(clean::Rule::recall_fallback);
    if (cleaning) {
        guard.emplace();
        if (fallback) guard->keep_prose_blocks();  // the tree is gone by the time it is needed
        guard_whole_body(*guard, page, build);
    }
    // the units the kept elements make, read before the tree is consumed
    const std::unordered_set<std::string> keep_units = kept_units(page, kept, build);
    // The unit model's stages, built before the content consumes the tree: the whole
    // body (with each block's element features), the block selection, the body less its
    // furniture landmarks (unit_selection.hpp).
    Document whole, selected, landmark_free, cleaned;
    html::BlockFeatures whole_features;
    if (units) {
        std::vector<std::uint32_t> elements;
        html::BuildOptions whole_build = build;
        whole_build.block_elements = &elements;
        if (page.body() != html::kNoElement)
            whole.blocks = html::build_blocks(page, {page.body()}, std::vector<bool>(page.size(), false), whole_build);
        whole_features = html::block_features(page, elements);
        if (block_selection)
            selected.blocks = html::build_blocks(page, block_selection->roots, block_selection->removed, build);
        if (mode == html::PageMode::block) {
            Diagnostics quiet(false);
            html::Selection landmarks =
                html::select_content(page, primary_subtag(meta.language), meta.authors, quiet, true);
            landmark_free.blocks = html::build_blocks(page, landmarks.roots, landmarks.removed, build);
        }
    }
    Document doc;
    html::BuildOptions content_build = build;
    content_build.explain = &diag;  // decorative images, reported once: not for the whole body
    // What is read from the tree after the content is built is read before: the
    // building frees each subtree it has built.
    std::string content_date = meta.date.empty() ? html::content_time(page, selection.roots) : meta.date;
    doc.blocks = html::build_blocks_consuming(page, selection.roots, selection.removed, content_build);
    if (units) {
        if (!block_selection) selected.blocks = doc.blocks;
        if (mode != html::PageMode::block) landmark_free.blocks = doc.blocks;
    }
    // a note whose first reference the cleaning removes keeps its text at the next one
    NoteContents notes;
    if (cleaning) {
        notes = labelled_note_contents(doc);
        guard->checkpoint(doc, "html-select");
        drop_repeated_quotes(doc, diag);
        take_title(doc, meta, diag);
    } else {
        doc.meta.title = html::page_title(meta);
    }
    doc.meta.authors = meta.authors;
    doc.meta.date = content_date;
    parsed.reset();  // the page's tree and index: not used past here
    std::string().swap(text);  // nor the markup they pointed into
    doc.meta.site = meta.site;
    doc.meta.source = meta.url;  // where the page lives; the file's name when it does not say
    // meta.description is not copied into Meta::extra: every writer prints extra keys,
    // and a page's description is its lead paragraph again (on the dev set it cost 2.5
    // points of F1)

    // the declared language, unless the text says otherwise (templates keep lang="en")
    std::string guessed = guess_language(sample_text(doc));
    std::string language = meta.language;
    if (language.empty() || (!guessed.empty() && primary_subtag(language) != guessed)) language = guessed;

    if (cleaning) {
        // the cleaner's language tables are keyed by primary subtag
        doc.meta.language = primary_subtag(language);
        CleanOptions clean;
        clean.batch = options.batch;
        clean.keep_units = keep_units.empty() ? nullptr : &keep_units;
        // the inclusive mode keeps what the landmarks leave: the unit rules are made for
        // one article's block and would take a listing's cards for navigation again; the
        // wide mode hears them as for records (each unit on its own words, no content run)
        if (mode == html::PageMode::block) html::clean_content(doc, clean, selection.thread, diag);
        else if (mode == html::PageMode::wide) html::clean_content(doc, clean, true, diag);
        if (mode != html::PageMode::block) html::drop_site_template(doc, clean, diag);
        if (units) {
            // the unit model (unit_selection.hpp) reads the rules' block-mode verdict,
            // whatever the mode, and overrules the rules' output where it is confident
            const Document* rules = &doc;
            if (mode != html::PageMode::block) {
                Diagnostics quiet(false);
                cleaned.blocks = selected.blocks;
                cleaned.meta.language = doc.meta.language;
                html::clean_content(cleaned, clean, block_selection ? block_selection->thread : selection.thread, quiet);
                rules = &cleaned;
            }
            html::RuleStages stages{&whole, &whole_features, &selected, &landmark_free, rules, &doc};
            if (html::select_units(doc, stages, verdict, options.favor, clean, options.source_name, diag)) {
                drop_repeated_quotes(doc, diag);
                take_title(doc, meta, diag);
            }
        }
        guard->checkpoint(doc, "the cleaning passes");
        // The fallback cascade: the cleaner kept under kMinKeptShare of the page's prose
        // and under kFallbackMaxText of text in all, so the page's prose units come back
        // (on WCXB's pages a wider trigger lost more than it gained: recall_guard.hpp).
        if (fallback && clean::holds_almost_nothing(doc) && guard->collapsed(doc)) {
            const double before = guard->kept_length();
            if (std::size_t back = keep_prose_units(doc, guard->take_prose_blocks()); back > 0)
                guard->report_fallback(doc, before, back, "--favor-precision keeps the first choice", diag);
        }
        restore_note_contents(doc, std::move(notes));
        if (options.favor != Favor::precision && clean::holds_almost_nothing(doc)) keep_declared_text(doc, meta, diag);
        guard->report(doc, diag);
    }
    doc.meta.language = language;
    if ((dropped_all_text || left_text) && doc.blocks.empty()) {
        // the cleaning passes' own "nothing was kept" is said again naming the selectors,
        // which a user of them will look at first
        Diagnostic* said = nullptr;
        for (Diagnostic& d : diag.items_since(first_item))
            if (d.severity == Severity::warning && d.reason.starts_with("nothing was kept")) said = &d;
        std::string selectors;
        for (const std::string& s : options.drop_selectors) selectors += (selectors.empty() ? "'" : ", '") + s + "'";
        std::string reason = dropped_all_text
                                 ? "nothing was kept: --drop-selector " + selectors + " removed all of the page's text"
                                 : "nothing was kept: what --drop-selector " + selectors +
                                       " left looked like page furniture (--no-clean keeps the text)";
        if (said) said->reason = std::move(reason);
        else diag.warn("clean", std::move(reason));
    }
    if (!page_type.empty()) {
        // The metadata states the type only when the model is fairly sure of it: held
        // out by site, its likeliest type is right on 84 % of the pages where it gives it
        // a probability of 0.5 or more, and on 39 % of the others (a short page of a few
        // paragraphs reads to it as a thread saved without its posts). --explain names
        // the type and its probability either way.
        if (verdict.type_probability >= html::kMinStatedTypeProbability) doc.meta.extra["type"] = page_type;
        // --explain says of each removal on what kind of page it was made
        for (Diagnostic& d : diag.items_since(first_item))
            if (d.action == "removed") d.page_type = page_type;
    }
    // A large page's freed memory (the cleaning passes' copies of the document, the
    // index) goes back to the system before the writers run: glibc keeps it in its heap,
    // fragmented, and a writer's output string, which doubles as it grows, then came on
    // top of it (the 8 MB table page's peak, 14 MB over the reader's).
#if defined(__GLIBC__)
    if (markup_bytes >= kTrimAfterMarkup) ::malloc_trim(0);
#endif
    return doc;
}

}  // namespace dconv
