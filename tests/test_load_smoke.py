"""A small load smoke test: 5 concurrent Chromium sessions on one demo-mode server, 0 errors.

The full run (20 sessions, with p50/p95 render times) is ``benchmarks/load.py``;
this only checks that concurrent sessions all render cleanly. No timing is
asserted.
"""

import asyncio

import pytest

from benchmarks.load import middle_article_id, run_load
from tests.browser import dashboard_server

pytestmark = pytest.mark.browser


def test_five_concurrent_browser_sessions_render_without_errors(tmp_path):
    pytest.importorskip("playwright.async_api")
    db_path = tmp_path / "corpus.db"
    article_id = middle_article_id(db_path)
    with dashboard_server(db_path, demo=True) as url:
        result = asyncio.run(run_load(url, client="browser", sessions=5, interactions=1,
                                      render_timeout=120, article_id=article_id))
    assert result.errors == []
    assert result.summary()["renders"] == 5 * 3
