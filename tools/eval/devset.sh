#!/bin/sh
# tools/eval/devset.sh [DCONV] [OPTIONS...]: the 60 dev-set pages (../shared/devset), from
# page.txt and from page.html, each folder as one batch to Markdown (as devset_test does),
# scored with the dev set's scorer. The page and unit models never saw these pages nor their
# sites (trained on ../shared/wcxb and ../shared/magic less the dev set's sites).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
dconv=${1:-$here/build/dconv}
[ $# -gt 0 ] && shift
devset=${DEVSET:-$here/../shared/devset}
[ -d "$devset/cases" ] || { echo "$devset: not found, nothing measured"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for page in page.txt page.html; do
    ext=${page#page.}
    mkdir -p "$work/in-$ext"
    for c in "$devset"/cases/*/; do
        id=$(basename "$c")
        [ -f "$c$page" ] && ln -s "$c$page" "$work/in-$ext/$id.$ext"
    done
    "$dconv" -q --to md -o "$work/out-$ext/" "$@" "$work/in-$ext" || true
    printf '%s: ' "$page"
    python3 "$devset/score.py" "$devset/cases" "$work/out-$ext" | grep -i -m3 -E 'all|F1' | tr '\n' ' '
    echo
done
