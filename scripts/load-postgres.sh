#!/usr/bin/env bash
# The load of scripts/load-test.py on PostgreSQL with two app instances (release build), the demo
# data loaded by the first. Run under scripts/with-postgres.sh; arguments go to load-test.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/hamlet
[ -x "$bin" ] || swift build -c release --product hamlet
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
$bin serve --port 8381 > "$work/1.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do curl -fs http://127.0.0.1:8381/login >/dev/null && break; sleep 0.5; done
$bin serve --port 8382 --no-demo > "$work/2.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do curl -fs http://127.0.0.1:8382/login >/dev/null && break; sleep 0.5; done
# Fresh demo rows: statistics as autovacuum would have them a minute later.
psql "$DATABASE_URL" -qc "ANALYZE" >/dev/null
password=$(grep -o 'admin / [^ ]*' "$work/1.log" | head -1 | cut -d' ' -f3)
python3 scripts/load-test.py --url http://127.0.0.1:8381,http://127.0.0.1:8382 --password "$password" "$@"
