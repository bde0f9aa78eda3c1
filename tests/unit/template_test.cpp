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
