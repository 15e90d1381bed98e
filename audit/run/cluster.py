"""Reading and extraction mapped over a Dask cluster (dask.distributed): an existing scheduler's
address, or "local" for a LocalCluster of a few worker processes on this machine (loopback only).

The main process reads each file's bytes and sends them, with the rule files' bytes (sent once to
every worker), so workers need neither the corpus folder nor the rules folder: only the same version
of this package. Pages go in chunks of consecutive pages and come back in order, so the tables are
the same as a local run's. Each page keeps its time budget on the worker, as in a local run (a
watchdog thread reads the task thread's processor clock: audit.run.budget.timed_each); a page stuck
where that cannot interrupt it (asleep, inside a C library) is left to the cluster's own limits.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from itertools import islice
from typing import Any

from audit.errors import AuditError
from audit.run.budget import Budget, Progress, Receive
from audit.run.tasks import RulesPayload, run_chunk

LOCAL = "local"
#: Chunks sent ahead for each worker thread of the cluster: enough that none waits for its next chunk.
AHEAD = 4


def _local_workers() -> int:
    """Worker processes of a LocalCluster: the cores, at most four."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


class Cluster:
    """A Dask client (and the LocalCluster it started, for "local") that maps a task over pages."""

    reads_bytes = True  # the files are read here and their bytes sent: workers need not see the folder

    def __init__(self, compiled: Any, address: str, chunk_items: int = 32, budget: Budget | None = None) -> None:
        self.compiled, self.address, self.chunk_items = compiled, address, chunk_items
        self.budget = budget or Budget.of(compiled.layout)
        self.client = self.cluster = self.payload = None

    def __enter__(self) -> Cluster:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
            raise AuditError("--dask needs dask.distributed: pip install 'dask[distributed]'") from None
        try:
            if self.address == LOCAL:
                self.cluster = LocalCluster(
                    n_workers=_local_workers(),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",  # None still serves on :8787 (dask/distributed#8136)
                    silence_logs=logging.CRITICAL,
                )
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.address, timeout="20s")
        except OSError as exc:
            self.__exit__()
            raise AuditError(f"--dask {self.address}: cannot reach the scheduler ({exc})") from None
        self.payload = self.client.scatter(RulesPayload.of(self.compiled), broadcast=True)
        return self

    def __exit__(self, *_exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def elsewhere(self, _sizes: Sequence[int]) -> bool:
        """Whether pages are worked on in other processes: always, on the cluster's workers."""
        return True

    def renew(self) -> None:
        """Nothing renewed: the cluster's workers are its own."""

    def map(
        self, task, items: Sequence, sizes: Sequence[int], progress: Progress | None = None, receive: Receive = None
    ) -> list:
        """`task(compiled, item)` of each item, in order, computed on the cluster's workers (each passed to
        `receive`, when given, as its chunk arrives). At most AHEAD chunks a worker thread are out at once: a
        chunk's items are made (spilled pages read back: audit.run.pages) when it is sent, never all at once."""
        from distributed import as_completed

        per = max(1, min(self.chunk_items, len(items) // 16))
        budgets = [self.budget.seconds(size) for size in sizes]
        starts, place = iter(range(0, len(items), per)), {}  # future key -> its chunk's number

        def submit(at: int):
            chunk = [items[number] for number in range(at, min(at + per, len(items)))]
            future = self.client.submit(run_chunk, self.payload, task, chunk, budgets[at : at + per], pure=False)
            place[future.key] = at // per
            return future

        ahead = AHEAD * max(1, sum(self.client.nthreads().values()))
        running = as_completed([submit(at) for at in islice(starts, ahead)])
        done, received = 0, {}
        if progress:
            progress(0, len(items))
        for future in running:
            chunk = future.result()
            received[place.pop(future.key)] = [receive(result) for result in chunk] if receive else chunk
            future.release()
            at = next(starts, None)
            if at is not None:
                running.add(submit(at))
            done += len(chunk)
            if progress:
                progress(done, len(items))
        return [result for number in range(len(received)) for result in received[number]]
