from __future__ import annotations

import contextlib
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def app(settings, graph):
    from service.app import create_app

    return create_app({"SETTINGS": settings, "GRAPH": graph, "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


def gql(client, query: str, variables: dict | None = None, status: int = 200) -> dict:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == status, response.data[:500]
    return response.get_json()


@contextlib.contextmanager
def trial_record_loaded(graph, settings, path):
    """Load one trial record (a Study with its criteria) for a test, and take it out again afterwards, so the
    shared test database stays as the corpus fixture made it."""
    from etl.run import run_etl

    nct = Path(path).stem
    report = run_etl([Path(path)], graph, settings, force=True)
    assert not report.problems, report.to_text()
    try:
        yield graph
    finally:
        ids = {"study": f"MDSKG:study/{nct.lower()}", "source": f"clinicaltrials:{nct}"}
        graph.write_text("MATCH (s:Study {nct_id: $nct})-[:HAS_CRITERION]->(c:Criterion) "
                         "WHERE NOT (c)<-[:HAS_CRITERION]-(:Recommendation) DETACH DELETE c", nct=nct)
        graph.write_text("MATCH (n:Entity) WHERE n.id IN [$study, $source] DETACH DELETE n", **ids)
        graph.write_text("MATCH (d:Document {id: $source}) DETACH DELETE d", source=ids["source"])
