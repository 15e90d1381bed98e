"""Fit the story signal weights of rules/stories.toml on ECB+ topics (a logistic regression).

    .venv/bin/python benchmarks/stories_fit.py [--half odd|even|all]

Each training pair is two articles and whether ECB+ puts them in one sub-topic: every pair within a
topic folder of the half, and the candidate pairs (blocking as in audit.link.stories) across topics of that
half pooled in one folder, all different stories. The regression fits one weight per signal
(`*_weight`, `*_clash_weight`) with a small L2 penalty; lede_years_clash and time keep the weights of
rules/stories.toml (an offset): ECB+ dates only one event of each topic, so it cannot price a date gap.
The intercept is printed too: `threshold` is a level of the score without it, chosen on the same half
with `benchmarks/stories.py --half ...` (see docs/stories.md). Data: see benchmarks/benchdata.py.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from audit.ingest import read_corpus  # noqa: E402
from audit.link.stories import _prepare, settings_of  # noqa: E402
from audit.link.stories.blocking import candidate_pairs  # noqa: E402
from audit.link.stories.cluster import pair_signals  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402

FITTED = ("words", "names", "lede", "figures", "dates", "years", "figures_clash", "years_clash")


def topics_of(half: str, folder: Path) -> list[Path]:
    """The topic folders of a half: odd = 1st, 3rd ... in name order; even = 2nd, 4th ...; all."""
    topics = sorted(p for p in folder.glob("t[0-9]*") if p.is_dir())
    return {"odd": topics[0::2], "even": topics[1::2], "all": topics}[half]


def labels(folder: Path) -> dict[str, str]:
    with open(folder / "labels.csv", encoding="utf-8") as f:
        return {row["file"]: row["subtopic"] for row in csv.DictReader(f)}


def design(documents, settings, rows, cols):
    """Signal columns (FITTED order) and the fixed offset of each pair."""
    _, _, m, _ = _prepare(documents, settings)
    signals = pair_signals(m, rows, cols, settings)
    x = np.stack([signals[name] for name in FITTED], axis=1)
    # The terms set by reason (lede years and lede figures clash, what happened and where, time) are held fixed.
    fixed = {**settings.weights, **{f"{k}_clash": v for k, v in settings.clash_weights.items()}}
    offset = settings.time_weight * signals["time"]
    for name, weight in fixed.items():
        if name not in FITTED:
            offset = offset + weight * signals[name]
    return x, offset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("odd", "even", "all"), default="odd")
    args = parser.parse_args(argv)
    data = bench_data("ecbplus")
    gold = labels(data)
    rules = load_rules()
    settings = settings_of(rules)
    xs, ys, offsets, names = [], [], [], []
    for topic in topics_of(args.half, data):
        documents = read_corpus(topic, rules).documents
        files = [d.source.file for d in documents for _ in d.articles]
        rows, cols = np.triu_indices(len(files), 1)
        x, offset = design(documents, settings, rows, cols)
        xs.append(x)
        offsets.append(offset)
        ys.append(np.array([gold[files[r]] == gold[files[c]] for r, c in zip(rows, cols, strict=True)], float))
        names += [d.source.file for d in documents]
    wanted = set(names)
    pooled = [d for d in read_corpus(data / "pooled", rules).documents if d.source.file in wanted]
    _, signals, _, pages = _prepare(pooled, settings)
    rows, cols = candidate_pairs(signals, pages, settings.block_size)
    topic_of = [d.source.file.split("_")[0] for d in pooled]
    cross = np.array([topic_of[r] != topic_of[c] for r, c in zip(rows.tolist(), cols.tolist(), strict=True)], bool)
    x, offset = design(pooled, settings, rows[cross], cols[cross])
    xs.append(x)
    offsets.append(offset)
    ys.append(np.zeros(len(x)))
    x, y, offset = np.concatenate(xs), np.concatenate(ys), np.concatenate(offsets)
    x = np.hstack([x, np.ones((len(x), 1))])

    def loss(w):
        z = x @ w + offset
        p = 1.0 / (1.0 + np.exp(-z))
        penalty = 1e-3 * np.r_[w[:-1], 0.0]
        return (np.logaddexp(0, z) - y * z).mean() + (penalty * w).sum(), x.T @ (p - y) / len(y) + 2 * penalty

    w = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x
    print(f"# fitted on the {args.half} half: {len(y)} pairs, {int(y.sum())} of one story")
    for name, value in zip((*FITTED, "intercept"), w, strict=True):
        key = name if name == "intercept" else f"{name}_weight"
        print(f"{key} = {value:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
