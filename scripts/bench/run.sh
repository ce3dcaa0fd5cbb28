#!/usr/bin/env bash
# The benchmark harness (issue 6): build, migrate, seed, load, report.
#
#   scripts/bench/run.sh full  [sqlite|postgres|both]   # make bench
#   scripts/bench/run.sh smoke [sqlite|postgres|both]   # make bench-smoke
#
# full:  release build, full data (1M contacts...), 20 s runs at 16 and 64
#        connections; writes BENCHMARKS.md.
# smoke: the debug build, data at ~1/100, 2 s runs at 4 connections; writes
#        artifacts/bench-smoke.md (CI never rewrites BENCHMARKS.md).
#
# Needs wrk (apt-get install wrk) and, for PostgreSQL, its server binaries
# (/usr/lib/postgresql/*/bin or PG_BIN). Fails when any run has an error or
# no requests. Environment: BENCH_PROFILE (debug|release), BENCH_OUT (the
# report), BENCH_KEEP=1 (keep the work folder), BENCH_SKIP_BUILD=1 (use the
# binaries already built), BENCH_PG_SHARED_BUFFERS, BENCH_ACCEPT_ENCODING
# (default: what Chromium sends), BENCH_COMMAND (shown in the report).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$(pwd -P)"

SCALE="${1:-smoke}"
DBS="${2:-both}"
case "$SCALE" in
    full)
        PROFILE="${BENCH_PROFILE:-release}"
        OUT="${BENCH_OUT:-BENCHMARKS.md}"
        SHARED_BUFFERS="${BENCH_PG_SHARED_BUFFERS:-2GB}"
        ;;
    smoke)
        PROFILE="${BENCH_PROFILE:-debug}"
        OUT="${BENCH_OUT:-artifacts/bench-smoke.md}"
        SHARED_BUFFERS="${BENCH_PG_SHARED_BUFFERS:-128MB}"
        ;;
    *)
        echo "usage: $0 full|smoke [sqlite|postgres|both]" >&2
        exit 2
        ;;
esac
case "$DBS" in
    both) DBS="postgres sqlite" ;;
    sqlite | postgres) ;;
    *)
        echo "usage: $0 full|smoke [sqlite|postgres|both]" >&2
        exit 2
        ;;
esac
COMMAND="${BENCH_COMMAND:-scripts/bench/run.sh $*}"

log() { echo "bench: $*" >&2; }

command -v wrk >/dev/null || {
    echo "error: wrk is missing (apt-get install wrk)" >&2
    exit 1
}

LOCKED=()
[[ -f Cargo.lock ]] && LOCKED=(--locked)
PROFILE_FLAG=()
[[ "$PROFILE" == "release" ]] && PROFILE_FLAG=(--release)
# BENCH_SKIP_BUILD=1: use the binaries as built (scripts/test.sh just did).
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
    cargo build ${PROFILE_FLAG[@]+"${PROFILE_FLAG[@]}"} ${LOCKED[@]+"${LOCKED[@]}"} \
        -p lovedcrm -p lovedcrm-bench --bin lovedcrm --bin lovedcrm-bench
fi
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE"
BIN="$TARGET/lovedcrm"
BENCH="$TARGET/lovedcrm-bench"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lovedcrm-bench.XXXXXX")"
chmod 755 "$WORK"
FAILED=0

cleanup() {
    if [[ "${BENCH_KEEP:-}" == "1" ]]; then
        log "work folder kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# Run a PostgreSQL server binary as a user allowed to run it (root is refused).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Reminders through a hard restart, and the week view (issue 17).
calendar() { # name url [options...]
    local name="$1" url="$2"
    shift 2
    log "$name: calendar"
    local sizes=(--count 1000 --over 30 --restart-at 15 --week-events 500 --week-requests 100)
    [[ "$SCALE" == "full" ]] && sizes=(--count 100000 --over "${BENCH_REMINDER_SECONDS:-3600}" \
        --week-events 2000 --week-requests 1000)
    "$BENCH" calendar --db "$url" --server "$BIN" --work "$WORK/$name/calendar" \
        --out "$WORK/calendar.md" --label "$name, $PROFILE build" "${sizes[@]}" "$@"
}

seed_and_run() { # name url [run options...]
    local name="$1" url="$2" dir="$WORK/$1"
    shift 2
    log "$name: seeding ($SCALE)"
    "$BENCH" seed --db "$url" --scale "$SCALE" --manifest "$dir/manifest.json"
    if [[ "$name" == "postgres" ]]; then
        # What autovacuum would do after a bulk load; not counted in rows/s.
        local started=$SECONDS
        "$PG_BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1 "$ADMIN_URL" -c "VACUUM ANALYZE"
        log "postgres: VACUUM ANALYZE took $((SECONDS - started)) s"
    fi
    log "$name: load"
    "$BENCH" run --db "$url" --server "$BIN" --manifest "$dir/manifest.json" \
        --out "$dir/results.json" --work "$dir/run" --scripts "$ROOT/scripts/bench" \
        --profile "$PROFILE" "$@"
}

run_sqlite() {
    local dir="$WORK/sqlite"
    mkdir -p "$dir"
    local url="sqlite://$dir/bench.db"
    DATABASE_URL="$url" LOVEDCRM_DATA_DIR="$dir/data" LOVEDCRM_LOG=warn "$BIN" migrate >/dev/null
    seed_and_run sqlite "$url"
    calendar sqlite "sqlite://$dir/calendar.db"
}

run_postgres() {
    PG_DIR="$WORK/postgres"
    mkdir -p "$PG_DIR"
    # Runs in its own subshell (see below): stop the cluster when it ends.
    trap 'bash "$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true' EXIT
    eval "$(bash "$ROOT/scripts/pg-cluster.sh" start "$PG_DIR")"
    PG_BIN_DIR="$LOVEDCRM_TEST_PG_BIN"
    local port="$LOVEDCRM_TEST_PG_PORT"
    # Restart with durable defaults (the test cluster runs without fsync),
    # more memory, and a log the runner reads the server's SQL from.
    as_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
    as_pg "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/pg.log" -w -o \
        "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 \
         -c shared_buffers=$SHARED_BUFFERS -c effective_cache_size=4GB -c work_mem=16MB \
         -c maintenance_work_mem=256MB -c random_page_cost=1.1 -c max_wal_size=8GB \
         -c checkpoint_timeout=30min -c log_line_prefix='%m [%p] %u@%d '" \
        start >/dev/null 2>&1
    ADMIN_URL="postgres://postgres@127.0.0.1:$port/bench"
    local app_url="postgres://$LOVEDCRM_TEST_PG_APP_USER:$LOVEDCRM_TEST_PG_APP_PASSWORD@127.0.0.1:$port/bench"
    local psql=("$PG_BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1)
    "${psql[@]}" "postgres://postgres@127.0.0.1:$port/postgres" -c "CREATE DATABASE bench"
    DATABASE_URL="$ADMIN_URL" \
        LOVEDCRM_TOKEN_KEY=bench-migrate-only-token-key-0123456789 \
        LOVEDCRM_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
        LOVEDCRM_LOG=warn "$BIN" migrate >/dev/null
    "${psql[@]}" "$ADMIN_URL" <<SQL
GRANT USAGE ON SCHEMA public TO $LOVEDCRM_TEST_PG_APP_USER;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $LOVEDCRM_TEST_PG_APP_USER;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO $LOVEDCRM_TEST_PG_APP_USER;
SQL
    seed_and_run postgres "$app_url" --migration-db "$ADMIN_URL" --pg-bin "$PG_BIN_DIR" \
        --pg-admin-url "$ADMIN_URL" --pg-log "$PG_DIR/pg.log"
    calendar postgres "$app_url" --migration-db "$ADMIN_URL"
}

RESULTS=()
for db in $DBS; do
    # A subshell keeps errexit on inside (it is off in an `if` condition).
    set +e
    ("run_$db")
    status=$?
    set -e
    if [[ $status -ne 0 ]]; then
        FAILED=1
        log "$db: FAILED"
        mkdir -p "$ROOT/artifacts/bench-logs"
        cp "$WORK/$db/run/server.log" "$ROOT/artifacts/bench-logs/$db-server.log" 2>/dev/null || true
    fi
    if [[ -f "$WORK/$db/results.json" ]]; then
        RESULTS+=("$WORK/$db/results.json")
    fi
done

if [[ ${#RESULTS[@]} -gt 0 ]]; then
    "$BENCH" report --results "${RESULTS[@]}" --out "$OUT" --command "$COMMAND" --check || FAILED=1
fi
if [[ -f "$WORK/calendar.md" ]]; then
    { echo; echo "## Calendar (issue 17): \`$COMMAND\`"; cat "$WORK/calendar.md"; } >>"$OUT"
fi
if [[ $FAILED -ne 0 || ${#RESULTS[@]} -eq 0 ]]; then
    log "FAILED (report: $OUT; server logs: artifacts/bench-logs/)"
    exit 1
fi
log "done: $OUT"
