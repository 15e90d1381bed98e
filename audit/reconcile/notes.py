"""Values and notes: each fact's values as written with their sources, and a note that says why.

The note gives the verdict's reason, copies counted once, undated and denying sources, sources stating
several values, what part of the whole the fact counts (a part, an increment, figures linked by value,
earlier and revised figures), and the internal checks (a part larger than its whole, a duration that does
not fit its dates). How hedges are written back (hedges.toml `written`) is language data: see `written_table`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import polars as pl

from audit.errors import RuleError
from audit.hedges import phrase_alternation
from audit.numbers import Numbers, format_number
from audit.reconcile.frame import Col, iso
from audit.reconcile.group import gathered
from audit.reconcile.scope import INCREMENT
from audit.reconcile.settings import ReconcileSettings
from audit.rules import SCHEMAS, RuleSet, load_rules
from audit.rules.regexes import kept_regexes


def written_table(rules: RuleSet) -> Mapping[str, str]:
    """Hedge kind -> the words written before its number ("at least "), from rules/hedges.toml's `written`."""
    table = rules.part(ReconcileSettings).written
    kinds = SCHEMAS["hedges"]["hedge"]["hedge"].choices
    for kind in table:
        if kind not in kinds:
            raise RuleError(f"hedges.toml, rule 'settings', key 'written.{kind}': not a hedge kind")
    return table


@functools.cache
def _bundled_written() -> Mapping[str, str]:
    """The hedge words of the bundled rules, loaded once (for callers that pass none: the library, tests)."""
    return written_table(load_rules())


def as_written(row: Mapping, written: Mapping[str, str] | None = None) -> str:
    """A claim's value as a reader would say it: "at least 11", "~5,200", "nearly 3 weeks", "2020-01-05".

    `written` is `written_table(rules)`; None reads the bundled rules/hedges.toml's (once).
    """
    if written is None:
        written = _bundled_written()
    if row.get("kind") == "date":
        first, last = row.get("date") or "", row.get("date_end") or ""
        text = (f"{first} to {last}" if last and last != first else first) or row.get("timex") or ""
    else:
        value, low, high = row.get("value"), row.get("low"), row.get("high")
        if row.get("hedge") == "range" and low is not None and high is not None:
            number = f"{_number(low)}–{_number(high)}"
        else:
            number = written.get(row.get("hedge") or "", "") + _number(value)
        unit = row.get("unit") or ""
        if unit.lower() in ("percent", "per cent", "%"):
            text = number + "%"
        elif unit:
            # Words take a plural ("3 weeks", "30 miles"); abbreviations, which have no vowel, do not ("48 km").
            word = unit.isalpha() and unit.islower() and any(v in unit for v in "aeiou")
            plural = "s" if word and value not in (1, None) and not unit.endswith("s") else ""
            text = f"{number} {unit}{plural}"
        else:
            text = number
    if row.get("polarity") == "denied":
        return f"denied: {text}"
    return text


def _number(value: float | None) -> str:
    """A figure with thousands separators: 5,200; 2.3; "?" when missing."""
    if value is None:
        return "?"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) < 1e6 else format_number(value)


def _values(members: pl.DataFrame, written: Mapping[str, str]) -> pl.DataFrame:
    """Per fact: every distinct value as written with its sources, `50 [000,001]; at least 11 [004]`."""
    keys = ["kind", "hedge", "value", "low", "high", "unit", "date", "date_end", "timex", "polarity"]
    distinct = members.select(keys).unique()
    texts = [as_written(row, written) for row in distinct.iter_rows(named=True)]
    distinct = distinct.with_columns(pl.Series(Col.WRITTEN, texts, dtype=pl.Utf8))
    return (
        members.select(Col.FACT, Col.SHORT, Col.VALUE, *keys)
        .join(distinct, on=keys, how="left", nulls_equal=True)
        .group_by(Col.FACT, Col.WRITTEN)
        .agg(pl.col(Col.SHORT).unique().sort().str.join(","), pl.col(Col.VALUE).min(), pl.col("polarity").first())
        .sort(Col.FACT, pl.col("polarity") == "denied", Col.VALUE, Col.WRITTEN, nulls_last=True)
        .group_by(Col.FACT, maintain_order=True)
        .agg((pl.col(Col.WRITTEN) + " [" + pl.col(Col.SHORT) + "]").str.join("; ").alias("values"))
    )


# -------------------------------------------------------------------------------------- internal checks


def part_of_pattern(rules: RuleSet) -> tuple[re.Pattern[str], str, Numbers]:
    """ "31 of the 50", "three out of five": a part, up to two words, a part-of word, a determiner, a whole.

    The words come from rules/counts.toml (`part_of_words`, `part_of_determiners`); the number shapes are
    rules/numbers.toml's. Also returns a cheap (polars) regex of the words alone, to skip sentences without them,
    and the Numbers that read the part and the whole.
    """
    settings = rules.part(ReconcileSettings)
    words = phrase_alternation(settings.part_of_words)
    determiners = phrase_alternation(settings.part_of_determiners)
    near = rf"(?i)\b(?:{words})\b"
    numbers = rules.part(Numbers)
    with kept_regexes():  # a long pattern of the rules' words: built from the user cache when compiled before
        pattern = re.compile(
            rf"(?P<part>{numbers.pattern.pattern})\s+(?:[a-z]+\s+){{0,2}}?(?:{words})\s+(?:(?:{determiners})\s+)?"
            rf"(?P<whole>{numbers.pattern.pattern})",
            re.IGNORECASE | re.VERBOSE,
        )
    return pattern, near, numbers


def _part_whole_notes(
    members: pl.DataFrame, part_of: tuple[re.Pattern[str], str, Numbers], texts: pl.DataFrame
) -> dict[str, list[str]]:
    """Parts larger than their whole ("31 of the 50"): found after the claim's words in its sentence (`texts`:
    the claims' texts by Col.ROW; only the sentences with a part-of word are taken)."""
    notes: dict[str, list[str]] = {}
    pattern, near, numbers = part_of
    words = _near_words(near)
    near_rows = texts.select(pl.col("sentence").str.contains(near)).to_series()
    rows = members.filter(pl.col("kind") != "date").select(Col.FACT, Col.SHORT, Col.ROW)
    rows = rows.filter(near_rows.gather(rows[Col.ROW]))
    rows = rows.with_columns(gathered(texts, rows[Col.ROW], "text", "sentence"))
    for fact, text, sentence, short in rows.select(Col.FACT, "text", "sentence", Col.SHORT).iter_rows():
        # The claim keeps only its part: its whole is read again from the sentence, just after the claim's words.
        at = sentence.find(" ".join(text.split()))
        if at < 0:
            continue
        # The part-of word must stand in the same window: a cheap search first (a sentence of a page dense
        # with figures has "of" somewhere near almost every claim, not just after it).
        if not words.search(sentence, at, at + len(text) + 40):
            continue
        found = pattern.search(sentence, at, at + len(text) + 40)
        if not found or found.start() > at + len(text):
            continue
        part, whole = numbers.parse(found.group("part")), numbers.parse(found.group("whole"))
        if part is not None and whole is not None and part > whole:
            notes.setdefault(fact, []).append(f'part larger than its whole: "{found.group()}" [{short}]')
    return notes


@functools.cache
def _near_words(near: str) -> re.Pattern[str]:
    """The part-of words' regex (`part_of_pattern`'s second item) compiled once for Python's re."""
    return re.compile(near)


def _duration_notes(members: pl.DataFrame, facts: pl.DataFrame, written: Mapping[str, str]) -> dict[str, list[str]]:
    """Durations checked against the dates of their start and end.

    The dates come from the duration claim itself (`date` to `date_end`, when the text gives both) or from
    date facts of the same story whose measure is the duration's measure plus `_start` and `_end`
    ("pause_start", "pause_end"). A day either way is allowed (counting both ends or one).
    """
    found: dict[tuple[str, str], list[str]] = {}
    dates = facts.filter((pl.col("kind") == "date") & pl.col(Col.BEST_DAY).is_not_null())
    ends = {(s, m): d for s, m, d in dates.select("story", "measure", Col.BEST_DAY).iter_rows()}
    durations = members.filter((pl.col("kind") == "duration") & pl.col(Col.USABLE)).unique(
        [Col.FACT, Col.ORIGIN, Col.LO, Col.HI, Col.EV0, Col.EV1], keep="first", maintain_order=True
    )
    for row in durations.iter_rows(named=True):
        start, end, how = row[Col.EV0], row[Col.EV1], "as the text gives them"
        if start is None or end is None or end <= start:
            measure = row["measure"]
            start, end = ends.get((row["story"], f"{measure}_start")), ends.get((row["story"], f"{measure}_end"))
            how = f"{measure}_start to {measure}_end"
        if start is None or end is None or end < start:
            continue
        span = f"{iso(start)} to {iso(end)} ({end - start:g} days, {how})"
        fits = row[Col.LO] - 1 <= end - start <= row[Col.HI] + 1
        found.setdefault((row[Col.FACT], span), []).append(
            f"{as_written(row, written)} [{row[Col.SHORT]}] {'fits' if fits else 'does not'}"
        )
    notes: dict[str, list[str]] = {}
    for (fact, span), verdicts in sorted(found.items()):
        notes.setdefault(fact, []).append(f"dates {span}: " + ", ".join(verdicts))
    return notes


def _check_frame(
    members: pl.DataFrame,
    facts: pl.DataFrame,
    written: Mapping[str, str],
    part_of: tuple[re.Pattern[str], str, Numbers],
    texts: pl.DataFrame,
) -> pl.DataFrame:
    """Per fact with a finding: the internal checks' findings, joined by "; "."""
    checks = _part_whole_notes(members, part_of, texts)
    for fact, lines in _duration_notes(members, facts, written).items():
        checks.setdefault(fact, []).extend(lines)
    return pl.DataFrame(
        {Col.FACT: list(checks), Col.CHECKS: ["; ".join(v) for v in checks.values()]},
        schema={Col.FACT: pl.Utf8, Col.CHECKS: pl.Utf8},
    )


def _scope_notes(members: pl.DataFrame) -> pl.DataFrame:
    """Per fact: what part of the whole it counts and how its claims were linked, when that is not plain."""
    short = pl.col(Col.SHORT)
    scope = pl.col(Col.SCOPE).first()
    plain = (pl.col(Col.SCOPE) == "") & ~pl.col(Col.ROLE).is_in(["earlier", "revised"])
    plain = plain & ~pl.col(Col.LINK).is_in(["subject", "value"]).fill_null(False)
    return (
        members.select(Col.FACT, Col.SHORT, Col.SCOPE, Col.ROLE, Col.LINK)
        .filter(~plain)
        .group_by(Col.FACT)
        .agg(
            pl.when(scope.str.starts_with("part:"))
            .then("a part of the whole (" + scope.str.slice(5) + "), kept apart from it")
            .when(scope == INCREMENT)
            .then(pl.lit("an increment (more, another), not a total: lined up with increments of its size"))
            .when(pl.col(Col.LINK).first() == "value")
            .then(pl.lit("linked by value alone: no measure or subject names these figures"))
            .when(pl.col(Col.LINK).first() == "subject")
            .then(pl.lit("linked by subject and value: no measure names these figures"))
            .alias("_what"),
            short.filter(pl.col(Col.ROLE) == "earlier").unique().sort().str.join(",").alias("_earlier"),
            short.filter(pl.col(Col.ROLE) == "revised").unique().sort().str.join(",").alias("_revised"),
        )
        .select(
            Col.FACT,
            pl.concat_str(
                [
                    pl.col("_what"),
                    pl.when(pl.col("_earlier") != "").then(
                        "a figure held before it was stated (up from, previously): " + pl.col("_earlier")
                    ),
                    pl.when(pl.col("_revised") != "").then("a revised figure: " + pl.col("_revised")),
                ],
                separator="; ",
                ignore_nulls=True,
            ).alias(Col.SCOPES),
        )
    )


def _notes(
    members: pl.DataFrame,
    facts: pl.DataFrame,
    written: Mapping[str, str],
    part_of: tuple[re.Pattern[str], str, Numbers],
    texts: pl.DataFrame,
    cumulative: set[str] | None = None,
) -> pl.DataFrame:
    """Add `values` and `note`: why the verdict, copies, undated and denying sources, scope, internal checks
    (`texts`: the claims' texts by Col.ROW, see group.texts)."""
    facts = facts.join(_values(members, written), on=Col.FACT, how="left")
    short = pl.col(Col.SHORT)
    per_fact = members.group_by(Col.FACT).agg(
        pl.concat_str(short, pl.lit(" copies "), pl.col(Col.ORIGIN).str.split("_").list.first())
        .filter(pl.col("source") != pl.col(Col.ORIGIN))
        .unique()
        .sort()
        .str.join(", ")
        .alias(Col.COPIES),
        short.filter(pl.col(Col.USABLE) & pl.col(Col.ASOF).is_null()).unique().sort().str.join(",").alias(Col.UNDATED),
        short.filter(pl.col("polarity") == "denied").unique().sort().str.join(",").alias(Col.DENIED),
    )
    several = (
        members.select(Col.FACT, Col.ORIGIN, Col.SHORT, Col.LO, Col.HI)
        .filter(members[Col.USABLE])
        .group_by(Col.FACT, Col.ORIGIN)
        .agg(short.min(), pl.struct(Col.LO, Col.HI).n_unique().alias(Col.INTERVALS))
        .filter(pl.col(Col.INTERVALS) > 1)
        .group_by(Col.FACT)
        .agg(short.sort().str.join(",").alias(Col.SEVERAL))
    )
    facts = facts.join(per_fact, on=Col.FACT, how="left").join(several, on=Col.FACT, how="left")
    facts = facts.join(_scope_notes(members), on=Col.FACT, how="left")
    running = pl.col("measure").is_in(sorted(cumulative or ()))
    facts = facts.join(_check_frame(members, facts, written, part_of, texts), on=Col.FACT, how="left")
    some = lambda c: pl.col(c).fill_null("") != ""  # noqa: E731
    undated = (
        pl.when(some(Col.UNDATED) & (pl.col(Col.BASIS) == "dated"))
        .then("undated, not used for the verdict: " + pl.col(Col.UNDATED))
        .when(some(Col.UNDATED))
        .then("undated: " + pl.col(Col.UNDATED))
    )
    parts = [
        pl.col(Col.REASON),
        pl.when(some(Col.COPIES)).then("copies counted once: " + pl.col(Col.COPIES)),
        undated,
        pl.when(some(Col.DENIED)).then(
            "denied by " + pl.col(Col.DENIED) + ", shown beside it, never counted as agreement"
        ),
        pl.when(some(Col.SEVERAL) & running)
        .then(
            "one source states several values: "
            + pl.col(Col.SEVERAL)
            + " (of a running figure, the one it calls the total, else the first, votes)"
        )
        .when(some(Col.SEVERAL))
        .then("one source states several values: " + pl.col(Col.SEVERAL)),
        pl.when(some(Col.SCOPES)).then(pl.col(Col.SCOPES)),
        pl.when(some(Col.CHECKS)).then(pl.col(Col.CHECKS)),
    ]
    return facts.with_columns(pl.concat_str(parts, separator="; ", ignore_nulls=True).alias("note"))
