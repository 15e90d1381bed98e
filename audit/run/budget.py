"""Time budgets per page, and the in-process engine that keeps them with a timer.

A page gets `page_seconds` plus `page_seconds_per_100kb` for every 100 KB of it (rules/boilerplate.toml,
[settings]) of processor time to be read, and as long again for its claims to be extracted. A page over
budget is stopped and named in one warning; the others are audited. The budget counts processor time,
not the clock, so a machine busy with other work does not stop good pages: a profiling interval timer
(ITIMER_PROF) interrupts the page's work, in this process (the main thread only; elsewhere pages run
unbounded) and in each worker process alike. A worker stuck where the timer cannot interrupt it (inside
a C library) is killed by the main process after a wall-clock grace (audit.run.pool).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: Defaults of the two settings, for a rules folder whose boilerplate.toml predates them.
PAGE_SECONDS = 10.0
PAGE_SECONDS_PER_100KB = 5.0

#: Told (items done, items in all) as the work goes on.
Progress = Callable[[int, int], None]
#: Given each result as it arrives from another process (what the main process keeps of it), or None.
Receive = Callable[[Any], Any] | None


@dataclass(frozen=True)
class Budget:
    """How long one page may take: `base` seconds, plus `per_100kb` for every 100,000 characters or bytes."""

    base: float = PAGE_SECONDS
    per_100kb: float = PAGE_SECONDS_PER_100KB

    @classmethod
    def of(cls, layout: Any) -> Budget:
        """The budget set in a rule set's boilerplate settings (a Layout)."""
        return cls(layout.page.page_seconds, layout.page.page_seconds_per_100kb)

    def seconds(self, size: int) -> float:
        """The budget of a page of `size` characters (or bytes)."""
        return self.base + self.per_100kb * size / 100_000


@dataclass(frozen=True)
class Stopped:
    """A page whose work was stopped: over its budget, or its worker process died; `why` says which."""

    why: str


def over_budget(seconds: float) -> Stopped:
    """The Stopped of a page that ran past its budget."""
    return Stopped(f"stopped after {seconds:.3g} s, over its time budget")


class _PageTimeout(BaseException):
    """Raised by the timer inside the page's work (a BaseException: no `except Exception` swallows it)."""


def _alarm(_signum, _frame) -> None:
    raise _PageTimeout


def timed(work: Callable[[], Any], seconds: float) -> Any:
    """`work()`, stopped after `seconds` of processor time (a Stopped instead) where this thread can keep
    a timer."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return work()
    previous = signal.signal(signal.SIGPROF, _alarm)
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            return work()
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except _PageTimeout:
        return over_budget(seconds)
    finally:
        signal.signal(signal.SIGPROF, previous)


class Serial:
    """Every page in this process, one after the other, each within its budget."""

    def __init__(self, compiled: Any, budget: Budget) -> None:
        self.compiled, self.budget = compiled, budget

    def __enter__(self) -> Serial:
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def map(
        self, task, items: Sequence, sizes: Sequence[int], progress: Progress | None = None, _receive: Receive = None
    ) -> list:
        """`task(compiled, item)` of each item, in order (a Stopped for a page over its budget); nothing
        arrives from another process, so nothing is `receive`d."""
        out = []
        for number, (item, size) in enumerate(zip(items, sizes, strict=True)):
            if progress:
                progress(number, len(items))
            out.append(timed(lambda item=item: task(self.compiled, item), self.budget.seconds(size)))
        if progress:
            progress(len(items), len(items))
        return out
