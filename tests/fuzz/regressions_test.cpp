// Replays the fuzzers' findings without libFuzzer: every file under
// tests/fuzz/regressions/<harness>/ goes through dconv_fuzz_<harness>, the same function
// the fuzz target calls. A file that crashes or breaks a property aborts this program,
// which fails the test. With arguments: `fuzz_regressions_test HARNESS FILE...` replays
// those files (what tools/fuzz.sh uses to check a reproducer).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "fuzz_targets.hpp"

namespace fs = std::filesystem;

namespace {

using Harness = int (*)(const std::uint8_t*, std::size_t);

const std::map<std::string, Harness> kHarnesses = {
    {"webtext", dconv_fuzz_webtext},
    {"markdown", dconv_fuzz_markdown},
    {"html", dconv_fuzz_html},
    {"roundtrip", dconv_fuzz_roundtrip},
};

void replay(Harness harness, const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::printf("replay %s (%zu bytes)\n", file.string().c_str(), bytes.size());
    std::fflush(stdout);  // the name is out before a crash
    harness(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3) {
        auto it = kHarnesses.find(argv[1]);
        if (it == kHarnesses.end()) {
            std::fprintf(stderr, "unknown harness %s\n", argv[1]);
            return 2;
        }
        for (int i = 2; i < argc; ++i) replay(it->second, argv[i]);
        return 0;
    }
    fs::path root = fs::path(DCONV_SOURCE_DIR) / "tests/fuzz/regressions";
    int files = 0;
    for (const auto& [name, harness] : kHarnesses) {
        fs::path dir = root / name;
        if (!fs::is_directory(dir)) continue;
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
            replay(harness, entry.path());
            ++files;
        }
    }
    std::printf("%d regression inputs replayed cleanly\n", files);
    return 0;
}
