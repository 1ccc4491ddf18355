"""Matched chat deduplication (docs/rules.md, "Deduplication"; variables `chat_dedup_mode` and
`chat_match_window_hours`).

After `web_chat_enabled_at`, a member of a chat campaign or a task of an activity rule that tracks
web chat is a second trace of a chat. `cutover` (the default) cuts every such trace and names the
kept Web Chat of the same person it duplicates (nearest within the window; ties: the earlier, then
the smaller id), or null: a chat that counts zero times, counted by the `unmatched_chat_touchpoints`
finding. `matched` cuts a trace only when such a Web Chat exists, and keeps the others.

One data set (`SCENARIOS`) is built twice, once per mode, with the default 24-hour window. Each
person has an e-mail of its own, and each expected row names its source ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from chat_touchpoints.build import read_vars
from chat_touchpoints.raw_tables import RAW_TABLES
from chat_touchpoints.runner import SECRET_ENV, run_dbt

T0 = "2026-03-01T00:00:00Z"
CAMPAIGN_CUT = "chat_campaign_after_web_chat_enabled"
ACTIVITY_CUT = "chat_activity_after_web_chat_enabled"

CONFIG = {
    "activity_rules": [
        {"rule_id": "1", "condition_group": "1", "field": "subject", "operator": "starts_with",
         "value": "drift chat", "date_field": "created_at", "campaign_name": "Drift Chats",
         "tracks_web_chat": "true"},
        # dated by activity_date: the chat match still compares created_at
        {"rule_id": "2", "condition_group": "1", "field": "subject", "operator": "starts_with",
         "value": "live chat", "date_field": "activity_date", "campaign_name": "Live Chats",
         "tracks_web_chat": "true"},
    ],
    "channel_rules": [
        {"priority": "10", "channel": "Chat", "subchannel": "Drift", "utm_medium": "chat",
         "utm_source": "", "utm_campaign": "", "referrer": "", "landing_page": ""},
    ],
    "offline_channels": [
        {"campaign_type": "Chat", "channel": "Chat", "subchannel": "Campaign"},
        {"campaign_type": "Webinar", "channel": "Events", "subchannel": "Webinar"},
    ],
}


def _lead(lead_id: str, email: str, **more: str) -> dict[str, str]:
    return {"lead_id": lead_id, "email": email, "first_name": "F", "last_name": lead_id,
            "created_at": "2026-01-01T00:00:00Z", **more}


def _contact(contact_id: str, email: str) -> dict[str, str]:
    return {"contact_id": contact_id, "email": email, "first_name": "F",
            "last_name": contact_id, "created_at": "2026-01-01T00:00:00Z"}


def _session(session_id: str, tracking: str = "") -> dict[str, str]:
    return {"session_id": session_id, "visitor_id": f"V{session_id}",
            "session_started_at": "2026-03-01T00:00:00Z", "chat_tracking_enabled": tracking}


def _chat(event_id: str, occurred_at: str, email: str) -> dict[str, str]:
    """An `email_captured` event in session `S<event_id>`."""
    return {"event_id": event_id, "conversation_id": f"K{event_id}", "session_id": f"S{event_id}",
            "event_type": "email_captured", "occurred_at": occurred_at, "email": email}


def _member(member_id: str, at: str, campaign_id: str = "CP-CHAT", created_at: str = "",
            **person: str) -> dict[str, str]:
    """A member whose touchpoint time is `at` (buyer_touchpoint_at), added at `created_at`
    (default: `at`)."""
    return {"campaign_member_id": member_id, "campaign_id": campaign_id,
            "buyer_touchpoint_at": at, "created_at": created_at or at, **person}


def _task(task_id: str, who_id: str, created_at: str, subject: str = "Drift chat",
          activity_date: str = "") -> dict[str, str]:
    return {"task_id": task_id, "who_id": who_id, "subject": subject, "task_type": "Chat",
            "created_at": created_at, "activity_date": activity_date}


CHATS = [
    _chat("E-IN", "2026-03-10T10:00:00Z", "in@m.io"),
    _chat("E-EDGE", "2026-03-10T10:00:00Z", "edge@m.io"),
    _chat("E-PAST", "2026-03-10T10:00:00Z", "past@m.io"),
    _chat("E-BEFORE", "2026-03-10T10:00:00Z", "before@m.io"),
    _chat("E-TWO-FAR", "2026-03-10T08:00:00Z", "two@m.io"),
    _chat("E-TWO-NEAR", "2026-03-10T12:30:00Z", "two@m.io"),
    _chat("E-TIE-A", "2026-03-10T11:00:00Z", "tie@m.io"),
    _chat("E-TIE-B", "2026-03-10T13:00:00Z", "tie@m.io"),
    _chat("E-DUO", "2026-03-10T10:00:00Z", "duo@m.io"),
    _chat("E-CONV", "2026-03-10T10:00:00Z", "conv@m.io"),
    _chat("E-CONV2", "2026-03-10T10:00:00Z", "conv2@m.io"),
    _chat("E-OPT", "2026-03-10T10:00:00Z", "opt@m.io"),
    _chat("E-OPT1", "2026-03-10T10:00:00Z", "opt1@m.io"),
]

SCENARIOS: Mapping[str, list[dict[str, str]]] = {
    "crm_leads": [
        _lead("L-IN", "in@m.io"), _lead("L-EDGE", "edge@m.io"), _lead("L-PAST", "past@m.io"),
        _lead("L-BEFORE", "before@m.io"), _lead("L-TWO", "two@m.io"), _lead("L-TIE", "tie@m.io"),
        _lead("L-EARLY", "early@m.io"),
        # one person, two records sharing the e-mail
        _lead("L-DUO", "duo@m.io"),
        # converted leads: C-CONV kept the lead's e-mail, C-CONV2 has a new one
        _lead("L-CONV", "conv@m.io", is_converted="true", converted_contact_id="C-CONV"),
        _lead("L-CONV2", "conv2@m.io", is_converted="true", converted_contact_id="C-CONV2"),
        # chats on a site that opted out of chat tracking
        _lead("L-OPT", "opt@m.io"), _lead("L-OPT1", "opt1@m.io"),
    ],
    "crm_contacts": [
        _contact("C-DUO", "duo@m.io"), _contact("C-CONV", "conv@m.io"),
        _contact("C-CONV2", "conv2.work@m.io"),
    ],
    "web_sessions": [
        _session(f"S{c['event_id']}", "false" if c["event_id"].startswith("E-OPT") else "")
        for c in CHATS
    ],
    "drift_chat_events": CHATS,
    "crm_campaigns": [
        {"campaign_id": "CP-CHAT", "campaign_name": "Chats", "campaign_type": "Chat",
         "touchpoint_sync_type": "Include_All"},
        {"campaign_id": "CP-WEB", "campaign_name": "Webinar", "campaign_type": "Webinar",
         "touchpoint_sync_type": "Include_All"},
    ],
    "crm_campaign_members": [
        # 5 minutes after the chat; a second membership; another campaign type
        _member("M-IN", "2026-03-10T10:05:00Z", lead_id="L-IN"),
        _member("M-IN-DUP", "2026-03-10T10:06:00Z", created_at="2026-03-12T00:00:00Z",
                lead_id="L-IN"),
        _member("M-WEB", "2026-03-10T10:10:00Z", campaign_id="CP-WEB", lead_id="L-IN"),
        # before t0: not cut, whatever the mode
        _member("M-EARLY", "2026-02-20T10:00:00Z", lead_id="L-EARLY"),
        # exactly 24 hours after the chat (on touchpoint_at; added a day later still)
        _member("M-EDGE", "2026-03-11T10:00:00Z", created_at="2026-03-12T10:00:00Z",
                lead_id="L-EDGE"),
        # one second past the window
        _member("M-PAST", "2026-03-11T10:00:01Z", lead_id="L-PAST"),
        # an hour before the chat
        _member("M-BEFORE", "2026-03-10T09:00:00Z", lead_id="L-BEFORE"),
        # two chats: 4 h 0 min before and 30 min after: the nearer wins
        _member("M-TWO", "2026-03-10T12:00:00Z", lead_id="L-TWO"),
        # two chats 1 hour before and 1 hour after: the earlier wins
        _member("M-TIE", "2026-03-10T12:00:00Z", lead_id="L-TIE"),
        _member("M-DUO", "2026-03-10T10:10:00Z", contact_id="C-DUO"),
        _member("M-CONV", "2026-03-10T10:10:00Z", lead_id="L-CONV"),
        _member("M-CONV2", "2026-03-10T10:10:00Z", contact_id="C-CONV2"),
        _member("M-OPT", "2026-03-10T10:05:00Z", lead_id="L-OPT"),
        _member("M-OPT1", "2026-03-10T10:05:00Z", lead_id="L-OPT1"),
    ],
    "crm_tasks": [
        _task("T-IN", "L-IN", "2026-03-10T10:30:00Z"),
        # dated 10 days later by its rule, created 30 minutes after the chat
        _task("T-LIVE", "L-IN", "2026-03-10T10:30:00Z", "Live chat recap", "2026-03-20"),
        _task("T-EDGE", "L-EDGE", "2026-03-09T10:00:00Z"),
        _task("T-PAST", "L-PAST", "2026-03-09T09:59:59Z"),
        _task("T-BEFORE", "L-BEFORE", "2026-03-10T09:30:00Z"),
        # 1 h after E-TWO-FAR, 3 h 30 before E-TWO-NEAR
        _task("T-TWO", "L-TWO", "2026-03-10T09:00:00Z"),
        _task("T-DUO", "L-DUO", "2026-03-10T10:15:00Z"),
        _task("T-CONV", "C-CONV", "2026-03-10T10:15:00Z"),
        _task("T-OPT", "L-OPT", "2026-03-10T10:20:00Z"),
        _task("T-NOBODY", "L-UNKNOWN", "2026-03-10T10:20:00Z"),
    ],
}

# source id -> (cutover reason, matched Web Chat's event), and the same in matched mode; a reason
# of None means kept
EXPECTED = {
    "M-IN": ((CAMPAIGN_CUT, "E-IN"), (CAMPAIGN_CUT, "E-IN")),
    "T-IN": ((ACTIVITY_CUT, "E-IN"), (ACTIVITY_CUT, "E-IN")),
    "T-LIVE": ((ACTIVITY_CUT, "E-IN"), (ACTIVITY_CUT, "E-IN")),
    "M-IN-DUP": (("duplicate_membership", None), ("duplicate_membership", None)),
    "M-WEB": ((None, None), (None, None)),
    "M-EARLY": ((None, None), (None, None)),
    "M-EDGE": ((CAMPAIGN_CUT, "E-EDGE"), (CAMPAIGN_CUT, "E-EDGE")),
    "T-EDGE": ((ACTIVITY_CUT, "E-EDGE"), (ACTIVITY_CUT, "E-EDGE")),
    "M-PAST": ((CAMPAIGN_CUT, None), (None, None)),
    "T-PAST": ((ACTIVITY_CUT, None), (None, None)),
    "M-BEFORE": ((CAMPAIGN_CUT, "E-BEFORE"), (CAMPAIGN_CUT, "E-BEFORE")),
    "T-BEFORE": ((ACTIVITY_CUT, "E-BEFORE"), (ACTIVITY_CUT, "E-BEFORE")),
    "M-TWO": ((CAMPAIGN_CUT, "E-TWO-NEAR"), (CAMPAIGN_CUT, "E-TWO-NEAR")),
    "T-TWO": ((ACTIVITY_CUT, "E-TWO-FAR"), (ACTIVITY_CUT, "E-TWO-FAR")),
    "M-TIE": ((CAMPAIGN_CUT, "E-TIE-A"), (CAMPAIGN_CUT, "E-TIE-A")),
    # the member is on the contact, the task on the lead: both have the chat's e-mail
    "M-DUO": ((CAMPAIGN_CUT, "E-DUO"), (CAMPAIGN_CUT, "E-DUO")),
    "T-DUO": ((ACTIVITY_CUT, "E-DUO"), (ACTIVITY_CUT, "E-DUO")),
    "M-CONV": ((CAMPAIGN_CUT, "E-CONV"), (CAMPAIGN_CUT, "E-CONV")),
    "T-CONV": ((ACTIVITY_CUT, "E-CONV"), (ACTIVITY_CUT, "E-CONV")),
    # the member's own record (C-CONV2) has another e-mail than the chat (its lead's)
    "M-CONV2": ((CAMPAIGN_CUT, None), (None, None)),
    # the Web Chat of an opted-out session is not kept: nothing to match
    "M-OPT": ((CAMPAIGN_CUT, None), (None, None)),
    "T-OPT": ((ACTIVITY_CUT, None), (None, None)),
    "M-OPT1": ((CAMPAIGN_CUT, None), (None, None)),
    "T-NOBODY": (("no_known_person", None), ("no_known_person", None)),
}

UNMATCHED = sorted(s for s, ((reason, event), _) in EXPECTED.items() if reason and
                   reason.startswith("chat_") and event is None)

OUTCOMES = """
    select
        candidates.source_id,
        candidates.suppression_reason,
        chats.source_id as matched_event_id
    from intermediate.int_touchpoint_candidates as candidates
    left join intermediate.int_touchpoint_candidates as chats
        on candidates.matched_user_touchpoint_id = chats.user_touchpoint_id
    where candidates.touchpoint_type in ('CRM Campaign', 'CRM Activity')
"""


def _tables() -> dict[str, list[dict[str, str]]]:
    return {**{name: list(SCENARIOS.get(name, [])) for name in RAW_TABLES}, **CONFIG}


@pytest.fixture(scope="module")
def cutover(scenario_builder: Callable[..., Any]) -> Any:
    return scenario_builder(_tables(), {"web_chat_enabled_at": T0})


@pytest.fixture(scope="module")
def matched(scenario_builder: Callable[..., Any]) -> Any:
    return scenario_builder(_tables(), {"web_chat_enabled_at": T0, "chat_dedup_mode": "matched"})


def _outcomes(built: Any) -> dict[str, tuple[str | None, str | None]]:
    assert built.success, built.failures
    return {r["source_id"]: (r["suppression_reason"], r["matched_event_id"])
            for r in built.rows(OUTCOMES)}


def test_cutover_cuts_every_chat_trace_and_names_the_web_chat_it_duplicates(cutover: Any) -> None:
    assert _outcomes(cutover) == {s: expected[0] for s, expected in EXPECTED.items()}


def test_matched_cuts_only_the_chat_traces_beside_a_kept_web_chat(matched: Any) -> None:
    assert _outcomes(matched) == {s: expected[1] for s, expected in EXPECTED.items()}


def test_the_web_chats_are_the_same_in_both_modes(cutover: Any, matched: Any) -> None:
    sql = """select source_id, suppression_reason from intermediate.int_touchpoint_candidates
             where touchpoint_type in ('Web Chat', 'Web Visit') order by all"""
    rows = cutover.rows(sql)
    assert rows == matched.rows(sql)
    assert [r["source_id"] for r in rows if r["suppression_reason"]] == ["E-OPT", "E-OPT1"]


def test_matched_mode_keeps_exactly_the_unmatched_chat_cuts(cutover: Any, matched: Any) -> None:
    """The same data in both modes: matched keeps the chat cuts that named no Web Chat, with their
    channel, in fct_touchpoints; everything else is the same."""
    kept = "select distinct coalesce(campaign_member_id, crm_task_id, chat_event_id, session_id)" \
           " as source_id, channel, subchannel from marts.fct_touchpoints"
    before = {tuple(r.values()) for r in cutover.rows(kept)}
    after = {tuple(r.values()) for r in matched.rows(kept)}
    assert sorted(after - before) == sorted(
        (s, "Chat", "Campaign") if s.startswith("M-") else (s, "Chat", "Drift")
        for s in UNMATCHED
    )
    assert before <= after


def test_cutover_findings_count_the_chats_that_count_zero_times(cutover: Any) -> None:
    rows = cutover.rows("""select * from audit.chat_configuration_findings
                           where finding_type = 'unmatched_chat_touchpoints'""")
    assert len(rows) == 1
    row = rows[0]
    assert row["suppressed_touchpoints"] == len(UNMATCHED) == 6
    assert [row["campaign_id"], row["activity_rule_id"], row["configured_end_date"],
            row["recommended_end_date"]] == [None, None, None, None]
    assert "chat_dedup_mode" in row["recommendation"] and "matched" in row["recommendation"]


def test_matched_mode_has_no_unmatched_finding(matched: Any) -> None:
    assert matched.success, matched.failures
    types = [r["finding_type"] for r in matched.rows(
        "select finding_type from audit.chat_configuration_findings order by all")]
    assert types == ["chat_activity_rule", "chat_activity_rule", "chat_campaign_end_date"]


@pytest.mark.parametrize("mode", ["cutover", "matched"])
def test_every_matched_web_chat_is_a_kept_web_chat_of_the_same_email(
    mode: str, cutover: Any, matched: Any
) -> None:
    built = {"cutover": cutover, "matched": matched}[mode]
    assert built.success, built.failures
    rows = built.rows("""
        select
            suppressions.suppression_reason,
            people.email as record_email,
            web_chats.email as web_chat_email,
            web_chats.touchpoint_type as web_chat_type
        from audit.touchpoint_suppressions as suppressions
        left join intermediate.int_people as people
            on people.person_id = coalesce(suppressions.contact_id, suppressions.lead_id)
        left join (
            select distinct user_touchpoint_id, email, touchpoint_type from marts.fct_touchpoints
        ) as web_chats
            on suppressions.matched_user_touchpoint_id = web_chats.user_touchpoint_id
        where suppressions.matched_user_touchpoint_id is not null
    """)
    assert len(rows) == sum(1 for e in EXPECTED.values() if e[0][1])
    for row in rows:
        assert row["suppression_reason"] in (CAMPAIGN_CUT, ACTIVITY_CUT), row
        assert row["web_chat_type"] == "Web Chat", row
        assert row["record_email"] == row["web_chat_email"], row


# ---------------------------------------------------------------------------------------------
# The two variables are validated like the others
# ---------------------------------------------------------------------------------------------

BAD_VARS = [
    ("chat_dedup_mode", {"chat_dedup_mode": "Matched"}),
    ("chat_dedup_mode", {"chat_dedup_mode": "both"}),
    ("chat_dedup_mode", {"chat_dedup_mode": True}),
    ("chat_match_window_hours", {"chat_match_window_hours": 0}),
    ("chat_match_window_hours", {"chat_match_window_hours": 721}),
    ("chat_match_window_hours", {"chat_match_window_hours": -3}),
    ("chat_match_window_hours", {"chat_match_window_hours": 1.5}),
    ("chat_match_window_hours", {"chat_match_window_hours": "a day"}),
    ("chat_match_window_hours", {"chat_match_window_hours": True}),
]


@pytest.mark.parametrize(("variable", "vars"), BAD_VARS, ids=[str(v) for _, v in BAD_VARS])
def test_a_bad_dedup_variable_stops_the_build_naming_it(
    variable: str, vars: dict[str, Any], dbt_workspace: Path, tmp_path: Path
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(SECRET_ENV, raising=False)
        run = run_dbt("build", tmp_path / "warehouse.duckdb", vars_text=read_vars(vars).text,
                      target_path=dbt_workspace / "target", log_path=dbt_workspace / "logs",
                      quiet=True)
    assert not run.success
    assert [n.name for n in run.nodes if n.status in ("success", "pass")] == []
    assert variable in (run.error or "") + " ".join(n.message or "" for n in run.failed_nodes)


@pytest.mark.parametrize("vars", [
    {"chat_dedup_mode": "cutover", "chat_match_window_hours": 1},
    {"chat_dedup_mode": "matched", "chat_match_window_hours": 720},
    {"chat_match_window_hours": "48"},
])
def test_good_dedup_variables_are_accepted(
    vars: dict[str, Any], dbt_workspace: Path, tmp_path: Path
) -> None:
    run = run_dbt("parse", tmp_path / "warehouse.duckdb", vars_text=read_vars(vars).text,
                  target_path=dbt_workspace / "target", log_path=dbt_workspace / "logs",
                  quiet=True)
    assert run.success, run.error
