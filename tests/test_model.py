"""The typed vocabulary of the tables: kinds, hedges, polarities, verdicts, and the article reference."""

from __future__ import annotations

import pytest

from audit.model import HEDGES, VERDICTS, ArticleRef, HedgeKind, Kind, Polarity, Verdict


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (Kind, ("count", "amount", "date", "duration")),
        (Polarity, ("asserted", "negated", "denied")),
        (Verdict, ("conflict", "evolving", "compatible", "agree", "single")),
        (HedgeKind, HEDGES),
    ],
    ids=lambda x: getattr(x, "__name__", "values"),
)
def test_each_enum_writes_the_words_of_the_design(enum, values):
    assert tuple(member.value for member in enum) == tuple(values)
    assert all(member == member.value for member in enum)  # compares equal to the bare word in a frame


def test_verdicts_keep_the_screen_order():
    assert VERDICTS[0] == Verdict.CONFLICT and VERDICTS[-1] == Verdict.SINGLE


@pytest.mark.parametrize(
    ("key", "source", "article"),
    [("002_5dec#1", "002_5dec", 1), ("bbc#evening#12", "bbc#evening", 12)],
    ids=["plain", "hash-in-source-id"],
)
def test_an_article_reference_round_trips(key, source, article):
    ref = ArticleRef.parse(key)
    assert (ref.source, ref.article) == (source, article)
    assert ref.key == key
