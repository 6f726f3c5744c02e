#!/usr/bin/env bash
# A real PostgreSQL primary and a streaming replica (pg_basebackup, standby), and `hamlet serve`
# with DATABASE_READ_URL on the replica: figures are read there; an account that saves reads its
# own change at once, even while the replica is paused; the others see it once the replica has it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing PostgreSQL (apt)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
swift build --product hamlet >/dev/null
app=.build/debug/hamlet
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
primary=${HAMLET_PG_PORT:-55461}; replica=$((primary + 1)); port=8191
dir=$(mktemp -d /tmp/hamlet-replica.XXXXXX)
chown postgres:postgres "$dir"
pg() { runuser -u postgres -- "$@"; }
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pg "$bin/pg_ctl" -D "$dir/replica" -m fast stop >/dev/null 2>&1 || true
  pg "$bin/pg_ctl" -D "$dir/primary" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
options="-k $dir -c listen_addresses=127.0.0.1 -c fsync=off"
pg "$bin/initdb" -D "$dir/primary" -A trust -E UTF8 >/dev/null
pg "$bin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w -o "-p $primary $options -c wal_level=replica -c max_wal_senders=4" start >/dev/null
psql "postgres://postgres@127.0.0.1:$primary/postgres" -qc "CREATE DATABASE hamlet" >/dev/null
pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/replica" -R -X stream >/dev/null
pg "$bin/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w -o "-p $replica $options -c hot_standby=on -c log_statement=all" start >/dev/null
in_recovery=$(psql "postgres://postgres@127.0.0.1:$replica/postgres" -tAc "SELECT pg_is_in_recovery()")
[ "$in_recovery" = t ] || { echo "FAIL: the replica is not a standby"; exit 1; }
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}'): primary on $primary, streaming replica on $replica"

export DATABASE_URL="postgres://postgres@127.0.0.1:$primary/hamlet" DATABASE_READ_URL="postgres://postgres@127.0.0.1:$replica/hamlet"
$app migrate >/dev/null
$app create-user --username vietso --password "Tram-hoa-nam-2026" --role province-officer --scope 91 >/dev/null
$app create-user --username docso --password "Song-nui-xanh-2026" --role viewer --scope 91 >/dev/null
$app serve --port $port --no-demo > "$dir/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 360); do curl -fs "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.5; done
api="http://127.0.0.1:$port/api/v1"
token() { curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$api/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
writer=$(token vietso Tram-hoa-nam-2026); reader=$(token docso Song-nui-xanh-2026)
post() {
  local out; out=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$api/$2")
  case "$(echo "$out" | tail -1)" in 2*) echo "$out" | sed '$d' ;; *) echo "FAIL: POST $2 answered $out" >&2; exit 1 ;; esac
}
id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
indicator=$(post "$writer" indicators '{"code":"RR","name":"Tỷ lệ đã đào tạo","definition":{"kind":"trained-share"}}' | id)
# "active" of the province as the account asking sees it.
active() { curl -fs -H "Authorization: Bearer $1" "$api/indicators/$indicator/values?unit=91&date=01/06/2026&breakdown=none" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["denominator"])'; }
replayed() { psql "postgres://postgres@127.0.0.1:$replica/postgres" -tAc "SELECT pg_last_wal_replay_lsn() >= '$1'::pg_lsn"; }
caught_up() {
  local lsn; lsn=$(psql "postgres://postgres@127.0.0.1:$primary/postgres" -tAc "SELECT pg_current_wal_lsn()")
  for _ in $(seq 1 100); do [ "$(replayed "$lsn")" = t ] && return 0; sleep 0.1; done
  echo "FAIL: the replica did not catch up"; exit 1
}
passed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL: $1: expected $3, got $2"; exit 1; fi; }

check "the province before anyone is added" "$(active "$reader")" 0
caught_up
# The replica's statement log: a figure read there reads its data versions there (and, when it
# is not kept yet, the tally's sums).
reads_before=$(grep -cE "data_versions|share_tally_sums" "$dir/replica.log" || true)
check "the reader's figure, once the replica has the tally" "$(active "$reader")" 0
reads_after=$(grep -cE "data_versions|share_tally_sums" "$dir/replica.log" || true)
[ "$reads_after" -gt "$reads_before" ] || { echo "FAIL: the reader's figure was not read on the replica"; exit 1; }
passed=$((passed + 1))

# The replica stops replaying: what the primary writes now is not there.
psql "postgres://postgres@127.0.0.1:$replica/postgres" -qc "SELECT pg_wal_replay_pause()" >/dev/null
person=$(post "$writer" people '{"fullName":"Nguyễn Thị Hoa","homeUnitCode":"30292"}' | id)
post "$writer" "people/$person/assignments" '{"unitCode":"30292","domains":["population"],"positionTitle":"Cộng tác viên dân số","employmentKind":"cong-tac-vien","startDate":"01/01/2020"}' >/dev/null
check "the writer's own next read, at once, with the replica paused" "$(active "$writer")" 1
check "another account's read, from the paused replica" "$(active "$reader")" 0
psql "postgres://postgres@127.0.0.1:$replica/postgres" -qc "SELECT pg_wal_replay_resume()" >/dev/null
caught_up
check "another account's read once the replica has the change" "$(active "$reader")" 1
grep -q "ERROR" "$dir/serve.log" && { echo "FAIL: the server logged an error"; grep ERROR "$dir/serve.log" | head; exit 1; }
echo "read-replica: $passed passed, 0 failed"
