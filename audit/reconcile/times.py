"""When a figure was stated: an interval of minutes (UTC) per claim, so that same-day figures can be ordered.

A figure stated on its article's publication day whose `published` holds a time ("2013-07-03T06:22+10:00")
was stated at that instant; otherwise it holds as of its `as_of` day (or month, or year), taken as that
UTC day: two figures are ordered when their intervals do not meet. A figure held before its statement
("up from 22") ends just before the statement and has no start.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

import polars as pl

from audit.reconcile.frame import beside

MINUTES_A_DAY = 1440.0
_EPOCH = date(1970, 1, 1)


def _day_minutes(day: date) -> float:
    """The first minute of a day, counted from 1970-01-01 00:00 UTC."""
    return (day.toordinal() - _EPOCH.toordinal()) * MINUTES_A_DAY


def _period(text: str) -> tuple[float, float] | None:
    """A day, month ("2024-01") or year ("2024") as its first and last minute; None when it is not one."""
    try:
        if len(text) == 4:
            first, last = date(int(text), 1, 1), date(int(text), 12, 31)
        elif len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        else:
            first = last = date.fromisoformat(text[:10])
    except ValueError:
        return None
    return _day_minutes(first), _day_minutes(last) + MINUTES_A_DAY - 1


def _instant(published: str) -> float | None:
    """A publication datetime as minutes since 1970-01-01 UTC (no offset: read as UTC); None without a time."""
    if "T" not in published:
        return None
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / 60.0


def statement_time(published: str, as_of: str) -> tuple[float | None, float | None]:
    """The interval of minutes in which a figure was stated: the publication instant, else the as-of period."""
    as_of = (as_of or "").strip()
    if not as_of:
        return None, None
    published = (published or "").strip()
    instant = _instant(published) if published[:10] == as_of[:10] and len(as_of) >= 10 else None
    if instant is not None:
        return instant, instant
    period = _period(as_of)
    return period if period else (None, None)


def time_columns(frame: pl.DataFrame, start: str, end: str) -> pl.DataFrame:
    """The frame with the statement interval of each claim as columns `start` and `end` (null when undated)."""
    pairs = frame.select(pl.col("published").fill_null(""), pl.col("as_of").fill_null("")).unique()
    found = [(p, a, *statement_time(p, a)) for p, a in pairs.iter_rows()]
    table = pl.DataFrame(
        found,
        schema={"published": pl.Utf8, "as_of": pl.Utf8, start: pl.Float64, end: pl.Float64},
        orient="row",
    )
    keyed = frame.with_columns(pl.col("published").fill_null(""), pl.col("as_of").fill_null(""))
    return keyed.with_columns(beside(keyed, table, on=["published", "as_of"]))


def moment_text(first: float | None, last: float | None) -> str:
    """A statement interval as a reader would say it: "2013-07-02 20:22 UTC", or the day "2013-07-03"."""
    if first is None or last is None or first != first:
        return ""
    day = date.fromordinal(_EPOCH.toordinal() + int(first // MINUTES_A_DAY))
    if first == last:
        minute = int(first % MINUTES_A_DAY)
        return f"{day.isoformat()} {minute // 60:02d}:{minute % 60:02d} UTC"
    return day.isoformat()
