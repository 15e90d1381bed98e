"""NewsQuant: score the extractor on the CQE authors' held-out news sentences, beside the published figures.

Data: ../shared/bench/data/newsquant/formatted_test_set/NewsQuant.json (read FORMAT.md there; never copied
into the project). Scoring follows FORMAT.md / upstream evaluate_models.py: micro precision, recall and F1
over quantities, one sentence at a time, greedy one-to-one matching, a value matching when
np.isclose(rtol=1e-5). A gold range "a-b" matches only a predicted range with the same ends in the same
order; upstream averages gold ranges for quantulum3 alone, and so does its rescored row here.

  value          the number alone
  value+change   the number and its qualifier: = ~ > < up down, a greedy one-to-one matching on both (as
                 upstream matches value+unit). Ours: about/nearly -> ~, at_least/more_than -> >,
                 at_most/less_than -> <, else the trend (up/down) of a figure that states a change, else =.
                 A hedged change ("rose about 1.5%") keeps the hedge: the gold labels 5 such by the trend
                 and 5 by the hedge.
  subject        for gold quantities whose unit is a counted noun (not a unit quantulum3 knows): the share
                 whose value we match AND whose counted noun we name (our subject's head word, lemmatised,
                 among the words of the gold normalized_unit)

What the adapter does to the extractor's rows (each a reading of NewsQuant's conventions, none per sentence):
  - puts back the currency signs the texts lost to ASCII folding ("PS6m" -> "£6m", "Y=50" -> "¥50");
  - leaves out dates, negated counts ("no deaths": 0) and durations of "a/an <unit>" (none of the gold's 26);
  - row "from X to Y = range" also joins "from X to Y" into one range X-Y as the gold always writes it,
    where the extractor (rightly, for the reconciler) gives the level before and the level after.

Usage: python benchmarks/newsquant.py [--quantulum] [--show-errors N]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.extract import Matchers, extract_text  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402

DATA = bench_data("newsquant") / "formatted_test_set" / "NewsQuant.json"
PUBLISHED = {  # evaluation_output/NewsQuant.csv (F1, %)
    "CQE": {"value": 92.0, "value+change": 88.1, "value+unit": 85.6},
    "quantulum3": {"value": 73.0, "value+unit": 47.2},
    "GPT-3": {"value": 70.6, "value+change": 51.9},
    "ccg_nlp": {"value": 57.3, "value+change": 50.0},
}
CHANGE = {
    "exact": "=",
    "about": "~",
    "nearly": "~",
    "at_least": ">",
    "more_than": ">",
    "at_most": "<",
    "less_than": "<",
    "range": "=",
    "vague": "=",
}


def gold_value(text: str) -> tuple[float, float]:
    """A gold value as an interval: "5200.0" -> (5200, 5200); "252.0-287.0" -> (252, 287)."""
    if "-" in text[1:] and "e" not in text.lower():
        low, high = text[0] + text[1:].split("-", 1)[0], text[1:].split("-", 1)[1]
        return float(low), float(high)
    return float(text), float(text)


def close(a: float, b: float) -> bool:
    """np.isclose(a, b, rtol=1e-5) without numpy."""
    return abs(a - b) <= 1e-8 + 1e-5 * abs(b)


def same_value(predicted: tuple[float, float], gold: tuple[float, float], average: bool = False) -> bool:
    """Whether a predicted interval matches a gold one; `average` reads a gold range as its midpoint (quantulum3)."""
    if average and gold[0] != gold[1]:
        gold = ((gold[0] + gold[1]) / 2,) * 2
    return close(predicted[0], gold[0]) and close(predicted[1], gold[1])


IRREGULAR = {"children": "child", "men": "man", "women": "woman", "people": "people", "feet": "foot", "teeth": "tooth"}


def lemma(word: str) -> str:
    """A crude English singular: lower case, plural endings dropped."""
    word = word.lower().strip(".,'’")
    if word in IRREGULAR:
        return IRREGULAR[word]
    if re.search(r"(?:us|is|ss)$", word):
        return word  # "virus", "analysis", "class": already singular
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ss|x|ch|sh|us)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


# NewsQuant's texts were folded to ASCII the way `unidecode` does: "£6m" reads "PS6m", "¥590 billion" reads
# "Y=590 billion" (the gold keeps "PS" as the unit). Put the signs back, right before digits only ("300 PS",
# metric horsepower, stays), so that the extractor reads the texts as they were published.
FOLDED_CURRENCY = ((re.compile(r"\bPS(?=\d)"), "£"), (re.compile(r"(?<![A-Z])Y=(?=\d)"), "¥"))


def unfold_currency(text: str) -> str:
    """The text with its ASCII-folded currency signs put back ("PS6m" -> "£6m", "Y=50" -> "¥50")."""
    for folded, sign in FOLDED_CURRENCY:
        text = folded.sub(sign, text)
    return text


def predictions(text: str, rules, matchers, from_to: bool = False) -> list[dict]:
    """Our quantities of a sentence: value interval, change label and counted noun.

    `from_to=True` reads "rose from X to Y" as one range X-Y, NewsQuant's convention (every "from X to Y"
    of its gold is one range, in the order written, even falling ones: "2415.0-2315.0"). The extractor gives
    two figures there, the level before and the level after, which is what the reconciler needs. "rose to Y
    from X" is not joined: the gold writes it as two figures three times and as a range twice.
    """
    out = []
    text = unfold_currency(text)
    for claim in extract_text(text, rules, bare=True, matchers=matchers):
        if claim.kind == "date" or claim.value is None or claim.polarity == "negated":
            continue
        if claim.kind == "duration" and re.search(r"(?:^|\s)an?[\s-]+\w+$", claim.text, re.I):
            continue  # "$3500 a month", "more than a decade": the gold has none of its 26 "a <time unit>"
        if claim.hedge in ("range", "vague") and claim.low is not None and claim.high is not None:
            interval = (claim.low, claim.high)  # "dozens": 12..100, as NewsQuant writes "millions" 1e6-1e7
        else:
            interval = (claim.value, claim.value)
        hedged = CHANGE.get(claim.hedge, "=")
        change = hedged if hedged != "=" else claim.trend or "="  # "up about 19%" is NewsQuant's "~"
        head = claim.subject.split()[-1] if claim.subject else ""
        out.append(
            {
                "value": interval,
                "change": change,
                "head": lemma(head),
                "text": claim.text,
                "hedge": claim.hedge,
                "trend": claim.trend,
                "span": (claim.char_start, claim.char_end),
            }
        )
    return _join_from_to(text, out) if from_to else out


def _join_from_to(text: str, preds: list[dict]) -> list[dict]:
    """Join "from X ... to Y" into one range (X, Y) in text order (NewsQuant's reading; see predictions)."""
    out: list[dict] = []
    i = 0
    while i < len(preds):
        a = preds[i]
        b = preds[i + 1] if i + 1 < len(preds) else None
        gap = text[a["span"][1] : b["span"][0]] if b else ""
        single = b is not None and a["value"][0] == a["value"][1] and b["value"][0] == b["value"][1]
        before = text[max(0, a["span"][0] - 12) : a["span"][0]]
        if (
            single
            and re.search(r"\bfrom\s+(?:the\s+)?$", before)
            and re.fullmatch(r"\s+(?:[^\s\d]+\s+){0,4}?to\s+", gap)
        ):
            out.append({**a, "value": (a["value"][0], b["value"][0]), "span": (a["span"][0], b["span"][1])})
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def quantulum_predictions(text: str) -> list[dict]:
    """quantulum3's quantities of a sentence (ranges averaged, as upstream scores them)."""
    from quantulum3 import parser

    return [{"value": (q.value, q.value), "change": "=", "head": "", "text": q.surface} for q in parser.parse(text)]


def match(pred: list[dict], gold: list[dict], with_change: bool, average: bool = False) -> int:
    """Greedy one-to-one matches between predicted and gold quantities of one sentence."""
    used: set[int] = set()
    hits = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i in used or not same_value(p["value"], g["interval"], average):
                continue
            if with_change and p["change"] != g["change"]:
                continue
            used.add(i)
            hits += 1
            break
    return hits


NOT_COUNTED = re.compile(
    r"\bper\b|%|dollar|euro|pound|krone|yuan|ringgit|rupee|year of age|horsepower|foot|barrel|point"
)


def count_noun(normalized_unit: str, known_units: set[str]) -> bool:
    """Whether a gold unit is a counted noun: no unit quantulum3 knows, no rate, currency, percentage or age."""
    unit = normalized_unit.lower()
    return unit not in ("-", "") and unit not in known_units and not NOT_COUNTED.search(unit)


def f1(hits: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 in percent."""
    p = 100 * hits / n_pred if n_pred else 0.0
    r = 100 * hits / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def known_unit_names() -> set[str]:
    """Names and surfaces of the units quantulum3 knows (to tell counted nouns from units)."""
    from quantulum3 import load

    units = load.units("en_US")
    names = {name.lower() for name in units.names}
    names |= {s.lower() for s in getattr(units, "surfaces", {})}
    return names | {"percentage", "dollar", "euro", "pound", "cent", "year", "month", "day", "hour", "week", "minute"}


def score_system(data: list[dict], run, average: bool, known: set[str], show_errors: int = 0) -> dict:
    """Predicted, gold and matched counts of one system over the whole set (misses printed when asked)."""
    counts = {"pred": 0, "gold": 0, "value": 0, "change": 0, "noun_gold": 0, "noun_hit": 0}
    shown = 0
    for item in data:
        gold = [
            {"interval": gold_value(q["value"]), "change": q["change"], "unit": q["normalized_unit"]}
            for q in item["quantities"]
        ]
        pred = run(item["text"])
        counts["pred"] += len(pred)
        counts["gold"] += len(gold)
        hits = match(pred, gold, False, average)
        counts["value"] += hits
        counts["change"] += match(pred, gold, True, average)
        for g in gold:
            if not count_noun(g["unit"], known):
                continue
            counts["noun_gold"] += 1
            words = {lemma(w) for w in re.split(r"[\s,]+", g["unit"]) if w}
            if any(same_value(p["value"], g["interval"], average) and p["head"] in words for p in pred):
                counts["noun_hit"] += 1
        if shown < show_errors and (hits != len(gold) or hits != len(pred)):
            shown += 1
            print(item["text"])
            print("   gold:", [(q["value"], q["change"], q["unit"]) for q in item["quantities"]])
            print("   ours:", [(p["value"], p["change"], p["text"]) for p in pred])
    return counts


def figures() -> dict[str, float]:
    """The extractor's value and value+change F1 (%, one decimal), as the accuracy gate reads them."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rules = load_rules()
    matchers = Matchers(rules)
    counts = score_system(data, lambda t: predictions(t, rules, matchers), False, known_unit_names())
    value = f1(counts["value"], counts["pred"], counts["gold"])[2]
    change = f1(counts["change"], counts["pred"], counts["gold"])[2]
    return {"value_f1": round(value, 1), "value_change_f1": round(change, 1)}


def main() -> None:
    """Run, score and print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--quantulum", action="store_true", help="also score quantulum3 with the same scorer")
    args.add_argument("--show-errors", type=int, default=0, help="print N sentences with misses")
    opts = args.parse_args()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rules = load_rules()
    matchers = Matchers(rules)
    systems = {
        "audit (this)": (lambda t: predictions(t, rules, matchers), False),
        "audit, from X to Y = range": (lambda t: predictions(t, rules, matchers, from_to=True), False),
    }
    if opts.quantulum:
        systems["quantulum3 (rescored)"] = (quantulum_predictions, True)  # gold ranges averaged, as upstream
    known = known_unit_names()
    rows = []
    for name, (run, average) in systems.items():
        started = time.perf_counter()
        counts = score_system(data, run, average, known, opts.show_errors)
        seconds = time.perf_counter() - started
        value = f1(counts["value"], counts["pred"], counts["gold"])
        change = f1(counts["change"], counts["pred"], counts["gold"])
        noun = 100 * counts["noun_hit"] / counts["noun_gold"] if counts["noun_gold"] else math.nan
        rows.append((name, value, change, noun, counts["noun_gold"], seconds))
    print(f"NewsQuant: {len(data)} sentences, {sum(len(i['quantities']) for i in data)} gold quantities")
    print(f"{'system':28} {'value P/R/F1':>20} {'value+change P/R/F1':>22} {'count-noun subject':>19} {'s':>6}")
    for name, value, change, noun, n_noun, seconds in rows:
        v = "/".join(f"{x:.1f}" for x in value)
        c = "/".join(f"{x:.1f}" for x in change)
        print(f"{name:28} {v:>20} {c:>22} {noun:>12.1f} (n={n_noun}) {seconds:>5.1f}")
    for name, figures in PUBLISHED.items():
        v = f"F1 {figures['value']:.1f}"
        c = f"F1 {figures['value+change']:.1f}" if "value+change" in figures else "-"
        print(f"{name + ' (published)':28} {v:>20} {c:>22} {'-':>19}")


if __name__ == "__main__":
    main()
