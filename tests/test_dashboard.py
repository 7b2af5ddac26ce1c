"""Page logic through Streamlit's AppTest (no browser)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import SEED_IDS

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture
def app(db_path, monkeypatch):
    monkeypatch.setenv("SAMESTORY_DB", str(db_path))
    return AppTest.from_file(DASHBOARD, default_timeout=30)


def frame_values(app, column):
    return [value for frame in app.dataframe for value in frame.value.get(column, [])]


def test_corpus_page_builds_the_store_and_lists_the_seeds(app):
    app.run()
    assert not app.exception
    assert set(SEED_IDS) <= set(frame_values(app, "id"))
    assert app.title[0].value == "Corpus"


def test_search_filters_the_table(app):
    app.query_params["q"] = "Medinsky"
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table["id"].tolist() == [SEED_IDS[2]]


def test_reader_shows_the_article_from_the_link(app):
    app.query_params["article"] = SEED_IDS[3]
    app.run()
    assert not app.exception
    assert any("Blinken" in text.value for text in app.text)


def test_reader_leaves_unknown_facts_empty(app):
    app.query_params["article"] = SEED_IDS[0]  # its text states no title
    app.run()
    assert not app.exception
    facts = next(frame.value for frame in app.dataframe if "field" in frame.value)
    values = dict(zip(facts["field"], facts["value"]))
    assert values["Title"] == "" and values["Dateline"] == "Istanbul"
    assert values["Author"] == "Linus Prien"
    assert "nan" not in values.values() and "None" not in values.values()


@pytest.mark.parametrize("value", ["../../etc/passwd", "x" * 5000, "'; DROP TABLE articles; --", ""])
def test_odd_article_values_give_a_message_not_a_traceback(app, value):
    app.query_params["article"] = value
    app.query_params["q"] = value
    app.run()
    assert not app.exception


def test_the_reader_lists_the_first_articles_and_a_link_opens_any(app, monkeypatch):
    from dashboard_support import widgets

    monkeypatch.setattr(widgets, "READER_CHOICES", 2)
    app.run()
    assert not app.exception
    assert [option.split(" · ")[0] for option in app.selectbox(key="article").options] == SEED_IDS[:2]
    assert any("first 2 of these 5 articles" in caption.value for caption in app.caption)
    linked = AppTest.from_file(DASHBOARD, default_timeout=30)
    linked.query_params["article"] = SEED_IDS[4]
    linked.run()
    assert not linked.exception
    assert linked.selectbox(key="article").value == SEED_IDS[4]
    assert len(linked.selectbox(key="article").options) == 3
