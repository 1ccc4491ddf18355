"""Configuration of SPEC 4: "a value of the wrong type or out of range stops the build with an
error naming the variable".

Each case runs `dbt build` through the project's runner with one bad `--vars` value; the build must
stop before any node runs, with an error that names the variable. These fail while dbt parses the
project, so they cost a few seconds each, not a whole build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chat_touchpoints.build import read_vars
from chat_touchpoints.runner import SECRET_ENV, DbtRun, run_dbt


def _dbt(command: str, vars: dict[str, Any], workspace: Path, db: Path) -> DbtRun:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(SECRET_ENV, raising=False)
        return run_dbt(
            command,
            db,
            vars_text=read_vars(vars).text,
            target_path=workspace / "target",
            log_path=workspace / "logs",
            quiet=True,
        )


INVALID_VARS = [
    # (variable named in the error, --vars)
    ("web_chat_enabled_at", {"web_chat_enabled_at": "yesterday"}),
    ("web_chat_enabled_at", {"web_chat_enabled_at": "2026-02-30T00:00:00Z"}),
    ("web_chat_enabled_at", {"web_chat_enabled_at": "2026-03-01T25:00:00Z"}),
    ("web_chat_enabled_at", {"web_chat_enabled_at": 5}),
    ("chat_campaign_types", {"chat_campaign_types": 5}),
    ("chat_campaign_types", {"chat_campaign_types": [5, "Chat"]}),
    ("as_of", {"as_of": "soon"}),
    (
        "custom_attribution_weights",
        {
            "custom_attribution_weights": {
                "first_touch": 10,
                "lead_creation": 20,
                "opportunity_creation": 20,
                "closed": 20,
                "middle": 20,
            }
        },
    ),
    (
        "custom_attribution_weights",
        {
            "custom_attribution_weights": {
                "first_touch": -10,
                "lead_creation": 50,
                "opportunity_creation": 20,
                "closed": 20,
                "middle": 20,
            }
        },
    ),
    ("custom_attribution_weights", {"custom_attribution_weights": "20,20,20,20,20"}),
    ("dynamic_chat_setup", {"dynamic_chat_setup": "maybe"}),
    ("enable_dynamic_chat_data", {"enable_dynamic_chat_data": "perhaps"}),
    ("msi_package_version", {"msi_package_version": "two point four"}),
]


@pytest.mark.parametrize(("variable", "vars"), INVALID_VARS, ids=[str(x) for _, x in INVALID_VARS])
def test_an_invalid_variable_stops_the_build_naming_it(
    variable: str, vars: dict[str, Any], dbt_workspace: Path, tmp_path: Path
) -> None:
    run = _dbt("build", vars, dbt_workspace, tmp_path / "warehouse.duckdb")
    assert not run.success
    assert [n.name for n in run.nodes if n.status in ("success", "pass")] == []
    messages = (run.error or "") + " ".join(n.message or "" for n in run.failed_nodes)
    assert variable in messages, messages


VALID_VARS = [
    {"web_chat_enabled_at": "2026-03-01T12:00:00Z"},
    {"web_chat_enabled_at": "2026-03-01 12:00:00.5+02:00", "as_of": "2026-06-30"},
    {"web_chat_enabled_at": None, "chat_campaign_types": ["Chat", "Drift Chat"]},
    {
        "custom_attribution_weights": {
            "first_touch": 10,
            "lead_creation": 30,
            "opportunity_creation": 20,
            "closed": 25,
            "middle": 15,
        }
    },
    {"msi_package_version": "v2.10", "dynamic_chat_setup": False},
]


@pytest.mark.parametrize("vars", VALID_VARS, ids=[str(i) for i in range(len(VALID_VARS))])
def test_valid_variables_are_accepted(
    vars: dict[str, Any], dbt_workspace: Path, tmp_path: Path
) -> None:
    run = _dbt("parse", vars, dbt_workspace, tmp_path / "warehouse.duckdb")
    assert run.success, run.error
