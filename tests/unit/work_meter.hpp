// work_meter.hpp: the work a piece of code does, for the tests that compare the work of
// one input with that of an input 8 times bigger (complexity guards, not benchmarks:
// speed is measured by tools/bench.sh). Linear work gives about 8; quadratic 64.
//
// The work is the count of instructions retired in user space (perf_event_open): it does
// not depend on what else the machine runs nor on the caches a bigger input outgrows, so
// a bound of 9 times holds for linear work. Where the machine gives no hardware counters
// (most virtual machines, containers with a strict perf_event_paranoid), the meter falls
// back to the process's CPU time, which caches and a shared machine distort: its callers
// then apply a looser bound (max_ratio).
#pragma once

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ctime>

namespace dconv::test {

// Instructions retired by this process in user space, or (without counters) its CPU
// time in nanoseconds.
class WorkMeter {
public:
    WorkMeter() {
        perf_event_attr attr {};
        attr.type = PERF_TYPE_HARDWARE;
        attr.size = sizeof attr;
        attr.config = PERF_COUNT_HW_INSTRUCTIONS;
        attr.exclude_kernel = 1;
        attr.exclude_hv = 1;
        attr.inherit = 1;  // threads a writer may start count too
        fd_ = static_cast<int>(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
    }
    ~WorkMeter() {
        if (fd_ >= 0) ::close(fd_);
    }
    WorkMeter(const WorkMeter&) = delete;
    WorkMeter& operator=(const WorkMeter&) = delete;

    bool counts_instructions() const { return fd_ >= 0; }
    const char* unit() const { return fd_ >= 0 ? "instructions" : "CPU ns"; }
    // Work at 8 times the input within this many times the work: instructions, or without
    // counters CPU time (linear readings measured 6 to 11.4 times on a loaded machine;
    // quadratic work 57 to 64 times). scaling_test, which runs the whole command at 1 to
    // 8 MB, keeps its own bounds.
    static constexpr double kMaxInstructionRatio = 9.0;
    static constexpr double kMaxCpuTimeRatio = 16.0;
    double max_ratio() const { return fd_ >= 0 ? kMaxInstructionRatio : kMaxCpuTimeRatio; }

    double now() const {
        if (fd_ >= 0) {
            long long count = 0;
            if (::read(fd_, &count, sizeof count) == sizeof count) return static_cast<double>(count);
        }
        timespec t {};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
    }

    template <class Work>
    double measure(Work work) const {
        double start = now();
        work();
        return now() - start;
    }

    // The least work of `runs` runs: the run least disturbed by the machine's other work.
    template <class Work>
    double least_of(int runs, Work work) const {
        double best = measure(work);
        for (int run = 1; run < runs; ++run) {
            const double w = measure(work);
            if (w < best) best = w;
        }
        return best;
    }

private:
    int fd_ = -1;
};

}  // namespace dconv::test
