"""The corpus store: one SQLite file, versioned schema, FTS5 search.

Data flows one way: ingest writes articles here, analyses read them and write
their results back into their own tables. The raw text of every article is
kept untouched in ``raw_text``; everything else about an article (clean body,
recovered metadata, outlet) is derived and may be recomputed.

Schema versions live in ``PRAGMA user_version``; :data:`analysis.schema.MIGRATIONS`
holds one SQL script per version and :func:`open_store` applies the missing
ones in a single transaction each.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import StoreError, UnknownIdError
from analysis.schema import MIGRATIONS, SCHEMA_VERSION

ARTICLE_COLUMNS = (
    "id", "outlet", "title", "date", "author", "dateline", "body", "words", "removed",
)


@dataclass(frozen=True)
class NewArticle:
    """An article ready to be written: raw text plus the fields derived from it."""

    id: str
    content_hash: str
    source: str
    format: str
    raw_text: str
    given: dict
    outlet: str | None
    outlet_origin: str | None
    title: str | None
    date: str | None
    author: str | None
    dateline: str | None
    url: str | None
    body: str
    words: int
    removed: list
    extractor: str | None
    line_keys: tuple[str, ...] = ()  # analysis.clean.line_key of each short line


class Store:
    """A handle on one corpus file. Use :func:`open_store` to get one."""

    def __init__(self, connection: sqlite3.Connection, path: str):
        self.connection = connection
        self.path = path

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, changes_corpus: bool = True) -> Iterator[sqlite3.Connection]:
        """A write: everything inside commits together or not at all.

        A write that ``changes_corpus`` bumps the corpus version, so cached
        analyses know to refresh; bookkeeping (the ingest log) does not.
        """
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
            if changes_corpus:
                self.connection.execute(
                    "UPDATE corpus_meta SET value = value + 1 WHERE key = 'version'")
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    # -- reading -----------------------------------------------------------

    def version(self) -> int:
        """A number that changes whenever anything in the store is written."""
        return self.connection.execute(
            "SELECT value FROM corpus_meta WHERE key = 'version'").fetchone()[0]

    def count_articles(self) -> int:
        return self.connection.execute("SELECT count(*) FROM articles").fetchone()[0]

    def articles_version(self) -> int:
        """A number that changes only when an article's title, body, date or
        outlet changes, or articles come or go (analyses of text key on it)."""
        row = self.connection.execute(
            "SELECT value FROM corpus_meta WHERE key = 'articles_version'").fetchone()
        return row[0] if row else self.version()

    def hash_owner(self, content_hash: str) -> str | None:
        row = self.connection.execute(
            "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def id_hash(self, article_id: str) -> str | None:
        row = self.connection.execute(
            "SELECT content_hash FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def articles(self, *, ids: Iterable[str] | None = None, with_raw: bool = False) -> pd.DataFrame:
        """All articles (or those in ``ids``) as a tidy frame, in import order.

        Columns: id, outlet, title, date, author, dateline, body, words,
        removed (list of ``{"line", "rule"}``), url, outlet_origin, extractor,
        source, format, given (dict), and raw_text when ``with_raw``.
        """
        columns = (
            "id, outlet, title, date, author, dateline, body, words, removed_json, url, "
            "outlet_origin, extractor, source, format, given_json"
        )
        if with_raw:
            columns += ", raw_text"
        query = f"SELECT {columns} FROM articles"
        parameters: list[str] = []
        if ids is not None:
            parameters = list(ids)
            query += " WHERE id IN (SELECT value FROM json_each(?))"
            parameters = [json.dumps(parameters)]
        query += " ORDER BY rowid"
        frame = pd.read_sql_query(query, self.connection, params=parameters)
        frame["removed"] = [json.loads(value) for value in frame.pop("removed_json")]
        frame["given"] = [json.loads(value) for value in frame.pop("given_json")]
        frame["words"] = frame["words"].astype("int64")
        return frame

    def article_fields(self, columns: Iterable[str], *, ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Chosen stored columns (JSON columns as text), in import order.

        For corpus passes that must not load every body and raw text.
        """
        columns = list(columns)
        stored = {row[1] for row in self.connection.execute("PRAGMA table_info(articles)")}
        unknown = sorted(set(columns) - stored)
        if unknown:
            raise ValueError(f"not an article column: {unknown}; columns are {sorted(stored)}")
        query = f"SELECT {', '.join(columns)} FROM articles"
        parameters: list[str] = []
        if ids is not None:
            query += " WHERE id IN (SELECT value FROM json_each(?))"
            parameters = [json.dumps(list(ids))]
        rows = self.connection.execute(query + " ORDER BY rowid", parameters).fetchall()
        # Plain Python objects: converting megabytes of text to Arrow strings costs more than the read.
        return pd.DataFrame(rows, columns=columns, dtype=object)

    def article(self, article_id: str) -> dict:
        """One article as a dict, raw text included; raises UnknownIdError."""
        frame = self.articles(ids=[article_id], with_raw=True)
        if frame.empty:
            raise UnknownIdError(f"no article with id {article_id!r} in {self.path}")
        return frame.iloc[0].to_dict()

    def ensure_search_index(self) -> bool:
        """Bring the full-text index in step with the articles; True if it was rebuilt.

        The index is rebuilt whole, once per articles version, on the first
        search that needs it (about 2 s per 5,000 articles), so bulk imports
        do not pay for it on every insert.
        """
        if self._search_index_current():
            return False
        with self.transaction(changes_corpus=False) as connection:
            if self._search_index_current():  # another process rebuilt it meanwhile
                return False
            connection.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            connection.execute(
                "UPDATE corpus_meta SET value = (SELECT value FROM corpus_meta "
                "WHERE key = 'articles_version') WHERE key = 'search_index_version'")
        return True

    def _search_index_current(self) -> bool:
        row = self.connection.execute(
            "SELECT value FROM corpus_meta WHERE key = 'search_index_version'").fetchone()
        return row is not None and row[0] == self.articles_version()

    def search(self, query: str, *, limit: int = 50) -> pd.DataFrame:
        """Full-text search over title and body.

        The query is matched as plain words (all must occur, any order), so
        user input never reaches FTS5's query syntax. Columns: id, outlet,
        title, date, snippet, rank (lower is better).
        """
        terms = _fts_terms(query)
        columns = ["id", "outlet", "title", "date", "snippet", "rank"]
        if not terms:
            return pd.DataFrame(columns=columns)
        self.ensure_search_index()
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        rows = self.connection.execute(
            """
            SELECT a.id, a.outlet, a.title, a.date,
                   snippet(articles_fts, 1, '[', ']', ' … ', 12), articles_fts.rank
            FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
            WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?
            """,
            (match, int(limit)),
        ).fetchall()
        return pd.DataFrame(rows, columns=columns)

    def phrase_matches(
        self, phrase: str, *, ids: Iterable[str] | None = None, per_outlet: int | None = None,
    ) -> pd.DataFrame:
        """Articles whose body holds the words of ``phrase`` in that order (FTS5 phrase).

        Like :meth:`search`, the text is split into plain words first, so user
        input never reaches FTS5's query syntax. ``ids`` restricts the search;
        ``per_outlet`` keeps each outlet's first articles in import order.
        Columns: id, outlet, date, body; in import order.
        """
        terms = _fts_terms(phrase)
        columns = ["id", "outlet", "date", "body"]
        if not terms:
            return pd.DataFrame(columns=columns)
        self.ensure_search_index()
        match = 'body : "' + " ".join(term.replace('"', '""') for term in terms) + '"'
        parameters = {
            "match": match,
            "ids": None if ids is None else json.dumps([str(article_id) for article_id in ids]),
            "per_outlet": -1 if per_outlet is None else int(per_outlet),
        }
        # Bodies are read for the kept articles only: for a common word, the matches
        # hold ten times the text shown (0.7 -> 0.2 s on 37.5k articles).
        rows = self.connection.execute(
            """
            WITH hits AS (
                SELECT a.rowid AS position,
                       row_number() OVER (PARTITION BY a.outlet ORDER BY a.rowid) AS nth
                FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
                WHERE articles_fts MATCH :match
                  AND (:ids IS NULL OR a.id IN (SELECT value FROM json_each(:ids)))
            )
            SELECT a.id, a.outlet, a.date, a.body FROM hits JOIN articles a ON a.rowid = hits.position
            WHERE :per_outlet < 0 OR nth <= :per_outlet ORDER BY hits.position
            """,
            parameters,
        ).fetchall()
        return pd.DataFrame(rows, columns=columns)

    def ingest_report(self, run_id: int) -> pd.DataFrame:
        return pd.read_sql_query(
            "SELECT input, status, article_id, reason FROM ingest_report "
            "WHERE run_id = ? ORDER BY position",
            self.connection,
            params=(run_id,),
        )

    # -- writing -----------------------------------------------------------

    def start_ingest_run(self, arguments: dict) -> int:
        with self.transaction(changes_corpus=False) as connection:
            cursor = connection.execute(
                "INSERT INTO ingest_runs(arguments_json) VALUES (?)", (json.dumps(arguments),)
            )
        return int(cursor.lastrowid)

    def write_batch(
        self, run_id: int, articles: list[NewArticle], report_rows: list[dict], first_position: int
    ) -> None:
        """Insert articles and their report lines in one transaction."""
        with self.transaction(changes_corpus=bool(articles)) as connection:
            connection.executemany(
                """
                INSERT INTO articles(id, content_hash, source, format, raw_text, given_json,
                    outlet, outlet_origin, title, date, author, dateline, url, body, words,
                    removed_json, extractor, line_keys)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    (
                        a.id, a.content_hash, a.source, a.format, a.raw_text,
                        json.dumps(a.given, ensure_ascii=False, default=str),
                        a.outlet, a.outlet_origin, a.title, a.date, a.author, a.dateline,
                        a.url, a.body, a.words, json.dumps(a.removed, ensure_ascii=False),
                        a.extractor, " ".join(a.line_keys),
                    )
                    for a in articles
                ],
            )
            connection.executemany(
                "INSERT INTO ingest_report(run_id, position, input, status, article_id, reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (run_id, first_position + offset, row["input"], row["status"],
                     row.get("article_id"), row.get("reason"))
                    for offset, row in enumerate(report_rows)
                ],
            )

    def set_outlets(self, outlets: dict[str, str], *, origin: str) -> int:
        """Set the outlet of existing articles by id; returns how many changed."""
        current = self.connection.execute(
            "SELECT id, outlet, outlet_origin FROM articles WHERE id IN "
            "(SELECT value FROM json_each(?))", (json.dumps(list(outlets)),)
        ).fetchall()
        changes = [
            (outlets[article_id], origin, article_id)
            for article_id, outlet, old_origin in current
            if (outlet, old_origin) != (outlets[article_id], origin)
        ]
        if changes:
            with self.transaction() as connection:
                connection.executemany(
                    "UPDATE articles SET outlet = ?, outlet_origin = ? WHERE id = ?", changes)
        return len(changes)

    def update_derived(self, rows: list[dict]) -> None:
        """Write recomputed derived fields; each dict has ``id`` and the columns to set."""
        allowed = {"title", "date", "author", "dateline", "body", "words", "removed_json",
                   "outlet", "outlet_origin", "extractor", "fingerprint", "line_keys"}
        by_columns: dict[tuple[str, ...], list[dict]] = {}
        for row in rows:
            columns = tuple(sorted(set(row) - {"id"}))
            unknown = set(columns) - allowed
            if unknown:
                raise ValueError(f"not a derived column: {sorted(unknown)}")
            by_columns.setdefault(columns, []).append(row)
        with self.transaction() as connection:
            for columns, group in by_columns.items():
                assignments = ", ".join(f"{column} = ?" for column in columns)
                connection.executemany(
                    f"UPDATE articles SET {assignments} WHERE id = ?",
                    [[row[column] for column in columns] + [row["id"]] for row in group],
                )


def _fts_terms(query: str) -> list[str]:
    """Split free text into word terms for a quoted FTS5 query."""
    return re.findall(r"\w+", query or "")


def copy_store(source: str | Path, target: str | Path) -> Path:
    """A consistent copy of the store file ``source`` at ``target`` (SQLite's online
    backup, so writers may be busy); ``source`` is opened read-only, never written."""
    reader = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        reader.close()
        writer.close()
    return Path(target)


def store_key(store: Store) -> str:
    """A key naming the store's file (or, in memory, its connection), for in-memory caches."""
    if store.path == ":memory:":
        return f":memory:{id(store.connection)}"
    return str(Path(store.path).resolve())


def open_store(path: str | Path) -> Store:
    """Open (creating and migrating as needed) the corpus at ``path``.

    WAL journaling lets the dashboard read while an ingest writes. Raises
    :class:`StoreError` when the file is not a SameStory store or is newer
    than this version of SameStory understands.
    """
    path = str(path)
    if path != ":memory:":
        parent = Path(path).parent
        if not parent.exists():
            raise StoreError(f"folder {parent} does not exist (for --db {path})")
        if Path(path).is_dir():
            raise StoreError(f"--db {path} is a folder; give a file name such as corpus.db")
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA busy_timeout=10000")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a SameStory corpus (SQLite said: {error})") from error
    if version > SCHEMA_VERSION:
        connection.close()
        raise StoreError(
            f"{path} has schema version {version}; this SameStory knows up to {SCHEMA_VERSION}. "
            "Upgrade SameStory."
        )
    if version == 0 and _has_foreign_tables(connection):
        connection.close()
        raise StoreError(f"{path} is an SQLite file but not a SameStory corpus")
    for next_version in range(version + 1, SCHEMA_VERSION + 1):
        _migrate(connection, next_version)
    return Store(connection, path)


def _has_foreign_tables(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    statements = MIGRATIONS[version - 1]
    connection.execute("BEGIN IMMEDIATE")
    try:
        for statement in _split_sql(statements):
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {version}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
