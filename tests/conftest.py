"""Shared fixtures, layered by intent: fresh_store → seeded_store → seeded_db_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.corpus import BUNDLED_DATA, load_bundled_corpus
from analysis.store import open_store
from tests.browser import launch_chromium

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
SEED_IDS = [path.stem for path in sorted((BUNDLED_DATA / "articles").glob("*.txt"))]


@pytest.fixture
def db_path(tmp_path) -> Path:
    """A path for a store that does not exist yet, outside ``tmp_path`` itself
    so tests can ingest ``tmp_path`` as a folder."""
    folder = tmp_path.parent / f"{tmp_path.name}-store"
    folder.mkdir(exist_ok=True)
    return folder / "corpus.db"


@pytest.fixture
def fresh_store(db_path):
    """An empty, migrated store."""
    with open_store(db_path) as store:
        yield store


@pytest.fixture
def seeded_store(fresh_store):
    """A store holding the five bundled seed articles with their manifest outlets."""
    load_bundled_corpus(fresh_store)
    return fresh_store


@pytest.fixture
def seeded_db_path(seeded_store, db_path) -> Path:
    """The file of a seeded store, for CLI and dashboard tests."""
    return db_path


def shared_corpus(name: str) -> Path:
    """A file in ../shared/corpora, or skip the test when it is not there."""
    path = SHARED_CORPORA / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the browser tests (skipped without Playwright)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
