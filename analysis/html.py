"""HTML pages to article text and metadata, through trafilatura and htmldate.

The cascade, recorded in ``extractor``:

1. ``trafilatura``: its main-content extraction with metadata.
2. ``trafilatura-baseline``: its simpler paragraph collector, when (1) finds
   fewer than :data:`MIN_TEXT_CHARS` characters.
3. ``html2txt``: all visible text, when both find too little.

A page with no visible text at all is rejected. Dates come from htmldate's
original-date search without its extensive guessing, so a page that states no
date gets none; the download date is never used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import trafilatura

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
    metadata = document.as_dict() if document is not None else {}
    text = _paragraphs(metadata.get("text") or "")
    extractor = "trafilatura"
    if len(text) < MIN_TEXT_CHARS:
        _, baseline_text, _ = trafilatura.baseline(html)
        text, extractor = _paragraphs(baseline_text or ""), "trafilatura-baseline"
    if len(text) < MIN_TEXT_CHARS:
        fallback = _paragraphs(trafilatura.html2txt(html) or "")
        if len(fallback) > len(text):
            text, extractor = fallback, "html2txt"
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


def _paragraphs(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)
