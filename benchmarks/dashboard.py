"""Dashboard timings in a real Chromium: cold first renders and warm interactions.

Each render is timed from the action (``page.goto``, a key press, a click)
until Streamlit has run the script to its end (the page's websocket received
a successful ``script_finished`` for a run that started after the action),
``[data-testid="stApp"]`` is back to ``notRunning``, and the content that
proves the new view is visible. Three phases, in this order:

- ``cold``: each page on its own fresh server over its own fresh copy of the
  store, so nothing is cached (not Streamlit's caches, not the library's
  in-memory ones) except what the store itself persists, as after a restart.
- ``first visit``: one more fresh server, the four pages one after the other
  in one session: what a visitor's tour of a freshly started server costs.
- ``warm``: on that server, with its caches now filled, ``--repeats`` times
  each: open a page as a new session, switch pages in the sidebar, search,
  clear the search and open an article on the corpus page, choose a story on
  the stories page, choose a new and an already seen story and drop and
  re-add an outlet on the story page, change the metric, the outlet and the
  keyword on the outlets page. Searches and keywords are new each time, so
  they are not answered from the cache.

The goals are 5 s for a cold render and 0.5 s for everything warm; each row
says whether its median meets them, nothing is asserted. The ``run`` column
is the part of it the script ran on the server, from its ``new_session`` to
its ``script_finished`` message as the page's websocket received them; the
rest is the browser (loading the app, the click, drawing) and the network.
The store is never written: every server gets a copy (the dashboard persists
story results). The machine's load average is recorded, since other work on
it slows everything; progress goes to stderr.

Output: a table, and with ``--json FILE`` an object with keys store,
articles, stories, repeats, load_average (before, after), goals and rows
(each: phase, name, runs, median, min, max, run_median, goal, passed, errors;
times in seconds).

Usage::

    .venv/bin/python benchmarks/dashboard.py                      # the bundled seeds
    .venv/bin/python benchmarks/dashboard.py --db /tmp/big/abp.db --json dashboard.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.store import copy_store
from benchmarks.browser_timing import Step, choose_step, new_page, timed, type_step
from benchmarks.load import RESULT_LINE, SEARCH_LABEL, SEARCHES
from dashboard_support.widgets import READER_CHOICES
from tests.browser import dashboard_server, launch_chromium

COLD_GOAL = 5.0
WARM_GOAL = 0.5
KEYWORDS = ("president", "security", "election", "guarantees", "economy", "court", "talks",
            "border")


@dataclass(frozen=True)
class PageSpec:
    """A page of the dashboard: its URL path and a locator for the last thing its script shows."""

    name: str
    path: str
    marker: Callable


PAGES = (
    PageSpec("corpus", "", lambda page: page.get_by_text("Show removed lines")),
    PageSpec("stories", "stories", lambda page: page.get_by_text("Your edits", exact=True)),
    PageSpec("story", "story", lambda page: page.get_by_role("button", name="Passages (CSV)")),
    PageSpec("outlets", "outlets", lambda page: page.get_by_label("Word or phrase")),
)


@dataclass(frozen=True)
class Targets:
    """What the interactions choose, read from a scratch copy of the store."""

    articles: int
    article_ids: list[str]
    story_ids: list[str]
    story_labels: dict[str, str]
    outlets: list[str]


@dataclass
class Row:
    """One line of the table: every timing of one kind of render."""

    phase: str
    name: str
    goal: float
    seconds: list[float] = field(default_factory=list)
    run_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        median = round(statistics.median(self.seconds), 3) if self.seconds else None
        run = round(statistics.median(self.run_seconds), 3) if self.run_seconds else None
        return {"phase": self.phase, "name": self.name, "runs": len(self.seconds),
                "median": median, "run_median": run,
                "min": round(min(self.seconds), 3) if self.seconds else None,
                "max": round(max(self.seconds), 3) if self.seconds else None,
                "goal": self.goal, "passed": median is not None and median <= self.goal
                and not self.errors, "errors": self.errors}


# -- stores ------------------------------------------------------------------------


def remove_store(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def read_targets(pristine: Path, folder: Path, repeats: int) -> Targets:
    """Stories by size, article ids spread over the corpus, and the busiest outlets."""
    from analysis.store import open_store
    from analysis.stories import story_table

    scratch = copy_store(pristine, folder / "targets.db")
    try:
        with open_store(scratch) as store:
            articles = store.article_fields(["id", "outlet"])
            stories = story_table(store)
    finally:
        remove_store(scratch)
    # The reader lists the first READER_CHOICES articles (a search finds the others).
    ids = articles["id"].tolist()[:READER_CHOICES]
    # Not the first article: the reader shows it already, so choosing it would change nothing.
    spread = list(dict.fromkeys(ids[1 + (index * (len(ids) - 1)) // repeats]
                                for index in range(repeats))) if len(ids) > 1 else []
    return Targets(len(articles), spread, stories["story_id"].tolist()[:repeats + 2],
                   dict(zip(stories["story_id"], stories["label"])),
                   articles["outlet"].value_counts().index.tolist()[:repeats + 1])


# -- the steps of the dashboard ---------------------------------------------------------


def measure(row: Row, page, timeout_ms: float, make_step: Callable[..., Step], *arguments) -> None:
    """Prepare (``make_step(*arguments)``) and time one step into ``row``; a failure is
    recorded, not raised."""
    try:
        timing = timed(page, make_step(*arguments), timeout_ms)
        row.seconds.append(timing.seconds)
        row.run_seconds.append(timing.run_seconds)
        progress = f"{timing.seconds:.2f} s"
    except Exception as error:  # noqa: BLE001 - every failed step is a reported error
        row.errors.append(f"{type(error).__name__}: {str(error).splitlines()[:1]}")
        progress = row.errors[-1]
    print(f"{row.phase}: {row.name}: {progress}", file=sys.stderr, flush=True)


def open_step(page, url: str, spec: PageSpec) -> Step:
    return Step(lambda: page.goto(f"{url}/{spec.path}", wait_until="commit"), spec.marker(page))


def switch_step(page, url: str, spec: PageSpec) -> Step:
    link = page.locator(f'[data-testid="stSidebarNav"] a[href="{url}/{spec.path}"]')
    return Step(link.click, spec.marker(page))


def story_step(page, targets: Targets, story_id: str) -> Step:
    label = targets.story_labels[story_id] or "(none)"
    return choose_step(page, "Story", story_id, page.get_by_text(f"Key terms: {label}"))


# -- the phases ----------------------------------------------------------------------


def cold_rows(browser, pristine: Path, folder: Path, timeout_ms: float) -> list[Row]:
    """Each page on a fresh server over a fresh copy of the store."""
    rows = []
    for spec in PAGES:
        row = Row("cold", f"open {spec.name}", COLD_GOAL)
        store = copy_store(pristine, folder / f"cold-{spec.name}.db")
        try:
            with dashboard_server(store, timeout=180) as url:
                page = new_page(browser, timeout_ms)
                measure(row, page, timeout_ms, open_step, page, url, spec)
                page.context.close()
        finally:
            remove_store(store)
        rows.append(row)
    return rows


def corpus_rows(page, url: str, targets: Targets, repeats: int, timeout_ms: float) -> list[Row]:
    search, clear, reader = (Row("warm", f"corpus: {name}", WARM_GOAL)
                             for name in ("new search", "clear search", "open an article"))
    marker = PAGES[0].marker(page)
    timed(page, open_step(page, url, PAGES[0]), timeout_ms)
    for step in range(repeats):
        query = SEARCHES[step % len(SEARCHES)]
        measure(search, page, timeout_ms, type_step, page, SEARCH_LABEL, query,
                page.get_by_text(f"{RESULT_LINE}: {query}"))
        measure(clear, page, timeout_ms, type_step, page, SEARCH_LABEL, "", marker)
        if targets.article_ids and (step == 0 or len(targets.article_ids) > 1):
            article_id = targets.article_ids[step % len(targets.article_ids)]
            measure(reader, page, timeout_ms, choose_step, page, "Article", article_id, marker)
    return [search, clear, reader]


def stories_rows(page, url: str, targets: Targets, repeats: int, timeout_ms: float) -> list[Row]:
    row = Row("warm", "stories: choose a story", WARM_GOAL)
    timed(page, open_step(page, url, PAGES[1]), timeout_ms)
    for step in range(repeats):
        story_id = targets.story_ids[(step + 1) % len(targets.story_ids)]
        link = page.locator(f'a[href*="story={story_id}"]')
        measure(row, page, timeout_ms, choose_step, page, "Story", story_id, link)
    return [row]


def story_rows(page, url: str, targets: Targets, repeats: int, timeout_ms: float) -> list[Row]:
    drop, add, new, seen = (Row("warm", f"story: {name}", WARM_GOAL) for name in (
        "drop an outlet", "add it back", "choose a new story", "choose a story seen before"))
    timed(page, open_step(page, url, PAGES[2]), timeout_ms)
    chips = page.locator('[data-testid="stMultiSelect"] [data-tag]')
    outlet = chips.last.inner_text().strip()
    chip = chips.filter(has=page.get_by_title(outlet, exact=True))
    remove = page.get_by_role("button", name=f"Remove {outlet}", exact=True)
    for _ in range(repeats):
        measure(drop, page, timeout_ms, Step, remove.click, chip, "hidden")
        measure(add, page, timeout_ms, choose_step, page, "Outlets side by side", outlet, chip)
        page.keyboard.press("Escape")
    ids = targets.story_ids
    for step in range(min(repeats, len(ids) - 1)):
        measure(new, page, timeout_ms, story_step, page, targets, ids[step + 1])
        measure(seen, page, timeout_ms, story_step, page, targets, ids[step])
    return [drop, add, new, seen]


def outlets_rows(page, url: str, targets: Targets, repeats: int, timeout_ms: float) -> list[Row]:
    from analysis.stats import OUTLET_COLUMNS

    metric_row, outlet_row, keyword_row = (Row("warm", f"outlets: {name}", WARM_GOAL) for name in (
        "change the metric", "choose an outlet", "new keyword in context"))
    timed(page, open_step(page, url, PAGES[3]), timeout_ms)
    metrics = [column for column in OUTLET_COLUMNS if column not in ("outlet", "articles")]
    for step in range(repeats):
        metric = metrics[step % len(metrics)]
        measure(metric_row, page, timeout_ms, choose_step, page, "Compare outlets by", metric,
                page.get_by_text(f"{metric} per outlet"))
        outlet = targets.outlets[(step + 1) % len(targets.outlets)]
        measure(outlet_row, page, timeout_ms, choose_step, page, "Outlet", outlet,
                page.get_by_text(f"Words that set {outlet} apart"))
        measure(keyword_row, page, timeout_ms, type_step, page, "Word or phrase",
                KEYWORDS[step % len(KEYWORDS)], page.get_by_text("occurrences in"))
    return [metric_row, outlet_row, keyword_row]


def navigation_rows(page, url: str, repeats: int, timeout_ms: float) -> list[Row]:
    """Open each page as a new session, then walk the sidebar: stories, story, outlets, corpus."""
    opened = {spec.name: Row("warm", f"open {spec.name} (new session)", WARM_GOAL)
              for spec in PAGES}
    switched = {spec.name: Row("warm", f"switch to {spec.name}", WARM_GOAL) for spec in PAGES}
    for _ in range(repeats):
        for spec in PAGES:
            measure(opened[spec.name], page, timeout_ms, open_step, page, url, spec)
        for spec in (*PAGES[1:], PAGES[0]):
            measure(switched[spec.name], page, timeout_ms, switch_step, page, url, spec)
    return [*opened.values(), *switched.values()]


def warm_rows(browser, pristine: Path, folder: Path, targets: Targets, repeats: int,
              timeout_ms: float) -> list[Row]:
    """A first tour of the pages on a fresh server, then every warm interaction on it."""
    store = copy_store(pristine, folder / "warm.db")
    try:
        with dashboard_server(store, timeout=180) as url:
            page = new_page(browser, timeout_ms)
            rows = [Row("first visit", f"open {PAGES[0].name}", COLD_GOAL)]
            measure(rows[0], page, timeout_ms, open_step, page, url, PAGES[0])
            for spec in PAGES[1:]:
                rows.append(Row("first visit", f"switch to {spec.name}", COLD_GOAL))
                measure(rows[-1], page, timeout_ms, switch_step, page, url, spec)
            rows += navigation_rows(page, url, repeats, timeout_ms)
            for phase in (corpus_rows, stories_rows, story_rows, outlets_rows):
                rows += phase(page, url, targets, repeats, timeout_ms)
            page.context.close()
    finally:
        remove_store(store)
    return rows


# -- the run ---------------------------------------------------------------------------


def run(db: Path | None, *, repeats: int = 5, render_timeout: float = 600.0) -> dict:
    """Every phase on ``db`` (or a store built from data/); the JSON summary."""
    from playwright.sync_api import sync_playwright

    timeout_ms = render_timeout * 1000
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="samestory-dashboard-") as name:
        folder = Path(name)
        if db is None:
            from analysis.corpus import open_bundled_store

            pristine = folder / "seeds.db"
            with open_bundled_store(pristine):
                pass
        else:
            pristine = copy_store(db, folder / "pristine.db")
        targets = read_targets(pristine, folder, repeats)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                rows = cold_rows(browser, pristine, folder, timeout_ms)
                rows += warm_rows(browser, pristine, folder, targets, repeats, timeout_ms)
            finally:
                browser.close()
    return {"store": str(db) if db else "bundled seeds (data/)", "articles": targets.articles,
            "stories": len(targets.story_labels), "repeats": repeats,
            "load_average": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            "goals": {"cold": COLD_GOAL, "warm": WARM_GOAL},
            "rows": [row.summary() for row in rows]}


def format_table(result: dict) -> str:
    title = (f"{result['store']}: {result['articles']} articles, {result['stories']} stories, "
             f"{result['repeats']} repeats, load average {result['load_average']}")
    header = (f"{'phase':<12} {'what':<36} {'runs':>4} {'median':>8} {'min':>8} {'max':>8} "
              f"{'run':>8} {'goal':>5}  result")
    lines = [title, header]
    for row in result["rows"]:
        cells = [f"{row[key]:8.3f}" if row[key] is not None else f"{'-':>8}"
                 for key in ("median", "min", "max", "run_median")]
        verdict = "pass" if row["passed"] else "FAIL"
        if row["errors"]:
            verdict += f" ({len(row['errors'])} errors: {row['errors'][0]})"
        lines.append(f"{row['phase']:<12} {row['name']:<36} {row['runs']:>4} {' '.join(cells)} "
                     f"{row['goal']:>5}  {verdict}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None,
                        help="a store to time (only read; default: the bundled seeds)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each warm interaction")
    parser.add_argument("--render-timeout", type=float, default=600.0, help="seconds per render")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    arguments = parser.parse_args()
    if arguments.db is not None and not arguments.db.is_file():
        parser.error(f"--db {arguments.db} is not a file")
    if arguments.repeats < 1:
        parser.error("--repeats must be at least 1")
    result = run(arguments.db, repeats=arguments.repeats, render_timeout=arguments.render_timeout)
    print(format_table(result))
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
