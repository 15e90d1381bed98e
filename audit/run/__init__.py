"""Where the page-by-page work runs: in this process, in worker processes, or on a Dask cluster.

    budget.py   the time budget of a page; the in-process engine (a timer keeps the budget)
    pool.py     worker processes on this machine (a worker over budget is killed and replaced)
    cluster.py  a Dask cluster (`--dask ADDRESS`, or `local`)
    tasks.py    the work itself: read one page, extract one document's claims

Every engine maps a task over pages and gives the results in the corpus order, so the tables are
the same whichever runs them (`--jobs 1`, `--jobs 2`, `--dask local`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from audit.errors import AuditError
from audit.link.stories.features import Packed, Terms
from audit.model import Document
from audit.run.budget import Budget, Progress, Receive, Serial, Stopped
from audit.run.pages import SpilledPages
from audit.run.spill import Spilled
from audit.run.tasks import extract_page, read_page, read_page_loose, unpack_rows

__all__ = ["Budget", "Stopped", "default_jobs", "engine", "extract_pages", "page_reader", "unpack_rows", "SpilledPages"]


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def engine(compiled: Any, jobs: int | None = None, dask: str | None = None) -> Any:
    """The engine asked for: a Dask cluster (`dask` an address or "local"), else `jobs` worker processes
    (the cores by default), else, for one job, this process."""
    budget = Budget.of(compiled.layout)
    if dask:
        from audit.run.cluster import Cluster

        return Cluster(compiled, dask, budget=budget)
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise AuditError(f"--jobs {jobs}: needs at least one job")
    if jobs == 1:
        return Serial(compiled, budget)
    from audit.run.pool import Pool

    return Pool(compiled, jobs, budget)


def page_reader(runner: Any, keep: Receive = None) -> PageReader:
    """A reader for `read_corpus` that reads the pages with `runner` (see ingest.corpus.Reader); `keep`, when
    given, takes each page as it arrives (read here or elsewhere) and gives what is kept of it (pages.SpilledPages:
    its stub), else a page read elsewhere has its features packed (`compact`)."""
    return PageReader(runner, keep)


class PageReader:
    """`page_reader`'s reader: called with the files, their manifest entries, the layout and a progress
    callback, it gives each file's outcome in order; `start`, told the files first, starts the runner's
    workers (where it has any) before anything else is read."""

    def __init__(self, runner: Any, keep: Receive = None) -> None:
        self.runner, self.keep = runner, keep

    def start(self, files: Sequence[Path]) -> None:
        """Start the workers that will read these files now (Pool.start_readers), if the runner has them."""
        if hasattr(self.runner, "start_readers") and not getattr(self.runner, "reads_bytes", False):
            self.runner.start_readers([_size(file) for file in files])

    def __call__(self, files: Sequence[Path], manifest: dict[str, dict[str, str]], _layout, progress: Progress | None):
        runner = self.runner
        outcomes: list[Any] = [None] * len(files)
        wanted, items, sizes = [], [], []
        for number, file in enumerate(files):
            data = None
            if getattr(runner, "reads_bytes", False):
                from audit.ingest.read import read_bytes

                try:
                    data = read_bytes(file)
                except AuditError as exc:
                    outcomes[number] = str(exc)
                    continue
            wanted.append(number)
            items.append((str(file), manifest.get(file.name, {}), data))
            sizes.append(len(data) if data is not None else _size(file))
        # Pages read elsewhere come back with their features loosely packed (the packing done there).
        elsewhere = runner.elsewhere(sizes)
        task = read_page_loose if elsewhere else read_page
        receive = self.keep or (partial(compact, terms=Terms()) if elsewhere else None)
        for number, result in zip(wanted, runner.map(task, items, sizes, progress, receive), strict=True):
            stopped = isinstance(result, Stopped)
            outcomes[number] = f"{files[number].name}: {result.why} while reading it; not read" if stopped else result
        return outcomes


def compact(outcome: Any, terms: Terms) -> Any:
    """A document read in another process, its story features (Signals, or loosely packed there) packed
    (audit.link.stories.features.Packed: the main process holds every article's until grouping ends; packed,
    a quarter of the memory), their terms numbered by the run's `terms` (each term's text held once)."""
    if not isinstance(outcome, Document) or not outcome.features:
        return outcome
    return replace(outcome, features=tuple(Packed.of(signals, terms) for signals in outcome.features))


def extract_pages(runner: Any, documents: Sequence[Any], ids: dict[str, str], progress: Progress | None, cap: int = 0):
    """Every document's claims as packed claims.csv rows (one `tasks.pack_rows` a document, in corpus order;
    `unpack_rows` reads them), written to a temporary file as they arrive (spill.Spilled), and a warning for
    each document whose extraction failed or that gave more than `cap` claims (0: no cap; its first `cap`
    kept)."""
    sizes, files = _outline(documents)
    packed = Spilled()
    results = runner.map(extract_page, _Items(documents, ids, cap), sizes, progress, partial(_spill, packed))
    slots, warnings = [], []
    for number, (file, result) in enumerate(zip(files, results, strict=True)):
        results[number] = None  # each page's records let go as they are taken
        if isinstance(result, Stopped):
            warnings.append(f"{file}: {result.why} while extracting its claims; its claims left out")
            continue
        found, warning = _spill(packed, result)  # what this process extracted itself is spilled now
        slots.append(found)
        if warning:
            warnings.append(warning)
    packed.arrange(slots)
    return packed, tuple(warnings)


def _outline(documents: Sequence[Document] | SpilledPages) -> tuple[list[int], list[str]]:
    """Each document's characters of text and file name (of spilled pages, without reading them back)."""
    if isinstance(documents, SpilledPages):
        return documents.sizes, [source.file for source in documents.sources]
    return [len(document.text) for document in documents], [document.source.file for document in documents]


class _Items(Sequence):
    """Extraction's item of each document, (document, short id, cap), made when a worker's chunk is sent:
    a spilled page is read back then, never all of them at once."""

    def __init__(self, documents: Sequence[Document], ids: dict[str, str], cap: int) -> None:
        self.documents, self.ids, self.cap = documents, ids, cap

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, number: int) -> tuple[Document, str, int]:
        document = self.documents[number]
        return document, self.ids[document.source.source_id], self.cap


def _spill(packed: Spilled, result: Any) -> Any:
    """A page's result with its packed rows written to `packed` (their slot number in their place)."""
    if isinstance(result, Stopped) or isinstance(result[0], int):
        return result
    found, warning = result
    return packed.append(found), warning


def _size(file: Path) -> int:
    """A file's size in bytes (0 when it cannot be told: reading it will say why)."""
    try:
        return file.stat().st_size
    except OSError:
        return 0
