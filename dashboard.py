"""SameStory dashboard: a router over the pages in app_pages/.

Run with ``streamlit run dashboard.py``. The store is ``$SAMESTORY_DB`` (or
``samestory.db`` at the project root) and is built from ``data/`` on first
start when empty.
"""

import streamlit as st

from dashboard_support.sidebar import render_sidebar

st.set_page_config(page_title="SameStory", page_icon=":newspaper:", layout="wide")

pages = [
    st.Page("app_pages/corpus.py", title="Corpus", icon=":material/library_books:",
            url_path="corpus", default=True),
    st.Page("app_pages/stories.py", title="Stories", icon=":material/workspaces:",
            url_path="stories"),
    st.Page("app_pages/story.py", title="Story", icon=":material/compare:", url_path="story"),
    st.Page("app_pages/outlets.py", title="Outlets", icon=":material/bar_chart:",
            url_path="outlets"),
]
page = st.navigation(pages)
render_sidebar()
page.run()
