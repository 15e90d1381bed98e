"""Report: rich tables for the terminal, CSV and JSON files for fact-checkers and other programs.

Files are written atomically (a temporary file in the same folder, then a rename), so a reader finds
either the old file or the complete new one. The tables of one run are written together: every file
is staged complete before any is renamed into place, so a failure while writing leaves all the old
files as they were (and no temporary file behind). CSV cells that a spreadsheet would read as a formula are
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
from audit.reconcile import as_written

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
    """Write a text file so that it is either the old file or the complete new one (OSError on failure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_all({path: (data, encoding)})


def _stage(path: Path, data: str, encoding: str) -> str:
    """Write data to a new temporary file beside `path`, flushed to disk; return its name."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _replace_all(files: dict[Path, tuple[str, str]]) -> None:
    """Stage every file complete, then rename each into place; an OSError names the file it concerns.

    The old files stay as they were when staging fails (a full disk, no permission); only a failing
    rename, after every file was staged beside its target, could leave the set mixed. No temporary
    file is left behind either way.
    """
    staged: dict[Path, str] = {}
    try:
        for path, (data, encoding) in files.items():
            try:
                staged[path] = _stage(path, data, encoding)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from exc
        for path, tmp in staged.items():
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from exc
    finally:
        for tmp in staged.values():
            Path(tmp).unlink(missing_ok=True)  # only those not renamed are still there


def write_files(files: dict[Path, tuple[str, str]]) -> None:
    """Write several text files ({path: (text, encoding)}) all or none, creating their folder; a
    failure is an AuditError naming the file or folder and the problem."""
    for folder in dict.fromkeys(path.parent for path in files):
        if folder.exists() and not folder.is_dir():
            raise AuditError(f"{folder}: is a file, not a folder to write into")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AuditError(f"{folder}: cannot create the output folder: {exc.strerror}") from None
    for path in files:
        if path.is_dir():
            raise AuditError(f"{path}: is a folder; cannot write the table there")
    try:
        _replace_all(files)
    except OSError as exc:
        raise AuditError(f"{exc.filename}: cannot write: {exc.strerror}") from None


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
    write_files({path: csv_file(frame, columns, bom)})


def csv_file(frame: pl.DataFrame, columns: Sequence[str], bom: bool = False) -> tuple[str, str]:
    """A frame as (CSV text, encoding) for write_files; UTF-8 with a byte-order mark when `bom`."""
    return csv_text(frame, columns), "utf-8-sig" if bom else "utf-8"


def json_file(frame: pl.DataFrame) -> tuple[str, str]:
    """A frame as (JSON text, encoding) for write_files: an array of objects."""
    return json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1) + "\n", "utf-8"


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
    except OSError as exc:
        raise AuditError(f"{path.name}: cannot read claims table: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise AuditError(f"{path.name}: cannot read claims table: not UTF-8 (bad byte at {exc.start})") from None
    except csv.Error as exc:
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
        record = {}
        for column in CLAIM_COLUMNS:
            try:
                record[column] = _from_cell(row[column], schema[column])
            except ValueError:
                wanted = "a number" if schema[column] == pl.Float64 else "a whole number"
                raise AuditError(
                    f"{path.name}, line {number}, column {column}: {row[column]!r} is not {wanted}"
                ) from None
        data.append(record)
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
    """One row per fact (conflicts first), one column per source with its value as written, the verdict coloured.

    Figures of an evolving fact carry the day they were stated ("11 @2020-01-16"). Every cell is rich Text,
    so news text is never read as markup.
    """
    sources = list(sources)
    table = Table(title="Facts", title_justify="left", caption=legend(), caption_justify="left")
    table.add_column("fact", no_wrap=True)
    table.add_column("verdict", no_wrap=True)  # beside the id, so a narrow terminal never crops it
    table.add_column("measure", overflow="fold", min_width=8)
    table.add_column("subject", overflow="fold", min_width=8)
    table.add_column("event", no_wrap=True)
    for source in sources:
        table.add_column(Text(source.split("_")[0]), overflow="fold", min_width=6)
    table.add_column("best", justify="right", overflow="fold")
    evolving = set(facts.filter(pl.col("verdict") == "evolving")["fact_id"].to_list())
    by_fact: dict[str, dict[str, list[str]]] = {}
    for row in claims.filter(pl.col("fact_id") != "").iter_rows(named=True):
        cell = as_written(row)
        if row["fact_id"] in evolving and row["as_of"]:
            cell += f" @{row['as_of']}"
        by_fact.setdefault(row["fact_id"], {}).setdefault(row["source"], []).append(cell)
    for fact in facts.iter_rows(named=True):
        cells = by_fact.get(fact["fact_id"], {})
        table.add_row(
            Text(fact["fact_id"]),
            Text(fact["verdict"], style=VERDICT_STYLES.get(fact["verdict"], "")),
            Text(fact["measure"] or ""),
            Text(fact["subject_key"] or ""),
            Text(fact["event_date"] or ""),
            *[Text(", ".join(dict.fromkeys(cells.get(s, [])))) for s in sources],
            Text(_best(fact)),
        )
    return table


def notes_table(facts: pl.DataFrame, verdicts: Iterable[str] = ("conflict", "evolving", "compatible")) -> Table:
    """Why: the note of each fact whose verdict needs explaining (conflicts first), with its values."""
    wanted = list(verdicts)
    table = Table(title="Why", title_justify="left")
    table.add_column("fact", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("values", overflow="fold", ratio=1)
    table.add_column("note", overflow="fold", ratio=2)
    for fact in facts.filter(pl.col("verdict").is_in(wanted)).iter_rows(named=True):
        table.add_row(
            Text(fact["fact_id"]),
            Text(fact["verdict"], style=VERDICT_STYLES.get(fact["verdict"], "")),
            Text(fact["values"] or ""),
            Text(fact["note"] or ""),
        )
    return table


def _best(fact: dict) -> str:
    """A fact's best figure with its unit ("50", "10 days", "2,300,000,000 USD"); the day for date facts."""
    if fact["kind"] == "date":
        return fact["event_date"] or ""
    value = fact["best"]
    if value is None:
        return ""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    unit = fact["unit"] or ""
    if unit == "percent":
        return number + "%"
    return f"{number} {unit}{'s' if unit == 'day' and value != 1 else ''}".strip()


def legend() -> Text:
    """What the verdict colours and the cell signs mean."""
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
    text.append("\ncells: ~ about, @ the day a figure was stated, denied: a denial (shown, never counted)")
    return text


def print_report(console: Console, corpus: Corpus, claims: pl.DataFrame, facts: pl.DataFrame) -> None:
    """Print the sources and facts tables, then why each conflict, evolving or compatible verdict was given."""
    console.print(sources_table(corpus, claims))
    shown = shown_facts(facts)
    console.print(facts_table(shown, claims, [d.source.source_id for d in corpus.documents]))
    hidden = facts.height - shown.height
    if hidden:
        console.print(Text(f"{hidden} more facts stated by one source with no named measure: see facts.csv"))
    explained = notes_table(facts)
    if explained.row_count:
        console.print(explained)


def shown_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """The facts worth a row in the terminal: every cross-source verdict, and single facts of a named measure."""
    return facts.filter((pl.col("verdict") != "single") | (pl.col("measure").fill_null("") != ""))
