"""Ingestion throughput (KB/s) on a generated corpus of a few hundred pages.

The corpus is built in a temporary folder (never in the project) from `seeds/` (renamed copies, so the
copy detector and story clustering see many copies) and the TempEval-3 Platinum texts in
`../shared/bench/data/tempeval3/docs.jsonl` (see its FORMAT.md: `{"doc","dct","title","text"}` per
line), written as plain-text pages and, one in four, as HTML pages that go through trafilatura.
Prints the median of several runs for each part of ingestion: reading and splitting pages, copy
detection, story clustering, and the whole of `read_corpus`.

    .venv/bin/python benchmarks/ingest.py [--runs 3] [--copies 40] [--te-copies 5]
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.ingest import (  # noqa: E402
    SUFFIXES,
    assign_stories,
    find_copies,
    layout_of,
    read_corpus,
    read_document,
)
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402

SEEDS = ROOT / "seeds"
TEMPEVAL = bench_data("tempeval3") / "docs.jsonl"

PAGE = """<!DOCTYPE html><html><head><title>{title}</title>
<meta property="article:published_time" content="{dct}"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>{title}</h1>
{paragraphs}
</article><aside><h3>TRENDING</h3><p>Another story entirely, 17 apps to delete</p></aside>
<footer>© Copyright 2013</footer></body></html>
"""


def build_corpus(folder: Path, copies: int, te_copies: int) -> tuple[int, int]:
    """Write the generated corpus; return (files, bytes)."""
    for n in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / f"s{n:03d}_{seed.name}")
    if TEMPEVAL.exists():
        docs = [json.loads(line) for line in TEMPEVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
        for n in range(te_copies):
            for number, doc in enumerate(docs):
                name = f"te{n:02d}_{doc['doc']}"
                if number % 4 == 3:
                    paragraphs = "\n".join(
                        f"<p>{html.escape(p.strip())}</p>" for p in doc["text"].split("\n\n") if p.strip()
                    )
                    page = PAGE.format(title=html.escape(doc["title"]), dct=doc["dct"], paragraphs=paragraphs)
                    (folder / f"{name}.html").write_text(page, encoding="utf-8")
                else:
                    (folder / f"{name}.txt").write_text(f"{doc['title']}\n\n{doc['text']}", encoding="utf-8")
    files = [p for p in folder.iterdir() if p.suffix in SUFFIXES]
    return len(files), sum(p.stat().st_size for p in files)


def timed(function, runs: int) -> tuple[float, object]:
    """Median wall time of `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    """Build the corpus, time each part of ingestion, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, default=40, help="renamed copies of each seed page")
    parser.add_argument("--te-copies", type=int, default=5, help="copies of each TempEval-3 document")
    args = parser.parse_args()
    if not TEMPEVAL.exists():
        print(f"note: {TEMPEVAL} not found; seeds only")
    rules = load_rules()
    layout = layout_of(rules)
    with tempfile.TemporaryDirectory(prefix="audit-ingest-bench-") as tmp:
        folder = Path(tmp)
        files, size = build_corpus(folder, args.copies, args.te_copies)
        paths = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
        split, documents = timed(lambda: [read_document(p, {}, layout) for p in paths], args.runs)
        copies, (copied, _) = timed(lambda: find_copies(documents, layout), args.runs)
        stories, _ = timed(lambda: assign_stories(copied, rules), args.runs)
        whole, corpus = timed(lambda: read_corpus(folder, rules), args.runs)
    kb = size / 1024
    articles = sum(len(d.articles) for d in corpus.documents)
    print(f"generated corpus: {files} files, {kb:,.0f} KB, {articles} articles, {len(corpus.copies)} copy sources")
    print(f"median of {args.runs} runs, {sys.platform}, python {sys.version.split()[0]}")
    print(f"{'part':<28}{'seconds':>10}{'KB/s':>12}")
    for part, seconds in (
        ("read, clean, split pages", split),
        ("copies (word shingles)", copies),
        ("stories (TF-IDF, clusters)", stories),
        ("read_corpus (all of ingest)", whole),
    ):
        print(f"{part:<28}{seconds:>10.3f}{kb / seconds:>12,.0f}")
    print("published figures: none for this stage (compare with benchmarks/run_speed.py for the whole run)")


if __name__ == "__main__":
    main()
