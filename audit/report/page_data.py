"""The data the HTML report's template reads: one frozen view a claim, fact, story and source.

Built from the claims and facts frames, and from the corpus where there is one (see audit.report.html);
evolving figures get a timeline (audit.report.timeline). Nothing here renders or writes.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import polars as pl

from audit.link.claim_copies import detect_copies
from audit.model import VERDICTS, Corpus, Kind, Polarity, Verdict
from audit.reconcile import as_written
from audit.report.timeline import Timeline, Units, _figure, _timeline

_SPACE = re.compile(r"\s+")
#: What each verdict means, as the page's summary says it (../shared/design.md).
MEANINGS = {
    "conflict": "the figures cannot all hold",
    "evolving": "moved over time, as a running figure may",
    "compatible": "different, but the intervals overlap",
    "agree": "every source states the same",
    "single": "one independent source",
}


@dataclass(frozen=True)
class Mark:
    """A claim's sentence cut around its exact words; `found` is False when the words are not in it."""

    before: str
    text: str
    after: str
    title: str
    found: bool = True


@dataclass(frozen=True)
class ClaimView:
    """One source's statement of a fact: who, when, the value as written and the marked sentence."""

    claim_id: str
    source: str
    short: str  # the source's short name, as the notes write it ("001 copies 000")
    outlet: str
    outlet_index: int
    published: str
    as_of: str
    written: str
    speaker: str
    denied: bool
    copy_of: str
    url: str
    mark: Mark
    unit: str
    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class FactView:
    """A fact as the page shows it."""

    fact_id: str
    story: str
    kind: str
    measure: str
    subject: str
    event_date: str
    verdict: str
    note: str
    low: str
    best: str
    high: str
    how_best: str
    sources: int
    independent: int
    claims: tuple[ClaimView, ...]
    outlets: str  # " 0 3 " : indices of the outlets stating it, for the page's outlet filter
    timeline: Timeline | None


@dataclass(frozen=True)
class StoryView:
    """The facts of one story cluster stated by two or more independent sources, conflicts first."""

    story: str
    headline: str
    facts: tuple[FactView, ...]


@dataclass(frozen=True)
class SourceView:
    """One row of the sources panel."""

    source: str
    outlet: str
    url: str
    published: str
    published_from: str
    articles: int
    copy_of: str
    copied_by: str
    stories: str
    claims: int


# --- claims -------------------------------------------------------------------------------------------


def _outlet(row: Mapping) -> str:
    """A source's name on the page: its outlet, or its id when the manifest names none."""
    return row.get("outlet") or row.get("source") or ""


def _outlet_labels(claims: pl.DataFrame, corpus: Corpus | None) -> list[str]:
    """Every outlet name of the corpus (or of the claims), sorted."""
    if corpus is not None:
        names = {d.source.outlet or d.source.source_id for d in corpus.outlines()}
    else:
        names = {_outlet(row) for row in claims.select("outlet", "source").unique().iter_rows(named=True)}
    return sorted(names, key=str.casefold)


class Claims:
    """The page's view of the claims, built a group of facts at a time (`views`): at 100,000 pages the
    views of every claim at once would be most of a gigabyte, so the page asks for one story's as it
    reaches it. Each claim's mark is what it would be were every claim's made in one pass (its place among
    the claims of the same file, sentence and words is counted over all of them)."""

    def __init__(
        self,
        claims: pl.DataFrame,
        corpus: Corpus | None,
        outlets: Mapping[str, int],
        written: Mapping[str, str],
        group_of: Mapping[str, str],
    ) -> None:
        """`group_of`: fact id -> the group its claims are asked for in."""
        self.claims, self.outlets, self.written = claims, outlets, written
        self.copies = _copies(claims, corpus)
        self.names = {r["source"]: _outlet(r) for r in claims.select("source", "outlet").unique().iter_rows(named=True)}
        self.corpus = corpus
        # A page is read when a claim of it is first shown (where the pages wait on disk, one at a time).
        self.numbers = {d.source.file: n for n, d in enumerate(corpus.outlines())} if corpus else {}
        order = (
            claims.select(
                pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
                pl.col("fact_id").replace_strict(group_of, default="", return_dtype=pl.Utf8).alias("group"),
                "fact_id",
                "file",
                "char_start",
                "sentence",
                "text",
            )
            .filter(pl.col("fact_id") != "")
            .sort("file", "char_start", maintain_order=True)
            .with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).over("file", "sentence", "text").alias("nth"))
            .group_by("group")
            .agg("row", "nth")
        )
        self.rows = {group: (rows, nths) for group, rows, nths in order.iter_rows()}

    def views(self, group: str) -> dict[str, list[ClaimView]]:
        """Fact id -> the claims of a group as the page shows them, in publication order."""
        rows, nths = self.rows.get(group, ([], []))
        spans: dict[str, tuple] = {}
        pages: dict[str, Any] = {}  # the group's pages, each read once
        views: dict[str, list[ClaimView]] = {}
        # The rows are in file and offset order (as grouped), each with its place among its file's claims of
        # the same sentence and words.
        for row, nth in zip(self.claims[pl.Series(rows, dtype=pl.UInt32)].iter_rows(named=True), nths, strict=True):
            document = self._page(row["file"], pages)
            if document is not None and row["file"] not in spans:
                spans[row["file"]] = _spans(document)
            text = document.text if document is not None else None
            mark = _mark_in_page(row, text, spans.get(row["file"])) or _mark_in_sentence(row, nth)
            views.setdefault(row["fact_id"], []).append(self._view(row, mark))
        for fact_claims in views.values():
            fact_claims.sort(key=lambda c: (_moment(c.published), c.source, c.claim_id))
        return views

    def _page(self, file: str, pages: dict[str, Any]) -> Any:
        """The document of a file (None without a corpus), taken from `pages` or read into it."""
        if file not in pages:
            number = self.numbers.get(file)
            pages[file] = None if number is None else self.corpus.documents[number]
        return pages[file]

    def _view(self, row: Mapping, mark: Mark) -> ClaimView:
        """One claim as the page shows it."""
        original = self.copies.get(f"{row['source']}#{row['article']}", "")
        return ClaimView(
            claim_id=row["claim_id"],
            source=row["source"],
            short=row["source"].split("_")[0],
            outlet=_outlet(row),
            outlet_index=self.outlets.get(_outlet(row), -1),
            published=row["published"] or "",
            as_of=row["as_of"] or "",
            written=as_written(row, self.written),
            speaker=row["speaker"] or "",
            denied=row["polarity"] == Polarity.DENIED,
            copy_of=self.names.get(original, original) if original else "",
            url=_safe_url(row["url"] or ""),
            mark=mark,
            unit=row["unit"] or "",
            value=row["value"],
            low=row["low"],
            high=row["high"],
        )


def _copies(claims: pl.DataFrame, corpus: Corpus | None) -> dict[str, str]:
    """Each copied article ("source#article") -> the source id it copies (from the corpus, else the claims)."""
    found = corpus.article_copies() if corpus is not None else detect_copies(claims)
    return {copy: original.split("#")[0] for copy, original in found.items()}


def _spans(document) -> tuple[list[int], list[tuple[int, int]]]:
    """The starts and spans of a page's sentences, sorted, to find the sentence that holds a claim."""
    found = sorted(span for article in document.articles for span in article.sentences)
    return [start for start, _ in found], found


def _title(row: Mapping) -> str:
    """What hovering a marked claim says: the file and the character offsets of its words."""
    return f"{row['file']}, characters {row['char_start']}–{row['char_end']} ({row['claim_id']})"


def _mark_in_page(row: Mapping, text: str | None, spans: tuple | None) -> Mark | None:
    """The claim's sentence cut from its page around char_start..char_end; None when there is no page."""
    start, end = row["char_start"], row["char_end"]
    if text is None or not spans or start is None or end is None or text[start:end] != row["text"]:
        return None
    starts, found = spans
    number = bisect.bisect_right(starts, start) - 1
    if number < 0 or found[number][1] < end:
        return None
    first, last = found[number]
    before = _collapsed(text[first:start]).lstrip()
    after = _collapsed(text[end:last]).rstrip()
    return Mark(before, row["text"], after, _title(row))


def _collapsed(text: str) -> str:
    """Every run of white space as one space (text that has none but single spaces, as it is: no regex)."""
    # Every character \s matches but the space is unprintable, so printable text without two spaces has none.
    if "  " not in text and text.isprintable():
        return text
    return _SPACE.sub(" ", text)


def _mark_in_sentence(row: Mapping, nth: int) -> Mark:
    """The claim's words found in its `sentence` column (the nth match, whole words first)."""
    sentence, words = row["sentence"] or "", row["text"] or ""
    wanted = _SPACE.sub(" ", words).strip()
    found = _occurrences(sentence, wanted)
    matches = [at for at in found if _whole(sentence, at, at + len(wanted))] or found
    if not matches:
        return Mark("", words, sentence, _title(row), found=False)
    at = matches[min(nth, len(matches) - 1)]
    return Mark(sentence[:at], words, sentence[at + len(wanted) :], _title(row))


def _occurrences(text: str, wanted: str) -> list[int]:
    """Every place `wanted` starts in `text` (none for empty words)."""
    places, at = [], text.find(wanted) if wanted else -1
    while at >= 0:
        places.append(at)
        at = text.find(wanted, at + 1)
    return places


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of a longer word or number ("10" in "100" is not)."""
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def _safe_url(url: str) -> str:
    """A manifest URL fit to be a link (http or https), else "" (a javascript: URL is never a link)."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in ("http", "https") else ""


@functools.cache
def _moment(published: str) -> tuple[int, str]:
    """A sort key for publication order: UTC where a time and offset are given; undated sources last."""
    if not published:
        return 1, ""
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return 0, published  # a partial date ("2024-01") sorts by its text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return 0, moment.isoformat()


# --- facts --------------------------------------------------------------------------------------------


def _fact_view(fact: Mapping, claims: list[ClaimView], units: Units) -> FactView:
    """A facts row with its claims, its figures written out, and a timeline when it evolved."""
    unit = fact["unit"] or ""
    dated = fact["kind"] == Kind.DATE
    return FactView(
        fact_id=fact["fact_id"],
        story=fact["story"] or "",
        kind=fact["kind"] or "",
        measure=fact["measure"] or "",
        subject=fact["subject_key"] or "",
        event_date=fact["event_date"] or "",
        verdict=fact["verdict"],
        note=fact["note"] or "",
        low="" if dated else _figure(fact["low"], unit, "open"),
        best=fact["event_date"] or "" if dated else _figure(fact["best"], unit, ""),
        high="" if dated else _figure(fact["high"], unit, "no upper bound"),
        how_best=_how_best(fact, claims),
        sources=fact["sources"] or 0,
        independent=fact["independent"] or 0,
        claims=tuple(claims),
        outlets=" " + " ".join(str(n) for n in sorted({c.outlet_index for c in claims})) + " ",
        timeline=_timeline(claims, unit, units) if fact["verdict"] == Verdict.EVOLVING else None,
    )


def _how_best(fact: Mapping, claims: list[ClaimView]) -> str:
    """How `best` was chosen, in plain words (README, "How best is chosen")."""
    if fact["kind"] == Kind.DATE:
        return "the day the sources give"
    if fact["best"] is None:
        return "no figure to choose (only denials or open figures)"
    if fact["verdict"] == Verdict.EVOLVING:
        latest = max((c.as_of for c in claims if c.as_of and not c.denied), default="")
        return f"the latest figure, as of {latest}" if latest else "the latest figure"
    if fact["verdict"] == Verdict.SINGLE:
        return "the one source's figure"
    return "the value most independent sources allow (copies counted once, denials never)"


@functools.cache
def _story_key(story: str) -> tuple:
    """Story ids in natural order: S2 before S10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", story))


def _stories(facts: list[FactView], headlines: Mapping[str, str]) -> list[StoryView]:
    """Multi-source facts grouped by story: stories with the gravest verdict first, conflicts first within."""
    rank = {verdict: number for number, verdict in enumerate(VERDICTS)}
    grouped: dict[str, list[FactView]] = {}
    for fact in facts:
        grouped.setdefault(fact.story, []).append(fact)
    for members in grouped.values():
        members.sort(key=lambda f: (rank.get(f.verdict, len(rank)), f.measure == "", f.measure, f.fact_id))
    order = sorted(grouped, key=lambda s: (rank.get(grouped[s][0].verdict, len(rank)), _story_key(s)))
    return [StoryView(story, headlines.get(story, ""), tuple(grouped[story])) for story in order]


class FactViews:
    """The facts as the page shows them, built a story at a time as the page is written: `stories` the
    multi-source facts story by story (in `_stories`' order), `singles` the single-source facts sorted by
    story, measure, kind, event date and id. Both can be walked again (the page is rendered anew each time)."""

    def __init__(
        self,
        facts: pl.DataFrame,
        claims: pl.DataFrame,
        corpus: Corpus | None,
        outlets: Mapping[str, int],
        written: Mapping[str, str],
        units: Units,
        headlines: Mapping[str, str],
    ) -> None:
        self.facts, self.units, self.headlines = facts, units, headlines
        rank = {verdict: number for number, verdict in enumerate(VERDICTS)}
        gravest: dict[str, int] = {}  # story -> the gravest verdict of its multi-source facts
        keys: dict[tuple, set[str]] = {}  # a story key -> the stories of single-source facts with it
        self.rows: dict[str, list[int]] = {}  # group ("m" or "s", then the story) -> its facts' rows
        group_of: dict[str, str] = {}
        for number, (fact_id, story, verdict) in enumerate(facts.select("fact_id", "story", "verdict").iter_rows()):
            story = story or ""
            if verdict == Verdict.SINGLE:
                keys.setdefault(_story_key(story), set()).add(story)
                group = "s" + story
            else:
                gravest[story] = min(gravest.get(story, len(rank)), rank.get(verdict, len(rank)))
                group = "m" + story
            group_of[fact_id] = group
            self.rows.setdefault(group, []).append(number)
        self.order = sorted(gravest, key=lambda s: (gravest[s], _story_key(s), s))
        self.single_keys = [sorted(keys[key]) for key in sorted(keys)]
        self.single_count = sum(len(rows) for group, rows in self.rows.items() if group.startswith("s"))
        self.claims = Claims(claims, corpus, outlets, written, group_of)

    def _built(self, groups: list[str]) -> list[FactView]:
        """The fact views of some groups, their claims' views built now."""
        views: dict[str, list[ClaimView]] = {}
        rows: list[int] = []
        for group in groups:
            views.update(self.claims.views(group))
            rows.extend(self.rows.get(group, ()))
        facts = self.facts[pl.Series(rows, dtype=pl.UInt32)].iter_rows(named=True)
        return [_fact_view(fact, views.get(fact["fact_id"], []), self.units) for fact in facts]

    def stories(self) -> _Stories:
        """The multi-source facts, story by story (see `_stories`)."""
        return _Stories(self)

    def singles(self) -> _Singles:
        """The single-source facts, in the page's order."""
        return _Singles(self)


@dataclass(frozen=True)
class _Stories:
    """The multi-source facts story by story, each story's views built when it is reached."""

    views: FactViews

    def __bool__(self) -> bool:
        return bool(self.views.order)

    def __iter__(self):
        for story in self.views.order:
            yield from _stories(self.views._built(["m" + story]), self.views.headlines)


@dataclass(frozen=True)
class _Singles:
    """The single-source facts in the page's order, each story's views built when it is reached."""

    views: FactViews

    def __len__(self) -> int:
        return self.views.single_count

    def __iter__(self):
        for stories in self.views.single_keys:
            yield from sorted(
                self.views._built(["s" + story for story in stories]),
                key=lambda f: (f.measure == "", f.measure, f.kind, f.event_date, f.fact_id),
            )


def _headlines(claims: pl.DataFrame, corpus: Corpus | None) -> dict[str, str]:
    """Story id -> the headline of its earliest article (publication order, then source id)."""
    found: list[tuple] = []
    if corpus is not None:
        for doc in corpus.outlines():
            for article in doc.articles:
                found.append((article.story, _moment(article.published), doc.source.source_id, article.headline))
    else:
        for row in claims.select("story", "published", "source", "headline").unique().iter_rows(named=True):
            found.append((row["story"], _moment(row["published"] or ""), row["source"], row["headline"] or ""))
    headlines: dict[str, str] = {}
    for story, _, _, headline in sorted(found):
        if story and headline:
            headlines.setdefault(story, headline)
    return headlines


# --- summary and sources ------------------------------------------------------------------------------


def _summary(claims: pl.DataFrame, facts: pl.DataFrame, corpus: Corpus | None, outlets: list[str]) -> dict:
    """The counts the page opens with: pages, outlets, stories, claims, and facts by verdict."""
    counts = dict(facts.group_by("verdict").len().iter_rows()) if facts.height else {}
    if corpus is not None:
        pages = len(corpus.outlines())
        stories = {a.story for d in corpus.outlines() for a in d.articles if a.story}
    else:
        pages = claims["file"].n_unique() if claims.height else 0
        stories = set(claims["story"].unique().to_list()) - {"", None} if claims.height else set()
    return {
        "pages": pages,
        "outlets": len(outlets),
        "stories": len(stories),
        "claims": claims.height,
        "facts": facts.height,
        "multi": facts.height - counts.get(Verdict.SINGLE, 0),
        "verdicts": {verdict: counts.get(verdict, 0) for verdict in VERDICTS},
    }


def _sources(claims: pl.DataFrame, corpus: Corpus | None) -> list[SourceView]:
    """The sources panel: one row per source, from the corpus (or, without it, from the claims table)."""
    counts = dict(claims.group_by("source").len().iter_rows()) if claims.height else {}
    copies = _copies(claims, corpus)
    copy_of: dict[str, set[str]] = {}
    copied_by: dict[str, set[str]] = {}
    for copy, original in copies.items():
        copy_of.setdefault(copy.split("#")[0], set()).add(original)
        copied_by.setdefault(original, set()).add(copy.split("#")[0])
    rows = [_document_source(doc) for doc in corpus.outlines()] if corpus is not None else _claim_sources(claims)
    names = {row["source"]: row["outlet"] for row in rows}
    return [
        SourceView(
            **row,
            copy_of=", ".join(names.get(s, s) for s in sorted(copy_of.get(row["source"], ()))),
            copied_by=", ".join(names.get(s, s) for s in sorted(copied_by.get(row["source"], ()))),
            claims=counts.get(row["source"], 0),
        )
        for row in rows
    ]


def _document_source(doc) -> dict:
    """A document's row of the sources panel (its first dated article's date and where it came from)."""
    dated = next((a for a in doc.articles if a.published), doc.articles[0] if doc.articles else None)
    return {
        "source": doc.source.source_id,
        "outlet": doc.source.outlet or doc.source.source_id,
        "url": _safe_url(doc.source.url),
        "published": dated.published if dated else "",
        "published_from": dated.published_from if dated else "",
        "articles": len(doc.articles),
        "stories": ", ".join(sorted({a.story for a in doc.articles if a.story}, key=_story_key)),
    }


def _claim_sources(claims: pl.DataFrame) -> list[dict]:
    """Sources panel rows from a claims table alone (audit reconcile): what its columns say."""
    rows = []
    for source, group in sorted(claims.group_by("source"), key=lambda pair: pair[0][0]):
        first = group.sort("article", "char_start").row(0, named=True)
        published = sorted(p for p in group["published"].drop_nulls().unique().to_list() if p)
        rows.append(
            {
                "source": source[0],
                "outlet": _outlet(first),
                "url": _safe_url(first["url"] or ""),
                "published": published[0] if published else "",
                "published_from": "claims table" if published else "",
                "articles": group["article"].n_unique(),
                "stories": ", ".join(sorted(set(group["story"].drop_nulls().to_list()) - {""}, key=_story_key)),
            }
        )
    return rows
