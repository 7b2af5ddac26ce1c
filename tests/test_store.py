import sqlite3

import pytest

from analysis.errors import StoreError, UnknownIdError
from analysis.store import SCHEMA_VERSION, open_store
from tests.conftest import BUNDLED_DATA, SEED_IDS


def test_new_store_is_migrated_and_in_wal_mode(db_path):
    with open_store(db_path) as store:
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.count_articles() == 0


def test_reopening_keeps_articles(seeded_db_path):
    with open_store(seeded_db_path) as store:
        assert store.count_articles() == 5


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="not a SameStory corpus"):
        open_store(path)


def test_a_newer_schema_is_refused(db_path):
    open_store(db_path).close()
    connection = sqlite3.connect(db_path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="Upgrade SameStory"):
        open_store(db_path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match="not a SameStory corpus"):
        open_store(path)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "corpus.db")


def test_raw_text_is_kept_untouched_beside_the_body(seeded_store):
    article = seeded_store.article(SEED_IDS[0])
    with open(BUNDLED_DATA / "articles" / f"{SEED_IDS[0]}.txt", encoding="utf-8") as handle:
        assert article["raw_text"] == handle.read()
    assert article["body"] != article["raw_text"]


def test_unknown_article_id_raises(seeded_store):
    with pytest.raises(UnknownIdError, match="no article with id 'nope'"):
        seeded_store.article("nope")


def test_search_uses_the_fts_index_and_ignores_query_syntax(seeded_store):
    hits = seeded_store.search("Medinsky")
    assert hits["id"].tolist() == [SEED_IDS[2]]
    assert "[Medinsky]" in hits["snippet"].iloc[0]
    # FTS5 operators and quotes in user input are plain words, never syntax errors.
    assert seeded_store.search('NEAR( "Medinsky OR * -') .shape[0] <= 1
    assert seeded_store.search("   ").empty


def test_search_follows_body_updates(seeded_store):
    seeded_store.update_derived([{"id": SEED_IDS[4], "body": "zebracorn crossing"}])
    assert seeded_store.search("zebracorn")["id"].tolist() == [SEED_IDS[4]]
    assert seeded_store.search("Budapest Memorandum").empty
    # Rebuilt once per change of the articles, not on every search.
    assert seeded_store.ensure_search_index() is False


def test_every_write_bumps_the_version(seeded_store):
    before = seeded_store.version()
    seeded_store.set_outlets({SEED_IDS[0]: "Renamed"}, origin="user")
    assert seeded_store.version() > before


def test_a_failed_transaction_leaves_nothing(fresh_store):
    with pytest.raises(RuntimeError):
        with fresh_store.transaction() as connection:
            connection.execute(
                "INSERT INTO articles(id, content_hash, source, format, raw_text, body) "
                "VALUES ('a', 'h', 's', 'txt', 'text', 'text')")
            raise RuntimeError("crash in the middle of a batch")
    assert fresh_store.count_articles() == 0


def test_opening_a_store_does_not_load_the_analyses():
    """Dashboard pages and CLI verbs start without scikit-learn until they analyse."""
    import subprocess
    import sys

    code = ("import sys, analysis.errors, analysis.store; "
            "print(sorted(name for name in ('sklearn', 'analysis.passages', 'analysis.quotes') "
            "if name in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_every_public_name_of_the_package_resolves():
    import analysis

    for name in analysis.__all__:
        assert getattr(analysis, name) is not None, name
    with pytest.raises(AttributeError, match="no_such_name"):
        analysis.no_such_name  # noqa: B018
