// mapped_array_test.cpp: the cleaner's arrays grown in place (clean/mapped_array.hpp) and
// a unit's text viewed or held (clean/features.hpp's UnitText).
#include "clean/mapped_array.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "clean/features.hpp"

using namespace dconv::clean;

TEST_CASE("a mapped array keeps its elements, in order, as it grows past many mappings") {
    MappedArray<std::uint64_t> hashes;
    CHECK(hashes.empty());
    // 64 KiB is the first mapping: a million hashes (8 MB) grow it seven times
    constexpr std::uint64_t kCount = 1'000'000;
    for (std::uint64_t k = 0; k < kCount; ++k) hashes.push_back(k * 0x9E3779B97F4A7C15ull);
    REQUIRE(hashes.size() == kCount);
    bool same = true;
    for (std::uint64_t k = 0; k < kCount; ++k) same = same && hashes[k] == k * 0x9E3779B97F4A7C15ull;
    CHECK(same);
    hashes.shrink_to(10);
    CHECK(hashes.size() == 10);
    CHECK(hashes.end() - hashes.begin() == 10);
    hashes.shrink_to(20);  // never longer
    CHECK(hashes.size() == 10);
}

TEST_CASE("a mapped text appends pieces larger than its mapping") {
    MappedArray<char> text;
    std::string expected;
    const std::string big(200 * 1024, 'x');  // more than the first 64 KiB at once
    for (int round = 0; round < 3; ++round) {
        const std::string piece = "line " + std::to_string(round);
        text.append(piece.data(), piece.size());
        text.push_back('\n');
        text.append(big.data(), big.size());
        expected += piece + '\n' + big;
    }
    text.append(nullptr, 0);  // nothing to add
    CHECK(view_of(text) == expected);
}

TEST_CASE("a unit's text views the document's or holds its own, and copies alike") {
    const std::string document_text = "The council approved the new budget on Tuesday.";
    UnitText viewed;
    viewed.borrow(document_text);
    CHECK(viewed == document_text);
    CHECK(viewed.data() == document_text.data());  // no copy
    UnitText held = std::string("Home");
    CHECK(held == "Home");
    CHECK(held.size() == 4);
    UnitText copy = viewed;  // still the document's
    CHECK(copy.data() == document_text.data());
    UnitText moved = std::move(held);  // short text held in place moves with it
    CHECK(moved == "Home");
    copy = std::string("Share");  // held again
    CHECK(copy == "Share");
    CHECK(copy.data() != document_text.data());
    const std::string empty;
    UnitText nothing;
    nothing.borrow(empty);
    CHECK(nothing.empty());
    CHECK(nothing == "");
}

TEST_CASE("a length past what memory can hold is bad_alloc, not a wrapped small mapping") {
    MappedArray<std::uint64_t> hashes;
    hashes.push_back(1);
    std::uint64_t one = 2;
    // size_ + count wraps to 0; count * 8 bytes overflows a size_t
    CHECK_THROWS_AS(hashes.append(&one, static_cast<std::size_t>(-1)), std::bad_alloc);
    CHECK_THROWS_AS(hashes.append(&one, static_cast<std::size_t>(-1) / 4), std::bad_alloc);
    CHECK(hashes.size() == 1);  // unchanged, still usable
    hashes.push_back(3);
    CHECK(hashes.size() == 2);
    CHECK(hashes[1] == 3);
}
