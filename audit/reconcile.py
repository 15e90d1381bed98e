"""Reconcile: group claims into facts across sources and give each fact a verdict.

A fact is one measure of one subject for one event in one story. Copies of the same text (found at
ingestion) count once. Verdicts follow ../shared/design.md: agree, compatible, conflict, evolving, single.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import polars as pl

from audit.model import CLAIM_COLUMNS, FACT_COLUMNS, Claim
from audit.numbers import format_number
from audit.rules import RuleSet

_FLOAT_COLUMNS = ("value", "low", "high")
_INT_COLUMNS = ("article", "char_start", "char_end")
# The key of a fact: claims that share all of these state the same thing.
FACT_KEY = ("story", "kind", "measure", "subject_key", "unit", "event_date")


def claims_frame(claims: list[Claim]) -> pl.DataFrame:
    """The claim rows as a polars frame with the columns of claims.csv."""
    schema = {
        c: pl.Float64 if c in _FLOAT_COLUMNS else pl.Int64 if c in _INT_COLUMNS else pl.Utf8 for c in CLAIM_COLUMNS
    }
    rows = [{c: getattr(claim, c) for c in CLAIM_COLUMNS} for claim in claims]
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _fact_id(key: tuple) -> str:
    """A stable id from a fact's key: the same claims give the same id on every run."""
    digest = hashlib.sha1("\x1f".join(str(k) for k in key).encode()).hexdigest()[:8]
    return f"F{digest}"


def _as_written(row: Mapping) -> str:
    """A claim's value as a reader would say it: "at least 11", "~5,200", "50"."""
    value = format_number(row["value"])
    prefix = {
        "at_least": "at least ",
        "more_than": "more than ",
        "at_most": "at most ",
        "less_than": "less than ",
        "about": "~",
        "nearly": "nearly ",
        "range": "",
        "vague": "~",
    }
    if row["kind"] == "date":
        return row["date"] or row["timex"]
    text = prefix.get(row["hedge"], "") + value
    if row["polarity"] == "denied":
        text = f"denied: {text}"
    return text


def _overlap(intervals: list[tuple[float, float]]) -> bool:
    """Whether all intervals share at least one point."""
    return max(low for low, _ in intervals) <= min(high for _, high in intervals)


def _verdict(group: pl.DataFrame, independent: int, cumulative: bool) -> tuple[str, str]:
    """The verdict of one fact and the note that says why."""
    asserted = group.filter(pl.col("polarity") != "denied")
    if independent <= 1:
        return "single", "one independent source"
    if asserted.is_empty():
        return "single", "only denials"
    inf = float("inf")
    intervals = [
        (lo if lo is not None else -inf, hi if hi is not None else inf)
        for lo, hi in zip(asserted["low"].to_list(), asserted["high"].to_list(), strict=True)
    ]
    if asserted["kind"][0] == "date":
        intervals = [
            (0, 0) if d == first else (1, 1) for d in asserted["date"].to_list() for first in [asserted["date"][0]]
        ]
    if len(set(intervals)) == 1:
        return "agree", "every independent source states the same interval"
    if _overlap(intervals):
        return "compatible", "the intervals overlap"
    dated = asserted.filter(pl.col("as_of") != "").sort("as_of")
    if dated.height == asserted.height and dated["as_of"].n_unique() > 1:
        values = dated.group_by("as_of", maintain_order=True).agg(pl.col("value").max())["value"].to_list()
        if cumulative and values == sorted(values):
            return "evolving", "a running figure that grows as time goes on"
        if cumulative:
            return "conflict", "a cumulative figure that falls as time goes on"
        return "evolving", "stated as of different days"
    return "conflict", "the intervals do not overlap"


def reconcile(
    claims: pl.DataFrame, rules: RuleSet, copies: Mapping[str, str] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Group claims into facts; return the claims with fact_id filled and the facts table."""
    copies = copies or {}
    cumulative = {r.id for r in rules.rules("counts", "measure") if r.get("cumulative")}
    frame = claims.with_columns(
        pl.when(pl.col("kind") == "date").then(pl.lit("")).otherwise(pl.col("date")).alias("event_date"),
        pl.col("source").replace(dict(copies)).alias("_origin"),
    )
    groupable = frame.filter(pl.col("measure") != "")
    facts: list[dict] = []
    fact_of: dict[str, str] = {}
    for key, group in groupable.group_by(list(FACT_KEY), maintain_order=True):
        fact_id = _fact_id(key)
        fact_of.update(dict.fromkeys(group["claim_id"].to_list(), fact_id))
        independent = group["_origin"].n_unique()
        verdict, note = _verdict(group, independent, group["measure"][0] in cumulative)
        if independent < group["source"].n_unique():
            note += "; copies counted once"
        values: dict[str, set[str]] = {}
        for row in group.iter_rows(named=True):
            values.setdefault(_as_written(row), set()).add(row["claim_id"].split(":")[0])
        lows = [v for v in group["low"].to_list() if v is not None]
        highs = [v for v in group["high"].to_list() if v is not None]
        best = group["value"].median() if group["kind"][0] != "date" else None
        facts.append(
            {
                **dict(zip(FACT_KEY, key, strict=True)),
                "fact_id": fact_id,
                "claims": group.height,
                "sources": group["source"].n_unique(),
                "independent": independent,
                "low": max(lows) if lows else None,
                "best": best,
                "high": min(highs) if highs else None,
                "values": "; ".join(f"{v} [{','.join(sorted(s))}]" for v, s in sorted(values.items())),
                "verdict": verdict,
                "note": note,
            }
        )
    order = {v: i for i, v in enumerate(("conflict", "evolving", "compatible", "agree", "single"))}
    facts.sort(key=lambda f: (order[f["verdict"]], f["story"], f["measure"], f["fact_id"]))
    schema = {
        c: pl.Int64
        if c in ("claims", "sources", "independent")
        else pl.Float64
        if c in ("low", "best", "high")
        else pl.Utf8
        for c in FACT_COLUMNS
    }
    facts_frame = pl.DataFrame(facts, schema=schema) if facts else pl.DataFrame(schema=schema)
    out = claims.with_columns(pl.col("claim_id").replace_strict(fact_of, default="").alias("fact_id"))
    return out.select(CLAIM_COLUMNS), facts_frame.select(FACT_COLUMNS)
