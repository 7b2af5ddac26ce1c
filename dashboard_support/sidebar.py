"""The sidebar every page shares."""

from __future__ import annotations

import streamlit as st

from dashboard_support import cache, session
from dashboard_support.demo import is_demo_mode


def render_sidebar() -> None:
    db_path = session.active_db_path()
    frame = cache.articles(db_path, cache.corpus_version(db_path))
    with st.sidebar:
        st.caption("SameStory: how did different outlets cover the same story?")
        if is_demo_mode():
            st.caption("Demo mode: " + ("your private copy with your uploads"
                                        if session.has_private_store() else "the bundled corpus, read-only"))
        st.metric("Articles", len(frame))
        st.metric("Outlets", frame["outlet"].nunique())
