"""How articles become stories: a score for each candidate pair, then average-link grouping.

The score of two articles is a weighted sum of what they share (see `pair_scores`): salient words,
names, the lede's words, figures, dates and years, less what sets them apart (figures or years that
both give and none in common, lede years that differ, publication days far apart). Zero means no
evidence either way; pairs never compared count as zero.

Grouping is greedy average link: the two stories whose average pair score, less
`size_weight * log(articles in the smaller one)`, is highest join, and so on while that reaches
`threshold`. The size term asks two grown stories for more than an article joining a story: two
events of one kind (two quakes on one island) each gather their own coverage first and then share
only the kind. Two stories never join when they hold articles of one page (a page is split where a
new story begins), nor when their dated articles would span more than `max_days`, nor when their
average falls short of what an article already scores with the
other stories of its own page: those are known to be other stories, so resembling a story no more
than them is no evidence. A copy (audit.ingest.find_copies) always joins its original.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from typing import Any

from audit.link.stories.features import Matrices


def _row_products(matrix, rows, cols, chunk: int = 50_000):
    """Dot product of row `rows[k]` and row `cols[k]` of a CSR matrix, for every k (numpy array); in chunks
    of pairs, so the rows taken out at once stay a few tens of MB whatever the folder's size."""
    import numpy as np

    out = np.zeros(len(rows))
    for start in range(0, len(rows), chunk):
        r, c = rows[start : start + chunk], cols[start : start + chunk]
        out[start : start + len(r)] = np.asarray(matrix[r].multiply(matrix[c]).sum(axis=1)).ravel()
    return out


def pair_signals(m: Matrices, rows, cols, settings: Any) -> dict[str, Any]:
    """Each signal of each pair (rows[k], cols[k]): the cosines, the clashes (1 where both articles give
    the signal and share none of it) and the time gap term (numpy arrays, by name)."""
    import numpy as np

    out = {name: _row_products(m.rows[name], rows, cols) for name in m.rows}
    for name in settings.clash_weights:
        if name == "lede_years":
            held = np.diff(m.lede_years.indptr) > 0
            shared = _row_products(m.lede_years, rows, cols)
        else:
            held, shared = m.present[name], out[name]
        clash = held[rows] & held[cols] & (shared <= 0)
        if name in ("figures", "lede_figures"):  # a toll grows from day to day: figures clash within a day
            clash &= ~(np.abs(m.days[rows] - m.days[cols]) >= 1)
        out[f"{name}_clash"] = clash.astype(np.float64)
    # What happened and where speak only where names cannot: between pages that name no one (two quakes on
    # one island share every event and place word; their names, people and dates tell them apart).
    unnamed = ~(m.present["names"][rows] | m.present["names"][cols])
    for name in ("events", "places", "places_clash"):
        out[name] = out[name] * unnamed
    late = np.nan_to_num(np.abs(m.days[rows] - m.days[cols]) - settings.grace_days, nan=0.0).clip(min=0)
    # A follow-up (a trial, a verdict, a lede naming an earlier year) comes when it comes: months or years
    # after its event, so the gap says nothing and the names they share must carry the pair.
    late[m.looks_back[rows] | m.looks_back[cols]] = 0.0
    out["time"] = -np.log1p(late / max(1, settings.grace_days))
    return out


def pair_scores(m: Matrices, rows, cols, settings: Any, chunk: int = 500_000):
    """The story score of each pair (rows[k], cols[k]) of articles (numpy float array), worked out `chunk`
    pairs at a time: the dozen signals of every pair are never held at once."""
    import numpy as np

    if len(rows) > chunk:
        parts = [(rows[s : s + chunk], cols[s : s + chunk]) for s in range(0, len(rows), chunk)]
        return np.concatenate([pair_scores(m, r, c, settings, chunk) for r, c in parts])
    signals = pair_signals(m, rows, cols, settings)
    score = np.zeros(len(rows))
    for name, weight in settings.weights.items():
        score += weight * signals[name]
    for name, weight in settings.clash_weights.items():
        score += weight * signals[f"{name}_clash"]
    return score + settings.time_weight * signals["time"]


def _page_bars(rows, cols, scores, pages, count: int):
    """What each article scores at best with another story of its own page (-inf: none), and which pairs
    are across pages (numpy boolean array)."""
    import numpy as np

    same = pages[rows] == pages[cols]
    bar = np.full(count, -np.inf)
    np.maximum.at(bar, rows[same], scores[same])
    np.maximum.at(bar, cols[same], scores[same])
    return bar, ~same


def _story_sums(root, rows, cols, scores) -> dict[int, dict[int, float]]:
    """Sum of the pair scores between every two stories that have a compared pair (both ways round),
    added up in pair order (numpy does the adding, Python only builds the dictionaries)."""
    import numpy as np

    a, b = root[rows], root[cols]
    apart = a != b
    low, high, scores = np.minimum(a, b)[apart], np.maximum(a, b)[apart], scores[apart]
    count = len(root)
    codes, inverse = np.unique(low * count + high, return_inverse=True)
    totals = np.bincount(inverse.ravel(), weights=scores, minlength=len(codes))
    low, high = codes // count, codes % count
    source, target = np.concatenate([low, high]), np.concatenate([high, low])
    values = np.concatenate([totals, totals])
    if not len(source):
        return {}
    order = np.argsort(source, kind="stable")
    source, targets, values = source[order], target[order].tolist(), values[order].tolist()
    cuts = (np.flatnonzero(np.diff(source)) + 1).tolist()
    starts, ends = [0, *cuts], [*cuts, len(targets)]
    nodes = source[starts].tolist()
    return {n: dict(zip(targets[s:e], values[s:e], strict=True)) for n, s, e in zip(nodes, starts, ends, strict=True)}


def group(
    count: int,
    rows,
    cols,
    scores,
    pages: Sequence[int],
    days: Sequence[float],
    joined: Sequence[tuple[int, int]],
    settings: Any,
) -> list[int]:
    """The story (a representative article number) of each of `count` articles; see the module docstring."""
    parent = list(range(count))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for one, two in joined:  # copies join their originals before anything else
        a, b = find(one), find(two)
        if a != b:
            parent[max(a, b)] = min(a, b)
    import numpy as np

    page = np.asarray(pages, dtype=np.int64)
    bar_of, across = _page_bars(rows, cols, scores, page, count)
    root = [find(n) for n in range(count)]
    bar = bar_of.tolist()
    size: dict[int, int] = {}
    page_sets: dict[int, set[int]] = {}
    bars: dict[int, float] = {}
    first: dict[int, float] = {}  # the earliest and latest publication day of each story (inf: none)
    last: dict[int, float] = {}
    for n, day in enumerate(days):
        if day == day:  # not NaN
            first[root[n]] = min(first.get(root[n], math.inf), day)
            last[root[n]] = max(last.get(root[n], -math.inf), day)
    for n in range(count):
        size[root[n]] = size.get(root[n], 0) + 1
        page_sets.setdefault(root[n], set()).add(pages[n])
        bars[root[n]] = max(bars.get(root[n], -math.inf), bar[n])
    # Sum of pair scores between two stories (only stories with a compared pair are neighbours).
    sums: dict[int, dict[int, float]] = {r: {} for r in size}
    sums.update(_story_sums(np.asarray(root, dtype=np.int64), rows[across], cols[across], scores[across]))
    version = dict.fromkeys(size, 0)
    threshold, size_weight = settings.threshold, settings.size_weight

    # The size term only lowers a join's merit, so a pair whose average falls short is not worked out.
    floor = threshold if size_weight >= 0 else -math.inf

    def merit(a: int, b: int, total: float) -> float:
        """A join's merit from the sum of its pair scores; -inf where its average falls short of `floor`."""
        sa, sb = size[a], size[b]
        if total < floor * sa * sb:
            return -math.inf
        return total / (sa * sb) - size_weight * math.log(min(sa, sb))

    # Only joins that reach the threshold enter the heap: a pair's merit changes only when one of its two
    # stories grows, and then it is worked out again.
    heap = [
        (-v, a, b, 0, 0)
        for a, near in sums.items()
        for b, t in near.items()
        if a < b and (v := merit(a, b, t)) >= threshold
    ]
    heapq.heapify(heap)
    while heap:
        negative, a, b, va, vb = heapq.heappop(heap)
        if -negative < threshold:
            break
        if a not in size or b not in size or version[a] != va or version[b] != vb:
            continue  # a story that has changed since: its pairs were pushed again
        average = sums[a][b] / (size[a] * size[b])
        if page_sets[a] & page_sets[b] or average <= max(bars[a], bars[b]):
            continue
        span = max(last.get(a, -math.inf), last.get(b, -math.inf)) - min(first.get(a, math.inf), first.get(b, math.inf))
        if span > settings.max_days:
            continue
        keep, gone = (a, b) if len(sums[a]) >= len(sums[b]) else (b, a)
        for other, value in sums.pop(gone).items():
            if other == keep:
                continue
            sums[keep][other] = sums[keep].get(other, 0.0) + value
            sums[other][keep] = sums[other].get(keep, 0.0) + value
            del sums[other][gone]
        del sums[keep][gone]
        size[keep] += size.pop(gone)
        page_sets[keep] |= page_sets.pop(gone)
        bars[keep] = max(bars[keep], bars.pop(gone))
        first[keep] = min(first.get(keep, math.inf), first.pop(gone, math.inf))
        last[keep] = max(last.get(keep, -math.inf), last.pop(gone, -math.inf))
        version[keep] += 1
        del version[gone]
        parent[gone] = keep
        limit = floor * size[keep]
        for other, total in sums[keep].items():
            if total < limit * size[other]:
                continue  # its average falls short: so does its merit
            x, y = min(keep, other), max(keep, other)
            value = merit(x, y, total)
            if value >= threshold:
                heapq.heappush(heap, (-value, x, y, version[x], version[y]))
    return [find(n) for n in range(count)]
