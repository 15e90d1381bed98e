"""Rule regexes that could backtrack without bound are refused on load, before any text meets them.

Python's `re` backtracks: a pattern such as `(a+)+$` or `^(\\w+\\s?)*$` takes exponential time on a long
line that almost matches. The classic cause is a repetition without an upper bound whose body can itself
repeat without bound, so a run of characters can be split between the two in exponentially many ways.
Such a pattern is rejected with a RuleError naming the file, the rule and the key. Allowed: a bounded
outer repetition (`(?:\\s+\\w+){0,3}`: polynomial), and one whose every turn must consume a character
of its own (`(?:,\\s*\\d+)*`: the comma tells the turns apart).
"""

from __future__ import annotations

import re

try:  # the parser's home moved in Python 3.11; both names hold the same module
    import re._parser as sre_parse  # type: ignore[import-not-found]
    from re._constants import MAXREPEAT  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse  # type: ignore[no-redef]
    from sre_constants import MAXREPEAT  # type: ignore[no-redef]

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
_NESTED = {"SUBPATTERN", "BRANCH", "ATOMIC_GROUP", "ASSERT", "ASSERT_NOT"}


def _children(op: str, arg) -> list:
    """The sub-sequences of one parsed node (groups, branches, repetitions, look-arounds)."""
    if op in _REPEATS:
        return [arg[2]]
    if op == "SUBPATTERN":
        return [arg[-1]]
    if op == "BRANCH":
        return list(arg[1])
    if op in ("ASSERT", "ASSERT_NOT"):
        return [arg[1]]
    if op == "ATOMIC_GROUP":
        return [arg]
    return []


def _has_unbounded(items) -> bool:
    """Whether a parsed sequence holds a repetition without an upper bound anywhere inside it."""
    for op, arg in items:
        name = str(op)
        if name in _REPEATS and arg[1] == MAXREPEAT:
            return True
        if any(_has_unbounded(child) for child in _children(name, arg)):
            return True
    return False


def _fixed_width(items) -> int:
    """The characters a sequence must consume outside its unbounded repetitions (0: it may be all repeats)."""
    width = 0
    for op, arg in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"):
            width += 1
        elif name in _REPEATS and arg[1] != MAXREPEAT:
            width += arg[0] * _fixed_width(arg[2])
        elif name == "SUBPATTERN":
            width += _fixed_width(arg[-1])
        elif name == "BRANCH":
            width += min(_fixed_width(branch) for branch in arg[1])
    return width


def nested_repeat(items) -> bool:
    """Whether a parsed sequence holds an unbounded repetition whose body is nothing but unbounded repeats
    (and optional parts), so that one run of text splits between the two in exponentially many ways."""
    for op, arg in items:
        name = str(op)
        if name == "POSSESSIVE_REPEAT" or name == "ATOMIC_GROUP":
            continue  # no backtracking into these
        body = arg[2] if name in _REPEATS else None
        if body is not None and arg[1] == MAXREPEAT and _has_unbounded(body) and _fixed_width(body) == 0:
            return True
        if any(nested_repeat(child) for child in _children(name, arg)):
            return True
    return False


def backtracking_problem(pattern: re.Pattern[str]) -> str:
    """Why a compiled rule regex could backtrack without bound, or "" when it cannot in that way."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return ""
    if nested_repeat(parsed):
        return "a repetition without bound nests another one (like (a+)+): it can backtrack without end"
    return ""
