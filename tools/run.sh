#!/usr/bin/env bash
# The main job: install, build the tool (only the tool: the tests are tools/test.sh's),
# then convert every seed page (seeds/*.txt) into out/ in every output format the
# registry knows (dconv --to all), and list what was written. Each step says how long it
# took.
#
#   bash tools/run.sh           do it
#   bash tools/run.sh --plan    print the commands it would run (`plan: ...`, on standard
#                               error) and run none (tests/run_plan_test.sh checks that it
#                               builds the tool only)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--plan" ]; then
    export DCONV_PLAN=1
elif [ $# -gt 0 ]; then
    echo "usage: bash tools/run.sh [--plan]" >&2
    exit 2
fi

bash tools/build.sh dconv_cli   # the target of build/dconv
if [ -n "${DCONV_PLAN:-}" ]; then
    echo "plan: ./build/dconv --list-formats" >&2
    echo "plan: ./build/dconv --to all -o out/ seeds/*.txt" >&2
    exit 0
fi

echo
echo "Formats:"
./build/dconv --list-formats
echo

mkdir -p out
stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
status=0
start=$(date +%s%N)
./build/dconv --to all -o out/ seeds/*.txt || status=$?
ms=$((($(date +%s%N) - start) / 1000000))
printf 'convert (dconv --to all): %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))

echo
echo "Written:"
find out -type f -newer "$stamp" -printf '%10s bytes  %p\n' | sort -k3
exit "$status"
