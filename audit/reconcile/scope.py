"""Scope: what part of the whole a figure counts, read from the words around it (rules/facts.toml [[scope]]).

A figure for a part ("12 killed in Bener Meriah district", "six children", "nine of them") is kept apart from
the whole toll; an increment ("six more bodies") is never the toll itself; an earlier figure ("up from 22")
held before the time it is stated; a revised one ("revised down to 20") corrects, it does not contradict.
`FactRules` is the compiled part of rules/facts.toml; `scope_frame` reads every claim's scope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from audit.errors import RuleError
from audit.numbers import Numbers
from audit.reconcile.prefilter import FOLDED, wider_all
from audit.reconcile.settings import ReconcileSettings
from audit.rules import RuleSet

#: Roles a scope rule may give (the schema's choices); a figure without scope words gets "" (the whole too).
ROLES = ("part", "whole", "increment", "earlier", "revised")
#: The grouping label of an increment: increments line up only with increments (and then by value).
INCREMENT = "more"
_CLAUSE_BREAK = re.compile(r"[;:]")


@dataclass(frozen=True)
class ScopeRule:
    """One [[scope]] rule: its role, the side of the figure its words stand on, its pattern and gap."""

    id: str
    role: str
    side: str
    pattern: re.Pattern[str]
    gap: int | None
    kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Scope:
    """What a figure counts: its role, the part's name (parts only) and the rule that said so ("" for none)."""

    role: str = ""
    name: str = ""
    rule: str = ""

    @property
    def label(self) -> str:
        """The grouping label: "" for the whole (and earlier or revised figures of it), else the part or increment."""
        if self.role == "part":
            return f"part:{self.name or self.rule}"
        return INCREMENT if self.role == "increment" else ""


@dataclass(frozen=True)
class FactRules:
    """The compiled part of rules/facts.toml the reconciler needs."""

    scopes: tuple[ScopeRule, ...] = ()
    window: int = 110
    may_fall: frozenset[str] = frozenset()
    reach: float = 0.25
    tolerance: float = 0.02
    numbers: Numbers | None = None  # rules/numbers.toml: where the number stands in a claim's words
    stated_exactly: frozenset[str] = frozenset()  # measures stated exactly in their own unit (rules/facts.toml)

    @classmethod
    def from_rules(cls, rules: RuleSet) -> FactRules:
        """Compile rules/facts.toml and check its examples (a failing one raises a RuleError naming it)."""
        scopes = tuple(
            ScopeRule(r.id, r.get("role"), r.get("side"), r.get("pattern"), r.get("gap"), frozenset(r.get("kinds", ())))
            for r in rules.rules("facts", "scope")
        )
        settings = rules.part(ReconcileSettings)
        compiled = cls(
            scopes,
            int(settings.scope_window),
            frozenset(settings.may_fall),
            float(settings.value_reach),
            float(settings.value_tolerance),
            rules.part(Numbers),
            frozenset(settings.stated_exactly),
        )
        for rule in rules.rules("facts", "scope"):
            for example in rule.examples:
                problem = example_problem(compiled, example)
                if problem:
                    raise RuleError(f"facts.toml, rule '{rule.id}', key 'examples': {example['text']!r}: {problem}")
        return compiled

    def near(self, side: str) -> tuple[str, ...]:
        """Polars (Rust) regexes of every pattern of a side, to skip claims no scope words stand near (see
        audit.reconcile.prefilter: together they find every text the patterns find, and some more): one of
        the patterns whose word boundaries it reads as ASCII ones, one of the others (Rust reads a text
        beyond ASCII slowly with those: never the first)."""
        parts = wider_all([s.pattern for s in self.scopes if (s.side == "subject") == (side == "subject")])
        if not parts:
            return ()
        fast = [FOLDED] + [pattern for pattern, ascii_boundaries in parts if ascii_boundaries]
        slow = [pattern for pattern, ascii_boundaries in parts if not ascii_boundaries]
        return tuple("(?ix)" + "|".join(f"(?:{p})" for p in group) for group in (fast, slow) if group)


def example_problem(compiled: FactRules, example: Mapping) -> str:
    """What is wrong with one scope example as the reconciler reads it ('' when nothing)."""
    text, figure = example["text"], example.get("figure", "")
    at = text.find(figure) if figure else -1
    if at < 0:
        return f"its figure {figure!r} is not in the text"
    found = read_scope(text, at, at + len(figure), figure, compiled, example.get("kind", "count"))
    want_role, want_name = example.get("role", "whole"), example.get("name")
    if (found.role or "whole") != want_role:
        return f"{figure!r} reads as {found.role} ({found.rule or 'no scope words'}), not {want_role}"
    if want_name is not None and found.name != want_name:
        return f"{figure!r} is a part named {found.name!r}, not {want_name!r}"
    return ""


def _number_span(sentence: str, start: int, end: int, number: re.Pattern[str]) -> tuple[int, int]:
    """Where the number itself stands inside the claim's words (the whole claim when no number is written)."""
    found = number.search(sentence, start, end)
    return (found.start(), found.end()) if found else (start, end)


def read_scope(
    sentence: str, start: int, end: int, subject: str, compiled: FactRules, kind: str = "count", headline: str = ""
) -> Scope:
    """The scope of the figure written at sentence[start:end]: the nearest scope words either side, or the subject's.

    A part named after a place its article's `headline` names (see `_headline_place`) is the story's own
    place: the whole.
    """
    assert compiled.numbers is not None  # FactRules.from_rules gives them; a bare FactRules has no scopes
    number = compiled.numbers.pattern
    n0, n1 = _number_span(sentence, start, end, number)
    before = sentence[max(0, n0 - compiled.window) : n0]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    before = before[breaks[-1].end() :] if breaks else before
    after = sentence[n1 : n1 + compiled.window]
    cut = _CLAUSE_BREAK.search(after)
    after = after[: cut.start()] if cut else after
    best: tuple[int, int, Scope] | None = None
    for order, rule in enumerate(compiled.scopes):
        if rule.kinds and kind not in rule.kinds:
            continue
        for distance, match in _matches(rule, before, after, f"{subject} {sentence[start:end]}", number):
            if rule.gap is not None and distance > rule.gap:
                continue
            if best is None or (distance, order) < best[:2]:
                name = _part_name(match.groupdict().get("name") or "") if rule.role == "part" else ""
                best = (distance, order, Scope(rule.role, name, rule.id))
    if best is None:
        return Scope()
    found = best[2]
    if found.role == "part" and _headline_place(found.name, headline):
        return Scope("whole", "", f"{found.rule}, the headline's place")
    return found


def _part_name(written: str) -> str:
    """A part's name as written, lower-cased, from its first capitalised word ("the mountainous Bener Meriah
    district" -> "bener meriah district"); without one, its last word ("the district" -> "district") unless
    the words are a phrase of their own ("of the injured")."""
    words = written.split()
    capital = next((i for i, w in enumerate(words) if w[:1].isupper()), None)
    if capital is not None:
        words = words[capital:]
    elif words and words[0].lower() in ("the", "its", "a", "an"):
        words = words[-1:]
    return " ".join(words).lower()


def _headline_place(name: str, headline: str) -> bool:
    """Whether a part's name ("indonesia's aceh province") is the place a headline names: its words but the
    last ("province") and but a possessive ("indonesia's") all stand in the headline ("central aceh
    district" needs "central" too). A bare "the province" names no place, so never."""
    words = [w for w in name.split()[:-1] if not w.endswith(("'s", "’s"))]
    if not words or not headline:
        return False
    said = {w.removesuffix("'s").removesuffix("’s") for w in re.findall(r"[\w'’-]+", headline.lower())}
    return all(w in said for w in words)


def _matches(
    rule: ScopeRule, before: str, after: str, counted: str, number: re.Pattern[str]
) -> list[tuple[int, re.Match[str]]]:
    """A rule's matches on its side of the figure within its `gap` (when it has one), each with its distance
    (characters between, spaces aside).

    Words a rule wants right beside the figure (a `gap`) are another figure's when a number stands between:
    in "$334 million ($281M in cash)" the cash is the $281M. Matches beyond the gap are never read (after the
    figure, the first one beyond it ends the search: the distance only grows), so that a window dense with
    words costs no number search each.
    """
    if rule.side == "subject":
        return [(0, m) for m in rule.pattern.finditer(counted)][:1]
    found: list[tuple[int, re.Match[str]]] = []
    for m in rule.pattern.finditer(before if rule.side == "before" else after):
        between = before[m.end() :] if rule.side == "before" else after[: m.start()]
        distance = len(between.strip())
        if rule.gap is None:
            found.append((distance, m))
        elif distance > rule.gap:
            if rule.side != "before":
                break
        elif not number.search(between):
            found.append((distance, m))
    return found


def scope_frame(frame: pl.DataFrame, compiled: FactRules, row: str, label: str, role: str) -> pl.DataFrame:
    """Per claim with scope words near it: its row, grouping label and role (claims without any are the whole).

    Claims are found in their sentence by their words, the k-th claim of the same words in a sentence at the
    k-th place they are written; only sentences (or subjects) the rules' words occur in are read in Python.
    """
    schema = {row: pl.UInt32, label: pl.Utf8, role: pl.Utf8}
    near, near_subject = compiled.near("before"), compiled.near("subject")
    if not compiled.scopes:
        return pl.DataFrame(schema=schema)
    hit = pl.lit(False)
    for pattern in near:
        hit = hit | pl.col("sentence").str.contains(pattern)
    for pattern in near_subject:
        hit = hit | pl.col("subject").str.contains(pattern) | pl.col("text").str.contains(pattern)
    words = pl.col("text").str.replace_all(r"\s+", " ").str.strip_chars()
    read = frame.select(row, "source", "article", "kind", "sentence", "text", "subject", "char_start", "headline")
    frame = read.filter((pl.col("kind") != "date") & hit).with_columns(words.alias("_words"))
    nth = pl.struct("char_start", row).rank("ordinal").over("source", "article", "sentence", "_words")
    frame = frame.with_columns(nth.cast(pl.Int64).alias("_k"))
    rows, labels, roles = [], [], []
    columns = (row, "sentence", "_words", "subject", "_k", "kind", "headline")
    for row_id, sentence, text, subject, k, kind, headline in frame.select(columns).iter_rows():
        at = _occurrence(sentence, text, k)
        found = read_scope(sentence, at, at + len(text), subject, compiled, kind, headline) if at >= 0 else Scope()
        if found.rule:
            rows.append(row_id)
            labels.append(found.label)
            roles.append(found.role)
    return pl.DataFrame({row: rows, label: labels, role: roles}, schema=schema)


def _occurrence(sentence: str, text: str, k: int) -> int:
    """Where the k-th (1-based) occurrence of `text` starts in `sentence` (the last when fewer), -1 if none."""
    if not text:
        return -1
    at = found = sentence.find(text)
    for _ in range(1, k):
        found = sentence.find(text, found + 1)
        if found < 0:
            break
        at = found
    return at
