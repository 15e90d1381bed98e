"""What loading a rules folder need not redo for the same files: their TOML parsed, their regexes found safe.

Both are kept in the user cache (audit.cache) and only save time: a rule file's parsed TOML is named by a
digest of its bytes, the safe regexes by this code's digest (a new `safety.py` checks them all again), and
an entry that cannot be read is ignored. A rule file that fails to parse or a regex found unsafe is never
cached, so its error is raised, naming the file and key, on every run.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import tomllib
from typing import Any

from audit.cache import entry_path, kept_table, write_atomic
from audit.rules.safety import backtracking_problem


def parsed_toml(data: bytes) -> dict[str, Any]:
    """`tomllib.loads` of a rule file's bytes (UTF-8), from the user cache when the same bytes were parsed before."""
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as Path.read_text reads it
    return kept_table(entry_path("toml", hashlib.sha256(data).hexdigest(), code=False), lambda: tomllib.loads(text))


class KnownSafe:
    """The rule regexes `backtracking_problem` found nothing wrong with, with this code (see `save`)."""

    def __init__(self) -> None:
        self._safe: set[str] | None = None
        self._new = False

    def _load(self) -> set[str]:
        if self._safe is None:
            self._safe = set()
            path = entry_path("safe-regexes")
            try:
                found = marshal.loads(path.read_bytes()) if path is not None else None
            except (OSError, ValueError, EOFError, TypeError):
                found = None
            if isinstance(found, set | frozenset):
                self._safe = {item for item in found if isinstance(item, str)}
        return self._safe

    def problem(self, pattern: re.Pattern[str]) -> str:
        """`backtracking_problem(pattern)`, answered from the cache for a regex already found safe."""
        key = f"{pattern.flags}\0{pattern.pattern}"
        safe = self._load()
        if key in safe:
            return ""
        problem = backtracking_problem(pattern)
        if not problem:
            safe.add(key)
            self._new = True
        return problem

    def save(self) -> None:
        """Keep the regexes found safe so far in the cache (when any are new)."""
        path = entry_path("safe-regexes")
        if self._new and path is not None and self._safe is not None:
            write_atomic(path, marshal.dumps(frozenset(self._safe)))
            self._new = False
