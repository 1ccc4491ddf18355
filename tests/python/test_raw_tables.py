"""The raw tables' columns are declared once, in `chat_touchpoints.raw_tables.RAW_TABLES`.

The files generated from it must be up to date (`python -m chat_touchpoints.raw_tables` rewrites
them), and every other place that names the raw tables' columns must agree with it: the sources
YAML files, each `base_` model and the sample seed files. The configuration seeds' YAML and files
must agree with the loader's `CONFIG_TABLES` the same way.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from chat_touchpoints.loading import CONFIG_TABLES
from chat_touchpoints.project import project_dir
from chat_touchpoints.raw_tables import GENERATED_FILES, RAW_TABLES, base_model, source_name

PROJECT = project_dir()


@pytest.mark.parametrize("relative", sorted(GENERATED_FILES))
def test_the_generated_files_are_up_to_date(relative: str) -> None:
    text = (PROJECT / relative).read_text(encoding="utf-8")
    assert text == GENERATED_FILES[relative](), (
        f"{relative} differs from src/chat_touchpoints/raw_tables.py; "
        "run `python -m chat_touchpoints.raw_tables`"
    )


def _sources() -> dict[tuple[str, str], list[str]]:
    """(source, table) -> column names, from every sources YAML file."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(PROJECT.glob("models/staging/*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                columns = [column["name"] for column in table.get("columns", [])]
                found[(source["name"], table["name"])] = columns
    return found


def test_the_sources_yaml_files_declare_exactly_the_raw_tables_and_their_columns() -> None:
    expected = {(source_name(table), table): list(cols) for table, cols in RAW_TABLES.items()}
    assert _sources() == expected


@pytest.mark.parametrize("table", RAW_TABLES)
def test_each_base_model_reads_its_source_and_takes_its_columns_from_the_one_list(
    table: str,
) -> None:
    path = PROJECT / "models" / "staging" / source_name(table) / f"{base_model(table)}.sql"
    sql = path.read_text(encoding="utf-8")
    assert f"source('{source_name(table)}', '{table}')" in sql
    assert f"raw_row_text(raw_table_columns('{table}'))" in sql
    assert re.findall(r"raw_row_text\(", sql) == ["raw_row_text("]


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as file:
        return next(csv.reader(file))


@pytest.mark.parametrize("table", RAW_TABLES)
def test_each_sample_raw_seed_file_has_the_columns_in_their_order(table: str) -> None:
    assert _header(PROJECT / "seeds" / "raw" / f"{table}.csv") == list(RAW_TABLES[table])


def test_the_configuration_seeds_are_declared_as_the_loader_reads_them() -> None:
    """Every configuration seed column is loaded as text (the `stg_config__` models type them),
    in the loader's column order, in the YAML and in the sample files."""
    seeds = yaml.safe_load(
        (PROJECT / "seeds" / "config" / "_config__seeds.yml").read_text(encoding="utf-8")
    )["seeds"]
    declared = {seed["name"]: seed["config"]["column_types"] for seed in seeds}
    assert {name: list(types) for name, types in declared.items()} == {
        name: list(columns) for name, columns in CONFIG_TABLES.items()
    }
    assert {t for types in declared.values() for t in types.values()} == {"varchar"}
    for name, columns in CONFIG_TABLES.items():
        assert _header(PROJECT / "seeds" / "config" / f"{name}.csv") == list(columns)
