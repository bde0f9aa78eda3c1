// regular_file.hpp: reading a file the user names beside the inputs (--style, --cover),
// bounded and safe: only a regular file is read (a FIFO would block forever, a device
// such as /dev/zero never ends), and its size is checked before anything is read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dconv {

// The bytes of the regular file `path`, at most `max_bytes` of them. Throws
// dconv::Error(io, path) when it cannot be opened or read ("Permission denied"),
// Error(usage, path) when it is not a regular file or is larger than `max_bytes`. `what`
// names the file in messages ("style", "cover image").
std::string read_regular_file(const std::string& path, std::size_t max_bytes, std::string_view what);

}  // namespace dconv
