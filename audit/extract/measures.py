"""Measures beyond the rule list: what a figure is of when no rule's noun or verb names it.

Words are lemmatised by simplemma ("killing", "kills", "killed" -> "kill"; "injuries" -> "injury"), and a
lemma that a [[measure]] rule of `rules/counts.toml` lists (`lemmas`, `nouns`) names that rule; any other
word names a measure of its own, its lemma ("a $2.3 billion budget" -> budget, "a 10-day sanitation strike"
-> strike, "7 villages damaged" -> damage). Where the words are looked for is spelling mechanics, kept here:
the noun right after the figure or its compound ("$334 million deal", "an 80-employee startup"), the noun
before "of" ("a depth of 10 km"), a verb right before the figure ("confiscated 14 rifles") or right after
the counted phrase ("three boats were captured"), then the counted noun itself. An amount in a unit with a
measure of its own (`rules/units.toml` `measure`: "35 miles southwest" is a distance) takes it before any verb.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from audit.lexicon import english_lemma
from audit.model import Claim
from audit.rules import Rule

if TYPE_CHECKING:  # annotations only: matchers imports this module to build its lemma tables
    from audit.extract.matchers import Matchers

# Regular English inflections tried for a rule's lemma; simplemma keeps those that lemmatise back to it.
_ENDINGS = ("s", "es", "d", "ed", "ing")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of an English word, lower case ("killing" -> "kill", "bodies" -> "body")."""
    lowered = word.lower().replace("’", "'")
    return english_lemma(lowered).lower()  # simplemma.lemmatize(lowered, lang="en")


def _candidates(base: str) -> set[str]:
    """Inflected spellings a lemma may have: kill -> kills, killed, killing; nab -> nabbed; die -> dying."""
    out = {base + ending for ending in _ENDINGS}
    if base.endswith("e"):
        out |= {base[:-1] + "ing", base[:-2] + "ying"}
    if base.endswith("y"):
        out |= {base[:-1] + "ies", base[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", base):
        out |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return out


def inflections(base: str) -> list[str]:
    """The lemma and those of its regular spellings that simplemma reads back as it, sorted."""
    base = base.lower()
    if " " in base:  # a phrase ("take into custody"): its first word is inflected
        head, rest = base.split(" ", 1)
        return sorted({f"{form} {rest}" for form in inflections(head)})
    return sorted({base} | {form for form in _candidates(base) if lemma(form) == base})


def lemma_table(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    """Every spelling of every measure rule's `lemmas` -> the rules it names, in file order."""
    table: dict[str, list[Rule]] = {}
    for rule in rules:
        for base in rule.get("lemmas", ()):
            for form in inflections(base):
                table.setdefault(form, []).append(rule)
    return table


def word_key(word: str) -> str:
    """A measure id made from a word: its lemma, as the rules write ids ("Strikes" -> "strike")."""
    return re.sub(r"[^a-z0-9]+", "_", lemma(word)).strip("_")


def words(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The words of text[start:end], in order."""
    return list(_WORD.finditer(text, start, end))


# A word before "of" that names what the figure is of: "a depth of 10 km", "speeds of 120 mph".
_OF_BEFORE = re.compile(r"(?<![\w-])(?P<w>[a-z][a-z-]*[a-z])[\s\u00a0]+of[\s\u00a0]+(?:(?:a|an|the)[\s\u00a0]+)?$")
# "in cash and stock": the ways a whole was paid, after its first one
_PAID_BOTH = re.compile(
    r"[\s\u00a0]+(?:and|or|plus|&)[\s\u00a0]+(?:cash|stock|shares|equity|debt|securities|notes|bonds)\b"
)
# A preposition a duration may stand behind its verb with: "separated for about five weeks".
_DURATION_PREPOSITIONS = re.compile(r"(?P<w>[A-Za-z]+)[\s\u00a0]+(?:for|over|within)[\s\u00a0]+$", re.I)


def _named(word: str, claim: Claim, m: Matchers) -> str:
    """The measure a word names: a rule listing it as a noun or a verb spelling (for this kind of figure and,
    where the rule limits them, this subject), else its lemma ('' for none)."""
    key = word.lower().replace("’", "'")
    head = claim.subject_key.split()[-1] if claim.subject_key else ""
    for rule in (m.measure_of.get(key), *m.verb_measures.get(key, ())):
        if rule is None or (rule.get("kind") == "amount") != (claim.kind == "amount"):
            continue
        if rule.get("subjects") is None or head in rule.get("subjects"):
            return rule.id
    word = m.past_forms.get(key, word)  # "shot" -> "shoot"
    base = lemma(word)
    if key in m.stop_words or base in m.stop_words or len(base) < 3:
        return ""
    if all(lemma(part) in m.not_measures for part in base.split("-")):
        return ""  # "said", "has"; "north-northeast" too
    return word_key(word)


def _inflected(word: str, title: bool = False) -> bool:
    """Whether a word reads as an inflected verb: "raised", "eliminates", "damaged" (not "another", "first");
    `title`: a headline's capitalised word may be one too ("7 Villages Damaged")."""
    cased = word.islower() or title and word.istitle()
    return cased and lemma(word) != word.lower() and word.lower().endswith(("ed", "ing", "s"))


def _verb_like(word: str) -> bool:
    """Whether a word reads as a verb, not a noun: inflected ("damaged", "hitting") or irregular ("began"); a
    plural noun ("strikes") is not."""
    base = lemma(word)
    return base != word.lower() and (word.endswith(("ed", "ing")) or not word.endswith("s"))


def head_after(text: str, end: int, e: int, m: Matchers) -> str:
    """The lower-case noun a figure modifies, right after it: "$2.3 billion budget", "10-day sanitation strike",
    "$281 million in cash" (through "in"); '' when none."""
    tail = text[end:e]
    through_in = re.match(r"[\s\u00a0]+in[\s\u00a0]+(?=[a-z])", tail)
    start = end + (through_in.end() if through_in else 0)
    head = ""
    for found in words(text, start, min(e, start + 60)):
        gap = text[start : found.start()]
        if not re.fullmatch(r"[\s\u00a0-]*", gap):
            break
        word = found.group()
        if not word.islower() or word in m.stop_words or _verb_like(word):
            break  # "a 10-day sanitation strike began": the verb after the noun ends it
        head, start = word, found.end()
        if through_in:
            # "in cash": one noun; "in cash and stock" names the ways the whole was paid, no part of it
            return "" if _PAID_BOTH.match(text, start, e) else head
    return head


def _verb_before(text: str, s: int, start: int, kind: str, past: Mapping[str, str]) -> str:
    """An inflected verb right before a figure ("raised $20 million", "eliminates 90 percent", `past`'s
    "shot three people"); a duration's verb may stand behind "for" ("separated for about five weeks")."""
    before = text[max(s, start - 40) : start]
    found = re.search(r"(?P<w>[A-Za-z]+)[\s\u00a0]+$", before)
    if kind == "duration" and (found is None or not _verb_form(found.group("w"), past)):
        found = _DURATION_PREPOSITIONS.search(before)
    return found.group("w") if found and _verb_form(found.group("w"), past) else ""


def _verb_form(word: str, past: Mapping[str, str]) -> bool:
    """Whether a word reads as an inflected verb, a regular one or an irregular past form in lower case."""
    return _inflected(word) or word in past


def verb_after(text: str, end: int, e: int, m: Matchers) -> str:
    """An inflected verb after the counted phrase and its auxiliaries: "7 villages (were) damaged"."""
    for found in words(text, end, min(e, end + 60)):
        if re.search(r"[,;:.()]", text[end : found.start()]):
            return ""
        word = found.group()
        if word.lower() in m.auxiliaries:
            end = found.end()
            continue
        regular = _inflected(word, title=True) and word.lower().endswith("ed")
        return word if regular or (word.islower() or word.istitle()) and word.lower() in m.past_forms else ""
    return ""


def word_measure(text: str, claim: Claim, s: int, e: int, m: Matchers) -> str:
    """What a figure no rule names is of, from its own words (see the module docstring); '' when nothing says."""
    kind = claim.kind
    head = head_after(text, claim.char_end, e, m)
    if head and (kind != "count" or not claim.subject):
        named = _named(head, claim, m)
        if named:
            return named
    of = _OF_BEFORE.search(text, max(s, claim.char_start - 40), claim.char_start)
    if of and kind != "duration":
        named = _named(of.group("w"), claim, m)
        if named:
            return named
    if kind == "amount" and claim.unit in m.unit_measure:
        return m.unit_measure[claim.unit]  # "occurred about 14 miles north": a distance, whatever the verb
    for verb in (
        _verb_before(text, s, claim.char_start, kind, m.past_forms),
        verb_after(text, claim.char_end, e, m) if kind == "count" else "",
    ):
        named = _named(verb, claim, m) if verb else ""
        if named:
            return named
    return claim.subject_key.split()[-1] if kind == "count" and claim.subject_key else ""
