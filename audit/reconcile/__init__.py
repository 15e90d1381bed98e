"""Reconcile: group claims into facts across sources and give each fact a verdict.

A fact is one measure of one subject for one event in one story. The steps, all on polars frames:

1. Normalise: every claim becomes an interval [lo, hi] in a canonical unit (durations in days, money in
   units of its currency, dates as day numbers); an empty `low`/`high` is an open side. Copies count once:
   each claim gets the `origin` it was copied from (`copies`, or copies found in the claims themselves).
   Each claim also gets the time it was stated (times) and its scope: the whole, a part, an increment, an
   earlier or a revised figure, from the words around it (scope, rules/facts.toml).
2. Group: same story, kind, measure, subject key, unit and scope; claims about events more than a year
   apart (or with event dates more than a few days apart) never join, an undated figure joins the event
   it was stated near. Figures nothing names join by value alone. Dates that no rule names join when
   they give the same day in one story and their sentences share a word (see `_date_facts`).
3. Judge: single / agree / compatible from the intervals; when they do not overlap, the time logic of
   the design (cumulative measures only grow, stocks and figures that may fall move either way,
   anything else cannot change) decides between evolving and conflict, using dated claims only, in the
   order they were stated. Of several values one source gives a running figure at once, the largest votes.
4. Summarise: `low`/`high` (the common interval, or the latest one for a running figure), `best` (the
   value most independent sources allow, sources weighted by how often they agree with the others
   elsewhere), `values` as written with their sources, and a `note` that says why.

The steps live in frame (schemas, internal columns), times and scope (1), group (1, 2), judge (3), best and
notes (4); the
copy detectors in audit.link.claim_copies. This module runs them and re-exports their public names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from audit.link.claim_copies import COPY_SHARE, copies_from_values, detect_copies
from audit.model import CLAIM_COLUMNS, VERDICTS
from audit.reconcile.batches import Waiting, story_batches
from audit.reconcile.best import PRIOR_AGREE, PRIOR_SEEN, WEIGHT_ROUNDS, _summarise, source_weights, weighed_claims
from audit.reconcile.frame import TEXT_COLUMNS, Col, beside, claims_frame, fact_schema
from audit.reconcile.group import (
    ERA_DAYS,
    EVENT_WINDOW_DAYS,
    _fact_id,
    _fact_rows,
    _group,
    _prepare,
    link_ignored,
    measure_subjects,
    texts,
    unit_factors,
    unit_table,
)
from audit.reconcile.judge import _judge, _rule_flags, voting
from audit.reconcile.notes import _notes, as_written, part_of_pattern, written_table
from audit.reconcile.scope import FactRules
from audit.rules import RuleSet

__all__ = [
    "COPY_SHARE",
    "ERA_DAYS",
    "EVENT_WINDOW_DAYS",
    "FactRules",
    "PRIOR_AGREE",
    "PRIOR_SEEN",
    "WEIGHT_ROUNDS",
    "as_written",
    "claims_frame",
    "copies_from_values",
    "detect_copies",
    "link_ignored",
    "part_of_pattern",
    "reconcile",
    "source_weights",
    "unit_factors",
    "unit_table",
    "written_table",
]


#: Claim columns no step of the reconciler reads (they are in its output, from the claims given).
UNREAD = ("file", "outlet", "url", "speaker", "rule")
#: What the steps after grouping read of a fact's claims (`_fact_rows`, `_notes`; `fact_id` is added).
MEMBER_READ = (
    *(Col.FACT, Col.ROW, Col.ORIGIN, Col.SHORT, Col.UNIT, Col.SUBJECT, Col.VALUE, Col.LO, Col.HI, Col.USABLE),
    *(Col.EV0, Col.EV1, Col.ASOF, Col.T0, Col.T1, Col.SCOPE, Col.ROLE, Col.LINK),
    *("source", "article", "story", "kind", "measure", "value", "low", "high", "hedge", "unit", "timex"),
    *("date", "date_end", "polarity", "char_start"),
)
#: What `voting`, `_judge` and `_summarise` read of the usable claims.
USABLE_READ = (
    *(Col.FACT, Col.ORIGIN, Col.ROW, Col.VALUE, Col.LO, Col.HI, Col.ASOF, Col.T0, Col.T1, Col.ROLE),
    *("measure", "article", "char_start"),
)


@dataclass(frozen=True)
class _Given:
    """What the steps read besides the claims, built once for every batch: the rules' parts and the copies."""

    copies: Mapping[str, str]
    facts: FactRules
    cumulative: set[str]
    stock: set[str]
    units: Mapping[str, tuple]
    subjects: Mapping[str, str]
    ignored: frozenset[str]
    written: Mapping[str, str]
    part_of: tuple

    @classmethod
    def of(cls, rules: RuleSet, copies: Mapping[str, str]) -> _Given:
        """The parts of `rules` the steps read, with `copies`."""
        facts = FactRules.from_rules(rules)
        cumulative, stock = _rule_flags(rules, facts.may_fall)
        tables = (unit_table(rules), measure_subjects(rules), link_ignored(rules))
        return cls(copies, facts, cumulative, stock, *tables, written_table(rules), part_of_pattern(rules))


@dataclass(frozen=True)
class _Judged:
    """A batch of stories grouped and judged: its facts' claims (`MEMBER_READ`, with fact_id), the claims that
    vote (`USABLE_READ`, see `voting`) and the facts with their verdicts; Col.ROW numbers its claims in order."""

    rows: pl.Series | None  # the batch's rows in the claims given (None: every row)
    members: pl.DataFrame
    usable: pl.DataFrame
    facts: pl.DataFrame


def reconcile(
    claims: pl.DataFrame, rules: RuleSet, copies: Mapping[str, str] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Group claims into facts; return the claims with fact_id filled and the facts table (conflicts first).

    `copies` maps a copying source id (or "source#article") to its original; None finds copies in the
    claims themselves (identical sentences, see `detect_copies`). A batch of whole stories at a time
    (audit.reconcile.batches): each batch judged, the sources' weights learnt from every batch's facts (the
    one corpus-wide pass), then each batch's best values and notes.
    """
    claims = claims.select(CLAIM_COLUMNS)
    if claims.is_empty():
        return claims, pl.DataFrame(schema=fact_schema())
    given = _Given.of(rules, detect_copies(claims) if copies is None else copies)
    batches = story_batches(claims)
    judged, weighed = Waiting(len(batches)), []
    for rows in batches:
        batch = _judged_batch(claims, rows, given)
        weighed.append(weighed_claims(batch.usable, batch.facts))
        judged.append(batch)
        del batch
    weights = _corpus_weights(weighed)
    # Each row's fact id, in row order, set beside the claims (joining and sorting them would copy every column):
    # a claim is a member of one fact at most, so its id is put in its row's place.
    of_row = pl.Series("fact_id", [""] * claims.height, dtype=pl.Utf8)
    facts = []
    for batch in judged:
        facts.append(_finished_batch(claims, batch, weights, given))
        rows = batch.members[Col.ROW] if batch.rows is None else batch.rows.gather(batch.members[Col.ROW])
        of_row = of_row.scatter(rows, batch.members["fact_id"])
        del batch
    out = claims.with_columns(of_row)
    order = {v: i for i, v in enumerate(VERDICTS)}
    facts = pl.concat(facts) if len(facts) > 1 else facts[0]
    facts = facts.sort(pl.col("verdict").replace_strict(order, return_dtype=pl.Int32), "story", "measure", "fact_id")
    return out.select(CLAIM_COLUMNS), facts


def _judged_batch(claims: pl.DataFrame, rows: pl.Series | None, given: _Given) -> _Judged:
    """The claims of some rows (whole stories; None: all) grouped into facts, and the facts judged."""
    # The working frames hold only the columns the reconciler reads; each let go once the next is made.
    # The claims' texts are taken by row where read (the claims frame holds them anyway): never copied whole.
    batch = _of_rows(claims.drop(UNREAD), rows)
    prepared = _prepare(batch, given.copies, given.units, given.facts, given.subjects)
    text = texts(batch)
    del batch
    frame = _group(prepared, given.ignored, text, given.facts)
    del prepared
    members = frame.select(MEMBER_READ).filter(frame[Col.FACT].is_not_null())
    del frame
    keys = members[Col.FACT].unique().sort().to_list()
    ids = pl.DataFrame(
        {Col.FACT: keys, "fact_id": [_fact_id(k) for k in keys]}, schema={Col.FACT: pl.Utf8, "fact_id": pl.Utf8}
    )
    members = members.with_columns(beside(members, ids, on=Col.FACT))
    facts = _fact_rows(members)
    # The verdict and best read these columns of the usable claims alone (judge, best): a narrow copy.
    usable = voting(members.select(USABLE_READ).filter(members[Col.USABLE]), given.cumulative)
    facts = _judge(usable, facts, given.cumulative, given.stock, given.facts.may_fall)
    return _Judged(rows, members, usable, facts)


def _corpus_weights(weighed: list[pl.DataFrame]) -> pl.DataFrame:
    """The corpus-wide pass: the sources' weights, learnt from the steady facts of every batch at once (a
    source's weight is how often it allows the consensus anywhere). Empties `weighed`."""
    claims = pl.concat(weighed) if len(weighed) > 1 else weighed[0]
    weighed.clear()
    return source_weights(claims)


def _finished_batch(claims: pl.DataFrame, batch: _Judged, weights: pl.DataFrame, given: _Given) -> pl.DataFrame:
    """A judged batch's facts with their low, best and high values (the sources weighted by `weights`) and
    notes, in the facts table's columns."""
    facts = _summarise(batch.usable, batch.facts, weights)
    text = texts(_of_rows(claims.select(TEXT_COLUMNS), batch.rows))
    facts = _notes(batch.members, facts, given.written, given.part_of, text, given.cumulative)
    return facts.select([pl.col(c).cast(t) for c, t in fact_schema().items()])


def _of_rows(frame: pl.DataFrame, rows: pl.Series | None) -> pl.DataFrame:
    """Some rows of a frame, in the order given (None: the frame itself, not copied)."""
    return frame if rows is None else frame.select(pl.all().gather(rows))
