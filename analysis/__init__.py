"""SameStory: how did different outlets cover the same story?

The library behind the ``samestory`` CLI and the dashboard. It never imports
Streamlit. Logging goes to a NullHandler; the CLI configures output.

The public names below are imported on first use (PEP 562), so importing one
light module (``analysis.errors``, ``analysis.store``) does not load
scikit-learn and every analysis: a dashboard page or CLI verb starts faster.
"""

import logging
from importlib import import_module

logging.getLogger(__name__).addHandler(logging.NullHandler())

_HOMES = {
    "open_bundled_store": "analysis.corpus",
    "InputRejected": "analysis.errors",
    "ManifestError": "analysis.errors",
    "SameStoryError": "analysis.errors",
    "StoreError": "analysis.errors",
    "UnknownIdError": "analysis.errors",
    "UsageError": "analysis.errors",
    "IngestOptions": "analysis.ingest",
    "IngestResult": "analysis.ingest",
    "Upload": "analysis.ingest",
    "ingest": "analysis.ingest",
    "keyword_in_context": "analysis.kwic",
    "align_story": "analysis.passages",
    "store_passages": "analysis.passages",
    "analyse_corpus": "analysis.precompute",
    "extract_quotes": "analysis.quotes",
    "neighbours": "analysis.similarity",
    "pair_scores": "analysis.similarity",
    "outlet_stats": "analysis.stats",
    "Store": "analysis.store",
    "open_store": "analysis.store",
    "outlet_similarity": "analysis.stories",
    "story_article_ids": "analysis.stories",
    "story_memberships": "analysis.stories",
    "story_table": "analysis.stories",
    "story_view": "analysis.story_view",
    "distinctive_terms": "analysis.terms",
    "outlet_terms": "analysis.terms",
    "TfidfOptions": "analysis.vectorize",
    "vectors_for": "analysis.vectorize",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
