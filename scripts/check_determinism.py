"""Determinism check: two builds of the same input give identical marts and audit tables.

    python scripts/check_determinism.py FIRST.duckdb SECOND.duckdb

Fingerprints every table of the `marts` and `audit` schemas of both DuckDB files (its columns
and types, its row count, and the sum of a 64-bit hash of each row: independent of row order,
sensitive to every bit of every value, so a floating-point sum that came out differently in its
last digit shows) and compares them. Prints one line per table; exits 1 when anything differs.
`scripts/test.sh` runs it on two sample builds; `scripts/benchmark.py --determinism` at scale.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import duckdb

SCHEMAS = ("marts", "audit")


class Fingerprint(NamedTuple):
    """What two identical tables share: columns with types, row count, order-free row hash."""

    columns: tuple[tuple[str, str], ...]
    rows: int
    row_hash: int


def fingerprints(db_path: Path, schemas: Sequence[str] = SCHEMAS) -> dict[str, Fingerprint]:
    """The fingerprint of every table of `schemas`, by `schema.table`."""
    result: dict[str, Fingerprint] = {}
    with duckdb.connect(str(db_path), read_only=True) as con:
        placeholders = ", ".join("?" for _ in schemas)
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_catalog = current_database() and table_schema in ({placeholders}) "
            "and table_type = 'BASE TABLE' order by 1, 2",
            list(schemas),
        ).fetchall()
        for schema, table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = current_database() and table_schema = ? "
                "and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            rows, row_hash = con.execute(
                f'select count(*), coalesce(sum(hash(t)), 0) from "{schema}"."{table}" as t'
            ).fetchone()  # type: ignore[misc]
            result[f"{schema}.{table}"] = Fingerprint(
                tuple((str(n), str(t)) for n, t in columns), int(rows), int(row_hash)
            )
    return result


def compare(first: dict[str, Fingerprint], second: dict[str, Fingerprint]) -> list[str]:
    """One line per table; a line starting with `DIFF` for every table that differs."""
    lines = []
    for name in sorted(first.keys() | second.keys()):
        a, b = first.get(name), second.get(name)
        if a is None or b is None:
            lines.append(f"DIFF  {name}: only in the {'second' if a is None else 'first'} build")
        elif a.columns != b.columns:
            lines.append(f"DIFF  {name}: columns {a.columns} vs {b.columns}")
        elif a.rows != b.rows:
            lines.append(f"DIFF  {name}: {a.rows} rows vs {b.rows}")
        elif a.row_hash != b.row_hash:
            lines.append(f"DIFF  {name}: same {a.rows} rows count, different values")
        else:
            lines.append(f"same  {name}: {a.rows} rows")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path, help="the DuckDB file of one build")
    parser.add_argument("second", type=Path, help="the DuckDB file of another build")
    args = parser.parse_args(argv)
    lines = compare(fingerprints(args.first), fingerprints(args.second))
    print("\n".join(lines))
    differ = sum(line.startswith("DIFF") for line in lines)
    print(
        f"{len(lines) - differ} of {len(lines)} marts and audit tables identical"
        + (f", {differ} differ" if differ else "")
    )
    return 1 if differ or not lines else 0


if __name__ == "__main__":
    sys.exit(main())
