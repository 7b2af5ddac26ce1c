"""Paraphrased sentences: TF-IDF cosine between sentences of different outlets in a story.

Each sentence is a bag of its content words: case-folded, English stop words
and one-letter words dropped, and lightly stemmed (:func:`light_stem`) so that
"guarantees"/"guaranteed" or "talks"/"talk" meet. The IDF comes from the
story's own sentences,

    idf(t) = ln((1 + N) / (1 + df(t))) + 1,   tf = 1 + ln(count)

with N the number of sentences in the story and df(t) the number holding t,
so words every outlet uses for the story (its topic) weigh little and the
specific facts weigh much. Rows are l2-normalised, so a sparse product is the
cosine. To keep stories apart without a loop, every feature column is a
(story, stem) pair: the matrix is block-diagonal and one ``sp_matmul_topn``
call scores all stories at once, keeping only pairs above the threshold.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sparse_dot_topn import sp_matmul_topn

from analysis.reuse import best_per_sentence, empty_pairs

if TYPE_CHECKING:
    from analysis.overlap import Tokens
    from analysis.passages import PassageOptions

# Candidates per sentence before same-outlet pairs are dropped.
_CANDIDATE_MARGIN = 20
_SUFFIXES = ("ing", "ed", "es", "s")


# Every batch of stories asks again for the stems of the same common words.
@functools.lru_cache(maxsize=1 << 18)
def light_stem(word: str) -> str:
    """Strip one common English inflection when enough of the word remains.

    ``light_stem("guarantees") == light_stem("guaranteed") == "guarante"``
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def content_word_counts(sentences: pd.DataFrame, tokens: Tokens) -> np.ndarray:
    """Content words (not stop words, at least two characters) per sentence."""
    keep = _content_vocabulary(tokens.vocabulary)[tokens.ids]
    return np.bincount(tokens.sentence[keep], minlength=len(sentences))


def sentence_vectors(sentences: pd.DataFrame, tokens: Tokens) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows, one per sentence, features namespaced by story."""
    keep = _content_vocabulary(tokens.vocabulary)[tokens.ids]
    stems = pd.factorize(pd.Series([light_stem(word) for word in tokens.vocabulary], dtype=object))[0]
    story = pd.factorize(sentences["story_id"])[0]
    row = tokens.sentence[keep]
    feature = (story[row].astype(np.int64, copy=False) * (int(stems.max(initial=0)) + 1)
               + stems[tokens.ids[keep]])
    column, features = pd.factorize(feature)
    shape = (len(sentences), len(features))
    counts = sparse.csr_matrix((np.ones(len(row)), (row, column)), shape=shape)
    counts.sum_duplicates()
    counts.data = 1.0 + np.log(counts.data)
    stories_n = np.bincount(story, minlength=story.max(initial=-1) + 1)
    document_frequency = np.bincount(counts.indices, minlength=shape[1])
    feature_story = (np.asarray(features) // (int(stems.max(initial=0)) + 1)).astype(np.int64)
    idf = np.log((1.0 + stories_n[feature_story]) / (1.0 + document_frequency)) + 1.0
    # Scaling the stored values is what multiplying by the idf row does, without its copies.
    weighted = sparse.csr_matrix((counts.data * idf[counts.indices], counts.indices, counts.indptr),
                                 shape=shape)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ weighted


def paraphrase_matches(
    sentences: pd.DataFrame, tokens: Tokens, options: PassageOptions
) -> pd.DataFrame:
    """Pairs of sentences of different outlets in one story with cosine >= the threshold.

    Columns: sentence, other (row numbers in ``sentences``), score (cosine);
    ``sentences`` needs columns story_id and outlet_code;
    at most ``options.max_matches`` per sentence, best first. Both sentences
    need ``options.paraphrase_min_words`` content words.
    """
    vectors = sentence_vectors(sentences, tokens)
    eligible = content_word_counts(sentences, tokens) >= options.paraphrase_min_words
    vectors = sparse.diags(eligible.astype(float)) @ vectors
    if vectors.nnz == 0:
        return empty_pairs()
    product = sp_matmul_topn(
        vectors, vectors.T.tocsr(), top_n=options.max_matches + _CANDIDATE_MARGIN,
        threshold=options.paraphrase_cosine - 1e-9,
    ).tocoo()
    pairs = pd.DataFrame({"sentence": product.row.astype(np.int64),
                          "other": product.col.astype(np.int64), "score": product.data})
    outlet = sentences["outlet_code"].to_numpy()
    pairs = pairs[outlet[pairs["sentence"]] != outlet[pairs["other"]]]
    return best_per_sentence(pairs, options.max_matches)


def _content_vocabulary(vocabulary: np.ndarray) -> np.ndarray:
    return np.fromiter(
        (len(word) >= 2 and word not in ENGLISH_STOP_WORDS for word in vocabulary),
        dtype=bool, count=len(vocabulary),
    )
