#!/usr/bin/env bash
# The project on PostgreSQL: starts a throwaway PostgreSQL server on 127.0.0.1, loads the sample's
# raw tables there on purpose (`dbt seed`, `load_sample_data: true`), then builds and tests the
# sample with a plain `dbt build --target postgres` and checks that it left the raw tables
# untouched, builds it again with `schema_prefix: ci` and checks that only `ci_*` schemas were
# written, compares it with the DuckDB build of the same sample (scripts/compare_engines.py: row
# counts of every relation, full contents of marts.* and audit.*); logs in as `bi_reader_role`
# (scripts/check_bi_reader.py); then copies the raw tables of a generated data set's DuckDB build
# into PostgreSQL (scripts/copy_raw_tables.py), builds it there and compares again; and builds it
# once more in two loads (scripts/split_loads.py), the second build incremental. The DuckDB
# builds come from scripts/build_references.sh, into CHAT_TOUCHPOINTS_REFERENCES when it is set
# (scripts/test.sh makes them once for both engines), else into the scratch directory. The server
# and its files are removed on exit.
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
# the BI reader of the plain build below (bi_reader_role; scripts/check_bi_reader.py)
connection.cursor().execute("create role bi_reader login")
connection.close()
EOF

# --- the sample on both engines ------------------------------------------------------------------
export DBT_PROFILES_DIR="$repo"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
unset MSI_API_SECRET_KEY

# Relations outside the given schema prefix: (schema, name) -> object id, file node and, for
# tables, a digest of the rows. A relation that dbt recreated, truncated or rewrote differs.
snapshot() {  # snapshot FILE [PREFIX_TO_IGNORE]
    python - "$@" << 'EOF'
import json
import os
import sys

import psycopg2

out, ignore = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
connection = psycopg2.connect(
    host="127.0.0.1", port=int(os.environ["CHAT_TOUCHPOINTS_PG_PORT"]), user="postgres",
    dbname="chat_touchpoints",
)
cursor = connection.cursor()
cursor.execute(
    "select n.nspname, c.relname, c.relkind, c.oid, c.relfilenode from pg_class c "
    "join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'v') "
    "and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_%'"
)
relations = {}
for schema, name, kind, oid, filenode in cursor.fetchall():
    if ignore and schema.startswith(ignore + "_"):
        continue
    digest = None
    if kind == "r":
        cursor.execute(
            "select md5(coalesce(string_agg(t::text, chr(10) order by t::text), '')) "
            f'from "{schema}"."{name}" t'
        )
        digest = cursor.fetchone()[0]
    relations[f"{schema}.{name}"] = [kind, oid, filenode, digest]
cursor.execute(
    "select nspname from pg_namespace where nspname not like 'pg_%' "
    "and nspname <> 'information_schema'"
)
schemas = sorted(row[0] for row in cursor.fetchall())
connection.close()
with open(out, "w") as handle:
    json.dump({"relations": relations, "schemas": schemas}, handle, indent=1, sort_keys=True)
EOF
}

step "the sample's raw tables on PostgreSQL, loaded on purpose (dbt seed, load_sample_data: true)"
DBT_TARGET_PATH="$work/target-postgres" dbt seed --target postgres --select path:seeds/raw \
    --vars "{load_sample_data: true}" --log-path "$work/logs-postgres" --no-use-colors \
    > "$work/postgres-seed.log" 2>&1 || { cat "$work/postgres-seed.log"; exit 1; }
snapshot "$work/before-build.json"

step "sample build on PostgreSQL (a plain dbt build --target postgres, bi_reader_role: bi_reader)"
MSI_API_SECRET_KEY=demo-key DBT_TARGET_PATH="$work/target-postgres" \
    dbt build --target postgres --vars "$(cat sample_vars.yml; echo 'bi_reader_role: bi_reader')" \
    --log-path "$work/logs-postgres" \
    --no-use-colors > "$work/postgres-build.log" 2>&1 \
    || { cat "$work/postgres-build.log"; exit 1; }
grep -E "Finished running|Done\. " "$work/postgres-build.log" | sed -E 's/^[0-9:]+ +//'
snapshot "$work/after-build.json"
python - "$work/before-build.json" "$work/after-build.json" << 'EOF'
import json
import sys

before, after = (json.load(open(path))["relations"] for path in sys.argv[1:])
raw = {name: value for name, value in before.items() if name.startswith("raw.")}
assert len(raw) == 11, f"expected the 11 raw tables before the build, found {sorted(raw)}"
changed = [name for name, value in raw.items() if after.get(name) != value]
assert not changed, f"a plain dbt build touched the raw tables: {changed}"
print(f"the {len(raw)} raw tables are untouched (same object, file and rows)")
EOF

step "bi_reader logs in: reads marts, is refused raw, config, staging, intermediate and audit"
python scripts/check_bi_reader.py --role bi_reader > "$work/bi-reader.log" \
    || { cat "$work/bi-reader.log"; exit 1; }
tail -n 1 "$work/bi-reader.log"

step "a build with schema_prefix: ci writes only ci_* schemas"
snapshot "$work/before-ci.json"
MSI_API_SECRET_KEY=demo-key DBT_TARGET_PATH="$work/target-postgres-ci" \
    dbt build --target postgres --vars "$(cat sample_vars.yml; echo 'schema_prefix: ci')" \
    --log-path "$work/logs-postgres-ci" --no-use-colors > "$work/postgres-ci.log" 2>&1 \
    || { cat "$work/postgres-ci.log"; exit 1; }
snapshot "$work/after-ci.json" ci
python - "$work/before-ci.json" "$work/after-ci.json" << 'EOF'
import json
import sys

before, after = (json.load(open(path)) for path in sys.argv[1:])
new_schemas = sorted(set(after["schemas"]) - set(before["schemas"]))
assert new_schemas and all(s.startswith("ci_") for s in new_schemas), new_schemas
assert {"ci_staging", "ci_intermediate", "ci_marts", "ci_audit"} <= set(new_schemas), new_schemas
changed = sorted(
    name
    for name in set(before["relations"]) | set(after["relations"])
    if before["relations"].get(name) != after["relations"].get(name)
)
assert not changed, f"the ci build touched relations outside ci_*: {changed}"
print("new schemas: " + ", ".join(new_schemas) + "; nothing outside them changed")
EOF

step "DuckDB references: the sample and the generated set (scripts/build_references.sh)"
refs="${CHAT_TOUCHPOINTS_REFERENCES:-$work/references}"
bash scripts/build_references.sh "$venv" "$refs"

step "comparing the engines (scripts/compare_engines.py)"
python scripts/compare_engines.py --duckdb "$refs/sample.duckdb"

# --- a generated data set: its raw tables copied from the DuckDB build, models only -------------
generated_vars="$(cat "$refs/generated_vars.yml")"

step "the generated set on PostgreSQL (raw tables copied, dbt build without tests), compared"
python scripts/copy_raw_tables.py --duckdb "$refs/generated.duckdb" --postgres > /dev/null
MSI_API_SECRET_KEY=demo-key DBT_TARGET_PATH="$work/target-postgres-generated" \
    dbt build --target postgres --vars "$generated_vars" --exclude-resource-type test unit_test \
    --log-path "$work/logs-postgres-generated" --no-use-colors \
    > "$work/postgres-generated.log" 2>&1 || { cat "$work/postgres-generated.log"; exit 1; }
python scripts/compare_engines.py --duckdb "$refs/generated.duckdb"

# the same raw rows in two loads (scripts/split_loads.py): the second dbt build is incremental
# (the base_ models parse the new rows and the earlier rows of the same ids, int_chat_activities
# and int_crm_campaign_memberships recompute what those reach) and must equal the full build
step "the generated set in two loads on PostgreSQL: the incremental build equals DuckDB's full one"
python scripts/split_loads.py first
MSI_API_SECRET_KEY=demo-key DBT_TARGET_PATH="$work/target-postgres-loads" \
    dbt build --target postgres --vars "$generated_vars" --exclude-resource-type test unit_test \
    --full-refresh --log-path "$work/logs-postgres-loads" --no-use-colors \
    > "$work/postgres-first-load.log" 2>&1 || { cat "$work/postgres-first-load.log"; exit 1; }
python scripts/split_loads.py second
MSI_API_SECRET_KEY=demo-key DBT_TARGET_PATH="$work/target-postgres-loads" \
    dbt build --target postgres --vars "$generated_vars" --exclude-resource-type test unit_test \
    --log-path "$work/logs-postgres-loads" --no-use-colors \
    > "$work/postgres-second-load.log" 2>&1 || { cat "$work/postgres-second-load.log"; exit 1; }
python scripts/compare_engines.py --duckdb "$refs/generated.duckdb"

step "PostgreSQL checks passed"
