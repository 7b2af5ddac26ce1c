"""Read input files into raw records, one per article, never raising.

Each file yields :class:`InputItem` values: either a :class:`RawRecord` or the
reason it was rejected. A JSONL file with one bad line yields that line as a
rejected item and every good line as a record.

Formats and their article ids:

- ``.txt``: one article; id is the file name without extension.
- ``.html`` / ``.htm``: one article, text and metadata through trafilatura;
  id is the file name without extension.
- ``.json``: an object (one article), a list of objects, or an object with an
  ``articles`` list.
- ``.jsonl``: one object per line, UTF-8 as JSON Lines requires; streamed
  line by line, so it has no size limit.
- ``.csv``: one row per article, with a header.

Record fields: ``id, outlet, title, date, text`` (or ``body``), ``url``,
``author``; anything else is kept as metadata in ``extra``. Ids are kept as
given (as strings); records without one get a stable content hash.

Hostile input is repaired where nothing is lost, and the repair is noted in
:attr:`RawRecord.notes` (decoding repairs; lone UTF-16 surrogates from JSON
escapes become U+FFFD; integers too long for Python stay strings; a file name
that is not UTF-8 gets U+FFFD in its id); otherwise it is rejected with its
reason. A CSV's delimiter is the most frequent of ``, ; TAB |`` in its header
line; a malformed row is rejected on its own and the rows after it still count.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.decode import DecodedText, decode_bytes
from analysis.errors import InputRejected
from analysis.html import extract_html

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
RECORD_SUFFIXES = (".json", ".jsonl", ".csv")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + RECORD_SUFFIXES
KNOWN_FIELDS = ("id", "outlet", "title", "date", "text", "body", "url", "author")
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 4000  # below Python's int-from-string limit (4300); longer ones stay text
CSV_DELIMITERS = (",", ";", "\t", "|")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# The only way a strictly decoded UTF-8 line of JSON yields a surrogate: a \uD800–\uDFFF escape.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class RawRecord:
    text: str
    id: str | None = None
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    extractor: str | None = None
    extra: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # what was repaired or guessed to read it, for the report


@dataclass(frozen=True)
class InputItem:
    """One input: a file, or one record inside a multi-record file."""

    input: str
    format: str
    record: RawRecord | None = None
    reason: str | None = None


def content_id(text: str) -> str:
    """The stable id given to a record that has none: a hash of its text."""
    return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def input_label(path: Path) -> str:
    """``path`` as report text: bytes of a non-UTF-8 file name become U+FFFD."""
    text = str(path)
    if _LONE_SURROGATE.search(text):
        # os.fsdecode maps undecodable bytes to lone surrogates, which SQLite cannot store.
        return os.fsencode(text).decode("utf-8", errors="replace")
    return text


def read_file(path: Path, *, data: bytes | None = None) -> Iterator[InputItem]:
    """Yield the items of one file. ``data`` lets uploads skip the disk."""
    label = input_label(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield InputItem(label, "unknown", reason=(
            f"unsupported file type {suffix or '(none)'!r}; SameStory reads "
            + ", ".join(SUPPORTED_SUFFIXES)))
        return
    fmt = "html" if suffix in HTML_SUFFIXES else suffix.lstrip(".")
    try:
        if suffix == ".jsonl":
            lines = _lines_of(data) if data is not None else _lines_of_file(path)
            yield from _jsonl_items(lines, label)
            return
        if data is None:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise InputRejected(f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
            data = path.read_bytes()
        decoded = decode_bytes(data)
        if suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES:
            stem, stem_notes = _file_stem(path)
            notes = decoded.notes + stem_notes
            if suffix in TEXT_SUFFIXES:
                record = _text_record(decoded.text, stem, notes)
            else:
                record = _html_record(decoded.text, stem, notes)
            yield InputItem(label, fmt, record=record)
        else:
            items = _json_items if suffix == ".json" else _csv_items
            yield from _with_notes(items(decoded.text, label), decoded)
    except InputRejected as rejection:
        yield InputItem(label, fmt, reason=rejection.reason)
    except OSError as error:
        yield InputItem(label, fmt, reason=f"cannot read file: {error.strerror or error}")


def _file_stem(path: Path) -> tuple[str, tuple[str, ...]]:
    stem = input_label(Path(path.stem))
    if stem != path.stem:
        return stem, ("the file name is not valid UTF-8; "
                      "its undecodable bytes are U+FFFD in the id",)
    return stem, ()


def _text_record(text: str, stem: str, notes: tuple[str, ...]) -> RawRecord:
    if not text.strip():
        raise InputRejected("no text (whitespace only)")
    return RawRecord(text=text, id=stem, extractor="plain-text", notes=notes)


def _html_record(html: str, stem: str, notes: tuple[str, ...]) -> RawRecord:
    extracted = extract_html(html)
    return RawRecord(
        text=extracted.text, id=stem, title=extracted.title, date=extracted.date,
        author=extracted.author, url=extracted.url, extractor=extracted.extractor,
        extra=extracted.extra, notes=notes)


def _with_notes(items: Iterator[InputItem], decoded: DecodedText) -> Iterator[InputItem]:
    """Give every record of a multi-record file the notes of decoding that file."""
    for item in items:
        if item.record is not None and decoded.notes:
            notes = decoded.notes + item.record.notes
            item = replace(item, record=replace(item.record, notes=notes))
        yield item


def _lines_of_file(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle


def _lines_of(data: bytes) -> Iterator[bytes]:
    return iter(data.splitlines(keepends=True))


def _jsonl_items(lines: Iterator[bytes], label: str) -> Iterator[InputItem]:
    seen_any = False
    for number, raw_line in enumerate(lines, start=1):
        if number == 1 and raw_line.startswith(codecs.BOM_UTF8):
            raw_line = raw_line[len(codecs.BOM_UTF8):]
        if not raw_line.strip():
            continue
        seen_any = True
        item_label = f"{label}:{number}"
        try:
            line = _utf8_line(raw_line)
            value = _loads(line)
            yield InputItem(item_label, "jsonl", record=record_from_mapping(
                value, may_hold_surrogates=_SURROGATE_ESCAPE.search(line) is not None))
        except InputRejected as rejection:
            yield InputItem(item_label, "jsonl", reason=rejection.reason)
    if not seen_any:
        raise InputRejected("empty file")


def _utf8_line(raw_line: bytes) -> str:
    try:
        return raw_line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputRejected(
            f"line is not UTF-8 (byte {error.start}); JSON Lines files must be UTF-8") from error


def _json_items(text: str, label: str) -> Iterator[InputItem]:
    value = _loads(text)
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    if isinstance(value, dict):
        yield InputItem(label, "json", record=record_from_mapping(value))
        return
    if not isinstance(value, list):
        raise InputRejected(
            "JSON must be an article object, a list of them, or {\"articles\": [...]}")
    if not value:
        raise InputRejected("JSON list is empty")
    for index, element in enumerate(value):
        item_label = f"{label}[{index}]"
        try:
            yield InputItem(item_label, "json", record=record_from_mapping(element))
        except InputRejected as rejection:
            yield InputItem(item_label, "json", reason=rejection.reason)


def _loads(text: str):
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise InputRejected(f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}") from error
    except RecursionError as error:
        raise InputRejected("JSON is nested too deeply") from error


def _parse_int(digits: str) -> int | str:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


def _csv_items(text: str, label: str) -> Iterator[InputItem]:
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        # strict: a stray or unclosed quote is an error for its row, not a silent merge of rows.
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
        try:
            header = [name.strip().lower() for name in next(reader, [])]
        except csv.Error as error:
            raise InputRejected(f"malformed CSV header: {error}") from error
        if "text" not in header and "body" not in header:
            raise InputRejected(
                f"CSV has no 'text' or 'body' column (columns: {', '.join(header) or 'none'})")
        rows = 0
        for values in _csv_rows(reader):
            rows += 1
            item_label = f"{label}:{rows + 1}"  # row number, the header being row 1
            try:
                yield InputItem(item_label, "csv", record=_csv_record(header, values))
            except InputRejected as rejection:
                yield InputItem(item_label, "csv", reason=rejection.reason)
        if not rows:
            raise InputRejected("CSV has a header but no rows")
    finally:
        csv.field_size_limit(previous_limit)


def _delimiter(text: str) -> str:
    header_line = text[:text.find("\n")] if "\n" in text else text
    return max(CSV_DELIMITERS, key=header_line.count)  # ties go to the comma, listed first


def _csv_rows(reader) -> Iterator[list[str] | csv.Error]:
    """The fields, or the error, of every non-blank row; an error does not stop the rest."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield error
            continue
        if any(value.strip() for value in values):
            yield values


def _csv_record(header: list[str], values: list[str] | csv.Error) -> RawRecord:
    if isinstance(values, csv.Error):
        if "unexpected end of data" in str(values):
            raise InputRejected("a quoted field is never closed; this row and every line after it "
                                "were not imported")
        raise InputRejected(f"malformed CSV row: {values}")
    if len(values) > len(header):
        raise InputRejected(f"row has {len(values)} fields; the header has {len(header)}")
    # A short row leaves its last columns missing, as csv.DictReader would.
    return record_from_mapping(dict(zip(header, values, strict=False)))


def record_from_mapping(value, *, may_hold_surrogates: bool = True) -> RawRecord:
    """Turn one JSON object or CSV row into a record, validating its fields.

    ``may_hold_surrogates=False`` (the caller knows its strings hold no lone
    surrogate) skips looking for them in every string.
    """
    if not isinstance(value, dict):
        raise InputRejected(f"expected an object with a 'text' field, got {type(value).__name__}")
    if _depth(value) > MAX_JSON_DEPTH:
        raise InputRejected(f"record is nested deeper than {MAX_JSON_DEPTH} levels")
    surrogates = 0
    if may_hold_surrogates:
        value, surrogates = _without_lone_surrogates(value)
    notes = (f"{surrogates} lone UTF-16 surrogate(s) replaced by U+FFFD",) if surrogates else ()
    text = value.get("text")
    if text in (None, ""):
        text = value.get("body")
    if not isinstance(text, str) or not text.strip():
        raise InputRejected("record has no text (fields 'text' or 'body' are missing or empty)")
    raw_id = value.get("id")
    if isinstance(raw_id, (dict, list, bool)):
        raise InputRejected(f"id must be a string or number, got {type(raw_id).__name__}")
    article_id = None if raw_id in (None, "") else str(raw_id)
    extra = {key: item for key, item in value.items() if key not in KNOWN_FIELDS}
    return RawRecord(
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        id=article_id,
        outlet=_optional_string(value.get("outlet")),
        title=_optional_string(value.get("title")),
        date=_optional_string(value.get("date")),
        author=_optional_author(value.get("author")),
        url=_optional_string(value.get("url")),
        extractor="record",
        extra=extra,
        notes=notes,
    )


def _without_lone_surrogates(value) -> tuple[object, int]:
    """``value`` with lone surrogates (JSON "\\ud800" escapes) as U+FFFD, and how many there were.

    Python strings may hold them but UTF-8, and so SQLite, cannot.
    """
    if isinstance(value, str):
        return _LONE_SURROGATE.subn("\ufffd", value)
    if isinstance(value, dict):
        total, repaired = 0, {}
        for key, item in value.items():
            key, key_count = _without_lone_surrogates(key)
            item, item_count = _without_lone_surrogates(item)
            repaired[key] = item
            total += key_count + item_count
        return (repaired, total) if total else (value, 0)
    if isinstance(value, list):
        pairs = [_without_lone_surrogates(item) for item in value]
        total = sum(count for _, count in pairs)
        return ([item for item, _ in pairs], total) if total else (value, 0)
    return value, 0


def _optional_string(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _optional_author(value) -> str | None:
    if isinstance(value, list):
        return ", ".join(str(name).strip() for name in value if str(name).strip()) or None
    return _optional_string(value)


def _depth(value, level: int = 0) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(item, level + 1) for item in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(item, level + 1) for item in value), default=level + 1)
    return level
