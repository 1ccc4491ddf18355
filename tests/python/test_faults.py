"""Builds that die or overlap. Rule book: "Bad input and row accounting" (a failed build never
reaches BI readers).

- A build killed with SIGKILL while it loads files, while dbt runs and while it publishes leaves
  the published database exactly as it was; the next build succeeds and removes what the killed
  one left (its work folder; its lock ended with the process).
- A reader polling the published marts while builds follow one another never sees a missing
  table, an error, or tables of two different builds in one look. `CT_FAULT_BUILDS` builds
  (default 6; more with a larger value), alternating between two inputs whose marts differ.

The build under test runs in a child process (`chat-touchpoints build`, through `cli.main`) that
stops at the named point (a patched function writes a marker file, then sleeps) until the test
kills it.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from chat_touchpoints.build import build, lock_path
from chat_touchpoints.cli import main
from chat_touchpoints.loading import RawFile, discover_raw_files
from chat_touchpoints.project import seed_dir

BUILDS = int(os.environ.get("CT_FAULT_BUILDS", "6"))

# The child: patch the function where the build must stop, then run the command line.
CHILD = r"""
import sys, time
from pathlib import Path

phase, marker, argv = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]

def stop():
    marker.write_text("reached")
    time.sleep(600)

if phase == "loading":
    import chat_touchpoints.loading as loading
    original = loading._load_file
    def load_then_stop(*args, **kwargs):
        rows = original(*args, **kwargs)
        stop()  # the first file is loaded, the database connection is open
        return rows
    loading._load_file = load_then_stop
elif phase == "dbt":
    import dbt.cli.main as dbt_main
    original_runner = dbt_main.dbtRunner
    def on_event(event):
        if event.info.name == "LogModelResult":
            stop()  # a model is built, the others are still to come
    class StoppingRunner(original_runner):
        def __init__(self, *args, callbacks=None, **kwargs):
            super().__init__(*args, callbacks=[*(callbacks or []), on_event], **kwargs)
    dbt_main.dbtRunner = StoppingRunner
elif phase == "publishing":
    import chat_touchpoints.build as build_module
    original_checkpoint = build_module._checkpoint
    def checkpoint_then_stop(path):
        original_checkpoint(path)
        stop()  # the new file is complete, about to replace the published one
    build_module._checkpoint = checkpoint_then_stop

from chat_touchpoints.cli import main
from chat_touchpoints.loading import RawFile, discover_raw_files
from chat_touchpoints.project import seed_dir
sys.exit(main(argv))
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def dbt_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    monkeypatch.delenv("MSI_API_SECRET_KEY", raising=False)
    return tmp_path


def kill_at(phase: str, db: Path, work: Path) -> None:
    """Start `chat-touchpoints build --db db --raw <sample>` and SIGKILL it at `phase`."""
    marker = work / f"{phase}.reached"
    raw = work / "raw"
    if not raw.exists():
        raw.mkdir()
        (raw / "crm_accounts.csv").write_text(
            "account_id,account_name,website,is_deleted\nA1,Acme,acme.com,false\n"
        )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            phase,
            str(marker),
            "build",
            "--db",
            str(db),
            "--raw",
            str(raw),
            "--quiet",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 600
        while not marker.exists():
            assert child.poll() is None, f"the build ended before {phase}"
            assert time.monotonic() < deadline, f"the build never reached {phase}"
            time.sleep(0.2)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_a_killed_build_leaves_the_published_database_and_the_next_build_cleans_up(
    dbt_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = dbt_dirs / "warehouse.duckdb"
    # the published database the killed builds must leave alone (models only: faster)
    first = build(db, command="run", publish=True, quiet=True)
    assert first.success, first.dbt.error
    published = digest(db)
    building = dbt_dirs / ".warehouse.duckdb.building"

    for phase in ("loading", "dbt", "publishing"):
        kill_at(phase, db, dbt_dirs)
        assert digest(db) == published, phase
        assert building.exists(), phase  # what the killed build left
        assert lock_path(db).exists(), phase

    assert main(["build", "--db", str(db), "--quiet"]) == 0
    out = capsys.readouterr()
    assert "Build succeeded" in out.out, out.out + out.err
    assert not building.exists()
    assert not (dbt_dirs / ".warehouse.duckdb.failed").exists()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from marts.si_integration_status").fetchone() == (1,)


# ---------------------------------------------------------------------------------------------
# A reader during consecutive builds
# ---------------------------------------------------------------------------------------------

READER = r"""
import json, sys, time
from pathlib import Path
import duckdb

db, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
with out.open("w") as log:
    while not stop.exists():
        try:
            with duckdb.connect(str(db), read_only=True) as con:
                names = [r[0] for r in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = 'marts' and table_catalog = current_database() "
                    "order by 1").fetchall()]
                counts = {n: con.execute(f'select count(*) from marts."{n}"').fetchone()[0]
                          for n in names}
            log.write(json.dumps({"counts": counts}) + "\n")
        except Exception as error:
            log.write(json.dumps({"error": f"{type(error).__name__}: {error}"}) + "\n")
        log.flush()
        time.sleep(0.05)
"""


def _inputs(folder: Path) -> list[list[RawFile]]:
    """Two inputs whose marts differ in their row counts: the sample, and the sample with half
    of its chat events and campaign members."""
    half = folder / "half"
    half.mkdir()
    for table in ("drift_chat_events", "crm_campaign_members"):
        lines = (seed_dir() / "raw" / f"{table}.csv").read_text(encoding="utf-8").splitlines()
        (half / f"{table}.csv").write_text("\n".join(lines[: len(lines) // 2]) + "\n")
    return [[], discover_raw_files(half)[0]]


@pytest.fixture
def reader(dbt_dirs: Path) -> Iterator[tuple[Path, Path]]:
    db = dbt_dirs / "published" / "warehouse.duckdb"
    db.parent.mkdir()
    log, stop = dbt_dirs / "reader.jsonl", dbt_dirs / "reader.stop"
    yield db, log
    stop.touch()


def test_a_reader_never_sees_a_missing_table_an_error_or_two_builds_mixed(
    dbt_dirs: Path, reader: tuple[Path, Path]
) -> None:
    db, log = reader
    inputs = _inputs(dbt_dirs)
    signatures: list[dict[str, int]] = []

    def counts() -> dict[str, int]:
        with duckdb.connect(str(db), read_only=True) as con:
            names = [
                r[0]
                for r in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = 'marts' order by 1"
                ).fetchall()
            ]
            return {
                n: con.execute(f'select count(*) from marts."{n}"').fetchone()[0] for n in names
            }

    def one_build(number: int) -> None:
        result = build(
            db,
            files=inputs[number % 2],
            command="run",
            quiet=True,
            publish=True,
        )
        assert result.success, [n.message for n in result.dbt.failed_nodes]
        signature = counts()
        if len(signatures) < 2:
            signatures.append(signature)
        assert signature == signatures[number % 2]

    one_build(0)
    polling = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(dbt_dirs / "reader.stop"), str(log)]
    )
    try:
        for number in range(1, BUILDS):
            one_build(number)
    finally:
        (dbt_dirs / "reader.stop").touch()
        polling.wait(timeout=60)

    looks = [json.loads(line) for line in log.read_text().splitlines()]
    assert signatures[0] != signatures[1]
    assert len(looks) > BUILDS  # the reader looked during the builds, not only between them
    assert [look for look in looks if "error" in look] == []
    assert [look for look in looks if look["counts"] not in signatures] == []
