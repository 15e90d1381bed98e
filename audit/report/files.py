"""Report files: CSV and JSON text, written atomically, and claims.csv read back.

Files are written atomically (a temporary file in the same folder, then a rename), so a reader finds
either the old file or the complete new one. The tables of one run are written together: every file
is staged complete before any is renamed into place, so a failure while writing leaves all the old
files as they were (and no temporary file behind); a run's manifest (run.json: each file's digest)
is written after the last rename, so a set renamed only in part is told from a whole one, and the
temporary files of a run killed while writing are removed by the next. A new file gets the mode the umask gives (0644
under umask 022), a replaced file keeps its mode: the temporary file would otherwise stay 0600. CSV cells
that a spreadsheet would read as a formula are defused with a leading apostrophe.
"""

from __future__ import annotations

import codecs
import csv
import glob
import hashlib
import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from audit.errors import AuditError
from audit.model import CLAIM_COLUMNS, HedgeKind, Kind, Polarity
from audit.numbers import format_number
from audit.reconcile.frame import claim_schema

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A cell that starts with one of _FORMULA_START, as one (polars) regex.
_FORMULA_PATTERN = r"^[=+\-@\t\r]"


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


@dataclass(frozen=True)
class Pieces:
    """A file's text made piece by piece (a template's stream, a table's rows): written to its file as it
    comes, never held whole as one string (a report of a pathological page runs to hundreds of MB)."""

    make: Callable[[], Iterable[str | bytes]]  # text, or bytes already UTF-8 (a table written by polars)

    def __iter__(self) -> Iterator[str | bytes]:
        return iter(self.make())

    def text(self) -> str:
        """The whole text at once (for a caller that wants a string)."""
        return "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in self.make())


#: What write_files writes: text (in its encoding), bytes, or text made piece by piece.
Data = str | bytes | Pieces
#: Text pieces are encoded and written in blocks of about this many characters.
_BLOCK = 1 << 20


def write_atomic(path: Path, data: str, encoding: str = "utf-8") -> None:
    """Write a text file so that it is either the old file or the complete new one (OSError on failure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_all({path: (data, encoding)})


def file_mode(path: Path) -> int:
    """The mode a file written to `path` gets: the existing file's, else what the umask allows of 0666."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)  # the umask can only be read by setting it: put it straight back
        os.umask(mask)
        return 0o666 & ~mask


def _stage(path: Path, data: Data, encoding: str) -> str:
    """Write data (text in `encoding`, bytes, or text pieces) to a new temporary file beside `path`, flushed
    to disk, with the mode `path` will have; return its name."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, file_mode(path))
        with os.fdopen(handle, "wb") as out:
            if isinstance(data, Pieces):
                _write_pieces(out, data, encoding)
            else:
                out.write(data if isinstance(data, bytes) else data.encode(encoding))
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _write_pieces(out, pieces: Pieces, encoding: str) -> None:
    """Text pieces encoded (one incremental encoder: a byte-order mark once, first) and written a block at a
    time; a piece of bytes is written as it is (already in the encoding: UTF-8)."""
    encoder = codecs.getincrementalencoder(encoding)()
    out.write(encoder.encode(""))  # the byte-order mark of utf-8-sig, before any piece
    block: list[str] = []
    size = 0
    for piece in pieces:
        if isinstance(piece, bytes):
            out.write(encoder.encode("".join(block)) + piece)
            block, size = [], 0
            continue
        block.append(piece)
        size += len(piece)
        if size >= _BLOCK:
            out.write(encoder.encode("".join(block)))
            block, size = [], 0
    out.write(encoder.encode("".join(block), final=True))


#: Written last into the output folder by a run: each file's sha256 as renamed into place and the run's
#: digest of them all, so that a reader can tell the files of one run from a mix (see outputs_problem).
MANIFEST = "run.json"


def _replace_all(files: dict[Path, tuple[Data, str]], manifest: Path | None = None) -> None:
    """Stage every file complete, then rename each into place; an OSError names the file it concerns.

    The old files stay as they were when staging fails (a full disk, no permission); only a failing
    rename (or a death), after every file was staged beside its target, could leave the set mixed: the
    old manifest is removed before the first rename and the new one written after the last, so a set
    without its manifest is known unfinished. No temporary file is left behind either way.
    """
    staged: dict[Path, str] = {}
    digests: dict[Path, str] = {}
    try:
        for path, (data, encoding) in files.items():
            try:
                staged[path] = _stage(path, data, encoding)
                if manifest is not None:
                    digests[path] = _digest(staged[path])  # of the bytes staged: text pieces are made once
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from exc
        if manifest is not None:
            _unlink(manifest)
        for path, tmp in staged.items():
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from exc
    finally:
        for tmp in staged.values():
            Path(tmp).unlink(missing_ok=True)  # only those not renamed are still there
    if manifest is not None:
        _replace_all({manifest: (manifest_text(digests, manifest.parent), "utf-8")})


def _digest(name: str) -> str:
    """The sha256 of a file, read a block at a time."""
    digest = hashlib.sha256()
    with open(name, "rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _unlink(path: Path) -> None:
    """Remove a file if it is there (OSError naming it when it cannot be)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


def _name(path: Path, folder: Path) -> str:
    """A file as the manifest names it: by name in the manifest's folder, else by its path."""
    return path.name if path.parent == folder else str(path)


def manifest_text(files: dict[Path, str], folder: Path) -> str:
    """The manifest of a set of files given with their sha256: each one's digest, and the run's digest over
    them (no time: a rerun that writes the same files writes the same manifest)."""
    digests = {_name(p, folder): digest for p, digest in files.items()}
    run = hashlib.sha256("".join(f"{n}\0{d}\n" for n, d in sorted(digests.items())).encode()).hexdigest()
    return json.dumps({"run": run, "files": dict(sorted(digests.items()))}, indent=1) + "\n"


def outputs_problem(folder: Path) -> str:
    """Why the files in an output folder are not known to be of one run ("" when they are): its manifest
    missing (a run stopped while writing, or none ever finished) or a file that is not the one it names."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        digests, run = dict(manifest["files"]), str(manifest["run"])
    except FileNotFoundError:
        return f"{folder}: no {MANIFEST}; its files may be of different runs (a run stopped while writing)"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{folder / MANIFEST}: cannot be read: {exc}"
    for name, digest in sorted(digests.items()):
        path = folder / name
        try:
            same = hashlib.sha256(path.read_bytes()).hexdigest() == digest
        except OSError:
            same = False
        if not same:
            return f"{path}: not the file of run {run[:12]} (changed, missing, or of another run)"
    return ""


def _clear_leftovers(paths: list[Path]) -> None:
    """Remove the temporary files a killed run left beside these targets (only names _stage makes)."""
    for path in paths:
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            leftover.unlink(missing_ok=True)


def write_files(files: dict[Path, tuple[Data, str]], manifest: Path | None = None) -> None:
    """Write several files ({path: (text or Pieces, encoding)}, or (bytes, "") for binary ones) all or none,
    creating their folder, and then `manifest` (when given) naming them; the temporary files of a
    run killed before are removed first. A failure is an AuditError naming the file or folder."""
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
        _clear_leftovers([*files, *([manifest] if manifest else [])])
        _replace_all(files, manifest)
    except OSError as exc:
        raise AuditError(f"{exc.filename}: cannot write: {exc.strerror}") from None


def csv_text(frame: pl.DataFrame, columns: Sequence[str]) -> str:
    """A frame as CSV text with the given columns in order."""
    return b"".join(_csv_pieces(frame, columns)).decode("utf-8")


#: Rows of a CSV table made into one piece at a time.
_CSV_ROWS = 5000


def _csv_pieces(frame: pl.DataFrame, columns: Sequence[str]) -> Iterator[bytes]:
    """A frame as CSV (UTF-8 bytes) with the given columns in order, a few thousand rows a piece, written by
    polars: every cell as `_cell` makes it, quoted where Python's csv module quotes it (a comma, a quote or a
    line break in it; an empty cell never), lines ended by CRLF."""
    table = frame.select(columns)
    for offset in range(0, max(table.height, 1), _CSV_ROWS):
        buffer = io.BytesIO()
        _cells(table.slice(offset, _CSV_ROWS)).write_csv(
            buffer, include_header=offset == 0, line_terminator="\r\n", null_value="", quote_style="necessary"
        )
        yield buffer.getvalue()


def _cells(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as the text `_cell` gives its values, an empty cell as null (which polars writes bare).

    Text and integer columns are made by one polars query of all of them (a few expressions a column);
    floats, and any other type, by `format_number` and `_cell` in Python."""
    in_python = [(n, format_number if t.is_float() else _cell) for n, t in frame.schema.items() if not _in_polars(t)]
    made = [pl.Series(name, list(map(cell, frame.get_column(name).to_list())), pl.Utf8) for name, cell in in_python]
    expressions = []
    for name, dtype in frame.schema.items():
        text = pl.col(name)
        if _in_polars(dtype):
            text = text.cast(pl.Utf8)
            # One small expression a column: the optimiser's cost grows with the expressions, a tiny table's
            # write is mostly that cost. Defusing only lengthens text, so an empty cell is empty before it.
            cell = pl.when(text == "").then(None).when(text.str.contains(_FORMULA_PATTERN)).then("'" + text)
            expressions.append(cell.otherwise(text).alias(name))
        else:
            expressions.append(pl.when(text == "").then(None).otherwise(text).alias(name))
    return frame.with_columns(made).select(expressions) if expressions else frame


def _in_polars(dtype: pl.DataType) -> bool:
    """Whether `_cells` makes a column of this type in polars (text and integers: the cell is its text)."""
    return dtype == pl.Utf8 or dtype.is_integer()


def write_csv(frame: pl.DataFrame, columns: Sequence[str], path: Path, bom: bool = False) -> None:
    """Write a frame as CSV, atomically; UTF-8 with a byte-order mark when `bom` (for Excel)."""
    write_files({path: csv_file(frame, columns, bom)})


def csv_file(frame: pl.DataFrame, columns: Sequence[str], bom: bool = False) -> tuple[Pieces, str]:
    """A frame as (CSV text pieces, encoding) for write_files; UTF-8 with a byte-order mark when `bom`."""
    return Pieces(lambda: _csv_pieces(frame, columns)), "utf-8-sig" if bom else "utf-8"


def json_file(frame: pl.DataFrame) -> tuple[str, str]:
    """A frame as (JSON text, encoding) for write_files: an array of objects."""
    return json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1) + "\n", "utf-8"


def read_claims_csv(path: Path) -> pl.DataFrame:
    """Read a claims.csv (perhaps edited in a spreadsheet) back into a claims frame, checked cell by cell.

    Bad edits are one AuditError naming the file, the row (as a spreadsheet numbers it: the header is
    row 1) and the column: a cell that is not a finite number, a row cut short or run long, a kind,
    hedge or polarity no claim has, low above high; a file saved with semicolons or tabs is named so.
    The rows are put in the order `audit run` writes them (file, then offsets), so that the facts, their
    notes and the claims written again are the same whatever order the rows were saved in.
    """
    header, rows = _claim_rows(path)
    missing = [c for c in CLAIM_COLUMNS if c not in header]
    if missing:
        raise AuditError(f"{path.name}: {_separator_problem(header) or 'missing columns ' + ', '.join(missing)}")
    if not rows:
        raise AuditError(f"{path.name}: no claim rows")
    schema = claim_schema()
    where = {column: header.index(column) for column in CLAIM_COLUMNS}
    data: dict[str, list[object]] = {column: [] for column in CLAIM_COLUMNS}
    for number, row in rows:
        for column, value in _record(path, number, row, header, where, schema).items():
            data[column].append(value)
    frame = pl.DataFrame(data, schema=schema)
    return frame.sort("file", "char_start", "char_end", "claim_id", nulls_last=True, maintain_order=True)


def _claim_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows of a claims table, each with its row number (header: row 1)."""
    shared: dict[str, str] = {}  # a cell repeated (a sentence of many claims, a source) held once
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = [[shared.setdefault(cell, cell) for cell in row] for row in csv.reader(handle)]
    except OSError as exc:
        raise AuditError(f"{path.name}: cannot read claims table: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise AuditError(f"{path.name}: cannot read claims table: not UTF-8 (bad byte at {exc.start})") from None
    except csv.Error as exc:
        raise AuditError(f"{path.name}: cannot read claims table: {exc}") from None
    if not table:
        raise AuditError(f"{path.name}: no claim rows")
    return table[0], [(n, row) for n, row in enumerate(table[1:], 2) if any(cell.strip() for cell in row)]


_SEPARATORS = {";": "semicolon", "\t": "tab", "|": "pipe"}


def _separator_problem(header: list[str]) -> str:
    """What is wrong when the header holds the columns with another separator (a spreadsheet's locale
    saving with semicolons, say), else ""."""
    line = ",".join(header)
    for separator, name in _SEPARATORS.items():
        cells = [cell.strip().strip('"') for cell in line.split(separator)]
        if sum(c in CLAIM_COLUMNS for c in cells) > len(CLAIM_COLUMNS) // 2:
            return f"{name}-separated, expected commas (save it as CSV with commas)"
    return ""


_CHOICES = {
    "kind": (tuple(Kind), False),
    "hedge": (tuple(HedgeKind), True),
    "polarity": (tuple(Polarity), True),
}  # column: (the values a claim may have, whether it may be empty)


def _record(path: Path, number: int, row: list[str], header: list[str], where, schema) -> dict[str, object]:
    """One row as a claim record; an AuditError naming the file, row and column when a cell is bad."""
    at = f"{path.name}, row {number}"
    if len(row) < len(header):
        raise AuditError(
            f"{at}: {len(row)} cells, expected {len(header)}; the row is cut short (no column {header[len(row)]} on)"
        )
    if len(row) > len(header):
        raise AuditError(f"{at}: {len(row)} cells, expected {len(header)}; the row has more cells than columns")
    record: dict[str, object] = {}
    for column in CLAIM_COLUMNS:
        cell = row[where[column]]
        try:
            record[column] = _from_cell(cell, schema[column])
        except ValueError:
            wanted = "a whole number"
            if schema[column] == pl.Float64:
                wanted = "a number" if _not_a_number(cell) else "a finite number"
            raise AuditError(f"{at}, column {column}: {cell!r} is not {wanted}") from None
        if column in _CHOICES:
            allowed, may_be_empty = _CHOICES[column]
            if cell not in allowed and not (may_be_empty and not cell):
                raise AuditError(f"{at}, column {column}: {cell!r} is not one of {', '.join(allowed)}")
    low, high = record["low"], record["high"]
    if low is not None and high is not None and low > high:
        raise AuditError(f"{at}, columns low and high: low {format_number(low)} is above high {format_number(high)}")
    return record


def _not_a_number(cell: str) -> bool:
    """Whether a cell is no number at all (as opposed to an infinite or NaN one that float() reads)."""
    try:
        float(cell)
    except ValueError:
        return True
    return False


def _from_cell(cell: str | None, dtype: pl.DataType) -> object:
    """A CSV cell back to its value (undoing the formula defusing of text)."""
    cell = cell or ""
    if dtype == pl.Float64:
        if not cell:
            return None
        number = float(cell)
        if not math.isfinite(number):  # "nan", "inf", "1e400": a float reads them, no claim holds them
            raise ValueError(cell)
        return number
    if dtype == pl.Int64:
        return int(cell) if cell else None
    if cell.startswith("'") and cell[1:2] in _FORMULA_START:
        return cell[1:]
    return cell
