"""The CLI contract, run in-process."""

import json

from click.testing import CliRunner

from analysis.cli import cli
from tests.conftest import BUNDLED_DATA, SEED_IDS


def run(*arguments):
    return CliRunner().invoke(cli, [str(argument) for argument in arguments])


def test_ingest_then_articles_jsonl(db_path):
    result = run("ingest", BUNDLED_DATA, "--db", db_path, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    report = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["status"] for row in report].count("imported") == 5

    result = run("articles", "--db", db_path, "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == SEED_IDS
    assert set(rows[0]) >= {"id", "outlet", "title", "date", "author", "dateline", "body",
                           "words", "removed"}
    assert rows[1]["outlet"] == "News7h"
    assert all(row["date"] is None or len(row["date"]) == 10 for row in rows)


def test_second_ingest_reports_duplicates(seeded_db_path):
    result = run("ingest", BUNDLED_DATA, "--db", seeded_db_path, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.count(",duplicate,") == 5
    assert "0 imported, 5 duplicate, 0 rejected" in result.stderr


def test_rejected_input_exits_1_and_names_the_reason(tmp_path, db_path):
    (tmp_path / "good.txt").write_text("Talks in Istanbul ended without a ceasefire.")
    (tmp_path / "blank.txt").write_text("   \n\n  ")
    result = run("ingest", tmp_path, "--db", db_path, "--format", "jsonl")
    assert result.exit_code == 1
    rows = {row["input"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert rows[str(tmp_path / "blank.txt")]["status"] == "rejected"
    assert rows[str(tmp_path / "good.txt")]["status"] == "imported"


def test_usage_errors_exit_2(db_path):
    assert run("articles", "--db", db_path, "--format", "xml").exit_code == 2
    assert run("ingest", "--db", db_path).exit_code == 2
    result = run("articles", "--db", db_path.parent / "missing" / "x.db")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")


def test_bad_manifest_is_one_clear_line(db_path, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("name\nx\n")
    result = run("ingest", BUNDLED_DATA, "--db", db_path, "--manifest", manifest)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "lacks column" in result.stderr


def test_csv_output_keeps_lists_as_json(seeded_db_path):
    result = run("articles", SEED_IDS[0], "--db", seeded_db_path, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "id,outlet,title,date,author,dateline,body,words,removed"


def test_table_output_is_shortened_for_people(seeded_db_path):
    result = run("articles", "--db", seeded_db_path)
    assert result.exit_code == 0
    assert all(len(line) < 500 for line in result.stdout.splitlines())


def test_search(seeded_db_path):
    result = run("search", "Medinsky", "--db", seeded_db_path, "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [SEED_IDS[2]]


def test_python_dash_m_is_the_same_cli():
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, "-m", "analysis", "--help"],
                               capture_output=True, text=True, check=True)
    assert "ingest" in completed.stdout
