"""A small folder's story rows without scipy (audit.link.stories.rows) give scipy's dot products bit for bit."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from audit.link.stories import cluster, features
from audit.link.stories.rows import Rows, row_products


def _bags(seed: int, count: int, terms: int, zeros: bool) -> list[dict[str, float]]:
    """Random bags of terms with weights of every size (and, with `zeros`, some weights of zero)."""
    pick = random.Random(seed)
    bags = []
    for _ in range(count):
        size = pick.choice([0, 1, 2, 5, 9, 17, 40])
        words = pick.sample(range(terms), min(size, terms))
        bags.append({f"t{w}": (0.0 if zeros and pick.random() < 0.2 else pick.uniform(1e-6, 30.0)) for w in words})
    return bags


def _unit_rows(bags: list[dict[str, float]], normalise: bool, small: bool):
    """The rows of the bags as matrices() builds them (features._rows over term numbers and unit values)."""
    vocabulary: dict[str, int] = {}
    ids, values = [], []
    for bag in bags:
        norm = math.sqrt(sum(v * v for v in bag.values())) if normalise else 1.0
        for term, value in bag.items():
            ids.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(value / norm if norm else 0.0)
    sizes = np.array([len(bag) for bag in bags], np.int32)
    return features._rows(np.array(ids, np.int32), np.array(values, np.float64), sizes, small)


CASES = [
    pytest.param(1, 12, 30, False, id="few-articles-few-terms"),
    pytest.param(2, 60, 25, False, id="dense-overlaps"),
    pytest.param(3, 80, 400, False, id="sparse-overlaps"),
    pytest.param(4, 50, 20, True, id="weights-of-zero"),
    pytest.param(5, 1, 3, False, id="one-article"),
    pytest.param(6, 40, 60, False, id="long-rows"),
]


@pytest.mark.parametrize(("seed", "count", "terms", "zeros"), CASES)
@pytest.mark.parametrize("normalise", [True, False], ids=["unit", "raw"])
def test_rows_give_scipys_products(seed, count, terms, zeros, normalise):
    bags = _bags(seed, count, terms, zeros)
    ours = _unit_rows(bags, normalise, small=True)
    theirs = _unit_rows(bags, normalise, small=False)
    assert isinstance(ours, Rows) and isinstance(theirs, csr_matrix)
    assert np.array_equal(ours.indptr, theirs.indptr)
    rows, cols = np.divmod(np.arange(count * count, dtype=np.int64), count)  # every pair, both ways, and the diagonal
    got = cluster._row_products(ours, rows, cols, chunk=97)
    want = cluster._row_products(theirs, rows, cols, chunk=97)
    assert got.tobytes() == want.tobytes()


def test_no_pairs():
    rows = _unit_rows([{"a": 1.0}], True, small=True)
    assert row_products(rows, np.zeros(0, np.int64), np.zeros(0, np.int64)).shape == (0,)


def test_a_small_folder_never_imports_scipy_for_its_rows():
    matrices = features.matrices([])
    assert all(isinstance(m, Rows) for m in matrices.rows.values()) and isinstance(matrices.lede_years, Rows)
