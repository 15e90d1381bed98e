"""Numbers as news writes them: digits ("5,200"), words ("Thirty-four", "a dozen"), mixes ("10 million",
"2.3bn", "two-dozen").

Shared by the dates and extract stages. `NUMBER` is a regex that finds a number phrase; `parse_number`
turns its text into a float; `find_numbers` lists the number phrases of a stretch of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit.errors import RuleError
from audit.rules import DEFAULT_RULES_DIR, load_rule_file


def _load_words(path: Path = DEFAULT_RULES_DIR / "numbers.toml") -> dict[str, Any]:
    """The number words of rules/numbers.toml, checked to fit together (read once, at import)."""
    settings = load_rule_file(path)[1]
    for key in ("units", "tens", "scales", "scale_suffixes", "collectives", "fractions", "articles"):
        if not settings.get(key):
            raise RuleError(f"{path.name}, rule 'settings', key '{key}': required and must not be empty")
    for word in settings.get("phrase_collectives", ()):
        if word not in settings["collectives"]:
            raise RuleError(f"{path.name}, rule 'settings', key 'phrase_collectives': '{word}' is not a collective")
    return settings


_WORDS = _load_words()
ARTICLES = frozenset(_WORDS["articles"])
UNITS = {**_WORDS["units"], **_WORDS.get("determiners", {}), **dict.fromkeys(_WORDS["articles"], 1)}
TENS = dict(_WORDS["tens"])
SCALES = {**_WORDS["scales"], **_WORDS["scale_suffixes"]}
COLLECTIVES = dict(_WORDS["collectives"])
FRACTIONS = dict(_WORDS["fractions"])
ORDINALS = dict(_WORDS.get("ordinals", {}))  # read by audit.dates: "twenty-first", "the second Tuesday"


def _alternation(words: Any) -> str:
    """Words as a regex alternation, longest first (escaped: a word is never regex syntax)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SMALL_WORDS = _alternation(_WORDS["units"])
_TENS_WORDS = _alternation(TENS)
_SCALE_WORDS = _alternation(_WORDS["scales"])
_SUFFIXES = _alternation(_WORDS["scale_suffixes"])
_ARTICLE_WORDS = _alternation(ARTICLES)
_FRACTION_WORDS = _alternation(FRACTIONS)
_COLLECTIVE_WORDS = _alternation(_WORDS.get("phrase_collectives", ())) or "(?!)"
# Currency words written against the digits ("euro2 billion", "e75m"): each a look-behind of its own (fixed width).
_GLUED = "".join(rf"|(?<=\b{re.escape(w)})" for w in sorted(_WORDS.get("glued_before", ()), key=len, reverse=True))
# Words a hyphen joins to the number that follows ("magnitude-6.1"), where a hyphen otherwise makes a code ("F-16").
_GLUED += "".join(rf"|(?<=\b{re.escape(w)}-)" for w in sorted(_WORDS.get("hyphen_before", ()), key=len, reverse=True))
# Thousands grouped by a space, a no-break space, a narrow no-break space or a thin space: "5 200", "1 500 000".
# Only groups of exactly three digits after a first group of one to three: "in 2012 200 people" stays two numbers.
_GROUP_SPACE = "[ \u00a0\u202f\u2009]"
# The frame below stays in code: it is regex mechanics (token boundaries, separators, digit shapes), not
# words. Its few fixed English words ("half a dozen", "minus", "of", "the") shape phrases around the tables.
# A number said in words below a hundred: "eight", "Thirty-four", "twenty one".
_SMALL = rf"(?:(?:{_TENS_WORDS})(?:[-\s](?:{_SMALL_WORDS})\b)?|(?:{_SMALL_WORDS}))\b"
# What may follow a worded number: "hundred", "thousand and twelve", "thousand six hundred", "dozen".
_WORD_TAIL = rf"(?:[\s-]+(?:{_SCALE_WORDS}|{_COLLECTIVE_WORDS})\b(?:[\s-]+(?:and\s+)?{_SMALL})?)"

# A number phrase: digits with separators and an optional scale ("5,200", "10 million", "2.3bn"), or
# number words ("Thirty-four", "two hundred and six", "a dozen", "half a dozen", "two-dozen").
NUMBER = re.compile(
    rf"""
    (?:(?<![\w.,])(?<![A-Za-z]-)|(?<=\bsub-)|(?<=\$US)|(?<=\$A)   # not inside a token ("F-16", "four-door")
      |(?<=,)(?=minus[\s-]\d)                                    # "387 F ,minus 233 C": a comma, no space
      |(?<=\b(?-i:[A-Z]{{2}}))|(?<=\b(?-i:[A-Z]{{3}}))           # but "USD10m", "RM79" (the extractor checks)
      {_GLUED})                                                   # and "euro2 billion" (numbers.toml glued_before)
    (?:
        (?:\d{{1,3}}\s)?\d{{1,3}}[/⁄]\d{{1,3}}(?![/\d])(?=\s+(?:of\b|[a-z]))  # 1/2 pound, 2 1/2 times
      | \d+(?:\.\d+)?\s?[×x]\s?10[−-]?\d+\b       # 1.99×10−30 (scientific)
      | (?:(?:[-−](?=\d)|minus[\s-])(?=[\d.]))?   # -5 yards / minus-130 degrees
        (?:(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?!\d|[,.]\d)|\d+)(?:\.\d+)?|\.\d+)
                                                 # 5,200 / 5 200 / 1,234,567.5 / 50 / 2.3 / .500
        (?:(?:[\s-]?(?:{_SCALE_WORDS})\b)+       # 10 million / 4 hundred million / $1.5-million
          |(?:{_SUFFIXES})\b)?                 # 2.3bn / 50m / 25k / 1mil (attached)
      | half\s+a\s+dozen\b
      | (?:a|one|two|three)[\s-]+(?:{_FRACTION_WORDS})\b(?=\s+(?:of|the)\b)  # a third of
      | (?<!first\s)(?<!second\s)(?<!the\s)half(?=\s+(?:of|the)\b)
      | (?:{_ARTICLE_WORDS})\s+(?:{_SCALE_WORDS}|{_COLLECTIVE_WORDS})\b      # a hundred and two / a dozen
        (?:[\s-]+(?:and\s+)?{_SMALL})?{_WORD_TAIL}*
      | {_SMALL}{_WORD_TAIL}*                     # thirty-four / two hundred and six / two-dozen
    )
    (?=[A-Za-z]|(?![\w]|[.,]\d))                   # "350,0000" is a typo, not 350; "256GB" has a unit
    """,
    re.IGNORECASE | re.VERBOSE,
)


_SUFFIX = re.compile(rf"\d({_SUFFIXES})$", re.IGNORECASE)


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


def parse_number(text: str) -> float | None:
    """The value of a number phrase ("5,200", "Thirty-four", "2.3bn", "two hundred", "half a dozen"), or None."""
    lowered = re.sub(rf"(?<=\d){_GROUP_SPACE}(?=\d{{3}}(?!\d))", "", text.lower().replace(",", "").strip())
    scientific = re.fullmatch(r"(\d+(?:\.\d+)?)\s?[×x]\s?10([−-]?)(\d+)", lowered)
    if scientific:
        exponent = int(scientific.group(3)) * (-1 if scientific.group(2) else 1)
        return float(scientific.group(1)) * 10.0**exponent
    fraction = re.fullmatch(r"(?:(\d+)\s)?(\d+)[/⁄](\d+)", lowered)
    if fraction:
        whole = int(fraction.group(1) or 0)
        return whole + int(fraction.group(2)) / int(fraction.group(3)) if int(fraction.group(3)) else None
    sign = -1.0 if re.match(r"[-−]|minus\b", lowered) else 1.0
    words = re.findall(r"\d*\.\d+|\d+|[a-z]+", re.sub(r"^(?:[-−]|minus[\s-]*)", "", lowered))
    if not words:
        return None
    total = 0.0
    current: float | None = None
    for word in words:
        if word == "and":
            continue
        if word in FRACTIONS:
            current = FRACTIONS[word] if current is None else current * FRACTIONS[word]
        elif re.fullmatch(r"\d*\.\d+|\d+", word):
            current = (current or 0) + float(word)
        elif word in UNITS:
            current = (current or 0) + UNITS[word] if word not in ARTICLES else (current or 1)
        elif word in TENS:
            current = (current or 0) + TENS[word]
        elif word in COLLECTIVES:
            current = (current or 1) * COLLECTIVES[word]
        elif word in SCALES:
            scale = SCALES[word]
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


def find_numbers(text: str, start: int, end: int) -> list[NumberSpan]:
    """Every number phrase between start and end of `text`, in order."""
    out = []
    for found in NUMBER.finditer(text, start, end):
        value = parse_number(found.group())
        if value is None:
            continue
        phrase = found.group()
        suffix = _SUFFIX.search(phrase)
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
