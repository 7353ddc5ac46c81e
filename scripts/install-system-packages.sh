#!/usr/bin/env bash
# Install the Debian/Ubuntu packages babelwire needs, skipping those already installed.
# Usage: scripts/install-system-packages.sh runtime|test
set -euo pipefail

runtime=(python3 python3-venv python3-pip apertium apertium-eng-spa apertium-fr-es
         apertium-eng-cat apertium-fra-cat apertium-eo-en apertium-eo-fr)
testing=(redis-server postgresql chromium)

case "${1:-runtime}" in
  runtime) wanted=("${runtime[@]}") ;;
  test) wanted=("${runtime[@]}" "${testing[@]}") ;;
  *) echo "usage: $0 runtime|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
