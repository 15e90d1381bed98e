"""Speed of the reconciler: 100,000 generated claim rows, median of several runs (the bar: under 2 s).

Run from the repository root: `python benchmarks/reconcile_speed.py [--rows N] [--runs K]`.
The rows are generated with a fixed seed: stories of several sources stating tolls, troop numbers,
durations and dates, with hedges, copies, undated sources, denials and a share of outliers.

`--page line|tolls --mb 5` measures instead what follows extraction on one hostile page (issue 15; the
pages of benchmarks/hostile_speed.py): the page is read and extracted once (not measured), its claims
capped as a run caps them (rules/facts.toml page_claims; `--cap 0` for none), then reconciled and every
report file (claims.csv, facts.csv, report.html) written, each stage with its processor seconds and the
process's peak RSS while it ran (sampled every 5 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit.model import CLAIM_COLUMNS  # noqa: E402
from audit.reconcile import claims_frame, reconcile  # noqa: E402
from audit.rules import load_rules  # noqa: E402

MEASURES = [
    ("killed", "people", "count", ""),
    ("wounded", "troops", "count", ""),
    ("troops_present", "troops", "count", ""),
]
HEDGES = [
    ("exact", 1.0, 1.0),
    ("at_least", 1.0, None),
    ("about", 0.9, 1.1),
    ("nearly", 0.9, 1.0),
    ("more_than", 1.0, None),
]


def generate(rows: int, seed: int = 7) -> pl.DataFrame:
    """`rows` claim rows in about rows/40 stories of up to 12 sources each."""
    rng = random.Random(seed)
    data: dict[str, list] = {c: [] for c in CLAIM_COLUMNS}
    story = 0
    while len(data["claim_id"]) < rows:
        story += 1
        day0 = date(2019, 1, 1) + timedelta(days=rng.randrange(2000))
        sources = [f"s{rng.randrange(60):02d}" for _ in range(rng.randint(2, 12))]
        truths = {m: rng.randint(3, 5000) for m, *_ in MEASURES}
        for position, source in enumerate(dict.fromkeys(sources)):
            published = (day0 + timedelta(days=rng.randrange(20))).isoformat() if rng.random() > 0.05 else ""
            copy = position > 0 and rng.random() < 0.1
            for measure, subject, kind, unit in MEASURES:
                for _ in range(rng.randint(1, 2)):
                    truth = truths[measure] + (rng.randint(0, 50) if measure != "troops_present" else 0)
                    value = float(truth if rng.random() > 0.15 else rng.randint(1, 9000))
                    hedge, low, high = rng.choice(HEDGES)
                    _row(data, story, source, published, kind, measure, subject, value, hedge, low, high, unit, copy)
            _row(
                data,
                story,
                source,
                published,
                "duration",
                "pause",
                "",
                float(rng.choice([10, 3])),
                "exact",
                1.0,
                1.0,
                rng.choice(["day", "week"]),
                copy,
            )
            _date = (day0 - timedelta(days=rng.choice([0, 0, 0, 1]))).isoformat()
            _row(data, story, source, published, "date", "pause_start", "", None, "exact", None, None, "", copy, _date)
            # A date no rule names: grouped by day and shared sentence words.
            _row(data, story, source, published, "date", "", "", None, "exact", None, None, "", copy, _date)
    return pl.DataFrame(data, schema=claims_frame([]).schema).head(rows)


def _row(data, story, source, published, kind, measure, subject, value, hedge, low, high, unit, copy, day=""):
    """Append one generated claim."""
    n = len(data["claim_id"])
    sentence = f"story {story} sentence {measure} {n if not copy else 0}"
    values = {
        "claim_id": f"{source}:{n}",
        "file": f"{source}.txt",
        "source": source,
        "outlet": "",
        "url": "",
        "published": published,
        "article": story,
        "headline": "",
        "story": f"S{story}",
        "kind": kind,
        "measure": measure,
        "subject": subject,
        "subject_key": subject,
        "value": value,
        "low": value * low if value is not None and low is not None else None,
        "high": value * high if value is not None and high is not None else None,
        "hedge": hedge,
        "unit": unit,
        "timex": "",
        "date": day,
        "date_end": day,
        "as_of": published,
        "polarity": "denied" if n % 97 == 0 else "asserted",
        "speaker": "",
        "text": str(value),
        "sentence": sentence,
        "char_start": n,
        "char_end": n + 1,
        "rule": measure,
        "fact_id": "",
    }
    for column, item in values.items():
        data[column].append(item)


class _Peaks:
    """The process's peak RSS (MiB) while each stage ran, sampled by a thread."""

    def __init__(self) -> None:
        self.stage, self.peaks = "", {}
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while True:
            with open("/proc/self/statm") as handle:
                rss = int(handle.read().split()[1]) * page / 2**20
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0.0), rss)
            time.sleep(0.005)


def after_extraction(kind: str, megabytes: float, cap: int | None) -> None:
    """Extract one hostile page once, then time and measure reconcile and the report files, stage by stage."""
    import tempfile

    from audit import report
    from audit.model import FACT_COLUMNS
    from audit.pipeline import claims_frame as frame_of_rows
    from audit.reconcile.settings import ReconcileSettings
    from audit.rules.compiled import compile_rules
    from audit.run import engine, extract_pages, page_reader
    from benchmarks.hostile_speed import MB, hostile_line, tolls_page

    rules = load_rules()
    compiled = compile_rules(rules)
    cap = rules.part(ReconcileSettings).page_claims if cap is None else cap
    peaks = _Peaks()
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "corpus", Path(tmp) / "out"
        folder.mkdir()
        text = (hostile_line if kind == "line" else tolls_page)(int(megabytes * MB))
        (folder / "page.txt").write_text(text, encoding="utf-8")
        del text
        with engine(compiled, 1) as runner:
            from audit.ingest import read_corpus

            corpus = read_corpus(folder, compiled.layout, None, compiled.stories, page_reader(runner))
            ids = {d.source.source_id: "000" for d in corpus.documents}
            rows, _ = extract_pages(runner, corpus.documents, ids, None, cap)
        times: dict[str, float] = {}

        def stage(name: str, work):
            peaks.stage, start = name, time.process_time()
            value = work()
            times[name] = time.process_time() - start
            return value

        base = peaks.peaks.get("", 0.0)
        frame = stage("claims frame", partial(frame_of_rows, rows))
        rows.clear()  # the rows let go once in the frame, as the pipeline does
        claims, facts = stage("reconcile", partial(reconcile, frame, rules, corpus.article_copies()))
        del frame
        page = stage("html data", lambda: report.html_file(claims, facts, corpus, rules, "", ()))
        files = {
            out / "claims.csv": report.csv_file(claims, CLAIM_COLUMNS),
            out / "facts.csv": report.csv_file(facts, FACT_COLUMNS),
            out / "report.html": page,
        }
        stage("write files", lambda: report.write_files(files, manifest=out / report.MANIFEST))
        sizes = {path.name: path.stat().st_size / 2**20 for path in files}
    print(f"{kind} page of {megabytes:g} MB: {claims.height:,} claims (cap {cap:,}), {facts.height:,} facts")
    print(
        f"extraction peak {base:.0f} MiB (not measured further); files: "
        + ", ".join(f"{name} {size:.0f} MiB" for name, size in sizes.items())
    )
    print(f"{'stage':14} {'cpu s':>7} {'peak MiB':>9}")
    for name, seconds in times.items():
        print(f"{name:14} {seconds:7.2f} {peaks.peaks.get(name, 0.0):9.0f}")
    print(f"{'all':14} {sum(times.values()):7.2f} {max(peaks.peaks.values()):9.0f}")


def main() -> None:
    """Generate the rows, reconcile them several times, print the median (or measure one hostile page)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", choices=("line", "tolls"), help="measure what follows extraction of this page")
    parser.add_argument("--mb", type=float, default=5.0, help="the page's size in MB (with --page)")
    parser.add_argument("--cap", type=int, default=None, help="claims kept of the page (default: page_claims)")
    args = parser.parse_args()
    if args.page:
        after_extraction(args.page, args.mb, args.cap)
        return
    rules = load_rules()
    claims = generate(args.rows)
    copies = {f"s{i:02d}": f"s{i - 1:02d}" for i in range(1, 60, 10)}
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        _, facts = reconcile(claims, rules, copies)
        times.append(time.perf_counter() - start)
    verdicts = dict(facts.group_by("verdict").len().sort("verdict").iter_rows())
    print(f"{'rows':>10} {'facts':>8} {'median s':>9} {'runs':>24}  bar")
    runs = " ".join(f"{t:.2f}" for t in times)
    print(f"{claims.height:>10,} {facts.height:>8,} {statistics.median(times):>9.2f} {runs:>24}  < 2 s")
    print("verdicts:", verdicts)


if __name__ == "__main__":
    main()
