"""Renaming a template-based source from the corpus page (AppTest)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from analysis.ingest import ingest
from analysis.store import open_store
from tests.conftest import BUNDLED_DATA

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def test_a_source_renamed_on_the_corpus_page_becomes_the_outlet(db_path, monkeypatch):
    with open_store(db_path) as store:
        ingest(store, [BUNDLED_DATA / "articles"])  # no manifest: outlets come from fingerprints
    monkeypatch.setenv("SAMESTORY_DB", str(db_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=30)
    app.run()
    assert not app.exception
    chosen = next(box for box in app.selectbox if box.label == "Source to rename").value
    next(box for box in app.text_input if box.label == "New name").set_value("Frankfurter Portal")
    next(button for button in app.button if button.label == "Rename source").click()
    app.run()
    assert not app.exception
    with open_store(db_path) as store:
        articles = store.articles()
        renamed = articles[articles["outlet"] == "Frankfurter Portal"]
        fingerprints = store.connection.execute(
            "SELECT id FROM articles WHERE fingerprint = ?", (chosen,)).fetchall()
    assert set(renamed["id"]) == {row[0] for row in fingerprints} != set()
