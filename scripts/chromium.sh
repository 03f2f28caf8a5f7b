#!/usr/bin/env bash
# The browser tests drive Debian's chromium (npm playwright-core downloads no browser): install it
# when it is missing.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
command -v chromium
