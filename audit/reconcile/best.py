"""Summarise: each fact's `low`/`high` and `best`, sources weighted by how often they allow the consensus.

`low`/`high` are the common interval (or, when the intervals do not meet, their union), of the latest
day's claims for a running figure; `best` is the value most independent sources allow. The weights are the
one thing learnt across stories: from the claims of every steady fact of the corpus (`weighed_claims`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from audit.model import Verdict
from audit.reconcile.frame import Col, iso

#: Source weights: agreement with the consensus is smoothed with this prior (4 in 5) before it is used.
PRIOR_AGREE, PRIOR_SEEN = 4.0, 5.0
WEIGHT_ROUNDS = 5


@dataclass(frozen=True)
class Support:
    """What `best` is chosen from, in space linear in the claims (weights change neither table).

    `spans`: each source's intervals per fact, merged where they meet (a source allows a value once).
    `sweep`: every interval end and every candidate (a value some claim states, with its distance from the
    median of the sources' values, for ties), sorted along each fact's axis: a low end opens before a
    candidate at the same position is read, a high end closes after it.
    """

    spans: pl.DataFrame
    sweep: pl.DataFrame


_POSITION, _STEP, _SIGN, _SOURCES = "_pos", "_step", "_sign", "_sources"


def _support_table(counted: pl.DataFrame) -> Support:
    """The spans and the sorted sweep of a set of counted claims (see `Support`)."""
    spans = _merged_spans(counted.filter(pl.col(Col.HI).is_not_null()))
    stating = counted.filter(pl.col(Col.VALUE).is_not_null())
    middle = (
        stating.group_by(Col.FACT, Col.ORIGIN)
        .agg(pl.col(Col.VALUE).median())
        .group_by(Col.FACT)
        .agg(pl.col(Col.VALUE).median().alias(Col.MIDDLE))
    )
    candidates = (
        stating.select(Col.FACT, pl.col(Col.VALUE).alias(Col.CANDIDATE))
        .unique()
        .join(middle, on=Col.FACT, how="left")
        .select(
            Col.FACT,
            pl.col(Col.CANDIDATE).alias(_POSITION),
            pl.lit(1, pl.Int8).alias(_STEP),
            pl.lit(0, pl.Int64).alias(_SIGN),
            pl.lit(None, pl.Utf8).alias(Col.ORIGIN),
            Col.CANDIDATE,
            (pl.col(Col.CANDIDATE) - pl.col(Col.MIDDLE)).abs().alias(Col.GAP),
        )
    )

    def ends(bound: str, step: int, sign: int) -> pl.DataFrame:
        """One end of every span: where it stands, its place among equal positions, what it adds."""
        return spans.select(
            Col.FACT,
            pl.col(bound).alias(_POSITION),
            pl.lit(step, pl.Int8).alias(_STEP),
            pl.lit(sign, pl.Int64).alias(_SIGN),
            pl.col(Col.ORIGIN).cast(pl.Utf8),
            pl.lit(None, pl.Float64).alias(Col.CANDIDATE),
            pl.lit(None, pl.Float64).alias(Col.GAP),
        )

    # Each fact's signs sum to 0, so running sums over the whole sorted table are running sums per fact.
    sweep = (
        pl.concat([ends(Col.LO, 0, 1), candidates, ends(Col.HI, 2, -1)])
        .sort(Col.FACT, _POSITION, _STEP)
        .with_columns(pl.col(_SIGN).cum_sum().alias(_SOURCES))
    )
    return Support(spans, sweep)


def _merged_spans(counted: pl.DataFrame) -> pl.DataFrame:
    """Per fact and source, its intervals merged where they overlap or touch (sort + sweep).

    Most sources state one interval per fact; only those that state several are swept (window functions over
    many small groups are slow).
    """
    by = [Col.FACT, Col.ORIGIN]
    spans = counted.select(*by, Col.LO, Col.HI)
    several = spans.group_by(by).len().filter(pl.col("len") > 1).drop("len")
    if several.is_empty():
        return spans
    many = spans.join(several, on=by).sort([*by, Col.LO, Col.HI])
    reach = pl.col(Col.HI).cum_max().shift(1).over(by)
    run = (reach.is_null() | (pl.col(Col.LO) > reach)).cast(pl.Int32).cum_sum().over(by)
    merged = (
        many.with_columns(run.alias("_span"))
        .group_by(*by, "_span")
        .agg(pl.col(Col.LO).min(), pl.col(Col.HI).max())
        .drop("_span")
    )
    return pl.concat([spans.join(several, on=by, how="anti"), merged])


def _choose(support: Support, weights: pl.DataFrame) -> pl.DataFrame:
    """Per fact, the value that the most (weighted) independent sources allow; ties go nearest their median.

    One running sum along the sorted sweep: a source's weight counts from its interval's low end up to its
    high end, so a candidate's support is the sum where it stands. Weights count in millionths (integers),
    so that float noise never decides a tie; a candidate no interval allows is never chosen.
    """
    pairs = zip(weights[Col.ORIGIN], weights[Col.WEIGHT], strict=True)
    table = {o: int(round(w * 1e6)) for o, w in pairs if w is not None}
    origin = pl.col(Col.ORIGIN)
    weight = origin.replace_strict(table, default=1_000_000, return_dtype=pl.Int64) if table else pl.lit(1_000_000)
    # The running sum over the whole sweep, then its candidates only: one query (they run once a round).
    read = (pl.col(_STEP) == 1) & (pl.col(_SOURCES) > 0)
    candidates = support.sweep.select(
        pl.col(Col.FACT, Col.GAP, Col.CANDIDATE).filter(read),
        (weight * pl.col(_SIGN)).cum_sum().filter(read).alias(Col.RANK),
    )
    ranked = pl.col(Col.CANDIDATE).sort_by([Col.RANK, Col.GAP, Col.CANDIDATE], descending=[True, False, False])
    return candidates.group_by(Col.FACT, maintain_order=True).agg(ranked.first().alias(Col.BEST))


def _allowed_counts(spans: pl.DataFrame, best: pl.DataFrame) -> pl.DataFrame:
    """Per source: how many facts its intervals allow the best value of (Col.AGREED)."""
    value = pl.col(Col.BEST)
    return (
        spans.join(best, on=Col.FACT)
        .filter((pl.col(Col.LO) <= value) & (value <= pl.col(Col.HI)))
        .group_by(Col.ORIGIN)
        .agg(pl.col(Col.FACT).n_unique().cast(pl.UInt32).alias(Col.AGREED))
    )


def source_weights(counted: pl.DataFrame, rounds: int = WEIGHT_ROUNDS) -> pl.DataFrame:
    """A weight per independent source: the log-odds of how often it allows the consensus of facts it shares.

    Only facts with two or more independent sources teach anything. Agreement is smoothed towards 4 in 5,
    so a source seen on few facts weighs about what any source weighs; weights never fall below 0.05.
    Each fact's part of the sweep stands alone (see `_choose`): the weights do not depend on how facts are named.
    """
    shared = counted.filter(pl.col(Col.ORIGIN).n_unique().over(Col.FACT) > 1)
    support = _support_table(shared)
    # Each source with the facts it shares, counted once: what a round's agreement is out of.
    stated = shared.select(Col.FACT, Col.ORIGIN).unique().group_by(Col.ORIGIN).len(name=Col.SHARED)
    seen = counted.select(Col.ORIGIN).unique().join(stated, on=Col.ORIGIN, how="left")
    weights = seen.select(Col.ORIGIN, pl.lit(1.0).alias(Col.WEIGHT))
    for _ in range(rounds):
        agree = _allowed_counts(support.spans, _choose(support, weights))
        agreed, shared_facts = pl.col(Col.AGREED).fill_null(0), pl.col(Col.SHARED).fill_null(0)
        rate = ((agreed + PRIOR_AGREE) / (shared_facts + PRIOR_SEEN)).clip(0.01, 0.9)
        weights = seen.join(agree, on=Col.ORIGIN, how="left").select(
            Col.ORIGIN, (rate / (1 - rate)).log().clip(0.05, None).alias(Col.WEIGHT)
        )
    return weights


def _counted(usable: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """The voting claims the summary counts (those of the basis the verdict rests on), with their fact's verdict."""
    # Only the columns the summary reads: the joins and filters below never copy the claims' texts.
    counted = usable.select(Col.FACT, Col.ORIGIN, Col.VALUE, Col.LO, Col.HI, Col.ASOF, Col.T0, Col.T1)
    return counted.join(facts.select(Col.FACT, Col.BASIS, "verdict"), on=Col.FACT).filter(
        (pl.col(Col.BASIS) == "all") | pl.col(Col.ASOF).is_not_null()
    )


#: A fact whose figures do not move: all its counted claims say what its value is, and teach the weights.
_STEADY = pl.col("verdict") != Verdict.EVOLVING


def weighed_claims(usable: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """What `source_weights` learns from of some judged facts (`_judge`): the counted claims of the steady ones,
    in the columns it reads alone (the facts of every story are weighed together, see audit.reconcile)."""
    return _counted(usable, facts).filter(_STEADY).select(Col.FACT, Col.ORIGIN, Col.VALUE, Col.LO, Col.HI)


def _summarise(usable: pl.DataFrame, facts: pl.DataFrame, weights: pl.DataFrame) -> pl.DataFrame:
    """Add low, best, high (canonical units) and, for date facts, the best day as event_date (`weights`: the
    sources' weights, `source_weights` of the corpus's `weighed_claims`)."""
    counted = _counted(usable, facts)
    # The latest claims: those that may have been stated at or after the last statement to start.
    latest = pl.col(Col.T1) >= pl.col(Col.T0).max().over(Col.FACT)
    counted = counted.filter(_STEADY | latest)
    # The weights of the sources counted here alone: a corpus has many, and `_choose` makes them a table.
    weights = weights.join(counted.select(Col.ORIGIN).unique(), on=Col.ORIGIN, how="semi")
    best = _choose(_support_table(counted), weights)
    bounds = counted.group_by(Col.FACT).agg(
        pl.col(Col.LO).max().alias(Col.INNER_LO),
        pl.col(Col.HI).min().alias(Col.INNER_HI),
        pl.col(Col.LO).min().alias(Col.OUTER_LO),
        pl.col(Col.HI).max().alias(Col.OUTER_HI),
    )
    common = pl.col(Col.INNER_LO) <= pl.col(Col.INNER_HI)
    finite = lambda e: pl.when(e.is_finite()).then(e).otherwise(None)  # noqa: E731
    is_date = pl.col("kind") == "date"
    low = finite(pl.when(common).then(Col.INNER_LO).otherwise(Col.OUTER_LO))
    high = finite(pl.when(common).then(Col.INNER_HI).otherwise(Col.OUTER_HI))
    facts = facts.join(bounds, on=Col.FACT, how="left").join(best, on=Col.FACT, how="left")
    facts = facts.with_columns(
        pl.when(is_date).then(None).otherwise(low).alias("low"),
        pl.when(is_date).then(None).otherwise(high).alias("high"),
        pl.when(is_date).then(None).otherwise(Col.BEST).alias("best"),
        pl.when(is_date).then(Col.BEST).otherwise(None).alias(Col.BEST_DAY),
    )
    return facts.with_columns(pl.Series("event_date", _event_dates(facts), dtype=pl.Utf8))


def _event_dates(facts: pl.DataFrame) -> list[str]:
    """Each fact's event date as ISO text: a date fact's best day, else its first event day ("" for none).

    One a fact, in Python: polars' map_elements would first read the function's bytecode."""
    days = zip(facts["kind"], facts[Col.BEST_DAY], facts[Col.EVENT], strict=True)
    return [iso(best if kind == "date" else event) for kind, best, event in days]
