"""Per-article measures kept in the store: each article measured once, only new or changed ones again."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import measures
from analysis.ingest import Upload, ingest
from analysis.quotes import extract_quotes
from analysis.stats import StatsOptions, article_measures
from analysis.tone import ToneOptions

EXTRA = {
    "id": "extra-1", "outlet": "Extra Wire", "date": "2022-03-31",
    "text": "Negotiators said the talks in Istanbul would resume next week.\n\n"
            "\"We are ready,\" Mykhailo Podolyak said. \"The ball is in Moscow's court,\" he added.",
}


@pytest.fixture
def measured_ids(monkeypatch) -> list[str]:
    """The ids of every article measured from now on, in order."""
    seen: list[str] = []
    measure_chunk = measures._measure_chunk

    def recording(articles, *args):
        seen.extend(articles["id"])
        return measure_chunk(articles, *args)

    monkeypatch.setattr(measures, "_measure_chunk", recording)
    return seen


def test_stored_measures_are_the_article_measures(seeded_store):
    stored = measures.stored_measures(seeded_store)
    articles = seeded_store.article_fields(["id", "outlet", "date", "body", "words"])
    pd.testing.assert_frame_equal(stored.measures, article_measures(articles))


def test_counted_quotes_keep_their_speakers_in_order(seeded_store):
    stored = measures.stored_measures(seeded_store)
    quotes = extract_quotes(seeded_store.article_fields(["id", "body"]))
    counted = quotes[quotes["kind"].isin(["direct", "partial"])]
    assert len(counted) > 10, "the seeds hold many attributed quotes"
    assert list(stored.quotes.columns) == ["article_id", "speaker"]
    assert stored.quotes["speaker"].isna().any(), "some seed quotes have no speaker"
    expected = counted[["article_id", "speaker"]].fillna("(none)").to_numpy().tolist()
    assert stored.quotes.fillna("(none)").to_numpy().tolist() == expected


def test_each_article_is_measured_once(seeded_store, measured_ids):
    first = measures.stored_measures(seeded_store)
    assert len(measured_ids) == 5
    again = measures.stored_measures(seeded_store)
    assert len(measured_ids) == 5
    pd.testing.assert_frame_equal(again.measures, first.measures)


def test_an_import_measures_only_its_new_articles(seeded_store, measured_ids):
    measures.stored_measures(seeded_store)
    measured_ids.clear()
    ingest(seeded_store, uploads=[Upload("extra.jsonl", json.dumps(EXTRA).encode())])
    stored = measures.stored_measures(seeded_store)
    assert measured_ids == ["extra-1"]
    row = stored.measures.set_index("article_id").loc["extra-1"]
    assert (row["outlet"], row["date"], row["words"]) == ("Extra Wire", "2022-03-31", 24)
    assert stored.quotes[stored.quotes["article_id"] == "extra-1"]["speaker"].tolist() == [
        "Mykhailo Podolyak", "Mykhailo Podolyak"]


def test_a_changed_body_is_measured_again(seeded_store, measured_ids):
    before = measures.stored_measures(seeded_store).measures.set_index("article_id")
    article_id = before.index[0]
    measured_ids.clear()
    seeded_store.update_derived([{"id": article_id, "body": "A short body now. It has two sentences.",
                                  "words": 8}])
    after = measures.stored_measures(seeded_store).measures.set_index("article_id")
    assert measured_ids == [article_id]
    assert (after.loc[article_id, "words"], after.loc[article_id, "sentences"]) == (8, 2)
    pd.testing.assert_frame_equal(after.drop(index=article_id), before.drop(index=article_id))


def test_a_rewrite_with_the_same_body_keeps_the_measures(seeded_store, measured_ids):
    measures.stored_measures(seeded_store)
    body = seeded_store.article_fields(["id", "body"]).iloc[0]
    seeded_store.update_derived([{"id": body["id"], "body": body["body"]}])
    measures.stored_measures(seeded_store)
    assert len(measured_ids) == 5


def test_other_options_are_measured_and_kept_apart(seeded_store, measured_ids):
    default = measures.stored_measures(seeded_store)
    one_sentence = StatsOptions(tone=ToneOptions(lead_sentences=1))
    other = measures.stored_measures(seeded_store, options=one_sentence)
    assert len(measured_ids) == 10
    assert not default.measures["tone"].equals(other.measures["tone"])
    pd.testing.assert_frame_equal(measures.stored_measures(seeded_store).measures, default.measures)
    assert len(measured_ids) == 10


def test_articles_measured_without_quotes_are_measured_again_for_them(seeded_store, measured_ids):
    without = measures.stored_measures(seeded_store, with_quotes=False)
    assert without.quotes is None and len(measured_ids) == 5
    with_quotes = measures.stored_measures(seeded_store)
    assert len(measured_ids) == 10 and len(with_quotes.quotes) > 0
    measures.stored_measures(seeded_store, with_quotes=False)
    assert len(measured_ids) == 10


def test_some_articles_only(seeded_store, measured_ids):
    ids = list(seeded_store.article_fields(["id"])["id"])[1:3]
    stored = measures.stored_measures(seeded_store, ids=ids)
    assert measured_ids == ids and stored.measures["article_id"].tolist() == ids
    assert set(stored.quotes["article_id"]) <= set(ids)


def test_chunks_in_workers_give_the_same_rows(seeded_store, monkeypatch):
    from joblib import parallel_config

    nothing = measures.stored_measures(seeded_store, ids=[])
    assert nothing.measures.empty and nothing.quotes.empty
    monkeypatch.setattr(measures, "CHUNK_ARTICLES", 2)
    monkeypatch.setattr(measures, "PARALLEL_MIN_ARTICLES", 2)
    read_by_workers = []
    measure_stored_chunk = measures._measure_stored_chunk

    def recording(path, ids, *rest):
        read_by_workers.append(ids)
        return measure_stored_chunk(path, ids, *rest)

    monkeypatch.setattr(measures, "_measure_stored_chunk", recording)
    # Threads instead of processes: the same chunks, without process start-up in the suite.
    with parallel_config(backend="threading"):
        chunked = measures.stored_measures(seeded_store, n_jobs=2)
    assert sorted(map(len, read_by_workers)) == [1, 2, 2]
    articles = seeded_store.article_fields(["id", "outlet", "date", "body", "words"])
    pd.testing.assert_frame_equal(chunked.measures, article_measures(articles))
    quotes = extract_quotes(seeded_store.article_fields(["id", "body"]))
    assert len(chunked.quotes) == quotes["kind"].isin(["direct", "partial"]).sum()
