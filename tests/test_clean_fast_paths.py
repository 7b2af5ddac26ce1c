"""The cleaning cascade's fast paths give the answers of the plain definitions they replace.

Each fast path rests on a fact about Unicode or about how the units are built;
the facts are checked here over all of Unicode, and each path against its plain
definition on real lines and on generated ones.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import boilerplate, clean
from analysis.boilerplate import LINE_RULES, claiming_rule, is_protected
from analysis.clean import clean_text, count_words, split_units
from analysis.corpus import BUNDLED_DATA
from tests.conftest import FIXTURES

PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=300,
                    suppress_health_check=[HealthCheck.too_slow])
ALL_CHARACTERS = "".join(chr(code) for code in range(sys.maxunicode + 1)
                         if not 0xD800 <= code <= 0xDFFF)
# Whitespace of every kind, the letters that case-fold oddly, and the words the rules look for.
ODD_CHARACTERS = " \t\n\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200bİıſK©/()[]|»:.…\"“”’-*#0123456789٣"
RULE_WORDS = ["by", "By", "BY", "of:", "Jane", "Doe", "posted", "share", "tweet", "email", "©",
              "copyright", "photo", "credit:", "reuters/", "ap", "/", "home", "page", "read more:",
              "sign up", "follow us", "newsletter", "inbox", "comments", "reply", "leave a reply",
              "2022-03-30", "march", "3,", "2020", "10:15", "p.m.", "updated", "date:", "source",
              "views expressed", "all rights reserved", "contributed reporting", "edited by",
              "reporting by", "contributing:", "hide caption", "|", "»", "...", "the", "said", "."]
RULE_LINES = st.lists(st.sampled_from(RULE_WORDS) | st.text(ODD_CHARACTERS + "abcXYZ", max_size=6),
                      max_size=16).map(" ".join)
ODD_TEXT = st.text(ODD_CHARACTERS + "abc", max_size=200)


def _fixture_lines() -> list[str]:
    paths = sorted((FIXTURES / "layouts").glob("*.txt")) + sorted((BUNDLED_DATA / "articles").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    for line in (FIXTURES / "stories" / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    return [unit for text in texts for unit in split_units(text)]


def _first_rule_one_by_one(lower: str, text: str, words: int, *, in_head: bool) -> str | None:
    for rule in LINE_RULES:
        if words > rule.max_words or (rule.head_only and not in_head):
            continue
        if rule.claims(lower, text):
            return rule.name
    return None


def _assert_same_claims(units: list[str]) -> None:
    for unit in units:
        words = len(unit.split())
        for in_head in (True, False):
            expected = _first_rule_one_by_one(unit.lower(), unit, words, in_head=in_head)
            assert claiming_rule(unit.lower(), unit, words, in_head=in_head) == expected, unit


def test_the_merged_cascade_claims_what_the_rules_claim_one_by_one_on_real_lines():
    units = _fixture_lines()
    assert len(units) > 200
    _assert_same_claims(units)


# Lines each rule claims; joined in pairs they make lines several rules claim, where the
# cascade's order decides.
CLAIMED = ["* * *", "Updated 2:15 p.m. ET", "Published: 3 March 2022", "By Jane Doe", "Of: Linus Prien",
           "Leave a Reply", "Your email address will not be published.", "Back to top", "Source link",
           "The views expressed are the author's own.", "© 2019 Example Media", "All rights reserved.",
           "Photo: Jane Doe", "Alex Brandon/AP Pool/dpa", "(Photo: AP)", "REUTERS/Jay Paul",
           "Sign up for our newsletter", "Delivered to your inbox", "Home | World | Politics | Sport",
           "date 2022-03-30 Home page politics", "Read more: Markets fall again", "Share Tweet Email"]


def test_the_merged_cascade_claims_what_the_rules_claim_one_by_one_on_lines_several_rules_claim():
    pairs = [f"{first} {second}" for first in CLAIMED for second in CLAIMED]
    _assert_same_claims(CLAIMED + pairs + [f"- {line}" for line in pairs])


@PROPERTY
@given(RULE_LINES)
def test_the_merged_cascade_claims_what_the_rules_claim_one_by_one(line):
    _assert_same_claims([*split_units(line), line.strip() or "x"])


def test_every_whitespace_character_but_the_space_is_unprintable():
    """What :func:`analysis.clean._collapsed` relies on to skip splitting printable lines."""
    assert [character for character in ALL_CHARACTERS
            if character.isspace() and character.isprintable()] == [" "]


@PROPERTY
@given(ODD_TEXT)
def test_collapsing_a_line_is_joining_its_words(line):
    assert clean._collapsed(line) == " ".join(line.split())


def test_the_credit_gates_have_no_case_variants_beyond_ascii():
    """What :func:`analysis.boilerplate.is_protected` relies on to test the lowercased line."""
    gate_letters = set("contr" + "ng by" + "ted by")
    case_insensitive = re.compile("[" + re.escape("".join(sorted(gate_letters))) + "]", re.IGNORECASE)
    variants = set(case_insensitive.findall(ALL_CHARACTERS))
    assert variants == gate_letters | {letter.upper() for letter in gate_letters}


@PROPERTY
@given(RULE_LINES)
def test_the_credit_gate_only_skips_lines_without_a_credit(line):
    assert is_protected(line) == (boilerplate._CREDIT.search(line) is not None)
    assert is_protected(line, line.lower()) == is_protected(line)


@PROPERTY
@given(st.text(ODD_CHARACTERS + "abcÄé", max_size=120))
def test_line_keys_mask_every_decimal_digit_as_before(line):
    lower = " ".join(line.lower().split())
    masked = re.sub(r"\d", "#", lower)
    assert clean._lower_key(lower) == hashlib.blake2b(masked.encode("utf-8"), digest_size=8).hexdigest()


@PROPERTY
@given(st.lists(RULE_LINES | ODD_TEXT, max_size=8).map("\n\n".join))
def test_the_remembered_word_count_of_a_body_is_its_word_count(text):
    body = clean_text(text).body
    assert count_words(body) == len(body.split())
    copy = "".join(list(body))  # equal, but another object: counted afresh
    assert count_words(copy) == len(body.split())
