"""Who a mention refers to: the people of one article, and one name per person in a story.

:class:`ArticlePeople` holds the people an article names outside its quotes
and resolves the three kinds of reference a quote's attribution uses:

- a name: "Arachamia" → "David Arachamia" (surname of a full name in the
  article, earlier or later; the latest before the mention when two share it);
- a pronoun: "he"/"she" → the first gender-compatible person of the latest
  sentence that mentions one (the sentence subject, not the last object);
- a role: "the Ukrainian ambassador" → the person named with that role noun
  elsewhere ("The ambassador in Berlin, Andriy Melnyk"), scored by shared words.

Across articles, :func:`analysis.voices.canonical_speakers` gives each person
one spelling.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.gazetteers import (
    FEMALE_GIVEN_NAMES,
    FEMALE_WORDS,
    FUNCTION_WORDS,
    MALE_GIVEN_NAMES,
    MALE_WORDS,
    NAME_PARTICLES,
    TITLE_WORDS,
    fold,
)
from analysis.names import SpanInfo, classify_span, find_spans
from analysis.quotes import SENTENCE_BREAK

PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male",
                  "she": "female", "her": "female"}
NAME_WINDOW_CHARS = 80
PRONOUN_WINDOW_CHARS = 700
HOLDER_WINDOW_CHARS = 60
HOLDER_GAP_WORDS = 4

_WORDS = re.compile(r"[^\W\d_][\w’'-]*")
# Role nouns that stand in for each other ("spokesman" / "spokeswoman").
_ROLE_FAMILIES = {
    "spokeswoman": "spokes", "spokesman": "spokes", "spokesperson": "spokes",
    "chairwoman": "chair", "chairman": "chair", "chairperson": "chair",
    "advisor": "adviser", "chief": "head", "leader": "head",
}
_ROLE_NOUN_FAMILIES: dict[str, tuple[str, ...]] = defaultdict(tuple)
for _noun, _family in _ROLE_FAMILIES.items():
    _ROLE_NOUN_FAMILIES[_family] += (_noun,)


@dataclass(slots=True)
class Mention:
    """A reference to a person at offset ``start``.

    A name found while scanning keeps its ``info`` and is resolved only when a
    pronoun or a continuation looks at it (most never are); ``person`` is then
    its full name, or None when it turned out to name nobody.
    """

    start: int
    person: str | None
    info: SpanInfo | None = None
    was_name: bool = False

    @property
    def unresolved_attribution(self) -> bool:
        """A quote's attribution nobody could be found for ("the spokesman said")."""
        return self.person is None and self.info is None and not self.was_name


@dataclass(frozen=True)
class _FullName:
    position: int
    name: str


class ArticlePeople:
    """The people one article names (outside quotes) and the references to them.

    ``masked_body`` is the article body with quoted text blotted out, so names
    inside quotes (the speaker talking about someone) never become mentions.
    Work is lazy, because most of a long article never matters for its quotes:
    a surname or role noun is looked up only where it occurs (``str.find``),
    and mentions are scanned only in the :data:`PRONOUN_WINDOW_CHARS` before a
    pronoun or between two quotes.
    """

    def __init__(self, masked_body: str):
        self.body = masked_body
        self._scanned: list[tuple[int, int]] = []
        self._mentions: list[Mention] = []
        self._mention_starts: list[int] = []
        self._full_names: dict[str, list[_FullName]] = {}
        self._genders: dict[str, str] = {}

    @functools.cached_property
    def _lowered(self) -> str:
        """The body in lower case, made only when a look-up needs it (it is not cheap)."""
        lowered = self.body.lower()
        # Lower-casing may change the length of odd characters ("İ"); then search as written.
        return lowered if len(lowered) == len(self.body) else self.body

    # -- names ------------------------------------------------------------------
    def resolve_name(self, info: SpanInfo, position: int) -> str | None:
        """The full name a person span refers to; None for an unknown bare word.

        A bare surname becomes the full name written elsewhere in the article
        (the latest before ``position``, else the first after); a titled bare
        name with no full form stays as written ("President Biden" → "Biden").
        """
        if info.gender:
            self._genders.setdefault(info.name, info.gender)
        if " " in info.name:
            return info.name
        written = " " + fold(info.name)
        candidates = [full for full in self._full_names_for(_surname(info.name))
                      if full.name != info.name and fold(full.name).endswith(written)]
        if not candidates:
            return info.name if info.kind == "person" else None
        before = [full for full in candidates if full.position < position]
        chosen = before[-1] if before else candidates[0]
        if info.gender:
            self._genders.setdefault(chosen.name, info.gender)
        return chosen.name

    def _full_names_for(self, surname: str) -> list[_FullName]:
        """Every full name in the article ending in ``surname``, found where it occurs."""
        cached = self._full_names.get(surname)
        if cached is not None:
            return cached
        found: list[_FullName] = []
        for position in self._occurrences(surname):
            if not _after_capitalised_word(self.body, position):
                continue
            window_start = max(0, position - NAME_WINDOW_CHARS)
            for span in find_spans(self.body, window_start, position + len(surname) + 2):
                if not span.start < position < span.end:
                    continue
                info = classify_span(span.text)
                if info.kind == "person" and " " in info.name and _surname(info.name) == surname:
                    found.append(_FullName(span.start, info.name))
                    gender = info.gender or _gender_before(self.body, span.start)
                    if gender:
                        self._genders.setdefault(info.name, gender)
        self._full_names[surname] = found
        return found

    def _occurrences(self, word: str, *, as_written: bool = False) -> list[int]:
        """Offsets where ``word`` stands as a whole word, in any case unless ``as_written``."""
        text = self.body if as_written else self._lowered
        found: list[int] = []
        if not word:
            return found
        position = text.find(word)
        while position != -1:
            end = position + len(word)
            if (position == 0 or not text[position - 1].isalnum()) and (
                    end >= len(text) or not text[end].isalnum()):
                found.append(position)
            position = text.find(word, end)
        return found

    def could_be_surname(self, word: str, position: int) -> bool:
        """Whether a bare capitalised word, never written in full, may be someone's name.

        Not when the article also writes it in lower case (a common word), nor
        at the start of a sentence, where any word is capitalised ("Asked why
        …", "Crowd: “Yes.”").
        """
        # Right after a closing quote mark is where attributions stand ("“Why?” Smith asked").
        before = self.body[max(0, position - 4):position].rstrip(" \t“‘(")
        sentence_start = not before or before[-1] in ".!?:\n"
        return not sentence_start and not self.written_in_lower_case(word)

    def written_in_lower_case(self, word: str) -> bool:
        """Whether ``word`` also occurs in lower case: then it is a common word, not a name."""
        lowered = word.lower()
        return lowered == word or bool(self._occurrences(lowered, as_written=True))

    # -- mentions ---------------------------------------------------------------
    def add_mention(self, start: int, person: str | None, info: SpanInfo | None = None) -> None:
        """Record a reference (a name, or a resolved attribution) for later pronouns."""
        index = bisect.bisect_right(self._mention_starts, start)
        if index and self._mention_starts[index - 1] == start:
            return
        self._mention_starts.insert(index, start)
        self._mentions.insert(index, Mention(start, person, info))

    def _person(self, mention: Mention) -> str | None:
        if mention.info is not None:
            info = mention.info
            person = self.resolve_name(info, mention.start)
            # A bare surname never written in full still names someone ("According to
            # Borges, he …") unless the article also uses it as a common word.
            if person is None and self.could_be_surname(info.name, mention.start):
                person = info.name
            mention.person, mention.info, mention.was_name = person, None, True
        return mention.person

    def _ensure_scanned(self, start: int, end: int) -> None:
        """Find the names in ``body[start:end]`` not scanned yet (resolved later, if needed)."""
        for gap_start, gap_end in _gaps(self._scanned, max(0, start), end):
            for span in find_spans(self.body, gap_start, gap_end):
                info = classify_span(span.text)
                # "Tripp’s son, Gavin, …": a possessor is not who the sentence is about.
                if info.kind in ("person", "single") and not self.body.startswith(
                        ("’s", "'s"), span.end):
                    self.add_mention(span.start, None, info)
            self._scanned = _merge(self._scanned, (gap_start, gap_end))

    def named_between(self, start: int, end: int, *, other_than: str | None = None) -> bool:
        """Whether a person other than ``other_than`` is mentioned in ``[start, end)``."""
        self._ensure_scanned(start, end)
        first = bisect.bisect_left(self._mention_starts, start)
        last = bisect.bisect_left(self._mention_starts, end)
        for mention in self._mentions[first:last]:
            person = self._person(mention)
            if person != other_than and (person is not None or mention.unresolved_attribution):
                return True
        return False

    def resolve_pronoun(self, pronoun: str, position: int) -> str | None:
        """The first compatible person of the latest sentence before ``position`` naming one.

        The first person of a sentence is usually its subject, the one a
        following "he said" refers to ("Dianne Foley … told Doocy she …").
        An unresolved attribution (a role nobody holds) in that place stops the
        search: the pronoun then refers to someone unnamed.
        """
        self._ensure_scanned(position - PRONOUN_WINDOW_CHARS, position)
        gender = PRONOUN_GENDER.get(pronoun.lower())
        first = bisect.bisect_left(self._mention_starts, position - PRONOUN_WINDOW_CHARS)
        last = bisect.bisect_left(self._mention_starts, position)
        found: str | None = None
        later_start = position
        for mention in reversed(self._mentions[first:last]):
            # One character past ``later_start``: the break's look-ahead must see it.
            if found is not None and SENTENCE_BREAK.search(self.body, mention.start,
                                                           later_start + 1):
                break
            person = self._person(mention)
            if mention.unresolved_attribution and found is None:
                return None
            if person is not None and self._compatible(person, gender):
                found = person
            later_start = mention.start
        return found

    def _compatible(self, name: str, gender: str | None) -> bool:
        known = self._genders.get(name) or _given_name_gender(name)
        return gender is None or known is None or known == gender

    # -- roles ------------------------------------------------------------------
    def resolve_role(self, role_words: Iterable[str], head: str, position: int) -> str | None:
        """The person the article names with the role noun ``head`` somewhere else.

        Every other occurrence of the role's family of nouns ("spokesman" ~
        "spokeswoman") is read: the person named in it or right after it
        ("Defense Minister Christine Lambrecht", "The ambassador in Berlin,
        Andriy Melnyk") or right before it in apposition ("Vladimir Medinsky,
        the head of the delegation") holds the role. The holder sharing most
        words with ``role_words`` wins; ties go to the latest before
        ``position``, then to the first after it.
        """
        wanted = {fold(word) for word in role_words} - FUNCTION_WORDS
        family = _ROLE_FAMILIES.get(head, head)
        holders: list[tuple[int, int, str]] = []
        for noun in (family, *_ROLE_NOUN_FAMILIES[family]):
            for occurrence in self._occurrences(noun):
                if occurrence <= position < occurrence + len(noun):
                    continue
                holder = self._holder(occurrence, len(noun))
                if holder is not None:
                    around = self.body[max(0, occurrence - 50):occurrence + len(noun) + 50]
                    score = len(wanted & {fold(word) for word in _WORDS.findall(around)})
                    holders.append((score, occurrence, holder))
        if not holders:
            return None
        best = max(score for score, _, _ in holders)
        ranked = sorted((occurrence, name) for score, occurrence, name in holders if score == best)
        before = [name for occurrence, name in ranked if occurrence < position]
        return before[-1] if before else ranked[0][1]

    def _holder(self, occurrence: int, length: int) -> str | None:
        """The person named in, right after or in apposition right before a role noun."""
        end = occurrence + length
        after = before = None
        for span in find_spans(self.body, max(0, occurrence - HOLDER_WINDOW_CHARS),
                               end + HOLDER_WINDOW_CHARS):
            info = classify_span(span.text)
            if info.kind != "person":
                continue
            if span.start <= occurrence < span.end:
                return self.resolve_name(info, span.start)
            gap = self.body[end:span.start] if span.start >= end else self.body[span.end:occurrence]
            if SENTENCE_BREAK.search(gap + "X") or len(gap.split()) > HOLDER_GAP_WORDS:
                continue
            if span.start >= end and after is None:
                after = (span, info)
            elif span.end <= occurrence and gap.lstrip().startswith(","):
                before = (span, info)
        chosen = after or before
        return self.resolve_name(chosen[1], chosen[0].start) if chosen else None


def _surname(name: str) -> str:
    """The last word of a name, lower-cased as written (an article spells it one way)."""
    return name.split()[-1].lower().strip(".’'")


def _after_capitalised_word(body: str, position: int) -> bool:
    """Whether a first name (a capitalised word, not a title) or a particle stands just
    before ``position``."""
    if position < 2 or body[position - 1] not in " \t":
        return False
    space = body.rfind(" ", 0, position - 1)
    # A tab counts only after the last space: searching the whole body for one (most
    # have none) cost more than everything else here.
    word_start = max(space, body.rfind("\t", space + 1, position - 1)) + 1
    word = body[word_start:position - 1]
    if not word or word.rstrip(".").lower() in TITLE_WORDS:
        return False  # "President Trump", "Mr. Trump": a title, not a first name
    return word[0].isupper() or word in NAME_PARTICLES


def _given_name_gender(name: str) -> str | None:
    given = fold(name.split()[0]) if " " in name else ""
    if given in FEMALE_GIVEN_NAMES:
        return "female"
    return "male" if given in MALE_GIVEN_NAMES else None


def _gender_before(body: str, start: int) -> str | None:
    """Gender told by the word just before a name ("spokeswoman Maria Zakharova")."""
    words = body[max(0, start - 30):start].split()
    if not words:
        return None
    word = fold(words[-1])
    return "female" if word in FEMALE_WORDS else "male" if word in MALE_WORDS else None


def _gaps(intervals: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    gaps, cursor = [], start
    for left, right in intervals:
        if right <= cursor or left >= end:
            continue
        if left > cursor:
            gaps.append((cursor, left))
        cursor = max(cursor, right)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def _merge(intervals: list[tuple[int, int]], new: tuple[int, int]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for left, right in sorted([*intervals, new]):
        if merged and left <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], right))
        else:
            merged.append((left, right))
    return merged
