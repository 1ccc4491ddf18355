"""The Dagster definitions (README "Scheduled builds"): every dbt model is an asset with its
dependencies, the raw tables carry freshness checks, a daily schedule builds everything, and
materialising every asset in-process builds the sample's marts."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from dagster import AssetKey, materialize

from chat_touchpoints import dagster_defs


def _manifest() -> dict:
    return json.loads(dagster_defs.PROJECT.manifest_path.read_text(encoding="utf-8"))


def test_every_model_is_an_asset_with_its_dependencies() -> None:
    assets = dagster_defs.chat_touchpoints_dbt_assets
    models = [n for n in _manifest()["nodes"].values() if n["resource_type"] == "model"]
    # keyed by the schema the model lands in and its name
    assert {AssetKey([m["config"]["schema"], m["name"]]) for m in models} <= set(assets.keys)
    # fct_touchpoints reads the kept touchpoints per person; a base_ model reads its raw table
    journeys = assets.asset_deps[AssetKey(["marts", "fct_touchpoints"])]
    assert AssetKey(["intermediate", "int_person_touchpoints"]) in journeys
    base_sessions = AssetKey(["staging", "base_web__sessions"])
    assert AssetKey(["web", "web_sessions"]) in assets.asset_deps[base_sessions]


def test_a_daily_schedule_and_a_freshness_check_per_raw_table() -> None:
    defs = dagster_defs.defs
    assert defs.resolve_schedule_def("daily_dbt_build_schedule").cron_schedule == "0 5 * * *"
    checked = {spec.asset_key for spec in dagster_defs.raw_table_freshness.check_specs}
    assert AssetKey(["crm", "crm_opportunities"]) in checked
    assert len(checked) == 11


def test_materialising_every_asset_builds_the_marts(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "dagster.duckdb"
    monkeypatch.setenv("CHAT_TOUCHPOINTS_DB", str(db))
    monkeypatch.setenv("MSI_API_SECRET_KEY", "demo-key")
    result = materialize(
        [dagster_defs.chat_touchpoints_dbt_assets],
        resources={"dbt": dagster_defs.defs.resources["dbt"]},
    )
    assert result.success
    with duckdb.connect(str(db), read_only=True) as con:
        touchpoints = con.execute("select count(*) from marts.fct_touchpoints").fetchone()[0]
        enabled = con.execute(
            "select chat_data_enabled from marts.si_integration_status"
        ).fetchone()
        accounting = con.execute(
            "select count(*) from audit.row_accounting where raw_rows = accepted_rows "
            "+ rejected_rows + duplicate_rows + not_applicable_rows"
        ).fetchone()[0]
    assert touchpoints > 0
    assert enabled == (True,)
    assert accounting == 11
