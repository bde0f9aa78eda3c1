// xhtml_writer_test.cpp: the XHTML writer: escaping, languages and directions, links,
// what is left out, styles, and the golden page (tests/golden/xhtml; regenerate with
// DCONV_UPDATE_GOLDEN=1 and review the diff).
#include <catch2/catch.hpp>

#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "core/css_scan.hpp"
#include "dconv/diagnostics.hpp"
#include "dconv/limits.hpp"
#include "dconv/styles.hpp"
#include "unit/epub_test_support.hpp"
#include "xhtml/images.hpp"
#include "xhtml/scripts.hpp"
#include "xhtml/xhtml_writer.hpp"

using namespace dconv;
using namespace dconv::test;
using Catch::Contains;

namespace {

std::string page(const Document& doc, const WriteOptions& options = {}) { return write_xhtml(doc, options); }

// The body of a page, without the head and its CSS.
std::string body_of(const std::string& html) {
    std::size_t start = html.find("<body");
    return start == std::string::npos ? html : html.substr(start);
}

Document one_paragraph(Inlines content, std::string language = "en") {
    Document doc;
    doc.meta.language = std::move(language);
    doc.blocks.push_back(make_paragraph(std::move(content)));
    return doc;
}

std::string runs(std::string_view s, std::string_view page_language) {
    std::vector<xhtml::ScriptRun> out;
    xhtml::split_by_script(s, page_language, out);
    std::string described;
    for (const auto& r : out) {
        described += '[';
        described.append(r.language);
        described += ':';
        described.append(r.text);
        described += ']';
    }
    return described;
}

}  // namespace

TEST_CASE("xhtml: markup characters are escaped in text, attributes and metadata") {
    std::string html = page(markup_document());
    INFO(html);
    CHECK(xml_problem(html).empty());
    CHECK_THAT(html, Contains("<title>Title &lt;b&gt;&amp;amp; \"quoted\" 'single' &lt;/p&gt;]]&gt;"));
    CHECK_THAT(html, Contains("<meta name=\"author\" content=\"O&apos;Brien &amp; &quot;Sons&quot;\"/>"));
    CHECK_THAT(html, Contains("<code>code &lt;&amp;\"'&gt;</code>"));
    CHECK_THAT(html, Contains("title=\"t&lt;&amp;&quot;&apos;&gt;\""));
    CHECK_THAT(html, Contains("<pre><code class=\"language-c++\">if (a &lt; b &amp;&amp; c &gt; d)\n    return \"x\";</code></pre>"));
    // nothing the input said became markup
    CHECK(html.find("<b>") == std::string::npos);
    CHECK(html.find("<!--") == std::string::npos);
    // the parsed page gives back the text
    tinyxml2::XMLDocument doc;
    REQUIRE(doc.Parse(html.c_str()) == tinyxml2::XML_SUCCESS);
    auto* h1 = find_element(doc.RootElement(), "h1");
    REQUIRE(h1);
    CHECK(element_text(h1) == "Title " + kMarkup);
}

TEST_CASE("xhtml: characters XML cannot hold are dropped") {
    std::string html = page(one_paragraph(text("a\x01" "b\x7F" "c\xC2\x85" "d\xEF\xBF\xBF" "e\tf")));
    CHECK(xml_problem(html).empty());
    CHECK_THAT(html, Contains("<p>abcde\tf</p>"));
}

TEST_CASE("xhtml: lang from the document, CJK runs in another language marked") {
    std::string html = page(one_paragraph(text("China Contributes (四) and 日本語です and 한국어 here")));
    CHECK_THAT(html, Contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">"));
    CHECK_THAT(html, Contains("(<span lang=\"zh\" xml:lang=\"zh\">四</span>)"));
    CHECK_THAT(html, Contains("<span lang=\"ja\" xml:lang=\"ja\">日本語です</span>"));
    CHECK_THAT(html, Contains("<span lang=\"ko\" xml:lang=\"ko\">한국어</span>"));

    std::string chinese = page(one_paragraph(text("中国外交。日本語です"), "zh-Hans"));
    CHECK_THAT(chinese, Contains("lang=\"zh-Hans\" xml:lang=\"zh-Hans\""));
    CHECK_THAT(body_of(chinese), Contains("<p>中国外交。<span lang=\"ja\" xml:lang=\"ja\">日本語です</span></p>"));

    // a malformed language tag is left out rather than written
    CHECK(page(one_paragraph(text("x"), "en_US!")).find("lang=") == std::string::npos);
}

TEST_CASE("xhtml: script runs") {
    CHECK(runs("plain ASCII", "en") == "[:plain ASCII]");
    CHECK(runs("标题 Title", "en") == "[zh:标题][: Title]");
    CHECK(runs("百年变局:为国家担当 对世界尽责 end", "en") == "[zh:百年变局:为国家担当 对世界尽责][: end]");
    CHECK(runs("2020年12月", "en") == "[:2020][zh:年12月]");
    CHECK(runs("漢字とかな", "en") == "[ja:漢字とかな]");
    CHECK(runs("漢字", "ja") == "[:漢字]");
    CHECK(runs("漢字", "ko") == "[:漢字]");
    CHECK(runs("한국어", "ja") == "[ko:한국어]");
    CHECK(runs("", "en") == "[:]");
    CHECK(runs("中文。日本語です", "en") == "[zh:中文。][ja:日本語です]");
}

TEST_CASE("xhtml: right-to-left pages and paragraphs") {
    std::string arabic = page(rtl_document());
    CHECK(xml_problem(arabic).empty());
    CHECK_THAT(arabic, Contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\""));
    CHECK_THAT(arabic, Contains("<p dir=\"ltr\">An English paragraph"));
    CHECK_THAT(arabic, Contains("<p>פסקה"));  // Hebrew runs the page's way

    std::string english = page(one_paragraph(text("שלום עולם")));
    CHECK_THAT(english, Contains("<p dir=\"rtl\">שלום עולם</p>"));
    CHECK(english.find("dir=\"rtl\" ") == std::string::npos);

    CHECK(xhtml::is_rtl_language("he"));
    CHECK(xhtml::is_rtl_language("fa-IR"));
    CHECK(xhtml::is_rtl_language("az-Arab"));
    CHECK_FALSE(xhtml::is_rtl_language("ku-Latn"));
    CHECK_FALSE(xhtml::is_rtl_language("en"));
    CHECK(xhtml::first_strong_direction("123 abc") == xhtml::Direction::ltr);
    CHECK(xhtml::first_strong_direction("١٢٣ مرحبا") == xhtml::Direction::rtl);
    CHECK(xhtml::first_strong_direction("123 ...") == xhtml::Direction::neutral);
}

// Trial 13: a table's own dir="rtl" lang="ar" in an English page was lost.
TEST_CASE("xhtml: a table in another language or direction than the page's says so") {
    Document doc = one_paragraph(text("An English page."));
    Table t;
    t.locale.edit().language = "ar";
    t.locale.edit().direction = "rtl";
    t.columns = {Alignment::Default};
    t.body.push_back(TableRow{{TableCell{{make_paragraph("مرحبا")}}}});
    doc.blocks.push_back(Block{t, {}});
    t.locale.edit().language = "";  // dir alone
    doc.blocks.push_back(Block{t, {}});
    t.locale.edit().direction = "";
    t.locale.edit().language = "he";  // lang alone: its direction
    doc.blocks.push_back(Block{t, {}});
    std::string html = page(doc);
    CHECK(xml_problem(html).empty());
    CHECK_THAT(html, Contains("<table lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">"));
    CHECK_THAT(html, Contains("<table dir=\"rtl\">"));
    CHECK_THAT(html, Contains("<table lang=\"he\" xml:lang=\"he\" dir=\"rtl\">"));
    CHECK_THAT(html, Contains("<td>مرحبا</td>"));  // the cell runs the table's way: no dir of its own
}

TEST_CASE("xhtml: links are kept only where they are safe") {
    using xhtml::Links;
    CHECK(xhtml::safe_href("https://example.org/a b?c=\"d\"#e#f", Links::absolute_only) ==
          "https://example.org/a%20b?c=%22d%22#e%23f");
    CHECK(xhtml::safe_href("https://例子.中国/路径", Links::absolute_only) == "https://例子.中国/路径");
    CHECK(xhtml::safe_href("http://x/100%", Links::keep_relative) == "http://x/100%25");
    CHECK(xhtml::safe_href("http://x/%41", Links::keep_relative) == "http://x/%41");
    CHECK(xhtml::safe_href("mailto:a@b.org", Links::absolute_only) == "mailto:a@b.org");
    // a browser drops tabs and newlines anywhere and C0 controls and spaces in front: script
    for (const char* script : {"java\tscript:alert(1)", "java\nscript:alert(1)", "\x01javascript:alert(1)",
                               " \x1fVBScript:msgbox(1)", "DA\rTA:text/html,x"})
        for (Links links : {Links::absolute_only, Links::keep_relative}) CHECK(xhtml::safe_href(script, links).empty());
    CHECK(xhtml::safe_href("page.html", Links::keep_relative) == "page.html");
    CHECK(xhtml::safe_href("#top", Links::keep_relative) == "#top");
    CHECK(xhtml::safe_href("page.html", Links::absolute_only).empty());
    CHECK(xhtml::safe_href("#top", Links::absolute_only).empty());
    CHECK(xhtml::safe_href("JavaScript:alert(1)", Links::keep_relative).empty());
    CHECK(xhtml::safe_href("data:text/html,x", Links::keep_relative).empty());
    CHECK(xhtml::safe_href("http://", Links::keep_relative).empty());
    CHECK(xhtml::safe_href("http://exa mple.org/", Links::absolute_only).empty());
    CHECK(xhtml::safe_href("  ", Links::keep_relative).empty());

    // a link inside a link keeps only its text: HTML links do not nest
    Document nested = one_paragraph(
        Inlines{Link{Inlines{Text{"outer "}, Link{text("inner"), "https://b.org/", ""}}, "https://a.org/", ""}});
    CHECK_THAT(page(nested), Contains("<p><a href=\"https://a.org/\">outer inner</a></p>"));
    // a dropped link keeps its text
    CHECK_THAT(page(one_paragraph(Inlines{Link{text("run"), "javascript:x()", ""}})), Contains("<p>run</p>"));
}

TEST_CASE("xhtml: empty headings and paragraphs are left out") {
    std::string html = page(empty_sections_document());
    CHECK(xml_problem(html).empty());
    CHECK(html.find("<h2></h2>") == std::string::npos);
    CHECK(html.find("<h3>") == std::string::npos);
    CHECK(html.find("<p></p>") == std::string::npos);
    CHECK(html.find("<p><br/></p>") == std::string::npos);
    CHECK_THAT(html, Contains("<h4 id=\"h-3\">Deep, after a skipped level</h4>"));
    CHECK_THAT(html, Contains("<li></li>"));
    CHECK_THAT(html, Contains("<blockquote>\n</blockquote>"));
}

TEST_CASE("xhtml: lists, tight and loose, and their numbers") {
    List ordered;
    ordered.ordered = true;
    ordered.start = 7;
    ordered.items = {{make_paragraph("seven")}, {make_paragraph("eight"), make_paragraph("more")}};
    List loose;
    loose.tight = false;
    loose.items = {{make_paragraph("a")}};
    Document doc;
    doc.blocks = {Block{ordered}, Block{loose}};
    std::string html = body_of(page(doc));
    CHECK_THAT(html, Contains("<ol start=\"7\">\n<li>seven</li>\n<li>eight\n<p>more</p>\n</li>\n</ol>"));
    CHECK_THAT(html, Contains("<ul>\n<li>\n<p>a</p>\n</li>\n</ul>"));
}

TEST_CASE("xhtml: the style is inline, in a section both parsers read alike") {
    std::string html = page(one_paragraph(text("x")));
    CHECK_THAT(html, Contains("<style>/*<![CDATA[*/\n/* default.css:"));
    CHECK_THAT(html, Contains("h1 + p"));  // '>' and '+' stay raw for the HTML parser
    CHECK_THAT(html, Contains("/*]]>*/</style>"));
    WriteOptions sans;
    sans.style = "sans";
    CHECK_THAT(page(one_paragraph(text("x")), sans), Contains("/* sans.css:"));

    fs::path dir = fresh_dir("xhtml-style");
    spit(dir / "mine.css", "p { color: red; } a > b { }\n");
    WriteOptions mine;
    mine.style = (dir / "mine.css").string();
    CHECK_THAT(page(one_paragraph(text("x")), mine), Contains("p { color: red; } a > b { }"));
    spit(dir / "bad.css", "p {} </style><script>x</script>");
    mine.style = (dir / "bad.css").string();
    CHECK_THROWS_AS(page(one_paragraph(text("x")), mine), Error);
    fs::remove_all(dir);

    WriteOptions unknown;
    unknown.style = "no-such-style";
    try {
        page(one_paragraph(text("x")), unknown);
        FAIL("an unknown style was accepted");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK_THAT(e.message(), Contains("default"));
        CHECK_THAT(e.message(), Contains("sans"));
    }
    auto styles = builtin_styles();
    REQUIRE(styles.size() >= 2);
    CHECK(styles.front().name == "default");
    CHECK_FALSE(styles.front().description.empty());
}

TEST_CASE("xhtml: CJK, right-to-left and markup documents are well-formed pages") {
    for (const Document& doc : {cjk_document(), rtl_document(), markup_document(), heading_only_document(),
                                empty_sections_document(), Document{}}) {
        std::string html = page(doc);
        INFO(html.substr(0, 2000));
        CHECK(xml_problem(html).empty());
        CHECK(html.find("<title></title>") == std::string::npos);
    }
}

TEST_CASE("xhtml: golden page") {
    const std::string path = DCONV_SOURCE_DIR "/tests/golden/xhtml/every_kind.html";
    Document doc = markup_document();
    doc.blocks.push_back(make_paragraph("A Chinese title in an English text: 百年变局与世纪疫情下的中国外交."));
    doc.blocks.push_back(make_paragraph("עברית in an English page"));
    WriteOptions options;
    options.style = "sans";  // the shorter style
    std::string html = page(doc, options);
    const char* update = std::getenv("DCONV_UPDATE_GOLDEN");
    if (update && std::string_view(update) == "1") {
        spit(path, html);
        WARN("golden file regenerated: " << path);
    } else {
        INFO("missing or different: " << path << "; run with DCONV_UPDATE_GOLDEN=1 to regenerate, then review the diff");
        REQUIRE(fs::exists(path));
        CHECK(html == slurp(path));
    }
}

// ---------------------------------------------------------------- rich content

namespace {

std::size_t count(const std::string& haystack, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("xhtml: images, figures, tables, notes, task lists and the inline vocabulary") {
    Document doc = rich_document();
    REQUIRE(validate(doc).empty());
    Diagnostics diag;
    WriteOptions options;
    options.diagnostics = &diag;
    std::string html = page(doc, options);
    INFO(body_of(html));
    REQUIRE(xml_problem(html).empty());
    std::string body = body_of(html);

    // images: inline as data: URIs, with their alt text and pixel size; the unresolved
    // one is its alt text
    CHECK_THAT(body, Contains("<figure>\n<img src=\"" + xhtml::data_uri("image/jpeg", doc.resources["img-1.jpg"]->bytes) +
                              "\" alt=\"The east quay at dawn\" width=\"320\" height=\"180\"/>\n<figcaption>The east quay "
                              "at dawn. <em>Photo: A. Lee</em></figcaption>\n</figure>"));
    CHECK_THAT(body, Contains("<p><img src=\"data:image/gif;base64,R0lGOD"));
    CHECK_THAT(body, Contains("alt=\"Award badge\" title=\"2024 award\" width=\"48\" height=\"48\"/> The harbour"));
    CHECK_THAT(body, Contains("<img src=\"data:image/svg+xml;base64,"));
    CHECK_THAT(body, Contains("A remote map: <span class=\"image-alt\">Map of the quays</span>."));
    CHECK(count(body, "<img ") == 4);
    CHECK(count(body, "<figcaption>") == 2);
    CHECK(diag.warnings() == 0);

    // the inline vocabulary
    CHECK_THAT(body, Contains("Traffic rose by <del>forty</del> sixty ships"));
    CHECK_THAT(body, Contains("mostly H<sub>2</sub>O, stayed at 10<sup>-3</sup> grams"));

    // the table: caption, header cells, alignment per column, four rows
    CHECK_THAT(body, Contains("<div class=\"table\">\n<table>\n<caption>Tonnage by quay</caption>\n<thead>\n"
                              "<tr><th scope=\"col\" style=\"text-align: left\">Quay</th><th scope=\"col\" "
                              "style=\"text-align: right\">2023</th>"));
    CHECK_THAT(body, Contains("<tr><td style=\"text-align: left\">East quay</td><td style=\"text-align: right\">120,400"
                              "</td><td style=\"text-align: right\">141,900</td><td style=\"text-align: right\">+17.9%"
                              "</td></tr>"));
    // spans: the second header row starts under the spanned "Shift"; the cell under a
    // row span takes the alignment of its own column
    CHECK_THAT(body, Contains("<tr><th scope=\"col\" rowspan=\"2\">Berth</th><th scope=\"colgroup\" colspan=\"2\" "
                              "style=\"text-align: center\">Shift</th></tr>\n<tr><th scope=\"col\" "
                              "style=\"text-align: center\">Day</th>"));
    CHECK_THAT(body, Contains("<td colspan=\"2\" style=\"text-align: center\">Open all day</td>"));

    // task list: disabled check boxes, checked when done; a plain item has none
    CHECK_THAT(body, Contains("<ul class=\"task-list\">\n<li class=\"task done\"><input type=\"checkbox\" "
                              "disabled=\"disabled\" checked=\"checked\"/> Dredge the north quay</li>\n"
                              "<li class=\"task\"><input type=\"checkbox\" disabled=\"disabled\"/> Repaint the buoys"
                              "</li>\n<li>Plain item</li>"));

    // notes: numbered references, the notes at the end, each linked both ways
    CHECK_THAT(body, Contains("sixty ships<a id=\"fnref-1\" href=\"#fn-1\" class=\"noteref\" role=\"doc-noteref\">"
                              "<sup>1</sup></a> while"));
    CHECK_THAT(body, Contains("North quay<a id=\"fnref-3\" href=\"#fn-3\""));
    CHECK_THAT(body, Contains("<section class=\"footnotes\">\n<aside id=\"fn-1\" class=\"footnote\" "
                              "role=\"doc-footnote\">\n<p><a href=\"#fnref-1\" class=\"footnote-back\" "
                              "role=\"doc-backlink\">1</a> Port authority figures"));
    CHECK_THAT(body, Contains("Measured at the outer buoy.</p>\n<p>Salinity"));  // both paragraphs of note 2
    CHECK(count(body, "<aside ") == 3);
    CHECK(body.find("epub:type") == std::string::npos);  // no epub: namespace in a web page
    CHECK(broken_fragments(html).empty());
}

TEST_CASE("xhtml: images that are not shown keep their alt text, with a warning") {
    Document doc = one_paragraph(Inlines{Image{"script.svg", "hostile", "", "bad.svg"}, Text{" | "},
                                         Image{"gone.png", "missing key", "", "gone.png"}, Text{" | "},
                                         Image{"fake.png", "not a png", "", "fake.png"}, Text{" | "},
                                         Image{"decorative.png", "", "", ""}});
    doc.resources["bad.svg"] = rich_resource("script.svg", "image/svg+xml", 10, 10);
    auto fake = std::make_shared<Resource>();
    fake->media_type = "image/png";
    fake->bytes = "GIF89a not a png";
    fake->origin = "fake.png";
    doc.resources["fake.png"] = fake;
    // the missing key is what validate() catches; the writer still writes the alt text
    auto problems = validate(doc);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems.front(), Contains("gone.png"));

    Diagnostics diag;
    WriteOptions options;
    options.diagnostics = &diag;
    std::string html = page(doc, options);
    CHECK(xml_problem(html).empty());
    CHECK_THAT(body_of(html), Contains("<p><span class=\"image-alt\">hostile</span> | <span class=\"image-alt\">missing "
                                       "key</span> | <span class=\"image-alt\">not a png</span> | </p>"));
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("tracker.example") == std::string::npos);
    // a paragraph of an unloaded image without alt text would be an empty one
    Document decorative = one_paragraph(Inlines{Image{"https://example.org/pixel.gif", "", "", ""}});
    CHECK(body_of(page(decorative)).find("<p>") == std::string::npos);
    REQUIRE(diag.warnings() == 2);
    CHECK_THAT(diag.items()[0].reason, Contains("script.svg"));
    CHECK_THAT(diag.items()[0].reason, Contains("<script>"));
    CHECK_THAT(diag.items()[1].reason, Contains("fake.png"));
}

TEST_CASE("xhtml: SVG images with scripts or outside references are refused") {
    CHECK(xhtml::svg_problem(read_bytes(kRichData / "compass.svg")).empty());
    CHECK(xhtml::svg_problem("<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"#x\"><use xlink:href=\"#y\"/></a>"
                             "<rect style=\"fill: url(#g)\"/></svg>")
              .empty());
    const char* hostile[] = {
        "<svg><script>alert(1)</script></svg>",
        "<svg><SCRIPT/></svg>",
        "<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"><svg:script/></svg:svg>",
        "<svg><rect onload=\"alert(1)\"/></svg>",
        "<svg OnClick=\"x\"/>",
        "<svg><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>",
        "<svg><image href=\"https://tracker.example/p.png\"/></svg>",
        "<svg><image xlink:href=\"local.png\"/></svg>",
        "<svg><rect fill=\"url(https://x.example/#a)\"/></svg>",
        "<svg><style>@import url(x.css);</style></svg>",
        "<svg><style>rect { fill: url( 'http://x/' ) }</style></svg>",
        "<?xml-stylesheet href=\"x.css\"?><svg/>",
        "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><svg>&b;</svg>",
        "<html><svg/></html>",
        "<svg><rect>",
        "not xml at all",
        "",
    };
    for (const char* svg : hostile) {
        INFO(svg);
        CHECK_FALSE(xhtml::svg_problem(svg).empty());
    }
    // the resource resolver's own test images agree: what it loads, the writers embed
    const fs::path images = fs::path(DCONV_SOURCE_DIR) / "tests/data/images";
    CHECK(xhtml::svg_problem(read_bytes(images / "box-192x96.svg")).empty());
    for (const char* refused : {"external.svg", "onload.svg", "script.svg"}) {
        INFO(refused);
        std::string svg = read_bytes(images / refused);
        REQUIRE(!svg.empty());
        CHECK_FALSE(xhtml::svg_problem(svg).empty());
    }
    CHECK(xhtml::image_problem("image/png", kTinyPng).empty());
    CHECK_FALSE(xhtml::image_problem("image/jpeg", kTinyPng).empty());
    CHECK_FALSE(xhtml::image_problem("image/tiff", "II*\0").empty());
    CHECK(xhtml::image_problem("image/gif", read_bytes(kRichData / "badge.gif")).empty());
}

TEST_CASE("xhtml: the page's images are bounded in bytes, however often they are named") {
    Diagnostics diag;
    xhtml::DataUriImages images(&diag, 3 * kTinyPng.size());
    Resource png{"image/png", kTinyPng, 1, 1, "tiny.png"};
    std::string uri = xhtml::data_uri("image/png", kTinyPng);
    CHECK(images.src("a", png) == uri);
    CHECK(images.src("a", png) == uri);
    CHECK(images.src("b", png) == uri);
    CHECK(images.src("a", png).empty());  // a fourth copy is over the limit
    CHECK(images.src("b", png).empty());
    REQUIRE(diag.warnings() == 1);
    CHECK_THAT(diag.items()[0].reason, Contains("tiny.png"));
}

TEST_CASE("xhtml: data: URIs are base64 (RFC 4648 test vectors)") {
    CHECK(xhtml::data_uri("image/png", "") == "data:image/png;base64,");
    CHECK(xhtml::data_uri("a/b", "f") == "data:a/b;base64,Zg==");
    CHECK(xhtml::data_uri("a/b", "fo") == "data:a/b;base64,Zm8=");
    CHECK(xhtml::data_uri("a/b", "foo") == "data:a/b;base64,Zm9v");
    CHECK(xhtml::data_uri("a/b", "foobar") == "data:a/b;base64,Zm9vYmFy");
    CHECK(xhtml::data_uri("a/b", std::string("\xFF\xFE\x00", 3)) == "data:a/b;base64,//4A");
}

TEST_CASE("xhtml: a 10,000-column table is written in linear time, clipped as readers clip it") {
    Table wide;
    wide.columns.assign(10000, Alignment::Right);
    TableRow r;
    for (int i = 0; i < 10000; ++i) r.cells.push_back(cell(std::to_string(i)));
    wide.head = {r};
    wide.body = {r, r};
    Document raw;
    raw.blocks.push_back(Block{wide});
    CHECK_FALSE(validate(raw).empty());  // over kMaxTableColumns
    std::string html = page(raw);        // written as it is, whatever validate says
    CHECK(xml_problem(html).empty());
    CHECK(count(html, "<th ") == 10000);

    Table clipped = wide;
    CHECK(normalize_table(clipped) == 3 * (10000 - kMaxTableColumns));
    Document doc;
    doc.blocks.push_back(Block{clipped});
    CHECK(validate(doc).empty());
    std::string clipped_html = page(doc);
    CHECK(count(clipped_html, "<td ") == 2 * kMaxTableColumns);
    CHECK_THAT(clipped_html, Contains(">999</td></tr>"));

    // spans no table has (validate() rejects them) are written within HTML's limits
    Table odd;
    odd.columns = {Alignment::Default};
    odd.body = {TableRow{{cell("huge", 2000000000, 2000000000), cell("negative", -5, -5)}}};
    Document spans;
    spans.blocks.push_back(Block{odd});
    CHECK_FALSE(validate(spans).empty());
    std::string spans_html = page(spans);
    CHECK(xml_problem(spans_html).empty());
    CHECK_THAT(spans_html, Contains("<td colspan=\"1000\" rowspan=\"65534\">huge</td><td>negative</td>"));
}

TEST_CASE("xhtml: golden page of rich content") {
    const std::string path = DCONV_SOURCE_DIR "/tests/golden/xhtml/rich.html";
    WriteOptions options;
    options.style = "sans";
    std::string html = page(rich_document(), options);
    const char* update = std::getenv("DCONV_UPDATE_GOLDEN");
    if (update && std::string_view(update) == "1") {
        spit(path, html);
        WARN("golden file regenerated: " << path);
    } else {
        INFO("missing or different: " << path << "; run with DCONV_UPDATE_GOLDEN=1 to regenerate, then review the diff");
        REQUIRE(fs::exists(path));
        CHECK(html == slurp(path));
    }
}

TEST_CASE("xhtml: notes in links, headings and notes, loose task lists") {
    Note inner;
    inner.content.push_back(paragraph("Inner."));
    Note outer;
    outer.content.push_back(paragraph(Inlines{Text{"Outer"}, inner, Text{"."}}));
    Note in_link;
    in_link.content.push_back(paragraph("In a link."));
    Note in_heading;
    in_heading.content.push_back(Block{CodeBlock{"", "code only"}});
    Document doc;
    doc.blocks.push_back(Block{Heading{2, Inlines{Text{"Heading"}, in_heading}}});
    doc.blocks.push_back(paragraph(Inlines{Link{Inlines{Text{"link"}, in_link}, "https://example.org/", ""}, outer}));
    List loose;
    loose.tight = false;
    loose.items = {{paragraph("done"), paragraph("more")}, {paragraph("open")}};
    loose.tasks = {TaskState::Done, TaskState::Open};
    doc.blocks.push_back(Block{loose});
    CHECK(validate(doc).empty());  // a note may cite a note

    std::string html = page(doc);
    std::string body = body_of(html);
    INFO(body);
    CHECK(xml_problem(html).empty());
    CHECK(broken_fragments(html).empty());
    CHECK_THAT(body, Contains("<h2 id=\"h-1\">Heading<a id=\"fnref-1\" href=\"#fn-1\""));
    // links do not nest: the number without its link; the note is still written
    CHECK_THAT(body, Contains("<a href=\"https://example.org/\">link<sup id=\"fnref-2\" class=\"noteref\">2</sup></a>"));
    CHECK_THAT(body, Contains("<aside id=\"fn-2\""));
    // a note citing a note: the cited one numbered after the others, written after them
    CHECK_THAT(body, Contains("role=\"doc-backlink\">3</a> Outer<a id=\"fnref-4\" href=\"#fn-4\""));
    CHECK_THAT(body, Contains("<a href=\"#fnref-4\" class=\"footnote-back\" role=\"doc-backlink\">4</a> Inner.</p>"));
    CHECK(count(body, "<aside ") == 4);
    // a note that does not start with a paragraph gets its number on a line of its own
    CHECK_THAT(body, Contains("role=\"doc-backlink\">1</a> </p>\n<pre><code>code only</code></pre>\n</aside>"));
    CHECK_THAT(body, Contains("<ul class=\"task-list\">\n<li class=\"task done\">\n<p><input type=\"checkbox\" "
                              "disabled=\"disabled\" checked=\"checked\"/> done</p>\n<p>more</p>\n</li>\n"
                              "<li class=\"task\">\n<p><input type=\"checkbox\" disabled=\"disabled\"/> open</p>\n"
                              "</li>\n</ul>"));
}

namespace {

// The font-size factor (1 for none) a built-in style's rules give an element matched by
// exactly `selector` (one of a rule's comma-separated selectors), the last rule winning:
// "0.95em" and "95%" are 0.95. Enough CSS for the built-in styles' own rules.
std::optional<double> font_size_factor(const std::string& css, const std::string& selector) {
    const std::string plain = dconv::css::blank_comments(css);  // comments blanked, as the styles are read
    auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t\n"));
        s.erase(s.find_last_not_of(" \t\n") + 1);
        return s;
    };
    std::optional<double> factor;
    for (std::size_t at = 0; at < plain.size();) {
        std::size_t open = plain.find('{', at), close = plain.find('}', open);
        if (open == std::string::npos || close == std::string::npos) break;
        std::string selectors = plain.substr(at, open - at), body = plain.substr(open + 1, close - open - 1);
        at = close + 1;
        bool matches = false;
        for (std::size_t from = 0; from <= selectors.size();) {
            std::size_t comma = selectors.find(',', from);
            if (comma == std::string::npos) comma = selectors.size();
            std::string one = trim(selectors.substr(from, comma - from));
            std::string squeezed;
            for (char c : one)
                if (!(std::isspace(static_cast<unsigned char>(c)) && !squeezed.empty() && squeezed.back() == ' '))
                    squeezed += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
            matches = matches || squeezed == selector;
            from = comma + 1;
        }
        if (!matches) continue;
        std::size_t size = body.find("font-size:");
        if (size == std::string::npos) continue;
        std::string value = trim(body.substr(size + 10, body.find(';', size) - size - 10));
        double number = std::atof(value.c_str());
        factor = value.ends_with("%") ? number / 100 : value.ends_with("em") ? number : 1.0;
    }
    return factor;
}

}  // namespace

TEST_CASE("xhtml: quotes nested 30 deep keep a readable size in every built-in style") {
    // Fix 11: blockquote's 0.95em compounded, 0.95^30: the 30th quote at a fifth of the text
    std::vector<StyleInfo> styles = builtin_styles();
    REQUIRE(!styles.empty());
    for (const StyleInfo& style : styles) {
        const std::string css = load_style(style.name);
        const double outer = font_size_factor(css, "blockquote").value_or(1.0);
        const double nested = font_size_factor(css, "blockquote blockquote").value_or(outer);
        double size = outer;
        for (int depth = 2; depth <= 30; ++depth) size *= nested;
        INFO(style.name << ": the outermost quote " << outer << ", the 30th " << size);
        CHECK(size >= 0.85);
        CHECK(size <= 1.15);
    }
}
