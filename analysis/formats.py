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
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.decode import decode_bytes
from analysis.errors import InputRejected
from analysis.html import extract_html

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
RECORD_SUFFIXES = (".json", ".jsonl", ".csv")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + RECORD_SUFFIXES
KNOWN_FIELDS = ("id", "outlet", "title", "date", "text", "body", "url", "author")
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_JSON_DEPTH = 64


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


def read_file(path: Path, *, data: bytes | None = None) -> Iterator[InputItem]:
    """Yield the items of one file. ``data`` lets uploads skip the disk."""
    label = str(path)
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
        if suffix in TEXT_SUFFIXES:
            text = decode_bytes(data).text
            yield InputItem(label, fmt, record=_text_record(text, path.stem))
        elif suffix in HTML_SUFFIXES:
            text = decode_bytes(data).text
            extracted = extract_html(text)
            yield InputItem(label, fmt, record=RawRecord(
                text=extracted.text, id=path.stem, title=extracted.title, date=extracted.date,
                author=extracted.author, url=extracted.url, extractor=extracted.extractor,
                extra=extracted.extra))
        elif suffix == ".json":
            yield from _json_items(decode_bytes(data).text, label)
        else:
            yield from _csv_items(decode_bytes(data).text, label)
    except InputRejected as rejection:
        yield InputItem(label, fmt, reason=rejection.reason)
    except OSError as error:
        yield InputItem(label, fmt, reason=f"cannot read file: {error.strerror or error}")


def _text_record(text: str, stem: str) -> RawRecord:
    if not text.strip():
        raise InputRejected("no text (whitespace only)")
    return RawRecord(text=text, id=stem, extractor="plain-text")


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
            yield InputItem(item_label, "jsonl", record=record_from_mapping(value))
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
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputRejected(f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}") from error
    except RecursionError as error:
        raise InputRejected("JSON is nested too deeply") from error


def _csv_items(text: str, label: str) -> Iterator[InputItem]:
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        if "text" not in header and "body" not in header:
            raise InputRejected(
                f"CSV has no 'text' or 'body' column (columns: {', '.join(header) or 'none'})")
        reader.fieldnames = header
        for number, row in enumerate(reader, start=2):
            item_label = f"{label}:{number}"
            if None in row:
                yield InputItem(item_label, "csv", reason=(
                    f"row has {len(header) + len(row[None])} fields; the header has {len(header)}"))
                continue
            try:
                yield InputItem(item_label, "csv", record=record_from_mapping(row))
            except InputRejected as rejection:
                yield InputItem(item_label, "csv", reason=rejection.reason)
    except csv.Error as error:
        raise InputRejected(f"malformed CSV: {error}") from error
    finally:
        csv.field_size_limit(previous_limit)


def record_from_mapping(value) -> RawRecord:
    """Turn one JSON object or CSV row into a record, validating its fields."""
    if not isinstance(value, dict):
        raise InputRejected(f"expected an object with a 'text' field, got {type(value).__name__}")
    if _depth(value) > MAX_JSON_DEPTH:
        raise InputRejected(f"record is nested deeper than {MAX_JSON_DEPTH} levels")
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
    )


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
