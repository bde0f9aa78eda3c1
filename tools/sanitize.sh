#!/usr/bin/env bash
# Builds dconv and its whole test suite with AddressSanitizer and UndefinedBehaviorSanitizer
# into build-asan/, then runs ctest there. Tests that spawn the dconv command find it
# through DCONV_BINARY_DIR, so they run the sanitized binary too. Any sanitizer report
# aborts the process (-fno-sanitize-recover, halt_on_error), which fails its test.
#
#   bash tools/sanitize.sh            # build and run everything
#   bash tools/sanitize.sh -R jsonl   # extra arguments go to ctest
#
# Nothing is excluded: the memory-measuring checks skip themselves under ASan (see
# tests/unit/jsonl_test.cpp), the rest just run slower (crash_safety_test, bad_input_test
# and jsonl_test take the longest). Where a test repeats work whose result does not
# depend on the build, it does less of it here, never less of dconv's code: jsonl_test's
# Dask run converts each of its pages in seven records, not 10,000 records in all, and
# epubcheck (a JVM, 3 s of CPU a file) checks one EPUB per call (epub_test_support.hpp)
# of those the Release suite checked all of.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh

flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
# RelWithDebInfo: optimized enough that the slow tests stay bearable, with line numbers
# in the reports: -g1, line tables only (a report still names each frame's file:line,
# inlined frames too), which compiles faster than -g's full debug information.
# DCONV_TEST_CXX_FLAGS=-O1: the test programs' own code (not the library they test, nor
# the programs with timed cases) compiled -O1, in about half the time (tests/CMakeLists.txt).
# DCONV_STATIC_DEPS=OFF: the command linked with the shared libraries, as the test programs
# are: the sanitizers check dconv's code, and their runtime wants the C++ runtime shared.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCONV_STATIC_DEPS=OFF \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DDCONV_TEST_CXX_FLAGS="-O1" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
cmake --build build-asan -j"$(nproc)"

# detect_leaks: LeakSanitizer runs at exit of every test program and dconv process.
# Child processes (the dconv command, install_test's example) inherit these.
# detect_stack_use_after_return is left off: it doubles the time of the slow tests.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# leaks inside Debian's libraries (each one explained in the file)
export LSAN_OPTIONS="suppressions=$PWD/tools/lsan.supp:print_suppressions=0"

# Test cases with a time budget ("hostile inputs finish fast", "a megabyte paragraph sets
# in well under two seconds", ...) run last, one at a time: under ASan they take about
# half their budget alone, and over it when another slow test shares the two cores.
timed="finish fast|well under two seconds"
start=$(date +%s)
status=0
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" --timeout 1800 -E "$timed" "$@" || status=$?
ctest --test-dir build-asan --output-on-failure -j1 --timeout 600 -R "$timed" "$@" || status=$?
echo "sanitize: ctest finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
