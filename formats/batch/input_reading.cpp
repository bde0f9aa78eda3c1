// input_reading.cpp: an input's bytes, read in pieces and bounded (input_reading.hpp).
#include "batch/input_reading.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dconv/diagnostics.hpp"
#include "dconv/limits.hpp"

namespace dconv::batch {

namespace {

// Reads are done in pieces this big; a regular file's size is known and read at once.
constexpr std::size_t kReadChunkBytes = std::size_t(1) << 20;

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ > 0) ::close(fd_);  // never standard input
    }
private:
    int fd_;
};

[[noreturn]] void too_big(const std::string& name) {
    throw Error(ErrorKind::limit, name, 0,
                "input larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB, not converted");
}

}  // namespace

// Reads all of `fd`, refusing more than the decoder's limit before reading it.
std::string read_all(int fd, const std::string& name) {
    std::string bytes;
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) throw Error(ErrorKind::io, name, 0, "is a directory");
        if (S_ISREG(st.st_mode)) {
            if (static_cast<std::size_t>(st.st_size) > kMaxInputBytes) too_big(name);
            // One byte more than the file, so that the read finding its end needs no
            // reallocation.
            bytes.reserve(static_cast<std::size_t>(st.st_size) + 1);
        }
    }
    std::size_t size = 0;
    for (;;) {
        if (bytes.capacity() - size == 0) bytes.reserve(size + kReadChunkBytes);
        std::size_t want = bytes.capacity() - size;
        bytes.resize(size + want);
        ssize_t n = ::read(fd, bytes.data() + size, want);
        if (n < 0) {
            int error = errno;
            if (error == EINTR) continue;
            throw Error(ErrorKind::io, name, 0, std::string("cannot read: ") + std::strerror(error));
        }
        if (n == 0) break;
        size += static_cast<std::size_t>(n);
        if (size > kMaxInputBytes) too_big(name);
    }
    bytes.resize(size);
    return bytes;
}

std::string read_input(const Input& in) {
    // O_NONBLOCK, so that a FIFO given as an input does not block the open; it is refused
    // below, like a device (/dev/zero would never end): only standard input may be a pipe.
    int fd = ::open(in.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int error = errno;
        throw Error(ErrorKind::io, in.name, 0, std::strerror(error));
    }
    FileDescriptor guard(fd);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        throw Error(ErrorKind::input, in.name, 0,
                    std::string("not a regular file (") + (S_ISFIFO(st.st_mode) ? "a pipe" : S_ISSOCK(st.st_mode) ? "a socket" : "a device") +
                        "): give it on standard input (-) to read it as a stream");
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return read_all(fd, in.name);
}

}  // namespace dconv::batch
