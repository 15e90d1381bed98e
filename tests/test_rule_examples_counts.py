"""Every example of counts, hedges, units, noise and speakers rules, run through the real extractor.

An example names the text and what its claim must show (value, measure, subject_key, hedge, low, high,
unit, polarity, speaker, whole, trend, kind). The claim checked is the first count, amount or duration
whose value is the example's value (or, for speaker and denial examples, the first such claim). Noise
examples check that no count or amount is extracted inside the span the rule marks.
"""

from __future__ import annotations

import math

import pytest

from audit.extract import Matchers, extract_text
from audit.rules import load_rules

RULES = load_rules()
MATCHERS = Matchers(RULES)
QUANTITY_KINDS = ("count", "amount", "duration")
CHECKED_KEYS = (
    "measure",
    "subject_key",
    "subject",
    "hedge",
    "low",
    "high",
    "unit",
    "polarity",
    "speaker",
    "whole",
    "trend",
    "kind",
)


def _examples(file: str, table: str) -> list:
    """pytest params for every example of a table: (rule, example), id file:rule:n."""
    out = []
    for rule in RULES.rules(file, table):
        for n, example in enumerate(rule.examples, 1):
            out.append(pytest.param(rule, example, id=f"{file}:{rule.id}:{n}"))
    return out


def _claims(text: str, bare: bool = False) -> list:
    """The quantity claims of a text, in order."""
    return [c for c in extract_text(text, RULES, matchers=MATCHERS, bare=bare) if c.kind in QUANTITY_KINDS]


def _same(a: object, b: object) -> bool:
    """Equal, with floats compared closely."""
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _claim_with_value(text: str, value: float):
    """The first quantity claim of a text with the given value."""
    claims = _claims(text)
    found = [c for c in claims if c.value is not None and _same(c.value, value)]
    assert found, f"no claim of value {value} in {text!r}: {[(c.text, c.value) for c in claims]}"
    return found[0]


def _check(claim, example, defaults: dict) -> None:
    """Assert every key the example (or the rule) gives."""
    expected = {**defaults, **{k: v for k, v in example.items() if k in CHECKED_KEYS}}
    for key, want in expected.items():
        got = getattr(claim, key)
        assert _same(got, want), f"{key}: got {got!r}, want {want!r} for {claim.text!r} in {example['text']!r}"


@pytest.mark.parametrize(("rule", "example"), _examples("counts", "measure"))
def test_measure_examples(rule, example):
    claim = _claim_with_value(example["text"], example["value"])
    _check(claim, example, {"measure": rule.id})


@pytest.mark.parametrize(
    ("rule", "example"), _examples("counts", "subject") + _examples("counts", "group") + _examples("units", "unit")
)
def test_subject_group_and_unit_examples(rule, example):
    claim = _claim_with_value(example["text"], example["value"])
    _check(claim, example, {})


@pytest.mark.parametrize(
    ("rule", "example"),
    _examples("hedges", "hedge")
    + _examples("hedges", "vague")
    + _examples("hedges", "range")
    + _examples("hedges", "trend"),
)
def test_hedge_examples(rule, example):
    claim = _claim_with_value(example["text"], example["value"])
    defaults = {"hedge": rule.get("hedge")} if rule.table == "hedge" else {}
    if rule.table == "vague":
        defaults = {"hedge": "vague", "low": rule.get("low"), "high": rule.get("high")}
    _check(claim, example, defaults)


@pytest.mark.parametrize(("rule", "example"), _examples("speakers", "cue") + _examples("speakers", "denial"))
def test_speaker_and_denial_examples(rule, example):
    claims = _claims(example["text"])
    assert claims, f"no claim in {example['text']!r}"
    _check(claims[0], example, {})


@pytest.mark.parametrize(("rule", "example"), _examples("noise", "noise"))
def test_noise_examples(rule, example):
    text = example["text"]
    claims = _claims(text, bare=True)
    if example.get("match", True) is False:
        assert claims, f"{text!r} is no noise: its figure must be extracted"
        return
    spans = [m.span() for m in rule.get("pattern").finditer(text)]
    assert spans
    inside = [c.text for c in claims if any(s < c.char_end and c.char_start < e for s, e in spans)]
    assert inside == []
