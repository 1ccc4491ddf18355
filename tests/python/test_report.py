"""The report page (`chat-touchpoints report`): what it reads, how it says it, and how it looks in
a real browser.

- A hand-written scenario: one chat counted once, one suppressed; no API key, so the Insights
  section says why chat data is off; no opportunity, so the attribution section says so in a
  sentence instead of drawing an empty chart.
- The sample company (as the README's main command builds it), opened in headless Chromium
  (Debian's `chromium`; `.ci/run` installs it): every chart is drawn, nothing is requested from
  outside the machine, and a full-page screenshot is taken. With
  `CHAT_TOUCHPOINTS_UPDATE_SCREENSHOT=1` the screenshot replaces `docs/report.png`, the picture
  the README shows.
"""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chat_touchpoints.build import build, read_vars
from chat_touchpoints.cli import main
from chat_touchpoints.report import (
    ATTRIBUTION_MODELS,
    count,
    disabled_sentence,
    money,
    percent,
    read_report_data,
    render_report,
    write_report,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE_VARS = (REPO / "sample_vars.yml").read_text(encoding="utf-8")
SCREENSHOT = REPO / "docs" / "report.png"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHARTS = ["counted-once", "attribution-channels", "attribution-models", "insights-weekly"]


def _text(page: str) -> str:
    """The page's visible text, tags dropped and white space collapsed."""
    body = re.sub(r"<(svg|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


# --------------------------------------------------------------------------------------------
# Numbers for people
# --------------------------------------------------------------------------------------------


def test_numbers_are_formatted_for_people() -> None:
    assert count(1234567) == "1,234,567"
    assert money(Decimal("1234567.50")) == "$1,234,568"  # fixed-scale decimals from the marts
    assert money(8333.666666) == "$8,334"
    assert money(-1200, "\u20ac") == "-\u20ac1,200"
    assert money(None) == "$0"
    assert percent(1, 8) == "12.5 %"
    assert percent(3, 0) == "\u2013"


def test_the_switch_off_sentence_names_every_failed_prerequisite() -> None:
    sentence = disabled_sentence(
        {
            "msi_package_version": "2.3.9",
            "disabled_reasons": "package_version_ok, dynamic_chat_setup, "
            "api_secret_key_present, enable_dynamic_chat_data",
        }
    )
    assert sentence == (
        "Chat data is switched off because the installed Sales Insight package (2.3.9) is older "
        "than 2.4.0; Dynamic Chat is not set up for the instance; no API secret key is "
        "configured (MSI_API_SECRET_KEY); the \u201cEnable Dynamic Chat Data\u201d checkbox is off."
    )


# --------------------------------------------------------------------------------------------
# A scenario: one chat counted once, chat data off, no opportunity
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(scenario_builder: Any) -> Path:
    scenario = scenario_builder(
        {
            "crm_leads": [
                {"lead_id": "L1", "email": "ada@acme.com", "first_name": "Ada",
                 "last_name": "Lovelace", "created_at": "2026-01-02T09:00:00Z"}
            ],
            "drift_chat_events": [
                # Two chats of the same session: the first is kept, the second suppressed.
                {"event_id": "E1", "conversation_id": "C1", "session_id": "S1",
                 "event_type": "email_captured", "email": "ada@acme.com",
                 "occurred_at": "2026-03-02T10:00:00Z"},
                {"event_id": "E2", "conversation_id": "C2", "session_id": "S1",
                 "event_type": "email_captured", "email": "ada@acme.com",
                 "occurred_at": "2026-03-02T10:30:00Z"},
            ],
        },
        vars={"web_chat_enabled_at": "2026-03-01T00:00:00Z"},
        command="run",
    )
    assert scenario.success, scenario.failures
    return scenario.db_path


def test_counted_once_reads_candidates_kept_and_suppressed(small: Path) -> None:
    data = read_report_data(small)
    assert data.counted_once.kept == {"Web Chat": 1}
    assert data.counted_once.suppressed == {("Web Chat", "not_first_in_session"): 1}
    assert data.counted_once.candidates["Web Chat"] == 2

    page, charts = render_report(data)
    text = _text(page)
    assert "2 a naive count of every candidate" in text
    assert "1 counted once (kept)" in text
    assert "1 (50.0 %) suppressed" in text
    assert "Web Chat 2 1 1 50.0 %" in text  # naive count, kept, suppressed, share
    assert "not_first_in_session a later chat in a session that already has one 1" in text
    assert charts == ["counted-once"]


def test_without_a_key_insights_say_why_chat_data_is_off(small: Path) -> None:
    page, _charts = render_report(read_report_data(small))
    text = _text(page)
    assert (
        "Chat data is switched off because no API secret key is configured "
        "(MSI_API_SECRET_KEY)." in text
    )
    assert 'data-chart="insights-weekly"' not in page


def test_empty_marts_give_a_sentence_not_a_broken_chart(small: Path) -> None:
    page, _charts = render_report(read_report_data(small))
    assert "no pipeline is attributed to any channel" in _text(page)
    assert 'data-chart="attribution-channels"' not in page
    assert 'data-chart="attribution-models"' not in page


def test_the_command_writes_the_page_and_says_how_large_it_is(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nested" / "report.html"
    assert main(["report", "--db", str(small), "--out", str(out), "--model", "u_shape"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Wrote {out} (")
    assert "1 charts" in printed
    assert "Attribution: U-Shaped model" in out.read_text(encoding="utf-8")


def test_a_missing_database_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "r")])
    assert code == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


# --------------------------------------------------------------------------------------------
# The sample company in headless Chromium
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("report")
    db_path = tmp / "warehouse.duckdb"
    result = build(
        db_path,
        vars=read_vars(SAMPLE_VARS + "\nmsi_api_secret_key: sample-demo-key\n"),
        target_path=tmp / "target",
        log_path=tmp / "logs",
        quiet=True,
    )
    assert result.success, [(n.name, n.message) for n in result.dbt.failed_nodes]
    written = write_report(db_path, tmp / "report.html")
    assert written.charts == tuple(CHARTS)
    return db_path, written.out


def test_the_sample_report_shows_the_chat_counted_once_and_its_findings(
    sample_report: tuple[Path, Path],
) -> None:
    db_path, out = sample_report
    text = _text(out.read_text(encoding="utf-8"))
    with duckdb.connect(str(db_path), read_only=True) as con:
        suppressed = con.execute("select count(*) from audit.touchpoint_suppressions").fetchone()
        kept = con.execute(
            "select count(distinct user_touchpoint_id) from marts.fct_touchpoints"
        ).fetchone()
    assert f"{kept[0] + suppressed[0]:,} a naive count of every candidate" in text
    assert f"{kept[0]:,} counted once (kept)" in text
    # The chat campaign the sample company forgot to end (docs/sample_company.md).
    assert "chat_campaign_end_date CMP-004" in text
    assert "Set the touchpoint end date of chat campaign CMP-004 to 2026-03-01" in text
    for label in ATTRIBUTION_MODELS.values():
        assert label in text
    assert "Maria Garcia" in text  # the most engaged person of the weekly list


def test_the_sample_report_renders_offline_in_headless_chromium(
    sample_report: tuple[Path, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import Route, sync_playwright

    _db_path, out = sample_report
    page_html = out.read_text(encoding="utf-8")
    assert "<script" not in page_html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page_html)

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    assert chromium, "Debian's chromium is needed (apt-get install chromium; .ci/run does it)"
    requests: list[str] = []
    left_the_machine: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            left_the_machine.append(url)
            route.abort()

    screenshot = tmp_path / "report.png"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),  # a fresh profile
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            context.route("**/*", guard)
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(out.resolve().as_uri(), wait_until="load")
            charts = page.evaluate(
                """() => [...document.querySelectorAll('figure.chart')].map(figure => {
                    const svg = figure.querySelector('svg');
                    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
                    return {
                        name: figure.dataset.chart,
                        width: box.width,
                        height: box.height,
                        marks: svg ? svg.querySelectorAll(
                            'g[class*="mark-rect"] path, g[class*="mark-rect"] rect').length : 0,
                        labels: svg ? svg.querySelectorAll('text').length : 0,
                    };
                })"""
            )
            sections = page.locator("section h2").all_inner_texts()
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            context.close()

    assert [c["name"] for c in charts] == CHARTS
    for chart in charts:
        assert chart["width"] > 200 and chart["height"] > 50, chart
        assert chart["marks"] > 0 and chart["labels"] > 0, chart
    assert sections == [
        "Counted once",
        "Attribution: W-Shaped model",
        "Insights: chat activities per week",
    ]
    assert left_the_machine == []
    assert requests and all(url.startswith("file:") for url in requests), requests
    assert screenshot.stat().st_size > 50_000
    if os.environ.get("CHAT_TOUCHPOINTS_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(screenshot, SCREENSHOT)
