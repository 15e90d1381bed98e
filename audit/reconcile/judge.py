"""Judge: each fact's verdict (single, agree, compatible, evolving, conflict) and the reason for it.

The intervals decide first; when they do not overlap, the time logic of the design (cumulative measures
only grow, stocks and figures that may fall move either way, anything else cannot change) decides between
evolving and conflict, using dated claims only, ordered by when they were stated (the publication instant
where the manifest gives one, so that a toll that grew during one day is evolving). Of the values one
source states at one time for a running figure, one votes (see `voting`).
"""

from __future__ import annotations

import polars as pl

from audit.model import Verdict
from audit.reconcile.frame import STATS_ALL, STATS_DATED, Col
from audit.reconcile.group import EVENT_WINDOW_DAYS
from audit.reconcile.times import MINUTES_A_DAY, moment_text
from audit.rules import RuleSet


def _rule_flags(rules: RuleSet, may_fall: frozenset[str] = frozenset()) -> tuple[set[str], set[str]]:
    """Measures that only grow (cumulative) and measures that move either way (stock), from counts.toml; a
    measure that may fall (rules/facts.toml `may_fall`) moves either way, whatever counts.toml says."""
    measures = rules.rules("counts", "measure")
    cumulative = {r.id for r in measures if r.get("cumulative")} - set(may_fall)
    return cumulative, {r.id for r in measures if r.get("stock")} | set(may_fall)


def voting(usable: pl.DataFrame, cumulative: set[str]) -> pl.DataFrame:
    """The claims that count towards the verdict and best.

    Of the values one source states for a running figure at one time, one votes: the one it calls the toll or
    total ("the confirmed death toll ... to 11"), else the first it states (the lede's figure; parts, earlier
    counts and background figures come later). The others are listed and noted. Other measures: all vote.
    """
    running = pl.col("measure").is_in(list(cumulative))
    group = [Col.FACT, Col.ORIGIN, Col.T0, Col.T1]
    several = running & (pl.len().over(group) > 1)
    ranked = (
        usable.filter(several)
        .sort(pl.col(Col.ROLE) != "whole", "article", "char_start", Col.ROW)
        .unique(subset=group, keep="first", maintain_order=True)
    )
    return pl.concat([usable.filter(~several), ranked])


def _time_checks(dated: pl.DataFrame, counting: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per fact, from dated claims: a time at which the sources disagree, and a cumulative figure that falls.

    Claims stated in the same interval (the same instant, or the same day when only days are known) are
    compared with each other; a claim falls when an earlier claim, stated wholly before it, allows no figure
    as low as its own (sort + sweep, never all pairs). `counting` gives, per fact of a running figure, the day
    of its event: while the toll is still being counted (stated within EVENT_WINDOW_DAYS of it), figures of
    one day that differ are growth within the day, not a conflict (Col.COUNTING says one was so read).
    """
    moments = dated.group_by(Col.FACT, Col.T0, Col.T1).agg(
        pl.col(Col.LO).max().alias(Col.DAY_LO), pl.col(Col.HI).min().alias(Col.DAY_HI)
    )
    if counting is not None:
        day = (pl.col(Col.T0) // MINUTES_A_DAY) - pl.col(Col.EVENT)
        moments = moments.join(counting, on=Col.FACT, how="left").with_columns(
            (day <= EVENT_WINDOW_DAYS).fill_null(False).alias("_fresh")
        )
    else:
        moments = moments.with_columns(pl.lit(False).alias("_fresh"))
    differ = pl.col(Col.DAY_LO) > pl.col(Col.DAY_HI)
    first = [pl.col(c).sort_by([Col.T0, Col.T1]).first() for c in (Col.T0, Col.T1)]
    bad = moments.filter(differ & ~pl.col("_fresh")).group_by(Col.FACT).agg(first)
    # A few facts' times written out in Python: polars' map_elements would first read the lambda's bytecode.
    written = [moment_text(start, end) for start, end in zip(bad[Col.T0], bad[Col.T1], strict=True)]
    bad = pl.DataFrame([bad[Col.FACT], pl.Series(Col.BAD_DAY, written, dtype=pl.Utf8)])
    ends = (
        dated.select(Col.FACT, Col.T1, Col.LO)
        .sort(Col.FACT, Col.T1)
        .with_columns(pl.col(Col.LO).cum_max().over(Col.FACT).alias(Col.BEFORE))
        .sort(Col.T1)
    )
    starts = dated.select(Col.FACT, Col.T0, Col.HI, (pl.col(Col.ROLE) == "revised").alias("_rev")).sort(Col.T0)
    falling = starts.join_asof(
        ends.select(Col.FACT, Col.T1, Col.BEFORE),
        left_on=Col.T0,
        right_on=Col.T1,
        by=Col.FACT,
        strategy="backward",
        allow_exact_matches=False,
        check_sortedness=False,  # sorted by time above; polars cannot check it within `by` groups
    ).with_columns((pl.col(Col.BEFORE) > pl.col(Col.HI)).fill_null(False).alias("_falls"))
    falls = falling.group_by(Col.FACT).agg(
        (pl.col("_falls") & ~pl.col("_rev")).any().alias(Col.FALLS),
        (pl.col("_falls") & pl.col("_rev")).any().alias(Col.REVISED_DOWN),
    )
    counts = moments.group_by(Col.FACT).agg(
        pl.len().alias(Col.N_DAYS), (differ & pl.col("_fresh")).any().alias(Col.COUNTING)
    )
    return counts.join(bad, on=Col.FACT, how="left").join(falls, on=Col.FACT, how="left")


def _counting(facts: pl.DataFrame, cumulative: set[str]) -> pl.DataFrame:
    """Per fact of a running figure with a dated event: the event's first day (see `_time_checks`)."""
    running = pl.col("measure").is_in(list(cumulative)) & pl.col(Col.EVENT).is_not_null()
    return facts.filter(running).select(Col.FACT, Col.EVENT)


def _stats(frame: pl.DataFrame, names: tuple[str, str, str, str]) -> pl.DataFrame:
    """Per fact: independent sources, the common interval's ends and how many distinct intervals (named `names`)."""
    n, lo, hi, k = names
    return frame.group_by(Col.FACT).agg(
        pl.col(Col.ORIGIN).n_unique().alias(n),
        pl.col(Col.LO).max().alias(lo),
        pl.col(Col.HI).min().alias(hi),
        pl.struct(Col.LO, Col.HI).n_unique().alias(k),
    )


def _verdict_reason(cumulative: set[str], stock: set[str], may_fall: frozenset[str] = frozenset()) -> pl.Expr:
    """ "verdict|reason" for a fact with the statistics of `_stats` and `_time_checks`."""
    overlap_all = pl.col(Col.LO_ALL) <= pl.col(Col.HI_ALL)
    overlap_d = pl.col(Col.LO_DATED) <= pl.col(Col.HI_DATED)
    n_all, n_d = pl.col(Col.N_ALL), pl.col(Col.N_DATED)
    moves = pl.col("measure").is_in(list(cumulative))
    either = pl.col("measure").is_in(list(stock))
    same = "every independent source states the same interval"
    return (
        pl.when(n_all == 0)
        .then(pl.lit(f"{Verdict.SINGLE}|no figure to compare (only denials or unresolved dates)"))
        .when(n_all <= 1)
        .then(pl.lit(f"{Verdict.SINGLE}|one independent source"))
        .when(overlap_all & (pl.col(Col.K_ALL) == 1))
        .then(pl.lit(f"{Verdict.AGREE}|" + same))
        .when(overlap_all)
        .then(pl.lit(f"{Verdict.COMPATIBLE}|the intervals overlap"))
        .when(n_d == 0)
        .then(
            pl.lit(
                f"{Verdict.CONFLICT}|the intervals do not overlap; no source is dated, so time cannot explain it either"
            )
        )
        .when(n_d == 1)
        .then(pl.lit(f"{Verdict.SINGLE}|one dated independent source"))
        .when(overlap_d & (pl.col(Col.K_DATED) == 1))
        .then(pl.lit(f"{Verdict.AGREE}|" + same + " (dated sources)"))
        .when(overlap_d)
        .then(pl.lit(f"{Verdict.COMPATIBLE}|the intervals of the dated sources overlap"))
        .when(pl.col(Col.BAD_DAY).is_not_null())
        .then(pl.lit(f"{Verdict.CONFLICT}|the intervals do not overlap as of ") + pl.col(Col.BAD_DAY))
        .when(moves & pl.col(Col.FALLS))
        .then(pl.lit(f"{Verdict.CONFLICT}|a cumulative figure that falls as time goes on"))
        .when(moves & pl.col(Col.REVISED_DOWN))
        .then(
            pl.lit(
                f"{Verdict.EVOLVING}|a running figure that grows as time goes on, revised down where the text says so"
            )
        )
        .when(moves & pl.col(Col.COUNTING))
        .then(
            pl.lit(
                f"{Verdict.EVOLVING}|a toll still being counted: figures stated the same day, within days of the "
                "event, that differ are taken as growth"
            )
        )
        .when(moves)
        .then(pl.lit(f"{Verdict.EVOLVING}|a running figure that grows as time goes on"))
        .when(either & pl.col("measure").is_in(list(may_fall)))
        .then(
            pl.lit(
                f"{Verdict.EVOLVING}|a figure that may fall as well as grow "
                "(rules/facts.toml may_fall), revised over time"
            )
        )
        .when(either)
        .then(pl.lit(f"{Verdict.EVOLVING}|a stock that moved between the times it was stated"))
        .otherwise(
            pl.lit(f"{Verdict.CONFLICT}|the intervals do not overlap, and this figure does not change over time")
        )
    )


def _judge(
    usable: pl.DataFrame,
    facts: pl.DataFrame,
    cumulative: set[str],
    stock: set[str],
    may_fall: frozenset[str] = frozenset(),
) -> pl.DataFrame:
    """Add `verdict`, Col.REASON and Col.BASIS ("all" claims or only "dated" ones) to the facts frame."""
    dated = usable.filter(pl.col(Col.ASOF).is_not_null() & pl.col(Col.T1).is_not_null())
    facts = (
        facts.join(_stats(usable, STATS_ALL), on=Col.FACT, how="left")
        .join(_stats(dated, STATS_DATED), on=Col.FACT, how="left")
        .join(_time_checks(dated, _counting(facts, cumulative)), on=Col.FACT, how="left")
        .with_columns(pl.col(Col.N_ALL, Col.N_DATED).fill_null(0))
    )
    verdict_reason = _verdict_reason(cumulative, stock, may_fall)
    facts = facts.with_columns(verdict_reason.str.split_exact("|", 1).struct.rename_fields(["verdict", Col.REASON]))
    facts = facts.unnest(facts.columns[-1])
    overlap_all = pl.col(Col.LO_ALL) <= pl.col(Col.HI_ALL)
    basis = pl.when(overlap_all | (pl.col(Col.N_DATED) == 0)).then(pl.lit("all")).otherwise(pl.lit("dated"))
    return facts.with_columns(basis.alias(Col.BASIS))
