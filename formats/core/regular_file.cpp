// regular_file.cpp: a bounded read of a named regular file (regular_file.hpp).
#include "core/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dconv/diagnostics.hpp"

namespace dconv {

std::string read_regular_file(const std::string& path, std::size_t max_bytes, std::string_view what) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int error = errno;
        throw Error(ErrorKind::io, path, 0, "cannot read the " + std::string(what) + ": " + std::strerror(error));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int error = errno;
        throw Error(ErrorKind::io, path, 0, "cannot read the " + std::string(what) + ": " + std::strerror(error));
    }
    if (!S_ISREG(st.st_mode))
        throw Error(ErrorKind::usage, path, 0,
                    "the " + std::string(what) + " must be a regular file (" +
                        (S_ISDIR(st.st_mode) ? "this is a directory" : S_ISFIFO(st.st_mode) ? "this is a pipe"
                                                                                             : "this is a device") +
                        ")");
    if (static_cast<std::size_t>(st.st_size) > max_bytes)
        throw Error(ErrorKind::usage, path, 0,
                    std::string(what) + " larger than " + std::to_string(max_bytes >> 20) + " MiB");
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t size = 0;
    while (size < bytes.size()) {
        ssize_t n = ::read(fd, bytes.data() + size, bytes.size() - size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int error = errno;
            throw Error(ErrorKind::io, path, 0, "cannot read the " + std::string(what) + ": " + std::strerror(error));
        }
        if (n == 0) break;  // shrank meanwhile
        size += static_cast<std::size_t>(n);
    }
    bytes.resize(size);
    return bytes;
}

}  // namespace dconv
