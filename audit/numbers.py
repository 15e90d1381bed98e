"""Numbers as news writes them: digits ("5,200"), words ("Thirty-four", "a dozen"), mixes ("10 million",
"2.3bn", "two-dozen").

Shared by the dates, extract and reconcile stages. `Numbers.from_rules` builds, from a rule set's
numbers.toml, `pattern` (a regex that finds a number phrase), `parse` (its text as a float) and `find`
(the number phrases of a stretch of text); `audit.rules.compiled.CompiledRules.numbers` holds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from audit.errors import RuleError
from audit.rules import RuleSet
from audit.text.guard import guarded

_REQUIRED = ("units", "tens", "scales", "scale_suffixes", "collectives", "fractions", "articles")


def _check_words(settings: Mapping[str, Any]) -> Mapping[str, Any]:
    """The number words of numbers.toml's [settings], checked to fit together (RuleError naming the key)."""
    for key in _REQUIRED:
        if not settings.get(key):
            raise RuleError(f"numbers.toml, rule 'settings', key '{key}': required and must not be empty")
    for word in settings.get("phrase_collectives", ()):
        if word not in settings["collectives"]:
            raise RuleError(f"numbers.toml, rule 'settings', key 'phrase_collectives': '{word}' is not a collective")
    return settings


def _alternation(words: Any) -> str:
    """Words as a regex alternation, longest first (escaped: a word is never regex syntax)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Thousands grouped by a space, a no-break space, a narrow no-break space or a thin space: "5 200", "1 500 000".
# Only groups of exactly three digits after a first group of one to three: "in 2012 200 people" stays two numbers.
_GROUP_SPACE = "[ \u00a0\u202f\u2009]"


def _number_pattern(words: Mapping[str, Any]) -> re.Pattern[str]:
    """The number-phrase regex built from the word tables (see `Numbers.pattern`)."""
    small_words = _alternation(words["units"])
    tens_words = _alternation(words["tens"])
    scale_words = _alternation(words["scales"])
    suffixes = _alternation(words["scale_suffixes"])
    article_words = _alternation(words["articles"])
    fraction_words = _alternation(words["fractions"])
    collective_words = _alternation(words.get("phrase_collectives", ())) or "(?!)"
    # Currency words written against the digits ("euro2 billion", "e75m"): each a look-behind of its own (fixed width).
    glued = "".join(rf"|(?<=\b{re.escape(w)})" for w in sorted(words.get("glued_before", ()), key=len, reverse=True))
    # Words a hyphen joins to the number that follows ("magnitude-6.1"), where a hyphen otherwise makes a code ("F-16").
    glued += "".join(rf"|(?<=\b{re.escape(w)}-)" for w in sorted(words.get("hyphen_before", ()), key=len, reverse=True))
    # The frame below stays in code: it is regex mechanics (token boundaries, separators, digit shapes), not
    # words. Its few fixed English words ("half a dozen", "minus", "of", "the") shape phrases around the tables.
    # A number said in words below a hundred: "eight", "Thirty-four", "twenty one".
    small = rf"(?:(?:{tens_words})(?:[-\s](?:{small_words})\b)?|(?:{small_words}))\b"
    # What may follow a worded number: "hundred", "thousand and twelve", "thousand six hundred", "dozen".
    word_tail = rf"(?:[\s-]+(?:{scale_words}|{collective_words})\b(?:[\s-]+(?:and\s+)?{small})?)"
    # A number phrase: digits with separators and an optional scale ("5,200", "10 million", "2.3bn"), or
    # number words ("Thirty-four", "two hundred and six", "a dozen", "half a dozen", "two-dozen").
    return re.compile(
        rf"""
        (?:(?<![\w.,])(?<![A-Za-z]-)|(?<=\bsub-)|(?<=\$US)|(?<=\$A)   # not inside a token ("F-16", "four-door")
          |(?<=,)(?=minus[\s-]\d)                                    # "387 F ,minus 233 C": a comma, no space
          |(?<=\b(?-i:[A-Z]{{2}}))|(?<=\b(?-i:[A-Z]{{3}}))           # but "USD10m", "RM79" (the extractor checks)
          {glued})                                                   # and "euro2 billion" (numbers.toml glued_before)
        (?:
            (?:\d{{1,3}}\s)?\d{{1,3}}[/⁄]\d{{1,3}}(?![/\d])(?=\s+(?:of\b|[a-z]))  # 1/2 pound, 2 1/2 times
          | \d+(?:\.\d+)?\s?[×x]\s?10[−-]?\d+\b       # 1.99×10−30 (scientific)
          | (?:(?:[-−](?=\d)|minus[\s-])(?=[\d.]))?   # -5 yards / minus-130 degrees
            (?:(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?!\d|[,.]\d)|\d+)(?:\.\d+)?|\.\d+)
                                                     # 5,200 / 5 200 / 1,234,567.5 / 50 / 2.3 / .500
            (?:(?:[\s-]?(?:{scale_words})\b)+       # 10 million / 4 hundred million / $1.5-million
              |(?:{suffixes})\b)?                 # 2.3bn / 50m / 25k / 1mil (attached)
          | (?:(?:a|one)[\s-]+)?half(?:[\s-]+a)?[\s-]+(?:dozen|{scale_words})\b  # half a dozen, a half-million
          | {small}\s+and\s+a\s+half[\s-]+(?:{scale_words})\b  # one and a half million / two and a half billion
          | (?:a|one|two|three)[\s-]+(?:{fraction_words})\b(?=\s+(?:of|the)\b)  # a third of
          | (?<!first\s)(?<!second\s)(?<!the\s)half(?=\s+(?:of|the)\b)
          | (?:{article_words})\s+(?:{scale_words}|{collective_words})\b      # a hundred and two / a dozen
            (?:[\s-]+(?:and\s+)?{small})?{word_tail}*
          | {small}{word_tail}*                     # thirty-four / two hundred and six / two-dozen
        )
        (?=[A-Za-z]|(?![\w]|[.,]\d))                   # "350,0000" is a typo, not 350; "256GB" has a unit
        """,
        re.IGNORECASE | re.VERBOSE,
    )


@dataclass(frozen=True)
class NumberSpan:
    """A number phrase found in text: where it is, what it says, and whether it was written in digits."""

    start: int
    end: int
    value: float
    digits: bool
    scale_suffix: str = ""  # "m", "bn", "k" written against the digits ("50m")
    attached: bool = False  # letters follow the digits at once ("256GB", "5kW"): a unit or a code
    glued: bool = False  # letters stand right before the digits ("USD10m", "RAV4"): a currency code or a name


# the patterns Numbers.parse reads every number phrase with, compiled once
_GROUPED = re.compile(rf"(?<=\d){_GROUP_SPACE}(?=\d{{3}}(?!\d))")  # "5 200": a thousands group
_SCIENTIFIC = re.compile(r"(\d+(?:\.\d+)?)\s?[×x]\s?10([−-]?)(\d+)")
_FRACTION = re.compile(r"(?:(\d+)\s)?(\d+)[/⁄](\d+)")
_SIGN = re.compile(r"[-−]|minus\b")
_SIGN_WORDS = re.compile(r"^(?:[-−]|minus[\s-]*)")
_WORD = re.compile(r"\d*\.\d+|\d+|[a-z]+")
_DIGITS = re.compile(r"\d*\.\d+|\d+")


@dataclass(frozen=True)
class Numbers:
    """The number words of a rule set's numbers.toml and the regex built from them, compiled once."""

    articles: frozenset[str]
    units: Mapping[str, float]  # unit words, determiners ("no", "single") and articles (one)
    tens: Mapping[str, float]
    scales: Mapping[str, float]  # scale words and suffixes: "million", "bn"
    collectives: Mapping[str, float]
    fractions: Mapping[str, float]
    ordinals: Mapping[str, float]  # read by audit.dates: "twenty-first", "the second Tuesday"
    pattern: re.Pattern[str]  # a number phrase: "5,200", "10 million", "Thirty-four", "half a dozen"
    suffix: re.Pattern[str]  # a scale suffix written against the digits, at the end of a phrase ("50m")

    @classmethod
    def from_rules(cls, rules: RuleSet) -> Numbers:
        """The Numbers of a rule set's numbers.toml (stages ask `rules.part(Numbers)`: built once a rule set)."""
        words = _check_words(rules.settings.get("numbers", {}))
        return cls(
            articles=frozenset(words["articles"]),
            units={**words["units"], **words.get("determiners", {}), **dict.fromkeys(words["articles"], 1)},
            tens=dict(words["tens"]),
            scales={**words["scales"], **words["scale_suffixes"]},
            collectives=dict(words["collectives"]),
            fractions=dict(words["fractions"]),
            ordinals=dict(words.get("ordinals", {})),
            pattern=_number_pattern(words),
            suffix=re.compile(rf"\d({_alternation(words['scale_suffixes'])})$", re.IGNORECASE),
        )

    def parse(self, text: str) -> float | None:
        """The value of a number phrase ("5,200", "Thirty-four", "2.3bn", "two hundred", "half a dozen"), or None."""
        lowered = _GROUPED.sub("", text.lower().replace(",", "").strip())
        scientific = _SCIENTIFIC.fullmatch(lowered)
        if scientific:
            exponent = int(scientific.group(3)) * (-1 if scientific.group(2) else 1)
            return float(scientific.group(1)) * 10.0**exponent
        fraction = _FRACTION.fullmatch(lowered)
        if fraction:
            whole = int(fraction.group(1) or 0)
            return whole + int(fraction.group(2)) / int(fraction.group(3)) if int(fraction.group(3)) else None
        sign = -1.0 if _SIGN.match(lowered) else 1.0
        words = _WORD.findall(_SIGN_WORDS.sub("", lowered))
        if not words:
            return None
        return self._words_value(words, sign)

    def _words_value(self, words: list[str], sign: float) -> float | None:
        """The value of a number phrase's words (digits and number words), or None for a word it does not know."""
        total = 0.0
        current: float | None = None
        added = False  # after "and": "one and a half" adds the fraction where "half a dozen" multiplies
        for word in words:
            if word == "and":
                added = True
                continue
            if word in self.fractions:
                if added and current is not None:
                    current += self.fractions[word]
                else:
                    current = self.fractions[word] if current is None else current * self.fractions[word]
            elif _DIGITS.fullmatch(word):
                current = (current or 0) + float(word)
            elif word in self.units:
                current = (current or 0) + self.units[word] if word not in self.articles else (current or 1)
            elif word in self.tens:
                current = (current or 0) + self.tens[word]
            elif word in self.collectives:
                current = (current or 1) * self.collectives[word]
            elif word in self.scales:
                scale = self.scales[word]
                if current is None:
                    current = 1
                if scale >= 1000:
                    total += current * scale
                    current = None
                else:
                    current *= scale
            else:
                return None
        return sign * (total + (current or 0))

    def find(self, text: str, start: int, end: int) -> list[NumberSpan]:
        """Every number phrase between start and end of `text`, in order."""
        out = []
        for found in guarded(self.pattern).finditer(text, start, end):  # the same matches, found faster
            value = self.parse(found.group())
            if value is None:
                continue
            phrase = found.group()
            suffix = self.suffix.search(phrase)
            digits = phrase.lstrip("-−").lower().startswith(("minus", ".")) or phrase.lstrip("-−")[:1].isdigit()
            attached = found.end() < end and text[found.end()].isalpha()
            out.append(
                NumberSpan(
                    found.start(),
                    found.end(),
                    value,
                    digits,
                    suffix.group(1).lower() if suffix else "",
                    attached,
                    found.start() > 0 and text[found.start() - 1].isalpha(),
                )
            )
        return out


def format_number(value: float | None) -> str:
    """A number as a CSV cell: integers without a decimal point, empty for None."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"
