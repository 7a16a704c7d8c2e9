"""`Graph.reading`: an answer's reads in one lazily opened read transaction."""

from __future__ import annotations

import pytest

from graph.db import Graph, GraphUnavailable
from tests.conftest import free_port


def test_reads_share_one_transaction_opened_on_first_use(graph):
    with graph.reading(timeout_s=10) as reads:
        assert reads._tx is None  # nothing read yet, nothing opened
        first = reads.read("counts")
        tx = reads._tx
        assert tx is not None
        assert reads.read("counts") == first
        assert reads._tx is tx  # the second read ran in the same transaction
    assert reads._tx is None and tx.closed()


def test_writes_are_refused_inside_a_read_transaction(graph):
    import neo4j

    with graph.reading() as reads:
        with pytest.raises(neo4j.exceptions.Neo4jError):
            reads.read_text("CREATE (:ShouldNotExist {id: 'x'})")
    assert graph.read_text("MATCH (n:ShouldNotExist) RETURN count(n) AS n")[0]["n"] == 0


def test_database_down_is_graph_unavailable(settings):
    down = Graph.connect(settings.with_overrides(neo4j_uri=f"neo4j://127.0.0.1:{free_port()}"))
    try:
        with pytest.raises(GraphUnavailable):
            with down.reading(timeout_s=2) as reads:
                reads.read("counts")
    finally:
        down.close()


def test_an_extracted_includes_drug_edge_never_changes_a_therapy_family(loaded_graph):
    # A list sentence misread by the ETL ("relies on hydroxyurea, HMAs and transplant") must not make hydroxyurea a
    # hypomethylating agent for patient verdicts: the class rule reads only the ontology's own edges.
    from graph import reads

    loaded_graph.write_text(
        "MATCH (t:Entity {id: 'MDSKG:therapy/hma'}), (d:Entity {id: 'MDSKG:drug/thalidomide'}) "
        "MERGE (t)-[r:INCLUDES_DRUG]->(d) SET r.extractors = ['rules@test'], r.test_edge = true")
    try:
        made = loaded_graph.read_text("MATCH ()-[r:INCLUDES_DRUG {test_edge: true}]->() RETURN count(r) AS n")
        assert made == [{"n": 1}]  # the misread edge is really in the graph
        families = {f.id: f.drugs for f in reads.therapy_families(loaded_graph)}
        assert "MDSKG:drug/azacitidine" in families["MDSKG:therapy/hma"]  # the curated member is there
        assert "MDSKG:drug/thalidomide" not in families["MDSKG:therapy/hma"]
    finally:
        loaded_graph.write_text("MATCH ()-[r:INCLUDES_DRUG {test_edge: true}]->() DELETE r")
