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

from audit.link.arrays import sorted_distinct
from audit.link.stories.features import Matrices
from audit.link.stories.rows import Rows, row_products

#: Pairs worked out at a time: the rows scipy takes out for them (and the copies its product makes) and the
#: dozen signals of each stay a few tens of MB whatever the folder's size.
PAIR_CHUNK = 16_384


def _row_products(matrix, rows, cols, chunk: int = PAIR_CHUNK):
    """Dot product of row `rows[k]` and row `cols[k]` of a CSR matrix, for every k (numpy array); in chunks
    of pairs (see PAIR_CHUNK)."""
    import numpy as np

    out = np.zeros(len(rows))
    for start in range(0, len(rows), chunk):
        r, c = rows[start : start + chunk], cols[start : start + chunk]
        if isinstance(matrix, Rows):  # a small folder's rows: the same products without scipy
            out[start : start + len(r)] = row_products(matrix, r, c)
        else:
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


def pair_scores(m: Matrices, rows, cols, settings: Any, chunk: int = PAIR_CHUNK):
    """The story score of each pair (rows[k], cols[k]) of articles (numpy float array), worked out `chunk`
    pairs at a time into the one array: the dozen signals of a chunk are summed and let go before the next."""
    import numpy as np

    out = np.empty(len(rows))
    for start in range(0, len(rows), chunk):
        r, c = rows[start : start + chunk], cols[start : start + chunk]
        out[start : start + len(r)] = _score(pair_signals(m, r, c, settings), settings, len(r))
    return out


def _score(signals: dict[str, Any], settings: Any, count: int):
    """The weighted sum of `count` pairs' signals (pair_signals)."""
    import numpy as np

    score = np.zeros(count)
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


def _story_edges(root, rows, cols, scores, across, chunk: int = PAIR_CHUNK):
    """Every two stories with a compared pair across pages, as codes (lower story * count + higher, sorted),
    and the sum of their pair scores (numpy arrays), added up in pair order. A chunk of pairs at a time:
    no array of the stories of every pair beside the pairs."""
    import numpy as np

    spans = [(start, start + chunk) for start in range(0, len(rows), chunk)]
    # Duplicates (pairs of copies) go as the chunks come, then across chunks.
    codes = [sorted_distinct(_edge_codes(root, rows[a:b], cols[a:b], across[a:b])[0], in_place=True) for a, b in spans]
    edges = sorted_distinct(np.concatenate(codes) if codes else np.zeros(0, np.int64), in_place=True)
    del codes
    totals = np.zeros(len(edges))
    for a, b in spans:  # np.add.at adds in pair order, as a single np.bincount over every pair would
        found, apart = _edge_codes(root, rows[a:b], cols[a:b], across[a:b])
        np.add.at(totals, np.searchsorted(edges, found), scores[a:b][apart])
    return edges, totals


def _edge_codes(root, rows, cols, across):
    """The stories' code (lower * count + higher) of each pair across pages between two stories, and which
    pairs those are (numpy boolean array)."""
    import numpy as np

    a, b = root[rows], root[cols]
    apart = across & (a != b)
    a, b = a[apart], b[apart]
    return np.minimum(a, b).astype(np.int64) * len(root) + np.maximum(a, b), apart


def _roots(count: int, joined: Sequence[tuple[int, int]]):
    """Each article's story before grouping (numpy array): its own, or its original's for a copy."""
    import numpy as np

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
    # Article numbers in 32 bits while they fit: the story arrays below are a few per compared pair.
    return np.asarray([find(n) for n in range(count)], dtype=np.int32 if count < 2**31 else np.int64)


class _Stories:
    """The stories while they join, on arrays indexed by a story's representative article, and the edges
    between them (two stories with a compared pair, and the sum of their pair scores), each held once.

    A story's edges are a list of edge numbers (`incident`); an edge merged away is marked dead and dropped
    from a list when its story next joins, so no join rewrites the lists of the stories around it."""

    def __init__(self, count: int, root, pages: Sequence[int], days, bar_of, settings: Any) -> None:
        import numpy as np

        self.size = np.bincount(root, minlength=count)
        self.alive = self.size > 0
        self.version = np.zeros(count, dtype=np.int64)
        self.bars = np.full(count, -math.inf)
        np.maximum.at(self.bars, root, bar_of)
        dated = ~np.isnan(days)
        self.first, self.last = np.full(count, math.inf), np.full(count, -math.inf)
        np.minimum.at(self.first, root[dated], days[dated])
        np.maximum.at(self.last, root[dated], days[dated])
        self.pages: dict[int, set[int]] = {}
        for story, page in zip(root.tolist(), pages, strict=True):
            self.pages.setdefault(story, set()).add(page)
        self.parent = root.copy()
        self.threshold, self.size_weight = settings.threshold, settings.size_weight
        # The size term only lowers a join's merit, so a pair whose average falls short is not worked out.
        self.floor = self.threshold if self.size_weight >= 0 else -math.inf
        self.logs = np.array([0.0, *(math.log(n) for n in range(1, count + 1))])  # math.log: as before, to the bit

    def connect(self, edges, totals) -> None:
        """The edges between the first stories (codes lower * count + higher, and their sums of pair
        scores), and each story's list of them."""
        import numpy as np

        count, ids = len(self.size), self.parent.dtype
        self.ends = np.empty((2, len(edges)), dtype=ids)  # the lower stories, then the higher
        np.floor_divide(edges, count, out=self.ends[0])
        np.remainder(edges, count, out=self.ends[1])
        self.value, self.live = totals, np.ones(len(totals), dtype=bool)
        ends = self.ends.ravel()
        self.degree = np.bincount(ends, minlength=count)
        self.starts = np.concatenate([[0], np.cumsum(self.degree)])
        order = np.argsort(ends, kind="stable")
        np.remainder(order, max(len(totals), 1), out=order)
        self.flat = order.astype(ids)
        self.own: dict[int, Any] = {}  # a joined story's own list of edges

    def incident(self, story: int):
        """The live edges of a story and the story at each one's other end."""
        edges = self.own.get(story)
        if edges is None:
            edges = self.flat[self.starts[story] : self.starts[story + 1]]
        edges = edges[self.live[edges]]
        first = self.ends[0, edges]
        return edges, first + self.ends[1, edges] - story

    def merits(self, x, y, totals):
        """The merit of joining stories x[k] and y[k] from the sum of their pair scores; -inf where the
        average falls short of the floor."""
        import numpy as np

        sx, sy = self.size[x], self.size[y]
        merit = totals / (sx * sy) - self.size_weight * self.logs[np.minimum(sx, sy)]
        merit[totals < self.floor * sx * sy] = -math.inf
        return merit

    def first_joins(self):
        """Every two first stories whose join reaches the threshold, in the heap's order (best merit, then
        story numbers): arrays of the negated merit, the two stories and their sum of pair scores."""
        import numpy as np

        x, y = self.ends
        merit = self.merits(x, y, self.value)
        keep = np.flatnonzero(merit >= self.threshold)
        negative, x, y, totals = -merit[keep], x[keep], y[keep], self.value[keep]
        order = np.lexsort((y, x, negative))
        return negative[order], x[order], y[order], totals[order]

    def refused(self, a: int, b: int, total: float, max_days: float) -> bool:
        """Whether two stories may not join (see the module docstring)."""
        average = total / (int(self.size[a]) * int(self.size[b]))
        if self.pages[a] & self.pages[b] or average <= max(self.bars[a], self.bars[b]):
            return True
        span = max(self.last[a], self.last[b]) - min(self.first[a], self.first[b])
        return bool(span > max_days)

    def join(self, a: int, b: int) -> list[tuple]:
        """Join two stories; the heap entries of the joined story's joins that reach the threshold."""
        import numpy as np

        keep, gone = (a, b) if self.degree[a] >= self.degree[b] else (b, a)
        kept, near = self.incident(keep)
        taken, far = self.incident(gone)
        between = near == gone
        self.live[kept[between]] = False
        kept, near = kept[~between], near[~between]
        taken, far = taken[far != keep], far[far != keep]
        common, at_kept, at_taken = np.intersect1d(near, far, assume_unique=True, return_indices=True)
        self.value[kept[at_kept]] += self.value[taken[at_taken]]
        self.live[taken[at_taken]] = False
        self.degree[common] -= 1
        moved = np.ones(len(taken), dtype=bool)
        moved[at_taken] = False
        taken, far = taken[moved], far[moved]
        self.ends[:, taken] = np.where(self.ends[:, taken] == gone, keep, self.ends[:, taken])
        edges, others = np.concatenate([kept, taken]), np.concatenate([near, far])
        self.own.pop(gone, None)
        self.own[keep] = edges
        self.degree[keep] = len(edges)
        self.size[keep] += self.size[gone]
        self.alive[gone] = False
        self.pages[keep] |= self.pages.pop(gone)
        self.bars[keep] = max(self.bars[keep], self.bars[gone])
        self.first[keep] = min(self.first[keep], self.first[gone])
        self.last[keep] = max(self.last[keep], self.last[gone])
        self.version[keep] += 1
        self.parent[gone] = keep
        totals = self.value[edges]
        near_enough = ~(totals < self.floor * self.size[keep] * self.size[others])
        x, y = np.minimum(keep, others), np.maximum(keep, others)
        merit = self.merits(x, y, totals)
        chosen = np.flatnonzero(near_enough & (merit >= self.threshold))
        x, y = x[chosen], y[chosen]
        return list(
            zip(
                (-merit[chosen]).tolist(),
                x.tolist(),
                y.tolist(),
                self.version[x].tolist(),
                self.version[y].tolist(),
                totals[chosen].tolist(),
                strict=True,
            )
        )

    def stories(self) -> list[int]:
        """The story of every article: the story it ended in."""
        parent = self.parent
        while True:
            up = parent[parent]
            if (up == parent).all():
                return parent.tolist()
            parent = up


def first_stories(
    count: int,
    rows,
    cols,
    scores,
    pages: Sequence[int],
    days: Sequence[float],
    joined: Sequence[tuple[int, int]],
    settings: Any,
) -> _Stories:
    """The stories of `count` articles before any join (an article's own, or its original's for a copy) and
    the edges between them, from the scored pairs: what `group` joins (the pairs are not read after)."""
    import numpy as np

    root = _roots(count, joined)
    bar_of, across = _page_bars(rows, cols, scores, np.asarray(pages, dtype=root.dtype), count)
    state = _Stories(count, root, pages, np.asarray(days, dtype=np.float64), bar_of, settings)
    state.connect(*_story_edges(root, rows, cols, scores, across))
    return state


def group(state: _Stories, settings: Any) -> list[int]:
    """The story (a representative article number) of each article of the first stories; see the module
    docstring."""
    # Only joins that reach the threshold enter the heap: a pair's merit changes only when one of its two
    # stories grows, and then it is worked out again (the versions tell an entry gone stale).
    heap: list[tuple] = []
    alive, version, threshold = state.alive, state.version, settings.threshold
    for negative, a, b, va, vb, total in _in_order(state.first_joins(), heap):
        if -negative < threshold:
            break
        if not (alive[a] and alive[b]) or version[a] != va or version[b] != vb:
            continue  # a story that has changed since: its pairs were pushed again
        if state.refused(a, b, total, settings.max_days):
            continue
        for entry in state.join(a, b):
            heapq.heappush(heap, entry)
    return state.stories()


def _in_order(first, heap: list[tuple]):
    """The heap's entries in order, best first: the first joins (sorted arrays, versions 0: held as arrays,
    not as a tuple each) and the entries pushed on `heap` since, as one stream."""
    negative, x, y, totals = first
    at, count, head = 0, len(negative), None
    while at < count or heap:
        if head is None and at < count:
            head = (negative[at].item(), x[at].item(), y[at].item(), 0, 0, totals[at].item())
        if head is not None and (not heap or head < heap[0]):
            at, entry, head = at + 1, head, None
            yield entry
        else:
            yield heapq.heappop(heap)
