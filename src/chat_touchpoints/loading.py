"""Loading raw and configuration tables into the DuckDB file, every column as text (the rule
book, "Timestamps and values" and "Configuration").

A table loaded here replaces the dbt seed of the same name: the build then excludes that seed, so
that dbt seeds only the tables nobody supplied. Raw data is text as it arrives; staging parses it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from chat_touchpoints.raw_tables import RAW_TABLES

RAW_SCHEMA = "raw"
CONFIG_SCHEMA = "config"

# The configuration seeds (the rule book, "Configuration"): name -> columns in their order.
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


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


# CSV files are read exactly as written: comma-separated, `"` quoting with `""` inside quotes,
# the first line the header, every other line a row. Nothing is guessed (no sniffing, no comment
# character, no skipped lines), so that every row of the file becomes a row of the table.
CSV_MAX_LINE_BYTES = 2_000_000
_CHUNK_BYTES = 8 << 20


def _csv_reader(path: Path, header: Sequence[str]) -> str:
    columns = "{" + ", ".join(f"{_sql_text(c)}: 'VARCHAR'" for c in header) + "}"
    return (
        f"read_csv({_sql_text(str(path))}, auto_detect = false, header = true, "
        f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', comment = '', "
        f"skip = 0, strict_mode = true, null_padding = false, ignore_errors = false, "
        f"encoding = 'utf-8', max_line_size = {CSV_MAX_LINE_BYTES})"
    )


def _reader(path: Path, header: Sequence[str] | None = None) -> str:
    """The DuckDB table function reading `path`: Parquet as typed, CSV every value as text."""
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({_sql_text(str(path))})"
    return _csv_reader(path, header or ())


def _as_text(column: str, column_type: str) -> str:
    """A SQL expression turning a file column into text the staging layer can parse."""
    quoted = _quoted(column)
    upper = column_type.upper()
    if upper == "TIMESTAMP WITH TIME ZONE":
        return f"strftime(timezone('UTC', {quoted}), '%Y-%m-%dT%H:%M:%S.%fZ')"
    if upper.startswith(("STRUCT", "MAP")) or upper.endswith("]"):
        return f"cast(to_json({quoted}) as varchar)"
    return f"cast({quoted} as varchar)"


def _first_line(error: BaseException) -> str:
    """The first line of a DuckDB error, without its `... Error:` prefix: never the file's text."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.split("Error: ", 1)[-1]


@dataclass(frozen=True)
class CsvProblem:
    """Where a CSV file stops being a table: the (1-based) line and what is wrong there."""

    line: int
    problem: str


_PYTHON_CSV_ERRORS = {
    "unexpected end of data": "a quoted value is not closed before the end of the file",
    "',' expected after '\"'": (
        'a closing quote is followed by more text; inside a quoted value write a quote as ""'
    ),
}


def csv_problem(path: Path, columns: int) -> tuple[CsvProblem | None, int]:
    """Read the whole CSV file with Python's own reader: the first problem (not UTF-8, an empty
    line, a row without one value per column, a quote left open, text after a closing quote, a
    line that is too long) and the number of data rows before it. Slow: used only to explain a
    file that DuckDB refused or whose row count does not match its lines."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        breaks = b"\n" if b"\n" in data else b"\r"
        line = data.count(breaks, 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        return CsvProblem(line, f"the file is not UTF-8 (byte 0x{byte}); save it as UTF-8"), 0
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    records = 0
    line = 1
    try:
        for record in reader:
            if not record:
                return CsvProblem(line, "the line is empty; every line must be a row"), records
            if len(record) != columns:
                return CsvProblem(
                    line,
                    f"{len(record)} values where the header has {columns} columns; "
                    "every row needs one value per column",
                ), max(records - 1, 0)
            if sum(len(value.encode()) for value in record) > CSV_MAX_LINE_BYTES:
                return CsvProblem(
                    line, f"the row is longer than {CSV_MAX_LINE_BYTES:,} bytes"
                ), max(records - 1, 0)
            records += 1
            line = reader.line_num + 1
    except csv.Error as error:
        problem = _PYTHON_CSV_ERRORS.get(str(error), f"the row is not valid CSV ({error})")
        return CsvProblem(line, problem), max(records - 1, 0)
    return None, max(records - 1, 0)


def _line_count(path: Path) -> int:
    """Lines of the file (a last line without a line break counts), read as bytes: cheap."""
    breaks = 0
    newline_breaks = 0
    last = b""
    with Path(path).open("rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            newline_breaks += chunk.count(b"\n")
            breaks += chunk.count(b"\r")
            last = chunk[-1:]
    if newline_breaks:
        return newline_breaks + (0 if last == b"\n" else 1)
    return breaks + (0 if last in (b"\r", b"") else 1)


def _csv_header(raw_file: RawFile) -> list[str]:
    """The first row of a CSV file: its column names, exactly as written."""
    path = raw_file.path
    with path.open("rb") as handle:
        head = handle.read(CSV_MAX_LINE_BYTES + 4)
    if not head:
        raise RawFileError(
            f"{path} is empty: its first line must name the columns of "
            f"{raw_file.spec.schema}.{raw_file.spec.name} ({', '.join(raw_file.spec.columns)})"
        )
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(head)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, [])
    if "\ufffd" in ",".join(header):
        problem, _ = csv_problem(path, len(header))
        raise _refusal(raw_file, problem or CsvProblem(1, "the header is not UTF-8"))
    return header


def _refusal(raw_file: RawFile, problem: CsvProblem) -> RawFileError:
    return RawFileError(
        f"{raw_file.path}, line {problem.line}: {problem.problem}; the file is not loaded"
    )


def _duckdb_csv_problem(error: duckdb.Error) -> CsvProblem:
    """A sentence from DuckDB's CSV error, without the file's text that DuckDB quotes."""
    text = str(error)
    found = re.search(r"CSV Error on Line: (\d+)", text)
    line = int(found.group(1)) if found else 1
    if "Maximum line size" in text:
        return CsvProblem(line, f"the line is longer than {CSV_MAX_LINE_BYTES:,} bytes")
    if "not utf-8" in text.lower():
        return CsvProblem(line, "the file is not UTF-8; save it as UTF-8")
    return CsvProblem(line, "the row is not valid CSV")


def _file_columns(con: duckdb.DuckDBPyConnection, raw_file: RawFile) -> dict[str, str]:
    """The file's columns and their types (all text for CSV)."""
    if raw_file.path.suffix.lower() != ".parquet":
        header = _csv_header(raw_file)
        repeated = sorted({c for c in header if header.count(c) > 1})
        if repeated:
            raise RawFileError(
                f"{raw_file.path}, line 1: the header repeats the columns "
                f"{', '.join(repeated)}; the file is not loaded"
            )
        return {c: "VARCHAR" for c in header}
    try:
        described = con.execute(f"describe select * from {_reader(raw_file.path)}").fetchall()
    except duckdb.Error as error:
        raise RawFileError(
            f"{raw_file.path} cannot be read as Parquet ({_first_line(error)})"
        ) from error
    return {row[0]: row[1] for row in described}


def _shown(column: str) -> str:
    """A column name as written, quoted when spaces or invisible characters would hide it."""
    return column if column.strip() == column and column.isprintable() else repr(column)


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
            problems.append("unexpected columns: " + ", ".join(_shown(c) for c in extra))
        raise RawFileError(
            f"{raw_file.path} does not have the columns of {raw_file.spec.schema}."
            f"{raw_file.spec.name} ({'; '.join(problems)}); expected exactly: "
            + ", ".join(expected)
        )


def _load_file(con: duckdb.DuckDBPyConnection, raw_file: RawFile, types: Mapping[str, str]) -> int:
    """Create the file's table; every row of a CSV file becomes a row, or the file is refused."""
    spec = raw_file.spec
    is_csv = raw_file.path.suffix.lower() != ".parquet"
    select_list = ", ".join(f"{_as_text(c, types[c])} as {_quoted(c)}" for c in spec.columns)
    reader = _reader(raw_file.path, list(types))
    con.execute(f'create schema if not exists "{spec.schema}"')
    try:
        con.execute(
            f"create or replace table {spec.qualified_name} as select {select_list} from {reader}"
        )
    except duckdb.Error as error:
        if not is_csv:
            raise RawFileError(
                f"{raw_file.path} cannot be loaded ({_first_line(error)})"
            ) from error
        problem, _ = csv_problem(raw_file.path, len(types))
        raise _refusal(raw_file, problem or _duckdb_csv_problem(error)) from None
    loaded = con.execute(f"select count(*) from {spec.qualified_name}").fetchone()[0]
    if is_csv and loaded != _line_count(raw_file.path) - 1:
        # multi-line quoted values, or lines DuckDB skipped (empty ones): Python's reader tells
        problem, rows = csv_problem(raw_file.path, len(types))
        if problem is not None:
            raise _refusal(raw_file, problem)
        if rows != loaded:
            raise RawFileError(
                f"{raw_file.path}: {rows:,} rows in the file but {loaded:,} read; "
                "the file is not loaded"
            )
    return int(loaded)


def load_files(db_path: Path, files: Sequence[RawFile]) -> dict[str, int]:
    """Create `<schema>.<table>` from each file (all text, in the specified column order), after
    checking every file's columns. Returns the rows loaded per table: every row of the file."""
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
            loaded[raw_file.spec.name] = _load_file(con, raw_file, file_columns[raw_file.spec.name])
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
