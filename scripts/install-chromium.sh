#!/usr/bin/env bash
# Install Debian's Chromium for the browser end-to-end test (test/e2e/browser.test.ts) and bench/browser.ts.
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root and apt (CI runs as root on Debian).
# Exit code 0 when chromium is available afterwards, 2 when it cannot be installed here (no apt / not root).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not found; install Chromium by hand (expected at /usr/bin/chromium)" >&2
  exit 2
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-chromium: not root and no passwordless sudo; install Chromium by hand (apt-get install chromium)" >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
# Fonts make the screenshot's legend and labels readable; not fatal if absent.
$SUDO apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null 2>&1 || true
test -x /usr/bin/chromium
