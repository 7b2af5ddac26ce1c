"""Rows out: the same DataFrame as a table, CSV or JSON Lines.

``jsonl`` prints exactly one JSON object per line; lists and dicts stay
native JSON, missing values are ``null``. In CSV, lists and dicts are JSON
text in their cell. ``table`` is for people: long text is shortened.
"""

from __future__ import annotations

import json
import math
from typing import TextIO

import pandas as pd

from analysis.errors import UsageError

FORMATS = ("table", "csv", "jsonl")
TABLE_CELL_CHARS = 60


def write_rows(frame: pd.DataFrame, fmt: str, stream: TextIO) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    records = jsonable_records(frame)
    if fmt == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        flat = pd.DataFrame(
            [{key: _csv_cell(value) for key, value in record.items()} for record in records],
            columns=frame.columns,
        )
        flat.to_csv(stream, index=False, lineterminator="\n")
    else:
        if frame.empty:
            stream.write("(no rows)\n")
            return
        shown = pd.DataFrame(
            [{key: _table_cell(value) for key, value in record.items()} for record in records],
            columns=frame.columns,
        )
        stream.write(shown.to_string(index=False) + "\n")


def jsonable_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as plain JSON-ready dicts (NaN and NA become None)."""
    return [_jsonable_record(record) for record in frame.to_dict(orient="records")]


def _jsonable_record(record: dict) -> dict:
    return {str(key): _jsonable(value) for key, value in record.items()}


def _jsonable(value):
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def _csv_cell(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _table_cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        text = f"[{len(value)}]" if value and isinstance(value[0], dict) else ", ".join(map(str, value))
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, float):
        text = f"{value:.3f}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= TABLE_CELL_CHARS else text[: TABLE_CELL_CHARS - 1] + "…"
