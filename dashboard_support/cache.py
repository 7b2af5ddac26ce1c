"""All dashboard caching: thin wrappers around library calls.

Every cached read takes the store's version number, so a write (ingest,
rename, edit) invalidates exactly the entries built on the old corpus.

Corpus-wide frames (article metadata, stories, memberships) and story views
are ``st.cache_resource``: one shared object, never copied. ``st.cache_data``
would unpickle a fresh copy on every call, which with tens of thousands of
articles costs more than the rest of a rerun. Pages treat them as read-only:
they select and merge, which makes new frames, and never assign into them.
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


ARTICLE_META_COLUMNS = ["id", "outlet", "title", "date", "author", "dateline", "words"]


@st.cache_resource(show_spinner=False, max_entries=4)
def articles(db_path: str, version: int) -> pd.DataFrame:
    """Every article's metadata, without bodies (read-only, shared)."""
    with open_store(db_path) as store:
        frame = store.article_fields(ARTICLE_META_COLUMNS)
    return frame.astype({"words": "int64"})


@st.cache_data(show_spinner=False, max_entries=64)
def article(db_path: str, version: int, article_id: str) -> dict:
    """One article with its body and removed lines, for the reader."""
    with open_store(db_path) as store:
        return store.article(article_id)


@st.cache_data(show_spinner=False, max_entries=64)
def search(db_path: str, version: int, query: str) -> pd.DataFrame:
    with open_store(db_path) as store:
        return store.search(query, limit=200)


# -- stories (issue 4): persisted in the store too, so a cold start reads them back --

@st.cache_resource(show_spinner="Grouping articles into stories …", max_entries=4)
def stories(db_path: str, version: int) -> pd.DataFrame:
    from analysis.stories import story_table

    with open_store(db_path) as store:
        return story_table(store)


@st.cache_resource(show_spinner=False, max_entries=4)
def story_members(db_path: str, version: int) -> pd.DataFrame:
    from analysis.stories import story_memberships

    with open_store(db_path) as store:
        return story_memberships(store)


@st.cache_data(show_spinner=False, max_entries=8)
def story_edits(db_path: str, version: int) -> pd.DataFrame:
    from analysis.story_edits import story_edits as stored_edits

    with open_store(db_path) as store:
        return stored_edits(store)


@st.cache_data(show_spinner="Computing outlet statistics …", max_entries=16)
def outlet_statistics(db_path: str, version: int, story_id: str | None) -> pd.DataFrame:
    from analysis.stats import outlet_stats

    with open_store(db_path) as store:
        return outlet_stats(store, story_id=story_id)


@st.cache_data(show_spinner="Scoring distinctive terms …", max_entries=16)
def distinctive_terms(db_path: str, version: int, story_id: str | None) -> pd.DataFrame:
    from analysis.stories import story_article_ids
    from analysis.terms import outlet_terms

    with open_store(db_path) as store:
        ids = story_article_ids(store, story_id) if story_id else None
        return outlet_terms(store, ids=ids)


@st.cache_data(show_spinner=False, max_entries=64)
def keyword_in_context(db_path: str, version: int, term: str, story_id: str | None) -> pd.DataFrame:
    from analysis.kwic import keyword_in_context as kwic
    from analysis.stories import story_article_ids

    with open_store(db_path) as store:
        ids = story_article_ids(store, story_id) if story_id else None
        return kwic(store, term, ids=ids)


@st.cache_resource(show_spinner="Aligning passages, quotes and terms of the story …", max_entries=16)
def story_view(db_path: str, version: int, story_id: str):
    from analysis.story_view import story_view as gather

    with open_store(db_path) as store:
        return gather(store, story_id)


@st.cache_data(show_spinner=False, max_entries=16)
def story_report_html(db_path: str, version: int, story_id: str) -> str:
    from analysis.report import render_report

    return render_report(story_view(db_path, version, story_id))


@st.cache_data(show_spinner=False, max_entries=16)
def story_bundle_json(db_path: str, version: int, story_id: str) -> str:
    from analysis.bundle import bundle_json

    return bundle_json(story_view(db_path, version, story_id), corpus_version=version)


@st.cache_data(show_spinner=False, max_entries=8)
def sources(db_path: str, version: int) -> pd.DataFrame:
    from analysis.fingerprint import sources_frame

    with open_store(db_path) as store:
        return sources_frame(store)


def rename_source(db_path: str, fingerprint: str, name: str) -> int:
    """A write, so not cached: the version bump refreshes every cached read."""
    from analysis.fingerprint import rename_source as rename

    with open_store(db_path) as store:
        return rename(store, fingerprint, name)
