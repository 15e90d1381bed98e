"""Reconcile: group claims into facts across sources and give each fact a verdict.

A fact is one measure of one subject for one event in one story. The steps, all on polars frames:

1. Normalise: every claim becomes an interval [lo, hi] in a canonical unit (durations in days, money in
   units of its currency, dates as day numbers); an empty `low`/`high` is an open side. Copies count once:
   each claim gets the `origin` it was copied from (`copies`, or copies found in the claims themselves).
2. Group: same story, kind, measure, subject key and unit; claims about events more than a year apart
   (or with event dates more than a few days apart) never join. Dates that no rule names join when
   they give the same day in one story and their sentences share a word (see `_date_facts`).
3. Judge: single / agree / compatible from the intervals; when they do not overlap, the time logic of
   the design (cumulative measures only grow, stocks move either way, anything else cannot change)
   decides between evolving and conflict, using dated claims only.
4. Summarise: `low`/`high` (the common interval, or the latest one for a running figure), `best` (the
   value most independent sources allow, sources weighted by how often they agree with the others
   elsewhere), `values` as written with their sources, and a `note` that says why.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from datetime import date

import polars as pl

from audit.errors import RuleError
from audit.hedges import phrase_alternation
from audit.model import CLAIM_COLUMNS, FACT_COLUMNS, VERDICTS, Claim
from audit.numbers import NUMBER, SCALES, format_number, parse_number
from audit.rules import DEFAULT_RULES_DIR, SCHEMAS, RuleSet, load_rule_file

_FLOAT_COLUMNS = ("value", "low", "high")
_INT_COLUMNS = ("article", "char_start", "char_end")
_INF = float("inf")
_EPOCH = date(1970, 1, 1)

#: Days two event dates may lie apart and still be one event (time zones, overnight strikes).
EVENT_WINDOW_DAYS = 2
#: Claims whose event (or, lacking one, statement) dates lie further apart are about different events.
ERA_DAYS = 366
#: Source weights: agreement with the consensus is smoothed with this prior (4 in 5) before it is used.
PRIOR_AGREE, PRIOR_SEEN = 4.0, 5.0
WEIGHT_ROUNDS = 5
#: Two articles are copies when this share of the smaller one's claim sentences appear word for word in the other.
COPY_SHARE = 0.5

# Which words tie dates into one fact (events.toml `link_*`) and how hedges are written back (hedges.toml
# `written`) are language data: they come from the rule files, see `link_ignored` and `written_table`.


def link_ignored(rules: RuleSet) -> frozenset[str]:
    """Words that never tie two date mentions to one event: rules/events.toml's link_stopwords and calendar words."""
    words = (*rules.setting("events", "link_stopwords", ()), *rules.setting("events", "link_calendar_words", ()))
    return frozenset(w.lower() for w in words)


def written_table(rules: RuleSet) -> Mapping[str, str]:
    """Hedge kind -> the words written before its number ("at least "), from rules/hedges.toml's `written`."""
    table = rules.setting("hedges", "written", {})
    kinds = SCHEMAS["hedges"]["hedge"]["hedge"].choices
    for kind in table:
        if kind not in kinds:
            raise RuleError(f"hedges.toml, rule 'settings', key 'written.{kind}': not a hedge kind")
    return table


@functools.cache
def _bundled_written() -> Mapping[str, str]:
    """The `written` table of the bundled rules/hedges.toml, read once (for callers that pass none)."""
    return load_rule_file(DEFAULT_RULES_DIR / "hedges.toml")[1].get("written", {})


def claims_frame(claims: list[Claim]) -> pl.DataFrame:
    """The claim rows as a polars frame with the columns of claims.csv."""
    schema = _claim_schema()
    rows = [{c: getattr(claim, c) for c in CLAIM_COLUMNS} for claim in claims]
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _claim_schema() -> dict[str, pl.DataType]:
    """The polars types of the claims.csv columns."""
    return {c: pl.Float64 if c in _FLOAT_COLUMNS else pl.Int64 if c in _INT_COLUMNS else pl.Utf8 for c in CLAIM_COLUMNS}


def _fact_schema() -> dict[str, pl.DataType]:
    """The polars types of the facts.csv columns."""
    counts, numbers = ("claims", "sources", "independent"), ("low", "best", "high")
    return {c: pl.Int64 if c in counts else pl.Float64 if c in numbers else pl.Utf8 for c in FACT_COLUMNS}


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


def unit_factors(unit: str, table: Mapping[str, tuple[str, float, float, float]]) -> tuple[str, float, float, float]:
    """A unit as written ("week", "USD", "bn dollars", "per cent") -> (base unit, value/low/high factors)."""
    words = unit.strip().lower().replace("-", " ").split()
    scale = 1.0
    # A scale word only scales when a unit remains ("USD million"); "m" alone stays a unit of its own.
    while len(words) > 1 and words[0] in SCALES:
        scale *= SCALES[words.pop(0)]
    while len(words) > 1 and words[-1] in SCALES:
        scale *= SCALES[words.pop()]
    name = " ".join(words)
    canonical, factor, low, high = table.get(name, (name, 1.0, 1.0, 1.0))
    return canonical, factor * scale, low * scale, high * scale


def _day_number(column: str) -> pl.Expr:
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


def _iso(day: float | None) -> str:
    """A day number back to an ISO date, "" for None."""
    if day is None:
        return ""
    return date.fromordinal(_EPOCH.toordinal() + int(day)).isoformat()


def _rounding(value: pl.Expr) -> pl.Expr:
    """Half a unit of a figure's last non-zero digit, at most a tenth of it: "5 per cent" may be 4.5 to 5.5."""
    ratio = [(p, value.abs() / 10.0**p) for p in range(-4, 13)]
    steps = [pl.when((r >= 1) & ((r.round(0) - r).abs() < 1e-9)).then(10.0**p) for p, r in ratio]
    half = pl.max_horizontal(steps) / 2
    return pl.when(value == 0).then(0.0).otherwise(pl.min_horizontal(half, value.abs() / 10))


# ---------------------------------------------------------------------------------------------- copies


def _normal_sentence() -> pl.Expr:
    """A sentence reduced to lower-case words, to find word-for-word copies."""
    return pl.col("sentence").fill_null("").str.to_lowercase().str.replace_all(r"[^\w]+", " ").str.strip_chars()


def detect_copies(claims: pl.DataFrame) -> dict[str, str]:
    """Copies found in the claims themselves: "source#article" -> the source it copies.

    Two articles of different sources are copies when at least half of the smaller one's claim sentences
    (and at least two, or its only one) appear word for word in the other; the later-published one (or,
    undated or on the same day, the one with the larger source id) is the copy.
    """
    if claims.is_empty():
        return {}
    rows = (
        claims.select(
            pl.col("source"),
            pl.col("article").cast(pl.Int64).fill_null(1),
            pl.col("published").fill_null(""),
            _normal_sentence().alias("_s"),
        )
        .filter(pl.col("_s").str.len_chars() > 20)
        .unique()
    )
    sizes = rows.group_by("source", "article").agg(pl.col("_s").n_unique().alias("n"), pl.col("published").max())
    pairs = (
        rows.join(rows, on="_s", suffix="_b")
        .filter(pl.col("source") < pl.col("source_b"))
        .group_by("source", "article", "source_b", "article_b")
        .agg(pl.col("_s").n_unique().alias("shared"))
        .join(sizes, on=["source", "article"])
        .join(sizes, left_on=["source_b", "article_b"], right_on=["source", "article"], suffix="_b")
        .with_columns(pl.min_horizontal("n", "n_b").alias("smaller"))
        .filter(
            (pl.col("shared") >= COPY_SHARE * pl.col("smaller")) & ((pl.col("shared") >= 2) | (pl.col("smaller") == 1))
        )
        .sort("source", "article", "source_b", "article_b")
    )
    copies: dict[str, str] = {}
    for row in pairs.iter_rows(named=True):
        a, b = (
            (row["source"], row["article"], row["published"]),
            (row["source_b"], row["article_b"], row["published_b"]),
        )
        earlier, later = (a, b) if (a[2] or "9999") <= (b[2] or "9999") else (b, a)
        copies.setdefault(f"{later[0]}#{later[1]}", earlier[0])
    return dict(sorted(copies.items()))


def copies_from_values(claims: pl.DataFrame, min_shared: int = 10, share: float = 0.95) -> dict[str, str]:
    """Sources that copy each other's figures, found across many facts: source -> the group's first source.

    `claims` carry `fact_id` (a first reconcile). Two sources agreeing on true figures prove nothing;
    sharing the same minority figures does (Dong et al., "Truth discovery and copying detection", 2009):
    a pair is a copy when, of the facts where either states a figure most sources do not, they state the
    very same figure in at least `share` of them and in at least `min_shared` facts. Needs many facts, so
    it is for large tables (a benchmark, a season of coverage), not for five pages.
    """
    rows = claims.filter(pl.col("fact_id") != "").select("fact_id", "source", "value").unique()
    rows = rows.with_columns(
        (pl.len().over("fact_id", "value") * 2 <= pl.len().over("fact_id")).alias("_minor"),
    )
    pairs = (
        rows.join(rows, on="fact_id", suffix="_b")
        .filter(pl.col("source") < pl.col("source_b"))
        .group_by("source", "source_b")
        .agg(
            ((pl.col("value") == pl.col("value_b")) & pl.col("_minor")).sum().alias("_same"),
            (pl.col("_minor") | pl.col("_minor_b")).sum().alias("_either"),
        )
        .filter((pl.col("_same") >= min_shared) & (pl.col("_same") >= share * pl.col("_either")))
        .sort("source", "source_b")
    )
    parent: dict[str, str] = {}

    def root(source: str) -> str:
        """The first source of a copying group."""
        while parent.get(source, source) != source:
            source = parent[source]
        return source

    for a, b in pairs.select("source", "source_b").iter_rows():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {s: root(s) for s in sorted(parent)}


def _resolve(copies: Mapping[str, str]) -> dict[str, str]:
    """Follow chains of copies to the first original: C copies B and B copies A, so C copies A."""
    by_source: dict[str, str] = {}
    for key in sorted(copies):
        by_source.setdefault(key.split("#")[0], copies[key].split("#")[0])
    resolved = {}
    for key, original in copies.items():
        original, seen = original.split("#")[0], {key.split("#")[0]}
        while original in by_source and original not in seen:
            seen.add(original)
            original = by_source[original]
        resolved[key] = original
    return resolved


def _origin(frame: pl.DataFrame, copies: Mapping[str, str]) -> pl.Expr:
    """The source each claim's text comes from: its own, or the one it copies ("source#article" or source keys)."""
    copies = _resolve(copies)
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


# ------------------------------------------------------------------------------------------- normalise


def _prepare(claims: pl.DataFrame, copies: Mapping[str, str], units_of: Mapping[str, tuple]) -> pl.DataFrame:
    """Claims with their origin, canonical unit and interval, statement day and event days (internal columns)."""
    frame = (
        claims.with_columns(
            [pl.col(c).cast(pl.Float64, strict=False) for c in _FLOAT_COLUMNS]
            + [pl.col(c).cast(pl.Int64, strict=False) for c in _INT_COLUMNS]
            + [pl.col(c).cast(pl.Utf8).fill_null("") for c in CLAIM_COLUMNS if c not in _FLOAT_COLUMNS + _INT_COLUMNS]
        )
        .drop("fact_id")
        .with_row_index("_row")
    )
    frame = frame.with_columns(
        _origin(frame, copies).alias("_origin"),
        pl.col("claim_id").str.split(":").list.first().alias("_short"),
    )
    units = frame["unit"].unique().to_list()
    table = pl.DataFrame(
        [(u, *unit_factors(u, units_of)) for u in units],
        schema={"unit": pl.Utf8, "_unit": pl.Utf8, "_f": pl.Float64, "_flo": pl.Float64, "_fhi": pl.Float64},
        orient="row",
    )
    frame = frame.join(table, on="unit", how="left")
    point = pl.col("low").is_null() & pl.col("high").is_null() & pl.col("hedge").is_in(["exact", ""])
    widen = (
        (pl.col("kind") == "amount")
        & pl.col("hedge").is_in(["exact", ""])
        & (point | (pl.col("low") == pl.col("high")))
    )
    slack = pl.when(widen).then(_rounding(pl.col("value"))).otherwise(0.0)
    low = pl.when(point).then(pl.col("value")).otherwise(pl.col("low")) - slack
    high = pl.when(point).then(pl.col("value")).otherwise(pl.col("high")) + slack
    is_date = pl.col("kind") == "date"
    frame = frame.with_columns(
        _day_number("date").alias("_d0"),
        pl.coalesce(_day_number("date_end"), _day_number("date")).alias("_d1"),
        _day_number("as_of").alias("_asof"),
    )
    frame = frame.with_columns(
        # Rounded to 12 significant figures so that 2.3 x 1e9 and 2,300 x 1e6 compare equal.
        pl.when(is_date).then(pl.col("_d0")).otherwise(pl.col("value") * pl.col("_f")).round_sig_figs(12).alias("_v"),
        pl.when(is_date)
        .then(pl.col("_d0"))
        .otherwise((low * pl.col("_flo")).round_sig_figs(12).fill_null(-_INF))
        .alias("_lo"),
        pl.when(is_date)
        .then(pl.col("_d1"))
        .otherwise((high * pl.col("_fhi")).round_sig_figs(12).fill_null(_INF))
        .alias("_hi"),
    )
    has_interval = pl.col("_v").is_not_null() | pl.col("_lo").is_finite() | pl.col("_hi").is_finite()
    return frame.with_columns(
        ((pl.col("polarity") != "denied") & has_interval & pl.col("_lo").is_not_null()).alias("_usable"),
        pl.when(is_date).then(pl.lit(None, pl.Float64)).otherwise(pl.col("_d0")).alias("_ev0"),
        pl.when(is_date).then(pl.lit(None, pl.Float64)).otherwise(pl.col("_d1")).alias("_ev1"),
        pl.when(pl.col("measure") != "")
        .then(pl.col("measure"))
        .when(pl.col("subject_key") != "")
        .then("~" + pl.col("subject_key"))
        .otherwise(pl.lit(None, pl.Utf8))
        .alias("_mkey"),
    )


# ---------------------------------------------------------------------------------------------- group

_BASE = ["story", "kind", "_mkey", "subject_key", "_unit"]


def _split(
    frame: pl.DataFrame, by: list[str], start: str, end: str, gap: float, name: str, join_sole: bool = True
) -> pl.DataFrame:
    """Number runs of rows within `by` whose [start, end] days chain with gaps of at most `gap`.

    Rows without a day join the run when there is exactly one and `join_sole`, else stay apart (-1).
    """
    ordered = frame.sort([*by, start, "_row"], nulls_last=True)
    reach = pl.col(end).cum_max().shift(1).over(by)
    fresh = pl.col(start).is_not_null() & (reach.is_null() | (pl.col(start) - reach > gap))
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


def _date_facts(frame: pl.DataFrame, ignored: frozenset[str]) -> pl.DataFrame:
    """Fact keys for dates no rule names: the same day in one story, in sentences that share a word.

    A shared word is a lower-case word of four letters or more that is neither a month or weekday name
    nor a word every news sentence has ("said", "officials"); claims so linked (directly or through
    another claim) are one fact. Returns _row -> _cluster (the smallest claim id of the cluster).
    """
    rows = frame.filter((pl.col("kind") == "date") & pl.col("_mkey").is_null() & pl.col("_d0").is_not_null())
    out: dict[int, str] = {}
    groups = rows.group_by("story", "_d0", "_d1").agg("_row", "claim_id", "sentence")
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
        {"_row": list(out), "_cluster": list(out.values())}, schema={"_row": pl.UInt32, "_cluster": pl.Utf8}
    )


def _group(frame: pl.DataFrame, ignored: frozenset[str]) -> pl.DataFrame:
    """Give every claim that belongs to a fact its `_fact` key (a string), null otherwise."""
    clusters = _date_facts(frame, ignored)
    frame = frame.join(clusters, on="_row", how="left")
    frame = frame.with_columns(
        pl.when(pl.col("_cluster").is_not_null())
        .then("@" + pl.col("_cluster"))
        .otherwise(pl.col("_mkey"))
        .alias("_mkey")
    )
    keyed = frame.filter(pl.col("_mkey").is_not_null())
    # Eras: claims about events (or, lacking an event date, stated) more than a year apart never join.
    keyed = keyed.with_columns(pl.coalesce("_ev0", "_asof").alias("_a0"), pl.coalesce("_ev1", "_asof").alias("_a1"))
    keyed = _split(keyed, _BASE, "_a0", "_a1", ERA_DAYS, "_era")
    # A figure whose sentence dates no event is not lined up against figures about a dated event: "no
    # fatalities" (undated) and "eight killed on January 3" may well be about two different strikes.
    keyed = _split(keyed, [*_BASE, "_era"], "_ev0", "_ev1", EVENT_WINDOW_DAYS, "_event", join_sole=False)
    keyed = keyed.with_columns(
        pl.col("_a0").min().over([*_BASE, "_era"]).alias("_era_day"),
        pl.col("_ev0").min().over([*_BASE, "_era", "_event"]).alias("_event_day"),
    )
    parts = [pl.col(c).cast(pl.Utf8).fill_null("") for c in [*_BASE, "_era_day", "_event_day"]]
    keyed = keyed.with_columns(pl.concat_str(parts, separator="\x1f").alias("_fact"))
    return frame.join(keyed.select("_row", "_fact"), on="_row", how="left")


def _fact_id(key: str) -> str:
    """A stable id from a fact's key: the same claims give the same id on every run."""
    return "F" + hashlib.sha1(key.encode()).hexdigest()[:8]


# ---------------------------------------------------------------------------------------------- judge


def _day_checks(dated: pl.DataFrame) -> pl.DataFrame:
    """Per fact, from dated claims: a day on which the sources disagree, and a cumulative figure that falls."""
    days = dated.group_by("_fact", "_asof").agg(pl.col("_lo").max().alias("dlo"), pl.col("_hi").min().alias("dhi"))
    days = days.sort("_fact", "_asof").with_columns(
        pl.col("dlo").cum_max().shift(1).over("_fact").alias("before"),
    )
    return days.group_by("_fact").agg(
        pl.col("_asof").filter(pl.col("dlo") > pl.col("dhi")).min().alias("bad_day"),
        (pl.col("before") > pl.col("dhi")).any().alias("falls"),
        pl.col("_asof").n_unique().alias("n_days"),
    )


def _stats(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
    """Per fact: independent sources, the common interval's ends and how many distinct intervals."""
    return frame.group_by("_fact").agg(
        pl.col("_origin").n_unique().alias("n" + suffix),
        pl.col("_lo").max().alias("lo" + suffix),
        pl.col("_hi").min().alias("hi" + suffix),
        pl.struct("_lo", "_hi").n_unique().alias("k" + suffix),
    )


def _judge(usable: pl.DataFrame, facts: pl.DataFrame, cumulative: set[str], stock: set[str]) -> pl.DataFrame:
    """Add `verdict`, `_reason` and `_basis` ("all" claims or only "dated" ones) to the facts frame."""
    dated = usable.filter(pl.col("_asof").is_not_null())
    facts = (
        facts.join(_stats(usable, "_all"), on="_fact", how="left")
        .join(_stats(dated, "_d"), on="_fact", how="left")
        .join(_day_checks(dated), on="_fact", how="left")
        .with_columns(pl.col("n_all", "n_d").fill_null(0))
    )
    overlap_all = pl.col("lo_all") <= pl.col("hi_all")
    overlap_d = pl.col("lo_d") <= pl.col("hi_d")
    moves = pl.col("measure").is_in(list(cumulative))
    either = pl.col("measure").is_in(list(stock))
    same = "every independent source states the same interval"
    verdict_reason = (
        pl.when(pl.col("n_all") == 0)
        .then(pl.lit("single|no figure to compare (only denials or unresolved dates)"))
        .when(pl.col("n_all") <= 1)
        .then(pl.lit("single|one independent source"))
        .when(overlap_all & (pl.col("k_all") == 1))
        .then(pl.lit("agree|" + same))
        .when(overlap_all)
        .then(pl.lit("compatible|the intervals overlap"))
        .when(pl.col("n_d") == 0)
        .then(pl.lit("conflict|the intervals do not overlap; no source is dated, so time cannot explain it either"))
        .when(pl.col("n_d") == 1)
        .then(pl.lit("single|one dated independent source"))
        .when(overlap_d & (pl.col("k_d") == 1))
        .then(pl.lit("agree|" + same + " (dated sources)"))
        .when(overlap_d)
        .then(pl.lit("compatible|the intervals of the dated sources overlap"))
        .when(pl.col("bad_day").is_not_null())
        .then(pl.lit("conflict|the intervals do not overlap as of ") + pl.col("bad_day").map_elements(_iso, pl.Utf8))
        .when(moves & pl.col("falls"))
        .then(pl.lit("conflict|a cumulative figure that falls as time goes on"))
        .when(moves)
        .then(pl.lit("evolving|a running figure that grows as time goes on"))
        .when(either)
        .then(pl.lit("evolving|a stock that moved between the days it was stated"))
        .otherwise(pl.lit("conflict|the intervals do not overlap, and this figure does not change over time"))
    )
    facts = facts.with_columns(verdict_reason.str.split_exact("|", 1).struct.rename_fields(["verdict", "_reason"]))
    facts = facts.unnest(facts.columns[-1])
    basis = pl.when(overlap_all | (pl.col("n_d") == 0)).then(pl.lit("all")).otherwise(pl.lit("dated"))
    return facts.with_columns(basis.alias("_basis"))


# ------------------------------------------------------------------------------------------------ best


def _support_table(counted: pl.DataFrame) -> pl.DataFrame:
    """Per fact, each candidate value (a value some claim states), the sources whose interval allows it, and
    its distance from the median of the sources' values (for ties). Weights do not change this table."""
    candidates = counted.filter(pl.col("_v").is_not_null()).select("_fact", pl.col("_v").alias("_c")).unique()
    middle = (
        counted.filter(pl.col("_v").is_not_null())
        .group_by("_fact", "_origin")
        .agg(pl.col("_v").median())
        .group_by("_fact")
        .agg(pl.col("_v").median().alias("_mid"))
    )
    return (
        candidates.join(counted.select("_fact", "_origin", "_lo", "_hi"), on="_fact")
        .filter((pl.col("_lo") <= pl.col("_c")) & (pl.col("_c") <= pl.col("_hi")))
        .select("_fact", "_c", "_origin")
        .unique()
        .join(middle, on="_fact", how="left")
        .with_columns((pl.col("_c") - pl.col("_mid")).abs().alias("_gap"))
        .drop("_mid")
    )


def _choose(support: pl.DataFrame, weights: pl.DataFrame) -> pl.DataFrame:
    """Per fact, the value that the most (weighted) independent sources allow; ties go nearest their median."""
    return (
        support.join(weights, on="_origin", how="left")
        .group_by("_fact", "_c", "_gap")
        .agg(pl.col("_w").fill_null(1.0).sum().alias("_support"))
        .with_columns((pl.col("_support") * 1e6).round(0).alias("_rank"))
        .sort(["_fact", "_rank", "_gap", "_c"], descending=[False, True, False, False])
        .group_by("_fact", maintain_order=True)
        .first()
        .select("_fact", pl.col("_c").alias("_best"))
    )


def source_weights(counted: pl.DataFrame, rounds: int = WEIGHT_ROUNDS) -> pl.DataFrame:
    """A weight per independent source: the log-odds of how often it allows the consensus of facts it shares.

    Only facts with two or more independent sources teach anything. Agreement is smoothed towards 4 in 5,
    so a source seen on few facts weighs about what any source weighs; weights never fall below 0.05.
    """
    shared = counted.filter(pl.col("_origin").n_unique().over("_fact") > 1)
    support = _support_table(shared)
    stated = shared.select("_fact", "_origin").unique()
    origins = counted.select("_origin").unique()
    weights = origins.with_columns(pl.lit(1.0).alias("_w"))
    for _ in range(rounds):
        best = _choose(support, weights)
        allowed = support.join(best, left_on=["_fact", "_c"], right_on=["_fact", "_best"]).select("_fact", "_origin")
        agree = (
            stated.join(allowed.with_columns(pl.lit(True).alias("_ok")), on=["_fact", "_origin"], how="left")
            .group_by("_origin")
            .agg(pl.col("_ok").fill_null(False).sum().alias("_k"), pl.len().alias("_n"))
        )
        rate = ((pl.col("_k").fill_null(0) + PRIOR_AGREE) / (pl.col("_n").fill_null(0) + PRIOR_SEEN)).clip(0.01, 0.9)
        weights = origins.join(agree, on="_origin", how="left").select(
            "_origin", (rate / (1 - rate)).log().clip(0.05, None).alias("_w")
        )
    return weights


# --------------------------------------------------------------------------------------------- written


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
            plural = (
                "s" if unit.isalpha() and unit.islower() and value not in (1, None) and not unit.endswith("s") else ""
            )
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
    distinct = distinct.with_columns(pl.Series("_written", texts, dtype=pl.Utf8))
    return (
        members.join(distinct, on=keys, how="left", nulls_equal=True)
        .group_by("_fact", "_written")
        .agg(pl.col("_short").unique().sort().str.join(","), pl.col("_v").min(), pl.col("polarity").first())
        .sort("_fact", pl.col("polarity") == "denied", "_v", "_written", nulls_last=True)
        .group_by("_fact", maintain_order=True)
        .agg((pl.col("_written") + " [" + pl.col("_short") + "]").str.join("; ").alias("values"))
    )


# -------------------------------------------------------------------------------------- internal checks


def part_of_pattern(rules: RuleSet) -> tuple[re.Pattern[str], str]:
    """ "31 of the 50", "three out of five": a part, up to two words, a part-of word, a determiner, a whole.

    The words come from rules/counts.toml (`part_of_words`, `part_of_determiners`); the number shapes are
    audit.numbers'. Also returns a cheap (polars) regex of the words alone, to skip sentences without them.
    """
    words = phrase_alternation(rules.setting("counts", "part_of_words", ()))
    determiners = phrase_alternation(rules.setting("counts", "part_of_determiners", ()))
    near = rf"(?i)\b(?:{words})\b"
    return re.compile(
        rf"(?P<part>{NUMBER.pattern})\s+(?:[a-z]+\s+){{0,2}}?(?:{words})\s+(?:(?:{determiners})\s+)?"
        rf"(?P<whole>{NUMBER.pattern})",
        re.IGNORECASE | re.VERBOSE,
    ), near


def _part_whole_notes(members: pl.DataFrame, part_of: tuple[re.Pattern[str], str]) -> dict[str, list[str]]:
    """Parts larger than their whole ("31 of the 50"): found after the claim's words in its sentence."""
    notes: dict[str, list[str]] = {}
    pattern, near = part_of
    rows = members.filter(pl.col("sentence").str.contains(near) & (pl.col("kind") != "date"))
    for fact, text, sentence, short in rows.select("_fact", "text", "sentence", "_short").iter_rows():
        at = sentence.find(" ".join(text.split()))
        if at < 0:
            continue
        found = pattern.search(sentence, at, at + len(text) + 40)
        if not found or found.start() > at + len(text):
            continue
        part, whole = parse_number(found.group("part")), parse_number(found.group("whole"))
        if part is not None and whole is not None and part > whole:
            notes.setdefault(fact, []).append(f'part larger than its whole: "{found.group()}" [{short}]')
    return notes


def _duration_notes(members: pl.DataFrame, facts: pl.DataFrame, written: Mapping[str, str]) -> dict[str, list[str]]:
    """Durations checked against the dates of their start and end.

    The dates come from the duration claim itself (`date` to `date_end`, when the text gives both) or from
    date facts of the same story whose measure is the duration's measure plus `_start` and `_end`
    ("pause_start", "pause_end"). A day either way is allowed (counting both ends or one).
    """
    found: dict[tuple[str, str], list[str]] = {}
    dates = facts.filter((pl.col("kind") == "date") & pl.col("_best_day").is_not_null())
    ends = {(s, m): d for s, m, d in dates.select("story", "measure", "_best_day").iter_rows()}
    durations = members.filter((pl.col("kind") == "duration") & pl.col("_usable")).unique(
        ["_fact", "_origin", "_lo", "_hi", "_ev0", "_ev1"], keep="first", maintain_order=True
    )
    for row in durations.iter_rows(named=True):
        start, end, how = row["_ev0"], row["_ev1"], "as the text gives them"
        if start is None or end is None or end <= start:
            measure = row["measure"]
            start, end = ends.get((row["story"], f"{measure}_start")), ends.get((row["story"], f"{measure}_end"))
            how = f"{measure}_start to {measure}_end"
        if start is None or end is None or end < start:
            continue
        span = f"{_iso(start)} to {_iso(end)} ({end - start:g} days, {how})"
        fits = row["_lo"] - 1 <= end - start <= row["_hi"] + 1
        found.setdefault((row["_fact"], span), []).append(
            f"{as_written(row, written)} [{row['_short']}] {'fits' if fits else 'does not'}"
        )
    notes: dict[str, list[str]] = {}
    for (fact, span), verdicts in sorted(found.items()):
        notes.setdefault(fact, []).append(f"dates {span}: " + ", ".join(verdicts))
    return notes


# ------------------------------------------------------------------------------------------- reconcile


def _rule_flags(rules: RuleSet) -> tuple[set[str], set[str]]:
    """Measures that only grow (cumulative) and measures that move either way (stock), from counts.toml."""
    measures = rules.rules("counts", "measure")
    return {r.id for r in measures if r.get("cumulative")}, {r.id for r in measures if r.get("stock")}


def reconcile(
    claims: pl.DataFrame, rules: RuleSet, copies: Mapping[str, str] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Group claims into facts; return the claims with fact_id filled and the facts table (conflicts first).

    `copies` maps a copying source id (or "source#article") to its original; None finds copies in the
    claims themselves (identical sentences, see `detect_copies`).
    """
    claims = claims.select(CLAIM_COLUMNS)
    if claims.is_empty():
        return claims, pl.DataFrame(schema=_fact_schema())
    if copies is None:
        copies = detect_copies(claims)
    cumulative, stock = _rule_flags(rules)
    frame = _group(_prepare(claims, copies, unit_table(rules)), link_ignored(rules))
    members = frame.filter(pl.col("_fact").is_not_null())
    keys = members["_fact"].unique().sort().to_list()
    ids = pl.DataFrame(
        {"_fact": keys, "fact_id": [_fact_id(k) for k in keys]}, schema={"_fact": pl.Utf8, "fact_id": pl.Utf8}
    )
    members = members.join(ids, on="_fact")
    facts = _fact_rows(members)
    usable = members.filter(pl.col("_usable"))
    facts = _judge(usable, facts, cumulative, stock)
    facts = _summarise(usable, facts)
    facts = _notes(members, facts, written_table(rules), part_of_pattern(rules))
    out = claims.with_row_index("_row").join(
        members.select("_row", pl.col("fact_id").alias("_id")), on="_row", how="left"
    )
    out = out.with_columns(pl.col("_id").fill_null("").alias("fact_id")).sort("_row").select(CLAIM_COLUMNS)
    order = {v: i for i, v in enumerate(VERDICTS)}
    facts = facts.sort(pl.col("verdict").replace_strict(order, return_dtype=pl.Int32), "story", "measure", "fact_id")
    return out, facts.select([pl.col(c).cast(t) for c, t in _fact_schema().items()])


def _fact_rows(members: pl.DataFrame) -> pl.DataFrame:
    """One row per fact with its key columns and counts."""
    return (
        members.group_by("_fact")
        .agg(
            pl.col("fact_id").first(),
            pl.col("story").first(),
            pl.col("kind").first(),
            pl.col("measure").first(),
            pl.col("subject_key").first(),
            pl.col("_unit").first().alias("unit"),
            pl.col("_ev0").min().alias("_event"),
            pl.len().alias("claims"),
            pl.col("source").n_unique().alias("sources"),
            pl.col("_origin").filter(pl.col("polarity") != "denied").n_unique().alias("_asserting"),
            pl.col("_origin").n_unique().alias("_any"),
        )
        .with_columns(
            pl.when(pl.col("_asserting") > 0).then("_asserting").otherwise("_any").alias("independent"),
        )
    )


def _summarise(usable: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """Add low, best, high (canonical units) and, for date facts, the best day as event_date."""
    counted = usable.join(facts.select("_fact", "_basis", "verdict"), on="_fact").filter(
        (pl.col("_basis") == "all") | pl.col("_asof").is_not_null()
    )
    weights = source_weights(counted.filter(pl.col("verdict") != "evolving"))
    latest = pl.col("_asof") == pl.col("_asof").max().over("_fact")
    counted = counted.filter((pl.col("verdict") != "evolving") | latest)
    best = _choose(_support_table(counted), weights)
    bounds = counted.group_by("_fact").agg(
        pl.col("_lo").max().alias("_ilo"),
        pl.col("_hi").min().alias("_ihi"),
        pl.col("_lo").min().alias("_ulo"),
        pl.col("_hi").max().alias("_uhi"),
    )
    common = pl.col("_ilo") <= pl.col("_ihi")
    finite = lambda e: pl.when(e.is_finite()).then(e).otherwise(None)  # noqa: E731
    is_date = pl.col("kind") == "date"
    facts = facts.join(bounds, on="_fact", how="left").join(best, on="_fact", how="left")
    return facts.with_columns(
        pl.when(is_date).then(None).otherwise(finite(pl.when(common).then("_ilo").otherwise("_ulo"))).alias("low"),
        pl.when(is_date).then(None).otherwise(finite(pl.when(common).then("_ihi").otherwise("_uhi"))).alias("high"),
        pl.when(is_date).then(None).otherwise("_best").alias("best"),
        pl.when(is_date).then("_best").otherwise(None).alias("_best_day"),
    ).with_columns(
        pl.when(is_date)
        .then(pl.col("_best_day").map_elements(_iso, pl.Utf8))
        .otherwise(pl.col("_event").map_elements(_iso, pl.Utf8))
        .fill_null("")
        .alias("event_date")
    )


def _notes(
    members: pl.DataFrame, facts: pl.DataFrame, written: Mapping[str, str], part_of: tuple[re.Pattern[str], str]
) -> pl.DataFrame:
    """Add `values` and `note`: why the verdict, copies, undated and denying sources, internal checks."""
    facts = facts.join(_values(members, written), on="_fact", how="left")
    per_fact = members.group_by("_fact").agg(
        pl.concat_str(pl.col("_short"), pl.lit(" copies "), pl.col("_origin").str.split("_").list.first())
        .filter(pl.col("source") != pl.col("_origin"))
        .unique()
        .sort()
        .str.join(", ")
        .alias("_copies"),
        pl.col("_short")
        .filter(pl.col("_usable") & pl.col("_asof").is_null())
        .unique()
        .sort()
        .str.join(",")
        .alias("_undated"),
        pl.col("_short").filter(pl.col("polarity") == "denied").unique().sort().str.join(",").alias("_denied"),
    )
    several = (
        members.filter(pl.col("_usable"))
        .group_by("_fact", "_origin")
        .agg(pl.col("_short").min(), pl.struct("_lo", "_hi").n_unique().alias("_k"))
        .filter(pl.col("_k") > 1)
        .group_by("_fact")
        .agg(pl.col("_short").sort().str.join(",").alias("_several"))
    )
    facts = facts.join(per_fact, on="_fact", how="left").join(several, on="_fact", how="left")
    checks = _part_whole_notes(members, part_of)
    for fact, lines in _duration_notes(members, facts, written).items():
        checks.setdefault(fact, []).extend(lines)
    check_frame = pl.DataFrame(
        {"_fact": list(checks), "_checks": ["; ".join(v) for v in checks.values()]},
        schema={"_fact": pl.Utf8, "_checks": pl.Utf8},
    )
    facts = facts.join(check_frame, on="_fact", how="left")
    some = lambda c: pl.col(c).fill_null("") != ""  # noqa: E731
    undated = (
        pl.when(some("_undated") & (pl.col("_basis") == "dated"))
        .then("undated, not used for the verdict: " + pl.col("_undated"))
        .when(some("_undated"))
        .then("undated: " + pl.col("_undated"))
    )
    parts = [
        pl.col("_reason"),
        pl.when(some("_copies")).then("copies counted once: " + pl.col("_copies")),
        undated,
        pl.when(some("_denied")).then(
            "denied by " + pl.col("_denied") + ", shown beside it, never counted as agreement"
        ),
        pl.when(some("_several")).then("one source states several values: " + pl.col("_several")),
        pl.when(some("_checks")).then(pl.col("_checks")),
    ]
    return facts.with_columns(pl.concat_str(parts, separator="; ", ignore_nulls=True).alias("note"))
