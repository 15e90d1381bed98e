"""The reconciler on small hand-made claim tables written from the seed texts.

Each case is a few claims as the extractor would give them (source, measure, value, hedge, unit, dates)
and the verdict a fact-checker reading the texts would give. Upstream stages are not needed.
"""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from rich.console import Console

from audit import report
from audit.errors import RuleError
from audit.numbers import Numbers
from audit.reconcile import (
    as_written,
    claims_frame,
    copies_from_values,
    detect_copies,
    reconcile,
    unit_factors,
    unit_table,
    written_table,
)

_HEDGE_INTERVALS = {"exact": (1.0, 1.0), "at_least": (1.0, None), "more_than": (1.0, None), "about": (0.9, 1.1)}


def claim(source: str, measure: str = "", value: float | None = None, **fields) -> dict:
    """One claim row: defaults for everything the case does not say; low/high follow the hedge."""
    hedge = fields.pop("hedge", "exact")
    factors = _HEDGE_INTERVALS.get(hedge, (None, None))
    low = fields.pop("low", None if value is None or factors[0] is None else value * factors[0])
    high = fields.pop("high", None if value is None or factors[1] is None else value * factors[1])
    as_of = fields.pop("as_of", "2020-01-30")
    row = {
        "claim_id": f"{source}:{fields.pop('at', 0)}",
        "file": f"{source}.txt",
        "source": source,
        "outlet": "",
        "url": "",
        "published": fields.pop("published", as_of),
        "article": fields.pop("article", 1),
        "headline": "",
        "story": fields.pop("story", "S1"),
        "kind": fields.pop("kind", "count"),
        "measure": measure,
        "subject": "",
        "subject_key": fields.pop("subject_key", ""),
        "value": value,
        "low": low,
        "high": high,
        "hedge": hedge,
        "unit": fields.pop("unit", ""),
        "timex": fields.pop("timex", ""),
        "date": fields.pop("date", ""),
        "date_end": fields.pop("date_end", ""),
        "as_of": as_of,
        "polarity": fields.pop("polarity", "asserted"),
        "speaker": "",
        "text": fields.pop("text", "" if value is None else f"{value:g}"),
        "sentence": fields.pop("sentence", ""),
        "char_start": 0,
        "char_end": 1,
        "rule": "",
        "fact_id": "",
    }
    assert not fields, f"unknown fields {fields}"
    return row


def table(*rows: dict) -> pl.DataFrame:
    """Claim rows as a claims frame, with unique claim ids."""
    frame = pl.DataFrame(list(rows), schema=claims_frame([]).schema, orient="row")
    return frame.with_columns((pl.col("claim_id") + pl.int_range(pl.len()).cast(pl.Utf8)).alias("claim_id"))


def facts_of(rules, rows, copies=None) -> pl.DataFrame:
    """The facts table of some claim rows (copies as ingest would give them)."""
    return reconcile(table(*rows), rules, {} if copies is None else copies)[1]


def start(source: str, as_of: str, **kw) -> dict:
    """A claim that the pause began on January 5 (the extractor names the measure pause_start)."""
    return claim(source, "pause_start", kind="date", date="2020-01-05", date_end="2020-01-05", as_of=as_of, **kw)


def wounded(source: str, value: float, as_of: str, **kw) -> dict:
    """A count of wounded troops."""
    return claim(source, "wounded", value, subject_key="troops", as_of=as_of, **kw)


COPY = {"001": "000"}

# name -> (claims, copies, expected: verdict, independent, best)
CASES = {
    # 000 and 001 print the same text ("on Jan. 5"); 002 and 004 say "on January 5".
    "pause-start-agrees-copies-once": (
        [
            start("000", "2020-01-30"),
            start("001", "2020-01-30"),
            start("002", "2020-01-17"),
            start("004", "2020-01-15"),
        ],
        COPY,
        ("agree", 3, None),
    ),
    # "a nearly three-week pause" (2.7 to 3 weeks) against "a 10-day pause": 18.9-21 days vs 10 days.
    "pause-length-conflict-after-units": (
        [
            claim("000", "pause", 3, kind="duration", unit="week", hedge="nearly", low=2.7, high=3),
            claim("001", "pause", 3, kind="duration", unit="week", hedge="nearly", low=2.7, high=3),
            claim("004", "pause", 10, kind="duration", unit="day", as_of="2020-01-15"),
        ],
        COPY,
        ("conflict", 2, None),
    ),
    # "two weeks" and "14 days" are the same length once weeks become days.
    "weeks-equal-days-agree": (
        [
            claim("000", "pause", 2, kind="duration", unit="weeks"),
            claim("002", "pause", 14, kind="duration", unit="days", as_of="2020-01-17"),
        ],
        None,
        ("agree", 2, 14),
    ),
    # "at least 11 of Iran's ballistic missiles" and "11 missiles": the exact figure lies inside the open interval.
    "at-least-11-and-11-compatible": (
        [
            claim("002", "missiles", 11, subject_key="missiles", hedge="at_least", as_of="2020-01-17"),
            claim("004", "missiles", 11, subject_key="missiles", as_of="2020-01-15"),
        ],
        None,
        ("compatible", 2, 11),
    ),
    # "about 120" allows 108-132: 96 lies outside, and a missile count does not change with time.
    "about-120-and-96-conflict": (
        [
            claim("002", "missiles", 120, subject_key="missiles", hedge="about", as_of="2020-01-17"),
            claim("004", "missiles", 96, subject_key="missiles", as_of="2020-01-15"),
        ],
        None,
        ("conflict", 2, None),
    ),
    # "about 5,200 US troops" and "5,200 troops" overlap.
    "about-5200-and-5200-compatible": (
        [
            claim("000", "troops_present", 5200, subject_key="troops", hedge="about"),
            claim("004", "troops_present", 5200, subject_key="troops", as_of="2020-01-15"),
        ],
        None,
        ("compatible", 2, 5200),
    ),
    # "$2.3 billion", "a 2.3bn-dollar deal" and "USD 2,300 million" are one amount.
    "money-scales-agree": (
        [
            claim("000", "aid", 2.3e9, kind="amount", unit="USD"),
            claim("002", "aid", 2.3, kind="amount", unit="bn dollars", as_of="2020-01-17"),
            claim("004", "aid", 2300, kind="amount", unit="USD million", as_of="2020-01-15"),
        ],
        None,
        ("agree", 3, 2.3e9),
    ),
    # "4.5%" and "5 per cent": a whole per cent may be a rounded 4.5, so they can both hold.
    "percent-within-rounding-compatible": (
        [
            claim("000", "turnout", 4.5, kind="amount", unit="percent"),
            claim("004", "turnout", 5, kind="amount", unit="per cent", as_of="2020-01-15"),
        ],
        None,
        ("compatible", 2, None),
    ),
    # "4.5%" and "7 per cent" cannot both hold.
    "percent-far-apart-conflict": (
        [
            claim("000", "turnout", 4.5, kind="amount", unit="%"),
            claim("004", "turnout", 7, kind="amount", unit="percent", as_of="2020-01-15"),
        ],
        None,
        ("conflict", 2, None),
    ),
    # The toll of troops with brain injuries grew: 11, then 34, then 50, then 109, each as of a later day.
    "toll-grows-evolving-best-latest": (
        [
            wounded("a", 11, "2020-01-16"),
            wounded("b", 34, "2020-01-24"),
            wounded("c", 50, "2020-01-28"),
            wounded("d", 109, "2020-02-10"),
        ],
        None,
        ("evolving", 4, 109),
    ),
    # A cumulative toll cannot fall: 64 on one day, 50 a week later.
    "toll-falls-conflict": (
        [wounded("a", 64, "2020-01-31"), wounded("b", 50, "2020-02-07")],
        None,
        ("conflict", 2, None),
    ),
    # Two sources the same day with different tolls: no time can explain it.
    "toll-differs-same-day-conflict": (
        [wounded("a", 34, "2020-01-24"), wounded("b", 50, "2020-01-24")],
        None,
        ("conflict", 2, None),
    ),
    # A stock (troops present) may move either way between the days it was stated.
    "stock-moves-evolving": (
        [
            claim("a", "troops_present", 5200, subject_key="troops", as_of="2020-01-05"),
            claim("b", "troops_present", 5000, subject_key="troops", as_of="2020-03-01"),
        ],
        None,
        ("evolving", 2, 5000),
    ),
    # An undated source alone cannot make a conflict: 003 (no date) says 4, the dated 000/001 say 50.
    "undated-never-decides": (
        [wounded("000", 50, "2020-01-30"), wounded("001", 50, "2020-01-30"), wounded("003", 4, "")],
        COPY,
        ("single", 2, 50),
    ),
    # Three sources say 50, one outlier says 500: the consensus survives the outlier (no mean).
    "best-survives-outlier": (
        [wounded("a", 50, "2020-01-30"), wounded("b", 50, "2020-01-30"), wounded("c", 500, "2020-01-30")]
        + [wounded("d", 50, "2020-01-30")],
        None,
        ("conflict", 4, 50),
    ),
    # Copies do not outvote: 000 and its copy 001 say 40, 002 and 004 say 50 (one vote each side, the median decides).
    "copies-do-not-outvote": (
        [
            wounded("000", 40, "2020-01-30"),
            wounded("001", 40, "2020-01-30"),
            wounded("002", 50, "2020-01-30"),
            wounded("004", 50, "2020-01-30"),
            wounded("005", 50, "2020-01-30"),
        ],
        COPY,
        ("conflict", 4, 50),
    ),
    # Copies may be named per article ("source#article").
    "copies-by-article": (
        [wounded("000", 50, "2020-01-30"), wounded("001", 50, "2020-01-30")],
        {"001#1": "000"},
        ("single", 1, 50),
    ),
    # 002 copies 001, which copies 000: all three are one source.
    "copies-of-copies": (
        [wounded("000", 50, "2020-01-30"), wounded("001", 50, "2020-01-30"), wounded("002", 50, "2020-01-31")],
        {"001": "000", "002#1": "001"},
        ("single", 1, 50),
    ),
    # Nothing dated at all: the figures disagree and no date can explain it.
    "all-undated-disagree-conflict": (
        [wounded("a", 50, ""), wounded("b", 4, "")],
        None,
        ("conflict", 2, None),
    ),
    "one-source-single": ([wounded("004", 11, "2020-01-15", hedge="at_least")], None, ("single", 1, 11)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_verdicts(rules, name):
    rows, copies, (verdict, independent, best) = CASES[name]
    facts = facts_of(rules, rows, copies)
    assert facts.height == 1, facts
    fact = facts.row(0, named=True)
    assert fact["verdict"] == verdict, fact["note"]
    assert fact["independent"] == independent
    if best is not None:
        assert fact["best"] == pytest.approx(best)


# name -> (claims, how many facts)
SEPARATE = {
    # 50 wounded after the strike of January 8, 2020 and four with brain injuries in the January 2024 attack.
    "wounded-2020-and-2024-stories": (
        [
            wounded("000", 50, "2020-01-30", date="2020-01-08", story="S1"),
            wounded("003", 4, "2024-01-29", date="2024-01-28", story="S7"),
        ],
        2,
    ),
    # Same story id by mistake, but events four years apart never join.
    "wounded-2020-and-2024-same-story": (
        [wounded("000", 50, "2020-01-30", date="2020-01-08"), wounded("003", 4, "2024-01-29", date="2024-01-28")],
        2,
    ),
    # "about 5,200 troops" (2020) and "roughly 2,500" (2024), undated events: stated four years apart.
    "troops-2020-and-2024": (
        [
            claim("000", "troops_present", 5200, subject_key="troops", hedge="about", as_of="2020-01-30"),
            claim("003", "troops_present", 2500, subject_key="troops", hedge="about", as_of="2024-01-20"),
        ],
        2,
    ),
    # Two attacks a month apart are two events.
    "events-a-month-apart": (
        [
            claim("a", "missiles", 11, subject_key="missiles", date="2020-01-08"),
            claim("b", "missiles", 3, subject_key="missiles", date="2020-02-13"),
        ],
        2,
    ),
    # Different subjects of one measure: wounded troops and wounded civilians.
    "different-subjects": ([wounded("a", 50, "2020-01-30"), claim("b", "wounded", 4, subject_key="people")], 2),
    # An event reported a day apart across a time zone stays one event.
    "event-dates-a-day-apart-join": (
        [
            claim("a", "missiles", 11, subject_key="missiles", date="2020-01-07"),
            claim("b", "missiles", 11, subject_key="missiles", date="2020-01-08"),
        ],
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(SEPARATE))
def test_what_joins_and_what_stays_apart(rules, name):
    rows, count = SEPARATE[name]
    facts = facts_of(rules, rows)
    assert facts.height == count, facts
    assert "conflict" not in facts["verdict"].to_list() or count == 1


def test_seed_troops_are_never_a_conflict(rules):
    rows = SEPARATE["troops-2020-and-2024"][0]
    assert set(facts_of(rules, rows)["verdict"]) == {"single"}


def test_denial_is_shown_beside_what_it_denies(rules):
    # 004: operations resumed on January 15; 002: Iraq denied reports that joint operations had resumed.
    rows = [
        claim("004", "resumption", kind="date", date="2020-01-15", as_of="2020-01-15"),
        claim("002", "resumption", kind="date", date="2020-01-15", as_of="2020-01-17", polarity="denied"),
    ]
    fact = facts_of(rules, rows).row(0, named=True)
    assert fact["verdict"] == "single"
    assert fact["independent"] == 1
    assert "denied by 002" in fact["note"]
    assert "denied: 2020-01-15 [002]" in fact["values"]


def test_values_column_lists_sources_as_written(rules):
    rows = [
        wounded("000", 50, "2020-01-30"),
        wounded("001", 50, "2020-01-30"),
        wounded("004", 11, "2020-01-15", hedge="at_least"),
    ]
    fact = facts_of(rules, rows, COPY).row(0, named=True)
    assert fact["values"] == "at least 11 [004]; 50 [000,001]"
    assert "copies counted once: 001 copies 000" in fact["note"]
    assert (fact["low"], fact["best"], fact["high"]) == (50, 50, 50)


@pytest.mark.parametrize(
    ("end", "fits"),
    [("2020-01-15", True), ("2020-01-30", False)],
    ids=["resumed-jan-15-holds", "resumed-jan-30-does-not"],
)
def test_duration_checked_against_its_dates(rules, end, fits):
    # "a 10-day pause" that began on January 5 and ended with the resumption on `end`.
    rows = [
        claim("004", "pause", 10, kind="duration", unit="day", as_of="2020-01-15"),
        claim("004", "pause_start", kind="date", date="2020-01-05", as_of="2020-01-15"),
        claim("000", "pause_end", kind="date", date=end, as_of="2020-01-30"),
    ]
    facts = facts_of(rules, rows)
    note = facts.filter(pl.col("measure") == "pause")["note"][0]
    assert ("10 days [004] fits" in note) is fits
    assert ("10 days [004] does not" in note) is not fits


@pytest.mark.parametrize(
    ("end", "fits"),
    [("2020-01-15", True), ("2020-01-30", False)],
    ids=["own-dates-hold", "own-dates-do-not"],
)
def test_duration_checked_against_its_own_dates(rules, end, fits):
    # "a 10-day pause from January 5" whose own sentence also gives the day operations resumed.
    rows = [claim("004", "pause", 10, kind="duration", unit="days", date="2020-01-05", date_end=end)]
    note = facts_of(rules, rows)["note"][0]
    assert ("fits" in note and "does not" not in note) is fits


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Of the wounded, 31 of the 50 troops returned to duty.", False),
        ("Officials said 51 of the 50 troops were flown out.", True),
        ("two of the three injured troops were evacuated", False),
        ("five of the three injured troops were evacuated", True),
    ],
    ids=["31-of-50", "51-of-50", "two-of-three", "five-of-three"],
)
def test_part_larger_than_whole(rules, sentence, flagged):
    text = sentence.split(" of the ")[0].split()[-1]
    value = {"31": 31, "51": 51, "two": 2, "five": 5}[text]
    rows = [wounded("a", value, "2020-01-30", text=text, sentence=sentence)]
    note = facts_of(rules, rows)["note"][0]
    assert ("part larger than its whole" in note) is flagged


def test_undated_sources_named_in_note(rules):
    rows = CASES["undated-never-decides"][0]
    note = facts_of(rules, rows, COPY)["note"][0]
    assert "undated, not used for the verdict: 003" in note


def test_unnamed_dates_join_when_their_sentences_share_a_word(rules):
    rows = [
        claim("000", kind="date", date="2020-01-05", sentence="Joint operations were paused on Jan. 5.", at=1),
        claim("002", kind="date", date="2020-01-05", sentence="Iraq paused joint operations on January 5.", at=2),
        claim("004", kind="date", date="2020-01-05", sentence="The parliament voted on January 5.", at=3),
    ]
    facts = facts_of(rules, rows)
    assert sorted(facts["independent"].to_list()) == [1, 2]


def test_facts_sorted_conflicts_first_and_ids_stable(rules):
    rows = (
        CASES["toll-grows-evolving-best-latest"][0]
        + CASES["about-120-and-96-conflict"][0]
        + CASES["pause-start-agrees-copies-once"][0]
        + CASES["one-source-single"][0][:0]
        + [claim("x", "hostages", 200, hedge="more_than")]
    )
    claims, facts = reconcile(table(*rows), rules, COPY)
    assert facts["verdict"].to_list() == ["conflict", "evolving", "agree", "single"]
    again = reconcile(table(*reversed(rows)), rules, COPY)[1]
    assert sorted(again["fact_id"].to_list()) == sorted(facts["fact_id"].to_list())
    assert set(claims["fact_id"]) == set(facts["fact_id"])


def test_claims_keep_their_columns_and_order(rules):
    rows = CASES["pause-start-agrees-copies-once"][0]
    claims, _ = reconcile(table(*rows), rules, COPY)
    assert claims.columns == table(*rows).columns
    assert claims["claim_id"].to_list() == table(*rows)["claim_id"].to_list()


def test_empty_claims(rules):
    claims, facts = reconcile(claims_frame([]), rules, {})
    assert claims.is_empty() and facts.is_empty()


def test_copies_found_in_claims_without_the_corpus():
    shared = ["The US-led coalition paused joint operations on Jan. 5.", "Iran fired 11 missiles at Ain al-Asad."]
    rows = [claim("000", sentence=s, published="2020-01-30") for s in shared]
    rows += [claim("001", sentence=s, published="2020-01-30") for s in shared]
    rows += [claim("004", sentence="Operations paused for 10 days.", published="2020-01-15")]
    assert detect_copies(table(*rows)) == {"001#1": "000"}


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("week", ("day", 7)), ("USD million", ("USD", 1e6)), ("bn dollars", ("USD", 1e9)), ("per cent", ("percent", 1))],
    ids=["week", "usd-million", "bn-dollars", "per-cent"],
)
def test_unit_factors(rules, unit, expected):
    canonical, factor, _, _ = unit_factors(unit, unit_table(rules), Numbers.from_rules(rules).scales)
    assert (canonical, factor) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("fields", "written"),
    [
        ({"kind": "count", "hedge": "at_least", "value": 11.0}, "at least 11"),
        ({"kind": "count", "hedge": "about", "value": 5200.0}, "~5,200"),
        ({"kind": "duration", "hedge": "nearly", "value": 3.0, "unit": "week"}, "nearly 3 weeks"),
        ({"kind": "amount", "hedge": "exact", "value": 4.5, "unit": "percent"}, "4.5%"),
        ({"kind": "date", "date": "2020-01-05", "date_end": "2020-01-05"}, "2020-01-05"),
        ({"kind": "count", "value": 50.0, "polarity": "denied"}, "denied: 50"),
        ({"kind": "amount", "hedge": "more_than", "value": 100.0, "unit": "mph"}, "more than 100 mph"),
        ({"kind": "amount", "hedge": "exact", "value": 48.0, "unit": "km"}, "48 km"),
        ({"kind": "amount", "hedge": "exact", "value": 30.0, "unit": "mile"}, "30 miles"),
    ],
    ids=["at-least", "about", "nearly-weeks", "percent", "date", "denied", "mph", "km", "miles"],
)
def test_as_written(fields, written):
    assert as_written(fields) == written


def test_terminal_table_conflicts_first_with_legend(rules):
    rows = CASES["pause-length-conflict-after-units"][0] + CASES["pause-start-agrees-copies-once"][0]
    rows += [wounded("004", 11, "2020-01-15", hedge="at_least", text="[red]at least 11[/red]")]
    claims, facts = reconcile(table(*rows), rules, COPY)
    console = Console(width=160, record=True, color_system=None)
    console.print(report.facts_table(facts, claims, ["000", "001", "002", "004"]))
    text = console.export_text()
    lines = [line for line in text.splitlines() if "pause" in line]
    assert "conflict" in lines[0] and "nearly 3 weeks" in lines[0] and "10 days" in lines[0]
    assert "agree" in lines[1]
    assert "at least 11" in text
    for verdict in ("conflict", "evolving", "compatible", "agree", "single"):
        assert verdict in text.split("Facts")[-1]


def test_a_source_stating_several_values_is_noted(rules):
    rows = [wounded("003", 4, "2024-01-29"), wounded("003", 3, "2024-01-29")]
    fact = facts_of(rules, rows).row(0, named=True)
    assert fact["verdict"] == "single"
    assert "one source states several values: 003" in fact["note"]


def test_copying_sources_found_from_shared_minority_values(rules):
    # On twelve facts, "b" and "c" always repeat the same wrong figure, while "a", "d" and "e" agree on
    # the true one: b and c copy each other; a, d and e agree on true figures, which proves nothing.
    rows = []
    for item in range(12):
        for source in ("a", "d", "e"):
            rows.append(claim(source, "m", 100.0 + item, story=f"S{item}", as_of=""))
        for source in ("b", "c"):
            rows.append(claim(source, "m", 200.0 + item, story=f"S{item}", as_of=""))
    claims, _ = reconcile(table(*rows), rules, {})
    copies = copies_from_values(claims)
    assert copies == {"c": "b"}
    facts = reconcile(table(*rows), rules, copies)[1]
    assert set(facts["independent"]) == {4}
    assert set(facts["best"]) == {100.0 + i for i in range(12)}


def test_notes_table_explains_conflicts_and_news_text_is_not_markup(rules):
    rows = CASES["pause-length-conflict-after-units"][0] + CASES["toll-grows-evolving-best-latest"][0]
    rows += [wounded("[bold]x[/bold]", 4, "2020-01-16", story="S2")]
    claims, facts = reconcile(table(*rows), rules, COPY)
    console = Console(width=200, record=True, color_system=None)
    console.print(report.facts_table(facts, claims, ["000", "001", "004", "a", "b", "c", "d", "[bold]x[/bold]"]))
    console.print(report.notes_table(facts))
    text = console.export_text()
    assert "[bold]x[/bold]" in text
    why = text.split("Why")[1]
    assert why.index("conflict") < why.index("evolving")
    assert "10 days [004]; nearly 3 weeks [000,001]" in why
    assert "11 @2020-01-16" in text.split("Why")[0]


def test_reconcile_command_counts_copies_without_the_corpus(tmp_path):
    import csv

    from click.testing import CliRunner

    from audit.cli import cli
    from audit.model import CLAIM_COLUMNS, FACT_COLUMNS

    said = [
        "A total of 50 US troops were wounded in the Iranian missile attack, the Pentagon said.",
        "Joint operations were paused on Jan. 5 after the US strike in Baghdad.",
    ]
    rows = [wounded(s, 50, "2020-01-30", sentence=said[0], at=10) for s in ("000", "001")]
    rows += [claim(s, "pause_start", kind="date", date="2020-01-05", sentence=said[1], at=99) for s in ("000", "001")]
    rows += [wounded("004", 11, "2020-01-15", hedge="at_least", sentence="At least 11 were hurt.")]
    path = tmp_path / "claims.csv"
    report.write_csv(table(*rows), CLAIM_COLUMNS, path)
    result = CliRunner().invoke(cli, ["reconcile", str(path), "--out", str(tmp_path / "out"), "--width", "160"])
    assert result.exit_code == 0, result.output
    assert "001#1 copies 000" in result.output
    with (tmp_path / "out" / "facts.csv").open(encoding="utf-8", newline="") as handle:
        facts = list(csv.DictReader(handle))
    assert tuple(facts[0]) == FACT_COLUMNS
    toll = next(f for f in facts if f["measure"] == "wounded")
    assert (toll["verdict"], toll["independent"], toll["sources"]) == ("compatible", "2", "3")


def _with_settings(rules, file: str, **values):
    """The rules with some keys of one file's [settings] replaced (as a user would edit the TOML)."""
    settings = dict(rules.settings)
    settings[file] = {**rules.settings.get(file, {}), **values}
    return dataclasses.replace(rules, settings=settings)


# Two undeclared dates of the same day: their sentences share "said" (a stop word) and "Mosul" (not one).
_LINKED = [
    pytest.param("Officials said on Monday.", "Police said on Monday.", (), 2, id="only-stopwords-apart"),
    pytest.param("Officials said on Monday.", "Police said on Monday.", ("said",), 1, id="stopword-dropped-joins"),
    pytest.param("Blasts in Mosul on Monday.", "Mosul quiet on Monday.", (), 1, id="shared-word-joins"),
]


@pytest.mark.parametrize(("first", "second", "unstopped", "count"), _LINKED)
def test_link_stopwords_come_from_events_toml(rules, first, second, unstopped, count):
    words = [w for w in rules.setting("events", "link_stopwords") if w not in unstopped]
    edited = _with_settings(rules, "events", link_stopwords=tuple(words))
    rows = [
        claim("a", "", kind="date", date="2020-01-06", date_end="2020-01-06", sentence=first, at=1),
        claim("b", "", kind="date", date="2020-01-06", date_end="2020-01-06", sentence=second, at=2),
    ]
    assert facts_of(edited, rows).height == count


def test_written_hedges_come_from_hedges_toml(rules):
    edited = written_table(_with_settings(rules, "hedges", written={"at_least": "au moins "}))
    assert as_written({"kind": "count", "hedge": "at_least", "value": 11.0}, edited) == "au moins 11"
    assert as_written({"kind": "count", "hedge": "about", "value": 11.0}, edited) == "11"


def test_written_hedges_name_a_hedge_kind(rules):
    with pytest.raises(RuleError, match=r"hedges.toml.*'written.perhaps'"):
        written_table(_with_settings(rules, "hedges", written={"perhaps": "maybe "}))


@pytest.mark.parametrize(
    ("words", "flagged"), [((), False), (("sur",), True)], ids=["bundled-words", "word-added-in-toml"]
)
def test_part_of_words_come_from_counts_toml(rules, words, flagged):
    edited = _with_settings(rules, "counts", part_of_words=(*rules.setting("counts", "part_of_words"), *words))
    rows = [wounded("a", 51, "2020-01-30", text="51", sentence="Officials said 51 sur 50 troops were flown out.")]
    assert ("part larger than its whole" in facts_of(edited, rows)["note"][0]) is flagged


# A named person's age across outlets (rules/counts.toml age rules with a measure; facts.toml stated_exactly):
# (ages the three pages give Lena Moretti, the verdict, the fact's low and high in years).
AGES_ACROSS = {
    "all-33": ((33, 33, 33), "agree", 33, 33),
    "one-says-34": ((33, 33, 34), "conflict", 33, 34),
}


@pytest.mark.parametrize("case", sorted(AGES_ACROSS))
def test_a_named_age_is_one_fact_in_years(tmp_path, case):
    from audit.pipeline import audit_folder

    ages, verdict, low, high = AGES_ACROSS[case]
    lines = (
        "The cyclist Lena Moretti, {}, was taken to hospital in Turin after the crash, her team said.",
        "Lena Moretti, {}, broke her collarbone in the crash on Tuesday, the organisers said.",
        "The race leader, Lena Moretti, {}, is in a Turin hospital, her coach confirmed.",
    )
    for name, line, age in zip("abc", lines, ages, strict=True):
        (tmp_path / f"{name}.txt").write_text(f"Moretti hurt in crash\n{line.format(age)}\n", encoding="utf-8")
    result = audit_folder(tmp_path, jobs=1)
    facts = result.facts.filter(pl.col("measure") == "age").to_dicts()
    found = [(f["subject_key"], f["unit"], f["sources"], f["verdict"]) for f in facts]
    assert found == [("moretti", "year", 3, verdict)]
    assert (float(facts[0]["low"]), float(facts[0]["high"])) == (low, high)
