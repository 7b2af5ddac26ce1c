"""Stories page: every story with its outlets, dates and explanation; merge, move, split."""

import pandas as pd
import streamlit as st

from analysis.errors import SameStoryError
from analysis.store import open_store
from analysis.story_edits import merge_stories, move_article, split_story, undo_edit
from dashboard_support import cache, session
from dashboard_support.demo import is_demo_mode
from dashboard_support.widgets import STORY_CHOICES, capped_options, url_selectbox

MOVE_CHOICES = 1000


def story_list(stories: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame({
        "story_id": stories["story_id"],
        "label": stories["label"],
        "articles": stories["article_ids"].map(len),
        "outlets": stories["outlets"].map(", ".join),
        "start": stories["start"],
        "end": stories["end"],
        "explanation": stories["explanation"],
    })
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"articles": st.column_config.NumberColumn("articles", format="%d")})
    st.download_button("Download the stories (CSV)", lambda: table.to_csv(index=False).encode("utf-8"),
                       file_name="stories.csv", mime="text/csv", on_click="ignore")
    return table


def members_section(story_id: str, members: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    chosen = members[members["story_id"] == story_id].merge(
        articles[["id", "outlet", "title", "date"]], left_on="article_id", right_on="id")
    table = chosen[["article_id", "outlet", "title", "date", "score"]].assign(
        shared_terms=chosen["shared_terms"].map(", ".join))
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"score": st.column_config.NumberColumn(
                     "score", help="Cosine to the story centroid", format="%.2f")})
    st.page_link("app_pages/story.py", label="Open this story side by side",
                 icon=":material/open_in_new:", query_params={"story": story_id})
    return table


def edit_section(db_path: str, story_id: str, stories: pd.DataFrame, members: pd.DataFrame) -> None:
    if is_demo_mode():
        st.info("Demo mode: stories are read-only here. Run SameStory locally to merge or split.")
        return
    others = [other for other in stories["story_id"] if other != story_id]
    label_of = dict(zip(stories["story_id"], stories["label"]))
    in_story = members.loc[members["story_id"] == story_id, "article_id"].tolist()
    outside = members.loc[members["story_id"] != story_id, "article_id"].tolist()
    merge, move, split = st.columns(3)
    # Long lists are cut; any other story or article id can be typed in (the edit checks it).
    with merge:
        other = st.selectbox("Merge with story", others[:STORY_CHOICES], key="merge_with",
                             accept_new_options=True,
                             format_func=lambda value: f"{value} · {label_of.get(value, '')}")
        if st.button("Merge", key="merge_button", disabled=not other):
            _apply(db_path, lambda store: merge_stories(store, story_id, other))
    with move:
        article = st.selectbox("Move an article into this story", outside[:MOVE_CHOICES],
                               key="move_article", accept_new_options=True)
        if st.button("Move here", key="move_button", disabled=not article):
            _apply(db_path, lambda store: move_article(store, article, story_id))
    with split:
        chosen = st.multiselect("Split these articles off", in_story, key="split_articles")
        if st.button("Split", key="split_button", disabled=not chosen):
            _apply(db_path, lambda store: split_story(store, story_id, chosen))


def edits_section(db_path: str, version: int) -> None:
    edits = cache.story_edits(db_path, version)
    st.subheader("Your edits")
    if edits.empty:
        st.caption("No edits yet: these stories are as SameStory grouped them.")
        return
    st.dataframe(edits.assign(article_ids=edits["article_ids"].map(", ".join)), hide_index=True,
                 width="stretch")
    if not is_demo_mode():
        edit_id = st.selectbox("Undo edit", edits["edit_id"].tolist(), key="undo_edit")
        if st.button("Undo", key="undo_button"):
            _apply(db_path, lambda store: undo_edit(store, int(edit_id)))


def _apply(db_path: str, edit) -> None:
    try:
        with open_store(db_path) as store:
            edit(store)
    except SameStoryError as problem:
        st.text(f"Not changed: {problem}")
        return
    st.rerun()


db_path = session.active_db_path()
version = cache.corpus_version(db_path)
stories = cache.stories(db_path, version)
members = cache.story_members(db_path, version)
articles = cache.articles(db_path, version)

st.title("Stories")
st.caption(f"{len(stories)} stories from {len(articles)} articles, grouped by text similarity "
           "and publication date; no number of stories was given.")
story_list(stories)

st.subheader("One story")
label_of = dict(zip(stories["story_id"], stories["label"]))
if len(stories) > STORY_CHOICES:
    st.caption(f"The list below holds the {STORY_CHOICES} largest stories; a link opens any story.")
story_id = url_selectbox("Story", capped_options(stories["story_id"].tolist(), "story",
                                                 limit=STORY_CHOICES), "story", what="story",
                         format_func=lambda value: f"{value} · {label_of.get(value, '')}")
if story_id is not None:
    explanation = stories.set_index("story_id").at[story_id, "explanation"]
    st.text(explanation)
    members_section(story_id, members, articles)
    edit_section(db_path, story_id, stories, members)
edits_section(db_path, version)
