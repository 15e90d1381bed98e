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

import contextlib
import marshal
import re
import threading
from collections.abc import Iterator

from audit.cache import entry_path, write_atomic

try:  # CPython's own modules: without them (another Python) nothing is kept
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python
    _sre = _compiler = _parser = None

#: A cap on the kept patterns: a folder of rules edited again and again starts a fresh entry past it.
MAX_KEPT = 20_000
_LOCK = threading.Lock()


class _Kept:
    """The kept patterns of this process: (pattern, flags) -> what `_sre.compile` takes besides them."""

    def __init__(self) -> None:
        self.table: dict | None = None
        self.new = False
        self.depth = 0
        self.original = None

    def load(self) -> dict:
        """The kept table, read from the cache the first time (empty when there is none)."""
        if self.table is None:
            self.table = {}
            path = _path()
            try:
                found = marshal.loads(path.read_bytes()) if path is not None else None
            except (OSError, ValueError, EOFError, TypeError):
                found = None
            if isinstance(found, dict):
                self.table = found
        return self.table

    def save(self) -> None:
        """Write the table when it holds new patterns (nothing when the cache cannot be written)."""
        path = _path()
        if self.new and path is not None and self.table is not None:
            if len(self.table) > MAX_KEPT:
                self.table = {}
            with contextlib.suppress(ValueError):  # a value marshal cannot write: not kept
                write_atomic(path, marshal.dumps(self.table))
        self.new = False


_KEPT = _Kept()


def _path():
    """The cache entry of this Python's compiled patterns, or None (cache off)."""
    return entry_path("regexes", f"{_sre.MAGIC}", f"{_sre.CODESIZE}", code=False)


def _compile(pattern, flags=0):
    """`re._compiler.compile`, from the kept table when this pattern was compiled before."""
    if not isinstance(pattern, str) or flags & re.DEBUG:
        return _KEPT.original(pattern, flags)
    table = _KEPT.load()
    key = (pattern, flags)
    kept = table.get(key)
    if kept is not None:
        try:
            return _sre.compile(pattern, *kept)
        except (TypeError, ValueError, RuntimeError):
            pass  # an entry this engine does not take: compiled again below
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses marshal refuses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    kept = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    compiled = _sre.compile(pattern, *kept)
    table[key] = kept
    _KEPT.new = True
    return compiled


@contextlib.contextmanager
def kept_regexes() -> Iterator[None]:
    """Within: `re` builds a pattern it compiled before on this Python from the user cache (see the module)."""
    if _sre is None or _path() is None or not hasattr(_compiler, "_code") or not hasattr(_compiler, "compile"):
        yield
        return
    with _LOCK:
        if _KEPT.depth == 0:
            _KEPT.original = _compiler.compile
            _compiler.compile = _compile
        _KEPT.depth += 1
    try:
        yield
    finally:
        with _LOCK:
            _KEPT.depth -= 1
            if _KEPT.depth == 0:
                _compiler.compile = _KEPT.original
                _KEPT.save()

