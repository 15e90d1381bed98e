"""Machine formats of the two tables: CSV, JSON and JSON Lines text, Parquet and SQLite bytes.

Every format holds the columns of claims.csv and facts.csv (../docs/columns.md), typed: numbers as
numbers, empty numbers as null, text as in the CSV. One difference, in JSON and JSON Lines only: a
fact's `values` is a list with one entry per claim, {claim_id, source, outlet, value (as written),
low, high, as_of}, where facts.csv has one string. Parquet and SQLite keep the string, as in the CSV.

The SQLite file has a `claims` and a `facts` table with typed columns and indexes on what one filters
by, and a `claim_facts` view that puts each claim beside its fact's verdict and best figure: ready for
`datasette FILE` (claims.fact_id is a foreign key to facts, NULL for a claim in no fact, where the CSV
has an empty cell). It is built in memory and returned as bytes, so that it is written atomically with
the other files.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence

import polars as pl

from audit.model import CLAIM_COLUMNS, FACT_COLUMNS
from audit.reconcile import as_written
from audit.report.files import csv_text

#: What each entry of a fact's `values` list holds, in JSON and JSON Lines.
VALUE_KEYS = ("claim_id", "source", "outlet", "value", "low", "high", "as_of")


def fact_records(facts: pl.DataFrame, claims: pl.DataFrame, written: Mapping[str, str] | None = None) -> list[dict]:
    """Each fact as a dict of facts.csv's columns, `values` a list of its claims (see VALUE_KEYS)."""
    values = _values_by_fact(claims, written)
    records = []
    for fact in facts.select(FACT_COLUMNS).iter_rows(named=True):
        fact["values"] = values.get(fact["fact_id"], [])
        records.append(fact)
    return records


def _values_by_fact(claims: pl.DataFrame, written: Mapping[str, str] | None) -> dict[str, list[dict]]:
    """Fact id -> its claims as {claim_id, source, outlet, value as written, low, high, as_of}, in the
    order they were stated (as_of, then source, then place in the page)."""
    rows = claims.filter(pl.col("fact_id") != "").sort("as_of", "source", "char_start", nulls_last=True)
    out: dict[str, list[dict]] = {}
    for row in rows.iter_rows(named=True):
        entry = {
            "claim_id": row["claim_id"],
            "source": row["source"],
            "outlet": row["outlet"],
            "value": as_written(row, written),
            "low": row["low"],
            "high": row["high"],
            "as_of": row["as_of"],
        }
        out.setdefault(row["fact_id"], []).append(entry)
    return out


def claim_records(claims: pl.DataFrame) -> list[dict]:
    """Each claim as a dict of claims.csv's columns."""
    return claims.select(CLAIM_COLUMNS).to_dicts()


def json_text(records: Sequence[dict]) -> str:
    """Records as one JSON array (UTF-8 text, one key a line)."""
    return json.dumps(list(records), ensure_ascii=False, indent=1) + "\n"


def jsonl_text(records: Iterable[dict]) -> str:
    """Records as JSON Lines: one compact object a line."""
    return "".join(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n" for record in records)


def stdout_text(
    fmt: str,
    facts: pl.DataFrame,
    claims: pl.DataFrame,
    of_claims: bool = False,
    written: Mapping[str, str] | None = None,
) -> str:
    """The facts (or, with `of_claims`, the claims) in a stdout format: csv, json or jsonl."""
    if fmt == "csv":
        return csv_text(claims, CLAIM_COLUMNS) if of_claims else csv_text(facts, FACT_COLUMNS)
    records = claim_records(claims) if of_claims else fact_records(facts, claims, written)
    if fmt == "json":
        return json_text(records)
    if fmt == "jsonl":
        return jsonl_text(records)
    raise ValueError(f"not a stdout format: {fmt}")


def parquet_bytes(frame: pl.DataFrame, columns: Sequence[str]) -> bytes:
    """A frame's columns as a Parquet file."""
    buffer = io.BytesIO()
    frame.select(columns).write_parquet(buffer)
    return buffer.getvalue()


_SQL_TYPES = {pl.Float64: "REAL", pl.Int64: "INTEGER", pl.Int32: "INTEGER", pl.UInt32: "INTEGER"}
_INDEXES = {
    "claims": ("claim_id", "fact_id", "source", "story", "measure", "kind"),
    "facts": ("verdict", "story", "measure", "kind"),
}
_VIEW = """
CREATE VIEW claim_facts AS
SELECT c.claim_id, c.source, c.outlet, c.published, c.story, c.kind, c.measure, c.subject, c.subject_key,
       c.value, c.low, c.high, c.hedge, c.unit, c.timex, c.date, c.date_end, c.as_of, c.polarity, c.speaker,
       c.text, c.sentence, c.file, c.char_start, c.char_end, c.fact_id,
       f.verdict, f.event_date, f.independent, f.low AS fact_low, f.best AS fact_best, f.high AS fact_high,
       f."values" AS fact_values, f.note AS fact_note
FROM claims AS c LEFT JOIN facts AS f ON f.fact_id = c.fact_id
"""


def sqlite_bytes(claims: pl.DataFrame, facts: pl.DataFrame) -> bytes:
    """A SQLite database of both tables (typed, indexed) and the `claim_facts` view, as bytes."""
    db = sqlite3.connect(":memory:")
    try:
        _create_table(db, "facts", facts.select(FACT_COLUMNS), primary_key="fact_id")
        # A claim in no fact has a NULL fact_id here (an empty one in the CSV): the foreign key stays valid.
        linked = claims.select(CLAIM_COLUMNS).with_columns(pl.col("fact_id").replace("", None))
        _create_table(db, "claims", linked, references={"fact_id": "facts"})
        for table, columns in _INDEXES.items():
            for column in columns:
                db.execute(f'CREATE INDEX "{table}_{column}" ON "{table}" ("{column}")')
        db.execute(_VIEW)
        db.commit()
        return db.serialize()
    finally:
        db.close()


def _create_table(
    db: sqlite3.Connection,
    name: str,
    frame: pl.DataFrame,
    primary_key: str = "",
    references: dict[str, str] | None = None,
) -> None:
    """Create a table with a column per frame column, typed from the frame, and fill it."""
    columns = []
    for column, dtype in frame.schema.items():
        sql_type = _SQL_TYPES.get(dtype, "TEXT")
        key = " PRIMARY KEY" if column == primary_key else ""
        target = (references or {}).get(column)
        link = f' REFERENCES "{target}" ("{column}")' if target else ""
        columns.append(f'"{column}" {sql_type}{key}{link}')
    db.execute(f'CREATE TABLE "{name}" ({", ".join(columns)})')
    marks = ", ".join("?" for _ in frame.columns)
    db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', frame.iter_rows())
