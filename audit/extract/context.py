"""What extraction shares: an article's dates and blocked spans (Context), a sentence's cues, denials, dates and
event words (SentenceInfo), each found once.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from audit.dates import find_dates
from audit.extract.quantities import NamedAge, SpanSet, noise_spans, read_ages
from audit.model import Article, DateMention, Document
from audit.rules import RuleSet


@dataclass(frozen=True)
class Context:
    """Everything one article's extraction needs, computed once per article."""

    document: Document
    article: Article
    mentions: tuple[DateMention, ...]
    blocked: tuple[tuple[int, int], ...]  # noise spans and date spans, sorted: numbers inside are no claims
    blocked_starts: tuple[int, ...] = ()
    longest_blocked: int = 0
    mention_starts: tuple[int, ...] = ()
    ages: SpanSet | None = None  # where the age rules found an age: numbers there count nothing
    noise: SpanSet | None = None  # where the noise rules matched: no duration either ("17:06 hours")
    named_ages: tuple[NamedAge, ...] = ()  # the ages of named people ("Reid, 33,"): rows of their own

    def named_age(self, start: int, end: int) -> NamedAge | None:
        """The named age whose span holds start..end, if any."""
        at = bisect.bisect_right(self.named_ages, start, key=lambda a: a.start)  # sorted by start
        return next((a for a in reversed(self.named_ages[max(0, at - 2) : at]) if end <= a.end), None)

    def noise_at(self, span: tuple[int, int]) -> bool:
        """Whether a span overlaps a noise span."""
        return self.noise is not None and self.noise.overlaps(span)

    def blocked_in(self, s: int, e: int) -> tuple[tuple[int, int], ...]:
        """The blocked spans that overlap s..e (found by bisection: long pages have thousands)."""
        lo = bisect.bisect_left(self.blocked_starts, s - self.longest_blocked)
        hi = bisect.bisect_left(self.blocked_starts, e)
        return tuple(b for b in self.blocked[lo:hi] if b[0] < e and s < b[1])


def make_context(document: Document, article: Article, rules: RuleSet, matchers=None) -> Context:
    """An article's dates and blocked spans, sorted for bisection (`matchers`: the rules' compiled Matchers,
    whose guarded noise and age patterns are the fast way to the same spans)."""
    mentions = tuple(find_dates(document, article, rules))
    noise = noise_spans(document.text, article.body, rules, matchers.noise if matchers else None)
    spans = [*noise, *((d.start, d.end) for d in mentions)]
    blocked = tuple(sorted(spans))
    ages, named = read_ages(document.text, article.body, rules, matchers.ages if matchers else None)
    return Context(
        document,
        article,
        mentions,
        blocked,
        tuple(b[0] for b in blocked),
        max((b[1] - b[0] for b in blocked), default=0),
        tuple(d.start for d in mentions),
        SpanSet(ages),
        SpanSet(noise),
        tuple(named),
    )


@dataclass(frozen=True)
class SentenceInfo:
    """What every claim of a sentence shares: its span, text, speakers, denials, event date."""

    start: int
    end: int
    sentence: str
    cues: list
    denials: list
    mentions: tuple[DateMention, ...]
    events: tuple[tuple[str, list[int], list[tuple[int, int]]], ...] = ()  # event words, found once
    longest_event: int = 0
    dates: tuple[DateMention, ...] = ()  # the sentence's dates (not durations), sorted by start
    date_starts: tuple[int, ...] = ()
    longest_date: int = 0
