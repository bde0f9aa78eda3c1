// test_files.hpp: the scratch folders, whole-file reads and sample article the
// command-level tests share.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace dconv::testing {

// An empty folder of the system's temporary directory, named after the test and the
// process (tests of one run do not clash; a rerun starts clean).
inline std::filesystem::path fresh_dir(const std::string& name) {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("dconv-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// An ordinary article: it survives cleaning, so its words must reach every output.
inline constexpr const char* kArticle =
    "The Quiet Zebracorn Garden\n\n"
    "The zebracorn garden opened in the spring of 2019, after years of planning by the "
    "neighbours who live around the old railway yard. Volunteers planted more than four "
    "hundred trees, and the city agreed to maintain the paths and the benches.\n\n"
    "Visitors can walk the full loop in about forty minutes. Along the way they will find a "
    "pond, a small library in a converted shipping container, and a workshop where children "
    "learn to repair bicycles.\n";

}  // namespace dconv::testing
