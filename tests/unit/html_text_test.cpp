// html_text_test: the small HTML pieces read outside pages (core/html_text.hpp): tags,
// character references, a fragment's text, and hostile strings that must stay linear.
#include "core/html_text.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace dconv::html_text;

TEST_CASE("character references are decoded and unknown ones kept", "[html_text]") {
    CHECK(decode_references("A &amp; B &lt;x&gt; &#8212; &#x263A; &nbsp;.") == "A & B <x> \u2014 \u263A \u00A0.");
    CHECK(decode_references("&copy; &#xD800; &#0; &;& &#x110000;") == "&copy; &#xD800; &#0; &;& &#x110000;");
    CHECK(decode_references("fish &chips; no end &amp") == "fish &chips; no end &amp");
}

TEST_CASE("a tag is parsed whole or not at all", "[html_text]") {
    auto tag = parse_tag(" <IMG src=a.png ALT='A &amp; B' data-x title=\"t\"/> ");
    REQUIRE(tag);
    CHECK(tag->name == "img");
    CHECK_FALSE(tag->closing);
    CHECK(tag->attribute("src") == "a.png");
    CHECK(tag->attribute("alt") == "A & B");
    CHECK(tag->attribute("data-x") == "");
    CHECK(tag->attribute("title") == "t");
    CHECK_FALSE(tag->attribute("width"));
    auto end = parse_tag("</figure>");
    REQUIRE(end);
    CHECK(end->closing);
    CHECK(end->name == "figure");
    for (const char* bad : {"<img src='a.png>", "<!-- c -->", "text", "<a><b>", "</a href=x>", "<1a>", "<>"})
        CHECK_FALSE(parse_tag(bad));
}

TEST_CASE("a fragment's text drops tags and joins phrase markup", "[html_text]") {
    CHECK(fragment_text("Estuary <em>Notes</em> &amp; News") == "Estuary Notes & News");
    CHECK(fragment_text("<p>A</p><p>B</p>") == " A  B ");
    CHECK(fragment_text("t<b>i</b>de<br>x") == "tide x");
    CHECK(fragment_text("cut <em") == "cut ");
}

TEST_CASE("hostile fragments stay linear and lose no text", "[html_text]") {
    // a megabyte of '&' with no ';': each reference is looked for within its own length
    std::string ampersands(1 << 20, '&');
    CHECK(decode_references(ampersands) == ampersands);
    CHECK(fragment_text(ampersands) == ampersands);
    std::string tags;
    for (int i = 0; i < 100000; ++i) tags += "<em>x</em>";
    CHECK(fragment_text(tags) == std::string(100000, 'x'));
}
