#!/usr/bin/env bash
# The whole test suite: unit tests (vitest), then the e2e suite on the real bed (Kamailio,
# rtpengine, baresip, sipp, Debian Chromium) inside a network namespace that has only `lo`.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1

npm run --silent typecheck || exit 1
npm run --silent build >/dev/null || { echo "build failed"; exit 1; }

unit_status=0
npx vitest run --reporter=default 2>&1 | tee /tmp/webphone-unit.log || unit_status=$?
e2e_status=0
node e2e/run.mjs 2>&1 | tee /tmp/webphone-e2e.log || e2e_status=$?

# One closing line for both runners.
strip() { sed 's/\x1b\[[0-9;]*m//g' "$1"; }
unit_pass=$(strip /tmp/webphone-unit.log | sed -n 's/^ *Tests *\([0-9]*\) passed.*/\1/p' | tail -1)
unit_fail=$(strip /tmp/webphone-unit.log | sed -n 's/^ *Tests *\([0-9]*\) failed.*/\1/p' | tail -1)
e2e_pass=$(strip /tmp/webphone-e2e.log | sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' | tail -1)
e2e_fail=$(strip /tmp/webphone-e2e.log | sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' | tail -1)
passed=$(( ${unit_pass:-0} + ${e2e_pass:-0} ))
failed=$(( ${unit_fail:-0} + ${e2e_fail:-0} ))
if [ "$unit_status" != 0 ] || [ "$e2e_status" != 0 ]; then
  [ "$failed" = 0 ] && failed=1
fi
echo "${passed} passed, ${failed} failed"
[ "$failed" = 0 ]
