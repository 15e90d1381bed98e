"""Dates: find date and duration spans with the rules of `rules/dates.toml`, resolve them against the
article's publication date (never today's), and express them as TIMEX3 values.

dateparser parses only the spans the rules found, with the publication date as its base.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import dateparser

from audit.hedges import find_hedge, hedge_pattern, interval
from audit.model import Article, DateMention, Document
from audit.numbers import parse_number
from audit.rules import Rule, RuleSet

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIMEX_UNITS = {"hour": "TH", "day": "D", "week": "W", "month": "M", "year": "Y"}


def publication_day(published: str) -> dt.date | None:
    """The calendar day of an ISO publication date/datetime as printed (its own offset); None if partial."""
    if len(published) < 10:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _parse_month_day(text: str, base: dt.date) -> dt.date | None:
    """Parse a month-day(-year) span with dateparser, relative to `base`."""
    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _resolve_date(rule: Rule, match: re.Match[str], base: dt.date | None) -> tuple[str, str, str]:
    """TIMEX3 value, first and last day for a date match (unresolved parts stay X, dates empty)."""
    groups = match.groupdict()
    if groups.get("weekday"):
        wanted = WEEKDAYS.index(groups["weekday"].lower())
        if base is None:
            return f"XXXX-WXX-{wanted + 1}", "", ""
        day = base - dt.timedelta(days=(base.weekday() - wanted) % 7)
        return day.isoformat(), day.isoformat(), day.isoformat()
    year = groups.get("year")
    anchor = base or dt.date(2000, 1, 1)  # only month and day are read when there is no base
    parsed = _parse_month_day(re.sub(r"\s+", " ", match.group()), anchor)
    if parsed is None:
        return "", "", ""
    if year:
        day = parsed.replace(year=int(year))
    elif base is None:
        return f"XXXX-{parsed.month:02d}-{parsed.day:02d}", "", ""
    else:
        day = parsed.replace(year=base.year)
        if day > base:
            day = day.replace(year=base.year - 1)
    return day.isoformat(), day.isoformat(), day.isoformat()


def _duration(match: re.Match[str], text: str, rules: RuleSet, hedges: re.Pattern[str]) -> dict:
    """Value, unit, hedge and TIMEX3 of a duration match."""
    number = match.group("number").lower()
    value = 1.0 if number in ("a", "an") else parse_number(number)
    unit = match.group("unit").lower()
    hedge = find_hedge(text, match.start(), rules, hedges)
    low, high = interval(value, hedge, integer=False)
    amount = format(value, "g")
    timex = f"PT{amount}H" if unit == "hour" else f"P{amount}{TIMEX_UNITS[unit]}"
    return {
        "value": value,
        "unit": unit,
        "hedge": hedge.hedge,
        "low": low,
        "high": high,
        "timex": timex,
        "start": hedge.start if hedge.rule else match.start(),
    }


def find_in_spans(text: str, spans: Iterable[tuple[int, int]], published: str, rules: RuleSet) -> list[DateMention]:
    """Every date and duration in the given spans of `text`, resolved against `published`."""
    base = publication_day(published)
    hedges = hedge_pattern(rules)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for start, end in spans:
        for rule in rules.rules("dates", "shape"):
            for match in rule.get("pattern").finditer(text, start, end):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue  # an earlier (more specific) shape already holds these words
                taken.append(match.span())
                if rule.get("kind", "date") == "duration":
                    d = _duration(match, text, rules, hedges)
                    found.append(
                        DateMention(
                            d["start"],
                            match.end(),
                            text[d["start"] : match.end()],
                            "duration",
                            d["timex"],
                            value=d["value"],
                            low=d["low"],
                            high=d["high"],
                            unit=d["unit"],
                            hedge=d["hedge"],
                            rule=rule.id,
                        )
                    )
                else:
                    timex, first, last = _resolve_date(rule, match, base)
                    if timex:
                        found.append(
                            DateMention(
                                match.start(), match.end(), match.group(), "date", timex, first, last, rule=rule.id
                            )
                        )
    return sorted(found, key=lambda m: (m.start, m.end))


def find_dates(document: Document, article: Article, rules: RuleSet) -> list[DateMention]:
    """Every date and duration in an article's clean body."""
    return find_in_spans(document.text, article.body, article.published, rules)
