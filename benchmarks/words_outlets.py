"""Time per-outlet statistics and distinctive terms on the 37.5k-article corpus.

Reads ``../shared/corpora/article-bias-prediction.jsonl.xz`` with pandas
(no store needed) and prints one JSON object with the timings, the
statistics of every outlet (written to ``--out`` as CSV) and the top terms
of the three largest outlets.

    .venv/bin/python benchmarks/words_outlets.py --jobs 2 --out /tmp/outlets.csv
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="First N articles only.")
    parser.add_argument("--out", type=Path, default=Path("/tmp/outlet_statistics.csv"))
    arguments = parser.parse_args()

    articles, load_wall, _ = timed(pd.read_json, CORPUS, lines=True, compression="xz",
                                   dtype={"id": str})
    if arguments.limit:
        articles = articles.head(arguments.limit)
    articles = articles.rename(columns={"text": "body"})
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
