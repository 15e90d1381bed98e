"""The one error type the library raises for bad input; the CLI turns it into one clear line."""


class AuditError(Exception):
    """Bad input that stops a run (or a file): the message names the file and the problem."""


class RuleError(AuditError):
    """A rule file that does not validate: the message names the file, the rule id and the key."""
