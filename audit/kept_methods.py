"""The methods `dataclasses` writes for this package's classes, kept compiled in the user cache.

Python writes each dataclass's `__init__`, `__repr__`, `__eq__`, `__hash__` (and a frozen one's `__setattr__`
and `__delattr__`) as source text and compiles it as the class is made: for this package's seventy frozen
classes some 0.06 s of every run, more than the rest of their modules' code (and 0.01 s for polars' and rich's,
made as they are imported). Once `install`ed, the text of a method of a class of these packages is compiled
once per Python and kept (a code object, as a .pyc holds it): the same text gives the same code, so the classes
are the ones `dataclasses` makes. The table is written when the process ends, when it learnt a new text.
Other packages' classes are compiled as ever.
"""

import atexit
import builtins
import dataclasses
import types

from audit.cache import KeptTable

#: Source text of a method -> its code object, for this Python (marshal's format is the Python's own).
_KEPT = KeptTable("dataclass-methods", code=False)
#: The packages whose classes are kept: this one, and the libraries every run imports (their classes made once,
#: at import: a fixed set of texts).
PACKAGES = frozenset({__name__.partition(".")[0], "polars", "rich"})


def install() -> None:
    """Have `dataclasses` compile the methods of the classes of PACKAGES through the kept table (once)."""
    if getattr(dataclasses, "exec", None) is not _exec:
        dataclasses.exec = _exec  # the module's `exec(text, globals, ns)` finds this before the builtin
        atexit.register(_KEPT.save)  # writes nothing when no text was new


def _exec(source, globals=None, locals=None, /):
    """`exec` as dataclasses calls it, the text compiled as dataclasses' own `exec` compiles it (no
    `__future__` flags: dataclasses has none), from the kept table for a class of PACKAGES."""
    if not isinstance(source, str):
        return builtins.exec(source, globals, locals)
    ours = isinstance(globals, dict) and str(globals.get("__name__", "")).partition(".")[0] in PACKAGES
    code = _KEPT.load().get(source) if ours else None
    if not isinstance(code, types.CodeType):
        code = compile(source, "<string>", "exec", dont_inherit=True)
        if ours:
            _KEPT.put(source, code)
    return builtins.exec(code, globals, locals)
