"""How story grouping grows with the folder: 1,000 to 100,000 synthetic articles built from ECB+.

    .venv/bin/python benchmarks/stories_scale.py [--sizes 1000,2000,5000,10000,20000,50000,100000]

The articles are ECB+'s 895 pages (../shared/bench/data/ecbplus/pooled, read once by audit's ingest)
copied again and again, each copy a new set of events: copy k renames every capitalised word of more
than two letters (people, places, outlets: "Qeshm" -> "Qeshmzu", a suffix spelled from k), moves each
year named by k and each publication date by 53 * k days. So copy k's Qeshm quake is another event
with its own names, and the words that tell a quake ("earthquake", "magnitude") are shared by every
copy: the hard case for blocking, a common word in a huge folder. Built deterministically in memory
(nothing written to disk). Printed for each size: the time of audit.link.stories.assign_stories (signals,
candidate pairs, scores, grouping; wall clock, and the process's CPU time, which a shared machine
inflates less), the process's peak memory while it runs above its memory before (sampled every 20 ms),
pairs compared per article, and B-cubed F1 against the copies'
events (copy k, ECB+ sub-topic), a check that the grouping did not degrade with size.
Data: $AUDIT_BENCH_DATA or ../shared/bench/data (benchmarks/benchdata.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import audit.link.stories.blocking as blocking  # noqa: E402
from audit.ingest import read_corpus  # noqa: E402
from audit.link.stories import assign_stories  # noqa: E402
from audit.model import Article, Document, Source  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data, name_suffix, respelt  # noqa: E402

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def shifted(document: Document, k: int) -> Document:
    """Copy k of a page: its first article's headline and body with names, years and date moved."""
    article = document.articles[0]
    suffix = name_suffix(k)

    def move(text: str) -> str:
        text = _YEAR.sub(lambda m: str(int(m.group()) + k % 20), text)
        return respelt(text, suffix)

    headline = move(article.headline)
    body = move(" ".join(document.text[s:e] for s, e in article.body))
    text = f"{headline}\n\n{body}"
    published = ""
    if article.published:
        published = (dt.date.fromisoformat(article.published[:10]) + dt.timedelta(days=53 * k)).isoformat()
    start = len(headline) + 2
    name = f"{k:03d}_{document.source.file}"
    fresh = Article(1, headline, 0, len(text), ((start, len(text)),), published=published)
    return Document(Source(name, name.removesuffix(".txt")), text, (fresh,))


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> float:
    """B-cubed F1 of a predicted clustering against gold labels (same keys)."""
    pc, gc = defaultdict(set), defaultdict(set)
    for item in pred:
        pc[pred[item]].add(item)
        gc[gold[item]].add(item)
    p = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in pred) / len(pred)
    r = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in pred) / len(pred)
    return 2 * p * r / (p + r)


def _rss() -> int:
    """This process's resident memory in bytes (Linux: /proc/self/statm)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_while(work):
    """work()'s result and the process's peak resident memory while it ran above that before (MiB)."""
    before = _rss()
    peak, done = [before], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _rss())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = work()
    finally:
        done.set()
        sampler.join()
    return result, (max(peak[0], _rss()) - before) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,5000,10000,20000,50000,100000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    data = bench_data("ecbplus")
    rules = load_rules()
    base = [d for d in read_corpus(data / "pooled", rules).documents if d.articles]
    with open(data / "labels.csv", encoding="utf-8") as f:
        subtopic = {row["file"]: row["subtopic"] for row in csv.DictReader(f)}
    copies = -(-max(sizes) // len(base))
    pool = [shifted(d, k) for k in range(copies) for d in base]
    gold = {d.source.file: f"{d.source.file[:3]}/{subtopic[d.source.file[4:]]}" for d in pool}
    counted = {"pairs": 0}
    inner = blocking.candidate_pairs

    def counting(*a, **kw):
        rows, cols = inner(*a, **kw)
        counted["pairs"] = len(rows)
        return rows, cols

    import audit.link.stories as stories

    stories.candidate_pairs = counting
    print(
        f"{'articles':>9} {'seconds':>8} {'cpu s':>7} {'peak MiB':>8} {'us/article':>10} "
        f"{'pairs/article':>13} {'B3 F1':>6}"
    )
    previous = None
    for size in sizes:
        documents = pool[:size]
        started, cpu = time.perf_counter(), time.process_time()
        grouped, peak = peak_while(lambda docs=documents: assign_stories(docs, rules))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        pred = {d.source.file: d.articles[0].story for d in grouped}
        f1 = bcubed(pred, {k: gold[k] for k in pred})
        growth = "" if previous is None else f"  x{seconds / previous[1]:.1f} time for x{size / previous[0]:.1f} size"
        per = counted["pairs"] / size
        timing = f"{size:9d} {seconds:8.1f} {cpu:7.1f} {peak:8.0f} {1e6 * seconds / size:10.0f}"
        print(f"{timing} {per:13.1f} {f1:6.3f}{growth}")
        previous = (size, seconds)
        del grouped
    stories.candidate_pairs = inner
    return 0


if __name__ == "__main__":
    sys.exit(main())
