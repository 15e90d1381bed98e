"""Units: the currency before a number ("$", "EUR ") or the unit after it ("%", "litres", "days") as
`rules/units.toml` names them; quantulum3 (imported on first use) only for an unknown symbol right after digits.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit.extract.matchers import Matchers, _key
from audit.rules import Rule

if TYPE_CHECKING:  # only annotations: quantities reads units, units never needs quantities at run time
    from audit.extract.quantities import Num

_UNKNOWN_UNIT = re.compile(r"(?P<gap>[\s\u00a0-]?)(?P<tok>[A-Za-z]{1,5}(?:/[A-Za-z]{1,3})?)(?![\w-])")

_quantulum_parser = None  # imported on first use: loading it takes ~1.5 s
# No figure written with a unit symbol has more significant digits than a float holds (15); beyond that
# quantulum3 is not asked (its time grows with the cube of the digit run: 120 digits cost ~20 s).
_MAX_QUANTULUM_DIGITS = 15


@dataclass(frozen=True)
class Amount:
    """A number with its unit read: value, unit, where the words start and end, TIMEX3 for durations."""

    value: float
    unit: str
    currency: bool
    start: int
    end: int
    timex: str = ""


def _unit_before(text: str, s: int, start: int, m: Matchers) -> tuple[Rule, int] | None:
    """A currency written before the number ("$", "USD ", "EUR "): its rule and where it starts."""
    found = m.unit_before.search(text, max(s, start - 14), start)
    if not found:
        return None
    return m.unit_before_of[_key(found.group("u"))], found.start()


def _scaled(text: str, num: Num) -> bool:
    """Whether the number carries a scale ("75m", "2 billion"): what makes a glued symbol or "pound" a currency."""
    return re.search(r"[A-Za-z]", text[num.start : num.end]) is not None


def _unit_glued(text: str, s: int, num: Num, m: Matchers) -> tuple[Rule, int] | None:
    """A currency symbol written against a scaled number ("e75m", "euro2 billion"): its rule and start."""
    if not _scaled(text, num):
        return None
    found = m.unit_glued.search(text, max(s, num.start - 8), num.start)
    return (m.unit_glued_of[_key(found.group("u"))], found.start()) if found else None


def _unit_scaled(text: str, num: Num, e: int, m: Matchers) -> tuple[Rule | None, str, int] | None:
    """A word that names a currency only after a scaled number ("4.1 billion pound")."""
    found = m.unit_scaled.match(text, num.end, e) if _scaled(text, num) else None
    if not found:
        return None
    rule = m.unit_scaled_of[_key(found.group("u"))]
    return rule, rule.id, found.end()


def _unit_after(text: str, end: int, e: int, m: Matchers) -> tuple[Rule | None, str, int] | None:
    """A unit written after the number ("%", "per cent", "litre", "Australian dollars", "days")."""
    found = m.unit_after.match(text, end, e)
    if not found:
        return None
    rule = m.unit_after_of[_key(found.group("u"))]
    return rule, rule.id, found.end()


def _quantulum_unit(text: str, num: Num, e: int, m: Matchers) -> tuple[Rule | None, str, int] | None:
    """An unknown unit symbol right after digits ("40 kPa"), read by quantulum3 on that span only."""
    if not num.digits or _digit_count(text[num.start : num.end]) > _MAX_QUANTULUM_DIGITS:
        return None
    found = _UNKNOWN_UNIT.match(text, num.end, e)
    if not found or m.hedges.after.match(text, num.end, e):
        return None  # "20-odd" is a hedge, not a unit
    token = found.group("tok")
    if re.match(r"\.[A-Za-z]\.", text[found.end() : found.end() + 3]):
        return None  # "12 U.S. soldiers", "10 a.m.": an abbreviation, no unit
    if re.fullmatch(r"[A-Z]{2,4}", token) and re.match(
        r"[\s\u00a0]?[-–]?[\s\u00a0]?\d", text[found.end() : found.end() + 4]
    ):
        return None  # "22 AK - 47 rifles", "nine AK 47 rifles": a model name after the count
    if (
        token.lower() in m.stop_words
        or m.group(token)
        or m.known.fullmatch(token)
        or (found.group("gap") and len(token) > 4)
    ):
        return None
    if found.group("gap") and token.islower() and len(token) > 3:
        return None
    if _not_a_symbol(token, found.group("gap"), text[found.end() : found.end() + 1], num, text, m):
        return None
    unit = _quantulum_unit_of(text[num.start : found.end()])
    return (None, unit, found.end()) if unit else None


# Shapes of letters after digits that name no unit, so quantulum3 (slow to load) is not asked: rules/units.toml
# names the symbols news prints, and what is left after digits is mostly a word, a name or an abbreviation.
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")  # "43 RBIs", "36 KO", "7:1 BST", "10 OS", "1010 WINS", "3D", "31GMT"
_TITLE_WORD = re.compile(r"[A-Z][a-z]{2,}")  # "6,000 Web", "15 Most", "10News", "2-Time": a word or a name
_LETTER_PAIR = re.compile(r"[a-z]/[a-z]")  # "802.11 b/g": standards; "m/s" is a row of the table
# "4 run", "53-man", "35-key" (glued, "1.19deg" may be a symbol)
_SHORT_WORD = re.compile(r"[b-df-hj-np-tv-z][aeiou][b-df-hj-np-tv-z]")


def _not_a_symbol(token: str, gap: str, after: str, num: Num, text: str, m: Matchers) -> bool:
    """Whether the letters after a number are plainly no unit symbol: a word, an acronym, a letter."""
    return (
        token in m.not_units  # rules/units.toml: "1440 x 900", "the 50s", "1080p", "76ers"
        or _scaled(text, num)  # "2B Ty", "1B Mark": symbols follow plain digits, not "2bn"
        or (len(token) == 1 and token.isupper() and after == ".")  # "326 E. Dahlia Avenue": an initial
        or bool(_ACRONYM.fullmatch(token))
        or bool(_TITLE_WORD.fullmatch(token))
        or bool(gap and _SHORT_WORD.fullmatch(token))
        or (not gap and token.islower() and len(token) > 3)  # "17gamo": letters glued to digits in a name
        or (not gap and token.isupper())  # "3D", "4K", "Xeon E3-1260L": a code
        or bool(_LETTER_PAIR.fullmatch(token))  # "802.11 b/g", "n/a"
    )


def _digit_count(text: str) -> int:
    """How many digits a number's text holds."""
    return sum(ch.isdigit() for ch in text)


@functools.lru_cache(maxsize=4096)
def _quantulum_unit_of(span: str) -> str:
    """The unit quantulum3 reads at the end of a short span ("87 mph" -> "mile per hour"), else "".
    Cached: a page repeats its figures and units, and each parse costs milliseconds."""
    global _quantulum_parser
    if _quantulum_parser is None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser as quantulum_parser
        _quantulum_parser = quantulum_parser
    try:
        quantities = _quantulum_parser.parse(span)
    except Exception:  # quantulum3 raises on odd input; an unknown unit is then simply no unit
        return ""
    for quantity in quantities:
        if quantity.unit.name != "dimensionless" and quantity.span[1] >= len(span) - 1:
            return quantity.unit.name
    return ""


def _read_unit(text: str, num: Num, s: int, e: int, m: Matchers) -> Amount | None:
    """The number with the unit written before or after it, or None when the digits are part of a name."""
    value, start, end = num.value, num.start, num.end
    before = _unit_before(text, s, start, m) if num.digits or num.hedge.hedge == "range" else None
    if num.glued and not before:
        before = _unit_glued(text, s, num, m)
        if before is None:
            return None  # "RAV4", "LGA1156": a name, not a quantity
    metres = num.suffix == "m" and not before and m.metre_context.match(text, num.end, e) is not None
    if metres:
        value /= 1_000_000  # "the 100m sprint": metres; elsewhere "35m devices" is 35 million
    if before:
        return Amount(value, before[0].id, bool(before[0].get("currency")), before[1], end)
    after = _unit_after(text, num.end, e, m) or _unit_scaled(text, num, e, m)
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
