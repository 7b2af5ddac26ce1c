"""Which words of each article it shares with other outlets, and which it copied.

Input: the flat words of many articles (:class:`analysis.overlap.Tokens`) and,
per article, its story, outlet, place in the publishing order, whether it is
a wire agency's own article and whether its own cue marks it as agency copy.
Article indexes must follow publishing order within each story.

For every word n-gram (shingle) of the story the holders are found once, by
sorting (n-gram, article) codes; only n-grams held by two or more articles
need further work, which keeps this linear in the number of words:

* shared: the n-gram is held by two or more outlets;
* copied from: the earliest article of another outlet holding it, if that
  one is earlier; otherwise the earliest wire article of another outlet
  holding it (agency copy whatever the dates say); otherwise, for an article
  whose cue says it is agency copy, the agency (source ``-1``). A wire
  agency's own article copies only from earlier agency articles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sparse_dot_topn import sp_matmul_topn

from analysis import overlap

PAIR_COLUMNS = ("sentence", "other", "score")
# Candidates per sentence before same-outlet pairs are dropped.
_CANDIDATE_MARGIN = 20


@dataclass(frozen=True)
class ArticleFacts:
    """Per-article arrays, indexed like the articles (publishing order within story)."""

    story: np.ndarray
    outlet: np.ndarray
    is_wire: np.ndarray
    cued_as_copy: np.ndarray


@dataclass(frozen=True)
class WordReuse:
    """Masks over the flat words, plus who was copied from and which sentences match.

    credits       article, source (article index, or -1 for the agency named by its
                  own cue), grams (copied n-grams credited to that source)
    shared_pairs  sentence, other, score: sentences of different outlets sharing n-grams;
                  score = share of the sentence's n-grams found in the other
    """

    shared_words: np.ndarray
    copied_words: np.ndarray
    credits: pd.DataFrame
    shared_pairs: pd.DataFrame


def word_reuse(tokens: overlap.Tokens, word_article: np.ndarray, sentence_outlet: np.ndarray,
               facts: ArticleFacts, options, *, with_pairs: bool = True) -> WordReuse:
    """Shared and copied words of every article; ``options`` is a PassageOptions.

    ``word_article`` gives each word's article, ``sentence_outlet`` each sentence's outlet
    code. Without ``with_pairs`` the sentence pairs are left empty (they cost a sparse product).
    """
    grams = overlap.shingles(tokens.ids, word_article, facts.story[word_article],
                             options.shingle_words)
    gram_article = word_article[grams.start]
    # Most n-grams occur once; only repeated ones can be shared, so only they are sorted out.
    repeated = _repeated(grams.key)
    holders = _Holders.find(grams.key[repeated], gram_article[repeated], facts)
    key = np.full(len(grams.key), -1, dtype=np.int64)
    key[repeated] = holders.key
    shared = np.zeros(len(grams.key), dtype=bool)
    shared[repeated] = holders.outlets[holders.key] >= 2
    source = np.full(len(grams.key), -1, dtype=np.int64)
    source[repeated] = holders.copy_source(holders.key, gram_article[repeated], facts)
    copied = (source >= 0) | (facts.cued_as_copy[gram_article] & shared)

    def passages(mask: np.ndarray) -> np.ndarray:
        covered = overlap.cover(grams.start[mask], grams.size, len(tokens.ids))
        return overlap.passages(covered, word_article, min_run=options.min_run_words,
                                max_gap=options.max_gap_words)

    shared_words, copied_words = passages(shared), passages(copied)
    kept = copied & copied_words[grams.start]
    credits = (pd.DataFrame({"article": gram_article[kept], "source": source[kept]})
               .value_counts().rename("grams").reset_index())
    sentence_of = tokens.sentence[grams.start]
    grams_per_sentence = np.bincount(sentence_of, minlength=len(tokens.counts))
    pairs = shared_sentence_pairs(sentence_of[shared], key[shared], grams_per_sentence,
                                  sentence_outlet, options.max_matches) if with_pairs else empty_pairs()
    return WordReuse(shared_words, copied_words, credits, pairs)


@dataclass(frozen=True)
class _Earliest:
    """Per n-gram key: earliest holder, its outlet, earliest holder of another outlet (-1: none)."""

    first: np.ndarray
    first_outlet: np.ndarray
    second: np.ndarray

    @classmethod
    def among(cls, key, article, outlet, key_count) -> _Earliest:
        """``key``/``article`` sorted by (key, article): a key's first row is its earliest holder."""
        found = cls(*(np.full(key_count, -1, dtype=np.int64) for _ in range(3)))
        if len(key) == 0:
            return found
        starts = np.flatnonzero(_run_starts(key))
        found.first[key[starts]] = article[starts]
        found.first_outlet[key[starts]] = outlet[starts]
        other = outlet != found.first_outlet[key]
        other_key, other_article = key[other], article[other]
        if len(other_key):
            other_starts = np.flatnonzero(_run_starts(other_key))
            found.second[other_key[other_starts]] = other_article[other_starts]
        return found

    def other_than(self, key, own_outlet) -> np.ndarray:
        """Per occurrence: the earliest holder whose outlet is not ``own_outlet`` (-1: none)."""
        return np.where(self.first_outlet[key] != own_outlet, self.first[key], self.second[key])


@dataclass(frozen=True)
class _Holders:
    """Who holds each n-gram. ``key`` gives each occurrence a dense n-gram id;
    per id: how many outlets hold it, and its earliest holders."""

    key: np.ndarray
    outlets: np.ndarray
    everyone: _Earliest
    wire: _Earliest

    @classmethod
    def find(cls, hashes: np.ndarray, article: np.ndarray, facts: ArticleFacts) -> _Holders:
        # One sort by (hash, article) gives dense ids and the holders in publishing order.
        order = np.lexsort((article, hashes))
        sorted_hash, sorted_article = hashes[order], article[order]
        new_key = _run_starts(sorted_hash)
        sorted_key = np.cumsum(new_key) - 1
        key = np.empty(len(order), dtype=np.int64)
        key[order] = sorted_key
        key_count = int(sorted_key[-1]) + 1 if len(order) else 0
        new_pair = new_key | _run_starts(sorted_article)
        pair_key, pair_article = sorted_key[new_pair], sorted_article[new_pair]
        # Most n-grams occur in one article only; only the rest need more work.
        multi = np.bincount(pair_key, minlength=key_count)[pair_key] >= 2
        pair_key, pair_article = pair_key[multi], pair_article[multi]
        pair_outlet = facts.outlet[pair_article]
        width = int(facts.outlet.max(initial=0)) + 1
        distinct = _sorted_unique(pair_key * width + pair_outlet) // width
        wire = facts.is_wire[pair_article]
        return cls(
            key=key,
            outlets=np.maximum(1, np.bincount(distinct, minlength=key_count)),
            everyone=_Earliest.among(pair_key, pair_article, pair_outlet, key_count),
            wire=_Earliest.among(pair_key[wire], pair_article[wire], pair_outlet[wire], key_count),
        )

    def copy_source(self, key, article, facts: ArticleFacts) -> np.ndarray:
        """Per n-gram occurrence, the article it was copied from, or -1.

        An agency's own article only ever copies from an earlier agency article:
        text it shares with a newspaper is the newspaper's copy of it.
        """
        own = facts.outlet[article]
        wire = self.wire.other_than(key, own)
        earliest = np.where(facts.is_wire[article], wire, self.everyone.other_than(key, own))
        source = np.where((earliest >= 0) & (earliest < article), earliest, -1)
        return np.where((source < 0) & (wire >= 0) & ~facts.is_wire[article], wire, source)


def _run_starts(values: np.ndarray) -> np.ndarray:
    """True where a sorted array's value differs from the one before (and at index 0)."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    return np.r_[True, values[1:] != values[:-1]]


def _repeated(values: np.ndarray) -> np.ndarray:
    """Indexes of the values that occur more than once, in ascending index order."""
    # A plain sort finds the repeated values faster than an argsort finds where they are;
    # they are few, so a hash lookup of them is cheap.
    ordered = np.sort(values)
    repeated_values = ordered[1:][ordered[1:] == ordered[:-1]]
    return np.flatnonzero(pd.Series(values, copy=False).isin(repeated_values).to_numpy())


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sorting beats numpy's hash-based unique on large int arrays)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def shared_sentence_pairs(sentence_of, keys, grams_per_sentence, sentence_outlet,
                          max_matches: int) -> pd.DataFrame:
    """Sentence pairs of different outlets with at least two shared n-grams.

    Columns :data:`PAIR_COLUMNS`; score = |n-grams of the sentence also in the
    other| / |n-grams of the sentence|; best ``max_matches`` per sentence.
    """
    if len(keys) == 0:
        return empty_pairs()
    key_code = np.searchsorted(_sorted_unique(keys), keys)
    incidence = sparse.csr_matrix(
        (np.ones(len(keys), dtype=np.float64), (sentence_of, key_code)),
        shape=(len(grams_per_sentence), int(key_code.max()) + 1))
    incidence.sum_duplicates()
    incidence.data[:] = 1.0
    common = sp_matmul_topn(incidence, incidence.T.tocsr(),
                            top_n=max_matches + _CANDIDATE_MARGIN, threshold=1.5).tocoo()
    pairs = pd.DataFrame({"sentence": common.row.astype(np.int64),
                          "other": common.col.astype(np.int64), "common": common.data})
    pairs = pairs[sentence_outlet[pairs["sentence"]] != sentence_outlet[pairs["other"]]]
    pairs["score"] = pairs["common"] / np.maximum(grams_per_sentence, 1)[pairs["sentence"]]
    return best_per_sentence(pairs[list(PAIR_COLUMNS)], max_matches)


def best_per_sentence(pairs: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` highest-scoring pairs of each sentence, best first (ties: lower other)."""
    ordered = pairs.sort_values(["sentence", "score", "other"], ascending=[True, False, True])
    return ordered[ordered.groupby("sentence").cumcount() < limit].reset_index(drop=True)


def empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({
        "sentence": np.zeros(0, dtype=np.int64), "other": np.zeros(0, dtype=np.int64),
        "score": np.zeros(0, dtype=np.float64)})
