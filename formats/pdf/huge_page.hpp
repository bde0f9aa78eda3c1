// huge_page.hpp: memory in transparent huge pages, for the PDF writer's few large,
// long-lived tables (a hyphenation dictionary's automaton, the deflate compressors).
//
// Why: the first touch of each 4 KB page costs a page fault, about 11 µs on a virtual
// machine such as the project's Firecracker one; 1 MB touched in 4 KB pages took 2.8 ms
// of CPU there, in one 2 MB huge page 0.2 ms. A one-page PDF touches a few MB. Where the
// system gives no huge pages (transparent_hugepage "never", no free 2 MB block), the
// region's pages are ordinary ones: nothing is lost.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace dconv::pdf {

constexpr std::size_t huge_page_bytes = std::size_t(2) << 20;

// A 2 MB region aligned to 2 MB and advised as a huge page (MADV_HUGEPAGE: a hint, only
// honoured in the "madvise" and "always" modes), or nullptr when it cannot be mapped.
// Give it back with munmap(region, huge_page_bytes).
inline void* map_huge_page() {
    // Twice the size, then the unaligned ends given back: a huge page must be aligned.
    void* mapped = mmap(nullptr, 2 * huge_page_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) return nullptr;
    auto start = reinterpret_cast<std::uintptr_t>(mapped);
    std::uintptr_t aligned = (start + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
    if (aligned > start) munmap(mapped, aligned - start);
    if (std::uintptr_t end = start + 2 * huge_page_bytes; end > aligned + huge_page_bytes)
        munmap(reinterpret_cast<void*>(aligned + huge_page_bytes), end - aligned - huge_page_bytes);
    void* region = reinterpret_cast<void*>(aligned);
    madvise(region, huge_page_bytes, MADV_HUGEPAGE);
    return region;
}

}  // namespace dconv::pdf
