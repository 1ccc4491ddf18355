"""Touchpoint rules: people, candidates, deduplication, channels, positions.

Written from the rule book, docs/rules.md ("People", "Touchpoint candidates", "Deduplication",
"Channels", "Buyer touchpoints"); each test names the section it checks. Every scenario below is a
small set of raw rows with its own ids, e-mails and domains; all scenarios of one
`web_chat_enabled_at` are built together (one dbt build per variable set, through the harness's
`scenario_builder`), and each test asserts the rows of its own scenario only. The configuration
seeds (`ACTIVITY_RULES`, `CHANNEL_RULES`, `OFFLINE_CHANNELS`) are given explicitly at the top, so
that the sample seeds can change without breaking these tests.

Conventions in the expected rows:
- `person`: `contact <contact_id>` when the row has a contact id, else `lead <lead_id>`.
- `source_id`: the candidate's source id: chat `event_id`, `campaign_member_id`, `task_id`, or the
  `session_id` of a Web Visit.
- timestamps are UTC, written `YYYY-MM-DD HH:MM:SS[.ffffff]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pytest
from conftest import Scenario as Built
from conftest import normalize, sorted_rows, table

from chat_touchpoints.raw_tables import RAW_TABLES

T0 = "2026-03-01T12:00:00Z"  # web_chat_enabled_at of the main build; its date is 2026-03-01
CHAT_CAMPAIGN_TYPES = ["Chat", "Drift Chat"]

# ---------------------------------------------------------------------------------------------
# Configuration seeds (the rule book, "Configuration"), shared by every scenario of this module
# ---------------------------------------------------------------------------------------------


def _config(header: str, *rows: Sequence[str]) -> list[dict[str, str]]:
    columns = header.split(",")
    return [dict(zip(columns, row, strict=True)) for row in rows]


ACTIVITY_RULES = _config(
    "rule_id,condition_group,field,operator,value,date_field,campaign_name,tracks_web_chat",
    ("1", "1", "subject", "contains", "drift chat", "created_at", "Drift Chats", "true"),
    ("2", "1", "task_type", "equals", "call", "activity_date", "Sales Calls", "false"),
    ("2", "1", "subject", "starts_with", "pricing", "activity_date", "Sales Calls", "false"),
    ("2", "2", "subject", "ends_with", "demo booked", "activity_date", "Sales Calls", "false"),
    ("3", "1", "subject", "matches_any", "webinar*, *follow-up*,exact thing, promo_2026*, sign*up",
     "created_at",
     "Nurture", "false"),
    ("4", "1", "subject", "equals", "O'Brien call", "created_at", "Named Calls", "false"),
    ("5", "1", "subject", "equals", "x'; drop table raw.crm_tasks; --", "created_at",
     "Injection Test", "false"),
    ("6", "1", "subject", "contains", "100%_off", "created_at", "Promo", "false"),
    ("7", "1", "subject", "starts_with", "live chat", "activity_date", "Live Chats", "true"),
    ("8", "1", "subject", "contains", "chat", "created_at", "Chat Misc", "false"),
)

CHANNEL_RULES = _config(
    "priority,channel,subchannel,utm_medium,utm_source,utm_campaign,referrer,landing_page",
    ("5", "Paid Search", "Brand", "", "google*", "brand*", "", ""),
    ("10", "Paid Search", "Google", "cpc;ppc", "google*", "", "", ""),
    ("20", "Paid Social", "LinkedIn", "", "*linkedin*", "", "", ""),
    ("30", "Email", "Newsletter", "email", "", "*news", "", ""),
    ("35", "Promo", "Q1", "", "", "q1_promo*", "", ""),
    ("40", "Organic Search", "Bing", "", "", "", "*.bing.com;bing.com", ""),
    ("41", "Organic Search", "DuckDuckGo", "", "", "", "duckduckgo.com", ""),
    ("45", "Referral", "Partner", "", "", "", "", "*/partners/*"),
    ("50", "Sales", "Calls", "call", "", "sales calls", "", ""),
    ("60", "Chat", "Legacy Drift", "", "", "drift*", "", ""),
    ("90", "Display", "Any", "display", "*", "", "", ""),
)

OFFLINE_CHANNELS = _config(
    "campaign_type,channel,subchannel",
    ("Webinar", "Events", "Webinar"),
    ("Chat", "Chat", "Campaign"),
    ("Drift Chat", "Chat", "Drift Campaign"),
)

CONFIG = {
    "activity_rules": ACTIVITY_RULES,
    "channel_rules": CHANNEL_RULES,
    "offline_channels": OFFLINE_CHANNELS,
}

# ---------------------------------------------------------------------------------------------
# Row builders: the raw rows (the rule book, "Timestamps and values"), every value text.
# Defaults are stated here once.
# ---------------------------------------------------------------------------------------------


def lead(lead_id: str, email: str, **more: str) -> dict[str, str]:
    return {"lead_id": lead_id, "email": email, "first_name": "F", "last_name": lead_id,
            "created_at": "2025-12-01T00:00:00Z", **more}


def contact(contact_id: str, email: str, **more: str) -> dict[str, str]:
    return {"contact_id": contact_id, "email": email, "first_name": "F", "last_name": contact_id,
            "created_at": "2025-12-01T00:00:00Z", **more}


def account(account_id: str, website: str, **more: str) -> dict[str, str]:
    return {"account_id": account_id, "account_name": account_id, "website": website, **more}


def session(session_id: str, visitor_id: str, started_at: str, **more: str) -> dict[str, str]:
    return {"session_id": session_id, "visitor_id": visitor_id,
            "session_started_at": started_at, **more}


def chat(event_id: str, session_id: str, occurred_at: str, email: str, **more: str
         ) -> dict[str, str]:
    """An `email_captured` event of conversation `K<event_id>`, on page `https://p/<event_id>`."""
    return {"event_id": event_id, "conversation_id": f"K{event_id}", "session_id": session_id,
            "event_type": "email_captured", "occurred_at": occurred_at, "email": email,
            "page_url": f"https://p/{event_id}", **more}


def campaign(campaign_id: str, campaign_type: str, sync_type: str, start: str = "",
             end: str = "", **more: str) -> dict[str, str]:
    return {"campaign_id": campaign_id, "campaign_name": f"{campaign_id} name",
            "campaign_type": campaign_type, "touchpoint_sync_type": sync_type,
            "touchpoint_start_date": start, "touchpoint_end_date": end, **more}


def member(member_id: str, campaign_id: str, created_at: str, **more: str) -> dict[str, str]:
    return {"campaign_member_id": member_id, "campaign_id": campaign_id,
            "created_at": created_at, **more}


def task(task_id: str, who_id: str, subject: str, task_type: str, created_at: str,
         activity_date: str = "", **more: str) -> dict[str, str]:
    return {"task_id": task_id, "who_id": who_id, "subject": subject, "task_type": task_type,
            "created_at": created_at, "activity_date": activity_date, **more}


# ---------------------------------------------------------------------------------------------
# Building and reading
# ---------------------------------------------------------------------------------------------

WITH_T0: list[Mapping[str, list[dict[str, str]]]] = []  # scenarios built with T0
WITHOUT_T0: list[Mapping[str, list[dict[str, str]]]] = []  # scenarios built with t0 null


def with_t0(tables: Mapping[str, list[dict[str, str]]]) -> Mapping[str, list[dict[str, str]]]:
    WITH_T0.append(tables)
    return tables


def without_t0(tables: Mapping[str, list[dict[str, str]]]) -> Mapping[str, list[dict[str, str]]]:
    WITHOUT_T0.append(tables)
    return tables


def _merge(scenarios: Iterable[Mapping[str, list[dict[str, str]]]]) -> dict[str, list]:
    merged: dict[str, list] = {name: [] for name in RAW_TABLES}
    for tables in scenarios:
        for name, rows in tables.items():
            merged[name].extend(rows)
    return {**merged, **CONFIG}


@pytest.fixture(scope="module")
def built(scenario_builder: Callable[..., Built]) -> Built:
    """Every `with_t0` scenario, built with `web_chat_enabled_at` = T0."""
    return scenario_builder(
        _merge(WITH_T0), {"web_chat_enabled_at": T0, "chat_campaign_types": CHAT_CAMPAIGN_TYPES}
    )


@pytest.fixture(scope="module")
def built_null_t0(scenario_builder: Callable[..., Built]) -> Built:
    """Every `without_t0` scenario, built with `web_chat_enabled_at` = null."""
    return scenario_builder(
        _merge(WITHOUT_T0),
        {"web_chat_enabled_at": None, "chat_campaign_types": CHAT_CAMPAIGN_TYPES},
    )


_DERIVED = """
    coalesce('contact ' || contact_id, 'lead ' || lead_id) as person,
    coalesce(chat_event_id, campaign_member_id, crm_task_id, session_id) as source_id
"""
TOUCHPOINTS = f"(select *, {_DERIVED} from marts.fct_touchpoints)"
SUPPRESSIONS = f"(select *, {_DERIVED} from audit.touchpoint_suppressions)"


def kept(b: Built, where: str, header: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of `marts.fct_touchpoints` (with `person` and `source_id`)."""
    assert b.success, b.failures
    return sorted_rows(b.rows(f"select * from {TOUCHPOINTS} where {where}"), header)


def suppressed(b: Built, where: str, header: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of `audit.touchpoint_suppressions` (with `person` and `source_id`)."""
    assert b.success, b.failures
    return sorted_rows(b.rows(f"select * from {SUPPRESSIONS} where {where}"), header)


KEPT = ("touchpoint_type", "source_id", "person", "touchpoint_at")
DROPPED = ("touchpoint_type", "source_id", "touchpoint_at", "suppression_reason")


def test_the_build_succeeds(built: Built) -> None:
    assert built.success, built.failures


# =============================================================================================
# Web Chat: before t0, opted-out sites, first chat per session
# (the rule book, "Touchpoint candidates" and "Deduplication")
# =============================================================================================

T0_BOUNDARY = with_t0({
    "crm_leads": [lead("L-T0", "pat@t0b.io")],
    "web_sessions": [
        session("S-T0-AT", "V-T0-AT", "2026-03-01T11:00:00Z"),
        session("S-T0-US", "V-T0-US", "2026-03-01T11:00:00Z"),
        session("S-T0-S", "V-T0-S", "2026-03-01T11:00:00Z"),
        session("S-T0-OF", "V-T0-OF", "2026-03-01T11:00:00Z"),
        session("S-T0-OB", "V-T0-OB", "2026-03-01T11:00:00Z"),
    ],
    "drift_chat_events": [
        chat("E-T0-AT", "S-T0-AT", "2026-03-01T12:00:00Z", "pat@t0b.io"),          # = t0
        chat("E-T0-US", "S-T0-US", "2026-03-01T11:59:59.999999Z", "pat@t0b.io"),   # t0 - 1 µs
        chat("E-T0-S", "S-T0-S", "2026-03-01T11:59:59Z", "pat@t0b.io"),            # t0 - 1 s
        chat("E-T0-OF", "S-T0-OF", "2026-03-01T13:00:00+01:00", "pat@t0b.io"),     # = t0
        chat("E-T0-OB", "S-T0-OB", "2026-03-01T12:59:59+01:00", "pat@t0b.io"),     # t0 - 1 s
    ],
})


def test_a_chat_exactly_at_t0_is_kept_and_one_before_is_suppressed(built: Built) -> None:
    """Before t0 means `< t0`: an event exactly at t0 belongs to the integration (the rule
    book, "Deduplication", Boundaries)."""
    assert kept(built, "source_id like 'E-T0-%'", KEPT) == table(
        KEPT,
        ("Web Chat", "E-T0-AT", "lead L-T0", "2026-03-01 12:00:00"),
        ("Web Chat", "E-T0-OF", "lead L-T0", "2026-03-01 12:00:00"),
    )
    assert suppressed(built, "source_id like 'E-T0-%'", DROPPED) == table(
        DROPPED,
        ("Web Chat", "E-T0-US", "2026-03-01 11:59:59.999999", "before_web_chat_enabled"),
        ("Web Chat", "E-T0-S", "2026-03-01 11:59:59", "before_web_chat_enabled"),
        ("Web Chat", "E-T0-OB", "2026-03-01 11:59:59", "before_web_chat_enabled"),
    )


OPT_OUT = with_t0({
    "crm_leads": [lead("L-OPT", "opt@optout.io")],
    "web_sessions": [
        session("S-OPT-EMPTY", "V-OPT-1", "2026-03-02T09:00:00Z", chat_tracking_enabled=""),
        session("S-OPT-TRUE", "V-OPT-2", "2026-03-02T09:00:00Z", chat_tracking_enabled="true"),
        session("S-OPT-ONE", "V-OPT-3", "2026-03-02T09:00:00Z", chat_tracking_enabled="1"),
        session("S-OPT-false", "V-OPT-4", "2026-03-02T09:00:00Z", chat_tracking_enabled="false"),
        session("S-OPT-FALSE", "V-OPT-5", "2026-03-02T09:00:00Z", chat_tracking_enabled="FALSE"),
        session("S-OPT-ZERO", "V-OPT-6", "2026-03-02T09:00:00Z", chat_tracking_enabled="0"),
    ],
    "drift_chat_events": [
        chat("E-OPT-EMPTY", "S-OPT-EMPTY", "2026-03-02T09:05:00Z", "opt@optout.io"),
        chat("E-OPT-TRUE", "S-OPT-TRUE", "2026-03-02T09:05:00Z", "opt@optout.io"),
        chat("E-OPT-ONE", "S-OPT-ONE", "2026-03-02T09:05:00Z", "opt@optout.io"),
        chat("E-OPT-false", "S-OPT-false", "2026-03-02T09:05:00Z", "opt@optout.io"),
        chat("E-OPT-FALSE", "S-OPT-FALSE", "2026-03-02T09:05:00Z", "opt@optout.io"),
        chat("E-OPT-ZERO", "S-OPT-ZERO", "2026-03-02T09:05:00Z", "opt@optout.io"),
    ],
})


def test_a_site_that_opted_out_of_chat_tracking_suppresses_its_chats(built: Built) -> None:
    """Empty `chat_tracking_enabled` means enabled; `false` (any case) / `0` opts out (the rule
    book, "Timestamps and values", Chat tracking)."""
    assert kept(built, "source_id like 'E-OPT-%'", ("source_id",)) == table(
        ("source_id",), ("E-OPT-EMPTY",), ("E-OPT-TRUE",), ("E-OPT-ONE",),
    )
    assert suppressed(built, "source_id like 'E-OPT-%'", ("source_id", "suppression_reason")) == (
        table(
            ("source_id", "suppression_reason"),
            ("E-OPT-false", "chat_tracking_disabled"),
            ("E-OPT-FALSE", "chat_tracking_disabled"),
            ("E-OPT-ZERO", "chat_tracking_disabled"),
        )
    )


FIRST_IN_SESSION = with_t0({
    "crm_leads": [lead("L-FI", "fay@first.io")],
    "web_sessions": [
        session("S-FI1", "V-FI1", "2026-03-02T09:00:00Z"),
        session("S-FI2", "V-FI2", "2026-03-02T10:00:00Z"),
    ],
    "drift_chat_events": [
        # not a candidate: only email_captured events are
        {"event_id": "E-FI1-0", "conversation_id": "K1", "session_id": "S-FI1",
         "event_type": "message_sent", "occurred_at": "2026-03-02T09:10:00Z"},
        chat("E-FI1-2", "S-FI1", "2026-03-02T09:30:00Z", "  Fay@First.IO "),
        chat("E-FI1-1", "S-FI1", "2026-03-02T09:45:00Z", "fay@first.io"),
        # a tie on occurred_at: the smallest event_id wins
        chat("E-FI2-b", "S-FI2", "2026-03-02T10:30:00Z", "fay@first.io"),
        chat("E-FI2-a", "S-FI2", "2026-03-02T10:30:00Z", "fay@first.io"),
    ],
})


def test_only_the_first_chat_of_a_session_becomes_a_touchpoint(built: Built) -> None:
    """Web Chat: first by occurred_at, ties by the smallest event_id; e-mail normalised (the
    rule book, "Touchpoint candidates")."""
    assert kept(built, "source_id like 'E-FI%'", (*KEPT, "email")) == table(
        (*KEPT, "email"),
        ("Web Chat", "E-FI1-2", "lead L-FI", "2026-03-02 09:30:00", "fay@first.io"),
        ("Web Chat", "E-FI2-a", "lead L-FI", "2026-03-02 10:30:00", "fay@first.io"),
    )
    assert suppressed(built, "source_id like 'E-FI%'", DROPPED) == table(
        DROPPED,
        ("Web Chat", "E-FI1-1", "2026-03-02 09:45:00", "not_first_in_session"),
        ("Web Chat", "E-FI2-b", "2026-03-02 10:30:00", "not_first_in_session"),
    )


CHAT_PRECEDENCE = with_t0({
    "crm_leads": [lead("L-PR", "kim@prec.io"), lead("L-PR-DEL", "gone@prec.io", is_deleted="1")],
    "web_sessions": [
        session("S-PR1", "V-PR1", "2026-02-01T09:00:00Z", chat_tracking_enabled="false"),
        session("S-PR2", "V-PR2", "2026-02-02T09:00:00Z", chat_tracking_enabled="false"),
        session("S-PR3", "V-PR3", "2026-03-02T09:00:00Z"),
        session("S-PR4", "V-PR4", "2026-03-02T09:00:00Z"),
        session("S-PR5", "V-PR5", "2026-03-02T09:00:00Z"),
    ],
    "drift_chat_events": [
        # no_known_person + before t0 + opted out
        chat("E-PR1-1", "S-PR1", "2026-02-01T09:05:00Z", "ghost@prec.io"),
        # not first in session + before t0 + opted out
        chat("E-PR1-2", "S-PR1", "2026-02-01T09:06:00Z", "kim@prec.io"),
        # before t0 + opted out
        chat("E-PR2-1", "S-PR2", "2026-02-02T10:00:00Z", "kim@prec.io"),
        # no known person, after t0
        chat("E-PR3-1", "S-PR3", "2026-03-02T09:05:00Z", "nobody@prec.io"),
        # the only record with this e-mail is deleted
        chat("E-PR4-1", "S-PR4", "2026-03-02T09:05:00Z", "gone@prec.io"),
        # the first chat of the session is suppressed: the second is still not the first
        chat("E-PR5-1", "S-PR5", "2026-03-02T09:05:00Z", "ghost@prec.io"),
        chat("E-PR5-2", "S-PR5", "2026-03-02T09:06:00Z", "kim@prec.io"),
    ],
})


def test_web_chat_reasons_follow_the_precedence_order(built: Built) -> None:
    """Web Chat: not_first_in_session, no_known_person, web_chat_disabled,
    before_web_chat_enabled, chat_tracking_disabled (the rule book, "Deduplication", One reason
    per candidate)."""
    assert kept(built, "source_id like 'E-PR%'", KEPT) == []
    assert suppressed(built, "source_id like 'E-PR%'", DROPPED) == table(
        DROPPED,
        ("Web Chat", "E-PR1-1", "2026-02-01 09:05:00", "no_known_person"),
        ("Web Chat", "E-PR1-2", "2026-02-01 09:06:00", "not_first_in_session"),
        ("Web Chat", "E-PR2-1", "2026-02-02 10:00:00", "before_web_chat_enabled"),
        ("Web Chat", "E-PR3-1", "2026-03-02 09:05:00", "no_known_person"),
        ("Web Chat", "E-PR4-1", "2026-03-02 09:05:00", "no_known_person"),
        ("Web Chat", "E-PR5-1", "2026-03-02 09:05:00", "no_known_person"),
        ("Web Chat", "E-PR5-2", "2026-03-02 09:06:00", "not_first_in_session"),
    )


def test_a_suppressed_candidate_has_the_columns_of_the_spec(built: Built) -> None:
    """`audit.touchpoint_suppressions` columns (the rule book, "Deduplication"); for a chat,
    email is the chat's and lead_id/contact_id (the member's or task's record) are null."""
    assert built.success, built.failures
    rows = built.rows("select * from audit.touchpoint_suppressions where chat_event_id = 'E-PR1-2'")
    assert len(rows) == 1
    assert set(rows[0]) == {
        "user_touchpoint_id", "touchpoint_type", "touchpoint_at", "email", "lead_id",
        "contact_id", "session_id", "chat_event_id", "chat_conversation_id", "campaign_id",
        "campaign_member_id", "crm_task_id", "activity_rule_id", "suppression_reason",
        "matched_user_touchpoint_id",
    }
    row = {k: normalize(v) for k, v in rows[0].items()}
    assert row["user_touchpoint_id"]
    assert {k: v for k, v in row.items() if k != "user_touchpoint_id"} == {
        "touchpoint_type": "Web Chat", "touchpoint_at": "2026-02-01 09:06:00",
        "email": "kim@prec.io", "lead_id": None, "contact_id": None, "session_id": "S-PR1",
        "chat_event_id": "E-PR1-2", "chat_conversation_id": "KE-PR1-2", "campaign_id": None,
        "campaign_member_id": None, "crm_task_id": None, "activity_rule_id": None,
        "suppression_reason": "not_first_in_session", "matched_user_touchpoint_id": None,
    }


UNKNOWN_SESSION = with_t0({
    "crm_leads": [lead("L-NS", "nos@nosess.io")],
    "drift_chat_events": [chat("E-NS", "S-NS-UNKNOWN", "2026-03-03T10:00:00Z", "nos@nosess.io")],
})


def test_a_chat_whose_session_is_unknown_is_kept_without_session_data(built: Built) -> None:
    """A chat whose session is unknown has tracking on and no session data, and without a
    visitor no Web Visit (the rule book, "Touchpoint candidates")."""
    header = (*KEPT, "visitor_id", "landing_page", "referrer_page", "touchpoint_source",
              "channel", "subchannel", "form_page")
    assert kept(built, "person = 'lead L-NS'", header) == table(
        header,
        ("Web Chat", "E-NS", "lead L-NS", "2026-03-03 10:00:00", None, None, None, "Web Direct",
         "Other", "Other", "https://p/E-NS"),
    )


# =============================================================================================
# Web Visit (the rule book, "Touchpoint candidates")
# =============================================================================================

WEB_VISITS = with_t0({
    "crm_leads": [
        lead("L-WV1", "one@visit.io"), lead("L-WV2", "two@visit.io"),
        lead("L-WV3", "three@visit.io"), lead("L-WV4", "four@visit.io"),
        lead("L-WV5A", "five.a@visit.io"), lead("L-WV5B", "five.b@visit.io"),
        lead("L-WV6", "six@visit.io"),
    ],
    "web_sessions": [
        # WV1: first session without chat, two later sessions with kept chats of the same e-mail
        session("S-WV1-1", "V-WV1", "2026-02-10T08:00:00Z", utm_source="linkedin",
                utm_medium="social", utm_campaign="spring", landing_page_url="https://visit.io/home",
                referrer_url="https://www.linkedin.com/feed"),
        session("S-WV1-2", "V-WV1", "2026-03-05T09:00:00Z"),
        session("S-WV1-3", "V-WV1", "2026-03-06T09:00:00Z"),
        # WV2: the first session carries the kept chat
        session("S-WV2-1", "V-WV2", "2026-03-02T08:00:00Z"),
        session("S-WV2-2", "V-WV2", "2026-03-03T08:00:00Z"),
        # WV3: two first sessions at the same time: the smaller session_id
        session("S-WV3-b", "V-WV3", "2026-02-11T08:00:00Z"),
        session("S-WV3-a", "V-WV3", "2026-02-11T08:00:00Z"),
        session("S-WV3-c", "V-WV3", "2026-03-05T08:00:00Z"),
        # WV4: the only chat is suppressed (before t0)
        session("S-WV4-1", "V-WV4", "2026-02-12T08:00:00Z"),
        session("S-WV4-2", "V-WV4", "2026-02-20T08:00:00Z"),
        # WV5: the first session carries a kept chat of another e-mail
        session("S-WV5-1", "V-WV5", "2026-03-02T08:00:00Z"),
        session("S-WV5-2", "V-WV5", "2026-03-03T08:00:00Z"),
        # WV6: the first session carries a suppressed chat of the same e-mail
        session("S-WV6-1", "V-WV6", "2026-02-13T08:00:00Z"),
        session("S-WV6-2", "V-WV6", "2026-03-04T08:00:00Z"),
    ],
    "drift_chat_events": [
        chat("E-WV1-2", "S-WV1-2", "2026-03-05T09:10:00Z", "one@visit.io"),
        chat("E-WV1-3", "S-WV1-3", "2026-03-06T09:10:00Z", "one@visit.io"),
        chat("E-WV2", "S-WV2-1", "2026-03-02T08:10:00Z", "two@visit.io"),
        chat("E-WV3", "S-WV3-c", "2026-03-05T08:10:00Z", "three@visit.io"),
        chat("E-WV4", "S-WV4-2", "2026-02-20T08:10:00Z", "four@visit.io"),
        chat("E-WV5A", "S-WV5-1", "2026-03-02T08:10:00Z", "five.a@visit.io"),
        chat("E-WV5B", "S-WV5-2", "2026-03-03T08:10:00Z", "five.b@visit.io"),
        chat("E-WV6-1", "S-WV6-1", "2026-02-13T08:10:00Z", "six@visit.io"),
        chat("E-WV6-2", "S-WV6-2", "2026-03-04T08:10:00Z", "six@visit.io"),
    ],
})


def test_a_kept_chat_makes_the_visitors_first_session_a_web_visit(built: Built) -> None:
    """Web Visit (the rule book, "Touchpoint candidates"): the visitor's first session (ties
    by session_id) becomes a Web Visit of the e-mail, once; none when that session carries a
    kept chat of the same e-mail; none without a kept chat; never suppressed."""
    header = ("person", "touchpoint_type", "source_id", "touchpoint_at")
    assert kept(built, "person like 'lead L-WV%'", header) == table(
        header,
        ("lead L-WV1", "Web Visit", "S-WV1-1", "2026-02-10 08:00:00"),
        ("lead L-WV1", "Web Chat", "E-WV1-2", "2026-03-05 09:10:00"),
        ("lead L-WV1", "Web Chat", "E-WV1-3", "2026-03-06 09:10:00"),
        ("lead L-WV2", "Web Chat", "E-WV2", "2026-03-02 08:10:00"),
        ("lead L-WV3", "Web Visit", "S-WV3-a", "2026-02-11 08:00:00"),
        ("lead L-WV3", "Web Chat", "E-WV3", "2026-03-05 08:10:00"),
        ("lead L-WV5A", "Web Chat", "E-WV5A", "2026-03-02 08:10:00"),
        ("lead L-WV5B", "Web Visit", "S-WV5-1", "2026-03-02 08:00:00"),
        ("lead L-WV5B", "Web Chat", "E-WV5B", "2026-03-03 08:10:00"),
        ("lead L-WV6", "Web Visit", "S-WV6-1", "2026-02-13 08:00:00"),
        ("lead L-WV6", "Web Chat", "E-WV6-2", "2026-03-04 08:10:00"),
    )
    assert suppressed(built, "touchpoint_type = 'Web Visit'", ("source_id",)) == []


def test_a_web_visit_takes_its_columns_from_the_session(built: Built) -> None:
    """Column sources (the rule book, "Buyer touchpoints"): landing/referrer/utm from the
    session; no chat columns, no form_page, no campaign_id; touchpoint_source = utm_source."""
    header = ("touchpoint_type", "session_id", "visitor_id", "email", "touchpoint_source",
              "medium", "campaign_name", "landing_page", "referrer_page", "form_page",
              "chat_event_id", "chat_conversation_id", "campaign_id", "channel", "subchannel",
              "marketing_channel_path")
    assert kept(built, "person = 'lead L-WV1'", header) == table(
        header,
        ("Web Visit", "S-WV1-1", "V-WV1", "one@visit.io", "linkedin", "social", "spring",
         "https://visit.io/home", "https://www.linkedin.com/feed", None, None, None, None,
         "Paid Social", "LinkedIn", "Paid Social.LinkedIn"),
        ("Web Chat", "S-WV1-2", "V-WV1", "one@visit.io", "Web Direct", None, None, None, None,
         "https://p/E-WV1-2", "E-WV1-2", "KE-WV1-2", None, "Other", "Other", "Other.Other"),
        ("Web Chat", "S-WV1-3", "V-WV1", "one@visit.io", "Web Direct", None, None, None, None,
         "https://p/E-WV1-3", "E-WV1-3", "KE-WV1-3", None, "Other", "Other", "Other.Other"),
    )


# =============================================================================================
# CRM Campaign (the rule book, "Touchpoint candidates") and chat campaigns after the
# integration ("Deduplication")
# =============================================================================================

CAMPAIGNS = [
    campaign("CP-ALL", "Webinar", "Include_All"),
    campaign("CP-RESP", "Webinar", "Include_Responded"),
    campaign("CP-EXCL", "Webinar", "Exclude_All"),
    campaign("CP-DATES", "Webinar", "Include_All", start="2026-01-10", end="2026-01-20"),
    campaign("CP-START", "Webinar", "Include_All", start="2026-01-10"),
    campaign("CP-END", "Webinar", "Include_All", end="2026-01-20"),
    campaign("CP-RESPD", "Webinar", "Include_Responded", start="2026-01-10", end="2026-01-20"),
    campaign("CP-TRADE", "Tradeshow", "Include_All"),
    campaign("CP-DEL", "Webinar", "Include_All", is_deleted="true"),
    # chat campaigns (chat_campaign_types = Chat, Drift Chat)
    campaign("CP-CHAT", "Chat", "Include_All", start="2026-01-01"),
    campaign("CP-CHAT2", "Drift Chat", "Include_Responded", end="2026-03-05"),
    campaign("CP-CHAT3", "Chat", "Include_All", end="2026-03-01"),
    campaign("CP-CHAT4", "Chat", "Include_All", end="2026-02-15"),
    campaign("CP-CHATX", "Chat", "Exclude_All", end="2026-02-01"),
]
with_t0({"crm_campaigns": CAMPAIGNS})

RESPONDED = with_t0({
    "crm_leads": [lead(f"L-R{i}", f"r{i}@camp.io") for i in range(1, 6)]
    + [lead(f"L-A{i}", f"a{i}@camp.io") for i in range(1, 3)],
    "crm_campaign_members": [
        member("M-R1", "CP-RESP", "2026-02-03T07:00:00Z", lead_id="L-R1", has_responded="true",
               buyer_touchpoint_at="2026-02-05T10:00:00Z", first_responded_at="2026-02-04"),
        member("M-R2", "CP-RESP", "2026-02-03T07:00:00Z", lead_id="L-R2", has_responded="TRUE",
               first_responded_at="2026-02-04T08:00:00Z"),
        member("M-R3", "CP-RESP", "2026-02-03T07:00:00Z", lead_id="L-R3", has_responded="1"),
        member("M-R4", "CP-RESP", "2026-02-03T07:00:00Z", lead_id="L-R4", has_responded="false",
               first_responded_at="2026-02-04T08:00:00Z"),
        member("M-R5", "CP-RESP", "2026-02-03T07:00:00Z", lead_id="L-R5", has_responded=""),
        # Include_All: responded or not; first_responded_at is not used
        member("M-A1", "CP-ALL", "2026-02-03T07:00:00Z", lead_id="L-A1", has_responded="false",
               first_responded_at="2026-02-04T08:00:00Z"),
        member("M-A2", "CP-ALL", "2026-02-03T07:00:00Z", lead_id="L-A2",
               buyer_touchpoint_at="2026-02-06T00:00:00Z", first_responded_at="2026-02-04"),
    ],
})


def test_campaign_touchpoint_date_and_responded_eligibility(built: Built) -> None:
    """CRM Campaign (the rule book, "Touchpoint candidates"): Include_Responded needs
    has_responded; touchpoint_at = buyer_touchpoint_at, else (Include_Responded only)
    first_responded_at, else created_at."""
    where = "source_id in ('M-R1', 'M-R2', 'M-R3', 'M-R4', 'M-R5', 'M-A1', 'M-A2')"
    assert kept(built, where, KEPT) == table(
        KEPT,
        ("CRM Campaign", "M-R1", "lead L-R1", "2026-02-05 10:00:00"),
        ("CRM Campaign", "M-R2", "lead L-R2", "2026-02-04 08:00:00"),
        ("CRM Campaign", "M-R3", "lead L-R3", "2026-02-03 07:00:00"),
        ("CRM Campaign", "M-A1", "lead L-A1", "2026-02-03 07:00:00"),
        ("CRM Campaign", "M-A2", "lead L-A2", "2026-02-06 00:00:00"),
    )
    assert suppressed(built, where, (*DROPPED, "person")) == table(
        (*DROPPED, "person"),
        ("CRM Campaign", "M-R4", "2026-02-04 08:00:00", "not_responded", "lead L-R4"),
        ("CRM Campaign", "M-R5", "2026-02-03 07:00:00", "not_responded", "lead L-R5"),
    )


CAMPAIGN_DATES = with_t0({
    "crm_leads": [lead(f"L-DT{i}", f"dt{i}@camp.io") for i in range(1, 12)],
    "crm_campaign_members": [
        # CP-DATES: start 2026-01-10 (inclusive), end 2026-01-20 (exclusive), on created_at
        member("M-DT1", "CP-DATES", "2026-01-10T00:00:00Z", lead_id="L-DT1"),
        member("M-DT2", "CP-DATES", "2026-01-09T23:59:59Z", lead_id="L-DT2"),
        member("M-DT3", "CP-DATES", "2026-01-19T23:59:59Z", lead_id="L-DT3"),
        member("M-DT4", "CP-DATES", "2026-01-20T00:00:00Z", lead_id="L-DT4"),
        member("M-DT5", "CP-DATES", "2026-01-15T00:00:00Z", lead_id="L-DT5",
               buyer_touchpoint_at="2026-01-25T00:00:00Z"),
        member("M-DT6", "CP-DATES", "2026-01-25T00:00:00Z", lead_id="L-DT6",
               buyer_touchpoint_at="2026-01-15T00:00:00Z"),
        member("M-DT7", "CP-DATES", "2026-01-10T01:00:00+02:00", lead_id="L-DT7"),  # 09 23:00Z
        # CP-START: start only
        member("M-DT8", "CP-START", "2026-01-09T12:00:00Z", lead_id="L-DT8"),
        member("M-DT9", "CP-START", "2026-06-01T12:00:00Z", lead_id="L-DT9"),
        # CP-END: end only
        member("M-DT10", "CP-END", "2025-01-01T12:00:00Z", lead_id="L-DT10"),
        member("M-DT11", "CP-END", "2026-01-20T00:00:00Z", lead_id="L-DT11"),
    ],
})


def test_campaign_dates_bound_created_at(built: Built) -> None:
    """created_at on or after touchpoint_start_date and before touchpoint_end_date (midnight
    UTC, each bound optional); otherwise outside_campaign_dates (the rule book, "Touchpoint
    candidates")."""
    assert kept(built, "source_id like 'M-DT%'", KEPT) == table(
        KEPT,
        ("CRM Campaign", "M-DT1", "lead L-DT1", "2026-01-10 00:00:00"),
        ("CRM Campaign", "M-DT3", "lead L-DT3", "2026-01-19 23:59:59"),
        ("CRM Campaign", "M-DT5", "lead L-DT5", "2026-01-25 00:00:00"),
        ("CRM Campaign", "M-DT9", "lead L-DT9", "2026-06-01 12:00:00"),
        ("CRM Campaign", "M-DT10", "lead L-DT10", "2025-01-01 12:00:00"),
    )
    assert suppressed(built, "source_id like 'M-DT%'", DROPPED) == table(
        DROPPED,
        ("CRM Campaign", "M-DT2", "2026-01-09 23:59:59", "outside_campaign_dates"),
        ("CRM Campaign", "M-DT4", "2026-01-20 00:00:00", "outside_campaign_dates"),
        ("CRM Campaign", "M-DT6", "2026-01-15 00:00:00", "outside_campaign_dates"),
        ("CRM Campaign", "M-DT7", "2026-01-09 23:00:00", "outside_campaign_dates"),
        ("CRM Campaign", "M-DT8", "2026-01-09 12:00:00", "outside_campaign_dates"),
        ("CRM Campaign", "M-DT11", "2026-01-20 00:00:00", "outside_campaign_dates"),
    )


DUPLICATE_MEMBERSHIPS = with_t0({
    "crm_leads": [
        lead("L-DUP1", "dup1@camp.io"), lead("L-DUP2", "dup2@camp.io"),
        lead("L-DUP3", "dup3@camp.io", is_converted="true", converted_contact_id="C-DUP3"),
    ],
    "crm_contacts": [contact("C-DUP3", "dup3@camp.io")],
    "crm_campaign_members": [
        member("M-DUP1-2", "CP-ALL", "2026-02-01T00:00:00Z", lead_id="L-DUP1"),
        member("M-DUP1-1", "CP-ALL", "2026-02-02T00:00:00Z", lead_id="L-DUP1"),
        member("M-DUP2-b", "CP-ALL", "2026-02-01T00:00:00Z", lead_id="L-DUP2"),
        member("M-DUP2-a", "CP-ALL", "2026-02-01T00:00:00Z", lead_id="L-DUP2"),
        # both a lead and a contact: the contact wins; then the contact is in twice
        member("M-DUP3-1", "CP-ALL", "2026-02-01T00:00:00Z", lead_id="L-DUP3",
               contact_id="C-DUP3"),
        member("M-DUP3-2", "CP-ALL", "2026-02-02T00:00:00Z", contact_id="C-DUP3"),
    ],
})


def test_duplicate_memberships_keep_the_earliest_then_the_smallest_id(built: Built) -> None:
    """One per person per campaign: the earliest created_at, then the smallest id (the rule
    book, "Touchpoint candidates")."""
    assert kept(built, "source_id like 'M-DUP%'", KEPT) == table(
        KEPT,
        ("CRM Campaign", "M-DUP1-2", "lead L-DUP1", "2026-02-01 00:00:00"),
        ("CRM Campaign", "M-DUP2-a", "lead L-DUP2", "2026-02-01 00:00:00"),
        ("CRM Campaign", "M-DUP3-1", "contact C-DUP3", "2026-02-01 00:00:00"),
    )
    assert suppressed(built, "source_id like 'M-DUP%'", DROPPED) == table(
        DROPPED,
        ("CRM Campaign", "M-DUP1-1", "2026-02-02 00:00:00", "duplicate_membership"),
        ("CRM Campaign", "M-DUP2-b", "2026-02-01 00:00:00", "duplicate_membership"),
        ("CRM Campaign", "M-DUP3-2", "2026-02-02 00:00:00", "duplicate_membership"),
    )


CAMPAIGN_PRECEDENCE = with_t0({
    "crm_leads": [
        lead("L-PDEL", "pdel@camp.io", is_deleted="true"),
        lead("L-PX", "px@camp.io"), lead("L-PR2", "pr2@camp.io"), lead("L-PRD", "prd@camp.io"),
        lead("L-PCX", "pcx@camp.io"), lead("L-PCO", "pco@camp.io"),
        lead("L-PC7", "pc7@camp.io"),
    ],
    "crm_campaign_members": [
        # unknown person, twice in the campaign
        member("M-P-GH1", "CP-ALL", "2026-02-01T00:00:00Z", lead_id="L-PGHOST"),
        member("M-P-GH2", "CP-ALL", "2026-02-02T00:00:00Z", lead_id="L-PGHOST"),
        # deleted person
        member("M-P-DEL", "CP-ALL", "2026-02-01T00:00:00Z", lead_id="L-PDEL"),
        # Exclude_All, twice
        member("M-P-X1", "CP-EXCL", "2026-02-01T00:00:00Z", lead_id="L-PX"),
        member("M-P-X2", "CP-EXCL", "2026-02-02T00:00:00Z", lead_id="L-PX"),
        # the earliest membership did not respond; the later one did
        member("M-P-R1", "CP-RESP", "2026-02-01T00:00:00Z", lead_id="L-PR2",
               has_responded="false"),
        member("M-P-R2", "CP-RESP", "2026-02-02T00:00:00Z", lead_id="L-PR2",
               has_responded="true"),
        # not responded and outside the campaign dates
        member("M-P-RD", "CP-RESPD", "2026-02-25T00:00:00Z", lead_id="L-PRD",
               has_responded="false"),
        # chat campaign, Exclude_All, touchpoint after t0
        member("M-P-CX", "CP-CHATX", "2026-01-15T00:00:00Z", lead_id="L-PCX",
               buyer_touchpoint_at="2026-03-02T00:00:00Z"),
        # chat campaign, added before its start date, touchpoint after t0
        member("M-P-CO", "CP-CHAT", "2025-12-15T00:00:00Z", lead_id="L-PCO",
               buyer_touchpoint_at="2026-03-10T00:00:00Z"),
        # chat campaign, not responded, after t0
        member("M-P-C7", "CP-CHAT2", "2026-03-02T00:00:00Z", lead_id="L-PC7",
               has_responded="false"),
    ],
})


def test_campaign_reasons_follow_the_precedence_order(built: Built) -> None:
    """CRM Campaign (the rule book, "Deduplication", One reason per candidate):
    no_known_person, duplicate_membership, campaign_excluded, not_responded,
    outside_campaign_dates, chat_campaign_after_web_chat_enabled. lead_id and contact_id of
    these rows are checked below."""
    header = ("source_id", "campaign_id", "suppression_reason")
    assert kept(built, "source_id like 'M-P-%'", KEPT) == []
    assert suppressed(built, "source_id like 'M-P-%'", header) == table(
        header,
        ("M-P-GH1", "CP-ALL", "no_known_person"),
        ("M-P-GH2", "CP-ALL", "no_known_person"),
        ("M-P-DEL", "CP-ALL", "no_known_person"),
        ("M-P-X1", "CP-EXCL", "campaign_excluded"),
        ("M-P-X2", "CP-EXCL", "duplicate_membership"),
        ("M-P-R1", "CP-RESP", "not_responded"),
        ("M-P-R2", "CP-RESP", "duplicate_membership"),
        ("M-P-RD", "CP-RESPD", "not_responded"),
        ("M-P-CX", "CP-CHATX", "campaign_excluded"),
        ("M-P-CO", "CP-CHAT", "outside_campaign_dates"),
        ("M-P-C7", "CP-CHAT2", "not_responded"),
    )


def test_a_suppressed_member_names_its_person_and_null_when_unknown(built: Built) -> None:
    """lead_id/contact_id are the member's record, null when unknown (the rule book,
    "People")."""
    header = ("source_id", "lead_id", "contact_id")
    where = "source_id in ('M-P-GH1', 'M-P-X1', 'M-DUP3-2')"
    assert suppressed(built, where, header) == table(
        header,
        ("M-P-GH1", None, None),
        ("M-P-X1", "L-PX", None),
        ("M-DUP3-2", None, "C-DUP3"),
    )


NOT_CANDIDATES = with_t0({
    "crm_leads": [lead("L-NC", "nc@camp.io")],
    "crm_campaign_members": [
        member("M-NC-UNKNOWN", "CP-NOPE", "2026-02-01T00:00:00Z", lead_id="L-NC"),
        member("M-NC-DELETED", "CP-DEL", "2026-02-01T00:00:00Z", lead_id="L-NC"),
    ],
})


def test_a_member_of_an_unknown_or_deleted_campaign_is_not_a_candidate(built: Built) -> None:
    """Not a candidate at all: neither kept nor suppressed (the rule book, "Touchpoint
    candidates")."""
    assert kept(built, "source_id like 'M-NC-%'", KEPT) == []
    assert suppressed(built, "source_id like 'M-NC-%'", DROPPED) == []


CHAT_CAMPAIGN_CUT = with_t0({
    "crm_leads": [lead(f"L-C{i}", f"c{i}@chatcamp.io") for i in range(1, 11)],
    "crm_campaign_members": [
        # CP-CHAT (Chat, Include_All, from 2026-01-01, no end date)
        member("M-C1", "CP-CHAT", "2026-03-05T00:00:00Z", lead_id="L-C1",
               buyer_touchpoint_at="2026-02-25T00:00:00Z"),   # added after t0, touch before
        member("M-C2", "CP-CHAT", "2026-02-20T00:00:00Z", lead_id="L-C2"),
        member("M-C3", "CP-CHAT", "2026-02-20T00:00:00Z", lead_id="L-C3",
               buyer_touchpoint_at="2026-03-01T12:00:00Z"),   # touch exactly at t0
        member("M-C4", "CP-CHAT", "2026-03-02T00:00:00Z", lead_id="L-C4"),
        member("M-C5", "CP-CHAT", "2026-03-01T11:59:59.999999Z", lead_id="L-C5"),
        # CP-CHAT2 (Drift Chat, Include_Responded, until 2026-03-05)
        member("M-C6", "CP-CHAT2", "2026-03-01T13:00:00Z", lead_id="L-C6", has_responded="true",
               first_responded_at="2026-03-02T00:00:00Z"),
        # CP-CHAT3 (Chat, until 2026-03-01): added before its end, touch after t0
        member("M-C8", "CP-CHAT3", "2026-02-27T00:00:00Z", lead_id="L-C8",
               buyer_touchpoint_at="2026-03-02T00:00:00Z"),
        # CP-CHAT4 (Chat, until 2026-02-15)
        member("M-C9", "CP-CHAT4", "2026-02-01T00:00:00Z", lead_id="L-C9"),
        # not a chat campaign
        member("M-C10", "CP-ALL", "2026-03-05T00:00:00Z", lead_id="L-C10"),
    ],
})


def test_chat_campaigns_are_cut_at_t0_on_the_touchpoint_date(built: Built) -> None:
    """A chat campaign's candidate with touchpoint_at >= t0 is suppressed; the cut is on
    touchpoint_at, not created_at; other campaign types are not cut (the rule book,
    "Deduplication", Chat campaigns after the integration)."""
    assert kept(built, "regexp_matches(source_id, '^M-C[0-9]+$')", KEPT) == table(
        KEPT,
        ("CRM Campaign", "M-C1", "lead L-C1", "2026-02-25 00:00:00"),
        ("CRM Campaign", "M-C2", "lead L-C2", "2026-02-20 00:00:00"),
        ("CRM Campaign", "M-C5", "lead L-C5", "2026-03-01 11:59:59.999999"),
        ("CRM Campaign", "M-C9", "lead L-C9", "2026-02-01 00:00:00"),
        ("CRM Campaign", "M-C10", "lead L-C10", "2026-03-05 00:00:00"),
    )
    assert suppressed(built, "regexp_matches(source_id, '^M-C[0-9]+$')", DROPPED) == table(
        DROPPED,
        ("CRM Campaign", "M-C3", "2026-03-01 12:00:00", "chat_campaign_after_web_chat_enabled"),
        ("CRM Campaign", "M-C4", "2026-03-02 00:00:00", "chat_campaign_after_web_chat_enabled"),
        ("CRM Campaign", "M-C6", "2026-03-02 00:00:00", "chat_campaign_after_web_chat_enabled"),
        ("CRM Campaign", "M-C8", "2026-03-02 00:00:00", "chat_campaign_after_web_chat_enabled"),
    )


# =============================================================================================
# CRM Activity (the rule book, "Touchpoint candidates"): activity rules ("Configuration") and
# chat tasks after the integration ("Deduplication")
# =============================================================================================

ACTIVITY_MATCHING = with_t0({
    "crm_leads": [lead("L-AR", "ar@act.io")],
    "crm_contacts": [contact("C-AR", "arc@act.io")],
    "crm_tasks": [
        # rule 2 group 1: task_type equals 'call' AND subject starts_with 'pricing'
        task("T-AR-AND", "L-AR", "PRICING question", "Call", "2026-02-01T09:00:00Z",
             "2026-02-10"),
        task("T-AR-AND-NO1", "L-AR", "Quick check-in", "Call", "2026-02-01T09:00:00Z",
             "2026-02-10"),
        task("T-AR-AND-NO2", "L-AR", "Pricing sheet", "Email", "2026-02-01T09:00:00Z",
             "2026-02-10"),
        # rule 2 group 2 (OR): subject ends_with 'demo booked'
        task("T-AR-OR", "C-AR", "Intro - Demo BOOKED", "Email", "2026-02-01T09:00:00Z",
             "2026-02-11"),
        # rule 3 matches_any 'webinar*, *follow-up*,exact thing, promo_2026*, sign*up'
        task("T-AR-MA1", "L-AR", "WEBINAR recording", "Email", "2026-02-02T09:00:00Z"),
        task("T-AR-MA2", "L-AR", "Sent Follow-Up email", "Email", "2026-02-02T09:00:00Z"),
        task("T-AR-MA3", "L-AR", "Exact Thing", "Email", "2026-02-02T09:00:00Z"),
        task("T-AR-MA-NO1", "L-AR", "exact thing plus", "Email", "2026-02-02T09:00:00Z"),
        task("T-AR-MA-NO2", "L-AR", "my webinar", "Email", "2026-02-02T09:00:00Z"),
        task("T-AR-MA4", "L-AR", "PROMO_2026 spring", "Email", "2026-02-02T09:00:00Z"),
        task("T-AR-MA-NO3", "L-AR", "promoX2026 spring", "Email", "2026-02-02T09:00:00Z"),
        task("T-AR-MA5", "L-AR", "Sign me up", "Email", "2026-02-02T09:00:00Z"),
        task("T-AR-MA-NO4", "L-AR", "Sign me up now", "Email", "2026-02-02T09:00:00Z"),
        # rule 4 equals "O'Brien call"
        task("T-AR-Q", "L-AR", "o'brien CALL", "Other", "2026-02-03T09:00:00Z"),
        task("T-AR-Q-NO", "L-AR", "OBrien call", "Other", "2026-02-03T09:00:00Z"),
        # rule 5 equals "x'; drop table raw.crm_tasks; --": matched literally, inert
        task("T-AR-INJ", "L-AR", "x'; drop table raw.crm_tasks; --", "Other",
             "2026-02-04T09:00:00Z"),
        task("T-AR-INJ-NO", "L-AR", "x", "Other", "2026-02-04T09:00:00Z"),
        # rule 6 contains '100%_off': % and _ are plain characters
        task("T-AR-PCT", "L-AR", "Get 100%_OFF today", "Other", "2026-02-05T09:00:00Z"),
        task("T-AR-PCT-NO", "L-AR", "Get 100x-off today", "Other", "2026-02-05T09:00:00Z"),
        # rules 1, 3 and 8 match: the smallest rule_id (1) wins
        task("T-AR-MULTI", "L-AR", "Drift chat follow-up", "Other", "2026-02-06T09:00:00Z"),
        # rules 3 and 8 match: 3 wins
        task("T-AR-MULTI2", "L-AR", "webinar chat", "Other", "2026-02-06T09:00:00Z"),
        # rule 8 only
        task("T-AR-ONLY8", "L-AR", "random chat", "Other", "2026-02-06T09:00:00Z"),
    ],
})


def test_activity_rules_match_tasks_and_the_smallest_rule_wins(built: Built) -> None:
    """activity_rules (the rule book, "Configuration"): AND within a group, OR across groups;
    equals / contains / starts_with / ends_with / matches_any with `*`; case-insensitive; values
    are data. "Touchpoint candidates": the smallest rule_id wins; touchpoint_at = the rule's
    date_field; a task matching no rule is no candidate."""
    header = ("source_id", "person", "activity_rule_id", "campaign_name", "medium",
              "touchpoint_at")
    assert kept(built, "source_id like 'T-AR-%'", header) == table(
        header,
        ("T-AR-AND", "lead L-AR", 2, "Sales Calls", "Call", "2026-02-10 00:00:00"),
        ("T-AR-OR", "contact C-AR", 2, "Sales Calls", "Email", "2026-02-11 00:00:00"),
        ("T-AR-MA1", "lead L-AR", 3, "Nurture", "Email", "2026-02-02 09:00:00"),
        ("T-AR-MA2", "lead L-AR", 3, "Nurture", "Email", "2026-02-02 09:00:00"),
        ("T-AR-MA3", "lead L-AR", 3, "Nurture", "Email", "2026-02-02 09:00:00"),
        ("T-AR-MA4", "lead L-AR", 3, "Nurture", "Email", "2026-02-02 09:00:00"),
        ("T-AR-MA5", "lead L-AR", 3, "Nurture", "Email", "2026-02-02 09:00:00"),
        ("T-AR-Q", "lead L-AR", 4, "Named Calls", "Other", "2026-02-03 09:00:00"),
        ("T-AR-INJ", "lead L-AR", 5, "Injection Test", "Other", "2026-02-04 09:00:00"),
        ("T-AR-PCT", "lead L-AR", 6, "Promo", "Other", "2026-02-05 09:00:00"),
        ("T-AR-MULTI", "lead L-AR", 1, "Drift Chats", "Other", "2026-02-06 09:00:00"),
        ("T-AR-MULTI2", "lead L-AR", 3, "Nurture", "Other", "2026-02-06 09:00:00"),
        ("T-AR-ONLY8", "lead L-AR", 8, "Chat Misc", "Other", "2026-02-06 09:00:00"),
    )
    assert suppressed(built, "source_id like 'T-AR-%'", DROPPED) == []


def test_a_value_holding_sql_is_inert(built: Built) -> None:
    """A quote or other SQL in `value` must not change the generated SQL (the rule book,
    "Configuration": values are data)."""
    assert built.success, built.failures
    assert built.rows("select count(*) as n from raw.crm_tasks where task_id like 'T-AR-%'") == [
        {"n": 22}
    ]


ACTIVITY_CUT = with_t0({
    "crm_leads": [lead("L-CUT", "cut@act.io"), lead("L-CUT-DEL", "del@act.io", is_deleted="1")],
    "crm_tasks": [
        # rule 1 (tracks_web_chat, date_field created_at)
        task("T-CUT1", "L-CUT", "Drift chat transcript", "Chat", "2026-03-01T11:59:59Z"),
        task("T-CUT2", "L-CUT", "Drift chat transcript", "Chat", "2026-03-01T12:00:00Z"),
        # rule 7 (tracks_web_chat, date_field activity_date): the cut is on created_at
        task("T-CUT3", "L-CUT", "Live chat recap", "Chat", "2026-03-02T09:00:00Z", "2026-02-20"),
        task("T-CUT4", "L-CUT", "Live chat recap", "Chat", "2026-02-28T10:00:00Z", "2026-03-05"),
        # rule 2 (not tracking web chat): never cut
        task("T-CUT5", "L-CUT", "Pricing call", "Call", "2026-03-05T10:00:00Z", "2026-03-05"),
        # unknown / deleted person, rule 1 after t0: no_known_person first
        task("T-CUT6", "L-CUT-NOBODY", "Drift chat", "Chat", "2026-03-02T09:00:00Z"),
        task("T-CUT7", "L-CUT-DEL", "Drift chat", "Chat", "2026-03-02T09:00:00Z"),
    ],
})


def test_chat_activity_rules_are_cut_at_t0_on_created_at(built: Built) -> None:
    """A task of a tracks_web_chat rule with created_at >= t0 is suppressed, always on
    created_at whatever the date_field; no_known_person comes first (the rule book,
    "Deduplication": Chat tasks after the integration, One reason per candidate)."""
    header = ("source_id", "activity_rule_id", "touchpoint_at")
    assert kept(built, "source_id like 'T-CUT%'", header) == table(
        header,
        ("T-CUT1", 1, "2026-03-01 11:59:59"),
        ("T-CUT4", 7, "2026-03-05 00:00:00"),
        ("T-CUT5", 2, "2026-03-05 00:00:00"),
    )
    header = ("touchpoint_type", "source_id", "activity_rule_id", "touchpoint_at",
              "suppression_reason")
    assert suppressed(built, "source_id like 'T-CUT%'", header) == table(
        header,
        ("CRM Activity", "T-CUT2", 1, "2026-03-01 12:00:00",
         "chat_activity_after_web_chat_enabled"),
        ("CRM Activity", "T-CUT3", 7, "2026-02-20 00:00:00",
         "chat_activity_after_web_chat_enabled"),
        ("CRM Activity", "T-CUT6", 1, "2026-03-02 09:00:00", "no_known_person"),
        ("CRM Activity", "T-CUT7", 1, "2026-03-02 09:00:00", "no_known_person"),
    )


def test_a_suppressed_task_names_its_person_and_null_when_unknown(built: Built) -> None:
    """For a task, lead_id/contact_id are the task's record, null when unknown (the rule
    book, "People")."""
    header = ("source_id", "crm_task_id", "lead_id", "contact_id", "campaign_id")
    assert suppressed(built, "source_id in ('T-CUT2', 'T-CUT6')", header) == table(
        header,
        ("T-CUT2", "T-CUT2", "L-CUT", None, None),
        ("T-CUT6", "T-CUT6", None, None, None),
    )


# =============================================================================================
# audit.chat_configuration_findings (the rule book, "Deduplication")
# =============================================================================================


def test_findings_list_chat_campaigns_to_end_and_chat_activity_rules(built: Built) -> None:
    """What the admin should change (the rule book, "Deduplication"): chat_campaign_end_date
    for a chat campaign whose end date is empty or later than the date of t0 (not CP-CHAT3:
    equal; not CP-CHAT4 / CP-CHATX: earlier); chat_activity_rule for each tracks_web_chat rule;
    suppressed_touchpoints counts the chat cut-offs (CP-CHAT: M-C3, M-C4; CP-CHAT2: M-C6;
    rule 1: T-CUT2; rule 7: T-CUT3); in cutover mode (the default) unmatched_chat_touchpoints
    counts the chat cut-offs that no kept Web Chat of the same person stands beside: all six
    (M-C3, M-C4, M-C6, M-C8, T-CUT2, T-CUT3)."""
    assert built.success, built.failures
    rows = built.rows("select * from audit.chat_configuration_findings")
    assert rows
    assert set(rows[0]) == {
        "finding_type", "campaign_id", "activity_rule_id", "configured_end_date",
        "recommended_end_date", "suppressed_touchpoints", "recommendation",
    }
    assert all(isinstance(r["recommendation"], str) and r["recommendation"].strip()
               for r in rows)
    header = ("finding_type", "campaign_id", "activity_rule_id", "configured_end_date",
              "recommended_end_date", "suppressed_touchpoints")
    assert sorted_rows(rows, header) == table(
        header,
        ("chat_campaign_end_date", "CP-CHAT", None, None, "2026-03-01", 2),
        ("chat_campaign_end_date", "CP-CHAT2", None, "2026-03-05", "2026-03-01", 1),
        ("chat_activity_rule", None, 1, None, "2026-03-01", 1),
        ("chat_activity_rule", None, 7, None, "2026-03-01", 1),
        ("unmatched_chat_touchpoints", None, None, None, None, 6),
    )


# =============================================================================================
# Shared e-mails, converted leads, lead-to-account matching (the rule book, "People")
# =============================================================================================

SHARED_EMAIL = with_t0({
    "crm_accounts": [account("A-SH", "https://shared.io")],
    "crm_leads": [lead("L-SH", "sam@shared.io")],
    "crm_contacts": [contact("C-SH", " Sam@Shared.io ", account_id="A-SH")],
    "web_sessions": [
        session("S-SH-0", "V-SH", "2026-02-01T09:00:00Z"),
        session("S-SH", "V-SH", "2026-03-02T09:00:00Z"),
    ],
    "drift_chat_events": [chat("E-SH", "S-SH", "2026-03-02T09:05:00Z", "sam@shared.io")],
})


def test_a_chat_belongs_to_every_lead_and_contact_with_its_email(built: Built) -> None:
    """Web touchpoints belong to every lead and contact record with that e-mail, one row each,
    under one candidate (the rule book, "People")."""
    header = ("source_id", "lead_id", "contact_id", "account_id", "email")
    assert kept(built, "source_id in ('E-SH', 'S-SH-0')", header) == table(
        header,
        ("E-SH", "L-SH", None, "A-SH", "sam@shared.io"),
        ("E-SH", None, "C-SH", "A-SH", "sam@shared.io"),
        ("S-SH-0", "L-SH", None, "A-SH", "sam@shared.io"),  # the Web Visit
        ("S-SH-0", None, "C-SH", "A-SH", "sam@shared.io"),
    )
    rows = built.rows("select distinct user_touchpoint_id from marts.fct_touchpoints "
                      "where chat_event_id = 'E-SH'")
    assert len(rows) == 1


CONVERTED = with_t0({
    "crm_leads": [
        lead("L-CV1", "cv1@conv.io", is_converted="true", converted_contact_id="C-CV1"),
        lead("L-CV2", "old@conv2.io", is_converted="true", converted_contact_id="C-CV2"),
    ],
    "crm_contacts": [contact("C-CV1", "cv1@conv.io"), contact("C-CV2", "new@conv2.io")],
    "web_sessions": [
        session("S-CV1", "V-CV1", "2026-03-02T09:00:00Z"),
        session("S-CV2", "V-CV2", "2026-03-02T09:00:00Z"),
        session("S-CV3", "V-CV3", "2026-03-02T09:00:00Z"),
    ],
    "drift_chat_events": [
        chat("E-CV1", "S-CV1", "2026-03-02T09:05:00Z", "cv1@conv.io"),
        chat("E-CV2", "S-CV2", "2026-03-02T09:05:00Z", "old@conv2.io"),
        chat("E-CV3", "S-CV3", "2026-03-02T09:05:00Z", "new@conv2.io"),
    ],
    "crm_campaign_members": [
        member("M-CV1", "CP-ALL", "2026-02-01T00:00:00Z", lead_id="L-CV1"),
        member("M-CV2", "CP-TRADE", "2026-02-01T00:00:00Z", lead_id="L-CV1",
               contact_id="C-CV1"),
    ],
    "crm_tasks": [task("T-CV1", "L-CV1", "Webinar invite", "Email", "2026-02-01T00:00:00Z")],
})


def test_a_converted_leads_touchpoints_also_reach_its_contact_once(built: Built) -> None:
    """A converted lead's touchpoints also belong to its converted_contact_id; a record
    receives each touchpoint once; a member with a lead and a contact belongs to the contact
    (the rule book, "People")."""
    header = ("source_id", "person")
    assert kept(built, "source_id like '%-CV%'", header) == table(
        header,
        ("E-CV1", "lead L-CV1"), ("E-CV1", "contact C-CV1"),
        ("E-CV2", "lead L-CV2"), ("E-CV2", "contact C-CV2"),
        ("E-CV3", "contact C-CV2"),
        ("M-CV1", "lead L-CV1"), ("M-CV1", "contact C-CV1"),
        ("M-CV2", "contact C-CV1"),
        ("T-CV1", "lead L-CV1"), ("T-CV1", "contact C-CV1"),
    )


ACCOUNT_MATCHING = with_t0({
    "crm_accounts": [
        account("A-M1", "https://www.MatchCo.com/about"),
        account("A-SUB", "subco.com"),
        account("A-SUB2", "eu.sub2co.com"),
        account("A-T9", "tieco.com"),
        account("A-T10", "http://www.tieco.com/"),
        account("A-D1", "delco.com", is_deleted="true"),
        account("A-D2", "www.delco.com"),
    ],
    "crm_leads": [
        lead("L-AM1", "x@MatchCo.com"),
        lead("L-AM2", "y@eu.subco.com"),
        lead("L-AM3", "z@sub2co.com"),
        lead("L-AM4", "w@tieco.com"),
        lead("L-AM5", "v@delco.com"),
        lead("L-AM6", "u@nomatch.org"),
    ],
    "crm_contacts": [contact("C-AM7", "c@elsewhere.io", account_id="A-M1")],
    "crm_tasks": [
        task(f"T-AM{i}", who, "Webinar registration", "Email", "2026-02-01T00:00:00Z")
        for i, who in enumerate(["L-AM1", "L-AM2", "L-AM3", "L-AM4", "L-AM5", "L-AM6", "C-AM7"],
                                start=1)
    ],
})


def test_a_leads_account_is_the_account_whose_website_host_is_its_email_domain(
    built: Built,
) -> None:
    """Lead-to-account matching (the rule book, "People"): host lower-cased without a leading
    `www.`, equal to the e-mail domain (no subdomain match); several: the smallest account_id as
    text; deleted accounts take no part. A contact's account is its account_id."""
    header = ("person", "account_id")
    assert kept(built, "source_id like 'T-AM%'", header) == table(
        header,
        ("lead L-AM1", "A-M1"),
        ("lead L-AM2", None),
        ("lead L-AM3", None),
        ("lead L-AM4", "A-T10"),
        ("lead L-AM5", "A-D2"),
        ("lead L-AM6", None),
        ("contact C-AM7", "A-M1"),
    )


# =============================================================================================
# Channels (the rule book, "Channels")
# =============================================================================================

CHANNELS = with_t0({
    "crm_leads": [lead("L-CH", "chan@chan.io")],
    "web_sessions": [
        session("S-CH-PRIO", "V-CH-1", "2026-03-02T09:00:00Z", utm_source="google",
                utm_medium="cpc", utm_campaign="brand-2026"),
        session("S-CH-ALT", "V-CH-2", "2026-03-02T09:00:00Z", utm_source="GOOGLE.com",
                utm_medium="PPC"),
        session("S-CH-AND", "V-CH-3", "2026-03-02T09:00:00Z", utm_source="bing",
                utm_medium="email"),
        session("S-CH-ENDS", "V-CH-4", "2026-03-02T09:00:00Z", utm_medium="Email",
                utm_campaign="March-NEWS"),
        session("S-CH-CONT", "V-CH-5", "2026-03-02T09:00:00Z", utm_source="www.LinkedIn.com"),
        session("S-CH-REF", "V-CH-6", "2026-03-02T09:00:00Z",
                referrer_url="https://www.Bing.com/search?q=chat"),
        session("S-CH-REF2", "V-CH-7", "2026-03-02T09:00:00Z",
                referrer_url="https://duckduckgo.com/?q=bing.com"),
        session("S-CH-LAND", "V-CH-8", "2026-03-02T09:00:00Z",
                landing_page_url="https://chan.io/Partners/acme?x=1"),
        session("S-CH-ANY", "V-CH-9", "2026-03-02T09:00:00Z", utm_source="newsletter-xyz",
                utm_medium="display"),
        session("S-CH-NONE", "V-CH-10", "2026-03-02T09:00:00Z", utm_source="unknown-src",
                utm_medium="other"),
        session("S-CH-DIRECT", "V-CH-11", "2026-03-02T09:00:00Z"),
        session("S-CH-US", "V-CH-12", "2026-03-02T09:00:00Z", utm_campaign="Q1_PROMO-b"),
        session("S-CH-US2", "V-CH-13", "2026-03-02T09:00:00Z", utm_campaign="q1xpromo-a"),
    ],
    "drift_chat_events": [
        chat(f"E-{s[2:]}", s, "2026-03-02T09:05:00Z", "chan@chan.io")
        for s in ["S-CH-PRIO", "S-CH-ALT", "S-CH-AND", "S-CH-ENDS", "S-CH-CONT", "S-CH-REF",
                  "S-CH-REF2", "S-CH-LAND", "S-CH-ANY", "S-CH-NONE", "S-CH-DIRECT", "S-CH-US",
                  "S-CH-US2"]
    ],
})


def test_web_touchpoints_take_the_first_matching_channel_rule(built: Built) -> None:
    """channel_rules (the rule book, "Channels" and "Configuration"): ascending priority (5
    before 10); every non-empty pattern must match; `x`, `x*`, `*x`, `*x*`, `*`, `;`
    alternatives; case-insensitive; `_` is a plain character; referrer = host name; no match:
    Other/Other. "Buyer touchpoints": touchpoint_source = utm_source, else `Web Direct`."""
    header = ("source_id", "touchpoint_source", "medium", "campaign_name", "channel",
              "subchannel", "marketing_channel_path")
    assert kept(built, "source_id like 'E-CH-%'", header) == table(
        header,
        ("E-CH-PRIO", "google", "cpc", "brand-2026", "Paid Search", "Brand",
         "Paid Search.Brand"),
        ("E-CH-ALT", "GOOGLE.com", "PPC", None, "Paid Search", "Google", "Paid Search.Google"),
        ("E-CH-AND", "bing", "email", None, "Other", "Other", "Other.Other"),
        ("E-CH-ENDS", "Web Direct", "Email", "March-NEWS", "Email", "Newsletter",
         "Email.Newsletter"),
        ("E-CH-CONT", "www.LinkedIn.com", None, None, "Paid Social", "LinkedIn",
         "Paid Social.LinkedIn"),
        ("E-CH-REF", "Web Direct", None, None, "Organic Search", "Bing", "Organic Search.Bing"),
        ("E-CH-REF2", "Web Direct", None, None, "Organic Search", "DuckDuckGo",
         "Organic Search.DuckDuckGo"),
        ("E-CH-LAND", "Web Direct", None, None, "Referral", "Partner", "Referral.Partner"),
        ("E-CH-ANY", "newsletter-xyz", "display", None, "Display", "Any", "Display.Any"),
        ("E-CH-NONE", "unknown-src", "other", None, "Other", "Other", "Other.Other"),
        ("E-CH-DIRECT", "Web Direct", None, None, "Other", "Other", "Other.Other"),
        ("E-CH-US", "Web Direct", None, "Q1_PROMO-b", "Promo", "Q1", "Promo.Q1"),
        ("E-CH-US2", "Web Direct", None, "q1xpromo-a", "Other", "Other", "Other.Other"),
    )


def test_a_web_chat_takes_landing_and_referrer_pages_from_its_session(built: Built) -> None:
    header = ("source_id", "landing_page", "referrer_page", "form_page", "session_id")
    assert kept(built, "source_id in ('E-CH-REF', 'E-CH-LAND')", header) == table(
        header,
        ("E-CH-REF", None, "https://www.Bing.com/search?q=chat", "https://p/E-CH-REF",
         "S-CH-REF"),
        ("E-CH-LAND", "https://chan.io/Partners/acme?x=1", None, "https://p/E-CH-LAND",
         "S-CH-LAND"),
    )


def test_crm_activities_are_mapped_with_the_rules_campaign_and_task_type(built: Built) -> None:
    """CRM Activity (the rule book, "Channels"): channel_rules with utm_campaign = the rule's
    campaign_name and utm_medium = task_type (T-AR-AND: Sales Calls/Call -> Sales; T-AR-OR:
    Sales Calls/Email -> no match). "Buyer touchpoints": no campaign_id; touchpoint_source
    `CRM Activity`."""
    header = ("source_id", "touchpoint_type", "touchpoint_source", "campaign_id",
              "campaign_name", "medium", "channel", "subchannel", "marketing_channel_path",
              "session_id", "chat_event_id", "campaign_member_id", "crm_task_id")
    where = "source_id in ('T-AR-AND', 'T-AR-OR', 'T-AR-MULTI', 'T-AR-MA1')"
    assert kept(built, where, header) == table(
        header,
        ("T-AR-AND", "CRM Activity", "CRM Activity", None, "Sales Calls", "Call", "Sales",
         "Calls", "Sales.Calls", None, None, None, "T-AR-AND"),
        ("T-AR-OR", "CRM Activity", "CRM Activity", None, "Sales Calls", "Email", "Other",
         "Other", "Other.Other", None, None, None, "T-AR-OR"),
        ("T-AR-MULTI", "CRM Activity", "CRM Activity", None, "Drift Chats", "Other", "Chat",
         "Legacy Drift", "Chat.Legacy Drift", None, None, None, "T-AR-MULTI"),
        ("T-AR-MA1", "CRM Activity", "CRM Activity", None, "Nurture", "Email", "Other",
         "Other", "Other.Other", None, None, None, "T-AR-MA1"),
    )


def test_crm_campaigns_are_mapped_by_offline_channels_on_campaign_type(built: Built) -> None:
    """CRM Campaign (the rule book, "Channels"): offline_channels on campaign_type; an unmapped
    type gets Other/Other. "Buyer touchpoints": campaign_id, campaign_name, medium =
    campaign_type, touchpoint_source `CRM Campaign`."""
    header = ("source_id", "touchpoint_source", "campaign_id", "campaign_name", "medium",
              "channel", "subchannel", "marketing_channel_path", "campaign_member_id",
              "session_id", "crm_task_id")
    where = "source_id in ('M-A1', 'M-C2', 'M-CV2') and touchpoint_type = 'CRM Campaign'"
    assert kept(built, where, header) == table(
        header,
        ("M-A1", "CRM Campaign", "CP-ALL", "CP-ALL name", "Webinar", "Events", "Webinar",
         "Events.Webinar", "M-A1", None, None),
        ("M-C2", "CRM Campaign", "CP-CHAT", "CP-CHAT name", "Chat", "Chat", "Campaign",
         "Chat.Campaign", "M-C2", None, None),
        ("M-CV2", "CRM Campaign", "CP-TRADE", "CP-TRADE name", "Tradeshow", "Other", "Other",
         "Other.Other", "M-CV2", None, None),
    )


# =============================================================================================
# Positions and person weights (the rule book, "Buyer touchpoints")
# =============================================================================================

POSITIONS = with_t0({
    "crm_leads": [lead(f"L-POS{i}", f"pos{i}@pos.io") for i in range(1, 9)],
    "web_sessions": [
        session("S-POS1-1", "V-POS1", "2026-03-02T08:00:00Z"),
        session("S-POS1-2", "V-POS1", "2026-03-03T10:00:00Z"),
        session("S-POS3", "V-POS3", "2026-03-05T23:00:00Z"),
        # two first sessions at the same time; the chat in the second at that same time
        session("S-POS6-a", "V-POS6", "2026-03-08T10:00:00Z"),
        session("S-POS6-b", "V-POS6", "2026-03-08T10:00:00Z"),
        # two visitors, each with a first session before the chat: two Web Visits
        session("S-POS8a-1", "V-POS8a", "2026-03-10T08:00:00Z"),
        session("S-POS8a-2", "V-POS8a", "2026-03-10T09:00:00Z"),
        session("S-POS8b-1", "V-POS8b", "2026-03-11T08:00:00Z"),
        session("S-POS8b-2", "V-POS8b", "2026-03-11T09:00:00Z"),
    ],
    "drift_chat_events": [
        chat("E-POS1", "S-POS1-2", "2026-03-03T10:00:00Z", "pos1@pos.io"),
        chat("E-POS3", "S-POS3", "2026-03-06T00:00:00Z", "pos3@pos.io"),
        chat("E-POS6", "S-POS6-b", "2026-03-08T10:00:00Z", "pos6@pos.io"),
        chat("E-POS8a", "S-POS8a-2", "2026-03-10T09:00:00Z", "pos8@pos.io"),
        chat("E-POS8b", "S-POS8b-2", "2026-03-11T09:00:00Z", "pos8@pos.io"),
    ],
    "crm_campaign_members": [
        member("M-POS1", "CP-ALL", "2026-01-01T00:00:00Z", lead_id="L-POS1",
               buyer_touchpoint_at="2026-03-04T00:00:00Z"),
        member("M-POS3", "CP-ALL", "2026-01-01T00:00:00Z", lead_id="L-POS3",
               buyer_touchpoint_at="2026-03-06T00:00:00Z"),
        member("M-POS5", "CP-ALL", "2026-01-01T00:00:00Z", lead_id="L-POS5",
               buyer_touchpoint_at="2026-03-07T00:00:00Z"),
    ],
    "crm_tasks": [
        task("T-POS1", "L-POS1", "Webinar attended", "Email", "2026-03-05T00:00:00Z"),
        task("T-POS2", "L-POS2", "Webinar attended", "Email", "2026-03-05T00:00:00Z"),
        task("T-POS3", "L-POS3", "Pricing review", "Call", "2026-03-01T00:00:00Z",
             "2026-03-06"),
        task("T-POS5", "L-POS5", "Pricing review", "Call", "2026-03-01T00:00:00Z",
             "2026-03-07"),
        # same type and time: by task_id as text ('T-POS7-10' < 'T-POS7-9')
        task("T-POS7-9", "L-POS7", "Pricing review", "Call", "2026-03-01T00:00:00Z",
             "2026-03-09"),
        task("T-POS7-10", "L-POS7", "Pricing review", "Call", "2026-03-01T00:00:00Z",
             "2026-03-09"),
    ],
})

POSITION_COLUMNS = ("person", "touchpoint_type", "source_id", "touchpoint_at",
                    "touchpoint_position", "is_first_touch", "is_lead_creation_touch",
                    "first_touch_pct", "lead_creation_pct", "u_shape_pct")


def test_positions_and_weights_per_person(built: Built) -> None:
    """FT = first; LC = first non-Web-Visit; later non-Web-Visit touches PostLC; weights First
    Touch 1 on FT, Lead Creation 1 on LC, U-Shaped 50/50 over FT and LC, 100 when one touch is
    both (the rule book, "Buyer touchpoints")."""
    assert kept(built, "person in ('lead L-POS1', 'lead L-POS2')", POSITION_COLUMNS) == table(
        POSITION_COLUMNS,
        ("lead L-POS1", "Web Visit", "S-POS1-1", "2026-03-02 08:00:00", "FT", True, False,
         1.0, 0.0, 0.5),
        ("lead L-POS1", "Web Chat", "E-POS1", "2026-03-03 10:00:00", "LC", False, True,
         0.0, 1.0, 0.5),
        ("lead L-POS1", "CRM Campaign", "M-POS1", "2026-03-04 00:00:00", "PostLC", False, False,
         0.0, 0.0, 0.0),
        ("lead L-POS1", "CRM Activity", "T-POS1", "2026-03-05 00:00:00", "PostLC", False, False,
         0.0, 0.0, 0.0),
        ("lead L-POS2", "CRM Activity", "T-POS2", "2026-03-05 00:00:00", "FT, LC", True, True,
         1.0, 1.0, 1.0),
    )


def test_ties_on_touchpoint_at_are_ordered_by_type_then_source_id(built: Built) -> None:
    """Order (the rule book, "Touchpoint candidates"): touchpoint_at, then type (Web Visit, Web
    Chat, CRM Campaign, CRM Activity), then source id as text."""
    where = "person in ('lead L-POS3', 'lead L-POS5', 'lead L-POS6', 'lead L-POS7')"
    assert kept(built, where, POSITION_COLUMNS) == table(
        POSITION_COLUMNS,
        ("lead L-POS3", "Web Chat", "E-POS3", "2026-03-06 00:00:00", "FT, LC", True, True,
         1.0, 1.0, 1.0),
        ("lead L-POS3", "CRM Campaign", "M-POS3", "2026-03-06 00:00:00", "PostLC", False, False,
         0.0, 0.0, 0.0),
        ("lead L-POS3", "CRM Activity", "T-POS3", "2026-03-06 00:00:00", "PostLC", False, False,
         0.0, 0.0, 0.0),
        ("lead L-POS5", "CRM Campaign", "M-POS5", "2026-03-07 00:00:00", "FT, LC", True, True,
         1.0, 1.0, 1.0),
        ("lead L-POS5", "CRM Activity", "T-POS5", "2026-03-07 00:00:00", "PostLC", False, False,
         0.0, 0.0, 0.0),
        ("lead L-POS6", "Web Visit", "S-POS6-a", "2026-03-08 10:00:00", "FT", True, False,
         1.0, 0.0, 0.5),
        ("lead L-POS6", "Web Chat", "E-POS6", "2026-03-08 10:00:00", "LC", False, True,
         0.0, 1.0, 0.5),
        ("lead L-POS7", "CRM Activity", "T-POS7-10", "2026-03-09 00:00:00", "FT, LC", True,
         True, 1.0, 1.0, 1.0),
        ("lead L-POS7", "CRM Activity", "T-POS7-9", "2026-03-09 00:00:00", "PostLC", False,
         False, 0.0, 0.0, 0.0),
    )


def test_a_web_visit_after_the_lead_creation_touch_holds_no_position(built: Built) -> None:
    """Only FT, LC and later non-Web-Visit touches (PostLC) hold a position; a later Web Visit
    holds none: no position listed, no weight (the rule book, "Buyer touchpoints")."""
    got = kept(built, "person = 'lead L-POS8'", POSITION_COLUMNS)
    for row in got:  # no position: null or empty text
        row["touchpoint_position"] = row["touchpoint_position"] or None
    assert got == table(
        POSITION_COLUMNS,
        ("lead L-POS8", "Web Visit", "S-POS8a-1", "2026-03-10 08:00:00", "FT", True, False,
         1.0, 0.0, 0.5),
        ("lead L-POS8", "Web Chat", "E-POS8a", "2026-03-10 09:00:00", "LC", False, True,
         0.0, 1.0, 0.5),
        ("lead L-POS8", "Web Visit", "S-POS8b-1", "2026-03-11 08:00:00", None, False, False,
         0.0, 0.0, 0.0),
        ("lead L-POS8", "Web Chat", "E-POS8b", "2026-03-11 09:00:00", "PostLC", False, False,
         0.0, 0.0, 0.0),
    )


# =============================================================================================
# Properties over every row of the build (the rule book, "Touchpoint candidates" and
# "Buyer touchpoints")
# =============================================================================================


def test_fct_touchpoints_has_the_columns_of_the_spec(built: Built) -> None:
    assert built.success, built.failures
    columns = [r["column_name"] for r in built.rows(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'fct_touchpoints' order by ordinal_position")]
    assert set(columns) == {
        "touchpoint_id", "user_touchpoint_id", "email", "lead_id", "contact_id", "account_id",
        "touchpoint_at", "touchpoint_type", "touchpoint_source", "medium", "channel",
        "subchannel", "marketing_channel_path", "campaign_id", "campaign_name", "landing_page",
        "referrer_page", "form_page", "session_id", "visitor_id", "chat_event_id",
        "chat_conversation_id", "campaign_member_id", "crm_task_id", "activity_rule_id",
        "touchpoint_position", "is_first_touch", "is_lead_creation_touch", "first_touch_pct",
        "lead_creation_pct", "u_shape_pct",
    }


def test_every_person_has_one_ft_and_one_lc_and_weights_summing_to_one(built: Built) -> None:
    """Per person record each model's weights are in [0, 1] and sum to 1 (the rule book,
    "Buyer touchpoints")."""
    assert built.success, built.failures
    bad = built.rows("""
        select coalesce('contact ' || contact_id, 'lead ' || lead_id) as person,
               sum(first_touch_pct) as ft, sum(lead_creation_pct) as lc, sum(u_shape_pct) as u,
               count(*) filter (where is_first_touch) as n_ft,
               count(*) filter (where is_lead_creation_touch) as n_lc,
               min(least(first_touch_pct, lead_creation_pct, u_shape_pct)) as lowest,
               max(greatest(first_touch_pct, lead_creation_pct, u_shape_pct)) as highest
        from marts.fct_touchpoints
        group by all
        having abs(ft - 1) > 1e-9 or abs(lc - 1) > 1e-9 or abs(u - 1) > 1e-9
            or n_ft <> 1 or n_lc <> 1 or lowest < 0 or highest > 1
    """)
    assert bad == []


def test_every_candidate_is_kept_or_suppressed_exactly_once(built: Built) -> None:
    """Every candidate is in exactly one of fct_touchpoints and touchpoint_suppressions;
    touchpoint_id is unique (the rule book, "Touchpoint candidates")."""
    assert built.success, built.failures
    assert built.rows("""
        select user_touchpoint_id from marts.fct_touchpoints
        intersect
        select user_touchpoint_id from audit.touchpoint_suppressions
    """) == []
    assert built.rows("""
        select user_touchpoint_id, count(*) as n from audit.touchpoint_suppressions
        group by all having count(*) > 1
    """) == []
    assert built.rows("""
        select touchpoint_id, count(*) as n from marts.fct_touchpoints
        group by all having count(*) > 1 or touchpoint_id is null
    """) == []
    assert built.rows("""
        select user_touchpoint_id, coalesce(contact_id, lead_id) as person, count(*) as n
        from marts.fct_touchpoints group by all having count(*) > 1
    """) == []


# =============================================================================================
# web_chat_enabled_at = null
# =============================================================================================

NULL_T0 = without_t0({
    "crm_leads": [lead("L-N", "nat@null.io")],
    "web_sessions": [
        session("S-N0", "V-N1", "2026-01-01T09:00:00Z"),
        session("S-N1", "V-N1", "2026-03-02T09:00:00Z"),
        session("S-N2", "V-N2", "2026-03-02T09:00:00Z", chat_tracking_enabled="false"),
        session("S-N3", "V-N3", "2026-03-02T09:00:00Z"),
    ],
    "drift_chat_events": [
        chat("E-N1", "S-N1", "2026-03-02T09:05:00Z", "nat@null.io"),
        chat("E-N2", "S-N2", "2026-03-02T09:05:00Z", "nat@null.io"),
        chat("E-N3-1", "S-N3", "2026-03-02T09:05:00Z", "ghost@null.io"),
        chat("E-N3-2", "S-N3", "2026-03-02T09:06:00Z", "nat@null.io"),
    ],
    "crm_campaigns": [campaign("CP-NCHAT", "Chat", "Include_All")],
    "crm_campaign_members": [
        member("M-N1", "CP-NCHAT", "2026-06-01T00:00:00Z", lead_id="L-N"),
    ],
    "crm_tasks": [task("T-N1", "L-N", "Drift chat", "Chat", "2026-06-01T00:00:00Z")],
})


def test_without_t0_every_chat_is_suppressed_as_web_chat_disabled(built_null_t0: Built) -> None:
    """t0 null (the rule book, "Configuration" and "Deduplication"): no Web Chat touchpoints,
    so no Web Visits; precedence: not_first_in_session, no_known_person, web_chat_disabled, ...,
    chat_tracking_disabled."""
    assert suppressed(built_null_t0, "touchpoint_type = 'Web Chat'", DROPPED) == table(
        DROPPED,
        ("Web Chat", "E-N1", "2026-03-02 09:05:00", "web_chat_disabled"),
        ("Web Chat", "E-N2", "2026-03-02 09:05:00", "web_chat_disabled"),
        ("Web Chat", "E-N3-1", "2026-03-02 09:05:00", "no_known_person"),
        ("Web Chat", "E-N3-2", "2026-03-02 09:06:00", "not_first_in_session"),
    )
    assert kept(built_null_t0, "touchpoint_type in ('Web Chat', 'Web Visit')", KEPT) == []


def test_without_t0_chat_campaigns_and_chat_activities_are_not_cut(built_null_t0: Built) -> None:
    """t0 null: no chat cut-offs (the rule book, "Configuration")."""
    assert kept(built_null_t0, "person = 'lead L-N'", KEPT) == table(
        KEPT,
        ("CRM Campaign", "M-N1", "lead L-N", "2026-06-01 00:00:00"),
        ("CRM Activity", "T-N1", "lead L-N", "2026-06-01 00:00:00"),
    )
    assert suppressed(built_null_t0, "touchpoint_type like 'CRM%'", DROPPED) == []


def test_without_t0_there_are_no_configuration_findings(built_null_t0: Built) -> None:
    """Findings are empty when t0 is null (the rule book, "Deduplication")."""
    assert built_null_t0.success, built_null_t0.failures
    assert built_null_t0.rows("select * from audit.chat_configuration_findings") == []
