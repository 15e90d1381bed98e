"""The whole audit in one call: ingest -> dates/extract -> reconcile. No printing, no writing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from audit.extract import extract_corpus
from audit.ingest import read_corpus
from audit.model import Corpus
from audit.reconcile import claims_frame, reconcile
from audit.rules import RuleSet, load_rules


@dataclass(frozen=True)
class AuditResult:
    """What an audit found: the corpus as read, the claims and facts tables, and warnings."""

    corpus: Corpus
    claims: pl.DataFrame
    facts: pl.DataFrame
    warnings: tuple[str, ...]


def audit_folder(folder: str | Path, rules: RuleSet | None = None) -> AuditResult:
    """Audit a corpus folder with the given rules (the bundled ones by default)."""
    rules = rules or load_rules()
    corpus = read_corpus(folder, rules)
    claims = claims_frame(extract_corpus(corpus, rules))
    claims, facts = reconcile(claims, rules, corpus.article_copies())
    warnings = corpus.warnings + tuple(w for d in corpus.documents for w in d.warnings)
    return AuditResult(corpus, claims, facts, warnings)
