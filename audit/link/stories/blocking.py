"""Which pairs of articles are compared at all: those that share a salient term (near-linear cost).

Each article names its `block_keys` keys: its `name_keys` full names ("matt_smith"), then its most
salient words (names first, in practice: they weigh most). Two articles are a candidate pair when they
share one. A term held by more than `block_size` articles (a
common word in a big folder, "earthquake" in 900 pages) pairs each article only with the `block_size`
articles nearest it in time (publication day, then folder order), so the number of pairs grows
linearly with the folder, never with its square. Articles of one page are always paired (the page
tells they are different stories, see cluster.py).

The blocks are held as arrays (a key's holders side by side), not as a list of numbers per key, and the
pairs as one code each (low * count + high) until the duplicates are gone.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from audit.link.arrays import sorted_distinct
from audit.link.stories.features import Packed, Signals, Stored

#: Pair codes of the small blocks worked out at once: their index arrays stay a few MB whatever the folder.
BATCH_CODES = 1 << 20


def candidate_pairs(signals: Sequence[Signals | Packed | Stored], pages: Sequence[int], block_size: int):
    """Row and column (numpy arrays, int32 while the articles fit, row < col, unique, sorted) of every
    candidate pair."""
    import numpy as np

    count = len(signals)
    members, starts, sizes = _blocks(signals, pages)
    found = [*_small_codes(members, starts, sizes, block_size, count)]
    large = sizes > block_size
    if large.any():
        day = np.array([s.day for s in signals], dtype=np.float64)
        day[np.isnan(day)] = np.inf  # undated articles last, in folder order
        for start, size in zip(starts[large].tolist(), sizes[large].tolist(), strict=True):
            block = members[start : start + size]
            block = block[np.lexsort((block, day[block]))]  # by day, then folder order
            found.append(_window_codes(block.astype(np.int64), block_size, count))
    del members
    ids = np.int32 if count < 2**31 else np.int64
    if not found:
        return np.zeros(0, ids), np.zeros(0, ids)
    codes = np.concatenate(found)
    del found
    codes = sorted_distinct(codes, in_place=True)
    rows, cols = np.empty(len(codes), ids), np.empty(len(codes), ids)
    np.floor_divide(codes, count, out=rows)  # straight into the narrow arrays: no int64 copy of each
    np.remainder(codes, count, out=cols)
    return rows, cols


def _blocks(signals: Sequence[Signals | Packed | Stored], pages: Sequence[int]):
    """Every block of two articles or more: the articles of a key, then those of a page (numpy arrays of
    the members, block after block, each block's in folder order; where each block starts and its size)."""
    import numpy as np

    number: dict[str, int] = {}
    key_of, holder = array("q"), array("q")
    for article, signal in enumerate(signals):
        for key in signal.keys:
            key_of.append(number.setdefault(key, len(number)))
            holder.append(article)
    keys = np.frombuffer(key_of, dtype=np.int64) if key_of else np.zeros(0, np.int64)
    page = np.asarray(pages, dtype=np.int64)
    # A page is a block too, numbered after the keys (its articles are neighbours in folder order).
    block = np.concatenate([keys, page + len(number)])
    order = np.argsort(block, kind="stable")  # stable: each block's members in folder order
    ids = np.int32 if len(signals) < 2**31 else np.int64
    members = np.concatenate(
        [np.frombuffer(holder, np.int64) if holder else np.zeros(0, np.int64), np.arange(len(page), dtype=np.int64)]
    )[order].astype(ids)
    block = block[order]
    del order
    edge = np.flatnonzero(block[1:] != block[:-1]) + 1
    starts = np.concatenate([[0], edge]) if len(block) else np.zeros(0, np.int64)
    sizes = np.diff(np.concatenate([starts, [len(block)]]))
    many = sizes > 1
    return members, starts[many], sizes[many]


def _small_codes(members, starts, sizes, window: int, count: int):
    """Codes low * count + high of every pair of each block of at most `window` members (its members are in
    folder order: the first of a pair is the lower), blocks of one size at a time, at most BATCH_CODES a go."""
    import numpy as np

    small = sizes <= window
    starts, sizes = starts[small], sizes[small]
    for size in sorted_distinct(sizes).tolist():
        first, second = np.triu_indices(size, 1)
        at = starts[sizes == size]
        per = max(1, BATCH_CODES // len(first))
        for k in range(0, len(at), per):
            held = members[at[k : k + per, None] + np.arange(size)].astype(np.int64)  # a block a row
            yield (held[:, first] * count + held[:, second]).ravel()


def _window_codes(members, window: int, count: int):
    """Codes low * count + high of a large block's pairs: each member with the next `window` ones."""
    import numpy as np

    size = len(members)
    first = np.repeat(np.arange(size), window)
    second = first + np.tile(np.arange(1, window + 1), size)
    keep = second < size
    one, two = members[first[keep]], members[second[keep]]
    return np.minimum(one, two) * count + np.maximum(one, two)
