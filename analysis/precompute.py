"""Every corpus-wide analysis at once, saved in the store: ``samestory analyse``.

After a large import, the first view of the stories, the outlets or a story
would otherwise wait for these analyses (minutes on tens of thousands of
articles). Run once, they are kept in the store for the current articles,
so every later view, CLI verb or restarted dashboard reads them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd

from analysis.store import Store
from analysis.workers import DEFAULT_WORKERS, release_free_memory

STEP_COLUMNS = ["step", "seconds", "result"]


def analyse_corpus(store: Store, *, workers: int = DEFAULT_WORKERS,
                   progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Compute and save the corpus-wide analyses; one row per step (:data:`STEP_COLUMNS`).

    Steps: the TF-IDF vocabulary, stories, outlet statistics, distinctive
    terms (with the background every story's terms are scored on) and the
    full-text search index. A step whose result is already saved for the
    current articles takes no time.
    """
    from analysis.stats import outlet_stats
    from analysis.stories import story_table
    from analysis.terms import stored_corpus_terms
    from analysis.vectorize import stored_vocabulary, vectors_for

    def vocabulary() -> str:
        terms = stored_vocabulary(store)
        if terms is None:
            terms = vectors_for(store, n_jobs=workers).word_terms
        return f"{len(terms)} terms"

    def stories() -> str:
        table = story_table(store)
        return f"{len(table)} stories, {int((table['article_ids'].map(len) > 1).sum())} with 2+ articles"

    def statistics() -> str:
        return f"{len(outlet_stats(store, n_jobs=workers))} outlets"

    def terms() -> str:
        return f"{len(stored_corpus_terms(store, n_jobs=workers).terms)} distinctive terms"

    def search_index() -> str:
        return "built" if store.ensure_search_index() else "up to date"

    rows = []
    for name, step in [("vocabulary", vocabulary), ("stories", stories), ("statistics", statistics),
                       ("terms", terms), ("search index", search_index)]:
        if progress is not None:
            progress(name)
        start = time.perf_counter()
        result = step()
        release_free_memory()
        rows.append({"step": name, "seconds": round(time.perf_counter() - start, 2), "result": result})
    return pd.DataFrame(rows, columns=STEP_COLUMNS)
