"""The figures of a build, read from the database and dbt's results, printed and kept beside the
database in `<db>.last_build.json` for `chat-touchpoints status`.

Only counts and names leave the database here: never `raw_row` contents (they may hold emails) nor
the API secret key. dbt messages are passed through `redact` before they are printed or stored.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from chat_touchpoints.build import BuildResult

EMAIL = re.compile(r"[^@\s'\"<>(),;]+@[^@\s'\"<>(),;]+\.[^@\s'\"<>(),;]+")
MESSAGE_LIMIT = 400


def redact(text: str | None, secrets: Iterable[str] = ()) -> str | None:
    """`text` without email addresses and secret values, cut to a readable length."""
    if text is None:
        return None
    for secret in secrets:
        text = text.replace(secret, "<secret>")
    text = EMAIL.sub("<email>", text)
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."


@dataclass
class Failure:
    """A dbt node (or the invocation itself) that failed."""

    name: str
    resource_type: str
    status: str
    message: str | None


@dataclass
class BuildSummary:
    db_path: str
    finished_at: str
    seconds: float
    success: bool
    loaded_tables: dict[str, int] = field(default_factory=dict)
    mart_rows: dict[str, int] = field(default_factory=dict)
    row_accounting: list[dict[str, Any]] = field(default_factory=list)
    rejected_rows: list[dict[str, Any]] = field(default_factory=list)
    suppressed_touchpoints: dict[str, int] = field(default_factory=dict)
    configuration_findings: int | None = None
    tests: dict[str, int] = field(default_factory=dict)
    nodes: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> BuildSummary:
        data = json.loads(text)
        data["failures"] = [Failure(**f) for f in data.get("failures", [])]
        return cls(**data)


def last_build_path(db_path: Path) -> Path:
    """Where the last build's figures are kept: `<db path>.last_build.json`."""
    return Path(str(db_path) + ".last_build.json")


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """`schema.table` of every table and view in the database."""
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database()"
    ).fetchall()
    return {f"{schema}.{name}" for schema, name in rows}


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def database_figures(db_path: Path) -> dict[str, Any]:
    """Rows per mart, rejections, suppressions and findings; tables that do not exist (yet) are
    left out."""
    figures: dict[str, Any] = {}
    if not Path(db_path).is_file():
        return figures
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = existing_tables(con)
        marts = sorted(name.split(".", 1)[1] for name in tables if name.startswith("marts."))
        figures["mart_rows"] = {
            mart: _query(con, f'select count(*) from marts."{mart}"')[0][0] for mart in marts
        }
        if "audit.row_accounting" in tables:
            rows = con.execute("select * from audit.row_accounting order by source_table")
            columns = [d[0] for d in rows.description]
            figures["row_accounting"] = [
                dict(zip(columns, r, strict=True)) for r in rows.fetchall()
            ]
        if "audit.rejected_rows" in tables:
            figures["rejected_rows"] = [
                {"source_table": t, "reason": r, "rows": n}
                for t, r, n in _query(
                    con,
                    "select source_table, reason, count(*) from audit.rejected_rows "
                    "group by all order by source_table, reason",
                )
            ]
        if "audit.touchpoint_suppressions" in tables:
            figures["suppressed_touchpoints"] = dict(
                _query(
                    con,
                    "select suppression_reason, count(*) from audit.touchpoint_suppressions "
                    "group by all order by suppression_reason",
                )
            )
        if "audit.chat_configuration_findings" in tables:
            figures["configuration_findings"] = _query(
                con, "select count(*) from audit.chat_configuration_findings"
            )[0][0]
    return figures


def summarise(result: BuildResult, seconds: float, secrets: Iterable[str] = ()) -> BuildSummary:
    """The figures of a finished build."""
    secrets = list(secrets)
    run = result.dbt
    tests: dict[str, int] = {}
    nodes: dict[str, int] = {}
    for node in run.nodes:
        counts = tests if node.resource_type in ("test", "unit_test") else nodes
        counts[node.status] = counts.get(node.status, 0) + 1
    failures = [
        Failure(n.name, n.resource_type, n.status, redact(n.message, secrets))
        for n in run.failed_nodes
    ]
    if run.error:
        failures.append(Failure("dbt", "invocation", "error", redact(run.error, secrets)))
    if not run.success and not failures:
        failures.append(Failure("dbt", "invocation", "error", "dbt reported a failure"))
    summary = BuildSummary(
        db_path=str(result.db_path),
        finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        seconds=round(seconds, 2),
        success=run.success and not failures,
        loaded_tables=dict(result.loaded),
        tests=tests,
        nodes=nodes,
        failures=failures,
    )
    try:
        for key, value in database_figures(result.db_path).items():
            setattr(summary, key, value)
    except duckdb.Error as error:
        failures.append(
            Failure("summary", "query", "error", redact(f"cannot read figures: {error}", secrets))
        )
    return summary


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i == len(row) - 1 else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append(indent + "  ".join(cells).rstrip())
    return lines


def _count(n: int) -> str:
    return f"{n:,}"


def format_summary(summary: BuildSummary) -> str:
    """A short, human-readable account of the build."""
    lines = [
        f"Build {'succeeded' if summary.success else 'FAILED'} in {summary.seconds:.1f} s: "
        f"{summary.db_path}"
    ]
    if summary.loaded_tables:
        lines.append("Loaded from files (rows):")
        lines += _table([(k, _count(v)) for k, v in sorted(summary.loaded_tables.items())])
    if summary.mart_rows:
        lines.append("Rows per mart:")
        lines += _table([(k, _count(v)) for k, v in summary.mart_rows.items()])
    if summary.rejected_rows:
        total = sum(r["rows"] for r in summary.rejected_rows)
        lines.append(f"Rejected rows ({_count(total)}) by source table and reason:")
        by_table: dict[str, list[dict[str, Any]]] = {}
        for r in summary.rejected_rows:
            by_table.setdefault(r["source_table"], []).append(r)
        width = max(len(t) for t in by_table)
        for table, reasons in by_table.items():
            rows = _count(sum(r["rows"] for r in reasons))
            details = ", ".join(f"{r['reason']} {_count(r['rows'])}" for r in reasons)
            lines.append(f"  {table:<{width}}  {rows:>7}: {details}")
    if summary.suppressed_touchpoints:
        total = sum(summary.suppressed_touchpoints.values())
        lines.append(f"Suppressed touchpoints ({_count(total)}) by reason:")
        lines += _table([(k, _count(v)) for k, v in summary.suppressed_touchpoints.items()])
    if summary.configuration_findings is not None:
        lines.append(f"Configuration findings: {_count(summary.configuration_findings)}")
    t = summary.tests
    lines.append(
        f"Tests: {t.get('pass', 0)} passed, {t.get('fail', 0)} failed, "
        f"{t.get('error', 0)} errored, {t.get('warn', 0)} warned, {t.get('skipped', 0)} skipped"
    )
    if summary.nodes:
        lines.append(
            "Models, seeds and hooks: "
            + ", ".join(f"{v} {k}" for k, v in sorted(summary.nodes.items()))
        )
    if summary.failures:
        lines.append("Failed:")
        for f in summary.failures:
            message = (f.message or "").strip().replace("\n", "\n      ")
            lines.append(f"  {f.resource_type} {f.name} ({f.status}): {message}")
    lines.append(f"Wall time: {summary.seconds:.1f} s")
    return "\n".join(lines)


def save_summary(summary: BuildSummary, db_path: Path) -> Path:
    path = last_build_path(db_path)
    # written whole or not at all: `status` may read it at any moment
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(summary.to_json() + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def load_summary(db_path: Path) -> BuildSummary | None:
    path = last_build_path(db_path)
    if not path.is_file():
        return None
    return BuildSummary.from_json(path.read_text(encoding="utf-8"))


def integration_status(db_path: Path) -> dict[str, Any] | None:
    """The one row of `marts.si_integration_status` (the rule book, "Chat activities"), or None
    when it does not exist."""
    if not Path(db_path).is_file():
        return None
    with duckdb.connect(str(db_path), read_only=True) as con:
        if "marts.si_integration_status" not in existing_tables(con):
            return None
        cursor = con.execute("select * from marts.si_integration_status")
        columns = [d[0] for d in cursor.description]
        row = cursor.fetchone()
    return dict(zip(columns, row, strict=True)) if row else None


def format_status(status: dict[str, Any] | None, last: BuildSummary | None) -> str:
    lines = []
    if status is None:
        lines.append("Integration status: marts.si_integration_status does not exist (yet).")
    else:
        enabled = status.get("chat_data_enabled")
        lines.append(f"Chat data (Sales Insight): {'ENABLED' if enabled else 'DISABLED'}")
        lines += _table(
            [(k, str(v)) for k, v in status.items() if k not in ("disabled_reasons",)],
            indent="  ",
        )
        if not enabled:
            lines.append(f"  disabled because: {status.get('disabled_reasons') or '(none given)'}")
    if last is None:
        lines.append("Last build: none recorded.")
    else:
        lines.append(f"Last build, finished {last.finished_at}:")
        lines.append(format_summary(last))
    return "\n".join(lines)
