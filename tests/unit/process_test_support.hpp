// process_test_support.hpp: running the dconv command as a child process, for the tests
// that need more than std::system gives: standard input fed while standard output is
// read (streams), the child's peak memory (wait4), or a SIGKILL at a chosen moment.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace dconv::test {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const fs::path& p, const std::string& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

struct ProcessResult {
    int status = -1;         // exit status; -1 when killed by a signal
    int signal = 0;          // the signal that killed it, if one did
    std::string out, err;    // what it wrote (out only when captured)
    long max_rss_kb = 0;     // peak resident memory of the child
    double seconds = 0;      // wall-clock time, start to end
    double cpu_seconds = 0;  // the child's CPU time, user and system: what it did, not what else ran
};

// A started child: `argv` run in `workdir` (empty: here), standard error to a file.
class Child {
public:
    // stdin_fd/stdout_fd: descriptors to give the child (closed here after the fork), or
    // -1 for /dev/null.
    Child(const std::vector<std::string>& argv, const fs::path& workdir, int stdin_fd, int stdout_fd,
          const fs::path& stderr_path, const std::vector<std::string>& environment = {})
        : start_(std::chrono::steady_clock::now()), stderr_path_(stderr_path) {
        // Everything the child needs is made before the fork: the test may have threads,
        // and a forked child of a threaded process must not allocate.
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            if (!workdir.empty() && ::chdir(workdir.c_str()) != 0) ::_exit(126);
            int null = ::open("/dev/null", O_RDWR);
            ::dup2(stdin_fd >= 0 ? stdin_fd : null, 0);
            ::dup2(stdout_fd >= 0 ? stdout_fd : null, 1);
            int err = stderr_path.empty() ? null : ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(err, 2);
            for (int fd = 3; fd < 1024; ++fd) ::close(fd);
            for (const std::string& variable : environment) ::putenv(const_cast<char*>(variable.c_str()));
            ::execv(args[0], args.data());
            ::_exit(127);
        }
        if (stdin_fd >= 0) ::close(stdin_fd);
        if (stdout_fd >= 0) ::close(stdout_fd);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (pid_ > 0 && !waited_) {
            ::kill(pid_, SIGKILL);
            wait();
        }
    }

    pid_t pid() const { return pid_; }

    // Non-blocking: has it ended?
    bool ended() {
        if (waited_) return true;
        int status = 0;
        rusage usage {};
        pid_t done = ::wait4(pid_, &status, WNOHANG, &usage);
        if (done != pid_) return false;
        record(status, usage);
        return true;
    }

    ProcessResult wait() {
        if (!waited_) {
            int status = 0;
            rusage usage {};
            while (::wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
            }
            record(status, usage);
        }
        return result_;
    }

private:
    void record(int status, const rusage& usage) {
        waited_ = true;
        result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        result_.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        result_.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        result_.max_rss_kb = usage.ru_maxrss;
        auto seconds_of = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
        result_.cpu_seconds = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
        if (!stderr_path_.empty()) result_.err = read_file(stderr_path_);
    }

    std::chrono::steady_clock::time_point start_;
    fs::path stderr_path_;
    pid_t pid_ = -1;
    bool waited_ = false;
    ProcessResult result_;
};

// Runs `argv` with standard input written by `feed` (on its own thread, the pipe closed
// when it returns) while standard output is read: a child that streams is never stuck
// on a full pipe. SIGPIPE is ignored here, so that a child that stops reading makes
// `feed`'s writes fail rather than kill the test.
inline ProcessResult run_piped(const std::vector<std::string>& argv, const fs::path& scratch,
                               const std::function<void(int)>& feed) {
    ::signal(SIGPIPE, SIG_IGN);
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    fs::create_directories(scratch);
    Child child(argv, {}, in[0], out[1], scratch / "stderr");
    std::thread writer([&, fd = in[1]] {
        feed(fd);
        ::close(fd);
    });
    std::string output;
    char buffer[1 << 16];
    for (;;) {
        ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    writer.join();
    ProcessResult result = child.wait();
    result.out = std::move(output);
    return result;
}

// Writes all of `bytes` to `fd`; false when the reader went away.
inline bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

inline ProcessResult run_with_input(const std::vector<std::string>& argv, const fs::path& scratch,
                                    const std::string& input) {
    return run_piped(argv, scratch, [&](int fd) { write_all(fd, input); });
}

}  // namespace dconv::test
