#!/usr/bin/env bash
# Two `hamlet serve` processes on one PostgreSQL: a login made through one is valid on the
# other, a logout through the other ends it for both, and a figure one instance keeps follows a
# change made through the other. Needs DATABASE_URL (with-postgres.sh).
set -euo pipefail
# grep that reads to the end: with pipefail, `grep -q` quitting early can kill the writer with SIGPIPE.
has() { grep "$@" >/dev/null; }
cd "$(dirname "$0")/.."
base="${DATABASE_URL%/*}"
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS hamlet_two" -c "CREATE DATABASE hamlet_two" >/dev/null
export DATABASE_URL="$base/hamlet_two"
swift build --product hamlet >/dev/null
bin=.build/debug/hamlet
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
$bin migrate >/dev/null
# The first start loaded 24,000 units: their statistics exist before the first request is planned.
[ "$(psql "$DATABASE_URL" -tAc "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'units'")" = t ] \
  || { echo "FAIL: the first start did not ANALYZE what it loaded"; exit 1; }
$bin create-user --username haiphien --password "Hai-phien-2026" --role viewer --scope 91 >/dev/null
$bin create-user --username quanly --password "Quan-ly-hai-phien-2026" --role admin --scope VN >/dev/null
for port in 8181 8182; do
  $bin serve --port $port --no-demo > "$work/$port.log" 2>&1 &
  pids+=($!)
done
for port in 8181 8182; do
  for _ in $(seq 1 360); do curl -fs "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.5; done
done
jar="$work/cookies"
csrf=$(curl -fs -c "$jar" -b "$jar" http://127.0.0.1:8181/login | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data-urlencode "_csrf=$csrf" --data-urlencode "username=haiphien" --data-urlencode "password=Hai-phien-2026" \
  http://127.0.0.1:8181/login)
[ "$code" = 303 ] || { echo "FAIL: login on instance 1 answered $code"; exit 1; }
page=$(curl -s -b "$jar" -w '\n%{http_code}' http://127.0.0.1:8182/me)
[ "$(echo "$page" | tail -1)" = 200 ] && echo "$page" | has "haiphien" \
  || { echo "FAIL: the session from instance 1 is not valid on instance 2"; exit 1; }
csrf2=$(echo "$page" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf2" http://127.0.0.1:8182/logout
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" http://127.0.0.1:8181/me)
[ "$code" = 303 ] || { echo "FAIL: logout on instance 2 did not end the session on instance 1 ($code)"; exit 1; }
$bin backup "$work/x.dump" | has pg_dump || { echo "FAIL: backup on PostgreSQL should point to pg_dump"; exit 1; }

# A figure each instance keeps is still current after a change made through the other.
token() { curl -fs -H 'Content-Type: application/json' -d '{"username":"quanly","password":"Quan-ly-hai-phien-2026"}' "http://127.0.0.1:$1/api/v1/auth/token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
t1=$(token 8181); t2=$(token 8182)
post() { curl -fs -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
indicator=$(post "$t1" http://127.0.0.1:8181/api/v1/indicators '{"code":"HP","name":"Tỷ lệ đã đào tạo","definition":{"kind":"trained-share"}}')
active() { curl -fs -H "Authorization: Bearer $t1" "http://127.0.0.1:8181/api/v1/indicators/$indicator/values?unit=91&date=01/06/2026&breakdown=none" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["denominator"])'; }
[ "$(active)" = 0 ] && [ "$(active)" = 0 ] || { echo "FAIL: the figure on instance 1 before the change"; exit 1; }
person=$(post "$t2" http://127.0.0.1:8182/api/v1/people '{"fullName":"Nguyễn Thị Hoa","homeUnitCode":"30292"}')
post "$t2" "http://127.0.0.1:8182/api/v1/people/$person/assignments" '{"unitCode":"30292","domains":["population"],"positionTitle":"Cộng tác viên dân số","employmentKind":"cong-tac-vien","startDate":"01/01/2020"}' >/dev/null
[ "$(active)" = 1 ] || { echo "FAIL: instance 1 kept a figure after a change made through instance 2"; exit 1; }
echo "two-instances: 5 passed, 0 failed"
