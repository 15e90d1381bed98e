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

from audit.link.arrays import sorted_distinct
from audit.link.stories.features import Packed, Signals


def candidate_pairs(signals: Sequence[Signals | Packed], pages: Sequence[int], block_size: int):
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
    count = len(signals)
    for members in (*holders.values(), *(m for m in by_page.values() if len(m) > 1)):
        if len(members) < 2:
            continue
        if len(members) > block_size:
            members = sorted(members, key=lambda n: (math.inf if math.isnan(signals[n].day) else signals[n].day, n))
        found.append(_block_codes(np.asarray(members, dtype=np.int64), block_size, count))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # One code a pair (low * count + high), not a two-column table: half the bytes before duplicates go.
    codes = sorted_distinct(np.concatenate(found))
    return codes // count, codes % count


def _block_codes(members, window: int, count: int):
    """Pairs of a block as codes low * count + high: all of them when it is small, else each member with
    the next `window` ones."""
    import numpy as np

    size = len(members)
    if size <= window:
        first, second = np.triu_indices(size, 1)
    else:
        first = np.repeat(np.arange(size), window)
        second = first + np.tile(np.arange(1, window + 1), size)
        keep = second < size
        first, second = first[keep], second[keep]
    one, two = members[first], members[second]
    return np.minimum(one, two) * count + np.maximum(one, two)
