#include "html/gumbo_arena.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <vector>

// Under AddressSanitizer, a block is poisoned while it is free and its class's bytes
// past the size asked for are poisoned while it is handed out, so that reading a node
// once freed (Page::release_child) is caught as it would be with malloc.
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define DCONV_ARENA_POISON(address, bytes) ASAN_POISON_MEMORY_REGION((address), (bytes))
#define DCONV_ARENA_UNPOISON(address, bytes) ASAN_UNPOISON_MEMORY_REGION((address), (bytes))
#else
#define DCONV_ARENA_POISON(address, bytes) ((void)(address), (void)(bytes))
#define DCONV_ARENA_UNPOISON(address, bytes) ((void)(address), (void)(bytes))
#endif

namespace dconv::html {

// A slab's header, at its start; its blocks follow, all of one size. A free block holds
// the next free block's address.
struct GumboArena::Slab {
    std::size_t size_class = 0;
    std::size_t block_bytes = 0;
    std::size_t live = 0;        // blocks handed out and not yet freed
    void* free = nullptr;        // freed blocks, to hand out first
    char* unused = nullptr;      // never handed out from here to the slab's end
    Slab* prev = nullptr;        // in open_[size_class], while it has room
    Slab* next = nullptr;
    bool open = false;

    char* end() { return reinterpret_cast<char*>(this) + kSlabBytes; }
    bool full() const { return free == nullptr && unused + block_bytes > reinterpret_cast<const char*>(this) + kSlabBytes; }
};

namespace {

constexpr std::size_t kHeaderBytes = 64;  // a slab's header, rounded up: blocks start here

void* arena_allocate(void* arena, std::size_t bytes) { return static_cast<GumboArena*>(arena)->allocate(bytes); }

void arena_deallocate(void* arena, void* block) { static_cast<GumboArena*>(arena)->deallocate(block); }

}  // namespace

static_assert((GumboArena::kSlabBytes & (GumboArena::kSlabBytes - 1)) == 0,
              "slabs are found by masking a block's address: their size is a power of two");

GumboArena::GumboArena() : options_(kGumboDefaultOptions) {
    static_assert(sizeof(Slab) <= kHeaderBytes);
    options_.allocator = arena_allocate;
    options_.deallocator = arena_deallocate;
    options_.userdata = this;
}

GumboArena::~GumboArena() {
    for (std::uintptr_t slab : slabs_) {
        DCONV_ARENA_UNPOISON(reinterpret_cast<void*>(slab), kSlabBytes);  // the addresses may be mapped again
        ::munmap(reinterpret_cast<void*>(slab), kSlabBytes);
    }
    for (void* block : large_) std::free(block);
}

void GumboArena::finish_parse() {
    parsed_ = true;
    std::vector<Slab*> empty;
    for (std::uintptr_t address : slabs_)
        if (reinterpret_cast<Slab*>(address)->live == 0) empty.push_back(reinterpret_cast<Slab*>(address));
    for (Slab* slab : empty) release(slab);
}

GumboArena::Slab* GumboArena::new_slab(std::size_t size_class) {
    // twice the size mapped, then trimmed to the aligned slab inside it
    void* raw = ::mmap(nullptr, 2 * kSlabBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;  // as malloc would: gumbo's default allocator
    auto start = reinterpret_cast<std::uintptr_t>(raw);
    std::uintptr_t aligned = (start + kSlabBytes - 1) & ~(kSlabBytes - 1);
    if (aligned > start) ::munmap(raw, aligned - start);
    if (std::uintptr_t end = start + 2 * kSlabBytes; end > aligned + kSlabBytes)
        ::munmap(reinterpret_cast<void*>(aligned + kSlabBytes), end - aligned - kSlabBytes);
    auto* slab = new (reinterpret_cast<void*>(aligned)) Slab;
    slab->size_class = size_class;
    slab->block_bytes = (size_class + 1) * kClassStep;
    slab->unused = reinterpret_cast<char*>(aligned) + kHeaderBytes;
    DCONV_ARENA_POISON(slab->unused, kSlabBytes - kHeaderBytes);
    slabs_.insert(aligned);
    link(slab);
    return slab;
}

void GumboArena::link(Slab* slab) {
    slab->prev = nullptr;
    slab->next = open_[slab->size_class];
    if (slab->next) slab->next->prev = slab;
    open_[slab->size_class] = slab;
    slab->open = true;
}

void GumboArena::unlink(Slab* slab) {
    if (slab->prev) slab->prev->next = slab->next;
    else open_[slab->size_class] = slab->next;
    if (slab->next) slab->next->prev = slab->prev;
    slab->prev = slab->next = nullptr;
    slab->open = false;
}

void GumboArena::release(Slab* slab) {
    if (slab->open) unlink(slab);
    slabs_.erase(reinterpret_cast<std::uintptr_t>(slab));
    DCONV_ARENA_UNPOISON(slab, kSlabBytes);
    ::munmap(slab, kSlabBytes);
}

void* GumboArena::allocate(std::size_t bytes) {
    if (bytes > kMaxSmallBytes) {
        void* block = std::malloc(bytes);
        if (block) large_.insert(block);
        return block;
    }
    std::size_t size_class = bytes == 0 ? 0 : (bytes - 1) / kClassStep;
    Slab* slab = open_[size_class];
    if (!slab && !(slab = new_slab(size_class))) return nullptr;
    void* block;
    if (slab->free) {
        block = slab->free;
        DCONV_ARENA_UNPOISON(block, sizeof(void*));
        slab->free = *static_cast<void**>(block);
        DCONV_ARENA_POISON(block, sizeof(void*));
    } else {
        block = slab->unused;
        slab->unused += slab->block_bytes;
    }
    DCONV_ARENA_UNPOISON(block, bytes);
    ++slab->live;
    if (slab->full()) unlink(slab);
    return block;
}

void GumboArena::deallocate(void* block) {
    if (!block) return;
    std::uintptr_t address = reinterpret_cast<std::uintptr_t>(block) & ~(kSlabBytes - 1);
    if (!slabs_.contains(address)) {  // not in a slab: it came from malloc
        large_.erase(block);
        std::free(block);
        return;
    }
    auto* slab = reinterpret_cast<Slab*>(address);
    DCONV_ARENA_UNPOISON(block, sizeof(void*));
    *static_cast<void**>(block) = slab->free;
    DCONV_ARENA_POISON(block, slab->block_bytes);
    slab->free = block;
    --slab->live;
    if (parsed_ && slab->live == 0) {
        release(slab);
        return;
    }
    if (!slab->open) link(slab);
}

}  // namespace dconv::html
