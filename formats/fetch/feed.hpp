// feed.hpp: an RSS (0.9x, 1.0, 2.0) or Atom feed read as the list of its articles' URLs
// (`dconv FEED-URL`, `dconv feed.xml`), parsed with tinyxml2.
#pragma once

#include <cstddef>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dconv/diagnostics.hpp"

namespace dconv::fetch {

struct FeedEntry {
    std::string url;    // absolute (resolved against the feed's URL and xml:base); empty: see content
    std::string title;  // for messages, and the title of an entry read from its content
    std::optional<std::time_t> date;  // published, else updated
    // An entry without an http or https link: its content in the feed, as an HTML page
    // (feed_entry_page) to convert instead of one to fetch, with the base its links are
    // relative to (the feed's URL and xml:base; empty for a local feed). Empty for an
    // entry with a link.
    std::string content;
    std::string base;
    std::size_t position = 0;  // 1 for the feed's first entry: names one without a link
    // The date's calendar day in the feed's own offset ("2026-03-03" for
    // 2026-03-03T22:00:00-05:00, which is the 4th in UTC); empty without a date.
    std::string day;
};

// A feed's media type: application/rss+xml, atom+xml, rdf+xml, and the unregistered
// x- forms servers still send (application/x-rss+xml is Python's http.server's and
// Apache's type for .rss); `type` lower case, without parameters.
bool is_feed_media_type(std::string_view type);
// The types a feed comes as: a feed's own, and XML's (application/xml, text/xml), which
// is a feed when its body is one.
bool is_xml_media_type(std::string_view type);

// Whether `bytes` is a feed: after an XML declaration, comments and processing
// instructions, the first element is <rss>, <feed> (Atom) or <rdf:RDF>.
bool looks_like_feed(std::string_view bytes);

// The feed's articles, newest first (by their dates when every entry has one, else in
// the feed's order, which is newest first by custom), at most `max_articles` of them (0:
// all, up to kMaxFeedArticles, with a warning for the rest). An entry without an http or
// https link is read from its own content (Atom <content>, else <summary>; RSS
// <content:encoded>, else <description>), titled by its <title>; one without content
// either is left out with a warning. `feed_url` is where the feed came from (empty
// for a local file: links must then be absolute). `feed_title`, when given, receives the
// feed's own title (RSS <channel><title>, Atom <feed><title>; empty when it has none).
// Throws Error(input, name) for XML that is not a feed, or a feed without articles.
std::vector<FeedEntry> read_feed(std::string_view bytes, const std::string& feed_url,
                                 const std::string& name, std::size_t max_articles,
                                 Diagnostics& diag, std::string* feed_title = nullptr);

// An entry read from its content (FeedEntry::content) as a page of its own: a UTF-8 HTML
// page titled by the entry's title, its content the page's article.
std::string feed_entry_page(const FeedEntry& entry);

// "2024-05-13T10:00:00Z", "2024-05-13T12:00:00+02:00", "2024-05-13" (Atom, Dublin Core)
// or "Mon, 13 May 2024 10:00:00 GMT" (RSS): seconds since 1970, UTC.
std::optional<std::time_t> parse_feed_date(std::string_view value);
// The calendar day ("YYYY-MM-DD") of a feed date in the offset it is written in, as its
// author dates it; nullopt when parse_feed_date cannot read it.
std::optional<std::string> feed_date_day(std::string_view value);

}  // namespace dconv::fetch
