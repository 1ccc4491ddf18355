#!/usr/bin/env bash
# The DuckDB builds the other engines are compared with (scripts/test_postgres.sh,
# scripts/test_spark.sh), made once into DIR and reused by every script that is given the same DIR:
#   DIR/sample.duckdb        the sample company (sample_vars.yml)
#   DIR/generated.duckdb     a generated set (chat-touchpoints generate --people 2000 --seed 7),
#                            built with the variables of DIR/generated_vars.yml
# The two builds run side by side (one process each). A build that is already complete (DIR/.NAME
# exists) is kept; --sample-only leaves the generated set out. Readers open the files read-only.
#
# Usage: bash scripts/build_references.sh [--sample-only] VENV DIR
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
sample_only=false
if [ "${1:-}" = "--sample-only" ]; then
    sample_only=true
    shift
fi
venv="$1"
dir="$2"
export PATH="$venv/bin:$PATH"
export DBT_PROFILES_DIR="$PWD"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
mkdir -p "$dir"

# as_of fixed, so that every engine reads the open opportunities at the same moment
cat > "$dir/generated_vars.yml" << 'EOF'
web_chat_enabled_at: '2026-02-15T00:00:00Z'
as_of: '2026-06-01T00:00:00Z'
EOF

# reference NAME ARGS...: chat-touchpoints build --db DIR/NAME.duckdb ARGS, logged to DIR/NAME.log
reference() {
    local name="$1"
    shift
    [ -f "$dir/.$name" ] && return 0
    MSI_API_SECRET_KEY=demo-key DBT_TARGET_PATH="$dir/target-$name" DBT_LOG_PATH="$dir/logs-$name" \
        chat-touchpoints build --db "$dir/$name.duckdb" "$@" > "$dir/$name.log" 2>&1 \
        || { cat "$dir/$name.log"; return 1; }
    touch "$dir/.$name"
}

begun=$SECONDS
reference sample --vars sample_vars.yml &
sample_pid=$!
generated_pid=
if [ "$sample_only" != true ]; then
    if [ ! -f "$dir/.generated" ]; then
        chat-touchpoints generate --out "$dir/generated-raw" --people 2000 --seed 7 > /dev/null
    fi
    reference generated --raw "$dir/generated-raw" --vars "$dir/generated_vars.yml" &
    generated_pid=$!
fi
status=0
wait "$sample_pid" || status=1
[ -z "$generated_pid" ] || wait "$generated_pid" || status=1
[ "$status" -eq 0 ] || { echo "a DuckDB reference build failed" >&2; exit 1; }
echo "DuckDB reference builds in $dir: $((SECONDS - begun)) s"
