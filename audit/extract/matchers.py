"""Matchers: the extraction rules compiled once into regexes and lookups (nouns, verbs, groups, units, hedges,
speakers, denials, events).

Partitives ("of the"), words after an elliptic count ("37 in Syria"), irregular plurals, clause words ("but",
"before"), auxiliaries, places before a verb, verbs that are no verbs after a phrase and metre words are
language data: Matchers builds its regexes from counts.toml, units.toml and events.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from audit.extract.measures import lemma, lemma_table
from audit.extract.settings import ExtractSettings
from audit.hedges import HedgeRules, phrase_alternation
from audit.ingest import layout_of
from audit.numbers import Numbers
from audit.rules import Rule, RuleSet
from audit.text.guard import guard_patterns, guarded

# One character of a place phrase that does not start a relative clause.
_NO_RELATIVE = r"(?:(?!\b(?:where|who|whom|which|whose|when)\b)[^,;.])"


def _ordered(phrases: Iterable[str]) -> str:
    """A regex alternation of plain phrases in the order the rule file lists them (the first that fits wins)."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) or r"(?!x)x"


def _key(phrase: str) -> str:
    """A phrase as the rules write it: lower case, single spaces, straight apostrophes."""
    return re.sub(r"\s+", " ", phrase.lower().replace("’", "'"))


def _word_regex(words) -> re.Pattern[str] | None:
    """A whole-word, case-insensitive alternation of phrases (None when there are none)."""
    return re.compile(rf"(?<![\w-])(?:{phrase_alternation(words)})(?![\w-])", re.I) if words else None


class Matchers:
    """Regexes built once from the rules: nouns, verbs, groups, units, hedges, speakers, denials."""

    _built: ClassVar[tuple[RuleSet, Matchers] | None] = None  # the last RuleSet built and its Matchers

    @classmethod
    def from_rules(cls, rules: RuleSet) -> Matchers:
        """The Matchers of a RuleSet, built once however many stages ask (RuleSets are frozen; kept by identity)."""
        if cls._built is None or cls._built[0] is not rules:
            cls._built = (rules, cls(rules))
        return cls._built[1]

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.settings = settings = ExtractSettings.from_rules(rules)
        self.layout = layout_of(rules)  # how a headline line splits into sentences, as ingest splits the body
        self.hedges = HedgeRules(rules)
        self.numbers = rules.part(Numbers)  # number words and the number-phrase regex
        # the noise and age rules' patterns, each with its guard (audit.text.guard): same matches, faster
        self.noise = tuple(guarded(rule.get("pattern")) for rule in rules.rules("noise", "noise"))
        self.ages = tuple(guarded(rule.get("pattern")) for rule in rules.rules("counts", "age"))
        self.stop_words = frozenset(w.lower() for w in settings.stop_words)
        # "a year", "per day", "each month": a rate's period when it follows a figure (none without rate_words)
        rate = phrase_alternation(settings.rate_words) if settings.rate_words else "(?!)"
        self.rate = re.compile(rf"(?:{rate})[\s\u00a0]+[A-Za-z]+$", re.I)
        # A figure after a list comma or word, or after ", for": its verb may stand further back.
        self.listed = re.compile(
            rf"(?:,|\b(?:{_ordered(settings.list_words)})\b)(?:[\s\u00a0]+(?:{_ordered(settings.list_paid_words)})\b)?"
            r"[\s\u00a0]*$"
        )
        self.not_units = frozenset(settings.not_units)  # as written: "x" and "s" are not "X" and "S"
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
        self.event_window = settings.event_window
        self.said_window = settings.said_window
        self.verb_measures: dict[str, list[Rule]] = {}
        for rule in measures:
            for verb in rule.get("verbs", ()):
                self.verb_measures.setdefault(_key(verb), []).append(rule)
        self.past_forms = {_key(past): base.lower() for past, base in settings.past_forms.items()}
        spellings = lemma_table(measures)  # every spelling of the rules' lemmas ("kills"), irregular ones too
        for past, base in self.past_forms.items():
            if base in spellings:
                spellings.setdefault(past, spellings[base])
        for form, named in spellings.items():
            listed = self.verb_measures.setdefault(form, [])
            listed.extend(r for r in named if r not in listed)
        self.auxiliaries = frozenset(_key(w) for w in settings.auxiliaries)
        self.not_measures = frozenset(lemma(w) for w in settings.not_measures)
        self.currencies = frozenset(r.id for r in rules.rules("units", "unit") if r.get("currency"))
        self.unit_measure = {r.id: r.get("measure") for r in rules.rules("units", "unit") if r.get("measure")}
        # an amount rule for one unit ("magnitude"): every amount in that unit measures it
        amount_rules = [r for r in reversed(measures) if r.get("kind") == "amount"]
        # (a rule for several units, "pursuit" in km or miles, names only the amounts its words name)
        self.measure_of_unit = {
            u: r for r in amount_rules for u in r.get("units", ()) if u != "currency" and len(r.get("units")) == 1
        }
        verbs = phrase_alternation(self.verb_measures)
        self.verb = re.compile(rf"(?<![\w-])(?P<v>{verbs})(?![\w-])", re.I)
        # after the counted phrase "had" and "include" are auxiliaries, not verbs ("30 soldiers had been captured")
        not_after = {_key(v) for v in settings.verbs_not_after}
        verbs_after = phrase_alternation(v for v in self.verb_measures if v not in not_after)
        aux = phrase_alternation(settings.auxiliaries)
        places = phrase_alternation(settings.verb_after_places)
        self.verb_after = re.compile(
            # a place phrase ends at a relative clause: in "two clerks at a shop where he had worked was
            # arrested" the verb is the man's, not the three people's
            rf"(?:[\s\u00a0]*,[^,;]{{1,60}},)?(?:[\s\u00a0]+(?:{places})\b{_NO_RELATIVE}{{1,60}}?)?"
            rf"[\s\u00a0]+(?:(?:{aux})[\s\u00a0]+){{0,4}}(?P<v>{verbs_after})(?![\w-])",
            re.I,
        )
        self.partitive = re.compile(
            rf"[\s\u00a0]+(?:{_ordered(settings.partitive_words)})[\s\u00a0]+"
            rf"(?:(?:{_ordered(settings.partitive_determiners)})[\s\u00a0]+)?",
            re.I,
        )
        self.ellipsis_next = re.compile(rf"[\s\u00a0]*(?:$|[,;.)]|(?:{_ordered(settings.ellipsis_next)})\b)", re.I)
        # case-sensitive: "AIDS" or "US" is no plural (the first branch's look-ahead)
        self.plural = re.compile(
            r"^(?![A-Z]+$)(?:[A-Za-z][a-z'’-]*[^su'’]s|[A-Za-z][a-z-]*(?:ss|us)es|[A-Z]{2,}s(?<!ss)"
            rf"|{_ordered(settings.irregular_plurals)})$"
        )
        self.boundary = re.compile(rf"[;:]|\s[-–—]\s|\b(?:{_ordered(settings.clause_words)})\b", re.I)
        self.strong_boundary = re.compile(rf"[.!?]\s|\b(?:{_ordered(settings.strong_clause_words)})\b", re.I)
        self.metre_context = re.compile(
            rf"[\s-]*(?:{phrase_alternation(settings.metre_words)})\b"
            rf"|[\s-]*\(\d[\d.,]*\s?(?:{phrase_alternation(settings.metre_feet)})\b",
            re.I,
        )
        self.group_of = {w: r.id for r in rules.rules("counts", "group") for w in r.get("words")}
        self.negation = self._negation(rules)
        self.negation = guarded(self.negation) if self.negation is not None else None
        self.vague = guarded(self.hedges.vague)  # the hedges' vague quantities, guarded
        self.units = rules.rules("units", "unit")
        self.unit_before_of = {_key(p): r for r in self.units for p in r.get("before", ())}
        self.unit_after_of = {_key(p): r for r in self.units for p in r.get("after", ())}
        self.unit_before = re.compile(rf"(?<![\w$])(?P<u>{phrase_alternation(self.unit_before_of)})[\s\u00a0]*$", re.I)
        self.unit_glued_of = {_key(p): r for r in self.units for p in r.get("glued", ())}
        self.unit_glued = re.compile(rf"(?<![\w$])(?P<u>{phrase_alternation(self.unit_glued_of)})$", re.I)
        self.unit_scaled_of = {_key(p): r for r in self.units for p in r.get("after_scaled", ())}
        self.unit_scaled = re.compile(rf"[\s\u00a0-]*(?P<u>{phrase_alternation(self.unit_scaled_of)})(?![\w])", re.I)
        self.unit_after = re.compile(
            rf"(?:[\s\u00a0]*|-)(?P<u>{phrase_alternation(self.unit_after_of)})(?![\w])".replace(r"\%(?![\w])", "%"),
            re.I,
        )
        self.cues = rules.rules("speakers", "cue")
        self.cue_patterns = tuple(guarded(rule.get("pattern")) for rule in self.cues)  # the same, guarded
        self.not_speaker = settings.not_speaker
        self.trim_speaker = settings.trim_speaker
        # keys the rules name (not guessed nouns): "one soldier" is worth a row, "one step further" is not
        self.known_keys = {r.id for r in rules.rules("counts", "subject")} | {
            r.get("subject_key") for r in measures if r.get("subject_key")
        }
        self.denials = rules.rules("speakers", "denial")
        self.denial_patterns = tuple(guarded(rule.get("pattern")) for rule in self.denials)  # the same, guarded
        guard_patterns(self)  # every regex above with its guard (audit.text.guard): the same matches, faster

    def _negation(self, rules: RuleSet) -> re.Pattern[str] | None:
        """'no' + a measure or subject noun, up to two words apart: a count of zero."""
        negation = self.settings.negation
        if negation is None:
            return None
        nouns = phrase_alternation([*self.measure_of, *self.subject_of])
        return re.compile(
            rf"(?P<neg>{negation.pattern})(?=(?:[\w-]+\s+){{0,2}}?(?:{nouns})(?![\w-]))", re.I | re.VERBOSE
        )

    def group(self, word: str) -> str:
        """The group id of a word ("American", "U.S.", "Iran's"), or ''."""
        return self.group_of.get(word.replace("’", "'"), "") or self.group_of.get(word.strip("."), "")
