"""Corpus page: import, every article, a full-text search, and a reader."""

import pandas as pd
import streamlit as st

from analysis.errors import LimitExceeded, SameStoryError
from dashboard_support import cache, session
from dashboard_support.demo import is_demo_mode
from dashboard_support.widgets import (
    READER_CHOICES,
    capped_options,
    markdown_literal,
    url_selectbox,
    url_text_input,
)


def import_section() -> None:
    limits = session.upload_limits()
    with st.expander("Import articles", expanded=False):
        if is_demo_mode():
            st.info("Demo mode: the bundled corpus is read-only. Files you upload are added to a "
                    "private copy that only this browser session sees, and are gone when it ends. "
                    f"Limits: {limits.max_files} files, {limits.max_file_mb} MB each, "
                    f"{limits.max_total_bytes // (1024 * 1024)} MB in all.")
        files = st.file_uploader(
            "Upload .txt, .html, .json, .jsonl or .csv files",
            type=["txt", "html", "htm", "json", "jsonl", "csv"], accept_multiple_files=True,
            max_upload_size=limits.max_file_mb, key="uploads")
        if files and st.button("Import the uploaded files", type="primary"):
            bar = st.progress(0.0, text="Importing …")
            try:
                result = session.import_uploads(
                    files, lambda fraction, name: bar.progress(min(fraction, 1.0), text=f"Read {name}"))
            except LimitExceeded as problem:
                st.error(str(problem))
                return
            bar.progress(1.0, text=result.summary())
            st.session_state["last_ingest_report"] = result.report
            st.session_state["last_ingest_summary"] = result.summary()
        if "last_ingest_report" in st.session_state:
            st.caption(f"Last import: {st.session_state['last_ingest_summary']}")
            st.dataframe(st.session_state["last_ingest_report"], hide_index=True, width="stretch")


def sources_section(db_path: str, version: int) -> None:
    """Template-based source groups (articles with no outlet from the user) and renaming."""
    groups = cache.sources(db_path, version)
    if groups.empty:
        return
    with st.expander(f"Sources found by shared template lines ({len(groups)})"):
        st.dataframe(groups.assign(articles=groups["article_ids"].map(len))[
            ["fingerprint", "name", "articles", "evidence"]], hide_index=True, width="stretch")
        if is_demo_mode():
            st.caption("Demo mode: sources cannot be renamed here.")
            return
        name_of = dict(zip(groups["fingerprint"], groups["name"]))
        fingerprint = st.selectbox("Source to rename", list(name_of),
                                   format_func=lambda value: f"{value} · {name_of[value]}")
        name = st.text_input("New name", max_chars=120)
        if st.button("Rename source") and name.strip():
            try:
                changed = cache.rename_source(db_path, fingerprint, name)
            except SameStoryError as problem:
                st.error(str(problem))
            else:
                st.success(f"Renamed; {changed} article(s) now carry this outlet name.")
                st.rerun()


st.title("Corpus")
import_section()
db_path = session.active_db_path()
version = cache.corpus_version(db_path)
articles = cache.articles(db_path, version)
st.caption(f"{len(articles)} articles from {articles['outlet'].nunique()} outlets.")
sources_section(db_path, version)

query = url_text_input("Search titles and text", "q", placeholder="e.g. security guarantees")
if query.strip():
    hits = cache.search(db_path, version, query)
    st.caption(f"{len(hits)} articles match all of: {markdown_literal(query)}")
    shown = articles[articles["id"].isin(hits["id"])]
else:
    shown = articles
table = shown[["id", "outlet", "title", "date", "words"]]
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"words": st.column_config.NumberColumn("words", format="%d")})
# Built only when clicked: turning tens of thousands of rows into CSV on every rerun
# would cost more than the rest of the page.
st.download_button("Download this table (CSV)", lambda: table.to_csv(index=False).encode("utf-8"),
                   file_name="articles.csv", mime="text/csv", on_click="ignore")

st.subheader("Reader")
choices = shown if not shown.empty else articles
if len(choices) > READER_CHOICES:
    st.caption(f"The reader lists the first {READER_CHOICES} of these {len(choices)} articles; "
               "search to narrow them.")
outlet_of = dict(zip(articles["id"], articles["outlet"]))
article_id = url_selectbox(
    "Article", capped_options(choices["id"].tolist(), "article", limit=READER_CHOICES, known=outlet_of),
    "article", what="article",
    format_func=lambda value: f"{value} · {outlet_of[value] or 'unknown outlet'}",
)
if article_id is not None:
    article = cache.article(db_path, version, article_id)
    facts = {
        "Outlet": article["outlet"], "Title": article["title"], "Date": article["date"],
        "Author": article["author"], "Dateline": article["dateline"], "Words": article["words"],
    }
    st.dataframe(
        [{"field": key, "value": "" if pd.isna(value) else str(value)} for key, value in facts.items()],
        hide_index=True,
    )
    with st.container(border=True):
        for paragraph in article["body"].split("\n\n"):
            st.text(paragraph)
    removed = article["removed"] or []
    if st.toggle(f"Show removed lines ({len(removed)})", key="show_removed"):
        st.caption("Lines the cleaner removed, each with the rule that removed it.")
        st.dataframe(
            [{"rule": item["rule"], "line": item["line"]} for item in removed],
            hide_index=True, width="stretch",
        )
