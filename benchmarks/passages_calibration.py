"""Measure the thresholds of analysis.passages on real text; prints JSON.

1. Paraphrase cosine. Positives: the hand-written paraphrase pairs in
   tests/fixtures/passages/paraphrase_pairs.jsonl, each planted as an extra
   paragraph into two outlets' leads of one AllSides story (so the IDF and
   the competing sentences are real). Negatives: best cross-article cosine of
   every sentence when two leads of *different* stories on the *same topic*
   are aligned. For reference, the same for two outlets' leads of the same story
   (these hold real paraphrases, so part of it is wanted).
2. Copied share. Real full articles (article-bias-prediction): a copy takes
   the first paragraphs of one article, lightly edited (a word changed or
   dropped, punctuation changed, sentences merged or split) or densely edited
   (also a word changed every 6-10 words), and adds paragraphs of another
   article on the same topic. Gold = copied words / all words. A third
   article on the same topic measures chance copying.

Usage: .venv/bin/python benchmarks/passages_calibration.py [--samples 200]
"""

from __future__ import annotations

import argparse
import itertools
import json
import lzma
import random
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.passages import PassageOptions, align_story

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
PAIRS = ROOT / "tests" / "fixtures" / "passages" / "paraphrase_pairs.jsonl"
THRESHOLDS = (0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.35, 0.4, 0.45, 0.5)
PROBE = PassageOptions(paraphrase_cosine=0.01)
# (shingle_words, min_run_words, max_gap_words) settings compared for copied shares.
GRID = [(4, 6, 2), (3, 8, 2), (5, 8, 2), (4, 6, 0)]


def allsides() -> pd.DataFrame:
    frame = pd.read_json(CORPORA / "allsides-stories.jsonl", lines=True, dtype={"story_id": str})
    frame["text"] = frame["text"].str.replace(r"(…|\.\.\.)\s*$", "", regex=True)
    return frame


def planted_pair_cosines(leads: pd.DataFrame, rng: random.Random) -> list[float]:
    pairs = [json.loads(line) for line in PAIRS.read_text().splitlines() if line.strip()]
    stories = [group for _, group in leads.groupby("story_id") if len(group) >= 2]
    cosines = []
    for pair in pairs:
        story = rng.choice(stories).sample(2, random_state=rng.randrange(10**6))
        articles = pd.DataFrame([
            {"id": "a", "outlet": story.iloc[0]["outlet"], "body": story.iloc[0]["text"]
             + "\n\n" + pair["original"]},
            {"id": "b", "outlet": story.iloc[1]["outlet"] + " (2)", "body": story.iloc[1]["text"]
             + "\n\n" + pair["paraphrase"]},
        ])
        sentences = align_story(articles, PROBE).sentences
        planted = sentences[sentences["article_id"] == "b"].iloc[-1]
        original = sentences[sentences["article_id"] == "a"]["position"].max()
        scores = [m["score"] for m in planted["matches"] if m["position"] == original]
        cosines.append(scores[0] if scores else 0.0)
    return cosines


def best_cosines(leads: pd.DataFrame, pairs: list[tuple[int, int]]) -> list[float]:
    values = []
    for left, right in pairs:
        articles = pd.DataFrame([
            {"id": "a", "outlet": "left", "body": leads.iloc[left]["text"]},
            {"id": "b", "outlet": "right", "body": leads.iloc[right]["text"]},
        ])
        values.extend(align_story(articles, PROBE).sentences["paraphrase_cosine"].tolist())
    return values


def story_pairs(leads: pd.DataFrame, rng: random.Random, same_story: bool, count: int):
    by_topic = leads.reset_index(drop=True).groupby("topic").indices
    pairs = []
    while len(pairs) < count:
        members = by_topic[rng.choice(sorted(by_topic))]
        left, right = rng.sample(list(members), 2) if len(members) >= 2 else (0, 0)
        if left == right:
            continue
        same = leads.iloc[left]["story_id"] == leads.iloc[right]["story_id"]
        if same == same_story:
            pairs.append((left, right))
    return pairs


def paraphrase_report(samples: int) -> dict:
    rng = random.Random(42)
    leads = allsides().reset_index(drop=True)
    positives = planted_pair_cosines(leads, rng)
    different = best_cosines(leads, story_pairs(leads, rng, False, samples))
    same = best_cosines(leads, story_pairs(leads, rng, True, samples))
    return {
        "positives": len(positives), "different_story_sentences": len(different),
        "same_story_sentences": len(same),
        "different_story_quantiles": {q: round(float(np.quantile(different, q)), 3)
                                      for q in (0.9, 0.95, 0.99, 0.995, 1.0)},
        "by_threshold": [
            {"threshold": t,
             "recall_planted_paraphrases": round(float(np.mean(np.array(positives) >= t)), 3),
             "false_positive_rate_different_story": round(float(np.mean(np.array(different) >= t)), 4),
             "flagged_rate_same_story": round(float(np.mean(np.array(same) >= t)), 3)}
            for t in THRESHOLDS
        ],
        "missed_at_default": [round(c, 3) for c in positives if c < PassageOptions().paraphrase_cosine],
    }


def bias_articles(limit: int) -> pd.DataFrame:
    with lzma.open(CORPORA / "article-bias-prediction.jsonl.xz", "rt") as lines:
        rows = [json.loads(line) for line in itertools.islice(lines, limit)]
    frame = pd.DataFrame(rows)
    frame["paragraphs"] = [
        [p.strip() for p in re.split(r"\n\s*\n|\n", text) if len(p.split()) >= 12] for text in frame["text"]]
    return frame[frame["paragraphs"].str.len() >= 6].reset_index(drop=True)


def edit_paragraph(paragraph: str, rng: random.Random) -> str:
    """Zero to three light edits, as copy desks make them."""
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        paragraph = rng.choice(EDITS)(paragraph, rng)
    return paragraph


def edit_densely(paragraph: str, rng: random.Random) -> str:
    """A changed word every 6 to 10 words, plus the light edits."""
    words = paragraph.split()
    index = rng.randrange(1, 8)
    while index < len(words) - 1:
        words[index] = rng.choice(["reportedly", "also", "now", "said", "then"])
        index += rng.randrange(6, 11)
    return edit_paragraph(" ".join(words), rng)


def _substitute(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 8:
        words[rng.randrange(1, len(words) - 1)] = rng.choice(["reportedly", "also", "now", "said"])
    return " ".join(words)


def _delete(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 8:
        del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def _punctuation(text: str, rng: random.Random) -> str:
    return text.replace(",", "", 1).replace("“", '"').replace("”", '"').replace("’", "'")


def _merge(text: str, rng: random.Random) -> str:
    return re.sub(r"\.\s+(\w)", lambda m: ", and " + m.group(1).lower(), text, count=1)


def _split(text: str, rng: random.Random) -> str:
    return re.sub(r",\s+(\w)", lambda m: ". " + m.group(1).upper(), text, count=1)


EDITS = (_substitute, _delete, _punctuation, _merge, _split)


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def copy_case(source: list[str], own: list[str], target: float, rng: random.Random,
              edit=edit_paragraph) -> dict:
    """Copy the first paragraphs of ``source`` (edited) and add ``own`` ones to reach ``target``."""
    count = rng.randrange(2, len(source) + 1)
    copied = [edit(p, rng) for p in source[:count]]
    copied_words = sum(map(word_count, copied))
    added, added_words = [], 0
    for paragraph in own:
        if copied_words / (copied_words + added_words) <= target:
            break
        added.append(paragraph)
        added_words += word_count(paragraph)
    body = list(copied)
    for paragraph in added:
        body.insert(rng.randrange(len(body) + 1), paragraph)
    return {"body": "\n\n".join(body), "gold": copied_words / (copied_words + added_words)}


def copy_report(samples: int, grid: list[PassageOptions], edit=edit_paragraph) -> list[dict]:
    rng = random.Random(7)
    articles = bias_articles(8000)
    by_topic = articles.groupby("topic").indices
    cases = []
    for _ in range(samples):
        topic = rng.choice([t for t in sorted(by_topic) if len(by_topic[t]) >= 3])
        first, second, third = (articles.iloc[i] for i in rng.sample(list(by_topic[topic]), 3))
        case = copy_case(first["paragraphs"], second["paragraphs"],
                         rng.choice([0.2, 0.4, 0.6, 0.8]), rng, edit)
        cases.append((first, third, case))
    results = []
    for options in grid:
        errors, unrelated = [], []
        for source, other, case in cases:
            frame = pd.DataFrame([
                {"id": "source", "outlet": "Source", "date": "2020-01-01",
                 "body": "\n\n".join(source["paragraphs"])},
                {"id": "copy", "outlet": "Copy", "date": "2020-01-02", "body": case["body"]},
                {"id": "other", "outlet": "Other", "date": "2020-01-02",
                 "body": "\n\n".join(other["paragraphs"])},
            ])
            shares = align_story(frame, options).article_shares.set_index("article_id")
            errors.append(shares.loc["copy", "copied_share"] - case["gold"])
            unrelated.append(shares.loc["other", "copied_share"])
        errors = np.abs(errors)
        results.append({
            "shingle_words": options.shingle_words, "min_run_words": options.min_run_words,
            "max_gap_words": options.max_gap_words,
            "mean_abs_error": round(float(errors.mean()), 4),
            "p95_abs_error": round(float(np.quantile(errors, 0.95)), 4),
            "max_abs_error": round(float(errors.max()), 4),
            "within_0.05": round(float(np.mean(errors <= 0.05)), 3),
            "within_0.1": round(float(np.mean(errors <= 0.1)), 3),
            "same_topic_unrelated_copied_mean": round(float(np.mean(unrelated)), 4),
            "same_topic_unrelated_copied_max": round(float(np.max(unrelated)), 4),
        })
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--part", choices=["all", "paraphrase", "copy"], default="all")
    arguments = parser.parse_args()
    report = {}
    if arguments.part in ("all", "paraphrase"):
        report["paraphrase"] = paraphrase_report(arguments.samples)
    if arguments.part in ("all", "copy"):
        grid = [PassageOptions(shingle_words=n, min_run_words=run, max_gap_words=gap)
                for n, run, gap in GRID]
        report["copied_share_light_edits"] = copy_report(arguments.samples, grid)
        report["copied_share_dense_edits"] = copy_report(arguments.samples, grid, edit_densely)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
