"""Who said a quote: the attribution cascade.

Everything here reads the *masked* body (quoted words blotted out, see
:func:`analysis.quotes.mask_quotes`), so a name or a verb inside a quote is
never taken for its attribution. Context is the quote's own sentence: from
the last sentence break before the opening mark, and after the closing mark
up to the next break or quote. For each quote, the first rule that finds a
mention wins:

1. ``said-after``: a speech verb right after the quote, with the speaker
   after it ("…,” said Ukrainian negotiator David Arachamia") or before it
   ("…,” Arachamia said"; the words in between must be a noun phrase of at
   most :attr:`QuoteOptions.subject_max_words`, appositions not counted).
   "“Why now?” Smith asked." counts although "?" ends the quote;
2. ``said-before``: the last speech verb before the quote in its sentence;
   the speaker is the subject right before that verb ("Antony Blinken said:
   “…”", "President Biden said he would not … “until …”"), the sentence's
   first mention when the verb has no subject of its own ("…, saying “…”",
   "… but said “…”"), the words after "according to" or after an inverted
   verb ("…,” promised its chief executive, John Matze, “…”"); also "his
   statement that “…”";
3. ``colon``: the sentence's subject leads into the quote with a colon
   ("Kiev’s Mayor Vitali Klitschko was even clearer: “…”");
4. ``subject``: the quote follows its sentence's subject, a known person,
   within two words ("Blinken was “absolutely convinced”");
5. ``continuation``: a quote standing alone keeps the speaker of the quote
   before it in the paragraph (or of the previous paragraph's last quote when
   it opens its paragraph), when nobody else is named in between and no other
   source (named or not) spoke since.

Short title-case or bracketed quotes (“Bild”, (“howitzers”), so-called
“peace plan”) take only rule 1: they name things, they are not someone's
words. A mention is resolved to a name by :mod:`analysis.mentions`: a named
person beats a role ("the ambassador"), a role beats a pronoun; an
organisation, place, group ("the Kremlin", "officials") or unnamed source
("a senior official", "one critic") is kept as ``speaker_mention`` with no
speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.gazetteers import word_alternation
from analysis.mentions import Found, pick_mention
from analysis.quotes import (
    SENTENCE_BREAK,
    Quote,
    QuoteOptions,
    QuoteSpan,
    count_words,
    find_quote_spans,
    mask_quotes,
    more_words_than,
    quote_text,
)
from analysis.speakers import ArticlePeople

SPEECH_VERBS = (
    "said says say saying told tells telling added adds adding asked asks asking stressed "
    "stresses warned warns explained explains wrote writes noted notes insisted insists argued "
    "argues declared declares stated welcomed welcomes announced announces confirmed confirms "
    "claimed claims tweeted tweets posted replied replies responded responds answered answers "
    "recalled recalls recounted continued continues urged urges admitted admits acknowledged "
    "acknowledges conceded concedes emphasized emphasised emphasizes emphasises underlined "
    "underlines suggested suggests commented remarked observed predicted vowed vows pledged "
    "pledges promised threatened demanded described describes criticized criticised "
    "criticizes criticises praised praises denied denies cautioned complained complains "
    "countered lamented joked quipped shouted wondered concluded testified boasted mused fumed "
    "thundered agreed whispered yelled screamed called calls interrupted interjected exclaimed "
    "retorted snapped reiterated reiterates proclaimed assured advised elaborated reminded "
    "maintained maintains contended alleged estimated texted emailed echoed opined cried "
    "pleaded begged chided scoffed sighed laughed objected protested reacted reflected "
    "recalled explained acknowledged summed dismissed labeled labelled branded hailed slammed "
    "blasted lambasted decried derided mocked touted"
).split()
_MULTIWORD_VERBS = ("spoke of", "speaks of", "according to", "was quoted as saying",
                    "went on", "pointed out", "points out", "chimed in", "wrote in", "shot back",
                    "fired back", "hit back", "pushed back", "is quoted as saying")
_VERBS = word_alternation((*_MULTIWORD_VERBS, *SPEECH_VERBS))
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_VERB_FIRST = re.compile(rf"^[\s,;:–—-]*(?:so\s+)?(?:{_VERBS})\b")
_PHRASE_END = re.compile(r"[;(\[“\"]|\s[–—-]\s|[.!?]$")
_CLAUSE_WORD = re.compile(
    r"\b(?:that|which|who|whom|is|are|was|were|be|been|being|has|have|had|would|will|could"
    r"|should|can|may|might|must|did|do|does|if|because|when|while|but|and|or|so|than|not)\b"
)
_POSSESSIVE_CUE = re.compile(
    r"\b(?:his|her|His|Her)\s+(?:[\w-]+\s+){0,2}?(?:statement|remarks|words|comments|message"
    r"|tweet|post|letter|speech|answer|reply|response|claim|argument|warning|testimony)\b"
)
_SHARED_SUBJECT = re.compile(r"(?:,|\b(?:and|but))(?:\s+(?:also|then|later))?\s*$")
_PRONOUN_CLOSES = re.compile(
    r"\s*(?:$|[,.;:!?)–—-]|(?:in|on|at|of|during|after|before|when|while|last|this|on|to|from)\b)"
)
_NAMING_CUE = re.compile(
    r"(?:[(\[]|\bso-called|\bknown as(?: an?| the)?|\bdubbed(?: an?| the)?|\bnicknamed"
    r"|\btermed|\bthe (?:word|term|phrase|slogan|hashtag))\s*$",
    re.IGNORECASE,
)
# The longest cue: a cue ends where the trailing spaces start, so it starts at most this
# many characters before, and searching from there spares the regex the other starts.
_NAMING_CUE_CHARS = len("known as the")
_WORDS = re.compile(r"[^\W\d_][\w’'-]*")
_LETTER = re.compile(r"[^\W\d_]")
_SUBJECT_GAP_WORDS = 2
_COLON_SUBJECT_WORDS = 3
_UNNAMED_WORDS = 4
_CUE_GAP_WORDS = 3
_SUBJECT_MAX_WORDS = 8
CONTEXT_CHARS = 600
_EXCLAIMED_SUBJECT_WORDS = 5


# Built for every quote: slotted and not frozen, see analysis.quotes.QuoteSpan.
@dataclass(slots=True)
class _Attributed:
    found: Found | None
    rule: str | None


@dataclass(slots=True)
class _Previous:
    """The last quote with a speaker, for the continuation rule."""

    span: QuoteSpan
    speaker: str
    clear_from: int


class _Article:
    """One body with its masked text and people, read by the cascade."""

    def __init__(self, body: str, options: QuoteOptions):
        self.body = body
        self.options = options
        self.spans = find_quote_spans(body)
        self.masked = mask_quotes(body, self.spans) if self.spans else body
        self.people = ArticlePeople(self.masked)

    def left_context(self, span: QuoteSpan) -> str:
        """The masked text from the start of the quote's sentence to its opening mark."""
        start = max(span.first_paragraph_start, span.outer_start - CONTEXT_CHARS)
        # One character past the mark, so the break's look-ahead sees the opening quote.
        for match in SENTENCE_BREAK.finditer(self.masked, start, span.outer_start + 1):
            start = min(match.end(), span.outer_start)
        return self.masked[start:span.outer_start]

    def sentence_end(self, position: int, limit: int, *, lookback: int = 3) -> int:
        """Where the sentence running at ``position`` ends, at most at ``limit``.

        The search starts ``lookback`` characters early: a quote ending in
        ``.”`` carries its sentence's full stop inside the marks.
        """
        limit = min(limit, position + CONTEXT_CHARS)
        match = SENTENCE_BREAK.search(self.masked, max(0, position - lookback), limit + 1)
        return min(max(match.start(), position), limit) if match else limit


def article_quotes(body: str, *, options: QuoteOptions) -> list[Quote]:
    """The quotes of one body, in text order, each with its speaker and kind."""
    article = _Article(body, options)
    quotes: list[Quote] = []
    previous: _Previous | None = None
    for index, span in enumerate(article.spans):
        text = quote_text(body, span)
        if not text:
            continue
        left = article.left_context(span)
        right = _right_context(article, index, span, text)
        words = count_words(text)
        attributed = _attribute(article, span, text, left, right, words)
        left_has_letter = _LETTER.search(left) is not None
        if attributed.found is None and not left_has_letter:
            attributed = _continuation(article, span, previous)
        found = attributed.found
        speaker = found.speaker if found else None
        if found is not None and found.resolution is not None:
            article.people.add_mention(found.position, speaker)
        follows_quote = index > 0 and article.spans[index - 1].outer_end >= span.outer_start - len(left)
        kind = _kind(text, left, left_has_letter, speaker, attributed.rule, words, options,
                     follows_quote)
        quotes.append(Quote(
            text=text, kind=kind, speaker=speaker, speaker_mention=found.mention if found else None,
            attribution=attributed.rule if found else None,
            resolution=found.resolution if found else None, paragraph=span.paragraph,
            start=span.start, end=span.end, words=words,
        ))
        if speaker is not None:
            # Names in the quote's own attribution ("Biden said of Sinema") do not
            # interrupt the speaker's next quote.
            clear_from = span.outer_end + (len(right) if attributed.rule == "said-after" else 0)
            previous = _Previous(span, speaker, clear_from)
        elif found is not None:
            previous = None  # someone else, unnamed or not a person, spoke last
    return quotes


def _right_context(article: _Article, index: int, span: QuoteSpan, text: str) -> str:
    limit = span.paragraph_end
    if index + 1 < len(article.spans):
        limit = min(limit, max(span.outer_end, article.spans[index + 1].outer_start))
    end = article.sentence_end(span.outer_end, limit)
    right = article.masked[span.outer_end:end]
    if text[-1:] in "?!" and end < limit and not _LETTER.search(right):
        # “Why now?” Smith asked. — the question mark ends the quote, not the sentence.
        later_end = article.sentence_end(span.outer_end + 1, limit, lookback=0)
        later = article.masked[span.outer_end:later_end]
        verb = _VERB.search(later)
        if verb and count_words(later[:verb.start()]) <= _EXCLAIMED_SUBJECT_WORDS:
            return later
    return right


def _attribute(article: _Article, span: QuoteSpan, text: str, left: str, right: str,
               words: int) -> _Attributed:
    after = _said_after(article, span.outer_end, right)
    if after is not None:
        return _Attributed(after, "said-after")
    left_start = span.outer_start - len(left)
    if words <= article.options.scare_max_words and _names_a_thing(text, left):
        return _Attributed(None, None)
    before = _said_before(article, left_start, left)
    if before is not None:
        return _Attributed(before, "said-before")
    if left.rstrip().endswith(":"):
        colon = _pick(article, left_start, span.outer_start, backward=False)
        # The colon's clause must be about the speaker: the mention is its subject,
        # not "the recipe for an Obama candidacy is detailed:".
        before = article.masked[left_start:colon.position] if colon else ""
        if colon is not None and (count_words(before) <= _COLON_SUBJECT_WORDS
                                  or before.rstrip().endswith(",")):
            return _Attributed(colon, "colon")
    if more_words_than(left, _SUBJECT_MAX_WORDS):
        return _Attributed(None, None)
    subject = _pick(article, left_start, span.outer_start, backward=False)
    # The weakest rule takes only a known person, never an unknown capitalised word.
    if subject is not None and subject.known and subject.speaker is not None:
        before = article.masked[left_start:subject.position]
        gap = article.masked[subject.position + len(subject.mention):span.outer_start]
        if count_words(before) == 0 and count_words(gap) <= _SUBJECT_GAP_WORDS:
            return _Attributed(subject, "subject")
    return _Attributed(None, None)


def _names_a_thing(text: str, left: str) -> bool:
    """A short quote in title case, in brackets or after "so-called" names something."""
    tail = left[-40:]
    if _NAMING_CUE.search(tail, max(0, len(tail.rstrip()) - _NAMING_CUE_CHARS)):
        return True
    letters = _WORDS.findall(text)
    return bool(letters) and all(word[0].isupper() for word in letters) and not text.endswith(
        (".", "!", "?", ",")
    )


def _said_after(article: _Article, start: int, right: str) -> Found | None:
    """Rule 1: "…,” said X" / "…,” X said" / "…,” claims a report by X, says Y"."""
    options = article.options
    verb = _VERB.search(right)
    if verb is None:
        return None  # nor can a verb open it: most quotes end here, so test this first
    verb_first = _VERB_FIRST.match(right)
    if verb_first:
        return _after_verb(article, start + verb_first.end(), start + len(right))
    subject = right[:verb.start()]
    core = _without_apposition(subject)
    if (more_words_than(core, options.subject_max_words) or not _LETTER.search(subject)
            or _CLAUSE_WORD.search(core)):
        return None
    found = _pick(article, start, start + verb.start(), backward=False)
    if found is None or found.resolution is None:
        # "…,” excluded from many programs, says Nivedita Jayaram — the speaker follows.
        after = _after_verb(article, start + verb.end(), start + len(right))
        if after is not None and after.resolution is not None:
            return after
    return found


def _without_apposition(subject: str) -> str:
    """"Ms. Clinton, a Democrat and former secretary of state," → "Ms. Clinton" (and what follows)."""
    pieces = subject.split(",")
    return ",".join((pieces[0], pieces[-1])) if len(pieces) > 2 else subject


def _after_verb(article: _Article, start: int, end: int) -> Found | None:
    """The speaker named right after a speech verb, up to the end of that phrase.

    A pronoun there must close the phrase: "said he." names the speaker,
    "said he never made passes" is reported speech about someone else.
    """
    phrase = article.masked[start:end]
    cut = _PHRASE_END.search(phrase)
    phrase = phrase[:cut.start()] if cut else phrase
    found = _pick(article, start, start + len(phrase), backward=False)
    if found is not None and found.resolution == "pronoun":
        following = article.masked[found.position + len(found.mention):end]
        if not _PRONOUN_CLOSES.match(following):
            return None
    if found is None and _LETTER.search(phrase):
        # "wrote one critic": a speaker the article does not name; not a continuation.
        words = phrase.split()[:_UNNAMED_WORDS]
        return Found(None, " ".join(words).strip(" ,"), None, start)
    return found


def _said_before(article: _Article, left_start: int, left: str) -> Found | None:
    verbs = list(_VERB.finditer(left))
    if verbs:
        verb = verbs[-1]
        if verb.group() == "according to":
            return _pick(article, left_start + verb.end(), left_start + len(left), backward=False)
        # "…, saying “…”" and "…, but said “…”" have no subject of their own: it is the
        # sentence's, its first mention.
        no_subject = verb.group().endswith("ing") or _SHARED_SUBJECT.search(left[:verb.start()])
        found = _pick(article, left_start, left_start + verb.start(), backward=not no_subject)
        if found is not None:
            return found
        # "“…,” promised the chief executive, John Matze, in an interview, “…”"
        after = _after_verb(article, left_start + verb.end(), left_start + len(left))
        if after is not None and after.resolution is not None:
            return after
    cue = _POSSESSIVE_CUE.search(left)
    if cue is not None and count_words(left[cue.end():]) <= _CUE_GAP_WORDS:
        pronoun = cue.group().split()[0]
        speaker = article.people.resolve_pronoun(pronoun, left_start + cue.start())
        return Found(speaker, pronoun, "pronoun", left_start + cue.start())
    return None


def _continuation(article: _Article, span: QuoteSpan, previous: _Previous | None) -> _Attributed:
    if previous is None:
        return _Attributed(None, None)
    earlier, speaker = previous.span, previous.speaker
    earlier_last_paragraph = earlier.paragraph + len(earlier.parts) - 1
    opens_paragraph = not article.body[span.first_paragraph_start:span.outer_start].strip()
    if not (earlier_last_paragraph == span.paragraph
            or (opens_paragraph and earlier_last_paragraph + 1 == span.paragraph)):
        return _Attributed(None, None)
    if article.people.named_between(previous.clear_from, span.outer_start, other_than=speaker):
        return _Attributed(None, None)
    return _Attributed(Found(speaker, speaker, None, span.outer_start), "continuation")


def _kind(text: str, left: str, left_has_letter: bool, speaker: str | None, rule: str | None,
          words: int, options: QuoteOptions, follows_quote: bool) -> str:
    """direct, partial or scare; see :mod:`analysis.quotes`.

    A quote is direct when nothing of the writer's sentence comes before it,
    or a colon or comma hands over to it ("X said: “…”", "X said, “But…”",
    the second half of "“…,” X said, “…”").
    """
    if speaker is None and words <= options.scare_max_words and rule != "said-after":
        return "scare"
    tail = left.rstrip()
    if not left_has_letter or tail.endswith(":"):
        return "direct"
    if tail.endswith(",") and (text[:1].isupper() or text[:1].isdigit() or follows_quote):
        return "direct"
    return "partial"


# -- mentions -----------------------------------------------------------------


def _pick(article: _Article, start: int, end: int, *, backward: bool) -> Found | None:
    return pick_mention(article.masked, article.people, start, end, backward=backward)
