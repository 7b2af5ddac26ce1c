"""The JSON story bundle: a story with everything needed to check it elsewhere.

Contents: the story row, each member article (raw text, clean body, the
cleaning decisions — every removed line with its rule — and metadata), the
membership scores and shared terms, the passage shares, the quotes, the
settings the analyses ran with, and the SameStory and schema versions.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd

from analysis.output import jsonable_records
from analysis.passages import PassageOptions
from analysis.store import SCHEMA_VERSION
from analysis.stories import StoryOptions
from analysis.story_view import StoryView, samestory_version

BUNDLE_FORMAT = "samestory-story-bundle/1"


def story_bundle(view: StoryView, *, corpus_version: int) -> dict:
    """The bundle as a JSON-ready dict."""
    articles = view.articles.drop(columns=["given"], errors="ignore")
    return {
        "format": BUNDLE_FORMAT,
        "samestory_version": samestory_version(),
        "schema_version": SCHEMA_VERSION,
        "corpus_version": corpus_version,
        "story": jsonable_records(pd.DataFrame([view.story]))[0],
        "members": jsonable_records(view.members),
        "articles": jsonable_records(articles),
        "passage_shares": jsonable_records(view.passages.article_shares),
        "quotes": jsonable_records(view.quotes),
        "settings": {
            "stories": _options(StoryOptions()),
            "passages": _options(view.passages.options or PassageOptions()),
        },
    }


def bundle_json(view: StoryView, *, corpus_version: int) -> str:
    return json.dumps(story_bundle(view, corpus_version=corpus_version), ensure_ascii=False, indent=1)


def _options(options) -> dict:
    return json.loads(json.dumps(dataclasses.asdict(options), default=str))

