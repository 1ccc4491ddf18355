"""`chat-touchpoints docs`: the dbt documentation site as one HTML file that opens offline.

dbt's `docs generate --static` writes `static_index.html`, the site with the manifest and the
catalog (the built tables' columns and types) inlined. The catalog is read from a copy of the
built DuckDB file, so that the published file is never opened for writing; the copy keeps the
file's name, which dbt-duckdb uses as the catalog name.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from chat_touchpoints.runner import DbtRun, run_dbt

SITE_FILE = "index.html"


class DocsError(RuntimeError):
    """The docs site could not be generated."""


def generate_docs_site(
    db_path: Path, out_dir: Path, *, target_path: Path | None = None, quiet: bool = True
) -> Path:
    """Write the static docs site of the project, with the catalog of `db_path`, to
    `out_dir/index.html` and return its path. dbt's artifacts (manifest.json, catalog.json) are
    kept in `target_path` when given."""
    db_path = Path(db_path).resolve()
    if not db_path.is_file():
        raise DocsError(f"no database at {db_path}; run `chat-touchpoints build` first")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chat-touchpoints-docs-") as scratch:
        copy = Path(scratch) / "db" / db_path.name
        copy.parent.mkdir()
        shutil.copyfile(db_path, copy)
        target = Path(target_path).resolve() if target_path else Path(scratch) / "target"
        run: DbtRun = run_dbt(
            "docs generate",
            copy,
            ["--static"],
            target_path=target,
            log_path=Path(scratch) / "logs",
            quiet=quiet,
        )
        site = target / "static_index.html"
        if not run.success or not site.is_file():
            raise DocsError(f"dbt docs generate failed: {run.error or 'see the log above'}")
        destination = out_dir / SITE_FILE
        shutil.copyfile(site, destination)
    return destination
