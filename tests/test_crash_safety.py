"""Crash safety: an ingest killed midway leaves a store that opens, holds whole articles only,
and is completed by the next ingest.

A real ``python -m analysis ingest`` runs over a few thousand generated files
and gets SIGKILL once its first batches are committed (no cleanup handler
runs). Then:

- the store opens and ``PRAGMA integrity_check`` says ``ok``;
- every article row is whole: its ``raw_text`` equals its source file, its
  body and word count were written with it, and the full-text index agrees
  with the table (FTS5 ``integrity-check``, and each article's unique marker
  word finds exactly that article);
- every ``imported`` report row of the killed run names a stored article;
- a second ingest imports the rest, reports the first part as duplicates,
  and leaves exactly one article per file.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.store import open_store
from tests.conftest import PROJECT_ROOT

ARTICLES = 4000
BATCH_SIZE = 500  # IngestOptions' default, which the CLI uses
WORDS = ("minister officials talks week Tuesday city council budget school teachers road "
         "workers port ships grain company shares court judge ruling report police "
         "the a of in on and to").split()


def write_corpus(folder: Path, count: int) -> dict[str, str]:
    generator = random.Random(4000)
    texts = {}
    for number in range(count):
        paragraphs = [" ".join(generator.choice(WORDS) for _ in range(40)).capitalize() + "."
                      for _ in range(3)]
        paragraphs[1] += f" The clerk filed it as uniq{number:05d}x for the record."
        text = f"Council report number {number}\n\n" + "\n\n".join(paragraphs)
        path = folder / f"article-{number:05d}.txt"
        path.write_text(text, encoding="utf-8")
        texts[str(path)] = text
    return texts


def stored_articles(db_path: Path) -> int:
    """Articles committed so far, read the way the dashboard reads while an ingest writes."""
    if not db_path.exists():
        return 0
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not created yet
        return 0
    finally:
        connection.close()


def ingest_command(folder: Path, db_path: Path) -> list[str]:
    return [sys.executable, "-m", "analysis", "ingest", str(folder), "--db", str(db_path),
            "--format", "jsonl"]


def kill_after_first_batches(folder: Path, db_path: Path, *, batches: int) -> int:
    """Start an ingest, SIGKILL it once ``batches`` batches are committed; the count then."""
    process = subprocess.Popen(ingest_command(folder, db_path), cwd=PROJECT_ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while stored_articles(db_path) < batches * BATCH_SIZE:
            assert process.poll() is None, "the ingest finished before it could be killed"
            time.sleep(0.01)
        assert process.poll() is None, "the ingest finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None and process.returncode is None:
            process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    return stored_articles(db_path)


def assert_whole_articles_only(db_path: Path, sources: dict[str, str]) -> int:
    with open_store(db_path) as store:
        connection = store.connection
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        store.ensure_search_index()
        # Raises sqlite3.DatabaseError when the index and the table disagree.
        connection.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        articles = store.articles(with_raw=True)
        for row in articles.itertuples():
            assert row.raw_text == sources[row.source], row.id
            assert row.body.strip() and row.words > 0, row.id
        indexed = connection.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'uniq*'").fetchone()[0]
        assert indexed == len(articles)
        for article_id in random.Random(len(articles)).sample(list(articles["id"]), 25):
            number = article_id.removeprefix("article-")
            assert store.search(f"uniq{number}x")["id"].tolist() == [article_id]
        imported = connection.execute(
            "SELECT article_id FROM ingest_report WHERE status = 'imported'").fetchall()
        assert {article_id for (article_id,) in imported} <= set(articles["id"])
        return len(articles)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("crash-corpus")
    return folder, write_corpus(folder, ARTICLES)


def test_a_killed_ingest_leaves_whole_articles_and_the_next_one_completes(corpus, tmp_path):
    folder, sources = corpus
    db_path = tmp_path / "corpus.db"

    committed = kill_after_first_batches(folder, db_path, batches=2)
    assert 0 < committed < ARTICLES
    assert committed % BATCH_SIZE == 0  # a batch is one transaction: all of it or none
    assert assert_whole_articles_only(db_path, sources) == committed

    finished = subprocess.run(ingest_command(folder, db_path), cwd=PROJECT_ROOT,
                              capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert f"{ARTICLES - committed} imported, {committed} duplicate, 0 rejected" in finished.stderr
    assert assert_whole_articles_only(db_path, sources) == ARTICLES
