"""The polars prefilter of the scope rules: Rust regexes that find every sentence a rule's own pattern may
match in, and some more (the rules' own patterns then read those sentences in Python; see FactRules.near).

A rule's pattern is made wider, never narrower: its named groups plain groups, its lookarounds taken out
(Rust regex has none), each `\\w` an ASCII word character or any character beyond ASCII (Unicode's `\\w`,
case-insensitive and repeated, made the Rust regex slow to build), and its word boundaries ASCII ones where
that only adds matches (Unicode's make Rust's fast engine give up on any text beyond ASCII: a tenth of a
millisecond a sentence). See `wider`.
"""

from __future__ import annotations

import re
import string

from audit.cache import KeptTable
from audit.text.guard import FOLDS, sre_parse

#: What the prefilter reads for `\w`: an ASCII word character or any other than ASCII. A wider class than
#: Unicode's word characters (Python's and Rust's alike).
_WIDE_WORD_CHARS, _NOT_ASCII = "0-9A-Za-z_", r"(?-i:[^\x00-\x7F])"
_ASCII_BOUNDARY = r"(?-u:\b)"
#: Characters beyond ASCII that match an ASCII letter case-insensitively (the Kelvin sign matches "k"): a text
#: holding one is read by the rules whatever the prefilter says (see `wider`).
FOLDED = "(?-i:[" + "".join(sorted("".join(FOLDS.values()))) + "])"
_WORD_CHARS = frozenset(string.ascii_letters + string.digits + "_")


#: Each rule pattern's `wider` form, for this code: kept in the user cache, so a run need not parse the
#: patterns again (4 ms: `re` builds the rules' own from the cache too, see audit.rules.regexes).
_KEPT = KeptTable("prefilters")


def wider_all(patterns: list[re.Pattern[str]]) -> list[tuple[str, bool]]:
    """`wider` of each pattern, from the user cache where this code read it before (new ones kept there)."""
    table = _KEPT.load()
    out = []
    for pattern in patterns:
        key = (pattern.pattern, pattern.flags)
        if key not in table:
            _KEPT.put(key, wider(pattern))
        out.append(tuple(table[key]))
    _KEPT.save()
    return out


def wider(pattern: re.Pattern[str]) -> tuple[str, bool]:
    """A rule's pattern as the prefilter reads it (see the module docstring), and whether its word boundaries
    are read as ASCII ones: it matches wherever the rule's pattern matches, in any text that holds no `FOLDED`
    character.

    Its word boundaries are ASCII ones when each stands beside a character the pattern requires to be an ASCII
    letter, digit or "_": there Unicode's boundary implies ASCII's (the other character is not a word
    character of Unicode's, so none of ASCII's) unless a text's character beyond ASCII matches that letter
    case-insensitively, a `FOLDED` one.
    """
    text = _without_lookarounds(re.sub(r"\(\?P<\w+>", "(?:", pattern.pattern))
    ascii_boundaries = _boundaries_beside_ascii(pattern)
    return _rewritten(text, ascii_boundaries), ascii_boundaries


def _without_lookarounds(pattern: str) -> str:
    """A pattern with its lookahead and lookbehind groups taken out: it then finds a superset of what the
    pattern finds."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i) and (i == 0 or pattern[i - 1] != "\\"):
            depth, j = 0, i
            while j < len(pattern):
                if pattern[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                j += 1
                if depth == 0:
                    break
            i = j
            continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


def _rewritten(pattern: str, ascii_boundaries: bool) -> str:
    """A pattern with each `\\w` (alone, or in a class that is not negated) read as `_WIDE_WORD_CHARS` or any
    character beyond ASCII, and with `ascii_boundaries` each `\\b` an ASCII word boundary."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("\\w", i):
            out.append(f"(?:[{_WIDE_WORD_CHARS}]|{_NOT_ASCII})")
            i += 2
        elif pattern.startswith("\\b", i) and ascii_boundaries:
            out.append(_ASCII_BOUNDARY)
            i += 2
        elif pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern[i] == "[":
            end = _class_end(pattern, i)
            out.append(_wider_class(pattern[i + 1 : end]))
            i = end + 1
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def _wider_class(body: str) -> str:
    """A character class (its body given) with `\\w` among its members read as in `_rewritten`."""
    if body.startswith("^") or "\\w" not in re.findall(r"\\.", body, re.DOTALL):
        return f"[{body}]"
    rest = re.sub(r"\\.", lambda m: "" if m.group() == "\\w" else m.group(), body, flags=re.DOTALL)
    return f"(?:{f'[{rest}]|' if rest else ''}[{_WIDE_WORD_CHARS}]|{_NOT_ASCII})"


def _class_end(pattern: str, start: int) -> int:
    """Where the character class opened at `start` closes (a "]" first in it is a member, as in `re`)."""
    i = start + 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


def _boundaries_beside_ascii(pattern: re.Pattern[str]) -> bool:
    """Whether each word boundary of a pattern stands beside a character it requires to be an ASCII word one
    (False when the pattern cannot be read)."""
    try:
        return _sequence_ok(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except (re.error, RecursionError):
        return False


def _sequence_ok(items: list) -> bool:
    """`_boundaries_beside_ascii` of a parsed sequence and of every sequence inside it."""
    for at, (op, av) in enumerate(items):
        name = str(op)
        if name == "AT" and str(av) in ("AT_BOUNDARY", "AT_NON_BOUNDARY"):
            if str(av) == "AT_NON_BOUNDARY":
                return False
            after, before = _edge(items[at + 1 :]), _edge(list(reversed(items[:at])), last=True)
            if not (after == (True, False) or before == (True, False)):
                return False
        elif not all(_sequence_ok(list(child)) for child in _children(name, av)):
            return False
    return True


def _children(name: str, av) -> list:
    """The parsed sequences inside one node (groups, branches, repetitions)."""
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return [av[2]]
    if name == "SUBPATTERN":
        return [av[-1]]
    if name == "BRANCH":
        return list(av[1])
    if name == "ATOMIC_GROUP":
        return [av]
    return []


def _edge(items: list, last: bool = False) -> tuple[bool, bool]:
    """(whether the first character a parsed sequence matches, its last one with `last` (the sequence given
    reversed), is always an ASCII word character, whether the sequence may match nothing)."""
    for op, av in items:
        ascii_word, empty = _node_edge(str(op), av, last)
        if not ascii_word:
            return False, False
        if not empty:
            return True, False
    return True, True


def _node_edge(name: str, av, last: bool) -> tuple[bool, bool]:
    """`_edge` of one parsed node."""
    if name == "LITERAL":
        return chr(av) in _WORD_CHARS, False
    if name == "IN":
        return all(_ascii_word_member(str(op), member) for op, member in av), False
    if name == "AT":
        return True, True
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        ascii_word, empty = _edge(_ordered(av[2], last), last)
        return ascii_word, empty or av[0] == 0
    if name == "SUBPATTERN":
        return _edge(_ordered(av[-1], last), last)
    if name == "BRANCH":
        edges = [_edge(_ordered(branch, last), last) for branch in av[1]]
        return all(a for a, _ in edges), any(e for _, e in edges)
    return False, False


def _ordered(items, last: bool) -> list:
    """A parsed sequence in the order `_edge` reads it: reversed for its last character."""
    return list(reversed(list(items))) if last else list(items)


def _ascii_word_member(op: str, member) -> bool:
    """Whether a member of a parsed class only ever matches ASCII word characters."""
    if op == "LITERAL":
        return chr(member) in _WORD_CHARS
    if op == "RANGE":
        low, high = member
        return all(chr(c) in _WORD_CHARS for c in range(low, high + 1))
    return False
