"""The seed corpus end to end: what a fact-checker reading the five pages expects the facts to say.

Each expectation was written from reading the pages (see seeds/ and the seed README), not from a run.
"""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import S000, S002, S003, S004


def _facts(seed_audit, **where) -> pl.DataFrame:
    """Facts matching column values."""
    frame = seed_audit.facts
    for column, value in where.items():
        frame = frame.filter(pl.col(column) == value)
    return frame


def _claims_of(seed_audit, fact_id: str) -> pl.DataFrame:
    return seed_audit.claims.filter(pl.col("fact_id") == fact_id)


def test_pause_start_agrees_with_copies_counted_once(seed_audit):
    # 000/001 "paused operations ... on Jan. 5", 002 "said on January 5 that it was pausing",
    # 004 "suspended its anti-terrorist mission on January 5": one date, three independent sources.
    (fact,) = _facts(seed_audit, measure="pause_start").iter_rows(named=True)
    assert fact["verdict"] == "agree"
    assert fact["event_date"] == "2020-01-05"
    assert (fact["sources"], fact["independent"]) == (4, 3)
    assert "001" in fact["note"] and "copies" in fact["note"]


def test_pause_length_is_a_conflict(seed_audit):
    # 000/001 "a nearly three-week pause" (18.9 to 21 days) vs 004 "a 10-day pause".
    (fact,) = _facts(seed_audit, measure="pause", kind="duration").iter_rows(named=True)
    assert fact["verdict"] == "conflict"
    assert fact["independent"] == 2
    assert "10 days [004]" in fact["values"] and "nearly 3 weeks [000,001]" in fact["values"]
    # 004's own dates (paused January 5, resumed Wednesday January 15) hold its 10 days.
    assert "10 days [004] fits" in fact["note"]


def test_denial_is_shown_beside_the_resumption_never_as_agreement(seed_audit):
    # 004: resumed "on Wednesday" (2020-01-15); 002: "denied reports on Thursday that joint operations had resumed".
    (fact,) = _facts(seed_audit, measure="pause_end").iter_rows(named=True)
    claims = _claims_of(seed_audit, fact["fact_id"])
    assert set(claims["polarity"]) == {"asserted", "denied"}
    assert fact["independent"] == 1 and fact["verdict"] == "single"
    assert "denied" in fact["values"]


def test_wounded_2020_and_brain_injuries_2024_are_separate_facts(seed_audit):
    fifty = seed_audit.claims.filter(pl.col("text") == "50 American troops")
    four = seed_audit.claims.filter(pl.col("text") == "a total of four US troops")
    assert fifty.height == 2 and four.height == 1
    assert set(fifty["fact_id"]) != set(four["fact_id"])
    assert set(fifty["story"]) != set(four["story"])
    assert fifty["date"].to_list() == ["2020-01-08", "2020-01-08"]


def test_troop_levels_of_2020_and_2024_are_not_a_conflict(seed_audit):
    levels = seed_audit.claims.filter(pl.col("text").is_in(["around 5,200 US troops", "roughly 2,500 troops"]))
    assert levels.height == 2
    facts = seed_audit.facts.filter(pl.col("fact_id").is_in(levels["fact_id"].to_list()))
    assert "conflict" not in facts["verdict"].to_list()
    assert levels["fact_id"].n_unique() == 2


def test_no_conflict_between_different_stories(seed_audit):
    for fact in seed_audit.facts.filter(pl.col("verdict") == "conflict").iter_rows(named=True):
        claims = _claims_of(seed_audit, fact["fact_id"])
        assert claims["story"].n_unique() == 1


@pytest.mark.parametrize(
    ("source", "words", "published"),
    [
        (S000, "Jan. 8", "2020-01-30"),
        (S002, "on Thursday", "2020-01-17T00:47+05:30"),
        (S004, "on Wednesday", "2020-01-15"),
    ],
    ids=["000-jan-8", "002-thursday", "004-wednesday"],
)
def test_relative_dates_resolve_against_publication(seed_audit, source, words, published):
    expected = {"Jan. 8": "2020-01-08", "on Thursday": "2020-01-16", "on Wednesday": "2020-01-15"}[words]
    dates = seed_audit.claims.filter(
        (pl.col("source") == source) & (pl.col("kind") == "date") & pl.col("sentence").str.contains(words, literal=True)
    )
    assert dates.height >= 1
    assert expected in dates["date"].to_list()
    assert set(dates["published"]) == {published}


def test_undated_page_leaves_relative_dates_unresolved(seed_audit):
    dates = seed_audit.claims.filter((pl.col("source") == S003) & (pl.col("kind") == "date"))
    weekdays = dates.filter(pl.col("text").str.contains("day$"))
    assert weekdays.height > 5
    assert set(weekdays["date"]) == {""}
    assert all(t.startswith("XXXX") for t in weekdays["timex"])
