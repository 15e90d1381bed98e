"""audit: numeric-claim audit for fact-checkers.

import audit
result = audit.audit_folder("seeds")          # claims and facts as polars frames
again = audit.reconcile_claims("reports/claims.csv")
"""

import os

from audit.errors import AuditError, RuleError

# Polars' allocator (jemalloc) gives freed pages back to the system at once rather than half a second later
# (polars' own setting, which this one follows): the reconciler's steps free hundreds of megabytes each at
# 100,000 pages, one after the other. Read when polars loads (after this: audit imports polars lazily); a
# setting of the user's own is kept.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")

_PIPELINE = ("AuditResult", "ReconcileResult", "audit_folder", "reconcile_claims")

__version__ = "0.1.0"
__all__ = [
    "AuditError",
    "AuditResult",
    "ReconcileResult",
    "RuleError",
    "__version__",
    "audit_folder",
    "reconcile_claims",
]


def __getattr__(name: str):
    """The pipeline's names, imported on first use: `import audit.cli` (and `audit --help`) stays light."""
    if name not in _PIPELINE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from audit import pipeline

    value = getattr(pipeline, name)
    globals()[name] = value
    return value
