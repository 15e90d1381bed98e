"""A sign of life on a long run: a rich progress bar on standard error, only on a terminal, only after a second.

The library reports progress through an optional callback, `progress(stage, done, total)` (see
audit.pipeline.audit_folder), and never prints. `ProgressBar` is such a callback: it shows nothing
for a run that ends within `delay` seconds, and nothing at all when its console is not a terminal
(stderr redirected to a file or a pipe gets no bar, so a log never fills with redraws). It is a
transient display: once the run ends, the bar is gone and the warnings print below where it was.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

#: Seconds a run must last before the bar appears.
DELAY = 1.0


def _bar(console: Console) -> Any:
    """The rich Progress the bar draws (rich.progress imported here: a run off a terminal never needs it)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class _Count(MofNCompleteColumn):
        """ "94/255" for a stage that counts its steps, nothing for one that does not."""

        def render(self, task: Task) -> Text:
            """The count, or an empty text."""
            return super().render(task) if task.total is not None else Text("")

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), _Count(), TimeElapsedColumn())
    return Progress(*columns, console=console, transient=True)


class ProgressBar:
    """A progress callback that draws a rich bar on `console` once a run has lasted `delay` seconds."""

    def __init__(self, console: Console, delay: float = DELAY, clock=time.monotonic) -> None:
        self.enabled = console.is_terminal
        self.delay = delay
        self.clock = clock
        self.progress = _bar(console) if self.enabled else None
        self.task = None
        self.stage = ""
        self.started_at = clock()
        self.shown = False
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None

    def __enter__(self) -> ProgressBar:
        """Start the clock: the bar appears after `delay` seconds even if no stage reports meanwhile."""
        self.started_at = self.clock()
        if self.enabled:
            self.timer = threading.Timer(self.delay, self._show)
            self.timer.daemon = True
            self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop and remove the bar (a run that ended early never showed one)."""
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            if self.shown:
                self.progress.stop()
            self.shown = False
            self.enabled = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Report that `done` of `total` steps of `stage` are done."""
        if not self.enabled:
            return
        with self.lock:
            if self.task is None:
                self.task = self.progress.add_task(stage, total=total or None, completed=done)
            elif self.stage != stage:  # a new stage: its own count and clock (a stage without steps pulses)
                self.progress.remove_task(self.task)
                self.task = self.progress.add_task(stage, total=total or None, completed=done)
            else:
                self.progress.update(self.task, completed=done)
            self.stage = stage
        if not self.shown and self.clock() - self.started_at >= self.delay:
            self._show()

    def _show(self) -> None:
        """Put the bar on screen (once)."""
        with self.lock:
            if self.enabled and not self.shown:
                if self.task is None:
                    self.task = self.progress.add_task("starting", total=None)
                    self.stage = "starting"
                self.progress.start()
                self.shown = True
