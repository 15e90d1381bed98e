"""The [settings] the extraction stage reads (counts.toml, events.toml, units.toml, speakers.toml), typed.

Built once by `ExtractSettings.from_rules`; `Matchers` compiles its regexes from the attributes, so no
stage looks a setting up by its name. A key a file leaves out reads as empty (or the default named here).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from audit.rules import RuleSet


@dataclass(frozen=True)
class ExtractSettings:
    """The extraction settings of a rule set, one attribute a key."""

    # counts.toml
    negation: re.Pattern[str] | None  # "no" before a measure or subject noun: a count of zero
    stop_words: tuple[str, ...]
    auxiliaries: tuple[str, ...]  # words between a counted phrase and its verb: "had been"
    verb_after_places: tuple[str, ...]  # words that start a place between them: "in Mosul"
    verbs_not_after: tuple[str, ...]  # measure verbs that are auxiliaries after the phrase
    partitive_words: tuple[str, ...]  # "two *of* the three injured troops"
    partitive_determiners: tuple[str, ...]  # "two of *the* three"
    ellipsis_next: tuple[str, ...]  # "36 attacks in Iraq and 37 *in* Syria"
    irregular_plurals: tuple[str, ...]  # plurals without -s: "people", "police"
    clause_words: tuple[str, ...]  # a verb beyond these counts nothing after them: "before"
    strong_clause_words: tuple[str, ...]  # ditto, even across a list: "but"
    not_measures: tuple[str, ...]  # lemmas that name no measure of their own: "say", "have"
    past_forms: Mapping[str, str]  # irregular past forms -> their base: "shot" -> "shoot"
    rate_words: tuple[str, ...]  # "a", "per": "33 percent a year" is a rate's period, no duration
    list_words: tuple[str, ...]  # "and": with a comma, a list goes on (its verb may stand further back)
    list_paid_words: tuple[str, ...]  # "for" after a list comma: what the verb's object was paid
    # events.toml
    event_window: int  # characters around a figure searched for an event noun
    said_window: int
    # units.toml
    metre_words: tuple[str, ...]  # words after "50m" that make it 50 metres
    metre_feet: tuple[str, ...]  # the foot, in a bracket after it: "30m (98 ft)"
    not_units: tuple[str, ...]  # letters after digits that are no unit symbol: "1440 x 900", "the 50s"
    # speakers.toml
    not_speaker: re.Pattern[str] | None
    trim_speaker: re.Pattern[str] | None

    @classmethod
    def from_rules(cls, rules: RuleSet) -> ExtractSettings:
        """The extraction settings of a rule set (validated by the loader: only the defaults are chosen here)."""
        counts, events = rules.settings.get("counts", {}), rules.settings.get("events", {})
        units, speakers = rules.settings.get("units", {}), rules.settings.get("speakers", {})
        return cls(
            negation=counts.get("negation"),
            stop_words=tuple(counts.get("stop_words", ())),
            auxiliaries=tuple(counts.get("auxiliaries", ())),
            verb_after_places=tuple(counts.get("verb_after_places", ())),
            verbs_not_after=tuple(counts.get("verbs_not_after", ())),
            partitive_words=tuple(counts.get("partitive_words", ())),
            partitive_determiners=tuple(counts.get("partitive_determiners", ())),
            ellipsis_next=tuple(counts.get("ellipsis_next", ())),
            irregular_plurals=tuple(counts.get("irregular_plurals", ())),
            clause_words=tuple(counts.get("clause_words", ())),
            strong_clause_words=tuple(counts.get("strong_clause_words", ())),
            not_measures=tuple(counts.get("not_measures", ())),
            past_forms=dict(counts.get("past_forms", {})),
            rate_words=tuple(counts.get("rate_words", ())),
            list_words=tuple(counts.get("list_words", ())),
            list_paid_words=tuple(counts.get("list_paid_words", ())),
            event_window=events.get("window", 100),
            said_window=events.get("said_window", 40),
            metre_words=tuple(units.get("metre_words", ())),
            metre_feet=tuple(units.get("metre_feet", ())),
            not_units=tuple(units.get("not_units", ())),
            not_speaker=speakers.get("not_speaker"),
            trim_speaker=speakers.get("trim"),
        )
