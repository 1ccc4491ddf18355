"""Compare a DuckDB build with a PostgreSQL or Spark build of the same raw data and variables
(docs/rules.md, "Configuration": every engine gives the same marts and audit tables).

Every table and view of the project's schemas must have the same row count on both engines, and
every table of `marts` and `audit` the same columns and the same rows: values are normalised
(timestamps, dates, decimals and floats to comparable Python values; floats equal within 1e-9)
and rows are sorted in Python, so that neither engine's collation nor its float printing matters.

    python scripts/compare_engines.py --duckdb warehouse.duckdb               # with PostgreSQL
    python scripts/compare_engines.py --duckdb warehouse.duckdb --spark DIR   # with Spark

The PostgreSQL connection comes from the same environment variables as the `postgres` target of
profiles.yml (CHAT_TOUCHPOINTS_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE). Spark is read through
a local session on the warehouse and Derby metastore that the `spark` target wrote under DIR
(its CHAT_TOUCHPOINTS_SPARK_DIR); no other Spark process may hold that metastore meanwhile.
Prints one line per table and exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
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


class PostgresEngine:
    name = "PostgreSQL"

    def __init__(self) -> None:
        self.connection = pg_connect()
        self.cursor = self.connection.cursor()

    def relations(self, schemas: Sequence[str]) -> set[tuple[str, str]]:
        return list_relations(self.cursor, schemas)

    def count(self, schema: str, table: str) -> int:
        self.cursor.execute(f'select count(*) from "{schema}"."{table}"')
        return self.cursor.fetchone()[0]

    def rows(self, schema: str, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        self.cursor.execute(f'select * from "{schema}"."{table}"')
        return [d[0] for d in self.cursor.description], self.cursor.fetchall()

    def close(self) -> None:
        self.connection.close()


def spark_session(spark_dir: str | Path) -> Any:
    """A local Spark session (one core, bound to 127.0.0.1) on the warehouse and Derby metastore
    under `spark_dir`, as the `spark` target of profiles.yml lays them out."""
    from pyspark.sql import SparkSession

    # pyspark hands timestamps to Python in the process's time zone: read them as UTC
    os.environ["TZ"] = "UTC"
    time.tzset()
    base = Path(spark_dir).resolve()
    session = (
        SparkSession.builder.master("local[1]")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.legacy.createHiveTableByDefault", "false")
        .config("spark.sql.warehouse.dir", str(base / "warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={base / 'metastore_db'};create=true",
        )
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={base}")
        .enableHiveSupport()
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """The tables of a `spark` target build, read through a local session."""

    name = "Spark"

    def __init__(self, spark_dir: str) -> None:
        self.session = spark_session(spark_dir)

    def relations(self, schemas: Sequence[str]) -> set[tuple[str, str]]:
        found = set()
        databases = {row[0] for row in self.session.sql("show databases").collect()}
        for schema in schemas:
            if schema in databases:
                for row in self.session.sql(f"show tables in `{schema}`").collect():
                    if not row["isTemporary"]:
                        found.add((schema, row["tableName"]))
        return found

    def count(self, schema: str, table: str) -> int:
        return self.session.sql(f"select count(*) from `{schema}`.`{table}`").collect()[0][0]

    def rows(self, schema: str, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        frame = self.session.sql(f"select * from `{schema}`.`{table}`")
        return list(frame.columns), [tuple(row) for row in frame.collect()]

    def close(self) -> None:
        self.session.stop()


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


def compare_rows(
    duck_rows: list[tuple[Any, ...]], other_rows: list[tuple[Any, ...]], other_name: str
) -> str | None:
    """None when the rows are equal (as sorted multisets), else a description of the first
    difference."""
    duck_sorted = sorted((tuple(normalise(v) for v in r) for r in duck_rows), key=sort_key)
    other_sorted = sorted((tuple(normalise(v) for v in r) for r in other_rows), key=sort_key)
    for i, (d, o) in enumerate(zip(duck_sorted, other_sorted, strict=True)):
        if len(d) != len(o) or not all(values_equal(x, y) for x, y in zip(d, o, strict=True)):
            return f"row {i} differs:\n      DuckDB: {d}\n      {other_name}: {o}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", required=True, help="the DuckDB file of the reference build")
    parser.add_argument(
        "--spark",
        metavar="DIR",
        help="compare with the Spark build whose warehouse and metastore lie in DIR "
        "(default: compare with PostgreSQL)",
    )
    args = parser.parse_args(argv)

    duck = duckdb.connect(args.duckdb, read_only=True)
    other: PostgresEngine | SparkEngine = (
        SparkEngine(args.spark) if args.spark else PostgresEngine()
    )
    problems = 0
    try:
        duck_tables = duck_relations(duck, COUNTED_SCHEMAS)
        other_tables = other.relations(COUNTED_SCHEMAS)
        for schema, table in sorted(duck_tables ^ other_tables):
            where = "DuckDB" if (schema, table) in duck_tables else other.name
            print(f"DIFF  {schema}.{table}: only on {where}")
            problems += 1
        for schema, table in sorted(duck_tables & other_tables):
            name = f'"{schema}"."{table}"'
            duck_count = duck.execute(f"select count(*) from {name}").fetchone()[0]  # type: ignore[index]
            other_count = other.count(schema, table)
            if duck_count != other_count:
                print(
                    f"DIFF  {schema}.{table}: {duck_count} rows on DuckDB, "
                    f"{other_count} on {other.name}"
                )
                problems += 1
                continue
            if schema not in COMPARED_SCHEMAS:
                print(f"ok    {schema}.{table}: {duck_count} rows")
                continue
            result = duck.execute(f"select * from {name}")
            duck_columns = [d[0] for d in result.description]
            duck_rows = result.fetchall()
            other_columns, other_rows = other.rows(schema, table)
            if duck_columns != other_columns:
                print(f"DIFF  {schema}.{table}: columns {duck_columns} vs {other_columns}")
                problems += 1
                continue
            difference = compare_rows(duck_rows, other_rows, other.name)
            if difference:
                print(f"DIFF  {schema}.{table}: {difference}")
                problems += 1
            else:
                print(f"same  {schema}.{table}: {duck_count} rows, {len(duck_columns)} columns")
    finally:
        duck.close()
        other.close()
    checked = len(duck_tables | other_tables)
    differ = f", {problems} differ" if problems else ""
    print(f"{checked - problems} of {checked} relations agree with {other.name}{differ}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
