"""The benchmark's parts that need no database: synthetic inputs, the report, extraction (smoke).

These prove the code works; they never assert on timings."""

from __future__ import annotations

import json
import types

from bench.common import Report, latency_summary, percentile
from bench.synthetic import count_rows, slice_rows, synthetic_documents, synthetic_graph
from mdskg.records import Document
from ontology import load_ontology


def test_synthetic_documents_stream_and_are_seeded():
    stream = synthetic_documents(5, seed=7)
    assert isinstance(stream, types.GeneratorType)  # streamed, never a list
    first = list(stream)
    again = list(synthetic_documents(5, seed=7))
    other = list(synthetic_documents(5, seed=8))
    assert [d.text for d in first] == [d.text for d in again]
    assert [d.text for d in first] != [d.text for d in other]
    assert all(isinstance(d, Document) and d.text.strip() and d.id.startswith("MDSKG:bench/") for d in first)


def test_synthetic_graph_uses_the_real_model_and_provenance():
    onto = load_ontology()
    rows = synthetic_graph("unit", 400, 600, seed=3)
    nodes, rels = count_rows(rows)
    assert (nodes, rels) == (400, 600)
    labels = {label: {r["id"] for r in items} for label, items in rows.nodes.items()}
    labels["Source"] = {s["id"] for s in rows.sources}
    label_of = {node_id: label for label, ids in labels.items() for node_id in ids}
    assert set(label_of.values()) <= {str(label) for label in onto.counts()} | {"Source", "Recommendation", "Criterion"}
    for rel_type, items in rows.relationships.items():
        spec = onto.relationship_types[rel_type]
        for item in items:
            assert (label_of[item["from_id"]], label_of[item["to_id"]]) in spec.pairs
            for key in ("evidence_key", "source_id", "citations", "sentence", "offset", "extractor", "confidence"):
                assert key in item
    assert count_rows(slice_rows(rows, 60))[1] <= 80


def test_report_table_and_percentiles():
    report = Report()
    report.add("x", "a figure", 12.5, "ms", "<= 20 ms", lambda v: v <= 20)
    report.add("x", "a miss", 3.0, "x", "<= 2x", lambda v: v <= 2)
    report.add("x", "context", 7, "rows")
    assert [f.status for f in report.figures] == ["PASS", "MISS", "-"]
    table = report.table()
    assert "a figure" in table and "PASS" in table and "MISS" in table
    assert percentile([1, 2, 3, 4], 50) == 2 and percentile([1, 2, 3, 4], 100) == 4
    summary = latency_summary([0.001, 0.002, 0.003])
    assert set(summary) >= {"p50_ms", "p95_ms", "p99_ms", "n"}


def test_extraction_smoke_reports_every_figure(tmp_path):
    from bench.run import run_all

    results = run_all(smoke=True, out=tmp_path / "extraction.json", sections=("extraction",))
    data = json.loads((tmp_path / "extraction.json").read_text())
    assert data["mode"] == "smoke"
    extraction = data["extraction"]
    assert set(extraction["words_per_s"]) == {"phrase_matcher", "pipeline", "extractor"}
    for key in ("pipeline_ratio", "extractor_ratio", "docs_per_s", "component_seconds", "hotspots", "peak_rss_mb"):
        assert key in extraction
    assert len(extraction["streams"]) == 2
    for result in extraction["streams"].values():
        assert set(result["rss_mb"]) == {"start", "middle", "end"}
        assert result["documents_done"] > 0
    for key in ("cpu_count", "memory_gb", "python", "spacy", "neo4j_driver"):
        assert key in data["machine"]
    names = {f["name"] for f in data["figures"]}
    assert "pipeline speed / PhraseMatcher speed" in names
    assert all(f["status"] in {"PASS", "MISS", "-"} for f in data["figures"])
    assert results["table"]
