"""Memory freed by a stage given back to the system, so the next stage's peak does not sit on top of it.

The corpus-level steps (copies, stories) free hundreds of megabytes of arrays at 100,000 articles; the C
library keeps freed blocks for reuse by its own allocator, but polars allocates with its own, so the
reconciler's frames would otherwise grow on top of memory nothing uses.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache


@lru_cache(maxsize=1)
def _trim():
    """glibc's malloc_trim, or None where the C library has none (macOS, musl)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the symbols this process has loaded: no library search
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_memory() -> None:
    """Give the C library's free memory back to the system (where it can; a no-op elsewhere)."""
    trim = _trim()
    if trim is not None:
        trim(0)
