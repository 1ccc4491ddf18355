"""Benchmark: generated data sets of several sizes through every stage of a build.

    python scripts/benchmark.py --people 1000 10000 100000 [--work DIR] [--seed S] [--vars YAML]
    python scripts/benchmark.py --raw DIR                  # a data set you already have
    python scripts/benchmark.py --people 1000000 --determinism   # and a second build, compared
    python scripts/benchmark.py --people 1000000 --pairs 3   # dbt build / plain SQL three times

Per size and stage it prints wall time, raw rows per second and peak memory (the stage runs in
its own process, which reports its peak resident set size). Stages:
  generate        chat-touchpoints generate (skipped with --raw)
  load            the raw CSV files into a fresh DuckDB file, as text (chat_touchpoints.loading),
                  stamped as a scheduler's earlier loads: three days ago, and about 1 % of the
                  rows (the previous load) one day ago
  dbt build       dbt build of everything but the raw seeds (models, config seeds, data tests),
                  with the node time summed per layer (seeds, staging, intermediate, marts,
                  audit, data tests) from dbt's results: layers depend on each other both ways,
                  so they cannot be built one after the other
  dbt compile     dbt compile against a copy of the loaded file (for the plain SQL stage)
  plain SQL       the compiled SQL of every model, in dependency order (manifest.json), as
                  `create table` (views stay views) in one DuckDB connection: the same
                  transformation without dbt (no tests, no per-node rendering). It runs right
                  after the dbt build, so that both meet the machine in the same state
  scan floor      every raw table read once with its typed columns cast (`try_cast`) in one
                  DuckDB session: the least any build must spend
  generate delta  chat-touchpoints generate --delta 1: the next day of the same company (about
                  1 % new rows; skipped with --raw)
  incremental     the delta appended to the built file (stamped now, chat_touchpoints.loading)
                  and dbt build again, as `chat-touchpoints build --append` runs it (without
                  the unit tests): the `base_` models parse only the rows inside the 24-hour
                  lookback, the previous load's and the delta's (node time per layer as for
                  dbt build)
  incremental, nothing new
                  the same appending build once more, with header-only files: only the models
                  that depend on the time of the build run (the benchmark sets no `as_of`)
  incremental, events only
                  another day's rows (the delta of the next seed) of the event streams only
                  (web_sessions, drift_chat_events, marketo_activities)
  copy to publish the copy of the built file that `chat-touchpoints build --append` makes before
                  it builds (it publishes by swapping the copy in): the incremental stages build
                  in place, so the command's time is theirs plus this
  dbt build, pair K / plain SQL, pair K
                  (with --pairs N, K = 2..N) the dbt build and plain SQL again, back to back, on
                  a fresh copy of the loaded file: the ratio of the two moves with the machine's
                  speed from one minute to the next (1.1x to 1.7x at 12 M raw rows across runs),
                  so it is reported per pair and as the median of the pairs
  dbt build again  (with --determinism) the same dbt build on a second copy of the loaded file;
                  every marts and audit table of both builds is then fingerprinted
                  (scripts/check_determinism.py) and the tables that differ are listed
The slowest models of the dbt build, incremental and plain SQL runs and the slowest data tests
follow the table. With --out DIR, the rows also go to DIR/benchmark.csv and a chart of time and
peak memory against size to DIR/benchmark.png (matplotlib). --smoke runs the smallest size only.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RESULT_PREFIX = "BENCHMARK_RESULT "
LAYERS = ("seeds", "staging", "intermediate", "marts", "audit", "data tests", "hooks, other")
INCREMENTAL_STAGES = (
    "incremental (1 day)",
    "incremental, nothing new",
    "incremental, events only",
)
# the raw tables a scheduler typically finds new rows in every few hours: the event streams (the
# CRM and Marketo lead records sync less often)
EVENT_TABLES = ("web_sessions", "drift_chat_events", "marketo_activities")


# -- stages, each run in a child process ------------------------------------------------------


def stage_generate(args: dict[str, Any]) -> dict[str, Any]:
    from chat_touchpoints.generate import generate

    counts = generate(Path(args["raw"]), people=args["people"], seed=args["seed"])
    return {"rows": sum(counts.values())}


def stage_load(args: dict[str, Any]) -> dict[str, Any]:
    from datetime import datetime, timedelta, timezone

    from chat_touchpoints.build import seed_files
    from chat_touchpoints.loading import discover_raw_files, load_files, load_stamp

    files = discover_raw_files(Path(args["raw"]))[0] if args.get("raw") else []
    # stamped as a scheduler's earlier loads would be: the history three days ago, and about 1 %
    # of its rows (the previous scheduled load) one day ago. The incremental stage's delta,
    # loaded now, then parses that previous load again (inside the 24-hour lookback) and itself.
    now = datetime.now(timezone.utc)
    loaded = load_files(Path(args["db"]), files, stamp=load_stamp(now - timedelta(days=3)))
    if files:
        import duckdb

        from chat_touchpoints.loading import LOADED_AT_COLUMN
        from chat_touchpoints.raw_tables import RAW_TABLES

        previous = load_stamp(now - timedelta(days=1))
        with duckdb.connect(args["db"]) as con:
            for table in RAW_TABLES:
                con.execute(
                    f'update raw."{table}" set "{LOADED_AT_COLUMN}" = ? '
                    "where hash(rowid) % 100 = 0",
                    [previous],
                )
    if args.get("with_config_seeds"):
        load_files(Path(args["db"]), [f for f in seed_files() if f.spec.schema == "config"])
    return {"rows": sum(loaded.values())}


def _cast(column: str) -> str:
    """The typed reading of a raw column, by the naming rules of the raw tables."""
    quoted = f'"{column}"'
    if column.endswith("_at") or column == "scheduled_for":
        return f"try_cast({quoted} as timestamptz)"
    if column.endswith("_date"):
        return f"try_cast({quoted} as date)"
    if column.startswith(("is_", "has_")) or column == "chat_tracking_enabled":
        return f"try_cast({quoted} as boolean)"
    if column == "amount":
        return f"try_cast({quoted} as decimal(18, 2))"
    return quoted


def stage_scan(args: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    from chat_touchpoints.raw_tables import RAW_TABLES

    with duckdb.connect(args["db"]) as con:
        for table, columns in RAW_TABLES.items():
            select = ", ".join(f"{_cast(c)} as {c}" for c in columns)
            con.execute(f"create or replace temp table scan as select {select} from raw.{table}")
    return {}


def stage_delta(args: dict[str, Any]) -> dict[str, Any]:
    from chat_touchpoints.generate import generate_delta

    counts = generate_delta(
        Path(args["out"]),
        people=args["people"],
        days=90,
        delta_days=1,
        seed=args["seed"],
        history=Path(args["history"]) if args.get("history") else None,
    )
    return {"rows": sum(counts.values())}


def _vars(args: dict[str, Any]) -> Any:
    """The stage's dbt variables, with an API key so that the Sales Insight marts are built."""
    from chat_touchpoints.build import Vars, read_vars

    vars = read_vars(args.get("vars"))
    return Vars(vars.text, vars.secret_key or "benchmark-key")


def stage_append(args: dict[str, Any]) -> dict[str, Any]:
    from chat_touchpoints.build import build
    from chat_touchpoints.loading import discover_raw_files

    # as `chat-touchpoints build --append` does it, in place: the files' rows appended, then
    # only what changed raw tables reach built, without seeds and unit tests. With the default
    # lookback of 24 hours, the previous load (stage_load) is parsed again with the delta.
    result = build(
        Path(args["db"]),
        files=discover_raw_files(Path(args["raw"]))[0],
        vars=_vars(args),
        append=True,
        target_path=Path(args["target"]),
        log_path=Path(args["target"]) / "logs",
        quiet=True,
    )
    return {
        **_run_figures(result.dbt, Path(args["target"])),
        "rows": sum(result.loaded.values()),
        "notes": list(result.notes),
    }


def stage_copy(args: dict[str, Any]) -> dict[str, Any]:
    from chat_touchpoints.build import copy_database

    # what `chat-touchpoints build --append` does before it builds (build.py, publishing)
    copy = Path(args["db"]).with_suffix(".copy")
    try:
        copy_database(Path(args["db"]), copy)
    finally:
        copy.unlink(missing_ok=True)
        Path(f"{copy}.wal").unlink(missing_ok=True)
    return {}


def stage_dbt(args: dict[str, Any]) -> dict[str, Any]:
    from chat_touchpoints.build import record_build
    from chat_touchpoints.runner import SECRET_ENV, run_dbt

    vars = _vars(args)
    run = run_dbt(
        args["command"],
        Path(args["db"]),
        args["dbt_args"],
        vars_text=vars.text,
        target_path=Path(args["target"]),
        log_path=Path(args["target"]) / "logs",
        quiet=True,
        env={SECRET_ENV: vars.secret_key},
    )
    if args.get("record") and run.success:
        # what `chat-touchpoints build` keeps for the next, incremental build
        record_build(Path(args["db"]), vars)
    return _run_figures(run, Path(args["target"]))


def _run_figures(run: Any, target: Path) -> dict[str, Any]:
    """Outcome, node count, slowest models and tests, and node time per layer of a dbt run."""

    def slowest(resource_type: str) -> list[tuple[str, float]]:
        nodes = sorted(
            (n for n in run.nodes if n.resource_type == resource_type),
            key=lambda n: n.execution_time,
            reverse=True,
        )
        return [(n.name, n.execution_time) for n in nodes[:5]]

    return {
        "ok": run.success,
        "error": run.error or "; ".join(f"{n.name}: {n.status}" for n in run.failed_nodes),
        "nodes": len(run.nodes),
        "models": slowest("model"),
        "tests": slowest("test"),
        "layers": layer_seconds(target, run.nodes) if run.nodes else {},
    }


def layer_of(node: dict[str, Any]) -> str:
    """The layer a manifest node belongs to, by its folder."""
    if node["resource_type"] in ("test", "unit_test"):
        return "data tests"
    if node["resource_type"] == "seed":
        return "seeds"
    parts = Path(node.get("original_file_path", "")).parts
    if len(parts) > 2 and parts[0] == "models" and parts[1] in LAYERS:
        return parts[1]
    return "hooks, other"


def layer_seconds(target: Path, nodes: Any) -> dict[str, float]:
    """Node execution time summed per layer (from dbt's results and manifest.json)."""
    manifest_path = target / "manifest.json"
    if not manifest_path.is_file():
        return {}
    manifest = json.loads(manifest_path.read_text())
    known = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    seconds: dict[str, float] = {}
    for n in nodes:
        layer = layer_of(known[n.unique_id]) if n.unique_id in known else "hooks, other"
        seconds[layer] = seconds.get(layer, 0.0) + n.execution_time
    return seconds


def model_order(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Model nodes in dependency order (parents first)."""
    nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    ordered: list[dict[str, Any]] = []
    state: dict[str, str] = {}

    def visit(unique_id: str) -> None:
        if state.get(unique_id) == "done":
            return
        if state.get(unique_id) == "visiting":
            raise ValueError(f"cycle at {unique_id}")
        state[unique_id] = "visiting"
        for parent in nodes[unique_id]["depends_on"]["nodes"]:
            if parent in nodes:
                visit(parent)
        state[unique_id] = "done"
        ordered.append(nodes[unique_id])

    for unique_id in sorted(nodes):
        visit(unique_id)
    return ordered


def stage_plain(args: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    manifest = json.loads((Path(args["target"]) / "manifest.json").read_text())
    timings = []
    with duckdb.connect(args["db"]) as con:
        for node in model_order(manifest):
            materialized = node["config"]["materialized"]
            if materialized == "ephemeral":
                continue
            kind = "view" if materialized == "view" else "table"
            con.execute(f'create schema if not exists "{node["schema"]}"')
            started = time.perf_counter()
            con.execute(
                f"create or replace {kind} {node['relation_name']} as (\n{node['compiled_code']}\n)"
            )
            timings.append((node["name"], time.perf_counter() - started))
    timings.sort(key=lambda t: t[1], reverse=True)
    return {"models": timings[:5]}


def stage_compare(args: dict[str, Any]) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    from check_determinism import compare, fingerprints

    lines = compare(fingerprints(Path(args["first"])), fingerprints(Path(args["second"])))
    differ = [line for line in lines if line.startswith("DIFF")]
    return {"ok": not differ and bool(lines), "error": "; ".join(differ), "tables": len(lines)}


STAGES = {
    "generate": stage_generate,
    "scan": stage_scan,
    "delta": stage_delta,
    "append": stage_append,
    "copy": stage_copy,
    "load": stage_load,
    "dbt": stage_dbt,
    "plain": stage_plain,
    "compare": stage_compare,
}


def child_main(name: str, args_json: str) -> None:
    result = STAGES[name](json.loads(args_json))
    # ru_maxrss is in KiB on Linux: peak_mb (the CSV column's name) holds MiB
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(RESULT_PREFIX + json.dumps(result))


# -- the parent: run stages, print the table --------------------------------------------------


def run_stage(name: str, args: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, __file__, "_stage", name, json.dumps(args)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    for line in reversed(process.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
            break
    else:
        tail = (process.stderr or process.stdout).strip().splitlines()[-5:]
        result = {"ok": False, "error": " | ".join(tail)}
    result["seconds"] = seconds
    return result


def write_empty_raw(out: Path) -> Path:
    """A header-only CSV file per raw table: an appended batch with no rows."""
    from chat_touchpoints.raw_tables import RAW_TABLES

    out.mkdir(parents=True, exist_ok=True)
    for table, columns in RAW_TABLES.items():
        (out / f"{table}.csv").write_text(",".join(columns) + "\n", encoding="utf-8")
    return out


def write_events_only(source: Path, out: Path) -> Path:
    """`source`'s files of the event tables, and a header-only file for every other raw table."""
    write_empty_raw(out)
    for table in EVENT_TABLES:
        shutil.copyfile(source / f"{table}.csv", out / f"{table}.csv")
    return out


def count_raw_rows(raw: Path) -> int:
    total = 0
    for path in raw.glob("*.csv"):
        with open(path, "rb") as f:
            total += max(
                sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1, 0
            )
    return total


def benchmark(
    label: str,
    raw: Path | None,
    people: int | None,
    work: Path,
    seed: int,
    vars_text: str | None,
    determinism: bool = False,
    pairs: int = 1,
) -> list[tuple[str, str, dict[str, Any]]]:
    rows_out: list[tuple[str, str, dict[str, Any]]] = []
    base = work / label
    # a generated data set is kept beside the stages' scratch files (a 50 M-row set takes many
    # minutes to write) and reused by the next run of the same size and seed
    generated = work / f"{label}-seed{seed}-raw"
    shutil.rmtree(base, ignore_errors=True)
    (base / "dbt").mkdir(parents=True)
    (base / "plain").mkdir()
    if raw is None:
        raw = generated
        if (raw / ".complete").is_file():
            print(f"{label}: reusing the data set generated in {raw}", flush=True)
        else:
            shutil.rmtree(raw, ignore_errors=True)
            made = run_stage("generate", {"raw": str(raw), "people": people, "seed": seed})
            rows_out.append((label, "generate", made))
            if made.get("ok", True):
                (raw / ".complete").touch()
    raw_rows = count_raw_rows(raw)
    # the same file name in both directories: compiled SQL names the catalog after the file stem
    dbt_db, plain_db = base / "dbt" / "bench.duckdb", base / "plain" / "bench.duckdb"
    rows_out.append((label, "load", run_stage("load", {"raw": str(raw), "db": str(dbt_db)})))
    shutil.copy(dbt_db, plain_db)
    loaded_db = base / "loaded.duckdb"
    if pairs > 1:
        # the loaded file as it was, for the repeated pairs of dbt build and plain SQL
        shutil.copy(dbt_db, loaded_db)
    rows_out.append((label, "scan floor", run_stage("scan", {"db": str(plain_db)})))
    # plain SQL: configuration seeds as text, compile against this file (nothing built yet, so
    # incremental models compile to their full form); it runs right after the dbt build
    run_stage("load", {"raw": None, "db": str(plain_db), "with_config_seeds": True})
    plain_target = str(base / "plain" / "target")
    rows_out.append(
        (
            label,
            "dbt compile",
            run_stage(
                "dbt",
                {
                    "db": str(plain_db),
                    "target": plain_target,
                    "vars": vars_text,
                    "command": "compile",
                    "dbt_args": [
                        "--select",
                        "resource_type:model",
                        "--indirect-selection",
                        "empty",
                    ],
                },
            ),
        )
    )
    plain_args = {"db": str(plain_db), "target": plain_target}
    again_db = base / "again" / "bench.duckdb"
    if determinism:
        again_db.parent.mkdir()
        shutil.copy(dbt_db, again_db)
    build_args = {
        "db": str(dbt_db),
        "target": str(base / "dbt" / "target"),
        "vars": vars_text,
        "command": "build",
        "dbt_args": ["--exclude", "path:seeds/raw"],
        "record": True,
    }
    rows_out.append((label, "dbt build", run_stage("dbt", build_args)))
    rows_out.append((label, "plain SQL", run_stage("plain", plain_args)))
    if determinism:
        again_args = {**build_args, "db": str(again_db), "target": str(again_db.parent / "target")}
        rows_out.append((label, "dbt build again", run_stage("dbt", again_args)))
        compared = run_stage("compare", {"first": str(dbt_db), "second": str(again_db)})
        rows_out.append((label, "marts, audit identical", compared))
        # compared before the delta changes the first file; a large file: keep the disk
        again_db.unlink()
    if people is not None:
        delta = base / "delta"
        made = run_stage(
            "delta", {"out": str(delta), "people": people, "seed": seed, "history": str(raw)}
        )
        rows_out.append((label, "generate delta", made))
        appended = run_stage("append", {**build_args, "raw": str(delta)})
        rows_out.append((label, "incremental (1 day)", appended))
        empty = write_empty_raw(base / "nothing")
        nothing = run_stage("append", {**build_args, "raw": str(empty)})
        rows_out.append((label, "incremental, nothing new", nothing))
        # another day's rows of the event streams only (the delta of the next seed)
        later = base / "later"
        run_stage(
            "delta", {"out": str(later), "people": people, "seed": seed + 1, "history": str(raw)}
        )
        events = write_events_only(later, base / "events")
        appended = run_stage("append", {**build_args, "raw": str(events)})
        rows_out.append((label, "incremental, events only", appended))
        rows_out.append((label, "copy to publish", run_stage("copy", {"db": str(dbt_db)})))
    for pair in range(2, pairs + 1):
        # the same full build on the file as loaded (same path and target: dbt parses as little
        # as it did the first time), then plain SQL, which replaces its tables
        shutil.copy(loaded_db, dbt_db)
        Path(f"{dbt_db}.wal").unlink(missing_ok=True)
        rows_out.append((label, f"dbt build, pair {pair}", run_stage("dbt", build_args)))
        rows_out.append((label, f"plain SQL, pair {pair}", run_stage("plain", plain_args)))
    loaded_db.unlink(missing_ok=True)
    for _, _, result in rows_out:
        result["raw_rows"] = raw_rows
    return rows_out


def print_table(rows: list[tuple[str, str, dict[str, Any]]]) -> None:
    header = (
        f"{'data set':<16} {'stage':<26} {'raw rows':>12} {'seconds':>9} {'rows/s':>11} "
        f"{'peak MiB':>8}  note"
    )
    print(header)
    print("-" * len(header))

    def line(label: str, stage: str, raw_rows: int, seconds: float, peak: str, note: str) -> None:
        rate = f"{raw_rows / seconds:,.0f}" if seconds else "-"
        print(
            f"{label:<16} {stage:<26} {raw_rows:>12,} {seconds:>9.1f} {rate:>11} {peak:>8}  {note}"
        )

    for label, stage, r in rows:
        note = "" if r.get("ok", True) else f"FAILED: {r.get('error', '')[:80]}"
        peak = f"{r['peak_mb']:.0f}" if "peak_mb" in r else "-"
        line(label, stage, r["raw_rows"], r["seconds"], peak, note)
        for layer in LAYERS:  # summed node times; with several threads they overlap
            if stage in ("dbt build", *INCREMENTAL_STAGES) and layer in r.get("layers", {}):
                line("", f"  {layer} (node time)", r["raw_rows"], r["layers"][layer], "", "")
        for build_note in r.get("notes", []):  # what an incremental build found changed
            print(f"{'':<16}   {build_note}")


def pair_ratios(stages: dict[str, dict[str, Any]]) -> list[float]:
    """dbt build time over plain SQL time, for the first pair and each repeated one."""
    ratios = []
    for suffix in ("", *(f", pair {k}" for k in range(2, len(stages) + 2))):
        build, plain = stages.get(f"dbt build{suffix}"), stages.get(f"plain SQL{suffix}")
        if not (build and plain and plain.get("seconds")):
            break
        ratios.append(build["seconds"] / plain["seconds"])
    return ratios


def print_comparison(rows: list[tuple[str, str, dict[str, Any]]]) -> None:
    for label in dict.fromkeys(label for label, _, _ in rows):
        stages = {stage: r for lab, stage, r in rows if lab == label}
        ratios = pair_ratios(stages)
        if ratios:
            build, plain = stages["dbt build"], stages["plain SQL"]
            print(
                f"{label}: dbt build {build['seconds']:.1f} s (with data tests, parsing and "
                f"per-node rendering) vs plain SQL {plain['seconds']:.1f} s: {ratios[0]:.2f}x"
            )
            if len(ratios) > 1:
                print(
                    "  dbt build / plain SQL per pair: "
                    + ", ".join(f"{ratio:.2f}x" for ratio in ratios)
                    + f"; median {statistics.median(ratios):.2f}x"
                )
        for stage in ("dbt build", *INCREMENTAL_STAGES, "plain SQL"):
            models = stages.get(stage, {}).get("models", [])
            if models:
                print(
                    f"  slowest models, {stage}: "
                    + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in models[:5])
                )
        tests = stages.get("dbt build", {}).get("tests", [])
        if tests:
            print(
                "  slowest data tests: "
                + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in tests[:5])
            )
        compared = stages.get("marts, audit identical")
        if compared:
            verdict = "identical" if compared.get("ok") else f"DIFFER: {compared.get('error')}"
            print(f"  determinism: {compared.get('tables', 0)} marts and audit tables {verdict}")


CSV_COLUMNS = ("data_set", "stage", "raw_rows", "seconds", "rows_per_second", "peak_mb", "ok")


def write_outputs(rows: list[tuple[str, str, dict[str, Any]]], out: Path) -> None:
    """benchmark.csv (one row per data set and stage) and benchmark.png: seconds and peak memory
    of the main stages against raw rows."""
    import csv

    out.mkdir(parents=True, exist_ok=True)
    with (out / "benchmark.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for label, stage, r in rows:
            seconds = r["seconds"]
            writer.writerow(
                [
                    label,
                    stage,
                    r["raw_rows"],
                    f"{seconds:.2f}",
                    f"{r['raw_rows'] / seconds:.0f}" if seconds else "",
                    f"{r['peak_mb']:.0f}" if "peak_mb" in r else "",
                    r.get("ok", True),
                ]
            )
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(11, 4.5))
    for stage in ("scan floor", "dbt build", "plain SQL", *INCREMENTAL_STAGES):
        points = sorted((r["raw_rows"], r) for _, s, r in rows if s == stage)
        if not points:
            continue
        sizes = [size for size, _ in points]
        time_axis.plot(sizes, [r["seconds"] for _, r in points], marker="o", label=stage)
        memory_axis.plot(
            sizes, [r.get("peak_mb", 0) for _, r in points], marker="o", label=stage
        )
    for axis, title in ((time_axis, "wall time (s)"), (memory_axis, "peak memory (MiB)")):
        axis.set_xscale("log")
        axis.set_xlabel("raw rows")
        axis.set_title(title)
        axis.grid(True, alpha=0.3)
        axis.legend()
    figure.tight_layout()
    figure.savefig(out / "benchmark.png", dpi=110)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--people", type=int, nargs="+", help="generate data sets of these sizes")
    sizes.add_argument("--raw", type=Path, help="benchmark this directory of raw CSV/Parquet files")
    parser.add_argument(
        "--work", type=Path, default=Path("benchmark-work"), help="scratch directory"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--vars", help="dbt variables (YAML mapping text)")
    parser.add_argument(
        "--determinism",
        action="store_true",
        help="build each data set twice and compare every marts and audit table",
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=1,
        help="measure dbt build and plain SQL this many times, back to back (the ratio's spread)",
    )
    parser.add_argument("--out", type=Path, help="write benchmark.csv and benchmark.png here")
    parser.add_argument("--smoke", action="store_true", help="the smallest size only (CI)")
    options = parser.parse_args()
    if options.pairs < 1:
        parser.error(f"--pairs {options.pairs}: the number of pairs must be at least 1")
    if options.smoke and not options.raw:
        options.people = [30]
    options.work.mkdir(parents=True, exist_ok=True)
    work = options.work.resolve()
    data_sets = [("raw", options.raw.resolve(), None)] if options.raw else []
    for people in options.people or ([] if options.raw else [1000, 10000]):
        data_sets.append((f"people_{people}", None, people))
    rows: list[tuple[str, str, dict[str, Any]]] = []
    for label, raw, people in data_sets:
        data_set_rows = benchmark(
            label,
            raw,
            people,
            work,
            options.seed,
            options.vars,
            determinism=options.determinism,
            pairs=options.pairs,
        )
        print_table(data_set_rows)
        print(flush=True)
        rows += data_set_rows
    print_comparison(rows)
    if options.out:
        write_outputs(rows, options.out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_stage":
        child_main(sys.argv[2], sys.argv[3])
    else:
        main()
