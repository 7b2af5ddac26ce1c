"""In Chromium: hostile article text is shown as text on every page, and none of it runs.

Two articles whose id, title, outlet, author and body hold ``<script>``,
``<img onerror>``, ``javascript:`` links and Markdown/Streamlit tricks
(``**bold**``, ``:red[x]``, ``$\\LaTeX$``) are ingested into the server's store
before it starts. Every payload that could run sets ``window.__samestory_pwned``
or opens a dialog; each page registered in ``dashboard.py`` is opened (with
links pointing at the hostile articles and hostile query values) and must show
neither, hold no element the payload would have created, and show no
traceback. On the corpus page the payload must be visible as literal text.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from analysis.corpus import load_bundled_corpus
from analysis.ingest import ingest
from analysis.store import open_store
from tests.browser import PROJECT_ROOT, dashboard_server, wait_rendered

pytestmark = pytest.mark.browser

FLAG = "__samestory_pwned"
SCRIPT = f'<script>window.{FLAG}="script";alert("script")</script>'
IMG = f"<img src=x onerror=\"window.{FLAG}='img';alert('img')\">"
MARKDOWN = "**bold** :red[x] $\\LaTeX$ [click](javascript:alert(1)) <b>raw</b>"
HOSTILE_ID = 'xss"><img src=x onerror=alert(8)>'
ARTICLES = [
    {
        "id": "zanzibar-xss",
        "outlet": f"<b onmouseover=\"window.{FLAG}='outlet'\">Evil</b> Outlet :red[x]",
        "author": SCRIPT,
        "date": "2022-05-03",
        "title": f"Ferry talks {SCRIPT} {IMG} {MARKDOWN}",
        "text": "\n\n".join([
            f"Ferry talks in Zanzibar resumed on Tuesday, harbour officials said. {SCRIPT}",
            f"{IMG} The harbour master said the new timetable would hold through the monsoon.",
            f"Negotiators also discussed fares. {MARKDOWN} <a href='javascript:alert(2)'>link</a>",
            "<iframe src='javascript:alert(3)'></iframe>"
            f" <svg onload=\"window.{FLAG}='svg'\"></svg>"
            " The ferry operators union welcomed the agreement on Tuesday evening.",
            "# Heading?\n> quoted? ```<script>alert(5)</script>``` The talks end on Friday.",
        ]),
    },
    {
        "id": HOSTILE_ID,
        "outlet": "Harbour Gazette",
        "title": f"{IMG} Zanzibar ferry timetable agreed",
        "text": "Ferry talks in Zanzibar ended on Tuesday with a new timetable, harbour officials "
                f"said. {IMG}\n\nThe harbour master said fares would stay the same. {MARKDOWN}",
    },
]
LINK_PAYLOAD = f"{MARKDOWN} https://evil.example {IMG}"
# Query values the pages read: the hostile articles, and values that are hostile themselves.
HOSTILE_QUERIES = (
    {},
    {"q": "ferry <script>", "article": "zanzibar-xss"},
    {"article": HOSTILE_ID},
    {"q": LINK_PAYLOAD, "article": LINK_PAYLOAD, "story": LINK_PAYLOAD, "outlet": LINK_PAYLOAD},
)


def registered_pages() -> list[str]:
    """The url_path of every page dashboard.py registers, so new pages are covered too."""
    source = (PROJECT_ROOT / "dashboard.py").read_text(encoding="utf-8")
    return re.findall(r"url_path=[\"']([^\"']+)[\"']", source)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    feed = folder / "hostile.jsonl"
    feed.write_text("\n".join(json.dumps(article) for article in ARTICLES), encoding="utf-8")
    db_path = folder / "corpus.db"
    with open_store(db_path) as store:
        load_bundled_corpus(store)
        result = ingest(store, [feed])
        assert result.counts["imported"] == len(ARTICLES)
    with dashboard_server(db_path) as url:
        yield url


def visit(browser, url: str):
    """Open ``url`` with a dialog trap; return the page, its visible text and the dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    wait_rendered(page)
    return context, page, dialogs


def assert_nothing_ran(page, dialogs: list[str]) -> None:
    page.mouse.move(700, 500)  # give mouse-over handlers their chance
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate(f"() => window.{FLAG} === undefined")
    planted = page.evaluate("""() => ({
        handlers: [...document.querySelectorAll('*')].filter(element =>
            [...element.attributes].some(attribute => /^on/i.test(attribute.name))).length,
        scripts: [...document.querySelectorAll('script')].filter(script =>
            script.textContent.includes('__samestory_pwned')).length,
        javascript_links: document.querySelectorAll(
            'a[href^="javascript" i], iframe[src^="javascript" i]').length,
        broken_images: document.querySelectorAll('img[src="x"]').length,
        latex: document.querySelectorAll('.katex').length,
        emphasised_payload: [...document.querySelectorAll('strong, em, b, i')].filter(element =>
            ['bold', 'raw', 'Evil'].includes(element.textContent.trim())).length,
        payload_links: [...document.querySelectorAll('a')].filter(link =>
            link.protocol === 'javascript:' || link.hostname.endsWith('evil.example')).length,
    })""")
    assert planted == {"handlers": 0, "scripts": 0, "javascript_links": 0, "broken_images": 0,
                       "latex": 0, "emphasised_payload": 0, "payload_links": 0}
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize("url_path", registered_pages())
def test_hostile_text_never_runs_on_any_page(server, browser, url_path):
    for query in HOSTILE_QUERIES:
        query_string = "&".join(f"{key}={quote(value)}" for key, value in query.items())
        link = f"{server}/{url_path}" + (f"?{query_string}" if query else "")
        context, page, dialogs = visit(browser, link)
        try:
            assert_nothing_ran(page, dialogs)
        finally:
            context.close()


def test_the_reader_shows_the_payload_as_literal_text(server, browser):
    context, page, dialogs = visit(browser, f"{server}/?article=zanzibar-xss")
    try:
        assert_nothing_ran(page, dialogs)
        shown = page.inner_text("body")
        for literal in ("<script>window.__samestory_pwned", "<img src=x onerror=", "**bold**",
                        ":red[x]", "$\\LaTeX$", "[click](javascript:alert(1))"):
            assert literal in shown, literal
        bold = page.locator("strong, b").all_inner_texts()
        assert "bold" not in bold and "raw" not in bold and "Evil" not in bold
    finally:
        context.close()


def test_the_hostile_id_round_trips_through_the_link(server, browser):
    context, page, dialogs = visit(browser, f"{server}/?article={quote(HOSTILE_ID)}")
    try:
        assert_nothing_ran(page, dialogs)
        shown = page.inner_text("body")
        assert "The harbour master said fares would stay the same." in shown
        assert "does not have" not in shown  # the id was found, not rejected
    finally:
        context.close()


def test_hostile_link_values_are_named_literally(server, browser):
    link = f"{server}/?article={quote(LINK_PAYLOAD)}&q={quote('**bold** :red[x]')}"
    context, page, dialogs = visit(browser, link)
    try:
        assert_nothing_ran(page, dialogs)
        shown = page.inner_text("body")
        assert "which this corpus does not have" in shown
        assert "**bold** :red[x] $\\LaTeX$ [click](javascript:alert(1))" in shown
        assert "articles match all of: **bold** :red[x]" in shown
    finally:
        context.close()
