"""Guarded patterns: a rule regex with a cheap look-ahead in front that every one of its matches passes.

Python's `re` tries a pattern at every position of the text. A rule pattern that opens with an optional
weekday, a few look-behinds and a long alternation costs hundreds of nanoseconds at each position, where
nearly all fail. `guarded` reads the pattern's parse tree and works out, for each of its first few
characters, the set of characters a match can have there (ignoring look-arounds and word boundaries,
which only narrow it further), then puts `(?=[...][...][...])` in front: positions that fail the guard
are left after two or three character-class tests. The guard is a necessary condition of a match, so
the guarded pattern finds exactly what the pattern finds (same groups, same spans, with search, match,
finditer and sub alike); the guard stops before the first character it cannot write (a back-reference,
'.', a negated class), and a pattern that may match nothing gets none.

Case-insensitive letters are written out in both cases (ASCII only; a cased non-ASCII letter ends the
guard), so the guard itself is compiled case-sensitive: the engine's fastest class test.
"""

from __future__ import annotations

import functools
import re

from audit.cache import KeptTable

try:  # the parser's home moved in Python 3.11; both names hold the same module
    import re._constants as sre_constants  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# How many leading characters a guard tests.
DEPTH = 3
#: Each pattern's guarded source ("" for none), for this code: kept in the user cache (written by
#: audit.rules.regexes.kept_regexes), so a run need not parse every rule pattern again to guard it.
GUARDS = KeptTable("guards")

# A position where any character may stand (the guard stops before it).
ANY = None

# Characters outside ASCII that match an ASCII letter case-insensitively (KELVIN SIGN is k, LONG S is s,
# the dotted capital and the dotless small I are i): tests/test_guard.py checks this against every code point.
FOLDS = {"k": "\u212a", "s": "\u017f", "i": "\u0130\u0131"}

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_ZERO_WIDTH = {"AT", "ASSERT", "ASSERT_NOT"}
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class _Unknown(Exception):
    """A character test the guard cannot write as class items."""


def _char(code: int) -> str:
    """One character as a class item, escaped whatever it is (verbose mode, brackets, dashes)."""
    return f"\\U{code:08x}"


def _cased_items(code: int) -> list[str]:
    """The class items of one literal read case-insensitively (both cases of an ASCII letter and its folds)."""
    ch = chr(code)
    if ch.lower() == ch.upper() and ch not in "".join(FOLDS.values()):
        return [_char(code)]  # no case: a digit, a sign, a space
    if not ch.isascii():
        raise _Unknown  # a cased letter outside ASCII: its folds are not in the table
    low = ch.lower()
    return [_char(ord(c)) for c in {low, low.upper(), *FOLDS.get(low, "")}]


def _class_items(op: str, av, icase: bool) -> list[str]:
    """The class items (escaped characters, ranges, categories) one character-matching node allows."""
    name = str(op)
    if name == "LITERAL":
        return _cased_items(av) if icase else [_char(av)]
    if name == "IN":
        items: list[str] = []
        for item_op, item_av in av:
            kind = str(item_op)
            if kind == "NEGATE":
                raise _Unknown  # a negated class: its complement cannot join a union of classes
            if kind == "LITERAL":
                items += _cased_items(item_av) if icase else [_char(item_av)]
            elif kind == "RANGE":
                items += _range_items(*item_av, icase)
            elif kind == "CATEGORY" and str(item_av) in _CATEGORIES:
                items.append(_CATEGORIES[str(item_av)])
            else:
                raise _Unknown
        return items
    raise _Unknown


def _range_items(low: int, high: int, icase: bool) -> list[str]:
    """A range as class items: as written, or, read case-insensitively, each ASCII letter in both cases."""
    items = [f"{_char(low)}-{_char(high)}"]
    if not icase:
        return items
    cased = [c for c in range(low, high + 1) if chr(c).lower() != chr(c).upper()]
    if any(c > 127 for c in cased):
        raise _Unknown
    return items + [item for c in cased for item in _cased_items(c)]


def _summary(items, flags: int, depth: int) -> tuple[list, set[int]]:
    """What a sequence of parsed nodes allows at each of its first `depth` characters (a set of class items
    a position, or ANY), and the lengths under `depth` a match of it may have."""
    positions: list = [set() for _ in range(depth)]
    offsets = {0}
    for op, av in items:
        node_positions, lengths = _node(op, av, flags, depth)
        for offset in offsets:
            for j, allowed in enumerate(node_positions[: depth - offset]):
                _merge(positions, offset + j, allowed)
        offsets = {o + n for o in offsets for n in lengths if o + n < depth}
        if not offsets:
            break
    return positions, offsets


def _merge(positions: list, at: int, allowed) -> None:
    """Add what a node allows at one position to what the sequence allows there."""
    if allowed is ANY or positions[at] is ANY:
        positions[at] = ANY
    else:
        positions[at] |= allowed


def _node(op, av, flags: int, depth: int) -> tuple[list, set[int]]:
    """What one parsed node allows at each of its first characters, and its possible lengths under `depth`."""
    name = str(op)
    icase = bool(flags & re.IGNORECASE)
    if name in ("LITERAL", "IN"):
        try:
            return [frozenset(_class_items(op, av, icase))], {1}
        except _Unknown:  # one character the guard cannot write: any may stand there
            return [ANY], {1}
    if name in _ZERO_WIDTH:
        return [], {0}
    if name == "SUBPATTERN":
        _, add, remove, body = av
        return _summary(body, (flags | add) & ~remove, depth)
    if name == "ATOMIC_GROUP":
        return _summary(av, flags, depth)
    if name == "BRANCH":
        positions: list = [set() for _ in range(depth)]
        lengths: set[int] = set()
        for branch in av[1]:
            branch_positions, branch_lengths = _summary(branch, flags, depth)
            for j, allowed in enumerate(branch_positions):
                _merge(positions, j, allowed)
            lengths |= branch_lengths
        return positions, lengths
    if name in _REPEATS:
        low, high, body = av
        return _repeat(body, low, high, flags, depth)
    # a back-reference, a conditional group, '.', anything else: any characters, of any length, from here on
    return [ANY] * depth, set(range(depth))


def _repeat(body, low: int, high: int, flags: int, depth: int) -> tuple[list, set[int]]:
    """A repetition as the union of its body repeated low .. low + depth times (longer runs add nothing the
    first `depth` characters could show)."""
    top = low + depth if high == sre_constants.MAXREPEAT else min(high, low + depth)
    positions: list = [set() for _ in range(depth)]
    lengths: set[int] = set()
    for times in range(low, top + 1):
        run_positions, run_lengths = _summary(list(body) * times, flags, depth)
        for j, allowed in enumerate(run_positions):
            _merge(positions, j, allowed)
        lengths |= run_lengths
    return positions, lengths


def guard_text(pattern: re.Pattern[str]) -> str:
    """The look-ahead every match of `pattern` passes (character classes of its first characters), or ""."""
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
        positions, lengths = _summary(list(tree), tree.state.flags, DEPTH)
    except (re.error, RecursionError):
        return ""
    shortest = min(lengths, default=DEPTH)  # a match may end there: the guard tests no character past it
    classes = []
    for allowed in positions[:shortest]:
        if allowed is ANY or not allowed:
            break
        classes.append("[" + "".join(sorted(allowed)) + "]")
    if not classes:
        return ""
    looks = f"(?={''.join(classes)})"
    if not _opens_at_boundary(list(tree)):
        return f"(?-i:{looks})"
    # Every match opens at a word boundary: the positions inside words fail that test at once (a first class of
    # letters lets them all through to the pattern's branches); tested after a narrower class (which most fail).
    return f"(?-i:\\b{looks})" if _broad(classes[0]) else f"(?-i:{looks}\\b)"


#: A first class that lets this many ASCII characters through (a whole alphabet) is no sieve inside words.
BROAD = 26


def _broad(items: str) -> bool:
    """Whether a guard's class (its source) lets at least BROAD ASCII characters through."""
    test = re.compile(items)
    return sum(bool(test.match(chr(code))) for code in range(128)) >= BROAD


#: Flags that change what `\b` means: a group that sets or clears one cannot lend its `\b` to the guard.
_BOUNDARY_FLAGS = re.ASCII | re.LOCALE | re.UNICODE


def _opens_at_boundary(items: list) -> bool:
    """Whether every match of a sequence of parsed nodes starts at a word boundary: a `\b` among its leading
    zero-width nodes, or a first group (every branch of it, a repeat at least once) that opens with one."""
    for op, av in items:
        name = str(op)
        if name == "AT" and str(av) == "AT_BOUNDARY":
            return True
        if name in _ZERO_WIDTH:
            continue  # another test of the same position: look further
        if name == "SUBPATTERN":
            _, add, remove, body = av
            return not (add | remove) & _BOUNDARY_FLAGS and _opens_at_boundary(list(body))
        if name == "ATOMIC_GROUP":
            return _opens_at_boundary(list(av))
        if name == "BRANCH":
            return all(_opens_at_boundary(list(branch)) for branch in av[1])
        if name in _REPEATS:
            low, _, body = av
            return low >= 1 and _opens_at_boundary(list(body))
        return False
    return False


@functools.lru_cache(maxsize=4096)
def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` with its guard in front (the same matches, found faster), or `pattern` itself when it has
    no guard or already opens with a plain character test the engine skips by."""
    key = (pattern.pattern, pattern.flags)
    source = GUARDS.load().get(key)
    if source is None:
        source = _guarded_source(pattern)
        GUARDS.put(key, source)
    return re.compile(source, pattern.flags) if source else pattern


def _guarded_source(pattern: re.Pattern[str]) -> str:
    """The source of `pattern` with its guard in front, or "" when it keeps none."""
    guard = guard_text(pattern)
    if not guard or _opens_plainly(pattern):
        return ""
    tail = "\n" if pattern.flags & re.VERBOSE else ""  # a verbose pattern may end in a comment
    source = f"{guard}(?:{pattern.pattern}{tail})"
    try:
        re.compile(source, pattern.flags)
    except re.error:  # a global inline flag that must stay first, for one
        return ""
    return source


def guard_patterns(holder: object) -> None:
    """Put its guard in front of every compiled pattern an object holds as an attribute (the same matches)."""
    for name, value in vars(holder).items():
        if isinstance(value, re.Pattern):
            setattr(holder, name, guarded(value))


def _opens_plainly(pattern: re.Pattern[str]) -> bool:
    """Whether the pattern opens with a character test the engine already skips by: a plain class, or a
    literal (also inside a group), which the engine finds as a prefix. (A branch of case-blind literals is
    no such test: the guard's classes beat it.)"""
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    return _opens_with_literal(list(tree), top=True)


def _opens_with_literal(items: list, top: bool = False) -> bool:
    """Whether a sequence of parsed nodes opens with a literal (or, at the top, any plain class)."""
    if not items:
        return False
    op, av = items[0]
    name = str(op)
    if name == "LITERAL" or top and name == "IN":
        return True
    if name == "SUBPATTERN":
        return _opens_with_literal(list(av[-1]), top)
    return False
