"""Report: rich tables for the terminal, CSV and JSON files for fact-checkers and other programs.

Files are written atomically (a temporary file in the same folder, then a rename), so a reader finds
either the old file or the complete new one. CSV cells that a spreadsheet would read as a formula are
defused with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table
from rich.text import Text

from audit.errors import AuditError
from audit.model import Corpus
from audit.numbers import format_number

VERDICT_STYLES = {"conflict": "bold red", "evolving": "yellow", "compatible": "cyan", "agree": "green", "single": "dim"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell: numbers without a needless ".0", None empty, formula-like text defused."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_atomic(path: Path, data: str, encoding: str = "utf-8") -> None:
    """Write a text file so that it is either the old file or the complete new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_text(frame: pl.DataFrame, columns: Sequence[str]) -> str:
    """A frame as CSV text with the given columns in order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in frame.select(columns).iter_rows():
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def write_csv(frame: pl.DataFrame, columns: Sequence[str], path: Path, bom: bool = False) -> None:
    """Write a frame as CSV, atomically; UTF-8 with a byte-order mark when `bom` (for Excel)."""
    try:
        write_atomic(path, csv_text(frame, columns), "utf-8-sig" if bom else "utf-8")
    except OSError as exc:
        raise AuditError(f"{path}: cannot write: {exc.strerror}") from None


def write_json(frame: pl.DataFrame, path: Path) -> None:
    """Write a frame as a JSON array of objects, atomically."""
    try:
        write_atomic(path, json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1) + "\n")
    except OSError as exc:
        raise AuditError(f"{path}: cannot write: {exc.strerror}") from None


def sources_table(corpus: Corpus, claims: pl.DataFrame | None = None) -> Table:
    """One row per source: outlet, articles, first article's date and where it came from, copy of, claims."""
    table = Table(title="Sources", title_justify="left")
    columns = ["source", "outlet", "articles", "published", "date from", "copy of", "stories"]
    for column in [*columns, "claims"] if claims is not None else columns:
        table.add_column(column, overflow="fold")
    counts = {}
    if claims is not None and claims.height:
        counts = dict(claims.group_by("source").len().iter_rows())
    for doc in corpus.documents:
        first = doc.articles[0] if doc.articles else None
        stories = ", ".join(dict.fromkeys(a.story for a in doc.articles if a.story))
        table.add_row(
            Text(doc.source.source_id),
            Text(doc.source.outlet),
            str(len(doc.articles)),
            Text(first.published if first else ""),
            Text(first.published_from if first else ""),
            Text(corpus.copies.get(doc.source.source_id, "")),
            Text(stories),
            *([str(counts.get(doc.source.source_id, 0))] if claims is not None else []),
        )
    return table


def articles_table(corpus: Corpus) -> Table:
    """One row per article: source, index, headline, date and where it came from, story, copy of, size."""
    table = Table(title="Articles", title_justify="left")
    for column in ("source", "#", "headline", "published", "date from", "story", "copy of", "sentences"):
        table.add_column(column, overflow="fold")
    for doc in corpus.documents:
        for article in doc.articles:
            table.add_row(
                Text(doc.source.source_id),
                str(article.index),
                Text(article.headline),
                Text(article.published),
                Text(article.published_from),
                Text(article.story),
                Text(article.copy_of),
                str(len(article.sentences)),
            )
    return table


def read_claims_csv(path: Path) -> pl.DataFrame:
    """Read a claims.csv (perhaps edited in a spreadsheet) back into a claims frame."""
    from audit.model import CLAIM_COLUMNS

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise AuditError(f"{path.name}: cannot read claims table: {exc}") from None
    if not rows:
        raise AuditError(f"{path.name}: no claim rows")
    missing = [c for c in CLAIM_COLUMNS if c not in rows[0]]
    if missing:
        raise AuditError(f"{path.name}: missing columns {', '.join(missing)}")
    floats, ints = ("value", "low", "high"), ("article", "char_start", "char_end")
    schema = {c: pl.Float64 if c in floats else pl.Int64 if c in ints else pl.Utf8 for c in CLAIM_COLUMNS}
    data = []
    for number, row in enumerate(rows, 2):
        try:
            data.append({c: _from_cell(row[c], schema[c]) for c in CLAIM_COLUMNS})
        except ValueError as exc:
            raise AuditError(f"{path.name}, line {number}: {exc}") from None
    return pl.DataFrame(data, schema=schema, orient="row")


def _from_cell(cell: str | None, dtype: pl.DataType) -> object:
    """A CSV cell back to its value (undoing the formula defusing of text)."""
    cell = cell or ""
    if dtype == pl.Float64:
        return float(cell) if cell else None
    if dtype == pl.Int64:
        return int(cell) if cell else None
    if cell.startswith("'") and cell[1:2] in _FORMULA_START:
        return cell[1:]
    return cell


def facts_table(facts: pl.DataFrame, claims: pl.DataFrame, sources: Iterable[str]) -> Table:
    """One row per fact (conflicts first), one column per source with its value as written, the verdict coloured."""
    sources = list(sources)
    table = Table(title="Facts", title_justify="left", caption=legend(), caption_justify="left")
    for column in ("fact", "measure", "subject", "event"):
        table.add_column(column, overflow="fold")
    for source in sources:
        table.add_column(source.split("_")[0], overflow="fold")
    table.add_column("verdict")
    by_fact: dict[str, dict[str, list[str]]] = {}
    for row in claims.filter(pl.col("fact_id") != "").iter_rows(named=True):
        by_fact.setdefault(row["fact_id"], {}).setdefault(row["source"], []).append(_written(row))
    for fact in facts.iter_rows(named=True):
        cells = by_fact.get(fact["fact_id"], {})
        table.add_row(
            Text(fact["fact_id"]),
            Text(fact["measure"]),
            Text(fact["subject_key"]),
            Text(fact["event_date"] or ""),
            *[Text(", ".join(dict.fromkeys(cells.get(s, [])))) for s in sources],
            Text(fact["verdict"], style=VERDICT_STYLES.get(fact["verdict"], "")),
        )
    return table


def _written(row: dict) -> str:
    """A claim's value as written for a table cell."""
    prefix = {
        "at_least": "at least ",
        "more_than": "more than ",
        "at_most": "up to ",
        "less_than": "under ",
        "about": "~",
        "nearly": "nearly ",
        "vague": "~",
    }.get(row["hedge"], "")
    if row["kind"] == "date":
        return row["date"] or row["timex"]
    value = row["value"]
    text = prefix + (f"{value:,.0f}" if value is not None and float(value).is_integer() else format_number(value))
    if row["polarity"] == "denied":
        return f"denied {text}"
    return text


def legend() -> Text:
    """What the verdict colours mean."""
    text = Text("verdicts: ")
    meanings = {
        "conflict": "cannot all hold",
        "evolving": "moved over time",
        "compatible": "intervals overlap",
        "agree": "same interval",
        "single": "one independent source",
    }
    for verdict, meaning in meanings.items():
        text.append(verdict, style=VERDICT_STYLES[verdict])
        text.append(f" {meaning}  ")
    return text


def print_report(console: Console, corpus: Corpus, claims: pl.DataFrame, facts: pl.DataFrame) -> None:
    """Print the sources and facts tables."""
    console.print(sources_table(corpus, claims))
    console.print(facts_table(facts, claims, [d.source.source_id for d in corpus.documents]))
