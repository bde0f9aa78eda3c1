// libFuzzer's entry point for one harness: DCONV_FUZZ_TARGET names the function of
// fuzz_targets.hpp (tests/fuzz/CMakeLists.txt builds one target per harness).
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return DCONV_FUZZ_TARGET(data, size);
}
