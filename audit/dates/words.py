"""What the words of a shape's match say: day and month numbers, years, counts, units and offsets, and the
calendar words handed to dateparser (read in the date order the rule's groups give).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from audit.dates.periods import Base
from audit.dates.vocabulary import Vocabulary
from audit.numbers import Numbers
from audit.rules import Rule

# Still in code (not yet moved to dates.toml): MONTHS and WEEKDAYS map the English words that dates.toml's
# patterns capture to calendar numbers, by their 3-letter prefix. Season and day-part words are dates.toml's.
MONTHS = {
    name: i
    for i, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _groups(match: re.Match[str]) -> dict[str, str]:
    """Named groups that matched, with numbered variants (year1, unit2) folded into their name."""
    out: dict[str, str] = {}
    for name, value in match.groupdict().items():
        if value is None:
            continue
        key = name.rstrip("0123456789")
        out.setdefault(key, value)
    return out


def _day_number(text: str, numbers: Numbers) -> int | None:
    """A day of the month written as digits (8, 21st) or words (twenty-first, fifteen)."""
    text = re.sub(r"\s+|-", " ", text.lower()).strip()
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits.group())
    words = text.split()
    total = 0
    for word in words:
        if word in numbers.ordinals:
            total += numbers.ordinals[word]
        else:
            value = numbers.parse(word)
            if value is None:
                return None
            total += int(value)
    return total or None


def _month_number(text: str) -> int | None:
    """A month written as a name (Jan., September) or a number."""
    text = text.lower().strip(". ")
    if text.isdigit():
        return int(text)
    return MONTHS.get(text[:3])


def _year_text(g: dict[str, str], base: Base, window: bool, numbers: Numbers) -> str:
    """The year a match states, as digits: 2016, '89 (or 1989 in window mode), nineteen seventy-eight."""
    if "year_words" in g:
        words = re.sub(r"[\s-]+", " ", g["year_words"].lower()).replace(" and ", " ").split()
        if words[:2] == ["two", "thousand"]:
            return str(int(numbers.parse(" ".join(words)) or 2000))
        rest = [w for w in words[1:] if w not in ("zero", "oh")]
        return str(int(numbers.parse(words[0]) or 0) * 100 + int(numbers.parse(" ".join(rest)) or 0))
    ref = base.day or base.latest
    if "year_shift" in g:  # "April last year": the year before the publication's
        shift = {"last": -1, "this": 0, "next": 1}[g["year_shift"].lower()]
        return str(ref.year + shift) if base.day is not None else ""
    text = g.get("year", "").lstrip("'")
    if len(text) == 2 and window and ref is not None:
        year = ref.year // 100 * 100 + int(text)
        while year > ref.year + 20:
            year -= 100
        while year < ref.year - 79:
            year += 100
        return str(year)
    return text


# dateparser reads the calendar words the rules found (month names, abbreviations, ordinals, numeric
# orders); our code keeps what dateparser decides differently from a news reader: the year of a date
# written without one (the latest on or before publication, not dateparser's "current period"), the
# century of a two-digit year (a setting, relative to publication, not dateparser's fixed window), the
# weekday check ("Monday, Dec. 31, 2019": dateparser ignores the weekday), and spelled-out numbers
# ("May twenty-first", "nineteen zero one": dateparser reads no number words, so we write their digits).
DATE_PARTS = {"month": "M", "day": "D", "year": "Y", "year_words": "Y"}
# dateparser fills the parts a text leaves out from RELATIVE_BASE, and from today's date when none is
# given. We always pass this fixed day and only keep the parts the text wrote (REQUIRE_PARTS): so a
# reading never depends on the run's date, and the same words always parse alike (and cache). A leap
# year, so that "Feb 29" without a year reads.
PARSE_BASE = dt.datetime(2000, 1, 1)


@functools.lru_cache(maxsize=32)
def _date_parser(order: str, parts: tuple[str, ...]):
    """A dateparser DateDataParser for one date order and required parts (made once; imported lazily)."""
    from dateparser.date import DateDataParser  # a slow import: only when a calendar span needs it

    settings = {
        "DATE_ORDER": order,  # decided by the rule's groups (month first, day first, year first)
        "PREFER_LOCALE_DATE_ORDER": False,
        "RELATIVE_BASE": PARSE_BASE,
        # the parts the rule's groups hold must all be read (STRICT_PARSING would demand a year of "Jan. 8");
        # PREFER_DATES_FROM stays unset: the year of a year-less date is ours, not dateparser's
        "REQUIRE_PARTS": list(parts),
        "PREFER_DAY_OF_MONTH": "first",
        "PARSERS": ["absolute-time"],  # relative words ("last week") are the rules' to resolve
    }
    return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=4096)
def parse_calendar(text: str, order: str, parts: tuple[str, ...]) -> tuple[int, int, int] | None:
    """(year, month, day) dateparser reads in calendar words, or None; the year is PARSE_BASE's if unwritten.

    The plainest shapes ("January 3", "Jan. 8, 2020", "8 January 2020", "December 2021", "1/30/2020",
    "2020-01-17") are read here, as dateparser reads them (tests/test_dates.py compares the two): most pages
    then never load dateparser (~0.4 s a process).
    """
    plain = _plain_calendar(text, order, parts)
    if plain is _NOT_PLAIN:
        plain = _numeric_calendar(text, order, parts)
    if plain is not _NOT_PLAIN:
        return plain
    found = _date_parser(order, parts).get_date_data(text).date_obj
    return (found.year, found.month, found.day) if found is not None else None


# The month words of the plain shapes: English names and the abbreviations news prints (a shortcut past
# dateparser for the shapes below, checked against it, not a rule: dates.toml's shapes decide what is a date).
PLAIN_MONTHS = {
    **{name: i for i, name in enumerate(_MONTH_NAMES, 1)},
    **{name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}
_PLAIN_MONTH = "|".join(sorted(PLAIN_MONTHS, key=len, reverse=True))
# "January 3", "Jan. 8", "April 21st", "January 3, 2020", "Sep 29 2019" (month first); "8 January 2020",
# "12 Nov", "9th June" (day first)
_PLAIN_MDY = re.compile(
    rf"""(?P<month>{_PLAIN_MONTH})\.?[ ]            # the month, its abbreviation's dot, one space
         (?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?       # the day, maybe with its ordinal letters
         (?:,?[ ](?P<year>[0-9]{{4}}))?              # ", 2020" or " 2020"
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,  # ASCII: no long s for "sept", no other script's digits
)
_PLAIN_DMY = re.compile(
    rf"""(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?[ ]    # the day, maybe with its ordinal letters, one space
         (?P<month>{_PLAIN_MONTH})\.?               # the month, its abbreviation's dot
         (?:[ ](?P<year>[0-9]{{4}}))?                # " 2020"
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,  # ASCII: no long s for "sept", no other script's digits
)
_NOT_PLAIN = object()  # parse_calendar: the words are no plain shape, dateparser reads them


def _plain_calendar(text: str, order: str, parts: tuple[str, ...]) -> tuple[int, int, int] | None | object:
    """(year, month, day) of a plain calendar shape, None for an impossible day, or _NOT_PLAIN."""
    shape = _PLAIN_MDY if order.startswith("MD") else _PLAIN_DMY if order.startswith("DM") else None
    found = shape.fullmatch(text) if shape is not None else None
    if found is None or (found.group("year") is not None) != ("year" in parts):
        return _NOT_PLAIN
    year = int(found.group("year")) if found.group("year") else PARSE_BASE.year
    # 31 February is None: dateparser reads no date either
    return _calendar_day(year, PLAIN_MONTHS[found.group("month").lower()], int(found.group("day")))


# Numeric dates and months of a year as the shapes hand them over, one separator throughout, a four-digit
# year: "1/30/2020", "17-01-2020", "19.08.2025" (month and day in the order given, swapped when the month
# would be over 12, as dateparser does), "2020-01-17" (year first); "December 2021", "Dec. 2021", "May, 2010",
# "2016 June", "11/2016" (a month of a year: its first day, PREFER_DAY_OF_MONTH). Checked against dateparser.
_NUMERIC_DAY_MONTH = re.compile(r"(?P<a>[0-9]{1,2})(?P<sep>[/.-])(?P<b>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4})")
_NUMERIC_YEAR_FIRST = re.compile(r"(?P<year>[0-9]{4})(?P<sep>[/.-])(?P<a>[0-9]{1,2})(?P=sep)(?P<b>[0-9]{1,2})")
_MONTH_YEAR = re.compile(rf"(?P<month>{_PLAIN_MONTH})\.?,?[ ](?P<year>[0-9]{{4}})", re.IGNORECASE | re.ASCII)
_YEAR_MONTH = re.compile(rf"(?P<year>[0-9]{{4}})[ ](?P<month>{_PLAIN_MONTH})", re.IGNORECASE | re.ASCII)
_NUMERIC_MONTH_YEAR = re.compile(r"(?P<month>[0-9]{1,2})[/-](?P<year>[0-9]{4})")
# Years before this are dateparser's: it reads "-1000" of "01-30-1000" as a time zone (UTC-10:00).
_FIRST_YEAR = 1500


def _numeric_calendar(text: str, order: str, parts: tuple[str, ...]) -> tuple[int, int, int] | None | object:
    """(year, month, day) of a numeric date or a month of a year, None for an impossible one, or _NOT_PLAIN."""
    if parts == ("day", "month", "year") and order in ("MDY", "DMY", "YMD"):
        found = (_NUMERIC_YEAR_FIRST if order == "YMD" else _NUMERIC_DAY_MONTH).fullmatch(text)
        if found is None or int(found.group("year")) < _FIRST_YEAR:
            return _NOT_PLAIN
        a, b = int(found.group("a")), int(found.group("b"))
        month, day = (b, a) if order == "DMY" else (a, b)
        if month > 12:  # no 13th month: dateparser reads the other number as the month
            month, day = day, month
        return _calendar_day(int(found.group("year")), month, day)
    if parts == ("month", "year") and order in ("MYD", "YMD"):
        shapes = (_MONTH_YEAR, _NUMERIC_MONTH_YEAR) if order == "MYD" else (_YEAR_MONTH,)
        for shape in shapes:
            found = shape.fullmatch(text)
            if found is not None and int(found.group("year")) >= _FIRST_YEAR:
                month = found.group("month")
                number = int(month) if month.isdigit() else PLAIN_MONTHS[month.lower()]
                return _calendar_day(int(found.group("year")), number, 1)
    return _NOT_PLAIN


def _calendar_day(year: int, month: int, day: int) -> tuple[int, int, int] | None:
    """(year, month, day) of a day that exists, else None."""
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return year, month, day


def _written(match: re.Match[str] | None, numbers: Numbers, day: str = "day") -> tuple[str, str, bool] | None:
    """The calendar words of a match as dateparser reads them, their order (MDY ...) and whether a year is written.

    The words run from the first to the last month/day/year group, the weekday left out; spelled-out
    days and years are given as digits; words between the groups ("the tenth of September") become a
    space. `day` names the group that holds the day (day_end: the last day of "September 3-12").
    """
    if match is None:
        return None
    found = []
    for name, value in match.groupdict().items():
        key = name.rstrip("0123456789")
        if key == day:
            key = "day"
        elif key == "day":
            key = ""  # the other day of a range
        if value is not None and key in DATE_PARTS:
            found.append((match.start(name), match.end(name), key, value))
    if not any(key == "month" for *_, key, _ in found):
        return None
    found.sort()
    pieces, order, end = [], "", None
    for start, stop, key, value in found:
        if end is not None:
            between = match.string[end:start]
            pieces.append(between if re.fullmatch(r"[\s.,/-]*", between) else " ")
        if key == "day" and not value[0].isdigit():
            value = str(_day_number(value, numbers) or value)
        elif key == "year_words":
            value = _year_text({"year_words": value}, Base(None, None), False, numbers)
        pieces.append(value)
        order, end = order + DATE_PARTS[key], stop
    order += "".join(c for c in "DMY" if c not in order)
    return "".join(pieces), order, any(key in ("year", "year_words") for *_, key, _ in found)


def _read_day(
    g: dict[str, str], written: tuple[str, str, bool] | None, numbers: Numbers
) -> tuple[int | None, int | None, int, str]:
    """(year as written, month, day, "") of a calendar match, or a note why it is no date.

    dateparser reads the words a month names (see _written); a day of no month ("Thursday the 21st",
    "on the 27th") is read here, since its month comes from the publication date.
    """
    if written is not None:
        text, order, has_year = written
        parsed = parse_calendar(text, order, ("day", "month", "year") if has_year else ("day", "month"))
        if parsed is None:
            return None, None, 0, f"impossible date: {text}"
        return (parsed[0] if has_year else None), parsed[1], parsed[2], ""
    day = _day_number(g["day"], numbers) if "day" in g else None
    return None, None, day or 0, "" if day else "unreadable day"


def _offset_of(g: dict[str, str], rule: Rule, vocab: Vocabulary) -> int | None:
    """The offset a match states (a word of the offset table) or the rule's constant."""
    if "offset" in g:
        return vocab.offsets.get(re.sub(r"\s+", " ", g["offset"].lower()).removeprefix("the "))
    return rule.get("offset")


def _unit(g: dict[str, str], rule: Rule, vocab: Vocabulary) -> tuple[str, Rule | None]:
    """The unit a match names (folded to its rule id) and its rule."""
    word = g.get("unit", rule.get("unit", "")).lower()
    unit_rule = vocab.units.get(word)
    if unit_rule is None:
        unit_rule = vocab.unit_ids.get(word)
    return (unit_rule.id if unit_rule else word), unit_rule


def _number(text: str, vocab: Vocabulary) -> float | None:
    """A count of units ("two", "10", "a", "a couple of"); None for vague words (few, several)."""
    words = re.sub(r"\s+", " ", text.lower()).strip()
    if any(v in words.split() for v in vocab.vague_numbers):
        return None
    words = words.replace("couple of", "couple")
    return vocab.numbers.parse(words)


def _counted_in(unit: str, vocab: Vocabulary) -> str:
    """The unit a unit's amounts are given in (its `counted_in`, else itself): decade -> year."""
    rule = vocab.unit_ids.get(unit)
    return (rule.get("counted_in") if rule else None) or unit


def _more_steps(text: str, vocab: Vocabulary) -> list[tuple[float | None, str]]:
    """The further (number, unit) pairs of a compound stretch: ", 1 month and 21 days"."""
    return [(_number(number, vocab), unit) for number, unit in vocab.steps.findall(text.lower())]


def _part_code(word: str, vocab: Vocabulary) -> str:
    """The TIMEX3 suffix of a part-of-day word ("morning" -> "TMO"); '' for none or a word without a code."""
    code = vocab.day_parts.get(word.lower(), "")
    return f"T{code}" if code else ""
