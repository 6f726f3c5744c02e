#!/usr/bin/env bash
# Starts Hamlet on a fresh SQLite file with the demo data and drives the main journeys in
# headless Chromium. Installs chromium, chromium-driver (apt) and selenium (PyPI) when absent.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
swift build --product hamlet >/dev/null
work=$(mktemp -d)
export HAMLET_DB="$work/browser.sqlite"
unset DATABASE_URL
.build/debug/hamlet create-user --username trinhduyet --password "Trinh-duyet-2026" --role province-officer --scope 91 >/dev/null
.build/debug/hamlet create-user --username nhanvienthu --password "Nhan-vien-thu-2026" --role caseworker --scope 91 >/dev/null
.build/debug/hamlet create-user --username quantritinh --password "Quan-tri-tinh-2026" --role admin --scope 91 >/dev/null
.build/debug/hamlet serve --port 8183 > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 360); do curl -fs http://127.0.0.1:8183/login >/dev/null && break; sleep 0.5; done
HAMLET_URL=http://127.0.0.1:8183 python3 Tests/browser/journeys.py
