"""The sentence splitter: spans of text cut into sentence spans (abbreviations kept whole, long ones capped).

It knows nothing of pages: its settings (`abbreviations`, `max_sentence_chars`) come from any object
with a `get(key, default)`, which is what ingest's Layout is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

# A sentence ends at . ! ? or an ellipsis, maybe closed by quotes or brackets, followed by white space
# (NBSP included) and a capital, a digit or an opening quote. Abbreviations are checked in code.
# The punctuation is matched from the start of its run only, and possessively: a line of dots must not
# be tried at every dot of the run (quadratic in its length); what matches is the same.
_SENTENCE_END = re.compile(
    r"""(?<![.!?…])                 # the start of a run of end punctuation
        (?P<stop>[.!?…]++)          # end punctuation
        (?P<close>["'”’)\]]*+)      # closing quotes or brackets belong to the sentence
        (?P<gap>\s++)               # the gap between sentences
        (?=["'“‘(\[]?[A-Z0-9])      # the next sentence starts with a capital or a digit
    """,
    re.VERBOSE,
)
_INITIALS = re.compile(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]")  # "J", "U.S", "a.m": initials and dotted abbreviations
_DEFAULT_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")


class _PageSettings(Protocol):
    """The two settings the splitter reads (ingest's PageSettings holds them)."""

    abbreviations: frozenset[str] | None
    max_sentence_chars: int


class Settings(Protocol):
    """Where the splitter reads its settings (ingest's Layout is one)."""

    page: _PageSettings


def sentences(
    text: str, spans: Iterable[tuple[int, int]], layout: Settings | None = None
) -> tuple[tuple[int, int], ...]:
    """Split each span of text into sentence spans (abbreviations kept whole, long ones capped)."""
    given = layout.page.abbreviations if layout else None
    abbreviations = frozenset(_DEFAULT_ABBREVIATIONS) if given is None else given
    cap = layout.page.max_sentence_chars if layout else 1200
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cursor = start
        for match in _SENTENCE_END.finditer(text, start, end):
            if match.group("stop") == "." and _is_abbreviation(text, cursor, match.start(), abbreviations):
                continue
            out.extend(_capped(text, cursor, match.end("close"), cap))
            cursor = match.end()
        if cursor < end:
            out.extend(_capped(text, cursor, end, cap))
    return tuple(span for span in (_trim(text, s, e) for s, e in out) if span[0] < span[1])


def _is_abbreviation(text: str, cursor: int, dot: int, abbreviations: frozenset[str]) -> bool:
    """Whether the word before a full stop is an abbreviation (Gen., Jan., U.S., an initial)."""
    begin = dot
    while begin > cursor and not text[begin - 1].isspace():
        begin -= 1
    word = text[begin:dot].lstrip("\"'“‘([")
    return word in abbreviations or bool(_INITIALS.fullmatch(word)) and len(word) <= 5


def _capped(text: str, start: int, end: int, cap: int) -> list[tuple[int, int]]:
    """A sentence span cut at white space into pieces of at most `cap` characters."""
    pieces = []
    while end - start > cap:
        cut = max(text.rfind(" ", start + 1, start + cap), text.rfind("\xa0", start + 1, start + cap))
        cut = cut if cut > start else start + cap
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without surrounding white space (NBSP included)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
