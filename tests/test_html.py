"""HTML pages: trafilatura first, simpler extractors as fallbacks, the extractor recorded."""

from __future__ import annotations

import pytest

from analysis.errors import InputRejected
from analysis.html import extract_html
from tests.conftest import FIXTURES

LAYOUTS = FIXTURES / "layouts"


def test_article_page_gives_text_and_metadata():
    page = extract_html((LAYOUTS / "news_page.html").read_text(encoding="utf-8"))
    assert page.extractor == "trafilatura"
    assert (page.title, page.date, page.author) == ("Water utility fined over leaks", "2023-05-17", "Grace Liang")
    assert "Inspectors said the company lost almost a fifth" in page.text
    assert "We use cookies" not in page.text and "Privacy" not in page.text
    assert page.extra.get("sitename") == "Valley Courier"


def test_page_without_a_stated_date_gets_none():
    page = extract_html((LAYOUTS / "explainer_page.html").read_text(encoding="utf-8"))
    assert page.date is None


def test_comments_are_left_out():
    page = extract_html((LAYOUTS / "blog_page.html").read_text(encoding="utf-8"))
    assert "slugs" not in page.text and "broad beans" in page.text


def test_tiny_page_falls_back_and_records_the_extractor():
    page = extract_html("<html><body><div><span>Short note: the meeting moved to Friday.</span></div></body></html>")
    assert page.extractor in {"trafilatura", "trafilatura-baseline", "html2txt"}
    assert "the meeting moved to Friday" in page.text


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>"])
def test_page_without_text_is_rejected(html):
    with pytest.raises(InputRejected):
        extract_html(html)


def test_metadata_survives_a_failed_main_extraction(monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise ValueError("pathological tree")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    page = extract_html((LAYOUTS / "news_page.html").read_text(encoding="utf-8"))
    assert page.extractor in {"trafilatura-baseline", "html2txt"}
    assert page.title == "Water utility fined over leaks" and page.date == "2023-05-17"
    assert "Inspectors said the company lost almost a fifth" in page.text
