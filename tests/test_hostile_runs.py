"""Hostile input over more than one file or more than one run: huge files, many
files, id conflicts, upload names, links and pipes, broken manifests, hidden
files. As in tests/test_hostile_input.py, the batch goes on and every input is
named in the report."""

from __future__ import annotations

import json
import os
import random

import pytest

from analysis import formats
from analysis.ingest import Upload, ingest
from tests.fixtures.hostile import (
    ARTICLE,
    GOOD_TXT,
    assert_batch_went_on,
    good_inputs,
    random_bytes,
    rows_ending,
    write_inputs,
)


def test_a_50_mb_text_file_is_imported_whole(tmp_path, fresh_store):
    words = "the minister said talks would continue next week in Istanbul officials told".split()
    generator = random.Random(50)
    paragraphs, size = [], 0
    while size < 50 * 1024 * 1024:
        paragraph = " ".join(generator.choice(words) for _ in range(60)).capitalize() + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    text = "\n\n".join(paragraphs)
    del paragraphs
    written = write_inputs(tmp_path, {**good_inputs(), "huge.txt": text.encode("utf-8")})
    result = ingest(fresh_store, [tmp_path])
    assert_batch_went_on(fresh_store, result.report, written)
    assert rows_ending(result.report, "huge.txt")["status"].tolist() == ["imported"]
    stored_length = fresh_store.connection.execute(
        "SELECT length(raw_text) FROM articles WHERE id = 'huge'").fetchone()[0]
    assert stored_length == len(text)


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_a_single_10_mb_line_is_imported(suffix, tmp_path, fresh_store):
    generator = random.Random(10)
    words = "sanctions package ministers Brussels agreed officials said measures".split()
    line = " ".join(generator.choice(words) for _ in range(10 * 1024 * 1024 // 9))
    data = (line if suffix == ".txt" else json.dumps({"id": "line", "text": line})).encode()
    written = write_inputs(tmp_path, {**good_inputs(), f"line{suffix}": data})
    result = ingest(fresh_store, [tmp_path])
    assert_batch_went_on(fresh_store, result.report, written)
    assert fresh_store.article("line")["raw_text"] == line


def test_a_file_over_the_size_limit_is_named(tmp_path, fresh_store, monkeypatch):
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 10_000)
    written = write_inputs(tmp_path, {**good_inputs(), "long.txt": ARTICLE.encode() * 100})
    result = ingest(fresh_store, [tmp_path])
    assert_batch_went_on(fresh_store, result.report, written)
    assert "the limit is 10,000" in rows_ending(result.report, "long.txt")["reason"].iloc[0]


def test_thousands_of_tiny_files_are_all_imported(tmp_path, fresh_store):
    generator = random.Random(3000)
    words = "ceasefire talks port grain convoy minister officials Tuesday Geneva".split()
    files = {}
    for number in range(3000):
        folder = tmp_path / f"batch-{number % 30:02d}"
        folder.mkdir(exist_ok=True)
        files[folder / f"brief-{number:04d}.txt"] = (
            f"Brief {number}: " + " ".join(generator.choices(words, k=12)) + ".").encode()
    for path, data in files.items():
        path.write_bytes(data)
    write_inputs(tmp_path, good_inputs())
    result = ingest(fresh_store, [tmp_path])
    assert result.counts == {"imported": 3002, "duplicate": 0, "rejected": 0, "skipped": 0}
    assert fresh_store.count_articles() == 3002


def test_same_id_with_different_text_is_a_conflict_never_an_overwrite(tmp_path, fresh_store):
    first = tmp_path / "run1"
    second = tmp_path / "run2"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(ARTICLE, encoding="utf-8")
    corrected = ARTICLE + "\n\nA correction was appended later."
    (second / "a.txt").write_text(corrected, encoding="utf-8")
    (second / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "b", "text": "The first text of b, about the grain corridor."}),
        json.dumps({"id": "b", "text": "A different text that claims the id b."}),
        json.dumps({"id": "c", "text": ARTICLE}),
    ]), encoding="utf-8")
    ingest(fresh_store, [first])
    result = ingest(fresh_store, [second])
    reasons = dict(zip(result.report["input"], result.report["reason"], strict=True))
    statuses = dict(zip(result.report["input"], result.report["status"], strict=True))
    assert statuses[str(second / "a.txt")] == "rejected"
    assert "id conflict: 'a'" in reasons[str(second / "a.txt")]
    assert statuses[f"{second / 'feed.jsonl'}:2"] == "rejected"
    assert "id conflict: 'b'" in reasons[f"{second / 'feed.jsonl'}:2"]
    assert statuses[f"{second / 'feed.jsonl'}:3"] == "duplicate"  # same text as a, another id
    assert fresh_store.article("a")["raw_text"] == ARTICLE
    assert fresh_store.article("b")["raw_text"] == "The first text of b, about the grain corridor."
    assert result.exit_code == 1


def test_same_id_same_text_with_other_whitespace_is_a_duplicate(tmp_path, fresh_store):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ingest(fresh_store, [tmp_path])
    (tmp_path / "a.txt").write_text(ARTICLE.replace("\n\n", "\r\n\r\n  "), encoding="utf-8")
    result = ingest(fresh_store, [tmp_path])
    assert result.report["status"].tolist() == ["duplicate"]


@pytest.mark.parametrize("name, expected_id", [
    ("../../etc/passwd.txt", "passwd"),
    ("..\\..\\windows\\system.txt", "system"),
    ("/etc/hosts.txt", "hosts"),
    ("C:\\Users\\me\\Desktop\\story.txt", "story"),
])
def test_upload_names_with_paths_keep_only_the_file_name(name, expected_id, tmp_path, fresh_store):
    before = sorted(os.listdir(tmp_path.parent))
    result = ingest(fresh_store, uploads=[Upload(name, ARTICLE.encode())])
    row = result.report.iloc[0]
    assert (row["status"], row["article_id"]) == ("imported", expected_id)
    assert ".." not in row["input"] and "/" not in row["input"] and "\\" not in row["input"]
    assert sorted(os.listdir(tmp_path.parent)) == before  # an upload is never written to disk


def test_upload_with_no_name_is_named(fresh_store):
    uploads = [Upload("", ARTICLE.encode()), Upload("ok.txt", GOOD_TXT.encode())]
    result = ingest(fresh_store, uploads=uploads)
    assert result.report["status"].tolist() == ["rejected", "imported"]
    assert "unsupported file type" in result.report["reason"].iloc[0]


def test_broken_links_pipes_and_link_loops_are_named_not_hung(tmp_path, fresh_store):
    written = write_inputs(tmp_path, good_inputs())
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "again").symlink_to(tmp_path / "loop")
    result = ingest(fresh_store, [tmp_path])
    assert_batch_went_on(fresh_store, result.report, written)
    for name in ("dangling.txt", "pipe.txt"):
        row = rows_ending(result.report, name).iloc[0]
        assert row["status"] == "rejected" and "not a regular file" in row["reason"]


def test_a_broken_folder_manifest_is_named_and_the_folder_still_imported(tmp_path, fresh_store):
    wrong_columns = b"article;source\ngood-article;X\n"
    written = write_inputs(tmp_path, {**good_inputs(), "manifest.csv": wrong_columns})
    result = ingest(fresh_store, [tmp_path])
    assert_batch_went_on(fresh_store, result.report, written)
    row = rows_ending(result.report, "manifest.csv").iloc[0]
    assert row["status"] == "rejected" and "lacks column" in row["reason"]
    assert result.exit_code == 1


def test_hidden_files_are_skipped_with_a_reason(tmp_path, fresh_store):
    written = write_inputs(tmp_path, {**good_inputs(), ".DS_Store": random_bytes(100)})
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main")
    result = ingest(fresh_store, [tmp_path])
    assert_batch_went_on(fresh_store, result.report, written)
    assert rows_ending(result.report, ".DS_Store")["status"].tolist() == ["skipped"]
    assert rows_ending(result.report, "HEAD")["status"].tolist() == ["skipped"]
