"""The progress display of `chat-touchpoints build` (progress.py): a bar in a terminal, one line per
layer in a non-interactive run, dbt's own log lines with `--verbose`, the summary unchanged.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console

from chat_touchpoints.cli import main
from chat_touchpoints.progress import BuildProgress, node_layers
from chat_touchpoints.raw_tables import RAW_TABLES

# A manifest of seven nodes: a seed, a staging model and its test, a mart, its unit test and an
# exposure, and a singular test that reads both models (it belongs to the later layer, marts).
MANIFEST = {
    "nodes": {
        "seed.p.channel_rules": {
            "resource_type": "seed",
            "original_file_path": "seeds/config/c.csv",
        },
        "model.p.stg_a": {
            "resource_type": "model",
            "original_file_path": "models/staging/stg_a.sql",
        },
        "test.p.not_null_stg_a": {
            "resource_type": "test",
            "original_file_path": "models/staging/_models.yml",
        },
        "model.p.fct_a": {"resource_type": "model", "original_file_path": "models/marts/fct_a.sql"},
        "test.p.assert_a": {
            "resource_type": "test",
            "original_file_path": "tests/dbt/assert_a.sql",
            "depends_on": {"nodes": ["model.p.stg_a", "model.p.fct_a"]},
        },
    },
    "exposures": {
        "exposure.p.panel": {
            "resource_type": "exposure",
            "original_file_path": "models/marts/_exposures.yml",
        }
    },
    "unit_tests": {
        "unit_test.p.fct_a.case": {
            "resource_type": "unit_test",
            "original_file_path": "models/marts/_models.yml",
        }
    },
}


def _event(name: str, unique_id: str, status: str = "success", total: int = 7) -> Any:
    resource_type = unique_id.split(".")[0]
    info = SimpleNamespace(
        unique_id=unique_id,
        resource_type=resource_type,
        node_name=unique_id.split(".")[-1],
        node_status=status,
    )
    return SimpleNamespace(
        info=SimpleNamespace(name=name), data=SimpleNamespace(node_info=info, total=total)
    )


def _run(progress: BuildProgress, outcomes: dict[str, str]) -> None:
    with progress:
        for unique_id, status in outcomes.items():
            progress(_event("NodeStart", unique_id))
            progress(_event("LogStartLine", unique_id))
            progress(_event("NodeFinished", unique_id, status))


def _lines(stream: io.StringIO) -> list[str]:
    """The printed lines without their elapsed-time prefix."""
    return [re.sub(r"^\[\s*[\d.]+ s\] ", "", line) for line in stream.getvalue().splitlines()]


def test_tests_belong_to_the_layer_that_declares_them() -> None:
    assert node_layers(MANIFEST) == {
        "seed.p.channel_rules": "seeds",
        "model.p.stg_a": "staging",
        "test.p.not_null_stg_a": "staging",
        "model.p.fct_a": "marts",
        "test.p.assert_a": "marts",
        "unit_test.p.fct_a.case": "marts",
        "exposure.p.panel": "marts",
    }


def test_a_non_interactive_run_prints_one_line_per_layer_when_it_is_done(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    out = io.StringIO()
    progress = BuildProgress(Console(file=out, width=100), interactive=False, target_path=tmp_path)
    _run(
        progress,
        {
            "seed.p.channel_rules": "success",
            "model.p.stg_a": "success",
            "test.p.not_null_stg_a": "fail",
            "model.p.fct_a": "success",
            "unit_test.p.fct_a.case": "pass",
            "test.p.assert_a": "pass",
            "exposure.p.panel": "no-op",
        },
    )
    assert _lines(out) == [
        "dbt build runs 7 nodes",
        "seeds          1 seed",
        "staging        1 model, 1 test, 1 failed",
        "marts          1 model, 1 test, 1 unit test, 1 exposure",
    ]


def test_a_layer_cut_short_is_reported_when_dbt_finishes(tmp_path: Path) -> None:
    # The mart's unit test never runs (dbt stopped): the marts line comes at the end and says so.
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    out = io.StringIO()
    progress = BuildProgress(Console(file=out, width=100), interactive=False, target_path=tmp_path)
    with progress:
        for unique_id in ("seed.p.channel_rules", "model.p.stg_a", "test.p.not_null_stg_a"):
            progress(_event("NodeStart", unique_id))
            progress(_event("LogStartLine", unique_id))
            progress(_event("NodeFinished", unique_id))
        progress(_event("NodeStart", "model.p.fct_a"))
        progress(_event("LogStartLine", "model.p.fct_a"))
        progress(_event("NodeFinished", "model.p.fct_a", "error"))
        progress(_event("SkippingDetails", "unit_test.p.fct_a.case", "skipped"))
        progress(_event("NodeFinished", "unit_test.p.fct_a.case", "skipped"))
    assert (
        _lines(out)[-1] == "marts          1 model, 1 unit test, 1 failed, 1 skipped (2 of 4 run)"
    )


def test_a_seed_replaced_by_a_raw_file_is_not_waited_for(tmp_path: Path) -> None:
    # dbt runs 6 nodes: the seed was loaded from a file and excluded.
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    out = io.StringIO()
    progress = BuildProgress(Console(file=out, width=100), interactive=False, target_path=tmp_path)
    with progress:
        for unique_id in ("model.p.stg_a", "test.p.not_null_stg_a"):
            progress(_event("NodeStart", unique_id, total=6))
            progress(_event("LogStartLine", unique_id, total=6))
            progress(_event("NodeFinished", unique_id, total=6))
        assert _lines(out) == ["dbt build runs 6 nodes", "staging        1 model, 1 test"]


def test_in_a_terminal_a_bar_shows_nodes_done_of_total_and_the_node_running(
    tmp_path: Path,
) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=True, color_system=None)
    progress = BuildProgress(console, target_path=tmp_path)
    assert progress.interactive
    with progress:
        progress(_event("NodeStart", "seed.p.channel_rules"))
        progress(_event("LogStartLine", "seed.p.channel_rules"))
        progress(_event("NodeFinished", "seed.p.channel_rules"))
        progress(_event("NodeStart", "model.p.stg_a"))
        progress(_event("LogStartLine", "model.p.stg_a"))
        assert progress.progress is not None
        progress.progress.refresh()
        screen = out.getvalue()
    assert "1/7" in screen
    assert "model stg_a" in screen
    assert "0:00:0" in screen  # elapsed time
    assert "seeds          1 seed" in screen  # finished layers are printed above the bar


def test_a_display_error_never_breaks_the_build() -> None:
    progress = BuildProgress(Console(file=io.StringIO()), interactive=False)
    progress(SimpleNamespace(info=SimpleNamespace(name="LogStartLine"), data=None))


def _empty_raw_dir(path: Path) -> Path:
    path.mkdir()
    for table, columns in RAW_TABLES.items():
        (path / f"{table}.csv").write_text(",".join(columns) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def dbt_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    monkeypatch.delenv("MSI_API_SECRET_KEY", raising=False)
    return tmp_path


def test_build_prints_a_line_per_layer_then_the_summary(
    dbt_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _empty_raw_dir(dbt_dirs / "raw")
    code = main(["build", "--db", str(dbt_dirs / "w.duckdb"), "--raw", str(raw)])
    captured = capsys.readouterr()
    assert code == 0, captured
    layers = [
        re.sub(r"^\[\s*[\d.]+ s\] (\S+).*$", r"\1", line) for line in captured.err.splitlines()
    ]
    assert layers[0] == "dbt"
    assert sorted(layers[1:]) == ["audit", "intermediate", "marts", "seeds", "semantic", "staging"]
    # dbt's own log lines stay out; the summary is as before.
    assert "START" not in captured.out + captured.err
    assert captured.out.startswith("Build succeeded in ")
    assert "Tests: " in captured.out


def test_verbose_brings_dbt_log_lines_back(
    dbt_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _empty_raw_dir(dbt_dirs / "raw")
    code = main(["build", "--db", str(dbt_dirs / "w.duckdb"), "--raw", str(raw), "--verbose"])
    captured = capsys.readouterr()
    assert code == 0, captured
    assert " START " in captured.out
    assert "dbt build runs" not in captured.err
    assert "Build succeeded in " in captured.out
