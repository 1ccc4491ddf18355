"""One build: load the supplied tables into the DuckDB file, then let dbt seed the rest and build.

Used by `chat-touchpoints build` and by the pytest scenario harness, so that tests exercise the
same loading and dbt invocation as users.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from chat_touchpoints.loading import TABLE_SPECS, RawFile, Row, load_files, load_rows
from chat_touchpoints.project import seed_dir
from chat_touchpoints.runner import SECRET_ENV, DbtRun, run_dbt

SECRET_VAR = "msi_api_secret_key"


class VarsError(ValueError):
    """`--vars` is not a YAML mapping (text or file)."""


@dataclass(frozen=True)
class Vars:
    """dbt variables to pass on. The API secret key never travels in `--vars` (dbt would write it
    into run_results.json and its logs); it is handed over in `MSI_API_SECRET_KEY` instead."""

    text: str | None
    secret_key: str | None = None


def _json_default(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot pass {value!r} to dbt")


def read_vars(text_or_path: str | Mapping[str, Any] | None) -> Vars:
    """Vars from a mapping, a YAML/JSON mapping text, or the path of a YAML file holding one."""
    if text_or_path is None:
        return Vars(None)
    if isinstance(text_or_path, Mapping):
        values: Any = dict(text_or_path)
    else:
        text = text_or_path
        candidate = Path(text)
        if "\n" not in text and len(text) < 4096 and candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
        try:
            values = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise VarsError(f"--vars is not valid YAML: {error}") from error
        if values is None:
            values = {}
    if not isinstance(values, dict):
        raise VarsError(
            "--vars must be a YAML mapping such as \"{web_chat_enabled_at: '2026-02-01'}\" "
            "or the path of a YAML file holding one"
        )
    secret = values.pop(SECRET_VAR, None)
    text = json.dumps(values, default=_json_default) if values else None
    return Vars(text, None if secret is None else str(secret))


@dataclass(frozen=True)
class BuildResult:
    """What a build loaded (rows per replaced table) and how dbt went."""

    db_path: Path
    loaded: dict[str, int]
    dbt: DbtRun

    @property
    def success(self) -> bool:
        return self.dbt.success


def seed_files() -> list[RawFile]:
    """The project's own seed files, as loadable files."""
    files = []
    for spec in TABLE_SPECS.values():
        path = seed_dir() / spec.schema / f"{spec.name}.csv"
        if path.is_file():
            files.append(RawFile(spec, path))
    return files


def build(
    db_path: Path,
    *,
    files: Sequence[RawFile] = (),
    rows: Mapping[str, Iterable[Row]] | None = None,
    vars: Vars | None = None,
    full_refresh: bool = False,
    command: str = "build",
    dbt_args: Sequence[str] = (),
    target_path: Path | None = None,
    log_path: Path | None = None,
    quiet: bool = False,
    publish: bool = False,
    callbacks: Sequence[Callable[[Any], None]] = (),
) -> BuildResult:
    """Load `files` and in-memory `rows` into `db_path`, then run `dbt <command>` excluding the
    seeds they replace. With `command="run"` (no seeds), the project's seed files that nobody
    replaced are loaded here as text instead.

    With `publish`, the build happens in a fresh file beside `db_path` that replaces `db_path`
    only when everything succeeded (SPEC 7: a failed build never leaves BI readers with
    half-written marts); a failed build is kept in `.<name>.failed/<name>` for inspection.
    `callbacks` receive dbt's events (the progress display, progress.py)."""
    db_path = Path(db_path).resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if publish:
        return _build_and_publish(
            db_path,
            files=files,
            rows=rows,
            vars=vars,
            full_refresh=full_refresh,
            command=command,
            dbt_args=dbt_args,
            target_path=target_path,
            log_path=log_path,
            quiet=quiet,
            callbacks=callbacks,
        )
    loaded = load_files(db_path, files)
    if rows:
        loaded.update(load_rows(db_path, rows))
    if command != "build":
        missing = [f for f in seed_files() if f.spec.name not in loaded]
        load_files(db_path, missing)
    vars = vars or Vars(None)
    args = list(dbt_args)
    if loaded and command in ("build", "seed"):
        args += ["--exclude", *sorted(loaded)]
    if full_refresh:
        args.append("--full-refresh")
    env = {SECRET_ENV: vars.secret_key} if vars.secret_key is not None else {}
    run = run_dbt(
        command,
        db_path,
        args,
        vars_text=vars.text,
        target_path=target_path,
        log_path=log_path,
        quiet=quiet,
        env=env,
        callbacks=callbacks,
    )
    return BuildResult(db_path=db_path, loaded=loaded, dbt=run)


def _build_and_publish(db_path: Path, **kwargs: Any) -> BuildResult:
    # The file keeps its name in its own directory: dbt-duckdb's views name their catalog after
    # the file's stem, so a renamed file would break them.
    building = db_path.parent / f".{db_path.name}.building"
    failed = db_path.parent / f".{db_path.name}.failed"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    work_db = building / db_path.name
    result = build(work_db, **kwargs)
    if result.success:
        os.replace(work_db, db_path)
        wal = Path(f"{work_db}.wal")
        if wal.exists():
            os.replace(wal, f"{db_path}.wal")
        else:
            Path(f"{db_path}.wal").unlink(missing_ok=True)
        shutil.rmtree(building, ignore_errors=True)
        shutil.rmtree(failed, ignore_errors=True)
        return BuildResult(db_path=db_path, loaded=result.loaded, dbt=result.dbt)
    shutil.rmtree(failed, ignore_errors=True)
    building.rename(failed)
    return BuildResult(db_path=failed / db_path.name, loaded=result.loaded, dbt=result.dbt)


def secret_values(vars: Vars | None = None) -> list[str]:
    """Values that must never be printed: the API secret key, wherever it came from."""
    values = [os.environ.get(SECRET_ENV, ""), vars.secret_key if vars else None]
    return [v for v in values if v and v.strip()]
