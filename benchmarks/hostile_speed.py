"""Hostile pages: one line of several MB dense with figures, and a page of tens of thousands of distinct tolls.

Each page is generated (deterministically, from a seed) into a folder of its own and audited by
`audit run` in a fresh process; the table gives wall seconds, processor seconds (user + sys, the
process and its workers) and peak RSS, for pages of growing size so the growth shows: it should be
close to linear. The page must be audited whole: the claims row count is printed, and a page stopped
by its time budget (rules/boilerplate.toml page_seconds) is flagged.

- `line`: one line, no newline, of fragments such as "At least 12345 troops were killed on Jan. 8,
  officials said; " with distinct numbers, hedges, dates, amounts and durations.
- `tolls`: paragraphs of "123456 troops were killed." sentences, each number distinct.

    /work/main/.venv/bin/python benchmarks/hostile_speed.py [--kind line|tolls|both] [--sizes 1,2,5] [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000

_HEDGES = ("At least", "More than", "Nearly", "About", "Up to", "Some", "Fewer than", "Around", "", "")
_MEASURES = (
    "troops were killed",
    "civilians were wounded",
    "people were injured",
    "missiles were fired",
    "families were displaced",
    "hostages were freed",
    "soldiers were deployed",
)
_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_SPEAKERS = ("officials said", "the ministry said", "a spokesman told reporters", "police said", "witnesses said")
_WEEKDAYS = ("on Monday", "on Tuesday", "last week", "on Friday", "yesterday", "two days later")


def _fragment(rng: random.Random, n: int) -> str:
    """One clause with a distinct figure (n), and sometimes a date, an amount or a duration."""
    hedge = rng.choice(_HEDGES)
    head = f"{hedge} {n}" if hedge else f"{n}"
    shape = n % 5
    if shape == 0:
        tail = f"on {rng.choice(_MONTHS)} {1 + n % 28}, {2000 + n % 25}"
    elif shape == 1:
        tail = rng.choice(_WEEKDAYS)
    elif shape == 2:
        tail = f"after a {2 + n % 40}-day pause costing ${1 + n % 900}.{n % 10} million"
    elif shape == 3:
        tail = f"during {3 + n % 20} hours of fighting, {10 + n % 90}% of them near the border"
    else:
        tail = f"in {rng.choice(_MONTHS)} {2000 + n % 25}"
    return f"{head} {rng.choice(_MEASURES)} {tail}, {rng.choice(_SPEAKERS)}; "


def hostile_line(size: int, seed: int = 15) -> str:
    """About `size` characters on one line, no newline: distinct figures, hedges, dates, amounts, durations."""
    rng = random.Random(seed)
    parts, length, n = ["Clashes\n\n"], 0, 10_000
    while length < size:
        part = _fragment(rng, n)
        parts.append(part)
        length += len(part)
        n += 7
    return "".join(parts)


def tolls_page(size: int, seed: int = 15) -> str:
    """About `size` characters of "123456 troops were killed." sentences, each number distinct, in paragraphs."""
    rng = random.Random(seed)
    numbers = rng.sample(range(100_000, 1_000_000), size // 24 + 1)
    lines, paragraph, length = ["Tolls", ""], [], 0
    for n in numbers:
        sentence = f"{n} troops were killed."
        paragraph.append(sentence)
        length += len(sentence) + 1
        if len(paragraph) == 20:
            lines.append(" ".join(paragraph))
            paragraph = []
        if length >= size:
            break
    lines.append(" ".join(paragraph))
    return "\n\n".join(lines) + "\n"


def run_once(folder: Path, out: Path, jobs: int) -> tuple[float, float, int, bool, int]:
    """Wall s, CPU s (user+sys, with workers), peak RSS (KiB), stopped by the budget?, claim rows."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "audit", "run", str(folder), "--out", str(out), "--width", "200", "-j", str(jobs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"audit run failed ({proc.returncode}): {err[-2000:]}")
    rows = max(0, len((out / "claims.csv").read_text(encoding="utf-8").splitlines()) - 1)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, "time budget" in err, rows


def measure(kind: str, megabytes: float, runs: int, jobs: int) -> None:
    """Generate one page of `kind`, audit it `runs` times, print one row of medians."""
    text = (hostile_line if kind == "line" else tolls_page)(int(megabytes * MB))
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "corpus", Path(tmp) / "out"
        folder.mkdir()
        (folder / "page.txt").write_text(text, encoding="utf-8")
        results = [run_once(folder, out, jobs) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    peak = max(r[2] for r in results) / 1024
    stopped = "STOPPED by budget" if any(r[3] for r in results) else ""
    print(f"{kind:6} {megabytes:5.1f} MB {wall:9.1f} {cpu:9.1f} {peak:9.0f} {results[0][4]:>9} {stopped}", flush=True)


def main() -> None:
    """Measure each kind at each size and print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--kind", choices=("line", "tolls", "both"), default="both")
    args.add_argument("--sizes", default="1,2,5", help="page sizes in MB, comma separated")
    args.add_argument("--runs", type=int, default=1)
    args.add_argument("--jobs", type=int, default=1, help="audit run -j (1: the page runs in the main process)")
    opts = args.parse_args()
    kinds = ("line", "tolls") if opts.kind == "both" else (opts.kind,)
    print(f"{'kind':6} {'size':>8} {'wall s':>9} {'cpu s':>9} {'peak MiB':>9} {'claims':>9}")
    for kind in kinds:
        for size in opts.sizes.split(","):
            measure(kind, float(size), opts.runs, opts.jobs)


if __name__ == "__main__":
    main()
