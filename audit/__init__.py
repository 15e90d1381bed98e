"""audit: numeric-claim audit for fact-checkers."""

from audit.errors import AuditError, RuleError

__version__ = "0.1.0"
__all__ = ["AuditError", "RuleError", "__version__"]
