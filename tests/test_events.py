"""Events: what a date or a duration is about ("a 10-day pause", "paused ... on Jan. 5", "resumed on Wednesday")."""

from __future__ import annotations

import pytest

from audit.extract import extract_text

# (sentence, publication date, {claim text: measure}) — read from the seed pages and similar wire copy.
CASES = {
    "duration-before-noun": (
        "The U.S. military resumed joint operations with Iraq on Wednesday, ending a 10-day pause.",
        "2020-01-15",
        {"10-day": "pause", "Wednesday": "pause_end"},
    ),
    "hedged-duration": (
        "Joint military operations have resumed after a nearly three-week pause, an Iraqi military statement said"
        " Thursday.",
        "2020-01-30",
        {"nearly three-week": "pause", "Thursday": ""},
    ),
    "start-verb-far-before-date": (
        "The coalition paused operations in support of Iraqi forces in the fight against ISIS militants on Jan. 5"
        " after a US airstrike killed Soleimani.",
        "2020-01-30",
        {"Jan. 5": "pause_start"},
    ),
    "said-day-then-progressive": (
        "The coalition, active in Iraq since 2014, said on January 5 that it was pausing anti-IS operations.",
        "2020-01-17",
        {"January 5": "pause_start", "2014": ""},
    ),
    "suspended-mission": (
        "The US-led military coalition in Iraq suspended its anti-terrorist mission on January 5, two days after"
        " a drone strike.",
        "2020-01-15",
        {"January 5": "pause_start"},
    ),
    "pause-of-days": ("Officials announced a pause of 10 days in the talks.", "2020-01-15", {"10 days": "pause"}),
    "no-event-word": ("The minister visited Baghdad on Monday for two days.", "2020-01-15", {"Monday": ""}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_dates_and_durations_get_their_event(rules, case):
    text, published, expected = CASES[case]
    claims = {c.text: c for c in extract_text(text, rules, published=published) if c.kind in ("date", "duration")}
    for words, measure in expected.items():
        matching = [c for t, c in claims.items() if words in t]
        assert matching, f"{words!r} not extracted from {text!r}: {sorted(claims)}"
        assert matching[0].measure == measure, (words, matching[0])


def test_count_gets_event_date_and_as_of_from_its_sentence(rules):
    text = "Iran's Jan. 8 missile attack on Ain al-Asad airbase has wounded 50 American troops."
    (claim,) = [c for c in extract_text(text, rules, published="2020-01-30") if c.kind == "count"]
    assert (claim.value, claim.date, claim.as_of) == (50, "2020-01-08", "2020-01-30")
    text = "As of Thursday, there have been 36 attacks in Iraq since October 17."
    counts = [c for c in extract_text(text, rules, published="2023-11-20") if c.kind == "count"]
    assert counts and counts[0].as_of == "2023-11-16"
