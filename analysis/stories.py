"""Stories: articles about the same event, grouped, explained and adjustable.

Grouping is :mod:`analysis.grouping` (TF-IDF cosine discounted by the gap
between publication dates, then average link with a threshold) over the top
neighbours of :mod:`analysis.similarity`. The user's edits (merge, move,
split; see :mod:`analysis.story_edits`) are replayed on top of every fresh
grouping, so they survive re-analysis.

Results are computed lazily and persisted in the store (table
``story_results``), keyed by the articles' version, the edits and the
options; repeated calls read them back (or reuse the in-memory copy).

Explanations: a story's ``label`` is its key terms (highest centroid
weight among terms used by at least two members, or by its one member); a
member's ``score`` is the cosine between the article and the story centroid
(the l2-normalised sum of its members' vectors), so a lone article scores 1;
its ``shared_terms`` are its strongest terms that another member also uses.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from analysis.derived import MemoryCache
from analysis.errors import UnknownIdError
from analysis.grouping import GroupingOptions, average_link, day_numbers, story_edges, time_factor
from analysis.kernels import top_entries_per_row
from analysis.store import Store, store_key
from analysis.story_edits import apply_edits, edits_key, story_edits
from analysis.vectorize import TfidfOptions, Vectors, article_vectors, vectors_for

STORY_COLUMNS = ["story_id", "label", "article_ids", "outlets", "start", "end", "explanation"]
MEMBER_COLUMNS = ["story_id", "article_id", "score", "shared_terms"]
OUTLET_PAIR_COLUMNS = ["outlet_a", "outlet_b", "similarity", "pairs"]
UNKNOWN_OUTLET = "(unknown outlet)"
# Bump when the computation changes, so persisted results from older code are recomputed.
ALGORITHM_VERSION = 3


@dataclass(frozen=True)
class StoryOptions:
    """Everything that decides the stories: vectors, grouping and explanation size."""

    tfidf: TfidfOptions = field(default_factory=TfidfOptions)
    grouping: GroupingOptions = field(default_factory=GroupingOptions)
    label_terms: int = 4
    shared_terms: int = 6

    def key(self) -> str:
        text = json.dumps([ALGORITHM_VERSION, asdict(self)], sort_keys=True, default=str)
        return hashlib.sha1(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class StoryResults:
    """The computed stories: one row per story and one per member."""

    stories: pd.DataFrame
    members: pd.DataFrame


# -- public API ------------------------------------------------------------------

def story_table(store: Store, options: StoryOptions = StoryOptions()) -> pd.DataFrame:
    """One row per story: story_id, label, article_ids (list), outlets (list),
    start, end (ISO dates or None), explanation. Largest stories first."""
    return story_results(store, options).stories.copy()


def story_memberships(store: Store, options: StoryOptions = StoryOptions()) -> pd.DataFrame:
    """One row per article: story_id, article_id, score (cosine to the story
    centroid, in [0, 1]), shared_terms (list)."""
    return story_results(store, options).members.copy()


def story_article_ids(store: Store, story_id: str, options: StoryOptions = StoryOptions()) -> list[str]:
    """The articles of ``story_id``; raises UnknownIdError for an unknown story."""
    stories = story_results(store, options).stories
    match = stories.loc[stories["story_id"] == story_id, "article_ids"]
    if match.empty:
        raise UnknownIdError(f"no story with id {story_id!r}; `samestory stories` lists them")
    return list(match.iloc[0])


def outlet_similarity(store: Store, story_id: str, options: StoryOptions = StoryOptions()) -> pd.DataFrame:
    """Outlet × outlet similarity inside one story, tidy.

    ``similarity(A, B)`` is the mean cosine over all pairs of distinct
    articles (a from A, b from B). Mean over article pairs, rather than the
    cosine of outlet centroids, so an outlet with many articles is not made
    to look closer (centroids smooth away differences) and the number is
    what a reader comparing articles would see. The diagonal compares an
    outlet's own articles and is null with only one. Columns: outlet_a,
    outlet_b, similarity, pairs (number of article pairs averaged); every
    ordered pair of outlets appears, so the frame is a symmetric matrix.
    """
    article_ids = story_article_ids(store, story_id, options)
    matrix = article_vectors(store, article_ids, options.tfidf)
    outlets = _outlets_of(store, article_ids)
    cosine = (matrix @ matrix.T).toarray()
    names = sorted(set(outlets))
    records = []
    for outlet_a in names:
        in_a = np.array([outlet == outlet_a for outlet in outlets])
        for outlet_b in names:
            in_b = np.array([outlet == outlet_b for outlet in outlets])
            block = cosine[np.ix_(in_a, in_b)]
            if outlet_a == outlet_b:
                values = block[~np.eye(len(block), dtype=bool)]
            else:
                values = block.ravel()
            records.append({"outlet_a": outlet_a, "outlet_b": outlet_b,
                            "similarity": float(np.clip(values.mean(), 0, 1)) if len(values) else None,
                            "pairs": len(values)})
    return pd.DataFrame(records, columns=OUTLET_PAIR_COLUMNS)


def _outlets_of(store: Store, article_ids: list[str]) -> list[str]:
    frame = store.article_fields(["id", "outlet"], ids=article_ids).set_index("id")
    return [frame.at[article_id, "outlet"] or UNKNOWN_OUTLET for article_id in article_ids]


# -- computing and caching -------------------------------------------------------

_memory = MemoryCache(entries=4)


def story_results(store: Store, options: StoryOptions = StoryOptions()) -> StoryResults:
    """Stories and memberships for the store as it is now (cached, see module doc)."""
    articles_version = store.articles_version()
    edits = story_edits(store)
    key = (store_key(store), articles_version, edits_key(edits), options)
    results = _memory.get(key)
    if results is not None:
        return results
    results = _read_persisted(store, options, articles_version, edits)
    if results is None:
        results = _compute(store, options, articles_version, edits)
    _memory.put(key, results)
    return results


def _read_persisted(store: Store, options: StoryOptions, articles_version: int, edits) -> StoryResults | None:
    row = store.connection.execute(
        "SELECT articles_version, edits_key, stories_json, members_json FROM story_results "
        "WHERE options_key = ?", (options.key(),)).fetchone()
    if row is None or row[0] != articles_version or row[1] != edits_key(edits):
        return None
    stories = pd.DataFrame(json.loads(row[2]), columns=STORY_COLUMNS)
    members = pd.DataFrame(json.loads(row[3]), columns=MEMBER_COLUMNS)
    members["score"] = members["score"].astype("float64")
    return StoryResults(stories, members)


def _compute(store: Store, options: StoryOptions, articles_version: int, edits) -> StoryResults:
    articles = store.article_fields(["id", "outlet", "date"])
    vectors = vectors_for(store, options.tfidf)
    base = _persisted_base(store, options, articles_version)
    if base is None or set(base) != set(articles["id"]):
        base = base_groups(articles, vectors, options.grouping)
    groups = apply_edits(base, edits, order=list(articles["id"]))
    results = explain(articles, vectors, groups, edits, options)
    _persist(store, options, articles_version, edits, base, results)
    return results


def _persisted_base(store: Store, options: StoryOptions, articles_version: int) -> dict | None:
    row = store.connection.execute(
        "SELECT articles_version, base_json FROM story_results WHERE options_key = ?",
        (options.key(),)).fetchone()
    if row is None or row[0] != articles_version:
        return None
    return json.loads(row[1])


def _persist(store: Store, options: StoryOptions, articles_version: int, edits, base: dict,
             results: StoryResults) -> None:
    """Write the results without bumping the corpus version: they are derived
    from what is already stored, so cached views built on it stay valid."""
    stories = results.stories.to_dict(orient="records")
    members = results.members.to_dict(orient="records")
    connection = store.connection
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(
            "INSERT OR REPLACE INTO story_results(options_key, articles_version, edits_key, "
            "base_json, stories_json, members_json) VALUES (?, ?, ?, ?, ?, ?)",
            (options.key(), articles_version, edits_key(edits), json.dumps(base),
             json.dumps(stories, ensure_ascii=False), json.dumps(members, ensure_ascii=False)))
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def base_groups(articles: pd.DataFrame, vectors: Vectors, options: GroupingOptions) -> dict[str, str]:
    """Article id → the id of the first article of its group (before edits)."""
    ids = list(articles["id"])
    if not ids:
        return {}
    matrix = vectors.matrix[vectors.rows(ids)]
    days = day_numbers(articles["date"])
    pairs = story_edges(matrix, days, options)
    weights = pairs.score * time_factor(days, pairs.row, pairs.neighbour, options)
    labels = average_link(len(ids), pairs.row, pairs.neighbour, weights, options.threshold)
    return {article_id: ids[label] for article_id, label in zip(ids, labels)}


# -- explanations ---------------------------------------------------------------

def story_id_for(anchor_article_id: str) -> str:
    """A short stable id from the story's first article (in import order)."""
    return "s" + hashlib.sha1(anchor_article_id.encode("utf-8")).hexdigest()[:10]


def explain(articles: pd.DataFrame, vectors: Vectors, groups: dict[str, str], edits: pd.DataFrame,
            options: StoryOptions) -> StoryResults:
    """Label, span, outlets and explanation per story; score and shared terms per member."""
    ids = list(articles["id"])
    story_of = [story_id_for(groups[article_id]) for article_id in ids]
    story_ids = list(dict.fromkeys(story_of))
    position = {story_id: index for index, story_id in enumerate(story_ids)}
    story_index = np.array([position[story_id] for story_id in story_of], dtype=np.int64)
    membership = sp.csr_matrix((np.ones(len(ids), dtype=np.float32), (story_index, np.arange(len(ids)))),
                               shape=(len(story_ids), len(ids)))
    words = sp.csr_matrix(vectors.word_matrix[vectors.rows(ids)]) if ids else sp.csr_matrix((0, 0))
    centroids = sp.csr_matrix(normalize(membership @ words))
    # used_by_several[s, t] = 1 when at least two members of story s use term t.
    uses = sp.csr_matrix(membership @ (words > 0).astype(np.float32))
    used_by_several = sp.csr_matrix(uses >= 2, dtype=np.float32)
    toward_centroid = sp.csr_matrix(words.multiply(centroids[story_index]))
    scores = np.asarray(toward_centroid.sum(axis=1)).ravel()
    shared_strength = sp.csr_matrix(toward_centroid.multiply(used_by_several[story_index]))
    sizes = np.bincount(story_index, minlength=len(story_ids))
    label_weights = sp.csr_matrix(centroids.multiply(used_by_several))
    members = pd.DataFrame({
        "story_id": story_of, "article_id": ids,
        "score": [round(float(min(score, 1.0)), 6) for score in scores],
        "shared_terms": _top_terms_per_row(shared_strength, options.shared_terms, vectors.word_terms),
    }, columns=MEMBER_COLUMNS)
    labels = _top_terms_per_row(label_weights, options.label_terms, vectors.word_terms)
    lone_labels = _top_terms_per_row(centroids, options.label_terms, vectors.word_terms)
    labels = [lone if size == 1 else label for label, lone, size in zip(labels, lone_labels, sizes)]
    stories = _story_rows(articles.assign(story_id=story_of, score=scores), story_ids, labels,
                          edits, options)
    return StoryResults(stories, members)


def _top_terms_per_row(weights: sp.csr_matrix, count: int, terms: np.ndarray) -> list[list[str]]:
    """The ``count`` highest-weighted terms of each row, best first (ties by term order)."""
    weights = sp.csr_matrix(weights)
    weights.sort_indices()
    chosen = top_entries_per_row(weights.indptr, weights.indices, weights.data, count)
    names = terms[weights.indices[chosen]].astype(str).tolist()
    bounds = np.searchsorted(chosen, weights.indptr)
    return [names[start:end] for start, end in zip(bounds[:-1], bounds[1:])]


def _story_rows(frame: pd.DataFrame, story_ids: list[str], labels: list[list[str]], edits,
                options) -> pd.DataFrame:
    """One record per story, built from vectorised per-story aggregates."""
    frame = frame.assign(date=[date if isinstance(date, str) and date else None for date in frame["date"]])
    grouped = frame.groupby("story_id", sort=False)
    named = frame[frame["outlet"].notna() & (frame["outlet"] != "")]
    outlets = (named.drop_duplicates(["story_id", "outlet"]).sort_values("outlet", kind="stable")
               .groupby("story_id", sort=False)["outlet"].agg(list))
    aggregates = pd.DataFrame({
        "article_ids": grouped["id"].agg(list),
        "start": grouped["date"].min(), "end": grouped["date"].max(),
        "undated": grouped["date"].size() - grouped["date"].count(),
        "mean_score": grouped["score"].mean(),
    }).reindex(story_ids)
    aggregates["outlets"] = [value if isinstance(value, list) else []
                             for value in outlets.reindex(story_ids)]
    notes = _edit_notes(frame, edits)
    label_of = dict(zip(story_ids, labels))
    records = []
    for story_id, row in zip(story_ids, aggregates.itertuples(index=False)):
        record = {"story_id": story_id, "label": ", ".join(label_of[story_id]),
                  "article_ids": row.article_ids, "outlets": row.outlets,
                  "start": row.start if isinstance(row.start, str) else None,
                  "end": row.end if isinstance(row.end, str) else None}
        record["explanation"] = _explanation(record, row.undated, row.mean_score,
                                             notes.get(story_id, []), options)
        records.append(record)
    stories = pd.DataFrame(records, columns=STORY_COLUMNS)
    sizes = stories["article_ids"].map(len)
    order = np.lexsort((stories["story_id"].to_numpy(), -sizes.to_numpy()))
    return stories.iloc[order].reset_index(drop=True)


def _explanation(record: dict, undated: int, mean_score: float, edit_notes: list[str],
                 options: StoryOptions) -> str:
    size = len(record["article_ids"])
    parts = [(f"{size} article{'s' if size != 1 else ''} from {len(record['outlets'])} "
              f"outlet{'s' if len(record['outlets']) != 1 else ''}")]
    if record["start"]:
        span = record["start"] if record["start"] == record["end"] else f"{record['start']} to {record['end']}"
        parts.append(f"dated {span}" + (f" ({undated} undated)" if undated else ""))
    else:
        parts.append("no dates known")
    if size > 1:
        parts.append(f"mean similarity to the story {mean_score:.2f}; "
                     f"key terms shared by several members: {record['label'] or 'none'}")
    else:
        parts.append(f"no other article reached the similarity threshold "
                     f"{options.grouping.threshold:.2f} (after the time discount)")
    if edit_notes:
        parts.append("your edits: " + "; ".join(edit_notes))
    return "; ".join(parts) + "."


def _edit_notes(frame: pd.DataFrame, edits: pd.DataFrame) -> dict[str, list[str]]:
    """Story id → the edits that name one of its articles."""
    story_of = dict(zip(frame["id"], frame["story_id"]))
    notes: dict[str, list[str]] = {}
    for edit in edits.itertuples(index=False):
        involved = list(edit.article_ids) + ([edit.target_article] if edit.target_article else [])
        for story_id in dict.fromkeys(story_of[a] for a in involved if a in story_of):
            notes.setdefault(story_id, []).append(f"{edit.kind} #{edit.edit_id} ({edit.created_at})")
    return notes
