"""The store's schema: one SQL script per version, applied in order.

``PRAGMA user_version`` holds the version a file is at; :func:`analysis.store.open_store`
applies the missing scripts, one transaction each. Never edit a released script:
append a new one.
"""

MIGRATIONS: tuple[str, ...] = (
    # v1: articles with raw text, derived fields, FTS index, ingest report.
    """
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        raw_text TEXT NOT NULL,
        given_json TEXT NOT NULL DEFAULT '{}',
        outlet TEXT,
        outlet_origin TEXT,
        title TEXT,
        date TEXT,
        author TEXT,
        dateline TEXT,
        url TEXT,
        body TEXT NOT NULL DEFAULT '',
        words INTEGER NOT NULL DEFAULT 0,
        removed_json TEXT NOT NULL DEFAULT '[]',
        extractor TEXT,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body)
        VALUES (new.rowid, coalesce(new.title, ''), new.body);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.rowid, coalesce(old.title, ''), old.body);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body)
        VALUES ('delete', old.rowid, coalesce(old.title, ''), old.body);
        INSERT INTO articles_fts(rowid, title, body)
        VALUES (new.rowid, coalesce(new.title, ''), new.body);
    END;
    CREATE TABLE corpus_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO corpus_meta(key, value) VALUES ('version', 0);
    CREATE TABLE ingest_runs (
        run_id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        arguments_json TEXT NOT NULL
    );
    CREATE TABLE ingest_report (
        run_id INTEGER NOT NULL REFERENCES ingest_runs(run_id),
        position INTEGER NOT NULL,
        input TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('imported', 'duplicate', 'rejected', 'skipped')),
        article_id TEXT,
        reason TEXT,
        PRIMARY KEY (run_id, position)
    );
    """,
    # Source fingerprints (issue 3): each article's template fingerprint and the
    # line keys the corpus pass counts; generated names and the user's renames.
    """
    ALTER TABLE articles ADD COLUMN fingerprint TEXT;
    ALTER TABLE articles ADD COLUMN line_keys TEXT NOT NULL DEFAULT '';
    CREATE TABLE sources (
        fingerprint TEXT PRIMARY KEY,
        generated_name TEXT NOT NULL,
        evidence_json TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE source_names (
        fingerprint TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        renamed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    """,
    # Stories (issue 4): the user's story edits, computed results keyed by what
    # they depend on, and an 'articles_version' that only changes when the
    # title, body, date or outlet of some article does (not on every write).
    """
    INSERT INTO corpus_meta(key, value) VALUES ('articles_version', 0);
    CREATE TRIGGER articles_version_insert AFTER INSERT ON articles BEGIN
        UPDATE corpus_meta SET value = value + 1 WHERE key = 'articles_version';
    END;
    CREATE TRIGGER articles_version_delete AFTER DELETE ON articles BEGIN
        UPDATE corpus_meta SET value = value + 1 WHERE key = 'articles_version';
    END;
    CREATE TRIGGER articles_version_update AFTER UPDATE OF title, body, date, outlet ON articles BEGIN
        UPDATE corpus_meta SET value = value + 1 WHERE key = 'articles_version';
    END;
    CREATE TABLE story_edits (
        edit_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('merge', 'move', 'split')),
        articles_json TEXT NOT NULL,
        target_article TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE story_results (
        options_key TEXT PRIMARY KEY,
        articles_version INTEGER NOT NULL,
        edits_key TEXT NOT NULL,
        base_json TEXT NOT NULL,
        stories_json TEXT NOT NULL,
        members_json TEXT NOT NULL
    );
    """,
    # Scale (issue 9): the search index is derived data, built on the first
    # search after a change (Store.ensure_search_index) instead of by a trigger
    # on every insert, which cost a third of a bulk ingest. Stores at v3 have
    # an index in step with their articles, so it counts as built.
    """
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    INSERT INTO corpus_meta(key, value)
        SELECT 'search_index_version', value FROM corpus_meta WHERE key = 'articles_version';
    """,
    # v5 (issue 9): corpus-wide results that take seconds to minutes on a large
    # corpus (outlet statistics, distinctive terms and their background, the
    # TF-IDF vocabulary), kept as JSON per articles version so a restarted
    # dashboard reads them instead of recomputing (see analysis.derived).
    """
    CREATE TABLE derived_results (
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        articles_version INTEGER NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (name, key)
    );
    """,
    # v6 (issue 9): per-article measures behind the outlet statistics, kept per
    # set of options so an import only measures its new articles (see
    # analysis.measures); a changed body drops its article's row. A null
    # quote_speakers_json means the article was measured without its quotes.
    """
    CREATE TABLE article_measures (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        options_key TEXT NOT NULL,
        words INTEGER NOT NULL,
        sentences INTEGER NOT NULL,
        syllables_per_word REAL,
        flesch_reading_ease REAL,
        tone REAL,
        quote_speakers_json TEXT,
        PRIMARY KEY (options_key, article_id)
    ) WITHOUT ROWID;
    CREATE TRIGGER article_measures_body_update AFTER UPDATE OF body, words ON articles
    WHEN old.body IS NOT new.body OR old.words IS NOT new.words BEGIN
        DELETE FROM article_measures WHERE article_id = new.id;
    END;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
