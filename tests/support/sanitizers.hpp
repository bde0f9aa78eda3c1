// sanitizers.hpp: whether this test program is built with AddressSanitizer (the
// sanitizer build of the suite, tools/sanitize.sh). Memory is shadowed and freed blocks
// are quarantined there, and every run is several times slower: checks of peak memory
// or of wall-clock guards read this.
#pragma once

namespace dconv::testing {

#if defined(__SANITIZE_ADDRESS__)  // g++
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace dconv::testing
