"""Truth discovery: the reconciler's `best` on the population and flights sets against their gold values.

Run from the repository root: `python benchmarks/truth.py`. Reads `../shared/bench/data/truth` (see its
FORMAT.md) and never copies it. Scoring follows FORMAT.md: only items that have a gold value and at least
one claim, one claim per source per item (the last one in file order wins); exact-match accuracy and mean
absolute error of `best`. Majority vote (ties go to the smaller value) is measured in the same run.

Each (object, property) item becomes one story with one measure, so the reconciler groups exactly the
items; sources carry no dates (the set has none), so verdicts come from the intervals alone. Flight times
become minutes after midnight of the flight's day (time zones as written are ignored, as the gold does);
gates become category codes, scored on exact match only.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.reconcile import claims_frame, copies_from_values, reconcile  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402

DATA = bench_data("truth")
ITEM = ["ObjectID", "PropertyID"]
PUBLISHED = {  # figures quoted in FORMAT.md (measured there on the same 301 items) and in the brief
    "majority vote (FORMAT.md)": (0.804, 2100),
    "median (FORMAT.md)": (0.571, 10300),
    "TruthFinder (public reimplementation)": (None, 1754),
}


def _read(path: Path) -> pl.DataFrame:
    """A claims or truth file of the set, every column as text, with its file order kept."""
    if not path.exists():
        sys.exit(f"{path}: not found (the truth sets live in ../shared/bench/data/truth)")
    return pl.read_csv(path, infer_schema_length=0).with_row_index("_order")


def last_claims(claims: pl.DataFrame) -> pl.DataFrame:
    """One claim per source per item: the last in file order (FORMAT.md)."""
    return claims.sort("_order").group_by([*ITEM, "SourceID"], maintain_order=True).last()


def to_claims(items: pl.DataFrame, unit: str = "") -> pl.DataFrame:
    """Benchmark rows (ObjectID, PropertyID, SourceID, v) as a claims frame: each item one story."""
    n = items.height
    sources = items["SourceID"].to_list()
    short = [re.sub(r"[^\w.-]+", "_", s)[:40] for s in sources]
    frame = pl.DataFrame(
        {
            "claim_id": [f"{s}:{i}" for i, s in enumerate(short)],
            "file": sources,
            "source": sources,
            "story": (items["ObjectID"] + "|" + items["PropertyID"]).to_list(),
            "kind": ["count"] * n,
            "measure": items["PropertyID"].str.replace(r"\d+$", "").str.to_lowercase().to_list(),
            "value": items["v"].to_list(),
            "low": items["v"].to_list(),
            "high": items["v"].to_list(),
            "hedge": ["exact"] * n,
            "unit": [unit] * n,
            "article": [1] * n,
            "char_start": list(range(n)),
            "char_end": list(range(1, n + 1)),
        }
    )
    empty = claims_frame([])
    missing = [pl.lit("").alias(c) for c, t in empty.schema.items() if c not in frame.columns and t == pl.Utf8]
    return frame.with_columns(missing).select([pl.col(c).cast(t) for c, t in empty.schema.items()])


def majority(items: pl.DataFrame) -> pl.DataFrame:
    """Majority vote per item, ties to the smaller value (the FORMAT.md baseline)."""
    votes = items.group_by([*ITEM, "v"]).len()
    return votes.sort(["len", "v"], descending=[True, False]).group_by(ITEM, maintain_order=True).first()


def reconciled(items: pl.DataFrame, rules, find_copies: bool = False) -> tuple[pl.DataFrame, float]:
    """The reconciler's best per item (copying sources found first when asked), and how long it took."""
    claims = to_claims(items)
    start = time.perf_counter()
    copies = copies_from_values(reconcile(claims, rules, {})[0]) if find_copies else {}
    _, facts = reconcile(claims, rules, copies)
    seconds = time.perf_counter() - start
    if copies:
        groups = {}
        for copy, original in copies.items():
            groups.setdefault(original, [original]).append(copy)
        print("  copying groups found from shared minority values:", "; ".join(", ".join(g) for g in groups.values()))
    best = facts.select(pl.col("story").str.split_exact("|", 1).struct.rename_fields(ITEM).alias("k"), "best")
    return best.unnest("k").rename({"best": "v"}), seconds


def score(guess: pl.DataFrame, gold: pl.DataFrame) -> tuple[float, float, int]:
    """Exact-match accuracy, mean absolute error and item count of guesses against gold."""
    both = gold.join(guess.select([*ITEM, "v"]), on=ITEM, how="left")
    exact = (both["v"] == both["g"]).fill_null(False)
    return float(exact.mean()), float((both["v"] - both["g"]).abs().mean()), both.height


def population(rules) -> None:
    """The population set: Wikipedia editors' figures for city populations."""
    folder = DATA / "population"
    claims = _read(folder / "population_claims.csv")
    gold = _read(folder / "population_truth.csv")
    items = last_claims(claims).with_columns(pl.col("PropertyValue").cast(pl.Float64, strict=False).alias("v"))
    items = items.filter(pl.col("v").is_not_null())
    gold = gold.with_columns(pl.col("PropertyValue").cast(pl.Float64).alias("g")).join(
        items.select(ITEM).unique(), on=ITEM
    )
    best, seconds = reconciled(items, rules)
    best_copies, _ = reconciled(items, rules, find_copies=True)
    rows = [
        ("reconcile best (this run)", *score(best, gold)),
        ("reconcile best, copies found (this run)", *score(best_copies, gold)),
        ("majority vote (this run)", *score(majority(items), gold)),
    ]
    print(f"population: {items.height:,} claims, {items.select(ITEM).n_unique():,} items; reconcile {seconds:.2f} s")
    print(f"  {'method':<40} {'exact':>7} {'MAE':>9} {'items':>6}")
    for name, exact, mae, n in rows:
        print(f"  {name:<40} {exact:>7.1%} {mae:>9,.0f} {n:>6}")
    for name, (exact, mae) in PUBLISHED.items():
        print(f"  {name:<40} {'' if exact is None else f'{exact:.1%}':>7} {mae:>9,} {'301':>6}")


def minutes(text: str | None, day: int) -> float | None:
    """A flight time as written ("7:25 PM, Mar 11", "3/11/12 7:41 PM") in minutes after midnight of `day`."""
    if not text:
        return None
    clock = re.search(r"(\d{1,2}):(\d{2})\s*([ap])\.?\s*m?\.?", text, re.I) or re.search(r"(\d{1,2}):(\d{2})()", text)
    if not clock:
        return None
    hour, minute = int(clock.group(1)) % 12 if clock.group(3) else int(clock.group(1)), int(clock.group(2))
    if clock.group(3).lower() == "p":
        hour += 12
    found = (
        re.search(r"\d{4}-\d{2}-(\d{2})", text)
        or re.search(r"\b\d{1,2}/(\d{1,2})/\d{2,4}", text)
        or re.search(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*(\d{1,2})\b", text, re.I)
        or re.search(r"\b(\d{1,2})-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", text, re.I)
    )
    offset = int(found.group(1)) - day if found else 0
    return float(offset * 1440 + hour * 60 + minute)


def gate(text: str | None) -> str | None:
    """A gate as a comparable string ("Gate C16" -> "C16"); None when no gate is given."""
    if not text or not re.search(r"\d", text):
        return None
    return re.sub(r"^(?:GATE|TERMINAL\s*\w+\s*-)\s*", "", text.strip().upper()).replace(" ", "")


def flights(rules) -> None:
    """The flights set (one day): departure and arrival times and gates from 38 sites."""
    folder = DATA / "flights"
    claims = last_claims(_read(folder / "flights_claims_2011-12-04.csv"))
    gold = _read(folder / "flights_truth_2011-12-04.csv").join(claims.select(ITEM).unique(), on=ITEM)
    day = 4
    is_gate = pl.col("PropertyID").str.contains("Gate")
    codes: dict[str, int] = {}

    def encode(frame: pl.DataFrame, column: str, out: str) -> pl.DataFrame:
        """Times as minutes, gates as category codes."""
        values = []
        for prop, text in frame.select("PropertyID", column).iter_rows():
            if "Gate" in prop:
                g = gate(text)
                values.append(None if g is None else float(codes.setdefault(g, len(codes))))
            else:
                values.append(minutes(text, day))
        return frame.with_columns(pl.Series(out, values, dtype=pl.Float64))

    items = encode(claims, "PropertyValue", "v").filter(pl.col("v").is_not_null())
    gold = encode(gold, "PropertyValue", "g").filter(pl.col("g").is_not_null())
    best, seconds = reconciled(items, rules)
    best_copies, seconds_copies = reconciled(items, rules, find_copies=True)
    vote = majority(items)
    print(f"flights: {items.height:,} claims, {items.select(ITEM).n_unique():,} items; reconcile {seconds:.2f} s")
    print(f"  {'method':<30} {'times exact':>11} {'MAE min':>8} {'n':>4} {'gates exact':>11} {'n':>4}")
    runs = (
        ("reconcile best", best),
        ("reconcile best, copies found", best_copies),
        ("majority vote (this run)", vote),
    )
    for name, guess in runs:
        t_exact, t_mae, t_n = score(guess, gold.filter(~is_gate))
        g_exact, _, g_n = score(guess, gold.filter(is_gate))
        print(f"  {name:<30} {t_exact:>11.1%} {t_mae:>8.1f} {t_n:>4} {g_exact:>11.1%} {g_n:>4}")


def main() -> None:
    """Run both sets and print the tables."""
    rules = load_rules()
    population(rules)
    print()
    flights(rules)


if __name__ == "__main__":
    main()
