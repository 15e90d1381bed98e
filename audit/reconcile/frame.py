"""The frames of reconcile: the claims and facts schemas, and every internal column, named once.

Internal columns start with "_" (a few of the verdict's working columns do not, as before) and never reach
claims.csv or facts.csv: `reconcile` selects the public columns at the end. Days are day numbers (days
since 1970-01-01, as floats) so that intervals of dates and of figures are handled alike.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import polars as pl

from audit.model import CLAIM_COLUMNS, FACT_COLUMNS, Claim

FLOAT_COLUMNS = ("value", "low", "high")
#: The claims' long texts: the working frames never carry them; the few steps that read them take them by row
#: from the claims given (`texts`), for the rows they read only.
TEXT_COLUMNS = ("headline", "text", "sentence")
INT_COLUMNS = ("article", "char_start", "char_end")
INF = float("inf")
_EPOCH = date(1970, 1, 1)


class _Frozen(type):
    """A class whose attributes cannot be rebound: the column names are constants."""

    def __setattr__(cls, name: str, value: object) -> None:
        raise AttributeError(f"{cls.__name__}.{name} is a constant")


class Col(metaclass=_Frozen):
    """The internal column names of the reconcile frames, each written here only."""

    # Claims, as prepared (group._prepare): one row per input claim.
    ROW: Final = "_row"  # the claim's row number in the input claims frame
    ORIGIN: Final = "_origin"  # the source the claim's text comes from: its own, or the one it copies
    SHORT: Final = "_short"  # the claim id before ":" (the source's short id, "000"): how values and notes name it
    UNIT: Final = "_unit"  # the canonical unit ("day", "USD") the claim's figures are converted to
    FACTOR: Final = "_f"  # what the value is multiplied by to be in the canonical unit
    FACTOR_LOW: Final = "_flo"  # the same for the low end ("a week" may be as short as its factor_low)
    FACTOR_HIGH: Final = "_fhi"  # the same for the high end
    DAY0: Final = "_d0"  # the claim's `date` as a day number
    DAY1: Final = "_d1"  # the claim's `date_end` (else its `date`) as a day number
    ASOF: Final = "_asof"  # the day the figure was stated (`as_of`), null when undated
    SLACK: Final = "_slack"  # how far a plain amount reaches either side: its rounding ("5 per cent": 4.5 to 5.5)
    VALUE: Final = "_v"  # the value in the canonical unit (the day, for date claims)
    LO: Final = "_lo"  # the interval's low end, canonical unit; -inf when open
    HI: Final = "_hi"  # the interval's high end, canonical unit; +inf when open
    USABLE: Final = "_usable"  # asserted (not denied) with an interval: counts towards the verdict
    EV0: Final = "_ev0"  # the first day of the event the figure is about (null for date claims)
    EV1: Final = "_ev1"  # the last day of that event
    MKEY: Final = "_mkey"  # what the claim measures: the measure, "~" subject key, "#" its value, or "@" date cluster
    LINK: Final = "_link"  # how it links to others: by its measure, its subject (and value), or its value alone
    SUBJECT: Final = "_subject"  # the subject key it is grouped by (an empty one takes its measure's, see group)
    T0: Final = "_t0"  # when it was stated: the first minute (UTC, since 1970) of its statement interval
    T1: Final = "_t1"  # the last minute of that interval (T0 == T1 for a publication instant)
    SCOPE: Final = "_scope"  # what part of the whole it counts: "" the whole, "part:<name>", "more" an increment
    ROLE: Final = "_role"  # the scope's role: whole, part, increment, earlier, revised (see rules/facts.toml)
    PERIOD: Final = "_period"  # undated articles: the period its sentence names but cannot place ("XXXX-09"), else ""
    VOTES: Final = "_votes"  # it counts towards the verdict and best (a running figure's smaller values do not)

    # Grouping (group._group, group._date_facts).
    CLUSTER: Final = "_cluster"  # for unnamed dates: the smallest claim id of the cluster they join
    ERA0: Final = "_a0"  # the first day that places the claim in time (its event, else its statement)
    ERA1: Final = "_a1"  # the last such day
    ERA: Final = "_era"  # the run number of claims within a year of each other
    EVENT_RUN: Final = "_event_run"  # the run number of claims about one event (-1: apart)
    ERA_DAY: Final = "_era_day"  # the first day of the claim's era
    EVENT_DAY: Final = "_event_day"  # the first day of the claim's event
    FACT: Final = (
        "_fact"  # the fact key (story, kind, measure key, subject, unit, scope, era, event, value), null if none
    )
    CL0: Final = "_cl0"  # for figures linked by value alone: the interval they are linked by (open sides reach)
    CL1: Final = "_cl1"
    VALUE_RUN: Final = "_value_run"  # the run number of such figures whose intervals overlap
    VALUE_KEY: Final = "_value_key"  # that run's first value, in the fact key ("" for figures a rule names)

    # Facts (one row per fact): counts (group._fact_rows).
    EVENT: Final = "_event"  # the fact's first event day
    ASSERTING: Final = "_asserting"  # independent sources that assert a figure (not deny it)
    ANY: Final = "_any"  # independent sources, denials included

    # Facts: the verdict (judge).
    N_ALL: Final = "n_all"  # independent sources with a usable figure
    LO_ALL: Final = "lo_all"  # the highest low end of their intervals
    HI_ALL: Final = "hi_all"  # the lowest high end of their intervals
    K_ALL: Final = "k_all"  # how many distinct intervals they state
    N_DATED: Final = "n_d"  # the same four for the dated claims only
    LO_DATED: Final = "lo_d"
    HI_DATED: Final = "hi_d"
    K_DATED: Final = "k_d"
    DAY_LO: Final = "dlo"  # per fact and statement day: the highest low end stated that day
    DAY_HI: Final = "dhi"  # per fact and statement day: the lowest high end stated that day
    BEFORE: Final = "before"  # the highest low end stated on any earlier day
    BAD_DAY: Final = "bad_day"  # the first time (as written) at which the sources' intervals do not overlap
    FALLS: Final = "falls"  # a figure falls below what was stated before it
    COUNTING: Final = "counting"  # figures of one day differ while the toll was still being counted (growth)
    REVISED_DOWN: Final = "revised_down"  # only figures that say they revise it fall below what was stated before
    N_DAYS: Final = "n_days"  # how many statement times the fact has
    REASON: Final = "_reason"  # why the verdict, the first part of the note
    BASIS: Final = "_basis"  # which claims the verdict rests on: "all" or only "dated" ones

    # Facts: low, best, high (best).
    INNER_LO: Final = "_ilo"  # the common interval's low end
    INNER_HI: Final = "_ihi"  # the common interval's high end
    OUTER_LO: Final = "_ulo"  # the union of the intervals: its low end
    OUTER_HI: Final = "_uhi"  # the union's high end
    BEST: Final = "_best"  # the value most (weighted) independent sources allow
    BEST_DAY: Final = "_best_day"  # that value for date facts (a day number), null otherwise
    CANDIDATE: Final = "_c"  # a value some claim of the fact states, a candidate for best
    MIDDLE: Final = "_mid"  # the median of the sources' values (each source's own median)
    GAP: Final = "_gap"  # a candidate's distance from that median, to break ties
    WEIGHT: Final = "_w"  # a source's weight: how much its allowing a candidate counts
    SUPPORT: Final = "_support"  # the weighted sources allowing a candidate
    RANK: Final = "_rank"  # the support rounded, so float noise never decides a tie
    AGREED: Final = "_k"  # facts where the source allows the best value
    SHARED: Final = "_n"  # facts the source shares with other independent sources

    # Facts: values and notes (notes).
    WRITTEN: Final = "_written"  # a value as a reader would say it ("at least 11")
    COPIES: Final = "_copies"  # "005 copies 001, ...": the claims whose text is a copy
    UNDATED: Final = "_undated"  # the claims with a figure but no statement day
    DENIED: Final = "_denied"  # the claims that deny the figure
    INTERVALS: Final = "_intervals"  # how many distinct intervals one independent source states
    SEVERAL: Final = "_several"  # the sources that state several values
    SCOPES: Final = "_scopes"  # what part of the whole the fact counts, and how its claims were linked
    CHECKS: Final = "_checks"  # the internal checks' findings (part and whole, durations and dates)


#: The per-fact statistics of all usable claims and of the dated ones (judge._stats): n, lo, hi, k.
STATS_ALL = (Col.N_ALL, Col.LO_ALL, Col.HI_ALL, Col.K_ALL)
STATS_DATED = (Col.N_DATED, Col.LO_DATED, Col.HI_DATED, Col.K_DATED)


def beside(frame: pl.DataFrame, found: pl.DataFrame, on: str | list[str] = Col.ROW) -> list[pl.Series]:
    """`found`'s columns but `on` (its keys, unique in it) in the order of `frame`'s rows, null for rows it
    lacks: columns to set beside the frame's (a join of the frame itself would copy every one of them)."""
    rows = frame.select(on).join(found, on=on, how="left", maintain_order="left")
    return rows.drop(on).get_columns()


def claims_frame(claims: list[Claim]) -> pl.DataFrame:
    """The claim rows as a polars frame with the columns of claims.csv."""
    schema = claim_schema()
    rows = [{c: getattr(claim, c) for c in CLAIM_COLUMNS} for claim in claims]
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def claim_schema() -> dict[str, pl.DataType]:
    """The polars types of the claims.csv columns."""
    return {c: pl.Float64 if c in FLOAT_COLUMNS else pl.Int64 if c in INT_COLUMNS else pl.Utf8 for c in CLAIM_COLUMNS}


def fact_schema() -> dict[str, pl.DataType]:
    """The polars types of the facts.csv columns."""
    counts, numbers = ("claims", "sources", "independent"), ("low", "best", "high")
    return {c: pl.Int64 if c in counts else pl.Float64 if c in numbers else pl.Utf8 for c in FACT_COLUMNS}


def day_number(column: str) -> pl.Expr:
    """An ISO date (or a partial one: "2024-01", "2024") as days since 1970-01-01; null when empty or bad."""
    text = pl.col(column).fill_null("").str.slice(0, 10)
    full = (
        pl.when(text.str.len_chars() == 4)
        .then(text + "-01-01")
        .when(text.str.len_chars() == 7)
        .then(text + "-01")
        .otherwise(text)
    )
    return full.str.to_date("%Y-%m-%d", strict=False).cast(pl.Int32).cast(pl.Float64)


def iso(day: float | None) -> str:
    """A day number back to an ISO date, "" for None."""
    if day is None:
        return ""
    return date.fromordinal(_EPOCH.toordinal() + int(day)).isoformat()
