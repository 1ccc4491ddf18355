"""Chat activities and their bad input, on one small company (the rule book, docs/rules.md:
"Chat activities", "Timestamps and values" and "Bad input and row accounting").

One dbt build serves every test of this module (each rule has its own ids in the input below);
the switch and its prerequisites are in test_integration_status.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from conftest import SI_MARTS

from chat_touchpoints.build import build, read_vars

ENGAGED = "Engaged with a Dialogue"
SCHEDULED = "Scheduled Meeting in Dialogue"
GOAL = "Reached Dialogue Goal"
DOCUMENT = "Interacted with Document in Dialogue"



def activity(
    activity_id: str,
    marketo_lead_id: str,
    activity_type: str,
    activity_at: str,
    dialogue: str = "Pricing Bot",
    attributes: dict[str, Any] | str | None = None,
) -> dict[str, str | None]:
    """A raw `marketo_activities` row; `attributes` given as a dict is written as JSON."""
    text = json.dumps(attributes) if isinstance(attributes, dict) else attributes
    return {
        "activity_id": activity_id,
        "marketo_lead_id": marketo_lead_id,
        "activity_type": activity_type,
        "activity_at": activity_at,
        "primary_attribute_value": dialogue,
        "attributes": text,
    }


# Every status synonym of the rule book's "Chat activities", as Marketo may send it (any case,
# surrounding spaces).
STATUS_SYNONYMS = [
    # (activity id, activity type, attribute, raw status, canonical status)
    ("SYN-01", ENGAGED, "Conversation Status", "Initiated", "Initiated"),
    ("SYN-02", ENGAGED, "Conversation Status", " STARTED ", "Initiated"),
    ("SYN-03", ENGAGED, "Conversation Status", "dropped", "Dropped"),
    ("SYN-04", ENGAGED, "Conversation Status", "Dropped Off", "Dropped"),
    ("SYN-05", ENGAGED, "Conversation Status", "abandoned", "Dropped"),
    ("SYN-06", ENGAGED, "Conversation Status", "COMPLETED", "Completed"),
    ("SYN-07", SCHEDULED, "Meeting Status", "scheduled", "Scheduled"),
    ("SYN-08", SCHEDULED, "Meeting Status", "Rescheduled ", "Rescheduled"),
    ("SYN-09", SCHEDULED, "Meeting Status", "Cancelled", "Cancelled"),
    ("SYN-10", SCHEDULED, "Meeting Status", " canceled", "Cancelled"),
    ("SYN-11", ENGAGED, "Conversation Status", "", None),
    ("SYN-12", SCHEDULED, "Meeting Status", None, None),
]

# Rows that staging rejects, with their reason (the rule book, "Bad input and row accounting"):
# activity id -> (reason, marketo_lead_id, activity type, activity_at, attributes)
REJECTED: dict[str, tuple[str, str, str, str, dict[str, Any] | str]] = {
    "BAD-01": ("malformed_json", "M-LIA", ENGAGED, "2026-04-01", '{"Page URL": "x"'),
    "BAD-02": ("json_not_object", "M-LIA", GOAL, "2026-04-01", "[1, 2]"),
    "BAD-03": ("unknown_status", "M-LIA", ENGAGED, "2026-04-01",
               {"Conversation Status": "Paused"}),
    # a status of another activity type is unknown too: each type has its own closed list
    "BAD-04": ("unknown_status", "M-LIA", SCHEDULED, "2026-04-01",
               {"Meeting Status": "Completed"}),
    "BAD-05": ("unparseable_scheduled_for", "M-LIA", SCHEDULED, "2026-04-01",
               {"Scheduled For": "next Tuesday"}),
    "BAD-06": ("unparseable_activity_at", "M-LIA", ENGAGED, "01.04.2026 10:00", {}),
    "BAD-07": ("missing_marketo_lead_id", " ", GOAL, "2026-04-01", {}),
    "BAD-08": ("unparseable_document_downloaded", "M-LIA", DOCUMENT, "2026-04-01",
               {"Document Downloaded": "maybe"}),
    # JSON that is not an object, on an activity that is not a chat activity, is still broken
    "BAD-09": ("json_not_object", "M-LIA", "Visit Webpage", "2026-04-01", '"text"'),
}  # fmt: skip
MISSING_ID = activity("", "M-LIA", ENGAGED, "2026-04-01", attributes={})

TABLES: dict[str, list[dict[str, str | None]]] = {
    "crm_accounts": [
        {"account_id": "A1", "account_name": "Acme", "website": "https://www.acme.com"},
        {"account_id": "A2", "account_name": "Globex", "website": "globex.com"},
    ],
    "crm_contacts": [
        {"contact_id": "C1", "account_id": "A1", "email": "ann@acme.com",
         "first_name": "Ann", "last_name": "Lee", "created_at": "2026-01-05"},
        {"contact_id": "C9", "account_id": "A1", "email": "gone@acme.com",
         "first_name": "Gone", "last_name": "Away", "is_deleted": "true"},
    ],
    "crm_leads": [
        # Bob has no account of his own: lead-to-account matching finds Acme
        # (the rule book, "People")
        {"lead_id": "L1", "email": "bob@acme.com", "first_name": "Bob", "last_name": "Ray"},
        # the same person as contact C1: the contact wins
        {"lead_id": "L2", "email": "ann@acme.com", "first_name": "Ann", "last_name": "Lead"},
        {"lead_id": "L3", "email": "lia@nowhere.org", "first_name": "Lia", "last_name": "Free"},
        {"lead_id": "L4", "email": "old@acme.com", "first_name": "Old", "last_name": "Lead",
         "is_deleted": "true"},
    ],
    "crm_opportunities": [
        {"opportunity_id": "O1", "account_id": "A1", "opportunity_name": "Acme renewal",
         "created_at": "2026-02-01", "is_closed": "false"},
        {"opportunity_id": "O2", "account_id": "A1", "opportunity_name": "Acme upsell",
         "created_at": "2026-01-10", "close_date": "2026-01-31", "is_closed": "true",
         "is_won": "true", "amount": "1000"},
        {"opportunity_id": "O3", "account_id": "A2", "opportunity_name": "Globex pilot",
         "created_at": "2026-02-01", "is_closed": "false"},
    ],
    "marketo_leads": [
        {"marketo_lead_id": "M-ANN", "email": " Ann@ACME.com ", "sfdc_lead_id": "L2",
         "sfdc_contact_id": "C1"},
        {"marketo_lead_id": "M-BOB", "email": "bob@acme.com", "sfdc_lead_id": "L1"},
        {"marketo_lead_id": "M-LIA", "email": "lia@nowhere.org", "sfdc_lead_id": "L3"},
        # an unknown contact falls back to the lead
        {"marketo_lead_id": "M-FALLBACK", "email": "lia2@nowhere.org", "sfdc_lead_id": "L3",
         "sfdc_contact_id": "C404"},
        # deleted records count as missing
        {"marketo_lead_id": "M-DELETED", "email": "gone@acme.com", "sfdc_lead_id": "L4",
         "sfdc_contact_id": "C9"},
        {"marketo_lead_id": "M-NOBODY", "email": "not an email"},
    ],
    "marketo_activities": [
        # one activity of each type, with its attributes
        activity("E1", "M-ANN", ENGAGED, "2026-03-02T10:00:00Z", "Pricing Bot",
                 {"Page URL": "https://acme.example/pricing", "Conversation Status": "Completed"}),
        activity("S1", "M-ANN", SCHEDULED, "2026-03-03 09:00", "Book a Demo",
                 {"Page URL": "https://acme.example/demo", "Agent Name": "Sam Rivera",
                  "Scheduled For": "2026-03-05T10:00:00+02:00", "Meeting Status": "Rescheduled"}),
        activity("G1", "M-BOB", GOAL, "2026-03-04T08:00:00Z", "Book a Demo",
                 {"Page URL": "https://acme.example/demo", "Goal Name": "Booked Meeting"}),
        activity("D1", "M-BOB", DOCUMENT, "2026-03-04T09:00:00Z", "Benchmark",
                 {"Page URL": "https://acme.example/blog", "Document Name": "Benchmark.pdf",
                  "Document Opened": True, "Document Downloaded": True}),
        # document status from the flags: JSON booleans or text, any case
        activity("D2", "M-BOB", DOCUMENT, "2026-03-05T09:00:00Z", "Benchmark",
                 {"Document Name": "Benchmark.pdf", "Document Opened": "true",
                  "Document Downloaded": "false"}),
        activity("D3", "M-BOB", DOCUMENT, "2026-03-06T09:00:00Z", "Benchmark",
                 {"Document Name": "Benchmark.pdf", "Document Downloaded": "TRUE"}),
        activity("D4", "M-BOB", DOCUMENT, "2026-03-08T23:59:59Z", "Benchmark",
                 {"Document Name": "Checklist.pdf"}),
        # ISO weeks across a year boundary: 2026-12-31 and 2027-01-01 share the week of
        # 2026-12-28; 23:30 at -02:00 on Sunday 2027-01-03 is Monday 2027-01-04 in UTC
        activity("W1", "M-BOB", ENGAGED, "2026-12-31T12:00:00Z", "Renewal Bot",
                 {"Conversation Status": "Completed"}),
        activity("W2", "M-BOB", GOAL, "2027-01-01T08:00:00Z", "Renewal Bot",
                 {"Goal Name": "Renewed"}),
        activity("W3", "M-BOB", ENGAGED, "2027-01-03T23:30:00-02:00", "Renewal Bot", {}),
        # linking: fallback to the lead; deleted records; no CRM ids; unknown Marketo lead
        activity("F1", "M-FALLBACK", GOAL, "2026-05-01T10:00:00Z", "Welcome Bot",
                 {"Goal Name": "Signed Up"}),
        activity("U1", "M-DELETED", ENGAGED, "2026-05-02T10:00:00Z", "Welcome Bot", {}),
        activity("U2", "M-NOBODY", ENGAGED, "2026-05-03T10:00:00Z", "Welcome Bot", None),
        activity("U3", "M-UNKNOWN", GOAL, "2026-05-04T10:00:00Z", "Welcome Bot", {}),
        # status synonyms (on Lia, a lead without an account)
        *[
            activity(activity_id, "M-LIA", activity_type, "2026-04-06T10:00:00Z", "Help Bot",
                     {} if raw is None else {attribute: raw})
            for activity_id, activity_type, attribute, raw, _ in STATUS_SYNONYMS
        ],
        # not chat activities: not applicable
        activity("NA-1", "M-ANN", "Visit Webpage", "2026-03-02T09:59:00Z", "https://acme.example",
                 {"Webpage URL": "https://acme.example"}),
        activity("NA-2", "M-ANN", "Fill Out Form", "2026-03-02T10:05:00Z", "Contact Us", None),
        # an exact duplicate of E1, and an older version of S1 under the same id
        activity("E1", "M-ANN", ENGAGED, "2026-03-02T10:00:00Z", "Pricing Bot",
                 {"Page URL": "https://acme.example/pricing", "Conversation Status": "Completed"}),
        activity("S1", "M-ANN", SCHEDULED, "2026-03-01 09:00", "Book a Demo",
                 {"Meeting Status": "Scheduled"}),
        *[
            activity(activity_id, lead, activity_type, at, attributes=attributes)
            for activity_id, (_, lead, activity_type, at, attributes) in REJECTED.items()
        ],
        MISSING_ID,
    ],
}  # fmt: skip


class Built:
    """The built scenario: read-only queries on its DuckDB file."""

    def __init__(self, db_path: Any, run: Any) -> None:
        self.db_path = db_path
        self.run = run

    def rows(self, sql: str) -> list[dict[str, Any]]:
        import duckdb

        with duckdb.connect(str(self.db_path), read_only=True) as con:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def by_id(self, table: str, key: str = "activity_id") -> dict[str, dict[str, Any]]:
        return {row[key]: row for row in self.rows(f"select * from {table}")}


@pytest.fixture(scope="module")
def chat(dbt_workspace: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """One `dbt build` of TABLES with chat data switched on (and a `2.10.0` package, newer than
    `2.4.0` when compared as versions)."""
    db_path = tmp_path_factory.mktemp("chat_activities") / "scenario.duckdb"
    result = build(
        db_path,
        rows=TABLES,
        vars=read_vars({"msi_package_version": "2.10.0", "msi_api_secret_key": "demo-key"}),
        target_path=dbt_workspace / "target",
        log_path=dbt_workspace / "logs",
        quiet=True,
    )
    yield Built(db_path, result.dbt)


def test_the_build_and_its_data_tests_pass(chat: Built) -> None:
    failures = [(n.name, n.message) for n in chat.run.failed_nodes]
    assert chat.run.error is None, chat.run.error
    assert failures == []


def test_a_2_10_package_is_newer_than_2_4_so_chat_data_is_shown(chat: Built) -> None:
    status = chat.rows("select * from marts.si_integration_status")
    assert [(s["msi_package_version"], s["package_version_ok"], s["chat_data_enabled"])
            for s in status] == [("2.10.0", True, True)]  # fmt: skip


def test_each_activity_type_with_its_attributes(chat: Built) -> None:
    facts = chat.by_id("marts.fct_chat_activities")
    columns = ["activity_type", "activity_at", "dialogue_name", "page_url", "status",
               "agent_name", "scheduled_for", "goal_name", "document_name"]  # fmt: skip
    got = {i: {c: facts[i][c] for c in columns} for i in ("E1", "S1", "G1", "D1")}
    assert got == {
        "E1": {"activity_type": "Engaged in Dialogue", "activity_at": datetime(2026, 3, 2, 10),
               "dialogue_name": "Pricing Bot", "page_url": "https://acme.example/pricing",
               "status": "Completed", "agent_name": None, "scheduled_for": None,
               "goal_name": None, "document_name": None},
        "S1": {"activity_type": "Scheduled Appointment", "activity_at": datetime(2026, 3, 3, 9),
               "dialogue_name": "Book a Demo", "page_url": "https://acme.example/demo",
               "status": "Rescheduled", "agent_name": "Sam Rivera",
               # `Scheduled For` as a UTC timestamp
               "scheduled_for": datetime(2026, 3, 5, 8), "goal_name": None,
               "document_name": None},
        "G1": {"activity_type": "Reached Goal", "activity_at": datetime(2026, 3, 4, 8),
               "dialogue_name": "Book a Demo", "page_url": "https://acme.example/demo",
               "status": None, "agent_name": None, "scheduled_for": None,
               "goal_name": "Booked Meeting", "document_name": None},
        "D1": {"activity_type": "Interacted with Document",
               "activity_at": datetime(2026, 3, 4, 9), "dialogue_name": "Benchmark",
               "page_url": "https://acme.example/blog", "status": "Downloaded",
               "agent_name": None, "scheduled_for": None, "goal_name": None,
               "document_name": "Benchmark.pdf"},
    }  # fmt: skip


def test_document_status_comes_from_the_downloaded_flag(chat: Built) -> None:
    facts = chat.by_id("marts.fct_chat_activities")
    assert {i: facts[i]["status"] for i in ("D1", "D2", "D3", "D4")} == {
        "D1": "Downloaded",  # JSON true
        "D2": "Opened",  # text "false"
        "D3": "Downloaded",  # text "TRUE"
        "D4": "Opened",  # no flag
    }


def test_every_status_synonym_maps_onto_its_canonical_value(chat: Built) -> None:
    facts = chat.by_id("marts.fct_chat_activities")
    got = {activity_id: facts[activity_id]["status"] for activity_id, *_ in STATUS_SYNONYMS}
    assert got == {activity_id: status for activity_id, *_, status in STATUS_SYNONYMS}


def test_a_contact_and_a_lead_of_the_same_marketo_person_the_contact_wins(chat: Built) -> None:
    facts = chat.by_id("marts.fct_chat_activities")
    people = {
        i: (facts[i]["lead_id"], facts[i]["contact_id"], facts[i]["account_id"],
            facts[i]["person_name"], facts[i]["email"])
        for i in ("E1", "G1", "F1", "SYN-01", "U1", "U2", "U3")
    }  # fmt: skip
    assert people == {
        "E1": (None, "C1", "A1", "Ann Lee", "ann@acme.com"),
        "G1": ("L1", None, "A1", "Bob Ray", "bob@acme.com"),  # the lead's matched account
        "F1": ("L3", None, None, "Lia Free", "lia2@nowhere.org"),  # unknown contact: the lead
        "SYN-01": ("L3", None, None, "Lia Free", "lia@nowhere.org"),
        "U1": (None, None, None, None, "gone@acme.com"),  # deleted contact and lead
        "U2": (None, None, None, None, None),  # no CRM ids; invalid email
        "U3": (None, None, None, None, None),  # Marketo lead unknown
    }
    contact_tab = chat.rows("select contact_id, activity_type from marts.si_chat_contact_tab")
    assert sorted((r["contact_id"], r["activity_type"]) for r in contact_tab) == [
        ("C1", "Engaged in Dialogue"),
        ("C1", "Scheduled Appointment"),
    ]
    lead_ids = {r["lead_id"] for r in chat.rows("select lead_id from marts.si_chat_lead_tab")}
    assert lead_ids == {"L1", "L3"}  # not L2: its person's activities are the contact's


def test_the_lead_tab_has_the_detail_columns(chat: Built) -> None:
    rows = chat.rows("select * from marts.si_chat_lead_tab where lead_id = 'L1' and "
                     "activity_type = 'Interacted with Document' order by activity_at")  # fmt: skip
    first = {k: v for k, v in rows[0].items() if k != "chat_activity_id"}
    assert first == {
        "lead_id": "L1", "activity_type": "Interacted with Document",
        "dialogue_name": "Benchmark", "activity_at": datetime(2026, 3, 4, 9),
        "page_url": "https://acme.example/blog", "status": "Downloaded", "agent_name": None,
        "scheduled_for": None, "goal_name": None, "document_name": "Benchmark.pdf",
    }  # fmt: skip
    assert len(rows) == 4


def test_an_opportunity_sees_the_chats_of_its_account_people(chat: Built) -> None:
    rows = chat.rows(
        "select o.opportunity_id, f.activity_id, o.person_name from marts.si_chat_opportunity_tab o"
        " join marts.fct_chat_activities f using (chat_activity_id)"
    )
    acme = sorted(["E1", "S1", "G1", "D1", "D2", "D3", "D4", "W1", "W2", "W3"])
    by_opportunity: dict[str, list[str]] = {}
    for row in rows:
        by_opportunity.setdefault(row["opportunity_id"], []).append(row["activity_id"])
    # the open and the closed opportunity of Acme; Globex's people had no chats
    assert {k: sorted(v) for k, v in by_opportunity.items()} == {"O1": acme, "O2": acme}
    names = {r["person_name"] for r in rows}
    assert names == {"Ann Lee", "Bob Ray"}
    account_tab = chat.rows("select account_id, count(*) as n from marts.si_chat_account_tab "
                            "group by all")  # fmt: skip
    assert account_tab == [{"account_id": "A1", "n": len(acme)}]


def test_the_global_tab_leaves_out_document_interactions(chat: Built) -> None:
    rows = chat.rows("select * from marts.si_chat_global_tab")
    assert {r["activity_type"] for r in rows} == {
        "Engaged in Dialogue", "Scheduled Appointment", "Reached Goal",
    }  # fmt: skip
    by_type_and_person = sorted(
        (r["person_name"], r["lead_id"], r["contact_id"], r["account_name"], r["activity_type"])
        for r in rows
        if r["person_name"] in ("Ann Lee", "Bob Ray")
    )
    assert by_type_and_person == [
        ("Ann Lee", None, "C1", "Acme", "Engaged in Dialogue"),
        ("Ann Lee", None, "C1", "Acme", "Scheduled Appointment"),
        ("Bob Ray", "L1", None, "Acme", "Engaged in Dialogue"),
        ("Bob Ray", "L1", None, "Acme", "Engaged in Dialogue"),
        ("Bob Ray", "L1", None, "Acme", "Reached Goal"),
        ("Bob Ray", "L1", None, "Acme", "Reached Goal"),
    ]
    # unlinked activities are in no Sales Insight mart
    assert not [r for r in rows if r["lead_id"] is None and r["contact_id"] is None]


def test_iso_weeks_across_a_year_boundary(chat: Built) -> None:
    rows = chat.rows("select * from marts.si_insights_chat_weekly where lead_id = 'L1' "
                     "order by week_start")  # fmt: skip
    counts = [
        (r["week_start"], r["engaged_in_dialogue_count"], r["scheduled_appointment_count"],
         r["reached_goal_count"], r["interacted_with_document_count"], r["activity_count"],
         r["last_activity_at"])
        for r in rows
    ]  # fmt: skip
    assert counts == [
        (date(2026, 3, 2), 0, 0, 1, 4, 5, datetime(2026, 3, 8, 23, 59, 59)),
        # 2026-12-31 (Thursday) and 2027-01-01 (Friday): ISO week 53 of 2026
        (date(2026, 12, 28), 1, 0, 1, 0, 2, datetime(2027, 1, 1, 8)),
        (date(2027, 1, 4), 1, 0, 0, 0, 1, datetime(2027, 1, 4, 1, 30)),
    ]
    assert {(r["person_name"], r["account_id"], r["contact_id"]) for r in rows} == {
        ("Bob Ray", "A1", None)
    }
    ann = chat.rows("select * from marts.si_insights_chat_weekly where contact_id = 'C1'")
    assert [(r["week_start"], r["activity_count"], r["lead_id"]) for r in ann] == [
        (date(2026, 3, 2), 2, None)
    ]


def test_bad_rows_are_rejected_with_their_reason(chat: Built) -> None:
    rejected = chat.rows(
        "select source_row_id, reason from audit.rejected_rows "
        "where source_table = 'marketo_activities'"
    )
    assert sorted((r["source_row_id"] or "", r["reason"]) for r in rejected) == sorted(
        [(activity_id, reason) for activity_id, (reason, *_) in REJECTED.items()]
        + [("", "missing_activity_id")]
    )
    facts = chat.by_id("marts.fct_chat_activities")
    assert not set(REJECTED) & set(facts)


def test_every_raw_row_is_accounted_for(chat: Built) -> None:
    accounting = chat.rows(
        "select * from audit.row_accounting where source_table like 'marketo%' "
        "order by source_table"
    )
    activities = len(TABLES["marketo_activities"])
    assert accounting == [
        {"source_table": "marketo_activities", "raw_rows": activities,
         "accepted_rows": activities - len(REJECTED) - 1 - 2 - 2,
         "rejected_rows": len(REJECTED) + 1, "duplicate_rows": 2, "not_applicable_rows": 2},
        {"source_table": "marketo_leads", "raw_rows": 6, "accepted_rows": 6,
         "rejected_rows": 0, "duplicate_rows": 0, "not_applicable_rows": 0},
    ]  # fmt: skip
    # the newer S1 is kept
    assert chat.by_id("marts.fct_chat_activities")["S1"]["status"] == "Rescheduled"


def test_every_sales_insight_mart_goes_through_the_one_switch() -> None:
    from chat_touchpoints.project import project_dir

    folder = project_dir() / "models" / "marts" / "sales_insight"
    for mart in SI_MARTS:
        assert "{{ chat_data_shown() }}" in (folder / f"{mart}.sql").read_text(), mart
    switched = {p.stem for p in folder.glob("si_*.sql")} - {"si_integration_status"}
    assert switched == set(SI_MARTS)
