"""Batches: the claims reconciled whole stories at a time, so that the working frames grow with a batch of
stories, not with the corpus.

A fact is one measure of one subject for one event in one story, and every step but one reads the claims of
one story (or one article, or one fact) alone: a batch of whole stories gives the same facts as the whole
corpus. The one exception is the sources' weights, learnt from the facts of every story (see audit.reconcile).
While they are learnt the judged batches wait (`Waiting`).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import Any

import polars as pl

#: The claims of one batch: a corpus with more is reconciled whole stories at a time, about this many claims a
#: batch (a story with more is a batch of its own). Small folders are one batch. The working frames grow with a
#: batch: reconciling the claims.csv of benchmarks/scale.py's 10k corpus (42,518 claims) peaked 53 MB above its
#: claims frame at 10,000 claims a batch, 79 MB at 50,000 (one batch), in the same processor time.
BATCH_CLAIMS = 10_000


def story_batches(claims: pl.DataFrame, bound: int | None = None) -> list[pl.Series | None]:
    """The row numbers of the claims (ascending), a batch of whole stories at a time, each batch at most
    `bound` claims (BATCH_CLAIMS by default) unless one story alone has more; None: every row, in one batch.

    A story is its claims' `story`, a missing one the empty story (as grouping reads it). A table whose
    articles' claims name different stories (edited by hand) is one batch: the steps that read an article's
    sentences would otherwise see part of it.
    """
    bound = BATCH_CLAIMS if bound is None else bound
    if claims.height <= bound:
        return [None]
    story = pl.col("story").cast(pl.Utf8).fill_null("")
    if claims.select("source", "article", story).unique().select("source", "article").is_duplicated().any():
        return [None]
    sizes = claims.group_by(story).len().sort("story")
    batch_of, number, filled = {}, 0, 0
    for name, size in sizes.iter_rows():
        if filled and filled + size > bound:
            number, filled = number + 1, 0
        batch_of[name] = number
        filled += size
    if number == 0:
        return [None]
    batch = claims.select(story.replace_strict(batch_of, return_dtype=pl.UInt32)).to_series()
    return [(batch == n).arg_true() for n in range(number + 1)]


class Waiting:
    """Judged batches kept until the source weights are learnt, given back once each in the order kept: in
    memory when there is one batch, else pickled one after another into a temporary file (no name on disk)."""

    def __init__(self, batches: int) -> None:
        self._kept: list[Any] = []
        self._file = tempfile.TemporaryFile(prefix="audit-batches-") if batches > 1 else None  # noqa: SIM115
        self._count = 0

    def append(self, batch: Any) -> None:
        """Keep one batch (written out at once when they wait on disk: its frames are let go)."""
        if self._file is None:
            self._kept.append(batch)
        else:
            pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __iter__(self) -> Iterator[Any]:
        """Each batch kept, in order, let go as the next is given (the file closed after the last)."""
        if self._file is None:
            while self._kept:
                yield self._kept.pop(0)
            return
        with self._file:
            self._file.seek(0)
            for _ in range(self._count):
                yield pickle.load(self._file)
