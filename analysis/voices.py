"""Voices in a story: who is quoted by which outlet, and one quote across outlets.

Everything here works on the tidy quote frame of :func:`analysis.quotes.extract_quotes`
(one story's articles, or any group of articles the caller chooses):

- :func:`canonical_speakers` / :func:`canonicalise_speakers` give each person
  one spelling across the group (Arachamia / Arakhamia) by fuzzy surname
  matching (rapidfuzz), keeping the article's own in ``speaker_as_written``;
- :func:`speakers_by_outlet` is the who-is-quoted × outlet table in long form,
  :func:`speaker_outlet_matrix` its pivot;
- :func:`quote_variants` groups the same quote as printed by different
  articles and says how each copy differs from the fullest one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import CountVectorizer

from analysis.errors import UsageError
from analysis.gazetteers import fold
from analysis.names import surname_key
from analysis.quotes import QuoteOptions, extract_quotes

SPEAKER_OUTLET_COLUMNS = ("speaker", "outlet", "quotes", "articles", "words")
VARIANT_COLUMNS = (
    "quote_group", "article_id", "outlet", "speaker", "text", "variant", "shared_share",
    "words", "quote_id",
)
VARIANTS = ("verbatim", "cut", "reworded")
SURNAME_SIMILARITY = 85.0
GIVEN_NAME_SIMILARITY = 75.0
SPOKEN_KINDS = ("direct", "partial")
ARTICLE_FIELDS = ("id", "outlet", "body")

_TOKEN = r"(?u)\b\w+\b"


@dataclass(frozen=True)
class VariantOptions:
    """When two quotes are the same quote.

    min_words         shorter quotes are never matched (scare quotes, "No.")
    min_shared_words  distinct words two quotes must share
    min_containment   shared distinct words / distinct words of the shorter quote
    cut_containment   a copy whose words are at least this share of the fullest
                      version's is a cut of it, else a rewording
    """

    min_words: int = 4
    min_shared_words: int = 4
    min_containment: float = 0.6
    cut_containment: float = 0.95

    def __post_init__(self) -> None:
        for name in ("min_containment", "cut_containment"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise UsageError(f"VariantOptions.{name} must be in (0, 1], not {value!r}")
        if self.min_words < 1 or self.min_shared_words < 1:
            raise UsageError("VariantOptions.min_words and min_shared_words must be ≥ 1")


def story_quotes(store, story_id: str | None = None, *,
                 options: QuoteOptions | None = None) -> pd.DataFrame:
    """The quotes of one story (or of the whole store), speakers made canonical in a story.

    Without ``story_id`` every article is read and speakers keep their
    article's spelling: merging spellings across unrelated stories would
    merge different people with similar names.
    """
    articles = store.article_fields(ARTICLE_FIELDS, ids=story_article_ids(store, story_id))
    quotes = extract_quotes(articles, options=options)
    return canonicalise_speakers(quotes) if story_id is not None else quotes


def story_article_ids(store, story_id: str | None) -> list[str] | None:
    """The story's article ids, or None (every article) without a story.

    Raises :class:`analysis.errors.UnknownIdError` for an unknown story and
    :class:`analysis.errors.UsageError` when story grouping is not installed.
    """
    if story_id is None:
        return None
    try:
        from analysis.stories import story_article_ids as member_ids
    except ModuleNotFoundError as error:
        raise UsageError("--story needs story grouping (analysis.stories), "
                         "which is not installed here") from error
    return [str(article_id) for article_id in member_ids(store, story_id)]


def canonicalise_speakers(quotes: pd.DataFrame) -> pd.DataFrame:
    """``quotes`` with one spelling per person in ``speaker``; see :func:`canonical_speakers`.

    Adds ``speaker_as_written`` (the article's own spelling) as the last column,
    so the contract's leading columns stay article_id, outlet, speaker, text.
    """
    # A spelling counts once per article, so one chatty article does not decide it.
    mapping = canonical_speakers(quotes.drop_duplicates(["article_id", "speaker"])["speaker"])
    result = quotes.copy()
    result["speaker_as_written"] = quotes["speaker"]
    result["speaker"] = quotes["speaker"].map(lambda name: mapping.get(name, name)
                                              if isinstance(name, str) else None)
    return result


def speakers_by_outlet(quotes: pd.DataFrame, *,
                       kinds: tuple[str, ...] = SPOKEN_KINDS) -> pd.DataFrame:
    """Who is quoted by which outlet: one row per (speaker, outlet) with a named speaker.

    Columns: speaker, outlet, quotes (count), articles (distinct articles
    quoting the speaker), words (quoted words). Only quotes of ``kinds`` count;
    scare quotes never have a speaker anyway. Sorted by quotes, descending.
    """
    spoken = quotes[quotes["speaker"].notna() & quotes["kind"].isin(kinds)]
    if spoken.empty:
        return pd.DataFrame(columns=list(SPEAKER_OUTLET_COLUMNS)).astype(
            {"quotes": "int64", "articles": "int64", "words": "int64"})
    grouped = spoken.assign(outlet=spoken["outlet"].fillna("(unknown outlet)")).groupby(
        ["speaker", "outlet"], sort=True)
    table = grouped.agg(quotes=("text", "size"), articles=("article_id", "nunique"),
                        words=("words", "sum")).reset_index()
    table = table.sort_values(["quotes", "speaker", "outlet"], ascending=[False, True, True],
                              kind="stable")
    return table[list(SPEAKER_OUTLET_COLUMNS)].reset_index(drop=True)


def speaker_outlet_matrix(counts: pd.DataFrame, *, value: str = "quotes") -> pd.DataFrame:
    """The pivot of :func:`speakers_by_outlet`: speakers × outlets, missing pairs 0.

    Rows are ordered by the speaker's total, columns by outlet name.
    """
    if value not in ("quotes", "articles", "words"):
        raise UsageError(f"value must be quotes, articles or words, not {value!r}")
    matrix = counts.pivot_table(index="speaker", columns="outlet", values=value,
                                aggfunc="sum", fill_value=0)
    order = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return matrix.loc[order].sort_index(axis=1).astype("int64")


def quote_variants(quotes: pd.DataFrame, *,
                   options: VariantOptions | None = None) -> pd.DataFrame:
    """The same quote in different articles, grouped, with how each copy differs.

    Words are folded and English stop words dropped, so "of the" does not make
    two quotes alike. Two quotes from different articles match when they share
    at least ``min_shared_words`` distinct words and

        containment = |words(a) ∩ words(b)| / min(|words(a)|, |words(b)|) ≥ min_containment

    (a cut-down copy is contained in the full one). Groups are the connected
    components of that relation; only groups spanning two or more articles
    are returned. Within a group, the copy with the most distinct words is
    the fullest; every copy is then

    - ``verbatim``: the same words as the fullest (or the fullest itself),
    - ``cut``: at least ``cut_containment`` of its words are in the fullest,
    - ``reworded``: otherwise.

    Columns: quote_group (0-based, largest group first), article_id, outlet,
    speaker, text, variant, shared_share (share of the copy's words found in
    the fullest copy), words, quote_id.
    """
    options = options or VariantOptions()
    candidates = quotes[quotes["words"] >= options.min_words].reset_index(drop=True)
    if len(candidates) < 2:
        return pd.DataFrame(columns=list(VARIANT_COLUMNS))
    vectorizer = CountVectorizer(binary=True, token_pattern=_TOKEN, preprocessor=fold,
                                 stop_words="english")
    try:
        words = vectorizer.fit_transform(candidates["text"]).tocsr()
    except ValueError:  # every text empty after tokenising
        return pd.DataFrame(columns=list(VARIANT_COLUMNS))
    sizes = np.asarray(words.sum(axis=1)).ravel()
    shared = (words @ words.T).tocoo()
    smaller = np.minimum(sizes[shared.row], sizes[shared.col])
    articles = candidates["article_id"].to_numpy()
    keep = ((shared.row != shared.col) & (articles[shared.row] != articles[shared.col])
            & (shared.data >= options.min_shared_words)
            & (shared.data >= options.min_containment * smaller))
    adjacency = shared.copy()
    adjacency.data = keep.astype(np.int8)
    adjacency.eliminate_zeros()
    _, labels = connected_components(adjacency, directed=False)
    return _label_variants(candidates, words, sizes, labels, options)


def _label_variants(candidates: pd.DataFrame, words, sizes: np.ndarray, labels: np.ndarray,
                    options: VariantOptions) -> pd.DataFrame:
    frame = candidates.assign(_group=labels, _size=sizes)
    spread = frame.groupby("_group")["article_id"].transform("nunique")
    frame = frame[spread >= 2]
    rows = []
    for key, group in frame.groupby("_group", sort=False):
        fullest = group["_size"].idxmax()
        overlap = np.asarray(words[group.index] @ words[fullest].T.toarray()).ravel()
        for (index, quote), common in zip(group.iterrows(), overlap, strict=True):
            share = float(common) / max(int(quote["_size"]), 1)
            same_words = common == quote["_size"] == sizes[fullest]
            if index == fullest or same_words:
                variant = "verbatim"
            elif share >= options.cut_containment:
                variant = "cut"
            else:
                variant = "reworded"
            rows.append((key, quote["article_id"], quote["outlet"], quote["speaker"],
                         quote["text"], variant, share, int(quote["words"]), quote["quote_id"]))
    result = pd.DataFrame(rows, columns=["_group", *VARIANT_COLUMNS[1:]])
    if result.empty:
        return pd.DataFrame(columns=list(VARIANT_COLUMNS))
    order = result.groupby("_group")["article_id"].transform("size")
    result = result.assign(_order=-order).sort_values(["_order", "_group", "article_id"],
                                                      kind="stable")
    result.insert(0, "quote_group", pd.factorize(result["_group"])[0].astype("int64"))
    return result[list(VARIANT_COLUMNS)].reset_index(drop=True)


def canonical_speakers(names: Iterable[str | None]) -> dict[str, str]:
    """One spelling per person: maps every name in ``names`` to its group's canonical name.

    Two full names are one person when their folded surnames have a rapidfuzz
    ratio ≥ :data:`SURNAME_SIMILARITY` and their given names agree (equal, one
    an initial of the other, or ratio ≥ :data:`GIVEN_NAME_SIMILARITY`). A bare
    surname joins a group only when exactly one group matches it. The
    canonical name is the most frequent full spelling (ties: the longer, then
    alphabetical). Comparisons are blocked by the surname's first letter.
    """
    counts = Counter(name for name in names if isinstance(name, str) and name.strip())
    full = sorted((name for name in counts if " " in name), key=lambda n: (-counts[n], n))
    parent = {name: name for name in counts}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    blocks: dict[str, list[str]] = defaultdict(list)
    for name in full:
        blocks[surname_key(name)[:1]].append(name)
    for block in blocks.values():
        for index, name in enumerate(block):
            for other in block[:index]:
                if _same_person(name, other):
                    parent[root(name)] = root(other)
    for name in counts:
        if " " not in name:
            matches = {root(other) for other in blocks.get(surname_key(name)[:1], [])
                       if _similar_surnames(name, other)}
            if len(matches) == 1:
                parent[name] = matches.pop()
    members: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        members[root(name)].append(name)
    mapping = {}
    for group in members.values():
        spelled = [name for name in group if " " in name] or group
        best = max(spelled, key=lambda name: (counts[name], len(name), [-ord(c) for c in name]))
        mapping.update({name: best for name in group})
    return mapping


def _similar_surnames(one: str, other: str) -> bool:
    return fuzz.ratio(surname_key(one), surname_key(other)) >= SURNAME_SIMILARITY


def _same_person(one: str, other: str) -> bool:
    if not _similar_surnames(one, other):
        return False
    given_one, given_other = fold(one.split()[0]).rstrip("."), fold(other.split()[0]).rstrip(".")
    if given_one == given_other:
        return True
    if len(given_one) == 1 or len(given_other) == 1:
        return given_one[0] == given_other[0]
    return fuzz.ratio(given_one, given_other) >= GIVEN_NAME_SIMILARITY
