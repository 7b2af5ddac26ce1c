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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

_WORD = re.compile(r"\w+")
_WORD_CHARACTER = re.compile(r"\w")
_CODE_POINTS = 0x110000
# Texts are tokenised in chunks of about this many characters, to keep the arrays small.
_CHUNK_CHARS = 1 << 18
# Odd 64-bit multiplier of the word hash (so invertible mod 2**64).
_WORD_HASH_BASE = 0xD6E8FEB86659FD93
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

    The same words and ids as :func:`_tokenize_word_by_word` (a regex and a dict),
    at about twice the speed: texts are read as arrays of code points a chunk at a
    time, so Python only ever holds the new words. A word is a run of word
    characters; its vocabulary id comes from a 64-bit polynomial hash of its
    folded code points (ids in order of first appearance). The words of one id
    must also agree in length and in first and last character; where they do not
    (two words sharing a hash), the regex reads all the texts again.
    Two different words alike in hash, length and both ends would share an id:
    as with :class:`Shingles` keys, natural text makes that negligible.
    """
    texts = list(sentences)
    reader = _WordReader()
    chunks = [_chunk_words(texts[low:high], text_starts, reader)
              for low, high, text_starts in _chunks(texts)]
    counts = np.concatenate([np.zeros(0, np.int64)] + [chunk.counts for chunk in chunks])
    hashes = np.concatenate([np.zeros(0, np.uint64)] + [chunk.word_hash for chunk in chunks])
    shape = np.concatenate([np.zeros(0, np.uint64)] + [chunk.shape for chunk in chunks])
    ids, _ = pd.factorize(hashes)
    ids = ids.astype(np.int64, copy=False)
    # factorize numbers hashes by first appearance: a word is new where its id passes all before.
    new_word = ids > np.maximum.accumulate(np.r_[np.int64(-1), ids[:-1]])
    firsts = np.flatnonzero(new_word)
    if not np.array_equal(shape[firsts][ids], shape):
        return _tokenize_word_by_word(texts)
    chunk_offsets = np.cumsum([0] + [len(chunk.begin) for chunk in chunks])
    chunk_of_first = np.searchsorted(chunk_offsets, firsts, side="right") - 1
    vocabulary = [chunks[chunk].word(index - offset) for chunk, index, offset in zip(
        chunk_of_first.tolist(), firsts.tolist(), chunk_offsets[chunk_of_first].tolist(), strict=True)]
    return Tokens(
        ids=ids,
        sentence=np.repeat(np.arange(len(counts), dtype=np.int64), counts),
        counts=counts,
        vocabulary=np.array(vocabulary, dtype=object),
    )


def _tokenize_word_by_word(sentences: list[str]) -> Tokens:
    """:func:`tokenize` with a regex and a dict: the reference, and the fallback."""
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


class _WordReader:
    """State of one :func:`tokenize` call: per code point, learnt as met, its case fold
    and whether that is a word character (``expands`` marks the few that fold to
    several, ``ß`` to ``ss``); and the powers of the hash bases."""

    def __init__(self) -> None:
        self.known = np.zeros(_CODE_POINTS, dtype=bool)
        self.fold = np.zeros(_CODE_POINTS, dtype=np.uint32)
        self.is_word = np.zeros(_CODE_POINTS, dtype=bool)
        self.expands = np.zeros(_CODE_POINTS, dtype=bool)
        self._powers: dict[int, np.ndarray] = {}

    def learn(self, code_points: np.ndarray) -> None:
        for code in np.unique(code_points[~self.known[code_points]]).tolist():
            folded = chr(code).casefold()
            self.known[code] = True
            self.expands[code] = len(folded) != 1
            if len(folded) == 1:
                self.fold[code] = ord(folded)
                self.is_word[code] = _WORD_CHARACTER.match(folded) is not None

    def hashes(self, code_points: np.ndarray, begin: np.ndarray, end: np.ndarray,
               base: int) -> np.ndarray:
        """sum(code_points[begin + i] * base**i) per word (mod 2**64), from prefix sums."""
        count = len(code_points)
        powers = self.powers(base, count)
        inverse_powers = self.powers(pow(base, -1, 1 << 64), count)
        prefix = np.zeros(count + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            np.cumsum(code_points * powers[:count], out=prefix[1:])
            return (prefix[end] - prefix[begin]) * inverse_powers[begin]

    def powers(self, base: int, count: int) -> np.ndarray:
        """base**0 .. base**count (mod 2**64), at least."""
        known = self._powers.get(base)
        if known is None or len(known) <= count:
            size = max(count + 1, 2 * len(known) if known is not None else 0)
            with np.errstate(over="ignore"):
                known = np.cumprod(np.r_[np.uint64(1), np.full(size - 1, base, dtype=np.uint64)])
            self._powers[base] = known
        return known


@dataclass(frozen=True)
class _ChunkWords:
    """The words of a chunk of texts joined by spaces: ``joined[begin[k]:end[k]]`` is word
    ``k`` (case-folded already when ``folded``); ``counts`` holds the words per text."""

    counts: np.ndarray
    begin: np.ndarray
    end: np.ndarray
    word_hash: np.ndarray
    shape: np.ndarray
    joined: str
    folded: bool

    def word(self, index: int) -> str:
        word = self.joined[self.begin[index]:self.end[index]]
        return word if self.folded else word.casefold()


def _chunks(texts: list[str]) -> Iterator[tuple[int, int, np.ndarray]]:
    """(low, high, starts): ``texts[low:high]`` hold about :data:`_CHUNK_CHARS` characters
    and start at ``starts`` once joined by spaces."""
    spaced = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
    text_starts = np.cumsum(spaced) - spaced
    total = int(text_starts[-1] + spaced[-1]) if len(texts) else 0
    # A chunk ends before the first text that starts past a multiple of _CHUNK_CHARS.
    bounds = np.unique(np.r_[0, np.searchsorted(
        text_starts, np.arange(_CHUNK_CHARS, total, _CHUNK_CHARS)), len(texts)])
    for low, high in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        yield low, high, text_starts[low:high] - text_starts[low]


def _chunk_words(texts: list[str], text_starts: np.ndarray, reader: _WordReader) -> _ChunkWords:
    """The words of ``texts``, which start at ``text_starts`` once joined by spaces."""
    joined = " ".join(texts)
    code_points = _code_points(joined)
    reader.learn(code_points)
    folded = bool(reader.expands[code_points].any())
    if folded:
        # Rare (ß, İ, ligatures): fold as text, so offsets move; classify the folded text.
        texts = [text.casefold() for text in texts]
        joined = " ".join(texts)
        text_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
        code_points = _code_points(joined)
        present = np.unique(code_points)
        present_is_word = np.array([_WORD_CHARACTER.match(chr(code)) is not None
                                    for code in present.tolist()], dtype=bool)
        is_word = present_is_word[np.searchsorted(present, code_points)]
    else:
        is_word = reader.is_word[code_points]
        code_points = reader.fold[code_points]
    edges = np.diff(is_word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    begin, end = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    text_of_word = np.searchsorted(text_starts, begin, side="right") - 1
    return _ChunkWords(
        counts=np.bincount(text_of_word, minlength=len(texts)).astype(np.int64),
        begin=begin, end=end,
        word_hash=reader.hashes(code_points, begin, end, _WORD_HASH_BASE),
        shape=_word_shape(code_points, begin, end),
        joined=joined, folded=folded,
    )


def _word_shape(code_points: np.ndarray, begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Length (capped at 2**22 - 1), first and last code point of each word, in 64 bits."""
    length = np.minimum(end - begin, (1 << 22) - 1).astype(np.uint64)
    return ((length << np.uint64(42)) | (code_points[begin].astype(np.uint64) << np.uint64(21))
            | code_points[end - 1])


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


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
    # Hashing every window through contiguous slices, then keeping those inside a
    # group, is cheaper than gathering the words of the kept windows.
    inside = group[:count] == group[size - 1:]
    values = ids.astype(np.uint64)
    values += np.uint64(1)
    hashed = values[:count].copy()
    with np.errstate(over="ignore"):
        for offset in range(1, size):
            hashed *= _HASH_BASE
            hashed += values[offset:offset + count]
        hashed *= _SCOPE_BASE
        hashed += scope[:count].astype(np.uint64)
    return Shingles(start=np.flatnonzero(inside), key=hashed[inside], size=size)


def cover(starts: np.ndarray, size: int, n_words: int) -> np.ndarray:
    """Boolean mask over words: True under any n-gram starting at ``starts``."""
    # One boolean scatter per word of the n-gram beats counting starts and ends in
    # int64 arrays the size of the text.
    covered = np.zeros(n_words + size, dtype=bool)
    for offset in range(size):
        covered[starts + offset] = True
    return covered[:n_words]


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
    """``mask`` with the runs ``starts``/``lengths`` set to ``value``.

    The runs never overlap, so no word is marked as a start twice (which ``+=`` on an
    index array would count once) and the running sum of marks stays 0 or 1: int8 is enough.
    """
    if len(starts) == 0:
        return mask
    painted = mask.copy()
    delta = np.zeros(len(mask) + 1, dtype=np.int8)
    delta[starts] += 1
    delta[starts + lengths] -= 1
    painted[np.cumsum(delta[: len(mask)], dtype=np.int8) > 0] = value
    return painted
