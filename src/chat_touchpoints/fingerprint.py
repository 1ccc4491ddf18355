"""The fingerprint of a build: what an incremental build must find unchanged since the previous one.

An incremental build recomputes only what new raw rows affect; that equals a full refresh only
when everything else is as the previous build had it: the dbt variables, the configuration seeds
and the project's own models and macros. Each is hashed into one part of the fingerprint, kept in
the database (`build_state.fingerprint`); a part that differs turns the next build into a full
refresh, and the summary names it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import duckdb

from chat_touchpoints.loading import CONFIG_TABLES, RAW_SCHEMA, TableSpec
from chat_touchpoints.project import project_dir
from chat_touchpoints.raw_tables import RAW_TABLES

STATE_SCHEMA = "build_state"
FINGERPRINT_TABLE = f"{STATE_SCHEMA}.fingerprint"

# what each part is called in the summary line of a build that turned into a full refresh
PART_NAMES = {
    "variables": "the dbt variables",
    "project": "the project's models or macros",
    **{f"config.{name}": f"the configuration seed {name}" for name in CONFIG_TABLES},
}

# the project files whose change may change any model's result
_PROJECT_GLOBS = ("dbt_project.yml", "models/**/*.sql", "models/**/*.yml", "macros/**/*.sql")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _vars_digest(vars_text: str | None, secret_present: bool) -> str:
    values = json.loads(vars_text) if vars_text else {}
    # only the key's presence matters to the models; its value never enters the fingerprint
    values["msi_api_secret_key present"] = secret_present
    return _digest(json.dumps(values, sort_keys=True, default=str).encode())


def _project_digest() -> str:
    root = project_dir()
    digest = hashlib.sha256()
    for pattern in _PROJECT_GLOBS:
        for path in sorted(root.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _table_digest(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> str:
    columns = ", ".join(f'"{c}"' for c in spec.columns)
    try:
        rows = con.execute(f"select {columns} from {spec.qualified_name} order by all").fetchall()
    except duckdb.CatalogException:
        return "absent"
    return _digest(json.dumps(rows, default=str).encode())


def current_fingerprint(
    con: duckdb.DuckDBPyConnection, vars_text: str | None, secret_present: bool
) -> dict[str, str]:
    """The fingerprint of a build with these variables over the configuration tables in `con`."""
    parts = {
        "variables": _vars_digest(vars_text, secret_present),
        "project": _project_digest(),
    }
    for name, columns in CONFIG_TABLES.items():
        parts[f"config.{name}"] = _table_digest(con, TableSpec(name, "config", columns))
    return parts


def _read_state(
    con: duckdb.DuckDBPyConnection, table: str, key: str, value: str
) -> dict[str, str] | None:
    """A state table of `build_state` as a mapping of `key` to `value`; None when absent."""
    try:
        rows = con.execute(f"select {key}, {value} from {table}").fetchall()
    except duckdb.CatalogException:
        return None
    return dict(rows)


def _write_state(
    con: duckdb.DuckDBPyConnection, table: str, key: str, value: str, state: Mapping[str, str]
) -> None:
    con.execute(f"create schema if not exists {STATE_SCHEMA}")
    con.execute(f"create or replace table {table} ({key} varchar, {value} varchar)")
    con.executemany(f"insert into {table} values (?, ?)", sorted(state.items()))


def stored_fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """The fingerprint the previous build kept, or None when it kept none."""
    return _read_state(con, FINGERPRINT_TABLE, "part", "digest")


def store_fingerprint(con: duckdb.DuckDBPyConnection, parts: Mapping[str, str]) -> None:
    _write_state(con, FINGERPRINT_TABLE, "part", "digest", parts)


def full_refresh_reasons(
    previous: Mapping[str, str] | None, current: Mapping[str, str]
) -> list[str]:
    """Why an incremental build must be a full refresh: empty when nothing changed."""
    if previous is None:
        return ["the database holds no fingerprint of a previous build"]
    parts = current.keys() | previous.keys()
    changed = sorted(part for part in parts if previous.get(part) != current.get(part))
    return [f"{PART_NAMES.get(part, part)} changed since the previous build" for part in changed]


# What each raw table held when the last complete build ended (README "Scheduled builds"): a raw
# table that still holds the same is one no model needs to read again. dbt drops it when a run
# that may change models starts (`forget_raw_table_states`, macros/incremental.sql), and the
# driver writes it again only after a build of every model succeeded, so that a failed or
# partial build, or any dbt run outside the driver, leaves none and the next build builds every
# model.
RAW_STATE_TABLE = f"{STATE_SCHEMA}.raw_tables"


def raw_table_states(con: duckdb.DuckDBPyConnection, loaded_at_column: str) -> dict[str, str]:
    """What each raw table in `con` holds, cheaply: its row count and its latest load stamp (the
    text of `loaded_at_column`, when the table has that column). Raw tables only grow by
    appending, and appended rows carry a new stamp; a count that changed also shows a table that
    was replaced or edited."""
    columns: dict[str, set[str]] = {}
    for table, column in con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = ?",
        [RAW_SCHEMA],
    ).fetchall():
        columns.setdefault(table, set()).add(column.lower())
    states = {}
    for name in RAW_TABLES:
        if name not in columns:
            states[name] = "absent"
            continue
        stamped = loaded_at_column.lower() in columns[name]
        stamp = f'max("{loaded_at_column}")' if stamped else "null"
        count, latest = con.execute(
            f'select count(*), {stamp} from "{RAW_SCHEMA}"."{name}"'
        ).fetchone()
        states[name] = f"{count} rows, latest stamp {latest}"
    return states


def stored_raw_states(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """The raw tables' states the last complete build kept, or None when it kept none."""
    return _read_state(con, RAW_STATE_TABLE, "table_name", "state")


def store_raw_states(con: duckdb.DuckDBPyConnection, states: Mapping[str, str]) -> None:
    _write_state(con, RAW_STATE_TABLE, "table_name", "state", states)


def fingerprint_of(db_path: Path, vars_text: str | None, secret_present: bool) -> dict[str, str]:
    with duckdb.connect(str(db_path)) as con:
        return current_fingerprint(con, vars_text, secret_present)
