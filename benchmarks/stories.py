"""Story grouping on ECB+: every topic folder and the pooled folder, scored by the shared scorer.

    .venv/bin/python benchmarks/stories.py [--half odd|even|all] [--stories-only] [--no-pooled]

Runs audit's pipeline (audit.pipeline.audit_folder, then claims.csv written as `audit run` writes it)
on each ECB+ topic folder tNN and on pooled/ (every topic in one folder), writes the tables to a
temporary folder and scores them with ../shared/bench/score_stories.py (a subprocess). Printed: the
mean of the topics' B-cubed F1 and the pooled B-cubed F1 beside the baselines of ECB+'s FORMAT.md,
and the story step's share of the pooled run's time.

The scorer takes a file's story from its claim rows, so a page with no claim gets a cluster of its
own there whatever its story. `--stories-only` runs ingestion alone (read_corpus: stories included)
and writes one row per article (file, article, story): the grouping itself, every article included.
`--half odd` scores the 1st, 3rd ... topic folders (name order) and pools only those topics' pages;
`even` the others (docs/stories.md: settings chosen on one half, checked on the other).
Data: $AUDIT_BENCH_DATA or ../shared/bench/data (benchmarks/benchdata.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import audit.ingest as ingest  # noqa: E402
import audit.link as link  # noqa: E402
from audit.model import CLAIM_COLUMNS  # noqa: E402
from audit.pipeline import audit_folder  # noqa: E402
from audit.report import write_csv  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402

# ECB+ FORMAT.md, reference figures (audit at commit 8d90283 and two baselines).
BASELINES = (
    ("audit before (8d90283)", 0.684, 0.862),
    ("one cluster per folder", 0.687, None),
    ("TF-IDF average link, best threshold on the labels", 0.867, 0.860),
)


class StoryClock:
    """Wraps audit.link's assign_stories (what read_corpus calls) to add up the time spent grouping stories."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._inner = link.assign_stories

    def __call__(self, documents, layout=None):
        started = time.perf_counter()
        try:
            return self._inner(documents, layout)
        finally:
            self.seconds += time.perf_counter() - started


def run_folder(folder: Path, out: Path, rules, stories_only: bool) -> None:
    """Audit one folder and write its claims.csv (or, stories only, one row per article)."""
    out.mkdir(parents=True, exist_ok=True)
    if stories_only:
        corpus = ingest.read_corpus(folder, rules)
        with open(out / "claims.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["file", "article", "story"])
            for document in corpus.documents:
                for article in document.articles:
                    writer.writerow([document.source.file, article.index, article.story])
        return
    result = audit_folder(folder, rules)
    write_csv(result.claims, CLAIM_COLUMNS, out / "claims.csv")


def score(labels: Path, tables: list[Path]) -> dict:
    """The scorer's JSON summary of some claims tables."""
    scorer = labels.parent.parent.parent / "score_stories.py"
    done = subprocess.run(
        [sys.executable, str(scorer), str(labels), *map(str, tables), "--quiet"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def pooled_subset(pooled: Path, topics: list[Path], into: Path) -> Path:
    """pooled/ cut to the pages of some topics (a folder of copies and a manifest of their entries)."""
    names = {p.name for topic in topics for p in topic.glob("*.txt")}
    into.mkdir(parents=True)
    for name in names:
        shutil.copyfile(pooled / name, into / name)  # a copy: audit reads no link that leads out of its folder
    manifest = (pooled / "sources.toml").read_text(encoding="utf-8").split("[[source]]")
    kept = [entry for entry in manifest[1:] if entry.split('"')[1] in names]
    (into / "sources.toml").write_text("".join(f"[[source]]{entry}" for entry in kept), encoding="utf-8")
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("odd", "even", "all"), default="all")
    parser.add_argument("--stories-only", action="store_true", help="ingest only: one row per article")
    parser.add_argument("--no-pooled", action="store_true")
    args = parser.parse_args(argv)
    data = bench_data("ecbplus")
    labels = data / "labels.csv"
    rules = load_rules()
    topics = sorted(p for p in data.glob("t[0-9]*") if p.is_dir())
    topics = {"odd": topics[0::2], "even": topics[1::2], "all": topics}[args.half]
    clock = StoryClock()
    link.assign_stories = clock
    work = Path(tempfile.mkdtemp(prefix="audit-stories-"))
    try:
        started = time.perf_counter()
        for topic in topics:
            run_folder(topic, work / topic.name, rules, args.stories_only)
        topic_seconds = time.perf_counter() - started
        summary = score(labels, [work / t.name / "claims.csv" for t in topics])
        print(
            f"ECB+ {args.half} topics: {len(topics)} folders, {summary['files']} files, "
            f"{summary['no_claims']} without a claim row ({topic_seconds:.1f} s)"
        )
        mode = "stories only (one row per article)" if args.stories_only else "pipeline claims.csv"
        print(f"{'run':52} {'mean topic B3 F1':>17} {'pooled B3 F1':>13}")
        pooled = None
        if not args.no_pooled:
            folder = data / "pooled"
            if args.half != "all":
                folder = pooled_subset(folder, topics, work / "pooled-in")
            clock.seconds = 0.0
            started = time.perf_counter()
            run_folder(folder, work / "pooled", rules, args.stories_only)
            pooled_seconds = time.perf_counter() - started
            pooled = score(labels, [work / "pooled" / "claims.csv"])
        print(
            f"{'audit now, ' + mode:52} {summary['macro_topic_bcubed_f1']:17.3f} "
            f"{pooled['bcubed']['f1'] if pooled else float('nan'):13.3f}"
        )
        for name, macro, pooled_f1 in BASELINES:
            print(f"{name:52} {macro:17.3f} {pooled_f1 if pooled_f1 is not None else float('nan'):13.3f}")
        b = summary["bcubed"]
        print(
            f"topics: B3 P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f}; clusters {summary['pred_clusters']} "
            f"(gold {summary['gold_clusters']})"
        )
        if pooled:
            b = pooled["bcubed"]
            print(
                f"pooled: B3 P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f}; clusters {pooled['pred_clusters']} "
                f"(gold {pooled['gold_clusters']}); run {pooled_seconds:.1f} s, story step {clock.seconds:.2f} s "
                f"({100 * clock.seconds / pooled_seconds:.0f}%)"
            )
    finally:
        link.assign_stories = clock._inner
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
