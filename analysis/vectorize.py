"""TF-IDF vectors of the articles, fitted once per corpus version.

Every row is l2-normalised, so the sparse dot product of two rows *is* their
cosine similarity, in [0, 1] because all weights are non-negative::

    count(t, d) = count in body + title_weight · count in title
    tf(t, d)    = 1 + ln(max(count(t, d), 1))     (sublinear_tf, else count)
    idf(t)      = ln((1 + n) / (1 + df(t))) + 1
    words(d)    = l2(tf · idf)
    vector(d)   = l2([words(d), char_weight · chars(d)])   (chars only when enabled)

The idf is fitted on title and body together. ``Vectors.matrix`` has shape
(n_articles, n_columns); the first ``len(word_terms)`` columns are words or
word n-grams (used for explanations), the rest character n-grams.

Fitting is the expensive step, so :func:`vectors_for` keeps the fitted result
in memory per (store file, articles version, options): every view of one
corpus version shares it, and any change to the articles' text makes the
next call refit. The matrix itself is not persisted (it is cheap to rebuild
compared to the analyses built on it, which persist their own results, see
:mod:`analysis.stories`), but its vocabulary and idf are:
:func:`article_vectors` weighs the articles of one story with them, so a
restarted dashboard shows a story without fitting the whole corpus.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from analysis.derived import (
    MemoryCache,
    numbers_from_json,
    numbers_to_json,
    read_stored,
    save,
    words_from_json,
    words_to_json,
)
from analysis.errors import UsageError
from analysis.store import Store, store_key

logger = logging.getLogger(__name__)

CACHE_ENTRIES = 2
MODEL_NAME = "tfidf_model"
# Texts split into word runs at a time: enough for pandas to number the runs fast, few
# enough that their strings never hold much memory.
COUNT_CHUNK_TEXTS = 2000
# From this many texts (titles count as texts), n_jobs > 1 splits them in worker processes.
PARALLEL_MIN_TEXTS = 8000
# Reporting words found in nearly every news text: they would top every label.
NEWS_STOP_WORDS = frozenset({
    "said", "says", "say", "saying", "told", "tell", "tells", "according", "also", "would",
    "could", "reported", "reports", "mr", "mrs", "ms",
})
# Words and numbers of two or more characters, apostrophes inside words kept
# ("Ukraine’s" → "ukraine’s" is one token, then its possessive is dropped).
TOKEN_PATTERN = r"(?u)\b\w[\w'’]*\w\b"
_WORD_RUN = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class TfidfOptions:
    """How articles become vectors. All fields are keyword options with defaults.

    ``min_df``/``max_df`` follow scikit-learn: an int is a document count, a
    float a fraction of documents. ``max_df`` only applies from
    ``max_df_min_articles`` articles on, because in a handful of articles
    that all cover one event the key terms are in most of them.
    """

    ngram_range: tuple[int, int] = (1, 1)
    sublinear_tf: bool = True
    min_df: int | float = 1
    max_df: float = 0.5
    max_df_min_articles: int = 50
    stop_words: str | None = "english"
    char_ngram_range: tuple[int, int] | None = None
    char_weight: float = 0.5
    title_weight: float = 1.0

    def __post_init__(self) -> None:
        low, high = self.ngram_range
        if not 1 <= low <= high <= 3:
            raise UsageError(f"ngram_range {self.ngram_range} must satisfy 1 <= low <= high <= 3")
        if self.char_ngram_range is not None:
            low, high = self.char_ngram_range
            if not 2 <= low <= high <= 8:
                raise UsageError(
                    f"char_ngram_range {self.char_ngram_range} must satisfy 2 <= low <= high <= 8")
        if not 0.0 < self.max_df <= 1.0:
            raise UsageError(f"max_df {self.max_df} must be in (0, 1]")
        if self.title_weight < 0 or self.char_weight < 0:
            raise UsageError("title_weight and char_weight must be >= 0")
        if self.stop_words not in (None, "english"):
            raise UsageError(f"stop_words {self.stop_words!r}: choose 'english' or None")


@dataclass(frozen=True)
class Vectors:
    """Fitted TF-IDF rows of a corpus, one per article, in store order."""

    ids: tuple[str, ...]
    matrix: sp.csr_matrix
    word_terms: np.ndarray
    idf: np.ndarray
    options: TfidfOptions
    index: dict[str, int] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            object.__setattr__(self, "index", {value: row for row, value in enumerate(self.ids)})

    @property
    def word_matrix(self) -> sp.csr_matrix:
        """The word columns only: what explanations name."""
        return self.matrix[:, : len(self.word_terms)]

    def rows(self, article_ids) -> np.ndarray:
        """Row numbers of ``article_ids``; raises KeyError for an unknown id."""
        return np.array([self.index[article_id] for article_id in article_ids], dtype=np.int64)


def fit_vectors(articles: pd.DataFrame, options: TfidfOptions = TfidfOptions(), *,
                n_jobs: int = 1) -> Vectors:
    """Fit TF-IDF on ``articles`` (columns id, title, body) and return its rows.

    Text is tokenised once: bodies and titles are counted in one pass, and
    document frequencies, idf and weights are computed from those counts.
    ``n_jobs > 1`` splits a large corpus's text into words in that many
    worker processes (the same vectors).
    """
    ids = tuple(str(value) for value in articles["id"])
    bodies = _texts(articles["body"])
    titles = _texts(articles["title"]) if "title" in articles else [""] * len(ids)
    terms, counts = _counts(bodies + titles, options, n_jobs)
    n_articles = len(ids)
    body_counts, title_counts = counts[:n_articles], counts[n_articles:]
    document_frequency = np.bincount((body_counts + title_counts).tocsr().indices,
                                     minlength=counts.shape[1])
    kept = _kept_terms(document_frequency, n_articles, options)
    if not kept.any():
        # Every word was a stop word or the corpus is empty: no shared vocabulary.
        logger.info("no vocabulary in %d articles; every similarity is 0", n_articles)
        return Vectors(ids, sp.csr_matrix((n_articles, 0), dtype=np.float32),
                       np.array([], dtype=object), np.array([], dtype=np.float32), options)
    idf = (np.log((1 + n_articles) / (1 + document_frequency[kept])) + 1).astype(np.float32)
    matrix = _weighted(body_counts[:, kept], title_counts[:, kept], idf, options)
    if options.char_ngram_range is not None and options.char_weight > 0:
        chars = _char_matrix(bodies, titles, options)
        matrix = normalize(sp.hstack([matrix, options.char_weight * chars], format="csr"))
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    matrix.sort_indices()
    return Vectors(ids, matrix, terms[kept], idf, options)


def _texts(values: pd.Series) -> list[str]:
    """Strings as they are, anything else (None, NaN) as empty: no copy into Arrow strings."""
    return [value if isinstance(value, str) else "" for value in values]


def _weighted(body_counts, title_counts, idf: np.ndarray, options: TfidfOptions) -> sp.csr_matrix:
    """l2-normalised tf · idf rows from body and title counts over the kept terms."""
    merged = body_counts
    if options.title_weight > 0:
        merged = merged + options.title_weight * title_counts
    merged = sp.csr_matrix(merged)
    if options.sublinear_tf:
        merged.data = 1.0 + np.log(np.maximum(merged.data, 1.0))
    return normalize(merged @ sp.diags(idf))


def _counts(texts: list[str], options: TfidfOptions, n_jobs: int = 1) -> tuple[np.ndarray, sp.csr_matrix]:
    """(terms, counts): the sorted vocabulary and a texts × terms count matrix, exactly
    as scikit-learn's CountVectorizer with :func:`_shared_token_options` gives them."""
    if options.ngram_range == (1, 1):
        return _word_counts(texts, frozenset(_shared_token_options(options)["stop_words"] or ()), n_jobs)
    counter = CountVectorizer(**_shared_token_options(options))
    try:
        counts = sp.csr_matrix(counter.fit_transform(texts), dtype=np.float32)
    except ValueError:  # no token at all in these texts
        return np.array([], dtype=object), sp.csr_matrix((len(texts), 0), dtype=np.float32)
    return counter.get_feature_names_out(), counts


def _word_counts(texts: list[str], stop_words: frozenset[str],
                 n_jobs: int = 1) -> tuple[np.ndarray, sp.csr_matrix]:
    """Single-word counts without CountVectorizer's per-token Python loop.

    A maximal run of word characters and apostrophes holds at most one token
    of :data:`TOKEN_PATTERN`: the run without the apostrophes at its ends,
    when two or more characters are left. So each chunk of texts is split into
    runs by a simpler regex (in ``n_jobs`` worker processes on a large
    corpus) and the runs are numbered by ``pandas.factorize``; only the
    distinct runs of a chunk are trimmed and checked against the stop words
    in Python. The chunks' words are then numbered together.
    """
    chunks = [texts[start:start + COUNT_CHUNK_TEXTS] for start in range(0, len(texts), COUNT_CHUNK_TEXTS)]
    if n_jobs > 1 and len(texts) >= PARALLEL_MIN_TEXTS:
        parts = Parallel(n_jobs=n_jobs)(delayed(_chunk_words)(chunk, stop_words) for chunk in chunks)
    else:
        parts = [_chunk_words(chunk, stop_words) for chunk in chunks]
    codes_of_chunk_words, vocabulary = pd.factorize(
        np.fromiter(itertools.chain.from_iterable(part.words for part in parts), dtype=object,
                    count=sum(len(part.words) for part in parts)), sort=True)
    offsets = np.cumsum([0, *(len(part.words) for part in parts)])
    column = np.concatenate([np.zeros(0, np.int64), *(
        codes_of_chunk_words[offset + part.codes] for part, offset in zip(parts, offsets[:-1], strict=True))])
    lengths = np.concatenate([np.zeros(0, np.int64), *(part.lengths for part in parts)])
    counts = sp.csr_matrix(
        (np.ones(len(column), dtype=np.float32), (np.repeat(np.arange(len(texts)), lengths), column)),
        shape=(len(texts), len(vocabulary)))
    counts.sum_duplicates()
    return np.asarray(vocabulary, dtype=object), counts


@dataclass(frozen=True)
class _ChunkWords:
    """A chunk of texts as its tokens: each one's code into ``words`` (the chunk's
    distinct tokens, in order of first use), and the number of tokens of each text."""

    codes: np.ndarray
    words: list[str]
    lengths: np.ndarray


def _chunk_words(texts: list[str], stop_words: frozenset[str]) -> _ChunkWords:
    runs = [_WORD_RUN.findall(_strip_possessive(text)) for text in texts]
    text_of_run = np.repeat(np.arange(len(texts)), np.fromiter(map(len, runs), dtype=np.int64, count=len(runs)))
    run_codes, distinct_runs = pd.factorize(np.fromiter(itertools.chain.from_iterable(runs), dtype=object,
                                                        count=len(text_of_run)))
    words = [run.strip("'’") for run in distinct_runs.tolist()]
    is_token = np.fromiter((len(word) >= 2 and word not in stop_words for word in words), dtype=bool,
                           count=len(words))
    word_of_run = np.where(is_token, np.cumsum(is_token) - 1, -1)[run_codes]
    kept = word_of_run >= 0
    # int32 codes: half the bytes to send back from a worker process.
    return _ChunkWords(codes=word_of_run[kept].astype(np.int32),
                       words=[word for word, token in zip(words, is_token, strict=True) if token],
                       lengths=np.bincount(text_of_run[kept], minlength=len(texts)))


def _kept_terms(document_frequency: np.ndarray, n_articles: int, options: TfidfOptions) -> np.ndarray:
    """Terms within ``min_df``/``max_df`` (int: articles, float: share of articles)."""
    def as_count(value):
        return value if isinstance(value, int) else value * n_articles

    kept = (document_frequency >= min(as_count(options.min_df), max(n_articles, 1))) & (document_frequency > 0)
    if n_articles >= options.max_df_min_articles:
        kept &= document_frequency <= as_count(options.max_df)
    return kept


def _shared_token_options(options: TfidfOptions) -> dict:
    stop_words = None
    if options.stop_words == "english":
        stop_words = sorted(ENGLISH_STOP_WORDS | NEWS_STOP_WORDS)
    return {"lowercase": True, "token_pattern": TOKEN_PATTERN, "preprocessor": _strip_possessive,
                "ngram_range": options.ngram_range, "stop_words": stop_words, "dtype": np.float32}


def _strip_possessive(text: str) -> str:
    return text.lower().replace("’s ", " ").replace("'s ", " ")


def _char_matrix(bodies: list[str], titles: list[str], options: TfidfOptions) -> sp.csr_matrix:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=options.char_ngram_range,
                                 sublinear_tf=options.sublinear_tf, min_df=1, dtype=np.float32)
    try:
        return vectorizer.fit_transform([f"{title}\n{body}" for title, body in zip(titles, bodies)])
    except ValueError:
        return sp.csr_matrix((len(bodies), 0), dtype=np.float32)


# -- per-version cache -------------------------------------------------------

_cache = MemoryCache(entries=CACHE_ENTRIES)


def vectors_for(store: Store, options: TfidfOptions = TfidfOptions(), *, n_jobs: int = 1) -> Vectors:
    """The store's vectors, fitted at most once per version of its articles
    (``n_jobs``: see :func:`fit_vectors`).

    Keyed on :meth:`Store.articles_version`, which moves with every change to
    a title, body, date or outlet (or articles added or removed) but not with
    writes that leave the text alone, such as story edits. The fitted
    vocabulary and idf are saved in the store, so :func:`article_vectors`
    can weigh a few articles later without fitting the corpus again.
    """
    articles_version = store.articles_version()
    key = (store_key(store), articles_version, options)
    vectors = _cache.get(key)
    if vectors is not None:
        return vectors
    vectors = fit_vectors(store.article_fields(["id", "title", "body"]), options, n_jobs=n_jobs)
    if _can_weigh_alone(options):
        save(store, MODEL_NAME, repr(options), articles_version,
             {"terms": words_to_json(vectors.word_terms), "idf": numbers_to_json(vectors.idf)})
    _cache.put(key, vectors)
    return vectors


def article_vectors(store: Store, article_ids, options: TfidfOptions = TfidfOptions()) -> sp.csr_matrix:
    """The rows of ``vectors_for(store)`` for ``article_ids`` (in that order).

    From the fitted vectors when this process has them; else, when the store
    holds the vocabulary and idf of its current articles, by counting just
    these articles (the same numbers, at the cost of a few articles instead
    of the whole corpus); else by fitting the corpus.
    """
    article_ids = [str(article_id) for article_id in article_ids]
    articles_version = store.articles_version()
    fitted = _cache.get((store_key(store), articles_version, options))
    model = None
    if fitted is None:
        model = _stored_model(store, options, articles_version)
    if model is None:
        fitted = fitted or vectors_for(store, options)
        return fitted.matrix[fitted.rows(article_ids)]
    found = store.article_fields(["id", "title", "body"], ids=article_ids).set_index("id")
    missing = [article_id for article_id in article_ids if article_id not in found.index]
    if missing:
        raise KeyError(missing[0])
    found = found.loc[article_ids]
    terms = np.array(words_from_json(model["terms"]), dtype=object)
    if len(terms) == 0:
        return sp.csr_matrix((len(article_ids), 0), dtype=np.float32)
    counter = CountVectorizer(vocabulary=terms, **_shared_token_options(options))
    body_counts = sp.csr_matrix(counter.transform(_texts(found["body"])), dtype=np.float32)
    title_counts = sp.csr_matrix(counter.transform(_texts(found["title"])), dtype=np.float32)
    matrix = sp.csr_matrix(_weighted(body_counts, title_counts, numbers_from_json(model["idf"]).astype(np.float32),
                                     options), dtype=np.float32)
    matrix.sort_indices()
    return matrix


def stored_vocabulary(store: Store, options: TfidfOptions = TfidfOptions()) -> np.ndarray | None:
    """The word terms saved by the last fit of the store's current articles, or None."""
    model = _stored_model(store, options, store.articles_version())
    return None if model is None else np.array(words_from_json(model["terms"]), dtype=object)


def _stored_model(store: Store, options: TfidfOptions, articles_version: int) -> dict | None:
    if not _can_weigh_alone(options):
        return None
    return read_stored(store, MODEL_NAME, repr(options), articles_version)


def _can_weigh_alone(options: TfidfOptions) -> bool:
    """Character n-grams have an idf of their own that is not stored: those need the full fit."""
    return options.char_ngram_range is None or options.char_weight == 0


def clear_cache() -> None:
    _cache.clear()
