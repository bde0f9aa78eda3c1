#!/usr/bin/env bash
# Installs, builds, and runs the whole test suite (unit, format, golden and CLI tests).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/build.sh
ctest --test-dir build --output-on-failure -j2
