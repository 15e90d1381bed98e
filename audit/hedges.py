"""Hedges: find "at least", "nearly", "about" ... around a number and turn value + hedge into an interval.

All phrases come from `rules/hedges.toml`: [[hedge]] (before/after a number), [[vague]] ("dozens of"),
[[range]] ("between 10 and 20") and [[trend]] ("rose 5%").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from audit.rules import Rule, RuleSet
from audit.text.guard import guard_patterns


@dataclass(frozen=True)
class Hedge:
    """A hedge found next to a number: its kind, the rule, and where its words start (or end, after)."""

    hedge: str
    rule: Rule | None
    start: int
    end: int = -1  # for hedges written after the number ("50 or more"): where their words end


EXACT = Hedge("exact", None, -1)


def phrase_alternation(phrases: object) -> str:
    """An alternation of plain phrases, longest first, any white space between words."""
    # ties in alphabetical order: the same pattern in every process (which the user cache of compiled
    # regexes, audit.rules.regexes, finds again); phrases of one length never both match at one place
    words = sorted({str(p) for p in phrases}, key=lambda w: (-len(w), w))  # type: ignore[union-attr]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or r"(?!x)x"


def hedge_pattern(rules: RuleSet) -> re.Pattern[str]:
    """One regex that matches any hedge phrase at the end of a text (longest phrases first)."""
    phrases = [p for rule in rules.rules("hedges", "hedge") for p in rule.get("phrases", ())]
    # "around the $400 million mark": an article between hedge and sum leaves the hedge on it (find_hedge)
    return re.compile(rf"(?<![\w-])(?P<phrase>{phrase_alternation(phrases)})(?P<the>[\s-]+the)?[\s-]*$", re.IGNORECASE)


_SPACES = re.compile(r"\s+")


def _phrase_key(text: str) -> str:
    """A phrase as the rules write it: lower case, single spaces."""
    return _SPACES.sub(" ", text.lower())


def hedge_rules_by_phrase(rules: RuleSet) -> dict[str, Rule]:
    """Each [[hedge]] phrase (as _phrase_key writes it) -> the first rule holding it."""
    table: dict[str, Rule] = {}
    for rule in rules.rules("hedges", "hedge"):
        for phrase in rule.get("phrases", ()):
            table.setdefault(_phrase_key(phrase), rule)
    return table


def find_hedge(
    text: str, number_start: int, rules: RuleSet, pattern: re.Pattern[str], table: dict[str, Rule] | None = None
) -> Hedge:
    """The hedge whose words end just before `number_start` in its line of `text`, or EXACT (`table`: the
    hedge_rules_by_phrase of `rules`, built once by a caller that asks often)."""
    window_start = max(0, number_start - 40)
    # A hedge never reaches across a line break: "at least" ending a headline or a paragraph hedges nothing below it.
    window_start = text.rfind("\n", window_start, number_start) + 1 or window_start
    match = pattern.search(text, window_start, number_start)
    if not match or match.group("the") and not text.startswith(("$", "€", "£"), number_start):
        return EXACT  # "centres around the 37m skeleton": "the" bridges to a sum only
    rule = (table if table is not None else hedge_rules_by_phrase(rules)).get(_phrase_key(match.group("phrase")))
    return EXACT if rule is None else Hedge(rule.get("hedge"), rule, match.start())


def interval(value: float, hedge: Hedge, integer: bool) -> tuple[float | None, float | None]:
    """The interval a hedged value implies; counts (integer) exclude the bound of more/less than."""
    if hedge.rule is None:
        return value, value
    if hedge.rule.table == "vague":
        return hedge.rule.get("low"), hedge.rule.get("high")
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
    if low is not None and high is not None and low > high:
        low, high = high, low  # "about minus 387": factors of a negative number come out reversed
    return low, high


@dataclass(frozen=True)
class HedgeSettings:
    """The [settings] of rules/hedges.toml the hedge rules read, typed (a key left out reads as empty)."""

    trend_gap_words: tuple[str, ...]  # between a trend word and its number: "rose *by* 5%"
    trend_by_words: tuple[str, ...]  # "Burlington *by* 2.6%": the change of an earlier trend word

    @classmethod
    def from_rules(cls, rules: RuleSet) -> HedgeSettings:
        """The hedges settings of a rule set."""
        table: Mapping = rules.settings.get("hedges", {})
        return cls(tuple(table.get("trend_gap_words", ())), tuple(table.get("trend_by_words", ())))


class HedgeRules:
    """The hedge rules compiled once: phrases after a number, vague quantities, ranges and trends."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        settings = rules.part(HedgeSettings)
        self.before = hedge_pattern(rules)
        self.before_rules = hedge_rules_by_phrase(rules)
        self.after_rules = {_phrase_key(p): r for r in rules.rules("hedges", "hedge") for p in r.get("after", ())}
        self.after = re.compile(rf"\s*(?P<phrase>{phrase_alternation(self.after_rules)})(?![\w+])", re.IGNORECASE)
        self.vague_rules = {_phrase_key(p): r for r in rules.rules("hedges", "vague") for p in r.get("phrases")}
        self.vague = re.compile(rf"(?<![\w-])(?:{phrase_alternation(self.vague_rules)})(?![\w-])", re.IGNORECASE)
        self.ranges = rules.rules("hedges", "range")
        trends = {_phrase_key(p): r.id for r in rules.rules("hedges", "trend") for p in r.get("phrases")}
        self.trend_words = trends
        trend_rules = rules.rules("hedges", "trend")
        self.not_after = {r.id: {_phrase_key(w) for w in r.get("not_after", ())} for r in trend_rules}
        self.trend_before = re.compile(
            rf"(?<![\w+-])(?P<word>{phrase_alternation(trends)})"
            rf"(?:\s+(?:{phrase_alternation(settings.trend_gap_words)}))?[\s$€£]*$",
            re.IGNORECASE,
        )
        self.trend_near = re.compile(rf"(?<![\w-])(?:{phrase_alternation(trends)})(?![\w-])", re.IGNORECASE)
        by_words = settings.trend_by_words
        self.by = re.compile(rf"\b(?:{phrase_alternation(by_words)})[\s\u00a0]+$", re.IGNORECASE)
        self.by_reach = max((len(w) for w in by_words), default=0) + 2  # the word and its space(s)
        guard_patterns(self)  # every regex above with its guard (audit.text.guard): the same matches, faster

    def find_before(self, text: str, start: int) -> Hedge:
        """The hedge whose words end just before `start`, or EXACT."""
        return find_hedge(text, start, self.rules, self.before, self.before_rules)

    def find_after(self, text: str, end: int, limit: int) -> Hedge:
        """The hedge written just after a number ("50 or more"), or EXACT."""
        match = self.after.match(text, end, limit)
        if not match:
            return EXACT
        rule = self.after_rules[_phrase_key(match.group("phrase"))]
        return Hedge(rule.get("hedge"), rule, end, match.end())

    def rule_of(self, hedge: str) -> Rule | None:
        """The first [[hedge]] rule of a hedge kind ("about")."""
        return next((r for r in self.rules.rules("hedges", "hedge") if r.get("hedge") == hedge), None)

    def vague_rule(self, phrase: str) -> Rule:
        """The [[vague]] rule of a phrase the vague regex found."""
        return self.vague_rules[_phrase_key(phrase)]

    def trend(self, text: str, start: int, lo: int) -> str:
        """'up' or 'down' when a trend word stands just before `start` ("rose 5%", "down 19 cents"), else ''."""
        before = self.trend_before.search(text, max(lo, start - 30), start)
        if before:
            trend = self.trend_words[_phrase_key(before.group("word"))]
            previous = re.search(r"([A-Za-z]+)[\s\u00a0]+$", text[max(lo, before.start() - 20) : before.start()])
            if previous and _phrase_key(previous.group(1)) in self.not_after[trend]:
                return ""  # "gave up 14 runs": a verb with a particle, no change
            return trend
        if self.by.search(text[max(lo, start - self.by_reach) : start]):
            # "grow revenue by 18 per cent", "were down 1.7%, Kohl's by 3.1%": "by" names the change of the
            # verb earlier in the sentence
            words = list(self.trend_near.finditer(text, max(lo, start - 60), start))
            if words:
                return self.trend_words[_phrase_key(words[-1].group())]
        return ""
