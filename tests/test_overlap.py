"""Word n-gram overlap: the array tokenizer matches the regex it replaces, covers and passages."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import overlap

# Case folding that changes length (ß, İ, ligatures), a Kelvin sign, combining marks,
# digits of other scripts, underscores, emoji, a lone surrogate and empty texts.
ODD_TEXTS = [
    "", "Straße STRASSE İstanbul ﬁne", "x\u0345y Ǆemal", "_a_ b__ snake_case", "\ud800 lone",
    "emoji 😀 word", "", "١٢٣ digits ² ½", "naïve cafe\u0301 \u212aelvin", "U.S. e-mail: x@y.org",
]


def assert_same_tokens(texts: list[str]) -> None:
    fast, reference = overlap.tokenize(texts), overlap._tokenize_word_by_word(list(texts))
    for field in ("ids", "sentence", "counts", "vocabulary"):
        assert np.array_equal(getattr(fast, field), getattr(reference, field)), field


@pytest.mark.parametrize("texts", [ODD_TEXTS, ODD_TEXTS[1:2], [], ["", ""], ["ß"] * 3])
def test_tokenize_gives_the_words_and_ids_of_the_regex(texts):
    assert_same_tokens(texts)


def test_tokenize_across_chunks_and_a_text_longer_than_a_chunk():
    rng = random.Random(42)
    words = ["Flood", "flood", "Emilia-Romagna", "ß", "İ", "água", "3,000", "don’t"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    assert_same_tokens(texts + ["word " * 200_000, "x" * 600_000] + texts[:10])


def test_tokenize_falls_back_to_the_regex_when_two_words_share_a_hash(monkeypatch):
    monkeypatch.setattr(overlap._WordReader, "hashes",
                        lambda self, code_points, begin, end, base: np.zeros(len(begin), np.uint64))
    assert_same_tokens(ODD_TEXTS)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), max_size=8))
def test_tokenize_matches_the_regex_on_any_text(texts):
    assert_same_tokens(texts)


def test_cover_marks_the_words_under_each_shingle():
    starts = np.array([0, 2, 9])
    covered = overlap.cover(starts, 3, 11)
    assert covered.tolist() == [True] * 5 + [False] * 4 + [True] * 2


def test_shingles_stay_inside_a_group_and_match_within_a_scope():
    ids = np.array([1, 2, 3, 1, 2, 3, 1, 2, 3])
    group = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    scope = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1])
    grams = overlap.shingles(ids, group, scope, 3)
    assert grams.start.tolist() == [0, 3, 6]
    assert grams.key[0] == grams.key[1] != grams.key[2]
