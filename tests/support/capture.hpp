// capture.hpp: a shell command's standard output, for the tests that run validators
// (qpdf, pdftotext, pdfimages, pdffonts) on dconv's outputs.
#pragma once

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

namespace dconv::testing {

// The command's standard output; its exit status in *status (-1 if it did not exit).
inline std::string capture(const std::string& command, int* status = nullptr) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe);
    char buffer[1 << 14];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    int s = ::pclose(pipe);
    if (status) *status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    return out;
}

}  // namespace dconv::testing
