"""Where the public benchmark sets live: ../shared/bench/data beside the repo (or $AUDIT_BENCH_DATA)."""

from __future__ import annotations

import os
import re
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


_CAPITAL = re.compile(r"\b[A-Z][a-z]{2,}\b")
_SYLLABLES = ("zu", "ka", "mo", "ri", "te", "vo", "la", "xi", "ne", "bo")


def name_suffix(k: int) -> str:
    """A suffix spelled from k ("" for k = 0): copy k's names are new names."""
    out = ""
    while k:
        k, digit = divmod(k, len(_SYLLABLES))
        out += _SYLLABLES[digit]
    return out


def respelt(text: str, suffix: str) -> str:
    """The text with every capitalised word longer than two letters given the suffix ("Qeshm" -> "Qeshmzu")."""
    return _CAPITAL.sub(lambda m: m.group() + suffix, text) if suffix else text
