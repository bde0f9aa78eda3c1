#include "html/page_metadata.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <deque>

#include "core/text.hpp"
#include "dconv/clean.hpp"
#include "dconv/fetch.hpp"
#include "dconv/limits.hpp"

namespace dconv::html {

namespace {

constexpr std::size_t kMaxHeadings = 8;
constexpr std::size_t kMaxTitleBytes = 1000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "2014-06-21T10:00:00+00:00" → "2014-06-21"; other shapes through find_date.
std::string iso_date(std::string_view value) {
    value = text::trim(value);
    if (value.size() >= 10 && is_digit(value[0]) && is_digit(value[1]) && is_digit(value[2]) &&
        is_digit(value[3]) && value[4] == '-' && is_digit(value[5]) && is_digit(value[6]) &&
        value[7] == '-' && is_digit(value[8]) && is_digit(value[9])) {
        int year = std::stoi(std::string(value.substr(0, 4)));
        int month = (value[5] - '0') * 10 + (value[6] - '0');
        int day = (value[8] - '0') * 10 + (value[9] - '0');
        // the years find_date takes: "0001-01-01" is a CMS's empty date, not a date
        if (year < 1900 || year > 2100) return "";
        if (month >= 1 && month <= 12 && day >= 1 && day <= 31) return std::string(value.substr(0, 10));
    }
    return find_date(value);
}

bool looks_like_url(std::string_view s) {
    return s.find("://") != std::string_view::npos || text::starts_with_ci(s, "www.") || s.rfind('/', 0) == 0;
}

std::string clean_value(std::string_view s) { return text::squeeze_spaces(s); }

// BCP 47 spelling: "en_us" → "en-US", "ZH-cn" → "zh-CN".
std::string bcp47(std::string_view tag) {
    std::string out;
    tag = text::trim(tag);
    std::size_t part = 0;
    std::size_t i = 0;
    while (i < tag.size()) {
        std::size_t start = i;
        while (i < tag.size() && tag[i] != '-' && tag[i] != '_') ++i;
        std::string sub(tag.substr(start, i - start));
        if (sub.empty() || sub.size() > 8) return out.empty() ? std::string() : out;
        for (char c : sub)
            if (!std::isalnum(static_cast<unsigned char>(c))) return out;
        sub = text::lower_ascii(sub);
        if (part > 0 && sub.size() == 2) {
            for (char& c : sub) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        } else if (part > 0 && sub.size() == 4) {
            sub[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sub[0])));
        }
        if (part > 0) out += '-';
        out += sub;
        ++part;
        if (i < tag.size()) ++i;
    }
    return out;
}

// Bracket depth of a JSON text, strings aside.
int json_depth(std::string_view s) {
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
        else if (c == '}' || c == ']') --depth;
    }
    return deepest;
}

bool article_type(const nlohmann::json& type) {
    auto fits = [](const std::string& t) {
        return t.find("Article") != std::string::npos || t.find("Posting") != std::string::npos ||
               t == "Blog" || t == "Report";
    };
    if (type.is_string()) return fits(type.get<std::string>());
    if (type.is_array())
        for (const auto& t : type)
            if (t.is_string() && fits(t.get<std::string>())) return true;
    return false;
}

std::string json_string(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end()) return {};
    if (it->is_string()) return clean_value(it->get<std::string>());
    if (it->is_object()) {
        auto name = it->find("name");
        if (name != it->end() && name->is_string()) return clean_value(name->get<std::string>());
    }
    return {};
}

void json_authors(const nlohmann::json& value, std::vector<std::string>& authors) {
    auto add = [&](const nlohmann::json& a) {
        std::string name;
        if (a.is_string()) name = clean_value(a.get<std::string>());
        else if (a.is_object()) {
            auto it = a.find("name");
            if (it != a.end() && it->is_string()) name = clean_value(it->get<std::string>());
        }
        if (!name.empty() && !looks_like_url(name) &&
            std::find(authors.begin(), authors.end(), name) == authors.end())
            authors.push_back(name);
    };
    if (value.is_array()) {
        for (const auto& a : value) add(a);
    } else {
        add(value);
    }
}

struct JsonLd {
    std::string headline, date, publisher, site;
    std::vector<std::string> authors;
    std::vector<std::string> text;  // declared text's paragraphs (PageMetadata::declared_text)
    std::size_t text_bytes = 0;
};

// The paragraphs of a JSON string that may hold HTML (articleBody, an answer's text):
// block tags and line breaks end a paragraph, other tags go, the five common entities
// are decoded. Adds to `out` while `bytes` stays under kMaxDeclaredTextBytes.
void add_declared_text(std::string_view s, std::vector<std::string>& out, std::size_t& bytes) {
    std::string para;
    auto flush = [&] {
        std::string t(text::squeeze_spaces(text::trim(para)));
        para.clear();
        if (t.empty() || bytes + t.size() > kMaxDeclaredTextBytes) return;
        bytes += t.size();
        out.push_back(std::move(t));
    };
    for (std::size_t i = 0; i < s.size();) {
        char c = s[i];
        if (c == '<') {
            std::size_t close = s.find('>', i);
            if (close == std::string_view::npos) break;
            std::size_t n = i + 1 + (i + 1 < close && s[i + 1] == '/');
            std::size_t end = n;
            while (end < close && std::isalnum(static_cast<unsigned char>(s[end]))) ++end;
            std::string name = text::lower_ascii(s.substr(n, end - n));
            static const std::string_view kBreaks[] = {"p", "br", "li", "ul", "ol", "div", "h1", "h2", "h3",
                                                       "h4", "h5", "h6", "tr", "blockquote", "dt", "dd"};
            if (std::find(std::begin(kBreaks), std::end(kBreaks), name) != std::end(kBreaks)) flush();
            i = close + 1;
        } else if (c == '\n' || c == '\r') {
            if (i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r')) flush();
            para += ' ';
            ++i;
        } else if (c == '&') {
            static const std::pair<std::string_view, std::string_view> kEntities[] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}};
            bool done = false;
            for (const auto& [name, value] : kEntities)
                if (s.substr(i, name.size()) == name) {
                    para += value;
                    i += name.size();
                    done = true;
                    break;
                }
            if (!done) para += s[i++];
        } else {
            para += s[i++];
        }
    }
    flush();
}

void read_json_ld(std::string_view source, JsonLd& out) {
    if (source.size() > kMaxJsonLdBytes || json_depth(source) > kMaxJsonLdDepth) return;
    nlohmann::json root = nlohmann::json::parse(source.begin(), source.end(), nullptr, false);
    if (root.is_discarded()) return;
    // breadth first over objects, arrays and @graph: the article is near the top
    std::deque<const nlohmann::json*> queue{&root};
    std::size_t visited = 0;
    while (!queue.empty() && visited++ < 256) {
        const nlohmann::json& v = *queue.front();
        queue.pop_front();
        if (v.is_array()) {
            for (const auto& item : v) queue.push_back(&item);
            continue;
        }
        if (!v.is_object()) continue;
        auto type = v.find("@type");
        for (const char* key : {"articleBody", "text"}) {
            auto it = v.find(key);
            if (it != v.end() && it->is_string()) add_declared_text(it->get_ref<const std::string&>(), out.text, out.text_bytes);
        }
        if (type != v.end() && type->is_string() && type->get<std::string>() == "Question") {
            // a FAQ page's entries: the question, then its accepted answer
            auto name = v.find("name");
            auto answer = v.find("acceptedAnswer");
            if (name != v.end() && name->is_string() && answer != v.end() && answer->is_object()) {
                auto t = answer->find("text");
                if (t != answer->end() && t->is_string()) {
                    add_declared_text(name->get_ref<const std::string&>(), out.text, out.text_bytes);
                    add_declared_text(t->get_ref<const std::string&>(), out.text, out.text_bytes);
                }
            }
        }
        if (type != v.end() && article_type(*type)) {
            if (out.headline.empty()) out.headline = json_string(v, "headline");
            if (out.headline.empty()) out.headline = json_string(v, "name");
            if (out.date.empty()) out.date = iso_date(json_string(v, "datePublished"));
            if (out.authors.empty()) {
                auto a = v.find("author");
                if (a != v.end()) json_authors(*a, out.authors);
            }
            if (out.publisher.empty()) out.publisher = json_string(v, "publisher");
        } else if (type != v.end() && type->is_string() && type->get<std::string>() == "WebSite") {
            if (out.site.empty()) out.site = json_string(v, "name");
        }
        for (const char* key : {"@graph", "mainEntity", "mainEntityOfPage"}) {
            auto it = v.find(key);
            if (it != v.end() && (it->is_array() || it->is_object())) queue.push_back(&*it);
        }
    }
}

std::string node_children_text(const GumboNode* node) {
    std::string out;
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i)
        out += node_text(static_cast<const GumboNode*>(children.data[i]));
    return out;
}

// "https://www.example.com/x" → "example.com"
std::string host_of(std::string_view url) {
    std::size_t start = url.find("://");
    start = start == std::string_view::npos ? 0 : start + 3;
    std::string_view host = url.substr(start, url.find_first_of("/?#:", start) - start);
    if (text::starts_with_ci(host, "www.")) host.remove_prefix(4);
    return std::string(host);
}

}  // namespace

std::string fold_title(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        char32_t c = text::next(s, i);
        if (!text::is_alnum(c) && !text::is_cjk(c)) continue;
        if (c < 0x80) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        else out.append(s.substr(start, i - start));
    }
    return out;
}

bool same_title(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return false;
    if (a == b) return true;
    const std::string& shorter = a.size() < b.size() ? a : b;
    const std::string& longer = a.size() < b.size() ? b : a;
    return shorter.size() * 2 >= longer.size() && longer.find(shorter) != std::string::npos;
}

std::vector<std::string> title_parts(std::string_view title) {
    static constexpr std::string_view kSeparators[] = {" | ", " - ", " – ", " — ", " :: ", " » ", " · ",
                                                       "_", "｜", " / ", "|"};
    std::vector<std::string_view> parts{title};
    for (auto sep : kSeparators) {
        std::vector<std::string_view> next;
        for (std::string_view p : parts) {
            std::size_t at;
            while ((at = p.find(sep)) != std::string_view::npos) {
                next.push_back(p.substr(0, at));
                p.remove_prefix(at + sep.size());
            }
            next.push_back(p);
        }
        parts = std::move(next);
    }
    std::vector<std::string> out;
    for (std::string_view p : parts) {
        std::string part = text::squeeze_spaces(p);
        if (!part.empty()) out.push_back(std::move(part));
    }
    return out;
}

namespace {

// The page's site, folded (fold_title): its stated name, and the name of the host it
// lives at ("www.harbour-gazette.co.uk": "harbourgazettecouk" and its longest label,
// "harbourgazette"). Names under kMinSiteNameChars are not compared (a part "AP").
constexpr std::size_t kMinSiteNameChars = 3;

std::vector<std::string> site_names(const PageMetadata& meta) {
    std::vector<std::string> names;
    auto add = [&names](std::string_view s) {
        std::string folded = fold_title(s);
        if (folded.size() >= kMinSiteNameChars) names.push_back(std::move(folded));
    };
    add(meta.site);
    if (is_web_url(meta.url)) {
        std::string host = host_of(meta.url);
        add(host);
        std::string_view longest;
        for (std::string_view rest = host; !rest.empty();) {
            std::size_t dot = rest.find('.');
            std::string_view label = rest.substr(0, dot);
            if (label.size() > longest.size()) longest = label;
            rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
        }
        add(longest);
    }
    return names;
}

bool names_site(std::string_view part, const std::vector<std::string>& sites) {
    std::string folded = fold_title(part);
    return std::find(sites.begin(), sites.end(), folded) != sites.end();
}

}  // namespace

std::string page_title(const PageMetadata& meta) {
    if (!meta.title.empty()) return meta.title;
    std::vector<std::string> parts = title_parts(meta.document_title);
    // the site's name is no part of the headline, whichever side it stands on
    const std::vector<std::string> sites = site_names(meta);
    if (!sites.empty()) {
        std::vector<std::string> headline = parts;
        std::erase_if(headline, [&](const std::string& p) { return names_site(p, sites); });
        // "Site: Headline" (a colon is no separator elsewhere: "Review: the new pier")
        if (headline.size() == 1)
            if (std::size_t colon = headline[0].find(": "); colon != std::string::npos &&
                                                            names_site(std::string_view(headline[0]).substr(0, colon), sites))
                headline[0] = std::string(text::trim(std::string_view(headline[0]).substr(colon + 2)));
        if (!headline.empty() && !headline[0].empty()) parts = std::move(headline);
    }
    if (parts.empty()) return meta.headings.empty() ? std::string() : meta.headings.front();
    std::size_t longest = 0;
    for (std::size_t k = 1; k < parts.size(); ++k)
        if (text::display_width(parts[k]) > text::display_width(parts[longest])) longest = k;
    for (const std::string& h : meta.headings)
        for (std::size_t k : {std::size_t(0), longest})
            if (same_title(fold_title(h), fold_title(parts[k]))) return h;
    bool first_will_do = text::display_width(parts[0]) * 2 >= text::display_width(parts[longest]);
    return first_will_do ? parts[0] : parts[longest];
}

PageMetadata read_page_metadata(const Page& page) {
    PageMetadata m;
    std::string og_title, twitter_title, og_site, app_name, og_description, description, meta_date,
        published_time, item_date, og_locale, content_language;
    std::vector<std::string> meta_authors;
    std::string canonical, og_url, generator;
    JsonLd ld;
    for (std::uint32_t i = 0; i < page.size(); ++i) {
        poll_deadline();
        const Element& e = page[i];
        switch (e.tag) {
            case GUMBO_TAG_HTML:
                if (m.language.empty()) {
                    std::string_view lang = attribute(e.node, "lang");
                    if (lang.empty()) lang = attribute(e.node, "xml:lang");
                    m.language = bcp47(lang);
                }
                break;
            case GUMBO_TAG_H1:
                if (m.headings.size() < kMaxHeadings && !e.skipped) {
                    std::string h = page.text_of(i, kMaxTitleBytes);
                    if (!h.empty()) m.headings.push_back(std::move(h));
                }
                break;
            case GUMBO_TAG_LINK:
                if (canonical.empty() && text::lower_ascii(text::trim(attribute(e.node, "rel"))) == "canonical")
                    canonical = std::string(text::trim(attribute(e.node, "href")));
                break;
            case GUMBO_TAG_BASE:
                if (m.base.empty()) m.base = std::string(text::trim(attribute(e.node, "href")));
                break;
            case GUMBO_TAG_TITLE:
                if (m.document_title.empty()) m.document_title = clean_value(node_children_text(e.node));
                break;
            case GUMBO_TAG_SCRIPT:
                if (text::lower_ascii(attribute(e.node, "type")).find("ld+json") != std::string::npos)
                    read_json_ld(node_children_text(e.node), ld);
                break;
            case GUMBO_TAG_META: {
                std::string key = text::lower_ascii(text::trim(attribute(e.node, "property")));
                if (key.empty()) key = text::lower_ascii(text::trim(attribute(e.node, "name")));
                if (key.empty()) key = text::lower_ascii(text::trim(attribute(e.node, "itemprop")));
                std::string http = text::lower_ascii(text::trim(attribute(e.node, "http-equiv")));
                std::string value = clean_value(attribute(e.node, "content"));
                if (value.empty()) break;
                auto set = [&](std::string& field) {
                    if (field.empty()) field = value;
                };
                if (http == "content-language") set(content_language);
                if (key == "og:title") set(og_title);
                else if (key == "twitter:title") set(twitter_title);
                else if (key == "og:site_name") set(og_site);
                else if (key == "application-name") set(app_name);
                else if (key == "og:description") set(og_description);
                else if (key == "description") set(description);
                else if (key == "og:locale") set(og_locale);
                else if (key == "og:url") set(og_url);
                else if (key == "generator") set(generator);
                else if (key == "article:published_time") set(published_time);
                else if (key == "datepublished") set(item_date);
                else if (key == "author" || key == "article:author" || key == "citation_author" ||
                         key == "dc.creator") {
                    if (!looks_like_url(value) && std::find(meta_authors.begin(), meta_authors.end(), value) == meta_authors.end())
                        meta_authors.push_back(value);
                } else if (key == "date" || key == "pubdate" || key == "publishdate" || key == "publish-date" ||
                           key == "dc.date" || key == "dc.date.issued" || key == "dcterms.created" ||
                           key == "citation_publication_date" || key == "sailthru.date" ||
                           key == "parsely-pub-date" || key == "og:published_time" || key == "release_date") {
                    set(meta_date);
                }
                break;
            }
            default:
                break;
        }
    }
    m.title = !og_title.empty() ? og_title : !ld.headline.empty() ? ld.headline : twitter_title;
    for (const std::string* d : {&ld.date, &published_time, &item_date, &meta_date}) {
        poll_deadline();
        if (!m.date.empty()) break;
        m.date = iso_date(*d);
    }
    // a template names its own makers as the author: "Discuz! Team" beside generator "Discuz! X3.4"
    std::string made_by = text::lower_ascii(generator.substr(0, generator.find(' ')));
    std::erase_if(meta_authors, [&](const std::string& a) {
        return made_by.size() >= 3 && text::lower_ascii(a).find(made_by) != std::string::npos;
    });
    m.authors = !ld.authors.empty() ? ld.authors : meta_authors;
    m.site = !og_site.empty() ? og_site : !ld.publisher.empty() ? ld.publisher : !ld.site.empty() ? ld.site : app_name;
    if (is_web_url(m.site)) m.site = host_of(m.site);
    std::string site_folded = text::lower_ascii(text::trim(m.site));
    // a title that carries the site's name at one end ("Pier reopens | Harbour Daily"):
    // the site is a field of its own; not when the rest says less than the site's name
    // ("Home | Harbour Daily")
    std::string full_title = m.title;
    if (!site_folded.empty()) {
        static constexpr std::string_view kSeparators[] = {" | ", " - ", " – ", " — ", " :: ", " » ", " · ", "｜", " _ "};
        for (std::string_view sep : kSeparators) {
            std::string_view t = m.title;
            std::size_t at = t.rfind(sep);
            if (at != std::string_view::npos && at > 0 &&
                text::lower_ascii(text::trim(t.substr(at + sep.size()))) == site_folded) {
                m.title = std::string(text::trim(t.substr(0, at)));
                break;
            }
            at = t.find(sep);
            if (at != std::string_view::npos && at + sep.size() < t.size() &&
                text::lower_ascii(text::trim(t.substr(0, at))) == site_folded) {
                m.title = std::string(text::trim(t.substr(at + sep.size())));
                break;
            }
        }
        if (m.title.size() < site_folded.size()) m.title = full_title;
    }
    // a publication given as its own article's author (JSON-LD author: Organization) is
    // the site, already named: "THE DAILY · 2024-05-13 · THE DAILY"
    std::erase_if(m.authors, [&](const std::string& a) {
        return !site_folded.empty() && text::lower_ascii(text::trim(a)) == site_folded;
    });
    m.description = !og_description.empty() ? og_description : description;
    m.declared_text = std::move(ld.text);
    if (m.language.empty()) m.language = bcp47(content_language.substr(0, content_language.find(',')));
    if (m.language.empty()) m.language = bcp47(og_locale);
    for (const std::string* u : {&canonical, &og_url})
        if (m.url.empty() && is_web_url(*u)) m.url = *u;
    m.base_href = m.base;
    m.base = is_web_url(m.base) ? m.base : absolute_url(m.url, m.base);
    if (!is_web_url(m.base)) m.base = m.url;
    return m;
}

std::string content_time(const Page& page, const std::vector<std::uint32_t>& roots) {
    std::string first;
    for (std::uint32_t r : roots) {
        poll_deadline();
        for (std::uint32_t i = r; i < page[r].end; ++i) {
            poll_deadline();
            const Element& e = page[i];
            if (e.tag != GUMBO_TAG_TIME) continue;
            std::string date = iso_date(attribute(e.node, "datetime"));
            if (date.empty()) continue;
            if (has_attribute(e.node, "pubdate") ||
                text::lower_ascii(attribute(e.node, "itemprop")) == "datepublished")
                return date;
            if (first.empty()) first = date;
        }
    }
    return first;
}

}  // namespace dconv::html
