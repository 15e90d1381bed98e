"""Speed: audit.dates.find_in_spans against dateparser.search_dates over the same texts, in one run.

Texts: the 20 TempEval-3 Platinum documents (../shared/bench/data/tempeval3/docs.jsonl) and the bundled
seed pages (whole files). Each system runs over all texts several times; the table gives the median
and the fastest run (the machine is shared: medians of several runs, not single timings). audit.dates
hands the calendar words its rules find to dateparser and caches the readings of identical words: the
"cold" row empties that cache before every run (the parsers themselves are made once per process).

    /work/main/.venv/bin/python benchmarks/dates_speed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.dates import find_in_spans, parse_calendar  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402


def texts() -> list[tuple[str, str]]:
    """(text, publication day) pairs: TempEval documents and the seed pages."""
    out = []
    docs = bench_data("tempeval3") / "docs.jsonl"
    if docs.is_file():
        for line in docs.read_text(encoding="utf-8").splitlines():
            if line:
                doc = json.loads(line)
                out.append((doc["text"], doc["dct"]))
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out.append((path.read_text(encoding="utf-8", errors="replace"), "2020-01-17"))
    return out


def run_ours(items: list[tuple[str, str]], rules) -> int:
    """All texts through find_in_spans; the number of mentions."""
    return sum(len(find_in_spans(text, [(0, len(text))], day, rules)) for text, day in items)


def run_ours_cold(items: list[tuple[str, str]], rules) -> int:
    """run_ours with dateparser's readings cache emptied first."""
    parse_calendar.cache_clear()
    return run_ours(items, rules)


def run_dateparser(items: list[tuple[str, str]]) -> int:
    """All texts through dateparser.search_dates (English, past, publication day as base)."""
    from dateparser.search import search_dates

    total = 0
    for text, day in items:
        settings = {"RELATIVE_BASE": dt.datetime.fromisoformat(day), "PREFER_DATES_FROM": "past"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            total += len(search_dates(text, languages=["en"], settings=settings) or [])
    return total


def timed(fn, runs: int) -> tuple[list[float], int]:
    """Wall times of several runs of fn and its last result."""
    times, result = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def main() -> None:
    """Time both systems over the same texts and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    items = texts()
    chars = sum(len(t) for t, _ in items)
    rules = load_rules()
    run_ours(items[:1], rules)  # warm up: regex compilation and caches
    run_dateparser(items[:1])
    ours, n_ours = timed(lambda: run_ours(items, rules), args.runs)
    cold, n_cold = timed(lambda: run_ours_cold(items, rules), args.runs)
    theirs, n_theirs = timed(lambda: run_dateparser(items), args.runs)
    print(f"{len(items)} texts, {chars:,} characters, {args.runs} runs each")
    print(f"{'system':28} {'found':>6} {'median s':>9} {'best s':>8} {'chars/s':>10}")
    for name, times, found in (
        ("audit.dates find_in_spans", ours, n_ours),
        ("  same, cold parse cache", cold, n_cold),
        ("dateparser search_dates", theirs, n_theirs),
    ):
        median = statistics.median(times)
        print(f"{name:28} {found:6d} {median:9.3f} {min(times):8.3f} {chars / median:10,.0f}")
    print(f"speed-up (median): {statistics.median(theirs) / statistics.median(ours):.1f}x", end="")
    print(f" (cold cache: {statistics.median(theirs) / statistics.median(cold):.1f}x)")


if __name__ == "__main__":
    main()
