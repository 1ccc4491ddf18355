"""Log in to PostgreSQL as the BI reader role and prove what it may read (docs/rules.md,
"Configuration": `bi_reader_role`).

After a build with `--vars '{bi_reader_role: ROLE}'`, ROLE must read every table of `marts` and
must be refused every relation of `raw`, `config`, `staging`, `intermediate` and `audit` (each of
which must hold at least one relation, so that the refusals are not vacuous).

    python scripts/check_bi_reader.py --role bi_reader

The server comes from the variables of the `postgres` target (CHAT_TOUCHPOINTS_PG_HOST, _PORT,
_DATABASE); the relations are listed as CHAT_TOUCHPOINTS_PG_USER, then read as ROLE (which must
be able to log in without a password, as on the throwaway server of scripts/test_postgres.sh).
Prints one line per relation and exits 1 when the role reads too much or too little.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

import psycopg2
from psycopg2 import errors

READABLE_SCHEMAS = ("marts",)
REFUSED_SCHEMAS = ("raw", "config", "staging", "intermediate", "audit")


def connect(user: str, password: str = "") -> Any:
    env = os.environ
    return psycopg2.connect(
        host=env.get("CHAT_TOUCHPOINTS_PG_HOST", "127.0.0.1"),
        port=int(env.get("CHAT_TOUCHPOINTS_PG_PORT", "5432")),
        user=user,
        password=password,
        dbname=env.get("CHAT_TOUCHPOINTS_PG_DATABASE", "chat_touchpoints"),
    )


def relations(schemas: Sequence[str]) -> dict[str, list[str]]:
    """The tables and views of each schema, listed by the owner (who sees them all)."""
    owner = connect(
        os.environ.get("CHAT_TOUCHPOINTS_PG_USER", "postgres"),
        os.environ.get("CHAT_TOUCHPOINTS_PG_PASSWORD", ""),
    )
    try:
        cursor = owner.cursor()
        cursor.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema = any(%s) order by 1, 2",
            (list(schemas),),
        )
        found: dict[str, list[str]] = {schema: [] for schema in schemas}
        for schema, table in cursor.fetchall():
            found[schema].append(table)
        return found
    finally:
        owner.close()


def can_read(reader: Any, schema: str, table: str) -> bool:
    """True when the role reads the relation; False when PostgreSQL refuses it the privilege."""
    cursor = reader.cursor()
    try:
        cursor.execute(f'select count(*) from "{schema}"."{table}"')
        cursor.fetchone()
        return True
    except errors.InsufficientPrivilege:
        return False
    finally:
        reader.rollback()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", required=True, help="the role named by bi_reader_role")
    args = parser.parse_args(argv)

    found = relations(READABLE_SCHEMAS + REFUSED_SCHEMAS)
    problems = 0
    for schema in READABLE_SCHEMAS + REFUSED_SCHEMAS:
        if not found[schema]:
            print(f"FAIL  {schema}: no relation to check")
            problems += 1

    reader = connect(args.role)
    try:
        for schema, tables in found.items():
            expected = schema in READABLE_SCHEMAS
            for table in tables:
                reads = can_read(reader, schema, table)
                verdict = "ok  " if reads == expected else "FAIL"
                problems += reads != expected
                print(f"{verdict}  {schema}.{table}: {'read' if reads else 'refused'}")
    finally:
        reader.close()
    checked = sum(len(tables) for tables in found.values())
    print(f"{args.role}: {checked} relations checked, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
