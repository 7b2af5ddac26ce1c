"""Article metadata: dates, bylines, datelines and titles.

Two sources, in order of precedence:

1. values an input gave (JSON/CSV fields, trafilatura's HTML metadata, a
   manifest), normalised;
2. values recovered from the text, only from places where metadata lives:
   the lines :mod:`analysis.clean` removed as ``title``, ``byline``,
   ``date-field`` or ``page-header``, and the dateline that opens one of the
   first paragraphs ("Brussels 30.03.2022 A round of…", "Istanbul – Ukraine…",
   "WASHINGTON (AP) — …").

A date is never invented: it must be a full day, month and year found in one
of those places. "On Tuesday" in a sentence, an empty "Date:" or "March 3"
without a year stay null. Dates inside article sentences ("on March 3, 2020,
the court ruled…") are event dates, not publication dates, and are ignored.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

import dateparser

from analysis.clean import CleanedText

EARLIEST_YEAR = 1800
DATELINE_PARAGRAPHS = 2  # a dateline opens the article: only the first paragraphs are read
_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# Each form with the day order dateparser must assume: dotted dates are European.
_DATE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"), "YMD"),
    (re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"), "DMY"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"), "MDY"),
    (re.compile(rf"\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b", re.IGNORECASE), "MDY"),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\.? {_MONTH},? \d{{4}}\b", re.IGNORECASE), "DMY"),
)
_BYLINE = re.compile(
    r"^(?:(?:posted|published|written)(?: on .{4,40}?)? by|by|of|von|words by|story by|text by|authors?)"
    r"\s*:?\s+(?P<names>.+)$", re.IGNORECASE)
# Words that follow a name in a byline but are not part of it ("By JANE DOE Associated Press").
_BYLINE_ROLES = re.compile(
    r"\s+(?:associated press|the associated press|reuters|afp|bloomberg|staff (?:writer|reporter)|"
    r"(?:senior |chief |political |foreign )?(?:correspondent|reporter|editor|writer|columnist)|"
    r"for [A-Z].*)$", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-Ý][\w'’.-]*|de|da|van|von|der|den|del|di|le|la|al|bin|ibn|[A-Z]\.)$")
_PLACE = r"[A-ZÀ-Ý][\w'’.-]*(?:[ /-][A-ZÀ-Ý][\w'’.-]*){0,3}(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)?)?"
_AGENCY = r"\((?P<agency>[A-Za-z][A-Za-z .-]{1,24})\)"
_DATELINE_DASH = re.compile(rf"^(?P<place>{_PLACE})\s*(?:,\s*[A-Z][a-z]+\.? \d{{1,2}}\s*)?(?:{_AGENCY}\s*)?[–—-]{{1,2}}\s+[\"“‘'A-Z0-9]")
_DATELINE_DATED = re.compile(
    rf"^(?P<place>{_PLACE}),?\s+(?P<date>\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}})\s*(?:{_AGENCY})?\s*[–—:-]?\s*[\"“‘'A-Z]")
_NOT_PLACES = frozenset({
    "A", "An", "The", "But", "And", "In", "On", "At", "It", "He", "She", "They", "We", "I", "This",
    "Update", "Updated", "Breaking", "Analysis", "Opinion", "Exclusive", "Watch", "Video", "Editor",
    "Note", "Photo", "Live", "Yes", "No", "So", "Now", "Then", "Here", "There", "Today", "Yesterday",
})
_QUOTES = "\"'“”‘’„«»"


@dataclass(frozen=True)
class ArticleMetadata:
    """What is known about one article; each field is None when unknown."""

    title: str | None = None
    date: str | None = None
    author: str | None = None
    dateline: str | None = None


@dataclass(frozen=True)
class Dateline:
    place: str
    date: str | None = None


def recover_metadata(cleaned: CleanedText, *, given: Mapping[str, object] | None = None) -> ArticleMetadata:
    """Given values, else values recovered from ``cleaned`` (see the module docstring)."""
    given = given or {}
    opening = cleaned.body.split("\n\n", DATELINE_PARAGRAPHS)  # not the whole, long body
    paragraphs = opening[:DATELINE_PARAGRAPHS] if cleaned.body else []
    dateline = next(filter(None, (parse_dateline(paragraph) for paragraph in paragraphs)), None)
    title = _given_text(given, "title") or next(
        (strip_title(line) for line in cleaned.removed_by("title")), None)
    author = _given_text(given, "author") or next(
        filter(None, (parse_byline(line) for line in cleaned.removed_by("byline"))), None)
    date = normalise_date(_given_text(given, "date"))
    if date is None:
        header_lines = cleaned.removed_by("date-field", "page-header", "byline")
        date = next(filter(None, (find_date(line) for line in header_lines)), None)
    if date is None and dateline is not None:
        date = dateline.date
    return ArticleMetadata(
        title=title, date=date, author=author,
        dateline=_given_text(given, "dateline") or (dateline.place if dateline else None),
    )


def _given_text(given: Mapping[str, object], key: str) -> str | None:
    value = given.get(key)
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def strip_title(line: str) -> str:
    """A headline without the quotation marks some sites wrap it in."""
    text = line.strip()
    while len(text) > 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


def find_date(text: str) -> str | None:
    """The first full date (day, month and year) written in ``text``, as ISO, or None.

    Only call this on header-like lines: every date in a sentence would be found.
    """
    for pattern, order in _DATE_FORMS:
        match = pattern.search(text)
        if match:
            found = _parse_date_token(match.group(0), order)
            if found is not None:
                return found
    return None


@functools.lru_cache(maxsize=4096)
def _parse_date_token(token: str, order: str) -> str | None:
    if order == "YMD":
        return normalise_date(token)
    numbers = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", token)
    if numbers:  # all-digit forms need no parser, only the day order of their form
        first, second, year = (int(number) for number in numbers.groups())
        day, month = (first, second) if order == "DMY" or first > 12 else (second, first)
        try:
            return _plausible(dt.date(year, month, day))
        except ValueError:
            return None
    parsed = dateparser.parse(token, languages=["en"], settings={**_DATEPARSER_SETTINGS, "DATE_ORDER": order})
    return _plausible(parsed.date()) if parsed else None


def parse_byline(line: str) -> str | None:
    """The names in "By Jane Doe and John Roe, Reuters" / "Of: Linus Prien", or None."""
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names_part = re.split(r"\s*(?:[|/–—]| - |,(?! and)| \d)", match.group("names"))[0]
    names_part = _BYLINE_ROLES.sub("", _BYLINE_ROLES.sub("", names_part))
    names = [name.strip() for name in re.split(r"\s+(?:and|&)\s+|\s*,\s*", names_part) if name.strip()]
    if not names or not all(_is_person_name(name) for name in names):
        return None
    names = [_tidy_place(name) for name in names]
    return " and ".join(names) if len(names) == 2 else ", ".join(names)


def _is_person_name(name: str) -> bool:
    tokens = name.split()
    return 2 <= len(tokens) <= 5 and all(_NAME_TOKEN.match(token) for token in tokens) and tokens[0][0].isupper()


def parse_dateline(paragraph: str) -> Dateline | None:
    """The place (and date, when it has a year) a paragraph opens with, or None."""
    dated = _DATELINE_DATED.match(paragraph)
    if dated and _is_place(dated.group("place")):
        return Dateline(_tidy_place(dated.group("place")), find_date(dated.group("date")))
    dashed = _DATELINE_DASH.match(paragraph)
    if dashed and _is_place(dashed.group("place")):
        return Dateline(_tidy_place(dashed.group("place")))
    return None


def _is_place(place: str) -> bool:
    first = re.split(r"[ /,-]", place)[0]
    return first not in _NOT_PLACES and len(place) <= 60


def _tidy_place(place: str) -> str:
    """Wire datelines shout ("WASHINGTON"); places and names are stored in title case."""
    return re.sub(r"\b[A-ZÀ-Ý]{3,}\b", lambda match: match.group(0).title(), place)


def normalise_date(value: str | None, *, today: dt.date | None = None) -> str | None:
    """An ISO ``YYYY-MM-DD`` date, or None when ``value`` is not a full, plausible date.

    ISO forms (with or without a time) are read directly; anything else goes
    through dateparser with strict parsing, so "Tuesday" or "March" alone
    never become a date. Dates before 1800 or more than a day in the future
    are rejected as implausible.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not any(character.isdigit() for character in text):
        return None  # no year, no date (and no slow parser call for "None" or "")
    parsed = _parse_iso(text)
    if parsed is None and len(text) <= 64:
        result = dateparser.parse(text, languages=None, settings=_DATEPARSER_SETTINGS)
        parsed = result.date() if result else None
    if parsed is None:
        return None
    return _plausible(parsed, today=today)


def _plausible(date: dt.date, *, today: dt.date | None = None) -> str | None:
    today = today or dt.date.today()
    if date.year < EARLIEST_YEAR or date > today + dt.timedelta(days=1):
        return None
    return date.isoformat()


def _parse_iso(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text).date()  # 3.11 reads a trailing "Z" itself
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
