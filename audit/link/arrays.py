"""Array helpers the copy detector and the story grouping share."""

from __future__ import annotations

import numpy as np


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of an array, sorted: what `np.unique(values)` gives, by a sort.

    NumPy's own finds them by hashing, and its check for a masked array on the way (np.isin makes it too,
    unless told its arrays are distinct) imports numpy.ma: 10 ms, the most of what a small folder's copies and
    stories import besides numpy itself."""
    ordered = np.sort(np.asarray(values).ravel())
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return ordered[first]
