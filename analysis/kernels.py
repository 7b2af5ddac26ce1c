"""Compiled loops (numba) for the few hot spots numpy cannot vectorise.

Each kernel works on plain arrays (CSR parts, row numbers), so callers keep
their scipy/pandas interfaces. ``cache=True`` stores the machine code beside
this file (or in numba's user cache when that is read-only), so only the
first run on a machine pays the compile time (about 2 s).

The parallel kernels run on numba's default threading layer, which must not
be entered from two Python threads at once (the dashboard serves each
session in its own thread), so their public wrappers take a lock.
"""

from __future__ import annotations

import threading

import numba
import numpy as np

_parallel_lock = threading.Lock()


def csr_pair_dots(indptr, indices, data, n_columns, rows, cols, n_chunks) -> np.ndarray:
    """See :func:`_csr_pair_dots`; one caller at a time."""
    with _parallel_lock:
        return _csr_pair_dots(indptr, indices, data, n_columns, rows, cols, n_chunks)


def candidate_neighbours(*arguments):
    """See :func:`_candidate_neighbours`; one caller at a time."""
    with _parallel_lock:
        return _candidate_neighbours(*arguments)


@numba.njit(parallel=True, cache=True)
def _csr_pair_dots(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n_columns: int,
                  rows: np.ndarray, cols: np.ndarray, n_chunks: int) -> np.ndarray:
    """``matrix[rows[p]] · matrix[cols[p]]`` for every pair p of one CSR matrix.

    ``rows`` must be sorted: each chunk scatters a row into a dense buffer
    once and dots all its partners against it, so the work is the partners'
    nonzeros, with no intermediate matrices.
    """
    out = np.zeros(len(rows), dtype=np.float32)
    bounds = np.linspace(0, len(rows), n_chunks + 1).astype(np.int64)
    for chunk in numba.prange(n_chunks):
        buffer = np.zeros(n_columns, dtype=np.float32)
        current = -1
        for pair in range(bounds[chunk], bounds[chunk + 1]):
            row = rows[pair]
            if row != current:
                if current >= 0:
                    for entry in range(indptr[current], indptr[current + 1]):
                        buffer[indices[entry]] = 0.0
                for entry in range(indptr[row], indptr[row + 1]):
                    buffer[indices[entry]] = data[entry]
                current = row
            partner = cols[pair]
            total = np.float32(0.0)
            for entry in range(indptr[partner], indptr[partner + 1]):
                total += data[entry] * buffer[indices[entry]]
            out[pair] = total
    return out


@numba.njit(parallel=True, cache=True)
def _candidate_neighbours(queries: np.ndarray, pruned_indptr: np.ndarray, pruned_indices: np.ndarray,
                         pruned_data: np.ndarray, postings_indptr: np.ndarray, postings_rows: np.ndarray,
                         postings_data: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
                         data: np.ndarray, n_columns: int, candidates: int, n_chunks: int):
    """The ``candidates`` best partners of each query row by pruned score, with exact scores.

    ``pruned_*`` is the pruned CSR matrix, ``postings_*`` its transpose
    (term → rows), and ``indptr/indices/data`` the full CSR matrix. Each
    query's pruned scores against every row are summed in a dense
    accumulator (on news text nearly every row shares some term, so dense
    beats tracking which rows were touched); the best ``candidates`` (the
    query itself excluded) are then scored exactly against the full rows.
    Returns ``(partners, scores)``, each of shape (len(queries),
    candidates); partner -1 marks an empty slot (fewer rows share a term).
    """
    n_rows = len(pruned_indptr) - 1
    partners = np.full((len(queries), candidates), -1, dtype=np.int64)
    scores = np.zeros((len(queries), candidates), dtype=np.float32)
    bounds = np.linspace(0, len(queries), n_chunks + 1).astype(np.int64)
    for chunk in numba.prange(n_chunks):
        accumulator = np.zeros(n_rows, dtype=np.float32)
        row_buffer = np.zeros(n_columns, dtype=np.float32)
        pool_rows = np.empty(4 * candidates, dtype=np.int64)
        pool_values = np.empty(4 * candidates, dtype=np.float32)
        for position in range(bounds[chunk], bounds[chunk + 1]):
            query = queries[position]
            for entry in range(pruned_indptr[query], pruned_indptr[query + 1]):
                term, weight = pruned_indices[entry], pruned_data[entry]
                for posting in range(postings_indptr[term], postings_indptr[term + 1]):
                    accumulator[postings_rows[posting]] += weight * postings_data[posting]
            accumulator[query] = 0.0
            best = _largest(accumulator, candidates, pool_rows, pool_values)
            accumulator[:] = 0.0
            for entry in range(indptr[query], indptr[query + 1]):
                row_buffer[indices[entry]] = data[entry]
            for slot in range(len(best)):
                other = best[slot]
                total = np.float32(0.0)
                for entry in range(indptr[other], indptr[other + 1]):
                    total += data[entry] * row_buffer[indices[entry]]
                partners[position, slot] = other
                scores[position, slot] = total
            for entry in range(indptr[query], indptr[query + 1]):
                row_buffer[indices[entry]] = 0.0
    return partners, scores


@numba.njit(cache=True)
def _largest(values: np.ndarray, count: int, pool_rows: np.ndarray, pool_values: np.ndarray) -> np.ndarray:
    """Positions of the ``count`` largest positive ``values`` (fewer if fewer are positive).

    One pass with a rising bar: values go into a pool of ``4 · count``; a
    full pool is cut back to its best ``count`` and the bar becomes the
    smallest kept value, so most values are skipped with one comparison.
    """
    bar = np.float32(0.0)
    size = 0
    for position in range(len(values)):
        value = values[position]
        if value > bar:
            if size == len(pool_rows):
                order = np.argsort(-pool_values[:size])[:count]
                pool_rows[:count] = pool_rows[order]
                pool_values[:count] = pool_values[order]
                size = count
                bar = pool_values[count - 1]
                if value <= bar:
                    continue
            pool_rows[size] = position
            pool_values[size] = value
            size += 1
    order = np.argsort(-pool_values[:size], kind="mergesort")[:count]
    return pool_rows[order]


def light_weights_mask(indptr: np.ndarray, data: np.ndarray, dropped_mass: float) -> np.ndarray:
    """See :func:`_light_weights_mask`; one caller at a time."""
    with _parallel_lock:
        return _light_weights_mask(indptr, data, dropped_mass)


@numba.njit(parallel=True, cache=True)
def _light_weights_mask(indptr: np.ndarray, data: np.ndarray, dropped_mass: float) -> np.ndarray:
    """True for the entries to keep: each row without its lightest weights
    whose squares add up to at most ``dropped_mass``."""
    keep = np.ones(len(data), dtype=np.bool_)
    for row in numba.prange(len(indptr) - 1):
        start, end = indptr[row], indptr[row + 1]
        order = np.argsort(data[start:end], kind="mergesort")
        dropped = 0.0
        for position in order:
            dropped += float(data[start + position]) ** 2
            if dropped > dropped_mass:
                break
            keep[start + position] = False
    return keep


@numba.njit(cache=True)
def top_entries_per_row(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray,
                        count: int) -> np.ndarray:
    """Positions of each CSR row's ``count`` largest positive entries, row by row,
    best first (ties by column)."""
    chosen = np.empty(len(data), dtype=np.int64)
    size = 0
    for row in range(len(indptr) - 1):
        start, end = indptr[row], indptr[row + 1]
        if start == end:
            continue
        # Columns come sorted, so a stable sort on -weight breaks ties by column.
        order = np.argsort(-data[start:end], kind="mergesort")
        for position in order[:count]:
            if data[start + position] <= 0:
                break
            chosen[size] = start + position
            size += 1
    return chosen[:size]


@numba.njit(cache=True)
def best_per_row(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """Positions of each row's ``count`` best entries, row by row, best first.

    ``rows`` must be sorted. Best means the highest score, then the lowest
    column: the order of ``np.lexsort((cols, -scores, rows))``, without
    sorting every entry (an insertion into ``count`` places per entry).
    """
    chosen = np.empty(len(rows), dtype=np.int64)
    size = 0
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and rows[end] == rows[start]:
            end += 1
        kept = 0
        for position in range(start, end):
            slot = kept
            while slot > 0:
                other = chosen[size + slot - 1]
                if scores[other] > scores[position] or (
                        scores[other] == scores[position] and cols[other] < cols[position]):
                    break
                slot -= 1
            if slot >= count:
                continue
            last = min(kept, count - 1)
            for move in range(last, slot, -1):
                chosen[size + move] = chosen[size + move - 1]
            chosen[size + slot] = position
            kept = min(kept + 1, count)
        size += kept
        start = end
    return chosen[:size]
