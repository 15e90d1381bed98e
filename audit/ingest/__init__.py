"""Ingest: read a corpus folder (txt, html, sources.toml), decode safely, clean, split, keep offsets.

Every span this stage hands on is a pair of offsets into `Document.text`: the file's decoded text for a
`.txt` page, the main text trafilatura extracts for an `.html` page. A claim's words can always be cut
back out of it.

What a page holds is decided by `rules/boilerplate.toml`: which lines are furniture, where articles
begin and where the sidebar starts, where a publication date is printed, and the thresholds for copies
(shared word shingles) and stories (TF-IDF cosines of words, headline, names, figures and dates).

Publication dates. `published` in sources.toml is the date of the page's first article (the page's
own story). The page is split where a new story begins, so later articles on it are other stories:
they get a date only when one is printed in their own part of the page. Without a manifest date, a
date printed on the page is used (dateline rules, or an HTML page's published-time meta tag) and
`published_from` says which. A date that cannot be established stays empty, with a warning when it
was ambiguous.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import logging
import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from audit.errors import AuditError, debugging, unexpected
from audit.model import Article, Corpus, Document, Source
from audit.rules import Rule, RuleSet

SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MANIFEST = "sources.toml"
# A saved news page is a few hundred KB at most; anything this big is not one page and would hold up
# every later stage, so it is refused with a clear line (the other files are still read).
MAX_BYTES = 16 * 1024 * 1024
_MANIFEST_KEYS = {"file", "outlet", "url", "published", "timezone", "id"}

# A sentence ends at . ! ? or an ellipsis, maybe closed by quotes or brackets, followed by white space
# (NBSP included) and a capital, a digit or an opening quote. Abbreviations are checked in code.
# The punctuation is matched from the start of its run only, and possessively: a line of dots must not
# be tried at every dot of the run (quadratic in its length); what matches is the same.
_SENTENCE_END = re.compile(
    r"""(?<![.!?…])                 # the start of a run of end punctuation
        (?P<stop>[.!?…]++)          # end punctuation
        (?P<close>["'”’)\]]*+)      # closing quotes or brackets belong to the sentence
        (?P<gap>\s++)               # the gap between sentences
        (?=["'“‘(\[]?[A-Z0-9])      # the next sentence starts with a capital or a digit
    """,
    re.VERBOSE,
)
_INITIALS = re.compile(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]")  # "J", "U.S", "a.m": initials and dotted abbreviations
_WORD = re.compile(r"\w+")
_CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")
_ISO_PARTIAL = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_DEFAULT_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")


# --- reading files ------------------------------------------------------------------------------


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
    return ""


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


def check_published(value: str) -> bool:
    """Whether a manifest date is ISO 8601: a date, a partial date ("2024-01") or a datetime."""
    if _ISO_PARTIAL.fullmatch(value):
        try:
            dt.date.fromisoformat(value if len(value) == 10 else value + "-01" * ((10 - len(value)) // 3))
        except ValueError:
            return False
        return True
    if "T" not in value and " " not in value:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _zone(name: str) -> ZoneInfo | None:
    """The zone of an IANA name, None when unknown."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


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


# --- HTML ---------------------------------------------------------------------------------------

_META_DATES = (
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "date"),
)


def html_text(path: Path, html: str) -> tuple[str, str]:
    """The main text of an HTML page (its headline first) and its published-time meta date, if any."""
    import trafilatura

    # trafilatura logs parser complaints; the run reports problems itself, one line per file.
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    logging.getLogger("trafilatura").propagate = False
    try:
        body = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
        if not body.strip():
            body = trafilatura.html2txt(html) or ""
        if not body.strip():
            body = _all_text(html)  # a fragment too broken for trafilatura: keep every text node
    except Exception as exc:  # noqa: BLE001  a parser failure on a broken page must not stop the run
        raise AuditError(f"{path.name}: cannot read HTML: {exc}") from None
    if not body.strip():
        raise AuditError(f"{path.name}: no text found in the HTML")
    title, date = _html_head(html)
    first = body.lstrip().split("\n", 1)[0].strip()
    if title and title != first:
        body = f"{title}\n\n{body}"
    return body, date


def _all_text(html: str) -> str:
    """Every text node of an HTML fragment outside scripts and styles, block by block."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return ""
    for node in tree.xpath("//script|//style|//noscript"):
        node.drop_tree()
    for node in tree.iter("p", "div", "br", "li", "h1", "h2", "h3", "tr"):
        node.tail = "\n" + (node.tail or "")
    return "\n".join(" ".join(line.split()) for line in tree.text_content().splitlines() if line.strip())


def _html_head(html: str) -> tuple[str, str]:
    """The page's headline (h1, og:title or title) and the ISO date of its published-time meta tag."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return "", ""
    title = ""
    for xpath in ("//h1", "//meta[@property='og:title']/@content", "//title"):
        found = tree.xpath(xpath)
        if found:
            title = found[0] if isinstance(found[0], str) else found[0].text_content()
            title = " ".join(title.split())
            if title:
                break
    for attribute, value in _META_DATES:
        for content in tree.xpath(f"//meta[@{attribute}='{value}']/@content"):
            date = _iso_from_meta(str(content).strip())
            if date:
                return title, date
    return title, ""


def _iso_from_meta(value: str) -> str:
    """An ISO date or datetime from a meta tag's content, "" when it is not one."""
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value[:10] if check_published(value[:10]) and len(value) >= 10 else ""
    return _iso_minutes(stamp) if stamp.tzinfo else stamp.date().isoformat()


# --- layout rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """The boilerplate rules of a RuleSet, prepared once: line rules, dateline rules and settings."""

    lines: tuple[Rule, ...]
    datelines: tuple[Rule, ...]
    prefilter: re.Pattern[str] | None  # any line or dateline rule: most lines fail this one test
    settings: dict[str, Any]

    def get(self, key: str, default: Any) -> Any:
        """A setting of boilerplate.toml, or its default."""
        return self.settings.get(key, default)


def layout_of(rules: RuleSet | Layout) -> Layout:
    """The Layout of a RuleSet (a Layout is passed through)."""
    if isinstance(rules, Layout):
        return rules
    lines = rules.rules("boilerplate", "line")
    datelines = rules.rules("boilerplate", "dateline")
    # Named groups are made plain: two datelines may both name a `date` group.
    sources = [re.sub(r"\(\?P<\w+>", "(?:", r.get("pattern").pattern) for r in (*datelines, *lines)]
    # Each pattern is closed by a newline so that a trailing verbose comment cannot swallow the ")".
    try:
        prefilter = re.compile("|".join(f"(?:{p}\n)" for p in sources), re.IGNORECASE | re.VERBOSE) if sources else None
    except re.error:  # a pattern that cannot be combined (inline global flags): test each rule on each line
        prefilter = None
    return Layout(lines, datelines, prefilter, dict(rules.settings.get("boilerplate", {})))


# --- sentences ----------------------------------------------------------------------------------


def sentences(text: str, spans: Iterable[tuple[int, int]], layout: Layout | None = None) -> tuple[tuple[int, int], ...]:
    """Split each span of text into sentence spans (abbreviations kept whole, long ones capped)."""
    abbreviations = frozenset(layout.get("abbreviations", _DEFAULT_ABBREVIATIONS) if layout else _DEFAULT_ABBREVIATIONS)
    cap = layout.get("max_sentence_chars", 1200) if layout else 1200
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cursor = start
        for match in _SENTENCE_END.finditer(text, start, end):
            if match.group("stop") == "." and _is_abbreviation(text, cursor, match.start(), abbreviations):
                continue
            out.extend(_capped(text, cursor, match.end("close"), cap))
            cursor = match.end()
        if cursor < end:
            out.extend(_capped(text, cursor, end, cap))
    return tuple(span for span in (_trim(text, s, e) for s, e in out) if span[0] < span[1])


def _is_abbreviation(text: str, cursor: int, dot: int, abbreviations: frozenset[str]) -> bool:
    """Whether the word before a full stop is an abbreviation (Gen., Jan., U.S., an initial)."""
    begin = dot
    while begin > cursor and not text[begin - 1].isspace():
        begin -= 1
    word = text[begin:dot].lstrip("\"'“‘([")
    return word in abbreviations or bool(_INITIALS.fullmatch(word)) and len(word) <= 5


def _capped(text: str, start: int, end: int, cap: int) -> list[tuple[int, int]]:
    """A sentence span cut at white space into pieces of at most `cap` characters."""
    pieces = []
    while end - start > cap:
        cut = max(text.rfind(" ", start + 1, start + cap), text.rfind("\xa0", start + 1, start + cap))
        cut = cut if cut > start else start + cap
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without surrounding white space (NBSP included)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- cleaning and splitting a page --------------------------------------------------------------


_LINE = re.compile(r"[^\r\n\u2028\u2029]+")


def _lines(text: str) -> Iterable[tuple[int, int]]:
    """Spans of the non-blank lines of a text, stripped of surrounding white space (NBSP included)."""
    # A lone carriage return ends a line too (old Mac files, some CMS exports).
    for match in _LINE.finditer(text):
        start, end = _trim(text, match.start(), match.end())
        if start < end:
            yield start, end


@dataclass(frozen=True)
class DateHit:
    """A dateline rule's match on one line of a page."""

    line: int  # index among the page's non-blank lines
    rule: Rule
    groups: dict[str, str]


@dataclass(frozen=True)
class Page:
    """A page's lines sorted out: what each is, where articles start, which lines print a date."""

    spans: tuple[tuple[int, int], ...]
    furniture: tuple[str, ...]  # per line: "" for text, else why it is not (a rule id, "repeat" ...)
    starts: tuple[tuple[int, int], ...]  # (cue line, headline line) of each article, in order
    ends: frozenset[int]  # lines that close the article they are in (end_article)
    dates: tuple[DateHit, ...]
    limit: int  # number of lines before the sidebar (end_page)


def classify(text: str, layout: Layout) -> Page:
    """Sort out a page's lines: furniture by rule, repeated captions and headlines, article starts."""
    spans = tuple(_lines(text))
    kinds = [""] * len(spans)
    cues: set[int] = set()  # start_article lines
    ends: set[int] = set()
    dates: list[DateHit] = []
    limit = len(spans)
    skip_until, skip_rule = -1, ""
    for index, (start, end) in enumerate(spans):
        if index <= skip_until:
            kinds[index] = f"{skip_rule} (list)"
            continue
        line = text[start:end]
        if layout.prefilter is not None and not layout.prefilter.search(line):
            continue
        rule = _first_match(layout.datelines, line)
        if rule is not None:
            kinds[index] = rule.id
            dates.append(DateHit(index, rule, _groups(rule, line)))
            continue
        rule = _first_match(layout.lines, line)
        if rule is None:
            continue
        kinds[index] = rule.id
        action = rule.get("action", "drop")
        if action == "end_page":
            limit = index
            break
        if action == "start_article":
            cues.add(index)
        elif action == "end_article":
            ends.add(index)
        if rule.get("then_drop", 0):
            skip_until, skip_rule = index + rule.get("then_drop"), rule.id
    titles = _mark_repeats(text, spans[:limit], kinds, layout)
    starts = _article_starts(kinds[:limit], cues, titles, layout)
    return Page(spans[:limit], tuple(kinds[:limit]), starts, frozenset(ends), tuple(dates), limit)


def _first_match(rules: Sequence[Rule], line: str) -> Rule | None:
    """The first rule (file order) whose pattern is found in the line."""
    for rule in rules:
        if rule.get("pattern").search(line):
            return rule
    return None


def _groups(rule: Rule, line: str) -> dict[str, str]:
    """The named groups of a dateline rule's match on a line."""
    match = rule.get("pattern").search(line)
    return {k: v for k, v in match.groupdict().items() if v} if match else {}


def _mark_repeats(text: str, spans: Sequence[tuple[int, int]], kinds: list[str], layout: Layout) -> set[int]:
    """Mark repeated lines: back-to-back repeats are captions (all copies go), later reprints go.

    Returns the lines that start an article: a title-like line printed again a few lines below (the
    page prints "headline, captions, headline, body").
    """
    min_chars = layout.get("min_repeat_chars", 20)
    window = layout.get("headline_repeat_window", 12)
    where: dict[str, list[int]] = defaultdict(list)
    for index, (start, end) in enumerate(spans):
        if not kinds[index] and end - start >= min_chars:
            where[text[start:end]].append(index)
    titles: set[int] = set()
    for line, places in where.items():
        if len(places) < 2:
            continue
        if any(b - a == 1 for a, b in zip(places, places[1:], strict=False)):
            for index in places:
                kinds[index] = "caption (repeated)"
            continue
        for index in places[1:]:
            kinds[index] = "repeat"
        if places[1] - places[0] <= window and _title_like(line, layout):
            titles.add(places[0])
    return titles


def _title_like(line: str, layout: Layout) -> bool:
    """Whether a line reads as a headline: short, and not ending with a full stop."""
    ending = line.rstrip("\"'”’)]")  # a quoted sentence ("... mission.”) is not a headline
    return len(line.split()) <= layout.get("headline_max_words", 25) and not ending.endswith((".", ":", ",", ";"))


def _article_starts(
    kinds: Sequence[str], cues: set[int], titles: set[int], layout: Layout
) -> tuple[tuple[int, int], ...]:
    """(cue line, headline line) for each article; the top of a page without cues starts the first."""
    text_lines = [i for i, kind in enumerate(kinds) if not kind]
    if not text_lines:
        return ()
    starts: dict[int, int] = {}
    for cue in sorted(cues):
        position = bisect.bisect_right(text_lines, cue)
        headline = text_lines[position] if position < len(text_lines) else None
        if headline is not None and headline not in starts.values():
            starts[cue] = headline
    for title in sorted(titles):
        if title not in starts.values():
            starts[title] = title
    first = min(starts, default=None)
    if first is None or text_lines[0] < first > layout.get("max_preamble_lines", 5):
        starts[text_lines[0]] = text_lines[0]  # no cue near the top: the page's first line is its headline
    return tuple(sorted(starts.items()))


def split_page(text: str, rules: RuleSet | Layout) -> tuple[tuple[Article, ...], Page, list[int]]:
    """Split a page into articles (headline, body spans, sentences); also the page and each article's cue line."""
    layout = layout_of(rules)
    page = classify(text, layout)
    spans, kinds = page.spans, page.furniture
    articles: list[Article] = []
    cues: list[int] = []
    bounds = [cue for cue, _ in page.starts] + [len(spans)]
    for (cue, headline), stop in zip(page.starts, bounds[1:], strict=False):
        body: list[tuple[int, int]] = []
        for index in range(headline + 1, stop):
            if index in page.ends:
                break
            if not kinds[index]:
                body.append(spans[index])
        if not body and len(page.starts) > 1:
            continue  # a cue with nothing under it is not an article
        headline_text = " ".join(text[spans[headline][0] : spans[headline][1]].split())
        if cue == headline and not _title_like(headline_text, layout):
            body.insert(0, spans[headline])  # a page that opens with a sentence has no headline line
            headline_text = ""
        start, end = spans[headline][0], (body[-1][1] if body else spans[headline][1])
        articles.append(
            Article(len(articles) + 1, headline_text, start, end, tuple(body), sentences(text, body, layout))
        )
        cues.append(cue)
    return tuple(articles), page, cues


def split_articles(text: str, rules: RuleSet | Layout) -> tuple[Article, ...]:
    """The articles of a page, each with its headline, clean body spans and sentences."""
    return split_page(text, rules)[0]


# --- publication dates --------------------------------------------------------------------------


def _iso_minutes(stamp: dt.datetime) -> str:
    """A datetime as ISO 8601 to the minute, with its UTC offset ("2020-01-17T00:47+05:30")."""
    text = stamp.strftime("%Y-%m-%dT%H:%M")
    offset = stamp.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def read_printed_date(hit: DateHit, timezone: str, layout: Layout) -> tuple[str, str]:
    """The ISO date (or datetime) a dateline hit prints, and a warning when it cannot be read surely."""
    raw, order = hit.groups.get("date", ""), hit.rule.get("order")
    parts = [int(p) for p in re.split(r"[-/.]", raw)]
    if order == "ymd":
        year, month, day = parts
    else:
        first, second, year = parts
        if order == "numeric":
            order = _day_month_order(first, second, timezone, layout)
            if not order:
                return "", f"'{raw}' could be day-first or month-first (no timezone says which); date left empty"
        day, month = (first, second) if order == "dmy" else (second, first)
    try:
        day_date = dt.date(year, month, day)
    except ValueError:
        return "", f"'{raw}' is not a calendar date"
    time, zone = hit.groups.get("time", ""), hit.groups.get("zone", "").upper()
    if not time:
        return day_date.isoformat(), ""
    hours, minutes = (int(p) for p in time.split(":"))
    if hours > 23 or minutes > 59:
        return day_date.isoformat(), ""
    local = dt.datetime(day_date.year, day_date.month, day_date.day, hours, minutes)
    name, warning = _zone_of_abbreviation(zone, timezone, layout)
    if not name:
        return day_date.isoformat(), warning
    return _iso_minutes(local.replace(tzinfo=ZoneInfo(name))), ""


def _day_month_order(first: int, second: int, timezone: str, layout: Layout) -> str:
    """ "dmy" or "mdy" for a numeric date, by the values (30 > 12) or the zone; "" when undecidable."""
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    if first == second:
        return "dmy"
    if not timezone:
        return ""
    month_first = any(timezone.startswith(prefix) for prefix in layout.get("month_first_zones", ()))
    return "mdy" if month_first else "dmy"


def _zone_of_abbreviation(zone: str, timezone: str, layout: Layout) -> tuple[str, str]:
    """The IANA zone a printed abbreviation stands for on this source, or "" and why not."""
    if not zone:
        return timezone, ""  # a local time without a zone is in the source's zone, when known
    candidates = layout.get("zones", {}).get(zone, "").split()
    if timezone in candidates:
        return timezone, ""
    if len(candidates) == 1 and _zone(candidates[0]):
        return candidates[0], ""
    if not candidates:
        return "", f"unknown time-zone abbreviation '{zone}'; time left out"
    return "", f"'{zone}' may be {', '.join(candidates)} and no timezone says which; time left out"


def page_date(hits: Sequence[DateHit], timezone: str, layout: Layout) -> tuple[str, str, list[str]]:
    """The first readable printed date of an article (rule order, then line order), its label, warnings."""
    order = {rule.id: n for n, rule in enumerate(layout.datelines)}
    warnings: list[str] = []
    for hit in sorted(hits, key=lambda h: (order.get(h.rule.id, 0), h.line)):
        value, warning = read_printed_date(hit, timezone, layout)
        if warning:
            warnings.append(warning)
        if value:
            return value, hit.rule.get("label"), warnings
    return "", "", warnings


# --- documents ----------------------------------------------------------------------------------


def read_document(path: Path, entry: dict[str, str], rules: RuleSet | Layout) -> Document:
    """Read, decode and split one file; raise AuditError naming the file when it cannot be read."""
    layout = layout_of(rules)
    text, warnings = decode(path, read_bytes(path))
    meta_date = ""
    if path.suffix.lower() in HTML_SUFFIXES:
        text, meta_date = html_text(path, text)
    source, manifest_warnings = make_source(path, entry)
    warnings += manifest_warnings
    articles, page, cues = split_page(text, layout)
    if not articles:
        raise AuditError(f"{path.name}: no article text found (every line is page furniture)")
    dated: list[Article] = []
    # An article's part of the page runs from its cue line to the next article's (the first from the top).
    firsts, lasts = [0, *cues[1:]], [*cues[1:], page.limit]
    for number, (article, first, last) in enumerate(zip(articles, firsts, lasts, strict=True)):
        if number == 0 and source.published:
            published, label = source.published, "manifest"
        else:
            hits = [h for h in page.dates if first <= h.line < last]
            published, label, date_warnings = page_date(hits, source.timezone, layout)
            warnings += tuple(f"{path.name}, article {article.index}: {w}" for w in date_warnings)
        if number == 0 and not published and meta_date:
            published, label = meta_date, "page: HTML meta tag"
        dated.append(replace(article, published=published, published_from=label))
    return Document(source, text, tuple(dated), tuple(warnings))


def read_corpus(folder: str | Path, rules: RuleSet) -> Corpus:
    """Read every txt/html file of a folder; bad files become warnings, a bad folder an AuditError.

    A file that cannot be read (AuditError) or whose reading fails unexpectedly (a bug, or a parser
    crashing on a page) is skipped with a warning naming it, so one bad page never stops the others;
    with AUDIT_DEBUG set an unexpected error is raised instead (see audit.errors).
    """
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise AuditError(f"{path}: is a file, not a folder of pages")
    if not path.is_dir():
        raise AuditError(f"{path}: folder not found")
    layout = layout_of(rules)
    manifest = read_manifest(path)
    files, others, warnings = _page_files(path)
    names = {file.name for file in files}
    for name in sorted(manifest):
        if name in names:
            continue
        if Path(name).name == name and (path / name).is_file():
            warnings.append(f"{MANIFEST}: '{name}' is not a .txt or .html page; not read")
        else:
            warnings.append(f"{MANIFEST}: '{name}' is not in the folder")
    documents: list[Document] = []
    for file in files:
        try:
            documents.append(read_document(file, manifest.get(file.name, {}), layout))
        except AuditError as exc:
            warnings.append(str(exc))
        except Exception as exc:  # noqa: BLE001  one page must not stop the others; see the docstring
            if debugging():
                raise
            warnings.append(unexpected(file.name, "reading it", exc))
    if not documents:
        raise AuditError(f"{path}: nothing to audit ({_nothing_reason(warnings, others)})")
    documents = _unique_source_ids(documents, manifest, warnings)
    documents, copies = find_copies(documents, layout)
    documents = assign_stories(documents, layout)
    return Corpus(str(path), tuple(documents), copies, tuple(warnings))


def _page_files(folder: Path) -> tuple[list[Path], list[str], list[str]]:
    """The page files of a folder (sorted), the names of its other files, and a warning for each entry
    named like a page that is not a readable file (a folder, a broken link)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise AuditError(f"{folder}: cannot list the folder: {exc.strerror}") from None
    files, others, warnings = [], [], []
    for entry in entries:
        if entry.suffix.lower() not in SUFFIXES:
            if entry.name != MANIFEST and entry.is_file():
                others.append(entry.name)
        elif entry.is_file():
            files.append(entry)
        elif entry.is_symlink() and not entry.exists():
            warnings.append(f"{entry.name}: broken link (its target is missing, or links back to itself); not read")
        elif entry.is_dir():
            warnings.append(f"{entry.name}: is a folder, not a page; not read")
        else:
            warnings.append(f"{entry.name}: not a regular file; not read")
    return files, others, warnings


def _nothing_reason(warnings: Sequence[str], others: Sequence[str]) -> str:
    """Why a folder gave nothing to audit, kept to one line: the first problems, or what is there instead."""
    if warnings:
        more = f"; and {len(warnings) - 3} more" if len(warnings) > 3 else ""
        return "; ".join(warnings[:3]) + more
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        return f"no .txt or .html files; found only {shown}"
    return "no .txt or .html files"


def _unique_source_ids(
    documents: Sequence[Document], manifest: dict[str, dict[str, str]], warnings: list[str]
) -> list[Document]:
    """Give every document its own source id: claim ids and the count of sources rely on it.

    When pages share an id ("a.txt" and "a.html", or a manifest id that is another page's stem), the
    manifest's id wins, then a .txt over an .html; the others are named by their file names, with a
    warning. Two manifest ids are never the same (read_manifest checks).
    """
    owner: dict[str, Document] = {}
    for document in sorted(documents, key=lambda d: ("id" not in manifest.get(d.source.file, {}), _suffix_rank(d))):
        owner.setdefault(document.source.source_id, document)
    out = []
    for document in documents:
        source = document.source
        keeper = owner[source.source_id]
        if keeper is not document:
            warnings.append(
                f"{source.file}: source id '{source.source_id}' is taken by {keeper.source.file}; "
                f"its source id is its file name"
            )
            document = replace(document, source=replace(source, source_id=source.file))
        out.append(document)
    clash = [i for i, n in Counter(d.source.source_id for d in out).items() if n > 1]
    if clash:
        files = [d.source.file for d in out if d.source.source_id == clash[0]]
        raise AuditError(f"{MANIFEST}: source id '{clash[0]}' is used by {' and '.join(files)}; give each its own id")
    return out


def _suffix_rank(document: Document) -> tuple[int, str]:
    """Order of preference among pages with one stem: .txt, then .html, then .htm; then by name."""
    return SUFFIXES.index(Path(document.source.file).suffix.lower()), document.source.file


# --- copies -------------------------------------------------------------------------------------


def article_key(document: Document, article: Article) -> str:
    """How an article is named across the corpus: "<source id>#<index>"."""
    return f"{document.source.source_id}#{article.index}"


def _body_text(document: Document, article: Article) -> str:
    """An article's clean body as one string."""
    return " ".join(document.text[s:e] for s, e in article.body)


def _shingles(words: Sequence[str], size: int) -> list[int]:
    """The hashed runs of `size` words of a text, in text order (one shingle for a shorter text)."""
    if len(words) < size:
        return [hash(tuple(words))] if words else []
    return [hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1)]


def _sample(shingles: Sequence[int], count: int = 16) -> list[int]:
    """Shingles at evenly spaced places of a text: enough to find any text that shares half of it."""
    step = max(1, len(shingles) // count)
    return list(shingles[::step])


def find_copies(documents: Sequence[Document], layout: Layout) -> tuple[list[Document], dict[str, str]]:
    """Mark articles that copy another source's article (shared word shingles), and sources that are copies.

    Two articles are copies when at least `copy_threshold` of the shorter one's shingles appear in the
    other (exact count). Candidates are found through sixteen evenly spaced shingles of each article,
    looked up among all shingles of earlier articles and the other way round: a shared run of text
    longer than a sixteenth of the shorter article always holds a sampled shingle.
    Of two copies the earlier-published is the original; on a tie, the source that sorts first.
    A source is a copy of another when most of its body text is copied from that source.
    """
    size = layout.get("copy_shingle_words", 5)
    minimum = layout.get("copy_min_shingles", 20)
    threshold = layout.get("copy_threshold", 0.5)
    items = [(d, a) for d in documents for a in d.articles]
    lists = [_shingles(_WORD.findall(_body_text(d, a).lower()), size) for d, a in items]
    sets = [set(shingles) for shingles in lists]
    every: dict[int, list[int]] = defaultdict(list)  # shingle -> earlier articles holding it
    sampled: dict[int, list[int]] = defaultdict(list)  # shingle -> earlier articles that sampled it
    best: dict[int, tuple[float, int]] = {}
    for number, shingles in enumerate(sets):
        sample = _sample(lists[number])
        candidates = {other for shingle in sample for other in every.get(shingle, ())}
        candidates.update(other for shingle in shingles for other in sampled.get(shingle, ()))
        source = items[number][0].source.source_id
        for other in sorted(candidates):
            smaller = min(len(shingles), len(sets[other]))
            if items[other][0].source.source_id == source or smaller < minimum:
                continue
            share = len(shingles & sets[other]) / smaller
            if share < threshold:
                continue
            copy, original = _copy_direction(items, number, other)
            # The closest original wins; on a tie, the one that comes first in the corpus.
            if (share, -original) > (best.get(copy, (0.0, 0))[0], -best.get(copy, (0.0, 0))[1]):
                best[copy] = (share, original)
        for shingle in shingles:
            every[shingle].append(number)
        for shingle in sample:
            sampled[shingle].append(number)
    origin = {copy: original for copy, (_, original) in best.items()}
    for copy in origin:  # follow chains (a copy of a copy) to the first original
        seen = {copy}
        while origin[copy] in origin and origin[origin[copy]] not in seen:
            seen.add(origin[copy])
            origin[copy] = origin[origin[copy]]
    marked = {number: article_key(*items[original]) for number, original in origin.items() if original != number}
    out, position = [], 0
    for document in documents:
        articles = []
        for article in document.articles:
            articles.append(replace(article, copy_of=marked.get(position, "")) if position in marked else article)
            position += 1
        out.append(replace(document, articles=tuple(articles)))
    return out, source_copies(out)


def _copy_direction(items: Sequence[tuple[Document, Article]], one: int, two: int) -> tuple[int, int]:
    """(copy, original) of two copied articles: the earlier-published is the original when both are
    dated, otherwise the one whose source id sorts first (an unknown date says nothing about order)."""
    days = [_day(items[n][1].published) for n in (one, two)]
    if days[0] and days[1] and days[0] != days[1]:
        return (two, one) if days[0] < days[1] else (one, two)
    keys = [(items[n][0].source.source_id, items[n][1].index) for n in (one, two)]
    return (two, one) if keys[0] <= keys[1] else (one, two)


def source_copies(documents: Sequence[Document]) -> dict[str, str]:
    """Source id -> id of the source most of whose text it copies (only copies appear as keys)."""
    copies: dict[str, str] = {}
    for document in documents:
        total = sum(e - s for a in document.articles for s, e in a.body)
        copied: Counter[str] = Counter()
        for article in document.articles:
            if article.copy_of:
                copied[article.copy_of.rsplit("#", 1)[0]] += sum(e - s for s, e in article.body)
        if copied and total:
            source, chars = min(copied.items(), key=lambda item: (-item[1], item[0]))
            if chars * 2 >= total and source != document.source.source_id:
                copies[document.source.source_id] = source
    return {k: v for k, v in sorted(copies.items()) if copies.get(v) != k}


# --- stories ------------------------------------------------------------------------------------

# A capitalised word (a name, a place, an agency): an upper-case letter, then letters, digits, joiners.
_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
# A figure as printed: digits with thousands separators or a decimal part ("22,000", "6.1").
_FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?!\w)")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?!\d)|"
    r"(?<!\d)(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
_MONTH = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$")
_BEFORE_SENTENCE = frozenset(".!?\"“”'‘’:;")


def _content_words(text: str, stopwords: frozenset[str]) -> list[str]:
    """Lower-cased words of three letters or more that are not stop words."""
    return [w for w in _CONTENT_WORD.findall(text.lower()) if w not in stopwords]


def _names(text: str, stopwords: frozenset[str]) -> list[str]:
    """Capitalised words of a text that are not the first word of a sentence or line, lower-cased.

    A sentence's first word is capitalised whatever it is; a name inside a sentence is capitalised
    because it is a name (a person, a place, an agency), and names survive rewording and translation.
    """
    out = []
    for match in _NAME.finditer(text):
        before = text[max(0, match.start() - 3) : match.start()]
        mark = before.rstrip(" \t\xa0")[-1:]
        if not mark or mark == "\n" or mark in _BEFORE_SENTENCE:
            continue
        word = match.group().rstrip("'’-").lower()
        if len(word) > 1 and word not in stopwords and not _MONTH.match(word):
            out.append(word.removesuffix("'s").removesuffix("’s"))
    return out


def _figures_and_dates(text: str) -> tuple[list[str], list[str], set[str]]:
    """The figures of a text (years apart), its date words (years, "jan 8") and the years it names."""
    figures, dates, years = [], [], set()
    days = []  # the day of a month-day mention is part of a date, not a figure
    for match in _MONTH_DAY.finditer(text):
        month, day = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        dates.append(f"{month.lower()}-{int(day)}")
        days.append(match.span())
    for match in _FIGURE.finditer(text):
        if any(start <= match.start() < end for start, end in days):
            continue
        value = match.group().replace(",", "")
        if _YEAR.match(value):
            dates.append(value)
            years.add(value)
        else:
            figures.append(value.rstrip("0").rstrip(".") if "." in value else value)
    return figures, dates, years


@dataclass(frozen=True)
class StoryFeatures:
    """What story clustering compares: one weighted, unit-length row per article, and the years each names."""

    blocks: tuple[tuple[float, Any], ...]  # (weight, scipy csr matrix of unit rows): words, names, figures, dates
    years: tuple[frozenset[str], ...]

    @property
    def vectors(self):
        """All blocks side by side, each scaled by the square root of its weight share."""
        from scipy.sparse import csr_matrix, hstack

        total = sum(w for w, _ in self.blocks) or 1.0
        return csr_matrix(hstack([m * math.sqrt(w / total) for w, m in self.blocks], format="csr"))

    def present(self) -> list[Any]:
        """For each block, which articles have anything in it (a boolean array)."""
        import numpy as np

        return [np.diff(m.indptr) > 0 for _, m in self.blocks]


def _tfidf(bags: Sequence[Counter[str]]):
    """TF-IDF rows of unit length (an empty bag gives an empty row)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, bag in enumerate(bags):
        for word, count in sorted(bag.items()):
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            values.append(1.0 + math.log(count))
    shape = (len(bags), max(1, len(vocabulary)))
    matrix = csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float64)
    df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=shape[1])
    idf = np.log((1 + len(bags)) / (1 + df)) + 1.0  # smoothed, so a two-article corpus still compares
    matrix = csr_matrix(matrix.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(matrix.multiply(1.0 / norms[:, None]))


def story_features(documents: Sequence[Document], layout: Layout) -> StoryFeatures:
    """Each article's lede as five TF-IDF blocks, weighted by the `story_*_weight` settings.

    Without those settings the words block alone is used. Words: the headline and first
    `story_lede_words` content words, cut to `story_stem_chars` letters (shared phrasing). Headline:
    its words alone. Names:
    capitalised words inside sentences (people, places, agencies: they survive rewording, briefs and
    translation). Figures: numbers as printed. Dates: years and month-day mentions. Two articles'
    similarity is the weighted average of the blocks' cosines over the blocks both have: a brief
    without figures is neither helped nor hurt by figures.
    """
    stopwords = frozenset(layout.get("story_stopwords", ()))
    lede = layout.get("story_lede_words", 100)
    stem = layout.get("story_stem_chars", 0)
    words, headlines, names, figures, dates, years = [], [], [], [], [], []
    for document in documents:
        for article in document.articles:
            body = _body_text(document, article)[: lede * 12]
            found = _content_words(f"{article.headline}\n{body}", stopwords)[:lede]
            head = _content_words(article.headline, stopwords)
            if stem > 0:  # a word's first letters: "resumed", "resuming" and "resume" are one word
                found, head = [w[:stem] for w in found], [w[:stem] for w in head]
            words.append(Counter(found))
            headlines.append(Counter(head))
            names.append(Counter(_names(body, stopwords)))
            found_figures, found_dates, found_years = _figures_and_dates(body)
            figures.append(Counter(found_figures))
            dates.append(Counter(found_dates))
            years.append(frozenset(found_years))
    weights = [max(0.0, layout.get(f"story_{block}_weight", default)) for block, default in _STORY_WEIGHTS]
    blocks = tuple(
        (weight, _tfidf(bags))
        for bags, weight in zip((words, headlines, names, figures, dates), weights, strict=True)
        if weight > 0
    )
    return StoryFeatures(blocks or ((1.0, _tfidf(words)),), tuple(years))


_STORY_WEIGHTS = (("words", 1.0), ("headline", 0.0), ("names", 0.0), ("figures", 0.0), ("dates", 0.0))


def _pairs_above(vectors, threshold: float, block: int = 512):
    """Row, column and product (numpy arrays) of every pair i < j whose rows' dot product reaches the threshold.

    Rows are compared a block at a time, so memory stays linear in the number of articles.
    """
    import numpy as np

    rows, cols, values = [], [], []
    for first in range(0, vectors.shape[0], block):
        product = (vectors[first : first + block] @ vectors.T).tocoo()
        row = product.row.astype(np.int64) + first
        keep = (row < product.col) & (product.data >= threshold)
        rows.append(row[keep])
        cols.append(product.col[keep].astype(np.int64))
        values.append(product.data[keep])
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


def _day(published: str) -> dt.date | None:
    """The day of a publication date, None when unknown."""
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _years_differ(one: frozenset[str], two: frozenset[str]) -> bool:
    """Two ledes that both name years but no year in common tell of different events."""
    return bool(one and two and not one & two)


def assign_stories(documents: Sequence[Document], layout: Layout | RuleSet | None = None) -> list[Document]:
    """Cluster articles about the same event across sources; story ids "S1", "S2" ... by first appearance.

    Average-link clustering of the articles' story similarity (see story_features): pairs are tried
    from the most similar down, and two clusters join when their average similarity, less
    `story_year_penalty` when their ledes name years but none in common, reaches `story_threshold`,
    their dated articles lie within `story_max_days` of each other, and they hold no two articles of
    one page (a page is split where a new story begins). Copies always join their original's story.
    """
    layout = layout_of(layout) if layout is not None else Layout((), (), None, {})
    items = [(d, a) for d in documents for a in d.articles]
    keys = {article_key(d, a): n for n, (d, a) in enumerate(items)}
    cluster = list(range(len(items)))
    members: dict[int, list[int]] = {n: [n] for n in range(len(items))}
    pages = {n: {id(d)} for n, (d, _) in enumerate(items)}
    days = {n: [day] if (day := _day(a.published)) else [] for n, (_, a) in enumerate(items)}
    years: dict[int, frozenset[str]] = {}

    def merge(one: int, two: int) -> None:
        """Join two clusters (the one with the earlier article keeps its number)."""
        keep, gone = sorted((cluster[one], cluster[two]))
        for n in members[gone]:
            cluster[n] = keep
        members[keep] += members.pop(gone)
        pages[keep] |= pages.pop(gone)
        days[keep] += days.pop(gone)
        if years:
            years[keep] |= years.pop(gone)

    for n, (_, article) in enumerate(items):
        if article.copy_of in keys and cluster[n] != cluster[keys[article.copy_of]]:
            merge(n, keys[article.copy_of])
    threshold = layout.get("story_threshold", 0.21)
    max_days = dt.timedelta(days=layout.get("story_max_days", 30))
    penalty = layout.get("story_year_penalty", 0.0)
    if len(items) > 1:
        from scipy.sparse import csr_matrix

        features = story_features(documents, layout)
        weights = [w for w, _ in features.blocks]
        vectors = features.vectors
        present = features.present()
        for n in range(len(items)):
            years[cluster[n]] = years.get(cluster[n], frozenset()) | features.years[n]
        # The average similarity over all cross pairs of two clusters is the dot product of their summed
        # rows divided by the number of pairs (then divided by the weight of the blocks both clusters
        # have, as for two articles), so a cluster of several articles keeps one summed sparse row (made
        # when first needed); two single articles use their pair score.
        sums: dict[int, Any] = {}
        has = {root: [bool(p[members[root]].any()) for p in present] for root in set(cluster)}

        def summed(root: int) -> Any:
            """The summed rows of a cluster's articles."""
            if root not in sums:
                sums[root] = csr_matrix(vectors[members[root]].sum(axis=0))
            return sums[root]

        for pair_score, one, two in _candidate_pairs(features, threshold):
            a, b = cluster[one], cluster[two]
            if a == b or pages[a] & pages[b]:
                continue
            span = days[a] + days[b]
            if span and max(span) - min(span) > max_days:
                continue
            pairs = len(members[a]) * len(members[b])
            if pairs == 1:
                score = pair_score
            else:
                both = sum(w for w, x, y in zip(weights, has[a], has[b], strict=True) if x and y)
                average = summed(a).multiply(summed(b)).sum() / pairs
                score = average * sum(weights) / both if both else 0.0
            if _years_differ(years[a], years[b]):
                score -= penalty
            if score >= threshold:
                merged = summed(a) + summed(b)
                joined = [x or y for x, y in zip(has[a], has[b], strict=True)]
                merge(one, two)
                sums.pop(a, None)
                sums.pop(b, None)
                sums[cluster[one]], has[cluster[one]] = merged, joined
    names: dict[int, str] = {}
    for n in range(len(items)):
        names.setdefault(cluster[n], f"S{len(names) + 1}")
    out, position = [], 0
    for document in documents:
        articles = []
        for article in document.articles:
            articles.append(replace(article, story=names[cluster[position]]))
            position += 1
        out.append(replace(document, articles=tuple(articles)))
    return out


def _pair_scores(features: StoryFeatures, rows, cols, fixed):
    """The blended similarity of pairs of articles (numpy arrays) from their fixed-weight similarity.

    Only the denominator differs: the weights of the blocks both articles have, not all weights.
    """
    import numpy as np

    weights = [w for w, _ in features.blocks]
    both = sum(w * (p[rows] & p[cols]) for w, p in zip(weights, features.present(), strict=True))
    value = np.asarray(fixed, dtype=np.float64) * sum(weights)
    return np.divide(value, both, out=np.zeros(len(rows)), where=both > 0)


def _candidate_pairs(features: StoryFeatures, threshold: float) -> list[tuple[float, int, int]]:
    """(similarity, i, j) of every pair that reaches the threshold, most similar first.

    A pair's blended similarity is its fixed-weight similarity times total weight / weight of the
    blocks both have, and the word block (headline and lede) is always there; so pairs whose
    fixed-weight similarity is below threshold * words share cannot reach the threshold.
    """
    total = sum(w for w, _ in features.blocks) or 1.0
    # The word block comes first whenever it has weight; an article without a single content word in
    # its headline and lede has nothing to tell its story by.
    rows, cols, fixed = _pairs_above(features.vectors, threshold * features.blocks[0][0] / total)
    scores = _pair_scores(features, rows, cols, fixed)
    keep = scores >= threshold
    pairs = list(zip(scores[keep].tolist(), rows[keep].tolist(), cols[keep].tolist(), strict=True))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def story_scores(documents: Sequence[Document], layout: Layout | RuleSet) -> list[list[float]]:
    """The story score of every two articles (corpus order), as assign_stories weighs a pair of single
    articles: blended similarity less the year penalty, 0 when their publication days lie too far apart."""
    import numpy as np

    layout = layout_of(layout)
    features = story_features(documents, layout)
    count = len(features.years)
    vectors = features.vectors
    fixed = (vectors @ vectors.T).toarray().ravel().tolist()
    rows, cols = np.divmod(np.arange(count * count, dtype=np.int64), max(count, 1))
    flat = _pair_scores(features, rows, cols, fixed).tolist()
    scores = [flat[i * count : (i + 1) * count] for i in range(count)]
    published = [_day(a.published) for d in documents for a in d.articles]
    max_days = dt.timedelta(days=layout.get("story_max_days", 30))
    penalty = layout.get("story_year_penalty", 0.0)
    for i, row in enumerate(scores):
        for j in range(len(row)):
            if _years_differ(features.years[i], features.years[j]):
                row[j] -= penalty
            if published[i] and published[j] and abs(published[i] - published[j]) > max_days:
                row[j] = 0.0
    return scores
