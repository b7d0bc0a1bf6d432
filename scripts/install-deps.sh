#!/usr/bin/env bash
# Installs what the phone's build, demo and tests need on Debian 12, as root: the Debian
# packages of the test bed (only those missing) and the npm packages (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  kamailio kamailio-websocket-modules kamailio-tls-modules  # registrar/proxy over UDP, WS, WSS
  kamailio-presence-modules  # presence, pua, *_dialoginfo: busy lamps (tables: db_text, in kamailio)
  rtpengine-daemon   # userspace WebRTC <-> RTP bridge (not the `rtpengine` meta package: kernel module)
  baresip-core       # a plain-SIP desk phone
  sip-tester         # sipp
  coturn             # TURN relay over UDP, TCP and TLS (corporate networks)
  chromium           # Debian's browser, driven by playwright-core
  openssl iproute2 util-linux  # test certificate, `ip`, `unshare`
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "Missing Debian packages: ${missing[*]}. Run this as root (or install them) first." >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # Services these packages ship are not used: the bed starts its own processes on loopback.
  apt-get install -y -q "${missing[@]}"
fi

# Exactly the locked versions (package-lock.json lists every platform's optional native
# packages, so `npm ci` accepts it on any machine). Skipped when node_modules is at least as new
# as the lock; `npm ci` replaces node_modules whole. patch-package runs in its postinstall.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
