#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>
#include <string>
#include <utility>

#include "dconv/diagnostics.hpp"

namespace dconv {

namespace {

// Links followed to find the file an output replaces (a cycle stops here).
constexpr int kMaxLinkHops = 40;

// The process's umask, read without changing it (umask(2) can only be read by setting it,
// which would race with other threads creating files). Linux reports it in
// /proc/self/status since 4.7; the conservative 022 otherwise.
mode_t process_umask() {
    static const mode_t mask = [] {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
        return static_cast<mode_t>(022);
    }();
    return mask;
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error) {
    throw Error(ErrorKind::io, path.string(), 0, what + ": " + std::strerror(error));
}

// errno is read before anything else can change it.
[[noreturn]] void fail_errno(const std::filesystem::path& path, const char* what) {
    int error = errno;
    fail(path, what, error);
}

// Removes the temporary unless release()d: every exit path but success cleans up.
class TempFile {
public:
    explicit TempFile(std::string name) : name_(std::move(name)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!name_.empty()) ::unlink(name_.c_str());
    }
    int& fd() { return fd_; }
    char* name() { return name_.data(); }
    void release() { name_.clear(); }

private:
    std::string name_;
    int fd_ = -1;
};

}  // namespace

namespace {

// Devices and pipes (-o /dev/null, -o fifo) are written to as they are: there is no file
// to replace, and renaming over them would destroy them.
void write_through(const std::filesystem::path& path, std::string_view data) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail_errno(path, "cannot open");
    const char* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            int error = errno;
            if (error == EINTR) continue;
            ::close(fd);
            fail(path, "cannot write", error);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) fail_errno(path, "cannot write (close)");
}

}  // namespace

StagedFile::StagedFile(const std::filesystem::path& given, std::string_view data) : given_(given) {
    std::filesystem::path path = given;
    // A link is followed: its target is replaced, the link stays a link.
    for (int hops = 0; hops < kMaxLinkHops; ++hops) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) break;
        std::error_code ec;
        std::filesystem::path target = std::filesystem::read_symlink(path, ec);
        if (ec) break;
        path = target.is_absolute() ? target : path.parent_path() / target;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) throw Error(ErrorKind::io, given.string(), 0, "is a directory");
        write_through(path, data);
        return;
    }
    std::filesystem::path dir = path.parent_path();
    std::string stem = path.filename().string();
    if (stem.empty()) throw Error(ErrorKind::io, path.string(), 0, "not a file name");
    if (stem.size() > kMaxTempStemBytes) stem.resize(kMaxTempStemBytes);
    std::filesystem::path pattern = (dir.empty() ? std::filesystem::path(".") : dir) /
                                    ("." + stem + "." + std::to_string(::getpid()) + ".XXXXXX");

    TempFile temp(pattern.string());
    temp.fd() = ::mkstemp(temp.name());
    if (temp.fd() < 0) {
        int error = errno;
        temp.release();  // nothing was created
        fail(path, "cannot create a temporary file in " +
                       (dir.empty() ? std::string(".") : dir.string()), error);
    }

    const char* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {
        ssize_t n = ::write(temp.fd(), p, left);
        if (n < 0) {
            int error = errno;
            if (error == EINTR) continue;
            fail(path, "cannot write", error);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }

    // Keep the mode of the file being replaced; mkstemp's 0600 otherwise.
    struct stat old {};
    mode_t mode = ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : (0666 & ~process_umask());
    if (::fchmod(temp.fd(), mode) != 0) fail_errno(path, "cannot set permissions");

    // Success: the temporary is this object's to commit or remove.
    target_ = std::move(path);
    temp_ = temp.name();
    fd_ = temp.fd();
    temp.fd() = -1;
    temp.release();
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : given_(std::move(other.given_)), target_(std::move(other.target_)),
      temp_(std::exchange(other.temp_, {})), fd_(std::exchange(other.fd_, -1)) {}

StagedFile::~StagedFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!temp_.empty()) ::unlink(temp_.c_str());
}

void StagedFile::commit() {
    if (temp_.empty()) return;  // written through, or committed already
    if (::fsync(fd_) != 0) fail_errno(target_, "cannot write (fsync)");
    int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) fail_errno(target_, "cannot write (close)");
    if (::rename(temp_.c_str(), target_.c_str()) != 0) fail_errno(target_, "cannot replace");
    temp_.clear();
}

std::optional<TemporaryName> parse_temporary_name(std::string_view name) {
    constexpr std::size_t kSuffixBytes = 7;  // ".XXXXXX", mkstemp's six characters
    if (name.size() < 1 + 1 + kSuffixBytes || name[0] != '.') return std::nullopt;
    std::size_t dot = name.size() - kSuffixBytes;
    if (name[dot] != '.') return std::nullopt;
    for (std::size_t i = dot + 1; i < name.size(); ++i)
        if (!std::isalnum(static_cast<unsigned char>(name[i]))) return std::nullopt;
    TemporaryName out;
    std::string_view rest = name.substr(1, dot - 1);
    // ".PID" before the suffix, when there is one (a NAME of dconv's always has an ending,
    // so its last part is never all digits).
    std::size_t pid_dot = rest.rfind('.');
    if (pid_dot != std::string_view::npos && pid_dot > 0 && rest.size() - pid_dot - 1 <= 10 &&
        rest.size() - pid_dot > 1) {
        std::string_view digits = rest.substr(pid_dot + 1);
        if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            out.pid = std::stol(std::string(digits));
            rest = rest.substr(0, pid_dot);
        }
    }
    if (rest.empty()) return std::nullopt;
    out.stem = std::string(rest);
    return out;
}

void write_file_atomic(const std::filesystem::path& path, std::string_view data) {
    StagedFile(path, data).commit();
}

StreamWrite write_to_stream(std::ostream& out, std::string_view data, std::string& reason) {
    errno = 0;
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (out) return StreamWrite::written;
    if (errno == EPIPE) return StreamWrite::reader_gone;
    // the system's reason, when the stream's last write left one (a full disk)
    reason = errno ? "cannot write: " + std::string(std::strerror(errno)) : std::string("cannot write");
    return StreamWrite::failed;
}

}  // namespace dconv
