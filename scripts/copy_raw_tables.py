"""Copy the raw tables of a DuckDB build into PostgreSQL or Spark, so that every engine reads the
same raw text (docs/rules.md, "Bad input and row accounting").

`chat-touchpoints build --raw DIR` reads a data set's files into the `raw` schema of its DuckDB
file, every column as text. This copies each of those tables, unchanged (nulls stay null, empty
text stays empty), into the `raw` schema of the other engine, replacing a table of the same name;
a plain `dbt build --target postgres|spark` then reads them as its sources. Copying from the
DuckDB file rather than reading the files again keeps the engines' CSV readers out of the
comparison.

    python scripts/copy_raw_tables.py --duckdb generated.duckdb --postgres
    python scripts/copy_raw_tables.py --duckdb generated.duckdb --spark DIR

PostgreSQL: the connection of scripts/compare_engines.py. Spark: a local session on the warehouse
and metastore under DIR (the `spark` target's CHAT_TOUCHPOINTS_SPARK_DIR); the tables are Parquet.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
from compare_engines import pg_connect, spark_session
from psycopg2.extras import execute_values

RAW_SCHEMA = "raw"


def raw_tables(duck: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every table of the raw schema and its columns, in their order."""
    rows = duck.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? "
        "order by table_name, ordinal_position",
        [RAW_SCHEMA],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def copy_to_postgres(duck: duckdb.DuckDBPyConnection, tables: dict[str, list[str]]) -> None:
    connection = pg_connect()
    try:
        cursor = connection.cursor()
        cursor.execute(f'create schema if not exists "{RAW_SCHEMA}"')
        for table, columns in tables.items():
            name = f'"{RAW_SCHEMA}"."{table}"'
            cursor.execute(f"drop table if exists {name}")
            cursor.execute(
                f"create table {name} (" + ", ".join(f'"{c}" text' for c in columns) + ")"
            )
            select_list = ", ".join(f'cast("{c}" as varchar)' for c in columns)
            rows = duck.execute(f'select {select_list} from "{RAW_SCHEMA}"."{table}"').fetchall()
            execute_values(cursor, f"insert into {name} values %s", rows, page_size=2000)
            print(f"postgres  {RAW_SCHEMA}.{table}: {len(rows)} rows")
        connection.commit()
    finally:
        connection.close()


def copy_to_spark(
    duck: duckdb.DuckDBPyConnection, tables: dict[str, list[str]], spark_dir: str
) -> None:
    session = spark_session(spark_dir)
    try:
        session.sql(f"create database if not exists `{RAW_SCHEMA}`")
        with tempfile.TemporaryDirectory(dir=spark_dir) as scratch:
            for table, columns in tables.items():
                path = Path(scratch) / f"{table}.parquet"
                select_list = ", ".join(f'cast("{c}" as varchar) as "{c}"' for c in columns)
                duck.execute(
                    f'copy (select {select_list} from "{RAW_SCHEMA}"."{table}") '
                    f"to '{path}' (format parquet)"
                )
                name = f"`{RAW_SCHEMA}`.`{table}`"
                session.sql(f"drop table if exists {name}")
                session.sql(f"create table {name} using parquet as select * from parquet.`{path}`")
                count = session.sql(f"select count(*) from {name}").collect()[0][0]
                print(f"spark     {RAW_SCHEMA}.{table}: {count} rows")
    finally:
        session.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", required=True, help="the DuckDB file holding the raw tables")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--postgres", action="store_true", help="copy into PostgreSQL")
    target.add_argument("--spark", metavar="DIR", help="copy into the Spark warehouse under DIR")
    args = parser.parse_args(argv)

    duck = duckdb.connect(args.duckdb, read_only=True)
    try:
        tables = raw_tables(duck)
        if not tables:
            print(f"no tables in schema {RAW_SCHEMA} of {args.duckdb}", file=sys.stderr)
            return 1
        if args.spark:
            copy_to_spark(duck, tables, args.spark)
        else:
            copy_to_postgres(duck, tables)
    finally:
        duck.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
