"""Subjects: what a quantity counts, the counted phrase after it ("three injured US troops"), its normalised
key ("us troops") and the measure its words or a nearby verb name ("were killed"), from `rules/counts.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from audit.extract.matchers import Matchers, _key
from audit.extract.measures import lemma, verb_after
from audit.extract.quantities import Num
from audit.extract.units import Amount
from audit.model import Claim
from audit.rules import Rule

# The shapes of tokens and regular plurals are spelling mechanics, kept in code.


# A word of a counted phrase; "250ml" in "eight million 250ml bottles" is a modifier too.
# A model name is a modifier as well: "four AK-47 rifles", "nine AK - 47 rifles", "22 AK 47 Rifles".
# A modifier in quotes is one still: 'two "freezing" nights' (a double quote before a word or after one).
_TOKEN = re.compile(
    r"[\s\u00a0]*(?:[\"“”][\s\u00a0]*)?(?P<tok>[A-Z]{1,4}(?:[\s\u00a0]?[-–][\s\u00a0]?|[\s\u00a0])\d+(?![\w-])(?=[\s\u00a0]+[A-Za-z])"
    r"|(?:[A-Za-z]\.){2,}(?![A-Za-z])|[A-Za-z][A-Za-z'’&.-]*[A-Za-z]|[A-Za-z]|\d[\d.,]*-?[A-Za-z]+(?![\w-]))"
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


def _subject(text: str, start: int, e: int, value: float, m: Matchers) -> Subject:
    """The counted phrase that starts at `start`: head noun, group, key and the measure its words name."""
    compound = _compound(text, start, e, m)
    if compound is not None:
        return compound
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
        if _coordinated(text, tok, tokens, e, m):
            pos = tok.end()  # "23 Somali and Yemeni pirates": two modifiers of one noun
            continue
        if word.lower() in m.stop_words and not m.group(word) or m.numbers.pattern.fullmatch(word):
            break
        first = first if first is not None else tok.start("tok")
        known = m.known.match(text, tok.start("tok"), e)
        if known:
            phrase = _key(known.group())
            if phrase in m.subject_of:  # a subject that is a measure's noun too ("a 5.2 aftershock") names both
                named = measure or m.measure_of.get(phrase)
                return _make_subject(text, first, known.end(), tokens, m.subject_of[phrase].id, named, True, m)
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


def _of_counted(text: str, previous: Claim | None, start: int) -> bool:
    """Whether a figure follows the count before it through "of" ("three aftershocks of more than 4.5")."""
    if previous is None or not previous.subject_key or previous.kind != "count" or start < previous.char_end:
        return False
    between = text[previous.char_end : start]
    return re.fullmatch(r"[\s\u00a0]+of[\s\u00a0]+(?:[a-z]+[\s\u00a0]+){0,2}", between) is not None


def _coordinated(text: str, tok: re.Match[str], tokens: list[re.Match[str]], e: int, m: Matchers) -> bool:
    """Whether an "and" / "or" joins two capitalised modifiers of one noun ("Somali and Yemeni pirates")."""
    if tok.group("tok").lower() not in ("and", "or") or not tokens:
        return False
    before = tokens[-1].group("tok")
    nxt = _TOKEN.match(text, tok.end(), e)
    if nxt is None or m.plural.match(before) or not before[:1].isupper():
        return False
    after = nxt.group("tok")
    return after[:1].isupper() and not m.plural.match(after) and not m.numbers.pattern.fullmatch(after)


def _compound(text: str, start: int, e: int, m: Matchers) -> Subject | None:
    """A counted noun joined to the number by a hyphen, as the rules name it: "an 80-employee startup" counts
    employees (a noun no rule names, "a three-bed flat", counts nothing: None)."""
    if not text.startswith("-", start):
        return None
    known = m.known.match(text, start + 1, e)
    if not known or not re.match(r"(?![\w-])", text[known.end() : known.end() + 1]):
        return None
    phrase = _key(known.group())
    if phrase in m.subject_of:
        return _make_subject(text, start + 1, known.end(), [], m.subject_of[phrase].id, None, True, m)
    rule = m.measure_of[phrase]
    return _make_subject(text, start + 1, known.end(), [], rule.get("subject_key", ""), rule, True, m)


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


def _allowed(rule: Rule, subject: Subject, m: Matchers, unit: str = "") -> bool:
    """Whether a measure's verbs may name the measure of this figure: counts take count measures limited by
    their `subjects` list; amounts take amount measures for their unit (`units`; "currency": any currency)."""
    if rule.get("kind") == "amount":
        units = rule.get("units")
        return bool(unit) and (units is None or unit in units or ("currency" in units and unit in m.currencies))
    if unit:
        return False
    allowed = rule.get("subjects")
    return allowed is None or subject.base_key in allowed


def _rule_of_verb(verb: str, subject: Subject, m: Matchers, unit: str) -> Rule | None:
    """The first measure a verb (or a spelling of a rule's lemma) names for this figure."""
    return next((r for r in m.verb_measures[_key(verb)] if _allowed(r, subject, m, unit)), None)


def _verb_measure(
    text: str, s: int, claim_start: int, subject: Subject, m: Matchers, number_end: int = -1, unit: str = ""
) -> Rule | None:
    """The measure named by the verb nearest the figure in its own clause: right before it ("injuring 80",
    "seized a total of 14"), after the counted phrase ("140 were injured", "three boats were captured"), or
    earlier in the clause ("killed the commander ... and eight others")."""
    verbs = list(_verbs_before(text, s, claim_start, m))
    if verbs and not text[verbs[-1].end() : claim_start].strip():
        rule = _rule_of_verb(verbs[-1].group("v"), subject, m, unit)
        if rule:
            return rule  # the verb stands right before the figure: "wounding two former bosses ... and killing"
    after_from = subject.end if subject.end > 0 else number_end
    if after_from > 0:
        after = m.verb_after.match(text, after_from)
        # a verb with another figure before it is that figure's: "One of the attacks on X resulted in three
        # US troops suffering injuries" counts three wounded, not one
        if after and not m.numbers.find(text, after_from, after.start("v")):
            rule = _rule_of_verb(after.group("v"), subject, m, unit)
            if rule:
                return rule
    if re.search(r"\bof[\s\u00a0]+$", text[max(s, claim_start - 5) : claim_start]):
        return None  # "the leader of one of its brigades": the verb's object is someone else
    if after_from > 0 and not unit and _own_participle(text, after_from, m):
        return None  # "45 Hurt and 5 Homes Damaged": the homes' own verb says what they are
    return _nearest_verb(text, s, claim_start, subject, m, unit, verbs)


def _own_participle(text: str, end: int, m: Matchers) -> bool:
    """Whether a participle no rule knows follows the counted phrase ("7 villages damaged")."""
    verb = verb_after(text, end, min(len(text), end + 60), m)
    return bool(verb) and not m.verb_measures.get(_key(verb)) and lemma(verb) not in m.not_measures


def _verbs_before(text: str, s: int, claim_start: int, m: Matchers) -> list[re.Match[str]]:
    """The measure verbs in the window before a figure (the window reaches further after a list comma)."""
    listed = m.listed.search(text, max(s, claim_start - 10), claim_start) is not None
    window_start = max(s, claim_start - (160 if listed else 70))
    return list(m.verb.finditer(text, window_start, claim_start))


def _nearest_verb(
    text: str,
    s: int,
    claim_start: int,
    subject: Subject,
    m: Matchers,
    unit: str = "",
    verbs: list[re.Match[str]] | None = None,
) -> Rule | None:
    """The measure of the last verb before the figure that no clause boundary cuts off."""
    # the last item of a list ("killed the commander, a leader of the militia; and eight others") may
    # stand far from its verb, across commas and semicolons
    listed = m.listed.search(text, max(s, claim_start - 10), claim_start) is not None
    best: Rule | None = None
    for found in verbs if verbs is not None else _verbs_before(text, s, claim_start, m):
        between = text[found.end() : claim_start]
        if (not listed and m.boundary.search(between)) or m.strong_boundary.search(between):
            continue
        rule = _rule_of_verb(found.group("v"), subject, m, unit)
        if rule:
            best = rule  # the last one before the number is the nearest
    return best


def _what_it_counts(
    text: str, num: Num, amount: Amount, claim_end: int, e: int, m: Matchers, previous: Claim | None
) -> Subject | None:
    """The counted phrase and the measure its words name; None for a worded number that counts nothing."""
    subject = Subject()
    if not amount.unit or not amount.currency and amount.unit != "percent":
        subject_from = num.whole_end if num.whole is not None else claim_end
        subject = _subject(text, subject_from, e, amount.value, m)
    if amount.unit and not subject.written and _of_counted(text, previous, num.start):
        # "three aftershocks of more than 4.5 magnitude": the amount is of the things just counted
        base = previous.subject_key.split()[-1]
        return Subject(previous.subject, previous.subject_key, base, None, -1, True)
    if amount.unit and subject.written:  # "10 million litre of fuel": the subject names what the amount is of
        nouns = {r.id: {_key(n) for n in r.get("nouns", ())} for r in m.measures if r.get("kind") == "amount"}
        measure = next((r for r in m.measures if _key(subject.written) in nouns.get(r.id, ())), None)
        return replace(subject, measure=measure)
    if num.part and not amount.unit:
        # "one of the rocket attacks resulted in ...": one attack picked from many; only a verb says what it counts
        subject = replace(subject, measure=None)
    elliptic = m.ellipsis_next.match(text, claim_end, e) is not None
    if not subject.written and previous is not None and not amount.unit and elliptic:
        # "36 attacks in Iraq and 37 in Syria": the second number counts what the first did, and is what
        # the first was unless a verb of its own stands between them ("killing 14 people and injuring 65")
        base = previous.subject_key.split()[-1]
        own = _nearest_verb(text, previous.char_end, num.start, Subject(key=previous.subject_key, base_key=base), m)
        measure = own or next((r for r in m.measures if r.id == previous.measure), None)
        return Subject(previous.subject, previous.subject_key, base, measure, -1, True)
    worded = not num.digits and num.hedge.rule is None and num.whole is None and not amount.unit
    if not subject.written and worded and amount.value >= 1:
        of_group = re.match(r"[\s\u00a0]+of\b", text[claim_end:e]) is not None and amount.value > 1
        if not of_group and (not num.negated and not elliptic or amount.value == 1):
            return None  # "the same one", "the bottom three", "a three-bed flat": a word counting nothing
    return subject
