#include "clean/unit_tokens.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace dconv::clean {

namespace {

// A word's learned weights as an element's own word and as an ancestor's (0: not
// learned in that place), sorted by hash.
struct TokenWeight {
    std::uint64_t hash;
    float own;
    float up;
};
#include "clean/unit_tokens_data.inc"

void summarise(std::vector<std::uint64_t>& hashes, bool own, float* out) {
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    float sum = 0, least = 0, most = 0;
    int known = 0;
    for (std::uint64_t h : hashes) {
        bool k = false;
        const float w = class_token_weight(h, own, k);
        if (!k) continue;
        sum += w;
        least = known ? std::min(least, w) : w;
        most = known ? std::max(most, w) : w;
        ++known;
    }
    out[0] = sum;
    out[1] = least;
    out[2] = most;
    out[3] = std::log1p(static_cast<float>(known));
}

}  // namespace

float class_token_weight(std::uint64_t hash, bool own, bool& known) {
    const auto* end = std::end(kClassTokenWeights);
    const auto* it = std::lower_bound(std::begin(kClassTokenWeights), end, hash,
                                      [](const TokenWeight& t, std::uint64_t h) { return t.hash < h; });
    const float w = it != end && it->hash == hash ? (own ? it->own : it->up) : 0.0f;
    known = w != 0.0f;
    return w;
}

void class_token_features(std::vector<std::uint64_t>& own, std::vector<std::uint64_t>& up, float* out) {
    summarise(own, true, out);
    summarise(up, false, out + 4);
}

}  // namespace dconv::clean
