"""What every figure is of: measures from lemmatised verbs and synonym rules, from the figure's own words where no
rule names one, the verb nearest the figure in its own clause, headline figures, and a three-outlet flood.

Expected measures are read from the sentences: "killing 10 people and injuring 80" kills ten and injures eighty.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from audit.extract import Matchers, extract_text
from audit.extract.measures import inflections, lemma
from audit.ingest import split_articles
from audit.pipeline import audit_folder
from audit.rules import load_rules

RULES = load_rules()
MATCHERS = Matchers(RULES)
FLOOD = Path(__file__).resolve().parent / "data" / "flood_toll"


def figures(text: str) -> list[tuple[str, float, str]]:
    """(text, value, measure) of every count, amount and duration of a text, in order."""
    claims = extract_text(text, RULES, matchers=MATCHERS)
    return [(c.text, c.value, c.measure) for c in claims if c.kind in ("count", "amount", "duration")]


def measure_of(text: str, value: float) -> str:
    """The measure of the first figure of this value."""
    found = [m for _, v, m in figures(text) if v is not None and math.isclose(v, value)]
    assert found, figures(text)
    return found[0]


# A rule's lemma stands for every spelling that simplemma reads back as it.
INFLECTIONS = [
    pytest.param("kill", {"kills", "killed", "killing"}, id="kill"),
    pytest.param("nab", {"nabs", "nabbed", "nabbing"}, id="doubled-consonant"),
    pytest.param("die", {"dies", "died", "dying"}, id="ie-ying"),
    pytest.param("injure", {"injures", "injured", "injuring"}, id="e-drop"),
    pytest.param("take into custody", {"taken into custody"} - {"taken into custody"}, id="phrase"),
]


@pytest.mark.parametrize(("base", "forms"), INFLECTIONS)
def test_a_lemma_names_its_inflections(base, forms):
    assert forms <= set(inflections(base))
    assert all(lemma(form.split()[0]) == base.split()[0] for form in inflections(base))


# Outlets say one thing many ways: each synonym of counts.toml names the same measure (text, value, measure).
SYNONYMS = [
    pytest.param("Three people died in the blast.", 3, "killed", id="died"),
    pytest.param("The blast kills 4 villagers.", 4, "killed", id="kills"),
    pytest.param("At least 12 people are dead.", 12, "killed", id="are-dead"),
    pytest.param("Rescuers recovered 14 bodies.", 14, "killed", id="bodies"),
    pytest.param("The death toll rose to 21 on Tuesday.", 21, "killed", id="death-toll"),
    pytest.param("Strong Quake in Chile Kills 8; 60 Hurt", 60, "wounded", id="hurt"),
    pytest.param("Twelve people were wounded.", 12, "wounded", id="wounded"),
    pytest.param("Some 140 were injured, officials said.", 140, "wounded", id="injured-no-noun"),
    pytest.param("around 50 people with injuries", 50, "wounded", id="with-injuries"),
    pytest.param("Four people were treated for smoke inhalation.", 4, "wounded", id="treated-for"),
    pytest.param("The navy has captured 23 pirates.", 23, "arrested", id="captured"),
    pytest.param("Police arrested 17 protesters.", 17, "arrested", id="arrested"),
    pytest.param("Coastguard nabs 12 poachers", 12, "arrested", id="nabs"),
    pytest.param("after apprehending 19 armed smugglers", 19, "arrested", id="apprehending"),
    pytest.param("the warship has confiscated 14 rifles", 14, "seized", id="confiscated"),
    pytest.param("Brightwave currently employs 65 people.", 65, "employees", id="employs"),
    pytest.param("a 45-employee Boston startup", 45, "employees", id="compound-employee"),
    pytest.param("Vantor buys Brightwave for $334M", 334e6, "price", id="buys-for"),
    pytest.param("The deal cost Vantor $334 million.", 334e6, "price", id="cost"),
    pytest.param("a $334 million deal", 334e6, "price", id="deal"),
    pytest.param("A 6.1-magnitude earthquake hit.", 6.1, "magnitude", id="n-magnitude"),
    pytest.param("said it had been a magnitude-5.8 tremor", 5.8, "magnitude", id="magnitude-n"),
    pytest.param("the shock had a magnitude of 6.3", 6.3, "magnitude", id="magnitude-of"),
    pytest.param("registering 4.9 on the Richter scale", 4.9, "magnitude", id="richter"),
    pytest.param("The coast was struck by a 5.2 quake in March.", 5.2, "magnitude", id="decimal-quake"),
    pytest.param("Tavira, with a population of 26,000, lies on the coast.", 26_000, "population", id="population"),
]


@pytest.mark.parametrize(("text", "value", "measure"), SYNONYMS)
def test_synonyms_share_a_measure(text, value, measure):
    assert measure_of(text, value) == measure


# No rule names these: the figure's own words do (the noun it modifies, the noun before "of", its verb,
# lemmatised; else the noun it counts; else its unit's measure).
OWN_WORDS = [
    pytest.param("a $2.3 billion budget", 2.3e9, "budget", id="noun-after-sum"),
    pytest.param("a 10-day sanitation strike began", 10, "strike", id="compound-duration"),
    pytest.param("The 170,000-square-foot building", 170_000, "building", id="compound-area"),
    pytest.param("Vantor is paying $281 million in cash and $53m in stock.", 281e6, "cash", id="in-cash"),
    pytest.param("Vantor is paying $281 million in cash and $53m in stock.", 53e6, "stock", id="in-stock"),
    pytest.param("Last spring, it raised $45 million.", 45e6, "raise", id="verb-before-sum"),
    pytest.param("at a depth of 33 kilometers", 33, "depth", id="noun-of"),
    pytest.param("reached speeds of 120 mph", 120, "speed", id="speeds-of"),
    pytest.param("The blast was 22 miles northeast of the port.", 22, "distance", id="unit-measure"),
    pytest.param("7 villages damaged", 7, "damage", id="participle-after"),
    pytest.param("Five pirate boats tried to attack the ship.", 5, "boats", id="counted-noun"),
    pytest.param("It lasted around 30 seconds.", 30, "last", id="duration-verb"),
    # irregular past forms (counts.toml past_forms) name their verb as the other spellings do
    pytest.param("The gunman shot three people, killing one.", 3, "shoot", id="past-before"),
    pytest.param("Three people were shot in the office.", 3, "shoot", id="past-after"),
    pytest.param("He is accused of shooting three people.", 3, "shoot", id="ing-before"),
    pytest.param("The rebels stole 12 cars.", 12, "steal", id="stole"),
    pytest.param("The party won 40 seats.", 40, "win", id="won"),
    pytest.param("The gunman slew five people.", 5, "killed", id="past-of-a-rule-lemma"),
    pytest.param("They have left 12 villages.", 12, "villages", id="left-is-not-listed"),
]


@pytest.mark.parametrize(("text", "value", "measure"), OWN_WORDS)
def test_a_figure_no_rule_names_gets_its_own_words(text, value, measure):
    assert measure_of(text, value) == measure


# The right figure gets the measure: the verb nearest it in its own clause, not the sentence's first verb.
NEAREST = [
    pytest.param(
        "A quake struck southern Iran, killing 10 people and injuring 80.",
        [("10 people", 10, "killed"), ("80", 80, "wounded")],
        id="killing-and-injuring",
    ),
    pytest.param(
        "The quake killed three and injured 40.",
        [("three", 3, "killed"), ("40", 40, "wounded")],
        id="killed-and-injured",
    ),
    pytest.param(
        "charged with wounding two former partners in a knife attack and killing a clerk",
        [("two former partners", 2, "wounded")],
        id="verb-right-before",
    ),
    pytest.param("Gunman kills 1, wounds 2", [("1", 1, "killed"), ("2", 2, "wounded")], id="headline-list"),
    pytest.param(
        "Five people were killed and 140 were injured.",
        [("Five people", 5, "killed"), ("140", 140, "wounded")],
        id="verb-after-bare-number",
    ),
]


@pytest.mark.parametrize(("text", "rows"), NEAREST)
def test_the_nearest_verb_in_the_clause_names_the_measure(text, rows):
    assert figures(text) == rows


def _article_claims(text: str) -> list:
    """The claims of a one-file corpus made of `text`, as `audit run` extracts them."""
    from audit.extract import extract_document
    from audit.model import Document, Source

    document = Document(Source("page.txt", "page"), text, split_articles(text, RULES))
    return extract_document(document, RULES, "page", MATCHERS)


# Headlines are text: their figures are claims of the article, with exact offsets.
HEADLINES = [
    pytest.param(
        "Strong Quake in Chile Kills 8; 60 Hurt and 5 Villages Damaged\nThe quake struck on Sunday.\n",
        [("8", "killed"), ("60 Hurt", "wounded"), ("5 Villages", "damage")],
        id="quake",
    ),
    pytest.param(
        "Vantor buys Bright Wave for $334M to get into microservers\nThe chip maker said so on Wednesday.\n",
        [("$334M", "price")],
        id="price",
    ),
    pytest.param(
        "Gunman kills 1, wounds 2 at law firm\nA former clerk opened fire on Monday.\n",
        [("1", "killed"), ("2", "wounded")],
        id="shooting",
    ),
]


@pytest.mark.parametrize(("page", "rows"), HEADLINES)
def test_headline_figures_are_claims(page, rows):
    claims = [c for c in _article_claims(page) if c.kind in ("count", "amount")]
    assert [(c.text, c.measure) for c in claims] == rows
    assert all(page[c.char_start : c.char_end] == c.text for c in claims)
    assert {c.headline for c in claims} == {page.splitlines()[0]}


# A line that is only a date or a time is never the headline: the next title-like line is.
# (page, whether the date line stays text: a line a [[dateline]] rule of boilerplate.toml reads is furniture)
DATE_LINES = [
    pytest.param(
        "July 2, 2013 07:44\nPowerful earthquake injures dozens in Sumbar\nThe quake hit.\n", True, id="date-time"
    ),
    pytest.param("Updated 6/3/2009 8:15 PM\nWarehouse shooting leaves 1 dead\nA man was held.\n", False, id="updated"),
    pytest.param("WEDNESDAY 03 JULY 2013\nQuake toll rises in Sumbar\nThe toll rose.\n", True, id="weekday-caps"),
    pytest.param("11/28 / 05\nAftershocks jolt Qeshm island\nThe toll rose.\n", True, id="numeric"),
    pytest.param("Friday, November 11, 2011\nAnti Piracy Ops by INS Sukanya\nThe navy said.\n", True, id="weekday"),
    pytest.param(
        "Posted: Mar 3, 2019 9:15 AM ET Last Updated: Mar 3, 2019 6:40 PM ET\nDam gives way\nIt broke.\n",
        True,
        id="posted-and-updated",
    ),
    pytest.param("KENYA, May 9, 2021\nFloods cut the highway\nThe river rose.\n", True, id="place-first"),
    pytest.param("June 2, 2018 - NEW ZEALAND -\nFerry runs aground\nIt ran aground.\n", True, id="place-after"),
    pytest.param("Article posted on 11.03.2016\nMill burns down\nIt burned.\n", True, id="article-posted"),
]

# A date line with no title under it: the article has no headline, and the date line is text.
NO_TITLE = [
    pytest.param(
        "Monday, April 8, 2019\nThe club sacked its manager and named his deputy in his place.\n", id="weekday"
    ),
    pytest.param(
        "Posted 3/14/2017 6:05pm\nA woman was cleared of all charges at the end of a week-long trial.\n", id="posted"
    ),
]


@pytest.mark.parametrize("page", NO_TITLE)
def test_a_date_line_alone_is_no_headline(page):
    (article,) = split_articles(page, RULES)
    assert article.headline == ""
    assert [page[s:e] for s, e in article.body] == page.splitlines()


# Capitals and figures make no date line without a year, a time or a numeric date.
@pytest.mark.parametrize("headline", ["UN SAYS 50 DEAD", "TOP 10 FIRMS", "May 5", "MAY 5 BLASTS KILL 12 IN 2013"])
def test_a_title_of_capitals_and_figures_stays_the_headline(headline):
    (article,) = split_articles(f"{headline}\nThe report said so on Monday.\n", RULES)
    assert article.headline == headline


@pytest.mark.parametrize(("page", "kept"), DATE_LINES)
def test_a_date_line_is_never_the_headline(page, kept):
    first, second = page.splitlines()[:2]
    (article,) = split_articles(page, RULES)
    assert article.headline == second
    assert (first in [page[s:e] for s, e in article.body]) == kept  # kept as text, its date is a claim


def test_a_title_line_stays_the_headline():
    page = "Floods sweep the valley\nJuly 2, 2013\nAt least 12 people are dead.\n"
    (article,) = split_articles(page, RULES)
    assert article.headline == "Floods sweep the valley"


@pytest.fixture(scope="module")
def flood():
    """The audit of the hand-written three-outlet flood corpus (tests/data/flood_toll)."""
    return audit_folder(FLOOD, RULES)


# (file's source id, value, measure, subject_key): read from the three pages.
FLOOD_CLAIMS = [
    pytest.param("a_riverside", 12, "killed", "people", id="a-at-least-12-dead"),
    pytest.param("b_valleynews", 15, "killed", "people", id="b-fifteen-killed"),
    pytest.param("c_dailypost", 21, "killed", "people", id="c-toll-rose-to-21"),
    pytest.param("a_riverside", 3000, "displaced", "people", id="a-3000-forced-from-homes"),
]


@pytest.mark.parametrize(("source", "value", "measure", "subject_key"), FLOOD_CLAIMS)
def test_flood_tolls_share_measure_and_subject(flood, source, value, measure, subject_key):
    rows = flood.claims.filter((pl.col("source") == source) & (pl.col("value") == value)).to_dicts()
    assert [(r["measure"], r["subject_key"]) for r in rows] == [(measure, subject_key)]


def test_flood_dead_and_displaced_are_two_facts(flood):
    dead = flood.claims.filter((pl.col("source") == "a_riverside") & (pl.col("value") == 12))
    homeless = flood.claims.filter((pl.col("source") == "a_riverside") & (pl.col("value") == 3000))
    assert dead["fact_id"].to_list() != homeless["fact_id"].to_list()


# One story (no proper names: the pages are found by what happened, flood and deaths, and the common words
# they share; 12 and 21 a day apart are a toll that grew, not figures that clash): one `evolving` fact.
def test_flood_toll_is_one_evolving_fact(flood):
    tolls = flood.claims.filter((pl.col("measure") == "killed") & pl.col("value").is_in([12.0, 15.0, 21.0]))
    assert tolls.height == 3 and tolls["fact_id"].n_unique() == 1
    (fact,) = flood.facts.filter(pl.col("fact_id") == tolls["fact_id"][0]).iter_rows(named=True)
    assert fact["verdict"] == "evolving"
    assert fact["best"] == 21
