#!/usr/bin/env bash
# The project's whole check, as CI runs it: lint, dbt parse, sqlfluff, pytest; the DuckDB builds of
# the sample and of a generated set (scripts/build_references.sh), which PostgreSQL and Apache
# Spark are compared with (scripts/test_postgres.sh, scripts/test_spark.sh, run in the background
# beside the rest); a second sample build whose marts and audit tables must be identical
# (scripts/check_determinism.py), the semantic layer, the published file read by DuckDB 1.1.3,
# export and docs site, metadata scores and coverage, a scheduled build and the benchmark smoke run.
# Creates .venv (pip install -e '.[dev]') when it is missing. Usage: bash scripts/test.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
venv="${CHAT_TOUCHPOINTS_VENV:-$repo/.venv}"
if [ ! -x "$venv/bin/chat-touchpoints" ]; then
    echo "== creating $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -e '.[dev,semantic]'
fi
if ! "$venv/bin/python" -c 'import xdist' 2> /dev/null; then
    echo "== installing the dev extra (pytest-xdist) into $venv"
    "$venv/bin/pip" install --quiet -e '.[dev]'
fi
if ! "$venv/bin/python" -c 'import dagster_dbt' 2> /dev/null; then
    echo "== installing the dagster extra into $venv"
    "$venv/bin/pip" install --quiet -e '.[dagster]'
fi
if [ ! -x "$venv/bin/mf" ]; then
    echo "== installing the semantic extra (MetricFlow) into $venv"
    "$venv/bin/pip" install --quiet -e '.[semantic]'
fi
export PATH="$venv/bin:$PATH"
# The report's browser test drives Debian's chromium (no browser download); as root, install it
# when it is missing, as scripts/test_postgres.sh does for the PostgreSQL server.
if ! command -v chromium > /dev/null 2>&1; then
    echo "== installing chromium (apt-get install chromium)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi

# Everything dbt writes goes to a scratch directory, not into the repository.
work="$(mktemp -d "${TMPDIR:-/tmp}/chat-touchpoints-test.XXXXXX")"
# the engines' background checks (below) are stopped with the script
trap 'jobs -p | xargs -r kill 2> /dev/null || true; rm -rf "$work"' EXIT
export DBT_PROFILES_DIR="$repo"
export DBT_TARGET_PATH="$work/target"
export DBT_LOG_PATH="$work/logs"
export CHAT_TOUCHPOINTS_DB="$work/lint.duckdb"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
# no dbt.log: the scratch directory is removed at the end, and writing every debug line cost
# about a sixth of a small build's time (a sample build: 41 s with it, 34 s without)
export DBT_LOG_LEVEL_FILE=none
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

step "pytest (one worker per core; a test module stays on one worker, so its shared build is made once)"
pytest -q -n "${CHAT_TOUCHPOINTS_PYTEST_WORKERS:-2}" --dist loadfile --durations=10 tests/python

step "DuckDB references: the sample and a generated set, built once for every comparison"
bash scripts/build_references.sh "$venv" "$work/references"

# PostgreSQL and Spark run beside the DuckDB checks below (each mostly waits on one dbt process);
# each writes its own log, printed when it ends, and the check fails if either fails.
background=()
engine() {  # engine NAME SCRIPT ARGS...: runs SCRIPT in the background with its own dbt paths
    local name="$1"
    shift
    DBT_TARGET_PATH="$work/target-$name" DBT_LOG_PATH="$work/logs-$name" \
        CHAT_TOUCHPOINTS_REFERENCES="$work/references" bash "$@" > "$work/$name.log" 2>&1 &
    background+=("$name:$!")
}
step "PostgreSQL (scripts/test_postgres.sh) and Apache Spark (scripts/test_spark.sh --generated): started, each compared with DuckDB"
engine postgres scripts/test_postgres.sh "$venv"
engine spark scripts/test_spark.sh --generated "$venv"

step "sample build (chat-touchpoints build): the reference; determinism: a second one, every marts and audit table identical"
cp "$work/references/sample.duckdb" "$work/sample.duckdb"
MSI_API_SECRET_KEY=demo-key chat-touchpoints build --db "$work/sample-again.duckdb" --vars sample_vars.yml --quiet
python scripts/check_determinism.py "$work/sample.duckdb" "$work/sample-again.duckdb"

step "semantic layer: mf validate-configs, one mf query per metric group (sample)"
# mf reads target/semantic_manifest.json under the directory it runs in: a scratch project of
# links whose target/ is parsed for the sample's file (relations are named after its catalog).
mf_project="$work/mf_project"
mkdir -p "$mf_project"
for entry in dbt_project.yml profiles.yml models macros seeds tests; do
    ln -s "$repo/$entry" "$mf_project/$entry"
done
CHAT_TOUCHPOINTS_DB="$work/sample.duckdb" dbt parse --quiet --target-path "$work/mf_target"
ln -s "$work/mf_target" "$mf_project/target"
(
    cd "$mf_project"
    export CHAT_TOUCHPOINTS_DB="$work/sample.duckdb"
    # the spinner's frames left out: the outcome of each validation step, or everything on error
    mf validate-configs > "$work/mf_validate.txt" 2>&1 || { cat "$work/mf_validate.txt"; exit 1; }
    grep -o '✔ [^⠋]*' "$work/mf_validate.txt"
    mf_query() {  # the result table only, without the spinner's line
        mf query "$@" > "$work/mf_query.txt" 2>&1 || { cat "$work/mf_query.txt"; exit 1; }
        grep -v 'Initiating query' "$work/mf_query.txt"
    }
    mf_query --metrics touchpoints,touchpoints_counted_once,web_chat_touchpoints \
        --group-by touchpoint__touchpoint_type
    mf_query --metrics suppressed_touchpoints,suppressed_chat_duplicates \
        --group-by suppressed_candidate__suppression_reason
    mf_query --metrics attributed_pipeline_first_touch,attributed_pipeline_lead_creation,attributed_pipeline_u_shape,attributed_pipeline_w_shape,attributed_pipeline_full_path,attributed_pipeline_custom \
        --group-by attribution_touchpoint__channel
    mf_query --metrics attributed_won_revenue_first_touch,attributed_won_revenue_lead_creation,attributed_won_revenue_u_shape,attributed_won_revenue_w_shape,attributed_won_revenue_full_path,attributed_won_revenue_custom \
        --group-by attribution_touchpoint__channel
    mf_query --metrics chat_activities,engaged_in_dialogue_activities,scheduled_appointment_activities,reached_goal_activities,interacted_with_document_activities \
        --group-by metric_time__month --order metric_time__month
    mf_query --saved-query si_insights_chat_weekly
)

step "the published sample opens in DuckDB 1.1.3 (an isolated environment) with the same rows"
python3 -m venv "$work/duckdb-1.1"
"$work/duckdb-1.1/bin/pip" install --quiet --disable-pip-version-check duckdb==1.1.3
"$work/duckdb-1.1/bin/python" scripts/read_with_old_duckdb.py "$work/sample.duckdb" \
    > "$work/read-1.1.txt"
python scripts/read_with_old_duckdb.py "$work/sample.duckdb" > "$work/read-current.txt"
diff "$work/read-1.1.txt" "$work/read-current.txt"

step "export (CSV) and the offline docs site"
chat-touchpoints export --db "$work/sample.duckdb" --out "$work/export" --format csv > /dev/null
ls "$work"/export/marts/*.csv "$work"/export/audit/*.csv | wc -l | xargs echo "files exported:"
chat-touchpoints docs --db "$work/sample.duckdb" --out "$work/site" --target-path "$work/docs-target"
if grep -Eiq '<(script|link)[^>]+(src|href)="https?:' "$work/site/index.html"; then
    echo "the docs site loads a script or stylesheet from the network" >&2
    exit 1
fi

step "metadata: dbt-score, documentation and test coverage (scripts/check_metadata.py)"
python scripts/check_metadata.py "$work/docs-target"

step "scheduled build: generate --delta, build --append onto the sample, source freshness"
chat-touchpoints generate --out "$work/delta" --people 30 --days 90 --delta 1 --seed 7 > /dev/null
MSI_API_SECRET_KEY=demo-key chat-touchpoints build --db "$work/sample.duckdb" --vars sample_vars.yml \
    --append --raw "$work/delta" --quiet
CHAT_TOUCHPOINTS_DB="$work/sample.duckdb" dbt source freshness --select source:web.web_sessions

step "benchmark smoke run (smallest size)"
python scripts/benchmark.py --smoke --pairs 2 --work "$work/benchmark-work" --out "$work/benchmark"

for job in "${background[@]}"; do
    name="${job%%:*}"
    step "$name: waiting for it to end"
    if wait "${job##*:}"; then
        cat "$work/$name.log"
    else
        cat "$work/$name.log"
        echo "the $name checks failed" >&2
        exit 1
    fi
done

step "all checks passed"
