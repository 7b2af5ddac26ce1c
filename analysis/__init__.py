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
from analysis.store import Store, open_store

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "IngestOptions",
    "IngestResult",
    "InputRejected",
    "ManifestError",
    "SameStoryError",
    "Store",
    "StoreError",
    "UnknownIdError",
    "Upload",
    "UsageError",
    "ingest",
    "open_bundled_store",
    "open_store",
]
