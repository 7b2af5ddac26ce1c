"""Quality gate on the five seed articles against hand labels of every quote in them.

The labels (``fixtures/quotes/seeds.jsonl``) cover all quotes of
``data/articles/*.txt``: attributed ones with the full name of the speaker,
scare quotes and headlines with none. Extraction runs on the raw files'
paragraphs (every non-empty line a paragraph, as cleaning keeps them), so the
gate does not move when boilerplate rules change; a second test runs the
must-show cases through an ingested store.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus import load_bundled_corpus
from analysis.quotes import extract_quotes
from analysis.store import open_store
from tests.conftest import BUNDLED_DATA
from tests.test_quotes_scoring import load_labels, score

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.9


def raw_seed_articles() -> pd.DataFrame:
    rows = []
    for path in sorted((BUNDLED_DATA / "articles").glob("*.txt")):
        lines = (" ".join(line.split()) for line in path.read_text(encoding="utf-8").split("\n"))
        rows.append({"id": path.stem, "outlet": path.stem[:3],
                     "body": "\n\n".join(line for line in lines if line)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def seed_quotes() -> pd.DataFrame:
    return extract_quotes(raw_seed_articles())


@pytest.fixture(scope="module")
def ingested_quotes(tmp_path_factory) -> pd.DataFrame:
    """Quotes of the seeds as ingested and cleaned into a store (built once per module)."""
    with open_store(tmp_path_factory.mktemp("seed-store") / "corpus.db") as store:
        load_bundled_corpus(store)
        return extract_quotes(store.articles()[["id", "outlet", "body"]])


def test_seed_speakers_meet_the_floors(seed_quotes, capsys):
    result = score(load_labels("seeds.jsonl"), seed_quotes)
    with capsys.disabled():
        print("\n" + result.line("seed quotes"))
    assert result.attributed_labels == 24
    assert result.recall >= RECALL_FLOOR, result.misses
    assert result.precision >= PRECISION_FLOOR, result.misses


def test_no_seed_scare_quote_gets_a_speaker(seed_quotes):
    labels = load_labels("seeds.jsonl")
    assert score(labels, seed_quotes).scare_with_speaker == ()
    scare = seed_quotes[seed_quotes["kind"] == "scare"]
    assert scare["speaker"].isna().all()
    assert {"Bild", "howitzers", "military special operation"} <= set(scare["text"])


def speaker_of(quotes: pd.DataFrame, article_prefix: str, text_start: str) -> str | None:
    rows = quotes[quotes["article_id"].str.startswith(article_prefix)
                  & quotes["text"].str.startswith(text_start)]
    assert len(rows) == 1, (article_prefix, text_start, rows)
    speaker = rows["speaker"].iloc[0]
    return speaker if isinstance(speaker, str) else None


@pytest.mark.parametrize(("article", "text_start", "speaker"), [
    ("001", "This is what this treaty means", "Mykhailo Podolyak"),   # "…," he said
    ("002", "After today’s meaningful conversation", "Vladimir Medinsky"),
    ("002", "So, if the work on the treaty", "Vladimir Medinsky"),    # "…," he added
    ("000", "Ukraine would accept neutral status", "David Arachamia"),  # surname only
    ("003", "Ukraine is expecting a 180-degree", "Andriy Melnyk"),    # he → the ambassador
    ("003", "purely symbolic gesture", "Andriy Melnyk"),              # role → holder
])
def test_must_show_cases_in_an_ingested_store(ingested_quotes, article, text_start, speaker):
    assert speaker_of(ingested_quotes, article, text_start) == speaker
