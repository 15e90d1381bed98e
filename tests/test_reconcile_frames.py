"""The reconciler's working frames stay narrow (memory after extraction): the claims' long texts never travel
in them, a fact's claims carry only what the steps after grouping read, and the claims frame is built a
column at a time; the same tables as before whichever way."""

from __future__ import annotations

import polars as pl
import pytest

import audit.reconcile as reconcile_module
from audit.pipeline import _joined
from audit.reconcile import MEMBER_READ, USABLE_READ, reconcile
from audit.reconcile.frame import TEXT_COLUMNS, Col, beside


def _watch(monkeypatch, name: str, seen: dict[str, list[str]]) -> None:
    """Record the columns of the first frame given to the reconciler's step `name`."""
    original = getattr(reconcile_module, name)

    def watched(frame, *args, **kwargs):
        seen[name] = list(frame.columns)
        return original(frame, *args, **kwargs)

    monkeypatch.setattr(reconcile_module, name, watched)


def test_working_frames_never_carry_the_texts(seed_audit, rules, monkeypatch):
    """Grouping, counting, voting and notes see no headline, text or sentence column; the tables are the same."""
    seen: dict[str, list[str]] = {}
    for name in ("_group", "_fact_rows", "voting", "_notes"):
        _watch(monkeypatch, name, seen)
    claims, facts = reconcile(seed_audit.claims, rules, seed_audit.corpus.article_copies())
    assert set(seen) == {"_group", "_fact_rows", "voting", "_notes"}
    for name, columns in seen.items():
        assert not set(TEXT_COLUMNS) & set(columns), name
    assert seen["_fact_rows"] == [*MEMBER_READ, "fact_id"]
    assert seen["voting"] == list(USABLE_READ)
    assert claims.equals(seed_audit.claims) and facts.equals(seed_audit.facts)


FRAME = pl.DataFrame({Col.ROW: [0, 1, 2, 3], "k": ["a", "b", "a", "c"]}, schema={Col.ROW: pl.UInt32, "k": pl.Utf8})
BESIDE = {
    "by-row": (FRAME[[2, 0, 3, 1]], pl.DataFrame({Col.ROW: [3, 2], "x": [30, 20]}), Col.ROW, [20, None, 30, None]),
    "by-key": (FRAME, pl.DataFrame({"k": ["c", "a"], "x": [3, 1]}), "k", [1, None, 1, 3]),
    "none-found": (FRAME, pl.DataFrame({"k": ["z"], "x": [9]}), "k", [None] * 4),
}


@pytest.mark.parametrize(("frame", "found", "on", "expected"), list(BESIDE.values()), ids=list(BESIDE))
def test_beside_gives_found_columns_in_the_frames_order(frame, found, on, expected):
    assert [s.to_list() for s in beside(frame, found, on)] == [expected]


@pytest.mark.parametrize("pieces", [[2, 1], [1, 1, 1], [0, 3], [3]])
def test_frames_joined_a_column_at_a_time_are_the_concat(pieces):
    whole = pl.DataFrame({"a": [1, 2, 3], "b": ["x", None, "z"], "c": [0.5, 1.5, None]})
    frames, start = [], 0
    for size in pieces:
        frames.append(whole.slice(start, size))
        start += size
    joined = _joined(frames)
    assert joined.equals(whole) and joined.schema == whole.schema and frames == []
    assert all(joined[c].n_chunks() == 1 for c in joined.columns)
