"""Invoking dbt through its programmatic runner (`dbtRunner`) against one DuckDB file.

Every invocation gets the database path through `CHAT_TOUCHPOINTS_DB` (read by `profiles.yml`),
the project's own `profiles.yml`, and the `duckdb` target. Afterwards no DuckDB connection is left
open, so that other processes (BI tools, the next build) can open the file.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chat_touchpoints.project import project_dir

DB_ENV = "CHAT_TOUCHPOINTS_DB"
SECRET_ENV = "MSI_API_SECRET_KEY"

# Statuses of dbt node results that make a build fail.
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})


@dataclass(frozen=True)
class NodeResult:
    """The outcome of one dbt node (model, seed, test, hook) in an invocation."""

    unique_id: str
    name: str
    resource_type: str
    status: str
    message: str | None
    failures: int | None
    execution_time: float

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES


@dataclass(frozen=True)
class DbtRun:
    """The outcome of one dbt invocation: `success`, per-node results, and the error that stopped
    dbt before or outside any node (e.g. an invalid variable), if any."""

    args: tuple[str, ...]
    success: bool
    nodes: tuple[NodeResult, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    target_path: Path | None = field(default=None)

    @property
    def failed_nodes(self) -> tuple[NodeResult, ...]:
        return tuple(n for n in self.nodes if n.failed)


@contextlib.contextmanager
def _environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, unset) environment variables for the duration of the block."""
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def close_duckdb_connections() -> None:
    """Close the DuckDB database dbt-duckdb holds: the profile keeps it open for the whole
    invocation (`keep_open: true`), and other processes must be able to open the file afterwards,
    also after errors and cancellations."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.adapters.factory import cleanup_connections

    with contextlib.suppress(Exception):
        cleanup_connections()
    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
        DuckDBConnectionManager.close_all_connections()


def _node_results(result: object) -> tuple[NodeResult, ...]:
    nodes = []
    for item in getattr(result, "results", None) or ():
        node = getattr(item, "node", None)
        if node is None:
            continue
        status = getattr(item.status, "value", item.status)
        nodes.append(
            NodeResult(
                unique_id=node.unique_id,
                name=node.name,
                resource_type=str(getattr(node.resource_type, "value", node.resource_type)),
                status=str(status),
                message=item.message,
                failures=item.failures,
                execution_time=float(item.execution_time or 0.0),
            )
        )
    return tuple(nodes)


def run_dbt(
    command: str,
    db_path: Path,
    args: Sequence[str] = (),
    *,
    vars_text: str | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
    quiet: bool = False,
    env: Mapping[str, str | None] | None = None,
    callbacks: Sequence[Callable[[Any], None]] = (),
) -> DbtRun:
    """Run `dbt <command> <args>` on the DuckDB file `db_path` and return its outcome.

    `vars_text` is passed as `--vars` (YAML or JSON text). `target_path`/`log_path` default to
    `$DBT_TARGET_PATH`/`$DBT_LOG_PATH`, else dbt's own defaults. `env` sets extra environment
    variables (None unsets) for the invocation only. `callbacks` receive every event dbt fires
    (`EventMsg`), e.g. the progress display of `chat-touchpoints build` (progress.py).
    """
    from dbt.cli.main import dbtRunner

    project = project_dir()
    cli_args = [
        *command.split(),  # e.g. "docs generate"
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target",
        "duckdb",
        *(["--quiet"] if quiet else []),
        *(["--target-path", str(target_path)] if target_path else []),
        *(["--log-path", str(log_path)] if log_path else []),
        *(["--vars", vars_text] if vars_text else []),
        *args,
    ]
    started = time.perf_counter()
    with _environment({**(env or {}), DB_ENV: str(Path(db_path).resolve())}):
        try:
            outcome = dbtRunner(callbacks=list(callbacks)).invoke(cli_args)
        finally:
            close_duckdb_connections()
    error = None
    if outcome.exception is not None:
        error = str(outcome.exception).strip() or type(outcome.exception).__name__
    resolved_target = target_path or Path(os.environ.get("DBT_TARGET_PATH", project / "target"))
    return DbtRun(
        args=tuple(cli_args),
        success=bool(outcome.success),
        nodes=_node_results(outcome.result),
        error=error,
        seconds=time.perf_counter() - started,
        target_path=Path(resolved_target),
    )
