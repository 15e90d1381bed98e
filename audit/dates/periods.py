"""Calendar arithmetic of dates: the publication day, the periods a TIMEX3 value names (day, week, month,
quarter, season, year, decade, century) and moving and cutting them. No words: those are the rules'.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

# TIMEX3 season codes (mechanics, not words) as three-month periods (meteorological, northern hemisphere):
# the first month of each. dates.toml's `seasons` maps the words to these codes.
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class Base:
    """What the publication date gives: the exact local day, or only the latest day it can be."""

    day: dt.date | None
    latest: dt.date | None


@dataclass(frozen=True)
class Period:
    """A resolved stretch of days and its TIMEX3 value."""

    timex: str
    first: dt.date | None
    last: dt.date | None
    granularity: str  # day, week, weekend, month, quarter, season, year, decade, century


# ---------------------------------------------------------------------------------------------
# Publication day
# ---------------------------------------------------------------------------------------------


def _parse_published(published: str, timezone: str = "") -> Base:
    """The publication day (local to the outlet) or, for partial dates, the latest day it can be."""
    text = (published or "").strip()
    if re.fullmatch(r"\d{4}", text):
        return Base(None, dt.date(int(text), 12, 31))
    partial = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if partial:
        year, month = int(partial.group(1)), int(partial.group(2))
        if not 1 <= month <= 12:
            return Base(None, None)
        return Base(None, dt.date(year, month, calendar.monthrange(year, month)[1]))
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return Base(None, None)
    if timezone and stamp.tzinfo is not None and len(text) > 10:
        # an unknown zone keeps the day as printed (ingest warns about the manifest)
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            stamp = stamp.astimezone(zoneinfo.ZoneInfo(timezone))
    day = stamp.date()
    return Base(day, day)


def publication_day(published: str, timezone: str = "") -> dt.date | None:
    """The local calendar day of an ISO publication date/datetime; None if partial or unreadable."""
    return _parse_published(published, timezone).day


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """(year, month) moved by n months."""
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def day_period(day: dt.date) -> Period:
    """One day."""
    return Period(day.isoformat(), day, day, "day")


def week_period(day: dt.date) -> Period:
    """The ISO week containing a day."""
    monday = day - dt.timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    return Period(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6), "week")


def weekend_period(day: dt.date) -> Period:
    """The Saturday and Sunday of the ISO week containing a day."""
    week = week_period(day)
    saturday = week.first + dt.timedelta(days=5)
    return Period(f"{week.timex}-WE", saturday, saturday + dt.timedelta(days=1), "weekend")


def month_period(year: int, month: int) -> Period:
    """A calendar month."""
    return Period(f"{year:04d}-{month:02d}", dt.date(year, month, 1), _month_end(year, month), "month")


def quarter_period(year: int, quarter: int) -> Period:
    """A calendar quarter."""
    first_month = 3 * (quarter - 1) + 1
    return Period(f"{year:04d}-Q{quarter}", dt.date(year, first_month, 1), _month_end(year, first_month + 2), "quarter")


def half_period(year: int, half: int) -> Period:
    """A half year: January to June, or July to December."""
    first_month = 6 * (half - 1) + 1
    return Period(f"{year:04d}-H{half}", dt.date(year, first_month, 1), _month_end(year, first_month + 5), "half")


def season_period(year: int, code: str, first_month: int) -> Period:
    """A season of `year` (winter runs from its December into the next year)."""
    end_year, end_month = _add_months(year, first_month, 2)
    return Period(f"{year:04d}-{code}", dt.date(year, first_month, 1), _month_end(end_year, end_month), "season")


def year_period(year: int) -> Period:
    """A calendar year."""
    return Period(f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def decade_period(year: int) -> Period:
    """The decade starting at `year` (a multiple of ten): TIMEX3 199 for the 1990s."""
    return Period(f"{year // 10:03d}", dt.date(year, 1, 1), dt.date(year + 9, 12, 31), "decade")


def century_period(first_year: int) -> Period:
    """The century starting at `first_year` (1900 for the 20th century, TIMEX3 19)."""
    return Period(f"{first_year // 100:02d}", dt.date(first_year, 1, 1), dt.date(first_year + 99, 12, 31), "century")


def _containing(unit: str, day: dt.date, n: int) -> Period | None:
    """The period of a unit containing `day`, moved by n units."""
    if unit == "day":
        return day_period(day + dt.timedelta(days=n))
    if unit == "week":
        return week_period(day + dt.timedelta(weeks=n))
    if unit == "weekend":
        return weekend_period(day + dt.timedelta(weeks=n))
    if unit == "month":
        return month_period(*_add_months(day.year, day.month, n))
    if unit == "quarter":
        index = day.year * 4 + (day.month - 1) // 3 + n
        return quarter_period(index // 4, index % 4 + 1)
    if unit == "year":
        return year_period(day.year + n)
    if unit == "decade":
        return decade_period(day.year // 10 * 10 + 10 * n)
    if unit == "century":
        return century_period(day.year // 100 * 100 + 100 * n)
    return None


UNRESOLVED = {
    "day": "XXXX-XX-XX",
    "week": "XXXX-WXX",
    "weekend": "XXXX-WXX-WE",
    "month": "XXXX-XX",
    "quarter": "XXXX-QX",
    "season": "XXXX-XX",
    "year": "XXXX",
    "decade": "XXX",
    "century": "XX",
}


def _cut(period: Period, first: float, last: float) -> tuple[dt.date, dt.date]:
    """The part of a period between two fractions of it (a year is cut by months, others by days)."""
    assert period.first is not None and period.last is not None
    if period.granularity in ("year", "decade", "century"):
        months = (period.last.year - period.first.year + 1) * 12
        start = round(first * months)
        stop = max(start + 1, round(last * months))
        y0, m0 = _add_months(period.first.year, 1, start)
        y1, m1 = _add_months(period.first.year, 1, stop - 1)
        return dt.date(y0, m0, 1), _month_end(y1, m1)
    days = (period.last - period.first).days + 1
    if days < 3:
        return period.first, period.last
    # a month is cut at days 10 and 20 whatever its length (late December = 21-31, late February = 21-28/29)
    scale = 30 if period.granularity == "month" else days
    start = min(days - 1, round(first * scale))
    stop = days if last >= 1 else min(days, round(last * scale))
    return period.first + dt.timedelta(days=start), period.first + dt.timedelta(days=max(start, stop - 1))


def _named(instances, offset: int | None, base: Base, future: bool) -> Period | None:
    """Pick one occurrence of a named month/season/quarter (instances(year) -> Period) near publication."""
    ref = base.day or base.latest
    if ref is None:
        return None
    candidates = [instances(y) for y in range(ref.year - 2, ref.year + 3)]
    if offset is None and future and base.day:  # "will be held in June": the soonest not yet over
        picked = [p for p in candidates if p.last >= ref][:1]
    elif offset is None:  # "in June": the latest begun on or before publication
        picked = [p for p in candidates if p.first <= ref][-1:]
    elif offset < 0:  # "last June": the latest over before publication
        picked = [p for p in candidates if p.last < ref][-1:]
    elif offset == 0:  # "this June": the one under way, else the one of the publication's year
        picked = [p for p in candidates if p.first <= ref <= p.last] or [
            p for p in candidates if p.first.year == ref.year
        ]
    else:  # "next June": the first to begin after publication
        picked = [p for p in candidates if p.first > ref][:1]
    return picked[0] if picked else None


def _valid(year: int, month: int, day: int) -> bool:
    """Whether a year, month and day make a real date."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _nearest_day(ref: dt.date, month: int | None, day: int, weekday: int | None, forward: bool) -> dt.date | None:
    """The nearest real date at or before (or after) `ref` with that month (any if None), day and weekday."""
    step = 1 if forward else -1
    limit = 12 * 28 if weekday is not None or month is None else 8 * 12  # Feb 29 may lie 8 years back
    year, mon = ref.year, ref.month
    for _ in range(limit):
        if (month is None or mon == month) and _valid(year, mon, day):
            found = dt.date(year, mon, day)
            if (found >= ref if forward else found <= ref) and (weekday is None or found.weekday() == weekday):
                return found
        year, mon = _add_months(year, mon, step)
    return None


def _shift_day(day: dt.date, unit: str, n: int) -> dt.date:
    """A day moved by n days, weeks, months or years (month ends clamp: Mar 31 - 1 month = Feb 28/29)."""
    if unit in ("day", "week"):
        return day + dt.timedelta(days=n * (7 if unit == "week" else 1))
    year, month = _add_months(day.year, day.month, n * (12 if unit == "year" else 1))
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
