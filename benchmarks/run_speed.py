"""Time `audit run` end to end: on the seeds, and on a generated corpus of a few hundred files.

The generated corpus is built in a temporary folder from `seeds/` and the TempEval-3 Platinum texts in
`../shared/bench/data/tempeval3/docs.jsonl` (never copied into the project). Prints wall time (median
of several runs), throughput in KB/s and the peak memory of the `audit run` process.

    .venv/bin/python benchmarks/run_speed.py [--runs 3] [--copies 40]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.benchdata import bench_data  # noqa: E402

SEEDS = ROOT / "seeds"
TEMPEVAL = bench_data("tempeval3") / "docs.jsonl"


def build_corpus(folder: Path, copies: int) -> int:
    """Write `copies` renamed copies of each seed and of each TempEval document; return the bytes written."""
    manifest = []
    for n in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            name = f"{n:03d}_{seed.name}"
            shutil.copy(seed, folder / name)
            manifest.append(f'[[source]]\nfile = "{name}"\n')
    if TEMPEVAL.exists():
        docs = [json.loads(line) for line in TEMPEVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
        for n in range(max(1, copies // 8)):
            for doc in docs:
                name = f"te{n:02d}_{doc['doc']}.txt"
                (folder / name).write_text(f"{doc['title']}\n\n{doc['text']}", encoding="utf-8")
                manifest.append(f'[[source]]\nfile = "{name}"\npublished = "{doc["dct"]}"\n')
    (folder / "sources.toml").write_text("\n".join(manifest), encoding="utf-8")
    return sum(p.stat().st_size for p in folder.glob("*.txt"))


def time_run(folder: Path, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `audit run FOLDER --out OUT` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "audit", "run", str(folder), "--out", str(out), "--width", "200"],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before)


def measure(label: str, folder: Path, size: int, runs: int) -> None:
    """Run `audit run` several times on a folder and print the medians."""
    walls, peaks = [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            wall, peak = time_run(folder, Path(out))
            walls.append(wall)
            peaks.append(peak)
    wall = statistics.median(walls)
    files = len(list(folder.glob("*.txt")))
    print(
        f"{label:<22} {files:>6} {size / 1024:>10.1f} {wall:>9.2f} {size / 1024 / wall:>9.1f} "
        f"{max(peaks) / 1024:>9.0f}   runs: {', '.join(f'{w:.2f}' for w in walls)}"
    )


def main() -> None:
    """Build the corpora and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, default=40, help="copies of each seed in the generated corpus")
    args = parser.parse_args()
    print(f"{'corpus':<22} {'files':>6} {'KB':>10} {'wall s':>9} {'KB/s':>9} {'peak MB':>9}")
    seeds_size = sum(p.stat().st_size for p in SEEDS.glob("*.txt"))
    measure("seeds", SEEDS, seeds_size, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = build_corpus(folder, args.copies)
        measure("generated", folder, size, args.runs)
    if not TEMPEVAL.exists():
        print(f"note: {TEMPEVAL} not found; the generated corpus holds seed copies only")


if __name__ == "__main__":
    main()
