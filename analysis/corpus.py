"""The bundled corpus in ``data/`` and the default store location."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.store import Store, open_store

if TYPE_CHECKING:  # importing ingest loads trafilatura and every parser: only when importing
    from analysis.ingest import IngestResult

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = PROJECT_ROOT / "data"
DB_ENV_VARIABLE = "SAMESTORY_DB"
DEFAULT_DB = PROJECT_ROOT / "samestory.db"


def default_db_path() -> Path:
    """``$SAMESTORY_DB`` when set, else ``samestory.db`` at the project root."""
    return Path(os.environ.get(DB_ENV_VARIABLE) or DEFAULT_DB)


def open_bundled_store(path: str | Path) -> Store:
    """Open ``path``, importing and analysing the bundled corpus first when the store is empty.

    The corpus-wide analyses are saved with it, so a restarted dashboard opens
    every page without computing them.
    """
    store = open_store(path)
    if store.count_articles() == 0:
        from analysis.precompute import analyse_corpus

        load_bundled_corpus(store)
        analyse_corpus(store, workers=1)
    return store


def load_bundled_corpus(store: Store) -> IngestResult:
    """Import ``data/`` (its ``manifest.csv`` names the outlets)."""
    from analysis.ingest import ingest

    return ingest(store, [BUNDLED_DATA])
