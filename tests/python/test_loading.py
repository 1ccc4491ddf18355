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
    # columns in another order than SPEC section 3
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
