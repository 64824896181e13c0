#!/usr/bin/env bash
# The browser tests drive Debian's headless Chromium through its ChromeDriver. A fresh machine has neither until
# the project installs them (packages chromium and chromium-driver, from Debian's registry).
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "chromium and chromium-driver are missing and there is no sudo to install them" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing Debian's chromium and chromium-driver for the browser tests"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
