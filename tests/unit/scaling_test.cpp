// scaling_test.cpp: dconv's work grows linearly with its input (issue 16). Every reader
// (with its cleaning) and every writer is run on 1, 2, 4 and 8 MB of each hostile-but-
// plausible shape (hostile_inputs.hpp: an article followed by prose-shaped boilerplate,
// a link farm, one giant table, deep lists), and the work at 8 MB must be at most
// kMaxWorkRatio times the work at 1 MB: a complexity check, not a timing check. Linear
// work gives about 8; n log n a little more; quadratic work 64.
//
// The work is the count of instructions retired in user space (perf_event_open). Where
// the machine gives no hardware counters (most virtual machines, containers with a
// strict perf_event_paranoid), the test falls back to the process's CPU time, which
// caches and a shared machine distort: then the work at 8 MB must be at most
// kMaxCpuTimeRatioFrom2 times that at 2 MB (linear: 4, quadratic: 16) and at most
// kMaxCpuTimeRatio times that at 1 MB (quadratic: 64), and the test says which measure
// it used, measuring every size a second time before it judges a shape over the bound.
// Work too small to measure well at 1 MB is repeated at every size.
//
// Also: --timeout 1 stops the 8 MB forum page within 2 s (the deadline reaches inside
// every pass), and 8 MB converts to Markdown within 5 times the 2 MB time (linear: 4).
// Memory: an HTML page of flat tables (the densest markup per node the readers meet)
// peaks within kMaxHtmlMemoryRatio times its markup, measured as the command's peak RSS.
// Under the sanitizers each shape runs once, at 1 MB: no measurement.
// DCONV_SCALING_VERBOSE=1 prints every measurement; DCONV_SCALING_ONLY="read html table"
// measures that row alone.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "dconv/convert.hpp"
#include "unit/hostile_inputs.hpp"
#include "support/sanitizers.hpp"
#include "unit/process_test_support.hpp"
#include "unit/work_meter.hpp"

using namespace dconv::test;

namespace {

constexpr double kMaxWorkRatio = 9.0;          // instructions, 8 MB against 1 MB
// CPU time, the fallback: a document of 1 MB still fits the caches, one of 2 MB and more
// does not, so the step from 1 to 2 MB costs up to 3.6 times for the lightest writers
// (plain text of a link farm: 7.8 ms, then 27.8, 75, 186, 24 times in all, while
// callgrind counts 7.4 times the instructions from 1 to 8 MB) and the later doublings
// cost 2 to 3.3 while the other core runs a sanitizer build (8.7 times from 2 to 8 MB).
// The check is therefore 8 MB against 2 MB (linear: 4; quadratic: 16; it tells quadratic
// work apart, not n^1.5), with 8 MB against 1 MB held only to half of what quadratic
// work costs (64).
constexpr double kMaxCpuTimeRatioFrom2 = 10.0;
constexpr double kMaxCpuTimeRatio = 32.0;
constexpr std::size_t kMegabyte = std::size_t(1) << 20;
// Work under this at 1 MB is repeated (at most kMaxRepeats times) at every size.
constexpr double kEnoughInstructions = 5e7;
constexpr double kEnoughCpuNanoseconds = 3e7;  // 30 ms
constexpr int kMaxRepeats = 30;
const std::vector<std::size_t> kSizes = {1, 2, 4, 8};  // MB

const std::string kBinary = DCONV_BINARY_DIR "/dconv";

// The HTML reader's peak memory, against the markup (README, Limits). Gumbo's tree is
// about 16 times markup of short table cells (two nodes of 128 bytes and a few small
// blocks for a cell of a few characters), held in slabs without malloc's headers
// (gumbo_arena.hpp); the element index 4.6 times. The reader holds both while it
// selects the content, then builds the content freeing each node as it is read, and
// frees the rest before the cleaning passes, whose freed memory goes back to the system
// before the writers run. This page peaks at about 20 times its markup above the
// baseline (189 MB; it was 58 times, then 28). The bound holds the other shapes
// measured too: data tables 19.8 times, cells of 4 to 10 characters 23.4 times, a 60 MB
// table page 22.3 times (README).
constexpr double kMaxHtmlMemoryRatio = 24.0;
// What the command occupies before reading anything (code, ICU's data, the heap's start).
constexpr double kBaselineBytes = 30.0 * 1024 * 1024;
constexpr std::size_t kMemoryCheckMegabytes = 8;

const WorkMeter& meter() {
    static WorkMeter m;
    static bool said = [] {
        std::printf("scaling_test: measuring %s%s\n", m.unit(),
                    m.counts_instructions() ? "" : " (no hardware counters here: the CPU-time bound applies)");
        return true;
    }();
    (void)said;
    return m;
}

bool verbose() { return std::getenv("DCONV_SCALING_VERBOSE") != nullptr; }

const char* markup_name(Markup m) {
    switch (m) {
        case Markup::webtext: return "webtext";
        case Markup::markdown: return "markdown";
        case Markup::html: return "html";
    }
    return "?";
}

// The work of `work(size)` for each size of kSizes; checks the ratio of the last to the
// first. The smallest size is measured twice, keeping the less: noise there can only
// make the ratio larger.
template <class Work>
void check_linear(const std::string& what, Work work) {
    check_linear(what, work, [](std::size_t) {});
}

// As above, `prepare(bytes)` run (unmeasured) before the work at each size.
template <class Work, class Prepare>
void check_linear(const std::string& what, Work work, Prepare prepare) {
    const char* only = std::getenv("DCONV_SCALING_ONLY");  // "read html table": that row alone
    if (only && what != only) return;
    if (dconv::testing::kAddressSanitizer) {
        // Under the sanitizers (tools/sanitize.sh) the work measured would be the
        // instrumentation's: the Release suite checks the complexity. Here each shape runs
        // once, at 1 MB, for what the sanitizers check (memory errors, undefined behaviour).
        prepare(kSizes.front() * kMegabyte);
        work(kSizes.front() * kMegabyte);
        return;
    }
    const WorkMeter& m = meter();
    // Work that takes a millisecond at 1 MB (a writer of a small document) is repeated,
    // the same number of times at every size, so that each measurement is well above the
    // noise of a page fault or a cache miss.
    prepare(kSizes.front() * kMegabyte);
    double once = m.measure([&] { work(kSizes.front() * kMegabyte); });
    const double enough = m.counts_instructions() ? kEnoughInstructions : kEnoughCpuNanoseconds;
    const int repeats = once >= enough ? 1 : std::min(kMaxRepeats, static_cast<int>(enough / std::max(once, 1.0)) + 1);
    auto run = [&](std::size_t mb) {
        return m.measure([&] {
            for (int r = 0; r < repeats; ++r) work(mb * kMegabyte);
        });
    };
    std::vector<double> costs(kSizes.size(), 0.0);
    auto measure_sizes = [&] {
        for (std::size_t k = 0; k < kSizes.size(); ++k) {
            prepare(kSizes[k] * kMegabyte);
            double cost = run(kSizes[k]);
            if (k == 0) cost = std::min(cost, run(kSizes[k]));
            costs[k] = costs[k] > 0 ? std::min(costs[k], cost) : cost;
        }
    };
    measure_sizes();
    double ratio = costs.back() / std::max(costs.front(), 1.0);
    double ratio_from_2 = costs.back() / std::max(costs[1], 1.0);
    if (!m.counts_instructions() && (ratio > kMaxCpuTimeRatio || ratio_from_2 > kMaxCpuTimeRatioFrom2)) {
        // CPU time: a busy machine or a cache can stretch one size's time; quadratic work
        // is over the bound again when every size is measured a second time (the best
        // of the two runs of each size counts), noise seldom is.
        measure_sizes();
        ratio = costs.back() / std::max(costs.front(), 1.0);
        ratio_from_2 = costs.back() / std::max(costs[1], 1.0);
    }
    if (verbose()) {
        std::printf("%-34s x%-3d", what.c_str(), repeats);
        for (double c : costs) std::printf(" %12.4g", c);
        std::printf("   8 MB / 1 MB = %.2f, 8 MB / 2 MB = %.2f\n", ratio, ratio_from_2);
    }
    INFO(what << ": " << m.unit() << " at 1, 2, 4, 8 MB: " << costs[0] << ", " << costs[1] << ", "
              << costs[2] << ", " << costs[3] << "; ratio " << ratio);
    if (m.counts_instructions()) {
        CHECK(ratio <= kMaxWorkRatio);
    } else {
        CHECK(ratio_from_2 <= kMaxCpuTimeRatioFrom2);
        CHECK(ratio <= kMaxCpuTimeRatio);
    }
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("dconv-scaling-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

const std::vector<Shape> kShapes = {Shape::forum, Shape::links, Shape::table, Shape::lists};

}  // namespace

TEST_CASE("scaling: every reader with its cleaning does linear work on hostile shapes") {
    for (Markup markup : {Markup::webtext, Markup::markdown, Markup::html}) {
        for (Shape shape : kShapes) {
            dconv::ReadOptions read;
            read.format = markup_name(markup);
            read.clean = dconv::Cleaning::on;  // Markdown cleaned too: the passes are what is checked
            std::vector<std::string> inputs;
            check_linear(std::string("read ") + markup_name(markup) + " " + shape_name(shape), [&](std::size_t bytes) {
                std::string input = hostile_input(markup, shape, bytes);
                dconv::Diagnostics diag;
                dconv::Document doc = dconv::read_document(std::string_view(input), read, diag);
                CHECK(!doc.blocks.empty());
            });
        }
    }
}

TEST_CASE("scaling: every writer does linear work on hostile shapes") {
    for (Shape shape : kShapes) {
        for (const char* writer : {"md", "txt", "native", "html", "epub", "pdf"}) {
            // The document as read without cleaning (everything reaches the writer), made
            // before each size is measured and only one at a time, so that the heap
            // holds no other size's document while a writer runs.
            dconv::Document doc;
            auto prepare = [&](std::size_t bytes) {
                doc = dconv::Document();
                dconv::ReadOptions read;
                read.format = "markdown";
                read.clean = dconv::Cleaning::off;
                dconv::Diagnostics diag;
                doc = dconv::read_document(hostile_input(Markup::markdown, shape, bytes), read, diag);
            };
            check_linear(std::string("write ") + writer + " " + shape_name(shape), [&](std::size_t) {
                dconv::WriteOptions options;
                options.source_date_epoch = 1700000000;
                std::string out = dconv::write_document(doc, writer, options);
                CHECK(!out.empty());
            }, prepare);
        }
    }
}

TEST_CASE("scaling: sections of a heading and a list of notes, siblings in one parent, read in linear work") {
    // A page of paragraphs with a reference each, then one "Notes" heading and list of
    // notes per reference, every one a child of the same <div>, with and without the
    // headings: each box of notes read all its siblings again, and each heading hidden
    // read them again (16,000 sections took 14 s of CPU, 8,000 took 3.5 s).
    for (bool headings : {true, false}) {
        check_linear(std::string("read html note sections") + (headings ? " with headings" : ""), [&](std::size_t bytes) {
            std::string note_text;  // a section of about 300 bytes
            for (int k = 0; k < 2; ++k) note_text += " The keeper wrote down the weather, the ships and the birds each evening.";
            std::string page = "<html><body><div>";
            std::string notes;
            for (std::size_t i = 0; page.size() + notes.size() < bytes; ++i) {
                const std::string id = std::to_string(i);
                page += "<p>Paragraph " + id + ".<sup><a href=\"#n" + id + "\">" + id + "</a></sup></p>\n";
                if (headings) notes += "<h2>Notes</h2>";
                notes += "<div class=\"reflist\"><ol><li id=\"n" + id + "\">Note " + id + note_text + "</li></ol></div>\n";
            }
            page += notes + "</div></body></html>";
            dconv::ReadOptions read;
            read.format = "html";
            read.clean = dconv::Cleaning::off;
            dconv::Diagnostics diag;
            dconv::Document doc = dconv::read_document(std::string_view(page), read, diag);
            CHECK(!doc.blocks.empty());
        });
    }
}

TEST_CASE("scaling: the 8 MB forum page to Markdown in time and stopped by --timeout") {
    if (dconv::testing::kAddressSanitizer) {
        WARN("built with the sanitizers: times are the instrumentation's, checked by the Release suite: skipped");
        return;
    }
    TempDir dir;
    auto run = [&](std::size_t mb, std::vector<std::string> extra) {
        fs::path input = dir.path / ("forum" + std::to_string(mb) + ".txt");
        write_file(input, hostile_input(Markup::webtext, Shape::forum, mb * kMegabyte));
        std::vector<std::string> args = {kBinary, "-q", "-o", (dir.path / "out.md").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back(input.string());
        Child child(args, {}, -1, -1, dir.path / "stderr");
        return child.wait();
    };
    // The best of three runs of each size, in the child's CPU time (user and system: under
    // ctest -j2 on a loaded machine, wall time measured the other work too, up to 5.6x).
    // Linear work is 4x the time for 4x the input, less a fixed start (a few ms), and a
    // 2 MB document fits caches better than an 8 MB one, so the bound is 5x (quadratic
    // work would be 16x). Measured on the development machine (2 MB of L2 cache a core):
    // 3.89x the instructions; this check's best of three 3.78 to 3.96x in 22 runs with
    // its 2 cores loaded 3 to 7 times over (README, Limits). Earlier builds measured up
    // to 4.4x loaded; a CI runner's load is unknown, so the bound keeps that margin (a
    // failure here fails a submission: a complexity guard, not the 4x target's measure).
    auto best = [&](std::size_t mb) {
        ProcessResult result = run(mb, {});
        for (int i = 0; i < 2 && result.status == 0; ++i) {
            ProcessResult again = run(mb, {});
            if (again.cpu_seconds < result.cpu_seconds) result = again;
        }
        return result;
    };
    ProcessResult two = best(2);
    ProcessResult eight = best(8);
    REQUIRE(two.status == 0);
    REQUIRE(eight.status == 0);
    INFO("2 MB: " << two.cpu_seconds << " s, 8 MB: " << eight.cpu_seconds << " s of CPU");
    std::cout << "scaling: forum page to Markdown, 2 MB " << two.cpu_seconds << " s, 8 MB " << eight.cpu_seconds
              << " s of CPU (" << eight.cpu_seconds / two.cpu_seconds << "x; wall " << two.seconds << " s, "
              << eight.seconds << " s)\n";
    CHECK(eight.cpu_seconds < 5 * two.cpu_seconds);
    ProcessResult stopped = run(8, {"--timeout", "1"});
    INFO("--timeout 1 on 8 MB: status " << stopped.status << " after " << stopped.seconds << " s: " << stopped.err);
    if (eight.seconds > 1.2) {  // a machine fast enough to finish within the second proves nothing
        CHECK(stopped.status == 1);
        CHECK(stopped.seconds < 2.0);
    }
}

TEST_CASE("scaling: an HTML page of flat tables peaks within the HTML memory bound") {
    if (dconv::testing::kAddressSanitizer) {
        WARN("built with the sanitizers: their shadow memory is most of the peak, checked by the Release suite: skipped");
        return;
    }
    TempDir dir;
    fs::path input = dir.path / "tables.html";
    std::string page = hostile_input(Markup::html, Shape::table, kMemoryCheckMegabytes * kMegabyte);
    write_file(input, page);
    Child child({kBinary, "-q", "-o", (dir.path / "tables.md").string(), input.string()}, {}, -1, -1,
                dir.path / "stderr");
    ProcessResult result = child.wait();
    REQUIRE(result.status == 0);
    CHECK(fs::file_size(dir.path / "tables.md") > page.size() / 4);  // the table is kept, not refused
    double peak = static_cast<double>(result.max_rss_kb) * 1024;
    double bound = kMaxHtmlMemoryRatio * static_cast<double>(page.size()) + kBaselineBytes;
    std::cout << "scaling: " << kMemoryCheckMegabytes << " MB HTML table page, peak RSS " << (peak / kMegabyte)
              << " MB (" << (peak - kBaselineBytes) / static_cast<double>(page.size()) << "x the markup above the baseline; bound "
              << kMaxHtmlMemoryRatio << "x)\n";
    INFO("peak RSS " << peak << " bytes, bound " << bound);
    CHECK(peak <= bound);
}

// PDF memory (issue 16): pages are laid out, drawn and freed as the text is set (a book's
// contents filled in last), so what grows with the input is the document model, the
// file's deflated pages and the file itself, not the layout. Plain text of 2 and 8 MB,
// every line kept (--no-clean), to PDF: peak RSS grows by at most kMaxPdfBytesPerByte
// bytes per input byte (the whole layout, kept before drawing, cost 28 to 70), and the
// 8 MB text peaks under kMaxPdfBytesPerByte times its size plus kPdfBaseBytes (the bound
// limits.hpp and the README state; 50 MB of text peaks at about 220 MB).
TEST_CASE("scaling: PDF memory grows with the text, not with its layout") {
    constexpr double kMaxPdfBytesPerByte = 5.0;
    constexpr double kPdfBaseBytes = 100.0 * kMegabyte;
    TempDir dir;
    auto peak = [&](std::size_t mb) {
        fs::path input = dir.path / ("text" + std::to_string(mb) + ".txt");
        fs::path output = dir.path / ("text" + std::to_string(mb) + ".pdf");
        write_file(input, hostile_input(Markup::webtext, Shape::forum, mb * kMegabyte));
        Child child({kBinary, "-q", "--no-clean", "--to", "pdf", "-o", output.string(), input.string()}, {}, -1, -1,
                    dir.path / "stderr");
        ProcessResult result = child.wait();
        INFO(mb << " MB to PDF: " << result.err);
        REQUIRE(result.status == 0);
        std::string pdf = read_file(output);
        CHECK(pdf.starts_with("%PDF-"));
        CHECK(pdf.size() > mb * kMegabyte / 4);  // every line was set
        fs::remove(input);
        fs::remove(output);
        return static_cast<double>(result.max_rss_kb) * 1024.0;
    };
    if (dconv::testing::kAddressSanitizer) {
        // Shadow memory and the quarantine of freed blocks are most of the peak there.
        peak(1);
        WARN("built with AddressSanitizer: its shadow memory and quarantine are the peak, not dconv's: the PDF "
             "memory bound is checked by the Release suite: skipped");
        return;
    }
    const double two = peak(2), eight = peak(8);
    const double per_byte = (eight - two) / (6.0 * kMegabyte);
    std::cout << "scaling: text to PDF, peak RSS " << two / kMegabyte << " MB at 2 MB, " << eight / kMegabyte
              << " MB at 8 MB (" << per_byte << " bytes per input byte)\n";
    INFO("peak RSS " << two / kMegabyte << " MB at 2 MB, " << eight / kMegabyte << " MB at 8 MB");
    CHECK(per_byte <= kMaxPdfBytesPerByte);
    CHECK(eight <= kMaxPdfBytesPerByte * 8.0 * kMegabyte + kPdfBaseBytes);
}

// The same text cleaned, as by default: the peak is then the cleaner's working set, not
// the PDF writer's (the units and their measures, the rules' tables, the unit model's
// features, the recall guard's probes, the page as it was for the units the model brings
// back). Peak RSS grows by at most kMaxCleanedBytesPerByte bytes per input byte from 2 to
// 8 MB (measured 4.7; 8.7 before the unit model read its feature rows one at a time and
// the units viewed the page's text instead of copying it), and the 8 MB text peaks under
// kMaxCleanedBytesPerByte times its size plus kCleanedBaseBytes (measured 54 MB, 81
// before). 50 MB of such text peaks at 295 MB (460 before), under issue 16's 350 MB
// (README, Bounded memory): the check is at 8 MB to keep the suite fast.
TEST_CASE("scaling: cleaned text to PDF peaks within the cleaner's memory bound") {
    constexpr double kMaxCleanedBytesPerByte = 5.5;
    constexpr double kCleanedBaseBytes = 20.0 * kMegabyte;
    if (dconv::testing::kAddressSanitizer) {
        WARN("built with AddressSanitizer: its shadow memory and quarantine are the peak, not dconv's: the "
             "cleaner's memory bound is checked by the Release suite: skipped");
        return;
    }
    TempDir dir;
    auto peak = [&](std::size_t mb) {
        fs::path input = dir.path / ("text" + std::to_string(mb) + ".txt");
        fs::path output = dir.path / ("text" + std::to_string(mb) + ".pdf");
        write_file(input, hostile_input(Markup::webtext, Shape::forum, mb * kMegabyte));
        Child child({kBinary, "-q", "--to", "pdf", "-o", output.string(), input.string()}, {}, -1, -1,
                    dir.path / "stderr");
        ProcessResult result = child.wait();
        INFO(mb << " MB to PDF, cleaned: " << result.err);
        REQUIRE(result.status == 0);
        std::string pdf = read_file(output);
        CHECK(pdf.starts_with("%PDF-"));
        CHECK(pdf.size() > mb * kMegabyte / 4);  // the cleaner kept the article and its replies
        fs::remove(input);
        fs::remove(output);
        return static_cast<double>(result.max_rss_kb) * 1024.0;
    };
    const double two = peak(2), eight = peak(8);
    const double per_byte = (eight - two) / (6.0 * kMegabyte);
    std::cout << "scaling: cleaned text to PDF, peak RSS " << two / kMegabyte << " MB at 2 MB, " << eight / kMegabyte
              << " MB at 8 MB (" << per_byte << " bytes per input byte)\n";
    INFO("peak RSS " << two / kMegabyte << " MB at 2 MB, " << eight / kMegabyte << " MB at 8 MB");
    CHECK(per_byte <= kMaxCleanedBytesPerByte);
    CHECK(eight <= kMaxCleanedBytesPerByte * 8.0 * kMegabyte + kCleanedBaseBytes);
}

// One paragraph of one line (a text dump without line breaks) is set a piece at a time,
// each piece's pages drawn before the next is set (typeset.cpp's kMaxParagraphPieceBytes):
// set whole, its line breaker's items and lines cost some 90 bytes per byte (3 MB peaked
// at 270 MB, 20 MB at 1.5 GB). The same bound as the text above, and no text lost: the
// PDF's text (pdftotext) is the input's, characters in order, plus the page numbers.
TEST_CASE("scaling: a paragraph of one 3 MB line to PDF in bounded memory and every word kept") {
    constexpr std::size_t kBytes = 3 * kMegabyte;
    TempDir dir;
    std::string text = hostile_input(Markup::webtext, Shape::forum, kBytes);
    std::replace(text.begin(), text.end(), '\n', ' ');
    const fs::path input = dir.path / "line.txt", output = dir.path / "line.pdf";
    write_file(input, text + "\n");
    Child child({kBinary, "-q", "--no-clean", "--to", "pdf", "-o", output.string(), input.string()}, {}, -1, -1,
                dir.path / "stderr");
    ProcessResult result = child.wait();
    INFO(result.err);
    REQUIRE(result.status == 0);
    const double peak = static_cast<double>(result.max_rss_kb) * 1024.0;
    std::cout << "scaling: one 3 MB line to PDF, peak RSS " << peak / kMegabyte << " MB\n";
    if (dconv::testing::kAddressSanitizer) {
        WARN("built with AddressSanitizer: its shadow memory is the peak: the memory bound is skipped");
    } else {
        CHECK(peak <= 5.0 * static_cast<double>(kBytes) + 100.0 * kMegabyte);
    }
    if (std::system("pdftotext -v >/dev/null 2>&1") != 0) {
        WARN("pdftotext (poppler-utils) not installed: the words are not checked");
        return;
    }
    const fs::path extracted = dir.path / "line.pdf.txt";
    REQUIRE(std::system(("pdftotext -enc UTF-8 '" + output.string() + "' '" + extracted.string() + "'").c_str()) == 0);
    const std::string pdf_text = read_file(extracted);
    // without white space and hyphens (line ends, hyphenation)
    auto squeezed = [](const std::string& s) {
        std::string out;
        for (char c : s)
            if (c != ' ' && c != '\n' && c != '\f' && c != '-') out += c;
        return out;
    };
    const std::string want = squeezed(text), got = squeezed(pdf_text);
    const std::size_t pages = static_cast<std::size_t>(std::count(pdf_text.begin(), pdf_text.end(), '\f'));
    std::size_t number_digits = 0;  // of the page numbers 1 to pages
    for (std::size_t p = 1; p <= pages; ++p) number_digits += std::to_string(p).size();
    CHECK(got.size() == want.size() + number_digits);
    std::size_t at = 0, matched = 0;  // the input's characters, in order, among the PDF's
    for (char c : want) {
        std::size_t found = got.find(c, at);
        if (found == std::string::npos) break;
        at = found + 1;
        ++matched;
    }
    CHECK(matched == want.size());
}
