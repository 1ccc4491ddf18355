"""The report page (`chat-touchpoints report`): one self-contained HTML file for the people who do
not open a SQL client, read from the marts and audit tables of a finished build.

Sections:
1. Counted once: candidates per touchpoint type, kept or suppressed by reason, what a naive count
   of every candidate would have said, and the configuration findings with their recommendations
   (`marts.fct_touchpoints`, `audit.touchpoint_suppressions`, `audit.chat_configuration_findings`).
2. Attribution: attributed pipeline and won revenue per channel for one model, and the six models
   side by side for the top channels (`marts.rpt_channel_attribution`).
3. Insights: chat activities per type per ISO week and the weekly list's most engaged people
   (`marts.si_insights_chat_weekly`); when the Sales Insight switch is off, why
   (`marts.si_integration_status.disabled_reasons`).

Charts are Vega-Lite specifications written with Altair and rendered here, offline, to SVG by
vl-convert (which bundles its own JavaScript engine and is allowed no URL): the page has no script
and requests nothing when it is opened. Columns are read by name, so a mart that gains a column
does not break the page, and numbers (floats or fixed-scale decimals) are formatted for people.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

ATTRIBUTION_MODELS: dict[str, str] = {
    "first_touch": "First Touch",
    "lead_creation": "Lead Creation",
    "u_shape": "U-Shaped",
    "w_shape": "W-Shaped",
    "full_path": "Full Path",
    "custom": "Custom",
}
DEFAULT_MODEL = "w_shape"
DEFAULT_CURRENCY = "$"
TOP_CHANNELS = 6
TOP_PEOPLE = 10
TOP_FINDINGS = 12

TOUCHPOINT_TYPES = ("Web Visit", "Web Chat", "CRM Campaign", "CRM Activity")

# Suppression reasons (the rule book, "Deduplication"), in the order the legend shows them, with
# the sentence a reader sees beside the code.
SUPPRESSION_REASONS: dict[str, str] = {
    "chat_campaign_after_web_chat_enabled": (
        "a chat tracked through a CRM chat campaign after Web Chat was switched on"
    ),
    "chat_activity_after_web_chat_enabled": (
        "a chat tracked through a CRM task after Web Chat was switched on"
    ),
    "not_first_in_session": "a later chat in a session that already has one",
    "no_known_person": "no CRM lead or contact is known for it",
    "web_chat_disabled": "the Web Chat integration is off",
    "before_web_chat_enabled": "a web chat before the integration was switched on",
    "chat_tracking_disabled": "the site opted out of chat tracking",
    "duplicate_membership": "the same person in the same campaign again",
    "campaign_excluded": "the campaign excludes all members (Exclude_All)",
    "not_responded": "the member did not respond (Include_Responded)",
    "outside_campaign_dates": "added to the campaign outside its touchpoint dates",
}
CHAT_DUPLICATE_REASONS = (
    "chat_campaign_after_web_chat_enabled",
    "chat_activity_after_web_chat_enabled",
)

# Sales Insight prerequisites (the rule book, "Chat activities"), as `disabled_reasons` names them.
DISABLED_REASONS: dict[str, str] = {
    "package_version_ok": "the installed Sales Insight package ({version}) is older than 2.4.0",
    "dynamic_chat_setup": "Dynamic Chat is not set up for the instance",
    "api_secret_key_present": "no API secret key is configured (MSI_API_SECRET_KEY)",
    "enable_dynamic_chat_data": "the \u201cEnable Dynamic Chat Data\u201d checkbox is off",
}

ACTIVITY_COUNTS: dict[str, str] = {
    "engaged_in_dialogue_count": "Engaged in Dialogue",
    "scheduled_appointment_count": "Scheduled Appointment",
    "reached_goal_count": "Reached Goal",
    "interacted_with_document_count": "Interacted with Document",
}

# Short headers of the most engaged people's table, in the order of ACTIVITY_COUNTS.
PEOPLE_COLUMNS = ("Engaged", "Scheduled", "Goals", "Documents")

KEPT = "kept (counted once)"
KEPT_COLOUR = "#1b7a4b"
CHAT_DUPLICATE_COLOURS = ("#d9480f", "#f08c00")
OTHER_REASON_COLOURS = (
    "#4c6ef5",
    "#748ffc",
    "#91a7ff",
    "#862e9c",
    "#be4bdb",
    "#e599f7",
    "#495057",
    "#868e96",
    "#adb5bd",
)
MEASURE_COLOURS = ("#364fc7", "#2b8a3e")
MODEL_COLOURS = ("#364fc7", "#4dabf7", "#2b8a3e", "#f08c00", "#c2255c", "#7048e8")
ACTIVITY_COLOURS = ("#1971c2", "#2f9e44", "#f08c00", "#ae3ec9")


class ReportError(Exception):
    """The database cannot be reported on (missing, locked, not a build of this project)."""


# --------------------------------------------------------------------------------------------
# Numbers for people
# --------------------------------------------------------------------------------------------


def count(value: int | float | Decimal | None) -> str:
    """`1234` -> `1,234`."""
    return "0" if value is None else f"{int(value):,}"


def money(value: int | float | Decimal | None, currency: str = DEFAULT_CURRENCY) -> str:
    """`1234.5` -> `$1,235` (whole units: the marts' amounts are pipeline, not invoices)."""
    amount = Decimal(0) if value is None else Decimal(str(value))
    rounded = amount.quantize(Decimal(1))
    sign = "-" if rounded < 0 else ""
    return f"{sign}{currency}{abs(rounded):,}"


def percent(part: int | float | Decimal | None, whole: int | float | Decimal | None) -> str:
    """`part / whole` as `12.5 %`; a dash when `whole` is zero."""
    if not whole:
        return "\u2013"
    return f"{float(part or 0) / float(whole) * 100:.1f} %"


def decimal_number(value: int | float | Decimal | None, places: int = 2) -> str:
    return f"{float(value or 0):,.{places}f}"


def _plain(value: Any) -> Any:
    """A database value as JSON-able chart data (decimals as floats, dates as ISO text)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------------------------
# Reading the database
# --------------------------------------------------------------------------------------------


@dataclass
class CountedOnce:
    kept: dict[str, int]
    suppressed: dict[tuple[str, str], int]
    matched_duplicates: int | None
    findings: list[dict[str, Any]]
    has_tables: bool

    @property
    def candidates(self) -> dict[str, int]:
        totals = dict.fromkeys(TOUCHPOINT_TYPES, 0)
        for kind, n in self.kept.items():
            totals[kind] = totals.get(kind, 0) + n
        for (kind, _reason), n in self.suppressed.items():
            totals[kind] = totals.get(kind, 0) + n
        return totals

    @property
    def chat_duplicates(self) -> int:
        return sum(n for (_k, r), n in self.suppressed.items() if r in CHAT_DUPLICATE_REASONS)


@dataclass
class Attribution:
    model: str
    per_channel: list[dict[str, Any]]
    per_model: list[dict[str, Any]]
    has_table: bool


@dataclass
class Insights:
    status: dict[str, Any] | None
    weekly: list[dict[str, Any]]
    people: list[dict[str, Any]]
    has_table: bool


@dataclass
class ReportData:
    db_path: Path
    generated_at: datetime
    counted_once: CountedOnce
    attribution: Attribution
    insights: Insights
    build_finished_at: str | None = None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """`schema.table` -> its column names, for every table and view of the database."""
    columns: dict[str, set[str]] = {}
    for schema, table, column in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_catalog = current_database()"
    ).fetchall():
        columns.setdefault(f"{schema}.{table}", set()).add(column)
    return columns


def _read_counted_once(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, set[str]]
) -> CountedOnce:
    has_tables = "marts.fct_touchpoints" in tables and "audit.touchpoint_suppressions" in tables
    kept: dict[str, int] = {}
    suppressed: dict[tuple[str, str], int] = {}
    matched = None
    findings: list[dict[str, Any]] = []
    if "marts.fct_touchpoints" in tables:
        # A candidate kept for several person records is one candidate.
        for row in _rows(
            con,
            "select touchpoint_type, count(distinct user_touchpoint_id) as candidates "
            "from marts.fct_touchpoints group by touchpoint_type",
        ):
            kept[row["touchpoint_type"]] = int(row["candidates"])
    suppressions = tables.get("audit.touchpoint_suppressions")
    if suppressions:
        for row in _rows(
            con,
            "select touchpoint_type, suppression_reason, count(*) as candidates "
            "from audit.touchpoint_suppressions group by touchpoint_type, suppression_reason",
        ):
            suppressed[(row["touchpoint_type"], row["suppression_reason"])] = int(row["candidates"])
        if "matched_user_touchpoint_id" in suppressions:
            matched = int(
                con.execute(
                    "select count(*) from audit.touchpoint_suppressions "
                    "where matched_user_touchpoint_id is not null"
                ).fetchone()[0]
            )
    if "audit.chat_configuration_findings" in tables:
        findings = _rows(
            con,
            "select * from audit.chat_configuration_findings "
            "order by suppressed_touchpoints desc, finding_type, campaign_id nulls last, "
            "activity_rule_id nulls last",
        )
    return CountedOnce(kept, suppressed, matched, findings, has_tables)


def _read_attribution(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, set[str]], model: str
) -> Attribution:
    if "marts.rpt_channel_attribution" not in tables:
        return Attribution(model, [], [], has_table=False)
    per_channel = _rows(
        con,
        "select channel, sum(attributed_pipeline) as attributed_pipeline, "
        "sum(attributed_won_revenue) as attributed_won_revenue, "
        "sum(attributed_opportunities) as attributed_opportunities "
        "from marts.rpt_channel_attribution where attribution_model = ? "
        "group by channel order by attributed_pipeline desc, attributed_won_revenue desc, channel",
        [model],
    )
    per_model = _rows(
        con,
        "select attribution_model, channel, sum(attributed_pipeline) as attributed_pipeline, "
        "sum(attributed_won_revenue) as attributed_won_revenue "
        "from marts.rpt_channel_attribution group by attribution_model, channel",
    )
    return Attribution(model, per_channel, per_model, has_table=True)


def _read_insights(con: duckdb.DuckDBPyConnection, tables: Mapping[str, set[str]]) -> Insights:
    status = None
    if "marts.si_integration_status" in tables:
        rows = _rows(con, "select * from marts.si_integration_status")
        status = rows[0] if rows else None
    if "marts.si_insights_chat_weekly" not in tables:
        return Insights(status, [], [], has_table=False)
    sums = ", ".join(f"sum({c}) as {c}" for c in ACTIVITY_COUNTS)
    weekly = _rows(
        con,
        f"select week_start, {sums} from marts.si_insights_chat_weekly "
        "group by week_start order by week_start",
    )
    people = _rows(
        con,
        f"select person_name, lead_id, contact_id, account_id, {sums}, "
        "sum(activity_count) as activity_count, count(*) as active_weeks, "
        "max(last_activity_at) as last_activity_at "
        "from marts.si_insights_chat_weekly "
        "group by person_name, lead_id, contact_id, account_id "
        "order by activity_count desc, last_activity_at desc, "
        "coalesce(contact_id, lead_id) limit ?",
        [TOP_PEOPLE],
    )
    return Insights(status, weekly, people, has_table=True)


def read_report_data(db_path: Path, model: str = DEFAULT_MODEL) -> ReportData:
    """Everything the page shows, read from the build in `db_path` (read-only; closed after)."""
    if model not in ATTRIBUTION_MODELS:
        choices = ", ".join(ATTRIBUTION_MODELS)
        raise ReportError(f"unknown attribution model {model!r}: one of {choices}")
    db_path = Path(db_path)
    if not db_path.is_file():
        raise ReportError(f"no database at {db_path}; run `chat-touchpoints build` first")
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            tables = _columns(con)
            if not any(name.startswith(("marts.", "audit.")) for name in tables):
                raise ReportError(f"{db_path} holds no marts: is it a chat-touchpoints build?")
            data = ReportData(
                db_path=db_path,
                generated_at=datetime.now(timezone.utc),
                counted_once=_read_counted_once(con, tables),
                attribution=_read_attribution(con, tables, model),
                insights=_read_insights(con, tables),
            )
    except duckdb.Error as error:
        raise ReportError(f"cannot read {db_path}: {error}") from error
    from chat_touchpoints.summary import load_summary

    last = load_summary(db_path)
    data.build_finished_at = last.finished_at if last else None
    return data


# --------------------------------------------------------------------------------------------
# Charts: Altair specifications, rendered to SVG by vl-convert
# --------------------------------------------------------------------------------------------


@dataclass
class Chart:
    """One rendered chart: a name (the `data-chart` attribute), its SVG and a caption."""

    name: str
    svg: str
    caption: str


@dataclass
class Renderer:
    """Renders Vega-Lite specifications to SVG with a currency-aware number locale."""

    currency: str = DEFAULT_CURRENCY
    rendered: list[str] = field(default_factory=list)

    def svg(self, name: str, spec: Mapping[str, Any]) -> str:
        import vl_convert

        locale = {
            "decimal": ".",
            "thousands": ",",
            "grouping": [3],
            "currency": [self.currency, ""],
        }
        svg = vl_convert.vegalite_to_svg(dict(spec), allowed_base_urls=[], format_locale=locale)
        self.rendered.append(name)
        return _scope_svg_ids(svg, name)


def _scope_svg_ids(svg: str, prefix: str) -> str:
    """Inline SVGs share the page's id namespace: prefix each id (clip paths, gradients) with the
    chart's name so that two charts' `clip1` do not clip each other."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    return svg


def _base_config() -> dict[str, Any]:
    return {
        # Arial's metrics (Liberation Sans is metric-compatible): vl-convert lays labels out with
        # the same widths the browser draws them with.
        "font": "Liberation Sans, Arial, Helvetica, sans-serif",
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 320},
        "view": {"stroke": None},
    }


def _chart_counted_once(renderer: Renderer, data: CountedOnce) -> Chart | None:
    import altair as alt

    candidates = data.candidates
    if not sum(candidates.values()):
        return None
    reasons_present = [r for r in SUPPRESSION_REASONS if any(k[1] == r for k in data.suppressed)]
    reasons_present += sorted({r for _k, r in data.suppressed} - set(reasons_present))
    values = [
        {"type": kind, "outcome": KEPT, "order": 0, "candidates": data.kept.get(kind, 0)}
        for kind in candidates
        if data.kept.get(kind)
    ]
    for (kind, reason), n in data.suppressed.items():
        values.append(
            {
                "type": kind,
                "outcome": reason,
                "order": 1 + reasons_present.index(reason),
                "candidates": n,
            }
        )
    chat = [r for r in reasons_present if r in CHAT_DUPLICATE_REASONS]
    other = [r for r in reasons_present if r not in CHAT_DUPLICATE_REASONS]
    domain = [KEPT, *chat, *other]
    colours = [
        KEPT_COLOUR,
        *CHAT_DUPLICATE_COLOURS[: len(chat)],
        *(OTHER_REASON_COLOURS[i % len(OTHER_REASON_COLOURS)] for i in range(len(other))),
    ]
    type_order = [t for t in candidates if candidates[t]]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("type:N", sort=type_order, title=None),
            x=alt.X("sum(candidates):Q", title="Candidates", axis=alt.Axis(format=",d")),
            color=alt.Color(
                "outcome:N",
                scale=alt.Scale(domain=domain, range=colours),
                legend=alt.Legend(title="Outcome", orient="bottom", columns=2, columnPadding=24),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=640, height=34 * len(type_order))
        .configure(**_base_config())
    )
    return Chart(
        "counted-once",
        renderer.svg("counted-once", chart.to_dict()),
        "Every candidate per touchpoint type: the whole bar is what a naive count would say, "
        "the green part is what counts.",
    )


def _chart_channels(renderer: Renderer, data: Attribution) -> Chart | None:
    import altair as alt

    rows = [r for r in data.per_channel if r["attributed_pipeline"] or r["attributed_won_revenue"]]
    if not rows:
        return None
    order = [r["channel"] for r in rows]
    values = []
    for r in rows:
        values.append(
            {
                "channel": r["channel"],
                "measure": "Attributed pipeline",
                "amount": _plain(r["attributed_pipeline"]),
            }
        )
        values.append(
            {
                "channel": r["channel"],
                "measure": "Attributed won revenue",
                "amount": _plain(r["attributed_won_revenue"]),
            }
        )
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("channel:N", sort=order, title=None),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X("amount:Q", title=None, axis=alt.Axis(format="$,.3~s")),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(range=list(MEASURE_COLOURS)),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
        )
        .properties(width=640, height=alt.Step(12))
        .configure(**_base_config())
    )
    label = ATTRIBUTION_MODELS[data.model]
    return Chart(
        "attribution-channels",
        renderer.svg("attribution-channels", chart.to_dict()),
        f"Attributed pipeline and won revenue per channel, {label} model.",
    )


def top_channels(data: Attribution, n: int = TOP_CHANNELS) -> list[str]:
    """The channels with the most pipeline in the chosen model (revenue, then name, breaks ties),
    leaving out channels that no model credits."""
    credited = {r["channel"] for r in data.per_model if r["attributed_pipeline"]}
    return [r["channel"] for r in data.per_channel if r["channel"] in credited][:n]


def _chart_models(renderer: Renderer, data: Attribution) -> Chart | None:
    import altair as alt

    channels = top_channels(data)
    if not channels:
        return None
    values = [
        {
            "channel": r["channel"],
            "model": ATTRIBUTION_MODELS.get(r["attribution_model"], r["attribution_model"]),
            "amount": _plain(r["attributed_pipeline"]),
        }
        for r in data.per_model
        if r["channel"] in channels
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("channel:N", sort=channels, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("model:N", sort=list(ATTRIBUTION_MODELS.values())),
            y=alt.Y("amount:Q", title="Attributed pipeline", axis=alt.Axis(format="$,.3~s")),
            color=alt.Color(
                "model:N",
                sort=list(ATTRIBUTION_MODELS.values()),
                scale=alt.Scale(
                    domain=list(ATTRIBUTION_MODELS.values()), range=list(MODEL_COLOURS)
                ),
                legend=alt.Legend(title="Model", orient="bottom", columns=6),
            ),
        )
        .properties(width=alt.Step(14), height=260)
        .configure(**_base_config())
    )
    return Chart(
        "attribution-models",
        renderer.svg("attribution-models", chart.to_dict()),
        f"Attributed pipeline of the top {len(channels)} channels in each of the six models.",
    )


def _chart_weekly(renderer: Renderer, data: Insights) -> Chart | None:
    import altair as alt

    values = [
        {"week_start": _plain(r["week_start"]), "activity_type": a, "activities": int(r[c] or 0)}
        for r in data.weekly
        for c, a in ACTIVITY_COUNTS.items()
    ]
    if not any(v["activities"] for v in values):
        return None
    labels = list(ACTIVITY_COUNTS.values())
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X(
                "week_start:O",
                title="ISO week (starting Monday)",
                axis=alt.Axis(labelAngle=-45),
            ),
            y=alt.Y("sum(activities):Q", title="Chat activities", axis=alt.Axis(format=",d")),
            color=alt.Color(
                "activity_type:N",
                sort=labels,
                scale=alt.Scale(domain=labels, range=list(ACTIVITY_COLOURS)),
                legend=alt.Legend(title="Activity type", orient="bottom", columns=4),
            ),
            order=alt.Order("activity_type:N"),
        )
        .properties(width=alt.Step(max(14, min(48, 640 // max(1, len(data.weekly))))), height=260)
        .configure(**_base_config())
    )
    return Chart(
        "insights-weekly",
        renderer.svg("insights-weekly", chart.to_dict()),
        "Chat activities of people linked to a CRM lead or contact, per type and ISO week.",
    )


# --------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------

# The page loads nothing: no script, no font, no image but inline data.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       margin: 0; background: #f4f5f7; color: #1f2328; line-height: 1.45; }
header { background: #1f2d3d; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: #c9d1d9; font-size: 14px; }
main { max-width: 1000px; margin: 0 auto; padding: 16px 32px 48px; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; margin: 20px 0;
          padding: 8px 24px 20px; }
h2 { font-size: 20px; margin: 16px 0 8px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.headline { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.figure { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 150px; }
.figure b { display: block; font-size: 22px; }
.figure span { font-size: 13px; color: #57606a; }
figure.chart { margin: 12px 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #57606a; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; width: 100%; }
th, td { border-bottom: 1px solid #d8dee4; padding: 4px 8px; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.empty, .off { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px;
               padding: 8px 12px; }
code { font-size: 12px; background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
footer { font-size: 12px; color: #57606a; text-align: center; padding: 0 0 24px; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: Sequence[tuple[str, bool]], rows: Iterable[Sequence[Any]]) -> str:
    """An HTML table; `headers` are (title, is_number) pairs; cells are already text."""
    head = "".join(f'<th class="n">{_e(h)}</th>' if n else f"<th>{_e(h)}</th>" for h, n in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="n">{_e(c)}</td>' if headers[i][1] else f"<td>{_e(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(chart: Chart) -> str:
    return (
        f'<figure class="chart" data-chart="{_e(chart.name)}">{chart.svg}'
        f"<figcaption>{_e(chart.caption)}</figcaption></figure>"
    )


def _headline(items: Sequence[tuple[str, str]]) -> str:
    cells = "".join(
        f'<div class="figure"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in items
    )
    return f'<div class="headline">{cells}</div>'


def _empty(sentence: str) -> str:
    return f'<p class="empty">{_e(sentence)}</p>'


def _section_counted_once(renderer: Renderer, data: CountedOnce) -> str:
    parts = ['<section id="counted-once"><h2>Counted once</h2>']
    if not data.has_tables:
        parts.append(_empty("This database has no touchpoint tables yet: run a full build first."))
        return "".join(parts) + "</section>"
    candidates = data.candidates
    naive = sum(candidates.values())
    kept = sum(data.kept.values())
    suppressed = naive - kept
    if not naive:
        parts.append(
            _empty(
                "No touchpoint candidates: the raw data holds no chats, visits, "
                "campaign members or matching tasks."
            )
        )
    else:
        parts.append(
            "<p>Every chat, visit, campaign membership and task that could become a touchpoint "
            "is a <em>candidate</em>. A naive count takes every candidate of every source; the "
            "build keeps each chat once and records why each other candidate was suppressed.</p>"
        )
        parts.append(
            _headline(
                [
                    ("a naive count of every candidate", count(naive)),
                    ("counted once (kept)", count(kept)),
                    ("suppressed", f"{count(suppressed)} ({percent(suppressed, naive)})"),
                    ("chats tracked twice by the CRM, suppressed", count(data.chat_duplicates)),
                ]
            )
        )
        chart = _chart_counted_once(renderer, data)
        if chart:
            parts.append(_figure(chart))
        parts.append(
            _table(
                [
                    ("Touchpoint type", False),
                    ("Naive count", True),
                    ("Kept", True),
                    ("Suppressed", True),
                    ("Suppressed share", True),
                ],
                [
                    (
                        kind,
                        count(n),
                        count(data.kept.get(kind, 0)),
                        count(n - data.kept.get(kind, 0)),
                        percent(n - data.kept.get(kind, 0), n),
                    )
                    for kind, n in candidates.items()
                    if n
                ],
            )
        )
        if data.suppressed:
            by_reason: dict[str, int] = {}
            for (_kind, reason), n in data.suppressed.items():
                by_reason[reason] = by_reason.get(reason, 0) + n
            order = [r for r in SUPPRESSION_REASONS if r in by_reason]
            order += sorted(set(by_reason) - set(order))
            parts.append("<h3>Suppressed, by reason</h3>")
            parts.append(
                _table(
                    [("Reason", False), ("What it means", False), ("Candidates", True)],
                    [(r, SUPPRESSION_REASONS.get(r, ""), count(by_reason[r])) for r in order],
                )
            )
        if data.matched_duplicates is not None and data.chat_duplicates:
            parts.append(
                f"<p>{count(data.matched_duplicates)} of the {count(data.chat_duplicates)} chats "
                "tracked twice name the kept Web Chat touchpoint they duplicate "
                "(<code>matched_user_touchpoint_id</code>)"
                + (
                    f"; the other {count(data.chat_duplicates - data.matched_duplicates)} have "
                    "no Web Chat of the same person nearby and count zero times (see the "
                    "finding <code>unmatched_chat_touchpoints</code>)."
                    if data.matched_duplicates < data.chat_duplicates
                    else "."
                )
                + "</p>"
            )
    parts.append("<h3>Configuration findings</h3>")
    if not data.findings:
        parts.append(
            "<p>Nothing to change in the CRM: no chat campaign or activity rule counts chats a "
            "second time (or the Web Chat integration is off).</p>"
        )
    else:
        parts.append(
            _table(
                [
                    ("Finding", False),
                    ("Campaign / rule", False),
                    ("End date now", False),
                    ("Recommended end date", False),
                    ("Suppressed", True),
                    ("Recommendation", False),
                ],
                [
                    (
                        f.get("finding_type"),
                        f.get("campaign_id")
                        or (
                            f"rule {f['activity_rule_id']}"
                            if f.get("activity_rule_id") is not None
                            else "\u2013"
                        ),
                        f.get("configured_end_date") or "\u2013",
                        f.get("recommended_end_date") or "\u2013",
                        count(f.get("suppressed_touchpoints")),
                        f.get("recommendation"),
                    )
                    for f in data.findings[:TOP_FINDINGS]
                ],
            )
        )
        rest = data.findings[TOP_FINDINGS:]
        if rest:
            rest_suppressed = sum(int(f.get("suppressed_touchpoints") or 0) for f in rest)
            parts.append(
                f"<p>And {count(len(rest))} more findings ({count(rest_suppressed)} suppressed "
                "candidates): every finding is in <code>audit.chat_configuration_findings</code>."
                "</p>"
            )
    return "".join(parts) + "</section>"


def _section_attribution(renderer: Renderer, data: Attribution) -> str:
    label = ATTRIBUTION_MODELS[data.model]
    parts = [f'<section id="attribution"><h2>Attribution: {_e(label)} model</h2>']
    if not data.has_table:
        parts.append(_empty("This database has no attribution report yet: run a full build."))
        return "".join(parts) + "</section>"
    currency = renderer.currency
    pipeline = sum(Decimal(str(r["attributed_pipeline"] or 0)) for r in data.per_channel)
    won = sum(Decimal(str(r["attributed_won_revenue"] or 0)) for r in data.per_channel)
    opportunities = sum(Decimal(str(r["attributed_opportunities"] or 0)) for r in data.per_channel)
    if not pipeline and not won:
        parts.append(
            _empty(
                "No opportunity has a touchpoint of its account's contacts yet, so no "
                "pipeline is attributed to any channel."
            )
        )
        return "".join(parts) + "</section>"
    parts.append(
        _headline(
            [
                ("attributed pipeline", money(pipeline, currency)),
                ("attributed won revenue", money(won, currency)),
                ("opportunities with touchpoints", count(round(opportunities))),
            ]
        )
    )
    chart = _chart_channels(renderer, data)
    if chart:
        parts.append(_figure(chart))
    parts.append(
        _table(
            [
                ("Channel", False),
                ("Attributed pipeline", True),
                ("Share", True),
                ("Attributed won revenue", True),
                ("Attributed opportunities", True),
            ],
            [
                (
                    r["channel"],
                    money(r["attributed_pipeline"], currency),
                    percent(r["attributed_pipeline"], pipeline),
                    money(r["attributed_won_revenue"], currency),
                    decimal_number(r["attributed_opportunities"]),
                )
                for r in data.per_channel
                if r["attributed_pipeline"] or r["attributed_won_revenue"]
            ],
        )
    )
    channels = top_channels(data)
    parts.append("<h3>The six models side by side</h3>")
    chart = _chart_models(renderer, data)
    if chart:
        parts.append(_figure(chart))
        by_key = {(r["attribution_model"], r["channel"]): r for r in data.per_model}
        parts.append(
            _table(
                [("Channel", False), *((m, True) for m in ATTRIBUTION_MODELS.values())],
                [
                    (
                        channel,
                        *(
                            money(by_key.get((m, channel), {}).get("attributed_pipeline"), currency)
                            for m in ATTRIBUTION_MODELS
                        ),
                    )
                    for channel in channels
                ],
            )
        )
    else:
        parts.append(_empty("No channel has attributed pipeline in any model."))
    return "".join(parts) + "</section>"


def disabled_sentence(status: Mapping[str, Any]) -> str:
    """Why chat data is off, from `disabled_reasons`, in words."""
    names = [n.strip() for n in str(status.get("disabled_reasons") or "").split(",") if n.strip()]
    version = status.get("msi_package_version")
    reasons = [DISABLED_REASONS.get(n, n).format(version=version) for n in names]
    if not reasons:
        return "Chat data is switched off."
    return "Chat data is switched off because " + "; ".join(reasons) + "."


def _section_insights(renderer: Renderer, data: Insights) -> str:
    parts = ['<section id="insights"><h2>Insights: chat activities per week</h2>']
    status = data.status
    if status is not None and not status.get("chat_data_enabled"):
        parts.append(
            f'<p class="off">{_e(disabled_sentence(status))} '
            "The Sales Insight marts are built empty until every prerequisite holds "
            f"(<code>disabled_reasons</code>: {_e(status.get('disabled_reasons'))}).</p>"
        )
        return "".join(parts) + "</section>"
    if not data.has_table:
        parts.append(_empty("This database has no Sales Insight marts yet: run a full build."))
        return "".join(parts) + "</section>"
    chart = _chart_weekly(renderer, data)
    if chart is None:
        parts.append(_empty("No chat activity of a person linked to a CRM lead or contact yet."))
        return "".join(parts) + "</section>"
    total = sum(int(r[c] or 0) for r in data.weekly for c in ACTIVITY_COUNTS)
    parts.append(
        _headline(
            [
                ("chat activities", count(total)),
                ("ISO weeks", count(len(data.weekly))),
            ]
        )
    )
    parts.append(_figure(chart))
    parts.append("<h3>Most engaged people</h3>")
    parts.append(
        _table(
            [
                ("Person", False),
                ("Lead / contact", False),
                ("Account", False),
                ("Activities", True),
                *((label, True) for label in PEOPLE_COLUMNS),
                ("Weeks", True),
                ("Last activity (UTC)", False),
            ],
            [
                (
                    p.get("person_name") or "\u2013",
                    p.get("contact_id") or p.get("lead_id"),
                    p.get("account_id") or "\u2013",
                    count(p.get("activity_count")),
                    *(count(p.get(c)) for c in ACTIVITY_COUNTS),
                    count(p.get("active_weeks")),
                    _when(p.get("last_activity_at")),
                )
                for p in data.people
            ],
        )
    )
    return "".join(parts) + "</section>"


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "\u2013" if value is None else str(value)


def render_report(data: ReportData, currency: str = DEFAULT_CURRENCY) -> tuple[str, list[str]]:
    """The page's HTML and the names of the charts it holds."""
    renderer = Renderer(currency=currency)
    sections = [
        _section_counted_once(renderer, data.counted_once),
        _section_attribution(renderer, data.attribution),
        _section_insights(renderer, data.insights),
    ]
    built = f"; built {data.build_finished_at}" if data.build_finished_at else ""
    written = data.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<title>Chat touchpoints report: {_e(data.db_path.name)}</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>Chat touchpoints report</h1>
<p>{_e(data.db_path.name)}{_e(built)}; page written {_e(written)}</p></header>
<main>
{"".join(sections)}
</main>
<footer>Written by <code>chat-touchpoints report</code>. The rules behind every figure are in the
project's rule book, <code>docs/rules.md</code>.</footer>
</body>
</html>
"""
    return page, renderer.rendered


@dataclass(frozen=True)
class ReportResult:
    out: Path
    bytes: int
    seconds: float
    charts: tuple[str, ...]


def write_report(
    db_path: Path,
    out: Path,
    *,
    model: str = DEFAULT_MODEL,
    currency: str = DEFAULT_CURRENCY,
) -> ReportResult:
    """Read `db_path`, render the page and write it to `out`."""
    started = time.perf_counter()
    data = read_report_data(Path(db_path), model)
    page, charts = render_report(data, currency)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    encoded = page.encode("utf-8")
    out.write_bytes(encoded)
    return ReportResult(out, len(encoded), time.perf_counter() - started, tuple(charts))
