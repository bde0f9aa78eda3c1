// cli_test.cpp: the dconv command, run as a program (its arguments, exit codes, messages
// and files), in fresh temporary directories.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dconv/clean.hpp"
#include "dconv/registry.hpp"
#include "support/test_files.hpp"
#include "unit/cli_test_support.hpp"
#include "unit/epub_test_support.hpp"

namespace fs = std::filesystem;

namespace {

using namespace dconv::testing::cli;

using dconv::testing::kArticle;
const char* const kMarker = "zebracorn garden opened";

std::vector<std::string> files_below(const fs::path& dir) {
    std::vector<std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path().lexically_relative(dir).string());
    std::sort(out.begin(), out.end());
    return out;
}

using Catch::Contains;
using Catch::StartsWith;

}  // namespace

// --------------------------------------------------------------------------- the basics

TEST_CASE("cli: --version and --help exit 0") {
    TempDir dir;
    Run v = run_dconv(dir, "--version");
    CHECK(v.status == 0);
    CHECK_THAT(v.out, StartsWith("dconv "));
    CHECK(v.out.size() > 6);
    CHECK(std::isdigit(static_cast<unsigned char>(v.out[6])));

    Run h = run_dconv(dir, "--help");
    CHECK(h.status == 0);
    CHECK_THAT(h.out, Contains("Usage: dconv"));
    CHECK_THAT(h.out, Contains("Examples:"));
    CHECK_THAT(h.out, Contains("Exit status:"));
    for (const auto& w : dconv::writers()) CHECK_THAT(h.out, Contains(w.name));
}

TEST_CASE("cli: --list-formats lists the registry") {
    TempDir dir;
    Run r = run_dconv(dir, "--list-formats");
    CHECK(r.status == 0);
    for (const auto& w : dconv::writers()) {
        CHECK_THAT(r.out, Contains(w.name));
        CHECK_THAT(r.out, Contains("." + w.extension));
    }
    for (const auto& rd : dconv::readers()) CHECK_THAT(r.out, Contains(rd.name));
}

TEST_CASE("cli: usage errors exit 2 and say why") {
    TempDir dir;
    dir.write("page.txt", kArticle);

    SECTION("unknown output format lists the formats") {
        Run r = run_dconv(dir, "--to nope page.txt");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("nope"));
        for (const auto& w : dconv::writers()) CHECK_THAT(r.err, Contains(w.name));
        CHECK_FALSE(fs::exists(dir.work / "out"));
    }
    SECTION("unknown input format") {
        Run r = run_dconv(dir, "--from nope page.txt");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("nope"));
        for (const auto& rd : dconv::readers()) CHECK_THAT(r.err, Contains(rd.name));
    }
    SECTION("unknown encoding") {
        Run r = run_dconv(dir, "--encoding no-such-charset page.txt");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("no-such-charset"));
    }
    SECTION("no inputs") {
        Run r = run_dconv(dir, "--to md");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("no inputs"));
    }
    SECTION("unknown option") {
        Run r = run_dconv(dir, "--frobnicate page.txt");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("frobnicate"));
    }
    SECTION("bad --explain value") {
        CHECK(run_dconv(dir, "--explain=yaml page.txt").status == 2);
    }
    SECTION("two inputs with one output name") {
        dir.write("a/page.txt", kArticle);
        dir.write("b/page.txt", kArticle);
        Run r = run_dconv(dir, "a/page.txt b/page.txt");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("a/page.txt"));
        CHECK_THAT(r.err, Contains("b/page.txt"));
        CHECK(files_below(dir.work / "out").empty());
    }
    SECTION("-o - with several outputs") {
        Run r = run_dconv(dir, "--to md,txt -o - page.txt");
        CHECK(r.status == 2);
        CHECK(r.out.empty());
    }
    SECTION("an empty directory") {
        fs::create_directory(dir.work / "nothing");
        Run r = run_dconv(dir, "nothing");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("nothing"));
    }
}

// ----------------------------------------------------------------------------- outputs

// A command line of only -t/--to, -f/--from, -o/--output, -j/--jobs and -q/--quiet is
// parsed with only those options declared (main.cpp: only_common_options); one more
// option, which changes nothing here, makes it parse with the whole table. Both must
// read the command line alike: the same output, the same usage errors word for word.
TEST_CASE("cli: the common options parse as with the whole option table") {
    // --no-smart only changes quotes in HTML, EPUB and PDF; --no-images only fetching
    const std::string kOther[] = {"--no-smart", "--no-images"};
    const std::string kCommandLines[] = {
        "-q -o - page.txt", "--quiet --to txt --output - page.txt", "-q -t md,txt -o two/ page.txt",
        "-f webtext -j 1 -o - page.txt", "--to nope page.txt", "--from nope page.txt", "-j x page.txt",
        "-j 99999 page.txt", "page.txt -o", "-t", "-o - -o - page.txt", "-q",
    };
    for (const std::string& other : kOther) {
        for (const std::string& line : kCommandLines) {
            TempDir common_dir, whole_dir;
            common_dir.write("page.txt", kArticle);
            whole_dir.write("page.txt", kArticle);
            Run common = run_dconv(common_dir, line);
            Run whole = run_dconv(whole_dir, other + " " + line);
            INFO(line << " | with " << other);
            CHECK(common.status == whole.status);
            CHECK(common.out == whole.out);
            CHECK(common.err == whole.err);
            CHECK(files_below(common_dir.work) == files_below(whole_dir.work));
        }
    }
}

TEST_CASE("cli: standard input to standard output") {
    TempDir dir;
    fs::path input = dir.write("stdin.data", kArticle);
    Run r = run_dconv(dir, "--to txt -o - -", input.string());
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains(kMarker));
    CHECK(files_below(dir.work) == std::vector<std::string>{"stdin.data"});

    Run lone = run_dconv(dir, "-", input.string());  // a lone - defaults to standard output too
    CHECK(lone.status == 0);
    CHECK_THAT(lone.out, Contains(kMarker));
    CHECK_FALSE(fs::exists(dir.work / "out"));
}

TEST_CASE("cli: Markdown is read as written unless --clean, --no-clean turns cleaning off for all") {
    TempDir dir;
    // a nav-bar line the cleaner removes from a page, in authored notes
    std::string notes = std::string("Home | News | Sport | Contact | Login\n\n") + kArticle;
    dir.write("notes.md", notes);
    dir.write("page.txt", notes);

    Run as_written = run_dconv(dir, "--to txt notes.md -o -");
    CHECK(as_written.status == 0);
    CHECK_THAT(as_written.out, Contains("Home | News"));
    CHECK_THAT(as_written.out, Contains(kMarker));

    Run cleaned = run_dconv(dir, "--clean --to txt notes.md -o -");
    CHECK(cleaned.status == 0);
    CHECK_THAT(cleaned.out, !Contains("Home | News"));
    CHECK_THAT(cleaned.out, Contains(kMarker));

    // web text stays cleaned by default, and --clean changes nothing for it
    Run page = run_dconv(dir, "--to txt page.txt -o -");
    CHECK_THAT(page.out, !Contains("Home | News"));
    CHECK(run_dconv(dir, "--clean --to txt page.txt -o -").out == page.out);
    CHECK_THAT(run_dconv(dir, "--no-clean --to txt page.txt -o -").out, Contains("Home | News"));

    Run both = run_dconv(dir, "--clean --no-clean notes.md -o -");
    CHECK(both.status == 2);
    CHECK_THAT(both.err, Contains("--clean and --no-clean"));
}

TEST_CASE("cli: Markdown has the title in its front matter, or as a heading with --no-front-matter") {
    TempDir dir;
    dir.write("notes.md", "---\ntitle: \"Harbour notes\"\n---\n\nThe pier reopened today.\n");
    Run front = run_dconv(dir, "--to md notes.md -o -");
    CHECK(front.status == 0);
    CHECK(front.out == "---\ntitle: \"Harbour notes\"\nsource: \"notes.md\"\n---\n\nThe pier reopened today.\n");
    Run bare = run_dconv(dir, "--to md --no-front-matter notes.md -o -");
    CHECK(bare.status == 0);
    CHECK(bare.out == "# Harbour notes\n\nThe pier reopened today.\n");
}

TEST_CASE("cli: an HTML page on standard input or without a file ending is read as HTML") {
    if (!dconv::find_reader("html")) {
        WARN("built without the HTML reader: nothing to check");
        return;
    }
    TempDir dir;
    std::string page = "\xEF\xBB\xBF\n  <!DOCTYPE html><html><head><title>Harbour news</title></head><body>"
                       "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>Harbour news</h1>"
                       "<p>The north pier reopened today after two years of repairs, and the first ferry "
                       "tied up there before noon.</p></article></body></html>\n";
    fs::path html = dir.write("page.html", page);
    dir.write("saved", page);
    Run by_name = run_dconv(dir, "--to txt page.html -o -");
    CHECK(by_name.status == 0);
    CHECK_THAT(by_name.out, Contains("north pier reopened"));
    CHECK_THAT(by_name.out, !Contains("<p>"));
    CHECK(run_dconv(dir, "--to txt saved -o -").out == by_name.out);
    Run piped = run_dconv(dir, "--to txt -o - -", html.string());
    CHECK(piped.status == 0);
    CHECK_THAT(piped.out, Contains("north pier reopened"));
    CHECK_THAT(piped.out, !Contains("<p>"));
    // text that merely opens with a tag stays web text
    dir.write("note", "<b>Note</b> the pier reopened today.\n");
    CHECK_THAT(run_dconv(dir, "--to txt note -o -").out, Contains("<b>Note</b>"));
}

TEST_CASE("cli: default output folder out/ and the summary line") {
    TempDir dir;
    dir.write("one.txt", kArticle);
    dir.write("two.txt", kArticle);
    Run r = run_dconv(dir, "one.txt two.txt");
    CHECK(r.status == 0);
    CHECK(files_below(dir.work / "out") == std::vector<std::string>{"one.md", "two.md"});
    CHECK_THAT(slurp(dir.work / "out" / "one.md"), Contains(kMarker));
    CHECK_THAT(r.err, Contains("converted 2 of 2 inputs into out/"));

    Run quiet = run_dconv(dir, "-q one.txt two.txt");
    CHECK(quiet.status == 0);
    CHECK(quiet.err.empty());
}

TEST_CASE("cli: -o DIR is created and gets one file per input and format") {
    TempDir dir;
    dir.write("alpha.txt", kArticle);
    dir.write("beta.txt", kArticle);
    Run r = run_dconv(dir, "--to md,txt -o made/here alpha.txt beta.txt");
    CHECK(r.status == 0);
    CHECK(files_below(dir.work / "made" / "here") ==
          std::vector<std::string>{"alpha.md", "alpha.txt", "beta.md", "beta.txt"});
    CHECK_THAT(slurp(dir.work / "made/here/beta.txt"), Contains(kMarker));

    SECTION("a trailing slash makes a directory even for one output") {
        Run one = run_dconv(dir, "-o single/ alpha.txt");
        CHECK(one.status == 0);
        CHECK(files_below(dir.work / "single") == std::vector<std::string>{"alpha.md"});
    }
    SECTION("--to all writes every registered format") {
        Run all = run_dconv(dir, "--to all -o every alpha.txt");
        CHECK(all.status == 0);
        std::vector<std::string> expected;
        for (const auto& w : dconv::writers()) expected.push_back("alpha." + w.extension);
        std::sort(expected.begin(), expected.end());
        CHECK(files_below(dir.work / "every") == expected);
    }
}

TEST_CASE("cli: -o FILE for one input and format, replacing an old file") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    dir.write("result.md", "stale");
    Run r = run_dconv(dir, "--to md page.txt -o result.md");
    CHECK(r.status == 0);
    std::string md = slurp(dir.work / "result.md");
    CHECK_THAT(md, Contains(kMarker));
    CHECK(md.find("stale") == std::string::npos);
    // No temporary left behind.
    CHECK(files_below(dir.work) == std::vector<std::string>{"page.txt", "result.md"});
}

TEST_CASE("cli: directory inputs are walked recursively, keeping their folders") {
    TempDir dir;
    dir.write("site/a.txt", kArticle);
    dir.write("site/sub/b.txt", kArticle);
    dir.write("site/sub/deeper/c.md", "# Title\n\nSome markdown text.\n");
    dir.write("site/picture.png", "\x89PNG not claimed by any reader");
    dir.write("site/.hidden/d.txt", kArticle);
    Run r = run_dconv(dir, "-o converted site");
    CHECK(r.status == 0);
    CHECK(files_below(dir.work / "converted") ==
          std::vector<std::string>{"a.md", "sub/b.md", "sub/deeper/c.md"});
    CHECK_THAT(r.err, Contains("converted 3 of 3 inputs"));

    SECTION("the output folder inside the input folder is not read back") {
        Run again = run_dconv(dir, "-o site/out site");
        CHECK(again.status == 0);
        Run twice = run_dconv(dir, "-o site/out site");
        CHECK(twice.status == 0);
        CHECK_THAT(twice.err, Contains("converted 3 of 3 inputs"));
    }
}

// ------------------------------------------------------------------ hostile and odd inputs

TEST_CASE("cli: an empty file converts") {
    TempDir dir;
    dir.write("empty.txt", "");
    Run r = run_dconv(dir, "--to md,txt empty.txt");
    CHECK(r.status == 0);
    CHECK(fs::exists(dir.work / "out" / "empty.md"));
    CHECK(fs::exists(dir.work / "out" / "empty.txt"));
    CHECK_THAT(r.err, Contains("empty.txt: warning: the input is empty"));
}

TEST_CASE("cli: a binary file fails by name, the rest of the batch converts") {
    TempDir dir;
    std::mt19937 random(42);
    std::string noise;
    for (int i = 0; i < 4096; ++i) noise += static_cast<char>(i % 7 == 0 ? 0 : random() & 0xff);
    dir.write("noise.txt", noise);
    dir.write("good.txt", kArticle);
    dir.write("fine.txt", kArticle);
    Run r = run_dconv(dir, "good.txt noise.txt fine.txt");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: noise.txt"));
    CHECK_THAT(r.err, Contains("binary"));
    CHECK(files_below(dir.work / "out") == std::vector<std::string>{"fine.md", "good.md"});
    CHECK_THAT(r.err, Contains("converted 2 of 3 inputs into out/ (1 failed)"));
}

TEST_CASE("cli: a missing input fails by name, the rest converts") {
    TempDir dir;
    dir.write("good.txt", kArticle);
    Run r = run_dconv(dir, "nothere.txt good.txt");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("dconv: nothere.txt: No such file or directory"));
    CHECK(files_below(dir.work / "out") == std::vector<std::string>{"good.md"});
}

TEST_CASE("cli: invalid UTF-8 is a warning with its offset, not a failure") {
    TempDir dir;
    // The bad byte sits at offset 1234 of the file, in text that is clearly UTF-8 (many
    // good multibyte characters), so the decoder must not take it for a legacy charset.
    std::string text = std::string(kArticle) + "\n";
    std::string padding = "Caf\u00e9 na\u00efve \u201cquoted\u201d \u2014 more text follows. ";
    while (text.size() + padding.size() < 1234) text += padding;
    text.append(1234 - text.size(), ' ');  // ASCII up to the offset: no cut character
    text += "\xff";
    text += " and the text goes on after the bad byte.\n";
    dir.write("bad.txt", text);
    Run r = run_dconv(dir, "bad.txt");
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("bad.txt"));
    CHECK_THAT(r.err, Contains("warning: "));
    CHECK_THAT(r.err, Contains("1234"));
    CHECK(fs::exists(dir.work / "out" / "bad.md"));

    Run quiet = run_dconv(dir, "-q bad.txt");
    CHECK(quiet.status == 0);
    CHECK(quiet.err.empty());
}

TEST_CASE("cli: a 50 MB single line finishes", "[slow]") {
    TempDir dir;
    std::string line;
    line.reserve(50u << 20);
    const std::string words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
    while (line.size() < (50u << 20)) line += words;
    dir.write("huge.txt", line);
    line.clear();
    line.shrink_to_fit();
    Run r = run_dconv(dir, "--to md,txt huge.txt", "/dev/null", 600);
    INFO("took " << r.seconds << " s");
    CHECK(r.status == 0);
    CHECK(fs::exists(dir.work / "out" / "huge.md"));
    CHECK(fs::exists(dir.work / "out" / "huge.txt"));
    CHECK(fs::file_size(dir.work / "out" / "huge.txt") > (40u << 20));
}

// ---------------------------------------------------------------------- output safety

TEST_CASE("cli: an output that is an input is refused, the input untouched") {
    TempDir dir;
    fs::path page = dir.write("page.txt", kArticle);
    auto before = fs::last_write_time(page);

    SECTION("-o FILE naming the input") {
        Run r = run_dconv(dir, "--to txt page.txt -o page.txt");
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Contains("page.txt"));
        CHECK_THAT(r.err, Contains("same file"));
    }
    SECTION("-o DIR where the input lives") {
        Run r = run_dconv(dir, "--to txt -o . page.txt");
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Contains("same file"));
    }
    SECTION("through a symbolic link") {
        fs::create_symlink("page.txt", dir.work / "link.txt");
        Run r = run_dconv(dir, "--to txt page.txt -o link.txt");
        CHECK(r.status == 1);
        CHECK(fs::is_symlink(dir.work / "link.txt"));
    }
    CHECK(slurp(page) == kArticle);
    CHECK(fs::last_write_time(page) == before);
}

TEST_CASE("cli: an output directory that cannot be created exits 3") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    dir.write("blocker", "a file where a folder should be");
    Run r = run_dconv(dir, "-o blocker/sub/ page.txt");
    CHECK(r.status == 3);
    CHECK_THAT(r.err, Contains("blocker"));
    CHECK(slurp(dir.work / "blocker") == "a file where a folder should be");
}

TEST_CASE("cli: standard output closed by its reader exits 3, quietly") {
    // Regression: `dconv -o - big.md | head -c 10` was killed by SIGPIPE (status 141).
    TempDir dir;
    std::string big;
    for (int i = 0; i < 40000; ++i) big += "Line " + std::to_string(i) + " of a long note.\n\n";
    dir.write("big.md", big);  // far more than a pipe holds
    for (const char* args : {"--to md -o - big.md", "--jsonl"}) {
        std::string input = std::string(args) == "--jsonl" ? "records.jsonl" : "";
        if (!input.empty()) {
            std::string records;
            for (int i = 0; i < 2000; ++i)
                records += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"" + std::string(2000, 'a') + "\"}\n";
            dir.write(input, records);
        }
        std::string command = "cd " + quote(dir.work.string()) + " && ( timeout 120 " + quote(kBinary) + " " +
                              args + (input.empty() ? "" : " <" + input) + " 2>" +
                              quote((dir.capture / "stderr").string()) + "; echo $? >" +
                              quote((dir.capture / "status").string()) + " ) | head -c 10 >/dev/null";
        CHECK(std::system(command.c_str()) == 0);
        INFO(args);
        CHECK(slurp(dir.capture / "status") == "3\n");
        CHECK(slurp(dir.capture / "stderr") == "");
    }
}

// --------------------------------------------------------------------- explain, threads

TEST_CASE("cli: --explain=json writes one JSON object per input") {
    TempDir dir;
    dir.write("one.txt", kArticle);
    dir.write("two.txt", kArticle);
    Run r = run_dconv(dir, "--explain=json one.txt two.txt");
    CHECK(r.status == 0);
    std::istringstream lines(r.err);
    std::string line;
    std::vector<std::string> inputs;
    while (std::getline(lines, line)) {
        auto j = nlohmann::json::parse(line);  // throws (and fails) on anything else
        inputs.push_back(j.at("input"));
        CHECK(j.at("ok") == true);
        CHECK(j.at("diagnostics").is_array());
        CHECK(j.at("outputs").size() == 1);
    }
    std::sort(inputs.begin(), inputs.end());
    CHECK(inputs == std::vector<std::string>{"one.txt", "two.txt"});
}

TEST_CASE("cli: --explain prints diagnostics prefixed by the file") {
    TempDir dir;
    dir.write("one.txt", kArticle);
    Run r = run_dconv(dir, "--explain one.txt -o -");
    CHECK(r.status == 0);
    std::istringstream lines(r.err);
    std::string line;
    int explained = 0;
    while (std::getline(lines, line))
        if (line.rfind("one.txt:", 0) == 0) ++explained;
    CHECK(explained > 0);  // the title, at least, is a decision worth explaining
}

TEST_CASE("cli: -j1 and -j4 give identical files") {
    TempDir dir;
    std::vector<std::string> seeds;
    for (const auto& e : fs::directory_iterator(DCONV_SOURCE_DIR "/seeds"))
        if (e.path().extension() == ".txt") seeds.push_back(e.path().string());
    REQUIRE(seeds.size() >= 2);
    std::string args;
    for (const auto& s : seeds) {
        args += ' ';
        args += quote(s);
    }
    REQUIRE(run_dconv(dir, "-q --to all -j1 -o serial" + args).status == 0);
    REQUIRE(run_dconv(dir, "-q --to all -j4 -o parallel" + args).status == 0);
    auto files = files_below(dir.work / "serial");
    CHECK(files.size() == seeds.size() * dconv::writers().size());
    CHECK(files == files_below(dir.work / "parallel"));
    for (const auto& f : files) {
        INFO(f);
        CHECK(slurp(dir.work / "serial" / f) == slurp(dir.work / "parallel" / f));
    }
}

// ------------------------------------------------------------- steering the cleaner

namespace {

// A page whose structure makes a promotion part of the article and a notice part of the
// page header: what the cleaner decides alone, and what a user's selectors change.
const char* const kSteeredPage = R"(<!DOCTYPE html><html><head><title>Harbour news</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<p class="notice">Subscriber note: the print edition moves to Saturdays from next month onwards, with a larger weekend section.</p></header>
<main><article><h1>Harbour news</h1>
<p>The harbour handled more cargo last year than in any year since the trust began keeping records, and most of the growth came through the rebuilt east quay.</p>
<p>The trust's chair said the road would be discussed at the next board meeting, and that the money for it had already been set aside in the budget.</p>
<div class="promo"><p>Our partners offer great deals on ferry tickets, cruises and harbour tours, with discounts for members all through the summer season.</p></div>
<p>Work on the west quay is due to start in the spring, once the dredging contract has been signed by both parties.</p>
</article></main>
<footer><p>Copyright 2026 Harbour Daily</p></footer></body></html>
)";

}  // namespace

TEST_CASE("cli: --drop-selector and --keep-selector steer the HTML cleaner") {
    TempDir dir;
    dir.write("page.html", kSteeredPage);
    Run plain = run_dconv(dir, "-q --to txt -o - page.html");
    REQUIRE(plain.status == 0);
    REQUIRE_THAT(plain.out, Contains("Our partners offer"));      // the premise: kept alone
    REQUIRE_THAT(plain.out, !Contains("Subscriber note"));        // and the header's notice gone

    Run steered = run_dconv(dir, "-q --to txt --columns 0 -o - --drop-selector 'article > div.promo' "
                                 "--keep-selector 'header > .notice' page.html");
    CHECK(steered.status == 0);
    CHECK_THAT(steered.out, !Contains("Our partners offer"));
    CHECK_THAT(steered.out, Contains("Subscriber note: the print edition moves to Saturdays"));
    CHECK_THAT(steered.out, Contains("The harbour handled more cargo"));
    CHECK_THAT(steered.out, Contains("Work on the west quay"));
    CHECK_THAT(steered.out, !Contains("Copyright 2026"));
    // in the page's order: the header's notice comes first
    CHECK(steered.out.find("Subscriber note") < steered.out.find("The harbour handled"));

    // repeatable, and a comma list is one option
    Run listed = run_dconv(dir, "-q --to txt -o - --drop-selector .promo --drop-selector 'h1, footer' page.html");
    CHECK(listed.status == 0);
    CHECK_THAT(listed.out, !Contains("Our partners offer"));

    // --explain names what the selectors did, with their rule ids
    Run explained = run_dconv(dir, "--explain=json --to txt -o /dev/null --drop-selector .promo "
                                   "--keep-selector '.notice' page.html");
    CHECK(explained.status == 0);
    auto j = nlohmann::json::parse(explained.err.substr(0, explained.err.find('\n')));
    bool dropped = false, kept = false;
    for (const auto& d : j.at("diagnostics")) {
        dropped = dropped || (d.at("rule") == "drop-selector" && d.at("action") == "removed");
        kept = kept || (d.at("rule") == "keep-selector" && d.at("action") == "kept");
    }
    CHECK(dropped);
    CHECK(kept);
}

TEST_CASE("cli: an unsupported selector is a usage error naming it") {
    TempDir dir;
    dir.write("page.html", kSteeredPage);
    Run r = run_dconv(dir, "--drop-selector 'p:first-child' page.html");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("--drop-selector") && Contains("'p:first-child'") && Contains("pseudo"));
    CHECK_FALSE(fs::exists(dir.work / "out"));
    r = run_dconv(dir, "--keep-selector 'h1 + p' page.html");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("--keep-selector") && Contains("'h1 + p'"));
}

TEST_CASE("cli: a selector that matches nothing warns per page alone and once per batch") {
    TempDir dir;
    dir.write("page.html", kSteeredPage);
    Run one = run_dconv(dir, "--to txt -o - --keep-selector '.recipe' --drop-selector .promo page.html");
    CHECK(one.status == 0);
    CHECK_THAT(one.err, Contains("dconv: page.html: warning: --keep-selector '.recipe' matched nothing"));
    CHECK_THAT(one.err, !Contains("--drop-selector '.promo'"));  // it matched: nothing to say
    // a selector that matches elements of the page has matched, though nothing it matches
    // is shown: inside a dropped element, the <title>, the <head>
    Run inside = run_dconv(dir, "--to txt -o - --drop-selector .promo --keep-selector '.promo p' "
                                "--keep-selector title --keep-selector head page.html");
    CHECK(inside.status == 0);
    CHECK_THAT(inside.err, !Contains("matched nothing"));

    // a batch: one line per selector at the end, naming how many pages and the first few
    std::string names;
    for (int k = 0; k < 5; ++k) {
        std::string page = kSteeredPage;
        if (k == 4) page.replace(page.find("<footer>"), 0, "<div class=\"banner\">Sale</div>");
        std::string name = "p";
        name += std::to_string(k) + ".html";
        dir.write(name, page);
        names += " " + name;
    }
    Run batch = run_dconv(dir, "--to txt -o editions/ --keep-selector '.recipe' --drop-selector .banner" + names);
    CHECK(batch.status == 0);
    CHECK_THAT(batch.err, Contains("dconv: warning: --keep-selector '.recipe' matched nothing in 5 of 5 inputs: "
                                   "p0.html, p1.html, p2.html and 2 more\n"));
    CHECK_THAT(batch.err, Contains("dconv: warning: --drop-selector '.banner' matched nothing in 4 of 5 inputs: "
                                   "p0.html, p1.html, p2.html and 1 more\n"));
    std::size_t lines = 0;
    for (std::size_t at = 0; (at = batch.err.find("matched nothing", at)) != std::string::npos; ++at) ++lines;
    CHECK(lines == 2);
    Run quiet = run_dconv(dir, "-q --to txt -o editions/ --keep-selector '.recipe'" + names);
    CHECK(quiet.status == 0);
    CHECK(quiet.err.empty());
    // text inputs in a batch: the selectors' not applying is said once too
    dir.write("a.txt", kArticle);
    dir.write("b.txt", kArticle);
    Run text = run_dconv(dir, "--to md -o editions/ --drop-selector .promo a.txt b.txt");
    CHECK(text.status == 0);
    CHECK_THAT(text.err, Contains("dconv: warning: --keep-selector and --drop-selector apply to HTML inputs, and "
                                  "were ignored in 2 of 2 inputs: a.txt, b.txt\n"));
    CHECK(text.err.find("a.txt: warning: --keep-selector") == std::string::npos);
}

TEST_CASE("cli: selectors on a text input are ignored, with a warning") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run with = run_dconv(dir, "--to md -o - --drop-selector p page.txt");
    Run without = run_dconv(dir, "-q --to md -o - page.txt");
    CHECK(with.status == 0);
    CHECK_THAT(with.err, Contains("apply to HTML inputs"));
    CHECK(with.out == without.out);
}

TEST_CASE("cli: --explain names each removal's rule and the page's type") {
    TempDir dir;
    dir.write("page.html", kSteeredPage);
    dir.write("article.txt", std::string("[Home](https://example.org/) [News](https://example.org/news) "
                                         "[Sport](https://example.org/sport) [Contact](https://example.org/contact)\n\n") +
                                 kArticle + "\nCopyright 2026 Example News. All rights reserved.\n");
    Run r = run_dconv(dir, "--explain=json --to md -o out/ page.html article.txt");
    REQUIRE(r.status == 0);
    std::istringstream lines(r.err);
    std::string line;
    int pages = 0;
    while (std::getline(lines, line)) {
        auto j = nlohmann::json::parse(line);
        ++pages;
        bool html = j.at("input") == "page.html";
        int removed = 0, with_rule = 0, typed = 0;
        for (const auto& d : j.at("diagnostics")) {
            CHECK(d.at("features").is_array());
            // every pass named is one of the pass table's
            std::string pass = d.at("pass");
            if (d.at("severity") == "note" && pass != "decode" && pass != "resources")
                CHECK(dconv::find_cleaning_pass(pass) != nullptr);
            if (d.at("action") != "removed") continue;
            ++removed;
            with_rule += !d.at("rule").get<std::string>().empty();
            typed += !d.at("page_type").get<std::string>().empty();
        }
        CHECK(removed > 0);
        CHECK(with_rule > 0);
        CHECK(typed == (html ? removed : 0));  // a text dump has no page type
    }
    CHECK(pages == 2);
    // the human form says the same in its parenthesis
    Run text = run_dconv(dir, "--explain --to md -o out2/ page.html");
    CHECK_THAT(text.err, Contains("removed (rule landmark") || Contains("removed (rule "));
    CHECK_THAT(text.err, Contains("page "));
}

TEST_CASE("cli: a bundle leaves out an input with nothing in it, and names an untitled chapter after its file") {
    // Before: an empty.txt became a blank "Chapter 2" (a blank PDF page), and a chapter
    // without a title "Chapter 3".
    TempDir dir;
    fs::create_directories(dir.work / "d");
    dir.write("d/a-page.txt", kArticle);
    dir.write("d/empty.txt", "");
    dir.write("d/untitled.txt",
              "The north pier reopened on Monday after two years of repairs, and the ferry ran again at noon for the "
              "first time since the storm.\n\nResidents queued along the quay for the first ferry, and the cafe "
              "stayed open late into the evening for them.\n");
    Run r = run_dconv(dir, "--to md --bundle book.md d/");
    CHECK(r.status == 0);
    std::string book = slurp(dir.work / "book.md");
    CHECK_THAT(book, !Contains("Chapter "));
    CHECK_THAT(book, Contains("# untitled\n"));
    CHECK_THAT(book, Contains("The north pier reopened"));
    CHECK_THAT(r.err, Contains("d/empty.txt: warning: nothing left to put in the book: left out of it"));
    // not also "its outputs are empty documents", and the summary does not count it converted
    CHECK_THAT(r.err, !Contains("empty documents"));
    CHECK_THAT(r.err, Contains("converted 2 of 3 inputs into book.md (1 left out: nothing in it)"));
    // A one-input book: the file's name is its chapter's heading, not the book's title.
    Run one = run_dconv(dir, "--to md --bundle one.md d/untitled.txt");
    CHECK(one.status == 0);
    std::string one_book = slurp(dir.work / "one.md");
    CHECK_THAT(one_book, StartsWith("---\ntitle: \"Collected articles\"\n"));
    CHECK_THAT(one_book, Contains("# untitled\n"));
}

TEST_CASE("cli: an untitled chapter named after its file leaves the book's identifier its content's") {
    // The EPUB's urn:uuid is made from the book's text; an untitled chapter's file name,
    // its title since it is named after its file, changed it: the same text under another
    // name was another book.
    TempDir dir;
    const std::string text =
        "The north pier reopened on Monday after two years of repairs, and the ferry ran again at noon for the "
        "first time since the storm.\n\nResidents queued along the quay for the first ferry, and the cafe "
        "stayed open late into the evening for them.\n";
    dir.write("one/harbour-notes.txt", text);
    dir.write("two/pier.txt", text);
    dir.write("two/titled.txt", "# The Ferry Timetable\n\n" + text);
    dir.write("one/timetable.txt", "# The Ferry Timetable\n\n" + text);
    auto entry = [&](const std::string& book, const std::string& name) {
        auto entries = dconv::test::unzip(slurp(dir.work / book));
        const dconv::test::ZipEntry* found = dconv::test::find_entry(entries, name);
        return found ? found->data : std::string();
    };
    auto identifier = [&](const std::string& book) {
        std::string opf = entry(book, "OEBPS/content.opf");
        std::size_t at = opf.find("urn:uuid:");
        return at == std::string::npos ? std::string() : opf.substr(at, 45);
    };
    REQUIRE(run_dconv(dir, "--to epub --bundle a.epub one/harbour-notes.txt").status == 0);
    REQUIRE(run_dconv(dir, "--to epub --bundle b.epub two/pier.txt").status == 0);
    REQUIRE(run_dconv(dir, "--to epub --bundle c.epub two/titled.txt").status == 0);
    REQUIRE(run_dconv(dir, "--to epub --bundle d.epub one/timetable.txt").status == 0);
    CHECK_THAT(entry("a.epub", "OEBPS/nav.xhtml"), Contains("harbour-notes"));  // still named after its file
    REQUIRE(!identifier("a.epub").empty());
    CHECK(identifier("a.epub") == identifier("b.epub"));
    // a titled chapter: its file's name is not in the identifier either
    REQUIRE(!identifier("c.epub").empty());
    CHECK(identifier("c.epub") == identifier("d.epub"));
}

TEST_CASE("cli: a remote image not fetched is reported only for outputs that lose it (EPUB, PDF, HTML)") {
    // Markdown keeps the image's URL: before, an md batch said "they keep their alt text".
    TempDir dir;
    dir.write("notes.md", "# Notes\n\nA harbour note with a picture.\n\n![The pier](https://example.org/pier.png)\n");
    Run md = run_dconv(dir, "--to md -o - notes.md");
    CHECK(md.status == 0);
    CHECK_THAT(md.out, Contains("https://example.org/pier.png"));
    CHECK_THAT(md.err, !Contains("not fetched"));
    Run native = run_dconv(dir, "--to native,txt -o out notes.md");
    CHECK(native.status == 0);
    CHECK_THAT(native.err, !Contains("not fetched"));
    Run epub = run_dconv(dir, "--to epub -o notes.epub notes.md");
    CHECK(epub.status == 0);
    CHECK_THAT(epub.err, Contains("1 remote image not fetched (only a URL input's images are fetched); it keeps its alt text"));
}

TEST_CASE("cli: --explain names the decode pass once") {
    TempDir dir;
    dir.write("latin.txt", "Caf\xE9 on the quay\n\nThe caf\xE9 reopened on Monday.\n");
    Run r = run_dconv(dir, "--explain --to txt -o - latin.txt");
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("latin.txt: decode: not UTF-8; read as windows-1252"));
    CHECK_THAT(r.err, !Contains("decode: decode:"));
    // --explain=json keeps the action: a program reading it finds the decode notes by it.
    Run j = run_dconv(dir, "--explain=json --to txt -o /dev/null latin.txt");
    REQUIRE(j.status == 0);
    INFO(j.err);
    const auto record = nlohmann::json::parse(j.err.substr(0, j.err.find('\n')));
    bool found = false;
    for (const auto& d : record.at("diagnostics"))
        if (d.at("pass") == "decode" && d.at("action") == "decode") found = true;
    CHECK(found);
}

TEST_CASE("cli: a --cover that is not a JPEG or PNG is named for what it is") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    dir.write("fake.jpg", std::string("GIF89a\x01\x00\x01\x00\x80\x00\x00", 13) + std::string(20, '\0'));
    for (const char* format : {"epub", "pdf"}) {
        INFO(format);
        Run r = run_dconv(dir, std::string("--to ") + format + " --cover fake.jpg -o book." + format + " page.txt");
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("fake.jpg: the cover image must be a JPEG or PNG file, and this one is a GIF image"));
    }
}
