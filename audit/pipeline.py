"""The whole audit in one call: ingest -> dates/extract -> reconcile. No printing, no writing.

Where one bad file is contained. A page is processed on its own twice: when it is read (ingest's
`read_corpus`, file by file) and when its claims are extracted (`extract_claims` here). Bad input
there is an AuditError and becomes a warning naming the file; an *unexpected* exception (a bug, or a
library crashing on a strange page) also becomes a warning naming the file, the stage, the exception
and the line of code that raised it, and that file's claims are left out, so one strange page costs
one page, never the run. Extraction runs as `extract_corpus` on the whole corpus, unchanged; only when
it fails is each document extracted alone to find the ones that fail, and the others are extracted
together again (a failure no single document causes is raised: it concerns every file). The stages
that work on the whole corpus (copies, stories, reconciliation) are not guarded either.

A bug must not hide behind a warning: set AUDIT_DEBUG=1 to have it raised with its traceback, and
the tests call the stages directly (unguarded) and check that the good files' claims all come through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from audit.dates import check_rules
from audit.errors import AuditError, debugging, unexpected
from audit.extract import check_examples, extract_corpus
from audit.ingest import read_corpus
from audit.model import Claim, Corpus
from audit.reconcile import claims_frame, detect_copies, reconcile
from audit.report.files import read_claims_csv
from audit.rules import RuleSet, load_rules
from audit.rules.compiled import compile_rules


@dataclass(frozen=True)
class AuditResult:
    """What an audit found: the corpus as read, the claims and facts tables, and warnings."""

    corpus: Corpus
    claims: pl.DataFrame
    facts: pl.DataFrame
    warnings: tuple[str, ...]


def extract_claims(corpus: Corpus, rules: RuleSet) -> tuple[list[Claim], tuple[str, ...]]:
    """Every claim of a corpus; documents whose extraction fails are left out with a warning naming
    them (raised instead with AUDIT_DEBUG set)."""
    try:
        return extract_corpus(corpus, rules), ()
    except Exception as exc:  # noqa: BLE001  find the page that fails; see the module docstring
        if debugging():
            raise
        failure = exc
    warnings: list[str] = []
    failed: set[int] = set()
    for number, document in enumerate(corpus.documents):
        try:
            extract_corpus(replace(corpus, documents=(document,)), rules)
        except AuditError as exc:
            warnings.append(str(exc))
            failed.add(number)
        except Exception as exc:  # noqa: BLE001  one page must not stop the others
            warnings.append(unexpected(document.source.file, "extracting its claims", exc))
            failed.add(number)
    if not failed:
        raise failure
    kept = tuple(d for n, d in enumerate(corpus.documents) if n not in failed)
    return (extract_corpus(replace(corpus, documents=kept), rules) if kept else []), tuple(warnings)


#: A progress callback: (stage, steps done, steps in all; 0 when the stage cannot count its steps).
Progress = Callable[[str, int, int], None]


def audit_folder(folder: str | Path, rules: RuleSet | None = None, progress: Progress | None = None) -> AuditResult:
    """Audit a corpus folder with the given rules (the bundled ones by default), telling `progress`
    (when given) each stage as it starts and each page as it is read."""
    report = progress or (lambda _stage, _done, _total: None)
    report("checking the rules", 0, 0)
    compiled = compile_rules(rules)  # every stage's part, built once; stages ask for the same objects
    rules = compiled.rules
    check_rules(rules)  # a broken dates.toml or a rule example the extractor does not reproduce
    check_examples(rules, compiled.matchers)  # stops the run once, before any page is read
    corpus = read_corpus(
        folder, compiled.layout, lambda done, total: report("reading pages", done, total), compiled.stories
    )
    report(f"extracting claims from {len(corpus.documents)} pages", 0, 0)
    claims, failed = extract_claims(corpus, rules)
    report("reconciling", 0, 0)
    claims, facts = reconcile(claims_frame(claims), rules, corpus.article_copies())
    warnings = rules.warnings + corpus.warnings + tuple(w for d in corpus.documents for w in d.warnings) + failed
    return AuditResult(corpus, claims, facts, warnings)


@dataclass(frozen=True)
class ReconcileResult:
    """A claims table reconciled again: the claims (fact ids filled), the facts, and the copies found."""

    claims: pl.DataFrame
    facts: pl.DataFrame
    copies: dict[str, str]


def reconcile_claims(claims: str | Path | pl.DataFrame, rules: RuleSet | None = None) -> ReconcileResult:
    """Reconcile a claims table (a claims.csv path, or its frame) edited by hand: facts and verdicts again.

    Without the corpus, copies are found in the claims themselves (word-for-word identical sentences)."""
    rules = rules or load_rules()
    frame = claims if isinstance(claims, pl.DataFrame) else read_claims_csv(Path(claims))
    copies = detect_copies(frame)
    claims_out, facts = reconcile(frame, rules, copies)
    return ReconcileResult(claims_out, facts, copies)
