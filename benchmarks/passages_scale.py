"""Passage alignment at corpus scale; prints JSON.

Stories are stand-ins: consecutive articles of one topic, ``--story-size`` at a
time (the benchmark corpus has no story ids). Every article is in a story, so
this is an upper bound for a corpus where only part of the articles are.

Usage: .venv/bin/python benchmarks/passages_scale.py [--articles 37554] [--story-size 4] [--jobs 2]
"""

from __future__ import annotations

import argparse
import itertools
import json
import lzma
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.passages import align_stories, copied_shares

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / \
    "article-bias-prediction.jsonl.xz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=37_554)
    parser.add_argument("--story-size", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=1)
    arguments = parser.parse_args()
    with lzma.open(CORPUS, "rt") as lines:
        rows = [json.loads(line) for line in itertools.islice(lines, arguments.articles)]
    frame = pd.DataFrame(rows).rename(columns={"text": "body"})
    frame = frame.sort_values(["topic", "date"], kind="stable").reset_index(drop=True)
    frame["story_id"] = frame["topic"] + ":" + (
        frame.groupby("topic").cumcount() // arguments.story_size).astype(str)
    articles = frame[["story_id", "id", "outlet", "date", "body"]]
    started, cpu_started = time.perf_counter(), time.process_time()
    shares = copied_shares(articles, n_jobs=arguments.jobs)
    fast_seconds = time.perf_counter() - started
    fast_cpu_seconds = time.process_time() - cpu_started
    started, cpu_started = time.perf_counter(), time.process_time()
    alignment = align_stories(articles, n_jobs=arguments.jobs)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    same = shares["copied_share"].equals(alignment.article_shares["copied_share"])
    print(json.dumps({
        "articles": len(frame), "jobs": arguments.jobs, "stories": int(frame["story_id"].nunique()),
        "megabytes_of_text": round(frame["body"].str.len().sum() / 1e6, 1),
        "sentences": len(alignment.sentences),
        "align_stories_seconds": round(seconds, 1), "align_stories_cpu_seconds": round(cpu_seconds, 1),
        "copied_shares_seconds": round(fast_seconds, 1),
        "copied_shares_cpu_seconds": round(fast_cpu_seconds, 1),
        "copied_shares_equal_align_stories": bool(same),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "kinds": alignment.sentences["kind"].value_counts().to_dict(),
        "mean_copied_share": round(float(alignment.article_shares["copied_share"].mean()), 4),
    }, indent=1))


if __name__ == "__main__":
    main()
