"""URL parameters: traversal attempts, huge values and unknown ids give a clear message,
read nothing outside the store, and never a traceback.

The parameters are found in the page sources, so pages added later are covered
without editing this file: the key of every ``url_selectbox``/``url_text_input``
call, every widget with ``bind="query-params"``, and every ``st.query_params``
read. The pages are the ones ``dashboard.py`` registers.

While a page runs, a Python audit hook records every file opened and every
SQLite database connected; a sentinel file beside the store (the target of the
traversal values) must never be opened, and only the store may be connected.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from streamlit.testing.v1 import AppTest

from analysis.corpus import load_bundled_corpus
from analysis.store import open_store
from tests.conftest import PROJECT_ROOT

DASHBOARD = PROJECT_ROOT / "dashboard.py"
SECRET = "sentinel-secret-4b1d: this file must never be read by the dashboard"
URL_HELPERS = {"url_selectbox": 2, "url_text_input": 1}  # helper -> position of its key argument


@dataclass(frozen=True)
class UrlParam:
    page: str  # the page file, relative to the project ("app_pages/corpus.py")
    key: str
    kind: str  # "choice" (url_selectbox), "text" (url_text_input) or "other"


def registered_pages() -> list[str]:
    source = DASHBOARD.read_text(encoding="utf-8")
    return re.findall(r"st\.Page\(\s*[\"']([^\"']+\.py)[\"']", source)


def url_params() -> list[UrlParam]:
    """Every query parameter each registered page reads, found in its source."""
    found: dict[tuple[str, str], UrlParam] = {}
    for page in registered_pages():
        for key, kind in _keys_read(ast.parse((PROJECT_ROOT / page).read_text(encoding="utf-8"))):
            found.setdefault((page, key), UrlParam(page, key, kind))
    return list(found.values())


def _keys_read(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            key_node = keywords.get("key")
            if name in URL_HELPERS and key_node is None and len(node.args) > URL_HELPERS[name]:
                key_node = node.args[URL_HELPERS[name]]
            is_bound = _constant(keywords.get("bind")) == "query-params"
            if name in URL_HELPERS or is_bound:
                kind = {"url_selectbox": "choice", "url_text_input": "text"}.get(name, "other")
                if isinstance(_constant(key_node), str):
                    yield _constant(key_node), kind
            if name == "get" and _is_query_params(node.func.value) and node.args:
                if isinstance(_constant(node.args[0]), str):
                    yield _constant(node.args[0]), "other"
        elif isinstance(node, ast.Subscript) and _is_query_params(node.value):
            if isinstance(_constant(node.slice), str):
                yield _constant(node.slice), "other"


def _constant(node):
    return node.value if isinstance(node, ast.Constant) else None


def _is_query_params(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "query_params"


class FileWatch:
    """Files opened and databases connected while ``active`` (one audit hook per process)."""

    active = False
    opened: list[str] = []
    connected: list[str] = []

    @classmethod
    def hook(cls, event: str, args) -> None:
        if not cls.active:
            return
        if event == "open" and isinstance(args[0], (str, bytes, Path)):
            cls.opened.append(str(args[0]))
        elif event == "sqlite3.connect":
            cls.connected.append(str(args[0]))


sys.addaudithook(FileWatch.hook)


@pytest.fixture(scope="module")
def store_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("url-store")
    (folder / "store").mkdir()
    with open_store(folder / "store" / "corpus.db") as store:
        load_bundled_corpus(store)
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


def hostile_values(store_folder: Path) -> dict[str, str]:
    secret = store_folder / "secret.txt"
    return {
        "traversal": "../secret.txt",
        "deep-traversal": "../../../../../../../../etc/passwd",
        "encoded-traversal": quote(quote("../secret.txt", safe=""), safe=""),
        "absolute-path": str(secret),
        "file-url": secret.as_uri(),
        "store-file": str(store_folder / "store" / "corpus.db"),
        "huge": "x" * 100_000,
        # Under Streamlit's 512 KiB query-string limit once encoded; beyond it the URL is ignored.
        "huge-unicode": "\u202e記事🗞️" * 5_000,
        "nul": "a\x00b",
        "sql": "' OR 1=1; DROP TABLE articles; --",
        "fts-syntax": 'NEAR("a" "b") OR title:* -x',
        "markup": "<script>alert(1)</script> **bold** :red[x]",
        "number": "-99999999999999999999999",
        "empty": "",
    }


def run_page(page: str, params: dict[str, str], db_path: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("SAMESTORY_DB", str(db_path))
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    app.switch_page(page)
    FileWatch.opened, FileWatch.connected, FileWatch.active = [], [], True
    try:
        app.run()
    finally:
        FileWatch.active = False
    return app


def shown_text(app: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "text", "warning", "error",
                 "info", "success", "exception", "code"):
        parts.extend(str(getattr(element, "value", "")) for element in getattr(app, kind))
    return "\n".join(parts)


def assert_safe(app: AppTest, db_path: Path, store_folder: Path) -> None:
    assert not app.exception, [element.value for element in app.exception]
    text = shown_text(app)
    assert "Traceback" not in text and SECRET not in text
    secret = str(store_folder / "secret.txt")
    outside = [path for path in FileWatch.opened
               if path.endswith("secret.txt") or path == "/etc/passwd"]
    assert not outside
    assert FileWatch.connected, "the audit hook saw no store connection: it is not watching"
    assert set(FileWatch.connected) <= {str(db_path), str(db_path.resolve())}, FileWatch.connected
    assert secret not in FileWatch.opened


PARAMS = url_params()
VALUE_NAMES = list(hostile_values(Path("/tmp")))


def test_the_pages_read_the_parameters_we_expect():
    keys = {(param.page, param.key, param.kind) for param in PARAMS}
    corpus = "app_pages/corpus.py"
    assert {(corpus, "q", "text"), (corpus, "article", "choice")} <= keys


@pytest.mark.parametrize("value_name", VALUE_NAMES)
@pytest.mark.parametrize("param", PARAMS, ids=lambda param: f"{Path(param.page).stem}-{param.key}")
def test_a_hostile_value_gets_a_message_never_a_traceback(param, value_name, store_folder,
                                                          monkeypatch):
    db_path = store_folder / "store" / "corpus.db"
    value = hostile_values(store_folder)[value_name]
    app = run_page(param.page, {param.key: value}, db_path, monkeypatch)
    assert_safe(app, db_path, store_folder)
    warnings = [element.value for element in app.warning]
    if param.kind == "choice" and value:
        assert any("does not have" in warning for warning in warnings), warnings
    if param.kind == "text" and len(value) > 200:
        assert any("longer than" in warning for warning in warnings), warnings
    assert all(len(warning) < 400 for warning in warnings)  # a huge value is not echoed whole


@pytest.mark.parametrize("page", registered_pages())
def test_every_parameter_hostile_at_once(page, store_folder, monkeypatch):
    db_path = store_folder / "store" / "corpus.db"
    values = hostile_values(store_folder)
    for value_name in ("deep-traversal", "huge", "markup"):
        params = {param.key: values[value_name] for param in PARAMS if param.page == page}
        params.update({"story": values[value_name], "outlet": values[value_name]})
        app = run_page(page, params, db_path, monkeypatch)
        assert_safe(app, db_path, store_folder)


@pytest.mark.browser
def test_no_page_shows_a_traceback_in_chromium(store_folder):
    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests.browser import dashboard_server, launch_chromium, open_page

    values = hostile_values(store_folder)
    pages = re.findall(r"url_path=[\"']([^\"']+)[\"']", DASHBOARD.read_text(encoding="utf-8"))
    keys = sorted({param.key for param in PARAMS} | {"story", "outlet"})
    with dashboard_server(store_folder / "store" / "corpus.db") as url, \
            playwright_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            for page_path in pages:
                for value_name in ("traversal", "absolute-path", "huge", "sql"):
                    value = values[value_name][:20_000]  # keep the request line under server limits
                    query = "&".join(f"{key}={quote(value, safe='')}" for key in keys)
                    context = chromium.new_context()
                    page = open_page(context, f"{url}/{page_path}?{query}")
                    body = page.inner_text("body")
                    assert "Traceback" not in body and SECRET not in body, (page_path, value_name)
                    assert page.locator('[data-testid="stException"]').count() == 0
                    context.close()
        finally:
            chromium.close()


def _side_by_side_script():
    from dashboard_support.widgets import url_multiselect

    chosen = url_multiselect("Outlets", ["A", "B", "C", "D", "E", "F"], "outlets", what="outlet",
                             default=["A", "B", "C", "D"])
    import streamlit as st

    st.text("chosen: " + ",".join(chosen))


def test_a_multiselect_default_stays_out_of_the_link_and_a_link_overrides_it():
    from streamlit.testing.v1 import AppTest

    plain = AppTest.from_function(_side_by_side_script, default_timeout=30).run()
    assert plain.text[0].value == "chosen: A,B,C,D"
    assert "outlets" not in plain.query_params
    linked = AppTest.from_function(_side_by_side_script, default_timeout=30)
    linked.query_params["outlets"] = ["E", "F"]
    linked.run()
    assert linked.text[0].value == "chosen: E,F"
    linked.multiselect(key="outlets").set_value(["A", "B", "C", "D"]).run()
    assert linked.query_params.get("outlets", []) == []
