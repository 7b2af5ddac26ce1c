"""Sentence segmentation on news text: abbreviations, initials, datelines, quotes, paragraphs."""

from __future__ import annotations

import itertools
import json
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.sentences import (
    SENTENCE_COLUMNS,
    sentence_spans,
    sentence_table,
    split_sentences,
)
from tests.conftest import FIXTURES

GOLD = json.loads((FIXTURES / "passages" / "segmentation_gold.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GOLD["cases"], ids=lambda case: case["text"][:40])
def test_hand_labelled_news_paragraphs(case):
    assert split_sentences(case["text"]) == case["sentences"]


def test_titles_initials_and_acronyms_do_not_end_sentences():
    text = "Dr. Ana Ruiz met Gen. Lee and U.S. officials on Jan. 5 in St. Louis. The talks failed."
    assert split_sentences(text) == [
        "Dr. Ana Ruiz met Gen. Lee and U.S. officials on Jan. 5 in St. Louis.",
        "The talks failed.",
    ]


def test_an_acronym_ends_a_sentence_before_a_common_opener():
    assert split_sentences("They moved to the U.S. They never came back.") == [
        "They moved to the U.S.", "They never came back."]


def test_a_quotation_that_closes_in_the_paragraph_stays_whole():
    text = 'She said: "We are ready. We will act." Then she left.'
    assert split_sentences(text) == ['She said: "We are ready. We will act."', "Then she left."]


def test_an_unclosed_quotation_does_not_swallow_the_paragraph():
    text = "“We will rebuild. Every street, every house. It will take years. But we will do it."
    assert len(split_sentences(text)) == 4


def test_paragraphs_always_end_sentences_and_are_numbered():
    body = "First paragraph without a stop\n\nSecond one. It has two sentences.\n\n\nThird."
    spans = sentence_spans(body)
    assert [span.sentence for span in spans] == [
        "First paragraph without a stop", "Second one.", "It has two sentences.", "Third."]
    assert [span.paragraph for span in spans] == [0, 1, 1, 2]


def test_a_wrapped_line_is_joined_but_a_heading_line_is_not():
    wrapped = ("The minister said on Monday that the new rules would take effect\n"
               "in March, after a consultation with the industry.")
    assert split_sentences(wrapped) == [
        ("The minister said on Monday that the new rules would take effect in March, "
         "after a consultation with the industry.")]
    assert split_sentences("Key points\nThe bill passed.") == ["Key points", "The bill passed."]


def test_offsets_point_at_the_sentence_in_the_body():
    body = "BERLIN (dpa) - Die Regierung tagt.  Sie beschließt   nichts.\n\nEnde?"
    for span in sentence_spans(body):
        assert " ".join(body[span.start:span.end].split()) == span.sentence
        assert body[span.start:span.end] == body[span.start:span.end].strip()


def test_sentence_table_columns_positions_and_offsets():
    articles = pd.DataFrame({
        "id": ["a1", "a2", "a3"],
        "body": ["One. Two.\n\nThree.", "", None],
    })
    table = sentence_table(articles)
    assert list(table.columns) == list(SENTENCE_COLUMNS)
    assert table["article_id"].tolist() == ["a1", "a1", "a1"]
    assert table["position"].tolist() == [0, 1, 2]
    assert table["paragraph"].tolist() == [0, 0, 1]
    assert table["start"].tolist() == [0, 5, 11]
    assert all(table[column].dtype == "int64" for column in ("paragraph", "position", "start", "end"))


def test_sentence_table_needs_id_and_body():
    with pytest.raises(ValueError, match="body"):
        sentence_table(pd.DataFrame({"id": ["a"]}))


def test_seed_article_quotes_and_agency_tag_stay_in_their_sentences(seeded_store):
    body = seeded_store.article("000_0a4ec5265a08fe35")["body"]
    sentences = split_sentences(body)
    assert ("“It is going strictly according to plan,” Russian Foreign Ministry spokeswoman "
            "Maria Zakharova said on Tuesday (March 29), according to the Interfax agency.") in sentences
    assert sentences[-1].endswith("We focus on the latter.” (afp/dpa/lp)")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_splitting_never_raises_and_never_loses_characters(text):
    spans = sentence_spans(text)
    kept = "".join(text[span.start:span.end] for span in spans)
    assert re.sub(r"\s", "", kept) == re.sub(r"\s", "", text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(span.sentence for span in spans)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "Dr.", "U.S.", "Mr.", "A.", "said", "He", "The", "“", "”", '"', ".", "!", "?", "…", "\n",
    "\n\n", " ", "(AP)", "—", "Jan.", "5", "p.m.", "Friday", "continued.The", "no.", "«", "»",
]), max_size=60))
def test_splitting_news_like_token_soup_keeps_every_character(tokens):
    text = " ".join(tokens)
    joined = "".join(split_sentences(text))
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aB.x é\n\t\u00a0\u2028\x1c")), max_size=12),
       st.integers(0, 12), st.integers(0, 12))
def test_the_word_before_a_full_stop_is_what_the_regex_found(text, start, stop):
    from analysis.sentences import _word_before

    start, stop = min(start, len(text)), min(max(start, stop), len(text))
    match = re.search(r"(\S+)$", text[start:stop])
    assert _word_before(text, start, stop) == (match.group(1) if match else None)


def test_collapsing_spaces_equals_split_and_join_for_every_kind_of_space():
    from analysis.sentences import _collapse_spaces

    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    for space in spaces + ["  ", "\u200b", "\x00"]:
        sentence = f"One{space}two three"
        assert _collapse_spaces(sentence) == " ".join(sentence.split())


def test_sentence_table_of_no_articles_has_the_columns():
    table = sentence_table(pd.DataFrame({"id": [], "body": []}))
    assert list(table.columns) == list(SENTENCE_COLUMNS) and table.empty
