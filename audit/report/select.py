"""Which facts (and claims) a reader asked for: by verdict, measure, story and number of independent sources.

The same filter serves the screen and the stdout formats (CSV, JSON, JSONL); the files written to
`--out` always hold every fact and claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class FactFilter:
    """What to keep; an empty tuple (or None) keeps all."""

    verdicts: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    stories: tuple[str, ...] = ()
    min_sources: int | None = None  # at least this many independent sources

    def active(self) -> bool:
        """Whether the filter leaves anything out at all."""
        return bool(self.verdicts or self.measures or self.stories or self.min_sources is not None)

    def describe(self) -> str:
        """The filter as its command-line options ("--verdict conflict --min-sources 3")."""
        parts = [f"--verdict {v}" for v in self.verdicts]
        parts += [f"--measure {m}" for m in self.measures]
        parts += [f"--story {s}" for s in self.stories]
        if self.min_sources is not None:
            parts.append(f"--min-sources {self.min_sources}")
        return " ".join(parts)


def select_facts(facts: pl.DataFrame, wanted: FactFilter) -> pl.DataFrame:
    """The facts the filter keeps, in their order."""
    keep = pl.lit(True)
    if wanted.verdicts:
        keep &= pl.col("verdict").is_in(list(wanted.verdicts))
    if wanted.measures:
        keep &= pl.col("measure").fill_null("").is_in(list(wanted.measures))
    if wanted.stories:
        keep &= pl.col("story").fill_null("").is_in(list(wanted.stories))
    if wanted.min_sources is not None:
        keep &= pl.col("independent").fill_null(0) >= wanted.min_sources
    return facts.filter(keep)


def select_claims(claims: pl.DataFrame, facts: pl.DataFrame, wanted: FactFilter) -> pl.DataFrame:
    """The claims the filter keeps: by their own measure and story, and by the verdict and sources of
    their fact (a claim in no fact is left out when the filter asks about facts)."""
    if not wanted.active():
        return claims
    keep = pl.lit(True)
    if wanted.measures:
        keep &= pl.col("measure").fill_null("").is_in(list(wanted.measures))
    if wanted.stories:
        keep &= pl.col("story").fill_null("").is_in(list(wanted.stories))
    if wanted.verdicts or wanted.min_sources is not None:
        kept = select_facts(facts, FactFilter(verdicts=wanted.verdicts, min_sources=wanted.min_sources))
        keep &= pl.col("fact_id").is_in(kept["fact_id"].to_list())
    return claims.filter(keep)
