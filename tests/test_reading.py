"""Reading cases of issue 11, each written from the sentence: dates on real pages (spaced or dotted stamps,
model years, "April last year", half years), what a figure is of ("in cash and stock", "Somali and Yemeni
pirates", an aftershock's magnitude, a chase's length) and the event a figure is about when its own
sentence dates none (the headline read like the lede, "It killed 612 people").
"""

from __future__ import annotations

import pytest

from audit.extract import Matchers, extract_text
from audit.extract.claims import extract_document
from audit.ingest import split_articles
from audit.model import Document, Source
from audit.pipeline import audit_folder
from audit.rules import load_rules

RULES = load_rules()
MATCHERS = Matchers(RULES)


def dates(text: str, published: str) -> list[tuple[str, str, str]]:
    """(words, first day, last day) of every date claim of a text."""
    claims = extract_text(text, RULES, published, matchers=MATCHERS)
    return [(c.text, c.date, c.date_end) for c in claims if c.kind == "date"]


def figure(text: str, value: float, published: str = "2012-02-29"):
    """The first count, amount or duration claim of this value."""
    claims = extract_text(text, RULES, published, matchers=MATCHERS)
    found = [c for c in claims if c.kind != "date" and c.value == value]
    assert found, [(c.text, c.value, c.kind) for c in claims]
    return found[0]


DATES = [
    pytest.param(
        "SUNNYVALE, Calif. —2 / 29/2012", "2012-02-29", ("2 / 29/2012", "2012-02-29", "2012-02-29"), id="spaced-slashes"
    ),
    pytest.param(
        "WEDNESDAY 03 JULY 2013",
        "2013-07-03",
        ("WEDNESDAY 03 JULY 2013", "2013-07-03", "2013-07-03"),
        id="weekday-day-month",
    ),
    pytest.param(
        "In March last year a 7.4-magnitude tremor hit.",
        "2013-07-03",
        ("March last year", "2012-03-01", "2012-03-31"),
        id="april-last-year",
    ),
    pytest.param(
        "The plant will open in the second half of 2014.",
        "2014-02-10",
        ("the second half of 2014", "2014-07-01", "2014-12-31"),
        id="second-half",
    ),
    pytest.param(
        "on Tuesday as the count from the storm a day before climbed to 7",
        "2009-03-10",
        ("a day before", "2009-03-09", "2009-03-09"),
        id="a-day-before",
    ),
]


@pytest.mark.parametrize(("text", "published", "want"), DATES)
def test_dates_on_real_pages(text, published, want):
    assert want in dates(text, published)


# A two-digit year takes the publication's century (dates.toml two_digit_years); the stamp is a date, not three numbers.
STAMPS = [
    pytest.param("02.29.12 4:15 PM", "02.29.12", id="dotted-stamp"),
    pytest.param("11/28 / 05", "11/28 / 05", id="spaced-two-digit-year"),
]


@pytest.mark.parametrize(("text", "words"), STAMPS)
def test_short_stamps_are_dates(text, words):
    claims = extract_text(text, RULES, "2012-02-29", matchers=MATCHERS)
    assert [c.text for c in claims if c.kind == "date"] == [words]
    assert not [c for c in claims if c.kind in ("count", "amount")]


MODEL_YEARS = [
    pytest.param("Police stopped him in a 2007 silver Ford Fusion.", id="ford-fusion"),
    pytest.param("They found his 1999 Toyota Camry near the river.", id="toyota"),
    pytest.param("The recall covers the 2012 model year.", id="model-year"),
]


@pytest.mark.parametrize("text", MODEL_YEARS)
def test_a_model_year_is_never_a_date(text):
    assert dates(text, "2007-04-09") == []


def test_a_year_before_a_name_is_still_a_year():
    assert ("2007", "2007-01-01", "2007-12-31") in dates("In 2007 Ford sold fewer cars.", "2013-03-22")


def test_an_updated_stamp_under_the_headline_is_a_date():
    text = "1 dead, 2 hurt in office shooting\nUpdated 4/9/2007 6:04 PM\nA man shot three people on Monday.\n"
    document = Document(Source(file="a.txt", source_id="a"), text, ())
    document = Document(document.source, text, split_articles(text, RULES))
    claims = extract_document(document, RULES, "a", MATCHERS)
    assert ("4/9/2007", "2007-04-09") in [(c.text, c.date) for c in claims if c.kind == "date"]


MEASURES = [
    pytest.param(
        "Vantor will pay US$245 million in cash and stock for Brightwave.", 245e6, "price", id="cash-and-stock-whole"
    ),
    pytest.param("Vantor is paying $281 million in cash and $53m in stock.", 281e6, "cash", id="cash-part"),
    pytest.param(
        "The coastguard arrested 17 Eritrean and Sudanese smugglers.", 17, "arrested", id="coordinated-modifiers"
    ),
    pytest.param("The sighting touched off a 30-mile pursuit.", 30, "pursuit", id="pursuit"),
    pytest.param("Troopers chased her for 35km, including through a school zone.", 35, "pursuit", id="chased-for"),
    pytest.param("A trucker 40 miles south of Toledo spotted the van.", 40, "distance", id="distance-stays"),
    pytest.param("It injured 1,400, leaving 3,000 people homeless.", 3000, "homeless", id="left-homeless"),
]


@pytest.mark.parametrize(("text", "value", "measure"), MEASURES)
def test_what_a_figure_is_of(text, value, measure):
    assert figure(text, value).measure == measure


def test_aftershocks_have_a_magnitude_of_their_own():
    claim = figure("There were three aftershocks of more than 4.5 magnitude.", 4.5)
    assert (claim.measure, claim.subject_key, claim.unit, claim.hedge) == (
        "magnitude",
        "aftershocks",
        "magnitude",
        "more_than",
    )


def test_two_nationalities_before_a_noun_are_that_noun():
    assert figure("The coastguard arrested 17 Eritrean and Sudanese smugglers.", 17).subject_key == "smugglers"


def test_miles_an_hour_is_a_speed_not_an_hour():
    claims = extract_text("Police followed her at speeds of up to 95 miles an hour.", RULES, matchers=MATCHERS)
    assert [(c.kind, c.unit) for c in claims] == [("amount", "mph")]


def _claims(page: str, published: str):
    source = Source(file="p.txt", source_id="p", published=published)
    articles = tuple(a.__class__(**{**a.__dict__, "published": published}) for a in split_articles(page, RULES))
    return extract_document(Document(source, page, articles), RULES, "p", MATCHERS)


def test_the_headline_is_about_the_ledes_event():
    page = "Strong Quake in Chile Kills 8; 60 Hurt\nA strong earthquake hit northern Chile on Sunday, killing 8.\n"
    figures = [(c.text, c.date) for c in _claims(page, "2005-11-28") if c.kind == "count"]
    assert figures == [("8", "2005-11-27"), ("60 Hurt", "2005-11-27"), ("8", "2005-11-27")]


def test_a_sentence_that_points_back_takes_the_event_before():
    page = (
        "Quake hits Iran\nA quake hit Iran on Sunday, killing 10 people.\n"
        "The last major quake was in February, when a temblor rocked Calama.\n"
        "It killed 430 people and injured more than 1,100.\n"
    )
    claims = _claims(page, "2005-11-28")
    assert {c.value: c.date for c in claims if c.kind == "count"} == {
        10: "2005-11-27",
        430: "2005-02-01",
        1100: "2005-02-01",
    }


RATES = [
    pytest.param("Sales are expected to grow 21 percent a year.", [("amount", "21 percent")], id="percent-a-year"),
    pytest.param("They worked 12 hours a day.", [("duration", "12 hours")], id="hours-a-day"),
    pytest.param("The strike lasted a day.", [("duration", "a day")], id="a-day-alone"),
    pytest.param("Output rose 5 percent per month.", [("amount", "5 percent")], id="per-month"),
    pytest.param("The plant burns 40 tonnes every day.", [("amount", "40 tonnes")], id="every-day"),
]


@pytest.mark.parametrize(("text", "want"), RATES)
def test_a_rates_period_is_no_duration(text, want):
    claims = extract_text(text, RULES, "2012-02-29", matchers=MATCHERS)
    assert [(c.kind, c.text) for c in claims] == want


def test_an_unplaced_month_is_another_time_than_the_news(tmp_path):
    """Two undated pages on one island quake; one recalls an older quake "in September": its 40 injured are
    not the five of the news ("on Sunday"), which the two pages agree on."""
    (tmp_path / "a.txt").write_text(
        "Quake hits Qeshm island, five hurt\nA quake hit Qeshm island on Sunday, injuring five people.\n"
        "A quake struck near Qeshm in September, killing seven people and injuring 40.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Five hurt as quake hits Qeshm island\nThe quake hit Qeshm island on Sunday, injuring five people.\n",
        encoding="utf-8",
    )
    claims = audit_folder(tmp_path, RULES).claims
    injured = {
        (row["source"], row["value"]): row["fact_id"]
        for row in claims.iter_rows(named=True)
        if row["measure"] == "wounded"
    }
    assert injured[("a", 5)] == injured[("b", 5)]
    assert injured[("a", 40)] != injured[("a", 5)]
