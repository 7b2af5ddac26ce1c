"""Time per-outlet statistics and distinctive terms on the 37.5k-article corpus.

Reads ``../shared/corpora/article-bias-prediction.jsonl.xz`` with pandas
(raw text, no cleaning) or, with ``--db``, the clean bodies of an ingested
store; prints one JSON object with the timings, the statistics of every
outlet (written to ``--out`` as CSV) and the top terms of the three largest
outlets. Story, quote and copy columns are left out: they time other modules.

    .venv/bin/python benchmarks/words_outlets.py --jobs 2 --out /tmp/outlets.csv
    .venv/bin/python benchmarks/words_outlets.py --db /tmp/abp.db
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.stats import article_measures, outlet_statistics
from analysis.terms import TermOptions, distinctive_terms

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / \
    "article-bias-prediction.jsonl.xz"


def timed(function, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def read_articles(db: Path | None) -> pd.DataFrame:
    if db is None:
        frame = pd.read_json(CORPUS, lines=True, compression="xz", dtype={"id": str})
        return frame.rename(columns={"text": "body"})
    from analysis.store import open_store

    with open_store(db) as store:
        return store.article_fields(["id", "outlet", "date", "body", "words"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="First N articles only.")
    parser.add_argument("--out", type=Path, default=Path("/tmp/outlet_statistics.csv"))
    parser.add_argument("--db", type=Path, default=None, help="Read clean bodies from this store.")
    arguments = parser.parse_args()

    articles, load_wall, _ = timed(read_articles, arguments.db)
    if arguments.limit:
        articles = articles.head(arguments.limit)
    measures, measure_wall, measure_cpu = timed(article_measures, articles, n_jobs=arguments.jobs)
    outlets, aggregate_wall, _ = timed(outlet_statistics, measures)
    outlets.to_csv(arguments.out, index=False)
    terms, terms_wall, terms_cpu = timed(distinctive_terms, articles["body"], articles["outlet"],
                                         options=TermOptions(top=10))
    largest = articles["outlet"].value_counts().head(3).index.tolist()
    print(json.dumps({
        "articles": len(articles), "outlets": int(articles["outlet"].nunique()),
        "jobs": arguments.jobs, "load_seconds": load_wall,
        "measure_seconds": measure_wall, "measure_parent_cpu_seconds": measure_cpu,
        "aggregate_seconds": aggregate_wall,
        "terms_seconds": terms_wall, "terms_cpu_seconds": terms_cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "statistics_csv": str(arguments.out),
        "top_terms": {
            outlet: terms.loc[terms["outlet"] == outlet, ["term", "z", "count"]]
            .round({"z": 1}).to_dict(orient="records")
            for outlet in largest
        },
    }, indent=1))


if __name__ == "__main__":
    main()
