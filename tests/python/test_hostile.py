"""The hostile-input suite: seeded random mutations of the sample files, plus hand-picked cases,
for every raw table and configuration seed, and hostile variables. Rule book: "Bad input and row
accounting".

Every case ends in one of two ways:
- **refused**: exit 2, one sentence on stderr naming the file (or `--vars`) and the problem, no
  traceback, and the published database untouched (same bytes);
- **built**: every raw table's `raw_rows` equals the data lines of its file and
  `raw_rows = accepted + rejected + duplicate + not_applicable` holds; every configuration table
  holds every line of its file.
A configuration mutation may also end **failed** (exit 1: a configuration rule refused the
values), with the published database untouched.

In every case a canary API secret key (in the environment and in `--vars`) must appear in no
output, log, artifact, table or database file.

Cases that build are batched: one mutation per table in one `dbt run` (no dbt tests; the
assertions above are made here), so that a batch covers every table at once. Refused cases never
reach dbt. Sizes: `CT_HOSTILE_CASES` (default 40: the CI size) sets the random cases: half of
it random refusals, and one random build batch of each kind per 40; the hand-picked cases come
on top. `CT_HOSTILE_SEED` (default 7).
With `CT_HOSTILE_REPORT=<path>` the tally of classes and outcomes is written there as JSON.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from chat_touchpoints.build import build, read_vars
from chat_touchpoints.cli import main
from chat_touchpoints.loading import CONFIG_TABLES, discover_raw_files
from chat_touchpoints.project import seed_dir
from chat_touchpoints.raw_tables import RAW_TABLES

CANARY = "canary-7d3f19b2c4e8a6"
CASES = int(os.environ.get("CT_HOSTILE_CASES", "40"))
SEED = int(os.environ.get("CT_HOSTILE_SEED", "7"))
TABLES = [*RAW_TABLES, *CONFIG_TABLES]
TALLY: Counter[tuple[str, str]] = Counter()

Table = tuple[list[str], list[list[str]]]


def sample(table: str) -> Table:
    folder = "raw" if table in RAW_TABLES else "config"
    with open(seed_dir() / folder / f"{table}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def to_bytes(header: list[str], rows: list[list[str]], newline: str = "\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Mutations that still make a table: (header, rows) -> (header, rows). The file is written by
# Python's csv writer, so quoting is always right; the values are the hostile part.
# ---------------------------------------------------------------------------------------------

HOSTILE_VALUES = [
    "#700005",
    "# comment?",
    "x\x00y",
    "",
    "   ",
    "\u200b\u202eevil\u202c",
    "😀 emoji",
    "line one\nline two",
    'she said "hi", twice',
    "'); drop table raw.crm_leads; --",
    "{{ env_var('MSI_API_SECRET_KEY') }}",
    "{% raw %}",
    "12345678901234567890",
    "-0",
    "1e400",
    "NaN",
    "9999999999999999.995",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "2026-01-12T08:30:00+99:99",
    "2026-02-30",
    "0000-00-00",
    "true ",
    "TRUE",
    "2",
    "x" * 100_000,
    "[" * 5_000 + "]" * 5_000,
    '{"Page URL": 1, "Page URL": 2}',
    '{"Conversation Status": "' + "x" * 50_000 + '"}',
    "null",
]

Mutation = Callable[[random.Random, list[str], list[list[str]]], Table]


def set_value(rng: random.Random, header: list[str], rows: list[list[str]]) -> Table:
    rows = [list(r) for r in rows] or [[""] * len(header)]
    row = rng.randrange(len(rows))
    rows[row][rng.randrange(len(header))] = rng.choice(HOSTILE_VALUES)
    return header, rows


def repeat_rows(rng: random.Random, header: list[str], rows: list[list[str]]) -> Table:
    if not rows:
        return header, rows
    picked = [list(rng.choice(rows)) for _ in range(rng.randint(1, 5))]
    for row in picked[1:]:  # a repeated id with other values
        column = rng.randrange(1, len(header))
        row[column] = rng.choice(HOSTILE_VALUES[:12])
    return header, rows + picked


def shuffle_columns(rng: random.Random, header: list[str], rows: list[list[str]]) -> Table:
    order = list(range(len(header)))
    rng.shuffle(order)
    return [header[i] for i in order], [[r[i] for i in order] for r in rows]


def no_rows(rng: random.Random, header: list[str], rows: list[list[str]]) -> Table:
    return header, []


def blank_column(rng: random.Random, header: list[str], rows: list[list[str]]) -> Table:
    column = rng.randrange(len(header))
    return header, [[("" if i == column else v) for i, v in enumerate(r)] for r in rows]


def many_rows(rng: random.Random, header: list[str], rows: list[list[str]]) -> Table:
    return header, rows * rng.randint(20, 60)


BUILDS: dict[str, Mutation] = {
    "hostile value": set_value,
    "repeated rows and ids": repeat_rows,
    "columns in another order": shuffle_columns,
    "header only": no_rows,
    "a column left empty": blank_column,
    "many copies of every row": many_rows,
}

# Byte-level forms that are still CSV: (file bytes) -> file bytes, rows unchanged.
ENCODINGS: dict[str, Callable[[bytes], bytes]] = {
    "CRLF line ends": lambda b: b.replace(b"\n", b"\r\n"),
    "UTF-8 byte-order mark": lambda b: b"\xef\xbb\xbf" + b,
    "no line break at the end": lambda b: b.rstrip(b"\n"),
}


# ---------------------------------------------------------------------------------------------
# Mutations that do not make a table: bytes -> bytes; the expected words of the sentence.
# ---------------------------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _at_data_line(rng: random.Random, data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    lines = _lines(data)
    index = rng.randrange(1, max(len(lines) - 1, 2))
    lines[index] = change(lines[index])
    return b"\n".join(lines)


REFUSALS: dict[str, tuple[Callable[[random.Random, bytes], bytes], str]] = {
    "a row with a value too few": (
        lambda rng, b: _at_data_line(rng, b, lambda line: line.split(b",", 1)[1]),
        "values where the header has",
    ),
    "a row with a value too many": (
        lambda rng, b: _at_data_line(rng, b, lambda line: line + b",extra"),
        "values where the header has",
    ),
    "an empty line": (
        lambda rng, b: _at_data_line(rng, b, lambda line: line + b"\n"),
        "the line is empty",
    ),
    "Latin-1 bytes": (
        lambda rng, b: _at_data_line(rng, b, lambda line: line + b"\xe9"),
        "not UTF-8",
    ),
    "UTF-16": (lambda rng, b: b.decode().encode("utf-16"), ""),
    "a quote left open": (lambda rng, b: b + b'"', "a quoted value is not closed"),
    "text after a closing quote": (
        lambda rng, b: _at_data_line(rng, b, lambda line: b'"a"b,' + line.split(b",", 1)[-1]),
        "a closing quote is followed",
    ),
    "a line over 2 MB": (
        lambda rng, b: _at_data_line(rng, b, lambda line: b"x" * 2_100_000 + line),
        "longer than",
    ),
    "zero bytes": (lambda rng, b: b"", "is empty"),
    "semicolons": (lambda rng, b: b.replace(b",", b";"), "does not have the columns"),
    "a column renamed": (
        lambda rng, b: b"renamed_" + b,
        "does not have the columns",
    ),
    "a column missing": (
        lambda rng, b: b"\n".join(line.split(b",", 1)[-1] for line in _lines(b)),
        "does not have the columns",
    ),
    "a column repeated": (
        lambda rng, b: b"\n".join(
            (line + b"," + line.split(b",", 1)[0]) if line else line for line in _lines(b)
        ),
        "repeats the columns",
    ),
    "binary garbage": (lambda rng, b: bytes(rng.randrange(256) for _ in range(4096)), ""),
    "NUL bytes in the header": (lambda rng, b: b.replace(b",", b"\x00,", 1), ""),
}


# ---------------------------------------------------------------------------------------------
# Running cases
# ---------------------------------------------------------------------------------------------


@dataclass
class Workspace:
    root: Path
    db: Path
    published: str = ""
    outputs: list[str] = field(default_factory=list)

    def digest(self) -> str:
        return hashlib.sha256(self.db.read_bytes()).hexdigest() if self.db.exists() else ""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("hostile")
    db = root / "published" / "warehouse.duckdb"
    db.parent.mkdir()
    with duckdb.connect(str(db)) as con:  # stands for the last good build
        con.execute("create schema marts")
        con.execute("create table marts.fct_touchpoints as select 42 as last_good_build")
    space = Workspace(root, db)
    space.published = space.digest()
    return space


@pytest.fixture
def canary(monkeypatch: pytest.MonkeyPatch, workspace: Workspace) -> None:
    monkeypatch.setenv("MSI_API_SECRET_KEY", CANARY)
    monkeypatch.setenv("DBT_TARGET_PATH", str(workspace.root / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(workspace.root / "logs"))


def sample_dir(root: Path) -> Path:
    """Every raw table and configuration seed of the sample, as files."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for table in TABLES:
        header, rows = sample(table)
        (root / f"{table}.csv").write_bytes(to_bytes(header, rows))
    return root


def assert_no_canary(workspace: Workspace, *texts: str) -> None:
    for text in texts:
        assert CANARY not in text
    needle = CANARY.encode()
    leaked = [p for p in workspace.root.rglob("*") if p.is_file() and needle in p.read_bytes()]
    assert leaked == []


def assert_no_canary_in_tables(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
        for schema, name in tables:
            hits = con.execute(
                f'select count(*) from "{schema}"."{name}" as t '
                f"where contains(cast(t as varchar), '{CANARY}')"
            ).fetchone()[0]
            assert hits == 0, f"{schema}.{name}"


def refusal_cases() -> list[tuple[str, str, int]]:
    """Hand-picked: every refusal class once, on a table of its own; then seeded random ones."""
    cases = [(name, TABLES[i % len(TABLES)], i) for i, name in enumerate(REFUSALS)]
    rng = random.Random(SEED)
    names = list(REFUSALS)
    for i in range(CASES // 2):
        cases.append((rng.choice(names), rng.choice(TABLES), 1000 + i))
    return cases


@pytest.mark.parametrize(
    ("kind", "table", "seed"),
    refusal_cases(),
    ids=[f"{k}-{t}-{s}" for k, t, s in refusal_cases()],
)
def test_a_file_that_is_not_a_table_is_refused(
    workspace: Workspace,
    canary: None,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    table: str,
    seed: int,
) -> None:
    raw = sample_dir(workspace.root / "raw")
    mutate, words = REFUSALS[kind]
    path = raw / f"{table}.csv"
    path.write_bytes(mutate(random.Random(seed), path.read_bytes()))

    code = main(
        [
            "build",
            "--db",
            str(workspace.db),
            "--raw",
            str(raw),
            "--vars",
            f"{{msi_api_secret_key: {CANARY}}}",
            "--quiet",
        ]
    )
    out = capsys.readouterr()

    TALLY[(f"refuse: {kind}", "refused" if code == 2 else f"exit {code}")] += 1
    assert code == 2, out.out + out.err
    err = out.err.strip()
    assert err.startswith("chat-touchpoints: error: ") and len(err.splitlines()) == 1, err
    assert str(path) in err and words in err
    assert "Traceback" not in out.out + out.err
    assert workspace.digest() == workspace.published
    assert not (workspace.db.parent / ".warehouse.duckdb.building").exists()
    assert_no_canary(workspace, out.out, out.err)


def build_batches(tables: list[str], salt: int) -> list[list[tuple[str, str]]]:
    """Each batch: one mutation for each of `tables`. The first batches take every class once
    (hand-picked); then one seeded random batch per 40 cases (at least one)."""
    rng = random.Random(SEED + salt)
    kinds = [*BUILDS, *ENCODINGS]
    batches = [
        [(kinds[(i + shift) % len(kinds)], table) for i, table in enumerate(tables)]
        for shift in range(0, len(kinds), len(tables))
    ]
    batches += [[(rng.choice(kinds), t) for t in tables] for _ in range(max(1, CASES // 40))]
    return batches


RAW_BATCHES = build_batches(list(RAW_TABLES), 1)
# in the CI size, the configuration seeds take two batches (six of the nine classes)
CONFIG_BATCHES = build_batches(list(CONFIG_TABLES), 2)
CONFIG_BATCHES = CONFIG_BATCHES[:2] if CASES <= 40 else CONFIG_BATCHES


def write_batch(raw: Path, cases: list[tuple[str, str]], rng: random.Random) -> dict[str, int]:
    """The sample with one mutation per table of `cases`; returns the rows of every file."""
    expected = {table: len(sample(table)[1]) for table in TABLES}
    for kind, table in cases:
        header, rows = sample(table)
        if kind in BUILDS:
            header, rows = BUILDS[kind](rng, header, rows)
            data = to_bytes(header, rows)
        else:
            data = ENCODINGS[kind](to_bytes(header, rows))
        (raw / f"{table}.csv").write_bytes(data)
        expected[table] = len(rows)
    return expected


def build_batch(workspace: Workspace, name: str, cases: list[tuple[str, str]]) -> tuple:
    raw = sample_dir(workspace.root / name)
    expected = write_batch(raw, cases, random.Random(f"{SEED}-{name}"))
    db = workspace.root / f"{name}_db" / "warehouse.duckdb"
    db.parent.mkdir(exist_ok=True)
    if name.startswith("config"):  # the last good build, to be left untouched on failure
        shutil.copy(workspace.db, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else ""
    files, _ = discover_raw_files(raw)
    result = build(
        db,
        files=files,
        vars=read_vars({"msi_api_secret_key": CANARY}),
        command="run",
        quiet=True,
        publish=True,
    )
    after = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else ""
    return result, expected, db, before == after


def assert_every_row_accounted_for(db: Path, expected: dict[str, int], described: str) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        accounting = {
            r[0]: r[1:]
            for r in con.execute(
                "select source_table, raw_rows, accepted_rows, rejected_rows, duplicate_rows, "
                "not_applicable_rows from audit.row_accounting"
            ).fetchall()
        }
        config_rows = {
            t: con.execute(f"select count(*) from config.{t}").fetchone()[0] for t in CONFIG_TABLES
        }
    for table in RAW_TABLES:
        raw_rows, *outcomes = accounting[table]
        assert raw_rows == expected[table], (table, described)
        assert raw_rows == sum(outcomes), (table, described)
    assert config_rows == {t: expected[t] for t in CONFIG_TABLES}, described


@pytest.mark.parametrize("batch", range(len(RAW_BATCHES)))
def test_hostile_raw_values_build_and_every_row_is_accounted_for(
    workspace: Workspace, canary: None, capsys: pytest.CaptureFixture[str], batch: int
) -> None:
    cases = RAW_BATCHES[batch]
    result, expected, db, _ = build_batch(workspace, f"raw_{batch}", cases)
    out = capsys.readouterr()

    for kind, _ in cases:
        TALLY[(f"build: {kind}", "built" if result.success else "failed")] += 1
    described = "; ".join(f"{table}: {kind}" for kind, table in cases)
    assert result.success, (described, [n.message for n in result.dbt.failed_nodes])
    assert result.loaded == expected
    assert_every_row_accounted_for(db, expected, described)
    assert "Traceback" not in out.out + out.err
    assert_no_canary(workspace, out.out, out.err)
    assert_no_canary_in_tables(db)


@pytest.mark.parametrize("batch", range(len(CONFIG_BATCHES)))
def test_hostile_configuration_builds_or_fails_leaving_the_last_build(
    workspace: Workspace, canary: None, capsys: pytest.CaptureFixture[str], batch: int
) -> None:
    cases = CONFIG_BATCHES[batch]
    result, expected, db, untouched = build_batch(workspace, f"config_{batch}", cases)
    out = capsys.readouterr()

    for kind, _ in cases:
        TALLY[(f"configuration: {kind}", "built" if result.success else "failed")] += 1
    described = "; ".join(f"{table}: {kind}" for kind, table in cases)
    if result.success:
        assert_every_row_accounted_for(db, expected, described)
        assert_no_canary_in_tables(db)
    else:
        assert untouched, described
        assert result.dbt.failed_nodes or result.dbt.error
    assert "Traceback" not in out.out + out.err
    assert_no_canary(workspace, out.out, out.err)


HOSTILE_VARS = [
    ("a YAML typo next to the key", f"{{msi_api_secret_key: {CANARY}, as_of: [}}", "not valid"),
    ("not a mapping", f"[{CANARY}]", "must be a YAML mapping"),
    ("a long text that is no file", "x" * 5000, "must be a YAML mapping"),
    ("a tab-indented YAML", f"a:\n\tmsi_api_secret_key: {CANARY}", "not valid"),
    ("a Python object tag", f"{{a: !!python/object/apply:os.system [{CANARY}]}}", "not valid"),
    ("NaN", f"{{msi_api_secret_key: {CANARY}, as_of: .nan}}", "--vars"),
    ("a key that is a list", f"{{[a, b]: {CANARY}}}", "--vars"),
]


@pytest.mark.parametrize(("kind", "text", "words"), HOSTILE_VARS, ids=[v[0] for v in HOSTILE_VARS])
def test_hostile_variables_are_refused_without_the_key(
    workspace: Workspace,
    canary: None,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    text: str,
    words: str,
) -> None:
    code = main(["build", "--db", str(workspace.db), "--vars", text, "--quiet"])
    out = capsys.readouterr()

    TALLY[(f"vars: {kind}", "refused" if code == 2 else f"exit {code}")] += 1
    assert code == 2, out.err
    err = out.err.strip()
    assert len(err.splitlines()) == 1 and words in err and "Traceback" not in err
    assert workspace.digest() == workspace.published
    assert_no_canary(workspace, out.out, out.err)


def test_zz_tally(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints (and with CT_HOSTILE_REPORT writes) how many cases of each class ended how."""
    lines = [f"{n:5}  {kind}: {end}" for (kind, end), n in sorted(TALLY.items())]
    total = sum(TALLY.values())
    with capsys.disabled():
        print(f"\nhostile cases: {total}\n" + "\n".join(lines))
    report = os.environ.get("CT_HOSTILE_REPORT")
    if report:
        Path(report).write_text(
            json.dumps(
                {"cases": total, "classes": {f"{k} -> {e}": n for (k, e), n in TALLY.items()}},
                indent=2,
            )
        )
