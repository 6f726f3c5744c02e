#!/usr/bin/env bash
# The API contract: schemathesis (PyPI) fuzzes every operation of the OpenAPI document with all
# its checks, as a province officer, against a throwaway SQLite database with the demo data.
# Zero failures, or an exclusion named with its reason in Tests/contract/schemathesis.toml. One
# worker: with two, hypothesis once failed inside itself (a race in its own source cache).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install -q schemathesis
swift build --product hamlet >/dev/null
work=$(mktemp -d)
export HAMLET_DB="$work/contract.sqlite"
unset DATABASE_URL
.build/debug/hamlet create-user --username hopdong --password "Hop-dong-kiem-2026" --role province-officer --scope 91 >/dev/null
.build/debug/hamlet serve --port 8184 > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 360); do curl -fs http://127.0.0.1:8184/login >/dev/null && break; sleep 0.5; done
HAMLET_FUZZ_TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' -d '{"username":"hopdong","password":"Hop-dong-kiem-2026"}' \
  http://127.0.0.1:8184/api/v1/auth/token | python3 -c "import json, sys; print(json.load(sys.stdin)['token'])")
export HAMLET_FUZZ_TOKEN
status=0
(cd Tests/contract && st --config-file schemathesis.toml run http://127.0.0.1:8184/api/v1/openapi.json \
  --phases examples,coverage,fuzzing --max-examples 20 --seed 2026 --workers 1 --no-color) > "$work/st.log" 2>&1 || status=$?
cp "$work/st.log" /tmp/hamlet-contract.log
# schemathesis ends with a pytest-style line ("=== 3 warnings in 111s ===") that reads as if no test
# ran; the counts are printed here in words instead.
grep -E "^(Failures|Errors|Warnings|API Operations|Test cases)" -A6 "$work/st.log" | grep -vE "^--$|^=+ .* =+$" || true
cases=$(grep -oE "[0-9]+ generated, [0-9]+ passed" "$work/st.log" | tail -1)
if [ "$status" -ne 0 ]; then
  grep -E "^_{3,} |^- ST|Reproduce|curl |Error|error" "$work/st.log" | head -150
  echo "(the whole run: /tmp/hamlet-contract.log)"
  echo "contract: schemathesis found failures (exit $status)"
  exit 1
fi
[ -n "$cases" ] || { echo "contract: schemathesis ran no test case"; exit 1; }
echo "contract: $cases test cases, 0 failures"
