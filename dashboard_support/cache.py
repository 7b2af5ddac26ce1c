"""All dashboard caching: thin st.cache_data wrappers around library calls.

Every cached read takes the store's version number, so a write (ingest,
rename, edit) invalidates exactly the entries built on the old corpus.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.corpus import default_db_path, open_bundled_store
from analysis.store import open_store


@st.cache_resource(show_spinner="Building the corpus from data/ …")
def _ensure_corpus(db_path: str) -> str:
    """Create the store from the bundled data once per server process."""
    with open_bundled_store(db_path):
        pass
    return db_path


def corpus_path() -> str:
    return _ensure_corpus(str(Path(default_db_path()).resolve()))


def corpus_version(db_path: str) -> int:
    with open_store(db_path) as store:
        return store.version()


@st.cache_data(show_spinner=False, max_entries=8)
def articles(db_path: str, version: int) -> pd.DataFrame:
    with open_store(db_path) as store:
        return store.articles()


@st.cache_data(show_spinner=False, max_entries=64)
def search(db_path: str, version: int, query: str) -> pd.DataFrame:
    with open_store(db_path) as store:
        return store.search(query, limit=200)
