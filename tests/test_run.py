"""Where the pages are read and extracted: worker processes (`--jobs`), a Dask cluster (`--dask`), and
the time budget of a page.

The tables must not depend on where the work ran: every output file of `--jobs 2`, `--jobs 3` and
`--dask` is compared byte for byte with `--jobs 1`, on the seeds and on a hand-written corpus
(tests/data/market: five outlets on a market fire and a port strike, a repost, an HTML page and an
empty file). A page made slow on purpose is stopped at its budget and named once; the others come
through as when the slow page reads or extracts normally.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.cli import cli
from audit.pipeline import audit_folder
from audit.rules import DEFAULT_RULES_DIR
from tests.conftest import SEEDS

DATA = Path(__file__).parent / "data"
CORPORA = {"seeds": SEEDS, "market": DATA / "market"}
SLOW = "harbour_daily.txt"


def _run(folder: Path, out: Path, *extra: str) -> tuple[str, dict[str, bytes]]:
    """`audit run FOLDER -o OUT ...`: what it printed, and every file it wrote."""
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(out), "--width", "120", "--json", *extra])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    printed = result.output.replace(str(out), "OUT")
    return printed, {path.name: path.read_bytes() for path in sorted(out.iterdir())}


@pytest.fixture(autouse=True)
def workers_for_small_folders(monkeypatch):
    """These folders are small: `--jobs 2` would read them in this process (less work than starting
    workers costs); here the workers always start."""
    import audit.run.pool

    monkeypatch.setattr(audit.run.pool, "SMALL_BYTES", 0)


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> dict[str, tuple[str, dict[str, bytes]]]:
    """Each corpus run with `--jobs 1`."""
    return {name: _run(folder, tmp_path_factory.mktemp(name), "--jobs", "1") for name, folder in CORPORA.items()}


@pytest.mark.parametrize("jobs", ["2", "3"], ids=["two-workers", "three-workers"])
@pytest.mark.parametrize("corpus", list(CORPORA))
def test_workers_write_the_same_bytes(tmp_path, serial, corpus, jobs):
    printed, files = _run(CORPORA[corpus], tmp_path, "--jobs", jobs)
    assert set(files) == {"claims.csv", "facts.csv", "claims.json", "facts.json", "report.html", "run.json"}
    assert files == serial[corpus][1]
    assert printed == serial[corpus][0]


def test_readers_are_replaced_by_warm_workers_before_extraction():
    """Readers are forked before this process warms up (the warm-up runs beside them, in a thread); `renew`
    replaces them at once by workers forked warm, before the next stage starts a thread of its own."""
    import multiprocessing

    from audit.ingest import read_pages
    from audit.rules.compiled import compile_rules
    from audit.run import page_reader
    from audit.run.budget import Budget
    from audit.run.pool import Pool

    compiled = compile_rules(None)
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("workers are spawned here: each warms up itself")
    with Pool(compiled, 2, Budget.of(compiled.layout), min_bytes=0) as pool:
        documents, _ = read_pages(CORPORA["market"], compiled.layout, None, page_reader(pool))
        readers = {worker.process.pid for worker in pool.idle}
        assert readers and not any(worker.warm for worker in pool.idle)
        pool.renew()
        assert pool.warming is not None and not pool.warming.is_alive() and pool.warm
        assert len(pool.idle) == len(readers) and all(worker.warm for worker in pool.idle)
        assert readers.isdisjoint(worker.process.pid for worker in pool.idle) and not pool.fresh
    assert len(documents) > 3 and all(document.features for document in documents)


def test_readers_start_before_the_manifest_is_read(monkeypatch):
    """The readers are forked before the manifest is read (a forked worker starts as big as this process)."""
    import audit.ingest.corpus
    from audit.ingest import read_pages
    from audit.rules.compiled import compile_rules
    from audit.run import page_reader
    from audit.run.budget import Budget
    from audit.run.pool import Pool

    compiled = compile_rules(None)
    workers_then = []
    original = audit.ingest.corpus.read_manifest

    def spied(folder):
        workers_then.append(len(pool.idle))
        return original(folder)

    monkeypatch.setattr(audit.ingest.corpus, "read_manifest", spied)
    with Pool(compiled, 2, Budget.of(compiled.layout), min_bytes=0) as pool:
        documents, _ = read_pages(CORPORA["market"], compiled.layout, None, page_reader(pool))
    assert workers_then == [2]
    assert len(documents) > 3


def test_the_library_takes_jobs_too(rules):
    one, two = audit_folder(CORPORA["market"], rules, jobs=1), audit_folder(CORPORA["market"], rules, jobs=2)
    assert one.claims.equals(two.claims) and one.facts.equals(two.facts) and one.warnings == two.warnings
    assert one.warnings == ("empty.txt: empty file",)


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of this test module (loopback only), for `--dask ADDRESS`."""
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
    )
    yield cluster.scheduler_address
    cluster.close()


def test_dask_local_writes_the_same_bytes(tmp_path, serial):
    assert _run(CORPORA["market"], tmp_path, "--dask", "local") == serial["market"]


def test_dask_address_writes_the_same_bytes(tmp_path, serial, scheduler):
    assert _run(CORPORA["seeds"], tmp_path, "--dask", scheduler) == serial["seeds"]


def test_unreachable_scheduler_is_one_line(tmp_path):
    result = CliRunner().invoke(
        cli, ["run", str(CORPORA["market"]), "-o", str(tmp_path), "--dask", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: --dask tcp://127.0.0.1:9: cannot reach the scheduler")


def _budget_rules(tmp_path: Path, seconds: float) -> Path:
    """A --rules copy whose pages get `seconds` each, whatever their size."""
    folder = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, folder)
    boilerplate = folder / "boilerplate.toml"
    text = boilerplate.read_text(encoding="utf-8")
    text = text.replace("page_seconds = 10.0", f"page_seconds = {seconds}")
    text = text.replace("page_seconds_per_100kb = 5.0", "page_seconds_per_100kb = 0.0")
    boilerplate.write_text(text, encoding="utf-8")
    return folder


def _slow_on(monkeypatch, module: str, attribute: str, file_name: str, what) -> None:
    """Make `module.attribute` call `what()` first for one file (a page that is slow, or kills its worker)."""
    import importlib

    target = importlib.import_module(module)
    original = getattr(target, attribute)

    def wrapper(*args, **kwargs):
        names = [getattr(a, "name", "") for a in args] + [getattr(getattr(a, "source", None), "file", "") for a in args]
        if file_name in names:
            what()
        return original(*args, **kwargs)

    monkeypatch.setattr(target, attribute, wrapper)


def _rows(files: dict[str, bytes]) -> list[str]:
    """The claims.csv rows of the pages other than the slow one, without their story and fact ids (a page
    not read moves the other stories' numbers)."""
    import csv
    import io

    rows = csv.DictReader(io.StringIO(files["claims.csv"].decode("utf-8")))
    return sorted(
        "|".join(v for k, v in row.items() if k not in ("story", "fact_id")) for row in rows if row["file"] != SLOW
    )


STAGES = {
    "reading": ("audit.ingest.corpus", "read_document", "while reading it; not read"),
    "extracting": ("audit.run.tasks", "extract_document", "while extracting its claims; its claims left out"),
}


def _spin() -> None:
    """Burn processor time for two minutes (a page whose pattern backtracks without end)."""
    until = time.process_time() + 120
    while time.process_time() < until:
        pass


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["in-process", "workers"])
@pytest.mark.parametrize("stage", list(STAGES))
def test_a_page_over_its_budget_is_stopped_and_named_once(tmp_path, monkeypatch, serial, stage, jobs):
    module, attribute, tail = STAGES[stage]
    _slow_on(monkeypatch, module, attribute, SLOW, _spin)
    rules = _budget_rules(tmp_path, 3.0)
    started = time.perf_counter()
    printed, files = _run(CORPORA["market"], tmp_path / "out", "--rules", str(rules), "--jobs", jobs)
    assert time.perf_counter() - started < 60
    warned = [line for line in printed.splitlines() if line.startswith("warning:")]
    stopped = f"warning: {SLOW}: stopped after 3 s, over its time budget {tail}"
    assert warned == ["warning: empty.txt: empty file", stopped]
    assert _rows(files) == _rows(serial["market"][1]) and len(_rows(files)) > 20


def test_a_worker_its_timer_cannot_stop_is_killed_by_the_clock(tmp_path, monkeypatch, serial):
    """A page asleep (or stuck in a C library) uses no processor time: the clock stops its worker, after
    four times the budget and ten seconds."""
    _slow_on(monkeypatch, "audit.run.tasks", "extract_document", SLOW, lambda: time.sleep(120))
    rules = _budget_rules(tmp_path, 0.5)
    printed, files = _run(CORPORA["market"], tmp_path / "out", "--rules", str(rules), "--jobs", "2")
    warned = [line for line in printed.splitlines() if SLOW in line and line.startswith("warning:")]
    assert warned == [
        f"warning: {SLOW}: stopped after 12 s by the clock (its time budget could not interrupt it) "
        "while extracting its claims; its claims left out"
    ]
    assert _rows(files) == _rows(serial["market"][1])


def test_a_worker_that_dies_costs_its_page_only(tmp_path, monkeypatch, serial):
    _slow_on(monkeypatch, "audit.run.tasks", "extract_document", SLOW, lambda: os._exit(3))
    printed, files = _run(CORPORA["market"], tmp_path / "out", "--jobs", "2")
    warned = [line for line in printed.splitlines() if SLOW in line and line.startswith("warning:")]
    assert warned == [
        f"warning: {SLOW}: lost: its worker process died (exit code 3) while extracting its claims; its claims left out"
    ]
    assert _rows(files) == _rows(serial["market"][1])


def _spin_on_slow(_compiled, item: str) -> str:
    """A page task (module level, so a Dask worker imports it): the item "slow" burns processor time."""
    if item == "slow":
        _spin()
    return item.upper()


def _in_a_thread(work):
    """`work()` run on a thread other than the main one (as a Dask worker runs its tasks)."""
    import threading

    out = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    thread.join(60)
    return out[0]


@pytest.mark.parametrize("where", ["main-thread", "other-thread"])
def test_the_budget_stops_a_page_on_any_thread(where):
    from audit.run.budget import Stopped, timed_each

    works = [lambda: "a", _spin, lambda: "b"]
    started = time.perf_counter()
    run = lambda: timed_each(works, [0.5, 0.5, 0.5])  # noqa: E731
    got = run() if where == "main-thread" else _in_a_thread(run)
    assert got == ["a", Stopped("stopped after 0.5 s, over its time budget"), "b"]
    assert time.perf_counter() - started < 30


def test_the_budget_holds_on_dask_workers(rules):
    """The same page budget as a local run, kept on the workers of a LocalCluster (loopback only)."""
    from audit.rules.compiled import compile_rules
    from audit.run.budget import Budget, Stopped
    from audit.run.cluster import Cluster

    items = ["a", "slow", "b", "c"]
    started = time.perf_counter()
    with Cluster(compile_rules(rules), "local", chunk_items=2, budget=Budget(1.0, 0.0)) as cluster:
        got = cluster.map(_spin_on_slow, items, [100] * len(items))
    assert got == ["A", Stopped("stopped after 1 s, over its time budget"), "B", "C"]
    assert time.perf_counter() - started < 90


def _where() -> str:
    return threading.current_thread().name


def _fails() -> str:
    raise ValueError("grouping broke")


@pytest.mark.parametrize(
    ("elsewhere", "thread"),
    [(False, "MainThread"), (True, "audit-link")],
    ids=["extraction-here-grouping-first", "extraction-in-workers-grouping-beside"],
)
def test_copies_and_stories_run_beside_extraction_only_when_it_runs_elsewhere(elsewhere, thread):
    """In this process a page's budget is the process's processor time: a thread beside it would spend it."""
    from audit.pipeline import _beside

    with _beside(_where, elsewhere) as done:
        pass
    assert done.result() == thread


@pytest.mark.parametrize("elsewhere", [False, True], ids=["here", "beside"])
def test_an_error_in_grouping_is_raised_where_its_result_is_taken(elsewhere):
    from audit.pipeline import _beside

    with pytest.raises(ValueError, match="grouping broke"):
        with _beside(_fails, elsewhere) as done:
            pass
        done.result()


def test_rules_sent_to_a_worker_leave_no_folder(tmp_path, monkeypatch):
    """A Dask worker builds the rules from their bytes in a folder of its own, and takes the folder away."""
    import tempfile

    from audit.rules.compiled import compile_rules
    from audit.run import tasks

    payload = tasks.RulesPayload.of(compile_rules(None))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(tasks, "_COMPILED", {})
    assert payload.compiled().rules.digest == payload.digest
    assert list(tmp_path.iterdir()) == []
