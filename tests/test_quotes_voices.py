"""Voices in a story: one spelling per speaker, who is quoted by which outlet, quote variants."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.quotes import extract_quotes
from analysis.voices import (
    SPEAKER_OUTLET_COLUMNS,
    VARIANT_COLUMNS,
    VariantOptions,
    canonical_speakers,
    canonicalise_speakers,
    quote_variants,
    speaker_outlet_matrix,
    speakers_by_outlet,
    story_article_ids,
)

# One story (the Istanbul talks) as four outlets wrote it: a wire copy, a cut, a rewording.
STORY = pd.DataFrame([
    {"id": "wire", "outlet": "Agency Wire", "body":
        "“We want an international mechanism for security guarantees, in which the guarantor "
        "states would behave in accordance with Article 5 of NATO,” said Ukrainian negotiator "
        "David Arakhamia.\n\nRussian deputy defence minister Alexander Fomin said Moscow would "
        "“radically” reduce military activity near Kyiv."},
    {"id": "daily", "outlet": "The Daily", "body":
        "Ukraine’s negotiator David Arachamia said: “We want an international mechanism for "
        "security guarantees, in which the guarantor states would behave in accordance with "
        "Article 5 of NATO.” Arachamia added: “Ukraine would accept neutral status.”"},
    {"id": "tabloid", "outlet": "Tabloid", "body":
        "“We want an international mechanism for security guarantees,” Arakhamia told "
        "reporters in Istanbul. Negotiator David Arakhamia spoke after the talks."},
    {"id": "weekly", "outlet": "Weekly Review", "body":
        "Ukraine wants “a mechanism of security guarantees where guarantor countries act like "
        "NATO’s Article 5,” negotiator D. Arakhamia said."},
])


@pytest.fixture(scope="module")
def story_quotes_frame() -> pd.DataFrame:
    return canonicalise_speakers(extract_quotes(STORY))


def test_spelling_variants_become_one_speaker(story_quotes_frame):
    spoken = story_quotes_frame[story_quotes_frame["kind"] != "scare"]
    assert set(spoken["speaker"].dropna()) == {"David Arakhamia", "Alexander Fomin"}
    assert {"David Arachamia", "David Arakhamia", "D. Arakhamia"} <= set(
        spoken["speaker_as_written"].dropna())


def test_canonical_speakers_keep_different_people_apart():
    mapping = canonical_speakers(["John Smith", "Jane Smith", "Jane Smith", "Smith",
                                  "Volodymyr Zelensky", "Volodymyr Zelenskyy", None])
    assert mapping["John Smith"] != mapping["Jane Smith"]
    assert mapping["Smith"] == "Smith"  # two Smiths: a bare surname stays bare
    assert mapping["Volodymyr Zelensky"] == mapping["Volodymyr Zelenskyy"]


def test_speakers_by_outlet_counts_spoken_quotes(story_quotes_frame):
    counts = speakers_by_outlet(story_quotes_frame)
    assert tuple(counts.columns) == SPEAKER_OUTLET_COLUMNS
    daily = counts[counts["outlet"] == "The Daily"].iloc[0]
    assert (daily["speaker"], daily["quotes"], daily["articles"]) == ("David Arakhamia", 2, 1)
    assert set(counts["outlet"]) == {"Agency Wire", "The Daily", "Tabloid", "Weekly Review"}


def test_matrix_is_speakers_by_outlets_with_zeros():
    counts = pd.DataFrame({"speaker": ["A B", "A B", "C D"], "outlet": ["X", "Y", "X"],
                           "quotes": [3, 1, 1], "articles": [1, 1, 1], "words": [9, 2, 4]})
    matrix = speaker_outlet_matrix(counts)
    assert list(matrix.index) == ["A B", "C D"] and list(matrix.columns) == ["X", "Y"]
    assert matrix.loc["C D", "Y"] == 0
    assert speaker_outlet_matrix(counts, value="words").loc["A B", "X"] == 9
    with pytest.raises(UsageError):
        speaker_outlet_matrix(counts, value="speakers")


def test_the_same_quote_across_outlets_with_its_variants(story_quotes_frame):
    variants = quote_variants(story_quotes_frame)
    assert tuple(variants.columns) == VARIANT_COLUMNS
    group = variants[variants["quote_group"] == 0].set_index("article_id")
    assert set(group.index) == {"wire", "daily", "tabloid", "weekly"}
    assert group.loc["wire", "variant"] == "verbatim"
    assert group.loc["daily", "variant"] == "verbatim"
    assert group.loc["tabloid", "variant"] == "cut"
    assert group.loc["weekly", "variant"] == "reworded"
    assert 0 < group.loc["weekly", "shared_share"] < 0.95


def test_short_quotes_and_single_articles_are_not_variants(story_quotes_frame):
    variants = quote_variants(story_quotes_frame)
    assert "radically" not in set(variants["text"])
    assert "Ukraine would accept neutral status." not in set(variants["text"])
    assert quote_variants(story_quotes_frame.iloc[:0]).empty


def test_variant_options_are_checked():
    with pytest.raises(UsageError):
        VariantOptions(min_containment=0)
    with pytest.raises(UsageError):
        VariantOptions(min_words=0)


def test_story_needs_the_story_module(monkeypatch):
    assert story_article_ids(None, None) is None
    monkeypatch.setitem(sys.modules, "analysis.stories", None)
    with pytest.raises(UsageError, match="story grouping"):
        story_article_ids(None, "s1")
