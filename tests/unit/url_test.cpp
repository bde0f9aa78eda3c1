// url_test.cpp: `dconv URL...` as the web-inputs issue's "done when" states it, against the
// local test server (support/fetch_server.py, started and stopped here on 127.0.0.1):
// EPUB and PDF editions of a fetched page, feeds as books, the cache used offline, and
// every way a fetch fails naming its URL while the other inputs still convert.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_server.hpp"
#include "unit/epub_test_support.hpp"

using namespace dconv::test;
using Catch::Contains;
using Catch::StartsWith;

namespace {

const std::string kBinary = DCONV_BINARY_DIR "/dconv";

dconv::testing::TestServer& server() {
    static dconv::testing::TestServer s;
    return s;
}

struct Run {
    int status = -1;
    std::string err;
};

// Runs `dconv ARGS` in `dir` (stdout and stderr to files there).
Run dconv_in(const fs::path& dir, const std::string& args, const std::string& environment = {}) {
    std::string command = "cd '" + dir.string() + "' && " + environment + " timeout 60 '" + kBinary + "' " + args +
                          " >'" + (dir / "stdout").string() + "' 2>'" + (dir / "stderr").string() + "'";
    int raw = run_command(command);
    Run r{raw, slurp(dir / "stderr")};
    UNSCOPED_INFO("dconv " << args << "\nstatus " << r.status << "\nstderr:\n" << r.err);
    return r;
}

std::vector<std::string> files_in(const fs::path& dir) {
    std::vector<std::string> out;
    if (fs::exists(dir))
        for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string opf_of(const fs::path& epub) {
    auto entries = unzip(slurp(epub));
    const ZipEntry* opf = find_entry(entries, "OEBPS/content.opf");
    return opf ? opf->data : std::string();
}

// What the server saw (its /stats), fetched with Python's urllib (python3 runs the server).
nlohmann::json server_stats(const fs::path& dir, const dconv::testing::TestServer& server) {
    std::string command = "python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1])"
                          ".read().decode())' " + server.url("/stats") + " > '" + (dir / "stats.json").string() + "'";
    REQUIRE(run_command(command) == 0);
    return nlohmann::json::parse(slurp(dir / "stats.json"));
}

const std::string kLocalPage =
    "The Quiet Zebracorn Garden\n\n"
    "The zebracorn garden opened in the spring of 2019, after years of planning by the "
    "neighbours who live around the old railway yard. Volunteers planted more than four "
    "hundred trees, and the city agreed to maintain the paths and the benches.\n";

// A local Atom feed, titled "W", of `entries` (its <entry> elements).
std::string atom_feed(const std::string& entries) {
    return "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>W</title>" + entries +
           "</feed>\n";
}

}  // namespace

TEST_CASE("url: an EPUB of a web page passes epubcheck, is named after its title, its source the URL") {
    std::string missing = epubcheck_missing();
    INFO(missing);
    REQUIRE(missing.empty());
    fs::path dir = fresh_dir("url-epub");
    std::string url = server().url("/article.html");
    Run r = dconv_in(dir, "--allow-private --to epub " + url);
    REQUIRE(r.status == 0);
    CHECK(files_in(dir / "out") == std::vector<std::string>{"a-walk-along-the-harbour-wall.epub"});
    fs::path epub = dir / "out/a-walk-along-the-harbour-wall.epub";
    CHECK_THAT(opf_of(epub), Contains("<dc:source>" + url + "</dc:source>"));
    CHECK_THAT(opf_of(epub), Contains("<dc:title id=\"title\">A Walk Along the Harbour Wall</dc:title>"));
    EpubcheckResult check = epubcheck(epub);
    INFO(check.output);
    CHECK(check.errors == 0);
    CHECK(check.warnings == 0);
    CHECK(check.fatals == 0);
    fs::remove_all(dir);
}

TEST_CASE("url: after redirects the final URL is the source, and relative links are absolute against it") {
    fs::path dir = fresh_dir("url-links");
    Run r = dconv_in(dir, "--allow-private --to md " + server().url("/redirect"));
    REQUIRE(r.status == 0);
    std::string md = slurp(dir / "out/a-walk-along-the-harbour-wall.md");
    CHECK_THAT(md, Contains("source: \"" + server().url("/article.html") + "\""));
    CHECK_THAT(md, Contains("[the lifeguards' guide](" + server().url("/guides/lifeguards.html") + ")"));
    fs::remove_all(dir);
}

TEST_CASE("url: a feed of three articles bundles into a book of three chapters, newest first") {
    fs::path dir = fresh_dir("url-feed");
    Run r = dconv_in(dir, "--allow-private --to epub --bundle week.epub " + server().url("/feed.xml"));
    REQUIRE(r.status == 0);
    auto entries = unzip(slurp(dir / "week.epub"));
    const ZipEntry* nav = find_entry(entries, "OEBPS/nav.xhtml");
    REQUIRE(nav);
    std::vector<std::string> chapters;
    for (const NavEntry& e : epub_toc(nav->data)) chapters.push_back(e.text);
    CHECK(chapters == std::vector<std::string>{"Wednesday: The Regatta Is Planned", "Tuesday: The Market Returns",
                                               "Monday: The Pier Reopens"});
    CHECK_THAT(r.err, Contains("converted 3 of 3 inputs into week.epub"));
    // the pages give no date: the book's is its newest article's <pubDate>
    CHECK_THAT(opf_of(dir / "week.epub"), Contains(">2024-01-08</dc:date>"));
    fs::remove_all(dir);
}

TEST_CASE("url: a feed's article is dated by its entry when its page gives no date") {
    fs::path dir = fresh_dir("url-feed-dates");
    // Atom: <published>, else <updated>; an entry read from its content too
    spit(dir / "week.atom", atom_feed(
        "<entry><title>A</title><link href=\"" + server().url("/a1.html") + "\"/>"
        "<published>2024-01-06T10:00:00Z</published><updated>2024-02-01T10:00:00Z</updated></entry>"
        "<entry><title>B</title><link href=\"" + server().url("/a2.html") + "\"/>"
        "<updated>2024-01-07T23:30:00-02:00</updated></entry>"
        "<entry><title>Notes</title><content type=\"html\">&lt;p&gt;" + std::string(kLocalPage.substr(28)) +
        "&lt;/p&gt;</content><updated>2023-12-24T08:00:00Z</updated></entry>"));
    Run r = dconv_in(dir, "--allow-private --to md week.atom");
    REQUIRE(r.status == 0);
    CHECK_THAT(slurp(dir / "out" / "monday-the-pier-reopens.md"), Contains("date: \"2024-01-06\""));
    // the day in the feed's own offset, as its author dates it (in UTC it was the 8th)
    CHECK_THAT(slurp(dir / "out" / "tuesday-the-market-returns.md"), Contains("date: \"2024-01-07\""));
    CHECK_THAT(slurp(dir / "out" / "notes.md"), Contains("date: \"2023-12-24\""));
    fs::remove_all(dir);
}

TEST_CASE("url: a local Atom file stands for its articles") {
    fs::path dir = fresh_dir("url-feed-file");
    spit(dir / "week.atom", atom_feed(
        "<entry><title>A</title><link href=\"" + server().url("/a1.html") + "\"/>"
        "<updated>2024-01-06T10:00:00Z</updated></entry>"
        "<entry><title>B</title><link href=\"" + server().url("/a2.html") + "\"/>"
        "<updated>2024-01-07T10:00:00Z</updated></entry>"));
    Run r = dconv_in(dir, "--allow-private --to txt week.atom");
    REQUIRE(r.status == 0);
    CHECK(files_in(dir / "out") ==
          std::vector<std::string>{"monday-the-pier-reopens.txt", "tuesday-the-market-returns.txt"});
    fs::remove_all(dir);
}

TEST_CASE("url: a feed's entry without a link is converted from its content, titled by its title") {
    fs::path dir = fresh_dir("url-feed-linkless");
    const std::string feed = server().url("/linkless.xml");
    Run r = dconv_in(dir, "--allow-private --to md " + feed);
    REQUIRE(r.status == 0);
    CHECK(files_in(dir / "out") == std::vector<std::string>{"friday-the-ferry-timetable.md", "monday-the-pier-reopens.md",
                                                             "thursday-notes-from-the-wall.md"});
    // content:encoded, not the description; its relative link resolved against the feed
    std::string notes = slurp(dir / "out" / "thursday-notes-from-the-wall.md");
    CHECK_THAT(notes, Contains("title: \"Thursday: Notes From the Wall\""));
    CHECK_THAT(notes, Contains("granite steps"));
    CHECK_THAT(notes, !Contains("A short summary"));
    CHECK_THAT(notes, Contains("(" + server().url("/guides/lifeguards.html") + ")"));
    CHECK_THAT(slurp(dir / "out" / "friday-the-ferry-timetable.md"), Contains("The ferry timetable changes in spring."));
    // only the entry with nothing to read is left out
    CHECK_THAT(r.err, Contains("dconv: " + feed + ": warning: 1 entry without an http or https link or content left out"));

    // Atom: <content type="html">, else <summary> (type="xhtml")
    spit(dir / "week.atom", atom_feed(
        "<entry><title>Notes</title><content type=\"html\">&lt;p&gt;" + std::string(kLocalPage.substr(28)) +
        "&lt;/p&gt;</content></entry>"
        "<entry><title>More Notes</title><summary type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" +
        std::string(kLocalPage.substr(28)) + "</p></div></summary></entry>"));
    Run atom = dconv_in(dir, "--to txt -o atom/ week.atom");
    REQUIRE(atom.status == 0);
    CHECK(files_in(dir / "atom") == std::vector<std::string>{"more-notes.txt", "notes.txt"});
    CHECK_THAT(slurp(dir / "atom" / "notes.txt"), Contains("four hundred trees"));
    CHECK_THAT(slurp(dir / "atom" / "more-notes.txt"), Contains("four hundred trees"));
    CHECK_THAT(atom.err, !Contains("warning"));
    fs::remove_all(dir);
}

TEST_CASE("url: a feed's book takes the feed's title, unless --title names it") {
    fs::path dir = fresh_dir("url-feed-title");
    spit(dir / "week.atom", "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
                            "<title>The Week on the Quay</title>"
                            "<entry><title>A</title><link href=\"" + server().url("/a1.html") + "\"/>"
                            "<updated>2024-01-06T10:00:00Z</updated></entry>"
                            "<entry><title>B</title><link href=\"" + server().url("/a2.html") + "\"/>"
                            "<updated>2024-01-07T10:00:00Z</updated></entry></feed>\n");
    Run r = dconv_in(dir, "--allow-private --to md --bundle week.md week.atom");
    REQUIRE(r.status == 0);
    std::string md = slurp(dir / "week.md");
    CHECK_THAT(md, StartsWith("---\ntitle: \"The Week on the Quay\"\n"));
    CHECK_THAT(md, !Contains("Collected articles"));
    Run named = dconv_in(dir, "--allow-private --to md --title \"Harbour Days\" --bundle named.md week.atom");
    REQUIRE(named.status == 0);
    CHECK_THAT(slurp(dir / "named.md"), StartsWith("---\ntitle: \"Harbour Days\"\n"));
    fs::remove_all(dir);
}

TEST_CASE("url: a feed's article whose page has no title is titled as the feed lists it") {
    // Fix 11: its chapter in a book was "Chapter 1", its file named after the URL
    fs::path dir = fresh_dir("url-feed-item-title");
    spit(dir / "week.atom", atom_feed(
        "<entry><title>A</title><link href=\"" + server().url("/a1.html") + "\"/>"
        "<updated>2024-01-06T10:00:00Z</updated></entry>"
        "<entry><title type=\"html\">The Pier &lt;em&gt;Reopens&lt;/em&gt;</title>"
        "<link href=\"" + server().url("/untitled/pier-reopens.html") + "\"/>"
        "<updated>2024-01-07T10:00:00Z</updated></entry>"));
    Run r = dconv_in(dir, "--allow-private --to epub --bundle week.epub week.atom");
    REQUIRE(r.status == 0);
    auto entries = unzip(slurp(dir / "week.epub"));
    const ZipEntry* nav = find_entry(entries, "OEBPS/nav.xhtml");
    REQUIRE(nav);
    std::vector<std::string> chapters;
    for (const NavEntry& e : epub_toc(nav->data)) chapters.push_back(e.text);
    // the page's own title wins: a1's is its <title>, not the feed's "A"
    CHECK(chapters == std::vector<std::string>{"The Pier Reopens", "Monday: The Pier Reopens"});
    Run files = dconv_in(dir, "--allow-private --to md week.atom");
    REQUIRE(files.status == 0);
    CHECK(files_in(dir / "out") == std::vector<std::string>{"monday-the-pier-reopens.md", "the-pier-reopens.md"});
    CHECK_THAT(slurp(dir / "out/the-pier-reopens.md"), StartsWith("---\ntitle: \"The Pier Reopens\"\n"));
    fs::remove_all(dir);
}

TEST_CASE("url: a feed served as application/x-rss+xml or text/xml is read as a feed") {
    // Python's http.server and Apache send .rss as application/x-rss+xml
    fs::path dir = fresh_dir("url-feed-types");
    for (const char* route : {"/x-feed.rss", "/xml-feed.xml"}) {
        INFO(route);
        Run r = dconv_in(dir, "--allow-private --to md --max-articles 1 -o " + std::string(route + 1) + "/ " +
                                  server().url(route));
        CHECK(r.status == 0);
        CHECK_THAT(r.err, !Contains("not a web page"));
        CHECK(files_in(dir / (route + 1)) == std::vector<std::string>{"wednesday-the-regatta-is-planned.md"});
    }
    fs::remove_all(dir);
}

TEST_CASE("url: a feed's warnings name the feed and a URL given twice is converted once") {
    fs::path dir = fresh_dir("url-feed-warnings");
    spit(dir / "week.atom", atom_feed(
        "<entry><title>A</title><link href=\"" + server().url("/a1.html") + "\"/>"
        "<updated>2024-01-06T10:00:00Z</updated></entry>"
        "<entry><title>B</title><updated>2024-01-07T10:00:00Z</updated></entry>"));
    Run r = dconv_in(dir, "--allow-private --to txt week.atom");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.err, Contains("dconv: week.atom: warning: 1 entry without an http or https link or content left out"));
    CHECK_THAT(r.err, !Contains(server().url("/a1.html") + ": warning"));

    std::string page = server().url("/a2.html");
    Run twice = dconv_in(dir, "--allow-private --to md -o twice/ " + page + " " + page);
    REQUIRE(twice.status == 0);
    CHECK(files_in(dir / "twice") == std::vector<std::string>{"tuesday-the-market-returns.md"});
    CHECK_THAT(twice.err, Contains("dconv: " + page + ": warning: given more than once; converted once"));

    // the scheme and host in another case name the same page
    std::string shouted = "HTTP" + page.substr(4);
    Run cased = dconv_in(dir, "--allow-private --to md -o cased/ " + page + " " + shouted);
    REQUIRE(cased.status == 0);
    CHECK(files_in(dir / "cased") == std::vector<std::string>{"tuesday-the-market-returns.md"});
    CHECK_THAT(cased.err, Contains("dconv: " + shouted + ": warning: given more than once; converted once"));
    fs::remove_all(dir);
}

TEST_CASE("url: two inputs that end at one page through a redirect are converted once") {
    // Before: article.md and article-2.md, the same page twice.
    fs::path dir = fresh_dir("url-redirect-twice");
    std::string page = server().url("/article.html"), redirect = server().url("/redirect");
    Run r = dconv_in(dir, "--allow-private --to md -o out/ " + page + " " + redirect);
    REQUIRE(r.status == 0);
    CHECK(files_in(dir / "out").size() == 1);
    CHECK_THAT(r.err, Contains("dconv: " + redirect + ": warning: redirected to " + page + ", the same page as " + page +
                               "; converted once"));
    fs::remove_all(dir);
}

TEST_CASE("url: a page given and also listed in a feed is converted once, the warning naming the feed") {
    fs::path dir = fresh_dir("url-page-and-feed");
    std::string page = server().url("/a1.html"), feed = server().url("/feed.xml");
    Run r = dconv_in(dir, "--allow-private --to md -o out/ " + page + " " + feed);
    REQUIRE(r.status == 0);
    CHECK(files_in(dir / "out").size() == 3);
    CHECK_THAT(r.err, Contains("dconv: " + page + ": warning: listed in the feed " + feed + ", the same page as " +
                               page + "; converted once"));
    fs::remove_all(dir);
}

TEST_CASE("url: --max-articles takes a feed's newest N") {
    fs::path dir = fresh_dir("url-max-articles");
    Run r = dconv_in(dir, "--allow-private --to md --max-articles 2 " + server().url("/feed.xml"));
    REQUIRE(r.status == 0);
    CHECK(files_in(dir / "out") ==
          std::vector<std::string>{"tuesday-the-market-returns.md", "wednesday-the-regatta-is-planned.md"});
    fs::remove_all(dir);
}

TEST_CASE("url: with --cache, a second run with the server stopped gives the same bytes") {
    fs::path dir = fresh_dir("url-cache");
    dconv::testing::TestServer own;
    std::string urls = own.url("/article.html") + " " + own.url("/etag.html");
    const std::string epoch = "SOURCE_DATE_EPOCH=1700000000";
    Run first = dconv_in(dir, "--allow-private --cache cache --to epub,pdf -o one/ " + urls, epoch);
    REQUIRE(first.status == 0);
    own.stop();
    Run second = dconv_in(dir, "--allow-private --cache cache --to epub,pdf -o two/ " + urls, epoch);
    REQUIRE(second.status == 0);
    CHECK_THAT(second.err, Contains("server unreachable"));
    std::vector<std::string> files = files_in(dir / "one");
    CHECK(files.size() == 4);
    CHECK(files_in(dir / "two") == files);
    for (const std::string& f : files) {
        INFO(f);
        CHECK(slurp(dir / "one" / f) == slurp(dir / "two" / f));
    }
    fs::remove_all(dir);
}

TEST_CASE("url: a redirect to file:, an oversized reply and a slow one fail naming the URL, the rest converts") {
    fs::path dir = fresh_dir("url-failures");
    spit(dir / "garden.txt", kLocalPage);
    std::string file_redirect = server().url("/redirect-file"), huge = server().url("/huge"),
                slow = server().url("/slow"), pdf = server().url("/doc.pdf");
    Run r = dconv_in(dir, "--allow-private --fetch-timeout 1 --to md " + file_redirect + " " + huge + " " + slow +
                              " " + pdf + " garden.txt");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: " + file_redirect +
                               ": redirected to file:///etc/passwd: only http and https URLs are fetched\n"));
    CHECK_THAT(r.err, Contains("dconv: " + huge + ": reply larger than 32 MiB, not fetched\n"));
    CHECK_THAT(r.err, Contains("dconv: " + slow + ": no complete reply within 1 s (--fetch-timeout)"));
    CHECK_THAT(r.err, Contains("dconv: " + pdf + ": not a web page: the server sent application/pdf; dconv converts "
                               "HTML, text, Markdown and feeds\n"));
    CHECK(files_in(dir / "out") == std::vector<std::string>{"garden.md"});
    CHECK_THAT(r.err, Contains("converted 1 of 5 inputs into out/ (4 failed: 4 to fetch)"));
    fs::remove_all(dir);
}

TEST_CASE("url: --timeout bounds an input's fetch too, the lesser of it and --fetch-timeout naming which") {
    // /slow answers after 5 s: with the default --fetch-timeout (60 s), --timeout 1 was
    // not seen until the page had arrived and converted.
    fs::path dir = fresh_dir("url-input-timeout");
    std::string slow = server().url("/slow");
    auto start = std::chrono::steady_clock::now();
    Run r = dconv_in(dir, "--allow-private --timeout 1 --to md " + slow);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: " + slow + ": no complete reply within 1 s (--timeout, the time one input may take)"));
    CHECK(seconds < 4);
    CHECK(files_in(dir / "out").empty());
    // The lesser of the two: --fetch-timeout is named when it is the shorter.
    Run shorter = dconv_in(dir, "--allow-private --timeout 30 --fetch-timeout 1 --to md " + slow);
    CHECK(shorter.status == 1);
    CHECK_THAT(shorter.err, Contains("dconv: " + slow + ": no complete reply within 1 s (--fetch-timeout)"));
    fs::remove_all(dir);
}

TEST_CASE("url: --timeout is one deadline per input, its page's fetch, its images' and its conversion together") {
    // /slow-page.html takes 1.6 s, its image 1.6 s more: each fetch was held to --timeout
    // apart (and the conversion, the image's fetch in it, to another), so the input took
    // 3.2 s under --timeout 3 and converted. (Margins for a loaded machine: the sleeps
    // alone pass the deadline, and a page alone has 1.4 s to spare.)
    fs::path dir = fresh_dir("url-one-deadline");
    std::string page = server().url("/slow-page.html");
    Run r = dconv_in(dir, "--allow-private --timeout 3 --to html " + page);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: " + page + ": took longer than 3 s (--timeout)"));
    CHECK(files_in(dir / "out").empty());
    // The waits for its turn do not count: three pages of 1.6 s each from one host (two
    // requests at a time), the third fetched after 1.6 s waiting (3.2 s in all), all convert.
    std::string one = server().url("/slow-text.html?one"), two = server().url("/slow-text.html?two"),
                three = server().url("/slow-text.html?three");
    Run waits = dconv_in(dir, "--allow-private --timeout 3 --to html " + one + " " + two + " " + three);
    CHECK(waits.status == 0);
    CHECK(files_in(dir / "out").size() == 3);
    fs::remove_all(dir);
}

TEST_CASE("url: a feed's own fetch counts in its articles' --timeout") {
    // /slow-feed.xml takes 1.6 s and lists a page of 1.6 s more: the feed's fetch was
    // held to --timeout but not counted, so its article converted after 3.2 s under
    // --timeout 3. Now the feed's fetch, the article's fetch and its conversion share it.
    fs::path dir = fresh_dir("url-feed-deadline");
    const std::string feed = server().url("/slow-feed.xml"), article = server().url("/slow-text.html?feed");
    Run r = dconv_in(dir, "--allow-private --timeout 3 --to md " + feed);
    CHECK(r.status == 1);
    CHECK(files_in(dir / "out").empty());
    // cut while fetching (the 1.4 s its feed left it) or after: either names --timeout
    CHECK_THAT(r.err, Contains("dconv: " + article + ": "));
    CHECK_THAT(r.err, Contains("--timeout"));
    // with time for both, it converts
    Run enough = dconv_in(dir, "--allow-private --timeout 6 --to md " + feed);
    CHECK(enough.status == 0);
    CHECK(files_in(dir / "out").size() == 1);
    fs::remove_all(dir);
}

TEST_CASE("url: without --allow-private a redirect to a private address is refused, the rest converts") {
    fs::path dir = fresh_dir("url-private");
    spit(dir / "garden.txt", kLocalPage);
    std::string url = server().url("/redirect-private");
    Run r = dconv_in(dir, "--to md " + url + " garden.txt");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: " + url + ": "));
    CHECK_THAT(r.err, Contains("has the private or local address 127.0.0.1: not fetched (--allow-private allows it)"));
    CHECK(files_in(dir / "out") == std::vector<std::string>{"garden.md"});
    fs::remove_all(dir);
}

TEST_CASE("url: a fetched page's images are fetched with the page as Referer, a missing one only warns") {
    fs::path dir = fresh_dir("url-images");
    dconv::testing::TestServer own;  // counts its own requests
    std::string page = own.url("/notes.md");
    Run r = dconv_in(dir, "--allow-private --to native " + page);
    REQUIRE(r.status == 0);
    auto doc = nlohmann::json::parse(slurp(dir / "out/harbour-notes.json"));
    std::vector<std::string> types;
    for (const auto& [key, resource] : doc["resources"].items()) types.push_back(resource["media_type"]);
    std::sort(types.begin(), types.end());
    CHECK(types == std::vector<std::string>{"image/jpeg", "image/png"});
    CHECK_THAT(r.err, Contains("image " + own.url("/img/missing.png") +
                               " not fetched: HTTP 404 Not Found; its alt text is kept"));
    auto stats = server_stats(dir, own);
    CHECK(stats["headers"]["/img/one.png"]["Referer"] == page);
    CHECK(stats["headers"]["/img/two.jpg"]["Referer"] == page);
    fs::remove_all(dir);
}

TEST_CASE("url: a fetched page's images are inside its EPUB (epubcheck) and HTML page, also offline from the cache") {
    // /notes.md: a Markdown page's images (the next case has an HTML page's).
    std::string missing = epubcheck_missing();
    INFO(missing);
    REQUIRE(missing.empty());
    fs::path dir = fresh_dir("url-epub-images");
    dconv::testing::TestServer own;
    const std::string epoch = "SOURCE_DATE_EPOCH=1700000000";
    Run r = dconv_in(dir, "--allow-private --cache cache --to epub -o one/ " + own.url("/notes.md"), epoch);
    REQUIRE(r.status == 0);
    fs::path epub = dir / "one/harbour-notes.epub";
    std::vector<std::string> images;
    for (const ZipEntry& e : unzip(slurp(epub)))
        if (e.name.starts_with("OEBPS/images/")) images.push_back(e.name);
    CHECK(images == std::vector<std::string>{"OEBPS/images/image-001.png", "OEBPS/images/image-002.jpg"});
    CHECK_THAT(opf_of(epub), Contains("<dc:source>" + own.url("/notes.md") + "</dc:source>"));
    EpubcheckResult check = epubcheck(epub);
    INFO(check.output);
    CHECK(check.errors == 0);
    CHECK(check.warnings == 0);
    CHECK(check.fatals == 0);
    Run html = dconv_in(dir, "--allow-private --cache cache --to html -o one/ " + own.url("/notes.md"));
    REQUIRE(html.status == 0);
    std::string page = slurp(dir / "one/harbour-notes.html");
    CHECK_THAT(page, Contains("src=\"data:image/png;base64,"));
    CHECK_THAT(page, Contains("src=\"data:image/jpeg;base64,"));
    own.stop();
    Run offline = dconv_in(dir, "--allow-private --cache cache --to epub -o two/ " + own.url("/notes.md"), epoch);
    REQUIRE(offline.status == 0);
    CHECK(slurp(dir / "two/harbour-notes.epub") == slurp(epub));
    fs::remove_all(dir);
}

TEST_CASE("url: an HTML article's images, figure and bare, are inside its EPUB and drawn in its PDF") {
    std::string missing = epubcheck_missing();
    INFO(missing);
    REQUIRE(missing.empty());
    if (run_command("command -v pdfimages >/dev/null") != 0) {
        WARN("pdfimages (poppler-utils) not installed: skipped");
        return;
    }
    fs::path dir = fresh_dir("url-html-images");
    dconv::testing::TestServer own;
    Run r = dconv_in(dir, "--allow-private --to epub,pdf -o out/ " + own.url("/article.html"),
                     "SOURCE_DATE_EPOCH=1700000000");
    REQUIRE(r.status == 0);
    fs::path epub = dir / "out/a-walk-along-the-harbour-wall.epub";
    std::vector<std::string> images;
    for (const ZipEntry& e : unzip(slurp(epub)))
        if (e.name.starts_with("OEBPS/images/")) images.push_back(e.name);
    CHECK(images == std::vector<std::string>{"OEBPS/images/image-001.png", "OEBPS/images/image-002.jpg"});
    EpubcheckResult check = epubcheck(epub);
    INFO(check.output);
    CHECK(check.errors + check.warnings + check.fatals == 0);
    // pdfimages -list: two header lines, then one line per image drawn
    REQUIRE(run_command("cd '" + dir.string() + "' && pdfimages -list out/a-walk-along-the-harbour-wall.pdf > list.txt") == 0);
    std::string list = slurp(dir / "list.txt");
    std::size_t lines = std::count(list.begin(), list.end(), '\n');
    CHECK(lines == 4);
    CHECK_THAT(list, Contains(" jpeg "));
    fs::remove_all(dir);
}

TEST_CASE("url: md keeps absolute image and link URLs and fetches no image, --no-images fetches none") {
    fs::path dir = fresh_dir("url-no-images");
    dconv::testing::TestServer own;
    Run md = dconv_in(dir, "--allow-private --to md " + own.url("/notes.md"));
    REQUIRE(md.status == 0);
    std::string text = slurp(dir / "out/harbour-notes.md");
    CHECK_THAT(text, Contains("![The lighthouse](" + own.url("/img/two.jpg") + ")"));
    CHECK_THAT(text, Contains("![The harbour wall at dawn](" + own.url("/img/one.png") + ")"));
    CHECK_THAT(text, Contains("[the lifeguards' guide](" + own.url("/guides/lifeguards.html") + ")"));
    Run native = dconv_in(dir, "--allow-private --no-images --to native " + own.url("/notes.md"));
    REQUIRE(native.status == 0);
    CHECK_FALSE(nlohmann::json::parse(slurp(dir / "out/harbour-notes.json")).contains("resources"));
    CHECK(native.err.find("image") == std::string::npos);
    auto counts = server_stats(dir, own)["counts"];
    CHECK_FALSE(counts.contains("/img/one.png"));
    CHECK_FALSE(counts.contains("/img/two.jpg"));
    CHECK(counts["/notes.md"] == 2);
    fs::remove_all(dir);
}

TEST_CASE("url: XML that is neither a feed nor a page is refused") {
    fs::path dir = fresh_dir("url-xml");
    std::string url = server().url("/sitemap.xml");
    Run r = dconv_in(dir, "--allow-private --to md " + url);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: " + url + ": the server sent application/xml that is neither an RSS or Atom "
                               "feed nor a page\n"));
    CHECK(files_in(dir / "out").empty());
    fs::remove_all(dir);
}

TEST_CASE("url: the summary counts fetch failures apart from conversion failures") {
    fs::path dir = fresh_dir("url-summary");
    spit(dir / "binary.txt", std::string("\x00\x01\x02\x03", 4) + std::string(4000, '\0'));
    std::string missing = server().url("/missing");
    Run r = dconv_in(dir, "--allow-private --to md " + missing + " binary.txt " + server().url("/article.html"));
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: " + missing + ": HTTP 404 Not Found\n"));
    CHECK_THAT(r.err, Contains("converted 1 of 3 inputs into out/ (2 failed: 1 to fetch, 1 to convert)"));
    fs::remove_all(dir);
}

TEST_CASE("url: the summary counts missing files apart, not as failures to convert") {
    fs::path dir = fresh_dir("url-summary-missing");
    spit(dir / "urls.txt", "# list\n" + server().url("/article.html") + "\n\ngone.txt\n" + server().url("/missing") +
                               "\nnot a url at all\n");
    Run r = dconv_in(dir, "--allow-private --to md -i urls.txt");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("converted 1 of 4 inputs into out/ (3 failed: 2 not found, 1 to fetch)"));
    fs::remove_all(dir);
}

TEST_CASE("url: --input-file lists URLs and paths, with comments") {
    fs::path dir = fresh_dir("url-input-file");
    spit(dir / "garden.txt", kLocalPage);
    spit(dir / "list.txt", "# this week\n\n" + server().url("/gzip.html") + "\n  garden.txt  \n# done\n");
    Run r = dconv_in(dir, "--allow-private --to md -i list.txt");
    REQUIRE(r.status == 0);
    CHECK(files_in(dir / "out") == std::vector<std::string>{"a-compressed-page.md", "garden.md"});
    fs::remove_all(dir);
}

TEST_CASE("url: outputs are named after the title or the URL, made unique, never outside the folder") {
    fs::path dir = fresh_dir("url-names");
    Run r = dconv_in(dir, "--allow-private --to md " + server().url("/article.html") + " " +
                              server().url("/article.html?again") + " " + server().url("/evil-title.html") + " " +
                              server().url("/untitled/pier-reopens.html"));
    REQUIRE(r.status == 0);
    CHECK(files_in(dir / "out") == std::vector<std::string>{"a-walk-along-the-harbour-wall-2.md",
                                                            "a-walk-along-the-harbour-wall.md",
                                                            "escape-attempt.md", "pier-reopens.md"});
    CHECK(files_in(dir) == std::vector<std::string>{"out", "stderr", "stdout"});
    fs::remove_all(dir);
}

TEST_CASE("url: a valid UTF-8 body under a Latin-1 charset header is read as UTF-8, with a note") {
    fs::path dir = fresh_dir("url-utf8-as-latin1");
    Run r = dconv_in(dir, "--allow-private --explain --to md -o - " + server().url("/utf8-as-latin1.html"));
    REQUIRE(r.status == 0);
    std::string out = slurp(dir / "stdout");
    CHECK_THAT(out, Contains("The Caf\u00e9 on the Quay"));
    CHECK_THAT(out, !Contains("Caf\u00c3"));
    CHECK_THAT(r.err, Contains("but the body is valid UTF-8 beyond ASCII: read as UTF-8"));
    fs::remove_all(dir);
}

TEST_CASE("url: a GBK body under a UTF-8 charset header is detected, with a warning naming the URL") {
    fs::path dir = fresh_dir("url-gbk-as-utf8");
    Run r = dconv_in(dir, "--allow-private --to txt -o - " + server().url("/gbk-as-utf8.html"));
    REQUIRE(r.status == 0);
    std::string out = slurp(dir / "stdout");
    CHECK_THAT(out, Contains("清晨的港口总是很安静"));
    CHECK_THAT(out, !Contains("\uFFFD"));
    CHECK_THAT(r.err, Contains(server().url("/gbk-as-utf8.html") +
                               ": warning: the reply's Content-Type says charset 'utf-8', but the body is not valid "
                               "UTF-8: read as GB18030"));
    fs::remove_all(dir);
}

TEST_CASE("url: a Latin-1 body under a UTF-8 charset header is detected, with a warning") {
    fs::path dir = fresh_dir("url-latin1-as-utf8");
    Run r = dconv_in(dir, "--allow-private --to txt -o - " + server().url("/latin1-as-utf8.html"));
    REQUIRE(r.status == 0);
    std::string out = slurp(dir / "stdout");
    CHECK_THAT(out, Contains("The Caf\u00e9 on the Quay"));
    CHECK_THAT(out, !Contains("\uFFFD"));
    CHECK_THAT(r.err, Contains("but the body is not valid UTF-8: read as windows-1252"));
    fs::remove_all(dir);
}

TEST_CASE("url: UTF-8 with a stray byte under a UTF-8 header: the byte's warning, no warning about the header") {
    fs::path dir = fresh_dir("url-stray-byte");
    Run r = dconv_in(dir, "--allow-private --no-clean --to txt -o - " + server().url("/stray-byte-as-utf8.txt"));
    REQUIRE(r.status == 0);
    CHECK_THAT(slurp(dir / "stdout"), Contains("Jos\u00e9\uFFFD boat"));
    CHECK_THAT(r.err, Contains("invalid UTF-8 byte 0x92"));
    CHECK_THAT(r.err, !Contains("Content-Type"));
    fs::remove_all(dir);
}

TEST_CASE("url: a GBK body under a Latin-1 charset header is read as GBK, with a warning") {
    // ISO-8859-1 fits any bytes; a clean decode into CJK text does not happen by accident.
    fs::path dir = fresh_dir("url-gbk-as-latin1");
    Run r = dconv_in(dir, "--allow-private --to txt -o - " + server().url("/gbk-as-latin1.html"));
    REQUIRE(r.status == 0);
    CHECK_THAT(slurp(dir / "stdout"), Contains("清晨的港口总是很安静"));
    CHECK_THAT(r.err, Contains("warning: the reply's Content-Type says charset 'ISO-8859-1', but the body is GB18030 ("));
    CHECK_THAT(r.err, Contains("): read as GB18030"));
    fs::remove_all(dir);
}

TEST_CASE("url: a Thai page under its own single-byte charset header is read in it, not overruled") {
    // ICU's detector takes these cp874 bytes for GB18030 (they do not decode cleanly in it):
    // only a server default (ISO-8859-1, windows-1252, US-ASCII) is overruled, and only
    // by a strict decode.
    for (const char* route : {"/thai-tis620.txt", "/thai-cp874.txt"}) {
        fs::path dir = fresh_dir("url-thai");
        Run r = dconv_in(dir, "--allow-private --no-clean --to txt -o - " + server().url(route));
        REQUIRE(r.status == 0);
        std::string out = slurp(dir / "stdout");
        CHECK_THAT(out, Contains("ท่าเรือยามเช้า"));
        CHECK_THAT(out, Contains("ประภาคาร"));
        CHECK_THAT(out, !Contains("\uFFFD"));
        CHECK_THAT(r.err, !Contains("but the body is"));
        fs::remove_all(dir);
    }
}

TEST_CASE("url: the GBK page is read in the charset its Content-Type names") {
    fs::path dir = fresh_dir("url-gbk");
    Run r = dconv_in(dir, "--allow-private --to txt " + server().url("/gbk.html"));
    REQUIRE(r.status == 0);
    CHECK_THAT(slurp(dir / "out/港口的早晨.txt"), Contains("清晨的港口总是很安静"));
    fs::remove_all(dir);
}
