"""Wire-agency cues: the marks an article leaves when its text comes from an agency.

News agencies (AP, Reuters, AFP, dpa …) sell copy that many outlets print
nearly unchanged. Their marks are evidence of where a passage came from:

===========  ==================================================  ==========
kind         example                                             evidence
===========  ==================================================  ==========
dateline     ``WASHINGTON (AP) —``, ``LONDON (Reuters) -``       strong
tag          ``(afp/dpa/lp)`` or a closing ``dpa`` / ``(AFP)``   strong
credit       ``Reuters contributed to this report``,             strong
             ``Copyright 2020 The Associated Press``
byline       ``By JOHN SMITH Associated Press``                  strong
mention      ``according to the Interfax agency``, ``told        weak
             Reuters`` (the outlet cites the agency)
photo        ``© Alex Brandon/AP Pool/dpa``, ``(AP Photo/…)``    weak
===========  ==================================================  ==========

Only strong cues (:data:`STRONG_CUE_KINDS`) say the *text* is agency copy;
the passages module uses them, and records the weak ones for the reader.
In a tag list such as ``(afp/dpa/lp)`` the unknown parts are the editor's
initials and are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

CUE_COLUMNS = ("article_id", "agency", "kind", "cue", "start", "end")
STRONG_CUE_KINDS = frozenset({"dateline", "tag", "credit", "byline"})

# Canonical agency name -> names and abbreviations it appears under.
WIRE_AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("Associated Press", "AP"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AFP": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "dpa": ("Deutsche Presse-Agentur", "German Press Agency", "dpa"),
    "UPI": ("United Press International", "UPI"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Xinhua": ("Xinhua",),
    "TASS": ("ITAR-TASS", "TASS"),
    "Interfax": ("Interfax",),
    "Kyodo": ("Kyodo News", "Kyodo"),
    "Yonhap": ("Yonhap",),
    "Anadolu": ("Anadolu Agency", "Anadolu"),
    "PA Media": ("PA Media", "Press Association"),
    "KNA": ("KNA",),
    "epd": ("epd",),
    "APA": ("APA",),
    "SDA": ("SDA", "Keystone-SDA"),
    "ddp": ("ddp",),
}

_ALIAS_TO_AGENCY = {
    alias.lower(): agency for agency, aliases in WIRE_AGENCIES.items() for alias in aliases
}
# Short all-caps forms are words too ("AP" in "AP Photo" is fine, "ap" is not).
_CASE_SENSITIVE = frozenset({"AP", "APA", "SDA", "EFE", "ANSA", "UPI", "KNA", "TASS"})


def _alias_pattern() -> str:
    """Lower-case alternation of every alias, longest first (matched on lower-cased text)."""
    escaped = (re.escape(alias).replace(r"\ ", r"\s+") for alias in _ALIAS_TO_AGENCY)
    return "|".join(sorted(escaped, key=len, reverse=True))


_AGENCY = _alias_pattern()
_SPELLING = {alias.lower(): alias for aliases in WIRE_AGENCIES.values() for alias in aliases}
# Parts that several aliases share ("press" is in seven): each part is found once, then
# the aliases around it.
_SHARED_PARTS = ("press", "reuters", "kyodo", "anadolu", "AP")


def _alias_groups() -> dict[str, list[tuple[str, int]]]:
    """Aliases as searched (spelled as given when case-sensitive, else lower-case), by the
    part of them the text is searched for: part -> [(alias, offset of the part in it)].
    A part is lower-case exactly when its aliases are searched in the lower-cased text."""
    groups: dict[str, list[tuple[str, int]]] = {}
    for alias, spelled in _SPELLING.items():
        needle = spelled if spelled in _CASE_SENSITIVE else alias
        part = next((part for part in _SHARED_PARTS if part in needle), needle)
        groups.setdefault(part, []).append((needle, needle.index(part)))
    return groups


_ALIAS_GROUPS = _alias_groups()
# The byte pair by which each part is spotted, one that is rare in news text ("press"
# by its "ss"); a part not listed is spotted by its first two characters.
_PART_MARKS = {
    "press": "ss", "reuters": "eu", "afp": "fp", "dpa": "dp", "xinhua": "nh", "itar-tass": "-t",
    "interfax": "rf", "kyodo": "ky", "yonhap": "nh", "anadolu": "lu", "pa media": "ia",
    "epd": "pd", "keystone-sda": "-s", "ddp": "dp", "UPI": "PI", "EFE": "EF", "ANSA": "NS",
    "TASS": "SS", "KNA": "KN", "SDA": "SD",
}


@dataclass(frozen=True)
class _PartMarks:
    """The marks of the parts searched in one case (lower-cased, or as spelled):
    ``slot[pair]`` is 0, or n for the parts ``parts[n - 1]`` that the byte pair
    ``pair`` (first byte + 256 * second) marks, each with the offset of the pair in it."""

    slot: np.ndarray
    parts: list[list[tuple[str, int]]]

    @classmethod
    def of(cls, lower_case: bool) -> _PartMarks:
        slot = np.zeros(1 << 16, dtype=np.uint8)
        parts: list[list[tuple[str, int]]] = []
        for part in _ALIAS_GROUPS:
            if part.islower() == lower_case:
                mark = _PART_MARKS.get(part, part[:2])
                pair = ord(mark[0]) | (ord(mark[1]) << 8)
                if not slot[pair]:
                    parts.append([])
                    slot[pair] = len(parts)
                parts[slot[pair] - 1].append((part, part.index(mark)))
        return cls(slot, parts)


_MARKS = {True: _PartMarks.of(True), False: _PartMarks.of(False)}
_CONTEXT_CHARS = 100
_OUTLET_NAME = re.compile(rf"(?:the\s+)?({_AGENCY})(?:\s+(?:news|uk|us|wire|english))?\s*$")
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[A-ZÀ-Ý][^\n()]{0,60}?\s*)?\($")
_DATELINE_AFTER = re.compile(r"\)\s*[-—–:]")
_CREDIT_BEFORE = re.compile(r"(?:Copyright|©)\s*(?:\d{4}\s+)?(?:[Tt]he\s+)?$")
_CREDIT_AFTER = re.compile(r"\s+contributed\b")
_NOT_TEXT_CREDIT_AFTER = re.compile(r"\s*(?:Photo|Pool|/)")
_BYLINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*By\s+[^\n]{1,60}?,?\s+(?:[Tt]he\s+)?$")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_WRITER_AFTER = re.compile(r"\s+(?:[Ww]riters?|WRITERS?)\b")
_STAFF_AFTER = re.compile(r"\s+Staff\b")
_PHOTO_LINE = re.compile(r"©|\bPhoto:|\bPhoto\s+credit:")
_PHOTO_AFTER = re.compile(r"\s+Photo/|/\s*[A-Z]")
_MENTION_BEFORE = re.compile(
    r"\b(?:according\s+to|told|cited\s+by|quoted\s+by|reported\s+by)\s+(?:the\s+)?$")
_MENTION_AFTER = re.compile(r"(?:\s+news)?(?:\s+agency)?\s+(?:reported|reports)\b")
_CLOSING_BEFORE = re.compile(r"(?:^|[.!?”\"»)]\s+)$")
# "(afp/dpa/lp)" at the end of a paragraph; parts are looked up one by one.
_TAG_LIST = re.compile(r"\(\s*([A-Za-z]{2,8}(?:\s*/\s*[A-Za-z]{2,8})*)\s*\)[ \t]*(?=\n|$)")


def agency_of(name: str | None) -> str | None:
    """The canonical agency for an outlet or alias name, e.g. ``"Associated Press"`` -> ``"AP"``.

    Outlet names such as ``"Reuters UK"`` or ``"AP News"`` count; ``None`` when
    the name is not a wire agency.
    """
    if not name:
        return None
    text = str(name).strip()
    direct = _ALIAS_TO_AGENCY.get(text.lower())
    if direct:
        return direct
    match = _OUTLET_NAME.match(text.lower())
    return _ALIAS_TO_AGENCY[_squash(match.group(1))] if match else None


def find_cues(article_id: str, text: str) -> list[dict]:
    """Every cue in one text, as dicts with the :data:`CUE_COLUMNS` keys, in text order."""
    return _text_cues(article_id, text, _agency_names([text])[0])


def wire_cues(articles: pd.DataFrame) -> pd.DataFrame:
    """Wire cues of every article (columns ``id`` and ``body``), one row per cue and agency.

    Columns: article_id, agency (canonical name, see :data:`WIRE_AGENCIES`),
    kind (dateline|tag|credit|byline|mention|photo), cue (the matched text),
    start, end (character offsets in the body).
    """
    bodies = [body if isinstance(body, str) else "" for body in articles["body"].tolist()]
    rows = [
        cue
        for article_id, body, names in zip(articles["id"].tolist(), bodies, _agency_names(bodies),
                                           strict=True)
        for cue in _text_cues(str(article_id), body, names)
    ]
    return pd.DataFrame(rows, columns=list(CUE_COLUMNS))


def _text_cues(article_id: str, text: str, names: list[tuple[int, int]]) -> list[dict]:
    """The cues of one text, given the agency names in it (:func:`_agency_names`)."""
    cues = list(_pattern_cues(article_id, text, names)) + list(_tag_cues(article_id, text))
    unique = {(cue["agency"], cue["kind"], cue["start"]): cue for cue in cues}
    return sorted(unique.values(), key=lambda cue: (cue["start"], cue["agency"], cue["kind"]))


def _pattern_cues(article_id: str, text: str, names: list[tuple[int, int]]) -> Iterator[dict]:
    for start, end in names:
        name = text[start:end]
        kind = _kind_of(text, start, end, name)
        if kind:
            yield {"article_id": article_id, "agency": _ALIAS_TO_AGENCY[name.lower()],
                   "kind": kind, "cue": name, "start": start, "end": end}


def _agency_names(texts: list[str]) -> list[list[tuple[int, int]]]:
    """Per text, (start, end) of every agency name standing as a word of its own, longest
    first: what :func:`_agency_names_by_find` gives, for all texts at once.

    Every cue contains an agency name, so cues are found by reading around each name.
    The texts are searched together as one array of UTF-8 bytes: a table of byte pairs
    marks where a part of an alias may start (:data:`_PART_MARKS`), NumPy keeps the
    places that hold the part and then a whole alias, and only those reach Python.
    Aliases are ASCII, so they match the same bytes as characters, and lowering A-Z
    bytes finds what ``str.lower`` does, but in a text with the Kelvin sign (lowers to
    "k") or "İ" (lowers to two characters): those few are searched one by one.
    """
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    joined = b"\0".join(encoded)
    sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)) + 1
    text_starts = np.cumsum(sizes) - sizes
    found: list[dict[int, int]] = [{} for _ in texts]
    char_offsets: dict[int, np.ndarray] = {}
    for lower_case, haystack in ((True, joined.lower()), (False, joined)):
        for needle, starts in _alias_occurrences(haystack, _MARKS[lower_case]):
            text_of = np.searchsorted(text_starts, starts, side="right") - 1
            for index, offset in zip(text_of.tolist(), (starts - text_starts[text_of]).tolist()):
                text, utf8 = texts[index], encoded[index]
                start = offset
                if len(utf8) != len(text):
                    if index not in char_offsets:
                        # Character number of each byte: a UTF-8 character starts at every
                        # byte that is not a continuation byte (0b10xxxxxx).
                        char_offsets[index] = np.cumsum(
                            (np.frombuffer(utf8, dtype=np.uint8) & 0xC0) != 0x80) - 1
                    start = int(char_offsets[index][offset])
                end = start + len(needle)
                if _stands_alone(text, start, end) and end > found[index].get(start, -1):
                    found[index][start] = end
    return [_agency_names_by_find(text) if "\u212a" in text or "\u0130" in text
            else _leftmost_longest(starts) for text, starts in zip(texts, found, strict=True)]


def _alias_occurrences(haystack: bytes, marks: _PartMarks) -> Iterator[tuple[str, np.ndarray]]:
    """(alias, array of its start offsets) for every alias whose part ``marks`` spots."""
    data = np.frombuffer(haystack, dtype=np.uint8)
    at, slot_at = [], []
    # The byte pairs at even and at odd offsets, read in place as little-endian uint16.
    for first in (0, 1):
        count = max(len(haystack) - first, 0) // 2
        pairs = np.frombuffer(haystack, dtype="<u2", count=count, offset=min(first, len(haystack)))
        slot = marks.slot[pairs]
        hit = np.flatnonzero(slot)
        at.append(2 * hit + first)
        slot_at.append(slot[hit])
    at, slot_at = np.concatenate(at), np.concatenate(slot_at)
    for number, parts in enumerate(marks.parts, 1):
        positions = at[slot_at == number]
        for part, mark_offset in parts:
            part_starts = _holding(data, positions - mark_offset, part)
            for needle, part_offset in _ALIAS_GROUPS[part]:
                yield needle, _holding(data, part_starts - part_offset, needle)


def _holding(data: np.ndarray, starts: np.ndarray, needle: str) -> np.ndarray:
    """The ``starts`` at which the bytes ``data`` hold the ASCII ``needle``."""
    starts = starts[(starts >= 0) & (starts <= len(data) - len(needle))]
    for index, byte in enumerate(needle.encode()):
        starts = starts[data[starts + index] == byte]
    return starts


def _leftmost_longest(found: dict[int, int]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) names from the longest name at each start."""
    names, covered_until = [], -1
    for start in sorted(found):
        if start >= covered_until:
            names.append((start, found[start]))
            covered_until = found[start]
    return names


def _agency_names_by_find(text: str) -> list[tuple[int, int]]:
    """:func:`_agency_names` of one text with ``str.find``: short forms such as "AP" must
    be spelled as given, longer names match in any case (with single spaces, as cleaned
    bodies have)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text
    found: dict[int, int] = {}
    for alias, spelled in _SPELLING.items():
        haystack, needle = (text, spelled) if spelled in _CASE_SENSITIVE else (lowered, alias)
        position = haystack.find(needle)
        while position != -1:
            end = position + len(needle)
            if _stands_alone(text, position, end) and end > found.get(position, -1):
                found[position] = end
            position = haystack.find(needle, position + 1)
    return _leftmost_longest(found)


def _stands_alone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-")


def _kind_of(text: str, start: int, end: int, name: str) -> str | None:
    """The cue kind of the agency name at ``text[start:end]``, judged by its surroundings."""
    before = text[max(0, start - _CONTEXT_CHARS): start]
    after = text[end: end + _CONTEXT_CHARS]
    if not after.strip() and end + _CONTEXT_CHARS >= len(text) and _CLOSING_BEFORE.search(before):
        return "tag"
    if _DATELINE_BEFORE.search(before) and _DATELINE_AFTER.match(after):
        return "dateline"
    if _CREDIT_AFTER.match(after) or (
            _CREDIT_BEFORE.search(before) and not _NOT_TEXT_CREDIT_AFTER.match(after)):
        return "credit"
    if _WRITER_AFTER.match(after) or (name.lower() == "reuters" and _STAFF_AFTER.match(after)) \
            or (_BYLINE_BEFORE.search(before) and _LINE_END.match(after)):
        return "byline"
    line_before = before.rsplit("\n", 1)[-1]
    if _PHOTO_LINE.search(line_before) or (name.isupper() and _PHOTO_AFTER.match(after)) \
            or (line_before.endswith("(") and after.lstrip().startswith("Photo")):
        return "photo"
    if _MENTION_BEFORE.search(before) or _MENTION_AFTER.match(after):
        return "mention"
    return None


def _tag_cues(article_id: str, text: str) -> Iterator[dict]:
    for match in _TAG_LIST.finditer(text):
        parts = [part.strip() for part in match.group(1).split("/")]
        for part in parts:
            agency = _ALIAS_TO_AGENCY.get(part.lower())
            # A lone "(AP)" mid-text is a dateline, handled above; lists need a known part.
            if agency and (len(parts) > 1 or part.lower() != "ap" or part == "AP"):
                yield {"article_id": article_id, "agency": agency, "kind": "tag",
                       "cue": match.group(0).strip(), "start": match.start(), "end": match.end()}


def _squash(name: str) -> str:
    return " ".join(name.split()).lower()
