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
# grep that reads to the end: with pipefail, `grep -q` quitting early can kill the writer with SIGPIPE.
has() { grep "$@" >/dev/null; }
check() { if eval "$2"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $1"; fi; }

pid=""
start() {
  local began=$(date +%s.%N)
  $bin serve --port 8184 "$@" > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1800); do curl -fs http://127.0.0.1:8184/login >/dev/null && break; sleep 0.1; done
  took=$(echo "$(date +%s.%N) - $began" | bc)
}
start; first=$took; kill $pid; wait $pid 2>/dev/null
cp "$work/serve.log" "$work/first.log"
check "first start prints the demo login" "grep -q 'admin / an-giang-' '$work/serve.log'"
check "first start prints the URL" "grep -q 'http://127.0.0.1:8184/' '$work/serve.log'"
start; second=$took; kill $pid; wait $pid 2>/dev/null
check "a later start loads nothing again" "! grep -q 'admin / ' '$work/serve.log'"
echo "start-up: first ${first}s (units + demo), later ${second}s"

check "create-user refuses a common password" "! $bin create-user --username kiemtra --password 12345678 --role viewer --scope 91 >/dev/null 2>&1"
check "create-user makes an account" "$bin create-user --username kiemtra --password 'Kiem-tra-2026' --role viewer --scope 91 | grep 'Đã tạo' >/dev/null"

printf 'Mã xã,Tên thôn,Loại\n30313,Ấp Một,Ấp\n30313,Ấp Hai,Ấp\n' > "$work/good.csv"
printf 'Mã xã,Tên thôn,Loại\n30313,Ấp Ba,Ấp\n99999,Ấp Lạ,Ấp\n30313,,Ấp\n' > "$work/bad.csv"
check "import-hamlets stores a good file" "$bin import-hamlets '$work/good.csv' | grep '2 thôn mới' >/dev/null"
check "import-hamlets twice changes nothing" "$bin import-hamlets '$work/good.csv' | grep '0 thôn mới, 2 đã có' >/dev/null"
$bin import-hamlets "$work/bad.csv" > "$work/bad.out" 2>&1; code=$?
check "import-hamlets refuses a bad file" "[ $code -ne 0 ]"
check "import-hamlets names every bad line" "grep -q 'Dòng 3' '$work/bad.out' && grep -q 'Dòng 4' '$work/bad.out'"
check "the bad file stored nothing" "[ \$(sqlite3 '$HAMLET_DB' \"select count(*) from units where name='Ấp Ba'\") = 0 ]"

$bin serve --port 8184 --no-demo > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 1800); do curl -fs http://127.0.0.1:8184/login >/dev/null && break; sleep 0.1; done
check "backup while serving" "$bin backup '$work/copy.sqlite' | grep 'Đã sao lưu' >/dev/null"
check "the backup is a whole database" "[ \$(sqlite3 '$work/copy.sqlite' 'select count(*) from units where level=\"province\"') -ge 97 ]"
check "backup never overwrites" "! $bin backup '$work/copy.sqlite' >/dev/null 2>&1"
# Slow links: pages compressed for a browser that asks, the site's files versioned and kept.
login=http://127.0.0.1:8184/login
check "a page goes compressed" "curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' $login | has -i '^content-encoding: gzip'"
version=$(curl -s $login | grep -o 'hamlet.css?v=[0-9a-f]*' | head -1 | cut -d= -f2)
check "the page links its files by version" "[ -n '$version' ]"
check "a versioned file is kept a year" "curl -s -o /dev/null -D - 'http://127.0.0.1:8184/hamlet.css?v=$version' | has -i 'cache-control: public, max-age=31536000, immutable'"
check "an unversioned file is asked again" "curl -s -o /dev/null -D - http://127.0.0.1:8184/hamlet.js | has -i 'cache-control: no-cache'"
check "the favicon is served" "curl -fs http://127.0.0.1:8184/favicon.svg?v=$version | has '<svg'"
gz=$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:8184/hamlet.css?v=$version" | wc -c); raw=$(curl -s "http://127.0.0.1:8184/hamlet.css?v=$version" | wc -c)
check "the stylesheet is smaller compressed ($gz of $raw bytes)" "[ $gz -lt $raw ]"
check "--help lists the commands" "$bin --help | grep import-hamlets >/dev/null"
# Issue 24: one line per step on a first start; serve --help starts nothing; errors said once.
check "a first start says each step in a line" "grep -q 'Cập nhật cơ sở dữ liệu' '$work/first.log' && grep -q 'Nạp dữ liệu demo' '$work/first.log' && ! grep -q 'Migrator' '$work/first.log'"
check "serve --help lists --no-demo and starts nothing" "HAMLET_DB='$work/help.sqlite' $bin serve --help | has -- '--no-demo' && [ ! -e '$work/help.sqlite' ]"
HAMLET_DB="$work/loglevel.sqlite" $bin migrate --log-level debug > "$work/loglevel.out" 2>&1; code=$?
check "--log-level debug, as serve --help says it, is taken and shows each migration" "[ $code -eq 0 ] && grep -q 'Migrator' '$work/loglevel.out'"
$bin backup "$work/copy.sqlite" > "$work/err.out" 2>&1; code=$?
check "a refused command says it once, exit 1, no log line" "[ $code -eq 1 ] && [ \$(wc -l < '$work/err.out') -eq 1 ] && ! grep -q 'WARNING' '$work/err.out'"
$bin nosuch > "$work/err.out" 2>&1; code=$?
check "an unknown command is one line, exit 64" "[ $code -eq 64 ] && [ \$(wc -l < '$work/err.out') -eq 1 ] && grep -q 'Không có lệnh' '$work/err.out'"
# Runs from anywhere: installed under a prefix, from an empty folder; without its files, one line and no database.
mkdir -p "$work/opt/bin" "$work/opt/share/hamlet" "$work/empty" "$work/bare"
cp "$bin" "$work/opt/bin/hamlet" && cp -R Resources Public "$work/opt/share/hamlet/" && cp "$bin" "$work/bare/hamlet"
(cd "$work/empty" && HAMLET_DB=installed.sqlite "$work/opt/bin/hamlet" migrate > "$work/installed.out" 2>&1); code=$?
check "an installed binary runs from an empty folder" "[ $code -eq 0 ] && [ \$(sqlite3 '$work/empty/installed.sqlite' 'select count(*) from units where level=\"province\"') -ge 97 ]"
(cd "$work/empty" && HAMLET_DB=bare.sqlite "$work/bare/hamlet" migrate > "$work/bare.out" 2>&1); code=$?
check "without its files it stops in one line, before any database" "[ $code -eq 2 ] && [ \$(wc -l < '$work/bare.out') -eq 1 ] && grep -q HAMLET_HOME '$work/bare.out' && [ ! -e '$work/empty/bare.sqlite' ]"
root=$(pwd)
(cd "$work/empty" && HAMLET_HOME="$root" HAMLET_DB=home.sqlite "$work/bare/hamlet" migrate > /dev/null 2>&1); code=$?
check "HAMLET_HOME points a bare binary at its files" "[ $code -eq 0 ] && [ -s '$work/empty/home.sqlite' ]"
# Read replicas are PostgreSQL's: named beside SQLite, start-up refuses in one line, before any database.
(cd "$work/empty" && DATABASE_READ_URL="postgres://127.0.0.1:1/x" HAMLET_DB=replica.sqlite $bin migrate > "$work/replica.out" 2>&1); code=$?
check "DATABASE_READ_URL without DATABASE_URL stops in one line, before any database" "[ $code -eq 2 ] && [ \$(wc -l < '$work/replica.out') -eq 1 ] && grep -q DATABASE_URL '$work/replica.out' && [ ! -e '$work/empty/replica.sqlite' ]"

# The register's XLSX export, read back by an independent reader (openpyxl).
python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install -q openpyxl
password=$(grep -o 'admin / [^ ]*' "$work/first.log" | head -1 | cut -d' ' -f3)
token=$(curl -s -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$password\"}" http://127.0.0.1:8184/api/v1/auth/token \
  | python3 -c "import sys, json; print(json.load(sys.stdin)['token'])")
curl -s -H "Authorization: Bearer $token" -o "$work/people.xlsx" "http://127.0.0.1:8184/api/v1/people/export?format=xlsx&unit=91"
check "openpyxl reads the XLSX export" "python3 - '$work/people.xlsx' <<'PY'
import sys, datetime, openpyxl
sheet = openpyxl.load_workbook(sys.argv[1]).active
rows = list(sheet.iter_rows(values_only=True))
assert rows[0][0] == 'Họ và tên' and rows[0][3] == 'Số CCCD', rows[0]
assert len(rows) > 500, len(rows)
assert isinstance(rows[1][2], datetime.datetime), type(rows[1][2])
assert all(isinstance(r[3], str) and len(r[3]) == 12 for r in rows[1:]), 'CCCD as 12-digit text'
assert any('ư' in (r[0] or '') or 'ễ' in (r[0] or '') or 'ị' in (r[0] or '') for r in rows[1:]), 'Vietnamese intact'
print('xlsx rows:', len(rows) - 1)
PY"
# The plan report (DOCX, Decree 30 layout): read back by python-docx, converted by LibreOffice.
python3 -c "import docx" 2>/dev/null || python3 -m pip install -q python-docx
if ! command -v soffice >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui) >/dev/null 2>&1
fi
plan=$(curl -s -H "Authorization: Bearer $token" http://127.0.0.1:8184/api/v1/plans \
  | python3 -c "import sys, json; print([p['id'] for p in json.load(sys.stdin)['items'] if p['number'] == '588/QĐ-UBND'][0])")
curl -s -H "Authorization: Bearer $token" -o "$work/report.docx" "http://127.0.0.1:8184/api/v1/plans/$plan/report?year=2025"
check "python-docx reads the plan report" "python3 - '$work/report.docx' <<'PY'
import sys, docx
d = docx.Document(sys.argv[1])
section = d.sections[0]
assert abs(section.page_width.mm - 210) < 1 and abs(section.page_height.mm - 297) < 1, 'A4'
head = d.tables[0]
assert 'ỦY BAN NHÂN DÂN' in head.cell(0, 0).text, head.cell(0, 0).text
assert 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' in head.cell(0, 1).text and 'Độc lập - Tự do - Hạnh phúc' in head.cell(0, 1).text
assert 'An Giang, ngày ' in head.cell(0, 1).text
text = '\\n'.join(p.text for p in d.paragraphs)
assert 'BÁO CÁO' in text and '588/QĐ-UBND' in text, text[:300]
targets = d.tables[1]
assert targets.cell(0, 1).text == 'Chỉ tiêu' and len(targets.rows) >= 4, len(targets.rows)
assert 'Nơi nhận:' in d.tables[-1].cell(0, 0).text
assert d.styles['Normal'].font.name in (None, 'Times New Roman')
print('docx tables:', len(d.tables))
PY"
if command -v soffice >/dev/null; then
  (cd "$work" && timeout 120 soffice --headless --convert-to pdf report.docx >/dev/null 2>&1)
  check "LibreOffice converts the report to PDF" "[ -s '$work/report.pdf' ] && head -c 5 '$work/report.pdf' | has '%PDF'"
else
  check "LibreOffice is installed for the report check" "false"
fi

# The reporting pivot as XLSX through the API, read back by openpyxl; an ADX export read as XML.
# Periods the demo holds: its reports cover the twelve months before the current one.
month=$(date -d "$(date +%Y-%m-01) -3 month" +%Y%m)
quarter=$(( (10#${month:4:2} - 1) / 3 + 1 )); romans=(I II III IV)
curl -s -H "Authorization: Bearer $token" -o "$work/pivot.xlsx" "http://127.0.0.1:8184/api/v1/data-sets/BC_CTV_THANG/pivot?unit=91&from=${month:0:4}Q$quarter&to=${month:0:4}Q$quarter&by=quarterly&format=xlsx"
check "openpyxl reads the reporting pivot" "python3 - '$work/pivot.xlsx' <<'PY'
import sys, openpyxl
rows = list(openpyxl.load_workbook(sys.argv[1]).active.iter_rows(values_only=True))
assert rows[1][0] == 'Mã' and rows[1][2] == 'Số hộ gia đình được thăm, tư vấn', rows[1]
assert rows[2][2] == 'Quý ${romans[$((quarter - 1))]}/${month:0:4}', rows[2]
assert rows[-1][1] == 'Tổng cộng' and isinstance(rows[-1][2], (int, float)) and rows[-1][2] > 1000, rows[-1]
assert sum(r[2] or 0 for r in rows[3:-1]) == rows[-1][2], 'the total is the sum of the communes'
print('pivot rows:', len(rows) - 4)
PY"
curl -s -H "Authorization: Bearer $token" -o "$work/export.adx" "http://127.0.0.1:8184/api/dataValueSets.adx?dataSet=BC_CTV_THANG&period=$month&orgUnit=91&children=true"
check "the ADX export is a well-formed ADX document" "python3 - '$work/export.adx' <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{urn:ihe:qrph:adx:2015}'
assert root.tag == ns + 'adx', root.tag
groups = root.findall(ns + 'group')
assert len(groups) > 100 and all(g.get('period') == '${month:0:4}-${month:4:2}-01/P1M' for g in groups), len(groups)
assert any(v.get('GIOI_TINH') == 'NU' for g in groups for v in g.findall(ns + 'dataValue')), 'disaggregation as attributes'
print('adx groups:', len(groups))
PY"

# The benchmark tools at a tiny scale, so they keep working: generate, then measure reporting.
bench="$work/bench.sqlite"
HAMLET_DB="$bench" $bin generate --people 300 --hamlets-per-commune 1 --participations 500 --report-months 1 > "$work/generate.out" 2>&1
check "generate makes a month of national reports" "[ \$(sqlite3 '$bench' 'select count(*) from data_values') -gt 100000 ]"
check "generate makes facilities with social workers" "[ \$(sqlite3 '$bench' \"select count(*) from organisations where kind = 'facility'\") -gt 20000 ] && [ \$(sqlite3 '$bench' 'select count(distinct organisation_id) from assignments') -gt 3000 ]"
HAMLET_DB="$bench" $bin benchmark --runs 3 --import-values 0 --import-rows 0 --only "trường học" > "$work/bench-facilities.out" 2>&1
check "benchmark measures the facility indicators" "grep -q 'trường học có người làm CTXH, tỉnh' '$work/bench-facilities.out'"
HAMLET_DB="$bench" $bin benchmark --runs 5 --import-values 2000 --import-rows 0 --only "báo cáo" > "$work/bench.out" 2>&1
check "benchmark measures the reporting paths" "grep -q 'Hamlet đạt' '$work/bench.out' && grep -q 'có ngay' '$work/bench.out' && grep -q 'tình hình nộp' '$work/bench.out'"

echo "cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
