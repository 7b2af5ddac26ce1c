"""Sentence segmentation for news text.

Rules, not a model: news bodies are full of the cases that trip general
segmenters, and the whole corpus has to be split in seconds. pysbd (the
well-kept rule-based segmenter) runs at about 0.2 MB/s here — twenty minutes
for the 245 MB benchmark corpus — and splits "Sen. Mitch McConnell, R-Ky.," and
"3 p.m. Friday" mid-sentence, so SameStory uses the cascade below (a few
MB/s, see ``tests/test_sentences.py`` for the cases it holds).

A candidate boundary is terminal punctuation (``.``, ``!``, ``?``, ``…``),
any closing quotes or brackets, then whitespace. It is kept when:

1. the next word starts with a capital letter, a digit or an opening quote
   (``"Are you sure?" she asked.`` stays one sentence);
2. the word before a full stop is not a title or prefix that always
   precedes a name or number (``Dr.``, ``Gen.``, ``Sen.``, ``No. 10``,
   ``Jan. 5``);
3. after an initial (``George W. Bush``), a dotted acronym (``U.S.``,
   ``p.m.``) or a shortening that may end a sentence (``Inc.``, ``Jr.``),
   only when the next word is a common sentence opener (``He``, ``The``…);
4. it is not inside a quotation that closes again in the same paragraph
   (up to :data:`MAX_QUOTE_CHARS`), so a quoted passage stays whole.

Paragraphs (separated by a blank line) always end a sentence. A single line
break ends one too when the line before is short and has no terminal
punctuation (a heading or list item); otherwise it is a wrapped line.
A full stop glued to a capitalised word (``continued.The``), a scraping
artefact, is a boundary as well. Datelines (``WASHINGTON (AP) —``) stay at the
start of their first sentence.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

MAX_QUOTE_CHARS = 600
SHORT_LINE_CHARS = 40
WORD_WINDOW_CHARS = 40

SENTENCE_COLUMNS = ("article_id", "paragraph", "position", "sentence", "start", "end")

# Always followed by a name, a number or more of the same phrase.
_NEVER_FINAL = frozenset(
    """
    mr mrs ms messrs mme dr prof gen lt col maj capt cmdr cdr sgt cpl pvt adm brig
    sen sens rep reps gov govs pres supt insp det rev fr msgr hon amb atty
    no nos vol vols art arts fig figs sec para ch pp op approx ca cf vs v
    jan feb mar apr jun jul aug sep sept oct nov dec
    mt ft st ste ave blvd rd
    """.split()
)
# Shortenings that may close a sentence as well as continue one.
_MAYBE_FINAL = frozenset(
    "inc corp co ltd llc plc bros jr sr etc al dept univ assn est min max".split()
)
# Words that open sentences far more often than they continue a name.
_SENTENCE_OPENERS = frozenset(
    """
    a an the this that these those it its he she his her they their them we our
    i you your there here but and or so yet also still then now however meanwhile
    in on at for with after before when while as if because since although though
    despite during according both all each some many most more several one two
    three four five six seven eight nine ten no not what why how who where which
    mr mrs ms dr officials police authorities earlier later last next another
    such other even only just meanwhile instead nevertheless moreover
    """.split()
)
# A candidate boundary, its next word read in a lookahead; or else (group 5) a glued
# full stop, not before an e-mail address or a domain ("Patrick.Thomas@wsj.com").
# Both start with terminal punctuation, so one scan of the text finds them all (the
# leading lookahead lets the regex engine skip quickly to such a character).
_BOUNDARY = re.compile(
    r"(?=[.!?…])(?:([.!?…]+)([\"”’'»)\]]*)(\s+)(?=[\"“‘'«(\[]*\s*([\w][\w'’.-]*))"
    r"|([.!?])(?=[A-Z][a-z]+(?![\w@.])))")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LETTER_CAPITAL = re.compile(r"[^\W\d_]")
_QUOTE_MARK = re.compile(r"[“”«»\"]")


@dataclass(frozen=True)
class SentenceSpan:
    """One sentence: ``text[start:end]``, whitespace normalised in ``sentence``."""

    paragraph: int
    start: int
    end: int
    sentence: str


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with its whitespace collapsed to single spaces.

    Example: ``split_sentences('Dr. Smith met U.S. officials. "We agreed," she said.')``
    gives ``['Dr. Smith met U.S. officials.', '"We agreed," she said.']``.
    """
    return [span.sentence for span in sentence_spans(text)]


def sentence_spans(text: str) -> list[SentenceSpan]:
    """Sentences with their paragraph number (0-based) and character offsets in ``text``.

    The spans never overlap, appear in text order, and together cover every
    non-space character of ``text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return [SentenceSpan(*span) for span in _spans(text)]


def sentence_table(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence of every article in ``articles`` (columns ``id`` and ``body``).

    Columns:
      article_id  the article's ``id``
      paragraph   0-based paragraph of the body (paragraphs are split on blank lines)
      position    0-based sentence number within the article
      sentence    the sentence, whitespace collapsed
      start, end  character offsets: ``body[start:end]`` is the sentence as written
    """
    missing = {"id", "body"} - set(articles.columns)
    if missing:
        raise ValueError(f"articles need columns id and body; missing {sorted(missing)}")
    # Filled column by column: a frame builds several times faster from column lists than
    # from row tuples, which would also keep the garbage collector busy.
    columns: dict[str, list] = {name: [] for name in SENTENCE_COLUMNS}
    article_ids, paragraphs, positions = columns["article_id"], columns["paragraph"], columns["position"]
    sentences, starts, ends = columns["sentence"], columns["start"], columns["end"]
    for article_id, body in zip(articles["id"].tolist(), articles["body"].tolist(), strict=True):
        article_id = str(article_id)
        spans = _spans(body if isinstance(body, str) else "")
        for position, (paragraph, start, end, sentence) in enumerate(spans):
            article_ids.append(article_id)
            paragraphs.append(paragraph)
            positions.append(position)
            sentences.append(sentence)
            starts.append(start)
            ends.append(end)
    frame = (pd.DataFrame(columns) if article_ids
             else pd.DataFrame([], columns=list(SENTENCE_COLUMNS)))
    for column in ("paragraph", "position", "start", "end"):
        frame[column] = frame[column].astype("int64")
    return frame


def _spans(text: str) -> Iterator[tuple[int, int, int, str]]:
    """(paragraph, start, end, sentence) of every sentence: the fields of a SentenceSpan.

    The boundary regex reads each paragraph in place (``pos``/``endpos``), which it
    sees as if the paragraph stood alone.
    """
    for paragraph, (block_start, block_end) in enumerate(_paragraph_bounds(text)):
        cuts, glued = [], []
        for candidate in _BOUNDARY.finditer(text, block_start, block_end):
            punctuation, _, _, next_word, glued_stop = candidate.groups()
            stop = candidate.start()
            if glued_stop is not None:
                before = text[max(block_start, stop - 2):stop]
                if before.isalpha() and before.islower():
                    glued.append(stop + 1)
            elif _punctuation_ends(text, max(block_start, stop - WORD_WINDOW_CHARS), stop,
                                   punctuation, next_word):
                cuts.append(candidate.end(2))
        start = block_start
        for end in _sentence_ends(text, block_start, block_end, cuts, glued):
            piece = text[start:end]
            # str.strip removes exactly the characters for which str.isspace holds.
            stripped = piece.strip()
            if stripped:
                first = start + len(piece) - len(piece.lstrip())
                yield paragraph, first, first + len(stripped), _collapse_spaces(stripped)
            start = end


def _collapse_spaces(sentence: str) -> str:
    """``" ".join(sentence.split())``; most sentences already are, and a printable string
    has no whitespace but plain spaces, so only a double space needs the work."""
    if sentence.isprintable() and "  " not in sentence:
        return sentence
    return " ".join(sentence.split())


def _paragraph_bounds(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start:match.start()].strip():
            yield start, match.start()
        start = match.end()
    if text[start:].strip():
        yield start, len(text)


def _sentence_ends(text: str, block_start: int, block_end: int, cuts: list[int],
                   glued: list[int]) -> list[int]:
    """Where the sentences of one paragraph end: ascending offsets in ``text``, the last
    one ``block_end``. ``cuts`` (ascending, from the boundary scan) and ``glued`` are the
    accepted candidate boundaries; all lie inside the paragraph."""
    first_quote = _QUOTE_MARK.search(text, block_start, block_end) if cuts else None
    # A quotation can only hold a cut after its opening mark.
    if first_quote is not None and cuts[-1] > first_quote.start():
        quotes = [(block_start + start, block_start + end)
                  for start, end in _quotation_spans(text[block_start:block_end])]
        quote_starts = [start for start, _ in quotes]
        cuts = [cut for cut in cuts if not _inside_quote(cut, quotes, quote_starts)]
    others = glued
    if text.find("\n", block_start, block_end) != -1:
        # A line cut can fall on the paragraph's end (after a final line break).
        others = glued + [block_start + cut for cut in _line_cuts(text[block_start:block_end])
                          if block_start + cut < block_end]
    if others:
        cuts = sorted(set(cuts).union(others))
    cuts.append(block_end)
    return cuts


def _punctuation_ends(text: str, window_start: int, stop: int, punctuation: str,
                      next_word: str) -> bool:
    """Whether the candidate boundary of :data:`_BOUNDARY` at ``stop`` ends a sentence;
    the word before it is read from ``window_start`` on."""
    if not (next_word[0].isupper() or next_word[0].isdigit()):
        return False
    if punctuation != ".":
        return True
    before = _word_before(text, window_start, stop)
    if before is None:
        return True
    rule = _rule_after(before)
    if rule.never or (rule.never_before_digit and next_word[0].isdigit()):
        return False
    return not rule.needs_opener or next_word.rstrip(".").lower() in _SENTENCE_OPENERS


def _word_before(text: str, start: int, stop: int) -> str | None:
    """What ``re.search(r"(\\S+)$", text[start:stop])`` captures: the non-space run that
    ends the window (``$`` may also match before a final line break), without a regex."""
    window = text[start:stop]
    if window and window[-1] == "\n":
        window = window[:-1]
        if not window or window[-1].isspace():
            return None
    elif not window or window[-1].isspace():
        return None
    return window.rsplit(None, 1)[-1]


@dataclass(frozen=True)
class _StopRule:
    """How a full stop after a given word is judged (see the module docstring)."""

    never: bool
    never_before_digit: bool
    needs_opener: bool


@functools.lru_cache(maxsize=1 << 16)
def _rule_after(word_before: str) -> _StopRule:
    # The same few words come before most full stops, so their rule is worked out once.
    word = word_before.lstrip("\"“‘'«([").rstrip(".")
    lowered = word.lower()
    never_final = lowered in _NEVER_FINAL
    return _StopRule(
        never=never_final and word[:1].isupper(),
        never_before_digit=never_final,
        needs_opener=(len(word) == 1 and _LETTER_CAPITAL.match(word) is not None)
        or ("." in word and not word.replace(".", "").isdigit()) or lowered in _MAYBE_FINAL,
    )


def _line_cuts(block: str) -> Iterator[int]:
    """Line breaks after a short line with no terminal punctuation: headings, list items."""
    offset = 0
    for line in block.split("\n")[:-1]:
        offset += len(line) + 1
        stripped = line.strip()
        if stripped and len(stripped) < SHORT_LINE_CHARS and stripped[-1] not in ".!?…,;:":
            yield offset


def _quotation_spans(block: str) -> list[tuple[int, int]]:
    """(open, close) indexes of short quotations that close within the block.

    Nested or interleaved quotations are merged, so the result never overlaps.
    """
    spans = []
    open_at: int | None = None
    straight_open: int | None = None
    for match in _QUOTE_MARK.finditer(block):
        index, char = match.start(), match.group()
        if char in "“«":
            open_at = index
        elif char in "”»" and open_at is not None:
            spans.append((open_at, index))
            open_at = None
        elif char == '"':
            if straight_open is None:
                straight_open = index
            else:
                spans.append((straight_open, index))
                straight_open = None
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[1] - span[0] <= MAX_QUOTE_CHARS):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _inside_quote(cut: int, quotes: list[tuple[int, int]], quote_starts: list[int]) -> bool:
    """Only the last quotation opened before ``cut`` can hold it (they never overlap)."""
    index = bisect.bisect_left(quote_starts, cut) - 1
    return index >= 0 and cut <= quotes[index][1]
