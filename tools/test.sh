#!/usr/bin/env bash
# Installs, builds, and runs everything that must pass before a change lands; .ci/run
# runs exactly this:
#   1. the whole test suite (unit, format, golden, validator and CLI tests) on the
#      Release build in build/;
#   2. the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
#      (tools/sanitize.sh, in build-asan/);
#   3. a short fuzz run, about a minute per libFuzzer harness (tools/fuzz.sh --ci, in
#      build-fuzz/): a fixed number of inputs from a fixed seed, so that a failure here
#      is reproduced by the same command on the same commit; it fails on any finding.
#
#   bash tools/test.sh           # all three (about 55 minutes on 2 cores from a fresh clone)
#   bash tools/test.sh --quick   # the first only (about 8 minutes)
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
