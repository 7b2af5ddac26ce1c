"""Metadata: dates never invented, bylines, datelines, titles; given values win."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import clean_text
from analysis.corpus import BUNDLED_DATA
from analysis.ingest import ingest
from analysis.metadata import (
    find_date,
    normalise_date,
    parse_byline,
    parse_dateline,
    recover_metadata,
    strip_title,
)

SEED_METADATA = {
    "000": {"date": "2022-03-30", "author": "Linus Prien", "dateline": "Istanbul", "title": None},
    "001": {"date": None, "author": None, "dateline": None,
            "title": "What does Ukraine mean by asking for ‘security guarantees’?"},
    "002": {"date": "2022-03-30", "author": None, "dateline": "Brussels",
            "title": "Russia-Ukraine peace talks progress"},
    "003": {"date": "2022-01-26", "author": None, "dateline": "Brussels/Moscow/Washington", "title": None},
    "004": {"date": None, "author": None, "dateline": None,
            "title": "Ukraine-Russia Peace Talks: Security Guarantees Key"},
}


@pytest.mark.parametrize("prefix", sorted(SEED_METADATA))
def test_seed_metadata_matches_hand_labels(prefix):
    (path,) = (BUNDLED_DATA / "articles").glob(f"{prefix}_*.txt")
    metadata = recover_metadata(clean_text(path.read_text(encoding="utf-8")))
    expected = SEED_METADATA[prefix]
    assert (metadata.date, metadata.author, metadata.dateline, metadata.title) == (
        expected["date"], expected["author"], expected["dateline"], expected["title"])


def test_seeds_in_the_store_carry_their_recovered_metadata(seeded_store):
    articles = seeded_store.articles().set_index("id")
    dates = {article_id[:3]: (None if pd.isna(date) else date) for article_id, date in articles["date"].items()}
    assert dates == {prefix: labels["date"] for prefix, labels in SEED_METADATA.items()}
    assert articles.filter(like="000_", axis=0)["author"].tolist() == ["Linus Prien"]


@pytest.mark.parametrize("text", [
    "Date:\n\nThe talks went on.", "On Tuesday, the talks resumed in Istanbul after a short break.",
    "March 3\n\nThe talks went on for hours without any result at all.",
    "The ruling, issued on March 3, 2020, was appealed within a week by the government.",
])
def test_no_date_is_invented(text):
    assert recover_metadata(clean_text(text)).date is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Published: 14 February 2023", "2023-02-14"), ("Brussels 30.03.2022 A round", "2022-03-30"),
    ("03.04.2022", "2022-04-03"), ("4/3/2022", "2022-04-03"), ("Updated 2:14 PM ET, Tue March 3, 2020", "2020-03-03"),
    (" date 2022-01-26 Home page politics", "2022-01-26"), ("Tuesday", None), ("31.02.2022", None),
])
def test_find_date_reads_the_common_header_forms(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Of: Linus Prien", "Linus Prien"), ("By Jane Doe and John Roe, Reuters", "Jane Doe and John Roe"),
    ("By MARGARET OKAFOR Associated Press", "Margaret Okafor"), ("By Daniel Burke, CNN Belief Blog", "Daniel Burke"),
    ("Posted on March 3, 2022 by Eleanor Whitby", "Eleanor Whitby"), ("By the way, nobody came", None),
    ("From the Left", None),
])
def test_parse_byline(line, expected):
    assert parse_byline(line) == expected


@pytest.mark.parametrize(("paragraph", "place", "date"), [
    ("WASHINGTON (AP) — The Senate voted on Thursday.", "Washington", None),
    ("LONDON, March 3 (Reuters) - Britain said on Thursday it would act.", "London", None),
    ("KYIV, Ukraine (AP) — Russian forces shelled the city.", "Kyiv, Ukraine", None),
    ("Brussels 30.03.2022 A round of peace talks took place.", "Brussels", "2022-03-30"),
    ("Istanbul – Ukraine wants legally binding guarantees.", "Istanbul", None),
])
def test_parse_dateline(paragraph, place, date):
    dateline = parse_dateline(paragraph)
    assert dateline is not None and (dateline.place, dateline.date) == (place, date)


@pytest.mark.parametrize("paragraph", [
    "Trump – the president – said nothing.", "The – meeting ended.", "Voters went to the polls on Tuesday.",
])
def test_sentences_are_not_datelines(paragraph):
    assert parse_dateline(paragraph) is None


def test_strip_title_removes_wrapping_quotes_only():
    assert strip_title("“Peace Talks: Key”") == "Peace Talks: Key"
    assert strip_title("What does ‘security’ mean?") == "What does ‘security’ mean?"


def test_given_values_win_over_recovered_ones(fresh_store, tmp_path):
    text = (" date 2022-03-30 Home page politics\n\nOf: Linus Prien\n\nIstanbul – Ukraine wants legally "
            "binding security guarantees from western states, its negotiators said on Tuesday.")
    record = {"id": "given", "title": "Given title", "date": "2021-05-06", "author": "Given Author", "text": text}
    path = tmp_path / "records.json"
    path.write_text(json.dumps([record, {"id": "recovered", "text": text.replace("Istanbul", "Ankara")}]),
                    encoding="utf-8")
    ingest(fresh_store, [path])
    articles = fresh_store.articles().set_index("id")
    assert articles.loc["given", ["title", "date", "author"]].tolist() == ["Given title", "2021-05-06", "Given Author"]
    assert articles.loc["recovered", ["date", "author", "dateline"]].tolist() == ["2022-03-30", "Linus Prien", "Ankara"]


def test_normalise_date_rejects_implausible_dates():
    assert normalise_date("1750-01-01") is None
    assert normalise_date("2031-01-01", today=dt.date(2030, 1, 1)) is None
    assert normalise_date("None") is None


def _valid_iso_or_none(value):
    if value is None:
        return True
    return dt.date.fromisoformat(value).isoformat() == value


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_recovered_dates_are_valid_iso_or_none(text):
    assert _valid_iso_or_none(find_date(text))
    assert _valid_iso_or_none(normalise_date(text))
    assert _valid_iso_or_none(recover_metadata(clean_text(text)).date)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2024, 12, 31)),
       st.sampled_from(["Published: {d:%d %B %Y}", "Date: {d:%Y-%m-%d}", "Updated {d:%B} {d.day}, {d:%Y}"]))
def test_a_stated_date_is_recovered_exactly(date, template):
    text = template.format(d=date) + "\n\nThe council met on Monday and agreed the budget after a long debate."
    assert recover_metadata(clean_text(text)).date == date.isoformat()
