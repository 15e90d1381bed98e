"""Event dates carried across sentences: a figure whose own sentence dates nothing takes the event of the
sentence it continues.

Two cases, one mechanism (the event date of the sentence read before, as `audit.dates.event_context` finds it):
- the headline is read like the lede: "Strong Storm in Chile Kills 6" is about the event of the lede
  below it ("A strong storm hit central Chile on Sunday, killing 6 people");
- a sentence that opens by pointing back ("It killed 612 people", "That temblor injured almost 50", "The same
  quake ...") is about the event the sentence before it dated ("The last major quake ... was in February").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from audit.dates import event_context
from audit.model import Claim, DateMention

# Words a sentence opens with when it goes on about the thing the sentence before named.
_POINTS_BACK = re.compile(
    r"[\"'“‘(\s]*(?:It|They|(?:That|This|The\s+same|Those|These)\s+[a-z]+)\b(?!\s+(?:is|was)\s+(?:not\s+)?(?:the\s+)?"
    r"(?:first|second|third|last|latest|worst|biggest|largest|deadliest)\b)"
)


def sentence_event(mentions: Sequence[DateMention], span: tuple[int, int]) -> tuple[str, str]:
    """The event date (first, last day) a sentence's own dates give, nearest its start; ("", "") for none."""
    date, date_end, _ = event_context(mentions, span, (span[0], span[0]))
    return date, date_end


def carry_events(
    text: str,
    spans: Sequence[tuple[int, int]],
    claims_by_span: Sequence[list[Claim]],
    mentions: Sequence[DateMention],
    headline: tuple[int, int] | None,
) -> list[Claim]:
    """The claims of an article's sentences (`spans` in order, `claims_by_span` beside them), each undated
    figure given the event of the sentence it continues (see the module docstring); `mentions` sorted by start."""
    out: list[Claim] = []
    starts = [m.start for m in mentions]  # sorted: each sentence reads its own dates, not the article's
    events = [
        sentence_event(mentions[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)], (s, e))
        for s, e in spans
    ]
    for n, claims in enumerate(claims_by_span):
        source = _continued(text, spans, n, headline)
        date, date_end = events[source] if source is not None else ("", "")
        if not date and not date_end or events[n] != ("", ""):
            out.extend(claims)
            continue
        out.extend(
            replace(c, date=date, date_end=date_end) if c.kind != "date" and not c.date and not c.date_end else c
            for c in claims
        )
    return out


def _continued(text: str, spans: Sequence[tuple[int, int]], n: int, headline: tuple[int, int] | None) -> int | None:
    """Which sentence the n-th continues: the lede for a headline sentence, the one before for a sentence that
    points back; None for others."""
    start, end = spans[n]
    if headline is not None and headline[0] <= start and end <= headline[1]:
        lede = next((k for k, (s, _) in enumerate(spans) if s >= headline[1]), None)
        return lede
    if n > 0 and (headline is None or spans[n - 1][0] >= headline[1]) and _POINTS_BACK.match(text, start, end):
        return n - 1
    return None
