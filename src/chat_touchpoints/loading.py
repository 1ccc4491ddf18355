"""Loading raw and configuration tables into the DuckDB file, every column as text (SPEC 2, 3, 4).

A table loaded here replaces the dbt seed of the same name: the build then excludes that seed, so
that dbt seeds only the tables nobody supplied. Raw data is text as it arrives; staging parses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from chat_touchpoints.raw_tables import RAW_TABLES

RAW_SCHEMA = "raw"
CONFIG_SCHEMA = "config"

# The configuration seeds of SPEC section 4: name -> columns in their specified order.
CONFIG_TABLES: dict[str, tuple[str, ...]] = {
    "activity_rules": (
        "rule_id",
        "condition_group",
        "field",
        "operator",
        "value",
        "date_field",
        "campaign_name",
        "tracks_web_chat",
    ),
    "channel_rules": (
        "priority",
        "channel",
        "subchannel",
        "utm_medium",
        "utm_source",
        "utm_campaign",
        "referrer",
        "landing_page",
    ),
    "offline_channels": (
        "campaign_type",
        "channel",
        "subchannel",
    ),
}

FILE_SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class TableSpec:
    """A table the project reads: its name (also the dbt seed's name), schema and columns."""

    name: str
    schema: str
    columns: tuple[str, ...]

    @property
    def qualified_name(self) -> str:
        return f'"{self.schema}"."{self.name}"'


TABLE_SPECS: dict[str, TableSpec] = {
    **{name: TableSpec(name, RAW_SCHEMA, cols) for name, cols in RAW_TABLES.items()},
    **{name: TableSpec(name, CONFIG_SCHEMA, cols) for name, cols in CONFIG_TABLES.items()},
}


class RawFileError(ValueError):
    """A file that cannot replace a table: wrong columns, unreadable, or supplied twice."""


@dataclass(frozen=True)
class RawFile:
    """A file that replaces the seed of the table it is named after."""

    spec: TableSpec
    path: Path


def discover_raw_files(directory: Path) -> tuple[list[RawFile], list[Path]]:
    """Every `<table>.csv` / `<table>.parquet` in `directory` whose name is a raw table or a
    configuration seed, and the other files (to be ignored with a warning)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RawFileError(f"--raw {directory}: not a directory")
    found: dict[str, RawFile] = {}
    ignored: list[Path] = []
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        spec = TABLE_SPECS.get(path.stem) if path.suffix.lower() in FILE_SUFFIXES else None
        if spec is None:
            ignored.append(path)
            continue
        if spec.name in found:
            raise RawFileError(
                f"{found[spec.name].path} and {path} both supply table {spec.name}; keep one"
            )
        found[spec.name] = RawFile(spec, path)
    return list(found.values()), ignored


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _reader(path: Path) -> str:
    """The DuckDB table function reading `path`, every CSV value as text."""
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({_sql_text(str(path))})"
    return (
        f"read_csv({_sql_text(str(path))}, header = true, all_varchar = true, delim = ',', "
        "quote = '\"', escape = '\"')"
    )


def _as_text(column: str, column_type: str) -> str:
    """A SQL expression turning a file column into text the staging layer can parse."""
    quoted = '"' + column.replace('"', '""') + '"'
    upper = column_type.upper()
    if upper == "TIMESTAMP WITH TIME ZONE":
        return f"strftime(timezone('UTC', {quoted}), '%Y-%m-%dT%H:%M:%S.%fZ')"
    if upper.startswith(("STRUCT", "MAP")) or upper.endswith("]"):
        return f"cast(to_json({quoted}) as varchar)"
    return f"cast({quoted} as varchar)"


def _file_columns(con: duckdb.DuckDBPyConnection, raw_file: RawFile) -> dict[str, str]:
    try:
        described = con.execute(f"describe select * from {_reader(raw_file.path)}").fetchall()
    except duckdb.Error as error:
        raise RawFileError(f"{raw_file.path}: cannot be read: {error}") from error
    return {row[0]: row[1] for row in described}


def check_columns(raw_file: RawFile, columns: Iterable[str]) -> None:
    """The file must have exactly the table's columns, in any order."""
    present = list(columns)
    expected = raw_file.spec.columns
    missing = [c for c in expected if c not in present]
    extra = [c for c in present if c not in expected]
    if missing or extra:
        problems = []
        if missing:
            problems.append("missing columns: " + ", ".join(missing))
        if extra:
            problems.append("unexpected columns: " + ", ".join(extra))
        raise RawFileError(
            f"{raw_file.path} does not have the columns of {raw_file.spec.schema}."
            f"{raw_file.spec.name} ({'; '.join(problems)}); expected exactly: "
            + ", ".join(expected)
        )


def load_files(db_path: Path, files: Sequence[RawFile]) -> dict[str, int]:
    """Create `<schema>.<table>` from each file (all text, in the specified column order), after
    checking every file's columns. Returns the rows loaded per table."""
    loaded: dict[str, int] = {}
    if not files:
        return loaded
    with duckdb.connect(str(db_path)) as con:
        con.execute("set TimeZone = 'UTC'")
        file_columns = {}
        for raw_file in files:
            file_columns[raw_file.spec.name] = _file_columns(con, raw_file)
            check_columns(raw_file, file_columns[raw_file.spec.name])
        for raw_file in files:
            spec = raw_file.spec
            types = file_columns[spec.name]
            select_list = ", ".join(f'{_as_text(c, types[c])} as "{c}"' for c in spec.columns)
            con.execute(f'create schema if not exists "{spec.schema}"')
            try:
                con.execute(
                    f"create or replace table {spec.qualified_name} as "
                    f"select {select_list} from {_reader(raw_file.path)}"
                )
            except duckdb.Error as error:
                raise RawFileError(f"{raw_file.path}: cannot be loaded: {error}") from error
            loaded[spec.name] = con.execute(
                f"select count(*) from {spec.qualified_name}"
            ).fetchone()[0]
    return loaded


Row = Mapping[str, "str | int | float | bool | None"]


def _text(value: str | int | float | bool | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def create_table(con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: Iterable[Row]) -> int:
    """(Re)create `spec`'s table with every column as varchar, holding `rows`. A row may omit
    columns (null); a key that is not a column is an error, to catch typos."""
    con.execute(f'create schema if not exists "{spec.schema}"')
    columns_sql = ", ".join(f'"{c}" varchar' for c in spec.columns)
    con.execute(f"create or replace table {spec.qualified_name} ({columns_sql})")
    values = []
    for row in rows:
        unknown = sorted(set(row) - set(spec.columns))
        if unknown:
            raise RawFileError(
                f"row {dict(row)} has columns that {spec.schema}.{spec.name} does not have: "
                + ", ".join(unknown)
            )
        values.append([_text(row.get(c)) for c in spec.columns])
    if values:
        placeholders = ", ".join("?" for _ in spec.columns)
        con.executemany(f"insert into {spec.qualified_name} values ({placeholders})", values)
    return len(values)


def load_rows(db_path: Path, tables: Mapping[str, Iterable[Row]]) -> dict[str, int]:
    """Create the named raw / configuration tables from in-memory rows. Returns rows per table."""
    unknown = sorted(set(tables) - set(TABLE_SPECS))
    if unknown:
        raise RawFileError(
            "unknown tables: " + ", ".join(unknown) + "; known: " + ", ".join(TABLE_SPECS)
        )
    with duckdb.connect(str(db_path)) as con:
        return {name: create_table(con, TABLE_SPECS[name], rows) for name, rows in tables.items()}
