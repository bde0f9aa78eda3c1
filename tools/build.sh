#!/usr/bin/env bash
# Installs what is missing (tools/setup.sh), then builds into build/ (Release): every
# target (dconv and its tests), or only the targets named (tools/run.sh builds the tool
# alone: `bash tools/build.sh dconv_cli`). The command line tool is build/dconv. Each
# step says how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."

# DCONV_PLAN=1: print each command (`plan: ...`) instead of running it (tools/run.sh
# --plan; tests/run_plan_test.sh checks what the first run would build).
run() {
    if [ -n "${DCONV_PLAN:-}" ]; then printf 'plan: %s\n' "$*" >&2; else "$@"; fi
}

step_start=0
step() { step_start=$(date +%s%N); }
took() {
    local ms=$((($(date +%s%N) - step_start) / 1000000))
    printf '%s: %d.%d s\n' "$1" $((ms / 1000)) $((ms % 1000 / 100))
}

step; run bash tools/setup.sh; took "setup (tools/setup.sh)"
step; run cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null; took "configure (cmake)"
targets=()
for target in "$@"; do targets+=(--target "$target"); done
step; run cmake --build build -j"$(nproc)" "${targets[@]}"; took "build (${*:-all targets})"
