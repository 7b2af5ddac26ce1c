"""Top-10 neighbours: our sparse search against the naive dense pipeline, in one run.

Both searches run on the *same* TF-IDF matrix (SameStory's default
:class:`~analysis.vectorize.TfidfOptions`, fitted once), so recall@10 of the
naive neighbours is meaningful:

- naive: ``cosine_similarity(X)`` as a dense N × N array, then ``argsort``
  of every row for the top 10 (what the issue calls the naive pipeline);
- exact sparse_dot_topn (``--exact-sdtn``): ``sp_matmul_topn(X, X.T, 11)`` on
  2 threads, the library call alone, for reference;
- ours: :func:`analysis.similarity.top_neighbours` (candidates from head-pruned
  rows on 2 threads, then exact rescoring).

Prints JSON: times in seconds, the speed ratio naive / ours (search stage;
vectorising is shared and reported apart), recall@10, and the peak resident
memory of the process after each stage.

Run: .venv/bin/python benchmarks/neighbours.py [--n 20000] [--exact-sdtn] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import lzma
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from analysis.similarity import NeighbourOptions, top_neighbours
from analysis.vectorize import TfidfOptions, fit_vectors

CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "article-bias-prediction.jsonl.xz"
K = 10


def peak_memory_gb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2)


def load(path: Path, count: int) -> pd.DataFrame:
    records = []
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if len(records) >= count:
                break
            record = json.loads(line)
            records.append({"id": record["id"], "title": record.get("title") or "",
                            "body": record.get("text") or ""})
    return pd.DataFrame(records)


def naive_top_k(matrix) -> np.ndarray:
    from sklearn.metrics.pairwise import cosine_similarity

    dense = cosine_similarity(matrix)
    np.fill_diagonal(dense, -1.0)
    return np.argsort(-dense, axis=1)[:, :K]


def exact_sdtn(matrix) -> None:
    from sparse_dot_topn import sp_matmul_topn

    sp_matmul_topn(matrix, matrix.T.tocsr(), top_n=K + 1, n_threads=2)


def recall(naive: np.ndarray, ours_rows: np.ndarray, ours_neighbours: np.ndarray) -> float:
    n_rows = naive.shape[0]
    truth = set((np.repeat(np.arange(n_rows), K) * n_rows + naive.ravel()).tolist())
    found = set((ours_rows * n_rows + ours_neighbours).tolist())
    return len(truth & found) / len(truth)


def timed(function, *arguments):
    started = time.perf_counter()
    value = function(*arguments)
    return value, round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="First N articles of the corpus.")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--exact-sdtn", action="store_true", help="Also time exact sparse_dot_topn.")
    parser.add_argument("--json", type=Path, help="Also write the results to this file.")
    arguments = parser.parse_args()

    result: dict = {"articles": arguments.n, "k": K}
    articles, result["load_seconds"] = timed(load, arguments.corpus, arguments.n)
    vectors, result["vectorize_seconds"] = timed(fit_vectors, articles, TfidfOptions())
    matrix = vectors.matrix
    result["matrix"] = {"shape": list(matrix.shape), "nnz": int(matrix.nnz)}
    result["peak_gb_after_vectorize"] = peak_memory_gb()

    pairs, result["ours_seconds"] = timed(top_neighbours, matrix, NeighbourOptions(k=K))
    result["peak_gb_after_ours"] = peak_memory_gb()
    if arguments.exact_sdtn:
        _, result["exact_sdtn_seconds"] = timed(exact_sdtn, matrix)
    naive, result["naive_seconds"] = timed(naive_top_k, matrix)
    result["peak_gb_after_naive"] = peak_memory_gb()

    result["speed_ratio"] = round(result["naive_seconds"] / result["ours_seconds"], 2)
    if arguments.exact_sdtn:
        result["exact_sdtn_ratio"] = round(result["naive_seconds"] / result["exact_sdtn_seconds"], 2)
    result["speed_ratio_with_vectorize"] = round(
        (result["naive_seconds"] + result["vectorize_seconds"])
        / (result["ours_seconds"] + result["vectorize_seconds"]), 2)
    result["recall_at_10"] = round(recall(naive, pairs.row, pairs.neighbour), 4)
    text = json.dumps(result, indent=2)
    print(text)
    if arguments.json:
        arguments.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
