"""TF-IDF vectors: options, normalisation, title weight and the per-version cache."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def scikit_learn_counts(texts, options=TfidfOptions()):
    from sklearn.feature_extraction.text import CountVectorizer

    from analysis.vectorize import _shared_token_options

    counter = CountVectorizer(**_shared_token_options(options))
    return counter.fit_transform(texts), counter.get_feature_names_out()


def assert_counts_like_scikit_learn(texts):
    from analysis.vectorize import _counts

    terms, counts = _counts(texts, TfidfOptions())
    expected, expected_terms = scikit_learn_counts(texts)
    assert terms.tolist() == expected_terms.tolist()
    assert counts.dtype == np.float32 and counts.has_sorted_indices
    assert (counts != expected).nnz == 0


def test_word_counts_equal_scikit_learns_on_awkward_text():
    assert_counts_like_scikit_learn([
        "Ukraine’s ‘neutrality’ isn't 'on the table', rock'n'roll'' o'clock ''quoted'' a b c",
        "ÉTAT d’urgence: naïve café, straße, İstanbul; x_y __init__ 2022 1.5bn 3's don’t",
        "Kyiv's  Kyiv’s\tKyiv's\nKYIV'S  ‘’ '' ' ’ - —", "", "   ", "The the THE of and",
        "Zelensky’s team; Zelenskyy’s team", "emoji 🙂 mixed中文字符 text ١٢٣ digits",
    ])


def test_word_counts_in_chunks_and_workers_equal_scikit_learns(monkeypatch):
    from joblib import parallel_config

    from analysis import vectorize

    texts = ["Kyiv's talks resumed in Istanbul", "", "The talks in Kyiv", "istanbul TALKS, kyiv’s",
             "Moscow said nothing", "nothing new in Moscow"]
    expected, expected_terms = scikit_learn_counts(texts)
    monkeypatch.setattr(vectorize, "COUNT_CHUNK_TEXTS", 2)
    monkeypatch.setattr(vectorize, "PARALLEL_MIN_TEXTS", 4)
    # Threads instead of processes: the same chunks, without process start-up in the suite.
    with parallel_config(backend="threading"):
        terms, counts = vectorize._counts(texts, TfidfOptions(), n_jobs=2)
    assert terms.tolist() == expected_terms.tolist() and (counts != expected).nnz == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab Z'’_é9 .\n-ßİ")), max_size=40), min_size=1,
                max_size=6))
def test_word_counts_equal_scikit_learns_on_any_text(texts):
    if not any(len(run.strip("'’")) >= 2 for text in texts
               for run in re.findall(r"[\w'’]+", text.lower())):
        from analysis.vectorize import _counts

        # scikit-learn refuses an empty vocabulary; ours is empty, and fit_vectors copes.
        assert _counts(texts, TfidfOptions())[1].shape == (len(texts), 0)
        return
    assert_counts_like_scikit_learn(texts)


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
