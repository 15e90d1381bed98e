"""Publication dates: ISO forms of a date, and the dates a page prints (dateline rules).

`published` in sources.toml is the date of the page's first article (the page's own story). The page
is split where a new story begins, so later articles on it are other stories: they get a date only
when one is printed in their own part of the page. Without a manifest date, a date printed on the
page is used (dateline rules, or an HTML page's published-time meta tag) and `published_from` says
which. A date that cannot be established stays empty, with a warning when it was ambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from audit.ingest.page import DateHit, Layout

_ISO_PARTIAL = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def check_published(value: str) -> bool:
    """Whether a manifest date is ISO 8601: a date, a partial date ("2024-01") or a datetime."""
    if _ISO_PARTIAL.fullmatch(value):
        try:
            dt.date.fromisoformat(value if len(value) == 10 else value + "-01" * ((10 - len(value)) // 3))
        except ValueError:
            return False
        return True
    if "T" not in value and " " not in value:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _zone(name: str) -> ZoneInfo | None:
    """The zone of an IANA name, None when unknown."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _iso_minutes(stamp: dt.datetime) -> str:
    """A datetime as ISO 8601 to the minute, with its UTC offset ("2020-01-17T00:47+05:30")."""
    text = stamp.strftime("%Y-%m-%dT%H:%M")
    offset = stamp.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def read_printed_date(hit: DateHit, timezone: str, layout: Layout) -> tuple[str, str]:
    """The ISO date (or datetime) a dateline hit prints, and a warning when it cannot be read surely."""
    raw, order = hit.groups.get("date", ""), hit.rule.get("order")
    parts = [int(p) for p in re.split(r"[-/.]", raw)]
    if order == "ymd":
        year, month, day = parts
    else:
        first, second, year = parts
        if order == "numeric":
            order = _day_month_order(first, second, timezone, layout)
            if not order:
                return "", f"'{raw}' could be day-first or month-first (no timezone says which); date left empty"
        day, month = (first, second) if order == "dmy" else (second, first)
    try:
        day_date = dt.date(year, month, day)
    except ValueError:
        return "", f"'{raw}' is not a calendar date"
    time, zone = hit.groups.get("time", ""), hit.groups.get("zone", "").upper()
    if not time:
        return day_date.isoformat(), ""
    hours, minutes = (int(p) for p in time.split(":"))
    if hours > 23 or minutes > 59:
        return day_date.isoformat(), ""
    local = dt.datetime(day_date.year, day_date.month, day_date.day, hours, minutes)
    name, warning = _zone_of_abbreviation(zone, timezone, layout)
    if not name:
        return day_date.isoformat(), warning
    return _iso_minutes(local.replace(tzinfo=ZoneInfo(name))), ""


def _day_month_order(first: int, second: int, timezone: str, layout: Layout) -> str:
    """ "dmy" or "mdy" for a numeric date, by the values (30 > 12) or the zone; "" when undecidable."""
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    if first == second:
        return "dmy"
    if not timezone:
        return ""
    month_first = any(timezone.startswith(prefix) for prefix in layout.page.month_first_zones)
    return "mdy" if month_first else "dmy"


def _zone_of_abbreviation(zone: str, timezone: str, layout: Layout) -> tuple[str, str]:
    """The IANA zone a printed abbreviation stands for on this source, or "" and why not."""
    if not zone:
        return timezone, ""  # a local time without a zone is in the source's zone, when known
    candidates = layout.page.zones.get(zone, "").split()
    if timezone in candidates:
        return timezone, ""
    if len(candidates) == 1 and _zone(candidates[0]):
        return candidates[0], ""
    if not candidates:
        return "", f"unknown time-zone abbreviation '{zone}'; time left out"
    return "", f"'{zone}' may be {', '.join(candidates)} and no timezone says which; time left out"


def page_date(hits: Sequence[DateHit], timezone: str, layout: Layout) -> tuple[str, str, list[str]]:
    """The first readable printed date of an article (rule order, then line order), its label, warnings."""
    order = {rule.id: n for n, rule in enumerate(layout.datelines)}
    warnings: list[str] = []
    for hit in sorted(hits, key=lambda h: (order.get(h.rule.id, 0), h.line)):
        value, warning = read_printed_date(hit, timezone, layout)
        if warning:
            warnings.append(warning)
        if value:
            return value, hit.rule.get("label"), warnings
    return "", "", warnings
