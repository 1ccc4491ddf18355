"""Extreme and impossible values in raw rows: each one is a rejected row with its reason (or a
value read correctly), never an error that stops the build. Rule book: "Timestamps and values",
"Bad input and row accounting".

All scenarios are built together in one `dbt run` (their ids do not overlap); each test reads its
own rows from the `base_` models.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

# session_started_at text -> the UTC timestamp staging reads, or the reject reason
TIMESTAMPS: dict[str, datetime | str] = {
    "2026-01-12T08:30:00+99:99": "unparseable_session_started_at",
    "2026-01-12T08:30:00+14:01": "unparseable_session_started_at",
    "2026-01-12T08:30:00-14:30": "unparseable_session_started_at",
    "2026-01-12T08:30:00+05:60": "unparseable_session_started_at",
    "2026-01-12T08:30:00+0530": "unparseable_session_started_at",
    "2026-01-12T08:30:00+14:00": datetime(2026, 1, 11, 18, 30),
    "2026-01-12T08:30:00-14:00": datetime(2026, 1, 12, 22, 30),
    "2026-01-12T08:30:00+13:59": datetime(2026, 1, 11, 18, 31),
    "2026-01-12T08:30:00.123456-03:30": datetime(2026, 1, 12, 12, 0, 0, 123456),
    # the UTC value must lie in years 1-9999
    "9999-12-31T23:59:59-14:00": "unparseable_session_started_at",
    "9999-12-31T09:59:59-14:00": datetime(9999, 12, 31, 23, 59, 59),
    "0001-01-01T00:00:00+14:00": "unparseable_session_started_at",
    "0001-01-01T14:00:00+14:00": datetime(1, 1, 1, 0, 0),
    "0000-06-01T00:00:00Z": "unparseable_session_started_at",
    # the forms of ISO-8601 the rule book names, and near misses
    "2026-01-12": datetime(2026, 1, 12),
    "2026-01-12 08:30": datetime(2026, 1, 12, 8, 30),
    "2026-01-12T08:30Z": datetime(2026, 1, 12, 8, 30),
    " 2026-01-12T08:30:00+01:00 ": datetime(2026, 1, 12, 7, 30),
    "2026-02-30T00:00:00Z": "unparseable_session_started_at",
    "2026-01-12T08:30:00.1234567Z": "unparseable_session_started_at",
    "2026-01-12t08:30:00z": "unparseable_session_started_at",
    "2026-01-12+01:00": "unparseable_session_started_at",
    "\uff12\uff10\uff12\uff16-01-12": "unparseable_session_started_at",  # full-width digits
}

# crm_opportunities.amount text -> the amount, or the reject reason
AMOUNTS: dict[str, Decimal | str] = {
    "12345678901234567890": "unparseable_amount",
    "9999999999999999.995": "unparseable_amount",
    "9999999999999999.99": Decimal("9999999999999999.99"),
    "-0000000000000000000000012.5": Decimal("-12.50"),
    "1e5": "unparseable_amount",
    "NaN": "unparseable_amount",
    "-": "unparseable_amount",
}

# crm_opportunities.close_date text -> the date, or the reject reason
CLOSE_DATES: dict[str, date | str] = {
    "0000-01-01": "unparseable_close_date",
    "9999-12-31": date(9999, 12, 31),
    "0001-01-01": date(1, 1, 1),
    "2026-02-29": "unparseable_close_date",
    "2028-02-29": date(2028, 2, 29),
}


def _sessions() -> list[dict[str, str]]:
    return [
        {"session_id": f"S{i}", "visitor_id": "V1", "session_started_at": text}
        for i, text in enumerate(TIMESTAMPS)
    ]


def _opportunities() -> list[dict[str, str]]:
    rows = [
        {"opportunity_id": f"A{i}", "created_at": "2026-01-01", "amount": text}
        for i, text in enumerate(AMOUNTS)
    ]
    rows += [
        {"opportunity_id": f"D{i}", "created_at": "2026-01-01", "close_date": text}
        for i, text in enumerate(CLOSE_DATES)
    ]
    return rows


@pytest.fixture(scope="module")
def built(scenario_builder: Callable[..., Any]) -> Any:
    scenario = scenario_builder(
        {"web_sessions": _sessions(), "crm_opportunities": _opportunities()}, command="run"
    )
    assert scenario.success, scenario.failures
    return scenario


def _outcome(row: dict[str, Any], column: str) -> Any:
    return row["reject_reason"] if row["reject_reason"] else row[column]


def test_offsets_beyond_14_hours_and_utc_values_outside_years_1_to_9999_are_unparseable(
    built: Any,
) -> None:
    rows = {
        r["session_id"]: r
        for r in built.rows("select * from staging.base_web__sessions order by session_id")
    }
    got = {
        text: _outcome(rows[f"S{i}"], "session_started_at") for i, text in enumerate(TIMESTAMPS)
    }
    assert got == TIMESTAMPS


def test_an_amount_too_large_for_its_type_is_one_rejected_row_not_a_failed_build(
    built: Any,
) -> None:
    rows = {
        r["opportunity_id"]: r
        for r in built.rows("select * from staging.base_crm__opportunities")
    }
    got = {text: _outcome(rows[f"A{i}"], "amount") for i, text in enumerate(AMOUNTS)}
    assert got == AMOUNTS
    got_dates = {
        text: _outcome(rows[f"D{i}"], "close_date") for i, text in enumerate(CLOSE_DATES)
    }
    assert got_dates == CLOSE_DATES
    accounting = built.rows(
        "select * from audit.row_accounting where source_table = 'crm_opportunities'"
    )[0]
    assert accounting["raw_rows"] == len(AMOUNTS) + len(CLOSE_DATES)
    assert accounting["rejected_rows"] == sum(
        isinstance(v, str) for v in [*AMOUNTS.values(), *CLOSE_DATES.values()]
    )
