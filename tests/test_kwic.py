"""Keyword in context: matching like FTS5, context cut at words, safe with hostile input."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import kwic
from analysis.cli import cli
from analysis.errors import UsageError
from analysis.ingest import ingest
from analysis.kwic import KWIC_COLUMNS, KwicOptions, keyword_in_context, kwic_rows
from analysis.store import open_store
from tests.fixtures.terms.corpus import OUTLETS, build_articles, write_jsonl

BODIES = pd.DataFrame({
    "id": ["r1", "r2", "u1"],
    "outlet": ["Riverton Record", "Coast Courier", None],
    "body": [
        ("The Résumé of Senator José Ortega was long.\n\nHis resume-writing service "
         "helped; “RESUME,” he said, “is my middle name.”"),
        "Officials said the interest\nrates would stay high. Interest-rate cuts may follow.",
        "Nothing relevant here at all.",
    ],
})


@pytest.fixture
def corpus_store(tmp_path):
    with open_store(tmp_path / "corpus.db") as store:
        ingest(store, [write_jsonl(tmp_path / "corpus.jsonl")])
        yield store


def test_matches_ignore_case_and_accents_like_fts5():
    rows = kwic_rows(BODIES, "resume", options=KwicOptions(width=20))
    assert list(rows.columns) == KWIC_COLUMNS
    assert rows["keyword"].tolist() == ["Résumé", "resume", "RESUME"]
    assert rows.iloc[0].to_dict() == {
        "outlet": "Riverton Record", "article_id": "r1", "left": "The",
        "keyword": "Résumé", "right": "of Senator José",
    }


def test_phrases_match_across_punctuation_and_line_breaks_and_keep_whole_words():
    rows = kwic_rows(BODIES, "Interest rates", options=KwicOptions(width=25))
    assert rows["keyword"].tolist() == ["interest rates"]  # the line break becomes one space
    assert rows.iloc[0]["left"] == "Officials said the"
    assert rows.iloc[0]["right"] == "would stay high."
    hyphenated = kwic_rows(BODIES, "interest rate", options=KwicOptions(width=25))
    assert hyphenated["keyword"].tolist() == ["Interest-rate"]


def test_only_whole_words_match():
    # "rate" is a word of "Interest-rate" (FTS5 splits at the hyphen) but not of "rates".
    assert kwic_rows(BODIES, "rate")["keyword"].tolist() == ["rate"]
    assert kwic_rows(BODIES, "interest").shape[0] == 2
    assert kwic_rows(BODIES, "sen").empty


def test_rows_are_grouped_by_outlet_and_capped():
    corpus = build_articles().rename(columns={"text": "body"})
    rows = kwic_rows(corpus, "council", options=KwicOptions(max_per_outlet=3))
    assert rows["outlet"].tolist() == sorted(rows["outlet"])
    assert set(rows["outlet"]) == set(OUTLETS)
    assert (rows.groupby("outlet").size() <= 3).all()


def test_a_term_without_words_is_a_usage_error():
    with pytest.raises(UsageError, match="at least one word"):
        kwic_rows(BODIES, " ** ")


def test_store_kwic_uses_the_index_and_respects_ids(corpus_store):
    rows = keyword_in_context(corpus_store, "interest rate")
    assert not rows.empty
    assert rows["keyword"].str.lower().eq("interest rate").all()
    first_id = rows.iloc[0]["article_id"]
    only = keyword_in_context(corpus_store, "interest rate", ids=[first_id])
    assert set(only["article_id"]) == {first_id}


@pytest.mark.parametrize("hostile", [
    'rate" OR body:*', "NEAR(interest rate)", "interest AND NOT rate", "^interest*",
    "body : council", "'); DROP TABLE articles; --",
])
def test_user_text_never_reaches_fts5_syntax(corpus_store, hostile):
    rows = keyword_in_context(corpus_store, hostile)  # no sqlite3.OperationalError
    assert list(rows.columns) == KWIC_COLUMNS
    assert corpus_store.count_articles() == 60


def test_cli_kwic_prints_one_json_object_per_hit(corpus_store):
    result = CliRunner().invoke(cli, ["kwic", "storm", "--db", corpus_store.path,
                                      "--max-per-outlet", "2", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(list(row) == KWIC_COLUMNS for row in rows)
    assert all(row["keyword"].lower() == "storm" for row in rows)
    assert len(rows) <= 2 * len(OUTLETS)


# -- the fast paths find exactly what the plain rules find ------------------------

SMALL_ALPHABET = list("ab _-.é\u00c9Σς\u0130")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SMALL_ALPHABET, max_size=40), st.lists(st.sampled_from(["a", "ab", "b", "é"]),
                                                              min_size=1, max_size=3))
def test_occurrences_are_the_look_behind_matches(text, words):
    folded = kwic._fold(text)
    pattern = kwic._occurrence_pattern(words)
    plain = re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words)) + r"(?![^\W_])")
    assert [m.span() for m in kwic._occurrences(pattern, folded)] == [m.span() for m in plain.finditer(folded)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SMALL_ALPHABET + ["’", "“", "A", "Ä"], max_size=40))
def test_folding_by_lower_case_equals_the_table(text):
    assert kwic._fold(text) == text.translate(kwic._FOLD)
