// cli_checks_test.cpp: what the command checks before and while it converts (issue 16):
// the format asked for by the output file's name, the files given as --style and
// --cover, the kinds of inputs (devices, FIFOs, one file given twice), file names in
// messages, --skip-existing and unreadable inputs.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/test_files.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kBinary = DCONV_BINARY_DIR "/dconv";
using dconv::testing::kArticle;
using Catch::Contains;

struct TempDir {
    fs::path root, work, capture;
    TempDir() {
        static int counter = 0;
        root = fs::temp_directory_path() /
               ("dconv-checks-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        fs::remove_all(root);
        work = root / "work";
        capture = root / "capture";
        fs::create_directories(work);
        fs::create_directories(capture);
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(work, fs::perms::all, ec);
        for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(root, ec);
    }
    fs::path write(const std::string& name, const std::string& bytes) const {
        fs::path p = work / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

struct Run {
    int status = -1;
    std::string out, err;
    double seconds = 0;
};

// `dconv ARGS` in dir.work, standard input from `input`, under a timeout (a hang fails).
Run run_dconv(const TempDir& dir, const std::string& args, const std::string& input = "/dev/null",
              int timeout_seconds = 20) {
    std::string command = "cd " + quote(dir.work.string()) + " && timeout " + std::to_string(timeout_seconds) +
                          " " + quote(kBinary) + " " + args + " <" + quote(input) + " >" +
                          quote((dir.capture / "stdout").string()) + " 2>" +
                          quote((dir.capture / "stderr").string());
    auto start = std::chrono::steady_clock::now();
    int raw = std::system(command.c_str());
    Run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(dir.capture / "stdout");
    r.err = slurp(dir.capture / "stderr");
    UNSCOPED_INFO("dconv " << args << "\nstatus " << r.status << " after " << r.seconds << " s\nstderr:\n" << r.err);
    return r;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

// ------------------------------------------------------------ the format from the name

TEST_CASE("checks: -o x.pdf without --to writes a PDF") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "-o x.pdf page.txt");
    CHECK(r.status == 0);
    CHECK(starts_with(slurp(dir.work / "x.pdf"), "%PDF-"));
}

TEST_CASE("checks: --bundle b.epub without --to writes an EPUB") {
    TempDir dir;
    dir.write("a.txt", kArticle);
    dir.write("b.txt", kArticle);
    Run r = run_dconv(dir, "--bundle b.epub a.txt b.txt");
    CHECK(r.status == 0);
    std::string book = slurp(dir.work / "b.epub");
    CHECK(starts_with(book, "PK"));
    CHECK(book.find("application/epub+zip") != std::string::npos);
}

TEST_CASE("checks: -o with an ending no writer claims still writes Markdown") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "-o notes.out page.txt");
    CHECK(r.status == 0);
    CHECK(starts_with(slurp(dir.work / "notes.out"), "---\n"));  // the YAML front matter
}

TEST_CASE("checks: --to contradicting the output's ending is a usage error") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "--to epub -o book.pdf page.txt");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("book.pdf"));
    CHECK_THAT(r.err, Contains("--force-extension"));
    CHECK_FALSE(fs::exists(dir.work / "book.pdf"));
    Run bundle = run_dconv(dir, "--to pdf --bundle b.epub page.txt");
    CHECK(bundle.status == 2);
    CHECK_FALSE(fs::exists(dir.work / "b.epub"));
}

TEST_CASE("checks: --force-extension writes the --to format under any name") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    Run r = run_dconv(dir, "--to epub --force-extension -o book.pdf page.txt");
    CHECK(r.status == 0);
    CHECK(starts_with(slurp(dir.work / "book.pdf"), "PK"));
}

TEST_CASE("checks: --to agreeing with the ending, or an alias of it, is fine") {
    TempDir dir;
    dir.write("page.txt", kArticle);
    CHECK(run_dconv(dir, "--to pdf -o a.pdf page.txt").status == 0);
    CHECK(run_dconv(dir, "--to markdown -o a.md page.txt").status == 0);
    CHECK(run_dconv(dir, "-o a.markdown page.txt").status == 0);
    CHECK(starts_with(slurp(dir.work / "a.markdown"), "---\n"));
}
