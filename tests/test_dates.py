"""Dates and durations: shapes found, resolved against the publication date, and the context of figures.

Expected values are written from reading the phrases and a calendar (2020-01-15 is a Wednesday,
2020-01-17 a Friday, 2020-01-30 a Thursday, 2023-11-10 a Friday), never from the program's output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re

import pytest

from audit.dates import event_context, find_dates, find_in_spans, publication_day
from audit.errors import RuleError
from audit.model import Article, DateMention, Document, Source
from audit.numbers import Numbers
from audit.rules import load_rules

RULES = load_rules()
FIELDS = ("timex", "date", "date_end", "mod", "anchor", "value", "unit", "hedge", "low", "high")


def find(text: str, published: str = "", rules=RULES) -> list[DateMention]:
    """Every mention in a whole text."""
    return find_in_spans(text, [(0, len(text))], published, rules)


def mention_of(text: str, words: str, published: str) -> DateMention:
    """The one mention that holds `words` (fails if none)."""
    start = text.index(words)
    found = [m for m in find(text, published) if m.start <= start < m.end or start <= m.start < start + len(words)]
    assert found, f"nothing found at {words!r} in {text!r}: {find(text, published)}"
    return found[0]


def check(m: DateMention, expected: dict) -> None:
    """Compare the fields an example names (numbers with a tolerance)."""
    for key, want in expected.items():
        got = m.text if key == "span" else getattr(m, key)
        if isinstance(want, float | int) and not isinstance(want, bool) and got is not None:
            assert got == pytest.approx(want), f"{key}: {got!r} != {want!r} ({m})"
        else:
            assert got == want, f"{key}: {got!r} != {want!r} ({m})"


# --- every example of rules/dates.toml --------------------------------------------------------


def _rule_examples():
    for table in ("shape", "unit", "offset", "modifier", "anchor"):
        for rule in RULES.rules("dates", table):
            for i, example in enumerate(rule.examples):
                yield pytest.param(table, rule.id, dict(example), id=f"{table}:{rule.id}:{i}")


@pytest.mark.parametrize(("table", "rule_id", "example"), list(_rule_examples()))
def test_rule_example(table, rule_id, example):
    text, published = example.pop("text"), example.pop("published", "")
    found = find(text, published)
    for m in found:
        assert text[m.start : m.end] == m.text
    if example.pop("match", True) is False:
        assert not [m for m in found if m.rule == rule_id], found
        return
    assert found, f"nothing found in {text!r}"
    own = [m for m in found if m.rule == rule_id] if table == "shape" else found
    assert own, f"rule {rule_id} found nothing in {text!r}: {found}"
    check(own[0], example)


# --- the seeds' phrases and other hard cases -----------------------------------------------------

HARD = [
    # (published, text, words, expected)
    ("2020-01-30", "an Iraqi military statement said Thursday.", "Thursday", {"timex": "2020-01-30"}),
    ("2020-01-17T00:47+05:30", "denied reports on Thursday that", "Thursday", {"date": "2020-01-16"}),
    ("2020-01-15", "resumed joint operations with Iraq on Wednesday", "Wednesday", {"date": "2020-01-15"}),
    (
        "2020-01-17",
        "The first, in late December, killed 25",
        "late December",
        {"timex": "2019-12", "mod": "END", "date": "2019-12-21", "date_end": "2019-12-31", "span": "late December"},
    ),
    ("2020-01-17", "outside Baghdad airport on January 3, which", "January 3", {"timex": "2020-01-03"}),
    ("2020-01-30", "Iran's Jan. 8 missile attack", "Jan. 8", {"timex": "2020-01-08", "date_end": "2020-01-08"}),
    (
        "2020-01-15",
        "ending a 10-day pause",
        "10-day",
        {"timex": "P10D", "value": 10, "unit": "day", "hedge": "exact", "low": 10, "high": 10},
    ),
    (
        "2020-01-30",
        "have resumed after a nearly three-week pause",
        "three-week",
        {
            "timex": "P3W",
            "value": 3,
            "unit": "week",
            "hedge": "nearly",
            "low": 2.7,
            "high": 3,
            "span": "nearly three-week",
        },
    ),
    (
        "2020-01-30",
        "Last week, Trump appeared to play down",
        "Last week",
        {"timex": "2020-W04", "date": "2020-01-20", "date_end": "2020-01-26"},
    ),
    (
        "2023-11-10",
        "attacked at least 46 times since October 17, ten days after",
        "October 17",
        {"timex": "2023-10-17", "date": "2023-10-17", "date_end": "", "anchor": "since"},
    ),
    (
        "2024-01-24",
        "come more than two week after two suicide terrorists",
        "two week",
        {"timex": "P2W", "hedge": "more_than", "low": 2, "high": None, "span": "more than two week"},
    ),
    ("2020-01-15", "came less than two weeks after", "two weeks", {"hedge": "less_than", "low": None, "high": 2}),
    ("2020-01-30", "Thursday, 1/30/2020 - 10:00", "1/30/2020", {"timex": "2020-01-30"}),
    ("2020-01-17", "Updated: 17-01-2020 00:59 IST", "17-01-2020", {"timex": "2020-01-17"}),
    ("2025-09-01", "signed on 19.08.2025 in", "19.08.2025", {"timex": "2025-08-19"}),
    ("2020-01-30", "on 8 January 2020", "8 January", {"timex": "2020-01-08"}),
    ("2020-02-01", "filed 2020-01-17.", "2020-01-17", {"timex": "2020-01-17"}),
    ("2024-01-20", "in Iraq since December 2021, when", "December 2021", {"date": "2021-12-01", "date_end": ""}),
    ("2020-01-17", "active in Iraq since 2014, said", "2014", {"timex": "2014", "anchor": "since"}),
    ("2020-01-17", "the coalition, present in 2014 and", "2014", {"date": "2014-01-01", "date_end": "2014-12-31"}),
    ("2020-01-17", "Iraqi lawmakers this month also", "this month", {"date": "2020-01-01", "date_end": "2020-01-31"}),
    ("2020-01-17", "it happened yesterday", "yesterday", {"timex": "2020-01-16"}),
    ("2020-01-17T00:47+05:30", "as it said today", "today", {"timex": "2020-01-17"}),
    ("2013-03-22", "last summer", "summer", {"timex": "2012-SU", "date": "2012-06-01", "date_end": "2012-08-31"}),
    ("2020-01-15", "strikes over the weekend", "weekend", {"date": "2020-01-11", "date_end": "2020-01-12"}),
    ("2020-01-17", "has said in recent weeks that", "recent weeks", {"timex": "PXW", "vague": True}),
    (
        "2020-01-20",
        "earlier this month",
        "earlier",
        {"timex": "2020-01", "date": "2020-01-01", "date_end": "2020-01-20"},
    ),
    ("2020-01-17", "since mid-December", "December", {"mod": "MID", "date": "2019-12-11", "anchor": "since"}),
    ("2020-01-17", "at the end of 2019", "2019", {"mod": "END", "date": "2019-09-01", "date_end": "2019-12-31"}),
    ("2020-01-17", "will stay until January 31", "January 31", {"date": "", "date_end": "2020-01-31"}),
    ("2020-01-30", "troops wounded by the Jan. 8 attack", "Jan. 8", {"date": "2020-01-08", "anchor": ""}),
    ("2020-01-30", "the toll by Jan. 28 stood at 50", "Jan. 28", {"date": "", "date_end": "2020-01-28"}),
    (
        "2023-11-10",
        "As of Thursday, there have been 36 attacks",
        "Thursday",
        {"date": "2023-11-09", "anchor": "as_of", "span": "Thursday"},
    ),
    ("2020-01-17", "for more than an hour", "hour", {"timex": "PT1H", "hedge": "more_than", "unit": "hour"}),
    ("2020-01-17", "for over a decade", "decade", {"timex": "P10Y", "value": 10, "unit": "year"}),
    ("2020-01-17", "lasted two days", "two days", {"timex": "P2D", "value": 2}),
    # a day-month keeps its day when a figure follows its comma
    ("2020-01-17", "The frequency on 9 May, 49.52 Hz, was low.", "9 May", {"timex": "2019-05-09", "span": "9 May"}),
    # years in a range of years stay years
    ("2013-03-22", "It rose from 2009 to 2010.", "2010", {"timex": "2010"}),
    ("2013-03-22", "the pandemic of 2009 - 2010", "2009", {"timex": "2009"}),
    # a fortnight is two weeks: "the past fortnight" is the 14 days before publication (Fri 2020-01-17)
    (
        "2020-01-17",
        "Prices rose over the past fortnight.",
        "fortnight",
        {"timex": "P2W", "value": 2, "unit": "week", "date": "2020-01-03", "date_end": "2020-01-16"},
    ),
    ("2020-01-17", "in the last fortnight", "fortnight", {"timex": "P2W", "span": "the last fortnight"}),
    ("2020-01-17", "for a fortnight", "fortnight", {"timex": "P2W", "value": 2, "unit": "week"}),
    # a stretch before/after a day is counted from it (2020-01-05 is a Sunday, 2023-10-17 a Tuesday)
    (
        "2020-01-17",
        "The coalition suspended its mission on January 5, two days after an American drone fired missiles.",
        "two days",
        {
            "kind": "date",
            "timex": "2020-01-03",
            "date": "2020-01-03",
            "date_end": "2020-01-03",
            "note": "counted from 2020-01-05 (January 5)",
            "span": "two days after",
        },
    ),
    (
        "2023-11-10",
        "attacked at least 46 times since October 17, ten days after the Hamas attack",
        "ten days",
        {"kind": "date", "timex": "2023-10-07", "span": "ten days after"},
    ),
    ("2020-01-17", "Parliament voted two days after January 3.", "two days", {"kind": "date", "timex": "2020-01-05"}),
    ("2020-01-17", "It voted two days after January 3.", "January 3", {"timex": "2020-01-03", "anchor": "after"}),
    ("2020-01-17", "They met a week before January 15.", "a week", {"kind": "date", "timex": "2020-01-08"}),
    ("2020-01-30", "troops hurt two days after the Jan. 8 attack", "two days", {"kind": "date", "timex": "2020-01-10"}),
    ("2020-01-17", "On Monday, three weeks after the vote", "three weeks", {"kind": "date", "timex": "2019-12-23"}),
    # no day beside it, a hedge, or no publication date: a duration (TimeML: "Two years after" is P2Y)
    ("2013-03-22", "Two years after his brain-cancer surgery", "Two years", {"kind": "duration", "timex": "P2Y"}),
    ("2020-01-17", "more than two weeks after January 3", "two weeks", {"kind": "duration", "hedge": "more_than"}),
    ("", "on January 5, two days after a strike", "two days", {"kind": "duration", "timex": "P2D"}),
    ("2020-01-17", "In 2019, two years after the war", "two years", {"kind": "duration", "timex": "P2Y"}),
    ("2020-01-17", "The airport was shut for two days after January 3.", "two days", {"kind": "duration"}),
    ("2020-01-30", "Bethlehem, Tuesday, Dec. 31, 2019", "Dec. 31", {"timex": "2019-12-31", "note": ""}),
    ("2020-01-17", "two years ago", "two years", {"timex": "2018", "date": "2018-01-17"}),
    (
        "2020-01-17",
        "nearly two years ago",
        "two years",
        {"timex": "2018", "hedge": "nearly", "span": "nearly two years ago"},
    ),
    ("2020-01-17", "born on February 29", "February 29", {"timex": "2016-02-29"}),
    ("2020-03-01", "born on February 29", "February 29", {"timex": "2020-02-29"}),
    ("2024-01-20", "Last October, following", "October", {"timex": "2023-10"}),
    ("2020-01-17", "on December 17", "December 17", {"timex": "2019-12-17"}),
    ("2020-01-15", "Ministers will meet on Monday", "Monday", {"timex": "2020-01-20"}),
    ("2020-01-15", "The US will withdraw troops, officials said Monday.", "Monday", {"timex": "2020-01-13"}),
    ("2020-01-15", "The next round of talks began on Monday.", "Monday", {"timex": "2020-01-13"}),
    ("2020-01-15", "The parliament, which will vote soon, met on Monday.", "Monday", {"timex": "2020-01-13"}),
    ("2020-01-15", "Ministers, who will meet on Monday, spoke.", "Monday", {"timex": "2020-01-20"}),
    ("2007-04-11", "She was held pending her next court appearance April 19.", "April 19", {"timex": "2007-04-19"}),
    ("2007-04-11", "He was held without bond and had a court hearing April 2.", "April 2", {"timex": "2007-04-02"}),
    ("2020-01-17", "last Friday", "Friday", {"timex": "2020-01-10"}),
    ("2020-01-17", "Thursday morning", "Thursday", {"timex": "2020-01-16TMO", "date": "2020-01-16"}),
    # the sentence names the year: a year-less date takes it, and only within that sentence
    ("2020-01-17", "In 2014, on June 10, ISIS took Mosul.", "June 10", {"timex": "2014-06-10"}),
    ("2020-01-17", "On June 4, 1967 and on June 10 the war raged.", "June 10", {"timex": "1967-06-10"}),
    ("2020-01-17", "It began in 2014. On June 10 ISIS took Mosul.", "June 10", {"timex": "2019-06-10"}),
    (
        "2020-01-17",
        "The coalition, active in Iraq since 2014, said on January 5 that",
        "January 5",
        {"timex": "2020-01-05"},
    ),
]


@pytest.mark.parametrize(("published", "text", "words", "expected"), HARD, ids=[f"{h[2]}@{h[0][:10]}" for h in HARD])
def test_hard_cases(published, text, words, expected):
    check(mention_of(text, words, published), expected)


NOT_DATES = [
    ("at 2:30 a.m. (2330 GMT on Tuesday)", ["2:30 a.m.", "2330 GMT"]),
    ("to mark the fourth anniversary of the US killing", ["fourth anniversary"]),
    ("an American MQ-9 Reaper drone and two F-16s", ["MQ-9", "F-16s"]),
    ("Phone: +91-130-6444012", ["6444012"]),
    ("about 2000 troops were sent", ["2000"]),
    ("Theresa May said the march 5 miles", ["May", "march 5"]),
    ("The Arab Spring protests", ["Spring"]),
    ("shares 3 / 0 / 0", ["3 / 0 / 0"]),
    ("children ages 6 months and older", ["6 months"]),
    ("a 12-year-old boy", ["12-year"]),
    ("three 3/4 cups and a 24/7 service", ["3/4", "24/7"]),
    ("at 2030 GMT", ["2030"]),
    ("It was the last day. Friday is the last day for bids, the last day of talks.", ["last day"]),
    # NewsQuant: a decimal after a day-month's comma is a new figure, not a two-digit year
    ("The frequency on 9 May, 49.52 Hz, was low.", ["49.52"]),
    ("In May, 49.5 percent said yes; on 3 June 12 people left.", ["49.5", "12"]),
    # NewsQuant: a number in a range whose other end is no year, or that counts a noun, is not a year
    ("It plans from 1000 to 2000 hires.", ["2000"]),
    ("Eat about 2000 - 2500 Calories a day, or 1500-2000 on rest days.", ["2000", "2500"]),
    ("About 2000 new hires and 2,000 people joined.", ["2000", "2,000"]),
]


@pytest.mark.parametrize(("text", "words"), NOT_DATES, ids=[n[0][:30] for n in NOT_DATES])
def test_not_dates(text, words):
    found = find(text, "2020-01-17")
    for w in words:
        for at in re.finditer(re.escape(w), text):
            hits = [m for m in found if m.start < at.end() and at.start() < m.end]
            assert not hits, f"{w!r} read as {hits}"


# --- no publication date, bad publication dates, bad dates ----------------------------------------

UNRESOLVED = [
    ("on January 10", "January 10", "XXXX-01-10"),
    ("on Tuesday", "Tuesday", "XXXX-WXX-2"),
    ("last week", "last week", "XXXX-WXX"),
    ("yesterday", "yesterday", "XXXX-XX-XX"),
    ("in late December", "December", "XXXX-12"),
    ("this month", "month", "XXXX-XX"),
]


@pytest.mark.parametrize(("text", "words", "timex"), UNRESOLVED, ids=[u[0] for u in UNRESOLVED])
@pytest.mark.parametrize("published", ["", "not a date", "2020-13-45", "2020-02-30", "   ", "2020-01-17T25:00"])
def test_no_publication_date_keeps_the_pattern(text, words, timex, published):
    m = mention_of(text, words, published)
    assert (m.timex, m.date, m.date_end) == (timex, "", "")


@pytest.mark.parametrize("published", ["", "junk", "2020-02-30"])
def test_full_dates_and_durations_need_no_publication_date(published):
    text = "On 8 January 2020 a 10-day pause began."
    assert [(m.timex, m.date) for m in find(text, published)] == [("2020-01-08", "2020-01-08"), ("P10D", "")]


def test_partial_publication_date_places_month_days():
    text = "on January 10 and on December 17 and on Tuesday"
    got = {m.text: m.date for m in find(text, "2024-01")}
    assert got == {"January 10": "2024-01-10", "December 17": "2023-12-17", "Tuesday": ""}


BAD_DATES = [
    ("on February 31", "February 31", "impossible"),
    ("on 31 February", "31 February", "impossible"),
    ("on 2020-02-31", "2020-02-31", "impossible"),
    ("on 2/30/2020", "2/30/2020", "impossible"),
]


@pytest.mark.parametrize(("text", "words", "note"), BAD_DATES, ids=[b[0] for b in BAD_DATES])
def test_bad_dates_are_unresolved_with_a_note(text, words, note):
    m = mention_of(text, words, "2020-03-22")
    assert m.date == "" and m.date_end == ""
    assert note in m.note


def test_date_after_publication_is_kept_with_a_note():
    m = mention_of("the deal signed on January 3, 2021", "January 3", "2020-01-17")
    assert m.date == "2021-01-03"
    assert "after the publication date" in m.note


def test_weekday_that_does_not_match_the_date_is_noted():
    m = mention_of("Monday, Dec. 31, 2019", "Dec. 31", "2020-01-30")
    assert m.date == "2019-12-31" and "Monday" in m.note


def test_two_digit_years_take_the_century_of_the_publication():
    got = {m.text: m.date for m in find("on 05/05/89 and on 3-7-27", "2016-11-07")}
    assert got == {"05/05/89": "1989-05-05", "3-7-27": "2027-03-07"}


@pytest.mark.parametrize(("text", "words"), [("on 05/05/89", "05/05/89"), ("Updated: 17-01-20", "17-01-20")])
def test_two_digit_years_without_a_publication_date_are_unresolved(text, words):
    m = mention_of(text, words, "")
    assert (m.timex[:2], m.date) == ("XX", "") and "two-digit year" in m.note


def test_two_digit_years_unresolved_is_a_setting():
    from dataclasses import replace

    settings = {**RULES.settings, "dates": {**RULES.settings["dates"], "two_digit_years": "unresolved"}}
    rules = replace(RULES, settings=settings)
    got = {m.text: (m.timex, m.date) for m in find("on 05/05/89", "2016-11-07", rules)}
    assert got == {"05/05/89": ("XX89-05-05", "")}


# --- publication day in the outlet's time zone -----------------------------------------------------

PUBLICATION = [
    ("2020-01-17T00:47+05:30", "", dt.date(2020, 1, 17)),
    ("2020-01-17T00:47+05:30", "Asia/Kolkata", dt.date(2020, 1, 17)),
    ("2020-01-17T00:47+05:30", "America/New_York", dt.date(2020, 1, 16)),
    ("2020-01-16T20:00Z", "Asia/Kolkata", dt.date(2020, 1, 17)),
    ("2020-01-16T20:00Z", "Nowhere/Atlantis", dt.date(2020, 1, 16)),
    ("2020-01-15", "Asia/Kolkata", dt.date(2020, 1, 15)),
    ("2024-01", "", None),
    ("", "", None),
    ("yesterday", "", None),
]


@pytest.mark.parametrize(("published", "zone", "day"), PUBLICATION, ids=[f"{p[0]}|{p[1]}" for p in PUBLICATION])
def test_publication_day(published, zone, day):
    assert publication_day(published, zone) == day


def test_find_dates_reads_the_outlet_time_zone():
    text = "Iraq denied reports on Thursday that operations had resumed."
    article = Article(1, "", 0, len(text), ((0, len(text)),), published="2020-01-16T20:00Z")
    in_delhi = Document(Source("x.txt", "x", timezone="Asia/Kolkata"), text, (article,))
    in_utc = Document(Source("x.txt", "x"), text, (article,))
    assert find_dates(in_delhi, article, RULES)[0].date == "2020-01-16"  # a Friday paper: Thursday is the 16th
    assert find_dates(in_utc, article, RULES)[0].date == "2020-01-16"  # the same day read in UTC (a Thursday)
    friday_paper = replace_published(article, "2020-01-17T09:00+05:30")
    assert find_dates(in_delhi, friday_paper, RULES)[0].date == "2020-01-16"


def replace_published(article: Article, published: str) -> Article:
    """The article with another publication date."""
    from dataclasses import replace

    return replace(article, published=published)


def test_offsets_point_into_the_spans_only():
    text = "Header Jan. 8 junk. Body: on January 3 a 10-day pause began."
    body = text.index("Body")
    found = find_in_spans(text, [(body, len(text))], "2020-01-17", RULES)
    assert [m.text for m in found] == ["January 3", "10-day"]
    assert all(text[m.start : m.end] == m.text for m in found)


# --- event date and as-of day of a figure --------------------------------------------------------

EVENTS = [
    # (published, sentence, number, (date, date_end, as_of))
    ("2020-01-30", "Iran's Jan. 8 missile attack on Ain al-Asad wounded 50 American troops.", "50",
     ("2020-01-08", "2020-01-08", "")),
    ("2020-02-10", "The count had stood at 64 on Jan. 31.", "64", ("", "", "2020-01-31")),
    ("2023-11-10", "As of Thursday, there have been 36 attacks in Iraq and 37 in Syria since October 17.", "36",
     ("2023-10-17", "", "2023-11-09")),
    ("2020-01-30", "The Pentagon said Thursday that 34 troops were hurt in the Jan. 8 attack.", "34",
     ("2020-01-08", "2020-01-08", "2020-01-30")),
    ("2020-01-15", "Officials said on Monday that 11 troops were hurt.", "11", ("", "", "2020-01-13")),
    ("2020-01-15", "About 5,200 US troops are in Iraq.", "5,200", ("", "", "")),
    ("2020-01-17", "The first, in late December, killed 25 Iraqi fighters.", "25", ("2019-12-21", "2019-12-31", "")),
    ("2020-01-30", "By Jan. 28, the toll had risen to 50.", "50", ("", "", "2020-01-28")),
    ("2024-01-20", "The toll rose to 40 on Friday after the attack of January 3.", "40",
     ("2024-01-03", "2024-01-03", "2024-01-19")),
    # the strike that killed eight was two days before January 5
    ("2020-01-17", "The coalition suspended its mission on January 5, two days after a drone fired missiles at a "
     "convoy, killing eight other people.", "eight", ("2020-01-03", "2020-01-03", "")),
]  # fmt: skip


@pytest.mark.parametrize(("published", "sentence", "number", "expected"), EVENTS, ids=[e[2] for e in EVENTS])
def test_event_context(published, sentence, number, expected):
    text = "Earlier: on January 1 nothing happened. " + sentence + " Later: on January 2 more."
    s = text.index(sentence)
    mentions = find(text, published)
    n = text.index(number, s)
    assert event_context(mentions, (s, s + len(sentence)), (n, n + len(number))) == expected


# --- known failures ------------------------------------------------------------------------------

KNOWN = [
    # a future event named without a future verb before it
    pytest.param("2013-03-22", "delayed until 11:00 GMT Saturday because of fog", "Saturday", {"date": "2013-03-23"},
                 marks=pytest.mark.xfail(strict=True, reason="no future cue before the date")),
    pytest.param("2013-03-18", "two firms for the rail project to run through June.", "June",
                 {"timex": "2013-06"}, marks=pytest.mark.xfail(strict=True, reason="'to run' is not a future cue")),
]  # fmt: skip


@pytest.mark.parametrize(("published", "text", "words", "expected"), KNOWN)
def test_known_failures(published, text, words, expected):
    check(mention_of(text, words, published), expected)


# --- speed gate: a shape runs only near its `near` words, and loses nothing by it ------------------


def test_near_words_lose_nothing():
    from audit.dates import _candidates

    texts = [e["text"] for r in RULES.rules("dates", "shape") for e in r.examples]
    texts += [h[1] for h in HARD] + [n[0] for n in NOT_DATES]
    page = " ".join(texts)
    for text in [*texts, page]:
        fast = [(c[0], c[1], c[3].id) for c in _candidates(text, [(0, len(text))], RULES, use_near=True)]
        slow = [(c[0], c[1], c[3].id) for c in _candidates(text, [(0, len(text))], RULES, use_near=False)]
        assert fast == slow, text


EDGES = [
    ("the Q0 tomorrow of of 31 20th", "9999-12-31"),
    ("1 last Feb. twenty next summer", "9999-12-31"),
    ("1990s Feb. in Sunday zero 12:30 yesterday", "0001-01-01"),
    ("nearly quarter this January Q5 month last", "9999"),
    ("on 0/0/0 and 00-00-0000 and 2020-00-00 and 9999-99-99", "2020-01-17"),
    ("the 0th of this month and the fifth Sunday of next month", "2020-01-17"),
    ("２０２０ and ١٢ May", "2020-01-17"),
]


@pytest.mark.parametrize(("text", "published"), EDGES, ids=[e[0][:24] for e in EDGES])
def test_junk_and_calendar_edges_never_crash(text, published):
    for m in find(text, published):
        assert text[m.start : m.end] == m.text
        assert m.date == "" or "0001-01-01" <= m.date <= "9999-12-31"


def test_a_user_adds_a_shape_and_a_word_in_toml(tmp_path):
    import shutil

    from audit.rules import DEFAULT_RULES_DIR

    for path in DEFAULT_RULES_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    dates_toml = tmp_path / "dates.toml"
    text = dates_toml.read_text(encoding="utf-8")
    text = text.replace(
        'words = ["last", "past", "previous", "preceding"]',
        'words = ["last", "past", "previous", "preceding", "latest"]',
    )
    text = text.replace('words = ["week", "weeks"]', 'words = ["week", "weeks", "wk", "wks"]')
    text += """
[[shape]]
id = "the_other_day"
description = "the other day: some recent day"
resolve = "reference"
timex = "PAST_REF"
pattern = '''\\bthe\\s+other\\s+day\\b'''
examples = [{text = "I saw him the other day", timex = "PAST_REF"}]
"""
    dates_toml.write_text(text, encoding="utf-8")
    rules = load_rules(tmp_path)
    sentence = "I saw him the other day, before the latest week of talks."
    found = {m.text: m.timex for m in find(sentence, "2020-01-30", rules)}
    assert found == {"the other day": "PAST_REF", "the latest week": "2020-W04"}
    # one word added to the week unit reaches durations, "ago", periods and their near filters
    sentence = "After a 3-wk pause, talks that began two wks ago resumed last wk, for several wks."
    found = {m.text: (m.timex, m.date) for m in find(sentence, "2020-01-30", rules)}
    assert found == {
        "3-wk": ("P3W", ""),
        "two wks ago": ("2020-W03", "2020-01-16"),
        "last wk": ("2020-W04", "2020-01-20"),
        "several wks": ("PXW", ""),
    }


def test_following_is_a_preposition_before_a_date():
    m = mention_of("Following Monday's strike, talks stopped.", "Monday", "2020-01-15")
    assert (m.text, m.date) == ("Monday", "2020-01-13")


@pytest.mark.parametrize(
    "word",
    [w for r in RULES.rules("dates", "unit") if r.id not in ("weekend", "season") for w in r.get("words")],
)
def test_every_unit_word_is_a_duration(word):
    text = f"a stretch of 2 {word} passed"
    found = [m for m in find(text) if m.kind == "duration"]
    assert found and found[0].text == f"2 {word}"


@pytest.mark.parametrize("word", [w for r in RULES.rules("dates", "offset") for w in r.get("words")])
def test_every_offset_word_names_a_period(word):
    offset = next(r.get("offset") for r in RULES.rules("dates", "offset") if word in r.get("words"))
    found = find(f"It happened {word} month.", "2020-01-17")
    assert [(m.text, m.timex) for m in found] == [
        (f"{word} month", f"2020-{1 + offset:02d}".replace("2020-00", "2019-12"))
    ]


# --- word tables in patterns: expanded once, checked like any rule -------------------------------


def test_a_word_table_matches_its_words_only():
    from audit.dates import _alternation

    words = ["day", "days", "decade", "the same", "this"]
    regex = re.compile(_alternation(words) + r"\Z", re.IGNORECASE)
    for word in [*words, "DAYS", "the  same"]:
        assert regex.match(word), word
    for other in ["da", "dayss", "decades", "the", "thes", "same"]:
        assert not regex.match(other), other


BAD_SHAPES = {
    "unknown-table": ("(?P<unit>{units})", ["dates.toml", "'broken'", "'pattern'", "unknown word table {units}"]),
    "unknown-id": ("(?P<unit>{unit:day wek})", ["dates.toml", "'broken'", "'pattern'", "no [[unit]] rule 'wek'"]),
    "bad-regex": ("(?P<unit>{unit}", ["dates.toml", "'broken'", "'pattern'", "bad regex"]),
    "example-not-matched": ("{unit:day}", ["dates.toml", "'broken'", "'examples'", "does not match"]),
}


@pytest.mark.parametrize("case", sorted(BAD_SHAPES))
def test_a_broken_shape_names_file_rule_and_key(tmp_path, case):
    import shutil

    from audit.dates import check_rules
    from audit.errors import RuleError
    from audit.rules import DEFAULT_RULES_DIR

    for path in DEFAULT_RULES_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    pattern, expected = BAD_SHAPES[case]
    with (tmp_path / "dates.toml").open("a", encoding="utf-8") as out:
        out.write(f"""
[[shape]]
id = "broken"
kind = "duration"
pattern = '''\\b\\d+\\s+{pattern}'''
examples = [{{text = "for 2 years"}}]
""")
    rules = load_rules(tmp_path)
    with pytest.raises(RuleError) as error:
        check_rules(rules)
    for part in expected:
        assert part in str(error.value)
    with pytest.raises(RuleError):  # and any use of the rules
        find("for 2 years", "", rules)


# --- dateparser reads the calendar words the rules found ------------------------------------------

WRITTEN = [
    # (text, words of the match, what dateparser is given, date order, year written)
    ("Iran's Jan. 8 missile attack", "Jan. 8", "Jan. 8", "MDY", False),
    ("Bethlehem, Tuesday, Dec. 31, 2019", "Dec. 31", "Dec. 31, 2019", "MDY", True),
    ("on 8 January 2020", "8 January", "8 January 2020", "DMY", True),
    ("Updated: 17-01-2020 00:59", "17-01-2020", "17-01-2020", "MDY", True),
    ("signed on 19.08.2025 in", "19.08.2025", "19.08.2025", "DMY", True),
    ("filed 2015.5.13.", "2015.5.13", "2015.5.13", "YMD", True),
    ("he left May twenty-first", "May twenty-first", "May 21", "MDY", False),
    ("on the tenth of October, two thousand", "tenth", "10 October, 2000", "DMY", True),
    ("in Iraq since December 2021, when", "December 2021", "December 2021", "MYD", True),
]


@pytest.mark.parametrize(("text", "words", "given", "order", "has_year"), WRITTEN, ids=[w[1] for w in WRITTEN])
def test_calendar_words_given_to_dateparser(text, words, given, order, has_year):
    from audit.dates import _candidates, _written

    at = text.index(words)
    match = next(c[4] for c in _candidates(text, [(0, len(text))], RULES) if c[0] <= at < c[1])
    assert _written(match, Numbers.from_rules(RULES)) == (given, order, has_year)


READINGS = [
    # dateparser's reading of calendar words (year 2000 = not written: ours to decide)
    ("Jan. 8", "MDY", ("day", "month"), (2000, 1, 8)),
    ("January 3, 2020", "MDY", ("day", "month", "year"), (2020, 1, 3)),
    ("17-01-2020", "MDY", ("day", "month", "year"), (2020, 1, 17)),  # no 17th month: day first
    ("1/30/2020", "MDY", ("day", "month", "year"), (2020, 1, 30)),
    ("19.08.2025", "DMY", ("day", "month", "year"), (2025, 8, 19)),
    ("Feb 29", "MDY", ("day", "month"), (2000, 2, 29)),  # a leap base year: Feb 29 reads
    ("February 31", "MDY", ("day", "month"), None),
    ("December 2021", "MYD", ("month", "year"), (2021, 12, 1)),
    ("December 2021", "MYD", ("day", "month", "year"), None),  # REQUIRE_PARTS: no day written
    ("2020-01-17", "YMD", ("day", "month", "year"), (2020, 1, 17)),
    ("2015/08/12", "YMD", ("day", "month", "year"), (2015, 8, 12)),
    ("21/04/2016", "MDY", ("day", "month", "year"), (2016, 4, 21)),  # no 21st month: day first
    ("13/13/2020", "MDY", ("day", "month", "year"), None),
    ("2/29/2019", "MDY", ("day", "month", "year"), None),  # no leap year
    ("29.02.2020", "DMY", ("day", "month", "year"), (2020, 2, 29)),
    ("1.5.2020", "DMY", ("day", "month", "year"), (2020, 5, 1)),
    ("Dec. 2021", "MYD", ("month", "year"), (2021, 12, 1)),
    ("May, 2010", "MYD", ("month", "year"), (2010, 5, 1)),
    ("2016 June", "YMD", ("month", "year"), (2016, 6, 1)),
    ("11/2016", "MYD", ("month", "year"), (2016, 11, 1)),
    ("01-30-1000", "MDY", ("day", "month", "year"), None),  # dateparser: "-1000" is a time zone
]


@pytest.mark.parametrize(("text", "order", "parts", "expected"), READINGS, ids=[f"{r[0]}|{r[2]}" for r in READINGS])
def test_dateparser_readings(text, order, parts, expected):
    from audit.dates import parse_calendar

    assert parse_calendar(text, order, parts) == expected


def test_calendar_spans_go_through_dateparser():
    from audit.dates import parse_calendar

    parse_calendar.cache_clear()
    find("On January 3, 2020 and on January 3, 2020 and in December 2021.", "2020-01-17")
    info = parse_calendar.cache_info()
    assert (info.misses, info.hits) == (2, 1)  # the same words parse once


def test_dateparser_is_imported_only_when_a_calendar_span_needs_it():
    import subprocess
    import sys

    code = (
        "import sys, audit.cli\n"
        "from audit.dates import find_in_spans\n"
        "from audit.rules import load_rules\n"
        "rules = load_rules()\n"
        "find_in_spans('on Monday, two days ago', [(0, 23)], '2020-01-17', rules)\n"
        "find_in_spans('on January 3', [(0, 12)], '2020-01-17', rules)\n"  # plain calendar words: read here
        "find_in_spans('on 1/30/2020', [(0, 12)], '2020-01-17', rules)\n"  # and numeric dates
        "find_in_spans('in December 2021', [(0, 16)], '2020-01-17', rules)\n"  # and months of a year
        "assert 'dateparser' not in sys.modules, 'imported too early'\n"
        "find_in_spans('on 05/05/89', [(0, 11)], '2020-01-17', rules)\n"  # a two-digit year: dateparser's
        "assert 'dateparser' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _edited(file: str, **values):
    """The bundled rules with some keys of one file's [settings] replaced, as a user would edit the TOML."""
    settings = dict(RULES.settings)
    settings[file] = {**RULES.settings.get(file, {}), **values}
    return dataclasses.replace(RULES, settings=settings)


# (text, settings key, its edited value, (span, timex) with the bundled words, the same after the edit)
DATE_WORDS = [
    pytest.param(
        "The plant was closed for two days after January 3.",
        "lasting_words",
        (),
        ("two days", "P2D"),
        ("two days after", "2020-01-05"),
        id="lasting-words-emptied",
    ),
    pytest.param(
        "It happened two days ago.",  # a word listed as vague gives no number: a vague past
        "vague_numbers",
        ("few", "two"),
        ("two days ago", "2020-01-08"),
        ("two days ago", "PAST_REF"),
        id="vague-number-added",
    ),
    pytest.param(
        "It will open three days from tomorrow.",
        "day_words",
        {},
        ("three days from tomorrow", "2020-01-14"),
        ("three days from tomorrow", "2020-01-13"),
        id="day-words-emptied",
    ),
    pytest.param(
        "The talks resume in autumn 2020.",
        "seasons",
        {"autumn": "WI"},  # a southern-hemisphere outlet's autumn falls in the northern winter
        ("autumn 2020", "2020-FA"),
        ("autumn 2020", "2020-WI"),
        id="season-code-changed",
    ),
    pytest.param(
        "They met on Monday morning.",
        "day_parts",
        {"morning": "EV"},
        ("Monday morning", "2020-01-06TMO"),
        ("Monday morning", "2020-01-06TEV"),
        id="day-part-code-changed",
    ),
]


@pytest.mark.parametrize(("text", "key", "value", "bundled", "edited"), DATE_WORDS)
def test_date_words_come_from_dates_toml(text, key, value, bundled, edited):
    for rules, want in ((RULES, bundled), (_edited("dates", **{key: value}), edited)):
        first = find(text, "2020-01-10", rules)[0]
        assert (first.text, first.timex) == want


@pytest.mark.parametrize("key", ["seasons", "day_parts"])
def test_date_word_codes_are_timex3_codes(key):
    with pytest.raises(RuleError, match=rf"dates.toml, rule 'settings', key '{key}.dusk': 'XX' is not one of"):
        find("It was 2020.", "2020-01-10", _edited("dates", **{key: {"dusk": "XX"}}))


def _plain_cases() -> list[tuple[str, str, tuple[str, ...]]]:
    """Plain calendar words as the shapes hand them over: spellings, dots, cases, ordinal letters, impossible
    days, leap years, with and without a year, month first and day first."""
    cases = []
    spellings = ("January", "Jan", "February", "Feb", "March", "Mar", "May", "June", "Sept", "Sep", "September", "Dec")
    for k, month in enumerate(spellings):
        written = (month, month.upper(), month.lower())[k % 3] + ("." if k % 2 else "")
        for day in ("1", "02", "3rd", "21st", "28", "29", "30", "31", "0", "32", "4th"):
            cases.append((f"{written} {day}", "MDY", ("day", "month")))
            cases.append((f"{day} {written}", "DMY", ("day", "month")))
            for year in ("2019", "2020", "1900"):
                cases.append((f"{written} {day}, {year}", "MDY", ("day", "month", "year")))
                cases.append((f"{written} {day} {year}", "MDY", ("day", "month", "year")))
                cases.append((f"{day} {written} {year}", "DMY", ("day", "month", "year")))
    return cases[::5]  # a fifth of them: dateparser takes some milliseconds a reading


@pytest.mark.parametrize(
    ("text", "order", "parts"),
    [
        ("Janu 3", "MDY", ("day", "month")),  # no month word
        ("Jan.8", "MDY", ("day", "month")),  # no space
        ("May 5, 99", "MDY", ("day", "month", "year")),  # a two-digit year
        ("January 3, 2020", "MDY", ("day", "month")),  # a year the parts do not ask for
        ("\u017fept 3", "MDY", ("day", "month")),  # a long s
        ("January \u0663", "MDY", ("day", "month")),  # an Arabic-Indic digit
        ("1/30/2020", "MDY", ("day", "month", "year")),  # numeric
    ],
    ids=["no-month", "no-space", "short-year", "year-not-asked", "long-s", "other-digits", "numeric"],
)
def test_other_calendar_words_go_to_dateparser(text, order, parts):
    from audit.dates.words import _NOT_PLAIN, _plain_calendar

    assert _plain_calendar(text, order, parts) is _NOT_PLAIN


def _numeric_cases() -> list[tuple[str, str, tuple[str, ...]]]:
    """Numeric dates and months of a year as the shapes hand them over: each separator, both orders and year
    first, leading zeros, impossible days and months, leap years, the earliest year read without dateparser."""
    numbers = ("0", "1", "01", "2", "09", "10", "12", "13", "28", "29", "30", "31", "32")
    cases = []
    for sep, a, b, year in itertools.product("/-.", numbers, numbers, ("1500", "1900", "2019", "2020", "2100")):
        cases.append((f"{a}{sep}{b}{sep}{year}", "MDY", ("day", "month", "year")))
        cases.append((f"{a}{sep}{b}{sep}{year}", "DMY", ("day", "month", "year")))
        cases.append((f"{year}{sep}{a}{sep}{b}", "YMD", ("day", "month", "year")))
    months = ("December", "Dec.", "sept", "MAY", "2", "02", "12", "0", "13")
    for month, year in itertools.product(months, ("1500", "2020")):
        if month.isdigit():
            cases += [(f"{month}/{year}", "MYD", ("month", "year")), (f"{month}-{year}", "MYD", ("month", "year"))]
        else:
            cases += [(f"{month} {year}", "MYD", ("month", "year")), (f"{month}, {year}", "MYD", ("month", "year"))]
            cases.append((f"{year} {month.rstrip('.')}", "YMD", ("month", "year")))
    return cases[::13]  # a 13th of them (58,000 cases of a larger table were compared once, 36,600 of them read here)


@pytest.mark.parametrize(
    ("reader", "cases", "least"),
    [("_plain_calendar", _plain_cases, 100), ("_numeric_calendar", _numeric_cases, 150)],
    ids=["calendar-words", "numeric"],
)
def test_dates_read_without_dateparser_read_as_dateparser_reads_them(reader, cases, least):
    from audit.dates import words

    table = cases()
    assert len(table) > least
    for text, order, parts in table:
        mine = getattr(words, reader)(text, order, parts)
        assert mine is not words._NOT_PLAIN, text
        found = words._date_parser(order, parts).get_date_data(text).date_obj
        assert mine == ((found.year, found.month, found.day) if found else None), text


@pytest.mark.parametrize(
    ("text", "order", "parts"),
    [
        ("05/05/89", "MDY", ("day", "month", "year")),  # a two-digit year
        ("2 / 29/2012", "MDY", ("day", "month", "year")),  # spaced slashes
        ("08/12,2015", "MDY", ("day", "month", "year")),  # two separators
        ("01-30-1499", "MDY", ("day", "month", "year")),  # before 1500: "-1400" may be a time zone
        ("2019-sep-01", "YMD", ("day", "month", "year")),  # year first with a month word
        ("1/30/2020", "MDY", ("day", "month")),  # a year the parts do not ask for
        ("1/30/2020", "YMD", ("day", "month", "year")),  # not the order given
        ("1\u0663/3/2020", "MDY", ("day", "month", "year")),  # an Arabic-Indic digit
        ("December 99", "MYD", ("month", "year")),  # a two-digit year
    ],
    ids=[
        "short-year",
        "spaced",
        "two-separators",
        "before-1500",
        "month-word",
        "year-not-asked",
        "other-order",
        "other-digits",
        "month-short-year",
    ],
)
def test_other_numeric_dates_go_to_dateparser(text, order, parts):
    from audit.dates.words import _NOT_PLAIN, _numeric_calendar

    assert _numeric_calendar(text, order, parts) is _NOT_PLAIN
