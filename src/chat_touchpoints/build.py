"""One build: load the supplied tables into the DuckDB file, then let dbt seed the rest and build.

Used by `chat-touchpoints build` and by the pytest scenario harness, so that tests exercise the
same loading and dbt invocation as users.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from chat_touchpoints.fingerprint import (
    current_fingerprint,
    full_refresh_reasons,
    raw_table_states,
    store_fingerprint,
    store_raw_states,
    stored_fingerprint,
    stored_raw_states,
)
from chat_touchpoints.loading import (
    LOADED_AT_COLUMN,
    TABLE_SPECS,
    RawFile,
    Row,
    append_files,
    load_files,
    load_rows,
)
from chat_touchpoints.project import seed_dir
from chat_touchpoints.raw_tables import RAW_TABLES
from chat_touchpoints.runner import SECRET_ENV, DbtRun, run_dbt

SECRET_VAR = "msi_api_secret_key"

# The storage format of the published file: DuckDB 1.1's, which every later release reads (BI
# tools bundle older DuckDB versions). It is fixed when a file is created, so the build creates its
# fresh file with it before anything else writes there (profiles.yml sets the same for dbt).
STORAGE_COMPATIBILITY_VERSION = "v1.1.0"

# An incremental build runs on the project as the previous build had it (the fingerprint covers
# its models, macros and their YAML), so its unit tests, which check the models' SQL on fixed
# inputs, have passed on this code already: dbt advises leaving them out of production runs.
# A build that turns into a full refresh (and every plain `dbt build`) runs them. Only `dbt build`
# and `dbt test` run unit tests (and take the option).
SCHEDULED_BUILD_EXCLUDES = ["--exclude-resource-type", "unit_test"]


# The dbt options that choose which nodes run. A build given one of them builds part of the
# project, so it records no raw-table state; leaving out unit or data tests changes no model.
_SELECTION_OPTIONS = frozenset(
    {"-s", "--select", "-m", "--models", "--model", "--exclude", "--selector",
     "--resource-type", "--resource-types"}
)
_TEST_TYPES = frozenset({"unit_test", "test"})


def builds_every_model(command: str, dbt_args: Sequence[str]) -> bool:
    """Whether `dbt <command> <dbt_args>` builds every model of the project."""
    if command not in ("build", "run"):
        return False
    excluding_types = False
    for arg in dbt_args:
        if arg.startswith("-"):
            option, _, value = arg.partition("=")
            if option in _SELECTION_OPTIONS:
                return False
            excluding_types = option in ("--exclude-resource-type", "--exclude-resource-types")
            if value and excluding_types and value not in _TEST_TYPES:
                return False
        elif excluding_types and arg not in _TEST_TYPES:
            return False
    return True


def build_time_is_fixed(vars: Vars) -> bool:
    """Whether `as_of` is set: else the models tagged `build_time` change with every build."""
    value = (json.loads(vars.text) if vars.text else {}).get("as_of")
    return value is not None and str(value).strip() != ""


def models_new_rows_reach(
    previous: Mapping[str, str] | None, current: Mapping[str, str], vars: Vars
) -> tuple[list[str] | None, list[str]]:
    """What an incremental build must build (README "Scheduled builds"): the dbt selection of
    the models that read a raw table whose state changed since the last complete build, and of
    the models tagged `build_time` while `as_of` is null, each with everything downstream of it;
    and the raw tables that changed. Every other model already holds what a full refresh would
    give: its raw tables, the configuration, the variables and the project are as they were
    (the fingerprint). The selection is None, every model, when no complete build kept its
    state."""
    if previous is None:
        return None, list(RAW_TABLES)
    changed = [table for table in RAW_TABLES if previous.get(table) != current.get(table)]
    # a raw table's dbt source is named after its system, the first word of its name
    selection = [f"source:{table.split('_', 1)[0]}.{table}+" for table in changed]
    if not build_time_is_fixed(vars):
        selection.append("tag:build_time+")
    return selection, changed


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


def _vars_text(text_or_path: str) -> str:
    """The YAML text of `--vars`: the text itself, or the content of the file it names. Text that
    is a mapping (`{...}`) or spans lines is never taken for a path."""
    stripped = text_or_path.strip()
    if stripped.startswith("{") or "\n" in stripped or not stripped:
        return text_or_path
    path = Path(stripped)
    try:
        if not path.is_file():
            return text_or_path
        return path.read_text(encoding="utf-8")
    except PermissionError:
        raise VarsError(f"--vars {path}: the file cannot be read (permission denied)") from None
    except OSError:  # e.g. a name too long to be a path: the text itself
        return text_or_path
    except UnicodeDecodeError:
        raise VarsError(f"--vars {path}: the file is not UTF-8 text") from None


def _yaml_error(error: yaml.YAMLError) -> str:
    """Where the YAML goes wrong, without quoting it (it may hold the API secret key)."""
    mark = getattr(error, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"--vars is not valid YAML{where}; its text is not shown, as it may hold a secret"


# dbt renders Jinja in every text variable it reads (`var()`); a variable is data, so every
# brace of a text value that dbt would render is written as a Jinja expression printing that
# brace: dbt's rendering gives the text back exactly and runs nothing in it.
_JINJA = re.compile(r"({[{%#]|[#}%]})")


def _not_rendered(value: Any) -> Any:
    if isinstance(value, str) and _JINJA.search(value):
        return re.sub(r"[{}]", lambda m: "{{ '" + m.group() + "' }}", value)
    return value


def read_vars(text_or_path: str | Mapping[str, Any] | None) -> Vars:
    """Vars from a mapping, a YAML/JSON mapping text, or the path of a YAML file holding one."""
    if text_or_path is None:
        return Vars(None)
    if isinstance(text_or_path, Mapping):
        values: Any = dict(text_or_path)
    else:
        try:
            values = yaml.safe_load(_vars_text(text_or_path))
        except yaml.YAMLError as error:
            raise VarsError(_yaml_error(error)) from None
        if values is None:
            values = {}
    if not isinstance(values, dict):
        raise VarsError(
            "--vars must be a YAML mapping such as \"{web_chat_enabled_at: '2026-02-01'}\" "
            "or the path of a YAML file holding one"
        )
    secret = values.pop(SECRET_VAR, None)
    values = {key: _not_rendered(value) for key, value in values.items()}
    try:
        text = json.dumps(values, default=_json_default, allow_nan=False) if values else None
    except (TypeError, ValueError) as error:
        raise VarsError(f"--vars: {error}") from None
    return Vars(text, None if secret is None else str(secret))


@dataclass(frozen=True)
class BuildResult:
    """What a build loaded (rows per replaced table) and how dbt went."""

    db_path: Path
    loaded: dict[str, int]
    dbt: DbtRun
    # lines for the summary, e.g. why an appending build became a full refresh
    notes: tuple[str, ...] = ()

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
    append: bool = False,
) -> BuildResult:
    """Load `files` and in-memory `rows` into `db_path`, then run `dbt <command>` excluding the
    seeds they replace. With `command="run"` (no seeds), the project's seed files that nobody
    replaced are loaded here as text instead.

    With `publish`, the build happens in a fresh file beside `db_path` that replaces `db_path`
    only when everything succeeded (the rule book, "Bad input and row accounting": a failed
    build never leaves BI readers with half-written marts); a failed build is kept in
    `.<name>.failed/<name>` for inspection. One build of a database at a time: a second one
    is refused (`build_lock`).
    `callbacks` receive dbt's events (the progress display, progress.py).

    With `append` (README "Scheduled builds"), the raw `files` add their rows to the raw tables
    already in `db_path`, stamped with the load time; configuration files replace their table,
    the others stay as they are; no seed is loaded; and dbt builds incrementally, unless the
    fingerprint of variables, configuration and project differs from the previous build's: then
    it is a full refresh, and `notes` says why. With `publish`, an appending build starts from a
    copy of the published file (a fresh build when there is none)."""
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
            append=append,
        )
    vars = vars or Vars(None)
    loaded_at_column = _loaded_at_column(vars)
    secret_present = bool(secret_values(vars))
    args = list(dbt_args)
    notes: list[str] = []
    selection: list[str] | None = None
    if append:
        if rows:
            raise ValueError("an appending build takes files, not in-memory rows")
        loaded = append_files(db_path, files, loaded_at_column=loaded_at_column)
        with duckdb.connect(str(db_path)) as con:
            reasons = full_refresh_reasons(
                stored_fingerprint(con), current_fingerprint(con, vars.text, secret_present)
            )
            previous_raw = stored_raw_states(con)
            current_raw = raw_table_states(con, loaded_at_column)
        if reasons and not full_refresh:
            full_refresh = True
            notes += [f"Full refresh instead of an incremental build: {r}" for r in reasons]
        # the raw and configuration tables are the ones held in the database
        args += ["--exclude", "resource_type:seed"]
        if not full_refresh and command in ("build", "test"):
            args += SCHEDULED_BUILD_EXCLUDES
        if not full_refresh and builds_every_model(command, dbt_args):
            selection, changed = models_new_rows_reach(previous_raw, current_raw, vars)
            notes += _selection_notes(selection, changed)
    else:
        loaded = load_files(db_path, files, loaded_at_column=loaded_at_column)
        if rows:
            loaded.update(load_rows(db_path, rows))
        if command != "build":
            missing = [f for f in seed_files() if f.spec.name not in loaded]
            load_files(db_path, missing, loaded_at_column=loaded_at_column)
        if loaded and command in ("build", "seed"):
            args += ["--exclude", *sorted(loaded)]
    if full_refresh:
        args.append("--full-refresh")
    # dbt's on-run-start drops the record of the raw tables (`forget_raw_table_states`): until
    # this build has built every model, no raw table's state is known to be built
    if selection == []:
        # nothing new reached any model: every table already holds what a build would write
        run = DbtRun(args=(), success=True, target_path=target_path)
    else:
        env = {SECRET_ENV: vars.secret_key} if vars.secret_key is not None else {}
        run = run_dbt(
            command,
            db_path,
            [*args, *(["--select", *selection] if selection else [])],
            vars_text=vars.text,
            target_path=target_path,
            log_path=log_path,
            quiet=quiet,
            env=env,
            callbacks=callbacks,
        )
    if run.success and command in ("build", "run"):
        record_build(db_path, vars, every_model=builds_every_model(command, dbt_args))
    return BuildResult(db_path=db_path, loaded=loaded, dbt=run, notes=tuple(notes))


def record_build(db_path: Path, vars: Vars, *, every_model: bool = True) -> None:
    """After a successful build of `db_path` with `vars`: keep its fingerprint, and when it built
    every model, what each raw table held (what the next incremental build compares with)."""
    with duckdb.connect(str(db_path)) as con:
        store_fingerprint(con, current_fingerprint(con, vars.text, bool(secret_values(vars))))
        if every_model:
            store_raw_states(con, raw_table_states(con, _loaded_at_column(vars)))


def _selection_notes(selection: list[str] | None, changed: list[str]) -> list[str]:
    """The summary's line on what an incremental build left as it was, if anything."""
    if selection is None:
        return [
            "Every model is built: the database holds no record of what the raw tables held at "
            "the last complete build (a failed build, or a dbt run outside chat-touchpoints "
            "build, leaves none)"
        ]
    if not selection:
        return ["Nothing new since the previous build: no raw table changed, so no model was built"]
    if not changed:
        return [
            "Nothing new since the previous build: only the models that depend on the time of "
            "the build (as_of is not set) were built"
        ]
    if len(changed) == len(RAW_TABLES):
        return []
    return [
        f"Built only what the changed raw tables reach ({', '.join(changed)}); the models that "
        "read none of them were left as they were"
    ]


def _loaded_at_column(vars: Vars) -> str:
    """The raw tables' load stamp column: `raw_loaded_at_column` of the variables, if given."""
    values = json.loads(vars.text) if vars.text else {}
    column = values.get("raw_loaded_at_column")
    return column if isinstance(column, str) and column else LOADED_AT_COLUMN


class BuildLockedError(RuntimeError):
    """Another build of the same database is running."""


def lock_path(db_path: Path) -> Path:
    """The lock file beside the database: `.<name>.lock`."""
    return db_path.parent / f".{db_path.name}.lock"


@contextlib.contextmanager
def build_lock(db_path: Path) -> Iterator[None]:
    """Hold the lock of `db_path` for one build, or refuse at once. The lock is the operating
    system's (`flock`) on `.<name>.lock`: it ends with the process that holds it, so a killed
    build leaves no lock behind, and the file it leaves (with its pid, for the message) is
    simply taken over by the next build."""
    path = lock_path(db_path)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            pid = f" (pid {holder})" if holder.isdigit() else ""
            raise BuildLockedError(f"another build of {db_path} is running{pid}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


def _checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the file, so that publishing moves one complete file."""
    with duckdb.connect(str(db_path)) as con:
        con.execute("checkpoint")


def copy_database(source: Path, target: Path) -> None:
    """Copy a DuckDB file and its write-ahead log, if any: what an appending build starts from
    (the benchmark's stage "copy to publish" times this)."""
    shutil.copyfile(source, target)
    if Path(f"{source}.wal").is_file():
        shutil.copyfile(f"{source}.wal", f"{target}.wal")


def _build_and_publish(db_path: Path, **kwargs: Any) -> BuildResult:
    # The file keeps its name in its own directory: dbt-duckdb's views name their catalog after
    # the file's stem, so a renamed file would break them.
    building = db_path.parent / f".{db_path.name}.building"
    failed = db_path.parent / f".{db_path.name}.failed"
    with build_lock(db_path):
        # whatever a killed build left is cleaned up here, under the lock
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        work_db = building / db_path.name
        if kwargs.get("append") and db_path.is_file():
            # an appending build works on a copy of the published file (format and all)
            copy_database(db_path, work_db)
        else:
            kwargs["append"] = False
            # created here, in the oldest storage format that holds the data, so that BI tools
            # bundling an older DuckDB can open the published file
            duckdb.connect(
                str(work_db),
                config={"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION},
            ).close()
        try:
            result = build(work_db, **kwargs)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        if result.success:
            _checkpoint(work_db)
            # a log left beside the previous file must not be replayed into the new one
            Path(f"{db_path}.wal").unlink(missing_ok=True)
            os.replace(work_db, db_path)
            shutil.rmtree(building, ignore_errors=True)
            shutil.rmtree(failed, ignore_errors=True)
            return BuildResult(
                db_path=db_path, loaded=result.loaded, dbt=result.dbt, notes=result.notes
            )
        shutil.rmtree(failed, ignore_errors=True)
        building.rename(failed)
        return BuildResult(
            db_path=failed / db_path.name, loaded=result.loaded, dbt=result.dbt, notes=result.notes
        )


def secret_values(vars: Vars | None = None) -> list[str]:
    """Values that must never be printed: the API secret key, wherever it came from."""
    values = [os.environ.get(SECRET_ENV, ""), vars.secret_key if vars else None]
    return [v for v in values if v and v.strip()]
