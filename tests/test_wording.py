"""What the screen says instead of codes: dates in words, sources by outlet, warnings on one line.

Every expected string is how a reader would say the value (TIMEX3 values as in the TimeML guidelines:
XXXX a year the text did not give, SU summer, WXX-2 a Tuesday, TMO morning).
"""

from __future__ import annotations

import pytest

from audit.report import wording
from audit.report.lines import one_line
from audit.report.names import SourceInfo, name_sources, short_outlet, stem_names


@pytest.mark.parametrize(
    ("timex", "words"),
    [
        ("XXXX-10-17", "17 Oct, year unknown"),
        ("XXXX-10", "Oct, year unknown"),
        ("XXXX-SU", "summer"),
        ("2020-WI", "winter 2020"),
        ("XXXX-WXX-2", "a Tuesday"),
        ("XXXX-WXX-4TMO", "a Thursday morning"),
        ("XXXX-WXX-5TNI", "a Friday night"),
        ("XXXX-WXX-WE", "a weekend"),
        ("2020-W04", "week 4 of 2020"),
        ("2020-W02-WE", "weekend of week 2, 2020"),
        ("2020-Q1", "Q1 2020"),
        ("2020-H2", "second half of 2020"),
        ("201X", "2010s"),
        ("XXXX", "year unknown"),
        ("XXXX-XX", "month unknown"),
        ("2014", "2014"),
        ("2020-01-05", "5 Jan 2020"),
        ("PRESENT_REF", "now"),
        ("PAST_REF", "in the past"),
        ("FUTURE_REF", "in the future"),
        ("something else", "something else"),
    ],
    ids=lambda value: value,
)
def test_unresolved_dates_in_words(timex, words):
    assert wording.timex_words(timex) == words


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        ("2020-01-05", "2020-01-05", "5 Jan 2020"),
        ("2020-01-05", "", "5 Jan 2020"),
        ("2020-01-01", "2020-01-31", "Jan 2020"),
        ("2020-02-01", "2020-02-29", "Feb 2020"),
        ("2014-01-01", "2014-12-31", "2014"),
        ("2020-01-20", "2020-01-26", "20–26 Jan 2020"),
        ("2019-11-30", "2019-12-06", "30 Nov – 6 Dec 2019"),
        ("2019-12-30", "2020-01-05", "30 Dec 2019 – 5 Jan 2020"),
    ],
    ids=["one-day", "no-end", "a-month", "leap-february", "a-year", "a-week", "across-months", "across-years"],
)
def test_resolved_spans_in_words(first, last, words):
    assert wording.span(first, last) == words


@pytest.mark.parametrize(
    ("row", "cell"),
    [
        ({"kind": "date", "date": "", "timex": "XXXX-10-17"}, "17 Oct, year unknown"),
        ({"kind": "date", "date": "", "timex": "XXXX-SU"}, "summer"),
        ({"kind": "date", "date": "2020-01-05", "date_end": "2020-01-05", "timex": "XXXX-01-05"}, "5 Jan 2020"),
        ({"kind": "date", "date": "2020-01-16", "timex": "2020-01-16", "polarity": "denied"}, "denied: 16 Jan 2020"),
        ({"kind": "duration", "value": None, "timex": "PXY"}, "years"),
        ({"kind": "duration", "value": 3.0, "hedge": "nearly", "unit": "week", "timex": "P3W"}, "nearly 3 weeks"),
        ({"kind": "count", "value": 11.0, "hedge": "at_least"}, "at least 11"),
        ({"kind": "count", "value": 5200.0, "hedge": "about"}, "~5,200"),
    ],
    ids=["day-no-year", "season", "resolved", "denied-date", "vague-years", "nearly-weeks", "at-least", "about"],
)
def test_cells_say_values_in_words(row, cell):
    assert wording.cell(row) == cell


@pytest.mark.parametrize(
    ("iso", "words"),
    [
        ("2020-01-15", "15 Jan 2020"),
        ("2020-01-17T00:47+05:30", "17 Jan 2020, 00:47 +05:30"),
        ("2023-03-15T18:30:00Z", "15 Mar 2023, 18:30 UTC"),
        ("2024-01", "Jan 2024"),
    ],
    ids=["date", "datetime-offset", "utc", "partial"],
)
def test_publication_moments_in_words(iso, words):
    assert wording.moment(iso) == words


@pytest.mark.parametrize(
    ("fact", "best"),
    [
        ({"kind": "duration", "best": 10.0, "unit": "day"}, "10 days"),
        ({"kind": "count", "best": 5200.0, "unit": ""}, "5,200"),
        ({"kind": "amount", "best": 61.0, "unit": "percent"}, "61%"),
        ({"kind": "date", "best": None, "event_date": "2020-01-05"}, "5 Jan 2020"),
        ({"kind": "count", "best": None, "unit": ""}, ""),
    ],
    ids=["days", "thousands", "percent", "date", "none"],
)
def test_best_in_words(fact, best):
    assert wording.best(fact) == best


@pytest.mark.parametrize(
    ("outlet", "name"),
    [
        ("Asharq Al-Awsat (English)", "Asharq Al-Awsat"),
        ("Devdiscourse (PTI)", "Devdiscourse"),
        ("The New York Times (English rendering)", "New York Times"),
        ("Repost of Asharq Al-Awsat", "Repost of Asharq…"),
        ("National Wire Service (NWS)", "National Wire Service"),
        ("(PTI)", "(PTI)"),
        ("The", "The"),
        ("  BBC   News ", "BBC News"),
    ],
    ids=["language", "agency", "the-and-rendering", "long-cut-at-word", "fits", "only-brackets", "only-the", "spaces"],
)
def test_outlets_are_shortened_for_columns(outlet, name):
    assert short_outlet(outlet) == name


@pytest.mark.parametrize(
    ("stems", "names"),
    [
        (["bbc_morning", "bbc_evening", "cnn_live"], ["bbc_morning", "bbc_evening", "cnn"]),
        (["000_2d17262e913a53b6", "001_d56f81f16242cc2d"], ["000", "001"]),
        (["a_b_c", "a_b_d", "a"], ["a_b_c", "a_b_d", "a"]),
        (["plain"], ["plain"]),
    ],
    ids=["same-prefix", "seed-hashes", "deep", "one"],
)
def test_stems_are_made_unique(stems, names):
    assert [stem_names(stems)[s] for s in stems] == names


def test_sources_in_publication_order_and_same_outlets_numbered():
    sources = [
        SourceInfo("bbc_evening", "", outlet="BBC", published="2020-01-15T18:00+00:00"),
        SourceInfo("undated", "", outlet=""),
        SourceInfo("bbc_morning", "", outlet="BBC", published="2020-01-15T08:00+00:00"),
        SourceInfo("wire", "", outlet="The Wire (AP)", published="2020-01-14"),
    ]
    named = name_sources(sources)
    assert [(s.source, s.name) for s in named] == [
        ("wire", "Wire"),
        ("bbc_morning", "BBC #1"),
        ("bbc_evening", "BBC #2"),
        ("undated", "undated"),
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a.txt: empty file", "a.txt: empty file"),
        ("bad\nname.txt: empty file", "bad␤name.txt: empty file"),
        ("a\r\nb", "a␍␤b"),
        ("tab\there", "tab␉here"),
        ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("line\u2028separator", "line\\u2028separator"),
        ("next\x85line", "next\\u0085line"),
        ("café, 東京, 50 km²", "café, 東京, 50 km²"),
        ("no\u00a0break", "no\u00a0break"),
    ],
    ids=["plain", "newline", "crlf", "tab", "escape", "rtl-override", "line-separator", "nel", "unicode", "nbsp"],
)
def test_warnings_are_made_one_visible_line(text, line):
    assert one_line(text) == line
    assert len(one_line(text).splitlines()) == 1
