"""Dagster definitions: every dbt model as an asset, a daily schedule, the raw tables' freshness.

    dagster dev -m chat_touchpoints.dagster_defs       # needs the `dagster` extra

The dbt project is the repository (`chat_touchpoints.project.project_dir()`); dbt reads the
database path from `CHAT_TOUCHPOINTS_DB` (profiles.yml) and the API secret key from
`MSI_API_SECRET_KEY`, as for plain dbt. The assets run `dbt build` without the unit tests (CI
runs them): the `base_` staging models are incremental, so a scheduled run parses only the raw
rows loaded since the previous one (README "Scheduled builds"). Each raw table is an external
asset whose freshness check runs `dbt source freshness` (warn after `freshness_warn_hours`, error
after `freshness_error_hours`).
"""

import fcntl
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Definitions,
    multi_asset_check,
)
from dagster_dbt import DbtCliResource, DbtProject, build_schedule_from_dbt_selection, dbt_assets

from chat_touchpoints.build import SCHEDULED_BUILD_EXCLUDES
from chat_touchpoints.project import project_dir

# the schedule: every day at 05:00 UTC
DAILY_CRON = "0 5 * * *"


def _dbt_executable() -> str:
    """dbt of this Python environment (the one that installed the package), else of the PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.is_file() else (shutil.which("dbt") or "dbt")


PROJECT = DbtProject(
    project_dir=project_dir(),
    profiles_dir=project_dir(),
    target="duckdb",
    target_path=Path("target") / "dagster",
)
def _manifest_is_stale() -> bool:
    """Whether dbt's manifest is missing or older than a file of the project it describes."""
    if not PROJECT.manifest_path.is_file():
        return True
    built = PROJECT.manifest_path.stat().st_mtime
    root = project_dir()
    sources = [root / "dbt_project.yml", *root.glob("models/**/*"), *root.glob("macros/**/*")]
    sources += [*root.glob("seeds/**/*.yml"), *root.glob("tests/dbt/**/*")]
    return any(path.stat().st_mtime > built for path in sources if path.is_file())




def _ensure_manifest() -> None:
    """Parse the project when its manifest is missing or out of date. The asset graph is read
    from that manifest; an exclusive lock beside it lets one process parse while another (a
    second test worker, a second `dagster dev`) waits instead of reading a half-written file."""
    lock_path = PROJECT.project_dir / PROJECT.target_path / "manifest.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _manifest_is_stale():
            DbtCliResource(
                project_dir=PROJECT, dbt_executable=_dbt_executable()
            ).cli(["parse"], target_path=PROJECT.target_path).wait()


_ensure_manifest()


@dbt_assets(manifest=PROJECT.manifest_path)
def chat_touchpoints_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource
) -> Iterator[object]:
    """Every dbt model and seed of the project, with the dependencies of its manifest. The unit
    tests are left out, as in a scheduled `chat-touchpoints build --append`: they check the SQL
    on fixed inputs, which CI and development runs do (dbt's advice for production runs)."""
    yield from dbt.cli(["build", *SCHEDULED_BUILD_EXCLUDES], context=context).stream()


def _raw_sources() -> dict[str, AssetKey]:
    """The raw tables (dbt sources) by unique id, keyed as dagster-dbt keys them."""
    manifest = json.loads(PROJECT.manifest_path.read_text(encoding="utf-8"))
    return {
        unique_id: AssetKey([source["source_name"], source["name"]])
        for unique_id, source in sorted(manifest["sources"].items())
    }


RAW_SOURCES = _raw_sources()


@multi_asset_check(
    specs=[AssetCheckSpec("freshness", asset=key) for key in RAW_SOURCES.values()],
    can_subset=False,
)
def raw_table_freshness(dbt: DbtCliResource) -> Iterator[AssetCheckResult]:
    """`dbt source freshness`: passes when fresh, a warning after `freshness_warn_hours`, an
    error after `freshness_error_hours` (or when the stamp cannot be read)."""
    invocation = dbt.cli(["source", "freshness"], raise_on_error=False).wait()
    results = json.loads((invocation.target_path / "sources.json").read_text(encoding="utf-8"))
    for result in results["results"]:
        key = RAW_SOURCES.get(result["unique_id"])
        if key is None:
            continue
        status = result["status"]
        yield AssetCheckResult(
            asset_key=key,
            check_name="freshness",
            passed=status == "pass",
            severity=AssetCheckSeverity.WARN if status == "warn" else AssetCheckSeverity.ERROR,
            metadata={
                "status": status,
                "max_loaded_at": str(result.get("max_loaded_at")),
                "age_hours": round(float(result.get("max_loaded_at_time_ago_in_s") or 0) / 3600, 1),
            },
        )


daily_build_schedule = build_schedule_from_dbt_selection(
    [chat_touchpoints_dbt_assets],
    job_name="daily_dbt_build",
    cron_schedule=DAILY_CRON,
    dbt_select="fqn:*",
    execution_timezone="UTC",
)

defs = Definitions(
    assets=[chat_touchpoints_dbt_assets, *(AssetSpec(key) for key in RAW_SOURCES.values())],
    asset_checks=[raw_table_freshness],
    schedules=[daily_build_schedule],
    resources={"dbt": DbtCliResource(project_dir=PROJECT, dbt_executable=_dbt_executable())},
)
