"""Timing one Streamlit interaction in Chromium, from the action to the finished run.

Used by ``benchmarks/dashboard.py``. A :class:`Step` is an action (a key
press, a click, a ``goto``) and a locator that shows its result; :func:`timed`
runs it on a page from :func:`new_page` and waits until the page's websocket
received a successful ``script_finished`` for a run that started after the
action, the app is ``notRunning`` and the locator is in the wanted state.
"""

from __future__ import annotations

import sys
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load import FINISHED_OK
from tests.browser import RENDERED, wait_rendered

VIEWPORT = {"width": 1400, "height": 1000}
# A run must start this soon after the action, or the action did nothing.
START_TIMEOUT = 120.0
POLL_MS = 10
_WATCHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page → its RunWatch


@dataclass(frozen=True)
class Step:
    """One timed interaction: ``trigger`` starts it, ``marker`` in ``state`` shows it is done."""

    trigger: Callable[[], None]
    marker: object
    state: str = "visible"


@dataclass(frozen=True)
class Timing:
    """Seconds from the action until the new view is shown, and seconds the script ran
    (its ``new_session`` to its ``script_finished``, as the page received them)."""

    seconds: float
    run_seconds: float


class RunWatch:
    """Script runs of a page's session, read from its websocket as Streamlit sends them.

    The page's ``data-test-script-state`` alone can miss a run: when the
    browser is busy, a run's start and end can reach the DOM in one render.
    """

    def __init__(self, page):
        self.page = page
        self.started: list[float] = []
        self.finished: list[float] = []
        page.on("websocket", lambda socket: socket.on("framereceived", self._read))

    def _read(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.started.append(time.perf_counter())
        elif kind == "script_finished" and message.script_finished in FINISHED_OK:
            self.finished.append(time.perf_counter())

    def wait(self, count: int, *, finished: bool, timeout: float) -> None:
        """Until ``count`` runs have started (or finished successfully)."""
        runs = self.finished if finished else self.started
        deadline = time.perf_counter() + timeout
        while len(runs) < count:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no script run {'ended' if finished else 'started'} "
                                   f"within {timeout:.0f} s")
            self.page.wait_for_timeout(POLL_MS)  # lets Playwright deliver the frames


def new_page(browser, timeout_ms: float):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    _WATCHES[page] = RunWatch(page)
    return page


def timed(page, step: Step, timeout_ms: float) -> Timing:
    """Time ``step`` from its trigger until a script run ended and its marker is in its state."""
    watch = _WATCHES[page]
    first_run = len(watch.started)
    started = time.perf_counter()
    step.trigger()
    watch.wait(first_run + 1, finished=False, timeout=min(timeout_ms / 1000, START_TIMEOUT))
    finished_before = sum(1 for moment in watch.finished if moment < watch.started[first_run])
    watch.wait(finished_before + 1, finished=True, timeout=timeout_ms / 1000)
    page.wait_for_selector(RENDERED, timeout=timeout_ms)
    step.marker.first.wait_for(state=step.state, timeout=timeout_ms)
    seconds = time.perf_counter() - started
    run_seconds = watch.finished[finished_before] - watch.started[first_run]
    # Not timed: a follow-up run (the URL sync) must not leak into the next step.
    wait_rendered(page, timeout_ms=timeout_ms)
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError("the page shows an exception")
    return Timing(seconds, run_seconds)


def choose_step(page, label: str, text: str, marker) -> Step:
    """Type ``text`` into the selectbox ``label``; Enter picks the first option it matches."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(text)
    return Step(lambda: box.press("Enter"), marker)


def type_step(page, label: str, text: str, marker, state: str = "visible") -> Step:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    return Step(lambda: box.press("Enter"), marker, state)
