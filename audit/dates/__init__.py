"""Dates: find date and duration spans with the rules of `rules/dates.toml`, resolve them against the
article's publication day (never today's), and express them as TIMEX3 values.

The shapes (regexes) find the words; small resolvers named by each shape turn the words into a TIMEX3
value and the first and last day it covers. Absolute calendar words the rules found ("Jan. 8", "8 January
2020", "1/30/2020", "December 2021") are read by dateparser, in the date order the rule's groups give;
what dateparser decides differently from a news reader (the year of a year-less date, weekdays, two-digit
years, early/mid/late) stays ours, against the publication day, never today's. Modifiers (early/mid/late),
anchors (since/until ...) and hedges (nearly, more than ...) are read from the words just before a mention.
The conventions are documented at the top of `rules/dates.toml`; its word tables ([[unit]], [[offset]]) are
written once and named in the shapes' patterns as placeholders ({unit:day week}), expanded here.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from audit.errors import RuleError
from audit.hedges import EXACT, find_hedge, hedge_pattern, interval, phrase_alternation
from audit.model import Article, DateMention, Document
from audit.numbers import ORDINALS, parse_number
from audit.rules import Rule, RuleSet, compile_pattern

# Still in code (not yet moved to dates.toml): MONTHS and WEEKDAYS map the English words that dates.toml's
# patterns capture to calendar numbers, by their 3-letter prefix. Season and day-part words are dates.toml's.
MONTHS = {
    name: i
    for i, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# TIMEX3 season codes (mechanics, not words) as three-month periods (meteorological, northern hemisphere):
# the first month of each. dates.toml's `seasons` maps the words to these codes.
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
# TIMEX3 codes of the parts of a day; dates.toml's `day_parts` maps the words to them.
DAY_PART_CODES = ("MO", "AF", "EV", "NI")


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


@dataclass(frozen=True)
class Vocabulary:
    """The word tables of rules/dates.toml, compiled once per rule set."""

    units: dict[str, Rule]
    offsets: dict[str, int]
    modifiers: dict[str, Rule]
    anchors: dict[str, Rule]
    modifier_re: re.Pattern[str]
    anchor_re: re.Pattern[str]
    hedge_re: re.Pattern[str]
    future: re.Pattern[str] | None
    as_of: re.Pattern[str] | None
    speech: re.Pattern[str] | None
    few: int | None  # "a few days ago": that many, hedged "about"
    window: bool  # two-digit years read in a window around publication
    shapes: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]]  # shape id -> pattern, near (expanded)
    steps: re.Pattern[str]  # a number and a unit word: the further steps of "1 month and 21 days ago"
    anchor_after_re: re.Pattern[str]  # an anchor phrase right after a mention: "two days *after* January 3"
    lasting: re.Pattern[str]  # words before a stretch that make it last: "closed *for* two days after ..."
    vague_numbers: frozenset[str]  # "several days ago": no number
    day_words: dict[str, float]  # "tomorrow" = 1: where a shift counts from
    seasons: dict[str, str]  # season word -> TIMEX3 code: "autumn" -> FA
    day_parts: dict[str, str]  # part-of-day word -> TIMEX3 code: "overnight" -> NI


# id(rules) -> (rules, vocabulary); the rule set is kept so that its id cannot be reused while cached
_VOCABULARIES: dict[int, tuple[RuleSet, Vocabulary]] = {}


def _phrase_regex(phrases: Iterable[str], tail: str) -> re.Pattern[str]:
    """A regex matching any phrase (longest first) at the end of a text, followed by `tail`."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) or r"(?!x)x"
    return re.compile(rf"(?<![\w-])(?P<phrase>{alternation}){tail}$", re.IGNORECASE)


# A word table named in a shape's pattern or near: {unit} (every unit word), {unit:day week} (the
# words of those units), {unit:-weekend -season} (all but those), {offset}, {offset:previous next}.
PLACEHOLDER = re.compile(r"\{(?P<table>[a-z_]+)(?::(?P<ids>[^{}]*))?\}")
WORD_TABLES = ("unit", "offset")


def _alternation(words: Iterable[str]) -> str:
    """A regex group matching any of the words, the longest first (a space matches any white space).

    Written as a trie ("day", "days", "decade" -> d(?:ay(?:s)?|ecade)): the regex engine then tries one
    branch per letter instead of every word at every position, which keeps the shapes fast.
    """
    trie: dict = {}
    for word in {" ".join(w.lower().split()) for w in words} - {""}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + (emit(trie) or "(?!x)x") + ")"


def _expand(rules: RuleSet, rule: Rule, key: str) -> str:
    """A shape's pattern or near with every word-table placeholder replaced by that table's words."""
    where = f"{rule.file}, rule '{rule.id}', key '{key}'"

    def words(found: re.Match[str]) -> str:
        table, ids = found.group("table"), (found.group("ids") or "").split()
        if table not in WORD_TABLES:
            raise RuleError(f"{where}: unknown word table {{{table}}} (known: {', '.join(WORD_TABLES)})")
        rows = {r.id: r for r in rules.rules("dates", table)}
        wanted = [i for i in ids if not i.startswith("-")]
        unknown = [i.lstrip("-") for i in ids if i.lstrip("-") not in rows]
        if unknown:
            raise RuleError(f"{where}: no [[{table}]] rule '{unknown[0]}' (known: {', '.join(rows)})")
        picked = [r for i, r in rows.items() if (i in wanted or not wanted) and f"-{i}" not in ids]
        if not picked:
            raise RuleError(f"{where}: placeholder {found.group()} names no words")
        return _alternation(w for r in picked for w in r.get("words"))

    return PLACEHOLDER.sub(words, rule.get(key))


def _compile_shape(rules: RuleSet, rule: Rule) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """A shape's pattern and near, expanded and compiled; its examples checked against the pattern."""
    compiled = []
    for key in ("pattern", "near"):
        if rule.get(key) is None:
            compiled.append(None)
            continue
        try:
            compiled.append(compile_pattern(_expand(rules, rule, key)))
        except re.error as exc:
            raise RuleError(f"{rule.file}, rule '{rule.id}', key '{key}': bad regex: {exc}") from None
    pattern, near = compiled
    for example in rule.examples:
        wanted = example.get("match", True)
        if (pattern.search(example["text"]) is not None) != wanted:
            verb = "does not match" if wanted else "matches"
            raise RuleError(
                f"{rule.file}, rule '{rule.id}', key 'examples': pattern {verb} its example {example['text']!r}"
            )
    return pattern, near


def vocabulary(rules: RuleSet) -> Vocabulary:
    """The compiled word tables of a rule set (cached per rule set)."""
    key = id(rules)
    cached = _VOCABULARIES.get(key)
    if cached is not None and cached[0] is rules:
        return cached[1]
    units = {w.lower(): r for r in rules.rules("dates", "unit") for w in r.get("words")}
    offsets = {w.lower(): r.get("offset") for r in rules.rules("dates", "offset") for w in r.get("words")}
    modifiers = {re.sub(r"\s+", " ", p.lower()): r for r in rules.rules("dates", "modifier") for p in r.get("phrases")}
    anchors = {p.lower(): r for r in rules.rules("dates", "anchor") for p in r.get("phrases")}
    vocab = Vocabulary(
        units,
        offsets,
        modifiers,
        anchors,
        _phrase_regex(modifiers, r"(?:\s+|-)"),
        _phrase_regex(anchors, r"\s+(?:the\s+)?"),
        hedge_pattern(rules),
        rules.setting("dates", "future_cue"),
        rules.setting("dates", "as_of_cue"),
        rules.setting("dates", "speech_cue"),
        rules.setting("dates", "few"),
        rules.setting("dates", "two_digit_years", "unresolved") == "window",
        {rule.id: _compile_shape(rules, rule) for rule in rules.rules("dates", "shape")},
        re.compile(r"([a-z]+|\d+(?:\.\d+)?)[\s-]*(" + _alternation(units) + r")\b", re.IGNORECASE),
        re.compile(r"\s+(?P<phrase>" + _alternation(anchors) + r")\b(?:\s+the)?\s+", re.IGNORECASE),
        re.compile(r"\b(?:" + phrase_alternation(rules.setting("dates", "lasting_words", ())) + r")\s+$", re.I),
        frozenset(w.lower() for w in rules.setting("dates", "vague_numbers", ())),
        {w.lower(): v for w, v in rules.setting("dates", "day_words", {}).items()},
        _codes(rules, "seasons", tuple(SEASON_START)),
        _codes(rules, "day_parts", DAY_PART_CODES),
    )
    if len(_VOCABULARIES) >= 16:
        _VOCABULARIES.clear()
    _VOCABULARIES[key] = (rules, vocab)
    return vocab


def _codes(rules: RuleSet, key: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """A dates.toml word -> TIMEX3 code table, each code checked (RuleError naming the file and the key)."""
    table = {w.lower(): code for w, code in rules.setting("dates", key, {}).items()}
    for word, code in table.items():
        if code not in allowed:
            raise RuleError(
                f"dates.toml, rule 'settings', key '{key}.{word}': '{code}' is not one of {', '.join(allowed)}"
            )
    return table


def _part_code(word: str, vocab: Vocabulary) -> str:
    """The TIMEX3 suffix of a part-of-day word ("morning" -> "TMO"); '' for none or a word without a code."""
    code = vocab.day_parts.get(word.lower(), "")
    return f"T{code}" if code else ""


def check_rules(rules: RuleSet) -> None:
    """Expand, compile and check the shapes of rules/dates.toml now (RuleError naming file, rule and key).

    The generic loader cannot check a pattern that names a word table; call this right after load_rules
    so that a broken dates.toml stops the run before any text is read (find_in_spans checks it anyway).
    """
    vocabulary(rules)


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


# ---------------------------------------------------------------------------------------------
# Resolvers: match -> Resolved
# ---------------------------------------------------------------------------------------------


def _groups(match: re.Match[str]) -> dict[str, str]:
    """Named groups that matched, with numbered variants (year1, unit2) folded into their name."""
    out: dict[str, str] = {}
    for name, value in match.groupdict().items():
        if value is None:
            continue
        key = name.rstrip("0123456789")
        out.setdefault(key, value)
    return out


def _day_number(text: str) -> int | None:
    """A day of the month written as digits (8, 21st) or words (twenty-first, fifteen)."""
    text = re.sub(r"\s+|-", " ", text.lower()).strip()
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits.group())
    words = text.split()
    total = 0
    for word in words:
        if word in ORDINALS:
            total += ORDINALS[word]
        else:
            value = parse_number(word)
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


def _day_range(
    g: dict[str, str], base: Base, future: bool, vocab: Vocabulary, match: re.Match[str] | None = None
) -> Resolved:
    """Days d1-d2 of one month: both resolved as calendar days, in the first's year."""
    first = _calendar({**g, "day": g["day"]}, base, future, vocab.window, _written(match))
    if first.first is None:
        return first
    last = _calendar(
        {**g, "day": g["day_end"], "year": str(first.first.year)},
        base,
        future,
        vocab.window,
        _written(match, "day_end"),
    )
    if last.first is None or last.first < first.first:
        return Resolved("", note=last.note or "a range that ends before it starts")
    return Resolved(f"{first.timex}/{last.timex}", first.first, last.last)


def _year_text(g: dict[str, str], base: Base, window: bool) -> str:
    """The year a match states, as digits: 2016, '89 (or 1989 in window mode), nineteen seventy-eight."""
    if "year_words" in g:
        words = re.sub(r"[\s-]+", " ", g["year_words"].lower()).replace(" and ", " ").split()
        if words[:2] == ["two", "thousand"]:
            return str(int(parse_number(" ".join(words)) or 2000))
        rest = [w for w in words[1:] if w not in ("zero", "oh")]
        return str(int(parse_number(words[0]) or 0) * 100 + int(parse_number(" ".join(rest)) or 0))
    text = g.get("year", "").lstrip("'")
    ref = base.day or base.latest
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
    """(year, month, day) dateparser reads in calendar words, or None; the year is PARSE_BASE's if unwritten."""
    found = _date_parser(order, parts).get_date_data(text).date_obj
    return (found.year, found.month, found.day) if found is not None else None


def _written(match: re.Match[str] | None, day: str = "day") -> tuple[str, str, bool] | None:
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
            value = str(_day_number(value) or value)
        elif key == "year_words":
            value = _year_text({"year_words": value}, Base(None, None), False)
        pieces.append(value)
        order, end = order + DATE_PARTS[key], stop
    order += "".join(c for c in "DMY" if c not in order)
    return "".join(pieces), order, any(key in ("year", "year_words") for *_, key, _ in found)


def _read_day(g: dict[str, str], written: tuple[str, str, bool] | None) -> tuple[int | None, int | None, int, str]:
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
    day = _day_number(g["day"]) if "day" in g else None
    return None, None, day or 0, "" if day else "unreadable day"


def _calendar(
    g: dict[str, str],
    base: Base,
    future: bool,
    rules_window: bool = False,
    written: tuple[str, str, bool] | None = None,
) -> Resolved:
    """A calendar day from month/day/year (any may be missing) and an optional weekday check."""
    weekday = WEEKDAYS.index(g["weekday"].lower()[:3]) if "weekday" in g else None
    parsed_year, month, day, problem = _read_day(g, written)
    if problem:
        return Resolved("", note=problem)
    year_text = _year_text(g, base, rules_window)
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


def _day_of_month(g: dict[str, str], rule: Rule, base: Base, vocab: Vocabulary) -> Resolved:
    """A day of the month before/after publication's: the 20th of next month."""
    day = _day_number(g["day"])
    if base.day is None or day is None:
        return Resolved(f"XXXX-XX-{day or 0:02d}", note="no publication date")
    year, month = _add_months(base.day.year, base.day.month, _offset_of(g, rule, vocab) or 0)
    if not _valid(year, month, day):
        return Resolved("", note=f"impossible date: {year}-{month:02d}-{day:02d}")
    found = dt.date(year, month, day)
    return Resolved(found.isoformat(), found, found)


def _nth_weekday(g: dict[str, str], rule: Rule, base: Base, vocab: Vocabulary) -> Resolved:
    """The nth (or last) weekday of a month: the first Friday of July, the third Tuesday."""
    wanted = WEEKDAYS.index(g["weekday"].lower()[:3])
    nth_text = g["nth"].lower()
    nth = -1 if nth_text == "last" else (int(nth_text[0]) if nth_text[0].isdigit() else ORDINALS[nth_text])
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
        year, month = _add_months(base.day.year, base.day.month, _offset_of(g, rule, vocab) or 0)
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if dt.date(year, month, d).weekday() == wanted]
    if nth > len(days):
        return Resolved("", note=f"no {nth_text} {g['weekday']} in {year}-{month:02d}")
    found = dt.date(year, month, days[nth - 1 if nth > 0 else -1])
    return Resolved(found.isoformat(), found, found)


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


def _offset_of(g: dict[str, str], rule: Rule, vocab: Vocabulary) -> int | None:
    """The offset a match states (a word of the offset table) or the rule's constant."""
    if "offset" in g:
        return vocab.offsets.get(re.sub(r"\s+", " ", g["offset"].lower()).removeprefix("the "))
    return rule.get("offset")


def _month(
    g: dict[str, str], rule: Rule, base: Base, future: bool, vocab: Vocabulary, written: tuple | None = None
) -> Resolved:
    """A named month, season or quarter, with a year or an offset word, or placed near publication."""
    offset = _offset_of(g, rule, vocab) if "offset" in g else None
    year_text = _year_text(g, base, vocab.window)
    if "season" in g:
        if g["season"].lower() not in vocab.seasons:  # a season word of [[unit]] without a `seasons` code
            return Resolved("", note=f"unknown season '{g['season']}'")
        code = vocab.seasons[g["season"].lower()]
        first_month = SEASON_START[code]
        make = partial(season_period, code=code, first_month=first_month)
        pattern, granularity = f"XXXX-{code}", "season"
    elif "quarter" in g or "quarter_n" in g:
        q = g.get("quarter") or g["quarter_n"]
        number = int(q) if q.isdigit() else _day_number(q[0] if q[0].isdigit() else q)
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
        period = _named(make, offset, base, future)
        if period is None:
            return Resolved(pattern, granularity=granularity, note="no publication date")
    return Resolved(period.timex, period.first, period.last, granularity)


def _year(g: dict[str, str]) -> Resolved:
    """A year, decade or century as written."""
    if "decade" in g:
        period = decade_period(int(g["decade"]))
    elif "short_year" in g:
        period = year_period(int(g["century"]) * 100 + int(g["short_year"]))
    elif "century" in g:
        period = century_period((int(g["century"]) - 1) * 100)
    else:
        period = year_period(int(g["year"]))
    return Resolved(period.timex, period.first, period.last, period.granularity)


def _weekday(g: dict[str, str], rule: Rule, base: Base, future: bool, vocab: Vocabulary) -> Resolved:
    """A weekday: the most recent on or before publication, or as last/this/next say."""
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
    elif future:
        day = ref + dt.timedelta(days=(wanted - ref.weekday()) % 7)
    else:
        day = ref - dt.timedelta(days=(ref.weekday() - wanted) % 7)
    return Resolved(day.isoformat() + part, day, day)


def _unit(g: dict[str, str], rule: Rule, vocab: Vocabulary) -> tuple[str, Rule | None]:
    """The unit a match names (folded to its rule id) and its rule."""
    word = g.get("unit", rule.get("unit", "")).lower()
    unit_rule = vocab.units.get(word)
    if unit_rule is None:
        for candidate in vocab.units.values():
            if candidate.id == word:
                unit_rule = candidate
    return (unit_rule.id if unit_rule else word), unit_rule


def _period(g: dict[str, str], rule: Rule, base: Base, vocab: Vocabulary) -> Resolved:
    """The day/week/month/year ... containing publication, moved by the offset."""
    unit, _ = _unit(g, rule, vocab)
    offset = _offset_of(g, rule, vocab) or 0
    part = g.get("part")
    if unit == "season":
        return _month({"season": g["unit"], "offset": g.get("offset", "this")}, rule, base, False, vocab)
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


def _number(text: str, vocab: Vocabulary) -> float | None:
    """A count of units ("two", "10", "a", "a couple of"); None for vague words (few, several)."""
    words = re.sub(r"\s+", " ", text.lower()).strip()
    if any(v in words.split() for v in vocab.vague_numbers):
        return None
    words = words.replace("couple of", "couple")
    return parse_number(words)


def _shift(g: dict[str, str], rule: Rule, base: Base, vocab: Vocabulary) -> Resolved:
    """The day a stated stretch before/after publication: two years ago, two weeks from now."""
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


def _counted_in(unit: str, vocab: Vocabulary) -> str:
    """The unit a unit's amounts are given in (its `counted_in`, else itself): decade -> year."""
    rule = next((r for r in vocab.units.values() if r.id == unit), None)
    return (rule.get("counted_in") if rule else None) or unit


def _more_steps(text: str, vocab: Vocabulary) -> list[tuple[float | None, str]]:
    """The further (number, unit) pairs of a compound stretch: ", 1 month and 21 days"."""
    return [(_number(number, vocab), unit) for number, unit in vocab.steps.findall(text.lower())]


def _shift_day(day: dt.date, unit: str, n: int) -> dt.date:
    """A day moved by n days, weeks, months or years (month ends clamp: Mar 31 - 1 month = Feb 28/29)."""
    if unit in ("day", "week"):
        return day + dt.timedelta(days=n * (7 if unit == "week" else 1))
    year, month = _add_months(day.year, day.month, n * (12 if unit == "year" else 1))
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------------


def _duration(
    match: re.Match[str],
    start: int,
    g: dict[str, str],
    rule: Rule,
    text: str,
    rules: RuleSet,
    vocab: Vocabulary,
    base: Base,
) -> dict:
    """Value, unit, hedge, interval and TIMEX3 of a duration match."""
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
        return {"timex": f"P{time}X{designator}", "unit": counted_in, "vague": True, "start": start}
    value = (count + half) * ((unit_rule.get("factor") if unit_rule else None) or 1)
    # a hedge stands right before the number; before "the last week and a half", "over" means "during"
    prefixed = "number" not in g or match.start("number") > start
    hedge = EXACT if prefixed else find_hedge(text, number_start, rules, vocab.hedge_re)
    low, high = interval(value, hedge, integer=False)
    first, last = _stretch(g, value, counted_in, base, vocab)
    return {
        "first": first,
        "last": last,
        "timex": f"P{time}{format(value, 'g')}{designator}",
        "value": value,
        "unit": counted_in,
        "hedge": hedge.hedge,
        "low": low,
        "high": high,
        "start": min(start, hedge.start) if hedge.rule else start,
        "vague": False,
    }


def _stretch(g: dict[str, str], value: float, unit: str, base: Base, vocab: Vocabulary) -> tuple[str, str]:
    """The days of "the past three weeks" (before publication) or "the next two days" (after it)."""
    word = g.get("stretch", "").lower()
    if not word or base.day is None or unit not in ("day", "week", "month", "year"):
        return "", ""
    direction = -1 if (vocab.offsets.get(word) or 0) < 0 else 1
    if unit in ("day", "week"):
        days = round(value * (7 if unit == "week" else 1))
        edge = base.day + dt.timedelta(days=direction * days)
    else:
        edge = _shift_day(base.day, unit, direction * round(value))
    try:
        if direction < 0:
            return edge.isoformat(), (base.day - dt.timedelta(days=1)).isoformat()
        return (base.day + dt.timedelta(days=1)).isoformat(), edge.isoformat()
    except OverflowError:
        return "", ""


# ---------------------------------------------------------------------------------------------
# Finding
# ---------------------------------------------------------------------------------------------


def _resolver(rule: Rule) -> str:
    """The resolver a shape names (durations and calendar dates by default)."""
    return rule.get("resolve") or ("duration" if rule.get("kind") == "duration" else "calendar")


def _mention_span(match: re.Match[str]) -> tuple[int, int]:
    """The words a match keeps: its `mention` group (mention2, ...) where one matched, else all of it."""
    for name in match.re.groupindex:
        if name.rstrip("0123456789") == "mention" and match.group(name) is not None:
            return match.span(name)
    return match.span()


NEAR = 100  # characters around a shape's `near` words that its matches may reach


def _windows(text: str, start: int, end: int, near: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Where in start..end a shape can match: within NEAR characters of its `near` words (merged)."""
    if near is None:
        return [(start, end)]
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
        for order, rule in enumerate(shapes):
            pattern, near = vocab.shapes[rule.id]
            near = near if use_near else None
            key = near.pattern if near is not None else ""
            if key not in seen_windows:
                seen_windows[key] = _windows(text, start, end, near)
            last_end = -1
            for ws, we in seen_windows[key]:
                for match in pattern.finditer(text, ws, we):
                    if match.start() < last_end:
                        continue  # windows are disjoint, but keep matches in order
                    last_end = match.end()
                    s, e = _mention_span(match)
                    if e > s:
                        found.append((s, e, order, rule, match, start, end))
    found.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    kept: list = []
    taken: list[tuple[int, int]] = []
    for c in found:
        if any(s < c[1] and c[0] < e for s, e in taken):
            continue  # a longer (or earlier) shape already holds these words
        taken.append((c[0], c[1]))
        kept.append(c)
    return sorted(kept, key=lambda c: (c[0], c[1]))


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


def _narrative(g: dict[str, str], base: Base, last_day: dt.date | None) -> Resolved:
    """The day after (before) the last day the text named, else after (before) publication."""
    side = g.get("side", "").lower()
    step = -1 if side in ("previous", "preceding", "before") else 0 if side == "same" else 1
    ref = last_day or base.day
    if ref is None:
        return Resolved("XXXX-XX-XX", note="no earlier day in the text and no publication date")
    day = ref + dt.timedelta(days=step)
    note = "" if last_day else "counted from the publication day"
    return Resolved(day.isoformat(), day, day, note=note)


def _resolve(
    resolve: str,
    g: dict[str, str],
    rule: Rule,
    base: Base,
    future: bool,
    vocab: Vocabulary,
    last_day: dt.date | None,
    match: re.Match[str] | None = None,
) -> Resolved:
    """Run the resolver a shape names."""
    if resolve == "narrative":
        return _narrative(g, base, last_day)
    if resolve == "day_range":
        return _day_range(g, base, future, vocab, match)
    if resolve == "calendar" and "offset" in g:
        return _day_of_month(g, rule, base, vocab)
    if resolve == "calendar":
        return _calendar(g, base, future, vocab.window, _written(match))
    if resolve == "nth_weekday":
        return _nth_weekday(g, rule, base, vocab)
    if resolve == "month":
        return _month(g, rule, base, future, vocab, _written(match))
    if resolve == "year":
        return _year(g)
    if resolve == "weekday":
        return _weekday(g, rule, base, future, vocab)
    if resolve == "period":
        return _period(g, rule, base, vocab)
    if resolve == "shift":
        return _shift(g, rule, base, vocab)
    return Resolved(rule.get("timex", ""), note="", vague=True)


def _mention(
    text: str, c, base: Base, rules: RuleSet, vocab: Vocabulary, year_hint: str = "", last_day: dt.date | None = None
) -> DateMention:
    """Resolve one kept match into a DateMention (modifier, anchor, hedge included)."""
    start, end, _, rule, match, limit_start, limit_end = c
    g = _groups(match)
    resolve = _resolver(rule)
    if year_hint and _needs_year(g, resolve):
        g["year"] = year_hint  # the sentence names the year: "In 2014, on June 10, ..."
    if resolve == "duration":
        try:
            d = _duration(match, start, g, rule, text, rules, vocab, base)
        except (OverflowError, ValueError):  # a stretch beyond the calendar's range
            d = _duration(match, start, g, rule, text, rules, vocab, Base(None, None))
        s = d["start"]
        return DateMention(
            s, end, text[s:end], "duration", d["timex"], d.get("first", ""), d.get("last", ""),
            value=d.get("value"), low=d.get("low"), high=d.get("high"), unit=d["unit"],
            hedge=d.get("hedge", "vague" if d["vague"] else "exact"),
            rule=rule.id, vague=d["vague"],
        )  # fmt: skip
    future = False
    if resolve in ("calendar", "month", "weekday") and "offset" not in g and "year" not in g:
        future = _future(text, start, limit_start, vocab) and not _said(text, start, limit_start, vocab)
    try:
        r = _resolve(resolve, g, rule, base, future, vocab, last_day, match)
    except (OverflowError, ValueError):  # beyond year 1 .. 9999 (a junk publication date or text)
        r = Resolved("", note="date out of range")
    if resolve == "shift" and match.start() == start:  # "nearly two years ago": the hedge of the stretch
        hedge = find_hedge(text, start, rules, vocab.hedge_re)
        if hedge.rule is not None:
            start, r = hedge.start, Resolved(r.timex, r.first, r.last, r.granularity, r.note, r.vague, hedge.hedge)
    mod_rule = vocab.modifiers.get(re.sub(r"\s+", " ", g["mod"].lower())) if "mod" in g else None
    if mod_rule is None and resolve != "reference":
        start, mod_rule = _modifier(text, start, limit_start, vocab)
    first, last = r.first, r.last
    if mod_rule is not None and first is not None and last is not None and r.granularity != "day":
        period = Period(r.timex, first, last, r.granularity)
        first, last = _cut(period, mod_rule.get("first"), mod_rule.get("last"))
    anchor = _anchor(text, start, limit_start, vocab) if resolve != "reference" else ""
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
        mention = _mention(text, c, base, rules, vocab, hint if same_sentence else "", last_day)
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


def _needs_year(g: dict[str, str], resolve: str) -> bool:
    """Whether a match is a month (and day) without a year or an offset word."""
    return (
        resolve in ("calendar", "month") and "month" in g and not any(k in g for k in ("year", "year_words", "offset"))
    )


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


__all__ = [
    "Base",
    "Period",
    "check_rules",
    "event_context",
    "find_dates",
    "find_in_spans",
    "publication_day",
    "vocabulary",
]
