#!/usr/bin/env bash
# The main job: install, build, then convert every seed page (seeds/*.txt) into out/ in
# every output format the registry knows (dconv --to all), and list what was written.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/build.sh

echo
echo "Formats:"
./build/dconv --list-formats
echo

mkdir -p out
stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
status=0
./build/dconv --to all -o out/ seeds/*.txt || status=$?

echo
echo "Written:"
find out -type f -newer "$stamp" -printf '%10s bytes  %p\n' | sort -k3
exit "$status"
