// cpu_clock.hpp: the CPU time of the calling thread, for the tests that compare the work
// of one input with that of a bigger one (linearity guards, not benchmarks: speed is
// measured by tools/bench.sh).
//
// Wall-clock time counts whatever else the machine runs: under ctest -j2 next to a
// loaded machine, the best of three runs of a small input can still be stretched, and a
// ratio of two wall times then says nothing about the algorithm. The thread's own CPU
// time counts only its work (and the caches it misses).
#pragma once

#include <time.h>

namespace dconv::test {

inline double thread_cpu_seconds() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The CPU seconds `work` takes on this thread.
template <typename Work>
double cpu_seconds_of(Work&& work) {
    double start = thread_cpu_seconds();
    work();
    return thread_cpu_seconds() - start;
}

// The fewest CPU seconds `work` takes in `runs` runs: the run least disturbed by the
// machine's other work.
template <typename Work>
double best_cpu_seconds_of(int runs, Work&& work) {
    double best = cpu_seconds_of(work);
    for (int run = 1; run < runs; ++run) {
        const double seconds = cpu_seconds_of(work);
        if (seconds < best) best = seconds;
    }
    return best;
}

}  // namespace dconv::test
