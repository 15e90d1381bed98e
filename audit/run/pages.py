"""The pages of a run kept in a temporary file from the moment each is read: the main process holds a stub.

Held from reading to the report, every page (its text, its articles with their spans) sat under every peak
of the run, the grouping's beside extraction included. Each page is written to the file (pickled on its own)
as it arrives, from a reader worker or read in this process, and what copies and stories read of it is
kept instead: its stub (the page without its text, sentences and warnings, its story features only what
blocking reads: audit.link.stories.features.Stored) and its shingles for copies, worked out before its text
is let go. The shingles wait in a file of their own until copies are looked for, the story features' bags in
another until grouping reads them (each article's record, its terms as words: no run-wide table of terms). A
page is read back when its claims are extracted (a chunk of pages at a time) and when the report shows a
claim of it (LinkedPages), given then the copies and stories found on the stubs.
"""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from audit.link.stories import article_features
from audit.link.stories.features import Stored
from audit.model import Document, Source
from audit.run.spill import Spilled


class SpilledPages(Sequence):
    """Pages read: `keep` each as it arrives (its stub given back), `arrange` the stubs in corpus order, then
    index (a page read back, as read), `shingles` (taken once), and `documents` (every page with its links)."""

    def __init__(self, layout: Any, stories: Any) -> None:
        self.layout, self.stories = layout, stories
        # The pages; their shingles (until `shingles`); every article's story features' bags (features.Stored:
        # until grouping has read them).
        self._file, self._shingles, self.features = Spilled(), Spilled(), Spilled()
        self._keys: dict[str, str] = {}  # one copy of each key text the stubs hold (while reading)
        self._read: dict[str, tuple[int, int, int]] = {}  # file name -> (page slot, shingles slot, characters)
        self._slots = array("q")  # each page's slot in the file, in corpus order (`arrange`)
        self.sources: list[Source] = []  # each page's source, in corpus order
        self.sizes: list[int] = []  # each page's characters of text, in corpus order

    def keep(self, outcome: Any) -> Any:
        """A page as it arrives, written to the file, its stub given back; a warning (or Stopped) as it is."""
        if not isinstance(outcome, Document):
            return outcome
        from audit.link.copies import page_shingles  # numpy: not for `audit reconcile`, which imports the pipeline

        file = outcome.source.file  # a folder's file names are its own: a page's key until `arrange`
        page = self._file.append(pickle.dumps(replace(outcome, features=()), protocol=5))
        self._read[file] = page, self._shingles.append(page_shingles(outcome, self.layout)), len(outcome.text)
        return replace(
            outcome,
            text="",
            articles=tuple(replace(article, sentences=()) for article in outcome.articles),
            features=self._stored(outcome),
        )

    def _stored(self, document: Document) -> tuple[Stored, ...]:
        """A page's story features, their bags written to their file (worked out here when its reader could
        not: unguarded, as grouping would have, where a bug shows)."""
        features = document.features
        if len(features) != len(document.articles):
            features = article_features(document, self.stories)
        return tuple(Stored.of(f, self.features, self._keys) for f in features)

    def arrange(self, stubs: Sequence[Document]) -> None:
        """The pages in the stubs' order (the corpus order), each read back with its stub's source (its
        source id may have changed since it was read: ingest.corpus._unique_source_ids)."""
        read = [self._read[stub.source.file] for stub in stubs]
        self._slots = array("q", (page for page, _, _ in read))
        self._shingles.arrange([shingles for _, shingles, _ in read])
        self.sizes = [size for _, _, size in read]
        self.sources = [stub.source for stub in stubs]
        self._read, self._keys = {}, {}

    def shingles(self) -> Spilled:
        """Every page's shingles for copies, in corpus order, as a store copies reads (twice) and then clears:
        they wait on disk, not here, from reading until copies are looked for."""
        return self._shingles

    def __len__(self) -> int:
        return len(self._slots)

    def __getitem__(self, number: int) -> Document:
        """A page as read (no links, no features), from the file."""
        page = pickle.loads(self._file.read(self._slots[number]))
        return replace(page, source=self.sources[number])

    def linked(self, stubs: Sequence[Document]) -> LinkedPages:
        """The pages as the report reads them: each read back when asked for, with its stub's copies and
        stories (`stubs` are the linked ones: arranged alike); the file kept as long as they are."""
        return LinkedPages(self, tuple(stubs))


class LinkedPages(Sequence):
    """A run's pages, read back from their file one at a time when asked for (the report shows the pages of
    the claims it shows), each with its copies and stories; `outlines`, the linked stubs (no text), for what
    lists and counts read (model.Corpus.outlines). Equal to a sequence of the same pages."""

    def __init__(self, pages: SpilledPages, stubs: tuple[Document, ...]) -> None:
        self._pages, self.outlines = pages, stubs

    def __len__(self) -> int:
        return len(self.outlines)

    def __getitem__(self, number):
        """A page as read, with its stub's copies and stories (a slice: a tuple of them)."""
        if isinstance(number, slice):
            return tuple(self[n] for n in range(len(self))[number])
        page, stub = self._pages[number], self.outlines[number]
        articles = zip(page.articles, stub.articles, strict=True)
        return replace(page, articles=tuple(replace(a, story=s.story, copy_of=s.copy_of) for a, s in articles))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # as a list's: its pages may not all be read
