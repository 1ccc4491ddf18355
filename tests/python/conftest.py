"""Scenario harness: build the project on a few hand-written raw rows and read the result.

`build_scenario(tables, vars=None, command="build") -> Scenario` (a pytest fixture) creates a fresh
DuckDB file, creates all 11 raw tables (`RAW_TABLES`) in schema `raw` (the rows given, every
other table empty; every column varchar; a row may omit columns, which are then null), loads the
configuration seeds given in `tables` (`activity_rules`, `channel_rules`, `offline_channels`)
into `config.<name>`, and runs `dbt build` with every data test (the unit tests, which read
their own fixtures, run in scripts/test.sh's sample builds) or `dbt run` (faster: no tests, and
the seeds that nobody gave are loaded from `seeds/config/` as text) excluding the seeds it
replaced. It goes through the same loading and dbt runner code as `chat-touchpoints build`. The
API secret key is unset unless `vars` has `msi_api_secret_key`.

    def test_a_chat_before_t0_is_suppressed(build_scenario):
        scenario = build_scenario(
            {
                "crm_leads": [{"lead_id": "L1", "email": "ada@acme.com",
                               "created_at": "2026-01-02T09:00:00Z"}],
                "drift_chat_events": [{"event_id": "E1", "conversation_id": "C1",
                                       "event_type": "email_captured", "email": " Ada@ACME.com ",
                                       "occurred_at": "2026-01-31T23:59:59Z"}],
            },
            vars={"web_chat_enabled_at": "2026-02-01T00:00:00Z"},
        )
        assert scenario.success, scenario.failures
        assert scenario.table("audit.touchpoint_suppressions", where="chat_event_id = 'E1'")[0][
            "suppression_reason"] == "before_web_chat_enabled"

For one build shared by several tests, use the session fixture `scenario_builder` (same call)
from a module-scoped fixture.

`Scenario`: `.success` (bool), `.failures` (list of `Failure(name, message)`: failing dbt nodes and
errors), `.rows(sql, params=None) -> list[dict]` (read-only; the file is closed afterwards),
`.table(name, where=None, order_by=None) -> list[dict]` (`name` is `schema.table`, or a table name
found in exactly one schema; default order: all columns), `.db_path`, `.run` (the dbt outcome).

Shared by the test modules (`from conftest import ...`): `SI_MARTS`, the Sales Insight marts behind
the one switch; `table(header, *rows)`, expected rows written as a header and value tuples, and
`sorted_rows(rows, columns)`, actual rows in the same normalised, sorted form (`normalize` turns
timestamps into UTC text, dates into ISO text and numbers into floats rounded to 9 places), so
that the two compare with `==`.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pytest

from chat_touchpoints.build import build, read_vars
from chat_touchpoints.loading import TABLE_SPECS
from chat_touchpoints.raw_tables import RAW_TABLES
from chat_touchpoints.runner import SECRET_ENV, DbtRun

Rows = Sequence[Mapping[str, Any]]

# The Sales Insight marts that the one chat-data switch empties (`si_integration_status` reports
# the switch itself and is always filled).
SI_MARTS = (
    "si_chat_lead_tab",
    "si_chat_contact_tab",
    "si_chat_account_tab",
    "si_chat_opportunity_tab",
    "si_chat_global_tab",
    "si_insights_chat_weekly",
)


def normalize(value: Any) -> Any:
    """A value as expected rows write it: timestamps as UTC `YYYY-MM-DD HH:MM:SS[.ffffff]`, dates
    as `YYYY-MM-DD`, numbers as floats rounded to 9 places, anything else unchanged."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (float, Decimal)):
        return round(float(value), 9)
    return value


def sorted_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """The `columns` of `rows`, normalised, in a fixed order (nulls last)."""
    normed = [{c: normalize(r[c]) for c in columns} for r in rows]
    return sorted(normed, key=lambda r: tuple((r[c] is None, str(r[c])) for c in columns))


def table(header: Sequence[str], *rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Expected rows, written as a header and value tuples."""
    return sorted_rows((dict(zip(header, row, strict=True)) for row in rows), header)


class Failure(NamedTuple):
    """A dbt node that failed or errored (or `dbt` itself, for an invocation error)."""

    name: str
    message: str


@dataclass(frozen=True)
class Scenario:
    """A built scenario: dbt's outcome and the DuckDB file to read."""

    db_path: Path
    run: DbtRun

    @property
    def success(self) -> bool:
        return self.run.success

    @property
    def failures(self) -> list[Failure]:
        failures = [Failure(n.name, n.message or n.status) for n in self.run.failed_nodes]
        if self.run.error:
            failures.append(Failure("dbt", self.run.error))
        return failures

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """The result of `sql` as one dict per row (column name -> Python value)."""
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            cursor = con.execute(sql, params or [])
            columns = [d[0] for d in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def table(
        self, name: str, where: str | None = None, order_by: str | None = None
    ) -> list[dict[str, Any]]:
        """Rows of a table or view, filtered by the SQL condition `where`, ordered by `order_by`
        (default: every column, so that the result is deterministic)."""
        sql = f"select * from {self._qualified(name)}"
        if where:
            sql += f" where {where}"
        return self.rows(sql + f" order by {order_by or 'all'}")

    def _qualified(self, name: str) -> str:
        if "." in name:
            return name
        schemas = [
            r["table_schema"]
            for r in self.rows(
                "select table_schema from information_schema.tables where table_name = ?", [name]
            )
        ]
        if len(schemas) != 1:
            raise LookupError(f"table {name!r} found in schemas {schemas}; name the schema")
        return f'"{schemas[0]}"."{name}"'


BuildScenario = Callable[..., Scenario]


def make_scenario(
    workspace: Path,
    out_dir: Path,
    tables: Mapping[str, Rows],
    vars: Mapping[str, Any] | None = None,
    command: str = "build",
) -> Scenario:
    """Build one scenario (see the module docstring) in `workspace`, then move its database into
    `out_dir`."""
    if command not in ("build", "run"):
        raise ValueError(f"command must be 'build' or 'run', got {command!r}")
    unknown = sorted(set(tables) - set(TABLE_SPECS))
    if unknown:
        raise KeyError(f"unknown tables {unknown}; known: {sorted(TABLE_SPECS)}")
    work_db = workspace / "build" / "scenario.duckdb"
    work_db.parent.mkdir(exist_ok=True)
    for stale in (work_db, Path(f"{work_db}.wal")):
        stale.unlink(missing_ok=True)
    rows = {name: tables.get(name, ()) for name in RAW_TABLES}
    rows.update({name: r for name, r in tables.items() if name not in RAW_TABLES})
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(SECRET_ENV, raising=False)
        result = build(
            work_db,
            rows=rows,
            vars=read_vars(dict(vars)) if vars else None,
            command=command,
            # the unit tests read their own fixtures, not the scenario: they run in the
            # sample builds of scripts/test.sh, not again in every scenario
            dbt_args=("--exclude-resource-type", "unit_test") if command == "build" else (),
            target_path=workspace / "target",
            log_path=workspace / "logs",
            quiet=True,
        )
    # Keep the database under its own directory, under the same file name: DuckDB views refer
    # to their catalog by the file's stem.
    db_path = out_dir / f"scenario_{next(_scenario_numbers)}" / work_db.name
    db_path.parent.mkdir(parents=True)
    for suffix in ("", ".wal"):
        if Path(f"{work_db}{suffix}").exists():
            shutil.move(f"{work_db}{suffix}", f"{db_path}{suffix}")
    return Scenario(db_path=db_path, run=result.dbt)


_scenario_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def dbt_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dbt target and log directory for this pytest session (or xdist worker). Builds happen
    in one fixed database path here, so that dbt's partial parsing survives between scenarios
    (the database path is part of the profile, which dbt hashes)."""
    return tmp_path_factory.mktemp("dbt")


@pytest.fixture(scope="session")
def scenario_builder(
    dbt_workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> BuildScenario:
    """`build_scenario` for module- or session-scoped fixtures: one build shared by many tests."""

    def _build(
        tables: Mapping[str, Rows],
        vars: Mapping[str, Any] | None = None,
        command: str = "build",
    ) -> Scenario:
        out_dir = tmp_path_factory.mktemp("scenario")
        return make_scenario(dbt_workspace, out_dir, tables, vars, command)

    return _build


@pytest.fixture
def build_scenario(dbt_workspace: Path, tmp_path: Path) -> BuildScenario:
    """See the module docstring."""

    def _build(
        tables: Mapping[str, Rows],
        vars: Mapping[str, Any] | None = None,
        command: str = "build",
    ) -> Scenario:
        return make_scenario(dbt_workspace, tmp_path, tables, vars, command)

    return _build
