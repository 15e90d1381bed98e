"""Rule regexes compiled once per machine: what `re` builds from each pattern kept in the user cache.

Compiling the rules compiles some hundreds of patterns (the rules' own, the word alternations the stages
build from them, their guards); `re` parses and assembles each in pure Python (`re._parser`,
`re._compiler`), a few tenths of a second a process, and only its last step, `_sre.compile`, is the C
engine's. While `kept_regexes()` is open, a pattern `re` compiled before on this Python is built from its
kept opcodes and group names by that last step alone: the same Pattern (equal flags, pattern and code;
tests compare). A new pattern is compiled by `re` as ever and kept when the outermost `kept_regexes()`
closes. The entry is named by the Python version and the engine's MAGIC and CODESIZE; anything unexpected
(another layout of `re`, an entry that cannot be read) falls back to `re` itself.
"""

from __future__ import annotations

import array
import contextlib
import re
import sys
import threading
from collections.abc import Iterator

from audit.cache import KeptTable
from audit.text.guard import GUARDS
from audit.text.literals import LITERALS

try:  # CPython's own modules: without them (another Python) nothing is kept
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python
    _sre = _compiler = _parser = None

_LOCK = threading.Lock()
#: The opcodes are kept as the bytes of an array of this type (one object for marshal to read, not thousands of
#: ints: the table of a thousand patterns loads in a millisecond, not twenty): the engine's code word.
_WORD = next((t for t in "IL" if array.array(t).itemsize == getattr(_sre, "CODESIZE", 0)), "")
#: (pattern, flags) -> what `_sre.compile` takes besides the pattern: flags, opcodes (as bytes), groups and
#: their names
#: ("2": a table no longer holding quantulum3's patterns, see _UNSTABLE, which made the first one 16 MB, read every run)
_KEPT = KeptTable(
    "regexes", "2", f"{getattr(_sre, 'MAGIC', '')}", f"{getattr(_sre, 'CODESIZE', '')}", _WORD, code=False
)
#: A pattern whose opcodes take more bytes than this is not kept: the table is read whole by every run, and
#: such a pattern (a library's list of every unit name) costs more to read back than most runs save by it.
MAX_KEPT_CODE = 256_000
_DEPTH = [0]  # open kept_regexes() blocks
_ORIGINAL = [getattr(_compiler, "compile", None)]  # re's own compile, restored when the outermost block closes


def _compile(pattern, flags=0):
    """`re._compiler.compile`, from the kept table when this pattern was compiled before."""
    if not isinstance(pattern, str) or flags & re.DEBUG:
        return _ORIGINAL[0](pattern, flags)
    key = (pattern, flags)
    kept = _KEPT.load().get(key)
    if kept is not None:
        try:
            flags_kept, code, *groups = kept
            return _sre.compile(pattern, flags_kept, array.array(_WORD, code).tolist(), *groups)
        except (TypeError, ValueError, RuntimeError):
            pass  # an entry this engine does not take: compiled again below
    if _asked_from_unstable():
        return _ORIGINAL[0](pattern, flags)
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses marshal refuses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    groups = (parsed.state.groups - 1, groupindex, tuple(indexgroup))
    compiled = _sre.compile(pattern, int(flags | parsed.state.flags), code, *groups)
    kept_code = array.array(_WORD, code).tobytes()
    if len(kept_code) <= MAX_KEPT_CODE:
        _KEPT.put(key, (int(flags | parsed.state.flags), kept_code, *groups))
    return compiled


#: Modules (and packages) whose patterns differ from process to process, never kept: tokenize builds one from
#: a set of string prefixes, quantulum3 one from its unit names, in the order of the process's string hashes
#: (each would add an entry every run: quantulum3's, 1.5 MB of opcodes).
_UNSTABLE = frozenset({"tokenize", "quantulum3"})


def _asked_from_unstable() -> bool:
    """Whether the pattern being compiled was asked for by a module of _UNSTABLE (the first caller outside re)."""
    frame = sys._getframe(1)
    while frame is not None and _in_re(frame.f_globals.get("__name__", "")):
        frame = frame.f_back
    name = frame.f_globals.get("__name__") or "" if frame is not None else ""
    return name in _UNSTABLE or name.partition(".")[0] in _UNSTABLE


def _in_re(module: str) -> bool:
    return module in ("re", __name__) or module.startswith("re.")


@contextlib.contextmanager
def kept_regexes() -> Iterator[None]:
    """Within: `re` builds a pattern it compiled before on this Python from the user cache (see the module);
    the kept tables (these, the guards' and the required literals', audit.text) are written when the outermost
    block closes."""
    if not _WORD or _KEPT.path() is None or not hasattr(_compiler, "_code") or _ORIGINAL[0] is None:
        yield
        return
    with _LOCK:
        if _DEPTH[0] == 0:
            _ORIGINAL[0] = _compiler.compile
            _compiler.compile = _compile
        _DEPTH[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH[0] -= 1
            if _DEPTH[0] == 0:
                _compiler.compile = _ORIGINAL[0]
                _KEPT.save()
                GUARDS.save()
                LITERALS.save()
