// hash_table.hpp: a table from 64-bit hash keys to small values, kept flat.
//
// The cleaner counts and looks up its units' hashes (folded text, probes) in tables of
// one entry per unit. std::unordered_map gives each entry a node of its own: a look-up
// reads the bucket array, then a node elsewhere on the heap, two cache misses on a long
// page, where the table no longer fits the caches (a forum page of 8 MB spent 4.7 times
// as long in those tables as one of 2 MB: its four times the entries, and the misses).
// Here the keys and values sit side by side in one array, probed linearly: one miss.
// Keys are hashes already, spread over 64 bits; they are mixed once more (Fibonacci
// hashing) for the slot, so that keys alike in their low bits do not collide. The table
// grows with its distinct keys (doubling at 70 percent full), and is not sized for every
// unit up front: 50 MB of repeated text has 1.5 million units and few distinct lines,
// and seven tables sized for the units held 450 MB where the page peaked at 380.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace dconv::clean {

template <class Value>
class HashTable {
public:
    std::size_t size() const { return size_; }

    // The entry of `key`, inserted as Value{} if absent.
    Value& operator[](std::uint64_t key) { return try_emplace(key, Value{}).first; }

    // The entry of `key`, inserted as `value` if absent; whether it was.
    std::pair<Value&, bool> try_emplace(std::uint64_t key, Value value) {
        if (key == 0) {  // the empty slots' key: kept aside
            const bool fresh = !has_zero_;
            if (fresh) {
                zero_value_ = std::move(value);
                has_zero_ = true;
                ++size_;
            }
            return {zero_value_, fresh};
        }
        if (10 * (used_ + 1) > 7 * slots_.size()) rehash(slots_.empty() ? 16 : 2 * slots_.size());
        std::size_t i = slot_of(key);
        while (slots_[i].key != 0) {
            if (slots_[i].key == key) return {slots_[i].value, false};
            i = (i + 1) & mask_;
        }
        slots_[i].key = key;
        slots_[i].value = std::move(value);
        ++used_;
        ++size_;
        return {slots_[i].value, true};
    }

    // The entry of `key`, or null.
    Value* find(std::uint64_t key) {
        return const_cast<Value*>(static_cast<const HashTable*>(this)->find(key));
    }
    const Value* find(std::uint64_t key) const {
        if (key == 0) return has_zero_ ? &zero_value_ : nullptr;
        if (slots_.empty()) return nullptr;
        for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
            if (slots_[i].key == key) return &slots_[i].value;
            if (slots_[i].key == 0) return nullptr;
        }
    }

private:
    struct Slot {
        std::uint64_t key = 0;
        Value value{};
    };
    std::size_t slot_of(std::uint64_t key) const {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
    }
    void rehash(std::size_t count) {  // `count`: a power of two
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(count, Slot{});
        mask_ = count - 1;
        shift_ = 64;
        for (std::size_t c = count; c > 1; c >>= 1) --shift_;
        for (Slot& s : old) {
            if (s.key == 0) continue;
            std::size_t i = slot_of(s.key);
            while (slots_[i].key != 0) i = (i + 1) & mask_;
            slots_[i] = std::move(s);
        }
    }

    std::vector<Slot> slots_;
    std::size_t mask_ = 0, used_ = 0, size_ = 0;
    int shift_ = 64;
    bool has_zero_ = false;
    Value zero_value_{};
};

// How often each of n keys occurs among them (`key(i)`, 0 for none: counted 0), for
// each index: one look-up a key, in one table whose entry names the key's first index,
// which counts for all (the counts are then read in order, not looked up again: on a
// long page every look-up is a cache miss). `repeated(i, previous)` is called for each
// index whose key occurred before, with that key's latest index before it.
template <class Key, class Repeated>
std::vector<std::uint32_t> occurrence_counts(std::size_t n, Key key, Repeated repeated) {
    constexpr std::uint32_t kNone = UINT32_MAX;
    struct Seen {
        std::uint32_t first = 0, last = 0;  // the key's first and latest index
    };
    HashTable<Seen> seen;
    std::vector<std::uint32_t> counts(n, 0), first(n, kNone);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = key(i);
        if (!k) continue;
        const auto at = static_cast<std::uint32_t>(i);
        auto [entry, fresh] = seen.try_emplace(k, Seen{at, at});
        if (!fresh) {
            repeated(i, std::size_t(entry.last));
            entry.last = at;
        }
        first[i] = entry.first;
        ++counts[entry.first];
    }
    for (std::size_t i = 0; i < n; ++i)
        if (first[i] != kNone) counts[i] = counts[first[i]];
    return counts;
}

}  // namespace dconv::clean
