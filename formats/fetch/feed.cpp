// feed.cpp: RSS and Atom feeds into article URLs. Only what names an article is read:
// the link, the title (for messages) and the date (to take the newest); and for an entry
// without a link, its content.
#include "fetch/feed.hpp"

#include <curl/curl.h>
#include <tinyxml2.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <unordered_set>

#include "core/html_text.hpp"
#include "core/text.hpp"
#include "dconv/fetch.hpp"
#include "dconv/limits.hpp"

namespace dconv::fetch {

namespace {

// "atom:link", "rdf:RDF": the local part, whatever prefix a feed binds.
std::string_view local_name(const char* name) {
    std::string_view n = name ? name : "";
    std::size_t colon = n.find(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const tinyxml2::XMLElement* child(const tinyxml2::XMLElement* e, std::string_view name) {
    for (auto* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
        if (local_name(c->Name()) == name) return c;
    return nullptr;
}

std::string text_of(const tinyxml2::XMLElement* e) {
    if (!e) return {};
    std::string out;
    for (auto* n = e->FirstChild(); n; n = n->NextSibling())
        if (auto* t = n->ToText()) out += t->Value();
    return std::string(text::trim(out));
}

void append_text(const tinyxml2::XMLNode* node, std::string& out) {
    for (auto* n = node->FirstChild(); n; n = n->NextSibling()) {
        if (auto* t = n->ToText()) out += t->Value();
        else if (n->ToElement()) append_text(n, out);
    }
}

// An Atom text construct (title, subtitle): its `type` says whether it is text, escaped
// HTML (type="html": "&lt;em&gt;Notes&lt;/em&gt; &amp;amp; News") or XHTML markup
// (type="xhtml": a <div> of elements). Its text either way, one line.
std::string atom_text(const tinyxml2::XMLElement* e) {
    if (!e) return {};
    const char* type = e->Attribute("type");
    std::string_view kind = type ? type : "text";
    if (kind == "html" || kind == "text/html") return text::squeeze_spaces(html_text::fragment_text(text_of(e)));
    if (kind == "xhtml" || kind == "application/xhtml+xml") {
        std::string out;
        append_text(e, out);
        return text::squeeze_spaces(out);
    }
    return text::squeeze_spaces(text_of(e));
}

// Atom: the entry's <link rel="alternate"> (a link without rel is one), else the first link.
std::string atom_link(const tinyxml2::XMLElement* entry) {
    std::string first;
    for (auto* c = entry->FirstChildElement(); c; c = c->NextSiblingElement()) {
        if (local_name(c->Name()) != "link") continue;
        const char* href = c->Attribute("href");
        if (!href) continue;
        const char* rel = c->Attribute("rel");
        if (!rel || std::strcmp(rel, "alternate") == 0) return href;
        if (first.empty()) first = href;
    }
    return first;
}

// Text as HTML: its markup characters written as references.
std::string escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

// The markup below `node` written again as HTML (an Atom type="xhtml" text's): elements
// by their local names with their attributes but namespace declarations, text escaped.
// (tinyxml2's XMLPrinter is not used: dconv loads tinyxml2 on first use, and a class
// with virtual functions cannot wait for it.)
void append_markup(const tinyxml2::XMLNode* node, std::string& out) {
    static constexpr std::string_view kVoid[] = {"area", "br", "col", "embed", "hr", "img", "input",
                                                 "link", "meta", "param", "source", "track", "wbr"};
    for (auto* n = node->FirstChild(); n; n = n->NextSibling()) {
        if (auto* t = n->ToText()) {
            out += escaped(t->Value());
        } else if (auto* e = n->ToElement()) {
            std::string_view name = local_name(e->Name());
            out += '<';
            out += name;
            for (auto* a = e->FirstAttribute(); a; a = a->Next()) {
                std::string_view attribute = a->Name();
                if (attribute == "xmlns" || attribute.starts_with("xmlns:")) continue;
                out += ' ';
                out += attribute;
                out += "=\"";
                out += escaped(a->Value());
                out += '"';
            }
            out += '>';
            if (std::find(std::begin(kVoid), std::end(kVoid), name) != std::end(kVoid)) continue;
            append_markup(e, out);
            out += "</";
            out += name;
            out += '>';
        }
    }
}

// An Atom <content> or <summary> as HTML: type="html" holds it escaped, type="xhtml" as
// markup (a <div>), type="text" (the default) as text. Content of another media type,
// or out of line (src=), is no article's text: empty.
std::string atom_content_html(const tinyxml2::XMLElement* e) {
    if (!e || e->Attribute("src")) return {};
    const char* type = e->Attribute("type");
    std::string_view kind = type ? type : "text";
    if (kind == "html" || kind == "text/html") return text_of(e);
    if (kind == "xhtml" || kind == "application/xhtml+xml") {
        std::string out;
        append_markup(e, out);
        return std::string(text::trim(out));
    }
    if (kind == "text" || kind == "text/plain") {
        std::string text = text_of(e);
        return text.empty() ? text : "<p>" + escaped(text) + "</p>";
    }
    return {};
}

std::string xml_base(const tinyxml2::XMLElement* e, std::string base) {
    if (const char* b = e->Attribute("xml:base")) base = absolute_url(base, b);
    return base;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Days since 1970-01-01 of a proleptic Gregorian date (no time zone involved).
long long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// `offset`, when given, receives the date's offset from UTC in seconds (0 for "Z" or none).
std::optional<std::time_t> parse_iso(std::string_view v, long* offset_out = nullptr) {
    auto digits = [&](std::size_t at, std::size_t n, int& out) {
        if (at + n > v.size()) return false;
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (v[i] < '0' || v[i] > '9') return false;
            out = out * 10 + (v[i] - '0');
        }
        return true;
    };
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (!digits(0, 4, y) || v.size() < 10 || v[4] != '-' || !digits(5, 2, mo) || v[7] != '-' || !digits(8, 2, d))
        return std::nullopt;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap(y))) return std::nullopt;
    std::size_t i = 10;
    long offset = 0;
    if (i < v.size() && (v[i] == 'T' || v[i] == 't' || v[i] == ' ')) {
        if (!digits(i + 1, 2, h) || i + 3 >= v.size() || v[i + 3] != ':' || !digits(i + 4, 2, mi)) return std::nullopt;
        i += 6;
        if (i < v.size() && v[i] == ':') {
            if (!digits(i + 1, 2, s)) return std::nullopt;
            i += 3;
            while (i < v.size() && (v[i] == '.' || (v[i] >= '0' && v[i] <= '9'))) ++i;  // fractions
        }
        if (h > 23 || mi > 59 || s > 60) return std::nullopt;
        if (i < v.size() && (v[i] == '+' || v[i] == '-')) {
            int oh, om;
            if (!digits(i + 1, 2, oh) || !digits(i + (v.size() > i + 3 && v[i + 3] == ':' ? 4 : 3), 2, om))
                return std::nullopt;
            offset = (v[i] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
        }
    }
    if (offset_out) *offset_out = offset;
    return static_cast<std::time_t>(days_from_civil(y, mo, d) * 86400 + h * 3600L + mi * 60L + s - offset);
}

// An RFC 822 date's offset from UTC in seconds, from its last word: "+0100", "-0500",
// or one of RFC 822's zone names; 0 when there is none that it reads.
long rfc822_offset(std::string_view value) {
    std::size_t space = value.find_last_of(" \t");
    std::string_view zone = space == std::string_view::npos ? value : value.substr(space + 1);
    if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') &&
        std::all_of(zone.begin() + 1, zone.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        long hours = (zone[1] - '0') * 10 + (zone[2] - '0'), minutes = (zone[3] - '0') * 10 + (zone[4] - '0');
        return (zone[0] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
    }
    static constexpr std::pair<std::string_view, int> kZones[] = {
        {"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
    for (const auto& [name, hours] : kZones)
        if (zone == name) return hours * 3600L;
    return 0;
}

}  // namespace

std::optional<std::time_t> parse_feed_date(std::string_view value) {
    value = text::trim(value);
    if (value.empty()) return std::nullopt;
    if (std::isdigit(static_cast<unsigned char>(value[0]))) {
        if (auto iso = parse_iso(value)) return iso;
    }
    std::time_t t = curl_getdate(std::string(value).c_str(), nullptr);  // RFC 822 and kin
    if (t == -1) return std::nullopt;
    return t;
}

std::optional<std::string> feed_date_day(std::string_view value) {
    value = text::trim(value);
    std::optional<std::time_t> t = parse_feed_date(value);
    if (!t) return std::nullopt;
    long offset = 0;
    if (!(std::isdigit(static_cast<unsigned char>(value[0])) && parse_iso(value, &offset))) offset = rfc822_offset(value);
    const long long days = static_cast<long long>(*t + offset) / 86400 - ((*t + offset) % 86400 < 0);
    // civil_from_days (Howard Hinnant's algorithm), the inverse of days_from_civil
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    long long y = yoe + era * 400 + (m <= 2);
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02d", y, m, d);
    return std::string(buffer);
}

bool is_feed_media_type(std::string_view type) {
    std::size_t slash = type.find('/');
    if (slash == std::string_view::npos) return false;
    std::string_view top = type.substr(0, slash), sub = type.substr(slash + 1);
    if (top != "application" && top != "text") return false;
    if (sub.starts_with("x-")) sub.remove_prefix(2);
    return sub == "rss+xml" || sub == "atom+xml" || sub == "rdf+xml";
}

bool is_xml_media_type(std::string_view type) {
    return is_feed_media_type(type) || type == "application/xml" || type == "text/xml";
}

bool looks_like_feed(std::string_view bytes) {
    std::size_t i = 0;
    if (bytes.starts_with("\xEF\xBB\xBF")) i = 3;
    for (;;) {
        while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
        if (i >= bytes.size() || bytes[i] != '<') return false;
        std::string_view rest = bytes.substr(i);
        std::string_view end;
        if (rest.starts_with("<?")) end = "?>";
        else if (rest.starts_with("<!--")) end = "-->";
        else if (rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype")) end = ">";
        if (end.empty()) {
            std::size_t name_end = rest.find_first_of(" \t\r\n/>");
            std::string_view name = rest.substr(1, name_end == std::string_view::npos ? rest.size() : name_end - 1);
            std::size_t colon = name.find(':');
            std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
            return local == "rss" || local == "feed" || local == "RDF";
        }
        std::size_t close = rest.find(end);
        if (close == std::string_view::npos) return false;
        i += close + end.size();
    }
}

std::vector<FeedEntry> read_feed(std::string_view bytes, const std::string& feed_url,
                                 const std::string& name, std::size_t max_articles,
                                 Diagnostics& diag, std::string* feed_title) {
    // White space as written: an XHTML title's "A <b>second</b> entry" keeps its spaces
    // (collapsing would trim each text node); every value read is trimmed or squeezed.
    tinyxml2::XMLDocument xml(true, tinyxml2::PRESERVE_WHITESPACE);
    if (xml.Parse(bytes.data(), bytes.size()) != tinyxml2::XML_SUCCESS)
        throw Error(ErrorKind::input, name, static_cast<std::uint32_t>(std::max(0, xml.ErrorLineNum())),
                    std::string("not a readable feed: ") + xml.ErrorStr());
    const tinyxml2::XMLElement* root = xml.RootElement();
    std::string_view kind = root ? local_name(root->Name()) : "";
    if (kind != "rss" && kind != "feed" && kind != "RDF")
        throw Error(ErrorKind::input, name, 0, "XML, but not an RSS or Atom feed");

    if (feed_title) {
        // RSS 2.0 and 1.0 name the feed in <channel>, Atom in <feed> itself
        const tinyxml2::XMLElement* named = kind == "feed" ? root : child(root, "channel");
        if (!named) *feed_title = std::string();
        else if (kind == "feed") *feed_title = atom_text(child(named, "title"));
        else *feed_title = text::squeeze_spaces(text_of(child(named, "title")));
    }
    std::vector<FeedEntry> entries;
    std::size_t without_link = 0, position = 0;
    // `content`: the entry's own HTML, read when it has no link
    // `date`: the first of the entry's date elements that reads as a date
    auto add = [&](std::string link, std::string title, const std::string& date_text, const std::string& base,
                   std::string content) {
        ++position;
        link = absolute_url(base, link);
        std::optional<std::time_t> date = parse_feed_date(date_text);
        if (is_web_url(link)) {
            entries.push_back({std::move(link), std::move(title), date, {}, {}, position});
        } else if (!text::trim(content).empty()) {
            entries.push_back({{}, std::move(title), date, std::move(content), base, position});
        } else {
            ++without_link;
            return;
        }
        entries.back().day = feed_date_day(date_text).value_or("");
    };
    std::string base = xml_base(root, feed_url);
    if (kind == "feed") {
        for (auto* e = root->FirstChildElement(); e; e = e->NextSiblingElement()) {
            if (local_name(e->Name()) != "entry") continue;
            std::string date = text_of(child(e, "published"));
            if (!parse_feed_date(date)) date = text_of(child(e, "updated"));
            std::string content = atom_content_html(child(e, "content"));
            if (text::trim(content).empty()) content = atom_content_html(child(e, "summary"));
            add(atom_link(e), atom_text(child(e, "title")), date, xml_base(e, base), std::move(content));
        }
    } else {
        // RSS 2.0 keeps its items in <channel>; RSS 1.0 (RDF) beside it.
        std::vector<const tinyxml2::XMLElement*> parents = {root};
        if (auto* channel = child(root, "channel")) parents.push_back(channel);
        for (const auto* parent : parents)
            for (auto* e = parent->FirstChildElement(); e; e = e->NextSiblingElement()) {
                if (local_name(e->Name()) != "item") continue;
                std::string link = text_of(child(e, "link"));
                if (link.empty()) {  // a permalink guid is the article's URL
                    const auto* guid = child(e, "guid");
                    const char* permalink = guid ? guid->Attribute("isPermaLink") : nullptr;
                    if (guid && (!permalink || std::strcmp(permalink, "false") != 0)) link = text_of(guid);
                }
                if (link.empty()) {
                    if (const char* about = e->Attribute("rdf:about")) link = about;
                }
                std::string date = text_of(child(e, "pubDate"));
                if (!parse_feed_date(date)) date = text_of(child(e, "date"));  // dc:date
                // content:encoded, else the description: HTML, escaped or in CDATA
                std::string content = text_of(child(e, "encoded"));
                if (content.empty()) content = text_of(child(e, "description"));
                add(link, text::squeeze_spaces(text_of(child(e, "title"))), date, base, std::move(content));
            }
    }
    if (without_link)
        diag.warn("feed", std::to_string(without_link) + " entr" + (without_link == 1 ? "y" : "ies") +
                              " without an http or https link or content left out");
    if (entries.empty()) throw Error(ErrorKind::input, name, 0, "a feed without articles to fetch");

    bool all_dated = std::all_of(entries.begin(), entries.end(), [](const FeedEntry& e) { return e.date.has_value(); });
    if (all_dated)
        std::stable_sort(entries.begin(), entries.end(),
                         [](const FeedEntry& a, const FeedEntry& b) { return *a.date > *b.date; });
    // the same article listed twice (a feed updated in place) is fetched once
    std::vector<FeedEntry> unique;
    std::unordered_set<std::string> listed;
    for (FeedEntry& e : entries)
        if (e.url.empty() || listed.insert(url_identity(e.url)).second) unique.push_back(std::move(e));
    std::size_t cap = max_articles ? std::min(max_articles, kMaxFeedArticles) : kMaxFeedArticles;
    if (unique.size() > cap) {
        if (!max_articles || max_articles > kMaxFeedArticles)
            diag.warn("feed", "more than " + std::to_string(kMaxFeedArticles) + " articles: the newest " +
                                  std::to_string(kMaxFeedArticles) + " are taken");
        unique.resize(cap);
    }
    return unique;
}

std::string feed_entry_page(const FeedEntry& entry) {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escaped(entry.title) +
           "</title></head><body><article>\n" + entry.content + "\n</article></body></html>\n";
}

}  // namespace dconv::fetch
