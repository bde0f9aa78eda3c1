#include "html/page_signals.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "core/text.hpp"
#include "html/content_selection.hpp"

namespace dconv::html {

namespace {

// Boxes of one kind side by side: at least this many siblings with one tag and class,
// each holding this much text.
constexpr std::size_t kMinRepeated = 3;
constexpr float kMinRepeatedChars = 20;
// The body text scanned for price marks, and the markup scanned for JSON-LD types.
constexpr std::size_t kPriceSample = 200000;
constexpr std::size_t kMaxTypes = 200;

float log1(double x) { return static_cast<float>(std::log1p(std::max(0.0, x))); }

enum Inside : unsigned { kP = 1, kLi = 2, kA = 4, kPre = 8, kTable = 16, kHeading = 32, kQuote = 64, kDd = 128,
                         kLandmark = 256 };

unsigned inside_of(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_P: return kP;
        case GUMBO_TAG_LI: return kLi;
        case GUMBO_TAG_A: return kA;
        case GUMBO_TAG_PRE: case GUMBO_TAG_CODE: return kPre;
        case GUMBO_TAG_TABLE: return kTable;
        case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
        case GUMBO_TAG_H6: return kHeading;
        case GUMBO_TAG_BLOCKQUOTE: return kQuote;
        case GUMBO_TAG_DD: case GUMBO_TAG_DT: return kDd;
        case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER:
        case GUMBO_TAG_FORM: case GUMBO_TAG_MENU: return kLandmark;
        default: return 0;
    }
}

// The schema.org types the page's JSON-LD declares ("@type": "X" or ["X", "Y"]), lower case.
std::vector<std::string> json_ld_types(std::string_view markup) {
    std::vector<std::string> types;
    std::size_t at = 0;
    while (types.size() < kMaxTypes && (at = markup.find("\"@type\"", at)) != std::string_view::npos) {
        at += 7;
        std::size_t p = markup.find_first_not_of(" \t\r\n:", at);
        if (p == std::string_view::npos) break;
        std::size_t stop = markup[p] == '[' ? markup.find(']', p) : markup.find_first_of(",}", p);
        if (stop == std::string_view::npos || stop - p > 400) continue;
        std::string_view value = markup.substr(p, stop - p);
        for (std::size_t q = 0; (q = value.find('"', q)) != std::string_view::npos;) {
            std::size_t close = value.find('"', q + 1);
            if (close == std::string_view::npos) break;
            std::string name = text::lower_ascii(value.substr(q + 1, close - q - 1));
            if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
            types.push_back(std::move(name));
            q = close + 1;
        }
    }
    return types;
}

bool any_of(const std::vector<std::string>& have, std::initializer_list<std::string_view> wanted) {
    for (const std::string& h : have)
        for (std::string_view w : wanted)
            if (h == w) return true;
    return false;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "$12", "€ 9,99", "12.00 €", "£5": a price, in the currencies written as a sign.
std::size_t price_marks(std::string_view s) {
    static constexpr std::string_view kSigns[] = {"$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5", "\xE2\x82\xB9"};
    std::size_t n = 0;
    for (std::string_view sign : kSigns)
        for (std::size_t at = 0; (at = s.find(sign, at)) != std::string_view::npos; at += sign.size()) {
            std::size_t after = at + sign.size();
            if (after < s.size() && s[after] == ' ') ++after;
            bool before_digit = at > 0 && (is_digit(s[at - 1]) || (at > 1 && s[at - 1] == ' ' && is_digit(s[at - 2])));
            if ((after < s.size() && is_digit(s[after])) || before_digit) ++n;
        }
    return n;
}

// The share of a text's letters in Han, kana and Hangul, each counted as three Latin
// letters (kCjkWeight's measure): their UTF-8 lead bytes are 0xE3-0xED (U+3000-U+DFFF).
double cjk_share(std::string_view s) {
    double cjk = 0, latin = 0;
    for (unsigned char c : s) {
        if (c >= 0xE3 && c <= 0xED) cjk += 3;
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') latin += 1;
    }
    return cjk + latin > 0 ? cjk / (cjk + latin) : 0;
}

}  // namespace

std::vector<float> page_signals(const Page& page, const PageMetadata& meta, const Selection& selection,
                                std::string_view markup) {
    std::vector<float> out(kPageSignalNames.size(), 0.0f);
    auto set = [&out](std::string_view name, double value) {
        for (std::size_t i = 0; i < kPageSignalNames.size(); ++i)
            if (kPageSignalNames[i] == name) out[i] = static_cast<float>(value);
    };
    const std::uint32_t body = page.body();
    if (body == kNoElement) return out;
    const std::uint32_t end = page[body].end;

    std::vector<bool> dead(page.size(), false), selected(page.size(), false);
    std::vector<unsigned> inside(page.size(), 0);
    std::vector<bool> root(page.size(), false);
    for (std::uint32_t r : selection.roots) root[r] = true;
    double chars = 0, link_chars = 0, selected_chars = 0, selected_links = 0, prose = 0, selected_prose = 0;
    double by_inside[9] = {};
    std::size_t paragraphs = 0, items = 0, links = 0, headings = 0, h1 = 0, articles = 0, tables = 0, pres = 0,
                forms = 0, images = 0, times = 0, buttons = 0, inputs = 0, prose_blocks = 0;
    bool og_article = false, og_product = false;
    for (std::uint32_t i = 0; i < page.size(); ++i) {
        const Element& e = page[i];
        if (e.tag == GUMBO_TAG_META) {
            std::string_view property = attribute(e.node, "property");
            if (property == "og:type") {
                std::string v = text::lower_ascii(attribute(e.node, "content"));
                og_article = og_article || v == "article";
                og_product = og_product || v.find("product") != std::string::npos;
            }
        }
        if (i <= body || i >= end) continue;
        const std::uint32_t parent = e.parent;
        const bool parent_dead = parent != kNoElement && parent > body && dead[parent];
        dead[i] = e.skipped || parent_dead;
        // buttons and inputs (form controls, skipped but for buttons in text) tell what the page is
        if (e.tag == GUMBO_TAG_BUTTON) ++buttons;
        if (e.tag == GUMBO_TAG_INPUT || e.tag == GUMBO_TAG_SELECT || e.tag == GUMBO_TAG_TEXTAREA) ++inputs;
        if (e.tag == GUMBO_TAG_IMG) ++images;
        if (dead[i]) continue;
        inside[i] = (parent != kNoElement && parent > body ? inside[parent] : 0) | inside_of(e.tag);
        selected[i] = root[i] || (parent != kNoElement && parent > body && selected[parent]);
        if (selection.removed.size() > i && selection.removed[i]) selected[i] = false;
        switch (e.tag) {
            case GUMBO_TAG_P: ++paragraphs; break;
            case GUMBO_TAG_LI: ++items; break;
            case GUMBO_TAG_A: ++links; break;
            case GUMBO_TAG_H1: ++h1; ++headings; break;
            case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
                ++headings; break;
            case GUMBO_TAG_ARTICLE: ++articles; break;
            case GUMBO_TAG_TABLE: ++tables; break;
            case GUMBO_TAG_PRE: ++pres; break;
            case GUMBO_TAG_FORM: ++forms; break;
            case GUMBO_TAG_TIME: ++times; break;
            default: break;
        }
        const TextMeasure& d = e.direct;
        chars += d.chars;
        link_chars += d.link_chars;
        if (selected[i]) {
            selected_chars += d.chars;
            selected_links += d.link_chars;
        }
        for (int k = 0; k < 9; ++k)
            if (inside[i] & (1u << k)) by_inside[k] += d.chars;
        const TextMeasure& own = e.own;
        if (is_prose_block(e)) {  // as content selection weighs the page
            prose += own.chars;
            if (selected[i]) selected_prose += own.chars;
            ++prose_blocks;
        }
    }

    // Boxes of one kind side by side: children of one parent sharing tag and class.
    std::size_t repeated = 0;
    double repeated_chars = 0, repeated_links = 0;
    {
        std::map<std::pair<std::uint32_t, std::string>, std::pair<std::size_t, TextMeasure>> groups;
        for (std::uint32_t i = body + 1; i < end; ++i) {
            const Element& e = page[i];
            if (dead[i] || !e.block || e.all.chars < kMinRepeatedChars) continue;
            std::string key = std::to_string(static_cast<int>(e.tag)) + ' ' + std::string(attribute(e.node, "class"));
            auto& g = groups[{e.parent, std::move(key)}];
            ++g.first;
            g.second.add(e.all);
        }
        for (const auto& [key, g] : groups) {
            if (g.first < kMinRepeated) continue;
            if (g.second.chars > repeated_chars) {
                repeated_chars = g.second.chars;
                repeated_links = g.second.link_chars;
            }
            repeated = std::max(repeated, g.first);
        }
    }

    const double total = std::max(1.0, chars);
    set("body_chars_log", log1(chars));
    set("body_link_density", link_chars / total);
    set("landmark_share", by_inside[8] / total);
    set("selected_share", selected_chars / total);
    set("selected_link_density", selected_chars > 0 ? selected_links / selected_chars : 0);
    set("thread", selection.thread ? 1 : 0);
    set("p_share", by_inside[0] / total);
    set("li_share", by_inside[1] / total);
    set("a_share", by_inside[2] / total);
    set("pre_share", by_inside[3] / total);
    set("table_share", by_inside[4] / total);
    set("heading_share", by_inside[5] / total);
    set("blockquote_share", by_inside[6] / total);
    set("dd_share", by_inside[7] / total);
    set("paragraphs_log", log1(paragraphs));
    set("list_items_log", log1(items));
    set("links_log", log1(links));
    set("headings_log", log1(headings));
    set("h1", std::min<std::size_t>(h1, 5));
    set("articles", std::min<std::size_t>(articles, 50));
    set("tables", std::min<std::size_t>(tables, 50));
    set("pres", std::min<std::size_t>(pres, 50));
    set("forms", std::min<std::size_t>(forms, 20));
    set("images_log", log1(images));
    set("times_log", log1(times));
    set("buttons_log", log1(buttons));
    set("inputs_log", log1(inputs));
    set("repeated_boxes_log", log1(repeated));
    set("repeated_share", repeated_chars / total);
    set("repeated_link_density", repeated_chars > 0 ? repeated_links / repeated_chars : 0);
    set("prose_share", prose / total);
    set("prose_blocks_log", log1(prose_blocks));
    set("og_article", og_article ? 1 : 0);
    set("og_product", og_product ? 1 : 0);
    const std::vector<std::string> types = json_ld_types(markup);
    set("ld_article", any_of(types, {"article", "newsarticle", "blogposting", "reportagenewsarticle", "techarticle",
                                     "scholarlyarticle", "analysisnewsarticle", "opinionnewsarticle"}));
    set("ld_product", any_of(types, {"product", "offer", "aggregateoffer", "productgroup", "individualproduct"}));
    set("ld_discussion", any_of(types, {"discussionforumposting", "qapage", "question", "answer", "comment"}));
    set("ld_list", any_of(types, {"itemlist", "collectionpage", "searchresultspage", "listitem"}));
    set("ld_faq", any_of(types, {"faqpage", "service", "organization", "localbusiness", "softwareapplication"}));
    set("ld_howto", any_of(types, {"howto", "recipe", "course"}));

    // The address: /2024/05/some-long-slug is an article's, /category/ a listing's.
    std::string_view url = meta.url;
    if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
        url.remove_prefix(scheme + 3);
        std::size_t slash = url.find('/');
        url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
    } else {
        url = {};
    }
    url = url.substr(0, url.find_first_of("?#"));
    int depth = 0;
    bool segment = false, digits = false;
    for (char c : url) {
        if (c == '/') segment = false;
        else if (!segment) {
            segment = true;
            ++depth;
        }
        digits = digits || is_digit(c);
    }
    set("url_depth", depth);
    set("url_digits", digits ? 1 : 0);
    set("url_slash_end", !url.empty() && url.back() == '/' ? 1 : 0);
    set("selected_chars_log", log1(selected_chars));
    set("selected_prose_log", log1(selected_prose));
    set("selected_prose_share", selected_chars > 0 ? selected_prose / selected_chars : 0);
    const std::string sample = page.text_of(body, kPriceSample);
    set("price_marks_log", log1(price_marks(sample)));
    set("cjk_share", cjk_share(sample));
    return out;
}

}  // namespace dconv::html
