"""Corpus page: every article, a full-text search, and a reader."""

import streamlit as st

from dashboard_support import cache
from dashboard_support.widgets import url_selectbox, url_text_input

db_path = cache.corpus_path()
version = cache.corpus_version(db_path)
articles = cache.articles(db_path, version)

st.title("Corpus")
st.caption(f"{len(articles)} articles from {articles['outlet'].nunique()} outlets.")

query = url_text_input("Search titles and text", "q", placeholder="e.g. security guarantees")
if query.strip():
    hits = cache.search(db_path, version, query)
    st.caption(f"{len(hits)} articles match all of: {' '.join(query.split())!r}")
    shown = articles[articles["id"].isin(hits["id"])]
else:
    shown = articles
table = shown[["id", "outlet", "title", "date", "words"]]
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"words": st.column_config.NumberColumn("words", format="%d")})
st.download_button("Download this table (CSV)", table.to_csv(index=False).encode("utf-8"),
                   file_name="articles.csv", mime="text/csv")

st.subheader("Reader")
ids = shown["id"].tolist() or articles["id"].tolist()
by_id = articles.set_index("id")
article_id = url_selectbox(
    "Article", ids, "article", what="article",
    format_func=lambda value: f"{value} · {by_id.at[value, 'outlet'] or 'unknown outlet'}",
)
if article_id is not None:
    article = by_id.loc[article_id]
    facts = {
        "Outlet": article["outlet"], "Title": article["title"], "Date": article["date"],
        "Author": article["author"], "Dateline": article["dateline"], "Words": article["words"],
    }
    st.dataframe(
        [{"field": key, "value": "" if value is None else str(value)} for key, value in facts.items()],
        hide_index=True,
    )
    with st.container(border=True):
        for paragraph in article["body"].split("\n\n"):
            st.text(paragraph)
