// fetcher.cpp: dconv::Fetcher over libcurl's easy interface: one handle per fetch, reused
// across its redirects and retries (so a connection is kept), redirects followed here
// rather than by libcurl so that each one's scheme and address can be refused with a
// message naming it.
#include "dconv/fetch.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/text.hpp"
#include "dconv/diagnostics.hpp"
#include "fetch/cache.hpp"
#include "fetch/feed.hpp"

#ifndef DCONV_VERSION
#define DCONV_VERSION "unknown"
#endif

namespace dconv {

namespace {

// A timer (curl's, or the wake-up near the input's deadline) may fire this many seconds
// early: a timeout this close to a limit is that limit's.
constexpr double kTimerSlackSeconds = 0.05;

// ------------------------------------------------------------------------ host slots

// The seconds this thread has waited for host slots, in all (FetchResult::host_wait_seconds).
thread_local double host_wait_seconds = 0;

// At most fetch::kMaxRequestsPerHost requests to one host at a time, across the threads
// of a batch.
class HostSlots {
public:
    // false: `until` came first, no slot taken
    bool acquire(const std::string& host, const std::optional<std::chrono::steady_clock::time_point>& until) {
        std::unique_lock lock(mutex_);
        if (busy_[host] >= fetch::kMaxRequestsPerHost) {
            const auto start = std::chrono::steady_clock::now();
            auto free = [&] { return busy_[host] < fetch::kMaxRequestsPerHost; };
            bool got = true;
            if (until) got = freed_.wait_until(lock, *until, free);
            else freed_.wait(lock, free);
            host_wait_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (!got) {
                if (busy_[host] == 0) busy_.erase(host);
                return false;
            }
        }
        ++busy_[host];
        return true;
    }
    void release(const std::string& host) {
        {
            std::lock_guard lock(mutex_);
            if (--busy_[host] == 0) busy_.erase(host);
        }
        freed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable freed_;
    std::map<std::string, int> busy_;
};

class HostSlot {
public:
    HostSlot(HostSlots& slots, std::string host, const std::optional<std::chrono::steady_clock::time_point>& until)
        : slots_(slots), host_(std::move(host)), held_(slots_.acquire(host_, until)) {}
    ~HostSlot() {
        if (held_) slots_.release(host_);
    }
    HostSlot(const HostSlot&) = delete;
    HostSlot& operator=(const HostSlot&) = delete;
    bool held() const { return held_; }

private:
    HostSlots& slots_;
    std::string host_;
    bool held_;
};

// ------------------------------------------------------------------------ one request

struct Reply {
    CURLcode code = CURLE_OK;
    std::string curl_error;  // libcurl's own words (CURLOPT_ERRORBUFFER)
    long status = 0;
    std::string reason;      // the status line's reason phrase (HTTP/1.x only)
    std::string media_type, charset, etag, last_modified, location;
    std::optional<double> retry_after;  // seconds
    std::string body;
    // Why the transfer was stopped by dconv itself, when it was.
    std::string refused_address;  // a private address, not connected to
    std::string refused_type;     // a media type not fetched
    bool over_size = false;
    bool input_deadline = false;  // the time left of the input's --timeout bounded it, not --fetch-timeout
    bool no_free_slot = false;    // the input's deadline came while waiting for a connection (curl_error says so)
    // > 0: timed out connecting, this many seconds allowed (the connect timeout ended it,
    // well before the request's own time: that time is not spent)
    double connect_seconds = 0;
};

// What the callbacks of one transfer see.
struct Transfer {
    Reply* reply = nullptr;
    FetchKind kind = FetchKind::page;
    std::size_t max_bytes = 0;
    bool allow_private = false;
    const std::function<bool(const std::string&)>* is_private = nullptr;
    bool type_checked = false;
};

std::string lower(std::string_view s) { return text::lower_ascii(s); }

// "text/html; charset=GBK" → media type "text/html", charset "GBK".
void parse_content_type(std::string_view value, std::string& media_type, std::string& charset) {
    std::size_t semicolon = value.find(';');
    media_type = lower(text::trim(value.substr(0, semicolon)));
    charset.clear();
    while (semicolon != std::string_view::npos) {
        std::size_t next = value.find(';', semicolon + 1);
        std::string_view param = text::trim(value.substr(semicolon + 1, next == std::string_view::npos ? next : next - semicolon - 1));
        std::size_t equals = param.find('=');
        if (equals != std::string_view::npos && lower(text::trim(param.substr(0, equals))) == "charset") {
            std::string_view v = text::trim(param.substr(equals + 1));
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            charset = std::string(v);
        }
        semicolon = next;
    }
}

// Retry-After: seconds, or an HTTP date (RFC 9110 IMF-fixdate).
std::optional<double> parse_retry_after(std::string_view value) {
    value = text::trim(value);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return value.size() > 9 ? 1e9 : std::strtod(std::string(value).c_str(), nullptr);
    std::time_t when = curl_getdate(std::string(value).c_str(), nullptr);
    if (when < 0) return std::nullopt;
    return std::max(0.0, std::difftime(when, std::time(nullptr)));
}

bool acceptable_type(FetchKind kind, const std::string& type) {
    if (type.empty()) return true;  // unlabelled: the reader looks at the bytes
    if (kind == FetchKind::image)
        return type.starts_with("image/") || type == "application/octet-stream";
    static constexpr std::string_view kPageTypes[] = {"text/html", "application/xhtml+xml", "text/plain",
                                                      "text/markdown", "text/x-markdown"};
    return std::find(std::begin(kPageTypes), std::end(kPageTypes), type) != std::end(kPageTypes) ||
           fetch::is_xml_media_type(type);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    Reply& r = *static_cast<Transfer*>(user)->reply;
    std::string_view line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {  // a new response (after a 100 Continue, say): start over
        Reply fresh;
        fresh.refused_address = std::move(r.refused_address);
        r = std::move(fresh);
        std::size_t sp = line.find(' ');
        if (sp != std::string_view::npos) {
            std::size_t sp2 = line.find(' ', sp + 1);
            r.status = std::strtol(std::string(line.substr(sp + 1, sp2 == std::string_view::npos ? 3 : sp2 - sp - 1)).c_str(), nullptr, 10);
            if (sp2 != std::string_view::npos) r.reason = std::string(text::trim(line.substr(sp2 + 1)));
        }
        return size * count;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return size * count;
    std::string name = lower(text::trim(line.substr(0, colon)));
    std::string_view value = text::trim(line.substr(colon + 1));
    if (name == "content-type") parse_content_type(value, r.media_type, r.charset);
    else if (name == "etag") r.etag = std::string(value);
    else if (name == "last-modified") r.last_modified = std::string(value);
    else if (name == "retry-after") r.retry_after = parse_retry_after(value);
    return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    Transfer& t = *static_cast<Transfer*>(user);
    Reply& r = *t.reply;
    std::size_t n = size * count;
    // Only a successful reply's type matters (an error page is HTML whatever was asked);
    // it is checked before the first byte is kept, so a refused download stops here.
    if (!t.type_checked) {
        t.type_checked = true;
        if (r.status >= 200 && r.status < 300 && !acceptable_type(t.kind, r.media_type)) {
            r.refused_type = r.media_type;
            return 0;
        }
    }
    if (r.body.size() + n > t.max_bytes) {
        r.over_size = true;
        return 0;
    }
    r.body.append(data, n);
    return n;
}

// Every socket libcurl opens comes here with the address it will connect to, after name
// resolution: the one place the address rule can be kept without a race (DNS rebinding).
curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    Transfer& t = *static_cast<Transfer*>(user);
    if (purpose == CURLSOCKTYPE_IPCXN && !t.allow_private) {
        char text[INET6_ADDRSTRLEN] = "";
        if (address->family == AF_INET)
            ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_addr, text, sizeof text);
        else if (address->family == AF_INET6)
            ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_addr, text, sizeof text);
        std::string numeric = text;
        bool refused = (address->family != AF_INET && address->family != AF_INET6) ||
                       (*t.is_private ? (*t.is_private)(numeric) : is_private_address(numeric));
        if (refused) {
            t.reply->refused_address = numeric.empty() ? "a non-IP address" : numeric;
            return CURL_SOCKET_BAD;
        }
    }
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

struct EasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string host_of(const std::string& url) {
    CURLU* h = curl_url();
    std::string host;
    if (h && curl_url_set(h, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
        char* out = nullptr;
        if (curl_url_get(h, CURLUPART_HOST, &out, 0) == CURLUE_OK && out) {
            host = lower(out);
            curl_free(out);
        }
    }
    if (h) curl_url_cleanup(h);
    return host;
}

std::string seconds_text(double s) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", s);
    return buffer;
}

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// A reset or dropped connection: worth another try.
bool transient(CURLcode code) {
    return code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR || code == CURLE_GOT_NOTHING ||
           code == CURLE_PARTIAL_FILE || code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM;
}

// The server could not be reached at all: the cache's copy stands in.
bool unreachable(CURLcode code) {
    return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
           code == CURLE_OPERATION_TIMEDOUT || transient(code);
}

}  // namespace

// ------------------------------------------------------------------------ the fetcher

struct Fetcher::State {
    FetchOptions options;
    std::optional<fetch::Cache> cache;
    HostSlots slots;
    mutable std::mutex stats_mutex;
    FetchStats stats;
    std::string user_agent;

    using Clock = std::chrono::steady_clock;

    // The seconds one request may take: --fetch-timeout, or less when the input's own
    // deadline (--timeout, FetchOptions::input_timeout_seconds) comes sooner.
    double request_seconds(const std::optional<Clock::time_point>& deadline, bool& by_deadline) const {
        by_deadline = false;
        if (!deadline) return options.timeout_seconds;
        double left = std::chrono::duration<double>(*deadline - Clock::now()).count();
        if (left >= options.timeout_seconds) return options.timeout_seconds;
        by_deadline = true;
        return std::max(left, 0.001);
    }

    Reply perform(CURL* curl, const std::string& url, FetchKind kind, const std::string& referer,
                  const fetch::CachedReply* revalidate, const std::optional<Clock::time_point>& deadline) {
        Reply reply;
        // The host's slot first, then the time left. A fetch within an input's conversion
        // (an image's) waits for the slot no longer than the input's deadline; a page's
        // fetch at planning waits unbounded, and its wait is not its --timeout's time (the
        // batch leaves it out, FetchResult::host_wait_seconds).
        const std::optional<Clock::time_point> input = thread_deadline();
        const double waited_before = host_wait_seconds;
        const double left = input ? std::chrono::duration<double>(*input - Clock::now()).count() : 0.0;
        HostSlot slot(slots, host_of(url), input);
        if (!slot.held()) {
            // What ran out is named: the time the input had left when the wait began.
            reply.code = CURLE_OPERATION_TIMEDOUT;
            reply.input_deadline = reply.no_free_slot = true;
            reply.curl_error = "no free connection to " + host_of(url) + " (" +
                               std::to_string(fetch::kMaxRequestsPerHost) + " at a time) within " +
                               time_left_text(left);
            return reply;
        }
        std::optional<Clock::time_point> until = deadline;
        if (until && !input)
            *until += std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double>(host_wait_seconds - waited_before));
        const double seconds = request_seconds(until, reply.input_deadline);
        Transfer t;
        t.reply = &reply;
        t.kind = kind;
        t.max_bytes = kind == FetchKind::image ? kMaxImageBytes : options.max_bytes;
        t.allow_private = options.allow_private;
        t.is_private = &options.is_private;
        char error[CURL_ERROR_SIZE] = "";
        curl_slist* header_list = nullptr;
        auto add_header = [&](const std::string& h) {
            if (curl_slist* l = curl_slist_append(header_list, h.c_str())) header_list = l;
        };
        if (revalidate) {
            if (!revalidate->etag.empty()) add_header("If-None-Match: " + revalidate->etag);
            if (!revalidate->last_modified.empty()) add_header("If-Modified-Since: " + revalidate->last_modified);
        }
        add_header(kind == FetchKind::image
                       ? "Accept: image/avif,image/webp,image/png,image/jpeg,image/gif,image/svg+xml;q=0.9,*/*;q=0.5"
                       : "Accept: text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,"
                         "text/plain;q=0.8,*/*;q=0.5");
        std::unique_ptr<curl_slist, ListDeleter> headers(header_list);

        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // followed by fetch(), checked
        curl_easy_setopt(curl, CURLOPT_PROXY, "");           // no proxy: each address is checked
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);        // threads
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes
        curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
        if (!referer.empty()) curl_easy_setopt(curl, CURLOPT_REFERER, referer.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
        const double connect_seconds = std::min(options.connect_timeout_seconds, seconds);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::max(1L, static_cast<long>(connect_seconds * 1000)));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, std::max(1L, static_cast<long>(seconds * 1000)));
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t.max_bytes));
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &t);

        {
            const Clock::time_point start = Clock::now();
            reply.code = curl_easy_perform(curl);
            // ended before the request's own timer could have: the connect timeout did
            if (reply.code == CURLE_OPERATION_TIMEDOUT &&
                std::chrono::duration<double>(Clock::now() - start).count() + kTimerSlackSeconds < seconds) {
                reply.connect_seconds = connect_seconds;
                reply.input_deadline = false;
            }
        }
        reply.curl_error = error[0] ? error : curl_easy_strerror(reply.code);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (status) reply.status = status;
        char* location = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
            reply.location = location;
        // A successful reply with an empty body never reached on_body's check.
        if (reply.code == CURLE_OK && !t.type_checked && reply.status >= 200 && reply.status < 300 &&
            !acceptable_type(kind, reply.media_type))
            reply.refused_type = reply.media_type;
        return reply;
    }

    // One URL, retried on 429, 503 and dropped connections.
    Reply request(CURL* curl, const std::string& asked, const std::string& url, FetchKind kind,
                  const std::string& referer, const fetch::CachedReply* revalidate,
                  const std::optional<Clock::time_point>& deadline) {
        double backoff = fetch::kRetryBackoffSeconds;
        for (int attempt = 1;; ++attempt) {
            Reply reply = perform(curl, url, kind, referer, revalidate, deadline);
            bool last = attempt >= fetch::kMaxAttempts;
            double wait = backoff;
            if (reply.code == CURLE_OK && (reply.status == 429 || reply.status == 503)) {
                if (reply.retry_after) {
                    if (*reply.retry_after > fetch::kMaxRetryAfterSeconds)
                        throw Error(ErrorKind::io, asked, 0,
                                    status_text(reply) + ", retry after " + seconds_text(*reply.retry_after) +
                                        " s: longer than the " + seconds_text(fetch::kMaxRetryAfterSeconds) +
                                        " s dconv waits");
                    wait = *reply.retry_after;
                }
            } else if (!transient(reply.code) || !reply.refused_address.empty()) {
                return reply;
            }
            if (last) return reply;
            if (deadline && Clock::now() + std::chrono::duration<double>(wait) >= *deadline)
                throw Error(ErrorKind::limit, asked, 0,
                            status_text_or_error(reply) + ", and no time left to try again within " +
                                seconds_text(options.input_timeout_seconds) + " s (--timeout)");
            std::this_thread::sleep_for(std::chrono::duration<double>(wait));
            backoff *= 2;
        }
    }

    // "the 1.4 s left of the input's --timeout (3 s, the time one input may take)", or
    // "... left before its deadline" for a DeadlineScope of a program's own; "less than
    // 0.1 s left ..." for under a tenth, which the tenths would round to 0 or up.
    std::string time_left_text(double left) const {
        std::string s = left < 0.1 ? std::string("less than 0.1 s left ")
                                   : "the " + seconds_text(std::round(left * 10) / 10) + " s left ";
        if (options.input_timeout_seconds <= 0) return s + "before its deadline";
        return s + "of the input's --timeout (" + seconds_text(options.input_timeout_seconds) +
               " s, the time one input may take)";
    }

    static std::string status_text_or_error(const Reply& r) {
        return r.code == CURLE_OK ? status_text(r) : r.curl_error;
    }

    static std::string status_text(const Reply& r) {
        std::string s = "HTTP " + std::to_string(r.status);
        if (!r.reason.empty()) s += " " + r.reason;
        return s;
    }

    // The error for a transfer that did not complete.
    // `allowed`: the seconds the fetch had from its start to its deadline.
    [[noreturn]] void fail(const std::string& asked, const std::string& url, const Reply& r,
                           FetchKind kind, int redirects, double allowed) const {
        std::string where = url == asked ? std::string() : " (redirected to " + url + ")";
        if (!r.refused_address.empty()) {
            std::string host = host_of(url);
            std::string what = redirects > 0 ? "redirected to " + url + ", whose host " + host
                                             : host;
            throw Error(ErrorKind::input, asked, 0,
                        what + " has the private or local address " + r.refused_address +
                            ": not fetched (--allow-private allows it)");
        }
        if (!r.refused_type.empty())
            throw Error(ErrorKind::input, asked, 0,
                        std::string(kind == FetchKind::image ? "not an image" : "not a web page") + ": the server sent " +
                            r.refused_type + where + (kind == FetchKind::image ? "" : "; dconv converts HTML, text, Markdown and feeds"));
        if (r.over_size || r.code == CURLE_FILESIZE_EXCEEDED) {
            std::size_t cap = kind == FetchKind::image ? kMaxImageBytes : options.max_bytes;
            throw Error(ErrorKind::limit, asked, 0,
                        "reply larger than " + std::to_string(cap >> 20 ? cap >> 20 : cap) +
                            (cap >> 20 ? " MiB" : " bytes") + where + ", not fetched");
        }
        if (r.code == CURLE_OPERATION_TIMEDOUT && r.connect_seconds > 0)
            throw Error(ErrorKind::limit, asked, 0,
                        "no connection within " + seconds_text(r.connect_seconds) + " s" + where + ": " +
                            r.curl_error);
        if (r.no_free_slot) throw Error(ErrorKind::limit, asked, 0, r.curl_error + where);
        // the whole --timeout when the fetch began the input (a page given), else what
        // its input had left of it (an image's, a feed's article's)
        if (r.code == CURLE_OPERATION_TIMEDOUT && r.input_deadline &&
            (options.input_timeout_seconds <= 0 || allowed + kTimerSlackSeconds < options.input_timeout_seconds))
            throw Error(ErrorKind::limit, asked, 0,
                        "no complete reply within " + time_left_text(allowed) + where + ": " + r.curl_error);
        if (r.code == CURLE_OPERATION_TIMEDOUT && r.input_deadline)
            throw Error(ErrorKind::limit, asked, 0,
                        "no complete reply within " + seconds_text(options.input_timeout_seconds) + " s" + where +
                            " (--timeout, the time one input may take): " + r.curl_error);
        if (r.code == CURLE_OPERATION_TIMEDOUT)
            throw Error(ErrorKind::limit, asked, 0,
                        "no complete reply within " + seconds_text(options.timeout_seconds) + " s" + where +
                            " (--fetch-timeout): " + r.curl_error);
        if (r.code == CURLE_PEER_FAILED_VERIFICATION || r.code == CURLE_SSL_CONNECT_ERROR ||
            r.code == CURLE_SSL_CACERT_BADFILE || r.code == CURLE_SSL_CERTPROBLEM)
            throw Error(ErrorKind::io, asked, 0, "TLS with " + host_of(url) + " failed: " + r.curl_error);
        if (r.code == CURLE_UNSUPPORTED_PROTOCOL)
            throw Error(ErrorKind::input, asked, 0, "only http and https URLs are fetched" + where);
        if (r.code == CURLE_BAD_CONTENT_ENCODING)  // libcurl's words alone puzzled a trial user
            throw Error(ErrorKind::io, asked, 0,
                        "the server sent a compressed reply" + where +
                            " that does not decompress: damaged, or not in the Content-Encoding it names (" +
                            r.curl_error + ")");
        if (r.code != CURLE_OK) throw Error(ErrorKind::io, asked, 0, r.curl_error + where);
        throw Error(ErrorKind::io, asked, 0, status_text(r) + where);
    }

    FetchResult fetch(const std::string& asked, FetchKind kind, const std::string& referer, double spent) {
        if (!is_web_url(asked))
            throw Error(ErrorKind::input, asked, 0, "only http and https URLs are fetched");
        if (asked.size() > fetch::kMaxUrlBytes)
            throw Error(ErrorKind::limit, asked.substr(0, 100) + "...", 0,
                        "URL longer than " + std::to_string(fetch::kMaxUrlBytes) + " bytes, not fetched");
        std::optional<fetch::CachedReply> kept;
        if (cache) kept = cache->load(asked);

        const Clock::time_point start = Clock::now();
        std::optional<Clock::time_point> deadline;
        if (options.input_timeout_seconds > 0)
            deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                   std::max(0.0, options.input_timeout_seconds - spent)));
        // the input's own deadline, when the fetch is part of its conversion (an image's)
        const std::optional<Clock::time_point> input = thread_deadline();
        if (input && (!deadline || *input < *deadline)) deadline = input;
        const double allowed = deadline ? std::chrono::duration<double>(*deadline - start).count() : 0.0;
        std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
        if (!curl) throw Error(ErrorKind::internal, asked, 0, "libcurl could not start a transfer");
        std::string url = asked;
        for (int redirects = 0;;) {
            const fetch::CachedReply* revalidate = kept && kept->final_url == url ? &*kept : nullptr;
            Reply r = request(curl.get(), asked, url, kind, referer, revalidate, deadline);
            if (r.code == CURLE_OK && is_redirect(r.status)) {
                if (r.location.empty())
                    throw Error(ErrorKind::io, asked, 0, status_text(r) + " without a Location to go to");
                if (!is_web_url(r.location))
                    throw Error(ErrorKind::input, asked, 0,
                                "redirected to " + r.location + ": only http and https URLs are fetched");
                if (r.location.size() > fetch::kMaxUrlBytes)
                    throw Error(ErrorKind::limit, asked, 0,
                                "redirected to a URL longer than " + std::to_string(fetch::kMaxUrlBytes) +
                                    " bytes, not followed");
                if (++redirects > fetch::kMaxRedirects)
                    throw Error(ErrorKind::limit, asked, 0,
                                "more than " + std::to_string(fetch::kMaxRedirects) + " redirects, not followed");
                url = r.location;
                continue;
            }
            if (r.code == CURLE_OK && r.status == 304 && revalidate) return from_cache(std::move(*kept), "");
            if (r.code != CURLE_OK && kept && r.refused_address.empty() && r.refused_type.empty() &&
                !r.over_size && unreachable(r.code))
                return from_cache(std::move(*kept), "server unreachable (" + r.curl_error + "): the cached copy of " +
                                                        asked + " is used");
            if (r.code != CURLE_OK || !r.refused_type.empty() || r.over_size || !r.refused_address.empty() ||
                r.status < 200 || r.status >= 300) {
                // stopped by the input's deadline: its time is spent, though the timer may
                // have woken a hair before it (the image fetcher only warns of its failure).
                // Not a connect timeout that came first: the input has time left.
                if (r.code == CURLE_OPERATION_TIMEDOUT && r.input_deadline && input && deadline == input &&
                    Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(kTimerSlackSeconds)) >= *input)
                    deadline_reached();
                fail(asked, url, r, kind, redirects, allowed);
            }
            FetchResult result;
            result.url = asked;
            result.final_url = url;
            result.media_type = std::move(r.media_type);
            result.charset = std::move(r.charset);
            result.body = std::move(r.body);
            count(kind, result.body.size(), false);
            if (cache) {
                fetch::CachedReply entry{asked, result.final_url, result.media_type, result.charset,
                                         r.etag, r.last_modified, result.body};
                try {
                    cache->store(entry);
                } catch (const Error& e) {  // the page is here: a cache that cannot keep it only warns
                    result.warning = "not kept in the cache: " + e.file() + ": " + e.message();
                }
            }
            return result;
        }
    }

    FetchResult from_cache(fetch::CachedReply kept, std::string warning) {
        FetchResult result;
        result.url = std::move(kept.url);
        result.final_url = std::move(kept.final_url);
        result.media_type = std::move(kept.media_type);
        result.charset = std::move(kept.charset);
        result.body = std::move(kept.body);
        result.from_cache = true;
        result.warning = std::move(warning);
        return result;
    }

    void count(FetchKind kind, std::size_t bytes, bool failed) {
        std::lock_guard lock(stats_mutex);
        if (failed) {
            ++stats.failures;
            return;
        }
        ++(kind == FetchKind::image ? stats.images : stats.pages);
        stats.bytes += bytes;
    }
};

RemoteFetcher remote_image_fetcher(Fetcher& fetcher, std::string page_url) {
    return [&fetcher, referer = std::move(page_url)](const std::string& url, Diagnostics& diag) -> std::optional<std::string> {
        try {
            FetchResult image = fetcher.fetch(url, FetchKind::image, referer);
            if (!image.warning.empty()) diag.warn("resources", image.warning);
            return std::move(image.body);
        } catch (const Error& e) {
            diag.warn("resources", "image " + url + " not fetched: " + e.message() + "; its alt text is kept");
            return std::nullopt;
        }
    };
}

std::string user_agent() {
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    return std::string("dconv/") + DCONV_VERSION + " (+libcurl/" + (info ? info->version : "?") + ")";
}

Fetcher::Fetcher(FetchOptions options) : state_(std::make_unique<State>()) {
    // curl_global_init is not thread-safe: the first Fetcher, made before any worker
    // starts, does it once for the process.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    state_->options = std::move(options);
    if (state_->options.timeout_seconds <= 0) state_->options.timeout_seconds = fetch::kDefaultTimeoutSeconds;
    if (!state_->options.cache_dir.empty()) state_->cache.emplace(state_->options.cache_dir);
    state_->user_agent = user_agent();
}

Fetcher::~Fetcher() = default;

FetchResult Fetcher::fetch(const std::string& url, FetchKind kind, const std::string& referer, double spent_seconds) {
    try {
        const double waited_before = host_wait_seconds;
        FetchResult result = state_->fetch(url, kind, referer, spent_seconds);
        result.host_wait_seconds = host_wait_seconds - waited_before;
        return result;
    } catch (const Error&) {
        state_->count(kind, 0, true);
        throw;
    }
}

FetchStats Fetcher::stats() const {
    std::lock_guard lock(state_->stats_mutex);
    return state_->stats;
}

const FetchOptions& Fetcher::options() const { return state_->options; }

}  // namespace dconv
