"""The library entry points documented in the README: `audit.audit_folder` and `audit.reconcile_claims`."""

from __future__ import annotations

import polars as pl

import audit
from audit.model import CLAIM_COLUMNS, FACT_COLUMNS
from audit.report import csv_text
from tests.conftest import SEEDS


def test_audit_folder_returns_the_two_tables_as_frames():
    result = audit.audit_folder(SEEDS)
    assert isinstance(result.claims, pl.DataFrame) and isinstance(result.facts, pl.DataFrame)
    assert set(CLAIM_COLUMNS) <= set(result.claims.columns)
    assert set(FACT_COLUMNS) <= set(result.facts.columns)


def test_reconcile_claims_gives_the_facts_of_the_run_again(seed_audit, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(csv_text(seed_audit.claims, CLAIM_COLUMNS), encoding="utf-8")
    again = audit.reconcile_claims(path)
    # 000 and 001 print the same sentences: found again from the claims alone
    assert any(copy.startswith("001_") and original.startswith("000_") for copy, original in again.copies.items())
    pause = again.facts.filter(pl.col("measure") == "pause")
    assert pause["verdict"].to_list() == ["conflict"]
    assert again.facts.height == seed_audit.facts.height
