"""The full pipeline at scale, stage by stage, with wall time and peak memory.

Stages: ingest (reading, cleaning, metadata, fingerprints, store),
vectorise, neighbours (top-10), stories, passages (every story with two or
more articles), statistics (per outlet, reusing the passages' copied
shares), terms (distinctive terms per outlet and the corpus background that
every story's terms are scored against). Statistics, terms, stories and the
TF-IDF vocabulary are saved in the store, which is what lets a dashboard
opened on it afterwards show them without computing them again. Peak memory
is the highest resident set size of this process plus its worker processes,
sampled every 50 ms during the stage; CPU seconds are theirs too (user +
system), so CPU / wall shows how much of the two cores a stage used. The full-text
index, built on the first search after an ingest, is timed after the
pipeline as ``first_search``.

With ``--naive-at N`` (default 20,000) the same run also compares, on the
first N articles, the naive pipeline (TfidfVectorizer + dense
``cosine_similarity`` + argsort top-10) with ours (our vectors + our top-k),
and reports the speed ratio and our recall@10 of the naive neighbours.

Usage::

    python benchmarks/pipeline.py ../shared/corpora/article-bias-prediction.jsonl.xz --json out.json
    python benchmarks/pipeline.py /tmp/synthetic.jsonl --naive-at 0   # see synthetic_corpus.py

The naive comparison reads the first N articles of an ``.xz`` JSON Lines file.
"""

from __future__ import annotations

import argparse
import json
import lzma
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))  # run as a script: make analysis/ and benchmarks/ importable

from analysis.workers import release_free_memory  # noqa: E402

WORKERS = 2  # the machine the goals are set for has two cores
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "article-bias-prediction.jsonl.xz"


@dataclass
class StageResult:
    stage: str
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    detail: dict


class PeakMemory:
    """Samples the RSS and CPU time of this process and its children in a background thread.

    ``peak`` is the highest summed RSS seen; ``cpu_seconds`` the CPU time
    (user + system) all of them spent in between. Worker processes outlive
    a stage, so each one's CPU time is counted from when it was first seen
    (0 for one started during the stage) to its last sample.
    """

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self.cpu_seconds = 0.0
        self._first_cpu: dict[int, float] = {}
        self._last_cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, first: bool = False) -> None:
        process = psutil.Process()
        total = 0
        for member in [process, *process.children(recursive=True)]:
            try:
                with member.oneshot():
                    total += member.memory_info().rss
                    times = member.cpu_times()
            except psutil.Error:
                continue
            self._first_cpu.setdefault(member.pid, times.user + times.system if first else 0.0)
            self._last_cpu[member.pid] = times.user + times.system
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._sample(first=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
        self.cpu_seconds = sum(self._last_cpu[pid] - self._first_cpu[pid] for pid in self._last_cpu)


@contextmanager
def stage(results: list[StageResult], name: str):
    detail: dict = {}
    print(f"[{name}] …", file=sys.stderr, flush=True)
    start = time.perf_counter()
    with PeakMemory() as memory:
        yield detail
        # As `samestory analyse` does after each step: a stage's garbage must not raise the next one's peak.
        release_free_memory()
    seconds = time.perf_counter() - start
    results.append(StageResult(name, round(seconds, 2), round(memory.cpu_seconds, 1),
                               round(memory.peak / 2**20, 1), detail))
    print(f"[{name}] {seconds:.1f} s ({memory.cpu_seconds:.0f} s CPU), peak {memory.peak / 2**20:.0f} MB {detail}",
          file=sys.stderr)


def decompressed(path: Path, folder: Path) -> Path:
    """A plain .jsonl copy of ``path`` (SameStory ingests .jsonl, not .xz)."""
    if path.suffix != ".xz":
        return path
    target = folder / path.with_suffix("").name
    with lzma.open(path, "rb") as source, target.open("wb") as sink:
        shutil.copyfileobj(source, sink, length=1 << 20)
    return target


def run_pipeline(corpus: Path, folder: Path) -> list[StageResult]:
    from analysis.ingest import ingest
    from analysis.passages import align_stories
    from analysis.similarity import neighbours
    from analysis.stats import outlet_stats
    from analysis.store import open_store
    from analysis.stories import story_table
    from analysis.terms import stored_corpus_terms
    from analysis.vectorize import vectors_for

    results: list[StageResult] = []
    store = open_store(folder / "corpus.db")
    with stage(results, "ingest") as detail:
        report = ingest(store, [corpus])
        detail.update(report.counts)
    with stage(results, "vectorise") as detail:
        vectors = vectors_for(store, n_jobs=WORKERS)
        detail.update(articles=vectors.matrix.shape[0], features=vectors.matrix.shape[1])
    with stage(results, "neighbours") as detail:
        detail["pairs"] = len(neighbours(vectors))
    with stage(results, "stories") as detail:
        stories = story_table(store)
        detail.update(stories=len(stories),
                      multi_article=int((stories["article_ids"].map(len) > 1).sum()))
    with stage(results, "passages") as detail:
        grouped = stories[stories["article_ids"].map(len) > 1]
        membership = {article_id: story_id for story_id, ids in
                      zip(grouped["story_id"], grouped["article_ids"]) for article_id in ids}
        articles = store.article_fields(["id", "outlet", "date", "body"], ids=list(membership))
        articles["story_id"] = articles["id"].map(membership)
        alignment = align_stories(articles, n_jobs=WORKERS)
        detail.update(articles=len(articles), sentences=len(alignment.sentences))
        # Only the copied shares go on; a million aligned sentences need not stay in memory.
        article_shares = alignment.article_shares
        del alignment, articles, vectors
    with stage(results, "statistics") as detail:
        # Copied shares come from the alignment above instead of being computed again.
        detail["outlets"] = len(outlet_stats(store, n_jobs=WORKERS, article_shares=article_shares))
    with stage(results, "terms") as detail:
        # Distinctive terms of every outlet, and the background every story's terms are scored on.
        terms = stored_corpus_terms(store, n_jobs=WORKERS)
        detail.update(rows=len(terms.terms), background_terms=sum(map(len, terms.background.rates.values())))
    store.close()
    return results


def time_search_index(folder: Path) -> StageResult:
    """The full-text index, built on the first search after an ingest (not part of the pipeline)."""
    from analysis.store import open_store

    results: list[StageResult] = []
    with open_store(folder / "corpus.db") as store, stage(results, "search index") as detail:
        detail["rebuilt"] = store.ensure_search_index()
        detail["hits"] = len(store.search("president"))
    return results[0]


def compare_with_naive(corpus: Path, size: int) -> dict:
    """Naive dense top-10 vs ours on the first ``size`` articles, same run.

    Both search the same TF-IDF matrix (fitted once, timed apart), so recall
    is of the naive neighbours themselves; see benchmarks/neighbours.py.
    """
    from analysis.similarity import NeighbourOptions, top_neighbours
    from analysis.vectorize import fit_vectors
    from benchmarks.neighbours import load, naive_top_k, recall

    articles = load(corpus, size)
    vectorise_seconds, _, vectors = _timed(lambda: fit_vectors(articles))
    naive_seconds, naive_peak, naive_top = _timed(lambda: naive_top_k(vectors.matrix))
    ours_seconds, ours_peak, pairs = _timed(
        lambda: top_neighbours(vectors.matrix, NeighbourOptions(k=10)))
    return {
        "articles": len(articles),
        "vectorise_seconds": round(vectorise_seconds, 2),
        "naive_seconds": round(naive_seconds, 2), "naive_peak_rss_mb": round(naive_peak / 2**20, 1),
        "ours_seconds": round(ours_seconds, 2), "ours_peak_rss_mb": round(ours_peak / 2**20, 1),
        "speedup": round(naive_seconds / ours_seconds, 2),
        "recall_at_10_of_naive": round(recall(naive_top, pairs.row, pairs.neighbour), 4),
    }


def _timed(function: Callable):
    start = time.perf_counter()
    with PeakMemory() as memory:
        value = function()
    return time.perf_counter() - start, memory.peak, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="Also write the results to this file.")
    parser.add_argument("--naive-at", type=int, default=20_000,
                        help="Articles for the naive comparison (0 to skip).")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="samestory-bench-") as folder:
        folder = Path(folder)
        corpus = decompressed(arguments.corpus, folder)
        total_start = time.perf_counter()
        stages = run_pipeline(corpus, folder)
        total = time.perf_counter() - total_start
        search_index = time_search_index(folder)
    result = {
        "corpus": str(arguments.corpus),
        "cores": psutil.cpu_count(),
        "pipeline_seconds": round(total, 2),
        "pipeline_peak_rss_mb": max(stage.peak_rss_mb for stage in stages),
        "stages": [asdict(stage) for stage in stages],
        "first_search": asdict(search_index),
    }
    if arguments.naive_at:
        result["neighbours_vs_naive"] = compare_with_naive(arguments.corpus, arguments.naive_at)
    text = json.dumps(result, indent=2)
    print(text)
    if arguments.json:
        arguments.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
