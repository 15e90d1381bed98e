"""Recognizers-Text English DateParser and DatePeriodParser specs: past-resolution accuracy of
audit.dates, beside dateparser.parse measured in the same run.

Data: ../shared/bench/data/recognizers-datetime (see its FORMAT.md). Each expected result is scored
against the mention of ours that overlaps its span, given the case's ReferenceDateTime as publication
date. DateParser: our `date` must equal PastResolution.date; a gold of 0001-01-01 (an impossible date:
Feb 30, 2/29/2019) must come out unresolved (empty date) or not at all. DatePeriodParser: our
date..date_end must equal startDate..endDate, Recognizers' endDate being exclusive (date_end + 1
day; so "from 4 to 22", which we read as including the 22nd, counts as a miss); open ends ("since")
must be empty on our side too. Past resolution is asked for, so the rules run
without their `future_cue` setting (the inputs say "I'll go back on Friday"). Cases upstream marks
NotSupported for python are counted, and also shown apart.

    /work/main/.venv/bin/python benchmarks/recognizers.py [--errors]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.dates import find_in_spans  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402

DATA = bench_data("recognizers-datetime")
FILES = ("DateParser.json", "DatePeriodParser.json")


def cases(name: str) -> list[dict]:
    """Expected results of one spec file, flattened: input, reference day, span, past resolution."""
    out = []
    for case in json.loads((DATA / name).read_text(encoding="utf-8-sig")):
        ref = (case.get("Context") or {}).get("ReferenceDateTime", "")
        hard = "python" in (case.get("NotSupported", "") + case.get("NotSupportedByDesign", ""))
        for result in case["Results"]:
            value = result.get("Value") or {}
            out.append(
                {
                    "input": case["Input"],
                    "ref": ref[:10],
                    "start": result["Start"],
                    "end": result["Start"] + result["Length"],
                    "text": result["Text"],
                    "past": value.get("PastResolution") or {},
                    "timex": value.get("Timex", ""),
                    "hard": hard,
                }
            )
    return out


def _day_before(iso: str) -> str:
    """The day before an ISO date (Recognizers' exclusive end -> our inclusive date_end)."""
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


def expected(past: dict) -> tuple[str, str] | None:
    """Our (date, date_end) for a past resolution; None when the gold says unresolvable.

    Recognizers' endDate is exclusive throughout (FORMAT.md): a month ends on the 1st of the next, and
    "from 4 to 22" is written (2016-11-04,2016-11-22,P18D), i.e. up to the 21st, where we read the 22nd
    as included: such ranges of days count as misses, a difference of convention.
    """
    if "date" in past:
        return None if past["date"].startswith("0001") else (past["date"], past["date"])
    start, end = past.get("startDate", ""), past.get("endDate", "")
    if start.startswith("0001") or end.startswith("0001"):
        return None
    if end:
        end = _day_before(end)
    return start, end


def check(case: dict, mentions) -> bool:
    """Whether our mentions resolve the case's span as its past resolution does."""
    hits = [
        m
        for m in mentions
        if m.start < case["end"] and case["start"] < m.end and (m.kind == "date" or m.date or m.date_end)
    ]
    want = expected(case["past"])
    if want is None:
        return not any(m.date or m.date_end for m in hits)
    if not hits:
        return False
    m = max(hits, key=lambda m: min(m.end, case["end"]) - max(m.start, case["start"]))
    if "date" in case["past"]:
        return m.date == want[0]
    return (m.date, m.date_end) == want


def ours(items: list[dict], rules) -> tuple[list[bool], float]:
    """audit.dates verdicts per expected result, and the time taken."""
    started = time.perf_counter()
    verdicts = []
    for case in items:
        text = case["input"]
        verdicts.append(check(case, find_in_spans(text, [(0, len(text))], case["ref"], rules)))
    return verdicts, time.perf_counter() - started


def baseline(items: list[dict]) -> list[bool]:
    """dateparser.parse on the gold span (FORMAT.md's baseline): its day against the past resolution's first day."""
    import dateparser

    verdicts = []
    for case in items:
        want = expected(case["past"])
        settings = {"PREFER_DATES_FROM": "past"}
        if case["ref"]:
            settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(case["ref"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = dateparser.parse(case["text"], languages=["en"], settings=settings)
        if want is None:
            verdicts.append(parsed is None)
        else:
            verdicts.append(parsed is not None and parsed.date().isoformat() == want[0])
    return verdicts


def main() -> None:
    """Score each spec file and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the cases we get wrong")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA}: Recognizers-Text DateTime specs not found")
    # Past resolution: the rules without their future cues (the specs' inputs say "I'll go back ...")
    rules = load_rules()
    rules = replace(rules, settings={**rules.settings, "dates": {**rules.settings["dates"], "future_cue": None}})
    header = f"{'spec (past resolution)':30} {'results':>7} {'audit.dates':>11} {'w/o NotSup.':>11}"
    print(f"{header} {'dateparser':>10} {'sec':>5}")
    window = replace(
        rules, settings={**rules.settings, "dates": {**rules.settings["dates"], "two_digit_years": "window"}}
    )
    for name in FILES:
        items = cases(name)
        verdicts, seconds = ours(items, rules)
        base = baseline(items)
        easy = [v for v, c in zip(verdicts, items, strict=True) if not c["hard"]]
        if args.errors:
            for ok, case in zip(verdicts, items, strict=True):
                if not ok:
                    found = find_in_spans(case["input"], [(0, len(case["input"]))], case["ref"], rules)
                    got = "; ".join(f"{m.text!r} {m.timex} {m.date}..{m.date_end}" for m in found) or "-"
                    flag = "NS" if case["hard"] else "  "
                    print(f"  {flag} {case['text']!r:40} ref {case['ref']} want {case['past']} got {got}")
        label = name.removesuffix(".json")
        print(
            f"{label:30} {len(items):7d} {sum(verdicts) / len(items):11.1%} "
            f"{sum(easy) / max(1, len(easy)):11.1%} {sum(base) / len(items):10.1%} {seconds:5.2f}"
        )
        windowed, seconds = ours(items, window)
        easy = [v for v, c in zip(windowed, items, strict=True) if not c["hard"]]
        print(
            f"{label + ' (yy window)':30} {len(items):7d} {sum(windowed) / len(items):11.1%} "
            f"{sum(easy) / max(1, len(easy)):11.1%} {'':10} {seconds:5.2f}"
        )
    print('(yy window): the same rules with two_digit_years = "window" (default: two-digit years left unresolved)')
    print("target: DateParser >= 85% (dateparser alone: about 50%)")


if __name__ == "__main__":
    main()
