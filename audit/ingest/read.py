"""Reading a page file: its bytes (size limit), decoding them safely, and refusing binary data."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from audit.errors import AuditError

SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
# A saved news page is a few hundred KB at most; anything this big is not one page and would hold up
# every later stage, so it is refused with a clear line (the other files are still read).
MAX_BYTES = 16 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """A file's bytes; files over MAX_BYTES and unreadable files raise AuditError naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise AuditError(
                f"{path.name}: {size / (1024 * 1024):.0f} MB is over the {MAX_BYTES // (1024 * 1024)} MB limit "
                "for one page; not read"
            )
        return path.read_bytes()
    except OSError as exc:
        raise AuditError(f"{path.name}: cannot read: {exc.strerror}") from None


_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode(path: Path, data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode a file's bytes: a UTF-16/32 byte-order mark, else UTF-16 without one (told by its NUL
    bytes), else UTF-8 (BOM dropped), else the charset an HTML page declares, else cp1252 with a
    warning; refuse empty and binary data."""
    if not data.strip():
        raise AuditError(f"{path.name}: empty file")
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise AuditError(
                    f"{path.name}: starts with a {codec.upper()} byte-order mark but is not {codec.upper()} "
                    f"(bad byte at {exc.start})"
                ) from None
            return _checked_text(path, text), ()
    if b"\x00" in data[:8192]:
        codec = _utf16_without_bom(data)
        if codec:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise AuditError(f"{path.name}: binary file (NUL bytes), not text") from None
            return _checked_text(path, text), (f"{path.name}: no byte-order mark; read as {codec.upper()}",)
        raise AuditError(f"{path.name}: binary file (NUL bytes), not text")
    try:
        return _checked_text(path, data.decode("utf-8-sig")), ()
    except UnicodeDecodeError as exc:
        position = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
    declared = _HTML_CHARSET.search(data[:4096]) if path.suffix.lower() in HTML_SUFFIXES else None
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            if codecs.lookup(name).name.startswith(("utf-16", "utf-32")):
                raise LookupError(name)  # the tag was read as ASCII bytes, so the page cannot be UTF-16/32
            return _checked_text(path, data.decode(name)), ()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall back like a text file
    mixed, stray = _mostly_utf8(data.removeprefix(codecs.BOM_UTF8))
    if mixed is not None:
        warning = f"{path.name}: {stray} byte(s) not UTF-8 (the first at {position}); those read as cp1252"
        return _checked_text(path, mixed), (warning,)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise AuditError(f"{path.name}: not UTF-8 (bad byte at {position}) and not cp1252 either") from None
    return _checked_text(path, text), (f"{path.name}: not UTF-8 (bad byte at {position}); read as cp1252",)


def _stray_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as cp1252 (U+FFFD where cp1252 has none)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("audit-stray-cp1252", _stray_as_cp1252)


def _mostly_utf8(data: bytes) -> tuple[str | None, int]:
    """A UTF-8 page with a few bytes that are not (a stray cp1252 quote pasted in, a save cut off in the
    middle of a character): the UTF-8 read as UTF-8 and only the stray bytes as cp1252, so that its
    other accents, quotes and dashes are not all garbled; and the number of stray bytes. None when the
    page holds no valid non-ASCII UTF-8 at all (then it is a cp1252 page). One pass each, linear."""
    valid = data.decode("utf-8", errors="ignore")
    if valid.isascii():
        return None, 0
    return data.decode("utf-8", errors="audit-stray-cp1252"), len(data) - len(valid.encode("utf-8"))


def _utf16_without_bom(data: bytes) -> str:
    """ "utf-16-le" or "utf-16-be" when the bytes look like UTF-16 text without a byte-order mark (most
    characters of a news page are Latin, so every other byte is NUL and the others are not), else ""."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if len(data) % 2 or pairs < 2:
        return ""
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if odd * 2 >= pairs and even * 50 <= pairs:
        return "utf-16-le"
    if even * 2 >= pairs and odd * 50 <= pairs:
        return "utf-16-be"
    return _utf16_of_another_script(sample[: 2 * pairs])


def _utf16_of_another_script(sample: bytes) -> str:
    """ "utf-16-le" or "-be" for UTF-16 text in a script other than Latin (Arabic, Hebrew, Cyrillic, CJK),
    where few bytes are NUL: the reading whose text has ASCII spaces and line breaks between its words and
    hardly a character no text holds (a control, unassigned, private or a lone surrogate); else "".
    Read the wrong way round, an ASCII space becomes U+2000 and a line break U+0A00: no ASCII white space."""
    best, best_spaces = "", 0
    for codec in ("utf-16-le", "utf-16-be"):
        text = sample.decode(codec, errors="replace")
        spaces = sum(text.count(c) for c in " \n")
        odd = sum(1 for c in text if unicodedata.category(c) in _NOT_TEXT and c not in "\t\n\r\f")
        if spaces * 30 >= len(text) and odd * 100 <= len(text) and spaces > best_spaces:
            best, best_spaces = codec, spaces
    return best


_NOT_TEXT = {"Cc", "Cn", "Co", "Cs"}  # U+FFFD (a bad pair) is "So": counted by the strict decode later


# Control characters that never occur in a saved page (tab, line breaks and form feed do).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _checked_text(path: Path, text: str) -> str:
    """Decoded text, refused when it is blank or reads as binary (NULs, or many control characters)."""
    if not text.strip():
        raise AuditError(f"{path.name}: empty file")
    if "\x00" in text:
        raise AuditError(f"{path.name}: binary file (NUL characters), not text")
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    if controls >= 4 and controls * 50 > len(sample):
        raise AuditError(
            f"{path.name}: binary file ({controls} control characters in its first {len(sample)}), not text"
        )
    return text
