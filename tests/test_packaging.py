"""A normal install works: the wheel carries every package, the bundled rules, the seeds and the report's
templates."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _listed_packages() -> set[str]:
    """The packages pyproject.toml puts in the wheel."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_code_package_is_in_the_wheel():
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "audit").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found - _listed_packages() == set()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project built as a wheel and installed (without its dependencies, which this venv has) apart."""
    work = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist"), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True)
    wheel = next((work / "dist").glob("audit-*.whl"))
    target = work / "site"
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)]
    subprocess.run(install, check=True, capture_output=True)
    return target


def _run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m audit ARGS` from an empty folder with the installed copy first on the path."""
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "audit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_installed_wheel_audits_its_bundled_seeds(installed, tmp_path):
    done = _run_installed(installed, tmp_path, "run")
    assert done.returncode == 0, done.stderr
    claims = (tmp_path / "reports" / "claims.csv").read_text(encoding="utf-8")
    assert "000_2d17262e913a53b6.txt" in claims
    assert str(installed) not in claims  # file names, not paths
    page = (tmp_path / "reports" / "report.html").read_text(encoding="utf-8")  # its templates travel in the wheel
    assert page.startswith("<!doctype html>") and "<mark" in page and "nearly three-week" in page


def test_the_installed_wheel_reads_its_own_rules(installed, tmp_path):
    where = _run_installed(installed, tmp_path, "--version")
    assert where.returncode == 0 and "0.1.0" in where.stdout
    probe = subprocess.run(
        [sys.executable, "-c", "import audit.rules as r; print(r.DEFAULT_RULES_DIR)"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(installed)
    assert (Path(probe.stdout.strip()) / "numbers.toml").is_file()
