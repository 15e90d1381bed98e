"""Shared fixtures: the bundled rules, the seed corpus and its audit (computed once per session)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from audit.pipeline import AuditResult, audit_folder
from audit.rules import RuleSet, load_rules

# In the tests a bug is raised, never turned into a per-file warning (tests of that path unset it).
os.environ.setdefault("AUDIT_DEBUG", "1")
# The user cache (audit.cache) of this session is a folder of its own, never the user's, removed at the end.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="audit-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)

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
