#!/usr/bin/env bash
# Scale check: the release binary on a throwaway PostgreSQL with a
# 1,000,000-contact organization; prints server-side latency per endpoint
# (from the server's own JSON request logs). Usage: scripts/scale/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
N=${N:-50}
[ "${SKIP_BUILD:-}" = 1 ] || cargo build --release --locked --bin lovedcrm >&2
WORK=$(mktemp -d /tmp/lovedcrm-scale.XXXXXX); chmod 755 "$WORK"
cleanup() {
  if [ "${KEEP:-}" = 1 ]; then echo "kept: $WORK (server pid ${SERVER:-?}, PostgreSQL port ${LOVEDCRM_TEST_PG_PORT:-?})" >&2; return; fi
  kill "${SERVER:-0}" 2>/dev/null || true; bash scripts/pg-cluster.sh stop "$WORK" >/dev/null 2>&1 || true; rm -rf "$WORK"
}
trap cleanup EXIT
eval "$(bash scripts/pg-cluster.sh start "$WORK")"
PSQL="$LOVEDCRM_TEST_PG_BIN/psql -X -q -v ON_ERROR_STOP=1"
$PSQL "$LOVEDCRM_TEST_PG_ADMIN_URL" -c "CREATE DATABASE scale OWNER lovedcrm_app"
$PSQL "$LOVEDCRM_TEST_PG_ADMIN_URL" -c "ALTER SYSTEM SET shared_buffers = '1GB'" -c "ALTER SYSTEM SET work_mem = '16MB'" -c "ALTER SYSTEM SET random_page_cost = 1.1" -c "ALTER SYSTEM SET log_min_duration_statement = 100"
$LOVEDCRM_TEST_PG_BIN/pg_ctl -D "$WORK/data" -w restart -o "-p $LOVEDCRM_TEST_PG_PORT -k $WORK -c listen_addresses=127.0.0.1" >/dev/null 2>&1 \
  || runuser -u postgres -- $LOVEDCRM_TEST_PG_BIN/pg_ctl -D "$WORK/data" -w restart -o "-p $LOVEDCRM_TEST_PG_PORT -k $WORK -c listen_addresses=127.0.0.1" >/dev/null
# The server's role cannot mark the search operator LEAKPROOF (migration m0004
# says so); an administrator does it once, as the README explains.
$PSQL "postgres://postgres@127.0.0.1:$LOVEDCRM_TEST_PG_PORT/scale" -c "ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
export DATABASE_URL="postgres://lovedcrm_app:lovedcrm_app@127.0.0.1:$LOVEDCRM_TEST_PG_PORT/scale"
export LOVEDCRM_TOKEN_KEY=scale-check-token-key-0123456789abcdef LOVEDCRM_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
export LOVEDCRM_LISTEN=127.0.0.1:$PORT LOVEDCRM_LOG=info
./target/release/lovedcrm serve 2> "$WORK/server.log" & SERVER=$!
until curl -sf "localhost:$PORT/health" >/dev/null; do sleep 0.1; done
B="localhost:$PORT/api/v1"
REG=$(curl -sf -XPOST "$B/auth/register" -H 'content-type: application/json' -d '{"email":"scale@example.com","password":"correct horse battery","name":"Scale"}')
TOKEN=$(echo "$REG" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
ORG=$(echo "$REG" | python3 -c 'import json,sys;print(json.load(sys.stdin)["organization"]["id"])')
USR=$(echo "$REG" | python3 -c 'import json,sys;print(json.load(sys.stdin)["user"]["id"])')
H=(-H "authorization: Bearer $TOKEN" -H "x-org-id: $ORG")
PIPE=$(curl -sf "${H[@]}" "$B/pipelines" | python3 -c 'import json,sys;print(json.load(sys.stdin)["data"][0]["id"])')
start=$(date +%s)
$PSQL "postgres://postgres@127.0.0.1:$LOVEDCRM_TEST_PG_PORT/scale" -v org="$ORG" -v usr="$USR" -v pipeline="$PIPE" -f scripts/scale/seed.sql
echo "seeded 1,110,000 rows in $(( $(date +%s) - start )) s" >&2
LEAD=$(curl -sf "${H[@]}" "$B/leads?sort=position&limit=1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["data"][0]["id"])')
# A cursor 10,000 rows deep into a filtered, sorted list, and 5,000 items deep into the timeline.
deep() { local url=$1 cur=""; for _ in $(seq "$2"); do cur=$(curl -sf "${H[@]}" "$url${cur:+&cursor=$cur}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["next_cursor"] or "")'); done; echo "$cur"; }
FILTER="limit=200&sort=name&source=import&created_at%5Bgte%5D=2000-01-01T00:00:00Z"
DEEP=$(deep "$B/contacts?$FILTER" 50)
TDEEP=$(deep "$B/leads/$LEAD/timeline?limit=200" 25)
declare -A CASES=(
  [contacts_first_page]="/contacts?limit=50"
  [contacts_filtered_sorted]="/contacts?limit=50&sort=name&source=import&created_at%5Bgte%5D=2000-01-01T00:00:00Z"
  [contacts_deep_page]="/contacts?$FILTER&cursor=$DEEP"
  [contacts_count]="/contacts?limit=50&count=true"
  [contact_search]="/contacts?q=joao%20goncalves&limit=50"
  [global_search]="/search?q=maria%20souza"
  [board_10k_leads]="/pipelines/$PIPE/board"
  [timeline_first_page]="/leads/$LEAD/timeline?limit=50"
  [timeline_deep_page]="/leads/$LEAD/timeline?limit=200&cursor=$TDEEP"
)
: > "$WORK/marks"
for name in "${!CASES[@]}"; do
  for _ in 1 2 3; do curl -sf -o /dev/null "${H[@]}" "$B${CASES[$name]}"; done
  for _ in $(seq "$N"); do curl -sf -o /dev/null -H "x-request-id: $name-$RANDOM$RANDOM" "${H[@]}" "$B${CASES[$name]}"; done
done
sleep 0.5
python3 - "$WORK/server.log" <<'PY'
import json, sys, collections
lat = collections.defaultdict(list)
for line in open(sys.argv[1]):
    try: e = json.loads(line)
    except ValueError: continue
    rid = e.get("span", {}).get("request_id", "")
    if e.get("message") == "request finished" and "-" in rid and not rid[0].isdigit() and rid.rsplit("-", 1)[0].replace("_", "").isalnum():
        lat[rid.rsplit("-", 1)[0]].append(e["latency_ms"])
print("| endpoint | requests | p50 ms | p95 ms | max ms |")
print("| --- | --- | --- | --- | --- |")
for name in sorted(lat):
    v = sorted(lat[name]); n = len(v)
    print(f"| {name} | {n} | {v[n//2]:.2f} | {v[int(n*0.95)-1]:.2f} | {v[-1]:.2f} |")
PY
