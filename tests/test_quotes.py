"""Quote extraction: marks, spans, kinds, the frame contract, robustness and the CLI verbs."""

from __future__ import annotations

import json
import sys
import types

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cli import cli
from analysis.errors import UnknownIdError, UsageError
from analysis.quotes import (
    QUOTE_COLUMNS,
    QUOTE_KINDS,
    QuoteOptions,
    count_words,
    extract_quotes,
    find_quote_spans,
    mask_quotes,
    more_words_than,
    quote_text,
)
from tests.conftest import SEED_IDS


def quotes_of(body: str, **options) -> pd.DataFrame:
    articles = pd.DataFrame({"id": ["a1"], "outlet": ["Daily Planet"], "body": [body]})
    return extract_quotes(articles, options=QuoteOptions(**options))


def texts(body: str) -> list[str]:
    return [quote_text(body, span) for span in find_quote_spans(body)]


# -- marks and spans -------------------------------------------------------------
@pytest.mark.parametrize(("body", "expected"), [
    ("He said “curly quote,” then left.", ["curly quote"]),
    ('She said "straight quote," then left.', ["straight quote"]),
    ("„German style“, said Merkel.", ["German style"]),
    ("«Nous sommes en guerre», said Macron.", ["Nous sommes en guerre"]),
    ("‘We will not be rushed,’ said Davis of Britain’s plan.", ["We will not be rushed"]),
    ('A 5\'11" guard scored "a career high" on Sunday.', ["a career high"]),
    ("Lindsay Graham said on TV: ”I like Marco but he has turned hard right.”",
     ["I like Marco but he has turned hard right."]),
])
def test_quote_marks(body, expected):
    assert texts(body) == expected


def test_apostrophes_are_not_single_quotes():
    assert texts("Ukraine’s talks and the allies’ plan went on.") == []


def test_a_quote_continues_into_the_next_paragraph():
    body = ("“This case is about trust.\n\n“You will hear from the victims,” she said.\n\n"
            "“Unrelated quote,” he said.")
    assert texts(body) == ["This case is about trust. You will hear from the victims",
                           "Unrelated quote"]
    assert len(find_quote_spans(body)[0].parts) == 2


def test_an_unclosed_curly_quote_runs_to_the_paragraph_end():
    assert texts("He warned: “Nothing will be the same\n\nThe next day came.") == [
        "Nothing will be the same"]


def test_marks_of_every_kind_pair_within_their_own_paragraphs():
    body = ("“We start here,\n\n“and carry on here,” she said.\n\n‘Single one,’ said Davis.\n\n"
            "Macron said «nous sommes là». \"Straight,\" he added.\n\nNo quote in this one.\n\n"
            "„Ende“, sagte sie.")
    spans = find_quote_spans(body)
    assert [quote_text(body, span) for span in spans] == [
        "We start here, and carry on here", "Single one", "nous sommes là", "Straight", "Ende"]
    assert [span.paragraph for span in spans] == [0, 2, 3, 3, 5]


def test_masking_keeps_offsets_and_the_final_stop():
    body = "Blinken said: “We focus on the latter.” Then he left."
    masked = mask_quotes(body, find_quote_spans(body))
    assert len(masked) == len(body)
    assert "latter" not in masked and "x.”" in masked and masked.endswith("Then he left.")


# -- speakers and kinds ------------------------------------------------------------
def test_pronoun_after_an_earlier_full_name():
    body = ("Ukraine’s senior negotiator, Mykhailo Podolyak, told NTV that guarantees could "
            "help.\n\n“A country that wants to attack will know Ukraine is not alone,” he said.")
    row = quotes_of(body).iloc[0]
    assert (row.speaker, row.speaker_mention, row.resolution) == ("Mykhailo Podolyak", "he",
                                                                   "pronoun")


def test_scare_quotes_never_get_a_speaker():
    quotes = quotes_of("Defense Secretary Lloyd Austin called the plan “reckless.” "
                       "Critics call it a “loophole” for the rich.")
    assert list(quotes["kind"]) == ["partial", "scare"]
    assert quotes["speaker"].iloc[0] == "Lloyd Austin"
    assert quotes["speaker"].isna().iloc[1]


def test_anonymous_sources_stay_anonymous():
    quotes = quotes_of("“It’s not like there’s another path,” said a senior administration "
                       "official. “We are done,” the official added.")
    assert quotes["speaker"].isna().all()
    assert quotes["speaker_mention"].iloc[0] == "a senior administration official"


def test_organisations_are_mentions_not_speakers():
    row = quotes_of("“These accusations are absurd,” the Kremlin said in a statement.").iloc[0]
    assert row.speaker is None or pd.isna(row.speaker)
    assert row.speaker_mention == "Kremlin" and row.kind == "direct"


@pytest.mark.parametrize("cue", ["the so-called ", "what is known as the  ",
                                 "what is dubbed\u00a0", "the so-called \t"])
def test_a_naming_cue_right_before_a_short_quote_keeps_it_a_scare_quote(cue):
    # Without the cue the writer's verb gives the quote a speaker.
    assert quotes_of("Angela Merkel wrote “never again.”").iloc[0].speaker == "Angela Merkel"
    row = quotes_of(f"Angela Merkel wrote {cue}“never again.”").iloc[0]
    assert pd.isna(row.speaker) and row.kind == "scare"


def test_a_naming_cue_earlier_in_the_sentence_does_not_count():
    row = quotes_of("Angela Merkel, known as the chancellor, wrote “never again.”").iloc[0]
    assert row.speaker == "Angela Merkel"


def test_reported_speech_after_the_verb_is_not_an_attribution():
    quotes = quotes_of("Staff who worked in his office, known as a “hideaway,” said he never "
                       "behaved inappropriately.")
    assert quotes["speaker"].isna().all()


@given(st.text(st.sampled_from(list("ab \t\n\u00a0\u2003,")), max_size=40),
       st.integers(min_value=0, max_value=12))
def test_more_words_than_agrees_with_counting_every_word(text, limit):
    assert more_words_than(text, limit) == (count_words(text) > limit)


# -- the frame ---------------------------------------------------------------------
def test_frame_columns_and_types():
    quotes = quotes_of("“We will rebuild,” Mayor Vitali Klitschko said.")
    assert tuple(quotes.columns) == QUOTE_COLUMNS
    assert list(quotes.columns[:4]) == ["article_id", "outlet", "speaker", "text"]
    row = quotes.iloc[0]
    assert (row.article_id, row.outlet, row.speaker, row.quote_id) == (
        "a1", "Daily Planet", "Vitali Klitschko", "a1:1")
    assert quotes["start"].dtype == "int64" and quotes["words"].iloc[0] == 3


def test_empty_inputs_give_an_empty_frame_with_the_columns():
    articles = pd.DataFrame({"id": ["a", "b"], "body": ["", None]})
    quotes = extract_quotes(articles)
    assert quotes.empty and tuple(quotes.columns) == QUOTE_COLUMNS


def test_missing_columns_and_bad_options_are_usage_errors():
    with pytest.raises(UsageError, match="body"):
        extract_quotes(pd.DataFrame({"id": ["a"]}))
    with pytest.raises(UsageError, match="scare_max_words"):
        QuoteOptions(scare_max_words=-1)
    with pytest.raises(UsageError, match="workers"):
        QuoteOptions(workers=0)


def test_parallel_extraction_gives_the_same_rows():
    bodies = [f"“Report number {index} is ready,” analyst Jane Roe said." for index in range(30)]
    articles = pd.DataFrame({"id": [str(index) for index in range(30)], "body": bodies})
    serial = extract_quotes(articles)
    assert extract_quotes(articles, options=QuoteOptions(workers=2)).equals(serial)


# Pieces that drive every branch: marks, sentence ends, names, titles and speech verbs.
_QUOTE_HEAVY = st.lists(
    st.sampled_from(list("ab XY.,:;!?\n\"'“”„«»‘’()-—") + [
        "Mr.", " he said", " she added", "Smith", " Anna Lee", " the ambassador", " said ",
        "\n\n", " according to ", "Sen. ", " spokesman "]),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), _QUOTE_HEAVY))
def test_extraction_never_raises_and_keeps_its_invariants(body):
    quotes = extract_quotes(pd.DataFrame({"id": ["x"], "body": [body]}))
    for row in quotes.itertuples():
        assert 0 <= row.start <= row.end <= len(body)
        assert row.text and row.kind in QUOTE_KINDS
        assert row.kind != "scare" or not isinstance(row.speaker, str)


# -- CLI ----------------------------------------------------------------------------
def run(*arguments):
    return CliRunner().invoke(cli, [str(argument) for argument in arguments])


@pytest.fixture
def fake_stories(monkeypatch):
    """``analysis.stories`` with one story: the three Istanbul-talks seeds."""
    story = {"s1": SEED_IDS[:3]}

    def story_article_ids(store, story_id):
        if story_id not in story:
            raise UnknownIdError(f"unknown story {story_id!r}")
        return story[story_id]

    module = types.ModuleType("analysis.stories")
    module.story_article_ids = story_article_ids
    monkeypatch.setitem(sys.modules, "analysis.stories", module)


def test_quotes_verb_prints_the_contract_columns(seeded_db_path):
    result = run("quotes", "--db", seeded_db_path, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert list(rows[0])[:4] == ["article_id", "outlet", "speaker", "text"]
    podolyak = [row for row in rows if row["text"].startswith("This is what this treaty")]
    assert podolyak[0]["speaker"] == "Mykhailo Podolyak"
    assert all(row["speaker"] is None for row in rows if row["kind"] == "scare")


def test_quotes_verb_filters_a_story_and_kinds(seeded_db_path, fake_stories):
    result = run("quotes", "--story", "s1", "--kind", "scare", "--db", seeded_db_path,
                 "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and {row["article_id"] for row in rows} <= set(SEED_IDS[:3])
    assert {row["kind"] for row in rows} == {"scare"}
    assert list(rows[0])[:4] == ["article_id", "outlet", "speaker", "text"]
    assert list(rows[0])[-1] == "speaker_as_written"


def test_unknown_story_is_one_line_and_exit_2(seeded_db_path, fake_stories):
    result = run("quotes", "--story", "nope", "--db", seeded_db_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: unknown story 'nope'"


def test_speakers_verb_and_its_matrix(seeded_db_path, fake_stories):
    result = run("speakers", "--story", "s1", "--db", seeded_db_path, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = result.stdout.splitlines()
    assert table[0] == "speaker,outlet,quotes,articles,words"
    assert any(line.startswith("Vladimir Medinsky,") for line in table)
    result = run("speakers", "--story", "s1", "--matrix", "--db", seeded_db_path,
                 "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert "speaker" in rows[0] and "News7h" in rows[0]


def test_quote_variants_verb_needs_a_story(seeded_db_path, fake_stories):
    assert run("quote-variants", "--db", seeded_db_path).exit_code == 2
    result = run("quote-variants", "--story", "s1", "--db", seeded_db_path, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("quote_group,article_id,outlet,speaker")


def test_quotes_verb_with_a_real_story(seeded_db_path, seeded_store):
    stories = pytest.importorskip("analysis.stories")
    table = stories.story_table(seeded_store)
    story_id = next(row.story_id for row in table.itertuples()
                    if SEED_IDS[1] in list(row.article_ids))
    result = run("quotes", "--story", story_id, "--db", seeded_db_path, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["article_id"] for row in rows} <= set(stories.story_article_ids(seeded_store,
                                                                                story_id))
    assert "Mykhailo Podolyak" in {row["speaker"] for row in rows}
