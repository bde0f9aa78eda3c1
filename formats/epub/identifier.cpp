// identifier.cpp: SHA-1, version 5 UUIDs, and the canonical text of a book.
#include "epub/identifier.hpp"

#include <algorithm>
#include <cstring>
#include <variant>

#include "dconv/model.hpp"

namespace dconv::epub {

namespace {

// dconv's UUID namespace for books (a random version 4 UUID, fixed once):
// 97bbd877-c7d0-4735-b752-a98aea6b124a.
constexpr std::array<std::uint8_t, 16> kBookNamespace = {151, 187, 216, 119, 199, 208, 71,  53,
                                                         183, 82,  169, 138, 234, 107, 18,  74};

// Separators of the canonical text: ASCII's record and unit separators, which the model's
// text does not use as text.
constexpr char kRecord = '\x1E';
constexpr char kUnit = '\x1F';

std::uint32_t rotate_left(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void sha1_block(std::array<std::uint32_t, 5>& h, const unsigned char* block) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i)
        w[i] = std::uint32_t(block[4 * i]) << 24 | std::uint32_t(block[4 * i + 1]) << 16 |
               std::uint32_t(block[4 * i + 2]) << 8 | std::uint32_t(block[4 * i + 3]);
    for (int i = 16; i < 80; ++i) w[i] = rotate_left(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
        std::uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6;
        }
        std::uint32_t t = rotate_left(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rotate_left(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void append_meta(const Meta& m, std::string& out) {
    for (const std::string* field : {&m.title, &m.subtitle, &m.date, &m.site, &m.language}) {
        out += *field;
        out += kUnit;
    }
    for (const std::string& a : m.authors) {
        out += a;
        out += kUnit;
    }
    out += kRecord;
}

void append_blocks(const Blocks& blocks, std::string& out) {
    for (const Block& b : blocks) {
        out += static_cast<char>('0' + b.node.index());
        if (const auto* h = std::get_if<Heading>(&b.node)) out += static_cast<char>('0' + h->level);
        out += kUnit;
        out += plain_text(b);
        out += kRecord;
    }
}

}  // namespace

std::array<std::uint8_t, 20> sha1(std::string_view data) {
    std::array<std::uint32_t, 5> h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    std::size_t full = data.size() / 64 * 64;
    for (std::size_t i = 0; i < full; i += 64) sha1_block(h, reinterpret_cast<const unsigned char*>(data.data() + i));
    // The tail, a 1 bit, zeros, and the length in bits: one or two more blocks.
    unsigned char tail[128] = {};
    std::size_t rest = data.size() - full;
    std::memcpy(tail, data.data() + full, rest);
    tail[rest] = 0x80;
    std::size_t tail_size = rest + 1 + 8 <= 64 ? 64 : 128;
    std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
    for (std::size_t i = 0; i < tail_size; i += 64) sha1_block(h, tail + i);
    std::array<std::uint8_t, 20> digest{};
    for (int i = 0; i < 20; ++i) digest[i] = static_cast<std::uint8_t>(h[i / 4] >> (24 - 8 * (i % 4)));
    return digest;
}

std::string uuid_v5(const std::array<std::uint8_t, 16>& namespace_id, std::string_view name) {
    std::string input(reinterpret_cast<const char*>(namespace_id.data()), namespace_id.size());
    input.append(name);
    std::array<std::uint8_t, 20> digest = sha1(input);
    digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0F) | 0x50);  // version 5
    digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xF];
    }
    return out;
}

std::string content_identifier(const Meta& book, const std::vector<const Document*>& chapters,
                               const std::vector<bool>& named_chapters) {
    std::string canonical = "dconv book 1";  // bump if this text's layout changes
    canonical += kRecord;
    append_meta(book, canonical);
    for (std::size_t c = 0; c < chapters.size(); ++c) {
        const Document* chapter = chapters[c];
        if (c < named_chapters.size() && named_chapters[c]) {
            Meta as_written = chapter->meta;  // untitled, as its text is
            as_written.title.clear();
            append_meta(as_written, canonical);
        } else {
            append_meta(chapter->meta, canonical);
        }
        append_blocks(chapter->blocks, canonical);
    }
    return "urn:uuid:" + uuid_v5(kBookNamespace, canonical);
}

}  // namespace dconv::epub
