"""Word n-gram overlap between texts, as flat numpy arrays.

The building blocks of passage alignment (:mod:`analysis.passages`):

* :func:`tokenize` turns sentences into one flat array of word ids. Words are
  ``\\w+`` runs, case-folded, so punctuation, quote styles and capitals never
  stop a match.
* :func:`shingles` gives every word n-gram (a *shingle*) that lies inside one
  group (an article), hashed to a 64-bit key that also carries the group's
  scope (its story), so n-grams only ever match within a story.
* :func:`cover` marks the words that lie under a chosen set of shingles;
  :func:`passages` turns that raw cover into passages: one or two edited
  words inside a copied passage stay part of it, and incidental matches of a
  few words go.

Nothing here loops over pairs in Python; everything is array arithmetic, so
it scales with the number of words.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"\w+")
# Odd 64-bit multipliers for a polynomial rolling hash (wrap-around is intended).
_HASH_BASE = np.uint64(0x9E3779B97F4A7C15)
_SCOPE_BASE = np.uint64(0xC2B2AE3D27D4EB4F)


@dataclass(frozen=True)
class Tokens:
    """Words of many sentences, flattened.

    ``ids[i]`` is the vocabulary index of word ``i``; ``sentence[i]`` the
    row (0-based, in input order) of the sentence it belongs to;
    ``counts[s]`` the number of words of sentence ``s``.
    """

    ids: np.ndarray
    sentence: np.ndarray
    counts: np.ndarray
    vocabulary: np.ndarray


@dataclass(frozen=True)
class Runs:
    """Maximal runs of equal values: run ``r`` covers ``start[r]`` to ``start[r] + length[r]``."""

    start: np.ndarray
    length: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class Shingles:
    """Word n-grams: ``start[j]`` is the index of the first word of n-gram ``j``, ``key[j]``
    a 64-bit hash shared by identical n-grams of the same scope (collisions are
    negligible: about n²/2⁶⁵ for n n-grams)."""

    start: np.ndarray
    key: np.ndarray
    size: int


def tokenize(sentences: Sequence[str]) -> Tokens:
    """Case-folded ``\\w+`` words of every sentence, in order.

    Words go straight into an integer array through a dict vocabulary, so
    only the distinct words are ever held as Python strings.
    """
    vocabulary: dict[str, int] = {}
    ids = array("q")
    counts = array("q")
    for sentence in sentences:
        words = _WORD.findall(sentence.casefold())
        counts.append(len(words))
        # len(vocabulary) is read before setdefault stores a new word: ids are dense.
        ids.extend([vocabulary.setdefault(word, len(vocabulary)) for word in words])
    counts_array = np.frombuffer(counts, dtype=np.int64) if counts else np.zeros(0, np.int64)
    return Tokens(
        ids=np.frombuffer(ids, dtype=np.int64) if ids else np.zeros(0, np.int64),
        sentence=np.repeat(np.arange(len(counts_array), dtype=np.int64), counts_array),
        counts=counts_array,
        vocabulary=np.array(list(vocabulary), dtype=object),
    )


def shingles(ids: np.ndarray, group: np.ndarray, scope: np.ndarray, size: int) -> Shingles:
    """All ``size``-word n-grams that do not cross a change of ``group``.

    ``group[i]`` (e.g. the article) and ``scope[i]`` (e.g. the story) are given
    per word; identical n-grams in the same scope get the same ``key``.
    Scope values must be non-negative integers.
    """
    if size < 1:
        raise ValueError(f"shingle size must be at least 1, not {size}")
    count = len(ids) - size + 1
    if count <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return Shingles(start=empty, key=empty.astype(np.uint64), size=size)
    starts = np.arange(count, dtype=np.int64)
    inside = group[starts] == group[starts + size - 1]
    starts = starts[inside]
    hashed = np.zeros(len(starts), dtype=np.uint64)
    values = ids.astype(np.uint64) + np.uint64(1)
    with np.errstate(over="ignore"):
        for offset in range(size):
            hashed = hashed * _HASH_BASE + values[starts + offset]
        hashed = hashed * _SCOPE_BASE + scope[starts].astype(np.uint64)
    return Shingles(start=starts, key=hashed, size=size)


def cover(starts: np.ndarray, size: int, n_words: int) -> np.ndarray:
    """Boolean mask over words: True under any n-gram starting at ``starts``."""
    delta = np.bincount(starts, minlength=n_words + size) - np.bincount(
        starts + size, minlength=n_words + size)
    return np.cumsum(delta)[:n_words] > 0


def passages(covered: np.ndarray, group: np.ndarray, *, min_run: int, max_gap: int) -> np.ndarray:
    """Words in passages: covered runs with gaps of up to ``max_gap`` words bridged, kept
    when they hold at least ``min_run`` covered (not bridged) words.

    Bridging first keeps a densely edited copy together (a changed word every
    six words still leaves one passage); counting only covered words keeps two
    chance phrases a word apart from passing as one passage.
    """
    bridged = fill_short_gaps(covered, group, max_gap)
    found = runs(bridged, group)
    if len(found.start) == 0:
        return bridged
    matched = np.add.reduceat(covered.astype(np.int64), found.start)
    short = found.value & (matched < min_run)
    return _paint(bridged, found.start[short], found.length[short], False)


def fill_short_gaps(covered: np.ndarray, group: np.ndarray, max_gap: int) -> np.ndarray:
    """Cover gaps of at most ``max_gap`` words between two covered runs of one group.

    One or two changed words inside a copied passage leave such a gap.
    """
    if max_gap < 1 or len(covered) == 0:
        return covered
    found = runs(covered, group)
    run_group = group[found.start]
    previous_same = np.r_[False, run_group[1:] == run_group[:-1]]
    next_same = np.r_[run_group[:-1] == run_group[1:], False]
    previous_value = np.r_[False, found.value[:-1]]
    next_value = np.r_[found.value[1:], False]
    gap = (~found.value) & (found.length <= max_gap) & previous_same & next_same
    gap &= previous_value & next_value
    return _paint(covered, found.start[gap], found.length[gap], True)


def runs(values: np.ndarray, group: np.ndarray) -> Runs:
    """Maximal runs of equal ``values`` within equal ``group``."""
    if len(values) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Runs(start=empty, length=empty, value=np.zeros(0, dtype=bool))
    change = np.r_[True, (values[1:] != values[:-1]) | (group[1:] != group[:-1])]
    start = np.flatnonzero(change)
    return Runs(start=start, length=np.diff(np.r_[start, len(values)]), value=values[start])


def _paint(mask: np.ndarray, starts: np.ndarray, lengths: np.ndarray, value: bool) -> np.ndarray:
    if len(starts) == 0:
        return mask
    painted = mask.copy()
    delta = np.bincount(starts, minlength=len(mask) + 1)[: len(mask) + 1] - np.bincount(
        starts + lengths, minlength=len(mask) + 1)[: len(mask) + 1]
    painted[np.cumsum(delta)[: len(mask)] > 0] = value
    return painted
