"""Grouping articles into stories: text similarity discounted by time, then
average-link clustering with a threshold (no number of stories is given).

Edge weight between two neighbouring articles a and b::

    gap(a, b)    = |date(a) - date(b)| in days
    time(a, b)   = exp(-max(gap - grace_days, 0) / decay_days)
    time(a, b)   = missing_date_factor       when either date is unknown
    weight(a, b) = cosine(a, b) · time(a, b)

Average link on the sparse neighbour graph: two groups A and B join while
``sum(weight over edges between A and B) / (|A| · |B|) >= threshold``,
best pair first. Pairs that are not neighbours count as 0, so a group only
grows when most of its members agree. A missing date is not a reason to
split, but asks for stronger text evidence (``missing_date_factor`` < 1).

The defaults were chosen with ``benchmarks/stories_quality.py`` on the
AllSides leads and the seeds (see that script for the numbers).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import UsageError


@dataclass(frozen=True)
class GroupingOptions:
    """How neighbours become stories."""

    threshold: float = 0.15
    neighbours: int = 20
    grace_days: float = 3.0
    decay_days: float = 7.0
    missing_date_factor: float = 0.8

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise UsageError(f"threshold {self.threshold} must be in (0, 1]")
        if self.neighbours < 1:
            raise UsageError(f"neighbours must be at least 1, got {self.neighbours}")
        if self.decay_days <= 0 or self.grace_days < 0:
            raise UsageError("decay_days must be > 0 and grace_days >= 0")
        if not 0 <= self.missing_date_factor <= 1:
            raise UsageError(f"missing_date_factor {self.missing_date_factor} must be in [0, 1]")


def day_numbers(dates) -> np.ndarray:
    """ISO dates (or None) as float day numbers, NaN when unknown or unreadable."""
    parsed = pd.to_datetime(pd.Series(list(dates), dtype=object), errors="coerce", format="ISO8601")
    return ((parsed - pd.Timestamp("1970-01-01")).dt.days).to_numpy(dtype=float)


def time_factor(days: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                options: GroupingOptions = GroupingOptions()) -> np.ndarray:
    """``time(a, b)`` of the module docstring for each pair (rows[i], cols[i])."""
    gap = np.abs(days[rows] - days[cols])
    factor = np.exp(-np.maximum(gap - options.grace_days, 0.0) / options.decay_days)
    return np.where(np.isnan(gap), options.missing_date_factor, factor)


def average_link(n_items: int, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray,
                 threshold: float) -> np.ndarray:
    """Group labels (the smallest member index of each group) for ``n_items``.

    ``rows``/``cols``/``weights`` are graph edges (either direction; the
    larger weight wins for a repeated pair).
    """
    adjacency: list[dict[int, float]] = [dict() for _ in range(n_items)]
    for row, col, weight in zip(rows.tolist(), cols.tolist(), weights.tolist()):
        if row != col and weight > adjacency[row].get(col, 0.0):
            adjacency[row][col] = weight
            adjacency[col][row] = weight
    size = [1] * n_items
    version = [0] * n_items
    parent = list(range(n_items))
    heap = [(-weight, row, col, 0, 0) for row in range(n_items)
            for col, weight in adjacency[row].items() if row < col and weight >= threshold]
    heapq.heapify(heap)
    while heap:
        _, first, second, first_version, second_version = heapq.heappop(heap)
        if version[first] != first_version or version[second] != second_version:
            continue  # stale: one side has grown since this entry was pushed
        if parent[first] != first or parent[second] != second:
            continue
        keep, gone = (first, second) if size[first] >= size[second] else (second, first)
        _merge_into(adjacency, keep, gone)
        size[keep] += size[gone]
        parent[gone] = keep
        version[keep] += 1
        version[gone] += 1
        for other, total in adjacency[keep].items():
            average = total / (size[keep] * size[other])
            if average >= threshold:
                heapq.heappush(heap, (-average, keep, other, version[keep], version[other]))
    roots = np.array([_root(parent, item) for item in range(n_items)], dtype=np.int64)
    smallest = pd.Series(np.arange(n_items)).groupby(roots).transform("min").to_numpy()
    return smallest


def _merge_into(adjacency: list[dict[int, float]], keep: int, gone: int) -> None:
    for other, total in adjacency[gone].items():
        if other == keep:
            continue
        merged = adjacency[keep].get(other, 0.0) + total
        adjacency[keep][other] = merged
        adjacency[other][keep] = merged
        del adjacency[other][gone]
    adjacency[keep].pop(gone, None)
    adjacency[gone] = {}


def _root(parent: list[int], item: int) -> int:
    while parent[item] != item:
        item = parent[item]
    return item
