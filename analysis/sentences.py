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
_BOUNDARY = re.compile(r"([.!?…]+)([\"”’'»)\]]*)(\s+)")
# Not before an e-mail address or a domain ("Patrick.Thomas@wsj.com").
_GLUED = re.compile(r"[.!?](?=[A-Z][a-z]+(?![\w@.]))")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_WORD_BEFORE = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"[\"“‘'«(\[]*\s*([\w][\w'’.-]*)")
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
    spans: list[SentenceSpan] = []
    for paragraph, (block_start, block_end) in enumerate(_paragraph_bounds(text)):
        for start, end in _split_block(text, block_start, block_end):
            start, end = _strip_bounds(text, start, end)
            if start < end:
                sentence = " ".join(text[start:end].split())
                spans.append(SentenceSpan(paragraph, start, end, sentence))
    return spans


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
    rows = [
        (str(article_id), span.paragraph, position, span.sentence, span.start, span.end)
        for article_id, body in zip(articles["id"], articles["body"], strict=True)
        for position, span in enumerate(sentence_spans(body if isinstance(body, str) else ""))
    ]
    frame = pd.DataFrame(rows, columns=list(SENTENCE_COLUMNS))
    for column in ("paragraph", "position", "start", "end"):
        frame[column] = frame[column].astype("int64")
    return frame


def _paragraph_bounds(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start:match.start()].strip():
            yield start, match.start()
        start = match.end()
    if text[start:].strip():
        yield start, len(text)


def _split_block(text: str, block_start: int, block_end: int) -> Iterator[tuple[int, int]]:
    """Sentence (start, end) pairs of one paragraph, ends exclusive."""
    block = text[block_start:block_end]
    cuts = set(_punctuation_cuts(block))
    if cuts and _QUOTE_MARK.search(block):
        quotes = _quotation_spans(block)
        quote_starts = [start for start, _ in quotes]
        cuts = {cut for cut in cuts if not _inside_quote(cut, quotes, quote_starts)}
    if "\n" in block:
        cuts.update(_line_cuts(block))
    cuts.update(match.end() for match in _GLUED.finditer(block)
                if block[max(0, match.start() - 2):match.start()].isalpha()
                and block[max(0, match.start() - 2):match.start()].islower())
    start = 0
    for cut in sorted(cuts):
        if cut > start:
            yield block_start + start, block_start + cut
            start = cut
    yield block_start + start, block_end


def _punctuation_cuts(block: str) -> Iterator[int]:
    for match in _BOUNDARY.finditer(block):
        following = _NEXT_WORD.match(block, match.end())
        if following is None:
            continue
        next_word = following.group(1)
        if not (next_word[0].isupper() or next_word[0].isdigit()):
            continue
        punctuation = match.group(1)
        if punctuation == "." and not _full_stop_ends(block, match.start(), next_word):
            continue
        yield match.end(2)


def _full_stop_ends(block: str, stop: int, next_word: str) -> bool:
    """Whether the full stop at ``stop`` ends a sentence, judged by the words around it."""
    before = _WORD_BEFORE.search(block, max(0, stop - WORD_WINDOW_CHARS), stop)
    if before is None:
        return True
    word = before.group(1).lstrip("\"“‘'«([").rstrip(".")
    lowered = word.lower()
    opener = next_word.rstrip(".").lower() in _SENTENCE_OPENERS
    if lowered in _NEVER_FINAL and (word[:1].isupper() or next_word[0].isdigit()):
        return False
    if len(word) == 1 and _LETTER_CAPITAL.match(word):
        return opener
    if "." in word and not word.replace(".", "").isdigit():
        return opener
    if lowered in _MAYBE_FINAL:
        return opener
    return True


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


def _strip_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
