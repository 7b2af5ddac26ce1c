"""Mentions of people in a stretch of text, and the one an attribution points to.

A verb's subject or object region ("Russian Foreign Ministry spokeswoman Maria
Zakharova", "the Ukrainian ambassador", "he") holds candidate mentions:
names (capitalised spans that classify as a person or a bare word), roles,
pronouns, and non-persons (organisations, places, groups such as
"officials"). They are ranked name > role > pronoun > non-person and only the
best is resolved to a speaker by :class:`analysis.speakers.ArticlePeople`,
because resolving costs look-ups in the article.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from analysis.gazetteers import (
    ANONYMOUS_ROLES,
    FUNCTION_WORDS,
    GROUP_NOUNS,
    ROLE_NOUNS,
    TITLE_WORDS,
    fold,
    word_alternation,
)
from analysis.names import PARTY_MEMBERS, SpanInfo, classify_span, find_spans
from analysis.speakers import ArticlePeople

_MENTION_KINDS = {
    **{word: "pronoun" for word in ("he", "she", "He", "She")},
    **{word: "role-word" for word in ROLE_NOUNS | ANONYMOUS_ROLES},
    **{word: "group" for word in GROUP_NOUNS},
}
_COMMON_MENTION = re.compile(rf"\b(?:{word_alternation(_MENTION_KINDS)})\b")
_APPOSITION_OPENER = re.compile(r"\s*(?:the|a|an|another|who|which|whose|one|its|his|her)\b")
_WORDS = re.compile(r"[^\W\d_][\w’'-]*")
# "Gibson's statement said": these carry the possessor's own words.
_OWN_WORDS = re.compile(
    r"\s+(?:\w+\s+)?(?:statement|remarks|letter|tweet|post|memo|testimony|speech|op-ed|column"
    r"|book|memoir|interview|message|email|blog)\b"
)
_RANK_NAME, _RANK_ROLE, _RANK_PRONOUN, _RANK_OTHER = range(4)
_COMMON_RANKS = {"pronoun": _RANK_PRONOUN, "role-word": _RANK_ROLE, "group": _RANK_OTHER}
_SUBJECT_GAP_WORDS = 2


@dataclass(slots=True)  # not frozen: built per attribution, see analysis.quotes.QuoteSpan
class Found:
    """A mention that an attribution points to; ``speaker`` is None for non-persons."""

    speaker: str | None
    mention: str
    resolution: str | None
    position: int
    known: bool = True  # False for a bare capitalised word taken as a name


def pick_mention(masked: str, people: ArticlePeople, start: int, end: int, *,
                 backward: bool) -> Found | None:
    """The mention a speech verb's subject or object refers to, in ``masked[start:end]``.

    Forward: the best mention of the whole region (name > role > pronoun), the
    first one of that rank. Backward: comma-separated segments from the verb
    back, skipping appositions in the middle ("Vladimir Medinsky, the head of
    the delegation, said"); the first segment holding a mention decides.
    """
    if start >= end:
        return None
    candidates = _candidates(masked, start, end)
    if not backward:
        return _best(masked, people, candidates, start, end, nearest_last=False)
    boundaries = [start]
    comma = masked.find(",", start, end)
    while comma != -1:
        boundaries.append(comma + 1)
        comma = masked.find(",", comma + 1, end)
    boundaries.append(end)
    segments = list(itertools.pairwise(boundaries))
    for number, (segment_start, segment_end) in enumerate(reversed(segments)):
        inside = [candidate for candidate in candidates
                  if segment_start <= candidate.position < segment_end]
        if number == 0 and inside:
            # The subject right before the verb wins even when it names no person:
            # "a Pew poll found that nearly six in 10 Americans said" → "Americans".
            nearest = max(inside, key=lambda candidate: candidate.position)
            gap = masked[nearest.position + len(nearest.surface):end]
            if nearest.rank == _RANK_OTHER and len(gap.split()) <= _SUBJECT_GAP_WORDS:
                return Found(None, _trimmed(nearest.surface), None, nearest.position)
        found = _best(masked, people, inside, segment_start, segment_end, nearest_last=True)
        if 0 < number < len(segments) - 1 and _apposition(masked, segment_start, segment_end,
                                                           found):
            continue
        if found is not None:
            return found
    return None


def _apposition(masked: str, start: int, end: int, found: Found | None) -> bool:
    """A middle comma segment describing the name before it ("Ryan Williams, Romney
    campaign spokesman, said"): it opens with a determiner or names nobody in full."""
    if _APPOSITION_OPENER.match(masked, start, end):
        return True
    return found is None or found.resolution != "name" or " " not in found.speaker


@dataclass(slots=True)  # not frozen, see Found
class _Candidate:
    """A possible mention, resolved only if it is the best one (resolving costs)."""

    rank: int
    position: int
    surface: str
    kind: str
    info: SpanInfo | None = None


def _best(masked: str, people: ArticlePeople, candidates: list[_Candidate], start: int,
          end: int, *, nearest_last: bool) -> Found | None:
    """Candidates by rank (name, role, pronoun, non-person), then by position.

    ``nearest_last`` prefers the last of a rank: before a verb the subject
    stands next to it ("Years later Merkel said").
    """
    if len(candidates) > 1:  # most regions hold one candidate or none
        direction = -1 if nearest_last else 1
        candidates = sorted(
            candidates, key=lambda candidate: (candidate.rank, direction * candidate.position))
    for candidate in candidates:
        found = _resolve(masked, people, candidate, start, end)
        if found is not None:
            return found
    return None


def _candidates(masked: str, start: int, end: int) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    covered: list[tuple[int, int]] = []
    for span in find_spans(masked, start, end):
        info = classify_span(span.text)
        if info.kind == "other":
            continue  # "He", "The": the pronoun and role scan below reads these
        covered.append((span.start, span.end))
        if masked.startswith(("’s", "'s"), span.end) and not _OWN_WORDS.match(
                masked, span.end + 2, end):
            continue  # "Reade’s attorney said": the possessor is not the speaker
        if info.kind in ("person", "single"):
            candidates.append(_Candidate(_RANK_NAME, span.start, span.text, "name", info))
        elif info.kind == "role":
            candidates.append(_Candidate(_RANK_ROLE, span.start, span.text, "role", info))
        elif info.kind in ("organisation", "place", "group"):
            candidates.append(_Candidate(_RANK_OTHER, span.start, span.text, "other"))
    for match in _COMMON_MENTION.finditer(masked, start, end):
        position = match.start()
        if any(left <= position < right for left, right in covered):
            continue
        word = match.group()
        kind = _MENTION_KINDS[word]
        candidates.append(_Candidate(_COMMON_RANKS[kind], position, word, kind))
    return candidates


def _resolve(masked: str, people: ArticlePeople, candidate: _Candidate, start: int,
             end: int) -> Found | None:
    if candidate.kind == "name":
        info = candidate.info
        speaker = people.resolve_name(info, candidate.position)
        known = speaker is not None
        if not known and not people.could_be_surname(info.name, candidate.position):
            return None
        speaker = speaker or info.name
        resolution = "name" if fold(speaker) == fold(info.name) else "surname"
        return Found(speaker, _trimmed(candidate.surface), resolution, candidate.position, known)
    if candidate.kind == "role":
        info = candidate.info
        head = next((word for word in reversed(info.descriptor)
                     if word in TITLE_WORDS or word in PARTY_MEMBERS), "")
        speaker = people.resolve_role(info.descriptor, head, candidate.position)
        return Found(speaker, _trimmed(candidate.surface), "role", candidate.position)
    if candidate.kind == "role-word":
        position = candidate.position
        phrase = _role_phrase(masked, start, position, candidate.surface)
        if phrase.split()[0].lower() in ("a", "an") or candidate.surface in ANONYMOUS_ROLES:
            # "said a senior administration official": unnamed on purpose.
            return Found(None, phrase, "role", position)
        phrase_words = _WORDS.findall(masked[max(start, position - 40):min(end, position + 40)])
        speaker = people.resolve_role(phrase_words, candidate.surface, position)
        return Found(speaker, phrase, "role", position)
    if candidate.kind == "pronoun":
        speaker = people.resolve_pronoun(candidate.surface, candidate.position)
        return Found(speaker, candidate.surface, "pronoun", candidate.position)
    return Found(None, candidate.surface, None, candidate.position)


def _trimmed(surface: str) -> str:
    """A span as written, without the sentence words before it ("When President Trump")."""
    words = surface.split()
    while len(words) > 1 and fold(words[0]) in FUNCTION_WORDS:
        words.pop(0)
    return " ".join(words)


def _role_phrase(masked: str, start: int, position: int, role: str) -> str:
    """The role noun with up to three words before it: "the Ukrainian ambassador"."""
    before = masked[max(start, position - 40):position].split()[-3:]
    determiners = [i for i, word in enumerate(before) if word.lower() in ("the", "a", "an")]
    before = before[determiners[-1]:] if determiners else before[-1:]
    return " ".join((*before, role)).strip(" ,")
