"""A synthetic raw data set of any size: `chat-touchpoints generate`. Its vocabulary (names,
pages, campaign types, bad values, ...) is in `chat_touchpoints.vocabulary`.

People are generated one at a time and their rows streamed straight to the eleven CSV files, so
memory stays flat whatever the size. One `random.Random(seed)` drives everything: the same seed
and arguments give byte-identical files.

What the data holds (per person, on average): a CRM lead and/or contact (some converted leads,
some emails shared by two records), ~3 web sessions from one or two browsers, Drift conversations
for about a third of the people, campaign memberships, tasks (chats logged as "Drift chat with
..."), a Marketo lead and its activities (the four chat types and some others). Accounts come
with opportunities. About `bad_rate` of all rows are made unusable in one way staging rejects
(unparseable timestamp, date, boolean or number, missing id, invalid captured email, malformed
JSON, unknown enumeration value, closed opportunity without a close date) and about
`duplicate_rate` are written twice, as exact or near duplicates (same id, one value changed).
"""

from __future__ import annotations

import csv
import json
import random
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO, TypeVar

from chat_touchpoints.raw_tables import RAW_TABLES
from chat_touchpoints.vocabulary import (
    AGENTS,
    BAD_BOOLEANS,
    BAD_DATES,
    BAD_EMAILS,
    BAD_ENUMS,
    BAD_JSON,
    BAD_NUMBERS,
    BAD_TIMESTAMPS,
    CAMPAIGN_TYPES,
    COMPANY_SUFFIXES,
    COMPANY_WORDS,
    DAMAGE,
    DAY,
    DIALOGUES,
    DOCUMENTS,
    ENGAGED_STATUSES,
    FIRST_NAMES,
    FREEMAIL,
    GOALS,
    LAST_NAMES,
    MEETING_STATUSES,
    MEMBER_STATUSES,
    NEAR_DUPLICATE,
    OTHER_ACTIVITIES,
    PAGES,
    REFERRERS,
    SITE,
    START,
    TASKS,
    TLDS,
    UTMS,
)

T = TypeVar("T")


def _ascii(text: str) -> str:
    """`text` without accents, as people type email addresses."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


class _Table:
    """One CSV file being written: header, then rows, some damaged or duplicated."""

    def __init__(self, name: str, out: Path, gen: _Generator) -> None:
        self.name = name
        self.columns = RAW_TABLES[name]
        # closed by close(): the generator keeps all eleven files open while streaming
        self.file: TextIO = open(  # noqa: SIM115
            out / f"{name}.csv", "w", newline="", encoding="utf-8", buffering=1 << 20
        )
        self.writer = csv.writer(self.file, lineterminator="\n")
        self.writer.writerow(self.columns)
        self.gen = gen
        self.rows = 0
        self.damage = [(self.columns.index(c), kind) for c, kind in DAMAGE[name].items()]
        self.near_index = self.columns.index(NEAR_DUPLICATE[name])

    def write(self, *values: str) -> None:
        rng = self.gen.rng
        row = list(values)
        if rng.random() < self.gen.bad_rate:
            self._damage(row)
        self.writer.writerow(row)
        self.rows += 1
        if rng.random() < self.gen.duplicate_rate:
            if rng.random() < 0.4:
                value = row[self.near_index]
                row[self.near_index] = value.upper() if value != value.upper() else value + " "
            self.writer.writerow(row)
            self.rows += 1

    def _damage(self, row: list[str]) -> None:
        rng = self.gen.rng
        index, kind = self.damage[rng.randrange(len(self.damage))]
        column = self.columns[index]
        if kind == "email":
            if row[self.columns.index("event_type")] != "email_captured":
                index, kind = self.columns.index("occurred_at"), "timestamp"
            else:
                row[index] = self.gen.pick(BAD_EMAILS)
                return
        if kind == "id":
            row[index] = self.gen.pick(("", " ", ""))
        elif kind == "timestamp":
            row[index] = self.gen.pick(BAD_TIMESTAMPS)
        elif kind == "date":
            row[index] = self.gen.pick(BAD_DATES)
        elif kind == "boolean":
            row[index] = self.gen.pick(BAD_BOOLEANS)
        elif kind == "number":
            row[index] = self.gen.pick(BAD_NUMBERS)
        elif kind == "enum":
            row[index] = self.gen.pick(BAD_ENUMS[column])
        elif kind == "json":
            row[index] = self.gen.pick(BAD_JSON + BAD_ENUMS["attributes"])
        elif kind == "closed_without_date":
            row[index] = "true"
            row[self.columns.index("close_date")] = ""

    def close(self) -> None:
        self.file.close()


class _Generator:
    """Generates the whole data set; see the module docstring."""

    def __init__(
        self, out: Path, people: int, days: int, seed: int, bad_rate: float, duplicate_rate: float
    ) -> None:
        self.rng = random.Random(seed)
        self.people = people
        self.start = START.timestamp()
        self.span = days * DAY
        self.bad_rate = bad_rate
        self.duplicate_rate = duplicate_rate
        out.mkdir(parents=True, exist_ok=True)
        self.t = {name: _Table(name, out, self) for name in RAW_TABLES}
        self.ids: dict[str, int] = {}
        # where every id sequence starts counting (a delta's new rows count from far above)
        self.id_offset = 0
        self.recent_emails: list[str] = []
        self.recent_accounts: list[tuple[str, str]] = []
        self.account: tuple[str, str] | None = None
        self.campaigns: list[tuple[str, str, str]] = []
        self.chat_campaigns: list[tuple[str, str, str]] = []

    # -- formatting -----------------------------------------------------------------------------

    def pick(self, items: Sequence[T]) -> T:
        """A random item (as `random.choice`, faster)."""
        return items[int(self.rng.random() * len(items))]

    def next_id(self, prefix: str, width: int = 12) -> str:
        """`prefix` and the next number of its sequence, zero-padded (CRM-style ids)."""
        return f"{prefix}{self.next_number(prefix):0{width}d}"

    def next_number(self, sequence: str) -> int:
        n = self.ids.get(sequence, self.id_offset) + 1
        self.ids[sequence] = n
        return n

    def ts(self, epoch: float, date_only_share: float = 0.0) -> str:
        """`epoch` as ISO-8601 text in one of the accepted formats (docs/rules.md, "Timestamps
        and values")."""
        rng = self.rng
        r = rng.random()
        if r < date_only_share:
            return time.strftime("%Y-%m-%d", time.gmtime(epoch))
        seconds = int(epoch)
        if r < 0.35:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
        if r < 0.55:
            return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))
        micros = f"{int((epoch - seconds) * 1_000_000):06d}"
        if r < 0.70:
            digits = rng.randint(1, 6)
            return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{micros[:digits]}Z"
        if r < 0.90:
            offset = self.pick((60, -300, 330, -480, 120, 0, -180, 540))
            sign = "+" if offset >= 0 else "-"
            local = time.gmtime(seconds + offset * 60)
            fraction = f".{micros[:3]}" if r < 0.80 else ""
            return (
                time.strftime("%Y-%m-%dT%H:%M:%S", local)
                + fraction
                + f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
            )
        if r < 0.95:
            return time.strftime("%Y-%m-%dT%H:%M", time.gmtime(seconds))
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + f".{micros}"

    @staticmethod
    def date(epoch: float) -> str:
        return time.strftime("%Y-%m-%d", time.gmtime(epoch))

    def boolean(self, value: bool, null_share: float = 0.0) -> str:
        rng = self.rng
        if null_share and rng.random() < null_share:
            return ""
        if value:
            return self.pick(("true", "true", "true", "TRUE", "True", "1"))
        return self.pick(("false", "false", "false", "FALSE", "False", "0"))

    def deleted(self) -> str:
        return self.boolean(self.rng.random() < 0.02, null_share=0.3)

    def moment(self, low: float = 0.0, high: float = 1.0) -> float:
        """A random instant between the given fractions of the period."""
        return self.start + self.span * self.rng.uniform(low, high)

    def messy_email(self, email: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.5:
            return email
        if r < 0.65:
            return email.upper()
        if r < 0.8:
            return "  " + email + " "
        if r < 0.9:
            return email.title()
        return " " + email.capitalize()

    # -- entities -------------------------------------------------------------------------------

    def write_campaigns(self) -> None:
        rng = self.rng
        count = max(len(CAMPAIGN_TYPES) * 2, min(500, self.people // 100))
        for i in range(count):
            campaign_type, sync = CAMPAIGN_TYPES[i % len(CAMPAIGN_TYPES)]
            if rng.random() < 0.15:
                sync = self.pick(("Include_All", "Include_Responded", "Exclude_All"))
            campaign_id = self.next_id("701", 15)
            name = f"{campaign_type} {2026 if i % 3 else 2025} #{i + 1}"
            start = end = ""
            if rng.random() < 0.4:
                start = self.date(self.moment(-0.2, 0.3))
            if rng.random() < 0.3:
                end = self.date(self.moment(0.5, 1.2))
            deleted = rng.random() < 0.03
            self.t["crm_campaigns"].write(
                campaign_id,
                name,
                campaign_type,
                sync,
                start,
                end,
                self.boolean(deleted, null_share=0.3),
            )
            if not deleted:
                self.campaigns.append((campaign_id, campaign_type, sync))
        self.chat_campaigns = [c for c in self.campaigns if c[1] == "Chat"]

    def new_account(self) -> tuple[str, str]:
        rng = self.rng
        account_id = self.next_id("001", 15)
        word = self.pick(COMPANY_WORDS)
        suffix = self.pick(COMPANY_SUFFIXES)
        n = self.ids["001"]
        domain = f"{word}-{suffix}{n}{self.pick(TLDS)}"
        r = rng.random()
        if r < 0.3:
            website = f"https://www.{domain}"
        elif r < 0.5:
            website = f"www.{domain}"
        elif r < 0.7:
            website = f"http://{domain}/"
        elif r < 0.95:
            website = domain
        else:
            website = ""
        self.t["crm_accounts"].write(
            account_id, f"{word.title()} {suffix.title()} {n}", website, self.deleted()
        )
        for _ in range(self.pick((0, 0, 1, 1, 1, 2, 3))):
            self.write_opportunity(account_id)
        self.recent_accounts = [*self.recent_accounts[-49:], (account_id, domain)]
        return account_id, domain

    def write_opportunity(self, account_id: str) -> None:
        rng = self.rng
        created = self.moment(0.1, 1.0)
        end = self.start + self.span
        close = created + rng.uniform(3, 90) * DAY
        is_closed = close < end and rng.random() < 0.8
        is_won = is_closed and rng.random() < 0.4
        close_date = self.date(close) if is_closed or rng.random() < 0.7 else ""
        amount = f"{rng.randrange(4, 400) * 250}.00" if rng.random() < 0.95 else ""
        stage = "Won" if is_won else ("Lost" if is_closed else "Open")
        opportunity_id = self.next_id("006", 15)
        self.t["crm_opportunities"].write(
            opportunity_id,
            account_id,
            f"Deal {self.ids['006']} ({stage})",
            self.ts(created, 0.05),
            close_date,
            self.boolean(is_closed),
            self.boolean(is_won),
            amount,
            self.deleted(),
        )

    def write_person(self, i: int) -> None:
        rng = self.rng
        if self.account is None or rng.random() < 1 / 7:
            self.account = self.new_account()
        account_id, domain = self.account
        if self.recent_accounts and rng.random() < 0.05:
            account_id, domain = self.pick(self.recent_accounts)
        first, last = self.pick(FIRST_NAMES), self.pick(LAST_NAMES)
        local = _ascii(f"{first}.{last}".lower().replace(" ", "").replace("'", ""))
        if rng.random() < 0.15:
            domain = self.pick(FREEMAIL)
        email = f"{local}{i}@{domain}"
        if self.recent_emails and rng.random() < 0.02:
            email = self.pick(self.recent_emails)  # a second record with the same email
        self.recent_emails = [*self.recent_emails[-99:], email]

        kind = rng.random()
        lead_id = contact_id = ""
        first_seen = self.moment(0.0, 0.9)
        if kind < 0.55 or kind >= 0.80:
            lead_id = self.next_id("00Q", 15)
        if kind >= 0.55:
            contact_id = self.next_id("003", 15)
        converted = bool(lead_id and contact_id)
        lead_created = first_seen + rng.uniform(0, 5) * DAY
        if lead_id:
            self.t["crm_leads"].write(
                lead_id,
                email if rng.random() < 0.97 else self.messy_email(email),
                first,
                last,
                domain.split(".")[0].replace("-", " ").title(),
                self.ts(lead_created, 0.03),
                self.boolean(converted),
                contact_id if converted else "",
                self.deleted(),
            )
        if contact_id:
            created = lead_created + rng.uniform(1, 20) * DAY if converted else lead_created
            self.t["crm_contacts"].write(
                contact_id,
                account_id if rng.random() < 0.97 else "",
                email,
                first,
                last,
                self.ts(created, 0.03),
                self.deleted(),
            )
        person = contact_id or lead_id

        chats = self.write_web_activity(email, first_seen)
        self.write_memberships(lead_id, contact_id, chats)
        self.write_tasks(person, lead_id, first, last, chats)
        self.write_marketo(email, lead_id, contact_id, chats, first_seen)

    def write_web_activity(self, email: str, first_seen: float) -> list[float]:
        """Sessions of the person's browsers and Drift conversations; returns the chat times."""
        rng = self.rng
        visitors = [self.next_id("V", 10) for _ in range(1 if rng.random() < 0.85 else 2)]
        sessions = []
        t = first_seen
        for _ in range(1 + min(int(rng.expovariate(0.6)), 12)):
            sessions.append((self.write_session(self.pick(visitors), t), t))
            t += rng.expovariate(1 / (6 * DAY))
        chats = []
        n_chats = 0 if rng.random() < 0.65 else (1 if rng.random() < 0.85 else 2)
        for _ in range(n_chats):
            session_id, started = self.pick(sessions)
            if rng.random() < 0.03:
                session_id = self.pick(("", "S_unknown_" + session_id))
            at = started + rng.uniform(10, 900)
            self.write_conversation(session_id, at, email if rng.random() < 0.85 else None)
            chats.append(at)
        if rng.random() < 0.6:  # a visitor who never identified
            anonymous = self.write_session(self.next_id("V", 10), self.moment())
            if rng.random() < 0.1:
                self.write_conversation(anonymous, self.moment(), None)
        return chats

    def write_session(self, visitor_id: str, at: float) -> str:
        rng = self.rng
        session_id = self.next_id("S", 12)
        source = medium = campaign = ""
        if rng.random() < 0.45:
            source, medium, campaign = self.pick(UTMS)
        page = SITE + self.pick(PAGES)
        if campaign:
            page += f"?utm_source={source}&utm_medium={medium}&utm_campaign={campaign}"
        r = rng.random()
        tracking = "" if r < 0.85 else ("true" if r < 0.93 else self.pick(("false", "FALSE")))
        self.t["web_sessions"].write(
            session_id,
            visitor_id,
            self.ts(at),
            page,
            self.pick(REFERRERS),
            source,
            medium,
            campaign,
            tracking,
        )
        return session_id

    def write_conversation(self, session_id: str, at: float, email: str | None) -> None:
        rng = self.rng
        events = self.t["drift_chat_events"]
        conversation_id = self.next_id("DC", 12)
        page = SITE + self.pick(PAGES)
        events.write(
            self.next_id("E", 13),
            conversation_id,
            session_id,
            "conversation_started",
            self.ts(at),
            "",
            page,
        )
        for _ in range(rng.randint(1, 4)):
            at += rng.uniform(5, 120)
            events.write(
                self.next_id("E", 13),
                conversation_id,
                session_id,
                "message_sent",
                self.ts(at),
                "",
                page,
            )
        if email is not None:
            for _ in range(1 if rng.random() < 0.95 else 2):  # some visitors type it twice
                at += rng.uniform(5, 60)
                events.write(
                    self.next_id("E", 13),
                    conversation_id,
                    session_id,
                    "email_captured",
                    self.ts(at),
                    self.messy_email(email),
                    page,
                )
        if rng.random() < 0.8:
            at += rng.uniform(30, 600)
            events.write(
                self.next_id("E", 13),
                conversation_id,
                session_id,
                "conversation_closed",
                self.ts(at),
                "",
                page,
            )

    def write_memberships(self, lead_id: str, contact_id: str, chats: list[float]) -> None:
        rng = self.rng
        members = self.t["crm_campaign_members"]
        picks = [self.pick(self.campaigns) for _ in range(self.pick((0, 0, 1, 1, 2, 3)))]
        chat_campaigns = self.chat_campaigns
        for _ in chats:  # chats logged by uploading the visitor to a Chat campaign
            if chat_campaigns and rng.random() < 0.6:
                picks.append(chat_campaigns[rng.randrange(len(chat_campaigns))])
        for campaign_id, _campaign_type, _sync in picks:
            created = (
                chats[0] + rng.uniform(0, 3) * DAY
                if chats and rng.random() < 0.5
                else self.moment()
            )
            responded = rng.random() < 0.5
            member_lead = lead_id
            if contact_id and lead_id and rng.random() < 0.6:
                member_lead = ""
            members.write(
                self.next_id("00v", 15),
                campaign_id,
                member_lead,
                contact_id,
                "Responded" if responded else self.pick(MEMBER_STATUSES),
                self.boolean(responded, null_share=0.05),
                self.ts(created + rng.uniform(0, 2) * DAY) if responded else "",
                self.ts(created - rng.uniform(0, 1) * DAY) if rng.random() < 0.15 else "",
                self.ts(created),
                self.deleted(),
            )

    def write_tasks(
        self, who_id: str, lead_id: str, first: str, last: str, chats: list[float]
    ) -> None:
        rng = self.rng
        tasks = self.t["crm_tasks"]
        for at in chats:
            if rng.random() < 0.5:
                subject = self.pick(
                    (
                        f"Drift chat with {first} {last}",
                        f"Chat: {first} {last}",
                        f"drift chat with {first}",
                        "Conversation in Drift",
                    )
                )
                tasks.write(
                    self.next_id("00T", 15),
                    who_id,
                    subject,
                    "Chat",
                    self.ts(at + rng.uniform(60, 3600)),
                    self.date(at),
                    self.deleted(),
                )
        for _ in range(self.pick((0, 0, 1, 1, 2))):
            task_type, subject = self.pick(TASKS)
            at = self.moment()
            target = lead_id if lead_id and rng.random() < 0.3 else who_id
            if rng.random() < 0.01:
                target = "00Q_unknown_person"
            tasks.write(
                self.next_id("00T", 15),
                target,
                subject,
                task_type,
                self.ts(at),
                self.date(at + rng.uniform(0, 2) * DAY),
                self.deleted(),
            )

    def write_marketo(
        self, email: str, lead_id: str, contact_id: str, chats: list[float], first_seen: float
    ) -> None:
        rng = self.rng
        if rng.random() < 0.2:
            return
        marketo_id = str(1_000_000 + self.next_number("marketo_lead"))
        sfdc_lead, sfdc_contact = lead_id, contact_id
        r = rng.random()
        if r < 0.03:
            sfdc_lead = sfdc_contact = ""
        elif r < 0.05:
            sfdc_contact = "003_missing_" + marketo_id
        self.t["marketo_leads"].write(marketo_id, email, sfdc_lead, sfdc_contact)
        activities = self.t["marketo_activities"]
        n_chat = len(chats) + self.pick((0, 0, 0, 1, 2))
        for k in range(n_chat):
            at = chats[k] + rng.uniform(0, 600) if k < len(chats) else self.moment()
            activity_type, attributes = self.chat_activity(at)
            activities.write(
                str(self.next_number("marketo_activity")),
                marketo_id,
                activity_type,
                self.ts(at),
                self.pick(DIALOGUES),
                json.dumps(attributes, ensure_ascii=False),
            )
        for _ in range(self.pick((0, 1, 1, 2, 3))):
            activity_type, attribute, values = self.pick(OTHER_ACTIVITIES)
            at = first_seen + rng.uniform(0, 30) * DAY
            value = self.pick(values)
            activities.write(
                str(self.next_number("marketo_activity")),
                marketo_id,
                activity_type,
                self.ts(at),
                value,
                json.dumps({attribute: value, "Client IP Address": "203.0.113.7"}),
            )

    def chat_activity(self, at: float) -> tuple[str, dict[str, object]]:
        rng = self.rng
        page = SITE + self.pick(PAGES)
        r = rng.random()
        if r < 0.5:
            status = self.pick(ENGAGED_STATUSES)
            attributes: dict[str, object] = {"Page URL": page}
            if status is not None:
                attributes["Conversation Status"] = status
            return "Engaged with a Dialogue", attributes
        if r < 0.7:
            attributes = {
                "Page URL": page,
                "Agent Name": self.pick(AGENTS),
                "Scheduled For": self.ts(at + rng.uniform(1, 10) * DAY),
            }
            status = self.pick(MEETING_STATUSES)
            if status is not None:
                attributes["Meeting Status"] = status
            return "Scheduled Meeting in Dialogue", attributes
        if r < 0.85:
            return "Reached Dialogue Goal", {"Page URL": page, "Goal Name": self.pick(GOALS)}
        downloaded = self.pick((True, False, "true", "false", "TRUE"))
        return "Interacted with Document in Dialogue", {
            "Page URL": page,
            "Document Name": self.pick(DOCUMENTS),
            "Document Opened": True,
            "Document Downloaded": downloaded,
        }

    def run(self) -> dict[str, int]:
        try:
            self.write_campaigns()
            for i in range(self.people):
                self.write_person(i + 1)
        finally:
            for table in self.t.values():
                table.close()
        return {name: table.rows for name, table in self.t.items()}


def generate(
    out: Path,
    people: int,
    days: int = 90,
    seed: int = 1,
    bad_rate: float = 0.015,
    duplicate_rate: float = 0.01,
) -> dict[str, int]:
    """Write `<table>.csv` for every raw table (`RAW_TABLES`) into `out` (header row, columns in
    the specified order). Returns the rows written per table."""
    generator = _Generator(Path(out), people, days, seed, bad_rate, duplicate_rate)
    return generator.run()


# What a delta changes in the company so far, per day of delta: the share of opportunities that
# close, of leads, contacts and opportunities that are deleted, and of sessions, chat events and
# Marketo activities that arrive late (a copy under a new id, with its original, earlier time).
DELTA_CLOSED_SHARE = 0.03
DELTA_DELETED_SHARE = 0.005
DELTA_LATE_SHARE = 0.003
_LATE_TABLES = {
    "web_sessions": "session_id",
    "drift_chat_events": "event_id",
    "marketo_activities": "activity_id",
}


def generate_delta(
    out: Path,
    people: int,
    days: int,
    delta_days: int,
    seed: int = 1,
    bad_rate: float = 0.015,
    duplicate_rate: float = 0.01,
    history: Path | None = None,
) -> dict[str, int]:
    """Write into `out` the next `delta_days` days of the company that `generate(..., people,
    days, seed)` writes, as files for `chat-touchpoints build --append`: new people and their
    rows (ids that the first data set does not use), late rows for earlier days, rows repeating
    an earlier id that supersede it (opportunities that closed, records that were deleted).
    Deterministic for the arguments. Returns the rows written per table. `history`: a directory
    where that company was already written with the same arguments (it is read, not changed);
    without it, the company is generated again in a temporary directory."""
    out = Path(out)
    with tempfile.TemporaryDirectory() as scratch:
        if history is None:
            history = Path(scratch)
            generate(history, people, days, seed, bad_rate, duplicate_rate)
        cohort = max(1, round(people * delta_days / days))
        new = _Generator(out, cohort, delta_days, seed * 7919 + days, bad_rate, duplicate_rate)
        new.start = START.timestamp() + days * DAY
        new.id_offset = 10**9 * (1 + days % 90)
        counts = new.run()
        rng = random.Random(seed * 104729 + days * 31 + delta_days)
        delta_end = new.start + delta_days * DAY
        for table in RAW_TABLES:
            counts[table] += _changes(Path(history), out, table, rng, delta_days, delta_end)
    return counts


def _changes(
    history: Path, out: Path, table: str, rng: random.Random, delta_days: int, delta_end: float
) -> int:
    """Append to `out`'s file of `table` the delta's rows that concern earlier rows."""
    columns = RAW_TABLES[table]
    closed = DELTA_CLOSED_SHARE * delta_days
    deleted = DELTA_DELETED_SHARE * delta_days
    late = DELTA_LATE_SHARE * delta_days
    written = 0
    with (
        (history / f"{table}.csv").open(newline="", encoding="utf-8") as source,
        (out / f"{table}.csv").open("a", newline="", encoding="utf-8") as target,
    ):
        writer = csv.writer(target, lineterminator="\n")
        for row in csv.DictReader(source):
            changed = None
            is_closed = row.get("is_closed", "").strip().lower()
            open_opportunity = table == "crm_opportunities" and is_closed in ("false", "0")
            if open_opportunity and rng.random() < closed:
                won = rng.random() < 0.4
                close = rng.uniform(delta_end - delta_days * DAY, delta_end)
                changed = {
                    **row,
                    "is_closed": "true",
                    "is_won": "true" if won else "false",
                    "close_date": time.strftime("%Y-%m-%d", time.gmtime(close)),
                }
            deletable = table in ("crm_leads", "crm_contacts", "crm_opportunities")
            if deletable and rng.random() < deleted:
                changed = {**(changed or row), "is_deleted": "true"}
            if table in _LATE_TABLES and rng.random() < late:
                id_column = _LATE_TABLES[table]
                changed = {**row, id_column: f"{row[id_column]}L{int(delta_end) // DAY}"}
            if changed is not None:
                writer.writerow([changed[c] for c in columns])
                written += 1
    return written
