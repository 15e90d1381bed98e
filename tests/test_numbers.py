"""Number words come from rules/numbers.toml: the parser reads them, a bad table stops the run, and a
`--rules` folder's numbers.toml is the one read."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from audit import audit_folder
from audit.errors import RuleError
from audit.numbers import Numbers
from audit.rules import DEFAULT_RULES_DIR, load_rules

NUMBERS = Numbers.from_rules(load_rules())

# (text, value): each table of rules/numbers.toml at work, values read from the words.
PARSED = [
    pytest.param("Thirty-four", 34, id="tens-and-unit"),
    pytest.param("two hundred and six", 206, id="scale-word"),
    pytest.param("2.3bn", 2_300_000_000, id="scale-suffix"),
    pytest.param("3 lakh", 300_000, id="lakh"),
    pytest.param("a dozen", 12, id="article-collective"),
    pytest.param("half a dozen", 6, id="fraction-of-collective"),
    pytest.param("half a million", 500_000, id="fraction-of-scale"),
    pytest.param("a half-million", 500_000, id="article-fraction-of-scale"),
    pytest.param("one and a half million", 1_500_000, id="and-a-half-adds"),
    pytest.param("two and a half billion", 2_500_000_000, id="and-a-half-of-billion"),
    pytest.param("two-thirds", 2 / 3, id="fraction"),
    pytest.param("a couple", 2, id="collective-not-a-phrase-alone"),
    pytest.param("no", 0, id="determiner"),
]


@pytest.mark.parametrize(("text", "value"), PARSED)
def test_parse_number_reads_the_word_tables(text, value):
    assert NUMBERS.parse(text) == pytest.approx(value)


# (sentence, the number phrase found): the regex is built from the same tables.
FOUND = [
    pytest.param("Thirty-four people died", "Thirty-four", id="tens"),
    pytest.param("it cost $2.3bn last year", "2.3bn", id="suffix"),
    pytest.param("a dozen rockets hit", "a dozen", id="phrase-collective"),
    pytest.param("fired two-dozen missiles", "two-dozen", id="hyphenated-collective"),
    pytest.param("the final score was 3", "3", id="score-is-no-phrase-alone"),
    pytest.param("a third of the vote", "a third", id="fraction"),
    pytest.param("Half a million people fled", "Half a million", id="half-a-scale"),
    pytest.param("a half-million refugees", "a half-million", id="a-half-scale"),
    pytest.param("about one and a half million people", "one and a half million", id="and-a-half-scale"),
    pytest.param("the second half of the match", None, id="half-of-the-is-no-number"),
]


@pytest.mark.parametrize(("sentence", "phrase"), FOUND)
def test_number_regex_uses_the_word_tables(sentence, phrase):
    found = NUMBERS.pattern.search(sentence)
    assert (found.group() if found else None) == phrase


def _copy(tmp_path, old: str, new: str):
    """A copy of the whole bundled rules folder (as `--rules` wants it) with one edit to its numbers.toml."""
    folder = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, folder)
    path = folder / "numbers.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_user_adds_a_number_word_in_toml(tmp_path):
    numbers = Numbers.from_rules(load_rules(_copy(tmp_path, "ninety = 90 }", 'ninety = 90, "vingt" = 20 }')))
    assert numbers.tens["vingt"] == 20
    assert numbers.parse("vingt") == 20
    assert NUMBERS.parse("vingt") is None  # the bundled rules know no such word


def test_a_rules_folder_numbers_toml_changes_the_claims(tmp_path):
    """`--rules` applies to numbers.toml too: a number word added there is read as a number in a run."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("Attack in the north\n\nOn Monday vingt soldiers were killed.\n", encoding="utf-8")
    edited = load_rules(_copy(tmp_path, "ninety = 90 }", 'ninety = 90, "vingt" = 20 }'))

    def values(rules) -> list[float]:
        return audit_folder(pages, rules).claims.filter(pl.col("measure") == "killed")["value"].to_list()

    assert values(load_rules()) == []
    assert values(edited) == [20]


BAD_WORDS = [
    pytest.param('phrase_collectives = ["dozen"]', 'phrase_collectives = ["gross"]', "'gross'", id="bad-collective"),
    pytest.param('articles = ["a", "an"]', "articles = []", "'articles'", id="no-articles"),
]


@pytest.mark.parametrize(("old", "new", "named"), BAD_WORDS)
def test_bad_number_words_name_file_and_key(tmp_path, old, new, named):
    with pytest.raises(RuleError) as error:
        Numbers.from_rules(load_rules(_copy(tmp_path, old, new)))
    assert "numbers.toml" in str(error.value)
    assert named in str(error.value)


# Reading numbers as pages print them (values read from the text).
PAGE_NUMBERS = [
    pytest.param("5 200 troops", "5 200", 5200, id="space-grouped"),
    pytest.param("1 500 000 people", "1 500 000", 1_500_000, id="space-grouped-millions"),
    pytest.param("$2 300 million", "2 300 million", 2_300_000_000, id="space-grouped-scaled"),
    pytest.param("5\u00a0200 troops", "5\u00a0200", 5200, id="no-break-space"),
    pytest.param("5\u202f200 troops", "5\u202f200", 5200, id="narrow-no-break-space"),
    pytest.param("5\u2009200 troops", "5\u2009200", 5200, id="thin-space"),
    pytest.param("in 2012 200 people", "2012", 2012, id="year-then-count-stays-two"),
    pytest.param("1 5000 units", "1", 1, id="group-of-four-is-no-group"),
    pytest.param("a $1.5-million grant", "1.5-million", 1_500_000, id="hyphen-million"),
    pytest.param("a loan of euro2 billion", "2 billion", 2_000_000_000, id="glued-euro"),
    pytest.param("e75m worth of oil", "75m", 75_000_000, id="glued-e"),
    pytest.param("a magnitude-6.1 temblor", "6.1", 6.1, id="magnitude-hyphen"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), PAGE_NUMBERS)
def test_numbers_as_pages_print_them(text, phrase, value):
    found = NUMBERS.find(text, 0, len(text))
    assert (text[found[0].start : found[0].end], found[0].value) == (phrase, pytest.approx(value))


def test_a_code_after_a_hyphen_is_still_no_number():
    text = "two F-16s flew"  # hyphen_before names "magnitude" only
    assert [n.value for n in NUMBERS.find(text, 0, len(text))] == [2]
