"""One story, side by side. Each section is a small function so others can be added
(passages, voices, terms) without touching the rest."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard_support import cache, session
from dashboard_support.widgets import url_selectbox


def choose_story(stories: pd.DataFrame) -> str | None:
    label_of = dict(zip(stories["story_id"], stories["label"]))
    return url_selectbox("Story", stories["story_id"].tolist(), "story", what="story",
                         format_func=lambda value: f"{value} · {label_of.get(value, '')}")


def header_section(story: pd.Series) -> None:
    st.title("Story")
    st.text(f"Key terms: {story['label'] or '(none)'}")
    span = story["start"] or "undated"
    if story["end"] and story["end"] != story["start"]:
        span = f"{story['start']} to {story['end']}"
    st.text(f"{len(story['article_ids'])} articles · {len(story['outlets'])} outlets · {span}")
    st.text(story["explanation"])


def articles_section(story_id: str, members: pd.DataFrame, articles: pd.DataFrame) -> None:
    st.subheader("Articles")
    chosen = members[members["story_id"] == story_id].merge(
        articles[["id", "outlet", "title", "date", "words"]], left_on="article_id", right_on="id")
    st.dataframe(chosen[["article_id", "outlet", "title", "date", "words", "score"]].assign(
        shared_terms=chosen["shared_terms"].map(", ".join)), hide_index=True, width="stretch",
        column_config={"score": st.column_config.NumberColumn(
            "score", help="Cosine to the story centroid", format="%.2f")})


def outlet_heatmap(frame: pd.DataFrame) -> alt.Chart:
    base = alt.Chart(frame).encode(
        x=alt.X("outlet_b:N", title=None, sort=None),
        y=alt.Y("outlet_a:N", title=None, sort=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("similarity:Q", scale=alt.Scale(domain=[0, 1], scheme="blues"),
                        title="mean cosine"),
        tooltip=["outlet_a", "outlet_b", alt.Tooltip("similarity:Q", format=".2f"), "pairs"],
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("similarity:Q", format=".2f"),
        color=alt.condition("datum.similarity > 0.6", alt.value("white"), alt.value("black")),
    )
    return (cells + labels).properties(height=max(160, 40 * frame["outlet_a"].nunique()))


def outlet_section(db_path: str, version: int, story_id: str) -> None:
    st.subheader("Outlet × outlet similarity")
    st.caption("Mean TF-IDF cosine over every pair of their articles in this story; the "
               "diagonal compares an outlet's own articles (empty with only one).")
    frame = cache.story_outlet_similarity(db_path, version, story_id)
    chart, table = st.columns([3, 2])
    with chart:
        st.altair_chart(outlet_heatmap(frame), width="stretch")
    with table:
        st.dataframe(frame, hide_index=True, width="stretch",
                     column_config={"similarity": st.column_config.NumberColumn(format="%.3f")})
        st.download_button("Download (CSV)", frame.to_csv(index=False).encode("utf-8"),
                           file_name=f"{story_id}-outlets.csv", mime="text/csv")


db_path = session.active_db_path()
version = cache.corpus_version(db_path)
stories = cache.stories(db_path, version)
story_id = choose_story(stories)
if story_id is None:
    st.title("Story")
    st.text("This corpus has no stories yet: import articles on the Corpus page.")
else:
    story = stories.set_index("story_id").loc[story_id]
    header_section(story)
    articles_section(story_id, cache.story_members(db_path, version), cache.articles(db_path, version))
    outlet_section(db_path, version, story_id)
