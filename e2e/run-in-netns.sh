#!/usr/bin/env bash
# Runs a command inside a private network namespace that has only `lo`, so that nothing the
# tests start (Kamailio, rtpengine, baresip, Chromium's WebRTC) can send a packet off this machine.
set -euo pipefail
if [ "${WEBPHONE_NETNS:-}" = "1" ]; then exec "$@"; fi
if [ "$(id -u)" != "0" ]; then
  echo "The e2e suite needs root to create a network namespace (unshare --net)." >&2
  exit 1
fi
exec unshare --net -- env WEBPHONE_NETNS=1 bash -c 'ip link set lo up && exec "$@"' netns "$@"
