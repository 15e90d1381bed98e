"""A small folder's copy pairs counted shingle by shingle in numpy (audit.link.copies._small_pairs) are the
pairs scipy's sparse products count (the path past SMALL_WORK): the same pairs, shares and copy marks."""

from __future__ import annotations

import random

import numpy as np
import pytest

from audit.ingest import read_corpus
from audit.ingest.page import layout_of
from audit.link import copies
from tests.test_copies import CASES


def _table(seed: int, articles: int, vocabulary: int, length: int) -> copies.ShingleTable:
    """Articles of random shingles drawn from a small vocabulary (so that many are shared), some copied
    from an earlier article in part, sampled as `page_shingles` samples them."""
    pick = random.Random(seed)
    texts: list[list[int]] = []
    for _ in range(articles):
        text = [pick.randrange(vocabulary) for _ in range(pick.randrange(1, length))]
        if texts and pick.random() < 0.4:  # a part copied from an earlier article
            other = pick.choice(texts)
            text = other[: pick.randrange(1, len(other) + 1)] + text[: pick.randrange(len(text) + 1)]
        texts.append(text)
    distinct = [np.unique(np.array(t, np.int64)) for t in texts]
    samples = [copies._sample(np.array(t, np.int64)).copy() for t in texts]
    return copies.ShingleTable(
        np.arange(articles, dtype=np.int64),
        np.concatenate(distinct),
        np.array([len(d) for d in distinct], np.int64),
        np.concatenate(samples),
        np.array([len(s) for s in samples], np.int64),
    )


def _pairs(table, sources, layout) -> list[tuple[int, int, float]]:
    shared = table if isinstance(table, copies.SharedShingles) else copies.shared_shingles(table)
    one, two, share = copies._copy_pairs(shared, sources, layout)
    return sorted(zip(one.tolist(), two.tolist(), share.tolist(), strict=True))


TABLES = [
    pytest.param(1, 6, 8, 12, 2, id="six-articles-two-sources"),
    pytest.param(2, 30, 40, 60, 5, id="thirty-articles-five-sources"),
    pytest.param(3, 40, 400, 80, 40, id="every-article-its-own-source"),
    pytest.param(4, 25, 6, 30, 3, id="tiny-vocabulary-every-shingle-shared"),
    pytest.param(5, 2, 5, 10, 2, id="two-articles"),
]


@pytest.mark.parametrize(("seed", "articles", "vocabulary", "length", "outlets"), TABLES)
def test_small_pairs_are_the_sparse_pairs(rules, monkeypatch, seed, articles, vocabulary, length, outlets):
    table = _table(seed, articles, vocabulary, length)
    sources = [f"s{n % outlets}" for n in range(articles)]
    layout = layout_of(rules)
    small = _pairs(table, sources, layout)
    monkeypatch.setattr(copies, "SMALL_WORK", -1)  # scipy's sparse products
    assert small == _pairs(table, sources, layout)


@pytest.mark.parametrize("case", sorted(CASES))
def test_copies_are_the_same_either_way(rules, tmp_path, monkeypatch, case):
    """The hand-made corpora of test_copies: the same marks whichever way the pairs are counted."""
    pages, marked, found = CASES[case]
    for stem, (body, _) in pages.items():
        (tmp_path / f"{stem}.txt").write_text(f"Storm report from the coast, part {stem}\n\n{body}\n", encoding="utf-8")
    manifest = "".join(f'[[source]]\nfile = "{s}.txt"\npublished = "{d}"\n' for s, (_, d) in pages.items() if d)
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    for work in (copies.SMALL_WORK, -1):
        monkeypatch.setattr(copies, "SMALL_WORK", work)
        corpus = read_corpus(tmp_path, rules)
        assert {d.source.source_id: a.copy_of for d in corpus.documents for a in d.articles if a.copy_of} == marked
        assert corpus.copies == found


BUCKETS = [
    pytest.param(None, id="two-to-four-buckets-a-shingle"),
    pytest.param(1, id="one-bucket-every-shingle-kept"),
    pytest.param(2, id="two-buckets-most-collide"),
    pytest.param(1 << 24, id="many-buckets-no-collision"),
]


@pytest.mark.parametrize("buckets", BUCKETS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_shingles_left_out_by_their_buckets_change_no_pair(rules, tmp_path, monkeypatch, case, buckets):
    """The shingle table leaves out a shingle whose bucket one article alone filled: whatever the buckets,
    the shared shingles, and so the pairs, are those of every shingle kept."""
    pages, _, _ = CASES[case]
    for stem, (body, _) in pages.items():
        (tmp_path / f"{stem}.txt").write_text(f"Storm report from the coast, part {stem}\n\n{body}\n", encoding="utf-8")
    corpus = read_corpus(tmp_path, rules)
    layout = layout_of(rules)
    packed = [copies.page_shingles(d, layout) for d in corpus.documents]
    monkeypatch.setattr(copies, "_filled_buckets", lambda pages: np.ones(1, dtype=bool))  # every bucket filled
    every = copies.shingle_table([*packed])
    whole = copies.shared_shingles(every)
    monkeypatch.undo()
    if buckets is not None:
        monkeypatch.setattr(copies, "_bucket_count", lambda _shingles: buckets)
    table = copies.shingle_table([*packed])
    assert len(whole.held_cols) <= len(table.shingles) <= len(every.shingles)
    if buckets == 1 << 24:  # no two shingles in one bucket: exactly the shared ones are kept
        assert len(table.shingles) == len(whole.held_cols)
    got = copies.shared_shingles(table)
    for name in ("eligible", "sizes", "held_ptr", "held_cols"):
        assert getattr(got, name).tolist() == getattr(whole, name).tolist(), name
    assert [part.tolist() for part in got.probe] == [part.tolist() for part in whole.probe]
    sources = [d.source.source_id for d in corpus.documents for _ in d.articles]
    assert _pairs(got, sources, layout) == _pairs(whole, sources, layout)
