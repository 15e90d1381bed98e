"""The accuracy gate: measure every figure of benchmarks/floors.toml and fail when one is below its floor.

CI runs it after the README's test command when ../shared/bench exists (a user's clone has no such
folder, and then the gate is not run). Each section measures one set; a figure that falls below its floor
is named on one line and the exit code is 1.

    python benchmarks/gate.py [--only SECTION ...] [--floors FILE]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.benchdata import bench_data  # noqa: E402
from benchmarks.runner import audit_run, last_json, scorer  # noqa: E402

FLOORS = Path(__file__).with_name("floors.toml")


def determinism(work: Path) -> dict[str, float]:
    """Audit the seeds under two hash seeds, in fresh processes, and compare the tables byte for byte."""
    outs = []
    for seed in ("1", "2"):
        out = work / f"seeds-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "audit", "run", str(ROOT / "seeds"), "--out", str(out)]
        subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=True)
        outs.append(out)
    same = all((outs[0] / n).read_bytes() == (outs[1] / n).read_bytes() for n in ("claims.csv", "facts.csv"))
    return {"seeds_identical": float(same)}


def newsquant(work: Path) -> dict[str, float]:
    """NewsQuant value and value+change F1 of the extractor (benchmarks/newsquant.py)."""
    from benchmarks import newsquant as bench

    return bench.figures()


def tempeval(work: Path) -> dict[str, float]:
    """TempEval-3 Platinum relaxed and value F1 of the date finder (benchmarks/tempeval.py)."""
    from benchmarks import tempeval as bench

    return bench.figures()


def real_stories(work: Path) -> dict[str, float]:
    """Extraction and reconciliation on the real stories (benchmarks/real_stories.py)."""
    from benchmarks import real_stories as bench

    summary = bench.score(work / "real")
    return {
        "quantity_f1": summary["count+amount+duration"]["f1"],
        "date_f1": summary["date"]["f1"],
        "measure_given": bench.ratio(summary["measure given"]),
        "checks_met": int(summary["reconciliation"].split("/")[0]),
    }


def ecbplus(work: Path) -> dict[str, float]:
    """Story grouping on ECB+: each topic folder, and the pooled folder."""
    root = bench_data("ecbplus")
    labels = str(root / "labels.csv")
    topics = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("t"))
    for folder in topics:
        audit_run(folder, work / "ecb" / folder.name)
    audit_run(root / "pooled", work / "ecb-pooled")
    tables = [str(work / "ecb" / f.name / "claims.csv") for f in topics]
    per_topic = last_json(scorer("score_stories.py"), labels, *tables, "--quiet")
    pooled = last_json(scorer("score_stories.py"), labels, str(work / "ecb-pooled" / "claims.csv"), "--quiet")
    return {"topic_mean_f1": per_topic["macro_topic_bcubed_f1"], "pooled_f1": pooled["bcubed"]["f1"]}


def provenance(work: Path) -> dict[str, float]:
    """No line of the project quotes a public set (benchmarks/provenance.py): 1.0 when clean."""
    from benchmarks import provenance as bench

    return bench.figures()


SECTIONS: dict[str, Callable[[Path], dict[str, float]]] = {
    "provenance": provenance,
    "determinism": determinism,
    "newsquant": newsquant,
    "tempeval": tempeval,
    "real_stories": real_stories,
    "ecbplus": ecbplus,
}


def failures(section: str, figures: dict[str, float], floors: dict[str, float]) -> list[str]:
    """One line per figure of a section below its floor (or not measured at all)."""
    lines = []
    for name, floor in floors.items():
        value = figures.get(name)
        if value is None:
            lines.append(f"{section}.{name}: not measured (floor {floor})")
        elif value < floor - 1e-9:
            lines.append(f"{section}.{name}: {value} is below its floor {floor}")
    return lines


def main() -> int:
    """Measure each section, print its figures beside their floors, and return 1 when any falls short."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(SECTIONS), default=None)
    parser.add_argument("--floors", type=Path, default=FLOORS)
    args = parser.parse_args()
    floors = tomllib.loads(args.floors.read_text(encoding="utf-8"))
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for section in args.only or SECTIONS:
            started = time.perf_counter()
            figures = SECTIONS[section](Path(tmp))
            shown = ", ".join(f"{k} {v} (floor {floors.get(section, {}).get(k, '-')})" for k, v in figures.items())
            print(f"gate {section} [{time.perf_counter() - started:.0f} s]: {shown}", flush=True)
            failed += failures(section, figures, floors.get(section, {}))
    for line in failed:
        print(f"GATE FAILED: {line}")
    print("gate: all figures at or above their floors" if not failed else f"gate: {len(failed)} below floor")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
