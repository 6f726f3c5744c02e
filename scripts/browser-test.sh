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
# The offline journeys (Tests/browser/offline.py): three collaborators of Phường Bình Đức and its officer
# (hamlets are demo data, there once the server has started).
.build/debug/hamlet create-user --username ctvthu --password "Cong-tac-vien-2026" --role collaborator --scope 30292-003 >/dev/null
.build/debug/hamlet create-user --username ctvthu2 --password "Cong-tac-vien-2026" --role collaborator --scope 30292-004 >/dev/null
.build/debug/hamlet create-user --username ctvthu3 --password "Cong-tac-vien-2026" --role collaborator --scope 30292-005 >/dev/null
.build/debug/hamlet create-user --username xathu --password "Can-bo-xa-2026" --role commune-officer --scope 30292 >/dev/null
status=0
HAMLET_URL=http://127.0.0.1:8183 python3 Tests/browser/journeys.py || status=1
HAMLET_URL=http://127.0.0.1:8183 python3 Tests/browser/offline.py || status=1
HAMLET_URL=http://127.0.0.1:8183 python3 Tests/browser/phone.py || status=1
exit $status
