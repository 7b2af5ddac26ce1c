"""Distinctive terms: the log-odds formula by hand, a planted term, guards, store and CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.cli import cli
from analysis.errors import UnknownIdError, UsageError
from analysis.ingest import ingest
from analysis.term_counts import chunk_counts, count_terms, merge_chunks
from analysis.terms import (
    TERM_COLUMNS,
    Background,
    LogOddsDirichletPrior,
    TermOptions,
    distinctive_terms,
    outlet_terms,
)
from analysis.tokens import tokenize
from tests.fixtures.terms.corpus import (
    OUTLETS,
    PLANTED_OUTLET,
    PLANTED_WORD,
    build_articles,
    write_jsonl,
)

EVERY_TERM = TermOptions(ngrams=(1,), min_count=1, min_articles=1)


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return build_articles()


@pytest.fixture
def corpus_db(tmp_path):
    from analysis.store import open_store

    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        ingest(store, [write_jsonl(tmp_path / "corpus.jsonl")])
    return path


# -- the formula, worked by hand ---------------------------------------------

def test_z_scores_match_a_hand_worked_example():
    # Content words (stop words "the", "was" dropped):
    #   A: budget, vote, budget  -> y_A = {budget: 2, vote: 1}, n_A = 3
    #   B: vote, delayed         -> y_B = {vote: 1, delayed: 1}, n_B = 2
    # Background = the texts: rates budget 2/5, vote 2/5, delayed 1/5;
    # alpha_0 = n = 5, so alpha_w = 5 * rate = budget 2, vote 2, delayed 1.
    #
    # A, budget: y_i=2, y_j=0, n_i=3, n_j=2, a=2
    #   delta = log((2+2)/(3+5-2-2)) - log((0+2)/(2+5-0-2)) = log(4/4) - log(2/5) = 0.916291
    #   var = 1/(2+2) + 1/(0+2) = 0.75                    z = 0.916291 / 0.866025 = 1.058042
    # B, delayed: y_i=1, y_j=0, n_i=2, n_j=3, a=1
    #   delta = log((1+1)/(2+5-1-1)) - log((0+1)/(3+5-0-1)) = log(2/5) - log(1/7) = 1.029619
    #   var = 1/2 + 1/1 = 1.5                             z = 1.029619 / 1.224745 = 0.840681
    # B, vote: y_i=1, y_j=1, n_i=2, n_j=3, a=2
    #   delta = log(3/(2+5-1-2)) - log(3/(3+5-1-2)) = log(3/4) - log(3/5) = 0.223144
    #   var = 1/3 + 1/3                                   z = 0.223144 / 0.816497 = 0.273293
    # A, vote has delta = -0.223144 < 0: not distinctive of A, not reported.
    frame = distinctive_terms(["The budget vote, the budget.", "The vote was delayed."],
                              ["A", "B"], options=EVERY_TERM)
    got = {(row.outlet, row.term): row.z for row in frame.itertuples()}
    assert got.keys() == {("A", "budget"), ("B", "delayed"), ("B", "vote")}
    assert got[("A", "budget")] == pytest.approx(0.916291 / math.sqrt(0.75), abs=1e-5)
    assert got[("A", "budget")] == pytest.approx(1.058042, abs=1e-5)
    assert got[("B", "delayed")] == pytest.approx(0.840681, abs=1e-5)
    assert got[("B", "vote")] == pytest.approx(0.273293, abs=1e-5)
    assert frame[frame["outlet"] == "B"]["term"].tolist() == ["delayed", "vote"]


def test_prior_total_and_background_rates_enter_alpha_as_documented():
    # One term "budget": A uses it 2 of n_A = 4 times, B 1 of n_B = 4.
    # alpha_0 = 10 and background rate 0.1 give alpha = 1:
    #   delta = log((2+1)/(4+10-2-1)) - log((1+1)/(4+10-1-1)) = log(3/11) - log(2/12)
    #   var = 1/3 + 1/2
    stream = tokenize(["budget budget harbor pier", "budget dock ferry quay"])
    counts = count_terms(stream, ["A", "B"], ngram=1)
    rates = np.full(len(counts.terms), 0.1)
    scores = LogOddsDirichletPrior(prior_total=10).score(counts, rates)
    budget = list(counts.terms).index("budget")
    expected = (math.log(3 / 11) - math.log(2 / 12)) / math.sqrt(1 / 3 + 1 / 2)
    assert scores[0, budget] == pytest.approx(expected)
    assert scores[1, budget] == pytest.approx(
        (math.log(2 / 12) - math.log(3 / 11)) / math.sqrt(1 / 2 + 1 / 3))


# -- the planted term -------------------------------------------------------

def test_planted_word_ranks_first_for_its_outlet_and_nowhere_else(corpus):
    planted_in = corpus["text"].str.contains(PLANTED_WORD)
    assert planted_in.sum() == 4 and set(corpus.loc[planted_in, "outlet"]) == {PLANTED_OUTLET}

    terms = distinctive_terms(corpus["text"], corpus["outlet"])

    assert set(terms["outlet"]) == set(OUTLETS)
    top = terms[(terms["outlet"] == PLANTED_OUTLET) & (terms["rank"] == 1)].iloc[0]
    assert (top["term"], top["count"], top["rest_count"], top["articles"]) == (PLANTED_WORD, 4, 0, 4)
    others = terms[(terms["outlet"] != PLANTED_OUTLET) & (terms["rank"] <= 20)]
    assert PLANTED_WORD not in set(others["term"])
    assert not others["term"].str.contains(PLANTED_WORD).any()


def test_frame_shape_ranks_and_sorting(corpus):
    terms = distinctive_terms(corpus["text"], corpus["outlet"], options=TermOptions(top=5))
    assert list(terms.columns) == TERM_COLUMNS
    assert (terms.groupby("outlet").size() <= 5).all()
    for _, rows in terms.groupby("outlet"):
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
        assert rows["z"].is_monotonic_decreasing
    assert (terms["z"] > 0).all()
    assert set(terms["ngram"]) == {1, 2}


# -- tokens and guards ------------------------------------------------------

def test_tokens_drop_stop_words_possessives_and_punctuation():
    stream = tokenize(["Trump’s tariffs hit farmers. “We won’t pay,” the farmers said."])
    words = [str(word) for word in stream.words[stream.token_words[stream.content_positions()]]]
    assert words == ["trump", "tariffs", "hit", "farmers", "pay", "farmers", "said"]


def test_bigrams_never_cross_punctuation_paragraphs_or_articles():
    texts = ["Interest rates rose. Markets fell\n\nBond yields climbed", "stocks slipped"]
    counts = count_terms(tokenize(texts), ["A", "B"], ngram=2)
    assert sorted(counts.terms) == ["bond yields", "interest rates", "markets fell",
                                    "rates rose", "stocks slipped", "yields climbed"]


def test_min_count_and_min_articles_guards():
    texts = [
        "Senator Ortega praised the harbour plan. Ortega said Ortega would vote yes.",
        "The harbour plan passed the council.",
        "Council members debated the harbour budget.",
        "Harbour budget talks resumed in the council.",
    ]
    outlets = ["A", "A", "B", "B"]
    loose = distinctive_terms(texts, outlets, options=TermOptions(ngrams=(1,), min_count=1,
                                                                  min_articles=1))
    assert "ortega" in set(loose.loc[loose["outlet"] == "A", "term"])
    # "ortega" is used three times, all in one of A's two articles.
    guarded = distinctive_terms(texts, outlets, options=TermOptions(ngrams=(1,), min_count=1))
    assert "ortega" not in set(guarded["term"])
    rare = distinctive_terms(texts, outlets, options=TermOptions(ngrams=(1,), min_count=4,
                                                                 min_articles=1))
    assert set(rare["term"]) <= {"harbour"}


def test_fewer_than_two_outlets_gives_no_terms():
    frame = distinctive_terms(["Rates rose.", "Rates fell."], ["A", "A"])
    assert frame.empty and list(frame.columns) == TERM_COLUMNS


def test_options_are_validated():
    with pytest.raises(UsageError, match="ngrams"):
        TermOptions(ngrams=(3,))
    with pytest.raises(UsageError, match="prior_total"):
        TermOptions(prior_total=0)


def test_frequencies_are_tidy_per_outlet():
    counts = count_terms(tokenize(["Budget vote budget.", "Budget delayed."]), ["A", "B"], ngram=1)
    frame = counts.frequencies()
    assert frame.to_dict(orient="records") == [
        {"outlet": "A", "term": "budget", "ngram": 1, "count": 2, "articles": 1},
        {"outlet": "A", "term": "vote", "ngram": 1, "count": 1, "articles": 1},
        {"outlet": "B", "term": "budget", "ngram": 1, "count": 1, "articles": 1},
        {"outlet": "B", "term": "delayed", "ngram": 1, "count": 1, "articles": 1},
    ]


def test_background_shapes_the_prior_and_unknown_terms_fall_back():
    stream = tokenize(["budget budget vote", "vote delayed"])
    counts = count_terms(stream, ["A", "B"], ngram=1)
    background = Background(rates={1: pd.Series({"budget": 0.5, "vote": 0.25})})
    rates = dict(zip(counts.terms, background.aligned(counts)))
    assert rates["budget"] == 0.5 and rates["vote"] == 0.25
    assert rates["delayed"] == pytest.approx(1 / 5)  # its own rate in the compared texts


# -- store and CLI ----------------------------------------------------------

def test_outlet_terms_from_the_store_within_a_story(corpus_db, corpus):
    from analysis.store import open_store

    storm = corpus.loc[corpus["story"] == "coastal-storm", "id"].tolist()
    with open_store(corpus_db) as store:
        whole = outlet_terms(store)
        story = outlet_terms(store, ids=storm, options=TermOptions(min_count=2))
        only = outlet_terms(store, outlet=PLANTED_OUTLET)
        with pytest.raises(UnknownIdError, match="did you mean 'Valley Courier'"):
            outlet_terms(store, outlet="Valley Courrier")
    assert whole[whole["outlet"] == PLANTED_OUTLET].iloc[0]["term"] == PLANTED_WORD
    assert set(only["outlet"]) == {PLANTED_OUTLET}
    assert not story.empty
    assert not set(story["term"]) & {"budget", "council", "inflation"}


def test_cli_terms_prints_outlet_term_z_count(corpus_db):
    result = CliRunner().invoke(cli, ["terms", "--db", str(corpus_db), "--outlet", PLANTED_OUTLET,
                                      "--top", "3", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3 and list(rows[0]) == ["outlet", "term", "z", "count"]
    assert rows[0]["term"] == PLANTED_WORD and rows[0]["count"] == 4


def test_cli_terms_unknown_outlet_is_one_line_and_exit_2(corpus_db):
    result = CliRunner().invoke(cli, ["terms", "--db", str(corpus_db), "--outlet", "Nowhere"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: no articles from outlet 'Nowhere'")


def test_cli_terms_and_kwic_within_a_story_found_by_the_stories_module(corpus_db):
    from analysis.store import open_store
    from analysis.stories import story_memberships

    with open_store(corpus_db) as store:
        members = story_memberships(store)
    story_id = members.loc[members["article_id"] == "000", "story_id"].iloc[0]
    runner = CliRunner()
    terms = runner.invoke(cli, ["terms", "--db", str(corpus_db), "--story", story_id,
                                "--format", "jsonl"])
    assert terms.exit_code == 0, terms.output
    assert all(list(json.loads(line)) == ["outlet", "term", "z", "count"]
               for line in terms.stdout.splitlines())
    kwic = runner.invoke(cli, ["kwic", "council", "--db", str(corpus_db), "--story", story_id,
                               "--format", "jsonl"])
    assert kwic.exit_code == 0, kwic.output
    story_articles = set(members.loc[members["story_id"] == story_id, "article_id"])
    assert {json.loads(line)["article_id"] for line in kwic.stdout.splitlines()} <= story_articles
    unknown = runner.invoke(cli, ["terms", "--db", str(corpus_db), "--story", "no-such-story"])
    assert unknown.exit_code == 2 and "no story with id 'no-such-story'" in unknown.stderr


# -- counting a large corpus in chunks ------------------------------------------

def test_chunk_counts_merge_into_the_counts_of_the_whole(corpus):
    whole = [count_terms(tokenize(corpus["text"]), corpus["outlet"], ngram=ngram, min_count=2)
             for ngram in (1, 2)]
    cut = [0, 7, 8, 40, len(corpus)]  # uneven, one chunk of one article, outlets missing from some
    chunks = [chunk_counts(list(corpus["text"][start:end]), list(corpus["outlet"][start:end]), (1, 2))
              for start, end in zip(cut, cut[1:])]
    for expected, merged in zip(whole, merge_chunks(chunks, min_count=2), strict=True):
        assert merged.groups.equals(expected.groups) and list(merged.terms) == list(expected.terms)
        assert (merged.counts != expected.counts).nnz == 0 and (merged.articles != expected.articles).nnz == 0
        assert merged.counts.dtype == expected.counts.dtype and merged.counts.has_sorted_indices
        np.testing.assert_array_equal(merged.totals, expected.totals)
        np.testing.assert_array_equal(merged.group_articles, expected.group_articles)


def test_corpus_terms_in_workers_are_the_same(corpus, monkeypatch):
    from joblib import parallel_config

    from analysis import term_counts, terms

    serial = terms.corpus_terms(corpus["text"], corpus["outlet"])
    monkeypatch.setattr(term_counts, "CHUNK_TEXTS", 9)
    monkeypatch.setattr(terms, "PARALLEL_MIN_TEXTS", 10)
    # Threads instead of processes: the same chunks, without process start-up in the suite.
    with parallel_config(backend="threading"):
        chunked = terms.corpus_terms(corpus["text"], corpus["outlet"], n_jobs=2)
    assert len(serial.terms) > 20
    pd.testing.assert_frame_equal(chunked.terms, serial.terms)
    for ngram, rates in serial.background.rates.items():
        pd.testing.assert_series_equal(chunked.background.rates[ngram], rates, check_exact=True)


def test_stored_corpus_terms_read_chunk_by_chunk_are_the_same(corpus_db, monkeypatch):
    from joblib import parallel_config

    from analysis import derived, term_counts, terms
    from analysis.store import open_store

    with open_store(corpus_db) as store:
        serial = terms.stored_corpus_terms(store)
        derived.clear_memory()
        store.connection.execute("DELETE FROM derived_results")
        monkeypatch.setattr(term_counts, "CHUNK_TEXTS", 7)
        monkeypatch.setattr(terms, "PARALLEL_MIN_TEXTS", 10)
        read = []
        article_fields = type(store).article_fields

        def recording(self, columns, ids=None):
            read.append(ids)
            return article_fields(self, columns, ids=ids)

        monkeypatch.setattr(type(store), "article_fields", recording)
        with parallel_config(backend="threading"):
            chunked = terms.stored_corpus_terms(store, n_jobs=2)
    derived.clear_memory()
    assert max(len(ids) for ids in read if ids is not None) == 7
    pd.testing.assert_frame_equal(chunked.terms, serial.terms)
    for ngram, rates in serial.background.rates.items():
        pd.testing.assert_series_equal(chunked.background.rates[ngram], rates, check_exact=True)
