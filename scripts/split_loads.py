"""Turn the raw tables copied into PostgreSQL into two loads, so that a plain `dbt build` followed
by another one builds incrementally there as a scheduler's builds do (README "Scheduled builds").

    python scripts/split_loads.py first    # hold back part of every raw table, stamp the rest
    dbt build --target postgres --full-refresh ...
    python scripts/split_loads.py second   # append what was held back, stamped later
    dbt build --target postgres ...        # incremental: must equal a full refresh

`first` moves about three rows in eight of every raw table (chosen by a hash of the row, so that
the rows of one id fall into both loads) into the schema `raw_later`, and stamps the rows that
stay: most as loaded on 2026-01-01, about one in five of them on 2026-01-03. The second build's
cutoff (the latest stamp held, less the 24-hour lookback) then lies between the two, so that rows
loaded on 2026-01-01 are held as they were and are parsed again only when a later row shares
their id. `second` appends the held-back rows stamped 2026-01-05 and drops `raw_later`.

The connection is scripts/compare_engines.py's; the tables are those scripts/copy_raw_tables.py
wrote (every column as text, with the load stamp column `_loaded_at`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from compare_engines import pg_connect

RAW, LATER = "raw", "raw_later"
STAMP_COLUMN = "_loaded_at"
FIRST, FIRST_LATE, SECOND = (
    "2026-01-01T00:00:00.000000Z",
    "2026-01-03T00:00:00.000000Z",
    "2026-01-05T00:00:00.000000Z",
)


def _raw_tables(cursor) -> dict[str, list[str]]:
    cursor.execute(
        "select table_name, column_name from information_schema.columns"
        " where table_schema = %s order by table_name, ordinal_position",
        [RAW],
    )
    tables: dict[str, list[str]] = {}
    for table, column in cursor.fetchall():
        tables.setdefault(table, []).append(column)
    return tables


def _row_hash(columns: list[str]) -> str:
    """The first hex digit of the md5 of the row's values (the stamp left out)."""
    values = ", ".join(f"coalesce(\"{c}\", '<null>')" for c in columns if c != STAMP_COLUMN)
    return f"left(md5(concat_ws('|', {values})), 1)"


def first(cursor) -> str:
    cursor.execute(f'drop schema if exists "{LATER}" cascade')
    cursor.execute(f'create schema "{LATER}"')
    held = kept = 0
    for table, columns in _raw_tables(cursor).items():
        if STAMP_COLUMN not in columns:
            raise SystemExit(f"{RAW}.{table} has no {STAMP_COLUMN} column")
        digit = _row_hash(columns)
        later = f"{digit} in ('0', '1', '2', '3', '4', '5')"
        cursor.execute(
            f'create table "{LATER}"."{table}" as select * from "{RAW}"."{table}" where {later}'
        )
        held += cursor.rowcount
        cursor.execute(f'delete from "{RAW}"."{table}" where {later}')
        cursor.execute(
            f'update "{RAW}"."{table}" set "{STAMP_COLUMN}" ='
            f" case when {digit} in ('6', '7') then %s else %s end",
            [FIRST_LATE, FIRST],
        )
        kept += cursor.rowcount
    return f"first load: {kept} rows kept, {held} held back for the second"


def second(cursor) -> str:
    appended = 0
    for table, columns in _raw_tables(cursor).items():
        select_list = ", ".join("%s" if c == STAMP_COLUMN else f'"{c}"' for c in columns)
        cursor.execute(
            f'insert into "{RAW}"."{table}" select {select_list} from "{LATER}"."{table}"',
            [SECOND],
        )
        appended += cursor.rowcount
    cursor.execute(f'drop schema "{LATER}" cascade')
    return f"second load: {appended} rows appended"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("load", choices=["first", "second"])
    args = parser.parse_args(argv)
    connection = pg_connect()
    try:
        with connection, connection.cursor() as cursor:
            print(first(cursor) if args.load == "first" else second(cursor))
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
