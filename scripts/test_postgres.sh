#!/usr/bin/env bash
# The project on PostgreSQL (SPEC 8): starts a throwaway PostgreSQL server on 127.0.0.1, builds and
# tests the sample company there (`dbt build --target postgres`), builds the same sample on DuckDB
# and compares the two (scripts/compare_engines.py: row counts of every relation, full contents of
# marts.* and audit.*). The server and its files are removed on exit.
#
# Usage: bash scripts/test_postgres.sh [VENV]     (VENV: default $CHAT_TOUCHPOINTS_VENV, else .venv)
# The venv must hold the project (pip install -e '.[dev]'); the `postgres` extra is installed into
# it here. PostgreSQL's initdb and pg_ctl are taken from PATH or /usr/lib/postgresql/*/bin; when
# there are none, the `postgresql` package is installed with apt-get (as root; Debian's package may
# also create and start its own `main` cluster, which this script leaves alone). As root, the
# server runs as the `postgres` user. CHAT_TOUCHPOINTS_PG_PORT picks the port (default: a free one).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
venv="${1:-${CHAT_TOUCHPOINTS_VENV:-$repo/.venv}}"
if [ ! -x "$venv/bin/chat-touchpoints" ]; then
    echo "no chat-touchpoints in $venv: create it with pip install -e '.[dev]' first" >&2
    exit 2
fi
export PATH="$venv/bin:$PATH"
started=$SECONDS
step() { echo; echo "== $* ($((SECONDS - started)) s)"; }

# --- PostgreSQL binaries -------------------------------------------------------------------------
find_pg_bin() {
    if command -v initdb > /dev/null && command -v pg_ctl > /dev/null; then
        dirname "$(command -v initdb)"
        return
    fi
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
    fi
}
pg_bin="$(find_pg_bin)"
if [ -z "$pg_bin" ]; then
    step "installing PostgreSQL (apt-get install postgresql)"
    if [ "$(id -u)" -ne 0 ]; then
        echo "initdb and pg_ctl not found, and installing them needs root" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
    pg_bin="$(find_pg_bin)"
    [ -n "$pg_bin" ] || { echo "PostgreSQL installed, but initdb not found" >&2; exit 2; }
fi

# As root the server runs as `postgres` (PostgreSQL refuses to run as root).
as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres > /dev/null 2>&1 || useradd --system --home-dir /nonexistent postgres
    as_server_user=(runuser -u postgres --)
fi

# --- scratch directory and server ----------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/chat-touchpoints-pg.XXXXXX")"
chmod 755 "$work"
pg_dir="$work/pg"
mkdir -p "$pg_dir"
[ ${#as_server_user[@]} -eq 0 ] || chown postgres "$pg_dir"

cleanup() {
    if [ -f "$pg_dir/data/postmaster.pid" ]; then
        "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop > /dev/null \
            || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
port="${CHAT_TOUCHPOINTS_PG_PORT:-$(free_port)}"

step "starting PostgreSQL ($("$pg_bin/pg_ctl" --version)) on 127.0.0.1:$port"
"${as_server_user[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 > "$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log"; exit 1; }
# a throwaway server: no durability needed
"${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start \
    -o "-h 127.0.0.1 -p $port -k $pg_dir -c fsync=off -c synchronous_commit=off" \
    > /dev/null || { cat "$pg_dir/server.log"; exit 1; }

export CHAT_TOUCHPOINTS_PG_HOST=127.0.0.1
export CHAT_TOUCHPOINTS_PG_PORT="$port"
export CHAT_TOUCHPOINTS_PG_USER=postgres
export CHAT_TOUCHPOINTS_PG_PASSWORD=
export CHAT_TOUCHPOINTS_PG_DATABASE=chat_touchpoints

step "installing the postgres extra into $venv"
pip install --quiet -e "$repo[postgres]"
python - << 'EOF'
import os
import psycopg2

connection = psycopg2.connect(
    host="127.0.0.1", port=int(os.environ["CHAT_TOUCHPOINTS_PG_PORT"]), user="postgres",
    dbname="postgres",
)
connection.autocommit = True
connection.cursor().execute("create database chat_touchpoints")
connection.close()
EOF

# --- the sample on both engines ------------------------------------------------------------------
export DBT_PROFILES_DIR="$repo"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
unset MSI_API_SECRET_KEY

step "sample build on PostgreSQL (dbt build --target postgres)"
MSI_API_SECRET_KEY=demo-key DBT_TARGET_PATH="$work/target-postgres" \
    dbt build --target postgres --vars "$(cat sample_vars.yml)" --log-path "$work/logs-postgres" \
    --no-use-colors > "$work/postgres-build.log" 2>&1 \
    || { cat "$work/postgres-build.log"; exit 1; }
grep -E "Finished running|Done\. " "$work/postgres-build.log" | sed -E 's/^[0-9:]+ +//'

step "sample build on DuckDB (chat-touchpoints build)"
MSI_API_SECRET_KEY=demo-key DBT_TARGET_PATH="$work/target-duckdb" DBT_LOG_PATH="$work/logs-duckdb" \
    chat-touchpoints build --db "$work/sample.duckdb" --vars sample_vars.yml --quiet

step "comparing the engines (scripts/compare_engines.py)"
python scripts/compare_engines.py --duckdb "$work/sample.duckdb"

step "PostgreSQL checks passed"
