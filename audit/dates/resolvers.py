"""Resolvers: what a shape's match means, against the publication day (never today's).

Each shape of `rules/dates.toml` names its resolver (`resolve`); RESOLVERS maps that name to a function
from the match as read (a Reading) to a TIMEX3 value and the days it covers (a Resolved).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from audit.dates.periods import (
    SEASON_START,
    UNRESOLVED,
    Base,
    _add_months,
    _containing,
    _named,
    _nearest_day,
    _shift_day,
    _valid,
    century_period,
    day_period,
    decade_period,
    half_period,
    month_period,
    quarter_period,
    season_period,
    year_period,
)
from audit.dates.vocabulary import Vocabulary
from audit.dates.words import (
    WEEKDAYS,
    _counted_in,
    _day_number,
    _month_number,
    _more_steps,
    _number,
    _offset_of,
    _part_code,
    _read_day,
    _unit,
    _written,
    _year_text,
    parse_calendar,
)
from audit.hedges import EXACT, interval
from audit.rules import Rule


@dataclass(frozen=True)
class Reading:
    """A shape's match as its resolver reads it: the words, the rule, and what they count from."""

    groups: dict[str, str]  # the named groups that matched (see words._groups), a year hint included
    rule: Rule
    base: Base
    vocab: Vocabulary
    match: re.Match[str] | None = None
    future: bool = False  # the clause speaks of the future: "will meet on Monday"
    last_day: dt.date | None = None  # the last single day the text named before the match
    text: str = ""
    start: int = 0  # where the mention begins


@dataclass(frozen=True)
class Resolved:
    """What a resolver makes of a match: the value, the days, and anything worth a note."""

    timex: str
    first: dt.date | None = None
    last: dt.date | None = None
    granularity: str = "day"
    note: str = ""
    vague: bool = False
    hedge: str = "exact"
    # durations only: the amount in `unit`, its hedged interval, and where the mention starts (its hedge with it)
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    start: int = 0


# ---------------------------------------------------------------------------------------------
# Calendar days
# ---------------------------------------------------------------------------------------------


def _calendar(
    g: dict[str, str],
    base: Base,
    future: bool,
    vocab: Vocabulary,
    written: tuple[str, str, bool] | None = None,
) -> Resolved:
    """A calendar day from month/day/year (any may be missing) and an optional weekday check."""
    weekday = WEEKDAYS.index(g["weekday"].lower()[:3]) if "weekday" in g else None
    parsed_year, month, day, problem = _read_day(g, written, vocab.numbers)
    if problem:
        return Resolved("", note=problem)
    year_text = _year_text(g, base, vocab.window, vocab.numbers)
    if year_text and month is None:
        return Resolved("", note="a year without a month")
    if year_text and len(year_text) == 2:  # dateparser's century is a fixed window: the rules decide
        return Resolved(f"XX{year_text}-{month:02d}-{day:02d}", note=f"two-digit year '{year_text}' left unresolved")
    if year_text:
        # the year dateparser read where the words hold one, but for the century of a two-digit year (read
        # in window mode); else the year the sentence wrote out ("In 2014, on June 10")
        two_digit = len(g.get("year", "").lstrip("'")) == 2
        year = parsed_year if parsed_year is not None and not two_digit else int(year_text)
        if month is None or not _valid(year, month, day):
            return Resolved("", note=f"impossible date: {year_text}-{month}-{day}")
        found = dt.date(year, month, day)
        note = ""
        if weekday is not None and found.weekday() != weekday:  # dateparser ignores the weekday
            note = f"{g['weekday']} does not fall on {found.isoformat()}"
        if base.latest and found > base.latest:
            note = note or "after the publication date"
        return Resolved(found.isoformat(), found, found, note=note)
    # no year written: the latest such day on or before publication (dateparser would take the base's year)
    reference = base.day if future else base.latest
    if reference is None:
        pattern = f"XXXX-{month:02d}-{day:02d}" if month else f"XXXX-XX-{day:02d}"
        return Resolved(pattern, note="no publication date")
    found = _nearest_day(reference, month, day, weekday, forward=future)
    if found is None:
        return Resolved("", note="no such day near the publication date")
    return Resolved(found.isoformat(), found, found)


def _calendar_day(q: Reading) -> Resolved:
    """A calendar day as written ("Jan. 8", "1/30/2020"), or a day of an offset month ("the 25th of next month")."""
    if "offset" in q.groups:
        return _day_of_month(q)
    return _calendar(q.groups, q.base, q.future, q.vocab, _written(q.match, q.vocab.numbers))


def _day_range(q: Reading) -> Resolved:
    """Days d1-d2 of one month: both resolved as calendar days, in the first's year."""
    g, base, future, vocab, match = q.groups, q.base, q.future, q.vocab, q.match
    first = _calendar({**g, "day": g["day"]}, base, future, vocab, _written(match, vocab.numbers))
    if first.first is None:
        return first
    last = _calendar(
        {**g, "day": g["day_end"], "year": str(first.first.year)},
        base,
        future,
        vocab,
        _written(match, vocab.numbers, "day_end"),
    )
    if last.first is None or last.first < first.first:
        return Resolved("", note=last.note or "a range that ends before it starts")
    return Resolved(f"{first.timex}/{last.timex}", first.first, last.last)


def _day_of_month(q: Reading) -> Resolved:
    """A day of the month before/after publication's: the 20th of next month."""
    g, base = q.groups, q.base
    day = _day_number(g["day"], q.vocab.numbers)
    if base.day is None or day is None:
        return Resolved(f"XXXX-XX-{day or 0:02d}", note="no publication date")
    year, month = _add_months(base.day.year, base.day.month, _offset_of(g, q.rule, q.vocab) or 0)
    if not _valid(year, month, day):
        return Resolved("", note=f"impossible date: {year}-{month:02d}-{day:02d}")
    found = dt.date(year, month, day)
    return Resolved(found.isoformat(), found, found)


def _nth_weekday(q: Reading) -> Resolved:
    """The nth (or last) weekday of a month: the first Friday of July, the third Tuesday."""
    g, base = q.groups, q.base
    wanted = WEEKDAYS.index(g["weekday"].lower()[:3])
    nth_text = g["nth"].lower()
    ordinals = q.vocab.numbers.ordinals
    nth = -1 if nth_text == "last" else (int(nth_text[0]) if nth_text[0].isdigit() else ordinals[nth_text])
    if base.day is None and "year" not in g:
        return Resolved(f"XXXX-XX-WXX-{wanted + 1}-#{nth}", note="no publication date")
    if "month" in g:
        month = _month_number(g["month"]) or 1
        year = int(g["year"]) if "year" in g else None
        if year is None:
            assert base.day is not None
            year = base.day.year if month <= base.day.month else base.day.year - 1
    else:
        assert base.day is not None
        year, month = _add_months(base.day.year, base.day.month, _offset_of(g, q.rule, q.vocab) or 0)
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if dt.date(year, month, d).weekday() == wanted]
    if nth > len(days):
        return Resolved("", note=f"no {nth_text} {g['weekday']} in {year}-{month:02d}")
    found = dt.date(year, month, days[nth - 1 if nth > 0 else -1])
    return Resolved(found.isoformat(), found, found)


def _weekday(q: Reading) -> Resolved:
    """A weekday: the most recent on or before publication, or as last/this/next say."""
    g, rule, base, vocab = q.groups, q.rule, q.base, q.vocab
    wanted = WEEKDAYS.index(g["weekday"].lower()[:3])
    part = _part_code(g.get("part", ""), vocab)
    offset = _offset_of(g, rule, vocab) if "offset" in g else None
    if base.day is None:
        return Resolved(f"XXXX-WXX-{wanted + 1}{part}", note="no publication date")
    ref = base.day
    monday = ref - dt.timedelta(days=ref.weekday())
    if "number" in g:  # two Sundays from now
        count = int(_number(g["number"], vocab) or 1)
        day = ref + dt.timedelta(days=(wanted - ref.weekday() - 1) % 7 + 1 + 7 * (count - 1))
    elif rule.get("unit") == "week" or offset in (0, 1):
        day = monday + dt.timedelta(days=7 * (offset or 0) + wanted)
    elif offset == -1:
        day = ref - dt.timedelta(days=(ref.weekday() - wanted - 1) % 7 + 1)
    elif q.future:
        day = ref + dt.timedelta(days=(wanted - ref.weekday()) % 7)
    else:
        day = ref - dt.timedelta(days=(ref.weekday() - wanted) % 7)
    return Resolved(day.isoformat() + part, day, day)


def _narrative(q: Reading) -> Resolved:
    """The day after (before) the last day the text named, else after (before) publication."""
    side = q.groups.get("side", "").lower()
    step = -1 if side in ("previous", "preceding", "before", "earlier") else 0 if side == "same" else 1
    ref = q.last_day or q.base.day
    if ref is None:
        return Resolved("XXXX-XX-XX", note="no earlier day in the text and no publication date")
    day = ref + dt.timedelta(days=step)
    note = "" if q.last_day else "counted from the publication day"
    return Resolved(day.isoformat(), day, day, note=note)


# ---------------------------------------------------------------------------------------------
# Months, seasons, quarters, years and the periods around publication
# ---------------------------------------------------------------------------------------------


def _month(q: Reading) -> Resolved:
    """A named month, season or quarter, with a year or an offset word, or placed near publication."""
    g, rule, base, vocab, written = q.groups, q.rule, q.base, q.vocab, _written(q.match, q.vocab.numbers)
    offset = _offset_of(g, rule, vocab) if "offset" in g else None
    year_text = _year_text(g, base, vocab.window, vocab.numbers)
    if "season" in g:
        if g["season"].lower() not in vocab.seasons:  # a season word of [[unit]] without a `seasons` code
            return Resolved("", note=f"unknown season '{g['season']}'")
        code = vocab.seasons[g["season"].lower()]
        first_month = SEASON_START[code]
        make = partial(season_period, code=code, first_month=first_month)
        pattern, granularity = f"XXXX-{code}", "season"
    elif "half" in g:  # the second half of 2012: six months
        number = 1 if g["half"].lower() in ("first", "1st") else 2
        make = partial(half_period, half=number)
        pattern, granularity = f"XXXX-H{number}", "half"
    elif "quarter" in g or "quarter_n" in g:
        quarter = g.get("quarter") or g["quarter_n"]
        words = quarter[0] if quarter[0].isdigit() else quarter
        number = int(quarter) if quarter.isdigit() else _day_number(words, vocab.numbers)
        if not number or not 1 <= number <= 4:
            return Resolved("", note="no such quarter")
        make = partial(quarter_period, quarter=number)
        pattern, granularity = f"XXXX-Q{number}", "quarter"
    else:
        month = _month_number(g["month"])
        if month is None or not 1 <= month <= 12:
            return Resolved("", note="impossible month")
        make = partial(month_period, month=month)
        pattern, granularity = f"XXXX-{month:02d}", "month"
        if written is not None and written[2] and len(g.get("year", "")) == 4:  # December 2021, 11/2016
            parsed = parse_calendar(written[0], written[1], ("month", "year"))
            if parsed is None:
                return Resolved("", note=f"unreadable month: {written[0]}")
            period = month_period(parsed[0], parsed[1])
            return Resolved(period.timex, period.first, period.last, granularity)
    if year_text:
        if len(year_text) == 2:
            return Resolved(
                pattern.replace("XXXX", f"XX{year_text}"), note=f"two-digit year '{year_text}' left unresolved"
            )
        period = make(int(year_text))
    else:
        period = _named(make, offset, base, q.future)
        if period is None:
            return Resolved(pattern, granularity=granularity, note="no publication date")
    return Resolved(period.timex, period.first, period.last, granularity)


def _year(q: Reading) -> Resolved:
    """A year, decade or century as written."""
    g = q.groups
    if "decade" in g:
        period = decade_period(int(g["decade"]))
    elif "short_year" in g:
        period = year_period(int(g["century"]) * 100 + int(g["short_year"]))
    elif "century" in g:
        period = century_period((int(g["century"]) - 1) * 100)
    else:
        period = year_period(int(g["year"]))
    return Resolved(period.timex, period.first, period.last, period.granularity)


def _period(q: Reading) -> Resolved:
    """The day/week/month/year ... containing publication, moved by the offset."""
    g, rule, base, vocab = q.groups, q.rule, q.base, q.vocab
    unit, _ = _unit(g, rule, vocab)
    offset = _offset_of(g, rule, vocab) or 0
    part = g.get("part")
    if unit == "season":  # "this summer", "last winter": the named season the offset picks
        season = {"season": g["unit"], "offset": g.get("offset", "this")}
        return _month(replace(q, groups=season, future=False, match=None))
    if base.day is None:
        return Resolved(UNRESOLVED.get(unit, ""), granularity=unit, note="no publication date")
    ref = base.day
    if unit == "weekend" and offset < 0 and ref.weekday() >= 5:
        offset += 1  # "over the weekend" in a Saturday or Sunday paper: the one under way
    period = _containing(unit, ref, offset)
    if period is None:
        return Resolved("", note=f"no period for unit '{unit}'")
    first, last = period.first, period.last
    side = g.get("side", "").lower()
    if side == "earlier":
        last = min(last, ref)
    elif side == "later":
        first = max(first, ref)
    timex = period.timex + _part_code(part or "", vocab)
    return Resolved(timex, first, last, period.granularity)


# ---------------------------------------------------------------------------------------------
# Stretches: shifted days and durations
# ---------------------------------------------------------------------------------------------


def _shift(q: Reading) -> Resolved:
    """The day a stated stretch before/after publication: two years ago, two weeks from now."""
    g, rule, base, vocab = q.groups, q.rule, q.base, q.vocab
    direction = rule.get("offset", -1)
    if g.get("direction", "").lower() == "before":
        direction = -1
    few = bool(vocab.few) and re.fullmatch(r"(?:a\s+)?few", g["number"].strip().lower()) is not None
    steps = [(vocab.few if few else _number(g["number"], vocab), g["unit"])] + _more_steps(g.get("more", ""), vocab)
    if any(value is None for value, _ in steps):
        return Resolved("PAST_REF" if direction < 0 else "FUTURE_REF", note="vague", vague=True)
    if base.day is None:
        unit, _ = _unit({"unit": steps[-1][1]}, rule, vocab)
        return Resolved(UNRESOLVED.get(_counted_in(unit, vocab), ""), note="no publication date")
    day = base.day + dt.timedelta(days=vocab.day_words.get(g.get("from_day", "").lower(), 0))
    finest = "year"
    for value, word in steps:
        unit, unit_rule = _unit({"unit": word}, rule, vocab)
        if unit_rule is None:
            return Resolved("", note=f"unknown unit '{word}'")
        base_unit = _counted_in(unit, vocab)
        n = int(round(value * (unit_rule.get("factor") or 1))) * direction
        day = _shift_day(day, base_unit, n)
        finest = min(finest, base_unit, key=("day", "week", "month", "year").index)
    period = _containing(finest, day, 0) if "from_day" not in g and len(steps) == 1 else day_period(day)
    return Resolved(period.timex if period else day.isoformat(), day, day, finest, hedge="about" if few else "exact")


def _duration(q: Reading) -> Resolved:
    """Value, unit, hedge, interval and TIMEX3 of a duration match (the days too, for "the past three weeks")."""
    g, rule, vocab, match, start = q.groups, q.rule, q.vocab, q.match, q.start
    assert match is not None
    unit, unit_rule = _unit(g, rule, vocab)
    half = 0.5 if "half" in g else 0.0
    if "number" in g:
        count = _number(g["number"], vocab)
        number_start = match.start("number")
    else:
        # no number: "the next decade" is one unit, "in recent weeks" (a plural) an unstated number
        plural = g.get("unit", "").lower().endswith(("s", "ies"))
        count = 1.0 + half if half or not plural else None
        half = 0.0
        number_start = start
    designator = unit_rule.get("designator") if unit_rule else "X"
    time = "T" if unit_rule and unit_rule.get("time") else ""
    counted_in = _counted_in(unit, vocab)
    if count is None:
        return Resolved(f"P{time}X{designator}", vague=True, hedge="vague", unit=counted_in, start=start)
    value = (count + half) * ((unit_rule.get("factor") if unit_rule else None) or 1)
    # a hedge stands right before the number; before "the last week and a half", "over" means "during"
    prefixed = "number" not in g or match.start("number") > start
    hedge = EXACT if prefixed else vocab.hedge_before(q.text, number_start)
    low, high = interval(value, hedge, integer=False)
    first, last = _stretch(g, value, counted_in, q.base, vocab)
    return Resolved(
        f"P{time}{format(value, 'g')}{designator}", first, last, hedge=hedge.hedge,
        value=value, low=low, high=high, unit=counted_in, start=min(start, hedge.start) if hedge.rule else start,
    )  # fmt: skip


def _stretch(
    g: dict[str, str], value: float, unit: str, base: Base, vocab: Vocabulary
) -> tuple[dt.date | None, dt.date | None]:
    """The days of "the past three weeks" (before publication) or "the next two days" (after it)."""
    word = g.get("stretch", "").lower()
    if not word or base.day is None or unit not in ("day", "week", "month", "year"):
        return None, None
    direction = -1 if (vocab.offsets.get(word) or 0) < 0 else 1
    if unit in ("day", "week"):
        days = round(value * (7 if unit == "week" else 1))
        edge = base.day + dt.timedelta(days=direction * days)
    else:
        edge = _shift_day(base.day, unit, direction * round(value))
    try:
        if direction < 0:
            return edge, base.day - dt.timedelta(days=1)
        return base.day + dt.timedelta(days=1), edge
    except OverflowError:
        return None, None


def _reference(q: Reading) -> Resolved:
    """A vague reference to a time ("now", "recently"): the rule's constant value."""
    return Resolved(q.rule.get("timex", ""), note="", vague=True)


# resolver name (a shape's `resolve`) -> resolver; a name not listed reads as a reference
RESOLVERS: dict[str, Callable[[Reading], Resolved]] = {
    "calendar": _calendar_day,
    "day_range": _day_range,
    "nth_weekday": _nth_weekday,
    "weekday": _weekday,
    "narrative": _narrative,
    "month": _month,
    "year": _year,
    "period": _period,
    "shift": _shift,
    "duration": _duration,
    "reference": _reference,
}


def _resolver(rule: Rule) -> str:
    """The resolver a shape names (durations and calendar dates by default)."""
    return rule.get("resolve") or ("duration" if rule.get("kind") == "duration" else "calendar")


def resolve(name: str, reading: Reading) -> Resolved:
    """Run the resolver a shape names."""
    return RESOLVERS.get(name, _reference)(reading)
