"""The rendered dashboard in a real Chromium (Playwright)."""

from pathlib import Path

import pytest

from tests.browser import dashboard_server, open_page, wait_rendered
from tests.conftest import SEED_IDS

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser") / "corpus.db"
    with dashboard_server(db_path) as url:
        yield url


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context
    context.close()


def test_corpus_page_lists_the_five_seed_articles(server, context):
    page = open_page(context, server)
    assert set(SEED_IDS) <= set(table_cells(page))
    assert "5 articles from 4 outlets" in page.inner_text("body")
    assert "Traceback" not in page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "corpus.png"), full_page=True)


def table_cells(page, index: int = 0) -> list[str]:
    """Cell texts of a data grid: it draws on a canvas, its hidden table carries the text."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.locator("table td").first.wait_for(state="attached")
    return [text.strip() for text in grid.locator("table td").all_text_contents()]


def test_a_copied_link_opens_the_same_article(server, browser):
    first = browser.new_context()
    page = open_page(first, f"{server}/?q=Medinsky")
    page.get_by_text("Reader").wait_for()
    link = page.url
    first.close()
    second = browser.new_context()
    again = open_page(second, link)
    body = again.inner_text("body")
    assert "1 articles match" in body or "1 article" in body
    assert "Medinsky" in body
    second.close()


def test_demo_uploads_stay_in_the_uploaders_session(tmp_path_factory, browser):
    db_path = tmp_path_factory.mktemp("demo") / "corpus.db"
    upload = tmp_path_factory.mktemp("upload") / "visitor-secret-article.txt"
    upload.write_text("Zanzibar ferry talks: negotiators met on Tuesday and agreed a timetable.",
                      encoding="utf-8")
    with dashboard_server(db_path, demo=True) as url:
        visitor = browser.new_context()
        page = open_page(visitor, url)
        page.get_by_text("Import articles").click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        page.get_by_role("button", name="Import the uploaded files").click()
        page.get_by_text("1 imported").first.wait_for(timeout=30_000)
        wait_rendered(page)
        assert "visitor-secret-article" in table_cells(page, index=-1) + table_cells(page, index=-2)

        other = browser.new_context()
        other_page = open_page(other, f"{url}/?q=Zanzibar")
        assert "0 articles match" in other_page.inner_text("body")
        assert "visitor-secret-article" not in table_cells(other_page)
        other.close()
        visitor.close()


@pytest.mark.parametrize("path, expected", [
    ("stories", "Stories"), ("story", "Side by side"), ("outlets", "Distinctive terms"),
])
def test_every_page_renders_without_a_traceback(server, context, path, expected):
    page = open_page(context, f"{server}/{path}")
    body = page.inner_text("body")
    assert expected in body
    assert "Traceback" not in body and "Error" not in body.split("Corpus", 1)[0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{path}.png"), full_page=True)


def test_a_copied_story_link_reproduces_the_view(server, browser):
    first = browser.new_context()
    page = open_page(first, f"{server}/story")
    story_choice = page.locator('[data-testid="stSelectbox"]').first.inner_text()
    page.goto(f"{server}/story?outlets=News7h")
    wait_rendered(page)
    link = page.url
    first.close()
    second = browser.new_context()
    again = open_page(second, link)
    assert "outlets=News7h" in again.url
    body = again.inner_text("body")
    assert "News7h · " in body and "Brussels WordPress blog · " not in body
    assert again.locator('[data-testid="stSelectbox"]').first.inner_text() == story_choice
    second.close()


def test_the_table_download_holds_the_searched_rows(server, context):
    # The CSV is built only when clicked (a callable), so the click must produce it.
    page = open_page(context, f"{server}/?q=Medinsky")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download this table (CSV)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,outlet,title,date,words"
    assert len(lines) == 2 and lines[1].startswith(SEED_IDS[2] + ",")
