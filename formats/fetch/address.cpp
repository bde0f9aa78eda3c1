// address.cpp: which numeric addresses a page fetched from the web must not make dconv
// reach (the SSRF rule of fetch.hpp). URLs are resolved in core/url.cpp.
#include "dconv/fetch.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>

namespace dconv {

namespace {

struct Range4 {
    std::uint32_t network;
    int prefix;
};

// Everything that is not the public internet (IANA's special-purpose registry): the
// loopback, private networks, link-local, shared (carrier NAT), documentation, benchmark,
// multicast, reserved and broadcast ranges.
constexpr std::array<Range4, 14> kNonPublic4 = {{
    {0x00000000, 8},   // 0.0.0.0/8 "this network" (0.0.0.0 reaches the local host)
    {0x0A000000, 8},   // 10/8
    {0x64400000, 10},  // 100.64/10 shared address space
    {0x7F000000, 8},   // 127/8 loopback
    {0xA9FE0000, 16},  // 169.254/16 link-local (cloud metadata services live here)
    {0xAC100000, 12},  // 172.16/12
    {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
    {0xC0000200, 24},  // 192.0.2/24 documentation
    {0xC0A80000, 16},  // 192.168/16
    {0xC6120000, 15},  // 198.18/15 benchmarking
    {0xC6336400, 24},  // 198.51.100/24 documentation
    {0xCB007100, 24},  // 203.0.113/24 documentation
    {0xE0000000, 4},   // 224/4 multicast
    {0xF0000000, 4},   // 240/4 reserved, and 255.255.255.255
}};

bool private4(std::uint32_t a) {
    for (const Range4& r : kNonPublic4) {
        std::uint32_t mask = r.prefix == 0 ? 0 : ~std::uint32_t(0) << (32 - r.prefix);
        if ((a & mask) == r.network) return true;
    }
    return false;
}

std::uint32_t embedded4(const unsigned char* b) {
    return std::uint32_t(b[12]) << 24 | std::uint32_t(b[13]) << 16 | std::uint32_t(b[14]) << 8 | b[15];
}

bool private6(const unsigned char* b) {
    bool first80_zero = true;
    for (int i = 0; i < 10; ++i) first80_zero &= b[i] == 0;
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, which covers :: and ::1): the
    // IPv4 address decides.
    if (first80_zero && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
        return private4(embedded4(b));  // :: and ::1 are 0.0.0.0/8
    // 64:ff9b::/96, NAT64: the IPv4 address it translates to decides.
    static constexpr unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (std::equal(kNat64, kNat64 + 12, b)) return private4(embedded4(b));
    if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique local
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // fec0::/10 site-local (old)
    if (b[0] == 0xff) return true;                           // ff00::/8 multicast
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // 2001:db8::/32 documentation
    if (b[0] == 0x01 && b[1] == 0x00 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 &&
        b[6] == 0 && b[7] == 0)
        return true;  // 100::/64 discard
    return false;
}

}  // namespace

bool is_private_address(const std::string& address) {
    unsigned char bytes[16];
    if (::inet_pton(AF_INET, address.c_str(), bytes) == 1)
        return private4(std::uint32_t(bytes[0]) << 24 | std::uint32_t(bytes[1]) << 16 |
                        std::uint32_t(bytes[2]) << 8 | bytes[3]);
    if (::inet_pton(AF_INET6, address.c_str(), bytes) == 1) return private6(bytes);
    return true;  // not an address: never trusted
}

}  // namespace dconv
