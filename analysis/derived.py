"""Corpus-wide results kept in the store, so they are computed once per corpus version.

Outlet statistics, distinctive terms and the TF-IDF vocabulary take seconds
to minutes on tens of thousands of articles, and nothing in them changes
until the articles do. :func:`remembered` returns a result for the store's
current :meth:`~analysis.store.Store.articles_version`: from this process's
memory, else from the ``derived_results`` table, else by computing and
saving it. Each ``name`` keeps one row per ``key`` (options and anything
else the result depends on), overwritten when the articles change.

Payloads are JSON, written and read only by this module: a store never
holds pickles, so opening one cannot run code.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from analysis.store import Store, store_key

Result = TypeVar("Result")


class MemoryCache:
    """What this process already holds: a few results, least recently used dropped first.

    Thread-safe, since dashboard sessions run in threads. Values are shared,
    so whoever gets one must not modify it.
    """

    def __init__(self, entries: int):
        self.entries = entries
        self._values: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        """The value kept under ``key``, or None."""
        with self._lock:
            if key not in self._values:
                return None
            self._values.move_to_end(key)
            return self._values[key]

    def put(self, key: tuple, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.entries:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_memory = MemoryCache(entries=16)


def remembered(store: Store, name: str, key: str, compute: Callable[[], Result], *,
               to_json: Callable[[Result], object], from_json: Callable[[object], Result]) -> Result:
    """``compute()`` for the store's current articles, at most once per articles version.

    ``to_json`` turns the result into JSON-ready values and ``from_json``
    back; results served from memory are shared, so callers must not modify them.
    """
    articles_version = store.articles_version()
    memory_key = (store_key(store), name, key, articles_version)
    result = _memory.get(memory_key)
    if result is not None:
        return result
    stored = read_stored(store, name, key, articles_version)
    if stored is not None:
        result = from_json(stored)
    else:
        result = compute()
        save(store, name, key, articles_version, to_json(result))
    _memory.put(memory_key, result)
    return result


def read_stored(store: Store, name: str, key: str, articles_version: int) -> object | None:
    """The stored JSON value of ``name``/``key`` when it is of ``articles_version``, else None."""
    row = store.connection.execute(
        "SELECT articles_version, payload FROM derived_results WHERE name = ? AND key = ?",
        (name, key)).fetchone()
    if row is None or row[0] != articles_version:
        return None
    return json.loads(row[1])


def save(store: Store, name: str, key: str, articles_version: int, value: object) -> None:
    """Store a JSON value without bumping the corpus version: it is derived from what is stored."""
    payload = json.dumps(value, ensure_ascii=False)
    connection = store.connection
    connection.execute("BEGIN IMMEDIATE")
    try:
        # The articles may have changed while this was computed; a stale result is not saved.
        if store.articles_version() == articles_version:
            connection.execute(
                "INSERT OR REPLACE INTO derived_results(name, key, articles_version, payload) "
                "VALUES (?, ?, ?, ?)", (name, key, articles_version, payload))
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def clear_memory() -> None:
    _memory.clear()


def frame_to_json(frame: pd.DataFrame) -> dict:
    """A frame as JSON values: its columns, their dtypes and its rows."""
    return {"columns": list(frame.columns), "dtypes": [str(dtype) for dtype in frame.dtypes],
            "rows": frame.astype(object).where(frame.notna(), None).to_numpy().tolist()}


def frame_from_json(value: dict) -> pd.DataFrame:
    frame = pd.DataFrame(value["rows"], columns=value["columns"], dtype=object)
    return frame.astype(dict(zip(value["columns"], value["dtypes"])))


def words_to_json(words) -> str:
    """A list of words (no line breaks inside) as one string: a tenth of the time of a
    JSON list to read back, which a story view on a large corpus waits for."""
    return "\n".join(words)


def words_from_json(value: str) -> list[str]:
    return value.split("\n") if value else []


def numbers_to_json(values: np.ndarray) -> str:
    """float64 values as base64 of their bytes: exact, and read back without parsing."""
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f8").tobytes()).decode("ascii")


def numbers_from_json(value: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(value), dtype="<f8").copy()
