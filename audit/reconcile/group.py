"""Normalise and group: every claim an interval in a canonical unit, then claims about one fact keyed alike.

Same story, kind, measure key, subject key, unit and scope make a candidate fact; claims about events more
than a year apart (or with event dates more than a few days apart) never join, and an undated figure joins
the dated event it was stated within a few days of. A measured figure that names no subject takes its
measure's ("the death toll rose to 21" counts people). Figures that nothing names join by value alone, and
so do increments ("six more bodies"). Dates that no rule names join when they give the same day in one story
and their sentences share a word (see `_date_facts`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

import polars as pl

from audit.link.claim_copies import resolve_copies
from audit.model import CLAIM_COLUMNS
from audit.reconcile.frame import FLOAT_COLUMNS, INF, INT_COLUMNS, TEXT_COLUMNS, Col, beside, day_number
from audit.reconcile.scope import INCREMENT, FactRules, scope_frame
from audit.reconcile.settings import ReconcileSettings
from audit.reconcile.times import time_columns
from audit.rules import RuleSet

#: Days two event dates may lie apart and still be one event (time zones, overnight strikes).
EVENT_WINDOW_DAYS = 2
#: Claims whose event (or, lacking one, statement) dates lie further apart are about different events.
ERA_DAYS = 366

# Which words tie dates into one fact (events.toml `link_*`) is language data: see `link_ignored`.


def link_ignored(rules: RuleSet) -> frozenset[str]:
    """Words that never tie two date mentions to one event: rules/events.toml's link_stopwords and calendar words."""
    settings = rules.part(ReconcileSettings)
    words = (*settings.link_stopwords, *settings.link_calendar_words)
    return frozenset(w.lower() for w in words)


def unit_table(rules: RuleSet) -> dict[str, tuple[str, float, float, float]]:
    """Unit spellings (ids and the words of rules/units.toml) -> (base unit, value/low/high factors)."""
    table: dict[str, tuple[str, float, float, float]] = {}
    for rule in rules.rules("units", "unit"):
        factor = float(rule.get("factor", 1.0))
        entry = (
            rule.get("base", rule.id),
            factor,
            float(rule.get("factor_low", factor)),
            float(rule.get("factor_high", factor)),
        )
        for spelling in (rule.id, *rule.get("before", ()), *rule.get("after", ())):
            table.setdefault(spelling.strip().lower(), entry)
    return table


def unit_factors(
    unit: str, table: Mapping[str, tuple[str, float, float, float]], scales: Mapping[str, float]
) -> tuple[str, float, float, float]:
    """A unit as written ("week", "USD", "bn dollars", "per cent") -> (base unit, value/low/high factors)."""
    words = unit.strip().lower().replace("-", " ").split()
    scale = 1.0
    # A scale word only scales when a unit remains ("USD million"); "m" alone stays a unit of its own.
    while len(words) > 1 and words[0] in scales:
        scale *= scales[words.pop(0)]
    while len(words) > 1 and words[-1] in scales:
        scale *= scales[words.pop()]
    name = " ".join(words)
    canonical, factor, low, high = table.get(name, (name, 1.0, 1.0, 1.0))
    return canonical, factor * scale, low * scale, high * scale


def _rounding(value: pl.Expr) -> pl.Expr:
    """Half a unit of a figure's last non-zero digit, at most a tenth of it: "5 per cent" may be 4.5 to 5.5."""
    ratio = [(p, value.abs() / 10.0**p) for p in range(-4, 13)]
    steps = [pl.when((r >= 1) & ((r.round(0) - r).abs() < 1e-9)).then(10.0**p) for p, r in ratio]
    half = pl.max_horizontal(steps) / 2
    return pl.when(value == 0).then(0.0).otherwise(pl.min_horizontal(half, value.abs() / 10))


def _origin(frame: pl.DataFrame, copies: Mapping[str, str]) -> pl.Expr:
    """The source each claim's text comes from: its own, or the one it copies ("source#article" or source keys)."""
    copies = resolve_copies(copies)
    by_article = {k: v for k, v in copies.items() if "#" in k}
    by_source = {k: v for k, v in copies.items() if "#" not in k}
    key = pl.col("source") + "#" + pl.col("article").cast(pl.Utf8).fill_null("")
    mapped = pl.coalesce(
        key.replace_strict(by_article, default=None, return_dtype=pl.Utf8) if by_article else pl.lit(None, pl.Utf8),
        pl.col("source").replace_strict(by_source, default=None, return_dtype=pl.Utf8)
        if by_source
        else pl.lit(None, pl.Utf8),
        pl.col("source"),
    )
    return mapped.str.split("#").list.first()


def measure_subjects(rules: RuleSet) -> dict[str, str]:
    """Measure id -> the subject key its own noun counts ("killed" -> "people"), from rules/counts.toml."""
    return {r.id: r.get("subject_key") for r in rules.rules("counts", "measure") if r.get("subject_key")}


def texts(claims: pl.DataFrame) -> pl.DataFrame:
    """The claims' long texts (TEXT_COLUMNS), row by row as the claims stand (Col.ROW is a row's place here)."""
    return claims.select(pl.col(c).cast(pl.Utf8).fill_null("") for c in TEXT_COLUMNS)


def gathered(texts: pl.DataFrame, rows: pl.Series, *columns: str) -> list[pl.Series]:
    """Some of the `texts` columns of some rows (Col.ROW numbers), in the order of `rows`."""
    return [texts[c].gather(rows) for c in columns]


def _prepare(
    claims: pl.DataFrame,
    copies: Mapping[str, str],
    units_of: Mapping[str, tuple],
    facts: FactRules | None = None,
    subjects: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Claims with their origin, canonical unit and interval, statement day and time, event days and scope.

    What reads the claims' texts (scope, period) reads them first; the frame returned has none of them."""
    frame = (
        claims.with_columns(
            [pl.col(c).cast(pl.Float64, strict=False) for c in FLOAT_COLUMNS]
            + [pl.col(c).cast(pl.Int64, strict=False) for c in INT_COLUMNS]
            + [
                pl.col(c).cast(pl.Utf8).fill_null("")
                for c in CLAIM_COLUMNS
                if c not in FLOAT_COLUMNS + INT_COLUMNS and c in claims.columns
            ]
        )
        .drop("fact_id")
        .with_row_index(Col.ROW)
    )
    # The texts are read while the rows stand in their order, then left out: the joins below never copy them.
    scopes = scope_frame(frame, facts or FactRules(), Col.ROW, Col.SCOPE, Col.ROLE)
    periods = _periods(frame)
    frame = frame.drop(c for c in TEXT_COLUMNS if c in frame.columns)
    frame = frame.with_columns(
        _origin(frame, copies).alias(Col.ORIGIN),
        pl.col("claim_id").str.split(":").list.first().alias(Col.SHORT),
    )
    units = frame["unit"].unique().to_list()
    table = pl.DataFrame(
        [(u, *unit_factors(u, units_of, facts.numbers.scales if facts and facts.numbers else {})) for u in units],
        schema={
            "unit": pl.Utf8,
            Col.UNIT: pl.Utf8,
            Col.FACTOR: pl.Float64,
            Col.FACTOR_LOW: pl.Float64,
            Col.FACTOR_HIGH: pl.Float64,
        },
        orient="row",
    )
    frame = frame.with_columns(beside(frame, table, on="unit"))
    exactly = pl.col("measure").is_in(sorted(facts.stated_exactly if facts else ()))
    frame = frame.with_columns(  # an age in whole years: compared in years, as stated
        pl.when(exactly).then(pl.col("unit")).otherwise(pl.col(Col.UNIT)).alias(Col.UNIT),
        *(
            pl.when(exactly).then(1.0).otherwise(pl.col(c)).alias(c)
            for c in (Col.FACTOR, Col.FACTOR_LOW, Col.FACTOR_HIGH)
        ),
    )
    point = pl.col("low").is_null() & pl.col("high").is_null() & pl.col("hedge").is_in(["exact", ""])
    widen = (
        (pl.col("kind") == "amount")
        & ~exactly
        & pl.col("hedge").is_in(["exact", ""])
        & (point | (pl.col("low") == pl.col("high")))
    )
    # The slack is a column of its own: written into both ends, its large expression costs twice the time.
    slack = pl.col(Col.SLACK)
    low = pl.when(point).then(pl.col("value")).otherwise(pl.col("low")) - slack
    high = pl.when(point).then(pl.col("value")).otherwise(pl.col("high")) + slack
    is_date = pl.col("kind") == "date"
    frame = frame.with_columns(
        day_number("date").alias(Col.DAY0),
        pl.coalesce(day_number("date_end"), day_number("date")).alias(Col.DAY1),
        day_number("as_of").alias(Col.ASOF),
        pl.when(widen).then(_rounding(pl.col("value"))).otherwise(0.0).alias(Col.SLACK),
    )
    day0, day1 = pl.col(Col.DAY0), pl.col(Col.DAY1)
    frame = frame.with_columns(
        # Rounded to 12 significant figures so that 2.3 x 1e9 and 2,300 x 1e6 compare equal.
        pl.when(is_date).then(day0).otherwise(pl.col("value") * pl.col(Col.FACTOR)).round_sig_figs(12).alias(Col.VALUE),
        pl.when(is_date)
        .then(day0)
        .otherwise((low * pl.col(Col.FACTOR_LOW)).round_sig_figs(12).fill_null(-INF))
        .alias(Col.LO),
        pl.when(is_date)
        .then(day1)
        .otherwise((high * pl.col(Col.FACTOR_HIGH)).round_sig_figs(12).fill_null(INF))
        .alias(Col.HI),
    )
    has_interval = pl.col(Col.VALUE).is_not_null() | pl.col(Col.LO).is_finite() | pl.col(Col.HI).is_finite()
    frame = frame.with_columns(
        ((pl.col("polarity") != "denied") & has_interval & pl.col(Col.LO).is_not_null()).alias(Col.USABLE),
        pl.when(is_date).then(pl.lit(None, pl.Float64)).otherwise(day0).alias(Col.EV0),
        pl.when(is_date).then(pl.lit(None, pl.Float64)).otherwise(day1).alias(Col.EV1),
    )
    facts = facts or FactRules()
    frame = _with_scope(time_columns(frame, Col.T0, Col.T1), scopes)
    frame = _with_subject(frame, subjects or {})
    frame = _with_period(frame, periods)
    frame = frame.with_columns(_link().alias(Col.LINK))
    frame = frame.with_columns(_mkey().alias(Col.MKEY))
    frame = _adopt(frame.with_columns(_reach(facts)))
    # Figures linked by their subject or value alone keep a part apart by their value already: "including $281
    # million in cash" and "$281 million in cash" are one figure, whatever words stand around them.
    by_value = pl.col(Col.LINK).is_in(["subject", "value"])
    return frame.with_columns(
        pl.when(by_value & pl.col(Col.SCOPE).str.starts_with("part:"))
        .then(pl.lit(""))
        .otherwise(pl.col(Col.SCOPE))
        .alias(Col.SCOPE)
    )


def _link() -> pl.Expr:
    """How a claim links to others: "measure" (it has one), "subject" (no measure, a subject), "value" (neither,
    but a figure to link by), null (nothing to link by)."""
    valued = (pl.col("kind") != "date") & (pl.col(Col.LO).is_finite() | pl.col(Col.HI).is_finite())
    return (
        pl.when(pl.col("measure") != "")
        .then(pl.lit("measure"))
        .when(pl.col(Col.SUBJECT) != "")
        .then(pl.lit("subject"))
        .when(valued)
        .then(pl.lit("value"))
        .otherwise(pl.lit(None, pl.Utf8))
    )


def _mkey() -> pl.Expr:
    """What a claim measures, as the fact key has it: the measure, "~" and the subject, or "#" (its value)."""
    link = pl.col(Col.LINK)
    return (
        pl.when(link == "measure")
        .then(pl.col("measure"))
        .when(link == "subject")
        .then("~" + pl.col(Col.SUBJECT))
        .when(link == "value")
        .then(pl.lit("#"))
        .otherwise(pl.lit(None, pl.Utf8))
    )


def _reach(facts: FactRules) -> list[pl.Expr]:
    """The interval a figure is linked by value through (Col.CL0, Col.CL1), where its link is by value.

    An exact value reaches its rounding, a hedged one ("about", "nearly", "dozens") `tolerance` of itself, an
    open interval `reach` beyond its one bound ("more than 100 mph" links up to 125 mph).
    """
    lo, hi, value = pl.col(Col.LO), pl.col(Col.HI), pl.col(Col.VALUE)
    loose = pl.col("hedge").is_in(["about", "nearly", "vague"]) & value.is_not_null() & lo.is_finite() & hi.is_finite()
    return [
        pl.when(loose)
        .then(value - value.abs() * facts.tolerance)
        .when(lo.is_finite())
        .then(lo)
        .otherwise(hi - hi.abs() * facts.reach)
        .alias(Col.CL0),
        pl.when(loose)
        .then(value + value.abs() * facts.tolerance)
        .when(hi.is_finite())
        .then(hi)
        .otherwise(lo + lo.abs() * facts.reach)
        .alias(Col.CL1),
    ]


def _adopt(frame: pl.DataFrame) -> pl.DataFrame:
    """A figure nothing names takes the measure (and subject and scope) of a measured figure of the same kind and
    unit in its story whose value it matches: "approximately $334 million" joins the "$334 million" price.

    Linear: each such figure is matched (join_asof) to the measured figure whose linking interval starts last
    before its own ends, and adopts it when the two overlap.
    """
    keys = ["story", "kind", Col.UNIT]
    bounded = pl.col(Col.CL0).is_finite() & pl.col(Col.CL1).is_finite()
    # Filtered lazily with the columns read alone: a filter of the frame itself would copy every column.
    read = frame.lazy().select(Col.ROW, *keys, Col.CL0, Col.CL1, Col.MKEY, Col.SUBJECT, Col.SCOPE, Col.LINK)
    loose = read.filter((pl.col(Col.LINK) == "value") & bounded).collect()
    measured = read.filter((pl.col(Col.LINK) == "measure") & bounded).collect()
    if loose.is_empty() or measured.is_empty():
        return frame
    taken = ["_a0", "_a1", "_amkey", "_asubject", "_ascope", "_alink"]
    right = measured.select(
        *keys,
        pl.col(Col.CL0).alias("_a0"),
        pl.col(Col.CL1).alias("_a1"),
        pl.col(Col.MKEY).alias("_amkey"),
        pl.col(Col.SUBJECT).alias("_asubject"),
        pl.col(Col.SCOPE).alias("_ascope"),
        pl.col(Col.LINK).alias("_alink"),
    ).sort("_a0", *keys, "_amkey", "_asubject", "_ascope")
    found = (
        loose.select(Col.ROW, *keys, Col.CL0, Col.CL1)
        .sort(Col.CL1)
        .join_asof(right, left_on=Col.CL1, right_on="_a0", by=keys, strategy="backward", check_sortedness=False)
        .filter(pl.col("_a1") >= pl.col(Col.CL0))
        .select(Col.ROW, *taken[2:])
    )
    if found.is_empty():
        return frame
    frame = frame.with_columns(beside(frame, found))
    adopted = pl.col("_amkey").is_not_null()
    return frame.with_columns(
        pl.when(adopted).then(pl.col(f"_a{c}")).otherwise(pl.col(col)).alias(col)
        for c, col in (("mkey", Col.MKEY), ("subject", Col.SUBJECT), ("scope", Col.SCOPE), ("link", Col.LINK))
    ).drop(taken[2:])


def _with_scope(frame: pl.DataFrame, scopes: pl.DataFrame) -> pl.DataFrame:
    """Add each claim's scope label and role (`scopes`: scope.scope_frame); a figure held before its statement
    ("up from 22") gets a statement interval that ends just before the statement's and has no start."""
    frame = frame.with_columns(beside(frame, scopes)).with_columns(
        pl.col(Col.SCOPE).fill_null(""), pl.col(Col.ROLE).fill_null("")
    )
    earlier = (pl.col(Col.ROLE) == "earlier") & pl.col(Col.T0).is_not_null()
    return frame.with_columns(
        pl.when(earlier).then(-INF).otherwise(pl.col(Col.T0)).alias(Col.T0),
        pl.when(earlier).then(pl.col(Col.T0) - 1).otherwise(pl.col(Col.T1)).alias(Col.T1),
    )


def _with_subject(frame: pl.DataFrame, subjects: Mapping[str, str]) -> pl.DataFrame:
    """Add the subject key each claim is grouped by: its own, or for a measured figure that names none ("the death
    toll rose to 21") the one its measure's own noun counts when that subject is in the story, else the only
    subject the measure has there."""
    named = (pl.col("measure") != "") & (pl.col("kind") != "date")
    keys = ["story", "kind", "measure", Col.UNIT]
    # "80 employees" of the measure employees names no subject but its measure's own noun: as good as none.
    frame = frame.with_columns(
        pl.when(pl.col("subject_key") == pl.col("measure")).then(pl.lit("")).otherwise("subject_key").alias("_own")
    )
    read = frame.lazy().select(Col.ROW, "subject", "subject_key", "_own", *keys)  # a filter copies these alone
    present = (
        read.filter(named & (pl.col("_own") != ""))
        .group_by(keys)
        .agg(pl.col("_own").unique().sort().alias("_present"))
        .collect()
    )
    own = pl.col("measure").replace_strict(dict(subjects), default="", return_dtype=pl.Utf8) if subjects else pl.lit("")
    choice = (
        read.filter(named & (pl.col("_own") == ""))
        .collect()
        .join(present, on=keys, how="inner", nulls_equal=True)
        .select(
            Col.ROW,
            pl.when(pl.col("_present").list.contains(own))
            .then(own)
            # "a 6.1-magnitude quake" names its own thing, the measure's noun: not the "aftershocks" beside it
            .when((pl.col("_present").list.len() == 1) & ((pl.col("subject") == "") | (pl.col("subject_key") != "")))
            .then(pl.col("_present").list.first())
            .otherwise(pl.lit(""))
            .alias("_chosen"),
        )
    )
    frame = frame.with_columns(beside(frame, choice))
    return frame.with_columns(pl.coalesce("_chosen", "subject_key").alias(Col.SUBJECT)).drop("_chosen", "_own")


_BASE = ["story", "kind", Col.MKEY, Col.SUBJECT, Col.UNIT, Col.SCOPE, Col.PERIOD]
#: What else keying a claim reads (`_group`): its event and statement days, how it links, its linking interval.
_KEYING = [Col.EV0, Col.EV1, Col.ASOF, Col.LINK, Col.CL0, Col.CL1]
#: An unplaced month ("XXXX-09"): in an undated article, "in September" is another time than the news.
_UNPLACED_MONTH = r"^XXXX-\d\d$"
_ANCHORED = re.compile(r"\b(?:since|from|until|till|through|by)\s+\x00", re.I)


def _periods(frame: pl.DataFrame) -> pl.DataFrame:
    """Col.ROW -> Col.PERIOD of the claims (with their texts) that have one: for an undated figure whose
    sentence names a month the article cannot place (no publication date: "leaving at least five dead and 30
    hurt ... in August"), that month's TIMEX3. Such figures are about another time than the article's news
    ("on Sunday") and never join its figures."""
    schema = {Col.ROW: pl.UInt32, Col.PERIOD: pl.Utf8}
    found = frame.filter(
        (pl.col("kind") == "date") & (pl.col("date") == "") & pl.col("timex").str.contains(_UNPLACED_MONTH)
    ).select("source", "article", "sentence", "text", "timex")
    # "the fifth operation since September" reaches from then to the news: no other time
    keep = [not _ANCHORED.search(f"{sentence} ".replace(text, "\x00", 1)) for _, _, sentence, text, _ in found.rows()]
    months = (
        found.filter(pl.Series(keep, dtype=pl.Boolean))
        .group_by("source", "article", "sentence")
        .agg(pl.col("timex").min().alias("_month"))
    )
    if months.is_empty():
        return pl.DataFrame(schema=schema)
    undated = (pl.col("kind") != "date") & (pl.col("date") == "") & (pl.col("date_end") == "")
    # Only the undated figures of the articles with such a month: the join never copies the other sentences.
    articles = months.select("source", "article").unique()
    return (
        frame.lazy()
        .select(Col.ROW, "source", "article", "kind", "date", "date_end")
        .filter(undated)
        .select(Col.ROW, "source", "article")
        .collect()
        .join(articles, on=["source", "article"], how="semi", nulls_equal=True)
        .join(frame.select(Col.ROW, "sentence"), on=Col.ROW)
        .join(months, on=["source", "article", "sentence"], how="inner", nulls_equal=True)
        .select(Col.ROW, pl.col("_month").alias(Col.PERIOD))
    )


def _with_period(frame: pl.DataFrame, periods: pl.DataFrame) -> pl.DataFrame:
    """Add Col.PERIOD (`periods`: see `_periods`), "" for every claim without one."""
    if periods.is_empty():
        return frame.with_columns(pl.lit("").alias(Col.PERIOD))
    return frame.with_columns(beside(frame, periods)).with_columns(pl.col(Col.PERIOD).fill_null(""))


def _split(
    frame: pl.DataFrame, by: list[str], start: str, end: str, gap: float, name: str, join_sole: bool = True
) -> pl.DataFrame:
    """Number runs of rows within `by` whose [start, end] days chain with gaps of at most `gap`.

    A row whose own span is longer than `gap` (an event dated "in January") chains only with what it
    overlaps: "in January" and "February 1" are not one event the way January 31 and February 1 may be.
    Rows without a day join the run when there is exactly one and `join_sole`, else stay apart (-1).
    """
    ordered = frame.sort([*by, start, Col.ROW], nulls_last=True)
    reach = pl.col(end).cum_max().shift(1).over(by)
    span = pl.col(end) - pl.col(start)
    allowed = pl.when((span > gap) | (span.shift(1).over(by) > gap)).then(0.0).otherwise(gap)
    fresh = pl.col(start).is_not_null() & (reach.is_null() | (pl.col(start) - reach > allowed))
    ordered = ordered.with_columns(
        pl.when(pl.col(start).is_null()).then(None).otherwise(fresh.cast(pl.Int32).cum_sum().over(by) - 1).alias(name)
    )
    runs = pl.col(name).max().over(by)
    return ordered.with_columns(
        pl.when(pl.col(name).is_not_null())
        .then(pl.col(name))
        .when((runs == 0) & join_sole)
        .then(0)
        .otherwise(-1)
        .alias(name)
    )


def _date_facts(frame: pl.DataFrame, ignored: frozenset[str], texts: pl.DataFrame) -> pl.DataFrame:
    """Fact keys for dates no rule names: the same day in one story, in sentences that share a word.

    A shared word is a lower-case word of four letters or more that is neither a month or weekday name
    nor a word every news sentence has ("said", "officials"); claims so linked (directly or through
    another claim) are one fact. Returns Col.ROW -> Col.CLUSTER (the smallest claim id of the cluster).
    `texts` are the claims' texts (`texts`): the sentences of these rows only are taken.
    """
    dates = (pl.col("kind") == "date") & pl.col(Col.MKEY).is_null() & pl.col(Col.DAY0).is_not_null()
    rows = frame.lazy().select("story", "kind", Col.MKEY, Col.DAY0, Col.DAY1, Col.ROW, "claim_id").filter(dates)
    rows = rows.select("story", Col.DAY0, Col.DAY1, Col.ROW, "claim_id").collect()
    rows = rows.with_columns(gathered(texts, rows[Col.ROW], "sentence"))
    out: dict[int, str] = {}
    groups = rows.group_by("story", Col.DAY0, Col.DAY1).agg(Col.ROW, "claim_id", "sentence")
    for _, _, _, row_ids, claim_ids, sentences in groups.iter_rows():
        parent = list(range(len(row_ids)))

        def find(i: int, parent: list[int] = parent) -> int:
            """The root of i's cluster."""
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first_with: dict[str, int] = {}
        for i, sentence in enumerate(sentences):
            words = set(re.findall(r"[a-z]{4,}", sentence.lower())) - ignored
            for word in words:
                j = first_with.setdefault(word, i)
                parent[find(i)] = find(j)
        names: dict[int, str] = {}
        for i, claim_id in enumerate(claim_ids):
            root = find(i)
            names[root] = min(names.get(root, claim_id), claim_id)
        out.update({row_ids[i]: names[find(i)] for i in range(len(row_ids))})
    return pl.DataFrame(
        {Col.ROW: list(out), Col.CLUSTER: list(out.values())}, schema={Col.ROW: pl.UInt32, Col.CLUSTER: pl.Utf8}
    )


def _group(
    frame: pl.DataFrame, ignored: frozenset[str], texts: pl.DataFrame, facts: FactRules | None = None
) -> pl.DataFrame:
    """Give every claim that belongs to a fact its Col.FACT key (a string), null otherwise (`texts`: the
    claims' texts, see `texts`)."""
    frame = frame.with_columns(beside(frame, _date_facts(frame, ignored, texts)))
    frame = frame.with_columns(
        pl.when(pl.col(Col.CLUSTER).is_not_null())
        .then("@" + pl.col(Col.CLUSTER))
        .otherwise(pl.col(Col.MKEY))
        .alias(Col.MKEY)
    )
    # Keyed on the columns keying reads alone: the sorts and joins below never copy the others.
    keyed = frame.select(Col.ROW, *_BASE, *_KEYING).filter(pl.col(Col.MKEY).is_not_null())
    # Eras: claims about events (or, lacking an event date, stated) more than a year apart never join.
    keyed = keyed.with_columns(
        pl.coalesce(Col.EV0, Col.ASOF).alias(Col.ERA0), pl.coalesce(Col.EV1, Col.ASOF).alias(Col.ERA1)
    )
    keyed = _split(keyed, _BASE, Col.ERA0, Col.ERA1, ERA_DAYS, Col.ERA)
    era = [*_BASE, Col.ERA]
    keyed = _join_nearby(_split(keyed, era, Col.EV0, Col.EV1, EVENT_WINDOW_DAYS, Col.EVENT_RUN, join_sole=False), era)
    keyed = _value_runs(keyed, [*era, Col.EVENT_RUN], facts or FactRules())
    keyed = keyed.with_columns(
        pl.col(Col.ERA0).min().over(era).alias(Col.ERA_DAY),
        pl.col(Col.EV0).min().over([*era, Col.EVENT_RUN]).alias(Col.EVENT_DAY),
    )
    # The key of earlier versions, with the scope and the value run added only where there is one (ids stay).
    parts = [pl.col(c).cast(pl.Utf8).fill_null("") for c in [*_BASE[:5], Col.ERA_DAY, Col.EVENT_DAY]]
    extra = [
        pl.when(pl.col(c) != "").then("\x1f" + pl.col(c)).otherwise(pl.lit(""))
        for c in (Col.SCOPE, Col.VALUE_KEY, Col.PERIOD)
    ]
    keyed = keyed.with_columns(pl.concat_str([pl.concat_str(parts, separator="\x1f"), *extra]).alias(Col.FACT))
    return frame.with_columns(beside(frame, keyed.select(Col.ROW, Col.FACT)))


def _join_nearby(keyed: pl.DataFrame, era: list[str]) -> pl.DataFrame:
    """A figure whose sentence dates no event joins the dated event it was stated within a few days of.

    "no fatalities" (stated January 30) and "eight killed on January 3" may well be two strikes, and stay
    apart; "At least 12 people are dead" (stated May 6) and "the toll rose to 21 on Tuesday" (May 7) are one
    flood. A figure stated near no dated event stays with the other undated ones (run -1). A figure of a page
    that gives no day at all (no publication date, no event date) joins the dated event when its story has
    only one for it: nothing says it is another.
    """
    runs = (
        keyed.filter(pl.col(Col.EVENT_RUN) >= 0)
        .group_by([*era, Col.EVENT_RUN])
        .agg(
            (pl.col(Col.EV0).min() - EVENT_WINDOW_DAYS).alias("_r0"),
            (pl.col(Col.EV1).max() + EVENT_WINDOW_DAYS).alias("_r1"),
        )
        .rename({Col.EVENT_RUN: "_run"})
        .sort("_r0")
    )
    keyed = _join_sole(keyed, runs, era)
    loose = keyed.filter((pl.col(Col.EVENT_RUN) < 0) & pl.col(Col.ASOF).is_not_null())
    if runs.is_empty() or loose.is_empty():
        return keyed
    found = (
        loose.select(Col.ROW, *era, Col.ASOF)
        .sort(Col.ASOF)
        .join_asof(runs, left_on=Col.ASOF, right_on="_r0", by=era, strategy="backward", check_sortedness=False)
        .filter(pl.col("_run").is_not_null() & (pl.col(Col.ASOF) <= pl.col("_r1")))
        .select(Col.ROW, "_run")
    )
    keyed = keyed.join(found, on=Col.ROW, how="left")
    return keyed.with_columns(pl.coalesce("_run", Col.EVENT_RUN).alias(Col.EVENT_RUN)).drop("_run")


def _join_sole(keyed: pl.DataFrame, runs: pl.DataFrame, era: list[str]) -> pl.DataFrame:
    """Figures without any day (neither event nor statement) put in the one dated event run of their key."""
    sole = runs.group_by(era).agg(pl.col("_run").first(), pl.len().alias("_runs")).filter(pl.col("_runs") == 1)
    dayless = (pl.col(Col.EVENT_RUN) < 0) & pl.col(Col.ASOF).is_null() & pl.col(Col.EV0).is_null()
    if sole.is_empty() or keyed.filter(dayless).is_empty():
        return keyed
    keyed = keyed.join(sole.select(*era, "_run"), on=era, how="left", nulls_equal=True)
    return keyed.with_columns(
        pl.when(dayless & pl.col("_run").is_not_null())
        .then(pl.col("_run"))
        .otherwise(pl.col(Col.EVENT_RUN))
        .alias(Col.EVENT_RUN)
    ).drop("_run")


def _value_runs(keyed: pl.DataFrame, by: list[str], facts: FactRules) -> pl.DataFrame:
    """Figures linked by value (no measure names them) and increments: one fact per run of figures whose linking
    intervals (see `_reach`) overlap, by sort and sweep. Adds Col.VALUE_KEY: the run's lowest reach ("" for
    measured figures, which a fact holds whatever their values)."""
    linked = pl.col(Col.LINK).is_in(["subject", "value"]).fill_null(False) | (pl.col(Col.SCOPE) == INCREMENT)
    bounded = linked & pl.col(Col.CL0).is_finite() & pl.col(Col.CL1).is_finite()
    free = keyed.filter(bounded)
    rest = keyed.filter(~linked).with_columns(pl.lit("").alias(Col.VALUE_KEY))
    if free.is_empty():
        return rest
    free = _split(free, by, Col.CL0, Col.CL1, 0.0, Col.VALUE_RUN)
    free = free.with_columns(
        pl.col(Col.CL0).min().over([*by, Col.VALUE_RUN]).round_sig_figs(12).cast(pl.Utf8).alias(Col.VALUE_KEY)
    ).drop(Col.VALUE_RUN)
    return pl.concat([rest, free], how="diagonal_relaxed")


def _fact_id(key: str) -> str:
    """A stable id from a fact's key: the same claims give the same id on every run."""
    return "F" + hashlib.sha1(key.encode()).hexdigest()[:8]


def _fact_rows(members: pl.DataFrame) -> pl.DataFrame:
    """One row per fact with its key columns and counts."""
    return (
        members.group_by(Col.FACT)
        .agg(
            pl.col("fact_id").first(),
            pl.col("story").first(),
            pl.col("kind").first(),
            pl.col("measure").max(),  # one measure a fact (a figure nothing named may have adopted it): not ""
            pl.col(Col.SUBJECT).first().alias("subject_key"),
            pl.col(Col.UNIT).first().alias("unit"),
            pl.col(Col.EV0).min().alias(Col.EVENT),
            pl.len().alias("claims"),
            pl.col("source").n_unique().alias("sources"),
            pl.col(Col.ORIGIN).filter(pl.col("polarity") != "denied").n_unique().alias(Col.ASSERTING),
            pl.col(Col.ORIGIN).n_unique().alias(Col.ANY),
        )
        .with_columns(
            pl.when(pl.col(Col.ASSERTING) > 0).then(Col.ASSERTING).otherwise(Col.ANY).alias("independent"),
        )
    )
