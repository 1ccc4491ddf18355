"""`chat-touchpoints` end to end: generate, build, status; bad input; the secret stays secret."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from chat_touchpoints.build import read_vars
from chat_touchpoints.cli import main

SECRET = "s3cret-key-7f1c9a2e"


@pytest.fixture
def dbt_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """dbt's target and logs under the test's directory, where the secret can be looked for."""
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    monkeypatch.delenv("MSI_API_SECRET_KEY", raising=False)
    return tmp_path


def assert_unlocked(db_path: Path) -> None:
    """Another process can open the file read-write: no connection was left open."""
    subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db_path)!r}).close()"],
        check=True,
    )


def files_containing(directory: Path, text: str) -> list[Path]:
    needle = text.encode()
    return [p for p in directory.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_generate_build_status_end_to_end(
    dbt_dirs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, db = dbt_dirs / "raw", dbt_dirs / "warehouse.duckdb"
    assert main(["generate", "--out", str(raw), "--people", "50", "--seed", "3"]) == 0
    monkeypatch.setenv("MSI_API_SECRET_KEY", SECRET)

    code = main(["build", "--db", str(db), "--raw", str(raw), "--quiet"])
    out = capsys.readouterr()

    assert code == 0, out.out + out.err
    assert "Build succeeded" in out.out
    assert "Rows per mart:" in out.out and "Tests:" in out.out and "Wall time:" in out.out
    last_build = json.loads(Path(f"{db}.last_build.json").read_text())
    assert last_build["success"] is True
    assert last_build["loaded_tables"]["web_sessions"] > 0
    assert_unlocked(db)

    assert main(["status", "--db", str(db)]) == 0
    status = capsys.readouterr().out
    assert "Last build, finished" in status

    assert SECRET not in out.out + out.err + status
    assert files_containing(dbt_dirs, SECRET) == []

    # SPEC 7: a failed build leaves the last good marts as they were. Two channel rules with the
    # same priority fail the seed's unique test, so dbt skips everything downstream of it.
    marts_before = mart_row_counts(db)
    bad = Path(shutil.copytree(raw, dbt_dirs / "bad"))
    (bad / "channel_rules.csv").write_text(
        "priority,channel,subchannel,utm_medium,utm_source,utm_campaign,referrer,landing_page\n"
        "1,Paid Search,Google,cpc,google,,,\n"
        "1,Email,Newsletter,email,,,,\n"
    )
    code = main(["build", "--db", str(db), "--raw", str(bad), "--quiet"])
    out = capsys.readouterr()
    assert code == 1, out.out + out.err
    assert "Build FAILED" in out.out
    assert mart_row_counts(db) == marts_before
    assert (dbt_dirs / ".warehouse.duckdb.failed" / "warehouse.duckdb").is_file()
    assert_unlocked(db)


def mart_row_counts(db_path: Path) -> dict[str, int]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        return {n: con.execute(f"select count(*) from marts.{n}").fetchone()[0] for n in names}


def test_an_override_file_with_wrong_columns_is_a_clear_error(
    dbt_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = dbt_dirs / "raw"
    raw.mkdir()
    (raw / "web_sessions.csv").write_text("session_id,visitor,session_started_at\n")

    code = main(["build", "--db", str(dbt_dirs / "w.duckdb"), "--raw", str(raw)])
    err = capsys.readouterr().err

    assert code == 2
    assert "web_sessions.csv" in err
    assert "missing columns: visitor_id, landing_page_url" in err
    assert "unexpected columns: visitor" in err


@pytest.mark.parametrize(
    ("vars", "variable"),
    [
        (
            {
                "custom_attribution_weights": {
                    "first_touch": 50,
                    "lead_creation": 20,
                    "opportunity_creation": 10,
                    "closed": 10,
                    "middle": 0,
                }
            },
            "custom_attribution_weights",
        ),
        ({"msi_package_version": "garbage"}, "msi_package_version"),
    ],
)
def test_an_invalid_variable_stops_the_build_naming_it(
    dbt_dirs: Path, capsys: pytest.CaptureFixture[str], vars: dict, variable: str
) -> None:
    # the key is given in --vars too: it reaches dbt through the environment, never its arguments
    vars_text = json.dumps({**vars, "msi_api_secret_key": SECRET})

    code = main(["build", "--db", str(dbt_dirs / "w.duckdb"), "--vars", vars_text, "--quiet"])
    out = capsys.readouterr()

    assert code == 1
    assert "Build FAILED" in out.out
    assert f"variable '{variable}'" in out.out
    assert SECRET not in out.out + out.err
    assert files_containing(dbt_dirs, SECRET) == []
    assert_unlocked(dbt_dirs / "w.duckdb")


def test_vars_must_be_a_mapping(dbt_dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--db", str(dbt_dirs / "w.duckdb"), "--vars", "[1, 2]"]) == 2
    assert "--vars must be a YAML mapping" in capsys.readouterr().err


def test_vars_from_a_yaml_file_keep_the_key_out_of_dbt_arguments(tmp_path: Path) -> None:
    path = tmp_path / "vars.yml"
    path.write_text(f"web_chat_enabled_at: 2026-02-15T00:00:00Z\nmsi_api_secret_key: {SECRET}\n")

    vars = read_vars(str(path))

    assert vars.secret_key == SECRET
    assert json.loads(vars.text or "") == {"web_chat_enabled_at": "2026-02-15T00:00:00+00:00"}
