"""The sidebar every page shares."""

from __future__ import annotations

import streamlit as st

from dashboard_support import cache


def render_sidebar() -> None:
    db_path = cache.corpus_path()
    frame = cache.articles(db_path, cache.corpus_version(db_path))
    with st.sidebar:
        st.caption("SameStory: how did different outlets cover the same story?")
        st.metric("Articles", len(frame))
        st.metric("Outlets", frame["outlet"].nunique())
