"""The warehouse-facing parts (docs/rules.md, "Configuration"): the dimension marts, the export
of every `marts` and `audit` table read back by a reader other than DuckDB, and the validation of
the variables that say where the data lives."""

from __future__ import annotations

import csv

import pyarrow.parquet as pq
import pytest

from chat_touchpoints.cli import main
from chat_touchpoints.export import ExportError, export_tables

TABLES = {
    "crm_accounts": [
        {
            "account_id": "A1",
            "account_name": "Acme",
            "website": "https://www.Acme.com/about",
            "is_deleted": "false",
        },
        {
            "account_id": "A2",
            "account_name": "Gone Ltd",
            "website": "gone.io",
            "is_deleted": "true",
        },
        {"account_id": "A3", "account_name": "No Site", "is_deleted": "false"},
    ],
    "crm_leads": [
        {
            "lead_id": "L1",
            "email": " Ada@ACME.com ",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "created_at": "2026-01-02T09:00:00Z",
            "is_converted": "true",
            "converted_contact_id": "C1",
            "is_deleted": "false",
        },
        {
            "lead_id": "L2",
            "email": "bob@nowhere.org",
            "first_name": "Bob",
            "last_name": "Stone",
            "created_at": "2026-01-03",
            "is_converted": "false",
            "is_deleted": "false",
        },
        {
            "lead_id": "L3",
            "email": "del@acme.com",
            "created_at": "2026-01-03",
            "is_deleted": "true",
        },
    ],
    "crm_contacts": [
        {
            "contact_id": "C1",
            "account_id": "A1",
            "email": "ada@acme.com",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "created_at": "2026-02-01T10:00:00+01:00",
            "is_deleted": "false",
        },
    ],
    "crm_opportunities": [
        {
            "opportunity_id": "O1",
            "account_id": "A1",
            "opportunity_name": "Acme deal",
            "created_at": "2026-02-10T09:00:00Z",
            "close_date": "2026-04-15",
            "is_closed": "true",
            "is_won": "true",
            "amount": "48000.50",
            "is_deleted": "false",
        },
        {
            "opportunity_id": "O2",
            "account_id": "A1",
            "opportunity_name": "Deleted deal",
            "created_at": "2026-02-11T09:00:00Z",
            "is_closed": "false",
            "is_won": "false",
            "amount": "10",
            "is_deleted": "true",
        },
    ],
}


@pytest.fixture(scope="module")
def built(scenario_builder):
    scenario = scenario_builder(TABLES, command="run")
    assert scenario.success, scenario.failures
    return scenario


def test_dim_accounts_leaves_out_deleted_accounts_and_reads_the_domain_as_matching_does(built):
    assert built.table("marts.dim_accounts", order_by="account_id") == [
        {
            "account_id": "A1",
            "account_name": "Acme",
            "website": "https://www.Acme.com/about",
            "domain": "acme.com",
        },
        {"account_id": "A3", "account_name": "No Site", "website": None, "domain": None},
    ]


def test_dim_people_has_one_row_per_lead_and_contact_record(built):
    rows = built.table("marts.dim_people", order_by="person_id")
    assert [
        (
            r["person_id"],
            r["person_type"],
            r["lead_id"],
            r["contact_id"],
            r["email"],
            r["person_name"],
            r["account_id"],
            r["is_converted"],
            r["converted_contact_id"],
        )
        for r in rows
    ] == [
        ("C1", "contact", None, "C1", "ada@acme.com", "Ada Lovelace", "A1", None, None),
        # the lead's account comes from lead-to-account matching on its email domain
        ("L1", "lead", "L1", None, "ada@acme.com", "Ada Lovelace", "A1", True, "C1"),
        ("L2", "lead", "L2", None, "bob@nowhere.org", "Bob Stone", None, False, None),
    ]
    assert str(rows[0]["created_at"]) == "2026-02-01 09:00:00"


def test_dim_opportunities_leaves_out_deleted_opportunities(built):
    rows = built.table("marts.dim_opportunities")
    assert [(r["opportunity_id"], r["is_closed"], r["is_won"], str(r["amount"])) for r in rows] == [
        ("O1", True, True, "48000.50")
    ]
    assert str(rows[0]["close_date"]) == "2026-04-15"


def _counts(scenario) -> dict[str, int]:
    tables = scenario.rows(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('marts', 'audit') and table_type = 'BASE TABLE'"
    )
    return {
        f"{t['table_schema']}.{t['table_name']}": scenario.rows(
            f'select count(*) as n from "{t["table_schema"]}"."{t["table_name"]}"'
        )[0]["n"]
        for t in tables
    }


def test_export_writes_one_parquet_file_per_marts_and_audit_table(built, tmp_path):
    expected = _counts(built)
    assert "marts.dim_people" in expected and "audit.row_accounting" in expected
    assert main(["export", "--db", str(built.db_path), "--out", str(tmp_path)]) == 0
    files = sorted(tmp_path.glob("*/*.parquet"))
    read_back = {f"{f.parent.name}.{f.stem}": pq.read_table(f).num_rows for f in files}
    assert read_back == expected
    people = pq.read_table(tmp_path / "marts" / "dim_people.parquet")
    assert sorted(people.column("person_id").to_pylist()) == ["C1", "L1", "L2"]
    assert str(people.schema.field("created_at").type).startswith("timestamp")


def test_export_writes_csv_with_a_header(built, tmp_path):
    exported = export_tables(built.db_path, tmp_path, file_format="csv")
    assert {(t.schema, t.table) for t in exported} >= {
        ("marts", "dim_accounts"),
        ("audit", "rejected_rows"),
    }
    with (tmp_path / "marts" / "dim_accounts.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [
        (r["account_id"], r["domain"]) for r in sorted(rows, key=lambda r: r["account_id"])
    ] == [
        ("A1", "acme.com"),
        ("A3", ""),
    ]


def test_export_of_a_missing_database_is_bad_input(tmp_path, capsys):
    with pytest.raises(ExportError):
        export_tables(tmp_path / "none.duckdb", tmp_path / "out")
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path)]) == 2
    assert "no database" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"schema_prefix": "ci-1"}, "schema_prefix"),
        ({"raw_schema": "raw; drop"}, "raw_schema"),
        ({"raw_database": ["x"]}, "raw_database"),
    ],
)
def test_a_bad_warehouse_variable_stops_the_build_naming_it(build_scenario, variables, named):
    scenario = build_scenario({}, vars=variables, command="run")
    assert not scenario.success
    message = " ".join(f.message for f in scenario.failures)
    assert f"variable '{named}'" in message, message


def test_a_load_sample_data_that_is_not_a_boolean_stops_the_build_naming_it(tmp_path):
    """dbt_project.yml enables the sample seeds from this variable: a text such as `no` must stop
    the build with a message naming it, not be read as true."""
    from chat_touchpoints.build import build, read_vars

    result = build(
        tmp_path / "w.duckdb",
        vars=read_vars({"load_sample_data": "no"}),
        command="run",
        quiet=True,
    )
    assert not result.success
    message = (result.dbt.error or "") + " ".join(n.message or "" for n in result.dbt.nodes)
    assert "variable 'load_sample_data' must be true, false or null" in message, message
