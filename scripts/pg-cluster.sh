#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the test suite.
#
#   scripts/pg-cluster.sh start <dir>   # prints `export ...` lines; use with eval
#   scripts/pg-cluster.sh stop  <dir>   # stops the cluster (errors ignored)
#
# PG_BIN may point at a PostgreSQL bin directory; otherwise the highest
# version under /usr/lib/postgresql/*/bin is used. Only the export lines go
# to stdout; every diagnostic goes to stderr.
set -euo pipefail

APP_ROLE=lovedcrm_app
APP_PASSWORD=lovedcrm_app

die() {
    echo "pg-cluster: error: $*" >&2
    exit 1
}

log() {
    echo "pg-cluster: $*" >&2
}

usage() {
    echo "usage: $0 {start|stop} <dir>" >&2
    exit 2
}

find_pg_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then
        [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/psql" ]] \
            || die "PG_BIN=$PG_BIN does not contain initdb, pg_ctl and psql"
        echo "$PG_BIN"
        return
    fi
    local best="" dir
    # Version directories are numeric (e.g. 15, 16); sort numerically.
    while IFS= read -r dir; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/psql" ]]; then
            best="$dir"
        fi
    done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -t/ -k5,5n)
    [[ -n "$best" ]] || die "no PostgreSQL binaries found in /usr/lib/postgresql/*/bin (install postgresql or set PG_BIN)"
    echo "$best"
}

# Run a PostgreSQL server binary as a user allowed to run it (root is refused).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    # Fallback without python3: random high port nobody is listening on.
    local port _
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "could not find a free TCP port"
}

cmd_start() {
    local dir="$1" bin data port attempt started=0
    bin="$(find_pg_bin)"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd -P)"
    data="$dir/data"
    [[ ! -e "$data" ]] || die "$data already exists; use a fresh directory"

    if [[ $EUID -eq 0 ]]; then
        getent passwd postgres >/dev/null || die "running as root but there is no 'postgres' user"
        chown postgres: "$dir"
    fi
    # Run from the cluster dir so the postgres user never needs access to
    # the caller's cwd (e.g. /root).
    cd "$dir"

    log "initdb ($bin) in $data"
    if ! as_pg "$bin/initdb" -D "$data" --auth=trust --username=postgres \
            --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        log "initdb with --locale=C.UTF-8 failed, retrying with --locale=C"
        rm -rf "$data"
        if ! as_pg "$bin/initdb" -D "$data" --auth=trust --username=postgres \
                --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
            cat "$dir/initdb.log" >&2
            die "initdb failed"
        fi
    fi

    # The chosen port can be grabbed by someone else before the server binds
    # it, so retry a few times.
    for attempt in 1 2 3; do
        port="$(free_port)"
        log "starting server on 127.0.0.1:$port (attempt $attempt)"
        if as_pg "$bin/pg_ctl" -D "$data" -l "$dir/pg.log" -w -o \
                "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB" \
                start >&2; then
            started=1
            break
        fi
    done
    if [[ $started -ne 1 ]]; then
        tail -n 30 "$dir/pg.log" >&2 2>/dev/null || true
        die "could not start PostgreSQL (log: $dir/pg.log)"
    fi

    if ! "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
            -c "CREATE ROLE $APP_ROLE LOGIN PASSWORD '$APP_PASSWORD' NOSUPERUSER NOBYPASSRLS" >&2; then
        as_pg "$bin/pg_ctl" -D "$data" -m immediate stop >&2 || true
        die "could not create role $APP_ROLE"
    fi

    echo "export LOVEDCRM_TEST_PG_ADMIN_URL=postgres://postgres@127.0.0.1:$port/postgres"
    echo "export LOVEDCRM_TEST_PG_APP_USER=$APP_ROLE"
    echo "export LOVEDCRM_TEST_PG_APP_PASSWORD=$APP_PASSWORD"
    echo "export LOVEDCRM_TEST_PG_PORT=$port"
    echo "export LOVEDCRM_TEST_PG_BIN=$bin"
}

cmd_stop() {
    local dir="$1" bin
    [[ -d "$dir/data" ]] || return 0
    dir="$(cd "$dir" && pwd -P)" || return 0
    bin="$(find_pg_bin 2>/dev/null)" || return 0
    cd "$dir" 2>/dev/null || cd /
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >&2 2>/dev/null || true
}

[[ $# -eq 2 ]] || usage
case "$1" in
    start) cmd_start "$2" ;;
    stop) cmd_stop "$2" ;;
    *) usage ;;
esac
