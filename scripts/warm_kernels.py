"""Compile SameStory's numba kernels now, so no analysis waits for the compiler later.

Numba keeps compiled code beside ``analysis/kernels.py`` (``cache=True``)
and compiles on first use, which takes tens of seconds. This runs every
kernel through the calls the library makes, on a small synthetic corpus in
a temporary store, with the candidate search a large corpus uses forced on.
``scripts/setup.sh`` runs it whenever ``analysis/kernels.py`` changed.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.ingest import Upload, ingest  # noqa: E402
from analysis.similarity import NeighbourOptions, exact_scores, top_neighbours  # noqa: E402
from analysis.store import open_store  # noqa: E402
from analysis.stories import story_table  # noqa: E402
from analysis.vectorize import vectors_for  # noqa: E402
from benchmarks.synthetic_corpus import generate  # noqa: E402


def main() -> None:
    records = generate(articles=400, outlets=8, stories=40, seed=7)
    data = "\n".join(json.dumps(record) for record in records).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="samestory-warm-") as folder:
        with open_store(Path(folder) / "warm.db") as store:
            ingest(store, uploads=[Upload("warm.jsonl", data)])
            vectors = vectors_for(store)
            pairs = top_neighbours(vectors.matrix, NeighbourOptions(k=10, exact_max_articles=0))
            exact_scores(vectors.matrix, pairs.row, pairs.neighbour)
            stories = story_table(store)
    print(f"kernels compiled: {len(pairs.row)} neighbour pairs, {len(stories)} stories", file=sys.stderr)


if __name__ == "__main__":
    main()
