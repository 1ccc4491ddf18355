"""Configuration (docs/rules.md, "Configuration"): "a value of the wrong type or out of range stops
the build with an error naming the variable", and a bad value in a configuration seed stops it with
an error naming the seed, the row and the column.

Each variable case runs `dbt build` through the project's runner with one bad `--vars` value; the
build must stop before any node runs, with an error that names the variable. These fail while dbt
parses the project, so they cost a few seconds each, not a whole build. The seed cases load a bad
seed (as a file or as rows, every column text, as `chat-touchpoints build --raw` does) and run only
the `stg_config__` models that validate them.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chat_touchpoints.build import build, read_vars
from chat_touchpoints.loading import CONFIG_TABLES, discover_raw_files
from chat_touchpoints.project import project_dir
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
    # moments whose UTC reading falls outside the years 1 to 9999
    ("web_chat_enabled_at", {"web_chat_enabled_at": "0001-01-01T03:00:00+05:00"}),
    ("as_of", {"as_of": "9999-12-31T22:00:00-05:00"}),
    ("as_of", {"as_of": "0000-06-01T00:00:00Z"}),
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


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T03:00:00+05:00", "9999-12-31T22:00:00-05:00"],
    ids=["year 0", "year 10000"],
)
def test_a_moment_outside_the_years_1_to_9999_in_utc_is_refused_in_one_sentence(
    moment: str, dbt_workspace: Path, tmp_path: Path
) -> None:
    run = _dbt("build", {"as_of": moment}, dbt_workspace, tmp_path / "warehouse.duckdb")
    assert not run.success
    messages = (run.error or "") + " ".join(n.message or "" for n in run.failed_nodes)
    assert f"variable 'as_of' is outside the years 1 to 9999 in UTC: '{moment}'" in messages
    assert "Overflow" not in messages


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


# ---------------------------------------------------------------------------------------------
# Configuration seeds
# ---------------------------------------------------------------------------------------------


def _run_config_models(
    workspace: Path,
    db: Path,
    rows: dict[str, list[dict[str, str]]] | None = None,
    raw: Path | None = None,
) -> DbtRun:
    """`dbt run` of the three `stg_config__` models on the given seeds (the others: the samples)."""
    files = discover_raw_files(raw)[0] if raw else ()
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(SECRET_ENV, raising=False)
        return build(
            db,
            files=files,
            rows=rows,
            command="run",
            dbt_args=["--select", "path:models/staging/config"],
            target_path=workspace / "target",
            log_path=workspace / "logs",
            quiet=True,
        ).dbt


def _messages(run: DbtRun) -> str:
    return (run.error or "") + "\n".join(n.message or "" for n in run.failed_nodes)


def _rule(rule_id: str, value: str, **overrides: str) -> dict[str, str]:
    row = dict(
        rule_id=rule_id, condition_group="1", field="subject", operator="contains", value=value,
        date_field="created_at", campaign_name="Calls", tracks_web_chat="false",
    )  # fmt: skip
    return {**row, **overrides}


def test_a_bad_rule_id_in_an_activity_rules_file_names_the_seed_the_row_and_the_column(
    dbt_workspace: Path, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "activity_rules.csv").write_text(
        ",".join(CONFIG_TABLES["activity_rules"]) + "\n"
        "1,1,subject,starts_with,Drift chat:,created_at,Drift Chat,true\n"
        "one,1,subject,contains,demo,activity_date,Demo Meetings,false\n",
        encoding="utf-8",
    )
    run = _run_config_models(dbt_workspace, tmp_path / "w.duckdb", raw=raw)
    assert not run.success
    assert "activity_rules, row 2, column rule_id: 'one' is not an integer" in _messages(run)


def test_every_bad_value_of_each_seed_is_named_with_its_row_and_column(
    dbt_workspace: Path, tmp_path: Path
) -> None:
    activity_rules = [
        _rule("1", "chat"),  # row 1: valid
        _rule("2", "demo", operator="like"),
        _rule("3", "demo", field="description"),
        _rule("4", "demo", date_field="closed_at"),
        _rule("5", "demo", tracks_web_chat="yes"),
        _rule("6", "demo", condition_group="1.5"),
        _rule("99999999999", "demo"),
        _rule("1", "chat"),  # row 8: repeats row 1
        _rule("1", "call", campaign_name="Other"),  # row 9: campaign differs within rule 1
        _rule("10", "", campaign_name=" "),
    ]
    channel_rules = [
        {"priority": "10", "channel": "Chat", "subchannel": "Drift", "utm_medium": "chat"},
        {"priority": "ten", "channel": "Paid", "subchannel": "Search"},
        {"priority": "10", "channel": "Email", "subchannel": "Newsletter"},
        {"priority": "20", "channel": "Email"},
    ]
    offline_channels = [
        {"campaign_type": "Webinar", "channel": "Events", "subchannel": "Webinar"},
        {"campaign_type": "Webinar", "channel": "Events", "subchannel": "Online"},
        {"campaign_type": "", "channel": "Events", "subchannel": "Other"},
    ]
    run = _run_config_models(
        dbt_workspace,
        tmp_path / "w.duckdb",
        rows={
            "activity_rules": activity_rules,
            "channel_rules": channel_rules,
            "offline_channels": offline_channels,
        },
    )
    assert not run.success
    messages = _messages(run)
    for expected in [
        "activity_rules, row 2, column operator: 'like' is not one of: equals, contains,",
        "activity_rules, row 3, column field: 'description' is not one of: subject, task_type",
        "activity_rules, row 4, column date_field: 'closed_at' is not one of: created_at,",
        "activity_rules, row 5, column tracks_web_chat: 'yes' is not a boolean",
        "activity_rules, row 6, column condition_group: '1.5' is not an integer",
        "activity_rules, row 7, column rule_id: '99999999999' is not an integer",
        "activity_rules, row 8, column rule_id, condition_group, field, operator, value: "
        "'1, 1, subject, contains, chat' repeats row 1",
        "activity_rules, row 9, column campaign_name: 'Other' differs from row 1 of the same "
        "rule_id",
        "activity_rules, row 10, column value: empty is required",
        "activity_rules, row 10, column campaign_name: empty is required",
        "channel_rules, row 2, column priority: 'ten' is not an integer",
        "channel_rules, row 3, column priority: '10' repeats row 1",
        "channel_rules, row 4, column subchannel: empty is required",
        "offline_channels, row 2, column campaign_type: 'Webinar' repeats row 1",
        "offline_channels, row 3, column campaign_type: empty is required",
    ]:
        assert expected in messages, messages
    # the valid rows are not named
    assert "activity_rules, row 1," not in messages
    assert "channel_rules, row 1," not in messages


def test_the_sample_seeds_are_valid_and_typed(dbt_workspace: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    run = _run_config_models(dbt_workspace, db)
    assert run.success, _messages(run)
    with duckdb.connect(str(db), read_only=True) as con:
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_name = 'stg_config__activity_rules'"
            ).fetchall()
        )
    assert types["rule_id"] == "INTEGER"
    assert types["condition_group"] == "INTEGER"
    assert types["tracks_web_chat"] == "BOOLEAN"


# ---------------------------------------------------------------------------------------------
# Lists of any length: `matches_any` items and channel rule alternatives
# ---------------------------------------------------------------------------------------------


def test_the_hundredth_item_of_a_list_matches(build_scenario: Any) -> None:
    """A `matches_any` list and a channel rule pattern of 100 alternatives where only the 100th
    matches: the task takes rule 1 (not the catch-all rule 2) and the channel of priority 1 (not
    the catch-all priority 2)."""
    items = [f"item {i}" for i in range(1, 101)]
    campaigns = [f"campaign {i}" for i in range(1, 100)] + ["hundred*"]
    scenario = build_scenario(
        {
            "crm_leads": [
                {"lead_id": "L1", "email": "ada@acme.com", "created_at": "2026-01-02T09:00:00Z"}
            ],
            "crm_tasks": [
                {"task_id": "T1", "who_id": "L1", "subject": "Item 100", "task_type": "Note",
                 "created_at": "2026-01-05T10:00:00Z", "activity_date": "2026-01-06"},
            ],
            "activity_rules": [
                _rule("1", ", ".join(items), operator="matches_any", campaign_name="Hundred",
                      date_field="activity_date"),
                _rule("2", "item", campaign_name="Fallback"),
            ],
            "channel_rules": [
                {"priority": "1", "channel": "Listed", "subchannel": "Hundredth",
                 "utm_campaign": ";".join(campaigns)},
                {"priority": "2", "channel": "Catch", "subchannel": "All"},
            ],
            "offline_channels": [],
        },
        command="run",
    )
    assert scenario.success, scenario.failures
    assert scenario.rows(
        "select list_item_count from (select count(*) as list_item_count "
        "from intermediate.int_activity_rule_conditions where rule_id = 1)"
    ) == [{"list_item_count": 100}]
    assert scenario.rows(
        "select crm_task_id, activity_rule_id, campaign_name, touchpoint_at, channel, subchannel "
        "from marts.fct_touchpoints"
    ) == [
        {"crm_task_id": "T1", "activity_rule_id": 1, "campaign_name": "Hundred",
         "touchpoint_at": datetime(2026, 1, 6), "channel": "Listed", "subchannel": "Hundredth"},
    ]  # fmt: skip



def test_only_the_stg_config_models_read_and_cast_the_configuration_seeds() -> None:
    models = project_dir() / "models"
    raw_seed_reads = re.compile(r"ref\(\s*['\"](activity_rules|channel_rules|offline_channels)\b")
    offenders = sorted(
        str(path.relative_to(models))
        for path in models.rglob("*.sql")
        if path.parent.name != "config"
        and (raw_seed_reads.search(sql := path.read_text(encoding="utf-8")) or "as_text(" in sql)
    )
    assert offenders == []
