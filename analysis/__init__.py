"""SameStory: how did different outlets cover the same story?

The library behind the ``samestory`` CLI and the dashboard. It never imports
Streamlit. Logging goes to a NullHandler; the CLI configures output.
"""

import logging

from analysis.corpus import open_bundled_store
from analysis.errors import (
    InputRejected,
    ManifestError,
    SameStoryError,
    StoreError,
    UnknownIdError,
    UsageError,
)
from analysis.ingest import IngestOptions, IngestResult, Upload, ingest
from analysis.kwic import keyword_in_context
from analysis.passages import align_story, store_passages
from analysis.quotes import extract_quotes
from analysis.similarity import neighbours, pair_scores
from analysis.stats import outlet_stats
from analysis.store import Store, open_store
from analysis.stories import outlet_similarity, story_article_ids, story_memberships, story_table
from analysis.story_view import story_view
from analysis.terms import distinctive_terms, outlet_terms
from analysis.vectorize import TfidfOptions, vectors_for

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "IngestOptions",
    "IngestResult",
    "InputRejected",
    "ManifestError",
    "SameStoryError",
    "Store",
    "StoreError",
    "TfidfOptions",
    "UnknownIdError",
    "Upload",
    "UsageError",
    "align_story",
    "distinctive_terms",
    "extract_quotes",
    "ingest",
    "keyword_in_context",
    "neighbours",
    "open_bundled_store",
    "open_store",
    "outlet_similarity",
    "outlet_stats",
    "outlet_terms",
    "pair_scores",
    "store_passages",
    "story_article_ids",
    "story_memberships",
    "story_table",
    "story_view",
    "vectors_for",
]
