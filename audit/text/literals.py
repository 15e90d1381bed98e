"""Words a pattern cannot match without: a prefilter that skips a scan of text that holds none of them.

`required_literals(pattern)` reads the pattern's parse tree and gives lower-case ASCII strings one of
which every match of it holds (a run of literal characters, a trie of them, "jan|feb|..." written out), or
() when it can say nothing (a match may be all digits). `may_match(literals, lowered)` is then a necessary
condition of a match inside a text: `lowered` is the text lower-cased (`lowered_text`), None where
lower-casing could hide a match (the characters that match an ASCII letter case-insensitively without
lower-casing to it: audit.text.guard.FOLDS). Look-arounds and word boundaries are ignored (they only
narrow the matches), so the condition never fails where the pattern matches.
"""

from __future__ import annotations

import functools
import itertools
import re

from audit.cache import KeptTable
from audit.text.guard import FOLDS, sre_parse

#: Each pattern's required literals, for this code: kept in the user cache (written by
#: audit.rules.regexes.kept_regexes, as the guards are), so a run need not parse the patterns again.
LITERALS = KeptTable("literals")
#: At most this many strings a set (a longer alternation gives no prefilter: testing it costs what it saves).
MAX_LITERALS = 40
_FOLDED = re.compile("[" + "".join(sorted(set("".join(FOLDS.values())))) + "]")
_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")


@functools.lru_cache(maxsize=4096)
def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Lower-case ASCII strings one of which every match of `pattern` holds, sorted (() when none can be said);
    kept in the user cache (LITERALS) for this code."""
    key = (pattern.pattern, pattern.flags)
    found = LITERALS.load().get(key)
    if found is None:
        found = _read_literals(pattern)
        LITERALS.put(key, found)
    return found


def _read_literals(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """`required_literals` worked out from the pattern's parse tree."""
    try:
        found = _required(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except (re.error, RecursionError):
        return ()
    if not found:
        return ()
    # a string holding another of the set tells nothing more: "day" is in every text "days" is in
    return tuple(sorted(s for s in found if not any(o != s and o in s for o in found)))


#: id(pattern) -> (pattern, its required literals): looked up by identity, not by the pattern's hash (which
#: reads all its opcodes), for the scans that ask once a sentence.
_KNOWN: dict[int, tuple[re.Pattern[str], tuple[str, ...]]] = {}


def literals_of(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """`required_literals(pattern)`, remembered for this pattern object."""
    known = _KNOWN.get(id(pattern))
    if known is None or known[0] is not pattern:
        if len(_KNOWN) >= 4096:
            _KNOWN.clear()
        known = _KNOWN[id(pattern)] = (pattern, required_literals(pattern))
    return known[1]


def lowered_text(text: str, start: int, end: int) -> str | None:
    """text[start:end] lower-cased for `may_match`, or None when it holds a character that lower-casing
    does not bring to the ASCII letter it matches case-insensitively (no prefilter there)."""
    if _FOLDED.search(text, start, end):
        return None
    return text[start:end].lower()


def may_match(literals: tuple[str, ...], lowered: str | None) -> bool:
    """Whether a pattern of these required literals may match in the text `lowered` (see `lowered_text`)."""
    return not literals or lowered is None or any(map(lowered.__contains__, literals))


def _exact(op, av) -> set[str] | None:
    """The strings a node matches, when they are a few fixed ASCII strings (lower case), else None."""
    name = str(op)
    if name == "LITERAL":
        char = chr(av)
        return {char.lower()} if char.isascii() else None
    if name in _ZERO_WIDTH:
        return {""}
    if name == "SUBPATTERN":
        return _exact_sequence(list(av[-1]))
    if name == "BRANCH":
        out: set[str] = set()
        for branch in av[1]:
            strings = _exact_sequence(list(branch))
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= MAX_LITERALS else None
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = av
        if (low, high) not in ((0, 1), (1, 1)):
            return None
        strings = _exact_sequence(list(body))
        if strings is None:
            return None
        return strings | {""} if low == 0 else strings
    return None


def _exact_sequence(items: list) -> set[str] | None:
    """The strings a sequence of nodes matches, when each node's are fixed (their concatenations), else None."""
    out = {""}
    for op, av in items:
        strings = _exact(op, av)
        if strings is None:
            return None
        out = {a + b for a, b in itertools.product(out, strings)}
        if len(out) > MAX_LITERALS:
            return None
    return out


def _required(items: list) -> set[str] | None:
    """Strings one of which every match of a sequence of nodes holds (None: nothing can be said)."""
    candidates: list[set[str]] = []
    run: list = []
    for op, av in [*items, (None, None)]:  # a last stop ends the last run
        strings = _exact(op, av) if op is not None else None
        if strings is not None:
            run.append(strings)
            continue
        if run:
            candidates.append(_concatenated(run))
            run = []
        if op is not None:
            candidates.append(_required_of(op, av))
    usable = [c for c in candidates if c and "" not in c and len(c) <= MAX_LITERALS]
    # the most telling: the longest shortest string, then the fewest strings
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _concatenated(run: list[set[str]]) -> set[str]:
    """The concatenations of a run of fixed-string nodes (an empty set when there would be too many)."""
    out = {""}
    for strings in run:
        out = {a + b for a, b in itertools.product(out, strings)}
        if len(out) > MAX_LITERALS:
            return set()
    return out


def _required_of(op, av) -> set[str] | None:
    """Strings one of which every match of one (not fixed-string) node holds."""
    name = str(op)
    if name == "SUBPATTERN":
        return _required(list(av[-1]))
    if name == "ATOMIC_GROUP":
        return _required(list(av))
    if name == "BRANCH":
        out: set[str] = set()
        for branch in av[1]:
            strings = _required(list(branch))
            if not strings:
                return None
            out |= strings
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
        return _required(list(av[2]))
    return None
