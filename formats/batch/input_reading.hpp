// input_reading.hpp: reading an input's bytes, bounded by the decoder's limit
// (kMaxInputBytes) before more is read than it allows.
#pragma once

#include <string>

#include "batch/plan.hpp"

namespace dconv::batch {

// Reads all of `fd`, refusing more than the decoder's limit before reading it; throws
// dconv::Error naming `name`.
std::string read_all(int fd, const std::string& name);

// The bytes of a file input (not standard input).
std::string read_input(const Input& in);

}  // namespace dconv::batch
