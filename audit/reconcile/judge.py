"""Judge: each fact's verdict (single, agree, compatible, evolving, conflict) and the reason for it.

The intervals decide first; when they do not overlap, the time logic of the design (cumulative measures
only grow, stocks move either way, anything else cannot change) decides between evolving and conflict,
using dated claims only.
"""

from __future__ import annotations

import polars as pl

from audit.reconcile.frame import STATS_ALL, STATS_DATED, Col, iso
from audit.rules import RuleSet


def _rule_flags(rules: RuleSet) -> tuple[set[str], set[str]]:
    """Measures that only grow (cumulative) and measures that move either way (stock), from counts.toml."""
    measures = rules.rules("counts", "measure")
    return {r.id for r in measures if r.get("cumulative")}, {r.id for r in measures if r.get("stock")}


def _day_checks(dated: pl.DataFrame) -> pl.DataFrame:
    """Per fact, from dated claims: a day on which the sources disagree, and a cumulative figure that falls."""
    days = dated.group_by(Col.FACT, Col.ASOF).agg(
        pl.col(Col.LO).max().alias(Col.DAY_LO), pl.col(Col.HI).min().alias(Col.DAY_HI)
    )
    days = days.sort(Col.FACT, Col.ASOF).with_columns(
        pl.col(Col.DAY_LO).cum_max().shift(1).over(Col.FACT).alias(Col.BEFORE),
    )
    return days.group_by(Col.FACT).agg(
        pl.col(Col.ASOF).filter(pl.col(Col.DAY_LO) > pl.col(Col.DAY_HI)).min().alias(Col.BAD_DAY),
        (pl.col(Col.BEFORE) > pl.col(Col.DAY_HI)).any().alias(Col.FALLS),
        pl.col(Col.ASOF).n_unique().alias(Col.N_DAYS),
    )


def _stats(frame: pl.DataFrame, names: tuple[str, str, str, str]) -> pl.DataFrame:
    """Per fact: independent sources, the common interval's ends and how many distinct intervals (named `names`)."""
    n, lo, hi, k = names
    return frame.group_by(Col.FACT).agg(
        pl.col(Col.ORIGIN).n_unique().alias(n),
        pl.col(Col.LO).max().alias(lo),
        pl.col(Col.HI).min().alias(hi),
        pl.struct(Col.LO, Col.HI).n_unique().alias(k),
    )


def _verdict_reason(cumulative: set[str], stock: set[str]) -> pl.Expr:
    """ "verdict|reason" for a fact with the statistics of `_stats` and `_day_checks`."""
    overlap_all = pl.col(Col.LO_ALL) <= pl.col(Col.HI_ALL)
    overlap_d = pl.col(Col.LO_DATED) <= pl.col(Col.HI_DATED)
    n_all, n_d = pl.col(Col.N_ALL), pl.col(Col.N_DATED)
    moves = pl.col("measure").is_in(list(cumulative))
    either = pl.col("measure").is_in(list(stock))
    same = "every independent source states the same interval"
    return (
        pl.when(n_all == 0)
        .then(pl.lit("single|no figure to compare (only denials or unresolved dates)"))
        .when(n_all <= 1)
        .then(pl.lit("single|one independent source"))
        .when(overlap_all & (pl.col(Col.K_ALL) == 1))
        .then(pl.lit("agree|" + same))
        .when(overlap_all)
        .then(pl.lit("compatible|the intervals overlap"))
        .when(n_d == 0)
        .then(pl.lit("conflict|the intervals do not overlap; no source is dated, so time cannot explain it either"))
        .when(n_d == 1)
        .then(pl.lit("single|one dated independent source"))
        .when(overlap_d & (pl.col(Col.K_DATED) == 1))
        .then(pl.lit("agree|" + same + " (dated sources)"))
        .when(overlap_d)
        .then(pl.lit("compatible|the intervals of the dated sources overlap"))
        .when(pl.col(Col.BAD_DAY).is_not_null())
        .then(pl.lit("conflict|the intervals do not overlap as of ") + pl.col(Col.BAD_DAY).map_elements(iso, pl.Utf8))
        .when(moves & pl.col(Col.FALLS))
        .then(pl.lit("conflict|a cumulative figure that falls as time goes on"))
        .when(moves)
        .then(pl.lit("evolving|a running figure that grows as time goes on"))
        .when(either)
        .then(pl.lit("evolving|a stock that moved between the days it was stated"))
        .otherwise(pl.lit("conflict|the intervals do not overlap, and this figure does not change over time"))
    )


def _judge(usable: pl.DataFrame, facts: pl.DataFrame, cumulative: set[str], stock: set[str]) -> pl.DataFrame:
    """Add `verdict`, Col.REASON and Col.BASIS ("all" claims or only "dated" ones) to the facts frame."""
    dated = usable.filter(pl.col(Col.ASOF).is_not_null())
    facts = (
        facts.join(_stats(usable, STATS_ALL), on=Col.FACT, how="left")
        .join(_stats(dated, STATS_DATED), on=Col.FACT, how="left")
        .join(_day_checks(dated), on=Col.FACT, how="left")
        .with_columns(pl.col(Col.N_ALL, Col.N_DATED).fill_null(0))
    )
    verdict_reason = _verdict_reason(cumulative, stock)
    facts = facts.with_columns(verdict_reason.str.split_exact("|", 1).struct.rename_fields(["verdict", Col.REASON]))
    facts = facts.unnest(facts.columns[-1])
    overlap_all = pl.col(Col.LO_ALL) <= pl.col(Col.HI_ALL)
    basis = pl.when(overlap_all | (pl.col(Col.N_DATED) == 0)).then(pl.lit("all")).otherwise(pl.lit("dated"))
    return facts.with_columns(basis.alias(Col.BASIS))
