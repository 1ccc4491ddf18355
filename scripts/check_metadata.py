"""The project's metadata checks on dbt's artifacts (manifest.json, catalog.json of a built sample):

- dbt-score: the project scores at least 9.5 and every model at least 9;
- dbt-coverage, documentation: every column of every model, seed and source is described (100 %);
- test coverage of the `marts` columns: at least 80 %. A column counts as tested when a data test
  covers it (dbt-coverage) or when it is an enforced `not_null` or `primary_key` constraint of a
  contracted mart: the database then refuses a null, which is what a `not_null` test would check.

Runs in its own environment (dbt-score and dbt-coverage pin dbt-core versions other than the
project's); they read only the artifacts. Prints the figures; exits 1 when a threshold is missed.

Usage: python scripts/check_metadata.py ARTIFACTS_DIR [--project-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_SCORE = 9.5
MODEL_SCORE = 9.0
DOC_COVERAGE = 1.0
MARTS_TEST_COVERAGE = 0.8


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def dbt_score(artifacts: Path) -> tuple[float, list[tuple[float, str]], list[str]]:
    """The project score, every model's score (lowest first) and every failing rule."""
    done = _run(
        [
            _bin("dbt-score"),
            "lint",
            "--manifest",
            str(artifacts / "manifest.json"),
            "--format",
            "json",
        ]
    )
    if not done.stdout.strip():
        raise RuntimeError(f"dbt-score printed nothing: {done.stderr}")
    report = json.loads(done.stdout)
    models = sorted(
        (item["score"], name.removeprefix("model."))
        for name, item in report["evaluables"].items()
        if name.startswith("model.")
    )
    failing = sorted(
        f"{name}: {rule.rsplit('.', 1)[-1]}"
        for name, item in report["evaluables"].items()
        for rule, result in item["results"].items()
        if result["result"] != "OK"
    )
    return float(report["project"]["score"]), models, failing


def dbt_coverage(artifacts: Path, project_dir: Path, cov_type: str, *filters: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "coverage.json"
        done = _run(
            [
                _bin("dbt-coverage"),
                "compute",
                cov_type,
                "--project-dir",
                str(project_dir),
                "--run-artifacts-dir",
                str(artifacts),
                "--cov-report",
                str(report),
                *filters,
            ]
        )
        if not report.is_file():
            raise RuntimeError(f"dbt-coverage failed: {done.stdout}{done.stderr}")
        return json.loads(report.read_text())


def marts_test_coverage(artifacts: Path, project_dir: Path) -> tuple[int, int, list[str]]:
    """(covered, total, uncovered columns) over the columns of the marts."""
    coverage = dbt_coverage(artifacts, project_dir, "test", "--model-path-filter", "models/marts")
    manifest = json.loads((artifacts / "manifest.json").read_text())
    models = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    covered, total, missing = 0, 0, []
    for table in coverage["tables"]:
        name = table["name"].rsplit(".", 1)[-1]
        node = models[name]
        enforced = node["config"].get("contract", {}).get("enforced", False)
        for column in table["columns"]:
            constraints = {
                c["type"] for c in node["columns"].get(column["name"], {}).get("constraints", [])
            }
            ok = column["covered"] > 0 or (enforced and constraints & {"not_null", "primary_key"})
            total += 1
            covered += bool(ok)
            if not ok:
                missing.append(f"{name}.{column['name']}")
    return covered, total, missing


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("artifacts", type=Path, help="directory of manifest.json and catalog.json")
    parser.add_argument("--project-dir", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    problems = []

    project, models, failing = dbt_score(args.artifacts)
    lowest_score, lowest_model = models[0]
    print(f"dbt-score: project {project:.2f}, lowest model {lowest_score:.2f} ({lowest_model})")
    if project < PROJECT_SCORE:
        problems.append(f"dbt-score of the project {project:.2f} < {PROJECT_SCORE}")
    below = [f"{name} {score:.2f}" for score, name in models if score < MODEL_SCORE]
    if below:
        problems.append(f"dbt-score below {MODEL_SCORE}: " + ", ".join(below))
    if problems:
        print("  failing rules:\n    " + "\n    ".join(failing))

    docs = dbt_coverage(args.artifacts, args.project_dir, "doc")
    print(f"doc coverage: {docs['covered']}/{docs['total']} columns ({docs['coverage']:.1%})")
    if docs["coverage"] < DOC_COVERAGE:
        undocumented = [
            f"{table['name']}.{column['name']}"
            for table in docs["tables"]
            for column in table["columns"]
            if not column["covered"]
        ]
        problems.append("undocumented columns: " + ", ".join(undocumented))

    covered, total, missing = marts_test_coverage(args.artifacts, args.project_dir)
    print(
        f"marts test coverage (data tests and enforced not-null constraints): {covered}/{total} "
        f"columns ({covered / total:.1%})"
    )
    if covered / total < MARTS_TEST_COVERAGE:
        problems.append(
            f"marts test coverage {covered / total:.1%} < {MARTS_TEST_COVERAGE:.0%}; untested: "
            + ", ".join(missing)
        )

    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
