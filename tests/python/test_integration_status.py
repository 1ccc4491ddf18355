"""The Sales Insight switch and its prerequisites (the rule book, "Chat activities"), and the
API secret key (docs/chat_activities.md, "The API secret key").

Every `si_chat_*` and `si_insights_*` mart has a row in SCENARIO when chat data is on; when any
prerequisite fails they are all empty, with their columns, and `si_integration_status` names it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from conftest import SI_MARTS

from chat_touchpoints.project import project_dir

STATUS_COLUMNS = (
    "msi_package_version",
    "package_version_ok",
    "dynamic_chat_setup",
    "api_secret_key_present",
    "enable_dynamic_chat_data",
    "chat_data_enabled",
    "disabled_reasons",
)
# A key nobody would write by chance, so that finding it anywhere means it leaked.
SECRET_KEY = "msi-SECRET-7f3c9a1e-do-not-leak"
KEY_PRESENT = {"msi_api_secret_key": SECRET_KEY}


def activity(activity_id: str, lead: str, activity_type: str, at: str, **attributes: str):
    return {
        "activity_id": activity_id,
        "marketo_lead_id": lead,
        "activity_type": activity_type,
        "activity_at": at,
        "primary_attribute_value": "Pricing Bot",
        "attributes": json.dumps(attributes),
    }


# A contact and a lead of one account with an opportunity: every Sales Insight mart has rows.
SCENARIO = {
    "crm_accounts": [{"account_id": "A1", "account_name": "Acme", "website": "acme.com"}],
    "crm_contacts": [{"contact_id": "C1", "account_id": "A1", "email": "ann@acme.com",
                      "first_name": "Ann", "last_name": "Lee"}],
    "crm_leads": [{"lead_id": "L1", "email": "bob@acme.com", "first_name": "Bob",
                   "last_name": "Ray"}],
    "crm_opportunities": [{"opportunity_id": "O1", "account_id": "A1",
                           "opportunity_name": "Acme renewal", "created_at": "2026-02-01",
                           "is_closed": "false"}],
    "marketo_leads": [
        {"marketo_lead_id": "M1", "email": "ann@acme.com", "sfdc_contact_id": "C1"},
        {"marketo_lead_id": "M2", "email": "bob@acme.com", "sfdc_lead_id": "L1"},
    ],
    "marketo_activities": [
        activity("E1", "M1", "Engaged with a Dialogue", "2026-03-02T10:00:00Z",
                 **{"Conversation Status": "Completed"}),
        activity("G1", "M2", "Reached Dialogue Goal", "2026-03-03T10:00:00Z",
                 **{"Goal Name": "Booked Meeting"}),
        activity("D1", "M2", "Interacted with Document in Dialogue", "2026-03-04T10:00:00Z",
                 **{"Document Name": "Benchmark.pdf", "Document Downloaded": "true"}),
    ],
}  # fmt: skip


def contract_columns() -> dict[str, list[str]]:
    """The columns each mart declares in its contract."""
    path = project_dir() / "models" / "marts" / "sales_insight" / "_sales_insight__models.yml"
    models = yaml.safe_load(path.read_text())["models"]
    return {m["name"]: [c["name"] for c in m["columns"]] for m in models}


def status_row(scenario: Any) -> dict[str, Any]:
    rows = scenario.table("marts.si_integration_status")
    assert len(rows) == 1
    assert tuple(rows[0]) == STATUS_COLUMNS
    return rows[0]


def mart_counts(scenario: Any) -> dict[str, int]:
    return {
        mart: scenario.rows(f"select count(*) as n from marts.{mart}")[0]["n"]
        for mart in (*SI_MARTS, "fct_chat_activities")
    }


def test_with_every_prerequisite_chat_data_is_shown_and_the_key_never_lands_anywhere(
    build_scenario: Any, dbt_workspace: Path
) -> None:
    scenario = build_scenario(SCENARIO, vars={"msi_package_version": "v2.4.1", **KEY_PRESENT})
    assert scenario.success, scenario.failures

    assert status_row(scenario) == {
        "msi_package_version": "v2.4.1",  # a `v` prefix is allowed; 2.4.1 >= 2.4.0
        "package_version_ok": True,
        "dynamic_chat_setup": True,
        "api_secret_key_present": True,
        "enable_dynamic_chat_data": True,
        "chat_data_enabled": True,
        "disabled_reasons": "",
    }
    counts = mart_counts(scenario)
    assert all(counts[mart] > 0 for mart in SI_MARTS), counts

    # Nowhere in the database: neither in any text value nor in any view definition, nor in
    # the file's bytes; nowhere in dbt's target/ (compiled SQL, manifest, partial parse
    # files, run results) or its logs.
    secret = SECRET_KEY.encode()
    with duckdb.connect(str(scenario.db_path), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            hits = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" like ?',
                [f"%{SECRET_KEY}%"],
            ).fetchone()
            assert hits == (0,), f"{schema}.{table}.{column}"
        views = con.execute("select sql from duckdb_views() where sql like ?", [f"%{SECRET_KEY}%"])
        assert views.fetchall() == []
    database_files = [scenario.db_path, Path(f"{scenario.db_path}.wal")]
    dbt_files = [p for p in dbt_workspace.rglob("*") if p.is_file()]
    assert any(p.name == "partial_parse.msgpack" for p in dbt_files)
    assert any(p.name == "manifest.json" for p in dbt_files)
    leaks = [
        str(p) for p in (*database_files, *dbt_files) if p.is_file() and secret in p.read_bytes()
    ]
    assert leaks == []


@pytest.mark.parametrize(
    ("variables", "reason"),
    [
        # 2.3.9 < 2.4.0
        ({"msi_package_version": "2.3.9", **KEY_PRESENT}, "package_version_ok"),
        # 2.4 = 2.4.0: the package is recent enough, Dynamic Chat is not set up
        (
            {"msi_package_version": "2.4", "dynamic_chat_setup": False, **KEY_PRESENT},
            "dynamic_chat_setup",
        ),
        # the environment variable unset; the version exactly the one required
        ({"msi_package_version": "2.4.0"}, "api_secret_key_present"),
        ({"enable_dynamic_chat_data": "false", **KEY_PRESENT}, "enable_dynamic_chat_data"),
    ],
    ids=["old_package", "dynamic_chat_not_set_up", "no_api_key", "checkbox_off"],
)
def test_each_failing_prerequisite_empties_every_chat_mart_and_is_named(
    build_scenario: Any, variables: dict[str, Any], reason: str
) -> None:
    scenario = build_scenario(SCENARIO, vars=variables, command="run")
    assert scenario.success, scenario.failures

    status = status_row(scenario)
    assert (status["chat_data_enabled"], status["disabled_reasons"]) == (False, reason)
    assert [name for name in STATUS_COLUMNS[1:5] if not status[name]] == [reason]
    assert status["msi_package_version"] == variables.get("msi_package_version", "2.4.0")

    counts = mart_counts(scenario)
    assert {mart: counts[mart] for mart in SI_MARTS} == dict.fromkeys(SI_MARTS, 0)
    # fct_chat_activities has its rows whatever the switch (the rule book, "Chat activities")
    assert counts["fct_chat_activities"] == 3
    declared = contract_columns()
    for mart in SI_MARTS:
        columns = scenario.rows(
            "select column_name from information_schema.columns "
            f"where table_schema = 'marts' and table_name = '{mart}' order by ordinal_position"
        )
        assert [c["column_name"] for c in columns] == declared[mart], mart


def test_all_failed_prerequisites_are_named_in_order(build_scenario: Any) -> None:
    scenario = build_scenario(
        SCENARIO,
        vars={
            "msi_package_version": "1.9",
            "dynamic_chat_setup": False,
            "enable_dynamic_chat_data": False,
        },
        command="run",
    )
    assert scenario.success, scenario.failures
    assert status_row(scenario)["disabled_reasons"] == (
        "package_version_ok, dynamic_chat_setup, api_secret_key_present, enable_dynamic_chat_data"
    )


def test_an_unparseable_version_stops_the_build_naming_the_variable(build_scenario: Any) -> None:
    scenario = build_scenario(SCENARIO, vars={"msi_package_version": "2.4-beta"}, command="run")
    assert not scenario.success
    messages = " ".join(f.message or "" for f in scenario.failures)
    assert "msi_package_version" in messages
    assert "2.4-beta" in messages
