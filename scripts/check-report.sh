#!/usr/bin/env bash
# Checks OUT/report.html in a real browser: opens it from disk in headless Chromium, checks that
# every chart drew, that no network request was made, that hovering a point shows its cell and that
# the legend toggles a series, and writes a screenshot. Not part of mvn verify (CI needs no browser).
#
#   scripts/check-report.sh OUT [SCREENSHOT.png]      (default screenshot: OUT/report-screenshot.png)
#
# Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM=path; installed with apt-get when run as
# root) and node with npm: playwright-core is installed into scripts/check-report/node_modules and
# drives that Chromium; it downloads no browser.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: scripts/check-report.sh OUT [SCREENSHOT.png]}"
shot="${2:-$out/report-screenshot.png}"
report="$out/report.html"
[ -f "$report" ] || { echo "check-report: $report not found (run ./widthlaw report $out first)" >&2; exit 2; }

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "check-report: installing Debian's chromium ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2
  else
    echo "check-report: no Chromium at $chromium; install Debian's package (apt-get install chromium) or set CHROMIUM" >&2
    exit 2
  fi
fi
command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "check-report: node and npm are needed (apt-get install nodejs npm)" >&2; exit 2; }
if [ ! -d "$here/check-report/node_modules/playwright-core" ]; then
  echo "check-report: installing playwright-core into scripts/check-report/node_modules ..." >&2
  (cd "$here/check-report" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent >&2)
fi
CHROMIUM="$chromium" exec node "$here/check-report/check.mjs" "$report" "$shot"
