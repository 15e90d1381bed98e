"""Stories: articles about the same event across sources, clustered by their ledes.

Each article's lede is read as TF-IDF blocks (words, headline, names, figures and dates), weighted by
the `story_*` settings of `rules/boilerplate.toml`; clusters join by average link.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from audit.ingest.page import Layout, layout_of
from audit.link.copies import _body_text, _day, article_key
from audit.model import Document
from audit.rules import RuleSet

_CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")
# A capitalised word (a name, a place, an agency): an upper-case letter, then letters, digits, joiners.
_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
# A figure as printed: digits with thousands separators or a decimal part ("22,000", "6.1").
_FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?!\w)")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?!\d)|"
    r"(?<!\d)(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
_MONTH = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$")
_BEFORE_SENTENCE = frozenset(".!?\"“”'‘’:;")


def _content_words(text: str, stopwords: frozenset[str]) -> list[str]:
    """Lower-cased words of three letters or more that are not stop words."""
    return [w for w in _CONTENT_WORD.findall(text.lower()) if w not in stopwords]


def _names(text: str, stopwords: frozenset[str]) -> list[str]:
    """Capitalised words of a text that are not the first word of a sentence or line, lower-cased.

    A sentence's first word is capitalised whatever it is; a name inside a sentence is capitalised
    because it is a name (a person, a place, an agency), and names survive rewording and translation.
    """
    out = []
    for match in _NAME.finditer(text):
        before = text[max(0, match.start() - 3) : match.start()]
        mark = before.rstrip(" \t\xa0")[-1:]
        if not mark or mark == "\n" or mark in _BEFORE_SENTENCE:
            continue
        word = match.group().rstrip("'’-").lower()
        if len(word) > 1 and word not in stopwords and not _MONTH.match(word):
            out.append(word.removesuffix("'s").removesuffix("’s"))
    return out


def _figures_and_dates(text: str) -> tuple[list[str], list[str], set[str]]:
    """The figures of a text (years apart), its date words (years, "jan 8") and the years it names."""
    figures, dates, years = [], [], set()
    days = []  # the day of a month-day mention is part of a date, not a figure
    for match in _MONTH_DAY.finditer(text):
        month, day = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        dates.append(f"{month.lower()}-{int(day)}")
        days.append(match.span())
    for match in _FIGURE.finditer(text):
        if any(start <= match.start() < end for start, end in days):
            continue
        value = match.group().replace(",", "")
        if _YEAR.match(value):
            dates.append(value)
            years.add(value)
        else:
            figures.append(value.rstrip("0").rstrip(".") if "." in value else value)
    return figures, dates, years


@dataclass(frozen=True)
class StoryFeatures:
    """What story clustering compares: one weighted, unit-length row per article, and the years each names."""

    blocks: tuple[tuple[float, Any], ...]  # (weight, scipy csr matrix of unit rows): words, names, figures, dates
    years: tuple[frozenset[str], ...]

    @property
    def vectors(self):
        """All blocks side by side, each scaled by the square root of its weight share."""
        from scipy.sparse import csr_matrix, hstack

        total = sum(w for w, _ in self.blocks) or 1.0
        return csr_matrix(hstack([m * math.sqrt(w / total) for w, m in self.blocks], format="csr"))

    def present(self) -> list[Any]:
        """For each block, which articles have anything in it (a boolean array)."""
        import numpy as np

        return [np.diff(m.indptr) > 0 for _, m in self.blocks]


def _tfidf(bags: Sequence[Counter[str]]):
    """TF-IDF rows of unit length (an empty bag gives an empty row)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, bag in enumerate(bags):
        for word, count in sorted(bag.items()):
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            values.append(1.0 + math.log(count))
    shape = (len(bags), max(1, len(vocabulary)))
    matrix = csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float64)
    df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=shape[1])
    idf = np.log((1 + len(bags)) / (1 + df)) + 1.0  # smoothed, so a two-article corpus still compares
    matrix = csr_matrix(matrix.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(matrix.multiply(1.0 / norms[:, None]))


def story_features(documents: Sequence[Document], layout: Layout) -> StoryFeatures:
    """Each article's lede as five TF-IDF blocks, weighted by the `story_*_weight` settings.

    Without those settings the words block alone is used. Words: the headline and first
    `story_lede_words` content words, cut to `story_stem_chars` letters (shared phrasing). Headline:
    its words alone. Names:
    capitalised words inside sentences (people, places, agencies: they survive rewording, briefs and
    translation). Figures: numbers as printed. Dates: years and month-day mentions. Two articles'
    similarity is the weighted average of the blocks' cosines over the blocks both have: a brief
    without figures is neither helped nor hurt by figures.
    """
    stopwords = frozenset(layout.get("story_stopwords", ()))
    lede = layout.get("story_lede_words", 100)
    stem = layout.get("story_stem_chars", 0)
    words, headlines, names, figures, dates, years = [], [], [], [], [], []
    for document in documents:
        for article in document.articles:
            body = _body_text(document, article)[: lede * 12]
            found = _content_words(f"{article.headline}\n{body}", stopwords)[:lede]
            head = _content_words(article.headline, stopwords)
            if stem > 0:  # a word's first letters: "resumed", "resuming" and "resume" are one word
                found, head = [w[:stem] for w in found], [w[:stem] for w in head]
            words.append(Counter(found))
            headlines.append(Counter(head))
            names.append(Counter(_names(body, stopwords)))
            found_figures, found_dates, found_years = _figures_and_dates(body)
            figures.append(Counter(found_figures))
            dates.append(Counter(found_dates))
            years.append(frozenset(found_years))
    weights = [max(0.0, layout.get(f"story_{block}_weight", default)) for block, default in _STORY_WEIGHTS]
    blocks = tuple(
        (weight, _tfidf(bags))
        for bags, weight in zip((words, headlines, names, figures, dates), weights, strict=True)
        if weight > 0
    )
    return StoryFeatures(blocks or ((1.0, _tfidf(words)),), tuple(years))


_STORY_WEIGHTS = (("words", 1.0), ("headline", 0.0), ("names", 0.0), ("figures", 0.0), ("dates", 0.0))


def _pairs_above(vectors, threshold: float, block: int = 512):
    """Row, column and product (numpy arrays) of every pair i < j whose rows' dot product reaches the threshold.

    Rows are compared a block at a time, so memory stays linear in the number of articles.
    """
    import numpy as np

    rows, cols, values = [], [], []
    for first in range(0, vectors.shape[0], block):
        product = (vectors[first : first + block] @ vectors.T).tocoo()
        row = product.row.astype(np.int64) + first
        keep = (row < product.col) & (product.data >= threshold)
        rows.append(row[keep])
        cols.append(product.col[keep].astype(np.int64))
        values.append(product.data[keep])
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


def _years_differ(one: frozenset[str], two: frozenset[str]) -> bool:
    """Two ledes that both name years but no year in common tell of different events."""
    return bool(one and two and not one & two)


def assign_stories(documents: Sequence[Document], layout: Layout | RuleSet | None = None) -> list[Document]:
    """Cluster articles about the same event across sources; story ids "S1", "S2" ... by first appearance.

    Average-link clustering of the articles' story similarity (see story_features): pairs are tried
    from the most similar down, and two clusters join when their average similarity, less
    `story_year_penalty` when their ledes name years but none in common, reaches `story_threshold`,
    their dated articles lie within `story_max_days` of each other, and they hold no two articles of
    one page (a page is split where a new story begins). Copies always join their original's story.
    """
    layout = layout_of(layout) if layout is not None else Layout((), (), None, {})
    items = [(d, a) for d in documents for a in d.articles]
    keys = {article_key(d, a): n for n, (d, a) in enumerate(items)}
    cluster = list(range(len(items)))
    members: dict[int, list[int]] = {n: [n] for n in range(len(items))}
    pages = {n: {id(d)} for n, (d, _) in enumerate(items)}
    days = {n: [day] if (day := _day(a.published)) else [] for n, (_, a) in enumerate(items)}
    years: dict[int, frozenset[str]] = {}

    def merge(one: int, two: int) -> None:
        """Join two clusters (the one with the earlier article keeps its number)."""
        keep, gone = sorted((cluster[one], cluster[two]))
        for n in members[gone]:
            cluster[n] = keep
        members[keep] += members.pop(gone)
        pages[keep] |= pages.pop(gone)
        days[keep] += days.pop(gone)
        if years:
            years[keep] |= years.pop(gone)

    for n, (_, article) in enumerate(items):
        if article.copy_of in keys and cluster[n] != cluster[keys[article.copy_of]]:
            merge(n, keys[article.copy_of])
    threshold = layout.get("story_threshold", 0.21)
    max_days = dt.timedelta(days=layout.get("story_max_days", 30))
    penalty = layout.get("story_year_penalty", 0.0)
    if len(items) > 1:
        from scipy.sparse import csr_matrix

        features = story_features(documents, layout)
        weights = [w for w, _ in features.blocks]
        vectors = features.vectors
        present = features.present()
        for n in range(len(items)):
            years[cluster[n]] = years.get(cluster[n], frozenset()) | features.years[n]
        # The average similarity over all cross pairs of two clusters is the dot product of their summed
        # rows divided by the number of pairs (then divided by the weight of the blocks both clusters
        # have, as for two articles), so a cluster of several articles keeps one summed sparse row (made
        # when first needed); two single articles use their pair score.
        sums: dict[int, Any] = {}
        has = {root: [bool(p[members[root]].any()) for p in present] for root in set(cluster)}

        def summed(root: int) -> Any:
            """The summed rows of a cluster's articles."""
            if root not in sums:
                sums[root] = csr_matrix(vectors[members[root]].sum(axis=0))
            return sums[root]

        for pair_score, one, two in _candidate_pairs(features, threshold):
            a, b = cluster[one], cluster[two]
            if a == b or pages[a] & pages[b]:
                continue
            span = days[a] + days[b]
            if span and max(span) - min(span) > max_days:
                continue
            pairs = len(members[a]) * len(members[b])
            if pairs == 1:
                score = pair_score
            else:
                both = sum(w for w, x, y in zip(weights, has[a], has[b], strict=True) if x and y)
                average = summed(a).multiply(summed(b)).sum() / pairs
                score = average * sum(weights) / both if both else 0.0
            if _years_differ(years[a], years[b]):
                score -= penalty
            if score >= threshold:
                merged = summed(a) + summed(b)
                joined = [x or y for x, y in zip(has[a], has[b], strict=True)]
                merge(one, two)
                sums.pop(a, None)
                sums.pop(b, None)
                sums[cluster[one]], has[cluster[one]] = merged, joined
    names: dict[int, str] = {}
    for n in range(len(items)):
        names.setdefault(cluster[n], f"S{len(names) + 1}")
    out, position = [], 0
    for document in documents:
        articles = []
        for article in document.articles:
            articles.append(replace(article, story=names[cluster[position]]))
            position += 1
        out.append(replace(document, articles=tuple(articles)))
    return out


def _pair_scores(features: StoryFeatures, rows, cols, fixed):
    """The blended similarity of pairs of articles (numpy arrays) from their fixed-weight similarity.

    Only the denominator differs: the weights of the blocks both articles have, not all weights.
    """
    import numpy as np

    weights = [w for w, _ in features.blocks]
    both = sum(w * (p[rows] & p[cols]) for w, p in zip(weights, features.present(), strict=True))
    value = np.asarray(fixed, dtype=np.float64) * sum(weights)
    return np.divide(value, both, out=np.zeros(len(rows)), where=both > 0)


def _candidate_pairs(features: StoryFeatures, threshold: float) -> list[tuple[float, int, int]]:
    """(similarity, i, j) of every pair that reaches the threshold, most similar first.

    A pair's blended similarity is its fixed-weight similarity times total weight / weight of the
    blocks both have, and the word block (headline and lede) is always there; so pairs whose
    fixed-weight similarity is below threshold * words share cannot reach the threshold.
    """
    total = sum(w for w, _ in features.blocks) or 1.0
    # The word block comes first whenever it has weight; an article without a single content word in
    # its headline and lede has nothing to tell its story by.
    rows, cols, fixed = _pairs_above(features.vectors, threshold * features.blocks[0][0] / total)
    scores = _pair_scores(features, rows, cols, fixed)
    keep = scores >= threshold
    pairs = list(zip(scores[keep].tolist(), rows[keep].tolist(), cols[keep].tolist(), strict=True))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def story_scores(documents: Sequence[Document], layout: Layout | RuleSet) -> list[list[float]]:
    """The story score of every two articles (corpus order), as assign_stories weighs a pair of single
    articles: blended similarity less the year penalty, 0 when their publication days lie too far apart."""
    import numpy as np

    layout = layout_of(layout)
    features = story_features(documents, layout)
    count = len(features.years)
    vectors = features.vectors
    fixed = (vectors @ vectors.T).toarray().ravel().tolist()
    rows, cols = np.divmod(np.arange(count * count, dtype=np.int64), max(count, 1))
    flat = _pair_scores(features, rows, cols, fixed).tolist()
    scores = [flat[i * count : (i + 1) * count] for i in range(count)]
    published = [_day(a.published) for d in documents for a in d.articles]
    max_days = dt.timedelta(days=layout.get("story_max_days", 30))
    penalty = layout.get("story_year_penalty", 0.0)
    for i, row in enumerate(scores):
        for j in range(len(row)):
            if _years_differ(features.years[i], features.years[j]):
                row[j] -= penalty
            if published[i] and published[j] and abs(published[i] - published[j]) > max_days:
                row[j] = 0.0
    return scores
