"""Numbers as news writes them: digits ("5,200"), words ("Thirty-four", "a dozen"), mixes ("10 million",
"2.3bn", "two-dozen").

Shared by the dates and extract stages. `NUMBER` is a regex that finds a number phrase; `parse_number`
turns its text into a float; `find_numbers` lists the number phrases of a stretch of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    "trn": 1_000_000_000_000,
    "lakh": 100_000,
    "crore": 10_000_000,
}
COLLECTIVES = {"dozen": 12, "score": 20, "couple": 2, "pair": 2}

_SMALL_WORDS = "|".join(sorted((w for w in UNITS if w not in ("no", "a", "an", "single")), key=len, reverse=True))
_TENS_WORDS = "|".join(TENS)
_SCALE_WORDS = "hundred|thousand|million|billion|trillion|lakh|crore"
# A number said in words below a hundred: "eight", "Thirty-four", "twenty one".
_SMALL = rf"(?:(?:{_TENS_WORDS})(?:[-\s](?:{_SMALL_WORDS})\b)?|(?:{_SMALL_WORDS}))\b"
# What may follow a worded number: "hundred", "thousand and twelve", "dozen".
_WORD_TAIL = rf"(?:[\s-]+(?:{_SCALE_WORDS}|dozen)\b(?:[\s-]+(?:and\s+)?{_SMALL}(?![\s-]+(?:{_SCALE_WORDS}|dozen)))?)"

# A number phrase: digits with separators and an optional scale ("5,200", "10 million", "2.3bn"), or
# number words ("Thirty-four", "two hundred and six", "a dozen", "half a dozen", "two-dozen").
NUMBER = re.compile(
    rf"""
    (?<![\w.,])                                   # not inside a longer token
    (?:
        (?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?  # 5,200 / 1,234,567.5 / 50 / 2.3
        (?:\s?(?:{_SCALE_WORDS})\b                # 10 million / 2.3 billion
          |(?:bn|mn|mln|trn|tn|m|k|b)\b)?         # 2.3bn / 50m / 25k (attached)
      | half\s+a\s+dozen\b
      | an?\s+(?:{_SCALE_WORDS}|dozen)\b{_WORD_TAIL}*   # a hundred / a dozen
      | {_SMALL}{_WORD_TAIL}*                     # thirty-four / two hundred and six / two-dozen
    )
    (?![\w]|[.,]\d)                               # "350,0000" is a typo, not 350
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


def parse_number(text: str) -> float | None:
    """The value of a number phrase ("5,200", "Thirty-four", "2.3bn", "two hundred", "half a dozen"), or None."""
    words = re.findall(r"\d+(?:\.\d+)?|[a-z]+", text.lower().replace(",", ""))
    if not words:
        return None
    total = 0.0
    current: float | None = None
    for word in words:
        if word == "and":
            continue
        if word == "half":
            current = 0.5 if current is None else current * 0.5
        elif re.fullmatch(r"\d+(?:\.\d+)?", word):
            current = (current or 0) + float(word)
        elif word in UNITS:
            current = (current or 0) + UNITS[word] if word not in ("a", "an") else (current or 1)
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
    return total + (current or 0)


def find_numbers(text: str, start: int, end: int) -> list[NumberSpan]:
    """Every number phrase between start and end of `text`, in order."""
    out = []
    for found in NUMBER.finditer(text, start, end):
        value = parse_number(found.group())
        if value is None:
            continue
        phrase = found.group()
        suffix = re.search(r"\d(bn|mn|mln|trn|tn|m|k|b)$", phrase, re.IGNORECASE)
        out.append(
            NumberSpan(found.start(), found.end(), value, phrase[0].isdigit(), suffix.group(1).lower() if suffix else "")
        )
    return out


def format_number(value: float | None) -> str:
    """A number as a CSV cell: integers without a decimal point, empty for None."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"
