"""Quantities: the numbers, vague quantities ("dozens"), negated counts ("no deaths"), ranges ("10-20") and
partitives ("two of the three") of a sentence, and the spans where a number is no claim (noise, ages).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from audit.extract.matchers import Matchers, _key
from audit.extract.units import _unit_after, _unit_before
from audit.hedges import EXACT, Hedge
from audit.model import Claim, DateMention
from audit.rules import Rule, RuleSet
from audit.text.literals import literals_of, lowered_text, may_match


@dataclass
class Num:
    """A quantity found in a sentence before it becomes a claim."""

    start: int
    end: int
    value: float
    digits: bool = True
    suffix: str = ""
    attached: bool = False  # letters follow the digits at once: "256GB" (a unit) or "9AB8" (a code)
    glued: bool = False  # letters stand right before: "USD10m" (a currency) or "RAV4" (a name)
    hedge: Hedge = EXACT
    low: float | None = None
    high: float | None = None
    negated: bool = False
    whole: float | None = None
    whole_end: int = -1  # partitives: the counted phrase starts after the whole ("of the three ...")
    age: bool = False  # "Senard, 65, said": how old someone is, no count (rules/counts.toml [[age]])
    part: bool = False  # "one of the rocket attacks": one singled out of a whole the text does not count
    claim: Claim | None = field(default=None, repr=False)


def noise_spans(
    text: str, spans: Iterable[tuple[int, int]], rules: RuleSet, patterns: tuple[re.Pattern[str], ...] | None = None
) -> list[tuple[int, int]]:
    """Spans of text the noise rules say are never claims (`patterns`: the rules' patterns as Matchers.noise
    holds them, guarded; the rules' own by default)."""
    if patterns is None:
        patterns = tuple(rule.get("pattern") for rule in rules.rules("noise", "noise"))
    out = []
    literals = [literals_of(pattern) for pattern in patterns]  # a scan skipped where they cannot match
    for start, end in spans:
        lowered = lowered_text(text, start, end) if any(literals) else None
        for pattern, needed in zip(patterns, literals, strict=True):
            if may_match(needed, lowered):
                out.extend(m.span() for m in pattern.finditer(text, start, end) if m.end() > m.start())
    return sorted(out)


def age_spans(
    text: str, spans: Iterable[tuple[int, int]], rules: RuleSet, patterns: tuple[re.Pattern[str], ...] | None = None
) -> list[tuple[int, int]]:
    """Spans of the numbers the age rules read as ages (their named groups, else the whole match); `patterns`
    as for noise_spans (Matchers.ages)."""
    return read_ages(text, spans, rules, patterns)[0]


def read_ages(
    text: str, spans: Iterable[tuple[int, int]], rules: RuleSet, patterns: tuple[re.Pattern[str], ...] | None = None
) -> tuple[list[tuple[int, int]], list[NamedAge]]:
    """The age rules' matches, read once: the spans of their ages (age_spans), and the ages those with a
    `measure` give a name (group `who`, a capitalised word last: "Reid, 33,"), each in order."""
    chosen = rules.rules("counts", "age")
    patterns = patterns if patterns is not None else tuple(rule.get("pattern") for rule in chosen)
    ages, named = [], []
    literals = [literals_of(pattern) for pattern in patterns]  # as in noise_spans
    for start, end in spans:
        lowered = lowered_text(text, start, end) if any(literals) else None
        for rule, pattern, needed in zip(chosen, patterns, literals, strict=True):
            if not may_match(needed, lowered):
                continue
            measure = rule.get("measure")
            for found in pattern.finditer(text, start, end):
                groups = found.groupdict()
                held = [found.span(g) for g, v in groups.items() if v is not None and g not in _NOT_AGES]
                ages.extend(held or [found.span()])
                who = groups.get("who") if measure else None
                if who and groups.get("age") and who.split()[-1][:1].isupper():
                    unit = (groups.get("unit") or "year").lower()
                    named.append(NamedAge(*found.span("age"), *found.span("who"), unit, rule.id, measure))
    return sorted(ages), sorted(named, key=lambda a: (a.start, a.end, a.rule))


#: Groups of an age pattern that hold no age: whose age it is, and its unit.
_NOT_AGES = ("who", "unit")


@dataclass(frozen=True)
class NamedAge:
    """An age the text gives a named person ("Reid, 33,"): the age's span, the name's, and its rule."""

    start: int
    end: int
    who_start: int
    who_end: int
    unit: str
    rule: str
    measure: str


class SpanSet:
    """Spans of text, sorted, that answer "does this span overlap one of you?" by bisection."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]
        self.longest = max((end - start for start, end in self.spans), default=0)

    def add(self, span: tuple[int, int]) -> None:
        """Add a span."""
        at = bisect.bisect_left(self.spans, span)
        self.spans.insert(at, span)
        self.starts.insert(at, span[0])
        self.longest = max(self.longest, span[1] - span[0])

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Whether a span overlaps any span of the set."""
        lo = bisect.bisect_left(self.starts, span[0] - self.longest)
        hi = bisect.bisect_left(self.starts, span[1])
        return any(start < span[1] and span[0] < end for start, end in self.spans[lo:hi])


def _numbers(text: str, s: int, e: int, blocked: tuple[tuple[int, int], ...], m: Matchers) -> list[Num]:
    """Vague quantities, negated counts and numbers of one sentence, outside blocked spans, in order."""
    nums: list[Num] = []
    taken = SpanSet(blocked)
    for found in m.vague.finditer(text, s, e):
        if taken.overlaps(found.span()):
            continue
        rule = m.hedges.vague_rule(found.group())
        end = found.start() + len(found.group().rstrip())
        if found.group().lower().rstrip().endswith(" of"):
            end = found.start() + len(re.sub(r"\s+of$", "", found.group(), flags=re.I))
        nums.append(Num(found.start(), end, float(rule.get("value")), False, hedge=Hedge("vague", rule, found.start())))
        taken.add(found.span())
    if m.negation is not None:
        for found in m.negation.finditer(text, s, e):
            span = found.span("neg")
            if taken.overlaps(span):
                continue
            end = span[0] + len(found.group("neg").rstrip())
            nums.append(Num(span[0], end, 0.0, False, negated=True))
            taken.add((span[0], end))
    for number in m.numbers.find(text, s, e):
        if not taken.overlaps((number.start, number.end)):
            nums.append(
                Num(
                    number.start,
                    number.end,
                    number.value,
                    number.digits,
                    number.scale_suffix,
                    number.attached,
                    number.glued,
                )
            )
    nums.sort(key=lambda n: n.start)
    return _partitives(text, e, _ranges(text, s, nums, m), m)


def _ranges(text: str, s: int, nums: list[Num], m: Matchers) -> list[Num]:
    """Join two numbers the range rules read as one interval ("between 10 and 20", "10-20")."""
    out: list[Num] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        b = nums[i + 1] if i + 1 < len(nums) else None
        rule = _range_rule(text, s, a, b, m) if b is not None else None
        if rule is None or b is None:
            out.append(a)
            i += 1
            continue
        low, high = _scaled_low(text, a, b, m), b.value
        words_start = a.start  # "between 10 and 20": the claim's words start at "between"
        before = rule.get("before")
        if before is not None:
            found = before.search(text, max(s, a.start - 20), a.start)
            words_start = found.start() if found else words_start
        hedge = Hedge("range", rule, words_start)
        out.append(
            Num(a.start, b.end, (low + high) / 2, a.digits, b.suffix, b.attached, a.glued, hedge, low=low, high=high)
        )
        i += 2
    return out


def _scaled_low(text: str, a: Num, b: Num, m: Matchers) -> float:
    """The first number of a range, with the scale of the second when it has none: "10-20 million" -> 10 million."""
    first = m.numbers.parse(re.split(r"[\s-]", text[b.start : b.end])[0]) or b.value
    if first != b.value and a.value < first:
        return a.value * b.value / first
    return a.value


def _range_rule(text: str, s: int, a: Num, b: Num, m: Matchers) -> Rule | None:
    """The range rule joining numbers a and b, or None."""
    low = _scaled_low(text, a, b, m)
    if a.hedge.rule is not None or b.hedge.rule is not None or a.negated or b.negated or low >= b.value:
        return None
    if not _same_kind(text, s, a, b, m):
        return None
    gap_start = a.end
    unit = m.unit_after.match(text, a.end, b.start)
    if unit and unit.end() < b.start:  # "5 per cent to 7 per cent": the same unit after both
        after_b = m.unit_after.match(text, b.end)
        if not after_b or _key(after_b.group("u")) != _key(unit.group("u")):
            return None
        gap_start = unit.end()
    elif a.attached:  # "between 15kHz and 17kHz"
        letters = re.match(r"[A-Za-z/]+", text[a.end : b.start])
        gap_start += letters.end() if letters else 0
    gap = text[gap_start : b.start]
    for rule in m.hedges.ranges:
        if not rule.get("joiner").fullmatch(gap):
            continue
        if rule.get("max_width") is not None and b.value - low > rule.get("max_width"):
            continue
        changed = m.hedges.trend_near.search(text, max(s, a.start - 40), a.start) is not None
        after_from = re.search(r"\bfrom[\s\u00a0$€£]*$", text[max(s, a.start - 8) : a.start]) is not None
        if changed and after_from:
            continue  # "rose from 5 to 7": the level before and the level after, two figures
        before = rule.get("before")
        if before is not None:
            if before.search(text, max(s, a.start - 20), a.start):
                return rule
            continue
        if changed and b.value > 2 * low:
            continue  # "increased by $12.8 billion to $305.6 billion": the change and the level, two figures
        return rule
    return None


def _same_kind(text: str, s: int, a: Num, b: Num, m: Matchers) -> bool:
    """Whether a currency before the first number agrees with the unit of the second ("$5 or 6%" and
    "$5 or 6 euros" are two figures; "$5-$6", "$5 to 6 million" and "5 or 6%" are one range)."""
    before_a = _unit_before(text, s, a.start, m)
    if before_a is None:
        return True
    before_b = _unit_before(text, a.end, b.start, m)
    after_b = _unit_after(text, b.end, len(text), m)
    units_b = [u for u in (before_b[0].id if before_b else None, after_b[1] if after_b else None) if u]
    return all(u == before_a[0].id for u in units_b)


def _partitives(text: str, e: int, nums: list[Num], m: Matchers) -> list[Num]:
    """Mark "two of the three injured troops": 2 of a whole of 3, counted phrase after the whole; and
    "one of the rocket attacks": one thing singled out ("11 of Iran's missiles" still counts 11 missiles)."""
    for a, b in zip(nums, [*nums[1:], None], strict=False):
        found = m.partitive.match(text, a.end, b.start if b is not None else e)
        if found is None or a.negated or a.hedge.hedge == "vague":  # "dozens of deaths" counts the deaths
            continue
        if b is not None and found.end() == b.start and not b.negated:
            a.whole = b.value
            a.whole_end = b.end
        else:
            a.part = a.value == 1
    return nums


def _duration_ranges(
    text: str, s: int, mentions: tuple[DateMention, ...], nums: list[Num], m: Matchers
) -> tuple[tuple[DateMention, ...], list[Num]]:
    """Join a bare number and the duration the dates stage found right after it: "two to three weeks",
    "40 to 50 hours", "for 3-5 days" are one duration from the first number to the second."""
    out: list[DateMention] = []
    used: set[int] = set()
    for mention in mentions:
        a = next((n for n in reversed(nums) if n.end <= mention.start), None)
        number = re.match(r"[\w.,]+", mention.text)
        exact = mention.kind == "duration" and mention.hedge == "exact" and mention.value is not None
        if a is None or not exact or number is None or m.numbers.parse(number.group()) != mention.value:
            out.append(mention)
            continue
        b = Num(mention.start, mention.start + number.end(), float(mention.value), number.group()[:1].isdigit())
        rule = _range_rule(text, s, a, b, m)
        if rule is None or re.search(r"\d", text[a.end : b.start]):
            out.append(mention)
            continue
        start = a.start
        if rule.get("before") is not None:
            found = rule.get("before").search(text, max(s, a.start - 20), a.start)
            start = found.start() if found else start
        middle = (a.value + b.value) / 2
        out.append(
            replace(
                mention,
                start=start,
                text=text[start : mention.end],
                value=middle,
                low=a.value,
                high=b.value,
                hedge="range",
                timex=re.sub(r"\d+(?:\.\d+)?", format(middle, "g"), mention.timex, count=1),
            )
        )
        used.add(id(a))
    return tuple(out), [n for n in nums if id(n) not in used]
