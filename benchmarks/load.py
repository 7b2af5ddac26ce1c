"""Load: concurrent sessions on one demo-mode dashboard, on loopback only; prints JSON.

One demo-mode server (``SAMESTORY_DEMO=1``) listens on 127.0.0.1. Every
session runs at the same time as the others and does:

1. a cold open of the corpus page;
2. ``--interactions`` searches in the search box;
3. one copied link, ``?article=<id>``, opened as a new session.

Two kinds of client (``--client``):

- ``websocket`` (default): speaks Streamlit's own protocol (protobuf
  ``BackMsg``/``ForwardMsg`` over ``/_stcore/stream``), as the browser does.
  A render is timed from the request until the server's ``script_finished``.
  This measures the server: twenty Chromiums on a 2-core machine would
  mostly measure Chromium.
- ``browser``: one Chromium context per session (Playwright). A render is
  timed until the page shows the result and Streamlit's run has ended.

An error is anything but a clean render: a timeout, a script that did not
finish successfully, an exception element, "Traceback" in the page, or a page
error. Each render is bounded by ``--render-timeout``, the run by ``--timeout``.

Output keys: client, sessions, renders, errors (a list of strings),
wall_seconds, first_load / interaction / link / render (each: count, p50, p95,
max in seconds; render is all of them together).

Usage: .venv/bin/python benchmarks/load.py [--sessions 20] [--interactions 3]
                                          [--client websocket|browser]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, RENDERED, dashboard_server  # noqa: E402

SEARCHES = ("security guarantees", "Istanbul", "NATO", "Medinsky", "neutral status", "Kyiv",
            "talks", "Arachamia")
SEARCH_LABEL = "Search titles and text"
RESULT_LINE = "articles match all of"
# ScriptFinishedStatus values: FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY.
FINISHED_OK = (0, 3)


@dataclass
class LoadResult:
    client: str
    sessions: int
    timings: dict[str, list[float]] = field(default_factory=lambda: {
        "first_load": [], "interaction": [], "link": []})
    errors: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0

    def summary(self) -> dict:
        every = [seconds for values in self.timings.values() for seconds in values]
        return {
            "client": self.client,
            "sessions": self.sessions,
            "renders": len(every),
            "errors": self.errors,
            "wall_seconds": round(self.wall_seconds, 2),
            **{kind: percentiles(values) for kind, values in self.timings.items()},
            "render": percentiles(every),
        }


def percentiles(values: list[float]) -> dict:
    """count, p50 (median), p95 (nearest rank) and max, in seconds."""
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    p95 = ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
    return {"count": len(ordered), "p50": round(statistics.median(ordered), 3),
            "p95": round(p95, 3), "max": round(ordered[-1], 3)}


# -- websocket clients ---------------------------------------------------------------


class _StreamlitRun:
    """One script run seen from the wire: the texts it sent and how it ended."""

    def __init__(self):
        self.texts: list[str] = []
        self.widget_ids: dict[str, str] = {}
        self.exceptions: list[str] = []
        self.status: int | None = None


async def _run_script(socket, *, query_string: str = "", widgets: dict[str, str] | None = None,
                      timeout: float) -> _StreamlitRun:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.query_string = query_string
    for widget_id, value in (widgets or {}).items():
        state = message.rerun_script.widget_states.widgets.add()
        state.id, state.string_value = widget_id, value
    await socket.send(message.SerializeToString())
    run = _StreamlitRun()
    async with asyncio.timeout(timeout):
        while run.status is None:
            reply = ForwardMsg()
            reply.ParseFromString(await socket.recv())
            kind = reply.WhichOneof("type")
            if kind == "script_finished":
                run.status = reply.script_finished
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                _read_element(reply.delta.new_element, run)
    return run


def _read_element(element, run: _StreamlitRun) -> None:
    kind = element.WhichOneof("type")
    if kind == "exception":
        run.exceptions.append(element.exception.message)
    elif kind in ("markdown", "text", "alert"):
        run.texts.append(getattr(element, kind).body)
    elif kind == "text_input":
        run.widget_ids[element.text_input.label] = element.text_input.id


def _check_run(run: _StreamlitRun, label: str, result: LoadResult) -> None:
    if run.status not in FINISHED_OK:
        result.errors.append(f"{label}: script ended with status {run.status}")
    if run.exceptions or any("Traceback" in text for text in run.texts):
        result.errors.append(f"{label}: exception {run.exceptions[:1]}")


async def _timed_run(socket, kind: str, label: str, result: LoadResult, **request) -> _StreamlitRun:
    started = time.perf_counter()
    run = await _run_script(socket, **request)
    result.timings[kind].append(time.perf_counter() - started)
    _check_run(run, label, result)
    return run


async def _websocket_session(url: str, number: int, interactions: int, timeout: float,
                             result: LoadResult, article_id: str | None) -> None:
    import websockets

    address = urlparse(url)
    stream = f"ws://{address.netloc}/_stcore/stream"
    connect = {"subprotocols": ["streamlit"], "origin": url, "max_size": None}
    label = f"session {number}"
    try:
        async with websockets.connect(stream, **connect) as socket:
            first = await _timed_run(socket, "first_load", label, result, timeout=timeout)
            search_id = first.widget_ids[SEARCH_LABEL]
            for step in range(interactions):
                query = SEARCHES[(number + step) % len(SEARCHES)]
                run = await _timed_run(socket, "interaction", f"{label} search {query!r}", result,
                                       widgets={search_id: query}, timeout=timeout)
                if not any(RESULT_LINE in text and query in text for text in run.texts):
                    result.errors.append(f"{label}: search {query!r} showed no result line")
        if article_id is not None:
            async with websockets.connect(stream, **connect) as socket:
                run = await _timed_run(socket, "link", f"{label} link", result,
                                       query_string=f"article={quote(article_id)}", timeout=timeout)
                if any("does not have" in text for text in run.texts):
                    result.errors.append(f"{label}: the link's article was not found")
    except Exception as error:  # noqa: BLE001 - every failed session is a counted error
        result.errors.append(f"{label}: {type(error).__name__}: {str(error).splitlines()[:1]}")


# -- browser clients -----------------------------------------------------------------


async def _browser_session(browser, url: str, number: int, interactions: int, timeout: float,
                           result: LoadResult, article_id: str | None) -> None:
    timeout_ms = timeout * 1000
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    label = f"session {number}"
    try:
        started = time.perf_counter()
        await page.goto(url, timeout=timeout_ms, wait_until="commit")
        await page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=timeout_ms)
        await page.wait_for_selector(RENDERED, timeout=timeout_ms)
        result.timings["first_load"].append(time.perf_counter() - started)
        search_box = page.get_by_label(SEARCH_LABEL)
        for step in range(interactions):
            query = SEARCHES[(number + step) % len(SEARCHES)]
            await search_box.fill(query)
            started = time.perf_counter()
            await search_box.press("Enter")
            await page.get_by_text(f"{RESULT_LINE}: {query}").first.wait_for(timeout=timeout_ms)
            await page.wait_for_selector(RENDERED, timeout=timeout_ms)
            result.timings["interaction"].append(time.perf_counter() - started)
        if article_id is not None:
            started = time.perf_counter()
            link = f"{url}/?article={quote(article_id)}"
            await page.goto(link, timeout=timeout_ms, wait_until="commit")
            await page.get_by_text("Reader").wait_for(timeout=timeout_ms)
            await page.wait_for_selector(RENDERED, timeout=timeout_ms)
            result.timings["link"].append(time.perf_counter() - started)
        body = await page.inner_text("body")
        if "Traceback" in body or await page.locator('[data-testid="stException"]').count():
            result.errors.append(f"{label}: the page shows an exception")
        result.errors.extend(f"{label}: page error {error}" for error in page_errors)
    except Exception as error:  # noqa: BLE001 - every failed session is a counted error
        result.errors.append(f"{label}: {type(error).__name__}: {str(error).splitlines()[:1]}")
    finally:
        await context.close()


async def run_load(url: str, *, client: str = "websocket", sessions: int = 20,
                   interactions: int = 3, render_timeout: float = 60.0,
                   article_id: str | None = None) -> LoadResult:
    """Drive ``sessions`` concurrent sessions of one ``client`` kind against ``url``."""
    if client not in ("websocket", "browser"):
        raise ValueError(f"client must be 'websocket' or 'browser', not {client!r}")
    result = LoadResult(client, sessions)
    arguments = (interactions, render_timeout, result, article_id)
    started = time.perf_counter()
    if client == "websocket":
        await asyncio.gather(*(_websocket_session(url, number, *arguments)
                               for number in range(sessions)))
    else:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                await asyncio.gather(*(_browser_session(browser, url, number, *arguments)
                                       for number in range(sessions)))
            finally:
                await browser.close()
    result.wall_seconds = time.perf_counter() - started
    return result


def middle_article_id(db_path: Path) -> str | None:
    """Build the store from data/ (before the server starts) and pick an article for the link."""
    from analysis.corpus import open_bundled_store

    with open_bundled_store(db_path) as store:
        ids = store.articles()["id"].tolist()
    return ids[len(ids) // 2] if ids else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--interactions", type=int, default=3)
    parser.add_argument("--client", choices=("websocket", "browser"), default="websocket")
    parser.add_argument("--render-timeout", type=float, default=60.0, help="seconds per render")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for the whole run")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="samestory-load-") as folder:
        db_path = Path(folder) / "corpus.db"
        article_id = middle_article_id(db_path)
        with dashboard_server(db_path, demo=True) as url:
            result = asyncio.run(asyncio.wait_for(
                run_load(url, client=arguments.client, sessions=arguments.sessions,
                         interactions=arguments.interactions,
                         render_timeout=arguments.render_timeout, article_id=article_id),
                timeout=arguments.timeout))
    print(json.dumps(result.summary()))


if __name__ == "__main__":
    main()
