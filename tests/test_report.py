"""The story view, its HTML report and its JSON bundle (CLI and library)."""

import json

import pytest
from click.testing import CliRunner

from analysis.bundle import BUNDLE_FORMAT, story_bundle
from analysis.cli import cli
from analysis.errors import UnknownIdError
from analysis.ingest import ingest
from analysis.report import render_report
from analysis.stories import story_table
from analysis.story_view import story_view
from tests.conftest import SEED_IDS

ISTANBUL = set(SEED_IDS[:3])


def istanbul_story_id(store) -> str:
    stories = story_table(store)
    return stories[stories["article_ids"].map(set) == ISTANBUL]["story_id"].iloc[0]


def test_story_view_gathers_every_analysis(seeded_store):
    view = story_view(seeded_store, istanbul_story_id(seeded_store))
    assert set(view.members["article_id"]) == ISTANBUL
    assert set(view.passages.article_shares["article_id"]) == ISTANBUL
    assert "Vladimir Medinsky" in set(view.speakers["speaker"])
    assert not view.terms.empty
    assert set(view.outlet_similarity["outlet_a"]) == set(view.members["outlet"])


def test_unknown_story_is_a_clear_error(seeded_store):
    with pytest.raises(UnknownIdError):
        story_view(seeded_store, "no-such-story")


def test_report_is_self_contained_and_escapes_article_text(fresh_store, tmp_path):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    lines = [
        {"id": f"a{number}", "outlet": outlet, "date": "2022-03-30",
         "title": f"{hostile} Talks in Istanbul",
         "text": f"Negotiators met in Istanbul on Tuesday to discuss security guarantees. {hostile}\n\n"
                 f"\"We want guarantees,\" said Ukrainian negotiator David Arakhamia. "
                 f"The delegations agreed to meet again next week in Istanbul."}
        for number, outlet in enumerate(["Daily Planet", "Evening Post", "Morning Wire"])
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    ingest(fresh_store, [path])
    story_id = story_table(fresh_store)["story_id"].iloc[0]
    html = render_report(story_view(fresh_store, story_id))
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html  # nothing external to load
    assert "David Arakhamia" in html
    assert "None" not in html  # missing values are blank, not Python's None


def test_bundle_holds_cleaning_decisions_scores_settings_and_versions(seeded_store):
    view = story_view(seeded_store, istanbul_story_id(seeded_store))
    bundle = json.loads(json.dumps(story_bundle(view, corpus_version=seeded_store.version())))
    assert bundle["format"] == BUNDLE_FORMAT
    assert {article["id"] for article in bundle["articles"]} == ISTANBUL
    removed = {article["id"]: article["removed"] for article in bundle["articles"]}
    assert any(line["rule"] for lines in removed.values() for line in lines)
    assert all(0 <= member["score"] <= 1 for member in bundle["members"])
    assert "stories" in bundle["settings"] and "passages" in bundle["settings"]
    assert bundle["schema_version"] >= 1


def test_report_and_bundle_verbs(seeded_db_path, tmp_path):
    from analysis.store import open_store

    with open_store(seeded_db_path) as store:
        story_id = istanbul_story_id(store)
    out = tmp_path / "story.html"
    result = CliRunner().invoke(cli, ["report", "--story", story_id, "--out", str(out),
                                      "--db", str(seeded_db_path)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    result = CliRunner().invoke(cli, ["bundle", "--story", story_id, "--db", str(seeded_db_path)])
    assert json.loads(result.stdout)["story"]["story_id"] == story_id
    result = CliRunner().invoke(cli, ["report", "--story", "nope", "--out", str(out),
                                      "--db", str(seeded_db_path)])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
