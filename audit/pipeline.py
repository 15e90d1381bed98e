"""The whole audit in one call: ingest -> dates/extract -> reconcile. No printing, no writing.

Where one bad file is contained. A page is processed on its own twice: when it is read and when its
claims are extracted, each time by the engine chosen (audit.run: this process, worker processes or a
Dask cluster; the same tables whichever). Bad input there is an AuditError and becomes a warning naming
the file; an *unexpected* exception (a bug, or a library crashing on a strange page) also becomes a
warning naming the file, the stage, the exception and the line of code that raised it, and that file's
claims are left out; so does a page over its time budget. One strange page costs one page, never the
run. The stages that work on the whole corpus (copies, stories, reconciliation) are not guarded.
Extraction does not need the stories (only the claims' story column, filled in after), so when the
pages are extracted in other processes, copies and stories are found in a thread beside it.

A bug must not hide behind a warning: set AUDIT_DEBUG=1 to have it raised with its traceback, and
the tests call the stages directly (unguarded) and check that the good files' claims all come through.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

from audit.dates import check_rules
from audit.extract import check_examples, short_ids
from audit.ingest import link_pages, read_pages
from audit.model import CLAIM_COLUMNS, Corpus
from audit.reconcile import detect_copies, reconcile
from audit.reconcile.frame import claim_schema
from audit.reconcile.settings import ReconcileSettings
from audit.report.files import read_claims_csv
from audit.rules import RuleSet, load_rules
from audit.rules.compiled import compile_rules
from audit.run import engine, extract_pages, page_reader, unpack_rows
from audit.run.memory import release_memory
from audit.run.pages import SpilledPages
from audit.run.spill import Spilled


@dataclass(frozen=True)
class AuditResult:
    """What an audit found: the corpus as read, the claims and facts tables, and warnings."""

    corpus: Corpus
    claims: pl.DataFrame
    facts: pl.DataFrame
    warnings: tuple[str, ...]


#: A progress callback: (stage, steps done, steps in all; 0 when the stage cannot count its steps).
Progress = Callable[[str, int, int], None]


def audit_folder(
    folder: str | Path,
    rules: RuleSet | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    dask: str | None = None,
) -> AuditResult:
    """Audit a corpus folder with the given rules (the bundled ones by default), telling `progress`
    (when given) each stage as it starts and each page as it is read.

    Pages are read and extracted by `jobs` worker processes (the machine's cores by default; 1: in this
    process), or on a Dask cluster when `dask` is its scheduler's address ("local": a LocalCluster on
    this machine); the tables are the same whichever. Each page has a time budget (rules/boilerplate.toml):
    a page over it is named in a warning and left out."""
    report = progress or (lambda _stage, _done, _total: None)
    report("checking the rules", 0, 0)
    compiled = compile_rules(rules)  # every stage's part, built once; stages ask for the same objects
    rules = compiled.rules
    check_rules(rules)  # a broken dates.toml or a rule example the extractor does not reproduce
    check_examples(rules, compiled.matchers)  # stops the run once, before any page is read
    # Each page waits in a temporary file from the moment it is read; this process keeps its stub (what
    # copies and stories read) and takes the page back to extract it, and for the report.
    pages = SpilledPages(compiled.layout, compiled.stories)
    with engine(compiled, jobs, dask) as runner:
        stubs, read_warnings = read_pages(
            folder,
            compiled.layout,
            lambda done, total: report("reading pages", done, total),
            page_reader(runner, pages.keep),
        )
        pages.arrange(stubs)
        ids = short_ids(Corpus(str(folder), tuple(stubs)))
        # The grouping takes the stubs with their story features from here: let go as soon as it is done.
        read = [stubs]
        del stubs
        link = partial(_link, folder, read, read_warnings, compiled.layout, compiled.stories, pages.shingles())
        runner.renew()  # the workers that read: extraction needs none of their tables of words
        stage = f"extracting claims from {len(pages)} pages"
        with _beside(link, runner.elsewhere(pages.sizes)) as linked:
            packed, failed = extract_pages(
                runner,
                pages,  # each page read back as its chunk is sent (its story column is filled in afterwards)
                ids,
                lambda d, t: report(stage, d, t),
                rules.part(ReconcileSettings).page_claims,  # one page's share of the claims (rules/facts.toml)
            )
        corpus = linked.result()
    del linked  # the future would keep every stub of the corpus alive through reconciling
    release_memory()  # what copies, stories and the workers' results freed: the reconciler's frames reuse none
    report("reconciling", 0, 0)
    stories = {(d.source.source_id, a.index): a.story for d in corpus.documents for a in d.articles}
    copies = corpus.article_copies()
    frame = claims_frame(packed, stories)  # the packed rows let go as they are read
    del packed, stories
    release_memory()
    claims, facts = reconcile(frame, rules, copies)
    del frame
    release_memory()
    # The pages wait in their file: the report reads back those it shows, linked, one at a time.
    corpus = replace(corpus, documents=pages.linked(corpus.documents))
    warnings = rules.warnings + corpus.warnings + tuple(w for d in corpus.outlines() for w in d.warnings) + failed
    return AuditResult(corpus, claims, facts, warnings)


def _link(
    folder: str | Path, read: list, warnings: list[str], layout: Any, stories: Any, shingles: Iterable[bytes]
) -> Corpus:
    """`link_pages` of the stubs `read` holds, taken from it (nothing else keeps them, nor their features),
    and of the pages' `shingles`; what the grouping freed given back at once (extraction goes on after it)."""
    corpus = link_pages(folder, read.pop(), warnings, layout, stories, shingles)
    release_memory()
    return corpus


_SOURCE, _ARTICLE, _STORY = (CLAIM_COLUMNS.index(c) for c in ("source", "article", "story"))
#: Claims rows made a frame at a time: the rows of all pages are never held at once as Python objects.
FRAME_ROWS = 10_000


def claims_frame(packed: list[bytes] | Spilled, stories: dict[tuple[str, int], str] | None = None) -> pl.DataFrame:
    """The packed claims.csv rows of every page (audit.run.extract_pages: read back from their file, then
    let go; a list is emptied as it is read) as one polars frame of the claims table's schema, built
    FRAME_ROWS rows at a time; `stories` (source id, article) -> story, when given, fills the story column."""
    schema = claim_schema()
    frames, rows = [pl.DataFrame(schema=schema)], []
    for number, page in enumerate(packed):
        if isinstance(packed, list):
            packed[number] = b""
        found = unpack_rows(page)
        if stories is not None:
            found = [(*row[:_STORY], stories[row[_SOURCE], row[_ARTICLE]], *row[_STORY + 1 :]) for row in found]
        rows.extend(found)
        if len(rows) >= FRAME_ROWS:
            frames.append(pl.DataFrame(rows, schema=schema, orient="row"))
            rows = []
    if rows:
        frames.append(pl.DataFrame(rows, schema=schema, orient="row"))
    if isinstance(packed, Spilled):
        packed.clear()
    return _joined(frames) if len(frames) > 1 else frames[0]


def _joined(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The frames one below the other, a column at a time, each column's pieces let go once it is joined:
    the rows are held twice over one column at most (a concat and rechunk holds them twice whole). Empties
    `frames`."""
    columns = []
    for name in frames[0].columns:
        columns.append(pl.concat([frame.get_column(name) for frame in frames], rechunk=True))
        frames[:] = [frame.drop(name) for frame in frames]
    frames.clear()
    return pl.DataFrame(columns)


@contextmanager
def _beside(work: Callable[[], Any], elsewhere: bool):
    """`work` run beside the block (in a thread) when the block's own work runs in other processes, else
    first, here: a page's time budget is this process's processor time, which the thread would spend.
    Gives the future of its result."""
    done: Future = Future()
    if not elsewhere:
        done.set_result(work())
        yield done
        return

    def run() -> None:
        try:
            done.set_result(work())
        except BaseException as exc:  # noqa: BLE001  raised where the result is asked for
            done.set_exception(exc)

    # A daemon thread: Ctrl-C during extraction does not wait for the grouping to end.
    threading.Thread(target=run, name="audit-link", daemon=True).start()
    yield done


@dataclass(frozen=True)
class ReconcileResult:
    """A claims table reconciled again: the claims (fact ids filled), the facts, and the copies found."""

    claims: pl.DataFrame
    facts: pl.DataFrame
    copies: dict[str, str]


def reconcile_claims(claims: str | Path | pl.DataFrame, rules: RuleSet | None = None) -> ReconcileResult:
    """Reconcile a claims table (a claims.csv path, or its frame) edited by hand: facts and verdicts again.

    Without the corpus, copies are found in the claims themselves (word-for-word identical sentences)."""
    rules = rules or load_rules()
    frame = claims if isinstance(claims, pl.DataFrame) else read_claims_csv(Path(claims))
    copies = detect_copies(frame)
    claims_out, facts = reconcile(frame, rules, copies)
    return ReconcileResult(claims_out, facts, copies)
