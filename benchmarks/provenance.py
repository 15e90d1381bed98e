"""No text of the public benchmark sets in the project: every run of seven words they hold, looked for in
the project's tracked files (the seeds apart: they are the project's own corpus).

The sets' licences do not allow shipping them, and the rules folder ships inside the package; a rule
example or a test copied from a benchmark page would also let the figures measure what was tuned to them.
Examples are written anew: the same shape, other words (README, "Rules").

    python benchmarks/provenance.py [-v]

Prints the number of project lines holding such a run (each with its file, line and set when -v) and
exits 1 when there is one. The gate runs it (section `provenance`).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.benchdata import bench_data  # noqa: E402

RUN = 7  # words: shorter runs are common English ("at least one person was killed")
SETS = (
    "ecbplus",
    "real-stories",
    "newsquant",
    "tempeval3",
    "quantulum3",
    "recognizers",
    "recognizers-datetime",
    "truth",
    "dateparser-probe",
)
# What a set's folder holds besides its text: its own notes, which the project may cite.
NOT_TEXT = ("FORMAT.md", "LICENSE", "README")
_WORD = re.compile(r"[A-Za-z0-9$%.,'’-]+")
_BIGGEST = 3_000_000  # bytes: larger files of a set are data tables, not text


def words(text: str) -> list[str]:
    """A text's words, lower case, without the stops and commas around them."""
    return [w for w in (found.lower().strip(".,") for found in _WORD.findall(text)) if w]


def runs(text: str, size: int = RUN) -> Iterator[str]:
    """Every run of `size` words of a text, as one string."""
    found = words(text)
    for at in range(len(found) - size + 1):
        yield " ".join(found[at : at + size])


def set_runs(names: Iterable[str] = SETS) -> dict[str, str]:
    """Every run of the sets' texts -> the set it was first seen in."""
    seen: dict[str, str] = {}
    for name in names:
        for path in sorted(bench_data(name).rglob("*")):
            if not path.is_file() or path.name.startswith(NOT_TEXT) or path.stat().st_size > _BIGGEST:
                continue
            for run in runs(path.read_text(encoding="utf-8", errors="ignore")):
                seen.setdefault(run, name)
    return seen


def project_files(root: Path = ROOT) -> list[Path]:
    """The project's tracked text files, the seeds apart."""
    listed = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    paths = [root / line for line in listed.splitlines() if line and not line.startswith("seeds/")]
    return [p for p in paths if p.is_file() and b"\0" not in p.read_bytes()[:4096]]


def quoting_lines(root: Path = ROOT, sets: dict[str, str] | None = None) -> list[tuple[str, int, str, str]]:
    """(file, line number, set, line) of every project line holding a run of a set (the seeds' runs apart)."""
    sets = set_runs() if sets is None else sets
    own = {
        run for path in (root / "seeds").glob("*") if path.is_file() for run in runs(path.read_text(errors="ignore"))
    }
    out = []
    for path in project_files(root):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="ignore").splitlines(), 1):
            hit = next((r for r in runs(line) if r in sets and r not in own), None)
            if hit is not None:
                out.append((str(path.relative_to(root)), number, sets[hit], line.strip()))
    return out


def figures() -> dict[str, float]:
    """The gate's figure: 1.0 when no project line quotes a set (the lines are printed otherwise)."""
    found = quoting_lines()
    for file, number, name, line in found:
        print(f"provenance: {file}:{number} quotes {name}: {line[:120]}")
    return {"clean": float(not found), "quoting_lines": len(found)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every line")
    args = parser.parse_args(argv)
    found = quoting_lines()
    if args.verbose:
        for file, number, name, line in found:
            print(f"{file}:{number}: {name}: {line[:140]}")
    print(f"{len(found)} project lines quote a public benchmark set (runs of {RUN} words)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
