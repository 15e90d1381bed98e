"""Required literals (audit.text.literals): words every match of a pattern holds, a prefilter that skips
a scan; the dates' near windows with it are the windows without it."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest

from audit.dates import find
from audit.dates.vocabulary import vocabulary
from audit.text.literals import literals_of, lowered_text, may_match, required_literals

ROOT = Path(__file__).resolve().parent.parent

LITERALS = {
    # id: (pattern, flags, the strings one of which every match holds: read off the pattern)
    "one-word": ("century", re.I, ("century",)),
    "word-boundaries-ignored": (r"\bago\b", re.I, ("ago",)),
    "alternation": ("tomorrow|tmrw", re.I, ("tmrw", "tomorrow")),
    "trie-written-out": ("(?:d(?:ay(?:s)?|ecade))", re.I, ("day", "decade")),  # "days" holds "day"
    "prefix-of-a-branch": (r"\b(?:jan|feb|mar)", re.I, ("feb", "jan", "mar")),
    "capitals-lowered": (r"\bQ[1-4]", 0, ("q",)),
    "the-longest-run-of-a-sequence": (r"these\s+days", re.I, ("these",)),
    "a-digit-says-nothing": (r"\d", 0, ()),
    "a-branch-with-a-digit-says-nothing": (r"\d|first", re.I, ()),
    "optional-word-says-nothing": ("(?:now)?", re.I, ()),
    "repeated-at-least-once": ("(?:ab)+c?", re.I, ("ab",)),
    "non-ascii-says-nothing": ("é", re.I, ()),
    "lookahead-consumes-nothing": ("(?=x)yz", 0, ("yz",)),
}


@pytest.mark.parametrize(("pattern", "flags", "literals"), list(LITERALS.values()), ids=list(LITERALS))
def test_required_literals(pattern, flags, literals):
    compiled = re.compile(pattern, flags)
    assert required_literals(compiled) == literals
    assert literals_of(compiled) == literals


PREFILTER = {
    # id: (pattern, text, whether the prefilter lets the scan run)
    "word-present": ("ago", "two days AGO", True),
    "word-absent": ("ago", "two days since", False),
    "long-s-folds-to-s": ("(?i)sep", "\u017fep 3", True),  # re matches it case-insensitively; lower() keeps it
    "kelvin-sign-folds-to-k": ("(?i)week", "wee\u212a", True),
    "dotless-i": ("(?i)friday", "fr\u0131day", True),
}


@pytest.mark.parametrize(("pattern", "text", "runs"), list(PREFILTER.values()), ids=list(PREFILTER))
def test_the_prefilter_never_skips_a_match(pattern, text, runs):
    compiled = re.compile(pattern)
    assert may_match(required_literals(compiled), lowered_text(text, 0, len(text))) is runs
    if compiled.search(text):
        assert runs


def _texts() -> list[str]:
    """The seed pages, and random runs of letters, digits and the characters that fold to ASCII letters."""
    pick = random.Random(7)
    alphabet = "aAyYsSkKiIdDwWeEnNoOtT 1\u017f\u212a\u0131\u0130é"
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))] + [
        "".join(pick.choice(alphabet) for _ in range(pick.randrange(1, 60))) for _ in range(300)
    ]


def test_the_rules_near_patterns_match_only_where_the_prefilter_lets_them(rules):
    vocab = vocabulary(rules)
    nears = {near.pattern: near for _, near in vocab.shapes.values() if near is not None}
    for text in _texts():
        lowered = lowered_text(text, 0, len(text))
        for key, near in nears.items():
            if near.search(text):
                assert may_match(vocab.near_literals[key], lowered), (key, text)


@pytest.mark.parametrize("seed", sorted(p.name for p in (ROOT / "seeds").glob("*.txt")))
def test_date_candidates_are_the_same_without_the_prefilter(rules, monkeypatch, seed):
    text = (ROOT / "seeds" / seed).read_text(encoding="utf-8")
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]  # each line a span, as paragraphs are
    got = find._candidates(text, spans, rules)
    vocab = vocabulary(rules)
    monkeypatch.setattr(find, "vocabulary", lambda _rules: dataclasses.replace(vocab, near_literals={}))
    monkeypatch.setattr(find, "literals_of", lambda _pattern: ())  # nor the shapes' own
    want = find._candidates(text, spans, rules)
    assert [(c[0], c[1], c[2], c[3].id) for c in got] == [(c[0], c[1], c[2], c[3].id) for c in want]
    assert got  # every seed page dates something: the test compares something


@pytest.mark.parametrize("seed", sorted(p.name for p in (ROOT / "seeds").glob("*.txt")))
def test_noise_and_age_spans_are_the_same_without_the_prefilter(rules, monkeypatch, seed):
    from audit.extract import quantities
    from audit.rules.compiled import compile_rules

    matchers = compile_rules(rules).matchers
    text = (ROOT / "seeds" / seed).read_text(encoding="utf-8")
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    got = (
        quantities.noise_spans(text, spans, rules, matchers.noise),
        quantities.read_ages(text, spans, rules, matchers.ages),
    )
    monkeypatch.setattr(quantities, "literals_of", lambda _pattern: ())
    want = (
        quantities.noise_spans(text, spans, rules, matchers.noise),
        quantities.read_ages(text, spans, rules, matchers.ages),
    )
    assert got == want
    assert got[0]  # the seeds hold noise (times, phone numbers): the test compares something


SENTENCES = [
    "Officials said on Monday that 12 people were killed.",
    "According to the ministry, at least 40 were hurt, a spokesman told reporters.",
    "The army denied reports that 300 troops had crossed, CITING security.",
    "No cue at all in this one: 15 houses burned.",
    "The agency, quoting witnesses, reported 7 dead; the government rejected claims of 70.",
]


@pytest.mark.parametrize("sentence", SENTENCES, ids=[f"sentence-{n}" for n in range(len(SENTENCES))])
def test_cues_and_denials_are_the_same_without_the_prefilter(rules, monkeypatch, sentence):
    from audit.extract import speakers
    from audit.rules.compiled import compile_rules

    matchers = compile_rules(rules).matchers
    got = speakers._cues(sentence, 10, matchers), speakers._denials(sentence, 10, matchers)
    monkeypatch.setattr(speakers, "literals_of", lambda _pattern: ())
    assert got == (speakers._cues(sentence, 10, matchers), speakers._denials(sentence, 10, matchers))


def test_cues_found_with_the_prefilter(rules):
    from audit.extract import speakers
    from audit.rules.compiled import compile_rules

    matchers = compile_rules(rules).matchers
    assert [c[2] for c in speakers._cues(SENTENCES[1], 0, matchers)] == ["the ministry", "a spokesman"]
    assert speakers._denials(SENTENCES[2], 0, matchers) == [9]  # "denied reports"
