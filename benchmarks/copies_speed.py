"""How `find_copies` scales, and whether another revision of it marks the same copies.

    .venv/bin/python benchmarks/copies_speed.py [--sizes 1000,10000] [--against REV] [--corpora]

Reads each corpus once (copies not looked for), then times `find_copies` alone on the read documents:
the generated scale corpora of benchmarks/scale.py (ECB+ pages cut short, numbers shifted and names
respelt per copy), one size each. `--against REV` loads audit/link/copies.py as it is at a git
revision (e.g. the commit before a rewrite), times it on the same documents and checks that both mark
the same articles with the same `copy_of` and give the same source copies; `--corpora` adds the seeds,
every real story of ../shared/bench/data/real-stories and ECB+'s pooled pages to the comparison.
Exit code 1 when any corpus differs. Data: $AUDIT_BENCH_DATA or ../shared/bench/data.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import audit.link as link  # noqa: E402
from audit.ingest import read_corpus  # noqa: E402
from audit.ingest.page import layout_of  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from benchmarks.benchdata import bench_data  # noqa: E402
from benchmarks.scale import _pages, build  # noqa: E402


def documents_of(folder: Path, rules):
    """The documents of a folder as read_corpus reads them, before copies are looked for."""
    seen = []

    def capture(documents, layout, shingles=None):
        seen.extend(documents)
        return list(documents), {}

    original, link.find_copies = link.find_copies, capture
    try:
        read_corpus(folder, rules)
    finally:
        link.find_copies = original
    return seen


def copies_at(revision: str) -> types.ModuleType:
    """audit/link/copies.py as it is at a git revision, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{revision}:audit/link/copies.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(f"copies_at_{revision}")
    exec(compile(source, f"{revision}:audit/link/copies.py", "exec"), module.__dict__)  # noqa: S102
    return module


def marks(result) -> tuple[dict[str, str], dict[str, str]]:
    """(article key -> copy_of of every marked article, source copies) of a find_copies result."""
    documents, sources = result
    marked = {link.article_key(d, a): a.copy_of for d in documents for a in d.articles if a.copy_of}
    return marked, sources


def timed(function, documents, layout):
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = function(documents, layout)
    return time.perf_counter() - started, result


def compare(name: str, documents, layout, other) -> bool:
    """Time this tree's find_copies (and another's, when given) on documents; print one line; True if same."""
    ours, result = timed(link.find_copies, documents, layout)
    articles = sum(len(d.articles) for d in documents)
    got = marks(result)
    line = f"{name:<32} {articles:7d} articles  {ours:7.2f} s  {len(got[0]):5d} marked  {len(got[1]):4d} source copies"
    same = True
    if other is not None:
        theirs, expected = timed(other.find_copies, documents, layout)
        same = marks(expected) == got
        line += f"  | other {theirs:7.2f} s  {'same' if same else 'DIFFERENT'}"
    print(line, flush=True)
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="generated corpus sizes, comma-separated")
    parser.add_argument("--against", default="", help="a git revision whose find_copies must mark the same")
    parser.add_argument("--corpora", action="store_true", help="also the seeds, real stories and ECB+ pooled")
    args = parser.parse_args(argv)
    rules = load_rules()
    layout = layout_of(rules)
    other = copies_at(args.against) if args.against else None
    same = True
    if args.corpora:
        folders = [("seeds", ROOT / "seeds")]
        stories = bench_data("real-stories")
        folders += [(f"real-stories/{p.name}", p) for p in sorted(stories.iterdir()) if p.is_dir()]
        folders.append(("ecbplus/pooled", bench_data("ecbplus") / "pooled"))
        for name, folder in folders:
            same &= compare(name, documents_of(folder, rules), layout, other)
    pages = _pages()
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            folder = Path(tmp) / f"c{size}"
            build(folder, size, pages)
            same &= compare(f"generated {size}", documents_of(folder, rules), layout, other)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
