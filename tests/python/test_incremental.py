"""Incremental builds equal a full refresh, row for row (README "Scheduled builds").

A generated data set is cut at random into 2-5 batches by load time. Built batch by batch with an
appending build, every `marts` and `audit` table must equal, row for row, a full refresh over all
batches. The cut puts rows of one id (the generator's exact and near duplicates) into different
batches, so the repeated-id rule must see every batch; some rows of a later batch carry a load
stamp from before the previous build, inside the lookback (a loader that committed late), and
must be picked up; a batch with nothing new must change nothing. Seeded random over several
seeds, at small sizes so that CI runs it.
"""

from __future__ import annotations

import csv
import importlib.util
import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from chat_touchpoints.build import build, builds_every_model, read_vars
from chat_touchpoints.fingerprint import RAW_STATE_TABLE, stored_raw_states
from chat_touchpoints.generate import generate, generate_delta
from chat_touchpoints.loading import LOADED_AT_COLUMN, discover_raw_files, load_stamp
from chat_touchpoints.project import project_dir
from chat_touchpoints.raw_tables import RAW_TABLES
from chat_touchpoints.runner import DB_ENV, SECRET_ENV, close_duckdb_connections, run_dbt

_spec = importlib.util.spec_from_file_location(
    "check_determinism", project_dir() / "scripts" / "check_determinism.py"
)
check_determinism = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(check_determinism)  # type: ignore[union-attr]

# as_of fixed: open opportunities' windows must not depend on when each build ran
VARS = read_vars(
    {
        "as_of": "2026-03-01T00:00:00Z",
        "web_chat_enabled_at": "2026-01-04T00:00:00Z",
        "msi_api_secret_key": "demo-key",
    }
)
FIRST_LOAD = datetime(2026, 2, 1, tzinfo=timezone.utc)
BATCH_GAP = timedelta(days=3)
LOOKBACK = timedelta(hours=24)
# the one campaign of the hand-built campaign-member scenarios
WEBINAR_CAMPAIGN = {
    "campaign_id": "C1",
    "campaign_name": "Webinar",
    "campaign_type": "Webinar",
    "touchpoint_sync_type": "Include_All",
    "is_deleted": "false",
}

Batch = dict[str, list[dict[str, str]]]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def cut_into_batches(data_dir: Path, rng: random.Random, batches: int) -> tuple[list[Batch], int]:
    """Every raw row of `data_dir` into one of `batches` batches, stamped with its batch's load
    time; about one row in seven of a later batch is stamped late: before the previous batch's
    latest stamp, inside the lookback. Returns the batches and the number of late rows."""
    cut: list[Batch] = [{table: [] for table in RAW_TABLES} for _ in range(batches)]
    late = 0
    for table in RAW_TABLES:
        for row in _read(data_dir / f"{table}.csv"):
            k = rng.randrange(batches)
            stamp = FIRST_LOAD + k * BATCH_GAP + timedelta(minutes=rng.randrange(60))
            if k > 0 and rng.random() < 0.15:
                previous = FIRST_LOAD + (k - 1) * BATCH_GAP
                stamp = previous - rng.uniform(0.1, 0.9) * LOOKBACK
                late += 1
            cut[k][table].append({**row, LOADED_AT_COLUMN: load_stamp(stamp)})
    return cut, late


def write_batch(batch: Batch, out: Path) -> Path:
    """One `<table>.csv` per raw table (header only when the batch has none of its rows)."""
    out.mkdir(parents=True)
    for table, columns in RAW_TABLES.items():
        with (out / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, [*columns, LOADED_AT_COLUMN])
            writer.writeheader()
            writer.writerows(batch[table])
    return out


def _run(
    db: Path, work: Path, raw_dir: Path, *, append: bool, command: str = "run", vars=VARS
):
    """Load `raw_dir` into `db` (appending, or replacing the raw tables) and run the models."""
    files, _ = discover_raw_files(raw_dir)
    return build(
        db,
        files=files,
        vars=vars,
        append=append,
        # dbt run by default: the data tests are the same for both builds; equality is what is
        # checked here
        command=command,
        quiet=True,
        target_path=work / "target",
        log_path=work / "logs",
    )


def _build(
    db: Path, work: Path, raw_dir: Path, *, append: bool, command: str = "run", vars=VARS
):
    """`_run`, which must succeed."""
    result = _run(db, work, raw_dir, append=append, command=command, vars=vars)
    assert result.success, result.dbt.error
    return result


def _full_refresh_notes(result) -> list[str]:
    return [note for note in result.notes if note.startswith("Full refresh")]


def _built_models(result) -> set[str]:
    return {node.name for node in result.dbt.nodes if node.resource_type == "model"}


def _differences(first: Path, second: Path) -> list[str]:
    lines = check_determinism.compare(
        check_determinism.fingerprints(first), check_determinism.fingerprints(second)
    )
    return [line for line in lines if line.startswith("DIFF")]


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_batches_built_incrementally_equal_a_full_refresh(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    generate(tmp_path / "generated", people=25, days=12, seed=seed)
    batches, late = cut_into_batches(tmp_path / "generated", rng, rng.randint(2, 5))
    assert late > 0
    # one database path for every build, so that dbt's partial parsing carries over
    work = tmp_path / "work"
    db = work / "warehouse.duckdb"

    _build(db, work, write_batch(batches[0], tmp_path / "batch0"), append=False)
    for k, batch in enumerate(batches[1:], start=1):
        result = _build(db, work, write_batch(batch, tmp_path / f"batch{k}"), append=True)
        assert _full_refresh_notes(result) == []  # incremental: nothing but raw rows changed
    incremental = tmp_path / "incremental.duckdb"
    shutil.copyfile(db, incremental)

    # a batch with nothing new builds nothing (as_of is fixed: no model depends on the time of
    # the build) and changes nothing
    empty = write_batch({table: [] for table in RAW_TABLES}, tmp_path / "empty")
    result = _build(db, work, empty, append=True)
    assert result.dbt.nodes == ()
    assert result.notes == (
        "Nothing new since the previous build: no raw table changed, so no model was built",
    )
    assert _differences(incremental, db) == []
    # nor does it when every model is built: without the state of the previous build's raw
    # tables, the incremental models parse the lookback again and must find nothing new
    with duckdb.connect(str(db)) as con:
        con.execute(f"drop table {RAW_STATE_TABLE}")
    result = _build(db, work, empty, append=True)
    assert {"base_web__sessions", "int_chat_activities", "fct_touchpoints"} <= _built_models(
        result
    )
    assert _differences(incremental, db) == []

    # the full refresh of every batch at once, in the same database path
    db.unlink()
    everything: Batch = {t: [row for b in batches for row in b[t]] for t in RAW_TABLES}
    _build(db, work, write_batch(everything, tmp_path / "everything"), append=False)

    assert _differences(incremental, db) == []


def test_new_rows_in_one_raw_table_build_only_the_models_they_reach(tmp_path: Path) -> None:
    """A scheduled build whose new rows all belong to web_sessions builds base_web__sessions and
    what reads it, down to the marts, and leaves the models that read only other raw tables or
    the configuration as they were; the result still equals a full refresh."""
    rng = random.Random(21)
    generate(tmp_path / "generated", people=25, days=12, seed=21)
    first, second = cut_into_batches(tmp_path / "generated", rng, 2)[0]
    sessions_only: Batch = {**{t: [] for t in RAW_TABLES}, "web_sessions": second["web_sessions"]}
    assert sessions_only["web_sessions"]
    work = tmp_path / "work"
    db = work / "warehouse.duckdb"

    _build(db, work, write_batch(first, tmp_path / "first"), append=False)
    result = _build(db, work, write_batch(sessions_only, tmp_path / "sessions"), append=True)

    assert result.notes == (
        "Built only what the changed raw tables reach (web_sessions); the models that read "
        "none of them were left as they were",
    )
    built = _built_models(result)
    # web sessions reach the touchpoints and the attribution of the people they belong to
    assert {
        "base_web__sessions",
        "stg_web__sessions",
        "int_web_visit_candidates",
        "int_person_touchpoints",
        "fct_touchpoints",
        "fct_attribution_touchpoints",
    } <= built
    # other raw tables' staging, the people, the configuration and the Sales Insight chain do
    # not read web sessions
    assert not built & {
        "base_crm__accounts",
        "base_drift__chat_events",
        "base_marketo__activities",
        "int_people",
        "stg_config__channel_rules",
        "int_chat_activities",
        "time_spine_daily",
    }
    incremental = tmp_path / "incremental.duckdb"
    shutil.copyfile(db, incremental)

    db.unlink()
    both: Batch = {t: first[t] + sessions_only[t] for t in RAW_TABLES}
    _build(db, work, write_batch(both, tmp_path / "both"), append=False)
    assert _differences(incremental, db) == []


def test_with_as_of_unset_a_build_with_nothing_new_rebuilds_the_open_windows(
    tmp_path: Path,
) -> None:
    """With as_of null, an open opportunity's window ends at the time of the build: a build
    with nothing new still rebuilds the models tagged build_time and what reads them."""
    rng = random.Random(5)
    generate(tmp_path / "generated", people=10, days=12, seed=5)
    batch = cut_into_batches(tmp_path / "generated", rng, 1)[0][0]
    vars = read_vars({"web_chat_enabled_at": "2026-01-04T00:00:00Z"})
    work = tmp_path / "work"
    db = work / "warehouse.duckdb"
    _build(db, work, write_batch(batch, tmp_path / "all"), append=False, vars=vars)
    empty = write_batch({table: [] for table in RAW_TABLES}, tmp_path / "empty")

    result = _build(db, work, empty, append=True, vars=vars)

    assert _built_models(result) == {
        "int_attribution_opportunities",
        "int_attribution_eligible_touchpoints",
        "int_attribution_positions",
        "int_attribution_shares",
        "int_attribution_weights",
        "fct_attribution_touchpoints",
        "rpt_channel_attribution",
    }
    assert result.notes == (
        "Nothing new since the previous build: only the models that depend on the time of the "
        "build (as_of is not set) were built",
    )


def test_a_dbt_run_outside_the_driver_drops_the_record_of_the_raw_tables(tmp_path: Path) -> None:
    """A plain `dbt run` on the database (here of one model) may leave models other than a
    complete build would: dbt's on-run-start drops the record, so the next incremental build
    builds every model. `dbt test` changes no model and keeps it."""
    generate(tmp_path / "generated", people=5, days=3, seed=8)
    work = tmp_path / "work"
    db = work / "warehouse.duckdb"
    _build(db, work, tmp_path / "generated", append=False)
    with duckdb.connect(str(db)) as con:
        assert set(stored_raw_states(con) or {}) == set(RAW_TABLES)

    def plain_dbt(command: str) -> None:
        run = run_dbt(
            command,
            db,
            ["--select", "dim_accounts"],
            vars_text=VARS.text,
            target_path=work / "target",
            log_path=work / "logs",
            quiet=True,
            env={SECRET_ENV: VARS.secret_key},
        )
        assert run.success, run.error

    plain_dbt("test")
    with duckdb.connect(str(db)) as con:
        assert stored_raw_states(con) is not None
    plain_dbt("run")
    with duckdb.connect(str(db)) as con:
        assert stored_raw_states(con) is None

    empty = write_batch({table: [] for table in RAW_TABLES}, tmp_path / "empty")
    result = _build(db, work, empty, append=True)
    assert result.notes == (
        "Every model is built: the database holds no record of what the raw tables held at the "
        "last complete build (a failed build, or a dbt run outside chat-touchpoints build, "
        "leaves none)",
    )
    assert {"base_crm__accounts", "int_people", "fct_touchpoints"} <= _built_models(result)


def test_a_model_calling_as_of_without_the_build_time_tag_does_not_compile(
    tmp_path: Path,
) -> None:
    """A model whose rows depend on the time of the build must say so (tag build_time), or an
    incremental build would leave it as the previous build wrote it."""
    from dbt.cli.main import dbtRunner

    project = tmp_path / "project"
    shutil.copytree(
        project_dir(),
        project,
        ignore=shutil.ignore_patterns(
            ".*", "target", "logs", "docs", "scripts", "src", "python", "*.duckdb*"
        ),
    )
    (project / "models" / "now_of_the_build.sql").write_text(
        "select {{ as_of() }} as now_at\n", encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DB_ENV, str(tmp_path / "compile.duckdb"))
        outcome = dbtRunner().invoke(
            [
                "compile",
                "--project-dir",
                str(project),
                "--profiles-dir",
                str(project),
                "--select",
                "now_of_the_build",
                "--target-path",
                str(tmp_path / "target"),
                "--log-path",
                str(tmp_path / "logs"),
                "--quiet",
            ]
        )
        close_duckdb_connections()
    assert not outcome.success
    message = str(outcome.exception)
    assert "model now_of_the_build calls as_of()" in message
    assert "give it the tag build_time" in message


@pytest.mark.parametrize(
    ("command", "dbt_args", "every_model"),
    [
        ("build", [], True),
        ("run", [], True),
        ("build", ["--exclude-resource-type", "unit_test"], True),
        ("build", ["--exclude-resource-type=test"], True),
        ("build", ["--threads", "1"], True),
        ("build", ["--select", "fct_touchpoints"], False),
        ("build", ["-s", "fct_touchpoints"], False),
        ("run", ["--exclude", "dim_people"], False),
        ("build", ["--exclude-resource-type", "unit_test", "model"], False),
        ("build", ["--resource-type", "model"], False),
        ("test", [], False),
        ("seed", [], False),
    ],
)
def test_only_a_build_of_every_model_records_the_raw_tables(
    command: str, dbt_args: list[str], every_model: bool
) -> None:
    assert builds_every_model(command, dbt_args) is every_model


def _node_types(result) -> set[str]:
    return {node.resource_type for node in result.dbt.nodes}


def test_a_changed_configuration_seed_turns_the_build_into_a_full_refresh(
    tmp_path: Path,
) -> None:
    """A changed configuration seed: a full refresh, with the unit tests; the next build with
    nothing changed is incremental again, with the data tests and without the unit tests (the
    code is the one they passed on)."""
    generate(tmp_path / "generated", people=5, days=3, seed=5)
    work = tmp_path / "work"
    db = work / "warehouse.duckdb"
    _build(db, work, tmp_path / "generated", append=False)
    changed = tmp_path / "changed"
    changed.mkdir()
    rules = _read(project_dir() / "seeds" / "config" / "channel_rules.csv")
    with (changed / "channel_rules.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rules[0]))
        writer.writeheader()
        writer.writerows(rules[1:])  # the first rule dropped
    result = _build(db, work, changed, append=True, command="build")
    assert result.notes == (
        "Full refresh instead of an incremental build: the configuration seed channel_rules "
        "changed since the previous build",
    )
    assert {"model", "test", "unit_test"} <= _node_types(result)
    # the next build, with a new account and the same configuration, is incremental again
    account = {"account_id": "A-NEW", "account_name": "New", "website": "", "is_deleted": "false"}
    new_account = write_batch(
        {**{t: [] for t in RAW_TABLES}, "crm_accounts": [account]}, tmp_path / "account"
    )
    result = _build(db, work, new_account, append=True, command="build")
    assert result.notes == (
        "Built only what the changed raw tables reach (crm_accounts); the models that read none "
        "of them were left as they were",
    )
    assert {"model", "test"} <= _node_types(result)
    assert "unit_test" not in _node_types(result)


def test_a_delta_continues_the_company_with_new_late_and_superseding_rows(
    tmp_path: Path,
) -> None:
    counts = generate_delta(tmp_path / "delta", people=1000, days=30, delta_days=5, seed=4)
    again = generate_delta(tmp_path / "again", people=1000, days=30, delta_days=5, seed=4)
    assert counts == again
    for table in RAW_TABLES:  # deterministic for its arguments
        assert (tmp_path / "delta" / f"{table}.csv").read_bytes() == (
            tmp_path / "again" / f"{table}.csv"
        ).read_bytes()
    generate(tmp_path / "history", people=1000, days=30, seed=4)
    earlier = {r["opportunity_id"] for r in _read(tmp_path / "history" / "crm_opportunities.csv")}
    opportunities = _read(tmp_path / "delta" / "crm_opportunities.csv")
    repeated = [r for r in opportunities if r["opportunity_id"] in earlier]
    # earlier opportunities that closed or were deleted, under their own id
    assert repeated
    assert all(r["is_closed"] == "true" or r["is_deleted"] == "true" for r in repeated)
    sessions = _read(tmp_path / "delta" / "web_sessions.csv")
    history_end = "2026-01-31"
    late = [r for r in sessions if "L" in r["session_id"]]
    new = [r for r in sessions if "L" not in r["session_id"]]
    # late rows: sessions of earlier days (their time as in the history) that arrive only now
    earlier_sessions = {
        r["session_id"]: r["session_started_at"]
        for r in _read(tmp_path / "history" / "web_sessions.csv")
    }
    assert late
    assert all(
        earlier_sessions[r["session_id"].split("L")[0]] == r["session_started_at"] for r in late
    )
    assert new and sum(r["session_started_at"][:10] >= history_end for r in new) > len(new) / 2


def test_a_raw_table_replaced_between_builds_leaves_no_row_behind(tmp_path: Path) -> None:
    """Two builds of one database, the second on other crm_accounts, marketo_activities and
    crm_campaign_members tables (no load stamps): the base_ model, int_chat_activities and
    int_crm_campaign_memberships hold only the second tables' rows (a held row whose raw row is
    gone must not stay behind)."""
    db = tmp_path / "warehouse.duckdb"
    for ids in (["A1", "A2", "A3"], ["B1"]):
        # a member per id in one campaign, each of its own unknown lead: a group per member, so
        # that the second build's rows name none of the first build's groups
        members = [
            {
                "campaign_member_id": f"CM-{i}",
                "campaign_id": "C1",
                "lead_id": f"L-{i}",
                "created_at": "2026-02-10T10:00:00Z",
            }
            for i in ids
        ]
        accounts = [
            {"account_id": i, "account_name": i, "website": f"{i}.com", "is_deleted": "false"}
            for i in ids
        ]
        # an unlinked chat activity (its Marketo lead is unknown) per id
        activities = [
            {
                "activity_id": f"MA-{i}",
                "marketo_lead_id": f"ML-{i}",
                "activity_type": "Reached Dialogue Goal",
                "activity_at": "2026-02-10T10:00:00Z",
                "primary_attribute_value": "Pricing",
                "attributes": '{"Goal Name": "Demo"}',
            }
            for i in ids
        ]
        result = build(
            db,
            rows={
                "crm_accounts": accounts,
                "marketo_activities": activities,
                "crm_campaigns": [WEBINAR_CAMPAIGN],
                "crm_campaign_members": members,
            },
            vars=VARS,
            command="run",
            quiet=True,
            target_path=tmp_path / "target",
            log_path=tmp_path / "logs",
        )
        assert result.success, result.dbt.error
    with duckdb.connect(str(db), read_only=True) as con:
        held = con.sql("select account_id from staging.base_crm__accounts order by 1").fetchall()
        activities_held = con.sql(
            "select activity_id from intermediate.int_chat_activities order by 1"
        ).fetchall()
        memberships_held = con.sql(
            "select campaign_member_id, membership_rank"
            " from intermediate.int_crm_campaign_memberships order by 1"
        ).fetchall()
    assert held == [("B1",)]
    assert activities_held == [("MA-B1",)]
    assert memberships_held == [("CM-B1", 1)]


def test_a_membership_moved_to_another_person_is_ranked_again_in_both_groups(
    tmp_path: Path,
) -> None:
    """A campaign member's later row names another lead: an appending build must rank the
    membership in its new group and rank again the group it left, exactly as a full refresh,
    also when the group it left was loaded before the cutoff (a later row of the first load, CM3,
    moves the cutoff past it)."""
    lead = {"email": "", "created_at": "2026-01-05T09:00:00Z", "is_deleted": "false"}
    member = {"campaign_id": "C1", "has_responded": "true", "is_deleted": "false"}
    first: Batch = {table: [] for table in RAW_TABLES}
    first["crm_campaigns"] = [WEBINAR_CAMPAIGN]
    first["crm_leads"] = [{**lead, "lead_id": "L1"}, {**lead, "lead_id": "L2"}]
    first["crm_campaign_members"] = [
        {
            **member,
            "campaign_member_id": "CM1",
            "lead_id": "L1",
            "created_at": "2026-01-10T09:00:00Z",
        },
        {
            **member,
            "campaign_member_id": "CM2",
            "lead_id": "L1",
            "created_at": "2026-01-11T09:00:00Z",
        },
        # of an unknown lead; loaded two days after the others
        {
            **member,
            "campaign_member_id": "CM3",
            "lead_id": "L3",
            "created_at": "2026-01-11T09:00:00Z",
        },
    ]
    second: Batch = {table: [] for table in RAW_TABLES}
    # CM1 again, created later (so this row wins the repeated-id rule), now of lead L2
    second["crm_campaign_members"] = [
        {
            **member,
            "campaign_member_id": "CM1",
            "lead_id": "L2",
            "created_at": "2026-01-12T09:00:00Z",
        },
    ]
    for k, batch in enumerate((first, second)):
        stamp = load_stamp(FIRST_LOAD + k * BATCH_GAP)
        for rows in batch.values():
            for row in rows:
                row[LOADED_AT_COLUMN] = stamp
    first["crm_campaign_members"][2][LOADED_AT_COLUMN] = load_stamp(FIRST_LOAD + timedelta(days=2))

    work = tmp_path / "work"
    db = work / "warehouse.duckdb"
    _build(db, work, write_batch(first, tmp_path / "first"), append=False)
    _build(db, work, write_batch(second, tmp_path / "second"), append=True)
    with duckdb.connect(str(db), read_only=True) as con:
        held = con.sql(
            "select campaign_member_id, person_id, membership_rank"
            " from intermediate.int_crm_campaign_memberships order by 1"
        ).fetchall()
    # CM1 left L1's group, so CM2 is now its first membership
    assert held == [("CM1", "L2", 1), ("CM2", "L1", 1), ("CM3", None, 1)]

    full = tmp_path / "full" / "warehouse.duckdb"
    both: Batch = {t: first[t] + second[t] for t in RAW_TABLES}
    _build(full, tmp_path / "full", write_batch(both, tmp_path / "both"), append=False)
    assert _differences(db, full) == []


def test_a_raw_row_removed_before_the_cutoff_stops_the_next_build(tmp_path: Path) -> None:
    """Raw tables only grow by appending. A row loaded long before the cutoff and then deleted
    from the raw table makes the next incremental build stop with a message asking for a full
    refresh, instead of keeping a staged row whose raw row is gone."""
    db = tmp_path / "work" / "warehouse.duckdb"

    def accounts(batch: str, ids: list[str], moment: datetime) -> Path:
        rows = [
            {
                "account_id": i,
                "account_name": i,
                "website": f"{i}.com",
                "is_deleted": "false",
                LOADED_AT_COLUMN: load_stamp(moment),
            }
            for i in ids
        ]
        return write_batch({**{t: [] for t in RAW_TABLES}, "crm_accounts": rows}, tmp_path / batch)

    _build(db, tmp_path / "work", accounts("first", ["A1", "A2"], FIRST_LOAD), append=False)
    _build(db, tmp_path / "work", accounts("second", ["A3"], FIRST_LOAD + BATCH_GAP), append=True)
    with duckdb.connect(str(db)) as con:
        con.execute("delete from raw.crm_accounts where account_id = 'A1'")
    third = accounts("third", ["A4"], FIRST_LOAD + 2 * BATCH_GAP)
    result = _run(db, tmp_path / "work", third, append=True)
    assert not result.success
    # a failed build leaves no state of the raw tables: the next build builds every model
    with duckdb.connect(str(db)) as con:
        assert stored_raw_states(con) is None
    messages = " ".join(node.message or "" for node in result.dbt.failed_nodes)
    assert "raw.crm_accounts holds 3 rows but" in messages.replace('"', "")
    assert "holds 4" in messages
    assert "the raw table was replaced or edited, not appended to" in messages
    assert "--full-refresh" in messages


def test_a_repeated_id_at_the_same_time_is_decided_by_raw_text_across_batches(
    tmp_path: Path,
) -> None:
    """Rows of one task id with the same `created_at`, loaded in three batches: the row whose
    raw text sorts last is kept, also when it was loaded before the cutoff (an appending build
    reads the held row's raw text again from the raw table: the model keeps the raw text of
    rejected rows only). A rejected row keeps its raw text through later builds."""
    task = {"who_id": "L1", "task_type": "Chat", "created_at": "2026-01-10T09:00:00Z"}
    batches: list[list[dict[str, str]]] = [
        # "b" and a rejected row
        [
            {**task, "task_id": "T1", "subject": "b"},
            {**task, "task_id": "T9", "subject": "x", "created_at": "not a time"},
        ],
        # "a" sorts before "b": the held row stays the kept one
        [{**task, "task_id": "T1", "subject": "a"}],
        # "c" sorts after both: it is kept now
        [{**task, "task_id": "T1", "subject": "c"}],
    ]
    work = tmp_path / "work"
    db = work / "warehouse.duckdb"
    outcomes = []
    for k, rows in enumerate(batches):
        for row in rows:
            row[LOADED_AT_COLUMN] = load_stamp(FIRST_LOAD + k * BATCH_GAP)
        raw = write_batch({**{t: [] for t in RAW_TABLES}, "crm_tasks": rows}, tmp_path / f"b{k}")
        _build(db, work, raw, append=k > 0)
        with duckdb.connect(str(db), read_only=True) as con:
            outcomes.append(
                con.sql(
                    "select task_id, subject, row_outcome, raw_row"
                    " from staging.base_crm__tasks order by task_id, subject"
                ).fetchall()
            )
    rejected = ("T9", "x", "rejected", "T9|L1|x|Chat|not a time||")
    assert outcomes == [
        [("T1", "b", "accepted", None), rejected],
        [("T1", "a", "duplicate", None), ("T1", "b", "accepted", None), rejected],
        [
            ("T1", "a", "duplicate", None),
            ("T1", "b", "duplicate", None),
            ("T1", "c", "accepted", None),
            rejected,
        ],
    ]

    full = tmp_path / "full" / "warehouse.duckdb"
    every = {**{t: [] for t in RAW_TABLES}, "crm_tasks": [r for rows in batches for r in rows]}
    _build(full, tmp_path / "full", write_batch(every, tmp_path / "every"), append=False)
    assert _differences(db, full) == []
