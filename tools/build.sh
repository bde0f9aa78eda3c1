#!/usr/bin/env bash
# Installs what is missing (tools/setup.sh), then builds into build/ (Release): every
# target (dconv and its tests), or only the targets named (tools/run.sh builds the tool
# alone: `bash tools/build.sh dconv_cli`). The command line tool is build/dconv. Each
# step says how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."

step_start=0
step() { step_start=$(date +%s%N); }
took() {
    local ms=$((($(date +%s%N) - step_start) / 1000000))
    printf '%s: %d.%d s\n' "$1" $((ms / 1000)) $((ms % 1000 / 100))
}

step; bash tools/setup.sh; took "setup (tools/setup.sh)"
step; cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null; took "configure (cmake)"
targets=()
for target in "$@"; do targets+=(--target "$target"); done
step; cmake --build build -j"$(nproc)" "${targets[@]}"; took "build (${*:-all targets})"
