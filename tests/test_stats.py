"""Per-outlet statistics: each column on a small example worked out by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import textstat
from click.testing import CliRunner

from analysis import stats
from analysis.cli import cli
from analysis.errors import UnknownIdError, UsageError
from analysis.ingest import ingest
from analysis.readability import (
    ReadabilityOptions,
    SyllableCounter,
    count_sentences,
    lead_sentences,
    readability,
)
from analysis.stats import (
    ATTENTION_COLUMNS,
    MEASURE_COLUMNS,
    OUTLET_COLUMNS,
    article_measures,
    outlet_statistics,
    outlet_stats,
    story_attention,
)
from analysis.store import open_store
from analysis.tone import ToneOptions, lead_tone
from tests.conftest import shared_corpus
from tests.fixtures.terms.corpus import OUTLET_LAG_DAYS, OUTLETS, build_articles, write_jsonl

# -- sentences, syllables, readability, tone --------------------------------


@pytest.mark.parametrize(("text", "sentences"), [
    ("", 0),
    ("No full stop at all", 1),
    ("Mr. Ortega voted no. Dr. Liu agreed.", 2),
    ("The U.S. agency met on Jan. 5 in Washington. It adjourned.", 2),
    ("“We will appeal,” she said. “Really?” he asked!", 3),
    ("Storm warning\n\nThe coast flooded. Roads closed.", 3),
    ("J. R. Smith scored. The crowd cheered.", 2),
])
def test_count_sentences(text, sentences):
    assert count_sentences(text) == sentences


def test_lead_sentences_take_the_first_n():
    text = "Mr. Ortega voted no. The U.S. plan passed.\n\nResidents cheered. Others left."
    assert lead_sentences(text, 3) == ["Mr. Ortega voted no.", "The U.S. plan passed.",
                                       "Residents cheered."]
    assert lead_sentences(text, 10)[-1] == "Others left."


@pytest.mark.parametrize("word", ["budget", "council", "reservoir", "unprecedented",
                                  "glimmerwick", "neighbourhoods", "2030"])
def test_syllables_follow_textstat(word):
    assert SyllableCounter()[word] == textstat.syllable_count(word)
    assert SyllableCounter()[f"“{word.title()},"] == textstat.syllable_count(word)


def test_flesch_reading_ease_by_hand_and_as_textstat():
    text = "The cat sat on the mat. The dog ran."
    # 9 words, 2 sentences, 9 one-syllable words:
    # 206.835 - 1.015 * 9/2 - 84.6 * 9/9 = 117.6675
    counts = readability(text, counter=SyllableCounter(), options=ReadabilityOptions())
    assert (counts.words, counts.sentences, counts.sample_syllables) == (9, 2, 9)
    assert counts.flesch_reading_ease == pytest.approx(117.6675)
    assert counts.flesch_reading_ease == pytest.approx(textstat.flesch_reading_ease(text), abs=0.01)


def test_syllables_per_word_come_from_the_leading_sample():
    text = "Unprecedented flooding devastated coastal towns. It rained."
    # Sample of 2 words: un-pre-ce-dent-ed (5) + flood-ing (2) = 7 syllables over 2 words;
    # 7 words, 2 sentences: 206.835 - 1.015 * 3.5 - 84.6 * 3.5 = -92.82
    counts = readability(text, counter=SyllableCounter(), options=ReadabilityOptions(sample_words=2))
    assert (counts.sample_words, counts.sample_syllables) == (2, 7)
    assert counts.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 3.5 - 84.6 * 3.5)


def test_tone_is_the_mean_vader_compound_of_the_lead():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    text = ("Rescuers saved every family. The flood destroyed the old bridge.\n\n"
            "Officials praised the volunteers. Later sentences are not read.")
    lead = ["Rescuers saved every family.", "The flood destroyed the old bridge.",
            "Officials praised the volunteers."]
    expected = sum(vader.polarity_scores(sentence)["compound"] for sentence in lead) / 3
    assert lead_tone(text, options=ToneOptions(lead_sentences=3)) == pytest.approx(expected)
    assert math.isnan(lead_tone(""))


# -- per-article measurements -------------------------------------------------

def test_article_measures_one_row_per_article():
    articles = pd.DataFrame({
        "id": [7, "b"], "outlet": ["Alpha", None], "date": ["2024-03-01", None],
        "body": ["The cat sat on the mat. The dog ran.", None],
    })
    measures = article_measures(articles)
    assert list(measures.columns) == MEASURE_COLUMNS
    first, second = measures.to_dict(orient="records")
    assert (first["article_id"], first["outlet"], first["words"], first["sentences"]) == ("7", "Alpha", 9, 2)
    assert first["flesch_reading_ease"] == pytest.approx(117.6675)
    assert first["syllables_per_word"] == 1.0
    assert (second["article_id"], second["outlet"], second["words"]) == ("b", "(unknown outlet)", 0)
    assert math.isnan(second["flesch_reading_ease"]) and math.isnan(second["tone"])
    with pytest.raises(UsageError, match="body"):
        article_measures(pd.DataFrame({"id": ["x"]}))


def test_chunked_measuring_gives_the_same_rows(monkeypatch):
    from joblib import parallel_config

    articles = build_articles().rename(columns={"text": "body"})
    monkeypatch.setattr(stats, "PARALLEL_MIN_ARTICLES", 10)
    # Threads instead of processes: the same chunking, without process start-up in the suite.
    with parallel_config(backend="threading"):
        chunked = article_measures(articles, n_jobs=3)
    pd.testing.assert_frame_equal(article_measures(articles), chunked)


# -- aggregation, worked by hand -----------------------------------------------

@pytest.fixture
def measures() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "b1", "b2", "c1"],
        "outlet": ["Alpha", "Alpha", "Alpha", "Beta", "Beta", "Gamma"],
        "date": ["2024-03-01", "2024-03-03", None, "2024-03-02", "2024-03-05", "2024-03-04"],
        "words": [100, 300, 200, 400, 100, 50],
        "sentences": [5, 10, 10, 20, 4, 2],
        "syllables_per_word": [1.5] * 6,
        "flesch_reading_ease": [60.0, 50.0, 70.0, 40.0, np.nan, 80.0],
        "tone": [0.2, -0.4, 0.5, 0.0, np.nan, 0.1],
    })


@pytest.fixture
def memberships() -> pd.DataFrame:
    # s1 and s2 span several outlets; s3 is Alpha's alone, so it is no story.
    return pd.DataFrame({"story_id": ["s1", "s1", "s1", "s2", "s2", "s3"],
                         "article_id": ["a1", "b1", "c1", "a2", "b2", "a3"]})


@pytest.fixture
def quotes() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["a1", "a1", "a1", "a2", "b1"],
        "speaker": ["Dana Whitfield", "Luis Ortega", None, "Dana Whitfield", None],
        "kind": ["direct", "direct", "scare", "partial", "direct"],
    })


@pytest.fixture
def copied() -> pd.DataFrame:
    return pd.DataFrame({"article_id": ["a1", "b1", "c1", "a2", "b2"],
                         "copied_share": [0.0, 0.5, 1.0, 0.2, 0.0]})


def test_outlet_statistics_by_hand(measures, memberships, quotes, copied):
    frame = outlet_statistics(measures, memberships=memberships, quotes=quotes, copied=copied)
    assert list(frame.columns) == OUTLET_COLUMNS
    rows = frame.set_index("outlet").to_dict(orient="index")
    # Multi-outlet stories hold a1, a2, b1, b2, c1: 5 of 6 articles (corpus share 5/6).
    assert rows["Alpha"] == pytest.approx({
        "articles": 3, "words": 600, "median_words": 200.0,
        "mean_sentence_words": 600 / 25,            # pooled: 600 words / 25 sentences
        "readability": 60.0, "tone": 0.1,           # means of (60, 50, 70) and (0.2, -0.4, 0.5)
        "quotes_per_1000_words": 1000 * 3 / 600,    # 2 direct + 1 partial; the scare quote is out
        "distinct_speakers": 2,                     # Whitfield (twice) and Ortega
        "copied_share": 0.1,                        # mean of a1 0.0, a2 0.2; a3 unscored
        "stories": 2, "attention": (2 / 3) / (5 / 6),
        "lag_days": 0.0,                            # first in s1 (Mar 1) and in s2 (Mar 3)
    })
    assert rows["Beta"] == pytest.approx({
        "articles": 2, "words": 500, "median_words": 250.0, "mean_sentence_words": 500 / 24,
        "readability": 40.0, "tone": 0.0,           # b2's NaNs are skipped
        "quotes_per_1000_words": 2.0, "distinct_speakers": 0, "copied_share": 0.25,
        "stories": 2, "attention": 1.0 / (5 / 6),
        "lag_days": 1.5,                            # median of 1 (s1) and 2 (s2) days
    })
    assert rows["Gamma"] == pytest.approx({
        "articles": 1, "words": 50, "median_words": 50.0, "mean_sentence_words": 25.0,
        "readability": 80.0, "tone": 0.1, "quotes_per_1000_words": 0.0, "distinct_speakers": 0,
        "copied_share": 1.0, "stories": 1, "attention": 1.2, "lag_days": 3.0,
    })


def test_one_story_scopes_the_rows_and_normalises_attention_by_the_corpus(measures, memberships):
    frame = outlet_statistics(measures, memberships=memberships, story_id="s1")
    rows = frame.set_index("outlet")
    assert rows["articles"].to_dict() == {"Alpha": 1, "Beta": 1, "Gamma": 1}
    # s1 holds 3 of 6 articles (0.5); Alpha put 1 of its 3 articles on it, Gamma its only one.
    assert rows["attention"].to_dict() == pytest.approx({"Alpha": (1 / 3) / 0.5, "Beta": 1.0,
                                                        "Gamma": 2.0})
    assert rows["lag_days"].to_dict() == {"Alpha": 0, "Beta": 1, "Gamma": 3}
    with pytest.raises(UnknownIdError, match="s9"):
        outlet_statistics(measures, memberships=memberships, story_id="s9")
    with pytest.raises(UsageError, match="memberships"):
        outlet_statistics(measures, story_id="s1")


def test_missing_inputs_leave_their_columns_null(measures):
    frame = outlet_statistics(measures)
    plugged = ["quotes_per_1000_words", "distinct_speakers", "copied_share", "stories",
               "attention", "lag_days"]
    assert frame[plugged].isna().all().all()
    assert frame["articles"].tolist() == [3, 2, 1]


def test_lone_articles_are_no_stories(measures):
    singletons = pd.DataFrame({"story_id": ["x1", "x2"], "article_id": ["a1", "b1"]})
    frame = outlet_statistics(measures, memberships=singletons)
    assert frame["stories"].tolist() == [0, 0, 0]
    assert frame["attention"].isna().all() and frame["lag_days"].isna().all()


def test_story_attention_rows(measures, memberships):
    frame = story_attention(measures, memberships)
    assert list(frame.columns) == ATTENTION_COLUMNS
    s2 = frame[frame["story_id"] == "s2"].set_index("outlet")
    assert s2["first_date"].to_dict() == {"Alpha": "2024-03-03", "Beta": "2024-03-05"}
    assert s2["attention"].to_dict() == pytest.approx({"Alpha": (1 / 3) / (2 / 6),
                                                      "Beta": (1 / 2) / (2 / 6)})


# -- from the store and the CLI --------------------------------------------------

@pytest.fixture
def corpus_db(tmp_path, monkeypatch):
    articles = build_articles()
    memberships = articles[["story", "id"]].set_axis(["story_id", "article_id"], axis=1)
    # Story grouping is another module's job; the fixture knows the true stories.
    monkeypatch.setattr(stats, "_plugin_memberships", lambda store: memberships)
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        ingest(store, [write_jsonl(tmp_path / "corpus.jsonl")])
    return path


def test_outlet_stats_from_the_store(corpus_db):
    with open_store(corpus_db) as store:
        frame = outlet_stats(store, skip=("copied",))
    rows = frame.set_index("outlet")
    assert sorted(rows.index) == sorted(OUTLETS)
    assert (rows["articles"] == 12).all() and (rows["stories"] == 3).all()
    assert rows["lag_days"].to_dict() == OUTLET_LAG_DAYS
    assert rows["attention"].tolist() == pytest.approx([1.0] * 5)
    assert (rows["quotes_per_1000_words"] > 0).all()
    assert rows["copied_share"].isna().all()
    assert rows["readability"].between(30, 90).all() and rows["tone"].between(-1, 1).all()


def test_outlet_stats_of_one_story_with_copied_share(corpus_db):
    with open_store(corpus_db) as store:
        frame = outlet_stats(store, story_id="rate-decision")
    assert (frame["articles"] == 4).all()
    # Outlets draw on one pool of sentences, so later reports copy earlier ones.
    assert frame["copied_share"].between(0, 1).all() and frame["copied_share"].max() > 0
    with pytest.raises(UsageError, match="cannot skip"), open_store(corpus_db) as store:
        outlet_stats(store, skip=("tone",))


def test_copied_shares_of_an_alignment_already_made_give_the_same_figures(corpus_db):
    from analysis.passages import align_stories

    with open_store(corpus_db) as store:
        computed = outlet_stats(store, skip=("quotes",))
        articles = store.article_fields(["id", "outlet", "date", "body"])
        memberships = stats._plugin_memberships(store)
        articles["story_id"] = articles["id"].map(memberships.set_index("article_id")["story_id"])
        alignment = align_stories(articles)
        reused = outlet_stats(store, skip=("quotes",), article_shares=alignment.article_shares)
    assert computed["copied_share"].notna().all()
    pd.testing.assert_frame_equal(reused, computed)


def test_cli_outlets(corpus_db):
    result = CliRunner().invoke(cli, ["outlets", "--db", str(corpus_db), "--skip", "quotes",
                                      "--skip", "copied", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["outlet"] for row in rows] == sorted(OUTLETS)
    assert all(list(row) == OUTLET_COLUMNS for row in rows)
    assert all(row["quotes_per_1000_words"] is None for row in rows)
    missing = CliRunner().invoke(cli, ["outlets", "--db", str(corpus_db), "--story", "nope"])
    assert missing.exit_code == 2 and "no story with id 'nope'" in missing.stderr


# -- a real corpus ------------------------------------------------------------------

@pytest.mark.corpora
def test_statistics_on_allsides_leads_with_gold_stories():
    path = shared_corpus("allsides-stories.jsonl")
    articles = pd.read_json(path, lines=True, dtype={"id": str, "story_id": str})
    measures = article_measures(articles.rename(columns={"text": "body"}))
    memberships = articles[["story_id", "id"]].rename(columns={"id": "article_id"})
    frame = outlet_statistics(measures, memberships=memberships)
    assert len(frame) == articles["outlet"].nunique()
    assert frame["articles"].sum() == len(articles)
    assert frame["tone"].between(-1, 1).all()
    assert (frame["lag_days"].dropna() >= 0).all()
    assert frame["attention"].notna().all()
