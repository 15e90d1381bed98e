"""Every example of counts, hedges, units, noise and speakers rules, run through the real extractor.

An example names the text and what its claim must show (value, measure, subject_key, hedge, low, high,
unit, polarity, speaker, whole, trend, kind); `audit.extract.example_problem` says what differs. The
claim checked is the first count, amount or duration whose value is the example's value (for speaker and
denial examples, the first such claim). Noise examples check that no count or amount is extracted
inside the span the rule marks. A broken example in a user's rule file stops `audit run` (last tests).
"""

from __future__ import annotations

import shutil

import pytest

from audit.errors import RuleError
from audit.extract import EXAMPLE_TABLES, Matchers, check_examples, example_problem
from audit.rules import DEFAULT_RULES_DIR, load_rules

RULES = load_rules()
MATCHERS = Matchers(RULES)


def _examples() -> list:
    """pytest params for every example of the extraction rules, id file:rule:n."""
    out = []
    for file, table in EXAMPLE_TABLES:
        for rule in RULES.rules(file, table):
            for n, example in enumerate(rule.examples, 1):
                out.append(pytest.param(rule, example, id=f"{file}:{rule.id}:{n}"))
    return out


@pytest.mark.parametrize(("rule", "example"), _examples())
def test_rule_example(rule, example):
    assert example_problem(rule, example, MATCHERS) == ""


def test_every_extraction_table_has_examples():
    counted = {(f, t): sum(len(r.examples) for r in RULES.rules(f, t)) for f, t in EXAMPLE_TABLES}
    assert all(n > 0 for n in counted.values()), counted


BROKEN_EXAMPLES = {
    "wrong-value": (
        "counts.toml",
        'value = 25, subject_key = "iraqi fighters"',
        'value = 26, subject_key = "iraqi fighters"',
    ),
    "wrong-hedge": ("hedges.toml", 'value = 11, low = 11, hedge = "at_least"', 'value = 11, low = 11, hedge = "about"'),
    "wrong-speaker": ("speakers.toml", 'speaker = "security sources"', 'speaker = "the sources"'),
}


@pytest.mark.parametrize("case", sorted(BROKEN_EXAMPLES))
def test_an_example_its_rule_does_not_reproduce_stops_the_run(tmp_path, case):
    name, old, new = BROKEN_EXAMPLES[case]
    for file in DEFAULT_RULES_DIR.glob("*.toml"):
        shutil.copy(file, tmp_path)
    path = tmp_path / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    rules = load_rules(tmp_path)
    with pytest.raises(RuleError) as error:
        check_examples(rules)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(name) and "key 'examples'" in message


def test_bundled_examples_all_pass():
    check_examples(RULES, MATCHERS)
