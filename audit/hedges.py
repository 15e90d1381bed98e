"""Hedges: find "at least", "nearly", "about" ... before a number and turn value + hedge into an interval."""

from __future__ import annotations

import re
from dataclasses import dataclass

from audit.rules import Rule, RuleSet


@dataclass(frozen=True)
class Hedge:
    """A hedge found before a number: its kind, the rule, and where its words start."""

    hedge: str
    rule: Rule | None
    start: int


EXACT = Hedge("exact", None, -1)


def hedge_pattern(rules: RuleSet) -> re.Pattern[str]:
    """One regex that matches any hedge phrase at the end of a text (longest phrases first)."""
    phrases = sorted({p for rule in rules.rules("hedges", "hedge") for p in rule.get("phrases")}, key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) or r"(?!x)x"
    return re.compile(rf"\b(?P<phrase>{alternation})[\s-]*$", re.IGNORECASE)


def find_hedge(text: str, number_start: int, rules: RuleSet, pattern: re.Pattern[str]) -> Hedge:
    """The hedge whose words end just before `number_start` in `text`, or EXACT."""
    window_start = max(0, number_start - 40)
    match = pattern.search(text, window_start, number_start)
    if not match:
        return EXACT
    phrase = re.sub(r"\s+", " ", match.group("phrase").lower())
    for rule in rules.rules("hedges", "hedge"):
        if phrase in rule.get("phrases"):
            return Hedge(rule.get("hedge"), rule, match.start())
    return EXACT


def interval(value: float, hedge: Hedge, integer: bool) -> tuple[float | None, float | None]:
    """The interval a hedged value implies; counts (integer) exclude the bound of more/less than."""
    if hedge.rule is None:
        return value, value
    low_factor, high_factor = hedge.rule.get("low"), hedge.rule.get("high")
    low = value * low_factor if low_factor is not None else None
    high = value * high_factor if high_factor is not None else None
    if integer:
        if hedge.hedge == "more_than" and low is not None:
            low = value + 1
        if hedge.hedge == "less_than" and high is not None:
            high = value - 1
        low = float(round(low)) if low is not None else None
        high = float(round(high)) if high is not None else None
    return low, high
