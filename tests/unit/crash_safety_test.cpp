// crash_safety_test.cpp: a batch killed at any moment leaves only complete outputs, and
// --skip-existing resumes it. A 500-page batch (--to md,epub and pdf) is killed with
// SIGKILL at 20 random moments; after each kill every file in the output folder must be
// byte for byte the file an uninterrupted run writes (itself checked: cmark parses the
// Markdown, the EPUBs unzip with their mimetype first and pass epubcheck on a sample,
// qpdf checks a sample of the PDFs), and anything else may only be a hidden temporary
// (".NAME.XXXXXX", atomic_file.hpp) of one of the batch's outputs. A last run with
// --skip-existing completes the set, which then equals the uninterrupted run's.
//
// The kill moments are random; DCONV_CRASH_SEED=N repeats a run's (each run prints its
// seed).
#include <catch2/catch.hpp>

#include <cmark-gfm.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dconv/registry.hpp"
#include "unit/epub_test_support.hpp"
#include "unit/process_test_support.hpp"

using namespace dconv::test;
using Catch::Contains;
using Json = nlohmann::json;

namespace {

const std::string kSource = DCONV_SOURCE_DIR;
const std::string kBinary = DCONV_BINARY_DIR "/dconv";
const fs::path kDevset = fs::path(kSource) / ".." / "shared" / "devset";
const std::string kEpoch = "SOURCE_DATE_EPOCH=1700000000";

constexpr std::size_t kBatchInputs = 500;
constexpr int kKills = 20;
constexpr int kMaxRounds = 40;  // rounds whose run ended before its kill do not count
constexpr int kMinKillMilliseconds = 50, kMaxKillMilliseconds = 1500;
constexpr std::size_t kValidatedSamples = 5;  // epubcheck and qpdf are slow: a sample

const char* const kArticle =
    "The Quiet Zebracorn Garden\n\n"
    "The zebracorn garden opened in the spring of 2019, after years of planning by the "
    "neighbours who live around the old railway yard. Volunteers planted more than four "
    "hundred trees, and the city agreed to maintain the paths and the benches.\n";

struct Scratch {
    fs::path dir;
    explicit Scratch(const std::string& name) {
        dir = fs::temp_directory_path() / ("dconv-crash-" + name + "-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

ProcessResult run_dconv(const fs::path& workdir, std::vector<std::string> args) {
    args.insert(args.begin(), kBinary);
    Child child(args, workdir, -1, -1, workdir / ".stderr", {kEpoch});
    ProcessResult r = child.wait();
    UNSCOPED_INFO("dconv " << Json(args).dump() << ": status " << r.status << "\n" << r.err);
    return r;
}

// Every regular file below `dir`, by relative path.
std::map<std::string, std::string> files_below(const fs::path& dir) {
    std::map<std::string, std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[e.path().lexically_relative(dir).string()] = read_file(e.path());
    return out;
}

// ".NAME.PID.XXXXXX": atomic_file's temporary of NAME.
bool temporary_of(const std::string& file, const std::set<std::string>& names) {
    if (file.size() < 9 || file[0] != '.' || file[file.size() - 7] != '.') return false;
    for (std::size_t i = file.size() - 6; i < file.size(); ++i)
        if (!std::isalnum(static_cast<unsigned char>(file[i]))) return false;
    std::string name = file.substr(1, file.size() - 8);
    std::size_t dot = name.rfind('.');
    if (dot == std::string::npos || dot + 1 == name.size() ||
        name.find_first_not_of("0123456789", dot + 1) != std::string::npos)
        return false;
    return names.contains(name.substr(0, dot));
}

// A pid no process has (Linux's pid_max is at most 2^22).
const std::string kDeadPid = "99999999";

// Sets a file's modification time `hours` back.
void age_file(const fs::path& file, int hours) {
    fs::last_write_time(file, fs::last_write_time(file) - std::chrono::hours(hours));
}

bool markdown_parses(const std::string& md) {
    cmark_node* doc = cmark_parse_document(md.data(), md.size(), CMARK_OPT_DEFAULT);
    if (!doc) return false;
    bool has_content = cmark_node_first_child(doc) != nullptr || md.empty();
    cmark_node_free(doc);
    return has_content;
}

}  // namespace

// ----------------------------------------------------------------------- --skip-existing

TEST_CASE("crash safety: --skip-existing converts only inputs missing an output") {
    Scratch s("skip");
    write_file(s.dir / "in" / "a.txt", kArticle);
    write_file(s.dir / "in" / "b.txt", kArticle);
    write_file(s.dir / "in" / "c.txt", kArticle);
    REQUIRE(run_dconv(s.dir, {"-q", "--to", "md,epub", "-o", "out", "in"}).status == 0);
    const auto complete = files_below(s.dir / "out");
    auto a_time = fs::last_write_time(s.dir / "out" / "a.epub");
    fs::remove(s.dir / "out" / "b.epub");           // b: one output missing
    fs::remove(s.dir / "out" / "c.md");             // c: both missing
    fs::remove(s.dir / "out" / "c.epub");

    ProcessResult r = run_dconv(s.dir, {"--to", "md,epub", "--skip-existing", "-o", "out", "in"});
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("converted 2 of 3 inputs into out/ (1 skipped: their outputs exist)"));
    CHECK(fs::last_write_time(s.dir / "out" / "a.epub") == a_time);  // not rewritten
    CHECK(files_below(s.dir / "out") == complete);

    // --explain=json says which were skipped
    ProcessResult j = run_dconv(s.dir, {"--to", "md,epub", "--skip-existing", "--explain=json", "-o", "out", "in"});
    CHECK(j.status == 0);
    std::size_t skipped = 0;
    std::istringstream lines(j.err);
    for (std::string line; std::getline(lines, line);) {
        Json record = Json::parse(line);
        CHECK(record["ok"] == true);
        skipped += record.value("skipped", false);
    }
    CHECK(skipped == 3);

    // Without --skip-existing everything is written again, the same bytes.
    CHECK(run_dconv(s.dir, {"-q", "--to", "md,epub", "-o", "out", "in"}).status == 0);
    CHECK(files_below(s.dir / "out") == complete);
}

TEST_CASE("crash safety: an output that is an input is refused, --skip-existing or not") {
    Scratch s("same");
    fs::path page = s.dir / "page.txt";
    write_file(page, kArticle);
    auto before = fs::last_write_time(page);
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"--to", "txt", "--skip-existing", "-o", ".", "page.txt"},
             {"--to", "txt", "--skip-existing", "-o", "page.txt", "page.txt"},
             {"--to", "txt", "-o", "page.txt", "page.txt"}}) {
        ProcessResult r = run_dconv(s.dir, args);
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Contains("same file"));
        CHECK_THAT(r.err, !Contains("skipped"));
    }
    CHECK(read_file(page) == kArticle);
    CHECK(fs::last_write_time(page) == before);
}

TEST_CASE("crash safety: --skip-existing needs output files") {
    Scratch s("usage");
    write_file(s.dir / "page.txt", kArticle);
    ProcessResult to_stdout = run_dconv(s.dir, {"--skip-existing", "-o", "-", "page.txt"});
    CHECK(to_stdout.status == 2);
    CHECK_THAT(to_stdout.err, Contains("--skip-existing"));
    ProcessResult bundle = run_dconv(s.dir, {"--skip-existing", "--bundle", "b.epub", "page.txt"});
    CHECK(bundle.status == 2);
    CHECK_THAT(bundle.err, Contains("--skip-existing"));
}

TEST_CASE("crash safety: a run removes the temporaries a killed run left of its outputs") {
    Scratch s("temporaries");
    write_file(s.dir / "a.txt", kArticle);
    const std::string live = std::to_string(::getpid());  // this test: a live writer
    write_file(s.dir / "out" / (".a.md." + kDeadPid + ".Xy12Z9"), "half of a.md");  // writer gone: removed
    write_file(s.dir / "out" / (".a.md." + live + ".Ab34Cd"), "being written");   // writer alive: kept
    write_file(s.dir / "out" / (".a.md." + live + ".Old123"), "a reused pid");    // alive, but a day old: removed
    age_file(s.dir / "out" / (".a.md." + live + ".Old123"), 25);
    write_file(s.dir / "out" / ".a.md.Ef56Gh", "no pid, fresh");                  // writer unknown: kept
    write_file(s.dir / "out" / ".a.md.Ij78Kl", "no pid, old");                    // writer unknown, old: removed
    age_file(s.dir / "out" / ".a.md.Ij78Kl", 25);
    write_file(s.dir / "out" / (".zzz.md." + kDeadPid + ".Ab12Cd"), "another run's");  // not an output here
    write_file(s.dir / "out" / ".a.md.notours", "not mkstemp's");     // not the pattern
    write_file(s.dir / "out" / ".a.md.Q", "too short");
    ProcessResult r = run_dconv(s.dir, {"-o", "out/", "a.txt"});
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("removed 3 temporary files left by an interrupted run"));
    CHECK_FALSE(fs::exists(s.dir / "out" / (".a.md." + kDeadPid + ".Xy12Z9")));
    CHECK(fs::exists(s.dir / "out" / (".a.md." + live + ".Ab34Cd")));
    CHECK_FALSE(fs::exists(s.dir / "out" / (".a.md." + live + ".Old123")));
    CHECK(fs::exists(s.dir / "out" / ".a.md.Ef56Gh"));
    CHECK_FALSE(fs::exists(s.dir / "out" / ".a.md.Ij78Kl"));
    CHECK(fs::exists(s.dir / "out" / (".zzz.md." + kDeadPid + ".Ab12Cd")));
    CHECK(fs::exists(s.dir / "out" / ".a.md.notours"));
    CHECK(fs::exists(s.dir / "out" / ".a.md.Q"));
    CHECK(fs::exists(s.dir / "out" / "a.md"));
}

// Two runs writing the same outputs at the same time (a user re-running a command while
// the first still runs, or two schedulers): neither removes the other's temporaries,
// both exit 0, and every output is a whole file, the same either run would write.
TEST_CASE("crash safety: two concurrent batches on the same outputs both succeed") {
    Scratch s("concurrent");
    constexpr std::size_t kPages = 120;
    fs::create_directories(s.dir / "pages");
    for (std::size_t i = 0; i < kPages; ++i) {
        std::string page = "Page " + std::to_string(i) + " of the garden notes\n\n";
        for (int p = 0; p < 6; ++p) {
            page += kArticle;
            page += '\n';
        }
        write_file(s.dir / "pages" / std::string("p").append(std::to_string(i)).append(".txt"), page);
    }
    ProcessResult reference = run_dconv(s.dir, {"-q", "-j2", "--to", "md,txt", "-o", "ref/", "pages/"});
    REQUIRE(reference.status == 0);
    std::map<std::string, std::string> expected = files_below(s.dir / "ref");
    REQUIRE(expected.size() == 2 * kPages);

    // In the first round the second run starts once the first is writing (its first
    // files are in out/), so that the second's clean-up meets the first's temporaries in
    // flight; in the second both start at once, over the outputs the first round left.
    std::vector<std::string> args = {kBinary, "-q", "-j2", "--to", "md,txt", "-o", "out/", "pages/"};
    for (int round = 0; round < 2; ++round) {
        Child first(args, s.dir, -1, -1, s.dir / ".stderr1", {kEpoch});
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        auto writing = [&] {
            std::error_code ec;
            return fs::exists(s.dir / "out", ec) && !fs::is_empty(s.dir / "out", ec);
        };
        while (round == 0 && !writing() && !first.ended() && std::chrono::steady_clock::now() < give_up)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        Child second(args, s.dir, -1, -1, s.dir / ".stderr2", {kEpoch});
        ProcessResult a = first.wait(), b = second.wait();
        INFO("round " << round << ": first: " << a.err << "\nsecond: " << b.err);
        CHECK(a.status == 0);
        CHECK(b.status == 0);
        CHECK(a.err.empty());
        CHECK(b.err.empty());
        std::map<std::string, std::string> got = files_below(s.dir / "out");
        CHECK(got == expected);  // every file whole, and no temporary left behind
    }
}

// ------------------------------------------------------------------------------ SIGKILL

TEST_CASE("crash safety: a 500-page batch killed 20 times leaves only complete files, then resumes") {
    Scratch s("kill");
    // The inputs: the seeds and the dev set's pages, cycled, each under its own name.
    std::vector<fs::path> pages;
    for (const auto& e : fs::directory_iterator(kSource + "/seeds"))
        if (e.path().extension() == ".txt") pages.push_back(e.path());
    if (fs::exists(kDevset / "cases"))
        for (const auto& c : fs::directory_iterator(kDevset / "cases"))
            if (fs::exists(c.path() / "page.txt")) pages.push_back(c.path() / "page.txt");
    std::sort(pages.begin(), pages.end());
    REQUIRE(!pages.empty());
    std::set<std::string> names;  // every output the batch could write
    std::string formats = "md,epub";
    std::vector<std::string> extensions = {"md", "epub"};
    if (dconv::find_writer("pdf")) {
        formats += ",pdf";
        extensions.push_back("pdf");
    }
    fs::create_directories(s.dir / "in");
    for (std::size_t i = 0; i < kBatchInputs; ++i) {
        char stem[16];
        std::snprintf(stem, sizeof stem, "p%03zu", i);
        fs::copy_file(pages[i % pages.size()], s.dir / "in" / (std::string(stem) + ".txt"));
        for (const std::string& ext : extensions) names.insert(std::string(stem) + "." + ext);
    }
    const std::vector<std::string> batch = {"-q", "--to", formats, "-o", "out", "in"};

    // The uninterrupted run, and its files checked.
    auto start = std::chrono::steady_clock::now();
    ProcessResult reference_run = run_dconv(s.dir, {"-q", "--to", formats, "-o", "reference", "in"});
    double reference_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(reference_run.status == 0);  // every input converts, in every format
    const auto reference = files_below(s.dir / "reference");
    REQUIRE(reference.size() >= kBatchInputs * 2);
    std::vector<fs::path> epubs, pdfs;
    for (const auto& [name, bytes] : reference) {
        INFO(name);
        REQUIRE(names.contains(name));
        if (name.ends_with(".md")) CHECK(markdown_parses(bytes));
        if (name.ends_with(".epub")) {
            LocalHeader first = first_local_header(bytes);
            CHECK(first.name == "mimetype");
            CHECK(first.method == 0);
            CHECK(unzip(bytes).size() >= 5);
            epubs.push_back(s.dir / "reference" / name);
        }
        if (name.ends_with(".pdf")) {
            CHECK(bytes.starts_with("%PDF-"));
            pdfs.push_back(s.dir / "reference" / name);
        }
    }
    auto sample = [](std::vector<fs::path> all) {  // spread over the batch
        std::vector<fs::path> out;
        for (std::size_t i = 0; i < kValidatedSamples && !all.empty(); ++i)
            out.push_back(all[i * all.size() / kValidatedSamples]);
        return out;
    };
    epubs = sample(epubs);
    pdfs = sample(pdfs);
    std::string missing = epubcheck_missing();
    INFO(missing);
    REQUIRE(missing.empty());
    for (const EpubcheckResult& r : epubcheck_all(epubs)) {
        INFO(r.file.string() << ":\n" << r.output);
        CHECK(r.fatals == 0);
        CHECK(r.errors == 0);
    }
    for (const fs::path& pdf : pdfs) {
        INFO(pdf.string());
        CHECK(run_command("qpdf --check '" + pdf.string() + "' >/dev/null 2>&1") == 0);
    }

    // Kill, check, resume, kill again.
    std::random_device device;
    unsigned seed = device();
    if (const char* given = std::getenv("DCONV_CRASH_SEED")) seed = static_cast<unsigned>(std::stoul(given));
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> moment(kMinKillMilliseconds, kMaxKillMilliseconds);
    INFO("DCONV_CRASH_SEED=" << seed);
    int kills = 0, rounds = 0, completed = 0;
    std::size_t most_temporaries = 0, complete_files_seen = 0;
    std::string log;
    while (kills < kKills && rounds < kMaxRounds) {
        ++rounds;
        // Every fourth round rewrites every output over those there (atomic replacement
        // under fire); the others resume with --skip-existing.
        bool resume = rounds % 4 != 1;
        std::vector<std::string> args = {kBinary};
        args.insert(args.end(), batch.begin(), batch.end());
        if (resume) args.push_back("--skip-existing");
        int wait_ms = moment(random);
        Child child(args, s.dir, -1, -1, s.dir / ".stderr", {kEpoch});
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
        bool ended = false;
        while (std::chrono::steady_clock::now() < deadline && !(ended = child.ended()))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (!ended) ::kill(child.pid(), SIGKILL);
        ProcessResult r = child.wait();
        bool killed = r.signal == SIGKILL;
        kills += killed;

        // Every file is the reference's, byte for byte, or a hidden temporary of one.
        std::size_t complete = 0, temporaries = 0;
        for (const auto& [name, bytes] : files_below(s.dir / "out")) {
            INFO("round " << rounds << " (killed after " << wait_ms << " ms): " << name);
            if (temporary_of(name, names)) {
                ++temporaries;
                continue;
            }
            auto expected = reference.find(name);
            REQUIRE(expected != reference.end());
            REQUIRE(bytes.size() == expected->second.size());
            REQUIRE(bytes == expected->second);
            ++complete;
        }
        most_temporaries = std::max(most_temporaries, temporaries);
        complete_files_seen += complete;
        log += "round " + std::to_string(rounds) + (resume ? " (resume)" : " (rewrite)") +
               (killed ? ": killed after " + std::to_string(wait_ms) + " ms: "
                       : ": ended by itself (status " + std::to_string(r.status) + "): ") +
               std::to_string(complete) + " files, " + std::to_string(temporaries) + " temporaries\n";
        if (!killed) {
            // The batch completed before the kill: start over so that the next kill
            // lands in the middle of work again.
            CHECK(r.status == reference_run.status);
            ++completed;
            fs::remove_all(s.dir / "out");
        }
    }
    INFO(log);
    CHECK(kills == kKills);

    // The last run resumes and completes the set: exactly the reference, no temporaries.
    std::vector<std::string> final_args(batch.begin() + 1, batch.end());  // without -q
    final_args.push_back("--skip-existing");
    ProcessResult final_run = run_dconv(s.dir, final_args);
    CHECK(final_run.status == reference_run.status);
    CHECK_THAT(final_run.err, Contains("skipped: their outputs exist"));
    auto final_files = files_below(s.dir / "out");
    CHECK(final_files.size() == reference.size());
    CHECK(final_files == reference);
    WARN("crash safety: " << kBatchInputs << " inputs --to " << formats << " (" << reference.size()
                          << " files, uninterrupted run " << reference_seconds << " s); " << kills << " kills in "
                          << rounds << " rounds (" << completed << " ended before their kill), "
                          << complete_files_seen << " complete files checked after kills, at most "
                          << most_temporaries << " temporaries left by one kill; seed " << seed
                          << "; resumed in " << final_run.seconds << " s\n"
                          << log);
}
