"""Open a DuckDB file read-only and read every table of the given schemas (default `marts` and
`audit`), printing `schema.table rows digest` per table (the digest: SHA-256 of the rows, sorted)
and the DuckDB version used.

Needs only the `duckdb` package, of any version: scripts/test.sh runs it with DuckDB 1.1.3 in an
isolated environment on the published sample, and with the project's own DuckDB on the same file,
and compares the two outputs. Exits 1 when the file cannot be opened, a schema has no table, or a
table cannot be read.

Usage: python scripts/read_with_old_duckdb.py FILE [SCHEMA ...]
"""

from __future__ import annotations

import hashlib
import sys

import duckdb


def read_tables(path: str, schemas: list[str]) -> list[tuple[str, int, str]]:
    """Every table of `schemas` in the file at `path`, fully read: (qualified name, rows, digest
    of the rows in sorted order)."""
    con = duckdb.connect(path, read_only=True)
    try:
        counts = []
        for schema in schemas:
            tables = con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [schema],
            ).fetchall()
            if not tables:
                raise LookupError(f"schema {schema} has no table in {path}")
            for (table,) in tables:
                rows = con.execute(f'select * from "{schema}"."{table}"').fetchall()
                digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
                counts.append((f"{schema}.{table}", len(rows), digest[:16]))
        return counts
    finally:
        con.close()


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    path, schemas = argv[0], argv[1:] or ["marts", "audit"]
    try:
        counts = read_tables(path, schemas)
    except (duckdb.Error, LookupError) as error:
        print(f"DuckDB {duckdb.__version__} cannot read {path}: {error}", file=sys.stderr)
        return 1
    for name, rows, digest in counts:
        print(f"{name} {rows} {digest}")
    print(f"read {len(counts)} tables with DuckDB {duckdb.__version__}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
