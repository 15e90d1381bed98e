"""audit: numeric-claim audit for fact-checkers.

import audit
result = audit.audit_folder("seeds")          # claims and facts as polars frames
again = audit.reconcile_claims("reports/claims.csv")
"""

from audit.errors import AuditError, RuleError

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
