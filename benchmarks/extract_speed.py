"""Extraction speed: `audit.extract.extract_text` against `quantulum3.parser.parse` over the same whole texts.

Texts: the seed pages (`seeds/*.txt`) and the 20 TempEval-3 Platinum news texts
(../shared/bench/data/tempeval3/docs.jsonl, never copied into the project), each text whole, repeated
`--copies` times. Both sides are warmed up first (quantulum3 loads its unit tables on first use, ~1.5 s;
our rules load once), then timed over `--runs` runs; the table shows medians in KB/s (UTF-8 bytes).

    python benchmarks/extract_speed.py [--runs 5] [--copies 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.extract import Matchers, extract_text  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402


def texts() -> list[str]:
    """The seed pages and the TempEval-3 texts, whole."""
    out = [p.read_bytes().decode("utf-8-sig") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    docs = bench_data("tempeval3") / "docs.jsonl"
    out += [json.loads(line)["text"] for line in docs.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def timed(run, corpus: list[str], runs: int) -> float:
    """Median seconds of `runs` passes of `run` over every text."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        for text in corpus:
            run(text)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main() -> None:
    """Time both extractors and print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=5)
    args.add_argument("--copies", type=int, default=3)
    opts = args.parse_args()
    corpus = texts() * opts.copies
    size_kb = sum(len(t.encode("utf-8")) for t in corpus) / 1024
    rules = load_rules()
    matchers = Matchers(rules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        parser.parse("warm up: 10 km and $5")
    systems = {
        "audit extract_text": lambda t: extract_text(t, rules, matchers=matchers),
        "audit extract_text (bare)": lambda t: extract_text(t, rules, matchers=matchers, bare=True),
        "quantulum3.parser.parse": parser.parse,
    }
    for run in systems.values():
        run(corpus[0])
    results = {name: timed(run, corpus, opts.runs) for name, run in systems.items()}
    print(f"{len(corpus)} texts, {size_kb:.0f} KB, median of {opts.runs} runs")
    print(f"{'extractor':28} {'seconds':>8} {'KB/s':>8} {'vs quantulum3':>14}")
    base = results["quantulum3.parser.parse"]
    for name, seconds in results.items():
        print(f"{name:28} {seconds:8.2f} {size_kb / seconds:8.0f} {base / seconds:13.1f}x")


if __name__ == "__main__":
    main()
