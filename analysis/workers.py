"""How many worker processes the analyses use, how work is cut for them, and
giving memory back between corpus-wide passes.

Cleaning, counting and measuring text is pure Python, so threads would wait
on each other; each of those steps hands contiguous parts of its input to
worker processes (joblib's reusable pool, so they start once per run) and
joins the results in input order.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import os
from itertools import pairwise

# Past four processes, pickling the text to them costs more than it saves.
DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 4))


def even_parts(length: int, count: int) -> list[slice]:
    """``count`` contiguous slices covering ``range(length)``, as even as can be."""
    bounds = [round(part * length / count) for part in range(count + 1)]
    return [slice(start, end) for start, end in pairwise(bounds)]


def release_free_memory() -> None:
    """Hand memory the process no longer uses back to the system.

    A corpus-wide pass leaves the C allocator holding the space of every text
    and list it built (on 37.5k articles, about half a gigabyte per pass), so
    passes run one after another would each start that much higher. glibc's
    ``malloc_trim`` returns it; elsewhere only the garbage collector runs.
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim`` from the running process's own symbols, or None elsewhere."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
