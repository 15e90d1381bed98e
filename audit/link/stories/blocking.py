"""Which pairs of articles are compared at all: those that share a salient term (near-linear cost).

Each article names its `block_keys` keys: its `name_keys` full names ("matt_smith"), then its most
salient words (names first, in practice: they weigh most). Two articles are a candidate pair when they
share one. A term held by more than `block_size` articles (a
common word in a big folder, "earthquake" in 900 pages) pairs each article only with the `block_size`
articles nearest it in time (publication day, then folder order), so the number of pairs grows
linearly with the folder, never with its square. Articles of one page are always paired (the page
tells they are different stories, see cluster.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from audit.link.stories.features import Signals


def candidate_pairs(signals: Sequence[Signals], pages: Sequence[int], block_size: int):
    """Row and column (numpy int64 arrays, row < col, unique, sorted) of every candidate pair."""
    import numpy as np

    holders: dict[str, list[int]] = defaultdict(list)
    for number, signal in enumerate(signals):
        for key in signal.keys:
            holders[key].append(number)
    by_page: dict[int, list[int]] = defaultdict(list)
    for number, page in enumerate(pages):
        by_page[page].append(number)
    found: list = []
    for members in (*holders.values(), *(m for m in by_page.values() if len(m) > 1)):
        if len(members) < 2:
            continue
        if len(members) > block_size:
            members = sorted(members, key=lambda n: (math.inf if math.isnan(signals[n].day) else signals[n].day, n))
        found.append(_block_pairs(np.asarray(members, dtype=np.int64), block_size))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pairs = np.concatenate(found)
    low, high = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    codes = np.unique(low * len(signals) + high)
    return codes // len(signals), codes % len(signals)


def _block_pairs(members, window: int):
    """Pairs of a block: all of them when it is small, else each member with the next `window` ones."""
    import numpy as np

    size = len(members)
    if size <= window:
        first, second = np.triu_indices(size, 1)
        return np.stack([members[first], members[second]], axis=1)
    offsets = np.arange(1, window + 1)
    first = np.repeat(np.arange(size), window)
    second = first + np.tile(offsets, size)
    keep = second < size
    return np.stack([members[first[keep]], members[second[keep]]], axis=1)
