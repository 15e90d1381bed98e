"""Numbers as news writes them: digits ("5,200"), words ("Thirty-four", "a dozen"), scales ("2.3bn").

Shared by the dates and extract stages. `NUMBER` is a regex that finds a number phrase; `parse_number`
turns its text into a float.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "no": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "lakh": 100_000,
    "crore": 10_000_000,
}
COLLECTIVES = {"dozen": 12, "score": 20, "couple": 2, "pair": 2}

_WORD = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_UNIT_WORDS = "|".join(sorted((w for w in UNITS if w not in ("no", "a", "an", "single")), key=len, reverse=True))

# A number phrase: digits with separators, or number words joined by hyphens/spaces/"and", optionally
# followed by a scale word ("10 million", "2.3bn", "two hundred").
NUMBER = re.compile(
    rf"""
    (?<![\w.,])                                   # not inside a longer token
    (?:
        \d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?          # 5,200 / 1,234,567.5
      | \d+(?:\.\d+)?                             # 50 / 2.3
      | (?:{"|".join(TENS)})(?:[-\s](?:{_UNIT_WORDS}))?   # thirty-four / twenty
      | (?:{_UNIT_WORDS})                         # eight
    )
    (?:\s?(?:hundred|thousand|million|billion|trillion|bn|mn|mln|tn|lakh|crore)\b)*  # scales
    (?![\w])
    """,
    re.IGNORECASE | re.VERBOSE,
)


def parse_number(text: str) -> float | None:
    """The value of a number phrase ("5,200", "Thirty-four", "2.3bn", "two hundred"), or None."""
    words = re.findall(r"\d+(?:\.\d+)?|[a-z]+", text.lower().replace(",", ""))
    if not words:
        return None
    total = 0.0
    current: float | None = None
    for word in words:
        if word == "and":
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            current = (current or 0) + float(word)
        elif word in UNITS:
            current = (current or 0) + UNITS[word]
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
    value = total + (current or 0)
    return value


def format_number(value: float | None) -> str:
    """A number as a CSV cell: integers without a decimal point, empty for None."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"
