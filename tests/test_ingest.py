"""Ingest of every format, ids, dedup, conflicts, encodings and the report."""

import importlib
import json

import pytest

from analysis.errors import ManifestError
from analysis.ingest import IngestOptions, Upload, ingest
from tests.conftest import BUNDLED_DATA, SEED_IDS

WIRE_TEXT = (
    "KYIV (Reuters) - Ukraine's foreign minister said on Monday that talks on security "
    "guarantees would continue next week in Istanbul.\n\n"
    "\"We are ready to discuss a neutral status,\" he told reporters."
)
BLOG_TEXT = (
    "Why the Istanbul talks matter\n\n"
    "Negotiators met for three hours. Both sides called the meeting constructive, "
    "but no ceasefire was agreed."
)


def report_by_status(result):
    return result.report.groupby("status")["input"].apply(list).to_dict()


def test_bundled_folder_imports_five_articles_with_manifest_outlets(fresh_store):
    result = ingest(fresh_store, [BUNDLED_DATA])
    assert result.counts == {"imported": 5, "duplicate": 0, "rejected": 0, "skipped": 2}
    assert result.exit_code == 0
    articles = fresh_store.articles()
    assert articles["id"].tolist() == SEED_IDS
    assert articles.set_index("id").at[SEED_IDS[1], "outlet"] == "News7h"
    assert set(articles["outlet_origin"]) == {"manifest"}


def test_reingesting_reports_duplicates_and_changes_nothing(fresh_store):
    ingest(fresh_store, [BUNDLED_DATA])
    version = fresh_store.version()
    before = fresh_store.articles()
    result = ingest(fresh_store, [BUNDLED_DATA])
    assert result.counts["duplicate"] == 5 and result.counts["imported"] == 0
    assert result.exit_code == 0
    after = fresh_store.articles()
    assert after.drop(columns=["source"]).equals(before.drop(columns=["source"]))
    assert fresh_store.version() == version


def test_txt_id_is_the_file_stem(tmp_path, fresh_store):
    (tmp_path / "reuters-2022-03-29.txt").write_text(WIRE_TEXT, encoding="utf-8")
    ingest(fresh_store, [tmp_path / "reuters-2022-03-29.txt"])
    assert fresh_store.articles()["id"].tolist() == ["reuters-2022-03-29"]


def test_jsonl_keeps_ids_as_strings_and_extra_fields(tmp_path, fresh_store):
    lines = [
        {"id": "007", "outlet": "Kyiv Post", "title": "Talks resume", "date": "2022-03-29",
         "text": WIRE_TEXT, "author": "Olena Petrenko", "section": "World"},
        {"id": 42, "outlet": "Blog", "body": BLOG_TEXT, "url": "https://example.org/istanbul"},
        {"outlet": "No Id Daily", "text": "An article with no id at all, about talks in Istanbul."},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = ingest(fresh_store, [path])
    assert result.counts["imported"] == 3
    articles = fresh_store.articles().set_index("id")
    assert {"007", "42"} <= set(articles.index)
    hashed = [article_id for article_id in articles.index if article_id not in {"007", "42"}]
    assert len(hashed) == 1 and hashed[0].startswith("sha1-")
    assert articles.at["007", "date"] == "2022-03-29"
    assert articles.at["007", "author"] == "Olena Petrenko"
    assert articles.at["007", "given"]["section"] == "World"
    assert articles.at["42", "url"] == "https://example.org/istanbul"


def test_content_hash_id_is_stable_across_stores(tmp_path, db_path):
    from analysis.store import open_store

    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": BLOG_TEXT}), encoding="utf-8")
    ids = []
    for name in ("one.db", "two.db"):
        with open_store(tmp_path / name) as store:
            ingest(store, [path])
            ids.append(store.articles()["id"].iloc[0])
    assert ids[0] == ids[1]


def test_json_list_and_articles_wrapper(tmp_path, fresh_store):
    (tmp_path / "list.json").write_text(json.dumps([{"id": "a", "text": WIRE_TEXT}]))
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": [{"id": "b", "text": BLOG_TEXT}]}))
    result = ingest(fresh_store, [tmp_path])
    assert result.counts["imported"] == 2
    assert sorted(fresh_store.articles()["id"]) == ["a", "b"]


def test_csv_with_body_column_and_embedded_newlines(tmp_path, fresh_store):
    path = tmp_path / "export.csv"
    path.write_text(
        'id,outlet,title,date,body\n'
        'c1,Daily Planet,"Talks, again",2022-03-30,"First paragraph.\n\nSecond paragraph."\n'
        'c2,Daily Planet,Empty,,\n',
        encoding="utf-8",
    )
    result = ingest(fresh_store, [path])
    statuses = dict(zip(result.report["input"], result.report["status"]))
    assert statuses[f"{path}:2"] == "imported"
    assert statuses[f"{path}:3"] == "rejected"
    article = fresh_store.article("c1")
    assert article["title"] == "Talks, again"
    assert article["body"] == "First paragraph.\n\nSecond paragraph."


def test_html_goes_through_trafilatura(tmp_path, fresh_store):
    page = """<!doctype html><html><head><title>Talks in Istanbul | Daily Planet</title>
    <meta name="author" content="Jane Okafor">
    <meta property="article:published_time" content="2022-03-29T18:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Talks in Istanbul end with cautious hope</h1>
    <p>Delegations from Ukraine and Russia met for three hours in Istanbul on Tuesday,
    the first face-to-face talks in more than two weeks.</p>
    <p>Ukraine proposed a neutral status in exchange for security guarantees from a group
    of countries including Turkey, Britain and France.</p></article>
    <footer>© Daily Planet. All rights reserved.</footer></body></html>"""
    (tmp_path / "istanbul-talks.html").write_text(page, encoding="utf-8")
    ingest(fresh_store, [tmp_path])
    article = fresh_store.article("istanbul-talks")
    assert article["extractor"] == "trafilatura"
    assert article["date"] == "2022-03-29"
    assert article["author"] == "Jane Okafor"
    assert "neutral status" in article["body"]
    assert "All rights reserved" not in article["body"]


def test_same_text_under_another_id_is_a_duplicate(tmp_path, fresh_store):
    (tmp_path / "first.txt").write_text(WIRE_TEXT)
    (tmp_path / "second.txt").write_text(WIRE_TEXT.replace("\n", "\r\n"))
    result = ingest(fresh_store, [tmp_path])
    assert result.counts == {"imported": 1, "duplicate": 1, "rejected": 0, "skipped": 0}
    duplicate = result.report[result.report["status"] == "duplicate"].iloc[0]
    assert "same text as article 'first'" in duplicate["reason"]


def test_same_id_with_different_text_is_a_conflict_never_an_overwrite(tmp_path, fresh_store):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "story.txt").write_text(WIRE_TEXT)
    (tmp_path / "two" / "story.txt").write_text(BLOG_TEXT)
    result = ingest(fresh_store, [tmp_path / "one", tmp_path / "two"])
    assert result.exit_code == 1
    rejected = result.report[result.report["status"] == "rejected"].iloc[0]
    assert "id conflict" in rejected["reason"]
    assert fresh_store.article("story")["raw_text"] == WIRE_TEXT


def test_bad_inputs_are_named_and_good_ones_still_imported(tmp_path, fresh_store):
    (tmp_path / "good.txt").write_text(WIRE_TEXT)
    (tmp_path / "photo.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "export.jsonl").write_text(
        json.dumps({"id": "j1", "text": BLOG_TEXT}) + "\n"
        + '{"id": "j2", "text": "broken line\n'
        + json.dumps({"id": "j3", "text": "A third article about the Istanbul talks."}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    result = ingest(fresh_store, [tmp_path, tmp_path / "missing.txt"])
    assert result.exit_code == 1
    assert sorted(fresh_store.articles()["id"]) == ["good", "j1", "j3"]
    reasons = dict(zip(result.report["input"], result.report["reason"]))
    assert "binary" in reasons[str(tmp_path / "photo.txt")]
    assert reasons[str(tmp_path / "empty.txt")] == "empty file"
    assert "invalid JSON" in reasons[f"{tmp_path / 'export.jsonl'}:2"]
    assert "unsupported file type '.pdf'" in reasons[str(tmp_path / "scan.pdf")]
    assert reasons[str(tmp_path / "missing.txt")] == "no such file or folder"
    assert len(result.report) == 8


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("utf-8", "Café talks in Kyiv – “guarantees”".encode("utf-8")),
        ("utf-8-sig", "\ufeffCafé talks in Kyiv – “guarantees”".encode("utf-8")),
        ("utf-16", "Café talks in Kyiv – “guarantees”".encode("utf-16")),
        ("cp1252", "Café talks in Kyiv – “guarantees” and naïve hopes for Zürich".encode("cp1252")),
    ],
)
def test_encodings_are_decoded(tmp_path, fresh_store, encoding, data):
    (tmp_path / "article.txt").write_bytes(data)
    result = ingest(fresh_store, [tmp_path])
    assert result.counts["imported"] == 1, result.report
    body = fresh_store.article("article")["body"]
    assert body.startswith("Café talks in Kyiv – “guarantees”")


def test_manifest_beats_outlet_option_beats_record(tmp_path, fresh_store):
    lines = [{"id": "m1", "outlet": "Record Outlet", "text": WIRE_TEXT},
             {"id": "m2", "outlet": "Record Outlet", "text": BLOG_TEXT}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(line) for line in lines))
    manifest = tmp_path / "outlets.csv"
    manifest.write_text("id,outlet,notes\nm1,Manifest Outlet,checked by hand\n")
    ingest(fresh_store, [tmp_path / "a.jsonl"],
           options=IngestOptions(manifest_path=str(manifest), outlet="Option Outlet"))
    articles = fresh_store.articles().set_index("id")
    assert articles.at["m1", "outlet"] == "Manifest Outlet"
    assert articles.at["m1", "given"]["notes"] == "checked by hand"
    assert articles.at["m2", "outlet"] == "Option Outlet"


def test_a_manifest_without_outlet_column_is_a_usage_error(tmp_path, fresh_store):
    manifest = tmp_path / "bad.csv"
    manifest.write_text("id,source\n1,x\n")
    with pytest.raises(ManifestError, match="lacks column"):
        ingest(fresh_store, [BUNDLED_DATA], options=IngestOptions(manifest_path=str(manifest)))


def test_uploads_are_read_from_memory(fresh_store):
    result = ingest(fresh_store, uploads=[Upload("../../etc/passwd.txt", WIRE_TEXT.encode())])
    assert result.counts["imported"] == 1
    article = fresh_store.articles().iloc[0]
    assert article["id"] == "passwd"
    assert article["source"] == "passwd.txt"


def test_a_crash_mid_ingest_keeps_whole_batches_and_a_rerun_completes(tmp_path, fresh_store, monkeypatch):
    for number in range(7):
        (tmp_path / f"a{number}.txt").write_text(f"Article number {number} about the talks.")
    ingest_module = importlib.import_module("analysis.ingest")

    real_read = ingest_module.read_file
    calls = {"count": 0}

    def crashing_read(path, **kwargs):
        calls["count"] += 1
        if calls["count"] == 6:
            raise KeyboardInterrupt("killed")
        return real_read(path, **kwargs)

    monkeypatch.setattr(ingest_module, "read_file", crashing_read)
    with pytest.raises(KeyboardInterrupt):
        ingest(fresh_store, [tmp_path], options=IngestOptions(batch_size=2))
    # Batches 1-2 were full; batch 1 was written, batch 2 was still being cleaned.
    assert fresh_store.count_articles() == 2
    monkeypatch.setattr(ingest_module, "read_file", real_read)
    result = ingest(fresh_store, [tmp_path])
    assert result.counts == {"imported": 5, "duplicate": 2, "rejected": 0, "skipped": 0}
    assert fresh_store.count_articles() == 7
