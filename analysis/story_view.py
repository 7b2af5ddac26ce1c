"""Everything SameStory knows about one story, gathered in one place.

The dashboard's story page, the HTML report and the JSON bundle all read a
:class:`StoryView`, so the three always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from analysis.passages import PassageAlignment, store_passages
from analysis.store import Store
from analysis.stories import outlet_similarity, story_memberships, story_table
from analysis.terms import outlet_terms
from analysis.voices import quote_variants, speakers_by_outlet, story_quotes

MEMBER_COLUMNS = ["article_id", "outlet", "title", "date", "author", "words", "score",
                  "shared_terms"]


@dataclass(frozen=True)
class StoryView:
    """One story and its analyses.

    story               the story's row of :func:`analysis.stories.story_table` (dict)
    members             one row per article (:data:`MEMBER_COLUMNS`), earliest first
    articles            the member articles as stored (body, removed lines, metadata)
    outlet_similarity   outlet × outlet similarity, tidy
    passages            the sentence alignment (shared / paraphrase / unique)
    quotes              quotes with canonical speakers
    speakers            who is quoted by which outlet (speaker, outlet, quotes, …)
    quote_variants      the same quote across outlets, with its variants
    terms               distinctive terms per outlet inside the story
    """

    story: dict
    members: pd.DataFrame
    articles: pd.DataFrame
    outlet_similarity: pd.DataFrame
    passages: PassageAlignment
    quotes: pd.DataFrame
    speakers: pd.DataFrame
    quote_variants: pd.DataFrame
    terms: pd.DataFrame


def story_view(store: Store, story_id: str) -> StoryView:
    """Gather one story; raises UnknownIdError for an unknown story id."""
    passages = store_passages(store, story_id=story_id)
    stories = story_table(store)
    story = stories[stories["story_id"] == story_id].iloc[0].to_dict()
    article_ids = [str(article_id) for article_id in story["article_ids"]]
    articles = store.articles(ids=article_ids)
    memberships = story_memberships(store)
    members = articles.rename(columns={"id": "article_id"}).merge(
        memberships[memberships["story_id"] == story_id][["article_id", "score", "shared_terms"]],
        on="article_id", how="left",
    )
    members = members.sort_values(["date", "article_id"], na_position="last", kind="stable")
    quotes = story_quotes(store, story_id)
    return StoryView(
        story=story,
        members=members[MEMBER_COLUMNS].reset_index(drop=True),
        articles=articles,
        outlet_similarity=outlet_similarity(store, story_id),
        passages=passages,
        quotes=quotes,
        speakers=speakers_by_outlet(quotes),
        quote_variants=quote_variants(quotes),
        terms=outlet_terms(store, ids=article_ids),
    )


def samestory_version() -> str:
    """The installed package version, or "dev" when running from a bare checkout."""
    try:
        return version("samestory")
    except PackageNotFoundError:
        return "dev"
