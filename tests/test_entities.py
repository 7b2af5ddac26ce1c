"""Entity mentions: people, places and organisations per article and outlet."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cli import cli
from analysis.entities import (
    ENTITY_COLUMNS,
    ENTITY_KINDS,
    OUTLET_ENTITY_COLUMNS,
    article_entities,
    entities_by_outlet,
    entity_mentions,
)
from analysis.errors import UsageError
from analysis.names import classify_span

ARTICLES = pd.DataFrame([
    {"id": "a1", "outlet": "Kyiv Post", "body":
        "US Secretary of State Antony Blinken met Foreign Minister Dmytro Kuleba in Brussels "
        "on Tuesday. The Russian Foreign Ministry and the Kremlin rejected the NATO offer.\n\n"
        "Mr. Blinken said the USA would stand by Ukraine. Kuleba thanked Great Britain."},
    {"id": "a2", "outlet": "Daily Wire", "body":
        "Secretary of State Anthony Blinken spoke in Washington. The Social Democratic Party "
        "of Germany backed the plan, and the European Commission welcomed it."},
])


@pytest.fixture(scope="module")
def mentions() -> pd.DataFrame:
    return entity_mentions(ARTICLES)


def entity(mentions: pd.DataFrame, article_id: str, name: str) -> pd.Series:
    rows = mentions[(mentions["article_id"] == article_id) & (mentions["entity"] == name)]
    assert len(rows) == 1, (name, mentions[mentions["article_id"] == article_id])
    return rows.iloc[0]


def test_frame_contract(mentions):
    assert tuple(mentions.columns) == ENTITY_COLUMNS
    assert set(mentions["kind"]) <= set(ENTITY_KINDS)
    assert mentions["mentions"].dtype == "int64" and (mentions["mentions"] >= 1).all()


def test_people_count_their_short_mentions(mentions):
    blinken = entity(mentions, "a1", "Antony Blinken")
    assert (blinken["kind"], blinken["mentions"]) == ("person", 2)  # "Mr. Blinken" counts
    assert entity(mentions, "a1", "Dmytro Kuleba")["mentions"] == 2   # so does "Kuleba"


def test_places_use_country_names(mentions):
    assert entity(mentions, "a1", "United States")["kind"] == "place"   # "USA"
    assert entity(mentions, "a1", "United Kingdom")["kind"] == "place"  # "Great Britain"
    assert entity(mentions, "a1", "Brussels")["kind"] == "place"


def test_organisations_by_head_word_and_gazetteer(mentions):
    for name in ("Russian Foreign Ministry", "Kremlin", "NATO"):
        assert entity(mentions, "a1", name)["kind"] == "organisation"
    assert entity(mentions, "a2", "European Commission")["kind"] == "organisation"


def test_sentence_openers_and_weekdays_are_not_entities(mentions):
    names = set(mentions["entity"])
    assert not names & {"The", "Tuesday", "Mr", "Secretary"}


def test_by_outlet_merges_spellings_and_filters_kinds(mentions):
    people = entities_by_outlet(mentions, kind="person")
    assert tuple(people.columns) == OUTLET_ENTITY_COLUMNS
    assert set(people["kind"]) == {"person"}
    assert set(people.loc[people["entity"].str.contains("Blinken"), "entity"]) == {
        "Antony Blinken"}
    with pytest.raises(UsageError):
        entities_by_outlet(mentions, kind="animal")


@pytest.mark.parametrize(("span", "kind", "name"), [
    ("Polish Deputy Foreign Minister Szymon Szynkowski vel Sęk", "person",
     "Szymon Szynkowski vel Sęk"),
    ("Kiev’s", "place", "Kiev"),
    ("German Press Agency", "organisation", "German Press Agency"),
    ("Mrs. May", "person", "May"),
    ("Michael Jordan", "person", "Michael Jordan"),
    ("United Russia", "organisation", "United Russia"),
    ("The Budapest Memorandum", "other", "Budapest Memorandum"),
    ("R-Ohio", "other", "R-Ohio"),
])
def test_span_classification(span, kind, name):
    info = classify_span(span.rstrip("’s"))
    assert (info.kind, info.name) == (kind, name)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_entities_never_raise(body):
    counts = article_entities(body)
    assert all(count >= 1 and kind in ENTITY_KINDS for (_, kind), count in counts.items())


def test_entities_verb(seeded_db_path):
    result = CliRunner().invoke(cli, ["entities", "--kind", "person", "--by-outlet",
                                      "--db", str(seeded_db_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert list(rows[0]) == list(OUTLET_ENTITY_COLUMNS)
    assert {"Antony Blinken", "Mykhailo Podolyak"} <= {row["entity"] for row in rows}
