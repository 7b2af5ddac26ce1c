"""Quality gate: hand-written quote sentences covering every form the extractor must know.

Each line of ``fixtures/quotes/forms.jsonl`` is one short news text with its
quotes labelled by hand (text, speaker or null, kind): "…," X said / X said:
"…" / "…," said X / partial quotes / curly, straight, German and single marks /
multi-sentence quotes / a quote continuing into the next paragraph / "he
said", surnames and roles resolved / scare quotes with no speaker.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.quotes import extract_quotes
from tests.test_quotes_scoring import load_labels, score

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.9
KIND_FLOOR = 0.85


@pytest.fixture(scope="module")
def forms():
    cases = load_labels("forms.jsonl")
    articles = pd.DataFrame({"id": [f"form-{index:02d}" for index in range(len(cases))],
                             "outlet": "fixture", "body": [case["body"] for case in cases]})
    labels = [{"article_id": article_id, **quote}
              for article_id, case in zip(articles["id"], cases, strict=True)
              for quote in case["quotes"]]
    return cases, labels, extract_quotes(articles)


def test_there_are_at_least_thirty_labelled_forms(forms):
    cases, labels, _ = forms
    assert len(cases) >= 30
    assert len({case["form"] for case in cases}) == len(cases)
    assert sum(1 for label in labels if label["speaker"]) >= 30


def test_speakers_meet_the_floors(forms, capsys):
    _, labels, predicted = forms
    result = score(labels, predicted)
    with capsys.disabled():
        print("\n" + result.line("quote forms"))
    assert result.precision >= PRECISION_FLOOR, result.misses
    assert result.recall >= RECALL_FLOOR, result.misses
    assert result.kind_accuracy >= KIND_FLOOR


def test_no_scare_quote_gets_a_speaker(forms):
    _, labels, predicted = forms
    assert score(labels, predicted).scare_with_speaker == ()


def test_every_labelled_quote_is_found_once(forms):
    _, labels, predicted = forms
    assert len(predicted) == len(labels)
