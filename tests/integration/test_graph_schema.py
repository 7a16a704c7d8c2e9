"""`mdskg graph init` against the real server: what the model declares exists, and a second run changes nothing."""

from __future__ import annotations

from etl.run import load_ontology_concepts
from graph.load import graph_counts
from graph.schema import declared_schema, init_schema
from ontology import Label, load_ontology


def test_init_creates_declared_constraints_and_indexes(graph):
    init_schema(graph)
    constraints, indexes = declared_schema()
    shown_constraints = {r["name"] for r in graph.read_text("SHOW CONSTRAINTS YIELD name RETURN name")}
    shown_indexes = {r["name"]: r for r in graph.read_text(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state RETURN *")}
    assert set(constraints) <= shown_constraints
    assert set(indexes) <= set(shown_indexes)
    for label in Label:
        assert f"{label.value.lower()}_id_unique" in shown_constraints
    fulltext = shown_indexes["entity_search"]
    assert fulltext["type"] == "FULLTEXT" and fulltext["state"] == "ONLINE"
    assert set(fulltext["properties"]) == {"name", "search_text"}


def test_init_is_idempotent_and_stores_model_version(graph):
    init_schema(graph)
    before = (graph.read_text("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS c")[0]["c"],
              graph.read_text("SHOW INDEXES YIELD name RETURN collect(name) AS i")[0]["i"])
    report = init_schema(graph)
    after = (graph.read_text("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS c")[0]["c"],
             graph.read_text("SHOW INDEXES YIELD name RETURN collect(name) AS i")[0]["i"])
    assert report.created == []
    assert sorted(before[0]) == sorted(after[0]) and sorted(before[1]) == sorted(after[1])
    version = graph.read_text("MATCH (m:GraphMeta {id: 'MDSKG:meta'}) RETURN m.model_version AS v")[0]["v"]
    assert version == load_ontology().version


def test_ontology_load_is_idempotent(loaded_graph):
    # On the loaded graph (not a wiped one), so later tests keep their data.
    init_schema(loaded_graph)
    counts = graph_counts(loaded_graph)
    first = load_ontology_concepts(loaded_graph)
    second = load_ontology_concepts(loaded_graph)
    assert graph_counts(loaded_graph) == counts
    assert first == second
    onto = load_ontology()
    assert counts["nodes"] >= len(onto.concepts)
    # Every curated edge landed (no endpoint missing).
    loaded = loaded_graph.read_text("MATCH ()-[r]->() WHERE 'MDSKG:ontology' IN r.source_ids RETURN count(r) AS n")[0]["n"]
    assert loaded == len({(e.type, e.subject, e.object) for e in onto.edges})
