#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/) with clang, ASan and UBSan into build-fuzz/,
# seeds their corpora, and runs each harness for SECONDS (default 60).
#
#   bash tools/fuzz.sh            # 60 s per harness, random seed: exploring
#   bash tools/fuzz.sh 1800       # the long run: 30 minutes per harness
#   bash tools/fuzz.sh 60 html    # only the named harnesses
#   bash tools/fuzz.sh --ci       # what CI runs: a fixed number of inputs per harness
#                                 # (about a minute each here) from a fixed seed and a
#                                 # fresh corpus, so that a CI failure is reproduced by
#                                 # running the same command on the same commit
#
# Exits nonzero when any harness finds something (a crash, a sanitizer report, a broken
# property, a timeout, an out-of-memory). Each finding is minimized (crashes) and copied
# to tests/fuzz/regressions/<harness>/, which fuzz_regressions_test replays under ctest:
# fix the bug, keep the file. The corpora grow in build-fuzz/corpus/<harness>/ and are
# reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

ci=0
seconds=60
if [ "${1:-}" = "--ci" ]; then
  ci=1
  shift
elif [ $# -gt 0 ]; then
  seconds="$1"
  shift
fi
harnesses=("$@")
# --ci: how many inputs each harness runs (the seed corpus included), about a minute each
# on one core here; and the cap in seconds that keeps a slower machine's run bounded.
declare -A ci_runs=([webtext]=2000 [markdown]=12000 [html]=1300 [roundtrip]=500)
ci_cap=300
[ ${#harnesses[@]} -gt 0 ] || harnesses=(webtext markdown html roundtrip)

# The harnesses skip larger inputs (kFuzzMaxInput in tests/fuzz/fuzz_targets.hpp).
max_len=65536
# Seconds one input may take before it is a finding (a hang). The slowest seed takes
# about a second under the sanitizers; a long run sharing a busy machine (nice'd) needs
# more, or a starved process reads as a hang: FUZZ_TIMEOUT=120 bash tools/fuzz.sh 1800.
# An input slower than that but within it is not a finding either (libFuzzer would file
# it as a slow-unit artifact at 10 s).
timeout="${FUZZ_TIMEOUT:-10}"
rss_limit_mb=2048

bash tools/setup.sh

build=build-fuzz
bin="$build/tests/fuzz"  # where the harnesses are built
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
# A build type of our own: no -DNDEBUG, so assertions stay on while fuzzing.
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Fuzz -DDCONV_FUZZ=ON -DDCONV_TESTS=OFF \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >"$build/build.log" || { tail -40 "$build/build.log"; exit 1; }

# --------------------------------------------------------------- seed corpora
# Copied fresh each run into seeds/<harness>/ (read only by libFuzzer); what the fuzzer
# learns goes to corpus/<harness>/.
devset=../shared/devset/cases
seed() {  # seed HARNESS FILE...
  local dir="$build/seeds/$1"
  shift
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
  done
}
for h in "${harnesses[@]}"; do
  rm -rf "$build/seeds/$h"
  mkdir -p "$build/seeds/$h" "$build/corpus/$h" "$build/artifacts/$h"
  case "$h" in
    webtext|roundtrip) seed "$h" seeds/*.txt "$devset"/*/page.txt tests/golden/*/*.txt tests/spec/*.md ;;
    markdown) seed "$h" tests/spec/*.md tests/golden/markdown/*.md seeds/*.txt ;;
    html) seed "$h" "$devset"/*/page.html tests/golden/*/*.html tests/golden/*/*.xhtml ;;
  esac
  # and every regression input found so far
  [ -d "tests/fuzz/regressions/$h" ] && seed "$h" tests/fuzz/regressions/"$h"/*
done

# --------------------------------------------------------------- runs
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# leaks inside Debian's libraries (each one explained in the file)
export LSAN_OPTIONS="suppressions=$PWD/tools/lsan.supp:print_suppressions=0"
# One harness per core at a time: each is one process on one core (libFuzzer's default),
# so on 2 cores two run side by side and the stage takes half the time. Each keeps its own
# seed, input count, corpus, log and artifacts: a --ci run does what it did one at a time.
fuzz_one() {  # fuzz_one HARNESS: runs it; its exit status goes to $build/fuzz_HARNESS.rc
  local h=$1 log="$build/fuzz_$1.log" corpus_dir budget rc=0
  rm -f "$build/artifacts/$h"/*
  if [ "$ci" -eq 1 ]; then
    echo "fuzz: $h for ${ci_runs[$h]} inputs from seed 1 (log: $log)"
    corpus_dir="$build/ci-corpus/$h"  # fresh each time, as on a fresh clone
    rm -rf "$corpus_dir"
    mkdir -p "$corpus_dir"
    budget=(-seed=1 -runs="${ci_runs[$h]}" -max_total_time="$ci_cap")
  else
    echo "fuzz: $h for $seconds s (log: $log)"
    corpus_dir="$build/corpus/$h"
    budget=(-max_total_time="$seconds")
  fi
  "$bin/fuzz_$h" "$corpus_dir" "$build/seeds/$h" \
    "${budget[@]}" -max_len="$max_len" -timeout="$timeout" \
    -rss_limit_mb="$rss_limit_mb" -report_slow_units="$timeout" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$h/" >"$log" 2>&1 || rc=$?
  echo "$rc" >"$build/fuzz_$h.rc"
}
running=0
for h in "${harnesses[@]}"; do
  if [ "$running" -ge "$(nproc)" ]; then wait -n || true; running=$((running - 1)); fi
  rm -f "$build/fuzz_$h.rc"
  fuzz_one "$h" &
  running=$((running + 1))
done
wait

status=0
summary=()
for h in "${harnesses[@]}"; do
  log="$build/fuzz_$h.log"
  rc=$(cat "$build/fuzz_$h.rc" 2>/dev/null || echo 1)
  if [ "$ci" -eq 1 ]; then corpus_dir="$build/ci-corpus/$h"; else corpus_dir="$build/corpus/$h"; fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  corpus=$(find "$corpus_dir" -type f | wc -l)
  found=0
  for artifact in "$build/artifacts/$h"/*; do
    [ -f "$artifact" ] || continue
    found=$((found + 1))
    name=$(basename "$artifact")
    mkdir -p "tests/fuzz/regressions/$h"
    case "$name" in
      crash-*|leak-*)
        # the smallest input that still fails, within a minute
        "$bin/fuzz_$h" -minimize_crash=1 -max_total_time=60 -timeout="$timeout" \
          -exact_artifact_path="tests/fuzz/regressions/$h/$name" "$artifact" >"$build/minimize_$name.log" 2>&1 || true
        [ -f "tests/fuzz/regressions/$h/$name" ] || cp "$artifact" "tests/fuzz/regressions/$h/$name" ;;
      *) cp "$artifact" "tests/fuzz/regressions/$h/$name" ;;
    esac
    echo "fuzz: $h: FINDING $name -> tests/fuzz/regressions/$h/$name"
  done
  if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
    status=1
    echo "fuzz: $h FAILED (exit $rc); the end of $log:"
    tail -40 "$log"
  fi
  summary+=("$(printf '%-10s %12s execs  %6s corpus files  %s finding(s)  exit %s' "$h" "${execs:-?}" "$corpus" "$found" "$rc")")
done

if [ "$ci" -eq 1 ]; then echo "fuzz: fixed runs from seed 1 (--ci)"; else echo "fuzz: $seconds s per harness"; fi
printf '  %s\n' "${summary[@]}"
exit "$status"
