// template_test.cpp: what recurs across the pages of a batch. A line the site repeats at
// the edges of its pages (banner, footer) is template and goes; a line two articles
// happen to share inside their text (a heading) stays.
#include <catch2/catch.hpp>

#include <string>

#include "dconv/clean.hpp"
#include "dconv/convert.hpp"

namespace {

const std::string kPageA =
    "Harbour Town Online\n\n"
    "Storm Season Ends Early\n\n"
    "The storm season ended two weeks early this year, according to the weather service, "
    "which said the ocean had cooled faster than expected in October.\n\n"
    "What Happens Next\n\n"
    "Forecasters will review the season in December and publish their outlook for next "
    "year in the spring, as they do every year.\n\n"
    "Share this page\n"
    "Contact the newsroom\n";

const std::string kPageB =
    "Harbour Town Online\n\n"
    "New Bridge Opens\n\n"
    "The new bridge over the river opened on Monday after three years of work, and the "
    "first cars crossed it shortly after nine in the morning.\n\n"
    "What Happens Next\n\n"
    "The old bridge will be closed in January and taken down over the following months, "
    "the city said in a statement.\n\n"
    "Share this page\n"
    "Contact the newsroom\n";

std::string clean(const std::string& page, const dconv::BatchProfile& batch) {
    dconv::Diagnostics diag;
    dconv::ReadOptions in;
    in.source_name = "page.txt";
    in.batch = &batch;
    dconv::WriteOptions out;
    out.front_matter = false;
    return dconv::write_document(dconv::read_document(page, in, diag), "md", out);
}

}  // namespace

TEST_CASE("template: a footer two pages share goes, a heading they share stays") {
    dconv::BatchProfile batch;
    batch.add_page(kPageA);
    batch.add_page(kPageB);
    REQUIRE(batch.pages() == 2);
    CHECK(batch.pages_with("What Happens Next") == 2);
    CHECK(batch.pages_with("  What   Happens Next ") == 2);  // white space is folded
    for (const std::string* page : {&kPageA, &kPageB}) {
        std::string md = clean(*page, batch);
        INFO(md);
        CHECK(md.find("## What Happens Next") != std::string::npos);
        CHECK(md.find("Contact the newsroom") == std::string::npos);
        CHECK(md.find("Share this page") == std::string::npos);
        CHECK(md.find("Harbour Town Online") == std::string::npos);
    }
}

TEST_CASE("template: the same page twice in a batch keeps its headings") {
    dconv::BatchProfile batch;
    batch.add_page(kPageA);
    batch.add_page(kPageA);
    std::string md = clean(kPageA, batch);
    INFO(md);
    CHECK(md.find("## What Happens Next") != std::string::npos);
    CHECK(md.find("Forecasters will review") != std::string::npos);
}

// ------------------------------------------------------------------------------ HTML
// Pages of one HTML site: the profile learns each page's blocks (template_text), not its
// lines of markup, so a promotion the site puts inside every article goes, while a
// sentence quoted on every page stays.

namespace {

std::string html_page(const std::string& title, const std::string& lead, const std::string& next) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
           " - Harbour Town Online</title></head>\n<body><header><a href=\"/\">Harbour Town Online</a></header>\n"
           "<article><h1>" + title + "</h1>\n<p>" + lead + "</p>\n<h2>What Happens Next</h2>\n<p>" + next +
           "</p>\n<blockquote><p>We will rebuild what the storm took from us, one street at a time.</p></blockquote>\n"
           "<p>Harbour Town Online brings you the news of the bay and of the towns along its shore, "
           "every day of the week and twice on Sundays</p>\n"
           "</article><footer><p>Contact the newsroom</p></footer></body></html>\n";
}

const std::string kHtmlPages[] = {
    html_page("Storm Season Ends Early",
              "The storm season ended two weeks early this year, according to the weather service, which "
              "said the ocean had cooled faster than expected in October.",
              "Forecasters will review the season in December and publish their outlook for next year in "
              "the spring, as they do every year."),
    html_page("New Bridge Opens",
              "The new bridge over the river opened on Monday after three years of work, and the first cars "
              "crossed it shortly after nine in the morning.",
              "The old bridge will be closed in January and taken down over the following months, the city "
              "said in a statement."),
    html_page("Library Extends Hours",
              "The central library will stay open until nine in the evening from next month, after a survey "
              "showed that most readers come after work.",
              "The extra hours will be paid for by the county for a trial year, and reviewed next autumn."),
};

// ------------------------------------------------------------------ HTML sites


// A page of a small HTML site: the site's lines at the top and bottom of the content box
// (where structure alone cannot tell them from the article), a heading every article
// has, and a quoted line that two articles share inside their text.
std::string html_box_page(const std::string& headline, const std::string& first, const std::string& second) {
    return "<html><head><title>" + headline + "</title></head><body><div class=\"box\">"
           "<div>Harbour Town Online</div><div>Local news since 1921</div>"
           "<h1>" + headline + "</h1><p>" + first + "</p><h2>What Happens Next</h2><p>" + second + "</p>"
           "<p>\"We will keep going,\" the mayor said, as she does every year.</p>"
           "<div>Printed in Harbour Town</div><div>Quay Street offices</div></div></body></html>";
}

const std::string kHtmlA = html_box_page(
    "Storm Season Ends Early",
    "The storm season ended two weeks early this year, according to the weather service, which said the ocean "
    "had cooled faster than expected in October.",
    "Forecasters will review the season in December and publish their outlook for next year in the spring, as "
    "they do every year.");
const std::string kHtmlB = html_box_page(
    "New Bridge Opens",
    "The new bridge over the river opened on Monday after three years of work, and the first cars crossed it "
    "shortly after nine in the morning.",
    "The old bridge will be closed in January and taken down over the following months, the city said in a "
    "statement.");
const std::string kHtmlC = html_box_page(
    "School Garden Wins Prize",
    "The school garden on Hill Street won the county prize on Saturday, the third time in five years, and the "
    "pupils who tend it were given the cup.",
    "The prize money will pay for a new greenhouse, which the pupils hope to build before the winter, the head "
    "teacher said.");

std::string clean_html(const std::string& page, const dconv::BatchProfile* batch) {
    dconv::Diagnostics diag;
    dconv::ReadOptions in;
    in.source_name = "page.html";
    in.batch = batch;
    dconv::WriteOptions out;
    out.front_matter = false;
    return dconv::write_document(dconv::read_document(page, in, diag), "md", out);
}

}  // namespace

TEST_CASE("template: HTML pages of one site lose the promotion they share, keep a shared quote") {
    const std::string promotion = "Harbour Town Online brings you the news of the bay";
    // Alone, nothing marks the promotion: it reads like a line of the article.
    CHECK(clean_html(kHtmlPages[0], nullptr).find(promotion) != std::string::npos);

    dconv::BatchProfile batch;
    for (const std::string& page : kHtmlPages) {
        dconv::Diagnostics diag;
        dconv::ReadOptions in;
        in.source_name = "page.html";
        batch.add_page(dconv::template_text(page, in, diag));
    }
    REQUIRE(batch.pages() == 3);
    CHECK(batch.pages_with("What Happens Next") == 3);  // a block's text, not markup
    for (const std::string& page : kHtmlPages) {
        std::string md = clean_html(page, &batch);
        INFO(md);
        CHECK(md.find(promotion) == std::string::npos);
        CHECK(md.find("> We will rebuild what the storm took from us, one street at a time.") != std::string::npos);
        CHECK(md.find("## What Happens Next") != std::string::npos);
        CHECK(md.find("Contact the newsroom") == std::string::npos);
    }
    CHECK(clean_html(kHtmlPages[1], &batch).find("the first cars crossed it") != std::string::npos);
}

TEST_CASE("template: an HTML site's lines at the edges of its pages go, learned from the pages' text") {
    dconv::BatchProfile batch;
    dconv::ReadOptions in;
    in.source_name = "page.html";
    for (const std::string* page : {&kHtmlA, &kHtmlB, &kHtmlC}) {
        dconv::Diagnostics diag;
        batch.add_page(dconv::template_text(*page, in, diag));
    }
    // the profile holds the pages' text, not their markup
    CHECK(batch.pages_with("Harbour Town Online") == 3);
    CHECK(batch.pages_with("What Happens Next") == 3);
    CHECK(batch.pages_with("<div>Harbour Town Online</div><div>Local news since 1921</div>") == 0);
    for (const std::string* page : {&kHtmlA, &kHtmlB, &kHtmlC}) {
        std::string alone = clean_html(*page, nullptr), md = clean_html(*page, &batch);
        INFO(md);
        // alone, a page cannot tell its site's line below the masthead from its own
        CHECK(alone.find("Local news since 1921") != std::string::npos);
        CHECK(md.find("Harbour Town Online") == std::string::npos);
        CHECK(md.find("Local news since 1921") == std::string::npos);
        CHECK(md.find("Printed in Harbour Town") == std::string::npos);
        CHECK(md.find("Quay Street offices") == std::string::npos);
        // what recurs inside the articles stays: a heading, a sentence
        CHECK(md.find("## What Happens Next") != std::string::npos);
        CHECK(md.find("the mayor said") != std::string::npos);
    }
}
