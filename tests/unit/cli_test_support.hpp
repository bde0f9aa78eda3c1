// cli_test_support.hpp: the command-line tests' harness (cli_test, cli_checks_test): a
// scratch folder per test, and dconv run in it as a user would, under a timeout.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

namespace dconv::testing::cli {

namespace fs = std::filesystem;

inline const std::string kBinary = DCONV_BINARY_DIR "/dconv";

// work/ is where dconv runs, capture/ receives its stdout and stderr. Removed at the end,
// also when a test left folders without permissions in it.
struct TempDir {
    fs::path root, work, capture;
    TempDir() {
        static int counter = 0;
        root = fs::temp_directory_path() /
               ("dconv-cli-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
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

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

struct Run {
    int status = -1;  // exit status; -1: killed or not run
    std::string out, err;
    double seconds = 0;
};

// Runs `dconv ARGS` in dir.work with standard input from `input` (a path), under a timeout.
inline Run run_dconv(const TempDir& dir, const std::string& args, const std::string& input = "/dev/null",
          int timeout_seconds = 120) {
    std::string command = "cd " + quote(dir.work.string()) + " && timeout " +
                          std::to_string(timeout_seconds) + " " + quote(kBinary) + " " + args +
                          " <" + quote(input) + " >" + quote((dir.capture / "stdout").string()) +
                          " 2>" + quote((dir.capture / "stderr").string());
    auto start = std::chrono::steady_clock::now();
    int raw = std::system(command.c_str());
    Run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(dir.capture / "stdout");
    r.err = slurp(dir.capture / "stderr");
    UNSCOPED_INFO("dconv " << args << "\nstatus " << r.status << " after " << r.seconds
                           << " s\nstderr:\n" << r.err);
    return r;
}

}  // namespace dconv::testing::cli
