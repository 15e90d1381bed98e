"""Copies across sources: articles that share word shingles, which is the original, which sources copy.

An article is named across the corpus by `article_key`: an `ArticleRef` ("<source id>#<index>") written out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from audit.ingest.page import Layout
from audit.link.arrays import sorted_distinct
from audit.model import Article, ArticleRef, Document

_WORD = re.compile(r"\w+")


def article_key(document: Document, article: Article) -> str:
    """How an article is named across the corpus: "<source id>#<index>"."""
    return ArticleRef(document.source.source_id, article.index).key


def _body_text(document: Document, article: Article) -> str:
    """An article's clean body as one string."""
    return " ".join(document.text[s:e] for s, e in article.body)


def _shingles(words: Sequence[str], size: int) -> np.ndarray:
    """The hashed runs of `size` words of a text, in text order (one shingle for a shorter text), as an
    int64 array: a corpus's shingles held as Python ints and sets took gigabytes at 100,000 articles."""
    if len(words) < size:
        return np.array([hash(tuple(words))] if words else [], dtype=np.int64)
    runs = zip(*(words[i:] for i in range(size)), strict=False)  # the tuples words[i : i + size]
    return np.fromiter(map(hash, runs), dtype=np.int64, count=len(words) - size + 1)


def _sample(shingles: np.ndarray, count: int = 16) -> np.ndarray:
    """Shingles at evenly spaced places of a text: enough to find any text that shares half of it."""
    step = max(1, len(shingles) // count)
    return shingles[::step]


@dataclass(frozen=True)
class ShingleTable:
    """The articles that may be copies (at least `copy_min_shingles` distinct shingles), their distinct
    shingles (sorted within each article) one article after another, and their sampled shingles likewise:
    flat int64 arrays and counts, never an array an article (the corpus's shingles are held once). Read from
    the pages, a shingle no other article holds is left out (most of a corpus's are their own article's, and
    count towards no pair): `sizes` still counts every distinct shingle (what a share is of), `held_sizes`
    those in `shingles`."""

    eligible: np.ndarray  # article numbers
    shingles: np.ndarray
    sizes: np.ndarray  # distinct shingles of each eligible article
    samples: np.ndarray
    sample_sizes: np.ndarray  # sampled shingles of each eligible article in `samples`
    held_sizes: np.ndarray | None = None  # distinct shingles of each eligible article in `shingles` (None: all)


@dataclass(frozen=True)
class SharedShingles:
    """What `_copy_pairs` counts: the articles that may be copies, their counts of distinct shingles, and the
    shingles two to MAX_HOLDERS articles hold (columns numbered in their sorted order) as each article's row
    of a 0/1 matrix (CSR arrays, int32), its sampled ones as (rows, columns). Built from a ShingleTable, which
    is let go: the corpus's shingles are never held beside the matrices."""

    eligible: np.ndarray
    sizes: np.ndarray
    held_ptr: np.ndarray  # row starts in `held_cols` (one more than the articles)
    held_cols: np.ndarray  # each article's columns, sorted
    probe: tuple[np.ndarray, np.ndarray]  # (rows, columns) of the sampled shingles
    width: int  # columns


def page_shingles(document: Document, layout: Layout) -> bytes:
    """One page's rows of the shingle table (see ShingleTable), packed as int64s: its article count, each
    article's count of distinct shingles (0: too few to be a copy) and of sampled ones, then every kept
    article's distinct shingles, then their sampled ones. Worked out where the page arrives, in one process
    (`hash` of a str differs from process to process), so the page's text need not be kept for copies."""
    size, minimum = layout.page.copy_shingle_words, max(layout.page.copy_min_shingles, 1)
    counts, distinct, samples = [len(document.articles)], [], []
    for article in document.articles:
        shingles = _shingles(_WORD.findall(_body_text(document, article).lower()), size)
        own = sorted_distinct(shingles)
        if len(own) < minimum:
            counts += [0, 0]
            continue
        sample = _sample(shingles)
        counts += [len(own), len(sample)]
        distinct.append(own)
        samples.append(sample)
    return np.concatenate([np.array(counts, dtype=np.int64), *distinct, *samples]).tobytes()


def shingle_table(pages: Iterable[bytes]) -> ShingleTable:
    """The shingle table of pages' `page_shingles`, in corpus order, read twice (a one-pass iterable is
    listed first): once to count each shingle's holders in buckets, then to keep only the shingles whose
    bucket two articles or more filled. Exact: every holder of a shared shingle fills its bucket, so each is
    kept; the few unshared ones a bucket keeps by chance are counted, and left out, by `shared_shingles`.
    A re-readable store of pages (audit.run.spill.Spilled) is cleared once read; a list is emptied."""
    if not hasattr(pages, "clear"):
        pages = list(pages)
    filled = _filled_buckets(pages)
    eligible, sizes, shingle_sizes, sample_sizes, distinct, samples = [], [], [], [], [], []
    for first, kept, own, parts, sampled in _page_rows(pages):
        eligible += (first + kept).tolist()
        sizes += own.tolist()
        _keep_filled(parts, filled, distinct, shingle_sizes)
        _keep_filled(sampled, filled, samples, sample_sizes)
    pages.clear()
    return ShingleTable(
        np.array(eligible, dtype=np.int64),
        _joined(distinct),
        np.array(sizes, dtype=np.int64),
        _joined(samples),
        np.array(sample_sizes, dtype=np.int64),
        np.array(shingle_sizes, dtype=np.int64),
    )


def _keep_filled(parts: list[np.ndarray], filled: np.ndarray, kept: list[np.ndarray], sizes: list[int]) -> None:
    """Each article's shingles whose bucket is `filled`, added to `kept`, and how many, to `sizes`."""
    for part in parts:
        part = part[filled[part & (len(filled) - 1)]]
        sizes.append(len(part))
        kept.append(part)


#: Shingles whose buckets are filled at a time (bounds the counting's working arrays).
COUNT_CHUNK = 1 << 17


def _filled_buckets(pages: Iterable[bytes]) -> np.ndarray:
    """Whether two articles or more hold a shingle of each bucket (a shingle's bucket: its low bits), over
    about two buckets a shingle, so that few unshared shingles share a bucket by chance: a byte a bucket
    (where the shingles would take eight and a sort of them eight more)."""
    # Sized by the pages' int64s (a few more than their shingles: counts and samples too), not read for it.
    total = pages.total_bytes if hasattr(pages, "total_bytes") else sum(len(page) for page in pages)
    holders = np.zeros(_bucket_count(total // 8), dtype=np.uint8)  # 0, 1 or 2: two or more
    waiting: list[np.ndarray] = []
    held = 0
    for _, _, _, parts, _ in _page_rows(pages):
        waiting += parts
        held += sum(len(part) for part in parts)
        if held >= COUNT_CHUNK:
            _fill(holders, waiting)
            held = 0
    _fill(holders, waiting)
    return holders >= 2


def _bucket_count(shingles: int) -> int:
    """Buckets for about that many shingles: a power of two (a bucket is a shingle's low bits), two to four a
    shingle."""
    return 1 << max(10, (2 * shingles).bit_length())


def _fill(holders: np.ndarray, parts: list[np.ndarray]) -> None:
    """Count the holders of the shingles of `parts` (each article's distinct ones) in their buckets, up to
    two; the list emptied."""
    if not parts:
        return
    buckets, counts = np.unique(np.concatenate(parts) & (len(holders) - 1), return_counts=True)
    holders[buckets] = np.minimum(holders[buckets].astype(np.int64) + counts, 2)
    parts.clear()


def _page_rows(pages: Iterable[bytes]):
    """Each page's rows of the shingle table as `page_shingles` packed them: its first article's corpus
    number, its kept articles (numbers within the page), their counts of distinct shingles, and their
    distinct shingles and their sampled ones (an array an article, views of the page's bytes)."""
    first = 0  # the corpus number of the page's first article
    for page in pages:
        values = np.frombuffer(page, dtype=np.int64)
        count = int(values[0])
        own, sampled = values[1 : 1 + 2 * count : 2], values[2 : 2 + 2 * count : 2]
        kept = np.flatnonzero(own)
        lengths = np.concatenate((own[kept], sampled[kept]))
        ends = 1 + 2 * count + np.cumsum(lengths)
        cuts = [values[end - length : end] for end, length in zip(ends.tolist(), lengths.tolist(), strict=True)]
        yield first, kept, own[kept], cuts[: len(kept)], cuts[len(kept) :]
        first += count


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    """Arrays one after another in one int64 array (the list emptied as it goes)."""
    out = np.concatenate(arrays) if arrays else np.zeros(0, np.int64)
    arrays.clear()
    return out


def find_copies(
    documents: Sequence[Document], layout: Layout, shingles: Iterable[bytes] | None = None
) -> tuple[list[Document], dict[str, str]]:
    """Mark articles that copy another source's article (shared word shingles), and sources that are copies.

    Two articles are copies when at least `copy_threshold` of the shorter one's shingles appear in the
    other (exact count), and one of them holds one of sixteen evenly spaced shingles of the other: a
    shared run of text longer than a sixteenth of the shorter article always holds a sampled shingle.
    Of two copies the earlier-published is the original; on a tie, the source that sorts first.
    A source is a copy of another when most of its body text is copied from that source.
    A shingle more than `MAX_HOLDERS` articles hold is boilerplate, not a copied text: it counts as
    unshared (a wire story is repeated by hundreds of outlets; no real folder comes near the cap). Linear:
    each shared shingle pairs at most that many articles (see `_copy_pairs`), never all with all.

    `shingles`, when given, are the pages' `page_shingles` in order (worked out as they were read; a list
    of them emptied): the documents need no text then, only their sources, articles, bodies' spans and dates.
    """
    items = [(d, a) for d in documents for a in d.articles]
    pages = shingles if shingles is not None else [page_shingles(d, layout) for d in documents]
    copy, original, first = _best_originals(items, shared_shingles(shingle_table(pages)), layout)
    best = dict(zip(copy.tolist(), original.tolist(), strict=True))
    # Chains are followed in the order copies were first met (pairs sorted by their later article).
    origin = {number: best[number] for number in copy[np.argsort(first, kind="stable")].tolist()}
    for number in origin:  # follow chains (a copy of a copy) to the first original
        seen = {number}
        while origin[number] in origin and origin[origin[number]] not in seen:
            seen.add(origin[number])
            origin[number] = origin[origin[number]]
    marked = {number: article_key(*items[source]) for number, source in origin.items() if source != number}
    out, position = [], 0
    for document in documents:
        articles = []
        for article in document.articles:
            articles.append(replace(article, copy_of=marked.get(position, "")) if position in marked else article)
            position += 1
        out.append(replace(document, articles=tuple(articles)))
    return out, source_copies(out)


#: A shingle held by more articles than this counts as unshared (boilerplate); it bounds the work of
#: each shingle, so finding copies grows with the folder, not its square. ECB+'s 895 pages: at most 27;
#: benchmarks/scale.py's 100,000 articles: 1,331 (the copies are the same as with no cap).
MAX_HOLDERS = 2048
#: Shared shingles met (pairs counted) by one sparse product at most: a block of articles is counted
#: against all the others at once, as many articles a block as keep its product about this size (at 10k
#: articles 2M pairs a block: the copies' peak 64 -> 50 MB above the pages, in the same time; smaller blocks
#: lower it no further).
BLOCK_WORK = 2_000_000


def _best_originals(items, table: SharedShingles, layout: Layout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each copied article (numbers, arrays), its closest original, and the place of its first pair in
    the order (later article, earlier article): the closest original has the largest share, then comes
    first in the corpus."""
    one, two, share = _copy_pairs(table, [d.source.source_id for d, _ in items], layout)
    days = np.array([_ordinal(a.published) for _, a in items], dtype=np.int64)
    order = sorted(range(len(items)), key=lambda n: (items[n][0].source.source_id, items[n][1].index))
    rank = np.empty(len(items), dtype=np.int64)
    rank[order] = np.arange(len(items))
    # (copy, original) of each pair, as `_copy_direction` tells it for (later, earlier)
    dated = (days[two] >= 0) & (days[one] >= 0) & (days[two] != days[one])
    later_first = np.where(dated, days[two] < days[one], rank[two] <= rank[one])
    copy, original = np.where(later_first, one, two), np.where(later_first, two, one)
    met = np.empty(len(one), dtype=np.int64)
    met[np.lexsort((one, two))] = np.arange(len(one))
    pick = np.lexsort((original, -share, copy))  # per copy: the largest share, then the first original
    copy, original, met = copy[pick], original[pick], met[pick]
    head = np.ones(len(copy), dtype=bool)
    head[1:] = copy[1:] != copy[:-1]
    firsts = np.minimum.reduceat(met, np.flatnonzero(head)) if len(copy) else met
    return copy[head], original[head], firsts


def _copy_pairs(
    table: SharedShingles, sources: Sequence[str], layout: Layout
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (earlier, later: article numbers) of copies, with its share: both of at least
    `copy_min_shingles` shingles, of different sources, sharing `copy_threshold` of the smaller one's
    shingles, one holding a sampled shingle of the other.

    The shared shingles of all pairs are counted by sparse products (articles x shingles, in blocks of
    rows of about BLOCK_WORK pairs met), over the shingles two to MAX_HOLDERS articles hold."""
    threshold = layout.page.copy_threshold
    eligible = table.eligible
    empty = np.zeros(0, np.int64)
    if len(eligible) < 2:
        return empty, empty, np.zeros(0)
    source_ids = {source: n for n, source in enumerate(sorted(set(sources)))}
    source = np.array([source_ids[sources[n]] for n in eligible], dtype=np.int64)
    small = table.sizes
    needed = np.array([_needed(max(count, 1), threshold) for count in range(int(small.max()) + 1)], dtype=np.int64)
    shape = (len(eligible), table.width)
    if int((np.bincount(table.held_cols, minlength=shape[1]).astype(np.int64) ** 2).sum()) <= SMALL_WORK:
        rows = np.repeat(np.arange(shape[0], dtype=np.int32), np.diff(table.held_ptr))
        one, two, share = _small_pairs((rows, table.held_cols), table.probe, shape[0], small, source, needed)
        return eligible[one], eligible[two], share
    held, probe = _held(table), _binary(*table.probe, shape)
    held_t, probe_t = held.T.tocsr(), probe.T.tocsr()
    work = np.cumsum(np.asarray(held @ np.asarray(held_t.sum(axis=1)).ravel()).ravel())  # pairs met, row by row
    cuts = np.searchsorted(work, np.arange(BLOCK_WORK, int(work[-1]) + 1, BLOCK_WORK), side="right")
    bounds = [0, *sorted(set(cuts.tolist()) - {0, len(eligible)}), len(eligible)]
    found = [
        _block_pairs(held, probe, held_t, probe_t, (start, stop), small, source, needed)
        for start, stop in zip(bounds, bounds[1:], strict=False)
    ]
    one = np.concatenate([empty] + [f[0] for f in found])
    two = np.concatenate([empty] + [f[1] for f in found])
    share = np.concatenate([np.zeros(0)] + [f[2] for f in found])
    return eligible[one], eligible[two], share


def _matrices(table: ShingleTable):
    """Articles x shingles, 0/1 sparse matrices: the shingles each article holds, and its sampled ones;
    only shingles two to MAX_HOLDERS articles hold (no other is counted as shared), numbered in their
    sorted order (the numbering changes no count)."""
    shared = shared_shingles(table)
    return _held(shared), _binary(*shared.probe, (len(shared.eligible), shared.width))


def shared_shingles(table: ShingleTable) -> SharedShingles:
    """The shingles of a table two to MAX_HOLDERS articles hold, as `_copy_pairs` counts them."""
    ordered = np.sort(table.shingles)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    holders = np.diff(np.append(starts, len(ordered)))
    kept = ordered[starts[(holders > 1) & (holders <= MAX_HOLDERS)]]
    del ordered, starts, holders
    held_sizes = table.sizes if table.held_sizes is None else table.held_sizes
    rows, cols = _columns(table.shingles, held_sizes, kept)
    ptr = np.zeros(len(table.sizes) + 1, dtype=np.int32 if len(cols) < 2**31 else np.int64)
    np.cumsum(np.bincount(rows, minlength=len(table.sizes)), out=ptr[1:])
    del rows
    probe = _columns(table.samples, table.sample_sizes, kept)
    return SharedShingles(table.eligible, table.sizes, ptr, cols, probe, len(kept))


#: Shared shingles met (pairs counted, the sum of each shingle's holders squared) up to which the pairs are
#: counted shingle by shingle in numpy (`_small_pairs`) instead of by scipy's sparse products: a small
#: folder's run need not import scipy (0.15 s); the same pairs and shares (tests/test_scale_memory.py).
SMALL_WORK = 2_000_000


def _small_pairs(held, probe, count: int, sizes, source, needed):
    """The copy pairs of `_block_pairs` over all the articles at once, from each kept shingle's holders:
    every two articles holding it (the earlier first) met once for it, and whether either holds it among
    its sampled shingles (an article's sampled shingles are among its own: `_block_pairs`' probe test)."""
    rows, cols = held[0].astype(np.int64), held[1].astype(np.int64)
    codes = cols * count + rows
    order = np.argsort(codes, kind="stable")  # by shingle, then article
    rows, cols, codes = rows[order], cols[order], codes[order]
    # the codes are distinct (an article holds a shingle once); the sampled ones are made so
    sampled = np.isin(codes, sorted_distinct(probe[1].astype(np.int64) * count + probe[0]), assume_unique=True)
    met, hit = [np.zeros(0, np.int64)], [np.zeros(0, bool)]
    for gap in range(1, MAX_HOLDERS):
        same = cols[gap:] == cols[:-gap]
        if not same.any():
            break  # no shingle has more than `gap` holders
        met.append(rows[:-gap][same] * count + rows[gap:][same])
        hit.append(sampled[:-gap][same] | sampled[gap:][same])
    pairs, inverse, shared = np.unique(np.concatenate(met), return_inverse=True, return_counts=True)
    probed = np.bincount(inverse.ravel(), weights=np.concatenate(hit), minlength=len(pairs)) > 0
    one, two = np.divmod(pairs, count)
    smaller = np.minimum(sizes[one], sizes[two])
    keep = (source[one] != source[two]) & (shared >= needed[smaller]) & probed
    return one[keep], two[keep], shared[keep] / smaller[keep]


#: Shingles looked up at a time (bounds the lookup's working arrays).
LOOKUP_CHUNK = 1 << 20


def _columns(shingles: np.ndarray, sizes: np.ndarray, kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The row (its article) and column (its place in `kept`) of each of the shingles (`sizes` an article,
    one article after another) that `kept` (sorted) holds."""
    if not len(kept):
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    owner = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    rows, columns = [np.zeros(0, np.int32)], [np.zeros(0, np.int32)]
    for start in range(0, len(shingles), LOOKUP_CHUNK):
        part = shingles[start : start + LOOKUP_CHUNK]
        place = np.minimum(np.searchsorted(kept, part), len(kept) - 1)
        hit = kept[place] == part
        rows.append(owner[start : start + LOOKUP_CHUNK][hit])
        columns.append(place[hit].astype(np.int32))
    return np.concatenate(rows), np.concatenate(columns)


def _binary(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]):
    """A 0/1 sparse matrix (CSR, int32) with ones at (rows, cols) (repeats counted once)."""
    from scipy import sparse

    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=shape)
    matrix.data[:] = 1
    return matrix


def _held(table: SharedShingles):
    """The 0/1 sparse matrix (CSR, int32) of the shingles each article holds: its arrays the table's own
    (an article's columns are distinct and sorted: no coordinate matrix or sort as `_binary` makes)."""
    from scipy import sparse

    ones = np.ones(len(table.held_cols), dtype=np.int32)
    return sparse.csr_matrix((ones, table.held_cols, table.held_ptr), shape=(len(table.eligible), table.width))


def _block_pairs(held, probe, held_t, probe_t, block: tuple[int, int], sizes, source, needed):
    """The copy pairs (row < column) whose earlier article is in the block of rows (start, stop)."""
    start, stop = block
    shared = (held[start:stop] @ held_t).tocoo()
    rows, cols, counts = shared.row.astype(np.int64) + start, shared.col.astype(np.int64), shared.data
    keep = (cols > rows) & (source[rows] != source[cols])
    rows, cols, counts = rows[keep], cols[keep], counts[keep]
    smaller = np.minimum(sizes[rows], sizes[cols])
    keep = counts >= needed[smaller]  # the share test (counts / smaller >= threshold) on integers
    rows, cols, share = rows[keep], cols[keep], counts[keep] / smaller[keep]
    hits = ((probe[start:stop] @ held_t) + (held[start:stop] @ probe_t)).tocoo()
    width = held.shape[0]
    hit_codes = (hits.row.astype(np.int64) + start) * width + hits.col  # distinct: a sum of CSR matrices
    keep = np.isin(rows * width + cols, hit_codes, assume_unique=True)
    return rows[keep], cols[keep], share[keep]


def _needed(count: int, threshold: float) -> int:
    """The fewest shared shingles (at least one) for `count` shingles to reach `threshold`, as divided (count + 1:
    never)."""
    need = max(1, math.ceil(count * threshold))
    while need > 1 and (need - 1) / count >= threshold:  # float rounding: the same test as the share's
        need -= 1
    while need <= count and need / count < threshold:
        need += 1
    return min(need, count + 1)


def source_copies(documents: Sequence[Document]) -> dict[str, str]:
    """Source id -> id of the source most of whose text it copies (only copies appear as keys)."""
    copies: dict[str, str] = {}
    for document in documents:
        total = sum(e - s for a in document.articles for s, e in a.body)
        copied: Counter[str] = Counter()
        for article in document.articles:
            if article.copy_of:
                copied[ArticleRef.parse(article.copy_of).source] += sum(e - s for s, e in article.body)
        if copied and total:
            source, chars = min(copied.items(), key=lambda item: (-item[1], item[0]))
            if chars * 2 >= total and source != document.source.source_id:
                copies[document.source.source_id] = source
    return {k: v for k, v in sorted(copies.items()) if copies.get(v) != k}


def _ordinal(published: str) -> int:
    """The day of a publication date as a day number, -1 when unknown."""
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return -1
