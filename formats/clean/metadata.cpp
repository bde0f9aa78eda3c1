// metadata.cpp: the metadata pass. Reads the page head (what comes before the first
// paragraph of running prose) for the title, subtitle, byline, date and site, and takes
// the lines it used out of the body: they belong in the front matter and title block.
#include <algorithm>
#include <string>

#include "clean/cues.hpp"
#include "clean/language.hpp"
#include "clean/units.hpp"
#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/limits.hpp"
#include "dconv/model.hpp"

namespace dconv {

namespace {

using clean::Unit;

constexpr double kContentLength = 150;  // the first prose unit this long starts the article
constexpr double kMaxTitleLength = 300;
constexpr double kMaxMastheadLength = 60;  // a site's name, not a sentence
constexpr std::size_t kMaxTitleToken = 40;  // characters of one word in a title, at most
constexpr double kMaxMetaLineLength = 120;  // a date or byline line carries little else
constexpr std::size_t kMaxHeadUnits = 400;

bool starts_with_dash(std::string_view s) {
    return s.rfind("--", 0) == 0 || s.rfind("–", 0) == 0 || s.rfind("—", 0) == 0;
}

std::string_view strip_dashes(std::string_view s) {
    while (!s.empty()) {
        if (s.rfind("--", 0) == 0) s.remove_prefix(2);
        else if (s.rfind("–", 0) == 0 || s.rfind("—", 0) == 0) s.remove_prefix(3);
        else if (s[0] == '-') s.remove_prefix(1);
        else break;
    }
    return text::trim(s);
}

bool is_content(const Unit& u, double min_length) {
    const auto& f = u.f;
    return !u.heading && u.item < 0 && f.length >= min_length && f.link_density() < 0.3 &&
           (f.sentence_ends >= 1 || f.commas >= 2);
}

// Where the article's prose starts: the first long prose unit, or on a page of short
// paragraphs the first half as long; n when there is none.
std::size_t content_start(const std::vector<Unit>& units) {
    for (double min_length : {kContentLength, kContentLength / 2}) {
        for (std::size_t i = 0; i < units.size() && i < kMaxHeadUnits; ++i)
            if (is_content(units[i], min_length)) return i;
    }
    return units.size();
}

// Whatever a date line says besides its date: "Click Num:1369", "Beijing,".
bool date_line(const Unit& u, std::string& date) {
    date = find_date(u.f.text);
    if (date.empty()) return false;
    return u.f.length <= kMaxMetaLineLength && (u.f.words <= 12 || u.f.digits * 3 >= u.f.letters);
}

// Characters in the longest run of non-CJK characters without a space: a title has
// words, a file name or an encoded image has one long token. (CJK text has no spaces
// and does not count.)
std::size_t longest_token(std::string_view s) {
    std::size_t best = 0, run = 0;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = text::next(s, i);
        run = (c == ' ' || text::is_cjk(c)) ? 0 : run + 1;
        best = std::max(best, run);
    }
    return best;
}

// A line of a script that writes no sentence marks (Thai, Lao) whose spaces part at most
// two clauses: a headline's shape there (a paragraph parts many), though its runs are
// long enough to count as sentences (features.cpp).
bool unmarked_headline(const clean::Features& f) {
    std::string_view t = text::trim(f.text);
    if (t.empty()) return false;
    std::size_t i = t.size();
    return text::in_script_without_sentence_marks(text::prev(t, i)) && f.sentence_ends <= 2;
}

bool title_like(const Unit& u) {
    const auto& f = u.f;
    if (u.item >= 0 || u.code || u.rule) return false;
    if (f.length < 8 || f.length > kMaxTitleLength || f.letters < 3) return false;
    if (f.has_url_text || longest_token(f.text) > kMaxTitleToken) return false;  // image names, ids
    if (f.link_density() > 0.3) return false;
    if (f.ends_sentence && clean::ends_with_full_stop(f) && !unmarked_headline(f)) return false;  // a sentence
    if (f.text.find(" > ") != std::string::npos || f.text.find(" » ") != std::string::npos) return false;
    // "News | World | Sport": a bar of links, not a name (one separator is "Title | Site")
    std::size_t bars = 0;
    for (std::size_t pos = f.text.find(" | "); pos != std::string::npos; pos = f.text.find(" | ", pos + 1)) ++bars;
    if (bars >= 2) return false;
    if (starts_with_dash(f.text) || clean::numbered_heading_shape(f)) return false;
    if (!find_date(f.text).empty() && f.words <= 8) return false;
    if (clean::is_legal_line(f.text) || clean::widget_share(f.text) >= 0.4) return false;
    if (!clean::strip_welcome(f.text).empty()) return false;
    return true;
}

// A line holding an image is a picture, not the page's title: its text is alt text
// ("![A Photo Of The Sea](sea.jpg)" under the first paragraph of a short page would
// name it, and the paragraph above it would go as the page's head)
bool holds_image(const Document& doc, const Unit& u) {
    const Inlines* content = u.item < 0 ? inline_content(doc.blocks[u.block]) : nullptr;
    return content && contains_image(*content);
}

// A paragraph of the article: a sentence or more of running text, not a link, a widget
// or a legal notice. A title stands above the article's prose, so a line below one is
// no title (on a page of short paragraphs, "A View Of The Harbour" below the first of
// them would name the page, and the paragraph above it would go as the page's head).
bool sentence_prose(const Unit& u, std::string_view lang) {
    const auto& f = u.f;
    if (u.heading || u.item >= 0 || u.code || u.rule) return false;
    return f.sentence_ends >= 1 && f.ends_sentence && clean::is_statement_paragraph(f, lang);
}

// A line that is one piece said again and again ("logo textlogo textlogo text"): the
// alt text of a tracking image or a logo repeated, not a name.
bool repeats_itself(std::string_view s) {
    const std::string folded = clean::fold(s);
    const std::size_t n = folded.size();
    for (std::size_t period = 1; period * 2 <= n; ++period) {
        if (n % period != 0) continue;
        bool same = true;
        for (std::size_t k = period; k < n && same; ++k) same = folded[k] == folded[k - period];
        if (same) return true;
    }
    return false;
}

// A site's name, at the top of a text dump: title-like, and no page furniture (a "Skip to
// main content" link, a menu's word) nor a piece repeated.
bool masthead_like(const Unit& u) {
    return title_like(u) && !u.heading && u.f.length <= kMaxMastheadLength && clean::widget_share(u.f.text) == 0 &&
           !repeats_itself(u.f.text);
}

bool ends_with_function_word(std::string_view s) {
    static constexpr std::string_view kDangling[] = {" of", " the", " and", " for", " to", " in",
                                                     " on", " de", " du", " der", " des", " &"};
    for (auto w : kDangling)
        if (s.size() > w.size() && s.substr(s.size() - w.size()) == w) return true;
    return false;
}

void note(Diagnostics& diag, const Unit& u, const std::string& what) {
    Diagnostic d;
    d.pass = "metadata";
    d.action = "meta";
    d.first_line = u.source.first;
    d.last_line = u.source.last;
    d.reason = what;
    d.excerpt = clean::excerpt(u.f.text);
    diag.note(std::move(d));
}

}  // namespace

std::uint32_t extract_metadata(Document& doc, Diagnostics& diag) {
    std::string lang = clean::document_language(doc);
    if (doc.meta.language.empty()) doc.meta.language = lang;
    constexpr std::size_t kFootUnits = 20;  // where a dateline in the foot may stand
    std::vector<Unit> units = clean::make_units(doc, lang, kMaxHeadUnits, kFootUnits);
    const std::size_t n = units.size();
    if (n == 0) return 0;

    std::size_t head_end = content_start(units);
    if (head_end == n) head_end = std::min<std::size_t>(n, 10);

    std::vector<bool> used(n, false);
    std::vector<std::string> why(n);
    auto use = [&](std::size_t i, const std::string& what) {
        used[i] = true;
        why[i] = what;
        note(diag, units[i], what);
    };

    // Site: a welcome banner, or a masthead line (possibly wrapped) at the very top.
    long site_unit = -1;
    for (std::size_t i = 0; i < head_end && doc.meta.site.empty(); ++i) {
        poll_deadline();
        std::string_view welcome = clean::strip_welcome(units[i].f.text);
        if (!welcome.empty() && units[i].f.length < 120 && units[i].f.link_density() < 0.5) {
            doc.meta.site = std::string(welcome);
            site_unit = static_cast<long>(i);
            use(i, "site banner");
        }
    }

    // Title: the top heading of the head; else the title-like line right before the
    // first date, byline or dashed subtitle; else the last one before the prose.
    // The first H1 of the head; without one, the H2 nearest the prose (navigation
    // column headings come first). Save an H1 (a cookie notice or a newsletter call
    // may stand above it), no line below a paragraph of prose is the title: it
    // heads a section of the article, and taking it would drop the text above.
    const std::size_t title_end = static_cast<std::size_t>(
        std::find_if(units.begin(), units.begin() + static_cast<std::ptrdiff_t>(head_end),
                     [&](const Unit& u) { poll_deadline(); return sentence_prose(u, lang); }) -
        units.begin());
    long title = -1;
    for (std::size_t i = 0; i < head_end; ++i) {
        poll_deadline();
        const Unit& u = units[i];
        if (!u.heading || u.heading_level > 2 || !title_like(u) || holds_image(doc, u) ||
            clean::opens_furniture_section(u.f.text))
            continue;
        if (u.heading_level == 1) {
            title = static_cast<long>(i);
            break;
        }
        if (i < title_end) title = static_cast<long>(i);
    }
    if (title < 0) {
        std::size_t anchor = title_end;
        for (std::size_t i = 0; i < title_end; ++i) {
            poll_deadline();
            std::string date;
            if (date_line(units[i], date) || starts_with_dash(units[i].f.text) ||
                !clean::find_byline(units[i].f.text, true).empty()) {
                anchor = i;
                break;
            }
        }
        for (std::size_t i = anchor; i-- > 0;) {
            poll_deadline();
            if (static_cast<long>(i) == site_unit) continue;
            if (title_like(units[i]) && !holds_image(doc, units[i])) {
                title = static_cast<long>(i);
                break;
            }
        }
    }
    if (title >= 0 && doc.meta.title.empty()) {
        doc.meta.title = text::squeeze_spaces(units[static_cast<std::size_t>(title)].f.text);
        use(static_cast<std::size_t>(title), "title");
    }

    // Masthead: the first line(s) of the page, before the title, when title-like.
    if (doc.meta.site.empty() && title > 0 && masthead_like(units[0]) &&
        clean::fold(units[0].f.text) != clean::fold(doc.meta.title)) {
        std::string site = text::squeeze_spaces(units[0].f.text);
        use(0, "site masthead");
        if (ends_with_function_word(site) && title > 1 && title_like(units[1])) {
            site += " " + text::squeeze_spaces(units[1].f.text);
            use(1, "site masthead, continued");
        }
        doc.meta.site = site;
    }

    // Subtitle, byline, date, in the head around the title.
    for (std::size_t i = 0; i < head_end; ++i) {
        poll_deadline();
        if (used[i]) continue;
        const Unit& u = units[i];
        std::string line = text::squeeze_spaces(u.f.text);
        bool near_title = title >= 0 && i > static_cast<std::size_t>(title) &&
                          i <= static_cast<std::size_t>(title) + 3;
        if (near_title && starts_with_dash(line) && doc.meta.subtitle.empty()) {
            std::string sub(strip_dashes(line));
            std::string author = clean::find_byline(sub, false);
            if (!author.empty()) {
                auto pos = sub.find(" By " + author);
                if (pos == std::string::npos) pos = sub.find(" by " + author);
                if (pos != std::string::npos) sub = std::string(text::trim(sub.substr(0, pos)));
                if (doc.meta.authors.empty()) doc.meta.authors.push_back(author);
            }
            doc.meta.subtitle = sub;
            use(i, "subtitle");
            continue;
        }
        std::string author = clean::find_byline(line, true);
        if (!author.empty() && u.f.length <= kMaxMetaLineLength * 1.5) {
            if (doc.meta.authors.empty()) doc.meta.authors.push_back(author);
            use(i, "byline");
            continue;
        }
        std::string date;
        if (date_line(u, date) && i + 1 < n) {
            if (doc.meta.date.empty()) doc.meta.date = date;
            // "2023年05月12日 10:30 来源：新华社 作者：张三": the byline may share the line
            std::string by = clean::find_byline(line, false);
            if (!by.empty() && doc.meta.authors.empty()) doc.meta.authors.push_back(by);
            use(i, by.empty() ? "date line" : "date line with byline");
            continue;
        }
        // the title again in another script, next to it ("百年变局…" above "Serving the…")
        if (title >= 0 && (i + 2 == static_cast<std::size_t>(title) || i == static_cast<std::size_t>(title) + 1 ||
                           i + 1 == static_cast<std::size_t>(title)) &&
            title_like(u) && !holds_image(doc, u) && doc.meta.extra.count("alt-title") == 0 && !u.heading) {
            bool title_cjk = units[static_cast<std::size_t>(title)].f.cjk * 2 >
                             units[static_cast<std::size_t>(title)].f.letters;
            bool this_cjk = u.f.cjk * 2 > u.f.letters;
            if (title_cjk != this_cjk) {
                doc.meta.extra["alt-title"] = line;
                use(i, "title in another script");
            }
        }
    }
    if (doc.meta.date.empty()) {
        // a dateline in the foot ("published 2020-12-11 02:31")
        for (std::size_t i = n; i-- > 0 && i + kFootUnits >= n;) {
            poll_deadline();
            std::string date = find_date(units[i].f.text);
            if (!date.empty()) {
                doc.meta.date = date;
                break;
            }
        }
    }

    std::vector<double> scores;
    // used units leave the body; drop_units reports them, so keep the metadata notes only
    Diagnostics sink;
    clean::drop_units(doc, units, used, why, scores, "metadata", sink);
    // The headline is where the article starts, if it is the title. A top heading other
    // than a title the page's head gave ("Fuel prices in May" under <title>Prices</title>)
    // is the article's own first heading: it stays in the body, and the run is not made
    // to start after it.
    if (title >= 0 && !used[static_cast<std::size_t>(title)]) return 0;
    return title >= 0 ? units[static_cast<std::size_t>(title)].source.first : 0;
}

}  // namespace dconv
