"""`chat-touchpoints` end to end: generate, build, status; bad input; the secret stays secret."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from chat_touchpoints.build import VarsError, read_vars
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

    # A failed build leaves the last good marts as they were. Two channel rules with the same
    # priority are an invalid configuration seed: bad input (exit 2), named in one line.
    marts_before = mart_row_counts(db)
    bad = Path(shutil.copytree(raw, dbt_dirs / "bad"))
    (bad / "channel_rules.csv").write_text(
        "priority,channel,subchannel,utm_medium,utm_source,utm_campaign,referrer,landing_page\n"
        "1,Paid Search,Google,cpc,google,,,\n"
        "1,Email,Newsletter,email,,,,\n"
    )
    code = main(["build", "--db", str(db), "--raw", str(bad), "--quiet"])
    out = capsys.readouterr()
    assert code == 2, out.out + out.err
    err = out.err.strip()
    assert err.startswith("chat-touchpoints: error: channel_rules, row 2, column priority")
    assert len(err.splitlines()) == 1 and f"{db} is unchanged" in err
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

    # bad input: exit 2 and one sentence naming the variable
    assert code == 2
    assert f"chat-touchpoints: error: --vars: variable '{variable}'" in out.err
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


def test_a_typo_in_vars_never_prints_the_secret(
    dbt_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "build",
            "--db",
            str(dbt_dirs / "w.duckdb"),
            "--vars",
            f"{{msi_api_secret_key: {SECRET}, as_of: [}}",
        ]
    )
    err = capsys.readouterr().err

    assert code == 2
    assert "--vars is not valid YAML at line 1" in err
    assert SECRET not in err


def test_jinja_in_vars_is_text_not_rendered(
    dbt_dirs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MSI_API_SECRET_KEY", SECRET)
    vars_text = "{as_of: \"{{ env_var('MSI_API_SECRET_KEY') }}\"}"

    code = main(["build", "--db", str(dbt_dirs / "w.duckdb"), "--vars", vars_text, "--quiet"])
    out = capsys.readouterr()

    # the text reached the variable as written, and was refused as a timestamp
    assert code == 2
    assert "variable 'as_of' must be an ISO-8601 timestamp" in out.err
    assert "env_var('MSI_API_SECRET_KEY')" in out.err
    assert SECRET not in out.out + out.err
    assert files_containing(dbt_dirs, SECRET) == []


def test_text_values_with_braces_reach_dbt_exactly() -> None:
    from dbt.clients.jinja import get_rendered

    values = ["{{ env_var('X') }}", "{% raw %}a{% endraw %}", "{# c #}", "}}{{", "50% }", "{a}"]
    text = read_vars({f"v{i}": v for i, v in enumerate(values)}).text or ""
    passed = json.loads(text)

    # dbt renders every text variable it reads: the rendering gives the value back, unchanged
    assert [get_rendered(passed[f"v{i}"], {}) for i in range(len(values))] == values


def test_a_long_inline_mapping_is_not_taken_for_a_path() -> None:
    text = "{" + ", ".join(f"variable_{i}: value_{i}" for i in range(40)) + "}"
    assert len(text) > 560

    assert json.loads(read_vars(text).text or "")["variable_39"] == "value_39"
    with pytest.raises(VarsError, match="must be a YAML mapping"):  # not an OSError
        read_vars("x" * 600)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("file-parent", "is not a folder"),
        ("read-only-folder", "cannot be written"),
        ("folder", "is a folder; name a database file"),
    ],
)
def test_a_db_path_that_cannot_be_written_is_one_sentence(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    setup: str,
    message: str,
) -> None:
    if setup == "file-parent":
        (tmp_path / "plain.txt").write_text("x")
        db = tmp_path / "plain.txt" / "w.duckdb"
    elif setup == "read-only-folder":
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        db = folder / "w.duckdb"
        if os.access(folder, os.W_OK):  # root ignores permissions: the check sees them
            monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    else:
        db = tmp_path / "a_folder"
        db.mkdir()

    code = main(["build", "--db", str(db)])
    err = capsys.readouterr().err

    assert code == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_generate_into_a_file_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").write_text("x")

    assert main(["generate", "--out", str(tmp_path / "out"), "--people", "5"]) == 2
    assert "is a file; name a folder" in capsys.readouterr().err


def test_a_second_build_of_the_same_db_refuses_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from chat_touchpoints.build import build_lock\n"
            f"with build_lock(Path({str(db)!r})):\n"
            "    print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code = main(["build", "--db", str(db)])
        err = capsys.readouterr().err
        assert code == 2
        assert f"another build of {db} is running (pid {holder.pid})" in err
    finally:
        holder.kill()
        holder.wait()
    # the killed holder's lock file is left behind, but its lock ended with it
    assert (tmp_path / ".w.duckdb.lock").exists()
    from chat_touchpoints.build import build_lock

    with build_lock(db):
        assert (tmp_path / ".w.duckdb.lock").read_text().strip() == str(os.getpid())
