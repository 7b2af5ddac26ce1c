"""How many worker processes the analyses use, and how work is cut for them.

Cleaning, counting and measuring text is pure Python, so threads would wait
on each other; each of those steps hands contiguous parts of its input to
worker processes (joblib's reusable pool, so they start once per run) and
joins the results in input order.
"""

from __future__ import annotations

import os
from itertools import pairwise

# Past four processes, pickling the text to them costs more than it saves.
DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 4))


def even_parts(length: int, count: int) -> list[slice]:
    """``count`` contiguous slices covering ``range(length)``, as even as can be."""
    bounds = [round(part * length / count) for part in range(count + 1)]
    return [slice(start, end) for start, end in pairwise(bounds)]
