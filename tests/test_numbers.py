"""Number words come from rules/numbers.toml: the parser reads them, and a bad table stops the run."""

from __future__ import annotations

import shutil

import pytest

from audit.errors import RuleError
from audit.numbers import NUMBER, _load_words, find_numbers, parse_number
from audit.rules import DEFAULT_RULES_DIR

# (text, value): each table of rules/numbers.toml at work, values read from the words.
PARSED = [
    pytest.param("Thirty-four", 34, id="tens-and-unit"),
    pytest.param("two hundred and six", 206, id="scale-word"),
    pytest.param("2.3bn", 2_300_000_000, id="scale-suffix"),
    pytest.param("3 lakh", 300_000, id="lakh"),
    pytest.param("a dozen", 12, id="article-collective"),
    pytest.param("half a dozen", 6, id="fraction-of-collective"),
    pytest.param("two-thirds", 2 / 3, id="fraction"),
    pytest.param("a couple", 2, id="collective-not-a-phrase-alone"),
    pytest.param("no", 0, id="determiner"),
]


@pytest.mark.parametrize(("text", "value"), PARSED)
def test_parse_number_reads_the_word_tables(text, value):
    assert parse_number(text) == pytest.approx(value)


# (sentence, the number phrase found): the regex is built from the same tables.
FOUND = [
    pytest.param("Thirty-four people died", "Thirty-four", id="tens"),
    pytest.param("it cost $2.3bn last year", "2.3bn", id="suffix"),
    pytest.param("a dozen rockets hit", "a dozen", id="phrase-collective"),
    pytest.param("fired two-dozen missiles", "two-dozen", id="hyphenated-collective"),
    pytest.param("the final score was 3", "3", id="score-is-no-phrase-alone"),
    pytest.param("a third of the vote", "a third", id="fraction"),
]


@pytest.mark.parametrize(("sentence", "phrase"), FOUND)
def test_number_regex_uses_the_word_tables(sentence, phrase):
    assert NUMBER.search(sentence).group() == phrase


def _copy(tmp_path, old: str, new: str):
    """A copy of the bundled numbers.toml with one edit."""
    shutil.copy(DEFAULT_RULES_DIR / "numbers.toml", tmp_path)
    path = tmp_path / "numbers.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_user_adds_a_number_word_in_toml(tmp_path):
    words = _load_words(_copy(tmp_path, "ninety = 90 }", 'ninety = 90, "vingt" = 20 }'))
    assert words["tens"]["vingt"] == 20


BAD_WORDS = [
    pytest.param('phrase_collectives = ["dozen"]', 'phrase_collectives = ["gross"]', "'gross'", id="bad-collective"),
    pytest.param('articles = ["a", "an"]', "articles = []", "'articles'", id="no-articles"),
]


@pytest.mark.parametrize(("old", "new", "named"), BAD_WORDS)
def test_bad_number_words_name_file_and_key(tmp_path, old, new, named):
    with pytest.raises(RuleError) as error:
        _load_words(_copy(tmp_path, old, new))
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
    found = find_numbers(text, 0, len(text))
    assert (text[found[0].start : found[0].end], found[0].value) == (phrase, pytest.approx(value))


def test_a_code_after_a_hyphen_is_still_no_number():
    text = "two F-16s flew"  # hyphen_before names "magnitude" only
    assert [n.value for n in find_numbers(text, 0, len(text))] == [2]
