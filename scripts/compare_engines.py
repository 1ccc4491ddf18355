"""Compare a DuckDB build with a PostgreSQL build of the same raw data and variables (SPEC 8).

Every table and view of the project's schemas must have the same row count on both engines, and
every table of `marts` and `audit` the same columns and the same rows: values are normalised
(timestamps, dates, decimals and floats to comparable Python values; floats equal within 1e-9)
and rows are sorted in Python, so that neither engine's collation nor its float printing matters.

    python scripts/compare_engines.py --duckdb warehouse.duckdb

The PostgreSQL connection comes from the same environment variables as the `postgres` target of
profiles.yml (CHAT_TOUCHPOINTS_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE). Prints one line per
table and exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import os
import sys
from collections.abc import Sequence
from typing import Any

import duckdb
import psycopg2

COUNTED_SCHEMAS = ("raw", "config", "staging", "intermediate", "marts", "audit")
COMPARED_SCHEMAS = ("marts", "audit")
FLOAT_TOLERANCE = 1e-9


def pg_connect() -> Any:
    env = os.environ
    return psycopg2.connect(
        host=env.get("CHAT_TOUCHPOINTS_PG_HOST", "127.0.0.1"),
        port=int(env.get("CHAT_TOUCHPOINTS_PG_PORT", "5432")),
        user=env.get("CHAT_TOUCHPOINTS_PG_USER", "postgres"),
        password=env.get("CHAT_TOUCHPOINTS_PG_PASSWORD", ""),
        dbname=env.get("CHAT_TOUCHPOINTS_PG_DATABASE", "chat_touchpoints"),
    )


def list_relations(cursor: Any, schemas: Sequence[str]) -> set[tuple[str, str]]:
    placeholders = ", ".join(["%s"] * len(schemas))
    cursor.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_schema in ({placeholders})",
        list(schemas),
    )
    return {(s, t) for s, t in cursor.fetchall()}


def duck_relations(con: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> set[tuple[str, str]]:
    placeholders = ", ".join(["?"] * len(schemas))
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_catalog = current_database() and table_schema in ({placeholders})",
        list(schemas),
    ).fetchall()
    return {(s, t) for s, t in rows}


def normalise(value: Any) -> Any:
    """A value both engines' drivers agree on: floats and decimals as floats, datetimes naive."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    # (kind, value) pairs: None sorts first, and values of one column always share a kind
    return tuple((0, "") if v is None else (1, v) for v in row)


def values_equal(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    return a == b


def compare_rows(duck_rows: list[tuple[Any, ...]], pg_rows: list[tuple[Any, ...]]) -> str | None:
    """None when the rows are equal (as sorted multisets), else a description of the first
    difference."""
    duck_sorted = sorted((tuple(normalise(v) for v in r) for r in duck_rows), key=sort_key)
    pg_sorted = sorted((tuple(normalise(v) for v in r) for r in pg_rows), key=sort_key)
    for i, (d, p) in enumerate(zip(duck_sorted, pg_sorted, strict=True)):
        if len(d) != len(p) or not all(values_equal(x, y) for x, y in zip(d, p, strict=True)):
            return f"row {i} differs:\n      duckdb:   {d}\n      postgres: {p}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", required=True, help="the DuckDB file of the reference build")
    args = parser.parse_args(argv)

    duck = duckdb.connect(args.duckdb, read_only=True)
    pg = pg_connect()
    problems = 0
    try:
        cursor = pg.cursor()
        duck_tables = duck_relations(duck, COUNTED_SCHEMAS)
        pg_tables = list_relations(cursor, COUNTED_SCHEMAS)
        for schema, table in sorted(duck_tables ^ pg_tables):
            where = "DuckDB" if (schema, table) in duck_tables else "PostgreSQL"
            print(f"DIFF  {schema}.{table}: only on {where}")
            problems += 1
        for schema, table in sorted(duck_tables & pg_tables):
            name = f'"{schema}"."{table}"'
            duck_count = duck.execute(f"select count(*) from {name}").fetchone()[0]  # type: ignore[index]
            cursor.execute(f"select count(*) from {name}")
            pg_count = cursor.fetchone()[0]
            if duck_count != pg_count:
                print(
                    f"DIFF  {schema}.{table}: {duck_count} rows on DuckDB, {pg_count} on PostgreSQL"
                )
                problems += 1
                continue
            if schema not in COMPARED_SCHEMAS:
                print(f"ok    {schema}.{table}: {duck_count} rows")
                continue
            result = duck.execute(f"select * from {name}")
            duck_columns = [d[0] for d in result.description]
            duck_rows = result.fetchall()
            cursor.execute(f"select * from {name}")
            pg_columns = [d[0] for d in cursor.description]
            pg_rows = cursor.fetchall()
            if duck_columns != pg_columns:
                print(f"DIFF  {schema}.{table}: columns {duck_columns} vs {pg_columns}")
                problems += 1
                continue
            difference = compare_rows(duck_rows, pg_rows)
            if difference:
                print(f"DIFF  {schema}.{table}: {difference}")
                problems += 1
            else:
                print(f"same  {schema}.{table}: {duck_count} rows, {len(duck_columns)} columns")
    finally:
        duck.close()
        pg.close()
    checked = len(duck_tables | pg_tables)
    differ = f", {problems} differ" if problems else ""
    print(f"{checked - problems} of {checked} relations agree{differ}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
