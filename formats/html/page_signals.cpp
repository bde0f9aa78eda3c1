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
// Headings per thousand words: a word is about this many characters with its space.
constexpr double kCharsPerWord = 6;

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


// ------------------------------------------------------------------ records' vocabulary
// Standard names only: ISO 4217 codes and the currencies' own abbreviations, schema.org
// and HTML attribute values, and designers' generic words for a rating widget.

// Currency codes and abbreviations written next to an amount ("EUR 12", "12 kr", "45 zł").
constexpr std::string_view kCurrencyWords[] = {
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "AUD", "CAD", "CHF", "SEK", "NOK", "DKK", "PLN", "BRL",
    "RUB", "KRW", "MXN", "ZAR", "NZD", "SGD", "HKD", "TRY", "CZK", "HUF", "AED", "SAR", "ILS", "THB", "IDR",
    "MYR", "PHP", "VND", "UAH", "RON", "kr", "Kč", "zł", "Rs", "руб", "грн", "元", "円", "원", "лв",
};
// Class and itemprop words of a rating widget.
constexpr std::string_view kRatingWords[] = {"rating", "stars", "ratingvalue", "aggregaterating"};

// One a currency mark is written next to: a digit, maybe after one space (U+0020,
// U+00A0 or U+202F).
bool digit_after(std::string_view s, std::size_t at) {
    if (at < s.size() && s[at] == ' ') ++at;
    else if (s.substr(at, 2) == "\xC2\xA0") at += 2;
    else if (s.substr(at, 3) == "\xE2\x80\xAF") at += 3;
    return at < s.size() && s[at] >= '0' && s[at] <= '9';
}
bool digit_before(std::string_view s, std::size_t at) {
    if (at > 0 && s[at - 1] == ' ') --at;
    else if (at >= 2 && s.substr(at - 2, 2) == "\xC2\xA0") at -= 2;
    else if (at >= 3 && s.substr(at - 3, 3) == "\xE2\x80\xAF") at -= 3;
    return at > 0 && s[at - 1] >= '0' && s[at - 1] <= '9';
}
bool word_byte(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// Prices in `s`: a currency sign ($, ¢, £, ¥, any of U+20A0-U+20CF: €, ₹, ₩, ₽, ₺, ₪,
// ₫ ...) or a currency code or abbreviation as a word, next to a digit.
std::size_t price_tokens(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        if (c == '$') len = 1;
        else if (c == 0xC2 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) == 0xA2 ||
                                                   static_cast<unsigned char>(s[i + 1]) == 0xA3 ||
                                                   static_cast<unsigned char>(s[i + 1]) == 0xA5))
            len = 2;
        else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x82 &&
                 static_cast<unsigned char>(s[i + 2]) >= 0xA0)
            len = 3;
        if (len == 0 && (i == 0 || !word_byte(static_cast<unsigned char>(s[i - 1]))))
            for (std::string_view w : kCurrencyWords)
                if (s.substr(i, w.size()) == w &&
                    (i + w.size() >= s.size() || !word_byte(static_cast<unsigned char>(s[i + w.size()])))) {
                    len = w.size();
                    break;
                }
        if (len > 0) {
            if (digit_after(s, i + len) || digit_before(s, i)) ++n;
            i += len;
        } else {
            ++i;
        }
    }
    return n;
}

bool has_word(std::string_view value, std::initializer_list<std::string_view> words) {
    std::string lower = text::lower_ascii(value);
    for (std::string_view w : words)
        if (lower.find(w) != std::string::npos) return true;
    return false;
}

bool rating_mark(const GumboNode* node) {
    std::string lower = text::lower_ascii(attribute(node, "itemprop"));
    lower += ' ';
    lower += text::lower_ascii(attribute(node, "class"));
    for (std::string_view w : kRatingWords)
        if (lower.find(w) != std::string::npos) return true;
    return false;
}

// The text of an element's own text nodes (not its descendants').
std::string direct_text(const GumboNode* node) {
    std::string out;
    if (node->type != GUMBO_NODE_ELEMENT) return out;
    const GumboVector& kids = node->v.element.children;
    for (unsigned k = 0; k < kids.length; ++k) {
        std::string_view t = node_text(static_cast<const GumboNode*>(kids.data[k]));
        if (!t.empty()) {
            out.append(t);
            out += ' ';
        }
    }
    return out;
}

// A link reading as a page number: one to three digits.
bool numbered_link(const Page& page, std::uint32_t i) {
    const Element& e = page[i];
    if (e.all.chars < 1 || e.all.chars > 4) return false;
    std::string t = page.text_of(i, 16);
    std::size_t digits = 0;
    for (char c : t) {
        if (c >= '0' && c <= '9') ++digits;
        else if (c != ' ') return false;
    }
    return digits >= 1 && digits <= 3;
}

// What a box holds below it, for the record signals.
enum Holds : unsigned { kHoldsImage = 1, kHoldsHeading = 2, kHoldsLink = 4, kHoldsPrice = 8, kHoldsTime = 16 };

// A card: a box of one kind side by side holding an image, a heading or link, and this
// little text at most.
constexpr float kMaxCardChars = 600;
// A buy box: a button or a number field with a price at most this many levels up, in a
// box of at most kMaxBuyBoxChars.
constexpr int kBuyBoxLevels = 4;
constexpr float kMaxBuyBoxChars = 1500;
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
    // the records' signals
    std::vector<unsigned> holds(page.size(), 0);
    std::vector<std::uint32_t> controls;  // buttons and number fields
    std::map<std::uint32_t, std::size_t> numbered;  // page-number links per container
    std::vector<std::string> microdata;  // itemtype values, lower case, last path segment
    std::size_t prices = 0, ratings = 0, quantity = 0;
    bool rel_next = false, breadcrumb = false;
    for (std::uint32_t i = 0; i < page.size(); ++i) {
        const Element& e = page[i];
        if (e.tag == GUMBO_TAG_LINK || e.tag == GUMBO_TAG_A) {
            std::string rel = text::lower_ascii(attribute(e.node, "rel"));
            rel_next = rel_next || rel.find("next") != std::string::npos || rel.find("prev") != std::string::npos;
        }
        if (std::string_view type = attribute(e.node, "itemtype"); !type.empty() && microdata.size() < kMaxTypes) {
            std::string name = text::lower_ascii(type);
            while (!name.empty() && (name.back() == '/' || name.back() == ' ')) name.pop_back();
            if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
            microdata.push_back(std::move(name));
        }
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
        // buttons and inputs are skipped (form controls) but still tell what the page is
        if (e.tag == GUMBO_TAG_BUTTON) ++buttons;
        if (e.tag == GUMBO_TAG_INPUT || e.tag == GUMBO_TAG_SELECT || e.tag == GUMBO_TAG_TEXTAREA) ++inputs;
        if (e.tag == GUMBO_TAG_IMG) ++images;
        if (!parent_dead) {
            if (e.tag == GUMBO_TAG_IMG) holds[i] |= kHoldsImage;
            const std::string_view input_type = attribute(e.node, "type");
            if (e.tag == GUMBO_TAG_INPUT && input_type == "number") ++quantity;
            if (e.tag == GUMBO_TAG_BUTTON || (e.tag == GUMBO_TAG_INPUT && input_type == "submit") ||
                (e.tag == GUMBO_TAG_INPUT && input_type == "number"))
                controls.push_back(i);
        }
        if (dead[i]) continue;
        switch (e.tag) {
            case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
            case GUMBO_TAG_H6: holds[i] |= kHoldsHeading; break;
            case GUMBO_TAG_TIME: holds[i] |= kHoldsTime; break;
            case GUMBO_TAG_A:
                if (has_attribute(e.node, "href")) holds[i] |= kHoldsLink;
                if (numbered_link(page, i)) {
                    std::uint32_t box = parent;  // a pager's item, or the pager itself
                    if (box != kNoElement && page[box].tag == GUMBO_TAG_LI) box = page[box].parent;
                    ++numbered[box];
                }
                break;
            default: break;
        }
        if (rating_mark(e.node)) ++ratings;
        if (!breadcrumb && (has_word(attribute(e.node, "aria-label"), {"breadcrumb"}) ||
                            has_word(attribute(e.node, "class"), {"breadcrumb"})))
            breadcrumb = true;
        if (e.direct.chars > 0) {
            const std::size_t n = price_tokens(direct_text(e.node));
            if (n > 0) holds[i] |= kHoldsPrice;
            prices += n;
        }
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
    for (std::uint32_t i = end; i-- > body + 1;)
        if (page[i].parent != kNoElement && page[i].parent > body) holds[page[i].parent] |= holds[i];
    std::size_t repeated = 0, cards = 0, priced = 0, dated = 0;
    double repeated_chars = 0, repeated_links = 0, card_chars = 0;
    {
        struct Group {
            std::size_t boxes = 0, cards = 0, priced = 0, dated = 0;
            TextMeasure text;
            double card_chars = 0;
        };
        std::map<std::pair<std::uint32_t, std::string>, Group> groups;
        for (std::uint32_t i = body + 1; i < end; ++i) {
            const Element& e = page[i];
            if (dead[i] || !e.block || e.all.chars < kMinRepeatedChars) continue;
            std::string key = std::to_string(static_cast<int>(e.tag)) + ' ' + std::string(attribute(e.node, "class"));
            Group& g = groups[{e.parent, std::move(key)}];
            ++g.boxes;
            g.text.add(e.all);
            if ((holds[i] & kHoldsImage) && (holds[i] & (kHoldsHeading | kHoldsLink)) && e.all.chars <= kMaxCardChars) {
                ++g.cards;
                g.card_chars += e.all.chars;
            }
            if (holds[i] & kHoldsPrice) ++g.priced;
            if (holds[i] & kHoldsTime) ++g.dated;
        }
        for (const auto& [key, g] : groups) {
            if (g.boxes < kMinRepeated) continue;
            if (g.text.chars > repeated_chars) {
                repeated_chars = g.text.chars;
                repeated_links = g.text.link_chars;
            }
            repeated = std::max(repeated, g.boxes);
            if (g.cards >= kMinRepeated && g.cards > cards) {
                cards = g.cards;
                card_chars = g.card_chars;
            }
            priced = std::max(priced, g.priced);
            dated = std::max(dated, g.dated);
        }
    }
    std::size_t buy_boxes = 0;
    for (std::uint32_t c : controls) {
        std::uint32_t at = page[c].parent;
        for (int level = 0; level < kBuyBoxLevels && at != kNoElement && at > body; ++level, at = page[at].parent) {
            if (page[at].all.chars > kMaxBuyBoxChars) break;
            if (holds[at] & kHoldsPrice) {
                ++buy_boxes;
                break;
            }
        }
    }
    std::size_t pager = 0;
    for (const auto& [box, n] : numbered) pager = std::max(pager, n);

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

    set("price_tokens_log", log1(prices));
    set("buy_boxes", std::min<std::size_t>(buy_boxes, 20));
    set("quantity_inputs", std::min<std::size_t>(quantity, 20));
    set("rating_marks_log", log1(ratings));
    set("rel_next", rel_next ? 1 : 0);
    set("numbered_links", std::min<std::size_t>(pager, 30));
    set("card_boxes_log", log1(cards));
    set("card_share", card_chars / total);
    set("priced_boxes_log", log1(priced));
    set("dated_boxes_log", log1(dated));
    set("headings_per_kword", std::min(100.0, headings * kCharsPerWord * 1000.0 / total));
    std::string_view last = url;
    while (!last.empty() && last.back() == '/') last.remove_suffix(1);
    last = last.substr(last.rfind('/') == std::string_view::npos ? 0 : last.rfind('/') + 1);
    last = last.substr(0, last.find('.'));
    int words = 0;
    for (std::size_t c = 0; c < last.size(); ++c)
        words += last[c] != '-' && last[c] != '_' && (c == 0 || last[c - 1] == '-' || last[c - 1] == '_');
    set("url_last_words", std::min(words, 20));
    std::vector<std::string> all_types = types;
    all_types.insert(all_types.end(), microdata.begin(), microdata.end());
    auto count_of = [&all_types](std::initializer_list<std::string_view> wanted) {
        std::size_t n = 0;
        for (const std::string& h : all_types)
            for (std::string_view w : wanted) n += h == w;
        return n;
    };
    set("product_types_log", log1(count_of({"product", "offer", "aggregateoffer", "productgroup", "individualproduct"})));
    set("list_items_types_log", log1(count_of({"listitem", "itemlist"})));
    set("breadcrumb", breadcrumb || count_of({"breadcrumblist"}) > 0 ? 1 : 0);
    set("review_types_log", log1(count_of({"review", "aggregaterating", "rating"})));
    return out;
}

}  // namespace dconv::html
