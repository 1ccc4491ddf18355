"""Where the dbt project lives and which files of it the Python package needs to know about."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR_ENV = "CHAT_TOUCHPOINTS_PROJECT_DIR"


def project_dir() -> Path:
    """The dbt project directory: `$CHAT_TOUCHPOINTS_PROJECT_DIR`, else the repository root (the
    parent of `src/`, where an editable install leaves this package)."""
    configured = os.environ.get(PROJECT_DIR_ENV)
    path = Path(configured) if configured else Path(__file__).resolve().parents[2]
    path = path.resolve()
    if not (path / "dbt_project.yml").is_file():
        raise FileNotFoundError(
            f"no dbt_project.yml in {path}; install the package editable from the repository "
            f"(pip install -e .) or set {PROJECT_DIR_ENV} to the project directory"
        )
    return path


def seed_dir() -> Path:
    """`seeds/` of the project: `raw/` and `config/`."""
    return project_dir() / "seeds"
