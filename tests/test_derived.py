"""Corpus-wide results kept in the store: computed once per articles version, read back after."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import derived, stats, terms
from analysis.ingest import Upload, ingest
from analysis.store import open_store
from analysis.terms import CorpusTerms, background_of, corpus_terms, distinctive_terms, outlet_terms
from tests.fixtures.terms.corpus import build_articles


@pytest.fixture(autouse=True)
def empty_memory():
    derived.clear_memory()
    yield
    derived.clear_memory()


def restarted():
    """As after a restart: nothing in this process's memory, only what the store holds."""
    derived.clear_memory()


def forbid(monkeypatch, module, name):
    def fail(*args, **kwargs):
        raise AssertionError(f"{name} ran although its result is stored")

    monkeypatch.setattr(module, name, fail)


def test_corpus_statistics_are_read_back_after_a_restart(seeded_store, monkeypatch):
    computed = stats.outlet_stats(seeded_store)
    restarted()
    forbid(monkeypatch, stats, "_store_stats")
    pd.testing.assert_frame_equal(stats.outlet_stats(seeded_store), computed)


def test_new_articles_make_the_statistics_be_computed_again(seeded_store, monkeypatch):
    before = stats.outlet_stats(seeded_store)
    ingest(seeded_store, uploads=[Upload("extra.jsonl", json.dumps({
        "id": "extra-1", "outlet": "Extra Wire", "date": "2022-03-31",
        "text": "Negotiators said the talks in Istanbul would resume next week. "
                "\"We are ready,\" the delegation head said."}).encode())])
    after = stats.outlet_stats(seeded_store)
    assert "Extra Wire" in set(after["outlet"]) and "Extra Wire" not in set(before["outlet"])


def test_story_edits_are_part_of_the_statistics_key(seeded_store, monkeypatch):
    from analysis.stories import story_table
    from analysis.story_edits import merge_stories

    stats.outlet_stats(seeded_store)
    stories = story_table(seeded_store)
    merge_stories(seeded_store, stories["story_id"].iloc[0], stories["story_id"].iloc[1])
    restarted()
    calls = []
    compute = stats._store_stats
    monkeypatch.setattr(stats, "_store_stats", lambda *args: calls.append(args) or compute(*args))
    merged = stats.outlet_stats(seeded_store)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(stats.outlet_stats(seeded_store), merged)
    assert len(calls) == 1


def test_one_tokenisation_gives_the_same_terms_and_background():
    articles = build_articles()
    both = corpus_terms(articles["text"], articles["outlet"])
    pd.testing.assert_frame_equal(both.terms, distinctive_terms(articles["text"], articles["outlet"]))
    alone = background_of(articles["text"])
    assert set(both.background.rates) == set(alone.rates) == {1, 2}
    for ngram, rates in alone.rates.items():
        pd.testing.assert_series_equal(both.background.rates[ngram], rates)


def test_corpus_terms_survive_json_exactly():
    articles = build_articles()
    original = corpus_terms(articles["text"], articles["outlet"])
    again = CorpusTerms.from_json(json.loads(json.dumps(original.to_json())))
    pd.testing.assert_frame_equal(again.terms, original.terms)
    for ngram, rates in original.background.rates.items():
        pd.testing.assert_series_equal(again.background.rates[ngram], rates)


def test_story_terms_use_the_stored_background(seeded_store, monkeypatch):
    ids = seeded_store.article_fields(["id"])["id"].tolist()[:3]
    computed = outlet_terms(seeded_store, ids=ids)
    restarted()
    forbid(monkeypatch, terms, "corpus_terms")
    pd.testing.assert_frame_equal(outlet_terms(seeded_store, ids=ids), computed)
    pd.testing.assert_frame_equal(outlet_terms(seeded_store), terms.stored_corpus_terms(seeded_store).terms)


def test_a_result_of_articles_that_changed_meanwhile_is_not_saved(seeded_store):
    def compute_while_someone_imports():
        ingest(seeded_store, uploads=[Upload("late.txt", b"A late article about the ferry timetable.")])
        return {"value": 1}

    derived.remembered(seeded_store, "probe", "k", compute_while_someone_imports,
                       to_json=lambda value: value, from_json=lambda value: value)
    assert seeded_store.connection.execute(
        "SELECT COUNT(*) FROM derived_results WHERE name = 'probe'").fetchone()[0] == 0


def test_a_store_of_the_previous_schema_gains_the_table(db_path):
    import sqlite3

    from analysis.schema import MIGRATIONS

    connection = sqlite3.connect(db_path)
    for script in MIGRATIONS[:-1]:
        connection.executescript(script)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    connection.commit()
    connection.close()
    with open_store(db_path) as store:
        tables = {row[0] for row in store.connection.execute("SELECT name FROM sqlite_master")}
    assert "derived_results" in tables


def test_analyse_saves_every_corpus_result_once(seeded_db_path):
    from click.testing import CliRunner

    from analysis.cli import cli

    first = CliRunner().invoke(cli, ["analyse", "--db", str(seeded_db_path), "--format", "jsonl",
                                     "--jobs", "1"])
    assert first.exit_code == 0, first.output
    steps = [json.loads(line) for line in first.stdout.splitlines()]
    assert [step["step"] for step in steps] == ["vocabulary", "stories", "statistics", "terms",
                                                "search index"]
    assert steps[2]["result"] == "4 outlets" and steps[4]["result"] == "built"
    with open_store(seeded_db_path) as store:
        saved = {row[0] for row in store.connection.execute("SELECT name FROM derived_results")}
    assert saved == {"tfidf_model", "outlet_stats", "corpus_term_rates"}
    restarted()
    again = CliRunner().invoke(cli, ["analyse", "--db", str(seeded_db_path), "--format", "jsonl"])
    assert json.loads(again.stdout.splitlines()[4])["result"] == "up to date"


def test_the_bundled_store_is_built_with_its_analyses(db_path):
    from analysis.corpus import open_bundled_store

    with open_bundled_store(db_path) as store:
        saved = {row[0] for row in store.connection.execute("SELECT name FROM derived_results")}
    assert saved == {"tfidf_model", "outlet_stats", "corpus_term_rates"}
