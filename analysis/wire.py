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
    cues = list(_pattern_cues(article_id, text)) + list(_tag_cues(article_id, text))
    unique = {(cue["agency"], cue["kind"], cue["start"]): cue for cue in cues}
    return sorted(unique.values(), key=lambda cue: (cue["start"], cue["agency"], cue["kind"]))


def wire_cues(articles: pd.DataFrame) -> pd.DataFrame:
    """Wire cues of every article (columns ``id`` and ``body``), one row per cue and agency.

    Columns: article_id, agency (canonical name, see :data:`WIRE_AGENCIES`),
    kind (dateline|tag|credit|byline|mention|photo), cue (the matched text),
    start, end (character offsets in the body).
    """
    rows = [
        cue
        for article_id, body in zip(articles["id"], articles["body"], strict=True)
        for cue in find_cues(str(article_id), body if isinstance(body, str) else "")
    ]
    return pd.DataFrame(rows, columns=list(CUE_COLUMNS))


def _pattern_cues(article_id: str, text: str) -> Iterator[dict]:
    for start, end in _agency_names(text):
        name = text[start:end]
        kind = _kind_of(text, start, end, name)
        if kind:
            yield {"article_id": article_id, "agency": _ALIAS_TO_AGENCY[name.lower()],
                   "kind": kind, "cue": name, "start": start, "end": end}


def _agency_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of every agency name standing as a word of its own, longest first.

    Every cue contains an agency name, so cues are found by reading around each
    name. ``str.find`` per alias is far faster than one big regex alternation;
    short forms such as "AP" must be spelled as given, longer names match in
    any case (with single spaces, as cleaned bodies have).
    """
    lowered = text.lower() if len(text.lower()) == len(text) else text
    found: dict[int, int] = {}
    for alias, spelled in _SPELLING.items():
        haystack, needle = (text, spelled) if spelled in _CASE_SENSITIVE else (lowered, alias)
        position = haystack.find(needle)
        while position != -1:
            end = position + len(needle)
            if _stands_alone(text, position, end) and end > found.get(position, -1):
                found[position] = end
            position = haystack.find(needle, position + 1)
    names, covered_until = [], -1
    for start in sorted(found):
        if start >= covered_until:
            names.append((start, found[start]))
            covered_until = found[start]
    return names


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
