"""The stories and story pages through Streamlit's AppTest (no browser)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.corpus import load_bundled_corpus
from analysis.store import open_store
from analysis.stories import story_table
from tests.conftest import SEED_IDS

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture
def seeded_env(db_path, monkeypatch):
    with open_store(db_path) as store:
        load_bundled_corpus(store)
        stories = story_table(store)
    monkeypatch.setenv("SAMESTORY_DB", str(db_path))
    monkeypatch.delenv("SAMESTORY_DEMO", raising=False)
    return stories


class Page:
    """The dashboard opened on one page (so page links between pages resolve)."""

    def __init__(self, name: str):
        self.app = AppTest.from_file(DASHBOARD, default_timeout=30)
        self.name = name

    def run(self, **query):
        for key, value in query.items():
            self.app.query_params[key] = value
        self.app.switch_page(f"app_pages/{self.name}")
        self.app.run()
        return self.app


def page(name: str) -> Page:
    return Page(name)


def istanbul_story(stories) -> str:
    return stories.loc[stories["article_ids"].map(len) == 3, "story_id"].iloc[0]


def test_stories_page_lists_every_story_with_its_explanation(seeded_env):
    app = page("stories.py").run()
    assert not app.exception
    listed = next(frame.value for frame in app.dataframe if "explanation" in frame.value.columns)
    assert sorted(listed["story_id"]) == sorted(seeded_env["story_id"])
    assert listed["explanation"].str.len().min() > 0
    assert sorted(listed["articles"]) == [1, 1, 3]
    assert {"merge_button", "move_button", "split_button"} <= {button.key for button in app.button}


def test_the_story_in_the_link_is_selected_and_can_be_split(seeded_env, db_path):
    story_id = istanbul_story(seeded_env)
    app = page("stories.py").run(story=story_id)
    assert not app.exception
    assert app.selectbox(key="story").value == story_id
    app.multiselect(key="split_articles").select(SEED_IDS[2])
    app.run()
    app.button(key="split_button").click()
    app.run()
    assert not app.exception
    with open_store(db_path) as store:
        groups = {frozenset(ids) for ids in story_table(store)["article_ids"]}
    assert frozenset([SEED_IDS[2]]) in groups
    assert frozenset(SEED_IDS[:2]) in groups


def test_demo_mode_is_read_only(seeded_env, monkeypatch):
    monkeypatch.setenv("SAMESTORY_DEMO", "1")
    app = page("stories.py").run()
    assert not app.exception
    assert not [button for button in app.button if button.key in {"merge_button", "split_button"}]
    assert any("read-only" in info.value for info in app.info)


def test_story_page_shows_the_outlet_heatmap_and_its_table(seeded_env):
    story_id = istanbul_story(seeded_env)
    app = page("story.py").run(story=story_id)
    assert not app.exception
    assert app.selectbox(key="story").value == story_id
    tables = [frame.value for frame in app.dataframe]
    outlet_table = next(table for table in tables if "outlet_a" in table.columns)
    assert outlet_table["outlet_a"].nunique() == 3
    assert len(outlet_table) == 9
    members = next(table for table in tables if "article_id" in table.columns)
    assert set(members["article_id"]) == set(SEED_IDS[:3])


def test_an_unknown_story_in_the_link_falls_back_with_a_message(seeded_env):
    app = page("story.py").run(story="s-nope")
    assert not app.exception
    assert app.warning and "s-nope" in app.warning[0].value


def test_long_story_lists_are_cut_but_a_link_opens_any_story(seeded_env, monkeypatch):
    from dashboard_support import widgets

    monkeypatch.setattr(widgets, "STORY_CHOICES", 1)
    largest, smallest = seeded_env["story_id"].iloc[0], seeded_env["story_id"].iloc[-1]
    plain = Page("stories.py").run()
    assert not plain.exception
    assert plain.selectbox(key="story").options == [f"{largest} · {seeded_env['label'].iloc[0]}"]
    linked = Page("story.py").run(story=smallest)
    assert not linked.exception
    assert linked.selectbox(key="story").value == smallest
    assert len(linked.selectbox(key="story").options) == 2
