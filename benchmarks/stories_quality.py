"""Story grouping quality against gold stories, beside the plain baseline, in one run.

Corpora, each ingested through the real pipeline into a temporary store:

- ``allsides``: ../shared/corpora/allsides-stories.jsonl (gold ``story_id``;
  1,479 leads, 505 stories), whole and as three random samples of 100
  three-outlet stories (the shape of the held-out gold events);
- the same samples with every date removed (how much time helps);
- ``seeds``: data/ (hand labels: {000, 001, 002}, {003}, {004}).

Printed per corpus, for ``samestory stories`` (no number of stories given)
and for the baseline (TF-IDF with scikit-learn defaults, average-link
agglomerative clustering on cosine, given the TRUE number of stories):

- ARI: adjusted Rand index of the partition;
- B-cubed F1: mean per-article precision/recall of its cluster vs its story;
- 1-NN: share of articles (in stories of 2+) whose most similar other
  article is in the same gold story.

Run: .venv/bin/python benchmarks/stories_quality.py [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from analysis.ingest import ingest
from analysis.similarity import NeighbourOptions, top_neighbours
from analysis.store import open_store
from analysis.stories import story_memberships
from analysis.vectorize import vectors_for

ALLSIDES = PROJECT_ROOT.parent / "shared" / "corpora" / "allsides-stories.jsonl"
SEED_GOLD = {"000": "a", "001": "a", "002": "a", "003": "b", "004": "c"}


def bcubed_f1(gold, predicted) -> float:
    gold, predicted = np.asarray(gold), np.asarray(predicted)
    precision = recall = 0.0
    for index in range(len(gold)):
        same_cluster = predicted == predicted[index]
        same_story = gold == gold[index]
        both = (same_cluster & same_story).sum()
        precision += both / same_cluster.sum()
        recall += both / same_story.sum()
    precision, recall = precision / len(gold), recall / len(gold)
    return float(2 * precision * recall / (precision + recall))


def nearest_neighbour_accuracy(gold, nearest) -> float:
    gold = np.asarray(gold)
    in_multi = pd.Series(gold).map(pd.Series(gold).value_counts()).to_numpy() > 1
    hits = [nearest[i] is not None and gold[nearest[i]] == gold[i] for i in np.flatnonzero(in_multi)]
    return float(np.mean(hits)) if hits else float("nan")


def scores(gold, predicted, nearest) -> dict:
    return {"ari": round(adjusted_rand_score(gold, predicted), 4),
            "bcubed_f1": round(bcubed_f1(gold, predicted), 4),
            "nn1": round(nearest_neighbour_accuracy(gold, nearest), 4),
            "clusters": len(set(predicted))}


def ours(store, ids: list[str], gold: list[str]) -> dict:
    members = story_memberships(store).set_index("article_id")
    predicted = [members.at[article_id, "story_id"] for article_id in ids]
    vectors = vectors_for(store)
    pairs = top_neighbours(vectors.matrix, NeighbourOptions(k=1))
    nearest: list[int | None] = [None] * len(ids)
    row_of = {article_id: row for row, article_id in enumerate(ids)}
    for row, neighbour in zip(pairs.row, pairs.neighbour):
        nearest[row_of[vectors.ids[row]]] = row_of[vectors.ids[neighbour]]
    return scores(gold, predicted, nearest)


def baseline(texts: list[str], gold: list[str]) -> dict:
    matrix = TfidfVectorizer().fit_transform(texts).toarray()
    true_k = len(set(gold))
    predicted = AgglomerativeClustering(n_clusters=true_k, metric="cosine",
                                        linkage="average").fit_predict(matrix)
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, -1)
    return scores(gold, predicted, list(similarity.argmax(axis=1)))


def evaluate(name: str, records: pd.DataFrame, workdir: Path) -> dict:
    """Ingest ``records`` (id, outlet, title, date, text, story_id) and score both methods."""
    path = workdir / f"{name}.jsonl"
    records[["id", "outlet", "title", "date", "text"]].to_json(path, orient="records", lines=True)
    started = time.perf_counter()
    with open_store(workdir / f"{name}.db") as store:
        ingest(store, [path])
        articles = store.articles()
        gold_of = dict(zip(records["id"].astype(str), records["story_id"].astype(str)))
        ids = list(articles["id"])
        gold = [gold_of[article_id] for article_id in ids]
        result = {"articles": len(ids), "stories": len(set(gold)), "ours": ours(store, ids, gold)}
        result["seconds"] = round(time.perf_counter() - started, 2)
        texts = (articles["title"].fillna("") + "\n" + articles["body"]).tolist()
        result["baseline_true_k"] = baseline(texts, gold)
    return result


def evaluate_seeds(workdir: Path) -> dict:
    with open_store(workdir / "seeds.db") as store:
        ingest(store, [PROJECT_ROOT / "data"])
        ids = list(store.articles()["id"])
        gold = [SEED_GOLD[article_id[:3]] for article_id in ids]
        result = {"articles": len(ids), "stories": 3, "ours": ours(store, ids, gold)}
        members = story_memberships(store)
        result["ours_groups"] = sorted(sorted(group["article_id"].str[:3])
                                       for _, group in members.groupby("story_id"))
        texts = (store.articles()["title"].fillna("") + "\n" + store.articles()["body"]).tolist()
        result["baseline_true_k"] = baseline(texts, gold)
    return result


def allsides_samples(frame: pd.DataFrame, count: int = 3, size: int = 100) -> list[pd.DataFrame]:
    per_story = frame.groupby("story_id").size()
    triplets = per_story[per_story == 3].index.to_numpy()
    random = np.random.default_rng(42)
    return [frame[frame["story_id"].isin(random.choice(triplets, size, replace=False))]
            for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="Also write the results to this file.")
    arguments = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        results["seeds"] = evaluate_seeds(workdir)
        if ALLSIDES.exists():
            frame = pd.read_json(ALLSIDES, lines=True, dtype={"id": str, "story_id": str})
            frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d")
            results["allsides"] = evaluate("allsides", frame, workdir)
            for index, sample in enumerate(allsides_samples(frame)):
                results[f"allsides_100x3_{index}"] = evaluate(f"sample{index}", sample, workdir)
                undated = sample.assign(date=None)
                results[f"allsides_100x3_{index}_undated"] = evaluate(f"undated{index}", undated, workdir)
        else:
            print(f"{ALLSIDES} not found: seeds only", file=sys.stderr)
    text = json.dumps(results, indent=2)
    print(text)
    if arguments.json:
        arguments.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
