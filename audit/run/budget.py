"""Time budgets per page, and the in-process engine that keeps them with a timer.

A page gets `page_seconds` plus `page_seconds_per_100kb` for every 100 KB of it (rules/boilerplate.toml,
[settings]) of processor time to be read, and as long again for its claims to be extracted. A page over
budget is stopped and named in one warning; the others are audited. The budget counts processor time,
not the clock, so a machine busy with other work does not stop good pages: on a process's main thread
a profiling interval timer (ITIMER_PROF) interrupts the page's work, in this process and in each worker
process alike; on another thread (a Dask worker runs its tasks on threads) a watchdog thread reads the
working thread's own processor clock and raises the stop in it. A worker stuck where neither can
interrupt it (inside a C library) is killed by the main process after a wall-clock grace
(audit.run.pool); on a Dask cluster the cluster's own limits apply to that case.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
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
    """`work()`, stopped after `seconds` of processor time (a Stopped instead)."""
    if seconds <= 0:
        return work()
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return timed_each([work], [seconds])[0]
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


def timed_each(works: Sequence[Callable[[], Any]], seconds: Sequence[float]) -> list:
    """Each work's result in order, each stopped after its `seconds` of processor time (a Stopped instead).

    On the main thread each keeps a profiling timer (see `timed`); on another thread, one watchdog thread
    for them all reads this thread's processor clock and raises the stop in this thread."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return [timed(work, s) for work, s in zip(works, seconds, strict=True)]
    if not hasattr(time, "pthread_getcpuclockid"):  # no per-thread clock here: pages run unbounded
        return [work() for work in works]
    watch = _Watchdog(threading.get_ident())
    try:
        return [watch.run(work, s) for work, s in zip(works, seconds, strict=True)]
    finally:
        watch.close()


#: How often the watchdog reads the working thread's processor clock (seconds).
_TICK = 0.05


class _Watchdog:
    """A thread that raises _PageTimeout in the thread `ident` once its page has used its processor time."""

    def __init__(self, ident: int) -> None:
        self.ident, self.clock = ident, time.pthread_getcpuclockid(ident)
        self.lock, self.done = threading.Lock(), threading.Event()
        self.until, self.fired = math.inf, False  # the thread's clock reading at which its page is over budget
        self.thread = threading.Thread(target=self._watch, name="audit-page-budget", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while not self.done.wait(_TICK):
            with self.lock:
                if not self.fired and time.clock_gettime(self.clock) >= self.until:
                    self.fired = True
                    _raise_in(self.ident, _PageTimeout)

    def run(self, work: Callable[[], Any], seconds: float) -> Any:
        """`work()` within `seconds` of this thread's processor time (a Stopped when over)."""
        try:
            with self.lock:
                self.until = time.clock_gettime(self.clock) + seconds if seconds > 0 else math.inf
                self.fired = False
            try:
                result = work()
            finally:
                with self.lock:
                    self.until, fired = math.inf, self.fired
                    if fired:
                        _raise_in(self.ident, None)  # a stop raised too late for the work: taken back
        except _PageTimeout:
            return over_budget(seconds)
        return over_budget(seconds) if fired else result

    def close(self) -> None:
        """Stop the watchdog thread."""
        self.done.set()
        self.thread.join()


def _raise_in(ident: int, exc: type[BaseException] | None) -> None:
    """Have the thread `ident` raise `exc` at its next Python instruction (None: take a pending one back)."""
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exc) if exc else None)


class Serial:
    """Every page in this process, one after the other, each within its budget."""

    def __init__(self, compiled: Any, budget: Budget) -> None:
        self.compiled, self.budget = compiled, budget

    def __enter__(self) -> Serial:
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def elsewhere(self, _sizes: Sequence[int]) -> bool:
        """Whether pages of these sizes would be worked on in other processes: never here."""
        return False

    def renew(self) -> None:
        """Nothing to renew: no worker processes."""

    def map(
        self, task, items: Sequence, sizes: Sequence[int], progress: Progress | None = None, receive: Receive = None
    ) -> list:
        """`task(compiled, item)` of each item, in order (a Stopped for a page over its budget), each passed to
        `receive` (when given) as it is done, as the other engines pass what arrives from their workers."""
        out = []
        # Each item taken by its number (a spilled page is read back then): a zip's reused tuples would keep
        # the one before alive too.
        for number, size in enumerate(sizes):
            if progress:
                progress(number, len(items))
            result = timed(partial(task, self.compiled, items[number]), self.budget.seconds(size))
            out.append(receive(result) if receive else result)
        if progress:
            progress(len(items), len(items))
        return out
