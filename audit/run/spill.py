"""What waits in a temporary file: pages' packed claims rows as they arrive (read back once, in corpus order),
and the pages themselves with their shingles for copies and their articles' story features from the moment
they are read (audit.run.pages).

At 100,000 pages the packed rows are a few hundred megabytes that nothing reads until every page is
extracted; held in memory they would sit on top of the grouping's peak (which runs beside extraction). The
pages are read back a chunk at a time to be extracted, and by the report after the reconciler's frames are gone.
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Iterator, Sequence

_PREAD = hasattr(os, "pread")  # not on Windows


class Spilled:
    """Pages' bytes (packed rows, pickled pages, shingles) kept in a temporary file: `append` as they arrive (in
    any order), `arrange` in the order wanted, then `len`, iterate (each page read back when its turn comes)
    or `read` one by its slot, and `clear`."""

    def __init__(self) -> None:
        # No name on disk (gone when closed); open as long as the pages are kept, closed by `clear`.
        self._file = tempfile.TemporaryFile(prefix="audit-claims-")  # noqa: SIM115
        self._offsets, self._sizes, self._order = array("q"), array("q"), array("q")
        self._end = 0

    def append(self, page: bytes) -> int:
        """Write one page's packed rows; its slot number (0, 1, 2 ... as appended)."""
        self._file.write(page)
        self._offsets.append(self._end)
        self._sizes.append(len(page))
        self._end += len(page)
        return len(self._sizes) - 1

    def arrange(self, slots: Sequence[int]) -> None:
        """The pages to give back, by slot number, in this order."""
        self._order = array("q", slots)

    def __len__(self) -> int:
        return len(self._order)

    @property
    def total_bytes(self) -> int:
        """The bytes of every page appended (what reading them all back reads)."""
        return self._end

    def read(self, slot: int, length: int = -1) -> bytes:
        """One page's bytes (its first `length` of them, when given), by its slot number (appending again
        continues at the end)."""
        size = self._sizes[slot] if length < 0 else min(length, self._sizes[slot])
        if _PREAD:  # one call, the file's position left at its end
            self._file.flush()
            return os.pread(self._file.fileno(), size, self._offsets[slot])
        self._file.seek(self._offsets[slot])
        page = self._file.read(size)
        self._file.seek(self._end)
        return page

    def __iter__(self) -> Iterator[bytes]:
        """Each page's packed rows in the arranged order, read back one at a time (none once cleared)."""
        if self._file.closed:
            return
        self._file.flush()
        for slot in self._order:
            self._file.seek(self._offsets[slot])
            yield self._file.read(self._sizes[slot])
        self._file.seek(self._end)  # appending again continues at the end

    def clear(self) -> None:
        """Let every page go (the file is deleted)."""
        self._file.close()
        self._offsets, self._sizes, self._order = array("q"), array("q"), array("q")

    def __del__(self) -> None:
        self._file.close()
