"""Scoring quotes against hand labels, shared by the quality gates, and its own tests.

A predicted quote matches a labelled one in the same article when most of
the shorter text's words are in the other (:data:`MATCH_CONTAINMENT`), so a
trailing full stop or a continuation joined differently does not matter.

- precision = predicted quotes with a speaker whose labelled speaker is the same
              / predicted quotes with a speaker
- recall    = labelled quotes with a speaker found with that speaker
              / labelled quotes with a speaker

Speakers compare folded (case and accents ignored); a label that is a bare
surname ("Biden") matches a prediction ending in it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

QUOTE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quotes"
MATCH_CONTAINMENT = 0.8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class QuoteScore:
    precision: float
    recall: float
    attributed_labels: int
    attributed_predictions: int
    correct: int
    kind_accuracy: float
    scare_with_speaker: tuple[str, ...]
    misses: tuple[str, ...]

    def line(self, name: str) -> str:
        return (f"{name}: precision={self.precision:.3f} recall={self.recall:.3f} "
                f"({self.correct}/{self.attributed_labels} labelled speakers found, "
                f"{self.attributed_predictions} predicted) kind accuracy={self.kind_accuracy:.3f}")


def load_labels(name: str) -> list[dict]:
    with open(QUOTE_FIXTURES / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def same_quote(one: str, other: str) -> bool:
    first, second = words(one), words(other)
    if not first or not second:
        return False
    return len(first & second) >= MATCH_CONTAINMENT * min(len(first), len(second))


def same_speaker(label: str | None, predicted: str | None) -> bool:
    if not isinstance(label, str) or not isinstance(predicted, str):
        return label is None and not isinstance(predicted, str)
    label, predicted = fold(label), fold(predicted)
    return label == predicted or (" " not in label and predicted.endswith(" " + label))


def score(labels: list[dict], predicted: pd.DataFrame) -> QuoteScore:
    """Compare labelled quotes (article_id, text, speaker, kind) with predicted ones."""
    matched: dict[int, int] = {}
    rows = list(predicted[["article_id", "text", "speaker", "kind"]].itertuples(index=False))
    for label_index, label in enumerate(labels):
        for row_index, row in enumerate(rows):
            if (row_index not in matched.values() and row.article_id == label["article_id"]
                    and same_quote(label["text"], row.text)):
                matched[label_index] = row_index
                break
    correct = sum(1 for label_index, row_index in matched.items()
                  if labels[label_index]["speaker"]
                  and same_speaker(labels[label_index]["speaker"], rows[row_index].speaker))
    label_of_row = {row_index: labels[label_index] for label_index, row_index in matched.items()}
    attributed_predictions = [index for index, row in enumerate(rows)
                              if isinstance(row.speaker, str)]
    right_predictions = sum(1 for index in attributed_predictions
                            if index in label_of_row
                            and same_speaker(label_of_row[index]["speaker"], rows[index].speaker))
    kinds = [(labels[label_index]["kind"], rows[row_index].kind)
             for label_index, row_index in matched.items() if labels[label_index]["kind"]]
    attributed_labels = sum(1 for label in labels if label["speaker"])
    return QuoteScore(
        precision=right_predictions / max(len(attributed_predictions), 1),
        recall=correct / max(attributed_labels, 1),
        attributed_labels=attributed_labels,
        attributed_predictions=len(attributed_predictions),
        correct=correct,
        kind_accuracy=sum(1 for label, kind in kinds if label == kind) / max(len(kinds), 1),
        scare_with_speaker=tuple(
            labels[label_index]["text"] for label_index, row_index in matched.items()
            if labels[label_index]["kind"] == "scare" and isinstance(rows[row_index].speaker, str)
        ),
        misses=tuple(
            f"{label['text'][:50]!r}: want {label['speaker']!r}, got "
            f"{rows[matched[index]].speaker if index in matched else 'no quote'!r}"
            for index, label in enumerate(labels)
            if label["speaker"] and not (index in matched and same_speaker(
                label["speaker"], rows[matched[index]].speaker))
        ),
    )


def test_same_quote_ignores_punctuation_and_joins():
    assert same_quote("The rest is up to Moscow.", "the rest is up to Moscow")
    assert not same_quote("We will win", "They will lose badly today")


def test_same_speaker_accepts_a_labelled_surname_only():
    assert same_speaker("Biden", "Joe Biden")
    assert same_speaker("Szymon Szynkowski vel Sęk", "szymon szynkowski vel sek")
    assert not same_speaker("Joe Biden", "Biden")
    assert same_speaker(None, None)
    assert not same_speaker(None, "Joe Biden")


def test_score_counts_precision_and_recall():
    labels = [{"article_id": "a", "text": "We will win", "speaker": "Ann Lee", "kind": "direct"},
              {"article_id": "a", "text": "loophole", "speaker": None, "kind": "scare"}]
    predicted = pd.DataFrame({"article_id": ["a", "a"], "text": ["We will win", "loophole"],
                              "speaker": ["Ann Lee", "Bob Ray"], "kind": ["direct", "scare"]})
    result = score(labels, predicted)
    assert (result.recall, result.precision) == (1.0, 0.5)
    assert result.scare_with_speaker == ("loophole",)
