"""Copies among the claims: articles that repeat another's sentences, sources that repeat its figures.

Both detectors work on the claims alone (no corpus): `detect_copies` on one run's claim sentences,
`copies_from_values` on the figures of many facts. Keys are "source#article" (an article that copies)
or a source id (a source that copies); `resolve_copies` follows chains of them to the first original.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

#: Two articles are copies when this share of the smaller one's claim sentences appear word for word in the other.
COPY_SHARE = 0.5

_OTHER = "_b"  # the suffix of the other side's columns in a self-join
_SENTENCE = "_s"  # a claim sentence reduced to lower-case words
_SIZE = "n"  # an article's distinct claim sentences
_SHARED = "shared"  # the sentences two articles share
_SMALLER = "smaller"  # the smaller of the two articles' sizes
_MINOR = "_minor"  # the figure is one that most sources of the fact do not state
_SAME = "_same"  # facts where two sources state the same minority figure
_EITHER = "_either"  # facts where either source states a minority figure


def _other(column: str) -> str:
    """The other side's name of a column after a self-join."""
    return column + _OTHER


def _normal_sentence() -> pl.Expr:
    """A sentence reduced to lower-case words, to find word-for-word copies."""
    return pl.col("sentence").fill_null("").str.to_lowercase().str.replace_all(r"[^\w]+", " ").str.strip_chars()


def detect_copies(claims: pl.DataFrame) -> dict[str, str]:
    """Copies found in the claims themselves: "source#article" -> the source it copies.

    Two articles of different sources are copies when at least half of the smaller one's claim sentences
    (and at least two, or its only one) appear word for word in the other; the later-published one (or,
    undated or on the same day, the one with the larger source id) is the copy.
    """
    if claims.is_empty():
        return {}
    rows = (
        claims.select(
            pl.col("source"),
            pl.col("article").cast(pl.Int64).fill_null(1),
            pl.col("published").fill_null(""),
            _normal_sentence().alias(_SENTENCE),
        )
        .filter(pl.col(_SENTENCE).str.len_chars() > 20)
        .unique()
    )
    sizes = rows.group_by("source", "article").agg(pl.col(_SENTENCE).n_unique().alias(_SIZE), pl.col("published").max())
    other_source, other_article = _other("source"), _other("article")
    pairs = (
        rows.join(rows, on=_SENTENCE, suffix=_OTHER)
        .filter(pl.col("source") < pl.col(other_source))
        .group_by("source", "article", other_source, other_article)
        .agg(pl.col(_SENTENCE).n_unique().alias(_SHARED))
        .join(sizes, on=["source", "article"])
        .join(sizes, left_on=[other_source, other_article], right_on=["source", "article"], suffix=_OTHER)
        .with_columns(pl.min_horizontal(_SIZE, _other(_SIZE)).alias(_SMALLER))
        .filter((pl.col(_SHARED) >= COPY_SHARE * pl.col(_SMALLER)) & ((pl.col(_SHARED) >= 2) | (pl.col(_SMALLER) == 1)))
        .sort("source", "article", other_source, other_article)
    )
    copies: dict[str, str] = {}
    for row in pairs.iter_rows(named=True):
        a, b = (
            (row["source"], row["article"], row["published"]),
            (row[other_source], row[other_article], row[_other("published")]),
        )
        earlier, later = (a, b) if (a[2] or "9999") <= (b[2] or "9999") else (b, a)
        copies.setdefault(f"{later[0]}#{later[1]}", earlier[0])
    return dict(sorted(copies.items()))


def copies_from_values(claims: pl.DataFrame, min_shared: int = 10, share: float = 0.95) -> dict[str, str]:
    """Sources that copy each other's figures, found across many facts: source -> the group's first source.

    `claims` carry `fact_id` (a first reconcile). Two sources agreeing on true figures prove nothing;
    sharing the same minority figures does (Dong et al., "Truth discovery and copying detection", 2009):
    a pair is a copy when, of the facts where either states a figure most sources do not, they state the
    very same figure in at least `share` of them and in at least `min_shared` facts. Needs many facts, so
    it is for large tables (a benchmark, a season of coverage), not for five pages.
    """
    rows = claims.filter(pl.col("fact_id") != "").select("fact_id", "source", "value").unique()
    rows = rows.with_columns(
        (pl.len().over("fact_id", "value") * 2 <= pl.len().over("fact_id")).alias(_MINOR),
    )
    other_source = _other("source")
    pairs = (
        rows.join(rows, on="fact_id", suffix=_OTHER)
        .filter(pl.col("source") < pl.col(other_source))
        .group_by("source", other_source)
        .agg(
            ((pl.col("value") == pl.col(_other("value"))) & pl.col(_MINOR)).sum().alias(_SAME),
            (pl.col(_MINOR) | pl.col(_other(_MINOR))).sum().alias(_EITHER),
        )
        .filter((pl.col(_SAME) >= min_shared) & (pl.col(_SAME) >= share * pl.col(_EITHER)))
        .sort("source", other_source)
    )
    parent: dict[str, str] = {}

    def root(source: str) -> str:
        """The first source of a copying group."""
        while parent.get(source, source) != source:
            source = parent[source]
        return source

    for a, b in pairs.select("source", other_source).iter_rows():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {s: root(s) for s in sorted(parent)}


def resolve_copies(copies: Mapping[str, str]) -> dict[str, str]:
    """Follow chains of copies to the first original: C copies B and B copies A, so C copies A."""
    by_source: dict[str, str] = {}
    for key in sorted(copies):
        by_source.setdefault(key.split("#")[0], copies[key].split("#")[0])
    resolved = {}
    for key, original in copies.items():
        original, seen = original.split("#")[0], {key.split("#")[0]}
        while original in by_source and original not in seen:
            seen.add(original)
            original = by_source[original]
        resolved[key] = original
    return resolved
