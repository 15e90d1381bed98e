"""The rules' own examples: each must come out of the extractor as it says (checked once a run, by the pipeline)."""

from __future__ import annotations

from audit.cache import has_stamp, write_stamp
from audit.errors import RuleError
from audit.extract.claims import extract_text
from audit.extract.matchers import Matchers
from audit.model import Kind
from audit.rules import Rule, RuleSet

EXAMPLE_KEYS = ("measure", "subject_key", "subject", "hedge", "low", "high", "unit", "polarity", "speaker", "whole")
EXAMPLE_KEYS += ("trend", "kind")


EXAMPLE_TABLES = (
    ("counts", "measure"),
    ("counts", "subject"),
    ("counts", "group"),
    ("counts", "age"),
    ("units", "unit"),
    ("hedges", "hedge"),
    ("hedges", "vague"),
    ("hedges", "range"),
    ("hedges", "trend"),
    ("speakers", "cue"),
    ("speakers", "denial"),
    ("noise", "noise"),
    ("events", "event"),
)


def _same(a: object, b: object) -> bool:
    """Equal, numbers compared closely."""
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    return a == b


def _example_defaults(rule: Rule) -> dict:
    """What an example of this rule checks without saying so: its measure, its hedge."""
    if rule.table == "measure":
        return {"measure": rule.id}
    if rule.table == "hedge":
        return {"hedge": rule.get("hedge")}
    if rule.table == "vague":
        return {"hedge": "vague", "low": rule.get("low"), "high": rule.get("high")}
    return {}


def _event_problem(example, matchers: Matchers) -> str:
    """What is wrong with an example of an event rule: the measure of its duration and of its date."""
    claims = extract_text(example["text"], matchers.rules, published=example.get("published", ""), matchers=matchers)
    if "measure" in example:
        found = sorted({c.measure for c in claims if c.kind == "duration"})
        if example["measure"] not in found:
            return f"durations measure {found}, not {example['measure']!r}"
    if "date_measure" in example:
        found = sorted({c.measure for c in claims if c.kind == "date" and c.measure})
        want = [example["date_measure"]] if example["date_measure"] else []
        if found != want:
            return f"dates measure {found}, not {want}"
    return ""


def _age_problem(rule: Rule, example, matchers: Matchers) -> str:
    """What is wrong with an example of an age rule: its age counts nothing (bare: no subject or measure) and
    makes no row, but the one row of its measure when the example names whose age it is (`subject_key`)."""
    text, value = example["text"], example.get("value")
    found = [c for c in extract_text(text, matchers.rules, matchers=matchers) if _same(c.value, value)]
    if "subject_key" in example:
        want = (Kind.AMOUNT, rule.get("measure"), example["subject_key"])
        got = [(c.kind, c.measure, c.subject_key) for c in found]
        if got != [want]:
            return f"the age is extracted as {got!r}, not {[want]!r}"
    elif found:
        return f"the age is extracted as {[c.text for c in found]!r}"
    bare = [c for c in extract_text(text, matchers.rules, matchers=matchers, bare=True) if _same(c.value, value)]
    if not bare:
        return f"no bare figure of value {value}"
    counted = [c.text for c in bare if c.subject or c.measure]
    return f"the age counts something: {counted!r}" if counted else ""


def example_problem(rule: Rule, example, matchers: Matchers) -> str:
    """What is wrong with one example of a rule as the extractor reads it ('' when nothing)."""
    if rule.table == "event":
        return _event_problem(example, matchers)
    if rule.table == "age":
        return _age_problem(rule, example, matchers)
    text = example["text"]
    bare = rule.table == "noise"
    claims = [
        c
        for c in extract_text(text, matchers.rules, matchers=matchers, bare=bare)
        if c.kind in ("count", "amount", "duration")
    ]
    if rule.table == "noise":
        if example.get("match", True) is False:
            return "" if claims else "its figure is not extracted"
        spans = [found.span() for found in rule.get("pattern").finditer(text)]
        inside = [
            c.text
            for c in claims
            if c.kind != "duration" and any(a < c.char_end and c.char_start < b for a, b in spans)
        ]
        return f"extracts {inside!r}" if inside else ""
    if rule.table in ("cue", "denial"):
        claim = claims[0] if claims else None
    else:
        claim = next((c for c in claims if c.value is not None and _same(c.value, example.get("value"))), None)
    if claim is None:
        return f"no claim of value {example.get('value')} (found {[(c.text, c.value) for c in claims]})"
    wanted = {**_example_defaults(rule), **{k: v for k, v in example.items() if k in EXAMPLE_KEYS}}
    for key, want in wanted.items():
        if not _same(getattr(claim, key), want):
            return f"{key} is {getattr(claim, key)!r}, not {want!r} (claim {claim.text!r})"
    return ""


def check_examples(rules: RuleSet, matchers: Matchers | None = None) -> None:
    """Run every example of the extraction rules; the first that fails stops with a RuleError naming it.

    Once they all pass, the user cache remembers it for these rule files and this code (audit.cache)."""
    if rules.cache_key and has_stamp("examples", rules.cache_key):
        return
    m = matchers or Matchers.from_rules(rules)
    for file, table in EXAMPLE_TABLES:
        for rule in rules.rules(file, table):
            for example in rule.examples:
                problem = example_problem(rule, example, m)
                if problem:
                    raise RuleError(f"{file}.toml, rule '{rule.id}', key 'examples': {example['text']!r}: {problem}")
    if rules.cache_key:
        write_stamp("examples", rules.cache_key)
