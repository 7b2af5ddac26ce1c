"""Counting terms per outlet: the input of the distinctive-terms scorers.

Terms are content words (no stop words, see :mod:`analysis.tokens`) and
bigrams of two adjacent content words with no punctuation between them,
counted per outlet from a :class:`~analysis.tokens.TokenStream`
(:func:`count_terms`). A large corpus is counted in chunks in worker
processes and the chunks' counts merged (:func:`merge_chunks`): every figure
is a sum over articles, so the result is the same as counting it at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed

from analysis.store import open_store
from analysis.tokens import TokenStream, tokenize

UNKNOWN_OUTLET = "(unknown outlet)"
FREQUENCY_COLUMNS = ["outlet", "term", "ngram", "count", "articles"]
# Texts per chunk when a corpus is counted in worker processes, and the fewest
# texts worth starting them for.
CHUNK_TEXTS = 4000
PARALLEL_MIN_TEXTS = 8000


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


def count_texts_in_chunks(texts: list, outlets: list, ngrams: tuple[int, ...], *, min_count: int,
                          n_jobs: int) -> list[TermCounts]:
    """:func:`count_terms` of each length in ``ngrams`` over ``texts``, counted in chunks of
    :data:`CHUNK_TEXTS` in ``n_jobs`` worker processes and merged (the same counts)."""
    return _counted_in_chunks(
        (delayed(chunk_counts)(texts[start:start + CHUNK_TEXTS], outlets[start:start + CHUNK_TEXTS], ngrams)
         for start in range(0, len(texts), CHUNK_TEXTS)), min_count, n_jobs)


def count_store_in_chunks(store, ngrams: tuple[int, ...], *, min_count: int, n_jobs: int) -> list[TermCounts]:
    """As :func:`count_texts_in_chunks` for the bodies of a store kept in a file: each worker
    reads its chunk from the file, so the bodies are never all in memory."""
    ids = store.article_fields(["id"])["id"].tolist()
    return _counted_in_chunks(
        (delayed(_stored_chunk_counts)(store.path, ids[start:start + CHUNK_TEXTS], ngrams)
         for start in range(0, len(ids), CHUNK_TEXTS)), min_count, n_jobs)


def _counted_in_chunks(tasks: Iterable, min_count: int, n_jobs: int) -> list[TermCounts]:
    # joblib hands out a few tasks at a time, so only those chunks' texts are in flight.
    return merge_chunks(Parallel(n_jobs=n_jobs)(tasks), min_count=min_count)


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
