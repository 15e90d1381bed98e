"""audit: numeric-claim audit for fact-checkers.

    import audit
    result = audit.audit_folder("seeds")          # claims and facts as polars frames
    again = audit.reconcile_claims("reports/claims.csv")
"""

from audit.errors import AuditError, RuleError
from audit.pipeline import AuditResult, ReconcileResult, audit_folder, reconcile_claims

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
