#!/usr/bin/env bash
# The `hamlet` command as a user types it, on a fresh SQLite file: first and second start,
# create-user, import-hamlets (a good file, then a bad one that stores nothing), backup.
set -uo pipefail
cd "$(dirname "$0")/.."
swift build --product hamlet >/dev/null || exit 1
bin=$(pwd)/.build/debug/hamlet
work=$(mktemp -d)
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
export HAMLET_DB="$work/cli.sqlite"
unset DATABASE_URL
passed=0; failed=0
check() { if eval "$2"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $1"; fi; }

pid=""
start() {
  local began=$(date +%s.%N)
  $bin serve --port 8184 "$@" > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -fs http://127.0.0.1:8184/login >/dev/null && break; sleep 0.1; done
  took=$(echo "$(date +%s.%N) - $began" | bc)
}
start; first=$took; kill $pid; wait $pid 2>/dev/null
check "first start prints the demo login" "grep -q 'admin / an-giang-' '$work/serve.log'"
check "first start prints the URL" "grep -q 'http://127.0.0.1:8184/' '$work/serve.log'"
start; second=$took; kill $pid; wait $pid 2>/dev/null
check "a later start loads nothing again" "! grep -q 'admin / ' '$work/serve.log'"
echo "start-up: first ${first}s (units + demo), later ${second}s"

check "create-user refuses a common password" "! $bin create-user --username kiemtra --password 12345678 --role viewer --scope 91 >/dev/null 2>&1"
check "create-user makes an account" "$bin create-user --username kiemtra --password 'Kiem-tra-2026' --role viewer --scope 91 | grep -q 'Đã tạo'"

printf 'Mã xã,Tên thôn,Loại\n30313,Ấp Một,Ấp\n30313,Ấp Hai,Ấp\n' > "$work/good.csv"
printf 'Mã xã,Tên thôn,Loại\n30313,Ấp Ba,Ấp\n99999,Ấp Lạ,Ấp\n30313,,Ấp\n' > "$work/bad.csv"
check "import-hamlets stores a good file" "$bin import-hamlets '$work/good.csv' | grep -q '2 thôn mới'"
check "import-hamlets twice changes nothing" "$bin import-hamlets '$work/good.csv' | grep -q '0 thôn mới, 2 đã có'"
$bin import-hamlets "$work/bad.csv" > "$work/bad.out" 2>&1; code=$?
check "import-hamlets refuses a bad file" "[ $code -ne 0 ]"
check "import-hamlets names every bad line" "grep -q 'Dòng 3' '$work/bad.out' && grep -q 'Dòng 4' '$work/bad.out'"
check "the bad file stored nothing" "[ \$(sqlite3 '$HAMLET_DB' \"select count(*) from units where name='Ấp Ba'\") = 0 ]"

$bin serve --port 8184 --no-demo > "$work/serve.log" 2>&1 &
pid=$!
sleep 2
check "backup while serving" "$bin backup '$work/copy.sqlite' | grep -q 'Đã sao lưu'"
check "the backup is a whole database" "[ \$(sqlite3 '$work/copy.sqlite' 'select count(*) from units where level=\"province\"') -ge 97 ]"
check "backup never overwrites" "! $bin backup '$work/copy.sqlite' >/dev/null 2>&1"
check "--help lists the commands" "$bin --help | grep -q import-hamlets"
echo "cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
