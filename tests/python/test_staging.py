"""Staging rules (docs/rules.md, "Timestamps and values" and "Bad input and row accounting"):
parsing, rejections, duplicates, deletions, row accounting.

Written from the specification. All scenarios below are built together in one dbt build (their ids
do not overlap); each test asserts the rows of its own scenario. Reason codes are the project's
(`missing_<column>`, `unparseable_<column>`, `unknown_<column>`, `invalid_email`, ...; see
`models/audit/_audit__models.yml`). Timestamps are UTC, written `YYYY-MM-DD HH:MM:SS[.ffffff]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
from conftest import Scenario as Built
from conftest import sorted_rows, table

from chat_touchpoints.raw_tables import RAW_TABLES, base_model

# ---------------------------------------------------------------------------------------------
# Building and reading
# ---------------------------------------------------------------------------------------------

SCENARIOS: list[Mapping[str, list[dict[str, str]]]] = []


def scenario(tables: Mapping[str, list[dict[str, str]]]) -> Mapping[str, list[dict[str, str]]]:
    SCENARIOS.append(tables)
    return tables


@pytest.fixture(scope="module")
def built(scenario_builder: Callable[..., Built]) -> Built:
    """One `dbt build` of every scenario of this module, with empty configuration seeds."""
    tables: dict[str, list] = {name: [] for name in RAW_TABLES}
    for one in SCENARIOS:
        for name, rows in one.items():
            tables[name].extend(rows)
    tables.update(activity_rules=[], channel_rules=[], offline_channels=[])
    return scenario_builder(tables)


def select(b: Built, relation: str, where: str, header: Sequence[str]) -> list[dict[str, Any]]:
    assert b.success, b.failures
    return sorted_rows(b.rows(f"select * from {relation} where {where}"), header)


def rejected(b: Built, source_table: str) -> list[dict[str, Any]]:
    header = ("source_row_id", "reason")
    return select(b, "audit.rejected_rows", f"source_table = '{source_table}'", header)


def test_the_build_succeeds(built: Built) -> None:
    assert built.success, built.failures


# =============================================================================================
# 3: timestamps
# =============================================================================================

ACCEPTED_TIMESTAMPS = [  # raw text -> UTC
    ("S-TS-01", "2026-02-03", "2026-02-03 00:00:00"),
    ("S-TS-02", "2026-02-03T04:05", "2026-02-03 04:05:00"),
    ("S-TS-03", "2026-02-03 04:05", "2026-02-03 04:05:00"),
    ("S-TS-04", "2026-02-03T04:05:06", "2026-02-03 04:05:06"),
    ("S-TS-05", "2026-02-03 04:05:06.1", "2026-02-03 04:05:06.100000"),
    ("S-TS-06", "2026-02-03T04:05:06.123456", "2026-02-03 04:05:06.123456"),
    ("S-TS-07", "2026-02-03T04:05:06.12345Z", "2026-02-03 04:05:06.123450"),
    ("S-TS-08", "2026-02-03T04:05:06Z", "2026-02-03 04:05:06"),
    ("S-TS-09", "2026-02-03T04:05:06+02:00", "2026-02-03 02:05:06"),
    ("S-TS-10", "2026-02-03T04:05:06-05:30", "2026-02-03 09:35:06"),
    ("S-TS-11", "2026-02-03 23:30+02:00", "2026-02-03 21:30:00"),
    ("S-TS-12", "2026-02-03T22:00:00.5-05:30", "2026-02-04 03:30:00.500000"),
    ("S-TS-13", "2026-02-03T04:05Z", "2026-02-03 04:05:00"),
]
REJECTED_TIMESTAMPS = [
    ("S-TS-R01", "2026-13-01"),                     # month 13
    ("S-TS-R02", "2026-02-30"),                     # no such day
    ("S-TS-R03", "2026-02-03t04:05:06"),            # lower-case t
    ("S-TS-R04", "2026-02-03T04:05:06z"),           # lower-case z
    ("S-TS-R05", "2026-02-03T04:05:06.1234567"),    # 7 fractional digits
    ("S-TS-R06", "2026-02-03+02:00"),               # offset without a time
    ("S-TS-R07", "garbage"),
    ("S-TS-R08", "2026-02-03T04:05:06+0200"),       # offset without a colon
    ("S-TS-R09", "2026-02-03T4:05"),                # one-digit hour
    ("S-TS-R10", "2026-02-03T04:05:06."),           # no fractional digits
    ("S-TS-R11", "2026-02-03Z"),                    # Z without a time
    ("S-TS-R12", "2026-02-03T25:00"),               # hour 25
]
TIMESTAMPS = scenario({
    "web_sessions": [
        {"session_id": sid, "visitor_id": "V-TS", "session_started_at": raw}
        for sid, raw, *_ in ACCEPTED_TIMESTAMPS + REJECTED_TIMESTAMPS
    ],
})


def test_timestamps_in_every_iso_form_of_the_spec_are_converted_to_utc(built: Built) -> None:
    """3: `YYYY-MM-DD`, then `T` or space and HH:MM, HH:MM:SS or HH:MM:SS.f{1,6}, then
    optionally `Z`, `+HH:MM`, `-HH:MM`; no offset means UTC."""
    header = ("session_id", "session_started_at")
    assert select(built, "staging.stg_web__sessions", "session_id like 'S-TS-%'", header) == (
        table(header, *[(sid, utc) for sid, _, utc in ACCEPTED_TIMESTAMPS])
    )


def test_anything_else_is_an_unparseable_timestamp(built: Built) -> None:
    """3: lower-case t/z, 7 fractional digits, an offset without a time, impossible dates and
    times, garbage: unparseable; 7: rejected."""
    got = [r for r in rejected(built, "web_sessions") if r["source_row_id"] or ""]
    got = [r for r in got if r["source_row_id"].startswith("S-TS-")]
    assert got == table(
        ("source_row_id", "reason"),
        *[(sid, "unparseable_session_started_at") for sid, _ in REJECTED_TIMESTAMPS],
    )


# =============================================================================================
# 3: booleans
# =============================================================================================

BOOLEANS = scenario({
    "web_sessions": [
        {"session_id": "S-B-T", "visitor_id": "V-B", "session_started_at": "2026-02-01",
         "chat_tracking_enabled": "true"},
        {"session_id": "S-B-F", "visitor_id": "V-B", "session_started_at": "2026-02-01",
         "chat_tracking_enabled": "FALSE"},
        {"session_id": "S-B-1", "visitor_id": "V-B", "session_started_at": "2026-02-01",
         "chat_tracking_enabled": "1"},
        {"session_id": "S-B-0", "visitor_id": "V-B", "session_started_at": "2026-02-01",
         "chat_tracking_enabled": "0"},
        {"session_id": "S-B-E", "visitor_id": "V-B", "session_started_at": "2026-02-01",
         "chat_tracking_enabled": ""},
        {"session_id": "S-B-Y", "visitor_id": "V-B", "session_started_at": "2026-02-01",
         "chat_tracking_enabled": "yes"},
    ],
    "crm_leads": [
        {"lead_id": "L-B-T", "created_at": "2026-01-01", "is_converted": "True"},
        {"lead_id": "L-B-F", "created_at": "2026-01-01", "is_converted": "false"},
        {"lead_id": "L-B-1", "created_at": "2026-01-01", "is_converted": "1"},
        {"lead_id": "L-B-0", "created_at": "2026-01-01", "is_converted": "0"},
        {"lead_id": "L-B-E", "created_at": "2026-01-01", "is_converted": ""},
        {"lead_id": "L-B-Y", "created_at": "2026-01-01", "is_converted": "yes"},
    ],
})


def test_booleans_are_true_false_1_0_or_empty(built: Built) -> None:
    """3: `true`/`false` (any case), `1`/`0` or empty (null); chat_tracking_enabled empty means
    enabled; `yes` is unparseable."""
    header = ("lead_id", "is_converted")
    got = select(built, "staging.stg_crm__leads", "lead_id like 'L-B-%'", header)
    # empty is null; staging may read a null CRM flag as false (not converted)
    got = [r if r["lead_id"] != "L-B-E" or r["is_converted"] is not False
           else {**r, "is_converted": None} for r in got]
    assert got == table(
        header, ("L-B-T", True), ("L-B-F", False), ("L-B-1", True), ("L-B-0", False),
        ("L-B-E", None),
    )
    header = ("session_id", "is_chat_tracking_enabled")
    assert select(built, "staging.stg_web__sessions", "session_id like 'S-B-%'", header) == (
        table(header, ("S-B-T", True), ("S-B-F", False), ("S-B-1", True), ("S-B-0", False),
              ("S-B-E", True))
    )
    assert [r for r in rejected(built, "crm_leads") if r["source_row_id"] == "L-B-Y"] == [
        {"source_row_id": "L-B-Y", "reason": "unparseable_is_converted"}
    ]
    assert [r for r in rejected(built, "web_sessions") if r["source_row_id"] == "S-B-Y"] == [
        {"source_row_id": "S-B-Y", "reason": "unparseable_chat_tracking_enabled"}
    ]


# =============================================================================================
# 3: e-mails
# =============================================================================================

EMAILS = scenario({
    "drift_chat_events": [
        {"event_id": "E-EM-OK", "conversation_id": "K", "event_type": "email_captured",
         "occurred_at": "2026-02-01T10:00:00Z", "email": "  Mixed@Case.IO "},
        {"event_id": "E-EM-MSG", "conversation_id": "K", "event_type": "message_sent",
         "occurred_at": "2026-02-01T10:00:00Z", "email": "garbage"},
        {"event_id": "E-EM-BAD1", "conversation_id": "K", "event_type": "email_captured",
         "occurred_at": "2026-02-01T10:00:00Z", "email": "not-an-email"},
        {"event_id": "E-EM-BAD2", "conversation_id": "K", "event_type": "email_captured",
         "occurred_at": "2026-02-01T10:00:00Z", "email": "a@b"},
        {"event_id": "E-EM-BAD3", "conversation_id": "K", "event_type": "email_captured",
         "occurred_at": "2026-02-01T10:00:00Z", "email": "a b@c.io"},
        {"event_id": "E-EM-NONE", "conversation_id": "K", "event_type": "email_captured",
         "occurred_at": "2026-02-01T10:00:00Z", "email": ""},
    ],
    "crm_leads": [
        {"lead_id": "L-EM-1", "email": " Ann@Acme.COM ", "created_at": "2026-01-01"},
        {"lead_id": "L-EM-2", "email": "not-an-email", "created_at": "2026-01-01"},
        {"lead_id": "L-EM-3", "email": "x@@y.io", "created_at": "2026-01-01"},
        {"lead_id": "L-EM-4", "email": "a@b", "created_at": "2026-01-01"},
    ],
})


def test_emails_are_normalised_and_an_invalid_one_is_rejected_only_where_required(
    built: Built,
) -> None:
    """3: valid when lower-cased and trimmed it matches `^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$`;
    invalid on an `email_captured` event: rejected; elsewhere: null."""
    header = ("event_id", "email")
    assert select(built, "staging.stg_drift__chat_events", "event_id like 'E-EM-%'", header) == (
        table(header, ("E-EM-OK", "mixed@case.io"), ("E-EM-MSG", None))
    )
    assert [r for r in rejected(built, "drift_chat_events") if "-EM-" in r["source_row_id"]] == (
        table(
            ("source_row_id", "reason"),
            ("E-EM-BAD1", "invalid_email"),
            ("E-EM-BAD2", "invalid_email"),
            ("E-EM-BAD3", "invalid_email"),
            ("E-EM-NONE", "missing_email"),
        )
    )
    header = ("lead_id", "email")
    assert select(built, "staging.stg_crm__leads", "lead_id like 'L-EM-%'", header) == table(
        header, ("L-EM-1", "ann@acme.com"), ("L-EM-2", None), ("L-EM-3", None), ("L-EM-4", None)
    )


# =============================================================================================
# 7: one row per rejection reason
# =============================================================================================

REJECTIONS = scenario({
    "web_sessions": [{"session_id": "", "visitor_id": "V-RJ", "session_started_at": "2026-02-01"}],
    "drift_chat_events": [
        {"event_id": "E-RJ-TYPE", "conversation_id": "K", "event_type": "bogus",
         "occurred_at": "2026-02-01T10:00:00Z"},
        {"event_id": "E-RJ-TS", "conversation_id": "K", "event_type": "message_sent",
         "occurred_at": "2026-02-03T04:05:06z"},
    ],
    "crm_accounts": [
        {"account_id": "A-RJ", "account_name": "Bad", "website": "bad.io", "is_deleted": "maybe"},
    ],
    "crm_leads": [
        {"lead_id": "", "email": "noid@x.io", "created_at": "2026-01-01"},
        {"lead_id": "L-RJ-TS", "created_at": "2026-02-30"},
    ],
    "crm_opportunities": [
        {"opportunity_id": "O-OK", "account_id": "A-OK", "opportunity_name": "Open",
         "created_at": "2026-01-01", "is_closed": "false", "is_won": "false",
         "amount": "1000.50"},
        {"opportunity_id": "O-CL", "account_id": "A-OK", "opportunity_name": "Won",
         "created_at": "2026-01-01", "close_date": "2026-02-01", "is_closed": "true",
         "is_won": "true", "amount": "10"},
        {"opportunity_id": "O-RJ-NOCD", "account_id": "A-OK", "opportunity_name": "x",
         "created_at": "2026-01-01", "close_date": "", "is_closed": "true", "is_won": "false",
         "amount": "10"},
        {"opportunity_id": "O-RJ-AMT", "account_id": "A-OK", "opportunity_name": "x",
         "created_at": "2026-01-01", "is_closed": "false", "is_won": "false", "amount": "12abc"},
        {"opportunity_id": "O-RJ-CD", "account_id": "A-OK", "opportunity_name": "x",
         "created_at": "2026-01-01", "close_date": "2026-02-30", "is_closed": "true",
         "is_won": "false", "amount": "10"},
    ],
    "crm_campaigns": [
        {"campaign_id": "CP-OK", "campaign_name": "ok", "campaign_type": "Webinar",
         "touchpoint_sync_type": "Include_All", "touchpoint_start_date": "2026-02-28"},
        {"campaign_id": "CP-RJ-ENUM", "campaign_name": "x", "campaign_type": "Webinar",
         "touchpoint_sync_type": "Include_Some"},
        {"campaign_id": "CP-RJ-D1", "campaign_name": "x", "campaign_type": "Webinar",
         "touchpoint_sync_type": "Include_All", "touchpoint_start_date": "2026-02-30"},
        {"campaign_id": "CP-RJ-D2", "campaign_name": "x", "campaign_type": "Webinar",
         "touchpoint_sync_type": "Include_All", "touchpoint_end_date": "2026-02-03T00:00:00"},
    ],
    "crm_campaign_members": [
        {"campaign_member_id": "M-OK", "campaign_id": "CP-OK", "lead_id": "L-EM-1",
         "has_responded": "true", "created_at": "2026-03-01"},
        {"campaign_member_id": "M-RJ-B", "campaign_id": "CP-OK", "lead_id": "L-EM-1",
         "has_responded": "yes", "created_at": "2026-03-01"},
        {"campaign_member_id": "M-RJ-TS", "campaign_id": "CP-OK", "lead_id": "L-EM-1",
         "first_responded_at": "2026-02-03+02:00", "created_at": "2026-03-01"},
    ],
    "crm_tasks": [
        {"task_id": "T-OK", "who_id": "L-EM-1", "subject": "s", "task_type": "Call",
         "created_at": "2026-02-01", "activity_date": "2026-02-01"},
        {"task_id": "T-RJ-D", "who_id": "L-EM-1", "subject": "s", "task_type": "Call",
         "created_at": "2026-02-01", "activity_date": "03/02/2026"},
        {"task_id": "T-DEL", "who_id": "L-EM-1", "subject": "s", "task_type": "Call",
         "created_at": "2026-02-01", "is_deleted": "1"},
    ],
    "marketo_leads": [
        {"marketo_lead_id": "ML-1", "email": "ann@acme.com", "sfdc_lead_id": "L-EM-1"},
        {"marketo_lead_id": "", "email": "x@acme.com"},
    ],
    "marketo_activities": [
        {"activity_id": "MA-OK", "marketo_lead_id": "ML-1",
         "activity_type": "Engaged with a Dialogue", "activity_at": "2026-02-01T10:00:00Z",
         "primary_attribute_value": "Dialogue A",
         "attributes": '{"Page URL": "https://x", "Conversation Status": "Started"}'},
        {"activity_id": "MA-NA", "marketo_lead_id": "ML-1", "activity_type": "Visited Web Page",
         "activity_at": "2026-02-01T10:00:00Z", "attributes": "{}"},
        {"activity_id": "MA-RJ-J1", "marketo_lead_id": "ML-1",
         "activity_type": "Engaged with a Dialogue", "activity_at": "2026-02-01T10:00:00Z",
         "attributes": "{bad"},
        {"activity_id": "MA-RJ-J2", "marketo_lead_id": "ML-1",
         "activity_type": "Engaged with a Dialogue", "activity_at": "2026-02-01T10:00:00Z",
         "attributes": "[1, 2]"},
        {"activity_id": "MA-RJ-ST", "marketo_lead_id": "ML-1",
         "activity_type": "Engaged with a Dialogue", "activity_at": "2026-02-01T10:00:00Z",
         "attributes": '{"Page URL": "https://x", "Conversation Status": "exploded"}'},
    ],
})


def test_every_unusable_row_is_in_rejected_rows_with_its_reason(built: Built) -> None:
    """7: missing id, unparseable timestamp / date / boolean / number, unknown enumeration value,
    malformed JSON or JSON that is not an object, unknown status, closed without close_date."""
    header = ("source_table", "source_row_id", "reason")
    where = "source_row_id is null or source_row_id like '%-RJ%'"
    assert select(built, "audit.rejected_rows", where, header) == table(
        header,
        ("web_sessions", None, "missing_session_id"),
        ("drift_chat_events", "E-RJ-TYPE", "unknown_event_type"),
        ("drift_chat_events", "E-RJ-TS", "unparseable_occurred_at"),
        ("crm_accounts", "A-RJ", "unparseable_is_deleted"),
        ("crm_leads", None, "missing_lead_id"),
        ("crm_leads", "L-RJ-TS", "unparseable_created_at"),
        ("crm_opportunities", "O-RJ-NOCD", "closed_without_close_date"),
        ("crm_opportunities", "O-RJ-AMT", "unparseable_amount"),
        ("crm_opportunities", "O-RJ-CD", "unparseable_close_date"),
        ("crm_campaigns", "CP-RJ-ENUM", "unknown_touchpoint_sync_type"),
        ("crm_campaigns", "CP-RJ-D1", "unparseable_touchpoint_start_date"),
        ("crm_campaigns", "CP-RJ-D2", "unparseable_touchpoint_end_date"),
        ("crm_campaign_members", "M-RJ-B", "unparseable_has_responded"),
        ("crm_campaign_members", "M-RJ-TS", "unparseable_first_responded_at"),
        ("crm_tasks", "T-RJ-D", "unparseable_activity_date"),
        ("marketo_leads", None, "missing_marketo_lead_id"),
        ("marketo_activities", "MA-RJ-J1", "malformed_json"),
        ("marketo_activities", "MA-RJ-J2", "json_not_object"),
        ("marketo_activities", "MA-RJ-ST", "unknown_status"),
    )


def test_a_rejected_row_keeps_its_raw_values_as_text(built: Built) -> None:
    """7: `raw_row` as text."""
    assert built.success, built.failures
    rows = built.rows("select raw_row from audit.rejected_rows where source_row_id = 'M-RJ-B'")
    assert len(rows) == 1
    assert isinstance(rows[0]["raw_row"], str)
    assert "M-RJ-B" in rows[0]["raw_row"] and "yes" in rows[0]["raw_row"]


def test_only_rejected_rows_keep_their_raw_text(built: Built) -> None:
    """7: a `base_` model keeps `raw_row` for its rejected rows, and only for them (the other
    rows' text is the duplicate rule's last tie-break, computed but not written)."""
    assert built.success, built.failures
    for raw_table in RAW_TABLES:
        rows = built.rows(
            "select row_outcome, count(*) as n, count(raw_row) as with_text"
            f" from staging.{base_model(raw_table)} group by row_outcome"
        )
        for row in rows:
            expected = row["n"] if row["row_outcome"] == "rejected" else 0
            assert row["with_text"] == expected, (raw_table, row)
    rejected = built.rows("select count(*) as n from audit.rejected_rows where raw_row is null")
    assert rejected == [{"n": 0}]


def test_good_rows_of_the_same_tables_are_staged(built: Built) -> None:
    header = ("opportunity_id", "close_date", "is_closed", "is_won", "amount")
    assert select(built, "staging.stg_crm__opportunities", "true", header) == table(
        header,
        ("O-OK", None, False, False, 1000.5),
        ("O-CL", "2026-02-01", True, True, 10.0),
    )
    header = ("campaign_id", "touchpoint_sync_type", "touchpoint_start_date")
    assert select(built, "staging.stg_crm__campaigns", "true", header) == table(
        header, ("CP-OK", "Include_All", "2026-02-28")
    )


# =============================================================================================
# 7: duplicates and deleted rows
# =============================================================================================

DUPLICATES = scenario({
    "crm_leads": [
        # an exact duplicate
        {"lead_id": "L-DUPX", "first_name": "Same", "created_at": "2026-01-01"},
        {"lead_id": "L-DUPX", "first_name": "Same", "created_at": "2026-01-01"},
        # a repeated id: the latest created_at wins (not the one sorting last as text)
        {"lead_id": "L-REP", "first_name": "Zed", "created_at": "2026-01-01T00:00:00Z"},
        {"lead_id": "L-REP", "first_name": "Amy", "created_at": "2026-01-05T00:00:00Z"},
        # compared in UTC: 2026-01-04 19:00Z (Zulu) is before 2026-01-04 20:00Z (Alpha)
        {"lead_id": "L-TZ", "first_name": "Zulu", "created_at": "2026-01-05T00:00:00+05:00"},
        {"lead_id": "L-TZ", "first_name": "Alpha", "created_at": "2026-01-04T20:00:00Z"},
        # same timestamp: the row whose values joined by | sort last
        {"lead_id": "L-TIE", "first_name": "Beta", "created_at": "2026-01-01"},
        {"lead_id": "L-TIE", "first_name": "Alpha", "created_at": "2026-01-01"},
        # a rejected row is not a duplicate
        {"lead_id": "L-REJ", "first_name": "Bad", "created_at": "garbage"},
        {"lead_id": "L-REJ", "first_name": "Good", "created_at": "2026-01-01"},
        # the latest row is deleted: the lead is deleted
        {"lead_id": "L-DELLATE", "first_name": "x", "created_at": "2026-01-01"},
        {"lead_id": "L-DELLATE", "first_name": "x", "created_at": "2026-01-05",
         "is_deleted": "true"},
        # the latest row is not deleted
        {"lead_id": "L-DELOLD", "first_name": "x", "created_at": "2026-01-01",
         "is_deleted": "true"},
        {"lead_id": "L-DELOLD", "first_name": "y", "created_at": "2026-01-05"},
    ],
    "crm_accounts": [
        {"account_id": "A-OK", "account_name": "Acme", "website": "acme.com", "is_deleted": ""},
        {"account_id": "A-DEL", "account_name": "Gone", "website": "gone.com",
         "is_deleted": "TRUE"},
        # no timestamp: 'A-DUP|Acme|...' sorts after 'A-DUP|Acme Corp|...'
        {"account_id": "A-DUP", "account_name": "Acme Corp", "website": "acme.com"},
        {"account_id": "A-DUP", "account_name": "Acme", "website": "acme.com"},
    ],
})


def test_duplicates_keep_the_latest_row_then_the_one_sorting_last(built: Built) -> None:
    """7: exact duplicates and repeated ids are kept once: the latest by the table's own
    timestamp, then the row whose values joined by `|` sort last; then deleted rows are not
    applicable."""
    header = ("lead_id", "first_name")
    where = "lead_id in ('L-DUPX', 'L-REP', 'L-TZ', 'L-TIE', 'L-REJ', 'L-DELLATE', 'L-DELOLD')"
    assert select(built, "staging.stg_crm__leads", where, header) == table(
        header,
        ("L-DUPX", "Same"),
        ("L-REP", "Amy"),
        ("L-TZ", "Alpha"),
        ("L-TIE", "Beta"),
        ("L-REJ", "Good"),
        ("L-DELOLD", "y"),
    )
    header = ("account_id", "account_name")
    assert select(built, "staging.stg_crm__accounts", "true", header) == table(
        header, ("A-OK", "Acme"), ("A-DUP", "Acme")
    )
    header = ("task_id",)
    assert select(built, "staging.stg_crm__tasks", "true", header) == table(header, ("T-OK",))
    header = ("activity_id",)
    assert select(built, "staging.stg_marketo__activities", "true", header) == table(
        header, ("MA-OK",)
    )


# =============================================================================================
# 7: row accounting (every table of this module's build)
# =============================================================================================


def test_row_accounting_counts_every_raw_row_once(built: Built) -> None:
    """7: one row per raw table; raw = accepted + rejected + duplicate + not_applicable.
    web_sessions: 13 + 12 timestamps, 6 booleans (1 bad), 1 without id.
    drift_chat_events: 6 e-mail rows (4 bad), 2 other bad rows.
    crm_leads: 6 booleans (1 bad), 4 e-mails, 2 bad, 14 duplicate-scenario rows (1 bad,
    5 duplicates, L-DELLATE: 1 duplicate + 1 deleted).
    crm_accounts: A-RJ bad, A-OK, A-DEL deleted, A-DUP twice."""
    header = ("source_table", "raw_rows", "accepted_rows", "rejected_rows", "duplicate_rows",
              "not_applicable_rows")
    assert select(built, "audit.row_accounting", "true", header) == table(
        header,
        ("web_sessions", 32, 18, 14, 0, 0),
        ("drift_chat_events", 8, 2, 6, 0, 0),
        ("crm_accounts", 5, 2, 1, 1, 1),
        ("crm_leads", 26, 15, 4, 6, 1),
        ("crm_contacts", 0, 0, 0, 0, 0),
        ("crm_opportunities", 5, 2, 3, 0, 0),
        ("crm_campaigns", 4, 1, 3, 0, 0),
        ("crm_campaign_members", 3, 1, 2, 0, 0),
        ("crm_tasks", 3, 1, 1, 0, 1),
        ("marketo_leads", 2, 1, 1, 0, 0),
        ("marketo_activities", 5, 1, 3, 0, 1),
    )


def test_row_accounting_agrees_with_rejected_rows(built: Built) -> None:
    assert built.success, built.failures
    assert built.rows("""
        select a.source_table, a.rejected_rows, count(r.source_table) as listed
        from audit.row_accounting as a
        left join audit.rejected_rows as r on r.source_table = a.source_table
        group by all
        having a.rejected_rows <> count(r.source_table)
    """) == []
