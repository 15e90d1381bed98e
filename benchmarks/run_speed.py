"""Time `audit run` end to end: on the seeds, and on a generated corpus of a few hundred files.

The generated corpus is built in a temporary folder from `seeds/` and the TempEval-3 Platinum texts in
`../shared/bench/data/tempeval3/docs.jsonl` (never copied into the project). Prints wall time (median
of several runs), throughput in KB/s and the peak memory of the `audit run` process.

With `--stages`, instead: the seeds and the first 400 KB of benchmarks/scale.py's generated corpus (the
corpus its naive-pipeline line uses), each run `--runs` times in a fresh process through scale.py's timed
child, with the user cache (audit.cache) warm (a cache folder of the benchmark's own, filled by one run
first) and cold (an empty one each run): median wall, CPU (user + sys of the process and its workers) and
the time of each stage.

    .venv/bin/python benchmarks/run_speed.py [--runs 3] [--copies 40]
    .venv/bin/python benchmarks/run_speed.py --stages [--runs 5] [--jobs 1] [--kb 400]
"""

from __future__ import annotations

import argparse
import json
import os
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


def staged_run(folder: Path, cache: Path, jobs: str) -> dict[str, float]:
    """One `audit run` of a folder through scale.py's timed child: wall, CPU and each stage's seconds."""
    from benchmarks.scale import STAGES

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "stages.json"
        command = [sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--child", str(folder), tmp, str(report)]
        command += ["--jobs", jobs] if jobs else []
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stages = json.loads(report.read_text(encoding="utf-8"))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, **{stage: stages[stage] for stage in STAGES}}


def stages(runs: int, jobs: str, kb: int) -> None:
    """The seeds and the scale corpus's first `kb` KB, warm and cold cache: median wall, CPU, stage times."""
    from benchmarks.scale import STAGES, _pages, article, build

    print(f"{'corpus':<16} {'cache':<5} {'wall s':>7} {'cpu s':>7}  " + " ".join(f"{s:>8}" for s in STAGES))
    with tempfile.TemporaryDirectory() as tmp:
        pages, count = _pages(), 0
        while sum(len(article(pages, i)[0].encode()) for i in range(count)) < kb * 1024:
            count += 10
        corpus = Path(tmp) / "corpus"
        size = build(corpus, count, pages)
        warm = Path(tmp) / "warm-cache"
        for label, folder in (("seeds", SEEDS), (f"{size // 1024} KB", corpus)):
            staged_run(folder, warm, jobs)  # fills the warm cache
            for state in ("warm", "cold"):
                got = []
                for run in range(runs):
                    cache = warm if state == "warm" else Path(tmp) / f"cold-{label}-{run}"
                    got.append(staged_run(folder, cache, jobs))
                median = {key: statistics.median(g[key] for g in got) for key in got[0]}
                print(
                    f"{label:<16} {state:<5} {median['wall']:7.2f} {median['cpu']:7.2f}  "
                    + " ".join(f"{median[s]:8.2f}" for s in STAGES)
                )


def main() -> None:
    """Build the corpora and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, default=40, help="copies of each seed in the generated corpus")
    parser.add_argument("--stages", action="store_true", help="stage times, warm and cold cache (see above)")
    parser.add_argument("--jobs", default="", help="with --stages: passed to `audit run --jobs`")
    parser.add_argument("--kb", type=int, default=400, help="with --stages: size of the generated corpus")
    args = parser.parse_args()
    if args.stages:
        stages(args.runs, args.jobs, args.kb)
        return
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
