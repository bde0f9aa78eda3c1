// dconv/fetch.hpp: pages (and their images) from the web, politely and safely, with
// libcurl. What `dconv URL` and `dconv --input-file FILE` use; a program can too:
//
//     dconv::FetchOptions options;
//     options.cache_dir = "cache/";                  // optional: offline re-runs
//     dconv::Fetcher fetcher(options);
//     dconv::FetchResult page = fetcher.fetch("https://example.org/a.html", dconv::FetchKind::page);
//     // page.final_url, page.media_type, page.charset, page.body
//
// What a fetch does
//   - only http and https, for the URL given and for every redirect (a redirect to file:,
//     ftp:, data: ... fails); redirects are followed up to fetch::kMaxRedirects and the
//     final URL is FetchResult::final_url (a document's Meta::source);
//   - gzip, deflate and brotli replies are decoded (Accept-Encoding); HTTP/2 when the
//     server offers it over TLS; TLS certificates are verified (an error names the host
//     and libcurl's reason); proxies from the environment are not used, so that every
//     address connected to can be checked;
//   - addresses: unless allow_private, a connection to a private, loopback, link-local,
//     shared or reserved address (10/8, 127/8, 169.254/16, 172.16/12, 192.168/16,
//     100.64/10, ::1, fc00::/7, fe80::/10, ...) is refused, for the URL given and for
//     redirects and images alike. The check is made on the address each socket is about
//     to connect to (CURLOPT_OPENSOCKETFUNCTION), after resolution, so a name that
//     resolves to a public address when checked and a private one when used (DNS
//     rebinding) cannot slip through;
//   - one request has connect_timeout_seconds to connect and timeout_seconds in all,
//     and one fetch (redirects and retries included) ends within input_timeout_seconds
//     when it is set (the error says which of the two ended it);
//     a body over max_bytes (pages) or kMaxImageBytes (images), counted after
//     content decoding, is refused, by Content-Length before it is read when the server
//     gives one;
//   - 429, 503 and a reset connection are retried (fetch::kMaxAttempts in all), after the
//     server's Retry-After when it gives one (up to fetch::kMaxRetryAfterSeconds) or a
//     doubling backoff from fetch::kRetryBackoffSeconds;
//   - at most fetch::kMaxRequestsPerHost requests to one host at a time, across threads;
//   - a User-Agent naming dconv and its version ("dconv/0.1.0 (+libcurl/7.88.1)").
//   - a page must be HTML (text/html, application/xhtml+xml), plain text (text/plain,
//     read as a web page's text dump), Markdown (text/markdown) or a feed (RSS, Atom,
//     XML); anything else (a PDF,
//     an image, an archive) is refused as soon as its headers arrive, before its body is
//     read. An image must be image/*.
//
// The cache (cache_dir)
//   Every successful reply is kept in cache_dir, one file per URL asked for (named by a
//   hash of it; the file holds the URL, so a collision is only a miss), with its final
//   URL, type, charset, ETag and Last-Modified. The next fetch of that URL asks the server
//   whether it changed (If-None-Match, If-Modified-Since): 304 reuses the kept body, 200
//   replaces it. When the server cannot be reached at all (refused, unresolvable, timed
//   out), the kept reply is used, with a warning: a re-run converts offline, and since the
//   same bytes give the same output, byte-identically.
//
// Errors: dconv::Error naming the URL asked for, kind io for the network and HTTP
// statuses ("404 Not Found"), limit for the limits above, input for a refused type or a
// refused address or scheme. Thread-safe: one Fetcher serves every worker of a batch.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dconv/document.hpp"
#include "dconv/limits.hpp"
#include "dconv/resources.hpp"

namespace dconv {

struct FetchOptions {
    std::string cache_dir;       // --cache DIR; empty: no cache
    bool allow_private = false;  // --allow-private: private and loopback addresses too
    double timeout_seconds = fetch::kDefaultTimeoutSeconds;  // --fetch-timeout, per request
    // --timeout, the time one input may take: a fetch (its redirects and retries with it)
    // also ends this long after it started (less Fetcher::fetch's spent_seconds),
    // whichever of the two comes first; 0: no such limit. A fetch made under a DeadlineScope (an image's, while its page converts) ends
    // by that deadline too, and the batch counts a page's fetch at planning against its
    // input's --timeout (less FetchResult::host_wait_seconds): one input's fetches and
    // conversion share one --timeout.
    double input_timeout_seconds = 0;
    // seconds to open a connection, per request (fetch::kConnectTimeoutSeconds); tests
    // lower it to meet a host that never answers without waiting 15 s
    double connect_timeout_seconds = fetch::kConnectTimeoutSeconds;
    std::size_t max_bytes = fetch::kMaxPageBytes;            // a page's body, decoded
    // Decides which addresses are private ("127.0.0.1", "::1"); empty: the built-in ranges
    // (is_private_address). For tests that must play a public server on the loopback.
    std::function<bool(const std::string& address)> is_private;
};

enum class FetchKind {
    page,   // HTML, plain text or a feed; up to FetchOptions::max_bytes
    image,  // image/*; up to kMaxImageBytes
};

struct FetchResult {
    std::string url;         // as asked
    std::string final_url;   // after redirects
    std::string media_type;  // lower case, without parameters: "text/html"
    std::string charset;     // the Content-Type's charset parameter, or empty
    std::string body;        // decoded from gzip, deflate or brotli
    bool from_cache = false;     // the cache's copy (304, or the server unreachable)
    std::string warning;         // why the cache's copy was used when the server failed,
                                 // or why the reply could not be kept in the cache
    // the seconds it waited for a free slot to its host (fetch::kMaxRequestsPerHost), a
    // wait a batch leaves out of the input's --timeout, as it does its wait in the queue
    double host_wait_seconds = 0;
};

// Counters for the progress line and the summary, across all threads.
struct FetchStats {
    std::size_t pages = 0, images = 0, failures = 0, bytes = 0;
};

class Fetcher {
public:
    explicit Fetcher(FetchOptions options);
    ~Fetcher();
    Fetcher(const Fetcher&) = delete;
    Fetcher& operator=(const Fetcher&) = delete;

    // Fetches `url`; `referer`, when given, is sent as the Referer header (image hosts
    // refuse hot-linked images without one). Throws dconv::Error naming `url`.
    // `spent_seconds`: of the input's --timeout (FetchOptions::input_timeout_seconds),
    // what went before this fetch (a feed's own fetch, for each of its articles): the
    // fetch then ends that much sooner.
    FetchResult fetch(const std::string& url, FetchKind kind, const std::string& referer = {},
                      double spent_seconds = 0);

    FetchStats stats() const;
    const FetchOptions& options() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The hook of resources.hpp (ResourceOptions::fetch_remote) for the images of a page
// fetched from `page_url`: each image is fetched through `fetcher` (its rules, limits,
// cache and counters) with `page_url` as the Referer. An image that cannot be fetched
// (404, not an image, too large, a private address...) gives nullopt and a warning
// naming it ("image URL not fetched: REASON; its alt text is kept"): it never fails the
// page. `fetcher` must outlive the hook.
RemoteFetcher remote_image_fetcher(Fetcher& fetcher, std::string page_url);

// Every link and image source of `doc` made absolute against `base` (absolute_url), in
// notes, captions and table cells too: a fetched page's relative links lead back to its
// site from any copy of it. Nothing changes when `base` is not an http(s) URL.
void make_urls_absolute(Document& doc, const std::string& base);

// "http://..." or "https://..." (any case): an input the command fetches.
bool is_web_url(std::string_view input);

// `url` as compared to find one given twice: its scheme and host in lower case, as they
// name the same place in any case (RFC 3986 §6.2.2.1); its path, query and user
// information as written, since a server may tell them apart. Only for comparing: a URL
// is fetched and named as given.
std::string url_identity(std::string_view url);

// `href` made absolute against `base` (RFC 3986 §5.2: scheme-relative, absolute and
// relative paths with ./ and ../, a query or an empty reference); `href` itself, trimmed,
// when it has a scheme, is a fragment ("#x") or `base` is not an http(s) URL. Spaces and
// control characters in a resolved `href` are percent-encoded, as a browser does. The HTML reader
// resolves its links and image sources with it too: one resolver for the whole program.
std::string absolute_url(std::string_view base, std::string_view href);

// Whether a numeric address is one an outside page must not make dconv reach: loopback,
// private (RFC 1918, fc00::/7), link-local, shared (100.64/10), unspecified, multicast,
// reserved, and IPv4 addresses mapped into IPv6 or NAT64 that are any of these. A string
// that is not an address counts as private.
bool is_private_address(const std::string& address);

// The "User-Agent" sent: "dconv/VERSION (+libcurl/VERSION)".
std::string user_agent();

}  // namespace dconv
