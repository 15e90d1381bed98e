"""The sources as the screen names them: by outlet, shortened, else by the file stem made unique, in
publication order.

A page's column on the screen is named by its outlet from the manifest ("Asharq Al-Awsat (English)"
becomes "Asharq Al-Awsat"); a page with no outlet by the shortest run of its stem's "_" parts that no
other page shares (`bbc_morning` and `bbc_evening` stay apart, `000_2d17262e913a53b6` is "000"). Two
pages that would still share a name are numbered in publication order ("BBC #1", "BBC #2"). The same
names serve `audit run` (from the corpus) and `audit reconcile` (from the claims table alone).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import polars as pl

from audit.model import Corpus

#: Longest name the screen gives a source; longer outlets are cut at a word and end in "…".
NAME_WIDTH = 22
_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class SourceInfo:
    """One page of the corpus as the screen shows it."""

    source: str  # source id, as in claims.csv
    name: str  # what the screen calls it
    outlet: str = ""
    file: str = ""
    published: str = ""  # its first article's publication date, "" when unknown
    copy_of: str = ""  # source id of the page it copies, "" when none
    claims: int = 0
    articles: int = 0
    date_from: str = ""  # where the first article's date came from ("manifest", "page: Updated line")
    stories: str = ""  # the story ids of its articles, comma-separated


def short_outlet(outlet: str, width: int = NAME_WIDTH) -> str:
    """An outlet's name for a column: no trailing "(English)", no leading "The", at most `width` characters."""
    name = " ".join(outlet.split())
    while _PARENTHESES.search(name) and _PARENTHESES.sub("", name):
        name = _PARENTHESES.sub("", name)
    if name.lower().startswith("the ") and len(name) > 4:
        name = name[4:]
    return cut(name, width)


def cut(name: str, width: int = NAME_WIDTH) -> str:
    """A name of at most `width` characters, cut at a word where it can be, ending in "…" when cut."""
    if len(name) <= width:
        return name
    head = name[: width - 1]
    if " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:-") + "…"


def stem_names(stems: Iterable[str]) -> dict[str, str]:
    """Each stem's shortest run of leading "_" parts that no other stem shares at that length."""
    stems = list(dict.fromkeys(stems))
    parts = {stem: stem.split("_") for stem in stems}
    names = {}
    for stem in stems:
        for k in range(1, len(parts[stem]) + 1):
            prefix = "_".join(parts[stem][:k])
            if all("_".join(parts[other][:k]) != prefix for other in stems if other != stem):
                names[stem] = prefix
                break
        else:
            names[stem] = stem
    return names


def name_sources(sources: list[SourceInfo]) -> tuple[SourceInfo, ...]:
    """Name each source (outlet, else stem) and sort them by publication date, the undated last."""
    ordered = sorted(sources, key=lambda s: (not s.published, s.published, s.source))
    stems = stem_names(s.source for s in ordered if not s.outlet.strip())
    names = [short_outlet(s.outlet) if s.outlet.strip() else cut(stems[s.source]) for s in ordered]
    taken = Counter(names)
    seen: Counter[str] = Counter()
    out = []
    for source, name in zip(ordered, names, strict=True):
        if taken[name] > 1:
            seen[name] += 1
            name = f"{name} #{seen[name]}"
        out.append(replace(source, name=name))
    return tuple(out)


def sources_of_corpus(corpus: Corpus, claims: pl.DataFrame) -> tuple[SourceInfo, ...]:
    """The named sources of an audited corpus, in publication order."""
    counts = _claim_counts(claims)
    sources = []
    for doc in corpus.outlines():
        first = doc.articles[0] if doc.articles else None
        sources.append(
            SourceInfo(
                source=doc.source.source_id,
                name="",
                outlet=doc.source.outlet,
                file=doc.source.file,
                published=(first.published if first else "") or doc.source.published,
                copy_of=corpus.copies.get(doc.source.source_id, ""),
                claims=counts.get(doc.source.source_id, 0),
                articles=len(doc.articles),
                date_from=first.published_from if first else "",
                stories=", ".join(dict.fromkeys(a.story for a in doc.articles if a.story)),
            )
        )
    return name_sources(sources)


def sources_of_claims(claims: pl.DataFrame, copies: Mapping[str, str]) -> tuple[SourceInfo, ...]:
    """The named sources of a claims table read back (no corpus): a source whose every article is a
    copy ("source#article" in `copies`) is a copy of the source most of them copy."""
    if claims.is_empty():
        return ()
    rows = (
        claims.group_by("source")
        .agg(
            pl.col("outlet").first(),
            pl.col("file").first(),
            pl.col("published").filter(pl.col("published") != "").min(),
            pl.len().alias("claims"),
            pl.col("article").n_unique().alias("articles"),
            pl.col("article").unique().sort().alias("_articles"),
            pl.col("story").filter(pl.col("story") != "").unique().sort().str.join(", ").alias("stories"),
        )
        .sort("source")
    )
    sources = []
    for row in rows.iter_rows(named=True):
        originals = [copies.get(f"{row['source']}#{a}") or copies.get(row["source"]) for a in row["_articles"]]
        copy_of = Counter(originals).most_common(1)[0][0] if originals and all(originals) else ""
        sources.append(
            SourceInfo(
                source=row["source"],
                name="",
                outlet=row["outlet"] or "",
                file=row["file"] or "",
                published=row["published"] or "",
                copy_of=copy_of or "",
                claims=row["claims"],
                articles=row["articles"],
                stories=row["stories"] or "",
            )
        )
    return name_sources(sources)


def _claim_counts(claims: pl.DataFrame) -> dict[str, int]:
    """How many claims each source has."""
    if claims.is_empty():
        return {}
    return dict(claims.group_by("source").len().iter_rows())
