"""The one error type the library raises for bad input; the CLI turns it into one clear line."""

from __future__ import annotations

import os
import traceback

#: Set this environment variable (to anything but "" or "0") to let an unexpected error inside one
#: file's processing stop the run with its traceback instead of becoming a warning.
DEBUG_VARIABLE = "AUDIT_DEBUG"


class AuditError(Exception):
    """Bad input that stops a run (or a file): the message names the file and the problem."""


class RuleError(AuditError):
    """A rule file that does not validate: the message names the file, the rule id and the key."""


def debugging() -> bool:
    """Whether AUDIT_DEBUG asks for unexpected errors to be raised rather than turned into warnings."""
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")


def unexpected(name: str, stage: str, exc: BaseException) -> str:
    """One warning line for an unexpected error in one file: the file, the stage, the error and where
    in the code it was raised (the innermost frame), so that a bug can be found from the line alone."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    message = " ".join(str(exc).split())[:200]
    return (
        f"{name}: skipped, internal error while {stage}: {type(exc).__name__}: {message}{where} "
        f"(a bug: please report it; {DEBUG_VARIABLE}=1 shows the traceback)"
    )
