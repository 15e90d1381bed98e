"""Worker processes on this machine: pages in chunks, each page within its budget.

Every worker holds the compiled rules (inherited when the platform forks, else rebuilt from their
folder). The main process sends a worker one chunk at a time (consecutive pages, so results come back
in the corpus order whatever the timing). The worker keeps each page's budget of processor time itself
(audit.run.budget.timed: a page over it is a Stopped, the worker goes on). The main process waits for
the first answer or the first wall-clock deadline, a generous grace past the chunk's budgets: a worker
past it (stuck where the timer cannot interrupt it) is killed and replaced; the pages of a chunk of
several are sent again one by one (so only the stuck page is lost), a single page becomes a Stopped. A
worker that dies (killed by the system, a crash in a C library) is handled the same way.
"""

from __future__ import annotations

import contextlib
import pickle
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from audit.run.budget import Budget, Progress, Receive, Serial, Stopped, timed
from audit.run.tasks import READING_TASKS, warm_readers, warm_up

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: Less text than this (bytes or characters) is read or extracted in this process: workers would cost more.
SMALL_BYTES = 256_000
#: A worker is killed when its chunk takes GRACE times the chunk's budgets plus GRACE_SECONDS by the
#: clock: its pages' timers could not stop it (or the machine is swamped).
GRACE, GRACE_SECONDS = 4.0, 10.0
#: A worker that worked on this many pages is replaced at `Pool.renew` (what it grew by is of no use to the
#: next stage; a folder of a few hundred pages keeps its workers).
RENEW_PAGES = 2_000
#: A worker that worked on this many pages in one stage is replaced at once: its tables of words are bounded,
#: but what they churn through is not given back (a worker that read 50,000 pages holds 370 MB, a new one 90).
WORKER_PAGES = 20_000


def _context(fresh: bool = False):
    """Fork where the platform can (the workers inherit the imports and the compiled rules), else spawn;
    spawn for `fresh` workers (started when this process has grown: a forked one would start as big)."""
    import multiprocessing as mp  # not at the top: a small folder, worked on in this process, never loads it

    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() and not fresh else "spawn")


class WorkerError(RuntimeError):
    """An error raised inside a worker (AUDIT_DEBUG set), with the worker's traceback as text."""


def _serve(conn: Connection, compiled: Any, warm: bool = False) -> None:
    """A worker's loop: run each chunk sent, send back its results (or the error), until told to stop;
    `warm`: what extraction loads on first use loaded first (a spawned worker inherits none of it, and its
    first page's time budget must not pay for it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    if warm:
        warm_up(compiled)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, items, seconds = message
        try:
            results = [timed(partial(task, compiled, item), s) for item, s in zip(items, seconds, strict=True)]
            conn.send(("ok", results))
        except BaseException as exc:  # noqa: BLE001  sent to the main process, which raises it
            conn.send(("error", _portable(exc)))


@dataclass
class _Worker:
    """A worker process, the main process's end of its pipe, and what it worked on."""

    process: Any
    conn: Connection
    pages: int = 0  # pages it worked on
    warm: bool = True  # False: forked before this process warmed up (a reader: extraction's tables not loaded)


@dataclass
class _Running:
    """A chunk of pages sent to a worker, and when the clock gives up on it."""

    worker: _Worker
    chunk: list[int]
    deadline: float
    seconds: float


class Pool:
    """`jobs` worker processes that map a task over pages, each chunk within its pages' budget."""

    def __init__(
        self, compiled: Any, jobs: int, budget: Budget, chunk_items: int = 32, min_bytes: int | None = None
    ) -> None:
        self.compiled, self.jobs, self.budget, self.chunk_items = compiled, jobs, budget, chunk_items
        self.min_bytes = SMALL_BYTES if min_bytes is None else min_bytes
        self.idle: list[_Worker] = []
        self.warm = False  # this process warmed up (workers forked from now on inherit it)
        self.readers_warm = False  # what reading loads on first use loaded here
        self.warming: threading.Thread | None = None  # the warm-up running beside the readers
        self.fresh = False  # workers started from now on are spawned (see `renew`)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_exc) -> None:
        _stop(self.idle)
        self.idle = []
        if self.warming is not None:
            self.warming.join()

    def renew(self) -> None:
        """Stop the workers that worked on RENEW_PAGES pages or more: the next `map` starts new ones, spawned.
        Between reading and extraction: a worker's tables of words (story features) fill as it reads; a
        new one starts at a quarter of the size of one that read 50,000 pages, and this process, grown by
        then, is not copied into it. Readers forked before this process warmed up are replaced by warm ones
        forked now (each would otherwise load extraction's tables itself), before the next stage starts a
        thread beside its workers: a process forked while another thread runs inherits that thread's locks
        held."""
        old = [worker for worker in self.idle if worker.pages >= RENEW_PAGES]
        cold = [worker for worker in self.idle if not worker.warm and worker.pages < RENEW_PAGES]
        if old:
            self.fresh = True
        if old or cold:
            self.idle = [worker for worker in self.idle if worker not in old and worker not in cold]
            _stop(old + cold)
        if cold and not self.fresh:
            self.idle.extend(self._start() for _ in cold)

    def _replace(self, worker: _Worker) -> _Worker:
        """A new worker, spawned, in place of one that worked on WORKER_PAGES pages (stopped)."""
        _stop([worker])
        self.fresh = True
        return self._start()

    def _start(self, reading: bool = False) -> _Worker:
        """A new worker: forked (this process warmed up first: every worker inherits what it loaded; for
        `reading` only what reading needs, the rest warming beside the readers), else spawned (warming up
        itself)."""
        context = _context(self.fresh)
        spawned = context.get_start_method() != "fork"
        if not spawned:
            self._warm_here(reading)
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, self.compiled, spawned), daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, ours, warm=spawned or self.warm)

    def _warm_here(self, reading: bool) -> None:
        """This process warmed up before it forks: what reading loads (once) for a reader, all of it (the
        warm-up thread ended first: no fork while it runs) for any other worker."""
        if reading and not self.readers_warm:
            warm_readers()
            self.readers_warm = True
        if not reading and not self.warm:
            if self.warming is not None:
                self.warming.join()
            else:
                warm_up(self.compiled)
            self.warm = True

    def _warm_beside(self) -> None:
        """Warm up this process in a thread while the readers read (it only waits for their pages), so the
        workers forked for extraction inherit it without waiting for it."""
        if self.warm or self.warming is not None or not self.readers_warm:
            return
        self.warming = threading.Thread(target=warm_up, args=(self.compiled,), name="audit-warm-up", daemon=True)
        self.warming.start()

    def _chunks(self, sizes: Sequence[int]) -> deque[list[int]]:
        """Consecutive pages in chunks small enough to spread over the workers (a few per worker at least),
        smaller as fewer pages are left: the workers' last chunks end about together (none waits for another's
        32 pages)."""
        chunks: deque[list[int]] = deque()
        start = 0
        while start < len(sizes):
            per = max(2, min(self.chunk_items, (len(sizes) - start) // (self.jobs * 3)))
            chunks.append(list(range(start, min(start + per, len(sizes)))))
            start += per
        return chunks

    def start_readers(self, sizes: Sequence[int]) -> None:
        """Start the workers that will read pages of these sizes now, if `map` would read them here (forked
        while this process is small: what it reads from now on, the manifest first, is not copied into them)."""
        if self.elsewhere(sizes):
            while len(self.idle) < min(self.jobs, len(self._chunks(sizes))):
                self.idle.append(self._start(reading=True))

    def elsewhere(self, sizes: Sequence[int]) -> bool:
        """Whether `map` would work on pages of these sizes in the worker processes (not in this one)."""
        return sum(sizes) >= self.min_bytes or bool(self.idle)

    def map(
        self, task, items: Sequence, sizes: Sequence[int], progress: Progress | None = None, receive: Receive = None
    ) -> list:
        """`task(compiled, item)` of each item, in order (a Stopped for a page over budget or lost), each
        passed to `receive` (when given) as it arrives from its worker."""
        if not self.elsewhere(sizes):  # less work than starting workers costs
            return Serial(self.compiled, self.budget).map(task, items, sizes, progress, receive)
        from multiprocessing.connection import wait  # see _context

        results: list[Any] = [None] * len(items)
        queue, running, done = self._chunks(sizes), {}, 0
        reading = task in READING_TASKS
        while len(self.idle) < min(self.jobs, len(queue)):
            self.idle.append(self._start(reading))
        if reading:
            self._warm_beside()
        if progress:
            progress(0, len(items))
        send = partial(self._send, task, items, sizes, queue, running)
        while queue or running:
            while queue and self.idle:
                send(self.idle.pop())
            first = min(run.deadline for run in running.values())
            for conn in wait(list(running), timeout=max(0.0, first - time.monotonic())):
                run = running.pop(conn)
                try:
                    status, value = conn.recv()
                except (EOFError, OSError):
                    self._lost(run, queue, results, Stopped(f"lost: its worker process died ({_exit(run.worker)})"))
                    continue
                if status == "error":
                    self.idle.append(run.worker)
                    for other in running.values():
                        _kill(other.worker)
                    raise value
                run.worker.pages += len(run.chunk)
                worker = run.worker if run.worker.pages < WORKER_PAGES else self._replace(run.worker)
                if queue:  # its next chunk first, then this one's results: the worker does not wait for them
                    send(worker)
                else:
                    self.idle.append(worker)
                for index, result in zip(run.chunk, value, strict=True):
                    results[index] = receive(result) if receive else result
                done += len(run.chunk)
                if progress:
                    progress(done, len(items))
            now = time.monotonic()
            for conn, run in list(running.items()):
                if now >= run.deadline:
                    del running[conn]
                    _kill(run.worker)
                    self._lost(run, queue, results, _stuck(run.seconds))
        return results

    def _send(self, task, items: Sequence, sizes: Sequence[int], queue: deque, running: dict, worker: _Worker) -> None:
        """Send the next chunk of the queue to a worker, and note it running, with its deadline."""
        chunk = queue.popleft()
        budgets = [self.budget.seconds(sizes[i]) for i in chunk]
        worker.conn.send((task, [items[i] for i in chunk], budgets))
        grace = GRACE * sum(budgets) + GRACE_SECONDS
        running[worker.conn] = _Running(worker, chunk, time.monotonic() + grace, grace)

    def _lost(self, run: _Running, queue: deque[list[int]], results: list, stopped: Stopped) -> None:
        """A chunk whose worker was killed or died: a new worker; its pages again one by one, or stopped."""
        run.worker.conn.close()
        self.idle.append(self._start())
        if len(run.chunk) > 1:
            queue.extendleft([index] for index in reversed(run.chunk))
        else:
            results[run.chunk[0]] = stopped


def _stuck(seconds: float) -> Stopped:
    """The Stopped of a page whose worker was killed by the clock: the page's timer could not stop it."""
    return Stopped(f"stopped after {seconds:.3g} s by the clock (its time budget could not interrupt it)")


def _portable(exc: BaseException) -> BaseException:
    """An error to send to the main process: itself (with the worker's traceback as a note) when it
    pickles, else a WorkerError holding that traceback."""
    text = "".join(traceback.format_exception(exc))
    try:
        exc.add_note(f"raised in a worker process:\n{text}")
        pickle.dumps(exc)
    except Exception:  # noqa: BLE001  any error that cannot travel is told as text
        return WorkerError(text)
    return exc


def _stop(workers: Sequence[_Worker]) -> None:
    """Tell idle workers to end, and end those that do not."""
    for worker in workers:
        with contextlib.suppress(OSError):  # a worker already gone needs no goodbye
            worker.conn.send(None)
    for worker in workers:
        worker.process.join(2)
        if worker.process.is_alive():
            _kill(worker)


def _kill(worker: _Worker) -> None:
    """Stop a worker now."""
    worker.process.kill()
    worker.process.join(5)


def _exit(worker: _Worker) -> str:
    """How a worker process ended, in words."""
    worker.process.join(1)
    code = worker.process.exitcode
    return f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
