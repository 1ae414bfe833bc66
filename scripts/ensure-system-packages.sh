#!/usr/bin/env bash
# Install the Debian packages the tests need (chromium for browser tests, gettext for
# translations) when they are missing. Playwright drives Debian's chromium: it never
# downloads a browser of its own.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# The background jobs' tests send jobs through a real Redis to a real Celery worker.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
# WeasyPrint (the LHE as PDF) needs pango.
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
# ... and HarfBuzz's subsetter to embed fonts (fontTools, its fallback, is several times slower).
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
need_soffice=0
# LibreOffice recalculates exported LKE workbooks in a test, as Excel would.
command -v soffice >/dev/null 2>&1 || need_soffice=1
if [ ${#missing[@]} -eq 0 ] && [ $need_soffice -eq 0 ]; then
  exit 0
fi
if [ $need_soffice -eq 1 ]; then
  missing_all=("${missing[@]}" libreoffice-calc-nogui)
else
  missing_all=("${missing[@]}")
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing_all[*]}. Install them with: sudo apt-get install -y ${missing_all[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing_all[*]}"
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ $need_soffice -eq 1 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui >/dev/null
fi
