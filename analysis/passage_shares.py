"""Per-article shares and per-story summaries of a passage alignment.

Takes the labelled sentences and the word reuse of :mod:`analysis.passages`
and answers, per article: how much of it is copied, shared, paraphrased or
its own, what it copied most from, and under which independent source it
counts; per story: how many independent outlets covered it, who was first
and how long the others took.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.wire import STRONG_CUE_KINDS

KINDS = ("shared", "paraphrase", "unique")
SHARE_COLUMNS = (
    "story_id", "article_id", "outlet", "date", "order", "lag_days", "words", "sentences",
    "copied_share", "shared_share", "paraphrase_share", "unique_share", "source_article_id",
    "source_outlet", "wire_agencies", "is_copy", "collapsed_into", "added_sentences",
)
SUMMARY_COLUMNS = (
    "story_id", "articles", "outlets", "independent_outlets", "independent_sources",
    "wire_agencies", "first_article_id", "first_outlets", "first_date", "last_date",
    "span_days", "undated_articles", "copied_share", "shared_share", "paraphrase_share",
    "unique_share",
)


def article_shares(documents: pd.DataFrame, sentences: pd.DataFrame, copied_words: np.ndarray,
                   word_article: np.ndarray, credits: pd.DataFrame, cues: pd.DataFrame,
                   collapse_share: float) -> pd.DataFrame:
    """One row per article (:data:`SHARE_COLUMNS`), in the order of ``documents``.

    Shares are fractions of the article's words (``\\w+`` tokens):
    copied_share = words in passages copied from an earlier or wire source;
    shared/paraphrase/unique_share = words in sentences of that kind (they sum to 1).
    An article without words has all shares 0.
    """
    count = len(documents)
    article = sentences["article"].to_numpy()
    sentence_words = sentences["words"].to_numpy()
    words = np.bincount(article, weights=sentence_words, minlength=count)

    def share(values):
        return np.round(values / np.maximum(words, 1), 4)

    shares = documents[["story_id", "article_id", "outlet", "date", "order"]].copy()
    shares["lag_days"] = _lag_days(documents)
    shares["words"] = words.astype(np.int64)
    shares["sentences"] = np.bincount(article, minlength=count)
    shares["copied_share"] = share(np.bincount(word_article, weights=copied_words, minlength=count))
    for kind in KINDS:
        is_kind = (sentences["kind"] == kind).to_numpy()
        shares[f"{kind}_share"] = share(np.bincount(article, weights=sentence_words * is_kind,
                                                    minlength=count))
    sources = _main_sources(documents, credits)
    shares["source_article_id"] = sources["source_article_id"].to_numpy()
    shares["source_outlet"] = sources["source_outlet"].to_numpy()
    shares["wire_agencies"] = _article_agencies(documents, cues)
    shares["is_copy"] = (shares["copied_share"] >= collapse_share) & sources["source_outlet"].notna()
    shares["collapsed_into"] = _collapse(documents, shares, sources["source_index"].to_numpy())
    shares["added_sentences"] = np.bincount(
        article, weights=(sentences["kind"] == "unique").to_numpy(), minlength=count).astype(np.int64)
    return shares[list(SHARE_COLUMNS)].reset_index(drop=True)


def story_summary(documents: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """One row per story (:data:`SUMMARY_COLUMNS`); shares are word-weighted over its articles.

    first_article_id/first_outlets/first_date need at least one dated article
    (null or empty otherwise); span_days = last_date - first_date.
    """
    frame = shares.assign(day=documents["day"].to_numpy(), outlet_key=documents["outlet_key"].to_numpy())
    grouped = frame.groupby("story_id", sort=False)
    summary = grouped.agg(
        articles=("article_id", "size"), outlets=("outlet_key", "nunique"),
        independent_outlets=("collapsed_into", "nunique"),
        first_day=("day", "min"), last_day=("day", "max"), total_words=("words", "sum"),
    )
    # Sets per story in plain dicts: a Python function per group would cost a pandas
    # round trip per story.
    story_ids = frame["story_id"].tolist()
    sources = _sorted_union(story_ids, ([value] for value in frame["collapsed_into"].tolist()))
    summary["independent_sources"] = [sources[story_id] for story_id in summary.index]
    agencies = _sorted_union(story_ids, frame["wire_agencies"].tolist())
    summary["wire_agencies"] = [agencies[story_id] for story_id in summary.index]
    summary["undated_articles"] = frame["day"].isna().groupby(frame["story_id"], sort=False).sum()
    for name in ("copied", *KINDS):
        weighted = (frame[f"{name}_share"] * frame["words"]).groupby(frame["story_id"], sort=False).sum()
        summary[f"{name}_share"] = np.round(weighted / summary["total_words"].clip(lower=1), 4)
    first_rows = frame[frame["day"].notna() & (frame["day"] == frame.groupby("story_id")["day"].transform("min"))]
    first_outlets = _sorted_union(first_rows["story_id"].tolist(),
                                  ([value] for value in first_rows["outlet_key"].tolist()))
    summary["first_outlets"] = [first_outlets.get(story_id, []) for story_id in summary.index]
    first_ids = first_rows.groupby("story_id")["article_id"].first().to_dict()
    summary["first_article_id"] = pd.Series(
        [first_ids.get(story_id) for story_id in summary.index], index=summary.index, dtype=object)
    summary["first_date"] = _iso(summary["first_day"])
    summary["last_date"] = _iso(summary["last_day"])
    summary["span_days"] = (summary["last_day"] - summary["first_day"]).dt.days.astype("Int64")
    return summary.reset_index()[list(SUMMARY_COLUMNS)]


def _sorted_union(keys: list[str], value_lists: Iterable[Iterable[str]]) -> dict[str, list[str]]:
    """key -> sorted distinct values of all the lists given for that key."""
    union: dict = {}
    for key, values in zip(keys, value_lists):
        union.setdefault(key, set()).update(values)
    return {key: sorted(values) for key, values in union.items()}


def _iso(days: pd.Series) -> list[str | None]:
    return [None if pd.isna(day) else day.date().isoformat() for day in days]


def _lag_days(documents: pd.DataFrame) -> pd.Series:
    first = documents.groupby("story_id")["day"].transform("min")
    return (documents["day"] - first).dt.days.astype("Int64")


def _main_sources(documents: pd.DataFrame, credits: pd.DataFrame) -> pd.DataFrame:
    """Per article, the source it copied most n-grams from.

    Columns: source_index (article index or -1), source_article_id (or null),
    source_outlet (that article's outlet, the agency of the article's own cue
    when source_index is -1, null when nothing was copied).
    """
    result = pd.DataFrame({"source_index": np.full(len(documents), -1, dtype=np.int64),
                           "source_article_id": pd.Series([None] * len(documents), dtype=object),
                           "source_outlet": pd.Series([None] * len(documents), dtype=object)})
    if credits.empty:
        return result
    best = credits.sort_values(["article", "grams", "source"], ascending=[True, False, False])
    best = best.drop_duplicates("article")
    rows, source = best["article"].to_numpy(), best["source"].to_numpy()
    result.loc[rows, "source_index"] = source
    article_ids = documents["article_id"].to_numpy(dtype=object)
    outlet_keys = documents["outlet_key"].to_numpy(dtype=object)
    cue_agencies = documents["cue_agency"].to_numpy(dtype=object)
    result.loc[rows, "source_article_id"] = [article_ids[s] if s >= 0 else None for s in source]
    result.loc[rows, "source_outlet"] = [
        outlet_keys[s] if s >= 0 else cue_agencies[row] for row, s in zip(rows, source, strict=True)]
    return result


def _article_agencies(documents: pd.DataFrame, cues: pd.DataFrame) -> list[list[str]]:
    """Agencies named by each article's strong cues, plus its own outlet's agency."""
    strong = cues[cues["kind"].isin(STRONG_CUE_KINDS)]
    by_article: dict[str, set[str]] = {}
    for article_id, agency in zip(strong["article_id"].tolist(), strong["agency"].tolist()):
        by_article.setdefault(article_id, set()).add(agency)
    return [
        sorted(by_article.get(article_id, set()) | ({agency} if isinstance(agency, str) else set()))
        for article_id, agency in zip(documents["article_id"].tolist(),
                                      documents["wire_agency"].tolist(), strict=True)
    ]


def _collapse(documents: pd.DataFrame, shares: pd.DataFrame, source_index: np.ndarray) -> list[str]:
    """The independent source each article counts under: its own outlet, or for a copy
    the source it copied most from, followed through chains of copies."""
    outlet_key = documents["outlet_key"].to_numpy(dtype=object)
    is_copy = shares["is_copy"].to_numpy()
    source_outlet = shares["source_outlet"].to_numpy(dtype=object)
    resolved: list[str] = []
    for index in range(len(documents)):
        current, seen = index, {index}
        while is_copy[current] and source_index[current] >= 0 and source_index[current] not in seen:
            current = source_index[current]
            seen.add(current)
        resolved.append(source_outlet[current] if is_copy[current] and source_index[current] < 0
                        else outlet_key[current])
    return resolved
