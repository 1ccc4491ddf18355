"""Loading raw files and rows as text, the generator, and the scenario harness itself."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from chat_touchpoints.generate import generate
from chat_touchpoints.loading import (
    CONFIG_TABLES,
    RawFileError,
    discover_raw_files,
    load_files,
    load_rows,
)
from chat_touchpoints.raw_tables import RAW_TABLES


def columns_of(db_path: Path, table: str) -> list[tuple[str, str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return [(r[0], r[1]) for r in con.execute(f"describe {table}").fetchall()]


def assert_unlocked(db_path: Path) -> None:
    """Another process can open the file read-write: nobody holds DuckDB's lock."""
    subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db_path)!r}).close()"],
        check=True,
        capture_output=True,
    )


def test_csv_and_parquet_load_as_text_in_the_specified_column_order(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    # columns in another order than the rule book lists them
    (raw / "crm_accounts.csv").write_text(
        'is_deleted,website,account_name,account_id\nfalse,www.acme.com,"Acme, Inc.",001\n'
    )
    with duckdb.connect() as con:
        con.execute(
            "copy (select 7 as rule_id, 1 as condition_group, 'subject' as field, "
            "'contains' as operator, 'it''s a chat' as value, 'created_at' as date_field, "
            "'Drift' as campaign_name, true as tracks_web_chat) "
            f"to '{raw / 'activity_rules.parquet'}' (format parquet)"
        )
    (raw / "notes.txt").write_text("not a table")

    files, ignored = discover_raw_files(raw)
    loaded = load_files(tmp_path / "w.duckdb", files)

    assert loaded == {"activity_rules": 1, "crm_accounts": 1}
    assert ignored == [raw / "notes.txt"]
    assert columns_of(tmp_path / "w.duckdb", "raw.crm_accounts") == [
        (c, "VARCHAR") for c in RAW_TABLES["crm_accounts"]
    ]
    assert columns_of(tmp_path / "w.duckdb", "config.activity_rules") == [
        (c, "VARCHAR") for c in CONFIG_TABLES["activity_rules"]
    ]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select * from raw.crm_accounts").fetchall() == [
            ("001", "Acme, Inc.", "www.acme.com", "false")
        ]
        assert con.execute("select rule_id, value, tracks_web_chat from config.activity_rules")
        assert con.fetchall() == [("7", "it's a chat", "true")]


def test_a_file_with_the_wrong_columns_is_refused_naming_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "crm_leads.csv"
    path.write_text("lead_id,email,first_name,surname,company,created_at,is_converted\n")
    files, _ = discover_raw_files(tmp_path)

    with pytest.raises(RawFileError) as error:
        load_files(tmp_path / "w.duckdb", files)

    message = str(error.value)
    assert str(path) in message
    assert "missing columns: last_name, converted_contact_id, is_deleted" in message
    assert "unexpected columns: surname" in message


def test_rows_fill_omitted_columns_with_null_and_refuse_unknown_columns(tmp_path: Path) -> None:
    load_rows(tmp_path / "w.duckdb", {"crm_leads": [{"lead_id": "L1", "is_converted": True}]})
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        row = con.execute("select lead_id, email, is_converted from raw.crm_leads").fetchall()
    assert row == [("L1", None, "true")]

    with pytest.raises(RawFileError, match="leadid"):
        load_rows(tmp_path / "w.duckdb", {"crm_leads": [{"leadid": "L1"}]})


def test_generate_is_deterministic_with_the_specified_headers(tmp_path: Path) -> None:
    def digest(out: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}

    counts = generate(tmp_path / "a", people=300, seed=7)
    generate(tmp_path / "b", people=300, seed=7)
    generate(tmp_path / "c", people=300, seed=8)

    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")
    for table, columns in RAW_TABLES.items():
        with open(tmp_path / "a" / f"{table}.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert tuple(rows[0]) == columns
        assert len(rows) - 1 == counts[table]
        assert all(len(r) == len(columns) for r in rows)
    assert counts["drift_chat_events"] > 0 and counts["marketo_activities"] > 0


def test_the_harness_builds_a_scenario_and_leaves_the_file_unlocked(build_scenario) -> None:
    scenario = build_scenario(
        {
            "crm_leads": [
                {"lead_id": "L1", "email": " Ada@Acme.com ", "created_at": "2026-01-02"},
                {"lead_id": "L2", "created_at": "not a date"},
            ],
            "offline_channels": [
                {"campaign_type": "Webinar", "channel": "Events", "subchannel": "Webinar"}
            ],
        },
        command="run",
    )

    assert scenario.success, scenario.failures
    assert scenario.table("raw.crm_leads", order_by="lead_id")[0]["lead_id"] == "L1"
    assert scenario.table("offline_channels") == [
        {"campaign_type": "Webinar", "channel": "Events", "subchannel": "Webinar"}
    ]
    assert scenario.rows("select count(*) as n from raw.web_sessions") == [{"n": 0}]
    assert_unlocked(scenario.db_path)


# Every line of a CSV file is a row: nothing is taken for a comment, skipped or guessed. A file
# that is not a table is refused whole, with one sentence naming the file, the line and the
# problem (never the text of the line, which may hold emails).
ACCOUNTS_HEADER = b"account_id,account_name,website,is_deleted\n"


@pytest.mark.parametrize(
    ("body", "rows"),
    [
        pytest.param(b"#700005,Acme,acme.com,false\n2,B,b.com,false\n", 2, id="hash-first"),
        pytest.param(b"1,A,a.com,false\n# 700005,B,b.com,false\n", 2, id="hash-later"),
        pytest.param(b'1,"x\n\ny",a.com,false\n2,B,b.com,false', 2, id="multi-line-value"),
        pytest.param(b"1,x\x00y,a.com,false\n", 1, id="nul-byte"),
        pytest.param(b"1,A,a.com,false\r\n2,B,b.com,false\r\n", 2, id="crlf"),
        pytest.param(b"", 0, id="header-only"),
    ],
)
def test_every_line_of_a_csv_file_is_a_row(tmp_path: Path, body: bytes, rows: int) -> None:
    path = tmp_path / "crm_accounts.csv"
    path.write_bytes(
        ACCOUNTS_HEADER.replace(b"\n", b"\r\n") + body
        if b"\r\n" in body
        else ACCOUNTS_HEADER + body
    )
    files, _ = discover_raw_files(tmp_path)

    assert load_files(tmp_path / "w.duckdb", files) == {"crm_accounts": rows}
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        ids = [r[0] for r in con.execute("select account_id from raw.crm_accounts").fetchall()]
    assert len(ids) == rows
    if b"#" in body:
        assert any(i.startswith("#") for i in ids)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (ACCOUNTS_HEADER + b"1,A,a.com,false\n1,A\n", "line 3: 2 values where the header has 4"),
        (ACCOUNTS_HEADER + b"1,A,a.com,false,extra\n", "line 2: 5 values where the header has 4"),
        (ACCOUNTS_HEADER + b"1,A,a.com,false\n\n2,B,b.com,false\n", "line 3: the line is empty"),
        (ACCOUNTS_HEADER + b"1,A,a.com,false\n\n", "line 3: the line is empty"),
        (ACCOUNTS_HEADER + b"1,Caf\xe9,a.com,false\n", "line 2: the file is not UTF-8 (byte 0xe9)"),
        (b"account_id,account_name,w\xe9bsite,is_deleted\n", "line 1: the file is not UTF-8"),
        (ACCOUNTS_HEADER + b'1,"A,a.com,false\n', "line 2: a quoted value is not closed"),
        (ACCOUNTS_HEADER + b'1,"A"B,a.com,false\n', "line 2: a closing quote is followed"),
        (ACCOUNTS_HEADER + b"1," + b"x" * 2_100_000 + b",a.com,false\n", "line 2: the row is"),
        (b"account_id,account_name,website,is_deleted,website\n", "line 1: the header repeats"),
        (b"", "is empty: its first line must name the columns of raw.crm_accounts"),
    ],
    ids=[
        "too-few",
        "too-many",
        "empty-line",
        "empty-last-line",
        "latin-1",
        "latin-1-header",
        "open-quote",
        "text-after-quote",
        "huge-line",
        "repeated-column",
        "zero-bytes",
    ],
)
def test_a_file_that_is_not_a_table_is_refused_in_one_sentence(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "crm_accounts.csv"
    path.write_bytes(content)
    files, _ = discover_raw_files(tmp_path)

    with pytest.raises(RawFileError) as error:
        load_files(tmp_path / "w.duckdb", files)

    text = str(error.value)
    assert text.startswith(str(path))
    assert message in text
    assert "\n" not in text and "Original Line" not in text and "column0" not in text
    assert "a.com" not in text  # the line's text is never quoted
