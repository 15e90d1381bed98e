"""How `audit run` scales: generated news corpora of 1k, 10k and 100k articles, and the naive pipeline.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,100000] [--runs 1] [--jobs N] [--naive-kb 400]
                                         [--corpora DIR]

Each corpus is written to a temporary folder from ECB+'s 895 news pages (../shared/bench/data/ecbplus/
pooled; real sentences): article i is page i mod 895, copy k = i div 895, cut to its headline and first
sentences (about 800 bytes, a short news item), with every number shifted by k ("12 killed" -> "15
killed" in copy 3), every capitalised name respelt from k and its publication date moved by 53 * k days,
so each copy tells other events. Deterministic: the same sizes give the same files (`--corpora DIR` keeps
them there, and a later run reuses them).

For each size, `audit run FOLDER -o OUT --width 120` runs in a fresh process, as a user runs it: wall
seconds, CPU seconds (the process and its workers), peak memory (the process tree, sampled every
0.1 s: in all, and on a second line the peak while each stage runs), and the time of each stage
(rules, reading, copies, stories, extraction, reconciliation, report page, files, screen; copies and
stories run beside extraction, in a thread, when extraction runs in worker processes), then the growth
exponent of the wall time between sizes. Last, on the first 400 KB of the corpus, `audit run` against
the naive pipeline in the same run: quantulum3's parser and dateparser's search_dates over every whole
text (both warmed up first, timed in this process). Two ratios are printed, labelled: end to end (the
naive seconds over `audit run`'s whole wall, start-up and every stage and file included) and like for
like (over the wall of `audit run`'s reading and extraction stages alone, the work the naive pipeline does).
Data: $AUDIT_BENCH_DATA or ../shared/bench/data (benchmarks/benchdata.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.benchdata import bench_data, name_suffix, respelt  # noqa: E402

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\w])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
ARTICLE_BYTES = 800
STAGES = ("rules", "read", "copies", "stories", "extract", "reconcile", "html", "files", "screen")


def _shift_number(match: re.Match[str], k: int) -> str:
    """A number moved by k, written the way it was (thousands separators, decimals kept)."""
    text = match.group()
    if len(text) == 4 and text.isdigit() and text.startswith(("19", "20")):
        return str(int(text) + k % 20)  # a year stays a year
    whole, _, decimals = text.replace(",", "").partition(".")
    value = int(whole) + k
    written = f"{value:,}" if "," in text else str(value)
    return f"{written}.{decimals}" if decimals else written


def _pages() -> list[tuple[str, list[str]]]:
    """ECB+'s pages: each one's headline and body sentences."""
    pages = []
    for path in sorted((bench_data("ecbplus") / "pooled").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if len(lines) < 3:
            continue
        sentences = [s for line in lines[2:] for s in _SENTENCE_END.split(line) if s]
        pages.append((lines[0], sentences))
    return pages


def article(pages: list[tuple[str, list[str]]], i: int) -> tuple[str, str]:
    """Article i of the generated corpus: its text and its publication date."""
    headline, sentences = pages[i % len(pages)]
    k = i // len(pages)
    body: list[str] = []
    for sentence in sentences:
        body.append(sentence)
        if sum(len(s) + 1 for s in body) >= ARTICLE_BYTES:
            break
    suffix = name_suffix(k)

    def move(text: str) -> str:
        text = _NUMBER.sub(lambda m: _shift_number(m, k), text)
        return respelt(text, suffix)

    day = dt.date(2008, 1, 1) + dt.timedelta(days=(i % len(pages)) % 365 + 53 * k)
    return f"{move(headline)}\n\n{move(' '.join(body))}\n", day.isoformat()


def build(folder: Path, size: int, pages: list[tuple[str, list[str]]]) -> int:
    """Write a corpus of `size` articles (one a file, with a sources.toml); return its bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest, total = [], 0
    for i in range(size):
        text, day = article(pages, i)
        name = f"a{i:06d}.txt"
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        total += len(data)
        manifest.append(f'[[source]]\nfile = "{name}"\noutlet = "Outlet {i % 97}"\npublished = "{day}"\n')
    (folder / "sources.toml").write_text("\n".join(manifest), encoding="utf-8")
    return total


def built(folder: Path, size: int, pages: list[tuple[str, list[str]]]) -> int:
    """The corpus of `size` articles in `folder`: built there, or reused when a whole one is there already
    (its manifest is written last); its bytes."""
    manifest = folder / "sources.toml"
    if manifest.is_file() and manifest.read_text(encoding="utf-8").count("[[source]]") == size:
        return sum(path.stat().st_size for path in folder.glob("*.txt"))
    return build(folder, size, pages)


# --- the measured process ------------------------------------------------------------------------------


def child(folder: str, out: str, report: str, extra: list[str]) -> None:
    """Run `audit run FOLDER -o OUT` here with each stage timed (written as JSON to REPORT); the stage
    running is written to REPORT.stage as it changes (the sampler in `measure` reads it)."""
    import audit.cli as cli
    import audit.link as link
    import audit.pipeline as pipeline
    import audit.report as report_module

    spent: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    running: list[str] = []  # the stages running (copies and stories run beside extraction)
    marker = Path(report + ".stage")

    def mark() -> None:
        marker.write_text(",".join(running), encoding="utf-8")

    def timed(module, name: str, stage: str) -> None:
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            running.append(stage)
            mark()
            try:
                return original(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started
                running.remove(stage)
                mark()

        setattr(module, name, wrapper)

    timed(pipeline, "compile_rules", "rules")
    timed(pipeline, "check_rules", "rules")
    timed(pipeline, "check_examples", "rules")
    timed(pipeline, "read_pages", "read")
    timed(link, "find_copies", "copies")
    timed(link, "assign_stories", "stories")
    timed(pipeline, "extract_pages", "extract")
    timed(pipeline, "claims_frame", "reconcile")
    timed(pipeline, "reconcile", "reconcile")
    timed(report_module, "html_file", "html")
    timed(cli, "_write", "files")
    timed(cli, "_show", "screen")

    started = time.perf_counter()
    try:
        cli.cli(["run", folder, "-o", out, "--width", "120", *extra], prog_name="audit", standalone_mode=False)
    finally:
        sys.stdout.flush()
    spent["total"] = time.perf_counter() - started
    spent["quantulum3"] = float("quantulum3" in sys.modules)
    Path(report).write_text(json.dumps(spent), encoding="utf-8")


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(p for p, parent in parents.items() if parent == current)
    return total


def measure(folder: Path, extra: list[str]) -> dict[str, float]:
    """One `audit run` of a folder in a fresh process: wall, CPU, peak memory of its tree (in all, and
    while each stage runs: "peak_<stage>"), stage times."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "stages.json"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        command = [sys.executable, __file__, "--child", str(folder), str(Path(tmp) / "out"), str(report), *extra]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=ROOT)
        peaks: dict[str, int] = {}
        marker = Path(str(report) + ".stage")

        def sample() -> None:
            while process.poll() is None:
                try:
                    stages = marker.read_text(encoding="utf-8").split(",")
                except OSError:
                    stages = [""]
                rss = _tree_rss(process.pid)
                for stage in stages:
                    peaks[stage or "other"] = max(peaks.get(stage or "other", 0), rss)
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        wall = time.perf_counter() - started
        sampler.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if code:
            raise SystemExit(f"audit run {folder} failed (exit code {code})")
        stages = json.loads(report.read_text(encoding="utf-8"))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    by_stage = {f"peak_{stage}": peaks.get(stage, 0) / 2**20 for stage in STAGES}
    return {"wall": wall, "cpu": cpu, "peak": max(peaks.values(), default=0) / 2**20, **by_stage, **stages}


def naive(folder: Path) -> float:
    """Seconds of the naive pipeline over a folder: quantulum3 and dateparser's search_dates on each text."""
    from dateparser.search import search_dates
    from quantulum3 import parser

    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]
    parser.parse("about 5 km")  # both warmed up: their tables load on first use
    search_dates("on 5 January 2020", languages=["en"])
    started = time.perf_counter()
    for text in texts:
        parser.parse(text)
        search_dates(text, languages=["en"], settings={"PREFER_DATES_FROM": "past"})
    return time.perf_counter() - started


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="articles in each corpus, comma-separated")
    parser.add_argument("--runs", type=int, default=1, help="runs of each size (medians shown)")
    parser.add_argument("--jobs", default="", help="passed to `audit run --jobs` (default: its own)")
    parser.add_argument("--naive-kb", type=int, default=400, help="size of the naive pipeline's corpus (0: skip)")
    parser.add_argument(
        "--corpora",
        default="",
        help="build the corpora in this folder and reuse them on later runs (default: a temporary folder)",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.child:
        child(*args.child, rest)
        return 0
    extra = ["--jobs", args.jobs] if args.jobs else []
    pages = _pages()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    heading = f"{'articles':>8} {'MB':>6} {'wall s':>8} {'cpu s':>7} {'peak MB':>8}  "
    print(heading + " ".join(f"{stage:>8}" for stage in STAGES))
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = Path(args.corpora or tmp) / f"c{size}"
            total = built(folder, size, pages)
            got = _median([measure(folder, extra) for _ in range(args.runs)])
            growth = ""
            if previous:
                exponent = math.log(got["wall"] / previous[1]) / math.log(size / previous[0])
                growth = f"  growth exponent {exponent:.2f} (wall ~ size^{exponent:.2f})"
            print(
                f"{size:8d} {total / 2**20:6.1f} {got['wall']:8.1f} {got['cpu']:7.1f} {got['peak']:8.0f}  "
                + " ".join(f"{got[s]:8.1f}" for s in STAGES)
                + growth
                + ("  (quantulum3 imported)" if got["quantulum3"] else "")
            )
            print(
                f"{'':8} {'':6} {'':8} {'':7} {'peak MB':>8}  " + " ".join(f"{got['peak_' + s]:8.0f}" for s in STAGES)
            )
            previous = (size, got["wall"])
        if args.naive_kb:
            count = 0
            while sum(len(article(pages, i)[0].encode()) for i in range(count)) < args.naive_kb * 1024:
                count += 10
            folder = Path(tmp) / "naive"
            total = build(folder, count, pages)
            ours = _median([measure(folder, extra) for _ in range(max(1, args.runs))])
            theirs = naive(folder)
            like = ours["read"] + ours["extract"]
            print(
                f"naive pipeline on {total / 1024:.0f} KB ({count} articles): quantulum3 + search_dates "
                f"{theirs:.1f} s (in process, warm: imports and tables loaded before the clock starts)"
            )
            print(
                f"  end to end:   audit run {ours['wall']:.2f} s wall (a fresh process: start-up, imports, rules, "
                f"reading, copies, stories, extraction, reconciling, CSV/JSON/HTML): {theirs / ours['wall']:.1f}x"
            )
            print(
                f"  like for like: audit run's reading + extraction {like:.2f} s wall (its stages 'read' "
                f"{ours['read']:.2f} s and 'extract' {ours['extract']:.2f} s, the work the naive pipeline does): "
                f"{theirs / like:.1f}x"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
