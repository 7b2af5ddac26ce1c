"""Per-outlet statistics: small per-article measurements, aggregated per outlet.

:func:`article_measures` measures each article on its own (one row per
article). :func:`outlet_statistics` aggregates them per outlet and joins
what other analyses know about the same articles, each an optional frame
keyed by ``article_id``: story memberships (:mod:`analysis.stories`),
quotes (:mod:`analysis.quotes`) and copied shares (:mod:`analysis.passages`).
A column whose input is missing is null, never a made-up zero.

Columns of :func:`outlet_statistics` (:data:`OUTLET_COLUMNS`):

- ``outlet``: the outlet name (``"(unknown outlet)"`` for articles without one, as in
  :mod:`analysis.stories`).
- ``articles``: number of its articles.
- ``words``: total words (whitespace-separated tokens of the clean body).
- ``median_words``: median words per article.
- ``mean_sentence_words``: mean sentence length in words, pooled over its
  articles: Σ words / Σ sentences (sentences by
  :func:`analysis.readability.count_sentences`).
- ``readability``: mean over its articles of Flesch reading ease (higher is
  easier; see :mod:`analysis.readability` for the formula and sampling).
- ``tone``: mean over its articles of the lead's tone, VADER compound in
  [−1, 1] (see :mod:`analysis.tone`).
- ``quotes_per_1000_words``: 1,000 × its direct and partial quotes (scare
  quotes excluded) / its words.
- ``distinct_speakers``: distinct named speakers of those quotes.
- ``copied_share``: mean over its articles in stories (as defined under
  ``stories``) of the fraction of the article's words copied from an earlier
  article of another outlet or a wire agency (:mod:`analysis.passages`).
- ``stories``: distinct stories it covers. A story here is a group of
  articles from at least two outlets; one outlet's lone article is no story.
- ``attention``: its share of own articles that cover a story ÷ the same
  share over the whole corpus — of the chosen story when one is given
  (``story_id``), of any story otherwise. 1 is average attention; 2 means
  it gives the story twice the share of its output that the corpus does.
- ``lag_days``: median over the stories it covers of the days between the
  story's first dated article and the outlet's first dated article in it
  (0 = it was among the first to report).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from analysis.errors import UsageError
from analysis.readability import ReadabilityOptions, SyllableCounter, readability
from analysis.tone import ToneOptions, lead_tone
from analysis.workers import even_parts

log = logging.getLogger(__name__)

UNKNOWN_OUTLET = "(unknown outlet)"
MEASURE_COLUMNS = [
    "article_id", "outlet", "date", "words", "sentences", "syllables_per_word",
    "flesch_reading_ease", "tone",
]
OUTLET_COLUMNS = [
    "outlet", "articles", "words", "median_words", "mean_sentence_words", "readability", "tone",
    "quotes_per_1000_words", "distinct_speakers", "copied_share", "stories", "attention",
    "lag_days",
]
ATTENTION_COLUMNS = [
    "story_id", "outlet", "articles", "outlet_share", "corpus_share", "attention",
    "first_date", "lag_days",
]
COUNTED_QUOTE_KINDS = ("direct", "partial")
# Below this many articles, starting worker processes costs more than it saves.
PARALLEL_MIN_ARTICLES = 2000


@dataclass(frozen=True)
class StatsOptions:
    readability: ReadabilityOptions = field(default_factory=ReadabilityOptions)
    tone: ToneOptions = field(default_factory=ToneOptions)


def article_measures(
    articles: pd.DataFrame, *, options: StatsOptions = StatsOptions(), n_jobs: int = 1,
) -> pd.DataFrame:
    """One row per article (:data:`MEASURE_COLUMNS`).

    ``articles`` needs ``id`` and ``body``; ``outlet``, ``date`` (ISO) and
    ``words`` are used when present. ``sentences`` and
    ``flesch_reading_ease`` follow :mod:`analysis.readability`
    (``syllables_per_word`` is its sample estimate); ``tone`` follows
    :mod:`analysis.tone`. ``n_jobs > 1`` measures in worker processes.
    """
    missing = {"id", "body"} - set(articles.columns)
    if missing:
        raise UsageError(f"articles need columns id and body; missing {sorted(missing)}")
    bodies = [body if isinstance(body, str) else "" for body in articles["body"]]
    words = articles["words"].tolist() if "words" in articles.columns else [None] * len(bodies)
    if n_jobs > 1 and len(bodies) >= PARALLEL_MIN_ARTICLES:
        parts = Parallel(n_jobs=n_jobs)(
            delayed(_measure)(bodies[part], words[part], options)
            for part in even_parts(len(bodies), n_jobs))
        measured = pd.concat(parts, ignore_index=True)
    else:
        measured = _measure(bodies, words, options)
    measured.insert(0, "article_id", articles["id"].astype(str).to_numpy())
    measured.insert(1, "outlet", _outlets(articles))
    measured.insert(2, "date", articles["date"].to_numpy() if "date" in articles.columns else None)
    return measured[MEASURE_COLUMNS]


def _measure(bodies: list[str], words: list, options: StatsOptions) -> pd.DataFrame:
    counter = SyllableCounter()
    rows = []
    for body, known_words in zip(bodies, words):
        counts = readability(body, counter=counter, options=options.readability,
                             words=None if known_words is None else int(known_words))
        rows.append((
            counts.words, counts.sentences,
            counts.sample_syllables / counts.sample_words if counts.sample_words else np.nan,
            counts.flesch_reading_ease, lead_tone(body, options=options.tone),
        ))
    return pd.DataFrame(rows, columns=["words", "sentences", "syllables_per_word",
                                       "flesch_reading_ease", "tone"]).astype(
        {"words": "int64", "sentences": "int64"})


def _outlets(articles: pd.DataFrame) -> np.ndarray:
    if "outlet" not in articles.columns:
        return np.full(len(articles), UNKNOWN_OUTLET, dtype=object)
    return articles["outlet"].astype(object).where(articles["outlet"].notna(), UNKNOWN_OUTLET).to_numpy()


def outlet_statistics(
    measures: pd.DataFrame, *, memberships: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None, copied: pd.DataFrame | None = None,
    story_id: str | None = None, corpus: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per outlet (:data:`OUTLET_COLUMNS`, defined in the module docstring).

    ``measures`` comes from :func:`article_measures`. Optional inputs, each
    keyed by ``article_id``: ``memberships`` (``story_id``), ``quotes``
    (``speaker``, ``kind``), ``copied`` (``copied_share``); the columns
    they feed are null without them. With ``story_id`` only that story's
    articles are aggregated. ``corpus`` (``article_id``, ``outlet``,
    ``date``; default ``measures``) is what attention is normalised by.
    """
    corpus = measures if corpus is None else corpus
    scope = measures
    if story_id is not None:
        scope = measures[measures["article_id"].isin(_story_ids(memberships, story_id))]
    grouped = scope.groupby("outlet", sort=True)
    sentences = grouped["sentences"].sum()
    frame = pd.DataFrame({
        "articles": grouped.size(),
        "words": grouped["words"].sum(),
        "median_words": grouped["words"].median(),
        "mean_sentence_words": grouped["words"].sum() / sentences.where(sentences > 0),
        "readability": grouped["flesch_reading_ease"].mean(),
        "tone": grouped["tone"].mean(),
    })
    frame = frame.join(_quote_columns(scope, quotes, frame["words"]))
    frame["copied_share"] = _copied_share(scope, copied)
    frame = frame.join(_story_columns(corpus, memberships, story_id))
    return frame.rename_axis("outlet").reset_index()[OUTLET_COLUMNS]


def story_attention(corpus: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """One row per (story, outlet covering it) (:data:`ATTENTION_COLUMNS`).

    ``corpus`` has ``article_id``, ``outlet``, ``date`` for every article;
    ``memberships`` has ``story_id``, ``article_id``. ``articles``: the
    outlet's articles in the story; ``outlet_share``: those / all the
    outlet's articles; ``corpus_share``: the story's articles / all
    articles; ``attention`` = outlet_share / corpus_share; ``first_date``:
    the outlet's first dated article in the story; ``lag_days``: days from
    the story's first dated article to it (null when either is undated).
    """
    corpus = corpus[["article_id", "outlet", "date"]].assign(
        date=lambda frame: pd.to_datetime(frame["date"], format="ISO8601", errors="coerce"))
    members = memberships[["story_id", "article_id"]].astype({"article_id": str}).merge(
        corpus, on="article_id", how="inner")
    if members.empty:
        return pd.DataFrame(columns=ATTENTION_COLUMNS)
    outlet_totals = corpus.groupby("outlet").size()
    story_sizes = members.groupby("story_id").size()
    per_outlet = members.groupby(["story_id", "outlet"]).agg(
        articles=("article_id", "size"), first_date=("date", "min")).reset_index()
    per_outlet["outlet_share"] = per_outlet["articles"] / per_outlet["outlet"].map(outlet_totals)
    per_outlet["corpus_share"] = per_outlet["story_id"].map(story_sizes) / len(corpus)
    per_outlet["attention"] = per_outlet["outlet_share"] / per_outlet["corpus_share"]
    story_first = per_outlet.groupby("story_id")["first_date"].transform("min")
    per_outlet["lag_days"] = (per_outlet["first_date"] - story_first).dt.days
    per_outlet["first_date"] = per_outlet["first_date"].dt.strftime("%Y-%m-%d")
    return per_outlet[ATTENTION_COLUMNS]


def _story_ids(memberships: pd.DataFrame | None, story_id: str) -> pd.Series:
    from analysis.errors import UnknownIdError

    if memberships is None:
        raise UsageError("statistics of one story need story memberships (analysis.stories)")
    ids = memberships.loc[memberships["story_id"].astype(str) == str(story_id), "article_id"]
    if ids.empty:
        raise UnknownIdError(f"no story with id {story_id!r}")
    return ids.astype(str)


def _quote_columns(scope: pd.DataFrame, quotes: pd.DataFrame | None, words: pd.Series) -> pd.DataFrame:
    if quotes is None:
        return pd.DataFrame({"quotes_per_1000_words": np.nan, "distinct_speakers": np.nan},
                            index=words.index)
    counted = quotes[quotes["article_id"].astype(str).isin(scope["article_id"])]
    if "kind" in counted.columns:
        counted = counted[counted["kind"].isin(COUNTED_QUOTE_KINDS)]
    outlet_of = scope.set_index("article_id")["outlet"]
    outlets = counted["article_id"].astype(str).map(outlet_of)
    quote_counts = outlets.value_counts().reindex(words.index, fill_value=0)
    speakers = counted["speaker"].where(counted["speaker"].notna())
    distinct = speakers.groupby(outlets).nunique().reindex(words.index, fill_value=0)
    return pd.DataFrame({
        "quotes_per_1000_words": 1000.0 * quote_counts / words.where(words > 0),
        "distinct_speakers": distinct.astype("int64"),
    })


def _copied_share(scope: pd.DataFrame, copied: pd.DataFrame | None) -> pd.Series:
    if copied is None:
        return pd.Series(np.nan, index=pd.Index(sorted(scope["outlet"].unique()), name="outlet"))
    shares = scope[["article_id", "outlet"]].merge(
        copied[["article_id", "copied_share"]].astype({"article_id": str}), on="article_id")
    return shares.groupby("outlet")["copied_share"].mean()


def _story_columns(corpus: pd.DataFrame, memberships: pd.DataFrame | None,
                   story_id: str | None) -> pd.DataFrame:
    columns = ["stories", "attention", "lag_days"]
    if memberships is None:
        return pd.DataFrame(columns=columns, dtype=float)
    attention = story_attention(corpus, memberships)
    if story_id is not None:
        chosen = attention[attention["story_id"].astype(str) == str(story_id)]
        return chosen.set_index("outlet").assign(stories=1)[columns]
    outlets_per_story = attention.groupby("story_id")["outlet"].transform("size")
    shared = attention[outlets_per_story >= 2]
    in_story = memberships.loc[memberships["story_id"].isin(shared["story_id"]), "article_id"]
    covering = corpus[corpus["article_id"].isin(in_story.astype(str))]
    outlet_share = covering.groupby("outlet").size() / corpus.groupby("outlet").size()
    corpus_share = len(covering) / len(corpus) if len(corpus) else np.nan
    grouped = shared.groupby("outlet")
    outlets = pd.Index(sorted(corpus["outlet"].unique()), name="outlet")
    return pd.DataFrame({
        "stories": grouped["story_id"].nunique().reindex(outlets, fill_value=0),
        "attention": outlet_share.reindex(outlets).fillna(0.0) / corpus_share
        if corpus_share else np.nan,
        "lag_days": grouped["lag_days"].median().reindex(outlets),
    }, index=outlets)[columns]


# -- from the store -------------------------------------------------------

PLUGINS = ("stories", "quotes", "copied")


def outlet_stats(
    store, *, story_id: str | None = None, options: StatsOptions = StatsOptions(),
    skip: tuple[str, ...] = (), n_jobs: int = 1, article_shares: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`outlet_statistics` for the articles of ``store`` (or of one story).

    Joins what the other analyses know when their modules are installed:
    story memberships (:mod:`analysis.stories`), quotes
    (:mod:`analysis.quotes`), copied shares (:mod:`analysis.passages`).
    ``skip`` names plug-ins (:data:`PLUGINS`) to leave out, e.g. to save
    time on a large corpus; their columns are then null. ``article_shares``
    of an alignment already made (:func:`analysis.passages.align_stories`
    over the same stories) saves computing the copied shares again.
    The whole corpus's statistics are kept in the store for its current
    articles and story edits (:mod:`analysis.derived`), and so is each
    article's measurement (:mod:`analysis.measures`): after an import only
    the new articles are measured.
    """
    unknown = set(skip) - set(PLUGINS)
    if unknown:
        raise UsageError(f"cannot skip {sorted(unknown)}; choose from {', '.join(PLUGINS)}")

    def compute() -> pd.DataFrame:
        return _store_stats(store, story_id, options, skip, n_jobs, article_shares)

    if story_id is not None:
        return compute()
    # The whole corpus takes minutes on tens of thousands of articles: kept in the store.
    from analysis.derived import frame_from_json, frame_to_json, remembered

    return remembered(store, "outlet_stats", _corpus_stats_key(store, options, skip), compute,
                      to_json=frame_to_json, from_json=frame_from_json).copy()


def _corpus_stats_key(store, options: StatsOptions, skip: tuple[str, ...]) -> str:
    """What the corpus statistics depend on besides the articles: options and story edits."""
    edits = "none"
    if "stories" not in skip and _available("analysis.stories", "stories"):
        from analysis.story_edits import edits_key, story_edits

        edits = edits_key(story_edits(store))
    return f"{options!r}|skip={sorted(skip)}|edits={edits}"


def _store_stats(store, story_id: str | None, options: StatsOptions, skip: tuple[str, ...],
                 n_jobs: int, article_shares: pd.DataFrame | None) -> pd.DataFrame:
    from analysis.measures import stored_measures

    corpus = store.article_fields(["id", "outlet", "date"])
    memberships = None if "stories" in skip else _plugin_memberships(store)
    scope_ids = None if story_id is None else list(_story_ids(memberships, story_id))
    with_quotes = "quotes" not in skip and _available(
        "analysis.quotes", "quotes_per_1000_words and distinct_speakers")
    measured = stored_measures(store, options=options, ids=scope_ids, with_quotes=with_quotes,
                               n_jobs=n_jobs)
    light = pd.DataFrame({"article_id": corpus["id"].astype(str), "outlet": _outlets(corpus),
                          "date": corpus["date"]})
    copied = None
    if "copied" not in skip:
        copied = (_plugin_copied(store, corpus, scope_ids, memberships) if article_shares is None
                  else _told_by_two_outlets(article_shares)[["article_id", "copied_share"]])
    return outlet_statistics(measured.measures, memberships=memberships, story_id=story_id,
                             corpus=light, quotes=measured.quotes, copied=copied)


def _available(module: str, columns: str) -> bool:
    from importlib.util import find_spec

    if find_spec(module) is None:
        log.warning("%s is not installed: %s are null", module, columns)
        return False
    return True


def _plugin_memberships(store) -> pd.DataFrame | None:
    if not _available("analysis.stories", "stories, attention and lag_days"):
        return None
    from analysis.stories import story_memberships

    return story_memberships(store)[["story_id", "article_id"]].astype({"article_id": str})


def _plugin_copied(store, corpus: pd.DataFrame, scope_ids: list[str] | None,
                   memberships: pd.DataFrame | None) -> pd.DataFrame | None:
    if memberships is None:
        log.warning("copied_share needs story memberships: null")
        return None
    if not _available("analysis.passages", "copied_share"):
        return None
    from analysis.passages import copied_shares

    scope = corpus if scope_ids is None else corpus[corpus["id"].isin(scope_ids)]
    in_stories = scope.assign(id=scope["id"].astype(str)).merge(
        memberships.drop_duplicates("article_id"), left_on="id", right_on="article_id")
    in_stories = _told_by_two_outlets(in_stories)
    if in_stories.empty:
        return pd.DataFrame(columns=["article_id", "copied_share"])
    # Only the bodies of stories told by two outlets or more are read.
    bodies = store.article_fields(["id", "body"], ids=in_stories["id"]).set_index("id")["body"]
    in_stories = in_stories.assign(body=in_stories["id"].map(bodies))
    # copied_shares gives the same figures as align_stories without sentences or paraphrases.
    shares = copied_shares(in_stories[["story_id", "id", "outlet", "date", "body"]])
    return shares[["article_id", "copied_share"]]


def _told_by_two_outlets(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of stories told by two outlets or more: a lone outlet has no one to copy from here."""
    return frame[frame.groupby("story_id")["outlet"].transform("nunique") >= 2]
