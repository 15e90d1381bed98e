"""Extract: turn each article's clean sentences into claim rows (counts, amounts, dates, durations).

For every sentence: dates and durations come from `audit.dates`; numbers (digits, words, mixes) from
`audit.numbers`; vague quantities, ranges and hedges from `rules/hedges.toml`; units from
`rules/units.toml` (quantulum3 only for an unknown unit symbol right after digits); the counted
subject, its normalised key and the measure from `rules/counts.toml`; speakers and denials from
`rules/speakers.toml`. Numbers inside dates or inside `rules/noise.toml` spans are never claims.

`extract_text` runs the same extraction on a bare text (tests, benchmarks).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from audit.dates import event_context, find_dates, publication_day
from audit.errors import RuleError
from audit.hedges import EXACT, Hedge, HedgeRules, interval, phrase_alternation
from audit.model import Article, Claim, Corpus, DateMention, Document, Source
from audit.numbers import NUMBER, find_numbers, parse_number
from audit.rules import Rule, RuleSet

# A word of a counted phrase; "250ml" in "eight million 250ml bottles" is a modifier too.
_TOKEN = re.compile(r"[\s\u00a0]*(?P<tok>[A-Za-z][A-Za-z'’&.-]*[A-Za-z]|[A-Za-z]|\d[\d.,]*-?[A-Za-z]+(?![\w-]))")
# Partitives ("of the"), words after an elliptic count ("37 in Syria"), irregular plurals and clause words
# ("but", "before") are language data: Matchers builds its regexes from counts.toml.
# Kept in code: the abbreviations before a full stop below (they belong with boilerplate.toml's, which
# another stage owns), and the shapes of tokens and regular plurals (spelling mechanics).
_SENTENCE_END = re.compile(
    r"""(?<!\b[A-Z])(?<!\b(?:Lt|Mr|Ms|Dr|St|No|vs|Co))(?<!\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Gen|Maj|Col|Sgt|Mrs|Sen|Rep|Inc|Ltd))
        (?<!\b(?:Sept|Capt|Corp))[.!?]["”’)]*(?:\s+(?=["“‘(]?[A-Z0-9])|\s*$)|\n\s*\n""",
    re.VERBOSE,
)
_UNKNOWN_UNIT = re.compile(r"(?P<gap>[\s\u00a0-]?)(?P<tok>[A-Za-z]{1,5}(?:/[A-Za-z]{1,3})?)(?![\w-])")

# Auxiliaries, places before a verb, verbs that are no verbs after a phrase and metre words are language
# data: Matchers reads them from counts.toml and units.toml.

_quantulum_parser = None  # imported on first use: loading it takes ~1.5 s


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


@dataclass(frozen=True)
class Context:
    """Everything one article's extraction needs, computed once per article."""

    document: Document
    article: Article
    mentions: tuple[DateMention, ...]
    blocked: tuple[tuple[int, int], ...]  # noise spans and date spans, sorted: numbers inside are no claims
    blocked_starts: tuple[int, ...] = ()
    longest_blocked: int = 0
    mention_starts: tuple[int, ...] = ()
    ages: SpanSet | None = None  # where the age rules found an age: numbers there count nothing

    def blocked_in(self, s: int, e: int) -> tuple[tuple[int, int], ...]:
        """The blocked spans that overlap s..e (found by bisection: long pages have thousands)."""
        lo = bisect.bisect_left(self.blocked_starts, s - self.longest_blocked)
        hi = bisect.bisect_left(self.blocked_starts, e)
        return tuple(b for b in self.blocked[lo:hi] if b[0] < e and s < b[1])


def make_context(document: Document, article: Article, rules: RuleSet) -> Context:
    """An article's dates and blocked spans, sorted for bisection."""
    mentions = tuple(find_dates(document, article, rules))
    spans = [*noise_spans(document.text, article.body, rules), *((d.start, d.end) for d in mentions)]
    blocked = tuple(sorted(spans))
    return Context(
        document,
        article,
        mentions,
        blocked,
        tuple(b[0] for b in blocked),
        max((b[1] - b[0] for b in blocked), default=0),
        tuple(d.start for d in mentions),
        SpanSet(age_spans(document.text, article.body, rules)),
    )


@dataclass(frozen=True)
class Subject:
    """The counted phrase after a number: as written, its key, the measure its words name, and its end."""

    written: str = ""
    key: str = ""
    base_key: str = ""  # the key without the group ("troops" for "us troops")
    measure: Rule | None = None
    end: int = -1
    known: bool = False  # named by a subject or measure rule (not a guessed noun)


def noise_spans(text: str, spans: Iterable[tuple[int, int]], rules: RuleSet) -> list[tuple[int, int]]:
    """Spans of text the noise rules say are never claims."""
    out = []
    for start, end in spans:
        for rule in rules.rules("noise", "noise"):
            out.extend(m.span() for m in rule.get("pattern").finditer(text, start, end) if m.end() > m.start())
    return sorted(out)


def age_spans(text: str, spans: Iterable[tuple[int, int]], rules: RuleSet) -> list[tuple[int, int]]:
    """Spans of the numbers the age rules read as ages (their named groups, else the whole match)."""
    out = []
    for start, end in spans:
        for rule in rules.rules("counts", "age"):
            for found in rule.get("pattern").finditer(text, start, end):
                groups = [found.span(g) for g, v in found.groupdict().items() if v is not None]
                out.extend(groups or [found.span()])
    return sorted(out)


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


def _ordered(phrases: Iterable[str]) -> str:
    """A regex alternation of plain phrases in the order the rule file lists them (the first that fits wins)."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) or r"(?!x)x"


def _key(phrase: str) -> str:
    """A phrase as the rules write it: lower case, single spaces, straight apostrophes."""
    return re.sub(r"\s+", " ", phrase.lower().replace("’", "'"))


class Matchers:
    """Regexes built once from the rules: nouns, verbs, groups, units, hedges, speakers, denials."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.hedges = HedgeRules(rules)
        self.stop_words = frozenset(w.lower() for w in rules.setting("counts", "stop_words", ()))
        measures = rules.rules("counts", "measure")
        self.measures = measures
        self.subject_of: dict[str, Rule] = {
            _key(w): r for r in rules.rules("counts", "subject") for w in r.get("words")
        }
        self.measure_of: dict[str, Rule] = {}
        for rule in measures:
            for noun in rule.get("nouns", ()):
                self.measure_of.setdefault(_key(noun), rule)
        self.known = re.compile(
            rf"(?:{phrase_alternation([*self.subject_of, *self.measure_of])})(?![\w-])".replace("'", "['’]"), re.I
        )
        self.events = [
            (
                rule,
                _word_regex(rule.get("nouns")),
                _word_regex(rule.get("start_words", ())),
                _word_regex(rule.get("end_words", ())),
            )
            for rule in rules.rules("events", "event")
        ]
        self.event_window = rules.setting("events", "window", 100)
        self.said_window = rules.setting("events", "said_window", 40)
        self.verb_measures: dict[str, list[Rule]] = {}
        for rule in measures:
            for verb in rule.get("verbs", ()):
                self.verb_measures.setdefault(_key(verb), []).append(rule)
        verbs = phrase_alternation(self.verb_measures)
        self.verb = re.compile(rf"(?<![\w-])(?P<v>{verbs})(?![\w-])", re.I)
        # after the counted phrase "had" and "include" are auxiliaries, not verbs ("30 soldiers had been captured")
        not_after = {_key(v) for v in rules.setting("counts", "verbs_not_after", ())}
        verbs_after = phrase_alternation(v for v in self.verb_measures if v not in not_after)
        aux = phrase_alternation(rules.setting("counts", "auxiliaries", ()))
        places = phrase_alternation(rules.setting("counts", "verb_after_places", ()))
        self.verb_after = re.compile(
            rf"(?:[\s\u00a0]*,[^,;]{{1,60}},)?(?:[\s\u00a0]+(?:{places})\b[^,;.]{{1,60}}?)?"
            rf"[\s\u00a0]+(?:(?:{aux})[\s\u00a0]+){{0,4}}(?P<v>{verbs_after})(?![\w-])",
            re.I,
        )
        self.partitive = re.compile(
            rf"[\s\u00a0]+(?:{_ordered(rules.setting('counts', 'partitive_words', ()))})[\s\u00a0]+"
            rf"(?:(?:{_ordered(rules.setting('counts', 'partitive_determiners', ()))})[\s\u00a0]+)?",
            re.I,
        )
        self.ellipsis_next = re.compile(
            rf"[\s\u00a0]*(?:$|[,;.)]|(?:{_ordered(rules.setting('counts', 'ellipsis_next', ()))})\b)", re.I
        )
        # case-sensitive: "AIDS" or "US" is no plural (the first branch's look-ahead)
        self.plural = re.compile(
            r"^(?![A-Z]+s?$)(?:[A-Za-z][a-z'’-]*[^su'’]s|[A-Za-z][a-z-]*(?:ss|us)es"
            rf"|{_ordered(rules.setting('counts', 'irregular_plurals', ()))})$"
        )
        self.boundary = re.compile(
            rf"[;:]|\s[-–—]\s|\b(?:{_ordered(rules.setting('counts', 'clause_words', ()))})\b", re.I
        )
        self.strong_boundary = re.compile(
            rf"[.!?]\s|\b(?:{_ordered(rules.setting('counts', 'strong_clause_words', ()))})\b", re.I
        )
        self.metre_context = re.compile(
            rf"[\s-]*(?:{phrase_alternation(rules.setting('units', 'metre_words', ()))})\b"
            rf"|[\s-]*\(\d[\d.,]*\s?(?:{phrase_alternation(rules.setting('units', 'metre_feet', ()))})\b",
            re.I,
        )
        self.group_of = {w: r.id for r in rules.rules("counts", "group") for w in r.get("words")}
        self.negation = self._negation(rules)
        self.units = rules.rules("units", "unit")
        self.unit_before_of = {_key(p): r for r in self.units for p in r.get("before", ())}
        self.unit_after_of = {_key(p): r for r in self.units for p in r.get("after", ())}
        self.unit_before = re.compile(rf"(?<![\w$])(?P<u>{phrase_alternation(self.unit_before_of)})[\s\u00a0]*$", re.I)
        self.unit_after = re.compile(
            rf"(?:[\s\u00a0]*|-)(?P<u>{phrase_alternation(self.unit_after_of)})(?![\w])".replace(r"\%(?![\w])", "%"),
            re.I,
        )
        self.cues = rules.rules("speakers", "cue")
        self.not_speaker = rules.setting("speakers", "not_speaker")
        self.trim_speaker = rules.setting("speakers", "trim")
        # keys the rules name (not guessed nouns): "one soldier" is worth a row, "one step further" is not
        self.known_keys = {r.id for r in rules.rules("counts", "subject")} | {
            r.get("subject_key") for r in measures if r.get("subject_key")
        }
        self.denials = rules.rules("speakers", "denial")

    def _negation(self, rules: RuleSet) -> re.Pattern[str] | None:
        """'no' + a measure or subject noun, up to two words apart: a count of zero."""
        negation = rules.setting("counts", "negation")
        if negation is None:
            return None
        nouns = phrase_alternation([*self.measure_of, *self.subject_of])
        return re.compile(
            rf"(?P<neg>{negation.pattern})(?=(?:[\w-]+\s+){{0,2}}?(?:{nouns})(?![\w-]))", re.I | re.VERBOSE
        )

    def group(self, word: str) -> str:
        """The group id of a word ("American", "U.S.", "Iran's"), or ''."""
        return self.group_of.get(word.replace("’", "'"), "") or self.group_of.get(word.strip("."), "")


# ---------------------------------------------------------------------------------------------------------------
# Finding quantities in a sentence


def _numbers(text: str, s: int, e: int, blocked: tuple[tuple[int, int], ...], m: Matchers) -> list[Num]:
    """Vague quantities, negated counts and numbers of one sentence, outside blocked spans, in order."""
    nums: list[Num] = []
    taken = SpanSet(blocked)
    for found in m.hedges.vague.finditer(text, s, e):
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
    for number in find_numbers(text, s, e):
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
        low, high = _scaled_low(text, a, b), b.value
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


def _scaled_low(text: str, a: Num, b: Num) -> float:
    """The first number of a range, with the scale of the second when it has none: "10-20 million" -> 10 million."""
    first = parse_number(re.split(r"[\s-]", text[b.start : b.end])[0]) or b.value
    if first != b.value and a.value < first:
        return a.value * b.value / first
    return a.value


def _range_rule(text: str, s: int, a: Num, b: Num, m: Matchers) -> Rule | None:
    """The range rule joining numbers a and b, or None."""
    low = _scaled_low(text, a, b)
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
            continue  # "increased by $43.6 billion to $419.2 billion": the change and the level, two figures
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


# ---------------------------------------------------------------------------------------------------------------
# What a quantity counts


def _subject(text: str, start: int, e: int, value: float, m: Matchers) -> Subject:
    """The counted phrase that starts at `start`: head noun, group, key and the measure its words name."""
    pos = start
    partitive = m.partitive.match(text, pos, e)
    if partitive:
        pos = partitive.end()
    first = None
    tokens: list[re.Match[str]] = []
    measure: Rule | None = None
    for _ in range(7):
        tok = _TOKEN.match(text, pos, e)
        if not tok:
            break
        word = tok.group("tok")
        if word.lower() in m.stop_words and not m.group(word) or NUMBER.fullmatch(word):
            break
        first = first if first is not None else tok.start("tok")
        known = m.known.match(text, tok.start("tok"), e)
        if known:
            phrase = _key(known.group())
            if phrase in m.subject_of:
                return _make_subject(text, first, known.end(), tokens, m.subject_of[phrase].id, measure, True, m)
            noun_measure = m.measure_of[phrase]
            nxt = _TOKEN.match(text, known.end(), e)
            nxt_known = m.known.match(text, nxt.start("tok"), e) if nxt else None
            if nxt_known and _key(nxt_known.group()) in m.subject_of:
                measure = measure or noun_measure  # "three injured troops": the measure, then the head
                tokens.append(tok)
                pos = known.end()
                continue
            return _make_subject(
                text, first, known.end(), tokens, noun_measure.get("subject_key", ""), measure or noun_measure, True, m
            )
        tokens.append(tok)
        pos = tok.end()
        if m.plural.match(word):
            nxt = _TOKEN.match(text, pos, e)
            if not (nxt and m.known.match(text, nxt.start("tok"), e)):
                break  # "two Iraqi military bases hosting US troops": the bases are counted
    return _generic_subject(text, first, tokens, value, measure, m, partitive is not None)


def _make_subject(
    text: str,
    first: int | None,
    end: int,
    modifiers: list[re.Match[str]],
    base: str,
    measure: Rule | None,
    known: bool,
    m: Matchers,
) -> Subject:
    """A Subject from its words: the key is "<group> <base>" when a modifier names a group."""
    groups = [m.group(t.group("tok")) for t in modifiers]
    phrase = text[first:end] if first is not None else ""
    # multi-word groups ("United States") are looked up on the phrase too
    group = next((g for g in groups if g), "") or next(
        (g for w, g in m.group_of.items() if " " in w and w.lower() in phrase.lower()), ""
    )
    if not group and base:
        group = m.group(phrase.split()[-1]) if phrase else ""  # "350,000 Syrians": the head names the group
    key = f"{group} {base}".strip() if base else ""
    return Subject(re.sub(r"\s+", " ", phrase).strip(), key, base, measure, end, known)


def _generic_subject(
    text: str,
    first: int | None,
    tokens: list[re.Match[str]],
    value: float,
    measure: Rule | None,
    m: Matchers,
    partitive: bool = False,
) -> Subject:
    """A counted noun no rule names: the first plural-looking word ("17 dangerous Android apps"); for one
    thing, the last of the singular words that follow ("one particular demand that", "One proposal asks")."""
    if not tokens:
        return Subject()
    plural = [bool(m.plural.match(t.group("tok"))) for t in tokens]
    head = plural.index(True) if True in plural else None
    if value == 1 and not partitive:
        singular = (plural + [True]).index(True)
        last = singular - 1
        head = last if last >= 0 and tokens[last].group("tok").islower() else None
    if head is None:
        return Subject()
    word = tokens[head].group("tok")
    return _make_subject(text, first, tokens[head].end(), tokens[:head], _key(word).replace("'", ""), measure, False, m)


def _allowed(rule: Rule, subject: Subject) -> bool:
    """Whether a measure's verbs may name the measure of this counted thing (its `subjects` list)."""
    allowed = rule.get("subjects")
    return allowed is None or subject.base_key in allowed


def _verb_measure(text: str, s: int, claim_start: int, subject: Subject, m: Matchers) -> Rule | None:
    """The measure named by a verb after the counted phrase ("were killed") or just before it ("killed 25")."""
    if subject.end > 0:
        after = m.verb_after.match(text, subject.end)
        # a verb with another figure before it is that figure's: "One of the attacks on X resulted in three
        # US troops suffering injuries" counts three wounded, not one
        if after and not find_numbers(text, subject.end, after.start("v")):
            rule = next((r for r in m.verb_measures[_key(after.group("v"))] if _allowed(r, subject)), None)
            if rule:
                return rule
    if re.search(r"\bof[\s\u00a0]+$", text[max(s, claim_start - 5) : claim_start]):
        return None  # "the leader of one of its brigades": the verb's object is someone else
    # the last item of a list ("killed the commander, a leader of the militia; and eight others") may
    # stand far from its verb, across commas and semicolons
    listed = re.search(r"(?:,|\band)[\s\u00a0]*$", text[max(s, claim_start - 6) : claim_start]) is not None
    window_start = max(s, claim_start - (160 if listed else 70))
    best: Rule | None = None
    for found in m.verb.finditer(text, window_start, claim_start):
        between = text[found.end() : claim_start]
        if (not listed and m.boundary.search(between)) or m.strong_boundary.search(between):
            continue
        rule = next((r for r in m.verb_measures[_key(found.group("v"))] if _allowed(r, subject)), None)
        if rule:
            best = rule  # the last one before the number is the nearest
    return best


# ---------------------------------------------------------------------------------------------------------------
# Units


def _unit_before(text: str, s: int, start: int, m: Matchers) -> tuple[Rule, int] | None:
    """A currency written before the number ("$", "USD ", "EUR "): its rule and where it starts."""
    found = m.unit_before.search(text, max(s, start - 14), start)
    if not found:
        return None
    return m.unit_before_of[_key(found.group("u"))], found.start()


def _unit_after(text: str, end: int, e: int, m: Matchers) -> tuple[Rule | None, str, int] | None:
    """A unit written after the number ("%", "per cent", "litre", "Australian dollars", "days")."""
    found = m.unit_after.match(text, end, e)
    if not found:
        return None
    rule = m.unit_after_of[_key(found.group("u"))]
    return rule, rule.id, found.end()


def _quantulum_unit(text: str, num: Num, e: int, m: Matchers) -> tuple[Rule | None, str, int] | None:
    """An unknown unit symbol right after digits ("87 mph", "256GB"), read by quantulum3 on that span only."""
    global _quantulum_parser
    if not num.digits:
        return None
    found = _UNKNOWN_UNIT.match(text, num.end, e)
    if not found or m.hedges.after.match(text, num.end, e):
        return None  # "20-odd" is a hedge, not a unit
    token = found.group("tok")
    if (
        token.lower() in m.stop_words
        or m.group(token)
        or m.known.fullmatch(token)
        or (found.group("gap") and len(token) > 4)
    ):
        return None
    if found.group("gap") and token.islower() and len(token) > 3:
        return None
    if _quantulum_parser is None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as quantulum_parser
        _quantulum_parser = quantulum_parser
    span = text[num.start : found.end()]
    try:
        quantities = _quantulum_parser.parse(span)
    except Exception:  # quantulum3 raises on odd input; an unknown unit is then simply no unit
        return None
    for quantity in quantities:
        if quantity.unit.name != "dimensionless" and quantity.span[1] >= len(span) - 1:
            return None, quantity.unit.name, found.end()
    return None


# ---------------------------------------------------------------------------------------------------------------
# Speakers and denials


def _cues(sentence_text: str, offset: int, m: Matchers) -> list[tuple[int, int, str]]:
    """Every attribution cue of a sentence: (start, end, speaker), speakers the settings reject left out."""
    out = []
    for rule in m.cues:
        for found in rule.get("pattern").finditer(sentence_text):
            speaker = re.sub(r"\s+", " ", found.groupdict().get("speaker") or "").strip(" ,.“”\"'")
            if m.trim_speaker is not None:
                speaker = m.trim_speaker.sub("", speaker)
            if not speaker or (m.not_speaker is not None and m.not_speaker.search(speaker)):
                continue
            out.append((offset + found.start(), offset + found.end(), speaker))
    return out


def _nearest_speaker(cues: list[tuple[int, int, str]], start: int, end: int) -> str:
    """The speaker of the cue nearest to a claim span."""
    best: tuple[int, str] | None = None
    for cue_start, cue_end, speaker in cues:
        distance = max(0, cue_start - end, start - cue_end)
        if best is None or distance < best[0]:
            best = (distance, speaker)
    return best[1] if best else ""


# ---------------------------------------------------------------------------------------------------------------
# Claims


def _claim_base(doc: Document, article: Article, short_id: str) -> dict:
    """The columns every claim of an article shares."""
    day = publication_day(article.published)
    return {
        "file": doc.source.file,
        "source": doc.source.source_id,
        "outlet": doc.source.outlet,
        "url": doc.source.url,
        "published": article.published,
        "article": article.index,
        "headline": article.headline,
        "story": article.story,
        "as_of": day.isoformat() if day else "",
        "_short": short_id,
    }


def _make_claim(base: dict, text: str, start: int, end: int, sentence: str, **fields) -> Claim:
    """A Claim from shared columns, the span and the claim's own fields."""
    row = {k: v for k, v in base.items() if not k.startswith("_")}
    defaults = {
        "measure": "",
        "subject": "",
        "subject_key": "",
        "value": None,
        "low": None,
        "high": None,
        "hedge": "exact",
        "unit": "",
        "timex": "",
        "date": "",
        "date_end": "",
        "polarity": "asserted",
        "speaker": "",
        "rule": "",
    }
    row.update(defaults)
    row.update(fields)  # a claim's own fields win over the article's (as_of stated in the sentence)
    return Claim(
        claim_id=f"{base['_short']}:{start}",
        text=text[start:end],
        sentence=sentence,
        char_start=start,
        char_end=end,
        **row,
    )


def _word_regex(words) -> re.Pattern[str] | None:
    """A whole-word, case-insensitive alternation of phrases (None when there are none)."""
    return re.compile(rf"(?<![\w-])(?:{phrase_alternation(words)})(?![\w-])", re.I) if words else None


def _duration_event(text: str, start: int, end: int, s: int, e: int, m: Matchers) -> str:
    """The event a duration measures: an event noun right after it ("10-day pause") or before "of" ("pause of")."""
    after = text[end : min(e, end + 25)]
    before = text[max(s, start - 25) : start]
    for rule, nouns, _, _ in m.events:
        found = nouns.search(after)
        if found and not re.search(r"[.;,]", after[: found.start()]):
            return rule.id
        if any(re.search(r"\bof\s*$", before[f.end() :]) for f in nouns.finditer(before)):
            return rule.id
    return ""


def _event_words(text: str, s: int, e: int, m: Matchers) -> tuple[tuple[str, list[int], list[tuple[int, int]]], ...]:
    """The event start and end words of a sentence, found once: (label, starts, spans) in rule order."""
    out = []
    for rule, _, starts, ends in m.events:
        for suffix, words in (("start", starts), ("end", ends)):
            spans = [f.span() for f in words.finditer(text, s, e)] if words else []
            out.append((f"{rule.id}_{suffix}", [a for a, _ in spans], spans))
    return tuple(out)


def _date_event(mention: DateMention, info: SentenceInfo, m: Matchers) -> str:
    """`<event>_start` or `<event>_end` when the nearest event word of the date's sentence says so, else ''.

    Each event word dates itself by the nearest date of its sentence ("active since 2014, said on January 5
    that it was pausing": the pausing is January 5's), and the day something was said takes only a word
    that follows it closely ("said on January 5 that it was pausing", not "resumed ..., officials said Thursday").
    Only words within the event window are looked at (by bisection: a long sentence may hold hundreds of dates).
    """
    said = mention.role == "said"
    best: tuple[int, str] | None = None
    for label, starts, spans in info.events:
        # a word starting earlier than this ends before the window (no word is longer than the longest)
        lo = bisect.bisect_left(starts, mention.start - m.event_window - info.longest_event)
        hi = bisect.bisect_right(starts, mention.end + m.event_window)
        for span in spans[lo:hi]:
            distance = _gap(mention, span)
            if said and not 0 <= span[0] - mention.end <= m.said_window:
                continue
            if distance > m.event_window or _nearer_date(info, mention, span, distance):
                continue
            if best is None or distance < best[0]:
                best = (distance, label)
    return best[1] if best else ""


def _nearer_date(info: SentenceInfo, mention: DateMention, span: tuple[int, int], distance: int) -> bool:
    """Whether another date of the sentence stands nearer to an event word than `distance`."""
    lo = bisect.bisect_left(info.date_starts, span[0] - distance - info.longest_date)
    hi = bisect.bisect_left(info.date_starts, span[1] + distance)
    return any(d is not mention and _gap(d, span) < distance for d in info.dates[lo:hi])


def _gap(mention: DateMention, span: tuple[int, int]) -> int:
    """Characters between a date mention and a span (0 when they touch or overlap)."""
    return max(0, span[0] - mention.end, mention.start - span[1])


@dataclass(frozen=True)
class SentenceInfo:
    """What every claim of a sentence shares: its span, text, speakers, denials, event date."""

    start: int
    end: int
    sentence: str
    cues: list
    denials: list
    mentions: tuple[DateMention, ...]
    events: tuple[tuple[str, list[int], list[tuple[int, int]]], ...] = ()  # event words, found once
    longest_event: int = 0
    dates: tuple[DateMention, ...] = ()  # the sentence's dates (not durations), sorted by start
    date_starts: tuple[int, ...] = ()
    longest_date: int = 0


def _sentence_claims(ctx: Context, base: dict, span: tuple[int, int], m: Matchers, bare: bool) -> list[Claim]:
    """Every claim of one sentence."""
    text, (s, e) = ctx.document.text, span
    raw = text[s:e]
    first = bisect.bisect_left(ctx.mention_starts, s)
    last = bisect.bisect_left(ctx.mention_starts, e)
    nums = _numbers(text, s, e, ctx.blocked_in(s, e), m)
    ages = ctx.ages or SpanSet()
    for num in nums:
        num.age = ages.overlaps((num.start, num.end))
    mentions, nums = _duration_ranges(text, s, ctx.mentions[first:last], nums, m)
    info = SentenceInfo(
        s,
        e,
        re.sub(r"\s+", " ", raw).strip(),
        _cues(raw, s, m),
        [s + f.start() for r in m.denials for f in r.get("pattern").finditer(raw)],
        mentions,
        *_sentence_events(text, s, e, mentions, m),
    )
    claims = [
        _date_claim(base, text, mention, info, m)
        for mention in info.mentions
        if bare or not ages.overlaps((mention.start, mention.end))  # "a 65-year-old man": an age, no duration
    ]
    previous: Claim | None = None  # the last count with a subject: what an elliptic number counts
    last: Claim | None = None  # the last quantity: what ", or 0.6%" restates
    for num in nums:
        claim = _number_claim(text, base, num, info, m, previous, last)
        if claim is None:
            continue
        if bare or _worth_a_row(claim, num, m):
            claims.append(claim)
        if claim.kind == "count" and claim.subject_key:
            previous = claim
        last = claim
    return claims


def _sentence_events(text: str, s: int, e: int, mentions: tuple[DateMention, ...], m: Matchers) -> tuple:
    """The sentence's event words and dates (with the longest of each), when it has a date to give them to."""
    dates = tuple(sorted((d for d in mentions if d.kind == "date"), key=lambda d: d.start))
    if not dates:
        return (), 0, (), (), 0
    events = _event_words(text, s, e, m)
    longest = max((b - a for _, _, spans in events for a, b in spans), default=0)
    return events, longest, dates, tuple(d.start for d in dates), max(d.end - d.start for d in dates)


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
        if a is None or not exact or number is None or parse_number(number.group()) != mention.value:
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


def _worth_a_row(claim: Claim, num: Num, m: Matchers) -> bool:
    """Whether a quantity is a claim: it counts something named, has a unit or a measure, or is a "no"."""
    if num.age or num.part and not claim.measure and not claim.unit:
        return False  # an age; "one of the rocket attacks" that no verb makes a count of anything
    if num.negated or claim.measure or claim.unit:
        return True
    if not claim.subject_key:
        return False
    # a worded "one" before a guessed noun ("one step further", "one US official") counts nothing worth checking
    return num.digits or claim.value != 1 or claim.subject_key.split()[-1] in m.known_keys


def _polarity(info: SentenceInfo, start: int) -> str:
    """'denied' when a denial stands before the claim in its sentence, else 'asserted'."""
    return "denied" if any(d < start for d in info.denials) else "asserted"


def _date_claim(base: dict, text: str, mention: DateMention, info: SentenceInfo, m: Matchers) -> Claim:
    """The claim row of a date or duration the dates stage found."""
    return _make_claim(
        base,
        text,
        mention.start,
        mention.end,
        info.sentence,
        timex=mention.timex,
        date=mention.date,
        date_end=mention.date_end,
        value=mention.value,
        low=mention.low,
        high=mention.high,
        unit=mention.unit,
        hedge=mention.hedge,
        rule=mention.rule,
        polarity=_polarity(info, mention.start),
        speaker=_nearest_speaker(info.cues, mention.start, mention.end),
        measure=_duration_event(text, mention.start, mention.end, info.start, info.end, m)
        if mention.kind == "duration"
        else _date_event(mention, info, m),
        kind=mention.kind,
    )


@dataclass(frozen=True)
class Amount:
    """A number with its unit read: value, unit, where the words start and end, TIMEX3 for durations."""

    value: float
    unit: str
    currency: bool
    start: int
    end: int
    timex: str = ""


def _read_unit(text: str, num: Num, s: int, e: int, m: Matchers) -> Amount | None:
    """The number with the unit written before or after it, or None when the digits are part of a name."""
    value, start, end = num.value, num.start, num.end
    before = _unit_before(text, s, start, m) if num.digits or num.hedge.hedge == "range" else None
    if num.glued and not before:
        return None  # "RAV4", "LGA1156": a name, not a quantity
    metres = num.suffix == "m" and not before and m.metre_context.match(text, num.end, e) is not None
    if metres:
        value /= 1_000_000  # "the 100m sprint": metres; elsewhere "35m devices" is 35 million
    if before:
        return Amount(value, before[0].id, bool(before[0].get("currency")), before[1], end)
    after = _unit_after(text, num.end, e, m)
    if after is None and num.suffix != "m":
        after = _quantulum_unit(text, num, e, m)
    if after:
        unit_rule, unit, end = after
        template = unit_rule.get("timex", "") if unit_rule is not None else ""
        timex = template.replace("{}", format(value, "g")) if template else ""
        return Amount(value, unit, bool(unit_rule and unit_rule.get("currency")), start, end, timex)
    if metres:
        return Amount(value, "metre", False, start, end)
    if num.attached:
        return None  # "9AB8", "3G": digits inside a code, no quantity
    return Amount(value, "", False, start, end)


def _read_hedge(
    text: str, num: Num, amount: Amount, e: int, m: Matchers, last: Claim | None
) -> tuple[Hedge, int, int, float | None, float | None]:
    """The hedge of a quantity, where the claim's words start and end, and the interval it implies."""
    hedge = num.hedge
    after_hedge = m.hedges.find_after(text, amount.end, e)  # "50 or more", "some 20-odd": words after the number
    if hedge.rule is None:
        hedge = m.hedges.find_before(text, amount.start)
        if hedge.rule is None:
            hedge = after_hedge
    if hedge.rule is None and last is not None and _is_conversion(text, amount.start, last, amount.unit):
        hedge = Hedge(last.hedge, m.hedges.rule_of(last.hedge), -1)  # "about 10 km (6.2 miles)": also about
    claim_start = min(amount.start, hedge.start) if hedge.rule is not None and hedge.start >= 0 else amount.start
    claim_end = max(amount.end, after_hedge.end)
    if num.hedge.rule is not None:
        low, high = (num.low, num.high) if num.hedge.hedge == "range" else interval(amount.value, num.hedge, True)
    else:
        low, high = interval(amount.value, hedge, integer=not amount.unit and float(amount.value).is_integer())
    return hedge, claim_start, claim_end, low, high


def _what_it_counts(
    text: str, num: Num, amount: Amount, claim_end: int, e: int, m: Matchers, previous: Claim | None
) -> Subject | None:
    """The counted phrase and the measure its words name; None for a worded number that counts nothing."""
    subject = Subject()
    if not amount.unit or not amount.currency and amount.unit != "percent":
        subject_from = num.whole_end if num.whole is not None else claim_end
        subject = _subject(text, subject_from, e, amount.value, m)
    if amount.unit and subject.written:  # "10 million litre of fuel": the subject names what the amount is of
        nouns = {r.id: {_key(n) for n in r.get("nouns", ())} for r in m.measures if r.get("kind") == "amount"}
        measure = next((r for r in m.measures if _key(subject.written) in nouns.get(r.id, ())), None)
        return replace(subject, measure=measure)
    if num.part and not amount.unit:
        # "one of the rocket attacks resulted in ...": one attack picked from many; only a verb says what it counts
        subject = replace(subject, measure=None)
    elliptic = m.ellipsis_next.match(text, claim_end, e) is not None
    if not subject.written and previous is not None and not amount.unit and elliptic:
        # "36 attacks in Iraq and 37 in Syria": the second number counts what the first did
        measure = next((r for r in m.measures if r.id == previous.measure), None)
        return Subject(previous.subject, previous.subject_key, previous.subject_key.split()[-1], measure, -1, True)
    worded = not num.digits and num.hedge.rule is None and num.whole is None and not amount.unit
    if not subject.written and worded and amount.value >= 1:
        of_group = re.match(r"[\s\u00a0]+of\b", text[claim_end:e]) is not None and amount.value > 1
        if not of_group and (not num.negated and not elliptic or amount.value == 1):
            return None  # "the same one", "the bottom three", "a three-bed flat": a word counting nothing
    return subject


def _number_claim(
    text: str, base: dict, num: Num, info: SentenceInfo, m: Matchers, previous: Claim | None, last: Claim | None
) -> Claim | None:
    """The count, amount or duration claim of one quantity, or None when it is no quantity."""
    s, e = info.start, info.end
    amount = _read_unit(text, num, s, e, m)
    if amount is None:
        return None
    hedge, claim_start, claim_end, low, high = _read_hedge(text, num, amount, e, m, last)
    subject = Subject() if num.age else _what_it_counts(text, num, amount, claim_end, e, m, previous)
    if subject is None:
        return None
    measure = subject.measure
    if measure is None and not amount.unit and not num.age:
        measure = _verb_measure(text, s, claim_start, subject, m)
    claim_end = max(claim_end, subject.end)
    kind = "amount" if amount.unit or (measure is not None and measure.get("kind") == "amount") else "count"
    if amount.timex:
        kind, measure = "duration", None
    date, date_end, as_of = event_context(info.mentions, (s, e), (claim_start, claim_end))
    return _make_claim(
        base,
        text,
        claim_start,
        claim_end,
        info.sentence,
        kind=kind,
        measure=measure.id
        if measure
        else _duration_event(text, claim_start, claim_end, s, e, m)
        if amount.timex
        else "",
        subject=subject.written,
        subject_key=subject.key,
        value=amount.value,
        low=low,
        high=high,
        hedge=hedge.hedge,
        unit=amount.unit,
        timex=amount.timex,
        polarity="negated" if num.negated else _polarity(info, claim_start),
        speaker=_nearest_speaker(info.cues, claim_start, claim_end),
        rule=_rule_id(measure, hedge, num, amount),
        date=date,
        date_end=date_end,
        as_of=as_of or base["as_of"],
        whole=num.whole,
        trend=m.hedges.trend(text, claim_start, s)
        or _trend_of_restatement(text, claim_start, last)
        or ("down" if amount.value < 0 and amount.unit == "percent" else ""),
    )


def _rule_id(measure: Rule | None, hedge: Hedge, num: Num, amount: Amount) -> str:
    """The rule column: the measure, else the vague or range rule, else what kind of number it was."""
    if measure is not None:
        return measure.id
    if hedge.rule is not None and hedge.rule.table != "hedge":
        return hedge.rule.id
    if num.negated:
        return "negated_count"
    return "unit" if amount.unit else "count"


def _in_brackets(text: str, start: int, last: Claim) -> bool:
    """Whether the number restates `last` in brackets: "100 km (60 miles)", "296 hp (224 kW / 300 PS)"."""
    gap = text[last.char_end : start]
    if re.fullmatch(r"[\s\u00a0]*\([\s\u00a0$€£]*", gap):
        return True
    unknown_unit = re.fullmatch(r"[\s\u00a0]+[^\W\d_]{1,10}[\s\u00a0]*\([\s\u00a0$€£]*", gap)
    if unknown_unit and not last.unit and not last.subject:
        return True  # "lower than 8.90 ksi (61.4 MPa)": a unit the rules do not know, then its conversion
    # the second figure of a bracket: "(224 kW / 300 PS)", "(1.8 to 2.7 F; 2 to 3 K)"
    opened = re.search(r"\([\s\u00a0$€£]*$", text[max(0, last.char_start - 4) : last.char_start]) is not None
    return opened and re.fullmatch(r"[\s\u00a0]*[/;][\s\u00a0$€£]*", gap) is not None


def _is_conversion(text: str, start: int, last: Claim | None, unit: str = "") -> bool:
    """Whether the number restates a hedged amount in brackets: "more than 100 km (60 miles)"."""
    if last is None or last.hedge in ("exact", "range", "vague") or not (last.kind == "amount" or unit):
        return False
    return _in_brackets(text, start, last)


def _trend_of_restatement(text: str, start: int, previous: Claim | None) -> str:
    """ "lost 190 points, or 0.6%", "fell 1 C (1.8 F)": a figure restating the one before shares its trend."""
    if previous is None or not previous.trend:
        return ""
    restated = re.fullmatch(r",?[\s\u00a0]+or[\s\u00a0]+", text[previous.char_end : start]) is not None
    return previous.trend if restated or _in_brackets(text, start, previous) else ""


# ---------------------------------------------------------------------------------------------------------------
# Documents, corpora and bare texts


def short_ids(corpus: Corpus) -> dict[str, str]:
    """Short source ids for claim ids ("002" for "002_5dec68c94f85d850") where they stay unique."""
    prefixes = {doc.source.source_id: doc.source.source_id.split("_")[0] for doc in corpus.documents}
    if len(set(prefixes.values())) == len(prefixes):
        return prefixes
    return {key: key for key in prefixes}


def extract_document(
    document: Document, rules: RuleSet, short_id: str, matchers: Matchers | None = None, bare: bool = False
) -> list[Claim]:
    """Every claim of one document, article by article, in text order."""
    m = matchers or Matchers(rules)
    claims: list[Claim] = []
    for article in document.articles:
        ctx = make_context(document, article, rules)
        base = _claim_base(document, article, short_id)
        for span in article.sentences:
            claims.extend(_sentence_claims(ctx, base, span, m, bare))
    return _unique_ids(sorted(claims, key=lambda c: (c.char_start, c.char_end)))


def _unique_ids(claims: list[Claim]) -> list[Claim]:
    """Make claim ids unique within a document by suffixing repeats of the same start offset."""
    seen: dict[str, int] = {}
    out = []
    for claim in claims:
        n = seen.get(claim.claim_id, 0)
        seen[claim.claim_id] = n + 1
        out.append(claim if n == 0 else replace(claim, claim_id=f"{claim.claim_id}.{n + 1}"))
    return out


def extract_corpus(corpus: Corpus, rules: RuleSet) -> list[Claim]:
    """Every claim of a corpus, file by file (the rules' examples are checked once, by the pipeline)."""
    ids = short_ids(corpus)
    m = Matchers(rules)
    claims: list[Claim] = []
    for document in corpus.documents:
        claims.extend(extract_document(document, rules, ids[document.source.source_id], m))
    return claims


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of a bare text: at . ! ? before a capital or digit (not after Jan. / U.S.), and blank lines."""
    spans = []
    start = 0
    for found in _SENTENCE_END.finditer(text):
        end = found.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return tuple(spans)


def extract_text(
    text: str, rules: RuleSet, published: str = "", bare: bool = False, matchers: Matchers | None = None
) -> list[Claim]:
    """Every claim of a bare text (one article, no headline), dates resolved against `published`.

    `bare=True` also keeps numbers that count nothing the text names ("37", "one of them"): what a general
    quantity extractor (NewsQuant) reports.
    """
    source = Source(file="<text>", source_id="text")
    article = Article(1, "", 0, len(text), ((0, len(text)),), split_sentences(text), published)
    return extract_document(Document(source, text, (article,)), rules, "text", matchers, bare)


# ---------------------------------------------------------------------------------------------------------------
# The rules' own examples: each must come out of the extractor as it says


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


def _age_problem(example, matchers: Matchers) -> str:
    """What is wrong with an example of an age rule: its age must make no row, and bare no subject or measure."""
    text, value = example["text"], example.get("value")
    rows = [c.text for c in extract_text(text, matchers.rules, matchers=matchers) if _same(c.value, value)]
    if rows:
        return f"the age is extracted as {rows!r}"
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
        return _age_problem(example, matchers)
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
    """Run every example of the extraction rules; the first that fails stops with a RuleError naming it."""
    m = matchers or Matchers(rules)
    for file, table in EXAMPLE_TABLES:
        for rule in rules.rules(file, table):
            for example in rule.examples:
                problem = example_problem(rule, example, m)
                if problem:
                    raise RuleError(f"{file}.toml, rule '{rule.id}', key 'examples': {example['text']!r}: {problem}")
