import json

from benchmarks.synthetic_corpus import generate


def test_generator_is_deterministic_and_ingestable(fresh_store, tmp_path):
    first = list(generate(articles=40, outlets=5, stories=6, seed=7))
    second = list(generate(articles=40, outlets=5, stories=6, seed=7))
    assert first == second
    assert {record["outlet"] for record in first} <= {record["outlet"] for record in second}
    assert all(record["text"].strip() and len(record["date"]) == 10 for record in first)
    path = tmp_path / "synthetic.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in first), encoding="utf-8")
    from analysis.ingest import ingest

    result = ingest(fresh_store, [path])
    assert result.counts["rejected"] == 0
    assert result.counts["imported"] + result.counts["duplicate"] == 40
