"""Property-based tests (hypothesis): no exception on arbitrary text, and the invariants.

Each section imports its module with ``pytest.importorskip``, so a module that
is not written yet skips its properties instead of failing the file.

Runs are derandomized (a fixed seed, no example database), so the suite is
deterministic; a failure prints the shrunk example to turn into a plain test.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib
import io
import json
import re
import string
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.errors import InputRejected

PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CHEAP = settings(PROPERTY, max_examples=400)
SLOW = settings(PROPERTY, max_examples=60)  # dateparser and whole articles: ~0.05 s a call

# Any code point Python strings hold, lone surrogates included (JSON escapes make them).
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=400)
# Text a decoder can produce: no surrogates.
UNICODE_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
# Text with the characters news text is made of, densely mixed with the odd ones.
NEWSY_CHARS = (string.ascii_letters + string.digits + " \n\n\n\t.,;:!?-–—'\"“”‘’„«»()[]/|*#@&%€$©…"
               + "\u00a0\u200b\u202e\ufeff\r\x00éüñçøłžšЖ中")
NEWSY_TEXT = st.text(st.sampled_from(NEWSY_CHARS), max_size=600)
SOME_TEXT = st.one_of(ANY_TEXT, NEWSY_TEXT)

# Normal articles: plain prose paragraphs from an ordinary vocabulary.
WORDS = ("minister officials talks week Tuesday city council budget school teachers road "
         "workers port ships grain company shares court judge ruling report police station "
         "families residents water prices energy winter election voters campaign hospital "
         "doctors patients river bridge").split()
SMALL_WORDS = "the a of in on and to for with from after before while".split()
PERSONS = ("Maria Schmidt", "Olena Petrenko", "James Carter", "Amina Yusuf", "Luis Ortega")


@st.composite
def prose_sentence(draw) -> str:
    count = draw(st.integers(8, 24))
    words = [draw(st.sampled_from(WORDS + SMALL_WORDS)) for _ in range(count)]
    return " ".join(words).capitalize() + "."


@st.composite
def normal_article(draw) -> dict:
    paragraphs = [
        " ".join(draw(st.lists(prose_sentence(), min_size=2, max_size=4)))
        for _ in range(draw(st.integers(3, 8)))
    ]
    head = []
    if draw(st.booleans()):
        head.append(draw(prose_sentence()).rstrip(".").title())
    if draw(st.booleans()):
        head.append(f"By {draw(st.sampled_from(PERSONS))}")
    return {"paragraphs": paragraphs, "text": "\n\n".join(head + paragraphs)}


def is_iso_date(value) -> bool:
    if value is None:
        return True
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        return False
    return 1800 <= parsed.year and parsed <= dt.date.today() + dt.timedelta(days=1)


def storable(value) -> bool:
    """SQLite (UTF-8) can hold it: no lone surrogates anywhere."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(storable(key) and storable(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return all(storable(item) for item in value)
    return True


# -- parsing: decode -------------------------------------------------------------


@CHEAP
@given(st.binary(max_size=2000))
def test_decode_bytes_returns_text_or_a_reason(data):
    from analysis.decode import decode_bytes

    try:
        decoded = decode_bytes(data)
    except InputRejected as rejection:
        assert rejection.reason
        return
    assert "\x00" not in decoded.text and "\r" not in decoded.text
    assert storable(decoded.text) and decoded.encoding


@CHEAP
@given(UNICODE_TEXT)
def test_utf8_and_utf16_with_bom_round_trip(text):
    from analysis.decode import decode_bytes

    text = text.replace("\x00", "")
    assume(text.strip(" \t\n\r\x0b\x0c"))
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode_bytes(text.encode("utf-8")).text == expected.removeprefix("\ufeff")
    assert decode_bytes(text.encode("utf-16")).text == expected


# -- parsing: formats --------------------------------------------------------------


@PROPERTY
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".json", ".jsonl", ".csv"]))
def test_read_file_never_raises_and_accounts_for_the_file(data, suffix):
    from analysis.formats import read_file

    items = list(read_file(Path(f"upload{suffix}"), data=data))
    assert items
    for item in items:
        assert (item.record is None) != (item.reason is None)
        if item.record is not None:
            assert item.record.text.strip() and storable(item.record.text)
            assert storable(item.record.extra) and storable(item.record.id)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda children: (st.lists(children, max_size=4)
                      | st.dictionaries(ANY_TEXT, children, max_size=4)),
    max_leaves=20,
)


@PROPERTY
@given(st.dictionaries(st.sampled_from(["id", "text", "body", "title", "date", "author", "url",
                                        "outlet", "extra"]), JSON_VALUES, max_size=8))
def test_record_from_mapping_validates_any_json_object(value):
    from analysis.formats import record_from_mapping

    try:
        record = record_from_mapping(value)
    except InputRejected as rejection:
        assert rejection.reason
        return
    assert record.text.strip() and "\r" not in record.text
    for field in (record.text, record.id, record.title, record.author, record.date, record.extra):
        assert storable(field)


@PROPERTY
@given(st.lists(st.tuples(ANY_TEXT, ANY_TEXT), min_size=1, max_size=5))
def test_jsonl_records_round_trip(pairs):
    from analysis.formats import read_file

    lines = [json.dumps({"id": f"r{index}", "title": title, "text": text})
             for index, (title, text) in enumerate(pairs)]
    items = list(read_file(Path("feed.jsonl"), data="\n".join(lines).encode("utf-8")))
    assert len(items) == len(pairs)
    for (_title, text), item in zip(pairs, items, strict=True):
        repaired = re.sub("[\ud800-\udfff]", "\ufffd", text)
        repaired = repaired.replace("\r\n", "\n").replace("\r", "\n")
        if not repaired.strip():
            assert item.reason
        else:
            assert item.record.text == repaired


@PROPERTY
@given(st.lists(st.tuples(UNICODE_TEXT, UNICODE_TEXT), min_size=1, max_size=5),
       st.sampled_from([",", ";", "\t"]))
def test_csv_rows_round_trip_through_any_quoting(rows, delimiter):
    from analysis.formats import read_file

    rows = [(outlet.replace("\x00", ""), text.replace("\x00", "")) for outlet, text in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)  # Excel style: \r\n, fields with \r quoted
    writer.writerow(["id", "outlet", "text"])
    for index, (outlet, text) in enumerate(rows):
        writer.writerow([f"row{index}", outlet, text])
    items = list(read_file(Path("export.csv"), data=buffer.getvalue().encode("utf-8")))
    records = {item.record.id: item.record for item in items if item.record is not None}
    for index, (_, text) in enumerate(rows):
        expected = text.replace("\r\n", "\n").replace("\r", "\n")
        if expected.strip() and any(value.strip() for value in (f"row{index}", text)):
            assert records[f"row{index}"].text == expected
    assert all(item.reason or item.record for item in items)


@CHEAP
@given(SOME_TEXT)
def test_content_hash_is_the_collapsed_text_hash_in_bounded_chunks(text):
    # analysis.ingest is also a function the package re-exports; get the module itself.
    ingest_module = importlib.import_module("analysis.ingest")
    text = re.sub("[\ud800-\udfff]", "", text)
    expected = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
    with mock.patch.object(ingest_module, "HASH_CHUNK_CHARS", 7):
        assert ingest_module.content_hash(text) == expected
    assert ingest_module.content_hash(text) == expected
    assert ingest_module.content_hash("  " + text.replace(" ", "\n\t ") + "\r\n") == expected


# -- cleaning --------------------------------------------------------------------------


@PROPERTY
@given(SOME_TEXT)
def test_clean_text_never_raises_and_only_removes(text):
    clean = pytest.importorskip("analysis.clean")
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    cleaned = clean.clean_text(text)
    assert isinstance(cleaned.body, str)
    assert set(cleaned.body.split()) <= set(text.split())
    assert all(removed.rule for removed in cleaned.removed)
    assert clean.count_words(cleaned.body) <= clean.count_words(text)


@SLOW
@given(normal_article())
def test_cleaning_never_empties_a_normal_article(article):
    clean = pytest.importorskip("analysis.clean")
    cleaned = clean.clean_text(article["text"])
    assert cleaned.body.strip()
    kept = cleaned.body.split("\n\n")
    assert all(paragraph in kept for paragraph in article["paragraphs"]), cleaned.removed


# -- metadata --------------------------------------------------------------------------


@SLOW
@given(SOME_TEXT)
def test_normalise_date_is_iso_or_none(value):
    metadata = pytest.importorskip("analysis.metadata")
    assert is_iso_date(metadata.normalise_date(value))


@PROPERTY
@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date.today()))
def test_real_dates_survive_normalisation(date):
    metadata = pytest.importorskip("analysis.metadata")
    iso = date.isoformat()
    assert metadata.normalise_date(iso) == iso
    assert metadata.normalise_date(f"{iso}T12:30:00Z") == iso
    assert metadata.normalise_date(date.strftime("%d %B %Y")) == iso


@PROPERTY
@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
def test_impossible_or_future_dates_become_none(year, month, day):
    metadata = pytest.importorskip("analysis.metadata")
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    result = metadata.normalise_date(iso)
    if real is None or real.year < 1800 or real > dt.date.today() + dt.timedelta(days=1):
        assert result is None
    else:
        assert result == iso


@PROPERTY
@given(SOME_TEXT, st.dictionaries(st.sampled_from(["title", "date", "author", "dateline"]),
                                  st.one_of(SOME_TEXT, JSON_VALUES), max_size=4))
def test_recovered_metadata_has_valid_dates_and_plain_strings(text, given_fields):
    metadata = pytest.importorskip("analysis.metadata")
    clean = pytest.importorskip("analysis.clean")
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    recovered = metadata.recover_metadata(clean.clean_text(text), given=given_fields)
    assert is_iso_date(recovered.date)
    for value in (recovered.title, recovered.author, recovered.dateline):
        assert value is None or (isinstance(value, str) and value.strip())
    for line in text.split("\n")[:5]:
        assert is_iso_date(metadata.find_date(line))
        metadata.parse_byline(line)
        metadata.parse_dateline(line)


# -- sentences -------------------------------------------------------------------------


@PROPERTY
@given(SOME_TEXT)
def test_sentences_cover_the_text_in_order(text):
    sentences = pytest.importorskip("analysis.sentences")
    spans = sentences.sentence_spans(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        assert span.sentence and span.sentence == " ".join(span.sentence.split())
        previous_end = span.end
    covered = "".join(text[span.start:span.end] for span in spans)
    assert "".join(covered.split()) == "".join(text.split())
    assert sentences.split_sentences(text) == [span.sentence for span in spans]


# -- quotes ----------------------------------------------------------------------------


@PROPERTY
@given(st.lists(SOME_TEXT, min_size=1, max_size=3))
def test_quote_extraction_never_raises_and_stays_in_bounds(bodies):
    quotes = pytest.importorskip("analysis.quotes")
    bodies = [re.sub("[\ud800-\udfff]", "\ufffd", body) for body in bodies]
    articles = pd.DataFrame({"id": [f"a{index}" for index in range(len(bodies))],
                             "outlet": ["Outlet"] * len(bodies), "body": bodies})
    frame = quotes.extract_quotes(articles)
    assert list(frame.columns) == list(quotes.QUOTE_COLUMNS)
    by_id = dict(zip(articles["id"], bodies, strict=True))
    for row in frame.itertuples():
        body = by_id[row.article_id]
        assert 0 <= row.start <= row.end <= len(body)
        assert row.kind in quotes.QUOTE_KINDS and row.words >= 0
        assert row.speaker is None or (isinstance(row.speaker, str) and row.speaker.strip())


@PROPERTY
@given(SOME_TEXT)
def test_text_without_quote_marks_has_no_quotes(text):
    quotes = pytest.importorskip("analysis.quotes")
    text = re.sub("[\ud800-\udfff\"“”„«»‘’'‹›「」『』‚‛‟]", " ", text)
    assert quotes.extract_quotes(pd.DataFrame({"id": ["a"], "body": [text]})).empty
