"""Distinctive terms per outlet: log-odds ratios with an informative Dirichlet prior.

Each outlet ``i`` is compared with all other outlets together (``j``), for
any number of outlets, over a whole corpus or inside one story (Monroe,
Colaresi & Quinn 2008, "Fightin' Words", section 3.5). For a term ``w``:

    δ̂_w = log((y_wi + α_w) / (n_i + α_0 − y_wi − α_w))
          − log((y_wj + α_w) / (n_j + α_0 − y_wj − α_w))
    σ²(δ̂_w) ≈ 1 / (y_wi + α_w) + 1 / (y_wj + α_w)
    z_w = δ̂_w / σ(δ̂_w)

``y_wi`` counts ``w`` in outlet ``i``'s articles, ``n_i`` counts all its
terms of the same length (unigrams and bigrams are two separate
multinomials, each scored on its own); ``j`` is the rest. The prior is
informative: ``α_w = α_0 · b_w / B``, where ``b_w`` counts ``w`` in a
background corpus (by default the whole corpus, also when only one story is
compared) and ``B`` is the background total. ``α_0`` is
:attr:`TermOptions.prior_total`; by default it equals the number of terms
compared (``n_i + n_j``), so the prior weighs as much as the texts.

A positive ``z`` means outlet ``i`` uses the term more than the rest;
``|z| > 1.96`` is the usual 95 % line. Only positive, guarded terms are
reported (see :class:`TermOptions`). Terms are content words (no stop
words, see :mod:`analysis.tokens`) and bigrams of two adjacent content
words with no punctuation between them.

The scorer interface is one method, counts in and scores out:
:class:`LogOddsDirichletPrior` ``.score(counts, background) -> z``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed

from analysis.errors import UsageError
from analysis.store import open_store
from analysis.tokens import TokenStream, tokenize

log = logging.getLogger(__name__)

UNKNOWN_OUTLET = "(unknown outlet)"
TERM_COLUMNS = ["outlet", "rank", "term", "ngram", "z", "count", "rest_count", "articles"]
FREQUENCY_COLUMNS = ["outlet", "term", "ngram", "count", "articles"]
# Texts per chunk when a corpus is counted in worker processes, and the fewest
# texts worth starting them for.
CHUNK_TEXTS = 4000
PARALLEL_MIN_TEXTS = 8000


@dataclass(frozen=True)
class TermOptions:
    """How terms are counted, guarded and ranked.

    - ``ngrams``: term lengths to score, from {1, 2}.
    - ``min_count``: a term needs at least this many uses over all compared
      articles to be scored at all.
    - ``min_articles``: an outlet must use the term in at least this many of
      its articles (or in all of them, when it has fewer) — one long
      article repeating a name cannot make it "distinctive" of an outlet.
    - ``prior_total``: α_0, the weight of the prior in pseudo-counts; None
      means the number of terms compared.
    - ``top``: terms reported per outlet.
    """

    ngrams: tuple[int, ...] = (1, 2)
    min_count: int = 3
    min_articles: int = 2
    prior_total: float | None = None
    top: int = 20

    def __post_init__(self):
        if not self.ngrams or set(self.ngrams) - {1, 2}:
            raise UsageError(f"ngrams must be a non-empty subset of (1, 2), not {self.ngrams}")
        if self.min_count < 1 or self.min_articles < 1 or self.top < 1:
            raise UsageError("min_count, min_articles and top must be at least 1")
        if self.prior_total is not None and self.prior_total <= 0:
            raise UsageError(f"prior_total must be positive, not {self.prior_total}")


@dataclass(frozen=True)
class TermCounts:
    """Counts of one term length per group (outlet): the scorers' input.

    ``counts`` and ``articles`` are sparse ``(len(groups), len(terms))``
    matrices: uses of each term, and articles using it. ``totals`` holds
    each group's number of terms *before* the ``min_count`` filter (the
    ``n_i`` of the formula); ``group_articles`` each group's article count.
    """

    ngram: int
    groups: pd.Index
    terms: np.ndarray
    counts: sp.csr_matrix
    articles: sp.csr_matrix
    totals: np.ndarray
    group_articles: np.ndarray

    def frequencies(self) -> pd.DataFrame:
        """Tidy counts: one row per (outlet, term) used; columns :data:`FREQUENCY_COLUMNS`."""
        rows = np.repeat(np.arange(self.counts.shape[0]), np.diff(self.counts.indptr))
        return pd.DataFrame({
            "outlet": self.groups[rows].to_numpy(), "term": self.terms[self.counts.indices],
            "ngram": self.ngram, "count": self.counts.data.astype("int64"),
            "articles": self.articles.data.astype("int64"),
        }).sort_values(["outlet", "count"], ascending=[True, False], ignore_index=True)

    def rates(self) -> np.ndarray:
        """Each term's share of all terms counted (the self-background rate b_w / B)."""
        return np.asarray(self.counts.sum(axis=0)).ravel() / max(float(self.totals.sum()), 1.0)


class TermScorer(Protocol):
    """Counts in, scores out: one score per non-zero entry of ``counts.counts``.

    ``background_rates`` gives each term's rate ``b_w / B`` in the
    background corpus, aligned with ``counts.terms``.
    """

    def score(self, counts: TermCounts, background_rates: np.ndarray) -> sp.csr_matrix: ...


@dataclass(frozen=True)
class LogOddsDirichletPrior:
    """z-scores of the log-odds ratio, each group against the rest (module docstring).

    Returns a CSR matrix with the sparsity of ``counts.counts`` whose data
    are the z-scores; :meth:`log_odds` gives δ̂ the same way.
    """

    prior_total: float | None = None

    def score(self, counts: TermCounts, background_rates: np.ndarray) -> sp.csr_matrix:
        delta, variance = self._delta_variance(counts, background_rates)
        return self._like(counts, delta / np.sqrt(variance))

    def log_odds(self, counts: TermCounts, background_rates: np.ndarray) -> sp.csr_matrix:
        return self._like(counts, self._delta_variance(counts, background_rates)[0])

    def _delta_variance(self, counts: TermCounts, background_rates: np.ndarray):
        matrix = counts.counts.tocsr()
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        columns = matrix.indices
        n_i = counts.totals.astype(float)[rows]
        n_j = float(counts.totals.sum()) - n_i
        y_i = matrix.data.astype(float)
        y_j = np.asarray(matrix.sum(axis=0)).ravel().astype(float)[columns] - y_i
        prior_total = self.prior_total or float(counts.totals.sum())
        a = prior_total * np.asarray(background_rates, dtype=float)[columns]
        delta = (np.log((y_i + a) / (n_i + prior_total - y_i - a))
                 - np.log((y_j + a) / (n_j + prior_total - y_j - a)))
        return delta, 1.0 / (y_i + a) + 1.0 / (y_j + a)

    @staticmethod
    def _like(counts: TermCounts, values: np.ndarray) -> sp.csr_matrix:
        matrix = counts.counts.tocsr()
        return sp.csr_matrix((values, matrix.indices, matrix.indptr), shape=matrix.shape)


def distinctive_terms(
    texts, outlets, *, options: TermOptions = TermOptions(), background: Background | None = None,
    scorer: TermScorer | None = None,
) -> pd.DataFrame:
    """The ``options.top`` most distinctive terms of every outlet against the rest.

    ``texts`` and ``outlets`` are aligned sequences, one entry per article.
    ``background`` shapes the prior (None: the compared texts themselves).
    Columns (:data:`TERM_COLUMNS`): outlet; rank (1 = most distinctive);
    term; ngram (1 or 2); z (the scorer's z-score); count (uses by the
    outlet); rest_count (uses by all other outlets); articles (the
    outlet's articles using it). Empty when fewer than two outlets.
    """
    outlets = list(outlets)
    if len(set(pd.Series(outlets, dtype=object).fillna(UNKNOWN_OUTLET))) < 2:
        log.warning("distinctive terms need at least two outlets to compare; none reported")
        return pd.DataFrame(columns=TERM_COLUMNS)
    return _scored(_counted(texts, outlets, options), options, background, scorer)


def corpus_terms(texts, outlets, *, options: TermOptions = TermOptions(), n_jobs: int = 1) -> CorpusTerms:
    """Distinctive terms of a whole corpus and, from the same counts, its background.

    Equal to ``distinctive_terms(texts, outlets)`` and ``background_of(texts)``
    with the text tokenised once: summed over outlets, the counts are the
    background's. ``n_jobs > 1`` counts chunks of the texts in that many
    worker processes (:func:`merge_chunks`); the result is the same.
    """
    texts, outlets = list(texts), list(outlets)
    if n_jobs > 1 and len(texts) >= PARALLEL_MIN_TEXTS:
        return _corpus_terms_of(_counted_in_chunks(
            (delayed(chunk_counts)(texts[start:start + CHUNK_TEXTS], outlets[start:start + CHUNK_TEXTS],
                                   options.ngrams) for start in range(0, len(texts), CHUNK_TEXTS)),
            options, n_jobs), options)
    return _corpus_terms_of(_counted(texts, outlets, options), options)


def _corpus_terms_of(counted: list[TermCounts], options: TermOptions) -> CorpusTerms:
    background = Background(rates={counts.ngram: pd.Series(counts.rates(), index=counts.terms)
                                   for counts in counted})
    if len(counted[0].groups) < 2:
        log.warning("distinctive terms need at least two outlets to compare; none reported")
        return CorpusTerms(terms=pd.DataFrame(columns=TERM_COLUMNS), background=background)
    return CorpusTerms(terms=_scored(counted, options, None, None), background=background)


def _counted(texts, outlets: list, options: TermOptions) -> list[TermCounts]:
    stream = tokenize(texts)
    return [count_terms(stream, outlets, ngram=ngram, min_count=options.min_count)
            for ngram in options.ngrams]


def _counted_in_chunks(tasks: Iterable, options: TermOptions, n_jobs: int) -> list[TermCounts]:
    """:func:`chunk_counts` tasks of consecutive chunks run in worker processes, merged.

    joblib hands out a few tasks at a time, so only those chunks' texts are in flight.
    """
    return merge_chunks(Parallel(n_jobs=n_jobs)(tasks), min_count=options.min_count)


@dataclass(frozen=True)
class ChunkCounts:
    """One chunk's :class:`TermCounts` per term length, with terms as int64 keys
    into ``words`` (a word's code; a bigram's ``first · len(words) + second``):
    millions of bigram strings are only made for the terms kept after merging."""

    words: np.ndarray
    counted: list[TermCounts]


def _stored_chunk_counts(path: str, ids: list[str], ngrams: tuple[int, ...]) -> ChunkCounts:
    with open_store(path) as store:
        chunk = store.article_fields(["outlet", "body"], ids=ids)
    return chunk_counts(list(chunk["body"]), list(chunk["outlet"]), ngrams)


def chunk_counts(texts: list, outlets: list, ngrams: tuple[int, ...]) -> ChunkCounts:
    """Every term of ``texts`` counted (no ``min_count``), for :func:`merge_chunks`."""
    stream = tokenize(texts)
    return ChunkCounts(words=stream.words,
                       counted=[count_terms(stream, outlets, ngram=ngram, as_keys=True) for ngram in ngrams])


def merge_chunks(chunks: list[ChunkCounts], *, min_count: int = 1) -> list[TermCounts]:
    """The counts of consecutive chunks of one corpus as the counts of the whole.

    Every figure is a sum over articles, so the chunks' figures add up;
    terms keep their order of first use, as when the corpus is counted at
    once. Terms used fewer than ``min_count`` times in all are dropped.
    """
    word_codes, words = pd.factorize(np.concatenate([chunk.words for chunk in chunks]), sort=False)
    word_offsets = np.cumsum([0, *(len(chunk.words) for chunk in chunks)])
    codes_of_chunk = [word_codes[start:end] for start, end in zip(word_offsets, word_offsets[1:])]
    merged = []
    for index, first in enumerate(chunks[0].counted):
        parts = [chunk.counted[index] for chunk in chunks]
        keys = [_global_keys(part.terms, codes, len(words), first.ngram)
                for part, codes in zip(parts, codes_of_chunk, strict=True)]
        merged.append(_merged(parts, keys, words, min_count))
    return merged


def _global_keys(keys: np.ndarray, codes: np.ndarray, n_words: int, ngram: int) -> np.ndarray:
    if ngram == 1:
        return codes[keys]
    first, second = np.divmod(keys, len(codes))
    return codes[first].astype(np.int64) * n_words + codes[second]


def _merged(parts: list[TermCounts], keys: list[np.ndarray], words: np.ndarray,
            min_count: int) -> TermCounts:
    groups = pd.Index(sorted(set().union(*(part.groups for part in parts))), name="outlet")
    term_codes, unique_keys = pd.factorize(np.concatenate(keys), sort=False)
    term_offsets = np.cumsum([0, *(len(part_keys) for part_keys in keys)])

    def summed(matrix_of) -> sp.csr_matrix:
        rows, columns, values = [], [], []
        for part, offset in zip(parts, term_offsets[:-1], strict=True):
            entries = matrix_of(part).tocoo()
            rows.append(groups.get_indexer(part.groups)[entries.row])
            columns.append(term_codes[offset + entries.col])
            values.append(entries.data)
        matrix = sp.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
                               shape=(len(groups), len(unique_keys)))
        matrix.sum_duplicates()
        return matrix

    counts, articles = summed(lambda part: part.counts), summed(lambda part: part.articles)
    group_articles = np.zeros(len(groups), dtype=np.int64)
    for part in parts:
        np.add.at(group_articles, groups.get_indexer(part.groups), part.group_articles)
    keep = np.flatnonzero(np.asarray(counts.sum(axis=0)).ravel() >= min_count)
    return TermCounts(
        ngram=parts[0].ngram, groups=groups, terms=_key_strings(words, unique_keys[keep], parts[0].ngram),
        counts=_sorted(counts[:, keep]), articles=_sorted(articles[:, keep]),
        totals=np.asarray(counts.sum(axis=1)).ravel(), group_articles=group_articles,
    )


def _scored(counted: list[TermCounts], options: TermOptions, background: Background | None,
            scorer: TermScorer | None) -> pd.DataFrame:
    scorer = scorer or LogOddsDirichletPrior(prior_total=options.prior_total)
    candidates = []
    for counts in counted:
        rates = background.aligned(counts) if background is not None else counts.rates()
        candidates.append(_guarded_scores(counts, scorer.score(counts, rates), options))
    frame = pd.concat(candidates, ignore_index=True)
    frame = frame.sort_values(["outlet", "z", "count", "term"], ascending=[True, False, False, True],
                              ignore_index=True)
    frame["rank"] = frame.groupby("outlet").cumcount() + 1
    return frame[frame["rank"] <= options.top][TERM_COLUMNS].reset_index(drop=True)


def _guarded_scores(counts: TermCounts, scores: sp.csr_matrix, options: TermOptions) -> pd.DataFrame:
    """The best ``options.top`` positive, guarded scores of each outlet, as rows."""
    rows = np.repeat(np.arange(counts.counts.shape[0]), np.diff(counts.counts.indptr))
    needed_articles = np.minimum(options.min_articles, counts.group_articles)[rows]
    keep = np.flatnonzero((scores.data > 0) & (counts.articles.data >= needed_articles))
    # Rank inside each outlet before any string is touched: by z, then count, then term order.
    order = keep[np.lexsort((counts.counts.indices[keep], -counts.counts.data[keep],
                             -scores.data[keep], rows[keep]))]
    first_of_outlet = np.searchsorted(rows[order], rows[order], side="left")
    order = order[np.arange(len(order)) - first_of_outlet < options.top]
    columns = counts.counts.indices[order]
    used = counts.counts.data[order]
    column_totals = np.asarray(counts.counts.sum(axis=0)).ravel()
    return pd.DataFrame({
        "outlet": counts.groups[rows[order]].to_numpy(), "term": counts.terms[columns],
        "ngram": counts.ngram, "z": scores.data[order], "count": used.astype("int64"),
        "rest_count": (column_totals[columns] - used).astype("int64"),
        "articles": counts.articles.data[order].astype("int64"),
    })


@dataclass(frozen=True)
class Background:
    """Term rates ``b_w / B`` of a background corpus, per term length: the prior's shape."""

    rates: dict[int, pd.Series]

    def aligned(self, counts: TermCounts) -> np.ndarray:
        """Rates for ``counts.terms``; terms the background lacks keep their compared rate."""
        own = counts.rates()
        series = self.rates.get(counts.ngram)
        if series is None:
            return own
        found = series.reindex(counts.terms).to_numpy(dtype=float)
        return np.where(np.isnan(found), own, found)


def background_of(texts, *, options: TermOptions = TermOptions()) -> Background:
    """The background rates of ``texts`` (typically every article in the store)."""
    stream = tokenize(texts)
    single_group = np.zeros(stream.n_documents, dtype=object)
    rates = {}
    for ngram in options.ngrams:
        counts = count_terms(stream, single_group, ngram=ngram, min_count=options.min_count)
        rates[ngram] = pd.Series(counts.rates(), index=counts.terms)
    return Background(rates=rates)


@dataclass(frozen=True)
class CorpusTerms:
    """A corpus's distinctive terms per outlet (:data:`TERM_COLUMNS`) and its background."""

    terms: pd.DataFrame
    background: Background

    def to_json(self) -> dict:
        from analysis.derived import frame_to_json, numbers_to_json, words_to_json

        return {"terms": frame_to_json(self.terms),
                "background": {str(ngram): [words_to_json(series.index), numbers_to_json(series.to_numpy())]
                               for ngram, series in self.background.rates.items()}}

    @classmethod
    def from_json(cls, value: dict) -> CorpusTerms:
        from analysis.derived import frame_from_json, numbers_from_json, words_from_json

        rates = {int(ngram): pd.Series(numbers_from_json(rates), index=pd.Index(words_from_json(terms)))
                 for ngram, (terms, rates) in value["background"].items()}
        return cls(terms=frame_from_json(value["terms"]), background=Background(rates=rates))


def stored_corpus_terms(store, options: TermOptions = TermOptions(), *, n_jobs: int = 1) -> CorpusTerms:
    """:func:`corpus_terms` of every article in ``store``, kept per articles version."""
    from analysis.derived import remembered

    def compute() -> CorpusTerms:
        if n_jobs > 1 and store.count_articles() >= PARALLEL_MIN_TEXTS and store.path != ":memory:":
            ids = store.article_fields(["id"])["id"].tolist()
            # Each worker reads its chunk from the file: the bodies are never all in memory.
            return _corpus_terms_of(_counted_in_chunks(
                (delayed(_stored_chunk_counts)(store.path, ids[start:start + CHUNK_TEXTS], options.ngrams)
                 for start in range(0, len(ids), CHUNK_TEXTS)), options, n_jobs), options)
        corpus = store.article_fields(["outlet", "body"])
        return corpus_terms(corpus["body"], corpus["outlet"], options=options)

    return remembered(store, "corpus_term_rates", repr(options), compute,
                      to_json=CorpusTerms.to_json, from_json=CorpusTerms.from_json)


def count_terms(stream: TokenStream, outlets, *, ngram: int, min_count: int = 1,
                as_keys: bool = False) -> TermCounts:
    """Count terms of length ``ngram`` per outlet; keep terms used ``min_count``+ times.

    ``outlets`` has one entry per document of ``stream`` (missing outlets
    become ``"(unknown outlet)"``). ``as_keys`` leaves terms as int64 keys
    into ``stream.words`` (see :class:`ChunkCounts`) instead of strings.
    """
    outlet_labels = pd.Series(list(outlets), dtype=object).fillna(UNKNOWN_OUTLET)
    group_of_document, groups = pd.factorize(outlet_labels, sort=True)
    keys, documents = _term_keys(stream, ngram)
    term_codes, unique_keys = pd.factorize(keys, sort=False)
    del keys
    shape = (len(groups), len(unique_keys))
    counts = _summed(group_of_document[documents], term_codes, shape)
    totals = np.asarray(counts.sum(axis=1)).ravel()
    # Distinct (document, term) pairs, by an in-place sort: a hash set of
    # tens of millions of keys costs far more memory and time.
    pairs = documents.astype(np.int64) * len(unique_keys) + term_codes
    del documents, term_codes
    pairs.sort()
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    articles = _summed(group_of_document[pairs // len(unique_keys)], pairs % len(unique_keys), shape)
    del pairs
    keep = np.flatnonzero(np.asarray(counts.sum(axis=0)).ravel() >= min_count)
    return TermCounts(
        ngram=ngram, groups=pd.Index(groups, name="outlet"),
        terms=unique_keys[keep] if as_keys else _key_strings(stream.words, unique_keys[keep], ngram),
        counts=_sorted(counts[:, keep]), articles=_sorted(articles[:, keep]), totals=totals,
        group_articles=np.bincount(group_of_document, minlength=len(groups)),
    )


def _term_keys(stream: TokenStream, ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """int64 key of every term occurrence and the document it occurs in."""
    if ngram == 1:
        positions = stream.content_positions()
        return stream.token_words[positions].astype(np.int64), stream.document_of_token[positions]
    positions = stream.bigram_positions()
    words = stream.token_words
    keys = words[positions].astype(np.int64) * len(stream.words) + words[positions + 1]
    return keys, stream.document_of_token[positions]


def _key_strings(words: np.ndarray, keys: np.ndarray, ngram: int) -> np.ndarray:
    if ngram == 1:
        return words[keys]
    first, second = np.divmod(keys, len(words))
    return np.array([f"{a} {b}" for a, b in zip(words[first], words[second])], dtype=object)


def _summed(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, columns)), shape=shape)
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def _sorted(matrix) -> sp.csr_matrix:
    matrix = matrix.tocsr()
    matrix.sort_indices()
    return matrix


def outlet_terms(
    store, *, ids=None, outlet: str | None = None, options: TermOptions = TermOptions(),
) -> pd.DataFrame:
    """:func:`distinctive_terms` of the store's articles, or of those in ``ids`` (a story).

    With ``ids`` the prior's background is still the whole corpus. With
    ``outlet`` only that outlet's rows are returned (it is still compared
    with all the others); an outlet with no compared article raises
    :class:`~analysis.errors.UnknownIdError`.
    """
    stored = stored_corpus_terms(store, options)
    if ids is None:
        terms = stored.terms
        if outlet is not None:
            _require_outlet(store.article_fields(["outlet"])["outlet"].fillna(UNKNOWN_OUTLET), outlet)
    else:
        compared = store.article_fields(["outlet", "body"],
                                        ids=sorted({str(article_id) for article_id in ids}))
        if outlet is not None:
            _require_outlet(compared["outlet"].fillna(UNKNOWN_OUTLET), outlet)
        terms = distinctive_terms(compared["body"], compared["outlet"], options=options,
                                  background=stored.background)
    if outlet is not None:
        terms = terms[terms["outlet"] == outlet]
    return terms.reset_index(drop=True)


def _require_outlet(outlets: pd.Series, outlet: str) -> None:
    from difflib import get_close_matches

    from analysis.errors import UnknownIdError

    known = sorted(outlets.unique())
    if outlet not in known:
        close = get_close_matches(outlet, known, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise UnknownIdError(f"no articles from outlet {outlet!r} here{hint}")
