"""Faults with the real server: Neo4j stopped under a running service, and a load cut off
midway. A throwaway Neo4j of this module's own, so the session's database is not disturbed."""

from __future__ import annotations

import pytest

from etl.run import CORPUS_DIR, run_etl
from graph.db import Graph, GraphUnavailable
from graph.load import graph_counts
from graph.server.manager import LocalNeo4j
from service.app import create_app
from tests.conftest import TEST_HOME, free_port, make_settings


@pytest.fixture(scope="module")
def own_server(neo4j_server, tmp_path_factory):
    home = tmp_path_factory.mktemp("faults-neo4j")
    (home / "lib").symlink_to(TEST_HOME / "lib")
    settings = make_settings(neo4j_home=str(home), neo4j_bolt_port=free_port(), neo4j_http_port=free_port())
    settings = settings.with_overrides(neo4j_uri=f"neo4j://localhost:{settings.neo4j_bolt_port}")
    server = LocalNeo4j(settings)
    server.start()
    yield server, settings
    server.stop()


def test_service_reports_a_stopped_database_and_recovers(own_server):
    server, settings = own_server
    graph = Graph.connect(settings)
    from etl.run import load_ontology_concepts
    from graph.schema import init_schema

    init_schema(graph)
    load_ontology_concepts(graph)
    app = create_app({"SETTINGS": settings, "GRAPH": graph})
    client = app.test_client()
    query = {"query": "{ graphInfo { nodeCount } }"}
    assert client.get("/readyz").status_code == 200
    assert client.post("/graphql", json=query).get_json()["data"]["graphInfo"]["nodeCount"] > 0

    server.stop()
    try:
        body = client.post("/graphql", json=query).get_json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert "not reachable" in body["errors"][0]["message"]
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.get_json()["neo4j"] is False
        assert client.get("/healthz").status_code == 200  # the process itself is fine
    finally:
        server.start()
    # Recovery on its own: same app, same driver, no restart of the service.
    assert client.post("/graphql", json=query).get_json()["data"]["graphInfo"]["nodeCount"] > 0
    assert client.get("/readyz").status_code == 200
    graph.close()


def test_interrupted_load_is_completed_by_the_next_run_without_duplicates(own_server, monkeypatch):
    _, settings = own_server
    graph = Graph.connect(settings)
    graph.write_text("MATCH (n) DETACH DELETE n")
    clean = run_etl([CORPUS_DIR], graph, settings, force=True)
    expected = graph_counts(graph)
    assert clean.documents_loaded >= 10

    graph.write_text("MATCH (n) DETACH DELETE n")
    original = Graph.write_batches
    calls = {"n": 0}

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # the connection drops in the middle of the literature load
            raise GraphUnavailable("connection to Neo4j lost (injected)")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Graph, "write_batches", failing)
    with pytest.raises(GraphUnavailable):
        run_etl([CORPUS_DIR], graph, settings)
    monkeypatch.setattr(Graph, "write_batches", original)
    partial = graph_counts(graph)
    assert partial["relationships"] < expected["relationships"]

    resumed = run_etl([CORPUS_DIR], graph, settings)
    assert graph_counts(graph) == expected, "nothing missing and nothing duplicated"
    again = run_etl([CORPUS_DIR], graph, settings)
    assert graph_counts(graph) == expected
    assert again.documents_unchanged == again.documents_read and again.documents_loaded == 0
    assert resumed.documents_loaded + resumed.documents_unchanged == resumed.documents_read
    graph.close()
