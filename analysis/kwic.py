"""Keyword in context across outlets, found through the store's FTS5 index.

The store finds the articles whose body holds the term's words in order
(:meth:`analysis.store.Store.phrase_matches`; user text is split into plain
words, never passed to FTS5 as query syntax). Each occurrence is then
located in the body the way FTS5's ``unicode61 remove_diacritics 2``
tokenizer matches: case and diacritics ignored (``resume`` finds
``Résumé``), any run of non-alphanumeric characters between the words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from analysis.errors import UsageError
from analysis.store import Store

KWIC_COLUMNS = ["outlet", "article_id", "left", "keyword", "right"]
UNKNOWN_OUTLET = "(unknown outlet)"
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class KwicOptions:
    """``width``: characters of context on each side (cut back to whole words);
    ``max_per_outlet``: hits kept per outlet (None keeps all)."""

    width: int = 60
    max_per_outlet: int | None = 25

    def __post_init__(self):
        if self.width < 1:
            raise UsageError(f"width must be at least 1 character, not {self.width}")
        if self.max_per_outlet is not None and self.max_per_outlet < 1:
            raise UsageError(f"max_per_outlet must be at least 1 or None, not {self.max_per_outlet}")


def keyword_in_context(
    store: Store, term: str, *, ids=None, options: KwicOptions = KwicOptions(),
) -> pd.DataFrame:
    """Every occurrence of ``term`` in the store's bodies (or in ``ids``), grouped by outlet.

    Columns (:data:`KWIC_COLUMNS`): outlet; article_id; left and right, the
    context on either side, whitespace collapsed to single spaces and cut
    back to whole words; keyword, the occurrence as written.
    Rows are ordered by outlet, then the article's import order, then
    position in the body.
    """
    _require_words(term)
    articles = store.phrase_matches(term, ids=ids, per_outlet=options.max_per_outlet)
    return kwic_rows(articles, term, options=options)


def kwic_rows(articles: pd.DataFrame, term: str, *, options: KwicOptions = KwicOptions()) -> pd.DataFrame:
    """The occurrences of ``term`` in ``articles`` (columns id, outlet, body), as above."""
    pattern = _occurrence_pattern(_require_words(term))
    rows = []
    limit = options.max_per_outlet
    hits_of_outlet: dict[str, int] = {}
    for order, (article_id, outlet, body) in enumerate(
            zip(articles["id"], articles["outlet"], articles["body"])):
        outlet = outlet if isinstance(outlet, str) else UNKNOWN_OUTLET
        if not isinstance(body, str) or (limit is not None and hits_of_outlet.get(outlet, 0) >= limit):
            continue  # only an outlet's first hits, in import order, are kept
        for match in _occurrences(pattern, _fold(body)):
            start, end = match.span()
            hits_of_outlet[outlet] = hits_of_outlet.get(outlet, 0) + 1
            rows.append({
                "outlet": outlet,
                "article_id": str(article_id), "order": order, "start": start,
                "left": _left_context(body, start, options.width),
                "keyword": _one_line(body[start:end]),
                "right": _right_context(body, end, options.width),
            })
    if not rows:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    frame = pd.DataFrame(rows).sort_values(["outlet", "order", "start"], kind="stable")
    if options.max_per_outlet is not None:
        frame = frame.groupby("outlet", sort=False).head(options.max_per_outlet)
    return frame[KWIC_COLUMNS].reset_index(drop=True)


def _require_words(term: str) -> list[str]:
    words = _WORD.findall(_fold(term or ""))
    if not words:
        raise UsageError(f"give at least one word to look for, not {term!r}")
    return words


def _occurrence_pattern(words: list[str]) -> re.Pattern:
    """The words, apart by non-word characters, not followed by a letter or digit.

    Not being preceded by one is checked by :func:`_occurrences`: a pattern
    that starts with its first word lets the regex engine jump from one
    candidate to the next (20 times faster than a look-behind at every
    position of the body).
    """
    return re.compile(r"[\W_]+".join(map(re.escape, words)) + r"(?![^\W_])")


def _occurrences(pattern: re.Pattern, folded: str) -> Iterator[re.Match]:
    r"""Non-overlapping matches of ``pattern`` that start a word (the look-behind
    ``(?<![^\W_])``: ``[^\W_]`` is exactly ``str.isalnum``)."""
    position = 0
    while (match := pattern.search(folded, position)) is not None:
        if match.start() > 0 and folded[match.start() - 1].isalnum():
            position = match.start() + 1
            continue
        yield match
        position = match.end()


class _FoldTable(dict):
    """str.translate table: lower case without diacritics, one character for one."""

    def __init__(self):
        super().__init__()
        self._lowers_alike: dict[str, bool] = {}

    def __missing__(self, codepoint: int):
        character = chr(codepoint)
        base = unicodedata.normalize("NFD", character)[:1] or character
        lowered = base.lower()
        folded = lowered if len(lowered) == 1 else base
        self[codepoint] = folded
        return folded

    def lowers_alike(self, characters) -> bool:
        """Whether ``str.lower`` turns each of ``characters`` into its folded form.

        Capital sigma is never alike: ``str.lower`` makes it ``ς`` at the end of a word.
        """
        for character in characters:
            alike = self._lowers_alike.get(character)
            if alike is None:
                alike = character != "Σ" and character.lower() == self[ord(character)]
                self._lowers_alike[character] = alike
            if not alike:
                return False
        return True


_FOLD = _FoldTable()


def _fold(text: str) -> str:
    """Same length as ``text``, so offsets in the folded text are offsets in the text.

    Most news text holds no accented letter, only curly quotes and dashes
    that fold to themselves; ``str.lower`` folds it many times faster than
    the table.
    """
    if text.isascii() or _FOLD.lowers_alike(set(text)):
        return text.lower()
    return text.translate(_FOLD)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _left_context(body: str, start: int, width: int) -> str:
    left = body[max(0, start - width):start]
    if start > width and not body[start - width - 1].isspace():
        left = left.split(None, 1)[1] if len(left.split(None, 1)) == 2 else ""  # a cut word
    return _one_line(left)


def _right_context(body: str, end: int, width: int) -> str:
    right = body[end:end + width]
    if end + width < len(body) and not body[end + width].isspace():
        right = right.rsplit(None, 1)[0] if len(right.rsplit(None, 1)) == 2 else ""  # a cut word
    return _one_line(right)
