"""Entity mentions per article and outlet: people, places, organisations.

No tagger model: every capitalised span of the body (quotes included) is
classified by :func:`analysis.names.classify_span` — pycountry and listed
places, organisation heads ("Ministry", "Party", "Agency", "Council") and
known organisations, persons by their name shape and titles. Within an
article a bare surname or titled name counts for the full name written
elsewhere in it ("Mr. Blinken" → "Antony Blinken"); a bare capitalised word
that never resolves is left out, because at the start of a sentence it is
as often a common word as a name.
"""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from analysis.errors import UsageError
from analysis.names import classify_span, span_texts
from analysis.voices import ARTICLE_FIELDS, canonical_speakers, story_article_ids

ENTITY_COLUMNS = ("article_id", "outlet", "entity", "kind", "mentions")
OUTLET_ENTITY_COLUMNS = ("outlet", "entity", "kind", "mentions", "articles")
ENTITY_KINDS = ("person", "place", "organisation")
PARALLEL_MIN_ARTICLES = 4000
PARALLEL_CHUNK_ARTICLES = 1000
MAX_WORKERS = 4


def entity_mentions(articles: pd.DataFrame, *, workers: int | None = 1) -> pd.DataFrame:
    """One row per (article, entity): how often the article mentions it.

    ``articles`` has columns ``id`` and ``body`` (``outlet`` optional).
    Columns: article_id, outlet, entity, kind (person | place | organisation),
    mentions (≥ 1). ``workers`` as in :class:`analysis.quotes.QuoteOptions`.
    """
    missing = {"id", "body"} - set(articles.columns)
    if missing:
        raise UsageError(f"articles need columns id and body; missing {sorted(missing)}")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise UsageError(f"workers must be None or an int ≥ 1, not {workers!r}")
    ids = [str(article_id) for article_id in articles["id"]]
    outlets = list(articles["outlet"]) if "outlet" in articles.columns else [None] * len(ids)
    bodies = list(articles["body"])
    workers = workers or (min(MAX_WORKERS, os.cpu_count() or 1)
                          if len(ids) >= PARALLEL_MIN_ARTICLES else 1)
    if workers == 1 or len(ids) <= PARALLEL_CHUNK_ARTICLES:
        rows = _entity_rows(ids, outlets, bodies)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(_entity_rows, ids[start:start + PARALLEL_CHUNK_ARTICLES],
                            outlets[start:start + PARALLEL_CHUNK_ARTICLES],
                            bodies[start:start + PARALLEL_CHUNK_ARTICLES])
                for start in range(0, len(ids), PARALLEL_CHUNK_ARTICLES)
            ]
            rows = [row for future in futures for row in future.result()]
    frame = pd.DataFrame(rows, columns=list(ENTITY_COLUMNS))
    frame["mentions"] = frame["mentions"].astype("int64")
    return frame


def story_entities(store, story_id: str | None = None, *, workers: int | None = 1) -> pd.DataFrame:
    """:func:`entity_mentions` of one story's articles (every article without ``story_id``)."""
    articles = store.article_fields(ARTICLE_FIELDS, ids=story_article_ids(store, story_id))
    return entity_mentions(articles, workers=workers)


def _entity_rows(ids: list[str], outlets: list, bodies: list) -> list[tuple]:
    rows = []
    for article_id, outlet, body in zip(ids, outlets, bodies, strict=True):
        if isinstance(body, str) and body:
            counts = article_entities(body)
            rows.extend((article_id, outlet, entity, kind, count)
                        for (entity, kind), count in sorted(counts.items()))
    return rows


def article_entities(body: str) -> Counter:
    """Mentions per (entity, kind) in one body."""
    counts: Counter = Counter()
    full_names: dict[str, str] = {}
    short_names: list[tuple[str, bool]] = []
    for surface in span_texts(body):
        info = classify_span(surface)
        if info.kind == "person" and " " in info.name:
            full_names.setdefault(info.name.split()[-1].lower(), info.name)
            counts[(info.name, "person")] += 1
        elif info.kind in ("person", "single"):
            short_names.append((info.name, info.kind == "person"))
        elif info.kind in ("place", "organisation"):
            counts[(info.name, info.kind)] += 1
    for name, titled in short_names:
        full = full_names.get(name.lower())
        if full is not None:
            counts[(full, "person")] += 1
        elif titled:
            counts[(name, "person")] += 1
    return counts


def entities_by_outlet(mentions: pd.DataFrame, *, kind: str | None = None) -> pd.DataFrame:
    """Mentions summed per outlet: outlet, entity, kind, mentions, articles.

    People are given one spelling across the frame first (as speakers are,
    see :func:`analysis.voices.canonical_speakers`), so pass one story's
    mentions. Sorted by outlet, then mentions descending.
    """
    if kind is not None and kind not in ENTITY_KINDS:
        raise UsageError(f"kind must be one of {', '.join(ENTITY_KINDS)}, not {kind!r}")
    frame = mentions if kind is None else mentions[mentions["kind"] == kind]
    if frame.empty:
        return pd.DataFrame(columns=list(OUTLET_ENTITY_COLUMNS)).astype(
            {"mentions": "int64", "articles": "int64"})
    people = frame["kind"] == "person"
    # A spelling weighs by its mentions: the most used one names the person.
    mapping = canonical_speakers(frame.loc[people, "entity"].repeat(frame.loc[people, "mentions"]))
    frame = frame.assign(
        entity=frame["entity"].where(~people, frame["entity"].map(mapping)),
        outlet=frame["outlet"].fillna("(unknown outlet)"),
    )
    table = frame.groupby(["outlet", "entity", "kind"], sort=True).agg(
        mentions=("mentions", "sum"), articles=("article_id", "nunique")).reset_index()
    table = table.sort_values(["outlet", "mentions", "entity"], ascending=[True, False, True],
                              kind="stable")
    return table[list(OUTLET_ENTITY_COLUMNS)].reset_index(drop=True)
