#!/usr/bin/env bash
# Hamlet under abuse, as a real server: a login flood beside normal traffic (no 500s, no
# starved pool), oversized bodies before sign-in, zip bombs, and the peak memory of a 50 MB
# import (under 300 MB). Debug build, bcrypt at its production cost; a SQLite file, or with
# DATABASE_URL set (with-postgres.sh) a fresh PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product hamlet >/dev/null
bin=$(pwd)/.build/debug/hamlet
work=$(mktemp -d)
export HAMLET_BCRYPT_COST=12
if [ -n "${DATABASE_URL:-}" ]; then
  psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS hamlet_abuse" -c "CREATE DATABASE hamlet_abuse" >/dev/null
  export DATABASE_URL="${DATABASE_URL%/*}/hamlet_abuse"
else
  # What is measured is the server's own memory: SQLite's memory map off, and its page cache
  # (64 MB per connection by default, a database cache the operator sizes) at 16 MB.
  export HAMLET_DB="$work/security.sqlite" HAMLET_SQLITE_MMAP=0 HAMLET_SQLITE_CACHE_MB=16
fi
# glibc gives each thread an arena of its own by default; two keep a small server's memory compact.
export MALLOC_ARENA_MAX=2
$bin migrate >/dev/null
$bin create-user --username quantri --password "Quan-tri-vung-2026" --role admin --scope VN >/dev/null
$bin create-user --username canbo --password "Can-bo-tinh-2026" --role province-officer --scope 91 >/dev/null
$bin serve --port 8185 --no-demo > "$work/serve.log" 2>&1 &
pid=$!
# On a failure the server's last words are printed before its folder goes.
finish() {
  local code=$?
  kill $pid 2>/dev/null || true
  if [ $code -ne 0 ]; then echo "-- the server's log, last 40 lines --"; tail -40 "$work/serve.log" || true; fi
  rm -rf "$work"
}
trap finish EXIT
for _ in $(seq 1 360); do curl -fs http://127.0.0.1:8185/login >/dev/null && break; sleep 0.5; done
HAMLET_URL=http://127.0.0.1:8185 HAMLET_PID=$pid HAMLET_WORK="$work" python3 Tests/security/abuse.py
