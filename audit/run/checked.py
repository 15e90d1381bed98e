"""Rule examples checked once per rules and code: a stamp file remembers a check that passed.

Every run checks that each rule's examples still come out as written (a broken rule stops the run
before any page is read). The outcome depends only on the rule files and on the code, so a check
that passed is remembered by a stamp named after both: the rules' content digest and the size and
modification time of every module of the package. A new rule file, an edited one or changed code
checks again. The stamps live in $AUDIT_CACHE, else $XDG_CACHE_HOME/audit, else ~/.cache/audit; where
none can be written, every run checks.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import audit

_PACKAGE = Path(audit.__file__).resolve().parent


def _cache() -> Path:
    """The folder of the stamps."""
    if os.environ.get("AUDIT_CACHE"):
        return Path(os.environ["AUDIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audit"


def _code_digest() -> str:
    """A digest of the package's code: each module's path, size and modification time."""
    digest = hashlib.sha256(audit.__version__.encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(_PACKAGE)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def checked_once(rules_digest: str, check: Callable[[], None]) -> None:
    """Run `check` (which raises when the rules are broken) unless it passed before for these rules and code."""
    if not rules_digest:
        check()
        return
    try:
        stamp = _cache() / f"examples-{hashlib.sha256((rules_digest + _code_digest()).encode()).hexdigest()[:32]}"
        if stamp.exists():
            return
    except OSError:
        stamp = None
    check()
    if stamp is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text("the rule examples passed with these rules and this code\n", encoding="utf-8")
        except OSError:
            pass  # no cache: the next run checks again
