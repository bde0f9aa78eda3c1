#!/usr/bin/env bash
# Installs what is missing (tools/setup.sh), then builds dconv and its tests into build/.
# The command line tool is build/dconv.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
