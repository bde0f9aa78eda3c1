// web_inputs.cpp: URL inputs and feeds fetched into a scratch folder, in parallel, with
// a progress line.
#include "batch/web_inputs.hpp"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "core/atomic_file.hpp"
#include "core/text.hpp"
#include "dconv/registry.hpp"
#include "decode/decode.hpp"
#include "fetch/feed.hpp"
#include "fetch/naming.hpp"

namespace dconv {

namespace fs = std::filesystem;

namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(100);

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool known_charset(const std::string& name) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open(name.c_str(), &status);
    if (converter) ucnv_close(converter);
    return U_SUCCESS(status);
}

// The charsets servers send when nobody set one (Apache's and many frameworks' default
// ISO-8859-1, its WHATWG twin windows-1252, and US-ASCII): such a label says little about
// the body. Any other single-byte label (tis-620, koi8-r...) was chosen for the text.
bool is_server_default_charset(const std::string& name) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open(name.c_str(), &status);
    if (!converter) return false;
    std::string canonical = ucnv_getName(converter, &status);
    ucnv_close(converter);
    for (const char* fallback : {"ISO-8859-1", "windows-1252", "US-ASCII"}) {
        status = U_ZERO_ERROR;
        UConverter* other = ucnv_open(fallback, &status);
        bool same = other && canonical == ucnv_getName(other, &status);
        if (other) ucnv_close(other);
        if (same) return true;
    }
    return false;
}

bool is_utf8_name(const std::string& name) {
    std::string low = text::lower_ascii(name);
    return low == "utf-8" || low == "utf8";
}


// How a body whose UTF-8 label was overruled is read, in words for the warning: as its
// <meta charset> says, else as detection finds. Empty when it is read as UTF-8 anyway
// (a few stray bytes): the decode pass's warnings about each byte say all there is.
std::string overruled_body_reading(const std::string& format, std::string_view body, const std::string& name) {
    if (const ReaderEntry* reader = find_reader(format); reader && reader->declared_encoding)
        if (std::string declared = reader->declared_encoding(body); !declared.empty())
            return is_utf8_name(declared) ? std::string() : "read as " + declared + ", as its <meta charset> says";
    DecodeInfo info;
    try {
        Diagnostics ignored(false);
        decode_text(body, {}, ignored, name, &info);
    } catch (const Error&) {
        return {};  // it fails again, and is reported, when it is converted
    }
    switch (info.method) {
        case DecodeInfo::Method::detected: return "read as " + info.encoding + " (" + info.how + ")";
        case DecodeInfo::Method::mixed: return "read line by line, as UTF-8 and, where it is not, as " + info.encoding;
        case DecodeInfo::Method::wide_sniffed:
        case DecodeInfo::Method::byte_order_mark: return "read as " + info.encoding;
        default: return {};
    }
}

// A reply that may be a feed: labelled as one or as XML, or not labelled at all.
bool is_xml_type(const std::string& type) { return type.empty() || fetch::is_xml_media_type(type); }

std::string megabytes(std::size_t bytes) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buffer;
}

}  // namespace

std::vector<ListedInput> read_input_list(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))  // it opens, then its first read fails
        throw Error(ErrorKind::usage, path, 0,
                    "cannot read the --input-file: it is a folder (give a folder as an input, without -i)");
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::usage, path, 0, std::string("cannot read the --input-file: ") + std::strerror(errno));
    std::vector<ListedInput> entries;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        if (++number > fetch::kMaxInputFileLines)
            throw Error(ErrorKind::usage, path, static_cast<std::uint32_t>(number),
                        "more than " + std::to_string(fetch::kMaxInputFileLines) + " lines in the --input-file");
        std::string_view entry = text::trim(line);
        if (number == 1 && entry.starts_with("\xEF\xBB\xBF")) entry = text::trim(entry.substr(3));
        if (entry.empty() || entry.front() == '#') continue;
        entries.push_back({std::string(entry), static_cast<std::uint32_t>(number)});
    }
    if (in.bad())
        throw Error(ErrorKind::usage, path, 0,
                    std::string("cannot read the --input-file: ") + (errno ? std::strerror(errno) : "a read failed"));
    return entries;
}

bool is_feed_file(const fs::path& path) {
    std::string ext = text::lower_ascii(path.extension().string());
    if (ext != ".rss" && ext != ".atom" && ext != ".xml") return false;
    std::ifstream in(path, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return fetch::looks_like_feed(head);
}

// ------------------------------------------------------------------------------ state

struct WebInputs::State {
    WebInputOptions options;
    std::ostream& err;
    Fetcher fetcher;
    fs::path scratch;
    std::atomic<std::size_t> next_file{0};

    std::mutex progress_mutex;
    std::size_t done = 0, total = 0;
    bool bar_shown = false;
    std::chrono::steady_clock::time_point last_draw{};

    State(WebInputOptions o, std::ostream& e) : options(std::move(o)), err(e), fetcher(options.fetch) {}

    void progress(bool finished_one) {
        if (!options.progress) return;
        std::lock_guard lock(progress_mutex);
        if (finished_one) ++done;
        auto now = std::chrono::steady_clock::now();
        if (done != total && now - last_draw < kProgressInterval) return;
        FetchStats s = fetcher.stats();
        err << "\r\033[Kfetching " << done << '/' << total << ": " << s.pages << " page"
            << (s.pages == 1 ? "" : "s") << ", " << megabytes(s.bytes);
        if (s.failures) err << ", " << s.failures << " failed";
        err.flush();
        bar_shown = true;
        last_draw = now;
    }

    void end_progress() {
        std::lock_guard lock(progress_mutex);
        if (bar_shown) err << "\r\033[K";
        err.flush();
        bar_shown = false;
    }

    // Runs body(0..count-1) on the fetching threads.
    template <class Body>
    void parallel(std::size_t count, Body body) {
        std::atomic<std::size_t> next{0};
        auto worker = [&] {
            for (std::size_t i; (i = next.fetch_add(1)) < count;) body(i);
        };
        unsigned threads = std::max(options.jobs, kMinFetchThreads);
        std::vector<std::jthread> pool;
        for (std::size_t t = 1; t < std::min<std::size_t>(threads, count); ++t) {
            try {
                pool.emplace_back(worker);
            } catch (const std::system_error&) {
                break;
            }
        }
        worker();
    }

    // A fetched page made ready to read: its body saved, its reader and charset chosen
    // from the reply, its outputs' name from its title (a feed's article without one of
    // its own: the feed's title for it, `feed_item_title`).
    // `reply` prepared under its input's --timeout, which started at `started` (its fetch),
    // less the time it waited for a free connection to its host, with `spent_before` spent
    // already (a feed's article: its feed's fetch); the seconds that took are the page's
    // spent_seconds, which its conversion's deadline counts in.
    FetchedPage prepare_timed(const std::string& name, FetchResult reply, std::chrono::steady_clock::time_point started,
                              std::string feed_item_title = {}, double spent_before = 0) {
        const double waited = reply.host_wait_seconds;
        DeadlineScope deadline(options.fetch.input_timeout_seconds, name, spent_before + seconds_since(started) - waited);
        FetchedPage page = prepare(name, std::move(reply), std::move(feed_item_title));
        page.spent_seconds = spent_before + seconds_since(started) - waited;
        return page;
    }

    FetchedPage prepare(const std::string& name, FetchResult reply, std::string feed_item_title = {}) {
        FetchedPage page;
        page.name = name;
        page.feed_item_title = std::move(feed_item_title);
        page.read = options.read;
        page.read.source_name = name;
        page.read.url = reply.final_url;
        if (!reply.warning.empty()) page.warnings.push_back(reply.warning);
        if (page.read.format.empty()) {
            bool markup = looks_like_html(reply.body);
            if (reply.media_type == "text/html" || reply.media_type == "application/xhtml+xml" ||
                ((reply.media_type.empty() || is_xml_type(reply.media_type)) && markup))
                page.read.format = "html";
            else if (reply.media_type == "text/markdown" || reply.media_type == "text/x-markdown")
                page.read.format = "markdown";
            else if (!reply.media_type.empty() && is_xml_type(reply.media_type))
                throw Error(ErrorKind::input, name, 0,
                            "the server sent " + reply.media_type + " that is neither an RSS or Atom feed nor a page");
            else
                page.read.format = "webtext";
        }
        // The header's charset, unless the body shows it wrong (charset_overruled: the
        // body's encoding is then chosen as for a local file, and a warning says so).
        bool charset_overruled = false;
        if (page.read.encoding.empty() && !reply.charset.empty()) {
            const std::string said = "the reply's Content-Type says charset '" + reply.charset + "', but the body ";
            const bool beyond_ascii = text::skip_ascii(reply.body, 0) != reply.body.size();
            // A body that is valid UTF-8 and not ASCII is UTF-8 whatever the header says
            // (as chardet-style sniffers have it): a single-byte charset's text is valid
            // UTF-8 by accident almost never. Detection reads it as UTF-8.
            if (!text::lower_ascii(reply.charset).starts_with("utf") &&  // not a Unicode label
                text::valid_utf8_with_multibyte(reply.body)) {
                page.notes.push_back(said + "is valid UTF-8 beyond ASCII: read as UTF-8");
            } else if (is_utf8_name(reply.charset) && beyond_ascii &&
                       !text::valid_utf8_with_multibyte(reply.body)) {
                // A header that says UTF-8 over bytes that are not: forced, every byte
                // beyond ASCII became U+FFFD. The body is read as a local file is (its
                // <meta charset>, else detection: UTF-8 with a few stray bytes stays UTF-8).
                charset_overruled = true;
            } else if (!known_charset(reply.charset)) {
                page.warnings.push_back("unknown charset '" + reply.charset +
                                        "' in the reply's Content-Type: the page's own declaration, or detection, decides");
            } else if (ConfidentCharset body = beyond_ascii && is_server_default_charset(reply.charset)
                                                   ? confident_multibyte_charset(reply.body)
                                                   : ConfidentCharset{};
                       !body.encoding.empty()) {
                // A single-byte charset fits any bytes, so its label cannot be checked, and
                // ISO-8859-1 is the default many servers send unasked; a body that decodes
                // strictly (no byte replaced) into CJK text is in that charset beyond
                // reasonable doubt (Latin text never does so by accident). Browsers follow
                // the header; dconv follows the bytes, since the header's reading is
                // certain mojibake. Only a server default is overruled: a Thai page under
                // tis-620 is what ucsdet can take for GB18030, its label chosen on purpose.
                page.warnings.push_back(said + "is " + body.encoding + " (" + body.how + "): read as " +
                                        body.encoding);
                page.read.encoding = body.encoding;
            } else {
                page.read.encoding = reply.charset;
            }
        }
        // Its images: relative sources are joined to the final URL; remote ones come
        // through the fetcher, with the page as Referer.
        page.read.resources.base = reply.final_url;
        if (!options.load_images)
            page.read.resources.load = false;
        else if (options.fetch_images)
            page.read.resources.fetch_remote = remote_image_fetcher(fetcher, reply.final_url);
        else
            page.read.resources.fetch_remote = [](const std::string&, Diagnostics&) { return std::optional<std::string>(); };
        page.path = scratch / (std::to_string(next_file.fetch_add(1)) + ".page");
        write_file_atomic(page.path, reply.body);
        // The title its outputs are named after: the page read as it will be converted
        // (without the batch's profile, which does not change a title, nor its images).
        std::string title;
        try {
            Diagnostics naming_diag(false);
            ReadOptions naming = page.read;
            naming.resources.load = false;
            title = read_document(std::string_view(reply.body), naming, naming_diag).meta.title;
        } catch (const Error&) {
            // it fails again, and is reported, when it is converted
        }
        if (charset_overruled) {
            if (std::string read_as = overruled_body_reading(page.read.format, reply.body, name); !read_as.empty())
                page.warnings.push_back("the reply's Content-Type says charset '" + reply.charset +
                                        "', but the body is not valid UTF-8: " + read_as);
        }
        page.stem = fetch::output_stem(title.empty() ? page.feed_item_title : title, reply.final_url);
        return page;
    }

    // A feed's articles as sources of their own.
    std::vector<fetch::FeedEntry> feed_articles(std::string_view bytes, const std::string& feed_url,
                                           const std::string& name, std::vector<std::string>& warnings,
                                           std::string& title) {
        Diagnostics diag;
        std::vector<fetch::FeedEntry> entries =
            fetch::read_feed(bytes, feed_url, name, options.max_articles, diag, &title);
        for (const Diagnostic& d : diag.items()) warnings.push_back(d.reason);
        return entries;
    }
};

namespace {

constexpr std::string_view kScratchPrefix = "dconv-fetch-";

}  // namespace

// The scratch folder is "dconv-fetch-PID-XXXXXX": Ctrl-C ends dconv from a signal handler,
// which cannot walk a tree to remove it, so the next run removes the folders whose
// process is gone.
std::size_t remove_abandoned_fetch_folders() {
    std::error_code ec;
    const fs::path temp = fs::temp_directory_path(ec);
    if (ec) return 0;
    std::size_t removed = 0;
    for (auto it = fs::directory_iterator(temp, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(kScratchPrefix)) continue;
        std::string_view rest = std::string_view(name).substr(kScratchPrefix.size());
        std::size_t dash = rest.find('-');
        if (dash == 0 || dash == std::string_view::npos || dash > 9 ||
            !std::all_of(rest.begin(), rest.begin() + dash, [](char c) { return c >= '0' && c <= '9'; }))
            continue;  // not a name of ours with a pid: left alone
        const pid_t pid = static_cast<pid_t>(std::stol(std::string(rest.substr(0, dash))));
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid()) continue;
        if (pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // its run may still be going
        std::error_code remove_ec;
        if (fs::remove_all(it->path(), remove_ec) != static_cast<std::uintmax_t>(-1) && !remove_ec) ++removed;
    }
    return removed;
}

WebInputs::WebInputs(WebInputOptions options, std::ostream& err)
    : state_(std::make_unique<State>(std::move(options), err)) {
    std::string pattern =
        (fs::temp_directory_path() / (std::string(kScratchPrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
        throw Error(ErrorKind::io, pattern, 0, "cannot create a scratch folder for fetched pages");
    state_->scratch = pattern;
}

WebInputs::~WebInputs() {
    std::error_code ec;
    fs::remove_all(state_->scratch, ec);
}

Fetcher& WebInputs::fetcher() { return state_->fetcher; }

std::size_t WebInputs::page_failures() const { return state_->fetcher.stats().failures; }

std::vector<FetchedSource> WebInputs::fetch_all(const std::vector<WebSource>& sources) {
    State& s = *state_;
    std::vector<FetchedSource> results(sources.size());
    // Round one: every source. A feed leaves its articles' URLs for round two.
    std::vector<std::vector<fetch::FeedEntry>> articles(sources.size());
    std::vector<std::vector<std::string>> feed_warnings(sources.size());
    // a fetched feed's seconds (its fetch and reading, less its wait for a connection),
    // which count in each of its articles' --timeout: the feed is the input given
    std::vector<double> feed_seconds(sources.size(), 0.0);
    s.total = sources.size();
    s.progress(false);
    s.parallel(sources.size(), [&](std::size_t i) {
        const WebSource& source = sources[i];
        try {
            if (!source.feed_file.empty()) {
                std::ifstream in(source.feed_file, std::ios::binary);
                std::stringstream bytes;
                bytes << in.rdbuf();
                if (!in) throw Error(ErrorKind::io, source.given, 0, "cannot read the feed");
                articles[i] = s.feed_articles(bytes.str(), "", source.given, feed_warnings[i], results[i].feed_title);
            } else {
                // the page's --timeout starts with its fetch (a feed's articles' with theirs)
                const auto started = std::chrono::steady_clock::now();
                FetchResult reply = s.fetcher.fetch(source.given, FetchKind::page);
                if (is_xml_type(reply.media_type) && fetch::looks_like_feed(reply.body)) {
                    articles[i] = s.feed_articles(reply.body, reply.final_url, source.given, feed_warnings[i],
                                                  results[i].feed_title);
                    feed_seconds[i] = seconds_since(started) - reply.host_wait_seconds;
                    if (!reply.warning.empty()) feed_warnings[i].push_back(reply.warning);
                } else {
                    results[i].pages.push_back(s.prepare_timed(source.given, std::move(reply), started));
                }
            }
        } catch (const Error& e) {
            results[i].failures.push_back({source.given, e});
        } catch (const std::exception& e) {  // out of memory, say: this source fails, not the batch
            results[i].failures.push_back({source.given, Error(ErrorKind::internal, source.given, 0, e.what())});
        }
        s.progress(true);
    });

    // Round two: the feeds' articles, all at once.
    std::vector<std::pair<std::size_t, fetch::FeedEntry>> flat;  // (source, article)
    for (std::size_t i = 0; i < sources.size(); ++i)
        for (fetch::FeedEntry& entry : articles[i]) flat.emplace_back(i, std::move(entry));
    if (!flat.empty()) {
        std::vector<std::optional<FetchedPage>> pages(flat.size());
        std::vector<std::optional<Error>> errors(flat.size());
        {
            std::lock_guard lock(s.progress_mutex);
            s.total += flat.size();
        }
        // an article without a link is named by its feed and place in it: "week.atom (entry 2)"
        auto name_of = [&](std::size_t k) {
            const fetch::FeedEntry& entry = flat[k].second;
            return entry.url.empty() ? sources[flat[k].first].given + " (entry " + std::to_string(entry.position) + ")"
                                     : entry.url;
        };
        s.parallel(flat.size(), [&](std::size_t k) {
            const fetch::FeedEntry& entry = flat[k].second;
            const std::string name = name_of(k);
            try {
                const auto started = std::chrono::steady_clock::now();
                const double feed_spent = feed_seconds[flat[k].first];
                {  // nothing left of --timeout after the feed's fetch: fails as a slow page does
                    DeadlineScope deadline(s.options.fetch.input_timeout_seconds, name, feed_spent);
                    check_deadline();
                }
                FetchResult reply;
                if (entry.url.empty()) {  // its content in the feed is the page
                    reply.final_url = entry.base;
                    reply.media_type = "text/html";
                    reply.charset = "utf-8";
                    reply.body = fetch::feed_entry_page(entry);
                } else {
                    reply = s.fetcher.fetch(entry.url, FetchKind::page, {}, feed_spent);
                    if (fetch::looks_like_feed(reply.body))
                        throw Error(ErrorKind::input, name, 0, "a feed listed in a feed: not followed");
                }
                pages[k] = s.prepare_timed(name, std::move(reply), started, entry.title, feed_spent);
                pages[k]->feed_item_date = entry.day;
                pages[k]->from_feed_content = entry.url.empty();
            } catch (const Error& e) {
                errors[k] = e;
            } catch (const std::exception& e) {
                errors[k] = Error(ErrorKind::internal, name, 0, e.what());
            }
            s.progress(true);
        });
        for (std::size_t k = 0; k < flat.size(); ++k) {
            FetchedSource& r = results[flat[k].first];
            if (pages[k]) r.pages.push_back(std::move(*pages[k]));
            else r.failures.push_back({name_of(k), *errors[k]});
        }
    }
    // A feed's own warnings are told with the feed's name, not with one of its articles.
    for (std::size_t i = 0; i < sources.size(); ++i) results[i].feed_warnings = std::move(feed_warnings[i]);
    s.end_progress();
    return results;
}

}  // namespace dconv
