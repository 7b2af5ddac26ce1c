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

1. **Candidates.** Each row leaves out its lightest weights, as many as
   make up ``dropped_mass`` of its squared norm (frequent words and words
   said once: many nonzeros, little score). Each article's pruned scores
   against all others are summed through the pruned rows' postings
   (:func:`analysis.kernels.candidate_neighbours`, on all cores), and its
   best ``candidates`` are kept. Pruning cuts the work about fivefold on
   news text. Candidate pairs are made symmetric (if b is a candidate of a,
   a is one of b).
2. **Exact rescoring.** Every candidate pair gets its exact cosine in the
   same pass, and the best ``k`` per article are kept. Scores
   are therefore always exact; only a neighbour that was not a candidate
   can be missed (recall@10 against the dense pipeline is measured in
   ``benchmarks/pipeline.py``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.errors import UsageError
from analysis.kernels import best_per_row, candidate_neighbours, csr_pair_dots, light_weights_mask
from analysis.vectorize import Vectors

logger = logging.getLogger(__name__)

NEIGHBOUR_COLUMNS = ["id", "neighbor", "score"]
PAIR_COLUMNS = ["a", "b", "score"]
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
    candidates: int = 50
    dropped_mass: float = 0.1
    threads: int = 2
    exact_max_articles: int = 3000

    def __post_init__(self) -> None:
        if self.k < 1:
            raise UsageError(f"k must be at least 1, got {self.k}")
        if self.candidates < self.k:
            raise UsageError(f"candidates ({self.candidates}) must be at least k ({self.k})")
        if not 0 <= self.dropped_mass < 1:
            raise UsageError(f"dropped_mass {self.dropped_mass} must be in [0, 1)")

    @classmethod
    def for_k(cls, k: int) -> NeighbourOptions:
        """Options for ``k`` neighbours, with at least twice as many candidates."""
        return cls(k=k, candidates=max(cls.candidates, 2 * k))


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
    """Candidate pairs (both directions) of the query rows, with their exact cosine."""
    pruned = _without_light_weights(matrix, options.dropped_mass)
    postings = pruned.T.tocsr()
    partners, scores = candidate_neighbours(
        queries, pruned.indptr, pruned.indices, pruned.data, postings.indptr, postings.indices,
        postings.data, matrix.indptr, matrix.indices, matrix.data, matrix.shape[1],
        options.candidates, max(1, options.threads) * 8)
    rows = np.repeat(queries, options.candidates)
    cols, scores = partners.ravel(), scores.ravel()
    filled = cols >= 0
    rows, cols, scores = rows[filled], cols[filled], scores[filled]
    # Cosine is symmetric: a candidate pair serves both of its articles.
    key, first = np.unique(np.concatenate([rows * matrix.shape[0] + cols, cols * matrix.shape[0] + rows]),
                           return_index=True)
    return key // matrix.shape[0], key % matrix.shape[0], np.concatenate([scores, scores])[first]


def _without_light_weights(matrix: sp.csr_matrix, dropped_mass: float) -> sp.csr_matrix:
    """Each row without its smallest weights whose squares add up to at most ``dropped_mass``."""
    keep = light_weights_mask(matrix.indptr, matrix.data, dropped_mass)
    kept_before = np.concatenate([[0], np.cumsum(keep)])
    return sp.csr_matrix((matrix.data[keep], matrix.indices[keep], kept_before[matrix.indptr]),
                         shape=matrix.shape)


def exact_scores(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, *, threads: int = 2) -> np.ndarray:
    """Exact cosine ``matrix[rows[i]] · matrix[cols[i]]`` for each pair (any order)."""
    scores = np.zeros(len(rows), dtype=np.float32)
    if len(rows) == 0:
        return scores
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    order = np.argsort(rows, kind="stable")
    scores[order] = csr_pair_dots(
        matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64), matrix.data, matrix.shape[1],
        np.asarray(rows, dtype=np.int64)[order], np.asarray(cols, dtype=np.int64)[order],
        max(1, threads) * 4)
    return scores


def _best_per_row(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, k: int) -> NeighbourPairs:
    if len(rows) and np.any(rows[1:] < rows[:-1]):
        order = np.argsort(rows, kind="stable")
        rows, cols, scores = rows[order], cols[order], scores[order]
    chosen = best_per_row(rows, cols, scores, k)
    return NeighbourPairs(rows[chosen], cols[chosen], np.minimum(scores[chosen], 1.0))


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
