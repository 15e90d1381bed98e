"""How claims line up into facts: scope, running figures, figures no rule names, and when figures were stated.

Each case is a few claims as the extractor would give them (sentence, measure, value, hedge, publication
time), written from reading the sentences, and what a fact-checker reading them would expect: which claims
share a fact, and its verdict and best figure. Upstream stages are not needed.
"""

from __future__ import annotations

import dataclasses
import re

import polars as pl
import pytest

from audit.errors import RuleError
from audit.reconcile import FactRules, claims_frame, reconcile
from audit.reconcile.best import _support_table
from audit.reconcile.frame import Col
from audit.reconcile.prefilter import wider
from audit.reconcile.scope import read_scope
from audit.reconcile.times import moment_text, statement_time

_INTERVALS = {
    "exact": (1.0, 1.0),
    "at_least": (1.0, None),
    "more_than": (1.0, None),
    "at_most": (None, 1.0),
    "about": (0.9, 1.1),
    "nearly": (0.9, 1.0),
}


def said(source: str, text: str, sentence: str, value: float, measure: str = "", **fields) -> dict:
    """One claim: `text` as written inside `sentence`; low/high follow the hedge; the rest defaults."""
    assert text in sentence, (text, sentence)
    hedge, kind = fields.pop("hedge", "exact"), fields.pop("kind", "count")
    lo, hi = _INTERVALS.get(hedge, (None, None))
    published = fields.pop("published", "2024-05-06")
    row = {
        "claim_id": f"{source}:{fields.pop('at', sentence.find(text))}",
        "file": f"{source}.txt",
        "source": source,
        "outlet": "",
        "url": "",
        "published": published,
        "article": 1,
        "headline": fields.pop("headline", ""),
        "story": "S1",
        "kind": kind,
        "measure": measure,
        "subject": fields.pop("subject", ""),
        "subject_key": fields.pop("subject_key", "people" if kind == "count" else ""),
        "value": value,
        "low": fields.pop("low", None if lo is None else value * lo),
        "high": fields.pop("high", None if hi is None else value * hi),
        "hedge": hedge,
        "unit": fields.pop("unit", ""),
        "timex": "",
        "date": fields.pop("date", ""),
        "date_end": fields.pop("date_end", ""),
        "as_of": fields.pop("as_of", published[:10]),
        "polarity": "asserted",
        "speaker": "",
        "text": text,
        "sentence": sentence,
        "char_start": sentence.find(text),
        "char_end": sentence.find(text) + len(text),
        "rule": "",
        "fact_id": "",
    }
    assert not fields, f"unknown fields {fields}"
    return row


def audit(rules, *rows: dict, copies: dict | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Reconcile claim rows (unique claim ids by position): the claims with fact_id, and the facts."""
    frame = pl.DataFrame(list(rows), schema=claims_frame([]).schema, orient="row")
    frame = frame.with_columns((pl.col("claim_id") + "." + pl.int_range(pl.len()).cast(pl.Utf8)).alias("claim_id"))
    return reconcile(frame, rules, copies or {})


def fact_of(claims: pl.DataFrame, facts: pl.DataFrame, text: str) -> dict:
    """The fact the claim with these words joined (exactly one such claim)."""
    (fact_id,) = claims.filter(pl.col("text") == text)["fact_id"].to_list()
    assert fact_id, f"{text!r} joined no fact"
    return facts.filter(pl.col("fact_id") == fact_id).row(0, named=True)


def together(claims: pl.DataFrame, *texts: str) -> bool:
    """Whether the claims with these words all share one fact."""
    ids = {i for t in texts for i in claims.filter(pl.col("text") == t)["fact_id"].to_list()}
    return len(ids) == 1 and "" not in ids


# --------------------------------------------------------------------------- the flood (issue 11)

FLOOD = "The river burst its banks on Monday."


def flood(toll_date: str = "") -> list[dict]:
    """Three outlets on one flood: 12+ (day 1, morning), 15 (day 1, evening), the toll rose to 21 (day 2)."""
    return [
        said(
            "a",
            "At least 12 people",
            "At least 12 people are dead after the river burst its banks.",
            12,
            "killed",
            hedge="at_least",
            published="2024-05-06T08:00+00:00",
        ),
        said(
            "b",
            "Fifteen people",
            "Fifteen people were killed when the river burst its banks.",
            15,
            "killed",
            published="2024-05-06T17:30+00:00",
        ),
        said(
            "c",
            "21",
            "The death toll rose to 21 on Tuesday.",
            21,
            "killed",
            subject_key="",
            published="2024-05-07",
            date=toll_date,
            date_end=toll_date,
        ),
    ]


@pytest.mark.parametrize("toll_date", ["", "2024-05-07"], ids=["toll-undated", "toll-dated-tuesday"])
def test_flood_is_one_running_toll(rules, toll_date):
    claims, facts = audit(rules, *flood(toll_date))
    assert facts.height == 1
    fact = facts.row(0, named=True)
    assert (fact["verdict"], fact["best"], fact["independent"]) == ("evolving", 21, 3), fact["note"]
    assert fact["subject_key"] == "people"


def test_flood_dead_and_displaced_are_two_facts(rules):
    rows = [*flood(), said("d", "3,000", "Some 3,000 were forced from their homes.", 3000, "displaced", hedge="about")]
    claims, facts = audit(rules, *rows)
    assert facts.height == 2
    assert not together(claims, "21", "3,000")


# --------------------------------------------------------------------------- scope words (rules/facts.toml)

# (sentence, figure, kind, expected role, expected part name or None); read from the sentences.
SCOPES = {
    "district-after": (
        "Nine people were killed and 45 others were hurt by a mudslide in Dolok Sanggul district.",
        "Nine",
        "count",
        "part",
        "dolok sanggul district",
    ),
    "district-before-the-figure": (
        "In nearby North Tapanuli district, 6 people died, 95 were injured.",
        "95",
        "count",
        "part",
        "north tapanuli district",
    ),
    "toll-nearer-than-province": (
        "A school fell in the north of Sumbar province, bringing the toll from the landslide to 14.",
        "14",
        "count",
        "whole",
        None,
    ),
    "in-total": ("Across the province, 43 people were killed in total.", "43", "count", "whole", None),
    "a-total-of": ("The officer said the ship has seized a total of 14 rifles.", "14", "count", "whole", None),
    "province-part": ("The cyclone killed 85,000 people in the province.", "85,000", "count", "part", "province"),
    "across-asia-whole": ("The tsunami killed 230,000 people across Asia.", "230,000", "count", "whole", None),
    "six-children": ("An earthquake killed six children in the town.", "six children", "count", "part", "children"),
    "nine-of-them": ("Nineteen people died; nine of them were children.", "nine", "count", "part", "of them"),
    "one-operation": (
        "During the raid, six rifles and 12 magazines were seized.",
        "12",
        "count",
        "part",
        "raid",
    ),
    "six-more-bodies": ("Divers recovered six more bodies on Friday.", "six", "count", "increment", None),
    "another-four": ("Another four people died in hospital.", "four", "count", "increment", None),
    "up-from": ("The toll has risen to 30, up from 22.", "22", "count", "earlier", None),
    "risen-to": ("The toll has risen to 30, up from 22.", "30", "count", "whole", None),
    "revised-down": ("Officials revised the toll down to 20.", "20", "count", "revised", None),
    "plain": ("Five people died in the blaze.", "Five", "count", "whole", None),
    "seven-villages-no-place": ("The quake hit seven villages and killed 10 people.", "10", "count", "whole", None),
    "depth-is-where-not-a-part": (
        "The tremor began at a depth of 15 km in Dolok Sanggul district.",
        "15 km",
        "amount",
        "whole",
        None,
    ),
    "paid-in-cash": (
        "Vantor is paying $190 million in cash for the startup.",
        "$190 million",
        "amount",
        "part",
        "cash",
    ),
    "the-price": ("Vantor will pay $334 million for Brightwave.", "$334 million", "amount", "whole", None),
    "more-than-is-no-increment": ("Nine people were killed, more than the day before.", "Nine", "count", "whole", None),
}


@pytest.mark.parametrize("name", sorted(SCOPES))
def test_scope_words(rules, name):
    sentence, figure, kind, role, part = SCOPES[name]
    at = sentence.index(figure)
    found = read_scope(sentence, at, at + len(figure), figure, FactRules.from_rules(rules), kind)
    assert (found.role or "whole") == role, found
    if part is not None:
        assert found.name == part


def test_a_place_the_headline_names_is_the_whole(rules):
    sentence = "Dozens were injured in Indonesia's Sumbar province."
    compiled, at = FactRules.from_rules(rules), sentence.index("Dozens")
    alone = read_scope(sentence, at, at + 6, "", compiled, "count")
    headed = read_scope(sentence, at, at + 6, "", compiled, "count", "Powerful earthquake injures dozens in Sumbar")
    assert (alone.role, headed.role) == ("part", "whole")


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"in\s+(?:[\w'’.-]+\s+){0,3}?district", "killed in the Ñuñoa-Süd district"),
        (r"\b\w+ville\b", "near Épinalville"),
        (r"in\s+[\w]+\s+alone", "in Zürich alone"),
        (r"[^\w]x", "a x"),
        (r"\\w", r"a \w b"),
        (r"[]\w]+!", "ab]!"),
    ],
    ids=["class-of-words-and-marks", "word-beyond-ascii", "class-of-words-only", "negated-class", "escaped", "bracket"],
)
def test_the_scope_prefilter_finds_what_its_pattern_finds(pattern, text):
    compiled = re.compile(pattern, re.IGNORECASE | re.VERBOSE)
    assert compiled.search(text)
    assert pl.Series([text]).str.contains("(?ix)" + wider(compiled)[0]).item()


def test_the_scope_prefilter_finds_every_rule_example(rules):
    compiled = FactRules.from_rules(rules)
    for scope, rule in zip(compiled.scopes, rules.rules("facts", "scope"), strict=True):
        near = compiled.near(scope.side)
        for example in rule.examples:
            if scope.pattern.search(example["text"]):
                found = [pl.Series([example["text"]]).str.contains(p).item() for p in near]
                assert any(found), (rule.id, example["text"])


def _with(rules, file: str, table: str, rule_id: str, **changes):
    """The rules with one rule's keys changed (as a user would edit the TOML)."""
    tables = dict(rules.tables)
    tables[(file, table)] = tuple(
        dataclasses.replace(r, data={**r.data, **changes}) if r.id == rule_id else r for r in tables[(file, table)]
    )
    return dataclasses.replace(rules, tables=tables)


def test_a_scope_example_the_reconciler_does_not_read_stops_the_run(rules):
    examples = [{"text": "Another four people died.", "figure": "four", "role": "part"}]
    with pytest.raises(RuleError, match=r"^facts.toml, rule 'another', key 'examples'"):
        FactRules.from_rules(_with(rules, "facts", "scope", "another", examples=examples))


# --------------------------------------------------------------------------- scope in facts

DISTRICT = "Twelve people were killed in Dolok Sanggul district, officials said."


def test_a_district_toll_is_apart_from_the_whole(rules):
    rows = [
        said("a", "24 people", "The quake left 24 people dead across the province.", 24, "killed"),
        said("a", "Twelve people", DISTRICT, 12, "killed"),
        said("b", "24", "The death toll rose to 24.", 24, "killed", published="2024-05-07"),
    ]
    claims, facts = audit(rules, *rows)
    whole = fact_of(claims, facts, "24 people")
    assert together(claims, "24 people", "24")
    assert whole["verdict"] == "agree"
    part = fact_of(claims, facts, "Twelve people")
    assert part["fact_id"] != whole["fact_id"] and "a part of the whole (dolok sanggul district)" in part["note"]
    assert "conflict" not in facts["verdict"].to_list()


def test_children_are_a_part_of_the_toll(rules):
    rows = [
        said("a", "six children", "The earthquake killed six children when a mosque collapsed.", 6, "killed"),
        said("a", "11", "The official toll from the floods has now risen to 11.", 11, "killed"),
        said("b", "11 people", "At least 11 people were killed.", 11, "killed", hedge="at_least"),
    ]
    claims, facts = audit(rules, *rows)
    assert together(claims, "11", "11 people")
    assert not together(claims, "six children", "11")
    assert fact_of(claims, facts, "11")["verdict"] == "compatible"


def test_province_and_all_countries_are_different_scopes(rules):
    # A cyclone: 85,000 killed in the province (one outlet) vs 140,000 across Asia (another).
    rows = [
        said(
            "a",
            "85,000 people",
            "In 1998 a cyclone killed 85,000 people in the province.",
            85000,
            "killed",
            date="2004-12-26",
        ),
        said(
            "b",
            "140,000 people",
            "In 1998 a cyclone killed 140,000 people across Asia.",
            140000,
            "killed",
            date="2004-12-26",
        ),
    ]
    claims, facts = audit(rules, *rows)
    assert not together(claims, "85,000 people", "140,000 people")
    assert set(facts["verdict"]) == {"single"}


def test_one_operation_of_five_is_no_conflict_with_the_total(rules):
    rows = [
        said(
            "a",
            "six",
            "During the operation, six rifles and about 300 rounds were seized.",
            6,
            "seized",
            subject_key="rifles",
        ),
        said("b", "six", "During the operation, six rifles were seized.", 6, "seized", subject_key="rifles"),
        said("b", "14", "In five operations it has seized a total of 14 rifles.", 14, "seized", subject_key="rifles"),
    ]
    claims, facts = audit(rules, *rows)
    six = claims.filter(pl.col("text") == "six")["fact_id"].unique().to_list()
    assert len(six) == 1 and not together(claims, "six", "14")
    assert fact_of(claims, facts, "14")["verdict"] == "single"
    assert "conflict" not in facts["verdict"].to_list()


def test_increments_are_never_the_toll(rules):
    rows = [
        said("a", "19", "The death toll climbed to 19.", 19, "killed", published="2024-05-06"),
        said(
            "b", "six", "Rescuers found six more bodies, bringing the toll to 25.", 6, "killed", published="2024-05-07"
        ),
        said(
            "b", "25", "Rescuers found six more bodies, bringing the toll to 25.", 25, "killed", published="2024-05-07"
        ),
    ]
    claims, facts = audit(rules, *rows)
    toll = fact_of(claims, facts, "25")
    assert together(claims, "19", "25") and (toll["verdict"], toll["best"]) == ("evolving", 25)
    assert "an increment" in fact_of(claims, facts, "six")["note"]


# --------------------------------------------------------------------------- running figures and time


def test_up_from_is_the_figure_before_and_no_conflict(rules):
    risen = "The toll has risen to 30, up from 22."
    rows = [
        said("a", "22", "Officials put the toll at 22.", 22, "killed", published="2024-05-06"),
        said("b", "30", risen, 30, "killed", published="2024-05-08"),
        said("b", "22", risen, 22, "killed", published="2024-05-08"),
    ]
    claims, facts = audit(rules, *rows)
    assert facts.height == 1
    fact = facts.row(0, named=True)
    assert (fact["verdict"], fact["best"]) == ("evolving", 30), fact["note"]
    assert "held before it was stated" in fact["note"]


def test_a_figure_as_of_an_earlier_day_is_ordered_by_that_day(rules):
    # "the number had reached 17 by Friday" (published Sunday, as of Friday) and 20 on Saturday: it grew.
    rows = [
        said(
            "a", "17", "The number had reached 17 by Friday.", 17, "killed", published="2024-05-12", as_of="2024-05-10"
        ),
        said("b", "20", "Twenty were dead on Saturday, the toll stood at 20.", 20, "killed", published="2024-05-11"),
    ]
    fact = audit(rules, *rows)[1].row(0, named=True)
    assert (fact["verdict"], fact["best"]) == ("evolving", 20), fact["note"]


TOLL = "The death toll from the quake has risen to {}."


@pytest.mark.parametrize(
    ("first", "second", "verdict"),
    [
        (("2013-07-03T06:22+10:00", 11), ("2013-07-03T18:05+10:00", 24), "evolving"),
        (("2013-07-03T06:22+10:00", 11), ("2013-07-03", 24), "evolving"),
        (("2013-07-03T06:22+10:00", 24), ("2013-07-03T18:05+10:00", 11), "conflict"),
        (("2013-07-03", 11), ("2013-07-03", 24), "conflict"),
    ],
    ids=["grew-during-the-day", "morning-then-the-next-utc-day", "fell-during-the-day", "same-day-no-times"],
)
def test_same_day_figures_are_ordered_by_publication_time(rules, first, second, verdict):
    rows = [
        said(source, str(value), TOLL.format(value), value, "killed", published=published)
        for source, (published, value) in zip("ab", (first, second), strict=True)
    ]
    fact = audit(rules, *rows)[1].row(0, named=True)
    assert fact["verdict"] == verdict, fact["note"]


def test_more_than_200_and_249_are_compatible(rules):
    rows = [
        said(
            "a",
            "more than 200 people",
            "The quake injured more than 200 people.",
            200,
            "wounded",
            hedge="more_than",
            low=201,
            published="2013-07-03T06:22+10:00",
        ),
        said("b", "249 people", "We have recorded 249 people injured.", 249, "wounded", published="2013-07-03"),
    ]
    fact = audit(rules, *rows)[1].row(0, named=True)
    assert fact["verdict"] == "compatible"


@pytest.mark.parametrize(
    ("measure", "earlier", "later", "verdict"),
    [
        ("hostages", 240, 136, "evolving"),
        ("missing", 14, 10, "evolving"),
        ("displaced", 40000, 25000, "evolving"),
        ("killed", 64, 50, "conflict"),
    ],
    ids=["hostages-freed", "missing-found", "displaced-return", "toll-cannot-fall"],
)
def test_measures_that_may_fall(rules, measure, earlier, later, verdict):
    rows = [
        said("a", str(earlier), f"{earlier} people are held.", earlier, measure, published="2024-01-05"),
        said("b", str(later), f"{later} people are held.", later, measure, published="2024-02-20"),
    ]
    fact = audit(rules, *rows)[1].row(0, named=True)
    assert fact["verdict"] == verdict, fact["note"]
    if verdict == "evolving":
        assert "may fall" in fact["note"]


def test_a_revised_toll_is_evolving_with_a_note(rules):
    rows = [
        said("a", "24", "The death toll rose to 24.", 24, "killed", published="2024-05-06"),
        said(
            "b",
            "20",
            "Officials revised the death toll down to 20 after a recount.",
            20,
            "killed",
            published="2024-05-08",
        ),
    ]
    fact = audit(rules, *rows)[1].row(0, named=True)
    assert fact["verdict"] == "evolving" and "revised" in fact["note"], fact["note"]


def test_one_source_two_tolls_the_total_votes_and_the_note_says_so(rules):
    rows = [
        said("a", "Five people", "Five people died in the quake and its aftershocks last year.", 5, "killed"),
        said("a", "11", "The death toll from the disaster rose to 11.", 11, "killed"),
        said("b", "11 people", "Rescuers said 11 people had died.", 11, "killed"),
    ]
    fact = audit(rules, *rows)[1].row(0, named=True)
    assert (fact["verdict"], fact["best"]) == ("agree", 11), fact["note"]
    assert "one source states several values: a" in fact["note"]


# --------------------------------------------------------------------------- figures no rule names

PRICE = [
    ("a", "$334 million", "Vantor will pay $334 million for Brightwave.", 334e6, "exact"),
    ("b", "approximately $334 million", "Vantor is buying Brightwave for approximately $334 million.", 334e6, "about"),
    ("c", "$334m", "Vantor bought Brightwave for $334m.", 334, "exact"),
    ("a", "$281 million", "Vantor is handing over $281 million in cash.", 281e6, "exact"),
    ("c", "$281m", "including $281m in cash", 281, "exact"),
    ("c", "$125m", "Norwell bought Kestrel's unit for $125m in January.", 125, "exact"),
]


def test_money_no_rule_names_joins_by_value(rules):
    rows = [
        said(s, t, sentence, v, kind="amount", unit="USD million" if v < 1e6 else "USD", hedge=h)
        for s, t, sentence, v, h in PRICE
    ]
    claims, facts = audit(rules, *rows)
    assert together(claims, "$334 million", "approximately $334 million", "$334m")
    assert together(claims, "$281 million", "$281m")
    assert not together(claims, "$334m", "$281m") and not together(claims, "$334m", "$125m")
    price = fact_of(claims, facts, "$334m")
    assert (price["verdict"], price["independent"], price["best"]) == ("compatible", 3, 334e6)
    assert "linked by value alone" in price["note"]
    assert "conflict" not in facts["verdict"].to_list()


def _the_price():
    """Source a's row of the price, measure named."""
    return said(
        "a", "$334 million", "Vantor will pay $334 million for Brightwave.", 334e6, "price", kind="amount", unit="USD"
    )


def test_money_with_a_measure_groups_by_the_measure(rules):
    rows = [
        _the_price(),
        said(
            "b",
            "$340 million",
            "Vantor is paying $340 million for Brightwave.",
            340e6,
            "price",
            kind="amount",
            unit="USD",
        ),
    ]
    fact = audit(rules, *rows)[1].row(0, named=True)
    assert fact["verdict"] == "conflict"


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        (("30-mile", 30, "mile", "exact"), ("48km", 48, "km", "exact"), True),
        (("up to 120 mph", 120, "mph", "at_most"), ("more than 100 mph", 100, "mph", "more_than"), True),
        (("about 15 minutes", 15, "minute", "about"), ("about 15 minutes", 15, "minute", "about"), True),
        (("a quarter", 3, "month", "exact"), ("three months", 3, "month", "exact"), True),
        (("50 miles", 50, "mile", "exact"), ("30-mile", 30, "mile", "exact"), False),
        (("10 percent", 10, "percent", "exact"), ("10 km", 10, "km", "exact"), False),
        (("$9 million", 9, "USD million", "exact"), ("€9 million", 9, "EUR million", "exact"), False),
    ],
    ids=[
        "mile-is-km",
        "up-to-and-more-than",
        "same-minutes",
        "quarter-is-three-months",
        "different-distances",
        "different-units",
        "different-currencies",
    ],
)
def test_amounts_and_durations_no_rule_names(rules, first, second, joined):
    rows = []
    for source, (text, value, unit, hedge) in zip("ab", (first, second), strict=True):
        kind = "duration" if unit in ("minute", "month") else "amount"
        rows.append(said(source, text, f"They said {text} then.", value, kind=kind, unit=unit, hedge=hedge))
    claims, facts = audit(rules, *rows)
    assert together(claims, first[0], second[0]) is joined
    assert claims["fact_id"].str.len_chars().min() > 0
    assert "conflict" not in facts["verdict"].to_list()


def test_counts_no_measure_names_join_by_subject_and_value(rules):
    rows = [
        said("a", "around 50 people", "Our ward has taken in around 50 people with injuries.", 50, hedge="about"),
        said("b", "around 50 people", "The clinic received around 50 people with injuries.", 50, hedge="about"),
        said("a", "around 30 people", "There are around 30 people seriously hurt.", 30, hedge="about"),
    ]
    claims, facts = audit(rules, *rows)
    assert claims.filter(pl.col("text") == "around 50 people")["fact_id"].n_unique() == 1
    assert not together(claims, "around 50 people", "around 30 people")
    assert "conflict" not in facts["verdict"].to_list()


def test_an_undated_figure_joins_the_event_it_was_stated_near_only(rules):
    # "eight killed on January 3" (dated) vs "no fatalities" stated four weeks later: two strikes.
    rows = [
        said(
            "a",
            "eight",
            "A strike on January 3 killed eight people.",
            8,
            "killed",
            date="2020-01-03",
            published="2020-01-04",
        ),
        said("b", "8", "The strike killed 8 people.", 8, "killed", published="2020-01-05"),
        said("c", "0", "The barrage caused 0 deaths.", 0, "killed", published="2020-01-30"),
    ]
    claims, _ = audit(rules, *rows)
    assert together(claims, "eight", "8") and not together(claims, "eight", "0")


# --------------------------------------------------------------------------- times and scale


@pytest.mark.parametrize(
    ("published", "as_of", "text"),
    [
        ("2013-07-03T06:22+10:00", "2013-07-03", "2013-07-02 20:22 UTC"),
        ("2013-07-03", "2013-07-03", "2013-07-03"),
        ("2013-07-03T06:22+10:00", "2013-07-01", "2013-07-01"),
        ("", "2024-02", "2024-02-01"),
        ("", "", ""),
    ],
    ids=["instant", "day", "as-of-another-day", "month", "undated"],
)
def test_statement_times(published, as_of, text):
    assert moment_text(*statement_time(published, as_of)) == text


def test_best_needs_no_table_of_all_pairs_of_values(rules):
    # 5,000 distinct figures of one fact from ten sources: what best is chosen from stays linear.
    rows = [
        said(
            f"s{i % 10}",
            str(1000 + i),
            f"They fired {1000 + i} rockets.",
            1000 + i,
            "missiles",
            subject_key="missiles",
            hedge="about",
            at=i,
        )
        for i in range(5000)
    ]
    frame = pl.DataFrame(rows, schema=claims_frame([]).schema, orient="row")
    claims, facts = reconcile(frame, rules, {})
    assert facts.height == 1 and facts["best"][0] is not None
    counted = claims.with_columns(
        pl.lit("F").alias(Col.FACT),
        pl.col("source").alias(Col.ORIGIN),
        pl.col("value").alias(Col.VALUE),
        pl.col("low").alias(Col.LO),
        pl.col("high").alias(Col.HI),
    )
    support = _support_table(counted)
    assert support.spans.height <= frame.height and support.sweep.height <= 3 * frame.height


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        (("2012-01-01", "2012-01-31"), ("2012-02-01", "2012-02-29"), False),
        (("2012-01-01", "2012-01-31"), ("2012-02-01", "2012-02-01"), False),
        (("2012-01-31", "2012-01-31"), ("2012-02-01", "2012-02-01"), True),
        (("2012-01-01", "2012-01-31"), ("2012-01-20", "2012-01-20"), True),
    ],
    ids=["january-and-february", "january-and-february-1", "a-day-apart", "a-day-in-january"],
)
def test_an_event_dated_by_month_joins_only_what_it_overlaps(rules, first, second, joined):
    # Norwell bought Kestrel's unit "back in January" for $125m; Vantor bought Brightwave in February.
    rows = [
        said(s, t, f"It paid {t} for the unit.", v, "price", kind="amount", unit="USD million", date=d0, date_end=d1)
        for s, t, v, (d0, d1) in (("a", "$125m", 125, first), ("b", "$334m", 334, second))
    ]
    claims, facts = audit(rules, *rows)
    assert together(claims, "$125m", "$334m") is joined


@pytest.mark.parametrize(
    ("event", "verdict"),
    [("2013-07-02", "evolving"), ("", "conflict"), ("2013-06-20", "conflict")],
    ids=["toll-of-the-day-grows", "no-event-date", "event-weeks-before"],
)
def test_same_day_figures_of_a_toll_still_being_counted(rules, event, verdict):
    # Two outlets dated 2 July only: "1 dead" and "Five dead". On the day of the quake the toll was still
    # being counted; weeks after its event, two figures of one day cannot both hold.
    rows = [
        said("a", "1 dead", "Magnitude-6.1 quake hits Indonesia; 1 dead", 1, "killed", published="2013-07-02"),
        said("b", "Five dead", "Five dead, scores hurt in Sumbar tremor", 5, "killed", published="2013-07-02"),
        said(
            "c",
            "at least one person",
            "The quake killed at least one person on Tuesday.",
            1,
            "killed",
            hedge="at_least",
            published="2013-07-02",
            date=event,
            date_end=event,
        ),
    ]
    fact = audit(rules, *rows)[1].row(0, named=True)
    assert fact["verdict"] == verdict, fact["note"]
    if verdict == "evolving":
        assert "still being counted" in fact["note"]


def test_a_figure_nothing_names_joins_the_measured_figure_of_its_value(rules):
    rows = [
        _the_price(),
        said(
            "b",
            "approximately $334 million",
            "The deal is worth approximately $334 million.",
            334e6,
            kind="amount",
            unit="USD",
            hedge="about",
        ),
        said("b", "$125m", "Norwell paid $125m for a unit of Kestrel.", 125e6, kind="amount", unit="USD"),
    ]
    claims, facts = audit(rules, *rows)
    assert together(claims, "$334 million", "approximately $334 million")
    assert fact_of(claims, facts, "approximately $334 million")["measure"] == "price"
    assert not together(claims, "$334 million", "$125m")


def test_the_measures_own_noun_is_no_other_subject(rules):
    # "80 employees" (measure employees) and "80 people" (measure employees, subject people): one workforce.
    rows = [
        said("a", "80 employees", "Brightwave has 80 employees.", 80, "employees", subject_key="employees"),
        said("b", "80 people", "Brightwave now employs 80 people.", 80, "employees", subject_key="people"),
    ]
    claims, facts = audit(rules, *rows)
    assert together(claims, "80 employees", "80 people") and facts["verdict"][0] == "agree"


def test_a_part_of_the_whole_given_beside_it(rules):
    rows = [
        said("a", "30", "She said 30 of the 80 wounded were still in hospital.", 30, "wounded"),
        said("a", "80", "She said 30 of the 80 wounded were still in hospital.", 80, "wounded"),
        said("b", "80 people", "The quake injured 80 people.", 80, "wounded"),
    ]
    claims, facts = audit(rules, *rows)
    assert together(claims, "80", "80 people") and not together(claims, "30", "80")
    assert "conflict" not in facts["verdict"].to_list()


def test_words_beside_another_figure_are_not_this_ones(rules):
    sentence = "The deal cost Vantor $334 million ($281M in cash)."
    compiled = FactRules.from_rules(rules)
    price, cash = sentence.index("$334 million"), sentence.index("$281M")
    assert read_scope(sentence, price, price + 12, "", compiled, "amount").role == ""
    assert read_scope(sentence, cash, cash + 5, "", compiled, "amount").name == "cash"


# A page that gives no day at all (no publication date, no event date) joins its story's one dated event of
# that measure, and stays apart when the story holds two. (the dated claims' event days, whether together)
DAYLESS = {
    "one-dated-event": (("2011-11-11", "2011-11-11"), True),
    "two-dated-events": (("2011-11-11", "2011-12-20"), False),
}


@pytest.mark.parametrize("case", sorted(DAYLESS))
def test_a_dayless_figure_joins_the_one_dated_event(rules, case):
    days, joined = DAYLESS[case]
    texts = ("14 smugglers", "14 armed smugglers")
    rows = [
        said(
            f"dated{n}",
            text,
            f"The coastguard detained {text}.",
            14,
            "arrested",
            subject_key="smugglers",
            date=day,
            date_end=day,
            published=f"{day}T10:00",
        )
        for n, (text, day) in enumerate(zip(texts, days, strict=True))
    ]
    undated = said(
        "undated",
        "14 Albanian smugglers",
        "The coastguard held 14 Albanian smugglers.",
        14,
        "arrested",
        subject_key="smugglers",
        published="",
        as_of="",
    )
    claims, _ = audit(rules, *rows, undated)
    assert together(claims, *texts, "14 Albanian smugglers") == joined
    assert together(claims, *texts) == joined  # the two dated claims: one event, or two
