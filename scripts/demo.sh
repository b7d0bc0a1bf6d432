#!/usr/bin/env bash
# Runs the phone with a local demo SIP server and demo accounts (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run --silent build >/dev/null
exec node e2e/demo.mjs
