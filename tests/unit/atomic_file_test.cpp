#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "dconv/diagnostics.hpp"

namespace fs = std::filesystem;
using dconv::write_file_atomic;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("dconv-atomic-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path, ec);
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

mode_t current_umask() {  // single-threaded test program: reading by setting is safe here
    mode_t mask = ::umask(022);
    ::umask(mask);
    return mask;
}

}  // namespace

TEST_CASE("write_file_atomic writes a new file with the umask's mode") {
    TempDir dir;
    fs::path file = dir.path / "new.md";
    write_file_atomic(file, "# Title\n\nbody\n");
    CHECK(slurp(file) == "# Title\n\nbody\n");
    CHECK(mode_of(file) == (0666 & ~current_umask()));
    CHECK(names_in(dir.path) == std::vector<std::string>{"new.md"});
}

TEST_CASE("write_file_atomic writes empty and binary data exactly") {
    TempDir dir;
    write_file_atomic(dir.path / "empty", "");
    CHECK(fs::file_size(dir.path / "empty") == 0);
    std::string bytes("a\0b\xff\n", 5);
    write_file_atomic(dir.path / "bytes", bytes);
    CHECK(slurp(dir.path / "bytes") == bytes);
}

TEST_CASE("write_file_atomic replaces a file and keeps its mode") {
    TempDir dir;
    fs::path file = dir.path / "page.txt";
    { std::ofstream(file) << "old content that is longer than the new one"; }
    ::chmod(file.c_str(), 0640);
    write_file_atomic(file, "new");
    CHECK(slurp(file) == "new");
    CHECK(mode_of(file) == 0640);
    CHECK(names_in(dir.path) == std::vector<std::string>{"page.txt"});
}

TEST_CASE("write_file_atomic works with a bare file name (current directory)") {
    TempDir dir;
    fs::path before = fs::current_path();
    fs::current_path(dir.path);
    write_file_atomic("bare.txt", "x");
    fs::current_path(before);
    CHECK(slurp(dir.path / "bare.txt") == "x");
    CHECK(names_in(dir.path) == std::vector<std::string>{"bare.txt"});
}

TEST_CASE("write_file_atomic fails cleanly when the directory does not exist") {
    TempDir dir;
    fs::path file = dir.path / "missing" / "out.md";
    try {
        write_file_atomic(file, "data");
        FAIL("no exception");
    } catch (const dconv::Error& e) {
        CHECK(e.kind() == dconv::ErrorKind::io);
        CHECK(e.file() == file.string());
        CHECK_THAT(e.message(), Catch::Contains("No such file or directory"));
    }
    CHECK(names_in(dir.path).empty());
}

TEST_CASE("write_file_atomic over a directory fails and removes its temporary") {
    TempDir dir;
    fs::create_directory(dir.path / "target");
    { std::ofstream(dir.path / "target" / "keep") << "kept"; }
    CHECK_THROWS_AS(write_file_atomic(dir.path / "target", "data"), dconv::Error);
    // The temporary was fully written before the rename failed: it must be gone.
    CHECK(names_in(dir.path) == std::vector<std::string>{"target"});
    CHECK(slurp(dir.path / "target" / "keep") == "kept");
}

TEST_CASE("write_file_atomic failing mid-write leaves the old file and no temporary") {
    TempDir dir;
    fs::path file = dir.path / "big.txt";
    { std::ofstream(file) << "old"; }
    // A file size limit makes write(2) fail with EFBIG, even for root.
    struct rlimit saved {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = saved;
    small.rlim_cur = 1000;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    bool threw = false;
    try {
        write_file_atomic(file, std::string(100000, 'x'));
    } catch (const dconv::Error& e) {
        threw = true;
        CHECK(e.file() == file.string());
    }
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);
    CHECK(threw);
    CHECK(slurp(file) == "old");
    CHECK(names_in(dir.path) == std::vector<std::string>{"big.txt"});
}

TEST_CASE("write_file_atomic in an unwritable directory leaves no file") {
    TempDir dir;
    fs::path locked = dir.path / "locked";
    fs::create_directory(locked);
    ::chmod(locked.c_str(), 0555);
    if (::geteuid() == 0) {
        // root writes anyway; the missing-directory and over-a-directory cases above cover
        // the failure paths there.
        WARN("running as root: permission test skipped");
        return;
    }
    CHECK_THROWS_AS(write_file_atomic(locked / "out.md", "data"), dconv::Error);
    ::chmod(locked.c_str(), 0755);
    CHECK(names_in(locked).empty());
}

TEST_CASE("write_file_atomic keeps very long names working") {
    TempDir dir;
    std::string name(250, 'n');  // the temporary's name must not exceed NAME_MAX
    write_file_atomic(dir.path / name, "long");
    CHECK(slurp(dir.path / name) == "long");
    CHECK(names_in(dir.path).size() == 1);
}

TEST_CASE("write_file_atomic follows a link and replaces its target, not the link") {
    TempDir dir;
    fs::path real = dir.path / "real.md", link = dir.path / "link.md";
    std::ofstream(real) << "old";
    fs::create_symlink("real.md", link);
    dconv::write_file_atomic(link, "new");
    CHECK(fs::is_symlink(link));
    CHECK(slurp(real) == "new");
}

TEST_CASE("write_file_atomic writes through to a device instead of replacing it") {
    dconv::write_file_atomic("/dev/null", "anything");
    CHECK(fs::is_character_file("/dev/null"));
}

TEST_CASE("StagedFile changes nothing under its name until commit") {
    TempDir dir;
    fs::path out = dir.path / "page.md";
    write_file_atomic(out, "old");
    {
        dconv::StagedFile staged(out, "new content");
        CHECK(slurp(out) == "old");  // written, not in place
        CHECK(names_in(dir.path).size() == 2);  // the file and the hidden temporary
        staged.commit();
        CHECK(slurp(out) == "new content");
        CHECK(names_in(dir.path).size() == 1);
        staged.commit();  // a second commit has nothing left to do
    }
    CHECK(slurp(out) == "new content");
}

TEST_CASE("StagedFile abandoned without commit removes its temporary") {
    TempDir dir;
    fs::path out = dir.path / "page.pdf";
    {
        dconv::StagedFile staged(out, "never committed");
        dconv::StagedFile moved(std::move(staged));  // the temporary goes with the move
        CHECK(names_in(dir.path).size() == 1);
    }
    CHECK(!fs::exists(out));
    CHECK(names_in(dir.path).empty());
}

TEST_CASE("a StagedFile's temporary names its output and its writer's pid") {
    TempDir dir;
    fs::path out = dir.path / "page.md";
    dconv::StagedFile staged(out, "content");
    std::optional<dconv::TemporaryName> found;
    for (const auto& e : fs::directory_iterator(dir.path))
        if (auto parsed = dconv::parse_temporary_name(e.path().filename().string())) found = parsed;
    REQUIRE(found);
    CHECK(found->stem == "page.md");
    CHECK(found->pid == ::getpid());
}

TEST_CASE("parse_temporary_name reads .NAME.PID.XXXXXX and the older .NAME.XXXXXX") {
    auto with_pid = dconv::parse_temporary_name(".a.md.4242.Xy12Z9");
    REQUIRE(with_pid);
    CHECK(with_pid->stem == "a.md");
    CHECK(with_pid->pid == 4242);
    auto without = dconv::parse_temporary_name(".a.md.Xy12Z9");
    REQUIRE(without);
    CHECK(without->stem == "a.md");
    CHECK(without->pid == 0);
    CHECK_FALSE(dconv::parse_temporary_name("a.md.4242.Xy12Z9"));   // not hidden
    CHECK_FALSE(dconv::parse_temporary_name(".a.md.notours"));       // not mkstemp's suffix
    CHECK_FALSE(dconv::parse_temporary_name(".a.md.Q"));             // too short
}
