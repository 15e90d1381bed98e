"""The data that flows between pipeline stages: plain frozen dataclasses, one direction.

ingest -> Corpus(Document(Article)) -> dates -> DateMention -> extract -> Claim -> (polars) -> reconcile
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: The columns of claims.csv, in order (../shared/design.md). Other programs rely on them.
CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "file",
    "source",
    "outlet",
    "url",
    "published",
    "article",
    "headline",
    "story",
    "kind",
    "measure",
    "subject",
    "subject_key",
    "value",
    "low",
    "high",
    "hedge",
    "unit",
    "timex",
    "date",
    "date_end",
    "as_of",
    "polarity",
    "speaker",
    "text",
    "sentence",
    "char_start",
    "char_end",
    "rule",
    "fact_id",
)

#: The columns of facts.csv, in order.
FACT_COLUMNS: tuple[str, ...] = (
    "fact_id",
    "story",
    "kind",
    "measure",
    "subject_key",
    "unit",
    "event_date",
    "claims",
    "sources",
    "independent",
    "low",
    "best",
    "high",
    "values",
    "verdict",
    "note",
)


class Kind(StrEnum):
    """What a claim states (claims.csv `kind`)."""

    COUNT = "count"  # 50 troops
    AMOUNT = "amount"  # 10 million litres, $2.3bn, 61%
    DATE = "date"
    DURATION = "duration"  # a 10-day pause


class HedgeKind(StrEnum):
    """How the wording bounds a figure (claims.csv `hedge`); the interval each implies is rules data."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    ABOUT = "about"
    NEARLY = "nearly"
    RANGE = "range"
    VAGUE = "vague"


class Polarity(StrEnum):
    """Whether the text asserts a figure, negates it ("no fatalities") or reports a denial of it."""

    ASSERTED = "asserted"
    NEGATED = "negated"
    DENIED = "denied"


class Verdict(StrEnum):
    """What the sources together say of a fact (facts.csv `verdict`), in the order the screen lists them."""

    CONFLICT = "conflict"
    EVOLVING = "evolving"
    COMPATIBLE = "compatible"
    AGREE = "agree"
    SINGLE = "single"


HEDGES: tuple[str, ...] = tuple(h.value for h in HedgeKind)
VERDICTS: tuple[str, ...] = tuple(v.value for v in Verdict)


@dataclass(frozen=True, order=True)
class ArticleRef:
    """One article across the corpus: its source id and 1-based index, written "<source>#<index>"."""

    source: str
    article: int

    @property
    def key(self) -> str:
        """The written form, as in `Article.copy_of` and the copies maps: "<source>#<index>"."""
        return f"{self.source}#{self.article}"

    @classmethod
    def parse(cls, key: str) -> ArticleRef:
        """Read "<source>#<index>" back (a source id may itself hold "#": the index is after the last)."""
        source, _, index = key.rpartition("#")
        return cls(source, int(index))


@dataclass(frozen=True)
class Source:
    """One file of the corpus and what the manifest says of it."""

    file: str
    source_id: str
    outlet: str = ""
    url: str = ""
    published: str = ""  # ISO 8601 date, datetime with offset, or partial ("2024-01"), from the manifest
    timezone: str = ""  # IANA zone name, e.g. "Asia/Kolkata"


@dataclass(frozen=True)
class Article:
    """One story on a page: its headline and the spans of clean body text, as offsets into the file."""

    index: int  # 1-based within the file
    headline: str
    start: int
    end: int
    body: tuple[tuple[int, int], ...]  # kept text spans (boilerplate removed), sorted, within start..end
    sentences: tuple[tuple[int, int], ...] = ()  # sentence spans within the body, sorted
    published: str = ""  # ISO date/datetime used for this article, "" when unknown
    published_from: str = ""  # where the date came from: "manifest", "page: Updated line", ...
    story: str = ""  # story cluster id across sources
    copy_of: str = ""  # "<source id>#<index>" of the article this one copies (shared text), "" if none


@dataclass(frozen=True)
class Document:
    """A decoded file: its exact text (all offsets point into it) and the articles found in it."""

    source: Source
    text: str
    articles: tuple[Article, ...]
    warnings: tuple[str, ...] = ()
    #: What story grouping reads in each article (audit.link.stories.article_features), worked out where the
    #: page was read (a worker process) so the main process need not; dropped once stories are assigned.
    features: tuple[Any, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Corpus:
    """Everything ingest read from a folder."""

    folder: str
    documents: Sequence[Document]  # a tuple, or a run's pages read back as asked for (audit.run.pages)
    #: source id -> id of the source whose text it copies (only copies appear as keys)
    copies: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def outlines(self) -> Sequence[Document]:
        """Every document as lists and counts read it (its source, its articles' headlines, dates, stories and
        copies): where the pages wait on disk (audit.run.spill), without their texts, none read back."""
        return getattr(self.documents, "outlines", self.documents)

    def article_copies(self) -> dict[str, str]:
        """Each copied article ("source#article") and the article it copies: what the reconciler counts once."""
        return {
            ArticleRef(doc.source.source_id, article.index).key: article.copy_of
            for doc in self.outlines()
            for article in doc.articles
            if article.copy_of
        }


@dataclass(frozen=True)
class DateMention:
    """A date or duration found in an article's text, resolved against its publication date."""

    start: int
    end: int
    text: str
    kind: str  # "date" or "duration"
    timex: str  # TIMEX3 value: 2020-01-08, 2019-12, XXXX-01-10, P10D ...
    date: str = ""  # first day (ISO) for dates, "" when unresolved
    date_end: str = ""  # last day (ISO) for dates
    value: float | None = None  # durations: amount in `unit`
    low: float | None = None
    high: float | None = None
    unit: str = ""  # durations: day, week, month, year, hour ...
    hedge: str = "exact"
    anchor: str = ""  # "since", "until", "as_of", "before", "after" or ""
    rule: str = ""
    mod: str = ""  # TIMEX3 mod of early/mid/late: "START", "MID", "END" (date..date_end already cut)
    note: str = ""  # why a date is unresolved or doubtful: "impossible date ...", "two-digit year ..."
    vague: bool = False  # no checkable value: PRESENT_REF, PAST_REF, "for years" (PXY)
    role: str = ""  # what the date is to its sentence's figures: "as_of", "said" (day of a statement) or ""


@dataclass(frozen=True, slots=True)
class Claim:
    """One row of claims.csv (fact_id is filled by the reconciler)."""

    claim_id: str
    file: str
    source: str
    outlet: str
    url: str
    published: str
    article: int
    headline: str
    story: str
    kind: str
    measure: str
    subject: str
    subject_key: str
    value: float | None
    low: float | None
    high: float | None
    hedge: str
    unit: str
    timex: str
    date: str
    date_end: str
    as_of: str
    polarity: str
    speaker: str
    text: str
    sentence: str
    char_start: int
    char_end: int
    rule: str
    fact_id: str = ""
    whole: float | None = None  # partitives: "two of the three injured troops" -> 3 (not a claims.csv column)
    trend: str = ""  # "up" / "down" when the number states a change ("rose 5%"); not a claims.csv column
