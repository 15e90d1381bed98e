"""The corpus reader: every page of a folder read into a Document, one bad file costing one warning.

After reading, copies and stories are found across the corpus (audit.link).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from audit.errors import AuditError, debugging, unexpected
from audit.ingest.html import html_text
from audit.ingest.manifest import MANIFEST, make_source, read_manifest
from audit.ingest.page import Layout, layout_of, split_page
from audit.ingest.published import page_date
from audit.ingest.read import HTML_SUFFIXES, SUFFIXES, decode, read_bytes
from audit.model import Article, Corpus, Document
from audit.rules import RuleSet

#: Told (files read, files in all) as pages are read.
Progress = Callable[[int, int], None]
#: Reads the page files of a folder (with their manifest entries): each one's Document or warning, in order.
Reader = Callable[[Sequence[Path], dict[str, dict[str, str]], Layout, Progress | None], list[Document | str]]


def read_document(path: Path, entry: dict[str, str], rules: RuleSet | Layout) -> Document:
    """Read, decode and split one file; raise AuditError naming the file when it cannot be read."""
    return document_from_bytes(path, read_bytes(path), entry, rules)


def document_from_bytes(path: Path, data: bytes, entry: dict[str, str], rules: RuleSet | Layout) -> Document:
    """Decode and split one file's bytes (read elsewhere: a cluster worker gets the bytes, not the path)."""
    layout = layout_of(rules)
    text, warnings = decode(path, data)
    meta_date = ""
    if path.suffix.lower() in HTML_SUFFIXES:
        text, meta_date, html_warnings = html_text(path, text)
        warnings += html_warnings
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


def read_corpus(
    folder: str | Path,
    rules: RuleSet | Layout,
    progress: Progress | None = None,
    stories: Any = None,
    reader: Reader | None = None,
) -> Corpus:
    """Read every txt/html file of a folder; bad files become warnings, a bad folder an AuditError.
    `progress`, when given, is told (files read, files in all) before each file and at the end;
    `stories` are the compiled story settings (taken from `rules` when not given).

    A file that cannot be read (AuditError) or whose reading fails unexpectedly (a bug, or a parser
    crashing on a page) is skipped with a warning naming it, so one bad page never stops the others;
    with AUDIT_DEBUG set an unexpected error is raised instead (see audit.errors). `reader`, when given,
    reads the files instead of this process, one by one (audit.run: worker processes, a cluster).
    """
    documents, warnings = read_pages(folder, rules, progress, reader)
    return link_pages(folder, documents, warnings, rules, stories)


def read_pages(
    folder: str | Path, rules: RuleSet | Layout, progress: Progress | None = None, reader: Reader | None = None
) -> tuple[list[Document], list[str]]:
    """The first half of `read_corpus`: every page of a folder read, each with its own source id, and the
    warnings; copies and stories not looked for yet (`link_pages`)."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise AuditError(f"{path}: is a file, not a folder of pages")
    if not path.is_dir():
        raise AuditError(f"{path}: folder not found")
    layout = layout_of(rules)
    files, others, warnings = _page_files(path)
    if hasattr(reader, "start"):
        # Worker processes start before the manifest is read: a forked one starts as big as this process
        # (100,000 entries of a manifest, parsed, are a hundred megabytes, in every worker).
        reader.start(files)
    manifest = read_manifest(path)
    names = {file.name for file in files}
    for name in sorted(manifest):
        if name in names:
            continue
        if Path(name).name == name and (path / name).is_file():
            warnings.append(f"{MANIFEST}: '{name}' is not a .txt or .html page; not read")
        else:
            warnings.append(f"{MANIFEST}: '{name}' is not in the folder")
    documents: list[Document] = []
    for outcome in (reader or _read_here)(files, manifest, layout, progress):
        if isinstance(outcome, Document):
            documents.append(outcome)
        else:
            warnings.append(outcome)
    if not documents:
        raise AuditError(f"{path}: nothing to audit ({_nothing_reason(warnings, others)})")
    return _unique_source_ids(documents, manifest, warnings), warnings


def link_pages(
    folder: str | Path,
    documents: Sequence[Document],
    warnings: Sequence[str],
    rules: RuleSet | Layout,
    stories=None,
    shingles: Iterable[bytes] | None = None,
) -> Corpus:
    """The second half of `read_corpus`: the copies and stories across the pages read, and the corpus.
    `shingles`, when given, are the pages' shingles for copies (audit.link.copies.page_shingles, worked out
    as they were read): the documents may then carry no text (stubs: see audit.run.pages)."""
    from audit.link import assign_stories, find_copies  # link imports ingest: imported here, when first used

    documents, copies = find_copies(documents, layout_of(rules), shingles=shingles)
    documents = assign_stories(documents, stories if stories is not None else rules)
    return Corpus(str(Path(folder)), tuple(documents), copies, tuple(warnings))


def read_page(file: Path, entry: dict[str, str], layout: Layout, data: bytes | None = None) -> Document | str:
    """One file's Document (from its bytes when given, else read here), or the warning that says why it
    is not read (see read_corpus)."""
    try:
        return read_document(file, entry, layout) if data is None else document_from_bytes(file, data, entry, layout)
    except AuditError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001  one page must not stop the others; see read_corpus
        if debugging():
            raise
        return unexpected(file.name, "reading it", exc)


def _read_here(
    files: Sequence[Path], manifest: dict[str, dict[str, str]], layout: Layout, progress: Progress | None
) -> list[Document | str]:
    """Every file read in this process, in order, telling `progress` before each file and at the end."""
    outcomes = []
    for number, file in enumerate(files):
        if progress:
            progress(number, len(files))
        outcomes.append(read_page(file, manifest.get(file.name, {}), layout))
    if progress:
        progress(len(files), len(files))
    return outcomes


def _page_files(folder: Path) -> tuple[list[Path], list[str], list[str]]:
    """The page files of a folder (sorted), the names of its other files, and a warning for each entry
    named like a page that is not a readable file (a folder, a broken link, a link out of the folder)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise AuditError(f"{folder}: cannot list the folder: {exc.strerror}") from None
    files, others, warnings = [], [], []
    inside = folder.resolve()
    for entry in entries:
        if entry.is_symlink() and entry.exists() and not entry.resolve().is_relative_to(inside):
            # a saved folder holds its own pages: a link out of it could read any file of the machine
            warnings.append(f"{entry.name}: links outside the folder; not read")
        elif entry.suffix.lower() not in SUFFIXES:
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
