"""Sparse rows of a small folder without scipy: its import (0.15 s, half of it numpy's lazy submodules that
scipy's array-API layer walks) is most of a five-page run's story grouping.

`Rows` holds the arrays a scipy CSR matrix holds (data, column indices sorted within each row, row
pointers), and `row_products` gives each pair of rows' dot product by the very arithmetic scipy's
`matrix[r].multiply(matrix[c]).sum(axis=1)` does: the products of the columns both rows hold, in column
order, the zero ones dropped, summed by numpy's `add.reduceat` over each pair's run (scipy's own sum of a
CSR row). The same floats, bit for bit (tests/test_story_rows.py); a folder past SMALL_ARTICLES keeps
scipy's matrices, whose products run in C without sorting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Folders of up to this many articles get `Rows` (no scipy import); larger ones scipy's CSR matrices.
SMALL_ARTICLES = 2_000


@dataclass(frozen=True)
class Rows:
    """A CSR matrix's arrays: row i's columns are indices[indptr[i]:indptr[i + 1]] (sorted), its values data[...]."""

    data: Any  # float64
    indices: Any  # int32 (int64 past 2**31 values)
    indptr: Any  # int64, one more than the rows
    shape: tuple[int, int]

    @property
    def nnz(self) -> int:
        """How many values the rows hold (as scipy's `nnz`)."""
        return len(self.data)

    def toarray(self):
        """The rows as a dense numpy array (as scipy's `toarray`: for inspection and tests)."""
        import numpy as np

        out = np.zeros(self.shape)
        owner = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        out[owner, self.indices] = self.data
        return out


def sorted_rows(data, indices, indptr, shape: tuple[int, int]) -> Rows:
    """Rows from CSR arrays whose columns are distinct within a row, each row's columns sorted (as
    scipy's `sort_indices` leaves them)."""
    import numpy as np

    owner = np.repeat(np.arange(shape[0], dtype=np.int64), np.diff(indptr))
    order = np.lexsort((indices, owner))
    return Rows(data[order], indices[order], indptr, shape)


def row_products(matrix: Rows, rows, cols):
    """The dot product of row rows[k] and row cols[k], for every k (a float64 array)."""
    import numpy as np

    out = np.zeros(len(rows))
    if not len(rows):
        return out
    a_at, a_pair = _entries(matrix.indptr, rows)
    b_at, b_pair = _entries(matrix.indptr, cols)
    width = max(1, matrix.shape[1])
    a_keys = a_pair * width + matrix.indices[a_at]  # distinct: a row's columns are
    b_keys = b_pair * width + matrix.indices[b_at]
    _, a_common, b_common = np.intersect1d(a_keys, b_keys, assume_unique=True, return_indices=True)
    # the common columns in (pair, column) order: the order of scipy's product rows
    products = matrix.data[a_at[a_common]] * matrix.data[b_at[b_common]]
    pairs = a_pair[a_common]
    kept = products != 0  # scipy's product keeps no zero
    products, pairs = products[kept], pairs[kept]
    if not len(pairs):
        return out
    starts = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
    out[pairs[starts]] = np.add.reduceat(products, starts)
    return out


def _entries(indptr, rows):
    """Where in data/indices each entry of the given rows is, and the number (place in `rows`) of its row."""
    import numpy as np

    starts, counts = indptr[rows], indptr[rows + 1] - indptr[rows]
    pair = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)  # where each pair's run begins among the entries
    return np.repeat(starts, counts) + (np.arange(len(pair), dtype=np.int64) - first), pair
