"""`audit reconcile` on a claims.csv edited by hand: every bad edit is one line naming the file, the row
(as a spreadsheet numbers it: the header is row 1) and the column, and the old tables stay; the facts do
not depend on the order the rows were saved in.
"""

from __future__ import annotations

import csv
import io
import random
import shutil

import pytest
from click.testing import CliRunner

from audit.cli import cli
from tests.conftest import SEEDS
from tests.test_bad_input import GOOD, GOOD_NAME, _build, _old_tables, _old_tables_untouched, _one_line, _run


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a good page's claims.csv, as `audit run` wrote it."""
    folder = tmp_path_factory.mktemp("good")
    _build(folder / "corpus", {GOOD_NAME: GOOD.encode()})
    result, _ = _run(folder / "corpus", folder / "out")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader((folder / "out" / "claims.csv").open(encoding="utf-8", newline="")))
    assert len(rows) >= 3 and rows[1][rows[0].index("kind")] == "count"  # two claims at least, the first a count
    return rows[0], rows[1:]


def _set(header, rows, row: int, **cells: str) -> list[list[str]]:
    """The rows with cells of data row `row` (0: the first under the header) replaced."""
    out = [list(r) for r in rows]
    for column, value in cells.items():
        out[row][header.index(column)] = value
    return out


def _csv(header, rows, delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode()


EDITS = {  # name: (edit of (header, rows) -> bytes, what the one line says)
    "value-nan": (lambda h, r: _csv(h, _set(h, r, 0, value="nan")), "row 2, column value: 'nan' is not a finite"),
    "value-inf": (lambda h, r: _csv(h, _set(h, r, 0, value="inf")), "row 2, column value: 'inf' is not a finite"),
    "value-1e400": (lambda h, r: _csv(h, _set(h, r, 1, value="1e400")), "row 3, column value: '1e400' is not a"),
    "low-minus-infinity": (lambda h, r: _csv(h, _set(h, r, 0, low="-Infinity")), "row 2, column low: '-Infinity'"),
    "high-NaN": (lambda h, r: _csv(h, _set(h, r, 1, high="NaN")), "row 3, column high: 'NaN' is not a finite"),
    "value-words": (lambda h, r: _csv(h, _set(h, r, 0, value="about 5")), "column value: 'about 5' is not a number"),
    "row-cut-to-5-cells": (
        lambda h, r: _csv(h, [r[0], r[1][:5]]),
        "row 3: 5 cells, expected 30; the row is cut short (no column published on)",
    ),
    "row-with-extra-cells": (lambda h, r: _csv(h, [r[0] + ["x", "y"]]), "row 2: 32 cells, expected 30"),
    "kind-banana": (lambda h, r: _csv(h, _set(h, r, 0, kind="banana")), "row 2, column kind: 'banana' is not one of"),
    "kind-empty": (lambda h, r: _csv(h, _set(h, r, 1, kind="")), "row 3, column kind: '' is not one of"),
    "hedge-unknown": (lambda h, r: _csv(h, _set(h, r, 0, hedge="roughly")), "column hedge: 'roughly' is not one of"),
    "polarity-unknown": (lambda h, r: _csv(h, _set(h, r, 0, polarity="maybe")), "column polarity: 'maybe'"),
    "low-above-high": (
        lambda h, r: _csv(h, _set(h, r, 0, low="50", high="40")),
        "row 2, columns low and high: low 50 is above high 40",
    ),
    "semicolon-separated": (lambda h, r: _csv(h, r, ";"), "semicolon-separated, expected commas"),
    "tab-separated": (lambda h, r: _csv(h, r, "\t"), "tab-separated, expected commas"),
}


@pytest.mark.parametrize("case", list(EDITS), ids=list(EDITS))
def test_bad_edit_gives_one_line_naming_row_and_column(tmp_path, table, case):
    edit, wanted = EDITS[case]
    claims, out = tmp_path / "claims.csv", tmp_path / "out"
    claims.write_bytes(edit(*table))
    _old_tables(out)
    result = CliRunner().invoke(cli, ["reconcile", str(claims), "--out", str(out)])
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    line = _one_line(result, wanted)
    assert line.startswith("Error: claims.csv")
    _old_tables_untouched(out)


def test_good_edits_are_still_read(tmp_path, table):
    """Empty hedge and polarity cells, an open high, a blank line: still a claims table."""
    header, rows = table
    rows = _set(header, rows, 0, hedge="", polarity="", high="") + [[]]
    claims = tmp_path / "claims.csv"
    claims.write_bytes(_csv(header, rows))
    result = CliRunner().invoke(cli, ["reconcile", str(claims), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def test_facts_do_not_depend_on_the_order_of_the_rows(tmp_path):
    """The seeds' claims.csv saved in three other orders reconciles to the same facts and claims, byte for byte
    (the notes named copies and the checks of a duration's dates in row order)."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    result, _ = _run(folder, tmp_path / "run")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader((tmp_path / "run" / "claims.csv").open(encoding="utf-8", newline="")))
    outputs = set()
    for seed in range(4):
        shuffled = rows[1:]
        random.Random(seed).shuffle(shuffled)
        edited, out = tmp_path / f"claims-{seed}.csv", tmp_path / f"out-{seed}"
        edited.write_bytes(_csv(rows[0], shuffled if seed else rows[1:]))
        result = CliRunner().invoke(cli, ["reconcile", str(edited), "--out", str(out), "--no-html"])
        assert result.exit_code == 0, result.output
        outputs.add(((out / "facts.csv").read_bytes(), (out / "claims.csv").read_bytes()))
    assert len(outputs) == 1
