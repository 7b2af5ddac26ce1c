"""Grouping articles into stories: text similarity discounted by time, then
average-link clustering with a threshold (no number of stories is given).

Edge weight between two neighbouring articles a and b::

    gap(a, b)    = |date(a) - date(b)| in days
    time(a, b)   = exp(-max(gap - grace_days, 0) / decay_days)
    time(a, b)   = missing_date_factor       when either date is unknown
    weight(a, b) = cosine(a, b) · time(a, b)

Candidate edges come from :func:`story_edges`: each article's best
neighbours among the articles close enough in time to matter.

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
import scipy.sparse as sp
from sparse_dot_topn import sp_matmul_topn

from analysis.errors import UsageError
from analysis.similarity import NeighbourOptions, NeighbourPairs, top_neighbours


@dataclass(frozen=True)
class GroupingOptions:
    """How neighbours become stories."""

    threshold: float = 0.15
    neighbours: int = 20
    grace_days: float = 3.0
    decay_days: float = 7.0
    missing_date_factor: float = 0.8
    window_days: float = 30.0

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise UsageError(f"threshold {self.threshold} must be in (0, 1]")
        if self.neighbours < 1:
            raise UsageError(f"neighbours must be at least 1, got {self.neighbours}")
        if self.decay_days <= 0 or self.grace_days < 0:
            raise UsageError("decay_days must be > 0 and grace_days >= 0")
        if self.window_days <= self.grace_days:
            raise UsageError("window_days must be larger than grace_days")
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


def story_edges(matrix: sp.csr_matrix, days: np.ndarray,
                options: GroupingOptions = GroupingOptions()) -> NeighbourPairs:
    """Each article's best ``neighbours`` among those that could share its story.

    A dated article is only compared with articles dated within about two
    ``window_days`` of it (same, previous or next window) and with undated
    ones: beyond that the time factor is below exp(-(window_days -
    grace_days) / decay_days) and no edge could reach the threshold. Undated
    articles are compared with everything. This keeps the search local in
    time, so a corpus spanning years costs about one window's worth of
    pairs per article.
    """
    neighbour_options = NeighbourOptions.for_k(options.neighbours)
    dated = np.flatnonzero(~np.isnan(days))
    undated = np.flatnonzero(np.isnan(days))
    window = np.floor(days[dated] / options.window_days).astype(np.int64)
    parts = []
    if len(undated):
        parts.append(top_neighbours(matrix, neighbour_options, query_rows=undated))
    for block in np.unique(window):
        queries = dated[window == block]
        partners = dated[np.abs(window - block) <= 1]
        parts.append(_within(matrix, queries, partners, options.neighbours, neighbour_options.threads))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return NeighbourPairs(empty, empty, np.zeros(0, dtype=np.float32))
    return NeighbourPairs(np.concatenate([part.row for part in parts]),
                          np.concatenate([part.neighbour for part in parts]),
                          np.concatenate([part.score for part in parts]))


def _within(matrix: sp.csr_matrix, queries: np.ndarray, partners: np.ndarray, k: int,
            threads: int) -> NeighbourPairs:
    """Exact top-k of ``queries`` among ``partners`` (row numbers of ``matrix``)."""
    product = sp_matmul_topn(matrix[queries], matrix[partners].T.tocsr(), top_n=k + 1,
                             n_threads=threads).tocoo()
    rows, cols = queries[product.row], partners[product.col]
    keep = (rows != cols) & (product.data > 0)
    return NeighbourPairs(rows[keep], cols[keep], product.data[keep])


def average_link(n_items: int, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray,
                 threshold: float) -> np.ndarray:
    """Group labels (the smallest member index of each group) for ``n_items``.

    ``rows``/``cols``/``weights`` are graph edges (either direction; the
    larger weight wins for a repeated pair).
    """
    adjacency: list[dict[int, float]] = [{} for _ in range(n_items)]
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
