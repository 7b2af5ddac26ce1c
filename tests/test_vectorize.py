"""TF-IDF vectors: options, normalisation, title weight and the per-version cache."""

import numpy as np
import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.ingest import ingest
from analysis.stories import story_table
from analysis.story_edits import merge_stories
from analysis.vectorize import TfidfOptions, clear_cache, fit_vectors, vectors_for
from tests.conftest import FIXTURES

STORIES = FIXTURES / "stories" / "corpus.jsonl"


def frame(*bodies, titles=None):
    return pd.DataFrame({"id": [f"a{i}" for i in range(len(bodies))], "body": list(bodies),
                         "title": titles or [None] * len(bodies)})


@pytest.mark.parametrize("options", [
    {"ngram_range": (2, 1)}, {"ngram_range": (1, 4)}, {"char_ngram_range": (1, 3)},
    {"max_df": 0.0}, {"title_weight": -1}, {"stop_words": "german"},
])
def test_bad_options_name_what_is_allowed(options):
    with pytest.raises(UsageError):
        TfidfOptions(**options)


def test_rows_are_unit_length_and_ids_keep_their_order():
    vectors = fit_vectors(frame("Tram line approved by council", "River floods the harbour",
                                "Council debates the tram budget"))
    norms = np.sqrt(np.asarray(vectors.matrix.multiply(vectors.matrix).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-5)
    assert vectors.ids == ("a0", "a1", "a2")
    assert list(vectors.rows(["a2", "a0"])) == [2, 0]


def test_stop_words_and_reporting_verbs_are_not_terms():
    vectors = fit_vectors(frame("The mayor said the tram is late", "Officials said the river rose"))
    assert "the" not in set(vectors.word_terms)
    assert "said" not in set(vectors.word_terms)


def test_title_weight_pulls_articles_with_the_same_title_together():
    bodies = ("Budget talks went on late into the night at city hall",
              "Budget talks went on late into the night at the harbour office")
    titles = ["Tram vote", "Tram vote"]
    plain = fit_vectors(frame(*bodies, titles=titles), TfidfOptions(title_weight=0))
    weighted = fit_vectors(frame(*bodies, titles=titles), TfidfOptions(title_weight=3))
    cosine = lambda v: float((v.matrix[0] @ v.matrix[1].T).toarray()[0, 0])
    assert cosine(weighted) > cosine(plain)


def test_character_ngrams_join_spelling_variants():
    texts = ("Kyiv talks resume", "Kiev talks resumed")
    words = fit_vectors(frame(*texts), TfidfOptions(title_weight=0))
    chars = fit_vectors(frame(*texts), TfidfOptions(title_weight=0, char_ngram_range=(3, 4)))
    assert chars.matrix.shape[1] > len(chars.word_terms)
    cosine = lambda v: float((v.matrix[0] @ v.matrix[1].T).toarray()[0, 0])
    assert cosine(chars) > cosine(words)


def test_a_corpus_of_stop_words_gives_zero_vectors_not_an_error():
    vectors = fit_vectors(frame("the and of", "it is was"))
    assert vectors.matrix.shape == (2, 0)


def test_vectors_are_fitted_once_per_articles_version(fresh_store):
    clear_cache()
    ingest(fresh_store, [STORIES])
    first = vectors_for(fresh_store)
    assert vectors_for(fresh_store) is first
    stories = story_table(fresh_store)
    merge_stories(fresh_store, stories["story_id"][0], stories["story_id"][1])
    assert vectors_for(fresh_store) is first, "a story edit does not change the text"
    fresh_store.update_derived([{"id": "flood-brief", "body": "Port Avery: the river floods."}])
    assert vectors_for(fresh_store) is not first


def test_counting_in_worker_processes_gives_the_same_vectors(monkeypatch):
    import analysis.vectorize as vectorize_module

    bodies = [f"Council {word} the tram line in district {number % 7} after the {word} vote"
              for number, word in enumerate(["approves", "rejects", "delays", "funds"] * 6)]
    articles = frame(*bodies, titles=[f"Tram {number}" for number in range(len(bodies))])
    alone = fit_vectors(articles)
    monkeypatch.setattr(vectorize_module, "PARALLEL_MIN_TEXTS", 2)
    shared = fit_vectors(articles, workers=2)
    assert list(shared.word_terms) == list(alone.word_terms)
    assert (shared.matrix != alone.matrix).nnz == 0


@pytest.mark.parametrize("options", [TfidfOptions(), TfidfOptions(ngram_range=(1, 2), title_weight=2.0)])
def test_a_few_articles_weigh_as_in_the_fitted_corpus_after_a_restart(seeded_store, options, monkeypatch):
    from analysis import vectorize
    from analysis.vectorize import article_vectors

    fitted = vectors_for(seeded_store, options)
    wanted = list(reversed(fitted.ids[1:4]))
    clear_cache()
    monkeypatch.setattr(vectorize, "fit_vectors", lambda *args, **kwargs: pytest.fail("refitted"))
    alone = article_vectors(seeded_store, wanted, options)
    expected = fitted.matrix[fitted.rows(wanted)]
    assert alone.shape == expected.shape and alone.dtype == expected.dtype
    assert (alone != expected).nnz == 0  # the same numbers, not merely close ones


def test_character_ngrams_need_the_full_fit(seeded_store):
    from analysis.vectorize import article_vectors

    options = TfidfOptions(char_ngram_range=(3, 4))
    fitted = vectors_for(seeded_store, options)
    clear_cache()
    wanted = list(fitted.ids[:2])
    assert (article_vectors(seeded_store, wanted, options) != fitted.matrix[fitted.rows(wanted)]).nnz == 0


def test_an_unknown_article_is_named(seeded_store):
    from analysis.vectorize import article_vectors

    vectors_for(seeded_store)
    clear_cache()
    with pytest.raises(KeyError, match="no-such-article"):
        article_vectors(seeded_store, ["no-such-article"])
