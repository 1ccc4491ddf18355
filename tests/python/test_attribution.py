"""Opportunity attribution (docs/rules.md, "Attribution"): windows, positions, the six models'
weights and revenue (exact decimals).

Each scenario is a small account of its own (ids prefixed by its letter), small enough to check by
hand; all scenarios share one build (plus one build with custom weights), because a build costs
far more than a scenario. A touch is named by its source id: the campaign member id (one campaign
per touch), or the session (Web Visit) or chat event (Web Chat). The expected weights follow the
table and rules of the docs block `attribution_models` (models/marts/touchpoints/).

Weights in the tables below, per touch: position, First Touch, Lead Creation, U-Shaped,
W-Shaped, Full Path, Custom (default custom weights: 20 each).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chat_touchpoints.build import build, read_vars
from chat_touchpoints.raw_tables import RAW_TABLES
from chat_touchpoints.runner import SECRET_ENV

T0 = "2026-01-01T00:00:00Z"  # web_chat_enabled_at: every chat below is kept
AS_OF = "2026-03-01T00:00:00Z"  # the "now" of open opportunities

Tables = dict[str, list[dict[str, str]]]
Weights = tuple[str | None, float, float, float, float, float, float]
Expected = Mapping[tuple[str, str] | str, Weights]


# --- building blocks -------------------------------------------------------------------------

def merge(*parts: Tables) -> Tables:
    tables: Tables = {}
    for part in parts:
        for name, rows in part.items():
            tables.setdefault(name, []).extend(rows)
    return tables


def account(account_id: str, *contacts: tuple[str, str], deleted: bool = False,
            website: str = "") -> Tables:
    """An account and its contacts, given as (contact_id, email)."""
    return {
        "crm_accounts": [{"account_id": account_id, "account_name": account_id,
                          "website": website, "is_deleted": str(deleted).lower()}],
        "crm_contacts": [{"contact_id": c, "account_id": account_id, "email": e,
                          "created_at": "2025-12-01"} for c, e in contacts],
    }


def campaign_touch(member_id: str, at: str, contact_id: str = "", lead_id: str = "",
                   campaign_type: str = "Webinar") -> Tables:
    """A CRM Campaign touchpoint: a member added at `at` to a campaign of its own."""
    return {
        "crm_campaigns": [{"campaign_id": f"CP-{member_id}", "campaign_name": member_id,
                           "campaign_type": campaign_type, "touchpoint_sync_type": "Include_All"}],
        "crm_campaign_members": [{"campaign_member_id": member_id,
                                  "campaign_id": f"CP-{member_id}", "contact_id": contact_id,
                                  "lead_id": lead_id, "created_at": at}],
    }


def session(session_id: str, visitor_id: str, at: str) -> Tables:
    return {"web_sessions": [{"session_id": session_id, "visitor_id": visitor_id,
                              "session_started_at": at}]}


def chat(event_id: str, session_id: str, at: str, email: str) -> Tables:
    """A Web Chat touchpoint: an email captured in a session."""
    return {"drift_chat_events": [{"event_id": event_id, "conversation_id": f"K-{event_id}",
                                   "session_id": session_id, "event_type": "email_captured",
                                   "occurred_at": at, "email": email}]}


def opportunity(opportunity_id: str, account_id: str, created_at: str, close_date: str = "",
                *, won: bool = False, amount: str = "1000", deleted: bool = False) -> Tables:
    """Closed when `close_date` is given, else open."""
    return {"crm_opportunities": [{
        "opportunity_id": opportunity_id, "account_id": account_id,
        "opportunity_name": f"Opportunity {opportunity_id}", "created_at": created_at,
        "close_date": close_date, "is_closed": str(bool(close_date)).lower(),
        "is_won": str(won).lower(), "amount": amount, "is_deleted": str(deleted).lower()}]}


# --- the scenarios ---------------------------------------------------------------------------

# A: one touch holds FT, LC, OC and Closed: 100 % in every model (won, 1000; channel Trade Show)
SCENARIO_A = merge(
    account("A-ACC", ("A-C1", "a1@a.example")),
    campaign_touch("A-T1", "2026-01-10T10:00:00Z", contact_id="A-C1", campaign_type="Trade Show"),
    opportunity("A-OPP", "A-ACC", "2026-01-20T10:00:00Z", "2026-02-01", won=True, amount="1000"),
    # a deleted opportunity of the same account takes no part
    opportunity("A-OPP-DELETED", "A-ACC", "2026-01-20T10:00:00Z", "2026-02-01", deleted=True),
)

# B: W-Shaped with middle touches (T2, T3 before OC); T5 is Middle after OC (W gives it 0)
SCENARIO_B = merge(
    account("B-ACC", ("B-C1", "b1@b.example")),
    campaign_touch("B-T1", "2026-01-01T10:00:00Z", contact_id="B-C1"),
    campaign_touch("B-T2", "2026-01-05T10:00:00Z", contact_id="B-C1"),
    campaign_touch("B-T3", "2026-01-10T10:00:00Z", contact_id="B-C1"),
    campaign_touch("B-T4", "2026-01-15T10:00:00Z", contact_id="B-C1"),
    campaign_touch("B-T5", "2026-02-01T10:00:00Z", contact_id="B-C1"),
    campaign_touch("B-T6", "2026-02-05T10:00:00Z", contact_id="B-C1"),
    opportunity("B-OPP", "B-ACC", "2026-01-20T10:00:00Z", "2026-02-10", won=True, amount="10000"),
)

# C: W-Shaped without middle touches: Middle's 10 goes to FT, LC and OC (lost; Direct Mail)
SCENARIO_C = merge(
    account("C-ACC", ("C-C1", "c1@c.example")),
    campaign_touch("C-T1", "2026-01-01T10:00:00Z", contact_id="C-C1", campaign_type="Direct Mail"),
    campaign_touch("C-T2", "2026-01-10T10:00:00Z", contact_id="C-C1", campaign_type="Direct Mail"),
    campaign_touch("C-T3", "2026-02-01T10:00:00Z", contact_id="C-C1", campaign_type="Direct Mail"),
    opportunity("C-OPP", "C-ACC", "2026-01-15T10:00:00Z", "2026-02-05", amount="2000"),
)

# D: an open opportunity: the last touch is Pending and takes Closed's share; a Web Visit is FT,
# the chat LC; touches up to as_of inclusive
SCENARIO_D = merge(
    account("D-ACC", ("D-C1", "d1@d.example")),
    session("D-S1", "D-V", "2026-01-02T09:00:00Z"),
    session("D-S2", "D-V", "2026-01-03T09:00:00Z"),
    chat("D-E1", "D-S2", "2026-01-03T09:05:00Z", " D1@d.example"),
    campaign_touch("D-T1", "2026-01-08T10:00:00Z", contact_id="D-C1"),
    campaign_touch("D-T2", "2026-01-12T10:00:00Z", contact_id="D-C1"),
    campaign_touch("D-T3", AS_OF, contact_id="D-C1"),
    campaign_touch("D-T4", "2026-03-01T00:00:01Z", contact_id="D-C1"),
    opportunity("D-OPP", "D-ACC", "2026-01-15T10:00:00Z", amount="4000"),
)

# E: the opportunity was created before the first known touch: no OC
SCENARIO_E = merge(
    account("E-ACC", ("E-C1", "e1@e.example")),
    campaign_touch("E-T1", "2026-01-10T10:00:00Z", contact_id="E-C1"),
    campaign_touch("E-T2", "2026-01-20T10:00:00Z", contact_id="E-C1"),
    campaign_touch("E-T3", "2026-02-01T10:00:00Z", contact_id="E-C1"),
    # an amount with cents, so that Full Path's revenue shows the rounding to 6 decimals
    opportunity("E-OPP", "E-ACC", "2026-01-01T10:00:00Z", "2026-03-01", won=True,
                amount="1234.57"),
)

# F: three opportunities on one account. F-OPP1 closes 2026-02-10: F-OPP2 (created 02-20) starts
# at 02-11 00:00, but keeps the account's FT (Web Visit) and LC (chat). F-OPP3 closes on 02-20,
# the day F-OPP2 was created, so it does not move F-OPP2's start; F-OPP3 itself (created 02-01)
# has no start.
SCENARIO_F = merge(
    account("F-ACC", ("F-C1", "f1@f.example")),
    session("F-S1", "F-V", "2026-01-01T09:00:00Z"),
    session("F-S2", "F-V", "2026-01-02T09:00:00Z"),
    chat("F-E1", "F-S2", "2026-01-02T09:05:00Z", "f1@f.example"),
    campaign_touch("F-T2", "2026-01-10T10:00:00Z", contact_id="F-C1"),
    campaign_touch("F-T3", "2026-02-10T12:00:00Z", contact_id="F-C1"),
    campaign_touch("F-T4", "2026-02-11T00:00:00Z", contact_id="F-C1"),
    campaign_touch("F-T5", "2026-02-25T10:00:00Z", contact_id="F-C1"),
    opportunity("F-OPP1", "F-ACC", "2026-01-15T10:00:00Z", "2026-02-10", won=True),
    opportunity("F-OPP2", "F-ACC", "2026-02-20T10:00:00Z"),
    opportunity("F-OPP3", "F-ACC", "2026-02-01T10:00:00Z", "2026-02-20"),
)

# G: touches after the close are excluded (the close_date ends at midnight UTC after it)
SCENARIO_G = merge(
    account("G-ACC", ("G-C1", "g1@g.example")),
    campaign_touch("G-T1", "2026-01-05T10:00:00Z", contact_id="G-C1"),
    campaign_touch("G-T2", "2026-01-31T23:59:59Z", contact_id="G-C1"),
    campaign_touch("G-T3", "2026-02-01T00:00:00Z", contact_id="G-C1"),
    opportunity("G-OPP", "G-ACC", "2026-01-10T10:00:00Z", "2026-01-31"),
)

# H: two contacts share an email: the chat reaches the opportunity through both, one row each
SCENARIO_H = merge(
    account("H-ACC", ("H-C1", "shared@h.example"), ("H-C2", "shared@h.example")),
    session("H-S1", "H-V", "2026-01-03T09:00:00Z"),
    chat("H-E1", "H-S1", "2026-01-03T09:05:00Z", "shared@h.example"),
    campaign_touch("H-T1", "2026-01-10T10:00:00Z", contact_id="H-C1"),
    opportunity("H-OPP", "H-ACC", "2026-01-15T10:00:00Z", "2026-01-31"),
)

# I: a converted lead's touch reaches the opportunity through its contact; an unconverted lead
# matched to the account never does
SCENARIO_I = merge(
    account("I-ACC", ("I-C1", "i1@i-corp.example"), website="https://www.i-corp.example"),
    {"crm_leads": [
        {"lead_id": "I-L1", "email": "i1@i-corp.example", "created_at": "2025-12-01",
         "is_converted": "true", "converted_contact_id": "I-C1"},
        {"lead_id": "I-L2", "email": "i2@i-corp.example", "created_at": "2025-12-01"},
    ]},
    campaign_touch("I-T1", "2026-01-05T10:00:00Z", lead_id="I-L1"),
    campaign_touch("I-T2", "2026-01-06T10:00:00Z", lead_id="I-L2"),
    opportunity("I-OPP", "I-ACC", "2026-01-10T10:00:00Z", "2026-01-20"),
)

# J: a deleted account's opportunity takes no part
SCENARIO_J = merge(
    account("J-ACC", ("J-C1", "j1@j.example"), deleted=True),
    campaign_touch("J-T1", "2026-01-05T10:00:00Z", contact_id="J-C1"),
    opportunity("J-OPP", "J-ACC", "2026-01-10T10:00:00Z", "2026-01-20"),
)

# K: only a Web Visit is eligible (the chat came after the close): no LC, so Lead Creation's
# whole weight goes to FT
SCENARIO_K = merge(
    account("K-ACC", ("K-C1", "k1@k.example")),
    session("K-S1", "K-V", "2026-01-01T09:00:00Z"),
    session("K-S2", "K-V", "2026-02-10T09:00:00Z"),
    chat("K-E1", "K-S2", "2026-02-10T09:05:00Z", "k1@k.example"),
    opportunity("K-OPP", "K-ACC", "2026-01-05T10:00:00Z", "2026-01-20"),
)

ALL_SCENARIOS = merge(SCENARIO_A, SCENARIO_B, SCENARIO_C, SCENARIO_D, SCENARIO_E, SCENARIO_F,
                      SCENARIO_G, SCENARIO_H, SCENARIO_I, SCENARIO_J, SCENARIO_K)

# custom weights: FT 0, LC 20, OC 40, Closed 30, Middle 10
CUSTOM_WEIGHTS = {"first_touch": 0, "lead_creation": 20, "opportunity_creation": 40,
                  "closed": 30, "middle": 10}


# --- harness ---------------------------------------------------------------------------------

class Built:
    """One build of scenarios, read through DuckDB."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            cursor = con.execute(sql, params or [])
            columns = [d[0] for d in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def journey(self, opportunity_id: str) -> dict[tuple[str, str], dict[str, Any]]:
        """The opportunity's fact rows by (source id, contact id)."""
        rows = self.rows(
            "select *, coalesce(campaign_member_id, chat_event_id, session_id) as source "
            "from marts.fct_attribution_touchpoints where opportunity_id = ?", [opportunity_id])
        return {(r["source"], r["contact_id"]): r for r in rows}


def _build_module(tables: Tables, vars: dict[str, Any], directory: Path, workspace: Path,
                  command: str = "build") -> Iterator[Built]:
    """Like conftest's `build_scenario`, but once per module so that its tests share the build:
    built in the workspace's fixed database path (dbt's partial parsing survives), then moved
    under `directory` with the same file name (DuckDB views refer to the file's stem)."""
    work_db = workspace / "build" / "scenario.duckdb"
    work_db.parent.mkdir(exist_ok=True)
    for stale in (work_db, Path(f"{work_db}.wal")):
        stale.unlink(missing_ok=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv(SECRET_ENV, raising=False)
        rows = {name: tables.get(name, []) for name in RAW_TABLES}
        result = build(work_db, rows=rows, vars=read_vars(vars), command=command,
                       target_path=workspace / "target", log_path=workspace / "logs", quiet=True)
    db_path = directory / work_db.name
    for suffix in ("", ".wal"):
        if Path(f"{work_db}{suffix}").exists():
            shutil.move(f"{work_db}{suffix}", f"{db_path}{suffix}")
    failures = [(n.name, n.message or n.status) for n in result.dbt.failed_nodes]
    assert result.dbt.success, failures or result.dbt.error
    yield Built(db_path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, dbt_workspace: Path) -> Iterator[Built]:
    yield from _build_module(ALL_SCENARIOS, {"web_chat_enabled_at": T0, "as_of": AS_OF},
                             tmp_path_factory.mktemp("attribution"), dbt_workspace)


@pytest.fixture(scope="module")
def built_custom(tmp_path_factory: pytest.TempPathFactory, dbt_workspace: Path) -> Iterator[Built]:
    yield from _build_module(
        merge(SCENARIO_B, SCENARIO_E),
        {"web_chat_enabled_at": T0, "as_of": AS_OF, "custom_attribution_weights": CUSTOM_WEIGHTS},
        tmp_path_factory.mktemp("attribution_custom"), dbt_workspace,
        command="run")  # the data tests already ran on the main build


PCT_COLUMNS = ("first_touch_pct", "lead_creation_pct", "u_shape_pct", "w_shape_pct",
               "full_path_pct", "custom_pct")


def assert_journey(built: Built, opportunity_id: str, expected: Expected) -> None:
    """The opportunity has exactly the expected rows, each with its position and six weights.
    A key is a source id (the touch of the scenario's only contact) or (source id, contact)."""
    actual = built.journey(opportunity_id)
    contacts = {contact for _, contact in actual}
    keys = {(k if isinstance(k, tuple) else (k, next(iter(contacts)))): v
            for k, v in expected.items()}
    assert sorted(actual) == sorted(keys)
    for key, (position, *weights) in keys.items():
        row = actual[key]
        assert row["touchpoint_position"] == position, key
        got = {c: row[c] for c in PCT_COLUMNS}
        assert list(got.values()) == pytest.approx(weights, abs=1e-12), (key, got)


# --- tests: positions and weights ------------------------------------------------------------

def test_one_touch_holding_every_position_gets_everything(built: Built) -> None:
    assert_journey(built, "A-OPP", {
        # touch    position                 FT  LC  U   W   FP  Custom
        "A-T1": ("FT, LC, OC, Closed",      1,  1,  1,  1,  1,  1),
    })
    (row,) = built.journey("A-OPP").values()
    assert (row["is_first_touch"], row["is_lead_creation_touch"], row["is_opp_creation_touch"],
            row["is_closed_touch"]) == (True, True, True, True)
    assert [row[f"revenue_{m}"] for m in ("first_touch", "lead_creation", "u_shape", "w_shape",
                                          "full_path", "custom")] == [1000.0] * 6


def test_w_shaped_with_middle_touches(built: Built) -> None:
    third = 1 / 3
    assert_journey(built, "B-OPP", {
        # touch    position      FT  LC  U   W     FP          Custom
        "B-T1": ("FT, LC",       1,  1,  1,  .6,   .45,        .4),
        "B-T2": ("Middle",       0,  0,  0,  .05,  .1 * third, .2 * third),
        "B-T3": ("Middle",       0,  0,  0,  .05,  .1 * third, .2 * third),
        "B-T4": ("OC",           0,  0,  0,  .3,   .225,       .2),
        "B-T5": ("Middle",       0,  0,  0,  0,    .1 * third, .2 * third),
        "B-T6": ("Closed",       0,  0,  0,  0,    .225,       .2),
    })
    revenue = {k[0]: r["revenue_w_shape"] for k, r in built.journey("B-OPP").items()}
    assert revenue == pytest.approx({"B-T1": 6000, "B-T2": 500, "B-T3": 500, "B-T4": 3000,
                                     "B-T5": 0, "B-T6": 0})


def test_w_shaped_without_middle_touches(built: Built) -> None:
    assert_journey(built, "C-OPP", {
        # touch    position   FT  LC  U   W      FP    Custom
        "C-T1": ("FT, LC",    1,  1,  1,  2 / 3, .5,   .5),
        "C-T2": ("OC",        0,  0,  0,  1 / 3, .25,  .25),
        "C-T3": ("Closed",    0,  0,  0,  0,     .25,  .25),
    })


def test_full_path_of_an_open_opportunity_gives_closed_share_to_pending(built: Built) -> None:
    assert_journey(built, "D-OPP", {
        # touch    position     FT  LC  U   W    FP    Custom
        "D-S1": ("FT",          1,  0,  .5, .3,  .225, .2),   # Web Visit
        "D-E1": ("LC",          0,  1,  .5, .3,  .225, .2),   # Web Chat
        "D-T1": ("Middle",      0,  0,  0,  .1,  .1,   .2),
        "D-T2": ("OC",          0,  0,  0,  .3,  .225, .2),
        "D-T3": ("Pending",     0,  0,  0,  0,   .225, .2),   # exactly at as_of: included
    })                                                        # D-T4, after as_of: excluded
    assert not any(r["is_closed_touch"] for r in built.journey("D-OPP").values())


def test_opportunity_created_before_the_first_touch_has_no_oc(built: Built) -> None:
    assert_journey(built, "E-OPP", {
        # touch    position   FT  LC  U   W   FP       Custom
        "E-T1": ("FT, LC",    1,  1,  1,  1,  .5625,   .5),
        "E-T2": ("Middle",    0,  0,  0,  0,  .15625,  .25),
        "E-T3": ("Closed",    0,  0,  0,  0,  .28125,  .25),
    })


def test_two_opportunities_on_one_account_split_the_windows_and_share_ft_lc(built: Built) -> None:
    third = 1 / 3
    assert_journey(built, "F-OPP1", {
        # touch     position   FT  LC  U   W      FP   Custom
        "F-S1": ("FT",         1,  0,  .5, third, .25, .25),
        "F-E1": ("LC",         0,  1,  .5, third, .25, .25),
        "F-T2": ("OC",         0,  0,  0,  third, .25, .25),
        "F-T3": ("Closed",     0,  0,  0,  0,     .25, .25),  # on the close date: included
    })                                                        # F-T4 at midnight after: excluded
    assert_journey(built, "F-OPP2", {
        "F-S1": ("FT",         1,  0,  .5, third, .25, .25),  # the account's FT: exempt
        "F-E1": ("LC",         0,  1,  .5, third, .25, .25),  # the account's LC: exempt
        "F-T4": ("OC",         0,  0,  0,  third, .25, .25),  # exactly at the start: included
        "F-T5": ("Pending",    0,  0,  0,  0,     .25, .25),
    })
    assert_journey(built, "F-OPP3", {
        "F-S1": ("FT",         1,  0,  .5, third, .225, .2),
        "F-E1": ("LC",         0,  1,  .5, third, .225, .2),
        "F-T2": ("OC",         0,  0,  0,  third, .225, .2),
        "F-T3": ("Middle",     0,  0,  0,  0,     .1,   .2),  # after OC: W gives nothing
        "F-T4": ("Closed",     0,  0,  0,  0,     .225, .2),
    })
    windows = {r["opportunity_id"]: r for r in built.rows(
        "select opportunity_id, cast(window_start_at as varchar) as window_start_at, "
        "cast(window_end_at as varchar) as window_end_at "
        "from intermediate.int_attribution_opportunities where account_id = 'F-ACC'")}
    assert windows["F-OPP2"]["window_start_at"] == "2026-02-11 00:00:00"
    assert windows["F-OPP1"]["window_start_at"] is None
    assert windows["F-OPP3"]["window_start_at"] is None
    assert windows["F-OPP1"]["window_end_at"] == "2026-02-11 00:00:00"
    assert windows["F-OPP2"]["window_end_at"] == "2026-03-01 00:00:00"  # as_of


def test_touches_after_the_close_are_excluded(built: Built) -> None:
    assert_journey(built, "G-OPP", {
        # touch    position       FT  LC  U   W   FP    Custom
        "G-T1": ("FT, LC, OC",    1,  1,  1,  1,  .75,  .75),
        "G-T2": ("Closed",        0,  0,  0,  0,  .25,  .25),  # 23:59:59 on the close date
    })                                                         # G-T3 at midnight: excluded


def test_a_touch_shared_by_two_contacts_counts_for_each_contact_row(built: Built) -> None:
    assert_journey(built, "H-OPP", {
        # (touch, contact)          position        FT  LC  U   W   FP    Custom
        ("H-E1", "H-C1"): ("FT, LC",             1,  1,  1,  .6, .45,  .4),
        ("H-E1", "H-C2"): ("Middle",             0,  0,  0,  .1, .1,   .2),
        ("H-T1", "H-C1"): ("OC, Closed",         0,  0,  0,  .3, .45,  .4),
    })


def test_leads_never_reach_an_opportunity_but_converted_leads_do_through_the_contact(
    built: Built,
) -> None:
    assert_journey(built, "I-OPP", {
        ("I-T1", "I-C1"): ("FT, LC, OC, Closed", 1, 1, 1, 1, 1, 1),
    })
    assert built.rows("select * from marts.fct_attribution_touchpoints "
                      "where lead_id is not null or campaign_member_id = 'I-T2'") == []


def test_deleted_opportunities_and_accounts_take_no_part(built: Built) -> None:
    assert built.journey("A-OPP-DELETED") == {}
    assert built.journey("J-OPP") == {}


def test_without_lc_the_lead_creation_weight_goes_to_ft(built: Built) -> None:
    assert_journey(built, "K-OPP", {
        # touch    position           FT  LC  U   W   FP  Custom
        "K-S1": ("FT, OC, Closed",    1,  1,  1,  1,  1,  1),  # a Web Visit; the chat is later
    })


# --- tests: money ------------------------------------------------------------------------------

def test_revenue_is_an_exact_decimal_rounded_once_to_six_places(built: Built) -> None:
    revenue = {k[0]: r["revenue_full_path"] for k, r in built.journey("E-OPP").items()}
    # 1234.57 x .5625 = 694.445625; x .15625 = 192.9015625 and x .28125 = 347.2228125 are
    # rounded half away from zero: the shares add up to the amount only within 1e-6 per row
    assert revenue == {"E-T1": Decimal("694.445625"), "E-T2": Decimal("192.901563"),
                       "E-T3": Decimal("347.222813")}
    assert sum(revenue.values()) == Decimal("1234.570001")
    assert {k[0]: r["revenue_first_touch"] for k, r in built.journey("E-OPP").items()} == {
        "E-T1": Decimal("1234.570000"), "E-T2": Decimal("0"), "E-T3": Decimal("0")}
    # a third of 10000: every middle touch of B gets 333.333333
    middle = {k[0]: r["revenue_full_path"] for k, r in built.journey("B-OPP").items()}
    assert [middle[t] for t in ("B-T2", "B-T3", "B-T5")] == [Decimal("333.333333")] * 3


def test_report_totals_are_exact_sums_of_the_fact(built: Built) -> None:
    models = ["first_touch", "lead_creation", "u_shape", "w_shape", "full_path", "custom"]
    (fact,) = built.rows(
        "select " + ", ".join(
            f"sum(revenue_{m}) as {m}, "
            f"sum(case when o.is_won then revenue_{m} end) as won_{m}, "
            f"sum(cast({m}_pct as decimal(18, 15))) as weights_{m}" for m in models)
        + " from marts.fct_attribution_touchpoints as f "
        "join intermediate.int_attribution_opportunities as o using (opportunity_id)")
    report = {r["attribution_model"]: r for r in built.rows(
        "select attribution_model, sum(attributed_pipeline) as pipeline, "
        "sum(attributed_won_revenue) as won, sum(attributed_opportunities) as weights "
        "from marts.rpt_channel_attribution group by attribution_model")}
    for m in models:
        assert isinstance(report[m]["pipeline"], Decimal)
        assert (report[m]["pipeline"], report[m]["won"], report[m]["weights"]) == (
            fact[m], fact[f"won_{m}"], fact[f"weights_{m}"]), m


# --- tests: every model sums to 1; the report -------------------------------------------------

def test_every_model_sums_to_one_per_opportunity(built: Built) -> None:
    sums = built.rows(
        "select opportunity_id, "
        + ", ".join(f"sum({c}) as {c}, min({c}) as min_{c}, max({c}) as max_{c}"
                    for c in PCT_COLUMNS)
        + " from marts.fct_attribution_touchpoints group by opportunity_id")
    assert len(sums) == 12  # A, B, C, D, E, F1-F3, G, H, I, K
    for row in sums:
        for column in PCT_COLUMNS:
            assert row[column] == pytest.approx(1, abs=1e-9), (row["opportunity_id"], column)
            assert 0 <= row[f"min_{column}"] <= row[f"max_{column}"] <= 1


def test_channel_report(built: Built) -> None:
    report = built.rows(
        "select * from marts.rpt_channel_attribution "
        "where subchannel in ('Trade Show', 'Direct Mail') order by attribution_model, channel")
    models = ["custom", "first_touch", "full_path", "lead_creation", "u_shape", "w_shape"]
    # A (won, 1000) is all Trade Show; C (lost, 2000) is all Direct Mail
    assert report == [
        {"attribution_model": m, "channel": channel, "subchannel": subchannel,
         "attributed_opportunities": pytest.approx(1), "opportunities_touched": 1,
         "attributed_pipeline": pytest.approx(pipeline),
         "attributed_won_revenue": pytest.approx(won)}
        for m in models
        for channel, subchannel, pipeline, won in (("Direct Mail", "Direct Mail", 2000, 0),
                                                   ("Events", "Trade Show", 1000, 1000))
    ]
    totals = built.rows(
        "select attribution_model, sum(attributed_opportunities) as opportunities "
        "from marts.rpt_channel_attribution group by attribution_model")
    assert {r["attribution_model"]: r["opportunities"] for r in totals} == pytest.approx(
        {m: 12 for m in models})


# --- tests: custom weights --------------------------------------------------------------------

def test_custom_weights(built_custom: Built) -> None:
    custom = {k[0]: r["custom_pct"] for k, r in built_custom.journey("B-OPP").items()}
    # FT 0 + LC 20 on T1; Middle 10 split among T2, T3, T5; OC 40; Closed 30
    assert custom == pytest.approx({"B-T1": .2, "B-T2": .1 / 3, "B-T3": .1 / 3, "B-T4": .4,
                                    "B-T5": .1 / 3, "B-T6": .3}, abs=1e-12)
    # no OC: its 40 is split among the held positions with a share (LC, Closed, Middle), not FT
    custom = {k[0]: r["custom_pct"] for k, r in built_custom.journey("E-OPP").items()}
    assert custom == pytest.approx({"E-T1": .2 + .4 / 3, "E-T2": .1 + .4 / 3,
                                    "E-T3": .3 + .4 / 3}, abs=1e-12)
    # the other models do not move
    w_shape = {k[0]: r["w_shape_pct"] for k, r in built_custom.journey("B-OPP").items()}
    assert w_shape == pytest.approx({"B-T1": .6, "B-T2": .05, "B-T3": .05, "B-T4": .3,
                                     "B-T5": 0, "B-T6": 0}, abs=1e-12)
