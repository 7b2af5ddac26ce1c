"""Article metadata: normalising the dates and names that inputs give."""

from __future__ import annotations

import datetime as dt

import dateparser

EARLIEST_YEAR = 1800
_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


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
    if not text:
        return None
    parsed = _parse_iso(text)
    if parsed is None and len(text) <= 64:
        result = dateparser.parse(text, languages=None, settings=_DATEPARSER_SETTINGS)
        parsed = result.date() if result else None
    if parsed is None:
        return None
    today = today or dt.date.today()
    if parsed.year < EARLIEST_YEAR or parsed > today + dt.timedelta(days=1):
        return None
    return parsed.isoformat()


def _parse_iso(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
