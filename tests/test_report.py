"""Reports: atomic files, spreadsheet-safe cells, news text never read as rich markup."""

from __future__ import annotations

import pytest
from rich.console import Console

from audit import report


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+91-130", "'+91-130"),
        ("-5", "'-5"),
        ("@user", "'@user"),
        ("plain", "plain"),
        (50.0, "50"),
        (2.5, "2.5"),
        (None, ""),
        (4680.0, "4680"),
    ],
    ids=["equals", "plus", "minus", "at", "plain", "integer-float", "float", "none", "large"],
)
def test_cells_are_spreadsheet_safe(value, cell):
    assert report.files._cell(value) == cell


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "claims.csv"
    target.write_text("old", encoding="utf-8")

    def boom(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report.files.os, "replace", boom)
    with pytest.raises(OSError):
        report.write_atomic(target, "new and complete")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]


def test_news_text_is_not_read_as_markup():
    from audit.model import Corpus, Document, Source

    doc = Document(Source("a.txt", "a", outlet="[bold]Not markup[/bold]"), "text", ())
    console = Console(width=120, record=True, color_system=None)
    console.print(report.sources_table(Corpus("x", (doc,))))
    assert "[bold]Not markup[/bold]" in console.export_text()


def test_csv_round_trip(tmp_path, seed_audit):
    from audit.model import CLAIM_COLUMNS

    path = tmp_path / "claims.csv"
    report.write_csv(seed_audit.claims, CLAIM_COLUMNS, path)
    back = report.read_claims_csv(path)
    assert back.height == seed_audit.claims.height
    assert back["text"].to_list() == seed_audit.claims["text"].to_list()
    assert back["char_start"].to_list() == seed_audit.claims["char_start"].to_list()
