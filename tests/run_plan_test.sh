#!/usr/bin/env bash
# run_plan_test.sh SOURCE_DIR: the first run (tools/run.sh, issue 16) builds only what it
# runs, the dconv command, not the test suite. `tools/run.sh --plan` prints the commands
# it would run (tools/build.sh's own, the same code path as a real run) without running
# them; this checks them. Fails if run.sh builds every target again (a build line without
# --target), or any target but dconv_cli.
set -euo pipefail
source_dir=$1
plan=$(cd "$source_dir" && bash tools/run.sh --plan 2>&1 >/dev/null | grep '^plan: ' || true)
fail() { echo "run_plan_test: $*"; echo "the plan was:"; echo "$plan"; exit 1; }

[ -n "$plan" ] || fail "tools/run.sh --plan printed no plan"
builds=$(grep -c '^plan: cmake --build ' <<<"$plan" || true)
[ "$builds" -eq 1 ] || fail "expected one build command, found $builds"
build=$(grep '^plan: cmake --build ' <<<"$plan")
targets=$( (grep -o -- '--target [^ ]*' <<<"$build" || true) | cut -d' ' -f2 | tr '\n' ' ')
[ "$targets" = "dconv_cli " ] || fail "the build names targets '${targets:-(none: all)}', not the dconv tool (dconv_cli) alone"
grep -q '^plan: bash tools/setup.sh' <<<"$plan" || fail "no setup step (tools/setup.sh)"
grep -q '^plan: \./build/dconv --to all ' <<<"$plan" || fail "no conversion of the seeds with the built tool"
# The setup comes before the build, and the build before the conversion.
order=$(grep -n -e '^plan: bash tools/setup.sh' -e '^plan: cmake --build' -e '^plan: \./build/dconv --to all' <<<"$plan" | cut -d: -f1 | tr '\n' ' ')
[ "$order" = "$(sort -n <<<"${order// /$'\n'}" | grep . | tr '\n' ' ')" ] || fail "steps out of order"
echo "run_plan_test: tools/run.sh builds ${targets% } only"
