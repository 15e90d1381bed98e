"""Shared fixtures: the bundled rules, the seed corpus and its audit (computed once per session)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audit.pipeline import AuditResult, audit_folder
from audit.rules import RuleSet, load_rules

# In the tests a bug is raised, never turned into a per-file warning (tests of that path unset it).
os.environ.setdefault("AUDIT_DEBUG", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: The seed source ids (file stems).
S000, S001, S002, S003, S004 = (
    "000_2d17262e913a53b6",
    "001_d56f81f16242cc2d",
    "002_5dec68c94f85d850",
    "003_cd2895a254cb92bd",
    "004_04f21086b02ac016",
)


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    """The bundled rules."""
    return load_rules()


@pytest.fixture(scope="session")
def seed_audit(rules: RuleSet) -> AuditResult:
    """The audit of the seed corpus."""
    return audit_folder(SEEDS, rules)
