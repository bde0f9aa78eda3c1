// thread_pool.hpp: the batch's pool of workers: each takes the next input until none is
// left, so a slow input holds up one worker only.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <system_error>
#include <thread>
#include <vector>

namespace dconv::batch {

// Runs body(0..count-1) on `jobs` threads (the calling one included). body never throws.
template <class Body>
void parallel_for(std::size_t count, unsigned jobs, Body body) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < count;) body(i);
    };
    std::vector<std::jthread> threads;
    std::size_t extra = std::min<std::size_t>(jobs, count);
    for (std::size_t t = 1; t < extra; ++t) {
        try {
            threads.emplace_back(worker);
        } catch (const std::system_error&) {
            break;  // out of threads: the ones running (and this one) do the rest
        }
    }
    worker();
}

}  // namespace dconv::batch
