"""Run the real dashboard on a loopback port and drive it with Chromium.

Used by the browser tests and the dashboard benchmark. The server is started
with its own store and stopped by PID; nothing else is touched.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SAMESTORY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
RENDERED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dashboard_server(db_path: Path, *, demo: bool = False, timeout: float = 60):
    """Yield the base URL of a dashboard serving ``db_path``."""
    port = free_port()
    environment = {**os.environ, "SAMESTORY_DB": str(db_path)}
    if demo:
        environment["SAMESTORY_DEMO"] = "1"
    log = open(db_path.parent / f"streamlit-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"dashboard at {url} did not become healthy in {timeout} s")


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_page(context, url: str, *, timeout_ms: int = 30_000):
    """Open ``url`` in a new tab and wait until Streamlit has finished the script run."""
    page = context.new_page()
    page.goto(url)
    wait_rendered(page, timeout_ms=timeout_ms)
    return page


def wait_rendered(page, *, timeout_ms: int = 30_000) -> None:
    page.wait_for_selector(RENDERED, timeout=timeout_ms)
    # A rerun can start right after the first one ends (query-param sync).
    page.wait_for_timeout(300)
    page.wait_for_selector(RENDERED, timeout=timeout_ms)
