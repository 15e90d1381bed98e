"""Where the public benchmark sets live: ../shared/bench/data beside the repo (or $AUDIT_BENCH_DATA)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_data(name: str) -> Path:
    """The folder of one benchmark set: $AUDIT_BENCH_DATA/<name>, else the nearest ../shared/bench/data/<name>."""
    if os.environ.get("AUDIT_BENCH_DATA"):
        return Path(os.environ["AUDIT_BENCH_DATA"]) / name
    for parent in ROOT.parents:  # a worktree may sit one level deeper than the main checkout
        candidate = parent / "shared" / "bench" / "data" / name
        if candidate.is_dir():
            return candidate
    raise SystemExit(f"benchmark data not found: ../shared/bench/data/{name} (set AUDIT_BENCH_DATA)")
