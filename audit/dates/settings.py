"""The [settings] of rules/dates.toml, typed: built once by `DateSettings.from_rules`, read by `Vocabulary`.

A key the file leaves out reads as empty (or the default named here).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from audit.rules import RuleSet


@dataclass(frozen=True)
class DateSettings:
    """The dates settings of a rule set, one attribute a key."""

    future_cue: re.Pattern[str] | None  # words before a year-less date that make it a future one
    as_of_cue: re.Pattern[str] | None  # words that make a sentence's date the as-of day of its figure
    speech_cue: re.Pattern[str] | None  # words just before a date that make it the day of a statement
    few: int | None  # how many "a few" is in "a few days ago"
    two_digit_years: str  # "unresolved" or "window"
    lasting_words: tuple[str, ...]  # words before a stretch that make it last, not point to a day
    vague_numbers: tuple[str, ...]  # "several days ago": no number
    day_words: Mapping[str, float]  # "tomorrow" = 1
    seasons: Mapping[str, str]  # season word -> TIMEX3 code
    day_parts: Mapping[str, str]  # part-of-day word -> TIMEX3 code

    @classmethod
    def from_rules(cls, rules: RuleSet) -> DateSettings:
        """The dates settings of a rule set (validated by the loader: only the defaults are chosen here)."""
        table = rules.settings.get("dates", {})
        return cls(
            future_cue=table.get("future_cue"),
            as_of_cue=table.get("as_of_cue"),
            speech_cue=table.get("speech_cue"),
            few=table.get("few"),
            two_digit_years=table.get("two_digit_years", "unresolved"),
            lasting_words=tuple(table.get("lasting_words", ())),
            vague_numbers=tuple(table.get("vague_numbers", ())),
            day_words=table.get("day_words", {}),
            seasons=table.get("seasons", {}),
            day_parts=table.get("day_parts", {}),
        )
