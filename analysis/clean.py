"""Cleaning scraped article text: a cascade of named rules, line by line.

The text is cut into *units*: its non-empty lines, with hard-wrapped blocks
(plain-text wire copy broken at ~70 characters) joined back into paragraphs.
Each unit is kept, or removed with the name of the first rule that claims it.

Its rules, in cascade order, are listed in :mod:`analysis.boilerplate`.

Stages, in order: section markers (a comment section or a related block
claims what follows it), teaser lists, the context-free :data:`LINE_RULES`
(with a head zone for bylines and headers), the title, and last the corpus's
template lines.

When a rule is unsure it keeps the line. Full sentences are only removed
inside a comment section, as corpus-wide template, or when their form says
caption or promotion (a photo credit at the end, "Sign up…", "©…").
Reporting credits ("X contributed reporting") are article text and are never
treated as template.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from analysis.boilerplate import (
    COMMENT_MARKER,
    HEADLINE_TAIL_RULES,
    LINE_RULES,
    TAIL_MARKER,
    claiming_rule,
    is_kicker_link,
    is_protected,
    is_tagline,
)

MAX_TEMPLATE_CHARS = 400  # longer lines are prose, never keyed as template
HEAD_ZONE_UNITS = 8  # byline / header rules only look this far before the first prose
TAIL_SHARE = 0.4  # a comment marker must sit in the last 60% of the units to cut what follows
TEASER_SNIPPET_WORDS = 35
PROSE_WORDS = 12
WRAP_MIN_CHARS, WRAP_MAX_CHARS, WRAP_MIN_LINES = 50, 100, 3
WRAP_SHARE = 0.6  # a wrapped line fills at least this share of the wrap width

_DIGITS = re.compile(r"\d")  # any Unicode decimal digit
_ASCII_DIGIT_MASK = bytes.maketrans(b"0123456789", b"#" * 10)
_BLOCK_BREAK = re.compile(r"\n\s*\n")
_CLOSERS = "\"'”’)]"
_QUOTES = "\"'“”‘’„«»"


@dataclass(frozen=True)
class RemovedLine:
    line: str
    rule: str


@dataclass(frozen=True)
class CleanOptions:
    """``template_keys``: :func:`line_key` values the corpus found to be template.

    ``given_title``: the title an input field gave; a first line repeating it
    is removed as ``title``, and no headline is guessed from the text.
    """

    template_keys: frozenset[str] = frozenset()
    given_title: str | None = None


# Each line key carries one flag letter saying what the cascade did with the line,
# so the corpus pass can decide from the keys alone which articles change.
KEY_FLAGS = {"prose": "p", "kept": "k", "credit": "c", "template": "t", "template-prose": "q",
             "identifying": "i", "removed": "r"}
# Removed lines that name a site rather than a widget every site has: fingerprint evidence.
IDENTIFYING_RULES = frozenset({"page-header", "navigation", "tagline", "copyright", "call-to-action"})
IDENTIFYING_MIN_WORDS = 3


@dataclass(frozen=True)
class CleanedText:
    """``body``: kept paragraphs joined by one blank line; ``removed``: in text order
    (the corpus pass appends template lines it removes later).

    ``line_keys``: for every unit up to :data:`MAX_TEMPLATE_CHARS` characters,
    in text order (repeats included, so kept ones align with the body's short
    paragraphs), its :func:`line_key` followed by one
    :data:`KEY_FLAGS` letter (kept prose, kept, credit, template, template
    prose, identifying, removed).
    """

    body: str
    removed: list[RemovedLine] = field(default_factory=list)
    line_keys: tuple[str, ...] = ()
    words: int | None = None  # whitespace words of ``body`` when known, else counted on demand

    def removed_by(self, *rules: str) -> list[str]:
        return [item.line for item in self.removed if item.rule in rules]


KEY_CHARS = 16


def line_key(line: str) -> str:
    """A stable 16-hex-digit key of a line: lowercased, digits masked, spaces collapsed."""
    return _lower_key(" ".join(line.lower().split()))


def _lower_key(collapsed_lower: str) -> str:
    if collapsed_lower.isascii():
        # ASCII has no digits but 0-9: the same bytes, masked in one fast pass.
        masked = collapsed_lower.encode("ascii").translate(_ASCII_DIGIT_MASK)
    else:
        masked = _DIGITS.sub("#", collapsed_lower).encode("utf-8")
    return hashlib.blake2b(masked, digest_size=8).hexdigest()


def count_words(text: str) -> int:
    return len(text.split())


def _collapsed_words(unit: str) -> int:
    """Words of a unit whose whitespace is already collapsed: cheaper than splitting."""
    return unit.count(" ") + 1


def looks_like_headline(text: str) -> bool:
    """A short line without a closing full stop: a title or a link to a story."""
    words = count_words(text.strip(_QUOTES + " "))
    return 2 <= words <= 24 and not text.rstrip(_QUOTES + " ").endswith((".", ",", ";", ":"))


# -- the cascade ---------------------------------------------------------------

class _Unit:
    """A unit and what the rules ask of it, worked out once: nearly every unit
    is asked whether it is prose, and lazy properties cost more than these tests."""

    __slots__ = ("is_prose", "lower", "text", "truncated", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.words = _collapsed_words(text)
        self.is_prose = self.words >= PROSE_WORDS and (_ends_sentence(text) or ". " in text)
        self.truncated = text.rstrip(_CLOSERS).endswith(("...", "…"))


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith((".", "!", "?"))


def split_units(text: str) -> list[str]:
    """Non-empty lines, whitespace collapsed; hard-wrapped blocks joined into paragraphs."""
    blocks = []
    for block in _BLOCK_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        blocks.append([line for line in map(_collapsed, block.split("\n")) if line])
    width = _wrap_width(blocks)
    units: list[str] = []
    for lines in blocks:
        if width and len(lines) > 1 and all(len(line) >= WRAP_SHARE * width for line in lines[:-1]):
            units.append(" ".join(lines))
        else:
            units.extend(lines)
    return units


def _collapsed(line: str) -> str:
    """``" ".join(line.split())``, without splitting a line that is in that form already.

    Every whitespace character but the space is unprintable (a test checks this
    over all of Unicode), so a printable line without a double, leading or
    trailing space is its own collapsed form. Most lines are, and long
    paragraphs are slow to split into words and join again.
    """
    if (line.isprintable() and "  " not in line
            and not line.startswith(" ") and not line.endswith(" ")):
        return line
    return " ".join(line.split())


def _wrap_width(blocks: list[list[str]]) -> int | None:
    """The width plain-text wire copy was wrapped at, or None when it was not.

    Wrapped text has many lines inside paragraphs that stop mid-sentence at a
    similar length; short widget lines stacked in a block ("Share this:",
    "Twitter") do not count.
    """
    inner = [line for lines in blocks if len(lines) > 1 for line in lines[:-1]]
    open_lines = [line for line in inner if WRAP_MIN_CHARS <= len(line) <= WRAP_MAX_CHARS
                  and not _ends_sentence(line)]
    if len(open_lines) < WRAP_MIN_LINES or len(open_lines) * 2 < len(inner):
        return None
    return max(len(line) for line in open_lines)


def clean_text(text: str, *, options: CleanOptions = CleanOptions()) -> CleanedText:
    """Run the rule cascade over ``text``; see the module docstring for the rules.

    Stages: section markers (comment sections, related blocks), teaser lists,
    the line rules in :data:`LINE_RULES` order, the title, and last the
    corpus's template lines, so that template evidence only ever removes
    lines every other rule kept (the corpus pass relies on this).
    """
    units = [_Unit(unit) for unit in split_units(text)]
    rules: list[str | None] = [None] * len(units)
    _mark_sections(units, rules)
    _mark_teaser_lists(units, rules)
    head = True
    for index, unit in enumerate(units):
        if rules[index] is None:
            rules[index] = _line_rule(unit, index, head=head)
        if rules[index] is None and unit.is_prose and index > 0:
            head = False  # the first unit may be a headline that reads like a sentence
    _mark_title(units, rules, options)
    tokens: list[str] = []
    for index, unit in enumerate(units):
        if len(unit.text) > MAX_TEMPLATE_CHARS:
            continue
        key = _lower_key(unit.lower)
        if (rules[index] is None and key in options.template_keys
                and not is_protected(unit.text, unit.lower)):
            rules[index] = "recurring-template"
        tokens.append(key + _key_flag(unit, rules[index]))
    kept = [unit for unit, rule in zip(units, rules) if rule is None]
    body = "\n\n".join(unit.text for unit in kept)
    return CleanedText(
        body=body,
        words=sum(unit.words for unit in kept),  # known per unit: no second split of the body
        removed=[RemovedLine(unit.text, rule) for unit, rule in zip(units, rules) if rule is not None],
        line_keys=tuple(tokens),
    )


def _key_flag(unit: _Unit, rule: str | None) -> str:
    if rule is None:
        if is_protected(unit.text, unit.lower):
            return KEY_FLAGS["credit"]
        return KEY_FLAGS["prose"] if unit.is_prose else KEY_FLAGS["kept"]
    if rule == "recurring-template":
        return KEY_FLAGS["template-prose"] if unit.is_prose else KEY_FLAGS["template"]
    if rule in IDENTIFYING_RULES and unit.words >= IDENTIFYING_MIN_WORDS:
        return KEY_FLAGS["identifying"]
    return KEY_FLAGS["removed"]


def _line_rule(unit: _Unit, index: int, *, head: bool) -> str | None:
    in_head = head and index < HEAD_ZONE_UNITS
    name = claiming_rule(unit.lower, unit.text, unit.words, in_head=in_head)
    if name is not None:
        return name
    if is_tagline(unit.lower, unit.words):
        return "tagline"
    if index > 0 and is_kicker_link(unit.text, unit.words):
        return "link-headline"
    return None


def _mark_sections(units: list[_Unit], rules: list[str | None]) -> None:
    """Comment sections and related blocks: a marker line claims what follows it."""
    earliest_cut = int(len(units) * TAIL_SHARE)
    index = 0
    while index < len(units):
        unit = units[index]
        if unit.words <= 12 and COMMENT_MARKER.match(unit.lower) and index >= earliest_cut:
            for later in range(index, len(units)):
                rules[later] = rules[later] or "comment-form"
            return
        if unit.words <= 8 and TAIL_MARKER.match(unit.lower):
            rules[index] = "related-block"
            index = _claim_teasers(units, rules, index + 1)
            continue
        index += 1


def _claim_teasers(units: list[_Unit], rules: list[str | None], start: int) -> int:
    """Remove teaser-like units after a marker; stop at the first article paragraph.

    Teasers are headlines, "…"-truncated snippets and widgets. A full sentence
    ends the block even right under a link: sites put "Read more:" lists in
    the middle of articles, and the article goes on after them.
    """
    previous_headline = False
    index = start
    while index < len(units):
        unit = units[index]
        if unit.words <= 12 and COMMENT_MARKER.match(unit.lower):
            return index
        headline = looks_like_headline(unit.text) and not unit.is_prose
        snippet = unit.truncated and unit.words <= TEASER_SNIPPET_WORDS
        widget = unit.words <= 8 and (
            TAIL_MARKER.match(unit.lower) or any(
                rule.claims(unit.lower, unit.text) for rule in LINE_RULES if rule.name in HEADLINE_TAIL_RULES))
        if not (headline or snippet or widget):
            if previous_headline:
                rules[index - 1] = None  # a headline over article text is its own, not a teaser
            return index
        rules[index] = _own_rule(unit) or "related-block"
        previous_headline = bool(headline)
        index += 1
    return index


def _own_rule(unit: _Unit) -> str | None:
    named = ("back-to-top", "source-link", "copyright", "comment-form")
    return next((rule.name for rule in LINE_RULES
                 if rule.name in named and rule.claims(unit.lower, unit.text)), None)


def _mark_teaser_lists(units: list[_Unit], rules: list[str | None]) -> None:
    """Aggregator pages: two or more (headline, "…" snippet) pairs in a row are teasers."""
    index = 0
    while index < len(units) - 3:
        run = index
        # The cheap tests first: few units are followed by a truncated snippet.
        while (run + 1 < len(units) and units[run + 1].truncated
               and units[run + 1].words <= TEASER_SNIPPET_WORDS * 2
               and not units[run].is_prose and looks_like_headline(units[run].text)):
            run += 2
        if run - index >= 4:
            for position in range(index, run):
                rules[position] = rules[position] or "teaser"
            index = run
        else:
            index += 1


def _mark_title(units: list[_Unit], rules: list[str | None], options: CleanOptions) -> None:
    """The first unit left is the title when it repeats the given one or reads as a headline."""
    first = next((i for i, rule in enumerate(rules) if rule is None), None)
    if first is None or first >= HEAD_ZONE_UNITS:
        return
    unit = units[first]
    if options.given_title is not None:
        if _comparable(unit.text) == _comparable(options.given_title):
            rules[first] = "title"
        return
    later_prose = any(rules[i] is None and units[i].is_prose for i in range(first + 1, len(units)))
    ends_like_sentence = unit.text.rstrip(_QUOTES + " ").endswith((".", ",", ";", ":"))
    # A byline or date right below is the surest sign of a headline, full stop or not.
    above_metadata = first + 1 < len(units) and rules[first + 1] in ("byline", "date-field")
    if later_prose and 2 <= unit.words <= 24 and (above_metadata or not ends_like_sentence):
        rules[first] = "title"


def _comparable(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
