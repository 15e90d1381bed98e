"""Real stories: audit each multi-outlet story folder and score it with the shared scorer.

Data: ../shared/bench/data/real-stories (five ECB+ stories, gold written by reading; see its FORMAT.md).
Prints the scorer's totals beside the figures of audit at commit 8d90283 (before this round's work).

    python benchmarks/real_stories.py [-v] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.benchdata import bench_data  # noqa: E402
from benchmarks.runner import audit_run, last_json, scorer  # noqa: E402

#: audit at commit 8d90283 (FORMAT.md of real-stories), and the bars of issue 11.
BEFORE = {"count+amount+duration F1": 0.869, "date F1": 0.879, "measure given": 0.445, "reconciliation": "14/38"}
BARS = {"count+amount+duration F1": 0.95, "date F1": 0.95, "measure given": 0.9, "reconciliation": "34/38"}


def stories(root: Path) -> list[Path]:
    """The story folders of the set, sorted."""
    return sorted(p for p in root.iterdir() if p.is_dir())


def score(out: Path, verbose: bool = False) -> dict:
    """Audit every story folder into OUT/<story>/ and return the scorer's summary for all of them."""
    root = bench_data("real-stories")
    for folder in stories(root):
        audit_run(folder, out / folder.name)
    args = [str(root), str(out)] + (["-v"] if verbose else [])
    return last_json(scorer("score_real.py"), *args)["all"]


def ratio(text: str) -> float:
    """The share in a scorer figure written "0.445 (73/164)"."""
    return float(str(text).split()[0])


def headline(summary: dict) -> dict:
    """The figures the issue names, from a scorer summary."""
    return {
        "count+amount+duration F1": summary["count+amount+duration"]["f1"],
        "date F1": summary["date"]["f1"],
        "measure given": ratio(summary["measure given"]),
        "measure right": ratio(summary["measure right (killed/injured/magnitude/arrested)"]),
        "amount in a fact": ratio(summary["amount in a fact"]),
        "duration in a fact": ratio(summary["duration in a fact"]),
        "reconciliation": summary["reconciliation"],
    }


def main() -> None:
    """Score and print the figures beside the earlier ones and the bars."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="let the scorer list every miss")
    parser.add_argument("--out", type=Path, default=None, help="keep the outputs in DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        summary = score(args.out or Path(tmp), args.v)
    figures = headline(summary)
    print(f"{'figure':<28} {'now':>8} {'before':>8} {'bar':>8}")
    for name, value in figures.items():
        print(f"{name:<28} {value!s:>8} {BEFORE.get(name, '')!s:>8} {BARS.get(name, '')!s:>8}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
