"""Passages inside a story: shared, paraphrased and unique sentences; copied shares; sources."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.errors import UnknownIdError, UsageError
from analysis.passage_shares import SHARE_COLUMNS, SUMMARY_COLUMNS
from analysis.passages import (
    PASSAGE_COLUMNS,
    SENTENCE_COLUMNS,
    PassageOptions,
    align_stories,
    align_story,
    store_passages,
)
from tests.conftest import FIXTURES

FLOODS = json.loads((FIXTURES / "passages" / "floods.json").read_text(encoding="utf-8"))
PAIRS = [json.loads(line) for line in
         (FIXTURES / "passages" / "paraphrase_pairs.jsonl").read_text(encoding="utf-8").splitlines()]
WIRE, OWN, REWORDED, UNRELATED = (
    FLOODS["wire"], FLOODS["local_additions"], FLOODS["reworded"], FLOODS["unrelated"])
# The wire text without its "BOLOGNA, Italy (AP) —" dateline, i.e. without a wire cue.
UNCUED = [WIRE[0].split("— ", 1)[1]] + WIRE[1:]
ISTANBUL = ["000_0a4ec5265a08fe35", "001_fc0b0f67dd6a6676", "002_473595742cb198c6"]


def words(paragraphs: list[str]) -> int:
    return sum(len(re.findall(r"\w+", paragraph)) for paragraph in paragraphs)


def article(article_id, outlet, date, paragraphs) -> dict:
    return {"id": article_id, "outlet": outlet, "date": date, "body": "\n\n".join(paragraphs)}


def shares_of(alignment) -> pd.DataFrame:
    return alignment.article_shares.set_index("article_id")


@pytest.fixture(scope="module")
def copy_story():
    """A regional paper prints 7 of the wire's 10 paragraphs verbatim and adds 4 of its own."""
    gazette = WIRE[:3] + OWN[:2] + WIRE[3:7] + OWN[2:]
    frame = pd.DataFrame([
        article("ap-floods", "Associated Press", "2023-05-17", WIRE),
        article("gazette-floods", "Lugo Gazette", "2023-05-18", gazette),
    ])
    expected = words(WIRE[:7]) / words(gazette)
    return align_story(frame, story_id="floods"), expected


def test_an_article_copying_60_percent_has_copied_share_0_6(copy_story):
    alignment, expected = copy_story
    shares = shares_of(alignment)
    assert expected == pytest.approx(0.6, abs=0.03)
    assert shares.loc["gazette-floods", "copied_share"] == pytest.approx(0.6, abs=0.05)
    assert shares.loc["gazette-floods", "copied_share"] == pytest.approx(expected, abs=0.01)
    assert shares.loc["gazette-floods", "source_article_id"] == "ap-floods"
    assert shares.loc["ap-floods", "copied_share"] == 0.0


def test_the_added_paragraphs_are_what_the_outlet_added(copy_story):
    alignment, _ = copy_story
    added = alignment.added("gazette-floods")
    assert " ".join(added["sentence"]) == " ".join(" ".join(OWN).split())
    copied = alignment.sentences[(alignment.sentences["article_id"] == "gazette-floods")
                                 & (alignment.sentences["kind"] != "unique")]
    assert set(copied["kind"]) == {"shared"}
    assert shares_of(alignment).loc["gazette-floods", "unique_share"] == pytest.approx(
        words(OWN) / (words(OWN) + words(WIRE[:7])), abs=0.01)


def test_shared_sentences_point_at_their_counterpart(copy_story):
    alignment, _ = copy_story
    sentences = alignment.sentences
    gazette = sentences[sentences["article_id"] == "gazette-floods"]
    first = gazette.iloc[0]
    assert first["kind"] == "shared"
    assert first["matches"][0] == {"article_id": "ap-floods", "outlet": "Associated Press",
                                   "position": 0, "score": 1.0}


def test_the_copy_collapses_into_its_wire_source(copy_story):
    alignment, _ = copy_story
    shares, summary = shares_of(alignment), alignment.story_summary.iloc[0]
    assert bool(shares.loc["gazette-floods", "is_copy"])
    assert shares.loc["gazette-floods", "collapsed_into"] == "AP"
    assert summary["independent_outlets"] == 1 and summary["outlets"] == 2
    assert summary["first_article_id"] == "ap-floods" and summary["first_outlets"] == ["AP"]
    assert shares.loc["gazette-floods", "lag_days"] == 1


def edited(paragraphs: list[str]) -> list[str]:
    """Copy-desk edits: punctuation, a changed word, merged and split sentences."""
    result = [paragraph.replace("—", "-").replace('"', "'") for paragraph in paragraphs]
    result[0] = result[0].replace("swept through", "tore through")
    result[1] = result[1].replace("Bologna. Rescue", "Bologna, and rescue")
    result[3] = result[3].replace(" on Thursday and release", ". It will release")
    result[4] = result[4].replace("Sunday, was", "Sunday was")
    return result


def test_light_edits_merges_and_splits_still_count_as_copied():
    copied = edited(WIRE[:6])
    body = copied[:2] + OWN[:2] + copied[2:] + OWN[2:3]
    frame = pd.DataFrame([
        article("wire", "Associated Press", "2023-05-17", WIRE),
        article("copy", "Evening Post", "2023-05-17", body),
    ])
    shares = shares_of(align_story(frame))
    assert shares.loc["copy", "copied_share"] == pytest.approx(words(copied) / words(body), abs=0.05)


def test_a_reworded_article_is_paraphrase_not_unique():
    frame = pd.DataFrame([
        article("wire", "Associated Press", "2023-05-17", WIRE),
        article("ledger", "Daily Ledger", "2023-05-18", REWORDED),
    ])
    alignment = align_story(frame)
    ledger = alignment.sentences[alignment.sentences["article_id"] == "ledger"]
    assert set(ledger["kind"]) == {"paraphrase"}
    # Each rewrite's best counterpart is the wire sentence it rewrites (the fourth
    # rewrite merges the two sentences of the quote paragraph, 3 and 4).
    best = [matches[0]["position"] for matches in ledger["matches"]]
    assert [position in allowed for position, allowed in
            zip(best, [{0}, {1}, {2}, {3, 4}, {5}], strict=True)] == [True] * 5
    assert shares_of(alignment).loc["ledger", "copied_share"] < 0.1


def test_unrelated_articles_share_about_nothing():
    frame = pd.DataFrame([
        article("wire", "Associated Press", "2023-05-17", WIRE),
        article("ecb", "Finance Daily", "2023-05-17", UNRELATED),
    ])
    alignment = align_story(frame)
    shares = shares_of(alignment)
    assert shares["copied_share"].max() == 0.0
    assert shares["shared_share"].max() == 0.0
    assert shares["paraphrase_share"].max() <= 0.05
    assert alignment.story_summary.iloc[0]["independent_outlets"] == 2


def test_hand_written_paraphrases_are_found_in_a_story():
    """Each pair is planted into two unrelated articles, one story per pair (aligned in one
    call: stories never influence each other). Measured recall on these 40 pairs: 0.875."""
    rows = []
    for number, pair in enumerate(PAIRS):
        rows.append(article(f"a{number}", "Outlet A", "2023-05-17", WIRE[:4] + [pair["original"]])
                    | {"story_id": f"pair{number}"})
        rows.append(article(f"b{number}", "Outlet B", "2023-05-17", UNRELATED + [pair["paraphrase"]])
                    | {"story_id": f"pair{number}"})
    sentences = align_stories(pd.DataFrame(rows)).sentences
    last = sentences.groupby("article_id").tail(1).set_index("article_id")
    found = sum(
        last.loc[f"b{number}", "kind"] == "paraphrase"
        and last.loc[f"b{number}", "matches"][0]["position"] == last.loc[f"a{number}", "position"]
        for number in range(len(PAIRS)))
    assert found / len(PAIRS) >= 0.8


def test_wire_copies_without_the_wire_collapse_into_the_agency():
    """Two papers print the same AP story, the AP original is not in the corpus."""
    reprint = ["MILAN (AP) — " + UNCUED[0]] + UNCUED[1:6]
    frame = pd.DataFrame([
        article("times", "Valley Times", "2023-05-17", reprint + OWN[:1]),
        article("post", "Evening Post", "2023-05-18", reprint),
    ])
    alignment = align_story(frame)
    shares = shares_of(alignment)
    assert shares.loc["times", "wire_agencies"] == ["AP"]
    assert shares.loc["times", "source_outlet"] == "AP"
    assert shares.loc["times", "copied_share"] > 0.8
    assert shares.loc["post", "source_article_id"] == "times"
    assert alignment.story_summary.iloc[0]["independent_sources"] == ["AP"]


def test_a_wire_article_is_the_source_even_when_dated_later():
    frame = pd.DataFrame([
        article("paper", "Lugo Gazette", "2023-05-16", UNCUED[:5] + OWN),
        article("wire", "Reuters", "2023-05-17", UNCUED),
    ])
    shares = shares_of(align_story(frame))
    assert shares.loc["paper", "source_article_id"] == "wire"
    assert shares.loc["paper", "copied_share"] > 0.5
    assert shares.loc["wire", "copied_share"] == 0.0


def test_copies_of_copies_collapse_into_the_first_source():
    frame = pd.DataFrame([
        article("origin", "First Paper", "2023-05-15", UNCUED),
        article("second", "Second Paper", "2023-05-16", UNCUED[:8] + OWN[:1]),
        article("third", "Third Paper", "2023-05-17", UNCUED[:8]),
    ])
    alignment = align_story(frame)
    assert shares_of(alignment)["collapsed_into"].tolist() == ["First Paper"] * 3
    assert alignment.story_summary.iloc[0]["independent_outlets"] == 1


def test_articles_of_one_outlet_never_share_with_each_other():
    frame = pd.DataFrame([
        article("v1", "Lugo Gazette", "2023-05-17", WIRE[:5]),
        article("v2", "Lugo Gazette", "2023-05-18", WIRE[:6]),
    ])
    alignment = align_story(frame)
    assert set(alignment.sentences["kind"]) == {"unique"}
    assert shares_of(alignment)["copied_share"].max() == 0.0


def test_publishing_order_dates_then_undated_then_wire_then_id():
    frame = pd.DataFrame([
        article("b-undated", "Blog", None, OWN[:1]),
        article("c-paper", "Paper", "2023-05-18", OWN[1:2]),
        article("z-wire", "Reuters", "2023-05-18", OWN[2:3]),
        article("a-early", "Early", "2023-05-17", OWN[3:]),
    ])
    shares = align_story(frame).article_shares
    assert shares["article_id"].tolist() == ["a-early", "z-wire", "c-paper", "b-undated"]
    assert shares["order"].tolist() == [0, 1, 2, 3]
    assert shares["lag_days"].tolist()[:3] == [0, 1, 1] and pd.isna(shares["lag_days"].iloc[3])


def test_results_do_not_depend_on_input_order_or_on_other_stories(copy_story):
    alignment, _ = copy_story
    gazette = WIRE[:3] + OWN[:2] + WIRE[3:7] + OWN[2:]
    both = pd.DataFrame([
        article("ecb-1", "Finance Daily", "2023-05-17", UNRELATED) | {"story_id": "rates"},
        article("gazette-floods", "Lugo Gazette", "2023-05-18", gazette) | {"story_id": "floods"},
        article("ecb-2", "Money Wire", "2023-05-18", UNRELATED[:2]) | {"story_id": "rates"},
        article("ap-floods", "Associated Press", "2023-05-17", WIRE) | {"story_id": "floods"},
    ])
    together = align_stories(both)
    floods = together.article_shares[together.article_shares["story_id"] == "floods"]
    pd.testing.assert_frame_equal(floods.reset_index(drop=True), alignment.article_shares)
    assert set(together.story_summary["story_id"]) == {"floods", "rates"}


def test_frames_have_the_documented_columns_and_offsets(copy_story):
    alignment, _ = copy_story
    assert list(alignment.sentences.columns) == list(SENTENCE_COLUMNS)
    assert list(alignment.article_shares.columns) == list(SHARE_COLUMNS)
    assert list(alignment.story_summary.columns) == list(SUMMARY_COLUMNS)
    shares = alignment.article_shares
    total = shares["shared_share"] + shares["paraphrase_share"] + shares["unique_share"]
    assert total.tolist() == pytest.approx([1.0, 1.0], abs=0.001)
    body = "\n\n".join(WIRE)
    for row in alignment.sentences[alignment.sentences["article_id"] == "ap-floods"].itertuples():
        assert " ".join(body[row.start:row.end].split()) == row.sentence


def test_empty_and_single_article_stories():
    frame = pd.DataFrame([article("only", "Paper", "2023-05-17", WIRE[:2]),
                          article("empty", "Blog", None, [""])])
    alignment = align_story(frame)
    shares = shares_of(alignment)
    assert shares.loc["empty", "words"] == 0 and shares.loc["empty", "unique_share"] == 0.0
    assert shares.loc["only", "unique_share"] == 1.0
    single = align_story(pd.DataFrame([article("only", "Paper", None, WIRE[:2])]))
    assert single.story_summary.iloc[0]["first_article_id"] is None


def test_options_are_validated():
    with pytest.raises(UsageError, match="paraphrase_cosine"):
        PassageOptions(paraphrase_cosine=1.5)
    with pytest.raises(UsageError, match="shingle_words"):
        PassageOptions(shingle_words=0)
    with pytest.raises(UsageError, match="missing"):
        align_story(pd.DataFrame({"id": ["a"]}))


def test_istanbul_seed_story_is_three_independent_reports(seeded_store):
    alignment = store_passages(seeded_store, article_ids=ISTANBUL)
    shares = shares_of(alignment)
    summary = alignment.story_summary.iloc[0]
    assert summary["independent_outlets"] == 3
    assert shares["copied_share"].max() < 0.1
    assert shares.loc["000_0a4ec5265a08fe35", "wire_agencies"] == ["AFP", "dpa"]
    # The blog and News7h both report the territorial-claims offer in other words.
    blog = alignment.sentences[(alignment.sentences["article_id"] == ISTANBUL[2])
                               & (alignment.sentences["kind"] == "paraphrase")]
    assert any("territorial claims" in sentence for sentence in blog["sentence"])


def test_store_passages_rejects_unknown_ids_and_bad_calls(seeded_store):
    with pytest.raises(UnknownIdError, match="nope"):
        store_passages(seeded_store, article_ids=["nope"])
    with pytest.raises(UsageError):
        store_passages(seeded_store)


def fake_story_ids(store, story_id):
    if story_id != "istanbul":
        raise UnknownIdError(f"no story with id {story_id!r}")
    return ISTANBUL


@pytest.fixture
def fake_stories(monkeypatch):
    """Story membership from analysis.stories when present, else a stand-in module."""
    import sys
    import types

    try:
        from analysis import stories
    except ImportError:
        stories = types.ModuleType("analysis.stories")
        monkeypatch.setitem(sys.modules, "analysis.stories", stories)
        monkeypatch.setattr("analysis.passages.find_spec", lambda name: True)
    monkeypatch.setattr(stories, "story_article_ids", fake_story_ids, raising=False)


def test_cli_passages_prints_one_json_object_per_sentence(seeded_db_path, fake_stories):
    from analysis.cli import cli

    result = CliRunner().invoke(
        cli, ["passages", "--story", "istanbul", "--db", str(seeded_db_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["article_id"] for row in rows} == set(ISTANBUL)
    assert all(set(row) == set(PASSAGE_COLUMNS) for row in rows)
    assert {row["kind"] for row in rows} <= {"shared", "paraphrase", "unique"}
    paraphrases = [row for row in rows if row["kind"] == "paraphrase"]
    assert paraphrases and all(row["matches"] for row in paraphrases)


def test_cli_passages_summary_and_unknown_story(seeded_db_path, fake_stories):
    from analysis.cli import cli

    result = CliRunner().invoke(
        cli, ["passages", "--story", "istanbul", "--summary", "--db", str(seeded_db_path),
              "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(pd.io.common.StringIO(result.stdout))
    assert sorted(frame["article_id"]) == ISTANBUL
    assert "3 independent" in result.stderr
    failed = CliRunner().invoke(cli, ["passages", "--story", "nope", "--db", str(seeded_db_path)])
    assert failed.exit_code == 2 and "nope" in failed.stderr


def test_copied_shares_fast_path_gives_the_same_figures(copy_story):
    from analysis.passages import copied_shares

    alignment, _ = copy_story
    gazette = WIRE[:3] + OWN[:2] + WIRE[3:7] + OWN[2:]
    frame = pd.DataFrame([
        article("ap-floods", "Associated Press", "2023-05-17", WIRE),
        article("gazette-floods", "Lugo Gazette", "2023-05-18", gazette),
    ]).assign(story_id="floods")
    fast = copied_shares(frame)
    full = alignment.article_shares[fast.columns]
    pd.testing.assert_frame_equal(fast, full)


def test_an_identical_reprint_is_copied_whole_and_the_original_not():
    frame = pd.DataFrame([article("late", "Late Paper", "2023-05-18", UNCUED),
                          article("early", "Early Paper", "2023-05-17", UNCUED)])
    shares = shares_of(align_story(frame))
    assert shares.loc["late", "copied_share"] == 1.0 and shares.loc["early", "copied_share"] == 0.0
    assert shares["shared_share"].tolist() == [1.0, 1.0]


def test_passages_bridge_edited_words_and_drop_chance_phrases():
    import numpy as np

    from analysis.overlap import passages

    group = np.zeros(20, dtype=np.int64)
    covered = np.zeros(20, dtype=bool)
    covered[0:5] = covered[6:12] = True      # one copied passage with one changed word
    covered[15:18] = True                    # a three-word chance match
    kept = passages(covered, group, min_run=6, max_gap=2)
    assert kept[:12].all() and not kept[12:].any()
    split = group.copy()
    split[6:] = 1                            # the same words split across two articles
    assert not passages(covered, split, min_run=6, max_gap=2)[:6].any()


def test_cli_passages_with_the_real_story_grouping(seeded_db_path):
    """The Istanbul seed story as analysis.stories groups it."""
    stories = pytest.importorskip("analysis.stories")
    from analysis.cli import cli
    from analysis.store import open_store

    with open_store(seeded_db_path) as store:
        memberships = stories.story_memberships(store)
        story_id = memberships.loc[memberships["article_id"] == ISTANBUL[0], "story_id"].iloc[0]
        members = sorted(stories.story_article_ids(store, story_id))
    result = CliRunner().invoke(cli, ["passages", "--story", story_id, "--summary",
                                      "--db", str(seeded_db_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(row["article_id"] for row in rows) == members
    assert ISTANBUL[0] in members


def test_worker_processes_give_the_same_alignment(copy_story):
    alignment, _ = copy_story
    gazette = WIRE[:3] + OWN[:2] + WIRE[3:7] + OWN[2:]
    frame = pd.DataFrame([
        article("ap-floods", "Associated Press", "2023-05-17", WIRE) | {"story_id": "floods"},
        article("gazette-floods", "Lugo Gazette", "2023-05-18", gazette) | {"story_id": "floods"},
        article("ecb-1", "Finance Daily", "2023-05-17", UNRELATED) | {"story_id": "rates"},
        article("ecb-2", "Money Wire", "2023-05-18", UNRELATED[:2]) | {"story_id": "rates"},
    ])
    parallel = align_stories(frame, n_jobs=2)
    floods = parallel.article_shares[parallel.article_shares["story_id"] == "floods"]
    pd.testing.assert_frame_equal(floods.reset_index(drop=True), alignment.article_shares)
    pd.testing.assert_frame_equal(parallel.article_shares, align_stories(frame).article_shares)
