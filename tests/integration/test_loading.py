"""The loader (graph.load.write_rows) against the real server: batches per relationship type,
provenance on every edge, a re-run that changes nothing, and plans that expand between the
matched nodes instead of scanning every relationship of the type."""

from __future__ import annotations

import pytest

from graph.labels import allowed_rel_types
from graph.load import relationship_statement, write_rows
from mdskg.records import GraphRows

PREFIX = "MDSKG:test-load/"


@pytest.fixture()
def clean(graph):
    from graph.schema import init_schema

    init_schema(graph)
    graph.write_text("MATCH (n:Entity) WHERE n.id STARTS WITH $p DETACH DELETE n", p=PREFIX)
    yield graph
    graph.write_text("MATCH (n:Entity) WHERE n.id STARTS WITH $p DETACH DELETE n", p=PREFIX)


def _evidence(key: str, source: str, sentence: str) -> dict:
    return {"evidence_key": key, "source_id": source, "citations": [source], "sentence": sentence,
            "offset": f"{source}:0-{len(sentence)}", "extractor": "rules@test", "confidence": 0.8}


def _rows() -> GraphRows:
    drugs = [{"id": f"{PREFIX}drug-{i}", "name": f"drug {i}"} for i in range(4)]
    effects = [{"id": f"{PREFIX}effect-{i}", "name": f"effect {i}"} for i in range(3)]
    sources = [{"id": f"{PREFIX}source-{i}", "name": f"source {i}", "title": f"S{i}"} for i in range(3)]
    mentions = [{"from_id": s["id"], "to_id": d["id"], **_evidence(f"m{i}{j}", s["id"], f"mentions {i}{j}")}
                for i, s in enumerate(sources) for j, d in enumerate(drugs)]
    # The same (drug, effect) pair stated by three sources: one relationship, three evidences,
    # with the repeats both inside one batch and across batches (batch size 2 below).
    side = [{"from_id": drugs[0]["id"], "to_id": effects[0]["id"], **_evidence(f"s{i}", f"{PREFIX}source-{i}", f"s{i}")}
            for i in range(3)]
    side += [{"from_id": drugs[1]["id"], "to_id": effects[2]["id"], **_evidence("t0", f"{PREFIX}source-0", "t0")}]
    return GraphRows(nodes={"Drug": drugs, "SideEffect": effects}, sources=sources,
                     relationships={"MENTIONS": mentions, "HAS_SIDE_EFFECT": side})


def _snapshot(graph) -> list[dict]:
    return graph.read_text(
        "MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id STARTS WITH $p "
        "RETURN a.id AS a, type(r) AS t, b.id AS b, r.evidence_keys AS keys, r.source_ids AS sources, "
        "r.sentences AS sentences, r.offsets AS offsets, r.extractors AS extractors, r.citations AS citations, "
        "r.evidence_citations AS evidence_citations, r.source_count AS source_count, r.confidence AS confidence "
        "ORDER BY a, t, b", p=PREFIX)


@pytest.mark.parametrize("batch_size", [2, 5000])
def test_write_rows_keeps_provenance_and_reruns_change_nothing(clean, batch_size):
    rows = _rows()
    counts = write_rows(clean, rows, batch_size)
    assert counts.relationships == 16 and counts.by_type == {"MENTIONS": 12, "HAS_SIDE_EFFECT": 4}
    first = _snapshot(clean)
    assert len(first) == 12 + 2
    merged = next(r for r in first if r["t"] == "HAS_SIDE_EFFECT" and r["a"].endswith("drug-0"))
    assert merged["keys"] == ["s0", "s1", "s2"]
    assert merged["sources"] == merged["citations"] == merged["evidence_citations"] == [
        f"{PREFIX}source-{i}" for i in range(3)]
    assert merged["sentences"] == ["s0", "s1", "s2"] and merged["extractors"] == ["rules@test"] * 3
    assert merged["source_count"] == 3
    for rel in first:
        lengths = {len(rel[k]) for k in ("keys", "sources", "sentences", "offsets", "extractors", "evidence_citations")}
        assert len(lengths) == 1 and rel["source_count"] == len(rel["citations"])
    write_rows(clean, rows, batch_size)
    assert _snapshot(clean) == first


def test_retracting_several_documents_at_once_keeps_the_rest_aligned(clean):
    """Two withdrawn documents that back the same relationship, in one call: the third source's
    evidence stays, every list still aligned; a relationship only they backed goes."""
    from graph.load import retract_documents

    write_rows(clean, _rows(), 5000)
    retract_documents(clean, [f"{PREFIX}source-0", f"{PREFIX}source-1"])
    after = _snapshot(clean)
    side = [r for r in after if r["t"] == "HAS_SIDE_EFFECT"]
    assert len(side) == 1  # drug-1 → effect-2 had only source-0 behind it
    kept = side[0]
    assert kept["keys"] == ["s2"] and kept["sources"] == [f"{PREFIX}source-2"] and kept["sentences"] == ["s2"]
    assert kept["citations"] == kept["evidence_citations"] == [f"{PREFIX}source-2"] and kept["source_count"] == 1
    assert {r["a"] for r in after if r["t"] == "MENTIONS"} == {f"{PREFIX}source-2"}


def test_relationship_statements_expand_between_matched_nodes(clean):
    """Even for a type with no relationships yet, the MERGE expands from the two matched nodes."""
    for rel_type in sorted(allowed_rel_types()):
        with clean.driver.session(database=clean.database) as session:
            plan = session.run("EXPLAIN " + relationship_statement(rel_type), rows=[]).consume().plan
        operators: list[str] = []

        def walk(node, operators: list[str] = operators) -> None:
            operators.append(node["operatorType"].split("@")[0])
            for child in node.get("children", []):
                walk(child, operators)

        walk(plan)
        assert "Expand(Into)" in operators, (rel_type, operators)
        assert not any("Scan" in op or "Lookup" in op for op in operators), (rel_type, operators)


def test_relationship_statement_rejects_unknown_types():
    with pytest.raises(ValueError, match="not declared"):
        relationship_statement("NOT_A_TYPE` ]->() DETACH DELETE a //")
