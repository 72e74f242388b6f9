#!/usr/bin/env bash
# Installs the Debian packages the project needs, and only those that are missing.
#   scripts/setup.sh        what building and running needs
#   scripts/setup.sh test   that, plus what the tests need
set -euo pipefail

runtime=(pkg-config libxml2-dev openssl curl monitoring-plugins postgresql libjs-dygraphs)
testing=(telnet dnsmasq iproute2 chromium fonts-dejavu-core prometheus-alertmanager)

wanted=("${runtime[@]}")
if [[ "${1:-}" == "test" ]]; then wanted+=("${testing[@]}"); fi

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  apt=(apt-get)
elif command -v sudo >/dev/null; then
  apt=(sudo apt-get)
else
  echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
