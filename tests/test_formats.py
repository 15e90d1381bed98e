"""Outputs other tools read: every format holds the same facts as facts.csv; files get the modes a user
expects; `audit reconcile` keeps its own input; warnings stay one line; the progress bar only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sqlite3
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from rich.console import Console

from audit import report
from audit.cli import cli
from audit.model import CLAIM_COLUMNS, FACT_COLUMNS
from audit.pipeline import audit_folder
from audit.report.formats import VALUE_KEYS
from audit.report.progress import ProgressBar
from tests.conftest import SEEDS

FLOOD = Path(__file__).parent / "data" / "flood"
CORPORA = {"seeds": SEEDS, "flood": FLOOD}
NUMBERS = {"low", "best", "high", "value", "claims", "sources", "independent", "article", "char_start", "char_end"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _same(cell: str, value: object) -> bool:
    """A CSV cell and a typed value say the same: numbers by value (to the six significant digits the CSV
    prints, as for an hour in days), empty as null, text exactly."""
    if value is None:
        return cell == ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell != "" and math.isclose(float(cell), float(value), rel_tol=1e-6)
    return cell == value or cell == "'" + str(value)  # the CSV defuses text that starts like a formula


def _assert_same_rows(csv_rows: list[dict[str, str]], typed: list[dict], columns, skip=()) -> None:
    assert len(csv_rows) == len(typed)
    for cells, values in zip(csv_rows, typed, strict=True):
        assert list(cells) == list(columns)
        for column in columns:
            if column not in skip:
                assert _same(cells[column], values[column]), (column, cells[column], values[column])


@pytest.fixture(scope="module", params=sorted(CORPORA))
def written(request, tmp_path_factory):
    """A corpus run once with every file format, and its stdout in JSON and JSON Lines."""
    out = tmp_path_factory.mktemp(request.param)
    runner = CliRunner()
    args = ["run", str(CORPORA[request.param]), "-o", str(out), "--parquet", "--sqlite", str(out / "audit.db")]
    stdout = {}
    for fmt in ("json", "jsonl", "csv"):
        result = runner.invoke(cli, [*args, "--json", "--format", fmt])
        assert result.exit_code == 0, result.output
        stdout[fmt] = result.stdout
    return out, stdout


def _check_values(facts_csv: list[dict[str, str]], records: list[dict], claims_csv: list[dict[str, str]]) -> None:
    """Each fact's `values` list holds exactly its claims, as written, with their sources and intervals."""
    claims = {row["claim_id"]: row for row in claims_csv}
    for fact, record in zip(facts_csv, records, strict=True):
        assert [list(v) for v in record["values"]] == [list(VALUE_KEYS)] * len(record["values"])
        ids = {v["claim_id"] for v in record["values"]}
        assert ids == {c for c, row in claims.items() if row["fact_id"] == fact["fact_id"]}
        for value in record["values"]:
            claim = claims[value["claim_id"]]
            assert value["source"] == claim["source"] and value["outlet"] == claim["outlet"]
            assert _same(claim["low"], value["low"]) and _same(claim["high"], value["high"])
            assert value["as_of"] == claim["as_of"]
            assert value["value"] in fact["values"]  # facts.csv writes each value as written, once


def test_json_on_stdout_is_facts_csv(written):
    out, stdout = written
    facts, records = _rows(out / "facts.csv"), json.loads(stdout["json"])
    _assert_same_rows(facts, records, FACT_COLUMNS, skip={"values"})
    _check_values(facts, records, _rows(out / "claims.csv"))


def test_jsonl_on_stdout_is_the_json_a_line_each(written):
    _, stdout = written
    lines = stdout["jsonl"].splitlines()
    assert [json.loads(line) for line in lines] == json.loads(stdout["json"])


def test_csv_on_stdout_is_facts_csv(written):
    out, stdout = written
    assert stdout["csv"] == (out / "facts.csv").read_text(encoding="utf-8")


def test_json_files_match_the_csv_files(written):
    out, _ = written
    facts = json.loads((out / "facts.json").read_text(encoding="utf-8"))
    _assert_same_rows(_rows(out / "facts.csv"), facts, FACT_COLUMNS, skip={"values"})
    claims = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    _assert_same_rows(_rows(out / "claims.csv"), claims, CLAIM_COLUMNS)


@pytest.mark.parametrize("table", ["facts", "claims"])
def test_parquet_reads_back_as_the_csv(written, table):
    out, _ = written
    frame = pl.read_parquet(out / f"{table}.parquet")
    columns = FACT_COLUMNS if table == "facts" else CLAIM_COLUMNS
    assert tuple(frame.columns) == columns
    assert frame.schema["low"] == pl.Float64
    _assert_same_rows(_rows(out / f"{table}.csv"), frame.to_dicts(), columns)


def test_sqlite_reads_back_as_the_csv(written):
    out, _ = written
    db = sqlite3.connect(out / "audit.db")
    db.row_factory = sqlite3.Row
    facts = [dict(row) for row in db.execute("SELECT * FROM facts ORDER BY rowid")]
    _assert_same_rows(_rows(out / "facts.csv"), facts, FACT_COLUMNS)
    claims = [dict(row) for row in db.execute("SELECT * FROM claims ORDER BY rowid")]
    for row in claims:
        row["fact_id"] = row["fact_id"] or ""  # NULL here where a claim is in no fact: the foreign key holds
    _assert_same_rows(_rows(out / "claims.csv"), claims, CLAIM_COLUMNS)
    types = {row["name"]: row["type"] for row in db.execute("PRAGMA table_info(facts)")}
    assert (types["best"], types["independent"], types["verdict"]) == ("REAL", "INTEGER", "TEXT")
    indexed = {row["name"] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"claims_fact_id", "facts_verdict"} <= indexed
    joined = db.execute("SELECT COUNT(*), COUNT(verdict) FROM claim_facts").fetchone()
    assert tuple(joined) == (len(claims), sum(1 for row in claims if row["fact_id"]))
    assert not db.execute("PRAGMA foreign_key_check").fetchall()


@pytest.mark.parametrize(
    ("args", "kept"),
    [
        (["--verdict", "conflict"], {"conflict"}),
        (["--min-sources", "3"], {"conflict", "evolving", "agree"}),
        (["--measure", "killed"], {"conflict", "single"}),
    ],
    ids=["verdict", "min-sources", "measure"],
)
def test_filters_apply_to_stdout_formats(tmp_path, args, kept):
    result = CliRunner().invoke(cli, ["run", str(FLOOD), "-o", str(tmp_path), "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["verdict"] for r in records} <= kept and records
    assert len(_rows(tmp_path / "facts.csv")) > len(records)  # the files keep every fact


def test_claims_on_stdout(tmp_path):
    result = CliRunner().invoke(
        cli, ["run", str(FLOOD), "-o", str(tmp_path), "--format", "csv", "--claims", "--measure", "killed"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CLAIM_COLUMNS
    # the Herald's 12 and the Wire's 19 (each in its headline too), and the Radio's 15
    assert sorted(r["value"] for r in rows) == ["12", "12", "15", "19", "19"]


def test_stdout_formats_hold_only_data(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(FLOOD), "-o", str(tmp_path), "--format", "json"])
    json.loads(result.stdout)
    assert "wrote" in result.stderr


# ------------------------------------------------------------------------------------------------ file modes


@pytest.fixture()
def umask():
    """Set the umask for one test, and put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)], ids=oct)
def test_new_files_honour_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    report.write_files({tmp_path / "facts.csv": ("a,b\r\n", "utf-8"), tmp_path / "x.db": (b"\0", "")})
    assert {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {"facts.csv": mode, "x.db": mode}


def test_replaced_files_keep_their_mode(tmp_path, umask):
    target = tmp_path / "claims.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    report.write_files({target: ("new", "utf-8")})
    assert target.read_text(encoding="utf-8") == "new" and target.stat().st_mode & 0o777 == 0o640


def test_a_run_writes_0644_under_umask_022(tmp_path, umask):
    result = CliRunner().invoke(cli, ["run", str(FLOOD), "-o", str(tmp_path), "--sqlite", str(tmp_path / "a.db")])
    assert result.exit_code == 0, result.output
    assert {p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {0o644}


# ------------------------------------------------------------------------------------- reconcile and its input


@pytest.mark.parametrize("spelling", ["same", "dotted"])
def test_reconcile_refuses_to_replace_its_claims_table(tmp_path, spelling):
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(FLOOD), "-o", str(tmp_path / "out")]).exit_code == 0
    claims = tmp_path / "out" / "claims.csv"
    before = claims.read_bytes()
    out = tmp_path / "out" if spelling == "same" else tmp_path / "out" / ".." / "out"
    result = runner.invoke(cli, ["reconcile", str(claims), "-o", str(out)])
    assert result.exit_code != 0
    [line] = result.output.strip().splitlines()
    assert "claims.csv" in line and "--force" in line
    assert claims.read_bytes() == before
    forced = runner.invoke(cli, ["reconcile", str(claims), "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output


def test_reconcile_into_another_folder_needs_no_force(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(FLOOD), "-o", str(tmp_path / "a")]).exit_code == 0
    result = runner.invoke(cli, ["reconcile", str(tmp_path / "a" / "claims.csv"), "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------------------------------ warnings, progress


def test_warnings_are_one_line_whatever_their_length_or_content(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("Floods\n\nFloods killed 19 people on Tuesday.\n", encoding="utf-8")
    long_name, odd_name = "a" * 200 + ".txt", "bad\nname\x1b[2J.txt"
    (folder / long_name).write_bytes(b"")
    (folder / odd_name).write_bytes(b"")
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(tmp_path / "out"), "--width", "40"])
    assert result.exit_code == 0, result.output
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2 and all(line.startswith("warning: ") for line in warnings)
    assert any(long_name in line for line in warnings)
    assert any("bad␤name␛[2J.txt" in line for line in warnings)


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(FLOOD), "-o", str(tmp_path)])
    assert result.stderr == ""


def test_progress_bar_draws_on_a_terminal_only():
    quiet, shown = io.StringIO(), io.StringIO()
    for stream, terminal in ((quiet, False), (shown, True)):
        console = Console(file=stream, force_terminal=terminal, width=80)
        with ProgressBar(console, delay=0) as progress:
            for done in range(3):
                progress("reading pages", done, 3)
            progress("reconciling", 0, 0)
    assert quiet.getvalue() == ""
    assert "reading pages" in shown.getvalue() or "reconciling" in shown.getvalue()


def test_progress_bar_waits_its_delay():
    stream = io.StringIO()
    with ProgressBar(Console(file=stream, force_terminal=True, width=80), delay=60) as progress:
        progress("reading pages", 1, 3)
    assert stream.getvalue() == ""


def test_the_library_reports_its_stages(rules):
    seen = []
    audit_folder(FLOOD, rules, progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = list(dict.fromkeys(stage for stage, _, _ in seen))
    assert stages == ["checking the rules", "reading pages", "extracting claims from 3 pages", "reconciling"]
    assert ("reading pages", 3, 3) in seen
