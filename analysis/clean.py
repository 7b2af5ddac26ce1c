"""Cleaning scraped article text.

Until the boilerplate rules land, cleaning only normalises layout: every
non-empty line is a paragraph, and paragraphs are separated by one blank line.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RemovedLine:
    line: str
    rule: str


@dataclass(frozen=True)
class CleanedText:
    body: str
    removed: list[RemovedLine] = field(default_factory=list)


def clean_text(text: str) -> CleanedText:
    """Return the article body with one blank line between paragraphs."""
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    return CleanedText(body="\n\n".join(paragraph for paragraph in paragraphs if paragraph))


def count_words(text: str) -> int:
    return len(text.split())
