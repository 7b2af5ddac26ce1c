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
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.errors import UsageError
from analysis.term_counts import (
    PARALLEL_MIN_TEXTS,
    UNKNOWN_OUTLET,
    TermCounts,
    count_store_in_chunks,
    count_terms,
    count_texts_in_chunks,
)
from analysis.tokens import tokenize

log = logging.getLogger(__name__)

TERM_COLUMNS = ["outlet", "rank", "term", "ngram", "z", "count", "rest_count", "articles"]


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
    worker processes (:func:`analysis.term_counts.merge_chunks`); the result is
    the same.
    """
    texts, outlets = list(texts), list(outlets)
    if n_jobs > 1 and len(texts) >= PARALLEL_MIN_TEXTS:
        return _corpus_terms_of(count_texts_in_chunks(
            texts, outlets, options.ngrams, min_count=options.min_count, n_jobs=n_jobs), options)
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
            return _corpus_terms_of(count_store_in_chunks(
                store, options.ngrams, min_count=options.min_count, n_jobs=n_jobs), options)
        corpus = store.article_fields(["outlet", "body"])
        return corpus_terms(corpus["body"], corpus["outlet"], options=options)

    return remembered(store, "corpus_term_rates", repr(options), compute,
                      to_json=CorpusTerms.to_json, from_json=CorpusTerms.from_json)


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
