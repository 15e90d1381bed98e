"""Guarded patterns (audit.text.guard): the look-ahead put in front of a rule pattern is a necessary condition
of its matches, so the guarded pattern finds exactly what the pattern finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.dates.vocabulary import _expand
from audit.rules import compile_pattern
from audit.text.guard import FOLDS, guard_text, guarded

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize(
    ("pattern", "flags", "guard"),
    [
        # a word boundary opens every match: tested after a narrow first class, before a broad one (a whole
        # alphabet, which every position inside a word passes)
        (r"\bab\d", re.I, r"(?-i:(?=[\U00000041\U00000061][\U00000042\U00000062][\d])\b)"),
        (r"\b[a-z]\d", 0, r"(?-i:\b(?=[\U00000061-\U0000007a][\d]))"),
        (r"(?<!-)\b(?:[a-z]|\d)\d", 0, r"(?-i:\b(?=[\U00000061-\U0000007a\d][\d]))"),  # after a look-behind
        (r"\b[a-z]\d|x\d", 0, r"(?-i:(?=[\U00000061-\U0000007a\U00000078][\d]))"),  # one branch without
        (r"(?a:\b[a-z])\d", 0, r"(?-i:(?=[\U00000061-\U0000007a][\d]))"),  # ASCII's boundary is another one
        (r"(?:x|yz)q", 0, r"(?-i:(?=[\U00000078\U00000079][\U00000071\U0000007a]))"),
        (r"a?\d", 0, r"(?-i:(?=[\U00000061\d]))"),  # an optional first letter: the digit may come first
        (r"(?<![\w])\d\d\d\d", 0, r"(?-i:(?=[\d][\d][\d]))"),  # look-behinds are no characters
        (r"(a)\1", 0, r"(?-i:(?=[\U00000061]))"),  # a back-reference ends the guard
        (r"a*", 0, ""),  # may match nothing: no guard
        (r".b", 0, ""),  # any first character: no guard
        (r"[^a]b", 0, ""),  # a negated class: no guard
        (r"é\d", re.I, ""),  # a cased letter outside ASCII: its folds are not known here
        (r"(?-i:K)\d", re.I, r"(?-i:(?=[\U0000004b][\d]))"),  # case-sensitive inside the group
    ],
    ids=["word-digit", "boundary-broad", "boundary-after-look-behind", "boundary-in-one-branch", "boundary-ascii",
         "branches", "optional", "look-behind", "back-reference", "nullable", "any", "negated",
         "non-ascii", "scoped-flags"],
)  # fmt: skip
def test_guard_text(pattern, flags, guard):
    assert guard_text(re.compile(pattern, flags)) == guard


def test_folds_are_every_non_ascii_letter_matching_an_ascii_one():
    letters = re.compile("[a-z]", re.I)
    found = {chr(c) for c in range(128, 0x110000) if letters.fullmatch(chr(c))}
    assert found == set("".join(FOLDS.values()))
    for low, folds in FOLDS.items():
        assert all(re.fullmatch(low, fold, re.I) for fold in folds)


def _texts() -> list[str]:
    """The seed pages, each rule's example texts, and a dense line of figures."""
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(SEEDS.glob("*.txt"))]
    dense = "".join(
        f"At least {n} troops were killed on Jan. {1 + n % 28}, {2000 + n % 25}, officials said; "
        f"{n % 90}% of them in 3 hours, at 10:{n % 60:02d} a.m. (Phase {n % 4}) on 4/{1 + n % 28}; "
        for n in range(300)
    )
    return [*texts, dense]


def _patterns(rules) -> dict[str, re.Pattern[str]]:
    """Every noise, age and date-shape pattern of the bundled rules (word tables expanded), and every near."""
    out = {f"noise.{r.id}": r.get("pattern") for r in rules.rules("noise", "noise")}
    out |= {f"age.{r.id}": r.get("pattern") for r in rules.rules("counts", "age")}
    for rule in rules.rules("dates", "shape"):
        for key in ("pattern", "near"):
            if rule.get(key) is not None:
                out[f"{key}.{rule.id}"] = compile_pattern(_expand(rules, rule, key))
    return out


def test_guarded_rule_patterns_find_the_same_matches(rules):
    texts = _texts()
    tables = (("noise", "noise"), ("dates", "shape"), ("counts", "age"))
    texts += [e["text"] for file, table in tables for r in rules.rules(file, table) for e in r.examples]
    patterns = _patterns(rules)
    assert sum(guarded(p) is not p for p in patterns.values()) > len(patterns) // 2  # most have a guard
    for name, pattern in patterns.items():
        fast = guarded(pattern)
        for text in texts:
            plain = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == plain, name


def test_guarded_extraction_patterns_find_the_same_matches(rules, monkeypatch):
    import audit.text.guard as guard
    from audit.extract import Matchers
    from audit.hedges import HedgeRules

    monkeypatch.setattr(guard, "guarded", lambda pattern: pattern)  # the plain patterns, as the rules build them
    holders = {"matchers": Matchers(rules), "hedges": HedgeRules(rules)}
    monkeypatch.undo()
    texts = _texts()
    guards = 0
    for holder_name, holder in holders.items():
        for name, pattern in vars(holder).items():
            if not isinstance(pattern, re.Pattern):
                continue
            fast = guarded(pattern)
            guards += fast is not pattern
            for text in texts:
                plain = [(m.span(), m.groups()) for m in pattern.finditer(text)]
                assert [(m.span(), m.groups()) for m in fast.finditer(text)] == plain, f"{holder_name}.{name}"
    assert guards >= 10  # the plain patterns were compared with guarded ones
