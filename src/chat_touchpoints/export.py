"""`chat-touchpoints export`: every `marts` and `audit` table of a built DuckDB file as one file
each, for tools that read files rather than databases (docs/rules.md, "Configuration").

Files are written as `<out>/<schema>/<table>.<format>`: Parquet (typed columns) or CSV (a header
row, comma-separated). The database is opened read-only and closed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

EXPORTED_SCHEMAS = ("marts", "audit")
FORMATS = ("parquet", "csv")


class ExportError(ValueError):
    """The database cannot be exported: missing, unreadable, or without the expected tables."""


@dataclass(frozen=True)
class ExportedTable:
    """One table written to one file."""

    schema: str
    table: str
    rows: int
    path: Path


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_tables(
    db_path: Path,
    out_dir: Path,
    *,
    file_format: str = "parquet",
    schemas: tuple[str, ...] = EXPORTED_SCHEMAS,
) -> list[ExportedTable]:
    """Write every table of `schemas` in `db_path` to `out_dir/<schema>/<table>.<file_format>`.
    Returns what was written, in schema and table order."""
    if file_format not in FORMATS:
        raise ExportError(f"unknown format {file_format!r}; use one of: {', '.join(FORMATS)}")
    db_path = Path(db_path)
    if not db_path.is_file():
        raise ExportError(f"no database at {db_path}; run `chat-touchpoints build` first")
    options = "format parquet" if file_format == "parquet" else "format csv, header true"
    exported: list[ExportedTable] = []
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        raise ExportError(f"cannot open {db_path}: {error}") from error
    try:
        for schema in schemas:
            tables = [
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                    [schema],
                ).fetchall()
            ]
            if not tables:
                raise ExportError(f"{db_path} has no table in schema {schema}")
            (Path(out_dir) / schema).mkdir(parents=True, exist_ok=True)
            for table in tables:
                path = (Path(out_dir) / schema / f"{table}.{file_format}").resolve()
                relation = f"{_quoted(schema)}.{_quoted(table)}"
                target = _sql_text(str(path))
                con.execute(f"copy (select * from {relation}) to {target} ({options})")
                rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
                exported.append(ExportedTable(schema, table, rows, path))
    finally:
        con.close()
    return exported
