#!/usr/bin/env bash
# The project on Apache Spark: builds and tests the sample company with the `spark` target (dbt-spark
# in session mode: a local master inside the dbt process, bound to 127.0.0.1, its warehouse and
# Derby metastore in a scratch directory, Parquet tables) and compares every marts and audit table
# with the DuckDB build of the same sample (scripts/compare_engines.py --spark). Then copies the
# raw tables of a generated data set's DuckDB build (chat-touchpoints generate --people 2000)
# unchanged into Spark (scripts/copy_raw_tables.py), builds it there (models only: the data tests
# ran on the sample) and compares again. The DuckDB builds come from scripts/build_references.sh,
# into CHAT_TOUCHPOINTS_REFERENCES when it is set, else into the scratch directory.
# (scripts/test_postgres.sh does the same for PostgreSQL.) The scratch directory is removed on exit.
#
# Usage: bash scripts/test_spark.sh [--generated] [VENV]
#   (VENV: default $CHAT_TOUCHPOINTS_VENV, else .venv; the generated set only with --generated)
# The venv must hold the project (pip install -e '.[dev]'); the `spark` extra (dbt-spark, pyspark)
# is installed into it here. Spark needs Java 17: when `java` is missing, Debian's
# openjdk-17-jre-headless is installed with apt-get (as root).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
generated=false
if [ "${1:-}" = "--generated" ]; then
    generated=true
    shift
fi
venv="${1:-${CHAT_TOUCHPOINTS_VENV:-$repo/.venv}}"
if [ ! -x "$venv/bin/chat-touchpoints" ]; then
    echo "no chat-touchpoints in $venv: create it with pip install -e '.[dev]' first" >&2
    exit 2
fi
export PATH="$venv/bin:$PATH"
started=$SECONDS
step() { echo; echo "== $* ($((SECONDS - started)) s)"; }

if ! command -v java > /dev/null; then
    step "installing Java (apt-get install openjdk-17-jre-headless)"
    if [ "$(id -u)" -ne 0 ]; then
        echo "java not found, and installing it needs root" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless > /dev/null
fi

step "installing the spark extra into $venv"
pip install --quiet -e "$repo[spark]"

work="$(mktemp -d "${TMPDIR:-/tmp}/chat-touchpoints-spark.XXXXXX")"
trap 'rm -rf "$work"' EXIT

export DBT_PROFILES_DIR="$repo"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export SPARK_LOCAL_IP=127.0.0.1
unset MSI_API_SECRET_KEY CHAT_TOUCHPOINTS_SPARK_METHOD

# spark_build NAME VARS [DBT ARGS]: dbt build --target spark in its own warehouse ($work/NAME),
# timed
spark_build() {
    local name="$1" vars="$2" begun=$SECONDS
    shift 2
    MSI_API_SECRET_KEY=demo-key CHAT_TOUCHPOINTS_SPARK_DIR="$work/$name" \
        DBT_TARGET_PATH="$work/target-$name" \
        dbt build --target spark --vars "$vars" --log-path "$work/logs-$name" --no-use-colors "$@" \
        > "$work/$name-build.log" 2>&1 || { cat "$work/$name-build.log"; exit 1; }
    grep -E "Finished running|Done\. " "$work/$name-build.log" | sed -E 's/^[0-9:]+ +//'
    echo "Spark build of the $name: $((SECONDS - begun)) s"
}

# --- the sample ----------------------------------------------------------------------------------
step "sample build on Spark (dbt build --target spark, load_sample_data: true)"
mkdir -p "$work/sample"
spark_build sample "$(cat sample_vars.yml; echo 'load_sample_data: true')"

step "DuckDB references (scripts/build_references.sh)"
refs="${CHAT_TOUCHPOINTS_REFERENCES:-$work/references}"
if [ "$generated" = true ]; then
    bash scripts/build_references.sh "$venv" "$refs"
else
    bash scripts/build_references.sh --sample-only "$venv" "$refs"
fi

step "comparing the sample on Spark and DuckDB (scripts/compare_engines.py --spark)"
python scripts/compare_engines.py --duckdb "$refs/sample.duckdb" --spark "$work/sample" \
    2> "$work/compare-sample.err" || { cat "$work/compare-sample.err"; exit 1; }

# --- a generated data set ------------------------------------------------------------------------
if [ "$generated" != true ]; then
    step "Spark checks passed (the sample; the generated set runs with --generated)"
    exit 0
fi

generated_vars="$(cat "$refs/generated_vars.yml")"

step "the generated raw tables copied into Spark (scripts/copy_raw_tables.py)"
mkdir -p "$work/generated-spark"
python scripts/copy_raw_tables.py --duckdb "$refs/generated.duckdb" \
    --spark "$work/generated-spark" 2> "$work/copy.err" || { cat "$work/copy.err"; exit 1; }

# the data tests ran on the sample; here the comparison is the test
step "generated data set on Spark (dbt build --target spark, without tests)"
spark_build generated-spark "$generated_vars" --exclude-resource-type test unit_test

step "comparing the generated set on Spark and DuckDB"
python scripts/compare_engines.py --duckdb "$refs/generated.duckdb" \
    --spark "$work/generated-spark" 2> "$work/compare-generated.err" \
    || { cat "$work/compare-generated.err"; exit 1; }

step "Spark checks passed"
