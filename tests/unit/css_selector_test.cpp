// css_selector_test.cpp: the selectors of --keep-selector/--drop-selector
// (html/css_selector.hpp), parsed and matched against small pages.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "dconv/diagnostics.hpp"
#include "html/css_selector.hpp"
#include "html/html_tree.hpp"

using dconv::html::Page;
using dconv::html::SelectorList;

namespace {

const char* const kPage = R"(<!DOCTYPE html><html><body>
<header id="top" class="site-header dark"><nav><a href="/">Home</a></nav></header>
<main><article class="post" data-kind="news" itemprop="articleBody">
<h1>Title</h1><p class="lead">Lead</p>
<div class="box"><p class="note">Boxed</p></div>
<section><div><p class="deep">Deep</p></div></section>
</article></main>
<aside role="complementary"><p class="note">Side</p></aside>
<my-widget><p>Custom</p></my-widget>
</body></html>)";

// The text of the outermost elements `selector` matches, joined by '|'.
std::string matched(const Page& page, const std::string& selector) {
    std::vector<SelectorList> lists{SelectorList(selector)};
    std::string out;
    for (std::uint32_t i : dconv::html::outermost_matches(page, lists)) {
        if (!out.empty()) out += '|';
        out += page.text_of(i);
    }
    return out;
}

std::string refusal(const std::string& selector) {
    try {
        SelectorList list(selector);
    } catch (const dconv::Error& e) {
        CHECK(e.kind() == dconv::ErrorKind::usage);
        return e.message();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("css selectors: type, class, id and attributes") {
    Page page(kPage);
    CHECK(matched(page, "h1") == "Title");
    CHECK(matched(page, "H1") == "Title");  // type names are case-insensitive
    CHECK(matched(page, ".lead") == "Lead");
    CHECK(matched(page, "p.note") == "Boxed|Side");
    CHECK(matched(page, ".Note").empty());  // class names are not
    CHECK(matched(page, "#top") == "Home");
    CHECK(matched(page, "header#top.dark.site-header") == "Home");
    CHECK(matched(page, "header.light").empty());
    CHECK(matched(page, "[data-kind]") == "Title Lead Boxed Deep");
    CHECK(matched(page, "[data-kind=news]") == "Title Lead Boxed Deep");
    CHECK(matched(page, "[itemprop=\"articleBody\"]") == "Title Lead Boxed Deep");
    CHECK(matched(page, "[ role = 'complementary' ]") == "Side");
    CHECK(matched(page, "[data-kind=sport]").empty());
    CHECK(matched(page, "my-widget") == "Custom");  // an element gumbo does not know
    CHECK(matched(page, "aside > *") == "Side");
}

TEST_CASE("css selectors: combinators and lists") {
    Page page(kPage);
    CHECK(matched(page, "article p") == "Lead|Boxed|Deep");
    CHECK(matched(page, "article > p") == "Lead");
    CHECK(matched(page, "article > div > p") == "Boxed");
    CHECK(matched(page, "main article section p") == "Deep");
    CHECK(matched(page, "main > section p").empty());
    CHECK(matched(page, "article > * p") == "Boxed|Deep");
    CHECK(matched(page, "body > main > article > section > div > p.deep") == "Deep");
    CHECK(matched(page, ".lead, aside .note") == "Lead|Side");
    CHECK(matched(page, "article, p") == "Title Lead Boxed Deep|Side|Custom");  // outermost only
}

TEST_CASE("css selectors: what is not supported is refused, naming the selector") {
    CHECK_THAT(refusal("p:first-child"), Catch::Contains("'p:first-child'") && Catch::Contains("pseudo"));
    CHECK_THAT(refusal("a::before"), Catch::Contains("pseudo"));
    CHECK_THAT(refusal("h1 + p"), Catch::Contains("sibling"));
    CHECK_THAT(refusal("h1 ~ p"), Catch::Contains("sibling"));
    CHECK_THAT(refusal("a[href^=http]"), Catch::Contains("[attr=value]"));
    CHECK_THAT(refusal("a[href~=x]"), Catch::Contains("unsupported attribute test"));
    CHECK_THAT(refusal(""), Catch::Contains("empty"));
    CHECK_THAT(refusal("   "), Catch::Contains("empty"));
    CHECK_THAT(refusal("p,"), Catch::Contains("nothing after ','"));
    CHECK_THAT(refusal("div >"), Catch::Contains("expected"));
    CHECK_THAT(refusal("[data"), Catch::Contains("']'"));
    CHECK_THAT(refusal("[a='x]"), Catch::Contains("unterminated"));
    CHECK_THAT(refusal("."), Catch::Contains("class name"));
    CHECK_THAT(refusal("div!"), Catch::Contains("unexpected"));
    CHECK_THAT(refusal("ns|p"), Catch::Contains("'ns|p'"));
    CHECK_THAT(refusal(std::string(2000, 'a')), Catch::Contains("longer than"));
    std::string seventeen;
    for (int i = 0; i < 17; ++i) seventeen += "div ";
    CHECK_THAT(refusal(seventeen), Catch::Contains("steps"));
    CHECK(refusal("div div > p, #a.b[c=d]") == "(accepted)");
    // the option's name leads the message when parsed for one
    try {
        dconv::html::parse_selectors({"p", "p:hover"}, "--drop-selector");
        FAIL("accepted");
    } catch (const dconv::Error& e) {
        CHECK_THAT(e.message(), Catch::StartsWith("--drop-selector: selector 'p:hover'"));
    }
}

TEST_CASE("css selectors: descendant chains over a deep page stay linear") {
    // 16 descendant steps that almost match at every depth of 400 nested divs: without
    // the fails-completely cut the search would backtrack through every choice of ancestors
    std::string html = "<html><body>";
    for (int i = 0; i < 400; ++i) html += "<div>";
    html += "<p>x</p>";
    for (int i = 0; i < 400; ++i) html += "</div>";
    html += "</body></html>";
    Page page(html);
    std::string selector;
    for (int i = 0; i < 15; ++i) selector += "div ";
    selector += "span";  // no span: every element fails, after the ancestors were tried
    auto start = std::chrono::steady_clock::now();
    CHECK(matched(page, selector).empty());
    CHECK(matched(page, "section div div div div div div div div div div div div div div p").empty());
    CHECK(matched(page, "body div div div div div div div div div div div div div div p") == "x");
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < 2.0);
}

TEST_CASE("css selectors: a page drops what the selector names as it is indexed") {
    std::vector<SelectorList> drops{SelectorList(".box, aside")};
    Page page(kPage, [&](const Page& p, const dconv::html::Element& e) { return drops[0].matches(p, e); });
    std::uint32_t body = page.body();
    REQUIRE(body != dconv::html::kNoElement);
    std::string text = page.text_of(body);
    CHECK(text.find("Lead") != std::string::npos);
    // skipped elements keep their text in the tree, but are not measured or matched
    CHECK(matched(page, ".note").empty());
    CHECK(page[body].all.chars < Page(kPage)[Page(kPage).body()].all.chars);
}
