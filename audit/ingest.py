"""Ingest: read a corpus folder (txt, html, sources.toml), decode safely, clean, split, keep offsets.

Every span this stage hands on is a pair of offsets into `Document.text`, the file's decoded text, so
that a claim's words can always be cut back out of the original.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from audit.errors import AuditError
from audit.model import Article, Corpus, Document, Source
from audit.rules import RuleSet

SUFFIXES = (".txt", ".html", ".htm")
MANIFEST = "sources.toml"
MAX_BYTES = 64 * 1024 * 1024  # larger files are refused with a clear line rather than read
_MANIFEST_KEYS = {"file", "outlet", "url", "published", "timezone", "id"}

# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by space and a capital,
# a quote or a digit. Abbreviations such as "Jan." or "Gen." are protected below.
_SENTENCE_END = re.compile(
    r"""(?<=[.!?])["'”’)\]]*   # end punctuation, maybe closed by quotes or brackets
        \s+                    # the gap between sentences
        (?=["'“‘(\[]?[A-Z0-9]) # the next sentence starts with a capital or a digit
    """,
    re.VERBOSE,
)
_ABBREVIATION = re.compile(
    r"""(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt
           |Adm|Gov|Sen|Rep|St|Mt|No|Nos|Inc|Corp|Co|Ltd|vs|U\.S|U\.N|U\.K|a\.m|p\.m)\.)$""",
    re.VERBOSE,
)


def decode(path: Path, data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode a file's bytes: UTF-8 (BOM dropped), else cp1252 with a warning; refuse binary data."""
    if not data.strip():
        raise AuditError(f"{path.name}: empty file")
    if b"\x00" in data[:8192]:
        raise AuditError(f"{path.name}: binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise AuditError(f"{path.name}: not UTF-8 (bad byte at {position}) and not cp1252 either") from None
    return text, (f"{path.name}: not UTF-8 (bad byte at {position}); read as cp1252",)


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Read `sources.toml` (if any): file name -> its entry; a broken manifest raises AuditError."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AuditError(f"{MANIFEST}: not valid TOML: {exc}") from None
    entries = raw.get("source", [])
    if not isinstance(entries, list):
        raise AuditError(f"{MANIFEST}: 'source' must be an array of tables ([[source]])")
    manifest: dict[str, dict[str, str]] = {}
    for number, entry in enumerate(entries, 1):
        where = f"{MANIFEST}, [[source]] #{number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise AuditError(f"{where}: needs a 'file' string")
        unknown = set(entry) - _MANIFEST_KEYS
        if unknown:
            raise AuditError(f"{where}: unknown key '{sorted(unknown)[0]}'")
        manifest[entry["file"]] = {key: str(value) for key, value in entry.items()}
    return manifest


def _lines(text: str) -> Iterable[tuple[int, int]]:
    """Spans of the non-blank lines of a text, stripped of surrounding white space."""
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            start = match.start() + (len(line) - len(line.lstrip()))
            yield start, start + len(stripped)


def _is_boilerplate(line: str, rules: RuleSet) -> bool:
    """Whether a whole line is page furniture by the boilerplate rules."""
    return any(rule.get("pattern").search(line) for rule in rules.rules("boilerplate", "line"))


def sentences(text: str, spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Split each span of text into sentence spans, keeping offsets."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cursor = start
        for match in _SENTENCE_END.finditer(text, start, end):
            if _ABBREVIATION.search(text[max(cursor, match.start() - 8) : match.start()]):
                continue
            out.append((cursor, match.start()))
            cursor = match.end()
        if cursor < end:
            out.append((cursor, end))
    return tuple((s, e) for s, e in out if text[s:e].strip())


def split_articles(text: str, rules: RuleSet) -> tuple[Article, ...]:
    """Clean a page into body lines: drop boilerplate lines and lines repeated verbatim (captions)."""
    spans = list(_lines(text))
    counts = Counter(text[s:e] for s, e in spans)
    body = []
    headline = ""
    for start, end in spans:
        line = text[start:end]
        if not headline:
            headline = line
            continue
        if counts[line] > 1 or _is_boilerplate(line, rules):
            continue
        body.append((start, end))
    end = len(text)
    return (Article(1, headline, 0, end, tuple(body), sentences(text, body)),)


def make_source(path: Path, entry: dict[str, str]) -> Source:
    """The Source of a file from its manifest entry (file stem as id unless the manifest gives one)."""
    return Source(
        file=path.name,
        source_id=entry.get("id", path.stem),
        outlet=entry.get("outlet", ""),
        url=entry.get("url", ""),
        published=entry.get("published", ""),
        timezone=entry.get("timezone", ""),
    )


def read_document(path: Path, entry: dict[str, str], rules: RuleSet) -> Document:
    """Read, decode and split one file; raise AuditError naming the file when it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise AuditError(
                f"{path.name}: {size // (1024 * 1024)} MB is over the {MAX_BYTES // (1024 * 1024)} MB limit"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise AuditError(f"{path.name}: cannot read: {exc.strerror}") from None
    text, warnings = decode(path, data)
    source = make_source(path, entry)
    published_from = "manifest" if source.published else ""
    articles = tuple(
        replace(a, published=source.published, published_from=published_from) for a in split_articles(text, rules)
    )
    return Document(source, text, articles, warnings)


def read_corpus(folder: str | Path, rules: RuleSet) -> Corpus:
    """Read every txt/html file of a folder; bad files become warnings, a bad folder an AuditError."""
    path = Path(folder)
    if not path.is_dir():
        raise AuditError(f"{path}: folder not found")
    manifest = read_manifest(path)
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    warnings = [
        f"{MANIFEST}: '{name}' is not in the folder" for name in sorted(manifest) if not (path / name).is_file()
    ]
    documents: list[Document] = []
    for file in files:
        try:
            documents.append(read_document(file, manifest.get(file.name, {}), rules))
        except AuditError as exc:
            warnings.append(str(exc))
    if not documents:
        reason = "; ".join(warnings) if warnings else "no .txt or .html files"
        raise AuditError(f"{path}: nothing to audit ({reason})")
    return Corpus(str(path), tuple(assign_stories(documents)), {}, tuple(warnings))


def assign_stories(documents: list[Document]) -> list[Document]:
    """Give every article a story id (one story per article until stories are clustered)."""
    out = []
    for doc in documents:
        articles = tuple(replace(a, story=f"{doc.source.source_id}#{a.index}") for a in doc.articles)
        out.append(replace(doc, articles=articles))
    return out
