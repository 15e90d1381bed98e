"""A user cache of work a run need not repeat: a rules folder's examples checked, words looked up.

The cache lives in `$XDG_CACHE_HOME/audit` (`~/.cache/audit` when unset); `AUDIT_CACHE=off` turns it off.
It only ever saves time: each entry is named by a digest of everything its content depends on (the rule
files, the code of this package, the Python and library versions), so a stale entry is never read, only
left behind; entries are written whole (a temporary file renamed into place) so concurrent runs never see
half an entry; and an entry that cannot be read or written is ignored (the work is done again).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
#: The libraries whose answers the cached work depends on (a new version makes every entry stale).
LIBRARIES = ("dateparser", "polars", "regex", "simplemma", "trafilatura", "wordfreq")


def cache_dir() -> Path | None:
    """The folder of the cache, or None when `AUDIT_CACHE=off`."""
    if os.environ.get("AUDIT_CACHE", "").lower() in ("off", "0", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audit"


@functools.cache
def library_version(name: str) -> str:
    """The installed version of a library ('none' when it is not installed): from the name of its
    `NAME-VERSION.dist-info` folder on the path (what pip installs; a millisecond for all the libraries),
    else as importlib.metadata reads it (some milliseconds a library)."""
    wanted = _normalised(name)
    for folder in filter(None, sys.path):  # not "" (the working folder, perhaps of 100,000 pages)
        for entry in _dist_infos(folder):
            distribution, _, version = entry.removesuffix(".dist-info").partition("-")
            if version and _normalised(distribution) == wanted:
                return version
    from importlib import metadata  # 20 ms to import: not for `audit --help`

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


@functools.cache
def _dist_infos(folder: str) -> tuple[str, ...]:
    """The names of the .dist-info folders in a folder of the path, sorted (none for a zip or a missing folder)."""
    try:
        return tuple(sorted(entry for entry in os.listdir(folder) if entry.endswith(".dist-info")))
    except OSError:
        return ()


def _normalised(name: str) -> str:
    """A distribution's name as PEP 503 compares names: runs of "-", "_" and "." one "-", lower case."""
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def code_digest() -> str:
    """A digest of this package's code and of the Python and library versions it runs on."""
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        digest.update(f"{name}={library_version(name)};".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_path(kind: str, *parts: str, code: bool = True) -> Path | None:
    """Where the entry of `kind` for these parts (digests, versions) is, or None (cache off); with `code`,
    for this code too (`code_digest`), else for this Python only (the parts name the library versions)."""
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256("\0".join((code_digest() if code else sys.version, *parts)).encode()).hexdigest()
    return folder / kind / key[:40]


def has_stamp(kind: str, *parts: str) -> bool:
    """Whether a run with this code already recorded `kind` for these parts (see `write_stamp`)."""
    path = entry_path(kind, *parts)
    try:
        return path is not None and path.is_file()
    except OSError:
        return False


def write_stamp(kind: str, *parts: str) -> None:
    """Record that `kind` is done for these parts and this code (nothing when the cache cannot be written)."""
    path = entry_path(kind, *parts)
    if path is not None:
        write_atomic(path, b"ok\n")


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `path` whole (a temporary file beside it, renamed into place); False when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def kept_table(path: Path | None, make: Callable[[], dict]) -> dict:
    """The table (a dict marshal writes) kept at `path` in the user cache, else `make()`'s, kept there for next time.

    An entry that cannot be read is made again; a table marshal cannot write (a TOML date) is just not kept.
    """
    if path is not None:
        try:
            table = marshal.loads(path.read_bytes())
            if isinstance(table, dict):
                return table
        except (OSError, ValueError, EOFError, TypeError):
            pass
    table = make()
    if path is not None:
        with contextlib.suppress(ValueError):  # a value marshal cannot write (a TOML date): made next time again
            write_atomic(path, marshal.dumps(table))
    return table


class KeptTable:
    """A table kept whole in one user-cache entry (marshal): read on first use, written by `save` when it grew.

    For many small answers a run asks for again and again (a regex's compiled form, its guard): one file
    read instead of one per answer. Past `limit` entries (rules edited again and again) it starts afresh.
    """

    def __init__(self, kind: str, *parts: str, code: bool = True, limit: int = 20_000) -> None:
        self.kind, self.parts, self.code, self.limit = kind, parts, code, limit
        self.table: dict | None = None
        self.new = False

    def path(self) -> Path | None:
        """The entry's file, or None (cache off)."""
        return entry_path(self.kind, *self.parts, code=self.code)

    def load(self) -> dict:
        """The kept table, read from the cache the first time (empty when there is none or it is unreadable)."""
        if self.table is None:
            self.table = {}
            path = self.path()
            try:
                found = marshal.loads(path.read_bytes()) if path is not None else None
            except (OSError, ValueError, EOFError, TypeError):
                found = None
            if isinstance(found, dict):
                self.table = found
        return self.table

    def put(self, key: object, value: object) -> None:
        """Keep a new answer (written by the next `save`)."""
        self.load()[key] = value
        self.new = True

    def save(self) -> None:
        """Write the table when it holds new answers (nothing when the cache cannot be written)."""
        path = self.path()
        if self.new and path is not None and self.table is not None:
            if len(self.table) > self.limit:
                self.table = {}
            with contextlib.suppress(ValueError):  # a value marshal cannot write: not kept
                write_atomic(path, marshal.dumps(self.table))
        self.new = False
