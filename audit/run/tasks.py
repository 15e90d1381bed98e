"""The work done page by page, anywhere: reading one file, extracting one document's claims.

Each task takes the compiled rules and one item and never raises for a bad page: it returns a warning
instead (as the serial pipeline always did), so a worker process or a Dask worker gives the same result
as the main process. With AUDIT_DEBUG set an unexpected error is raised, as everywhere else.
"""

from __future__ import annotations

import pickle
import tempfile
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from audit.errors import AuditError, debugging, unexpected
from audit.extract import extract_document
from audit.ingest.corpus import read_page as read_here
from audit.link.stories import article_features
from audit.link.stories.features import Loose
from audit.model import CLAIM_COLUMNS, Claim, Document
from audit.rules.compiled import CompiledRules, compile_rules
from audit.rules.load import load_rules
from audit.run.budget import timed_each

#: What reading one page gives: its Document, or the one warning line that says why it was not read.
ReadOutcome = Document | str


def read_page(compiled: CompiledRules, item: tuple[str, dict[str, str], bytes | None]) -> ReadOutcome:
    """Read one file (its bytes given, or read here) with what story grouping reads in its articles (so the
    main process only groups); a file that cannot be read is a warning."""
    name, entry, data = item
    document = read_here(Path(name), entry, compiled.layout, data)
    if isinstance(document, str):
        return document
    try:
        return replace(document, features=article_features(document, compiled.stories))
    except Exception:  # noqa: BLE001  grouping works them out itself (unguarded, where a bug shows)
        if debugging():
            raise
        return document


def read_page_loose(compiled: CompiledRules, item: tuple[str, dict[str, str], bytes | None]) -> ReadOutcome:
    """`read_page` with the story features loosely packed (features.Loose): what a worker sends back, so that
    the main process, which takes in every page, only numbers their terms."""
    outcome = read_page(compiled, item)
    if not isinstance(outcome, Document) or not outcome.features:
        return outcome
    return replace(outcome, features=tuple(Loose.of(signals) for signals in outcome.features))


def extract_page(compiled: CompiledRules, item: tuple[Document, str, int]) -> tuple[bytes, str]:
    """One document's claims as packed claims.csv rows (see `pack_rows`), and a warning ("" when none)
    when its extraction fails (no claims then) or when the page gives more than `cap` claims (0: no cap;
    its first `cap` kept, and the rest of the page never read)."""
    document, short_id, cap = item
    try:
        claims = extract_document(document, compiled.rules, short_id, compiled.matchers, limit=cap)
        if cap and len(claims) > cap:
            return pack_rows(claims[:cap]), (
                f"{document.source.file}: more than {cap:,} claims, more than one page may give (rules/facts.toml "
                f"page_claims = {cap:,}); its first {cap:,} audited, the rest left out"
            )
        return pack_rows(claims), ""
    except AuditError as exc:
        return pack_rows([]), str(exc)
    except Exception as exc:  # noqa: BLE001  one page must not stop the others
        if debugging():
            raise
        return pack_rows([]), unexpected(document.source.file, "extracting its claims", exc)


def pack_rows(claims: list[Claim]) -> bytes:
    """Claims as their claims.csv rows (tuples of CLAIM_COLUMNS), pickled: what the main process holds for
    every page until the claims table is built (a third of the memory of the rows, a tenth of the records';
    a page's repeated strings, its file, outlet and headline, are held once)."""
    return pickle.dumps([tuple(getattr(claim, column) for column in CLAIM_COLUMNS) for claim in claims], protocol=5)


def unpack_rows(packed: bytes) -> list[tuple]:
    """The claims.csv rows of `pack_rows`."""
    return pickle.loads(packed)


#: A sentence that wakes every lazy table of extraction (dates, lemmas, units, hedges); its numeric date is
#: one dateparser reads (a two-digit year: plain month words and numeric dates with four are read without it,
#: audit.dates.words.parse_calendar).
_WAKE = "On Thursday, January 9, 2020, at least 12 soldiers were killed and about $2.3 million was pledged (1/10/20)."


def warm_up(compiled: CompiledRules) -> None:
    """Load what extraction loads on first use (date locales, lemma tables), before worker processes are
    forked: they inherit it instead of each loading it again."""
    from audit.extract import extract_text

    extract_text(_WAKE, compiled.rules, published="2020-01-10", matchers=compiled.matchers)
    warm_readers()


def warm_readers() -> None:
    """Load what reading loads on first use (the lemma tables of story features), before readers are forked:
    a tenth of what `warm_up` costs (the date parser's locales are extraction's alone)."""
    from audit.lexicon import load_lemmatizer

    load_lemmatizer()  # simplemma, for the words the kept lemmas (audit.lexicon) lack


#: The tasks whose workers need only `warm_readers` (the pool forks them at once and warms up beside them).
READING_TASKS = frozenset({read_page, read_page_loose})


@dataclass(frozen=True)
class RulesPayload:
    """A rules folder as its files' bytes: what a machine without that folder needs to compile the same
    rules (a Dask worker elsewhere). Compiled once per process and digest."""

    files: tuple[tuple[str, bytes], ...]
    digest: str

    @classmethod
    def of(cls, compiled: CompiledRules) -> RulesPayload:
        """The payload of compiled rules (the files of their folder, which must not have changed)."""
        folder = Path(compiled.rules.folder)
        files = tuple((file.name, file.read_bytes()) for file in sorted(folder.glob("*.toml")))
        return cls(files, compiled.rules.digest)

    def compiled(self) -> CompiledRules:
        """The compiled rules, built from the bytes the first time this process asks."""
        if self.digest not in _COMPILED:
            # The folder only while the rules are read and compiled: a worker that lives long leaves none behind.
            with tempfile.TemporaryDirectory(prefix="audit-rules-") as name:
                folder = Path(name)
                for file, data in self.files:
                    (folder / file).write_bytes(data)
                rules = load_rules(folder)
                if rules.digest != self.digest:
                    raise AuditError(f"{folder}: the rule files differ from the ones sent; rules not compiled")
                _COMPILED[self.digest] = compile_rules(rules)
        return _COMPILED[self.digest]


_COMPILED: dict[str, CompiledRules] = {}


def run_chunk(payload: RulesPayload | CompiledRules, task, items: list, seconds: list[float] | None = None) -> list:
    """A task over a chunk of items, in order, each within its `seconds` of processor time (a Stopped when
    over; what a Dask worker runs)."""
    compiled = payload.compiled() if isinstance(payload, RulesPayload) else payload
    works = [partial(task, compiled, item) for item in items]
    return timed_each(works, seconds if seconds is not None else [0.0] * len(items))
