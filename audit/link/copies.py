"""Copies across sources: articles that share word shingles, which is the original, which sources copy.

An article is named across the corpus by `article_key`: an `ArticleRef` ("<source id>#<index>") written out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from audit.ingest.page import Layout
from audit.model import Article, ArticleRef, Document

_WORD = re.compile(r"\w+")


def article_key(document: Document, article: Article) -> str:
    """How an article is named across the corpus: "<source id>#<index>"."""
    return ArticleRef(document.source.source_id, article.index).key


def _body_text(document: Document, article: Article) -> str:
    """An article's clean body as one string."""
    return " ".join(document.text[s:e] for s, e in article.body)


def _shingles(words: Sequence[str], size: int) -> np.ndarray:
    """The hashed runs of `size` words of a text, in text order (one shingle for a shorter text), as an
    int64 array: a corpus's shingles held as Python ints and sets took gigabytes at 100,000 articles."""
    if len(words) < size:
        return np.array([hash(tuple(words))] if words else [], dtype=np.int64)
    runs = zip(*(words[i:] for i in range(size)), strict=False)  # the tuples words[i : i + size]
    return np.fromiter(map(hash, runs), dtype=np.int64, count=len(words) - size + 1)


def _sample(shingles: np.ndarray, count: int = 16) -> np.ndarray:
    """Shingles at evenly spaced places of a text: enough to find any text that shares half of it."""
    step = max(1, len(shingles) // count)
    return shingles[::step]


def find_copies(documents: Sequence[Document], layout: Layout) -> tuple[list[Document], dict[str, str]]:
    """Mark articles that copy another source's article (shared word shingles), and sources that are copies.

    Two articles are copies when at least `copy_threshold` of the shorter one's shingles appear in the
    other (exact count), and one of them holds one of sixteen evenly spaced shingles of the other: a
    shared run of text longer than a sixteenth of the shorter article always holds a sampled shingle.
    Of two copies the earlier-published is the original; on a tie, the source that sorts first.
    A source is a copy of another when most of its body text is copied from that source.
    Near-linear: pairs are found by prefix filtering (see `_sharing_pairs`), never by comparing all.
    """
    size = layout.page.copy_shingle_words
    minimum = layout.page.copy_min_shingles
    threshold = layout.page.copy_threshold
    items = [(d, a) for d in documents for a in d.articles]
    lists = [_shingles(_WORD.findall(_body_text(d, a).lower()), size) for d, a in items]
    sets = [np.unique(shingles) for shingles in lists]  # each article's distinct shingles, sorted
    sources = [d.source.source_id for d, _ in items]
    pairs = []
    for one, two in _sharing_pairs(sets, minimum, threshold):
        if sources[one] == sources[two]:
            continue
        share = int(_found(sets[one], sets[two]).sum()) / min(len(sets[one]), len(sets[two]))
        if share >= threshold and (_holds_sample(lists[two], sets[one]) or _holds_sample(lists[one], sets[two])):
            pairs.append((two, one, share))
    best: dict[int, tuple[float, int]] = {}
    for number, other, share in sorted(pairs):  # the order of first marks decides how chains are followed
        copy, original = _copy_direction(items, number, other)
        # The closest original wins; on a tie, the one that comes first in the corpus.
        if (share, -original) > (best.get(copy, (0.0, 0))[0], -best.get(copy, (0.0, 0))[1]):
            best[copy] = (share, original)
    origin = {copy: original for copy, (_, original) in best.items()}
    for copy in origin:  # follow chains (a copy of a copy) to the first original
        seen = {copy}
        while origin[copy] in origin and origin[origin[copy]] not in seen:
            seen.add(origin[copy])
            origin[copy] = origin[origin[copy]]
    marked = {number: article_key(*items[original]) for number, original in origin.items() if original != number}
    out, position = [], 0
    for document in documents:
        articles = []
        for article in document.articles:
            articles.append(replace(article, copy_of=marked.get(position, "")) if position in marked else article)
            position += 1
        out.append(replace(document, articles=tuple(articles)))
    return out, source_copies(out)


def _sharing_pairs(sets: Sequence[np.ndarray], minimum: int, threshold: float) -> list[tuple[int, int]]:
    """Every pair (earlier, later) of articles of at least `minimum` shingles that could share `threshold`
    of the smaller one's shingles (a superset of those that do; none share nothing).

    Prefix filtering: if A (the smaller) shares `need` of its n shingles with B, any n - need + 1 of A's
    shingles hold one of B's. Each article looks up only its n - need + 1 rarest shingles (held by the
    fewest articles: first those no other article holds, which find nothing) in the posting lists, so a
    shingle many articles share is rarely looked up, and an article with fewer than `need` shingles found
    elsewhere looks up none. Done on arrays: a few sorts of all shingles, then one lookup per found pair.
    """
    sizes = np.array([len(shingles) for shingles in sets], dtype=np.int64)
    eligible = np.flatnonzero(sizes >= max(minimum, 1))
    if len(eligible) < 2:
        return []
    owner = np.repeat(eligible, sizes[eligible])
    hashes = np.concatenate([sets[n] for n in eligible])
    _, shingle, holders = np.unique(hashes, return_inverse=True, return_counts=True)
    del hashes
    held = holders[shingle]
    keep = held > 1  # a shingle no other article holds finds nothing
    owner, shingle, held = owner[keep], shingle[keep], held[keep]
    # Each article's shared shingles, rarest first; the first n - need + 1 of all its shingles are probed.
    order = np.lexsort((shingle, held, owner))
    owner, shingle = owner[order], shingle[order]
    shared = np.bincount(owner, minlength=len(sets))
    needed = np.zeros(len(sets), dtype=np.int64)
    needed[eligible] = [_needed(int(sizes[n]), threshold) for n in eligible]
    starts = np.cumsum(shared) - shared
    rank = np.arange(len(owner)) - starts[owner]
    probe = rank < shared[owner] - needed[owner] + 1
    # Posting lists: the shared entries sorted by shingle; a probe meets every holder of its shingle.
    by_shingle = np.argsort(shingle, kind="stable")
    listed = owner[by_shingle]
    first = np.searchsorted(shingle[by_shingle], np.arange(len(holders)))
    prober, probed = owner[probe], shingle[probe]
    del owner, shingle, held, order, rank, probe, by_shingle
    counts = holders[probed]
    # The probes in blocks of about PROBE_BLOCK meetings: a shingle a hundred articles share meets all of
    # them from each prober, more than memory holds at once in a big folder; the pairs are the same.
    ends = np.cumsum(counts)
    cuts = np.searchsorted(ends, np.arange(PROBE_BLOCK, int(ends[-1]) if len(ends) else 0, PROBE_BLOCK), side="right")
    bounds = [0, *sorted(set(cuts.tolist()) - {0, len(counts)}), len(counts)]
    keys = np.unique(
        np.concatenate(
            [np.zeros(0, np.int64)]
            + [
                _meetings(prober[a:b], probed[a:b], counts[a:b], listed, first, sizes, len(sets))
                for a, b in zip(bounds, bounds[1:], strict=False)
            ]
        )
    )
    return list(zip((keys // len(sets)).tolist(), (keys % len(sets)).tolist(), strict=True))


#: Meetings of a probe with a holder of its shingle worked out at once (arrays of this many entries).
PROBE_BLOCK = 4_000_000


def _meetings(prober, probed, counts, listed, first, sizes, count: int) -> np.ndarray:
    """The pair codes (low * count + high, distinct) that a block of probes finds in the posting lists."""
    lookers = np.repeat(prober, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    found = listed[np.repeat(first[probed], counts) + offsets]
    # A pair is found from its smaller article (from both when they are the same size).
    mine, theirs = sizes[lookers], sizes[found]
    keep = (theirs > mine) | ((theirs == mine) & (found != lookers))
    low, high = np.minimum(lookers[keep], found[keep]), np.maximum(lookers[keep], found[keep])
    return np.unique(low * count + high)


def _needed(count: int, threshold: float) -> int:
    """The fewest shared shingles (at least one) for `count` shingles to reach `threshold`, as divided (count + 1:
    never)."""
    need = max(1, math.ceil(count * threshold))
    while need > 1 and (need - 1) / count >= threshold:  # float rounding: the same test as the share's
        need -= 1
    while need <= count and need / count < threshold:
        need += 1
    return min(need, count + 1)


def _holds_sample(shingles: np.ndarray, other: np.ndarray) -> bool:
    """Whether an article's distinct shingles (sorted) hold one of another's sampled shingles (how copies
    were first looked up)."""
    return bool(_found(_sample(shingles), other).any())


def _found(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """Which of `values` are among `sorted_values` (sorted, distinct): a boolean array."""
    at = np.searchsorted(sorted_values, values).clip(max=len(sorted_values) - 1)
    return sorted_values[at] == values


def _copy_direction(items: Sequence[tuple[Document, Article]], one: int, two: int) -> tuple[int, int]:
    """(copy, original) of two copied articles: the earlier-published is the original when both are
    dated, otherwise the one whose source id sorts first (an unknown date says nothing about order)."""
    days = [_day(items[n][1].published) for n in (one, two)]
    if days[0] and days[1] and days[0] != days[1]:
        return (two, one) if days[0] < days[1] else (one, two)
    keys = [(items[n][0].source.source_id, items[n][1].index) for n in (one, two)]
    return (two, one) if keys[0] <= keys[1] else (one, two)


def source_copies(documents: Sequence[Document]) -> dict[str, str]:
    """Source id -> id of the source most of whose text it copies (only copies appear as keys)."""
    copies: dict[str, str] = {}
    for document in documents:
        total = sum(e - s for a in document.articles for s, e in a.body)
        copied: Counter[str] = Counter()
        for article in document.articles:
            if article.copy_of:
                copied[ArticleRef.parse(article.copy_of).source] += sum(e - s for s, e in article.body)
        if copied and total:
            source, chars = min(copied.items(), key=lambda item: (-item[1], item[0]))
            if chars * 2 >= total and source != document.source.source_id:
                copies[document.source.source_id] = source
    return {k: v for k, v in sorted(copies.items()) if copies.get(v) != k}


def _day(published: str) -> dt.date | None:
    """The day of a publication date, None when unknown."""
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
