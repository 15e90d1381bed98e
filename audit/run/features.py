"""Story features travel and wait packed: one pickled bytes object a page until grouping reads them.

A page's story features (audit.link.stories.article_features: bags of words and weights) are worked out
where the page is read, in a worker. Held as Python objects from then on, the main process would keep
every page's (a few kilobytes each, several hundred megabytes at 100,000 articles) from reading until the
grouping ends, interleaved with the pages' own objects (so that memory, once freed, stays the process's).
Packed, a page's features are one bytes object until grouping iterates them: then they are unpacked, all
pages' at once, their words and weights held once across pages; and let go with the pages after grouping.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import fields, replace
from typing import Any


class PackedFeatures:
    """A page's story features (one per article), pickled; a sequence of them again once first read."""

    __slots__ = ("_count", "_data", "_signals")

    def __init__(self, data: bytes, count: int) -> None:
        self._data, self._count, self._signals = data, count, None

    @classmethod
    def of(cls, features: tuple[Any, ...]) -> PackedFeatures:
        """The features of a page's articles, packed."""
        return cls(pickle.dumps(tuple(features), protocol=5), len(features))

    def signals(self) -> tuple[Any, ...]:
        """The features, unpacked the first time (words and weights shared with other pages'), then kept."""
        if self._signals is None:
            self._signals = tuple(_shared(record) for record in pickle.loads(self._data))
            self._data = b""
        return self._signals

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        return iter(self.signals())

    def __getitem__(self, index):
        return self.signals()[index]

    def __reduce__(self):
        data = self._data if self._signals is None else pickle.dumps(self._signals, protocol=5)
        return PackedFeatures, (data, self._count)

    def __repr__(self) -> str:
        return f"PackedFeatures({self._count} articles)"


def _shared(record: Any) -> Any:
    """A frozen record whose strings (in dictionaries' keys, tuples and sets) are interned and whose weights
    (dictionaries' float values) are held once across pages (a million weights are a few thousand values)."""
    changes = {}
    for column in fields(record):
        value = getattr(record, column.name)
        if isinstance(value, dict):
            changes[column.name] = {_intern(k): _one(v) for k, v in value.items()}
        elif isinstance(value, tuple | frozenset):
            changes[column.name] = type(value)(_intern(v) for v in value)
    return replace(record, **changes)


def _intern(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


#: Each weight value met in a story feature, held once (see `_shared`).
_WEIGHTS: dict[float, float] = {}


def _one(value: Any) -> Any:
    """A float held once across pages (the same value: zeros and NaN kept as they are, their sign and
    identity being what equality cannot tell apart)."""
    if type(value) is not float or value == 0.0 or value != value:
        return value
    return _WEIGHTS.setdefault(value, value)
