"""Story features stored on disk from reading to grouping (audit.link.stories.features.Stored): the main
process's stub of an article holds what blocking reads and a slot in a file, no bags and no table of terms;
`matrices` reads the bags back a few articles at a time into arrays counted beforehand, gives the matrices
the features in memory give, bit for bit, and lets the file go once read."""

from __future__ import annotations

import gc
import math
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from audit.ingest import read_corpus
from audit.link.stories import article_features, features
from audit.link.stories.features import Loose, Packed, Signals, Stored, Terms, matrices
from audit.pipeline import audit_folder
from audit.run.pages import SpilledPages
from audit.run.spill import Spilled
from tests.conftest import SEEDS


def signals(words: dict[str, float], years=frozenset(), day: float = 0.0, keys=(), **bags) -> Signals:
    """An article's signals with the bags given (the others empty)."""
    names = ("words", "names", "lede", "figures", "lede_figures", "dates", "years", "events", "places")
    given = {name: bags.get(name, {}) for name in names}
    given["words"] = words
    return Signals(lede_years=frozenset(years), day=day, looks_back=bool(bags.get("back")), keys=tuple(keys), **given)


HAND = [
    signals({"quake": 3.0, "island": 4.0}, {"2013"}, 100.0, ("quake",), names={"lombok": 2.0}),
    signals({}, day=math.nan),  # nothing in any bag, no day
    signals({"island": 1.0, "ferry": 1.0}, {"2013", "2012"}, 101.0, ("ferry", "island"), figures={"40": 2.0}),
    signals({"ferry": 0.5}, keys=("ferry",), back=True, names={"island": 1.0}),  # a word of words, a name here
]


@pytest.fixture(scope="module")
def seeds(rules) -> list[Signals]:
    """Every article's features of the seed pages, as read."""
    return [s for d in read_corpus(SEEDS, rules).documents for s in article_features(d, rules)]


def stored(articles: list, order: list[int] | None = None) -> tuple[list[Stored], Spilled]:
    """The articles stored as they would arrive (`order`, else in turn), given back in corpus order."""
    store = Spilled()
    keys: dict[str, str] = {}
    held = {n: Stored.of(articles[n], store, keys) for n in order or range(len(articles))}
    return [held[n] for n in range(len(articles))], store


def among_packed(articles: list) -> list:
    """Every other article packed (a page read elsewhere with `compact`), the others stored."""
    terms, held = Terms(), stored(articles)[0]
    return [Packed.of(s, terms) if n % 2 else held[n] for n, s in enumerate(articles)]


#: How the same articles reach `matrices`: id -> (articles as read -> what matrices is given).
WAYS = {
    "loose": lambda a: [Loose.of(s) for s in a],
    "packed": lambda a: [Packed.of(s, terms) for terms in [Terms()] for s in a],
    "stored": lambda a: stored(a)[0],
    "stored-last-arrives-first": lambda a: stored(a, list(range(len(a)))[::-1])[0],
    "stored-loose": lambda a: stored([Loose.of(s) for s in a])[0],
    "stored-among-packed": lambda a: among_packed(a),
}


def arrays(m) -> dict[str, tuple]:
    """Every array of a Matrices as bytes (NaN days alike), with dtypes and shapes: compared exactly."""
    out = {"days": m.days.tobytes(), "looks_back": m.looks_back.tolist()}
    for name, matrix in [*m.rows.items(), ("lede_years", m.lede_years)]:
        out[name] = tuple((a.dtype.str, a.tobytes()) for a in (matrix.data, matrix.indices, matrix.indptr)) + (
            matrix.shape,
            type(matrix).__name__,
        )
    out.update({f"present-{k}": v.tolist() for k, v in m.present.items()})
    return out


@pytest.mark.parametrize("chunk", [1, 3, features.CHUNK_ARTICLES], ids=["one-a-chunk", "three-a-chunk", "default"])
@pytest.mark.parametrize("small", [True, False], ids=["rows", "scipy"])
@pytest.mark.parametrize("way", list(WAYS), ids=list(WAYS))
@pytest.mark.parametrize("corpus", ["hand", "seeds"])
def test_matrices_are_those_of_the_features_as_read(request, monkeypatch, corpus, way, small, chunk):
    articles = HAND if corpus == "hand" else request.getfixturevalue("seeds")
    monkeypatch.setattr(features, "SMALL_ARTICLES", 10_000 if small else 0)
    expected = arrays(matrices(articles))
    monkeypatch.setattr(features, "CHUNK_ARTICLES", chunk)
    assert arrays(matrices(WAYS[way](articles))) == expected


def test_the_hand_made_rows_are_the_ones_worked_out_by_hand():
    """Columns numbered in order of first appearance, whatever order the articles arrived in."""
    m = matrices(stored(HAND, [3, 1, 0, 2])[0])
    half = 1 / math.sqrt(2)
    assert m.rows["words"].toarray().tolist() == [
        [0.6, 0.8, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, half, half],
        [0.0, 0.0, 1.0],
    ]
    assert m.rows["names"].toarray().tolist() == [[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    assert m.looks_back.tolist() == [False, False, False, True]


class Counting:
    """A store that counts what is read of it (whole records, heads) and whether it was let go."""

    def __init__(self) -> None:
        self.records: list[bytes] = []
        self.reads: dict[str, int] = {"whole": 0, "head": 0}
        self.cleared = 0

    def append(self, record: bytes) -> int:
        self.records.append(record)
        return len(self.records) - 1

    def read(self, slot: int, length: int = -1) -> bytes:
        self.reads["whole" if length < 0 else "head"] += 1
        return self.records[slot] if length < 0 else self.records[slot][:length]

    def clear(self) -> None:
        self.cleared += 1


def test_each_record_is_read_once_and_the_store_let_go(seeds):
    store = Counting()
    held = [Stored.of(s, store) for s in seeds]
    assert store.reads == {"whole": 0, "head": 0} and not store.cleared  # storing reads nothing
    matrices(held)
    assert store.reads == {"whole": len(seeds), "head": len(seeds)}
    assert store.cleared == 1


def test_a_spilled_store_is_closed_once_read(seeds):
    held, store = stored(seeds[:5])
    matrices(held)
    assert list(store) == [] and store._file.closed  # the temporary file deleted


STUBS = {
    # id: the page's features as they arrive in `keep` (read here: Signals; by a worker: Loose; none: worked out)
    "read-here": lambda d, r: article_features(d, r),
    "read-by-a-worker": lambda d, r: tuple(Loose.of(s) for s in article_features(d, r)),
    "not-read": lambda d, r: (),
}


@pytest.mark.parametrize("arrives", list(STUBS), ids=list(STUBS))
def test_a_stub_holds_no_bags(rules, arrives):
    """What the main process keeps of an article: day, mark, keys (one text each for the run) and a slot."""
    from audit.rules.compiled import compile_rules

    compiled = compile_rules(rules)
    pages = SpilledPages(compiled.layout, compiled.stories)
    documents = read_corpus(SEEDS, rules).documents[:4]
    stubs = [pages.keep(replace(d, features=STUBS[arrives](d, rules))) for d in documents]
    held = [f for stub in stubs for f in stub.features]
    read = [s for d in documents for s in article_features(d, rules)]
    assert len(held) == len(read) > 4
    assert all(type(f) is Stored and not hasattr(f, "__dict__") for f in held)  # slotted: nothing more
    assert Stored.__slots__ == ("day", "looks_back", "keys", "slot", "store")
    assert [(f.keys, f.looks_back) for f in held] == [(s.keys, s.looks_back) for s in read]
    assert not hasattr(pages, "terms")  # no run-wide table of terms
    texts = {}
    for key in (key for f in held for key in f.keys):
        assert texts.setdefault(key, key) is key  # one copy of each key's text
    assert arrays(matrices(held)) == arrays(matrices(read))


def _temporary_files() -> int:
    """Unnamed temporary files this process holds open (Spilled's: deleted from the folder as made)."""
    folder = os.path.realpath(tempfile.gettempdir())
    found = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        found += target.startswith(folder) and target.endswith("(deleted)")
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files by /proc")
@pytest.mark.parametrize("jobs", [1, 2], ids=["this-process", "two-workers"])
def test_a_run_leaves_no_temporary_file_open(rules, monkeypatch, jobs):
    import audit.link.stories as stories
    import audit.run.pool

    monkeypatch.setattr(audit.run.pool, "SMALL_BYTES", 0)  # the workers read these few pages
    seen = {}
    original = stories.matrices

    def spied(held):
        seen["kinds"] = {type(f).__name__ for f in held}
        found = original(held)
        seen["let go"] = {f.store._file.closed for f in held}  # as soon as grouping has read the bags
        return found

    monkeypatch.setattr(stories, "matrices", spied)
    before = _temporary_files()
    result = audit_folder(SEEDS, rules, jobs=jobs)
    assert seen["kinds"] == {"Stored"} and seen["let go"] == {True}
    assert not result.claims.is_empty()
    del result  # its pages wait in their file for the report as long as it is kept
    gc.collect()
    assert _temporary_files() == before
