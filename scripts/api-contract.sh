#!/usr/bin/env bash
# Checks that the server keeps the promises of its OpenAPI document, with
# schemathesis (PyPI) generating requests from the document and checking every
# answer: no 5xx, only documented status codes and media types, bodies that
# validate against their schemas, and invalid input refused.
#
#   scripts/api-contract.sh BIN sqlite
#   scripts/api-contract.sh BIN postgres   (needs the LOVEDCRM_TEST_PG_* exports
#                                           of scripts/pg-cluster.sh and the
#                                           migrated template database)
#
# The server gets the demo agency so lists answer with real rows; the
# operations that end the caller's own session (logout, password, two-factor,
# sessions, account deletion) run last, as a second account, so they do not
# cut the first pass short.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="$(realpath "$1")"
DB="$2"
EXAMPLES="${LOVEDCRM_CONTRACT_EXAMPLES:-40}"
# A fixed seed by default, so that a run fails or passes for the code, not
# for the dice (a failure names its case and replays); set
# LOVEDCRM_CONTRACT_SEED=random to explore new cases.
SEED="${LOVEDCRM_CONTRACT_SEED:-238130556925152667144035256411637507055}"
SEED_ARGS=()
[[ "$SEED" != random ]] && SEED_ARGS=(--seed "$SEED")
TOOLS="${CARGO_TARGET_DIR:-$(pwd -P)/target}/tools"
ST_VERSION=4.32.5
VENV="$TOOLS/schemathesis-$ST_VERSION"
ST="$VENV/bin/schemathesis"

if [[ ! -x "$ST" ]]; then
    echo "installing schemathesis $ST_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lovedcrm-contract.XXXXXX")"
SERVER_PID=""
PG_DB=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [[ -n "$PG_DB" ]]; then
        "$LOVEDCRM_TEST_PG_BIN/psql" -X -q "postgres://postgres@127.0.0.1:$LOVEDCRM_TEST_PG_PORT/postgres" \
            -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export LOVEDCRM_DATA_DIR="$WORK/data"
export LOVEDCRM_LOG=warn
# Generated requests come by the thousand from one address: the limits
# themselves are tested elsewhere, here they would only hide the endpoints.
export LOVEDCRM_API_RATE_PER_USER_PER_MINUTE=10000000
export LOVEDCRM_API_RATE_PER_ORG_PER_MINUTE=10000000
export LOVEDCRM_AUTH_RATE_PER_IP_PER_MINUTE=10000000
export LOVEDCRM_LOGIN_RATE_PER_ACCOUNT_PER_MINUTE=10000000
SEED_URL=""
case "$DB" in
    sqlite) ;;
    postgres)
        PG_DB="lovedcrm_contract_$$"
        admin="postgres://postgres@127.0.0.1:$LOVEDCRM_TEST_PG_PORT"
        "$LOVEDCRM_TEST_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$admin/postgres" \
            -c "CREATE DATABASE $PG_DB TEMPLATE $LOVEDCRM_TEST_PG_TEMPLATE"
        SEED_URL="$admin/$PG_DB"
        export LOVEDCRM_MIGRATION_DATABASE_URL="$SEED_URL"
        export DATABASE_URL="postgres://$LOVEDCRM_TEST_PG_APP_USER:$LOVEDCRM_TEST_PG_APP_PASSWORD@127.0.0.1:$LOVEDCRM_TEST_PG_PORT/$PG_DB"
        export LOVEDCRM_TOKEN_KEY=contract-test-token-key-000000000000000
        export LOVEDCRM_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
        ;;
    *) echo "usage: $0 BIN sqlite|postgres" >&2; exit 2 ;;
esac

DATABASE_URL="${SEED_URL:-${DATABASE_URL:-}}" "$BIN" seed --demo
ADDR_FILE="$WORK/addr"
LOVEDCRM_LISTEN=127.0.0.1:0 LOVEDCRM_ADDR_FILE="$ADDR_FILE" "$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$ADDR_FILE" ]] && break; sleep 0.1; done
if [[ ! -s "$ADDR_FILE" ]]; then
    cat "$WORK/server.log" >&2
    echo "ERROR: the server did not start" >&2
    exit 1
fi
BASE="http://$(cat "$ADDR_FILE")"

# `session EMAIL PASSWORD [register]` prints "token org".
session() {
    local path=login body="{\"email\":\"$1\",\"password\":\"$2\"}"
    if [[ "${3:-}" == register ]]; then
        path=register
        body="{\"email\":\"$1\",\"password\":\"$2\",\"name\":\"Contract\"}"
    fi
    curl -fsS "$BASE/api/v1/auth/$path" -H 'content-type: application/json' -d "$body" \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["access_token"], (d.get("organization") or {}).get("id") or "")'
}
organization_of() {
    curl -fsS "$BASE/api/v1/organizations" -H "authorization: Bearer $1" \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["data"][0]["id"])'
}

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection
OWN_SESSION='/auth/(logout|sessions|password|two-factor)|/users/me$'
run_schemathesis() {
    local token="$1" org="$2"; shift 2
    # From the scratch folder: schemathesis keeps its cache in the working
    # directory, which must not be the checkout.
    (cd "$WORK" && "$ST" run "$BASE/api/v1/openapi.json" --url "$BASE" \
        -H "Authorization: Bearer $token" -H "X-Org-Id: $org" \
        --checks "$CHECKS" --max-examples "$EXAMPLES" --workers 2 \
        --no-color ${SEED_ARGS[@]+"${SEED_ARGS[@]}"} "$@")
}

read -r token _ < <(session demo@lovedcrm.local lovedcrm-demo)
org="$(organization_of "$token")"
echo "== contract on $DB: every operation but those that end the caller's session =="
run_schemathesis "$token" "$org" --exclude-path-regex "$OWN_SESSION"

read -r token org < <(session contract-second@example.com 'contract second password' register)
echo "== contract on $DB: the operations on the caller's own session and account =="
run_schemathesis "$token" "$org" --include-path-regex "$OWN_SESSION"
