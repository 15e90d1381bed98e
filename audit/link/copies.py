"""Copies across sources: articles that share word shingles, which is the original, which sources copy.

An article is named across the corpus by `article_key`: an `ArticleRef` ("<source id>#<index>") written out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from audit.ingest.page import Layout
from audit.model import Article, ArticleRef, Document

_WORD = re.compile(r"\w+")


def article_key(document: Document, article: Article) -> str:
    """How an article is named across the corpus: "<source id>#<index>"."""
    return ArticleRef(document.source.source_id, article.index).key


def _body_text(document: Document, article: Article) -> str:
    """An article's clean body as one string."""
    return " ".join(document.text[s:e] for s, e in article.body)


def _shingles(words: Sequence[str], size: int) -> list[int]:
    """The hashed runs of `size` words of a text, in text order (one shingle for a shorter text)."""
    if len(words) < size:
        return [hash(tuple(words))] if words else []
    return [hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1)]


def _sample(shingles: Sequence[int], count: int = 16) -> list[int]:
    """Shingles at evenly spaced places of a text: enough to find any text that shares half of it."""
    step = max(1, len(shingles) // count)
    return list(shingles[::step])


def find_copies(documents: Sequence[Document], layout: Layout) -> tuple[list[Document], dict[str, str]]:
    """Mark articles that copy another source's article (shared word shingles), and sources that are copies.

    Two articles are copies when at least `copy_threshold` of the shorter one's shingles appear in the
    other (exact count). Candidates are found through sixteen evenly spaced shingles of each article,
    looked up among all shingles of earlier articles and the other way round: a shared run of text
    longer than a sixteenth of the shorter article always holds a sampled shingle.
    Of two copies the earlier-published is the original; on a tie, the source that sorts first.
    A source is a copy of another when most of its body text is copied from that source.
    """
    size = layout.page.copy_shingle_words
    minimum = layout.page.copy_min_shingles
    threshold = layout.page.copy_threshold
    items = [(d, a) for d in documents for a in d.articles]
    lists = [_shingles(_WORD.findall(_body_text(d, a).lower()), size) for d, a in items]
    sets = [set(shingles) for shingles in lists]
    every: dict[int, list[int]] = defaultdict(list)  # shingle -> earlier articles holding it
    sampled: dict[int, list[int]] = defaultdict(list)  # shingle -> earlier articles that sampled it
    best: dict[int, tuple[float, int]] = {}
    for number, shingles in enumerate(sets):
        sample = _sample(lists[number])
        candidates = {other for shingle in sample for other in every.get(shingle, ())}
        candidates.update(other for shingle in shingles for other in sampled.get(shingle, ()))
        source = items[number][0].source.source_id
        for other in sorted(candidates):
            smaller = min(len(shingles), len(sets[other]))
            if items[other][0].source.source_id == source or smaller < minimum:
                continue
            share = len(shingles & sets[other]) / smaller
            if share < threshold:
                continue
            copy, original = _copy_direction(items, number, other)
            # The closest original wins; on a tie, the one that comes first in the corpus.
            if (share, -original) > (best.get(copy, (0.0, 0))[0], -best.get(copy, (0.0, 0))[1]):
                best[copy] = (share, original)
        for shingle in shingles:
            every[shingle].append(number)
        for shingle in sample:
            sampled[shingle].append(number)
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
