"""Direct quotes in article bodies, each with its speaker.

Quote marks are paired per paragraph (bodies separate paragraphs with a blank
line): curly “…”, German „…“, guillemets «…», straight "…" (toggled), and
single curly ‘…’ when no double mark covers them. Marks nested in another
kind of mark stay inside the outer quote. A quote still open at the end of a
paragraph continues into the next one when that paragraph opens with a mark
(the newspaper convention); otherwise a curly quote runs to the paragraph's
end and a straight one is dropped (an inch mark, not a quote).

Each quote then gets a speaker from :mod:`analysis.attribution` and a kind:

- ``direct``   a sentence or more in the speaker's words
  (``“…,” X said`` / ``X said: “…”``);
- ``partial``  words quoted inside the writer's own sentence
  (``Ukraine will not join “any military-political alliance,” said X``);
- ``scare``    at most :attr:`QuoteOptions.scare_max_words` words and no
  speaker: a term held at a distance, never given a speaker.
"""

from __future__ import annotations

import bisect
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pandas as pd

from analysis.errors import UsageError

QUOTE_COLUMNS = (
    "article_id", "outlet", "speaker", "text", "kind", "speaker_mention", "attribution",
    "resolution", "paragraph", "start", "end", "words", "quote_id",
)
QUOTE_KINDS = ("direct", "partial", "scare")
MAX_WORKERS = 4
PARALLEL_MIN_ARTICLES = 4000
PARALLEL_CHUNK_ARTICLES = 1000

# Where a sentence ends: terminal punctuation (not after an initial or a title such as
# "Sen."), closing marks, space, then a capital, a digit or an opening quote; or a
# paragraph break. Used for the context windows around quotes, not to segment whole texts.
# Abbreviations whose full stop never ends a sentence before a capital or a number.
_ABBREVIATIONS = {
    2: "Mr|Ms|Dr|St|Jr|Sr|Lt|No|Fr|Mt|Ft|Co",
    3: "Mrs|Sen|Rep|Gov|Gen|Col|Maj|Sgt|Adm|Rev|Amb|Det|Cpl|Pvt|Hon|Ald|Jan|Feb|Mar|Apr|Jun"
       "|Jul|Aug|Sep|Oct|Nov|Dec|Ave|Inc",
    4: "Atty|Prof|Capt|Cmdr|Supt|Insp|Pres|Sept|Brig|Reps|Sens|Msgr|Corp|Blvd",
}
# A look-behind needs a fixed width, hence one per word length.
_NOT_AFTER_ABBREVIATION = "".join(
    rf"(?<!\b(?:{words})\.)" for _, words in sorted(_ABBREVIATIONS.items())
)
# It opens with a plain character class so the regex engine skips ahead fast.
SENTENCE_BREAK = re.compile(
    r"[.!?…\n](?:(?<=\n)[ \t\r\f\v]*\n\s*"
    rf"|(?<=[.!?…])[.!?…]*(?<!\b[A-Z][.]){_NOT_AFTER_ABBREVIATION}"
    r"[”\"’»)\]]*[ \t\u00a0]+(?=[“\"‘]|[(\[]?[A-Z0-9]))"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_MARKS = "“”„«»\"‘"
_SINGLE_QUOTE = re.compile(r"(?<![\w’'])‘(?=\S)(.+?)’(?![\w’])")
_OPENERS = {"“": "”\"“", "„": "“”\"", "«": "»", "\"": "\"”"}
_WORD_CHARACTER = re.compile(r"\w")


@dataclass(frozen=True)
class QuoteOptions:
    """Thresholds of quote extraction.

    scare_max_words     a quote this short without a speaker is a scare quote
    subject_max_words   words between a quote and a following speech verb
                        ("“…,” Russian Foreign Ministry spokeswoman Maria
                        Zakharova said"), appositions not counted
    workers             processes to use; None picks up to :data:`MAX_WORKERS`
                        when there are at least :data:`PARALLEL_MIN_ARTICLES`
                        articles. The default 1 never starts a process, so
                        callers that parallelise themselves stay in charge.
    """

    scare_max_words: int = 3
    subject_max_words: int = 14
    workers: int | None = 1

    def __post_init__(self) -> None:
        for name in ("scare_max_words", "subject_max_words"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise UsageError(f"QuoteOptions.{name} must be a non-negative int, not {value!r}")
        if self.workers is not None and (not isinstance(self.workers, int) or self.workers < 1):
            raise UsageError(f"QuoteOptions.workers must be None or an int ≥ 1, not {self.workers!r}")


# The records below are built for every quote, so they are slotted and not frozen: a
# frozen dataclass sets each field through object.__setattr__, several times slower. With
# the records of attribution, mentions and names, that was a tenth of extract_quotes'
# time. Nothing changes them once built.
@dataclass(slots=True)
class QuoteSpan:
    """Where one quote sits in a body.

    parts          (start, end) of the quoted text in each paragraph it spans,
                   marks excluded
    outer_start    offset of the opening mark
    outer_end      offset just after the closing mark (or the paragraph end)
    paragraph      0-based paragraph of the opening mark
    paragraph_start, paragraph_end   bounds of the paragraph where the quote ends
    """

    parts: tuple[tuple[int, int], ...]
    outer_start: int
    outer_end: int
    paragraph: int
    first_paragraph_start: int
    paragraph_start: int
    paragraph_end: int

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


@dataclass(slots=True)  # not frozen, see QuoteSpan
class Quote:
    """One quote with its speaker; see :data:`QUOTE_COLUMNS` for the fields' meaning."""

    text: str
    kind: str
    speaker: str | None
    speaker_mention: str | None
    attribution: str | None
    resolution: str | None
    paragraph: int
    start: int
    end: int
    words: int


def paragraph_bounds(body: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank paragraph of ``body``."""
    bounds, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(body):
        if body[start:match.start()].strip():
            bounds.append((start, match.start()))
        start = match.end()
    if body[start:].strip():
        bounds.append((start, len(body)))
    return bounds


def find_quote_spans(body: str) -> list[QuoteSpan]:
    """Every quote of ``body`` in text order, continuations across paragraphs merged."""
    bounds = paragraph_bounds(body)
    starts = [start for start, _ in bounds]
    # (paragraph, offsets of its marks) in text order: only whitespace lies between
    # paragraphs, so the marks of one paragraph come one after another.
    marks: list[tuple[int, list[int]]] = []
    paragraph_end = -1
    for at in _mark_offsets(body):
        if at >= paragraph_end:
            paragraph = bisect.bisect_right(starts, at) - 1
            paragraph_end = bounds[paragraph][1]
            marks.append((paragraph, []))
        marks[-1][1].append(at)
    spans: list[QuoteSpan] = []
    pending: QuoteSpan | None = None
    for paragraph, paragraph_marks in marks:
        start, end = bounds[paragraph]
        pieces = _paragraph_quotes(body, start, end, paragraph_marks)
        if pending is not None:
            continues = (paragraph == _last_paragraph(pending) + 1 and pieces
                         and not body[start:pieces[0].open_at].strip())
            if continues:
                first = pieces.pop(0)
                pending = QuoteSpan(
                    pending.parts + ((first.text_start, first.text_end),), pending.outer_start,
                    first.outer_end, pending.paragraph, pending.first_paragraph_start,
                    start, end,
                )
                if first.still_open:
                    continue
                spans.append(pending)
            elif _keeps_unclosed(body, pending):
                spans.append(pending)
            pending = None
        for piece in pieces:
            span = QuoteSpan(((piece.text_start, piece.text_end),), piece.open_at,
                             piece.outer_end, paragraph, start, start, end)
            if piece.still_open:
                pending = span
            else:
                spans.append(span)
    if pending is not None and _keeps_unclosed(body, pending):
        spans.append(pending)
    return spans


def _mark_offsets(body: str) -> list[int]:
    """Offsets of the quote marks in ``body``, in order.

    One ``str.find`` loop per mark is several times faster than a regex
    character class, which tests every character of the body in turn.
    """
    offsets: list[int] = []
    for mark in _MARKS:
        at = body.find(mark)
        while at != -1:
            offsets.append(at)
            at = body.find(mark, at + 1)
    offsets.sort()
    return offsets


def _last_paragraph(span: QuoteSpan) -> int:
    return span.paragraph + len(span.parts) - 1


def _keeps_unclosed(body: str, span: QuoteSpan) -> bool:
    """An unclosed curly quote runs to its paragraph's end; a straight one is an inch mark."""
    opens_paragraph = not body[span.first_paragraph_start:span.outer_start].strip()
    return body[span.outer_start] != "\"" or opens_paragraph


@dataclass(slots=True)  # not frozen, see QuoteSpan
class _Piece:
    open_at: int
    text_start: int
    text_end: int
    outer_end: int
    still_open: bool


def _paragraph_quotes(body: str, start: int, end: int, marks: list[int]) -> list[_Piece]:
    """Quotes of one paragraph in order (``marks``: offsets of its quote marks).

    The last quote may still be open at the paragraph's end.
    """
    pieces: list[_Piece] = []
    open_at, closers = None, ""
    single_marks = False
    for at in marks:
        mark = body[at]
        if mark == "‘":
            single_marks = True
            continue
        if open_at is None:
            if mark in _OPENERS and _can_open(body, at, end, mark):
                open_at, closers = at, _OPENERS[mark]
            elif mark == "”" and _reversed_opener(body, at, end):
                open_at, closers = at, "”“\""
        elif mark in closers and not (mark == "“" and _letter_follows(body, at, end)):
            if at > open_at + 1:
                pieces.append(_Piece(open_at, open_at + 1, at, at + 1, False))
            open_at = None
        elif mark == "“" and body[open_at] == "“":
            # A second opening mark: the first quote lost its closing mark.
            open_at = at
    if open_at is not None and open_at + 1 < end:
        pieces.append(_Piece(open_at, open_at + 1, end, end, True))
    if single_marks:
        pieces = _add_single_quotes(body, start, end, pieces)
    return pieces


def _can_open(body: str, at: int, end: int, mark: str) -> bool:
    if mark != "\"":
        return at + 1 < end and not body[at + 1].isspace()
    before = body[at - 1] if at > 0 else " "
    return (before.isspace() or before in "([—–-/:") and at + 1 < end and not body[at + 1].isspace()


def _reversed_opener(body: str, at: int, end: int) -> bool:
    """A closing mark typed where an opening one belongs: after a space, before a letter."""
    before = body[at - 1] if at > 0 else " "
    return (before.isspace() or before in "(:") and _letter_follows(body, at, end)


def _letter_follows(body: str, at: int, end: int) -> bool:
    return at + 1 < end and _WORD_CHARACTER.match(body, at + 1) is not None


def _add_single_quotes(body: str, start: int, end: int, pieces: list[_Piece]) -> list[_Piece]:
    covered = [(piece.open_at, piece.outer_end) for piece in pieces]
    for match in _SINGLE_QUOTE.finditer(body, start, end):
        if not any(left <= match.start() < right for left, right in covered):
            pieces.append(_Piece(match.start(), match.start(1), match.end(1), match.end(), False))
    return sorted(pieces, key=lambda piece: piece.open_at)


def quote_text(body: str, span: QuoteSpan) -> str:
    """The quoted words, whitespace collapsed, a dangling comma dropped."""
    if len(span.parts) == 1:  # most quotes stay in one paragraph
        start, end = span.parts[0]
        text = body[start:end]
    else:
        text = " ".join(body[start:end] for start, end in span.parts)
    if "  " in text or "\n" in text or "\t" in text or text[:1].isspace():
        text = " ".join(text.split())
    return text.rstrip(" ,;")


def mask_quotes(body: str, spans: list[QuoteSpan]) -> str:
    """``body`` with quoted text replaced by "x", keeping offsets and final punctuation.

    Names and speech verbs inside quotes then never look like attributions,
    while a quote that ends a sentence still ends it (``“…latter.”``).
    """
    pieces, position = [], 0
    for span in spans:
        for start, end in span.parts:
            keep = 1 if end > start and body[end - 1] in ".!?…" else 0
            pieces.append(body[position:start])
            pieces.append("x" * (end - start - keep) + body[end - keep:end])
            position = end
    pieces.append(body[position:])
    return "".join(pieces)


def count_words(text: str) -> int:
    return len(text.split())


def more_words_than(text: str, limit: int) -> bool:
    """``count_words(text) > limit``, without splitting a long text to the end."""
    return len(text.split(None, limit)) > limit


def extract_quotes(articles: pd.DataFrame, *, options: QuoteOptions | None = None) -> pd.DataFrame:
    """One row per quote in ``articles`` (columns ``id``, ``body``; ``outlet`` optional).

    Columns (:data:`QUOTE_COLUMNS`):
      article_id, outlet
      speaker          full name of the person quoted, or null
      text             the quoted words
      kind             direct | partial | scare (see the module docstring)
      speaker_mention  the attribution as written ("he", "Arachamia", "the
                       Kremlin"); set even when it names no person
      attribution      how the speaker was found: said-after, said-before,
                       colon, subject, continuation; null when not found
      resolution       how the mention became a name: name, surname, pronoun, role
      paragraph        0-based paragraph where the quote opens
      start, end       offsets of the quoted text in ``body``
      words            number of words quoted
      quote_id         "<article_id>:<start>", unique in a corpus
    """
    missing = {"id", "body"} - set(articles.columns)
    if missing:
        raise UsageError(f"articles need columns id and body; missing {sorted(missing)}")
    options = options or QuoteOptions()
    ids = [str(article_id) for article_id in articles["id"]]
    outlets = list(articles["outlet"]) if "outlet" in articles.columns else [None] * len(ids)
    bodies = list(articles["body"])
    workers = options.workers or (
        min(MAX_WORKERS, os.cpu_count() or 1) if len(ids) >= PARALLEL_MIN_ARTICLES else 1
    )
    workers = min(workers, -(-len(ids) // PARALLEL_CHUNK_ARTICLES) or 1)
    if workers == 1:
        rows = _quote_rows(ids, outlets, bodies, options)
    else:
        rows = _quote_rows_in_parallel(ids, outlets, bodies, options, workers)
    frame = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
    for column in ("paragraph", "start", "end", "words"):
        frame[column] = frame[column].astype("int64")
    return frame


def _quote_rows(ids: list[str], outlets: list, bodies: list, options: QuoteOptions) -> list[tuple]:
    # Imported here: the attribution cascade is built on the spans of this module.
    from analysis.attribution import article_quotes

    rows = []
    for article_id, outlet, body in zip(ids, outlets, bodies, strict=True):
        if not isinstance(body, str) or not body:
            continue
        for quote in article_quotes(body, options=options):
            rows.append((
                article_id, outlet, quote.speaker, quote.text, quote.kind,
                quote.speaker_mention, quote.attribution, quote.resolution, quote.paragraph,
                quote.start, quote.end, quote.words, f"{article_id}:{quote.start}",
            ))
    return rows


def _quote_rows_in_parallel(ids: list[str], outlets: list, bodies: list, options: QuoteOptions,
                            workers: int) -> list[tuple]:
    """:func:`_quote_rows` over chunks in ``workers`` processes, rows kept in input order."""
    chunks = range(0, len(ids), PARALLEL_CHUNK_ARTICLES)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_quote_rows, ids[start:start + PARALLEL_CHUNK_ARTICLES],
                        outlets[start:start + PARALLEL_CHUNK_ARTICLES],
                        bodies[start:start + PARALLEL_CHUNK_ARTICLES], options)
            for start in chunks
        ]
        return [row for future in futures for row in future.result()]
