// fetch_test.cpp: dconv::Fetcher against the local test server (support/fetch_server.py,
// started and stopped here), feeds, and the address, URL and naming helpers: one case
// per behaviour of fetch.hpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dconv/convert.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/fetch.hpp"
#include "dconv/limits.hpp"
#include "fetch/feed.hpp"
#include "fetch/naming.hpp"
#include "support/test_files.hpp"
#include "support/test_server.hpp"

namespace fs = std::filesystem;
using dconv::Error;
using dconv::ErrorKind;
using dconv::FetchKind;
using dconv::FetchOptions;
using dconv::Fetcher;

namespace {

dconv::testing::TestServer& server() {
    static dconv::testing::TestServer s;
    return s;
}

// The tests' server is on the loopback: allowed, as `--allow-private` does.
FetchOptions local() {
    FetchOptions o;
    o.allow_private = true;
    return o;
}

// What the server saw: {"counts": {path: n}, "headers": {path: {name: value}}}.
nlohmann::json stats() {
    Fetcher f(local());
    return nlohmann::json::parse(f.fetch(server().url("/stats"), FetchKind::page).body);
}

// The message of the dconv::Error that `fetch` throws (fails the test if none).
template <class F>
Error error_of(F fetch) {
    try {
        fetch();
    } catch (const Error& e) {
        return e;
    }
    FAIL("no error thrown");
    throw;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

// ------------------------------------------------------------------------------ pages

TEST_CASE("a page is fetched with its type, charset and final URL") {
    Fetcher f(local());
    auto page = f.fetch(server().url("/article.html"), FetchKind::page);
    CHECK(page.body.find("<title>A Walk Along the Harbour Wall</title>") != std::string::npos);
    CHECK(page.media_type == "text/html");
    CHECK(page.charset == "utf-8");
    CHECK(page.final_url == server().url("/article.html"));
    CHECK_FALSE(page.from_cache);
}

TEST_CASE("redirects are followed, relative ones too, and the final URL is kept") {
    Fetcher f(local());
    auto page = f.fetch(server().url("/redirect"), FetchKind::page);
    CHECK(page.url == server().url("/redirect"));
    CHECK(page.final_url == server().url("/article.html"));
}

TEST_CASE("a redirect loop stops at kMaxRedirects") {
    Fetcher f(local());
    Error e = error_of([&] { f.fetch(server().url("/redirect-loop"), FetchKind::page); });
    CHECK(e.kind() == ErrorKind::limit);
    CHECK(e.file() == server().url("/redirect-loop"));
    CHECK(e.message() == "more than " + std::to_string(dconv::fetch::kMaxRedirects) + " redirects, not followed");
}

TEST_CASE("a redirect to a URL over kMaxUrlBytes is not followed") {
    Fetcher f(local());
    Error e = error_of([&] { f.fetch(server().url("/redirect-long"), FetchKind::page); });
    CHECK(e.kind() == ErrorKind::limit);
    CHECK(e.message() == "redirected to a URL longer than 8192 bytes, not followed");
}

TEST_CASE("a redirect to file: is refused, naming it") {
    Fetcher f(local());
    Error e = error_of([&] { f.fetch(server().url("/redirect-file"), FetchKind::page); });
    CHECK(e.file() == server().url("/redirect-file"));
    CHECK(e.message() == "redirected to file:///etc/passwd: only http and https URLs are fetched");
}

TEST_CASE("a URL other than http or https is refused before any request") {
    Fetcher f(local());
    Error e = error_of([&] { f.fetch("file:///etc/passwd", FetchKind::page); });
    CHECK(e.message() == "only http and https URLs are fetched");
}

TEST_CASE("a redirect from a public address to a private one is refused at connection time") {
    // 127.0.0.1 plays a public server; every other address is private.
    FetchOptions o;
    o.is_private = [](const std::string& address) { return address != "127.0.0.1"; };
    Fetcher f(o);
    CHECK(f.fetch(server().url("/article.html"), FetchKind::page).body.size() > 0);
    Error e = error_of([&] { f.fetch(server().url("/redirect-private"), FetchKind::page); });
    CHECK(e.kind() == ErrorKind::input);
    CHECK(e.message() == "redirected to http://127.0.0.2:" + std::to_string(server().port()) +
                             "/article.html, whose host 127.0.0.2 has the private or local address "
                             "127.0.0.2: not fetched (--allow-private allows it)");
}

TEST_CASE("without allow_private the loopback is not reached") {
    Fetcher f(FetchOptions{});
    Error e = error_of([&] { f.fetch(server().url("/article.html"), FetchKind::page); });
    CHECK(e.message() == "127.0.0.1 has the private or local address 127.0.0.1: not fetched "
                         "(--allow-private allows it)");
}

TEST_CASE("a slow reply fails after the timeout, naming the URL") {
    FetchOptions o = local();
    o.timeout_seconds = 0.5;
    Fetcher f(o);
    auto start = std::chrono::steady_clock::now();
    Error e = error_of([&] { f.fetch(server().url("/slow"), FetchKind::page); });
    CHECK(seconds_since(start) < 3);
    CHECK(e.kind() == ErrorKind::limit);
    CHECK(e.file() == server().url("/slow"));
    CHECK(e.message().starts_with("no complete reply within 0.5 s (--fetch-timeout)"));
}

TEST_CASE("a host that never accepts fails at the connect timeout, the input's deadline not spent") {
    // a listening socket whose backlog is full: the kernel drops further connection
    // attempts, so the connect never completes. Every timeout of a fetch made under an
    // input's --timeout counted as that deadline passed: a page whose image host never
    // answered failed at 15 s with "took longer than 40 s".
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 0) == 0);
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    std::vector<int> fillers;
    for (int k = 0; k < 4; ++k) {  // never accepted: they fill the backlog
        int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ::connect(c, reinterpret_cast<sockaddr*>(&address), sizeof address);
        fillers.push_back(c);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/chart.png";
    FetchOptions o = local();
    o.connect_timeout_seconds = 0.4;
    Fetcher f(o);
    {
        dconv::DeadlineScope deadline(20, "page.html");
        auto start = std::chrono::steady_clock::now();
        Error e = error_of([&] { f.fetch(url, FetchKind::image, "http://127.0.0.1/page.html"); });
        CHECK(seconds_since(start) < 10);
        CHECK(e.kind() == ErrorKind::limit);
        CHECK(e.message().starts_with("no connection within 0.4 s: "));
        CHECK_NOTHROW(dconv::check_deadline());  // the page has 19 s left
    }
    for (int c : fillers) ::close(c);
    ::close(listener);
}

TEST_CASE("a 404 is an error with its status") {
    Fetcher f(local());
    Error e = error_of([&] { f.fetch(server().url("/missing"), FetchKind::page); });
    CHECK(e.kind() == ErrorKind::io);
    CHECK(e.message() == "HTTP 404 Not Found");
}

TEST_CASE("a 503 is retried after its Retry-After") {
    Fetcher f(local());
    auto start = std::chrono::steady_clock::now();
    auto page = f.fetch(server().url("/flaky?case=503"), FetchKind::page);
    CHECK(page.body.find("Harbour Wall") != std::string::npos);
    CHECK(seconds_since(start) >= 0.9);  // Retry-After: 1 was honoured
    CHECK(stats()["counts"]["/flaky?case=503"] == 2);
}

TEST_CASE("a 429 without Retry-After is retried after the backoff") {
    Fetcher f(local());
    auto start = std::chrono::steady_clock::now();
    auto page = f.fetch(server().url("/too-many?case=429"), FetchKind::page);
    CHECK(page.body.find("Harbour Wall") != std::string::npos);
    CHECK(seconds_since(start) >= dconv::fetch::kRetryBackoffSeconds * 0.9);
    CHECK(stats()["counts"]["/too-many?case=429"] == 2);
}

TEST_CASE("a Retry-After beyond kMaxRetryAfterSeconds is not waited for") {
    Fetcher f(local());
    auto start = std::chrono::steady_clock::now();
    Error e = error_of([&] { f.fetch(server().url("/busy-long"), FetchKind::page); });
    CHECK(seconds_since(start) < 2);
    CHECK(e.message() == "HTTP 503 Service Unavailable, retry after 3600 s: longer than the 30 s dconv waits");
}

TEST_CASE("a reset connection is retried") {
    Fetcher f(local());
    auto page = f.fetch(server().url("/reset?case=1"), FetchKind::page);
    CHECK(page.body.find("Harbour Wall") != std::string::npos);
    CHECK(stats()["counts"]["/reset?case=1"] == 2);
}

TEST_CASE("gzip and deflate replies are decoded") {
    Fetcher f(local());
    CHECK(f.fetch(server().url("/gzip.html"), FetchKind::page).body.find("<title>A Compressed Page</title>") !=
          std::string::npos);
    CHECK(f.fetch(server().url("/deflate.html"), FetchKind::page).body.find("<title>A Deflated Page</title>") !=
          std::string::npos);
    CHECK(stats()["headers"]["/gzip.html"]["Accept-Encoding"].get<std::string>().find("gzip") != std::string::npos);
}

TEST_CASE("a compressed reply that does not decompress is refused in plain words, libcurl's kept") {
    Fetcher f(local());
    Error e = error_of([&] { f.fetch(server().url("/bad-gzip.html"), FetchKind::page); });
    CHECK(e.file() == server().url("/bad-gzip.html"));
    CHECK(e.message().starts_with("the server sent a compressed reply that does not decompress: damaged, or "
                                  "not in the Content-Encoding it names ("));
}

TEST_CASE("the charset of the Content-Type is reported, the bytes left as sent") {
    Fetcher f(local());
    auto page = f.fetch(server().url("/gbk.html"), FetchKind::page);
    CHECK(page.charset == "GBK");
    CHECK(page.body.find("\xB8\xDB\xBF\xDA") != std::string::npos);  // 港口 in GBK
}

TEST_CASE("a reply announced larger than the cap is refused before its body") {
    Fetcher f(local());
    auto start = std::chrono::steady_clock::now();
    Error e = error_of([&] { f.fetch(server().url("/huge"), FetchKind::page); });
    CHECK(seconds_since(start) < 2);
    CHECK(e.kind() == ErrorKind::limit);
    CHECK(e.message() == "reply larger than 32 MiB, not fetched");
}

TEST_CASE("a reply without a length is stopped at the cap") {
    FetchOptions o = local();
    o.max_bytes = 1 << 20;
    Fetcher f(o);
    Error e = error_of([&] { f.fetch(server().url("/huge-chunked"), FetchKind::page); });
    CHECK(e.kind() == ErrorKind::limit);
    CHECK(e.message() == "reply larger than 1 MiB, not fetched");
}

TEST_CASE("a reply that is not a web page is refused") {
    Fetcher f(local());
    Error e = error_of([&] { f.fetch(server().url("/doc.pdf"), FetchKind::page); });
    CHECK(e.kind() == ErrorKind::input);
    CHECK(e.message() == "not a web page: the server sent application/pdf; dconv converts HTML, text, Markdown and feeds");
}

TEST_CASE("an image must be an image, and is fetched with a Referer") {
    Fetcher f(local());
    auto png = f.fetch(server().url("/img/one.png"), FetchKind::image, server().url("/article.html"));
    CHECK(png.media_type == "image/png");
    CHECK(png.body.starts_with("\x89PNG"));
    CHECK(stats()["headers"]["/img/one.png"]["Referer"] == server().url("/article.html"));
    Error e = error_of([&] { f.fetch(server().url("/article.html"), FetchKind::image); });
    CHECK(e.message() == "not an image: the server sent text/html");
}

TEST_CASE("a page's images come through the fetcher with the page as Referer, a failed one keeps its alt text") {
    // The hook of resources.hpp, on a Markdown text standing for a page at /article.html.
    Fetcher f(local());
    const std::string page = server().url("/article.html");
    dconv::ReadOptions read;
    read.format = "markdown";
    read.source_name = "notes.md";
    read.resources.base = page;
    read.resources.fetch_remote = dconv::remote_image_fetcher(f, page);
    dconv::Diagnostics diag;
    dconv::Document doc = dconv::read_document(
        "# Images\n\n![The wall](img/one.png)\n\n![The lighthouse](/img/two.jpg?x=1)\n\n"
        "![Gone](img/missing.png)\n\n![A page](article.html)\n",
        read, diag);
    REQUIRE(doc.resources.size() == 2);
    std::vector<std::string> types;
    for (const auto& [key, resource] : doc.resources) types.push_back(resource->media_type);
    std::sort(types.begin(), types.end());
    CHECK(types == std::vector<std::string>{"image/jpeg", "image/png"});
    CHECK(stats()["headers"]["/img/two.jpg?x=1"]["Referer"] == page);
    std::string warnings;
    for (const auto& d : diag.items()) warnings += d.reason + "\n";
    CHECK_THAT(warnings, Catch::Contains("image " + server().url("/img/missing.png") +
                                        " not fetched: HTTP 404 Not Found; its alt text is kept"));
    CHECK_THAT(warnings, Catch::Contains("image " + page + " not fetched: not an image: the server sent text/html"));
    CHECK(f.stats().images == 2);
}

TEST_CASE("the User-Agent names dconv and its version") {
    Fetcher f(local());
    std::string headers = f.fetch(server().url("/headers"), FetchKind::page).body;
    CHECK(headers.find("User-Agent: " + dconv::user_agent() + "\n") != std::string::npos);
    CHECK(dconv::user_agent().starts_with("dconv/" DCONV_VERSION " (+libcurl/"));
}

TEST_CASE("no more than kMaxRequestsPerHost requests are in flight to one host") {
    dconv::testing::TestServer own;  // its own count of requests in flight
    Fetcher f(local());
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&, i] { f.fetch(own.url("/concurrent?i=" + std::to_string(i)), FetchKind::page); });
    for (auto& t : threads) t.join();
    auto seen = nlohmann::json::parse(f.fetch(own.url("/stats"), FetchKind::page).body);
    CHECK(seen["max_in_flight"] == dconv::fetch::kMaxRequestsPerHost);
    CHECK(f.stats().pages == 7);
}

TEST_CASE("an image's wait for a busy host ends at its input's deadline") {
    // the wait for a free slot ignored the deadline: an image of a page under --timeout
    // waited for the host's slow requests, then was given the time left before the wait
    dconv::testing::TestServer own;
    Fetcher f(local());
    std::vector<std::thread> holders;
    for (int i = 0; i < dconv::fetch::kMaxRequestsPerHost; ++i)  // 1.6 s each, both slots
        holders.emplace_back([&, i] { f.fetch(own.url("/slow-text.html?" + std::to_string(i)), FetchKind::page); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    {
        dconv::DeadlineScope deadline(0.4, "page.html");
        auto start = std::chrono::steady_clock::now();
        Error e = error_of([&] { f.fetch(own.url("/img/one.png"), FetchKind::image); });
        CHECK(seconds_since(start) < 1.0);  // the slots free after about 1.3 s
        CHECK(e.kind() == ErrorKind::limit);
        // what ran out is named: the time left when the wait began, not a whole --timeout
        // ("no complete reply within 0 s (--timeout...)" before: none was given here)
        // the wait begins a moment after the scope: 0.4 s left, or 0.3 on a loaded machine
        const std::string busy = "no free connection to 127.0.0.1 (" +
                                 std::to_string(dconv::fetch::kMaxRequestsPerHost) + " at a time) within the ";
        const std::string rest = " s left before its deadline";
        CHECK((e.message() == busy + "0.4" + rest || e.message() == busy + "0.3" + rest));
        CHECK_THROWS(dconv::check_deadline());  // its time is spent
    }
    {
        // under 0.1 s left: said so, not rounded up to "the 0.1 s left" (the slots are
        // still held, for about 0.9 s more)
        dconv::DeadlineScope deadline(0.04, "page.html");
        Error e = error_of([&] { f.fetch(own.url("/img/one.png"), FetchKind::image); });
        CHECK(e.kind() == ErrorKind::limit);
        CHECK(e.message() == "no free connection to 127.0.0.1 (" + std::to_string(dconv::fetch::kMaxRequestsPerHost) +
                                 " at a time) within less than 0.1 s left before its deadline");
    }
    for (auto& t : holders) t.join();
}

TEST_CASE("the fetcher counts pages, images, bytes and failures") {
    Fetcher f(local());
    f.fetch(server().url("/article.html"), FetchKind::page);
    f.fetch(server().url("/img/two.jpg"), FetchKind::image);
    CHECK_THROWS(f.fetch(server().url("/missing"), FetchKind::page));
    dconv::FetchStats s = f.stats();
    CHECK(s.pages == 1);
    CHECK(s.images == 1);
    CHECK(s.failures == 1);
    CHECK(s.bytes > 1000);
}

TEST_CASE("TLS certificates are verified, the error names the host and the reason") {
    // A certificate no authority signed, made for this test (openssl, from tools/setup.sh).
    fs::path dir = dconv::testing::fresh_dir("fetch-tls");
    std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
    std::string make = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout '" + key +
                       "' -out '" + cert + "' >/dev/null 2>&1";
    REQUIRE(std::system(make.c_str()) == 0);
    dconv::testing::TestServer tls(cert, key);
    Fetcher f(local());
    Error e = error_of([&] { f.fetch(tls.url("/article.html"), FetchKind::page); });
    CHECK(e.kind() == ErrorKind::io);
    CHECK(e.file() == tls.url("/article.html"));
    CHECK(e.message() == "TLS with 127.0.0.1 failed: SSL certificate problem: self-signed certificate");
    fs::remove_all(dir);
}

// ------------------------------------------------------------------------------ cache

TEST_CASE("the cache revalidates with the ETag, and stands in for a server that is gone") {
    fs::path dir = dconv::testing::fresh_dir("fetch-cache");
    dconv::testing::TestServer own;  // stopped below
    FetchOptions o = local();
    o.cache_dir = (dir / "cache").string();
    std::string url = own.url("/etag.html");
    std::string first;
    {
        Fetcher f(o);
        auto page = f.fetch(url, FetchKind::page);
        CHECK_FALSE(page.from_cache);
        first = page.body;
    }
    {
        Fetcher f(o);
        auto page = f.fetch(url, FetchKind::page);  // If-None-Match: "v1" → 304
        CHECK(page.from_cache);
        CHECK(page.warning.empty());
        CHECK(page.body == first);
        CHECK(page.final_url == url);
    }
    own.stop();
    Fetcher f(o);
    auto page = f.fetch(url, FetchKind::page);
    CHECK(page.from_cache);
    CHECK(page.body == first);
    CHECK(page.warning.find("server unreachable") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("the cache revalidates with Last-Modified when there is no ETag") {
    fs::path dir = dconv::testing::fresh_dir("fetch-cache-lastmod");
    FetchOptions o = local();
    o.cache_dir = (dir / "cache").string();
    std::string url = server().url("/lastmod.html?case=1");
    CHECK_FALSE(Fetcher(o).fetch(url, FetchKind::page).from_cache);
    CHECK(Fetcher(o).fetch(url, FetchKind::page).from_cache);  // 304
    CHECK(stats()["headers"]["/lastmod.html?case=1"]["If-Modified-Since"] == "Tue, 02 Jan 2024 00:00:00 GMT");
    CHECK(stats()["counts"]["/lastmod.html?case=1"] == 2);
    fs::remove_all(dir);
}

TEST_CASE("a cache that cannot be written only warns") {
    fs::path dir = dconv::testing::fresh_dir("fetch-cache-file");
    std::ofstream(dir / "not-a-folder") << "x";
    FetchOptions o = local();
    o.cache_dir = (dir / "not-a-folder").string();
    Fetcher f(o);
    auto page = f.fetch(server().url("/article.html"), FetchKind::page);
    CHECK(page.body.find("Harbour Wall") != std::string::npos);
    CHECK(page.warning.starts_with("not kept in the cache: "));
    fs::remove_all(dir);
}

TEST_CASE("without a cache, a stopped server is an error") {
    dconv::testing::TestServer own;
    std::string url = own.url("/article.html");
    own.stop();
    Fetcher f(local());
    Error e = error_of([&] { f.fetch(url, FetchKind::page); });
    CHECK(e.kind() == ErrorKind::io);
    CHECK(e.file() == url);
}

// ------------------------------------------------------------------------------ helpers

TEST_CASE("private and local addresses") {
    for (const char* a : {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                          "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
                          "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1",
                          "::ffff:10.1.2.3", "64:ff9b::a00:1", "ff02::1", "localhost", ""})
        CHECK(dconv::is_private_address(a));
    for (const char* a : {"8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                          "::ffff:8.8.8.8", "64:ff9b::808:808"})
        CHECK_FALSE(dconv::is_private_address(a));
}

TEST_CASE("url_identity: scheme and host in any case, path, query and user as written") {
    using dconv::url_identity;
    CHECK(url_identity("HTTP://Example.COM/a") == url_identity("http://example.com/a"));
    CHECK(url_identity("HTTPS://Example.com:8080/a?q=B#C") == "https://example.com:8080/a?q=B#C");
    CHECK(url_identity("http://example.com/A") != url_identity("http://example.com/a"));
    CHECK(url_identity("http://Ed@Example.com/") == "http://Ed@example.com/");
    CHECK(url_identity("http://example.com") == "http://example.com");
}

TEST_CASE("relative links made absolute") {
    const std::string base = "https://example.org/news/2024/pier.html?x=1";
    CHECK(dconv::absolute_url(base, "img/a.png") == "https://example.org/news/2024/img/a.png");
    CHECK(dconv::absolute_url(base, "/about") == "https://example.org/about");
    CHECK(dconv::absolute_url(base, "../older.html") == "https://example.org/news/older.html");
    CHECK(dconv::absolute_url(base, "//cdn.example.net/x.jpg") == "https://cdn.example.net/x.jpg");
    CHECK(dconv::absolute_url(base, "?page=2") == "https://example.org/news/2024/pier.html?page=2");
    CHECK(dconv::absolute_url(base, "#notes") == "#notes");
    CHECK(dconv::absolute_url(base, "mailto:ed@example.org") == "mailto:ed@example.org");
    CHECK(dconv::absolute_url(base, "http://other.example/") == "http://other.example/");
    CHECK(dconv::absolute_url("page.html", "img/a.png") == "img/a.png");  // no web base
}

// RFC 3986 §5.4: the normal and abnormal examples against its base, except the two
// references dconv leaves alone on purpose: "" (nothing to link) and "#s" (a link within
// the page stays one).
TEST_CASE("relative references resolved as RFC 3986 section 5.4 does") {
    const std::string base = "http://a/b/c/d;p?q";
    const std::pair<const char*, const char*> examples[] = {
        {"g:h", "g:h"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"}, {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"}, {"//g", "http://g"}, {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"}, {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"},
        {";x", "http://a/b/c/;x"}, {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"},
        {".", "http://a/b/c/"}, {"./", "http://a/b/c/"}, {"..", "http://a/b/"}, {"../", "http://a/b/"},
        {"../g", "http://a/b/g"}, {"../..", "http://a/"}, {"../../", "http://a/"}, {"../../g", "http://a/g"},
        // §5.4.2, abnormal
        {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
        {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."}, {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"}, {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g?y/../x", "http://a/b/c/g?y/../x"},
        {"g#s/./x", "http://a/b/c/g#s/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"}, {"http:g", "http:g"},
    };
    for (const auto& [reference, expected] : examples) {
        INFO(reference);
        CHECK(dconv::absolute_url(base, reference) == expected);
    }
    CHECK(dconv::absolute_url(base, "") == "");
    CHECK(dconv::absolute_url(base, "#s") == "#s");
}

TEST_CASE("an href's spaces are trimmed at its ends and encoded inside it") {
    CHECK(dconv::absolute_url("https://h.org/a/b", "  my file.png\n") == "https://h.org/a/my%20file.png");
    CHECK(dconv::absolute_url("https://h.org/a/", "图片/猫.jpg") == "https://h.org/a/图片/猫.jpg");
    CHECK(dconv::absolute_url("https://h.org/a/b/c?q=1", "../x/./y#f") == "https://h.org/a/x/y#f");
    CHECK(dconv::absolute_url("https://h.org", "x") == "https://h.org/x");
    CHECK(dconv::absolute_url("", "rel/path") == "rel/path");
}

TEST_CASE("web URLs") {
    CHECK(dconv::is_web_url("https://example.org/"));
    CHECK(dconv::is_web_url("HTTP://example.org/"));
    CHECK_FALSE(dconv::is_web_url("ftp://example.org/"));
    CHECK_FALSE(dconv::is_web_url("http.txt"));
}

TEST_CASE("slugs and output names") {
    using dconv::fetch::output_stem;
    using dconv::fetch::slug;
    CHECK(slug("A Walk Along the Harbour Wall") == "a-walk-along-the-harbour-wall");
    CHECK(slug("  ../../etc/passwd  ") == "etc-passwd");
    CHECK(slug("Tab\there\x01" "and\nthere") == "tab-here-and-there");
    CHECK(slug("港口的早晨: 上海") == "港口的早晨-上海");
    CHECK(slug("Ça va? Écoutez!") == "ça-va-écoutez");
    CHECK(slug("...") == "");
    CHECK(slug(std::string(200, 'a')).size() == dconv::fetch::kMaxSlugBytes);
    CHECK(output_stem("", "https://example.org/news/2024/pier-reopens.html?ref=rss") == "pier-reopens");
    CHECK(output_stem("", "https://example.org/news/caf%C3%A9-opens/") == "café-opens");
    CHECK(output_stem("", "https://example.org/") == "example-org");
    CHECK(output_stem("", "https://example.org/..") == "example-org");
    CHECK(output_stem("The Title", "https://example.org/x.html") == "the-title");
}

TEST_CASE("an RSS feed gives its articles' URLs, newest first, the newest N with a cap") {
    std::string rss = R"(<?xml version="1.0"?>
<rss version="2.0"><channel><title>T</title>
<item><title>Old</title><link>https://example.org/old.html</link><pubDate>Sat, 06 Jan 2024 10:00:00 GMT</pubDate></item>
<item><title>New</title><link>/new.html</link><pubDate>Mon, 08 Jan 2024 10:00:00 +0000</pubDate></item>
<item><title>Mid</title><guid>https://example.org/mid.html</guid><pubDate>Sun, 07 Jan 2024 10:00:00 GMT</pubDate></item>
<item><title>No link</title><pubDate>Sun, 07 Jan 2024 11:00:00 GMT</pubDate></item>
</channel></rss>)";
    CHECK(dconv::fetch::looks_like_feed(rss));
    dconv::Diagnostics diag;
    auto all = dconv::fetch::read_feed(rss, "https://example.org/feed.xml", "feed", 0, diag);
    REQUIRE(all.size() == 3);
    CHECK(all[0].url == "https://example.org/new.html");
    CHECK(all[1].url == "https://example.org/mid.html");
    CHECK(all[2].url == "https://example.org/old.html");
    CHECK(diag.warnings() == 1);  // the entry without a link
    std::string title;
    auto two = dconv::fetch::read_feed(rss, "https://example.org/feed.xml", "feed", 2, diag, &title);
    CHECK(two.size() == 2);
    CHECK(two[1].title == "Mid");
    CHECK(title == "T");  // the channel's, not an item's
}

TEST_CASE("an Atom feed gives its entries' alternate links") {
    std::string atom = R"(<?xml version="1.0" encoding="utf-8"?>
<!-- a comment first -->
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/">
<title>  The
  Blog  </title>
<entry><title>One</title><link rel="edit" href="https://example.org/edit/1"/><link href="one.html"/><updated>2024-05-01T10:00:00Z</updated></entry>
<entry><title>Two</title><link rel="alternate" href="two.html"/><published>2024-05-02T12:00:00+02:00</published></entry>
</feed>)";
    CHECK(dconv::fetch::looks_like_feed(atom));
    dconv::Diagnostics diag;
    std::string title = "stale";
    auto entries = dconv::fetch::read_feed(atom, "", "feed.atom", 0, diag, &title);
    REQUIRE(entries.size() == 2);
    CHECK(title == "The Blog");
    CHECK(entries[0].url == "https://example.org/blog/two.html");
    CHECK(entries[1].url == "https://example.org/blog/one.html");
}

TEST_CASE("Atom titles of type html and xhtml give their text not their markup") {
    std::string atom = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title type="html">Estuary &lt;em&gt;Notes&lt;/em&gt; &amp;amp; News&lt;br&gt;Weekly &amp;#8212; &amp;#x263A; &amp;bogus;</title>
<entry><title type="html">The &lt;em&gt;t&lt;/em&gt;ide mills</title><link href="https://example.org/1"/></entry>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>second</b> entry</div></title><link href="https://example.org/2"/></entry>
<entry><title>Plain &lt;kept&gt; as text</title><link href="https://example.org/3"/></entry>
</feed>)";
    dconv::Diagnostics diag;
    std::string title;
    auto entries = dconv::fetch::read_feed(atom, "", "feed.atom", 0, diag, &title);
    CHECK(title == "Estuary Notes & News Weekly \u2014 \u263A &bogus;");
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].title == "The tide mills");
    CHECK(entries[1].title == "A second entry");
    CHECK(entries[2].title == "Plain <kept> as text");  // type="text": characters, not markup
}

TEST_CASE("what is not a feed") {
    CHECK_FALSE(dconv::fetch::looks_like_feed("<!DOCTYPE html><html><body>x</body></html>"));
    CHECK_FALSE(dconv::fetch::looks_like_feed("plain text"));
    dconv::Diagnostics diag;
    Error e = error_of([&] { dconv::fetch::read_feed("<rss><channel></channel></rss>", "", "f.xml", 0, diag); });
    CHECK(e.message() == "a feed without articles to fetch");
    Error broken = error_of([&] { dconv::fetch::read_feed("<rss><channel>", "", "f.xml", 0, diag); });
    CHECK(broken.message().starts_with("not a readable feed"));
}

TEST_CASE("feed dates") {
    using dconv::fetch::parse_feed_date;
    CHECK(parse_feed_date("1970-01-02") == 86400);
    CHECK(parse_feed_date("2024-05-13T10:00:00Z") == 1715594400);
    CHECK(parse_feed_date("2024-05-13T12:00:00+02:00") == 1715594400);
    CHECK(parse_feed_date("2024-05-13T10:00:00.123Z") == 1715594400);
    CHECK(parse_feed_date("Mon, 13 May 2024 10:00:00 GMT") == 1715594400);
    CHECK_FALSE(parse_feed_date("2024-02-30").has_value());
    CHECK_FALSE(parse_feed_date("soon").has_value());
    // The day as its author dates it, in the feed's own offset: 22:00 in New York on the
    // 3rd is the 4th in UTC, and was dated the 4th.
    using dconv::fetch::feed_date_day;
    CHECK(feed_date_day("2026-03-03T22:00:00-05:00") == "2026-03-03");
    CHECK(feed_date_day("2026-03-04T01:30:00+09:00") == "2026-03-04");
    CHECK(feed_date_day("2026-03-03") == "2026-03-03");
    CHECK(feed_date_day("Tue, 03 Mar 2026 22:00:00 -0500") == "2026-03-03");
    CHECK(feed_date_day("Tue, 03 Mar 2026 22:00:00 EST") == "2026-03-03");
    CHECK(feed_date_day("Mon, 13 May 2024 10:00:00 GMT") == "2024-05-13");
    CHECK(feed_date_day("1969-12-31T23:00:00Z") == "1969-12-31");
    CHECK_FALSE(feed_date_day("soon").has_value());
}
