"""Source fingerprints: template-sharing articles form one source the user can rename."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from analysis.clean import clean_text
from analysis.cli import cli
from analysis.corpus import BUNDLED_DATA
from analysis.fingerprint import group_sources, rename_source, sources_frame
from analysis.ingest import IngestOptions, ingest

SEED_FOLDER = BUNDLED_DATA / "articles"


@pytest.fixture
def unlabelled_store(fresh_store):
    """The seeds without their manifest: no article has an outlet from the user."""
    ingest(fresh_store, [SEED_FOLDER])
    return fresh_store


def _groups(store) -> list[set[str]]:
    return [{article_id[:3] for article_id in ids} for ids in sources_frame(store)["article_ids"]]


def test_seeds_without_manifest_group_000_with_003_and_the_rest_alone(unlabelled_store):
    groups = _groups(unlabelled_store)
    assert sorted(map(sorted, groups)) == [["000", "003"], ["001"], ["002"], ["004"]]


def test_group_names_are_read_from_the_shared_template(unlabelled_store):
    frame = sources_frame(unlabelled_store)
    names = {min(ids)[:3]: name for ids, name in zip(frame["article_ids"], frame["name"])}
    assert names["000"] == "Home page politics"
    assert names["001"] == "News7h"
    assert names["002"].startswith("source-")
    evidence = frame.loc[frame["name"] == "Home page politics", "evidence"].iloc[0]
    assert evidence == ["date 2022-03-30 Home page politics (page-header, 2 articles)"]


def test_fingerprint_groups_become_the_outlet(unlabelled_store):
    articles = unlabelled_store.articles().set_index("id")
    outlets = {article_id[:3]: outlet for article_id, outlet in articles["outlet"].items()}
    assert outlets["000"] == outlets["003"] == "Home page politics"
    assert set(articles["outlet_origin"]) == {"fingerprint"}


def test_rename_survives_reanalysis(unlabelled_store, tmp_path):
    fingerprint = sources_frame(unlabelled_store).query("name == 'Home page politics'")["fingerprint"].iloc[0]
    assert rename_source(unlabelled_store, fingerprint, "Frankfurter Rundschau") == 2
    another = tmp_path / "005_new.txt"
    another.write_text(
        " date 2022-04-02 Home page politics\n\nOf: Linus Prien\n\nKyiv – Ukraine says talks will continue "
        "next week, according to its chief negotiator, who spoke on television.", encoding="utf-8")
    ingest(unlabelled_store, [another])
    frame = sources_frame(unlabelled_store).set_index("fingerprint")
    assert frame.loc[fingerprint, "name"] == "Frankfurter Rundschau"
    assert sorted(i[:3] for i in frame.loc[fingerprint, "article_ids"]) == ["000", "003", "005"]
    articles = unlabelled_store.articles().set_index("id")
    assert articles.loc["005_new", "outlet"] == "Frankfurter Rundschau"


def test_user_outlets_are_kept_and_not_fingerprinted(fresh_store):
    ingest(fresh_store, [SEED_FOLDER], options=IngestOptions(outlet="Wire desk"))
    assert set(fresh_store.articles()["outlet"]) == {"Wire desk"}
    assert sources_frame(fresh_store).empty


def test_manifest_outlets_win_over_fingerprints(seeded_store):
    articles = seeded_store.articles()
    assert set(articles["outlet_origin"]) == {"manifest"}
    assert sources_frame(seeded_store).empty


def test_fingerprint_stays_when_a_group_grows_around_a_named_key():
    header_a = clean_text(" date 2022-03-30 Home page politics\n\nThe talks went on all day in Istanbul.")
    header_b = clean_text(" date 2022-03-31 Home page politics\n\nThe talks ended late at night in Istanbul.")
    tagline = "Valley Courier: your trusted source for breaking news, latest news and news online 24/7"
    both = clean_text(" date 2022-04-01 Home page politics\n\nA new round of talks began.\n\n" + tagline)
    tokens = {"a": header_a.line_keys, "b": header_b.line_keys}
    (first,) = group_sources(tokens, {})
    tokens.update(c=both.line_keys, d=clean_text("Another story entirely.\n\n" + tagline).line_keys,
                  e=clean_text("Yet another story.\n\n" + tagline).line_keys)
    grown = group_sources(tokens, {}, names={first.fingerprint: "Portal"})
    assert [(group.fingerprint, group.name, len(group.article_ids)) for group in grown] == [
        (first.fingerprint, "Portal", 5)]


def test_cli_sources_and_rename(tmp_path):
    db = str(tmp_path / "corpus.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(SEED_FOLDER), "--db", db]).exit_code == 0
    listed = runner.invoke(cli, ["sources", "--db", db, "--format", "jsonl"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [sorted(row) for row in rows] == [["article_ids", "evidence", "fingerprint", "name"]] * 4
    target = next(row for row in rows if len(row["article_ids"]) == 2)
    renamed = runner.invoke(cli, ["rename-source", target["fingerprint"], "Regional portal", "--db", db,
                                  "--format", "jsonl"])
    assert renamed.exit_code == 0
    assert json.loads(renamed.stdout)["name"] == "Regional portal"
    unknown = runner.invoke(cli, ["rename-source", "fp-000000000000", "X", "--db", db])
    assert unknown.exit_code == 2 and "samestory sources" in unknown.stderr
    articles = runner.invoke(cli, ["articles", "--db", db, "--format", "jsonl"])
    outlets = {json.loads(line)["id"][:3]: json.loads(line)["outlet"] for line in articles.stdout.splitlines()}
    assert outlets["000"] == outlets["003"] == "Regional portal"


def test_cli_articles_shows_removed_lines_with_rules(tmp_path):
    db = str(tmp_path / "corpus.db")
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(SEED_FOLDER), "--db", db])
    result = runner.invoke(cli, ["articles", "--db", db, "--format", "jsonl"])
    rows = {json.loads(line)["id"][:3]: json.loads(line) for line in result.stdout.splitlines()}
    assert {"line": "Source link", "rule": "source-link"} in rows["001"]["removed"]
    assert rows["000"]["author"] == "Linus Prien" and rows["000"]["date"] == "2022-03-30"


def test_a_recurring_footer_groups_its_articles_and_is_quoted_as_evidence(fresh_store, tmp_path):
    footer = "The Harbor Ledger is an independent newsroom serving the valley since 1921."
    stories = ["The school board voted to extend the academic year by five days.",
               "A new bakery opened on Main Street on Saturday, drawing a long line.",
               "Police said the bridge on Route 9 will close for repairs in June.",
               "The county fair reported record attendance despite heavy rain.",
               "The harbour master warned boat owners about strong winds this weekend."]
    path = tmp_path / "ledger.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"ledger-{index}", "text": f"{story}\n\n{footer}"})
                              for index, story in enumerate(stories)), encoding="utf-8")
    ingest(fresh_store, [path])
    (group,) = sources_frame(fresh_store).to_dict(orient="records")
    assert sorted(group["article_ids"]) == [f"ledger-{index}" for index in range(5)]
    assert group["evidence"] == [f"{footer} (recurring-template, 5 articles)"]
