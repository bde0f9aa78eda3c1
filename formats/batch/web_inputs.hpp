// web_inputs.hpp: the batch's URL inputs (and feeds) fetched before anything is converted,
// so that a fetched page is then read like a saved one: its body waits in a scratch
// folder, with the reader, charset and URL the reply gave, and the name its outputs take.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/fetch.hpp"

namespace dconv {

// A source that is fetched or expanded: a URL, or a local feed file.
struct WebSource {
    std::string given;                // as given (a URL, or the feed file's path)
    std::filesystem::path feed_file;  // set for a local feed file
};

// A page fetched and ready to be read.
struct FetchedPage {
    std::string name;             // the URL as given (or as its feed listed it): messages
    std::filesystem::path path;   // its body, in the scratch folder
    ReadOptions read;             // format, encoding and url from the reply
    std::string stem;             // its outputs' name: the title's slug, else the URL's (naming.hpp)
    std::string feed_item_title;  // a feed's article: its title in the feed (RSS, Atom <title>)
    std::string feed_item_date;   // and its date there (RSS <pubDate>, Atom <published>, else <updated>), YYYY-MM-DD
    std::vector<std::string> warnings;  // the cache stood in, an unknown charset
    std::vector<std::string> notes;     // for --explain: a charset header overruled by the body
    bool from_feed_content = false;     // a feed's entry without a link: its content, not a page fetched
    // the seconds its fetch and preparing took (under its --timeout, which its conversion
    // gets the rest of)
    double spent_seconds = 0;
};

struct FailedFetch {
    std::string name;
    Error error;
};

// One source's outcome: the pages it gave (one, or a feed's articles), or its failure,
// and the failures of its feed's articles.
struct FetchedSource {
    std::vector<FetchedPage> pages;
    std::string feed_title;  // a feed's own title (empty for a page, or a feed without one)
    std::vector<std::string> feed_warnings;  // a feed's own (entries left out...), told with its name
    std::vector<FailedFetch> failures;
};

struct WebInputOptions {
    FetchOptions fetch;
    ReadOptions read;               // the batch's: --from and --encoding win over the reply's
    std::size_t max_articles = 0;   // --max-articles: the newest N of each feed; 0: all
    unsigned jobs = 1;              // fetching threads (at least kMinFetchThreads)
    // Images: `load_images` when some output shows them (epub, pdf, html; native lists
    // them); else sources
    // are kept as written and nothing is fetched (md, txt keep the absolute URLs).
    // `fetch_images` off (--no-images): remote images keep their alt text, silently.
    bool load_images = true;
    bool fetch_images = true;
    bool progress = false;          // a progress line on `err` while fetching
};

// Fetching waits on the network, not the processor: at least this many requests are in
// flight whatever --jobs says (fetch::kMaxRequestsPerHost still holds per host).
inline constexpr unsigned kMinFetchThreads = 4;

// "pages.txt": lines of URLs and paths; blank lines and lines starting with '#' are
// skipped, spaces around an entry trimmed. Each entry with its line number, for the
// messages about it ("listed at pages.txt:4"). Throws Error(usage, path, line) for an
// unreadable file or more than fetch::kMaxInputFileLines lines.
struct ListedInput {
    std::string entry;
    std::uint32_t line = 0;
};
std::vector<ListedInput> read_input_list(const std::string& path);

// Whether a local file is a feed to expand rather than a document to read: its ending is
// .rss, .atom or .xml and its content looks like one (feed.hpp).
bool is_feed_file(const std::filesystem::path& path);

// Removes the fetched pages' folders ($TMPDIR/dconv-fetch-PID-XXXXXX) of runs that ended
// without removing theirs (Ctrl-C): those of this user whose process is gone. Returns
// how many it removed.
std::size_t remove_abandoned_fetch_folders();

class WebInputs {
public:
    // Creates the scratch folder (Error(io) when it cannot be).
    WebInputs(WebInputOptions options, std::ostream& err);
    ~WebInputs();  // removes the scratch folder and everything in it
    WebInputs(const WebInputs&) = delete;
    WebInputs& operator=(const WebInputs&) = delete;

    // Fetches every source in parallel (a feed's articles in a second round), in the
    // order given: result[i] is sources[i]'s outcome. Never throws for a source.
    std::vector<FetchedSource> fetch_all(const std::vector<WebSource>& sources);

    Fetcher& fetcher();
    std::size_t page_failures() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace dconv
