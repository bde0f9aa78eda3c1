// Fuzz entry points, one per harness. Each takes arbitrary bytes and returns 0; a crash,
// a sanitizer report, a hang or a broken property (std::abort) is a finding. They are
// linked both into the libFuzzer targets (fuzz_entry.cpp, clang, tools/fuzz.sh) and into
// fuzz_regressions_test (g++, ctest), which replays tests/fuzz/regressions/<harness>/*.
#pragma once

#include <cstddef>
#include <cstdint>

// Web text, cleaned, then written as Markdown and plain text.
int dconv_fuzz_webtext(const std::uint8_t* data, std::size_t size);
// Markdown (CommonMark with YAML front matter), then written as Markdown.
int dconv_fuzz_markdown(const std::uint8_t* data, std::size_t size);
// An HTML page (gumbo, content selection, cleaning), then written as Markdown.
int dconv_fuzz_html(const std::uint8_t* data, std::size_t size);
// Web text, cleaned, written as Markdown, read back: the same model, the same Markdown,
// and EPUB and PDF editions of it written without an exception.
int dconv_fuzz_roundtrip(const std::uint8_t* data, std::size_t size);

// Inputs above this many bytes are ignored: the harnesses look for crashes and broken
// invariants, which small inputs find as well, many times faster (tools/fuzz.sh also
// passes -max_len). Huge inputs are the bad-input corpus's job.
inline constexpr std::size_t kFuzzMaxInput = 64 * 1024;
