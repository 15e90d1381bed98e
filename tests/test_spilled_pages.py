"""The pages of a run wait in a temporary file from the moment each is read (audit.run.pages): the main
process holds no page's text while copies and stories are found, at most one page while its claims are
extracted in this process, and the corpus the audit gives is the one `read_corpus` reads, copies, stories
and source ids alike, whichever engine read it."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

import audit.link
import audit.run
from audit.ingest import read_corpus
from audit.model import Document
from audit.pipeline import audit_folder
from tests.conftest import SEEDS

MARKET = Path(__file__).parent / "data" / "market"  # a repost (a copy) and an HTML page among its pages
#: Pages of a folder of their own, named so that no other test's pages are counted as alive.
PREFIX = "spilled-"


@pytest.fixture(autouse=True)
def workers_for_small_folders(monkeypatch):
    """`--jobs 2` reads and extracts these small folders in its workers (else in this process)."""
    import audit.run.pool

    monkeypatch.setattr(audit.run.pool, "SMALL_BYTES", 0)


@pytest.fixture
def folder(tmp_path) -> Path:
    """The market pages and the seeds, renamed with PREFIX, and a page named like another's (a.txt, a.html):
    the .html one's source id is changed after it is read."""
    for page in [*MARKET.glob("*.txt"), *MARKET.glob("*.html"), *SEEDS.glob("*.txt")]:
        if page.stat().st_size:
            shutil.copy(page, tmp_path / f"{PREFIX}{page.name}")
    shutil.copy(SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0], tmp_path / f"{PREFIX}a.txt")
    (tmp_path / f"{PREFIX}a.html").write_text(
        "<html><body><h1>Harbour strike ends</h1><p>The strike at the port ended on Monday after 12 days, "
        "the union said. About 300 workers went back.</p></body></html>",
        encoding="utf-8",
    )
    return tmp_path


def _alive() -> int:
    """Pages of the folder alive in this process with their text (garbage of reference cycles collected first)."""
    gc.collect()
    return sum(
        1
        for thing in gc.get_objects()
        if isinstance(thing, Document) and thing.text and thing.source.file.startswith(PREFIX)
    )


@pytest.mark.parametrize("jobs", [1, 2], ids=["this-process", "two-workers"])
def test_the_audit_gives_the_corpus_read_corpus_reads(rules, folder, jobs):
    audited = audit_folder(folder, rules, jobs=jobs).corpus
    read = read_corpus(folder, rules)
    assert audited == read  # documents (text, articles, copies, stories), copies, warnings
    assert [d.source for d in audited.documents] == [d.source for d in read.documents]
    assert any(a.copy_of for d in audited.documents for a in d.articles)  # there is a copy to carry back
    assert len({a.story for d in audited.documents for a in d.articles}) > 1
    assert f"{PREFIX}a.html" in {d.source.source_id for d in audited.documents}  # its id changed after reading


@pytest.mark.parametrize("jobs", [1, 2], ids=["this-process", "two-workers"])
def test_copies_and_stories_see_no_page_text(rules, folder, monkeypatch, jobs):
    seen = {}

    def spy(name):
        original = getattr(audit.link, name)

        def spied(documents, *args, **kwargs):
            seen[name] = (
                len(documents),
                {d.text for d in documents},
                {a.sentences for d in documents for a in d.articles},
            )
            if jobs == 1:  # the grouping runs before extraction here: no page is being extracted
                seen[name + " alive"] = _alive()
            return original(documents, *args, **kwargs)

        monkeypatch.setattr(audit.link, name, spied)

    spy("find_copies")
    spy("assign_stories")
    result = audit_folder(folder, rules, jobs=jobs)
    pages = len(result.corpus.documents)
    assert seen["find_copies"] == seen["assign_stories"] == (pages, {""}, {()})
    if jobs == 1:
        assert seen["find_copies alive"] == seen["assign_stories alive"] == 0


def test_extraction_in_this_process_holds_one_page_at_a_time(rules, folder, monkeypatch):
    alive = []
    original = audit.run.extract_page

    def spied(compiled, item):
        alive.append(_alive())
        return original(compiled, item)

    monkeypatch.setattr(audit.run, "extract_page", spied)
    result = audit_folder(folder, rules, jobs=1)
    assert len(alive) == len(result.corpus.documents) > 5
    assert set(alive) == {1}  # the page being extracted, read back from its file
    assert not result.claims.is_empty()


def test_the_tables_do_not_depend_on_where_the_pages_were_read(rules, folder):
    one, two = audit_folder(folder, rules, jobs=1), audit_folder(folder, rules, jobs=2)
    assert one.claims.equals(two.claims) and one.facts.equals(two.facts)
    assert one.warnings == two.warnings and one.corpus == two.corpus


@pytest.mark.parametrize("jobs", [1, 2], ids=["this-process", "two-workers"])
def test_the_audit_holds_no_page_text_once_done(rules, folder, jobs):
    """The corpus the audit gives reads each page back when asked for: none is held with its text, its
    outlines carry the pages' warnings, and a page read back is the page `read_corpus` reads."""
    result = audit_folder(folder, rules, jobs=jobs)
    assert _alive() == 0
    read = read_corpus(folder, rules)
    outlines = result.corpus.outlines()
    assert [d.warnings for d in outlines] == [d.warnings for d in read.documents]
    assert not any(d.text for d in outlines)
    assert result.corpus.documents[3] == read.documents[3]
    assert list(result.corpus.documents[1:3]) == list(read.documents[1:3])
