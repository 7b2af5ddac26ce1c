"""Quotes and entity mentions over the full article-bias-prediction corpus; prints JSON.

Reads ``../shared/corpora/article-bias-prediction.jsonl.xz`` (37,554 full
articles, 245 MB), then times :func:`analysis.quotes.extract_quotes` and
:func:`analysis.entities.entity_mentions`, each with ``--workers`` processes
(default: automatic, up to 4 when the corpus is large). Reading the corpus is
not timed. CPU seconds include the worker processes.

Output keys: articles, megabytes, workers, quotes / entities (each: rows,
wall_seconds, cpu_seconds, and for quotes the share with a speaker and the
count per kind).

Usage: .venv/bin/python benchmarks/voices_scale.py [--limit N] [--workers N] [--skip-entities]
"""

from __future__ import annotations

import argparse
import json
import lzma
import resource
import time
from pathlib import Path

import pandas as pd

from analysis.entities import entity_mentions
from analysis.quotes import QuoteOptions, extract_quotes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / (
    "article-bias-prediction.jsonl.xz")


def load(limit: int | None) -> pd.DataFrame:
    rows = []
    with lzma.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            rows.append((str(record["id"]), record.get("outlet"), record.get("text") or ""))
            if limit is not None and len(rows) >= limit:
                break
    return pd.DataFrame(rows, columns=["id", "outlet", "body"])


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function):
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = function()
    return result, round(time.perf_counter() - wall, 2), round(cpu_seconds() - cpu, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="Only the first N articles.")
    parser.add_argument("--workers", type=int, default=None, help="Processes (default: auto).")
    parser.add_argument("--skip-entities", action="store_true")
    arguments = parser.parse_args()
    articles = load(arguments.limit)
    quotes, wall, cpu = timed(lambda: extract_quotes(
        articles, options=QuoteOptions(workers=arguments.workers)))
    report = {
        "articles": len(articles),
        "megabytes": round(articles["body"].str.len().sum() / 1e6, 1),
        "workers": arguments.workers or "auto",
        "quotes": {
            "rows": len(quotes), "wall_seconds": wall, "cpu_seconds": cpu,
            "with_speaker": round(float(quotes["speaker"].notna().mean()), 3),
            "kinds": quotes["kind"].value_counts().to_dict(),
        },
    }
    if not arguments.skip_entities:
        mentions, wall, cpu = timed(lambda: entity_mentions(articles, workers=arguments.workers))
        report["entities"] = {"rows": len(mentions), "wall_seconds": wall, "cpu_seconds": cpu,
                              "kinds": mentions["kind"].value_counts().to_dict()}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
