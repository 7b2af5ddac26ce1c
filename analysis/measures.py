"""Per-article measures kept in the store: corpus statistics that grow with the corpus.

Outlet statistics (:mod:`analysis.stats`) aggregate small measurements of
each article: words, sentences, readability, tone
(:func:`analysis.stats.article_measures`) and the speakers of its counted
quotes (:mod:`analysis.quotes`). Measuring is the expensive part (about
1.5 ms of CPU per article, mostly VADER and quote attribution), so each
article is measured once per set of options and its row kept in the
``article_measures`` table. After an import only the new articles are
measured; a changed body drops the article's row (a trigger), so the next
pass measures it again.

Articles still to measure are read from the store a chunk at a time
(:data:`CHUNK_ARTICLES`, by the worker that measures it) and each chunk's rows
are written as it comes back, so a pass never holds every body, in the main
process or in the workers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from analysis.stats import (
    COUNTED_QUOTE_KINDS,
    MEASURE_COLUMNS,
    PARALLEL_MIN_ARTICLES,
    UNKNOWN_OUTLET,
    StatsOptions,
    article_measures,
)
from analysis.store import Store, open_store

CHUNK_ARTICLES = 1000
ARTICLE_FIELDS = ["id", "body", "words"]
QUOTE_COLUMNS = ["article_id", "speaker"]
_STORED = ["words", "sentences", "syllables_per_word", "flesch_reading_ease", "tone"]


@dataclass(frozen=True)
class StoredMeasures:
    """Measures of the articles asked for, in import order.

    ``measures``: one row per article, :data:`analysis.stats.MEASURE_COLUMNS`
    (outlet and date as they are now, not as when measured). ``quotes``: one
    row per direct or partial quote (scare quotes are not counted), columns
    ``article_id`` and ``speaker`` (null when unattributed); None when
    quotes were not asked for.
    """

    measures: pd.DataFrame
    quotes: pd.DataFrame | None


def stored_measures(store: Store, *, options: StatsOptions = StatsOptions(), ids=None,
                    with_quotes: bool = True, n_jobs: int = 1) -> StoredMeasures:
    """Measures of ``ids`` (default: every article), measuring only those not yet kept.

    ``with_quotes=False`` neither extracts nor returns quotes (an article
    measured that way is measured again when quotes are asked for later).
    ``n_jobs > 1`` measures in that many worker processes.
    """
    key = repr(options)
    wanted = None if ids is None else json.dumps(sorted({str(article_id) for article_id in ids}))
    missing = _unmeasured(store, key, wanted, with_quotes)
    if missing:
        _measure(store, key, missing, options, with_quotes, n_jobs)
    return _read(store, key, wanted, with_quotes)


# Articles of the JSON list :wanted, or every article when it is null.
_WANTED = "(:wanted IS NULL OR a.id IN (SELECT value FROM json_each(:wanted)))"


def _unmeasured(store: Store, key: str, wanted: str | None, with_quotes: bool) -> list[str]:
    quotes_missing = " OR m.quote_speakers_json IS NULL" if with_quotes else ""
    rows = store.connection.execute(
        "SELECT a.id FROM articles a LEFT JOIN article_measures m "
        "ON m.options_key = :key AND m.article_id = a.id "
        f"WHERE {_WANTED} AND (m.article_id IS NULL{quotes_missing}) ORDER BY a.rowid",
        {"key": key, "wanted": wanted}).fetchall()
    return [row[0] for row in rows]


def _measure(store: Store, key: str, missing: list[str], options: StatsOptions,
             with_quotes: bool, n_jobs: int) -> None:
    chunks = [missing[start:start + CHUNK_ARTICLES] for start in range(0, len(missing), CHUNK_ARTICLES)]
    if n_jobs > 1 and len(missing) >= PARALLEL_MIN_ARTICLES and store.path != ":memory:":
        # Each worker reads its chunk's bodies from the file (WAL lets it read while this
        # process writes): no body crosses a process boundary, and a worker that finishes
        # early takes the next chunk at once.
        results = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_measure_stored_chunk)(store.path, chunk, options, with_quotes) for chunk in chunks)
    else:
        results = (_measure_chunk(store.article_fields(ARTICLE_FIELDS, ids=chunk), options, with_quotes)
                   for chunk in chunks)
    for rows in results:
        _write(store, key, rows)


def _measure_stored_chunk(path: str, ids: list[str], options: StatsOptions, with_quotes: bool) -> list[tuple]:
    with open_store(path) as store:
        articles = store.article_fields(ARTICLE_FIELDS, ids=ids)
    return _measure_chunk(articles, options, with_quotes)


def _measure_chunk(articles: pd.DataFrame, options: StatsOptions, with_quotes: bool) -> list[tuple]:
    """Rows for ``article_measures``: options key excluded, speakers as JSON or None."""
    measured = article_measures(articles, options=options)
    speakers_json = [None] * len(articles)
    if with_quotes:
        from analysis.quotes import extract_quotes

        quotes = extract_quotes(articles[["id", "body"]])
        counted = quotes[quotes["kind"].isin(COUNTED_QUOTE_KINDS)]
        speakers = counted.groupby("article_id", sort=False)["speaker"].agg(
            lambda names: [name if isinstance(name, str) else None for name in names])
        speakers_json = [json.dumps(speakers.get(article_id, []), ensure_ascii=False)
                         for article_id in measured["article_id"]]
    values = measured[_STORED].astype(object).where(measured[_STORED].notna(), None)
    return [(article_id, *row, speaker_list) for article_id, row, speaker_list
            in zip(measured["article_id"], values.itertuples(index=False), speakers_json, strict=True)]


def _write(store: Store, key: str, rows: list[tuple]) -> None:
    # Derived from stored articles: writing it must not look like a corpus change.
    with store.transaction(changes_corpus=False) as connection:
        connection.executemany(
            "INSERT OR REPLACE INTO article_measures (article_id, options_key, words, sentences, "
            "syllables_per_word, flesch_reading_ease, tone, quote_speakers_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(row[0], key, *row[1:]) for row in rows])


def _read(store: Store, key: str, wanted: str | None, with_quotes: bool) -> StoredMeasures:
    rows = store.connection.execute(
        "SELECT a.id, a.outlet, a.date, m.words, m.sentences, m.syllables_per_word, "
        "m.flesch_reading_ease, m.tone, m.quote_speakers_json FROM articles a "
        f"JOIN article_measures m ON m.options_key = :key AND m.article_id = a.id WHERE {_WANTED} "
        "ORDER BY a.rowid", {"key": key, "wanted": wanted}).fetchall()
    frame = pd.DataFrame(rows, columns=[*MEASURE_COLUMNS, "speakers"])
    frame["outlet"] = frame["outlet"].fillna(UNKNOWN_OUTLET)
    frame = frame.astype({"words": "int64", "sentences": "int64", "syllables_per_word": "float64",
                          "flesch_reading_ease": "float64", "tone": "float64"})
    quotes = None
    if with_quotes:
        speakers = frame["speakers"].map(json.loads)
        quotes = pd.DataFrame({
            "article_id": np.repeat(frame["article_id"].to_numpy(),
                                    np.fromiter(map(len, speakers), dtype=np.int64, count=len(speakers))),
            "speaker": [speaker for article_speakers in speakers for speaker in article_speakers],
        }, columns=QUOTE_COLUMNS, dtype=object)
    return StoredMeasures(frame[MEASURE_COLUMNS], quotes)
