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
