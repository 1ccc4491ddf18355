#!/usr/bin/env bash
# The project's whole check, as CI runs it: lint, dbt parse, sqlfluff, pytest, the sample on
# PostgreSQL compared with DuckDB (scripts/test_postgres.sh), a full sample build, a second one
# whose marts and audit tables must be identical (scripts/check_determinism.py).
# Creates .venv (pip install -e '.[dev]') when it is missing. Usage: bash scripts/test.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
venv="${CHAT_TOUCHPOINTS_VENV:-$repo/.venv}"
if [ ! -x "$venv/bin/chat-touchpoints" ]; then
    echo "== creating $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -e '.[dev]'
fi
export PATH="$venv/bin:$PATH"

# Everything dbt writes goes to a scratch directory, not into the repository.
work="$(mktemp -d "${TMPDIR:-/tmp}/chat-touchpoints-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export DBT_PROFILES_DIR="$repo"
export DBT_TARGET_PATH="$work/target"
export DBT_LOG_PATH="$work/logs"
export CHAT_TOUCHPOINTS_DB="$work/lint.duckdb"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
unset MSI_API_SECRET_KEY
started=$SECONDS

step() { echo; echo "== $* ($((SECONDS - started)) s)"; }

step "ruff check"
ruff check .

step "dbt parse (no warnings allowed)"
dbt parse --no-partial-parse --show-all-deprecations --warn-error --no-use-colors \
    > "$work/parse.log" 2>&1 || { cat "$work/parse.log"; exit 1; }
if grep -Eiq 'warn|deprecat' "$work/parse.log"; then
    cat "$work/parse.log"
    echo "dbt parse printed warnings" >&2
    exit 1
fi

step "sqlfluff lint models"
sqlfluff lint models

step "pytest"
pytest -q tests/python

step "PostgreSQL: the sample on a throwaway server, compared with DuckDB"
bash scripts/test_postgres.sh "$venv"

step "sample build (chat-touchpoints build)"
MSI_API_SECRET_KEY=demo-key chat-touchpoints build --db "$work/sample.duckdb" --vars sample_vars.yml --quiet

step "determinism: a second sample build, every marts and audit table identical"
MSI_API_SECRET_KEY=demo-key chat-touchpoints build --db "$work/sample-again.duckdb" --vars sample_vars.yml --quiet
python scripts/check_determinism.py "$work/sample.duckdb" "$work/sample-again.duckdb"

step "all checks passed"
