"""Memory at scale (issue 14): the copy detector's flat shingle table, story features packed in the main
process, the claims frame built in slices, and freed memory given back; each gives what it gave before."""

from __future__ import annotations

import math

import numpy as np
import pytest

from audit.ingest import read_corpus
from audit.ingest.page import layout_of
from audit.link import copies
from audit.link.stories.features import Packed, Signals, Terms, matrices
from audit.pipeline import claims_frame
from audit.run.memory import release_memory
from tests.test_copies import CASES, council, wire

# --- copies: the shingles an article holds that are shared, as (row, column) of the kept shingles ----------

COLUMNS = {
    # id: (shingles one article after another, how many each article has, the kept shingles (sorted),
    #      the rows and columns expected: read off by hand, article by article)
    "each-article-holds-one-kept": ([5, 9, 9, 7], [2, 2], [9], [0, 1], [0, 0]),
    "none-kept": ([1, 2, 3], [3], [], [], []),
    "below-the-first-and-past-the-last": ([-4, 2, 99], [3], [2, 10], [0], [0]),
    "an-empty-article-between": ([3, 10, 3], [1, 0, 2], [3, 10], [0, 2, 2], [0, 1, 0]),
    "negative-hashes": ([-9, -1, 4, -9], [2, 2], [-9, 4], [0, 1, 1], [0, 1, 0]),
}


@pytest.mark.parametrize("chunk", [1, 2, 1 << 20], ids=["one-a-lookup", "two-a-lookup", "one-lookup"])
@pytest.mark.parametrize(("shingles", "sizes", "kept", "rows", "cols"), list(COLUMNS.values()), ids=list(COLUMNS))
def test_columns_of_the_kept_shingles(monkeypatch, chunk, shingles, sizes, kept, rows, cols):
    monkeypatch.setattr(copies, "LOOKUP_CHUNK", chunk)
    got_rows, got_cols = copies._columns(
        np.array(shingles, np.int64), np.array(sizes, np.int64), np.array(kept, np.int64)
    )
    assert got_rows.tolist() == rows
    assert got_cols.tolist() == cols


MATRICES = {
    # id: (each article's distinct shingles (sorted), the articles x kept-shingles matrix expected, by hand)
    "shared-by-two": ([[1, 2, 3], [2, 3, 4]], [[1, 1], [1, 1]]),  # 2 and 3 are shared; 1 and 4 held once
    "shared-by-all-three": ([[1, 5], [5, 6], [5, 7]], [[1], [1], [1]]),
    "nothing-shared": ([[1, 2], [3, 4]], [[], []]),
}


@pytest.mark.parametrize(("sets", "held"), list(MATRICES.values()), ids=list(MATRICES))
def test_held_shingles_matrix(sets, held):
    table = copies.ShingleTable(
        np.arange(len(sets), dtype=np.int64),
        np.array([s for own in sets for s in own], np.int64),
        np.array([len(own) for own in sets], np.int64),
        np.zeros(0, np.int64),
        np.zeros(len(sets), np.int64),
    )
    matrix, probe = copies._matrices(table)
    assert matrix.toarray().tolist() == held
    assert probe.nnz == 0


def test_shingles_held_by_more_than_the_cap_are_not_kept(monkeypatch):
    monkeypatch.setattr(copies, "MAX_HOLDERS", 2)
    sets = [[1, 2], [1, 2], [1, 3], [3]]  # 1 is held by three articles (over the cap), 2 and 3 by two
    table = copies.ShingleTable(
        np.arange(4, dtype=np.int64),
        np.array([s for own in sets for s in own], np.int64),
        np.array([len(own) for own in sets], np.int64),
        np.zeros(0, np.int64),
        np.zeros(4, np.int64),
    )
    held, _ = copies._matrices(table)
    assert held.toarray().tolist() == [[1, 0], [1, 0], [0, 1], [0, 1]]  # columns: 2, 3


@pytest.mark.parametrize("case", sorted(CASES))
def test_copies_are_the_same_looked_up_a_shingle_at_a_time(rules, tmp_path, monkeypatch, case):
    """Every lookup boundary crossed: the hand-made corpora of test_copies give the same marks."""
    pages, marked, found = CASES[case]
    monkeypatch.setattr(copies, "LOOKUP_CHUNK", 1)
    for stem, (body, _) in pages.items():
        (tmp_path / f"{stem}.txt").write_text(f"Storm report from the coast, part {stem}\n\n{body}\n", encoding="utf-8")
    manifest = "".join(f'[[source]]\nfile = "{s}.txt"\npublished = "{d}"\n' for s, (_, d) in pages.items() if d)
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    corpus = read_corpus(tmp_path, rules)
    assert {d.source.source_id: a.copy_of for d in corpus.documents for a in d.articles if a.copy_of} == marked
    assert corpus.copies == found


def test_the_shingle_table_keeps_only_articles_long_enough(rules, tmp_path):
    for stem, body in {"long": wire(0, 30), "short": "Two words.", "other": council(0, 30)}.items():
        (tmp_path / f"{stem}.txt").write_text(f"Headline of {stem}\n\n{body}\n", encoding="utf-8")
    corpus = read_corpus(tmp_path, rules)
    items = [(d, a) for d in corpus.documents for a in d.articles]
    table = copies.shingle_table([copies.page_shingles(d, layout_of(rules)) for d in corpus.documents])
    names = [items[n][0].source.source_id for n in table.eligible]
    assert names == ["long", "other"]  # files in sorted order; "short" has fewer than copy_min_shingles
    assert table.held_sizes.sum() == len(table.shingles)
    assert table.sample_sizes.sum() == len(table.samples)
    held = table.held_sizes
    for number, start, size in zip(table.eligible, np.cumsum(held) - held, held, strict=True):
        own = table.shingles[start : start + size]
        assert (np.diff(own) > 0).all(), f"article {number}: distinct shingles, sorted"


# --- story features packed: the matrices grouping reads are the ones the features as read give -----------


def signals(words: dict[str, float], years=frozenset(), day: float = 0.0, keys=()) -> Signals:
    """An article's signals with only its words, lede years, day and keys given (other bags empty)."""
    empty: dict[str, float] = {}
    bags = dict.fromkeys(("names", "lede", "figures", "lede_figures", "dates", "years", "events", "places"), empty)
    return Signals(words=words, lede_years=frozenset(years), day=day, looks_back=False, keys=tuple(keys), **bags)


ARTICLES = [
    signals({"quake": 3.0, "island": 4.0}, {"2013"}, 100.0, ("quake",)),
    signals({}, day=math.nan),
    signals({"island": 1.0, "ferry": 1.0}, {"2013", "2012"}, 101.0, ("ferry", "island")),
]


@pytest.mark.parametrize(
    "order", [[0, 1, 2], [2, 1, 0], [1, 2]], ids=["in-corpus-order", "last-arrives-first", "first-left-as-read"]
)
def test_packed_features_give_the_matrices_of_the_features(order):
    """Packed as they arrive (terms numbered in arrival order; one article not packed at all), the rows are
    numbered in corpus order again: columns quake, island, ferry; each row of unit length."""
    terms = Terms()
    packed = {n: Packed.of(ARTICLES[n], terms) for n in order}
    m = matrices([packed.get(n, article) for n, article in enumerate(ARTICLES)])
    half = 1 / math.sqrt(2)
    assert m.rows["words"].toarray().tolist() == [[0.6, 0.8, 0.0], [0.0, 0.0, 0.0], [0.0, half, half]]
    assert m.present["words"].tolist() == [True, False, True]
    assert m.rows["names"].shape == (3, 1) and m.rows["names"].nnz == 0
    assert sorted(map(tuple, np.argwhere(m.lede_years.toarray() == 1).tolist())) == [(0, 0), (2, 0), (2, 1)]
    assert m.days.tolist()[::2] == [100.0, 101.0] and math.isnan(m.days[1])
    assert [p.keys for p in packed.values()] == [ARTICLES[n].keys for n in order]
    assert m.rows["words"].indices.dtype == matrices(ARTICLES).rows["words"].indices.dtype


@pytest.mark.parametrize("article", range(len(ARTICLES)), ids=["two-words", "empty-no-day", "two-years"])
def test_loosely_packed_features_pack_to_the_same_bytes(article):
    """Packed where read (a worker, Loose) then numbered here, an article is the one packed here at once: the
    same bytes, keys and term numbers; grouping reads its day, mark and keys as it reads the Signals'."""
    from audit.link.stories.features import Loose

    one, two = Terms(), Terms()
    loose = Loose.of(ARTICLES[article])
    direct, later = Packed.of(ARTICLES[article], one), Packed.of(loose, two)
    assert (direct.bags, direct.keys, one.texts) == (later.bags, later.keys, two.texts)
    assert (loose.keys, loose.looks_back) == (ARTICLES[article].keys, ARTICLES[article].looks_back)
    assert loose.day == ARTICLES[article].day or math.isnan(loose.day)


def test_packed_features_are_the_read_ones_on_a_corpus(rules, tmp_path):
    """The hand-made copies corpora: every matrix the same, bit for bit, packed or as read."""
    from audit.link.stories import article_features

    pages, _, _ = CASES[sorted(CASES)[0]]
    for stem, (body, _) in pages.items():
        (tmp_path / f"{stem}.txt").write_text(f"Storm report from the coast, part {stem}\n\n{body}\n", encoding="utf-8")
    read = [s for d in read_corpus(tmp_path, rules).documents for s in article_features(d, rules)]
    terms = Terms()
    packed = [Packed.of(s, terms) for s in reversed(read)][::-1]
    one, two = matrices(read), matrices(packed)
    for name, matrix in one.rows.items():
        other = two.rows[name]
        assert matrix.shape == other.shape, name
        assert (matrix.indptr == other.indptr).all() and (matrix.indices == other.indices).all(), name
        assert matrix.data.tobytes() == other.data.tobytes(), name


# --- the claims frame, built a slice at a time --------------------------------------------------------------


def test_claims_frame_in_slices_is_the_whole_frame(seed_audit, monkeypatch):
    """Slices of one row, of two, and one slice of all: the same frame, story column filled alike."""
    import audit.pipeline as pipeline

    claims = [tuple(row) for row in seed_audit.claims.iter_rows()]
    pages = [claims[i : i + 3] for i in range(0, len(claims), 3)]
    stories = {(row[2], row[6]): f"T{row[6]}" for row in claims}
    frames = []
    for rows in (1, 2, 10_000):
        monkeypatch.setattr(pipeline, "FRAME_ROWS", rows)
        packed = [pickle_rows(page) for page in pages]
        frames.append(claims_frame(packed, stories))
        assert packed == [b""] * len(pages)  # each page's rows let go as they are read
    assert frames[0].height == len(claims)
    assert frames[0].equals(frames[1]) and frames[0].equals(frames[2])
    assert frames[0]["story"].to_list() == [f"T{row[6]}" for row in claims]


def pickle_rows(rows: list[tuple]) -> bytes:
    """Rows packed as a worker packs them (tasks.pack_rows packs Claim records; these are rows already)."""
    import pickle

    return pickle.dumps(rows, protocol=5)


def test_giving_freed_memory_back_is_harmless():
    release_memory()
    release_memory()


def test_word_tables_are_bounded_and_change_no_feature(rules, tmp_path, monkeypatch):
    """Salience's tables and the frequencies read stop growing at their bound; the features stay the same."""
    from audit.lexicon import Frequencies, english_frequencies
    from audit.link import stories
    from audit.link.stories import article_features, features

    (tmp_path / "a.txt").write_text(
        "Quake hits Qeshm island\nA strong quake hit Qeshm island on Sunday, killing 10 people in Zirang and "
        "Tabl, officials in Bandar Abbas said. Rescuers from Dargahan reached the villages by boat.\n",
        encoding="utf-8",
    )
    (document,) = read_corpus(tmp_path, rules).documents
    unbounded = article_features(document, rules)
    monkeypatch.setattr(features, "KEPT_WORDS", 3)
    monkeypatch.setattr("audit.lexicon.KEPT_WORDS", 3)
    salience = features.Salience(7.0, 2.5, frozenset({"a", "the"}))
    for word in ("qeshm", "zirang", "tabl", "dargahan", "rescuers", "villages"):
        salience.word_info(word)
    assert max(len(salience.weights), len(salience._words), len(salience.tokens)) <= 3
    table = english_frequencies()
    if isinstance(table, Frequencies):  # else wordfreq's own dict: nothing to bound
        fresh = Frequencies(table._path)
        words = ("the", "quake", "island", "qeshm", "rescuers", "boat")
        assert [fresh.get(w) for w in words] == [table.get(w) for w in words]
        assert len(fresh._seen) == 3
    stories._salience.cache_clear()  # a Salience of its own, bounded from its first word
    assert article_features(document, rules) == unbounded
    stories._salience.cache_clear()


# --- workers renewed between reading and extraction -----------------------------------------------------


@pytest.mark.parametrize(
    ("renew_pages", "renewed"), [(1, True), (10_000, False)], ids=["worked-enough-replaced", "few-pages-kept"]
)
def test_renewed_workers_are_new_spawned_ones_that_give_the_same(seed_audit, monkeypatch, renew_pages, renewed):
    """A worker that worked on RENEW_PAGES pages is replaced by a spawned one (this process, grown by
    then, is not copied into it); the claims it extracts are the same."""
    from audit.rules.compiled import compile_rules
    from audit.run import pool as pool_module
    from audit.run.budget import Budget
    from audit.run.tasks import extract_page, unpack_rows

    compiled = compile_rules(None)
    documents = seed_audit.corpus.documents
    items = [(document, document.source.source_id, 0) for document in documents]
    sizes = [len(document.text) for document in documents]
    monkeypatch.setattr(pool_module, "RENEW_PAGES", renew_pages)
    with pool_module.Pool(compiled, 2, Budget.of(compiled.layout), min_bytes=0) as pool:
        first = [unpack_rows(packed) for packed, _ in pool.map(extract_page, items, sizes)]
        before = {worker.process.pid for worker in pool.idle}
        pool.renew()
        second = [unpack_rows(packed) for packed, _ in pool.map(extract_page, items, sizes)]
        after = {worker.process.pid for worker in pool.idle}
        assert pool.fresh is renewed
    assert second == first and sum(map(len, first)) > 50
    assert before.isdisjoint(after) if renewed else before == after


# --- claims rows spilled to a temporary file as pages arrive ------------------------------------------------

SPILLS = {
    # id: (pages as they arrive, the slots wanted in corpus order, the pages given back: read off by hand)
    "in-order": ([b"a", b"bb", b"ccc"], [0, 1, 2], [b"a", b"bb", b"ccc"]),
    "arrived-out-of-order": ([b"third", b"first", b"second"], [1, 2, 0], [b"first", b"second", b"third"]),
    "an-empty-page-and-one-left-out": ([b"x", b"", b"y"], [1, 2], [b"", b"y"]),
    "nothing": ([], [], []),
}


@pytest.mark.parametrize(("arrived", "slots", "given"), list(SPILLS.values()), ids=list(SPILLS))
def test_spilled_pages_come_back_in_the_order_arranged(arrived, slots, given):
    from audit.run.spill import Spilled

    spilled = Spilled()
    assert [spilled.append(page) for page in arrived] == list(range(len(arrived)))
    spilled.arrange(slots)
    assert len(spilled) == len(given)
    assert list(spilled) == given
    assert list(spilled) == given  # read again: the same
    spilled.clear()
    assert list(spilled) == []


def test_claims_frame_of_spilled_pages_is_the_frame_of_the_pages(seed_audit):
    """The seeds' rows three to a page, spilled in reverse arrival order: the same frame as from the list."""
    from audit.run.spill import Spilled

    claims = [tuple(row) for row in seed_audit.claims.iter_rows()]
    pages = [pickle_rows(claims[i : i + 3]) for i in range(0, len(claims), 3)]
    spilled = Spilled()
    slots = {n: spilled.append(pages[n]) for n in reversed(range(len(pages)))}
    spilled.arrange([slots[n] for n in range(len(pages))])
    assert claims_frame(spilled).equals(claims_frame(list(pages)))
    assert claims_frame(spilled).height == 0  # let go once read


def test_a_worker_that_worked_on_worker_pages_is_replaced_within_a_stage(seed_audit, monkeypatch):
    """WORKER_PAGES of 1: every chunk ends its worker's life; the claims are those of workers kept."""
    from audit.rules.compiled import compile_rules
    from audit.run import pool as pool_module
    from audit.run.budget import Budget
    from audit.run.tasks import extract_page, unpack_rows

    compiled = compile_rules(None)
    documents = seed_audit.corpus.documents
    items = [(document, document.source.source_id, 0) for document in documents]
    sizes = [len(document.text) for document in documents]
    with pool_module.Pool(compiled, 2, Budget.of(compiled.layout), min_bytes=0) as pool:
        kept = [unpack_rows(packed) for packed, _ in pool.map(extract_page, items, sizes)]
    monkeypatch.setattr(pool_module, "WORKER_PAGES", 1)
    with pool_module.Pool(compiled, 2, Budget.of(compiled.layout), min_bytes=0) as pool:
        replaced = [unpack_rows(packed) for packed, _ in pool.map(extract_page, items, sizes)]
        assert pool.fresh and all(worker.pages == 0 for worker in pool.idle)
    assert replaced == kept
