"""HTML pages to article text and metadata, through trafilatura and htmldate.

The cascade, recorded in ``extractor``:

1. ``trafilatura``: its main-content extraction with metadata.
2. ``trafilatura-baseline``: its simpler paragraph collector, when (1) finds
   fewer than :data:`MIN_TEXT_CHARS` characters.
3. ``html2txt``: all visible text, when both find too little.
4. ``html.parser``: the standard library's tokenizer collects the text
   outside ``script``, ``style`` and ``template`` when lxml,
   under the three above, gives up (trees nested thousands deep, broken
   markup). It never recurses, so no depth defeats it.

When (1) raises on a pathological tree, the page's metadata is still read on
its own. A page with no visible text at all is rejected. Dates come from htmldate's
original-date search without its extensive guessing, so a page that states no
date gets none; the download date is never used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html.parser import HTMLParser

import trafilatura
from trafilatura.metadata import extract_metadata

from analysis.errors import InputRejected

MIN_TEXT_CHARS = 40
_DATE_PARAMS = {"extensive_search": False, "original_date": True}

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass(frozen=True)
class HtmlExtraction:
    text: str
    extractor: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    extra: dict = field(default_factory=dict)


def extract_html(html: str) -> HtmlExtraction:
    """Extract the article of one page; raises InputRejected when it has no text."""
    if not html.strip():
        raise InputRejected("empty HTML page")
    try:
        document = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, AttributeError) as error:
        # trafilatura raises these on pathological trees; fall through to simpler extractors.
        logging.getLogger(__name__).debug("trafilatura failed: %s", error)
        document = None
    metadata = document.as_dict() if document is not None else _metadata_only(html)
    text = _paragraphs(metadata.get("text") or "")
    extractor = "trafilatura"
    if len(text) < MIN_TEXT_CHARS:
        _, baseline_text, _ = trafilatura.baseline(html)
        text, extractor = _paragraphs(baseline_text or ""), "trafilatura-baseline"
    if len(text) < MIN_TEXT_CHARS:
        fallback = _paragraphs(trafilatura.html2txt(html) or "")
        if len(fallback) > len(text):
            text, extractor = fallback, "html2txt"
    if len(text) < MIN_TEXT_CHARS:
        tokenized = _paragraphs(_tokenized_text(html))
        if len(tokenized) > len(text):
            text, extractor = tokenized, "html.parser"
    if not text.strip():
        raise InputRejected("HTML page has no readable text")
    extra = {
        key: metadata[key]
        for key in ("sitename", "hostname", "description", "language")
        if metadata.get(key)
    }
    return HtmlExtraction(
        text=text,
        extractor=extractor,
        title=metadata.get("title") or None,
        date=metadata.get("date") or None,
        author=metadata.get("author") or None,
        url=metadata.get("url") or None,
        extra=extra,
    )


def _metadata_only(html: str) -> dict:
    """Title, date and author when the main extraction failed: the page may still state them."""
    try:
        metadata = extract_metadata(html, date_config=_DATE_PARAMS)
    except (ValueError, TypeError, AttributeError) as error:
        logging.getLogger(__name__).debug("trafilatura metadata failed: %s", error)
        return {}
    return metadata.as_dict() if metadata is not None else {}


def _paragraphs(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


_INVISIBLE = frozenset({"script", "style", "template"})
_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                     "article", "section", "blockquote", "pre", "header", "footer"})


class _VisibleText(HTMLParser):
    """Text outside invisible elements, a line break at each block element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _INVISIBLE:
            self.hidden_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _INVISIBLE:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def _tokenized_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
