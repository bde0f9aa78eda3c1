#include <catch2/catch.hpp>

#include "core/text.hpp"
#include "dconv/model.hpp"

using namespace dconv;

TEST_CASE("plain_text flattens inlines and blocks") {
    Inlines in{Text{"a "}, Link{{Text{"link"}}, "http://x", ""}, Strong{{Text{" b"}}}};
    CHECK(plain_text(in) == "a link b");
    List l;
    l.items.push_back({make_paragraph("one")});
    l.items.push_back({make_paragraph("two")});
    CHECK(plain_text(Block{l}) == "one\ntwo");
}

TEST_CASE("normalize merges adjacent text and drops empty text") {
    Inlines in{Text{"a"}, Text{""}, Text{"b"}, Emphasis{{Text{"c"}, Text{"d"}}}};
    normalize(in);
    REQUIRE(in.size() == 2);
    CHECK(std::get<Text>(in[0]).text == "ab");
    CHECK(std::get<Emphasis>(in[1]).children.size() == 1);
}

TEST_CASE("validate reports broken tree rules") {
    Document doc;
    doc.blocks.push_back(make_heading(7, "too deep"));
    doc.blocks.push_back(Block{List{}});
    doc.blocks.push_back(make_paragraph("line\nbreak"));
    auto problems = validate(doc);
    CHECK(problems.size() == 3);
    Document ok;
    ok.blocks.push_back(make_heading(2, "fine"));
    CHECK(validate(ok).empty());
}

TEST_CASE("equality ignores provenance") {
    CHECK(make_paragraph("x", {1, 1}) == make_paragraph("x", {5, 9}));
    CHECK_FALSE(make_paragraph("x") == make_heading(1, "x"));
}

TEST_CASE("display width counts East Asian wide characters as two columns") {
    CHECK(text::display_width("abc") == 3);
    CHECK(text::display_width("中文") == 4);
    CHECK(text::display_width("e\xCC\x81") == 1);  // e + combining acute
    CHECK(text::squeeze_spaces("  a \t b  ") == "a b");
}
