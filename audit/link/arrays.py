"""Array helpers the copy detector and the story grouping share (numpy imported when first used, as the
story modules do: `audit reconcile` imports them through the rules and needs no numpy)."""

from __future__ import annotations

from typing import Any


def sorted_distinct(values: Any, in_place: bool = False) -> Any:
    """The distinct values of an array, sorted: what `np.unique(values)` gives, by a sort (`in_place`: of
    the array itself, which the caller lets go, so no sorted copy sits beside it).

    NumPy's own finds them by hashing, and its check for a masked array on the way (np.isin makes it too,
    unless told its arrays are distinct) imports numpy.ma: 10 ms, the most of what a small folder's copies and
    stories import besides numpy itself."""
    import numpy as np

    if in_place:
        ordered = values.ravel()
        ordered.sort()
    else:
        ordered = np.sort(np.asarray(values).ravel())
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return ordered[first]
