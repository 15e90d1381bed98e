"""TempEval-3 Platinum (Task A, time expressions): relaxed span F1 and value F1 of audit.dates, beside
HeidelTime's published figures and dateparser's search_dates measured in the same run.

Data: ../shared/bench/data/tempeval3 (docs.jsonl, timex3_gold.jsonl; see its FORMAT.md). Scoring follows
FORMAT.md's character-offset approximation of the official scorer: a prediction and a gold TIMEX3 match
(relaxed) when their character spans overlap, one to one; value F1 counts relaxed matches whose TIMEX3
value is identical (P over predictions, R over gold).

    /work/main/.venv/bin/python benchmarks/tempeval.py [--errors] [--no-baseline]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.dates import find_in_spans  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402

DATA = bench_data("tempeval3")
# HeidelTime, TempEval-3 Task A results (UzZaman et al. 2013, Table 4): relaxed F1, value F1.
HEIDELTIME = {"relaxed_f1": 0.903, "value_f1": 0.776}


def load() -> tuple[list[dict], dict[str, list[dict]]]:
    """The documents and the gold TIMEX3s per document."""
    docs = [json.loads(line) for line in (DATA / "docs.jsonl").read_text(encoding="utf-8").splitlines() if line]
    gold: dict[str, list[dict]] = {d["doc"]: [] for d in docs}
    for line in (DATA / "timex3_gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line:
            item = json.loads(line)
            gold[item["doc"]].append(item)
    return docs, gold


def ours(docs: list[dict]) -> tuple[dict[str, list[tuple[int, int, str]]], float]:
    """audit.dates predictions (start, end, value) per document and the time taken."""
    rules = load_rules()
    started = time.perf_counter()
    out = {}
    for doc in docs:
        mentions = find_in_spans(doc["text"], [(0, len(doc["text"]))], doc["dct"], rules)
        out[doc["doc"]] = [(m.start, m.end, m.timex) for m in mentions]
    return out, time.perf_counter() - started


def baseline(docs: list[dict]) -> tuple[dict[str, list[tuple[int, int, str]]], float]:
    """dateparser.search_dates predictions per FORMAT.md's settings (value: the parsed day)."""
    from dateparser.search import search_dates

    started = time.perf_counter()
    out = {}
    for doc in docs:
        text = doc["text"]
        base = dt.datetime.fromisoformat(doc["dct"])
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(text, languages=["en"], settings=settings) or []
        spans, cursor = [], 0
        for phrase, when in found:
            start = text.find(phrase, cursor)
            if start < 0:
                start = text.find(phrase)
            if start < 0:
                continue
            cursor = start + len(phrase)
            spans.append((start, start + len(phrase), when.date().isoformat()))
        out[doc["doc"]] = spans
    return out, time.perf_counter() - started


def score(
    pred: dict[str, list[tuple[int, int, str]]],
    gold: dict[str, list[dict]],
    errors: bool = False,
    lenient: bool = False,
) -> dict:
    """Relaxed and strict span P/R/F1 and value P/R/F1 (one-to-one overlap matching, in text order)."""
    n_pred = n_gold = relaxed = strict = value = 0
    for doc, items in gold.items():
        predicted = sorted(pred.get(doc, []))
        n_pred += len(predicted)
        n_gold += len(items)
        used: set[int] = set()
        for g in sorted(items, key=lambda x: x["start"]):
            match = next(
                (i for i, p in enumerate(predicted) if i not in used and p[0] < g["end"] and g["start"] < p[1]), None
            )
            if match is None:
                if errors:
                    print(f"  MISS  {doc[:22]:22} {g['text']!r:34} {g['value']}")
                continue
            used.add(match)
            p = predicted[match]
            relaxed += 1
            strict += (p[0], p[1]) == (g["start"], g["end"])
            # lenient (baseline only): dateparser gives a day, so a day inside the gold month/year counts
            value += p[2] == g["value"] or (lenient and g["value"][:1].isdigit() and p[2].startswith(g["value"]))
            if errors and p[2] != g["value"]:
                print(f"  VALUE {doc[:22]:22} {g['text']!r:34} gold {g['value']:12} ours {p[2]}")
        if errors:
            for i, p in enumerate(predicted):
                if i not in used:
                    print(f"  EXTRA {doc[:22]:22} {doc_text(doc)[p[0] : p[1]]!r:34} {p[2]}")
    return {
        "predicted": n_pred,
        "gold": n_gold,
        "relaxed": _prf(relaxed, n_pred, n_gold),
        "strict": _prf(strict, n_pred, n_gold),
        "value": _prf(value, n_pred, n_gold),
    }


_TEXTS: dict[str, str] = {}


def doc_text(doc: str) -> str:
    """A document's text (for error listings)."""
    return _TEXTS.get(doc, "")


def _prf(hits: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    p = hits / n_pred if n_pred else 0.0
    r = hits / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def figures() -> dict[str, float]:
    """Relaxed and value F1 of audit.dates (three decimals), as the accuracy gate reads them."""
    docs, gold = load()
    _TEXTS.update({d["doc"]: d["text"] for d in docs})
    scores = score(ours(docs)[0], gold)
    return {"relaxed_f1": round(scores["relaxed"][2], 3), "value_f1": round(scores["value"][2], 3)}


def main() -> None:
    """Score audit.dates (and the dateparser baseline) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misses, extra spans and wrong values")
    parser.add_argument("--no-baseline", action="store_true", help="skip dateparser's search_dates")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA}: TempEval-3 data not found")
    docs, gold = load()
    _TEXTS.update({d["doc"]: d["text"] for d in docs})
    rows = []
    pred, seconds = ours(docs)
    rows.append(("audit.dates", score(pred, gold, args.errors), seconds))
    if not args.no_baseline:
        base_pred, base_seconds = baseline(docs)
        rows.append(("dateparser search_dates *", score(base_pred, gold, lenient=True), base_seconds))
    print(f"TempEval-3 Platinum: {len(docs)} docs, {sum(len(v) for v in gold.values())} gold TIMEX3")
    print(f"{'system':26} {'pred':>5} {'rel P':>6} {'rel R':>6} {'rel F1':>6} {'str F1':>6} {'val F1':>6} {'sec':>6}")
    for name, s, secs in rows:
        rp, rr, rf = s["relaxed"]
        scores = f"{rp:6.3f} {rr:6.3f} {rf:6.3f} {s['strict'][2]:6.3f} {s['value'][2]:6.3f}"
        print(f"{name:26} {s['predicted']:5d} {scores} {secs:6.2f}")
    published = f"{'':6} {'':6} {HEIDELTIME['relaxed_f1']:6.3f} {'':6} {HEIDELTIME['value_f1']:6.3f}"
    print(f"{'HeidelTime (published)':26} {'':5} {published}")
    print("targets: relaxed F1 >= 0.91, value F1 >= 0.78")
    if not args.no_baseline:
        print("* dateparser value counted right when its day falls in the gold month/year (it has no coarser value)")


if __name__ == "__main__":
    main()
