"""A pathological page costs bounded memory after extraction (issue 15): report files are written piece by
piece, never held whole as one string, with the same bytes as the whole text; and one page's share of the
claims is capped (rules/facts.toml page_claims) with one warning naming the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from audit import report
from audit.errors import AuditError
from audit.model import CLAIM_COLUMNS, FACT_COLUMNS
from audit.pipeline import audit_folder, reconcile_claims
from audit.reconcile import reconcile
from audit.reconcile.frame import claim_schema
from audit.reconcile.settings import ReconcileSettings
from audit.report import files as report_files
from audit.report import page_data
from audit.report.files import Pieces
from audit.report.html import html_file, html_text
from audit.rules import DEFAULT_RULES_DIR, load_rules

FLOOD = Path(__file__).parent / "data" / "flood"

# --- files written piece by piece ------------------------------------------------------------------------

PIECES = {
    "ascii": (["a,b\r\n", "1,2\r\n"], "utf-8"),
    "empty-pieces": (["", "x", "", ""], "utf-8"),
    "nothing": ([], "utf-8"),
    "accents-across-blocks": (["café " * 3, "naïve – ", "日本" * 5, "\u2028end"], "utf-8"),
    "bom-once": (["fact_id,story\r\n", "F1,S1\r\n", "F2,S2\r\n"], "utf-8-sig"),
    "bom-on-nothing": ([], "utf-8-sig"),
}


@pytest.mark.parametrize(("pieces", "encoding"), list(PIECES.values()), ids=list(PIECES))
def test_pieces_are_written_as_the_whole_text_would_be(tmp_path, monkeypatch, pieces, encoding):
    monkeypatch.setattr(report_files, "_BLOCK", 4)  # blocks of a few characters: every boundary is crossed
    target, manifest = tmp_path / "out.csv", tmp_path / report.MANIFEST
    report.write_files({target: (Pieces(lambda: iter(pieces)), encoding)}, manifest=manifest)
    expected = "".join(pieces).encode(encoding)
    assert target.read_bytes() == expected
    digests = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    assert digests == {"out.csv": hashlib.sha256(expected).hexdigest()}
    assert report.outputs_problem(tmp_path) == ""


def test_pieces_that_fail_midway_leave_the_old_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    def failing():
        yield "<html>"
        raise OSError(28, "No space left on device")

    with pytest.raises(AuditError, match="report.html: cannot write: No space left on device"):
        report.write_files({target: (Pieces(failing), "utf-8")})
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize("rows_a_piece", [1, 2, 2000], ids=["one-row-a-piece", "two-rows-a-piece", "default"])
@pytest.mark.parametrize("bom", [False, True], ids=["utf-8", "utf-8-bom"])
def test_csv_in_pieces_is_the_csv_text(seed_audit, tmp_path, monkeypatch, rows_a_piece, bom):
    monkeypatch.setattr(report_files, "_CSV_ROWS", rows_a_piece)
    for frame, columns in ((seed_audit.claims, CLAIM_COLUMNS), (seed_audit.facts, FACT_COLUMNS)):
        data, encoding = report.csv_file(frame, columns, bom)
        assert isinstance(data, Pieces)
        path = tmp_path / "table.csv"
        report.write_files({path: (data, encoding)})
        assert path.read_bytes() == report.csv_text(frame, columns).encode(encoding)


def _python_csv(frame: pl.DataFrame, columns) -> str:
    """The CSV text as Python's csv module writes it, cell by cell (what the tables were before polars)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in frame.select(columns).iter_rows():
        writer.writerow([report_files._cell(v) for v in row])
    return buffer.getvalue()


AWKWARD = {  # a column's values -> its polars type
    "text": (["", None, "plain", "a,b", 'say "x"', "two\nlines", "cr\rhere", " lead", "é – 日本", "\u2028"], pl.Utf8),
    "formulas": (["=1+1", "+3", "-4", "@SUM", "\tx", "\rx", "'quoted", "a=b", "", None], pl.Utf8),
    "floats": ([0.0, -2.5, 5200.0, 1e20, 1.23456789, 2.3e-7, None, -0.0, 1e6 + 0.5, 123456.7], pl.Float64),
    "ints": ([0, -5, 7, None, 10**12, 1, 2, 3, 4, 5], pl.Int64),
}


@pytest.mark.parametrize("column", list(AWKWARD), ids=list(AWKWARD))
@pytest.mark.parametrize("rows_a_piece", [3, 5000], ids=["pieces-of-three-rows", "one-piece"])
def test_polars_csv_is_what_the_csv_module_writes(monkeypatch, column, rows_a_piece):
    monkeypatch.setattr(report_files, "_CSV_ROWS", rows_a_piece)
    values, dtype = AWKWARD[column]
    frame = pl.DataFrame(
        {"id": [f"c{i}" for i in range(len(values))], column: values}, schema={"id": pl.Utf8, column: dtype}
    )
    assert report.csv_text(frame, ["id", column]) == _python_csv(frame, ["id", column])


@pytest.mark.parametrize("case", ["seed-claims", "seed-facts", "no-rows"])
def test_polars_csv_of_the_tables_is_what_the_csv_module_writes(seed_audit, case):
    frame, columns = {
        "seed-claims": (seed_audit.claims, CLAIM_COLUMNS),
        "seed-facts": (seed_audit.facts, FACT_COLUMNS),
        "no-rows": (seed_audit.facts.head(0), FACT_COLUMNS),
    }[case]
    assert report.csv_text(frame, columns) == _python_csv(frame, columns)


@pytest.fixture(scope="module")
def flood_reconciled(rules):
    """The flood corpus's claims reconciled again without the corpus (audit reconcile's HTML path)."""
    audited = audit_folder(FLOOD, rules)
    return reconcile_claims(audited.claims.with_columns(pl.lit("").alias("fact_id")), rules)


@pytest.mark.parametrize("case", ["seeds-with-corpus", "flood-claims-only"])
def test_html_in_pieces_is_the_html_text(seed_audit, flood_reconciled, rules, case):
    if case == "seeds-with-corpus":
        args = (seed_audit.claims, seed_audit.facts, seed_audit.corpus, rules, "", seed_audit.warnings)
    else:
        args = (flood_reconciled.claims, flood_reconciled.facts, None, rules, "claims.csv", ())
    pieces, encoding = html_file(*args)
    assert encoding == "utf-8"
    parts = list(pieces)
    assert len(parts) > 1  # streamed, not one string
    assert "".join(parts) == html_text(*args) == pieces.text()  # and made again the same


@pytest.mark.parametrize("case", ["seeds-with-corpus", "flood-claims-only"])
def test_the_page_builds_the_claims_views_a_story_at_a_time(seed_audit, flood_reconciled, rules, monkeypatch, case):
    audited = seed_audit if case == "seeds-with-corpus" else flood_reconciled
    corpus = seed_audit.corpus if case == "seeds-with-corpus" else None
    built: list[int] = []
    original = page_data.Claims.views

    def views(self, group):
        found = original(self, group)
        built.append(sum(len(claims) for claims in found.values()))
        return found

    monkeypatch.setattr(page_data.Claims, "views", views)
    html_text(audited.claims, audited.facts, corpus, rules)
    with_fact = audited.claims.filter(pl.col("fact_id") != "").height
    assert sum(built) == with_fact  # each claim's view made once a page
    if audited.facts["story"].n_unique() > 1:  # the seeds' 14 stories (the flood page is one)
        assert max(built) < with_fact  # never every claim's at once
    else:
        assert case == "flood-claims-only"


class _WaitingPages(Sequence):
    """Documents as a corpus holds them when its pages wait on disk: outlines without their texts, and each
    whole page read when asked for by number (counted); walking them all is refused."""

    def __init__(self, documents):
        self.whole = documents
        self.outlines = tuple(
            replace(d, text="", articles=tuple(replace(a, sentences=()) for a in d.articles)) for d in documents
        )
        self.read: list[int] = []

    def __len__(self):
        return len(self.whole)

    def __getitem__(self, number):
        self.read.append(number)
        return self.whole[number]

    def __iter__(self):
        raise AssertionError("the report walked every page")


def test_the_page_reads_each_page_it_shows_once_and_no_other(seed_audit, rules):
    corpus = seed_audit.corpus
    waiting = _WaitingPages(corpus.documents)
    page = html_text(seed_audit.claims, seed_audit.facts, replace(corpus, documents=waiting), rules)
    assert page == html_text(seed_audit.claims, seed_audit.facts, corpus, rules)
    shown = seed_audit.claims.filter(pl.col("fact_id") != "")["file"].unique().to_list()
    files = [corpus.documents[number].source.file for number in waiting.read]
    assert sorted(set(files)) == sorted(shown)
    stories = seed_audit.claims.filter(pl.col("fact_id") != "").group_by("file").agg(pl.col("story").n_unique())
    assert len(files) <= stories["story"].sum() * 2  # read again only for another story's group of facts


def test_the_singles_json_of_the_page_is_one_json_array(seed_audit, rules):
    page = html_text(seed_audit.claims, seed_audit.facts, seed_audit.corpus, rules)
    block = page.split('<script type="application/json" id="singles-data">', 1)[1].split("</script>", 1)[0]
    data = json.loads(block)
    singles = seed_audit.facts.filter(pl.col("verdict") == "single")
    assert sorted(fact["id"] for fact in data) == sorted(singles["fact_id"].to_list())
    assert not any(char in block for char in "<>&")


# --- one page's share of the claims ------------------------------------------------------------------------


def _tolls(n: int) -> str:
    """A page of n sentences, each a distinct toll."""
    return "Clashes\n\n" + " ".join(f"{1000 + 7 * k} troops were killed." for k in range(n)) + "\n"


@pytest.fixture(scope="module")
def capped_rules(tmp_path_factory):
    """The bundled rules with page_claims = 5."""
    folder = tmp_path_factory.mktemp("rules")
    for file in Path(DEFAULT_RULES_DIR).glob("*.toml"):
        shutil.copy(file, folder / file.name)
    facts = folder / "facts.toml"
    text = facts.read_text(encoding="utf-8")
    assert "\npage_claims = 50000\n" in text
    facts.write_text(text.replace("\npage_claims = 50000\n", "\npage_claims = 5\n"), encoding="utf-8")
    return load_rules(folder)


CAPS = {  # sentences of the big page -> claims kept from it, whether it is named in a warning
    "under-the-cap": (3, 3, False),
    "at-the-cap": (5, 5, False),
    "over-the-cap": (12, 5, True),
}


@pytest.mark.parametrize(("sentences", "kept", "warned"), list(CAPS.values()), ids=list(CAPS))
def test_a_page_keeps_at_most_page_claims_claims(tmp_path, capped_rules, sentences, kept, warned):
    (tmp_path / "big.txt").write_text(_tolls(sentences), encoding="utf-8")
    (tmp_path / "small.txt").write_text(_tolls(2), encoding="utf-8")
    result = audit_folder(tmp_path, capped_rules, jobs=1)
    big = result.claims.filter(pl.col("file") == "big.txt")
    assert big.height == kept
    # the first claims of the page, in page order: the figures the page states first
    assert big["value"].to_list() == [1000 + 7 * k for k in range(kept)]
    assert result.claims.filter(pl.col("file") == "small.txt").height == 2  # other pages untouched
    capped = [w for w in result.warnings if "page_claims" in w]
    if warned:
        assert capped == [
            "big.txt: more than 5 claims, more than one page may give (rules/facts.toml page_claims = 5); "
            "its first 5 audited, the rest left out"
        ]
    else:
        assert capped == []
    assert set(big["fact_id"]) != {""}  # the claims kept are audited: reconciled into facts


def _seed_documents():
    """The seed pages as read (several hold more than one article, and headlines with figures)."""
    from audit.ingest import read_corpus

    return read_corpus(Path(__file__).parent.parent / "seeds", load_rules()).documents


@pytest.mark.parametrize("share", [0.0, 0.3, 0.5, 0.9], ids=["first-claim", "a-third", "half", "nearly-all"])
def test_a_limited_reading_gives_the_first_claims_of_a_whole_one(rules, share):
    from audit.extract.claims import extract_document

    stopped = 0
    for document in _seed_documents():
        whole = extract_document(document, rules, "s")
        limit = max(1, int(len(whole) * share))
        if len(whole) <= limit:
            continue
        limited = extract_document(document, rules, "s", limit=limit)
        assert limited[:limit] == whole[:limit], document.source.file
        assert limit < len(limited) <= len(whole)  # read past the limit: the page is known to be over it
        stopped += len(limited) < len(whole)
    assert stopped  # and the reading stopped early on some page: the rest was never read


def test_the_bundled_rules_cap_a_page_at_tens_of_thousands_of_claims(rules):
    assert 10_000 <= rules.part(ReconcileSettings).page_claims <= 100_000


def test_a_seed_page_is_far_below_the_cap(seed_audit, rules):
    most = seed_audit.claims.group_by("file").len()["len"].max()
    assert most * 20 < rules.part(ReconcileSettings).page_claims
    assert not any("page_claims" in w for w in seed_audit.warnings)


# --- reconcile: linear in the claims ----------------------------------------------------------------------


def _distinct_claims(n: int) -> pl.DataFrame:
    """n claims of one page, each a distinct figure: tolls of one measure, figures no measure names (linked by
    value), dates of distinct days; sentences with scope and part-of words near every figure."""
    rows = []
    for k in range(n):
        value = float(100_000 + 7 * k)
        kind, measure = [("count", "killed"), ("count", ""), ("date", "")][k % 3]
        sentence = f"At least {int(value)} of the {int(value) + 3} people were killed in the district, another said."
        day = f"20{10 + k % 15}-{1 + k % 12:02d}-{1 + k % 28:02d}" if kind == "date" else ""
        rows.append(
            {
                **dict.fromkeys(CLAIM_COLUMNS, ""),
                "claim_id": f"000:{k}",
                "file": "page.txt",
                "source": "page",
                "article": 1,
                "story": "S1",
                "kind": kind,
                "measure": measure,
                "value": None if kind == "date" else value,
                "low": None if kind == "date" else value,
                "hedge": "at_least",
                "date": day,
                "date_end": day,
                "as_of": "2020-01-10",
                "polarity": "asserted",
                "text": f"At least {int(value)}",
                "sentence": sentence,
                "char_start": 120 * k,
                "char_end": 120 * k + 15,
                "high": None,
            }
        )
    return pl.DataFrame(rows, schema=claim_schema())


def _cpu_of(work) -> float:
    """The least processor time of three runs of work()."""
    times = []
    for _ in range(3):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def test_reconcile_takes_linear_time_in_distinct_figures(rules):
    small, large = _distinct_claims(3_000), _distinct_claims(12_000)
    claims, facts = reconcile(large, rules, {})
    assert claims.height == 12_000 and facts.height > 1_000  # thousands of facts: all pairs would show
    ratio = _cpu_of(lambda: reconcile(large, rules, {})) / _cpu_of(lambda: reconcile(small, rules, {}))
    assert ratio < 7, f"4x the claims took {ratio:.1f}x the time"


# --- the page's marked sentences ---------------------------------------------------------------------------

SPACES = {
    "plain": "At least 12 troops were killed",
    "empty": "",
    "two-spaces": "At  least",
    "tab": "At\tleast",
    "newline": "killed\n\nofficials said",
    "no-break-space": "5\u00a0200 troops",
    "narrow-no-break-space": "5\u202f200",
    "line-separator": "a\u2028b",
    "file-separator": "a\x1cb",
    "edges": " a ",
}


@pytest.mark.parametrize("text", list(SPACES.values()), ids=list(SPACES))
def test_white_space_is_collapsed_as_the_regex_collapses_it(text):
    assert page_data._collapsed(text) == re.sub(r"\s+", " ", text)
