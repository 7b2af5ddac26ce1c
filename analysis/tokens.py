"""Words of many articles as one stream of integer codes.

The fast path under distinctive terms. scikit-learn's ``CountVectorizer``
runs Python once per token; with bigrams it took 178 s on the 37.5k-article
benchmark corpus. Here Python runs once per *distinct* token and the rest is
NumPy:

1. Each batch of texts is lower-cased, joined and split on whitespace in C;
   ``pandas.factorize`` turns the tokens into codes of a growing vocabulary
   of raw tokens (``"said,"``, ``"“we"``, ``"trump’s"``).
2. Each distinct raw token is analysed once: the word inside it (outer
   punctuation stripped, curly apostrophes straightened, a possessive
   ``'s`` dropped); whether that word is a content word (has a letter, at
   least two characters, not in :data:`STOP_WORDS`); whether
   punctuation on either side breaks a phrase.
3. Per-token facts are then array lookups such as ``raw_to_word[codes]``.

Line breaks become the paragraph mark ``¶`` before splitting, so no phrase
runs across paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

PARAGRAPH_MARK = "¶"
PARAGRAPH_CODE = 0
BATCH_DOCUMENTS = 2000
_DOCUMENT_MARK = "\x01"
# scikit-learn's English list, minus words that carry news content ("bill",
# "fire", "interest"), plus the contractions its list lacks.
STOP_WORDS = (
    ENGLISH_STOP_WORDS
    - {"bill", "fire", "system", "computer", "interest", "call", "found", "mill", "cry", "amount",
       "describe", "detail", "side", "front", "back", "top", "bottom", "full", "serious", "empty",
       "fill", "find", "move", "show", "part", "thick", "thin", "con", "hundred", "sincere",
       "couldnt", "hasnt", "cant"}
) | {
    "don't", "doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't", "shouldn't", "isn't",
    "aren't", "wasn't", "weren't", "hasn't", "haven't", "hadn't", "i'm", "i've", "i'd", "i'll",
    "you're", "you've", "you'd", "you'll", "we're", "we've", "we'd", "we'll", "they're", "they've",
    "they'd", "they'll", "he'd", "he'll", "she'd", "she'll", "it'll", "let's", "ain't",
}
_OUTER_PUNCTUATION = re.compile(r"([\W_]*)(.*?)([\W_]*)\Z", re.DOTALL)
_POSSESSIVE = re.compile(r"'s\Z")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class TokenStream:
    """All tokens of ``n_documents`` texts, in order, as integer codes.

    ``codes[k]`` indexes the raw-token vocabulary (code 0 is the paragraph
    mark). ``document_starts`` holds ``n_documents + 1`` offsets: document
    ``d`` owns ``codes[document_starts[d]:document_starts[d + 1]]``. Arrays
    named ``raw_*`` have one entry per raw token; ``words`` and
    ``content_word`` one entry per distinct normalised word.
    """

    codes: np.ndarray  # int32, one per token
    document_starts: np.ndarray  # int64, n_documents + 1
    raw_to_word: np.ndarray  # int32 word code per raw token, -1 when it holds no word
    raw_breaks_before: np.ndarray  # bool per raw token: punctuation in front
    raw_breaks_after: np.ndarray  # bool per raw token: punctuation behind, or no word
    words: np.ndarray  # object array of distinct words, indexed by word code
    content_word: np.ndarray  # bool per word code

    @property
    def n_documents(self) -> int:
        return len(self.document_starts) - 1

    @cached_property
    def document_of_token(self) -> np.ndarray:
        """int32 document index of every token."""
        lengths = np.diff(self.document_starts)
        return np.repeat(np.arange(self.n_documents, dtype=np.int32), lengths)

    @cached_property
    def token_words(self) -> np.ndarray:
        """int32 word code of every token, -1 for punctuation-only tokens."""
        return self.raw_to_word[self.codes]

    def content_positions(self) -> np.ndarray:
        """Indices of the tokens that are content words."""
        token_words = self.token_words
        has_word = token_words >= 0
        is_content = np.zeros(len(token_words), dtype=bool)
        is_content[has_word] = self.content_word[token_words[has_word]]
        return np.flatnonzero(is_content)

    def bigram_positions(self) -> np.ndarray:
        """Indices ``k`` where tokens ``k`` and ``k + 1`` form a content bigram.

        Both are content words of the same document with no punctuation
        between them.
        """
        is_content = np.zeros(len(self.codes), dtype=bool)
        is_content[self.content_positions()] = True
        pairs = (
            is_content[:-1] & is_content[1:]
            & ~self.raw_breaks_after[self.codes[:-1]]
            & ~self.raw_breaks_before[self.codes[1:]]
        )
        document_of_token = self.document_of_token
        pairs &= document_of_token[:-1] == document_of_token[1:]
        return np.flatnonzero(pairs)


def tokenize(texts) -> TokenStream:
    """Split ``texts`` (an iterable of str; anything else counts as empty) into a stream.

    >>> stream = tokenize(["Trump’s tariffs hit farmers.", "Farmers said no."])
    >>> [str(word) for word in stream.words[stream.token_words]]
    ['trump', 'tariffs', 'hit', 'farmers', 'farmers', 'said', 'no']
    """
    texts = [_plain(text) for text in texts]
    raw_vocabulary: dict[str, int] = {PARAGRAPH_MARK: PARAGRAPH_CODE}
    codes: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
    lengths: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(texts), BATCH_DOCUMENTS):
        batch_codes, batch_lengths = _encode_batch(texts[start:start + BATCH_DOCUMENTS], raw_vocabulary)
        codes.append(batch_codes)
        lengths.append(batch_lengths)
    document_starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(lengths), out=document_starts[1:])
    return _analyse(list(raw_vocabulary), np.concatenate(codes), document_starts)


def _plain(text) -> str:
    if not isinstance(text, str):
        return ""
    return text.replace(_DOCUMENT_MARK, " ") if _DOCUMENT_MARK in text else text


def _encode_batch(batch: list[str], raw_vocabulary: dict[str, int]):
    # One C-level split for the whole batch; a mark token separates documents.
    joined = f" {_DOCUMENT_MARK} ".join(batch).lower().replace("\n", f" {PARAGRAPH_MARK} ")
    batch_codes, uniques = pd.factorize(np.array(joined.split(), dtype=object))
    global_codes = np.fromiter(
        (raw_vocabulary.setdefault(token, len(raw_vocabulary)) for token in uniques),
        dtype=np.int32, count=len(uniques))
    separator = next((code for code, token in enumerate(uniques) if token == _DOCUMENT_MARK), -1)
    is_separator = batch_codes == separator
    bounds = np.concatenate(([-1], np.flatnonzero(is_separator), [len(batch_codes)]))
    lengths = (np.diff(bounds) - 1).astype(np.int64)
    return global_codes[batch_codes[~is_separator]], lengths


def _analyse(raw_tokens: list[str], codes: np.ndarray, document_starts: np.ndarray) -> TokenStream:
    size = len(raw_tokens)
    raw_to_word = np.full(size, -1, dtype=np.int32)
    breaks_before = np.zeros(size, dtype=bool)
    breaks_after = np.ones(size, dtype=bool)
    word_codes: dict[str, int] = {}
    for raw_code, raw in enumerate(raw_tokens):
        if raw.isalnum():
            # Most tokens are bare words: nothing to strip or check.
            raw_to_word[raw_code] = word_codes.setdefault(raw, len(word_codes))
            breaks_after[raw_code] = False
            continue
        lead, core, trail = _OUTER_PUNCTUATION.match(raw.replace("’", "'")).groups()
        word = _POSSESSIVE.sub("", core)
        if not word or raw == PARAGRAPH_MARK:
            continue
        raw_to_word[raw_code] = word_codes.setdefault(word, len(word_codes))
        breaks_before[raw_code] = bool(lead)
        breaks_after[raw_code] = bool(trail)
    words = np.array(list(word_codes), dtype=object)
    content_word = np.fromiter((_is_content(word) for word in words), dtype=bool, count=len(words))
    return TokenStream(
        codes=codes, document_starts=document_starts, raw_to_word=raw_to_word,
        raw_breaks_before=breaks_before, raw_breaks_after=breaks_after,
        words=words, content_word=content_word,
    )


def _is_content(word: str) -> bool:
    return len(word) >= 2 and word not in STOP_WORDS and _LETTER.search(word) is not None
