// gumbo_arena.hpp: the memory of one gumbo tree (issue 16's HTML memory bound).
//
// Gumbo allocates every node (128 bytes), every child vector and every text's copy on
// its own: on a page of short table cells that is four blocks of a few dozen bytes per
// cell, and malloc adds 8 bytes of header to each and rounds it up to 16 (a vector of
// one child, 8 bytes, takes 32). The arena gives gumbo (GumboOptions' allocator hooks)
// blocks of up to kMaxSmallBytes from slabs of one size class each, with no header: a
// freed block's slab is found from its address (slabs are aligned to their size), and
// larger blocks come from malloc. The tree then takes about a sixth less, and is freed
// whole by dropping the slabs instead of walking it.
//
// A subtree freed early (Page::release_child) goes back to its slabs; once the parse is
// over (finish_parse), a slab left empty is given back to the system at once, so the
// model built from a consumed tree reuses its memory.
//
// Private to formats/html.
#pragma once

#include <gumbo.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_set>

namespace dconv::html {

class GumboArena {
public:
    GumboArena();
    ~GumboArena();  // frees every block gumbo did not, slabs and large blocks alike
    GumboArena(const GumboArena&) = delete;
    GumboArena& operator=(const GumboArena&) = delete;

    // Gumbo's options with this arena's hooks: for gumbo_parse_with_options and
    // gumbo_destroy_node alike. The arena must outlive whatever they allocate.
    const GumboOptions& options() const { return options_; }
    // The parse is over: empty slabs are given back now and whenever one empties later
    // (during the parse a size class's slab empties and fills again at every tag).
    void finish_parse();

    void* allocate(std::size_t bytes);
    void deallocate(void* block);
    // Slabs held now (each kSlabBytes), and blocks from malloc not yet freed.
    std::size_t slab_count() const { return slabs_.size(); }
    std::size_t large_count() const { return large_.size(); }

    // Slabs: 256 KiB, aligned to 256 KiB (its header at its start); blocks of at most
    // kMaxSmallBytes, in size classes of 8 bytes (gumbo needs pointer alignment).
    static constexpr std::size_t kSlabBytes = std::size_t(256) << 10;
    static constexpr std::size_t kMaxSmallBytes = 512;
    static constexpr std::size_t kClassStep = 8;

private:
    struct Slab;
    Slab* new_slab(std::size_t size_class);
    void release(Slab* slab);
    void link(Slab* slab);
    void unlink(Slab* slab);

    GumboOptions options_;
    // per size class, the slabs with room (a free block or unused space at the end)
    std::array<Slab*, kMaxSmallBytes / kClassStep> open_ {};
    std::unordered_set<std::uintptr_t> slabs_;  // every slab's address
    std::unordered_set<void*> large_;          // blocks from malloc
    bool parsed_ = false;
};

}  // namespace dconv::html
