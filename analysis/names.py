"""Capitalised spans in news text and what each one names.

A *span* is a run of capitalised words, joined by single spaces, name
particles ("vel", "van", "bin") or "of" ("Secretary of State Antony Blinken",
"Bank of England"). :func:`find_spans` finds them; :func:`classify_span`
says what a span is, by this cascade (first match wins):

1. all-caps runs of three or more words are headlines → ``other``;
2. leading function words are dropped ("Despite Russia" → "Russia");
3. a known organisation, or a last word that heads organisations
   ("Ministry", "Party", "Agency", "Council") → ``organisation``;
4. a country (pycountry), state or listed city/region → ``place``;
5. everything up to the last title word is the *descriptor*
   ("Polish Deputy Foreign Minister | Szymon Szynkowski vel Sęk");
   nothing left → ``role`` when a title was seen, else ``other``;
6. what is left holds a weekday, month or document word → ``other``;
7. a plural of people ("Americans", "House Democrats") → ``group``;
8. two to five name words → ``person``; one word after a title
   ("President Biden") → ``person``; one bare word → ``single`` (maybe a
   surname; the article decides, see :mod:`analysis.speakers`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from analysis.gazetteers import (
    CALENDAR_WORDS,
    DEMONYMS,
    FEMALE_WORDS,
    FUNCTION_WORDS,
    GROUP_NOUNS,
    KNOWN_ORGANISATIONS,
    MALE_WORDS,
    NAME_PARTICLES,
    ORGANISATION_HEADS,
    ORGANISATION_LEADS,
    TITLE_WORDS,
    country_name,
    fold,
    is_place,
    word_alternation,
)

SPAN_KINDS = ("person", "single", "role", "group", "organisation", "place", "other")
MAX_NAME_WORDS = 5
HEADLINE_WORDS = 3

# Upper-case letters of the Latin, Greek and Cyrillic blocks, for a stdlib regex class.
_UPPER = "".join(
    chr(code) for code in (*range(0x41, 0x250), *range(0x370, 0x530), *range(0x1E00, 0x1F00))
    if chr(code).isupper()
)
_U = re.escape(_UPPER)
# A full stop belongs to these abbreviations when a capitalised word follows ("Sen. Mitch").
# The stop is matched first and the abbreviation looked up behind it: most words end
# without one, and a literal fails faster than three look-behinds.
_ABBREVIATION_STOP = (
    r"\.(?:(?<=\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|Fr)\.)|(?<=\b(?:Mrs|Sen|Rep|Gov|Gen|Col|Maj|Sgt|Adm|Rev"
    r"|Amb|Det|Cpl|Pvt|Hon)\.)|(?<=\b(?:Capt|Prof|Pres|Supt|Atty|Cmdr|Insp|Brig|Msgr)\.))"
    rf"(?=[ \t\u00a0][{_U}])"
)
# After the first capital: initials and dotted acronyms ("J.", "U.S."), else a word
# with inner hyphens or apostrophes ("Jean-Claude", "O'Brien").
_WORD_TAIL = (
    rf"(?:(?:\.[{_U}])+\.?|\.(?=[ \t\u00a0][{_U}])|[\w\-]*(?:[’'][{_U}][\w\-]*)?(?:{_ABBREVIATION_STOP})?)"
)
# A trie: after every capitalised word the engine tries the particles, and a trie turns
# most other words away on their first letter. A space must follow, so at most one matches.
_PARTICLES = word_alternation(NAME_PARTICLES)
_JOIN = (
    rf"[ \t\u00a0](?:(?:{_PARTICLES})[ \t\u00a0]){{0,3}}(?:of(?:[ \t\u00a0]the)?[ \t\u00a0])?"
    r"(?:(?:al|el|ad|as|ash|abu)-)?"
)
# The pattern opens with a plain character class so the regex engine can skip ahead fast;
# the look-behind then rejects capitals inside words ("iPhone").
SPAN_PATTERN = re.compile(
    rf"[{_U}](?<![\w’'.\-][{_U}]){_WORD_TAIL}(?:{_JOIN}[{_U}]{_WORD_TAIL})*"
)
_OF = re.compile(r"[ \t\u00a0]of(?:[ \t\u00a0]the)?[ \t\u00a0]")

_DOCUMENT_WORDS = frozenset(
    """
    act bill law treaty agreement accord memorandum plan deal doctrine format
    declaration charter convention protocol report program programme initiative summit
    conference games olympics cup war crisis day poll index prize award street avenue
    road square bridge tower hotel airport station stadium palace park hall caption
    photo photos video image images gallery
    """.split()
)
_VERB_ENDINGS = ("ing", "ly")
# Country names that are also surnames ("Michael Jordan").
_COUNTRY_SURNAMES = frozenset("jordan chad israel georgia france cuba india chile".split())
_PARTY_STATE = re.compile(r"^[RDI]-[A-Z][\w.]*$")
PARTY_MEMBERS = frozenset({"republican", "democrat", "independent", "conservative", "tory"})
_PLACE_HEADS = frozenset(
    """
    county province city district region valley island islands river lake mountains
    mountain beach bay coast peninsula desert sea ocean gulf strait canyon
    """.split()
)
_FACILITY_WORDS = frozenset("street avenue road square bridge airport station".split())


# Not frozen: find_spans builds one per capitalised span, and a frozen dataclass's
# __init__ (object.__setattr__ per field) costs several times more. Nothing changes it.
@dataclass(slots=True)
class Span:
    """A capitalised span: ``text[start:end]`` of the searched string."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SpanInfo:
    """What a span names.

    kind        one of :data:`SPAN_KINDS`
    name        the entity's name: person without titles ("Antony Blinken"),
                organisation in full ("Russian Foreign Ministry"), place by its
                display name ("United States" for "USA")
    descriptor  folded title and nationality words before the name
    gender      "female", "male" or None, from gendered titles ("spokeswoman")
    titled      whether a personal title preceded the name
    """

    kind: str
    name: str
    descriptor: tuple[str, ...] = ()
    gender: str | None = None
    titled: bool = False


def find_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Capitalised spans in ``text[start:end]``, offsets into ``text``.

    A span joined by "of" is cut there unless the word before "of" is a title
    or heads an organisation: "Secretary of State Antony Blinken" stays whole,
    "President Recep Tayyip Erdogan of Turkey" gives two spans.
    """
    end = len(text) if end is None else end
    spans: list[Span] = []
    for match in SPAN_PATTERN.finditer(text, start, end):
        surface = match.group()
        if "of" not in surface:
            spans.append(Span(match.start(), match.end(), surface))
        else:
            spans.extend(_cut_at_of(surface, match.start()))
    return spans


def span_texts(text: str) -> list[str]:
    """The surfaces of :func:`find_spans` without offsets: cheaper, for counting."""
    surfaces: list[str] = []
    for surface in SPAN_PATTERN.findall(text):
        if "of" in surface and _OF.search(surface):
            surfaces.extend(span.text for span in _cut_at_of(surface, 0))
        else:
            surfaces.append(surface)
    return surfaces


def _cut_at_of(surface: str, offset: int) -> list[Span]:
    pieces: list[Span] = []
    piece_start = 0
    for joint in _OF.finditer(surface):
        word_before = fold(surface[:joint.start()].rsplit(None, 1)[-1]).rstrip(".")
        if word_before in TITLE_WORDS or word_before in ORGANISATION_LEADS:
            continue
        pieces.append(Span(offset + piece_start, offset + joint.start(),
                           surface[piece_start:joint.start()]))
        piece_start = joint.end()
    pieces.append(Span(offset + piece_start, offset + len(surface), surface[piece_start:]))
    return pieces


@functools.lru_cache(maxsize=262_144)
def classify_span(surface: str) -> SpanInfo:
    """What the span ``surface`` names; see the module docstring for the cascade."""
    words = surface.split()
    if len(words) >= HEADLINE_WORDS and all(word.isupper() for word in words):
        return SpanInfo("other", surface)
    folded = [fold(word).rstrip(".") for word in words]
    first = 0
    while first < len(words) and (folded[first] in FUNCTION_WORDS or (
            len(words) - first >= 3 and folded[first].endswith(_VERB_ENDINGS))):
        # "Addressing Tara Reade": a participle or adverb opening the sentence.
        first += 1
    words, folded = words[first:], folded[first:]
    if not words:
        return SpanInfo("other", surface)
    whole = " ".join(words)
    if whole[1:2] == "-" and _PARTY_STATE.match(whole):
        return SpanInfo("other", whole)  # "R-Ohio", "D-Calif.": a lawmaker's tag, not a name
    if len(folded) > 1 and folded[-1] in PARTY_MEMBERS and all(_is_title_like(word) or is_place(word)
                                          for word in folded[:-1]):
        # "the Oklahoma Republican said": a role that names a lawmaker elsewhere.
        return SpanInfo("role", whole, tuple(folded), None, True)
    organisation = _organisation(whole, words, folded)
    if organisation is not None:
        return organisation
    if is_place(whole) or (len(words) > 1 and folded[-1] in _PLACE_HEADS):
        return SpanInfo("place", country_name(whole) or whole)
    return _person_or_role(words, folded)


def _organisation(whole: str, words: list[str], folded: list[str]) -> SpanInfo | None:
    key = " ".join(folded)
    if key in KNOWN_ORGANISATIONS or folded[-1] in ORGANISATION_HEADS:
        return SpanInfo("organisation", whole)
    if len(words) > 1 and folded[0] in ORGANISATION_LEADS and "of" in folded:
        return SpanInfo("organisation", whole)
    if len(words) == 1 and _is_acronym(words[0]):
        place = country_name(words[0])
        return SpanInfo("place", place) if place else SpanInfo("organisation", words[0])
    return None


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()


def _person_or_role(words: list[str], folded: list[str]) -> SpanInfo:
    title_like = [_is_title_like(word) for word in folded]
    if all(title_like):
        last_title = len(words) - 1
    else:
        last_title = max((index for index in range(len(words) - 1) if title_like[index]),
                         default=-1)
    descriptor = tuple(folded[: last_title + 1])
    name_words, name_folded = words[last_title + 1:], folded[last_title + 1:]
    gender = _gender(descriptor)
    titled = not TITLE_WORDS.isdisjoint(descriptor)
    if not name_words:
        return SpanInfo("role" if titled else "other", " ".join(words), descriptor, gender, titled)
    name = " ".join(name_words)
    titled_name = titled and len(name_words) == 1  # "Mrs. May" is a person, not a month
    # A weekday or month anywhere, or a document word at the end ("Budapest Memorandum"),
    # but not a first name that is also a word ("Bill Roggio", "June Carter").
    if not titled_name and (name_folded[-1] in _DOCUMENT_WORDS or name_folded[-1] in CALENDAR_WORDS
                            or (len(name_folded) == 1 and name_folded[0] in CALENDAR_WORDS)):
        kind = "place" if name_folded[-1] in _FACILITY_WORDS else "other"
        return SpanInfo(kind, " ".join(words))
    if not (FUNCTION_WORDS.isdisjoint(name_folded) and DEMONYMS.isdisjoint(name_folded)):
        return SpanInfo("other", name)
    if len(name_words) > MAX_NAME_WORDS or (len(name_words) == 1 and _is_acronym(name)):
        return SpanInfo("other", name)
    if len(name_words) > 1 and (any(_is_acronym(word) for word in name_words) or (
            country_name(name_folded[-1]) and name_folded[-1] not in _COUNTRY_SURNAMES)):
        # "AP Pool", "CNN Business", "United Russia": a name built on an acronym or a country.
        return SpanInfo("organisation", " ".join(words))
    if _is_group(name_folded[-1]):
        return SpanInfo("group", " ".join(words))  # "Americans", "House Democrats"
    if len(name_words) == 1:
        if is_place(name):
            return SpanInfo("other", name)
        kind = "person" if titled else "single"
        return SpanInfo(kind, name, descriptor, gender, titled)
    return SpanInfo("person", name, descriptor, gender, titled)


@functools.lru_cache(maxsize=65_536)
def _is_title_like(word: str) -> bool:
    if "-" in word and all(_is_title_like(part) for part in word.split("-") if part):
        return True  # "vice-president", "secretary-general"
    return word in TITLE_WORDS or word in DEMONYMS or word == "of" or country_name(word) is not None


def _is_group(word: str) -> bool:
    """A plural of people: "Democrats", "Americans", "officials"."""
    return word in GROUP_NOUNS or (word.endswith("s") and (
        word[:-1] in DEMONYMS or word[:-1] in PARTY_MEMBERS))


def _gender(words) -> str | None:
    female = not FEMALE_WORDS.isdisjoint(words)
    male = not MALE_WORDS.isdisjoint(words)
    if female == male:
        return None
    return "female" if female else "male"


def surname_key(name: str) -> str:
    """The folded last word of a name: "Szymon Szynkowski vel Sęk" → "sek"."""
    return fold(name.split()[-1]).strip(".’'") if name.split() else ""
