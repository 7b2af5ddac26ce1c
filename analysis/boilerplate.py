"""The named boilerplate rules of the cleaning cascade (see :mod:`analysis.clean`).

==================  =========================================================
rule                what it removes
==================  =========================================================
title               the first line when it is the headline (or repeats the
                    given title); it becomes metadata, not body
byline              "By NAME", "Of: NAME", "Written by NAME" in the head
date-field          "Date:", "Published: 3 March 2022", "Updated 2:15 p.m. ET"
page-header         short head lines with breadcrumbs or a bare date
                    (" date 2022-03-30 Home page politics")
navigation          menus: several short items split by | » › >
comment-form        comment forms and, after a strong comment marker
                    ("Leave a Reply", "12 thoughts on …"), the whole section
related-block       a "Related" / "Popular" / "Share post:" marker and the
                    teasers after it (headlines, "…" snippets, widgets)
teaser              two or more headline + truncated-snippet pairs in a row
share-widget        lines made only of widget words ("Share Tweet Email")
separator           lines without a letter ("* * *", "___") and CMS markup
                    ("[pullquote]")
back-to-top         "Back to top (button)"
source-link         "Source link", "Originally published at …"
tagline             the site praising itself ("X: Update the world's latest
                    breaking news…")
disclaimer          "The opinions expressed by columnists are their own…"
copyright           "© 2019 …", "All rights reserved"
photo-caption       captions with a credit ("… © Alex Brandon/AP Pool/dpa")
call-to-action      "CLICK HERE…", newsletter and app prompts, "Follow us"
link-headline       links to other stories inside the body: "Read more: X",
                    or a "Kicker: headline" line without sentence punctuation
recurring-template  a line the corpus pass found in several unrelated
                    documents (see :mod:`analysis.prepare`)
==================  =========================================================

Rules are derived from how news pages are built (widgets, comment forms,
credits, link blocks), not from any one site's strings. Each context-free
rule is a :class:`LineRule`; the cascade in :mod:`analysis.clean` adds the
rules that need context (title, sections after a marker, teaser lists,
template lines).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

_QUOTES = "\"'“”‘’„«»"
_BULLETS = "-–—•*·> "
_CLOSING_PUNCTUATION = (".", "!", "?", ",", ";", ":")

END_WINDOW = 110  # end-anchored patterns (photo credits) only look at a line's last characters


@dataclass(frozen=True)
class LineRule:
    """A context-free rule over a lowercased unit of at most ``max_words`` words.

    It claims the unit when ``start`` matches at its beginning, any of
    ``contains`` occurs in it, or one of the ``end`` patterns matches the end
    of its last :data:`END_WINDOW` characters (each only when its literal gate
    occurs there). Three cheap kinds of test instead of free regex searches
    keep the cascade at a few microseconds per line.
    """

    name: str
    max_words: int
    start: re.Pattern[str] | None = None
    contains: tuple[str, ...] = ()
    end: tuple[tuple[str, re.Pattern[str]], ...] = ()
    head_only: bool = False
    case_sensitive: bool = False  # ``start`` needs the original case (names are capitalised)

    def claims(self, lower: str, text: str = "") -> bool:
        if self.start is not None:
            # Bullets and dashes in front ("- Follow us on Twitter") do not change what a line is.
            whole = text if self.case_sensitive else lower
            opening = whole.lstrip(_BULLETS) or whole
            if self.start.match(opening):
                return True
        for fragment in self.contains:  # a plain loop: this runs for every line of every article
            if fragment in lower:
                return True
        if self.end:
            window = lower[-END_WINDOW:]
            for gate, pattern in self.end:
                if gate in window and pattern.search(window):
                    return True
        return False


def _rule(name: str, max_words: int, *, start: Iterable[str] = (), contains: Iterable[str] = (),
          end: Iterable[tuple[str, str]] = (), head_only: bool = False,
          case_sensitive: bool = False) -> LineRule:
    def compiled(patterns: Iterable[str]) -> re.Pattern[str] | None:
        patterns = list(patterns)
        return re.compile("(?:" + "|".join(patterns) + ")") if patterns else None

    ends = tuple((gate, re.compile(f"(?:{pattern})$")) for gate, pattern in end)
    return LineRule(name, max_words, compiled(start), tuple(contains), ends, head_only, case_sensitive)


_NAME = r"[A-ZÀ-Ý][\w'’.-]*(?: (?:[A-ZÀ-Ý][\w'’.-]*|de|da|van|von|der|den|del|di|le|la|al|bin|ibn))*"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_TOKEN = (
    rf"\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|"
    rf"{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\.? {_MONTH},? \d{{4}}"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_TIME_TOKEN = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?"
_AGENCIES = (
    r"ap|a\.p\.|associated press|reuters|afp|dpa|epa|efe|ansa|getty images?|bloomberg|"
    r"picture[- ]alliance|imago|keystone|xinhua|shutterstock|istock|upi|pa|anp|sipa|"
    r"ap photo|ap images|pool|tass|ria novosti|abaca|zuma|nurphoto|alamy|corbis|epa-efe"
)
_CREDIT = re.compile(
    r"\b(?:contributed (?:to )?(?:this )?(?:report(?:ing)?|to this (?:article|story))|"
    r"(?:additional )?reporting by\b|edited by\b|editing by\b|contributing:)", re.IGNORECASE)
_WIDGET_WORDS = (
    r"share", r"shares", r"share this(?: article| story| post)?", r"tweet", r"post", r"e-?mail", r"print",
    r"save", r"copy link", r"split", r"facebook", r"twitter", r"linkedin", r"whatsapp", r"pinterest",
    r"reddit", r"telegram", r"messenger", r"sms", r"flipboard", r"pocket", r"comments?", r"like",
    r"close", r"menu", r"search", r"advertisement", r"advertising", r"ad", r"sponsored(?: content)?",
    r"loading", r"photo", r"video", r"audio", r"listen(?: to (?:this )?article)?", r"gallery", r"enlarge",
    r"image", r"play", r"read more", r"continue reading(?: (?:the|this) (?:main )?(?:story|article))?",
    r"show more", r"story continues below", r"story continued below", r"skip advertisement",
    r"expand", r"next", r"previous", r"prev", r"more", r"subscribe", r"log ?in", r"sign ?in", r"\d+:\d+",
    r"continue reading below", r"youtube", r"like this", r"just watched", r"replay", r"more videos",
    r"must watch", r"instagram", r"slideshow(?: \(\d+ images?\))?",
    r"(?:next |prev |previous )?image \d+ of \d+",
)

LINE_RULES: tuple[LineRule, ...] = (
    _rule("separator", 12, start=[r"[\W_]+$", r"\[[a-z _-]{2,30}\]$"]),
    _rule("date-field", 14, start=[
        (r"(?:date|published|posted|updated|last updated|first published|modified|dated|datum)"
         rf"(?: on| at)?\s*:?\s*(?:(?:{_DATE_TOKEN}|{_TIME_TOKEN}|{_WEEKDAY}|"
         r"at|et|est|edt|gmt|utc|cet|[,|/-])\s*)*$"),
        rf"(?:{_WEEKDAY},?\s*)?(?:{_DATE_TOKEN})(?:\s*(?:at|,|-|\|)?\s*(?:{_TIME_TOKEN}))?\s*(?:[a-z]{{2,4}})?$",
        r"\d+ (?:minutes?|hours?|days?|weeks?|months?|years?) ago$",
        r"this (?:article|story|content) is (?:more than|over) \d+ \w+ old$",
    ]),
    _rule("byline", 16, head_only=True, case_sensitive=True, start=[
        (r"(?i:(?:posted|published|written)(?: on [\w ,.:]{4,40}?)? by|by|of:|von|words by|"
         r"story by|text by|authors?:?)\s*"
         rf"\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?:\s*[,|/–—-]\s*.{{0,60}})?$"),
    ]),
    _rule("comment-form", 40, start=[
        r"leave a (?:reply|comment)", r"fill in your details below", r"connecting to %s",
        r"notify me of (?:new|follow-up)", r"cancel reply$", r"post (?:a )?comment$", r"save my name, email",
        r"(?:facebook|twitter|google|wordpress\.com|linkedin) (?:photo|picture|account|logo)$", r"logo$",
        r"\d+ (?:comments?|responses?|thoughts?|replies)(?: on| to)?\b",
        r"(?:show |view |load )?(?:\d+ )?comments?(?: \(\d+\))?:?$", r"join the (?:conversation|discussion)",
        r"(?:add|write|post) (?:a|your) comment", r"reply$", r"comment policy", r"you may use these html tags",
    ], contains=[
        "you are commenting using", "log out / change", "your email address will not be published",
        "required fields are marked", "comments are closed", "must be logged in to post a comment",
        "this site uses akismet",
    ]),
    _rule("back-to-top", 6, start=[
        r"(?:back|scroll|go|return|jump) to (?:the )?top(?: button| of (?:the )?page)?\W*$"]),
    _rule("source-link", 16, start=[
        (r"(?:source link|original source|view (?:the )?original(?: article)?|"
         r"read the original(?: article)?(?: here)?|source)\W*$"),
        r"sources?: [^.]{1,40}$",
        r"(?:this (?:article|story|post) )?(?:was )?originally (?:appeared|published|posted) (?:on|in|at|by)\b",
    ]),
    _rule("disclaimer", 60, contains=[
        "views expressed", "opinions expressed", "do not necessarily reflect", "do not necessarily represent",
        "is available without charge to any eligible",
    ]),
    _rule("copyright", 40, start=[r"copyright|©|\(c\) "], contains=[
        "all rights reserved", "may not be published, broadcast", "may not be reproduced",
        "may not be redistributed"]),
    _rule("photo-caption", 70, start=[
        r"(?:image|photo|picture|media|video) (?:copyright|caption|credit|source)",
        r"(?:photos?|images?|pictures?|gallery|photo credit|credit|photographer|photograph)\s*:",
    ], contains=[
        "enlarge this image", "toggle caption", "hide caption", "media playback is unsupported",
    ], end=[
        ("©", r"©[^.!?©]{2,60}"),
        ("/", rf"[a-z.'’-]+ [a-z.'’-]+/(?:{_AGENCIES})(?: pool| photo| images)?(?:/[\w.' -]+)*[)\]]?\.?"),
        ("reuters/", r"reuters/[\w'’ -]{2,40}"),  # "REUTERS/Jay Paul", not "a Reuters/Ipsos poll."
        ("[", r"\[(?:file|photo|image|video)\s*:[^\]]+\]"),
        ("(", r"\([^()]{0,30}\b(?:photo|image|picture|credit)s?\s*:[^)]+\)"),
        ("photo: ", r"photo: [\w.'’ /-]{2,40}"),
    ]),
    _rule("call-to-action", 80, start=[
        r"(?:click|tap) (?:here|to|for|on|the)\b", r"(?:download|get|install) (?:the|our) .{0,30}\bapp\b",
        r"(?:sign up|subscribe|register|donate|chip in|become a (?:member|subscriber|patron|supporter))\b",
        r"support (?:us|our|independent|real|local|quality|progressive|nonprofit)\b",
        r"(?:join|follow|like) us\b", r"follow @", r"follow (?:[\w.'-]+ ){1,3}on (?:twitter|facebook|instagram|x)\b",
        r"(?:want|get|enjoy|love|like|don't miss|never miss)\b.{0,80}\b(?:inbox|newsletters?|sign up|subscribe)",
        r"already (?:a )?(?:subscriber|member)", r"(?:newsletter|email) sign[- ]up",
        r"(?:read|watch|listen|see|more|also read)(?: more| also| next)?\s*:?$", r"\**want .{0,60}\? sign up",
    ], contains=[
        "delivered to your inbox", "straight to your inbox", "directly to your inbox", "into your inbox",
        "by signing up, you agree", "by signing up you agree", "enter your email",
    ]),
    _rule("navigation", 20, start=[
        r"(?:[^|»›>]{1,30}[|»›>]\s*){3,}[^|»›>]{0,30}$", r"(?:home|homepage|home page|startseite)\s*[|»›>/:]",
    ]),
    _rule("page-header", 12, head_only=True, start=[
        r".{0,40}\b(?:home ?page|startseite|homepage)\b",
        rf"\W*(?:date\s*:?\s*)?(?:{_DATE_TOKEN})\W*(?:[a-z]+\W*){{0,6}}$",
    ]),
    _rule("link-headline", 25, start=[
        (r"(?:read more|read also|also read|see also|related|more|watch|listen|recommended|"
         r"don't miss|must read|trending|popular|top stories|more from [\w ]{1,30}|full coverage|"
         r"latest)\s*[:|»›-]\s*\S.*[^.!?\"”’]$"),
    ]),
    _rule("share-widget", 12, start=[
        r"(?:(?:" + "|".join(_WIDGET_WORDS) + r")[\s.:•·|/,!]*)+$"]),
)

_WORD_LIMITS = sorted({rule.max_words for rule in LINE_RULES})


def claiming_rule(lower: str, text: str, words: int, *, in_head: bool) -> str | None:
    """The name of the first of :data:`LINE_RULES` that claims a unit, or None.

    The same as calling :meth:`LineRule.claims` of each rule the unit is eligible
    for (``words`` within its ``max_words``; ``head_only`` rules only ``in_head``),
    in order, at a fraction of the cost: see :class:`_Cascade`.
    """
    limit = bisect.bisect_left(_WORD_LIMITS, words)
    if limit == len(_WORD_LIMITS):
        return None  # longer than any rule looks at: most paragraphs
    return _cascade(_WORD_LIMITS[limit], in_head).first_claim(lower, text)


@dataclass(frozen=True)
class _Cascade:
    """The rules one kind of unit is eligible for, in cascade order, merged for speed.

    One alternation of their lowercase ``start`` patterns, a group for each,
    finds the first rule whose pattern matches in one regex call: the engine
    tries alternatives in order, as the loop over the rules did, and a Python
    call per rule and unit was most of the cascade's cost. The other tests then
    only run for the rules before that one.
    """

    rules: tuple[LineRule, ...]
    start: re.Pattern[str] | None  # group k matched: rule start_positions[k - 1] claims
    start_positions: tuple[int, ...]
    cased_starts: tuple[tuple[int, re.Pattern[str]], ...]
    contains: tuple[tuple[int, str], ...]
    ends: tuple[tuple[int, str, re.Pattern[str]], ...]

    @classmethod
    def of(cls, rules: tuple[LineRule, ...]) -> _Cascade:
        lower_starts = [(position, rule.start) for position, rule in enumerate(rules)
                        if rule.start is not None and not rule.case_sensitive]
        if any(pattern.groups for _, pattern in lower_starts):
            raise ValueError("LineRule start patterns must not capture: the merged pattern "
                             "tells its rules apart by their group numbers")
        # re caches compiled patterns: kinds of units with the same start rules share one.
        merged = "|".join(f"({pattern.pattern})" for _, pattern in lower_starts)
        return cls(
            rules=rules,
            start=re.compile(merged) if merged else None,
            start_positions=tuple(position for position, _ in lower_starts),
            cased_starts=tuple((position, rule.start) for position, rule in enumerate(rules)
                               if rule.start is not None and rule.case_sensitive),
            contains=tuple((position, fragment) for position, rule in enumerate(rules)
                           for fragment in rule.contains),
            ends=tuple((position, gate, pattern) for position, rule in enumerate(rules)
                       for gate, pattern in rule.end),
        )

    def first_claim(self, lower: str, text: str) -> str | None:
        first = len(self.rules)
        if self.start is not None:
            match = self.start.match(lower.lstrip(_BULLETS) or lower)
            if match is not None:
                first = self.start_positions[match.lastindex - 1]
        for position, pattern in self.cased_starts:
            if position >= first:
                break
            if pattern.match(text.lstrip(_BULLETS) or text):
                first = position
                break
        for position, fragment in self.contains:
            if position >= first:
                break
            if fragment in lower:
                first = position
                break
        if self.ends and self.ends[0][0] < first:
            window = lower[-END_WINDOW:]
            for position, gate, pattern in self.ends:
                if position >= first:
                    break
                if gate in window and pattern.search(window):
                    first = position
                    break
        return self.rules[first].name if first < len(self.rules) else None


@functools.cache
def _cascade(word_limit: int, in_head: bool) -> _Cascade:
    return _Cascade.of(tuple(rule for rule in LINE_RULES
                             if rule.max_words >= word_limit and (in_head or not rule.head_only)))


TAIL_MARKER = re.compile(
    r"^(?:related(?: articles| posts| stories| content| coverage| news| links| reading)?|"
    r"more like this|(?:most )?popular(?: now| posts| stories| articles)?|most (?:read|viewed|shared|emailed)|"
    r"trending(?: now| stories)?|recommended(?: for you| articles| stories| reading)?|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|read (?:more|next|also)|"
    r"more (?:stories|news|articles|headlines)|more (?:from|on) .{1,30}|also on .{1,30}|"
    r"share (?:this )?(?:post|article|story)?|top stories|latest (?:news|stories|articles|posts)|"
    r"what to read next|further reading|in other news|editor'?s picks|around the web|from the web|"
    r"(?:sponsored|promoted) (?:stories|content|links)|tags?|topics|filed under)\s*:?$"
)
COMMENT_MARKER = re.compile(
    r"^(?:leave a (?:reply|comment)|\d+ (?:thoughts?|comments?|responses?|replies) (?:on|to)\b.*|"
    r"(?:\d+ )?comments?(?: \(\d+\))?:?|"
    r"comments are closed\.?)\s*$"
)
HEADLINE_TAIL_RULES = ("date-field", "byline", "share-widget", "call-to-action", "link-headline")
_TAGLINE_PHRASES = re.compile(
    r"breaking news|latest news|news online|24/7|24 hours|hot news|top news|trusted (?:source|news)|"
    r"your (?:source|destination|home) for|updated (?:quickly|daily|every|around)|around the clock|"
    r"world'?s latest|news of the day|video clips")
_SITE_PREFIX = re.compile(r"^([\w][\w .&'’-]{0,30}?)\s*[:|–—-]\s+\S")


def tagline_site(text: str) -> str | None:
    """The site name a tagline starts with ("News7h: Update …" → "News7h"), if any."""
    match = _SITE_PREFIX.match(text)
    return match.group(1).strip() if match else None


def is_tagline(lower: str, words: int) -> bool:
    if words > 80 or ("news" not in lower and "24" not in lower):
        return False
    hits = len(set(_TAGLINE_PHRASES.findall(lower)))
    return hits >= 3 or (hits >= 2 and _SITE_PREFIX.match(lower) is not None)


def is_protected(line: str, lower: str | None = None) -> bool:
    """Reporting credits are article text even when many documents share them.

    ``lower``: ``line.lower()``, when the caller has it already.
    """
    if lower is None:
        lower = line.lower()
    # Every _CREDIT match holds one of these in the lowercased line: none of their
    # characters has a case variant outside ASCII (as "ı" has for "i"), so the test is
    # exact. Most paragraphs fail it, and the unanchored case-insensitive search is slow.
    if "contr" not in lower and "ng by" not in lower and "ted by" not in lower:
        return False
    return _CREDIT.search(line) is not None


_SPEAKER = re.compile(r"^[A-Z][A-Z .'’-]+: .*[a-z]")  # "AMY GOODMAN: And he said…" in transcripts
_KICKER = re.compile(r"^[A-Z][\w'’&/.-]*(?: [\w'’&/.-]+){0,4}: [A-Z0-9][^\"“”„«»]*$")  # no quotation


def is_kicker_link(text: str, words: int) -> bool:
    """"War in Ukraine: Kyiv demands …" between paragraphs: a link to another story.

    Quotations ("Cruz: \"But in Iran…\""), transcript speakers, credits and
    lines with figures ("September 2014: Klein's book…", "Natural gas: 49
    percent") are text, and so is a line ending like a sentence.
    """
    return (words <= 18 and _KICKER.match(text) is not None and not any(c.isdigit() for c in text)
            and not _SPEAKER.match(text) and not is_protected(text)
            and not text.rstrip(_QUOTES + ") ").endswith(_CLOSING_PUNCTUATION))
