"""Run `audit run FOLDER --out OUT` in this process (no start-up cost per folder) and score its tables."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

from benchmarks.benchdata import bench_data


def scorer(name: str) -> Path:
    """A scorer script of the shared bench (`score_real.py`, `score_stories.py`): the folder above its data."""
    return bench_data("real-stories").resolve().parent.parent / name


def audit_run(folder: Path, out: Path) -> None:
    """Audit one folder as the command line does, its screen output swallowed; raise if it fails."""
    from audit.cli import cli

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(["run", str(folder), "--out", str(out)], standalone_mode=False)
    if code not in (None, 0):
        raise SystemExit(f"audit run {folder} failed with exit code {code}")


def last_json(script: Path, *args: str) -> dict:
    """Run a scorer and return the JSON object it prints on its last line."""
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])
