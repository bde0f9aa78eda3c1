// smart_quotes_test.cpp: straight quotes made typographic (core/smart_quotes.hpp), one
// example per behaviour, and the writers that get them (HTML, EPUB, PDF) or not
// (Markdown, plain text; --no-smart).
#include <catch2/catch.hpp>

#include <string>

#include "core/smart_quotes.hpp"
#include "dconv/convert.hpp"
#include "dconv/model.hpp"

using namespace dconv;

namespace {

std::string smart(const std::string& text, const std::string& language = "en") {
    Document doc;
    doc.meta.language = language;
    doc.blocks.push_back(make_paragraph(text));
    make_quotes_typographic(doc);
    const auto& paragraph = std::get<Paragraph>(doc.blocks[0].node);
    std::string out;
    for (const Inline& node : paragraph.content)
        if (const auto* t = std::get_if<Text>(&node.base())) out += t->text;
    return out;
}

}  // namespace

TEST_CASE("smart quotes: English quotes and apostrophes") {
    struct Example {
        const char* in;
        const char* out;
    };
    const Example examples[] = {
        {"\"quoted\"", "\u201Cquoted\u201D"},
        {"He said \"yes\" and left.", "He said \u201Cyes\u201D and left."},
        {"'single' quotes", "\u2018single\u2019 quotes"},
        {"it's the dog's", "it\u2019s the dog\u2019s"},
        {"the dogs' bowls", "the dogs\u2019 bowls"},
        {"back in the '90s", "back in the \u201990s"},
        {"rock 'n' roll", "rock \u2018n\u2019 roll"},
        {"(\"in brackets\")", "(\u201Cin brackets\u201D)"},
        {"\"nested 'inner' quote\"", "\u201Cnested \u2018inner\u2019 quote\u201D"},
        {"5' 10\" tall", "5\u2019 10\u201D tall"},
        {"no quotes at all", "no quotes at all"},
    };
    for (const Example& e : examples) {
        INFO(e.in);
        CHECK(smart(e.in) == e.out);
    }
}

TEST_CASE("smart quotes: the marks of the document's language") {
    CHECK(smart("\"Haus\"", "de") == "\u201EHaus\u201C");
    CHECK(smart("\"maison\"", "fr-FR") == "\u00AB\u202Fmaison\u202F\u00BB");
    CHECK(smart("\"\u0434\u043E\u043C\"", "ru") == "\u00AB\u0434\u043E\u043C\u00BB");
    CHECK(smart("\"\u5BB6\"", "ja") == "\u300C\u5BB6\u300D");
    CHECK(smart("l'avion", "fr") == "l\u2019avion");  // the apostrophe is the same everywhere
}

TEST_CASE("smart quotes: next to CJK characters, with no space, quotes are paired") {
    // Regression: a quote right after a CJK character closed (他说”你好”, 彼は」こんにちは」と).
    CHECK(smart("\u4ED6\u8BF4\"\u4F60\u597D\"\uFF0C\u7136\u540E", "zh") ==
          "\u4ED6\u8BF4\u201C\u4F60\u597D\u201D\uFF0C\u7136\u540E");  // 他说“你好”，然后
    CHECK(smart("\u5F7C\u306F\"\u3053\u3093\u306B\u3061\u306F\"\u3068", "ja") ==
          "\u5F7C\u306F\u300C\u3053\u3093\u306B\u3061\u306F\u300D\u3068");  // 彼は「こんにちは」と
    CHECK(smart("\u7528\"Python\"\u5199", "zh") == "\u7528\u201CPython\u201D\u5199");  // 用“Python”写
    CHECK(smart("\u7528'\u4F60'\u5199", "zh") == "\u7528\u2018\u4F60\u2019\u5199");  // 用‘你’写
    CHECK(smart("\u8FD9\u662F\"\u4E66\"\u3002\"\u597D\"", "zh") ==
          "\u8FD9\u662F\u201C\u4E66\u201D\u3002\u201C\u597D\u201D");  // two pairs in a row
    CHECK(smart("\u8BF4\"\u4F60\u597D\"", "zh-TW") == "\u8BF4\u300C\u4F60\u597D\u300D");  // traditional: 「」
    CHECK(smart("\u8BF4\"\u4F60\"", "zh-Hans-HK") == "\u8BF4\u201C\u4F60\u201D");
    // after a Latin letter, ' before a CJK character is an apostrophe: Apple’の
    CHECK(smart("Apple'\u306E\u88FD\u54C1", "ja") == "Apple\u2019\u306E\u88FD\u54C1");
}

TEST_CASE("smart quotes: a quote between two Hebrew letters is gershayim or geresh, kept") {
    // "paid 45 sh"ch to tsa"hal": abbreviations marked by gershayim, not quotations.
    const std::string paid = "\u05E9\u05D9\u05DC\u05DE\u05E0\u05D5 45 \u05E9\"\u05D7 \u05DC\u05E6\u05D4\"\u05DC.";
    CHECK(smart(paid, "he") == paid);
    const std::string giraffe = "\u05D2'\u05D9\u05E8\u05E4\u05D4";  // a geresh, not an apostrophe
    CHECK(smart(giraffe, "he") == giraffe);
    // Quotation marks around Hebrew words are still made typographic.
    CHECK(smart("\"\u05E9\u05DC\u05D5\u05DD\"", "he") == "\u201C\u05E9\u05DC\u05D5\u05DD\u201D");
    // A pointed letter (a mark after it) and a Yiddish ligature are letters before a gershayim.
    const std::string pointed = "\u05E6\u05B8\u05D4\"\u05DC \u05F0\"\u05DC";
    CHECK(smart(pointed, "he") == pointed);
    // A prefix letter before a quoted word: the quote closes before the next space, so it
    // opens a quotation (in "Haaretz"): "b" + quoted word.
    CHECK(smart("\u05D1\"\u05D4\u05D0\u05E8\u05E5\" \u05E9\"\u05D7", "he") ==
          "\u05D1\u201C\u05D4\u05D0\u05E8\u05E5\u201D \u05E9\"\u05D7");
}

TEST_CASE("smart quotes: code is left alone, titles are not") {
    Document doc;
    doc.meta.title = "The \"Title\"";
    Paragraph p;
    p.content.push_back(Inline{Text{"Use "}});
    p.content.push_back(Inline{Code{"printf(\"%d\", x)"}});
    p.content.push_back(Inline{Text{" and 'see'."}});
    doc.blocks.push_back(Block{std::move(p), {}});
    doc.blocks.push_back(Block{CodeBlock{"", "s = \"raw\""}, {}});
    make_quotes_typographic(doc);
    CHECK(doc.meta.title == "The \u201CTitle\u201D");
    const auto& content = std::get<Paragraph>(doc.blocks[0].node).content;
    CHECK(std::get<Code>(content[1].base()).text == "printf(\"%d\", x)");
    CHECK(std::get<Text>(content[2].base()).text == " and \u2018see\u2019.");
    CHECK(std::get<CodeBlock>(doc.blocks[1].node).text == "s = \"raw\"");
}

TEST_CASE("smart quotes: HTML, EPUB and PDF writers get them, Markdown and --no-smart do not") {
    Document doc;
    doc.meta.language = "en";
    doc.blocks.push_back(make_paragraph("She said \"it's fine\"."));
    WriteOptions options;
    std::string html = write_document(doc, "html", options);
    CHECK(html.find("She said \u201Cit\u2019s fine\u201D.") != std::string::npos);
    std::string md = write_document(doc, "md", options);
    CHECK(md.find("\"it's fine\"") != std::string::npos);
    options.smart = false;
    html = write_document(doc, "html", options);
    CHECK(html.find("\u201C") == std::string::npos);
    // the document given is not changed
    CHECK(std::get<Text>(std::get<Paragraph>(doc.blocks[0].node).content[0].base()).text == "She said \"it's fine\".");
}
