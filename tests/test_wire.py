"""Wire-agency cues: datelines, credits, bylines, tags and mentions of news agencies."""

from __future__ import annotations

import random

import pytest

from analysis.wire import agency_of, find_cues, wire_cues


def test_wire_cues_of_the_seeds(seeded_store):
    cues = wire_cues(seeded_store.articles())
    tags = cues[cues["kind"] == "tag"]
    assert set(zip(tags["article_id"].str[:3], tags["agency"])) == {
        ("000", "AFP"), ("000", "dpa"), ("003", "dpa")}
    mention = cues[cues["kind"] == "mention"]
    assert mention[["agency"]].values.ravel().tolist() == ["Interfax"]


@pytest.mark.parametrize(("text", "expected"), [
    ("WASHINGTON (AP) — The Senate voted.", ("AP", "dateline")),
    ("LONDON, Oct 17 (Reuters) - Shares fell.", ("Reuters", "dateline")),
    ("Text.\n\nThe Associated Press contributed to this report.", ("AP", "credit")),
    ("By JOHN SMITH, Associated Press\n\nText.", ("AP", "byline")),
    ("It ended. (dpa)", ("dpa", "tag")),
    ("The talks ended late. AFP", ("AFP", "tag")),
    ("He told Reuters on Monday that he would stay.", ("Reuters", "mention")),
    ("(AP Photo/Evan Vucci)", ("AP", "photo")),
])
def test_wire_cue_kinds(text, expected):
    assert [(cue["agency"], cue["kind"]) for cue in find_cues("x", text)] == [expected]


def test_ordinary_words_are_no_wire_cues():
    assert find_cues("x", "The AP style guide was rewritten. I will ap it. Apple rose.") == []
    assert agency_of("Associated Press") == "AP" and agency_of("Reuters UK") == "Reuters"
    assert agency_of("Fox News") is None and agency_of(None) is None


def test_agency_names_of_many_texts_at_once_are_those_found_one_by_one():
    """The byte-array search of all texts agrees with str.find on each, also next to
    multi-byte characters and for the Kelvin sign and İ, which lower-case apart."""
    from analysis.wire import _agency_names, _agency_names_by_find

    rng = random.Random(42)
    pieces = ["AP", "APA", "Thomson Reuters", "reuters", "REUTERS", "press", "Associated Press",
              "Kyodo News", "(AP)", "(afp/dpa/lp)", " ", "-", "_", "x", "\n", "Anadolu Agency",
              "ITAR-TASS", "TASS", "Keystone-SDA", "SDA", "German Press Agency", "PA Media",
              "Agence France-Presse", "ß", "é", "“", "’", "\u212a", "\u212ayodo", "\u0130",
              "ΑΣ", "\ud800", "xinhua", "epd", "ddp", "Yonhap", "Interfax", "EFE", "UPI", "KNA"]
    for _ in range(300):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
                 for _ in range(rng.randint(0, 8))]
        assert _agency_names(texts) == [_agency_names_by_find(text) for text in texts], texts
