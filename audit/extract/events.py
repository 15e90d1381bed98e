"""Events: what a duration or a date measures (`rules/events.toml`): "a 10-day pause", "paused on January 5"
(`<event>_start`), "resumed on March 2" (`<event>_end`).
"""

from __future__ import annotations

import bisect
import re

from audit.extract.context import SentenceInfo
from audit.extract.matchers import Matchers
from audit.model import DateMention


def _duration_event(text: str, start: int, end: int, s: int, e: int, m: Matchers) -> str:
    """The event a duration measures: an event noun right after it ("10-day pause") or before "of" ("pause of")."""
    after = text[end : min(e, end + 25)]
    before = text[max(s, start - 25) : start]
    for rule, nouns, _, _ in m.events:
        found = nouns.search(after)
        if found and not re.search(r"[.;,]", after[: found.start()]):
            return rule.id
        if any(re.search(r"\bof\s*$", before[f.end() :]) for f in nouns.finditer(before)):
            return rule.id
    return ""


def _event_words(text: str, s: int, e: int, m: Matchers) -> tuple[tuple[str, list[int], list[tuple[int, int]]], ...]:
    """The event start and end words of a sentence, found once: (label, starts, spans) in rule order."""
    out = []
    for rule, _, starts, ends in m.events:
        for suffix, words in (("start", starts), ("end", ends)):
            spans = [f.span() for f in words.finditer(text, s, e)] if words else []
            out.append((f"{rule.id}_{suffix}", [a for a, _ in spans], spans))
    return tuple(out)


def _sentence_events(text: str, s: int, e: int, mentions: tuple[DateMention, ...], m: Matchers) -> tuple:
    """The sentence's event words and dates (with the longest of each), when it has a date to give them to."""
    dates = tuple(sorted((d for d in mentions if d.kind == "date"), key=lambda d: d.start))
    if not dates:
        return (), 0, (), (), 0
    events = _event_words(text, s, e, m)
    longest = max((b - a for _, _, spans in events for a, b in spans), default=0)
    return events, longest, dates, tuple(d.start for d in dates), max(d.end - d.start for d in dates)


def _date_event(mention: DateMention, info: SentenceInfo, m: Matchers) -> str:
    """`<event>_start` or `<event>_end` when the nearest event word of the date's sentence says so, else ''.

    Each event word dates itself by the nearest date of its sentence ("active since 2014, said on January 5
    that it was pausing": the pausing is January 5's), and the day something was said takes only a word
    that follows it closely ("said on January 5 that it was pausing", not "resumed ..., officials said Thursday").
    Only words within the event window are looked at (by bisection: a long sentence may hold hundreds of dates).
    """
    said = mention.role == "said"
    best: tuple[int, str] | None = None
    for label, starts, spans in info.events:
        # a word starting earlier than this ends before the window (no word is longer than the longest)
        lo = bisect.bisect_left(starts, mention.start - m.event_window - info.longest_event)
        hi = bisect.bisect_right(starts, mention.end + m.event_window)
        for span in spans[lo:hi]:
            distance = _gap(mention, span)
            if said and not 0 <= span[0] - mention.end <= m.said_window:
                continue
            if distance > m.event_window or _nearer_date(info, mention, span, distance):
                continue
            if best is None or distance < best[0]:
                best = (distance, label)
    return best[1] if best else ""


def _nearer_date(info: SentenceInfo, mention: DateMention, span: tuple[int, int], distance: int) -> bool:
    """Whether another date of the sentence stands nearer to an event word than `distance`."""
    lo = bisect.bisect_left(info.date_starts, span[0] - distance - info.longest_date)
    hi = bisect.bisect_left(info.date_starts, span[1] + distance)
    return any(d is not mention and _gap(d, span) < distance for d in info.dates[lo:hi])


def _gap(mention: DateMention, span: tuple[int, int]) -> int:
    """Characters between a date mention and a span (0 when they touch or overlap)."""
    return max(0, span[0] - mention.end, mention.start - span[1])
