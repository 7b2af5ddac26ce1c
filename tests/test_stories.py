"""Stories: grouping, the public API, explanations, edits and the CLI verbs."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.cli import cli
from analysis.errors import UnknownIdError, UsageError
from analysis.grouping import GroupingOptions, average_link, day_numbers, time_factor
from analysis.ingest import ingest
from analysis.stories import (
    MEMBER_COLUMNS,
    STORY_COLUMNS,
    outlet_similarity,
    story_article_ids,
    story_memberships,
    story_table,
)
from analysis.story_edits import merge_stories, move_article, split_story, story_edits, undo_edit
from tests.conftest import FIXTURES, SEED_IDS

STORIES = FIXTURES / "stories" / "corpus.jsonl"
GOLD = pd.read_csv(FIXTURES / "stories" / "gold.csv").set_index("id")["story"].to_dict()


@pytest.fixture
def story_store(fresh_store):
    ingest(fresh_store, [STORIES])
    return fresh_store


def groups(store) -> set[frozenset]:
    return {frozenset(ids) for ids in story_table(store)["article_ids"]}


def story_of(store, article_id) -> str:
    members = story_memberships(store).set_index("article_id")
    return members.at[article_id, "story_id"]


def test_seeds_make_exactly_three_stories(seeded_store):
    by_prefix = {article_id[:3]: article_id for article_id in SEED_IDS}
    expected = {frozenset(by_prefix[p] for p in ("000", "001", "002")),
                frozenset([by_prefix["003"]]), frozenset([by_prefix["004"]])}
    assert groups(seeded_store) == expected


def test_fixture_stories_match_the_hand_labels(story_store):
    gold = {}
    for article_id, story in GOLD.items():
        gold.setdefault(story, set()).add(article_id)
    found = groups(story_store)
    assert frozenset(gold["tram"]) in found, "wire copies and the undated blog join the tram story"
    assert frozenset(gold["recall"]) in found, "the undated radio piece joins the recall story"
    flood_core = gold["flood"] - {"flood-brief"}
    flood = next(group for group in found if "flood-gazette" in group)
    assert flood_core <= flood <= gold["flood"], "the one-line brief never joins another story"


def test_public_frames_have_the_documented_columns(story_store):
    stories = story_table(story_store)
    members = story_memberships(story_store)
    assert list(stories.columns) == STORY_COLUMNS
    assert list(members.columns) == MEMBER_COLUMNS
    assert sorted(members["article_id"]) == sorted(GOLD)
    assert all(isinstance(value, list) for value in stories["article_ids"])
    assert members["score"].between(0, 1).all()
    assert story_article_ids(story_store, stories["story_id"][0]) == stories["article_ids"][0]
    with pytest.raises(UnknownIdError):
        story_article_ids(story_store, "s-not-a-story")


def test_every_story_is_explained(story_store):
    stories = story_table(story_store).set_index("story_id")
    tram = stories.loc[story_of(story_store, "tram-gazette")]
    assert (tram["start"], tram["end"]) == ("2024-03-11", "2024-03-12")
    assert set(tram["outlets"]) == {"Riverton Gazette", "Daily Courier", "Northern Post",
                                    "Valley Times", "Transit Notes"}
    assert "tram" in tram["label"]
    assert "1 undated" in tram["explanation"]
    members = story_memberships(story_store).set_index("article_id")
    assert "tram" in members.at["tram-courier", "shared_terms"]
    assert members.at["tram-wire-1", "score"] > members.at["tram-blog", "score"]


def test_a_missing_date_never_breaks_grouping():
    days = day_numbers(["2024-03-11", None, "not a date", "2024-03-20"])
    assert np.isnan(days[1]) and np.isnan(days[2])
    factor = time_factor(days, np.array([0, 0, 0]), np.array([1, 2, 3]), GroupingOptions())
    assert factor[0] == factor[1] == GroupingOptions().missing_date_factor
    assert 0 < factor[2] < 1


def test_identical_texts_years_apart_are_different_stories(fresh_store, tmp_path):
    text = ("The harbour bridge closed for repairs after inspectors found cracks in two steel "
            "cables; ferries will run every ten minutes until it reopens.")
    path = tmp_path / "bridge.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in [
        {"id": "b2019", "outlet": "A", "date": "2019-05-01", "text": text},
        {"id": "b2023", "outlet": "B", "date": "2023-05-01", "text": text + " Again."},
    ]), encoding="utf-8")
    ingest(fresh_store, [path])
    assert groups(fresh_store) == {frozenset(["b2019"]), frozenset(["b2023"])}


def test_average_link_needs_most_of_a_group_to_agree():
    # a-b strongly linked, c linked to a only: the average to {a, b} is too low.
    labels = average_link(3, np.array([0, 0]), np.array([1, 2]), np.array([0.9, 0.25]), 0.15)
    assert labels[0] == labels[1] != labels[2]


def test_outlet_similarity_is_a_symmetric_tidy_matrix(story_store):
    frame = outlet_similarity(story_store, story_of(story_store, "tram-gazette"))
    assert list(frame.columns) == ["outlet_a", "outlet_b", "similarity", "pairs"]
    matrix = frame.pivot(index="outlet_a", columns="outlet_b", values="similarity")
    assert len(matrix) == 5
    off_diagonal = matrix.to_numpy()[~np.eye(5, dtype=bool)].astype(float)
    assert np.allclose(matrix.to_numpy(dtype=float, na_value=0),
                       matrix.T.to_numpy(dtype=float, na_value=0))
    assert ((off_diagonal >= 0) & (off_diagonal <= 1)).all()
    assert frame.loc[frame["outlet_a"] == frame["outlet_b"], "similarity"].isna().all()
    wire = frame[(frame["outlet_a"] == "Northern Post") & (frame["outlet_b"] == "Valley Times")]
    assert wire["similarity"].iloc[0] == frame["similarity"].max()


def test_edits_are_stored_and_survive_reanalysis(story_store, tmp_path):
    tram, flood = story_of(story_store, "tram-gazette"), story_of(story_store, "flood-gazette")
    merge_stories(story_store, tram, flood)
    assert story_of(story_store, "tram-gazette") == story_of(story_store, "flood-post")
    recall = story_of(story_store, "recall-post")
    move_article(story_store, "recall-radio", story_of(story_store, "tram-gazette"))
    split_story(story_store, story_of(story_store, "tram-gazette"), ["tram-wire-1", "tram-wire-2"])
    assert story_of(story_store, "tram-wire-1") == story_of(story_store, "tram-wire-2")
    assert story_of(story_store, "tram-wire-1") != story_of(story_store, "tram-gazette")

    # Re-analysis: a new article changes the articles' version, so everything is recomputed.
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "recall-extra", "outlet": "Valley Times",
                                 "date": "2024-06-03", "text": "Kellan Pharma recalls Nalorex "
                                 "cough syrup from pharmacies after solvent found in two batches "
                                 "from the Lindmoor plant; refunds offered."}), encoding="utf-8")
    ingest(story_store, [extra])
    assert story_of(story_store, "recall-radio") == story_of(story_store, "flood-post")
    assert story_of(story_store, "tram-wire-1") != story_of(story_store, "tram-gazette")
    assert story_of(story_store, "recall-extra") == recall == story_of(story_store, "recall-post")
    explanation = story_table(story_store).set_index("story_id").at[
        story_of(story_store, "tram-gazette"), "explanation"]
    assert "your edits: merge #" in explanation
    assert list(story_edits(story_store)["kind"]) == ["merge", "move", "split"]

    for edit_id in story_edits(story_store)["edit_id"]:
        undo_edit(story_store, edit_id)
    assert story_of(story_store, "tram-wire-1") == story_of(story_store, "tram-gazette")
    assert story_of(story_store, "tram-gazette") != story_of(story_store, "flood-post")


def test_edits_reject_what_makes_no_sense(story_store):
    tram = story_of(story_store, "tram-gazette")
    with pytest.raises(UsageError):
        merge_stories(story_store, tram, tram)
    with pytest.raises(UsageError):
        move_article(story_store, "tram-blog", tram)
    with pytest.raises(UsageError):
        split_story(story_store, tram, ["flood-post"])
    with pytest.raises(UsageError):
        split_story(story_store, tram, story_article_ids(story_store, tram))
    with pytest.raises(UnknownIdError):
        undo_edit(story_store, 999)


def test_results_are_persisted_in_the_store(story_store, db_path):
    from analysis import stories as module

    first = story_table(story_store)
    module._memory.clear()
    count = story_store.connection.execute("SELECT count(*) FROM story_results").fetchone()[0]
    assert count == 1
    pd.testing.assert_frame_equal(story_table(story_store), first)


def run(arguments, db):
    result = CliRunner().invoke(cli, [*arguments, "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output + result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_cli_stories_and_edit_verbs(story_store, db_path):
    rows = run(["stories"], db_path)
    assert set(rows[0]) == set(STORY_COLUMNS)
    by_article = {article: row["story_id"] for row in rows for article in row["article_ids"]}
    rows = run(["story-merge", by_article["tram-gazette"], by_article["flood-gazette"]], db_path)
    merged = next(row for row in rows if "tram-gazette" in row["article_ids"])
    assert "flood-gazette" in merged["article_ids"]
    rows = run(["story-split", merged["story_id"], "flood-gazette", "flood-courier",
                "flood-post", "flood-brief"], db_path)
    assert {frozenset(row["article_ids"]) for row in rows} >= {
        frozenset(["flood-gazette", "flood-courier", "flood-post", "flood-brief"])}
    by_article = {article: row["story_id"] for row in rows for article in row["article_ids"]}
    run(["story-move", "flood-brief", by_article["recall-post"]], db_path)
    edits = run(["story-edits"], db_path)
    assert [edit["kind"] for edit in edits] == ["merge", "split", "move"]
    assert run(["story-undo", str(edits[-1]["edit_id"])], db_path)[-1]["kind"] == "split"
    members = run(["story-members", "--story", by_article["recall-post"]], db_path)
    assert {row["article_id"] for row in members} == {
        "recall-gazette", "recall-courier", "recall-radio", "recall-post"}
    outlets = run(["story-outlets", by_article["recall-post"]], db_path)
    assert {row["outlet_a"] for row in outlets} == {"Riverton Gazette", "Daily Courier",
                                                    "Coast Radio", "Northern Post"}


def test_cli_unknown_story_is_one_clear_line(story_store, db_path):
    result = CliRunner().invoke(cli, ["story-outlets", "nope", "--db", str(db_path)])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: no story with id 'nope'")
