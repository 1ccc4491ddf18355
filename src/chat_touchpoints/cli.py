"""The `chat-touchpoints` command: build, status, generate, export, docs.

Exit codes: 0 success, 1 the build failed (a dbt node failed or errored), 2 bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from chat_touchpoints.build import (
    BuildLockedError,
    VarsError,
    build,
    read_vars,
    secret_values,
)
from chat_touchpoints.loading import RawFileError, discover_raw_files
from chat_touchpoints.progress import BuildProgress
from chat_touchpoints.runner import DbtRun
from chat_touchpoints.summary import (
    format_status,
    format_summary,
    integration_status,
    load_summary,
    redact,
    save_summary,
    summarise,
)

DEFAULT_DB = "warehouse.duckdb"


def _error(message: str) -> int:
    print(f"chat-touchpoints: error: {message}", file=sys.stderr)
    return 2


def _db_path_problem(db_path: Path) -> str | None:
    """Why `--db` cannot be built, or None: its folder must exist or be creatable, and be
    writable; the path itself must not be a folder."""
    if db_path.is_dir():
        return f"--db {db_path} is a folder; name a database file"
    folder = db_path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return f"--db {db_path}: {folder} is not a folder"
    except OSError as error:
        return f"--db {db_path}: cannot create the folder {folder} ({error.strerror})"
    if not folder.is_dir():
        return f"--db {db_path}: {folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"--db {db_path}: the folder {folder} cannot be written"
    return None


def _configuration_error(run: DbtRun) -> str | None:
    """What is wrong with the input, when dbt stopped on an invalid variable (macros/config.sql)
    or configuration seed (macros/config_seeds.sql): bad input, not a failed build."""
    messages = [run.error or "", *(node.message or "" for node in run.failed_nodes)]
    for message in messages:
        lines = message.splitlines()
        for number, line in enumerate(lines):
            if "Invalid configuration: " in line:
                return "--vars: " + line.split("Invalid configuration: ", 1)[1].strip()
            if "Invalid configuration seed " in line:
                problems = [p.strip() for p in lines[number + 1 :] if p.startswith("  ")]
                problems = [p for p in problems if p and not p.startswith(">")]
                return "; ".join(problems) or line.strip()
    return None


def cmd_build(args: argparse.Namespace) -> int:
    db_path = Path(args.db).resolve()
    try:
        vars = read_vars(args.vars)
    except VarsError as error:
        return _error(str(error))
    secrets = secret_values(vars)
    problem = _db_path_problem(db_path)
    if problem:
        return _error(problem)
    files = []
    if args.raw:
        try:
            files, ignored = discover_raw_files(Path(args.raw))
        except RawFileError as error:
            return _error(str(error))
        for path in ignored:
            print(
                f"chat-touchpoints: warning: ignoring {path}: not named after a raw table or "
                "configuration seed (<table>.csv or <table>.parquet)",
                file=sys.stderr,
            )
    started = time.perf_counter()
    # dbt's own log lines with --verbose; otherwise the progress display (progress.py)
    progress = None if args.quiet or args.verbose else BuildProgress()
    try:
        with progress or contextlib.nullcontext():
            result = build(
                db_path,
                files=files,
                vars=vars,
                full_refresh=args.full_refresh,
                quiet=not args.verbose,
                publish=True,
                callbacks=[progress] if progress else (),
            )
    except (RawFileError, BuildLockedError) as error:
        return _error(redact(str(error), secrets) or "")
    summary = summarise(result, time.perf_counter() - started, secrets)
    save_summary(summary, db_path)
    invalid = _configuration_error(result.dbt)
    if invalid is not None:
        return _error(f"{redact(invalid, secrets)}; {db_path} is unchanged")
    print(format_summary(summary))
    if not summary.success:
        state = "is unchanged" if db_path.exists() else "was not created"
        print(f"{db_path} {state}; the failed build is kept in {result.db_path}")
    return 0 if summary.success else 1


def cmd_status(args: argparse.Namespace) -> int:
    db_path = Path(args.db).resolve()
    if not db_path.is_file():
        return _error(f"no database at {db_path}; run `chat-touchpoints build` first")
    try:
        status = integration_status(db_path)
    except duckdb.Error as error:  # e.g. a build holds the file
        return _error(f"cannot read {db_path}: {error}")
    print(format_status(status, load_summary(db_path)))
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from chat_touchpoints.generate import generate

    if args.people < 1 or args.days < 1:
        return _error("--people and --days must be at least 1")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        return _error(f"--out {out} is a file; name a folder")
    try:
        counts = generate(out, people=args.people, days=args.days, seed=args.seed)
    except OSError as error:
        return _error(f"--out {out}: cannot write there ({error.strerror})")
    for table, rows in counts.items():
        print(f"{table:<22} {rows:>12,} rows")
    print(f"{'total':<22} {sum(counts.values()):>12,} rows in {args.out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from chat_touchpoints.export import ExportError, export_tables

    try:
        exported = export_tables(Path(args.db), Path(args.out), file_format=args.format)
    except ExportError as error:
        return _error(str(error))
    for table in exported:
        print(f"{table.schema + '.' + table.table:<42} {table.rows:>10,} rows  {table.path}")
    print(f"{len(exported)} tables written to {Path(args.out).resolve()}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from chat_touchpoints.docs_site import DocsError, generate_docs_site

    try:
        site = generate_docs_site(
            Path(args.db), Path(args.out), target_path=args.target_path, quiet=True
        )
    except DocsError as error:
        return _error(str(error))
    print(f"docs site written to {site} ({site.stat().st_size / 1e6:.1f} MB, opens offline)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from chat_touchpoints.report import ReportError, write_report

    try:
        result = write_report(
            Path(args.db).resolve(), Path(args.out), model=args.model, currency=args.currency
        )
    except ReportError as error:
        return _error(str(error))
    print(
        f"Wrote {result.out} ({result.bytes / 1024:,.0f} KiB, {len(result.charts)} charts) "
        f"in {result.seconds:.1f} s"
    )
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="chat-touchpoints",
        description="Deduplicated chat touchpoints and Sales Insight chat activities on DuckDB.",
    )
    commands = main_parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("build", help="load raw data, run dbt build, print a summary")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default: ./{DEFAULT_DB})")
    p.add_argument(
        "--raw",
        metavar="DIR",
        help="directory of <table>.csv/.parquet files replacing the seeds of the same name",
    )
    p.add_argument(
        "--vars", metavar="YAML", help="dbt variables: a YAML/JSON mapping or a YAML file path"
    )
    p.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    p.add_argument("--quiet", action="store_true", help="hide dbt's progress, print the summary")
    p.add_argument(
        "--verbose", action="store_true", help="dbt's own log lines instead of the progress bar"
    )
    p.set_defaults(func=cmd_build)

    p = commands.add_parser("status", help="integration status and the last build's figures")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default: ./{DEFAULT_DB})")
    p.set_defaults(func=cmd_status)

    p = commands.add_parser("generate", help="write a synthetic raw data set as CSV files")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--people", required=True, type=int, metavar="N", help="number of people")
    p.add_argument("--days", type=int, default=90, metavar="D", help="days of activity (90)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (1)")
    p.set_defaults(func=cmd_generate)

    p = commands.add_parser("export", help="write every marts and audit table to a file")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default: ./{DEFAULT_DB})")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet", help="file format (parquet)"
    )
    p.set_defaults(func=cmd_export)

    p = commands.add_parser("docs", help="write the dbt docs site as one offline HTML file")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory (index.html)")
    p.add_argument(
        "--db", default=DEFAULT_DB, help=f"built DuckDB file for the catalog (./{DEFAULT_DB})"
    )
    p.add_argument(
        "--target-path", type=Path, metavar="DIR", help="keep dbt's artifacts here"
    )
    p.set_defaults(func=cmd_docs)

    from chat_touchpoints.report import ATTRIBUTION_MODELS, DEFAULT_CURRENCY, DEFAULT_MODEL

    p = commands.add_parser("report", help="write the report page (one self-contained HTML file)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default: ./{DEFAULT_DB})")
    p.add_argument("--out", required=True, metavar="FILE.html", help="the page to write")
    p.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        choices=list(ATTRIBUTION_MODELS),
        help=f"attribution model of the channel chart (default: {DEFAULT_MODEL})",
    )
    p.add_argument(
        "--currency",
        default=DEFAULT_CURRENCY,
        metavar="SYMBOL",
        help=f"currency symbol of amounts (default: {DEFAULT_CURRENCY})",
    )
    p.set_defaults(func=cmd_report)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
