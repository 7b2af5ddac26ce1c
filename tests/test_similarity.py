"""Similarity: the maths invariants, top-k neighbours and the `similar` verb."""

import json

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cli import cli
from analysis.errors import UsageError
from analysis.similarity import NeighbourOptions, exact_scores, pair_scores, top_neighbours
from analysis.vectorize import fit_vectors
from tests.conftest import FIXTURES, SEED_IDS

STORIES = FIXTURES / "stories" / "corpus.jsonl"
WORDS = ["tram", "council", "river", "flood", "syrup", "recall", "budget", "harbour", "vote",
         "shelter", "valve", "plant", "mayor", "rain", "station"]


def vectors_of(*bodies):
    return fit_vectors(pd.DataFrame({"id": [f"a{i}" for i in range(len(bodies))],
                                     "body": list(bodies), "title": [None] * len(bodies)}))


def dense_cosine(vectors):
    return (vectors.matrix @ vectors.matrix.T).toarray()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join),
                min_size=2, max_size=6))
def test_similarity_is_symmetric_and_within_zero_and_one(bodies):
    cosine = dense_cosine(vectors_of(*bodies))
    assert np.allclose(cosine, cosine.T, atol=1e-6)
    assert cosine.min() >= 0 and cosine.max() <= 1 + 1e-5


def test_identical_texts_score_one_and_disjoint_vocabularies_zero():
    vectors = vectors_of("Council approves the tram line", "Council approves the tram line",
                         "River floods harbour district")
    pairs = pd.DataFrame({"a": ["a0", "a0"], "b": ["a1", "a2"]})
    scores = pair_scores(vectors, pairs)["score"].tolist()
    assert scores[0] == pytest.approx(1.0, abs=1e-5)
    assert scores[1] == 0.0


def test_candidate_search_finds_the_exact_neighbours_with_exact_scores():
    random = np.random.default_rng(7)
    matrix = sp.random(400, 300, density=0.05, random_state=7, dtype=np.float32, format="csr")
    matrix.data = random.random(matrix.nnz).astype(np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sp.diags(1 / np.maximum(norms, 1e-9)) @ matrix
    exact = top_neighbours(matrix, NeighbourOptions(k=5))
    search = top_neighbours(matrix, NeighbourOptions(k=5, candidates=40, exact_max_articles=0))
    truth = set(zip(exact.row.tolist(), exact.neighbour.tolist()))
    found = set(zip(search.row.tolist(), search.neighbour.tolist()))
    assert len(truth & found) / len(truth) >= 0.95
    matrix = matrix.tocsr()
    by_scipy = np.asarray(matrix[search.row].multiply(matrix[search.neighbour]).sum(axis=1)).ravel()
    assert np.allclose(search.score, by_scipy, atol=1e-5)
    shuffled = np.random.default_rng(3).permutation(len(search.row))
    assert np.allclose(exact_scores(matrix, search.row[shuffled], search.neighbour[shuffled]),
                       by_scipy[shuffled], atol=1e-5)


def test_neighbours_are_sorted_best_first_and_never_the_article_itself():
    vectors = vectors_of("tram council vote", "tram council budget", "tram station", "river flood")
    pairs = top_neighbours(vectors.matrix, NeighbourOptions(k=2))
    assert not np.any(pairs.row == pairs.neighbour)
    for row in set(pairs.row.tolist()):
        scores = pairs.score[pairs.row == row]
        assert list(scores) == sorted(scores, reverse=True)


def test_options_are_validated():
    with pytest.raises(UsageError):
        NeighbourOptions(k=0)
    with pytest.raises(UsageError):
        NeighbourOptions(k=10, candidates=5)


@pytest.fixture
def stories_db(tmp_path):
    path = tmp_path / "stories.db"
    result = CliRunner().invoke(cli, ["ingest", str(STORIES), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_similar_lists_k_neighbours_per_article(stories_db):
    result = CliRunner().invoke(cli, ["similar", "--k", "2", "--db", str(stories_db),
                                      "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    lines = STORIES.read_text(encoding="utf-8").splitlines()
    assert {row["id"] for row in rows} == {json.loads(line)["id"] for line in lines}
    by_id = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
        assert 0 <= row["score"] <= 1
    assert all(len(found) <= 2 for found in by_id.values())
    assert by_id["tram-wire-1"][0]["neighbor"] == "tram-wire-2"


def test_similar_pairs_keeps_input_order_and_flags_unknown_ids(stories_db, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\nrecall-post,recall-radio\nnot-there,tram-blog\n"
                     "tram-wire-2,tram-wire-1\ntram-wire-1,tram-wire-2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["similar", "--pairs", str(pairs), "--db", str(stories_db),
                                      "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["a"], row["b"]) for row in rows] == [
        ("recall-post", "recall-radio"), ("not-there", "tram-blog"),
        ("tram-wire-2", "tram-wire-1"), ("tram-wire-1", "tram-wire-2")]
    assert rows[1]["score"] is None
    assert "not-there" in result.stderr
    assert rows[2]["score"] == rows[3]["score"] > 0.9


def test_similar_pairs_without_the_header_is_a_usage_error(stories_db, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("left,right\nx,y\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["similar", "--pairs", str(pairs), "--db", str(stories_db)])
    assert result.exit_code == 2
    assert "a,b" in result.stderr


def test_similar_on_the_seeds(seeded_db_path):
    result = CliRunner().invoke(cli, ["similar", "--k", "1", "--db", str(seeded_db_path),
                                      "--format", "jsonl"])
    assert result.exit_code == 0
    assert {json.loads(line)["id"] for line in result.stdout.splitlines()} == set(SEED_IDS)


def test_candidate_search_handles_empty_rows_and_fewer_rows_than_candidates():
    matrix = sp.csr_matrix(np.array([[0.6, 0.8, 0.0], [0.0, 0.0, 0.0], [0.6, 0.0, 0.8], [0.0, 1.0, 0.0]],
                                    dtype=np.float32))
    search = top_neighbours(matrix, NeighbourOptions(k=2, candidates=50, exact_max_articles=0))
    exact = top_neighbours(matrix, NeighbourOptions(k=2))
    assert 1 not in search.row.tolist() and 1 not in search.neighbour.tolist()
    assert search.row.tolist() == exact.row.tolist()
    assert search.neighbour.tolist() == exact.neighbour.tolist()
    assert np.allclose(search.score, exact.score)


def test_exact_scores_from_several_threads_at_once():
    # Dashboard sessions run in threads; the compiled parallel kernels must not be entered twice.
    from concurrent.futures import ThreadPoolExecutor

    matrix = sp.random(300, 80, density=0.1, random_state=5, dtype=np.float32, format="csr")
    rows, cols = np.repeat(np.arange(300), 3), np.tile([0, 1, 2], 300)
    expected = np.asarray(matrix[rows].multiply(matrix[cols]).sum(axis=1)).ravel()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: exact_scores(matrix, rows, cols), range(8)))
    assert all(np.allclose(result, expected, atol=1e-5) for result in results)


def test_best_per_row_keeps_the_order_of_a_full_sort():
    from analysis.kernels import best_per_row

    rng = np.random.default_rng(3)
    for _ in range(200):
        size = int(rng.integers(0, 150))
        rows = np.sort(rng.integers(0, 15, size)).astype(np.int64)
        cols = rng.integers(0, 25, size).astype(np.int64)
        scores = (rng.integers(0, 5, size) / 4).astype(np.float32)  # many ties
        count = int(rng.integers(1, 6))
        order = np.lexsort((cols, -scores, rows))
        rank = np.arange(size) - np.searchsorted(rows[order], rows[order], side="left")
        expected = order[rank < count]
        chosen = best_per_row(rows, cols, scores, count)
        for column in (rows, cols, scores):
            assert np.array_equal(column[chosen], column[expected])
