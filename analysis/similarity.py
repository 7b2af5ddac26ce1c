"""Article × article similarity: top-k neighbours and scores of given pairs.

The cosine of two articles is the dot product of their TF-IDF rows
(:mod:`analysis.vectorize`): ``cosine(a, b) = x_a · x_b`` on l2-normalised,
non-negative rows, so it is symmetric, in [0, 1], 1 for identical texts and 0
for texts without a shared term.

The ``score`` that :func:`neighbours` and :func:`pair_scores` report is, by
default, the calibrated similarity ``sqrt(cosine(a, b))``: same order, same
0 and 1, but TF-IDF cosines of news articles crowd near 0 (two articles on
one event often score 0.2-0.4, unrelated ones 0.01-0.05), while people rate
"same event, other words" much closer to "the same" than to "unrelated".
The square root spreads the low end so the score grows roughly linearly
with judged relatedness (on AllSides pairs graded same story / same topic /
unrelated, Pearson 0.76 for the cosine, 0.83 for its square root; powers
0.33-0.7 all give 0.80-0.83). ``scale="cosine"`` reports the plain cosine.

Top-k neighbours never build a dense N × N matrix. Small corpora use one
exact sparse product. Large ones split the work in two steps:

1. **Candidates.** Terms in more than ``head_df_fraction`` of the articles
   ("head" terms: frequent, low idf, but found in almost every pair) make
   the sparse product expensive while moving scores only a little. Each
   article keeps all its other terms plus only its ``head_terms_kept``
   strongest head terms; ``sparse_dot_topn`` multiplies these pruned rows by
   the full rows on both cores and keeps the best ``candidates`` per row.
   Candidate pairs are made symmetric (if b is a candidate of a, a is one of b).
2. **Exact rescoring.** Every candidate pair gets its exact cosine, and the
   best ``k`` per article are kept. Scores are therefore always exact; only
   a neighbour that was not a candidate can be missed (recall@10 is measured
   against the dense pipeline in ``benchmarks/neighbours.py``).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sparse_dot_topn import sp_matmul_topn

from analysis.errors import UsageError
from analysis.vectorize import Vectors

logger = logging.getLogger(__name__)

NEIGHBOUR_COLUMNS = ["id", "neighbor", "score"]
PAIR_COLUMNS = ["a", "b", "score"]
RESCORE_ROWS_PER_BLOCK = 256
SCALES = ("calibrated", "cosine")


def scaled(cosine: np.ndarray, scale: str) -> np.ndarray:
    """``sqrt(cosine)`` for "calibrated", the cosine itself for "cosine"; clipped to [0, 1]."""
    if scale not in SCALES:
        raise UsageError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    cosine = np.clip(np.asarray(cosine, dtype=np.float64), 0.0, 1.0)
    return np.sqrt(cosine) if scale == "calibrated" else cosine


@dataclass(frozen=True)
class NeighbourOptions:
    """How top-k neighbours are searched (see the module docstring)."""

    k: int = 10
    candidates: int = 30
    head_df_fraction: float = 0.15
    head_terms_kept: int = 5
    threads: int = 2
    exact_max_articles: int = 3000

    def __post_init__(self) -> None:
        if self.k < 1:
            raise UsageError(f"k must be at least 1, got {self.k}")
        if self.candidates < self.k:
            raise UsageError(f"candidates ({self.candidates}) must be at least k ({self.k})")
        if not 0 < self.head_df_fraction <= 1:
            raise UsageError(f"head_df_fraction {self.head_df_fraction} must be in (0, 1]")


@dataclass(frozen=True)
class NeighbourPairs:
    """Directed neighbour pairs as parallel arrays: ``row`` → ``neighbour``."""

    row: np.ndarray
    neighbour: np.ndarray
    score: np.ndarray


def top_neighbours(matrix: sp.csr_matrix, options: NeighbourOptions = NeighbourOptions(), *,
                   query_rows: np.ndarray | None = None) -> NeighbourPairs:
    """The ``k`` highest-cosine other rows of every row of ``matrix``.

    ``matrix`` has l2-normalised rows. With ``query_rows``, only those rows
    are searched (their pairs are also returned from the other side, since
    cosine is symmetric). Pairs with score 0 are left out, so a row may have
    fewer than ``k`` neighbours. Sorted by row, then score descending, then
    neighbour row.
    """
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    queries = np.arange(matrix.shape[0]) if query_rows is None else np.asarray(query_rows, dtype=np.int64)
    if matrix.shape[0] <= options.exact_max_articles or len(queries) == 0:
        product = (matrix[queries] @ matrix.T).tocoo()
        rows, cols, scores = queries[product.row], product.col.astype(np.int64), product.data
    else:
        rows, cols, scores = _candidates_rescored(matrix, options, queries)
    keep = (rows != cols) & (scores > 0)
    return _best_per_row(rows[keep], cols[keep], scores[keep], options.k)


def _candidates_rescored(matrix: sp.csr_matrix, options: NeighbourOptions, queries: np.ndarray):
    """Candidate pairs (both directions) of the query rows, with their exact cosine.

    For a candidate b of a, the product gives ``pruned(a) · x_b``; adding
    ``dropped(a) · x_b`` over the dropped head terms makes it exact.
    """
    head = _head_columns(matrix, options)
    pruned, dropped = _split_head_terms(matrix[queries], head, options.head_terms_kept)
    product = sp_matmul_topn(pruned, matrix.T.tocsr(), top_n=options.candidates + 1,
                             n_threads=options.threads if options.threads > 1 else None)
    product = product.tocsr()
    product.sort_indices()
    local_rows = np.repeat(np.arange(len(queries)), np.diff(product.indptr))
    cols = product.indices.astype(np.int64)
    scores = product.data + _dropped_head_part(dropped, matrix[:, head].toarray(), local_rows, cols)
    rows = queries[local_rows]
    # Cosine is symmetric: a candidate pair serves both of its articles.
    key = np.concatenate([rows * matrix.shape[0] + cols, cols * matrix.shape[0] + rows])
    key, first = np.unique(key, return_index=True)
    return key // matrix.shape[0], key % matrix.shape[0], np.concatenate([scores, scores])[first]


def _head_columns(matrix: sp.csr_matrix, options: NeighbourOptions) -> np.ndarray:
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return np.flatnonzero(document_frequency > options.head_df_fraction * matrix.shape[0])


def _split_head_terms(matrix: sp.csr_matrix, head: np.ndarray, kept: int):
    """(pruned, dropped): pruned keeps non-head terms and the ``kept`` strongest
    head terms of each row; dropped holds the other head terms, in head order."""
    head_position = np.full(matrix.shape[1], -1, dtype=np.int64)
    head_position[head] = np.arange(len(head))
    entry_is_head = head_position[matrix.indices] >= 0
    row_of_entry = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    head_entries = np.flatnonzero(entry_is_head)
    # One sort on row + (1 - weight): weights are in [0, 1], so rows stay apart.
    sort_key = row_of_entry[head_entries] + (1.0 - matrix.data[head_entries].astype(np.float64)) * 0.5
    order = head_entries[np.argsort(sort_key, kind="stable")]
    head_rows = row_of_entry[order]
    rank = np.arange(len(order)) - np.searchsorted(head_rows, head_rows, side="left")
    keep = ~entry_is_head
    keep[order[rank < kept]] = True
    pruned = _rows_subset(matrix, keep, row_of_entry, matrix.indices)
    drop = entry_is_head & ~keep
    dropped = _rows_subset(matrix, drop, row_of_entry, head_position[matrix.indices],
                           n_columns=len(head))
    return pruned, dropped


def _rows_subset(matrix, keep, row_of_entry, columns, *, n_columns=None) -> sp.csr_matrix:
    counts = np.bincount(row_of_entry[keep], minlength=matrix.shape[0])
    return sp.csr_matrix(
        (matrix.data[keep], columns[keep], np.concatenate([[0], np.cumsum(counts)])),
        shape=(matrix.shape[0], n_columns or matrix.shape[1]),
    )


def _dropped_head_part(dropped: sp.csr_matrix, head_dense: np.ndarray, rows: np.ndarray,
                       cols: np.ndarray) -> np.ndarray:
    """``dropped[rows[p]] · head_dense[cols[p]]`` for each pair p, in chunks.

    Head terms are few (hundreds), so both sides are dense and each chunk is
    one gather and a row-wise dot product.
    """
    result = np.zeros(len(rows), dtype=np.float32)
    dropped_dense = dropped.toarray()
    chunk = 50_000
    for start in range(0, len(rows), chunk):
        stop = start + chunk
        result[start:stop] = np.einsum("ph,ph->p", dropped_dense[rows[start:stop]],
                                       head_dense[cols[start:stop]])
    return result


def exact_scores(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, *, threads: int = 2) -> np.ndarray:
    """Exact cosine ``matrix[rows[i]] · matrix[cols[i]]`` for each pair; ``rows`` sorted.

    Works in blocks of rows: the block is made dense once, then each pair's
    score is a gather over the nonzeros of its ``cols`` row.
    """
    scores = np.zeros(len(rows), dtype=np.float32)
    if len(rows) == 0:
        return scores
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    block_starts = np.arange(0, matrix.shape[0], RESCORE_ROWS_PER_BLOCK)
    bounds = np.searchsorted(sorted_rows, np.append(block_starts, matrix.shape[0]))

    def score_block(block: int) -> None:
        low, high = bounds[block], bounds[block + 1]
        if low == high:
            return
        first = block_starts[block]
        dense = matrix[first:first + RESCORE_ROWS_PER_BLOCK].toarray()
        pair_rows = sorted_rows[low:high] - first
        partners = matrix[cols[order[low:high]]]
        lengths = np.diff(partners.indptr)
        products = partners.data * dense[np.repeat(pair_rows, lengths), partners.indices]
        # A trailing zero lets reduceat address an empty last segment.
        sums = np.add.reduceat(np.append(products, np.float32(0)), partners.indptr[:-1])
        sums[lengths == 0] = 0.0
        scores[order[low:high]] = sums

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        list(pool.map(score_block, range(len(block_starts))))
    return scores


def _best_per_row(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, k: int) -> NeighbourPairs:
    order = np.lexsort((cols, -scores, rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    keep = rank < k
    return NeighbourPairs(rows[keep], cols[keep], np.minimum(scores[keep], 1.0))


def neighbours(vectors: Vectors, options: NeighbourOptions = NeighbourOptions(), *,
               scale: str = "calibrated") -> pd.DataFrame:
    """Top-k neighbours of every article. Columns: id, neighbor, score in [0, 1]
    (see the module docstring for ``scale``)."""
    pairs = top_neighbours(vectors.matrix, options)
    ids = np.array(vectors.ids, dtype=object)
    return pd.DataFrame({
        "id": ids[pairs.row], "neighbor": ids[pairs.neighbour],
        "score": [round(float(value), 6) for value in scaled(pairs.score, scale)],
    }, columns=NEIGHBOUR_COLUMNS)


def read_pairs(path) -> pd.DataFrame:
    """Read a CSV with header ``a,b`` (article ids, kept as strings)."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise UsageError(f"cannot read pairs file {path}: {error}") from error
    frame.columns = [str(column).strip() for column in frame.columns]
    if not {"a", "b"} <= set(frame.columns):
        raise UsageError(f"pairs file {path} needs a header with columns a,b; it has {list(frame.columns)}")
    return frame[["a", "b"]].map(str.strip)


def pair_scores(vectors: Vectors, pairs: pd.DataFrame, *, scale: str = "calibrated") -> pd.DataFrame:
    """Score of each (a, b) row, in input order. Columns: a, b, score (see
    the module docstring for ``scale``).

    A pair naming an id that the corpus does not hold gets a null score (the
    CLI warns on stderr), so one missing article does not hide the others.
    """
    known_a = pairs["a"].isin(vectors.index)
    known_b = pairs["b"].isin(vectors.index)
    known = (known_a & known_b).to_numpy()
    for missing in sorted(set(pairs.loc[~known_a, "a"]) | set(pairs.loc[~known_b, "b"])):
        logger.info("no article with id %r: its pairs get a null score", missing)
    scores = np.full(len(pairs), np.nan)
    if known.any():
        rows = vectors.rows(pairs.loc[known, "a"])
        cols = vectors.rows(pairs.loc[known, "b"])
        scores[known] = scaled(exact_scores(vectors.matrix, rows, cols), scale)
    frame = pd.DataFrame({"a": pairs["a"].to_numpy(), "b": pairs["b"].to_numpy()})
    frame["score"] = pd.array([None if np.isnan(value) else round(float(value), 6) for value in scores],
                              dtype="Float64")
    return frame[PAIR_COLUMNS]
