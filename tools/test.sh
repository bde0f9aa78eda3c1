#!/usr/bin/env bash
# Installs, builds, and runs everything that must pass before a change lands; .ci/run
# runs exactly this:
#   1. the whole test suite (unit, format, golden, validator and CLI tests) on the
#      Release build in build/;
#   2. the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
#      (tools/sanitize.sh, in build-asan/);
#   3. a short fuzz run, about a minute per libFuzzer harness, two at a time on 2 cores
#      (tools/fuzz.sh --ci, in build-fuzz/): a fixed number of inputs from a fixed seed,
#      so that a failure here is reproduced by the same command on the same commit; it
#      fails on any finding.
#
#   bash tools/test.sh           # all three (about 45 minutes on 2 cores from a fresh clone)
#   bash tools/test.sh --quick   # the first only (about 10 minutes)
#
# Where the time goes (CPU seconds, 2026-12-07; a 2-core run takes about half of each
# parallel stage's): the Release build 650 and its suite 530 (the longest tests, started
# first: scaling_test, bad_input_test, jsonl_test's Dask run); the sanitizer build 1,450
# (-g1 and the tests' own code -O1; with -g and -O2 throughout about 2,350, estimated
# from two translation units compiled both ways; 754 s of wall time here), then its suite
# (911 s of wall time until bad_input_test's corpus took 790 s of it, for a quadratic count
# in the HTML unit features; its corpus now takes 302 s under the sanitizers, the suite
# about 7 minutes); the fuzz build about 600 and four fixed runs of about a minute each.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1
start=$(date +%s)
stage() { echo "test: $1 ($(( $(date +%s) - start )) s so far)"; }

bash tools/build.sh
stage "the test suite"
ctest --test-dir build --output-on-failure -j2
if [ "$quick" -eq 1 ]; then
  stage "done (--quick: sanitizers and fuzzing skipped)"
  exit 0
fi

stage "the test suite under ASan and UBSan"
bash tools/sanitize.sh
stage "fuzzing, a fixed run per harness"
bash tools/fuzz.sh --ci
stage "done"
