"""Finding dates in text: every shape's matches (near their `near` words), the longest of overlapping ones,
each resolved with the words just before it (modifiers early/mid/late, anchors since/until, hedges) and
its role in the sentence; then the event date and as-of day of a figure from the dates of its sentence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from audit.dates.periods import Base, Period, _cut, _parse_published, _shift_day
from audit.dates.resolvers import Reading, Resolved, _resolver, resolve
from audit.dates.vocabulary import NEAR, Vocabulary, vocabulary
from audit.dates.words import _groups
from audit.model import Article, DateMention, Document
from audit.rules import Rule, RuleSet
from audit.text.literals import literals_of, lowered_text, may_match


def _mention_span(match: re.Match[str]) -> tuple[int, int]:
    """The words a match keeps: its `mention` group (mention2, ...) where one matched, else all of it."""
    for name in match.re.groupindex:
        if name.rstrip("0123456789") == "mention" and match.group(name) is not None:
            return match.span(name)
    return match.span()


def _windows(
    text: str, start: int, end: int, near: re.Pattern[str] | None, vocab: Vocabulary, lowered: list | None = None
) -> list[tuple[int, int]]:
    """Where in start..end a shape can match: within NEAR characters of its `near` words (merged); none,
    without a scan, when the span holds none of the words every near match holds (audit.text.literals;
    `lowered` keeps the span lower-cased for the next near pattern)."""
    if near is None:
        return [(start, end)]
    literals = vocab.near_literals.get(near.pattern, ())
    if literals:
        if lowered is None:
            lowered = []
        if not lowered:
            lowered.append(lowered_text(text, start, end))
        if not may_match(literals, lowered[0]):
            return []
    chain = vocab.near_chains.get(near.pattern)
    if chain is not None:  # windows that would merge come as one match
        return [(max(start, c.start() - NEAR), min(end, c.end() + NEAR)) for c in chain.finditer(text, start, end)]
    return loop_windows(text, start, end, near)


def loop_windows(text: str, start: int, end: int, near: re.Pattern[str]) -> list[tuple[int, int]]:
    """The windows of `_windows` from a loop over every match of the near pattern (patterns with no chain)."""
    windows: list[tuple[int, int]] = []
    for found in near.finditer(text, start, end):
        s, e = max(start, found.start() - NEAR), min(end, found.end() + NEAR)
        if windows and s <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], e))
        else:
            windows.append((s, e))
    return windows


def _candidates(text: str, spans: Iterable[tuple[int, int]], rules: RuleSet, use_near: bool = True) -> list:
    """Every shape match, then the longest of overlapping ones: (start, end, order, rule, match, span)."""
    found = []
    shapes = rules.rules("dates", "shape")
    vocab = vocabulary(rules)
    for start, end in spans:
        seen_windows: dict[str, list[tuple[int, int]]] = {}
        lowered: list[str | None] = []  # the span lower-cased, made when a near pattern first asks
        for order, rule in enumerate(shapes):
            pattern, near = vocab.shapes[rule.id]
            near = near if use_near else None
            key = near.pattern if near is not None else ""
            if key not in seen_windows:
                seen_windows[key] = _windows(text, start, end, near, vocab, lowered)
            windows = seen_windows[key]
            if windows and literals_of(pattern):  # the shape's own words absent from the span: no scan
                if not lowered:
                    lowered.append(lowered_text(text, start, end))
                if not may_match(literals_of(pattern), lowered[0]):
                    continue
            last_end = -1
            for ws, we in windows:
                for match in pattern.finditer(text, ws, we):
                    if match.start() < last_end:
                        continue  # windows are disjoint, but keep matches in order
                    last_end = match.end()
                    s, e = _mention_span(match)
                    if e > s:
                        found.append((s, e, order, rule, match, start, end))
    found.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    kept: list = []
    taken = _Taken()
    for c in found:
        if taken.overlaps(c[0], c[1]):
            continue  # a longer (or earlier) shape already holds these words
        taken.add(c[0], c[1])
        kept.append(c)
    return sorted(kept, key=lambda c: (c[0], c[1]))


class _Taken:
    """Disjoint spans kept sorted: whether a new span overlaps one is a bisection, not a scan of them all
    (a page dense with dates has tens of thousands)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether start..end overlaps a kept span (the one starting last before `end` is the only one that may:
        the spans are disjoint, so their ends are in the order of their starts)."""
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        """Keep a span that overlaps none kept."""
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _future(text: str, start: int, limit: int, vocab: Vocabulary) -> bool:
    """Whether the clause before a mention speaks of the future ("will meet on Monday")."""
    if vocab.future is None:
        return False
    clause = _sentence_start(text, start, limit)
    cut = max((m.end() for m in re.finditer(r"[,;:()—–]|\s-\s", text[clause:start])), default=0)
    return vocab.future.search(text, clause + cut, start) is not None


def _sentence_start(text: str, start: int, limit: int) -> int:
    """Where the sentence holding `start` begins (a rough cut: after . ! ? or a blank line)."""
    window = max(limit, start - 300)
    cut = window
    for found in re.finditer(r"[.!?][\"'”’)]*\s+(?=[A-Z\"“‘'(])|\n\s*\n", text[window:start]):
        cut = window + found.end()
    return cut


def _sentence_end(text: str, end: int, limit: int) -> int:
    """Where the sentence holding `end` ends (same rough cut)."""
    found = re.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z\"“‘'(])|\n\s*\n").search(text, end, min(limit, end + 300))
    return found.start() + 1 if found else min(limit, end + 300)


def _modifier(text: str, start: int, limit: int, vocab: Vocabulary) -> tuple[int, Rule | None]:
    """An early/mid/late phrase ending just before `start`: where it starts and its rule."""
    found = vocab.modifier_re.search(text, max(limit, start - 30), start)
    if not found:
        return start, None
    return found.start(), vocab.modifiers.get(re.sub(r"\s+", " ", found.group("phrase").lower()))


def _anchor(text: str, start: int, limit: int, vocab: Vocabulary) -> str:
    """The anchor (since, until, as_of, before, after) whose words end just before `start`."""
    found = vocab.anchor_re.search(text, max(limit, start - 30), start)
    if not found:
        return ""
    rule = vocab.anchors.get(re.sub(r"\s+", " ", found.group("phrase").lower()))
    anchor = rule.get("anchor") if rule else ""
    if anchor in ("since", "until") and re.search(r"\bthe\s*$", found.group(), re.IGNORECASE):
        return ""  # "wounded by the Jan. 8 attack": the date names an event, not the end of a stretch
    return anchor


def _said(text: str, start: int, limit: int, vocab: Vocabulary) -> bool:
    """Whether a date is the day something was said ("officials said Monday")."""
    if vocab.speech is None:
        return False
    return vocab.speech.search(text, max(_sentence_start(text, start, limit), start - 60), start) is not None


def _role(text: str, start: int, end: int, limit: tuple[int, int], anchor: str, vocab: Vocabulary) -> str:
    """What a date is to the figures of its sentence: as_of, said (the day of a statement) or ""."""
    if anchor == "as_of":
        return "as_of"
    sentence_start = _sentence_start(text, start, limit[0])
    if _said(text, start, limit[0], vocab):
        return "said"
    if vocab.as_of and vocab.as_of.search(text, sentence_start, _sentence_end(text, end, limit[1])):
        return "as_of"
    return ""


def _mention(
    text: str, c, base: Base, vocab: Vocabulary, year_hint: str = "", last_day: dt.date | None = None
) -> DateMention:
    """Resolve one kept match into a DateMention (modifier, anchor, hedge included)."""
    start, end, _, rule, match, limit_start, limit_end = c
    g = _groups(match)
    name = _resolver(rule)
    if year_hint and _needs_year(g, name):
        g["year"] = year_hint  # the sentence names the year: "In 2014, on June 10, ..."
    if name == "duration":
        return _duration_mention(text, Reading(g, rule, base, vocab, match, text=text, start=start), end)
    future = False
    if name in ("calendar", "month", "weekday") and "offset" not in g and "year" not in g:
        future = _future(text, start, limit_start, vocab) and not _said(text, start, limit_start, vocab)
    try:
        r = resolve(name, Reading(g, rule, base, vocab, match, future, last_day, text, start))
    except (OverflowError, ValueError):  # beyond year 1 .. 9999 (a junk publication date or text)
        r = Resolved("", note="date out of range")
    if name == "shift" and match.start() == start:  # "nearly two years ago": the hedge of the stretch
        hedge = vocab.hedge_before(text, start)
        if hedge.rule is not None:
            start, r = hedge.start, replace(r, hedge=hedge.hedge)
    mod_rule = vocab.modifiers.get(re.sub(r"\s+", " ", g["mod"].lower())) if "mod" in g else None
    if mod_rule is None and name != "reference":
        start, mod_rule = _modifier(text, start, limit_start, vocab)
    first, last = r.first, r.last
    if mod_rule is not None and first is not None and last is not None and r.granularity != "day":
        period = Period(r.timex, first, last, r.granularity)
        first, last = _cut(period, mod_rule.get("first"), mod_rule.get("last"))
    anchor = _anchor(text, start, limit_start, vocab) if name != "reference" else ""
    date = first.isoformat() if first else ""
    date_end = last.isoformat() if last else ""
    if anchor == "since":
        date_end = ""
    elif anchor == "until":
        date = ""
    return DateMention(
        start, end, text[start:end], "date", r.timex, date, date_end, anchor=anchor, rule=rule.id,
        mod=mod_rule.get("mod") if mod_rule else "", note=r.note, vague=r.vague, hedge=r.hedge,
        role=_role(text, start, end, (limit_start, limit_end), anchor, vocab),
    )  # fmt: skip


def _duration_mention(text: str, reading: Reading, end: int) -> DateMention:
    """A duration match as a DateMention: its amount, unit, hedge and interval (and days, if it has them)."""
    try:
        d = resolve("duration", reading)
    except (OverflowError, ValueError):  # a stretch beyond the calendar's range
        d = resolve("duration", replace(reading, base=Base(None, None)))
    first, last = d.first.isoformat() if d.first else "", d.last.isoformat() if d.last else ""
    return DateMention(
        d.start, end, text[d.start : end], "duration", d.timex, first, last,
        value=d.value, low=d.low, high=d.high, unit=d.unit, hedge=d.hedge, rule=reading.rule.id, vague=d.vague,
    )  # fmt: skip


def find_in_spans(
    text: str, spans: Iterable[tuple[int, int]], published: str, rules: RuleSet, timezone: str = ""
) -> list[DateMention]:
    """Every date and duration in the given spans of `text`, resolved against `published` (may be "")."""
    base = _parse_published(published, timezone)
    vocab = vocabulary(rules)
    found = []
    hint, hint_at = "", -1  # the last year the text wrote out in full, and where
    last_day: dt.date | None = None  # the last single day the text named ("the next day" counts from it)
    for c in _candidates(text, spans, rules):
        same_sentence = hint_at >= _sentence_start(text, c[0], c[5])
        mention = _mention(text, c, base, vocab, hint if same_sentence else "", last_day)
        found.append(mention)
        if mention.kind == "date" and mention.date and mention.date == mention.date_end:
            last_day = dt.date.fromisoformat(mention.date)
        year = _groups(c[4]).get("year", "")
        # "since 2014" is an open interval up to now, not the time the sentence tells of
        if len(year) == 4 and _resolver(c[3]) in ("calendar", "month", "year") and not mention.anchor:
            hint, hint_at = year, c[0]
    return _anchored_shifts(text, sorted(found, key=lambda m: (m.start, m.end)), vocab)


# What may stand between a day and the stretch that counts from it: "on January 5, two days after ..."
# (punctuation, not words: mechanics that stay in code, as does the ISO day shape below)
SHIFT_GAP = re.compile(r"\s*,\s*")
DAY_TIMEX = re.compile(r"\d{4}-\d\d-\d\d")


def _anchored_shifts(text: str, mentions: list[DateMention], vocab: Vocabulary) -> list[DateMention]:
    """Exact stretches of days to years followed by a before/after [[anchor]] phrase, counted from a day.

    "two days after January 3" is the day two days after January 3; "on January 5, two days after a drone
    strike" dates the strike: two days before January 5. The mention ("two days after") becomes a date,
    the day it names; with no such day beside it the stretch stays a duration, as TimeML annotates "two
    years after his surgery" (P2Y).
    """
    out = list(mentions)
    for i, m in enumerate(mentions):
        if m.kind != "duration" or m.hedge != "exact" or m.value is None or m.date or m.vague:
            continue
        if m.unit not in ("day", "week", "month", "year") or vocab.lasting.search(text, max(0, m.start - 12), m.start):
            continue
        found = vocab.anchor_after_re.match(text, m.end)
        rule = vocab.anchors.get(re.sub(r"\s+", " ", found.group("phrase").lower())) if found else None
        direction = {"after": 1, "before": -1}.get(rule.get("anchor") if rule else "", 0)
        if not direction or round(m.value) != m.value:
            continue
        after = next((n for n in mentions[i + 1 :] if n.start >= found.end()), None)
        before = mentions[i - 1] if i else None
        if after is not None and after.start == found.end() and DAY_TIMEX.fullmatch(after.timex):
            anchor, step = after, direction  # the day N units after (before) the day that follows
        elif before and DAY_TIMEX.fullmatch(before.timex) and SHIFT_GAP.fullmatch(text[before.end : m.start]):
            anchor, step = before, -direction  # what follows "after" happened N units before the day named
        else:
            continue
        try:
            day = _shift_day(dt.date.fromisoformat(anchor.timex), m.unit, step * int(m.value))
        except (OverflowError, ValueError):
            continue
        end = found.end("phrase")
        out[i] = DateMention(
            m.start, end, text[m.start : end], "date", day.isoformat(), day.isoformat(), day.isoformat(),
            rule=f"{m.rule}+{rule.id}", note=f"counted from {anchor.timex} ({anchor.text})",
        )  # fmt: skip
    return out


def _needs_year(g: dict[str, str], name: str) -> bool:
    """Whether a match is a month (and day) without a year or an offset word."""
    return name in ("calendar", "month") and "month" in g and not any(k in g for k in ("year", "year_words", "offset"))


def find_dates(document: Document, article: Article, rules: RuleSet) -> list[DateMention]:
    """Every date and duration in an article's clean body, in the outlet's time zone."""
    return find_in_spans(document.text, article.body, article.published, rules, document.source.timezone)


# ---------------------------------------------------------------------------------------------
# Event date and as-of day of a figure
# ---------------------------------------------------------------------------------------------


def event_context(
    mentions: Sequence[DateMention], sentence_span: tuple[int, int], number_span: tuple[int, int]
) -> tuple[str, str, str]:
    """(date, date_end, as_of) of a figure from the dates of its sentence; as_of "" = the publication date.

    as_of: a date anchored "as of" or in a sentence that states a running figure ("the count had stood
    at 64 on Jan. 31"), else the day the figure was said ("said Thursday that 34 were hurt"). The event:
    the nearest other resolved date of the sentence ("Iran's Jan. 8 attack wounded 50"); an open
    interval for "since October 17" (date_end empty).
    """
    s, e = sentence_span
    inside = [m for m in mentions if m.kind == "date" and s <= m.start < e and not m.vague and (m.date or m.date_end)]
    stated = [m for m in inside if m.role == "as_of" and m.anchor != "since"]
    stated = stated or [m for m in inside if m.role == "said"]
    as_of_mention = min(stated, key=lambda m: (m.anchor != "as_of", _distance(m, number_span)), default=None)
    as_of = (as_of_mention.date_end or as_of_mention.date) if as_of_mention else ""
    events = [m for m in inside if m is not as_of_mention and m.role != "said"]
    if not events:
        return "", "", as_of
    event = min(events, key=lambda m: (_distance(m, number_span), m.start > number_span[0]))
    return event.date, event.date_end, as_of


def _distance(mention: DateMention, span: tuple[int, int]) -> int:
    """Characters between a mention and a span (0 when they touch or overlap)."""
    return max(0, mention.start - span[1], span[0] - mention.end)
