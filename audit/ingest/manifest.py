"""sources.toml: reading and checking the manifest, and the Source of a file from its entry."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from audit.errors import AuditError
from audit.ingest.published import _iso_minutes, _zone, check_published
from audit.model import Source

MANIFEST = "sources.toml"
_MANIFEST_KEYS = {"file", "outlet", "url", "published", "timezone", "id"}


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Read `sources.toml` (if any): file name -> its entry.

    A manifest that is wrong in its shape stops the run with an AuditError, because it says who
    published what and a guess would put claims under the wrong outlet: not TOML or not UTF-8, an
    unknown table or key, a value of the wrong type, an entry without a file, two entries for one
    file, two sources with one id. A value of the right type that cannot be used (a date that does
    not parse, an unknown zone, a file that is not in the folder) is a warning and is left out.
    """
    path = folder / MANIFEST
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AuditError(f"{MANIFEST}: cannot read: {exc.strerror}") from None
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise AuditError(f"{MANIFEST}: not UTF-8 (bad byte at {exc.start}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise AuditError(f"{MANIFEST}: not valid TOML: {exc}") from None
    unknown_tables = sorted(set(raw) - {"source"})
    if unknown_tables:
        raise AuditError(f"{MANIFEST}: unknown key '{unknown_tables[0]}' (a manifest holds [[source]] tables only)")
    entries = raw.get("source", [])
    if not isinstance(entries, list):
        raise AuditError(f"{MANIFEST}: 'source' must be an array of tables ([[source]])")
    manifest: dict[str, dict[str, str]] = {}
    first: dict[tuple[str, str], int] = {}  # ("file" or "id", value) -> the entry that holds it
    for number, entry in enumerate(entries, 1):
        where = f"{MANIFEST}, [[source]] #{number}"
        if not isinstance(entry, dict) or "file" not in entry:
            raise AuditError(f"{where}: needs a 'file' string")
        unknown = set(entry) - _MANIFEST_KEYS
        if unknown:
            raise AuditError(f"{where}: unknown key '{sorted(unknown)[0]}'")
        for key, value in entry.items():
            _check_manifest_type(where, key, value)
        if entry.get("id", None) == "":
            raise AuditError(f"{where}: 'id' is empty")
        for key in ("file", "id"):
            if key in entry:
                seen = first.setdefault((key, entry[key]), number)
                if seen != number:
                    raise AuditError(f"{where}: {key} '{entry[key]}' is already given by [[source]] #{seen}")
        manifest[entry["file"]] = {key: _manifest_value(value) for key, value in entry.items()}
    return manifest


def _check_manifest_type(where: str, key: str, value: Any) -> None:
    """Raise AuditError when a manifest value has the wrong TOML type (every key is a string; `published`
    may also be a TOML date or date-time)."""
    if isinstance(value, str) or key == "published" and isinstance(value, dt.date):
        return
    kinds = {bool: "a boolean", int: "an integer", float: "a float", list: "an array", dict: "a table"}
    kind = next(
        (name for t, name in kinds.items() if isinstance(value, t)),
        "a time" if isinstance(value, dt.time) else type(value).__name__,
    )
    wanted = "a string or a date (2020-01-17, 2020-01-17T00:47+05:30)" if key == "published" else "a string"
    raise AuditError(f"{where}: '{key}' must be {wanted}, not {kind} ({value!r})")


def _manifest_value(value: Any) -> str:
    """A manifest value as text (TOML dates and datetimes in ISO form)."""
    if isinstance(value, dt.datetime):
        return _iso_minutes(value)
    return value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)


def make_source(path: Path, entry: dict[str, str]) -> tuple[Source, tuple[str, ...]]:
    """The Source of a file from its manifest entry (file stem as id), and warnings on bad values."""
    warnings = []
    published, timezone = entry.get("published", ""), entry.get("timezone", "")
    if published and not check_published(published):
        warnings.append(f"{MANIFEST}: {path.name}: published '{published}' is not an ISO 8601 date; left empty")
        published = ""
    if timezone and _zone(timezone) is None:
        warnings.append(f"{MANIFEST}: {path.name}: unknown timezone '{timezone}'; ignored")
        timezone = ""
    source = Source(
        file=path.name,
        source_id=entry.get("id", path.stem),
        outlet=entry.get("outlet", ""),
        url=entry.get("url", ""),
        published=published,
        timezone=timezone,
    )
    return source, tuple(warnings)
