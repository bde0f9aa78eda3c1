// The HTML reader: the mapping of HTML onto the model (spec examples, HTML in, model
// out), source lines, metadata from the head and JSON-LD, the charset a page declares,
// content selection on synthetic pages, and hostile inputs that must finish fast.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

#include "clean/rules.hpp"
#include "core/text.hpp"
#include "dconv/convert.hpp"
#include "dconv/model.hpp"
#include "dconv/registry.hpp"
#include "html/block_builder.hpp"
#include "html/content_selection.hpp"
#include "html/gumbo_arena.hpp"
#include "html/html_reader.hpp"
#include "html/html_tree.hpp"
#include "html/image_source.hpp"
#include "html/markup_prescan.hpp"
#include "html/page_metadata.hpp"
#include "html/page_model.hpp"
#include "html/page_signals.hpp"
#include "unit/cpu_clock.hpp"
#include "unit/work_meter.hpp"
#include "unit/markdown_test_support.hpp"

using namespace dconv;
using namespace dconv::test;

namespace {

Document read(std::string_view html, bool clean, Diagnostics& diag) {
    ReadOptions options;
    options.clean = clean ? Cleaning::on : Cleaning::off;
    return read_html(std::string(html), options, diag);
}

Document read(std::string_view html, bool clean = false) {
    Diagnostics diag;
    return read(html, clean, diag);
}

// The blocks of the whole body, as the native dump shows them.
std::string blocks(std::string_view html) {
    std::string out;
    describe(read(html).blocks, out, 0, false);
    return out;
}

std::string all_text(const Document& doc) {
    std::string out;
    for (const Block& b : doc.blocks) out += plain_text(b) + "\n";
    return out;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A paragraph of running prose, `n` sentences long.
std::string prose(int n, std::string_view topic = "river") {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += "The " + std::string(topic) + " keeps its course through the valley, and the people who live " +
               "beside it have learned, over many years, when it will rise. ";
    return out;
}

}  // namespace

// ------------------------------------------------------------------ spec examples

TEST_CASE("html spec: blocks map onto the model") {
    struct Example {
        const char* html;
        const char* model;
    };
    const Example examples[] = {
        {"<h1>Title</h1><h3>Sub</h3>", "Header 1 [Str \"Title\"]\nHeader 3 [Str \"Sub\"]\n"},
        {"<p>one</p><div>two</div>", "Para [Str \"one\"]\nPara [Str \"two\"]\n"},
        {"<div>lead <p>inner</p> tail</div>", "Para [Str \"lead\"]\nPara [Str \"inner\"]\nPara [Str \"tail\"]\n"},
        {"<ul><li>a</li><li>b<ol start=3><li>c</li></ol></li></ul>",
         "BulletList\n  item\n    Para [Str \"a\"]\n  item\n    Para [Str \"b\"]\n    OrderedList 3\n      item\n"
         "        Para [Str \"c\"]\n"},
        {"<blockquote><p>q1</p><p>q2</p></blockquote>", "BlockQuote\n  Para [Str \"q1\"]\n  Para [Str \"q2\"]\n"},
        {"<pre>int x;\n  y();\n</pre>", "CodeBlock \"\" \"int x;\\n  y();\"\n"},
        {"<p>a</p><hr><p>b</p>", "Para [Str \"a\"]\nHorizontalRule\nPara [Str \"b\"]\n"},
        {"<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td></td><td>31</td></tr></table>",
         "Table [] [DDD]\n  head row\n    cell 1x1\n      Para [Str \"Name\"]\n    cell 1x1\n      Para [Str \"Age\"]\n"
         "    cell 1x1\n  row\n    cell 1x1\n      Para [Str \"Ann\"]\n    cell 1x1\n    cell 1x1\n      Para [Str \"31\"]\n"},
        {"<table><tr><td>one row</td><td>of a layout</td></tr></table>", "Para [Str \"one row | of a layout\"]\n"},
        {"<table><tr><td><p>cell one</p></td><td><p>cell two</p></td></tr></table>",
         "Para [Str \"cell one\"]\nPara [Str \"cell two\"]\n"},
        {"<ul>stray text<li>item</li></ul>", "BulletList\n  item\n    Para [Str \"stray text\"]\n  item\n    Para [Str \"item\"]\n"},
        {"<h2>A <div>b</div> c</h2>", "Header 2 [Str \"A b c\"]\n"},
    };
    for (const Example& e : examples) {
        INFO(e.html);
        CHECK(blocks(e.html) == e.model);
    }
}

TEST_CASE("html spec: inlines, entities and white space") {
    struct Example {
        const char* html;
        const char* model;
    };
    const Example examples[] = {
        {"<p>a <em>b</em> <strong>c</strong> <code>d  e</code></p>",
         "Para [Str \"a \", Emph [Str \"b\"], Str \" \", Strong [Str \"c\"], Str \" \", Code \"d e\"]\n"},
        {"<p><i>x</i><b>y</b></p>", "Para [Emph [Str \"x\"], Strong [Str \"y\"]]\n"},
        {"<p>see <a href=\"https://x.org/a\" title=t>the <b>docs</b></a>.</p>",
         "Para [Str \"see \", Link [Str \"the \", Strong [Str \"docs\"]] \"https://x.org/a\" \"\", Str \".\"]\n"},
        {"<p><a href=\"javascript:void(0)\">not a link</a></p>", "Para [Str \"not a link\"]\n"},
        {"<p><a href=\" VBScript:msgbox(1)\">nor this</a> <a href=\"data:text/html,<script>alert(1)</script>\">nor "
         "this</a></p>",
         "Para [Str \"nor this nor this\"]\n"},
        // a browser drops tabs and newlines in a URL and C0 controls and spaces before it
        {"<p><a href=\"java&#x09;script:x()\">one</a> <a href=\"java&#10;script:x()\">two</a> <a "
         "href=\"&#1;javascript:x()\">three</a></p>",
         "Para [Str \"one two three\"]\n"},
        {"<p>line one<br>line two</p>", "Para [Str \"line one\", LineBreak, Str \"line two\"]\n"},
        {"<p>para one<br><br>para two</p>", "Para [Str \"para one\"]\nPara [Str \"para two\"]\n"},
        {"<p>&lt;tag&gt; &amp; &quot;q&quot; &eacute; &#x4E2D;&#25991; a&nbsp;b</p>",
         "Para [Str \"<tag> & \\\"q\\\" \\u00e9 中文 a b\"]\n"},
        {"<p>  spaced \n\t out  </p>", "Para [Str \"spaced out\"]\n"},
        {"<p>foo<em> bar </em>baz</p>", "Para [Str \"foo \", Emph [Str \"bar\"], Str \" baz\"]\n"},
        {"<p>中文\n段落</p>", "Para [Str \"中文段落\"]\n"},
        {"<p>한국어\n문장</p>", "Para [Str \"한국어 문장\"]\n"},
        {"<p>soft&shy;hyphen zero&#8203;width</p>", "Para [Str \"softhyphen zerowidth\"]\n"},
        {"<p><img src=x.png alt=\"a picture\">text</p>", "Para [Image \"a picture\" \"x.png\" \"\" resource=\"\", Str \"text\"]\n"},
    };
    for (const Example& e : examples) {
        INFO(e.html);
        // the dump writes non-ASCII as is; \u00e9 above stands for é (the string is built by
        // appending: GCC 12 warns of a false -Wstringop-overflow in replace() here)
        std::string expected;
        for (std::string_view rest = e.model;;) {
            const std::size_t at = rest.find("\\u00e9");
            expected.append(rest.substr(0, at));
            if (at == std::string_view::npos) break;
            expected.append("é");
            rest.remove_prefix(at + 6);
        }
        CHECK(blocks(e.html) == expected);
    }
}

TEST_CASE("html spec: what is never shown stays out") {
    std::string model = blocks(
        "<head><title>T</title><style>p{}</style><script>var x = '<p>no</p>';</script></head>"
        "<body><p>shown</p><script>alert(1)</script><template><p>template</p></template>"
        "<div hidden>hidden attr</div><div style=\"display: none\">no display</div>"
        "<div aria-hidden=\"true\">aria</div><svg><text>svg text</text></svg>"
        "<form><input value=v><select><option>opt</option></select></form>"
        "<iframe>frame</iframe><!-- a comment --><p>also shown</p></body>");
    CHECK(model == "Para [Str \"shown\"]\nPara [Str \"also shown\"]\n");
    // a button's text is shown: read without cleaning, even a form's lone button is
    // (tests/spec/html_reader.md, buttons)
    CHECK(blocks("<body><form><input value=v><button>Press</button></form></body>") == "Para [Str \"Press\"]\n");
}

TEST_CASE("html spec: a class that hides a box hides it, unless another class shows it again") {
    std::string model = blocks(
        "<body><p>shown</p><div class=\"tip invisible\">invisible</div><div class=\"popover hide\">hide</div>"
        "<div class=\"d-none\">d-none</div><div class=\"menu hidden\">hidden</div>"
        "<div class=\"hidden md:block\">wide screens</div><div class=\"d-none d-lg-block\">large screens</div>"
        "<div class=\"hidden-text\">not a hiding class</div><p>also shown</p></body>");
    CHECK(model == "Para [Str \"shown\"]\nPara [Str \"wide screens\"]\nPara [Str \"large screens\"]\n"
                   "Para [Str \"not a hiding class\"]\nPara [Str \"also shown\"]\n");
}

TEST_CASE("html spec: a hidden box holding several times the text the page shows is shown after all") {
    // a page saved before its scripts revealed its content: the box holds it, the page
    // around it shows a menu
    std::string prose;
    for (int i = 0; i < 12; ++i) prose += "<p>The content of the page, a sentence of running prose that goes on.</p>";
    std::string model = blocks("<body><p>Menu</p><div hidden><h2>Details</h2>" + prose +
                               "<div style=\"display:none\">still hidden inside</div></div></body>");
    CHECK(model.find("Menu") != std::string::npos);
    CHECK(model.find("Details") != std::string::npos);
    CHECK(model.find("running prose") != std::string::npos);
    CHECK(model.find("still hidden inside") == std::string::npos);  // only the box itself is shown
    // the same box beside a page that shows as much text stays hidden (a tab, a menu)
    std::string shown;
    for (int i = 0; i < 4; ++i) shown += "<p>What the page shows, a sentence of running text that goes on.</p>";
    model = blocks("<body>" + shown + "<div hidden><h2>Details</h2>" + prose + "</div></body>");
    CHECK(model.find("Details") == std::string::npos);
    // a short hidden box is never shown (a cookie notice beside an empty page)
    model = blocks("<body><p>Menu</p><div hidden><p>We use cookies.</p></div></body>");
    CHECK(model == "Para [Str \"Menu\"]\n");
}

TEST_CASE("html spec: a hidden box that a control on the page opens is shown") {
    // a tab panel, an accordion's answer named by its opener's aria-controls, a box a
    // Bootstrap toggle targets: the reader opens them where they stand
    std::string model = blocks(
        "<body><p>shown</p>"
        "<button role=tab aria-controls=specs>Specifications</button>"
        "<div role=tabpanel hidden><p>tab panel</p></div>"
        "<h3><a href=\"javascript:void(0)\" aria-controls=\"q1 q9\" aria-expanded=false>Question?</a></h3>"
        "<div id=q1 aria-hidden=true><p>the answer</p><div hidden>hidden inside it</div></div>"
        "<a data-bs-toggle=collapse data-bs-target=\"#more\">More</a><div id=more style=\"display:none\"><p>more text</p></div>"
        "<div id=nobody-opens-me hidden><p>a hidden box no control names</p></div>"
        "<div role=dialog aria-labelledby=t hidden><p id=t>a dialog opens over the page</p></div>"
        "<div id=signup aria-modal=true hidden><p>a modal</p></div><a href=\"#signup\">Sign up</a>"
        // Bootstrap 5's modal before its script gives it a role, and its offcanvas menu
        "<button data-bs-toggle=modal data-bs-target=\"#login\">Log in</button>"
        "<div class=\"modal fade\" id=login tabindex=-1 aria-labelledby=login-title aria-hidden=true>"
        "<h5 id=login-title>a framework's login modal</h5></div>"
        "<a data-bs-toggle=offcanvas href=\"#menu\">Menu</a>"
        "<div class=\"offcanvas offcanvas-start\" id=menu aria-labelledby=menu-title hidden><p>an offcanvas menu</p></div>"
        "<div aria-labelledby=x tabindex=-1 hidden><p>a labelled box out of the tab order</p></div>"
        "</body>");
    CHECK(contains(model, "tab panel"));
    CHECK(contains(model, "the answer"));
    CHECK(contains(model, "more text"));
    CHECK_FALSE(contains(model, "hidden inside it"));  // a box inside stays as hidden as it is
    CHECK_FALSE(contains(model, "no control names"));
    CHECK_FALSE(contains(model, "over the page"));
    CHECK_FALSE(contains(model, "a modal"));
    CHECK_FALSE(contains(model, "login modal"));
    CHECK_FALSE(contains(model, "offcanvas menu"));
    CHECK_FALSE(contains(model, "out of the tab order"));
}

TEST_CASE("html: --explain names each hidden box the page leaves out, not the ones it opens") {
    const std::string page = "<html><head><title>Pier</title></head><body><article><h1>Pier</h1><p>" + prose(3) +
                             "</p><div style=\"display:none\"><p>The answer nobody opens.</p></div>"
                             "<h3><a aria-controls=q1>When?</a></h3><div id=q1 hidden><p>The answer a question opens.</p></div>"
                             "</article></body></html>";
    Diagnostics diag;
    read(page, true, diag);
    bool closed = false, opened = false;
    for (const Diagnostic& d : diag.items()) {
        if (d.action != "removed" || !contains(d.reason, "hidden on the page")) continue;
        closed = closed || contains(d.excerpt, "nobody opens");
        opened = opened || contains(d.excerpt, "a question opens");
    }
    CHECK(closed);
    CHECK_FALSE(opened);
}

TEST_CASE("html: a page whose body gives almost nothing falls back to the text it declares") {
    // a page its scripts were to fill: the article is in its JSON-LD
    const std::string body = "<p>First paragraph of the declared article, " + prose(3) + "</p>"
                             "<p>Second paragraph, " + prose(2, "road") + "</p>";
    std::string escaped;
    for (char c : body) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
    const std::string page =
        "<html><head><title>Declared</title><meta name=description content=\"A summary of the page.\">"
        "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"headline\": \"Declared\", "
        "\"articleBody\": \"" + escaped + "\"}</script></head><body><div id=app></div></body></html>";
    Diagnostics diag;
    Document doc = read(page, true, diag);
    std::string text = all_text(doc);
    CHECK(contains(text, "First paragraph of the declared article"));
    CHECK(contains(text, "\nSecond paragraph, The road"));  // its <p>s are paragraphs
    CHECK_FALSE(contains(text, "<p>"));
    CHECK_FALSE(contains(text, "A summary of the page"));
    CHECK(std::any_of(diag.items().begin(), diag.items().end(),
                      [](const Diagnostic& d) { return d.rule == "declared-text" && d.pass == "recall"; }));
    // switched off, the page keeps nothing
    REQUIRE(clean::set_rules_off("declared-text,description-fallback").empty());
    CHECK(all_text(read(page, true)).empty());
    REQUIRE(clean::set_rules_off("").empty());

    // a thread saved without its posts, no declared text: its description stands in
    const std::string thread =
        "<html><head><title>A thread</title><meta property=og:description content=\"How do I rig a mainsail "
        "single-handed on a small boat?\"></head><body><nav><a href=/>Home</a></nav></body></html>";
    Diagnostics diag2;
    CHECK(contains(all_text(read(thread, true, diag2)), "How do I rig a mainsail single-handed"));
    CHECK(std::any_of(diag2.items().begin(), diag2.items().end(),
                      [](const Diagnostic& d) { return d.rule == "description-fallback"; }));
    // a page that kept some text of its own keeps it alone
    const std::string shown = "<html><head><meta name=description content=\"A summary of the page.\"></head>"
                              "<body><p>" + prose(2) + "</p></body></html>";
    CHECK_FALSE(contains(all_text(read(shown, true)), "A summary of the page"));
}

TEST_CASE("html: hidden boxes and declared text stay bounded on hostile pages") {
    // many openers and panels: one sorted table of the ids opened, looked up once a box
    auto panels = [](int n) {
        std::string page = "<body>";
        for (int i = 0; i < n; ++i) page += "<a aria-controls=p" + std::to_string(i) + ">open</a>";
        for (int i = 0; i < n; ++i) page += "<div id=p" + std::to_string(i) + " hidden><p>panel text</p></div>";
        return page + "</body>";
    };
    const std::string small = panels(5000), big = panels(20000);
    Document doc;
    const double t_small = test::best_cpu_seconds_of(3, [&] { doc = read(small); });
    const double t_big = test::best_cpu_seconds_of(3, [&] { doc = read(big); });
    CHECK(doc.blocks.size() >= 20000);
    CHECK(t_big < 8 * t_small + 0.05);  // four times the input: about four times the work
    // nested openable boxes, deeper than any page: as deep as the parser allows, linear
    std::string nested = "<body>";
    for (int i = 0; i < 5000; ++i) nested += "<div role=tabpanel hidden>";
    nested += "<p>deep</p></body>";
    const auto start = Clock::now();
    CHECK(contains(all_text(read(nested)), "deep"));
    CHECK(seconds_since(start) < 10.0);
    // JSON-LD of a megabyte less a little: read, but its declared text kept only up to
    // kMaxDeclaredTextBytes
    std::string paragraphs;
    while (paragraphs.size() < (1 << 20) - 4096) paragraphs += "<p>" + prose(2) + "</p>";
    const std::string page = "<html><head><script type=\"application/ld+json\">{\"@type\": \"Article\", "
                             "\"articleBody\": \"" + paragraphs + "\"}</script></head><body></body></html>";
    const std::string text = all_text(read(page, true));
    CHECK(contains(text, "The river keeps its course"));
    CHECK(text.size() <= 256 * 1024 + 4096);
}

TEST_CASE("html: an image's sources are read once, the check for a <noscript> twin reading none") {
    // the check for a lazy loader's copy in <noscript> read every image's sources before
    // looking for a <noscript>, and building the image read them again: twice the work of
    // image_source per image, most of the page's when srcsets are long. Counted, not timed.
    constexpr std::size_t kPlain = 7, kWithTwin = 5;
    std::string html = "<body><article><p>Text of the article.</p>";
    for (std::size_t i = 0; i < kPlain; ++i)
        html += "<p>Paragraph " + std::to_string(i) + ".<img srcset=\"p" + std::to_string(i) +
                ".jpg 400w, q.jpg 800w\" alt=\"P" + std::to_string(i) + "\"></p>";
    for (std::size_t i = 0; i < kWithTwin; ++i)
        html += "<p>Lazy " + std::to_string(i) + ".<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"t" +
                std::to_string(i) + ".jpg\" alt=\"T" + std::to_string(i) + "\"><noscript><img src=\"t" +
                std::to_string(i) + ".jpg\" alt=\"T" + std::to_string(i) + "\"></noscript></p>";
    html += "</article></body>";
    const std::size_t before = html::own_source_reads();
    Document doc = read(html);
    const std::size_t reads = html::own_source_reads() - before;
    std::string dump;
    test::describe(doc.blocks, dump, 0, false);
    std::size_t images = 0;
    for (std::size_t at = dump.find("Image \""); at != std::string::npos; at = dump.find("Image \"", at + 1)) ++images;
    CHECK(images == kPlain + kWithTwin);  // the twins written once
    CHECK(reads == kPlain + 2 * kWithTwin);  // each image once, each twin once
}

TEST_CASE("html: a paragraph of many pictures, pairs among them, reads in linear time") {
    // whether two pictures in a row are one (same_picture, and no words in their
    // paragraph) read the whole paragraph for each image: 40,000 took 21 s
    auto page = [](int n) {
        std::string html = "<body><article><p>Words to start the article with.</p><p>";
        for (int i = 0; i < n; ++i) {
            const std::string img = "<img src=\"p" + std::to_string(i) + ".jpg\" alt=\"P\"> ";
            html += img + (i % 2 ? img : "");  // every other picture twice: a pair
        }
        return html + "</p></article></body>";
    };
    const test::WorkMeter meter;
    const std::string small = page(2000), big = page(16000);
    Document doc;
    const double w_small = meter.least_of(3, [&] { doc = read(small); });
    const double w_big = meter.least_of(3, [&] { doc = read(big); });
    std::string dump;
    test::describe(doc.blocks, dump, 0, false);
    std::size_t images = 0;
    for (std::size_t at = dump.find("Image \""); at != std::string::npos; at = dump.find("Image \"", at + 1)) ++images;
    CHECK(images == 16000);  // each pair written once
    INFO("2,000 pictures in " << w_small << " " << meter.unit() << ", 16,000 in " << w_big);
    CHECK(w_big <= meter.max_ratio() * w_small);
}

TEST_CASE("html: many references to a block of many links stay linear") {
    // each reference asked whether the block links back to it walked the whole block:
    // references times links. A block's links are read once; a second reference to an
    // unmarked note is one more reference to it (its label), not a link to a hidden id.
    auto page = [](int n) {
        std::string html = "<body><p>Text";
        for (int i = 0; i < n; ++i) html += "<sup><a href=\"#n\">1</a></sup>";
        html += "</p><p id=n>";
        for (int i = 0; i < n; ++i) html += "<a href=\"#x\"></a>";
        return html + "Not a note.</p></body>";
    };
    const std::string small = page(4000), big = page(16000);
    Document doc;
    const double t_small = test::best_cpu_seconds_of(3, [&] { doc = read(small); });
    const double t_big = test::best_cpu_seconds_of(3, [&] { doc = read(big); });
    CHECK(contains(all_text(doc), "Not a note."));
    CHECK(t_big < 8 * t_small + 0.05);  // four times the input: about four times the work
    const std::string twice = "<body><p>First<a id=r1 href=\"#fn1\"><sup>1</sup></a> and again"
                              "<a href=\"#fn1\"><sup>1</sup></a>.</p>"
                              "<p id=fn1>The only note. <a href=\"#r1\">back</a></p></body>";
    std::string dump;
    test::describe(read(twice).blocks, dump, 0, false);
    CHECK(dump == "Para [Str \"First\", Note \"fn1\" {Para [Str \"The only note.\"]}, Str \" and again\", "
                  "Note \"fn1\" {}, Str \".\"]\n");
}

TEST_CASE("html: source ranges are the lines of the page") {
    Document doc = read("<html>\n<body>\n<h1>Title</h1>\n<p>one\ntwo</p>\n\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
                        "<script>\nx\ny\n</script>\n<p>after</p>\n</body></html>\n");
    REQUIRE(doc.blocks.size() == 4);
    CHECK(doc.blocks[0].source == SourceRange{3, 3});
    CHECK(doc.blocks[1].source == SourceRange{4, 5});
    CHECK(doc.blocks[2].source == SourceRange{7, 9});
    CHECK(doc.blocks[3].source == SourceRange{15, 15});  // the script's lines still count
}

TEST_CASE("html: the registry reads .html, .htm and .xhtml with this reader") {
    CHECK(reader_for_path("page.html").name == "html");
    CHECK(reader_for_path("dir/page.HTM").name == "html");
    CHECK(reader_for_path("page.xhtml").name == "html");
    REQUIRE(find_reader("html") != nullptr);
}

// ------------------------------------------------------------------ metadata

TEST_CASE("html metadata: Open Graph, article:, author, lang, canonical") {
    Document doc = read(
        "<html lang=\"en_us\"><head><title>Headline here | The Site</title>"
        "<meta property=\"og:title\" content=\"Headline here\">"
        "<meta property=\"og:site_name\" content=\"The Site\">"
        "<meta property=\"og:description\" content=\"A summary.\">"
        "<meta property=\"article:published_time\" content=\"2021-03-04T05:06:07Z\">"
        "<meta name=\"author\" content=\"Ann Writer\">"
        "<link rel=\"canonical\" href=\"https://example.com/news/a.html\">"
        "</head><body><h1>Headline here</h1><p>" + prose(3) + "</p>"
        "<p><a href=\"../b.html\">next</a> <a href=\"/c\">c</a> <a href=\"//cdn.example.com/d\">d</a></p></body></html>");
    CHECK(doc.meta.title == "Headline here");
    CHECK(doc.meta.site == "The Site");
    CHECK(doc.meta.date == "2021-03-04");
    CHECK(doc.meta.authors == std::vector<std::string>{"Ann Writer"});
    CHECK(doc.meta.language == "en-US");
    CHECK(doc.meta.source == "https://example.com/news/a.html");
    CHECK(doc.meta.extra.count("description") == 0);  // the lead again: not written out
    std::string dump = describe(doc);
    CHECK(contains(dump, "\"https://example.com/b.html\""));
    CHECK(contains(dump, "\"https://example.com/c\""));
    CHECK(contains(dump, "\"https://cdn.example.com/d\""));
}

TEST_CASE("html metadata: JSON-LD article, @graph, author list, publisher") {
    Document doc = read(
        "<html><head><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
        "{\"@type\":\"WebSite\",\"name\":\"Site name\"},"
        "{\"@type\":[\"NewsArticle\"],\"headline\":\"LD headline\",\"datePublished\":\"2019-11-29T16:31:41+08:00\","
        "\"author\":[{\"@type\":\"Person\",\"name\":\"Bo One\"},{\"name\":\"Cy Two\"},\"https://x.org/who\"],"
        "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Publisher Inc\"}}]}</script>"
        "<script type=\"application/ld+json\">{ broken json</script>"
        "</head><body><p>" + prose(2) + "</p></body></html>");
    CHECK(doc.meta.title == "LD headline");
    CHECK(doc.meta.date == "2019-11-29");
    CHECK(doc.meta.authors == std::vector<std::string>{"Bo One", "Cy Two"});
    CHECK(doc.meta.site == "Publisher Inc");
}

TEST_CASE("html metadata: a CMS's empty date is no date, a publication as its own author is the site") {
    Document doc = read(
        "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"H\","
        "\"datePublished\":\"0001-01-01T00:00:00Z\",\"author\":{\"@type\":\"Organization\",\"name\":\"THE DAILY\"},"
        "\"publisher\":{\"name\":\"The Daily\"}}</script>"
        "<meta property=\"article:published_time\" content=\"2024-05-13T08:00:00+02:00\"></head>"
        "<body><p>" + prose(2) + "</p></body></html>");
    CHECK(doc.meta.date == "2024-05-13");
    CHECK(doc.meta.site == "The Daily");
    CHECK(doc.meta.authors.empty());
}

TEST_CASE("html metadata: <time datetime>, the <title> less its site, a template's author") {
    Document doc = read(
        "<html><head><title>建议对改版 - 建议反馈 - 某某官方论坛 - Powered by Discuz! X3.4</title>"
        "<meta name=\"generator\" content=\"Discuz! X3.4\">"
        "<meta name=\"author\" content=\"Discuz! Team and Comsenz UI Team\"></head>"
        "<body><div><h1>建议对改版</h1><p>正文。<time datetime=\"2024-04-05\">4月5日</time></p></div></body></html>");
    CHECK(doc.meta.title == "建议对改版");
    CHECK(doc.meta.date == "2024-04-05");
    CHECK(doc.meta.authors.empty());
    CHECK(html::title_parts("A | B - C_D") == std::vector<std::string>{"A", "B", "C", "D"});
}

TEST_CASE("html metadata: hostile JSON-LD is skipped, not parsed") {
    std::string deep(100000, '[');
    Document doc = read("<script type=application/ld+json>" + deep + "</script><p>text</p>");
    CHECK(doc.meta.title.empty());
    CHECK(all_text(doc) == "text\n");
}

// ------------------------------------------------------------------ charset

TEST_CASE("html charset: the declaration stands in for detection") {
    CHECK(html_declared_encoding("<meta charset=\"gb2312\"><p>\xD6\xD0\xCE\xC4</p>") == "GB18030");
    CHECK(html_declared_encoding("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">\x82\xA0") ==
          "shift_jis");
    CHECK(html_declared_encoding("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><html>\xE9") == "windows-1252");
    CHECK(html_declared_encoding("<!-- <meta charset=big5> --><meta charset=utf-8>\xE9") == "");
    // saved again as UTF-8 with the old declaration: UTF-8 it stays
    CHECK(html_declared_encoding("<meta charset=gbk><p>中文</p>") == "");
    CHECK(html_declared_encoding("\xEF\xBB\xBF<meta charset=gbk>\xD6\xD0") == "");
    CHECK(html_declared_encoding("<meta charset=no-such-charset>\xE9") == "");
    std::string late(html::kCharsetPrescanBytes, ' ');
    CHECK(html_declared_encoding(late + "<meta charset=gbk>\xD6\xD0") == "");

    ReadOptions options;
    options.source_name = "page.html";
    options.clean = Cleaning::off;
    Diagnostics diag;
    Document gbk = read_document(std::string("<html><head><meta charset=\"gb2312\"></head><body><p>\xD6\xD0\xCE\xC4</p></body>"),
                                 options, diag);
    CHECK(all_text(gbk) == "中文\n");
    Document latin = read_document(std::string("<meta charset=iso-8859-1><p>caf\xE9</p>"), options, diag);
    CHECK(all_text(latin) == "café\n");
}

TEST_CASE("html charset: a page declared UTF-8 with a stray byte of another charset stays UTF-8") {
    // one good "é" and one cp1252 byte: the whole page was read as windows-1252 ("CafÃ©")
    std::string page = "<html><head><meta charset=\"utf-8\"></head><body>\n<p>Caf\xC3\xA9 in UTF-8</p>\n"
                       "<p>Caf\xE9 in Latin-1</p></body></html>";
    CHECK(html_declared_encoding(page) == "UTF-8");
    ReadOptions options;
    options.source_name = "page.html";
    options.clean = Cleaning::off;
    Diagnostics diag;
    Document doc = read_document(page, options, diag);
    CHECK(all_text(doc) == "Café in UTF-8\nCaf\xEF\xBF\xBD in Latin-1\n");
    bool warned = false;
    for (const Diagnostic& d : diag.items())
        warned = warned || (d.severity == Severity::warning && d.first_line == 3 &&
                            d.reason.find("0xE9") != std::string::npos);
    CHECK(warned);
    // all of it valid, or not UTF-8 at all: detection decides, as before
    CHECK(html_declared_encoding("<meta charset=utf-8><p>Caf\xC3\xA9</p>") == "");
    CHECK(html_declared_encoding("<meta charset=utf-8><p>caf\xE9 cr\xE8me br\xFBl\xE9" "e</p>") == "");
}

// ------------------------------------------------------------------ content selection

TEST_CASE("html selection: the article, not the furniture around it") {
    std::string page =
        "<html><head><title>River notes | Site</title></head><body>"
        "<header><a href=/>Site</a><nav><a href=/a>News</a> <a href=/b>Sport</a> <a href=/c>Weather</a></nav></header>"
        "<div class=\"layout\"><div class=\"article-body\"><h1>River notes</h1>"
        "<p>" + prose(3) + "</p><p>" + prose(2, "road") + "</p><p>" + prose(3, "forest") + "</p></div>"
        "<aside><h3>Related</h3><ul><li><a href=/x>Another story about things</a></li>"
        "<li><a href=/y>Yet another story</a></li></ul></aside></div>"
        "<div class=\"share-bar\"><a href=/s1>Share</a> <a href=/s2>Tweet</a></div>"
        "<footer>Copyright © 2024 Site. All rights reserved.</footer></body></html>";
    Diagnostics diag;
    Document doc = read(page, true, diag);
    CHECK(doc.meta.title == "River notes");
    std::string text = all_text(doc);
    CHECK(contains(text, "The river keeps its course"));
    CHECK(contains(text, "The road keeps"));
    CHECK(contains(text, "The forest keeps"));
    CHECK_FALSE(contains(text, "Weather"));
    CHECK_FALSE(contains(text, "Another story"));
    CHECK_FALSE(contains(text, "Copyright"));
    CHECK_FALSE(contains(text, "Tweet"));
    CHECK(validate(doc).empty());
    // every removal is explained, with its lines and signals
    bool header = false, outside = false;
    for (const Diagnostic& d : diag.items()) {
        if (d.pass != "html-select" || d.action != "removed") continue;
        header = header || contains(d.reason, "page header");
        outside = outside || contains(d.reason, "outside the main content");
        CHECK(d.first_line >= 1);
    }
    CHECK(header);
    CHECK(outside);
}

// Trial 13: --explain gave a table's rows a line each (1,000 lines of "overruling:
// repeated" for a 1,000-row table), said "2 images' alt text emptied" without saying
// which, and listed the first selection and the wide mode's one after the other without
// saying that the second replaced the first.
TEST_CASE("html: --explain gives a table's rows one note and names each emptied alt text and the replaced selection") {
    std::string page = "<html><head><title>Ferry crossings</title></head><body>\n"
                       "<nav><a href=/>Home</a> <a href=/news>News</a> <a href=/sport>Sport</a></nav>\n"
                       "<article><h1>Ferry crossings</h1>\n<p>" + prose(3, "ferry") + "</p>\n<table>\n"
                       "<tr><th>Berth</th><th>Crossings</th></tr>\n";
    for (int i = 0; i < 40; ++i)
        page += "<tr><td>Berth " + std::to_string(i) + "</td><td>" + std::to_string(100 + 7 * i) + "</td></tr>\n";
    page += "</table>\n<p>" + prose(2, "quay") + "</p>\n"
            "<figure><img src=\"img/dawn.png\" alt=\"The quay at dawn\"><figcaption>The quay at dawn</figcaption></figure>\n"
            "</article>\n<footer><p>\xC2\xA9 2026 Harbour Gazette</p></footer>\n</body></html>";
    auto explained = [&](const char* mode) {
        ::setenv("DCONV_PAGE_MODE", mode, 1);
        Diagnostics diag;
        Document doc = read(page, true, diag);
        ::unsetenv("DCONV_PAGE_MODE");
        CHECK(contains(all_text(doc), "The quay keeps"));
        return diag;
    };
    Diagnostics block = explained("block");
    std::size_t row_notes = 0, replaced = 0;
    bool alt_named = false;
    for (const Diagnostic& d : block.items()) {
        if (d.pass == "classify" && contains(d.excerpt, "Berth ")) {
            ++row_notes;
            CHECK(contains(d.reason, "(the first of 40 notes on this table's rows"));
        }
        if (d.pass == "html-images" && d.action == "changed") {
            // Trial 15: the excerpt is the text removed, the reason names the image
            alt_named = d.excerpt == "The quay at dawn" && contains(d.reason, "img/dawn.png") && d.first_line == 49;
            CHECK(contains(d.reason, "alt text"));
        }
        replaced += d.action == "replaced";
    }
    CHECK(row_notes == 1);
    CHECK(alt_named);
    CHECK(replaced == 0);  // one selection: nothing to say

    Diagnostics wide = explained("wide");
    std::vector<std::string> select_actions;  // the selection notes in order, and the line between
    for (const Diagnostic& d : wide.items())
        if (d.pass == "html-select") select_actions.push_back(d.action);
    auto at = std::find(select_actions.begin(), select_actions.end(), "replaced");
    REQUIRE(at != select_actions.end());
    CHECK(std::count(select_actions.begin(), select_actions.end(), "replaced") == 1);
    CHECK(std::find(select_actions.begin(), at, "kept") != at);             // the first selection above it
    CHECK(std::find(at, select_actions.end(), "kept") != select_actions.end());  // the wide mode's below
}

TEST_CASE("html selection: a thread keeps every post, not the user cards") {
    std::string page = "<html><body><nav><a href=/>Forum</a> <a href=/t>Topics</a></nav><div id=\"posts\">";
    const char* replies[] = {"I had the same trouble last spring, and a new cable fixed it for me.",
                             "Thanks, that worked!",
                             "Check the fuse first; it is cheaper than a cable, and it fails more often.",
                             "Agreed with the above."};
    page += "<div class=\"post\"><div class=\"user-card\"><a href=/u/1>alice</a><br>Posts: 12</div>"
            "<div class=\"message\"><p>" + prose(2, "charger") + "</p></div></div>";
    int n = 2;
    for (const char* r : replies) {
        page += "<div class=\"post\"><div class=\"user-card\"><a href=/u/" + std::to_string(n) + ">user" +
                std::to_string(n) + "</a><br>Posts: " + std::to_string(n * 7) + "</div><div class=\"message\"><p>" + r +
                "</p></div></div>";
        ++n;
    }
    page += "</div><footer>© Forum</footer></body></html>";
    Document doc = read(page, true);
    std::string text = all_text(doc);
    for (const char* r : replies) CHECK(contains(text, r));
    CHECK(contains(text, "The charger keeps"));
    CHECK_FALSE(contains(text, "Posts: 14"));
    CHECK_FALSE(contains(text, "Topics"));
}

TEST_CASE("html selection: short replies are posts, not furniture, when their kind holds prose elsewhere") {
    std::string page = "<html><body><div id=\"posts\">";
    const char* shorts[] = {"Same here.", "Worked for me too!", "Not for me, sadly."};
    const char* topics[] = {"cable", "charger", "socket", "switch"};
    for (int n = 0; n < 4; ++n) {
        page += "<div class=\"post\"><div class=\"card\"><a href=/u/" + std::to_string(n) + ">user" +
                std::to_string(n) + "</a> 2024-04-0" + std::to_string(n + 1) + "</div><p>" +
                prose(2, topics[n]) + "</p>";
        // replies under the post: one with prose, one short
        page += "<div class=\"reply\"><div class=\"card\"><a href=/u/9>user9</a> 2024-04-09</div><p>" +
                prose(1, std::string("fuse of the ") + topics[n]) + "</p></div>";
        if (n < 3)
            page += "<div class=\"reply\"><div class=\"card\"><a href=/u/8>user8</a> 2024-04-08</div><span>" +
                    std::string(shorts[n]) + "</span></div>";
        page += "</div>";
    }
    page += "</div></body></html>";
    std::string text = all_text(read(page, true));
    for (const char* r : shorts) CHECK(contains(text, r));
    // The replies with prose stay. The last one, the page's last block, is left to the
    // unit model, which since its retraining of 2026-12-07 scores it 0.29 (position and
    // share of the text before it weigh as for a page's closing furniture) and drops it
    // under 0.3: a borderline verdict of the model, not of the thread rules this tests.
    CHECK(contains(text, "The fuse of the cable keeps"));
    CHECK(contains(text, "The fuse of the socket keeps"));
    CHECK_FALSE(contains(text, "2024-04-09"));  // the cards still go
}

TEST_CASE("html selection: a long cookie notice does not win over a short article") {
    std::string notice;
    for (int i = 0; i < 12; ++i)
        notice += "<p>We and our advertising partners use cookies and similar tracking technologies to collect "
                  "personal data about your visit, with your consent, and you may opt out at any time.</p>";
    std::string page = "<html><body><div class=\"story\"><p>" + prose(2) + "</p><p>" + prose(1, "bridge") +
                       "</p></div><div id=\"consent-box\"><h2>Cookie notice</h2>" + notice + "</div></body></html>";
    std::string text = all_text(read(page, true));
    CHECK(contains(text, "The river keeps"));
    CHECK(contains(text, "The bridge keeps"));
    CHECK_FALSE(contains(text, "cookies"));
}

TEST_CASE("html selection: an article about privacy and cookies is no cookie notice") {
    // one sentence on cookie rules made the whole body a notice: nothing was kept
    std::string page = "<html><body><article><h1>Rules for the web</h1>"
                       "<p>The new privacy rules adopted by the regional assembly require every website to ask "
                       "before setting cookies, which small publishers say has cost them readers.</p>"
                       "<p>The assembly said the next phase of the work, on the rules for shops, would start in the "
                       "spring if the budget allowed it, and the hearings would reopen.</p></article></body></html>";
    std::string text = all_text(read(page, true));
    CHECK(contains(text, "The new privacy rules adopted"));
    CHECK(contains(text, "The assembly said the next phase"));
    // the lead of a longer article, about a harbour after a paragraph on privacy
    std::string article = "<p>The new privacy policy rules adopted by the regional assembly require every website "
                          "to ask before setting cookies, which small publishers say has cost them readers.</p>";
    for (const char* topic : {"harbour", "quay", "pier", "ferry", "lighthouse", "market", "school", "bakery"})
        article += "<p>" + prose(1, topic) + "</p>";
    page = "<html><body><nav><a href=/>Home</a> <a href=/n>News</a></nav><article><h1>Privacy and the harbour</h1>" +
           article + "</article><footer>About us</footer></body></html>";
    text = all_text(read(page, true));
    CHECK(contains(text, "The new privacy policy rules adopted"));
    CHECK(contains(text, "The bakery keeps"));
}

TEST_CASE("html cleaning: a paragraph of prose naming a copyright is no legal line, the footer's line is") {
    std::string page = "<html><body><article><h1>Photographs of the quay</h1><p>" + prose(2) + "</p>"
                       "<p>The photographs in this essay are \u00a9 Ann Lee and were taken over two winters on the "
                       "quay, where the light stays flat and grey for months on end.</p>"
                       "<p>Copyright law in the country dates from 1911, and the court said the photographs were "
                       "protected for seventy years after the death of their author.</p><p>" + prose(2, "bridge") +
                       "</p><p>\u00a9 2026 Example Ltd. All rights reserved.</p></article></body></html>";
    std::string text = all_text(read(page, true));
    CHECK(contains(text, "The photographs in this essay are"));
    CHECK(contains(text, "Copyright law in the country dates from 1911"));
    CHECK(contains(text, "The bridge keeps"));
    CHECK_FALSE(contains(text, "All rights reserved"));
}

TEST_CASE("html selection: an image's caption stays with the image, one without an image goes, text set in a figure stays") {
    std::string page = "<html><body><div class=\"story\"><p>" + prose(3) + "</p>"
                       "<figure><img src=a.jpg><figcaption>The old mill at dawn, seen from the east bank. "
                       "(Photo: A. Lens)</figcaption></figure><p>" + prose(2, "bridge") + "</p>"
                       "<figure><img src=b.jpg><figcaption><p>The keeper told us this:</p><p>Every spring the water "
                       "comes up to the third step, and we move the boats.</p></figcaption></figure>"
                       "<p>" + prose(2, "forest") + "</p></div></body></html>";
    std::string text = all_text(read(page, true));
    CHECK(contains(text, "The bridge keeps"));
    CHECK(contains(text, "old mill at dawn"));
    CHECK(contains(text, "third step"));
    // a figure whose image is a tracking pixel (or a video, which the text leaves out)
    std::string bare = "<html><body><div class=\"story\"><p>" + prose(3) + "</p>"
                       "<figure><video src=v.mp4></video><figcaption>The old mill at dawn, in a short film."
                       "</figcaption></figure><p>" + prose(2, "bridge") + "</p></div></body></html>";
    CHECK_FALSE(contains(all_text(read(bare, true)), "old mill at dawn"));
    // without cleaning, the caption is text like any other
    CHECK(contains(all_text(read(page, false)), "old mill at dawn"));
}

TEST_CASE("html selection: the author's byline and bio box go, a post opening with a name stays") {
    std::string article = "<html><head><meta name=\"author\" content=\"Jane Rivers\"></head><body>"
                          "<div class=\"story\"><div class=\"byline\">By Jane Rivers | May 3, 2024</div>"
                          "<p>" + prose(3) + "</p><p>" + prose(2, "bridge") + "</p><p>" + prose(3, "forest") + "</p>"
                          "<p>Jane Rivers said the valley was quiet that year, and she wrote it down.</p>"
                          "<div class=\"box\"><h4>Jane Rivers</h4><p>Jane writes about rivers and the towns "
                          "along them. She lives by the sea.</p></div></div></body></html>";
    std::string text = all_text(read(article, true));
    CHECK(contains(text, "The forest keeps"));
    CHECK_FALSE(contains(text, "May 3, 2024"));
    CHECK_FALSE(contains(text, "She lives by the sea"));
    CHECK(contains(text, "the valley was quiet that year"));  // a paragraph, no box

    // two posts, the first by the page's author: a box, but most of the content
    std::string forum = "<html><head><meta name=\"author\" content=\"alice\"></head><body><div id=\"topic\">"
                        "<div class=\"post\"><div>alice</div><p>" + prose(1, "charger") + "</p></div>"
                        "<div class=\"post\"><div>bob</div><p>" + prose(1, "cable") + "</p></div></div></body></html>";
    std::string thread = all_text(read(forum, true));
    CHECK(contains(thread, "The charger keeps"));
    CHECK(contains(thread, "The cable keeps"));
}

TEST_CASE("html selection: cards of other stories inside the article go") {
    std::string page = "<html><body><main><article><h1>River notes</h1><p>" + prose(3) + "</p><p>" +
                       prose(3, "bridge") + "</p><p>" + prose(3, "forest") + "</p><p>" + prose(2, "harbour") + "</p>"
                       "<div><article><a href=/other>The lake in winter</a><p>" + prose(1, "lake") + "</p></article>"
                       "<article><a href=/third>The hill road</a><p>" + prose(1, "hill road") + "</p></article></div>"
                       "</article></main></body></html>";
    std::string text = all_text(read(page, true));
    CHECK(contains(text, "The harbour keeps"));
    CHECK_FALSE(contains(text, "The lake keeps"));
    CHECK_FALSE(contains(text, "The hill road keeps"));
}

TEST_CASE("html selection: a box folded shut goes, an open one and a folded article stay") {
    std::string page = "<html><body><div class=\"story\"><p>" + prose(3) + "</p><p>" + prose(3, "bridge") +
                       "</p><p>" + prose(3, "forest") + "</p><button>Read the letter</button>"
                       "<div class=\"collapse\" id=\"letter\"><p>" + prose(1, "letter") + "</p></div>"
                       "<div class=\"collapse show\"><p>" + prose(1, "harbour") + "</p></div></div></body></html>";
    std::string text = all_text(read(page, true));
    CHECK(contains(text, "The forest keeps"));
    CHECK_FALSE(contains(text, "The letter keeps"));
    CHECK(contains(text, "The harbour keeps"));
    // most of the article behind "Read more" is the article
    std::string folded = "<html><body><div class=\"story\"><p>" + prose(1) + "</p><div class=\"collapse\"><p>" +
                         prose(3, "bridge") + "</p><p>" + prose(3, "forest") + "</p></div></div></body></html>";
    CHECK(contains(all_text(read(folded, true)), "The forest keeps"));
}

TEST_CASE("html selection: a box calling to sign in goes, a sentence linking to the sign-up page stays") {
    std::string page = "<html><body><div class=\"story\"><p>" + prose(3) + "</p><p>" + prose(3, "bridge") +
                       "</p><p>The club opened its <a href=\"/members/sign-up/\">sign-up page</a> to everyone in "
                       "the valley, and the first hundred names came in before noon.</p>"
                       "<div><div><h2>Talk about it</h2><p>Open your own account to talk with the other readers, "
                       "keep your places and follow the stories you like.</p>"
                       "<a href=\"https://example.org/account/Log_In?next=%2Fstory\">Go on</a></div></div>"
                       "<div>Readers who <a href=\"/signin?to=5\">come in first</a> can write back to the story.</div>"
                       "<p>" + prose(3, "forest") + "</p></div></body></html>";
    std::string text = all_text(read(page, true));
    CHECK(contains(text, "The forest keeps"));
    CHECK(contains(text, "the first hundred names came in"));
    CHECK_FALSE(contains(text, "Open your own account"));
    CHECK_FALSE(contains(text, "can write back to the story"));
}

TEST_CASE("html selection: a short promotion in a box named for furniture goes, a titled note stays") {
    std::string page = "<html><body><div class=\"story\"><p>" + prose(3) + "</p><p>" + prose(3, "bridge") + "</p>"
                       "<div class=\"promo\"><p>Follow the valley paper on your phone, and get the news first, by "
                       "<a href=\"https://example.net/c/valley\">a tap here</a>.</p></div>"
                       "<div class=\"note-keep-the-login-page-open\"><p>Keep the sign-in page open to everyone, "
                       "or nobody can reach it; <a href=\"#auth\">see the settings</a>.</p></div>"
                       "<p>" + prose(3, "forest") + "</p></div></body></html>";
    std::string text = all_text(read(page, true));
    CHECK(contains(text, "The forest keeps"));
    CHECK_FALSE(contains(text, "get the news first"));
    CHECK(contains(text, "or nobody can reach it"));
}

TEST_CASE("html selection: quotes of earlier posts are dropped") {
    std::string first = "My first question is about the long bridge over the northern river, and why it closed.";
    std::string page = "<html><body><div class=\"thread\">"
                       "<div class=\"entry\"><div class=\"body\"><p>" + first + "</p></div></div>"
                       "<div class=\"entry\"><div class=\"body\"><blockquote><p>" + first + "</p></blockquote>"
                       "<p>It closed for repairs to the deck, and it will open again in the spring, I was told.</p></div></div>"
                       "<div class=\"entry\"><div class=\"body\"><p>" + prose(1) + "</p></div></div>"
                       "</div></body></html>";
    Document doc = read(page, true);
    std::string text = all_text(doc);
    CHECK(text.find(first) == text.rfind(first));  // once
    CHECK(contains(text, "open again in the spring"));
}

TEST_CASE("html: --no-clean converts the whole body, metadata still read") {
    std::string page = "<html><head><title>T | S</title></head><body><nav><a href=/a>Menu item</a></nav>"
                       "<p>" + prose(1) + "</p><footer>Footer text</footer></body></html>";
    Document doc = read(page, false);
    std::string text = all_text(doc);
    CHECK(contains(text, "Menu item"));
    CHECK(contains(text, "Footer text"));
    CHECK(doc.meta.title == "T");
}

// ------------------------------------------------------------------ prescan

TEST_CASE("html prescan: script and style bodies go, their lines stay") {
    std::string markup = "<p>a</p><script>\nvar s = \"</p>\";\n</script><style>\np { }\n</style>"
                         "<script type=\"application/ld+json\">{\"a\":1}</script><!-- x\ny --><!-- z -->"
                         "<textarea><script>kept</textarea><p>b</p>";
    html::PrescanReport report = html::prepare_markup(markup);
    CHECK(markup == "<p>a</p><script>\n\n</script><style>\n\n</style><script type=\"application/ld+json\">{\"a\":1}"
                    "</script><!--\n--><textarea><script>kept</textarea><p>b</p>");
    CHECK(report.cut_bytes > 0);
    CHECK(report.flattened_tags == 0);

    // a script that writes a script in an HTML comment ends at the outer end tag
    std::string written = "<script><!-- document.write(\"<script>x()</script>\"); --></script><p>after</p>";
    html::prepare_markup(written);
    CHECK(written == "<script></script><p>after</p>");
}

TEST_CASE("html prescan: nesting beyond the limit is flattened, real pages are not touched") {
    std::string deep;
    for (int i = 0; i < 2000; ++i) deep += "<div>";
    deep += "text";
    for (int i = 0; i < 2000; ++i) deep += "</div>";
    html::PrescanReport report = html::prepare_markup(deep);
    CHECK(report.flattened_tags == 2000 - html::kMaxElementDepth);

    std::string lists;  // unclosed <li> and <p> close themselves: no depth
    for (int i = 0; i < 3000; ++i) lists += "<ul><li>a<li>b<p>c<p>d</ul><table><tr><td>x<td>y<tr><td>z</table>";
    CHECK(html::prepare_markup(lists).flattened_tags == 0);
}

// ------------------------------------------------------------------ hostile input

// ------------------------------------------------------------------ the tree's memory

TEST_CASE("html memory: the content built while its tree is freed node by node is the content of the whole tree") {
    // Each shape the builder frees differently: rows of a table and the white space
    // between them (freed as read, in a block), a <picture> whose <img> reads the
    // <source>s before it (kept till the inline element ends), a block inside an inline
    // element, skipped and hidden elements, comments, a template, nested lists, pre.
    const std::string page =
        "<!DOCTYPE html><html><head><title>t</title></head><body>\n"
        "<h1>The harbour</h1>\n<p>Some <em>emphasis, <a href='/x'>a <b>link</b></a></em> and text.<!-- a comment --></p>\n"
        "<table>\n<thead><tr><th>quay</th><th>boats</th></tr></thead>\n<tbody>\n"
        "<tr><td>north</td><td>12</td></tr>\n<tr><td>south <i>pier</i></td><td>7</td></tr>\n"
        "<tr><td><p>a block</p><p>in a cell</p></td><td>3</td></tr>\n</tbody></table>\n"
        "<p><picture><source srcset='/big.webp 2x, /small.webp 1x' type='image/webp'>"
        "<img src='/photo.jpg' alt='the quay at dawn'></picture> A picture.</p>\n"
        "<figure><img src='/f.png' alt='figure'><figcaption>The caption</figcaption></figure>\n"
        "<span>inline <div>a block in an inline</div> after</span>\n"
        "<ul><li>one<ul><li>nested <script>var x;</script>two</li></ul></li><li>three</li></ul>\n"
        "<div hidden><p>hidden text</p></div><template><p>template</p></template>\n"
        "<pre>  code\n  kept  </pre>\n<blockquote><p>quoted</p></blockquote>\n"
        "</body></html>\n";
    html::BuildOptions options;
    options.base_url = "https://example.org/page";
    html::Page whole(page);
    std::vector<bool> removed(whole.size(), false);
    Blocks expected = html::build_blocks(whole, {whole.body()}, removed, options);
    html::Page consumed(page);
    Blocks got = html::build_blocks_consuming(consumed, {consumed.body()}, removed, options);
    std::string want, have;
    describe(expected, want, 0, false);
    describe(got, have, 0, false);
    CHECK(have == want);
    CHECK(contains(want, "big.webp"));  // the <source> was still there for the <img>
    CHECK(contains(want, "a block in an inline"));
    CHECK(contains(want, "south"));
}

TEST_CASE("html memory: the arena hands out aligned blocks of every size and gives emptied slabs back") {
    html::GumboArena arena;
    std::mt19937 random(16);
    struct Held {
        char* data;
        std::size_t bytes;
        char fill;
    };
    std::vector<Held> blocks;
    for (int i = 0; i < 20000; ++i) {  // during the parse: blocks come and go
        std::size_t bytes = random() % 3 == 0 ? random() % 2000 : random() % 200;
        auto* block = static_cast<char*>(arena.allocate(bytes));
        REQUIRE(block != nullptr);
        CHECK(reinterpret_cast<std::uintptr_t>(block) % alignof(void*) == 0);
        auto fill = static_cast<char>(i);
        std::fill(block, block + bytes, fill);
        blocks.push_back({block, bytes, fill});
        if (random() % 4 == 0) {
            std::size_t k = random() % blocks.size();
            arena.deallocate(blocks[k].data);
            blocks.erase(blocks.begin() + static_cast<long>(k));
        }
    }
    CHECK(arena.slab_count() > 0);
    CHECK(arena.large_count() > 0);
    arena.finish_parse();
    const std::size_t held = arena.slab_count();
    // no block overlaps another: each still holds what was written into it
    for (const Held& h : blocks)
        CHECK(std::all_of(h.data, h.data + h.bytes, [&h](char c) { return c == h.fill; }));
    std::shuffle(blocks.begin(), blocks.end(), random);
    for (std::size_t k = 0; k < blocks.size(); ++k) {
        arena.deallocate(blocks[k].data);
        if (k == blocks.size() / 2) CHECK(arena.slab_count() <= held);
    }
    CHECK(arena.slab_count() == 0);  // every slab given back as it emptied
    CHECK(arena.large_count() == 0);
    arena.deallocate(nullptr);  // as free(NULL)
}

TEST_CASE("html: hostile inputs finish fast and cleanly") {
    auto start = Clock::now();
    auto check = [](const std::string& html, std::string_view must_have = {}) {
        for (bool clean : {false, true}) {
            Diagnostics diag;
            Document doc = read(html, clean, diag);
            CHECK(validate(doc).empty());
            if (!must_have.empty() && !clean) CHECK(contains(all_text(doc), must_have));
        }
    };
    {
        std::string deep;  // 100,000 nested elements: gumbo alone would take minutes
        for (int i = 0; i < 100000; ++i) deep += "<div>";
        check(deep + "deep text", "deep text");
        std::string lists;
        for (int i = 0; i < 50000; ++i) lists += "<ul><li><blockquote>";
        check(lists + "nested", "nested");
        std::string formatting;
        for (int i = 0; i < 100000; ++i) formatting += "<b><i>";
        check(formatting + "bold", "bold");
    }
    {
        std::string unclosed;  // formatting left open and reopened in every paragraph
        for (int i = 0; i < 20000; ++i) unclosed += "<b x=" + std::to_string(i) + "><p>para " + std::to_string(i);
        check(unclosed, "para 19999");
    }
    {
        std::string attributes = "<div";
        for (int i = 0; i < 50000; ++i) attributes += " a" + std::to_string(i) + "=1";
        check(attributes + ">attributes</div>", "attributes");
    }
    {
        std::string line = "<p>";  // one 10 MB line of text
        for (int i = 0; i < 1000000; ++i) line += "word word ";
        check(line);
    }
    {
        std::mt19937 random(42);  // 2 MB of markup characters at random
        const char alphabet[] = "<>/=\"' \nabdipv&;#!-";
        std::string junk(2 << 20, ' ');
        for (char& c : junk) c = alphabet[random() % (sizeof alphabet - 1)];
        check(junk);
        std::string binaryish(1 << 20, ' ');  // high bytes and controls, decoded first
        for (char& c : binaryish) c = static_cast<char>(random() % 256);
        ReadOptions options;
        options.source_name = "binary.html";
        Diagnostics diag;
        try {
            Document doc = read_document(binaryish, options, diag);
            CHECK(validate(doc).empty());
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::input);
        }
    }
    {
        check("<table><tr><td>" + std::string("<td>x") + "<p><li><dd><option><h1><pre>", "x");
        check("<a href=x><div><h2>heading in a link</h2><p>para in a link</p></div></a>", "heading in a link");
        check("</p></br></div><p><p><p>", {});
        check("", {});
    }
    CHECK(seconds_since(start) < 120.0);  // a hang guard: about 4 s of CPU on one core
}

TEST_CASE("html: a hundred thousand sibling paragraphs finish fast, cleaned") {
    // 100,000 paragraphs left open, siblings under one parent: the unit model's count of
    // same-shaped siblings compared each child past the first 512 with all 512 again
    // (97 s for these 400 KB in a Release build; 0.5 s since).
    std::string page;
    for (int i = 0; i < 100000; ++i) page += "<p>a";
    page += "<p>the last paragraph";
    Diagnostics diag;
    Document doc;
    const double seconds = dconv::test::cpu_seconds_of([&] { doc = read(page, true, diag); });
    CHECK(validate(doc).empty());
    CHECK(seconds < 15.0);  // a hang guard, 30 times the Release build's time
}

TEST_CASE("html: hostile tables, images and footnotes finish fast, linear, and lose no text") {
    auto timed = [](const std::string& html, bool clean) {  // in this thread's CPU time
        Diagnostics diag;
        Document doc;
        double seconds = dconv::test::cpu_seconds_of([&] { doc = read(html, clean, diag); });
        CHECK(validate(doc).empty());
        return std::make_pair(std::move(doc), seconds);
    };
    auto table_rows = [](int rows) {
        std::string html = "<table><tr><th>n</th><th>square</th></tr>";
        for (int i = 0; i < rows; ++i)
            html += "<tr><td>" + std::to_string(i) + "</td><td>" + std::to_string(static_cast<long long>(i) * i) + "</td></tr>";
        return html + "</table>";
    };
    {  // 10,000 columns: wider than kMaxTableColumns, read through as text, every cell kept
        std::string html = "<table><tr>";
        for (int i = 0; i < 10000; ++i) html += "<th>h" + std::to_string(i) + "</th>";
        html += "</tr><tr>";
        for (int i = 0; i < 10000; ++i) html += "<td>c" + std::to_string(i) + "</td>";
        html += "</tr></table>";
        auto [doc, seconds] = timed(html, false);
        for (const Block& b : doc.blocks) CHECK_FALSE(std::holds_alternative<Table>(b.node));
        std::string text = all_text(doc);
        CHECK(contains(text, "h9999"));
        CHECK(contains(text, "c9999"));
        CHECK(seconds < 10);
    }
    {  // colspan claims beyond the cap and beyond reason
        auto [doc, seconds] = timed("<table><tr><td colspan=99999999>a</td><td rowspan=99999999>b</td></tr>"
                                    "<tr><td>c</td><td>d</td></tr></table>", false);
        CHECK(contains(all_text(doc), "a"));
        CHECK(contains(all_text(doc), "d"));
        CHECK(seconds < 10);
    }
    {  // tables nested 400 deep (the prescan keeps 512 elements of depth)
        std::string html;
        for (int i = 0; i < 400; ++i) html += "<table><tr><td>level " + std::to_string(i);
        html += "<table><tr><td>x</td><td>y</td></tr><tr><td>z</td><td>w</td></tr></table>";
        auto [doc, seconds] = timed(html, false);
        std::string text = all_text(doc);
        CHECK(contains(text, "level 0"));
        CHECK(contains(text, "level 399"));
        CHECK(seconds < 10);
    }
    {  // 100,000 rows in linear time: ten times the rows, not a hundred times the time
        auto small = timed(table_rows(10000), false);
        auto large = timed(table_rows(100000), false);
        REQUIRE(large.first.blocks.size() == 1);
        const auto* table = std::get_if<Table>(&large.first.blocks.front().node);
        REQUIRE(table != nullptr);
        CHECK(table->head.size() == 1);
        CHECK(table->body.size() == 100000);
        CHECK(large.second < 30 * std::max(small.second, 0.01));
        auto cleaned = timed("<article><p>" + prose(2) + "</p>" + table_rows(100000) + "</article>", true);
        CHECK(cleaned.second < 60);
    }
    {  // 50,000 references to one note, and 20,000 notes: each note read once
        std::string html = "<p>text";
        for (int i = 0; i < 50000; ++i) html += "<sup><a href=\"#n\">1</a></sup>";
        html += "</p><ol><li id=n>the note</li></ol>";
        for (int i = 0; i < 20000; ++i) html += "<p>r<sup><a href=\"#m" + std::to_string(i) + "\">" + std::to_string(i) + "</a></sup></p>";
        html += "<ol>";
        for (int i = 0; i < 20000; ++i) html += "<li id=m" + std::to_string(i) + ">note " + std::to_string(i) + "</li>";
        html += "</ol>";
        auto [doc, seconds] = timed(html, false);
        CHECK(seconds < 20);
    }
    {  // 100,000 images, srcsets of 10,000 candidates
        std::string html = "<p>";
        for (int i = 0; i < 100000; ++i) html += "<img src=\"i" + std::to_string(i) + ".png\" alt=\"\">";
        html += "</p><p><img srcset=\"";
        for (int i = 0; i < 10000; ++i) {  // appended piece by piece: "s" + std::to_string(i) made GCC 12 warn falsely
            html += 's';
            html += std::to_string(i);
            html += ".png ";
            html += std::to_string(i);
            html += "w, ";
        }
        html += "\" alt=big></p>";
        auto [doc, seconds] = timed(html, false);
        CHECK(seconds < 20);
    }
}

TEST_CASE("html cleaning: an article's heading other than the page's title stays, a data table stays a table") {
    Document doc = read(
        "<html><head><title>Prices</title></head>\n<body>\n<article>\n<h1>Fuel prices in May</h1>\n<p>" + prose(2) +
            "</p>\n<table><tr><th>Fuel</th><th>Price</th></tr><tr><td>Petrol Super</td><td>1.89</td></tr>"
            "<tr><td>Diesel Plus</td><td>1.75</td></tr></table>\n<p>" + prose(2, "road") + "</p>\n</article></body></html>",
        true);
    CHECK(doc.meta.title == "Prices");
    REQUIRE(!doc.blocks.empty());
    const auto* h = std::get_if<Heading>(&doc.blocks.front().node);
    REQUIRE(h != nullptr);
    CHECK(plain_text(h->content) == "Fuel prices in May");
    std::string text = all_text(doc);
    CHECK(contains(text, "Fuel\tPrice\nPetrol Super\t1.89\nDiesel Plus\t1.75\n"));
    for (const Block& b : doc.blocks)
        if (const auto* heading = std::get_if<Heading>(&b.node)) CHECK_FALSE(contains(plain_text(heading->content), "|"));
}

TEST_CASE("html metadata: the site's name at one end of the title goes, unless the rest says less") {
    auto title_of = [](std::string og_title) {
        return read("<html><head><meta property=\"og:title\" content=\"" + og_title +
                    "\"><meta property=\"og:site_name\" content=\"Harbour Daily\"></head><body><p>" + prose(2) +
                    "</p></body></html>")
            .meta.title;
    };
    CHECK(title_of("The north pier reopens | Harbour Daily") == "The north pier reopens");
    CHECK(title_of("HARBOUR DAILY - The north pier reopens") == "The north pier reopens");
    CHECK(title_of("Home | Harbour Daily") == "Home | Harbour Daily");
    CHECK(title_of("The pier of Harbour Daily fame") == "The pier of Harbour Daily fame");
}

TEST_CASE("html metadata: a <title> that names the site first gives the other part, the site known") {
    auto title_of = [](std::string head) {
        return read("<html><head>" + head + "</head><body><article><p>" + prose(2) + "</p></article></body></html>")
            .meta.title;
    };
    const std::string site = "<meta property=\"og:site_name\" content=\"Harbour Gazette\">";
    CHECK(title_of(site + "<title>Harbour Gazette - Pier reopens after two years</title>") ==
          "Pier reopens after two years");
    CHECK(title_of(site + "<title>Harbour Gazette: Pier reopens after two years</title>") ==
          "Pier reopens after two years");
    CHECK(title_of(site + "<title>Pier reopens after two years | Harbour Gazette</title>") ==
          "Pier reopens after two years");
    // the site found otherwise: the host the page lives at
    CHECK(title_of("<link rel=\"canonical\" href=\"https://www.harbour-gazette.co.uk/pier.html\">"
                   "<title>Harbour Gazette - Pier reopens after two years</title>") == "Pier reopens after two years");
    // a colon elsewhere is the headline's own
    CHECK(title_of(site + "<title>Review: the new pier</title>") == "Review: the new pier");
    // all parts the site: the title stays whole
    CHECK(title_of(site + "<title>Harbour Gazette</title>") == "Harbour Gazette");
}

TEST_CASE("html: a kept element inside a removed box is put back where the page has it") {
    // the whole page but its landmarks (--favor-recall): the page header goes, the nav
    // inside it is kept, and stands before the article, not after it
    const std::string html =
        "<html><head><title>Pier</title></head><body>"
        "<header><a href=\"/\">Harbour Gazette home</a><nav><ul><li><a href=\"/news\">News</a></li>"
        "<li><a href=\"/sport\">Sport</a></li></ul></nav></header>"
        "<main><article><h1>Pier</h1><p>" + prose(3) + "</p><p>" + prose(3, "forest") + "</p></article></main>"
        "</body></html>";
    ReadOptions options;
    options.source_name = "pier.html";
    options.favor = Favor::recall;
    options.keep_selectors = {"nav"};
    Diagnostics diag;
    std::string text = all_text(read_document(html, options, diag));
    INFO(text);
    REQUIRE(contains(text, "News"));
    CHECK(text.find("News") < text.find(prose(3).substr(0, 20)));
    CHECK_FALSE(contains(text, "Harbour Gazette home"));  // the header's other children stay out
    // --explain removes nothing that the output keeps
    for (const Diagnostic& d : diag.items()) {
        INFO(d.pass << ": " << d.action << " " << d.excerpt);
        CHECK_FALSE((d.action == "removed" && (d.excerpt == "News" || d.excerpt == "Sport")));
    }
    // the nav in a wrapper inside the header: the wrapper's other children stay out too
    std::string wrapped = html;
    wrapped.replace(wrapped.find("<header>"), 8, "<header><div class=bar>");
    wrapped.replace(wrapped.find("</header>"), 9, "<form><input name=q placeholder=Search></form></div></header>");
    Diagnostics wrapped_diag;
    text = all_text(read_document(wrapped, options, wrapped_diag));
    INFO(text);
    REQUIRE(contains(text, "News"));
    CHECK(text.find("News") < text.find(prose(3).substr(0, 20)));
    CHECK_FALSE(contains(text, "Harbour Gazette home"));
}

// Every page of the dev set (../shared/devset, beside the checkout) reads, cleaned and
// not, into a valid document: tables, figures and notes of real pages keep the tree
// rules. DCONV_HTML_PAGES=DIR reads every .html file of DIR instead (a larger set).
TEST_CASE("html: real pages read into valid documents") {
    namespace fs = std::filesystem;
    std::vector<fs::path> pages;
    if (const char* dir = std::getenv("DCONV_HTML_PAGES")) {
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".html") pages.push_back(e.path());
    } else {
        fs::path devset = fs::path(DCONV_SOURCE_DIR) / ".." / "shared" / "devset" / "cases";
        if (!fs::exists(devset)) {
            WARN("no dev set at " << devset.string() << " (it lives beside the checkout in ../shared): skipped");
            return;
        }
        for (const auto& e : fs::directory_iterator(devset))
            if (fs::exists(e.path() / "page.html")) pages.push_back(e.path() / "page.html");
    }
    REQUIRE(!pages.empty());
    std::sort(pages.begin(), pages.end());
    for (const fs::path& p : pages) {
        std::ifstream in(p, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (bool clean : {false, true}) {
            INFO(p.string() << (clean ? " cleaned" : ""));
            ReadOptions options;
            options.clean = clean ? Cleaning::on : Cleaning::off;
            options.source_name = p.string();
            options.format = "html";
            Diagnostics diag;
            Document doc = read_document(bytes, options, diag);
            std::vector<std::string> problems = validate(doc);
            INFO((problems.empty() ? std::string() : problems.front()));
            CHECK(problems.empty());
        }
    }
}

// ------------------------------------------------------------ the page model

namespace {

// A shop's category page: a menu, thirty cards (a title link, a short blurb, a price),
// a footer. What a reader came for is the cards.
std::string listing_page() {
    std::string html = "<!doctype html><html lang=en><head><title>Garden tools</title></head><body>"
                       "<nav><ul>";
    for (int i = 0; i < 12; ++i) html += "<li><a href=/section" + std::to_string(i) + ">Section " + std::to_string(i) + "</a></li>";
    html += "</ul></nav><main><h1>Garden tools</h1><ul class=grid>";
    for (int i = 0; i < 30; ++i)
        html += "<li class=card><h3><a href=/item" + std::to_string(i) + ">Steel rake number " + std::to_string(i) +
                "</a></h3><p>Forged steel head, ash handle, for leaves and loose soil.</p><span class=price>$" + std::to_string(20 + i) +
                ".00</span></li>";
    html += "</ul></main><footer><p>Copyright 2024 Example Shop. All rights reserved.</p>"
            "<a href=/privacy>Privacy</a> <a href=/terms>Terms</a></footer></body></html>";
    return html;
}

std::string text_of(const Document& doc) {
    std::string out;
    for (const Block& b : doc.blocks) out += plain_text(b) + "\n";
    return out;
}

Document read_favoring(const std::string& html, Favor favor, Diagnostics& diag) {
    ReadOptions options;
    options.clean = Cleaning::on;
    options.favor = favor;
    return read_html(html, options, diag);
}

// The page model's verdict on `html` as the reader, cleaning, comes to it: the page
// indexed with its buttons left out, its metadata, the structural selection, the signals.
html::PageVerdict page_verdict(std::string markup) {
    html::prepare_markup(markup);
    const html::Page page(markup);
    const html::PageMetadata meta = html::read_page_metadata(page);
    Diagnostics quiet(false);
    const std::string language = text::lower_ascii(std::string_view(meta.language).substr(0, meta.language.find('-')));
    const html::Selection selection = html::select_content(page, language, meta.authors, quiet);
    return html::judge_page(html::page_signals(page, meta, selection, markup));
}

}  // namespace

TEST_CASE("html: the page model names the page's type in the metadata and in --explain") {
    Diagnostics diag(true);
    Document doc = read_favoring(listing_page(), Favor::balanced, diag);
    // --explain names the type always; the metadata, when the model is sure enough (the
    // next case), names the same one
    std::string explained;
    for (const Diagnostic& d : diag.items())
        for (std::string_view type : html::page_types())
            if (d.pass == "page-model" && d.reason.find("page type " + std::string(type) + " ") != std::string::npos)
                explained = type;
    CHECK((explained == "article" || explained == "forum" || explained == "product" || explained == "collection" ||
           explained == "listing" || explained == "documentation" || explained == "service"));
    if (doc.meta.extra.count("type")) CHECK(doc.meta.extra.at("type") == explained);
    // without cleaning there is no judgement, and no type
    CHECK(read(listing_page()).meta.extra.count("type") == 0);
}

TEST_CASE("html: the metadata states the page's type only when the page model is fairly sure of it") {
    // A short article of a few paragraphs: the model, trained on real pages, is unsure of
    // its type (a thread saved without its posts reads much the same), and a reader of the
    // front matter should not be told it is a forum. --explain still names its guess.
    std::string page = "<html><head><title>The quay</title></head><body><article><h1>The quay</h1>";
    for (int i = 0; i < 3; ++i)
        page += "<p>The council said the next phase of the work, on the south wall, would start in the spring "
                "if the weather allowed it, and the quay would reopen to boats in the summer.</p>";
    page += "</article></body></html>";
    for (const std::string& html : {page, listing_page()}) {
        Diagnostics diag(true);
        Document doc = read_favoring(html, Favor::balanced, diag);
        const dconv::html::PageVerdict verdict = page_verdict(html);
        // the verdict is the reader's: --explain names its type and rounded probability
        char stated[64];
        std::snprintf(stated, sizeof stated, "page type %s (p %.2f)", std::string(verdict.type).c_str(),
                      static_cast<double>(verdict.type_probability));
        bool explained = false;
        for (const Diagnostic& d : diag.items()) explained = explained || (d.pass == "page-model" && contains(d.reason, stated));
        CHECK(explained);
        const bool sure = verdict.type_probability >= dconv::html::kMinStatedTypeProbability;
        CHECK(doc.meta.extra.count("type") == (sure ? 1u : 0u));
        // the short page is the case this is for (if a retrained model is sure of it, pick
        // another page the model is unsure of)
        if (html == page) CHECK_FALSE(sure);
    }
}

TEST_CASE("html: --favor-recall keeps every card of a listing and still drops its menu and footer") {
    Diagnostics diag;
    std::string kept = text_of(read_favoring(listing_page(), Favor::recall, diag));
    for (int i : {0, 7, 15, 29}) CHECK(kept.find("Steel rake number " + std::to_string(i)) != std::string::npos);
    CHECK(kept.find("Section 3") == std::string::npos);
    CHECK(kept.find("All rights reserved") == std::string::npos);
}

TEST_CASE("html: --favor-precision never widens the content beyond what the structure chose") {
    Diagnostics diag;
    std::string precise = text_of(read_favoring(listing_page(), Favor::precision, diag));
    std::string recall = text_of(read_favoring(listing_page(), Favor::recall, diag));
    CHECK(precise.size() <= recall.size());
    CHECK(precise.find("Section 3") == std::string::npos);
}

TEST_CASE("html reader: the library's keep and drop selectors") {
    const std::string html =
        "<html><head><title>Ferry</title></head><body>"
        "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>"
        "<aside class=\"factbox\"><p>The ferry was built in 1962, and has crossed the bay more than forty thousand "
        "times since, in every kind of weather.</p></aside>"
        "<article><h1>Ferry</h1>"
        "<p>The old ferry made its last crossing on Sunday, with the mayor and two hundred passengers on board, "
        "and a brass band waiting on the quay.</p>"
        "<p class=\"ad\">Book your summer cruise now with our partners, and save on every crossing this year.</p>"
        "<p>A new ferry, twice as large and powered by batteries, will take over the route in the spring.</p>"
        "</article></body></html>";
    ReadOptions options;
    options.source_name = "ferry.html";
    auto text_of = [](const Document& doc) {
        std::string text;
        for (const Block& b : doc.blocks) text += plain_text(b) + "\n";
        return text;
    };
    Diagnostics plain_diag;
    std::string plain = text_of(read_document(html, options, plain_diag));
    REQUIRE_FALSE(contains(plain, "built in 1962"));  // the premise: an aside is furniture
    REQUIRE(contains(plain, "Book your summer cruise"));

    options.keep_selectors = {"aside.factbox"};
    options.drop_selectors = {"article > p.ad", "nav"};
    Diagnostics diag;
    std::string steered = text_of(read_document(html, options, diag));
    CHECK(contains(steered, "built in 1962"));
    CHECK_FALSE(contains(steered, "Book your summer cruise"));
    CHECK(contains(steered, "last crossing on Sunday"));
    CHECK(contains(steered, "powered by batteries"));
    CHECK_NOTHROW(check_selectors(options));

    options.keep_selectors = {"aside:not(.x)"};
    CHECK_THROWS_AS(check_selectors(options), Error);
    Diagnostics bad_diag;
    CHECK_THROWS_WITH(read_document(html, options, bad_diag), Catch::Contains("--keep-selector") &&
                                                                   Catch::Contains("'aside:not(.x)'"));
}

TEST_CASE("html reader: a --drop-selector that leaves nothing says so, as text inputs do") {
    // Regression: --drop-selector article on an article page gave an empty body and no word.
    const std::string html =
        "<html><head><title>Pier</title></head><body>"
        "<header><nav><a href=\"/\">News</a> <a href=\"/sport\">Sport</a> <a href=\"/weather\">Weather</a></nav></header>"
        "<article><h1>The North Pier Reopens</h1>"
        "<p>The north pier reopened on Saturday after two years of repairs, and some three hundred people "
        "walked its full length in the first hour.</p>"
        "<p>Its deck was replaced plank by plank, and the lamps along it now run on the tide.</p>"
        "</article>"
        "<footer><a href=\"/about\">About us</a> <a href=\"/contact\">Contact</a></footer></body></html>";
    auto warnings = [](const Diagnostics& diag) {
        std::string out;
        for (const Diagnostic& d : diag.items())
            if (d.severity == Severity::warning) out += d.reason + "\n";
        return out;
    };
    ReadOptions options;
    options.source_name = "pier.html";
    options.drop_selectors = {"article"};
    Diagnostics diag;
    Document doc = read_document(html, options, diag);
    REQUIRE(doc.blocks.empty());  // the premise: what is left is furniture
    CHECK_THAT(warnings(diag), Catch::Contains("nothing was kept") && Catch::Contains("--drop-selector 'article'"));

    options.drop_selectors = {"body"};
    Diagnostics all_diag;
    CHECK(read_document(html, options, all_diag).blocks.empty());
    CHECK_THAT(warnings(all_diag), Catch::Contains("nothing was kept: --drop-selector 'body' removed all of the page's text"));

    // Regression (trial 13): where the cleaning passes had said "nothing was kept" of
    // their own (in the wide mode, which cleans what the landmarks leave), that warning
    // stood and named no selector
    const std::string with_notice = std::string(html).replace(
        html.find("<footer>"), 8, "<footer><p>\xC2\xA9 2026 Harbour Gazette. All rights reserved.</p>");
    ::setenv("DCONV_PAGE_MODE", "wide", 1);
    options.drop_selectors = {"article"};
    Diagnostics wide_diag;
    Document wide = read_document(with_notice, options, wide_diag);
    ::unsetenv("DCONV_PAGE_MODE");
    REQUIRE(wide.blocks.empty());
    CHECK_THAT(warnings(wide_diag),
               Catch::Contains("nothing was kept: what --drop-selector 'article' left looked like page furniture"));
    CHECK_THAT(warnings(wide_diag), !Catch::Contains("every line looked like page furniture"));

    options.drop_selectors = {"footer"};  // the article stays: no such warning
    Diagnostics kept_diag;
    CHECK_FALSE(read_document(html, options, kept_diag).blocks.empty());
    CHECK_THAT(warnings(kept_diag), !Catch::Contains("nothing was kept"));
}

// Trial 13: a table's own dir="rtl" lang="ar" in an English page was lost from the model
// (and so from native JSON and every writer).
TEST_CASE("html reader: a table keeps its own language and direction") {
    Document doc = read("<html lang=\"en\"><body><p>Rates below.</p>"
                        "<table dir=\"RTL\" lang=\"ar\"><tr><th>\u0627\u0644\u064A\u0648\u0645</th><th>B</th></tr>"
                        "<tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>"
                        "<table><tr><th>X</th><th>Y</th></tr><tr><td>1</td><td>2</td></tr></table></body></html>");
    std::vector<const Table*> tables;
    for (const Block& b : doc.blocks)
        if (const auto* t = std::get_if<Table>(&b.node)) tables.push_back(t);
    REQUIRE(tables.size() == 2);
    CHECK(tables[0]->locale->language == "ar");
    CHECK(tables[0]->locale->direction == "rtl");
    CHECK(tables[1]->locale->language.empty());
    CHECK(tables[1]->locale->direction.empty());
    std::string native = write_document(doc, "native", {});
    CHECK(native.find("\"direction\": \"rtl\"") != std::string::npos);
    CHECK(native.find("\"language\": \"ar\"") != std::string::npos);
}
