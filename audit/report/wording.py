"""Human wording for the screen: dates as a reader says them, values as written, a fact's best figure.

"2020-01-05" is "5 Jan 2020", a TIMEX3 value the text left without a year is "17 Oct, year unknown",
"XXXX-SU" is "summer". The CSV and JSON files keep the codes; only the screen says them in words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from audit.model import Kind, Polarity
from audit.reconcile import as_written

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "AU": "autumn", "WI": "winter"}
PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
REFERENCES = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}
VAGUE_UNITS = {"Y": "years", "M": "months", "W": "weeks", "D": "days", "H": "hours", "MIN": "minutes", "DE": "decades"}

_DAY = re.compile(r"^(\d{4}|XXXX)-(\d{2}|XX)-(\d{2}|XX)$")
_MONTH = re.compile(r"^(\d{4}|XXXX)-(\d{2}|XX)$")
_SEASON = re.compile(r"^(\d{4}|XXXX)-(SP|SU|FA|AU|WI)$")
_WEEKDAY = re.compile(r"^XXXX-WXX-(\d|WE)(?:T(MO|MI|AF|EV|NI|DT))?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_QUARTER = re.compile(r"^(\d{4}|XXXX)-([QH])(\d)$")
_DECADE = re.compile(r"^(\d{3})X$")
_VAGUE_DURATION = re.compile(r"^PT?X(Y|M|W|D|H|MIN|DE)$")


def day(iso: str) -> str:
    """An ISO day (or the day part of a datetime) in words: "5 Jan 2020"; other text unchanged."""
    try:
        when = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def moment(iso: str) -> str:
    """A publication date or datetime in words: "17 Jan 2020", "17 Jan 2020, 00:47 +05:30"."""
    if len(iso) <= 10:
        return day(iso) if len(iso) == 10 else month_or_year(iso)
    time = iso[11:16]
    offset = iso[16:].lstrip(":0123456789.")  # seconds and fractions are not worth a reader's time
    offset = "UTC" if offset in ("Z", "+00:00") else offset
    return f"{day(iso)}, {time}{' ' + offset if offset else ''}"


def month_or_year(iso: str) -> str:
    """A partial ISO date in words: "2024-01" is "Jan 2024", "2024" stays."""
    found = _MONTH.match(iso)
    if found and found[1] != "XXXX" and found[2] != "XX" and 1 <= int(found[2]) <= 12:
        return f"{MONTHS[int(found[2]) - 1]} {found[1]}"
    return iso


def span(first: str, last: str) -> str:
    """A resolved span of days in words: one day, a whole month or year, or "20–26 Jan 2020"."""
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last or first)
    except ValueError:
        return f"{first} to {last}" if last and last != first else first
    if end <= start:
        return day(first)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    if start.day == 1 and (end + timedelta(days=1)).day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{MONTHS[start.month - 1]} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {MONTHS[start.month - 1]} {start.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {day(last)}"
    return f"{day(first)} – {day(last)}"


def timex_words(timex: str) -> str:
    """A TIMEX3 value no day was resolved for, in words: "17 Oct, year unknown", "summer", "a Tuesday"."""
    for pattern, say in _TIMEX_WORDS:
        found = pattern.match(timex)
        if found:
            return say(found)
    return REFERENCES.get(timex, timex)


def _day_words(found: re.Match) -> str:
    """ "XXXX-10-17" -> "17 Oct, year unknown"; "2020-01-05" -> "5 Jan 2020"."""
    year, month, number = found.groups()
    if month == "XX" or not 1 <= int(month) <= 12:
        return "day unknown" if year == "XXXX" else f"a day in {year}"
    name = MONTHS[int(month) - 1]
    if number == "XX":
        return f"{name}, year unknown" if year == "XXXX" else f"{name} {year}"
    return f"{int(number)} {name}, year unknown" if year == "XXXX" else f"{int(number)} {name} {year}"


def _month_words(found: re.Match) -> str:
    """ "XXXX-10" -> "Oct, year unknown"; "XXXX-XX" -> "month unknown"."""
    year, month = found.groups()
    if month == "XX" or not 1 <= int(month) <= 12:
        return "month unknown" if year == "XXXX" else f"a month in {year}"
    return f"{MONTHS[int(month) - 1]}, year unknown" if year == "XXXX" else f"{MONTHS[int(month) - 1]} {year}"


def _season_words(found: re.Match) -> str:
    """ "XXXX-SU" -> "summer"; "2020-SU" -> "summer 2020"."""
    year, season = found.groups()
    return SEASONS[season] if year == "XXXX" else f"{SEASONS[season]} {year}"


def _weekday_words(found: re.Match) -> str:
    """ "XXXX-WXX-2" -> "a Tuesday"; "XXXX-WXX-4TMO" -> "a Thursday morning"; "XXXX-WXX-WE" -> "a weekend"."""
    weekday, part = found.groups()
    name = "weekend" if weekday == "WE" else WEEKDAYS[(int(weekday) - 1) % 7]
    return f"a {name}{' ' + PARTS_OF_DAY[part] if part else ''}"


def _week_words(found: re.Match) -> str:
    """ "2020-W04" -> "week 4 of 2020"; "2020-W02-WE" -> "weekend of week 2, 2020"."""
    year, week, weekend = found.groups()
    return f"weekend of week {int(week)}, {year}" if weekend else f"week {int(week)} of {year}"


def _quarter_words(found: re.Match) -> str:
    """ "2020-Q1" -> "Q1 2020"; "2020-H2" -> "second half of 2020"."""
    year, kind, number = found.groups()
    year = "" if year == "XXXX" else f" {year}"
    if kind == "H":
        return f"{'first' if number == '1' else 'second'} half{' of' + year if year else ''}"
    return f"Q{number}{year}"


_TIMEX_WORDS = (
    (_DAY, _day_words),
    (_MONTH, _month_words),
    (_SEASON, _season_words),
    (_WEEKDAY, _weekday_words),
    (_WEEK, _week_words),
    (_QUARTER, _quarter_words),
    (_DECADE, lambda found: f"{found[1]}0s"),
    (re.compile(r"^XXXX$"), lambda _found: "year unknown"),
    (re.compile(r"^\d{4}$"), lambda found: found[0]),
)


def cell(row: Mapping, written: Mapping[str, str] | None = None) -> str:
    """A claim as the screen shows it: dates in words, vague durations as "days", else as written (`written`:
    the hedge words of the run's rules, `reconcile.written_table`)."""
    kind = row.get("kind")
    if kind == Kind.DATE:
        first, last = row.get("date") or "", row.get("date_end") or ""
        text = span(first, last) if first else timex_words(row.get("timex") or "")
        return f"denied: {text}" if row.get("polarity") == Polarity.DENIED else text
    if kind == Kind.DURATION and row.get("value") is None:
        found = _VAGUE_DURATION.match(row.get("timex") or "")
        if found:
            text = VAGUE_UNITS[found[1]]
            return f"denied: {text}" if row.get("polarity") == Polarity.DENIED else text
    return as_written(row, written)


def best(fact: Mapping) -> str:
    """A fact's best figure with its unit ("50", "10 days", "2,300,000,000 USD", "61%"); the day for dates."""
    if fact.get("kind") == Kind.DATE:
        return day(fact.get("event_date") or "")
    value = fact.get("best")
    if value is None:
        return ""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    unit = fact.get("unit") or ""
    if unit == "percent":
        return number + "%"
    return f"{number} {unit}{'s' if unit == 'day' and value != 1 else ''}".strip()


def what(fact: Mapping) -> str:
    """What a fact measures, in words: "killed · people", "pause start", "date", "us officials"."""
    measure = (fact.get("measure") or "").replace("_", " ")
    subject = fact.get("subject_key") or ""
    if not measure:
        return subject or ("date" if fact.get("kind") == Kind.DATE else fact.get("kind") or "")
    if subject and subject != measure:
        return f"{measure} · {subject}"
    return measure
