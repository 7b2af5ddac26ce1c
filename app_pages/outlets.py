"""Outlets page: per-outlet statistics, distinctive terms and keyword in context."""

import streamlit as st

from analysis.errors import SameStoryError
from analysis.stats import OUTLET_COLUMNS
from dashboard_support import cache, charts, session
from dashboard_support.widgets import url_selectbox, url_text_input

METRICS = [column for column in OUTLET_COLUMNS if column != "outlet"]

db_path = session.active_db_path()
version = cache.corpus_version(db_path)

st.title("Outlets")
st.caption("How the outlets compare in volume, length, readability, tone, quoting, copying and "
           "timing. Every column is documented in `analysis/stats.py`; attention is normalised "
           "by each outlet's own output.")

statistics = cache.outlet_statistics(db_path, version, None)
metric = url_selectbox("Compare outlets by", METRICS, "metric", what="statistic")
chart_column, table_column = st.columns([3, 2])
with chart_column:
    st.altair_chart(charts.outlet_bars(statistics, metric, title=f"{metric} per outlet"),
                    width="stretch")
with table_column:
    st.dataframe(statistics[["outlet", metric]], hide_index=True, width="stretch")
st.dataframe(statistics, hide_index=True, width="stretch")
st.download_button("Download outlet statistics (CSV)", lambda: statistics.to_csv(index=False).encode("utf-8"),
                   file_name="outlets.csv", mime="text/csv", on_click="ignore")

st.header("Distinctive terms")
st.caption("Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008): "
           "each outlet against all the others, as z-scores.")
terms = cache.distinctive_terms(db_path, version, None)
outlets = sorted(terms["outlet"].unique().tolist()) if not terms.empty else []
if not outlets:
    st.info("Too few repeated words for distinctive terms in this corpus.")
else:
    outlet = url_selectbox("Outlet", outlets, "outlet", what="outlet")
    own = terms[terms["outlet"] == outlet]
    chart_column, table_column = st.columns([3, 2])
    with chart_column:
        st.altair_chart(charts.term_bars(own, title=f"Words that set {outlet} apart"),
                        width="stretch")
    with table_column:
        st.dataframe(own[["term", "z", "count"]], hide_index=True, width="stretch")
    st.download_button("Download all distinctive terms (CSV)", lambda: terms.to_csv(index=False).encode("utf-8"),
                       file_name="terms.csv", mime="text/csv", on_click="ignore")

st.header("Keyword in context")
term = url_text_input("Word or phrase", "kwic", placeholder="e.g. guarantees")
if term.strip():
    try:
        hits = cache.keyword_in_context(db_path, version, term, None)
    except SameStoryError as problem:
        st.warning(str(problem))
    else:
        st.caption(f"{len(hits)} occurrences in {hits['outlet'].nunique()} outlets")
        st.dataframe(hits, hide_index=True, width="stretch")
