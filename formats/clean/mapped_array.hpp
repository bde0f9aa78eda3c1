// mapped_array.hpp: a growing array in memory mapped from the system, grown in place.
//
// The cleaner builds a few arrays as long as a page's text without knowing their length
// before (the word sequences of the text the rules kept, the text the recall guard
// searches). A std::vector or std::string grown by doubling holds the old array beside
// the new one while it moves the elements: three times the length at the last move, the
// peak of a long page's cleaning (a 50 MB page's text searched by the guard held 150 MB
// for a moment). Here the array is its own mapping, grown with mremap: the kernel moves
// the pages, no byte is copied, no second array exists, and only the pages written take
// memory. Elsewhere than Linux it falls back to realloc.
//
// Private to formats/clean.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace dconv::clean {

template <class T>
class MappedArray {
    static_assert(std::is_trivially_copyable_v<T>, "the pages are moved, not the elements");

public:
    MappedArray() = default;
    MappedArray(const MappedArray&) = delete;
    MappedArray& operator=(const MappedArray&) = delete;
    ~MappedArray() {
        if (!data_) return;
#if defined(__linux__)
        ::munmap(data_, bytes_);
#else
        std::free(data_);
#endif
    }

    void push_back(T value) {
        if (size_ == capacity_) grow(size_ + 1);
        data_[size_++] = value;
    }
    void append(const T* values, std::size_t count) {
        if (count == 0) return;
        if (capacity_ - size_ < count) grow(size_ + count);
        std::memcpy(data_ + size_, values, count * sizeof(T));
        size_ += count;
    }
    // Fewer elements (the pages stay mapped).
    void shrink_to(std::size_t size) { size_ = std::min(size, size_); }

    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    const T* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const T& operator[](std::size_t k) const { return data_[k]; }

private:
    static constexpr std::size_t kFirstBytes = 64 * 1024;
    // Huge pages from this mapping's length on: arrays of over 4 MiB, which only pages of
    // megabytes have (and a 2 MB page none), so that the last huge page's unwritten part
    // stays small beside them.
    static constexpr std::size_t kHugeBytes = 8 * 1024 * 1024;
    void grow(std::size_t wanted) {
        // a length past what a size_t of bytes can hold, or a doubling that would wrap,
        // is memory no system gives
        constexpr std::size_t kMax = static_cast<std::size_t>(-1);
        if (wanted < size_ || wanted > kMax / sizeof(T) || bytes_ > kMax / 2) throw std::bad_alloc();
        const std::size_t need = wanted * sizeof(T);
        std::size_t more = std::max(2 * bytes_, kFirstBytes);
        while (more < need) {
            if (more > kMax / 2) throw std::bad_alloc();
            more *= 2;
        }
#if defined(__linux__)
        void* p = data_ ? ::mremap(data_, bytes_, more, MREMAP_MAYMOVE)
                        : ::mmap(nullptr, more, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        // a long page's arrays (a million word sequences of 8 bytes) in transparent huge
        // pages from here on (the kernel aligns a mapping this long to them): one fault
        // and one TLB entry per 2 MiB, where 4 KiB pages took 512 faults (some 11 µs each
        // on a virtual machine) and the look-ups spread over the array a TLB miss each.
        // The pages already written stay as they are. Advice only: where the system has
        // no huge pages it fails, and nothing changes.
        if (more >= kHugeBytes) ::madvise(p, more, MADV_HUGEPAGE);
#else
        void* p = std::realloc(data_, more);
        if (!p) throw std::bad_alloc();
#endif
        data_ = static_cast<T*>(p);
        bytes_ = more;
        capacity_ = more / sizeof(T);
    }

    T* data_ = nullptr;
    std::size_t size_ = 0, capacity_ = 0;
    std::size_t bytes_ = 0;  // the mapping's length (capacity_ * sizeof(T) may be less)
};

// The text held in `chars`, as a view.
inline std::string_view view_of(const MappedArray<char>& chars) { return {chars.data(), chars.size()}; }

}  // namespace dconv::clean
