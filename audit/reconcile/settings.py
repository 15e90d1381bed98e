"""The [settings] the reconciler reads (facts.toml, events.toml, hedges.toml, counts.toml), typed.

Built once a rule set (`rules.part(ReconcileSettings)`); a key a file leaves out reads as empty (or the
default named here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from audit.rules import RuleSet

#: The most claims one page gives by default (rules/facts.toml page_claims): news pages give tens to hundreds.
PAGE_CLAIMS = 50_000


@dataclass(frozen=True)
class ReconcileSettings:
    """The reconcile settings of a rule set, one attribute a key."""

    # facts.toml
    scope_window: int  # characters either side of a figure read for scope words
    may_fall: tuple[str, ...]  # measures a later, smaller figure may revise (evolving, not conflict)
    value_reach: float  # how far an open interval reaches when figures link by value alone
    value_tolerance: float  # how far a hedged value ("about 15") reaches for that purpose
    page_claims: int  # the most claims one page gives (0: no limit); the rest are left out with a warning
    # events.toml
    link_stopwords: tuple[str, ...]  # words that never tie two dates into one fact
    link_calendar_words: tuple[str, ...]  # month and weekday names (ditto)
    # hedges.toml
    written: Mapping[str, str]  # hedge kind -> words written before its number ("at least ")
    # counts.toml
    part_of_words: tuple[str, ...]  # "31 *of* the 50", "3 *out of* 5"
    part_of_determiners: tuple[str, ...]  # "31 of *the* 50"
    # facts.toml
    stated_exactly: tuple[str, ...] = ()  # measures stated exactly in their own unit (an age in whole years)

    @classmethod
    def from_rules(cls, rules: RuleSet) -> ReconcileSettings:
        """The reconcile settings of a rule set (validated by the loader: only the defaults are chosen here)."""
        facts, events = rules.settings.get("facts", {}), rules.settings.get("events", {})
        hedges, counts = rules.settings.get("hedges", {}), rules.settings.get("counts", {})
        return cls(
            scope_window=facts.get("scope_window", 110),
            may_fall=tuple(facts.get("may_fall", ())),
            value_reach=facts.get("value_reach", 0.25),
            value_tolerance=facts.get("value_tolerance", 0.02),
            page_claims=facts.get("page_claims", PAGE_CLAIMS),
            stated_exactly=tuple(facts.get("stated_exactly", ())),
            link_stopwords=tuple(events.get("link_stopwords", ())),
            link_calendar_words=tuple(events.get("link_calendar_words", ())),
            written=hedges.get("written", {}),
            part_of_words=tuple(counts.get("part_of_words", ())),
            part_of_determiners=tuple(counts.get("part_of_determiners", ())),
        )
